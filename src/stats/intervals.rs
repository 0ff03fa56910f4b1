//! The day interval by interval ("Through the day"): the calls dialed in each
//! interval (the WFM "offered" convention: a call belongs to the interval it
//! was dialed in, whatever happens to it later) and the agents on duty during
//! it (time-weighted). Figures come from the `Metric` catalogue.

use indexmap::IndexMap;
use serde::Serialize;

use super::channels::ChannelTimes;
use super::collect::{IntervalStats, PoolStats, Runs};
use super::linear::pseudo_values;
use super::metric::{ABANDON_RATE, Metric, Rate, SERVICE_LEVEL, Span, Stat, WAIT_P95};
use super::r6;
use crate::scenario::{CallerType, Channel, Scenario};

/// Hold statistics of the calls dialed in an interval, in seconds; null when
/// no call reached a queue.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Holds {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
}

impl Holds {
    fn of(i: &IntervalStats) -> Holds {
        let w = |st: Stat| Metric::Duration(Span::Wait, st).of_interval(i).map(r6);
        Holds {
            mean: w(Stat::Mean),
            p50: w(Stat::P50),
            p90: w(Stat::P90),
            p95: w(Stat::P95),
            p99: w(Stat::P99),
            max: w(Stat::Max),
        }
    }
}

/// A channel time (email response, time to callback) of the items that
/// arrived in an interval, in seconds.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Times {
    pub count: u64,
    pub mean: Option<f64>,
    pub p95: Option<f64>,
    pub max: Option<f64>,
}

impl Times {
    fn of(span: Span, t: &ChannelTimes) -> Times {
        let m = |st: Stat| Metric::Duration(span, st).of_channel_times(t).map(r6);
        let count = match span {
            Span::ResponseTime => t.response_time.count,
            _ => t.time_to_callback.count,
        };
        Times { count, mean: m(Stat::Mean), p95: m(Stat::P95), max: m(Stat::Max) }
    }
}

/// The channel times of an interval, each only where the design has it
/// (email caller types; queues offering callbacks).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct IntervalChannels {
    /// Emails that arrived in the interval: arrival to an agent starting on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_time: Option<Times>,
    /// Of those emails, the share started within their `response_target`
    /// (started late, or still open at the end past it: missed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within_target: Option<f64>,
    /// Of those emails, the share still open at the end of the run and not
    /// yet due (neither met nor missed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<f64>,
    /// Callbacks accepted by calls dialed in the interval: acceptance to reaching the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_callback: Option<Times>,
}

impl IntervalChannels {
    fn of(t: Option<&ChannelTimes>, email: bool, callbacks: bool) -> IntervalChannels {
        let Some(t) = t else { return IntervalChannels::default() };
        IntervalChannels {
            response_time: email.then(|| Times::of(Span::ResponseTime, t)),
            within_target: if email { Metric::Rate(Rate::WithinTarget).of_channel_times(t).map(r6) } else { None },
            pending: if email { Metric::Rate(Rate::Pending).of_channel_times(t).map(r6) } else { None },
            time_to_callback: callbacks.then(|| Times::of(Span::TimeToCallback, t)),
        }
    }
}

/// One caller type's calls dialed in an interval.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IntervalCaller {
    pub calls: u64,
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub wait: Holds,
    #[serde(flatten)]
    pub channels: IntervalChannels,
}

/// One pool during an interval.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IntervalPool {
    /// Mean agents on duty during the interval (time-weighted).
    pub agents: f64,
    /// `agents` × the pool's `availability` (files using `availability` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_on_phones: Option<f64>,
    /// Busy share of the staffed agent time in the interval; null when nobody was on duty.
    pub occupancy: Option<f64>,
}

/// One interval of the day: `[from, to)` in seconds from the opening.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IntervalFigures {
    pub from: f64,
    pub to: f64,
    /// `10:00–10:30` when the file says when the line `opens`, `2h00–2h30` otherwise.
    pub label: String,
    /// Calls dialed in this interval (redials included), over all replications.
    pub calls: u64,
    pub answered: u64,
    pub abandoned_queue: u64,
    pub blocked: u64,
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub wait: Holds,
    pub by_caller: IndexMap<String, IntervalCaller>,
    pub by_pool: IndexMap<String, IntervalPool>,
    /// Mean agents on duty, all pools together.
    pub agents: f64,
    /// Agents taking calls, all pools together (files using `availability` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_on_phones: Option<f64>,
    /// Busy share of all pools' staffed time in the interval.
    pub occupancy: Option<f64>,
    /// Calls that reached a queue (the denominator of service level and abandon rate).
    pub reached_queue: u64,
    /// Email response and time to callback, all caller types together (where the design has them).
    #[serde(flatten)]
    pub channels: IntervalChannels,
}

/// Several pools' agent time in one interval as one: staffed and busy add up,
/// the clock time they cover is the interval's.
fn all_pools<'a>(pools: impl Iterator<Item = &'a PoolStats>) -> PoolStats {
    let mut all = PoolStats::default();
    for p in pools {
        all.busy += p.busy;
        all.staffed += p.staffed;
        all.span = p.span;
    }
    all
}

fn agents(p: &PoolStats) -> f64 {
    Metric::Agents.of_pool(p).map_or(0.0, r6)
}

/// The worst interval: the lowest service level, ties broken by the highest
/// p95 hold, then by the earlier interval. Intervals where no call reached a
/// queue have no service level and are never the worst. `None` when none has one.
pub fn worst_interval(intervals: &[IntervalStats]) -> Option<usize> {
    let mut worst: Option<(usize, f64, f64)> = None;
    for (k, i) in intervals.iter().enumerate() {
        let Some(sl) = SERVICE_LEVEL.of_interval(i) else { continue };
        let p95 = WAIT_P95.of_interval(i).unwrap_or(0.0);
        let is_worse = match worst {
            None => true,
            Some((_, wsl, wp95)) => sl < wsl || (sl == wsl && p95 > wp95),
        };
        if is_worse {
            worst = Some((k, sl, p95));
        }
    }
    worst.map(|w| w.0)
}

/// The 95% interval of the worst interval's service level, and the other
/// intervals whose service level's 95% interval overlaps it (in time order):
/// on this many replications they may be as bad.
pub fn within_noise_of(runs: &Runs, worst: usize) -> (Option<[f64; 2]>, Vec<usize>) {
    let pooled = runs.pooled.intervals();
    let per_rep: Vec<_> = runs.per_rep.iter().map(|r| r.intervals()).collect();
    let ci = |k: usize| {
        // Each day's share as the pooled one's noise sees it (`super::linear`).
        let parts: Vec<_> = per_rep.iter().filter_map(|r| r.get(k)).map(|i| SERVICE_LEVEL.parts_service(i)).collect();
        let days: Vec<f64> =
            pseudo_values(SERVICE_LEVEL.parts_service(&pooled[k]), &parts).into_iter().flatten().collect();
        SERVICE_LEVEL.of_interval(&pooled[k]).and_then(|sl| SERVICE_LEVEL.ci95(sl, &days))
    };
    let Some([_, worst_hi]) = ci(worst) else { return (None, Vec::new()) };
    let close = (0..pooled.len()).filter(|&k| k != worst && ci(k).is_some_and(|[lo, _]| lo <= worst_hi)).collect();
    // A share's interval stays within 0–100%.
    (ci(worst).map(|[lo, hi]| [r6(lo.max(0.0)), r6(hi.min(1.0))]), close)
}

/// Every interval of the day, in time order, from all replications pooled.
pub fn by_interval(sc: &Scenario, runs: &Runs) -> Vec<IntervalFigures> {
    let pooled = &runs.pooled;
    let overall = pooled.intervals();
    let day = &sc.intervals;
    let email = |c: &CallerType| c.channel == Channel::Email;
    let callbacks = sc.queues.iter().any(|q| q.callback.is_some());
    let any_email = sc.callers.iter().any(email);
    overall
        .iter()
        .enumerate()
        .map(|(k, all)| {
            let (from, to) = day.bounds(k);
            let by_caller = sc
                .callers
                .iter()
                .enumerate()
                .map(|(c, ct)| {
                    let i = pooled.interval_caller(k, c);
                    let f = IntervalCaller {
                        calls: i.calls,
                        service_level: SERVICE_LEVEL.of_interval(i).map(r6),
                        abandon_rate: ABANDON_RATE.of_interval(i).map(r6),
                        wait: Holds::of(i),
                        channels: IntervalChannels::of(
                            pooled.interval_channel(k, c),
                            email(ct),
                            callbacks && ct.channel == Channel::Voice,
                        ),
                    };
                    (ct.name.clone(), f)
                })
                .collect();
            let by_pool: IndexMap<String, IntervalPool> = sc
                .pools
                .iter()
                .enumerate()
                .map(|(p, pool)| {
                    let s = pooled.pool_interval(k, p);
                    (
                        pool.name.clone(),
                        IntervalPool {
                            agents: agents(s),
                            agents_on_phones: sc.uses_availability().then(|| r6(agents(s) * pool.availability)),
                            occupancy: Metric::Occupancy.of_pool(s).map(r6),
                        },
                    )
                })
                .collect();
            let pools = all_pools((0..sc.pools.len()).map(|p| pooled.pool_interval(k, p)));
            let on_phones = sc
                .uses_availability()
                .then(|| r6(by_pool.values().map(|p| p.agents_on_phones.unwrap_or(p.agents)).sum()));
            IntervalFigures {
                from: r6(from.as_secs_f64()),
                to: r6(to.as_secs_f64()),
                label: day.label(k),
                calls: all.calls,
                answered: all.answered,
                abandoned_queue: all.abandoned_queue,
                blocked: all.blocked,
                service_level: SERVICE_LEVEL.of_interval(all).map(r6),
                abandon_rate: ABANDON_RATE.of_interval(all).map(r6),
                wait: Holds::of(all),
                by_caller,
                by_pool,
                agents: agents(&pools),
                agents_on_phones: on_phones,
                occupancy: Metric::Occupancy.of_pool(&pools).map(r6),
                reached_queue: all.reached_queue,
                channels: IntervalChannels::of(pooled.interval_channel_all(k).as_ref(), any_email, callbacks),
            }
        })
        .collect()
}
