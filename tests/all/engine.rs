//! The engine's semantics and invariants, checked through an observer that
//! sees every step of every call.

use crate::common::{run_checked, scenario};
use shop::scenario::PoolId;
use shop::sim::Step;
use shop::sim::engine::simulate;
use shop::stats::collect::RepStats;
use shop::time::{SimDuration, SimTime};

const CONTRACT_EXAMPLE: &str = include_str!("../fixtures/contract_example.yaml");

#[test]
fn every_call_ends_exactly_once_and_no_agent_takes_two_calls_in_the_contract_example() {
    let sc = scenario(CONTRACT_EXAMPLE);
    for rep in 0..4 {
        let (stats, c) = run_checked(&sc, rep);
        assert!(stats.by_caller[0].calls > 1000);
        assert!(c.answers.iter().all(|a| a.4 <= SimDuration::from_secs_f64(24.0 * 3600.0)));
    }
}

#[test]
fn same_seed_same_numbers_and_replications_differ() {
    let sc = scenario(CONTRACT_EXAMPLE);
    let a = simulate(&sc, 0, &mut shop::sim::Silent);
    let b = simulate(&sc, 0, &mut shop::sim::Silent);
    let c = simulate(&sc, 1, &mut shop::sim::Silent);
    assert_eq!(a.by_caller[0].calls, b.by_caller[0].calls);
    assert_eq!(a.by_caller[0].wait.sum, b.by_caller[0].wait.sum);
    assert_ne!(a.by_caller[0].wait.sum, c.by_caller[0].wait.sum);
}

#[test]
fn callers_of_equal_priority_are_answered_first_come_first_served() {
    let sc = scenario(
        "horizon: 20h\nstart: q\ncallers:\n  c: { arrivals: 2/m }\nqueues:\n  q: { pools: [team] }\npools:\n  team: { agents: 3, handle: exp(80s) }\n",
    );
    let (_, c) = run_checked(&sc, 0);
    let joined = &c.joined[&0];
    let answered = &c.answered[&0];
    assert!(answered.len() > 2000);
    assert_eq!(&joined[..answered.len()], &answered[..], "answer order differs from arrival order");
}

#[test]
fn a_caller_with_priority_is_answered_first() {
    let sc = scenario(
        "horizon: 40h\nstart: q\ncallers:\n  low: { arrivals: 1/m }\n  vip: { arrivals: 0.4/m, priority: 1 }\nqueues:\n  q: { pools: [team] }\npools:\n  team: { agents: 3, handle: exp(2m) }\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    let low = stats.by_caller[0].wait.mean().unwrap();
    let vip = stats.by_caller[1].wait.mean().unwrap();
    assert!(vip * 3.0 < low, "vip waited {vip:.1}s on average, low priority {low:.1}s");
}

#[test]
fn a_full_queue_gives_a_busy_signal_and_never_holds_more_than_its_capacity() {
    let sc = scenario(
        "horizon: 10h\nstart: q\ncallers:\n  c: { arrivals: 3/m }\nqueues:\n  q: { pools: [team], capacity: 4 }\npools:\n  team: { agents: 2, handle: exp(1m) }\n",
    );
    let (stats, c) = run_checked(&sc, 0);
    assert!(stats.by_caller[0].blocked > 100);
    assert!(c.max_ahead[&0] < 4, "a caller joined behind {} others", c.max_ahead[&0]);
    assert_eq!(stats.by_queue[0].blocked, stats.by_caller[0].blocked);
}

#[test]
fn an_overflow_pool_answers_only_after_its_delay() {
    let sc = scenario(
        "horizon: 20h\nstart: q\ncallers:\n  c: { arrivals: 3/m }\nqueues:\n  q: { pools: [local, { pool: remote, after: 45s }] }\npools:\n  local: { agents: 2, handle: exp(2m) }\n  remote: { agents: 5, handle: exp(2m) }\n",
    );
    let (stats, c) = run_checked(&sc, 0);
    let remote: Vec<_> = c.answers.iter().filter(|a| a.3 == PoolId(1)).collect();
    assert!(remote.len() > 500, "the overflow pool answered {} calls", remote.len());
    assert!(remote.iter().all(|a| a.4 >= SimDuration::from_secs_f64(45.0)), "overflow answered before 45 s");
    let local_quick = c.answers.iter().filter(|a| a.3 == PoolId(0) && a.4 < SimDuration::from_secs_f64(45.0)).count();
    assert!(local_quick > 500, "the first pool answers before the delay");
    assert!(stats.by_pool[1].calls_handled as usize == remote.len());
}

#[test]
fn no_one_answers_before_the_first_shift_and_arriving_agents_take_waiting_calls() {
    let sc = scenario(
        "horizon: 6h\nstart: q\ncallers:\n  c: { arrivals: 1/m }\nqueues:\n  q: { pools: [team] }\npools:\n  team:\n    agents: [{ from: 1h, agents: 4 }, { from: 3h, agents: 1 }, { from: 4h, agents: 4 }]\n    handle: exp(3m)\n",
    );
    let (_, c) = run_checked(&sc, 0);
    let first = c.answers.iter().map(|a| a.0).min().unwrap();
    assert_eq!(first, SimTime(3600 * 1_000_000), "the first agents arrive at 1h and answer at once");
    // Between 3h and 4h only one agent works: at most one answer at a time after the
    // agents on the ended shift finish their calls.
    let answers_in_lull = c
        .answers
        .iter()
        .filter(|a| a.0 > SimTime((3.3 * 3600.0 * 1e6) as u64) && a.0 < SimTime(4 * 3600 * 1_000_000))
        .count();
    assert!(answers_in_lull < 40, "{answers_in_lull} answers with one agent on duty");
}

#[test]
fn a_menu_loop_ends_by_max_menu_steps() {
    let sc = scenario(
        "max_menu_steps: 7\ncallers:\n  c: { arrivals: 1/m }\nmenu:\n  a: { duration: 5s, then: b }\n  b: { duration: 5s, then: a }\n",
    );
    let (stats, c) = run_checked(&sc, 0);
    let s = &stats.by_caller[0];
    assert_eq!(s.abandoned_menu, s.calls);
    assert_eq!(s.menu_time.max, SimDuration::from_secs_f64(35.0));
    assert!(c.steps.iter().any(|s| s.2 == Step::WanderedOff));
}

#[test]
fn a_transfer_loop_ends_unresolved_by_max_transfers() {
    let sc = scenario(
        "max_transfers: 2\nstart: a\ncallers:\n  c: { arrivals: 1/m, reasons: { x: 1 } }\nqueues:\n  a: { pools: [pa] }\n  b: { pools: [pb] }\npools:\n  pa: { agents: 20, handle: 1m, resolves: { x: 0 }, transfer: { x: b } }\n  pb: { agents: 20, handle: 1m, resolves: { x: 0 }, transfer: { x: a } }\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    let s = &stats.by_caller[0];
    assert_eq!(s.unresolved, s.calls);
    assert_eq!(s.transfers, 2 * s.calls);
    assert_eq!(stats.by_pool[0].calls_handled + stats.by_pool[1].calls_handled, 3 * s.calls);
}

#[test]
fn callers_redial_until_the_limit_and_the_journey_spans_the_calls() {
    let sc = scenario(
        "start: q\ncallers:\n  c: { arrivals: 1/m, redial: { chance: 1, after: 5m, max: 3 } }\nqueues:\n  q: { pools: [team], capacity: 0 }\npools:\n  team: { agents: 0, handle: 1m }\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    let s = &stats.by_caller[0];
    assert_eq!(s.calls, 4 * s.callers, "one call and three redials per caller");
    assert_eq!(s.blocked, s.calls);
    assert_eq!(s.first_contact_resolved, 0);
}

#[test]
fn a_nodes_own_accuracy_sends_the_stated_share_of_callers_to_the_wrong_option() {
    let sc = scenario(
        "callers:\n  c: { arrivals: 5/m, reasons: { a: 1 }, accuracy: 0.8 }\nmenu:\n  main:\n    duration: 10s\n    accuracy: 0.8\n    options:\n      \"1\": { for: [a], to: qa }\n      \"2\": { to: qb }\n      \"3\": { to: qc }\nqueues:\n  qa: { pools: [p] }\n  qb: { pools: [p] }\n  qc: { pools: [p] }\npools:\n  p: { agents: 200, handle: 1m }\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    let n = stats.by_queue.iter().map(|q| q.calls).sum::<u64>() as f64;
    let right = stats.by_queue[0].calls as f64 / n;
    let b = stats.by_queue[1].calls as f64 / n;
    assert!((right - 0.8).abs() < 0.02, "{right}");
    assert!((b - 0.1).abs() < 0.015, "misdials split evenly: {b}");
}

#[test]
fn a_reason_no_option_serves_takes_the_operator_option() {
    let sc = scenario(
        "callers:\n  c: { arrivals: 2/m, reasons: { a: 0.5, other: 0.5 } }\nmenu:\n  main:\n    duration: 10s\n    options:\n      \"1\": { for: [a], to: qa }\n      \"0\": { label: Operator, to: op }\nqueues:\n  qa: { pools: [p] }\n  op: { pools: [p] }\npools:\n  p: { agents: 200, handle: 1m }\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    let share = stats.by_queue[1].calls as f64 / stats.by_caller[0].calls as f64;
    assert!((share - 0.5).abs() < 0.03, "{share}");
}

#[test]
fn self_service_resolves_its_share_and_sends_the_rest_on() {
    let sc = scenario(
        "callers:\n  c: { arrivals: 5/m, reasons: { a: 1 } }\nmenu:\n  help: { duration: 90s, resolves: { a: 0.3 }, then: q }\nqueues:\n  q: { pools: [p] }\npools:\n  p: { agents: 200, handle: 1m, resolves: { a: 0 } }\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    let s = &stats.by_caller[0];
    let share = s.resolved as f64 / s.calls as f64;
    assert!((share - 0.3).abs() < 0.02, "{share}");
    assert_eq!(s.resolved + s.unresolved, s.calls);
    assert_eq!(s.menu_time.max, SimDuration::from_secs_f64(90.0));
}

#[test]
fn patience_counts_hold_time_across_queue_legs() {
    // Leg 1: an agent answers at once, talks 10 s, transfers to a queue nobody
    // staffs. Patience 100 s in total, so the caller hangs up 100 s into leg 2.
    let sc = scenario(
        "start: a\ncallers:\n  c: { arrivals: 1/m, patience: 100s, reasons: { x: 1 } }\nqueues:\n  a: { pools: [pa] }\n  b: { pools: [pb] }\npools:\n  pa: { agents: 50, handle: 10s, resolves: { x: 0 }, transfer: { x: b } }\n  pb: { agents: 0, handle: 1m }\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    let s = &stats.by_caller[0];
    assert_eq!(s.abandoned_queue, s.calls);
    assert_eq!(s.wait.max, SimDuration::from_secs_f64(100.0));
    // And a caller with hold in leg 1 has less left for leg 2: total hold never exceeds patience.
    let sc = scenario(
        "start: a\ncallers:\n  c: { arrivals: 3/m, patience: 100s, reasons: { x: 1 } }\nqueues:\n  a: { pools: [pa] }\n  b: { pools: [pb] }\npools:\n  pa: { agents: 3, handle: 50s, resolves: { x: 0 }, transfer: { x: b } }\n  pb: { agents: 0, handle: 1m }\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    let s = &stats.by_caller[0];
    assert_eq!(s.wait.max, SimDuration::from_secs_f64(100.0));
    assert!(s.wait.mean().unwrap() > 99.0);
}

#[test]
fn a_warm_transfer_keeps_the_first_agent_busy_until_the_caller_is_answered() {
    let base = "start: a\ncallers:\n  c: { arrivals: 1/m, reasons: { x: 1 } }\nqueues:\n  a: { pools: [pa] }\n  b: { pools: [pb] }\npools:\n  pb: { agents: 3, handle: 2m }\n";
    let cold = scenario(&format!(
        "{base}  pa: {{ agents: 10, handle: 1m, resolves: {{ x: 0 }}, transfer: {{ x: b }}, transfer_mode: cold }}\n"
    ));
    let warm = scenario(&format!(
        "{base}  pa: {{ agents: 10, handle: 1m, resolves: {{ x: 0 }}, transfer: {{ x: b }}, transfer_mode: warm }}\n"
    ));
    let (c, _) = run_checked(&cold, 0);
    let (w, _) = run_checked(&warm, 0);
    let busy = |s: &RepStats| s.by_pool[1].busy as f64 / s.by_pool[1].staffed as f64;
    // Same callers, same draws: the second queue sees identical waits,
    // and the first pool is busier by exactly the time its agents held on.
    assert_eq!(c.by_queue[1].wait.sum, w.by_queue[1].wait.sum);
    let extra = (w.by_pool[1].busy - c.by_pool[1].busy) as f64;
    assert!((extra - w.by_queue[1].wait.sum as f64).abs() / extra < 0.01, "warm agents hold for the second leg's wait");
    assert!(busy(&w) > busy(&c));
}

#[test]
fn a_pool_no_queue_uses_changes_nothing() {
    let a = scenario(CONTRACT_EXAMPLE);
    let b = scenario(&format!("{CONTRACT_EXAMPLE}  spare_team: {{ agents: 4, handle: exp(5m) }}\n"));
    let ra = simulate(&a, 0, &mut shop::sim::Silent);
    let rb = simulate(&b, 0, &mut shop::sim::Silent);
    for (x, y) in ra.by_caller.iter().zip(&rb.by_caller) {
        assert_eq!(x.calls, y.calls);
        assert_eq!(x.wait.sum, y.wait.sum);
        assert_eq!(x.time_to_resolution.sum, y.time_to_resolution.sum);
    }
}

#[test]
fn callers_stranded_when_no_agent_will_come_are_counted_when_the_day_closes() {
    let sc = scenario(
        "horizon: 2h\nstart: q\ncallers:\n  c: { arrivals: 1/m }\nqueues:\n  q: { pools: [team] }\npools:\n  team: { agents: [{ from: 0h, agents: 1 }, { from: 1h, agents: 0 }], handle: 5m }\n",
    );
    let (stats, _) = run_checked(&sc, 0);
    let s = &stats.by_caller[0];
    assert!(s.abandoned_queue > 50, "{}", s.abandoned_queue);
    assert_eq!(stats.by_queue[0].abandoned, s.abandoned_queue);
    assert_eq!(stats.by_queue[0].calls, stats.by_queue[0].answered + stats.by_queue[0].abandoned);
}

#[test]
fn a_lone_agent_does_not_hold_the_line_for_a_queue_only_they_answer() {
    let sc = scenario(
        "start: q\ncallers:\n  c: { arrivals: 10/h, reasons: { x: 1 } }\nqueues:\n  q: { pools: [solo] }\n  back: { pools: [solo] }\npools:\n  solo: { agents: 1, handle: 2m, resolves: { x: 0 }, transfer: { x: back }, transfer_mode: warm }\n",
    );
    let (stats, c) = run_checked(&sc, 0);
    assert!(c.steps.iter().any(|s| matches!(s.2, Step::Transferred { warm: false, .. })));
    // The day does not stall: calls keep being answered through the day.
    let late = c.answers.iter().filter(|a| a.0 > SimTime(6 * 3600 * 1_000_000)).count();
    assert!(late > 5, "{late} answers after 6h");
    assert!(stats.by_caller[0].answered > 30);
}

#[test]
fn a_call_received_by_warm_transfer_is_talked_for_warm_handle() {
    let base = "start: a\ncallers:\n  c: { arrivals: 1/m, reasons: { x: 1 } }\nqueues:\n  a: { pools: [pa] }\n  b: { pools: [pb] }\npools:\n  pb: { agents: 30, handle: 2m, warm_handle: 30s }\n";
    let talks = |mode: &str| {
        let sc = scenario(&format!(
            "{base}  pa: {{ agents: 30, handle: 1m, resolves: {{ x: 0 }}, transfer: {{ x: b }}, transfer_mode: {mode} }}\n"
        ));
        let (_, c) = run_checked(&sc, 0);
        // pb is listed first: PoolId(0).
        let warm: Vec<bool> = c
            .steps
            .iter()
            .filter_map(|s| {
                if let Step::Answered { pool, warm, .. } = s.2 { (pool == PoolId(0)).then_some(warm) } else { None }
            })
            .collect();
        let talks: Vec<SimDuration> = c
            .steps
            .iter()
            .filter_map(|s| {
                if let Step::Talked { pool, talk, .. } = s.2 { (pool == PoolId(0)).then_some(talk) } else { None }
            })
            .collect();
        assert!(talks.len() > 100);
        (warm, talks)
    };
    let (warm, t) = talks("warm");
    assert!(warm.iter().all(|w| *w), "every call reaching b came by warm transfer");
    assert!(t.iter().all(|d| *d == SimDuration::from_secs_f64(30.0)), "warm_handle is the talk time");
    let (warm, t) = talks("cold");
    assert!(warm.iter().all(|w| !*w));
    assert!(t.iter().all(|d| *d == SimDuration::from_secs_f64(120.0)), "a cold transfer is talked for handle");
}

#[test]
fn menu_patience_ends_calls_in_the_menu_and_leaves_every_other_draw_alone() {
    let base = "callers:\n  c: { arrivals: 2/m, patience: exp(1m), reasons: { a: 1 }, MP }\nmenu:\n  main: { duration: exp(40s), then: q }\nqueues:\n  q: { pools: [team] }\npools:\n  team: { agents: 2, handle: exp(1m) }\n";
    let never = scenario(&base.replace("MP", "menu_patience: never"));
    let short = scenario(&base.replace("MP", "menu_patience: 30s"));
    let (n, _) = run_checked(&never, 0);
    let (s, c) = run_checked(&short, 0);
    let (n, s) = (&n.by_caller[0], &s.by_caller[0]);
    assert_eq!(n.abandoned_menu, 0);
    // exp(40 s) prompts: e^(-30/40) = 47% of callers are still listening at 30 s.
    let share = s.abandoned_menu as f64 / s.calls as f64;
    assert!((share - 0.472).abs() < 0.04, "{share}");
    assert_eq!(s.menu_time.max, SimDuration::from_secs_f64(30.0));
    assert!(c.steps.iter().any(|x| matches!(x.2, Step::HungUpInMenu { .. })));
    // Same arrivals: menu patience has its own stream.
    assert_eq!(n.calls, s.calls);
}

/// The bundled blended teams (voice, chat three at a time, email put down for
/// calls, callbacks, five chained days) keep every invariant the checker
/// knows: each contact ends exactly once, no agent over capacity, time never
/// goes back, the calls of the days add up to the run's and to their endings.
#[test]
fn the_bundled_blended_teams_keep_the_invariants_on_every_step() {
    for file in ["blended_team.yaml", "blended_no_callbacks.yaml"] {
        let path = format!("{}/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
        let sc = scenario(&std::fs::read_to_string(&path).unwrap());
        for rep in 0..2 {
            let (stats, c) = run_checked(&sc, rep);
            assert_eq!(c.dialed_by_day.len() as u32, sc.days, "{file}: calls on every day");
            assert!(c.dialed_by_day.iter().all(|n| *n > 500), "{file}: {:?}", c.dialed_by_day);
            assert_eq!(c.max_chats.get(&0).copied(), Some(3), "{file}: agents hold up to three chats, never more");
            assert!(c.interrupted > 0, "{file}: some email was put down for a call");
            let dials = c.steps.iter().filter(|s| matches!(s.2, Step::CallbackDial { .. })).count();
            assert_eq!(dials > 0, file == "blended_team.yaml", "{file}: callbacks dialed only where offered");
            for p in &stats.by_pool {
                assert!(p.busy <= p.staffed);
            }
        }
    }
}

#[test]
fn fractional_shifts_and_off_phone_spells_keep_every_invariant() {
    // Shifts with fractions (the extra agent comes and goes every interval),
    // off-phone spells, patience, a transfer and a chat pool: every call ends
    // once, no agent takes two calls, nobody is busy beyond those on duty.
    let sc = scenario(
        "horizon: 6h\ninterval: 20m\nstart: q\n\
         callers:\n  c: { arrivals: 3/m, patience: exp(2m), reasons: { a: 0.7, b: 0.3 } }\n  web: { arrivals: 1/m, channel: chat, entry: chats }\n\
         queues:\n  q: { pools: [front] }\n  back: { pools: [back] }\n  chats: { pools: [front] }\n\
         pools:\n  front: { agents: [{ from: 0h, agents: 4.5 }, { from: 1h10m, agents: 7.3 }, { from: 5h, agents: 2.8 }], handle: exp(2m), \
         availability: 0.7, off_phone_spell: 2m, resolves: { a: 1, b: 0 }, transfer: { b: back }, concurrency: { chat: 2 } }\n  \
         back: { agents: 2.5, handle: exp(3m), availability: 0.9 }\n",
    );
    for rep in 0..3 {
        let (stats, _) = run_checked(&sc, rep);
        assert!(stats.by_caller[0].calls > 700);
    }
}
