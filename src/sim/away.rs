//! Availability: agents on duty who take calls only part of the time
//! (`availability: 0.85`); the rest is other work no call log shows —
//! after-call notes, outbound calls, short breaks — in off-phone spells taken
//! only between calls.
//!
//! ```text
//!  on duty  |--- on the phones: stretch ~ exp(P) ---|(call in hand)| away: ratio × on-phone time |--- ...
//!           ^ start_stretch                     due ^   agent free ^ go_away              AwayEnd ^
//! ```
//!
//! Each agent alternates on-phone stretches and off-phone spells. A stretch
//! lasts an exponential time of mean P = L·a/(1 − a) (L: `off_phone_spell`,
//! a: availability) from the agent's own random stream; when it is over, an
//! idle agent goes off at once and a busy one when the call in hand (and its
//! wrap-up) ends. The spell that follows lasts (1 − a)/a × the time the agent
//! was actually on the phones since the last spell — the stretch plus the call
//! that ran past it — so off-phone time is (1 − a)/a × on-phone time on every
//! path, not only on average: the long-run off-phone share of on-duty time is
//! exactly 1 − a, and a mean spell is L (a little more when calls are long
//! beside the stretches). Off-phone agents are on duty (occupancy and costs
//! count their time) but not busy. Only the channel engine has this: a file
//! without `availability` runs the voice-only engine and pays nothing. The
//! handlers are kept out of line (`#[cold]`) so that the two new events do not
//! change how the engine's dispatch loop is inlined: callgrind on
//! `bench/reference.yaml` at a 1000h horizon (dev profile) counts 299.5 M
//! instructions before availability and 298.6 M with it, same output bytes.

use super::agents::Agent;
use super::engine::Engine;
use super::events::Event;
use super::mode::Mode;
use super::rng::CallerStream;
use super::trace::Observer;
use crate::scenario::{Pool, PoolId, name_key};
use crate::time::{SimDuration, SimTime};

/// The purpose tag of the agents' own streams (callers' purposes are small numbers).
const AWAY_PURPOSE: u64 = 0xA7A7;

/// A pool's availability state: per agent, the current stretch and its stream.
pub(super) struct Availability {
    /// (1 − a)/a: off-phone time owed per unit of on-phone time.
    pub(super) ratio: f64,
    /// Mean on-phone stretch, seconds: L·a/(1 − a).
    stretch_mean: f64,
    /// When the agent's current on-phone stretch began, and when it is over.
    since: Vec<SimTime>,
    pub(super) due: Vec<SimTime>,
    /// Bumped at each stretch and each spell: a pending `PhoneDue` or `AwayEnd` is stale otherwise.
    pub(super) epoch: Vec<u32>,
    rng: Vec<CallerStream>,
    /// Agents off the phones now.
    pub(super) away: u32,
}

impl Availability {
    /// `None` for a pool whose agents take calls all their time on duty.
    pub(super) fn new(p: &Pool, agents: u32, seed: u64, rep: u32) -> Option<Availability> {
        if p.availability >= 1.0 {
            return None;
        }
        let a = p.availability;
        let key = name_key(&p.name) ^ seed.rotate_left(29);
        Some(Availability {
            ratio: (1.0 - a) / a,
            stretch_mean: p.off_phone_spell.as_secs_f64() * a / (1.0 - a),
            since: vec![SimTime::ZERO; agents as usize],
            due: vec![SimTime::ZERO; agents as usize],
            epoch: vec![0; agents as usize],
            rng: (0..agents).map(|i| CallerStream::new(key, AWAY_PURPOSE, rep, i)).collect(),
            away: 0,
        })
    }
}

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// An agent comes on the phones (on duty, or back from a spell): a new stretch.
    #[cold]
    #[inline(never)]
    pub(super) fn start_stretch(&mut self, pool: PoolId, agent: u32) {
        let now = self.now;
        let Some(av) = self.pools[pool.index()].away.as_mut() else { return };
        let i = agent as usize;
        let u = av.rng[i].unit();
        let stretch = SimDuration::from_secs_f64(-(1.0 - u).ln() * av.stretch_mean);
        av.since[i] = now;
        av.due[i] = now + stretch;
        av.epoch[i] = av.epoch[i].wrapping_add(1);
        let epoch = av.epoch[i];
        // After the close an idle agent is not sent off (nothing would end the
        // day's events otherwise): agents finishing the last calls still go
        // off when free, and the stretches count no agent time then.
        if now + stretch < self.horizon {
            self.events.schedule(now + stretch, Event::PhoneDue { pool: pool.0, agent, epoch });
        }
    }

    /// Whether a free agent's stretch is over: they go off the phones rather than take a call.
    #[inline]
    pub(super) fn stretch_over(&self, pool: PoolId, agent: u32) -> bool {
        self.pools[pool.index()].away.as_ref().is_some_and(|av| self.now >= av.due[agent as usize])
    }

    /// The agent (free, agent time accounted up to now) goes off the phones
    /// for (1 − a)/a × their time on the phones since the last spell.
    #[cold]
    #[inline(never)]
    pub(super) fn go_away(&mut self, pool: PoolId, agent: u32) {
        let now = self.now;
        let p = &mut self.pools[pool.index()];
        p.agents[agent as usize] = Agent::Away;
        let Some(av) = p.away.as_mut() else { return };
        let i = agent as usize;
        let spell = SimDuration::from_secs_f64(now.since(av.since[i]).as_secs_f64() * av.ratio);
        av.away += 1;
        av.epoch[i] = av.epoch[i].wrapping_add(1);
        let epoch = av.epoch[i];
        self.events.schedule(now + spell, Event::AwayEnd { pool: pool.0, agent, epoch });
    }

    /// An idle agent's stretch is over: off the phones at once.
    #[cold]
    #[inline(never)]
    pub(super) fn on_phone_due(&mut self, pool: PoolId, agent: u32, epoch: u32) {
        let p = &mut self.pools[pool.index()];
        let current = p.away.as_ref().is_some_and(|av| av.epoch[agent as usize] == epoch);
        if !current || p.agents[agent as usize] != Agent::Idle {
            // Stale, or busy: the agent goes off when free (`agent_free`).
            return;
        }
        if let Some(at) = p.idle.iter().position(|a| *a == agent) {
            p.idle.remove(at);
        }
        self.account(pool);
        self.go_away(pool, agent);
    }

    /// A spell is over: the agent is back on the phones (or goes home, if
    /// their shift ended meanwhile).
    #[cold]
    #[inline(never)]
    pub(super) fn on_away_end(&mut self, pool: PoolId, agent: u32, epoch: u32) {
        let p = &mut self.pools[pool.index()];
        let current = p.away.as_ref().is_some_and(|av| av.epoch[agent as usize] == epoch);
        if !current || p.agents[agent as usize] != Agent::Away {
            return;
        }
        self.account(pool);
        let p = &mut self.pools[pool.index()];
        if let Some(av) = p.away.as_mut() {
            av.away -= 1;
        }
        p.agents[agent as usize] = Agent::Idle;
        self.start_stretch(pool, agent);
        self.agent_free(pool, agent);
    }

    /// A new day of a chain (`days:`): every agent on duty starts a fresh
    /// stretch, and those off the phones at the close are back. The night is
    /// neither time on the phones (which would owe a spell of a third of the
    /// night at the next free moment) nor a spell.
    #[cold]
    #[inline(never)]
    pub(super) fn restart_stretches(&mut self, pool: PoolId) {
        if self.pools[pool.index()].away.is_none() {
            return;
        }
        self.account(pool);
        for agent in 0..self.pools[pool.index()].agents.len() as u32 {
            match self.pools[pool.index()].agents[agent as usize] {
                Agent::Off | Agent::Break => {}
                Agent::Away => {
                    let p = &mut self.pools[pool.index()];
                    if let Some(av) = p.away.as_mut() {
                        av.away -= 1;
                    }
                    p.agents[agent as usize] = Agent::Idle;
                    self.start_stretch(pool, agent);
                    self.agent_free(pool, agent);
                }
                _ => self.start_stretch(pool, agent),
            }
        }
    }

    /// Sends up to `remove` off-phone agents home (their shift ended while
    /// they were away); returns how many went.
    #[cold]
    #[inline(never)]
    pub(super) fn send_away_home(&mut self, pool: PoolId, mut remove: u32) -> u32 {
        let p = &mut self.pools[pool.index()];
        let Some(av) = p.away.as_mut() else { return 0 };
        let mut sent = 0;
        for (i, a) in p.agents.iter_mut().enumerate() {
            if remove == 0 {
                break;
            }
            if *a == Agent::Away {
                *a = Agent::Off;
                av.away -= 1;
                av.epoch[i] = av.epoch[i].wrapping_add(1);
                p.off.push(i as u32);
                p.present -= 1;
                remove -= 1;
                sent += 1;
            }
        }
        sent
    }
}
