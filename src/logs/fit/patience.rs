//! Patience from a log. A caller who hung up after 2 minutes on hold shows a
//! patience of 2 minutes; a caller answered after 2 minutes shows only that
//! their patience was *longer* than 2 minutes (a censored observation). The
//! naive mean of hang-up times ignores the second kind and so describes the
//! impatient: it is biased low, and more so the better the service.
//!
//! Where the queue tells callers the estimated wait (`announce_ewt`, or a
//! callback offer, which states it), a caller compares it with their patience
//! and leaves at once when their patience is shorter: such a caller shows a
//! patience *below* the wait they were told (left-censored), and one who
//! heard it and stayed a patience above it. Leaving the first out describes
//! the patient (biased long); counting them as hang-ups at zero, the
//! impatient. Both kinds enter the likelihood as what they are.
//!
//! Estimates: the exponential MLE with censoring (without callers told a
//! wait: hang-ups ÷ total time on hold of everyone who held, the scenario's
//! `exp(MEAN)`; with them, the root of the likelihood's derivative, see
//! [`exp_mle`]), and the Kaplan–Meier product-limit median of those who held,
//! which assumes no family (reported, to judge the exponential by).

use serde::Serialize;

/// Time on hold of one queued call, and whether it ended in a hang-up.
#[derive(Clone, Copy, Debug)]
pub struct Held {
    pub wait: f64,
    pub hung_up: bool,
    /// The estimated wait the caller was told on joining and stayed through
    /// (so their patience is at least this), when the queue told one.
    pub told: Option<f64>,
}

impl Held {
    pub fn new(wait: f64, hung_up: bool) -> Self {
        Held { wait, hung_up, told: None }
    }

    /// What the call shows of the caller's patience as exposure: a hang-up
    /// its hold; a caller who stayed the longer of their hold and the wait
    /// they were told. A wait told as endless (the log shows no agent on duty
    /// when they joined) bounds nothing: their hold alone counts.
    fn exposure(self) -> f64 {
        let told = self.told.filter(|t| t.is_finite()).unwrap_or(0.0);
        if self.hung_up { self.wait } else { self.wait.max(told) }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct PatienceFit {
    /// Calls that queued.
    pub queued: usize,
    /// Of those, hung up on hold (observed patience).
    pub hung_up: usize,
    /// Answered (patience censored at their wait).
    pub censored: usize,
    /// Total time on hold (s): the exposure (a caller who stayed through a
    /// told wait longer than their hold counts the told wait).
    pub exposure: f64,
    /// Callers who left on hearing the estimated wait (patience below it).
    #[serde(skip_serializing_if = "is_zero")]
    pub left_on_hearing: usize,
    /// Of the callers who held, those told an estimated wait and staying.
    #[serde(skip_serializing_if = "is_zero")]
    pub told_and_stayed: usize,
    /// Mean estimated wait told to those who left on hearing it (s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub told_mean: Option<f64>,
    /// Exponential MLE with censoring (s); None without hang-ups.
    pub exp_mean: Option<f64>,
    /// Its approximate 95% interval (hang-ups as a Poisson count; with
    /// callers told a wait, from the likelihood's curvature).
    pub exp_mean_ci95: Option<[f64; 2]>,
    /// Mean time on hold of those who hung up (s): biased low, shown for contrast.
    pub naive_mean: Option<f64>,
    /// Kaplan–Meier median patience (s) of the callers who held; None when
    /// fewer than half ever hang up within the waits seen.
    pub km_median: Option<f64>,
    /// The exponential's median (ln 2 × mean), to set beside `km_median`.
    pub exp_median: Option<f64>,
    /// The longest wait seen (s): the Kaplan–Meier curve says nothing beyond it.
    pub longest_wait: f64,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Fits the patience of the callers who held (`held`) and of those who left
/// on hearing the estimated wait (`left`: the waits they were told, s).
pub fn fit(held: &[Held], left: &[f64]) -> PatienceFit {
    let hung: Vec<f64> = held.iter().filter(|h| h.hung_up).map(|h| h.wait).collect();
    let exposure: f64 = held.iter().map(|h| h.exposure()).sum();
    let events = hung.len();
    let left: Vec<f64> = left.iter().copied().filter(|e| e.is_finite() && *e > 0.0).collect();
    let (exp_mean, exp_mean_ci95) = if left.is_empty() {
        let exp_mean = (events > 0).then(|| exposure / events as f64);
        let ci = exp_mean.map(|m| {
            let half = 1.96 / (events as f64).sqrt();
            [m / (1.0 + half), m / (1.0 - half).max(1e-9)]
        });
        (exp_mean, if events >= 4 { ci } else { None })
    } else {
        match exp_mle(events, exposure, &left) {
            Some((rate, info)) => {
                let half = 1.96 / info.sqrt();
                let ci = (events + left.len() >= 4).then(|| [1.0 / (rate + half), 1.0 / (rate - half).max(1e-12)]);
                (Some(1.0 / rate), ci)
            }
            None => (None, None),
        }
    };
    let ordinary = held.iter().filter(|h| h.told.is_none()).count();
    PatienceFit {
        queued: held.len(),
        hung_up: events,
        censored: held.len() - events,
        exposure,
        left_on_hearing: left.len(),
        told_and_stayed: held.len() - ordinary,
        told_mean: (!left.is_empty()).then(|| left.iter().sum::<f64>() / left.len() as f64),
        exp_mean,
        exp_mean_ci95,
        naive_mean: (events > 0).then(|| hung.iter().sum::<f64>() / events as f64),
        km_median: km_median(held),
        exp_median: exp_mean.map(|m| m * std::f64::consts::LN_2),
        longest_wait: held.iter().map(|h| h.wait).fold(0.0, f64::max),
    }
}

/// The exponential patience rate λ maximizing
/// `k·ln λ − λ·E + Σ ln(1 − e^(−λ·tⱼ))`: `k` hang-ups, `E` the exposure of
/// everyone who held, `tⱼ` the waits told to those who left on hearing them
/// (each a patience below `tⱼ`: probability `1 − e^(−λ·tⱼ)`). Each term is
/// concave in λ, so the derivative `k/λ − E + Σ tⱼ/(e^(λ·tⱼ) − 1)` falls
/// from +∞ to −E and has one root, found by bisection on ln λ. Returns the
/// rate and the observed information (minus the second derivative) there;
/// None without exposure (nobody held: nothing bounds patience above).
pub fn exp_mle(events: usize, exposure: f64, left: &[f64]) -> Option<(f64, f64)> {
    if exposure <= 0.0 || (events == 0 && left.is_empty()) {
        return None;
    }
    let k = events as f64;
    let slope = |rate: f64| k / rate - exposure + left.iter().map(|&t| t / (rate * t).exp_m1()).sum::<f64>();
    // The root lies between the rate without the leavers, k/E (or far below
    // it), and the rate at which every leaver's term is at most 1/λ.
    // No root above the bracket's floor (a mean of 30,000 years): the data
    // bound nothing, and a patience that long is no estimate.
    if !exposure.is_finite() || slope(1e-12) <= 0.0 {
        return None;
    }
    let (mut lo, mut hi) = (1e-12_f64.ln(), ((k + left.len() as f64) / exposure).max(1e-12).ln() + 1.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if slope(mid.exp()) > 0.0 {
            lo = mid
        } else {
            hi = mid
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    let rate = (0.5 * (lo + hi)).exp();
    let info = k / (rate * rate)
        + left
            .iter()
            .map(|&t| {
                let x = (rate * t).exp_m1();
                t * t * (x + 1.0) / (x * x)
            })
            .sum::<f64>();
    Some((rate, info))
}

/// The Kaplan–Meier median: the first event time at which the product-limit
/// survival falls to one half or below. At a tie, hang-ups are counted before
/// the censored calls of the same time (the usual convention).
pub fn km_median(held: &[Held]) -> Option<f64> {
    let mut v: Vec<(f64, bool)> = held.iter().map(|h| (h.exposure(), h.hung_up)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut at_risk = v.len() as f64;
    let mut survival = 1.0;
    let mut i = 0;
    while i < v.len() {
        let t = v[i].0;
        let (mut events, mut gone) = (0.0, 0.0);
        while i < v.len() && v[i].0 == t {
            if v[i].1 {
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
                Held::new(patience.min(offered), patience < offered)
            })
            .collect()
    }

    #[test]
    fn the_censored_estimate_recovers_patience_where_the_naive_mean_does_not() {
        let f = fit(&simulated(20_000), &[]);
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
        let f = fit(&[Held::new(30.0, false), Held::new(0.0, false)], &[]);
        assert_eq!((f.exp_mean, f.km_median, f.censored), (None, None, 2));
    }

    /// Callers with exponential patience (mean 240 s) are told an estimated
    /// wait (uniform 1–5 minutes) and leave at once when their patience is
    /// shorter; the others meet exponential waits (mean 90 s) as above.
    fn told(n: usize) -> (Vec<Held>, Vec<f64>) {
        let mut r = CallerStream::new(12, 0, 0, 0);
        let (mut held, mut left) = (Vec::new(), Vec::new());
        for _ in 0..n {
            let patience = -240.0 * (1.0 - r.unit()).ln();
            let told = 60.0 + 240.0 * r.unit();
            let offered = -90.0 * (1.0 - r.unit()).ln();
            if patience < told {
                left.push(told);
            } else {
                held.push(Held { wait: patience.min(offered), hung_up: patience < offered, told: Some(told) });
            }
        }
        (held, left)
    }

    #[test]
    fn callers_who_leave_on_hearing_the_wait_count_as_patience_below_it() {
        let (held, left) = told(20_000);
        let f = fit(&held, &left);
        let mle = f.exp_mean.unwrap_or_default();
        assert!((mle - 240.0).abs() < 0.05 * 240.0, "with the leavers {mle}");
        let [lo, hi] = f.exp_mean_ci95.unwrap_or_default();
        assert!(lo < mle && mle < hi && hi - lo < 0.1 * mle, "{lo}–{hi}");
        assert_eq!(f.left_on_hearing + f.queued, 20_000);
        // Leaving them out (and what the stayers were told) sees only the
        // patient: far too long.
        let plain: Vec<Held> = held.iter().map(|h| Held::new(h.wait, h.hung_up)).collect();
        let without = fit(&plain, &[]).exp_mean.unwrap_or_default();
        assert!(without > 1.5 * 240.0, "without the leavers {without}");
    }

    #[test]
    fn a_wait_told_as_endless_bounds_nothing_and_the_fit_stays_finite() {
        // Found on a log whose fitted agents were 0 in one interval: its
        // stayers were told an endless wait, which made the exposure endless
        // and the patience exp(999999999999.5s), a file `run` refused.
        let (mut held, left) = told(2_000);
        let plain = fit(&held, &left).exp_mean.expect("a fit");
        for h in held.iter_mut().step_by(10) {
            if !h.hung_up {
                h.told = Some(f64::INFINITY);
            }
        }
        let endless = fit(&held, &left).exp_mean.expect("still a fit");
        assert!(endless.is_finite() && endless < 2.0 * plain, "{endless} against {plain}");
        assert_eq!(exp_mle(3, f64::INFINITY, &[60.0]), None);
    }

    #[test]
    fn without_callers_told_a_wait_the_estimate_is_the_closed_form() {
        let held = simulated(2_000);
        let f = fit(&held, &[]);
        let Some((rate, _)) = exp_mle(f.hung_up, f.exposure, &[]) else { return };
        let closed = f.exp_mean.unwrap_or_default();
        assert!((1.0 / rate - closed).abs() < 1e-6 * closed, "{} vs {closed}", 1.0 / rate);
    }
}
