//! The day seen in a log cut into intervals; first calls per interval and
//! caller type; redials told apart from first calls by repeated customer ids.

use std::collections::HashMap;

use serde::Serialize;

use crate::logs::record::{Ending, LoggedCall};

/// The intervals a fit uses: time 0 is `start` seconds after midnight (the
/// interval holding the earliest call), `count` intervals of `length` seconds.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Intervals {
    pub start: f64,
    pub length: f64,
    pub count: usize,
}

impl Intervals {
    /// From the earliest to the latest of these dial times, on whole intervals.
    pub fn spanning(dials: impl Iterator<Item = f64> + Clone, length: f64) -> Intervals {
        let first = dials.clone().fold(f64::INFINITY, f64::min);
        let last = dials.fold(0.0, f64::max);
        let start = if first.is_finite() { (first / length).floor() * length } else { 0.0 };
        let count = (((last - start) / length).floor() as usize + 1).max(1);
        Intervals { start, length, count }
    }

    /// The interval a time of day falls in (clamped into the span).
    pub fn of(&self, t: f64) -> usize {
        (((t - self.start) / self.length).floor().max(0.0) as usize).min(self.count - 1)
    }

    pub fn horizon(&self) -> f64 {
        self.length * self.count as f64
    }
}

/// Redials of one caller type.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RedialFit {
    /// Calls of known customers that ended without an agent (hung up on hold,
    /// turned away): the ones that may be redialed.
    pub could_redial: usize,
    /// Of those, followed by another call of the same customer within the window.
    pub redialed: usize,
    /// `redialed ÷ could_redial`.
    pub chance: Option<f64>,
    /// Mean time from the end of a call to its redial (s).
    pub mean_delay: Option<f64>,
}

/// Marks each call that redials an unanswered call of the same customer
/// ended at most `window` seconds before, and counts redials per caller type
/// (by the type of the call redialed). Returns the marks (by call index).
pub fn redials(calls: &[LoggedCall], window: f64, types: &[String]) -> (Vec<bool>, Vec<RedialFit>) {
    let type_of: HashMap<&str, usize> = types.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
    let mut by_customer: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in calls.iter().enumerate() {
        if let Some(id) = &c.customer {
            by_customer.entry(id.as_str()).or_default().push(i);
        }
    }
    let abs = |day: i64, t: f64| day as f64 * 86_400.0 + t;
    let mut is_redial = vec![false; calls.len()];
    let mut fits = vec![RedialFit::default(); types.len()];
    let mut delays = vec![0.0; types.len()];
    let mut ids: Vec<&str> = by_customer.keys().copied().collect();
    ids.sort_unstable(); // a fixed order: the sums below do not depend on hashing
    for id in ids {
        let list = by_customer.get_mut(id).map(std::mem::take).unwrap_or_default();
        let mut list = list;
        list.sort_by(|&a, &b| abs(calls[a].day, calls[a].dial).total_cmp(&abs(calls[b].day, calls[b].dial)));
        for (k, &a) in list.iter().enumerate() {
            let ca = &calls[a];
            if !matches!(ca.ending, Ending::HungUp | Ending::Other) {
                continue;
            }
            let t = type_of.get(ca.caller.as_str()).copied().unwrap_or(0);
            fits[t].could_redial += 1;
            if let Some(&b) = list.get(k + 1) {
                let gap = abs(calls[b].day, calls[b].dial) - abs(ca.day, ca.end);
                if (-1e-6..=window).contains(&gap) {
                    is_redial[b] = true;
                    fits[t].redialed += 1;
                    delays[t] += gap.max(0.0);
                }
            }
        }
    }
    for (f, d) in fits.iter_mut().zip(delays) {
        if f.could_redial > 0 {
            f.chance = Some(f.redialed as f64 / f.could_redial as f64);
        }
        if f.redialed > 0 {
            f.mean_delay = Some(d / f.redialed as f64);
        }
    }
    (is_redial, fits)
}

/// First calls (not redials) per hour, per interval, averaged over `days`.
pub fn rates(calls: &[&LoggedCall], iv: &Intervals, days: usize) -> Vec<f64> {
    let mut counts = vec![0u64; iv.count];
    for c in calls {
        counts[iv.of(c.dial)] += 1;
    }
    let per = days.max(1) as f64 * iv.length / 3600.0;
    counts.into_iter().map(|n| n as f64 / per).collect()
}
