//! Fractional head counts lowered to whole agents: the engine only ever sees a
//! timeline of whole agents on duty, so a file with `agents: 5.6` costs the
//! engine nothing more than one with more shift steps.
//!
//! `5.6` means five agents on duty all along the step and a sixth on duty for
//! the first 60% of each reporting interval of the step (of the part of the
//! interval the step covers, when the step starts or ends inside one):
//!
//! ```text
//!  interval   |<------- 30m ------->|<------- 30m ------->|
//!  agents 5.6 | 6 for 18m  | 5 (12m)| 6 for 18m  | 5 (12m)|
//! ```
//!
//! Why this and not a sixth agent present with chance 0.6 per interval: it is
//! exact in every interval and every day, not only in expectation over days
//! (each interval's mean agents on duty is 5.6, as the file says), it draws
//! nothing (two designs compared meet the same callers and nothing else
//! changes), and over an interval the line is an M/M/5 for 40% of the time and
//! an M/M/6 for 60%: for talk times short beside the interval, the figures are
//! the time-weighted mix of Erlang C at 5 and at 6 agents, which is what an
//! analyst who writes 5.6 means. Drawing the sixth per interval gives the same
//! mix in expectation but adds day-to-day spread that is not in the file.
//! As at the end of any step, the agent going off at the 60% mark finishes the
//! call in hand first.

use super::intervals::Intervals;
use crate::time::{SimDuration, SimTime};

/// A fraction below this is taken as none (`5.0000000001` is five agents).
const WHOLE: f64 = 1e-9;

/// The engine's timeline of whole agents for the file's `steps` (sorted by
/// `from`), cut at the reporting intervals where a step is fractional.
/// Consecutive equal counts are merged; integer steps come back as they are.
pub fn lower(steps: &[(SimTime, f64)], intervals: &Intervals) -> Vec<(SimTime, u32)> {
    let day_end = SimTime::ZERO + intervals.horizon;
    let mut out: Vec<(SimTime, u32)> = Vec::with_capacity(steps.len());
    let mut push = |t: SimTime, n: u32| {
        if out.last().is_some_and(|l| l.1 == n) {
            return;
        }
        match out.last_mut() {
            Some(l) if l.0 == t => l.1 = n,
            _ => out.push((t, n)),
        }
    };
    for (i, &(from, agents)) in steps.iter().enumerate() {
        let whole = agents.floor();
        let frac = agents - whole;
        let n = whole as u32;
        if frac < WHOLE || from >= day_end {
            push(from, if frac < WHOLE { n } else { n + 1 });
            continue;
        }
        if 1.0 - frac < WHOLE {
            push(from, n + 1);
            continue;
        }
        let end = steps.get(i + 1).map_or(day_end, |s| s.0).min(day_end);
        let mut s = from;
        while s < end {
            let k = intervals.index_of(s);
            let e = intervals.bounds(k).1.min(end).max(SimTime(s.0 + 1));
            let on = SimDuration::from_secs_f64(e.since(s).as_secs_f64() * frac);
            push(s, n + 1);
            push(s + on, n);
            s = e;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(len_min: u64, horizon_h: u64) -> Intervals {
        Intervals {
            length: SimDuration::from_secs_f64((len_min * 60) as f64),
            horizon: SimDuration::from_secs_f64((horizon_h * 3600) as f64),
            opens: None,
        }
    }

    fn at(min: f64) -> SimTime {
        SimTime::ZERO + SimDuration::from_secs_f64(min * 60.0)
    }

    #[test]
    fn whole_steps_come_back_unchanged() {
        let steps = [(at(0.0), 4.0), (at(90.0), 7.0)];
        assert_eq!(lower(&steps, &iv(30, 8)), vec![(at(0.0), 4), (at(90.0), 7)]);
    }

    #[test]
    fn a_fraction_is_an_extra_agent_for_that_share_of_each_interval() {
        let out = lower(&[(at(0.0), 5.6)], &iv(30, 1));
        assert_eq!(out, vec![(at(0.0), 6), (at(18.0), 5), (at(30.0), 6), (at(48.0), 5)]);
    }

    #[test]
    fn a_step_starting_inside_an_interval_shares_the_part_it_covers() {
        let out = lower(&[(at(0.0), 2.0), (at(40.0), 2.5)], &iv(30, 1));
        // 40–60: the step covers 20 minutes of the interval, the third agent 10 of them.
        assert_eq!(out, vec![(at(0.0), 2), (at(40.0), 3), (at(50.0), 2)]);
    }

    #[test]
    fn on_duty_time_is_exact() {
        let steps = [(at(0.0), 3.25), (at(75.0), 0.4), (at(200.0), 6.0)];
        let out = lower(&steps, &iv(30, 5));
        let end = at(300.0);
        let area = |s: &[(SimTime, f64)]| {
            s.iter()
                .enumerate()
                .map(|(i, &(t, n))| n * s.get(i + 1).map_or(end, |x| x.0).since(t).as_secs_f64())
                .sum::<f64>()
        };
        let lowered: Vec<(SimTime, f64)> = out.iter().map(|&(t, n)| (t, f64::from(n))).collect();
        assert!((area(&steps) - area(&lowered)).abs() < 1e-3, "{} vs {}", area(&steps), area(&lowered));
    }
}
