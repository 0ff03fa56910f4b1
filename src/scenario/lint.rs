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

/// Clock time of day as `HH:MM` (seconds shown only when not whole).
fn clock(t: SimTime) -> String {
    let s = t.as_secs_f64();
    let (h, m, sec) = ((s / 3600.0) as u64, ((s % 3600.0) / 60.0) as u64, s % 60.0);
    if sec.abs() < 1e-6 { format!("{h:02}:{m:02}") } else { format!("{h:02}:{m:02}:{sec:02.0}") }
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

    // Intended paths: one warning per (node, problem), naming every caller and reason.
    let mut no_option: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let mut dead_end: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let mut looped: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    for &c in &all_callers {
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

    lint_queues_and_pools(sc, &all_callers, &reach, &mut out);
    super::lint_design::lint_design(sc, &mut out);

    for p in &mut out {
        p.locate(index);
    }
    out
}

fn lint_queues_and_pools(
    sc: &Scenario,
    all_callers: &[CallerTypeId],
    reach: &super::paths::Reach,
    out: &mut Vec<Problem>,
) {
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
    for (pi, p) in sc.pools.iter().enumerate() {
        let serves: Vec<usize> = sc
            .queues
            .iter()
            .enumerate()
            .filter(|(_, q)| q.pools.iter().any(|(id, _)| id.index() == pi))
            .map(|(i, _)| i)
            .collect();
        if serves.is_empty() {
            out.push(
                Problem::warning(&["pools", &p.name], format!("pool `{}` answers no queue", p.name))
                    .help("no queue lists it under `pools:`: add it to a queue, or remove it")
                    .at_key(),
            );
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
                        clock(from),
                        clock(to),
                        names(&who)
                    ),
                )
                .help("callers who reach its queues then wait for another pool, or for the next shift")
                .at_key(),
            );
        }
    }
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
