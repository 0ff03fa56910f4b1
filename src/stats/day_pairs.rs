//! The worst day and the 1-in-10 day of two designs, paired: what
//! `worst_day.*`, `p10_day.service_level`, `p90_day.*` gates judge.
//!
//! Day k of design A and day k of design B are the same simulated day (same
//! replication, same day of its chain: same callers and the same volume
//! factor), so the change of a day figure is measured on paired days. A
//! quantile of days has no Student-t interval; its 95% interval is a paired
//! bootstrap: the days are resampled with replacement (the same days for both
//! designs), the figure is recomputed on each resample, and the 2.5th and
//! 97.5th percentiles of the resampled changes bound the change. The resampling
//! stream is fixed, so the interval is the same on every machine. The interval
//! is widened, if need be, to hold the figure itself.
//!
//! The worst day is an extreme: with more days it can only get worse, and the
//! bootstrap of a minimum is rough (it cannot resample a day worse than the
//! worst one seen). The 1-in-10 day is a quantile, whose bootstrap is sound;
//! docs/compare-and-check.md recommends it for gates.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

use super::days::day_metric;
use super::metric::Metric;
use super::paired::{Paired, Verdict, r6};

/// Resamples per interval: the 2.5th percentile of 1,999 sorted values is the 50th.
const RESAMPLES: usize = 1999;

/// A fixed stream: the interval depends on the days only.
const STREAM: u64 = 0x5eed_da75;

/// Pairs a day figure `m` of both designs from each side's daily values of the
/// figure it reads (`None` where a day measured nothing), day k against day k.
pub fn paired_days(m: Metric, a: &[Option<f64>], b: &[Option<f64>]) -> Paired {
    let all = |v: &[Option<f64>]| v.iter().flatten().copied().collect::<Vec<f64>>();
    let (pa, pb) = (day_metric(m, &all(a)).map(r6), day_metric(m, &all(b)).map(r6));
    let diff = pa.zip(pb).map(|(x, y)| r6(y - x));
    let rel_diff = pa.zip(diff).and_then(|(a, d)| (a != 0.0).then(|| r6(d / a)));
    let both: Vec<(f64, f64)> = a.iter().zip(b).filter_map(|(x, y)| Some(((*x)?, (*y)?))).collect();
    let round = |[lo, hi]: [f64; 2]| [r6(lo), r6(hi)];
    let diff_ci95 = diff.and_then(|d| {
        bootstrap(&both, |s| {
            let (xs, ys): (Vec<f64>, Vec<f64>) = s.iter().copied().unzip();
            Some(day_metric(m, &ys)? - day_metric(m, &xs)?)
        })
        .map(|ci| round(holding(ci, d)))
    });
    let alone = |v: Vec<f64>, est: Option<f64>| {
        let est = est?;
        bootstrap(&v, |s| day_metric(m, s)).map(|ci| round(holding(ci, est)))
    };
    Paired {
        a: pa,
        b: pb,
        diff,
        rel_diff,
        diff_ci95,
        a_ci95: alone(all(a), pa),
        b_ci95: alone(all(b), pb),
        verdict: Verdict::from_ci(diff_ci95, m.direction()),
        daily: None,
    }
}

/// The interval widened to hold `x`.
fn holding([lo, hi]: [f64; 2], x: f64) -> [f64; 2] {
    [lo.min(x), hi.max(x)]
}

/// The percentile 95% interval of `stat` over resamples of `days`; `None` with
/// fewer than two days.
fn bootstrap<T: Copy>(days: &[T], stat: impl Fn(&[T]) -> Option<f64>) -> Option<[f64; 2]> {
    let n = days.len();
    if n < 2 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(STREAM);
    let mut sample = Vec::with_capacity(n);
    let mut values = Vec::with_capacity(RESAMPLES);
    for _ in 0..RESAMPLES {
        sample.clear();
        sample.extend((0..n).map(|_| days[rng.random_range(0..n)]));
        values.extend(stat(&sample));
    }
    if values.len() < RESAMPLES / 2 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let at = |p: f64| values[((values.len() + 1) as f64 * p).round() as usize - 1];
    Some([at(0.025), at(0.975)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(name: &str) -> Metric {
        Metric::parse(name).unwrap()
    }

    fn some(xs: &[f64]) -> Vec<Option<f64>> {
        xs.iter().copied().map(Some).collect()
    }

    #[test]
    fn identical_days_differ_by_exactly_zero() {
        let days = some(&[0.8, 0.7, 0.9, 0.6, 0.85]);
        let p = paired_days(metric("p10_day.service_level"), &days, &days);
        assert_eq!((p.diff, p.diff_ci95, p.verdict), (Some(0.0), Some([0.0, 0.0]), Verdict::NoRealDifference));
    }

    #[test]
    fn a_design_worse_on_every_day_is_worse_on_its_one_in_ten_day() {
        let a: Vec<f64> = (0..100).map(|i| 0.6 + 0.003 * f64::from(i)).collect();
        let b: Vec<f64> = a.iter().map(|x| x - 0.05).collect();
        let p = paired_days(metric("p10_day.service_level"), &some(&a), &some(&b));
        // The 10th lowest of 100: 0.6 + 0.003·9.
        assert_eq!(p.a, Some(0.627));
        assert_eq!(p.diff, Some(-0.05));
        assert_eq!(p.verdict, Verdict::Worse);
        let [lo, hi] = p.diff_ci95.unwrap();
        assert!(lo <= -0.05 && (-0.05..0.0).contains(&hi), "{lo} {hi}");
    }

    #[test]
    fn the_interval_is_the_same_on_every_call() {
        let a = some(&[30.0, 45.0, 12.0, 80.0, 61.0, 22.0, 40.0]);
        let b = some(&[31.0, 50.0, 10.0, 95.0, 60.0, 25.0, 41.0]);
        let m = metric("p90_day.wait.p95");
        assert_eq!(paired_days(m, &a, &b), paired_days(m, &a, &b));
    }

    #[test]
    fn days_that_measured_nothing_are_left_out() {
        let a = vec![Some(0.1), None, Some(0.2)];
        let b = vec![Some(0.1), Some(0.9), None];
        let p = paired_days(metric("worst_day.abandon_rate"), &a, &b);
        assert_eq!((p.a, p.b), (Some(0.2), Some(0.9)));
        // One day measured in both: no interval.
        assert_eq!(p.diff_ci95, None);
        assert_eq!(p.verdict, Verdict::TooFewReplications);
    }
}
