//! Whether a backlog settles: `run`'s warnings about what a day leaves open.
//! A single day of email hides whether tomorrow starts behind, and a backlog
//! that grows from one close to the next never settles, whatever a one-day
//! `within_target` says; both are said beside the figures, not left to be
//! noticed in `backlog_end_of_day`.

use serde::Serialize;

use super::collect::Runs;
use crate::scenario::{Channel, Scenario};

/// A warning about the run's figures (not about the file: `validate` has those).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RunWarning {
    /// `backlog_grows` or `single_day`.
    pub kind: &'static str,
    pub message: String,
}

/// How far the mean daily growth must sit above zero, in standard errors of
/// that mean over the replications, before a backlog is said to grow: about
/// a 2.5% one-sided chance of warning on a backlog that does not grow.
const NOISE_SE: f64 = 2.0;

/// The warnings of a run of `sc` (nothing for a design without channels).
pub fn warnings(sc: &Scenario, runs: &Runs) -> Vec<RunWarning> {
    let mut out = Vec::new();
    for (i, c) in sc.callers.iter().enumerate() {
        let closes: Vec<&[u64]> = runs.per_rep.iter().map(|r| r.by_caller[i].ch.open_by_day.as_slice()).collect();
        if let Some(g) = growth(&closes, sc.days as usize) {
            let what = if c.channel == Channel::Email { "emails" } else { "promised callbacks" };
            out.push(RunWarning {
                kind: "backlog_grows",
                message: format!(
                    "{}: the backlog grows from one close to the next: {:.1} {what} open at the close of day 1, {:.1} at the close of day {} (mean over replications), about +{:.1} a day; it does not settle: fewer are answered than arrive",
                    c.name, g.first, g.last, sc.days, g.per_day
                ),
            });
        }
    }
    if sc.days == 1 {
        let open: Vec<String> = sc
            .callers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.channel == Channel::Email)
            .map(|(i, c)| {
                let ch = &runs.pooled.by_caller[i].ch;
                let open = ch.open_by_day.first().copied().unwrap_or(0);
                let arrived = ch.emails_arrived();
                let share = if arrived > 0 { 100.0 * open as f64 / arrived as f64 } else { 0.0 };
                format!("{}: {open} of {arrived} emails ({share:.1}%) open at the close", c.name)
            })
            .collect();
        if !open.is_empty() {
            out.push(RunWarning {
                kind: "single_day",
                message: format!(
                    "one day simulated ({}): what a day leaves open is not carried to a next day; simulate several days (`days: 5`) to see the backlog settle",
                    open.join("; ")
                ),
            });
        }
    }
    out
}

/// A backlog that grows: the mean open items at the first and last close and
/// the mean growth a day.
#[derive(Debug, PartialEq)]
struct Growth {
    first: f64,
    last: f64,
    per_day: f64,
}

/// Whether the open items at each close (`closes[r][d]`: replication `r`, day
/// `d`) grow day over day beyond noise. The rule: each replication's
/// least-squares slope of open items against the day, over the closes from
/// the second day on when the chain has three days or more (the first day
/// starts empty, so its close is below a settled backlog's and would read as
/// growth); the backlog grows when the slopes' mean is at least 1 item a day
/// and more than [`NOISE_SE`] standard errors above zero (with one
/// replication, the first condition alone).
fn growth(closes: &[&[u64]], days: usize) -> Option<Growth> {
    if days < 2 || closes.is_empty() || closes.iter().any(|c| c.len() < days) {
        return None;
    }
    let skip = usize::from(days >= 3);
    let xs: Vec<f64> = (skip..days).map(|d| d as f64).collect();
    let x_mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let sxx: f64 = xs.iter().map(|x| (x - x_mean).powi(2)).sum();
    let slopes: Vec<f64> = closes
        .iter()
        .map(|c| {
            let ys = &c[skip..days];
            let y_mean = ys.iter().sum::<u64>() as f64 / ys.len() as f64;
            xs.iter().zip(ys).map(|(x, &y)| (x - x_mean) * (y as f64 - y_mean)).sum::<f64>() / sxx
        })
        .collect();
    let n = slopes.len() as f64;
    let mean = slopes.iter().sum::<f64>() / n;
    let beyond_noise = if slopes.len() < 2 {
        true
    } else {
        let var = slopes.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0);
        mean > NOISE_SE * (var / n).sqrt()
    };
    if mean < 1.0 || !beyond_noise {
        return None;
    }
    let at = |d: usize| closes.iter().map(|c| c[d] as f64).sum::<f64>() / n;
    Some(Growth { first: at(0), last: at(days - 1), per_day: mean })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backlog_that_adds_items_every_day_grows() {
        let reps: [&[u64]; 3] = [&[10, 30, 52, 70, 91], &[12, 29, 50, 73, 88], &[9, 33, 49, 69, 95]];
        let g = growth(&reps, 5).expect("grows");
        assert!((g.per_day - 20.0).abs() < 2.0, "{g:?}");
        assert!((g.first - 31.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_backlog_that_settles_after_the_first_day_does_not_grow() {
        // Day 1 starts empty and closes lower: not growth.
        let reps: [&[u64]; 3] = [&[2, 8, 7, 9, 8], &[1, 9, 8, 7, 9], &[3, 7, 9, 8, 7]];
        assert_eq!(growth(&reps, 5), None);
    }

    #[test]
    fn noise_around_a_flat_backlog_is_not_growth() {
        let reps: [&[u64]; 4] = [&[5, 3, 9, 4, 8], &[6, 9, 2, 7, 3], &[4, 5, 6, 3, 9], &[7, 2, 5, 8, 4]];
        assert_eq!(growth(&reps, 5), None);
    }

    #[test]
    fn one_day_has_no_growth_to_judge() {
        let reps: [&[u64]; 2] = [&[50], &[60]];
        assert_eq!(growth(&reps, 1), None);
    }
}
