//! Step 2: the simulation corrects the formulas interval by interval, in time
//! order. Every evaluation runs on the same seed (common random numbers: the
//! same callers, the same draws), so adding an agent in interval `k` changes
//! nothing before it, and an interval once met stays met while later ones are
//! corrected. An under-staffed morning sends its redials and its queue into
//! the afternoon: correcting in time order sees that before the afternoon is judged.

use super::targets::Scope;
use super::{Search, Simulated, Unmet};
use crate::stats::metric::Metric;

/// Agents allowed per pool and interval.
pub struct Bounds<'a> {
    pub min: &'a dyn Fn(usize, usize) -> u32,
    pub max: u32,
}

/// Adding agents that change nothing this many times in a row in one interval
/// ends its correction: the target is out of the agents' reach (a menu, a capacity).
const STALLED_AFTER: u32 = 12;

/// Adds agents until every interval meets every target, or says which interval
/// and target no staffing within the bounds meets (the first such). Returns the
/// last simulation (of the staffing left in `agents`).
pub fn forward(s: &mut Search, agents: &mut [Vec<u32>], bounds: &Bounds) -> Result<(Simulated, Option<Unmet>), String> {
    let k_count = s.req.scenario.intervals.count();
    let mut runs = s.simulate(agents)?;
    let mut unmet: Option<Unmet> = None;
    for k in 0..k_count {
        let mut stalled = 0;
        loop {
            let misses = s.misses(&runs, k);
            let Some(&(first, miss)) = misses.first() else { break };
            let candidates: Vec<usize> =
                helpers(s, &runs, k, &misses).into_iter().filter(|&p| agents[p][k] < bounds.max).collect();
            if candidates.is_empty() || stalled >= STALLED_AFTER {
                unmet.get_or_insert(Unmet { interval: k, target: first, value: miss.value });
                break;
            }
            let before = s.shortfall(&runs, k);
            let (pool, next) = best_addition(s, agents, k, &candidates, &runs)?;
            agents[pool][k] += 1;
            let after = s.shortfall(&next, k);
            stalled = if after < before - 1e-12 { 0 } else { stalled + 1 };
            runs = next;
        }
    }
    Ok((runs, unmet))
}

/// The pools searched that can help with these misses in interval `k`: the pool
/// past an occupancy bound; for a caller type, the pools its calls reach; for
/// a queue, the pools answering it; for all callers, every pool searched with
/// work in the interval.
pub(crate) fn helpers(s: &Search, sim: &Simulated, k: usize, misses: &[(usize, super::Miss)]) -> Vec<usize> {
    let req = s.req;
    let mut out: Vec<usize> = Vec::new();
    for (t, m) in misses {
        for &p in &req.pools {
            let helps = match (&req.targets[*t].scope, m.pool) {
                (_, Some(q)) => p == q,
                (Scope::Caller(c), None) => s.serving[c.index()][p],
                (Scope::Queue(q), None) => req.scenario.queues[q.index()].pools.iter().any(|(x, _)| x.index() == p),
                _ => {
                    let worked = sim.runs.pooled.pool_interval(k, p).busy > 0;
                    worked || s.serving.iter().any(|row| row[p])
                }
            };
            if helps && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Tries one more agent in each candidate pool and keeps the one that cuts
/// the interval's shortfall most per paid hour (the cheapest pool when they
/// help alike). When none helps measurably, the busiest candidate (highest
/// occupancy in the interval) gets the agent. Returns the pool and its simulation.
fn best_addition(
    s: &mut Search,
    agents: &[Vec<u32>],
    k: usize,
    candidates: &[usize],
    now: &Simulated,
) -> Result<(usize, Simulated), String> {
    let mut trial = agents.to_vec();
    if let [only] = candidates {
        trial[*only][k] += 1;
        return Ok((*only, s.simulate(&trial)?));
    }
    let before = s.shortfall(now, k);
    let mut best: Option<(f64, usize, Simulated)> = None;
    for &p in candidates {
        trial[p][k] += 1;
        let runs = s.simulate(&trial)?;
        trial[p][k] -= 1;
        let gain = (before - s.shortfall(&runs, k)) / s.paid_rate(p);
        if best.as_ref().is_none_or(|b| gain > b.0) {
            best = Some((gain, p, runs));
        }
    }
    let (gain, p, runs) = best.ok_or("no pool to add an agent to")?;
    if gain > 1e-12 {
        return Ok((p, runs));
    }
    let busiest = candidates
        .iter()
        .copied()
        .max_by(|&a, &b| {
            let occ = |p: usize| Metric::Occupancy.of_pool(now.runs.pooled.pool_interval(k, p)).unwrap_or(0.0);
            occ(a).total_cmp(&occ(b)).then(s.paid_rate(b).total_cmp(&s.paid_rate(a)))
        })
        .unwrap_or(p);
    if busiest == p {
        return Ok((p, runs));
    }
    let mut t = agents.to_vec();
    t[busiest][k] += 1;
    Ok((busiest, s.simulate(&t)?))
}
