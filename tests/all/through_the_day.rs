//! "Through the day" and "Cost", through the real binary: the interval rows
//! add up to the day in every format, a busy half-hour shows where it is,
//! shifts are time-weighted exactly, labels follow `opens`, and the cost
//! follows the formula the README states.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cmd::{shop, stderr, stdout};

/// A line whose calls come in a burst from 2h to 2h30, with patience and a
/// capacity so that every ending (answered, hung up, busy signal) happens.
const BURST: &str = "name: burst line
seed: 3
replications: 4
horizon: 4h
start: q
callers:
  c:
    arrivals:
      - { from: 0h, rate: 20/h }
      - { from: 2h, rate: 240/h }
      - { from: 2h30m, rate: 20/h }
    patience: exp(3m)
    redial: { chance: 0.5, after: exp(10m) }
  d: { arrivals: 10/h, patience: exp(5m) }
queues:
  q: { pools: [team, { pool: spare, after: 1m }], capacity: 15 }
pools:
  team:
    agents:
      - { from: 0h, agents: 4 }
      - { from: 4h15m, agents: 9 }
    handle: exp(4m)
    cost_per_hour: 20
    shrinkage: 0.3
  spare: { agents: 1, handle: exp(4m), cost_per_hour: 30 }
";

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(path: &Path, format: &str) -> String {
    let o = shop(&["run", path.to_str().unwrap(), "--format", format]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&run(path, "json")).unwrap()
}

fn sum(v: &Value, key: &str) -> u64 {
    v["by_interval"].as_array().unwrap().iter().map(|i| i[key].as_u64().unwrap()).sum()
}

#[test]
fn interval_counts_add_up_to_the_day_in_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "burst.yaml", BURST);
    let r = json(&f);
    let all = &r["overall"];
    for key in ["calls", "answered", "abandoned_queue", "blocked"] {
        assert_eq!(sum(&r, key), all[key].as_u64().unwrap(), "{key}");
        assert!(all[key].as_u64().unwrap() > 0, "the design exercises {key}");
    }
    // Per caller type too.
    for c in ["c", "d"] {
        let per: u64 =
            r["by_interval"].as_array().unwrap().iter().map(|i| i["by_caller"][c]["calls"].as_u64().unwrap()).sum();
        assert_eq!(per, r["by_caller"][c]["calls"].as_u64().unwrap(), "{c}");
    }
    let csv = run(&f, "csv");
    for key in ["calls", "answered", "abandoned_queue", "blocked"] {
        let per: u64 = csv
            .lines()
            .filter(|l| l.starts_with("interval,") && l.split(',').nth(2) == Some(key))
            .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
            .sum();
        let day = csv.lines().find(|l| l.starts_with(&format!("overall,all,{key},"))).unwrap();
        assert_eq!(per.to_string(), day.rsplit(',').next().unwrap(), "csv {key}");
    }
}

/// The cells of a section's rows in the terminal table or markdown output.
fn section_rows(text: &str, title: &str, bar: char) -> Vec<Vec<String>> {
    let start = text.find(title).unwrap_or_else(|| panic!("no {title} in\n{text}"));
    text[start..]
        .lines()
        .skip(1)
        .skip_while(|l| !l.contains(bar))
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('_'))
        .filter(|l| l.contains(bar))
        .map(|l| {
            l.split(bar)
                .map(|c| c.trim_matches(|ch: char| ch.is_whitespace() || ch == '│' || ch == '*').to_string())
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|cells| cells.len() > 3 && cells[1].chars().all(|ch| ch.is_ascii_digit()))
        .collect()
}

#[test]
fn interval_rows_add_up_to_the_calls_table_in_table_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "burst.yaml", BURST);
    for (format, bar) in [("table", '┆'), ("markdown", '|')] {
        let text = run(&f, format);
        let calls = section_rows(&text, "Calls", bar);
        let all = calls.iter().find(|r| r[0] == "all callers").unwrap();
        let rows = section_rows(&text, "Through the day", bar);
        assert_eq!(rows.len(), 8, "{format}: eight half-hours in 4h\n{text}");
        let col = |i: usize| rows.iter().map(|r| r[i].parse::<u64>().unwrap()).sum::<u64>().to_string();
        // interval, calls, answered, hung up  vs  caller, calls, callers, answered, resolved, menu, hold, busy
        assert_eq!((col(1), col(2), col(3)), (all[1].clone(), all[3].clone(), all[6].clone()), "{format}");
        assert!(text.contains("worst interval 2h00–2h30"), "{format}: the burst is the worst interval\n{text}");
    }
}

#[test]
fn a_busy_half_hour_shows_in_its_own_interval() {
    let dir = tempfile::tempdir().unwrap();
    let r = json(&write(&dir, "burst.yaml", BURST));
    let rows = r["by_interval"].as_array().unwrap();
    let busiest = (0..rows.len()).max_by_key(|&k| rows[k]["calls"].as_u64().unwrap()).unwrap();
    assert_eq!(rows[busiest]["label"], "2h00–2h30");
    assert_eq!((rows[busiest]["from"].as_f64(), rows[busiest]["to"].as_f64()), (Some(7200.0), Some(9000.0)));
    assert_eq!(r["worst_interval"]["label"], "2h00–2h30");
    // About 120 first calls of `c` in the burst a day against 10 in a quiet half-hour.
    let c = |k: usize| rows[k]["by_caller"]["c"]["calls"].as_u64().unwrap();
    assert!(c(4) > 5 * c(1), "burst {} vs quiet {}", c(4), c(1));
}

#[test]
fn agents_on_duty_are_time_weighted_within_an_interval() {
    // 4 agents, 9 from 4h15: the 4h00–4h30 row is half and half, 6.5.
    let dir = tempfile::tempdir().unwrap();
    let text = BURST.replace("horizon: 4h", "horizon: 5h");
    let r = json(&write(&dir, "shifts.yaml", &text));
    let rows = r["by_interval"].as_array().unwrap();
    let team = |k: usize| rows[k]["by_pool"]["team"]["agents"].as_f64().unwrap();
    assert_eq!(rows[8]["label"], "4h00–4h30");
    assert_eq!((team(7), team(8), team(9)), (4.0, 6.5, 9.0));
    assert_eq!(rows[8]["agents"].as_f64(), Some(7.5), "with the one spare agent");
    for row in rows {
        let occ = row["occupancy"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&occ));
    }
}

#[test]
fn the_cost_follows_staffed_hours_shrinkage_and_the_hourly_cost() {
    let dir = tempfile::tempdir().unwrap();
    let text = BURST.replace("horizon: 4h", "horizon: 5h");
    let r = json(&write(&dir, "shifts.yaml", &text));
    let cost = &r["cost"];
    // team: 4 agents for 4h15, 9 for 45m = 23.75 agent-hours; paid 23.75 / 0.7.
    let team = &cost["by_pool"]["team"];
    let close = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-4;
    assert!(close(&team["agent_hours"], 23.75), "{team}");
    assert!(close(&team["paid_hours"], 23.75 / 0.7), "{team}");
    assert!(close(&team["cost_per_day"], 23.75 / 0.7 * 20.0), "{team}");
    let spare = &cost["by_pool"]["spare"];
    assert!(close(&spare["cost_per_day"], 5.0 * 30.0), "{spare}");
    let day = 23.75 / 0.7 * 20.0 + 150.0;
    assert!(close(&cost["total"]["cost_per_day"], day), "{cost}");
    let (calls, resolved) = (r["overall"]["calls"].as_f64().unwrap(), r["overall"]["resolved"].as_f64().unwrap());
    assert!(close(&cost["total"]["cost_per_call"], day * 4.0 / calls));
    assert!(close(&cost["total"]["cost_per_resolved_call"], day * 4.0 / resolved));
    let table = run(&write(&dir, "shifts.yaml", &text), "table");
    assert!(table.contains("Cost") && table.contains("678.57"), "{table}");
}

#[test]
fn opens_labels_intervals_with_the_wall_clock_and_the_last_may_be_partial() {
    let dir = tempfile::tempdir().unwrap();
    let text = BURST.replace("horizon: 4h", "horizon: 4h30m\nopens: 08:00\ninterval: 1h");
    let r = json(&write(&dir, "opens.yaml", &text));
    let labels: Vec<&str> = r["by_interval"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["08:00–09:00", "09:00–10:00", "10:00–11:00", "11:00–12:00", "12:00–12:30"]);
    assert_eq!(r["by_interval"][4]["to"].as_f64(), Some(16200.0));
    assert_eq!(r["interval"].as_f64(), Some(3600.0));
    // The last, partial interval: agents on duty are a mean over its 30 minutes
    // (4 agents, 9 from 4h15).
    assert_eq!(r["by_interval"][4]["by_pool"]["team"]["agents"].as_f64(), Some(6.5));
}

#[test]
fn compare_and_check_see_the_intervals_and_the_cost() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.yaml", BURST);
    let b = write(&dir, "b.yaml", &BURST.replace("spare: { agents: 1,", "spare: { agents: 3,"));
    let o = shop(&["compare", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = c["by_interval"].as_array().unwrap();
    assert_eq!(rows.len(), 8);
    for key in ["service_level", "abandon_rate", "wait.p95"] {
        assert!(rows[4][key]["diff"].is_number(), "{key}: {}", rows[4]);
    }
    let spare = &c["cost"]["by_pool"]["spare"]["cost_per_day"];
    assert_eq!(
        (spare["a"].as_f64(), spare["b"].as_f64(), spare["diff"].as_f64()),
        (Some(120.0), Some(360.0), Some(240.0))
    );
    assert_eq!(c["worst_interval"]["a"], "2h00–2h30");
    let text = stdout(&shop(&["compare", a.to_str().unwrap(), b.to_str().unwrap()]));
    assert!(text.contains("Through the day") && text.contains("cost a day"), "{text}");

    // A design against itself passes every worst-interval gate, with a change of exactly zero.
    let gates = ["worst_interval.service_level >= -2pt", "worst_interval.wait.p95 <= +10%"];
    let mut args = vec!["check", a.to_str().unwrap(), a.to_str().unwrap(), "--format", "json"];
    for g in &gates {
        args.extend(["--gate", g]);
    }
    let o = shop(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for g in r["results"].as_array().unwrap() {
        assert_eq!(g["change"].as_f64(), Some(0.0), "{g}");
        assert!(g["scope"].as_str().unwrap().starts_with("worst interval (base 2h00–2h30"), "{g}");
    }
    // A level the burst cannot meet fails, naming the worst interval.
    let o = shop(&["check", a.to_str().unwrap(), b.to_str().unwrap(), "--gate", "worst_interval.abandon_rate <= 1%"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("worst interval (base 2h00–2h30"), "{}", stdout(&o));
}

#[test]
fn every_format_is_the_same_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "burst.yaml", BURST);
    for format in ["json", "csv", "table", "markdown"] {
        let one = shop(&["run", f.to_str().unwrap(), "--format", format, "--threads", "1"]);
        let two = shop(&["run", f.to_str().unwrap(), "--format", format, "--threads", "2"]);
        assert_eq!(one.stdout, two.stdout, "{format}");
    }
}

#[test]
fn the_worst_interval_names_the_intervals_within_its_noise() {
    let o = shop(&["run", &format!("{}/scenarios/support_line.yaml", env!("CARGO_MANIFEST_DIR")), "--format", "json"]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = &r["worst_interval"];
    let [lo, hi] = [w["service_level_ci95"][0].as_f64().unwrap(), w["service_level_ci95"][1].as_f64().unwrap()];
    let worst = r["by_interval"][w["index"].as_u64().unwrap() as usize]["service_level"].as_f64().unwrap();
    assert!(lo <= worst && worst <= hi, "{w}");
    let close: Vec<&str> = w["within_noise"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(!close.is_empty(), "a 10-hour day on 20 replications has intervals close to its worst: {w}");
    // Every interval named is one of the day's and is not the worst itself.
    for label in &close {
        assert_ne!(*label, w["label"].as_str().unwrap());
        assert!(r["by_interval"].as_array().unwrap().iter().any(|i| i["label"] == *label), "{label}");
    }
    let text = stdout(&shop(&["run", &format!("{}/scenarios/support_line.yaml", env!("CARGO_MANIFEST_DIR"))]));
    assert!(text.contains(&format!("within its noise: {}", close[0])), "{text}");
}
