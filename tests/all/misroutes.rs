//! Misroutes through the real binary: a pool without `resolves` solves the
//! reasons routed to its queues and transfers a misdialled caller, cold, to
//! the queue the menu means for them; a design where no caller can reach the
//! wrong queue runs as it did.

use serde_json::Value;

use crate::cmd::{shop, stderr, stdout};

fn run_in(dir: &tempfile::TempDir, name: &str, yaml: &str) -> (Value, String) {
    let p = dir.path().join(name);
    std::fs::write(&p, yaml).unwrap();
    let path = p.to_str().unwrap();
    let o = shop(&["run", path, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (serde_json::from_slice(&o.stdout).unwrap(), stdout(&o))
}

fn run(yaml: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    run_in(&dir, "misroute.yaml", yaml).0
}

fn f(v: &Value, path: &[&str]) -> f64 {
    let mut x = v;
    for p in path {
        x = &x[*p];
    }
    x.as_f64().unwrap_or_else(|| panic!("{path:?} is not a number: {x}"))
}

/// Two keys, each for one reason, pressed wrong every time (`accuracy: 0`);
/// plenty of agents, nobody hangs up or redials.
const ALWAYS_WRONG: &str = r#"
seed: 3
replications: 2
horizon: 2h
callers:
  c: { arrivals: 60/h, reasons: { a: 0.5, b: 0.5 }, menu_patience: never }
menu:
  main:
    duration: 10s
    accuracy: 0
    options:
      "1": { for: [a], to: qa }
      "2": { for: [b], to: qb }
queues:
  qa: { pools: [pa] }
  qb: { pools: [pb] }
pools:
  pa: { agents: 30, handle: 3m }
  pb: { agents: 30, handle: 3m }
"#;

#[test]
fn a_misdialled_caller_is_transferred_once_to_the_queue_meant_for_their_reason() {
    let v = run(ALWAYS_WRONG);
    let calls = f(&v, &["overall", "calls"]);
    assert!(calls > 100.0, "{calls} calls");
    // Every caller pressed the other key, was answered by the wrong team,
    // transferred once, and solved by the right one.
    assert_eq!(f(&v, &["overall", "transfers_per_call"]), 1.0);
    assert_eq!(f(&v, &["overall", "resolved"]), calls);
    assert_eq!(f(&v, &["overall", "first_contact_resolution"]), 1.0);
    // Each call is answered in both queues: once misrouted, once right.
    let answered = f(&v, &["by_queue", "qa", "answered"]) + f(&v, &["by_queue", "qb", "answered"]);
    assert_eq!(answered, 2.0 * calls);
    let handled = f(&v, &["by_pool", "pa", "calls_handled"]) + f(&v, &["by_pool", "pb", "calls_handled"]);
    assert_eq!(handled, 2.0 * calls);
}

#[test]
fn a_misrouted_call_counts_toward_max_transfers() {
    let v = run(&ALWAYS_WRONG.replace("seed: 3", "seed: 3\nmax_transfers: 0"));
    let calls = f(&v, &["overall", "calls"]);
    assert_eq!(f(&v, &["overall", "transfers_per_call"]), 0.0);
    assert_eq!(f(&v, &["overall", "resolved"]), 0.0);
    assert_eq!(f(&v, &["overall", "unresolved"]), calls);
}

#[test]
fn the_journey_tells_the_cold_transfer_and_the_second_team() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("misroute.yaml");
    std::fs::write(&p, ALWAYS_WRONG).unwrap();
    let o = shop(&["journey", p.to_str().unwrap(), "--caller", "c", "--reason", "a"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("presses 2"), "{text}");
    assert!(text.contains("not solved, misrouted (pb does not take a calls)"), "{text}");
    assert!(text.contains("transferred cold to queue qa"), "{text}");
    assert!(text.contains("pa agent"), "{text}");
}

#[test]
fn a_misdialled_caller_whose_reason_reaches_no_queue_leaves_unresolved() {
    // Reason a is meant for self-service that ends the call: no queue is meant
    // for it, so a misdialled a-caller answered by pb is not transferred.
    let yaml = ALWAYS_WRONG
        .replace("\"1\": { for: [a], to: qa }", "\"1\": { for: [a], to: recorded }")
        .replace("queues:", "  recorded:\n    duration: 20s\n    resolves: { a: 0.5 }\nqueues:");
    let v = run(&yaml);
    let calls = f(&v, &["by_caller", "c", "calls"]);
    assert_eq!(f(&v, &["overall", "transfers_per_call"]), 0.0);
    // a-callers pressed 2 and reached pb, which does not solve a; b-callers
    // pressed 1, heard the recording, which does not solve b: nobody is solved.
    assert_eq!(f(&v, &["overall", "resolved"]), 0.0);
    assert_eq!(f(&v, &["overall", "unresolved"]), calls);
}

#[test]
fn explicit_resolves_keep_their_meaning() {
    let yaml = ALWAYS_WRONG
        .replace("pa: { agents: 30, handle: 3m }", "pa: { agents: 30, handle: 3m, resolves: { a: 1, b: 1 } }")
        .replace("pb: { agents: 30, handle: 3m }", "pb: { agents: 30, handle: 3m, resolves: { a: 1, b: 1 } }");
    let v = run(&yaml);
    assert_eq!(f(&v, &["overall", "transfers_per_call"]), 0.0);
    assert_eq!(f(&v, &["overall", "resolved"]), f(&v, &["overall", "calls"]));
}

#[test]
fn a_design_with_no_menu_choice_runs_as_if_every_pool_resolved_everything() {
    // Callers straight to a queue, and a menu with one way through: nobody can
    // reach the wrong queue, so leaving out `resolves` is resolving every reason.
    let design = |resolves: &str| {
        format!(
            r#"
name: no choice
seed: 9
replications: 3
horizon: 3h
callers:
  direct: {{ arrivals: 50/h, reasons: {{ a: 0.7, b: 0.3 }}, patience: exp(2m), entry: q1, redial: {{ chance: 0.5, after: 5m }} }}
  menu: {{ arrivals: 40/h, reasons: {{ a: 0.2, b: 0.8 }}, patience: exp(3m) }}
menu:
  welcome:
    prompt: "Thank you for calling. Please hold."
    then: q2
queues:
  q1: {{ pools: [p1, {{ pool: p2, after: 1m }}] }}
  q2: {{ pools: [p2] }}
pools:
  p1: {{ agents: 3, handle: exp(3m){resolves} }}
  p2: {{ agents: 2, handle: exp(4m){resolves} }}
"#
        )
    };
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let (omitted, text_omitted) = run_in(&dir_a, "d.yaml", &design(""));
    let (_, text_all) = run_in(&dir_b, "d.yaml", &design(", resolves: { a: 1, b: 1 }"));
    assert_eq!(text_omitted, text_all);
    assert_eq!(f(&omitted, &["overall", "transfers_per_call"]), 0.0);
}

/// One level of `n` options with prompts naming them, the caller's own
/// accuracy (the menu model: more options, more wrong keys).
fn menu_of(n: usize) -> String {
    let reasons: Vec<String> = (1..=n).map(|i| format!("r{i}")).collect();
    let shares = reasons.iter().map(|r| format!("{r}: {}", 1.0 / n as f64)).collect::<Vec<_>>().join(", ");
    let prompt = reasons.iter().enumerate().map(|(i, r)| format!("For {r} press {}.", i + 1)).collect::<Vec<_>>();
    let options = reasons
        .iter()
        .enumerate()
        .map(|(i, r)| format!("      \"{}\": {{ for: [{r}], to: q{} }}", i + 1, i + 1))
        .collect::<Vec<_>>()
        .join("\n");
    let queues = (1..=n).map(|i| format!("  q{i}: {{ pools: [p{i}] }}")).collect::<Vec<_>>().join("\n");
    let pools = (1..=n).map(|i| format!("  p{i}: {{ agents: 20, handle: 3m }}")).collect::<Vec<_>>().join("\n");
    format!(
        "seed: 5\nreplications: 4\nhorizon: 4h\ncallers:\n  c: {{ arrivals: 120/h, reasons: {{ {shares} }}, menu_patience: never, accuracy: 0.9 }}\nmenu:\n  main:\n    prompt: \"{}\"\n    options:\n{options}\nqueues:\n{queues}\npools:\n{pools}\n",
        prompt.join(" ")
    )
}

#[test]
fn five_options_misroute_more_callers_than_three() {
    let three = run(&menu_of(3));
    let five = run(&menu_of(5));
    let t3 = f(&three, &["overall", "transfers_per_call"]);
    let t5 = f(&five, &["overall", "transfers_per_call"]);
    assert!(t3 > 0.0 && t5 > t3, "transfers per call: 3 options {t3}, 5 options {t5}");
    // Every misrouted caller is sent on and solved: no one leaves unresolved.
    assert_eq!(f(&five, &["overall", "resolved"]), f(&five, &["overall", "calls"]));
}
