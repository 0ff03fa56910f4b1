//! Patience from a log. A caller who hung up after 2 minutes on hold shows a
//! patience of 2 minutes; a caller answered after 2 minutes shows only that
//! their patience was *longer* than 2 minutes (a censored observation). The
//! naive mean of hang-up times ignores the second kind and so describes the
//! impatient: it is biased low, and more so the better the service.
//!
//! Estimates: the exponential MLE with censoring (hang-ups ÷ total time on
//! hold of everyone who held, the scenario's `exp(MEAN)`), and the
//! Kaplan–Meier product-limit median, which assumes no family (reported, to
//! judge the exponential by).

use serde::Serialize;

/// Time on hold of one queued call, and whether it ended in a hang-up.
#[derive(Clone, Copy, Debug)]
pub struct Held {
    pub wait: f64,
    pub hung_up: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct PatienceFit {
    /// Calls that queued.
    pub queued: usize,
    /// Of those, hung up on hold (observed patience).
    pub hung_up: usize,
    /// Answered (patience censored at their wait).
    pub censored: usize,
    /// Total time on hold (s): the exposure.
    pub exposure: f64,
    /// Exponential MLE with censoring: exposure ÷ hang-ups (s); None without hang-ups.
    pub exp_mean: Option<f64>,
    /// Its approximate 95% interval (hang-ups as a Poisson count).
    pub exp_mean_ci95: Option<[f64; 2]>,
    /// Mean time on hold of those who hung up (s): biased low, shown for contrast.
    pub naive_mean: Option<f64>,
    /// Kaplan–Meier median patience (s); None when fewer than half ever hang up
    /// within the waits seen.
    pub km_median: Option<f64>,
    /// The exponential's median (ln 2 × mean), to set beside `km_median`.
    pub exp_median: Option<f64>,
    /// The longest wait seen (s): the Kaplan–Meier curve says nothing beyond it.
    pub longest_wait: f64,
}

pub fn fit(held: &[Held]) -> PatienceFit {
    let hung: Vec<f64> = held.iter().filter(|h| h.hung_up).map(|h| h.wait).collect();
    let exposure: f64 = held.iter().map(|h| h.wait).sum();
    let events = hung.len();
    let exp_mean = (events > 0).then(|| exposure / events as f64);
    let exp_mean_ci95 = exp_mean.map(|m| {
        let half = 1.96 / (events as f64).sqrt();
        [m / (1.0 + half), m / (1.0 - half).max(1e-9)]
    });
    PatienceFit {
        queued: held.len(),
        hung_up: events,
        censored: held.len() - events,
        exposure,
        exp_mean,
        exp_mean_ci95: if events >= 4 { exp_mean_ci95 } else { None },
        naive_mean: (events > 0).then(|| hung.iter().sum::<f64>() / events as f64),
        km_median: km_median(held),
        exp_median: exp_mean.map(|m| m * std::f64::consts::LN_2),
        longest_wait: held.iter().map(|h| h.wait).fold(0.0, f64::max),
    }
}

/// The Kaplan–Meier median: the first event time at which the product-limit
/// survival falls to one half or below. At a tie, hang-ups are counted before
/// the censored calls of the same time (the usual convention).
pub fn km_median(held: &[Held]) -> Option<f64> {
    let mut v: Vec<Held> = held.to_vec();
    v.sort_by(|a, b| a.wait.total_cmp(&b.wait).then(b.hung_up.cmp(&a.hung_up)));
    let mut at_risk = v.len() as f64;
    let mut survival = 1.0;
    let mut i = 0;
    while i < v.len() {
        let t = v[i].wait;
        let (mut events, mut gone) = (0.0, 0.0);
        while i < v.len() && v[i].wait == t {
            if v[i].hung_up {
                events += 1.0;
            }
            gone += 1.0;
            i += 1;
        }
        if events > 0.0 {
            survival *= 1.0 - events / at_risk;
            if survival <= 0.5 {
                return Some(t);
            }
        }
        at_risk -= gone;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::CallerStream;

    /// Callers with exponential patience (mean 180 s) meet exponential waits
    /// (mean 60 s): each hangs up if patience runs out first.
    fn simulated(n: usize) -> Vec<Held> {
        let mut r = CallerStream::new(11, 0, 0, 0);
        (0..n)
            .map(|_| {
                let patience = -180.0 * (1.0 - r.unit()).ln();
                let offered = -60.0 * (1.0 - r.unit()).ln();
                Held { wait: patience.min(offered), hung_up: patience < offered }
            })
            .collect()
    }

    #[test]
    fn the_censored_estimate_recovers_patience_where_the_naive_mean_does_not() {
        let f = fit(&simulated(20_000));
        let mle = f.exp_mean.unwrap_or_default();
        let naive = f.naive_mean.unwrap_or_default();
        assert!((mle - 180.0).abs() < 0.05 * 180.0, "censored MLE {mle}");
        // The naive mean sees only the impatient: here it comes out near 45 s.
        assert!(naive < 0.4 * 180.0, "naive mean {naive}");
        let km = f.km_median.unwrap_or_default();
        assert!((km - 180.0 * std::f64::consts::LN_2).abs() < 0.1 * 125.0, "Kaplan–Meier median {km}");
    }

    #[test]
    fn without_hang_ups_there_is_no_patience_to_fit() {
        let f = fit(&[Held { wait: 30.0, hung_up: false }, Held { wait: 0.0, hung_up: false }]);
        assert_eq!((f.exp_mean, f.km_median, f.censored), (None, None, 2));
    }
}
