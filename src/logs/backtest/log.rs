//! The log's side: where the scenario's time 0 falls on the log's clock, and
//! the log's calls counted by the scenario's intervals, each as the engine's
//! own [`CallRecord`] counted by the same `record_call`.

use std::collections::BTreeSet;

use crate::logs::record::{Ending, LoggedCall};
use crate::scenario::Intervals;
use crate::stats::collect::{CallRecord, IntervalStats, Outcome};
use crate::time::{SimDuration, SimTime};

/// The log's calls counted by interval (a backtest shard carries them).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Binned {
    pub intervals: Vec<IntervalStats>,
    /// Days of the log (those with a usable call): the per-day divisor.
    pub days: usize,
    /// Calls dialed in each interval on each day of the log: `per_day[k][d]`
    /// (days in the log's order, a day with no call there counted 0).
    pub per_day: Vec<Vec<u64>>,
    /// Calls dialed before time 0, or at or after the horizon, left out.
    pub before: u64,
    pub after: u64,
    /// Earliest and latest dial of the log, on its clock (s): for [`bin`]'s
    /// own message, not carried by a shard (read back as 0).
    #[serde(skip)]
    pub first_dial: f64,
    #[serde(skip)]
    pub last_dial: f64,
}

/// Where the scenario's time 0 falls on the log's clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Alignment {
    /// Seconds after midnight (dated logs), 0 for `shop` logs.
    pub offset: f64,
    /// Set when time 0 was guessed from the log (the scenario has no `opens`).
    pub guessed: bool,
}

/// Time 0 on the log's clock. `shop` logs count from the simulated day's start:
/// time 0 is theirs. Clock logs (`anonymous-bank`) use the scenario's `opens`,
/// or without it the start of the interval holding the log's first call.
pub fn align(calls: &[LoggedCall], day: &Intervals, clock_log: bool) -> Alignment {
    if !clock_log {
        return Alignment { offset: 0.0, guessed: false };
    }
    if let Some(o) = day.opens {
        return Alignment { offset: f64::from(o), guessed: false };
    }
    let length = day.length.as_secs_f64().max(1.0);
    let first = calls.iter().map(|c| c.dial).fold(f64::INFINITY, f64::min);
    let offset = if first.is_finite() { (first / length).floor() * length } else { 0.0 };
    Alignment { offset, guessed: true }
}

/// A logged call as the engine would have handed it over: what the interval
/// counts need (outcome, hold, hold before the first answer).
pub fn record_of(c: &LoggedCall) -> CallRecord {
    let d = |s: f64| SimDuration::from_secs_f64(s);
    let (outcome, hold, first_hold) = match c.ending {
        // An answered call went through a queue, if only for no time at all
        // (the bank log's `q_time` 0): the simulation counts it so too.
        // A callback that reached the caller: answered, off the line.
        Ending::Served if c.apart => {
            return CallRecord {
                outcome: Outcome::Resolved,
                menu_time: d(c.menu),
                hold: None,
                first_hold: None,
                time_to_answer: c.service.as_ref().map(|s| d((s.start - c.dial).max(0.0))),
                transfers: c.transfers,
                answered_apart: true,
            };
        }
        // The hold is the whole hold (every queue leg) when the log says, as
        // the engine counts it; the service level and the count of answered
        // calls go by the hold before the first answer.
        Ending::Served => {
            let w = c.wait.unwrap_or(0.0);
            (Outcome::Resolved, Some(d(c.hold.unwrap_or(w))), Some(d(w)))
        }
        // Answered, transferred, then hung up on a later hold: answered once
        // (after its first leg), as the engine counts it.
        Ending::HungUp => {
            let first = match (&c.service, c.queued) {
                (Some(s), Some(q)) => Some(d((s.start - q).max(0.0))),
                _ => None,
            };
            (Outcome::AbandonedQueue, Some(d(c.wait.unwrap_or(0.0))), first)
        }
        Ending::InMenu => (Outcome::AbandonedMenu, None, None),
        // A busy signal has a hold of zero (see the `shop` schema); other
        // endings never reached a queue as far as the log tells.
        Ending::Other if c.wait.is_some() => (Outcome::Blocked, c.wait.map(d), None),
        Ending::Other => (Outcome::Unresolved, None, None),
    };
    CallRecord {
        outcome,
        menu_time: d(c.menu),
        hold,
        first_hold,
        time_to_answer: c.service.as_ref().map(|s| d((s.start - c.dial).max(0.0))),
        transfers: c.transfers,
        answered_apart: false,
    }
}

/// `HH:MM` of seconds after midnight.
pub fn clock(secs: f64) -> String {
    let s = secs.max(0.0) as u64 % 86_400;
    format!("{:02}:{:02}", s / 3600, s / 60 % 60)
}

/// Counts the log's calls by the scenario's intervals (by dial time, time 0 at
/// `align.offset`). Calls outside `[0, horizon)` are left out and counted. An
/// error (exit 2) when no call falls in the scenario's day.
pub fn bin(
    calls: &[LoggedCall],
    align: &Alignment,
    day: &Intervals,
    service_level: SimDuration,
    clock_log: bool,
) -> Result<Binned, String> {
    let n = day.count();
    let mut intervals: Vec<IntervalStats> = (0..n).map(|_| IntervalStats::default()).collect();
    let horizon = day.horizon.as_secs_f64();
    let (mut before, mut after) = (0, 0);
    let day_list: Vec<_> = calls.iter().map(|c| c.day).collect::<BTreeSet<_>>().into_iter().collect();
    let mut per_day = vec![vec![0u64; day_list.len()]; n];
    for c in calls {
        let t = c.dial - align.offset;
        // A `shop` log's redial after closing is the design's own call: the
        // engine counts it in the day's last interval, and so does the log side.
        if t < 0.0 {
            before += 1;
        } else if t >= horizon && (clock_log || !c.redial) {
            after += 1;
        } else {
            let k = day.index_of(SimTime(SimDuration::from_secs_f64(t).0));
            intervals[k].record_call(&record_of(c), service_level);
            if let (Ok(d), Some(row)) = (day_list.binary_search(&c.day), per_day.get_mut(k)) {
                row[d] += 1;
            }
        }
    }
    let days = day_list.len();
    let first_dial = calls.iter().map(|c| c.dial).fold(f64::INFINITY, f64::min);
    let last_dial = calls.iter().map(|c| c.dial).fold(f64::NEG_INFINITY, f64::max);
    if before + after == calls.len() as u64 {
        let when = |s: f64| if clock_log { clock(s) } else { crate::time::human_secs(s) };
        let (from, to) = (when(align.offset), when(align.offset + horizon));
        return Err(format!(
            "none of the log's {} calls was dialed during the scenario's day ({from} to {to}{}): \
             they run from {} to {}\n  help: {}",
            calls.len(),
            if clock_log { " on the log's clock" } else { " from the start of a simulated day" },
            when(first_dial),
            when(last_dial),
            if clock_log {
                "set the scenario's `opens` to the clock time its day starts, and its `horizon` to the hours the log covers"
            } else {
                "check that the log and the scenario describe the same day (the log's `dial` is seconds from the start of the day)"
            }
        ));
    }
    Ok(Binned { intervals, days, per_day, before, after, first_dial, last_dial })
}

#[cfg(test)]
mod tests {
    use super::super::figures::Figure;
    use super::*;
    use crate::logs::record::Service;

    fn call(dial: f64, ending: Ending, wait: Option<f64>) -> LoggedCall {
        LoggedCall {
            line: 2,
            channel: crate::scenario::Channel::Voice,
            told: None,
            day: 0,
            weekday: None,
            caller: "c".into(),
            reason: None,
            customer: None,
            priority: None,
            dial,
            menu: 0.0,
            wait,
            ending,
            service: (ending == Ending::Served).then(|| Service {
                start: dial + wait.unwrap_or(0.0),
                talk: 60.0,
                server: None,
                work: None,
            }),
            end: dial + 100.0,
            queue: None,
            pool: None,
            redial: false,
            apart: false,
            queued: None,
            left_on_hearing: false,
            hold: None,
            transfers: 0,
        }
    }

    fn d(s: f64) -> SimDuration {
        SimDuration::from_secs_f64(s)
    }

    fn day(opens: Option<u32>) -> Intervals {
        Intervals { length: SimDuration::from_secs_f64(1800.0), horizon: SimDuration::from_secs_f64(7200.0), opens }
    }

    #[test]
    fn a_logged_call_counts_as_the_engine_counts_it() {
        let sl = SimDuration::from_secs_f64(30.0);
        let calls = [
            call(10.0, Ending::Served, Some(10.0)),
            call(20.0, Ending::Served, Some(40.0)),
            call(30.0, Ending::HungUp, Some(50.0)),
            call(40.0, Ending::InMenu, None),
        ];
        let b = bin(&calls, &Alignment { offset: 0.0, guessed: false }, &day(None), sl, false).unwrap();
        let i = &b.intervals[0];
        assert_eq!((i.calls, i.answered, i.abandoned_queue, i.reached_queue), (4, 2, 1, 3));
        assert_eq!(Figure::ServiceLevel.of(i, 1.0), Some(1.0 / 3.0));
        assert_eq!(Figure::AbandonRate.of(i, 1.0), Some(1.0 / 3.0));
        let mean = Figure::WaitMean.of(i, 1.0).unwrap();
        assert!((mean - 100.0 / 3.0).abs() < 1e-6, "{mean}");
        assert_eq!(Figure::Calls.of(i, 2.0), Some(2.0));
    }

    #[test]
    fn a_transferred_call_counts_its_whole_hold_and_its_first_answer_as_the_engine_does() {
        let sl = SimDuration::from_secs_f64(30.0);
        // Answered after 10 s, transferred, answered again after 50 s more.
        let mut served = call(10.0, Ending::Served, Some(10.0));
        (served.hold, served.transfers, served.queued) = (Some(60.0), 1, Some(10.0));
        // Answered after 20 s, transferred, hung up after 40 s more.
        let mut gone = call(20.0, Ending::HungUp, Some(60.0));
        gone.service = Some(Service { start: 40.0, talk: 30.0, server: None, work: None });
        (gone.hold, gone.transfers, gone.queued) = (Some(60.0), 1, Some(20.0));
        let r = record_of(&gone);
        assert_eq!((r.outcome, r.hold, r.first_hold), (Outcome::AbandonedQueue, Some(d(60.0)), Some(d(20.0))));
        // A redial after closing counts in the last interval of a `shop` log, not of a clock log.
        let mut late = call(8000.0, Ending::InMenu, None);
        late.redial = true;
        let calls = [served, gone, late];
        let b = bin(&calls, &Alignment { offset: 0.0, guessed: false }, &day(None), sl, false).unwrap();
        let (i, last) = (&b.intervals[0], &b.intervals[3]);
        assert_eq!(
            (i.calls, i.answered, i.answered_within, i.abandoned_queue, last.calls, b.after),
            (2, 2, 2, 1, 1, 0)
        );
        assert_eq!(Figure::WaitMean.of(i, 1.0), Some(60.0));
        let b = bin(&calls, &Alignment { offset: 0.0, guessed: false }, &day(None), sl, true).unwrap();
        assert_eq!((b.intervals[3].calls, b.after), (0, 1));
    }

    #[test]
    fn a_clock_log_is_aligned_by_opens_or_its_first_interval() {
        let calls = [call(7.0 * 3600.0 + 200.0, Ending::InMenu, None), call(9.5 * 3600.0, Ending::InMenu, None)];
        assert_eq!(align(&calls, &day(Some(8 * 3600)), true).offset, 8.0 * 3600.0);
        let guessed = align(&calls, &day(None), true);
        assert_eq!(guessed, Alignment { offset: 7.0 * 3600.0, guessed: true });
        assert_eq!(align(&calls, &day(Some(8 * 3600)), false).offset, 0.0);
        let sl = SimDuration::from_secs_f64(30.0);
        let b = bin(&calls, &guessed, &day(None), sl, true).unwrap();
        assert_eq!((b.before, b.after, b.intervals[0].calls), (0, 1, 1));
        let err = bin(&calls, &Alignment { offset: 12.0 * 3600.0, guessed: false }, &day(None), sl, true).unwrap_err();
        assert!(err.contains("12:00 to 14:00") && err.contains("from 07:03 to 09:30"), "{err}");
    }
}
