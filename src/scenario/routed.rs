//! Which reasons the design sends to each queue, so that a pool without
//! `resolves` solves what is routed to it and transfers a misrouted caller.
//!
//! A reason is *routed* to a queue when a caller with it gets there without a
//! wrong key: through the options listing it (`for`), the operator option
//! when none lists it, any option where none lists it and there is no
//! operator (no key is wrong then), `then`, `no_input` when the caller has no
//! key to press, a caller type's `entry` straight to the queue, or a pool's
//! `transfer` for that reason. The queue a misrouted caller is sent on to is
//! the one their intended path reaches (`paths::intended`: the first option
//! listing the reason, at every menu, from the caller's entry).

use std::collections::HashSet;

use super::model::{CallerTypeId, Choice, QueueId, ReasonId, Scenario, Target};
use super::paths::{PathEnd, intended, reasons_of};

/// By queue, then reason: whether the design routes the reason there.
pub fn routed_to_queues(sc: &Scenario) -> Vec<Vec<bool>> {
    let mut routed = vec![vec![false; sc.reasons.len()]; sc.queues.len()];
    for ci in 0..sc.callers.len() {
        let c = CallerTypeId(ci as u16);
        for r in reasons_of(sc, c) {
            for q in right_queues(sc, sc.callers[ci].entry, r) {
                routed[q.index()][r.index()] = true;
            }
        }
    }
    for p in &sc.pools {
        for (ri, to) in p.transfer.iter().enumerate() {
            if let Some(q) = to {
                routed[q.index()][ri] = true;
            }
        }
    }
    routed
}

/// By pool, then reason: whether the reason is routed to a queue the pool answers.
pub fn routed_to_pools(sc: &Scenario) -> Vec<Vec<bool>> {
    let by_queue = routed_to_queues(sc);
    let mut routed = vec![vec![false; sc.reasons.len()]; sc.pools.len()];
    for (q, queue) in sc.queues.iter().enumerate() {
        for (p, _) in &queue.pools {
            for (ri, yes) in by_queue[q].iter().enumerate() {
                routed[p.index()][ri] |= *yes;
            }
        }
    }
    routed
}

/// Queues a caller with reason `r` reaches from `from` pressing no wrong key.
pub fn right_queues(sc: &Scenario, from: Target, r: ReasonId) -> Vec<QueueId> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut todo = vec![from];
    while let Some(t) = todo.pop() {
        let n = match t {
            Target::Queue(q) => {
                if !out.contains(&q) {
                    out.push(q);
                }
                continue;
            }
            Target::Node(n) => n,
        };
        if !seen.insert(n) {
            continue;
        }
        let node = &sc.nodes[n.index()];
        if node.options.is_empty() {
            todo.extend(node.then);
            continue;
        }
        match &node.choices[r.index()] {
            Choice::Meant { meant, .. } => todo.extend(meant.iter().map(|o| node.options[*o as usize].to)),
            Choice::Operator(o) => todo.push(node.options[*o as usize].to),
            Choice::Any => todo.extend(node.options.iter().map(|o| o.to)),
            Choice::NoKey => todo.extend(node.no_input),
        }
    }
    out.sort_unstable();
    out
}

/// By caller type, then reason: the queue a misrouted caller is sent on to
/// (where their intended path ends), if it ends at a queue.
pub fn meant_queues(sc: &Scenario) -> Vec<Vec<Option<QueueId>>> {
    (0..sc.callers.len())
        .map(|ci| {
            (0..sc.reasons.len())
                .map(|ri| match intended(sc, CallerTypeId(ci as u16), ReasonId(ri as u16)).end {
                    PathEnd::Queue(q) => Some(q),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// Fills in what a pool without `resolves` solves (the reasons routed to its
/// queues, always; the others never: `misroute`) and each caller type's
/// `meant_queue`. Pools with `resolves` keep their figures and never misroute.
pub fn apply(sc: &mut Scenario) {
    let routed = routed_to_pools(sc);
    let meant = meant_queues(sc);
    for (p, pool) in sc.pools.iter_mut().enumerate() {
        if pool.resolves_given {
            pool.misroute = vec![false; routed[p].len()];
            continue;
        }
        pool.resolves = routed[p].iter().map(|y| if *y { 1.0 } else { 0.0 }).collect();
        pool.misroute = routed[p].iter().map(|y| !y).collect();
    }
    for (c, ct) in sc.callers.iter_mut().enumerate() {
        ct.meant_queue = meant[c].clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scenario::test_scenario as load;

    const MENU: &str = r#"
callers:
  c: { arrivals: 10/h, reasons: { a: 0.5, b: 0.3, z: 0.2 } }
menu:
  main:
    prompt: "A press 1, B press 2."
    options:
      "1": { for: [a], to: qa }
      "2": { for: [b], to: sub }
  sub:
    prompt: "Press 1."
    options:
      "1": { for: [b], to: qb }
queues:
  qa: { pools: [pa] }
  qb: { pools: [pb] }
pools:
  pa: { agents: 1, handle: 1m }
  pb: { agents: 1, handle: 1m }
"#;

    fn names(sc: &Scenario, flags: &[bool]) -> Vec<String> {
        flags.iter().enumerate().filter(|(_, y)| **y).map(|(i, _)| sc.reasons[i].clone()).collect()
    }

    #[test]
    fn a_pool_solves_the_reasons_whose_keys_lead_to_its_queues() {
        let sc = load(MENU);
        let routed = routed_to_pools(&sc);
        assert_eq!(names(&sc, &routed[0]), vec!["a"]);
        assert_eq!(names(&sc, &routed[1]), vec!["b"]);
        // z: no option lists it and there is no operator, at a menu without its
        // own accuracy: the caller presses no key and reaches no queue.
        assert_eq!(sc.pools[0].misroute, vec![false, true, true]);
        assert_eq!(sc.pools[0].resolves, vec![1.0, 0.0, 0.0]);
    }

    #[test]
    fn a_misrouted_caller_is_meant_for_the_queue_their_keys_lead_to() {
        let sc = load(MENU);
        let meant = &sc.callers[0].meant_queue;
        assert_eq!(meant[0], sc.queues.iter().position(|q| q.name == "qa").map(|i| QueueId(i as u16)));
        assert_eq!(meant[1], sc.queues.iter().position(|q| q.name == "qb").map(|i| QueueId(i as u16)));
        assert_eq!(meant[2], None);
    }

    #[test]
    fn the_operator_option_and_random_keys_route_the_reasons_they_carry() {
        let with_operator =
            MENU.replace("\"2\": { for: [b], to: sub }", "\"2\": { for: [b], to: sub }\n      \"0\": { to: qa }");
        let sc = load(&with_operator);
        assert_eq!(names(&sc, &routed_to_pools(&sc)[0]), vec!["a", "z"]);
        // A menu with its own accuracy: a caller whose reason has no option presses any key.
        let any =
            MENU.replace("prompt: \"A press 1, B press 2.\"", "prompt: \"A press 1, B press 2.\"\n    accuracy: 0.9");
        let sc = load(&any);
        assert_eq!(names(&sc, &routed_to_pools(&sc)[0]), vec!["a", "z"]);
        // ... but at `sub` (the menu model) a z-caller has no key to press: no queue.
        assert_eq!(names(&sc, &routed_to_pools(&sc)[1]), vec!["b"]);
    }

    #[test]
    fn entry_straight_to_a_queue_and_transfers_route_reasons_too() {
        let direct = MENU.replace(
            "  c: { arrivals: 10/h, reasons: { a: 0.5, b: 0.3, z: 0.2 } }",
            "  c: { arrivals: 10/h, reasons: { a: 0.5, b: 0.3, z: 0.2 } }\n  d: { arrivals: 1/h, reasons: { z: 1 }, entry: qb }",
        );
        let sc = load(&direct);
        assert_eq!(names(&sc, &routed_to_pools(&sc)[1]), vec!["b", "z"]);
        let transfer = MENU.replace(
            "  pa: { agents: 1, handle: 1m }",
            "  pa: { agents: 1, handle: 1m, resolves: { a: 0.5 }, transfer: { a: qb } }",
        );
        let sc = load(&transfer);
        assert_eq!(names(&sc, &routed_to_pools(&sc)[1]), vec!["a", "b"]);
        // Explicit `resolves` keeps its meaning: no misroute.
        assert_eq!(sc.pools[0].misroute, vec![false, false, false]);
        assert_eq!(sc.pools[0].resolves, vec![0.5, 0.0, 0.0]);
    }
}
