//! Paired differences between two designs run on the same callers, and the
//! verdict they support.
//!
//! Replication r of design A and replication r of design B simulate the same
//! day: same arrivals, same reasons, same patience and handle-time draws
//! (common random numbers). So the per-day difference d_r = B_r − A_r has far
//! less noise than the two figures apart, and the Student-t interval over the
//! d_r is the honest 95% interval of "how much B changes this figure".
//! Where the designs do not differ for a caller, every d_r is exactly 0 and so
//! is the interval: no noise can make identical designs look different.

use serde::Serialize;

use super::metric::Metric;

pub use super::metric::Direction;
pub use super::r6;

/// What a comparison supports, criterion-style: a difference is real only when
/// its whole 95% interval is on one side of zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Better,
    Worse,
    NoRealDifference,
    /// A neutral figure that really went up.
    Higher,
    /// A neutral figure that really went down.
    Lower,
    /// Fewer than two replications measured it in both designs: no interval.
    TooFewReplications,
}

impl Verdict {
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::NoRealDifference => "no real difference",
            Verdict::Higher => "higher",
            Verdict::Lower => "lower",
            Verdict::TooFewReplications => "too few replications",
        }
    }

    /// From the interval of B − A.
    pub fn from_ci(ci: Option<[f64; 2]>, dir: Direction) -> Verdict {
        let Some([lo, hi]) = ci else { return Verdict::TooFewReplications };
        let up = lo > 0.0;
        let down = hi < 0.0;
        match (dir, up, down) {
            (_, false, false) => Verdict::NoRealDifference,
            (Direction::LowerIsBetter, true, _) | (Direction::HigherIsBetter, _, true) => Verdict::Worse,
            (Direction::LowerIsBetter, _, true) | (Direction::HigherIsBetter, true, _) => Verdict::Better,
            (Direction::Neutral, true, _) => Verdict::Higher,
            (Direction::Neutral, _, true) => Verdict::Lower,
        }
    }
}

/// The daily differences B_r − A_r over the replications that measured the
/// figure in both designs.
fn daily_differences(a: &[Option<f64>], b: &[Option<f64>]) -> Vec<f64> {
    a.iter().zip(b).filter_map(|(x, y)| Some((*y)? - (*x)?)).collect()
}

/// The 95% interval of a figure's change `diff` (pooled B − pooled A), with
/// its spread from the daily differences (see [`Metric::ci95`]): it always
/// contains `diff`. `None` with fewer than two days that measured the figure
/// in both designs.
pub fn paired_ci95(m: Metric, diff: f64, a: &[Option<f64>], b: &[Option<f64>]) -> Option<[f64; 2]> {
    m.ci95(diff, &daily_differences(a, b))
}

/// The 95% interval of one design's pooled figure, from its daily figures.
pub fn figure_ci95(m: Metric, pooled: Option<f64>, days: &[Option<f64>]) -> Option<[f64; 2]> {
    let days: Vec<f64> = days.iter().flatten().copied().collect();
    m.ci95(pooled?, &days).map(|[lo, hi]| [r6(lo), r6(hi)])
}

/// One figure of two designs side by side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Paired {
    /// Design A (the baseline), over all replications pooled, as `shop run` reports it.
    pub a: Option<f64>,
    /// Design B, same.
    pub b: Option<f64>,
    /// b − a.
    pub diff: Option<f64>,
    /// (b − a) / a; null when a is 0 or missing.
    pub rel_diff: Option<f64>,
    /// 95% interval of `diff`: centred on it, its width from the spread of the
    /// daily differences B_r − A_r (paired days, sectioning).
    pub diff_ci95: Option<[f64; 2]>,
    /// 95% interval of `a`, from A's daily figures (sectioning).
    pub a_ci95: Option<[f64; 2]>,
    /// 95% interval of `b`, from B's daily figures (sectioning).
    pub b_ci95: Option<[f64; 2]>,
    pub verdict: Verdict,
    /// The same figure judged day by day: the means of the paired daily
    /// figures and their Student-t intervals. What `check` judges a `.max` or
    /// `.p99` gate on (the pooled extreme is one day's worst caller); not in
    /// the JSON of `compare`.
    #[serde(skip)]
    pub daily: Option<DailyMeans>,
}

/// Means over the replications of a figure measured in both designs.
#[derive(Clone, Debug, PartialEq)]
pub struct DailyMeans {
    /// Mean of A's daily figures, over the days measured in both designs.
    pub a: f64,
    /// Mean of B's daily figures, over the same days.
    pub b: f64,
    /// Mean of the daily differences B_r − A_r (= b − a).
    pub diff: f64,
    /// Its 95% interval, t·sd/√n of the differences.
    pub diff_ci95: Option<[f64; 2]>,
    /// Mean of B's daily figures over every day that measured it, and its interval.
    pub b_alone: f64,
    pub b_ci95: Option<[f64; 2]>,
    /// Days measured in both designs.
    pub days: usize,
}

impl DailyMeans {
    fn new(a: &[Option<f64>], b: &[Option<f64>]) -> Option<DailyMeans> {
        let pairs: Vec<(f64, f64)> = a.iter().zip(b).filter_map(|(x, y)| Some(((*x)?, (*y)?))).collect();
        let bs: Vec<f64> = b.iter().flatten().copied().collect();
        if pairs.is_empty() || bs.is_empty() {
            return None;
        }
        let n = pairs.len() as f64;
        let diffs: Vec<f64> = pairs.iter().map(|(x, y)| y - x).collect();
        let round = |ci: Option<[f64; 2]>| ci.map(|[lo, hi]| [r6(lo), r6(hi)]);
        Some(DailyMeans {
            a: r6(pairs.iter().map(|p| p.0).sum::<f64>() / n),
            b: r6(pairs.iter().map(|p| p.1).sum::<f64>() / n),
            diff: r6(diffs.iter().sum::<f64>() / n),
            diff_ci95: round(super::ci::ci95(&diffs)),
            b_alone: r6(bs.iter().sum::<f64>() / bs.len() as f64),
            b_ci95: round(super::ci::ci95(&bs)),
            days: pairs.len(),
        })
    }
}

impl Paired {
    /// Metric `m`: `pooled` are the figures over all replications; `per_rep`
    /// one value per replication.
    pub fn new(m: Metric, pooled: (Option<f64>, Option<f64>), per_rep: (&[Option<f64>], &[Option<f64>])) -> Paired {
        Paired::with_noise(m, pooled, per_rep, per_rep)
    }

    /// Like [`Paired::new`], with the intervals computed from `noise`: each
    /// replication's value as the pooled figure's noise sees it
    /// (`super::linear`), while `per_rep` are the days' own figures (what a
    /// gate judged day by day reads).
    pub fn with_noise(
        m: Metric,
        pooled: (Option<f64>, Option<f64>),
        per_rep: (&[Option<f64>], &[Option<f64>]),
        noise: (&[Option<f64>], &[Option<f64>]),
    ) -> Paired {
        let (a, b) = (pooled.0.map(r6), pooled.1.map(r6));
        let diff = a.zip(b).map(|(a, b)| r6(b - a));
        let rel_diff = a.zip(diff).and_then(|(a, d)| (a != 0.0).then(|| r6(d / a)));
        // Rounding is monotone: the rounded bounds still hold the rounded figure.
        let diff_ci95 = diff.and_then(|d| paired_ci95(m, d, noise.0, noise.1)).map(|[lo, hi]| [r6(lo), r6(hi)]);
        let verdict = Verdict::from_ci(diff_ci95, m.direction());
        Paired {
            a,
            b,
            diff,
            rel_diff,
            diff_ci95,
            a_ci95: figure_ci95(m, a, noise.0),
            b_ci95: figure_ci95(m, b, noise.1),
            verdict,
            daily: DailyMeans::new(per_rep.0, per_rep.1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P95: Metric = crate::stats::metric::WAIT_P95;

    fn some(xs: &[f64]) -> Vec<Option<f64>> {
        xs.iter().copied().map(Some).collect()
    }

    #[test]
    fn identical_designs_differ_by_exactly_zero() {
        let a = some(&[10.0, 12.5, 9.0]);
        assert_eq!(paired_ci95(P95, 0.0, &a, &a), Some([0.0, 0.0]));
        let p = Paired::new(P95, (Some(11.0), Some(11.0)), (&a, &a));
        assert_eq!((p.diff, p.rel_diff, p.verdict), (Some(0.0), Some(0.0), Verdict::NoRealDifference));
    }

    #[test]
    fn the_interval_is_centred_on_the_change_with_the_spread_of_the_daily_differences() {
        // Differences 1, 2, 3: sd 1, t(2) = 4.303; pooled change 2.5.
        let ci = paired_ci95(P95, 2.5, &some(&[10.0, 20.0, 30.0]), &some(&[11.0, 22.0, 33.0])).unwrap();
        let half = 4.303 / 3f64.sqrt();
        assert!((ci[0] - (2.5 - half)).abs() < 1e-9 && (ci[1] - (2.5 + half)).abs() < 1e-9);
    }

    #[test]
    fn pairing_removes_the_day_to_day_noise() {
        // Busy and quiet days, B always 1 s worse: a real difference.
        let a = some(&[10.0, 50.0, 20.0, 80.0]);
        let b = some(&[11.0, 51.0, 21.0, 81.0]);
        let p = Paired::new(P95, (Some(40.0), Some(41.0)), (&a, &b));
        assert_eq!(p.diff_ci95, Some([1.0, 1.0]));
        assert_eq!(p.verdict, Verdict::Worse);
    }

    #[test]
    fn the_pooled_change_is_always_inside_its_interval() {
        // The longest hold of all days is unchanged, though every daily maximum fell:
        // the interval is around the pooled change (0), not the daily mean (−45).
        let a = some(&[300.0, 400.0, 500.0]);
        let b = some(&[250.0, 360.0, 500.0 - 45.0]);
        let p = Paired::new(P95, (Some(500.0), Some(500.0)), (&a, &b));
        let [lo, hi] = p.diff_ci95.unwrap();
        assert!(lo <= 0.0 && 0.0 <= hi);
        assert_eq!(p.verdict, Verdict::NoRealDifference);
    }

    #[test]
    fn days_missing_a_figure_are_left_out_of_the_pairs() {
        let a = vec![Some(1.0), None, Some(2.0)];
        let b = vec![Some(1.0), Some(5.0), None];
        assert_eq!(paired_ci95(P95, 0.0, &a, &b), None);
    }

    #[test]
    fn verdicts_follow_the_good_direction() {
        let up = Some([0.1, 0.3]);
        let down = Some([-0.3, -0.1]);
        assert_eq!(Verdict::from_ci(up, Direction::LowerIsBetter), Verdict::Worse);
        assert_eq!(Verdict::from_ci(up, Direction::HigherIsBetter), Verdict::Better);
        assert_eq!(Verdict::from_ci(down, Direction::HigherIsBetter), Verdict::Worse);
        assert_eq!(Verdict::from_ci(down, Direction::Neutral), Verdict::Lower);
        assert_eq!(Verdict::from_ci(Some([-0.1, 0.1]), Direction::LowerIsBetter), Verdict::NoRealDifference);
        assert_eq!(Verdict::from_ci(None, Direction::LowerIsBetter), Verdict::TooFewReplications);
    }
}
