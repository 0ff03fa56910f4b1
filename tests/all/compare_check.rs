//! `shop compare` and `shop check` run as a user (or a CI job) runs them:
//! exit codes, what the output names, formats, gates and `--out`.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::cmd::{shop, stderr, stdout};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A design of the small support line (tests/fixtures/compare).
fn design(name: &str) -> String {
    root().join("tests/fixtures/compare").join(format!("{name}.yaml")).to_string_lossy().into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(o), stderr(o)))
}

/// Every compared figure of a `compare --format json` output, with where it is.
fn figures(c: &Value) -> Vec<(String, &Value)> {
    let mut out: Vec<(String, &Value)> = Vec::new();
    for (k, v) in c["overall"].as_object().unwrap() {
        out.push((format!("overall {k}"), v));
    }
    for scope in ["by_caller", "by_queue", "by_pool"] {
        for (name, f) in c[scope].as_object().unwrap() {
            for (k, v) in f.as_object().unwrap() {
                out.push((format!("{scope} {name} {k}"), v));
            }
        }
    }
    out
}

fn assert_all_zero(c: &Value) {
    let figs = figures(c);
    assert!(figs.len() > 80, "only {} figures", figs.len());
    for (at, v) in figs {
        if v["a"].is_null() {
            continue;
        }
        assert_eq!(v["diff"], 0.0, "{at}: {v}");
        assert_eq!(v["diff_ci95"], serde_json::json!([0.0, 0.0]), "{at}: {v}");
        assert_eq!(v["verdict"], "no_real_difference", "{at}: {v}");
    }
}

#[test]
fn identical_designs_pass_with_differences_of_exactly_zero() {
    let o = shop(&["check", &design("base"), &design("base")]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("PASS"));
    let o = shop(&["compare", &design("base"), &design("base"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_all_zero(&json(&o));
}

#[test]
fn a_pool_no_queue_uses_changes_nothing_at_all() {
    let o = shop(&["compare", &design("base"), &design("unused_pool"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = json(&o);
    assert_all_zero(&c);
    assert_eq!(c["only_in_b"], serde_json::json!({"callers": [], "queues": [], "pools": ["spare_team"]}));
}

#[test]
fn renaming_the_scenario_passes() {
    let o = shop(&["check", &design("base"), &design("renamed"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let r = json(&o);
    assert_eq!(r["result"], "pass");
    for g in r["results"].as_array().unwrap() {
        assert_eq!(g["change"], 0.0, "{g}");
    }
}

#[test]
fn adding_agents_passes() {
    let o = shop(&["check", &design("base"), &design("more_agents")]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!stdout(&o).contains("FAIL"), "{}", stdout(&o));
}

#[test]
fn removing_agents_from_a_busy_pool_fails_naming_the_gates_and_callers() {
    let o = shop(&["check", &design("base"), &design("fewer_agents")]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    let failed = out.split("Failed gates").nth(1).expect("a failed-gates table");
    for name in ["wait.p95", "wait.max", "consumer", "corporate", "all callers", "FAIL"] {
        assert!(failed.contains(name), "`{name}` missing from\n{out}");
    }
    // base, head, change and limit are all shown.
    assert!(
        out.contains("3m 01.1s") && out.contains("4m 26.9s") && out.contains("+1m 25.8s") && out.contains("+5% or +5s"),
        "{out}"
    );
}

#[test]
fn the_documented_gates_parse_and_apply() {
    let gates = [
        "wait.p95 <= +5%",
        "wait.max <= +30s",
        "abandon_rate <= +0.01",
        "time_to_answer.p95 <= +10%",
        "service_level >= -0.02",
        "corporate:wait.p95 <= +0%",
        "all:first_contact_resolution >= -1%",
        "menu_time.mean <= +2s",
        "time_to_resolution.p90 <= +10% or +1m",
        "transfers_per_call <= +0.1",
    ];
    let mut args: Vec<&str> = vec!["check", "--format", "json"];
    for g in &gates {
        args.extend(["--gate", g]);
    }
    let base = design("base");
    let fewer = design("fewer_agents");
    let o = shop(&[&args[..], &[base.as_str(), base.as_str()]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["gates"].as_array().unwrap().len(), gates.len());
    // Unscoped gates apply to both caller types and all callers; scoped ones once.
    assert_eq!(r["results"].as_array().unwrap().len(), 8 * 3 + 1 + 1);
    let o = shop(&[&args[..], &[base.as_str(), fewer.as_str()]].concat());
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    let failed: Vec<&str> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["status"] == "failed")
        .map(|g| g["gate"].as_str().unwrap())
        .collect();
    assert!(failed.contains(&"corporate:wait.p95 <= +0%") && failed.contains(&"abandon_rate <= +0.01"), "{failed:?}");
}

#[test]
fn a_gate_that_cannot_be_read_is_exit_2_with_the_accepted_forms() {
    for (gate, says) in [
        ("wait.p95 < 5%", "`<=` or `>=`"),
        ("wiat.p95 <= +5%", "did you mean `wait.p95`"),
        ("wait.p95 <= +5", "no unit"),
        ("wait.p95 <= -5%", "cannot be negative"),
        ("service_level <= +0.02", "higher is better"),
    ] {
        let o = shop(&["check", &design("base"), &design("base"), "--gate", gate]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{gate}: {err}");
        assert!(err.contains(says), "{gate}: expected `{says}` in\n{err}");
        assert!(err.contains("accepted forms") && err.contains("wait.max <= +30s"), "{err}");
        assert!(o.stdout.is_empty() && !err.contains("panicked"));
    }
}

#[test]
fn an_unknown_caller_in_a_gate_is_exit_2_with_a_suggestion() {
    let o = shop(&["check", &design("base"), &design("base"), "--gate", "corprate:wait.p95 <= +0%"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown caller type `corprate`") && err.contains("did you mean `corporate`"), "{err}");
    assert!(err.contains("accepted forms"), "{err}");
}

#[test]
fn the_example_gates_file_sets_the_policy() {
    // The policy as the example workflow applies it: to the business line.
    let gates = root().join("examples/gates.yaml");
    let gates = gates.to_str().unwrap();
    let base = root().join("scenarios/business_offshore.yaml");
    let base = base.to_str().unwrap();
    let o = shop(&["check", base, base, "--gates", gates, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["gates"].as_array().unwrap().len(), 8);
    // Two local agents fewer: business callers overflow to them, consumers depend on them.
    let dir = tempfile::tempdir().unwrap();
    let head = dir.path().join("head.yaml");
    let text = std::fs::read_to_string(base).unwrap();
    assert!(text.contains("  local_team:\n    agents: 9\n"));
    std::fs::write(&head, text.replace("  local_team:\n    agents: 9\n", "  local_team:\n    agents: 7\n")).unwrap();
    let o = shop(&["check", base, head.to_str().unwrap(), "--gates", gates]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("business") && stdout(&o).contains("FAIL"), "{}", stdout(&o));
}

#[test]
fn a_broken_gates_file_is_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("gates.yaml");
    std::fs::write(&bad, "gates:\n  - \"wait.p95 <= +5%\"\n  - \"wait.p95 <= 5 minutes\"\n").unwrap();
    let o = shop(&["check", &design("base"), &design("base"), "--gates", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("gates.yaml:3:"), "{}", stderr(&o));
    std::fs::write(&bad, "gate:\n  - \"wait.p95 <= +5%\"\n").unwrap();
    let o = shop(&["check", &design("base"), &design("base"), "--gates", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("gates.yaml:1:") && stderr(&o).contains("`gates`"), "{}", stderr(&o));
    let o = shop(&["check", &design("base"), &design("base"), "--gates", "/no/such/gates.yaml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn compare_json_carries_a_b_diff_and_its_interval() {
    let o = shop(&["compare", &design("base"), &design("more_agents"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let c = json(&o);
    let p95 = &c["by_caller"]["consumer"]["wait.p95"];
    for key in ["a", "b", "diff", "rel_diff", "diff_ci95", "verdict"] {
        assert!(p95.get(key).is_some(), "{key} missing from {p95}");
    }
    assert_eq!(p95["verdict"], "better");
    let ci = p95["diff_ci95"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() < ci[1].as_f64().unwrap() && ci[1].as_f64().unwrap() < 0.0);
    // Worst cases first (serde_json's Value sorts keys: look at the text).
    let text = stdout(&o);
    let at = |k: &str| text.find(&format!("\"{k}\": {{")).unwrap_or(usize::MAX);
    assert!(at("wait.p95") < at("wait.p99") && at("wait.p99") < at("wait.max"));
    assert!(at("wait.max") < at("time_to_answer.p95") && at("time_to_answer.p95") < at("wait.mean"));
    assert_eq!(c["by_caller"]["consumer"]["service_level"]["verdict"], "better");
    assert!(c["by_pool"]["tech_team"]["occupancy"]["a"].is_number());
}

#[test]
fn compare_writes_every_format() {
    let (a, b) = (design("base"), design("fewer_agents"));
    let md = stdout(&shop(&["compare", &a, &b, "--format", "markdown"]));
    assert!(md.starts_with("### shop compare") && md.contains("|---|") && md.contains("**worse**"), "{md}");
    let csv = stdout(&shop(&["compare", &a, &b, "--format", "csv"]));
    assert!(csv.starts_with("scope,name,metric,a,b,diff,rel_diff,diff_ci95_lo,diff_ci95_hi,verdict\n"));
    assert!(csv.contains("caller,corporate,wait.p95,"));
    let table = stdout(&shop(&["compare", &a, &b]));
    assert!(table.contains("What B changes") && table.contains("worse"), "{table}");
    let check_md = stdout(&shop(&["check", &a, &b, "--format", "markdown"]));
    assert!(check_md.contains("FAIL") && check_md.contains("| consumer | wait.p95 |"), "{check_md}");
}

/// Reads CSV as a spreadsheet would: every row as wide as the header.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let width = r.headers().unwrap().len();
    let rows: Vec<Vec<String>> = r.records().map(|rec| rec.unwrap().iter().map(String::from).collect()).collect();
    assert!(rows.iter().all(|row| row.len() == width), "{text}");
    rows
}

#[test]
fn names_with_commas_and_quotes_stay_one_field_in_run_compare_and_check_csv() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("quoted.yaml");
    std::fs::write(
        &f,
        r#"
name: Names a spreadsheet must not split
seed: 3
replications: 2
horizon: 1h
callers:
  'Smith, "VIP"': { arrivals: 30/h, patience: exp(2m) }
  plain: { arrivals: 30/h, patience: exp(2m) }
menu:
  main: { duration: 5s, then: 'line, 1' }
queues:
  'line, 1': { pools: ['team "a"'] }
pools:
  'team "a"': { agents: 2, handle: exp(3m) }
"#,
    )
    .unwrap();
    let f = f.to_str().unwrap();
    let compare = stdout(&shop(&["compare", f, f, "--format", "csv"]));
    let rows = csv_rows(&compare);
    let names = |scope: &str| rows.iter().filter(|r| r[0] == scope).map(|r| r[1].as_str()).collect::<Vec<_>>();
    assert!(names("caller").contains(&"Smith, \"VIP\""), "{compare}");
    assert!(names("queue").contains(&"line, 1") && names("pool").contains(&"team \"a\""), "{compare}");
    assert!(compare.contains("caller,\"Smith, \"\"VIP\"\"\",wait.p95,"), "{compare}");

    // run's metrics per interval name the caller type too (`by_caller.NAME.calls`).
    let run = stdout(&shop(&["run", f, "--format", "csv"]));
    let rows = csv_rows(&run);
    assert!(rows.iter().any(|r| r[0] == "caller" && r[1] == "Smith, \"VIP\"" && r[2] == "calls"), "{run}");
    assert!(rows.iter().any(|r| r[0] == "interval" && r[2] == "by_caller.Smith, \"VIP\".calls"), "{run}");
    assert!(rows.iter().any(|r| r[0] == "interval" && r[2] == "by_pool.team \"a\".agents"), "{run}");

    let check = stdout(&shop(&["check", f, f, "--format", "csv"]));
    let rows = csv_rows(&check);
    assert!(rows.iter().any(|r| r[0] == "passed" && r[1] == "Smith, \"VIP\"" && r[2] == "wait.p95"), "{check}");
    assert!(rows.iter().any(|r| r[1] == "plain"), "{check}");
}

#[test]
fn a_broken_scenario_is_exit_2_for_both_verbs() {
    let broken = root().join("tests/fixtures/invalid/missing_handle.yaml");
    let broken = broken.to_str().unwrap();
    for verb in ["compare", "check"] {
        let o = shop(&[verb, &design("base"), broken]);
        assert_eq!(o.status.code(), Some(2), "{verb}");
        assert!(stderr(&o).contains("missing_handle.yaml") && o.stdout.is_empty(), "{}", stderr(&o));
        let o = shop(&[verb, "/no/such/base.yaml", &design("base")]);
        assert_eq!(o.status.code(), Some(2), "{verb}");
    }
    assert_eq!(shop(&["check", &design("base")]).status.code(), Some(2));
}

#[test]
fn out_is_written_whole_and_keeps_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("check.md");
    let o = shop(&[
        "check",
        &design("base"),
        &design("fewer_agents"),
        "--format",
        "markdown",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(std::fs::read_to_string(&out).unwrap().contains("FAIL"));
    let names: Vec<PathBuf> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(names, std::slice::from_ref(&out), "no temporary file left behind");
    // Unwritable: exit 2 and nothing half-written.
    let missing = dir.path().join("no/such/dir/check.md");
    let o = shop(&["check", &design("base"), &design("base"), "--out", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!missing.exists());
}

#[test]
fn output_does_not_depend_on_threads() {
    let (a, b) = (design("base"), design("fewer_agents"));
    let one = shop(&["compare", &a, &b, "--format", "json", "--threads", "1"]);
    let two = shop(&["compare", &a, &b, "--format", "json", "--threads", "2"]);
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn designs_with_different_seeds_run_on_the_first_ones_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.yaml");
    let text = std::fs::read_to_string(design("base")).unwrap().replace("seed: 11", "seed: 99");
    std::fs::write(&other, text).unwrap();
    let o = shop(&["compare", &design("base"), other.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("seed 11"), "{}", stderr(&o));
    assert_all_zero(&json(&o));
    let o = shop(&["compare", &design("base"), other.to_str().unwrap(), "--format", "json", "--seed", "3"]);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert_eq!(json(&o)["seed"], 3);
}

#[test]
fn the_ci_workflow_example_runs_shop_check_and_posts_markdown() {
    let text = std::fs::read_to_string(root().join("examples/github-actions-check.yml")).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("the workflow is YAML");
    assert!(yaml.get("jobs").is_some());
    assert!(text.contains("shop check") && text.contains("--format markdown") && text.contains("--out"));
    // The scenario and the policy it names work together: an unchanged design passes.
    let env = |k: &str| root().join(yaml["env"][k].as_str().expect("env names it")).to_str().unwrap().to_string();
    let (scenario, gates) = (env("SCENARIO"), env("GATES"));
    let o = shop(&["check", &scenario, &scenario, "--gates", &gates, "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_walkthrough_designs_behave_as_it_says() {
    let (a, b) = (design("base"), design("self_service"));
    let o = shop(&["compare", &a, &b, "--format", "json"]);
    let c = json(&o);
    assert_eq!(c["by_caller"]["consumer"]["wait.p95"]["verdict"], "better");
    assert_eq!(c["by_caller"]["consumer"]["menu_time.mean"]["verdict"], "worse");
    // Billing callers never meet the change: the same day in both designs.
    for (_, v) in c["by_queue"]["billing"].as_object().unwrap() {
        assert_eq!(v["diff"], 0.0, "{v}");
    }
    assert_eq!(shop(&["check", &a, &b]).status.code(), Some(0));
    let o = shop(&["check", &a, &b, "--gate", "menu_time.mean <= +10s"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_caller_type_renamed_in_head_fails_its_gates_unless_missing_ones_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let head = dir.path().join("head.yaml");
    let text = std::fs::read_to_string(design("base")).unwrap();
    assert!(text.contains("  corporate:\n"));
    std::fs::write(&head, text.replace("  corporate:\n", "  business:\n")).unwrap();
    let o = shop(&["check", &design("base"), head.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let failed = out.split("Failed gates").nth(1).expect("a failed-gates table");
    assert!(failed.contains("corporate") && failed.contains("missing in head"), "{out}");
    assert!(out.contains("Not gated: caller type `business` is in head only."), "{out}");
    let o = shop(&["check", &design("base"), head.to_str().unwrap(), "--allow-missing", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert!(r["results"].as_array().unwrap().iter().any(|g| g["status"] == "missing_allowed"), "{r}");
    // A gate scoped to the renamed type fails the same way.
    let o = shop(&["check", &design("base"), head.to_str().unwrap(), "--gate", "corporate: wait.p95 <= +5%"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // A queue gated in base and absent in head too.
    let qhead = dir.path().join("qhead.yaml");
    let q = std::fs::read_to_string(design("base")).unwrap();
    let renamed =
        q.replace("to: billing }", "to: billing_desk }").replace("  billing: { pools", "  billing_desk: { pools");
    std::fs::write(&qhead, renamed).unwrap();
    let o = shop(&["check", &design("base"), qhead.to_str().unwrap(), "--gate", "queue billing: wait.p95 <= +5%"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("queue billing"), "{}", stdout(&o));
    let o = shop(&["check", &design("base"), qhead.to_str().unwrap(), "--gate", "queue bililng: wait.p95 <= +5%"]);
    assert_eq!(o.status.code(), Some(2), "a queue in neither design is a usage error");
    assert!(stderr(&o).contains("did you mean `billing`"), "{}", stderr(&o));
}
