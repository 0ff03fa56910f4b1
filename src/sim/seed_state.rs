//! Starting a replication from the state the center is in (`run --from
//! STATE.json`) rather than from an empty center at the opening: the clock is
//! set to the snapshot's moment, then
//!
//! - callers on hold join their queues with the hold they have had (their
//!   remaining patience drawn given that hold, see `Dist::remaining`), longest
//!   holding first; emails not started and promised callbacks wait likewise;
//! - agents in talk stay busy for the rest of their talk (drawn given the
//!   talk so far) and a wrap-up, or for the rest of the wrap-up they are in;
//!   those calls were answered before the snapshot and are not counted again;
//! - agents on a break come back when it ends; the others on duty are idle and
//!   take the waiting callers at once;
//! - arrivals start at the snapshot's moment, and the pools' steps after it
//!   apply as planned (a step at the very moment replaces the snapshot's head count).
//!
//! Everything here runs once per replication, before the first event, on the
//! channel engine (`engine::simulate` never gives a snapshot to the voice-only
//! one), so the hot path does not know about it.

use super::agents::Agent;
use super::engine::{Call, Callback, Engine};
use super::events::Event;
use super::menu::Visit;
use super::mode::Mode;
use super::rng::{CallerStream, Purpose};
use super::trace::{Observer, Step};
use crate::scenario::start::{Holding, OpenEmail, Promised, Start, Talking};
use crate::scenario::{CallerTypeId, Channel, NodeId, PoolId, QueueId, ReasonId};
use crate::time::{SimDuration, SimTime};

/// Mixed into the seed for the keys of the snapshot's callers, so that they
/// are the same callers in every design run from the snapshot (`compare`).
const SNAPSHOT_STREAM: u64 = 0x736e_6170_7368_6f74; // "snapshot"

/// Where each list's callers number their keys (one stream per list).
const HOLD_KEYS: u32 = 0;
const TALK_KEYS: u32 = 1 << 20;
const CALLBACK_KEYS: u32 = 2 << 20;
const EMAIL_KEYS: u32 = 3 << 20;

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// Puts the scenario's snapshot in place, if it has one; returns its
    /// moment (time 0 without one). Arrivals and shift steps are scheduled
    /// from that moment on by the caller.
    #[cold]
    #[inline(never)]
    pub(super) fn seed_state(&mut self) -> SimTime {
        let Some(start) = self.sc.start.clone() else { return SimTime::ZERO };
        let at = start.at;
        self.now = at;
        for a in &mut self.arrivals {
            a.clock = at.as_secs_f64();
        }
        for (i, h) in start.on_hold.iter().enumerate() {
            self.seed_holding(HOLD_KEYS + i as u32, h, at);
        }
        for (i, e) in start.emails.iter().enumerate() {
            self.seed_email(EMAIL_KEYS + i as u32, e, at);
        }
        for (i, cb) in start.callbacks.iter().enumerate() {
            self.seed_callback(CALLBACK_KEYS + i as u32, cb, at);
        }
        self.seed_agents(&start);
        at
    }

    /// The key of the snapshot's `n`-th caller: the same in every design.
    fn seed_key(&self, n: u32) -> u64 {
        CallerStream::new(self.sc.seed ^ SNAPSHOT_STREAM, 100, self.rep, n).draw()
    }

    /// A call slot for one of the snapshot's callers, dialed at `dial`.
    fn seed_call(&mut self, n: u32, caller: CallerTypeId, reason: Option<ReasonId>, dial: SimTime) -> u32 {
        let key = self.seed_key(n);
        let ct = &self.sc.callers[caller.index()];
        let reason =
            reason.unwrap_or_else(|| ct.reason_for(CallerStream::for_purpose(key, Purpose::Profile, 0, 0).unit()));
        let slot = self.alloc(Call {
            caller,
            reason,
            key,
            // Apart from the day's arrivals (numbered from 0), in call ids and narrations.
            journey: u32::MAX - n,
            call_no: 0,
            journey_start: dial,
            dial,
            patience: SimDuration::INFINITE,
            hold: SimDuration::ZERO,
            menu_time: SimDuration::ZERO,
            first_hold: None,
            answered_at: None,
            reached_queue: true,
            transfers: 0,
            services: 0,
            menu_rng: CallerStream::for_purpose(key, Purpose::Menu, 0, 0),
            menu_steps: 0,
            menu_patience: SimDuration::INFINITE,
            menu_counted: SimDuration::ZERO,
            visit: Visit::NONE,
            node: NodeId(0),
            queue: QueueId(0),
            leg: 0,
            leg_start: dial,
            waiting: false,
            warm: None,
            warm_talk: false,
            channel: ct.channel,
            cb: Callback::None,
            ewt: None,
        });
        self.trace(slot, Step::Dialed);
        slot
    }

    /// Puts `slot` on hold in `q` since `since`, at priority `level`.
    fn seed_wait(&mut self, slot: u32, q: QueueId, since: SimTime, level: usize) {
        let ch = self.calls[slot as usize].channel;
        let c = &mut self.calls[slot as usize];
        c.leg = c.leg.wrapping_add(1);
        c.leg_start = since;
        c.queue = q;
        c.waiting = true;
        let (leg, on_line) = (c.leg, c.on_line());
        let qs = &mut self.queues[q.index()];
        let ahead = qs.count[ch.index()];
        let level = level.min(qs.fifos[ch.index()].len() - 1);
        qs.fifos[ch.index()][level].push_back((slot, leg));
        qs.count[ch.index()] += 1;
        if on_line {
            self.holding += 1;
        }
        let stats = &mut self.stats.by_queue[q.index()];
        stats.calls += 1;
        if ch == Channel::Email {
            stats.off_line += 1;
        }
        if on_line {
            // Overflow pools already eligible are so now.
            for i in 0..self.queues[q.index()].overflow_delays.len() {
                let d = self.queues[q.index()].overflow_delays[i];
                self.events.schedule((since + d).max(self.now), Event::Overflow { slot, leg });
            }
        }
        if O::ENABLED {
            let agents = self.agents_serving(q);
            self.trace(slot, Step::Queued { queue: q, ahead, agents });
        }
    }

    /// A caller on hold for `held`: counted in the interval of the snapshot's
    /// moment when they dialed before it (the report starts there).
    fn seed_holding(&mut self, n: u32, h: &Holding, at: SimTime) {
        let sc = self.sc;
        let held = SimDuration(h.held.0.min(at.0));
        let since = SimTime(at.0 - held.0);
        let first = sc.intervals.bounds(sc.intervals.index_of(at)).0;
        let slot = self.seed_call(n, h.caller, h.reason, since.max(first));
        self.calls[slot as usize].journey_start = since;
        let key = self.calls[slot as usize].key;
        let rest = match &sc.callers[h.caller.index()].patience {
            Some(d) => d.remaining(held.as_secs_f64(), &mut CallerStream::for_purpose(key, Purpose::Patience, 0, 0)),
            None => SimDuration::INFINITE,
        };
        let level = match h.priority {
            Some(p) => self.level_of_priority(p),
            None => self.level_of[h.caller.index()],
        };
        self.seed_wait(slot, h.queue, since, level);
        if !rest.is_infinite() {
            let c = &mut self.calls[slot as usize];
            c.patience = held + rest;
            let leg = c.leg;
            self.events.schedule(at + rest, Event::Patience { slot, leg });
        }
    }

    /// The priority level (index into a queue's FIFOs) of a priority: after
    /// every caller type's priority above it.
    fn level_of_priority(&self, p: i32) -> usize {
        let mut above: Vec<i32> = self.sc.callers.iter().map(|c| c.priority).filter(|q| *q > p).collect();
        above.sort_unstable();
        above.dedup();
        above.len()
    }

    fn seed_email(&mut self, n: u32, e: &OpenEmail, at: SimTime) {
        let since = SimTime(at.0 - e.age.0.min(at.0));
        let slot = self.seed_call(n, e.caller, e.reason, since);
        let level = self.level_of[e.caller.index()];
        self.seed_wait(slot, e.queue, since, level);
    }

    /// A promised callback: dialed from its due time on, ahead of the
    /// callbacks promised after the snapshot (it goes back to the head of the
    /// line like a retry).
    fn seed_callback(&mut self, n: u32, cb: &Promised, at: SimTime) {
        let accepted = SimTime(at.0 - cb.waited.0.min(at.0));
        let slot = self.seed_call(n, cb.caller, cb.reason, accepted);
        let keep_place = self.sc.queues[cb.queue.index()].callback.as_ref().is_none_or(|c| c.keep_place);
        let c = &mut self.calls[slot as usize];
        c.queue = cb.queue;
        c.cb = Callback::Promised { accepted, tries: cb.attempts, deferred: !keep_place };
        self.events.schedule(cb.due.max(at), Event::CallbackRetry { slot });
    }

    /// Agents: busy ones for the rest of their call, those on a break until
    /// it ends, the others idle (taking the waiting callers at once).
    fn seed_agents(&mut self, start: &Start) {
        for (i, t) in start.in_talk.iter().enumerate() {
            self.seed_talk(TALK_KEYS + i as u32, t);
        }
        for (i, duty) in start.pools.iter().enumerate() {
            let pool = PoolId(i as u16);
            for until in &duty.breaks_until {
                self.account(pool);
                let p = &mut self.pools[i];
                let Some(agent) = p.off.pop() else { break };
                p.scheduled += 1;
                if *until <= self.now {
                    // Already back: on duty like the others (taken on by `staff_to` below).
                    p.scheduled -= 1;
                    p.off.push(agent);
                    continue;
                }
                p.agents[agent as usize] = Agent::Break;
                self.events.schedule(*until, Event::BreakEnd { pool: pool.0, agent });
            }
            let target = duty.on_shift.max(self.pools[i].scheduled);
            self.staff_to(pool, target);
        }
    }

    /// An agent of the pool busy with a call since before the snapshot.
    fn seed_talk(&mut self, n: u32, t: &Talking) {
        let sc = self.sc;
        let key = self.seed_key(n);
        let p = &sc.pools[t.pool.index()];
        let reason = t.reason.unwrap_or_else(|| {
            sc.callers[t.caller.index()].reason_for(CallerStream::for_purpose(key, Purpose::Profile, 0, 0).unit())
        });
        let elapsed = t.elapsed.as_secs_f64();
        let wrap_rng = &mut CallerStream::for_purpose(key, Purpose::WrapUp, 0, 0);
        let busy_for = if t.wrap_up {
            p.wrap_up.remaining(elapsed, wrap_rng)
        } else {
            let talk =
                p.handle[reason.index()].remaining(elapsed, &mut CallerStream::for_purpose(key, Purpose::Handle, 0, 0));
            talk + p.wrap_up.sample(wrap_rng)
        };
        self.account(t.pool);
        let ps = &mut self.pools[t.pool.index()];
        let Some(agent) = ps.off.pop() else { return };
        ps.scheduled += 1;
        ps.present += 1;
        ps.busy += 1;
        // Busy to the end of the wrap-up: the call itself is not followed.
        ps.agents[agent as usize] = Agent::WrapUp;
        if O::ENABLED {
            self.obs.agent_busy_from_snapshot(self.now, t.pool, agent);
        }
        self.start_stretch(t.pool, agent);
        self.events.schedule(self.now + busy_for, Event::WrapEnd { pool: t.pool.0, agent });
    }
}
