//! Finer counts of the calls dialed in each interval, which only some readers
//! need: per queue (a `queue NAME:` staffing target). (The channel times by
//! interval are counted by the engine itself, in `RepStats`.) Not part of
//! [`RepStats`](super::collect::RepStats): an observer counts them
//! ([`super::detail_counter`]) when asked, and only what is asked ([`Wanted`]),
//! so a run that does not ask pays nothing and one that asks for one queue
//! pays for that queue.
//!
//! Conventions, as for the per-caller intervals: a call belongs to the
//! interval it was **dialed** in, whatever happens to it later. A queue counts
//! every call offered to it (each leg: a call transferred from `billing` to
//! `tech` counts in both, in its dial interval) with the day's per-queue
//! definitions (`Metric::of_queue`).

use super::collect::QueueStats;
use super::summary::Summary;
use crate::scenario::QueueId;

/// What to count: these queues.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wanted {
    pub queues: Vec<QueueId>,
}

impl Wanted {
    /// Every one of `queues` queues.
    pub fn all(queues: usize) -> Wanted {
        Wanted { queues: (0..queues).map(|q| QueueId(q as u16)).collect() }
    }

    /// Nothing asked: no observer needed.
    pub fn is_empty(&self) -> bool {
        self.queues.is_empty()
    }
}

/// Per interval: the wanted queues' legs, for one replication or, merged,
/// many. A queue not wanted is `None` (a coarse summary is some 16 kB, and a
/// day has many intervals).
#[derive(Clone, Debug, Default)]
pub struct IntervalDetail {
    queues: usize,
    /// Index `interval * queues + queue`; coarse hold summaries.
    by_queue: Vec<Option<QueueStats>>,
}

impl IntervalDetail {
    pub fn new(intervals: usize, queues: usize, wanted: &Wanted) -> IntervalDetail {
        let block = |q: usize| {
            wanted
                .queues
                .iter()
                .any(|w| w.index() == q)
                .then(|| QueueStats { wait: Summary::coarse(), ..QueueStats::default() })
        };
        IntervalDetail { queues, by_queue: (0..intervals * queues).map(|i| block(i % queues.max(1))).collect() }
    }

    /// The legs offered to queue `q` by the calls dialed in interval `k`, if counted.
    pub fn queue(&self, k: usize, q: QueueId) -> Option<&QueueStats> {
        self.by_queue.get(k * self.queues + q.index()).and_then(Option::as_ref)
    }

    pub fn queue_mut(&mut self, k: usize, q: QueueId) -> Option<&mut QueueStats> {
        self.by_queue.get_mut(k * self.queues + q.index()).and_then(Option::as_mut)
    }

    /// Adds another replication's counts (of the same design, the same queues wanted).
    pub fn merge(&mut self, o: &IntervalDetail) {
        for (a, b) in self.by_queue.iter_mut().zip(&o.by_queue) {
            if let (Some(a), Some(b)) = (a, b) {
                a.merge(b);
            }
        }
    }
}
