//! `shop replay` and `compare`/`check --traffic` through the binary: a log
//! replayed through the design that made it gives the run's figures back; a
//! logged hang-up's patience is its logged hold, a served caller's patience
//! exceeds the hold they accepted; one agent more or fewer shows on the same
//! traffic; bank logs replay through the scenario fitted from them; a log whose
//! rows are shuffled replays to the same bytes.

use std::path::{Path, PathBuf};

use crate::cmd::{shop, stderr, stdout};
use serde_json::Value;

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write a test file");
    p
}

/// `shop ARGS --format json`: the document, or a panic with stderr.
fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let o = shop(&all);
    assert!(o.status.success(), "shop {}: {}", args.join(" "), stderr(&o));
    serde_json::from_slice(&o.stdout).expect("a JSON report")
}

/// A single queue at about 90% load, callers hanging up after exp(3m).
fn line(agents: u32) -> String {
    format!(
        "name: replayed line\nseed: 3\nreplications: 20\nhorizon: 8h\nstart: support\n\
         callers:\n  customer: {{ arrivals: 100/h, patience: exp(3m) }}\n\
         queues:\n  support: {{ pools: [team] }}\n\
         pools:\n  team: {{ agents: {agents}, handle: exp(5m) }}\n"
    )
}

/// A day with one agent and patience exp(1m): `rows` after a first call
/// (dialed at 0) that the log has talking for 10 hours, so the agent is never
/// free again and every later caller holds until their patience runs out.
fn one_busy_agent(dir: &Path, rows: &str) -> (PathBuf, PathBuf) {
    let sc = write(
        dir,
        "busy.yaml",
        "name: one busy agent\nseed: 5\nreplications: 200\nhorizon: 8h\nstart: desk\n\
         callers:\n  customer: { arrivals: 10/h, patience: exp(1m) }\n\
         queues:\n  desk: { pools: [team] }\npools:\n  team: { agents: 1, handle: exp(5m) }\n",
    );
    let log = write(
        dir,
        "tiny.csv",
        &format!(
            "replication,caller,dial,entered_queue,answered,ended,outcome,hold,talk\n\
             0,customer,0,0,0,36000,resolved,0,36000\n{rows}"
        ),
    );
    (sc, log)
}

#[test]
fn a_log_replayed_through_the_design_that_made_it_gives_the_runs_figures_back() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "line.yaml", &line(9));
    let log = dir.path().join("calls.csv");
    let run = json(&["run", s(&sc), "--log", s(&log)]);
    let replay = json(&["replay", s(&log), s(&sc), "--replications", "3"]);
    let (r, p) = (&run["overall"], &replay["overall"]);
    // The same callers: every logged call once per replication.
    assert_eq!(num(&p["calls"]), 3.0 * num(&r["calls"]));
    let (ra, pa) = (num(&r["abandon_rate"]), num(&p["abandon_rate"]));
    assert!((ra - pa).abs() <= 0.01, "abandon rate: run {ra}, replay {pa}");
    let (rw, pw) = (num(&r["wait"]["mean"]), num(&p["wait"]["mean"]));
    assert!((rw - pw).abs() <= 0.05 * rw, "mean wait: run {rw}, replay {pw}");
    // The log's days are the report's days: 20 logged days × 3 replications.
    assert_eq!(replay["days"], 20);
    let days = replay["by_day"].as_array().expect("by_day");
    assert_eq!(days.len(), 60);
    let logged_calls: f64 = run["by_day"].as_array().map_or(0.0, |d| d.iter().map(|x| num(&x["calls"])).sum());
    let first_rep: f64 = days.iter().filter(|d| d["replication"] == 0).map(|d| num(&d["calls"])).sum();
    assert!(logged_calls == 0.0 || logged_calls == first_rep);
    assert_eq!(first_rep, num(&r["calls"]));
}

/// One caller type with two reasons, each to its own queue and pool: short
/// talks (3m) for 70% of the callers, long ones (15m) for 30%.
const TWO_REASONS: &str = "name: two queues\nseed: 3\nreplications: 30\nhorizon: 8h\n\
     callers:\n  cust:\n    arrivals: 100/h\n    reasons: { short: 0.7, long: 0.3 }\n    patience: exp(3m)\n    \
     accuracy: 1\n    menu_patience: never\n    entry: main\n\
     menu:\n  main:\n    duration: 10s\n    barge_in: false\n    accuracy: 1\n    options:\n      \
     \"1\": { for: [short], to: qs }\n      \"2\": { for: [long], to: ql }\n\
     queues:\n  qs: { pools: [fast] }\n  ql: { pools: [slow] }\n\
     pools:\n  fast: { agents: 6, handle: 3m, resolves: { short: 1 } }\n  \
     slow: { agents: 9, handle: 15m, resolves: { long: 1 } }\n";

/// Abandon rate and mean wait of a report's whole day.
fn abandon_and_wait(r: &Value) -> (f64, f64) {
    (num(&r["overall"]["abandon_rate"]), num(&r["overall"]["wait"]["mean"]))
}

#[test]
fn a_callers_logged_reason_is_kept_so_a_long_talk_goes_to_the_pool_for_long_talks() {
    // Redrawing the reason while keeping the logged talk sent 15-minute talks
    // to the 3-minute pool: abandon 19.9% against the run's 4.8%.
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "two.yaml", TWO_REASONS);
    let log = dir.path().join("calls.csv");
    let run = json(&["run", s(&sc), "--log", s(&log)]);
    let replay = json(&["replay", s(&log), s(&sc), "--replications", "3"]);
    let ((ra, rw), (pa, pw)) = (abandon_and_wait(&run), abandon_and_wait(&replay));
    assert!((ra - pa).abs() <= 0.01, "abandon rate: run {ra}, replay {pa}");
    assert!((rw - pw).abs() <= 0.05 * rw, "mean wait: run {rw}, replay {pw}");
}

#[test]
fn without_a_logged_reason_an_answered_callers_reason_follows_their_talk_time() {
    // The same log without its `reason` column (as a real log): an answered
    // caller's reason is drawn given the logged talk, so talks stay in their
    // pools; callers never answered draw theirs as in a run.
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "two.yaml", TWO_REASONS);
    let log = dir.path().join("calls.csv");
    let run = json(&["run", s(&sc), "--log", s(&log)]);
    let text = std::fs::read_to_string(&log).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|c| *c == "reason").expect("a reason column");
    let dropped: String = text
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(',').collect();
            f.remove(at);
            f.join(",") + "\n"
        })
        .collect();
    let plain = write(dir.path(), "no_reason.csv", &dropped);
    let replay = json(&["replay", s(&plain), s(&sc), "--replications", "3"]);
    let ((ra, rw), (pa, pw)) = (abandon_and_wait(&run), abandon_and_wait(&replay));
    assert!((ra - pa).abs() <= 0.03, "abandon rate: run {ra}, replay {pa}");
    assert!((rw - pw).abs() <= 0.15 * rw, "mean wait: run {rw}, replay {pw}");
}

#[test]
fn a_design_with_redials_takes_the_logs_redials_from_its_own() {
    // known.yaml redials 30% of its retail hang-ups: the log's redials are left
    // to the design, and the figures still come back.
    let dir = tempfile::tempdir().unwrap();
    let known = crate::cmd::fixture("logs/known.yaml");
    let log = dir.path().join("calls.csv");
    let run = json(&["run", s(&known), "--log", s(&log), "--replications", "10"]);
    let o = shop(&["replay", s(&log), s(&known), "--replications", "4", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("left to its `redial:`"), "{}", stderr(&o));
    let replay: Value = serde_json::from_slice(&o.stdout).unwrap();
    let (r, p) = (&run["overall"], &replay["overall"]);
    let (ra, pa) = (num(&r["abandon_rate"]), num(&p["abandon_rate"]));
    assert!((ra - pa).abs() <= 0.01, "abandon rate: run {ra}, replay {pa}");
    let (rw, pw) = (num(&r["wait"]["mean"]), num(&p["wait"]["mean"]));
    assert!((rw - pw).abs() <= 0.05 * rw, "mean wait: run {rw}, replay {pw}");
    // First calls are the log's, exactly (one per logged caller, each replication).
    assert_eq!(num(&p["callers"]), 4.0 * num(&r["callers"]));
}

#[test]
fn a_caller_who_hung_up_in_the_log_hangs_up_after_the_same_hold() {
    let dir = tempfile::tempdir().unwrap();
    let (sc, log) = one_busy_agent(dir.path(), "0,customer,60,60,,197.5,abandoned_queue,137.5,\n");
    let r = json(&["replay", s(&log), s(&sc), "--replications", "20"]);
    let days = r["by_day"].as_array().expect("by_day");
    assert_eq!(days.len(), 20);
    for d in days {
        // The first caller was answered at once: the longest hold is the second's.
        assert!((num(&d["wait"]["max"]) - 137.5).abs() < 1e-3, "{d}");
        assert_eq!(num(&d["abandon_rate"]), 0.5, "{d}");
    }
    // --redraw handle: the first caller's talk is the design's exp(5m), not
    // the logged 10 hours, so the agent is often free for the second in time.
    let r = json(&["replay", s(&log), s(&sc), "--replications", "20", "--redraw", "handle"]);
    let abandon = num(&r["overall"]["abandon_rate"]);
    assert!(abandon < 0.4, "abandon rate with talk times redrawn: {abandon}");
}

#[test]
fn a_served_caller_holds_at_least_as_long_as_the_log_saw_them_accept() {
    let dir = tempfile::tempdir().unwrap();
    // Answered after 10 minutes on hold in the log; nobody answers in the design.
    let (sc, log) = one_busy_agent(dir.path(), "0,customer,60,60,660,720,resolved,600,60\n");
    let r = json(&["replay", s(&log), s(&sc)]);
    let days = r["by_day"].as_array().expect("by_day");
    assert_eq!(days.len(), 200);
    let holds: Vec<f64> = days.iter().map(|d| num(&d["wait"]["max"])).collect();
    assert!(
        holds.iter().all(|h| *h >= 600.0),
        "a hold below 600 s: {:?}",
        holds.iter().copied().fold(f64::INFINITY, f64::min)
    );
    // Patience exp(1m) given that it exceeds 600 s is 600 s + exp(1m): the mean
    // of 200 is 660 s with a standard error of 60/√200 ≈ 4.2 s.
    let mean = holds.iter().sum::<f64>() / holds.len() as f64;
    assert!((mean - 660.0).abs() < 15.0, "mean hold {mean}");
    assert!(holds.iter().any(|h| *h > 700.0), "patience beyond the logged hold is drawn, not fixed");
}

#[test]
fn one_agent_more_lowers_the_wait_and_check_fails_one_fewer_on_the_same_traffic() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.yaml", &line(9));
    let more = write(dir.path(), "more.yaml", &line(10));
    let fewer = write(dir.path(), "fewer.yaml", &line(8));
    let log = dir.path().join("last_month.csv");
    let o = shop(&["run", s(&base), "--log", s(&log), "--replications", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let wait = |sc: &Path| num(&json(&["replay", s(&log), s(sc), "--replications", "4"])["overall"]["wait"]["mean"]);
    let (w9, w10) = (wait(&base), wait(&more));
    assert!(w10 < 0.8 * w9, "mean wait with 10 agents {w10}, with 9 {w9}");
    let c = json(&["compare", s(&base), s(&more), "--traffic", s(&log), "--replications", "4"]);
    assert!(c.to_string().contains("wait"), "{c}");
    let o = shop(&["check", s(&base), s(&fewer), "--traffic", s(&log), "--replications", "4"]);
    assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("FAIL"), "{}", stdout(&o));
    // The logged days are paired day by day: a day gate sees the worst logged day worsen.
    let o = shop(&[
        "check",
        s(&base),
        s(&fewer),
        "--traffic",
        s(&log),
        "--replications",
        "4",
        "--gate",
        "worst_day.service_level >= -2pt",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("worst_day.service_level"), "{}", stdout(&o));
    let o = shop(&["check", s(&base), s(&more), "--traffic", s(&log), "--replications", "4"]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
}

#[test]
fn a_bank_log_replays_through_the_scenario_fitted_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let log = root.join("examples/bank_log.csv");
    let fitted = dir.path().join("fitted.yaml");
    let o = shop(&["fit", s(&log), "--schema", "anonymous-bank", "--out", s(&fitted)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let b = json(&["backtest", s(&log), s(&fitted)]);
    let r = json(&["replay", s(&log), s(&fitted), "--replications", "10"]);
    assert_eq!(r["days"], 2);
    assert_eq!(r["by_day"].as_array().map(Vec::len), Some(20));
    let (la, ra) = (num(&b["overall"]["actual"]["abandon_rate"]), num(&r["overall"]["abandon_rate"]));
    assert!((la - ra).abs() < 0.02, "abandon rate: log {la}, replay {ra}");
    let (lw, rw) = (num(&b["overall"]["actual"]["wait"]["mean"]), num(&r["overall"]["wait"]["mean"]));
    assert!((lw - rw).abs() < 0.2 * lw, "mean wait: log {lw}, replay {rw}");
    // --last keeps the last day only.
    let r = json(&["replay", s(&log), s(&fitted), "--replications", "3", "--last", "1d"]);
    assert_eq!(r["by_day"].as_array().map(Vec::len), Some(3));
    // A scenario fitted for a day type replays the log's days of that type only
    // (the log's days are a Monday and a Tuesday).
    let text = std::fs::read_to_string(&fitted).unwrap();
    let tuesdays = write(dir.path(), "tue.yaml", &format!("# day type: tuesdays (Tue)\n{text}"));
    let o = shop(&["replay", s(&log), s(&tuesdays), "--replications", "3", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    // One day (the report leaves `days` out when it is 1), three replications of it.
    assert_eq!((r["days"].as_u64().unwrap_or(1), r["by_day"].as_array().map(Vec::len)), (1, Some(3)));
    assert!(stderr(&o).contains("of day type `tuesdays`"), "{}", stderr(&o));
    let sundays = write(dir.path(), "sun.yaml", &format!("# day type: sundays (Sun)\n{text}"));
    let o = shop(&["replay", s(&log), s(&sundays)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no day of the scenario's day type `sundays`"), "{}", stderr(&o));
}

#[test]
fn an_unmapped_caller_type_is_refused_naming_both_sides_and_map_fixes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (sc, log) = one_busy_agent(dir.path(), "0,walk_in,60,60,,197.5,abandoned_queue,137.5,\n");
    let o = shop(&["replay", s(&log), s(&sc)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("`walk_in`") && err.contains("`customer`") && err.contains("--map"), "{err}");
    let o = shop(&["replay", s(&log), s(&sc), "--map", "walk_in=customer", "--replications", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = shop(&["replay", s(&log), s(&sc), "--map", "walk_in=nobody"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no caller type `nobody`"), "{}", stderr(&o));
    let o = shop(&["replay", s(&log), s(&sc), "--map", "walk_in=customer", "--map", "walk_in=nobody"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`walk_in` is already mapped"), "{}", stderr(&o));
    let o = shop(&["compare", s(&sc), s(&sc), "--map", "walk_in=customer"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--traffic"), "{}", stderr(&o));
}

#[test]
fn shuffled_rows_and_any_thread_count_replay_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "line.yaml", &line(9));
    let log = dir.path().join("calls.csv");
    let o = shop(&["run", s(&sc), "--log", s(&log), "--replications", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Reverse the rows: days interleave nowhere but every day's calls come last-first.
    let text = std::fs::read_to_string(&log).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let reversed = write(dir.path(), "reversed.csv", &format!("{header}\n{}\n", lines.join("\n")));
    // Interleave the days: odd rows first, then even ones.
    let odd = lines.iter().copied().skip(1).step_by(2);
    let mixed: Vec<&str> = odd.chain(lines.iter().copied().step_by(2)).collect();
    let mixed = write(dir.path(), "mixed.csv", &format!("{header}\n{}\n", mixed.join("\n")));
    let report = |log: &Path, threads: &str| {
        let o = shop(&["replay", s(log), s(&sc), "--replications", "3", "--threads", threads, "--format", "json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        (stdout(&o), stderr(&o))
    };
    let (a, _) = report(&log, "1");
    assert_eq!(a, report(&log, "2").0);
    assert_eq!(a, report(&reversed, "2").0);
    let (b, note) = report(&mixed, "1");
    assert_eq!(a, b);
    assert!(note.contains("interleaved"), "{note}");
}

/// A blended day (no callbacks, one day, no carried backlog): phones, chats
/// held three at a time and slowed by each other, emails put down for calls.
const BLENDED: &str = "name: blended\nseed: 4\nreplications: 12\nhorizon: 6h\n\
     callers:\n  caller: { arrivals: 70/h, patience: exp(3m), entry: phones }\n  \
     chatter: { channel: chat, arrivals: 30/h, patience: exp(6m), entry: chats }\n  \
     writer: { channel: email, arrivals: 15/h, entry: inbox }\n\
     queues:\n  phones: { pools: [team] }\n  chats: { pools: [team] }\n  inbox: { pools: [team] }\n\
     pools:\n  team:\n    agents: 9\n    handle: lognormal(5m, 3m)\n    wrap_up: 30s\n    \
     concurrency: { chat: 3 }\n    concurrency_slowdown: 0.25\n    email_interruptible: true\n    \
     channel_priority: [voice, chat, email]\n";

#[test]
fn a_blended_log_replays_its_chats_and_emails_and_gives_the_runs_figures_back() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "blended.yaml", BLENDED);
    let log = dir.path().join("calls.csv");
    let run = json(&["run", s(&sc), "--log", s(&log)]);
    // A chat's logged work is its talk before the agent's other chats stretched it.
    let text = std::fs::read_to_string(&log).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap_or_default().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap_or(usize::MAX);
    let (talk, work, channel) = (col("talk"), col("work"), col("channel"));
    let chats: Vec<(f64, f64)> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[channel] == "chat" && !f[talk].is_empty())
        .map(|f| (f[talk].parse().unwrap_or(f64::NAN), f[work].parse().unwrap_or(f64::NAN)))
        .collect();
    assert!(chats.iter().all(|(t, w)| w <= t), "work never exceeds talk");
    assert!(chats.iter().any(|(t, w)| w < t), "some chats were stretched");
    // Without callbacks and announced waits, what the log fixes is all that
    // matters: every caller, chat and email comes back as it was.
    let o = shop(&["replay", s(&log), s(&sc), "--replications", "2", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("left out"), "{}", stderr(&o));
    let replay: Value = serde_json::from_slice(&o.stdout).expect("a JSON report");
    for (who, figure) in [("caller", "wait"), ("chatter", "wait"), ("writer", "response_time")] {
        let (r, p) = (&run["by_caller"][who], &replay["by_caller"][who]);
        assert_eq!(2.0 * num(&r["calls"]), num(&p["calls"]), "{who}");
        assert!(num(&r["calls"]) > 0.0, "{who}");
        let (rm, pm) = (num(&r[figure]["mean"]), num(&p[figure]["mean"]));
        assert!((rm - pm).abs() <= 1e-6 * rm.max(1.0), "{who} {figure}: run {rm}, replay {pm}");
    }
    let (ro, po) = (num(&run["by_pool"]["team"]["occupancy"]), num(&replay["by_pool"]["team"]["occupancy"]));
    assert!((ro - po).abs() < 1e-9, "occupancy: run {ro}, replay {po}");
}

#[test]
fn a_voice_design_replays_a_blended_logs_calls_and_leaves_its_chats_and_emails_out() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "blended.yaml", BLENDED);
    let log = dir.path().join("calls.csv");
    json(&["run", s(&sc), "--log", s(&log), "--replications", "2"]);
    let voice = write(dir.path(), "voice.yaml", &line(9).replace("customer:", "caller:"));
    let o = shop(&["replay", s(&log), s(&voice), "--replications", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("left out") && err.contains("`chatter`") && err.contains("`writer`"), "{err}");
    // A log type calls as a caller type of its own channel.
    let o = shop(&["replay", s(&log), s(&sc), "--map", "chatter=caller"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("chat contacts") && err.contains("voice caller type"), "{err}");
}

#[test]
fn a_chained_blended_log_carries_what_each_day_leaves_open_to_the_next_as_its_run_did() {
    // Three days in a replication; emails left at a close are worked the next morning.
    let design = BLENDED.replace("horizon: 6h\n", "horizon: 6h\ndays: 3\n").replace("arrivals: 15/h", "arrivals: 25/h");
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "chained.yaml", &design);
    let log = dir.path().join("calls.csv");
    let run = json(&["run", s(&sc), "--log", s(&log), "--replications", "6"]);
    let backlog = num(&run["by_caller"]["writer"]["backlog_end_of_day"]);
    assert!(backlog > 1.0, "emails are left at the closes: {backlog}");
    let replay = json(&["replay", s(&log), s(&sc), "--replications", "2"]);
    assert_eq!(replay["days"], 18, "6 replications × 3 days, one chain each");
    for (who, figure) in [("caller", "wait"), ("chatter", "wait"), ("writer", "response_time")] {
        let (r, p) = (&run["by_caller"][who], &replay["by_caller"][who]);
        let (rm, pm) = (num(&r[figure]["mean"]), num(&p[figure]["mean"]));
        assert!((rm - pm).abs() <= 1e-6 * rm.max(1.0), "{who} {figure}: run {rm}, replay {pm}");
    }
    let w = |v: &Value, k: &str| num(&v["by_caller"]["writer"][k]);
    assert!((w(&run, "backlog_end_of_day") - w(&replay, "backlog_end_of_day")).abs() < 1e-9);
    assert_eq!(2.0 * w(&run, "open_at_end"), w(&replay, "open_at_end"));
}

#[test]
fn callers_who_left_on_hearing_the_wait_stay_on_a_design_that_tells_none_until_their_patience_runs_out() {
    // The log's queue announces the wait; the impatient leave on hearing it.
    let dir = tempfile::tempdir().unwrap();
    let told = "name: announced\nseed: 3\nreplications: 20\nhorizon: 8h\nstart: q\n\
         callers:\n  c: { arrivals: 100/h, patience: exp(3m) }\n\
         queues:\n  q: { pools: [team], announce_ewt: true }\n\
         pools:\n  team: { agents: 8, handle: exp(5m) }\n";
    let announced = write(dir.path(), "announced.yaml", told);
    let quiet = write(dir.path(), "quiet.yaml", &told.replace(", announce_ewt: true", ""));
    let log = dir.path().join("calls.csv");
    let run = json(&["run", s(&announced), "--log", s(&log)]);
    // The leavers' patience is drawn below the wait they heard, so without the
    // announcement they hold until it runs out, or are answered: the replay
    // gives what a run of the quiet design gives (measured with 40 days:
    // abandon 17.2% against 17.3%, mean wait 31.3 s against 31.1 s; before,
    // the leavers left at once and the replay gave the announcing design's
    // 18.7% and 20.6 s back).
    let replay = json(&["replay", s(&log), s(&quiet), "--replications", "3"]);
    let direct = json(&["run", s(&quiet)]);
    let (ra, rw) = abandon_and_wait(&replay);
    let (qa, qw) = abandon_and_wait(&direct);
    let (_, aw) = abandon_and_wait(&run);
    assert!((ra - qa).abs() <= 0.015, "abandon: replayed {ra:.3}, quiet design {qa:.3}");
    assert!((rw / qw - 1.0).abs() <= 0.12, "mean wait: replayed {rw:.1}s, quiet design {qw:.1}s");
    assert!(rw > 1.3 * aw, "the callers the announcement sent away now hold: {rw:.1}s against {aw:.1}s");
}
