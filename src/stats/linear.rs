//! Per-replication values of a pooled figure that carry its noise: what its
//! 95% interval and the paired comparison of two designs are computed from.
//!
//! A pooled figure is a ratio over replications: a mean is Σ sums / Σ counts,
//! a share Σ numerators / Σ denominators, a quantile the time below which a
//! share p of all the calls fall. When days differ in volume
//! (`volume_spread`, a busy interval), one day's own figure says little about
//! the pooled one: a busy day weighs more, and for a tail quantile most of a
//! bad day's calls sit far beyond the pooled quantile. The spread of the
//! days' own figures then understates the pooled figure's noise (a `wait.p95`
//! interval 3–5× too narrow with a 20% spread, and still too narrow
//! without one).
//!
//! The pooled figure's standard error is that of a ratio estimator over
//! independent clusters (Cochran, *Sampling Techniques*, 3rd ed. 1977, §6.4),
//! and for a quantile Woodruff's (1952, "Confidence intervals for medians
//! and other position measures", JASA 47): the noise of the share of calls
//! at or below the pooled quantile, carried back through the pooled
//! distribution. Each replication's linearized value
//!
//! * ratio: d_r = θ + (y_r − θ·n_r) / n̄ (y_r its numerator, n_r its denominator);
//! * quantile: d_r = q − (a_r − F·n_r) / (n̄·f) (a_r its calls at or below q,
//!   F = Σa / Σn, f the pooled density at q),
//!
//! averages θ and spreads as the pooled figure's noise does, so Student's t
//! over the d_r (sectioning, `super::ci`) gives the interval, and the paired
//! differences d_r^B − d_r^A the interval of a change. With equal days the
//! ratio's d_r are the days' own figures. Maxima keep the days' own maxima
//! (an extreme is one day's, see `super::ci::extreme_ci95`).

use super::ci::t_975;
use super::metric::Stat;
use super::summary::Summary;

/// What a figure is computed from, on one replication or all pooled.
#[derive(Clone, Copy, Debug)]
pub enum Parts<'a> {
    /// `num / den` (a share, a per-call count).
    Ratio { num: f64, den: f64 },
    /// A statistic of durations.
    Durations(Stat, &'a Summary),
    /// A figure that is not a ratio over calls: its own value each day.
    Raw(Option<f64>),
}

/// [`Parts`] kept past the counts they were read from (a replication's,
/// before its statistics are dropped): durations as a frozen summary, which
/// still answers the share of values at or below any time.
#[derive(Clone, Debug)]
pub enum KeptParts {
    Ratio { num: f64, den: f64 },
    Durations(Stat, Summary),
    Raw(Option<f64>),
}

impl KeptParts {
    pub fn keep(p: Parts) -> KeptParts {
        match p {
            Parts::Ratio { num, den } => KeptParts::Ratio { num, den },
            Parts::Durations(stat, s) => KeptParts::Durations(stat, s.frozen()),
            Parts::Raw(v) => KeptParts::Raw(v),
        }
    }

    pub fn parts(&self) -> Parts<'_> {
        match self {
            KeptParts::Ratio { num, den } => Parts::Ratio { num: *num, den: *den },
            KeptParts::Durations(stat, s) => Parts::Durations(*stat, s),
            KeptParts::Raw(v) => Parts::Raw(*v),
        }
    }
}

/// The per-replication values whose spread is the pooled figure's noise (see
/// the module's note); `per_rep` in replication order, `None` where the
/// figure is not defined on any replication's scale (e.g. nothing pooled).
pub fn pseudo_values(pooled: Parts, per_rep: &[Parts]) -> Vec<Option<f64>> {
    let raw = || per_rep.iter().map(raw_value).collect();
    let m = per_rep.len();
    if m < 2 {
        return raw();
    }
    match pooled {
        Parts::Ratio { num, den } => {
            let pairs: Vec<(f64, f64)> = per_rep
                .iter()
                .map(|p| match p {
                    Parts::Ratio { num, den } => (*num, *den),
                    _ => (0.0, 0.0),
                })
                .collect();
            ratio_values(num, den, &pairs)
        }
        Parts::Durations(Stat::Max, _) | Parts::Raw(_) => raw(),
        Parts::Durations(Stat::Mean, s) => {
            let pairs: Vec<(f64, f64)> = per_rep
                .iter()
                .map(|p| match p {
                    Parts::Durations(_, r) => (r.sum_secs(), r.count as f64),
                    _ => (0.0, 0.0),
                })
                .collect();
            ratio_values(s.sum_secs(), s.count as f64, &pairs)
        }
        Parts::Durations(stat, s) => {
            let Some(p) = stat.share() else { return raw() };
            let days: Vec<&Summary> = per_rep
                .iter()
                .filter_map(|r| match r {
                    Parts::Durations(_, d) => Some(*d),
                    _ => None,
                })
                .collect();
            if days.len() != m {
                return raw();
            }
            quantile_values(s, p, &days)
        }
    }
}

/// The figure on one replication's (or the pooled) parts; `None` where
/// nothing was measured.
pub fn value(p: &Parts) -> Option<f64> {
    raw_value(p)
}

fn raw_value(p: &Parts) -> Option<f64> {
    match p {
        Parts::Ratio { num, den } => (*den > 0.0).then(|| num / den),
        Parts::Durations(stat, s) => stat.of(s),
        Parts::Raw(v) => *v,
    }
}

/// d_r = θ + (y_r − θ·n_r) / n̄, θ = Σy / Σn.
fn ratio_values(num: f64, den: f64, days: &[(f64, f64)]) -> Vec<Option<f64>> {
    let total: f64 = days.iter().map(|d| d.1).sum();
    if den <= 0.0 || total <= 0.0 {
        return vec![None; days.len()];
    }
    let theta = num / den;
    let mean_n = total / days.len() as f64;
    days.iter().map(|(y, n)| Some(theta + (y - theta * n) / mean_n)).collect()
}

/// Woodruff's linearization of the pooled quantile at share `p`.
fn quantile_values(pooled: &Summary, p: f64, days: &[&Summary]) -> Vec<Option<f64>> {
    let m = days.len();
    let Some(q) = pooled.quantile(p) else { return vec![None; m] };
    let counts: Vec<(f64, f64)> =
        days.iter().map(|d| (d.share_at_most(q).unwrap_or(0.0) * d.count as f64, d.count as f64)).collect();
    let total: f64 = counts.iter().map(|c| c.1).sum();
    if total <= 0.0 {
        return vec![None; m];
    }
    let share = counts.iter().map(|c| c.0).sum::<f64>() / total;
    let mean_n = total / m as f64;
    let residuals: Vec<f64> = counts.iter().map(|(a, n)| a - share * n).collect();
    let se = (residuals.iter().map(|e| e * e).sum::<f64>() / (m * (m - 1)) as f64).sqrt() / mean_n;
    // The pooled density at q, over the span Woodruff's interval covers: so
    // the interval of the d_r is that interval's (two half-widths averaged).
    let h = t_975(m as u32 - 1) * se;
    let (lo, hi) = ((p - h).max(0.0), (p + h).min(1.0));
    let (Some(qlo), Some(qhi)) = (pooled.quantile(lo), pooled.quantile(hi)) else { return vec![Some(q); m] };
    if h <= 0.0 || qhi <= qlo {
        // No day's share differs, or the pooled distribution is flat there
        // (e.g. more than p + h of calls answered at once): q does not move.
        return vec![Some(q); m];
    }
    let density = (hi - lo) / (qhi - qlo);
    residuals.iter().map(|e| Some(q - e / (mean_n * density))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimDuration;

    fn summary(values: &[f64]) -> Summary {
        let mut s = Summary::default();
        for v in values {
            s.record(SimDuration::from_secs_f64(*v));
        }
        s
    }

    #[test]
    fn equal_days_give_their_own_shares() {
        let days = [Parts::Ratio { num: 8.0, den: 10.0 }, Parts::Ratio { num: 6.0, den: 10.0 }];
        let v = pseudo_values(Parts::Ratio { num: 14.0, den: 20.0 }, &days);
        assert!((v[0].unwrap() - 0.8).abs() < 1e-12 && (v[1].unwrap() - 0.6).abs() < 1e-12);
    }

    #[test]
    fn a_busy_day_weighs_as_much_as_its_calls() {
        // 9 of 10 on a quiet day, 50 of 100 on a busy one: pooled 59/110, not
        // the 0.7 the days' own shares average. Each day's value departs from
        // the pooled share by its own share's departure times its weight
        // (its calls over the mean day's, 10/55 and 100/55).
        let days = [Parts::Ratio { num: 9.0, den: 10.0 }, Parts::Ratio { num: 50.0, den: 100.0 }];
        let v: Vec<f64> = pseudo_values(Parts::Ratio { num: 59.0, den: 110.0 }, &days).into_iter().flatten().collect();
        let theta = 59.0 / 110.0;
        assert!(((v[0] + v[1]) / 2.0 - theta).abs() < 1e-12);
        assert!((v[0] - (theta + 10.0 / 55.0 * (0.9 - theta))).abs() < 1e-12, "{v:?}");
        assert!((v[1] - (theta + 100.0 / 55.0 * (0.5 - theta))).abs() < 1e-12, "{v:?}");
    }

    #[test]
    fn a_day_far_beyond_the_pooled_quantile_moves_it_far() {
        // Nine quiet days (waits 0–10 s) and one bad one (all 100–200 s, ten
        // times the calls): the pooled p95 is the bad day's; its noise is
        // the bad day's weight, far more than the days' own p95s suggest.
        let quiet: Vec<f64> = (0..10).map(f64::from).collect();
        let bad: Vec<f64> = (0..100).map(|i| 100.0 + f64::from(i)).collect();
        let mut days: Vec<Summary> = (0..9).map(|_| summary(&quiet)).collect();
        days.push(summary(&bad));
        let mut pooled = summary(&[]);
        for d in &days {
            pooled.merge(d);
        }
        let frozen: Vec<Summary> = days.iter().map(Summary::frozen).collect();
        let parts: Vec<Parts> = frozen.iter().map(|d| Parts::Durations(Stat::P95, d)).collect();
        let v: Vec<f64> = pseudo_values(Parts::Durations(Stat::P95, &pooled), &parts).into_iter().flatten().collect();
        let q = Stat::P95.of(&pooled).unwrap();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        assert!((mean - q).abs() < 1e-6 * q.max(1.0), "linearized values average the pooled figure");
        assert!(v[9] > q && v[0] < q, "the bad day pulls it up, quiet days down: {v:?}");
    }

    #[test]
    fn maxima_keep_the_days_own() {
        let (a, b) = (summary(&[1.0, 5.0]), summary(&[2.0, 9.0]));
        let mut pooled = a.clone();
        pooled.merge(&b);
        let v = pseudo_values(
            Parts::Durations(Stat::Max, &pooled),
            &[Parts::Durations(Stat::Max, &a), Parts::Durations(Stat::Max, &b)],
        );
        assert_eq!(v, vec![Some(5.0), Some(9.0)]);
    }
}
