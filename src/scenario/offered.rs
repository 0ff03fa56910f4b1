//! An estimate of the work offered to each agent pool, hour by hour, without
//! simulating: arrival rates × reason shares × the intended menu path (less
//! what self-service solves) × routing (a queue's calls shared among its pools
//! in proportion to their agents) × mean talk and wrap-up time, with
//! transfers followed. Menu and hold hang-ups and redials are left out, so the
//! estimate errs on the high side for patient designs and on the low side for
//! lines with many redials. `validate` uses it to flag pools with more work
//! than agents; `staff` starts its search from it, interval by interval.

use super::model::{CallerTypeId, PoolId, QueueId, Scenario};
use super::paths::{PathEnd, intended, reasons_of};
use crate::time::SimTime;

/// One stretch of the day with its offered load (erlangs) and agents on duty per pool.
#[derive(Clone, Debug)]
pub struct Interval {
    pub from: f64,
    pub to: f64,
    /// Erlangs offered, by pool index.
    pub erlangs: Vec<f64>,
    /// Mean agents on duty in the stretch, by pool index.
    pub agents: Vec<f64>,
}

/// Mean of a piecewise-constant step function over `[a, b)`.
fn mean_over(steps: &[(SimTime, f64)], a: f64, b: f64) -> f64 {
    let mut total = 0.0;
    for (i, (from, v)) in steps.iter().enumerate() {
        let s = from.as_secs_f64().max(a);
        let e = steps.get(i + 1).map_or(b, |n| n.0.as_secs_f64()).min(b);
        if e > s {
            total += v * (e - s);
        }
    }
    total / (b - a)
}

/// Hour by hour over `[0, horizon)` (the last stretch may be shorter).
pub fn offered_by_hour(sc: &Scenario) -> Vec<Interval> {
    let end = sc.horizon.as_secs_f64();
    let step = 3600.0_f64.min(end.max(1.0));
    let mut out = Vec::new();
    let mut a = 0.0;
    while a < end - 1e-9 {
        let b = (a + step).min(end);
        out.push(interval(sc, a, b));
        a = b;
    }
    out
}

fn interval(sc: &Scenario, a: f64, b: f64) -> Interval {
    let agents = agents_over(sc, a, b);
    let offer = offered_to_pools(sc, a, b, &agents, Routing::ByAgents);
    Interval { from: a, to: b, erlangs: offer.erlangs, agents }
}

/// Mean agents on duty per pool over `[a, b)`.
fn agents_over(sc: &Scenario, a: f64, b: f64) -> Vec<f64> {
    sc.pools
        .iter()
        .map(|p| mean_over(&p.shifts.iter().map(|(t, n)| (*t, f64::from(*n))).collect::<Vec<_>>(), a, b))
        .collect()
}

/// How a queue's calls are shared among its pools in the estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// In proportion to the agents on duty (every listed pool, overflow ones included).
    ByAgents,
    /// Among the pools that take calls at once (no `after:`), equally when none
    /// is staffed; an overflow pool only gets calls when the queue has no other.
    /// What a staffing search starts from: it must not assume the staffing it looks for.
    FirstPools,
}

/// The work offered to each pool over `[a, b)`, per second of that stretch.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolOffer {
    /// Erlangs offered, by pool index.
    pub erlangs: Vec<f64>,
    /// Calls per second reaching each pool (transfers included), by pool index.
    pub calls: Vec<f64>,
    /// Erlangs by caller type then pool: `by_caller[c][p]`.
    pub by_caller: Vec<Vec<f64>>,
}

/// The work offered to each pool over `[a, b)`, shared within queues per `routing`
/// (`agents`: mean agents on duty per pool, for [`Routing::ByAgents`]).
pub fn offered_to_pools(sc: &Scenario, a: f64, b: f64, agents: &[f64], routing: Routing) -> PoolOffer {
    let n = sc.pools.len();
    let mut offer =
        PoolOffer { erlangs: vec![0.0; n], calls: vec![0.0; n], by_caller: vec![vec![0.0; n]; sc.callers.len()] };
    for (ci, ct) in sc.callers.iter().enumerate() {
        let rate = mean_over(&ct.arrivals.steps, a, b); // calls per second
        if rate <= 0.0 {
            continue;
        }
        let c = CallerTypeId(ci as u16);
        let mut prev = 0.0;
        let shares: Vec<(super::ReasonId, f64)> = ct
            .reasons
            .iter()
            .map(|(r, cum)| {
                let s = cum - prev;
                prev = *cum;
                (*r, s)
            })
            .collect();
        let mut flow = Flow { sc, agents, routing, erlangs: vec![0.0; n], calls: vec![0.0; n] };
        for r in reasons_of(sc, c) {
            let share = shares.iter().find(|(x, _)| *x == r).map_or(0.0, |s| s.1);
            let path = intended(sc, c, r);
            let PathEnd::Queue(q) = path.end else { continue };
            let unsolved: f64 = path
                .hops
                .iter()
                .filter_map(|h| sc.nodes[h.node.index()].resolves.as_ref())
                .map(|res| 1.0 - res[r.index()])
                .product();
            flow.route(q, r, rate * share * unsolved, 0);
        }
        for p in 0..n {
            offer.erlangs[p] += flow.erlangs[p];
            offer.calls[p] += flow.calls[p];
            offer.by_caller[ci][p] = flow.erlangs[p];
        }
    }
    offer
}

/// One caller type's calls followed through queues and transfers.
struct Flow<'a> {
    sc: &'a Scenario,
    agents: &'a [f64],
    routing: Routing,
    erlangs: Vec<f64>,
    calls: Vec<f64>,
}

impl Flow<'_> {
    /// The share of a queue's calls each of its pools takes.
    fn shares(&self, q: QueueId) -> Vec<(PoolId, f64)> {
        let listed = &self.sc.queues[q.index()].pools;
        let pools: Vec<PoolId> = match self.routing {
            Routing::ByAgents => listed.iter().map(|(p, _)| *p).collect(),
            Routing::FirstPools => {
                let first: Vec<PoolId> = listed.iter().filter(|(_, after)| after.0 == 0).map(|(p, _)| *p).collect();
                if first.is_empty() { listed.iter().take(1).map(|(p, _)| *p).collect() } else { first }
            }
        };
        let staffed: f64 = pools.iter().map(|p| self.agents[p.index()]).sum();
        pools
            .iter()
            .map(|p| {
                let part = match (self.routing, staffed > 0.0) {
                    (_, true) => self.agents[p.index()] / staffed,
                    (Routing::FirstPools, false) => 1.0 / pools.len() as f64,
                    (Routing::ByAgents, false) => 0.0,
                };
                (*p, part)
            })
            .collect()
    }

    /// Adds the work of `flow` calls per second about `r` reaching queue `q`, and
    /// of the transfers that follow, to each pool's erlangs.
    fn route(&mut self, q: QueueId, r: super::ReasonId, flow: f64, depth: u32) {
        let sc = self.sc;
        // Four transfers deep at most: the estimate stays cheap even for transfer loops.
        if flow <= 1e-12 || depth > sc.max_transfers.min(4) {
            return;
        }
        for (p, part) in self.shares(q) {
            if part <= 0.0 {
                continue;
            }
            let pool = &sc.pools[p.index()];
            let f = flow * part;
            self.calls[p.index()] += f;
            self.erlangs[p.index()] += f * (pool.handle[r.index()].mean() + pool.wrap_up.mean());
            if let Some(to) = pool.transfer[r.index()] {
                self.route(to, r, f * (1.0 - pool.resolves[r.index()]), depth + 1);
            }
        }
    }
}
