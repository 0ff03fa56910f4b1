//! One queue served first come, first served by one pool whose agents are
//! all on duty all day: no event list is needed. Each caller, in the order
//! they dial, takes the agent free soonest (Kiefer & Wolfowitz's recursion
//! for the multi-server queue, Lindley's for one agent): their wait is that
//! agent's free time less their dial time, known the moment they dial; a
//! caller whose patience runs out first hangs up and takes no agent. So a
//! call costs its draws, a look at the soonest-free agent and its counts.
//!
//! The figures are the event engine's to the last bit, not an approximation:
//! the same draws from the same streams (every draw is keyed by the caller,
//! not by the order of events), the same counts, and agent time integrated
//! over the same spans. Waits do not depend on which idle agent answers, and
//! an arrival at the instant an agent frees gets the same wait in either
//! order. The one order that matters is a caller whose patience runs out at
//! the very tick an agent frees: the event engine decides it by which was
//! scheduled first, so this path gives up (returns false) and the caller
//! runs the event engine instead. `tests/all/fifo.rs` compares the two on
//! random designs.

use super::arrivals::reason_of;
use super::engine::Engine;
use super::mode::VoiceOnly;
use super::rng::{CallerStream, Purpose, caller_draw};
use super::trace::Observer;
use crate::scenario::{Channel, QueueId, Scenario, Target};
use crate::stats::collect::{CallRecord, Outcome};
use crate::time::{SimDuration, SimTime};

/// Whether this path gives the scenario's figures: voice only, one day, one
/// queue with no limit, callback or announcement, one pool answering it at
/// once with a constant head count and no transfers, callers who dial that
/// queue directly, never redial and share one priority.
pub(super) fn eligible(sc: &Scenario) -> bool {
    let ([q], [p]) = (&sc.queues[..], &sc.pools[..]) else { return false };
    sc.days == 1
        && sc.start.is_none()
        && !sc.uses_channels()
        && !sc.uses_availability()
        && q.capacity.is_none()
        && q.callback.is_none()
        && !q.announce_ewt
        && matches!(q.pools[..], [(pool, after)] if pool.index() == 0 && after == SimDuration::ZERO)
        && p.rota.is_empty()
        && matches!(p.shifts[..], [(from, n)] if from == SimTime::ZERO && n >= 1)
        && p.channel_priority.contains(&Channel::Voice)
        && p.transfer.iter().all(Option::is_none)
        && !p.misroute.contains(&true)
        && sc.callers.windows(2).all(|w| w[0].priority == w[1].priority)
        && sc
            .callers
            .iter()
            .all(|c| c.entry == Target::Queue(QueueId(0)) && c.redial.is_none() && c.channel == Channel::Voice)
}

/// The agents' free times (ticks) as a min-heap: the soonest first.
struct FreeAt(Vec<u64>);

impl FreeAt {
    #[inline]
    fn soonest(&self) -> u64 {
        self.0[0]
    }

    /// The soonest-free agent is next free at `t`.
    #[inline]
    fn replace_soonest(&mut self, t: u64) {
        let h = &mut self.0;
        let n = h.len();
        let mut i = 0;
        loop {
            let left = 2 * i + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && h[right] < h[left] { right } else { left };
            if t <= h[child] {
                break;
            }
            h[i] = h[child];
            i = child;
        }
        h[i] = t;
    }
}

impl<O: Observer> Engine<'_, O, VoiceOnly> {
    /// Runs the replication on the recursion ([`eligible`] scenarios only).
    /// Returns false, with the figures half counted, when a caller's patience
    /// ends at the tick an agent frees: run the event engine then.
    pub(super) fn run_fifo(&mut self) -> bool {
        debug_assert!(eligible(self.sc) && !O::ENABLED);
        let sc = self.sc;
        let agents = sc.pools[0].shifts[0].1;
        let mut free = FreeAt(vec![0; agents as usize]);
        // Each caller type's next dial, keyed as the event list orders
        // arrivals: by time, then by when it was drawn.
        let mut drawn = 0u64;
        let mut next: Vec<u128> = Vec::with_capacity(sc.callers.len());
        for t in 0..sc.callers.len() {
            drawn += 1;
            next.push(self.next_arrival(t).map_or(u128::MAX, |at| (u128::from(at.0) << 64) | u128::from(drawn)));
        }
        let horizon = self.horizon.0;
        let sl = sc.service_level;
        loop {
            let (t, key) = match &next[..] {
                [only] => (0, *only),
                all => all.iter().enumerate().map(|(t, k)| (t, *k)).min_by_key(|(_, k)| *k).unwrap_or((0, u128::MAX)),
            };
            if key == u128::MAX {
                break;
            }
            let dial = (key >> 64) as u64;
            let caller_key = rand::Rng::next_u64(&mut self.arrivals[t].rng);
            self.arrivals[t].next_index += 1;
            drawn += 1;
            next[t] = self.next_arrival(t).map_or(u128::MAX, |at| (u128::from(at.0) << 64) | u128::from(drawn));

            let ct = &sc.callers[t];
            let reason = reason_of(ct, caller_key).index();
            self.stats.by_queue[0].calls += 1;
            let wait = free.soonest().saturating_sub(dial);
            if wait > 0 {
                if let Some(d) = &ct.patience {
                    let patience = caller_draw(d, caller_key, Purpose::Patience, 0, 0).0;
                    if patience == wait {
                        return false;
                    }
                    if patience < wait {
                        self.stats.by_queue[0].abandoned += 1;
                        let hold = SimDuration(patience);
                        let record = CallRecord {
                            outcome: Outcome::AbandonedQueue,
                            menu_time: SimDuration::ZERO,
                            hold: Some(hold),
                            first_hold: None,
                            time_to_answer: None,
                            transfers: 0,
                            answered_apart: false,
                        };
                        self.record_ended(t, SimTime(dial), &record);
                        self.stats.by_caller[t].record_journey(None, 1);
                        continue;
                    }
                }
            }
            let hold = SimDuration(wait);
            let start = dial + wait;
            let p = &sc.pools[0];
            let talk = caller_draw(&p.handle[reason], caller_key, Purpose::Handle, 0, 0);
            let resolved = match p.resolves[reason] {
                r if r >= 1.0 => true,
                r if r <= 0.0 => false,
                r => CallerStream::for_purpose(caller_key, Purpose::Resolve, 0, 0).unit() < r,
            };
            let wrap = caller_draw(&p.wrap_up, caller_key, Purpose::WrapUp, 0, 0);
            let talk_end = start + talk.0;
            let done = talk_end + wrap.0;
            free.replace_soonest(done);
            self.add_busy(start, done.min(horizon));
            let qs = &mut self.stats.by_queue[0];
            qs.answered += 1;
            if hold <= sl {
                qs.answered_within += 1;
            }
            self.stats.by_pool[0].calls_handled += 1;
            let record = CallRecord {
                outcome: if resolved { Outcome::Resolved } else { Outcome::Unresolved },
                menu_time: SimDuration::ZERO,
                hold: Some(hold),
                first_hold: Some(hold),
                time_to_answer: Some(hold),
                transfers: 0,
                answered_apart: false,
            };
            self.record_ended(t, SimTime(dial), &record);
            let resolved_after = resolved.then_some(SimDuration(talk_end - dial));
            self.stats.by_caller[t].record_journey(resolved_after, 1);
        }
        self.add_staffed(agents, horizon);
        self.set_spans();
        self.fold_held_back();
        true
    }

    /// One agent busy over `[from, to)` (ticks, `to` cut at the horizon):
    /// into the pool's agent time and each interval's share of it.
    #[inline]
    fn add_busy(&mut self, from: u64, to: u64) {
        if to <= from {
            return;
        }
        self.stats.by_pool[0].busy += u128::from(to - from);
        let mut a = from;
        loop {
            let k = self.interval_of(SimTime(a));
            let b = to.min(self.interval_span.1);
            self.stats.pool_interval_mut(k, 0).busy += u128::from(b - a);
            if b >= to {
                return;
            }
            a = b;
        }
    }

    /// `agents` on duty from the start to the horizon, in the day's and each interval's agent time.
    fn add_staffed(&mut self, agents: u32, horizon: u64) {
        let n = u128::from(agents);
        self.stats.by_pool[0].staffed += n * u128::from(horizon);
        for k in 0..self.interval_count {
            let (from, to) = self.sc.intervals.bounds(k);
            self.stats.pool_interval_mut(k, 0).staffed += n * u128::from(to.0.saturating_sub(from.0));
        }
    }
}
