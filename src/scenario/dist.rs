//! Random durations: the distributions a scenario may name, with their
//! parameters checked at load time and sampling that never panics.
//!
//! Exponential, uniform, triangular and empirical draws use inversion of a
//! single uniform, so two designs that share a caller's stream but differ in a
//! parameter get positively correlated draws (sharper comparisons).
//!
//! Every logarithm, exponential and power here comes from [`super::math`] or the
//! `libm` crate (a pure-Rust port of musl's), never from the platform's C
//! library: glibc picks an
//! FMA or a plain variant by processor and macOS has its own, and they may differ
//! in the last bit, which would round a duration to another microsecond and break
//! "same seed, same bytes" between a laptop and a CI runner. The normal and gamma
//! samplers are written here for the same reason (rand_distr's call the
//! platform's functions once hdrhistogram enables num-traits' `std`).

use rand::Rng;

use crate::time::SimDuration;

/// A distribution of durations, parameters in seconds.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Constant(f64),
    Exp {
        mean: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    /// Normal truncated at zero (redrawn while negative).
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Mean and sd of the duration itself; `mu`, `sigma` of its logarithm.
    LogNormal {
        mean: f64,
        sd: f64,
        mu: f64,
        sigma: f64,
    },
    Gamma {
        shape: f64,
        mean: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Empirical(Vec<f64>),
}

fn positive(what: &str, v: f64) -> Result<f64, String> {
    if v > 0.0 && v.is_finite() { Ok(v) } else { Err(format!("{what} must be greater than zero")) }
}

impl Dist {
    pub fn exp(mean: f64) -> Result<Dist, String> {
        Ok(Dist::Exp { mean: positive("the mean", mean)? })
    }

    pub fn uniform(min: f64, max: f64) -> Result<Dist, String> {
        if min > max {
            return Err("MIN must not exceed MAX".into());
        }
        Ok(Dist::Uniform { min, max })
    }

    pub fn normal(mean: f64, sd: f64) -> Result<Dist, String> {
        positive("the mean", mean)?;
        Ok(Dist::Normal { mean, sd })
    }

    pub fn lognormal(mean: f64, sd: f64) -> Result<Dist, String> {
        positive("the mean", mean)?;
        let sigma2 = libm::log(1.0 + (sd / mean) * (sd / mean));
        Ok(Dist::LogNormal { mean, sd, mu: libm::log(mean) - sigma2 / 2.0, sigma: libm::sqrt(sigma2) })
    }

    pub fn gamma(shape: f64, mean: f64) -> Result<Dist, String> {
        positive("the mean", mean)?;
        positive("the shape", shape)?;
        Ok(Dist::Gamma { shape, mean })
    }

    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, String> {
        if !(min <= mode && mode <= max) {
            return Err("the values must satisfy MIN <= MODE <= MAX".into());
        }
        Ok(Dist::Triangular { min, mode, max })
    }

    /// The mean, in seconds (for load estimates and messages).
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Constant(v) => *v,
            Dist::Exp { mean } | Dist::LogNormal { mean, .. } | Dist::Gamma { mean, .. } => *mean,
            Dist::Normal { mean, sd } => truncated_normal_mean(*mean, *sd),
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Empirical(v) => v.iter().sum::<f64>() / v.len() as f64,
        }
    }

    /// Whether every draw is the same value.
    pub fn is_constant(&self) -> bool {
        matches!(self, Dist::Constant(_))
    }

    /// Draws one duration.
    /// The value without a draw when there is nothing to draw (a constant):
    /// what [`sample`](Self::sample) returns for it, whatever the stream. The
    /// engine asks first, so a constant wrap-up or talk time costs no stream.
    #[inline]
    pub fn fixed(&self) -> Option<SimDuration> {
        match self {
            Dist::Constant(v) => Some(SimDuration::from_secs_f64(v.min(MAX_SAMPLE_SECS))),
            _ => None,
        }
    }

    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> SimDuration {
        let secs = match self {
            Dist::Constant(v) => *v,
            Dist::Exp { mean } => -mean * super::math::ln(open01(rng)),
            Dist::Uniform { min, max } => min + (max - min) * unit(rng),
            Dist::Normal { mean, sd } => {
                // Truncation at zero: redraw while negative. The mean is
                // positive, so each draw succeeds with chance > 1/2; the cap
                // only guards against pathological parameters.
                let mut v = 0.0;
                for _ in 0..64 {
                    v = mean + sd * standard_normal(rng);
                    if v >= 0.0 {
                        break;
                    }
                }
                v.max(0.0)
            }
            Dist::LogNormal { mu, sigma, .. } => super::math::exp(mu + sigma * standard_normal(rng)),
            Dist::Gamma { shape, mean } => standard_gamma(rng, *shape) * (mean / shape),
            Dist::Triangular { min, mode, max } => {
                let u = unit(rng);
                let (a, c, b) = (*min, *mode, *max);
                if b <= a {
                    a
                } else if u < (c - a) / (b - a) {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            }
            Dist::Empirical(values) => {
                let i = ((unit(rng) * values.len() as f64) as usize).min(values.len() - 1);
                values[i]
            }
        };
        SimDuration::from_secs_f64(secs.min(MAX_SAMPLE_SECS))
    }
}

/// No single sampled duration exceeds ten years: heavy-tailed parameters
/// (a lognormal with a huge sd) cannot push the clock to the end of time.
pub const MAX_SAMPLE_SECS: f64 = 10.0 * 365.0 * 86_400.0;

/// Uniform in [0, 1) with 53 bits.
pub fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Uniform in (0, 1]: safe for `ln`.
pub(crate) fn open01<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    1.0 - unit(rng)
}

/// A standard normal draw: Marsaglia's polar method (one of the pair is used,
/// so each draw depends only on the uniforms it consumed).
pub(crate) fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    loop {
        let u = 2.0 * unit(rng) - 1.0;
        let v = 2.0 * unit(rng) - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * libm::sqrt(-2.0 * super::math::ln(s) / s);
        }
    }
}

/// A gamma draw with this shape and scale 1: Marsaglia and Tsang (2000) for
/// shape >= 1; for shape < 1, a draw with shape + 1 times U^(1/shape).
pub(crate) fn standard_gamma<R: Rng + ?Sized>(rng: &mut R, shape: f64) -> f64 {
    if shape < 1.0 {
        let boost = libm::pow(open01(rng), 1.0 / shape);
        return standard_gamma(rng, shape + 1.0) * boost;
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / libm::sqrt(9.0 * d);
    loop {
        let x = standard_normal(rng);
        let t = 1.0 + c * x;
        if t <= 0.0 {
            continue;
        }
        let v = t * t * t;
        let u = open01(rng);
        if u < 1.0 - 0.0331 * x * x * x * x || super::math::ln(u) < 0.5 * x * x + d * (1.0 - v + super::math::ln(v)) {
            return d * v;
        }
    }
}

/// Mean of a normal truncated below at zero.
fn truncated_normal_mean(mean: f64, sd: f64) -> f64 {
    if sd <= 0.0 {
        return mean.max(0.0);
    }
    let alpha = -mean / sd;
    let pdf = libm::exp(-0.5 * alpha * alpha) / libm::sqrt(2.0 * std::f64::consts::PI);
    let tail = 0.5 * erfc(alpha / std::f64::consts::SQRT_2);
    if tail <= 0.0 { mean.max(0.0) } else { mean + sd * pdf / tail }
}

/// Complementary error function (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t * libm::exp(
        -z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77)))))))),
    );
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::CallerStream;

    const PINNED: [u64; 5] = [324_981_128, 374_958_036, 580_957_603, 632_548_816, 3_004_945];

    fn sample_mean(d: &Dist, n: usize) -> f64 {
        let mut rng = CallerStream::new(42, 1, 0, 0);
        (0..n).map(|_| d.sample(&mut rng).as_secs_f64()).sum::<f64>() / n as f64
    }

    #[test]
    fn every_distribution_has_the_mean_it_was_given() {
        let cases = [
            Dist::exp(180.0).unwrap(),
            Dist::uniform(60.0, 180.0).unwrap(),
            Dist::normal(300.0, 60.0).unwrap(),
            Dist::lognormal(360.0, 180.0).unwrap(),
            Dist::gamma(3.0, 360.0).unwrap(),
            Dist::gamma(0.5, 60.0).unwrap(),
            Dist::triangular(60.0, 180.0, 480.0).unwrap(),
            Dist::Empirical(vec![30.0, 45.0, 120.0]),
        ];
        for d in &cases {
            let m = sample_mean(d, 200_000);
            assert!((m / d.mean() - 1.0).abs() < 0.01, "{d:?}: sample mean {m}, expected {}", d.mean());
        }
    }

    #[test]
    fn lognormal_parameters_describe_the_duration_not_its_log() {
        let d = Dist::lognormal(360.0, 180.0).unwrap();
        let mut rng = CallerStream::new(7, 1, 0, 0);
        let xs: Vec<f64> = (0..200_000).map(|_| d.sample(&mut rng).as_secs_f64()).collect();
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        let sd = (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64).sqrt();
        assert!((sd / 180.0 - 1.0).abs() < 0.03, "sd {sd}");
    }

    fn sample_sd(d: &Dist, n: usize) -> f64 {
        let mut rng = CallerStream::new(3, 1, 0, 0);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng).as_secs_f64()).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64).sqrt()
    }

    #[test]
    fn normal_and_gamma_draws_have_the_spread_of_their_parameters() {
        // normal(600, 60): the cut at zero is 10 sd away, so the sd is 60.
        assert!((sample_sd(&Dist::normal(600.0, 60.0).unwrap(), 200_000) / 60.0 - 1.0).abs() < 0.01);
        // gamma(shape k, mean m) has sd m / sqrt(k): erlang(3, 6m) and a shape below 1.
        for (k, m) in [(3.0, 360.0), (0.5, 60.0), (1.0, 100.0)] {
            let sd = sample_sd(&Dist::gamma(k, m).unwrap(), 200_000);
            assert!((sd / (m / f64::sqrt(k)) - 1.0).abs() < 0.02, "gamma({k}, {m}): sd {sd}");
        }
    }

    #[test]
    fn draws_are_pinned_across_releases_and_machines() {
        // The same stream gives the same microseconds everywhere (libm, not the
        // platform's maths). If these change, every published report changes.
        let draws: Vec<u64> = [
            Dist::exp(180.0).unwrap(),
            Dist::normal(300.0, 60.0).unwrap(),
            Dist::lognormal(360.0, 180.0).unwrap(),
            Dist::gamma(3.0, 360.0).unwrap(),
            Dist::gamma(0.5, 60.0).unwrap(),
        ]
        .iter()
        .map(|d| d.sample(&mut CallerStream::new(11, 4, 0, 0)).0)
        .collect();
        assert_eq!(draws, PINNED);
    }

    #[test]
    fn truncated_normal_mean_accounts_for_the_cut() {
        // 60 + 60·φ(-1)/Φ(1) = 60 + 60 × 0.241971 / 0.841345 = 77.256
        assert!((Dist::normal(60.0, 60.0).unwrap().mean() - 77.256).abs() < 0.01);
        let d = Dist::normal(60.0, 60.0).unwrap();
        assert!((sample_mean(&d, 200_000) / d.mean() - 1.0).abs() < 0.01);
    }
}
