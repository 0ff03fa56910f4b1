//! Step 4: the roster simulated. Covering the requirement slot by slot is not
//! the same as meeting the targets: an agent due for a break finishes the call
//! in hand, a shift's last minutes take no new call's full length, and a
//! queue left at the end of one interval spills into the next. So the roster
//! is simulated on the search's seed (the targets judged as `shop staff`
//! judges them); in each interval that misses a target, the pool that can
//! help and has the least slack needs one agent more there, and the cheapest
//! shift covering that is added; until every interval meets its targets, or
//! for [`ROUNDS`] rounds. Then the roster is confirmed on a fresh seed.

use super::columns::{Grid, coverage};
use super::rules::Rules;
use super::{PoolPlan, design, round};
use crate::plan::staff::confirm::{Confirmation, confirm_design};
use crate::plan::staff::correct::helpers;
use crate::plan::staff::targets::Scope;
use crate::plan::staff::{Miss, Request, Search, Simulated as Run, replicate, start};
use crate::scenario::Scenario;

/// Simulate-and-repair rounds at most.
pub const ROUNDS: u32 = 12;

/// Raises of one interval in a row that do not cut its shortfall end its
/// repair: the target is out of the agents' reach there (a menu, a capacity).
const STALLED_AFTER: u32 = 3;

/// One shift added where the simulation missed a target.
#[derive(Clone, Debug, PartialEq)]
pub struct Repair {
    /// The round of simulation (1 for the first).
    pub round: u32,
    pub interval: usize,
    /// Index into the scenario's pools.
    pub pool: usize,
    /// Index into the request's targets: the first missed there.
    pub target: usize,
    /// Its figure in that round.
    pub value: f64,
    /// Index into the pool plan's columns: the shift added.
    pub added: usize,
}

/// An interval the simulation asked one agent more of, where no shift within
/// the rules' count and share limits could add one: left as it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Left {
    /// The round of simulation that asked.
    pub round: u32,
    pub interval: usize,
    /// Index into the scenario's pools.
    pub pool: usize,
    /// Index into the request's targets: the first missed there.
    pub target: usize,
    /// Its figure in that round.
    pub value: f64,
}

/// What the simulation of the roster gave.
#[derive(Clone, Debug)]
pub struct Simulated {
    pub repairs: Vec<Repair>,
    /// Intervals no shift within the limits could raise, each once.
    pub left: Vec<Left>,
    /// Rounds simulated on the search's seed.
    pub rounds: u32,
    /// Intervals still missing a target after the last round: (interval, target, figure).
    pub unmet: Vec<(usize, usize, f64)>,
    /// The roster on a fresh seed.
    pub confirmation: Confirmation,
    /// The design with the final roster.
    pub design: Scenario,
}

/// Simulates, repairs (unless `repair` is false: `--soft` keeps what it chose) and confirms on `seed`.
pub fn simulate(
    req: &Request,
    rules: &Rules,
    grid: &Grid,
    plans: &mut [PoolPlan],
    repair: bool,
    seed: u64,
) -> Result<Simulated, String> {
    let sc = &req.scenario;
    let s = Search { req, evaluations: 0, serving: start::serving(sc) };
    let daily = req.confidence.is_some() || req.days_met.is_some();
    let mut repairs = Vec::new();
    let mut unmet = Vec::new();
    let mut rounds = 0;
    // Per interval: its shortfall when last raised, and raises in a row that did not cut it.
    let mut last: Vec<Option<f64>> = vec![None; sc.intervals.count()];
    let mut stalled = vec![0u32; sc.intervals.count()];
    // Intervals no shift within the count and share limits can raise: not asked again.
    let mut blocked = vec![false; sc.intervals.count()];
    let mut left = Vec::new();
    for round in 1..=ROUNDS {
        rounds = round;
        let d = design(sc, rules, plans);
        let sim = replicate::simulate(req, &d, daily)?;
        unmet.clear();
        // (plan, interval, target, figure) of each raise this round, from the round's roster.
        let mut raises: Vec<(usize, usize, usize, f64)> = Vec::new();
        for k in 0..sc.intervals.count() {
            let misses = s.misses(&sim, k);
            let Some(&(target, miss)) = misses.first() else {
                last[k] = None;
                stalled[k] = 0;
                continue;
            };
            unmet.push((k, target, miss.value));
            let shortfall = s.shortfall(&sim, k);
            if let Some(before) = last[k] {
                stalled[k] = if shortfall < before - 1e-12 { 0 } else { stalled[k] + 1 };
            }
            last[k] = Some(shortfall);
            if !repair || round == ROUNDS || stalled[k] >= STALLED_AFTER || blocked[k] {
                continue;
            }
            if let Some(i) = pool_to_raise(&s, &sim, k, &misses, plans, grid) {
                raises.push((i, k, target, miss.value));
            }
        }
        if raises.is_empty() {
            break;
        }
        let covers: Vec<Vec<u32>> = plans.iter().map(|p| coverage(&p.cols, &p.counts, grid.slots)).collect();
        for &(i, k, _, _) in &raises {
            for x in (0..grid.slots).filter(|&x| grid.interval_of(x) == k) {
                let plan = &mut plans[i];
                plan.raised[x] = plan.raised[x].max(f64::from(covers[i][x])) + 1.0;
            }
        }
        for (i, plan) in plans.iter_mut().enumerate() {
            if !raises.iter().any(|r| r.0 == i) {
                continue;
            }
            let before = plan.counts.clone();
            let short = round::fill_within_limits(&plan.cols, &rules.types, &plan.raised, &mut plan.counts, &plan.lp.x);
            if !short.is_empty() {
                // The raise asked for more than the limits allow there: the
                // requirement of those slots stays what the roster gives.
                let cover = coverage(&plan.cols, &plan.counts, grid.slots);
                for &x in &short {
                    plan.raised[x] = f64::from(cover[x]);
                }
                for &(_, k, target, value) in raises.iter().filter(|r| r.0 == i) {
                    if short.iter().any(|&x| grid.interval_of(x) == k) && !blocked[k] {
                        blocked[k] = true;
                        left.push(Left { round, interval: k, pool: plan.pool, target, value });
                    }
                }
            }
            for (j, (n, b)) in plan.counts.iter().zip(&before).enumerate() {
                for _ in *b..*n {
                    // Named for the first interval raised this round that the shift covers.
                    let c = &plan.cols[j];
                    let at = raises
                        .iter()
                        .find(|r| r.0 == i && c.covers.iter().any(|&x| grid.interval_of(x as usize) == r.1))
                        .or_else(|| raises.iter().find(|r| r.0 == i));
                    if let Some(&(_, k, target, value)) = at {
                        repairs.push(Repair { round, interval: k, pool: plan.pool, target, value, added: j });
                    }
                }
            }
        }
    }
    for plan in plans.iter_mut().filter(|p| p.raised != p.need) {
        let zero = vec![0u32; plan.cols.len()];
        let problem = super::lp::Problem {
            cols: &plan.cols,
            types: &rules.types,
            need: &plan.raised,
            fixed: &zero,
            penalty: None,
        };
        plan.lp_raised = Some(super::lp::solve(&problem)?);
    }
    let d = design(sc, rules, plans);
    let confirmation = confirm_design(req, &d, seed)?;
    Ok(Simulated { repairs, left, rounds, unmet, confirmation, design: d })
}

/// The plan (index into `plans`) that gets one agent more in interval `k`:
/// for a miss of a pool's figure, that pool; for a queue's, the first
/// scheduled pool the queue tries (its own team before the overflow); else
/// the scheduled pool that can help with the least slack over the requirement there.
fn pool_to_raise(
    s: &Search,
    sim: &Run,
    k: usize,
    misses: &[(usize, Miss)],
    plans: &[PoolPlan],
    grid: &Grid,
) -> Option<usize> {
    let plan_of = |p: usize| plans.iter().position(|plan| plan.pool == p);
    let (target, miss) = misses.first()?;
    if let Some(i) = miss.pool.and_then(plan_of) {
        return Some(i);
    }
    if let Scope::Queue(q) = s.req.targets[*target].scope
        && let Some(i) = s.req.scenario.queues[q.index()].pools.iter().find_map(|(p, _)| plan_of(p.index()))
    {
        return Some(i);
    }
    let slots: Vec<usize> = (0..grid.slots).filter(|&x| grid.interval_of(x) == k).collect();
    let slack = |plan: &PoolPlan| {
        let cover = coverage(&plan.cols, &plan.counts, grid.slots);
        slots.iter().map(|&x| f64::from(cover[x]) - plan.raised[x]).fold(f64::INFINITY, f64::min)
    };
    helpers(s, sim, k, misses)
        .into_iter()
        .filter_map(plan_of)
        .min_by(|&a, &b| slack(&plans[a]).total_cmp(&slack(&plans[b])).then(a.cmp(&b)))
}
