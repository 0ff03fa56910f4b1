//! An estimate of the work offered to each agent pool, hour by hour, without
//! simulating: arrival rates × reason shares × the intended menu path (less
//! what self-service solves) × routing (a queue's calls shared among its pools
//! in proportion to their agents) × mean talk and wrap-up time, with
//! transfers followed. Menu and hold hang-ups and redials are left out, so the
//! estimate errs on the high side for patient designs and on the low side for
//! lines with many redials. `validate` uses it to flag pools with more work
//! than agents.

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
    let agents: Vec<f64> = sc
        .pools
        .iter()
        .map(|p| mean_over(&p.shifts.iter().map(|(t, n)| (*t, f64::from(*n))).collect::<Vec<_>>(), a, b))
        .collect();
    let mut erlangs = vec![0.0; sc.pools.len()];
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
            route(sc, &agents, q, r, rate * share * unsolved, 0, &mut erlangs);
        }
    }
    Interval { from: a, to: b, erlangs, agents }
}

/// Adds the work of `flow` calls per second about `r` reaching queue `q`, and
/// of the transfers that follow, to each pool's erlangs.
fn route(sc: &Scenario, agents: &[f64], q: QueueId, r: super::ReasonId, flow: f64, depth: u32, erl: &mut [f64]) {
    // Four transfers deep at most: the estimate stays cheap even for transfer loops.
    if flow <= 1e-12 || depth > sc.max_transfers.min(4) {
        return;
    }
    let pools: Vec<PoolId> = sc.queues[q.index()].pools.iter().map(|(p, _)| *p).collect();
    let staffed: f64 = pools.iter().map(|p| agents[p.index()]).sum();
    for p in pools {
        let part = if staffed > 0.0 { agents[p.index()] / staffed } else { 0.0 };
        if part <= 0.0 {
            continue;
        }
        let pool = &sc.pools[p.index()];
        let f = flow * part;
        erl[p.index()] += f * (pool.handle[r.index()].mean() + pool.wrap_up.mean());
        if let Some(to) = pool.transfer[r.index()] {
            route(sc, agents, to, r, f * (1.0 - pool.resolves[r.index()]), depth + 1, erl);
        }
    }
}
