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
