//! What one replication counts: per caller type, per queue, per pool.
//! The engine fills these; nothing here knows about formats.

use super::channels::{ChannelStats, ChannelTimes, ChatTime};
use super::summary::Summary;
use crate::time::SimDuration;

/// How a call ended. Every call ends exactly once, in exactly one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Resolved,
    AbandonedMenu,
    AbandonedQueue,
    Blocked,
    Unresolved,
    /// Still open when the run ended: an email no agent started, a promised
    /// callback not yet made (see docs/channels.md).
    Open,
    /// A callback that used every attempt without reaching the caller.
    CallbackFailed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::AbandonedMenu => "abandoned_menu",
            Outcome::AbandonedQueue => "abandoned_queue",
            Outcome::Blocked => "blocked",
            Outcome::Unresolved => "unresolved",
            Outcome::Open => "open",
            Outcome::CallbackFailed => "callback_failed",
        }
    }
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CallerStats {
    pub calls: u64,
    pub callers: u64,
    pub answered: u64,
    pub resolved: u64,
    pub abandoned_menu: u64,
    pub abandoned_queue: u64,
    pub blocked: u64,
    pub unresolved: u64,
    /// Calls that reached a queue (service level and abandon rate denominators).
    pub reached_queue: u64,
    /// Calls answered within the service-level threshold (first answer).
    pub answered_within: u64,
    /// Journeys resolved on their first call.
    pub first_contact_resolved: u64,
    pub transfers: u64,
    pub wait: Summary,
    pub menu_time: Summary,
    pub time_to_answer: Summary,
    pub time_to_resolution: Summary,
    /// Channels, callbacks and day chains (part 2).
    pub ch: ChannelStats,
}

/// One caller type's durations held back while a replication runs
/// ([`CallerStats::record_call_sharing`]) and added to its summaries when it
/// ends: holds that were also the calls' times to answer (one record a call
/// instead of two), and how many calls spent no time in a menu (a count
/// instead of a record).
#[derive(Clone, Debug, Default)]
pub struct SharedHolds {
    /// Durations that belong in both `wait` and `time_to_answer`.
    both: Summary,
    /// Calls whose menu time is zero.
    no_menu: u64,
}

impl SharedHolds {
    /// Adds what was held back to `stats`' summaries, and starts empty again.
    pub fn fold_into(&mut self, stats: &mut CallerStats) {
        stats.wait.merge(&self.both);
        stats.time_to_answer.merge(&self.both);
        stats.menu_time.record_zeros(self.no_menu);
        *self = SharedHolds::default();
    }
}

/// Facts about one finished call, as the engine hands them over.
#[derive(Clone, Copy, Debug)]
pub struct CallRecord {
    pub outcome: Outcome,
    pub menu_time: SimDuration,
    /// Total hold over all queue legs, if the call reached a queue.
    pub hold: Option<SimDuration>,
    /// Hold before the first answer, if answered.
    pub first_hold: Option<SimDuration>,
    /// Dial to first human, if answered.
    pub time_to_answer: Option<SimDuration>,
    pub transfers: u32,
    /// Answered off the line (an email started, a callback that reached the
    /// caller): counted in `answered`, not in hold times or service level.
    pub answered_apart: bool,
}

impl CallerStats {
    // Always inlined: once per call, on the engine's hot path.
    #[inline(always)]
    pub fn record_call(&mut self, c: &CallRecord, service_level: SimDuration) {
        self.record_counts(c, service_level);
        self.menu_time.record(c.menu_time);
        if let Some(h) = c.hold {
            self.wait.record(h);
        }
        if let Some(t) = c.time_to_answer {
            self.time_to_answer.record(t);
        }
    }

    /// [`record_call`](Self::record_call), except that a call whose hold and
    /// time to answer are the same duration (answered in its first queue
    /// leg, no menu before it: most calls) has it recorded once, in
    /// `shared`, which [`SharedHolds::fold_into`] later adds to both `wait`
    /// and `time_to_answer`. Summaries merge exactly, so the figures are
    /// those of recording the value in each.
    /// A menu time of zero (no menu) is only counted, in `shared` too.
    #[inline(always)]
    pub fn record_call_sharing(&mut self, c: &CallRecord, service_level: SimDuration, shared: &mut SharedHolds) {
        self.record_counts(c, service_level);
        if c.menu_time == SimDuration::ZERO {
            shared.no_menu += 1;
        } else {
            self.menu_time.record(c.menu_time);
        }
        match (c.hold, c.time_to_answer) {
            (Some(h), Some(t)) if h == t => shared.both.record(h),
            (h, t) => {
                if let Some(h) = h {
                    self.wait.record(h);
                }
                if let Some(t) = t {
                    self.time_to_answer.record(t);
                }
            }
        }
    }

    /// The counts of a finished call (all but its durations).
    #[inline(always)]
    fn record_counts(&mut self, c: &CallRecord, service_level: SimDuration) {
        self.calls += 1;
        match c.outcome {
            Outcome::Resolved => self.resolved += 1,
            Outcome::AbandonedMenu => self.abandoned_menu += 1,
            Outcome::AbandonedQueue => self.abandoned_queue += 1,
            Outcome::Blocked => self.blocked += 1,
            Outcome::Unresolved => self.unresolved += 1,
            Outcome::Open => self.ch.open_at_end += 1,
            Outcome::CallbackFailed => self.ch.callbacks_failed += 1,
        }
        if c.answered_apart {
            self.answered += 1;
        }
        if c.hold.is_some() {
            self.reached_queue += 1;
        }
        if let Some(h) = c.first_hold {
            self.answered += 1;
            if h <= service_level {
                self.answered_within += 1;
            }
        }
        self.transfers += u64::from(c.transfers);
    }

    /// A journey (first dial to resolution or giving up) has ended.
    #[inline]
    pub fn record_journey(&mut self, resolved_after: Option<SimDuration>, calls_made: u32) {
        self.callers += 1;
        if let Some(t) = resolved_after {
            self.time_to_resolution.record(t);
            if calls_made == 1 {
                self.first_contact_resolved += 1;
            }
        }
    }

    pub fn merge(&mut self, o: &CallerStats) {
        self.calls += o.calls;
        self.callers += o.callers;
        self.answered += o.answered;
        self.resolved += o.resolved;
        self.abandoned_menu += o.abandoned_menu;
        self.abandoned_queue += o.abandoned_queue;
        self.blocked += o.blocked;
        self.unresolved += o.unresolved;
        self.reached_queue += o.reached_queue;
        self.answered_within += o.answered_within;
        self.first_contact_resolved += o.first_contact_resolved;
        self.transfers += o.transfers;
        self.wait.merge(&o.wait);
        self.menu_time.merge(&o.menu_time);
        self.time_to_answer.merge(&o.time_to_answer);
        self.time_to_resolution.merge(&o.time_to_resolution);
        self.ch.merge(&o.ch);
    }

    /// A copy whose duration summaries are frozen (see [`Summary::frozen`]).
    pub fn frozen(&self) -> CallerStats {
        CallerStats {
            calls: self.calls,
            callers: self.callers,
            answered: self.answered,
            resolved: self.resolved,
            abandoned_menu: self.abandoned_menu,
            abandoned_queue: self.abandoned_queue,
            blocked: self.blocked,
            unresolved: self.unresolved,
            reached_queue: self.reached_queue,
            answered_within: self.answered_within,
            first_contact_resolved: self.first_contact_resolved,
            transfers: self.transfers,
            wait: self.wait.frozen(),
            menu_time: self.menu_time.frozen(),
            time_to_answer: self.time_to_answer.frozen(),
            time_to_resolution: self.time_to_resolution.frozen(),
            ch: self.ch.frozen(),
        }
    }

    /// Calls that ended in each way add up to the calls offered.
    pub fn ends_add_up(&self) -> bool {
        self.calls
            == self.resolved
                + self.abandoned_menu
                + self.abandoned_queue
                + self.blocked
                + self.unresolved
                + self.ch.open_at_end
                + self.ch.callbacks_failed
    }
}

/// The calls dialed in one interval (of one caller type, or all together):
/// what the "Through the day" table needs, a small block per interval. Its
/// hold summary is coarse (1% on percentiles, see [`Summary::coarse`]): a day
/// has many intervals, and each replication creates, merges and freezes them.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct IntervalStats {
    pub calls: u64,
    pub answered: u64,
    pub abandoned_queue: u64,
    pub blocked: u64,
    /// Calls that reached a queue (service level and abandon rate denominators).
    pub reached_queue: u64,
    /// Calls answered within the service-level threshold (first answer).
    pub answered_within: u64,
    /// Hold per call that reached a queue, as in [`CallerStats::wait`].
    pub wait: Summary,
}

impl Default for IntervalStats {
    fn default() -> Self {
        IntervalStats {
            calls: 0,
            answered: 0,
            abandoned_queue: 0,
            blocked: 0,
            reached_queue: 0,
            answered_within: 0,
            wait: Summary::coarse(),
        }
    }
}

impl IntervalStats {
    /// Counts a finished call in the interval it was dialed in.
    // Always inlined: called once per call, beside the caller type's record.
    #[inline(always)]
    pub fn record_call(&mut self, c: &CallRecord, service_level: SimDuration) {
        self.calls += 1;
        match c.outcome {
            Outcome::AbandonedQueue => self.abandoned_queue += 1,
            Outcome::Blocked => self.blocked += 1,
            _ => {}
        }
        // Emails started and callbacks that reached the caller are answered too
        // (off the line), as in the day's `answered`.
        if c.answered_apart {
            self.answered += 1;
        }
        if let Some(h) = c.hold {
            self.reached_queue += 1;
            self.wait.record(h);
        }
        if let Some(h) = c.first_hold {
            self.answered += 1;
            if h <= service_level {
                self.answered_within += 1;
            }
        }
    }

    pub fn merge(&mut self, o: &IntervalStats) {
        self.calls += o.calls;
        self.answered += o.answered;
        self.abandoned_queue += o.abandoned_queue;
        self.blocked += o.blocked;
        self.reached_queue += o.reached_queue;
        self.answered_within += o.answered_within;
        self.wait.merge(&o.wait);
    }

    /// A copy whose wait summary is frozen (see [`Summary::frozen`]).
    pub fn frozen(&self) -> IntervalStats {
        IntervalStats {
            calls: self.calls,
            answered: self.answered,
            abandoned_queue: self.abandoned_queue,
            blocked: self.blocked,
            reached_queue: self.reached_queue,
            answered_within: self.answered_within,
            wait: self.wait.frozen(),
        }
    }
}

/// The counts behind the service figures, whatever they describe (a caller
/// type's day, an interval): the catalogue computes service level, abandon
/// rate and hold statistics once, from these.
pub trait ServiceCounts {
    fn reached_queue(&self) -> u64;
    fn answered_within(&self) -> u64;
    fn abandoned_queue(&self) -> u64;
    fn wait(&self) -> &Summary;
}

impl ServiceCounts for CallerStats {
    fn reached_queue(&self) -> u64 {
        self.reached_queue
    }
    fn answered_within(&self) -> u64 {
        self.answered_within
    }
    fn abandoned_queue(&self) -> u64 {
        self.abandoned_queue
    }
    fn wait(&self) -> &Summary {
        &self.wait
    }
}

impl ServiceCounts for IntervalStats {
    fn reached_queue(&self) -> u64 {
        self.reached_queue
    }
    fn answered_within(&self) -> u64 {
        self.answered_within
    }
    fn abandoned_queue(&self) -> u64 {
        self.abandoned_queue
    }
    fn wait(&self) -> &Summary {
        &self.wait
    }
}

/// One queue: counted per leg (a transferred call is a new leg in its new queue).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct QueueStats {
    pub calls: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub blocked: u64,
    pub answered_within: u64,
    pub wait: Summary,
    /// Legs nobody held on the line for: emails, and callers who accepted a
    /// callback (not in the queue's service level or abandon rate).
    pub off_line: u64,
}

impl QueueStats {
    /// A copy whose wait summary is frozen (see [`Summary::frozen`]).
    pub fn frozen(&self) -> QueueStats {
        QueueStats {
            calls: self.calls,
            answered: self.answered,
            abandoned: self.abandoned,
            blocked: self.blocked,
            answered_within: self.answered_within,
            wait: self.wait.frozen(),
            off_line: self.off_line,
        }
    }

    pub fn merge(&mut self, o: &QueueStats) {
        self.calls += o.calls;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.blocked += o.blocked;
        self.answered_within += o.answered_within;
        self.wait.merge(&o.wait);
        self.off_line += o.off_line;
    }
}

/// One pool: agent time integrals over opening hours `[0, horizon)`, or over
/// one interval of them.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PoolStats {
    /// Agent-ticks spent talking, holding a warm transfer or in wrap-up.
    pub busy: u128,
    /// Agent-ticks on duty (scheduled, plus agents finishing a call past their shift).
    pub staffed: u128,
    /// Ticks of clock time the integrals cover (the horizon or the interval,
    /// summed over merged replications): staffed / span = mean agents on duty.
    pub span: u128,
    pub calls_handled: u64,
    /// Chats held (part 2).
    pub chat: ChatTime,
}

impl PoolStats {
    pub fn merge(&mut self, o: &PoolStats) {
        self.chat.merge(&o.chat);
        self.busy += o.busy;
        self.staffed += o.staffed;
        self.span += o.span;
        self.calls_handled += o.calls_handled;
    }
}

/// Everything one replication (one simulated day) counted, or, merged, many.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RepStats {
    pub by_caller: Vec<CallerStats>,
    pub by_queue: Vec<QueueStats>,
    pub by_pool: Vec<PoolStats>,
    /// Calls by the interval they were dialed in, per caller type: index
    /// `interval * callers + caller`. Empty in frozen copies.
    pub by_interval: Vec<IntervalStats>,
    /// Agent time per interval and pool: index `interval * pools + pool`.
    /// Empty in frozen copies.
    pub by_pool_interval: Vec<PoolStats>,
    /// Email response times and times to callback by the interval the item
    /// arrived in (the call that accepted the callback was dialed in), per
    /// caller type: index `interval * callers + caller`. Empty when the
    /// scenario uses no channel, and in frozen copies.
    pub by_interval_channel: Vec<ChannelTimes>,
    /// Number of reporting intervals.
    intervals: usize,
    /// All caller types together, kept when frozen (a frozen summary cannot be merged).
    overall: Option<CallerStats>,
    /// All caller types together per interval, kept (frozen) when frozen: what
    /// the interval gates' daily figures need, a few words per interval.
    interval_overall: Option<Vec<IntervalStats>>,
    /// With a chain of `days`: calls by the day they were dialed in, per caller
    /// type (index `day * callers + caller`), frozen in frozen copies. Empty for
    /// one day a replication: the replication's own figures are the day's.
    pub by_day: Vec<IntervalStats>,
    /// All caller types together per day of the chain, kept (frozen) when frozen.
    day_overall: Option<Vec<IntervalStats>>,
}

/// The statistics of a whole run: all replications pooled, and each one
/// frozen (its own figures, for intervals and paired differences), in
/// replication order.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Runs {
    pub pooled: RepStats,
    pub per_rep: Vec<RepStats>,
}

impl Runs {
    /// Pools replications given in replication order.
    pub fn from_reps(reps: Vec<RepStats>) -> Runs {
        let mut runs: Option<Runs> = None;
        for r in reps {
            runs = Some(match runs {
                None => Runs { per_rep: vec![r.frozen()], pooled: r },
                Some(mut all) => {
                    all.per_rep.push(r.frozen());
                    all.pooled.merge(&r);
                    all
                }
            });
        }
        runs.unwrap_or(Runs { pooled: RepStats::default(), per_rep: Vec::new() })
    }

    /// Adds the replications that follow these (`more` holds the next ones, in
    /// order): the same as having run them all at once, pooling being addition.
    pub fn extend(&mut self, more: Runs) {
        self.pooled.merge(&more.pooled);
        self.per_rep.extend(more.per_rep);
    }
}

impl RepStats {
    /// Counts for a design of these sizes; `channels`: the channel times by
    /// interval are counted too.
    pub fn new(callers: usize, queues: usize, pools: usize, intervals: usize, channels: bool) -> RepStats {
        RepStats {
            by_caller: vec![CallerStats::default(); callers],
            by_queue: vec![QueueStats::default(); queues],
            by_pool: vec![PoolStats::default(); pools],
            by_interval: (0..intervals * callers).map(|_| IntervalStats::default()).collect(),
            by_pool_interval: vec![PoolStats::default(); intervals * pools],
            by_interval_channel: if channels {
                (0..intervals * callers).map(|_| ChannelTimes::default()).collect()
            } else {
                Vec::new()
            },
            intervals,
            overall: None,
            interval_overall: None,
            by_day: Vec::new(),
            day_overall: None,
        }
    }

    /// Counts calls per day too, for a chain of `days` (above 1).
    pub fn with_days(mut self, days: u32) -> RepStats {
        if days > 1 {
            self.by_day = (0..days as usize * self.by_caller.len()).map(|_| IntervalStats::default()).collect();
        }
        self
    }

    /// Days of the chain counted apart (0: one day a replication).
    pub fn day_count(&self) -> usize {
        self.by_day.len().checked_div(self.by_caller.len()).unwrap_or(0)
    }

    /// Counts a finished call in the day of the chain it was dialed in.
    #[inline]
    pub fn record_day(&mut self, day: usize, caller: usize, c: &CallRecord, service_level: SimDuration) {
        let n = self.by_caller.len();
        if let Some(d) = self.by_day.get_mut(day * n + caller) {
            d.record_call(c, service_level);
        }
    }

    /// One caller type's calls dialed on day `day` of the chain.
    pub fn day_caller(&self, day: usize, caller: usize) -> Option<&IntervalStats> {
        self.by_day.get(day * self.by_caller.len() + caller)
    }

    /// All caller types' calls dialed on day `day` of the chain.
    pub fn day_all(&self, day: usize) -> Option<IntervalStats> {
        if let Some(v) = &self.day_overall {
            return v.get(day).cloned();
        }
        let n = self.by_caller.len();
        let row = self.by_day.get(day * n..(day + 1) * n)?;
        let mut all = IntervalStats::default();
        for c in row {
            all.merge(c);
        }
        Some(all)
    }

    /// Number of reporting intervals.
    pub fn interval_count(&self) -> usize {
        self.intervals
    }

    /// One caller type's calls dialed in interval `k` (not in frozen copies).
    pub fn interval_caller(&self, k: usize, caller: usize) -> &IntervalStats {
        &self.by_interval[k * self.by_caller.len() + caller]
    }

    /// Counts a finished call in the interval it was dialed in.
    #[inline]
    pub fn record_interval(&mut self, k: usize, caller: usize, c: &CallRecord, service_level: SimDuration) {
        let n = self.by_caller.len();
        self.by_interval[k * n + caller].record_call(c, service_level);
    }

    /// One caller type's channel times in interval `k`, when counted (not in frozen copies).
    pub fn interval_channel(&self, k: usize, caller: usize) -> Option<&ChannelTimes> {
        self.by_interval_channel.get(k * self.by_caller.len() + caller)
    }

    /// Every caller type's channel times in interval `k` together, when counted.
    pub fn interval_channel_all(&self, k: usize) -> Option<ChannelTimes> {
        let n = self.by_caller.len();
        let row = self.by_interval_channel.get(k * n..(k + 1) * n)?;
        let mut all = ChannelTimes::default();
        for c in row {
            all.merge(c);
        }
        Some(all)
    }

    /// One caller type's channel times in interval `k`, to add to.
    #[inline]
    pub fn interval_channel_mut(&mut self, k: usize, caller: usize) -> Option<&mut ChannelTimes> {
        let n = self.by_caller.len();
        self.by_interval_channel.get_mut(k * n + caller)
    }

    /// One pool's agent time in interval `k` (not in frozen copies).
    pub fn pool_interval(&self, k: usize, pool: usize) -> &PoolStats {
        &self.by_pool_interval[k * self.by_pool.len() + pool]
    }

    /// One pool's agent time in interval `k`, to add to.
    #[inline]
    pub fn pool_interval_mut(&mut self, k: usize, pool: usize) -> &mut PoolStats {
        let n = self.by_pool.len();
        &mut self.by_pool_interval[k * n + pool]
    }

    /// All caller types together, per interval, in time order: borrowed when
    /// kept as such (one caller type, or a frozen copy), else merged. Not a
    /// copy: each interval's histogram is tens of kilobytes, and a long run's
    /// report would otherwise hold two of every one at its peak.
    pub fn intervals(&self) -> std::borrow::Cow<'_, [IntervalStats]> {
        if let Some(v) = &self.interval_overall {
            return std::borrow::Cow::Borrowed(v);
        }
        let n = self.by_caller.len();
        if n == 1 {
            return std::borrow::Cow::Borrowed(&self.by_interval);
        }
        (0..self.intervals)
            .map(|k| {
                let mut all = IntervalStats::default();
                for c in &self.by_interval[k * n..(k + 1) * n] {
                    all.merge(c);
                }
                all
            })
            .collect()
    }

    /// All caller types together.
    pub fn overall(&self) -> CallerStats {
        if let Some(o) = &self.overall {
            return o.clone();
        }
        let mut all = CallerStats::default();
        for c in &self.by_caller {
            all.merge(c);
        }
        // Every caller type saw the same day ends: all callers together saw them once.
        all.ch.day_ends = self.by_caller.first().map_or(0, |c| c.ch.day_ends);
        all
    }

    /// Adds another replication's (or run's) counts; neither may be frozen.
    pub fn merge(&mut self, o: &RepStats) {
        for (a, b) in self.by_caller.iter_mut().zip(&o.by_caller) {
            a.merge(b);
        }
        for (a, b) in self.by_queue.iter_mut().zip(&o.by_queue) {
            a.merge(b);
        }
        for (a, b) in self.by_pool.iter_mut().zip(&o.by_pool) {
            a.merge(b);
        }
        for (a, b) in self.by_interval.iter_mut().zip(&o.by_interval) {
            a.merge(b);
        }
        for (a, b) in self.by_pool_interval.iter_mut().zip(&o.by_pool_interval) {
            a.merge(b);
        }
        for (a, b) in self.by_interval_channel.iter_mut().zip(&o.by_interval_channel) {
            a.merge(b);
        }
        for (a, b) in self.by_day.iter_mut().zip(&o.by_day) {
            a.merge(b);
        }
    }

    /// A copy with frozen summaries and its overall figures kept: a few hundred
    /// bytes per caller type and queue instead of a histogram per figure.
    pub fn frozen(&self) -> RepStats {
        RepStats {
            by_caller: self.by_caller.iter().map(CallerStats::frozen).collect(),
            by_queue: self.by_queue.iter().map(QueueStats::frozen).collect(),
            by_pool: self.by_pool.clone(),
            by_interval: Vec::new(),
            by_pool_interval: Vec::new(),
            by_interval_channel: Vec::new(),
            intervals: self.intervals,
            overall: Some(self.overall().frozen()),
            interval_overall: Some(if self.by_caller.len() == 1 {
                self.by_interval.iter().map(IntervalStats::frozen).collect()
            } else {
                self.intervals().iter().map(IntervalStats::frozen).collect()
            }),
            by_day: self.by_day.iter().map(IntervalStats::frozen).collect(),
            day_overall: (!self.by_day.is_empty())
                .then(|| (0..self.day_count()).filter_map(|d| self.day_all(d)).map(|d| d.frozen()).collect()),
        }
    }
}
