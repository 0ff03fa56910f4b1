//! The gate catches what callers feel, and every figure has one definition:
//! `check` sees menu time, reads signed limits as changes and unsigned ones as
//! levels, fails a rename, and every interval printed contains its figure.
//! Each test runs the real binary as a user or a CI job would.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::cmd::{shop, stderr, stdout};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scenario(name: &str) -> String {
    root().join("scenarios").join(format!("{name}.yaml")).to_string_lossy().into_owned()
}

fn design(name: &str) -> String {
    root().join("tests/fixtures/compare").join(format!("{name}.yaml")).to_string_lossy().into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(o), stderr(o)))
}

/// Writes `text` into `dir/name` and returns its path.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The small support line with a welcome prompt of `secs` seconds in front of
/// its menu: more time on every caller's path, nothing else changed.
fn with_welcome(dir: &Path, secs: u32) -> PathBuf {
    let text = std::fs::read_to_string(design("base")).unwrap();
    let text =
        text.replace("menu:\n", &format!("start: welcome\nmenu:\n  welcome:\n    duration: {secs}s\n    then: main\n"));
    write(dir, &format!("welcome_{secs}.yaml"), &text)
}

#[test]
fn twenty_seconds_more_prompt_on_every_path_fails_the_default_gates() {
    let dir = tempfile::tempdir().unwrap();
    let base = with_welcome(dir.path(), 0);
    let head = with_welcome(dir.path(), 20);
    let o = shop(&["check", base.to_str().unwrap(), head.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let r = json(&o);
    let failed: Vec<&Value> = r["results"].as_array().unwrap().iter().filter(|g| g["status"] == "failed").collect();
    assert!(failed.iter().any(|g| g["metric"] == "time_to_answer.p95"), "{r:#}");
    // Hold is the same (the queue sees the same callers 20 s later): only the
    // whole wait to a human shows the change.
    assert!(!failed.iter().any(|g| g["metric"] == "wait.p95"), "{r:#}");
}

#[test]
fn a_ninety_second_first_prompt_fails_the_short_menu() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(scenario("short_menu")).unwrap();
    let slow = text.replacen("  main:\n", "  main:\n    duration: 90s\n", 1);
    assert_ne!(slow, text);
    let slow = write(dir.path(), "slow.yaml", &slow);
    let o = shop(&["check", &scenario("short_menu"), slow.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    let failed = out.split("Failed gates").nth(1).expect("a failed-gates table");
    assert!(failed.contains("time_to_answer"), "{out}");
}

#[test]
fn an_unsigned_limit_is_a_level_head_must_meet() {
    // HEAD holds its business callers far less than BASE, but its p95 is still
    // over two minutes: a level gate fails where a change gate would pass.
    let (base, head) = (scenario("business_offshore"), scenario("business_local"));
    let o = shop(&["check", &base, &head, "--gate", "wait.p95 <= 30s", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let r = json(&o);
    for g in r["results"].as_array().unwrap() {
        assert_eq!(g["kind"], "level", "{g}");
        assert_eq!(g["allowed"], 30.0, "{g}");
        if g["status"] == "failed" {
            let [lo, _] = [g["head_ci95"][0].as_f64().unwrap(), g["head_ci95"][1].as_f64().unwrap()];
            assert!(lo > 30.0, "a failed level has its whole interval past it: {g}");
        }
    }
    let o = shop(&["check", &base, &head, "--gate", "wait.p95 <= +30s"]);
    assert_eq!(o.status.code(), Some(0), "as a change, the same limit passes: {}", stdout(&o));
    let table = stdout(&shop(&["check", &base, &head, "--gate", "wait.p95 <= 30s"]));
    assert!(table.contains("30s (level)"), "the report says which kind each gate is:\n{table}");
}

#[test]
fn a_gates_file_mixes_levels_changes_and_queue_scopes() {
    let dir = tempfile::tempdir().unwrap();
    let gates = write(
        dir.path(),
        "gates.yaml",
        "gates:\n  - \"wait.p95 <= +5%\"\n  - \"abandon_rate <= 50%\"\n  - \"service_level >= -2pt\"\n  - \"queue tech: wait.p95 <= +10%\"\n",
    );
    let o = shop(&["check", &design("base"), &design("base"), "--gates", gates.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let r = json(&o);
    let kinds: Vec<(&str, &str)> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["scope"].as_str().unwrap(), g["kind"].as_str().unwrap()))
        .collect();
    assert!(kinds.contains(&("queue tech", "change")), "{kinds:?}");
    assert!(kinds.contains(&("consumer", "level")), "{kinds:?}");
}

/// Every `[lo, hi]` interval in a JSON value, with the figure it qualifies.
fn intervals(v: &Value, path: String, out: &mut Vec<(String, f64, [f64; 2])>) {
    let Some(map) = v.as_object() else { return };
    let pairs = [("mean", "mean_ci95"), ("p95", "p95_ci95"), ("diff", "diff_ci95"), ("a", "a_ci95"), ("b", "b_ci95")];
    for (fig, ci) in pairs {
        if let (Some(x), Some(c)) = (map.get(fig).and_then(Value::as_f64), map.get(ci).and_then(Value::as_array)) {
            out.push((format!("{path}.{fig}"), x, [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()]));
        }
    }
    for (k, child) in map {
        intervals(child, format!("{path}.{k}"), out);
    }
}

#[test]
fn every_interval_contains_the_figure_it_qualifies_over_many_random_designs() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(design("base")).unwrap();
    // A small deterministic generator: designs differ in agents, patience and talk time.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let mut checked = 0;
    for i in 0..10 {
        let variant = |next: &mut dyn FnMut(u64) -> u64| {
            base.replace("agents: 4,", &format!("agents: {},", 2 + next(5)))
                .replace("exp(4m)", &format!("exp({}m)", 1 + next(6)))
                .replace("handle: exp(5m)", &format!("handle: exp({}m)", 3 + next(5)))
        };
        let a = write(dir.path(), &format!("a{i}.yaml"), &variant(&mut next));
        let b = write(dir.path(), &format!("b{i}.yaml"), &variant(&mut next));
        let seed = (1 + next(1000)).to_string();
        let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
        let reps = ["--replications", "6", "--seed", &seed];
        for o in [
            shop(&[&["compare", a, b, "--format", "json"][..], &reps].concat()),
            shop(&[&["run", a, "--format", "json"][..], &reps].concat()),
        ] {
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            let mut all = Vec::new();
            intervals(&json(&o), String::new(), &mut all);
            assert!(!all.is_empty());
            for (path, x, [lo, hi]) in all {
                assert!(lo <= x && x <= hi, "design pair {i}, seed {seed}: {path} = {x} outside [{lo}, {hi}]");
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked}");
}

#[test]
fn compare_prints_each_difference_inside_its_own_interval() {
    let o = shop(&["compare", &scenario("business_offshore"), &scenario("business_local")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = json(&shop(&["compare", &scenario("business_offshore"), &scenario("business_local"), "--format", "json"]));
    let mut all = Vec::new();
    intervals(&c, String::new(), &mut all);
    for (path, x, [lo, hi]) in all {
        assert!(lo <= x && x <= hi, "{path} = {x} outside [{lo}, {hi}]");
    }
}

#[test]
fn a_threshold_of_119_7_seconds_reads_as_1m_59_7s() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(design("base"))
        .unwrap()
        .replace("horizon: 4h\n", "horizon: 4h\nservice_level: 119.7s\n");
    let f = write(dir.path(), "sl.yaml", &text);
    let out = stdout(&shop(&["run", f.to_str().unwrap(), "--replications", "2"]));
    assert!(out.contains("answered within 1m 59.7s"), "{out}");
}

/// A one-pool line: `agents` agents all day, arrivals by `profile`.
fn one_pool(dir: &Path, name: &str, agents: u32, arrivals: &str) -> PathBuf {
    let text = format!(
        "name: {name}\nseed: 3\nreplications: 200\nhorizon: 8h\ncallers:\n  c:\n    arrivals: {arrivals}\n    reasons: {{ a: 1.0 }}\n    entry: q\n\
         queues:\n  q: {{ pools: [p] }}\npools:\n  p: {{ agents: {agents}, handle: 5m, resolves: {{ a: 1.0 }} }}\n"
    );
    write(dir, &format!("{name}.yaml"), &text)
}

#[test]
fn agents_are_on_duty_until_the_horizon_even_when_calls_stop_early() {
    let dir = tempfile::tempdir().unwrap();
    // Two agents all day, one 5-minute call an hour: 2.00 on duty, occupancy 1/24.
    let f = one_pool(dir.path(), "quiet", 2, "1/h");
    let r = json(&shop(&["run", f.to_str().unwrap(), "--format", "json"]));
    let p = &r["by_pool"]["p"];
    assert_eq!(p["agents"], 2.0, "{p}");
    let calls = r["overall"]["calls"].as_f64().unwrap();
    let expected = calls * 300.0 / (2.0 * 8.0 * 3600.0 * 200.0);
    let occ = p["occupancy"].as_f64().unwrap();
    assert!((occ - expected).abs() < 0.002, "occupancy {occ}, busy time / staffed time {expected}");
    assert!((occ - 1.0 / 24.0).abs() < 0.004, "occupancy {occ}, about 0.0417");
    // Calls stop at 4h, five agents staffed for 8h: 5.0 on duty, occupancy halved.
    let f = one_pool(dir.path(), "morning", 5, "[{ from: 0h, rate: 36/h }, { from: 4h, rate: 0/h }]");
    let r = json(&shop(&["run", f.to_str().unwrap(), "--format", "json"]));
    let p = &r["by_pool"]["p"];
    assert_eq!(p["agents"], 5.0, "{p}");
    let occ = p["occupancy"].as_f64().unwrap();
    assert!((occ - 0.30).abs() < 0.01, "3 erlangs on 5 agents for half the day: about 0.30, got {occ}");
}

#[test]
fn a_busy_signal_is_a_hold_of_zero_for_the_queue_as_for_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let text = "name: tiny queue\nseed: 2\nreplications: 20\nhorizon: 8h\ncallers:\n  c:\n    arrivals: 20/h\n    reasons: { a: 1.0 }\n    entry: q\n\
                queues:\n  q: { pools: [p], capacity: 1 }\npools:\n  p: { agents: 1, handle: exp(5m), resolves: { a: 1.0 } }\n";
    let f = write(dir.path(), "tiny.yaml", text);
    let r = json(&shop(&["run", f.to_str().unwrap(), "--format", "json"]));
    let q = &r["by_queue"]["q"];
    let c = &r["by_caller"]["c"];
    assert!(q["blocked"].as_u64().unwrap() > 0, "{q}");
    assert_eq!(q["wait"]["count"], q["calls"], "every call offered to the queue has a hold: {q}");
    assert_eq!(q["wait"]["mean"], c["wait"]["mean"], "one definition of hold: {q}\n{c}");
    assert_eq!(q["wait"]["p95"], c["wait"]["p95"]);
}

#[test]
fn out_never_replaces_an_input_and_takes_its_format_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "s.yaml", &std::fs::read_to_string(design("base")).unwrap());
    let before = std::fs::read(&f).unwrap();
    let o = shop(&["run", f.to_str().unwrap(), "--out", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("input file"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&f).unwrap(), before, "the scenario is untouched");
    let o = shop(&["check", f.to_str().unwrap(), &design("base"), "--out", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&f).unwrap(), before);

    let r = dir.path().join("r.json");
    let o = shop(&["run", f.to_str().unwrap(), "--replications", "2", "--out", r.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&std::fs::read(&r).unwrap()).expect("--out r.json writes JSON");
    assert!(v["overall"].is_object());
    let md = dir.path().join("c.md");
    shop(&["compare", f.to_str().unwrap(), &design("base"), "--replications", "2", "--out", md.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&md).unwrap().starts_with('#'), "--out c.md writes markdown");
    let csv = dir.path().join("r.csv");
    shop(&["run", f.to_str().unwrap(), "--replications", "2", "--format", "table", "--out", csv.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&csv).unwrap().contains('┌'), "--format wins over the extension");
}

#[test]
fn errors_say_what_the_key_means_and_are_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(design("base")).unwrap();
    let f = write(dir.path(), "sl.yaml", &base.replace("horizon: 4h\n", "horizon: 4h\nservice_level: 80%\n"));
    let err = stderr(&shop(&["run", f.to_str().unwrap()]));
    assert!(err.contains("\"answered within\" threshold"), "{err}");
    assert_eq!(err.matches("missing a unit").count(), 1, "the message once, not twice:\n{err}");
    let f = write(dir.path(), "neg.yaml", &base.replace("agents: 4,", "agents: -3,"));
    let o = shop(&["run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`-3` is negative"), "{}", stderr(&o));
    let g = write(dir.path(), "g.yaml", "gates: 5\n");
    let o = shop(&["check", &design("base"), &design("base"), "--gates", g.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("struct"), "{}", stderr(&o));
}

#[test]
fn a_day_without_calls_says_so_under_worst_experiences() {
    let dir = tempfile::tempdir().unwrap();
    let f = one_pool(dir.path(), "silent", 2, "0/h");
    let out = stdout(&shop(&["run", f.to_str().unwrap(), "--replications", "2"]));
    let worst = out.split("Worst experiences").nth(1).unwrap().lines().nth(1).unwrap();
    assert!(worst.contains("No calls"), "{out}");
}

#[test]
fn an_implausible_volume_is_warned_about_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let f = one_pool(dir.path(), "typo", 2000, "500/m");
    let o = shop(&["validate", f.to_str().unwrap()]);
    assert!(stdout(&o).contains("calls a day") || stderr(&o).contains("calls a day"), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn deeply_nested_brackets_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let f = write(dir.path(), "deep.yaml", &deep);
    let start = std::time::Instant::now();
    let o = shop(&["run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nested more than"), "{}", stderr(&o));
    assert!(stderr(&o).len() < 2_000, "no 200,000-character snippet");
    assert!(start.elapsed().as_secs() < 10, "refused without parsing the whole nest");
}

#[test]
fn no_color_turns_colour_off() {
    // Colour is only ever for a terminal; NO_COLOR is honoured even there (the
    // pipeline's `colour` decides both). Through a pipe, nothing is coloured.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_shop"))
        .args(["run", &design("base"), "--replications", "2"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\u{1b}'), "no escape codes");
}
