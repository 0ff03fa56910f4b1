//! The mystery shopper: choosing which simulated calls to narrate, and
//! recording their steps, without keeping every step of every call.
//!
//! ```text
//!  --count N:  replication 0, 1, … with a Recorder that starts recording the
//!              first N matching journeys in dial order.
//!  --worst N:  pass 1, every replication with TopHolds (the N longest holds,
//!              nothing else kept) — the same run `shop run` reports;
//!              pass 2, only the replications holding those calls, again, with
//!              a Recorder for those journeys. Same seed: the same calls, exactly.
//! ```

pub mod channels;
pub mod narrate;
pub mod timeline;

use std::collections::{BinaryHeap, HashMap};

use crate::scenario::{CallerTypeId, ReasonId};
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

/// A call with a long hold. Sorts best-first: the longest hold, then the
/// earliest replication, caller type (file order), journey and call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongHold {
    pub hold: SimDuration,
    pub call: CallId,
}

impl Ord for LongHold {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.hold.cmp(&self.hold).then_with(|| self.call.cmp(&other.call))
    }
}

impl PartialOrd for LongHold {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Keeps the `n` calls with the longest hold among calls that reached a queue
/// (the calls the report's `wait` counts). Memory: `n` entries.
pub struct TopHolds {
    n: usize,
    filter: Filter,
    /// Max-heap by rank: the top is the worst-ranked call kept.
    kept: BinaryHeap<LongHold>,
}

impl TopHolds {
    pub fn new(n: usize, filter: Filter) -> TopHolds {
        TopHolds { n, filter, kept: BinaryHeap::with_capacity(n + 1) }
    }

    fn offer(&mut self, h: LongHold) {
        if self.kept.len() < self.n {
            self.kept.push(h);
        } else if self.kept.peek().is_some_and(|worst| h < *worst) {
            self.kept.pop();
            self.kept.push(h);
        }
    }

    /// Merges per-replication keepers into the overall `n` longest, best first.
    pub fn merge(n: usize, parts: impl IntoIterator<Item = TopHolds>) -> Vec<LongHold> {
        let mut all: Vec<LongHold> = parts.into_iter().flat_map(|p| p.kept.into_vec()).collect();
        all.sort();
        all.truncate(n);
        all
    }
}

impl Observer for TopHolds {
    const ENABLED: bool = true;

    #[inline]
    fn step(&mut self, _now: SimTime, call: CallTag, step: Step) {
        if let Step::Ended { hold, reached_queue: true, .. } = step {
            if self.filter.matches(&call) {
                self.offer(LongHold { hold, call: CallId::of(&call) });
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

    fn hold(secs: u64, rep: u32, journey: u32) -> LongHold {
        LongHold {
            hold: SimDuration(secs * 1_000_000),
            call: CallId { replication: rep, caller: CallerTypeId(0), journey, call_no: 0 },
        }
    }

    #[test]
    fn the_longest_holds_are_kept_and_ties_go_to_the_earliest_call() {
        let mut a = TopHolds::new(2, Filter::default());
        for h in [hold(5, 0, 0), hold(9, 0, 1), hold(7, 0, 2), hold(9, 0, 3)] {
            a.offer(h);
        }
        let mut b = TopHolds::new(2, Filter::default());
        b.offer(hold(9, 1, 0));
        let top = TopHolds::merge(2, [b, a]);
        assert_eq!(top, vec![hold(9, 0, 1), hold(9, 0, 3)]);
    }
}
