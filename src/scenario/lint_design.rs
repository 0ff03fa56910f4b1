//! The designer's lint, part two: what a design does to callers over the day
//! rather than at one node — transfer loops, more work offered to a pool than
//! it has agents (an estimate, see `offered`), profile or shift steps after
//! the horizon, and menus whose most-used option comes last.

use super::error::Problem;
use super::model::{CallerTypeId, QueueId, ReasonId, Scenario};
use super::offered::offered_by_hour;
use super::paths::{Press, intended, reasons_of};

/// `2h00`, `10h30`: an offset into the day, or `09:00`, `17:30` when the file
/// says when the line `opens` (the labels of the run's intervals).
fn offset(sc: &Scenario, secs: f64) -> String {
    let m = (secs / 60.0).round();
    sc.intervals.clock(crate::time::SimTime::ZERO + crate::time::SimDuration::from_secs_f64(m * 60.0))
}

/// `9` or `6–22`: the fewest and most agents the pool has on duty over `[from, to)` (s).
fn agents_range(p: &super::Pool, from: f64, to: f64) -> String {
    let (a, b) = (crate::time::SimDuration::from_secs_f64(from), crate::time::SimDuration::from_secs_f64(to));
    let (a, b) = (crate::time::SimTime::ZERO + a, crate::time::SimTime::ZERO + b);
    let mut counts = vec![p.agents_at(a)];
    counts.extend(p.shifts.iter().filter(|(t, _)| *t > a && *t < b).map(|s| s.1));
    let (lo, hi) = (counts.iter().min().copied().unwrap_or(0), counts.iter().max().copied().unwrap_or(0));
    if lo == hi { format!("{lo}") } else { format!("{lo}–{hi}") }
}

/// `12.0` or `9.8–11.1`: a range of erlangs.
fn erlangs_range(lo: f64, hi: f64) -> String {
    if (hi - lo).abs() < 0.05 { format!("{hi:.1}") } else { format!("{lo:.1}–{hi:.1}") }
}

pub fn lint_design(sc: &Scenario, out: &mut Vec<Problem>) {
    transfer_loops(sc, out);
    overload(sc, out);
    steps_after_horizon(sc, out);
    option_order(sc, out);
}

/// A pool transferring a reason into a queue it answers itself, and cycles of
/// transfers between queues for one reason.
fn transfer_loops(sc: &Scenario, out: &mut Vec<Problem>) {
    let serves = |p: usize, q: QueueId| sc.queues[q.index()].pools.iter().any(|(id, _)| id.index() == p);
    for (pi, p) in sc.pools.iter().enumerate() {
        for (ri, to) in p.transfer.iter().enumerate() {
            if let Some(q) = to.filter(|q| serves(pi, *q) && p.resolves[ri] < 1.0) {
                if let Some(w) = overflow_sends_back(sc, pi, ri, q) {
                    out.push(w);
                    continue;
                }
                let (reason, queue) = (&sc.reasons[ri], &sc.queues[q.index()].name);
                out.push(
                    Problem::warning(
                        &["pools", &p.name, "transfer", reason],
                        format!(
                            "pool `{}` transfers {reason} calls it did not solve to queue `{queue}`, which it answers itself: the caller may get the same team again",
                            p.name
                        ),
                    )
                    .help(format!("transfer to a queue `{}` does not answer, or take it off `{queue}`'s pools", p.name))
                    .at_key(),
                );
            }
        }
    }
    // Longer cycles: queue → (a pool answering it transfers r to) → queue.
    for ri in 0..sc.reasons.len() {
        let next = |q: usize| -> Vec<usize> {
            let mut v: Vec<usize> = sc.queues[q]
                .pools
                .iter()
                .filter_map(|(p, _)| {
                    let pool = &sc.pools[p.index()];
                    pool.transfer[ri].filter(|_| pool.resolves[ri] < 1.0).map(|t| t.index())
                })
                .filter(|t| *t != q)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut seen_cycles: Vec<Vec<usize>> = Vec::new();
        for start in 0..sc.queues.len() {
            // Depth-first search for a path back to `start` through higher-numbered queues
            // (each cycle is found once, from its lowest queue).
            let mut stack: Vec<(usize, Vec<usize>)> = vec![(start, vec![start])];
            while let Some((q, path)) = stack.pop() {
                for n in next(q) {
                    if n == start && path.len() > 1 {
                        if !seen_cycles.contains(&path) {
                            seen_cycles.push(path.clone());
                        }
                    } else if n > start && !path.contains(&n) && path.len() < 8 {
                        let mut p = path.clone();
                        p.push(n);
                        stack.push((n, p));
                    }
                }
            }
        }
        for cycle in seen_cycles {
            let names: Vec<&str> = cycle.iter().chain(cycle.first()).map(|q| sc.queues[*q].name.as_str()).collect();
            let reason = &sc.reasons[ri];
            out.push(
                Problem::warning(
                    &["queues", names[0]],
                    format!("{reason} calls can be transferred round a loop: {}", names.join(" → ")),
                )
                .help("each transfer is another wait: let one team on the loop solve the reason, or end the loop")
                .at_key(),
            );
        }
    }
}

/// Pool `pi` answers queue `q` only as an overflow (`{ pool: P, after: 2m }`),
/// does not solve every `ri` call (a reason `q` receives: its transfer leads
/// there), and transfers the rest back to `q`: the caller waits again, may be
/// answered by the same overflow team again, and so on until `max_transfers`
/// ends the call unresolved. The warning for such a transfer, which replaces
/// the plainer "transfers ... to a queue it answers itself".
fn overflow_sends_back(sc: &Scenario, pi: usize, ri: usize, q: QueueId) -> Option<Problem> {
    let queue = &sc.queues[q.index()];
    let afters: Vec<crate::time::SimDuration> =
        queue.pools.iter().filter(|(id, _)| id.index() == pi).map(|(_, after)| *after).collect();
    let after = afters.iter().min().copied().filter(|a| *a > crate::time::SimDuration::ZERO)?;
    let p = &sc.pools[pi];
    let reason = &sc.reasons[ri];
    let solves = if p.resolves[ri] <= 0.0 {
        format!("solves none of the {reason} calls it takes there")
    } else {
        format!("solves only {:.0}% of the {reason} calls it takes there", 100.0 * p.resolves[ri])
    };
    let primary: Vec<String> = queue
        .pools
        .iter()
        .filter(|(id, _)| id.index() != pi)
        .map(|(id, _)| format!("`{}`", sc.pools[id.index()].name))
        .collect();
    let primary = if primary.is_empty() { "its other pools".to_string() } else { primary.join(", ") };
    Some(
        Problem::warning(
            &["pools", &p.name, "transfer", reason],
            format!(
                "pool `{}` answers queue `{}` as an overflow (after {after} on hold) but {solves}, and transfers the rest back to `{}`: they wait there again, may be answered by `{}` again, and so on until the call ends unresolved after {} transfers (`max_transfers`)",
                p.name, queue.name, queue.name, p.name, sc.max_transfers
            ),
        )
        .help(format!(
            "let `{}` solve {reason} calls (`resolves`), send the ones it cannot solve to a queue it does not answer (`transfer`), or take it off `{}`'s `pools` so that {reason} callers wait for {primary} instead of going round",
            p.name, queue.name
        ))
        .at_key(),
    )
}

/// Hours in which a pool is offered more erlangs than it has agents.
fn overload(sc: &Scenario, out: &mut Vec<Problem>) {
    let hours = offered_by_hour(sc);
    for (pi, p) in sc.pools.iter().enumerate() {
        // Contiguous stretches of overloaded hours, with the worst hour of each.
        let mut spans: Vec<(f64, f64, usize)> = Vec::new();
        for (h, iv) in hours.iter().enumerate() {
            let (erl, agents) = (iv.erlangs[pi], iv.agents[pi]);
            if agents <= 0.0 || erl <= agents {
                continue;
            }
            let worse = |w: usize| erl / agents > hours[w].erlangs[pi] / hours[w].agents[pi];
            match spans.last_mut() {
                Some(s) if (s.1 - iv.from).abs() < 1e-9 => {
                    s.1 = iv.to;
                    if worse(s.2) {
                        s.2 = h;
                    }
                }
                _ => spans.push((iv.from, iv.to, h)),
            }
        }
        for (from, to, worst) in spans {
            let w = &hours[worst];
            let within: Vec<&super::offered::Interval> =
                hours.iter().filter(|iv| iv.from >= from - 1e-9 && iv.to <= to + 1e-9).collect();
            let lo = within.iter().map(|iv| iv.erlangs[pi]).fold(f64::INFINITY, f64::min);
            let hi = within.iter().map(|iv| iv.erlangs[pi]).fold(0.0, f64::max);
            let ratio = |iv: &super::offered::Interval| iv.erlangs[pi] / iv.agents[pi];
            let flat = within.iter().all(|iv| ratio(iv) * 1.01 >= ratio(w));
            let span = format!("{}–{}", offset(sc, from), offset(sc, to));
            let whole = (w.from - from).abs() < 1e-9 && (w.to - to).abs() < 1e-9;
            let message = if flat || whole {
                format!(
                    "{}: {} erlangs offered on {} agents {span}",
                    p.name,
                    erlangs_range(lo, hi),
                    agents_range(p, from, to)
                )
            } else {
                format!(
                    "{}: {} erlangs offered on {} agents {span} (worst {}–{}: {:.1} erlangs on {} agents)",
                    p.name,
                    erlangs_range(lo, hi),
                    agents_range(p, from, to),
                    offset(sc, w.from),
                    offset(sc, w.to),
                    w.erlangs[pi],
                    agents_range(p, w.from, w.to)
                )
            };
            out.push(
                Problem::warning(&["pools", &p.name, "agents"], message)
                .help(format!(
                    "an estimate from arrival rates, reason shares, the menu's keys (wrong ones included), routing, overflow, transfers, mean talk and wrap-up time and chats held at once, hang-ups and redials left out: with more work than agents the queue grows all hour; staff at least {} agents over {}–{}",
                    w.erlangs[pi].ceil() as u64 + 1,
                    offset(sc, w.from),
                    offset(sc, w.to)
                ))
                .at_key(),
            );
        }
    }
}

/// Arrival-profile and shift steps that start at or after the horizon never apply.
fn steps_after_horizon(sc: &Scenario, out: &mut Vec<Problem>) {
    let end = crate::time::SimTime::ZERO + sc.horizon;
    let warn = |path: [&str; 5], what: &str, from: crate::time::SimTime| {
        Problem::warning(
            &path,
            format!(
                "{what} starts at {}, at or after the horizon ({}): it never applies",
                offset(sc, from.as_secs_f64()),
                offset(sc, sc.horizon.as_secs_f64())
            ),
        )
        .help("calls arrive during [0, horizon): move the step earlier, or lengthen `horizon`")
    };
    for c in &sc.callers {
        for (i, (from, _)) in c.arrivals.steps.iter().enumerate() {
            if *from >= end && i > 0 {
                let idx = i.to_string();
                out.push(warn(["callers", &c.name, "arrivals", &idx, "from"], "this rate step", *from));
            }
        }
    }
    // A `shifts:` pool's steps are made from its shifts (the last one is
    // "0 agents from the last shift's end", often the horizon) and no shift
    // may end after the horizon: nothing of the user's to warn about.
    for p in sc.pools.iter().filter(|p| p.rota.is_empty()) {
        for (i, (from, _)) in p.steps.iter().enumerate() {
            if *from >= end && i > 0 {
                let idx = i.to_string();
                out.push(warn(["pools", &p.name, "agents", &idx, "from"], "this shift", *from));
            }
        }
    }
}

/// A menu (with barge-in) whose most-used option is the one heard last: most
/// callers listen to the whole prompt.
fn option_order(sc: &Scenario, out: &mut Vec<Problem>) {
    let mut uses: Vec<Vec<f64>> = sc.nodes.iter().map(|n| vec![0.0; n.options.len()]).collect();
    for (ci, ct) in sc.callers.iter().enumerate() {
        let c = CallerTypeId(ci as u16);
        let calls = ct.arrivals.expected_calls(sc.horizon);
        let share = |r: ReasonId| {
            let mut last = 0.0;
            ct.reasons.iter().find_map(|(x, cum)| {
                let s = cum - last;
                last = *cum;
                (*x == r).then_some(s)
            })
        };
        for r in reasons_of(sc, c) {
            let w = calls * share(r).unwrap_or(0.0);
            for hop in intended(sc, c, r).hops {
                if let Some(Press::Meant { option, .. }) = hop.press {
                    uses[hop.node.index()][option as usize] += w;
                }
            }
        }
    }
    for (ni, n) in sc.nodes.iter().enumerate() {
        if !n.barge_in || n.options.len() < 3 {
            continue;
        }
        let u = &uses[ni];
        let total: f64 = u.iter().sum();
        let Some(top) = (0..u.len()).max_by(|a, b| u[*a].total_cmp(&u[*b])) else { continue };
        if total <= 0.0 || (0..u.len()).any(|o| o != top && u[o] >= u[top]) {
            continue;
        }
        let heard = |o: usize| match n.options[o].heard {
            super::Heard::At(d) => d.as_secs_f64() / n.listen.mean().max(1e-9),
            super::Heard::Share(s) => s,
        };
        let last = (0..u.len()).max_by(|a, b| heard(*a).total_cmp(&heard(*b)).then(a.cmp(b)));
        if last != Some(top) {
            continue;
        }
        let o = &n.options[top];
        let label = o.label.as_ref().map_or(String::new(), |l| format!(" ({l})"));
        out.push(
            Problem::warning(
                &["menu", &n.name, "options", &o.key],
                format!(
                    "the most-used option at `{}`, {}{label}, comes last: {:.0}% of the callers here hear the whole prompt before pressing it",
                    n.name,
                    o.key,
                    100.0 * u[top] / total
                ),
            )
            .help("move it to the front: callers press as soon as they hear their option")
            .at_key(),
        );
    }
}
