//! Finer counts of the calls dialed in each interval, which only some readers
//! need: per queue (a `queue NAME:` staffing target) and, per caller type, the
//! channel times (email response time, time to callback). Not part of
//! [`RepStats`](super::collect::RepStats): an observer counts them
//! ([`super::detail_counter`]) when asked, and only what is asked ([`Wanted`]),
//! so a run that does not ask pays nothing and one that asks for one queue
//! pays for that queue.
//!
//! Conventions, as for the per-caller intervals: a call belongs to the
//! interval it was **dialed** in, whatever happens to it later. A queue counts
//! every call offered to it (each leg: a call transferred from `billing` to
//! `tech` counts in both, in its dial interval) with the day's per-queue
//! definitions (`Metric::of_queue`). A channel time counts in the interval the
//! item arrived in (an email's, or the call that accepted the callback).

pub use super::channels::ChannelTimes;
use super::collect::QueueStats;
use super::summary::Summary;
use crate::scenario::{CallerTypeId, QueueId};

/// What to count: these queues, and whether the channel times.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wanted {
    pub queues: Vec<QueueId>,
    pub channel_times: bool,
}

impl Wanted {
    /// Every one of `queues` queues, and the channel times.
    pub fn all(queues: usize) -> Wanted {
        Wanted { queues: (0..queues).map(|q| QueueId(q as u16)).collect(), channel_times: true }
    }

    /// Nothing asked: no observer needed.
    pub fn is_empty(&self) -> bool {
        self.queues.is_empty() && !self.channel_times
    }
}

/// Per interval: the wanted queues' legs and each caller type's channel
/// times, for one replication or, merged, many. A block not wanted is `None`
/// (a coarse summary is some 16 kB, and a day has many intervals).
#[derive(Clone, Debug, Default)]
pub struct IntervalDetail {
    queues: usize,
    callers: usize,
    /// Index `interval * queues + queue`; coarse hold summaries.
    by_queue: Vec<Option<QueueStats>>,
    /// Index `interval * callers + caller`; empty when the channel times are not wanted.
    by_caller: Vec<ChannelTimes>,
}

impl IntervalDetail {
    pub fn new(intervals: usize, queues: usize, callers: usize, wanted: &Wanted) -> IntervalDetail {
        let block = |q: usize| {
            wanted
                .queues
                .iter()
                .any(|w| w.index() == q)
                .then(|| QueueStats { wait: Summary::coarse(), ..QueueStats::default() })
        };
        let channel_blocks = if wanted.channel_times { intervals * callers } else { 0 };
        IntervalDetail {
            queues,
            callers,
            by_queue: (0..intervals * queues).map(|i| block(i % queues.max(1))).collect(),
            by_caller: (0..channel_blocks).map(|_| ChannelTimes::default()).collect(),
        }
    }

    /// The legs offered to queue `q` by the calls dialed in interval `k`, if counted.
    pub fn queue(&self, k: usize, q: QueueId) -> Option<&QueueStats> {
        self.by_queue.get(k * self.queues + q.index()).and_then(Option::as_ref)
    }

    pub fn queue_mut(&mut self, k: usize, q: QueueId) -> Option<&mut QueueStats> {
        self.by_queue.get_mut(k * self.queues + q.index()).and_then(Option::as_mut)
    }

    /// The channel times of caller type `c`'s items that arrived in interval `k`, if counted.
    pub fn caller(&self, k: usize, c: CallerTypeId) -> Option<&ChannelTimes> {
        self.by_caller.get(k * self.callers + c.index())
    }

    pub fn caller_mut(&mut self, k: usize, c: CallerTypeId) -> Option<&mut ChannelTimes> {
        self.by_caller.get_mut(k * self.callers + c.index())
    }

    /// Every caller type's channel times in interval `k`, together, if counted.
    pub fn all_callers(&self, k: usize) -> Option<ChannelTimes> {
        let row = self.by_caller.get(k * self.callers..(k + 1) * self.callers)?;
        let mut all = ChannelTimes::default();
        for c in row {
            all.merge(c);
        }
        Some(all)
    }

    /// Adds another replication's counts (of the same design, the same blocks wanted).
    pub fn merge(&mut self, o: &IntervalDetail) {
        for (a, b) in self.by_queue.iter_mut().zip(&o.by_queue) {
            if let (Some(a), Some(b)) = (a, b) {
                a.merge(b);
            }
        }
        for (a, b) in self.by_caller.iter_mut().zip(&o.by_caller) {
            a.merge(b);
        }
    }
}
