//! Sharded runs: `run|compare|backtest --replications A..B --format shard`
//! and `shop merge`. The merge of any split of 0..N, given in any order, is
//! byte for byte the report of one run of N replications (HTML page
//! included); shards of different runs, logs, versions, overlapping or
//! leaving a gap are refused (exit 2, saying which).

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::cmd::{shop, stderr, stdout};

fn bundled(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name).display().to_string()
}

/// Runs `shop` and insists it succeeded; its stdout.
fn ok(args: &[&str]) -> String {
    let o = shop(args);
    assert!(o.status.success(), "shop {args:?} failed:\n{}", stderr(&o));
    stdout(&o)
}

/// Writes the shard of replications `a..b` of `file` into `dir`.
fn shard(dir: &Path, file: &str, a: u32, b: u32, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("part-{a}-{b}.json"));
    let reps = format!("{a}..{b}");
    let mut args = vec!["run", file, "--replications", &reps, "--format", "shard", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    ok(&args);
    out
}

/// `shop merge` of these shards (in this order) in `format`.
fn merge(shards: &[PathBuf], format: &str) -> std::process::Output {
    let mut args: Vec<&str> = vec!["merge"];
    args.extend(shards.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--format", format]);
    shop(&args)
}

/// Splits 0..n at `cuts` (those inside) into ranges, then orders them by `order`.
fn split(n: u32, cuts: &[u32], order: u64) -> Vec<(u32, u32)> {
    let mut points: Vec<u32> = cuts.iter().copied().filter(|&c| c > 0 && c < n).collect();
    points.sort_unstable();
    points.dedup();
    let mut ranges = Vec::new();
    let mut from = 0;
    for p in points.into_iter().chain([n]) {
        ranges.push((from, p));
        from = p;
    }
    // A Fisher-Yates shuffle driven by `order`.
    let mut state = order;
    for i in (1..ranges.len()).rev() {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ranges.swap(i, (state >> 33) as usize % (i + 1));
    }
    ranges
}

/// Merging the shards of `ranges` gives `run --replications n`'s bytes, in json, table and html.
fn merge_equals_run(file: &str, n: u32, ranges: &[(u32, u32)]) {
    let dir = tempfile::tempdir().unwrap();
    // Shards run on different thread counts, as on a cluster's different machines.
    let shards: Vec<PathBuf> = ranges
        .iter()
        .enumerate()
        .map(|(i, &(a, b))| shard(dir.path(), file, a, b, &["--threads", if i % 2 == 0 { "1" } else { "2" }]))
        .collect();
    let reps = n.to_string();
    for format in ["json", "table", "html"] {
        let whole = ok(&["run", file, "--replications", &reps, "--format", format]);
        let merged = merge(&shards, format);
        assert!(merged.status.success(), "merge of {ranges:?} failed:\n{}", stderr(&merged));
        assert!(stdout(&merged) == whole, "{file}: merge of {ranges:?} differs from one run of {n} in {format}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_split_in_any_order_merges_to_the_run(
        n in 2u32..14,
        cuts in prop::collection::vec(1u32..14, 0..5),
        order in any::<u64>(),
    ) {
        merge_equals_run(&bundled("support_line.yaml"), n, &split(n, &cuts, order));
    }
}

#[test]
fn channels_and_day_chains_merge_exactly_too() {
    // Emails, chats, callbacks and chains of days: every figure a shard carries.
    merge_equals_run(&bundled("blended_team.yaml"), 5, &[(3, 5), (0, 1), (1, 3)]);
}

#[test]
fn csv_and_markdown_merge_exactly_and_a_seed_travels_with_the_shards() {
    let dir = tempfile::tempdir().unwrap();
    let file = bundled("support_line.yaml");
    let seed = ["--seed", "77"];
    let shards = [shard(dir.path(), &file, 2, 4, &seed), shard(dir.path(), &file, 0, 2, &seed)];
    for format in ["csv", "markdown"] {
        let whole = ok(&["run", &file, "--replications", "4", "--seed", "77", "--format", format]);
        assert_eq!(stdout(&merge(&shards, format)), whole, "{format}");
    }
}

/// `merge` refuses (exit 2), with a message containing `says`.
fn refused(shards: &[PathBuf], says: &str) {
    let o = merge(shards, "json");
    assert_eq!(o.status.code(), Some(2), "merge should refuse: {}", stdout(&o));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains(says), "expected `{says}` in:\n{}", stderr(&o));
}

#[test]
fn shards_of_different_scenarios_or_seeds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = shard(dir.path(), &bundled("support_line.yaml"), 0, 2, &[]);
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let b = shard(&other, &bundled("short_menu.yaml"), 2, 4, &[]);
    refused(&[a.clone(), b], "are shards of different runs");
    let seeded = dir.path().join("seeded");
    std::fs::create_dir(&seeded).unwrap();
    let c = shard(&seeded, &bundled("support_line.yaml"), 2, 4, &["--seed", "5"]);
    refused(&[a, c], "are shards of different runs");
}

#[test]
fn overlaps_and_gaps_are_refused_naming_the_replications() {
    let dir = tempfile::tempdir().unwrap();
    let file = bundled("support_line.yaml");
    let (a, b, c) =
        (shard(dir.path(), &file, 0, 3, &[]), shard(dir.path(), &file, 2, 5, &[]), shard(dir.path(), &file, 4, 6, &[]));
    refused(&[b.clone(), a.clone()], "replications 2..3 would count twice");
    refused(&[c.clone(), a.clone()], "replications 3..4 are in none of the shards");
    // A union not starting at 0 is no run's either.
    refused(&[c], "replications 0..4 are in none of the shards");
    refused(&[a.clone(), a], "would count twice");
}

#[test]
fn another_version_or_shard_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = bundled("support_line.yaml");
    let a = shard(dir.path(), &file, 0, 2, &[]);
    let text = std::fs::read_to_string(&a).unwrap();
    let version = format!("\"shop_version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with("{\"shop-shard\":2,") && text.contains(&version), "{}", &text[..80]);

    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, text.replace(&version, "\"shop_version\":\"9.9.9\"")).unwrap();
    refused(&[newer], "written by shop 9.9.9");
    // Format 1 (before backtest shards) is refused: its shop would take a backtest's for a run's.
    let format1 = dir.path().join("format1.json");
    std::fs::write(&format1, text.replacen("{\"shop-shard\":2,", "{\"shop-shard\":1,", 1)).unwrap();
    refused(&[format1], "shard format 1");
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{\"name\": 1}").unwrap();
    refused(&[junk], "not a shard");
}

#[test]
fn a_range_is_a_shard_only() {
    let file = bundled("support_line.yaml");
    let o = shop(&["run", &file, "--replications", "0..3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format shard"), "{}", stderr(&o));
    let o = shop(&["run", &file, "--replications", "3..1", "--format", "shard"]);
    assert_eq!(o.status.code(), Some(2));
    // Piped (as here), a shard goes to stdout.
    let piped = ok(&["run", &file, "--replications", "1..2", "--format", "shard"]);
    assert!(piped.starts_with("{\"shop-shard\":2,"));
}

#[test]
fn the_html_page_of_merged_shards_tells_the_runs_worst_journeys() {
    // Seed 2026 puts support_line's three longest holds of 0..5 in
    // replications 2 and 0: split apart here. Shards keep no journey; the
    // merge finds them again, and the page is the run's, byte for byte.
    let file = bundled("support_line.yaml");
    merge_equals_run(&file, 5, &[(2, 3), (0, 2), (3, 5)]);
    let dir = tempfile::tempdir().unwrap();
    let shards = [shard(dir.path(), &file, 1, 5, &[]), shard(dir.path(), &file, 0, 1, &[])];
    let page = stdout(&merge(&shards, "html"));
    assert_eq!(page.matches("<article class=\"journey\">").count(), 3, "{}", &page[..200]);
}

#[test]
fn compare_shards_merge_to_the_comparison_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (bundled("short_menu.yaml"), bundled("long_menu.yaml"));
    let part = |from: u32, to: u32, threads: &str| {
        let out = dir.path().join(format!("cmp-{from}-{to}.json"));
        let reps = format!("{from}..{to}");
        ok(&[
            "compare",
            &a,
            &b,
            "--replications",
            &reps,
            "--threads",
            threads,
            "--format",
            "shard",
            "--out",
            out.to_str().unwrap(),
        ]);
        out
    };
    let shards = [part(4, 7, "2"), part(0, 1, "1"), part(1, 4, "2")];
    for format in ["json", "table", "csv", "markdown", "html"] {
        let whole = ok(&["compare", &a, &b, "--replications", "7", "--format", format]);
        let merged = merge(&shards, format);
        assert!(merged.status.success(), "{}", stderr(&merged));
        assert!(stdout(&merged) == whole, "compare shards differ from one compare in {format}");
    }
    // A compare shard is no run's.
    let run = shard(dir.path(), &a, 7, 9, &[]);
    refused(&[shards[0].clone(), shards[1].clone(), shards[2].clone(), run], "are shards of different runs");
}

/// The bank example's log and the scenario fitted to it.
fn bank() -> (String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    (root.join("bank_log.csv").display().to_string(), root.join("bank_line.yaml").display().to_string())
}

/// Writes the backtest shard of replications `a..b` of `log` beside the bank scenario into `dir`.
fn backtest_shard(dir: &Path, log: &str, a: u32, b: u32, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("bt-{a}-{b}.json"));
    let reps = format!("{a}..{b}");
    let (_, scenario) = bank();
    let mut args =
        vec!["backtest", log, &scenario, "--replications", &reps, "--format", "shard", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    ok(&args);
    out
}

/// Merging the backtest shards of `ranges` gives `backtest --replications n`'s bytes in `formats`.
fn backtest_merge_equals_one(n: u32, ranges: &[(u32, u32)], extra: &[&str], formats: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let (log, scenario) = bank();
    let shards: Vec<PathBuf> = ranges
        .iter()
        .enumerate()
        .map(|(i, &(a, b))| {
            let mut more = extra.to_vec();
            more.extend(["--threads", if i % 2 == 0 { "1" } else { "2" }]);
            backtest_shard(dir.path(), &log, a, b, &more)
        })
        .collect();
    let reps = n.to_string();
    for format in formats {
        let mut args = vec!["backtest", &log, &scenario, "--replications", &reps, "--format", format];
        args.extend_from_slice(extra);
        let whole = ok(&args);
        let merged = merge(&shards, format);
        assert!(merged.status.success(), "merge of {ranges:?} failed:\n{}", stderr(&merged));
        assert!(stdout(&merged) == whole, "backtest shards {ranges:?} differ from one backtest of {n} in {format}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_split_of_a_backtest_in_any_order_merges_to_the_backtest(
        n in 2u32..12,
        cuts in prop::collection::vec(1u32..12, 0..5),
        order in any::<u64>(),
    ) {
        backtest_merge_equals_one(n, &split(n, &cuts, order), &[], &["json", "table"]);
    }
}

#[test]
fn backtest_shards_merge_in_every_format_with_the_logs_options() {
    let every = ["table", "json", "csv", "markdown", "html"];
    backtest_merge_equals_one(5, &[(3, 5), (0, 3)], &["--interval", "15m", "--last", "1d"], &every);
    backtest_merge_equals_one(4, &[(1, 4), (0, 1)], &["--seed", "9"], &every);
}

#[test]
fn backtest_shards_of_other_logs_or_options_do_not_merge() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = bank();
    let a = backtest_shard(dir.path(), &log, 0, 2, &[]);
    let sub = |name: &str| {
        let d = dir.path().join(name);
        std::fs::create_dir(&d).unwrap();
        d
    };
    // The same log less its last row.
    let text = std::fs::read_to_string(&log).unwrap();
    let shorter = dir.path().join("shorter.csv");
    let cut = text.trim_end().rfind('\n').unwrap();
    std::fs::write(&shorter, &text[..=cut]).unwrap();
    let other_log = backtest_shard(&sub("other"), shorter.to_str().unwrap(), 2, 4, &[]);
    refused(&[a.clone(), other_log], "shards of backtests of different logs");
    for (name, option) in
        [("last", ["--last", "1d"]), ("interval", ["--interval", "15m"]), ("schema", ["--schema", "anonymous-bank"])]
    {
        let b = backtest_shard(&sub(name), &log, 2, 4, &option);
        if name == "schema" {
            // The schema the header names, given: the same reading, the same log.
            let merged = merge(&[a.clone(), b], "json");
            assert!(merged.status.success(), "{}", stderr(&merged));
        } else {
            refused(
                &[a.clone(), b],
                "help: merge the shards of one log, read with the same --schema, --interval and --last",
            );
        }
    }
    // The same model fitted for a day type (a comment line) scores the log's days of that type only.
    let typed = sub("typed").join("bank_line.yaml");
    let scenario = std::fs::read_to_string(bank().1).unwrap();
    std::fs::write(&typed, format!("# day type: all (Mon Tue Wed Thu Fri Sat Sun)\n{scenario}")).unwrap();
    let b = dir.path().join("typed").join("bt-2-4.json");
    ok(&[
        "backtest",
        &log,
        typed.to_str().unwrap(),
        "--replications",
        "2..4",
        "--format",
        "shard",
        "--out",
        b.to_str().unwrap(),
    ]);
    refused(&[a.clone(), b], "shards of backtests of different logs, or of one log read differently");
    // A run of the same scenario is no backtest's.
    let run = shard(&sub("run"), &bank().1, 2, 4, &[]);
    refused(&[a.clone(), run], "are shards of different runs");
    // The missing shard's command is named.
    let late = backtest_shard(&sub("late"), &log, 3, 4, &[]);
    refused(&[a, late], "shop backtest");
    // A range is a shard's only.
    let o = shop(&["backtest", &log, &bank().1, "--replications", "0..2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format shard"), "{}", stderr(&o));
}
