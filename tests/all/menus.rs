//! The menu model through the real binary: each effect a designer compares
//! menus by (prompt length, option order, menu size, barge-in, menu patience,
//! no key) shows in `shop run`'s figures and `shop journey`'s story.

use serde_json::Value;

use crate::cmd::{shop, stderr, stdout};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// `shop run --format json` on a scenario given as text.
fn run(yaml: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "menu.yaml", yaml);
    let o = shop(&["run", &path, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn journey(yaml: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "menu.yaml", yaml);
    let mut all = vec!["journey", path.as_str()];
    all.extend_from_slice(args);
    let o = shop(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

fn f(v: &Value, path: &[&str]) -> f64 {
    let mut x = v;
    for p in path {
        x = &x[*p];
    }
    x.as_f64().unwrap_or_else(|| panic!("{path:?} is not a number: {x}"))
}

/// Two levels, each prompt `secs` long (explicit durations: callers hear the
/// whole prompt), three options each, default menu patience.
fn two_levels(secs: u32) -> String {
    format!(
        r#"
seed: 4
replications: 4
horizon: 4h
callers:
  c: {{ arrivals: 90/h, reasons: {{ a: 0.6, b: 0.4 }}, patience: exp(3m), accuracy: 0.95 }}
menu:
  main:
    duration: {secs}s
    options:
      "1": {{ for: [a], to: menu_a }}
      "2": {{ for: [b], to: menu_b }}
      "0": {{ to: q }}
  menu_a:
    duration: {secs}s
    options:
      "1": {{ for: [a], to: q }}
      "2": {{ to: q }}
      "0": {{ to: q }}
  menu_b:
    duration: {secs}s
    options:
      "1": {{ for: [b], to: q }}
      "2": {{ to: q }}
      "0": {{ to: q }}
queues:
  q: {{ pools: [team] }}
pools:
  team: {{ agents: 6, handle: exp(3m) }}
"#
    )
}

#[test]
fn a_longer_prompt_on_every_path_raises_time_to_answer_and_menu_hang_ups() {
    let short = run(&two_levels(10));
    let long = run(&two_levels(45));
    let (tta_s, tta_l) =
        (f(&short, &["overall", "time_to_answer", "mean"]), f(&long, &["overall", "time_to_answer", "mean"]));
    assert!(tta_l > tta_s + 50.0, "time to answer {tta_s:.1}s with 10 s prompts, {tta_l:.1}s with 45 s");
    let (hu_s, hu_l) = (f(&short, &["overall", "abandoned_menu"]), f(&long, &["overall", "abandoned_menu"]));
    assert!(hu_l > 10.0 * hu_s.max(1.0), "menu hang-ups: {hu_s} with 10 s prompts, {hu_l} with 45 s");
    // Hanging up in the menu counts in the calls' endings, and redials would follow.
    let calls = f(&long, &["overall", "calls"]);
    let ended = ["resolved", "abandoned_menu", "abandoned_queue", "blocked", "unresolved"]
        .iter()
        .map(|k| f(&long, &["overall", k]))
        .sum::<f64>();
    assert_eq!(calls, ended);
}

/// One menu, the reason 70% of callers call about named first or last.
fn billing_at(first: bool) -> String {
    let (p, o) = if first {
        (
            "For billing, press 1. For technical support, press 2. If you are moving home, press 3.",
            r#"      "1": { for: [billing], to: q }
      "2": { for: [tech], to: q }
      "3": { for: [moving], to: q }"#,
        )
    } else {
        (
            "For technical support, press 2. If you are moving home, press 3. For billing, press 1.",
            r#"      "2": { for: [tech], to: q }
      "3": { for: [moving], to: q }
      "1": { for: [billing], to: q }"#,
        )
    };
    format!(
        r#"
seed: 2
replications: 3
horizon: 2h
callers:
  c: {{ arrivals: 60/h, reasons: {{ billing: 0.7, tech: 0.2, moving: 0.1 }} }}
menu:
  main:
    prompt: "{p}"
    options:
{o}
queues:
  q: {{ pools: [team] }}
pools:
  team: {{ agents: 20, handle: exp(3m) }}
"#
    )
}

#[test]
fn moving_the_most_used_option_to_the_front_lowers_menu_time() {
    let front = f(&run(&billing_at(true)), &["overall", "menu_time", "mean"]);
    let back = f(&run(&billing_at(false)), &["overall", "menu_time", "mean"]);
    // 16 words at 150 words a minute: 6.4 s for the whole prompt; "For billing, press 1." is 4 words (1.6 s).
    assert!(front < 3.0 && back > 5.0, "menu time {front:.2}s with billing first, {back:.2}s with billing last");
}

/// One level with `n` options; the reason's option leads to `right`, every other to `wrong`.
fn options(n: usize) -> String {
    let mut opts = String::from("      \"1\": { for: [a], to: right }\n");
    for k in 2..=n {
        opts.push_str(&format!("      \"{k}\": {{ to: wrong }}\n"));
    }
    format!(
        r#"
seed: 8
replications: 3
horizon: 4h
callers:
  c: {{ arrivals: 120/h, reasons: {{ a: 1 }}, accuracy: 0.9, menu_patience: never }}
menu:
  main:
    duration: 15s
    options:
{opts}queues:
  right: {{ pools: [team] }}
  wrong: {{ pools: [team] }}
pools:
  team: {{ agents: 40, handle: 2m }}
"#
    )
}

#[test]
fn more_options_on_a_level_raise_misroutes() {
    let misroutes = |n: usize| {
        let r = run(&options(n));
        f(&r, &["by_queue", "wrong", "calls"]) / f(&r, &["overall", "calls"])
    };
    let (four, eight) = (misroutes(4), misroutes(8));
    // At the reference menu (4 options, 15 s) the caller's accuracy holds: 10% wrong keys.
    assert!((four - 0.10).abs() < 0.015, "4 options: {four:.3} misrouted");
    // Eight options: log2(9)/log2(5) = 1.365 times the load, 1 - 0.9^1.365 = 13.4% wrong keys.
    assert!(eight > four + 0.02, "8 options: {eight:.3} misrouted, 4 options: {four:.3}");
}

fn barge(barge_in: bool) -> String {
    format!(
        r#"
seed: 3
replications: 2
horizon: 2h
callers:
  c: {{ arrivals: 60/h, reasons: {{ a: 0.5, b: 0.5 }}, menu_patience: never }}
menu:
  main:
    prompt: "For a, press 1. For b, press 2. For anything else, press 0."
    barge_in: {barge_in}
    options:
      "1": {{ for: [a], to: q }}
      "2": {{ for: [b], to: q }}
      "0": {{ to: q }}
queues:
  q: {{ pools: [team] }}
pools:
  team: {{ agents: 20, handle: 2m }}
"#
    )
}

#[test]
fn barge_in_false_restores_whole_prompt_listening() {
    // 13 words at 150 a minute: 5.2 s.
    let off = run(&barge(false));
    assert!((f(&off, &["overall", "menu_time", "mean"]) - 5.2).abs() < 1e-6);
    assert!((f(&off, &["overall", "menu_time", "p50"]) - 5.2).abs() < 0.01);
    let on = f(&run(&barge(true)), &["overall", "menu_time", "mean"]);
    // "For a, press 1." ends at word 4 (1.6 s), "For b, press 2." at word 8 (3.2 s).
    assert!((on - 2.4).abs() < 0.1, "mean menu time with barge-in: {on:.2}s");
}

#[test]
fn the_plain_model_comes_back_with_menu_patience_never_barge_in_false_and_node_accuracy() {
    let yaml = r#"
seed: 6
replications: 3
horizon: 4h
callers:
  c: { arrivals: 120/h, reasons: { a: 0.8, z: 0.2 }, accuracy: 0.8, menu_patience: never }
menu:
  main:
    prompt: "A very long welcome that goes on and on. For a, press 1. For b, press 2. For c, press 3. For d, press 4. For e, press 5. For f, press 6. For g, press 7."
    barge_in: false
    accuracy: 0.8
    options:
      "1": { for: [a], to: right }
      "2": { to: wrong }
      "3": { to: wrong }
      "4": { to: wrong }
      "5": { to: wrong }
      "6": { to: wrong }
      "7": { to: wrong }
queues:
  right: { pools: [team] }
  wrong: { pools: [team] }
pools:
  team: { agents: 60, handle: 2m }
"#;
    let r = run(yaml);
    // Nobody hangs up in the menu; everybody hears the whole prompt (37 words: 14.8 s).
    assert_eq!(f(&r, &["overall", "abandoned_menu"]), 0.0);
    assert!((f(&r, &["overall", "menu_time", "max"]) - 14.8).abs() < 1e-6);
    assert!((f(&r, &["overall", "menu_time", "mean"]) - 14.8).abs() < 1e-6);
    // Reason a: 80% right whatever the menu's size; reason z (no option lists it):
    // the first option without `for` (the operator), which leads to `wrong`.
    let calls = f(&r, &["overall", "calls"]);
    let right = f(&r, &["by_queue", "right", "calls"]) / calls;
    let expected = 0.8 * 0.8;
    assert!((right - expected).abs() < 0.015, "{right:.3} reached the right queue, expected {expected:.3}");
}

#[test]
fn callers_hang_up_in_a_long_menu_and_the_journey_says_when() {
    let yaml = r#"
seed: 1
replications: 1
horizon: 1h
callers:
  c: { arrivals: 60/h, menu_patience: 41s, redial: { chance: 1, after: 10m, max: 1 } }
menu:
  main: { duration: 30s, then: second }
  second: { duration: 30s, then: q }
queues:
  q: { pools: [team] }
pools:
  team: { agents: 5, handle: 2m }
"#;
    let r = run(yaml);
    assert_eq!(f(&r, &["overall", "abandoned_menu"]), f(&r, &["overall", "calls"]));
    assert_eq!(f(&r, &["overall", "calls"]), 2.0 * f(&r, &["overall", "callers"]), "each caller redials once");
    assert!((f(&r, &["overall", "menu_time", "max"]) - 41.0).abs() < 1e-6);
    let story = journey(yaml, &["--count", "1"]);
    assert!(story.contains("hangs up after 41s in the menu, while listening to second"), "{story}");
    assert!(story.contains("call ends: hung up in the menu"), "{story}");
    assert!(story.contains("Call 2 (redial)"), "{story}");
}

#[test]
fn menu_hang_ups_are_named_among_the_worst_experiences_in_every_human_format() {
    let yaml = r#"
seed: 1
replications: 1
horizon: 1h
callers:
  c: { arrivals: 60/h, menu_patience: 41s }
menu:
  main: { duration: 30s, then: second }
  second: { duration: 30s, then: q }
queues:
  q: { pools: [team] }
pools:
  team: { agents: 5, handle: 2m }
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "menu.yaml", yaml);
    let r = run(yaml);
    let (hung_up, calls) = (f(&r, &["overall", "abandoned_menu"]), f(&r, &["overall", "calls"]));
    let line = format!(
        "c: {hung_up} of {calls} calls (100.0%) hung up in the menu; 1 in 20 calls or more spent the longest time in it, 41s"
    );
    for format in ["table", "markdown", "html"] {
        let o = shop(&["run", &path, "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        let worst = out.split("Worst experiences").nth(1).unwrap();
        let first_table = worst.find("Calls").unwrap();
        assert!(worst[..first_table].contains(&line), "{format}: {out}");
        assert!(worst[..first_table].contains("No caller reached a queue"), "{format}: {out}");
    }
}

#[test]
fn a_caller_with_no_option_presses_no_key_hears_the_repeats_and_goes_to_no_input() {
    let yaml = r#"
seed: 1
replications: 1
horizon: 1h
callers:
  c: { arrivals: 60/h, reasons: { lost: 1 }, menu_patience: never }
menu:
  main:
    duration: 8s
    repeat: 1
    no_input: help
    options:
      "1": { for: [other], to: q }
queues:
  q: { pools: [team] }
  help: { pools: [team] }
pools:
  team: { agents: 5, handle: 2m }
"#;
    let r = run(&yaml.replace("reasons: { lost: 1 }", "reasons: { lost: 0.5, other: 0.5 }"));
    let calls = f(&r, &["overall", "calls"]);
    let help = f(&r, &["by_queue", "help", "calls"]) / calls;
    assert!((help - 0.5).abs() < 0.1, "{help}");
    assert!((f(&r, &["overall", "menu_time", "max"]) - 16.0).abs() < 1e-6, "the prompt and one repeat");
    let story = journey(yaml, &["--count", "1"]);
    assert!(story.contains("presses no key after hearing the prompt twice (16s); goes on to queue help"), "{story}");
}

#[test]
fn the_journey_tells_an_early_key_and_a_mistake() {
    let yaml = r#"
seed: 1
replications: 1
horizon: 1h
callers:
  c: { arrivals: 60/h, reasons: { a: 0.01, b: 0.97, c: 0.01, d: 0.01 }, accuracy: 0.3, menu_patience: never }
menu:
  main:
    prompt: "For a, press 1. For b, press 2. For c, press 3. For d, press 4."
    options:
      "1": { for: [a], to: q }
      "2": { for: [b], to: q }
      "3": { for: [c], to: q }
      "4": { for: [d], to: q }
queues:
  q: { pools: [team] }
pools:
  team: { agents: 5, handle: 2m }
"#;
    let story = journey(yaml, &["--count", "20", "--reason", "b"]);
    assert!(story.contains("presses 2 after 3.2s, before the prompt ended → queue q"), "{story}");
    assert!(story.contains("by mistake after"), "{story}");
}

#[test]
fn an_options_at_offset_times_the_key_with_an_explicit_duration() {
    let yaml = r#"
seed: 1
replications: 1
horizon: 1h
callers:
  c: { arrivals: 60/h, reasons: { a: 1 }, menu_patience: never }
menu:
  main:
    duration: 30s
    options:
      "1": { for: [a], to: q, at: 5s }
      "0": { to: q }
queues:
  q: { pools: [team] }
pools:
  team: { agents: 5, handle: 2m }
"#;
    let r = run(yaml);
    assert!((f(&r, &["overall", "menu_time", "max"]) - 5.0).abs() < 1e-6);
    let r = run(&yaml.replace("    duration: 30s\n", "    duration: 30s\n    barge_in: false\n"));
    assert!((f(&r, &["overall", "menu_time", "mean"]) - 30.0).abs() < 1e-6);
}
