//! The mystery shopper: choosing which simulated calls to narrate, and
//! recording their steps, without keeping every step of every call.
//!
//! ```text
//!  --count N:  replication 0, 1, … with a Recorder that starts recording the
//!              first N matching journeys in dial order.
//!  --worst N:  pass 1, every replication with TopWaits (the N longest waits,
//!              nothing else kept) — the same run `shop run` reports;
//!              pass 2, only the replications holding those calls, again, with
//!              a Recorder for those journeys. Same seed: the same calls, exactly.
//! ```
//!
//! A call's wait is what its caller waited for, as the report counts it
//! ([`Waiting`]): the hold on the line (`wait`), for an email the time until an
//! agent started on it (`response_time`), for an accepted callback the time
//! until the agent reached the caller (`time_to_callback`).

pub mod channels;
pub mod narrate;
pub mod timeline;

use std::collections::{BinaryHeap, HashMap};

use crate::scenario::{CallerTypeId, Channel, ReasonId, Scenario};
use crate::sim::{CallTag, Observer, Step};
use crate::stats::collect::Outcome;
use crate::time::{SimDuration, SimTime};

/// Which callers to narrate.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    pub caller: Option<CallerTypeId>,
    pub reason: Option<ReasonId>,
}

impl Filter {
    pub fn matches(&self, t: &CallTag) -> bool {
        self.caller.is_none_or(|c| c == t.caller) && self.reason.is_none_or(|r| r == t.reason)
    }
}

/// One call of one replication, ordered for deterministic tie-breaking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CallId {
    pub replication: u32,
    pub caller: CallerTypeId,
    pub journey: u32,
    pub call_no: u32,
}

impl CallId {
    fn of(t: &CallTag) -> CallId {
        CallId { replication: t.replication, caller: t.caller, journey: t.journey, call_no: t.call_no }
    }
}

/// What a caller waited for, named as the report's figure that counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WaitKind {
    /// On hold on the line, all queue legs (`wait`).
    Hold,
    /// An email, from arrival to an agent starting on it (`response_time`).
    Response,
    /// From accepting a callback to the agent reaching the caller (`time_to_callback`).
    Callback,
}

impl WaitKind {
    /// The report's name of the figure (`wait`, `response_time`, `time_to_callback`).
    pub fn figure(self) -> &'static str {
        match self {
            WaitKind::Hold => "wait",
            WaitKind::Response => "response_time",
            WaitKind::Callback => "time_to_callback",
        }
    }
}

/// How one call's wait is being counted, step by step. The same transitions
/// serve the ranking (`TopWaits`, streaming) and the narration
/// ([`RecordedCall::waited`], recorded steps), so both tell the same wait.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Waiting {
    /// A call on the line: its wait is its hold, known at its end.
    Hold,
    /// An email dialed (arrived) at `dialed`; `started` once an agent starts on it.
    Response { dialed: SimTime, started: Option<SimTime> },
    /// A caller who accepted a callback; `reached` once the agent reaches them.
    Callback { reached: Option<SimDuration> },
}

impl Waiting {
    /// The step that makes a call's wait something other than its hold: an
    /// email arriving, a callback accepted.
    fn starts(email: bool, now: SimTime, step: Step) -> Option<Waiting> {
        match step {
            Step::Dialed if email => Some(Waiting::Response { dialed: now, started: None }),
            Step::CallbackOffered { accepted: true, .. } => Some(Waiting::Callback { reached: None }),
            _ => None,
        }
    }

    fn follow(&mut self, now: SimTime, step: Step) {
        match (self, step) {
            (Waiting::Response { started: s @ None, .. }, Step::Answered { .. }) => *s = Some(now),
            (Waiting::Callback { reached: r @ None }, Step::CallbackTry { reached: true, waited, .. }) => {
                *r = Some(waited)
            }
            _ => {}
        }
    }

    /// The wait at the call's end, when the report counts one: a hold of a
    /// call that reached a queue, an email an agent started, a callback that
    /// reached the caller. (An email still open or a callback that failed has
    /// no such figure: the report leaves them out of its times too.)
    fn end(self, hold: SimDuration, reached_queue: bool) -> Option<(WaitKind, SimDuration)> {
        match self {
            Waiting::Hold => reached_queue.then_some((WaitKind::Hold, hold)),
            Waiting::Response { dialed, started } => started.map(|s| (WaitKind::Response, s.since(dialed))),
            Waiting::Callback { reached } => reached.map(|w| (WaitKind::Callback, w)),
        }
    }
}

/// A call with a long wait. Sorts best-first: the longest wait, then the
/// earliest replication, caller type (file order), journey and call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongWait {
    pub wait: SimDuration,
    pub kind: WaitKind,
    pub call: CallId,
}

impl Ord for LongWait {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.wait.cmp(&self.wait).then_with(|| self.call.cmp(&other.call)).then_with(|| self.kind.cmp(&other.kind))
    }
}

impl PartialOrd for LongWait {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Keeps the `n` calls with the longest wait among the calls the report
/// times: holds of calls that reached a queue, emails' response times,
/// callbacks' times to callback. Memory: `n` entries, and the emails and
/// accepted callbacks still in progress.
pub struct TopWaits {
    n: usize,
    filter: Filter,
    /// Per caller type (file order): whether it writes emails.
    email: Vec<bool>,
    /// Calls in progress whose wait is not their hold.
    pending: HashMap<(CallerTypeId, u32), Waiting>,
    /// Max-heap by rank: the top is the worst-ranked call kept.
    kept: BinaryHeap<LongWait>,
}

impl TopWaits {
    pub fn new(n: usize, filter: Filter, sc: &Scenario) -> TopWaits {
        TopWaits {
            n,
            filter,
            email: sc.callers.iter().map(|c| c.channel == Channel::Email).collect(),
            pending: HashMap::new(),
            kept: BinaryHeap::with_capacity(n + 1),
        }
    }

    fn offer(&mut self, h: LongWait) {
        if self.kept.len() < self.n {
            self.kept.push(h);
        } else if self.kept.peek().is_some_and(|worst| h < *worst) {
            self.kept.pop();
            self.kept.push(h);
        }
    }

    /// Merges per-replication keepers into the overall `n` longest, best first.
    pub fn merge(n: usize, parts: impl IntoIterator<Item = TopWaits>) -> Vec<LongWait> {
        let mut all: Vec<LongWait> = parts.into_iter().flat_map(|p| p.kept.into_vec()).collect();
        all.sort();
        all.truncate(n);
        all
    }
}

impl Observer for TopWaits {
    const ENABLED: bool = true;

    #[inline]
    fn step(&mut self, now: SimTime, call: CallTag, step: Step) {
        if !self.filter.matches(&call) {
            return;
        }
        let key = (call.caller, call.journey);
        // Most runs have no email nor callback in progress: no lookup then.
        let pending = !self.pending.is_empty();
        if let Step::Ended { hold, reached_queue, .. } = step {
            let waiting = if pending { self.pending.remove(&key) } else { None };
            if let Some((kind, wait)) = waiting.unwrap_or(Waiting::Hold).end(hold, reached_queue) {
                self.offer(LongWait { wait, kind, call: CallId::of(&call) });
            }
        } else if let Some(w) = Waiting::starts(self.email[call.caller.index()], now, step) {
            self.pending.insert(key, w);
        } else if pending {
            if let Some(w) = self.pending.get_mut(&key) {
                w.follow(now, step);
            }
        }
    }
}

/// Every step of one journey (a caller's first call and redials).
#[derive(Clone, Debug)]
pub struct RecordedJourney {
    pub replication: u32,
    pub caller: CallerTypeId,
    pub reason: ReasonId,
    pub journey: u32,
    /// `(time, call_no, step)` in the order they happened.
    pub steps: Vec<(SimTime, u32, Step)>,
}

impl RecordedJourney {
    /// The calls of this journey, each with its steps, in order.
    pub fn calls(&self) -> Vec<RecordedCall<'_>> {
        let mut out: Vec<RecordedCall> = Vec::new();
        for (i, (_, call_no, _)) in self.steps.iter().enumerate() {
            match out.last_mut() {
                Some(c) if c.call_no == *call_no => c.range.1 = i + 1,
                _ => out.push(RecordedCall { call_no: *call_no, range: (i, i + 1), journey: self }),
            }
        }
        out
    }
}

/// One call of a recorded journey.
pub struct RecordedCall<'a> {
    pub call_no: u32,
    range: (usize, usize),
    journey: &'a RecordedJourney,
}

impl RecordedCall<'_> {
    pub fn steps(&self) -> impl Iterator<Item = (SimTime, Step)> + '_ {
        self.journey.steps[self.range.0..self.range.1].iter().map(|(t, _, s)| (*t, *s))
    }

    /// How the call ended, its total hold and whether it reached a queue.
    pub fn end(&self) -> Option<(Outcome, SimDuration, bool)> {
        self.steps().find_map(|(_, s)| match s {
            Step::Ended { outcome, hold, reached_queue } => Some((outcome, hold, reached_queue)),
            _ => None,
        })
    }

    pub fn dialed_at(&self) -> SimTime {
        self.steps().next().map_or(SimTime::ZERO, |(t, _)| t)
    }

    /// What this call's caller waited for and how long, as `--worst` ranks it
    /// (`email`: the caller type writes emails); `None` when the report times
    /// no wait of this call (it never reached a queue, an email still open, a
    /// callback that failed).
    pub fn waited(&self, email: bool) -> Option<(WaitKind, SimDuration)> {
        let mut w = Waiting::Hold;
        for (t, step) in self.steps() {
            if let Step::Ended { hold, reached_queue, .. } = step {
                return w.end(hold, reached_queue);
            }
            match Waiting::starts(email, t, step) {
                Some(n) => w = n,
                None => w.follow(t, step),
            }
        }
        None
    }
}

enum Wanted {
    /// The first `n` journeys matching the filter, in dial order.
    First { n: usize, filter: Filter },
    /// These journeys (caller type, journey index).
    These,
}

/// Records the steps of chosen journeys of one replication, and nothing else.
pub struct Recorder {
    wanted: Wanted,
    index: HashMap<(CallerTypeId, u32), usize>,
    pub journeys: Vec<RecordedJourney>,
}

impl Recorder {
    /// Records the first `n` journeys that match `filter`, in dial order.
    pub fn first(n: usize, filter: Filter) -> Recorder {
        Recorder { wanted: Wanted::First { n, filter }, index: HashMap::new(), journeys: Vec::new() }
    }

    /// Records these journeys (by caller type and journey index).
    pub fn these(journeys: impl IntoIterator<Item = (CallerTypeId, u32)>) -> Recorder {
        let mut r = Recorder { wanted: Wanted::These, index: HashMap::new(), journeys: Vec::new() };
        for (caller, journey) in journeys {
            if let std::collections::hash_map::Entry::Vacant(e) = r.index.entry((caller, journey)) {
                e.insert(r.journeys.len());
                r.journeys.push(RecordedJourney {
                    replication: 0,
                    caller,
                    reason: ReasonId(0),
                    journey,
                    steps: Vec::new(),
                });
            }
        }
        r
    }

    pub fn journey(&self, caller: CallerTypeId, journey: u32) -> Option<&RecordedJourney> {
        self.index.get(&(caller, journey)).map(|&i| &self.journeys[i])
    }
}

impl Observer for Recorder {
    const ENABLED: bool = true;

    fn step(&mut self, now: SimTime, call: CallTag, step: Step) {
        let key = (call.caller, call.journey);
        let slot = match self.index.get(&key) {
            Some(&i) => i,
            None => match &self.wanted {
                Wanted::First { n, filter }
                    if step == Step::Dialed
                        && call.call_no == 0
                        && self.journeys.len() < *n
                        && filter.matches(&call) =>
                {
                    self.journeys.push(RecordedJourney {
                        replication: call.replication,
                        caller: call.caller,
                        reason: call.reason,
                        journey: call.journey,
                        steps: Vec::new(),
                    });
                    self.index.insert(key, self.journeys.len() - 1);
                    self.journeys.len() - 1
                }
                _ => return,
            },
        };
        let j = &mut self.journeys[slot];
        j.replication = call.replication;
        j.reason = call.reason;
        j.steps.push((now, call.call_no, step));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(secs: u64, rep: u32, journey: u32) -> LongWait {
        LongWait {
            wait: SimDuration(secs * 1_000_000),
            kind: WaitKind::Hold,
            call: CallId { replication: rep, caller: CallerTypeId(0), journey, call_no: 0 },
        }
    }

    fn keeper(n: usize, email: bool) -> TopWaits {
        TopWaits { n, filter: Filter::default(), email: vec![email], pending: HashMap::new(), kept: BinaryHeap::new() }
    }

    #[test]
    fn the_longest_waits_are_kept_and_ties_go_to_the_earliest_call() {
        let mut a = keeper(2, false);
        for h in [wait(5, 0, 0), wait(9, 0, 1), wait(7, 0, 2), wait(9, 0, 3)] {
            a.offer(h);
        }
        let mut b = keeper(2, false);
        b.offer(wait(9, 1, 0));
        let top = TopWaits::merge(2, [b, a]);
        assert_eq!(top, vec![wait(9, 0, 1), wait(9, 0, 3)]);
    }

    fn tag(journey: u32) -> CallTag {
        CallTag { replication: 0, caller: CallerTypeId(0), journey, call_no: 0, reason: ReasonId(0) }
    }

    fn at(secs: u64) -> SimTime {
        SimTime(secs * 1_000_000)
    }

    fn ended(hold: u64) -> Step {
        Step::Ended { outcome: Outcome::Resolved, hold: SimDuration(hold * 1_000_000), reached_queue: true }
    }

    fn answered() -> Step {
        use crate::scenario::{PoolId, QueueId};
        Step::Answered { queue: QueueId(0), pool: PoolId(0), agent: 0, hold: SimDuration::ZERO, warm: false }
    }

    #[test]
    fn an_email_waits_from_arrival_to_an_agent_starting_on_it_not_on_hold() {
        let mut k = keeper(3, true);
        k.step(at(100), tag(0), Step::Dialed);
        k.step(at(700), tag(0), answered());
        k.step(at(900), tag(0), ended(0));
        // An email still open at the end has no response time: not ranked.
        k.step(at(200), tag(1), Step::Dialed);
        k.step(at(5000), tag(1), Step::StillOpen);
        let open = Step::Ended { outcome: Outcome::Open, hold: SimDuration::ZERO, reached_queue: true };
        k.step(at(5000), tag(1), open);
        let top = TopWaits::merge(3, [k]);
        assert_eq!(top.len(), 1);
        assert_eq!((top[0].kind, top[0].wait), (WaitKind::Response, SimDuration(600_000_000)));
    }

    #[test]
    fn a_callback_waits_from_accepting_to_being_reached() {
        use crate::scenario::QueueId;
        let mut k = keeper(3, false);
        let offer = Step::CallbackOffered { queue: QueueId(0), ewt: SimDuration::ZERO, accepted: true };
        k.step(at(10), tag(0), Step::Dialed);
        k.step(at(10), tag(0), offer);
        k.step(at(300), tag(0), Step::CallbackTry { attempt: 1, reached: false, waited: SimDuration(290_000_000) });
        k.step(at(900), tag(0), Step::CallbackTry { attempt: 2, reached: true, waited: SimDuration(890_000_000) });
        k.step(at(900), tag(0), answered());
        k.step(at(1200), tag(0), ended(0));
        // A caller who held on the line: their hold.
        k.step(at(20), tag(1), Step::Dialed);
        k.step(at(80), tag(1), ended(60));
        let top = TopWaits::merge(3, [k]);
        assert_eq!(
            top.iter().map(|w| (w.kind, w.wait.0 / 1_000_000)).collect::<Vec<_>>(),
            [(WaitKind::Callback, 890), (WaitKind::Hold, 60)]
        );
    }
}
