//! `shop staff`: the fewest agents per pool and interval that meet the targets
//! in every interval. Three steps (docs/staffing.md):
//!
//! 1. [`start`]: the formulas' answer per pool and interval, from the load the
//!    pool meets then (Erlang A or C);
//! 2. [`correct`]: the simulation, always on the same seed (common random
//!    numbers), corrects it interval by interval in time order, adding an agent
//!    where a target is missed to the pool that helps most per paid hour;
//! 3. [`prove`]: tries removing one agent from each pool in each interval and
//!    keeps a removal only if every target still holds everywhere; every agent
//!    kept is named with the target that breaks without it.

mod achieved;
pub mod confirm;
pub mod correct;
pub mod flags;
mod parse;
pub mod prove;
pub mod replicate;
pub mod report;
pub mod start;
pub mod targets;
pub mod write;

use crate::scenario::Scenario;
use crate::stats::collect::{IntervalStats, Runs};
use crate::stats::interval_detail::{IntervalDetail, Wanted};
use crate::time::SimTime;

pub use start::Start;
pub use targets::{Miss, StaffTarget};

/// What to search for.
#[derive(Clone, Debug)]
pub struct Request {
    /// The design, with seed, replications, interval and service-level threshold set.
    pub scenario: Scenario,
    pub targets: Vec<StaffTarget>,
    /// Indexes of the pools searched, in file order; the others keep their shifts.
    pub pools: Vec<usize>,
    /// Fewest agents per pool and interval; `None`: 1 while work is offered to the pool, else 0.
    pub min_agents: Option<u32>,
    /// Most agents per pool and interval.
    pub max_agents: u32,
    /// `--confidence`: a target holds in an interval only when its interval
    /// at this two-sided level (0.95: the report's 95% intervals) lies on the
    /// right side of the bound; `None`: when the pooled figure meets it.
    pub confidence: Option<f64>,
    /// `--days-met`: a target holds in an interval only when it holds there
    /// on at least this share of the replications (each one's own figure).
    pub days_met: Option<f64>,
    pub threads: Option<usize>,
}

impl Request {
    /// The per-queue and channel counts by interval the targets need: the
    /// queues they are scoped to, and the channel times if one bounds them.
    pub fn wanted(&self) -> Wanted {
        let mut w = Wanted::default();
        for t in &self.targets {
            if let targets::Scope::Queue(q) = t.scope {
                if !w.queues.contains(&q) {
                    w.queues.push(q);
                }
            }
        }
        w
    }
}

/// One simulation of the design under a staffing ([`replicate::simulate`]).
#[derive(Clone, Debug)]
pub struct Simulated {
    pub runs: Runs,
    /// Per-queue and channel counts by interval, all replications pooled:
    /// counted only when a target needs them ([`Request::wanted`]).
    pub detail: Option<IntervalDetail>,
    /// All callers together per interval, all replications pooled.
    pub all: Vec<IntervalStats>,
    /// Each replication's own figure of every target in every interval, when
    /// a 95% interval of them is needed (`--confidence`, the confirming run).
    pub daily: Option<replicate::Daily>,
}

/// Why an agent stays: the target that breaks without it, and where.
#[derive(Clone, Debug, PartialEq)]
pub enum Binding {
    /// Removing it misses `target` (an index into the request's targets) in `interval`.
    Target { target: usize, interval: usize, value: f64 },
    /// The pool is at `--min-agents` in this interval.
    AtMinimum,
}

/// A target no staffing within `--max-agents` meets.
#[derive(Clone, Debug, PartialEq)]
pub struct Unmet {
    pub interval: usize,
    pub target: usize,
    pub value: f64,
}

/// The search's answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// Agents by pool then interval: `agents[p][k]` (pools not searched: their mean on duty, rounded).
    pub agents: Vec<Vec<u32>>,
    /// The formulas' starting point, per interval.
    pub start: Vec<Start>,
    /// The found staffing simulated with the file's replications and seed.
    pub runs: Runs,
    /// Its per-queue and channel counts by interval, when a target needed them.
    pub detail: Option<IntervalDetail>,
    /// Why each agent stays, by pool then interval (`None` for pools not searched or with no agent).
    pub binding: Vec<Vec<Option<Binding>>>,
    /// The first interval and target no staffing within the bounds meets, if any.
    pub unmet: Option<Unmet>,
    /// Simulations run (each of every replication).
    pub evaluations: u32,
}

/// The design with these agents per pool and interval as shifts (searched pools only).
pub fn with_staffing(sc: &Scenario, pools: &[usize], agents: &[Vec<u32>]) -> Scenario {
    let mut out = sc.clone();
    for &p in pools {
        out.pools[p].shifts = shifts(sc, &agents[p]);
        out.pools[p].rota.clear();
        out.pools[p].steps = out.pools[p].shifts.iter().map(|&(t, n)| (t, f64::from(n))).collect();
    }
    out
}

/// One count per interval as shifts: a step where the count changes.
pub fn shifts(sc: &Scenario, counts: &[u32]) -> Vec<(SimTime, u32)> {
    let mut steps: Vec<(SimTime, u32)> = Vec::new();
    for (k, &n) in counts.iter().enumerate() {
        if steps.last().is_none_or(|s| s.1 != n) {
            steps.push((sc.intervals.bounds(k).0, n));
        }
    }
    steps
}

/// Runs the simulations of one search, counting them.
pub(crate) struct Search<'a> {
    pub req: &'a Request,
    pub evaluations: u32,
    /// Which pools can help each caller type (`[caller][pool]`).
    pub serving: Vec<Vec<bool>>,
}

impl Search<'_> {
    /// The design with this staffing simulated (its per-queue and channel
    /// counts by interval too, when a target needs them).
    pub fn simulate(&mut self, agents: &[Vec<u32>]) -> Result<Simulated, String> {
        self.evaluations += 1;
        let sc = with_staffing(&self.req.scenario, &self.req.pools, agents);
        replicate::simulate(self.req, &sc, self.req.confidence.is_some() || self.req.days_met.is_some())
    }

    /// Every target missed in interval `k`, in the request's order.
    pub fn misses(&self, sim: &Simulated, k: usize) -> Vec<(usize, Miss)> {
        let (pools, confidence, days_met) = (&self.req.pools, self.req.confidence, self.req.days_met);
        self.req
            .targets
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.miss(i, sim, k, pools, confidence, days_met).map(|m| (i, m)))
            .collect()
    }

    /// A miss anywhere in the day: in interval `first` if there is one, else
    /// the earliest. Returns (interval, target, miss).
    pub fn first_miss(&self, sim: &Simulated, first: usize) -> Option<(usize, usize, Miss)> {
        std::iter::once(first)
            .chain((0..sim.runs.pooled.interval_count()).filter(|&k| k != first))
            .find_map(|k| self.misses(sim, k).first().map(|(t, m)| (k, *t, *m)))
    }

    /// Total shortfall of interval `k` (0 when every target holds).
    pub fn shortfall(&self, sim: &Simulated, k: usize) -> f64 {
        self.misses(sim, k).iter().map(|(_, m)| m.shortfall).sum()
    }

    /// Money (or, without `cost_per_hour`, hours) one on-phone agent-hour of pool `p` is paid.
    pub fn paid_rate(&self, p: usize) -> f64 {
        let pool = &self.req.scenario.pools[p];
        pool.cost_per_hour.unwrap_or(1.0) / (1.0 - pool.shrinkage)
    }
}

/// Searches the fewest agents meeting the targets (see the module's steps).
pub fn search(req: &Request) -> Result<Answer, String> {
    let sc = &req.scenario;
    let k_count = sc.intervals.count();
    let start = start::analytic(sc, &req.targets);
    let min_at = |p: usize, k: usize| match req.min_agents {
        Some(m) => m,
        None => u32::from(start[k].erlangs[p] > 1e-9),
    };
    // Pools not searched keep their shifts; shown as their count at each interval's start.
    let mut agents: Vec<Vec<u32>> = (0..sc.pools.len())
        .map(|p| (0..k_count).map(|k| sc.pools[p].agents_at(sc.intervals.bounds(k).0)).collect())
        .collect();
    let mut s = Search { req, evaluations: 0, serving: start::serving(sc) };
    // Calibration: one simulation staffed generously shows the load each pool
    // really carries (redials, overflow, transfers); the formulas again on it.
    for &p in &req.pools {
        for k in 0..k_count {
            let generous = (f64::from(start[k].agents[p]) * 1.3).ceil() as u32 + 1;
            agents[p][k] = generous.clamp(min_at(p, k), req.max_agents.max(min_at(p, k)));
        }
    }
    let wide = s.simulate(&agents)?;
    let busy: Vec<Vec<f64>> = (0..sc.pools.len())
        .map(|p| {
            (0..k_count)
                .map(|k| {
                    let st = wide.runs.pooled.pool_interval(k, p);
                    if st.span > 0 { st.busy as f64 / st.span as f64 } else { 0.0 }
                })
                .collect()
        })
        .collect();
    let calibrated = start::recalibrated(sc, &start, &busy, &req.targets);
    for &p in &req.pools {
        for k in 0..k_count {
            agents[p][k] = calibrated[p][k].clamp(min_at(p, k), req.max_agents.max(min_at(p, k)));
        }
    }
    let bounds = correct::Bounds { min: &min_at, max: req.max_agents };
    let (sim, unmet) = correct::forward(&mut s, &mut agents, &bounds)?;
    let (sim, binding) = match unmet {
        Some(_) => (sim, vec![vec![None; k_count]; sc.pools.len()]),
        None => prove::minimal(&mut s, &mut agents, &bounds, sim)?,
    };
    let Simulated { runs, detail, .. } = sim;
    Ok(Answer { agents, start, runs, detail, binding, unmet, evaluations: s.evaluations })
}
