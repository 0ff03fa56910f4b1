//! The estimated wait (EWT) callers were told, rebuilt from the log.
//!
//! A queue that tells callers the wait (`announce_ewt`, or a callback offer,
//! which states it) shows in a `shop` log as callers who reached it and left
//! at once (`abandoned_queue`, no `entered_queue`): their patience was shorter
//! than what they heard. The log does not carry the wait told, so it is
//! rebuilt as the engine (and an ACD) computes it, from what the log shows at
//! that moment: `(n + 1) · h / s`, with `n` the calls holding in the same
//! queue (or keeping their place there as a callback) when the caller
//! arrived, `h` the mean talk time of the caller type on the pools that answer
//! the queue at once, and `s` those pools' agents **on duty** in the interval
//! as the fitted scenario writes them (the estimated wait counts agents on
//! duty, not only those on the phones at that moment: see `pools` and
//! docs/call-logs.md, "Callers told the wait").
//!
//! Who was told: on a queue that offers callbacks, every caller who had to
//! wait and whose estimate exceeds the offer threshold (the fitted scenario's,
//! [`super::CALLBACK_OFFER`]: the log does not show the offers); on a queue
//! that only announces, every caller who had to wait. A caller answered at
//! once heard nothing; one who took a callback shows nothing of their
//! patience.

use std::collections::HashMap;

use crate::logs::record::{Ending, LoggedCall};

/// How a caller type's queue tells the wait.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Telling {
    /// Offered a callback when the estimate exceeds this (s), and told it then.
    OverOffer(f64),
    /// Told to every caller who must wait (`announce_ewt`).
    Always,
}

/// One caller type's queue, as the rebuilt estimate needs it.
pub struct QueueTells<'a> {
    /// The caller type's name in the log.
    pub caller: &'a str,
    pub telling: Telling,
    /// Mean talk time on the pools answering at once (s).
    pub handle_mean: f64,
    /// Agents on duty on those pools, per interval of the fit.
    pub on_duty: Vec<f64>,
}

/// Where a queued call held: from when it joined to when it left the queue.
fn in_queue(c: &LoggedCall) -> Option<(f64, f64)> {
    if c.left_on_hearing {
        return None;
    }
    let leave = match (c.ending, &c.service) {
        (Ending::Served, Some(s)) => s.start,
        (Ending::HungUp, _) => c.end,
        _ => return None,
    };
    let entry = c.queued.or_else(|| c.wait.map(|w| leave - w))?;
    (leave > entry).then_some((entry, leave))
}

/// Each caller type's queue: the one most of its calls name. A `shop` log
/// names none on a caller who left on hearing the wait (they never joined).
fn home_queues(calls: &[LoggedCall]) -> HashMap<&str, &str> {
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    for c in calls {
        if let Some(q) = c.queue.as_deref() {
            *counts.entry((c.caller.as_str(), q)).or_default() += 1;
        }
    }
    let mut best: HashMap<&str, (&str, usize)> = HashMap::new();
    for ((caller, q), n) in counts {
        let e = best.entry(caller).or_insert((q, n));
        if n > e.1 || (n == e.1 && q < e.0) {
            *e = (q, n);
        }
    }
    best.into_iter().map(|(caller, (q, _))| (caller, q)).collect()
}

/// The queue a call's count is kept in: the log's, else its type's, else its type.
fn queue_of<'a>(c: &'a LoggedCall, home: &HashMap<&'a str, &'a str>) -> &'a str {
    c.queue.as_deref().or_else(|| home.get(c.caller.as_str()).copied()).unwrap_or(c.caller.as_str())
}

/// One call's stay in a queue as the log shows it: joined, left (answered
/// or hung up), and answered (infinite for a hang-up).
struct Stay {
    entry: f64,
    leave: f64,
    answered: f64,
}

/// Joins and departures of one queue on one day, each sorted.
#[derive(Default)]
struct Occupancy {
    joins: Vec<f64>,
    leaves: Vec<f64>,
}

impl Occupancy {
    /// Calls in the queue just before `t`: joined before it, not yet gone.
    fn before(&self, t: f64) -> usize {
        let joined = self.joins.partition_point(|&x| x < t);
        let gone = self.leaves.partition_point(|&x| x <= t);
        joined.saturating_sub(gone)
    }
}

/// Per call (as `calls`): the wait it was told when its caller type's queue
/// tells one (see the module's account of who was told), else `None`.
/// `interval_of` maps a time of day to the fit's interval.
pub fn rebuild<'a>(
    calls: &'a [LoggedCall],
    queues: &[QueueTells],
    interval_of: &dyn Fn(f64) -> usize,
) -> Vec<Option<f64>> {
    let mut out = vec![None; calls.len()];
    if queues.is_empty() {
        return out;
    }
    let home = home_queues(calls);
    let queue_key = |c: &'a LoggedCall| queue_of(c, &home);
    // Per queue, day and priority: each call that held.
    let mut stays: HashMap<(i64, &str, i32), Vec<Stay>> = HashMap::new();
    for c in calls {
        if let Some((entry, leave)) = in_queue(c) {
            let answered = if c.ending == Ending::Served { leave } else { f64::INFINITY };
            stays.entry((c.day, queue_key(c), c.priority.unwrap_or(0))).or_default().push(Stay {
                entry,
                leave,
                answered,
            });
        }
    }
    let mut occupancy: HashMap<(i64, &str), Occupancy> = HashMap::new();
    for ((day, queue, _), mut v) in stays {
        // First come, first served within a priority: a call has left the
        // queue by the time any call that joined after it is answered. This
        // bounds a callback's stay, which the log shows until it reached the
        // caller, retries included.
        v.sort_by(|a, b| a.entry.total_cmp(&b.entry));
        let mut later = f64::INFINITY;
        let o = occupancy.entry((day, queue)).or_default();
        for s in v.iter().rev() {
            o.joins.push(s.entry);
            o.leaves.push(s.leave.min(later).max(s.entry));
            later = later.min(s.answered);
        }
    }
    for o in occupancy.values_mut() {
        o.joins.sort_by(f64::total_cmp);
        o.leaves.sort_by(f64::total_cmp);
    }
    for (i, c) in calls.iter().enumerate() {
        let Some(q) = queues.iter().find(|q| q.caller == c.caller) else { continue };
        // When it reached the queue, and whether it had to wait there.
        let arrived = if c.left_on_hearing {
            c.end
        } else {
            match (in_queue(c), c.apart) {
                (Some((entry, _)), false) => entry,
                _ => continue,
            }
        };
        let ahead = occupancy.get(&(c.day, queue_key(c))).map_or(0, |o| o.before(arrived));
        let servers = q.on_duty.get(interval_of(arrived)).copied().unwrap_or(0.0);
        let told = if servers > 0.0 { (ahead + 1) as f64 * q.handle_mean / servers } else { f64::INFINITY };
        out[i] = match q.telling {
            _ if c.left_on_hearing => Some(told),
            Telling::Always => Some(told),
            Telling::OverOffer(offer) if told > offer => Some(told),
            Telling::OverOffer(_) => None,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::record::Service;

    fn call(caller: &str, dial: f64, wait: f64, ending: Ending) -> LoggedCall {
        let left = wait == 0.0 && ending == Ending::HungUp;
        LoggedCall {
            line: 2,
            channel: crate::scenario::Channel::Voice,
            told: None,
            day: 0,
            weekday: None,
            caller: caller.into(),
            reason: None,
            customer: None,
            priority: None,
            dial,
            menu: 0.0,
            wait: Some(wait),
            ending,
            service: (ending == Ending::Served).then_some(Service {
                start: dial + wait,
                talk: 60.0,
                server: None,
                work: None,
            }),
            end: dial + wait + if ending == Ending::Served { 60.0 } else { 0.0 },
            queue: Some("q".into()),
            pool: None,
            redial: false,
            apart: false,
            queued: (!left).then_some(dial),
            left_on_hearing: left,
            hold: None,
            transfers: 0,
        }
    }

    #[test]
    fn the_wait_told_counts_the_callers_ahead_on_the_agents_on_duty() {
        // Holding: 0–15 s, 5–55 s (hangs up), 10–60 s, 30–70 s; one leaves on
        // hearing the wait at 20 s, one is answered at once at 35 s; a
        // callback keeps its place from 12 s and reaches the caller at 500 s
        // (a retry: first come, first served, it left the queue by 70 s, when
        // a caller who joined after it was answered); one joins at 80 s.
        let mut callback = call("a", 12.0, 0.0, Ending::Served);
        callback.service = Some(Service { start: 500.0, talk: 60.0, server: None, work: None });
        callback.apart = true;
        let calls = [
            call("a", 0.0, 15.0, Ending::Served),
            call("a", 5.0, 50.0, Ending::HungUp),
            call("a", 10.0, 50.0, Ending::Served),
            call("a", 20.0, 0.0, Ending::HungUp),
            call("a", 30.0, 40.0, Ending::Served),
            call("a", 35.0, 0.0, Ending::Served),
            callback,
            call("a", 80.0, 10.0, Ending::Served),
        ];
        let q = |telling| QueueTells { caller: "a", telling, handle_mean: 300.0, on_duty: vec![5.0] };
        let told = rebuild(&calls, &[q(Telling::Always)], &|_| 0);
        // (n + 1) × 300 s ÷ 5 agents: at 20 s the callers of 5 s and 10 s and
        // the callback hold; at 80 s nobody does.
        assert_eq!(told, [Some(60.0), Some(120.0), Some(180.0), Some(240.0), Some(240.0), None, None, Some(60.0)]);
        // Over a 2m offer, only the longer estimates were told; a leaver always was.
        let told = rebuild(&calls, &[q(Telling::OverOffer(120.0))], &|_| 0);
        assert_eq!(told, [None, None, Some(180.0), Some(240.0), Some(240.0), None, None, None]);
        // Another type's queue tells nothing.
        assert!(rebuild(&calls, &[], &|_| 0).iter().all(Option::is_none));
    }
}
