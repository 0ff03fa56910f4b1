//! Staffing targets with their scope (`business: wait.p95 <= 2m`,
//! `queue tech: service_level >= 80%`), and whether one holds in an interval
//! of a simulated day: the interval's figure from the calls dialed in it (all
//! replications pooled), occupancy per pool. Parsing is in [`super::parse`].

use super::Simulated;
use crate::plan::target::{Goal, Target};
use crate::scenario::{CallerTypeId, PoolId, QueueId};
use crate::stats::ci::{t_975, t_two_sided};
use crate::stats::collect::{IntervalStats, RepStats};
use crate::stats::interval_detail::IntervalDetail;
use crate::stats::linear::{Parts, value};
use crate::stats::metric::{ABANDON_RATE, Metric, Rate, SERVICE_LEVEL, Span, Stat};

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
    /// A channel figure: a time (`response_time.p95`, `time_to_callback.mean`)
    /// at most `bound` seconds, or email's `within_target` share at least
    /// `bound`: the simulation alone judges it.
    Channel { metric: Metric, bound: f64 },
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
  within_target >= 90%          email: share started within the caller type's response_target
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
            None if self.is_share_of_emails() => format!("{:.1}%", v * 100.0),
            _ => format!("{v:.1}s"),
        }
    }

    /// The catalogue's metric this target bounds (its 95% interval's kind).
    pub fn metric(&self) -> Metric {
        match &self.figure {
            Figure::Channel { metric, .. } => *metric,
            Figure::Line(t) => match t.goal {
                Goal::ServiceLevel { .. } => SERVICE_LEVEL,
                Goal::AbandonRate(_) => ABANDON_RATE,
                Goal::WaitMean(_) => Metric::Duration(Span::Wait, Stat::Mean),
                Goal::WaitQuantile { q, .. } => Metric::Duration(Span::Wait, quantile_stat(q)),
                Goal::Occupancy(_) => Metric::Occupancy,
            },
        }
    }

    /// The bound as written (a share, or seconds).
    pub fn bound(&self) -> f64 {
        match &self.figure {
            Figure::Channel { bound, .. } => *bound,
            Figure::Line(t) => match t.goal {
                Goal::ServiceLevel { at_least, .. } => at_least,
                Goal::AbandonRate(b) | Goal::Occupancy(b) => b,
                Goal::WaitMean(b) | Goal::WaitQuantile { at_most: b, .. } => b,
            },
        }
    }

    /// Service level is the only figure where higher is better.
    pub fn higher_is_better(&self) -> bool {
        matches!(self.goal(), Some(Goal::ServiceLevel { .. })) || self.is_share_of_emails()
    }

    /// Email's `within_target` share (a channel figure where higher is better).
    fn is_share_of_emails(&self) -> bool {
        matches!(self.figure, Figure::Channel { metric: Metric::Rate(Rate::WithinTarget), .. })
    }

    /// Whose figures the target bounds in an interval: one figure (`None`),
    /// or for occupancy one per pool — the pool named, or unscoped each pool
    /// searched (`pools`).
    pub fn subjects(&self, pools: &[usize]) -> Vec<Option<usize>> {
        match (&self.scope, self.goal()) {
            (Scope::Pool(p), Some(Goal::Occupancy(_))) => vec![Some(p.index())],
            (_, Some(Goal::Occupancy(_))) => pools.iter().map(|&p| Some(p)).collect(),
            _ => vec![None],
        }
    }

    /// The figure in interval `k` on these counts (all replications pooled,
    /// or one alone): `all`, all callers together per interval
    /// (`RepStats::intervals`); `subject`, the pool of an occupancy target.
    /// `None` when nothing was measured (no call, no staffed time).
    pub fn figure(
        &self,
        st: &RepStats,
        all: &[IntervalStats],
        detail: Option<&IntervalDetail>,
        k: usize,
        subject: Option<usize>,
    ) -> Option<f64> {
        let v = self.with_parts(st, all, detail, k, subject, |p| value(&p)).flatten()?;
        // Occupancy as `Metric::of_pool` gives it: never past 100%.
        Some(if matches!(self.goal(), Some(Goal::Occupancy(_))) { v.min(1.0) } else { v })
    }

    /// What [`figure`](Self::figure) is computed from, handed to `f` (see
    /// `stats::linear`); `None` where `figure` has nothing to read.
    pub fn with_parts<R>(
        &self,
        st: &RepStats,
        all: &[IntervalStats],
        detail: Option<&IntervalDetail>,
        k: usize,
        subject: Option<usize>,
        f: impl FnOnce(Parts<'_>) -> R,
    ) -> Option<R> {
        let metric = self.metric();
        Some(match (&self.scope, self.goal()) {
            (_, Some(Goal::Occupancy(_))) => f(metric.parts_pool(st.pool_interval(k, subject?))),
            (Scope::Queue(q), _) => f(metric.parts_queue(detail?.queue(k, *q)?)),
            (Scope::Caller(c), None) => f(metric.parts_channel_times(st.interval_channel(k, c.index())?)),
            (_, None) => f(metric.parts_channel_times(&st.interval_channel_all(k)?)),
            (Scope::Caller(c), _) => f(metric.parts_service(st.interval_caller(k, c.index()))),
            _ => f(metric.parts_service(all.get(k)?)),
        })
    }

    /// The noise of the pooled figure in interval `k` (target `t`, subject
    /// `s`): each replication's linearized value (`stats::linear`), whose
    /// spread is the pooled figure's; empty without daily figures.
    pub fn noise(&self, t: usize, s: usize, sim: &Simulated, k: usize, subject: Option<usize>) -> Vec<f64> {
        let Some(daily) = &sim.daily else { return Vec::new() };
        self.with_parts(&sim.runs.pooled, &sim.all, sim.detail.as_ref(), k, subject, |pooled| {
            daily.noise(t, s, k, pooled)
        })
        .unwrap_or_default()
    }

    /// How far `value` is past the bound, in the bound's terms: shares in
    /// points, times relative to the bound; 0 or less when it holds.
    pub fn shortfall(&self, value: f64) -> f64 {
        let b = self.bound();
        match self.goal() {
            Some(Goal::ServiceLevel { .. }) => b - value,
            None if self.is_share_of_emails() => b - value,
            Some(Goal::AbandonRate(_) | Goal::Occupancy(_)) => value - b,
            _ => (value - b) / b.max(1.0),
        }
    }

    /// Whether interval `k` misses this target (the request's `t`-th), and by
    /// how much. With `confidence` (a two-sided level, 0.95 = the report's
    /// 95% intervals) the figure judged is its interval's end on the wrong
    /// side — the lower end of a service level, the upper end of anything
    /// else — from the replications' own figures (sectioning; `sim.daily`);
    /// the figure reported is the pooled one. Occupancy unscoped: the pool
    /// past the bound by most. `pools`: the pools searched.
    pub fn miss(
        &self,
        t: usize,
        sim: &Simulated,
        k: usize,
        pools: &[usize],
        confidence: Option<f64>,
        days_met: Option<f64>,
    ) -> Option<Miss> {
        let st = &sim.runs.pooled;
        let mut worst: Option<Miss> = None;
        for (s, subject) in self.subjects(pools).into_iter().enumerate() {
            let Some(value) = self.figure(st, &sim.all, sim.detail.as_ref(), k, subject) else { continue };
            let judged = match (confidence, &sim.daily) {
                (Some(level), Some(_)) => self.edge(value, &self.noise(t, s, sim, k, subject), level),
                _ => value,
            };
            // --days-met: the day at that share, counted from the worst.
            let day = match (days_met, &sim.daily) {
                (Some(share), Some(daily)) => self.day_at(&daily.days(t, s, k), share),
                _ => None,
            };
            let short = day.map_or(self.shortfall(judged), |d| self.shortfall(judged).max(self.shortfall(d)));
            if short > 0.0 && worst.is_none_or(|w| short > w.shortfall) {
                worst = Some(Miss { value, pool: subject, shortfall: short });
            }
        }
        worst
    }

    /// The figure met on `share` of the days: sorting the days' own figures
    /// worst first, the one after the worst (1 − share) of them (at 90%: the
    /// 10th-percentile day of a service level, the 90th of a wait). `None`
    /// when no day measured it.
    pub fn day_at(&self, days: &[f64], share: f64) -> Option<f64> {
        if days.is_empty() {
            return None;
        }
        let mut sorted = days.to_vec();
        sorted.sort_by(|a, b| a.total_cmp(b));
        if !self.higher_is_better() {
            sorted.reverse();
        }
        // Worst first; the days allowed to miss are the first ⌊(1 − share)·n⌋.
        let skip = ((1.0 - share) * sorted.len() as f64 + 1e-9).floor() as usize;
        sorted.get(skip.min(sorted.len() - 1)).copied()
    }

    /// The end of `value`'s two-sided `level` interval on the wrong side of
    /// the bound (from the replications' own figures `days`); the figure
    /// itself when there is no interval (fewer than two days measured it).
    pub fn edge(&self, value: f64, days: &[f64], level: f64) -> f64 {
        let Some([lo, hi]) = self.metric().ci95(value, days) else { return value };
        let df = days.len() as u32 - 1;
        let half = (hi - lo) / 2.0 * t_two_sided(level, df) / t_975(df);
        if self.higher_is_better() { value - half } else { value + half }
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
