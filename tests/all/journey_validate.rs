//! `shop journey`, `shop validate` and `shop schema`, run as a user runs them.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::cmd::{fixture, shop, stderr, stdout};

fn example() -> String {
    fixture("contract_example.yaml").to_str().unwrap().to_string()
}

fn json_of(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// Every caller presses the wrong key (accuracy 0), lands with the tech team,
/// who cannot solve billing and transfer the call cold to billing.
const MISDIAL_AND_TRANSFER: &str = r#"
name: misdial and transfer
seed: 3
replications: 2
horizon: 1h
callers:
  c: { arrivals: 20/h, reasons: { billing: 0.9, tech: 0.1 }, accuracy: 0 }
menu:
  main:
    prompt: "For billing, press 1. For technical support, press 2."
    options:
      "1": { label: Billing, for: [billing], to: billing }
      "2": { label: Tech, for: [tech], to: tech }
queues:
  billing: { pools: [billing_team] }
  tech: { pools: [tech_team] }
pools:
  billing_team: { agents: 5, handle: 4m }
  tech_team: { agents: 5, handle: 2m, resolves: { billing: 0 }, transfer: { billing: billing } }
"#;

/// One agent and no room to wait: busy signals, and callers who try again.
const BUSY_AND_REDIAL: &str = r#"
name: busy line
seed: 1
replications: 1
horizon: 1h
start: q
callers:
  c: { arrivals: 60/h, redial: { chance: 1, after: 5m } }
queues:
  q: { pools: [solo], capacity: 0 }
pools:
  solo: { agents: 1, handle: 10m }
"#;

// ----- journey --------------------------------------------------------------

#[test]
fn a_journey_tells_what_the_caller_heard_pressed_and_waited_for() {
    let o = shop(&["journey", &example(), "--count", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for expected in [
        "A consumer caller about",
        "dials in at main",
        "hears main (6.4s): \"Welcome to Acme. For billing, press 1.",
        "presses ",
        "joins queue ",
        "agents on duty",
        "talks for ",
        "call ends: ",
        "Journey over: ",
    ] {
        assert!(text.contains(expected), "expected `{expected}` in\n{text}");
    }
    // The clock: hours:minutes:seconds.tenths since opening.
    assert!(text.lines().any(|l| l.trim_start().starts_with("00:")), "{text}");
    assert_eq!(text.matches("Journey over: ").count(), 3, "{text}");
}

#[test]
fn a_misdial_and_a_cold_transfer_are_narrated() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "misdial.yaml", MISDIAL_AND_TRANSFER);
    let text = stdout(&shop(&["journey", &f, "--reason", "billing"]));
    assert!(
        text.contains("presses 2 (Tech) by mistake (a misdial: it is for tech, not billing) → queue tech"),
        "{text}"
    );
    assert!(text.contains("talks for 2m 00s: not solved"), "{text}");
    assert!(text.contains("transferred cold to queue billing: the caller waits alone"), "{text}");
    assert!(text.contains("joins queue billing"), "{text}");
    // The second agent's talk is their own, not counted from the first answer.
    assert!(text.contains("talks for 4m 00s: solved"), "{text}");
}

#[test]
fn a_busy_signal_and_the_redials_that_follow_are_one_journey() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "busy.yaml", BUSY_AND_REDIAL);
    let text = stdout(&shop(&["journey", &f, "--count", "5"]));
    assert!(text.contains("gets a busy signal: queue q is full (0 waiting)"), "{text}");
    assert!(text.contains("will call again in 5m 00s"), "{text}");
    assert!(text.contains("Call 2 (redial)"), "{text}");
}

#[test]
fn the_worst_journey_holds_exactly_the_reports_longest_hold() {
    let f = example();
    let sim = ["--seed", "11", "--replications", "4"];
    let report = json_of(&shop(&[&["run", &f, "--format", "json"][..], &sim].concat()));
    let worst = json_of(&shop(&[&["journey", &f, "--worst", "3", "--format", "json"][..], &sim].concat()));
    let holds: Vec<f64> = worst["journeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            let focus = j["focus_call"].as_u64().unwrap() as usize;
            j["calls"][focus - 1]["hold"].as_f64().unwrap()
        })
        .collect();
    assert_eq!(holds.len(), 3);
    assert_eq!(holds[0], report["overall"]["wait"]["max"].as_f64().unwrap());
    assert!(holds.windows(2).all(|w| w[0] >= w[1]), "{holds:?}");
    assert_eq!(worst["journeys"][0]["rank"], 1);

    // Per caller type: the same equality with that type's maximum.
    let corporate = json_of(&shop(
        &[&["journey", &f, "--worst", "1", "--caller", "corporate", "--format", "json"][..], &sim].concat(),
    ));
    let j = &corporate["journeys"][0];
    assert_eq!(j["caller"], "corporate");
    let focus = j["focus_call"].as_u64().unwrap() as usize;
    assert_eq!(j["calls"][focus - 1]["hold"], report["by_caller"]["corporate"]["wait"]["max"]);
}

#[test]
fn journeys_are_the_same_whatever_the_number_of_threads() {
    let f = example();
    let a = shop(&["journey", &f, "--worst", "2", "--replications", "3", "--threads", "1"]);
    let b = shop(&["journey", &f, "--worst", "2", "--replications", "3", "--threads", "2"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn caller_and_reason_filter_the_journeys() {
    let f = example();
    let v = json_of(&shop(&["journey", &f, "--caller", "corporate", "--count", "4", "--format", "json"]));
    let journeys = v["journeys"].as_array().unwrap();
    assert_eq!(journeys.len(), 4);
    assert!(journeys.iter().all(|j| j["caller"] == "corporate"));

    let v = json_of(&shop(&["journey", &f, "--reason", "cancel", "--count", "3", "--format", "json"]));
    let journeys = v["journeys"].as_array().unwrap();
    assert_eq!(journeys.len(), 3);
    assert!(journeys.iter().all(|j| j["reason"] == "cancel" && j["caller"] == "consumer"));

    let v = json_of(&shop(&["journey", &f, "--worst", "2", "--reason", "billing", "--format", "json"]));
    assert!(v["journeys"].as_array().unwrap().iter().all(|j| j["reason"] == "billing"));
}

#[test]
fn an_unknown_caller_or_reason_is_exit_2_with_a_suggestion() {
    let f = example();
    let o = shop(&["journey", &f, "--caller", "consumr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `consumer`?"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());

    let o = shop(&["journey", &f, "--reason", "biling"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `billing`?"), "{}", stderr(&o));

    let o = shop(&["journey", &f, "--caller", "corporate", "--reason", "cancel"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("corporate callers never call about cancel"), "{}", stderr(&o));

    let o = shop(&["journey", &f, "--count", "2", "--worst", "2"]);
    assert_eq!(o.status.code(), Some(2), "--count and --worst do not go together");
}

#[test]
fn journey_json_gives_each_call_its_steps_and_hold() {
    let v = json_of(&shop(&["journey", &example(), "--count", "5", "--format", "json"]));
    assert_eq!(v["selection"], "first");
    assert_eq!(v["seed"], 7);
    for j in v["journeys"].as_array().unwrap() {
        for k in ["replication", "caller", "reason", "journey", "resolved", "wait_p50", "wait_p95", "calls"] {
            assert!(j.get(k).is_some(), "journey without `{k}`: {j}");
        }
        for call in j["calls"].as_array().unwrap() {
            assert!(call["hold"].is_number(), "{call}");
            let steps = call["steps"].as_array().unwrap();
            assert_eq!(steps[0]["kind"], "dialed");
            assert!(steps.iter().any(|s| s["kind"] == "ended"));
            let times: Vec<f64> = steps.iter().map(|s| s["time"].as_f64().unwrap()).collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "steps out of order: {times:?}");
            let ended = steps.iter().find(|s| s["kind"] == "ended").unwrap();
            assert_eq!(ended["hold"], call["hold"]);
        }
    }
}

#[test]
fn journey_out_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("j.txt");
    let o = shop(&["journey", &example(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(std::fs::read_to_string(&out).unwrap().contains("Journey over"));
}

// ----- validate -------------------------------------------------------------

#[test]
fn each_lint_fixture_gets_exactly_its_warnings_and_strict_makes_them_exit_1() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixture("lint")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let expect: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# expect: ")).collect();
        assert!(!expect.is_empty(), "{name} names its warnings");
        let o = shop(&["validate", path.to_str().unwrap()]);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{name}: warnings alone exit 0\n{out}{}", stderr(&o));
        for e in &expect {
            assert!(out.contains(e), "{name}: expected `{e}` in\n{out}");
        }
        let warnings = out.lines().filter(|l| l.starts_with("warning: ")).count();
        assert_eq!(warnings, expect.len(), "{name}: only the expected warnings\n{out}");
        if let Some(at) = text.lines().find_map(|l| l.strip_prefix("# at: ")) {
            assert!(out.contains(&format!("{name}:{at}: ")), "{name}: expected position {at} in\n{out}");
        }
        assert!(out.contains(" │ "), "{name}: shows the file's own line\n{out}");
        let strict = shop(&["validate", "--strict", path.to_str().unwrap()]);
        assert_eq!(strict.status.code(), Some(1), "{name}: --strict");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} lint fixtures");
}

/// `support_line.yaml` cut off just before its first menu's options: still
/// YAML and still a scenario (no queues, no pools), but every caller's call
/// ends at `main` without a human.
fn support_line_cut_in_its_menu(dir: &tempfile::TempDir) -> String {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/support_line.yaml")).unwrap();
    let cut = &text[..text.find("    options:").unwrap()];
    write(dir, "cut.yaml", cut)
}

#[test]
fn verbs_that_simulate_print_the_severe_lint_on_stderr_and_leave_the_report_alone() {
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/support_line.yaml");
    let good = good.to_str().unwrap();
    let o = shop(&["run", good, "--replications", "2", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "a well-formed design runs without a warning");

    let dir = tempfile::tempdir().unwrap();
    let cut = support_line_cut_in_its_menu(&dir);
    let report = dir.path().join("report.txt");
    let warning = format!(
        "warning: {cut}:39:3: menu.main: `customer` callers about billing, `customer` callers about outage, \
         `customer` callers about slow_internet, `customer` callers about moving, `customer` callers about cancel \
         never reach a human: the call ends at `main`\n"
    );
    let run = shop(&["run", &cut, "--replications", "2"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(stderr(&run), format!("{warning}  (`shop validate {cut}` shows them in context)\n"));
    // The report is the one `--out` writes (the warning never goes into it).
    let o = shop(&["run", &cut, "--replications", "2", "--out", report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), stderr(&run));
    assert_eq!(run.stdout, std::fs::read(&report).unwrap());
    assert!(stdout(&run).contains("No caller reached a queue"), "{}", stdout(&run));
    assert!(!stdout(&run).contains("warning"), "{}", stdout(&run));
    // `validate` words it the same.
    assert!(stdout(&shop(&["validate", &cut])).contains(&warning), "validate");
    for args in [vec!["journey", &cut], vec!["compare", &cut, good, "--replications", "2", "--format", "json"]] {
        let o = shop(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(&warning), "{args:?}: {}", stderr(&o));
        assert!(!stdout(&o).contains("never reach a human"), "{args:?}");
    }
}

#[test]
fn an_overflow_team_that_sends_callers_back_is_named_as_such() {
    // support_line: billing_team answers retention after 2m, solves a quarter of
    // the cancel calls there and transfers the rest back to retention.
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/support_line.yaml");
    let out = stdout(&shop(&["validate", f.to_str().unwrap()]));
    assert!(
        out.contains(
            "pools.billing_team.transfer.cancel: pool `billing_team` answers queue `retention` as an overflow \
             (after 2m 00s on hold) but solves only 25% of the cancel calls it takes there, and transfers the rest \
             back to `retention`"
        ),
        "{out}"
    );
    assert!(!out.contains("which it answers itself"), "one warning for it, not two\n{out}");
}

#[test]
fn validate_reads_overflow_as_the_engine_does() {
    // business_local: local_team first, offshore_team after 2m. The offshore team
    // used to be flagged "6.6 erlangs on 6 agents" (run: 43% busy); it is offered
    // only the work the local team has no agents for.
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/business_local.yaml");
    let o = shop(&["validate", f.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("erlangs offered"), "{out}");
}

#[test]
fn a_clean_file_validates_with_a_menu_map_and_an_ok() {
    let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/divided_line.yaml");
    let o = shop(&["validate", "--strict", clean.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("OK, no warnings"), "{out}");
    // The contract's example is overloaded (more erlangs than agents): a menu map and warnings.
    let o = shop(&["validate", &example()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("retention_team: 3.3 erlangs offered on 2 agents 0h00–8h00"), "{out}");
    // Barge-in: billing callers press 1 once "For billing, press 1." has been read (2.8 s of 6.4 s).
    assert!(out.contains("billing  main → 1 → billing queue, 2.8s of prompts before a human"), "{out}");
    assert!(
        out.contains("tech     main → 2 → tech_menu → 1 (or 2 → tech) → router_reset (self-service) → tech queue"),
        "{out}"
    );
    assert!(out.contains("corporate (dials in at corporate_line)"), "{out}");
    // A consumer who pressed 2 for billing or cancel finds no way on at tech_menu.
    assert!(out.contains("misdialled callers are stranded at `tech_menu`"), "{out}");
    // Agents over a stretch are a range when the shifts change within it.
    assert!(out.contains("on 4–7 agents 0h00–8h00"), "{out}");
}

#[test]
fn validate_shows_load_errors_exactly_as_run_does() {
    let f = fixture("invalid/misspelled_queue_suggests.yaml");
    let v = shop(&["validate", f.to_str().unwrap()]);
    let r = shop(&["run", f.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(2));
    assert_eq!(v.stderr, r.stderr);
    assert!(v.stdout.is_empty());
}

// ----- schema ---------------------------------------------------------------

/// YAML to JSON, with map keys as strings (`1:` is the key "1").
fn yaml_to_json(y: serde_yaml::Value) -> Value {
    match y {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => serde_json::to_value(n).unwrap(),
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(s) => Value::Array(s.into_iter().map(yaml_to_json).collect()),
        serde_yaml::Value::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        serde_yaml::Value::String(s) => s,
                        other => serde_yaml::to_string(&other).unwrap().trim().to_string(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        serde_yaml::Value::Tagged(t) => yaml_to_json(t.value),
    }
}

fn schema() -> jsonschema::Validator {
    let o = shop(&["schema"]);
    let v = json_of(&o);
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::validator_for(&v).unwrap_or_else(|e| panic!("not a valid JSON Schema: {e}"))
}

fn schema_errors(validator: &jsonschema::Validator, path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    validator.iter_errors(&yaml_to_json(yaml)).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn every_scenario_file_we_ship_validates_against_the_schema() {
    let validator = schema();
    let mut files = vec![fixture("contract_example.yaml")];
    for dir in [Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"), fixture("lint")] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(
                entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml")),
            );
        }
    }
    for f in &files {
        let errors = schema_errors(&validator, f);
        assert!(errors.is_empty(), "{}: {errors:#?}", f.display());
    }
    assert!(files.len() >= 10);
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let validator = schema();
    for bad in ["unknown_top_key.yaml", "unknown_caller_key.yaml", "bare_number_duration.yaml", "bad_distribution.yaml"]
    {
        let errors = schema_errors(&validator, &fixture(&format!("invalid/{bad}")));
        assert!(!errors.is_empty(), "{bad} passed the schema");
    }
}

#[test]
fn schema_out_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shop.schema.json");
    let o = shop(&["schema", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["title"], "shop scenario");
}

#[test]
fn journeys_on_chained_days_read_the_day_and_the_clock() {
    // blended_team runs days: 5 from 08:00; its longest email response crosses a night.
    let o = shop(&["journey", &format!("{}/scenarios/blended_team.yaml", env!("CARGO_MANIFEST_DIR")), "--worst", "1"]);
    let out = stdout(&o);
    let timed: Vec<&str> = out.lines().filter(|l| l.trim_start().starts_with("day ")).collect();
    assert!(!timed.is_empty(), "{out}");
    for line in timed {
        let mut words = line.split_whitespace();
        assert_eq!(words.next(), Some("day"));
        let day: u32 = words.next().and_then(|d| d.parse().ok()).unwrap_or_else(|| panic!("{line}"));
        assert!((1..=5).contains(&day), "{line}");
        let clock = words.next().unwrap_or_default();
        assert!(clock.len() >= 8 && clock.as_bytes()[2] == b':', "a wall-clock time: {line}");
    }
    assert!(out.contains("the email arrives at queue inbox"), "{out}");
}
