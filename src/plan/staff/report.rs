//! The answer of `shop staff` as the report shows it: per interval the agents
//! found, the formulas' start, scheduled heads and what the simulation
//! achieved (with its noise and the binding target), then the hours and money
//! against the file's staffing. Built here from the search's [`Answer`];
//! `report/staff.rs` renders it (table, markdown, CSV, JSON, HTML).

use indexmap::IndexMap;
use serde::Serialize;

use super::achieved::{achieved, binding, per_rep_intervals};
use super::confirm::{Confirmation, Confirmed, confirmed};
use super::{Answer, Request};
use crate::scenario::Scenario;
use crate::stats::r6;

/// What the simulation achieved in one interval (all callers dialed in it,
/// all replications pooled; occupancy per pool, time-weighted).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Achieved {
    /// Whose figures `service_level`, `abandon_rate` and `wait` are: the scope
    /// of the tightest service target in the interval (`queue claims`,
    /// `caller business`); absent when that is all callers together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub wait: Wait,
    /// All callers together, when `scope` is narrower.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_callers: Option<CallerAchieved>,
    pub occupancy: IndexMap<String, Option<f64>>,
    /// Per caller type, when a target is scoped to one.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub by_caller: IndexMap<String, CallerAchieved>,
    /// Per queue (the calls offered to it), when a target is scoped to one.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub by_queue: IndexMap<String, CallerAchieved>,
    /// Email response time (arrival to an agent starting on it), when a target bounds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_time: Option<Times>,
    /// Accepting a callback to the agent reaching the caller, when a target bounds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_callback: Option<Times>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Wait {
    /// Mean hold, s (a caller who hung up until they hung up).
    pub mean: Option<f64>,
    /// 95th percentile of the hold, s.
    pub p95: Option<f64>,
}

/// A channel time of the items that arrived in the interval, s.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Times {
    pub mean: Option<f64>,
    pub p95: Option<f64>,
}

/// One caller type's calls dialed in the interval, or the calls offered to one queue.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct CallerAchieved {
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub wait: Wait,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_time: Option<Times>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_callback: Option<Times>,
}

/// 95% intervals of the achieved figures (sectioning over replications): the
/// simulation's noise, for reading a fresh run of the written scenario. Of all
/// callers together only: null when `achieved.scope` is narrower (a queue's or
/// caller type's own figure per replication is not kept; the confirming run
/// gives each target's interval).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Noise {
    pub service_level: Option<[f64; 2]>,
    pub abandon_rate: Option<[f64; 2]>,
    pub wait_mean: Option<[f64; 2]>,
    pub wait_p95: Option<[f64; 2]>,
}

/// Why one pool's last agent in an interval stays.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PoolBinding {
    /// The target that breaks without it (or `--min-agents`).
    pub target: String,
    /// The interval where it breaks (the same one unless the queue spills over).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaks_in: Option<String>,
    /// The figure one agent fewer gives there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct StaffInterval {
    pub from: f64,
    pub to: f64,
    pub label: String,
    /// Agents on duty found, per pool searched.
    pub agents: IndexMap<String, u32>,
    /// With `availability`: agents × availability, the agents on the phones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_on_phones: Option<IndexMap<String, f64>>,
    /// The formulas' starting point (Erlang A or C on the load offered then),
    /// in agents on duty (the servers Erlang asks for ÷ availability).
    pub erlang: IndexMap<String, u32>,
    /// The load that starting point answered, erlangs.
    pub offered_erlangs: IndexMap<String, f64>,
    /// Heads to schedule: agents / (1 − shrinkage).
    pub scheduled: IndexMap<String, f64>,
    /// Agents on duty the file staffs now, mean over the interval (its shifts).
    pub current: IndexMap<String, f64>,
    pub achieved: Achieved,
    pub achieved_ci95: Noise,
    /// The target(s) one agent fewer (in any pool) breaks: why the staffing is minimal.
    pub binding: String,
    pub binding_by_pool: IndexMap<String, PoolBinding>,
}

/// A figure per pool and for all pools (`total`).
pub(crate) type PerPool = IndexMap<String, f64>;

/// The first interval and target no staffing within `--max-agents` meets.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct MissedTarget {
    pub interval: String,
    pub target: String,
    /// The target's figure there with the most agents allowed (a share, or seconds).
    pub value: f64,
}

/// What the search cost.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SearchCost {
    /// Simulations of the whole design run during the search.
    pub evaluations: u32,
    /// Replications of each.
    pub replications: u32,
}

/// A target the command added to the ones given, and why.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct AddedTarget {
    pub target: String,
    pub why: String,
}

/// The whole `shop staff` answer. Keys are the contract's (SCENARIO.md part 2) plus extras.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct StaffReport {
    pub scenario: String,
    pub seed: u64,
    pub replications: u32,
    /// Every target searched, as written (the added ones included).
    pub targets: Vec<String>,
    /// Targets the command added (an email caller type no target bounds gets
    /// its `response_target`), with why.
    pub added_targets: Vec<AddedTarget>,
    /// `--confidence`: the two-sided level at which a target's interval had to
    /// lie on the right side of its bound in the search (null: the pooled figure).
    pub confidence: Option<f64>,
    /// `--days-met`: the share of simulated days on which each target had to
    /// hold in each interval (null: the pooled figure decided).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_met: Option<f64>,
    /// The interval length, s.
    pub interval: f64,
    pub pools: Vec<String>,
    pub intervals: Vec<StaffInterval>,
    /// On-phone agent-hours a day of the staffing found, per pool and `total`.
    pub agent_hours: PerPool,
    /// The same for the file's staffing.
    pub current_agent_hours: PerPool,
    /// Paid hours a day: agent-hours / (1 − shrinkage).
    pub paid_hours: PerPool,
    pub current_paid_hours: PerPool,
    /// Paid hours × cost_per_hour, a day (null when a pool has no cost).
    pub cost_per_day: Option<PerPool>,
    pub current_cost_per_day: Option<PerPool>,
    pub meets_targets: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmet: Option<MissedTarget>,
    pub search: SearchCost,
    /// The confirming run (null with `--no-confirm`, or when no staffing was found).
    pub confirmed: Option<Confirmed>,
    /// With `--days-met`: the plan staffed for the mean day (the pooled
    /// figures, as without `--days-met`), what it costs and how many days it
    /// meets on the same confirming seed: what the extra agents buy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_day_plan: Option<MeanDayPlan>,
    /// The file `--write` wrote, for the notes.
    #[serde(skip)]
    pub written: Option<String>,
}

/// The mean-day plan beside a `--days-met` plan.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct MeanDayPlan {
    pub agent_hours: PerPool,
    pub paid_hours: PerPool,
    pub cost_per_day: Option<PerPool>,
    /// On the confirming run's seed: on what share of the days it meets the targets.
    pub days_met: Option<super::confirm::DaysMetFigures>,
}

impl MeanDayPlan {
    /// The plan for the mean day (`req`'s search without `--days-met`),
    /// confirmed on `seed` (the `--days-met` plan's confirming seed) and its
    /// days counted as `req`'s are.
    pub(crate) fn search(req: &Request, original: &Scenario, seed: u64) -> Result<MeanDayPlan, String> {
        let mean = Request { days_met: None, ..req.clone() };
        let answer = super::search(&mean)?;
        // Confirmed under `req` (its --days-met share counted), with the mean-day staffing.
        let c = super::confirm::confirm(req, &answer, seed)?;
        let r = StaffReport::build(&mean, original, &answer, Some(&c));
        Ok(MeanDayPlan {
            agent_hours: r.agent_hours,
            paid_hours: r.paid_hours,
            cost_per_day: r.cost_per_day,
            days_met: r.confirmed.and_then(|c| c.days_met),
        })
    }
}

impl StaffReport {
    /// The report of this answer; `original`: the design as the file staffs it.
    pub(crate) fn build(req: &Request, original: &Scenario, a: &Answer, c: Option<&Confirmation>) -> StaffReport {
        let sc = &req.scenario;
        let day = &sc.intervals;
        let per_rep = per_rep_intervals(&a.runs);
        let intervals = (0..day.count())
            .map(|k| {
                let (from, to) = day.bounds(k);
                let per_pool = |f: &dyn Fn(usize) -> f64| -> IndexMap<String, f64> {
                    req.pools.iter().map(|&p| (sc.pools[p].name.clone(), f(p))).collect()
                };
                let (achieved, achieved_ci95) = achieved(req, a, &per_rep, k);
                let (binding, binding_by_pool) = binding(req, a, k);
                StaffInterval {
                    from: r6(from.as_secs_f64()),
                    to: r6(to.as_secs_f64()),
                    label: day.label(k),
                    agents: req.pools.iter().map(|&p| (sc.pools[p].name.clone(), a.agents[p][k])).collect(),
                    agents_on_phones: sc
                        .uses_availability()
                        .then(|| per_pool(&|p| r6(f64::from(a.agents[p][k]) * sc.pools[p].availability))),
                    erlang: req.pools.iter().map(|&p| (sc.pools[p].name.clone(), a.start[k].agents[p])).collect(),
                    offered_erlangs: per_pool(&|p| r6(a.start[k].erlangs[p])),
                    scheduled: per_pool(&|p| r6(f64::from(a.agents[p][k]) / (1.0 - sc.pools[p].shrinkage))),
                    current: per_pool(&|p| r6(original.pools[p].mean_agents(from, to))),
                    achieved,
                    achieved_ci95,
                    binding,
                    binding_by_pool,
                }
            })
            .collect();
        let horizon = sc.horizon.as_secs_f64();
        let found = |p: usize| -> f64 {
            if req.pools.contains(&p) {
                (0..day.count())
                    .map(|k| {
                        let (f, t) = day.bounds(k);
                        f64::from(a.agents[p][k]) * (t.as_secs_f64() - f.as_secs_f64())
                    })
                    .sum::<f64>()
                    / 3600.0
            } else {
                current(original, p, horizon)
            }
        };
        let now = |p: usize| current(original, p, horizon);
        let hours = |h: &dyn Fn(usize) -> f64| with_total(sc, |p| r6(h(p)));
        let paid = |h: &dyn Fn(usize) -> f64| with_total(sc, |p| r6(h(p) / (1.0 - sc.pools[p].shrinkage)));
        let cost = |h: &dyn Fn(usize) -> f64| -> Option<PerPool> {
            sc.pools.iter().all(|p| p.cost_per_hour.is_some()).then(|| {
                with_total(sc, |p| {
                    let pool = &sc.pools[p];
                    r6(h(p) / (1.0 - pool.shrinkage) * pool.cost_per_hour.unwrap_or(0.0))
                })
            })
        };
        StaffReport {
            scenario: sc.name.clone(),
            seed: sc.seed,
            replications: sc.replications,
            targets: req.targets.iter().map(|t| t.text.clone()).collect(),
            added_targets: Vec::new(),
            confidence: req.confidence,
            days_met: req.days_met,
            interval: r6(day.length.as_secs_f64()),
            pools: req.pools.iter().map(|&p| sc.pools[p].name.clone()).collect(),
            intervals,
            agent_hours: hours(&found),
            current_agent_hours: hours(&now),
            paid_hours: paid(&found),
            current_paid_hours: paid(&now),
            cost_per_day: cost(&found),
            current_cost_per_day: cost(&now),
            meets_targets: a.unmet.is_none(),
            unmet: a.unmet.as_ref().map(|u| MissedTarget {
                interval: day.label(u.interval),
                target: req.targets[u.target].text.clone(),
                value: r6(u.value),
            }),
            search: SearchCost { evaluations: a.evaluations, replications: sc.replications },
            confirmed: c.map(|c| confirmed(req, c)),
            mean_day_plan: None,
            written: None,
        }
    }
}

/// Mean agents on duty in `[a, b)` under these shifts.
fn mean_agents(shifts: &[(crate::time::SimTime, u32)], a: f64, b: f64) -> f64 {
    let mut total = 0.0;
    for (i, (from, n)) in shifts.iter().enumerate() {
        let s = from.as_secs_f64().max(a);
        let e = shifts.get(i + 1).map_or(b, |x| x.0.as_secs_f64()).min(b);
        if e > s {
            total += f64::from(*n) * (e - s);
        }
    }
    total / (b - a)
}

/// Agent-hours a day of pool `p` under the file's shifts.
fn current(sc: &Scenario, p: usize, horizon: f64) -> f64 {
    mean_agents(&sc.pools[p].shifts, 0.0, horizon) * horizon / 3600.0
}

fn with_total(sc: &Scenario, f: impl Fn(usize) -> f64) -> PerPool {
    let mut m: PerPool = sc.pools.iter().enumerate().map(|(p, pool)| (pool.name.clone(), f(p))).collect();
    let total = r6(m.values().sum());
    m.insert("total".into(), total);
    m
}
