//! Maximum-likelihood fits of a duration sample (handle times, menu times) to
//! the exponential, log-normal and gamma families; the best by AIC is kept and
//! its Kolmogorov–Smirnov distance to the sample says how well it fits.
//!
//! Exponential and log-normal MLEs are closed forms. The gamma shape solves
//! `ln k − ψ(k) = ln(mean) − mean(ln x)`: the left side falls monotonically
//! from +∞ to 0, so bisection on it always converges (no starting point to
//! tune, unlike Newton). `statrs` supplies ψ, ln Γ, erf and the regularized
//! incomplete gamma function for the likelihoods and CDFs.

use serde::Serialize;
use statrs::function::erf::erf;
use statrs::function::gamma::{digamma, gamma_lr, ln_gamma};

/// A fitted family with its parameters, in the scenario's terms.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "family", rename_all = "lowercase")]
pub enum Family {
    Exponential {
        mean: f64,
    },
    /// `mu`, `sigma` of the logarithm.
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Gamma {
        shape: f64,
        scale: f64,
    },
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::Exponential { .. } => "exponential",
            Family::Lognormal { .. } => "lognormal",
            Family::Gamma { .. } => "gamma",
        }
    }

    pub fn mean(self) -> f64 {
        match self {
            Family::Exponential { mean } => mean,
            Family::Lognormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Family::Gamma { shape, scale } => shape * scale,
        }
    }

    pub fn sd(self) -> f64 {
        match self {
            Family::Exponential { mean } => mean,
            Family::Lognormal { sigma, .. } => self.mean() * (sigma * sigma).exp_m1().sqrt(),
            Family::Gamma { shape, scale } => shape.sqrt() * scale,
        }
    }

    fn params(self) -> f64 {
        match self {
            Family::Exponential { .. } => 1.0,
            _ => 2.0,
        }
    }

    pub fn cdf(self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        match self {
            Family::Exponential { mean } => -(-x / mean).exp_m1(),
            Family::Lognormal { mu, sigma } => 0.5 * (1.0 + erf((x.ln() - mu) / (sigma * std::f64::consts::SQRT_2))),
            Family::Gamma { shape, scale } => gamma_lr(shape, x / scale),
        }
    }

    pub fn ln_pdf(self, x: f64) -> f64 {
        match self {
            Family::Exponential { mean } => -mean.ln() - x / mean,
            Family::Lognormal { mu, sigma } => {
                let z = (x.ln() - mu) / sigma;
                -x.ln() - sigma.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln() - 0.5 * z * z
            }
            Family::Gamma { shape, scale } => (shape - 1.0) * x.ln() - x / scale - ln_gamma(shape) - shape * scale.ln(),
        }
    }

    /// The scenario's distribution syntax: `exp(MEAN)`, `lognormal(MEAN, SD)`, `gamma(SHAPE, MEAN)`.
    pub fn to_scenario(self) -> String {
        match self {
            Family::Exponential { mean } => format!("exp({})", secs(mean)),
            Family::Lognormal { .. } => format!("lognormal({}, {})", secs(self.mean()), secs(self.sd())),
            Family::Gamma { shape, .. } => format!("gamma({shape:.3}, {})", secs(self.mean())),
        }
    }
}

/// Seconds written as a duration the scenario reads: `312.4s`.
pub fn secs(s: f64) -> String {
    format!("{:.1}s", s.max(0.1))
}

/// One family fitted to a sample, with how well it fits.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Candidate {
    #[serde(flatten)]
    pub family: Family,
    pub log_likelihood: f64,
    /// Akaike's criterion: 2·parameters − 2·log-likelihood (lower is better).
    pub aic: f64,
    /// Kolmogorov–Smirnov distance: the largest gap between the fitted and the sample CDF.
    pub ks: f64,
}

/// The families fitted to a sample, best (lowest AIC) first.
#[derive(Clone, Debug, Serialize)]
pub struct DurationFit {
    /// Positive values fitted.
    pub n: usize,
    /// Zero or negative values left out (a log-normal or gamma cannot hold them).
    pub zeros: usize,
    pub sample_mean: f64,
    pub candidates: Vec<Candidate>,
}

impl DurationFit {
    pub fn best(&self) -> Option<&Candidate> {
        self.candidates.first()
    }
}

/// Fits the three families to the positive values of `xs` (at least 2 needed
/// for a fit; fewer give no candidates).
pub fn fit(xs: &[f64]) -> DurationFit {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| *x > 0.0 && x.is_finite()).collect();
    let zeros = xs.len() - v.len();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let sample_mean = if n == 0 { 0.0 } else { v.iter().sum::<f64>() / n as f64 };
    let mut candidates = Vec::new();
    if n >= 2 {
        let mean_ln = v.iter().map(|x| x.ln()).sum::<f64>() / n as f64;
        let var_ln = v.iter().map(|x| (x.ln() - mean_ln).powi(2)).sum::<f64>() / n as f64;
        let mut families = vec![Family::Exponential { mean: sample_mean }];
        if var_ln > 1e-12 {
            families.push(Family::Lognormal { mu: mean_ln, sigma: var_ln.sqrt() });
            let shape = gamma_shape(sample_mean.ln() - mean_ln);
            families.push(Family::Gamma { shape, scale: sample_mean / shape });
        }
        for family in families {
            let ll: f64 = v.iter().map(|&x| family.ln_pdf(x)).sum();
            candidates.push(Candidate {
                family,
                log_likelihood: ll,
                aic: 2.0 * family.params() - 2.0 * ll,
                ks: ks_distance(&v, |x| family.cdf(x)),
            });
        }
        candidates.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    }
    DurationFit { n, zeros, sample_mean, candidates }
}

/// The gamma shape `k` with `ln k − ψ(k) = s` (`s > 0`), by bisection on ln k.
fn gamma_shape(s: f64) -> f64 {
    if s.is_nan() || s <= 0.0 {
        return 1e6; // no spread in the logs: all but constant
    }
    let f = |k: f64| k.ln() - digamma(k) - s;
    let (mut lo, mut hi) = (1e-6_f64.ln(), 1e7_f64.ln());
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid.exp()) > 0.0 {
            lo = mid
        } else {
            hi = mid
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    (0.5 * (lo + hi)).exp()
}

/// Kolmogorov–Smirnov distance between a sorted sample and a CDF.
pub fn ks_distance(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::CallerStream;

    fn sample(n: usize, draw: impl Fn(&mut CallerStream) -> f64) -> Vec<f64> {
        let mut rng = CallerStream::new(7, 0, 0, 0);
        (0..n).map(|_| draw(&mut rng)).collect()
    }

    #[test]
    fn a_lognormal_sample_is_recognised_as_lognormal() {
        let xs = sample(5000, |r| {
            let (u1, u2) = (r.unit().max(1e-12), r.unit());
            let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            (5.0 + 0.6 * z).exp()
        });
        let f = fit(&xs);
        let best = f.best().map(|c| c.family);
        assert!(matches!(best, Some(Family::Lognormal { .. })), "{best:?}");
        let Some(Family::Lognormal { mu, sigma }) = best else { return };
        assert!((mu - 5.0).abs() < 0.03 && (sigma - 0.6).abs() < 0.03, "{mu} {sigma}");
        assert!(f.candidates[0].ks < 0.03);
    }

    #[test]
    fn an_exponential_sample_keeps_its_mean_and_a_small_ks_distance() {
        let xs = sample(5000, |r| -180.0 * (1.0 - r.unit()).ln());
        let f = fit(&xs);
        let exp = f.candidates.iter().find(|c| matches!(c.family, Family::Exponential { .. }));
        assert!(exp.is_some_and(|c| (c.family.mean() - 180.0).abs() < 8.0 && c.ks < 0.03));
        // A gamma nests the exponential: its shape comes out near 1.
        let gamma = f.candidates.iter().find_map(|c| match c.family {
            Family::Gamma { shape, .. } => Some(shape),
            _ => None,
        });
        assert!(gamma.is_some_and(|k| (k - 1.0).abs() < 0.06), "{gamma:?}");
    }

    #[test]
    fn the_gamma_shape_solves_its_likelihood_equation() {
        for k in [0.3_f64, 1.0, 2.5, 40.0] {
            let s = k.ln() - digamma(k);
            assert!((gamma_shape(s) - k).abs() < 1e-6 * k.max(1.0), "{k}");
        }
    }
}
