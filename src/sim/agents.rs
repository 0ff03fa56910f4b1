//! Agents: what each agent is doing, which contacts a pool works (its channel
//! priority), and chat concurrency — an agent holds up to `k` chats at once,
//! each stretched by `concurrency_slowdown` × the chats already held when it
//! starts. An agent holding chats takes only more chats; an idle agent takes
//! whatever the pool's channel priority says.

use std::collections::VecDeque;

use super::engine::Engine;
use super::events::Event;
use super::mode::Mode;
use super::trace::{Observer, Step};
use crate::scenario::{Channel, PoolId, QueueId};
use crate::time::{SimDuration, SimTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Agent {
    Off,
    Idle,
    Talking(u32),
    /// Staying on the line for a warm transfer of this call slot.
    Holding(u32),
    WrapUp,
    /// Holding one chat or more (how many: `PoolState::chats`), wrap-ups included.
    Chat,
    /// Dialing a promised callback to this call slot.
    Dialing(u32),
    /// Working this email (a call may take the agent off it: see `email`).
    Email(u32),
    /// After-work of an email (a call may cut it short).
    EmailWrap,
    /// On duty, off the phones (`availability` below 1: see `away`).
    Away,
    /// On a break of their shift (`shifts:`): not on duty.
    Break,
}

pub(super) struct PoolState {
    pub(super) agents: Vec<Agent>,
    /// Idle agents, longest idle first.
    pub(super) idle: VecDeque<u32>,
    pub(super) off: Vec<u32>,
    pub(super) scheduled: u32,
    /// Agents to send home as soon as they finish (their shift ended mid-call).
    pub(super) leaving: u32,
    pub(super) busy: u32,
    pub(super) present: u32,
    pub(super) last_change: SimTime,
    /// The reporting interval agent time is being counted in (within the day),
    /// the tick it ends at, and the day's busy and staffed totals at its start:
    /// an interval's agent time is written once, when its end is passed.
    pub(super) iv: IntervalMark,
    /// Queues this pool answers, with the hold after which it is eligible.
    pub(super) serves: Vec<(QueueId, SimDuration)>,
    /// Channels this pool works that some caller uses, most urgent first.
    pub(super) order: Vec<Channel>,
    /// Whether it works each channel (by `Channel::index`).
    pub(super) works: [bool; 3],
    /// Chats each agent holds (wrap-ups included), at most `k`.
    pub(super) chats: Vec<u8>,
    pub(super) k: u8,
    pub(super) slowdown: f64,
    /// Chats held by the pool, agents holding one or more, and since when.
    pub(super) chats_held: u32,
    pub(super) chat_agents: u32,
    pub(super) chat_last: SimTime,
    /// Idle agents kept for voice and chat before one starts an email.
    pub(super) reserve: usize,
    /// Per channel: a contact of it who would wait takes an agent off an email.
    pub(super) interrupts: [bool; 3],
    /// Per agent: bumped when the agent is taken off an email, so the email's
    /// pending end (or its wrap-up's) is known stale.
    pub(super) epoch: Vec<u32>,
    /// Per agent working an email: when the current stretch of work ends.
    pub(super) due: Vec<SimTime>,
    /// Off-phone spells (`availability` below 1), else `None`.
    pub(super) away: Option<super::away::Availability>,
    /// Per-agent shifts and breaks (`shifts:`); empty otherwise.
    pub(super) rota: super::shifts::Rota,
}

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// An agent of `pool` free to take a contact of channel `ch` now: the
    /// longest idle, else for chat the agent holding the fewest chats below `k`
    /// (least loaded first: it keeps the slowdown small).
    #[inline]
    pub(super) fn free_agent(&mut self, pool: PoolId, ch: Channel) -> Option<u32> {
        let closed = self.closed;
        let p = &mut self.pools[pool.index()];
        if M::CHANNELS && (!p.works[ch.index()] || (ch == Channel::Email && (closed || p.idle.len() <= p.reserve))) {
            return None;
        }
        if let Some(agent) = p.idle.pop_front() {
            return Some(agent);
        }
        if !M::CHANNELS || ch != Channel::Chat || p.k <= 1 || p.leaving > 0 {
            return None;
        }
        self.least_loaded_chat_agent(pool)
    }

    /// Whether the agent is owed time off the line once free: a break or
    /// home (a rota), or an off-phone spell (`availability`). Such an agent
    /// takes no new work: no call off an email, no further chat.
    pub(super) fn due_off(&self, pool: PoolId, agent: u32) -> bool {
        let i = agent as usize;
        self.pools[pool.index()].rota.pending.get(i).is_some_and(|k| *k != super::shifts::NOTHING)
            || self.stretch_over(pool, agent)
    }

    /// A chatting agent of `pool` holding the fewest chats below `k` (kept out
    /// of line: `free_agent` is inlined into every offer).
    #[inline(never)]
    fn least_loaded_chat_agent(&self, pool: PoolId) -> Option<u32> {
        let p = &self.pools[pool.index()];
        let k = p.k;
        p.agents
            .iter()
            .zip(&p.chats)
            .enumerate()
            .filter(|(i, (a, n))| **a == Agent::Chat && **n < k && !self.due_off(pool, *i as u32))
            .min_by_key(|(i, (_, n))| (**n, *i))
            .map(|(i, _)| i as u32)
    }

    /// Integrates chats held and agents chatting up to now (opening hours only).
    pub(super) fn account_chat(&mut self, pool: PoolId) {
        let p = &mut self.pools[pool.index()];
        let upto = self.now.min(self.horizon);
        let from = p.chat_last.min(self.horizon);
        let dt = u128::from(upto.since(from).0);
        let s = &mut self.stats.by_pool[pool.index()].chat;
        s.held += dt * u128::from(p.chats_held);
        s.busy += dt * u128::from(p.chat_agents);
        p.chat_last = self.now;
    }

    /// An agent starts a chat (the queue figures are already counted by
    /// `answer`, and agent time accounted up to now).
    pub(super) fn seat_chat(&mut self, slot: u32, pool: PoolId, agent: u32, talk: SimDuration, hold: SimDuration) {
        self.account_chat(pool);
        let now = self.now;
        let p = &mut self.pools[pool.index()];
        let held = p.chats[agent as usize];
        if held == 0 {
            debug_assert_eq!(p.agents[agent as usize], Agent::Idle, "agent taking a chat while busy");
            p.agents[agent as usize] = Agent::Chat;
            p.busy += 1;
            p.chat_agents += 1;
        }
        p.chats[agent as usize] += 1;
        p.chats_held += 1;
        let stretch = 1.0 + p.slowdown * f64::from(held);
        let talk =
            if held > 0 && p.slowdown > 0.0 { SimDuration::from_secs_f64(talk.as_secs_f64() * stretch) } else { talk };
        if O::ENABLED {
            if self.talked.len() <= slot as usize {
                self.talked.resize(self.calls.len(), SimDuration::ZERO);
            }
            self.talked[slot as usize] = talk;
        }
        let p = &mut self.pools[pool.index()];
        if O::ENABLED {
            let (busy, present) = (p.busy, p.present);
            self.obs.agents(now, pool, busy, present);
        }
        let q = self.calls[slot as usize].queue;
        self.trace(slot, Step::Answered { queue: q, pool, agent, hold, warm: false });
        self.release_warm(slot);
        self.events.schedule(now + talk, Event::ChatEnd { pool: pool.0, agent, slot });
    }

    /// A chat's wrap-up is over (or it had none): the agent's chat slot frees.
    pub(super) fn chat_free(&mut self, pool: PoolId, agent: u32) {
        self.account(pool);
        self.account_chat(pool);
        let p = &mut self.pools[pool.index()];
        p.chats[agent as usize] -= 1;
        p.chats_held -= 1;
        if O::ENABLED {
            self.obs.chat_freed(self.now, pool, agent);
        }
        let p = &mut self.pools[pool.index()];
        if p.chats[agent as usize] == 0 {
            p.chat_agents -= 1;
            self.agent_free(pool, agent);
        } else {
            self.fill_chats(pool, agent);
        }
    }

    /// A chatting agent takes waiting chats while they have room (and their
    /// shift is not ending, no break is owed, their stretch on the phones is
    /// not over: else they let their chats run down, and go).
    pub(super) fn fill_chats(&mut self, pool: PoolId, agent: u32) {
        loop {
            let p = &self.pools[pool.index()];
            if p.agents[agent as usize] != Agent::Chat
                || p.chats[agent as usize] >= p.k
                || p.leaving > 0
                || self.due_off(pool, agent)
            {
                return;
            }
            match self.best_waiting_in(pool, Channel::Chat) {
                Some(slot) => self.answer(slot, pool, agent),
                None => return,
            }
        }
    }

    /// After a chat's talk: its wrap-up keeps the chat slot busy.
    pub(super) fn release_chat(&mut self, pool: PoolId, agent: u32, wrap: SimDuration) {
        if wrap > SimDuration::ZERO {
            self.events.schedule(self.now + wrap, Event::ChatFree { pool: pool.0, agent });
        } else {
            self.chat_free(pool, agent);
        }
    }
}

/// Where a pool's agent time stands against the reporting intervals (see
/// `Engine::account`): the interval being counted, its end, and the pool's
/// running busy and staffed totals when it began.
#[derive(Clone, Copy, Debug)]
pub(super) struct IntervalMark {
    pub(super) k: usize,
    pub(super) end: u64,
    pub(super) busy0: u128,
    pub(super) staffed0: u128,
}

impl IntervalMark {
    /// The first interval of a day starting at `day_start` (ticks), with the
    /// pool's totals so far.
    pub(super) fn start(day_start: u64, first_end: u64, busy0: u128, staffed0: u128) -> IntervalMark {
        IntervalMark { k: 0, end: day_start + first_end, busy0, staffed0 }
    }
}
