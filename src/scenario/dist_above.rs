//! Draws conditioned on exceeding a value: the patience of a caller seen to
//! hold `h` without hanging up is a draw of the patience distribution given
//! that it exceeds `h` (a right-censored observation; `shop replay`); and on
//! staying below one ([`Dist::sample_below`]: a caller who left on hearing
//! an estimated wait).
//!
//! Every case is exact and cheap: the memoryless exponential shifts, the
//! uniform, triangular and empirical invert their tail, the (log)normal draws
//! its standardised tail by plain rejection near the centre and by Robert's
//! (1995) exponential proposal far out, the gamma by rejection below its mode
//! and by a shifted exponential proposal beyond it. A distribution with no
//! mass above `h` (a constant, a uniform's maximum below it) gives `h`: the
//! caller was seen to wait that long, so their patience is at least that.

use rand::Rng;

use super::dist::{Dist, MAX_SAMPLE_SECS, open01, standard_gamma, standard_normal, unit};
use super::math::{exp, ln};
use crate::time::SimDuration;

impl Dist {
    /// Draws one duration given that it exceeds `h` seconds (`h` itself when
    /// nothing exceeds it). `h <= 0` is an ordinary draw.
    pub fn sample_above<R: Rng + ?Sized>(&self, h: f64, rng: &mut R) -> SimDuration {
        if h.is_nan() || h <= 0.0 {
            return self.sample(rng);
        }
        let secs = match self {
            Dist::Constant(v) => v.max(h),
            Dist::Exp { mean } => h - mean * ln(open01(rng)),
            Dist::Uniform { min, max } => {
                if h >= *max {
                    h
                } else {
                    let lo = h.max(*min);
                    lo + (max - lo) * unit(rng)
                }
            }
            Dist::Normal { mean, sd } => {
                if *sd <= 0.0 {
                    mean.max(h)
                } else {
                    mean + sd * normal_above((h - mean) / sd, rng)
                }
            }
            Dist::LogNormal { mu, sigma, .. } => {
                if *sigma <= 0.0 {
                    exp(*mu).max(h)
                } else {
                    exp(mu + sigma * normal_above((ln(h) - mu) / sigma, rng))
                }
            }
            Dist::Gamma { shape, mean } => {
                let scale = mean / shape;
                scale * gamma_above(*shape, h / scale, rng)
            }
            Dist::Triangular { min, mode, max } => {
                let (a, c, b) = (*min, *mode, *max);
                if h >= b || b <= a {
                    h.max(a)
                } else {
                    let f = triangular_cdf(a, c, b, h.max(a));
                    let u = f + (1.0 - f) * unit(rng);
                    if u < (c - a) / (b - a) {
                        a + (u * (b - a) * (c - a)).sqrt()
                    } else {
                        b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                    }
                }
            }
            Dist::Empirical(values) => {
                let above = values.iter().filter(|v| **v > h).count();
                if above == 0 {
                    h
                } else {
                    let i = ((unit(rng) * above as f64) as usize).min(above - 1);
                    values.iter().copied().filter(|v| *v > h).nth(i).unwrap_or(h)
                }
            }
        };
        SimDuration::from_secs_f64(secs.max(h).min(MAX_SAMPLE_SECS))
    }
}

impl Dist {
    /// Draws one duration given that it is below `h` seconds: the patience
    /// of a caller who left on hearing an estimated wait of `h` (a
    /// left-censored observation; `shop replay`). Exact for the exponential
    /// and the uniform (their truncated inverse) and the empirical (its
    /// values below `h`); the others by rejection from the distribution
    /// itself, which takes few tries where the caller's leaving was likely.
    /// Where less than 1 draw in [`BELOW_TRIES`] falls below `h` (or none
    /// can: a constant at or above it), uniform on `[0, h)`: the log says
    /// only that the patience was shorter. `h <= 0` gives zero.
    pub fn sample_below<R: Rng + ?Sized>(&self, h: f64, rng: &mut R) -> SimDuration {
        if h.is_nan() || h <= 0.0 {
            return SimDuration::ZERO;
        }
        let below = |x: f64| x.is_finite() && x >= 0.0 && x < h;
        let exact = match self {
            Dist::Constant(v) => Some(*v).filter(|v| below(*v)),
            Dist::Exp { mean } => Some(-mean * ln(1.0 - unit(rng) * (1.0 - exp(-h / mean)))),
            Dist::Uniform { min, max } if *min < h => Some(min + (max.min(h) - min) * unit(rng)),
            Dist::Empirical(values) => {
                let n = values.iter().filter(|v| below(**v)).count();
                let i = ((unit(rng) * n as f64) as usize).min(n.saturating_sub(1));
                values.iter().copied().filter(|v| below(*v)).nth(i)
            }
            _ => (0..BELOW_TRIES).map(|_| self.sample(rng).as_secs_f64()).find(|x| below(*x)),
        };
        let secs = exact.unwrap_or_else(|| h * unit(rng));
        // Strictly below `h` in ticks too: told `h` again, the caller leaves.
        SimDuration::from_secs_f64(secs.max(0.0)).min(SimDuration(SimDuration::from_secs_f64(h).0.saturating_sub(1)))
    }
}

/// Draws [`Dist::sample_below`] tries by rejection before it falls back.
pub const BELOW_TRIES: usize = 20;

/// P(X <= x) of a triangular distribution, `a <= x <= b`, `a < b`.
fn triangular_cdf(a: f64, c: f64, b: f64, x: f64) -> f64 {
    if x <= c {
        if c > a { (x - a) * (x - a) / ((b - a) * (c - a)) } else { 0.0 }
    } else {
        1.0 - (b - x) * (b - x) / ((b - a) * (b - c))
    }
}

/// A standard normal draw given that it exceeds `a`. Plain rejection while
/// that accepts often (a below 0.5: at least 30%), else Robert's (1995)
/// exponential proposal, which accepts at least 76% of its draws out there.
/// A normal truncated at zero (the `normal` patience) is conditioned on
/// exceeding `a` above its truncation point, so the same draw serves.
fn normal_above<R: Rng + ?Sized>(a: f64, rng: &mut R) -> f64 {
    if a < 0.5 {
        loop {
            let z = standard_normal(rng);
            if z > a {
                return z;
            }
        }
    }
    let lambda = (a + (a * a + 4.0).sqrt()) / 2.0;
    loop {
        let z = a - ln(open01(rng)) / lambda;
        let d = z - lambda;
        if unit(rng) < exp(-0.5 * d * d) {
            return z;
        }
    }
}

/// A gamma draw (this shape, scale 1) given that it exceeds `x`. At or below
/// the mode (shape − 1) more than half the mass lies above `x`: plain
/// rejection. Beyond it, `x + E` with E exponential of rate 1 − (shape − 1)/x
/// dominates the tail: accept with (y/x)^(shape−1)·e^(−(shape−1)(y/x − 1)) ≤ 1.
/// For shape ≤ 1 (a density falling everywhere), E of rate 1 and (y/x)^(shape−1).
fn gamma_above<R: Rng + ?Sized>(shape: f64, x: f64, rng: &mut R) -> f64 {
    let k = shape - 1.0;
    if shape > 1.0 && x <= k {
        loop {
            let y = standard_gamma(rng, shape);
            if y > x {
                return y;
            }
        }
    }
    if shape <= 1.0 {
        // The density y^k·e^(−y), k ≤ 0, over x + E with E ~ exp(1): (y/x)^k ≤ 1.
        loop {
            let y = x - ln(open01(rng));
            if unit(rng) < exp(k * ln(y / x)) {
                return y;
            }
        }
    }
    let rate = 1.0 - k / x;
    loop {
        let y = x - ln(open01(rng)) / rate;
        let r = y / x;
        if unit(rng) < exp(k * (ln(r) - (r - 1.0))) {
            return y;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::CallerStream;

    /// E[X | X < h] by the truncated density, against `sample_below`'s mean
    /// over many draws; every draw below `h`.
    #[test]
    fn draws_below_stay_below_and_follow_the_truncated_distribution() {
        let mut rng = CallerStream::new(11, 3, 0, 0);
        let n = 40_000;
        // Exponential, mean 180 s, below 60 s: E = m - h e^{-h/m} / (1 - e^{-h/m}).
        let (m, h) = (180.0_f64, 60.0_f64);
        let want = m - h * (-h / m).exp() / (1.0 - (-h / m).exp());
        let d = Dist::Exp { mean: m };
        let xs: Vec<f64> = (0..n).map(|_| d.sample_below(h, &mut rng).as_secs_f64()).collect();
        assert!(xs.iter().all(|x| *x < h));
        let mean = xs.iter().sum::<f64>() / n as f64;
        assert!((mean - want).abs() < 0.01 * want, "exp below: {mean} against {want}");
        // Lognormal by rejection: the truncated mean of plain draws kept below h.
        let Ok(d) = Dist::lognormal(240.0, 120.0) else { panic!("a lognormal") };
        let plain: Vec<f64> =
            (0..4 * n).map(|_| d.sample(&mut rng).as_secs_f64()).filter(|x| *x < 200.0).take(n).collect();
        let want = plain.iter().sum::<f64>() / plain.len() as f64;
        let xs: Vec<f64> = (0..n).map(|_| d.sample_below(200.0, &mut rng).as_secs_f64()).collect();
        assert!(xs.iter().all(|x| *x < 200.0));
        let mean = xs.iter().sum::<f64>() / n as f64;
        assert!((mean - want).abs() < 0.02 * want, "lognormal below: {mean} against {want}");
        // Nothing below: strictly under h all the same (told h again, they leave).
        let x = Dist::Constant(300.0).sample_below(60.0, &mut rng);
        assert!(x < SimDuration::from_secs_f64(60.0), "{x:?}");
        assert_eq!(Dist::Exp { mean: m }.sample_below(0.0, &mut rng), SimDuration::ZERO);
    }

    /// Mean and smallest of `n` draws above `h`.
    fn draws(d: &Dist, h: f64, n: usize) -> (f64, f64) {
        let mut rng = CallerStream::new(7, 2, 0, 0);
        let xs: Vec<f64> = (0..n).map(|_| d.sample_above(h, &mut rng).as_secs_f64()).collect();
        (xs.iter().sum::<f64>() / n as f64, xs.iter().copied().fold(f64::INFINITY, f64::min))
    }

    /// E[X | X > h] by rejection from the plain sampler: the reference every
    /// exact method must meet.
    fn by_rejection(d: &Dist, h: f64, n: usize) -> f64 {
        let mut rng = CallerStream::new(11, 2, 0, 0);
        let mut kept = Vec::with_capacity(n);
        while kept.len() < n {
            let x = d.sample(&mut rng).as_secs_f64();
            if x > h {
                kept.push(x);
            }
        }
        kept.iter().sum::<f64>() / n as f64
    }

    #[test]
    fn an_exponential_patience_seen_to_exceed_h_is_h_plus_a_fresh_draw() {
        let (mean, least) = draws(&Dist::exp(120.0).unwrap(), 300.0, 200_000);
        assert!(least >= 300.0);
        // Memoryless: E = h + mean; the sample mean's standard error is 120/sqrt(n) ≈ 0.27 s.
        assert!((mean - 420.0).abs() < 1.5, "mean {mean}");
    }

    #[test]
    fn every_distribution_drawn_above_h_matches_rejection_and_never_falls_below_h() {
        let cases = [
            (Dist::uniform(60.0, 180.0).unwrap(), 100.0),
            (Dist::normal(300.0, 60.0).unwrap(), 250.0),
            (Dist::normal(300.0, 60.0).unwrap(), 420.0),
            (Dist::lognormal(120.0, 90.0).unwrap(), 60.0),
            (Dist::lognormal(120.0, 90.0).unwrap(), 400.0),
            (Dist::gamma(3.0, 360.0).unwrap(), 200.0),
            (Dist::gamma(3.0, 360.0).unwrap(), 900.0),
            (Dist::gamma(0.5, 60.0).unwrap(), 90.0),
            (Dist::triangular(60.0, 180.0, 480.0).unwrap(), 120.0),
            (Dist::triangular(60.0, 180.0, 480.0).unwrap(), 300.0),
            (Dist::Empirical(vec![30.0, 45.0, 120.0, 200.0]), 50.0),
        ];
        for (d, h) in &cases {
            let (mean, least) = draws(d, *h, 100_000);
            let want = by_rejection(d, *h, 100_000);
            assert!(least >= *h, "{d:?} above {h}: drew {least}");
            // Both are means of 100 000 draws of a tail whose spread is at most
            // the distribution's: 1% covers several standard errors of each.
            assert!((mean / want - 1.0).abs() < 0.01, "{d:?} above {h}: mean {mean}, rejection says {want}");
        }
    }

    #[test]
    fn no_mass_above_h_gives_h_and_nothing_above_zero_is_an_ordinary_draw() {
        let mut rng = CallerStream::new(3, 2, 0, 0);
        assert_eq!(Dist::Constant(60.0).sample_above(90.0, &mut rng).as_secs_f64(), 90.0);
        assert_eq!(Dist::uniform(10.0, 20.0).unwrap().sample_above(25.0, &mut rng).as_secs_f64(), 25.0);
        assert_eq!(Dist::Empirical(vec![1.0, 2.0]).sample_above(5.0, &mut rng).as_secs_f64(), 5.0);
        let d = Dist::exp(60.0).unwrap();
        let (mut a, mut b) = (CallerStream::new(5, 2, 0, 0), CallerStream::new(5, 2, 0, 0));
        assert_eq!(d.sample_above(0.0, &mut a), d.sample(&mut b));
    }
}
