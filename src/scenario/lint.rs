//! The designer's lint: warnings about a scenario that loads but would treat
//! callers badly or hides a mistake (unreachable nodes, reasons no option
//! serves, deep or crowded menus, long prompts, dead ends, idle or unstaffed
//! teams). Each warning names the node, queue or pool and carries its key path,
//! so it is shown with the file's own line and a caret, like a load error.

use std::collections::BTreeMap;

use super::error::Problem;
use super::locate::Index;
use super::model::{CallerTypeId, Scenario};
use super::paths::{PathEnd, intended, menu_levels, reachable, reasons_of};
use crate::time::{SimDuration, SimTime};

/// Menus deeper than this many levels lose callers.
pub const MAX_LEVELS: u32 = 3;
/// More options than this at one node are hard to remember.
pub const MAX_OPTIONS: usize = 5;
/// Prompts longer than this (seconds) lose callers.
pub const MAX_PROMPT_SECS: f64 = 30.0;

fn names(list: &[&str]) -> String {
    list.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Every warning for this scenario, located in the file with `index`.
pub fn lint(sc: &Scenario, index: &Index) -> Vec<Problem> {
    let mut out = Vec::new();
    let all_callers: Vec<CallerTypeId> = (0..sc.callers.len()).map(|i| CallerTypeId(i as u16)).collect();
    let reach = reachable(sc, all_callers.iter().copied());

    for (i, n) in sc.nodes.iter().enumerate() {
        if !reach.nodes.contains(&super::NodeId(i as u16)) {
            out.push(
                Problem::warning(&["menu", &n.name], format!("menu node `{}` is never reached", n.name))
                    .help("no caller's entry, menu option or `then` leads here: link it from an option, or remove it")
                    .at_key(),
            );
        }
    }

    let levels = menu_levels(sc);
    for (i, n) in sc.nodes.iter().enumerate() {
        if let Some(level) = levels[i].filter(|l| *l > MAX_LEVELS) {
            out.push(
                Problem::warning(
                    &["menu", &n.name],
                    format!("`{}` is menu level {level}: callers press {} keys before hearing it", n.name, level - 1),
                )
                .help(format!("menus deeper than {MAX_LEVELS} levels lose callers: flatten the menu"))
                .at_key(),
            );
        }
        if n.options.len() > MAX_OPTIONS {
            out.push(
                Problem::warning(
                    &["menu", &n.name, "options"],
                    format!("`{}` offers {} options", n.name, n.options.len()),
                )
                .help(format!("more than {MAX_OPTIONS} options are hard to remember: split them over two menus"))
                .at_key(),
            );
        }
        let listen = n.listen.mean();
        if listen > MAX_PROMPT_SECS && n.resolves.is_none() {
            let key = if index.exact(&["menu".into(), n.name.clone(), "duration".into()]).is_some() {
                "duration"
            } else {
                "prompt"
            };
            out.push(
                Problem::warning(
                    &["menu", &n.name, key],
                    format!(
                        "the prompt of `{}` lasts {} before callers can act",
                        n.name,
                        SimDuration::from_secs_f64(listen)
                    ),
                )
                .help(format!(
                    "prompts over {MAX_PROMPT_SECS:.0}s lose callers: shorten it, or move content to a sub-menu"
                ))
                .at_key(),
            );
        }
    }

    menu_ends(sc, &all_callers, &mut out);
    stranded(sc, &all_callers, &mut out);
    lint_queues_and_pools(sc, &all_callers, &reach, &mut out);
    super::lint_design::lint_design(sc, &mut out);

    for p in &mut out {
        p.locate(index);
    }
    out.extend(unserved_channels(sc));
    out
}

/// Reasons whose own keys reach no human: no option serves them (the IVR
/// hangs up, or they press at random), the call ends at a node, or the keys
/// lead back round a loop. One warning per (node, problem), naming every
/// caller type and reason.
fn menu_ends(sc: &Scenario, all_callers: &[CallerTypeId], out: &mut Vec<Problem>) {
    // Intended paths: one warning per (node, problem), naming every caller and reason.
    let mut no_option: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let mut dead_end: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let mut looped: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    for &c in all_callers {
        for r in reasons_of(sc, c) {
            let path = intended(sc, c, r);
            let who = format!("`{}` callers about {}", sc.callers[c.index()].name, sc.reasons[r.index()]);
            match path.end {
                PathEnd::NoOption(n) => no_option.entry(n.0).or_default().push(who),
                PathEnd::DeadEnd(n) => {
                    // A self-service node that always solves the reason needs no way on.
                    let solved = sc.nodes[n.index()].resolves.as_ref().is_some_and(|res| res[r.index()] >= 1.0);
                    if !solved {
                        dead_end.entry(n.0).or_default().push(who);
                    }
                }
                PathEnd::Loop(n) => looped.entry(n.0).or_default().push(who),
                PathEnd::Queue(_) => {}
            }
        }
    }
    for (n, who) in no_option {
        let name = &sc.nodes[n as usize].name;
        out.push(
            Problem::warning(
                &["menu", name, "options"],
                if sc.nodes[n as usize].fixed_accuracy {
                    format!("no option at `{name}` serves {}: they press a key at random", who.join(", "))
                } else {
                    format!(
                        "no option at `{name}` serves {}: they press no key and the IVR hangs up on them",
                        who.join(", ")
                    )
                },
            )
            .help("list the reason in an option's `for`, or add an operator option (one without `for`)")
            .at_key(),
        );
    }
    for (n, who) in dead_end {
        let name = &sc.nodes[n as usize].name;
        out.push(
            Problem::warning(
                &["menu", name],
                format!("{} never reach a human: the call ends at `{name}`", who.join(", ")),
            )
            .help("give the node a `then:` to a queue (or options), so unsolved callers can reach an agent")
            .at_key(),
        );
    }
    for (n, who) in looped {
        let name = &sc.nodes[n as usize].name;
        out.push(
            Problem::warning(
                &["menu", name],
                format!("{} never reach a human: their keys lead back to `{name}`", who.join(", ")),
            )
            .help("break the loop: one option on the way should lead to a queue")
            .at_key(),
        );
    }
}

/// The warnings that mean the design cannot work as its author meant, which
/// every verb that simulates repeats on stderr (`validate` shows them among
/// the rest): a reason whose own keys reach no human (no option for it, a
/// dead end, a loop), a queue no agent ever answers or nothing leads to, a
/// pool that answers no queue, and callers reaching a queue whose pools do not
/// work their channel. A subset of [`lint`], in its order, located the same way.
pub fn severe(sc: &Scenario, index: &Index) -> Vec<Problem> {
    let mut out = Vec::new();
    let all_callers: Vec<CallerTypeId> = (0..sc.callers.len()).map(|i| CallerTypeId(i as u16)).collect();
    menu_ends(sc, &all_callers, &mut out);
    queues_unanswered_or_unreached(sc, &reachable(sc, all_callers.iter().copied()), &mut out);
    out.extend(
        sc.pools.iter().enumerate().filter(|(pi, _)| serves(sc, *pi).is_empty()).map(|(_, p)| answers_no_queue(p)),
    );
    for p in &mut out {
        p.locate(index);
    }
    out.extend(unserved_channels(sc));
    out
}

fn lint_queues_and_pools(
    sc: &Scenario,
    all_callers: &[CallerTypeId],
    reach: &super::paths::Reach,
    out: &mut Vec<Problem>,
) {
    queues_unanswered_or_unreached(sc, reach, out);
    for (pi, p) in sc.pools.iter().enumerate() {
        let serves = serves(sc, pi);
        if serves.is_empty() {
            out.push(answers_no_queue(p));
            continue;
        }
        // Caller types who can reach a queue this pool answers.
        let callers: Vec<CallerTypeId> = all_callers
            .iter()
            .copied()
            .filter(|&c| {
                let r = reachable(sc, [c]);
                serves.iter().any(|q| r.queues.contains(&super::QueueId(*q as u16)))
            })
            .collect();
        if callers.is_empty() {
            continue;
        }
        for (from, to, who) in unstaffed(sc, p, &callers) {
            let who: Vec<&str> = who.iter().map(|c| sc.callers[c.index()].name.as_str()).collect();
            out.push(
                Problem::warning(
                    &["pools", &p.name, "agents"],
                    format!(
                        "pool `{}` has no agents from {} to {} while {} callers arrive",
                        p.name,
                        sc.intervals.clock(from),
                        sc.intervals.clock(to),
                        names(&who)
                    ),
                )
                .help("callers who reach its queues then wait for another pool, or for the next shift")
                .at_key(),
            );
        }
        if let Some(w) = steps_like_shifts(sc, p) {
            out.push(w);
        }
    }
}

/// Queues no agent ever answers, and queues nothing leads to.
fn queues_unanswered_or_unreached(sc: &Scenario, reach: &super::paths::Reach, out: &mut Vec<Problem>) {
    for (qi, q) in sc.queues.iter().enumerate() {
        if q.pools.iter().all(|(p, _)| sc.pools[p.index()].max_agents() == 0) {
            out.push(
                Problem::warning(&["queues", &q.name, "pools"], format!("no agent ever answers queue `{}`", q.name))
                    .help("its pools have no agents at any time of day: staff one, or list another pool")
                    .at_key(),
            );
        }
        if !reach.queues.contains(&super::QueueId(qi as u16)) {
            out.push(
                Problem::warning(&["queues", &q.name], format!("queue `{}` is never reached", q.name))
                    .help("no entry, menu option, `then` or transfer leads here")
                    .at_key(),
            );
        }
    }
}

/// The queues (by index) that list pool `pi` under `pools:`.
fn serves(sc: &Scenario, pi: usize) -> Vec<usize> {
    sc.queues
        .iter()
        .enumerate()
        .filter(|(_, q)| q.pools.iter().any(|(id, _)| id.index() == pi))
        .map(|(i, _)| i)
        .collect()
}

fn answers_no_queue(p: &super::Pool) -> Problem {
    Problem::warning(&["pools", &p.name], format!("pool `{}` answers no queue", p.name))
        .help("no queue lists it under `pools:`: add it to a queue, or remove it")
        .at_key()
}

/// An `agents:` step list that looks like shifts written as steps (a roster
/// meant to add up): three steps or more, all staffed and alike (the largest
/// at most 1.5 × the smallest), starting 15m to 4h apart, the last one lasting
/// 6h or more to the end of a day of at most 24h. Head counts rarely change
/// that way (staggered starts, the count flat, the last step a shift long);
/// shift starts written as steps do.
fn steps_like_shifts(sc: &Scenario, p: &super::Pool) -> Option<Problem> {
    let steps = &p.steps;
    let h = |x: f64| SimDuration::from_secs_f64(x * 3600.0);
    if !p.rota.is_empty() || steps.len() < 3 || sc.horizon > h(24.0) {
        return None;
    }
    let (lo, hi) = steps.iter().fold((f64::MAX, 0.0f64), |(lo, hi), s| (lo.min(s.1), hi.max(s.1)));
    let end = SimTime::ZERO + sc.horizon;
    let last = steps.last()?.0;
    let spaced = steps.windows(2).all(|w| {
        let gap = w[1].0.since(w[0].0);
        gap >= h(0.25) && gap <= h(4.0)
    });
    if lo < 1.0 || hi > 1.5 * lo || !spaced || last >= end || end.since(last) < h(6.0) {
        return None;
    }
    let counts: Vec<String> = steps.iter().map(|s| format!("{}", s.1)).collect();
    let sum: f64 = steps.iter().map(|s| s.1).sum();
    Some(
        Problem::warning(
            &["pools", &p.name, "agents"],
            format!(
                "pool `{}`'s `agents` steps ({}) look like shifts meant to add up: steps are head counts on duty \
                 from each `from`, so {} agents are on duty from {}, not {}",
                p.name,
                counts.join(", "),
                steps.last()?.1,
                sc.intervals.clock(last),
                sum
            ),
        )
        .help(
            "if these are shifts, write them as `shifts: [{ start: 0h, length: 8h, count: 4 }, ...]` \
             (shifts add up); if they are head counts, this warning can be ignored",
        )
        .at_key(),
    )
}

/// Stretches of the day `[0, horizon)` when the pool has no agents and some of
/// `callers` arrive, merged, with the caller types arriving then.
fn unstaffed(sc: &Scenario, p: &super::Pool, callers: &[CallerTypeId]) -> Vec<(SimTime, SimTime, Vec<CallerTypeId>)> {
    let end = SimTime::ZERO + sc.horizon;
    let mut cuts: Vec<SimTime> = vec![SimTime::ZERO, end];
    cuts.extend(p.shifts.iter().map(|s| s.0));
    for c in callers {
        cuts.extend(sc.callers[c.index()].arrivals.steps.iter().map(|s| s.0));
    }
    cuts.retain(|t| *t <= end);
    cuts.sort_unstable();
    cuts.dedup();
    let rate_at = |c: &CallerTypeId, t: SimTime| {
        sc.callers[c.index()].arrivals.steps.iter().rev().find(|(from, _)| *from <= t).map_or(0.0, |s| s.1)
    };
    let mut out: Vec<(SimTime, SimTime, Vec<CallerTypeId>)> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if p.agents_at(a) > 0 {
            continue;
        }
        let arriving: Vec<CallerTypeId> = callers.iter().copied().filter(|c| rate_at(c, a) > 0.0).collect();
        if arriving.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.1 == a => {
                last.1 = b;
                for c in arriving {
                    if !last.2.contains(&c) {
                        last.2.push(c);
                    }
                }
                last.2.sort_unstable();
            }
            _ => out.push((a, b, arriving)),
        }
    }
    out
}

/// `main → 1 → billing queue, 14 s of prompts`: each caller type's entry and
/// each of its reasons' intended path, with the listening time before a human
/// (or self-service).
pub fn menu_map(sc: &Scenario) -> String {
    let mut out = String::new();
    for (ci, ct) in sc.callers.iter().enumerate() {
        let c = CallerTypeId(ci as u16);
        out.push_str(&format!("  {} (dials in at {})\n", ct.name, sc.target_name(ct.entry)));
        let reasons = reasons_of(sc, c);
        let width = reasons.iter().map(|r| sc.reasons[r.index()].chars().count()).max().unwrap_or(0);
        for r in reasons {
            let path = intended(sc, c, r);
            let mut parts: Vec<String> = Vec::new();
            for hop in &path.hops {
                let node = &sc.nodes[hop.node.index()];
                let self_service = node.resolves.as_ref().is_some_and(|res| res[r.index()] > 0.0);
                parts.push(if self_service { format!("{} (self-service)", node.name) } else { node.name.clone() });
                match &hop.press {
                    Some(super::paths::Press::Meant { option, also }) => {
                        let chosen = &node.options[*option as usize];
                        let mut key = chosen.key.clone();
                        for o in also.iter().map(|o| &node.options[*o as usize]) {
                            if o.to == chosen.to {
                                key.push_str(&format!(" or {}", o.key));
                            } else {
                                key.push_str(&format!(" (or {} → {})", o.key, sc.target_name(o.to)));
                            }
                        }
                        parts.push(key);
                    }
                    Some(super::paths::Press::Operator(o)) => {
                        parts.push(format!("{} (operator)", node.options[*o as usize].key));
                    }
                    None if !node.options.is_empty() && !node.fixed_accuracy => parts.push("(no key)".to_string()),
                    None => {}
                }
            }
            let listening = SimDuration::from_secs_f64(path.listening);
            let tail = match path.end {
                PathEnd::Queue(q) => {
                    parts.push(format!("{} queue", sc.queues[q.index()].name));
                    let before = match path.to_self_service {
                        Some((_, t)) => format!("{} to self-service, ", SimDuration::from_secs_f64(t)),
                        None => String::new(),
                    };
                    format!("{before}{listening} of prompts before a human")
                }
                PathEnd::DeadEnd(_) => format!("call ends there after {listening} of prompts; no human"),
                PathEnd::NoOption(n) if sc.nodes[n.index()].fixed_accuracy => {
                    parts.push("?".to_string());
                    format!("no key for it: callers press one at random after {listening} of prompts")
                }
                PathEnd::NoOption(_) => {
                    format!("no key for it: the IVR hangs up after {listening} of prompts and repeats")
                }
                PathEnd::Loop(n) => {
                    parts.push(sc.nodes[n.index()].name.clone());
                    "a loop: never reaches a human".to_string()
                }
            };
            let reason = &sc.reasons[r.index()];
            out.push_str(&format!("    {reason:width$}  {}, {tail}\n", parts.join(" → ")));
        }
    }
    out
}

/// A caller type whose channel no pool of a queue they reach works (pool
/// `channel_priority` leaves it out): those contacts wait until the day closes.
fn unserved_channels(sc: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, c) in sc.callers.iter().enumerate() {
        let reach = reachable(sc, [CallerTypeId(i as u16)]);
        let mut queues: Vec<_> = reach.queues.into_iter().collect();
        queues.sort();
        for q in queues {
            let queue = &sc.queues[q.index()];
            if !queue.pools.iter().any(|(p, _)| sc.pools[p.index()].channel_priority.contains(&c.channel)) {
                out.push(
                    Problem::warning(
                        &["callers", &c.name, "channel"],
                        format!(
                            "no pool of queue `{}` works {} contacts: `{}` callers reaching it are never answered",
                            queue.name,
                            c.channel.as_str(),
                            c.name
                        ),
                    )
                    .help(format!(
                        "add {} to a pool's `channel_priority`, or route these callers to another queue",
                        c.channel.as_str()
                    ))
                    .at_key(),
                );
            }
        }
    }
    out
}

/// Menu nodes that callers reach by a wrong key and where no key, `then` or
/// `no_input` leads them, for their reason, to a queue: they can only hang up
/// (or loop until `max_menu_steps`). With the share of each caller type's calls
/// that hear the node so (the engine's chances of a wrong key, `offered::menu_flow`).
fn stranded(sc: &Scenario, all_callers: &[CallerTypeId], out: &mut Vec<Problem>) {
    // By node, then caller type: (reason, % of the caller type's calls).
    let mut by_node: BTreeMap<u16, BTreeMap<u16, Vec<(f64, super::ReasonId)>>> = BTreeMap::new();
    for &c in all_callers {
        let ct = &sc.callers[c.index()];
        let shares = ct.reason_shares();
        for r in reasons_of(sc, c) {
            // A reason whose own keys reach no human is named by the warnings above.
            if !matches!(intended(sc, c, r).end, PathEnd::Queue(_)) {
                continue;
            }
            let share = shares.iter().find(|(x, _)| *x == r).map_or(0.0, |s| s.1);
            let flow = super::offered::menu_flow(sc, c, r);
            for (n, heard) in flow.misdialled.iter().enumerate() {
                let node = super::NodeId(n as u16);
                if *heard <= 1e-9 || !super::routed::right_queues(sc, super::Target::Node(node), r).is_empty() {
                    continue;
                }
                // Self-service that always solves the reason needs no way on.
                if !sc.nodes[n].resolves.as_ref().is_some_and(|res| res[r.index()] >= 1.0) {
                    let pct = 100.0 * share * heard.min(1.0);
                    by_node.entry(n as u16).or_default().entry(c.0).or_default().push((pct, r));
                }
            }
        }
    }
    for (n, callers) in by_node {
        let name = &sc.nodes[n as usize].name;
        let who: Vec<String> = callers
            .iter()
            .map(|(c, reasons)| {
                let mut reasons = reasons.clone();
                reasons.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                let total: f64 = reasons.iter().map(|r| r.0).sum();
                let each: Vec<String> =
                    reasons.iter().map(|(pct, r)| format!("{} {}", sc.reasons[r.index()], percent(*pct))).collect();
                format!("{} of `{}` calls ({})", percent(total), sc.callers[*c as usize].name, each.join(", "))
            })
            .collect();
        let key = if sc.nodes[n as usize].options.is_empty() { "then" } else { "options" };
        out.push(
            Problem::warning(
                &["menu", name, key],
                format!(
                    "misdialled callers are stranded at `{name}`: no key leads them to a queue for their reason, they can only hang up: {}",
                    who.join("; ")
                ),
            )
            .help("add an operator option (\"for anything else, press 0\", no `for`) or a `no_input:` to a queue, so that a caller who pressed a wrong key before reaches a human")
            .at_key(),
        );
    }
}

/// `2.2%`, `<0.1%`: a share of a caller type's calls.
fn percent(pct: f64) -> String {
    if pct < 0.05 { "<0.1%".to_string() } else { format!("{pct:.1}%") }
}
