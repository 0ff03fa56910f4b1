//! Channels, callbacks and correspondence, through the real binary: chat
//! concurrency against Erlang C, callbacks against the wait they replace,
//! email over a chain of days, and a blended pool against a voice-only one.
//!
//! Tolerances, as in tests/all/theory.rs: long days (the start-up transient is a
//! negligible share), 20 replications, and a tolerance of about three times
//! the 95% half-width the same run measures (printed with `--nocapture`).
//! Fixed seeds: deterministic, never flaky.

use std::path::PathBuf;

use serde_json::Value;

use crate::cmd::{shop, stderr, stdout};

fn write(dir: &tempfile::TempDir, name: &str, yaml: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, yaml).unwrap();
    p
}

fn run_json(yaml: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "s.yaml", yaml);
    let o = shop(&["run", p.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn close(what: &str, sim: f64, theory: f64, rel_tol: f64) {
    let rel = (sim - theory).abs() / theory.abs();
    println!(
        "{what}: simulated {sim:.4}, formula {theory:.4}, off by {:.2}% (tolerance {:.1}%)",
        rel * 100.0,
        rel_tol * 100.0
    );
    assert!(rel <= rel_tol, "{what}: simulated {sim}, formula {theory}");
}

fn near(what: &str, sim: f64, theory: f64, abs_tol: f64) {
    println!("{what}: simulated {sim:.4}, formula {theory:.4} (tolerance ±{abs_tol})");
    assert!((sim - theory).abs() <= abs_tol, "{what}: simulated {sim}, formula {theory}, tolerance ±{abs_tol}");
}

/// Erlang C: P(wait) for `c` servers and offered load `a` (a < c), through the
/// Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), C = c·B / (c − a·(1 − B)).
fn erlang_c(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = f64::from(c);
    c * b / (c - a * (1.0 - b))
}

#[test]
fn chat_with_concurrency_k_and_no_slowdown_is_erlang_c_with_k_times_the_agents() {
    // 3 agents × 3 chats = 9 servers; λ = 2.5/min, 3-minute chats: a = 7.5, ρ = 0.83.
    // M/M/9: C = P(wait); E[W] = C / (9μ − λ); P(W ≤ t) = 1 − C·e^{−(9μ−λ)t}.
    let yaml = "name: chat\nseed: 3\nreplications: 20\nhorizon: 300h\nservice_level: 30s\n\
        callers:\n  c: { channel: chat, arrivals: 2.5/m, entry: q }\n\
        queues:\n  q: { pools: [team] }\n\
        pools:\n  team: { agents: 3, handle: exp(3m), concurrency: { chat: 3 } }\n";
    let r = run_json(yaml);
    let (lambda, mu) = (2.5 / 60.0, 1.0 / 180.0);
    let pw = erlang_c(9, lambda / mu);
    let drain = 9.0 * mu - lambda;
    let o = &r["overall"];
    close("chat mean wait (s)", f(&o["wait"]["mean"]), pw / drain, 0.06);
    near("chat P(W <= 30s)", f(&o["service_level"]), 1.0 - pw * (-drain * 30.0).exp(), 0.01);
    let p90 = f(&o["wait"]["p90"]);
    near("chat P(W <= simulated p90)", 1.0 - pw * (-drain * p90).exp(), 0.9, 0.01);
    // The mean chats held while busy: E[busy servers | agent busy] — at least 1, at most 3.
    let conc = f(&r["by_pool"]["team"]["concurrency"]);
    assert!((1.0..=3.0).contains(&conc), "concurrency {conc}");
    assert_eq!(o["channel"], "chat");
}

#[test]
fn slowdown_makes_concurrent_chats_longer() {
    let base = |s: &str| {
        format!(
            "name: chat\nseed: 3\nreplications: 5\nhorizon: 20h\n\
             callers:\n  c: {{ channel: chat, arrivals: 2/m, entry: q }}\n\
             queues:\n  q: {{ pools: [team] }}\n\
             pools:\n  team: {{ agents: 3, handle: exp(3m), concurrency: {{ chat: 3 }}, concurrency_slowdown: {s} }}\n"
        )
    };
    let fast = run_json(&base("0"));
    let slow = run_json(&base("0.5"));
    let occ = |r: &Value| f(&r["by_pool"]["team"]["occupancy"]);
    assert!(f(&slow["overall"]["wait"]["mean"]) > f(&fast["overall"]["wait"]["mean"]));
    assert!(occ(&slow) > occ(&fast));
}

#[test]
fn agents_who_hold_several_chats_keep_to_their_availability() {
    // Busy enough that an agent's chat slots would never all empty: half
    // their time on duty is other work, whatever their concurrency. (An agent
    // whose stretch on the phones was over went on taking chats, so never
    // became free to go: occupancy 80% for availability 0.5.)
    let at = |k: u32| {
        let r = run_json(&format!(
            "name: chat\nseed: 1\nreplications: 8\nhorizon: 8h\n\
             callers:\n  c: {{ channel: chat, arrivals: 120/h, patience: exp(10m), entry: q }}\n\
             queues:\n  q: {{ pools: [team] }}\n\
             pools:\n  team: {{ agents: 4, handle: exp(6m), concurrency: {{ chat: {k} }}, availability: 0.5 }}\n"
        ));
        f(&r["by_pool"]["team"]["occupancy"])
    };
    for k in [1, 3] {
        near(&format!("occupancy with {k} chats at a time, availability 0.5"), at(k), 0.5, 0.03);
    }
}

#[test]
fn callbacks_to_everyone_take_the_erlang_c_wait_and_nobody_hangs_up() {
    // 7 agents, 3-minute calls, 2.1 calls/min (ρ = 0.9). Every caller who must
    // wait is offered a callback (threshold 0), accepts, is reached at once.
    // So a callback's wait is the M/M/7 wait of a caller who waits:
    // W | W > 0 is exponential with rate 7μ − λ, mean 1 / (7μ − λ), p90 ln(10) / (7μ − λ),
    // and the share offered a callback is C = P(wait).
    let yaml = "name: cb\nseed: 11\nreplications: 20\nhorizon: 400h\n\
        callers:\n  c: { arrivals: 2.1/m, entry: q }\n\
        queues:\n  q: { pools: [team], callback: { offer_when_ewt_over: 0s, accept: 1, reach: 1, dial: 0s, keep_place: true } }\n\
        pools:\n  team: { agents: 7, handle: exp(3m) }\n";
    let r = run_json(yaml);
    let (lambda, mu) = (2.1 / 60.0, 1.0 / 180.0);
    let pw = erlang_c(7, lambda / mu);
    let drain = 7.0 * mu - lambda;
    let o = &r["overall"];
    let cb = &o["callbacks"];
    close("time_to_callback mean (s)", f(&o["time_to_callback"]["mean"]), 1.0 / drain, 0.06);
    close("time_to_callback p90 (s)", f(&o["time_to_callback"]["p90"]), 10f64.ln() / drain, 0.06);
    near("share offered a callback = P(wait)", n(&cb["offered"]) as f64 / n(&o["calls"]) as f64, pw, 0.01);
    assert_eq!(cb["offered"], cb["accepted"]);
    assert_eq!(cb["failed"], 0);
    // Promised callbacks left when the day closes stay open (carried over).
    assert_eq!(n(&cb["completed"]) + n(&o["open_at_end"]), n(&cb["accepted"]));
    assert_eq!(o["abandoned_queue"], 0, "a callback caller is not on the line: no hang-ups");
    // Nobody holds on the line: answered at once or called back.
    assert_eq!(f(&o["wait"]["max"]), 0.0);
}

#[test]
fn a_callback_that_is_not_reached_is_retried_then_fails() {
    let yaml = "name: cb\nseed: 5\nreplications: 5\nhorizon: 8h\n\
        callers:\n  c: { arrivals: 3/m, entry: q, patience: exp(5m) }\n\
        queues:\n  q: { pools: [team], callback: { offer_when_ewt_over: 1m, accept: 0.7, reach: 0.5, attempts: 2, retry_after: 5m } }\n\
        pools:\n  team: { agents: 8, handle: exp(3m) }\n";
    let r = run_json(yaml);
    let o = &r["overall"];
    let cb = &o["callbacks"];
    let (acc, done, failed) = (n(&cb["accepted"]), n(&cb["completed"]), n(&cb["failed"]));
    assert!(acc > 100, "{cb}");
    // Reach 0.5 and two attempts: a quarter fail.
    near("failed share of callbacks", failed as f64 / (done + failed) as f64, 0.25, 0.06);
    assert!(n(&cb["offered"]) > acc);
    let calls = n(&o["calls"]);
    let ends = ["resolved", "abandoned_menu", "abandoned_queue", "blocked", "unresolved", "open_at_end"]
        .iter()
        .map(|k| n(&o[*k]))
        .sum::<u64>()
        + failed;
    assert_eq!(calls, ends, "every call ends exactly one way");
}

#[test]
fn every_email_is_answered_or_still_open_and_a_backlog_is_answered_the_next_day() {
    // 40 emails an hour for 4 hours a day, one agent working 10 an hour for 8 hours:
    // 160 arrive, 80 are answered, the rest carries over to the next day.
    let yaml = |days: u32| {
        format!(
            "name: mail\nseed: 7\nreplications: 10\nhorizon: 8h\ndays: {days}\n\
             callers:\n  w: {{ channel: email, arrivals: [{{ from: 0h, rate: 40/h }}, {{ from: 4h, rate: 0/h }}], response_target: 4h, entry: inbox }}\n\
             queues:\n  inbox: {{ pools: [team] }}\n\
             pools:\n  team: {{ agents: 1, handle: 6m }}\n"
        )
    };
    for days in [1, 3] {
        let r = run_json(&yaml(days));
        let o = &r["overall"];
        let (calls, answered, open) = (n(&o["calls"]), n(&o["answered"]), n(&o["open_at_end"]));
        println!("{days} days: {calls} emails, {answered} answered, {open} open");
        assert_eq!(calls, answered + open, "every email is answered or still open");
        assert_eq!(n(&o["resolved"]), answered);
        assert_eq!(n(&o["abandoned_queue"]), 0, "email never abandons");
        // 80 a day are answered (one agent, 6 minutes each, 8 hours).
        near("emails answered per day", answered as f64 / (10.0 * f64::from(days)), 80.0, 1.0);
        assert!(f(&o["backlog_end_of_day"]) > 50.0);
        assert!(f(&o["oldest_open"]) > 4.0 * 3600.0);
        let max = f(&o["response_time"]["max"]);
        if days == 1 {
            assert!(max < 8.0 * 3600.0);
        } else {
            // An email of day 1 started on day 2: at least 24h − 8h after it arrived.
            assert!(max >= 16.0 * 3600.0, "response max {max}");
        }
        assert!(f(&o["within_target"]) < 1.0);
    }
}

#[test]
fn an_inbox_that_falls_behind_counts_every_email_met_missed_or_pending_and_warns() {
    // 40 emails an hour, two agents answering 24 an hour: the inbox falls
    // further behind all day and from one day to the next.
    let yaml = |days: u32| {
        format!(
            "name: behind\nseed: 11\nreplications: 4\nhorizon: 8h\ndays: {days}\n\
             callers:\n  w: {{ channel: email, arrivals: 40/h, response_target: 2h, entry: inbox }}\n\
             queues:\n  inbox: {{ pools: [desk] }}\n\
             pools:\n  desk: {{ agents: 2, handle: exp(5m) }}\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let one = write(&dir, "one.yaml", &yaml(1));
    let o = shop(&["run", one.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let w = &r["by_caller"]["w"];
    let e = &w["emails"];
    let (arrived, met, missed, pending) = (n(&e["arrived"]), n(&e["met"]), n(&e["missed"]), n(&e["pending"]));
    println!("{arrived} emails: {met} met, {missed} missed, {pending} pending");
    assert_eq!(arrived, n(&w["calls"]), "every email that arrived is counted");
    assert_eq!(met + missed + pending, arrived);
    assert!(met > 0 && missed > 0 && pending > 0, "the day has all three");
    near("within_target", f(&w["within_target"]), met as f64 / arrived as f64, 1e-6);
    near("pending", f(&w["pending"]), pending as f64 / arrived as f64, 1e-6);
    assert!(f(&w["within_target"]) < 0.7, "open emails count: not a one-day 100%");
    // Per interval, the same definition: an email arriving an hour before the
    // close is pending, not met.
    let rows = r["by_interval"].as_array().unwrap();
    let last = &rows[rows.len() - 1]["by_caller"]["w"];
    assert!(f(&last["pending"]) > 0.5 && f(&last["within_target"]) + f(&last["pending"]) <= 1.0 + 1e-9, "{last}");
    let kinds: Vec<&str> = r["warnings"].as_array().unwrap().iter().map(|w| w["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["single_day"]);
    let err = stderr(&o);
    assert!(err.contains("warning: one day simulated (w: ") && err.contains("`days: 5`"), "{err}");
    let table = stdout(&shop(&["run", one.to_str().unwrap()]));
    assert!(table.contains("warning: one day simulated") && table.contains("pending: open, not yet due"), "{table}");

    let chain = write(&dir, "chain.yaml", &yaml(4));
    let o = shop(&["run", chain.to_str().unwrap(), "--format", "json"]);
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let kinds: Vec<&str> = r["warnings"].as_array().unwrap().iter().map(|w| w["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["backlog_grows"], "{}", r["warnings"]);
    assert!(stderr(&o).contains("warning: w: the backlog grows from one close to the next"), "{}", stderr(&o));
    let csv = stdout(&shop(&["run", chain.to_str().unwrap(), "--format", "csv"]));
    assert!(csv.contains("warning,backlog_grows,message,"), "{csv}");
}

#[test]
fn an_inbox_that_keeps_up_over_a_chain_of_days_does_not_warn() {
    let r = run_json(
        "name: fine\nseed: 3\nreplications: 6\nhorizon: 8h\ndays: 4\n\
         callers:\n  w: { channel: email, arrivals: 20/h, response_target: 4h, entry: inbox }\n\
         queues:\n  inbox: { pools: [desk] }\n\
         pools:\n  desk: { agents: 3, handle: exp(5m) }\n",
    );
    assert!(r.get("warnings").is_none(), "{}", r["warnings"]);
}

#[test]
fn a_blended_pool_keeps_voice_service_level_when_email_is_added() {
    // A working day and the next (shifts of 8, 11, 9 agents; 30 s wrap-up), voice
    // at about 80% load. Email (8 an hour of 5 minutes, close to an agent's time)
    // fills idle moments; a caller who would wait takes an agent off an email
    // (`email_interruptible`, the default: preemptive-resume priority). The
    // criterion: the change of voice service level when email is added lies
    // within its paired 95% interval around zero — the interval of the paired
    // difference contains 0, or the change is below its half-width. Measured
    // (seed 9, 40 replications × 2 days): 81.58% → 81.58%, change +0.002 pts,
    // 95% CI [−0.002, +0.005] pts (a handful of calls differ). Email
    // that is not interruptible: −7.9 pts, CI [−8.4, −7.3].
    let voice = "  caller: { arrivals: [{ from: 0h, rate: 60/h }, { from: 2h, rate: 100/h }, { from: 7h, rate: 70/h }], \
                 patience: exp(5m), entry: phones }\n";
    let email = "  writer: { channel: email, arrivals: 8/h, entry: inbox }\n";
    let body = |callers: &str, pool_keys: &str| {
        format!(
            "name: blend\nseed: 9\nreplications: 40\nhorizon: 10h\ndays: 2\n\
             callers:\n{callers}\
             queues:\n  phones: {{ pools: [team] }}\n  inbox: {{ pools: [team] }}\n\
             pools:\n  team: {{ agents: [{{ from: 0h, agents: 8 }}, {{ from: 2h, agents: 11 }}, {{ from: 7h, agents: 9 }}], \
             handle: exp(5m), wrap_up: 30s{pool_keys} }}\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "voice.yaml", &body(voice, ""));
    let voice_sl = |pool_keys: &str| {
        let b = write(&dir, "blended.yaml", &body(&format!("{voice}{email}"), pool_keys));
        let o = shop(&["compare", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let c: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let sl = &c["by_caller"]["caller"]["service_level"];
        let (va, vb, diff) = (f(&sl["a"]), f(&sl["b"]), f(&sl["diff"]));
        let (lo, hi) = (f(&sl["diff_ci95"][0]), f(&sl["diff_ci95"][1]));
        println!(
            "voice service level{pool_keys}: voice-only {va:.4}, blended {vb:.4}, change {diff:+.5}, 95% CI [{lo:+.5}, {hi:+.5}]"
        );
        (diff, lo, hi)
    };
    let (diff, lo, hi) = voice_sl("");
    let half = (hi - lo) / 2.0;
    assert!((lo..=hi).contains(&0.0) || diff.abs() <= half, "voice service level moved by {diff}: CI [{lo}, {hi}]");
    // Email is answered all the same: every email of the two days is started
    // (a few of the last evening's still open) and the pool is busier.
    let r = run_json(&body(&format!("{voice}{email}"), ""));
    let w = &r["by_caller"]["writer"];
    let (calls, answered, open) = (n(&w["calls"]), n(&w["answered"]), n(&w["open_at_end"]));
    println!("email: {calls} arrived, {answered} answered, {open} open at the end");
    near("emails answered per day", answered as f64 / 80.0, 8.0 * 10.0, 2.0);
    assert!(open * 50 < calls, "{w}");
    assert_eq!(calls, answered + open);
    assert_eq!(n(&w["resolved"]), answered, "every email started is finished");
    // Without interruption, agents finish the letter first and voice pays for it.
    let (diff, _, hi) = voice_sl(", email_interruptible: false");
    assert!(hi < 0.0 && diff < -0.03, "non-interruptible email should cost voice: {diff}");
}

#[test]
fn gates_and_compare_accept_channel_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let base = env!("CARGO_MANIFEST_DIR");
    let a = format!("{base}/scenarios/blended_no_callbacks.yaml");
    let b = format!("{base}/scenarios/blended_team.yaml");
    let o = shop(&["check", &a, &b, "--gate", "writer: response_time.p95 <= 8h", "--format", "json"]);
    assert!(o.status.code() == Some(0) || o.status.code() == Some(1), "{}", stderr(&o));
    let j: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(j["results"].as_array().unwrap().iter().any(|r| r["metric"] == "response_time.p95"), "{j}");
    let o = shop(&["compare", &a, &b, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(j["by_caller"]["caller"].get("time_to_callback.mean").is_some(), "{}", j["by_caller"]["caller"]);
    assert!(j["by_pool"]["team"].get("concurrency").is_some());
    drop(dir);
}

#[test]
fn journey_narrates_a_callback_and_an_email() {
    let base = env!("CARGO_MANIFEST_DIR");
    let s = format!("{base}/scenarios/blended_team.yaml");
    let o = shop(&["journey", &s, "--caller", "writer", "--count", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("inbox"), "{text}");
    assert!(text.contains("starts on it"), "{text}");
    let o = shop(&["journey", &s, "--caller", "caller", "--worst", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("longest wait for a callback") && text.contains("called back"), "{text}");
}

/// `journey --worst` with `sim` args, as JSON.
fn worst(s: &str, caller: &str, sim: &[&str]) -> Value {
    let o = shop(&[&["journey", s, "--caller", caller, "--worst", "3", "--format", "json"][..], sim].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn the_worst_email_and_callback_journeys_are_ranked_by_the_wait_callers_had() {
    let base = env!("CARGO_MANIFEST_DIR");
    let s = format!("{base}/scenarios/blended_team.yaml");
    let sim = ["--replications", "4"];
    let o = shop(&[&["run", &s, "--format", "json"][..], &sim].concat());
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();

    // Emails: by response time (an email is never on hold), the first one the report's maximum.
    let w = worst(&s, "writer", &sim);
    let firsts: Vec<&Value> = w["journeys"].as_array().unwrap().iter().collect();
    assert_eq!(firsts.len(), 3);
    let values: Vec<f64> = firsts.iter().map(|j| j["worst"]["value"].as_f64().unwrap()).collect();
    assert!(firsts.iter().all(|j| j["worst"]["figure"] == "response_time"), "{w}");
    assert_eq!(values[0], report["by_caller"]["writer"]["response_time"]["max"].as_f64().unwrap());
    assert!(values.windows(2).all(|v| v[0] >= v[1]) && values[2] > 0.0, "{values:?}");
    let focus = &firsts[0]["calls"][firsts[0]["focus_call"].as_u64().unwrap() as usize - 1];
    assert_eq!((focus["hold"].as_f64(), &focus["waited_for"]), (Some(0.0), &Value::from("response_time")));
    let text = stdout(&shop(&[&["journey", &s, "--caller", "writer", "--worst", "1"][..], &sim].concat()));
    assert!(text.starts_with("#1 longest email response "), "{text}");
    assert!(text.contains("an agent started on it ") && !text.contains("no time on hold"), "{text}");

    // Callers who accepted a callback: by the time until the agent reached them.
    let c = worst(&s, "caller", &sim);
    let first = &c["journeys"][0]["worst"];
    assert_eq!(first["figure"], "time_to_callback", "{c}");
    assert_eq!(first["value"], report["by_caller"]["caller"]["time_to_callback"]["max"]);

    // A voice-only line ranks by hold, as before: the report's longest hold first.
    let f = format!("{base}/scenarios/support_line.yaml");
    let v = worst(&f, "customer", &sim);
    let o = shop(&[&["run", &f, "--format", "json"][..], &sim].concat());
    let voice: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["journeys"][0]["worst"]["figure"], "wait");
    assert_eq!(v["journeys"][0]["worst"]["value"], voice["by_caller"]["customer"]["wait"]["max"]);
}

#[test]
fn worst_experiences_name_email_answers_and_callbacks_per_caller_type() {
    let base = env!("CARGO_MANIFEST_DIR");
    let run = |file: &str| {
        let o = shop(&["run", &format!("{base}/scenarios/{file}"), "--replications", "4"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        let worst = out.split("Worst experiences").nth(1).unwrap_or_default();
        let worst = worst.split("\nCalls\n").next().unwrap_or_default().to_string();
        (out, worst)
    };
    let (out, worst) = run("blended_team.yaml");
    assert!(
        worst.contains("writer: 1 in 20 emails waited longer than ") && worst.contains("within the response target")
    );
    assert!(
        worst.contains("caller: ") && worst.contains(" offered a callback accepted it; 1 in 20 waited longer than ")
    );
    assert!(!worst.contains("all callers: 1 in 20 emails"), "per caller type only: {worst}");
    // Every call goes straight to a queue: no menu table of zeros.
    assert!(!out.contains("Time in the menu"), "{out}");

    let (_, worst) = run("blended_no_callbacks.yaml");
    assert!(!worst.contains("longer than 0s"), "{worst}");
    assert!(worst.contains("chatter: fewer than 1 in 20 held at all, the longest hold was "), "{worst}");
    assert!(!worst.contains("callback"), "{worst}");
}

#[test]
fn journeys_on_later_days_tell_the_day_and_the_wall_clock() {
    let base = env!("CARGO_MANIFEST_DIR");
    let s = format!("{base}/scenarios/blended_team.yaml");
    // 12 emails an hour for 9 hours: the 300th writer of replication 0 writes on day 3.
    let o = shop(&["journey", &s, "--caller", "writer", "--count", "300"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    // `opens: "08:00"`: day 1 starts at 08:00 on the wall clock, not at 00:00:00.
    assert!(text.contains("    day 1 08:"), "{}", &text[..text.len().min(2000)]);
    assert!(text.contains("    day 3 "), "a later day is told as such");
    assert!(!text.contains("    5"), "no hours since day 0 (e.g. 50:14:00)");
    // An email put down for a call and taken up again by the next agent free.
    assert!(text.contains("puts it down to take a call") && text.contains("takes it up again"));
    let o = shop(&["journey", &s, "--caller", "writer", "--count", "300", "--format", "json"]);
    let j: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let last = j["journeys"].as_array().unwrap().last().unwrap();
    let call = &last["calls"][0];
    assert!(n(&call["day"]) >= 3, "{call}");
    let step = &call["steps"][0];
    assert_eq!(step["day"], call["day"]);
    // `time` stays seconds since the run started; `clock` is the narration's.
    let day = n(&step["day"]) as f64;
    assert!(f(&step["time"]) >= (day - 1.0) * 86400.0);
    assert!(step["clock"].as_str().unwrap().starts_with(&format!("day {day} ")));
}

#[test]
fn a_chat_held_beside_another_is_told_with_its_slowdown() {
    // Constant 3-minute chats, two at a time, each 50% longer per other chat held
    // when it starts: a chat started beside another lasts 4m 30s, and the
    // narration tells that talk, not the 3 minutes of a chat alone.
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "s.yaml",
        "name: chat\nseed: 4\nreplications: 1\nhorizon: 2h\n\
         callers:\n  c: { channel: chat, arrivals: 30/h, entry: q }\n\
         queues:\n  q: { pools: [team] }\n\
         pools:\n  team: { agents: 1, handle: 3m, concurrency: { chat: 2 }, concurrency_slowdown: 0.5 }\n",
    );
    let o = shop(&["journey", p.to_str().unwrap(), "--count", "30"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("chats for 3m 00s: solved"), "{text}");
    assert!(text.contains("chats for 4m 30s: solved"), "{text}");
}

#[test]
fn validate_warns_about_a_channel_no_pool_serves() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "s.yaml",
        "callers:\n  c: { channel: chat, arrivals: 1/m, entry: q }\n\
         queues:\n  q: { pools: [team] }\n\
         pools:\n  team: { agents: 2, handle: 3m, channel_priority: [voice] }\n",
    );
    let o = shop(&["validate", p.to_str().unwrap()]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("no pool") && all.contains("chat"), "{all}");
}

#[test]
fn voice_only_reports_have_no_channel_keys() {
    let r = run_json(
        "name: v\nseed: 1\nreplications: 2\nhorizon: 1h\ncallers:\n  c: { arrivals: 1/m, entry: q }\n\
         queues:\n  q: { pools: [team] }\npools:\n  team: { agents: 2, handle: 1m }\n",
    );
    assert!(r["overall"].get("channel").is_none());
    assert!(r.get("days").is_none());
    assert!(r["by_pool"]["team"].get("concurrency").is_none());
}

#[test]
fn compare_tells_a_planner_what_callbacks_changed() {
    let base = env!("CARGO_MANIFEST_DIR");
    let a = format!("{base}/scenarios/blended_no_callbacks.yaml");
    let b = format!("{base}/scenarios/blended_team.yaml");
    let o = shop(&["compare", &a, &b]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("20 replications of 5 days"), "{text}");
    assert!(text.contains("caller callbacks a day: offered 0.0 → "), "{text}");
    assert!(text.contains("waited for the call back (p95) - → "), "{text}");
    for row in ["caller: callbacks.offered", "caller: callbacks.failed", "caller: time_to_callback.p95"] {
        assert!(text.contains(row), "{row} missing:\n{text}");
    }
    assert!(text.contains("writer: response_time.p95") && text.contains("writer: within_target"));
    assert!(!text.contains("inbox: wait.p95"), "an inbox holds nobody: no hold rows");
    let o = shop(&["compare", &a, &b, "--format", "markdown"]);
    assert!(stdout(&o).contains("<details><summary>Channels</summary>"));
    // The bundled pair shows a clear effect: the rush's hang-ups fall by a third.
    let o = shop(&["compare", &a, &b, "--format", "json"]);
    let j: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let hung = &j["by_caller"]["caller"]["hang_up_rate"];
    println!("hang-ups {} → {}, CI {}", hung["a"], hung["b"], hung["diff_ci95"]);
    assert!(f(&hung["diff"]) < -0.02 && f(&hung["diff_ci95"][1]) < 0.0, "{hung}");
    assert!(f(&j["by_caller"]["caller"]["callbacks.accepted"]["b"]) > 50.0);
    // The queue's shares leave out callers who took a callback, as the caller's do.
    let q = f(&j["by_queue"]["phones"]["service_level"]["b"]);
    let c = f(&j["by_caller"]["caller"]["service_level"]["b"]);
    assert!((q - c).abs() < 0.005, "queue {q}, caller {c}");
}

#[test]
fn a_callback_that_waits_for_an_empty_line_is_told_the_last_such_wait() {
    // 9.6 erlangs on 10 agents, every waiting caller takes a callback made
    // only when nobody holds on the line. The line's own estimate, (n + 1)·h/s,
    // told 92% of them too short a wait (mean error 5m 21s); the last such
    // callback's wait is much closer (70%, 3m 57s on this seed).
    let yaml = "name: deferred\nseed: 7\nreplications: 10\nhorizon: 8h\n\
        callers:\n  c: { arrivals: 3.2/m, entry: q, patience: exp(5m) }\n\
        queues:\n  q: { pools: [team], callback: { offer_when_ewt_over: 1m, accept: 1, keep_place: false, reach: 1, attempts: 1, dial: 0s } }\n\
        pools:\n  team: { agents: 10, handle: exp(3m) }\n";
    let r = run_json(yaml);
    let e = &r["overall"]["ewt_error"];
    let told = n(&e["count"]);
    assert!(told > 1000, "{e}");
    let under = f(&e["underestimated"]);
    assert!(under < 0.8, "most callbacks were told too short a wait: {e}");
    assert!(under > 0.3, "the estimate is not biased long either: {e}");
    let ttc = f(&r["overall"]["time_to_callback"]["mean"]);
    assert!(f(&e["mean_abs"]) < 0.75 * ttc, "error {e} against a mean time to callback of {ttc} s");
}

#[test]
fn through_the_day_shows_email_response_and_time_to_callback_where_the_design_has_them() {
    let o = shop(&["run", "scenarios/blended_team.yaml", "--format", "json", "--replications", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = r["by_interval"].as_array().unwrap();
    // Every email started and every callback reached is counted in exactly one
    // interval: the one the email arrived in, or the accepting call was dialed in.
    let sum = |key: &str| rows.iter().map(|i| n(&i[key]["count"])).sum::<u64>();
    assert_eq!(sum("response_time"), n(&r["by_caller"]["writer"]["response_time"]["count"]));
    assert_eq!(sum("time_to_callback"), n(&r["by_caller"]["caller"]["time_to_callback"]["count"]));
    for i in rows {
        assert_eq!(i["response_time"], i["by_caller"]["writer"]["response_time"], "one email caller type: the same");
        assert!(i["by_caller"]["caller"].get("response_time").is_none(), "voice callers have no email response");
        let t = &i["time_to_callback"];
        if n(&t["count"]) > 0 {
            assert!(f(&t["mean"]) <= f(&t["max"]) && f(&t["p95"]) <= f(&t["max"]) + 1e-9, "{t}");
        }
    }
    assert!(rows.iter().all(|i| n(&i["response_time"]["count"]) > 0), "emails arrive all day");
    for i in rows {
        let share = f(&i["within_target"]);
        assert!((0.0..=1.0).contains(&share), "{i}");
        assert!(i["by_caller"]["caller"].get("within_target").is_none(), "voice callers have no email target");
    }
    let table = stdout(&shop(&["run", "scenarios/blended_team.yaml", "--replications", "3"]));
    assert!(table.contains("p95 email response") && table.contains("p95 time to callback"), "{table}");
    let voice = stdout(&shop(&["run", "scenarios/support_line.yaml", "--replications", "2"]));
    assert!(!voice.contains("email response"), "{voice}");
}

#[test]
fn check_does_not_gate_holds_an_email_caller_type_cannot_have() {
    let o = shop(&[
        "check",
        "scenarios/blended_no_callbacks.yaml",
        "scenarios/blended_team.yaml",
        "--replications",
        "4",
        "--format",
        "json",
    ]);
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    let writer: Vec<&str> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["scope"] == "writer")
        .map(|g| g["metric"].as_str().unwrap())
        .collect();
    assert_eq!(writer, ["hang_up_rate"], "emails have no hold or time to answer: {writer:?}");
    let gated =
        |scope: &str| r["results"].as_array().unwrap().iter().any(|g| g["scope"] == scope && g["metric"] == "wait.p95");
    assert!(gated("caller") && gated("chatter"), "callers on a line keep every default gate");
    assert!(r["results"].as_array().unwrap().iter().all(|g| g["status"] != "not_measured"), "{}", r["results"]);
}
