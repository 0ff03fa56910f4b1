//! `shop backtest` through the binary: a scenario fitted to a simulated log
//! reproduces that log interval by interval (the round trip), the bundled bank
//! log sets beside the scenario it came from, every format writes, and broken
//! logs are counted or refused, never a panic.

use std::path::{Path, PathBuf};

use crate::cmd::{fixture, shop, stderr, stdout};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// `shop backtest LOG SCENARIO --format json ARGS`: the document and the exit code.
fn backtest_json(log: &Path, scenario: &Path, args: &[&str]) -> (Value, i32, String) {
    let mut all = vec!["backtest", s(log), s(scenario), "--format", "json"];
    all.extend_from_slice(args);
    let o = shop(&all);
    let v = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    (v, o.status.code().unwrap_or(-1), stderr(&o))
}

/// `run --log` of the known line, then `fit --schema shop`: (log, fitted scenario).
fn simulated_and_fitted(dir: &Path) -> (PathBuf, PathBuf) {
    let log = dir.join("calls.csv");
    let fitted = dir.join("fitted.yaml");
    let known = fixture("logs/known.yaml");
    let o = shop(&["run", s(&known), "--log", s(&log), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = shop(&["fit", s(&log), "--schema", "shop", "--out", s(&fitted)]);
    assert!(o.status.success(), "{}", stderr(&o));
    (log, fitted)
}

#[test]
fn a_scenario_fitted_to_a_log_reproduces_it_interval_by_interval() {
    let dir = tempfile::tempdir().unwrap();
    let (log, fitted) = simulated_and_fitted(dir.path());
    let (b, code, err) = backtest_json(&log, &fitted, &["--schema", "shop"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(b["days"], 20);
    let intervals = b["intervals"].as_array().expect("intervals");
    assert_eq!(intervals.len(), 16, "8h by 30m");
    for i in intervals {
        let (a, sim) = (num(&i["actual"]["calls"]), num(&i["simulated"]["calls"]));
        // 40–80 calls an interval a day, averaged over 20 days on each side:
        // Poisson noise alone puts the two about 5% apart (one sd).
        assert!((a - sim).abs() <= 0.12 * a, "{}: calls/day {a} in the log, {sim} simulated", i["label"]);
        let ci = i["simulated"]["calls_ci95"].as_array().expect("an interval with 20 replications");
        assert!(num(&ci[0]) <= sim && sim <= num(&ci[1]));
    }
    let (a, sim) = (&b["overall"]["actual"], &b["overall"]["simulated"]);
    let close = |what: &str, x: f64, y: f64, tol: f64| assert!((x - y).abs() <= tol, "{what}: log {x}, simulated {y}");
    close("calls/day", num(&a["calls"]), num(&sim["calls"]), 0.03 * num(&a["calls"]));
    close("abandon rate", num(&a["abandon_rate"]), num(&sim["abandon_rate"]), 0.015);
    close("service level", num(&a["service_level"]), num(&sim["service_level"]), 0.04);
    close("mean wait", num(&a["wait"]["mean"]), num(&sim["wait"]["mean"]), 0.15 * num(&a["wait"]["mean"]));
    let e = &b["error"];
    assert!(num(&e["calls"]["mae"]) < 3.0, "{}", e["calls"]);
    assert!(num(&e["abandon_rate"]["mae"]) < 0.02, "{}", e["abandon_rate"]);
    assert!(num(&e["service_level"]["mae"]) < 0.05, "{}", e["service_level"]);
    assert!(num(&e["wait"]["mean"]["mae"]) < 5.0, "{}", e["wait"]["mean"]);
    assert!(num(&e["calls"]["within_ci95"]) >= 0.6, "{}", e["calls"]);
    assert_eq!(e["calls"]["intervals"], 16);
}

#[test]
fn the_bank_example_sits_beside_the_scenario_it_came_from() {
    let log = root().join("examples/bank_log.csv");
    let sc = root().join("examples/bank_line.yaml");
    // No --schema: the header says anonymous-bank.
    let (b, code, err) = backtest_json(&log, &sc, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(b["schema"], "anonymous-bank");
    assert_eq!(b["days"], 2);
    assert_eq!(b["skipped"][0]["reason"], "phantom call");
    assert_eq!(b["skipped"][0]["rows"], 6);
    // The scenario has no `opens`: time 0 is the log's first interval, said in a note.
    assert_eq!(b["time_zero"], "07:00");
    assert!(b["notes"][0].as_str().unwrap_or_default().contains("opens: \"07:00\""), "{}", b["notes"]);
    assert_eq!(b["intervals"][0]["label"], "07:00–07:30");
    // The log is this very simulation (same seed, 2 days) in the bank's layout,
    // rounded to whole seconds: the figures agree but for the rounding.
    let e = &b["error"];
    assert!(num(&e["calls"]["mae"]) < 0.1, "{}", e["calls"]);
    assert!(num(&e["abandon_rate"]["mae"]) < 0.005, "{}", e["abandon_rate"]);
    assert!(num(&e["service_level"]["mae"]) < 0.01, "{}", e["service_level"]);
    assert!(num(&e["wait"]["mean"]["mae"]) < 0.5, "{}", e["wait"]["mean"]);
    let (a, sim) = (&b["overall"]["actual"], &b["overall"]["simulated"]);
    assert!((num(&a["abandon_rate"]) - num(&sim["abandon_rate"])).abs() < 0.005);
}

#[test]
fn every_format_writes_and_out_picks_it_from_the_extension() {
    let log = root().join("examples/bank_log.csv");
    let sc = root().join("examples/bank_line.yaml");
    let args = |f: &'static str| vec!["backtest", s(&log), s(&sc), "--interval", "1h", "--format", f];
    let table = stdout(&shop(&args("table")));
    for want in ["Through the day: log / simulation", "Whole day", "07:00–08:00", "mean abs error", "phantom call"] {
        assert!(table.contains(want), "{want} in\n{table}");
    }
    // Errors of durations in their human form, differences that round to zero unsigned.
    let p95 = table.lines().find(|l| l.starts_with("│ p95 wait")).unwrap_or_default();
    let cells: Vec<&str> = p95.split('┆').map(|c| c.trim_matches([' ', '│'])).collect();
    assert!(cells.len() == 7 && cells[4].ends_with('s') && cells[5].ends_with('s'), "{p95}");
    assert!(!table.contains("-0.0") && !table.contains("+0.0") && !table.contains("-0s"), "{table}");
    let md = stdout(&shop(&args("markdown")));
    assert!(md.starts_with("## Backtest of") && md.contains("| interval |"), "{md}");
    let csv = stdout(&shop(&args("csv")));
    assert!(csv.starts_with("scope,name,metric,value\n"), "{csv}");
    assert!(csv.contains("interval,07:00–08:00,calls.actual,") && csv.contains("error,wait.mean,mae,"), "{csv}");
    assert!(csv.contains("overall,whole day,service_level.simulated_ci95.lo,"), "{csv}");
    let json: Value = serde_json::from_str(&stdout(&shop(&args("json")))).expect("JSON");
    assert_eq!(json["intervals"].as_array().map(Vec::len), Some(10));
    for key in ["calls", "answered", "abandon_rate", "service_level"] {
        assert!(json["intervals"][0]["actual"][key].is_number(), "{key}");
        assert!(json["intervals"][0]["simulated"][format!("{key}_ci95")].is_array(), "{key}");
    }
    assert!(json["overall"]["simulated"]["wait"]["p95_ci95"].is_array());
    assert!(json["error"]["wait"]["p90"]["mae"].is_number());

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backtest.json");
    let o = shop(&["backtest", s(&log), s(&sc), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).expect("JSON from .json");
    assert!(written["error"].is_object());
    let o = shop(&["backtest", s(&log), s(&sc), "--out", s(&log)]);
    assert_eq!(o.status.code(), Some(2), "--out the log itself");
}

#[test]
fn broken_rows_are_counted_and_a_log_that_is_not_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sc = root().join("examples/bank_line.yaml");
    let good = std::fs::read_to_string(root().join("examples/bank_log.csv")).unwrap();
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[10] = "AA0130,30009,0,0,PS,990104,7:13:54".into(); // too few fields
    lines[11] = lines[11].replace("AGENT", "TRANSFERRED").replace("HANG", "TRANSFERRED");
    lines[12] = lines[12].replacen("7:", "25:", 1);
    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let (b, code, err) = backtest_json(&broken, &sc, &["--schema", "anonymous-bank"]);
    assert_eq!(code, 0, "{err}");
    let reasons: Vec<(String, u64)> = b["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["reason"].as_str().unwrap_or_default().to_string(), r["rows"].as_u64().unwrap_or(0)))
        .collect();
    assert!(reasons.contains(&("malformed line".into(), 1)), "{reasons:?}");
    assert!(reasons.iter().any(|(r, _)| r == "unknown outcome" || r == "time past midnight"), "{reasons:?}");
    assert!(b["used"].as_u64().unwrap_or(0) >= 1630);

    // Not a call log at all: exit 2, naming both layouts' columns.
    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, "a,b,c\n1,2,3\n").unwrap();
    let o = shop(&["backtest", s(&junk), s(&sc)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("neither a `shop` log's columns"), "{}", stderr(&o));

    // Only broken rows: exit 2 with the counts.
    let header = lines[0].clone();
    let none = dir.path().join("none.csv");
    std::fs::write(&none, format!("{header}\nAA0130,1,2\n")).unwrap();
    let o = shop(&["backtest", s(&none), s(&sc)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no usable call") && stderr(&o).contains("1 malformed line"), "{}", stderr(&o));
}

#[test]
fn a_log_outside_the_scenarios_hours_is_refused_with_the_hours_of_each() {
    let dir = tempfile::tempdir().unwrap();
    let sc = dir.path().join("evening.yaml");
    let text = std::fs::read_to_string(root().join("examples/bank_line.yaml")).unwrap();
    std::fs::write(&sc, text.replace("horizon: 10h", "horizon: 4h\nopens: \"18:00\"")).unwrap();
    let o = shop(&["backtest", s(&root().join("examples/bank_log.csv")), s(&sc)]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("none of the log's 1633 calls") && err.contains("18:00 to 22:00"), "{err}");
    assert!(err.contains("from 07:0") && err.contains("help: set the scenario's `opens`"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A line on `agents` agents: 60 calls an hour for two hours, then `late` an hour.
fn line(agents: u32, late: u32) -> String {
    format!(
        "name: line of {agents}\nseed: 5\nreplications: 10\nhorizon: 3h\ninterval: 1h\nstart: q\n\
         callers:\n  c: {{ arrivals: [{{ from: 0h, rate: 60/h }}, {{ from: 2h, rate: {late}/h }}], patience: exp(10m) }}\n\
         queues:\n  q: {{ pools: [team] }}\npools:\n  team: {{ agents: {agents}, handle: exp(4m) }}\n"
    )
}

#[test]
fn bias_is_the_whole_days_simulated_minus_log_and_intervals_without_a_logged_call_are_not_scored() {
    // The log comes from 4 agents (4 erlangs offered: long holds); the
    // scenario has 12 agents and a trickle of calls after the log's last.
    let dir = tempfile::tempdir().unwrap();
    let (few, many, log) = (dir.path().join("few.yaml"), dir.path().join("many.yaml"), dir.path().join("calls.csv"));
    std::fs::write(&few, line(4, 0)).unwrap();
    std::fs::write(&many, line(12, 6)).unwrap();
    let o = shop(&["run", s(&few), "--log", s(&log), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (b, code, err) = backtest_json(&log, &many, &["--schema", "shop"]);
    assert_eq!(code, 0, "{err}");
    let (a, sim, e) = (&b["overall"]["actual"], &b["overall"]["simulated"], &b["error"]);
    let (log_wait, sim_wait) = (num(&a["wait"]["mean"]), num(&sim["wait"]["mean"]));
    println!("mean wait: log {log_wait:.1} s, simulated {sim_wait:.1} s, bias {}", e["wait"]["mean"]["bias"]);
    assert!(log_wait > 60.0 && sim_wait < 10.0, "the log waited long, the simulation hardly");
    assert!((num(&e["wait"]["mean"]["bias"]) - (sim_wait - log_wait)).abs() < 1e-5, "{}", e["wait"]["mean"]);
    assert!(num(&e["wait"]["mean"]["bias"]) < 0.0 && num(&e["service_level"]["bias"]) > 0.0);
    let rows = b["intervals"].as_array().unwrap();
    assert_eq!(num(&rows[2]["actual"]["calls"]), 0.0, "no logged call after 2h");
    assert!(num(&rows[2]["simulated"]["calls"]) > 0.0);
    assert_eq!(e["calls"]["intervals"], 2, "the empty interval is not scored: {}", e["calls"]);
    // The error is weighted by the log's calls.
    let (mut sum, mut weight) = (0.0, 0.0);
    for r in &rows[..2] {
        let w = num(&r["actual"]["calls"]);
        sum += w * (num(&r["simulated"]["wait"]["mean"]) - num(&r["actual"]["wait"]["mean"])).abs();
        weight += w;
    }
    assert!((num(&e["wait"]["mean"]["mae"]) - sum / weight).abs() < 1e-3, "{}", e["wait"]["mean"]);
    // Ten Poisson days: an index of dispersion near 1; none where the log has no call.
    let d = &b["dispersion"];
    assert_eq!(d["days"], 10);
    assert!((0.1..4.0).contains(&num(&d["whole_day"])), "{d}");
    assert!(rows[0]["dispersion"].is_number() && rows[2]["dispersion"].is_null(), "{}", rows[2]);
    let table = stdout(&shop(&["backtest", s(&log), s(&many), "--schema", "shop"]));
    assert!(table.contains("Daily volumes' index of dispersion") && table.contains("log dispersion"), "{table}");
    assert!(table.contains("over the 2 of 3 intervals with a call in the log"), "{table}");
    let csv = stdout(&shop(&["backtest", s(&log), s(&many), "--schema", "shop", "--format", "csv"]));
    assert!(csv.contains("dispersion,log,whole_day,") && csv.contains(",dispersion,"), "{csv}");
}

#[test]
fn fit_holds_out_the_last_days_and_backtest_scores_only_them() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = simulated_and_fitted(dir.path());
    let fitted = dir.path().join("held.yaml");
    let o = shop(&["fit", s(&log), "--schema", "shop", "--holdout", "5d", "--out", s(&fitted), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&fitted).unwrap();
    assert!(text.contains("15 day(s), the log's last 5 held out"), "{text}");
    let (b, code, err) = backtest_json(&log, &fitted, &["--schema", "shop", "--last", "5d"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(b["days"], 5, "only the held-out days are scored");
    assert!(b["notes"].to_string().contains("last 5 of 20 days"), "{}", b["notes"]);
    // The held-out days' calls alone: about a fifth of the used calls of the whole log.
    let (all, _, _) = backtest_json(&log, &fitted, &["--schema", "shop"]);
    let (used, used_all) = (num(&b["used"]), num(&all["used"]));
    assert!((used / used_all - 0.25).abs() < 0.03, "{used} of {used_all}");
    // Holding out every day, or none, is refused.
    let o = shop(&["fit", s(&log), "--schema", "shop", "--holdout", "20d"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("leaves none to fit"), "{}", stderr(&o));
    let o = shop(&["backtest", s(&log), s(&fitted), "--last", "0d"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a number of days"), "{}", stderr(&o));
}

#[test]
fn a_runs_own_log_with_transfers_and_redials_backtests_against_that_run_without_bias() {
    // support_line transfers calls (some hang up on a later hold) and redials
    // after closing. The log side left out calls answered then abandoned on a
    // later leg (answered/day 1260.5 against 1277.9), held only the first leg
    // (mean wait 31.4 s against 32.6 s) and dropped redials after the horizon.
    let dir = tempfile::tempdir().unwrap();
    let sc = root().join("scenarios/support_line.yaml");
    let log = dir.path().join("sl.csv");
    let o = shop(&["run", s(&sc), "--seed", "1", "--replications", "30", "--log", s(&log)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (b, code, err) = backtest_json(&log, &sc, &["--seed", "1", "--replications", "30"]);
    assert_eq!(code, 0, "{err}");
    let (l, m) = (&b["overall"]["actual"], &b["overall"]["simulated"]);
    for k in ["calls", "answered", "abandon_rate", "service_level"] {
        assert!((num(&l[k]) - num(&m[k])).abs() < 1e-9, "{k}: log {}, simulated {}", l[k], m[k]);
    }
    // Holds are logged to the microsecond, counted in histograms: within rounding.
    for k in ["mean", "p90", "p95"] {
        let (x, y) = (num(&l["wait"][k]), num(&m["wait"][k]));
        assert!((x - y).abs() <= 0.002 * y, "wait {k}: log {x}, simulated {y}");
    }
    assert_eq!(b["outside"]["after"], 0, "{}", b["outside"]);
}
