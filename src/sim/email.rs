//! Email: worked in the quiet moments, put down for a call.
//!
//! Pools take email only when no voice or chat contact they can take waits
//! (channel priority, `email_reserve`). With `email_interruptible` (the
//! default), a voice caller — or a chat, where the pool ranks chat above
//! email — who would otherwise wait takes an agent off an email at once:
//! preemptive-resume priority. The agent puts the email down; it goes back to
//! the head of its queue with the work left on it, and the next agent free
//! for email (often the same one) finishes it, without a new handle draw. An
//! email's wrap-up is cut short the same way. So voice sees the pool as if
//! email were not there (the high class of a preemptive priority queue does
//! not see the low class). See docs/channels.md for the sources.
//!
//! The agent working an email is `Agent::Email(slot)`; its end is an
//! `EmailEnd` event stamped with the agent's `epoch`, which an interruption
//! bumps, so the old end is skipped.

use super::agents::Agent;
use super::engine::Engine;
use super::events::Event;
use super::mode::Mode;

use super::trace::{Observer, Step};
use crate::scenario::{Channel, PoolId, QueueId};
use crate::time::SimDuration;

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// An agent starts an email, or takes up one that was put down.
    pub(super) fn work_email(&mut self, slot: u32, pool: PoolId, agent: u32) {
        let leg_hold = if self.calls[slot as usize].waiting { self.leave_queue(slot) } else { SimDuration::ZERO };
        let now = self.now;
        let resume = self.email_left.get_mut(slot as usize).and_then(Option::take);
        let talk = match resume {
            Some(left) => left,
            None => {
                self.on_answered(slot, leg_hold);
                let c = &mut self.calls[slot as usize];
                self.stats.by_queue[c.queue.index()].answered += 1;
                if c.answered_at.is_none() {
                    c.answered_at = Some(now);
                    c.first_hold = Some(c.hold);
                }
                let service = c.services;
                c.services += 1;
                c.warm_talk = c.warm.is_some();
                self.work_of(slot, pool, service)
            }
        };
        self.account(pool);
        let p = &mut self.pools[pool.index()];
        debug_assert_eq!(p.agents[agent as usize], Agent::Idle, "agent taking an email while busy");
        p.agents[agent as usize] = Agent::Email(slot);
        p.due[agent as usize] = now + talk;
        p.busy += 1;
        let epoch = p.epoch[agent as usize];
        if O::ENABLED {
            let (busy, present) = (p.busy, p.present);
            self.obs.agents(now, pool, busy, present);
            let queue = self.calls[slot as usize].queue;
            let step = match resume {
                Some(left) => Step::Resumed { queue, pool, agent, left },
                None => {
                    Step::Answered { queue, pool, agent, hold: leg_hold, warm: self.calls[slot as usize].warm_talk }
                }
            };
            self.trace(slot, step);
        }
        self.release_warm(slot);
        self.events.schedule(now + talk, Event::EmailEnd { pool: pool.0, agent, epoch });
    }

    pub(super) fn on_email_end(&mut self, pool: PoolId, agent: u32, epoch: u32) {
        let p = &self.pools[pool.index()];
        if p.epoch[agent as usize] != epoch {
            return;
        }
        let Agent::Email(slot) = p.agents[agent as usize] else {
            debug_assert!(false, "an email ended for an agent not working one");
            return;
        };
        self.talk_done(pool, agent, slot, Channel::Email);
    }

    /// After an email: its wrap-up (which a call may cut short), then free.
    pub(super) fn release_email(&mut self, pool: PoolId, agent: u32, wrap: SimDuration) {
        if wrap > SimDuration::ZERO {
            let p = &mut self.pools[pool.index()];
            p.agents[agent as usize] = Agent::EmailWrap;
            let epoch = p.epoch[agent as usize];
            self.events.schedule(self.now + wrap, Event::EmailWrapEnd { pool: pool.0, agent, epoch });
        } else {
            self.agent_free(pool, agent);
        }
    }

    pub(super) fn on_email_wrap_end(&mut self, pool: PoolId, agent: u32, epoch: u32) {
        let p = &self.pools[pool.index()];
        if p.epoch[agent as usize] == epoch && p.agents[agent as usize] == Agent::EmailWrap {
            self.agent_free(pool, agent);
        }
    }

    /// A contact of channel `ch` in queue `q`, having waited `waited`, would
    /// wait for an agent: takes an agent of an eligible pool off an email.
    /// Returns the agent (now idle) and the email put down, if any.
    pub(super) fn interrupt_for(
        &mut self,
        q: QueueId,
        ch: Channel,
        waited: SimDuration,
    ) -> Option<(PoolId, u32, Option<u32>)> {
        let sc = self.sc;
        for &(pool, after) in &sc.queues[q.index()].pools {
            // A pool sending agents home (their shift is over) lets them finish
            // the email and go: nobody takes new work beyond the schedule.
            let p = &self.pools[pool.index()];
            if after > waited || !p.interrupts[ch.index()] || p.leaving > 0 {
                continue;
            }
            if let Some(agent) = self.email_agent(pool) {
                let email = self.interrupt(pool, agent);
                return Some((pool, agent, email));
            }
        }
        None
    }

    /// The agent to take off email: one in an email's wrap-up (nothing is put
    /// down), else the one with the most work left on their email. Never one
    /// who owes a break or is due home (a rota), nor one whose stretch on the
    /// phones is over (`availability`): they finish the email and go, as an
    /// agent who owes them takes no new call when free.
    fn email_agent(&self, pool: PoolId) -> Option<u32> {
        let p = &self.pools[pool.index()];
        let mut best: Option<(u32, crate::time::SimTime)> = None;
        for (i, a) in p.agents.iter().enumerate() {
            if self.due_off(pool, i as u32) {
                continue;
            }
            match a {
                Agent::EmailWrap => return Some(i as u32),
                Agent::Email(_) if best.is_none_or(|(_, due)| p.due[i] > due) => best = Some((i as u32, p.due[i])),
                _ => {}
            }
        }
        best.map(|(i, _)| i)
    }

    /// The agent puts their email down (back to the head of its queue, with
    /// the work left) or cuts its wrap-up short, and is idle for the caller.
    fn interrupt(&mut self, pool: PoolId, agent: u32) -> Option<u32> {
        self.account(pool);
        let now = self.now;
        let p = &mut self.pools[pool.index()];
        let was = p.agents[agent as usize];
        p.epoch[agent as usize] = p.epoch[agent as usize].wrapping_add(1);
        p.agents[agent as usize] = Agent::Idle;
        p.busy -= 1;
        let left = p.due[agent as usize].since(now);
        if O::ENABLED {
            let (busy, present) = (p.busy, p.present);
            self.obs.agent_freed(now, pool, agent);
            self.obs.agents(now, pool, busy, present);
        }
        let Agent::Email(slot) = was else { return None };
        let level = self.level_of[self.calls[slot as usize].caller.index()];
        if self.email_left.len() <= slot as usize {
            self.email_left.resize(self.calls.len(), None);
        }
        self.email_left[slot as usize] = Some(left);
        let c = &mut self.calls[slot as usize];
        c.leg = c.leg.wrapping_add(1);
        c.waiting = true;
        let (q, leg) = (c.queue, c.leg);
        let qs = &mut self.queues[q.index()];
        qs.fifos[Channel::Email.index()][level].push_front((slot, leg));
        qs.count[Channel::Email.index()] += 1;
        self.trace(slot, Step::Interrupted { pool, agent, left });
        Some(slot)
    }

    /// An email just put down: an idle agent of another pool answering its
    /// queue takes it up at once (the interrupted pool has none idle).
    pub(super) fn resume_elsewhere(&mut self, slot: u32) {
        let sc = self.sc;
        let c = &self.calls[slot as usize];
        let (q, waited) = (c.queue, self.now.since(c.leg_start));
        for &(pool, after) in &sc.queues[q.index()].pools {
            let p = &mut self.pools[pool.index()];
            if after <= waited && p.works[Channel::Email.index()] && p.idle.len() > p.reserve {
                if let Some(agent) = p.idle.pop_front() {
                    return self.work_email(slot, pool, agent);
                }
            }
        }
    }
}
