//! Where callers can go in a checked [`Scenario`]: the *intended* path of each
//! caller type and reason (the keys meant for the reason, accuracy 1) with its
//! listening time, and everything reachable by any key (for lint).

use std::collections::HashSet;

use super::model::{CallerTypeId, Choice, NodeId, QueueId, ReasonId, Scenario, Target};
use crate::time::SimDuration;

/// How a caller presses at one menu node on the intended path.
#[derive(Clone, Debug, PartialEq)]
pub enum Press {
    /// An option listing the reason (`also`: other keys listing it too).
    Meant { option: u8, also: Vec<u8> },
    /// No option lists the reason: the operator option (no `for`).
    Operator(u8),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    pub node: NodeId,
    pub press: Option<Press>,
}

/// Where the intended path stops.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PathEnd {
    /// A human can answer: the caller joins this queue.
    Queue(QueueId),
    /// A node with neither options nor `then`: the call ends there.
    DeadEnd(NodeId),
    /// No option lists the reason and there is no operator option: the caller
    /// presses a key at random (the path is not determined).
    NoOption(NodeId),
    /// The path comes back to a node already heard.
    Loop(NodeId),
}

#[derive(Clone, Debug)]
pub struct IntendedPath {
    pub caller: CallerTypeId,
    pub reason: ReasonId,
    pub hops: Vec<Hop>,
    pub end: PathEnd,
    /// Mean listening time before the first self-service node that can solve
    /// the reason, if any (that node's own prompt excluded).
    pub to_self_service: Option<(NodeId, f64)>,
    /// Mean listening time of every prompt on the path.
    pub listening: f64,
}

/// Reasons a caller type calls about with a positive share, in file order.
pub fn reasons_of(sc: &Scenario, c: CallerTypeId) -> Vec<ReasonId> {
    let mut prev = 0.0;
    let mut out = Vec::new();
    for (r, cum) in &sc.callers[c.index()].reasons {
        if *cum > prev {
            out.push(*r);
        }
        prev = *cum;
    }
    out
}

/// The path a caller of type `c` with reason `r` takes when every key press
/// is the one meant for the reason.
pub fn intended(sc: &Scenario, c: CallerTypeId, r: ReasonId) -> IntendedPath {
    let mut hops = Vec::new();
    let mut seen = HashSet::new();
    let mut listening = 0.0;
    let mut to_self_service = None;
    let mut at = sc.callers[c.index()].entry;
    let end = loop {
        let n = match at {
            Target::Queue(q) => break PathEnd::Queue(q),
            Target::Node(n) => n,
        };
        if !seen.insert(n) {
            break PathEnd::Loop(n);
        }
        let node = &sc.nodes[n.index()];
        if to_self_service.is_none() && node.resolves.as_ref().is_some_and(|res| res[r.index()] > 0.0) {
            to_self_service = Some((n, listening));
        }
        let whole = node.listen.mean();
        if !node.options.is_empty() {
            let press = match &node.choices[r.index()] {
                Choice::Meant { meant, .. } => Press::Meant { option: meant[0], also: meant[1..].to_vec() },
                Choice::Operator(o) => Press::Operator(*o),
                Choice::Any => {
                    listening += whole;
                    hops.push(Hop { node: n, press: None });
                    break PathEnd::NoOption(n);
                }
                Choice::NoKey => {
                    listening += whole * f64::from(1 + node.repeat);
                    hops.push(Hop { node: n, press: None });
                    match node.no_input {
                        Some(t) => {
                            at = t;
                            continue;
                        }
                        None => break PathEnd::NoOption(n),
                    }
                }
            };
            let o = match &press {
                Press::Meant { option, .. } | Press::Operator(option) => *option,
            };
            // Barge-in: a caller who knows their option presses once they hear it.
            let heard = match press {
                Press::Meant { .. } if node.barge_in => {
                    node.options[o as usize].heard.within(SimDuration::from_secs_f64(whole)).as_secs_f64()
                }
                _ => whole,
            };
            listening += heard;
            hops.push(Hop { node: n, press: Some(press) });
            at = node.options[o as usize].to;
        } else if let Some(t) = node.then {
            listening += whole;
            hops.push(Hop { node: n, press: None });
            at = t;
        } else {
            listening += whole;
            hops.push(Hop { node: n, press: None });
            break PathEnd::DeadEnd(n);
        }
    };
    IntendedPath { caller: c, reason: r, hops, end, to_self_service, listening }
}

/// Everything reachable by some caller type with any key: menu nodes and
/// queues (transfers included).
#[derive(Default)]
pub struct Reach {
    pub nodes: HashSet<NodeId>,
    pub queues: HashSet<QueueId>,
}

pub fn reachable(sc: &Scenario, callers: impl IntoIterator<Item = CallerTypeId>) -> Reach {
    let mut reach = Reach::default();
    let mut todo: Vec<Target> = callers.into_iter().map(|c| sc.callers[c.index()].entry).collect();
    while let Some(t) = todo.pop() {
        match t {
            Target::Node(n) => {
                if reach.nodes.insert(n) {
                    let node = &sc.nodes[n.index()];
                    todo.extend(node.options.iter().map(|o| o.to));
                    todo.extend(node.then);
                    todo.extend(node.no_input);
                }
            }
            Target::Queue(q) => {
                if reach.queues.insert(q) {
                    for (p, _) in &sc.queues[q.index()].pools {
                        todo.extend(sc.pools[p.index()].transfer.iter().flatten().map(|q| Target::Queue(*q)));
                    }
                }
            }
        }
    }
    reach
}

/// Menu levels: for each node with options, 1 + the fewest menus a caller
/// presses a key in before hearing it (nodes without options add no level).
pub fn menu_levels(sc: &Scenario) -> Vec<Option<u32>> {
    let mut level: Vec<Option<u32>> = vec![None; sc.nodes.len()];
    // Breadth-first by key presses; `then` hops cost nothing (0-1 BFS).
    let mut queue: std::collections::VecDeque<(NodeId, u32)> = std::collections::VecDeque::new();
    for c in &sc.callers {
        if let Target::Node(n) = c.entry {
            queue.push_back((n, 0));
        }
    }
    while let Some((n, presses)) = queue.pop_front() {
        if level[n.index()].is_some_and(|l| l <= presses) {
            continue;
        }
        level[n.index()] = Some(presses);
        let node = &sc.nodes[n.index()];
        if let Some(Target::Node(next)) = node.then {
            queue.push_front((next, presses));
        }
        for o in &node.options {
            if let Target::Node(next) = o.to {
                queue.push_back((next, presses + 1));
            }
        }
    }
    level.iter().zip(&sc.nodes).map(|(l, n)| l.filter(|_| !n.options.is_empty()).map(|l| l + 1)).collect()
}
