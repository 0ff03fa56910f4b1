//! The catalogue of figures: every figure the reports, `compare`, `check` (and
//! the staffing and interval reports) show is a [`Metric`], and its value on a
//! set of counts is computed here and only here. Names are the JSON report's
//! keys joined by dots (`wait.p95`, `abandon_rate`).

use std::fmt;

use serde::{Serialize, Serializer};

use super::collect::{CallerStats, PoolStats, QueueStats, ServiceCounts};
use super::linear::Parts;
use super::ratio;
use super::summary::Summary;

/// A statistic of a duration summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stat {
    Mean,
    P50,
    P90,
    P95,
    P99,
    Max,
}

const STATS: [(&str, Stat); 6] = [
    ("mean", Stat::Mean),
    ("p50", Stat::P50),
    ("p90", Stat::P90),
    ("p95", Stat::P95),
    ("p99", Stat::P99),
    ("max", Stat::Max),
];

impl Stat {
    /// The 95% interval of this statistic computed on pooled days, from its
    /// value on each day: sectioning, or for the maximum the spread of one
    /// day's maximum (see `super::ci`).
    pub fn ci95(self, estimate: f64, days: &[f64]) -> Option<[f64; 2]> {
        if self == Stat::Max {
            super::ci::extreme_ci95(estimate, days)
        } else {
            super::ci::sectioned_ci95(estimate, days)
        }
    }

    /// The share of values a quantile leaves at or below it; `None` for the
    /// mean and the maximum.
    pub fn share(self) -> Option<f64> {
        match self {
            Stat::P50 => Some(0.5),
            Stat::P90 => Some(0.9),
            Stat::P95 => Some(0.95),
            Stat::P99 => Some(0.99),
            Stat::Mean | Stat::Max => None,
        }
    }

    /// The value of this statistic of a summary, in seconds; `None` when empty.
    pub fn of(self, s: &Summary) -> Option<f64> {
        match self {
            Stat::Mean => s.mean(),
            Stat::P50 => s.quantile(0.5),
            Stat::P90 => s.quantile(0.9),
            Stat::P95 => s.quantile(0.95),
            Stat::P99 => s.quantile(0.99),
            Stat::Max => s.max_secs(),
        }
    }
}

/// A duration block of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Span {
    /// Time on hold per call that reached a queue (all its legs; a busy signal is 0).
    Wait,
    MenuTime,
    /// Dial to first human, menu included.
    TimeToAnswer,
    /// First dial to resolution, per resolved journey.
    TimeToResolution,
    /// Email: arrival to an agent starting on it.
    ResponseTime,
    /// Accepting a callback to the agent reaching the caller.
    TimeToCallback,
}

const SPANS: [(&str, Span); 6] = [
    ("wait", Span::Wait),
    ("menu_time", Span::MenuTime),
    ("time_to_answer", Span::TimeToAnswer),
    ("time_to_resolution", Span::TimeToResolution),
    ("response_time", Span::ResponseTime),
    ("time_to_callback", Span::TimeToCallback),
];

impl Span {
    pub fn of(self, c: &CallerStats) -> &Summary {
        match self {
            Span::Wait => &c.wait,
            Span::MenuTime => &c.menu_time,
            Span::TimeToAnswer => &c.time_to_answer,
            Span::TimeToResolution => &c.time_to_resolution,
            Span::ResponseTime => &c.ch.response_time,
            Span::TimeToCallback => &c.ch.time_to_callback,
        }
    }
}

/// A share or a per-call figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rate {
    /// Calls answered within the threshold / calls that reached a queue.
    ServiceLevel,
    /// Hung up on hold / calls that reached a queue.
    AbandonRate,
    /// Hung up anywhere (menu or hold) / calls offered.
    HangUpRate,
    /// Journeys resolved on their first call / journeys.
    FirstContactResolution,
    /// Transfers / calls offered.
    TransfersPerCall,
    /// Resolved calls / calls (not a contract key, but what a manager asks first).
    ResolvedShare,
    /// Email: started within the response target / every email that arrived
    /// (started late, or open at the end past the target, is missed; open and
    /// not yet due is [`Rate::Pending`]).
    WithinTarget,
    /// Email: never started, open at the end of the run and not yet due /
    /// every email that arrived: neither met nor missed yet.
    Pending,
}

const RATES: [(&str, Rate); 8] = [
    ("within_target", Rate::WithinTarget),
    ("pending", Rate::Pending),
    ("service_level", Rate::ServiceLevel),
    ("abandon_rate", Rate::AbandonRate),
    ("hang_up_rate", Rate::HangUpRate),
    ("first_contact_resolution", Rate::FirstContactResolution),
    ("transfers_per_call", Rate::TransfersPerCall),
    ("resolved_share", Rate::ResolvedShare),
];

/// A figure of what the agents cost, per simulated day or per call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cost {
    /// Agent-hours on the phones a day: the staffed-time integral.
    AgentHours,
    /// Paid agent-hours a day: agent-hours / (1 − shrinkage).
    PaidHours,
    /// Paid hours × `cost_per_hour`, a day.
    PerDay,
    /// The cost of all days / calls offered (redials included).
    PerCall,
    /// The cost of all days / calls resolved.
    PerResolvedCall,
}

const COSTS: [(&str, Cost); 5] = [
    ("agent_hours", Cost::AgentHours),
    ("paid_hours", Cost::PaidHours),
    ("cost_per_day", Cost::PerDay),
    ("cost_per_call", Cost::PerCall),
    ("cost_per_resolved_call", Cost::PerResolvedCall),
];

/// What a cost figure is computed from: the pools it covers (one, or all for
/// the total) and the calls of the days they worked.
#[derive(Clone, Debug, Default)]
pub struct CostBasis {
    pub pools: Vec<PoolCost>,
    /// Simulated days (replications) the integrals and counts cover.
    pub days: u64,
    pub calls: u64,
    pub resolved: u64,
}

/// One pool's staffed time and what a paid hour of it costs.
#[derive(Clone, Copy, Debug)]
pub struct PoolCost {
    /// Agent-ticks on duty (on the phones), summed over the days.
    pub staffed: u128,
    /// Agent-ticks of rostered breaks (`shifts:`), summed over the days: paid,
    /// though not on duty.
    pub breaks: u128,
    /// Share of paid time off the phones, in [0, 1).
    pub shrinkage: f64,
    /// `None` when the file gives no cost for the pool.
    pub cost_per_hour: Option<f64>,
}

/// One figure of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    Duration(Span, Stat),
    Rate(Rate),
    /// Busy share of staffed agent time (wrap-up included): pools only.
    Occupancy,
    /// The estimated wait against the wait that followed (`ewt_error.*`).
    EwtError(EwtStat),
    /// Mean open items (emails, promised callbacks) at the end of a day.
    BacklogEndOfDay,
    /// The oldest item open at the end of any day, in seconds.
    OldestOpen,
    /// Mean chats an agent holds while busy with chat: pools only.
    Concurrency,
    /// Callbacks a day (`callbacks.offered`, ...): per simulated day, so a
    /// chain of days compares with a single day.
    Callbacks(CallbackCount),
    /// Mean agents on duty (staffed time / clock time): pools only.
    Agents,
    /// What the agents cost: pools and the whole line.
    Cost(Cost),
    /// A figure on the worst or the 1-in-10 simulated day (`worst_day.service_level`,
    /// `p90_day.wait.p95`): from the days' own figures (`stats::days`), not from counts.
    Day(DayPick, DayFigure),
}

/// Which day of the run a [`Metric::Day`] figure is read on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayPick {
    /// The worst day (`worst_day.`).
    Worst,
    /// The 1-in-10 day: the 10th-percentile day of service level (`p10_day.`),
    /// the 90th of abandon rate and p95 hold (`p90_day.`).
    OneInTen,
}

/// The daily figures a [`Metric::Day`] reads (JSON `by_day`'s).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayFigure {
    ServiceLevel,
    AbandonRate,
    WaitP95,
}

impl DayFigure {
    /// The figure of one day.
    pub fn of(self, d: &super::days::DayCounts) -> Option<f64> {
        match self {
            DayFigure::ServiceLevel => d.service_level,
            DayFigure::AbandonRate => d.abandon_rate,
            DayFigure::WaitP95 => d.wait.p95,
        }
    }

    /// The same figure of one day's counts, as a metric of the catalogue.
    pub fn metric(self) -> Metric {
        match self {
            DayFigure::ServiceLevel => SERVICE_LEVEL,
            DayFigure::AbandonRate => ABANDON_RATE,
            DayFigure::WaitP95 => WAIT_P95,
        }
    }
}

/// The day figures gates may name: the worst day of each, and the 1-in-10 day
/// on its bad side (service level low, abandon rate and p95 hold high).
const DAY_METRICS: [(&str, DayPick, DayFigure); 6] = [
    ("worst_day.service_level", DayPick::Worst, DayFigure::ServiceLevel),
    ("worst_day.abandon_rate", DayPick::Worst, DayFigure::AbandonRate),
    ("worst_day.wait.p95", DayPick::Worst, DayFigure::WaitP95),
    ("p10_day.service_level", DayPick::OneInTen, DayFigure::ServiceLevel),
    ("p90_day.abandon_rate", DayPick::OneInTen, DayFigure::AbandonRate),
    ("p90_day.wait.p95", DayPick::OneInTen, DayFigure::WaitP95),
];

/// A statistic of the estimate's error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EwtStat {
    /// Mean |estimate − wait|, seconds.
    MeanAbs,
    /// 90th percentile of |estimate − wait|, seconds.
    P90Abs,
    /// Share of waits longer than their estimate.
    Underestimated,
}

/// What happened to callbacks, counted a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallbackCount {
    Offered,
    Accepted,
    /// The agent reached the caller.
    Completed,
    /// Every attempt made without reaching the caller.
    Failed,
}

const CALLBACK_COUNTS: [(&str, CallbackCount); 4] = [
    ("callbacks.offered", CallbackCount::Offered),
    ("callbacks.accepted", CallbackCount::Accepted),
    ("callbacks.completed", CallbackCount::Completed),
    ("callbacks.failed", CallbackCount::Failed),
];

const EWT_STATS: [(&str, EwtStat); 3] = [
    ("ewt_error.mean_abs", EwtStat::MeanAbs),
    ("ewt_error.p90_abs", EwtStat::P90Abs),
    ("ewt_error.underestimated", EwtStat::Underestimated),
];

const CHANNEL_NAMES: [(&str, Metric); 3] = [
    ("backlog_end_of_day", Metric::BacklogEndOfDay),
    ("oldest_open", Metric::OldestOpen),
    ("concurrency", Metric::Concurrency),
];

/// Which way is good for callers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    LowerIsBetter,
    HigherIsBetter,
    /// Neither (agent occupancy): a change is only up or down.
    Neutral,
}

/// What the figure is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    /// A share in [0, 1], shown as a percentage.
    Share,
    /// A plain number (transfers per call, agents).
    Number,
    /// A count per simulated day (callbacks offered a day).
    PerDay,
    /// Hours (agent-hours a day).
    Hours,
    /// Money, currency-free (the file's `cost_per_hour` unit).
    Money,
}

pub const WAIT_P95: Metric = Metric::Duration(Span::Wait, Stat::P95);
pub const WAIT_MAX: Metric = Metric::Duration(Span::Wait, Stat::Max);
pub const TTA_P95: Metric = Metric::Duration(Span::TimeToAnswer, Stat::P95);
pub const TTA_MAX: Metric = Metric::Duration(Span::TimeToAnswer, Stat::Max);
pub const SERVICE_LEVEL: Metric = Metric::Rate(Rate::ServiceLevel);
pub const ABANDON_RATE: Metric = Metric::Rate(Rate::AbandonRate);
pub const HANG_UP_RATE: Metric = Metric::Rate(Rate::HangUpRate);
pub const TTC_P95: Metric = Metric::Duration(Span::TimeToCallback, Stat::P95);

impl Metric {
    /// Every caller metric, in the order comparisons list them: worst cases
    /// first, then typical waits, then shares, then the rest.
    pub fn all() -> Vec<Metric> {
        use Metric::{Duration as D, Rate as R};
        use Span::*;
        use Stat::*;
        let mut v = vec![D(Wait, P95), D(Wait, P99), D(Wait, Max), D(TimeToAnswer, P95), D(TimeToAnswer, Max)];
        v.extend([D(Wait, Mean), D(Wait, P50), D(Wait, P90)]);
        v.extend([R(Rate::AbandonRate), R(Rate::HangUpRate), R(Rate::ServiceLevel)]);
        v.extend([R(Rate::FirstContactResolution), R(Rate::ResolvedShare), R(Rate::TransfersPerCall)]);
        for span in [TimeToAnswer, TimeToResolution, MenuTime] {
            for (_, stat) in STATS {
                if !v.contains(&D(span, stat)) {
                    v.push(D(span, stat));
                }
            }
        }
        v
    }

    /// The metrics that also exist per queue.
    pub fn for_queues() -> Vec<Metric> {
        use Span::Wait;
        use Stat::*;
        [P95, P99, Max, Mean, P50, P90]
            .map(|s| Metric::Duration(Wait, s))
            .into_iter()
            .chain([ABANDON_RATE, SERVICE_LEVEL])
            .collect()
    }

    /// The metrics of an agent pool.
    pub fn for_pools() -> Vec<Metric> {
        vec![Metric::Occupancy, Metric::Agents]
    }

    /// The metrics of an interval of the day (all callers dialed in it), as
    /// `worst_interval.METRIC` gates may name them.
    pub fn for_intervals() -> Vec<Metric> {
        let mut v = vec![SERVICE_LEVEL, ABANDON_RATE];
        v.extend(STATS.iter().map(|(_, st)| Metric::Duration(Span::Wait, *st)));
        v
    }

    /// The worst-day and 1-in-10-day figures, in the order reports list them.
    pub fn for_days() -> Vec<Metric> {
        DAY_METRICS.iter().map(|(_, p, f)| Metric::Day(*p, *f)).collect()
    }

    /// The cost figures, in the order reports list them.
    pub fn for_costs() -> Vec<Metric> {
        COSTS.iter().map(|(_, c)| Metric::Cost(*c)).collect()
    }

    /// The caller metrics of part 2's channels (email, callbacks, estimated
    /// waits, day chains): compared and gated when a design uses them.
    pub fn for_channels() -> Vec<Metric> {
        let mut v = Vec::new();
        for span in [Span::ResponseTime, Span::TimeToCallback] {
            for stat in [Stat::P95, Stat::Max, Stat::Mean, Stat::P50, Stat::P90, Stat::P99] {
                v.push(Metric::Duration(span, stat));
            }
        }
        v.extend([Metric::Rate(Rate::WithinTarget), Metric::Rate(Rate::Pending)]);
        v.extend(CALLBACK_COUNTS.map(|(_, c)| Metric::Callbacks(c)));
        v.extend(EWT_STATS.map(|(_, s)| Metric::EwtError(s)));
        v.extend([Metric::BacklogEndOfDay, Metric::OldestOpen]);
        v
    }

    pub fn name(self) -> String {
        self.to_string()
    }

    /// Parses a metric name; `None` when it is not one (see [`Metric::names`]).
    pub fn parse(name: &str) -> Option<Metric> {
        if name == "occupancy" {
            return Some(Metric::Occupancy);
        }
        if let Some((_, s)) = EWT_STATS.iter().find(|(n, _)| *n == name) {
            return Some(Metric::EwtError(*s));
        }
        if let Some((_, m)) = CHANNEL_NAMES.iter().find(|(n, _)| *n == name) {
            return Some(*m);
        }
        if let Some((_, p, f)) = DAY_METRICS.iter().find(|(n, ..)| *n == name) {
            return Some(Metric::Day(*p, *f));
        }
        if let Some((_, c)) = CALLBACK_COUNTS.iter().find(|(n, _)| *n == name) {
            return Some(Metric::Callbacks(*c));
        }
        if let Some((span, stat)) = name.split_once('.') {
            let span = SPANS.iter().find(|(n, _)| *n == span)?.1;
            let stat = STATS.iter().find(|(n, _)| *n == stat)?.1;
            return Some(Metric::Duration(span, stat));
        }
        RATES.iter().find(|(n, _)| *n == name).map(|(_, r)| Metric::Rate(*r))
    }

    /// Every name a gate or target may use.
    pub fn names() -> Vec<String> {
        Metric::all()
            .into_iter()
            .chain([Metric::Occupancy])
            .chain(Metric::for_channels())
            .chain([Metric::Concurrency])
            .chain(Metric::for_days())
            .map(Metric::name)
            .collect()
    }

    pub fn direction(self) -> Direction {
        match self {
            Metric::Day(_, f) => f.metric().direction(),
            Metric::Rate(
                Rate::ServiceLevel | Rate::FirstContactResolution | Rate::ResolvedShare | Rate::WithinTarget,
            ) => Direction::HigherIsBetter,
            Metric::Occupancy | Metric::Concurrency | Metric::Agents | Metric::Cost(_) => Direction::Neutral,
            // More or fewer callbacks offered, accepted or made is a choice, not better or worse.
            Metric::Callbacks(c) if c != CallbackCount::Failed => Direction::Neutral,
            _ => Direction::LowerIsBetter,
        }
    }

    /// Whether a larger value is better for callers (service level, resolution).
    pub fn higher_is_better(self) -> bool {
        self.direction() == Direction::HigherIsBetter
    }

    pub fn unit(self) -> Unit {
        match self {
            Metric::Day(_, f) => f.metric().unit(),
            Metric::Duration(..) | Metric::OldestOpen => Unit::Seconds,
            Metric::EwtError(EwtStat::MeanAbs | EwtStat::P90Abs) => Unit::Seconds,
            Metric::Rate(Rate::TransfersPerCall) | Metric::BacklogEndOfDay | Metric::Concurrency | Metric::Agents => {
                Unit::Number
            }
            Metric::Rate(_) | Metric::Occupancy | Metric::EwtError(EwtStat::Underestimated) => Unit::Share,
            Metric::Cost(Cost::AgentHours | Cost::PaidHours) => Unit::Hours,
            Metric::Callbacks(_) => Unit::PerDay,
            Metric::Cost(_) => Unit::Money,
        }
    }

    /// A worst case (`wait.max`, ...): its interval is [`super::ci::extreme_ci95`]'s,
    /// not sectioning's.
    pub fn is_extreme(self) -> bool {
        matches!(self, Metric::Duration(_, Stat::Max))
    }

    /// The 95% interval of this figure computed on pooled days (`estimate`),
    /// from its value on each day alone: centred on the figure, always containing it.
    pub fn ci95(self, estimate: f64, days: &[f64]) -> Option<[f64; 2]> {
        match self {
            Metric::Duration(_, stat) => stat.ci95(estimate, days),
            _ => super::ci::sectioned_ci95(estimate, days),
        }
    }

    pub fn is_duration(self) -> bool {
        self.unit() == Unit::Seconds
    }

    /// Shares are shown as percentages.
    pub fn is_share(self) -> bool {
        self.unit() == Unit::Share
    }

    /// The value of a service figure (hold statistics, service level, abandon
    /// rate) on counts of calls, whatever they cover; `None` for other metrics.
    pub fn of_service<C: ServiceCounts>(self, c: &C) -> Option<f64> {
        match self {
            Metric::Duration(Span::Wait, stat) => stat.of(c.wait()),
            Metric::Rate(Rate::ServiceLevel) => ratio(c.answered_within(), c.reached_queue()),
            Metric::Rate(Rate::AbandonRate) => ratio(c.abandoned_queue(), c.reached_queue()),
            _ => None,
        }
    }

    /// What the figure on service counts is computed from (see `super::linear`).
    pub fn parts_service<C: ServiceCounts>(self, c: &C) -> Parts<'_> {
        let of = |n: u64, d: u64| Parts::Ratio { num: n as f64, den: d as f64 };
        match self {
            Metric::Duration(Span::Wait, stat) => Parts::Durations(stat, c.wait()),
            Metric::Rate(Rate::ServiceLevel) => of(c.answered_within(), c.reached_queue()),
            Metric::Rate(Rate::AbandonRate) => of(c.abandoned_queue(), c.reached_queue()),
            _ => Parts::Raw(self.of_service(c)),
        }
    }

    /// What the figure on a caller type's counts is computed from (see `super::linear`).
    pub fn parts_callers(self, c: &CallerStats) -> Parts<'_> {
        let of = |n: u64, d: u64| Parts::Ratio { num: n as f64, den: d as f64 };
        match self {
            Metric::Duration(Span::Wait, _) | Metric::Rate(Rate::ServiceLevel | Rate::AbandonRate) => {
                self.parts_service(c)
            }
            Metric::Duration(span, stat) => Parts::Durations(stat, span.of(c)),
            Metric::Rate(Rate::HangUpRate) => of(c.abandoned_menu + c.abandoned_queue, c.calls),
            Metric::Rate(Rate::FirstContactResolution) => of(c.first_contact_resolved, c.callers),
            Metric::Rate(Rate::TransfersPerCall) => of(c.transfers, c.calls),
            Metric::Rate(Rate::ResolvedShare) => of(c.resolved, c.calls),
            Metric::Rate(Rate::WithinTarget) => of(c.ch.within_target, c.ch.emails_arrived()),
            Metric::Rate(Rate::Pending) => of(c.ch.open_pending, c.ch.emails_arrived()),
            _ => Parts::Raw(self.of_callers(c)),
        }
    }

    /// What the figure on a queue's counts is computed from (see `super::linear`).
    pub fn parts_queue(self, q: &QueueStats) -> Parts<'_> {
        let of = |n: u64, d: u64| Parts::Ratio { num: n as f64, den: d as f64 };
        match self {
            Metric::Duration(Span::Wait, stat) => Parts::Durations(stat, &q.wait),
            Metric::Rate(Rate::ServiceLevel) => of(q.answered_within, q.calls - q.off_line),
            Metric::Rate(Rate::AbandonRate) => of(q.abandoned, q.calls - q.off_line),
            _ => Parts::Raw(self.of_queue(q)),
        }
    }

    /// The value on the calls dialed in an interval (see [`Metric::for_intervals`]).
    pub fn of_interval(self, i: &super::collect::IntervalStats) -> Option<f64> {
        self.of_service(i)
    }

    /// What the figure on channel times is computed from (see `super::linear`).
    pub fn parts_channel_times(self, t: &super::channels::ChannelTimes) -> Parts<'_> {
        let of = |n: u64, d: u64| Parts::Ratio { num: n as f64, den: d as f64 };
        match self {
            Metric::Duration(Span::ResponseTime, stat) => Parts::Durations(stat, &t.response_time),
            Metric::Duration(Span::TimeToCallback, stat) => Parts::Durations(stat, &t.time_to_callback),
            Metric::Rate(Rate::WithinTarget) => of(t.within_target, t.emails_arrived()),
            Metric::Rate(Rate::Pending) => of(t.open_pending, t.emails_arrived()),
            _ => Parts::Raw(self.of_channel_times(t)),
        }
    }

    /// What the figure on a pool's agent time is computed from: occupancy
    /// is busy time over staffed time (see `super::linear`).
    pub fn parts_pool(self, p: &PoolStats) -> Parts<'_> {
        match self {
            Metric::Occupancy => Parts::Ratio { num: p.busy as f64, den: p.staffed as f64 },
            _ => Parts::Raw(self.of_pool(p)),
        }
    }

    /// The value on the channel times of the items that arrived in an interval
    /// (`response_time.*`, `time_to_callback.*`, `within_target`, `pending`); `None` for other metrics.
    pub fn of_channel_times(self, t: &super::channels::ChannelTimes) -> Option<f64> {
        match self {
            Metric::Duration(Span::ResponseTime, stat) => stat.of(&t.response_time),
            Metric::Duration(Span::TimeToCallback, stat) => stat.of(&t.time_to_callback),
            Metric::Rate(Rate::WithinTarget) => ratio(t.within_target, t.emails_arrived()),
            Metric::Rate(Rate::Pending) => ratio(t.open_pending, t.emails_arrived()),
            _ => None,
        }
    }

    /// The value on a caller type's counts; `None` when nothing was measured.
    pub fn of_callers(self, c: &CallerStats) -> Option<f64> {
        match self {
            Metric::Duration(Span::Wait, _) | Metric::Rate(Rate::ServiceLevel | Rate::AbandonRate) => {
                self.of_service(c)
            }
            Metric::Duration(span, stat) => stat.of(span.of(c)),
            Metric::Rate(r) => match r {
                Rate::ServiceLevel | Rate::AbandonRate => None,
                Rate::HangUpRate => ratio(c.abandoned_menu + c.abandoned_queue, c.calls),
                Rate::FirstContactResolution => ratio(c.first_contact_resolved, c.callers),
                Rate::TransfersPerCall => ratio(c.transfers, c.calls),
                Rate::ResolvedShare => ratio(c.resolved, c.calls),
                Rate::WithinTarget => ratio(c.ch.within_target, c.ch.emails_arrived()),
                Rate::Pending => ratio(c.ch.open_pending, c.ch.emails_arrived()),
            },
            Metric::EwtError(s) => {
                let e = &c.ch.ewt_abs_error;
                match s {
                    EwtStat::MeanAbs => Stat::Mean.of(e),
                    EwtStat::P90Abs => Stat::P90.of(e),
                    EwtStat::Underestimated => ratio(c.ch.ewt_underestimated, e.count),
                }
            }
            Metric::BacklogEndOfDay => ratio(c.ch.open_items, c.ch.day_ends),
            Metric::OldestOpen => (c.ch.day_ends > 0).then(|| c.ch.oldest_open.as_secs_f64()),
            Metric::Callbacks(k) => {
                let ch = &c.ch;
                let n = match k {
                    CallbackCount::Offered => ch.callbacks_offered,
                    CallbackCount::Accepted => ch.callbacks_accepted,
                    CallbackCount::Completed => ch.callbacks_completed,
                    CallbackCount::Failed => ch.callbacks_failed,
                };
                ratio(n, ch.day_ends)
            }
            Metric::Occupancy | Metric::Concurrency | Metric::Agents | Metric::Cost(_) | Metric::Day(..) => None,
        }
    }

    /// The value on a queue's counts (every call offered to the queue, a busy
    /// signal included as a hold of zero; emails and callers who took a
    /// callback held nobody on the line and are left out of the shares);
    /// `None` for metrics queues do not have.
    pub fn of_queue(self, q: &QueueStats) -> Option<f64> {
        match self {
            Metric::Duration(Span::Wait, stat) => stat.of(&q.wait),
            Metric::Rate(Rate::ServiceLevel) => ratio(q.answered_within, q.calls - q.off_line),
            Metric::Rate(Rate::AbandonRate) => ratio(q.abandoned, q.calls - q.off_line),
            _ => None,
        }
    }

    /// The value on a pool's agent-time integrals.
    pub fn of_pool(self, p: &PoolStats) -> Option<f64> {
        match self {
            Metric::Occupancy => (p.staffed > 0).then(|| (p.busy as f64 / p.staffed as f64).min(1.0)),
            Metric::Concurrency => (p.chat.busy > 0).then(|| p.chat.held as f64 / p.chat.busy as f64),
            Metric::Agents => (p.span > 0).then(|| p.staffed as f64 / p.span as f64),
            _ => None,
        }
    }

    /// The value of a cost figure; `None` for other metrics, and for money
    /// when a pool covered has no `cost_per_hour` or nothing was counted.
    pub fn of_cost(self, b: &CostBasis) -> Option<f64> {
        const TICKS_PER_HOUR: f64 = 3600.0 * crate::time::TICKS_PER_SECOND as f64;
        let Metric::Cost(c) = self else { return None };
        let days = (b.days > 0).then_some(b.days as f64)?;
        let hours = |p: &PoolCost| p.staffed as f64 / TICKS_PER_HOUR;
        let paid = |p: &PoolCost| (hours(p) + p.breaks as f64 / TICKS_PER_HOUR) / (1.0 - p.shrinkage);
        let money: Option<f64> = b.pools.iter().map(|p| p.cost_per_hour.map(|r| paid(p) * r)).sum();
        match c {
            Cost::AgentHours => Some(b.pools.iter().map(hours).sum::<f64>() / days),
            Cost::PaidHours => Some(b.pools.iter().map(paid).sum::<f64>() / days),
            Cost::PerDay => money.map(|m| m / days),
            Cost::PerCall => money.and_then(|m| (b.calls > 0).then(|| m / b.calls as f64)),
            Cost::PerResolvedCall => money.and_then(|m| (b.resolved > 0).then(|| m / b.resolved as f64)),
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Metric::Duration(span, stat) => {
                let s = SPANS.iter().find(|(_, x)| *x == span).map_or("?", |(n, _)| n);
                let t = STATS.iter().find(|(_, x)| *x == stat).map_or("?", |(n, _)| n);
                write!(f, "{s}.{t}")
            }
            Metric::Rate(rate) => f.write_str(RATES.iter().find(|(_, x)| *x == rate).map_or("?", |(n, _)| n)),
            Metric::Occupancy => f.write_str("occupancy"),
            Metric::Agents => f.write_str("agents"),
            Metric::Cost(cost) => f.write_str(COSTS.iter().find(|(_, x)| *x == cost).map_or("?", |(n, _)| n)),
            Metric::EwtError(s) => f.write_str(EWT_STATS.iter().find(|(_, x)| *x == s).map_or("?", |(n, _)| n)),
            Metric::Day(p, d) => {
                f.write_str(DAY_METRICS.iter().find(|(_, x, y)| (*x, *y) == (p, d)).map_or("?", |(n, ..)| n))
            }
            Metric::Callbacks(c) => f.write_str(CALLBACK_COUNTS.iter().find(|(_, x)| *x == c).map_or("?", |(n, _)| n)),
            m => f.write_str(CHANNEL_NAMES.iter().find(|(_, x)| *x == m).map_or("?", |(n, _)| n)),
        }
    }
}

/// Serialised by name, so maps keyed by metric are JSON objects keyed by name.
impl Serialize for Metric {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_metric() {
        let all = Metric::all();
        assert_eq!(all.len(), 4 * 6 + 6);
        for m in all.into_iter().chain([Metric::Occupancy, Metric::Concurrency]).chain(Metric::for_channels()) {
            assert_eq!(Metric::parse(&m.name()), Some(m));
        }
        for m in Metric::for_days() {
            assert_eq!(Metric::parse(&m.name()), Some(m));
        }
        assert_eq!(Metric::parse("p90_day.service_level"), None, "the 1-in-10 day of service level is p10_day");
        assert_eq!(Metric::parse("wait.p42"), None);
        assert_eq!(Metric::parse("wiat.p95"), None);
    }

    #[test]
    fn worst_cases_come_first() {
        let names = Metric::names();
        assert_eq!(names[..5], ["wait.p95", "wait.p99", "wait.max", "time_to_answer.p95", "time_to_answer.max"]);
    }
}
