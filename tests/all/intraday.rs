//! Intraday runs through the binary: `run --from STATE.json` (a day that starts
//! from the state the center is in), `shop state LOG --at` (that state from a
//! call log), `compare --from`. Each figure is checked against a formula
//! written here, or against a run it must reproduce.

use std::path::Path;

use serde_json::Value;

use crate::cmd::{shop, stderr, stdout};

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn json_of(args: &[&str]) -> Value {
    let o = shop(args);
    assert!(o.status.success(), "shop {args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// A day from 08:00 to 16:00, busier after noon, staffed up at noon.
const DAY: &str = "seed: 11\nreplications: 40\nopens: \"08:00\"\nhorizon: 8h\ninterval: 30m\n\
callers:\n  retail:\n    arrivals: ARRIVALS\n    patience: exp(4m)\n\
queues:\n  billing: { pools: [team] }\n\
pools:\n  team:\n    agents: AGENTS\n    handle: exp(5m)\nstart: billing\n";

#[test]
fn an_empty_snapshot_gives_the_figures_of_a_day_that_starts_at_its_moment() {
    let dir = tempfile::tempdir().unwrap();
    let plan = DAY
        .replace("ARRIVALS", "[{from: 0s, rate: 100/h}, {from: 4h, rate: 150/h}]")
        .replace("AGENTS", "[{from: 0s, agents: 10}, {from: 4h, agents: 13}]");
    // The same day with nobody before 10:40: no calls, no agents.
    let later = DAY
        .replace("ARRIVALS", "[{from: 0s, rate: 0/h}, {from: 2h40m, rate: 100/h}, {from: 4h, rate: 150/h}]")
        .replace("AGENTS", "[{from: 2h40m, agents: 10}, {from: 4h, agents: 13}]");
    let plan = write(dir.path(), "plan.yaml", &plan);
    let later = write(dir.path(), "later.yaml", &later);
    // Nobody on hold or in talk; the pool's head count is the plan's (left out).
    let empty = write(dir.path(), "empty.json", "{\"at\": \"10:40\"}");
    let from = json_of(&["run", &plan, "--from", &empty, "--format", "json"]);
    let plain = json_of(&["run", &later, "--format", "json"]);
    for key in ["overall", "by_caller", "by_queue", "by_pool", "cost"] {
        assert_eq!(from[key], plain[key], "{key}");
    }
    // The report starts at the snapshot's interval (10:30–11:00, the sixth).
    let intervals = from["by_interval"].as_array().unwrap();
    assert_eq!(intervals[0]["label"], "10:30–11:00");
    assert_eq!(intervals.as_slice(), &plain["by_interval"].as_array().unwrap()[5..]);
    let i = &from["intraday"];
    assert_eq!(i["from"], "10:40");
    assert_eq!(i["snapshot"]["agents"]["team"]["on_duty"], 10);
    assert_eq!(i["queue_clears_at"]["mean"], "10:40", "nobody on hold: clear at once");
    assert!(plain.get("intraday").is_none());
}

#[test]
fn a_backlog_on_a_busy_mmc_line_clears_after_n_exponential_gaps() {
    // No new calls, c = 5 agents all in talk (exponential talk: memoryless,
    // whatever the time so far), N = 20 callers on hold who never hang up.
    // The queue clears when the N-th waiting caller is answered: each answer
    // follows a talk ending, and while all c agents are busy the gaps between
    // endings are exponential with rate c·μ. So the time is a sum of N
    // exponential(c·μ) gaps: mean N/(c·μ), sd √N/(c·μ).
    let dir = tempfile::tempdir().unwrap();
    let sc = "seed: 3\nreplications: 400\nhorizon: 4h\ncallers:\n  c: { arrivals: 0/h }\n\
              queues:\n  q: { pools: [p] }\npools:\n  p: { agents: 5, handle: exp(4m) }\nstart: q\n";
    let sc = write(dir.path(), "mmc.yaml", sc);
    let (n, c, mean_talk) = (20.0f64, 5.0, 240.0);
    let on_hold: Vec<String> = (0..20).map(|i| format!("{{\"caller\": \"c\", \"held\": {}}}", 7 * i)).collect();
    let in_talk: Vec<String> =
        (0..5).map(|i| format!("{{\"pool\": \"p\", \"caller\": \"c\", \"elapsed\": {}}}", 90 * i)).collect();
    let state =
        format!("{{\"at\": \"1h\", \"on_hold\": [{}], \"in_talk\": [{}]}}", on_hold.join(","), in_talk.join(","));
    let state = write(dir.path(), "state.json", &state);
    let r = json_of(&["run", &sc, "--from", &state, "--format", "json"]);
    let clears = &r["intraday"]["queue_clears_at"];
    let got = f(&clears["after_seconds"]["mean"]);
    let want = n * mean_talk / c;
    let se = n.sqrt() * mean_talk / c / 400f64.sqrt();
    assert!((got - want).abs() < 4.0 * se, "cleared after {got}s on average, expected {want}s ± {se}");
    // The median of a gamma(N, c·μ) sits just below its mean.
    let p50 = f(&clears["after_seconds"]["p50"]);
    assert!(p50 < want && p50 > want * 0.9, "median {p50}");
    assert_eq!(r["intraday"]["queue_never_cleared"], 0);
    // Everybody was answered: nobody hung up, and the 20 are the day's calls.
    assert_eq!(f(&r["overall"]["calls"]), 20.0 * 400.0);
    assert_eq!(f(&r["overall"]["abandoned_queue"]), 0.0);
}

/// Busy agent-seconds per replication per agent in talk, from the pool's
/// occupancy and agents on duty (`agents` = staffed time / the day's span).
fn mean_rest_of_talk(dir: &Path, handle: &str, elapsed: f64, agents: usize, reps: u32) -> f64 {
    let sc = format!(
        "seed: 5\nreplications: {reps}\nhorizon: 10h\ncallers:\n  c: {{ arrivals: 0/h }}\n\
         queues:\n  q: {{ pools: [p] }}\npools:\n  p: {{ agents: {agents}, handle: \"{handle}\" }}\nstart: q\n"
    );
    let sc = write(dir, "talk.yaml", &sc);
    let talks: Vec<String> =
        (0..agents).map(|_| format!("{{\"pool\": \"p\", \"caller\": \"c\", \"elapsed\": {elapsed}}}")).collect();
    let state = write(dir, "talk.json", &format!("{{\"at\": \"1m\", \"in_talk\": [{}]}}", talks.join(",")));
    let r = json_of(&["run", &sc, "--from", &state, "--format", "json"]);
    let p = &r["by_pool"]["p"];
    let busy = f(&p["occupancy"]) * f(&p["agents"]) * f(&r["horizon"]);
    busy / agents as f64
}

fn phi(z: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-z / std::f64::consts::SQRT_2)
}

#[test]
fn calls_in_talk_last_their_mean_residual_life_lognormal_and_exponential() {
    let dir = tempfile::tempdir().unwrap();
    let (agents, reps) = (50, 200);
    // Log-normal talk, mean 5m, sd 7m30s, six minutes in. With μ, σ of its log:
    // E[X | X > e] = e^{μ+σ²/2}·Φ((μ+σ²−ln e)/σ)/Φ((μ−ln e)/σ), and
    // E[X² | X > e] = e^{2μ+2σ²}·Φ((μ+2σ²−ln e)/σ)/Φ((μ−ln e)/σ).
    let (mean, sd, e) = (300.0f64, 450.0f64, 360.0f64);
    let s2 = (1.0 + (sd / mean).powi(2)).ln();
    let (mu, s) = (mean.ln() - s2 / 2.0, s2.sqrt());
    let tail = phi((mu - e.ln()) / s);
    let m1 = mean * phi((mu + s2 - e.ln()) / s) / tail;
    let m2 = (2.0 * mu + 2.0 * s2).exp() * phi((mu + 2.0 * s2 - e.ln()) / s) / tail;
    let want = m1 - e;
    let var = m2 - 2.0 * e * m1 + e * e - want * want;
    let se = (var / f64::from(agents * reps)).sqrt();
    let got = mean_rest_of_talk(dir.path(), "lognormal(5m, 7m30s)", e, agents as usize, reps);
    assert!((got - want).abs() < 4.0 * se, "log-normal: rest {got}s, mean residual life {want}s ± {se}");
    assert!(got > 1.4 * mean, "six minutes in, more is left ({got}s) than a fresh call's {mean}s");
    // Exponential: memoryless, ten minutes in the rest is a fresh call (mean 4m, sd 4m).
    let got = mean_rest_of_talk(dir.path(), "exp(4m)", 600.0, agents as usize, reps);
    let se = 240.0 / f64::from(agents * reps).sqrt();
    assert!((got - 240.0).abs() < 4.0 * se, "exponential: rest {got}s, expected 240s ± {se}");
}

#[test]
fn a_snapshot_from_a_logged_run_at_1040_reproduces_its_afternoon() {
    let dir = tempfile::tempdir().unwrap();
    let sc = DAY.replace("ARRIVALS", "100/h").replace("AGENTS", "10").replace("replications: 40", "replications: 30");
    let sc = write(dir.path(), "day.yaml", &sc);
    let log = dir.path().join("calls.csv").display().to_string();
    let whole = json_of(&["run", &sc, "--log", &log, "--format", "json"]);
    let state = dir.path().join("state.json").display().to_string();
    let o = shop(&["state", &log, "--at", "10:40", "--opens", "08:00", "--date", "3", "--out", &state]);
    assert!(o.status.success(), "{}", stderr(&o));
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    // 10 agents at 83% load: several in talk at any moment.
    let in_talk = snapshot["in_talk"].as_array().unwrap().len();
    assert!(in_talk >= 4, "{snapshot}");
    assert!(f(&snapshot["arrived_so_far"]["retail"]) > 200.0, "{snapshot}");
    let from = json_of(&["run", &sc, "--from", &state, "--replications", "200", "--format", "json"]);
    // The afternoon, 13:00–16:00: the last six intervals of both reports.
    let afternoon = |r: &Value, reps: f64| {
        let iv = r["by_interval"].as_array().unwrap();
        let last: Vec<&Value> = iv[iv.len() - 6..].iter().collect();
        assert_eq!(last[0]["label"], "13:00–13:30");
        let calls: f64 = last.iter().map(|i| f(&i["calls"])).sum();
        let answered_within: f64 =
            last.iter().map(|i| f(&i["service_level"]) * (f(&i["answered"]) + f(&i["abandoned_queue"]))).sum();
        let reached: f64 = last.iter().map(|i| f(&i["answered"]) + f(&i["abandoned_queue"])).sum();
        (calls / reps, answered_within / reached, reached)
    };
    let (calls_a, sl_a, n_a) = afternoon(&whole, 30.0);
    let (calls_b, sl_b, n_b) = afternoon(&from, 200.0);
    // Poisson: 300 calls an afternoon, sd √300 a day.
    let se_calls = (300.0 / 30.0 + 300.0 / 200.0f64).sqrt();
    assert!((calls_a - calls_b).abs() < 4.0 * se_calls, "calls per afternoon {calls_a} vs {calls_b}");
    // Service level: binomial error, doubled for the days' own swings.
    let p = (sl_a + sl_b) / 2.0;
    let se_sl = 2.0 * (p * (1.0 - p) * (1.0 / n_a + 1.0 / n_b)).sqrt();
    assert!((sl_a - sl_b).abs() < 4.0 * se_sl, "afternoon service level {sl_a} vs {sl_b} (± {se_sl})");
}

#[test]
fn shop_state_writes_a_snapshot_its_schema_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let sc = DAY.replace("ARRIVALS", "120/h").replace("AGENTS", "9").replace("replications: 40", "replications: 2");
    let sc = write(dir.path(), "day.yaml", &sc);
    let log = dir.path().join("calls.csv").display().to_string();
    assert!(shop(&["run", &sc, "--log", &log, "--format", "json"]).status.success());
    let snapshot: Value = {
        let o = shop(&["state", &log, "--at", "2h40m"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    assert_eq!(snapshot["at"], "2h40m");
    let schema: Value = serde_json::from_str(&stdout(&shop(&["state", "--schema"]))).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&snapshot), "{snapshot}");
    assert!(!validator.is_valid(&serde_json::json!({"on_hold": [{"caller": "a"}]})), "held is required");
    // Every caller held and talking is retail, on the queue and pool of the design.
    for h in snapshot["on_hold"].as_array().unwrap() {
        assert_eq!(h["queue"], "billing");
        assert!(f(&h["held"]) >= 0.0);
    }
    for t in snapshot["in_talk"].as_array().unwrap() {
        assert_eq!(t["pool"], "team");
    }
    // The scenario `shop fit` makes of the log keeps its queue and pool names:
    // the snapshot runs on it.
    let fitted = dir.path().join("fitted.yaml").display().to_string();
    assert!(shop(&["fit", &log, "--out", &fitted]).status.success());
    let state = write(dir.path(), "state.json", &snapshot.to_string());
    let o = shop(&["run", &fitted, "--from", &state, "--replications", "2", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A clock time for a `shop` log needs the opening.
    let o = shop(&["state", &log, "--at", "10:40"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--opens"), "{}", stderr(&o));
    // Inside the day's calls no note; after them an empty snapshot says why.
    assert!(!stderr(&shop(&["state", &log, "--at", "2h40m"])).contains("note:"));
    let o = shop(&["state", &log, "--at", "30h"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("note: nobody was on hold or in talk at 30h"), "{}", stderr(&o));
    assert!(stderr(&o).contains("(from the opening)"), "{}", stderr(&o));
}

#[test]
fn a_snapshot_outside_a_dated_logs_calls_says_when_they_ran() {
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/bank_log.csv");
    let o = shop(&["state", log, "--at", "03:40"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("nobody was on hold or in talk at 03:40 on 1999-01-04: the day's calls run from 07:"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&shop(&["state", log, "--at", "10:40"])).contains("note:"));
}

/// A bank's log records no queue: its callers start in the fitted design's
/// menu, so the snapshot's callers go to the queue their menu path reaches.
#[test]
fn a_snapshot_of_a_banks_log_runs_on_the_design_fitted_from_that_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/bank_log.csv");
    let fitted = dir.path().join("fitted.yaml").display().to_string();
    let o = shop(&["fit", log, "--schema", "anonymous-bank", "--out", &fitted]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = shop(&["state", log, "--schema", "anonymous-bank", "--at", "14:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let snapshot: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!((snapshot["on_hold"].as_array().unwrap().len(), snapshot["in_talk"].as_array().unwrap().len()), (1, 4));
    assert!(snapshot["on_hold"][0].get("queue").is_none(), "the log names no queue: {snapshot}");
    let state = write(dir.path(), "state.json", &snapshot.to_string());
    let v = json_of(&["run", &fitted, "--from", &state, "--replications", "3", "--format", "json"]);
    assert_eq!(v["intraday"]["snapshot"]["on_hold"], 1);
    assert_eq!(v["intraday"]["snapshot"]["in_talk"], 4);
    // Reasons that reach different queues leave the queue to be named.
    let two = "seed: 1\nreplications: 2\nhorizon: 4h\nstart: m\n\
callers:\n  c: { arrivals: 10/h, reasons: { a: 0.5, b: 0.5 } }\n\
menu:\n  m:\n    prompt: \"For a press 1, for b press 2.\"\n    options:\n\
\x20     \"1\": { for: [a], to: qa }\n      \"2\": { for: [b], to: qb }\n\
queues:\n  qa: { pools: [p] }\n  qb: { pools: [p] }\npools:\n  p: { agents: 2, handle: exp(3m) }\n";
    let sc = write(dir.path(), "two.yaml", two);
    let held = write(dir.path(), "held.json", r#"{"at": "1h", "on_hold": [{"caller": "c", "held": 30}]}"#);
    let o = shop(&["run", &sc, "--from", &held]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("reasons lead to different queues"), "{}", stderr(&o));
    let with_reason =
        write(dir.path(), "b.json", r#"{"at": "1h", "on_hold": [{"caller": "c", "reason": "b", "held": 30}]}"#);
    let o = shop(&["run", &sc, "--from", &with_reason, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn unknown_names_and_bad_values_are_refused_with_what_exists() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "day.yaml", &DAY.replace("ARRIVALS", "100/h").replace("AGENTS", "10"));
    let bad = write(
        dir.path(),
        "bad.json",
        "{\"at\": \"10:40\", \"on_hold\": [{\"caller\": \"vip\", \"held\": 3}, {\"caller\": \"retail\", \"queue\": \"sales\", \"held\": 3}],\n \"in_talk\": [{\"pool\": \"tech\", \"caller\": \"retail\", \"elapsed\": 10}]}",
    );
    let o = shop(&["run", &sc, "--from", &bad]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    for part in [
        "on_hold[0].caller",
        "no caller type `vip`",
        "the caller types are: retail",
        "on_hold[1].queue",
        "the queues are: billing",
        "in_talk[0].pool",
        "the pools are: team",
        "3 errors",
    ] {
        assert!(e.contains(part), "{part}: {e}");
    }
    let typo = write(
        dir.path(),
        "typo.json",
        "{\n  \"at\": \"10:40\",\n  \"on_hold\": [\n    {\"caller\": \"retail\", \"held\": \"3m\"}\n  ]\n}\n",
    );
    let o = shop(&["run", &sc, "--from", &typo]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("typo.json:4:") && e.contains("on_hold[0].held") && e.contains("expected f64"), "{e}");
    // Too few agents on duty for those in talk.
    let short = write(
        dir.path(),
        "short.json",
        "{\"at\": \"10:40\", \"agents\": {\"team\": {\"on_duty\": 1, \"on_break_until\": [\"10:50\"]}}, \"in_talk\": [{\"caller\": \"retail\", \"elapsed\": 5}]}",
    );
    let o = shop(&["run", &sc, "--from", &short]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at least 2"), "{}", stderr(&o));
}

#[test]
fn compare_from_a_snapshot_puts_both_designs_on_the_same_callers() {
    let dir = tempfile::tempdir().unwrap();
    let a = DAY.replace("ARRIVALS", "110/h").replace("AGENTS", "10").replace("replications: 40", "replications: 30");
    // "Two more agents on the phones now": a step at the snapshot's moment.
    let b = a.replace("agents: 10", "agents: [{from: 0s, agents: 10}, {from: 2h40m, agents: 12}]");
    let (a, b) = (write(dir.path(), "a.yaml", &a), write(dir.path(), "b.yaml", &b));
    let held: Vec<String> = (0..14).map(|i| format!("{{\"caller\": \"retail\", \"held\": {}}}", 10 * i)).collect();
    let talking: Vec<String> =
        (0..10).map(|i| format!("{{\"caller\": \"retail\", \"elapsed\": {}}}", 30 * i)).collect();
    let state =
        format!("{{\"at\": \"10:40\", \"on_hold\": [{}], \"in_talk\": [{}]}}", held.join(","), talking.join(","));
    let state = write(dir.path(), "state.json", &state);
    let c = json_of(&["compare", &a, &b, "--from", &state, "--format", "json"]);
    assert_eq!(c["a"]["calls"], c["b"]["calls"], "the same callers on both sides");
    let sl = &c["overall"]["service_level"];
    assert!(f(&sl["b"]) > f(&sl["a"]), "{sl}");
    assert_eq!(sl["verdict"], "better", "{sl}");
    assert_eq!(c["by_interval"][0]["label"], "10:30–11:00", "from the snapshot's interval on");
    // Two more agents clear the 14 waiting sooner, on the same callers.
    let q = &c["queue_clears"];
    assert!(f(&q["diff_seconds"]) < 0.0 && f(&q["diff_ci95"][1]) < 0.0, "{q}");
    assert_eq!(q["verdict"], "better", "{q}");
    assert_eq!(q["not_paired"], 0);
}

#[test]
fn rescale_scales_the_rest_of_the_day_by_actual_over_planned() {
    let dir = tempfile::tempdir().unwrap();
    let sc = DAY.replace("ARRIVALS", "100/h").replace("AGENTS", "14").replace("replications: 40", "replications: 100");
    let sc = write(dir.path(), "day.yaml", &sc);
    // 08:00–10:40 plans 266.7 calls; 400 came: the rest of the day × 1.5.
    let state = write(dir.path(), "s.json", "{\"at\": \"10:40\", \"arrived_so_far\": {\"retail\": 400}}");
    let plain = json_of(&["run", &sc, "--from", &state, "--format", "json"]);
    let scaled = json_of(&["run", &sc, "--from", &state, "--rescale", "--format", "json"]);
    let r = &scaled["intraday"]["rescaled"]["retail"];
    assert!((f(&r["factor"]) - 1.5).abs() < 1e-6, "{r}");
    assert!((f(&r["planned"]) - 800.0 / 3.0).abs() < 1e-3, "{r}");
    // 5h20m left at 100/h: 533.3 calls a day, 800 rescaled (Poisson, 100 days).
    let calls = |r: &Value| f(&r["overall"]["calls"]) / 100.0;
    let se = (800.0f64 / 100.0).sqrt();
    assert!((calls(&plain) - 1600.0 / 3.0).abs() < 4.0 * se, "{}", calls(&plain));
    assert!((calls(&scaled) - 800.0).abs() < 4.0 * se, "{}", calls(&scaled));
    assert!(plain["intraday"].get("rescaled").is_none());
    // --at 12:00 moves the start, not the window the 400 calls were counted in.
    let later = json_of(&["run", &sc, "--from", &state, "--at", "12:00", "--rescale", "--format", "json"]);
    let r = &later["intraday"]["rescaled"]["retail"];
    assert!((f(&r["factor"]) - 1.5).abs() < 1e-6, "{r}");
}

#[test]
fn chats_emails_and_callbacks_start_from_the_snapshot_alike_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let sc = "seed: 9\nreplications: 12\nopens: \"08:00\"\nhorizon: 9h\n\
              callers:\n  caller: { arrivals: 60/h, patience: exp(3m), entry: phones }\n\
              \x20 chatter: { channel: chat, arrivals: 20/h, patience: exp(6m), entry: chats }\n\
              \x20 writer: { channel: email, arrivals: 10/h, response_target: 8h, entry: inbox }\n\
              queues:\n  phones:\n    pools: [team]\n    callback: { offer_when_ewt_over: 30s, accept: 0.5, keep_place: false, reach: 0.85, attempts: 3, retry_after: 10m, dial: 20s }\n\
              \x20 chats: { pools: [team] }\n  inbox: { pools: [team] }\n\
              pools:\n  team: { agents: 8, handle: \"lognormal(5m, 3m)\", wrap_up: 30s, concurrency: { chat: 3 } }\n";
    let sc = write(dir.path(), "blend.yaml", sc);
    let state = write(
        dir.path(),
        "s.json",
        r#"{"at": "10:40",
            "on_hold": [{"caller": "caller", "held": 120}, {"caller": "chatter", "held": 60}, {"caller": "writer", "held": 3000}],
            "in_talk": [{"caller": "caller", "elapsed": 100}, {"caller": "chatter", "elapsed": 50}, {"caller": "caller", "elapsed": 10, "wrap_up": true}],
            "agents": {"team": {"on_duty": 8, "on_break_until": ["10:50"]}},
            "callbacks": [{"caller": "caller", "waited": 900, "attempts": 1, "due": "10:45"}, {"caller": "caller", "waited": 300}],
            "emails": [{"caller": "writer", "age": 7200}]}"#,
    );
    let run = |threads: &str| {
        let o = shop(&["run", &sc, "--from", &state, "--format", "json", "--threads", threads]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let one = run("1");
    assert_eq!(one, run("2"), "the same bytes on any thread count");
    let r: Value = serde_json::from_str(&one).unwrap();
    let s = &r["intraday"]["snapshot"];
    assert_eq!((s["on_hold"].clone(), s["emails"].clone(), s["callbacks"].clone()), (2.into(), 2.into(), 2.into()));
    assert_eq!(s["agents"]["team"]["on_break"], 1);
    // The two open emails are among the inbox's contacts of every day.
    let inbox = f(&r["by_queue"]["inbox"]["calls"]) / 12.0;
    assert!(inbox >= 2.0 + 40.0, "{inbox} emails a day");
}

#[test]
fn callers_on_hold_keep_the_patience_left_after_their_hold() {
    // Nobody answers (no agent on duty, no new calls): each caller on hold for
    // e = 2m hangs up after the rest of a log-normal patience (mean 2m, sd 3m)
    // given it has lasted 2m. Their whole hold is e + that rest, whose mean is
    // E[X | X > e] (closed form as in the talk test).
    let dir = tempfile::tempdir().unwrap();
    let sc = "seed: 2\nreplications: 200\nhorizon: 8h\ncallers:\n  c: { arrivals: 0/h, patience: \"lognormal(2m, 3m)\" }\n\
              queues:\n  q: { pools: [p] }\npools:\n  p: { agents: 3, handle: 5m }\nstart: q\n";
    let sc = write(dir.path(), "p.yaml", sc);
    let held: Vec<String> = (0..40).map(|_| "{\"caller\": \"c\", \"held\": 120}".to_string()).collect();
    let state =
        format!("{{\"at\": \"10m\", \"agents\": {{\"p\": {{\"on_duty\": 0}}}}, \"on_hold\": [{}]}}", held.join(","));
    let state = write(dir.path(), "p.json", &state);
    let r = json_of(&["run", &sc, "--from", &state, "--format", "json"]);
    let (mean, sd, e) = (120.0f64, 180.0f64, 120.0f64);
    let s2 = (1.0 + (sd / mean).powi(2)).ln();
    let (mu, s) = (mean.ln() - s2 / 2.0, s2.sqrt());
    let tail = phi((mu - e.ln()) / s);
    let m1 = mean * phi((mu + s2 - e.ln()) / s) / tail;
    let m2 = (2.0 * mu + 2.0 * s2).exp() * phi((mu + 2.0 * s2 - e.ln()) / s) / tail;
    let se = ((m2 - m1 * m1) / 8000.0).sqrt();
    let q = &r["by_queue"]["q"];
    assert_eq!(f(&q["abandoned"]), 8000.0, "all 40 hang up, every day");
    let got = f(&q["wait"]["mean"]);
    assert!((got - m1).abs() < 4.0 * se, "mean hold {got}s, expected {m1}s ± {se}");
    assert!(m1 > 2.0 * e, "two minutes in, they hold on longer than a fresh caller's 2m");
}
