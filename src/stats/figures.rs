//! The report's figures, computed from per-replication statistics: pooled
//! counts and percentiles, and 95% intervals from the spread between
//! replications. The JSON report is this structure serialised as is; its keys
//! are the contract's (see `../shared/SCENARIO.md`).

use indexmap::IndexMap;
use serde::Serialize;

use super::collect::{CallerStats, QueueStats, RepStats, Runs};
use super::cost::CostFigures;
use super::intervals::{IntervalFigures, by_interval, within_noise_of, worst_interval};
use super::linear::{Parts, pseudo_values};
use super::metric::{Metric, Rate, Stat};
use super::r6;
use super::summary::Summary;
use crate::scenario::Scenario;

/// A figure of the catalogue, rounded for the report.
fn caller_figure(m: Metric, c: &CallerStats) -> Option<f64> {
    m.of_callers(c).map(r6)
}

/// The 95% interval of a pooled duration figure from its daily values
/// (sectioning: it always contains the figure), never below zero.
fn duration_ci95(stat: Stat, pooled: Option<f64>, days: &[Option<f64>]) -> Option<[f64; 2]> {
    if days.iter().any(Option::is_none) {
        return None;
    }
    let days: Vec<f64> = days.iter().flatten().copied().collect();
    stat.ci95(pooled?, &days).map(|[lo, hi]| [r6(lo.max(0.0)), r6(hi)])
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
    /// 95% interval of `mean`: centred on it, its width from the spread of the
    /// per-replication means weighted by their calls (a ratio estimator's
    /// standard error, see `super::linear`; null with one replication).
    pub mean_ci95: Option<[f64; 2]>,
    /// 95% interval of `p95`, likewise: Woodruff's, from how the share of each
    /// replication's calls at or below the pooled p95 varies.
    pub p95_ci95: Option<[f64; 2]>,
    /// How many values (calls or journeys) these figures describe.
    pub count: u64,
}

impl Durations {
    pub(super) fn build(pooled: &Summary, per_rep: &[&Summary]) -> Durations {
        let q = |st: Stat| st.of(pooled).map(r6);
        // Each day's value as the pooled figure's noise sees it (`super::linear`).
        let days = |st: Stat| {
            let parts: Vec<Parts> = per_rep.iter().map(|s| Parts::Durations(st, s)).collect();
            pseudo_values(Parts::Durations(st, pooled), &parts)
        };
        let (mean, p95) = (q(Stat::Mean), q(Stat::P95));
        Durations {
            mean,
            p50: q(Stat::P50),
            p90: q(Stat::P90),
            p95,
            p99: q(Stat::P99),
            max: q(Stat::Max),
            mean_ci95: duration_ci95(Stat::Mean, mean, &days(Stat::Mean)),
            p95_ci95: duration_ci95(Stat::P95, p95, &days(Stat::P95)),
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
    /// Hung up anywhere, in the menu or on hold / calls offered.
    pub hang_up_rate: Option<f64>,
    pub first_contact_resolution: Option<f64>,
    pub transfers_per_call: Option<f64>,
    /// Calls that reached a queue (the denominator of service level and abandon rate).
    pub reached_queue: u64,
    /// Channels, callbacks and day chains: present when the design uses them.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub channels: Option<super::channel_figures::ChannelFigures>,
    /// The worst and the 1-in-10 day: present when the design sets a `volume_spread`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub days: Option<super::days::DaySpread>,
}

impl CallerFigures {
    pub(super) fn build(pooled: &CallerStats, per_rep: &[&CallerStats]) -> CallerFigures {
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
            service_level: caller_figure(Metric::Rate(Rate::ServiceLevel), pooled),
            abandon_rate: caller_figure(Metric::Rate(Rate::AbandonRate), pooled),
            hang_up_rate: caller_figure(Metric::Rate(Rate::HangUpRate), pooled),
            first_contact_resolution: caller_figure(Metric::Rate(Rate::FirstContactResolution), pooled),
            transfers_per_call: caller_figure(Metric::Rate(Rate::TransfersPerCall), pooled),
            reached_queue: pooled.reached_queue,
            channels: None,
            days: None,
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
    /// Hold per call offered to this queue (a busy signal holds 0), as in `by_caller`.
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
    /// `agents` × the pool's `availability`: agents taking calls (files using `availability` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_on_phones: Option<f64>,
    /// Mean chats an agent holds while busy with chat (designs with chat callers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<Option<f64>>,
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
    /// How long callers held, per caller type: the survival curve of `wait`
    /// from the same pooled summaries as the figures above (see
    /// [`Summary::survival_points`]). For charts; not in the JSON report,
    /// whose figures already say the same in numbers.
    #[serde(skip)]
    pub hold_survival: IndexMap<String, Survival>,
    /// Consecutive days per replication (designs using channels or days).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The reporting interval, in seconds.
    pub interval: f64,
    /// The day interval by interval, in time order (calls by the interval they were dialed in).
    pub by_interval: Vec<IntervalFigures>,
    /// The interval with the lowest service level (ties: the highest p95 hold).
    pub worst_interval: Option<WorstInterval>,
    /// What the agents cost.
    pub cost: CostFigures,
    /// What the figures alone would hide (a backlog that grows day over day,
    /// a single day of email): designs using channels only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<super::backlog::RunWarning>,
    /// Each simulated day's figures: present when the design sets a `volume_spread`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_day: Vec<super::days::DayFigures>,
    /// A run from a snapshot (`run --from`): the snapshot, and when the queue
    /// clears. `by_interval` then starts at the snapshot's interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intraday: Option<crate::intraday::figures::IntradayFigures>,
}

/// Which interval was the worst, and by which rule.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WorstInterval {
    /// Its position in `by_interval`.
    pub index: usize,
    pub label: String,
    /// The 95% interval of its service level (from the replications' own figures).
    pub service_level_ci95: Option<[f64; 2]>,
    /// Other intervals whose service level's 95% interval overlaps this one's:
    /// this run cannot tell them from the worst (more replications can).
    pub within_noise: Vec<String>,
}

/// A survival curve: `(t seconds, share lasting at least t)`, from `(0, 1)` on.
pub type Survival = Vec<(f64, f64)>;

/// Points per survival curve: finer than any chart's pixels need.
pub const SURVIVAL_POINTS: usize = 240;

impl Report {
    /// A run from a snapshot: the report covers the snapshot's interval to
    /// the end of the day (the intervals before it, empty, are left out) and
    /// says when the queue clears.
    pub fn from_snapshot(mut self, sc: &Scenario, figures: crate::intraday::figures::IntradayFigures) -> Report {
        let at = sc.start.as_ref().map_or(crate::time::SimTime::ZERO, |s| s.at);
        let first = sc.intervals.index_of(at).min(self.by_interval.len());
        self.by_interval.drain(..first);
        self.worst_interval = self.worst_interval.take().and_then(|mut w| {
            w.index = w.index.checked_sub(first)?;
            Some(w)
        });
        self.intraday = Some(figures);
        self
    }

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
                (
                    q.name.clone(),
                    QueueFigures {
                        calls: pooled.calls,
                        answered: pooled.answered,
                        abandoned: pooled.abandoned,
                        blocked: pooled.blocked,
                        wait: Durations::build(&pooled.wait, &waits),
                        service_level: Metric::Rate(Rate::ServiceLevel).of_queue(pooled).map(r6),
                        abandon_rate: Metric::Rate(Rate::AbandonRate).of_queue(pooled).map(r6),
                    },
                )
            })
            .collect();
        let by_pool = sc
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let pooled = &runs.pooled.by_pool[i];
                let occupancy = Metric::Occupancy.of_pool(pooled).map(r6);
                let agents = Metric::Agents.of_pool(pooled).map_or(0.0, r6);
                let concurrency = sc.uses_chat().then(|| Metric::Concurrency.of_pool(pooled).map(r6));
                let agents_on_phones = sc.uses_availability().then(|| r6(agents * p.availability));
                (
                    p.name.clone(),
                    PoolFigures {
                        occupancy,
                        calls_handled: pooled.calls_handled,
                        agents,
                        agents_on_phones,
                        concurrency,
                    },
                )
            })
            .collect();
        let overall_refs: Vec<&CallerStats> = overall_per_rep.iter().collect();
        let hold_survival = sc
            .callers
            .iter()
            .zip(&runs.pooled.by_caller)
            .map(|(c, pooled)| (c.name.clone(), pooled.wait.survival_points(SURVIVAL_POINTS)))
            .collect();
        let by_interval = by_interval(sc, runs);
        let worst_interval = worst_interval(&runs.pooled.intervals()).map(|index| {
            let (service_level_ci95, close) = within_noise_of(runs, index);
            WorstInterval {
                index,
                label: by_interval[index].label.clone(),
                service_level_ci95,
                within_noise: close.into_iter().map(|k| by_interval[k].label.clone()).collect(),
            }
        });
        let days = reps.len() as u64 * u64::from(sc.days);
        let cost = CostFigures::build(sc, &runs.pooled.by_pool, days, &overall);
        let mut report = Report {
            scenario: sc.name.clone(),
            seed: sc.seed,
            replications: sc.replications,
            horizon: r6(sc.horizon.as_secs_f64()),
            service_level_threshold: r6(sc.service_level.as_secs_f64()),
            overall: CallerFigures::build(&overall, &overall_refs),
            by_caller,
            by_queue,
            by_pool,
            hold_survival,
            days: None,
            interval: r6(sc.intervals.length.as_secs_f64()),
            by_interval,
            worst_interval,
            cost,
            warnings: Vec::new(),
            by_day: Vec::new(),
            intraday: None,
        };
        if sc.reports_days() {
            report.add_days(sc, runs);
        }
        if sc.uses_channels() {
            super::channel_figures::add(&mut report, sc, runs, &overall, &overall_refs);
        }
        report
    }

    /// Adds each simulated day's figures (`by_day`) and the worst and 1-in-10
    /// days beside the pooled ones: done by [`Report::build`] for a design
    /// with a volume spread, and by `shop replay` (the log's days) always.
    pub fn add_days(&mut self, sc: &Scenario, runs: &Runs) {
        let days = super::days::by_day(sc, runs);
        self.overall.days = Some(super::days::DaySpread::of(days.iter().map(|d| &d.figures)));
        for (i, f) in self.by_caller.values_mut().enumerate() {
            f.days = Some(if days.iter().all(|d| d.by_caller.is_empty()) {
                super::days::DaySpread::of(days.iter().map(|d| &d.figures))
            } else {
                super::days::DaySpread::of(days.iter().filter_map(|d| d.by_caller.get_index(i).map(|c| c.1)))
            });
        }
        self.by_day = days;
    }
}
