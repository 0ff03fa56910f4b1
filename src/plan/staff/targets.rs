//! Staffing targets with their scope (`business: wait.p95 <= 2m`,
//! `queue tech: service_level >= 80%`), and whether one holds in an interval
//! of a simulated day: the interval's figure from the calls dialed in it (all
//! replications pooled), occupancy per pool. Parsing is in [`super::parse`].

use super::Simulated;
use crate::plan::target::{Goal, Target};
use crate::scenario::{CallerTypeId, PoolId, QueueId};
use crate::stats::collect::{IntervalStats, RepStats};
use crate::stats::metric::{ABANDON_RATE, Metric, SERVICE_LEVEL, Span, Stat};

/// Whose figure a target bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// All callers together (no scope, or `all:`); for occupancy: each pool searched.
    All,
    /// One caller type.
    Caller(CallerTypeId),
    /// One pool (occupancy only).
    Pool(PoolId),
    /// The calls offered to one queue (`queue NAME:`; each leg counts at its queue).
    Queue(QueueId),
}

/// What a target bounds.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// A figure the formulas know too (service level, wait, abandon rate,
    /// occupancy): the analytic start staffs for it.
    Line(Target),
    /// A channel time (`response_time.p95`, `time_to_callback.mean`) at most
    /// `at_most` seconds: the simulation alone judges it.
    Channel { metric: Metric, at_most: f64 },
}

/// One target of the search.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffTarget {
    /// As written, whitespace normalised, scope included.
    pub text: String,
    pub scope: Scope,
    pub figure: Figure,
}

/// The accepted forms, shown with every target error.
pub fn forms() -> String {
    "accepted targets ([SCOPE:] FIGURE OP BOUND), each holding in every interval:
  service_level >= 80%          answered within the file's service_level threshold / calls that reached a queue
  service_level(20s) >= 80%     with its own threshold (one for every service_level target)
  wait.mean <= 30s              mean hold of the calls that reached a queue; also wait.p50, .p90, .p95, .p99
  abandon_rate <= 5%            share of those calls that hung up on hold
  occupancy <= 85%              busy share of a pool's agent time
  response_time.p95 <= 4h       email: arrival to an agent starting on it; also .mean, .p50, .p90, .p99
  time_to_callback.p95 <= 30m   accepting a callback to the agent reaching the caller; also .mean, ...
shares as 80% or 0.8; times with a unit (s, m, h)
scopes: business: wait.p95 <= 2m       one caller type (`all:` = all callers together, the default)
        queue tech: wait.p95 <= 2m     the calls offered to one queue: wait.*, service_level, abandon_rate
        tech_team: occupancy <= 85%    one pool (unscoped, occupancy bounds every pool searched)"
        .to_string()
}

impl StaffTarget {
    /// The formulas' target, for the figures they know.
    pub fn line(&self) -> Option<&Target> {
        match &self.figure {
            Figure::Line(t) => Some(t),
            Figure::Channel { .. } => None,
        }
    }

    /// The formulas' goal, for the figures they know.
    pub fn goal(&self) -> Option<Goal> {
        self.line().map(|t| t.goal)
    }

    /// This target's figure in its own terms (a share in %, a time in seconds).
    pub fn shown(&self, v: f64) -> String {
        match self.goal() {
            Some(Goal::ServiceLevel { .. } | Goal::AbandonRate(_) | Goal::Occupancy(_)) => {
                format!("{:.1}%", v * 100.0)
            }
            _ => format!("{v:.1}s"),
        }
    }

    /// The catalogue's metric this target bounds (for the interval's calls).
    fn metric(&self) -> Option<Metric> {
        Some(match &self.figure {
            Figure::Channel { metric, .. } => *metric,
            Figure::Line(t) => match t.goal {
                Goal::ServiceLevel { .. } => SERVICE_LEVEL,
                Goal::AbandonRate(_) => ABANDON_RATE,
                Goal::WaitMean(_) => Metric::Duration(Span::Wait, Stat::Mean),
                Goal::WaitQuantile { q, .. } => Metric::Duration(Span::Wait, quantile_stat(q)),
                Goal::Occupancy(_) => return None,
            },
        })
    }

    /// How far interval `k` misses this target, in the bound's terms (0 when it
    /// holds; shares in points, times relative to the bound), and the figure
    /// that misses it with the pool it belongs to (occupancy). `pools`: the pools searched.
    pub fn miss(&self, sim: &Simulated, k: usize, pools: &[usize]) -> Option<Miss> {
        let st = &sim.runs.pooled;
        let metric = self.metric();
        let calls = |i: &IntervalStats| metric.and_then(|m| m.of_interval(i));
        let detail = sim.detail.as_ref();
        let (value, pool) = match (&self.scope, self.goal()) {
            (Scope::Pool(p), Some(Goal::Occupancy(_))) => {
                (Metric::Occupancy.of_pool(st.pool_interval(k, p.index())), Some(p.index()))
            }
            (_, Some(Goal::Occupancy(_))) => pools
                .iter()
                .filter_map(|&p| Metric::Occupancy.of_pool(st.pool_interval(k, p)).map(|v| (v, p)))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map_or((None, None), |(v, p)| (Some(v), Some(p))),
            (Scope::Queue(q), _) => {
                (metric.zip(detail.and_then(|d| d.queue(k, *q))).and_then(|(m, s)| m.of_queue(s)), None)
            }
            (Scope::Caller(c), None) => {
                let times = detail.and_then(|d| d.caller(k, *c));
                (metric.zip(times).and_then(|(m, t)| m.of_channel_times(t)), None)
            }
            (_, None) => {
                let times = detail.and_then(|d| d.all_callers(k));
                (metric.zip(times).and_then(|(m, t)| m.of_channel_times(&t)), None)
            }
            (Scope::Caller(c), _) => (calls(st.interval_caller(k, c.index())), None),
            _ => (calls(&all_callers(st, k)), None),
        };
        let value = value?;
        let short = match &self.figure {
            Figure::Channel { at_most: b, .. } => (value - b) / b.max(1.0),
            Figure::Line(t) => match t.goal {
                Goal::ServiceLevel { at_least, .. } => at_least - value,
                Goal::AbandonRate(b) | Goal::Occupancy(b) => value - b,
                Goal::WaitMean(b) | Goal::WaitQuantile { at_most: b, .. } => (value - b) / b.max(1.0),
            },
        };
        (short > 0.0).then_some(Miss { value, pool, shortfall: short })
    }
}

/// A target missed in an interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Miss {
    /// The figure (a share, or seconds).
    pub value: f64,
    /// For occupancy: the pool past the bound.
    pub pool: Option<usize>,
    /// How far past the bound (see [`StaffTarget::miss`]).
    pub shortfall: f64,
}

/// All callers dialed in interval `k`.
pub fn all_callers(st: &RepStats, k: usize) -> IntervalStats {
    let mut all = IntervalStats::default();
    for c in 0..st.by_caller.len() {
        all.merge(st.interval_caller(k, c));
    }
    all
}

/// The summary statistic of a quantile target (`wait.p95`).
pub fn quantile_stat(q: f64) -> Stat {
    match (q * 100.0).round() as u32 {
        50 => Stat::P50,
        90 => Stat::P90,
        99 => Stat::P99,
        _ => Stat::P95,
    }
}
