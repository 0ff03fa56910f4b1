//! Uncertain days (part 3): `volume_spread` scales each simulated day's
//! arrivals by a gamma factor; a spread of 0 is no spread at all.

use super::cmd::{shop, stderr, stdout};

/// One caller type, one queue, plenty of agents: calls = arrivals (no redials).
fn design(spread_line: &str, caller_spread: &str) -> String {
    format!(
        "name: days\nseed: 11\nreplications: 20\nhorizon: 8h\n{spread_line}\ncallers:\n  \
         c: {{ arrivals: 100/h, patience: exp(4m){caller_spread} }}\n\
         queues:\n  q: {{ pools: [p] }}\npools:\n  p: {{ agents: 14, handle: exp(7m) }}\nstart: q\n"
    )
}

fn run(yaml: &str, args: &[&str]) -> (String, String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("days.yaml");
    std::fs::write(&file, yaml).unwrap();
    let mut all = vec!["run", file.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = shop(&all);
    (stdout(&o), stderr(&o), o.status.code())
}

#[test]
fn a_spread_of_zero_runs_exactly_as_the_file_without_the_key() {
    for format in ["json", "table", "csv"] {
        let (plain, _, _) = run(&design("", ""), &["--format", format]);
        for (top, own) in [("volume_spread: 0%", ""), ("", ", volume_spread: 0"), ("volume_spread: 0.0", "")] {
            let (zero, _, _) = run(&design(top, own), &["--format", format]);
            assert_eq!(plain, zero, "{top}{own} in {format}");
        }
    }
}

#[test]
fn a_spread_changes_the_days_and_the_same_seed_gives_the_same_bytes_on_any_threads() {
    let yaml = design("volume_spread: 15%", "");
    let (plain, _, _) = run(&design("", ""), &["--format", "json"]);
    let (one, _, _) = run(&yaml, &["--format", "json", "--threads", "1"]);
    let (four, _, _) = run(&yaml, &["--format", "json", "--threads", "4"]);
    assert_ne!(plain, one);
    assert_eq!(one, four);
}

#[test]
fn a_bad_spread_names_the_file_line_key_and_what_is_expected() {
    for (value, expected) in [("-5%", "expected 0% to 100%"), ("150%", "expected 0% to 100%"), ("abc", "12%")] {
        let (out, err, code) = run(&design("", &format!(", volume_spread: {value}")), &[]);
        assert_eq!(code, Some(2), "{value}: {out}{err}");
        assert!(err.contains("days.yaml:7:") && err.contains("volume_spread"), "{value}: {err}");
        assert!(err.contains(expected), "{value}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

fn json(yaml: &str) -> serde_json::Value {
    let (out, err, code) = run(yaml, &["--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).unwrap()
}

/// The daily calls of a run: one figure per simulated day of `by_day`.
fn daily(report: &serde_json::Value, key: &str) -> Vec<f64> {
    report["by_day"].as_array().unwrap().iter().filter_map(|d| d[key].as_f64()).collect()
}

#[test]
fn daily_calls_have_the_poisson_gamma_variance_mean_plus_cv_mean_squared() {
    // 1000 days: 200 replications of a 5-day chain (each day its own factor).
    let yaml = "seed: 3\nreplications: 200\ndays: 5\nhorizon: 8h\n\
                callers:\n  c: { arrivals: 100/h, volume_spread: 20% }\n\
                queues:\n  q: { pools: [p] }\npools:\n  p: { agents: 30, handle: exp(3m) }\nstart: q\n";
    let calls = daily(&json(yaml), "calls");
    assert_eq!(calls.len(), 1000);
    let n = calls.len() as f64;
    let mean = calls.iter().sum::<f64>() / n;
    let var = calls.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (n - 1.0);
    // Poisson–gamma: variance = mean + (cv·mean)², here 800 + 160² = 26 400 (Poisson alone: 800).
    let expected = 800.0 + (0.2f64 * 800.0).powi(2);
    // The sample variance's standard error, from the sample's fourth central moment:
    // Var(s²) ≈ (m4 − s⁴·(n−3)/(n−1)) / n.
    let m4 = calls.iter().map(|c| (c - mean).powi(4)).sum::<f64>() / n;
    let se = ((m4 - var * var * (n - 3.0) / (n - 1.0)) / n).sqrt();
    assert!((mean - 800.0).abs() < 3.0 * (expected / n).sqrt(), "mean {mean}");
    assert!((var - expected).abs() < 1.96 * se, "variance {var}, expected {expected} ± {}", 1.96 * se);
    assert!(var > 10.0 * 800.0, "over-dispersed: {var}");
}

#[test]
fn the_worst_and_one_in_ten_days_are_read_off_the_days() {
    let yaml = design("volume_spread: 20%", "").replace("replications: 20", "replications: 30");
    let r = json(&yaml);
    let sl = daily(&r, "service_level");
    let ab = daily(&r, "abandon_rate");
    let p95: Vec<f64> = r["by_day"].as_array().unwrap().iter().filter_map(|d| d["wait"]["p95"].as_f64()).collect();
    assert_eq!(sl.len(), 30);
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let o = &r["overall"];
    assert_eq!(o["worst_day"]["service_level"].as_f64(), Some(min(&sl)));
    assert_eq!(o["worst_day"]["abandon_rate"].as_f64(), Some(max(&ab)));
    assert_eq!(o["worst_day"]["wait"]["p95"].as_f64(), Some(max(&p95)));
    // 30 days: the 1-in-10 day is the 3rd worst.
    let mut s = sl.clone();
    s.sort_by(f64::total_cmp);
    assert_eq!(o["p10_day"]["service_level"].as_f64(), Some(s[2]));
    let mut a = ab.clone();
    a.sort_by(|x, y| y.total_cmp(x));
    assert_eq!(o["p90_day"]["abandon_rate"].as_f64(), Some(a[2]));
    assert_eq!(r["by_caller"]["c"]["worst_day"], o["worst_day"]);
    let (text, _, _) = run(&yaml, &[]);
    assert!(text.contains("on 1 day in 10, service level was"), "{text}");
}

#[test]
fn two_designs_with_the_same_spread_face_the_same_busy_and_quiet_days() {
    let a = design("volume_spread: 20%", "");
    let b = a.replace("agents: 14", "agents: 16");
    let calls = |yaml: &str| daily(&json(yaml), "calls");
    assert_eq!(calls(&a), calls(&b));
    assert_ne!(calls(&a), calls(&design("volume_spread: 10%", "")));
}

#[test]
fn the_html_page_draws_the_daily_service_level_only_with_a_spread() {
    let (page, _, code) = run(&design("volume_spread: 20%", ""), &["--format", "html"]);
    assert_eq!(code, Some(0));
    assert!(page.contains(r#"<figure class="chart" id="days">"#), "no days chart");
    assert!(page.contains(r#"data-series="c""#));
    let (plain, _, _) = run(&design("", ""), &["--format", "html"]);
    assert!(!plain.contains(r#"id="days""#));
}

/// `shop compare`/`check` of two versions of [`design`] with a spread.
fn pair(verb: &str, a: &str, b: &str, args: &[&str]) -> (String, String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    let (fa, fb) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
    std::fs::write(&fa, a).unwrap();
    std::fs::write(&fb, b).unwrap();
    let mut all = vec![verb, fa.to_str().unwrap(), fb.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = shop(&all);
    (stdout(&o), stderr(&o), o.status.code())
}

#[test]
fn compare_pairs_the_worst_and_one_in_ten_days_and_they_match_each_runs_days() {
    let a = design("volume_spread: 20%", "").replace("replications: 20", "replications: 30");
    let b = a.replace("agents: 14", "agents: 13");
    let (out, err, code) = pair("compare", &a, &b, &["--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    for (yaml, side) in [(&a, "a"), (&b, "b")] {
        let r = json(yaml);
        for (key, day) in [
            ("worst_day.service_level", &r["overall"]["worst_day"]["service_level"]),
            ("worst_day.wait.p95", &r["overall"]["worst_day"]["wait"]["p95"]),
            ("p10_day.service_level", &r["overall"]["p10_day"]["service_level"]),
            ("p90_day.abandon_rate", &r["overall"]["p90_day"]["abandon_rate"]),
        ] {
            assert_eq!(&c["overall"][key][side], day, "{key} of {side}");
        }
    }
    // One agent fewer on the same days: the 1-in-10 day is really worse.
    assert_eq!(c["overall"]["p10_day.service_level"]["verdict"], "worse");
    // The bootstrap's intervals are the same bytes on any number of threads.
    // (Each call writes the designs to a new directory: the file names differ, nothing else.)
    let without_files = |threads: &str| {
        let (out, _, _) = pair("compare", &a, &b, &["--format", "json", "--threads", threads]);
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["a"]["file"] = serde_json::Value::Null;
        v["b"]["file"] = serde_json::Value::Null;
        v.to_string()
    };
    assert_eq!(without_files("1"), without_files("2"));
    let (text, _, _) = pair("compare", &a, &b, &[]);
    assert!(text.contains("c: p10_day.service_level"), "{text}");
    // Without a spread the days are not compared (the report is as before).
    let plain = design("", "");
    let (out, _, _) = pair("compare", &plain, &plain, &["--format", "json"]);
    assert!(!out.contains("p10_day"), "{out}");
}

#[test]
fn check_gates_the_one_in_ten_day_with_a_paired_interval() {
    let a = design("volume_spread: 20%", "");
    let fewer = a.replace("agents: 14", "agents: 12");
    let gates = ["--gate", "p10_day.service_level >= -2pt", "--gate", "p90_day.wait.p95 <= +10%"];
    let (out, err, code) = pair("check", &a, &fewer, &[&gates[..], &["--format", "json"]].concat());
    assert_eq!(code, Some(1), "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sl = r["results"].as_array().unwrap().iter().find(|g| g["metric"] == "p10_day.service_level").unwrap();
    assert_eq!(sl["status"], "failed", "{sl}");
    let [lo, hi] = [sl["change_ci95"][0].as_f64().unwrap(), sl["change_ci95"][1].as_f64().unwrap()];
    let change = sl["change"].as_f64().unwrap();
    assert!(lo <= change && change <= hi && hi < -0.02, "{lo} {change} {hi}");
    // The same design passes (every paired day is the same day), even without a spread.
    let (_, err, code) = pair("check", &a, &a, &gates);
    assert_eq!(code, Some(0), "{err}");
    let plain = design("", "");
    let (out, err, code) = pair("check", &plain, &plain, &gates);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("p10_day.service_level"), "{out}");
}

/// Agents on the phones part of their time (`availability`) over a chain of
/// days: each day starts its agents' on-phone stretches afresh, so the days
/// after the first are staffed as the first. (Before the fix an agent on duty
/// overnight counted the night as time on the phones and went off for a third
/// of it: a chain of 4 days abandoned 45% where one day abandons 12%.)
#[test]
fn a_chain_of_days_keeps_its_agents_on_the_phones_day_after_day() {
    let yaml = |days: u32, reps: u32| {
        format!(
            "name: chain\nseed: 3\nreplications: {reps}\ndays: {days}\nhorizon: 8h\nstart: q\n\
             callers:\n  c: {{ arrivals: 150/h, patience: exp(3m) }}\n\
             queues:\n  q: {{ pools: [p] }}\npools:\n  p: {{ agents: 18, handle: exp(5m), availability: 0.75 }}\n"
        )
    };
    let abandon = |text: &str| -> f64 {
        let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        v["overall"]["abandon_rate"].as_f64().unwrap_or(f64::NAN)
    };
    let (one, err, code) = run(&yaml(1, 40), &["--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let (chain, err, code) = run(&yaml(4, 10), &["--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let (a, b) = (abandon(&one), abandon(&chain));
    // 40 days each side, ~1,200 calls a day: the two abandon rates agree within 1.5 points.
    assert!((a - b).abs() <= 0.015, "one day at a time {a:.3}, chained days {b:.3}");
}
