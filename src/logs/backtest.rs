//! `shop backtest`: a scenario's simulation beside the log it should
//! reproduce, interval by interval and for the whole day.
//!
//! Both sides are counted into the same structure — [`IntervalStats`], what
//! the engine fills for "Through the day" — and every figure is computed from
//! it by the metric catalogue (`stats::metric`): service level, abandon rate
//! and the hold statistics have one definition, whichever side they describe.
//! A logged call becomes the engine's own [`CallRecord`] ([`record_of`]) and
//! is counted by the same `record_call`.
//!
//! Conventions: a call belongs to the interval it was dialed in; counts
//! (calls, answered) are per day — the log's over its days, the simulation's
//! totals over replications × days per replication; the simulation's 95%
//! interval comes from the spread between replications (sectioning, as in
//! the run report).

use std::collections::BTreeSet;

use crate::logs::record::{Ending, LoggedCall, Skipped};
use crate::scenario::{Intervals, Scenario};
use crate::stats::ci::sectioned_ci95;
use crate::stats::collect::{CallRecord, CallerStats, IntervalStats, Outcome, Runs, ServiceCounts};
use crate::stats::metric::{ABANDON_RATE, Metric, SERVICE_LEVEL, Span, Stat};
use crate::stats::r6;
use crate::time::{SimDuration, SimTime};

/// A figure set side by side, in the order reports show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// Calls dialed (redials included), per day.
    Calls,
    /// Calls answered by an agent, per day.
    Answered,
    AbandonRate,
    ServiceLevel,
    WaitMean,
    WaitP90,
    WaitP95,
}

pub const FIGURES: [Figure; 7] = [
    Figure::Calls,
    Figure::Answered,
    Figure::AbandonRate,
    Figure::ServiceLevel,
    Figure::WaitMean,
    Figure::WaitP90,
    Figure::WaitP95,
];

/// The counts a figure is computed from: a day's interval or a whole day.
pub trait Counted: ServiceCounts {
    fn calls(&self) -> u64;
    fn answered(&self) -> u64;
}

impl Counted for IntervalStats {
    fn calls(&self) -> u64 {
        self.calls
    }
    fn answered(&self) -> u64 {
        self.answered
    }
}

impl Counted for CallerStats {
    fn calls(&self) -> u64 {
        self.calls
    }
    fn answered(&self) -> u64 {
        self.answered
    }
}

impl Figure {
    /// The JSON key (`wait.mean` is `wait: {mean}` in JSON).
    pub fn name(self) -> &'static str {
        match self {
            Figure::Calls => "calls",
            Figure::Answered => "answered",
            Figure::AbandonRate => "abandon_rate",
            Figure::ServiceLevel => "service_level",
            Figure::WaitMean => "wait.mean",
            Figure::WaitP90 => "wait.p90",
            Figure::WaitP95 => "wait.p95",
        }
    }

    /// The catalogue's metric; `None` for the counts.
    pub fn metric(self) -> Option<Metric> {
        match self {
            Figure::Calls | Figure::Answered => None,
            Figure::AbandonRate => Some(ABANDON_RATE),
            Figure::ServiceLevel => Some(SERVICE_LEVEL),
            Figure::WaitMean => Some(Metric::Duration(Span::Wait, Stat::Mean)),
            Figure::WaitP90 => Some(Metric::Duration(Span::Wait, Stat::P90)),
            Figure::WaitP95 => Some(Metric::Duration(Span::Wait, Stat::P95)),
        }
    }

    pub fn is_share(self) -> bool {
        self.metric().is_some_and(Metric::is_share)
    }

    pub fn is_duration(self) -> bool {
        self.metric().is_some_and(Metric::is_duration)
    }

    /// The figure on counts covering `days` days (counts are per day).
    pub fn of<C: Counted>(self, c: &C, days: f64) -> Option<f64> {
        match (self, self.metric()) {
            (_, Some(m)) => m.of_service(c),
            (Figure::Calls, None) => (days > 0.0).then(|| c.calls() as f64 / days),
            (_, None) => (days > 0.0).then(|| c.answered() as f64 / days),
        }
    }
}

/// One side's figures, in [`FIGURES`] order; `ci95` only for the simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    pub values: [Option<f64>; 7],
    pub ci95: Option<[Option<[f64; 2]>; 7]>,
}

impl Side {
    pub fn get(&self, f: Figure) -> Option<f64> {
        self.values[index(f)]
    }

    pub fn ci(&self, f: Figure) -> Option<[f64; 2]> {
        self.ci95.as_ref().and_then(|c| c[index(f)])
    }
}

fn index(f: Figure) -> usize {
    FIGURES.iter().position(|x| *x == f).unwrap_or(0)
}

/// One interval (or the whole day): `[from, to)` in seconds from time 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub from: f64,
    pub to: f64,
    pub label: String,
    pub actual: Side,
    pub simulated: Side,
}

/// How far the simulation is from the log, for one figure, over the intervals
/// where both have it.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureError {
    pub figure: Figure,
    /// Mean absolute error, |simulated − actual|, in the figure's unit.
    pub mae: Option<f64>,
    /// Mean signed error, simulated − actual: the simulation's lean.
    pub bias: Option<f64>,
    /// Share of intervals whose actual value lies inside the simulation's 95% interval.
    pub within_ci95: Option<f64>,
    /// Intervals compared (both sides have the figure).
    pub intervals: usize,
}

/// The log's calls counted by interval.
#[derive(Clone, Debug)]
pub struct Binned {
    pub intervals: Vec<IntervalStats>,
    /// Days of the log (those with a usable call): the per-day divisor.
    pub days: usize,
    /// Calls dialed before time 0, or at or after the horizon, left out.
    pub before: u64,
    pub after: u64,
    /// Earliest and latest dial of the log, on its clock (s).
    pub first_dial: f64,
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
        Ending::Served => {
            let w = d(c.wait.unwrap_or(0.0));
            (Outcome::Resolved, Some(w), Some(w))
        }
        Ending::HungUp => (Outcome::AbandonedQueue, Some(d(c.wait.unwrap_or(0.0))), None),
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
        transfers: 0,
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
    for c in calls {
        let t = c.dial - align.offset;
        if t < 0.0 {
            before += 1;
        } else if t >= horizon {
            after += 1;
        } else {
            let k = day.index_of(SimTime(SimDuration::from_secs_f64(t).0));
            intervals[k].record_call(&record_of(c), service_level);
        }
    }
    let days = calls.iter().map(|c| c.day).collect::<BTreeSet<_>>().len();
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
    Ok(Binned { intervals, days, before, after, first_dial, last_dial })
}

/// A 95% interval kept within what the figure can be (no negative wait, no share above 1).
fn clamp(f: Figure, ci: [f64; 2]) -> [f64; 2] {
    let hi = if f.is_share() { ci[1].min(1.0) } else { ci[1] };
    [r6(ci[0].max(0.0)), r6(hi)]
}

/// The simulation's side: the pooled figure and its interval from the
/// figure on each replication alone.
fn simulated<C: Counted>(pooled: &C, per_rep: &[&C], days_per_rep: f64, reps: f64) -> Side {
    let mut values = [None; 7];
    let mut ci95 = [None; 7];
    for (i, f) in FIGURES.iter().enumerate() {
        let v = f.of(pooled, days_per_rep * reps);
        values[i] = v.map(r6);
        let daily: Vec<f64> = per_rep.iter().filter_map(|c| f.of(*c, days_per_rep)).collect();
        ci95[i] = v
            .and_then(|v| match f.metric() {
                Some(m) => m.ci95(v, &daily),
                None => sectioned_ci95(v, &daily),
            })
            .map(|c| clamp(*f, c));
    }
    Side { values, ci95: Some(ci95) }
}

fn actual<C: Counted>(c: &C, days: f64) -> Side {
    let mut values = [None; 7];
    for (i, f) in FIGURES.iter().enumerate() {
        values[i] = f.of(c, days).map(r6);
    }
    Side { values, ci95: None }
}

type Pair = (f64, f64, Option<[f64; 2]>);

/// Every interval and the whole day, log beside simulation, and the errors.
pub fn compare(binned: &Binned, sc: &Scenario, runs: &Runs) -> (Vec<Row>, Row, Vec<FigureError>) {
    let days = binned.days as f64;
    let reps = runs.per_rep.len() as f64;
    let per_rep_days = f64::from(sc.days.max(1));
    let pooled = runs.pooled.intervals();
    let per_rep: Vec<Vec<IntervalStats>> = runs.per_rep.iter().map(|r| r.intervals()).collect();
    let day = &sc.intervals;
    let rows: Vec<Row> = pooled
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (from, to) = day.bounds(k);
            let mine: Vec<&IntervalStats> = per_rep.iter().filter_map(|r| r.get(k)).collect();
            let empty = IntervalStats::default();
            Row {
                from: r6(from.as_secs_f64()),
                to: r6(to.as_secs_f64()),
                label: day.label(k),
                actual: actual(binned.intervals.get(k).unwrap_or(&empty), days),
                simulated: simulated(p, &mine, per_rep_days, reps),
            }
        })
        .collect();

    let mut all = IntervalStats::default();
    for i in &binned.intervals {
        all.merge(i);
    }
    let overall_pooled = runs.pooled.overall();
    let overall_reps: Vec<CallerStats> = runs.per_rep.iter().map(|r| r.overall()).collect();
    let refs: Vec<&CallerStats> = overall_reps.iter().collect();
    let (from, to) = (0.0, r6(day.horizon.as_secs_f64()));
    let overall = Row {
        from,
        to,
        label: "whole day".into(),
        actual: actual(&all, days),
        simulated: simulated(&overall_pooled, &refs, per_rep_days, reps),
    };

    let errors = FIGURES
        .iter()
        .map(|&f| {
            // (log, simulated, simulated's interval) of each interval where both have the figure.
            let pairs: Vec<Pair> =
                rows.iter().filter_map(|r| Some((r.actual.get(f)?, r.simulated.get(f)?, r.simulated.ci(f)))).collect();
            let n = pairs.len();
            let mean = |g: fn(&Pair) -> f64| (n > 0).then(|| r6(pairs.iter().map(g).sum::<f64>() / n as f64));
            let with_ci: Vec<bool> =
                pairs.iter().filter_map(|(a, _, ci)| ci.map(|[lo, hi]| *a >= lo - 1e-9 && *a <= hi + 1e-9)).collect();
            FigureError {
                figure: f,
                mae: mean(|(a, s, _)| (s - a).abs()),
                bias: mean(|(a, s, _)| s - a),
                within_ci95: (!with_ci.is_empty())
                    .then(|| r6(with_ci.iter().filter(|x| **x).count() as f64 / with_ci.len() as f64)),
                intervals: n,
            }
        })
        .collect();
    (rows, overall, errors)
}

/// A whole backtest: where each side came from, and the figures.
#[derive(Clone, Debug)]
pub struct Backtest {
    pub log: String,
    pub schema: &'static str,
    /// Data rows read, used and skipped (by reason).
    pub rows: u64,
    pub used: usize,
    pub skipped: Skipped,
    /// Days of the log: its counts are per day over these.
    pub days: usize,
    pub scenario_file: String,
    pub scenario: String,
    pub seed: u64,
    pub replications: u32,
    /// Days per replication (`days:`): the simulation's counts are per day over
    /// replications × this.
    pub days_per_replication: u32,
    /// The intervals' length, the scenario's day and its service-level threshold (s).
    pub interval: f64,
    pub horizon: f64,
    pub service_level_threshold: f64,
    /// Time 0 on the log's clock (`HH:MM`), for clock logs.
    pub time_zero: Option<String>,
    /// Calls left out: dialed before time 0, or at or after the horizon.
    pub before: u64,
    pub after: u64,
    /// What a reader must know to read the figures right (alignment guessed,
    /// calls left out, ...).
    pub notes: Vec<String>,
    pub intervals: Vec<Row>,
    pub overall: Row,
    pub error: Vec<FigureError>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::record::Service;

    fn call(dial: f64, ending: Ending, wait: Option<f64>) -> LoggedCall {
        LoggedCall {
            line: 2,
            day: 0,
            weekday: None,
            caller: "c".into(),
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
            }),
            end: dial + 100.0,
        }
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
