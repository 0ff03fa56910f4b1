//! Day types through the binary: a dated log of busy weekdays, a quieter
//! Friday and a near-empty Saturday is told apart into three types, each
//! fitted on its own days; `backtest` scores a type's scenario on that
//! type's days only.

use std::path::{Path, PathBuf};

use crate::cmd::{shop, stderr, stdout};
use crate::logs::{BANK_HEADER, to_bank_on, write};
use serde_json::Value;

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// 1999-01-04, a Monday, in days since 1970-01-01.
const MONDAY: i64 = 10_595;

/// A bank line at `scale` × the weekday volume, simulated `reps` days.
fn line(dir: &Path, name: &str, scale: f64, reps: u32) -> String {
    let r = |x: f64| format!("{:.2}/h", x * scale);
    let design = write(
        dir,
        &format!("{name}.yaml"),
        &format!(
            "name: {name}\nseed: 7\nreplications: {reps}\nhorizon: 10h\n\
             callers:\n  PS: {{ arrivals: [{{ from: 0h, rate: {} }}, {{ from: 2h, rate: {} }}, {{ from: 6h, rate: {} }}], patience: exp(4m) }}\n\
             queues:\n  agents: {{ pools: [tellers] }}\n\
             pools:\n  tellers: {{ agents: {}, handle: \"gamma(2, 3m)\" }}\n\
             start: agents\n",
            r(40.0),
            r(70.0),
            r(45.0),
            ((6.0 * scale).ceil() as u32).max(1)
        ),
    );
    let log = dir.join(format!("{name}.csv"));
    let o = shop(&["run", s(&design), "--log", s(&log), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read_to_string(log).unwrap()
}

/// Two weeks: Monday to Thursday busy, Friday a third of it, Saturday a tenth.
fn week_log(dir: &Path) -> PathBuf {
    let weekdays = line(dir, "weekday", 1.0, 8);
    let fridays = line(dir, "friday", 1.0 / 3.0, 2);
    let saturdays = line(dir, "saturday", 0.1, 2);
    let body = |text: String| text.lines().skip(1).map(|l| format!("{l}\n")).collect::<String>();
    let mut all = BANK_HEADER.replace('\t', ",") + "\n";
    all += &body(to_bank_on(&weekdays, 8.0 * 3600.0, &|r| MONDAY + 7 * (r / 4) + r % 4, 0));
    all += &body(to_bank_on(&fridays, 8.0 * 3600.0, &|r| MONDAY + 4 + 7 * r, 0));
    all += &body(to_bank_on(&saturdays, 8.0 * 3600.0, &|r| MONDAY + 5 + 7 * r, 0));
    write(dir, "bank.csv", &all)
}

fn json(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or(Value::Null)
}

fn per_day(fit: &Value) -> f64 {
    fit["callers"][0]["first_calls"].as_f64().unwrap_or(f64::NAN) / fit["days"].as_array().map_or(1, Vec::len) as f64
}

#[test]
fn weekdays_friday_and_saturday_are_fitted_apart_and_scored_on_their_own_days() {
    let dir = tempfile::tempdir().unwrap();
    let log = week_log(dir.path());
    let out = dir.path().join("types");
    std::fs::create_dir(&out).unwrap();
    let v = json(&shop(&["fit", s(&log), "--schema", "anonymous-bank", "--format", "json", "--out-dir", s(&out)]));
    let types: Vec<(String, usize)> = v["day_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap_or("").to_string(), t["days"].as_u64().unwrap_or(0) as usize))
        .collect();
    assert_eq!(types, [("weekdays".to_string(), 8), ("friday".to_string(), 2), ("saturday".to_string(), 2)]);
    // The busiest type is fitted first; each file is its type's days only.
    let fits = v["fits"].as_array().unwrap();
    assert_eq!(fits.len(), 3);
    let (busy, friday) = (per_day(&fits[0]), per_day(&fits[1]));
    assert!((friday / busy - 1.0 / 3.0).abs() < 0.06, "Friday {friday:.0} calls against {busy:.0} a weekday");
    let text = std::fs::read_to_string(out.join("weekdays.yaml")).unwrap();
    assert!(text.contains("# day type: weekdays (Mon Tue Wed Thu)"), "{text}");
    for f in ["weekdays.yaml", "friday.yaml", "saturday.yaml"] {
        let o = shop(&["validate", s(&out.join(f))]);
        assert!(o.status.success(), "{f}: {}{}", stdout(&o), stderr(&o));
    }
    // The table names them.
    let o = shop(&[
        "fit",
        s(&log),
        "--schema",
        "anonymous-bank",
        "--day-type",
        "friday",
        "--out",
        s(&dir.path().join("fri.yaml")),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(table.contains("== friday (Fri) (2 day(s)) =="), "{table}");
    assert!(table.lines().any(|l| l.trim_start().starts_with("saturday") && l.contains("Sat")), "{table}");
    // An unknown type is refused, naming the types.
    let o = shop(&["fit", s(&log), "--schema", "anonymous-bank", "--day-type", "sunday"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`weekdays` (Mon Tue Wed Thu)"), "{}", stderr(&o));
    // Friday's scenario is scored on the two Fridays only.
    let b = json(&shop(&["backtest", s(&log), s(&out.join("friday.yaml")), "--format", "json", "--replications", "4"]));
    let calls = b["overall"]["actual"]["calls"].as_f64().unwrap_or(f64::NAN);
    assert!((calls - friday).abs() < 1.0, "backtest counts {calls:.1} calls a day, the Fridays had {friday:.1}");
    let notes = b.to_string();
    assert!(notes.contains("day type `friday` (Fri)"), "{notes}");
}
