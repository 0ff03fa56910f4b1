//! What is left of a duration already under way: a call six minutes into its
//! talk, a caller three minutes on hold. [`Dist::remaining`] draws `X − e`
//! given `X > e` exactly (the draw above `e` of `super::dist_above`, which
//! `shop replay` also uses for a caller seen to hold `e`), so a log-normal
//! talk that has lasted long is expected to last longer still, while an
//! exponential one starts afresh (memoryless). [`Dist::survival`] is the
//! upper tail `P(X > x)`, against which the tests integrate the mean
//! residual life.

use rand::Rng;

use super::dist::{Dist, MAX_SAMPLE_SECS};
use crate::time::SimDuration;

impl Dist {
    /// `P(X > x)`, for `x` in seconds (the normal is the one truncated at zero
    /// that [`Dist::sample`] draws).
    pub fn survival(&self, x: f64) -> f64 {
        match self {
            Dist::Constant(v) => f64::from(u8::from(*v > x)),
            Dist::Exp { mean } => {
                if x <= 0.0 {
                    1.0
                } else {
                    libm::exp(-x / mean)
                }
            }
            Dist::Uniform { min, max } => {
                if x < *min {
                    1.0
                } else if x >= *max {
                    0.0
                } else {
                    (max - x) / (max - min)
                }
            }
            Dist::Normal { mean, sd } => {
                if x <= 0.0 {
                    return 1.0;
                }
                if *sd <= 0.0 {
                    return f64::from(u8::from(*mean > x));
                }
                upper_normal((x - mean) / sd) / upper_normal(-mean / sd)
            }
            Dist::LogNormal { mu, sigma, .. } => {
                if x <= 0.0 {
                    1.0
                } else {
                    upper_normal((libm::log(x) - mu) / sigma)
                }
            }
            Dist::Gamma { shape, mean } => {
                if x <= 0.0 {
                    1.0
                } else {
                    statrs::function::gamma::gamma_ur(*shape, x * shape / mean)
                }
            }
            Dist::Triangular { min, mode, max } => {
                let (a, c, b) = (*min, *mode, *max);
                if x < a {
                    1.0
                } else if x >= b || b <= a {
                    0.0
                } else if x < c {
                    1.0 - (x - a) * (x - a) / ((b - a) * (c - a))
                } else {
                    (b - x) * (b - x) / ((b - a) * (b - c))
                }
            }
            Dist::Empirical(values) => values.iter().filter(|v| **v > x).count() as f64 / values.len() as f64,
        }
    }

    /// The rest of a duration that has lasted `elapsed` seconds so far: a
    /// draw of `X − elapsed` given `X > elapsed` ([`Dist::sample_above`],
    /// exact for every family). Zero when the distribution gives nothing that
    /// long (a constant already reached, the end of a uniform, a tail past
    /// the longest draw).
    pub fn remaining<R: Rng + ?Sized>(&self, elapsed: f64, rng: &mut R) -> SimDuration {
        let e = elapsed.max(0.0);
        let x = self.sample_above(e, rng).as_secs_f64();
        SimDuration::from_secs_f64((x - e).clamp(0.0, MAX_SAMPLE_SECS))
    }
}

/// `P(Z > z)` for a standard normal, accurate in both tails.
fn upper_normal(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::CallerStream;

    /// Mean residual life by numeric integration: ∫ₑ^∞ S(x) dx / S(e)
    /// (Simpson's rule on a fine grid far into the tail).
    fn mean_residual(d: &Dist, e: f64, upto: f64) -> f64 {
        let n = 200_000;
        let h = (upto - e) / n as f64;
        let mut total = d.survival(e) + d.survival(upto);
        for i in 1..n {
            total += d.survival(e + h * i as f64) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        total * h / 3.0 / d.survival(e)
    }

    fn sample_remaining_mean(d: &Dist, e: f64, n: usize) -> (f64, f64) {
        let mut rng = CallerStream::new(17, 9, 0, 0);
        let xs: Vec<f64> = (0..n).map(|_| d.remaining(e, &mut rng).as_secs_f64()).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let sd = (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        (m, sd / (n as f64).sqrt())
    }

    #[test]
    fn the_rest_of_a_call_has_the_mean_residual_life_of_its_distribution() {
        let cases = [
            (Dist::lognormal(300.0, 300.0).unwrap(), 360.0),
            (Dist::lognormal(300.0, 300.0).unwrap(), 1800.0),
            (Dist::lognormal(300.0, 120.0).unwrap(), 60.0),
            (Dist::exp(240.0).unwrap(), 600.0),
            (Dist::gamma(3.0, 360.0).unwrap(), 500.0),
            (Dist::gamma(0.5, 60.0).unwrap(), 120.0),
            (Dist::normal(300.0, 100.0).unwrap(), 350.0),
            (Dist::uniform(60.0, 600.0).unwrap(), 200.0),
            (Dist::triangular(60.0, 180.0, 600.0).unwrap(), 120.0),
        ];
        for (d, e) in &cases {
            let want = mean_residual(d, *e, 200_000.0);
            let (got, se) = sample_remaining_mean(d, *e, 100_000);
            assert!((got - want).abs() < 4.0 * se + 0.5, "{d:?} after {e}s: mean rest {got} ± {se}, expected {want}");
        }
    }

    #[test]
    fn a_lognormal_call_six_minutes_in_has_a_longer_expected_rest_than_a_fresh_one() {
        // Talk times spread like real ones (sd 1.5 × the mean).
        let d = Dist::lognormal(300.0, 450.0).unwrap();
        // Closed form: E[X | X > e] = e^{μ+σ²/2} Φ((μ+σ²−ln e)/σ) / Φ((μ−ln e)/σ).
        let Dist::LogNormal { mu, sigma, mean, .. } = d else { unreachable!() };
        let e: f64 = 360.0;
        let phi = |z: f64| upper_normal(-z);
        let want = mean * phi((mu + sigma * sigma - e.ln()) / sigma) / phi((mu - e.ln()) / sigma) - e;
        let (got, se) = sample_remaining_mean(&d, e, 200_000);
        assert!((got - want).abs() < 4.0 * se, "mean rest {got} ± {se}, closed form {want}");
        assert!(want > 300.0 * 1.4, "the rest ({want}) is longer than a fresh call (300)");
        // Exponential: memoryless, the rest is a fresh call.
        let (exp_rest, se) = sample_remaining_mean(&Dist::exp(300.0).unwrap(), e, 200_000);
        assert!((exp_rest - 300.0).abs() < 4.0 * se, "exponential rest {exp_rest}");
    }

    #[test]
    fn nothing_is_left_past_the_end_of_a_bounded_distribution() {
        let mut rng = CallerStream::new(1, 1, 0, 0);
        assert_eq!(Dist::Constant(60.0).remaining(90.0, &mut rng), SimDuration::ZERO);
        assert_eq!(Dist::Constant(60.0).remaining(20.0, &mut rng).as_secs_f64(), 40.0);
        assert_eq!(Dist::uniform(10.0, 20.0).unwrap().remaining(30.0, &mut rng), SimDuration::ZERO);
        assert_eq!(Dist::lognormal(60.0, 10.0).unwrap().remaining(1e9, &mut rng), SimDuration::ZERO);
    }
}
