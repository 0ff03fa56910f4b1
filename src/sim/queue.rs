//! Queues: a call arriving at a queue (answered at once, turned away, told the
//! estimated wait, offered a callback, or put on hold), leaving it (patience,
//! overflow) and the choice of the next waiting contact for a free agent, by
//! the pool's channel priority.
//!
//! Each queue keeps one FIFO per channel and priority level. A promised
//! callback that keeps its place sits in the voice FIFO like a caller on hold
//! (it is not on the line: no patience runs); one that does not keep its place
//! waits in `deferred`, dialed only when nobody holds on the line in the queue.

use std::collections::VecDeque;

use super::callbacks::Hold;
use super::engine::{Call, Callback, Engine};
use super::events::Event;
use super::mode::Mode;
use super::trace::{Observer, Step};
use crate::scenario::{Channel, PoolId, QueueId};
use crate::stats::collect::Outcome;
use crate::time::{SimDuration, SimTime};

pub(super) struct QueueState {
    /// Per channel, one FIFO per priority level, highest priority first: (slot, leg).
    pub(super) fifos: [Vec<VecDeque<(u32, u32)>>; 3],
    /// Waiting per channel (callbacks that keep their place count as voice).
    pub(super) count: [u32; 3],
    /// Callbacks that do not keep their place, in acceptance order.
    pub(super) deferred: VecDeque<(u32, u32)>,
    pub(super) deferred_count: u32,
    /// Distinct positive `after` delays of this queue's overflow pools.
    pub(super) overflow_delays: Vec<SimDuration>,
    /// How long the last callback that did not keep its place, accepted
    /// today, waited until its first dial (`callbacks::ewt_deferred`).
    pub(super) last_deferred_wait: Option<SimDuration>,
}

impl QueueState {
    pub(super) fn new(levels: usize, overflow_delays: Vec<SimDuration>) -> QueueState {
        let fifos = [vec![VecDeque::new(); levels], vec![VecDeque::new(); levels], vec![VecDeque::new(); levels]];
        QueueState {
            fifos,
            count: [0; 3],
            deferred: VecDeque::new(),
            deferred_count: 0,
            overflow_delays,
            last_deferred_wait: None,
        }
    }
}

/// Whether `c` still waits in the queue leg `leg` (else its entry is stale).
#[inline]
fn current(c: &Call, leg: u32) -> bool {
    c.waiting && c.leg == leg
}

/// The first entry of `fifo` a pool may take now: stale entries at the front
/// are dropped; after the day has closed, promised callbacks and emails not
/// yet started are passed over (they carry over to the next day), while an
/// email put down for a call is finished like the callers on the line (such
/// emails sit at the head of their FIFO). Returns its index and slot.
#[inline]
fn first_eligible(
    fifo: &mut VecDeque<(u32, u32)>,
    calls: &[Call],
    email_left: &[Option<SimDuration>],
    closed: bool,
) -> Option<(usize, u32)> {
    while let Some(&(slot, leg)) = fifo.front() {
        if current(&calls[slot as usize], leg) {
            break;
        }
        fifo.pop_front();
    }
    let &(slot, _) = fifo.front()?;
    let head = &calls[slot as usize];
    if !closed || (head.cb == Callback::None && head.channel != Channel::Email) {
        return Some((0, slot));
    }
    if head.channel == Channel::Email {
        let put_down = email_left.get(slot as usize).is_some_and(Option::is_some);
        return put_down.then_some((0, slot));
    }
    // Slow path, after hours only: the first live caller behind the callbacks.
    fifo.iter()
        .enumerate()
        .find(|(_, (s, l))| {
            let c = &calls[*s as usize];
            current(c, *l) && c.cb == Callback::None
        })
        .map(|(i, (s, _))| (i, *s))
}

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// A call arrives at a queue: answered at once by the first listed pool
    /// with a free agent for its channel, turned away if the queue is full, or
    /// put on hold (told the estimated wait, or offered a callback, where the
    /// queue says so).
    pub(super) fn offer(&mut self, slot: u32, q: QueueId) {
        let sc = self.sc;
        let ch = if M::CHANNELS { self.calls[slot as usize].channel } else { Channel::Voice };
        self.calls[slot as usize].reached_queue = true;
        self.stats.by_queue[q.index()].calls += 1;
        if M::CHANNELS && ch == Channel::Email {
            self.stats.by_queue[q.index()].off_line += 1;
        }
        for &(pool, after) in &sc.queues[q.index()].pools {
            if after == SimDuration::ZERO {
                if let Some(agent) = self.free_agent(pool, ch) {
                    self.calls[slot as usize].leg_start = self.now;
                    self.calls[slot as usize].queue = q;
                    if O::ENABLED {
                        let agents = self.agents_serving(q);
                        self.trace(slot, Step::Queued { queue: q, ahead: 0, agents });
                    }
                    self.answer(slot, pool, agent);
                    return;
                }
            }
        }
        // Nobody of this channel waits ahead: an agent puts an email down for this caller.
        if M::CHANNELS
            && self.preempt
            && ch != Channel::Email
            && self.queues[q.index()].count[ch.index()] == 0
            && self.calls[slot as usize].on_line()
        {
            if let Some((pool, agent, email)) = self.interrupt_for(q, ch, SimDuration::ZERO) {
                self.calls[slot as usize].leg_start = self.now;
                self.calls[slot as usize].queue = q;
                if O::ENABLED {
                    let agents = self.agents_serving(q);
                    self.trace(slot, Step::Queued { queue: q, ahead: 0, agents });
                }
                self.answer(slot, pool, agent);
                if let Some(e) = email {
                    self.resume_elsewhere(e);
                }
                return;
            }
        }
        let qs = &mut self.queues[q.index()];
        if let Some(cap) = sc.queues[q.index()].capacity {
            if qs.count[ch.index()] >= cap {
                // A busy signal is a call of this queue that held for zero: the
                // same definition as the caller's `wait` (one definition everywhere).
                self.stats.by_queue[q.index()].blocked += 1;
                self.record_queue_wait(q, SimDuration::ZERO);
                self.trace(slot, Step::BusySignal { queue: q });
                self.release_warm(slot);
                self.end_call(slot, Outcome::Blocked, true);
                return;
            }
        }
        let hold = if M::CHANNELS { self.before_hold(slot, q) } else { Hold::Line };
        if hold == Hold::Left {
            return;
        }
        let qs = &mut self.queues[q.index()];
        let ahead = qs.count[ch.index()];
        let c = &mut self.calls[slot as usize];
        c.leg = c.leg.wrapping_add(1);
        c.leg_start = self.now;
        c.queue = q;
        c.waiting = true;
        let leg = c.leg;
        if M::CHANNELS && hold == Hold::Line && c.on_line() {
            self.holding += 1;
        }
        let level = self.level_of[c.caller.index()];
        if hold == Hold::Deferred {
            qs.deferred.push_back((slot, leg));
            qs.deferred_count += 1;
        } else {
            qs.fifos[ch.index()][level].push_back((slot, leg));
            qs.count[ch.index()] += 1;
        }
        // Patience runs only for a caller holding on the line; email never abandons.
        if hold == Hold::Line && (!M::CHANNELS || ch != Channel::Email) && !c.patience.is_infinite() {
            let remaining = c.patience.saturating_sub(c.hold);
            self.events.schedule(self.now + remaining, Event::Patience { slot, leg });
        }
        if hold != Hold::Deferred {
            for i in 0..self.queues[q.index()].overflow_delays.len() {
                let d = self.queues[q.index()].overflow_delays[i];
                self.events.schedule(self.now + d, Event::Overflow { slot, leg });
            }
        }
        if O::ENABLED {
            let agents = self.agents_serving(q);
            self.trace(slot, Step::Queued { queue: q, ahead, agents });
        }
    }

    pub(super) fn agents_serving(&self, q: QueueId) -> u32 {
        self.sc.queues[q.index()].pools.iter().map(|(p, _)| self.pools[p.index()].present).sum()
    }

    pub(super) fn is_waiting_in(&self, slot: u32, leg: u32) -> bool {
        current(&self.calls[slot as usize], leg)
    }

    /// Takes a waiting call out of its queue (its queue entry goes stale) and,
    /// for a caller holding on the line, adds the leg's hold.
    pub(super) fn leave_queue(&mut self, slot: u32) -> SimDuration {
        let now = self.now;
        let c = &mut self.calls[slot as usize];
        let leg_hold = now.since(c.leg_start);
        let was_waiting = c.waiting;
        if c.waiting {
            c.waiting = false;
            let qs = &mut self.queues[c.queue.index()];
            match c.cb {
                Callback::Promised { deferred: true, .. } if M::CHANNELS => qs.deferred_count -= 1,
                _ if M::CHANNELS => qs.count[c.channel.index()] -= 1,
                _ => qs.count[Channel::Voice.index()] -= 1,
            }
        }
        if !M::CHANNELS || c.on_line() {
            c.hold += leg_hold;
            if M::CHANNELS && was_waiting {
                self.off_hold();
            }
        }
        leg_hold
    }

    /// A caller holding on the line left the queue (channel engine): when
    /// nobody holds any more, observers hear that the queue cleared.
    #[inline]
    fn off_hold(&mut self) {
        self.holding = self.holding.saturating_sub(1);
        if self.holding == 0 && !self.settled {
            self.obs.queue_cleared(self.now);
        }
    }

    pub(super) fn on_patience(&mut self, slot: u32, leg: u32) {
        if !self.is_waiting_in(slot, leg) {
            return;
        }
        let hold = self.leave_queue(slot);
        self.calls[slot as usize].ewt = None;
        let q = self.calls[slot as usize].queue;
        self.stats.by_queue[q.index()].abandoned += 1;
        self.record_queue_wait(q, hold);
        self.trace(slot, Step::HungUp { queue: q, hold, day_closed: false });
        self.release_warm(slot);
        self.end_call(slot, Outcome::AbandonedQueue, true);
    }

    /// A waiting call has become eligible for an overflow pool: a free agent
    /// of a now-eligible pool takes it.
    pub(super) fn on_overflow(&mut self, slot: u32, leg: u32) {
        if !self.is_waiting_in(slot, leg) {
            return;
        }
        let sc = self.sc;
        let c = &self.calls[slot as usize];
        if self.closed && !c.on_line() {
            return;
        }
        let ch = c.channel;
        let waited = self.now.since(c.leg_start);
        for &(pool, after) in &sc.queues[c.queue.index()].pools {
            if after <= waited {
                if let Some(agent) = self.free_agent(pool, ch) {
                    self.answer(slot, pool, agent);
                    return;
                }
            }
        }
        if self.preempt && ch != Channel::Email && self.calls[slot as usize].on_line() {
            let q = self.calls[slot as usize].queue;
            if let Some((pool, agent, email)) = self.interrupt_for(q, ch, waited) {
                self.answer(slot, pool, agent);
                if let Some(e) = email {
                    self.resume_elsewhere(e);
                }
            }
        }
    }

    /// The waiting contact this pool should take next: by the pool's channel
    /// priority, then highest caller priority, then longest in its queue,
    /// among contacts that have waited at least the pool's `after` in queues it
    /// serves. Email and promised callbacks are not started after the day has
    /// closed. Removes it from its queue.
    // Inlined: the voice-only check costs less than the call.
    #[inline]
    pub(super) fn best_waiting(&mut self, pool: PoolId) -> Option<u32> {
        if !M::CHANNELS {
            // Voice only: no channel order, email or deferred callbacks to weigh.
            return self.best_waiting_in(pool, Channel::Voice);
        }
        self.best_waiting_by_channel(pool)
    }

    /// [`best_waiting`](Self::best_waiting) when several channels may wait.
    #[inline(never)]
    fn best_waiting_by_channel(&mut self, pool: PoolId) -> Option<u32> {
        for i in 0..self.pools[pool.index()].order.len() {
            let ch = self.pools[pool.index()].order[i];
            // Email waits for `email_reserve` other agents to be idle (this agent
            // is not among the idle yet); after closing, only an email put down
            // for a call is taken up again (`first_eligible`).
            if ch == Channel::Email && self.pools[pool.index()].idle.len() < self.pools[pool.index()].reserve {
                continue;
            }
            if let Some(slot) = self.best_waiting_in(pool, ch) {
                return Some(slot);
            }
            if ch == Channel::Voice && self.any_deferred && !self.closed {
                if let Some(slot) = self.best_deferred(pool) {
                    return Some(slot);
                }
            }
        }
        None
    }

    /// [`best_waiting`](Self::best_waiting) within one channel.
    pub(super) fn best_waiting_in(&mut self, pool: PoolId, ch: Channel) -> Option<u32> {
        let now = self.now;
        let closed = M::CHANNELS && self.closed;
        // Fast path (the common design, and the reference workload): a pool
        // serving one queue whose callers share one priority level. Same
        // choice as the general loop below, without its bookkeeping.
        if let [(q, after)] = self.pools[pool.index()].serves[..] {
            let qs = &mut self.queues[q.index()];
            if let [fifo] = &mut qs.fifos[ch.index()][..] {
                if qs.count[ch.index()] == 0 {
                    return None;
                }
                let (at, slot) = first_eligible(fifo, &self.calls, &self.email_left, closed)?;
                if now.since(self.calls[slot as usize].leg_start) < after {
                    return None;
                }
                let taken = if at == 0 { fifo.pop_front() } else { fifo.remove(at) };
                return taken.map(|(slot, _)| slot);
            }
        }
        // (level, leg_start, index in fifo, queue)
        let mut best: Option<(usize, SimTime, usize, usize)> = None;
        for si in 0..self.pools[pool.index()].serves.len() {
            let (q, after) = self.pools[pool.index()].serves[si];
            let qs = &mut self.queues[q.index()];
            if qs.count[ch.index()] == 0 {
                continue;
            }
            for (level, fifo) in qs.fifos[ch.index()].iter_mut().enumerate() {
                if best.is_some_and(|b| b.0 < level) {
                    break;
                }
                let Some((at, slot)) = first_eligible(fifo, &self.calls, &self.email_left, closed) else { continue };
                let start = self.calls[slot as usize].leg_start;
                if now.since(start) < after {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some((bl, bs, ..)) => level < bl || (level == bl && start < bs),
                };
                if better {
                    best = Some((level, start, at, q.index()));
                }
                break;
            }
        }
        let (level, _, at, q) = best?;
        let fifo = &mut self.queues[q].fifos[ch.index()][level];
        // Nearly always the head of the line (the general remove shifts).
        let taken = if at == 0 { fifo.pop_front() } else { fifo.remove(at) };
        taken.map(|(slot, _)| slot)
    }

    /// The oldest callback that did not keep its place, in a queue this pool
    /// serves where nobody holds on the line.
    fn best_deferred(&mut self, pool: PoolId) -> Option<u32> {
        let mut best: Option<(SimTime, usize)> = None;
        for si in 0..self.pools[pool.index()].serves.len() {
            let (q, _) = self.pools[pool.index()].serves[si];
            let qs = &mut self.queues[q.index()];
            if qs.deferred_count == 0 || qs.count[Channel::Voice.index()] > 0 {
                continue;
            }
            while let Some(&(slot, leg)) = qs.deferred.front() {
                if current(&self.calls[slot as usize], leg) {
                    break;
                }
                qs.deferred.pop_front();
            }
            if let Some(&(slot, _)) = qs.deferred.front() {
                let start = self.calls[slot as usize].leg_start;
                if best.is_none_or(|(bs, _)| start < bs) {
                    best = Some((start, q.index()));
                }
            }
        }
        let (_, q) = best?;
        self.queues[q].deferred.pop_front().map(|(slot, _)| slot)
    }
}
