//! Shared by the engine tests: load a scenario from text, and an observer
//! that checks the engine's invariants on every step of every call — voice,
//! chat held k at a time, email (put down for a call and taken up again),
//! callbacks dialed, over a chain of days.

use std::collections::{HashMap, HashSet};

use shop::scenario::{Channel, PoolId, QueueId, Scenario, load_str};
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

/// What an engaged agent is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// Talking to a call, working an email, or holding for a warm transfer (one at a time).
    One(CallKey),
    /// Dialing a promised callback to this call.
    Dialing(CallKey),
    /// Holding this many chats (wrap-ups included).
    Chats(u32),
}

/// Watches a run and checks the invariants on every step.
#[derive(Default)]
pub struct Checker {
    pub scenario: Option<Scenario>,
    pub dialed: HashSet<CallKey>,
    pub dial_time: HashMap<CallKey, SimTime>,
    pub ended: HashMap<CallKey, Outcome>,
    /// Agents currently engaged (answered a call, not yet freed), and with what.
    pub engaged: HashMap<(u16, u32), Work>,
    /// Order in which callers joined / were answered, per queue (for FIFO checks).
    pub joined: HashMap<u16, Vec<CallKey>>,
    pub answered: HashMap<u16, Vec<CallKey>>,
    pub answers: Vec<(SimTime, CallKey, QueueId, PoolId, SimDuration)>,
    pub steps: Vec<(SimTime, CallTag, Step)>,
    pub max_ahead: HashMap<u16, u32>,
    pub last_time: SimTime,
    /// The most chats any agent held at once, per pool.
    pub max_chats: HashMap<u16, u32>,
    /// Emails put down for a call, and taken up again.
    pub interrupted: u64,
    pub resumed: u64,
    /// Calls dialed per day (first calls and redials), by day index.
    pub dialed_by_day: Vec<u64>,
}

const DAY: u64 = 24 * 3600 * 1_000_000;

/// A rota agent takes new work only on their own shift (agent `i` works the
/// rota's shifts in order, `count` agents each), never from a break's due
/// time to the end of its planned length: a break due during a call starts
/// when the call is done and lasts its full length, so it covers at least
/// that window. A shift that runs to the close keeps its agents for the
/// day's last calls.
fn within_rota(sc: &Scenario, p: &shop::scenario::Pool, now: SimTime, agent: u32) {
    let shift = p.rota.iter().flat_map(|s| std::iter::repeat_n(s, s.count as usize)).nth(agent as usize);
    let Some(s) = shift else { panic!("pool {}: agent {agent} is beyond the rota", p.name) };
    let t = if sc.days > 1 { SimTime(now.0 % DAY) } else { now };
    let to_the_close = s.end.0 >= sc.horizon.0;
    assert!(
        s.start <= t && (t < s.end || to_the_close),
        "pool {}: agent {agent} took new work at {now}, outside their shift {}–{}",
        p.name,
        s.start,
        s.end
    );
    for &(at, length) in &s.breaks {
        let due = s.start + at;
        assert!(
            !(due <= t && t < due + length),
            "pool {}: agent {agent} took new work at {now}, in their break due at {due} ({length})",
            p.name
        );
    }
}

impl Checker {
    fn channel(&self, caller: u16) -> Channel {
        self.scenario.as_ref().map_or(Channel::Voice, |sc| sc.callers[caller as usize].channel)
    }

    fn tick(&mut self, now: SimTime) {
        assert!(now >= self.last_time, "time went backwards: {now} after {}", self.last_time);
        self.last_time = now;
    }

    /// An agent takes on new work at `now`: only within their shift (fewer
    /// agents engaged than scheduled; staffing at the horizon stays after it,
    /// and each day of a chain starts its shifts again).
    fn within_shift(&self, now: SimTime, pool: PoolId, agent: u32) {
        let Some(sc) = &self.scenario else { return };
        let p = &sc.pools[pool.0 as usize];
        if !p.rota.is_empty() {
            return within_rota(sc, p, now, agent);
        }
        let last = SimTime(sc.horizon.0.saturating_sub(1));
        let of_day = |t: SimTime| if sc.days > 1 { SimTime(t.0 % DAY) } else { t };
        let at = |t: SimTime| p.agents_at(of_day(t).min(last));
        // The day before's closing staffing still holds in the night.
        let night = sc.days > 1 && of_day(now).0 >= sc.horizon.0;
        let mut allowed = at(now).max(at(SimTime(now.0.saturating_sub(1)))).max(if night { at(last) } else { 0 });
        // From a snapshot: its agents on duty (at least those busy or on a
        // break then) until the plan's next change of the first day (that instant
        // included: events at one moment run in the order they were scheduled).
        if let Some(st) = &sc.start {
            // (A change at or after the close never happens: the close's staffing stays.)
            let next_change = p.shifts.iter().map(|s| s.0).find(|from| *from > st.at && from.0 < sc.horizon.0);
            if now >= st.at && now.0 < DAY && next_change.is_none_or(|c| now <= c) {
                let busy = st.in_talk.iter().filter(|t| t.pool == pool).count() as u32;
                let duty = &st.pools[pool.0 as usize];
                allowed = allowed.max(duty.on_shift.max(busy + duty.breaks_until.len() as u32));
            }
        }
        let engaged = self.engaged.keys().filter(|(pl, _)| *pl == pool.0).count() as u32;
        assert!(
            engaged < allowed,
            "pool {} had {engaged} agents engaged and {allowed} scheduled at {now} yet took new work",
            p.name
        );
    }

    fn engage(&mut self, now: SimTime, pool: PoolId, agent: u32, k: CallKey, work: Work) {
        let chat_k = self.scenario.as_ref().map_or(1, |sc| sc.pools[pool.0 as usize].chat_concurrency);
        match (self.engaged.get(&(pool.0, agent)).copied(), work) {
            (None, _) => {
                self.within_shift(now, pool, agent);
                self.engaged.insert((pool.0, agent), work);
            }
            // A dial that reached the caller goes on as the call.
            (Some(Work::Dialing(d)), Work::One(c)) if d == k && c == k => {
                self.engaged.insert((pool.0, agent), work);
            }
            (Some(Work::Chats(n)), Work::Chats(1)) => {
                assert!(
                    n < chat_k,
                    "agent {agent} of pool {} took chat {} of at most {chat_k} at {now}",
                    pool.0,
                    n + 1
                );
                // One more chat is new work too: not while a rota agent owes a break.
                if let Some(sc) = self.scenario.as_ref().filter(|sc| !sc.pools[pool.0 as usize].rota.is_empty()) {
                    within_rota(sc, &sc.pools[pool.0 as usize], now, agent);
                }
                self.engaged.insert((pool.0, agent), Work::Chats(n + 1));
            }
            (Some(was), _) => panic!("agent {agent} of pool {} took {work:?} while on {was:?} at {now}", pool.0),
        }
        if let Some(Work::Chats(n)) = self.engaged.get(&(pool.0, agent)) {
            let m = self.max_chats.entry(pool.0).or_default();
            *m = (*m).max(*n);
        }
    }
}

impl Observer for Checker {
    const ENABLED: bool = true;

    fn step(&mut self, now: SimTime, call: CallTag, step: Step) {
        self.tick(now);
        let k = key(&call);
        assert!(
            !self.ended.contains_key(&k) || matches!(step, Step::WillRedial { .. } | Step::GaveUp),
            "{k:?} did something after it ended: {step:?}"
        );
        match step {
            Step::Dialed => {
                assert!(self.dialed.insert(k), "{k:?} dialed twice");
                self.dial_time.insert(k, now);
                let day = (now.0 / DAY) as usize;
                if self.dialed_by_day.len() <= day {
                    self.dialed_by_day.resize(day + 1, 0);
                }
                self.dialed_by_day[day] += 1;
            }
            Step::Queued { queue, ahead, .. } => {
                self.joined.entry(queue.0).or_default().push(k);
                let m = self.max_ahead.entry(queue.0).or_default();
                *m = (*m).max(ahead);
            }
            Step::Answered { queue, pool, agent, hold, .. } => {
                if let Some(sc) = &self.scenario {
                    let cap = sc.queues[queue.0 as usize].capacity;
                    assert!(cap.is_none_or(|c| self.max_ahead.get(&queue.0).copied().unwrap_or(0) < c.max(1)));
                }
                let work = if self.channel(call.caller.0) == Channel::Chat { Work::Chats(1) } else { Work::One(k) };
                self.engage(now, pool, agent, k, work);
                self.answered.entry(queue.0).or_default().push(k);
                self.answers.push((now, k, queue, pool, hold));
            }
            Step::CallbackDial { pool, agent, .. } => self.engage(now, pool, agent, k, Work::Dialing(k)),
            Step::Interrupted { pool, agent, .. } => {
                assert_eq!(self.channel(call.caller.0), Channel::Email, "only email is put down");
                assert!(!self.engaged.contains_key(&(pool.0, agent)), "an agent put an email down but is still on it");
                self.interrupted += 1;
            }
            Step::Resumed { pool, agent, .. } => {
                assert_eq!(self.channel(call.caller.0), Channel::Email, "only email is taken up again");
                self.engage(now, pool, agent, k, Work::One(k));
                self.resumed += 1;
            }
            Step::Ended { outcome, hold, .. } => {
                assert!(self.dialed.contains(&k), "{k:?} ended without dialing");
                assert!(self.ended.insert(k, outcome).is_none(), "{k:?} ended twice");
                let elapsed = now.since(self.dial_time[&k]);
                // A call from a snapshot (numbered down from u32::MAX) held before it.
                let from_snapshot = k.1 > u32::MAX - 1_000_000;
                assert!(from_snapshot || hold <= elapsed, "{k:?} held {hold} in a call of {elapsed}");
                if self.channel(call.caller.0) == Channel::Email {
                    assert_eq!(hold, SimDuration::ZERO, "{k:?}: nobody holds for an email");
                    assert!(
                        !matches!(outcome, Outcome::AbandonedQueue | Outcome::AbandonedMenu),
                        "{k:?}: email never abandons"
                    );
                }
            }
            _ => {}
        }
        self.steps.push((now, call, step));
    }

    fn agents(&mut self, now: SimTime, pool: PoolId, busy: u32, present: u32) {
        self.tick(now);
        assert!(busy <= present, "pool {} has {busy} busy agents but {present} on duty", pool.0);
    }

    fn agent_busy_from_snapshot(&mut self, now: SimTime, pool: PoolId, agent: u32) {
        self.tick(now);
        let call = (u16::MAX, u32::MAX, agent);
        assert!(self.engaged.insert((pool.0, agent), Work::One(call)).is_none(), "a snapshot's agent busy twice");
    }

    fn agent_freed(&mut self, now: SimTime, pool: PoolId, agent: u32) {
        self.tick(now);
        match self.engaged.remove(&(pool.0, agent)) {
            Some(Work::Chats(n)) => assert_eq!(n, 0, "agent {agent} freed while holding {n} chats"),
            Some(_) => {}
            None => panic!("agent {agent} of pool {} freed while not engaged", pool.0),
        }
    }

    fn chat_freed(&mut self, now: SimTime, pool: PoolId, agent: u32) {
        self.tick(now);
        match self.engaged.get_mut(&(pool.0, agent)) {
            Some(Work::Chats(n)) if *n > 0 => *n -= 1,
            other => panic!("a chat of agent {agent} of pool {} ended while the agent was on {other:?}", pool.0),
        }
    }
}

pub fn run_checked(sc: &Scenario, rep: u32) -> (RepStats, Checker) {
    let mut c = Checker { scenario: Some(sc.clone()), ..Checker::default() };
    let stats = simulate(sc, rep, &mut c);
    ends_checked(stats, c)
}

/// [`run_checked`] for one replayed day: `calls` (a log's, sorted by arrival) as the arrivals.
pub fn replay_checked(sc: &Scenario, rep: u32, calls: &[shop::sim::replay::ReplayCall]) -> (RepStats, Checker) {
    let mut c = Checker { scenario: Some(sc.clone()), ..Checker::default() };
    let stats = shop::sim::replay::simulate_day(sc, rep, calls, &mut c);
    ends_checked(stats, c)
}

/// What holds at the end of every run: each call that dialed ended once, no
/// agent still busy, counts add up to their endings.
fn ends_checked(stats: RepStats, c: Checker) -> (RepStats, Checker) {
    assert_eq!(c.dialed.len(), c.ended.len(), "every call that dialed ends exactly once");
    assert!(c.engaged.is_empty(), "agents still engaged when the run ended: {:?}", c.engaged);
    assert!(c.resumed <= c.interrupted, "more emails taken up again than put down");
    for (i, s) in stats.by_caller.iter().enumerate() {
        assert!(s.ends_add_up(), "caller type {i}: calls {} do not add up to their endings", s.calls);
    }
    let total: u64 = stats.by_caller.iter().map(|s| s.calls).sum();
    assert_eq!(total as usize, c.ended.len());
    assert_eq!(c.dialed_by_day.iter().sum::<u64>(), total, "calls of the days add up to the run's");
    (stats, c)
}
