//! Shared by the engine tests: load a scenario from text, and an observer
//! that checks the engine's invariants on every step of every call.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};

use shop::scenario::{PoolId, QueueId, Scenario, load_str};
use shop::sim::engine::simulate;
use shop::sim::{CallTag, Observer, Step};
use shop::stats::collect::{Outcome, RepStats};
use shop::time::{SimDuration, SimTime};

pub fn scenario(yaml: &str) -> Scenario {
    match load_str("test.yaml", yaml) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{e}"),
    }
}

pub type CallKey = (u16, u32, u32);

pub fn key(t: &CallTag) -> CallKey {
    (t.caller.0, t.journey, t.call_no)
}

/// Watches a run and checks the invariants on every step.
#[derive(Default)]
pub struct Checker {
    pub scenario: Option<Scenario>,
    pub dialed: HashSet<CallKey>,
    pub dial_time: HashMap<CallKey, SimTime>,
    pub ended: HashMap<CallKey, Outcome>,
    /// Agents currently engaged (answered a call, not yet freed).
    pub engaged: HashSet<(u16, u32)>,
    /// Order in which callers joined / were answered, per queue (for FIFO checks).
    pub joined: HashMap<u16, Vec<CallKey>>,
    pub answered: HashMap<u16, Vec<CallKey>>,
    pub answers: Vec<(SimTime, CallKey, QueueId, PoolId, SimDuration)>,
    pub steps: Vec<(SimTime, CallTag, Step)>,
    pub max_ahead: HashMap<u16, u32>,
    pub last_time: SimTime,
}

impl Observer for Checker {
    const ENABLED: bool = true;

    fn step(&mut self, now: SimTime, call: CallTag, step: Step) {
        assert!(now >= self.last_time, "time went backwards");
        self.last_time = now;
        let k = key(&call);
        assert!(
            !self.ended.contains_key(&k) || matches!(step, Step::WillRedial { .. } | Step::GaveUp),
            "{k:?} did something after it ended: {step:?}"
        );
        match step {
            Step::Dialed => {
                assert!(self.dialed.insert(k), "{k:?} dialed twice");
                self.dial_time.insert(k, now);
            }
            Step::Queued { queue, ahead, .. } => {
                self.joined.entry(queue.0).or_default().push(k);
                let m = self.max_ahead.entry(queue.0).or_default();
                *m = (*m).max(ahead);
            }
            Step::Answered { queue, pool, agent, hold, .. } => {
                if let Some(sc) = &self.scenario {
                    // An agent takes a new call only within their shift: fewer agents
                    // engaged than scheduled (staffing at the horizon stays after it).
                    let p = &sc.pools[pool.0 as usize];
                    let last = SimTime(sc.horizon.0.saturating_sub(1));
                    let at = |t: SimTime| p.agents_at(t.min(last));
                    let allowed = at(now).max(at(SimTime(now.0.saturating_sub(1))));
                    let engaged = self.engaged.iter().filter(|(pl, _)| *pl == pool.0).count() as u32;
                    assert!(
                        engaged < allowed,
                        "pool {} had {engaged} agents engaged and {allowed} scheduled at {now} yet took a call",
                        p.name
                    );
                    let cap = sc.queues[queue.0 as usize].capacity;
                    assert!(cap.is_none_or(|c| self.max_ahead.get(&queue.0).copied().unwrap_or(0) < c.max(1)));
                }
                assert!(
                    self.engaged.insert((pool.0, agent)),
                    "agent {agent} of pool {} took a second call at {now}",
                    pool.0
                );
                self.answered.entry(queue.0).or_default().push(k);
                self.answers.push((now, k, queue, pool, hold));
            }
            Step::Ended { outcome, hold, .. } => {
                assert!(self.dialed.contains(&k), "{k:?} ended without dialing");
                assert!(self.ended.insert(k, outcome).is_none(), "{k:?} ended twice");
                let elapsed = now.since(self.dial_time[&k]);
                assert!(hold <= elapsed, "{k:?} held {hold} in a call of {elapsed}");
            }
            _ => {}
        }
        self.steps.push((now, call, step));
    }

    fn agents(&mut self, _now: SimTime, pool: PoolId, busy: u32, present: u32) {
        assert!(busy <= present, "pool {} has {busy} busy agents but {present} on duty", pool.0);
    }

    fn agent_freed(&mut self, _now: SimTime, pool: PoolId, agent: u32) {
        assert!(self.engaged.remove(&(pool.0, agent)), "agent {agent} freed while not engaged");
    }
}

pub fn run_checked(sc: &Scenario, rep: u32) -> (RepStats, Checker) {
    let mut c = Checker { scenario: Some(sc.clone()), ..Checker::default() };
    let stats = simulate(sc, rep, &mut c);
    assert_eq!(c.dialed.len(), c.ended.len(), "every call that dialed ends exactly once");
    for (i, s) in stats.by_caller.iter().enumerate() {
        assert!(s.ends_add_up(), "caller type {i}: calls {} do not add up to their endings", s.calls);
    }
    let total: u64 = stats.by_caller.iter().map(|s| s.calls).sum();
    assert_eq!(total as usize, c.ended.len());
    (stats, c)
}
