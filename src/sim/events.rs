//! The future event list: a binary heap ordered by (time, insertion sequence),
//! so events at the same instant run in the order they were scheduled and a
//! run is deterministic. Push and pop are O(log n); n is the number of pending
//! events (about agents + waiting callers), and the heap's storage is reused,
//! so the hot loop allocates nothing once it has grown.

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
    /// An agent finishes one of their chats (talk; wrap-up follows).
    ChatEnd { pool: u16, agent: u32, slot: u32 },
    /// A chat's wrap-up ends: the agent's chat slot frees.
    ChatFree { pool: u16, agent: u32 },
    /// An agent finishes dialing a promised callback.
    DialEnd { pool: u16, agent: u32 },
    /// A callback that did not reach the caller is due to be dialed again.
    CallbackRetry { slot: u32 },
    /// A day's opening hours end (days and channels only).
    DayEnd { day: u32 },
    /// The next day starts.
    DayStart { day: u32 },
    /// An agent finishes the email they are working on (stale unless the
    /// agent's `epoch` is unchanged: a call may have taken them off it).
    EmailEnd { pool: u16, agent: u32, epoch: u32 },
    /// An email's wrap-up ends (stale likewise).
    EmailWrapEnd { pool: u16, agent: u32, epoch: u32 },
    /// An agent's on-phone stretch is over (`availability`; stale unless `epoch` is the agent's).
    PhoneDue { pool: u16, agent: u32, epoch: u32 },
    /// An agent's off-phone spell is over (stale likewise).
    AwayEnd { pool: u16, agent: u32, epoch: u32 },
    /// A rota agent's shift starts (`shifts:`).
    RotaOn { pool: u16, agent: u32 },
    /// A rota agent's shift ends.
    RotaOff { pool: u16, agent: u32 },
    /// A rota agent is due for break `k` of their shift.
    BreakDue { pool: u16, agent: u32, k: u16 },
    /// A rota agent's break is over.
    BreakEnd { pool: u16, agent: u32 },
}

/// An event with its sort key: time in the high 64 bits, insertion sequence
/// in the low 64 (one integer comparison orders by time, then by scheduling).
#[derive(Clone, Copy, Debug)]
struct Scheduled {
    key: u128,
    event: Event,
}

/// A binary min-heap on `key`. Hand-written rather than `std`'s `BinaryHeap`
/// because the engine's heap is small (about one event per agent and waiting
/// caller) and popped once per event: a plain sift-down that stops as soon as
/// the hole is in place does fewer moves than std's sift-to-bottom-then-up,
/// which pays off on large heaps only.
///
/// The next Poisson arrival of each caller type waits beside the heap, not in
/// it ([`schedule_arrival`](Self::schedule_arrival)): there is exactly one per
/// type, so a pop compares the heap's top with the earliest of them (kept at
/// hand) instead of sifting every call's arrival through the heap. The order
/// is the same: arrivals take their sequence number from the same counter.
pub struct EventQueue {
    heap: Vec<Scheduled>,
    seq: u64,
    /// Per caller type, its next arrival's key (`u128::MAX`: none pending).
    arrivals: Vec<u128>,
    /// The earliest of `arrivals`: (key, caller type).
    next_arrival: (u128, u16),
}

impl Default for EventQueue {
    fn default() -> Self {
        EventQueue { heap: Vec::new(), seq: 0, arrivals: Vec::new(), next_arrival: (u128::MAX, 0) }
    }
}

impl EventQueue {
    /// O(log n).
    #[inline]
    pub fn schedule(&mut self, time: SimTime, event: Event) {
        self.seq += 1;
        let item = Scheduled { key: (u128::from(time.0) << 64) | u128::from(self.seq), event };
        let mut i = self.heap.len();
        self.heap.push(item);
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.heap[parent].key <= item.key {
                break;
            }
            self.heap[i] = self.heap[parent];
            i = parent;
        }
        self.heap[i] = item;
    }

    /// Caller type `caller`'s next arrival at `time`, replacing any pending
    /// one (a type has one pending arrival at a time). O(1), unless it
    /// replaces the earliest with a later one: O(caller types).
    #[inline]
    pub fn schedule_arrival(&mut self, time: SimTime, caller: u16) {
        self.seq += 1;
        let c = usize::from(caller);
        if self.arrivals.len() <= c {
            self.arrivals.resize(c + 1, u128::MAX);
        }
        let key = (u128::from(time.0) << 64) | u128::from(self.seq);
        self.arrivals[c] = key;
        if key < self.next_arrival.0 {
            self.next_arrival = (key, caller);
        } else if self.next_arrival.1 == caller {
            self.find_next_arrival();
        }
    }

    fn find_next_arrival(&mut self) {
        self.next_arrival = (u128::MAX, 0);
        for (c, &key) in self.arrivals.iter().enumerate() {
            if key < self.next_arrival.0 {
                self.next_arrival = (key, c as u16);
            }
        }
    }

    /// The earliest event, first scheduled first among equal times. O(log n).
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        let (arrival, caller) = self.next_arrival;
        if arrival != u128::MAX && self.heap.first().is_none_or(|top| arrival < top.key) {
            self.arrivals[usize::from(caller)] = u128::MAX;
            self.find_next_arrival();
            return Some((SimTime((arrival >> 64) as u64), Event::Arrival { caller }));
        }
        let top = *self.heap.first()?;
        let last = self.heap.pop()?;
        let n = self.heap.len();
        if n > 0 {
            let mut i = 0;
            loop {
                let left = 2 * i + 1;
                if left >= n {
                    break;
                }
                let right = left + 1;
                let child = if right < n && self.heap[right].key < self.heap[left].key { right } else { left };
                if last.key <= self.heap[child].key {
                    break;
                }
                self.heap[i] = self.heap[child];
                i = child;
            }
            self.heap[i] = last;
        }
        Some((SimTime((top.key >> 64) as u64), top.event))
    }

    pub fn len(&self) -> usize {
        self.heap.len() + self.arrivals.iter().filter(|k| **k != u128::MAX).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_come_out_in_time_order_whatever_the_order_they_went_in() {
        let mut q = EventQueue::default();
        let mut x: u64 = 12345;
        let mut times = Vec::new();
        for i in 0..2000u32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let t = x >> 54;
            times.push((t, i));
            q.schedule(SimTime(t), Event::Redial { slot: i });
            if i % 3 == 0 {
                // Interleave pops with pushes, as the engine does.
                times.sort();
                let (t0, s0) = times.remove(0);
                assert_eq!(q.pop(), Some((SimTime(t0), Event::Redial { slot: s0 })));
            }
        }
        times.sort();
        for (t, s) in times {
            assert_eq!(q.pop(), Some((SimTime(t), Event::Redial { slot: s })));
        }
        assert!(q.is_empty());
    }

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

    #[test]
    fn a_pending_arrival_replaced_by_a_later_one_gives_way_to_the_next_earliest() {
        let mut q = EventQueue::default();
        q.schedule_arrival(SimTime(10), 0);
        q.schedule_arrival(SimTime(5), 1);
        q.schedule_arrival(SimTime(20), 1);
        q.schedule(SimTime(15), Event::Redial { slot: 7 });
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            [
                (SimTime(10), Event::Arrival { caller: 0 }),
                (SimTime(15), Event::Redial { slot: 7 }),
                (SimTime(20), Event::Arrival { caller: 1 })
            ]
        );
    }

    #[test]
    fn arrivals_beside_the_heap_keep_the_order_of_one_heap() {
        // The same events through one heap only, and with arrivals beside it:
        // the same sequence, ties broken by scheduling order in both.
        let mut one = EventQueue::default();
        let mut two = EventQueue::default();
        let mut x: u64 = 99;
        let mut next = || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            x >> 58
        };
        let mut pending = [false; 3];
        let mut out = (Vec::new(), Vec::new());
        let mut now = 0;
        for i in 0..3000u32 {
            let t = SimTime(now + next());
            let caller = (i % 4) as u16;
            if caller < 3 && !pending[caller as usize] {
                pending[caller as usize] = true;
                one.schedule(t, Event::Arrival { caller });
                two.schedule_arrival(t, caller);
            } else {
                one.schedule(t, Event::Redial { slot: i });
                two.schedule(t, Event::Redial { slot: i });
            }
            if i % 2 == 1 {
                let (a, b) = (one.pop(), two.pop());
                if let Some((time, Event::Arrival { caller })) = a {
                    pending[caller as usize] = false;
                    now = time.0;
                }
                out.0.push(a);
                out.1.push(b);
            }
        }
        while let Some(e) = one.pop() {
            out.0.push(Some(e));
        }
        while let Some(e) = two.pop() {
            out.1.push(Some(e));
        }
        assert_eq!(out.0, out.1);
        assert!(one.is_empty() && two.is_empty());
    }
}
