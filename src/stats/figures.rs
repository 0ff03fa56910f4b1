//! The report's figures, computed from per-replication statistics: pooled
//! counts and percentiles, and 95% intervals from the spread between
//! replications. The JSON report is this structure serialised as is; its keys
//! are the contract's (see `../shared/SCENARIO.md`).

use indexmap::IndexMap;
use serde::Serialize;

use super::ci::ci95;
use super::collect::{CallerStats, QueueStats, RepStats, Runs};
use super::r6;
use super::summary::Summary;
use crate::scenario::Scenario;

/// A share rounded for the report.
fn ratio(num: u64, den: u64) -> Option<f64> {
    super::ratio(num, den).map(r6)
}

/// A duration metric in seconds. `None` (JSON null) when nothing was measured.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Durations {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
    /// 95% interval of the mean, from the per-replication means (null with one replication).
    pub mean_ci95: Option<[f64; 2]>,
    /// 95% interval of the p95, from the per-replication p95s (null with one replication).
    pub p95_ci95: Option<[f64; 2]>,
    /// How many values (calls or journeys) these figures describe.
    pub count: u64,
}

impl Durations {
    fn build(pooled: &Summary, per_rep: &[&Summary]) -> Durations {
        let q = |p: f64| pooled.quantile(p).map(r6);
        let means: Vec<f64> = per_rep.iter().filter_map(|s| s.mean()).collect();
        let p95s: Vec<f64> = per_rep.iter().filter_map(|s| s.quantile(0.95)).collect();
        let full = |xs: &[f64]| if xs.len() == per_rep.len() { ci95(xs).map(|[a, b]| [r6(a), r6(b)]) } else { None };
        Durations {
            mean: pooled.mean().map(r6),
            p50: q(0.5),
            p90: q(0.9),
            p95: q(0.95),
            p99: q(0.99),
            max: pooled.max_secs().map(r6),
            mean_ci95: full(&means),
            p95_ci95: full(&p95s),
            count: pooled.count,
        }
    }
}

/// What callers lived through: overall, and per caller type.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CallerFigures {
    pub calls: u64,
    pub callers: u64,
    pub answered: u64,
    pub resolved: u64,
    pub abandoned_menu: u64,
    pub abandoned_queue: u64,
    pub blocked: u64,
    pub unresolved: u64,
    pub wait: Durations,
    pub menu_time: Durations,
    pub time_to_answer: Durations,
    pub time_to_resolution: Durations,
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub first_contact_resolution: Option<f64>,
    pub transfers_per_call: Option<f64>,
    /// Calls that reached a queue (the denominator of service level and abandon rate).
    pub reached_queue: u64,
}

impl CallerFigures {
    fn build(pooled: &CallerStats, per_rep: &[&CallerStats]) -> CallerFigures {
        let d = |f: fn(&CallerStats) -> &Summary| {
            Durations::build(f(pooled), &per_rep.iter().map(|c| f(c)).collect::<Vec<_>>())
        };
        CallerFigures {
            calls: pooled.calls,
            callers: pooled.callers,
            answered: pooled.answered,
            resolved: pooled.resolved,
            abandoned_menu: pooled.abandoned_menu,
            abandoned_queue: pooled.abandoned_queue,
            blocked: pooled.blocked,
            unresolved: pooled.unresolved,
            wait: d(|c| &c.wait),
            menu_time: d(|c| &c.menu_time),
            time_to_answer: d(|c| &c.time_to_answer),
            time_to_resolution: d(|c| &c.time_to_resolution),
            service_level: ratio(pooled.answered_within, pooled.reached_queue),
            abandon_rate: ratio(pooled.abandoned_queue, pooled.reached_queue),
            first_contact_resolution: ratio(pooled.first_contact_resolved, pooled.callers),
            transfers_per_call: ratio(pooled.transfers, pooled.calls),
            reached_queue: pooled.reached_queue,
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct QueueFigures {
    /// Calls offered to this queue (a transferred call counts in each queue it reaches).
    pub calls: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub blocked: u64,
    /// Hold per call in this queue.
    pub wait: Durations,
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PoolFigures {
    /// Busy share of staffed agent time during opening hours, wrap-up included.
    pub occupancy: Option<f64>,
    pub calls_handled: u64,
    /// Average agents on duty during opening hours.
    pub agents: f64,
}

/// The whole report of one run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    pub scenario: String,
    pub seed: u64,
    pub replications: u32,
    /// Seconds during which calls arrive, per replication.
    pub horizon: f64,
    /// The "answered within" threshold of `service_level`, in seconds.
    pub service_level_threshold: f64,
    pub overall: CallerFigures,
    pub by_caller: IndexMap<String, CallerFigures>,
    pub by_queue: IndexMap<String, QueueFigures>,
    pub by_pool: IndexMap<String, PoolFigures>,
}

impl Report {
    pub fn build(sc: &Scenario, runs: &Runs) -> Report {
        let reps = &runs.per_rep;
        let overall_per_rep: Vec<CallerStats> = reps.iter().map(RepStats::overall).collect();
        let overall = runs.pooled.overall();
        let by_caller = sc
            .callers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let per: Vec<&CallerStats> = reps.iter().map(|r| &r.by_caller[i]).collect();
                (c.name.clone(), CallerFigures::build(&runs.pooled.by_caller[i], &per))
            })
            .collect();
        let by_queue = sc
            .queues
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let per: Vec<&QueueStats> = reps.iter().map(|r| &r.by_queue[i]).collect();
                let pooled = &runs.pooled.by_queue[i];
                let waits: Vec<&Summary> = per.iter().map(|p| &p.wait).collect();
                let reached = pooled.calls;
                (
                    q.name.clone(),
                    QueueFigures {
                        calls: pooled.calls,
                        answered: pooled.answered,
                        abandoned: pooled.abandoned,
                        blocked: pooled.blocked,
                        wait: Durations::build(&pooled.wait, &waits),
                        service_level: ratio(pooled.answered_within, reached),
                        abandon_rate: ratio(pooled.abandoned, reached),
                    },
                )
            })
            .collect();
        let horizon_ticks = sc.horizon.0 as f64 * reps.len() as f64;
        let by_pool = sc
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let pooled = &runs.pooled.by_pool[i];
                let (busy, staffed, handled) = (pooled.busy, pooled.staffed, pooled.calls_handled);
                let occupancy = (staffed > 0).then(|| r6((busy as f64 / staffed as f64).min(1.0)));
                let agents = if horizon_ticks > 0.0 { r6(staffed as f64 / horizon_ticks) } else { 0.0 };
                (p.name.clone(), PoolFigures { occupancy, calls_handled: handled, agents })
            })
            .collect();
        let overall_refs: Vec<&CallerStats> = overall_per_rep.iter().collect();
        Report {
            scenario: sc.name.clone(),
            seed: sc.seed,
            replications: sc.replications,
            horizon: r6(sc.horizon.as_secs_f64()),
            service_level_threshold: r6(sc.service_level.as_secs_f64()),
            overall: CallerFigures::build(&overall, &overall_refs),
            by_caller,
            by_queue,
            by_pool,
        }
    }
}
