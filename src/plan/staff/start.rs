//! The analytic starting point: per pool and interval, the load the pool meets
//! (arrival rates through the intended menu paths, routing to the pools that
//! answer first, transfers followed; `scenario::offered`) treated as a steady
//! Erlang A line (exponential patience with the mean patience of the callers
//! bringing the load) or Erlang C (when some of them never hang up), and the
//! fewest agents that meet the targets there (`plan::target::fewest_agents`).

use super::targets::{Scope, StaffTarget};
use crate::plan::target::{Goal, fewest_agents};
use crate::scenario::Scenario;
use crate::scenario::offered::{PoolOffer, Routing, offered_to_pools};

/// The estimate and the formulas' answer for one interval.
#[derive(Clone, Debug)]
pub struct Start {
    /// Erlangs offered, by pool.
    pub erlangs: Vec<f64>,
    /// Fewest agents by the formulas, by pool (0 when no work is offered).
    pub agents: Vec<u32>,
    /// The line each pool's answer models: mean handle (talk + wrap-up), s, and
    /// mean patience (`None`: Erlang C), by pool; `None` when no work is offered.
    pub lines: Vec<Option<(f64, Option<f64>)>>,
}

/// The starting point of every interval of the day, in time order.
pub fn analytic(sc: &Scenario, targets: &[StaffTarget]) -> Vec<Start> {
    let day = &sc.intervals;
    (0..day.count())
        .map(|k| {
            let (from, to) = day.bounds(k);
            let (a, b) = (from.as_secs_f64(), to.as_secs_f64());
            let offer = offered_to_pools(sc, a, b.max(a + 1e-9), &vec![0.0; sc.pools.len()], Routing::FirstPools);
            let lines: Vec<_> = (0..sc.pools.len()).map(|p| line_of(sc, &offer, p)).collect();
            let agents = (0..sc.pools.len())
                .map(|p| lines[p].map_or(0, |(h, pat)| fewest(sc, &offer, p, offer.erlangs[p], h, pat, targets)))
                .collect();
            Start { erlangs: offer.erlangs, agents, lines }
        })
        .collect()
}

/// Which pools carry some of each caller type's load over the day: the pools a
/// caller-scoped target can be helped by. `by_caller[c][p]`.
pub fn serving(sc: &Scenario) -> Vec<Vec<bool>> {
    let all = vec![1.0; sc.pools.len()];
    let offer = offered_to_pools(sc, 0.0, sc.horizon.as_secs_f64().max(1.0), &all, Routing::ByAgents);
    offer.by_caller.iter().map(|row| row.iter().map(|e| *e > 0.0).collect()).collect()
}

/// The formulas' answer again, on the load each pool carried in a simulation
/// staffed generously (`busy[p][k]`: erlangs carried, redials, overflow and
/// transfers included), with each line's handle and patience kept: the
/// estimate's blind spots (redials above all) corrected before the search.
pub fn recalibrated(sc: &Scenario, start: &[Start], busy: &[Vec<f64>], targets: &[StaffTarget]) -> Vec<Vec<u32>> {
    let day = &sc.intervals;
    let all = vec![1.0; sc.pools.len()];
    (0..sc.pools.len())
        .map(|p| {
            (0..start.len())
                .map(|k| {
                    let (from, to) = day.bounds(k);
                    let offer = offered_to_pools(
                        sc,
                        from.as_secs_f64(),
                        to.as_secs_f64().max(from.as_secs_f64() + 1e-9),
                        &all,
                        Routing::FirstPools,
                    );
                    match start[k].lines[p] {
                        Some((h, pat)) if busy[p][k] > 1e-9 => fewest(sc, &offer, p, busy[p][k], h, pat, targets),
                        _ if busy[p][k] > 1e-9 => fewest(sc, &offer, p, busy[p][k], 300.0, None, targets),
                        _ => 0,
                    }
                })
                .collect()
        })
        .collect()
}

/// Mean handle and patience of the work pool `p` meets; `None` when it meets none.
fn line_of(sc: &Scenario, offer: &PoolOffer, p: usize) -> Option<(f64, Option<f64>)> {
    let load = offer.erlangs[p];
    if load <= 1e-9 || offer.calls[p] <= 0.0 {
        return None;
    }
    let handle = load / offer.calls[p];
    // Load-weighted mean patience; Erlang C when callers who never hang up bring any of it.
    let mut weighted = 0.0;
    let mut patient = true;
    for (c, ct) in sc.callers.iter().enumerate() {
        let e = offer.by_caller[c][p];
        if e <= 0.0 {
            continue;
        }
        match &ct.patience {
            Some(d) => weighted += e * d.mean(),
            None => patient = false,
        }
    }
    Some((handle, (patient && weighted > 0.0).then(|| weighted / load)))
}

/// The fewest agents for `load` erlangs on pool `p`, under the targets that
/// concern it (a queue's: on each pool answering the queue, as if its whole
/// line were the queue's). The channel times are the simulation's alone.
fn fewest(
    sc: &Scenario,
    offer: &PoolOffer,
    p: usize,
    load: f64,
    handle: f64,
    patience: Option<f64>,
    targets: &[StaffTarget],
) -> u32 {
    let goals: Vec<_> = targets
        .iter()
        .filter_map(|t| t.line().map(|line| (&t.scope, line)))
        .filter(|(scope, line)| match (scope, line.goal) {
            (Scope::Pool(q), _) => q.index() == p,
            (Scope::Caller(c), _) => offer.by_caller[c.index()][p] > 0.0,
            (Scope::Queue(q), _) => sc.queues[q.index()].pools.iter().any(|(x, _)| x.index() == p),
            (Scope::All, Goal::AbandonRate(_)) => patience.is_some(),
            (Scope::All, _) => true,
        })
        .map(|(_, line)| line.clone())
        .collect();
    // An answer the formulas cannot give (an unreachable target) starts at the
    // fewest agents with a steady state; the simulation corrects it or says so.
    fewest_agents(load / handle, handle, patience, &goals).unwrap_or_else(|_| (load.floor() as u32) + 1)
}
