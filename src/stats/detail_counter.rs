//! Counts [`IntervalDetail`] from the steps the engine tells observers, so the
//! engine itself counts nothing more: a run without this observer (every
//! `shop run`, a staffing search without queue targets) pays nothing.
//!
//! Each call's steps are followed from `Dialed` to `Ended`, and each queue
//! figure is counted as the engine counts the day's per-queue figures
//! (`RepStats::by_queue`): a leg offered (`Queued`, `BusySignal`, or a caller
//! who left at once on hearing the estimated wait), answered (its hold, and
//! within the threshold, only for a caller holding on the line: not an email,
//! not a callback), hung up on hold. Summed over the intervals, the counts are
//! the day's (tests/all/properties.rs checks it on random designs).

use super::collect::Runs;
use super::interval_detail::{IntervalDetail, Wanted};
use crate::scenario::{Channel, QueueId, Scenario};
use crate::sim::{CallTag, Observer, RunOptions, Step};
use crate::time::{SimDuration, SimTime};

/// Where one call stands, from its steps so far.
#[derive(Clone, Copy, Debug, Default)]
struct Call {
    /// The interval it was dialed in.
    interval: usize,
    /// Declined a callback at this queue and has not joined it yet: if the
    /// call ends now, the caller left at once on hearing the wait.
    declined_at: Option<QueueId>,
    /// Accepted a callback: its later answers are off the line.
    callback: bool,
}

/// The observer of one replication.
pub struct DetailCounter<'a> {
    sc: &'a Scenario,
    pub counts: IntervalDetail,
    /// Per caller type, per journey (dense from 0 in a replication).
    calls: Vec<Vec<Call>>,
}

impl<'a> DetailCounter<'a> {
    pub fn new(sc: &'a Scenario, wanted: &Wanted) -> Self {
        DetailCounter {
            sc,
            counts: IntervalDetail::new(sc.intervals.count(), sc.queues.len(), wanted),
            calls: vec![Vec::new(); sc.callers.len()],
        }
    }

    /// A caller who left queue `q` at once: a leg offered, hung up after no hold.
    fn left_at_once(&mut self, k: usize, q: QueueId) {
        if let Some(s) = self.counts.queue_mut(k, q) {
            s.calls += 1;
            s.abandoned += 1;
            s.wait.record(SimDuration::ZERO);
        }
    }
}

impl Observer for DetailCounter<'_> {
    const ENABLED: bool = true;

    fn step(&mut self, now: SimTime, tag: CallTag, step: Step) {
        let sc = self.sc;
        let calls = &mut self.calls[tag.caller.index()];
        let j = tag.journey as usize;
        if step == Step::Dialed {
            if calls.len() <= j {
                calls.resize(j + 1, Call::default());
            }
            let interval = sc.intervals.index_on_days(now, sc.days);
            calls[j] = Call { interval, ..Call::default() };
            return;
        }
        let Some(call) = calls.get_mut(j) else { return };
        let k = call.interval;
        let email = sc.callers[tag.caller.index()].channel == Channel::Email;
        match step {
            Step::Queued { queue, .. } => {
                call.declined_at = None;
                if let Some(s) = self.counts.queue_mut(k, queue) {
                    s.calls += 1;
                    if email {
                        s.off_line += 1;
                    }
                }
            }
            Step::BusySignal { queue } => {
                if let Some(s) = self.counts.queue_mut(k, queue) {
                    s.calls += 1;
                    s.blocked += 1;
                    s.wait.record(SimDuration::ZERO);
                }
            }
            Step::CallbackOffered { queue, accepted: true, .. } => {
                call.callback = true;
                if let Some(s) = self.counts.queue_mut(k, queue) {
                    s.off_line += 1;
                }
            }
            Step::CallbackOffered { queue, accepted: false, .. } => call.declined_at = Some(queue),
            Step::EwtAnnounced { queue, left: true, .. } => {
                call.declined_at = None;
                self.left_at_once(k, queue);
            }
            Step::Answered { queue, hold, .. } => {
                let on_line = !email && !call.callback;
                if let Some(s) = self.counts.queue_mut(k, queue) {
                    s.answered += 1;
                    if on_line {
                        s.wait.record(hold);
                        if hold <= sc.service_level {
                            s.answered_within += 1;
                        }
                    }
                }
            }
            Step::HungUp { queue, hold, .. } => {
                if let Some(s) = self.counts.queue_mut(k, queue) {
                    s.abandoned += 1;
                    s.wait.record(hold);
                }
            }
            Step::Ended { .. } => {
                if let Some(q) = call.declined_at.take() {
                    self.left_at_once(k, q);
                }
            }
            _ => {}
        }
    }
}

/// Runs every replication as [`crate::sim::run_replications`] does, counting
/// the interval detail `wanted` too; the statistics are the same as without it. Each
/// replication's detail is merged as it completes (`sim::run_merged`: a day
/// of many intervals and queues holds megabytes of them). Merging adds
/// integers, so the result does not depend on the number of threads.
pub fn run_with_detail(sc: &Scenario, opts: &RunOptions, wanted: &Wanted) -> Result<(Runs, IntervalDetail), String> {
    crate::sim::run_merged(
        sc,
        opts,
        |_| DetailCounter::new(sc, wanted),
        |_, _, counter| counter.counts,
        |all, more| all.merge(&more),
    )
}
