//! Finer counts of the calls dialed in each interval, which only some readers
//! need: per queue (a `queue NAME:` staffing target) and, per caller type, the
//! channel times (email response time, time to callback). Not part of
//! [`RepStats`](super::collect::RepStats): an observer counts them
//! ([`super::detail_counter`]) when asked, so a run that does not ask pays nothing.
//!
//! Conventions, as for the per-caller intervals: a call belongs to the
//! interval it was **dialed** in, whatever happens to it later. A queue counts
//! every call offered to it (each leg: a call transferred from `billing` to
//! `tech` counts in both, in its dial interval) with the day's per-queue
//! definitions (`Metric::of_queue`). A channel time counts in the interval the
//! item arrived in (an email's, or the call that accepted the callback).

use super::collect::QueueStats;
use super::summary::Summary;
use crate::scenario::{CallerTypeId, QueueId};

/// The channel times of the items of one caller type that arrived in an interval.
#[derive(Clone, Debug)]
pub struct ChannelTimes {
    /// Email: arrival to an agent starting on it.
    pub response_time: Summary,
    /// Accepting a callback to the agent reaching the caller.
    pub time_to_callback: Summary,
}

impl Default for ChannelTimes {
    fn default() -> Self {
        ChannelTimes { response_time: Summary::coarse(), time_to_callback: Summary::coarse() }
    }
}

impl ChannelTimes {
    pub fn merge(&mut self, o: &ChannelTimes) {
        self.response_time.merge(&o.response_time);
        self.time_to_callback.merge(&o.time_to_callback);
    }
}

/// Per interval: each queue's legs and each caller type's channel times, for
/// one replication or, merged, many.
#[derive(Clone, Debug, Default)]
pub struct IntervalDetail {
    queues: usize,
    callers: usize,
    /// Index `interval * queues + queue`; coarse hold summaries.
    by_queue: Vec<QueueStats>,
    /// Index `interval * callers + caller`.
    by_caller: Vec<ChannelTimes>,
}

impl IntervalDetail {
    pub fn new(intervals: usize, queues: usize, callers: usize) -> IntervalDetail {
        let queue = || QueueStats { wait: Summary::coarse(), ..QueueStats::default() };
        IntervalDetail {
            queues,
            callers,
            by_queue: (0..intervals * queues).map(|_| queue()).collect(),
            by_caller: (0..intervals * callers).map(|_| ChannelTimes::default()).collect(),
        }
    }

    /// The legs offered to queue `q` by the calls dialed in interval `k`.
    pub fn queue(&self, k: usize, q: QueueId) -> &QueueStats {
        &self.by_queue[k * self.queues + q.index()]
    }

    pub fn queue_mut(&mut self, k: usize, q: QueueId) -> &mut QueueStats {
        &mut self.by_queue[k * self.queues + q.index()]
    }

    /// The channel times of caller type `c`'s items that arrived in interval `k`.
    pub fn caller(&self, k: usize, c: CallerTypeId) -> &ChannelTimes {
        &self.by_caller[k * self.callers + c.index()]
    }

    pub fn caller_mut(&mut self, k: usize, c: CallerTypeId) -> &mut ChannelTimes {
        &mut self.by_caller[k * self.callers + c.index()]
    }

    /// Every caller type's channel times in interval `k`, together.
    pub fn all_callers(&self, k: usize) -> ChannelTimes {
        let mut all = ChannelTimes::default();
        for c in &self.by_caller[k * self.callers..(k + 1) * self.callers] {
            all.merge(c);
        }
        all
    }

    /// Adds another replication's counts (of the same design).
    pub fn merge(&mut self, o: &IntervalDetail) {
        for (a, b) in self.by_queue.iter_mut().zip(&o.by_queue) {
            a.merge(b);
        }
        for (a, b) in self.by_caller.iter_mut().zip(&o.by_caller) {
            a.merge(b);
        }
    }
}
