//! `shop schedule`: from the agents each pool needs per interval (`shop
//! staff`'s answer) to shifts with breaks, at least cost (docs/schedule.md):
//!
//! 1. [`columns`]: every shift type × allowed start × placement of its
//!    breaks on a grid of time slots (Dantzig's set covering with explicit
//!    break columns);
//! 2. [`lp`]: the linear relaxation (`good_lp`, pure-Rust `microlp`): the
//!    lower bound every answer's gap is measured against;
//! 3. [`round`]: round down, cover what is short with the cheapest shifts,
//!    drop those that became redundant;
//! 4. [`repair`]: simulate the roster, add the cheapest shift covering each
//!    interval that misses a target, and confirm on a fresh seed.

pub mod columns;
#[cfg(test)]
mod fixtures;
pub mod limits;
pub mod lp;
pub mod repair;
pub mod report;
pub mod requirement;
pub mod round;
pub mod rules;
pub mod write;

use columns::{Column, Grid};
use lp::Relaxed;
use requirement::Requirement;
use rules::Rules;

use crate::scenario::Scenario;
use crate::scenario::rota::RotaShift;
use crate::time::{SimDuration, SimTime};

/// How to cover.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// `--soft`: money per agent-hour left short, instead of covering every slot.
    pub penalty: Option<f64>,
}

/// One pool's covering: its columns, requirement per slot, relaxation and roster.
#[derive(Clone, Debug)]
pub struct PoolPlan {
    pub pool: usize,
    pub cols: Vec<Column>,
    /// Agents needed per slot (the requirement as given).
    pub need: Vec<f64>,
    /// Agents needed per slot after the simulation's repairs.
    pub raised: Vec<f64>,
    /// The relaxation of the requirement as given: the lower bound.
    pub lp: Relaxed,
    /// The relaxation of the requirement after the simulation's repairs (when it rose).
    pub lp_raised: Option<Relaxed>,
    /// Money per agent-slot short with `--soft`.
    pub penalty: Option<f64>,
    /// Copies of each column: the roster found by covering (before the simulation).
    pub covered: Vec<u32>,
    /// Copies of each column: the roster after the simulation's repairs.
    pub counts: Vec<u32>,
}

impl PoolPlan {
    pub fn cost(&self, counts: &[u32]) -> f64 {
        self.cols.iter().zip(counts).map(|(c, n)| c.cost * f64::from(*n)).sum()
    }

    pub fn hours(&self, counts: &[u32]) -> f64 {
        self.cols.iter().zip(counts).map(|(c, n)| c.hours * f64::from(*n)).sum()
    }

    /// The relaxation's paid hours.
    pub fn lp_hours(&self) -> f64 {
        self.cols.iter().zip(&self.lp.x).map(|(c, x)| c.hours * x).sum()
    }
}

/// Money per paid hour of the dearest shift of the columns (the default
/// penalty's unit).
fn dearest_hour(cols: &[Column]) -> f64 {
    cols.iter().map(|c| c.cost / c.hours.max(1e-9)).fold(0.0, f64::max).max(1e-9)
}

/// The default `--soft` penalty: an agent-hour short costs twice the dearest paid hour.
pub const DEFAULT_PENALTY_HOURS: f64 = 2.0;

/// Covers each scheduled pool's requirement (steps 1–3). Refuses a slot that
/// needs agents and that no shift can cover, unless `--soft`.
pub fn cover(sc: &Scenario, rules: &Rules, req: &Requirement, opts: &Options) -> Result<(Grid, Vec<PoolPlan>), String> {
    let horizon = sc.horizon.as_secs_f64().round() as u64;
    let interval = sc.intervals.length.as_secs_f64().round() as u64;
    let grid = Grid::new(rules, interval, horizon)?;
    let mut plans = Vec::new();
    for &p in &rules.pools {
        let pool = &sc.pools[p];
        let cols = columns::enumerate(rules, &grid, pool.cost_per_hour)?;
        let need: Vec<f64> =
            (0..grid.slots).map(|s| req.need[p].get(grid.interval_of(s)).copied().unwrap_or(0.0)).collect();
        let mut coverable = vec![false; grid.slots];
        for c in &cols {
            for &s in &c.covers {
                coverable[s as usize] = true;
            }
        }
        let bare: Vec<usize> = (0..grid.slots).filter(|&s| need[s] > 0.0 && !coverable[s]).collect();
        if opts.penalty.is_none()
            && let Some(&s) = bare.first()
        {
            let k = grid.interval_of(s);
            return Err(format!(
                "error: pool `{}` needs {} agents in {}, and no shift of the rules can cover it (from {} on the clock \
                 no shift type is on the phones)\n  help: widen a shift type's start window or opening hours to reach it, \
                 or give --soft to leave it short and named",
                pool.name,
                req.need[p][k],
                sc.intervals.label(k),
                sc.intervals.clock(SimTime::ZERO + SimDuration::from_secs_f64((s as u64 * grid.slot) as f64))
            ));
        }
        let penalty = opts.penalty.map(|per_hour| per_hour * dearest_hour(&cols) * grid.hours());
        let zero = vec![0u32; cols.len()];
        let problem = lp::Problem { cols: &cols, types: &rules.types, need: &need, fixed: &zero, penalty };
        let relaxed = lp::solve(&problem).map_err(|e| format!("error: pool `{}`: {e}", pool.name))?;
        let counts = round::integer(&problem, &relaxed).map_err(|e| format!("error: pool `{}`: {e}", pool.name))?;
        plans.push(PoolPlan {
            pool: p,
            raised: need.clone(),
            need,
            lp: relaxed,
            lp_raised: None,
            penalty,
            covered: counts.clone(),
            counts,
            cols,
        });
    }
    Ok((grid, plans))
}

/// The roster of one pool as the scenario's `shifts:`, in order of start.
pub fn rota(plan: &PoolPlan, rules: &Rules) -> Vec<RotaShift> {
    let secs = |s: u64| SimDuration::from_secs_f64(s as f64);
    let mut order: Vec<usize> = (0..plan.cols.len()).filter(|&j| plan.counts[j] > 0).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&plan.cols[a], &plan.cols[b]);
        (x.start, x.kind, &x.breaks).cmp(&(y.start, y.kind, &y.breaks))
    });
    order
        .into_iter()
        .map(|j| {
            let c = &plan.cols[j];
            RotaShift {
                start: SimTime::ZERO + secs(c.start),
                end: SimTime::ZERO + secs(c.start + rules.types[c.kind].length),
                count: plan.counts[j],
                breaks: c.breaks.iter().map(|&(a, l)| (secs(a), secs(l))).collect(),
            }
        })
        .collect()
}

/// The design with each scheduled pool working its roster.
pub fn design(sc: &Scenario, rules: &Rules, plans: &[PoolPlan]) -> Scenario {
    let mut out = sc.clone();
    for plan in plans {
        let pool = &mut out.pools[plan.pool];
        pool.rota = rota(plan, rules);
        pool.steps = crate::scenario::rota::steps(&pool.rota);
        pool.shifts = crate::scenario::roster::lower(&pool.steps, &sc.intervals);
    }
    out
}
