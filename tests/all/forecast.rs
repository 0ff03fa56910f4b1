//! `shop forecast LOG`: Holt–Winters on the log's daily calls, an intraday
//! profile per weekday, the error on held-out days beside seasonal naive.

use super::cmd::{shop, stderr, stdout};

const BANK_HEADER: &str = "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver";

/// A small deterministic generator (SplitMix64): the test needs no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Poisson by inversion of the exponential gaps in one unit of time.
    fn poisson(&mut self, mean: f64) -> u32 {
        let (mut n, mut t) = (0, 0.0);
        loop {
            t += -(1.0 - self.next()).ln() / mean;
            if t > 1.0 {
                return n;
            }
            n += 1;
        }
    }
}

/// `weeks` of an anonymous-bank log from Monday 1999-01-04: a weekly pattern
/// (Friday busiest, Saturday light, Sunday closed), a level rising by `trend`
/// calls a day, Poisson days; calls from 08:00 to 18:00, busiest late morning.
fn bank_log(weeks: usize, level: f64, trend: f64, seed: u64) -> String {
    const WEEK: [f64; 7] = [1.1, 1.0, 1.0, 1.0, 1.2, 0.4, 0.0];
    let mut rng = Rng(seed);
    let mut out = String::from(BANK_HEADER) + "\n";
    let mut id = 1;
    for day in 0..weeks * 7 {
        let mean = (level + trend * day as f64) * WEEK[day % 7];
        let n = rng.poisson(mean);
        // 1999-01-04 + day, as YYMMDD (January and February 1999 only).
        let (m, d) = if day + 4 <= 31 { (1, day + 4) } else { (2, day + 4 - 31) };
        for _ in 0..n {
            // Two thirds of the calls 09:00–13:00, the rest 08:00–18:00.
            let secs = if rng.next() < 2.0 / 3.0 {
                9.0 * 3600.0 + rng.next() * 4.0 * 3600.0
            } else {
                8.0 * 3600.0 + rng.next() * 10.0 * 3600.0
            };
            let t = secs as u64;
            let hms = |s: u64| format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
            out.push_str(&format!(
                "AA0101\t{id}\t0\t0\tPS\t99{m:02}{d:02}\t{}\t{}\t5\t0:00:00\t0:00:00\t0\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\n",
                hms(t),
                hms(t + 5)
            ));
            id += 1;
        }
    }
    out
}

fn forecast(log: &str, args: &[&str]) -> (String, String, Option<i32>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bank.tsv");
    std::fs::write(&file, log).unwrap();
    let mut all = vec!["forecast", file.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = shop(&all);
    (stdout(&o), stderr(&o), o.status.code(), dir)
}

#[test]
fn a_weekly_pattern_with_a_trend_beats_seasonal_naive_on_the_held_out_week() {
    // 1,500 calls a day rising by 8 a day: last week's volumes lag the trend.
    let log = bank_log(8, 1500.0, 8.0, 7);
    let (out, err, code, _dir) = forecast(&log, &["--holdout", "7d", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let f: serde_json::Value = serde_json::from_str(&out).unwrap();
    let h = &f["holdout"];
    let get = |k: &str| h[k].as_f64().unwrap();
    assert!(get("wape_daily") < get("naive_wape_daily"), "{h}");
    assert!(get("wape_interval") < get("naive_wape_interval"), "{h}");
    assert!(get("wape_daily") < 0.05, "{h}");
    // The next days follow the pattern: Sunday closed, Friday the busiest weekday.
    let next = f["next"].as_array().unwrap();
    assert_eq!(next.len(), 14);
    let calls = |w: &str| next.iter().find(|d| d["weekday"] == w).unwrap()["calls"].as_f64().unwrap();
    assert_eq!(calls("Sunday"), 0.0);
    assert!(
        calls("Friday") > calls("Monday")
            && calls("Monday") > calls("Tuesday")
            && calls("Saturday") < 0.5 * calls("Tuesday")
    );
    // The trend: the next Tuesday is day 57, near (1500 + 8·57)·1.0 = 1956.
    let tuesday = calls("Tuesday");
    assert!((tuesday - 1956.0).abs() < 80.0, "Tuesday {tuesday}");
    // Poisson days: hardly any spread beyond Poisson.
    assert!(f["volume_spread"].as_f64().unwrap() < 0.05, "{}", f["volume_spread"]);
    let (text, _, _, _) = forecast(&log, &[]);
    assert!(text.contains("seasonal naive") && text.contains("The forecast beats seasonal naive"), "{text}");
}

#[test]
fn out_writes_arrivals_and_volume_spread_a_scenario_runs_with() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("bank.tsv");
    std::fs::write(&log, bank_log(4, 400.0, 0.0, 3)).unwrap();
    let keys = dir.path().join("keys.yaml");
    let o = shop(&["forecast", log.to_str().unwrap(), "--out", keys.to_str().unwrap(), "--day", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&keys).unwrap();
    assert!(text.contains("opens: \"08:00\"") && text.contains("arrivals:\n  - { from: 0h, rate: "), "{text}");
    // Indented under a caller type, the keys make a scenario that runs.
    let (top, caller) = text.split_once("arrivals:").unwrap();
    let scenario = format!(
        "{top}seed: 1\nreplications: 2\ncallers:\n  c:\n    arrivals:{}\nqueues:\n  q: {{ pools: [p] }}\npools:\n  p: {{ agents: 30, handle: exp(4m) }}\nstart: q\n",
        caller.lines().map(|l| format!("    {l}\n")).collect::<String>().trim_start_matches(' ')
    );
    let file = dir.path().join("s.yaml");
    std::fs::write(&file, scenario).unwrap();
    let o = shop(&["run", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // --out never replaces a file without --force.
    let o = shop(&["forecast", log.to_str().unwrap(), "--out", keys.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exists"), "{}", stderr(&o));
}

#[test]
fn too_short_a_log_says_how_many_days_it_needs() {
    let (_, err, code, _dir) = forecast(&bank_log(1, 400.0, 0.0, 1), &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("needs at least 14"), "{err}");
    let (_, err, code, _dir) = forecast(&bank_log(3, 400.0, 0.0, 1), &["--holdout", "10d"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("leaves 10 day(s) to fit"), "{err}");
}

#[test]
fn scenario_base_writes_a_whole_scenario_that_keeps_the_files_comments_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("bank.tsv");
    std::fs::write(&log, bank_log(4, 400.0, 0.0, 5)).unwrap();
    let base = dir.path().join("base.yaml");
    std::fs::write(
        &base,
        "# my line\nname: base\nseed: 1\nreplications: 2\nhorizon: 8h\ncallers:\n  PS:   # retail\n    arrivals: 100/h\n    \
         patience: exp(4m)\nqueues:\n  q: { pools: [p] }\npools:\n  p: { agents: 20, handle: exp(4m) }  # the team\nstart: q\n",
    )
    .unwrap();
    let out = dir.path().join("next.yaml");
    // Day 1 after the log (a Saturday-ended log: Sunday, closed) has no calls: refused with a hint.
    let o = shop(&[
        "forecast",
        log.to_str().unwrap(),
        "--scenario",
        base.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--day N") && !out.exists(), "{}", stderr(&o));
    let o = shop(&[
        "forecast",
        log.to_str().unwrap(),
        "--scenario",
        base.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--day",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    for kept in ["# my line", "PS:   # retail", "# the team", "patience: exp(4m)"] {
        assert!(text.contains(kept), "{kept} in\n{text}");
    }
    assert!(text.contains("opens: \"08:00\"") && text.contains("horizon: 10h") && !text.contains("100/h"), "{text}");
    // The written day's calls are the forecast's: Monday, 400 a day with a Monday factor of 1.1.
    let o = shop(&["run", out.to_str().unwrap(), "--replications", "20", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let calls = r["overall"]["calls"].as_f64().unwrap() / 20.0;
    assert!((calls - 440.0).abs() < 40.0, "calls a day {calls}");
    // The base is never the output.
    let o = shop(&[
        "forecast",
        log.to_str().unwrap(),
        "--scenario",
        base.to_str().unwrap(),
        "--out",
        base.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_shop_logs_days_are_numbered_in_order() {
    // 30 replications of one day: days 0–29, then the forecast's day 30 on
    // (not replication × 366, the log's internal day key).
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("d.yaml");
    std::fs::write(
        &design,
        "name: days\nseed: 1\nreplications: 30\nhorizon: 8h\nstart: q\ncallers:\n  c: { arrivals: 60/h }\n\
         queues:\n  q: { pools: [p] }\npools:\n  p: { agents: 3, handle: exp(2m) }\n",
    )
    .unwrap();
    let log = dir.path().join("log.csv");
    let o = shop(&["run", design.to_str().unwrap(), "--log", log.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = shop(&["forecast", log.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = r.to_string();
    assert!(text.contains("\"day 29\""), "{text}");
    assert!(!text.contains("day 366") && !text.contains("day 10614"), "{text}");
    assert_eq!(r["next"][0]["date"], "day 30", "{}", r["next"]);
}
