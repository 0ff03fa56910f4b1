//! The estimated wait (EWT) and virtual hold (callbacks).
//!
//! EWT is the queue-length predictor (Whitt 1999, "Predicting queueing
//! delays"): a caller who finds `n` contacts of their channel ahead waits for
//! `n + 1` departures; with `s` agents (× chats each for chat) eligible at once
//! and mean handle `h` (the caller's reason, averaged over the queue's first
//! pools), EWT = (n + 1) · h / s. It is the exact mean wait of M/M/s FCFS when
//! every agent is busy, needs only what an ACD knows, and errs where the model
//! does (abandonment ahead shortens the wait, overflow and shifts change s):
//! the report's `ewt_error` shows by how much. A callback that does not keep
//! its place waits for the line to empty instead and is told the last such
//! callback's wait (`ewt_deferred`). See docs/channels.md.
//!
//! A caller told an EWT (the queue's `announce_ewt`, or a callback offer, which
//! states the wait) compares it with their own patience and leaves at once if
//! their patience is shorter; the others wait with the same patience as before.

use super::engine::{Callback, Engine};
use super::events::Event;
use super::mode::Mode;
use super::rng::{CallerStream, Purpose};
use super::trace::{Observer, Step};
use crate::scenario::{Channel, PoolId, QueueId, Scenario};
use crate::stats::collect::{CallRecord, Outcome};
use crate::time::SimDuration;

use super::agents::Agent;

/// How a caller who must wait waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Hold {
    /// On the line.
    Line,
    /// A callback that keeps the caller's place.
    Callback,
    /// A callback made when nobody holds on the line (`keep_place: false`).
    Deferred,
    /// Left at once on hearing the estimated wait.
    Left,
}

/// Per queue and reason (queue × reasons + reason): the mean handle time in
/// seconds that the EWT uses — the mean over the pools answering the queue at
/// once (no `after`), else over all its pools.
pub(super) fn ewt_handle_means(sc: &Scenario) -> Vec<f64> {
    if !sc.queues.iter().any(|q| q.callback.is_some() || q.announce_ewt) {
        return Vec::new();
    }
    let n = sc.reasons.len();
    let mut out = Vec::with_capacity(sc.queues.len() * n);
    for q in &sc.queues {
        let first: Vec<PoolId> = q.pools.iter().filter(|(_, a)| *a == SimDuration::ZERO).map(|(p, _)| *p).collect();
        let pools: Vec<PoolId> = if first.is_empty() { q.pools.iter().map(|(p, _)| *p).collect() } else { first };
        for r in 0..n {
            let sum: f64 = pools.iter().map(|p| sc.pools[p.index()].handle[r].mean()).sum();
            out.push(if pools.is_empty() { 0.0 } else { sum / pools.len() as f64 });
        }
    }
    out
}

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// The estimated wait of a contact of channel `ch` and reason index `r`
    /// joining queue `q` now; infinite when nobody is on duty to answer it.
    pub(super) fn ewt(&self, q: QueueId, ch: Channel, r: usize) -> SimDuration {
        let ahead = self.queues[q.index()].count[ch.index()];
        match self.ewt_rate(q, ch, r) {
            Some((h, servers)) => SimDuration::from_secs_f64(f64::from(ahead + 1) * h / servers),
            None => SimDuration::INFINITE,
        }
    }

    /// The estimated wait of a callback that does not keep its place, from
    /// queue `q` now (reason index `r`): it is dialed once the line has
    /// emptied, and callers who dial in meanwhile go first, so the queue's
    /// length says little. It is told what the last such callback of the day
    /// waited from acceptance to its first dial (the "last to enter service"
    /// delay-history estimator of Ibrahim & Whitt 2009); before any today,
    /// the work ahead, (n + d + 1) · h / s, with `d` such callbacks waiting.
    pub(super) fn ewt_deferred(&self, q: QueueId, r: usize) -> SimDuration {
        let qs = &self.queues[q.index()];
        if let Some(last) = qs.last_deferred_wait {
            return last;
        }
        let Some((h, servers)) = self.ewt_rate(q, Channel::Voice, r) else { return SimDuration::INFINITE };
        let ahead = f64::from(qs.count[Channel::Voice.index()] + qs.deferred_count + 1);
        SimDuration::from_secs_f64(ahead * h / servers)
    }

    /// The mean handle time (s) the estimate uses for reason `r` at queue `q`,
    /// and the servers eligible at once for channel `ch` (agents on duty, ×
    /// chats each for chat); `None` when nobody is on duty to answer.
    fn ewt_rate(&self, q: QueueId, ch: Channel, r: usize) -> Option<(f64, f64)> {
        let servers: u32 = self.sc.queues[q.index()]
            .pools
            .iter()
            .filter(|(_, after)| *after == SimDuration::ZERO)
            .map(|(p, _)| {
                let ps = &self.pools[p.index()];
                if !ps.works[ch.index()] {
                    0
                } else if ch == Channel::Chat {
                    ps.present * u32::from(ps.k)
                } else {
                    ps.present
                }
            })
            .sum();
        if servers == 0 {
            return None;
        }
        Some((self.ewt_handle[q.index() * self.sc.reasons.len() + r], f64::from(servers)))
    }

    /// A caller who must wait in queue `q`: told the estimated wait and
    /// offered a callback where the queue says so.
    pub(super) fn before_hold(&mut self, slot: u32, q: QueueId) -> Hold {
        let sc = self.sc;
        let qd = &sc.queues[q.index()];
        let c = &self.calls[slot as usize];
        let offer = qd.callback.as_ref().filter(|_| c.channel == Channel::Voice && c.cb == Callback::None);
        if (offer.is_none() && !qd.announce_ewt) || c.channel == Channel::Email {
            return Hold::Line;
        }
        let ewt = self.ewt(q, c.channel, c.reason.index());
        let finite = (!ewt.is_infinite()).then_some(ewt);
        let ct = &sc.callers[c.caller.index()];
        let (key, call_no, caller, reason) = (c.key, c.call_no, c.caller.index(), c.reason.index());
        let mut told = qd.announce_ewt;
        if let Some(cb) = offer.filter(|cb| ewt > cb.offer_when_ewt_over) {
            told = true;
            let accept = ct.callback_accept.unwrap_or(cb.accept);
            let yes = CallerStream::for_purpose(key, Purpose::Callback, call_no, 0).unit() < accept;
            let s = &mut self.stats.by_caller[caller].ch;
            s.callbacks_offered += 1;
            self.trace(slot, Step::CallbackOffered { queue: q, ewt, accepted: yes });
            if yes {
                self.stats.by_caller[caller].ch.callbacks_accepted += 1;
                self.stats.by_queue[q.index()].off_line += 1;
                // What they are told: their place's wait, or for a callback made
                // in the quiet moments, the wait until the line has emptied.
                let told = if cb.keep_place { finite } else { Some(self.ewt_deferred(q, reason)) };
                let c = &mut self.calls[slot as usize];
                c.cb = Callback::Promised { accepted: self.now, tries: 0, deferred: !cb.keep_place };
                c.ewt = told.filter(|t| !t.is_infinite());
                return if cb.keep_place { Hold::Callback } else { Hold::Deferred };
            }
        }
        if !told {
            return Hold::Line;
        }
        let c = &mut self.calls[slot as usize];
        let left = c.patience.saturating_sub(c.hold);
        if qd.announce_ewt {
            self.trace(slot, Step::EwtAnnounced { queue: q, ewt, left: left < ewt });
        }
        let c = &mut self.calls[slot as usize];
        if left < ewt {
            // Their patience is shorter than the wait they were told: they leave now.
            c.ewt = None;
            self.stats.by_caller[caller].ch.left_on_ewt += 1;
            let qs = &mut self.stats.by_queue[q.index()];
            qs.abandoned += 1;
            qs.wait.record(SimDuration::ZERO);
            self.release_warm(slot);
            self.end_call(slot, Outcome::AbandonedQueue, true);
            return Hold::Left;
        }
        c.ewt = finite;
        Hold::Line
    }

    /// A waiting contact is answered (or starts being worked): an email's
    /// response time, and the estimated wait beside the wait that followed.
    pub(super) fn on_answered(&mut self, slot: u32, leg_hold: SimDuration) {
        let sc = self.sc;
        let c = &mut self.calls[slot as usize];
        let s = &mut self.stats.by_caller[c.caller.index()].ch;
        if let Some(e) = c.ewt.take() {
            s.record_ewt(e, leg_hold);
        }
        if c.channel == Channel::Email && c.answered_at.is_none() {
            let (dial, caller) = (c.dial, c.caller.index());
            let response = self.now.since(dial);
            s.emails_started += 1;
            s.response_time.record(response);
            let within = response <= sc.callers[caller].response_target;
            s.within_target += u64::from(within);
            let k = self.interval_of(dial);
            if let Some(t) = self.stats.interval_channel_mut(k, caller) {
                t.response_time.record(response);
                t.within_target += u64::from(within);
            }
        }
    }

    /// Emails and callbacks are answered off the line: counted answered, not
    /// in hold times, time to answer or service level.
    pub(super) fn channel_record(&self, slot: u32, mut r: CallRecord) -> CallRecord {
        let c = &self.calls[slot as usize];
        if c.channel == Channel::Email || c.cb != Callback::None {
            r.answered_apart = c.answered_at.is_some();
            r.hold = None;
            r.first_hold = None;
            r.time_to_answer = None;
        }
        r
    }

    /// A promised callback's turn has come: the agent dials.
    pub(super) fn dial_back(&mut self, slot: u32, pool: PoolId, agent: u32) {
        self.leave_queue(slot);
        let now = self.now;
        let c = &mut self.calls[slot as usize];
        let Callback::Promised { accepted, tries, .. } = c.cb else { return };
        if tries == 0 {
            if let Some(e) = c.ewt.take() {
                self.stats.by_caller[c.caller.index()].ch.record_ewt(e, now.since(accepted));
            }
            // Today's delay history for the next deferred callback's estimate
            // (one carried over the night says nothing about today).
            let Callback::Promised { deferred, .. } = c.cb else { return };
            if deferred && accepted.0 >= self.horizon.0.saturating_sub(self.sc.horizon.0) {
                self.queues[c.queue.index()].last_deferred_wait = Some(now.since(accepted));
            }
        }
        let q = c.queue;
        let dial = self.sc.queues[q.index()].callback.as_ref().map_or(SimDuration::ZERO, |cb| cb.dial);
        self.account(pool);
        let p = &mut self.pools[pool.index()];
        debug_assert_eq!(p.agents[agent as usize], Agent::Idle, "agent dialing while busy");
        p.agents[agent as usize] = Agent::Dialing(slot);
        p.busy += 1;
        if O::ENABLED {
            let (busy, present) = (p.busy, p.present);
            self.obs.agents(now, pool, busy, present);
        }
        self.trace(slot, Step::CallbackDial { pool, agent, attempt: tries + 1 });
        self.events.schedule(now + dial, Event::DialEnd { pool: pool.0, agent });
    }

    /// The dial is over: the caller answers (the call goes on as if answered
    /// on the line), or a retry later, or the callback failed.
    pub(super) fn on_dial_end(&mut self, pool: PoolId, agent: u32) {
        let Agent::Dialing(slot) = self.pools[pool.index()].agents[agent as usize] else {
            debug_assert!(false, "a dial ended for an agent who was not dialing");
            return;
        };
        let now = self.now;
        let c = &mut self.calls[slot as usize];
        let Callback::Promised { accepted, tries, deferred } = c.cb else { return };
        let tries = tries + 1;
        let Some(cb) = self.sc.queues[c.queue.index()].callback.as_ref() else { return };
        let reached = CallerStream::for_purpose(c.key, Purpose::Callback, c.call_no, tries).unit() < cb.reach;
        let s = &mut self.stats.by_caller[c.caller.index()].ch;
        if reached {
            s.callbacks_completed += 1;
            s.time_to_callback.record(now.since(accepted));
            let (dial, caller) = (c.dial, c.caller.index());
            let k = self.interval_of(dial);
            if let Some(t) = self.stats.interval_channel_mut(k, caller) {
                t.time_to_callback.record(now.since(accepted));
            }
            let c = &mut self.calls[slot as usize];
            c.cb = Callback::Reached;
            self.trace(slot, Step::CallbackTry { attempt: tries, reached: true, waited: now.since(accepted) });
            self.account(pool);
            let p = &mut self.pools[pool.index()];
            p.busy -= 1;
            p.agents[agent as usize] = Agent::Idle;
            return self.answer(slot, pool, agent);
        }
        c.cb = Callback::Promised { accepted, tries, deferred };
        let (attempts, retry_after) = (cb.attempts, cb.retry_after);
        self.trace(slot, Step::CallbackTry { attempt: tries, reached: false, waited: now.since(accepted) });
        if tries < attempts {
            self.events.schedule(now + retry_after, Event::CallbackRetry { slot });
        } else {
            self.end_call(slot, Outcome::CallbackFailed, true);
        }
        self.release_agent(pool, agent, SimDuration::ZERO);
    }

    /// A callback to dial again: it goes back to the head of its queue (it has
    /// waited its turn already) and a free agent takes it at once.
    pub(super) fn on_callback_retry(&mut self, slot: u32) {
        let c = &mut self.calls[slot as usize];
        let Callback::Promised { accepted, deferred, .. } = c.cb else { return };
        c.leg = c.leg.wrapping_add(1);
        c.leg_start = accepted;
        c.waiting = true;
        let (q, leg, level) = (c.queue, c.leg, self.level_of[c.caller.index()]);
        let qs = &mut self.queues[q.index()];
        if deferred {
            qs.deferred.push_front((slot, leg));
            qs.deferred_count += 1;
        } else {
            qs.fifos[Channel::Voice.index()][level].push_front((slot, leg));
            qs.count[Channel::Voice.index()] += 1;
        }
        if self.closed {
            return;
        }
        let sc = self.sc;
        for &(pool, after) in &sc.queues[q.index()].pools {
            if after == SimDuration::ZERO {
                if let Some(agent) = self.free_agent(pool, Channel::Voice) {
                    return self.answer(slot, pool, agent);
                }
            }
        }
    }
}
