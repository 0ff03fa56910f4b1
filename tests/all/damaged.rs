//! A catalogue of damaged files: each exits 2 with a message, never a panic,
//! a hang or a report. (Valid-but-odd files run and exit 0.)

use std::process::Command;

const OK: &str = "start: q\ncallers:\n  c: { arrivals: 2/m }\nqueues:\n  q: { pools: [team] }\npools:\n  team: { agents: 3, handle: exp(3m) }\n";

fn run(name: &str, bytes: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join(name);
    std::fs::write(&f, bytes).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_shop"))
        .args(["run", f.to_str().unwrap(), "--replications", "1", "--format", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{name} panicked:\n{err}");
    (o.status.code(), err)
}

fn laughs() -> String {
    let mut y = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, name) in [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "g"), ("g", "h")] {
        y.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(",")));
    }
    y + "callers:\n  c: { arrivals: 2/m, reasons: *h }\n"
}

#[test]
fn damaged_files_exit_2_with_a_message() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated.yaml", OK.as_bytes()[..60].to_vec(), "unknown key `pool`"),
        ("truncated_in_a_string.yaml", b"name: \"Acme".to_vec(), "quoted scalar"),
        ("nan.yaml", OK.replace("2/m }", "2/m, accuracy: .nan }").into_bytes(), "NaN is not a probability"),
        ("infinity.yaml", format!("speech_rate: .inf\n{OK}").into_bytes(), "inf is not a speaking rate"),
        ("negative_infinity_share.yaml", OK.replace("2/m }", "2/m, reasons: { a: -.inf, b: 1 } }").into_bytes(), "is not a probability"),
        ("huge_seed.yaml", format!("seed: 1e30\n{OK}").into_bytes(), "expected a whole number"),
        ("huge_agents.yaml", OK.replace("agents: 3", "agents: 99999999999").into_bytes(), "more than 100000 agents"),
        ("huge_rate.yaml", OK.replace("2/m", "1e300/h").into_bytes(), "calls per replication expected"),
        ("huge_duration.yaml", OK.replace("exp(3m)", "exp(99999999999h)").into_bytes(), "too long a duration"),
        ("empty_callers.yaml", b"callers: {}\n".to_vec(), "no caller types"),
        ("empty_maps.yaml", b"start: q\ncallers:\n  c: { arrivals: 2/m, reasons: {} }\nqueues: {}\npools: {}\n".to_vec(), "no reasons listed"),
        ("empty_lists.yaml", b"start: q\ncallers:\n  c: { arrivals: [] }\nqueues:\n  q: { pools: [] }\npools:\n  team: { agents: [], handle: exp(3m) }\n".to_vec(), "the day profile is empty"),
        ("empty_options.yaml", b"callers:\n  c: { arrivals: 2/m }\nmenu:\n  m: { options: {} }\n".to_vec(), "no options listed"),
        ("billion_laughs.yaml", laughs().into_bytes(), "expected"),
        ("non_utf8.yaml", [OK.as_bytes(), b"name: \"\xff\xfe\"\n"].concat(), "not UTF-8"),
        ("deep_nesting.yaml", format!("callers: {}{}\n", "[".repeat(5000), "]".repeat(5000)).into_bytes(), "nested more than 64 deep"),
        ("top_level_list.yaml", b"- 1\n- 2\n".to_vec(), "expected a scenario"),
        ("top_level_scalar.yaml", b"just a string\n".to_vec(), "expected a scenario"),
        ("empty.yaml", b"".to_vec(), "the file is empty"),
        ("blank.yaml", b"  \n\n\t\n".to_vec(), "the file is empty"),
        ("only_comments.yaml", b"# a comment\n\n# another\n".to_vec(), "the file holds only comments"),
        ("tabs.yaml", b"\t\tstart: q\n".to_vec(), "cannot start any token"),
        ("duplicate_key.yaml", OK.replace("  c: { arrivals: 2/m }\n", "  c: { arrivals: 2/m }\n  c: { arrivals: 3/m }\n").into_bytes(), "written twice"),
        ("wrong_types.yaml", b"start: [q]\nseed: yes\nreplications: many\ncallers: 3\n".to_vec(), "invalid type"),
        ("null_everywhere.yaml", b"start: ~\ncallers:\n  c: ~\n".to_vec(), "expected"),
        ("number_as_name.yaml", OK.replace("pools: [team]", "pools: [7]").into_bytes(), "queues.q.pools.0: invalid type: integer `7`, expected a pool name"),
        ("multiple_documents.yaml", format!("{OK}---\n{OK}").into_bytes(), "more than one document"),
    ];
    for (name, bytes, expect) in cases {
        let (code, err) = run(name, &bytes);
        assert_eq!(code, Some(2), "{name}: exit code\n{err}");
        assert!(err.contains(expect), "{name}: expected `{expect}` in\n{err}");
        assert!(err.contains(name), "{name}: message names the file\n{err}");
    }
}

#[test]
fn a_huge_mistyped_rate_is_told_as_a_power_of_ten() {
    let (code, err) = run("huge_rate.yaml", OK.replace("2/m", "1e300/h").as_bytes());
    assert_eq!(code, Some(2));
    assert!(err.contains("about 8.000e300 calls a day from `c`"), "{err}");
    let digits = err.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
    assert!(digits < 20, "a figure of {digits} digits:\n{err}");
}

#[test]
fn a_directory_is_not_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_shop")).args(["run", dir.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("directory"));
}

#[test]
fn odd_but_valid_files_run() {
    let cases: Vec<(&str, String)> = vec![
        ("anchors_and_aliases.yaml", OK.replace("  c: { arrivals: 2/m }\n", "  c: &c { arrivals: 2/m }\n  d: *c\n")),
        ("heavy_tails.yaml", OK.replace("exp(3m)", "\"lognormal(1m, 100000000s)\"")),
        (
            "extremes.yaml",
            OK.replace("[team] }", "[team], capacity: 4294967295 }").replace("exp(3m)", "\"gamma(0.001, 3m)\""),
        ),
        ("many_agents.yaml", OK.replace("agents: 3", "agents: 100000")),
        ("no_calls.yaml", OK.replace("2/m", "0/h")),
        ("byte_order_mark.yaml", format!("\u{feff}{OK}")),
        ("windows_line_ends.yaml", OK.replace('\n', "\r\n")),
    ];
    for (name, text) in cases {
        let (code, err) = run(name, text.as_bytes());
        assert_eq!(code, Some(0), "{name}\n{err}");
    }
}
