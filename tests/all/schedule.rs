//! `shop schedule` through the real binary: a day small enough to enumerate
//! every roster (the answer is the optimum, or within its reported gap of the
//! LP bound), opening hours, soft coverage naming every interval left short,
//! `--write` and `shop run` on the roster written, the rules' errors and schema.

use std::path::{Path, PathBuf};

use crate::cmd::{shop, stderr, stdout};
use serde_json::Value;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

fn schedule_json(args: &[&str]) -> Value {
    let mut all = vec!["schedule"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let o = shop(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("JSON")
}

/// A six-hour day in one-hour intervals, one pool (the requirement is given, not simulated).
const SMALL: &str = "name: small day\nseed: 5\nreplications: 4\nhorizon: 6h\ninterval: 1h\nstart: q\n\
callers:\n  c: { arrivals: 20/h }\nqueues:\n  q: { pools: [team] }\n\
pools:\n  team:   # the team\n    agents: 3\n    handle: exp(4m)\n    cost_per_hour: 10\n";

/// `shop staff --format json`'s shape: agents of pool `team` per interval of
/// `secs` seconds, written to `name`.
fn requirement_file(dir: &Path, name: &str, need: &[u32], secs: f64) -> PathBuf {
    let intervals: Vec<Value> = need
        .iter()
        .enumerate()
        .map(|(k, n)| serde_json::json!({ "from": k as f64 * secs, "to": (k + 1) as f64 * secs, "agents": { "team": n } }))
        .collect();
    write(dir, name, &serde_json::json!({ "intervals": intervals }).to_string())
}

/// Agents per one-hour interval.
fn requirement(dir: &Path, need: &[u32]) -> PathBuf {
    requirement_file(dir, "staff.json", need, 3600.0)
}

/// Long shifts (4h at 10 an hour, a one-hour break in their 2nd or 3rd hour)
/// and short ones (2h, 25 a shift), starting on any hour that fits.
const RULES: &str = "shift_types:\n  long:\n    length: 4h\n    start: { earliest: 0h, latest: 2h, step: 1h }\n    \
breaks: [{ length: 1h, within: [1h, 3h] }]\n  short:\n    length: 2h\n    start: { earliest: 0h, latest: 4h, step: 1h }\n    \
cost_per_shift: 25\n";

/// The test's own columns: (cost, hours on the phones) of every shift and break placement.
fn columns() -> Vec<(f64, Vec<usize>)> {
    let mut cols = Vec::new();
    for start in 0..=2 {
        for brk in [1, 2] {
            let on: Vec<usize> = (start..start + 4).filter(|h| *h != start + brk).collect();
            cols.push((40.0, on));
        }
    }
    for start in 0..=4 {
        cols.push((25.0, vec![start, start + 1]));
    }
    cols
}

/// The cheapest roster covering `need`, by depth-first search over the copies of every column.
fn optimum(cols: &[(f64, Vec<usize>)], need: &[u32]) -> f64 {
    fn dfs(cols: &[(f64, Vec<usize>)], i: usize, cover: &mut Vec<u32>, need: &[u32], cost: f64, best: &mut f64) {
        if cost >= *best - 1e-9 {
            return;
        }
        if cover.iter().zip(need).all(|(c, n)| c >= n) {
            *best = cost;
            return;
        }
        if i == cols.len() {
            return;
        }
        let most = *need.iter().max().unwrap();
        for copies in 0..=most {
            for &h in &cols[i].1 {
                cover[h] += copies;
            }
            dfs(cols, i + 1, cover, need, cost + cols[i].0 * f64::from(copies), best);
            for &h in &cols[i].1 {
                cover[h] -= copies;
            }
        }
    }
    let mut best = f64::INFINITY;
    dfs(cols, 0, &mut vec![0; need.len()], need, 0.0, &mut best);
    best
}

#[test]
fn on_a_day_small_enough_to_enumerate_schedule_finds_the_optimum_or_says_how_far_it_may_be() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "small.yaml", SMALL);
    let rules = write(dir.path(), "rules.yaml", RULES);
    for need in [[1, 2, 3, 3, 2, 1], [2, 1, 3, 1, 2, 2], [0, 3, 1, 4, 2, 0]] {
        let req = requirement(dir.path(), &need);
        let best = optimum(&columns(), &need);
        let args = ["schedule", sc.to_str().unwrap(), "--rules", rules.to_str().unwrap()];
        let j = schedule_json(&[&args[1..], &["--requirement", req.to_str().unwrap(), "--no-simulate"]].concat());
        assert!(j["simulated"].is_null() && j["confirmed"].is_null(), "present, null: {j}");
        let (found, bound, gap) = (
            j["roster"]["cost"].as_f64().unwrap(),
            j["lp_bound"]["cost"].as_f64().unwrap(),
            j["roster"]["gap"].as_f64().unwrap(),
        );
        assert!(bound <= best + 1e-6, "{need:?}: the LP bound {bound} is above the optimum {best}");
        assert!(found >= best - 1e-6, "{need:?}: {found} is below the optimum {best}: a roster that does not cover");
        assert!((found - bound * (1.0 + gap)).abs() < 1e-3, "{need:?}: the gap {gap} is not (found − bound) / bound");
        assert!((found - best).abs() < 1e-6, "{need:?}: found {found}, the optimum is {best} (LP bound {bound})");
        // Every interval covered, and the shifts' table adds up to the cost.
        for i in j["intervals"].as_array().unwrap() {
            assert!(i["scheduled"]["team"].as_f64().unwrap() >= i["required"]["team"].as_f64().unwrap(), "{i}");
        }
        let cost: f64 = j["shifts"].as_array().unwrap().iter().map(|s| s["cost"].as_f64().unwrap()).sum();
        assert!((cost - found).abs() < 1e-6);
        assert!(j["short"].as_array().unwrap().is_empty());
    }
}

#[test]
fn no_shift_starts_outside_the_opening_hours_and_an_interval_no_shift_reaches_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "small.yaml", SMALL);
    let req = requirement(dir.path(), &[0, 2, 2, 3, 2, 1]);
    let open = format!("{RULES}opening_hours: {{ from: 1h, to: 6h }}\n")
        .replace("earliest: 0h, latest: 2h", "earliest: 1h, latest: 2h");
    let open = open.replace("earliest: 0h, latest: 4h", "earliest: 1h, latest: 4h");
    let rules = write(dir.path(), "open.yaml", &open);
    let j = schedule_json(&[
        sc.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--requirement",
        req.to_str().unwrap(),
        "--no-simulate",
    ]);
    for s in j["shifts"].as_array().unwrap() {
        assert!(s["start"].as_f64().unwrap() >= 3600.0 && s["end"].as_f64().unwrap() <= 6.0 * 3600.0, "{s}");
    }
    // A shift type starting before the opening hours is refused, naming the line and key.
    let early = write(dir.path(), "early.yaml", &format!("{RULES}opening_hours: {{ from: 1h, to: 6h }}\n"));
    let o = shop(&[
        "schedule",
        sc.to_str().unwrap(),
        "--rules",
        early.to_str().unwrap(),
        "--requirement",
        req.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("early.yaml:4") && e.contains("shift_types.long.start.earliest") && e.contains("opening hours"),
        "{e}"
    );
    // Agents needed in the first hour, and no shift before 1h: refused with the reason.
    let need_early = requirement(dir.path(), &[1, 2, 2, 3, 2, 1]);
    let o = shop(&[
        "schedule",
        sc.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--requirement",
        need_early.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("needs 1 agents in 0h00–1h00") && e.contains("no shift of the rules can cover it"), "{e}");
}

/// The small line with no shift before 1h and only two long shifts: with
/// `--soft`, the first hour and part of the peak stay short (the penalty counts).
fn short_from_the_start(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let sc = write(dir, "small.yaml", SMALL);
    let rules = RULES
        .replace("earliest: 0h, latest: 2h", "earliest: 1h, latest: 2h")
        .replace("earliest: 0h, latest: 4h", "earliest: 1h, latest: 4h");
    let rules = write(dir, "rules.yaml", &format!("{rules}    max_count: 1\n"));
    let req = requirement(dir, &[2, 2, 3, 3, 2, 1]);
    (sc, rules, req)
}

#[test]
fn soft_coverage_names_every_interval_it_leaves_short() {
    let dir = tempfile::tempdir().unwrap();
    let (sc, rules, req) = short_from_the_start(dir.path());
    let args = [
        sc.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--requirement",
        req.to_str().unwrap(),
        "--soft",
        "--no-simulate",
    ];
    let j = schedule_json(&args);
    let named: Vec<(String, f64)> = j["short"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["label"].as_str().unwrap().to_string(), s["short"].as_f64().unwrap()))
        .collect();
    let mut short_intervals = Vec::new();
    for i in j["intervals"].as_array().unwrap() {
        let (req, got) = (i["required"]["team"].as_f64().unwrap(), i["scheduled"]["team"].as_f64().unwrap());
        if got < req {
            short_intervals.push((i["label"].as_str().unwrap().to_string(), req - got));
        }
    }
    assert!(
        !short_intervals.is_empty() && short_intervals.iter().any(|(l, _)| l == "0h00–1h00"),
        "{short_intervals:?}"
    );
    assert_eq!(named, short_intervals, "every interval short is named, with how far");
    let text = stdout(&shop(&[&["schedule"], &args[..]].concat()));
    for (label, _) in &short_intervals {
        assert!(text.contains(&format!("{label} team short by")), "{label} not named in:\n{text}");
    }
}

/// A morning on one queue with a peak: staffed inside, simulated, repaired and confirmed.
const MORNING: &str = "# a morning line\nname: morning\nseed: 21\nreplications: 8\nhorizon: 4h\ninterval: 30m\n\
opens: \"08:00\"\nstart: q\n\
callers:\n  c:\n    arrivals:\n      - { from: 0h, rate: 50/h }\n      - { from: 1h, rate: 110/h }\n      - { from: 3h, rate: 60/h }\n    \
patience: exp(4m)\nqueues:\n  q: { pools: [team] }\n\
pools:\n  team:\n    agents: 6   # today's head count\n    handle: exp(4m)\n    cost_per_hour: 30\n";

const MORNING_RULES: &str = "# two kinds of shift\nshift_types:\n  long:\n    length: 4h\n    start: { earliest: \"08:00\", latest: \"08:00\", step: 30m }\n    \
breaks: [{ length: 15m, within: [1h30m, 2h30m] }]\n  short:\n    length: 2h\n    start: { earliest: \"08:00\", latest: \"10:00\", step: 30m }\n    \
max_share: 50%\n";

#[test]
fn the_written_roster_meets_the_targets_on_a_fresh_seed_and_run_shows_its_day() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "morning.yaml", MORNING);
    let rules = write(dir.path(), "rules.yaml", MORNING_RULES);
    let out = dir.path().join("rostered.yaml");
    let j =
        schedule_json(&[sc.to_str().unwrap(), "--rules", rules.to_str().unwrap(), "--write", out.to_str().unwrap()]);
    assert_eq!(j["written"].as_str(), Some(out.to_str().unwrap()));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("# a morning line\n") && text.contains("    shifts: # today's head count\n"), "{text}");
    assert!(!text.contains("agents: 6"));
    assert_eq!(std::fs::read_to_string(&sc).unwrap(), MORNING, "the input is untouched");
    // The confirming run: every interval meets 80%, or the report names it and by how far.
    let confirmed = &j["confirmed"];
    let seed = confirmed["seed"].as_u64().unwrap();
    let report = stdout(&shop(&["schedule", sc.to_str().unwrap(), "--rules", rules.to_str().unwrap()]));
    for x in confirmed["intervals"].as_array().unwrap() {
        if x["verdict"] == "missed" {
            assert!(
                report.contains(&format!("MISSED on the fresh seed {seed}"))
                    && report.contains(x["label"].as_str().unwrap())
            );
        }
    }
    // `shop run` on the written file shows the roster's day: agents on duty as
    // planned, give or take the calls in hand that delay a break or a shift's end.
    let run: Value = serde_json::from_str(&stdout(&shop(&[
        "run",
        out.to_str().unwrap(),
        "--seed",
        &seed.to_string(),
        "--format",
        "json",
    ])))
    .unwrap();
    let agents: Vec<f64> = run["by_interval"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["by_pool"]["team"]["agents"].as_f64().unwrap())
        .collect();
    let mean: Vec<f64> =
        j["intervals"].as_array().unwrap().iter().map(|i| i["mean"]["team"].as_f64().unwrap()).collect();
    assert_eq!(agents.len(), mean.len());
    for (a, m) in agents.iter().zip(&mean) {
        assert!((a - m).abs() < 1.0, "run shows {agents:?} on duty, the roster plans {mean:?}");
    }
    // Paid hours: the roster's, against the LP bound it reports.
    let (paid, bound) = (j["roster"]["paid_hours"].as_f64().unwrap(), j["lp_bound"]["paid_hours"].as_f64().unwrap());
    assert!(paid >= bound - 1e-6 && j["roster"]["gap"].as_f64().unwrap() >= -1e-9);
    // Writing over the input only when it is named; --out never over it.
    let copy = write(dir.path(), "copy.yaml", MORNING);
    let o = shop(&[
        "schedule",
        copy.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--no-simulate",
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = shop(&[
        "schedule",
        copy.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--no-simulate",
        "--write",
        copy.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&copy).unwrap().contains("shifts:"));
}

#[test]
fn strict_exits_1_exactly_when_the_confirming_run_misses_a_target() {
    // One replication: no interval, so each figure alone decides, and a roster
    // that just meets 80% on its seed falls under it on another now and then.
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "morning.yaml", MORNING);
    let rules = write(dir.path(), "rules.yaml", MORNING_RULES);
    let (sc, rules) = (sc.to_str().unwrap(), rules.to_str().unwrap());
    let mut failed = 0;
    for seed in ["1", "2", "3", "4", "5"] {
        let args = ["schedule", sc, "--rules", rules, "--replications", "1", "--strict", "--confirm-seed", seed];
        let o = shop(&[&args[..], &["--format", "json"]].concat());
        let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let missed = r["confirmed"]["missed"].as_u64().unwrap();
        assert_eq!(o.status.code(), Some(if missed > 0 { 1 } else { 0 }), "seed {seed}: {}", stderr(&o));
        if missed > 0 {
            failed += 1;
            let said =
                format!("shop schedule --strict: on a fresh seed ({seed}) the roster misses `service_level >= 80%`");
            assert!(stderr(&o).contains(&said), "{}", stderr(&o));
        }
    }
    assert!(failed > 0, "8 intervals at the edge, 5 seeds: some interval falls under 80%");
    let o = shop(&["schedule", sc, "--rules", rules, "--strict", "--no-simulate"]);
    assert_eq!(o.status.code(), Some(2), "nothing is confirmed without a simulation: {}", stderr(&o));
}

#[test]
fn the_rules_are_checked_and_have_a_schema() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "small.yaml", SMALL);
    let req = requirement(dir.path(), &[1, 1, 1, 1, 1, 1]);
    let run = |rules: &str| {
        let r = write(dir.path(), "r.yaml", rules);
        let o = shop(&[
            "schedule",
            sc.to_str().unwrap(),
            "--rules",
            r.to_str().unwrap(),
            "--requirement",
            req.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{rules}");
        stderr(&o)
    };
    assert!(run(&RULES.replace("length: 2h", "lenght: 2h")).contains("unknown field `lenght`"));
    let e = run(&RULES.replace("within: [1h, 3h]", "within: [1h, 5h]"));
    assert!(e.contains("r.yaml:5") && e.contains("shift_types.long.breaks.0") && e.contains("after its shift"), "{e}");
    let e = run(&format!("{RULES}pools: [teem]\n"));
    assert!(e.contains("no pool is called `teem`; did you mean `team`?"), "{e}");
    // The schema accepts the contract's example and refuses an unknown key.
    let schema: Value = serde_json::from_str(&stdout(&shop(&["schedule", "--rules-schema"]))).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let example = "shift_types:\n  full:\n    length: 8h30m\n    start: { earliest: \"08:00\", latest: \"09:30\", step: 30m }\n    breaks:\n      - { length: 15m, within: [1h30m, 3h] }\n      - { length: 30m, within: [3h30m, 5h] }\n      - { length: 15m, within: [5h30m, 7h30m] }\n  part:\n    length: 4h\n    start: { earliest: \"08:00\", latest: \"14:00\", step: 30m }\n    breaks: [{ length: 15m, within: [1h30m, 2h30m] }]\n    max_share: 30%\npools: [billing_team, tech_team]\n";
    let yaml: serde_json::Value = serde_yaml_to_json(example);
    assert!(v.is_valid(&yaml), "the contract's example is valid");
    let bad = serde_yaml_to_json(&example.replace("max_share", "max_shares"));
    assert!(!v.is_valid(&bad));
}

/// A YAML text as the JSON value a schema validates.
fn serde_yaml_to_json(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

#[test]
fn the_support_line_gets_a_roster_near_its_lp_bound_that_meets_the_targets() {
    // 8h30m shifts with two 15-minute breaks and a 30-minute lunch, and 4-hour
    // part-time shifts (at most 30%). 10 replications here to keep the test
    // short; `bench/schedule.sh` runs the file's 20 and times it.
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sc = root.join("scenarios/support_line.yaml");
    let rules = root.join("examples/support_line_rules.yaml");
    let out = dir.path().join("rostered.yaml");
    let args = [
        sc.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--replications",
        "10",
        "--write",
        out.to_str().unwrap(),
    ];
    let j = schedule_json(&args);
    let (paid, bound) = (j["roster"]["paid_hours"].as_f64().unwrap(), j["lp_bound"]["paid_hours"].as_f64().unwrap());
    assert!(paid >= bound - 1e-6 && paid <= 1.10 * bound, "{paid} paid hours against the LP bound's {bound}");
    assert!(j["short"].as_array().unwrap().is_empty());
    // No shift starts before 08:00 or ends after 18:00.
    for s in j["shifts"].as_array().unwrap() {
        assert!(s["start"].as_f64().unwrap() >= 0.0 && s["end"].as_f64().unwrap() <= 36_000.0, "{s}");
        let full = s["shift_type"] == "full";
        assert_eq!(s["breaks"].as_array().unwrap().len(), if full { 3 } else { 1 });
    }
    // On the fresh seed every interval meets its targets, or the report names it with its figure.
    let seed = j["confirmed"]["seed"].as_u64().unwrap();
    let missed: Vec<&Value> =
        j["confirmed"]["intervals"].as_array().unwrap().iter().filter(|x| x["verdict"] == "missed").collect();
    if !missed.is_empty() {
        let text = stdout(&shop(&[&["schedule"], &args[..4]].concat()));
        for x in missed {
            assert!(
                text.contains(&format!("MISSED on the fresh seed {seed}"))
                    && text.contains(x["label"].as_str().unwrap())
            );
        }
    }
    // The written file runs, every pool on shifts.
    let run = shop(&["run", out.to_str().unwrap(), "--replications", "2", "--format", "json"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("    shifts:").count(), 3, "{text}");
    assert!(text.contains("# A general support line"), "comments kept");
}

/// A ten-hour help desk in half-hours (08:00–18:00), one team at 25 an hour.
const DESK: &str = "name: desk\nseed: 11\nreplications: 4\nhorizon: 10h\ninterval: 30m\nopens: \"08:00\"\nstart: q\n\
callers:\n  c: { arrivals: 60/h }\nqueues:\n  q: { pools: [team] }\n\
pools:\n  team:\n    agents: 10\n    handle: exp(5m)\n    cost_per_hour: 25\n";

/// The desk's requirement (what `shop staff` asks for it), agents per half-hour.
const DESK_NEED: [u32; 20] = [8, 9, 8, 8, 13, 14, 15, 13, 12, 14, 14, 13, 10, 9, 10, 9, 10, 11, 9, 10];

/// Agents per half-hour for one pool `team`.
fn half_hours(dir: &Path, need: &[u32]) -> PathBuf {
    requirement_file(dir, "desk_need.json", need, 1800.0)
}

/// Shifts per shift type in the report's shifts table.
fn per_type(j: &Value) -> std::collections::BTreeMap<String, u64> {
    let mut n = std::collections::BTreeMap::new();
    for s in j["shifts"].as_array().unwrap() {
        *n.entry(s["shift_type"].as_str().unwrap().to_string()).or_default() += s["count"].as_u64().unwrap();
    }
    n
}

#[test]
fn the_roster_keeps_every_count_and_share_limit_and_never_costs_less_than_its_lp_bound() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "desk.yaml", DESK);
    let req = half_hours(dir.path(), &DESK_NEED);
    // Part-time at most 20% of the shifts: rounding down the relaxation's
    // full-time shifts left 8 of 36 part-time, below the LP bound (gap −11.9%).
    let share = "shift_types:\n  full:\n    length: 8h\n    start: { earliest: \"08:00\", latest: \"10:00\", step: 30m }\n    \
breaks:\n      - { length: 15m, within: [2h, 2h15m] }\n      - { length: 30m, within: [4h, 5h] }\n      - { length: 15m, within: [7h45m, 8h] }\n    \
min_gap: 1h\n  part:\n    length: 4h\n    start: { earliest: \"08:00\", latest: \"14:00\", step: 1h }\n    \
breaks: [{ length: 15m, within: [1h30m, 2h] }]\n    max_share: 20%\n    cost_per_hour: 20\n  short:\n    length: 3h\n    \
start: { earliest: \"15:00\", latest: \"15:00\", step: 30m }\n    cost_per_shift: 50\n    max_count: 2\n\
opening_hours: { from: \"08:00\", to: \"18:00\" }\n";
    // Three dear evening shifts at least: the local search took them all out.
    let minimum = "shift_types:\n  full:\n    length: 8h\n    start: { earliest: \"08:00\", latest: \"10:00\", step: 30m }\n    \
breaks: [{ length: 30m, within: [3h, 5h] }]\n  evening:\n    length: 6h\n    start: { earliest: \"12:00\", latest: \"12:00\", step: 30m }\n    \
cost_per_hour: 60\n    min_count: 3\n  flex:\n    length: 5h\n    start: { earliest: \"08:00\", latest: \"13:00\", step: 1h }\n    \
cost_per_shift: 10\n    max_count: 2\n";
    // The optimum of each, from an independent MIP solver (HiGHS) on the same columns.
    for (name, rules, optimum) in [("share", share, 6740.0), ("minimum", minimum, 4100.0)] {
        let rules = write(dir.path(), &format!("{name}.yaml"), rules);
        let j = schedule_json(&[
            sc.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
            "--requirement",
            req.to_str().unwrap(),
            "--no-simulate",
        ]);
        let n = per_type(&j);
        let all: u64 = n.values().sum();
        let of = |t: &str| n.get(t).copied().unwrap_or(0);
        match name {
            "share" => {
                assert!(of("part") * 5 <= all, "{name}: {n:?}: part-time above 20%");
                assert!(of("short") <= 2, "{name}: {n:?}: above max_count 2");
            }
            _ => assert!(of("evening") >= 3 && of("flex") <= 2, "{name}: {n:?}"),
        }
        let (cost, bound, gap) = (
            j["roster"]["cost"].as_f64().unwrap(),
            j["lp_bound"]["cost"].as_f64().unwrap(),
            j["roster"]["gap"].as_f64().unwrap(),
        );
        assert!(cost >= bound - 1e-6 && gap >= -1e-9, "{name}: cost {cost} below the LP bound {bound} (gap {gap})");
        assert!((cost - optimum).abs() < 1e-6, "{name}: cost {cost}, the optimum is {optimum}");
        for i in j["intervals"].as_array().unwrap() {
            assert!(i["scheduled"]["team"].as_f64().unwrap() >= i["required"]["team"].as_f64().unwrap(), "{name}: {i}");
        }
    }
}

#[test]
fn a_repair_the_count_limits_do_not_allow_leaves_its_interval_short_and_named_with_the_roster() {
    // One agent asked for where the calls need seven: the simulation asks for
    // more everywhere, and the rules allow three shifts at most.
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "desk.yaml", DESK);
    let req = half_hours(dir.path(), &[1; 20]);
    let rules = write(
        dir.path(),
        "three.yaml",
        "shift_types:\n  day:\n    length: 10h\n    start: { earliest: \"08:00\", latest: \"08:00\", step: 30m }\n    \
breaks: [{ length: 30m, within: [4h, 5h] }]\n    max_count: 3\n",
    );
    let args = [sc.to_str().unwrap(), "--rules", rules.to_str().unwrap(), "--requirement", req.to_str().unwrap()];
    let j = schedule_json(&args);
    assert_eq!(j["roster"]["agents"].as_u64(), Some(3), "{}", j["roster"]);
    assert!(!j["repairs"].as_array().unwrap().is_empty(), "the third shift is a repair");
    let left = j["simulated"]["left"].as_array().unwrap();
    assert_eq!(left.len(), 20, "every interval still missing the target is named once: {left:?}");
    for l in left {
        assert_eq!(l["pool"], "team");
        assert!(l["label"].as_str().unwrap().contains('–') && l["target"] == "service_level >= 80%", "{l}");
    }
    // The text report prints the roster and names the intervals by clock time.
    let o = shop(&[&["schedule"], &args[..]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("Shifts\n") && text.contains("08:00 ┆ 18:00"), "{text}");
    assert!(
        text.contains("Left short by the repairs: ")
            && text.contains("08:00–08:30 team (service_level >= 80%")
            && text.contains("no shift within the rules' count and share limits"),
        "{text}"
    );
    assert!(!text.contains("slot 0"), "{text}");
}

#[test]
fn write_never_replaces_the_requirement_the_targets_or_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "morning.yaml", MORNING);
    let rules = write(dir.path(), "rules.yaml", MORNING_RULES);
    let req = half_hours(dir.path(), &[3, 4, 6, 6, 6, 6, 4, 4]);
    let targets = write(dir.path(), "tg.yaml", "- service_level >= 80%\n");
    let kept = |p: &Path| std::fs::read_to_string(p).unwrap();
    let (req_text, targets_text, rules_text) = (kept(&req), kept(&targets), kept(&rules));
    // Each input named by --write, once as given and once by another path to the same file.
    let other = |p: &Path| dir.path().join(".").join(p.file_name().unwrap());
    for (write_to, what) in [
        (req.clone(), "--requirement file"),
        (other(&req), "--requirement file"),
        (rules.clone(), "--rules file"),
        (other(&rules), "--rules file"),
    ] {
        let o = shop(&[
            "schedule",
            sc.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
            "--requirement",
            req.to_str().unwrap(),
            "--no-simulate",
            "--write",
            write_to.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "--write {}", write_to.display());
        assert!(
            stderr(&o).contains(&format!("this is the input file {}", req.parent().unwrap().display())),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains(what), "{}", stderr(&o));
    }
    for (verb, extra) in [("schedule", vec!["--rules", rules.to_str().unwrap(), "--no-simulate"]), ("staff", vec![])] {
        let mut args = vec![verb, sc.to_str().unwrap(), "--targets", targets.to_str().unwrap()];
        args.extend(extra);
        args.extend(["--write", targets.to_str().unwrap()]);
        let o = shop(&args);
        assert_eq!(o.status.code(), Some(2), "{verb}: {}", stdout(&o));
        assert!(stderr(&o).contains("--targets file"), "{verb}: {}", stderr(&o));
    }
    assert_eq!((kept(&req), kept(&targets), kept(&rules)), (req_text, targets_text, rules_text));
    assert_eq!(kept(&sc), MORNING);
}

#[test]
fn the_docs_give_the_support_lines_column_count_the_binary_reports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let j = schedule_json(&[
        root.join("scenarios/support_line.yaml").to_str().unwrap(),
        "--rules",
        root.join("examples/support_line_rules.yaml").to_str().unwrap(),
        "--replications",
        "2",
        "--no-simulate",
    ]);
    let columns: Vec<u64> = j["pools"].as_array().unwrap().iter().map(|p| p["columns"].as_u64().unwrap()).collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{columns:?}");
    let n = columns[0];
    let shown = format!("{},{:03}", n / 1000, n % 1000);
    for (doc, says) in [
        ("README.md", format!("({shown} columns per pool")),
        ("docs/schedule.md", format!("(the\nsupport line: {shown} per pool)")),
        ("BENCHMARKS.md", format!("× {shown} columns;")),
    ] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        assert!(text.contains(&says), "{doc} does not say {says:?} ({n} columns per pool)");
    }
}

#[test]
fn with_soft_the_headline_and_the_table_give_the_same_lp_bound_of_cost_plus_penalty() {
    let dir = tempfile::tempdir().unwrap();
    let (sc, rules, req) = short_from_the_start(dir.path());
    let args =
        [sc.to_str().unwrap(), "--rules", rules.to_str().unwrap(), "--requirement", req.to_str().unwrap(), "--soft"];
    let j = schedule_json(&[&args[..], &["--no-simulate"]].concat());
    let (bound, cost) = (j["lp_bound"]["objective"].as_f64().unwrap(), j["lp_bound"]["cost"].as_f64().unwrap());
    let roster = j["roster"]["objective"].as_f64().unwrap();
    assert!(bound > cost + 1e-6, "the penalty is part of the bound: {bound} against {cost}");
    let text = stdout(&shop(&[&["schedule"], &args[..], &["--no-simulate"]].concat()));
    let headline = text.lines().next().unwrap();
    assert!(
        headline.contains(&format!("LP bound of cost plus penalty {bound:.2}"))
            && headline.contains(&format!("{roster:.2} with the penalty")),
        "{headline}"
    );
    assert!(!headline.contains(&format!("LP bound {cost:.2}")), "{headline}");
    let row = text.lines().find(|l| l.contains("│ team")).unwrap();
    assert!(row.contains(&format!("{bound:.2}")), "the table's bound is the headline's: {row}");
    assert!(text.contains("LP bound (cost + penalty)"), "{text}");
}
