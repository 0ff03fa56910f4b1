//! Holt–Winters exponential smoothing of daily call volumes: a level, an
//! additive trend and a multiplicative weekly season (Winters 1960; the
//! recursions as in Hyndman & Athanasopoulos, *Forecasting: Principles and
//! Practice*, 3rd ed., §8.3). The smoothing weights are chosen on a grid by the
//! one-step-ahead squared error over the fitted days.
//!
//! Written here rather than taken from a crate: the maintained Rust ETS crate
//! (`augurs-ets`) does not implement seasonal models yet, and the recursions
//! are a dozen lines. A season factor of 0 (a weekday the center is closed)
//! forecasts 0 and leaves the level alone on that day.

/// The fitted smoothing: weights, the state after the last day, and the
/// one-step-ahead forecasts of the days after the first season.
#[derive(Clone, Debug, PartialEq)]
pub struct Smoothed {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    /// Season length in days: 7, or 1 (no season) for logs without dates.
    pub period: usize,
    level: f64,
    trend: f64,
    /// The season factors; `season[i]` belongs to days `i`, `i + period`, ... of the series.
    season: Vec<f64>,
    /// Days fitted.
    n: usize,
    /// (day, one-step-ahead forecast) for days `period..n`.
    pub one_step: Vec<(usize, f64)>,
    /// Sum of squared one-step errors.
    pub sse: f64,
}

const ALPHAS: [f64; 10] = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 0.95];
const BETAS: [f64; 6] = [0.0, 0.01, 0.02, 0.05, 0.1, 0.2];
const GAMMAS: [f64; 8] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6];

/// The fewest days a fit needs: two seasons (the first sets the season, the
/// second the trend).
pub fn min_days(period: usize) -> usize {
    2 * period.max(2)
}

/// Fits the series `y` (one value a day) with the weights of least
/// one-step-ahead squared error; `None` with fewer than [`min_days`] days.
pub fn fit(y: &[f64], period: usize) -> Option<Smoothed> {
    if y.len() < min_days(period) {
        return None;
    }
    let gammas: &[f64] = if period > 1 { &GAMMAS } else { &[0.0] };
    let mut best: Option<Smoothed> = None;
    for &alpha in &ALPHAS {
        for &beta in &BETAS {
            for &gamma in gammas {
                let s = run(y, period, alpha, beta, gamma);
                // Ties keep the first (smoother) weights: the grid is ordered.
                if best.as_ref().is_none_or(|b| s.sse < b.sse - 1e-9) {
                    best = Some(s);
                }
            }
        }
    }
    best
}

/// The recursions with fixed weights.
fn run(y: &[f64], period: usize, alpha: f64, beta: f64, gamma: f64) -> Smoothed {
    let m = period.max(1);
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    // Initial state: the first season's mean as level, the change of the
    // mean from the first season to the second as trend, each day of the two
    // first seasons against its season's mean as season factors. Without a season: the first
    // day as level, no trend.
    let (mut level, mut trend, mut season, start) = if m > 1 {
        let (first, second) = (mean(&y[..m]), mean(&y[m..2 * m]));
        // Each weekday's factor from both weeks (less noise than one week's).
        let ratio = |v: f64, w: f64| if w > 0.0 { v / w } else { 1.0 };
        let season = (0..m).map(|i| (ratio(y[i], first) + ratio(y[m + i], second)) / 2.0).collect();
        (first, (second - first) / m as f64, season, m)
    } else {
        (y[0], 0.0, vec![1.0], 1)
    };
    let mut one_step = Vec::with_capacity(y.len());
    let mut sse = 0.0;
    for (t, &obs) in y.iter().enumerate().skip(start) {
        let s = season[t % m];
        let forecast = ((level + trend) * s).max(0.0);
        one_step.push((t, forecast));
        sse += (obs - forecast).powi(2);
        let prev = level;
        level = if s > 1e-9 { alpha * (obs / s) + (1.0 - alpha) * (level + trend) } else { level + trend };
        trend = beta * (level - prev) + (1.0 - beta) * trend;
        if m > 1 && level > 1e-9 {
            season[t % m] = gamma * (obs / level) + (1.0 - gamma) * s;
        }
    }
    Smoothed { alpha, beta, gamma, period: m, level, trend, season, n: y.len(), one_step, sse }
}

impl Smoothed {
    /// The forecast `h` days after the last fitted day (h ≥ 1), never below 0.
    pub fn forecast(&self, h: usize) -> f64 {
        let s = self.season[(self.n + h - 1) % self.period];
        ((self.level + h as f64 * self.trend) * s).max(0.0)
    }

    /// The day-to-day spread beyond Poisson of the days around their
    /// one-step-ahead forecasts, as a coefficient of variation: a day of
    /// forecast f has variance f + (cv·f)² under Poisson–gamma, so
    /// cv² = mean of ((y − f)² − f) / f² (method of moments), at least 0.
    pub fn spread(&self, y: &[f64]) -> f64 {
        let terms: Vec<f64> =
            self.one_step.iter().filter(|(_, f)| *f > 1.0).map(|&(t, f)| ((y[t] - f).powi(2) - f) / (f * f)).collect();
        if terms.is_empty() {
            return 0.0;
        }
        (terms.iter().sum::<f64>() / terms.len() as f64).max(0.0).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weekly_pattern_with_a_trend_is_forecast_exactly() {
        // Noise-free: level 1000 rising 5 a day, Saturday 40%, Sunday closed.
        let week = [1.1, 1.0, 1.0, 1.0, 1.2, 0.4, 0.0];
        let y: Vec<f64> = (0..42).map(|t| (1000.0 + 5.0 * t as f64) * week[t % 7]).collect();
        let s = fit(&y, 7).unwrap();
        for h in 1..=14 {
            let t = 42 + h - 1;
            let truth = (1000.0 + 5.0 * t as f64) * week[t % 7];
            assert!((s.forecast(h) - truth).abs() < 0.02 * truth.max(1.0), "day {t}: {} vs {truth}", s.forecast(h));
        }
        assert_eq!(s.forecast(7), 0.0, "day 48, a Sunday, is closed");
    }

    #[test]
    fn the_spread_of_poisson_days_is_near_zero_and_of_gamma_days_near_its_cv() {
        use rand::RngExt;
        use rand_chacha::ChaCha8Rng;
        use rand_chacha::rand_core::SeedableRng;
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        // A normal approximation of Poisson(800), times a factor of cv 15%.
        let mut normal = || {
            let (u, v): (f64, f64) = (rng.random_range(1e-12..1.0), rng.random_range(0.0..1.0));
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        };
        let poisson: Vec<f64> = (0..200).map(|_| 800.0 + 800f64.sqrt() * normal()).collect();
        let spread: Vec<f64> = (0..200)
            .map(|_| {
                let mean = 800.0 * (1.0 + 0.15 * normal());
                mean + mean.max(0.0).sqrt() * normal()
            })
            .collect();
        let flat = fit(&poisson, 7).unwrap().spread(&poisson);
        let wide = fit(&spread, 7).unwrap().spread(&spread);
        assert!(flat < 0.03, "Poisson days: {flat}");
        assert!((0.11..0.2).contains(&wide), "15% spread: {wide}");
    }

    #[test]
    fn too_few_days_fit_nothing() {
        assert!(fit(&[1.0; 13], 7).is_none());
        assert!(fit(&[1.0; 14], 7).is_some());
        assert!(fit(&[1.0; 4], 1).is_some());
    }
}
