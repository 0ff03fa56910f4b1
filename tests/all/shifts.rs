//! `shifts:` (agents' shifts with breaks): they add up to the same agents on
//! duty as `agents:` steps, a break takes an agent off the phones for its full
//! length once the call in hand is done, and bad rosters are refused.

use crate::cmd::{shop, stderr};
use crate::common::{run_checked, scenario};
use shop::time::{SimDuration, SimTime};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write the scenario");
    path.to_string_lossy().into_owned()
}

const HEAD: &str = "name: day\nhorizon: 12h\nseed: 7\nreplications: 6\nstart: q\n\
callers:\n  c: { arrivals: 60/h }\nqueues:\n  q: { pools: [team] }\npools:\n  team:\n    handle: exp(5m)\n";

#[test]
fn shifts_without_breaks_give_the_figures_of_the_agents_steps_they_add_up_to() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let steps = format!(
        "{HEAD}    agents: [{{ from: 0h, agents: 4 }}, {{ from: 2h, agents: 7 }}, {{ from: 4h, agents: 9 }}]\n"
    );
    let shifts = format!(
        "{HEAD}    shifts:\n      - {{ start: 0h, length: 12h, count: 4 }}\n      - {{ start: 2h, length: 10h, count: 3 }}\n      - {{ start: 4h, length: 8h, count: 2, breaks: [] }}\n"
    );
    let a = shop(&["run", &write(&dir, "steps.yaml", &steps), "--format", "json"]);
    let b = shop(&["run", &write(&dir, "shifts.yaml", &shifts), "--format", "json"]);
    assert!(a.status.success() && b.status.success(), "{}{}", stderr(&a), stderr(&b));
    assert_eq!(String::from_utf8_lossy(&a.stdout), String::from_utf8_lossy(&b.stdout));
}

#[test]
fn a_break_starts_when_the_call_in_hand_ends_and_lasts_its_full_length() {
    // One agent, 7-minute calls, a queue that never empties: the break due at
    // 1h starts when the call in hand ends and the next call is answered
    // exactly 30m later.
    let sc = scenario(
        "horizon: 4h\nstart: q\ncallers:\n  c: { arrivals: 30/h }\nqueues:\n  q: { pools: [team] }\n\
         pools:\n  team:\n    handle: 7m\n    shifts: [{ start: 0h, length: 4h, count: 1, breaks: [{ at: 1h, length: 30m }] }]\n",
    );
    let m = |x: f64| SimDuration::from_secs_f64(x * 60.0);
    let due = SimTime::ZERO + m(60.0);
    for rep in 0..4 {
        let (_, c) = run_checked(&sc, rep);
        let times: Vec<SimTime> = c.answers.iter().map(|a| a.0).collect();
        let before = times.iter().rposition(|t| *t <= due).expect("a call answered before the break");
        let free = (times[before] + m(7.0)).max(due);
        assert_eq!(times[before + 1], free + m(30.0), "replication {rep}: answers {times:?}");
    }
}

#[test]
fn two_breaks_due_during_one_call_are_both_taken_one_after_the_other() {
    // One agent, 2-hour calls: breaks due at 1h and 1h30m both fall in the
    // first call; when it ends, the agent takes 15m then 20m, and answers the
    // next caller 35m after the call ended.
    let sc = scenario(
        "horizon: 6h\nstart: q\ncallers:\n  c: { arrivals: 30/h }\nqueues:\n  q: { pools: [team] }\n\
         pools:\n  team:\n    handle: 2h\n    shifts: [{ start: 0h, length: 6h, count: 1, breaks: [{ at: 1h, length: 15m }, { at: 1h30m, length: 20m }] }]\n",
    );
    let m = |x: f64| SimDuration::from_secs_f64(x * 60.0);
    for rep in 0..4 {
        let (_, c) = run_checked(&sc, rep);
        let times: Vec<SimTime> = c.answers.iter().map(|a| a.0).collect();
        assert!(times[0] < SimTime::ZERO + m(60.0), "replication {rep}: the first call is in hand at 1h: {times:?}");
        assert_eq!(times[1], times[0] + m(120.0) + m(35.0), "replication {rep}: answers {times:?}");
    }
}

#[test]
fn an_agent_who_owes_a_break_is_not_taken_off_an_email_for_a_call() {
    // One agent working 40-minute emails that 2-minute calls may interrupt; a break due
    // at 1h while an email is in hand. A call arriving then waits for the email
    // and the whole break: the agent is not taken off the email to answer it
    // (found by the property tests: the engine did, in the break's window).
    let sc = scenario(
        "horizon: 3h\ncallers:\n  c: { arrivals: 6/h, entry: phones, reasons: { talk: 1 } }\n  \
         w: { channel: email, arrivals: 20/h, entry: inbox, reasons: { mail: 1 } }\n\
         queues:\n  phones: { pools: [team] }\n  inbox: { pools: [team] }\n\
         pools:\n  team:\n    handle: { talk: 2m, mail: 40m }\n    email_interruptible: true\n    channel_priority: [voice, email]\n    shifts: [{ start: 0h, length: 3h, count: 1, breaks: [{ at: 1h, length: 30m }] }]\n",
    );
    let m = |x: f64| SimTime::ZERO + SimDuration::from_secs_f64(x * 60.0);
    let mut interrupted = 0;
    for rep in 0..20 {
        // The checker refuses new work in a break's window and outside the shift.
        let (_, c) = run_checked(&sc, rep);
        interrupted += c.interrupted;
        let voice = |a: &&(SimTime, crate::common::CallKey, _, _, _)| a.1.0 == 0;
        let in_break = c.answers.iter().filter(voice).filter(|a| m(60.0) <= a.0 && a.0 < m(90.0)).count();
        assert_eq!(in_break, 0, "replication {rep}: a call answered in the break's window");
    }
    assert!(interrupted > 0, "calls do take the agent off emails outside the break");
}

#[test]
fn on_duty_agents_leave_out_agents_on_a_break() {
    let sc = scenario(
        "horizon: 4h\nstart: q\ncallers:\n  c: { arrivals: 2/h }\nqueues:\n  q: { pools: [team] }\n\
         pools:\n  team:\n    handle: 1m\n    shifts: [{ start: 0h, length: 4h, count: 2, breaks: [{ at: 1h, length: 1h }] }]\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    // Two agents for 3h of the 4h: 6 agent-hours staffed.
    let staffed = stats.by_pool[0].staffed as f64 / 1e6 / 3600.0;
    assert!((staffed - 6.0).abs() < 0.05, "staffed {staffed} agent-hours");
}

#[test]
fn shifts_and_agents_together_is_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let both = format!("{HEAD}    agents: 4\n    shifts: [{{ start: 0h, length: 8h, count: 4 }}]\n");
    let o = shop(&["run", &write(&dir, "both.yaml", &both)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("`shifts` and `agents` together"), "{err}");
    assert!(err.contains("both.yaml:"), "names file and line: {err}");
}

#[test]
fn bad_rosters_are_refused_with_the_key_and_the_fix() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let cases = [
        ("{ start: 6h, length: 8h, count: 2 }", "ends after the day's horizon"),
        ("{ start: 0h, length: 4h, count: 2, breaks: [{ at: 3h50m, length: 15m }] }", "outside its shift"),
        (
            "{ start: 0h, length: 8h, count: 2, breaks: [{ at: 2h, length: 30m }, { at: 2h15m, length: 15m }] }",
            "overlaps the one before it",
        ),
        ("{ start: 0h, length: 8h, count: 0 }", "1 agent or more"),
        ("{ start: 0h, length: 8h, count: -3 }", "1 agent or more"),
        ("{ start: \"07:00\", length: 8h, count: 2 }", "no `opens`"),
    ];
    for (i, (shift, says)) in cases.iter().enumerate() {
        let text = format!("{HEAD}    shifts: [{shift}]\n");
        let o = shop(&["validate", &write(&dir, &format!("bad{i}.yaml"), &text)]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{shift}: {err}");
        assert!(err.contains(says) && err.contains("shifts"), "{shift}: {err}");
    }
}

#[test]
fn a_clock_start_counts_from_opens() {
    let text = "opens: \"07:00\"\nhorizon: 12h\nstart: q\ncallers:\n  c: { arrivals: 10/h }\nqueues:\n  q: { pools: [team] }\n\
                pools:\n  team:\n    handle: 3m\n    shifts: [{ start: \"09:00\", length: 8h, count: 3 }]\n";
    let sc = scenario(text);
    let h = |x: f64| SimTime::ZERO + SimDuration::from_secs_f64(x * 3600.0);
    assert_eq!(sc.pools[0].agents_at(h(1.9)), 0);
    assert_eq!(sc.pools[0].agents_at(h(2.0)), 3);
    assert_eq!(sc.pools[0].agents_at(h(10.0)), 0);
}

#[test]
fn breaks_are_paid_though_not_on_duty() {
    // Two agents on 4h shifts with a 1h break each: 6 agent-hours on duty, 8 paid.
    let dir = tempfile::tempdir().expect("a temp dir");
    let text = "name: paid\nhorizon: 4h\nreplications: 2\nstart: q\ncallers:\n  c: { arrivals: 2/h }\n\
                queues:\n  q: { pools: [team] }\npools:\n  team:\n    handle: 1m\n    cost_per_hour: 10\n\
                \x20   shifts: [{ start: 0h, length: 4h, count: 2, breaks: [{ at: 1h, length: 1h }] }]\n";
    let o = shop(&["run", &write(&dir, "paid.yaml", text), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let team = &r["cost"]["by_pool"]["team"];
    let (on_duty, paid) = (team["agent_hours"].as_f64().unwrap(), team["paid_hours"].as_f64().unwrap());
    assert!((on_duty - 6.0).abs() < 0.05 && (paid - 8.0).abs() < 0.05, "{team}");
    assert!((team["cost_per_day"].as_f64().unwrap() - 80.0).abs() < 0.5, "{team}");
}

#[test]
fn a_shift_to_the_horizon_validates_without_a_warning_and_a_late_agents_step_still_warns() {
    let dir = tempfile::tempdir().expect("a temp dir");
    // What `shop schedule --write` writes: shifts, the last ending at the horizon.
    let text = format!(
        "{HEAD}    shifts:\n      - {{ start: 0h, length: 8h, count: 7 }}\n      - {{ start: 4h, length: 8h, count: 7 }}\n"
    );
    let o = shop(&["validate", &write(&dir, "rostered.yaml", &text)]);
    let all = format!("{}{}", crate::cmd::stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{all}");
    assert!(!all.contains("at or after the horizon") && !all.contains("agents.1.from"), "{all}");
    // An `agents:` step the user wrote at the horizon never applies: warned as before.
    let steps = format!("{HEAD}    agents: [{{ from: 0h, agents: 3 }}, {{ from: 12h, agents: 2 }}]\n");
    let o = shop(&["validate", &write(&dir, "steps.yaml", &steps)]);
    let all = format!("{}{}", crate::cmd::stdout(&o), stderr(&o));
    assert!(all.contains("pools.team.agents.1.from") && all.contains("at or after the horizon"), "{all}");
}
