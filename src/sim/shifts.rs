//! Shifts with breaks (`shifts:`): each agent of a rota pool is followed on
//! their own. Agent `i` of the pool works the shift the rota gives it (the
//! first `count` agents the first shift, and so on), with four events:
//!
//! ```text
//!  RotaOn          BreakDue (busy: pending)   call ends: break, full length   BreakEnd       RotaOff
//!  |-- on duty ----|-- call in hand ----------|============ break =============|-- on duty --|(call in hand) home
//! ```
//!
//! An agent due for a break while busy finishes the call in hand (and its
//! wrap-up) and then takes the whole break; the next break is not moved (if
//! it is due while the agent is still on the first, it starts when the first
//! ends; if it falls due during the same call as the first, it is owed too and
//! starts when the first ends). At the shift's end an idle agent goes home at once, a busy one when
//! the call in hand is done, one on a break at once. Agents on a break are not
//! on duty: they count neither as staffed nor as busy. Only the channel engine
//! has this (a file without `shifts:` keeps the voice-only engine), and the
//! handlers are out of line like availability's.

use super::agents::Agent;
use super::engine::Engine;
use super::events::Event;
use super::mode::Mode;
use super::trace::Observer;
use crate::scenario::{Pool, PoolId};
use crate::time::SimDuration;

/// `pending` when the agent owes nothing.
pub(super) const NOTHING: u16 = u16::MAX;
/// `pending` when the agent's shift ended during a call: home when free.
pub(super) const HOME: u16 = u16::MAX - 1;

/// Per agent of a rota pool: the shift they work, and what they owe once free
/// (a break's index in their shift, `HOME`, or `NOTHING`). Empty for a pool
/// given by head counts.
#[derive(Default)]
pub(super) struct Rota {
    pub(super) shift_of: Vec<u32>,
    pub(super) pending: Vec<u16>,
    /// A second break fallen due while `pending` already holds one (a call
    /// longer than the gap between them): taken right after it.
    pub(super) owed_next: Vec<u16>,
}

impl Rota {
    pub(super) fn new(p: &Pool) -> Rota {
        let shift_of: Vec<u32> =
            p.rota.iter().enumerate().flat_map(|(i, s)| std::iter::repeat_n(i as u32, s.count as usize)).collect();
        let n = shift_of.len();
        Rota { shift_of, pending: vec![NOTHING; n], owed_next: vec![NOTHING; n] }
    }
}

/// Agents a rota pool needs: one per agent of every shift.
pub(super) fn rota_agents(p: &Pool) -> u32 {
    p.rota.iter().map(|s| s.count).sum()
}

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// Schedules every rota agent's shift start, breaks and shift end within
    /// the day (a shift ending at the close keeps its agents to finish the day's calls).
    pub(super) fn schedule_rota(&mut self) {
        let sc = self.sc;
        for (i, p) in sc.pools.iter().enumerate() {
            let mut agent = 0u32;
            for s in &p.rota {
                for _ in 0..s.count {
                    let pool = i as u16;
                    self.events.schedule(s.start, Event::RotaOn { pool, agent });
                    for (k, &(at, _)) in s.breaks.iter().enumerate() {
                        if s.start + at < self.horizon {
                            self.events.schedule(s.start + at, Event::BreakDue { pool, agent, k: k as u16 });
                        }
                    }
                    if s.end < self.horizon {
                        self.events.schedule(s.end, Event::RotaOff { pool, agent });
                    }
                    agent += 1;
                }
            }
        }
    }

    fn note_agents(&mut self, pool: PoolId) {
        if O::ENABLED {
            let p = &self.pools[pool.index()];
            let (busy, present) = (p.busy, p.present);
            self.obs.agents(self.now, pool, busy, present);
        }
    }

    /// An agent's shift starts: on duty, free to take a call.
    #[cold]
    #[inline(never)]
    pub(super) fn on_rota_on(&mut self, pool: PoolId, agent: u32) {
        self.account(pool);
        let p = &mut self.pools[pool.index()];
        if p.agents[agent as usize] != Agent::Off {
            return;
        }
        p.scheduled += 1;
        self.back_on_phones(pool, agent);
    }

    /// An agent arriving or back from a break: on duty, idle, and free to take
    /// what waits.
    fn back_on_phones(&mut self, pool: PoolId, agent: u32) {
        let p = &mut self.pools[pool.index()];
        p.present += 1;
        p.agents[agent as usize] = Agent::Idle;
        self.start_stretch(pool, agent);
        self.agent_free(pool, agent);
        self.note_agents(pool);
    }

    /// An agent is due for break `k`: at once if idle, else when free
    /// (`agent_free`: the call in hand, or an off-phone spell, is done).
    #[cold]
    #[inline(never)]
    pub(super) fn on_break_due(&mut self, pool: PoolId, agent: u32, k: u16) {
        let p = &mut self.pools[pool.index()];
        let i = agent as usize;
        if p.rota.pending[i] == HOME {
            return;
        }
        match p.agents[i] {
            Agent::Off => {}
            Agent::Idle => {
                if let Some(at) = p.idle.iter().position(|a| *a == agent) {
                    p.idle.remove(at);
                }
                self.account(pool);
                self.start_break(pool, agent, k);
            }
            _ if p.rota.pending[i] == NOTHING => p.rota.pending[i] = k,
            _ => p.rota.owed_next[i] = k,
        }
    }

    /// The free agent (agent time accounted, not counted busy, not in the
    /// idle list) starts break `k` of their shift for its full length.
    #[cold]
    #[inline(never)]
    pub(super) fn start_break(&mut self, pool: PoolId, agent: u32, k: u16) {
        let sc = self.sc;
        let p = &mut self.pools[pool.index()];
        let i = agent as usize;
        if p.agents[i] == Agent::Away
            && let Some(av) = p.away.as_mut()
        {
            av.away -= 1;
            av.epoch[i] = av.epoch[i].wrapping_add(1);
        }
        // A break owed after this one is taken when this one ends.
        p.rota.pending[i] = std::mem::replace(&mut p.rota.owed_next[i], NOTHING);
        p.agents[i] = Agent::Break;
        p.present -= 1;
        let shift = p.rota.shift_of[i] as usize;
        let len = sc.pools[pool.index()].rota[shift].breaks.get(k as usize).map_or(SimDuration::ZERO, |b| b.1);
        self.events.schedule(self.now + len, Event::BreakEnd { pool: pool.0, agent });
        self.note_agents(pool);
    }

    /// A break is over: back on the phones (unless the shift ended meanwhile).
    #[cold]
    #[inline(never)]
    pub(super) fn on_break_end(&mut self, pool: PoolId, agent: u32) {
        let p = &mut self.pools[pool.index()];
        if p.agents[agent as usize] != Agent::Break {
            return;
        }
        self.account(pool);
        self.back_on_phones(pool, agent);
    }

    /// An agent's shift ends: home at once if idle, off the phones or on a
    /// break, else when the call in hand is done.
    #[cold]
    #[inline(never)]
    pub(super) fn on_rota_off(&mut self, pool: PoolId, agent: u32) {
        self.account(pool);
        let p = &mut self.pools[pool.index()];
        let i = agent as usize;
        match p.agents[i] {
            Agent::Off => return,
            Agent::Idle => {
                if let Some(at) = p.idle.iter().position(|a| *a == agent) {
                    p.idle.remove(at);
                }
                p.present -= 1;
            }
            Agent::Break => {}
            Agent::Away => {
                if let Some(av) = p.away.as_mut() {
                    av.away -= 1;
                    av.epoch[i] = av.epoch[i].wrapping_add(1);
                }
                p.present -= 1;
            }
            _ => {
                p.rota.pending[i] = HOME;
                return;
            }
        }
        p.agents[i] = Agent::Off;
        p.scheduled -= 1;
        p.rota.pending[i] = NOTHING;
        p.rota.owed_next[i] = NOTHING;
        self.note_agents(pool);
    }

    /// A rota agent is free (agent time accounted, not counted busy): what
    /// they owe first. Returns true when they went home or on a break.
    #[cold]
    #[inline(never)]
    pub(super) fn rota_owed(&mut self, pool: PoolId, agent: u32) -> bool {
        let p = &mut self.pools[pool.index()];
        let i = agent as usize;
        match p.rota.pending[i] {
            NOTHING => false,
            HOME => {
                p.rota.pending[i] = NOTHING;
                p.rota.owed_next[i] = NOTHING;
                p.agents[i] = Agent::Off;
                p.present -= 1;
                p.scheduled -= 1;
                self.note_agents(pool);
                true
            }
            k => {
                self.start_break(pool, agent, k);
                true
            }
        }
    }
}
