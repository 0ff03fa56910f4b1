//! What is left of a duration already under way: a call six minutes into its
//! talk, a caller three minutes on hold. [`Dist::remaining`] draws `X − e`
//! given `X > e` exactly, by inverting the distribution's tail beyond `e`
//! (one uniform, like the plain draws), so a log-normal talk that has lasted
//! long is expected to last longer still, while an exponential one starts
//! afresh (memoryless).
//!
//! The tails are inverted on the upper side (`S(x) = P(X > x)`, not
//! `1 − F(x)`), so a call deep in the tail keeps its precision. As in
//! [`super::dist`], every logarithm and exponential is `libm`'s.

use rand::Rng;

use super::dist::{Dist, MAX_SAMPLE_SECS, open01, unit};
use crate::time::SimDuration;

/// Below this survival the elapsed time is beyond anything the distribution
/// gives: the rest is taken as nothing (the call ends now).
const NO_TAIL: f64 = 1e-300;

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
    /// draw of `X − elapsed` given `X > elapsed`. Zero when the distribution
    /// gives nothing that long (a constant already reached, the end of a
    /// uniform, a tail below 1e-300).
    pub fn remaining<R: Rng + ?Sized>(&self, elapsed: f64, rng: &mut R) -> SimDuration {
        let e = elapsed.max(0.0);
        let x = match self {
            Dist::Constant(v) => *v,
            // Memoryless: the rest is a fresh draw.
            Dist::Exp { mean } => e - mean * super::math::ln(open01(rng)),
            Dist::Uniform { min, max } => {
                let lo = min.max(e);
                if lo >= *max { e } else { lo + (max - lo) * unit(rng) }
            }
            Dist::Normal { mean, sd } => {
                if *sd <= 0.0 {
                    *mean
                } else {
                    let from = ((e - mean) / sd).max(-mean / sd);
                    match upper_normal_tail_draw(from, rng) {
                        Some(z) => mean + sd * z,
                        None => e,
                    }
                }
            }
            Dist::LogNormal { mu, sigma, .. } => {
                if e <= 0.0 {
                    return self.sample(rng);
                }
                match upper_normal_tail_draw((libm::log(e) - mu) / sigma, rng) {
                    Some(z) => libm::exp(mu + sigma * z),
                    None => e,
                }
            }
            Dist::Gamma { shape, mean } => {
                let scale = mean / shape;
                gamma_tail_draw(*shape, e / scale, rng).map_or(e, |y| y * scale)
            }
            Dist::Triangular { min, mode, max } => {
                let (a, c, b) = (*min, *mode, *max);
                let s = self.survival(e);
                if s <= 0.0 || b <= a {
                    e
                } else {
                    // F(x) = 1 − S(x): a uniform on [F(e), 1), inverted as `sample` does.
                    let u = (1.0 - s) + s * unit(rng);
                    if u < (c - a) / (b - a) {
                        a + (u * (b - a) * (c - a)).sqrt()
                    } else {
                        b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                    }
                }
            }
            Dist::Empirical(values) => {
                let longer: Vec<f64> = values.iter().copied().filter(|v| *v > e).collect();
                if longer.is_empty() {
                    e
                } else {
                    longer[((unit(rng) * longer.len() as f64) as usize).min(longer.len() - 1)]
                }
            }
        };
        SimDuration::from_secs_f64((x - e).clamp(0.0, MAX_SAMPLE_SECS))
    }
}

/// `P(Z > z)` for a standard normal, accurate in both tails.
fn upper_normal(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

/// A standard normal draw given `Z > from`: `v` uniform on `(0, S(from)]`,
/// then `z` with `S(z) = v`. `None` when the tail is empty in doubles.
fn upper_normal_tail_draw<R: Rng + ?Sized>(from: f64, rng: &mut R) -> Option<f64> {
    let tail = upper_normal(from);
    if tail < NO_TAIL {
        return None;
    }
    let v = tail * open01(rng);
    // S(z) = v  ⇔  Φ(−z) = v.
    Some((-normal_quantile(v)).max(from))
}

/// `Φ⁻¹(p)` for `p` in (0, 1]: Acklam's rational approximation (relative
/// error 1.15e-9), refined by one Halley step on `erfc`, which brings it to
/// about machine precision, far into the lower tail.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let low = 0.02425;
    let x = if p < low {
        let q = libm::sqrt(-2.0 * libm::log(p));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = libm::sqrt(-2.0 * libm::log(1.0 - p));
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // Halley: e = Φ(x) − p, u = e·√(2π)·exp(x²/2).
    let e = 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2) - p;
    let u = e * libm::sqrt(2.0 * std::f64::consts::PI) * libm::exp(x * x / 2.0);
    if u.is_finite() { x - u / (1.0 + x * u / 2.0) } else { x }
}

/// A standard gamma (scale 1) draw of this shape given `Y > from`: `v`
/// uniform on `(0, Q(shape, from)]` and `y` with `Q(shape, y) = v` by
/// bisection (Q, the regularized upper incomplete gamma, falls with `y`).
fn gamma_tail_draw<R: Rng + ?Sized>(shape: f64, from: f64, rng: &mut R) -> Option<f64> {
    let q = |y: f64| if y <= 0.0 { 1.0 } else { statrs::function::gamma::gamma_ur(shape, y) };
    let tail = q(from);
    if tail < NO_TAIL {
        return None;
    }
    let v = tail * open01(rng);
    let mut lo = from.max(0.0);
    let mut hi = lo.max(shape).max(1.0);
    while q(hi) > v {
        lo = hi;
        hi *= 2.0;
        if hi > 1e12 {
            return Some(hi);
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if q(mid) > v {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
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
    fn the_normal_quantile_inverts_the_cdf_far_into_the_tail() {
        for p in [1e-300, 1e-100, 1e-20, 1e-6, 0.01, 0.3, 0.5, 0.8, 0.999] {
            let z = normal_quantile(p);
            let back = upper_normal(-z);
            assert!((back / p - 1.0).abs() < 1e-12, "p {p}: z {z}, back {back}");
        }
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
