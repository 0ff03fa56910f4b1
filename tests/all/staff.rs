//! `shop staff` through the real binary: Erlang's answer on a steady line (for
//! all callers, one queue of two, email response times, callbacks, chats), a
//! day that changes, minimality, `--write`, and the exit codes.

use std::path::{Path, PathBuf};

use crate::cmd::{shop, stderr, stdout};
use serde_json::Value;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

fn staff_json(args: &[&str]) -> Value {
    let mut all = vec!["staff"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let o = shop(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("JSON")
}

fn run_json(file: &Path, extra: &[&str]) -> Value {
    let mut all = vec!["run", file.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(extra);
    let o = shop(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// One steady queue, one pool, nobody hangs up: M/M/c over one long interval.
fn steady_line(dir: &Path) -> PathBuf {
    write(
        dir,
        "steady.yaml",
        "name: steady line\nseed: 3\nreplications: 40\nhorizon: 40h\ninterval: 40h\nstart: q\n\
         callers:\n  c: { arrivals: 120/h }\nqueues:\n  q: { pools: [team] }\n\
         pools:\n  team: { agents: 5, handle: exp(5m) }\n",
    )
}

/// A morning peak: one caller type whose calls rise and fall, one pool, patience.
const DAY: &str = "# a day that changes\nname: changing day\nseed: 11\nreplications: 40\nhorizon: 4h\ninterval: 30m\n\
opens: \"09:00\"\nservice_level: 20s\nstart: q\n\
callers:\n  c:\n    arrivals:\n      - { from: 0h, rate: 60/h }\n      - { from: 1h, rate: 150/h }\n      - { from: 2h30m, rate: 80/h }\n    \
patience: exp(3m)\nqueues:\n  q: { pools: [team] }\n\
pools:\n  team:\n    agents: 6   # the current staffing\n    handle: exp(4m)\n    shrinkage: 0.25\n    cost_per_hour: 30\n";

#[test]
fn on_a_steady_line_staff_gives_exactly_what_erlang_c_says() {
    // 120/h × 5m = 10 erlangs. Erlang C: 11 agents wait 205 s on average, 12
    // agents 67 s, 13 agents 29 s: `wait.mean <= 2m` needs 12, and both
    // neighbours miss or meet it by far more than 40 days of 40 h can blur.
    let dir = tempfile::tempdir().unwrap();
    let file = steady_line(dir.path());
    let e: Value = serde_json::from_str(&stdout(&shop(&[
        "erlang",
        "--rate",
        "120/h",
        "--handle",
        "5m",
        "--target",
        "wait.mean <= 2m",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(e["agents"], 12);
    let r = staff_json(&[file.to_str().unwrap(), "--target", "wait.mean <= 2m"]);
    assert_eq!(r["meets_targets"], true);
    assert_eq!(r["targets"][0], "wait.mean <= 2m");
    let i = &r["intervals"][0];
    assert_eq!(i["agents"]["team"], 12, "{i}");
    assert_eq!(i["erlang"]["team"], 12, "the analytic start is Erlang C: {i}");
    let mean = i["achieved"]["wait"]["mean"].as_f64().unwrap();
    assert!(mean < 90.0, "12 agents wait well under 2m: {mean}");
    assert_eq!(i["binding"], "wait.mean <= 2m");
    assert!(i["binding_by_pool"]["team"]["value"].as_f64().unwrap() > 150.0, "11 agents miss by far: {i}");
    assert_eq!(r["agent_hours"]["team"], 12.0 * 40.0);
    assert_eq!(r["current_agent_hours"]["team"], 5.0 * 40.0);
}

/// `availability: 0.8`: agents are counted on duty, so Erlang's 12 servers
/// start the search at 12 / 0.8 = 15 on duty, and the report says how many
/// of the agents found are on the phones.
#[test]
fn with_availability_the_erlang_start_and_the_agents_are_on_duty_and_on_the_phones_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(steady_line(dir.path()))
        .unwrap()
        .replace("handle: exp(5m) }", "handle: exp(5m), availability: 0.8 }");
    let file = write(dir.path(), "available.yaml", &text);
    let r = staff_json(&[file.to_str().unwrap(), "--target", "wait.mean <= 2m", "--replications", "10"]);
    let i = &r["intervals"][0];
    assert_eq!(i["erlang"]["team"], 15, "{i}");
    let agents = i["agents"]["team"].as_f64().unwrap();
    assert!((i["agents_on_phones"]["team"].as_f64().unwrap() - 0.8 * agents).abs() < 1e-9, "{i}");
    let text = stdout(&shop(&["staff", file.to_str().unwrap(), "--target", "wait.mean <= 2m", "--replications", "10"]));
    assert!(text.contains("Agents: on duty, each on the phones for the pool's `availability` share"), "{text}");
    // Without availability the key is absent and the note unchanged.
    let plain =
        staff_json(&[steady_line(dir.path()).to_str().unwrap(), "--target", "wait.mean <= 2m", "--replications", "10"]);
    assert!(plain["intervals"][0].get("agents_on_phones").is_none());
}

#[test]
fn a_service_level_target_with_its_own_threshold_is_measured_at_it() {
    // The file counts service within 5 minutes; the target asks 80% within
    // 20 s. Erlang C at 10 erlangs, 5-minute handle: 13 agents answer 76.6%
    // within 20 s, 14 agents 86.7% (within 5 minutes 12 agents would do).
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(steady_line(dir.path())).unwrap().replace("start: q", "service_level: 5m\nstart: q");
    let file = write(dir.path(), "five_minutes.yaml", &text);
    let r = staff_json(&[file.to_str().unwrap(), "--target", "service_level(20s) >= 80%", "--replications", "20"]);
    let i = &r["intervals"][0];
    assert_eq!(i["agents"]["team"], 14, "{i}");
    let sl = i["achieved"]["service_level"].as_f64().unwrap();
    assert!((0.82..0.91).contains(&sl), "14 agents answer about 86.7% within 20 s: {sl}");
    let fewer = i["binding_by_pool"]["team"]["value"].as_f64().unwrap();
    assert!((0.72..0.79).contains(&fewer), "13 agents about 76.6%: {fewer}");
}

/// The scenario with these agents per interval.
fn with_agents(dir: &Path, name: &str, agents: &[u64]) -> PathBuf {
    let shifts: String =
        agents.iter().enumerate().map(|(k, n)| format!("      - {{ from: {}m, agents: {n} }}\n", k * 30)).collect();
    write(dir, name, &DAY.replace("    agents: 6   # the current staffing\n", &format!("    agents:\n{shifts}")))
}

#[test]
fn a_changing_day_is_staffed_so_that_a_fresh_run_meets_the_target_and_one_fewer_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "day.yaml", DAY);
    let out = dir.path().join("staffed.yaml");
    let r = staff_json(&[file.to_str().unwrap(), "--target", "service_level >= 80%", "--write", out.to_str().unwrap()]);
    assert_eq!(r["meets_targets"], true);
    let intervals = r["intervals"].as_array().unwrap();
    assert_eq!(intervals.len(), 8);
    let agents: Vec<u64> = intervals.iter().map(|i| i["agents"]["team"].as_u64().unwrap()).collect();
    // The peak needs more agents than the quiet start.
    assert!(agents[3] > agents[0], "{agents:?}");
    for i in intervals {
        // Minimal: one agent fewer breaks a target, named.
        assert_eq!(i["binding"], "service_level >= 80%", "{i}");
        assert!(i["achieved"]["service_level"].as_f64().unwrap() >= 0.8);
        let scheduled = i["scheduled"]["team"].as_f64().unwrap();
        assert!((scheduled - i["agents"]["team"].as_f64().unwrap() / 0.75).abs() < 1e-6);
    }
    // The written file loads, and a fresh seed meets the target in every
    // interval within the noise the report gives (its 95% interval's half-width, doubled).
    let v = shop(&["validate", out.to_str().unwrap()]);
    assert!(v.status.success(), "{}{}", stdout(&v), stderr(&v));
    let fresh = run_json(&out, &["--seed", "12345"]);
    for (k, i) in intervals.iter().enumerate() {
        let ci = &i["achieved_ci95"]["service_level"];
        let half = (ci[1].as_f64().unwrap() - ci[0].as_f64().unwrap()) / 2.0;
        let sl = fresh["by_interval"][k]["service_level"].as_f64().unwrap();
        println!("{}: {} agents, fresh seed {sl:.4} (noise ±{half:.4})", i["label"], agents[k]);
        assert!(sl >= 0.8 - 2.0 * half, "{}: {sl} on a fresh seed", i["label"]);
    }
    // One agent fewer in the busiest interval misses it on the fresh seed too.
    let busiest = (0..agents.len()).max_by_key(|&k| (agents[k], std::cmp::Reverse(k))).unwrap();
    let mut fewer = agents.clone();
    fewer[busiest] -= 1;
    let f = run_json(&with_agents(dir.path(), "fewer.yaml", &fewer), &["--seed", "12345"]);
    let sl = f["by_interval"][busiest]["service_level"].as_f64().unwrap();
    println!("one fewer at {}: {sl:.4}", intervals[busiest]["label"]);
    assert!(sl < 0.8, "one agent fewer at {} still gives {sl}", intervals[busiest]["label"]);
    // The file is the user's, with only the pool's agents changed.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("# a day that changes\n"), "{text}");
    assert!(text.contains("    agents: # the current staffing\n      - { from: 0h, agents: "), "{text}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), DAY, "the input is untouched");
    // Cost against the current staffing.
    assert_eq!(r["current_agent_hours"]["team"], 24.0);
    let hours: f64 = agents.iter().map(|&n| n as f64 * 0.5).sum();
    assert_eq!(r["agent_hours"]["total"].as_f64().unwrap(), hours);
    assert!((r["cost_per_day"]["team"].as_f64().unwrap() - hours / 0.75 * 30.0).abs() < 1e-6);
}

#[test]
fn staffing_beyond_max_agents_exits_1_naming_the_interval_and_target() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "day.yaml", DAY);
    let o = shop(&["staff", file.to_str().unwrap(), "--max-agents", "5", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["meets_targets"], false);
    // 60 calls an hour × 4m at 09:00 already need a sixth agent for 80% within 20 s.
    assert_eq!(r["unmet"]["interval"], "09:00–09:30");
    assert_eq!(r["unmet"]["target"], "service_level >= 80%");
    assert!(err.contains("`service_level >= 80%` in 09:00–09:30"), "{err}");
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "day.yaml", DAY);
    let f = file.to_str().unwrap();
    let cases: [(&[&str], &str); 12] = [
        (&["--target", "service_levl >= 80%"], "did you mean `service_level`"),
        (&["--target", "busines: wait.p95 <= 2m"], "no caller type or pool is called `busines`"),
        (&["--target", "queue qq: wait.p95 <= 2m"], "no queue is called `qq`; did you mean `q`?"),
        (&["--target", "queue qq: wait.p95 <= 2m"], "accepted targets ("),
        (&["--target", "q: wait.p95 <= 2m"], "write `queue q: wait.p95 <= 2m`"),
        (&["--target", "response_time.p95 <= 4h"], "no caller type has `channel: email`"),
        (&["--target", "time_to_callback.p95 <= 30m"], "no queue offers callbacks"),
        (&["--target", "c: occupancy <= 80%"], "occupancy is a pool's figure"),
        (&["--pools", "teem"], "did you mean `team`"),
        (&["--pools", " "], "--pools names no pool"),
        (&["--target", "service_level(20s) >= 80%", "--target", "service_level(30s) >= 90%"], "different thresholds"),
        (&["--write", f], "never over the input"),
    ];
    for (args, message) in cases {
        let mut all = vec!["staff", f];
        all.extend_from_slice(args);
        let o = shop(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), DAY, "the input is untouched");
}

#[test]
fn a_menu_without_agent_pools_has_nothing_to_staff_and_says_so() {
    // Found by damaging a file: a scenario cut before its `queues:` and `pools:`
    // loads (a menu alone is a design), and `staff` had no interval to report.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "ivr.yaml",
        "name: menu only\nseed: 1\nreplications: 2\nhorizon: 1h\nstart: main\n\
         callers:\n  c: { arrivals: 30/h }\nmenu:\n  main: { prompt: \"Our opening hours are nine to five. Goodbye.\" }\n",
    );
    let o = shop(&["staff", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no agent pools: there is nothing to staff"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

/// Every caller ends in the menu: no agent is needed, and the report says
/// so instead of "every target holds; removing any one agent breaks one".
#[test]
fn callers_who_never_reach_the_pools_need_no_agent_and_the_report_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "self_service.yaml",
        "name: self service\nseed: 1\nreplications: 5\nhorizon: 4h\ninterval: 1h\nstart: m\n\
         callers:\n  c: { arrivals: 60/h, reasons: { general: 1 } }\n\
         menu:\n  m: { prompt: \"Goodbye.\", resolves: { general: 1 } }\n\
         queues:\n  q: { pools: [team] }\npools:\n  team: { agents: 3, handle: exp(3m) }\n",
    );
    let o = shop(&["staff", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("No call reaches the pools searched in any interval: no agent is needed"), "{text}");
    assert!(!text.contains("removing any one agent breaks one"), "{text}");
}

#[test]
fn targets_come_from_a_file_and_every_format_shows_the_staffing() {
    let dir = tempfile::tempdir().unwrap();
    let file = steady_line(dir.path());
    let targets = write(dir.path(), "targets.yaml", "targets:\n  - \"c: wait.mean <= 2m\"\n  - \"occupancy <= 95%\"\n");
    let r = staff_json(&[file.to_str().unwrap(), "--targets", targets.to_str().unwrap(), "--replications", "10"]);
    assert_eq!(r["targets"], serde_json::json!(["c: wait.mean <= 2m", "occupancy <= 95%"]));
    assert!(r["intervals"][0]["achieved"]["by_caller"]["c"]["wait"]["mean"].is_number());
    for (format, needle) in
        [("table", "Staffing by interval"), ("markdown", "### Totals"), ("csv", "row,from,to,agents.team")]
    {
        let o = shop(&[
            "staff",
            file.to_str().unwrap(),
            "--replications",
            "10",
            "--target",
            "wait.mean <= 2m",
            "--format",
            format,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains(needle), "{format}: {}", stdout(&o));
    }
}

/// A steady day of 40 hours, one interval: `body` gives callers, menu, queues and pools.
fn steady(dir: &Path, name: &str, body: &str) -> PathBuf {
    write(dir, name, &format!("name: {name}\nseed: 5\nreplications: 40\nhorizon: 40h\ninterval: 40h\n{body}"))
}

/// The one interval's figures, after checking that the target binds there and
/// that one agent fewer misses it by the figure given.
fn only_interval(r: &Value, pool: &str, target: &str) -> Value {
    assert_eq!(r["meets_targets"], true, "{r}");
    let i = r["intervals"][0].clone();
    assert_eq!(i["binding"], target, "{i}");
    assert_eq!(i["binding_by_pool"][pool]["target"], target, "{i}");
    i
}

#[test]
fn a_queue_target_staffs_its_pool_as_erlang_c_says_whatever_the_other_queue_waits() {
    // One caller type, split by the menu: 120/h to `tech` (5-minute talks: 10
    // erlangs), 40/h to `sales`, whose 3 agents (2.67 erlangs of 4-minute
    // talks) keep its callers about 9 minutes on hold. For `tech`'s calls
    // alone, Erlang C: 11 agents wait 205 s on average, 12 agents 67 s, 13
    // agents 29 s, so `wait.mean <= 2m` needs 12. All callers together (or the
    // caller type) could not meet it at any staffing of tech.
    let dir = tempfile::tempdir().unwrap();
    let file = steady(
        dir.path(),
        "two_queues.yaml",
        "start: main\ncallers:\n  c: { arrivals: 160/h, reasons: { sales: 0.25, tech: 0.75 } }\n\
         menu:\n  main:\n    duration: 0s\n    accuracy: 1\n    options:\n      \
         \"1\": { for: [sales], to: sales }\n      \"2\": { for: [tech], to: tech }\n\
         queues:\n  sales: { pools: [sales_team] }\n  tech: { pools: [tech_team] }\n\
         pools:\n  sales_team: { agents: 3, handle: exp(4m) }\n  tech_team: { agents: 5, handle: exp(5m) }\n",
    );
    let target = "queue tech: wait.mean <= 2m";
    let r = staff_json(&[file.to_str().unwrap(), "--target", target, "--pools", "tech_team"]);
    let i = only_interval(&r, "tech_team", target);
    assert_eq!(i["agents"]["tech_team"], 12, "{i}");
    assert_eq!(i["erlang"]["tech_team"], 12, "the analytic start staffs the queue's pool: {i}");
    let tech = i["achieved"]["by_queue"]["tech"]["wait"]["mean"].as_f64().unwrap();
    assert!((45.0..90.0).contains(&tech), "12 agents: about 67 s: {tech}");
    let fewer = i["binding_by_pool"]["tech_team"]["value"].as_f64().unwrap();
    assert!(fewer > 150.0, "11 agents: about 205 s: {fewer}");
    assert!(i["achieved"]["by_queue"].get("sales").is_none(), "only the queues targeted are counted: {i}");
    assert_eq!(i["achieved"]["scope"], "queue tech", "the figures shown are the binding queue's: {i}");
    assert_eq!(i["achieved"]["wait"]["mean"].as_f64().unwrap(), tech);
    let all = i["achieved"]["all_callers"]["wait"]["mean"].as_f64().unwrap();
    assert!(all > 120.0, "with sales' callers, all callers together miss: {all}");
}

/// Two skills behind one number: a small queue of long claims calls and a
/// large queue of short policy calls, each caller type dialing its queue.
const SKILLS: &str = "name: two skills\nseed: 21\nreplications: 20\nhorizon: 3h\ninterval: 1h\nservice_level: 20s\n\
callers:\n  claimant: { arrivals: 24/h, patience: exp(5m), entry: claims }\n  \
holder: { arrivals: 240/h, patience: exp(5m), entry: policy }\n\
queues:\n  claims: { pools: [claims_team] }\n  policy: { pools: [policy_team] }\n\
pools:\n  claims_team: { agents: 3, handle: exp(8m) }\n  policy_team: { agents: 12, handle: exp(2m) }\n";

#[test]
fn staff_by_default_holds_the_service_level_in_every_queue_not_only_on_the_blend() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "skills.yaml", SKILLS);
    let out = dir.path().join("staffed.yaml");
    let r = staff_json(&[file.to_str().unwrap(), "--confidence", "95%", "--write", out.to_str().unwrap()]);
    let targets: Vec<&str> = r["targets"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert_eq!(targets, ["queue claims: service_level >= 80%", "queue policy: service_level >= 80%"]);
    assert_eq!(r["added_targets"].as_array().unwrap().len(), 2, "the report says why: {}", r["added_targets"]);
    for i in r["intervals"].as_array().unwrap() {
        let a = &i["achieved"];
        let scope = a["scope"].as_str().unwrap_or_else(|| panic!("a queue binds: {a}"));
        let queue = scope.strip_prefix("queue ").unwrap();
        assert_eq!(a["service_level"], a["by_queue"][queue]["service_level"], "{a}");
        for q in ["claims", "policy"] {
            assert!(a["by_queue"][q]["service_level"].as_f64().unwrap() >= 0.8, "{q} on the search's seed: {a}");
        }
    }
    // A fresh seed of the written file: each caller type is its queue's only caller.
    let fresh = run_json(&out, &["--seed", "4242"]);
    for i in fresh["by_interval"].as_array().unwrap() {
        for c in ["claimant", "holder"] {
            let sl = i["by_caller"][c]["service_level"].as_f64().unwrap();
            println!("{} {c}: {sl:.3}", i["label"]);
            assert!(sl >= 0.8, "{c} in {}: {sl}", i["label"]);
        }
    }
    // The blend alone lets the small queue fall below: what the default no longer does.
    let blended = dir.path().join("blend.yaml");
    let w = blended.to_str().unwrap();
    let blend = staff_json(&[file.to_str().unwrap(), "--target", "service_level >= 80%", "--no-confirm", "--write", w]);
    assert!(blend["intervals"][0]["achieved"].get("scope").is_none(), "an unscoped target shows all callers");
    let claims = run_json(&blended, &[])["by_interval"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["by_caller"]["claimant"]["service_level"].as_f64().unwrap())
        .fold(1.0, f64::min);
    assert!(claims < 0.8, "on the blend, claims callers fall below: {claims}");
    let table = stdout(&shop(&["staff", file.to_str().unwrap(), "--no-confirm"]));
    assert!(table.contains("figures of") && table.contains("queue claims"), "{table}");
}

#[test]
fn an_email_response_time_target_gives_erlang_c_s_answer() {
    // An inbox worked by its own pool, nobody giving up: M/M/c, the response
    // time is the wait. 120 emails/h of 5 minutes: Erlang C's 95th percentile
    // wait is 329 s with 12 agents, 174 s with 13: `p95 <= 4m` needs 13.
    let dir = tempfile::tempdir().unwrap();
    let file = steady(
        dir.path(),
        "inbox.yaml",
        "callers:\n  writer: { channel: email, arrivals: 120/h, entry: inbox }\n\
         queues:\n  inbox: { pools: [team] }\npools:\n  team: { agents: 5, handle: exp(5m) }\n",
    );
    let target = "writer: response_time.p95 <= 4m";
    let r = staff_json(&[file.to_str().unwrap(), "--target", target]);
    let i = only_interval(&r, "team", target);
    assert_eq!(i["agents"]["team"], 13, "{i}");
    let p95 = i["achieved"]["by_caller"]["writer"]["response_time"]["p95"].as_f64().unwrap();
    assert!((140.0..210.0).contains(&p95), "13 agents: about 174 s: {p95}");
    let fewer = i["binding_by_pool"]["team"]["value"].as_f64().unwrap();
    assert!((280.0..380.0).contains(&fewer), "12 agents: about 329 s: {fewer}");
}

#[test]
fn an_email_within_target_share_gives_erlang_c_s_answer() {
    // The same inbox, 4-minute response target: the share started within it
    // is M/M/c's P(wait <= 4m) = 1 − C·e^{−(c − A)·240/300} with A = 10:
    // 69.4% with 11 agents, 90.9% with 12: `within_target >= 85%` needs 12.
    let dir = tempfile::tempdir().unwrap();
    let file = steady(
        dir.path(),
        "inbox_target.yaml",
        "callers:\n  writer: { channel: email, arrivals: 120/h, entry: inbox, response_target: 4m }\n\
         queues:\n  inbox: { pools: [team] }\npools:\n  team: { agents: 5, handle: exp(5m) }\n",
    );
    let target = "writer: within_target >= 85%";
    let r = staff_json(&[file.to_str().unwrap(), "--target", target]);
    let i = only_interval(&r, "team", target);
    assert_eq!(i["agents"]["team"], 12, "{i}");
    let fewer = i["binding_by_pool"]["team"]["value"].as_f64().unwrap();
    assert!((0.64..0.75).contains(&fewer), "11 agents: about 69.4%: {fewer}");
    let confirmed = r["confirmed"]["intervals"][0]["figure"].as_f64().unwrap();
    assert!((0.88..0.94).contains(&confirmed), "12 agents on a fresh seed: about 90.9%: {confirmed}");
    // Higher is better, and it is an email's figure.
    let wrong_way = shop(&["staff", file.to_str().unwrap(), "--target", "within_target <= 85%"]);
    assert_eq!(wrong_way.status.code(), Some(2));
    assert!(stderr(&wrong_way).contains("within_target >= ..."), "{}", stderr(&wrong_way));
}

#[test]
fn a_callback_target_bounds_the_time_to_call_back_as_erlang_c_says() {
    // Every caller who would wait takes a callback that keeps their place and
    // is dialed at once and reached: the time to callback is M/M/c's wait
    // given a wait, exponential with mean h / (c − A). At 10 erlangs of
    // 5-minute calls its 95th percentile is ln 20 × 300 s / (c − 10): 449 s
    // with 12 agents, 300 s with 13, so `p95 <= 6m` needs 13.
    let dir = tempfile::tempdir().unwrap();
    let file = steady(
        dir.path(),
        "callbacks.yaml",
        "start: q\ncallers:\n  c: { arrivals: 120/h }\nqueues:\n  q:\n    pools: [team]\n    \
         callback: { offer_when_ewt_over: 0s, accept: 1, keep_place: true, reach: 1, dial: 0s }\n\
         pools:\n  team: { agents: 5, handle: exp(5m) }\n",
    );
    let target = "time_to_callback.p95 <= 6m";
    let r = staff_json(&[file.to_str().unwrap(), "--target", target]);
    let i = only_interval(&r, "team", target);
    assert_eq!(i["agents"]["team"], 13, "{i}");
    let p95 = i["achieved"]["time_to_callback"]["p95"].as_f64().unwrap();
    assert!((260.0..345.0).contains(&p95), "13 agents: about 300 s: {p95}");
    let mean = i["achieved"]["time_to_callback"]["mean"].as_f64().unwrap();
    assert!((85.0..115.0).contains(&mean), "13 agents: about 100 s on average: {mean}");
    let fewer = i["binding_by_pool"]["team"]["value"].as_f64().unwrap();
    assert!((390.0..510.0).contains(&fewer), "12 agents: about 449 s: {fewer}");
}

#[test]
fn a_chat_caller_target_staffs_chat_slots_as_erlang_c_says() {
    // Chats held two at a time without slowing down: each agent is two
    // servers of an M/M/n line. 60 chats/h of 8 minutes (8 erlangs): Erlang C's
    // 95th percentile wait is 505 s with 10 servers, 123 s with 12, so
    // `wait.p95 <= 5m` needs 12 servers: 6 agents (5 give 10).
    let dir = tempfile::tempdir().unwrap();
    let file = steady(
        dir.path(),
        "chats.yaml",
        "callers:\n  chatter: { channel: chat, arrivals: 60/h, entry: chats }\n\
         queues:\n  chats: { pools: [team] }\n\
         pools:\n  team: { agents: 5, handle: exp(8m), concurrency: { chat: 2 }, concurrency_slowdown: 0 }\n",
    );
    let target = "chatter: wait.p95 <= 5m";
    let r = staff_json(&[file.to_str().unwrap(), "--target", target]);
    let i = only_interval(&r, "team", target);
    assert_eq!(i["agents"]["team"], 6, "{i}");
    assert_eq!(i["erlang"]["team"], 6, "the analytic start: 12 servers, two an agent: {i}");
    let p95 = i["achieved"]["by_caller"]["chatter"]["wait"]["p95"].as_f64().unwrap();
    assert!((95.0..155.0).contains(&p95), "6 agents, 12 chats at once: about 123 s: {p95}");
    let fewer = i["binding_by_pool"]["team"]["value"].as_f64().unwrap();
    assert!((420.0..600.0).contains(&fewer), "5 agents, 10 chats at once: about 505 s: {fewer}");
}

#[test]
fn a_chat_pool_starts_at_erlang_c_s_servers_divided_by_the_chats_an_agent_holds() {
    // Three chats at once, each stretched by 25% per other chat held: when
    // every slot is taken (the only time a chat waits) a slot frees up for a
    // chat started beside two others, 8 min × 1.5 = 12 min. Erlang C on 60
    // chats/h of 12 minutes gives the servers; an agent is three of them.
    let dir = tempfile::tempdir().unwrap();
    let file = steady(
        dir.path(),
        "chats3.yaml",
        "callers:\n  chatter: { channel: chat, arrivals: 60/h, entry: chats }\n\
         queues:\n  chats: { pools: [team] }\n\
         pools:\n  team: { agents: 5, handle: exp(8m), concurrency: { chat: 3 }, concurrency_slowdown: 0.25 }\n",
    );
    let e: Value = serde_json::from_str(&stdout(&shop(&[
        "erlang",
        "--rate",
        "60/h",
        "--handle",
        "12m",
        "--target",
        "wait.p95 <= 5m",
        "--format",
        "json",
    ])))
    .unwrap();
    let servers = e["agents"].as_u64().unwrap();
    assert!(servers > 12, "12 erlangs need more than 12 servers: {servers}");
    let r = staff_json(&[file.to_str().unwrap(), "--target", "chatter: wait.p95 <= 5m", "--replications", "10"]);
    let i = &r["intervals"][0];
    assert_eq!(i["erlang"]["team"].as_u64().unwrap(), servers.div_ceil(3), "{i}");
}

/// One pool answers the phone and an inbox whose emails are promised an answer within 30 minutes.
const BLEND: &str = "name: blend\nseed: 7\nreplications: 20\nhorizon: 4h\ninterval: 1h\nservice_level: 20s\n\
callers:\n  phone: { arrivals: 60/h, patience: exp(3m), entry: line }\n  \
writer: { channel: email, arrivals: 30/h, response_target: 30m, entry: inbox }\n\
queues:\n  line: { pools: [team] }\n  inbox: { pools: [team] }\npools:\n  team: { agents: 8, handle: exp(4m) }\n";

#[test]
fn an_email_caller_type_no_target_bounds_gets_its_response_target() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "blend.yaml", BLEND);
    let f = file.to_str().unwrap();
    let r = staff_json(&[f]);
    let added = "writer: response_time.p95 <= 30m";
    assert_eq!(r["targets"], serde_json::json!(["service_level >= 80%", added]));
    assert_eq!(r["added_targets"][0]["target"], added, "{}", r["added_targets"]);
    assert!(r["added_targets"][0]["why"].as_str().unwrap().contains("response_target (30m)"));
    let agents = |r: &Value| -> u64 {
        r["intervals"].as_array().unwrap().iter().map(|i| i["agents"]["team"].as_u64().unwrap()).sum()
    };
    for i in r["intervals"].as_array().unwrap() {
        let p95 = i["achieved"]["by_caller"]["writer"]["response_time"]["p95"].as_f64().unwrap();
        assert!(p95 <= 1800.0, "the emails are answered within their promise: {i}");
    }
    // A target on the caller type replaces it: the inbox then waits longer, on fewer agents.
    let loose = staff_json(&[f, "--target", "service_level >= 80%", "--target", "writer: response_time.p95 <= 24h"]);
    assert_eq!(loose["added_targets"], serde_json::json!([]));
    assert!(agents(&r) > agents(&loose), "{} agents with the promise, {} without", agents(&r), agents(&loose));
    let o = shop(&["staff", f]);
    assert!(
        stdout(&o).contains("Added the target writer: response_time.p95 <= 30m: no target bounded `writer`'s emails")
    );
}

#[test]
fn the_confirming_run_is_shop_run_on_the_next_seed_with_each_figure_inside_its_interval() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "day.yaml", DAY);
    let out = dir.path().join("staffed.yaml");
    let r = staff_json(&[file.to_str().unwrap(), "--write", out.to_str().unwrap()]);
    let c = &r["confirmed"];
    assert_eq!((c["seed"].as_u64(), c["replications"].as_u64()), (Some(12), Some(40)), "the next seed: {c}");
    let checks = c["intervals"].as_array().unwrap();
    assert_eq!(checks.len(), 8, "one target in each of 8 intervals: {c}");
    let fresh = run_json(&out, &["--seed", "12"]);
    let mut counts = [0, 0, 0];
    for (k, x) in checks.iter().enumerate() {
        assert_eq!(
            (x["label"].clone(), x["target"].as_str()),
            (r["intervals"][k]["label"].clone(), Some("service_level >= 80%"))
        );
        let (figure, lo, hi) =
            (x["figure"].as_f64().unwrap(), x["ci95"][0].as_f64().unwrap(), x["ci95"][1].as_f64().unwrap());
        assert!(lo <= figure && figure <= hi && lo < hi, "{x}");
        assert_eq!(
            figure,
            fresh["by_interval"][k]["service_level"].as_f64().unwrap(),
            "shop run --seed 12 says the same"
        );
        let verdict = x["verdict"].as_str().unwrap();
        let want = if lo >= 0.8 {
            "met"
        } else if hi < 0.8 {
            "missed"
        } else {
            "within_noise"
        };
        assert_eq!(verdict, want, "{x}");
        counts[["met", "within_noise", "missed"].iter().position(|v| *v == verdict).unwrap()] += 1;
    }
    assert_eq!([&c["met"], &c["within_noise"], &c["missed"]], counts.map(|n| serde_json::json!(n)).each_ref());
    // Every format says it; --no-confirm skips it.
    let f = file.to_str().unwrap();
    assert!(stdout(&shop(&["staff", f])).contains("Confirmed on a fresh seed (seed 12, 40 replications)"));
    assert!(stdout(&shop(&["staff", f, "--format", "markdown"])).contains("### Confirmed on a fresh seed"));
    let csv = stdout(&shop(&["staff", f, "--format", "csv"]));
    assert!(csv.lines().next().unwrap().ends_with(",confirmed_verdict.service_level >= 80%"), "{csv}");
    let skipped = staff_json(&[f, "--no-confirm"]);
    assert!(skipped["confirmed"].is_null());
    assert_eq!(staff_json(&[f, "--confirm-seed", "99"])["confirmed"]["seed"], 99);
}

/// Days of unequal volume: the confirming run's interval is that of the
/// pooled figure, each day weighing by its calls — the very interval `shop
/// run` gives the same interval on the same seed (the days' own figures,
/// unweighted, gave a narrower one and a verdict of "missed" where the
/// noise could not tell).
#[test]
fn with_days_of_unequal_volume_the_confirming_interval_is_the_one_shop_run_gives() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "spread.yaml",
        "name: spread\nseed: 3\nreplications: 30\nopens: \"08:00\"\nhorizon: 8h\ninterval: 1h\nvolume_spread: 20%\n\
         callers:\n  retail: { arrivals: 100/h, patience: exp(5m) }\nqueues:\n  q: { pools: [team] }\n\
         pools:\n  team: { agents: 10, handle: exp(5m) }\nstart: q\n",
    );
    let out = dir.path().join("staffed.yaml");
    let r = staff_json(&[file.to_str().unwrap(), "--target", "service_level >= 80%", "--write", out.to_str().unwrap()]);
    let c = &r["confirmed"];
    let fresh = run_json(&out, &["--seed", &c["seed"].to_string()]);
    let worst = &fresh["worst_interval"];
    let k = worst["index"].as_u64().unwrap() as usize;
    assert_eq!(c["intervals"][k]["label"], worst["label"]);
    for (a, b) in
        c["intervals"][k]["ci95"].as_array().unwrap().iter().zip(worst["service_level_ci95"].as_array().unwrap())
    {
        assert!((a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-6, "{c} against {worst}");
    }
}

#[test]
fn strict_exits_1_exactly_when_the_confirming_run_misses_a_target() {
    // One replication: no interval, so each figure alone decides, and a staffing
    // that just meets 80% on its seed falls under it on another about half the time.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "day.yaml", DAY);
    let mut failed = 0;
    for seed in ["1", "2", "3", "4", "5"] {
        let o = shop(&[
            "staff",
            file.to_str().unwrap(),
            "--replications",
            "1",
            "--strict",
            "--confirm-seed",
            seed,
            "--format",
            "json",
        ]);
        let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let missed = r["confirmed"]["missed"].as_u64().unwrap();
        assert_eq!(o.status.code(), Some(if missed > 0 { 1 } else { 0 }), "seed {seed}: {}", stderr(&o));
        if missed > 0 {
            failed += 1;
            assert!(
                stderr(&o)
                    .contains(&format!("on a fresh seed ({seed}) the staffing found misses `service_level >= 80%`")),
                "{}",
                stderr(&o)
            );
        }
    }
    assert!(failed > 0, "8 intervals at the edge, 5 seeds: some interval falls under 80%");
}

#[test]
fn with_confidence_every_interval_clears_the_target_by_its_noise_and_that_costs_agents() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "day.yaml", DAY);
    let f = file.to_str().unwrap();
    let plain = staff_json(&[f, "--no-confirm"]);
    let sure = staff_json(&[f, "--no-confirm", "--confidence", "95%"]);
    assert_eq!((plain["confidence"].is_null(), sure["confidence"].as_f64()), (true, Some(0.95)));
    let lower = |r: &Value| -> Vec<f64> {
        r["intervals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["achieved_ci95"]["service_level"][0].as_f64().unwrap())
            .collect()
    };
    // The plain answer is minimal on the pooled figure: where it binds, the
    // figure is just over 80% and its interval reaches under it.
    assert!(lower(&plain).iter().any(|&lo| lo < 0.8), "{:?}", lower(&plain));
    assert!(lower(&sure).iter().all(|&lo| lo >= 0.8), "{:?}", lower(&sure));
    let hours = |r: &Value| r["agent_hours"]["total"].as_f64().unwrap();
    assert!(hours(&sure) > hours(&plain), "{} > {}", hours(&sure), hours(&plain));
    assert!(stdout(&shop(&["staff", f, "--confidence", "0.95"])).contains("(each with 95% confidence)"));
    for (args, message) in [
        (&["--confidence", "120%"][..], "--confidence 120%: expected a level between 0 and 100%"),
        (&["--confidence", "95%", "--replications", "1"][..], "the scenario runs 1\n  help: give --replications 20"),
        (&["--no-confirm", "--strict"][..], "cannot be used with"),
    ] {
        let mut all = vec!["staff", f];
        all.extend_from_slice(args);
        let o = shop(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn the_default_reaches_queues_whatever_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "odd.yaml",
        "name: odd names\nseed: 1\nreplications: 2\nhorizon: 1h\ninterval: 1h\n\
         callers:\n  a: { arrivals: 30/h, entry: \"x:y\" }\n  b: { arrivals: 30/h, entry: \"two  words\" }\n\
         queues:\n  \"x:y\": { pools: [p] }\n  \"two  words\": { pools: [q] }\n\
         pools:\n  p: { agents: 3, handle: exp(3m) }\n  q: { agents: 3, handle: exp(3m) }\n",
    );
    let r = staff_json(&[file.to_str().unwrap(), "--no-confirm"]);
    assert_eq!(r["targets"][0], "queue x:y: service_level >= 80%");
    assert_eq!(r["targets"][1], "queue two  words: service_level >= 80%");
}

#[test]
fn staffing_for_nine_days_in_ten_meets_the_target_on_nine_fresh_days_in_ten() {
    // One 2-hour interval a day, 15% day-to-day volume spread: the mean-day
    // plan meets 80% answered in time on about 6 days in 10, the --days-met
    // 90% plan on at least 85% of a fresh seed's days.
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("dm.yaml");
    std::fs::write(
        &design,
        "name: days met\nseed: 3\nreplications: 40\nhorizon: 2h\ninterval: 2h\nvolume_spread: 15%\nstart: q\n\
         callers:\n  c: { arrivals: 120/h, patience: exp(5m) }\nqueues:\n  q: { pools: [team] }\n\
         pools:\n  team: { agents: 10, handle: exp(4m) }\n",
    )
    .unwrap();
    let share_of_days_met = |args: &[&str], name: &str| {
        let out = dir.path().join(name);
        let o = shop(&[&["staff", design.to_str().unwrap(), "--write", out.to_str().unwrap()], args].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        let o = shop(&["run", out.to_str().unwrap(), "--seed", "99", "--replications", "100", "--format", "json"]);
        let r: Value = serde_json::from_slice(&o.stdout).unwrap();
        let days = r["by_day"].as_array().expect("by_day with a volume spread");
        days.iter().filter(|d| d["service_level"].as_f64().is_some_and(|s| s >= 0.8)).count() as f64 / days.len() as f64
    };
    let mean_day = share_of_days_met(&[], "mean.yaml");
    let nine_in_ten = share_of_days_met(&["--days-met", "90%"], "dm90.yaml");
    assert!(nine_in_ten >= 0.85, "--days-met 90%: {nine_in_ten}");
    assert!(mean_day < nine_in_ten, "mean-day plan {mean_day}, --days-met {nine_in_ten}");
    // The report says what the extra agents buy: the mean-day plan beside it,
    // both counted on the confirming seed's days.
    let r = staff_json(&[design.to_str().unwrap(), "--days-met", "90%"]);
    let m = &r["mean_day_plan"];
    let hours = |v: &Value| v["agent_hours"]["total"].as_f64().unwrap();
    assert!(hours(m) < hours(&r), "{} < {}", hours(m), hours(&r));
    let share = |v: &Value| v["days_met"]["mean_share"].as_f64().unwrap();
    assert!(share(m) < share(&r["confirmed"]), "{m} vs {}", r["confirmed"]["days_met"]);
    assert!(share(&r["confirmed"]) >= 0.85, "{}", r["confirmed"]["days_met"]);
    let text = stdout(&shop(&["staff", design.to_str().unwrap(), "--days-met", "90%"]));
    assert!(text.contains("Against the mean-day plan"), "{text}");
    assert!(staff_json(&[design.to_str().unwrap()]).get("mean_day_plan").is_none());
    // Too few replications for one day in ten to miss: refused.
    let o = shop(&["staff", design.to_str().unwrap(), "--days-met", "90%", "--replications", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no day may miss"), "{}", stderr(&o));
    assert!(stderr(&o).contains("give --replications 10 (or more)"), "{}", stderr(&o));
    // Exactly enough: 9 of 10 days is 90%, though 10 × (1 − 0.9) is 0.9999… in floating point.
    for (share, reps) in [("90%", "10"), ("80%", "5")] {
        let o = shop(&["staff", design.to_str().unwrap(), "--days-met", share, "--replications", reps, "--no-confirm"]);
        assert!(o.status.success(), "--days-met {share} on {reps}: {}", stderr(&o));
    }
}
