//! The future event list: a binary heap ordered by (time, insertion sequence),
//! so events at the same instant run in the order they were scheduled and a
//! run is deterministic. Push and pop are O(log n); n is the number of pending
//! events (about agents + waiting callers), and the heap's storage is reused,
//! so the hot loop allocates nothing once it has grown.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// What happens. Small and `Copy`: ids only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The next first call of a caller type.
    Arrival { caller: u16 },
    /// A caller finished listening to the current menu node.
    MenuDone { slot: u32 },
    /// A waiting caller's patience runs out (stale unless still in `leg`).
    Patience { slot: u32, leg: u32 },
    /// A waiting caller becomes eligible for an overflow pool.
    Overflow { slot: u32, leg: u32 },
    /// An agent finishes talking.
    TalkEnd { pool: u16, agent: u32 },
    /// An agent finishes after-call work.
    WrapEnd { pool: u16, agent: u32 },
    /// A pool's staffing changes to shift `step`.
    Shift { pool: u16, step: u16 },
    /// A caller dials again.
    Redial { slot: u32 },
}

/// An event with its sort key: time in the high 64 bits, insertion sequence
/// in the low 64 (one integer comparison orders by time, then by scheduling).
#[derive(Clone, Copy, Debug)]
struct Scheduled {
    key: u128,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    /// Reversed: the heap's top is the earliest event, first scheduled first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

#[derive(Default)]
pub struct EventQueue {
    heap: BinaryHeap<Scheduled>,
    seq: u64,
}

impl EventQueue {
    #[inline]
    pub fn schedule(&mut self, time: SimTime, event: Event) {
        self.seq += 1;
        self.heap.push(Scheduled { key: (u128::from(time.0) << 64) | u128::from(self.seq), event });
    }

    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.heap.pop().map(|s| (SimTime((s.key >> 64) as u64), s.event))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_at_the_same_instant_run_in_scheduling_order() {
        let mut q = EventQueue::default();
        q.schedule(SimTime(5), Event::Redial { slot: 1 });
        q.schedule(SimTime(3), Event::Redial { slot: 2 });
        q.schedule(SimTime(5), Event::Redial { slot: 3 });
        q.schedule(SimTime(3), Event::Redial { slot: 4 });
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, [2, 4, 1, 3].map(|slot| Event::Redial { slot }).to_vec());
    }
}
