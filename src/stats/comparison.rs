//! The comparison of two designs run on the same callers: every figure of
//! `Metric` per caller type, overall, per queue and per pool, as paired
//! differences. Writers in `report::compare` render it; `check` gates on it.

use indexmap::IndexMap;
use serde::Serialize;

use super::collect::{CallerStats, IntervalStats, PoolStats, RepStats, Runs};
use super::cost;
use super::day_pairs::paired_days;
use super::figures::{SURVIVAL_POINTS, Survival};
use super::intervals::worst_interval;
use super::linear::{Parts, pseudo_values};
use super::metric::{ABANDON_RATE, Metric, SERVICE_LEVEL, WAIT_P95};
use super::paired::{Paired, r6};
use super::summary::Summary;
use crate::scenario::{Channel, Scenario};

/// One design's simulated days.
pub struct Side<'a> {
    pub file: &'a str,
    pub scenario: &'a Scenario,
    pub runs: &'a Runs,
}

/// What identifies a design in the output.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Design {
    pub file: String,
    pub scenario: String,
    /// Seconds during which calls arrive, per replication.
    pub horizon: f64,
    /// The "answered within" threshold of `service_level`, in seconds.
    pub service_level_threshold: f64,
    /// Calls offered over all replications (redials included).
    pub calls: u64,
    /// Days that follow each other in one replication (`days`; left out when 1).
    #[serde(skip_serializing_if = "is_one")]
    pub days: u32,
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// Figures by metric (serialised by name: `wait.p95`, ...), worst cases first.
pub type Figures = IndexMap<Metric, Paired>;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Comparison {
    pub a: Design,
    pub b: Design,
    pub seed: u64,
    pub replications: u32,
    pub overall: Figures,
    pub by_caller: IndexMap<String, Figures>,
    pub by_queue: IndexMap<String, Figures>,
    pub by_pool: IndexMap<String, Figures>,
    /// The day interval by interval, intervals with the same bounds in both
    /// designs side by side (all callers; calls by the interval they were dialed in).
    pub by_interval: Vec<IntervalPair>,
    /// Each design's own worst interval (lowest service level, ties: highest
    /// p95 hold), and its figures: what `worst_interval.METRIC` gates read.
    pub worst_interval: WorstPair,
    /// What the agents cost in each design, beside what callers lived through.
    pub cost: CostPair,
    /// Caller types, queues and pools present in A only (not compared).
    pub only_in_a: OnlyIn,
    /// ... and in B only.
    pub only_in_b: OnlyIn,
    /// How long callers held in A and in B: survival curves of `wait` from the
    /// pooled summaries, per caller type in both designs and for all callers
    /// (named [`ALL_CALLERS`]). For charts; not in the JSON.
    #[serde(skip)]
    pub hold_survival: IndexMap<String, [Survival; 2]>,
    /// Caller types nobody of which holds on a line in either design (email):
    /// they have no hold, time to answer, service level or abandon rate.
    #[serde(skip)]
    pub off_line: Vec<String>,
    /// Both designs from one snapshot (`compare --from`): when the queue
    /// clears in each, paired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_clears: Option<crate::intraday::figures::ClearsPair>,
}

/// One interval of the day in both designs.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IntervalPair {
    pub from: f64,
    pub to: f64,
    pub label: String,
    /// `service_level`, `abandon_rate`, `wait.p95`.
    #[serde(flatten)]
    pub figures: Figures,
}

/// Each design's worst interval, and its figures paired: A's worst against B's
/// worst, which may be different intervals of the day.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct WorstPair {
    /// The label of A's worst interval; null when no call reached a queue.
    pub a: Option<String>,
    pub b: Option<String>,
    pub figures: Figures,
}

/// The cost figures of both designs: all pools, and each pool in both.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CostPair {
    pub total: Figures,
    pub by_pool: IndexMap<String, Figures>,
}

/// The metrics shown per interval.
pub const INTERVAL_METRICS: [Metric; 3] = [SERVICE_LEVEL, ABANDON_RATE, WAIT_P95];

/// Pairs every metric of `f` evaluated on A's and B's values, given per replication.
fn figures_of<T, U>(
    metrics: &[Metric],
    (a, b): (&[T], &[U]),
    (fa, fb): (impl Fn(Metric, &T) -> Option<f64>, impl Fn(Metric, &U) -> Option<f64>),
    pooled: (impl Fn(Metric) -> Option<f64>, impl Fn(Metric) -> Option<f64>),
) -> Figures {
    metrics
        .iter()
        .map(|&m| {
            let ra: Vec<Option<f64>> = a.iter().map(|x| fa(m, x)).collect();
            let rb: Vec<Option<f64>> = b.iter().map(|x| fb(m, x)).collect();
            (m, Paired::new(m, (pooled.0(m), pooled.1(m)), (&ra, &rb)))
        })
        .collect()
}

/// Intervals with the same bounds in both designs, side by side.
fn by_interval(a: &Side, b: &Side, ia: &[Vec<IntervalStats>], ib: &[Vec<IntervalStats>]) -> Vec<IntervalPair> {
    let (da, db) = (&a.scenario.intervals, &b.scenario.intervals);
    let (pa, pb) = (a.runs.pooled.intervals(), b.runs.pooled.intervals());
    (0..pa.len().min(pb.len()))
        .filter(|&k| da.bounds(k) == db.bounds(k))
        .map(|k| {
            let (from, to) = da.bounds(k);
            let figures = interval_figures(&INTERVAL_METRICS, (ia, ib), (&pa, &pb), (Some(k), Some(k)));
            IntervalPair { from: r6(from.as_secs_f64()), to: r6(to.as_secs_f64()), label: da.label(k), figures }
        })
        .collect()
}

/// Each design's worst interval, chosen on its pooled figures; the daily
/// figures are that same interval's on each day (so the interval's spread is
/// the day-to-day noise of one interval, not of a choice remade every day).
fn worst(a: &Side, b: &Side, ia: &[Vec<IntervalStats>], ib: &[Vec<IntervalStats>]) -> WorstPair {
    let (pa, pb) = (a.runs.pooled.intervals(), b.runs.pooled.intervals());
    let (ka, kb) = (worst_interval(&pa), worst_interval(&pb));
    let figures = interval_figures(&Metric::for_intervals(), (ia, ib), (&pa, &pb), (ka, kb));
    WorstPair { a: ka.map(|k| a.scenario.intervals.label(k)), b: kb.map(|k| b.scenario.intervals.label(k)), figures }
}

/// The cost of all pools, and of each pool in both designs.
fn cost(a: &Side, b: &Side, pools: &[(&str, usize, usize)]) -> CostPair {
    // A replication is `days` consecutive days: cost a day is per simulated day.
    let days = |s: &Side| s.runs.per_rep.len() as u64 * u64::from(s.scenario.days);
    let line = |s: &Side, stats: &RepStats, which: &[usize], days: u64| {
        cost::basis(s.scenario, &stats.by_pool, which, days, &stats.overall())
    };
    let pair = |wa: &[usize], wb: &[usize]| {
        let (da, db) = (u64::from(a.scenario.days), u64::from(b.scenario.days));
        let ra: Vec<_> = a.runs.per_rep.iter().map(|r| line(a, r, wa, da)).collect();
        let rb: Vec<_> = b.runs.per_rep.iter().map(|r| line(b, r, wb, db)).collect();
        let (ta, tb) = (line(a, &a.runs.pooled, wa, days(a)), line(b, &b.runs.pooled, wb, days(b)));
        let of = |m: Metric, c: &_| m.of_cost(c);
        figures_of(&Metric::for_costs(), (&ra, &rb), (of, of), (|m: Metric| m.of_cost(&ta), |m: Metric| m.of_cost(&tb)))
    };
    let all_a: Vec<usize> = (0..a.scenario.pools.len()).collect();
    let all_b: Vec<usize> = (0..b.scenario.pools.len()).collect();
    CostPair {
        total: pair(&all_a, &all_b),
        by_pool: pools.iter().map(|&(name, i, j)| (name.to_string(), pair(&[i], &[j]))).collect(),
    }
}

/// Names present in one design only.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct OnlyIn {
    pub callers: Vec<String>,
    pub queues: Vec<String>,
    pub pools: Vec<String>,
}

impl OnlyIn {
    pub fn is_empty(&self) -> bool {
        self.callers.is_empty() && self.queues.is_empty() && self.pools.is_empty()
    }

    /// "caller type `x`, queue `y`".
    pub fn describe(&self) -> String {
        let each = |kind: &str, v: &[String]| v.iter().map(|n| format!("{kind} `{n}`")).collect::<Vec<_>>();
        let mut all = each("caller type", &self.callers);
        all.extend(each("queue", &self.queues));
        all.extend(each("pool", &self.pools));
        all.join(", ")
    }
}

/// Pairs every metric of `f` evaluated on A's and B's counts, its intervals
/// from what `parts` says each figure is computed from (`super::linear`).
fn figures<T>(
    metrics: &[Metric],
    a: &[T],
    b: &[T],
    f: impl Fn(Metric, &T) -> Option<f64>,
    parts: impl for<'t> Fn(Metric, &'t T) -> Parts<'t>,
    (pa, pb): (&T, &T),
) -> Figures {
    metrics
        .iter()
        .map(|&m| {
            let ra: Vec<Option<f64>> = a.iter().map(|x| f(m, x)).collect();
            let rb: Vec<Option<f64>> = b.iter().map(|x| f(m, x)).collect();
            let noise = |pooled: &T, days: &[T]| {
                pseudo_values(parts(m, pooled), &days.iter().map(|x| parts(m, x)).collect::<Vec<_>>())
            };
            let (na, nb) = (noise(pa, a), noise(pb, b));
            (m, Paired::with_noise(m, (f(m, pa), f(m, pb)), (&ra, &rb), (&na, &nb)))
        })
        .collect()
}

/// A pool's figures are not ratios over calls: each day's own value.
fn pool_parts<'t>(m: Metric, p: &'t PoolStats) -> Parts<'t> {
    Parts::Raw(m.of_pool(p))
}

/// Pairs every metric on interval `ka` of A's days and `kb` of B's (the
/// same interval, or each design's worst), with the intervals' noise.
fn interval_figures(
    metrics: &[Metric],
    (ia, ib): (&[Vec<IntervalStats>], &[Vec<IntervalStats>]),
    (pa, pb): (&[IntervalStats], &[IntervalStats]),
    (ka, kb): (Option<usize>, Option<usize>),
) -> Figures {
    let value = |m: Metric, v: &[IntervalStats], k: Option<usize>| k.and_then(|k| m.of_interval(&v[k]));
    let noise = |m: Metric, pooled: &[IntervalStats], days: &[Vec<IntervalStats>], k: Option<usize>| match k {
        Some(k) => {
            pseudo_values(m.parts_service(&pooled[k]), &days.iter().map(|d| m.parts_service(&d[k])).collect::<Vec<_>>())
        }
        None => vec![None; days.len()],
    };
    metrics
        .iter()
        .map(|&m| {
            let ra: Vec<Option<f64>> = ia.iter().map(|v| value(m, v, ka)).collect();
            let rb: Vec<Option<f64>> = ib.iter().map(|v| value(m, v, kb)).collect();
            let (na, nb) = (noise(m, pa, ia, ka), noise(m, pb, ib, kb));
            let pooled = (value(m, pa, ka), value(m, pb, kb));
            (m, Paired::with_noise(m, pooled, (&ra, &rb), (&na, &nb)))
        })
        .collect()
}

/// The per-replication slices of the entity named `name` in both designs.
fn per_rep<T: Clone>(a: &Side, b: &Side, ia: usize, ib: usize, pick: fn(&RepStats) -> &Vec<T>) -> (Vec<T>, Vec<T>) {
    let (ra, rb) = (&a.runs.per_rep, &b.runs.per_rep);
    (ra.iter().map(|r| pick(r)[ia].clone()).collect(), rb.iter().map(|r| pick(r)[ib].clone()).collect())
}

/// Names in both designs, in A's order, with their indices; and those in one only.
fn align<'n>(
    a: &[&'n str],
    b: &[&'n str],
    only_a: &mut Vec<String>,
    only_b: &mut Vec<String>,
) -> Vec<(&'n str, usize, usize)> {
    let both = a.iter().enumerate().filter_map(|(i, n)| b.iter().position(|m| m == n).map(|j| (*n, i, j))).collect();
    only_a.extend(a.iter().filter(|n| !b.contains(n)).map(|n| n.to_string()));
    only_b.extend(b.iter().filter(|n| !a.contains(n)).map(|n| n.to_string()));
    both
}

fn callers(s: &Scenario) -> Vec<&str> {
    s.callers.iter().map(|c| c.name.as_str()).collect()
}

fn queues(s: &Scenario) -> Vec<&str> {
    s.queues.iter().map(|c| c.name.as_str()).collect()
}

fn pools(s: &Scenario) -> Vec<&str> {
    s.pools.iter().map(|c| c.name.as_str()).collect()
}

fn design(s: &Side) -> Design {
    Design {
        file: s.file.to_string(),
        scenario: s.scenario.name.clone(),
        horizon: r6(s.scenario.horizon.as_secs_f64()),
        service_level_threshold: r6(s.scenario.service_level.as_secs_f64()),
        calls: s.runs.pooled.by_caller.iter().map(|c| c.calls).sum(),
        days: s.scenario.days,
    }
}

/// The day figures of all callers and of each caller type in both designs,
/// day k of A against day k of B (the same replication and day of its chain).
fn day_figures(a: &Side, b: &Side, overall: &mut Figures, by_caller: &mut IndexMap<String, Figures>) {
    use super::days::{DayCounts, DayFigures, by_day};
    let (da, db) = (by_day(a.scenario, a.runs), by_day(b.scenario, b.runs));
    let key = |d: &DayFigures| (d.replication, d.day);
    let index: std::collections::HashMap<_, _> = db.iter().map(|d| (key(d), d)).collect();
    let paired: Vec<(&DayFigures, &DayFigures)> = da.iter().filter_map(|d| Some((d, *index.get(&key(d))?))).collect();
    let add = |f: &mut Figures, pick: &dyn Fn(&DayFigures) -> Option<&DayCounts>| {
        for m in Metric::for_days() {
            let Metric::Day(_, fig) = m else { continue };
            let (va, vb): (Vec<Option<f64>>, Vec<Option<f64>>) =
                paired.iter().map(|(x, y)| (pick(x).and_then(|c| fig.of(c)), pick(y).and_then(|c| fig.of(c)))).unzip();
            f.insert(m, paired_days(m, &va, &vb));
        }
    };
    add(overall, &|d| Some(&d.figures));
    for (name, f) in by_caller.iter_mut() {
        add(f, &|d| caller_day(d, name));
    }
}

/// A caller type's figures of a day; a design with one caller type lists its
/// days without `by_caller`.
fn caller_day<'d>(d: &'d super::days::DayFigures, name: &str) -> Option<&'d super::days::DayCounts> {
    if d.by_caller.is_empty() { Some(&d.figures) } else { d.by_caller.get(name) }
}

impl Comparison {
    /// Both designs ran from a snapshot taken `at` seconds after the
    /// opening: the intervals that ended before it (empty) are left out.
    pub fn from_moment(mut self, at: f64) -> Comparison {
        self.by_interval.retain(|i| i.to > at);
        self
    }

    /// Both sides must have run the same seed and number of replications.
    /// The worst-day and 1-in-10-day figures are paired when either design
    /// spreads its daily volumes (see [`Comparison::build_with_days`]).
    pub fn build(a: &Side, b: &Side) -> Comparison {
        let days = a.scenario.reports_days() || b.scenario.reports_days();
        Comparison::build_with_days(a, b, days)
    }

    /// Like [`Comparison::build`]; `days` adds the worst-day and 1-in-10-day
    /// figures (`worst_day.*`, `p10_day.*`, `p90_day.*`) of all callers and of
    /// each caller type.
    pub fn build_with_days(a: &Side, b: &Side, days: bool) -> Comparison {
        let mut caller_metrics = Metric::all();
        let channels = a.scenario.uses_channels() || b.scenario.uses_channels();
        if channels {
            caller_metrics.extend(Metric::for_channels());
        }
        let mut pool_metrics = Metric::for_pools();
        if a.scenario.uses_chat() || b.scenario.uses_chat() {
            pool_metrics.push(Metric::Concurrency);
        }
        let queue_metrics = Metric::for_queues();
        let (mut only_in_a, mut only_in_b) = (OnlyIn::default(), OnlyIn::default());
        let of_callers = |m: Metric, c: &CallerStats| m.of_callers(c);
        let parts_callers = Metric::parts_callers;

        let oa: Vec<CallerStats> = a.runs.per_rep.iter().map(RepStats::overall).collect();
        let ob: Vec<CallerStats> = b.runs.per_rep.iter().map(RepStats::overall).collect();
        let pooled = (&a.runs.pooled.overall(), &b.runs.pooled.overall());
        let mut overall = figures(&caller_metrics, &oa, &ob, of_callers, parts_callers, pooled);
        let curve = |s: &Summary| s.survival_points(SURVIVAL_POINTS);
        let mut hold_survival = IndexMap::new();

        let mut by_caller: IndexMap<String, Figures> =
            align(&callers(a.scenario), &callers(b.scenario), &mut only_in_a.callers, &mut only_in_b.callers)
                .into_iter()
                .map(|(name, i, j)| {
                    let (ra, rb) = per_rep(a, b, i, j, |r| &r.by_caller);
                    let (pa, pb) = (&a.runs.pooled.by_caller[i], &b.runs.pooled.by_caller[j]);
                    hold_survival.insert(name.to_string(), [curve(&pa.wait), curve(&pb.wait)]);
                    (name.to_string(), figures(&caller_metrics, &ra, &rb, of_callers, parts_callers, (pa, pb)))
                })
                .collect();
        hold_survival.insert(ALL_CALLERS.to_string(), [curve(&pooled.0.wait), curve(&pooled.1.wait)]);
        if days {
            day_figures(a, b, &mut overall, &mut by_caller);
        }
        let by_queue = align(&queues(a.scenario), &queues(b.scenario), &mut only_in_a.queues, &mut only_in_b.queues)
            .into_iter()
            .map(|(name, i, j)| {
                let (ra, rb) = per_rep(a, b, i, j, |r| &r.by_queue);
                let f = |m: Metric, q: &_| m.of_queue(q);
                let pooled = (&a.runs.pooled.by_queue[i], &b.runs.pooled.by_queue[j]);
                (name.to_string(), figures(&queue_metrics, &ra, &rb, f, Metric::parts_queue, pooled))
            })
            .collect();
        let both_pools = align(&pools(a.scenario), &pools(b.scenario), &mut only_in_a.pools, &mut only_in_b.pools);
        let ia: Vec<Vec<IntervalStats>> = a.runs.per_rep.iter().map(|r| r.intervals().into_owned()).collect();
        let ib: Vec<Vec<IntervalStats>> = b.runs.per_rep.iter().map(|r| r.intervals().into_owned()).collect();
        let by_interval = by_interval(a, b, &ia, &ib);
        let worst_interval = worst(a, b, &ia, &ib);
        let cost = cost(a, b, &both_pools);
        let by_pool = both_pools
            .into_iter()
            .map(|(name, i, j)| {
                let (ra, rb) = per_rep(a, b, i, j, |r| &r.by_pool);
                let f = |m: Metric, p: &_| m.of_pool(p);
                let pooled = (&a.runs.pooled.by_pool[i], &b.runs.pooled.by_pool[j]);
                let f = figures(&pool_metrics, &ra, &rb, f, pool_parts, pooled);
                (name.to_string(), f)
            })
            .collect();
        let email =
            |sc: &Scenario, name: &str| sc.callers.iter().any(|c| c.name == name && c.channel == Channel::Email);
        let off_line = by_caller.keys().filter(|n| email(a.scenario, n) && email(b.scenario, n)).cloned().collect();
        Comparison {
            off_line,
            a: design(a),
            b: design(b),
            seed: a.scenario.seed,
            replications: a.scenario.replications,
            overall,
            by_caller,
            by_queue,
            by_pool,
            by_interval,
            worst_interval,
            cost,
            only_in_a,
            only_in_b,
            hold_survival,
            queue_clears: None,
        }
    }

    pub fn only_in_a_callers(&self) -> Vec<&str> {
        self.only_in_a.callers.iter().map(String::as_str).collect()
    }

    pub fn only_in_b_callers(&self) -> Vec<&str> {
        self.only_in_b.callers.iter().map(String::as_str).collect()
    }

    pub fn only_in_a_queues(&self) -> Vec<&str> {
        self.only_in_a.queues.iter().map(String::as_str).collect()
    }
}

/// How the overall scope is named in output and in gates (`all:wait.p95`).
pub const ALL_CALLERS: &str = "all callers";
