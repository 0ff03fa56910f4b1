//! The two sides together: the simulation's figures with their 95% intervals
//! from the spread between replications, the log's figures per day, and how
//! far apart they are over the intervals.

use super::figures::{Counted, Dispersion, FIGURES, Figure, FigureError, Row, Side, index_of_dispersion};
use super::log::Binned;
use crate::scenario::Scenario;
use crate::stats::ci::sectioned_ci95;
use crate::stats::collect::{CallerStats, IntervalStats, Runs};
use crate::stats::linear::pseudo_values;
use crate::stats::r6;

/// A 95% interval kept within what the figure can be (no negative wait, no share above 1).
fn clamp(f: Figure, ci: [f64; 2]) -> [f64; 2] {
    let hi = if f.is_share() { ci[1].min(1.0) } else { ci[1] };
    [r6(ci[0].max(0.0)), r6(hi)]
}

/// The simulation's side: the pooled figure and its interval over the
/// replications (counts per day by the days' own; shares and waits by each
/// replication's share in the pooled figure).
fn simulated<C: Counted>(pooled: &C, per_rep: &[&C], days_per_rep: f64, reps: f64) -> Side {
    let mut values = [None; 7];
    let mut ci95 = [None; 7];
    for (i, f) in FIGURES.iter().enumerate() {
        let v = f.of(pooled, days_per_rep * reps);
        values[i] = v.map(r6);
        ci95[i] = v
            .and_then(|v| match f.metric() {
                // Each replication by its linearized value (`stats::linear`): a
                // busy day weighs by its calls, as in the pooled figure.
                Some(m) => {
                    let parts: Vec<_> = per_rep.iter().map(|c| m.parts_service(*c)).collect();
                    let days: Vec<f64> = pseudo_values(m.parts_service(pooled), &parts).into_iter().flatten().collect();
                    m.ci95(v, &days)
                }
                None => {
                    let daily: Vec<f64> = per_rep.iter().filter_map(|c| f.of(*c, days_per_rep)).collect();
                    sectioned_ci95(v, &daily)
                }
            })
            .map(|c| clamp(*f, c));
    }
    Side { values, ci95: Some(ci95) }
}

fn actual<C: Counted>(c: &C, days: f64) -> Side {
    let mut values = [None; 7];
    for (i, f) in FIGURES.iter().enumerate() {
        values[i] = f.of(c, days).map(r6);
    }
    Side { values, ci95: None }
}

/// An interval scored: (log, simulated, simulated's interval, the log's calls there).
type Scored = (f64, f64, Option<[f64; 2]>, f64);

/// What [`compare`] gives: every interval, the whole day, the errors and the log's dispersion.
pub type Compared = (Vec<Row>, Row, Vec<FigureError>, Dispersion);

/// Every interval and the whole day, log beside simulation, and the errors:
/// the whole day pooled on each side (bias = simulated − log), per-interval
/// errors weighted by the log's calls, intervals without a logged call not
/// scored.
pub fn compare(binned: &Binned, sc: &Scenario, runs: &Runs) -> Compared {
    let days = binned.days as f64;
    let reps = runs.per_rep.len() as f64;
    let per_rep_days = f64::from(sc.days.max(1));
    let pooled = runs.pooled.intervals();
    let per_rep: Vec<Vec<IntervalStats>> = runs.per_rep.iter().map(|r| r.intervals().into_owned()).collect();
    let day = &sc.intervals;
    let rows: Vec<Row> = pooled
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (from, to) = day.bounds(k);
            let mine: Vec<&IntervalStats> = per_rep.iter().filter_map(|r| r.get(k)).collect();
            let empty = IntervalStats::default();
            Row {
                from: r6(from.as_secs_f64()),
                to: r6(to.as_secs_f64()),
                label: day.label(k),
                actual: actual(binned.intervals.get(k).unwrap_or(&empty), days),
                simulated: simulated(p, &mine, per_rep_days, reps),
                dispersion: binned.per_day.get(k).and_then(|c| index_of_dispersion(c)).map(r6),
            }
        })
        .collect();

    let mut all = IntervalStats::default();
    for i in &binned.intervals {
        all.merge(i);
    }
    let overall_pooled = runs.pooled.overall();
    let overall_reps: Vec<CallerStats> = runs.per_rep.iter().map(|r| r.overall()).collect();
    let refs: Vec<&CallerStats> = overall_reps.iter().collect();
    let (from, to) = (0.0, r6(day.horizon.as_secs_f64()));
    let overall = Row {
        from,
        to,
        label: "whole day".into(),
        actual: actual(&all, days),
        simulated: simulated(&overall_pooled, &refs, per_rep_days, reps),
        dispersion: None,
    };
    let dispersion = dispersion(binned);
    let overall = Row { dispersion: dispersion.whole_day, ..overall };

    let errors = FIGURES
        .iter()
        .map(|&f| {
            // The intervals with a call in the log where both sides have the figure.
            let scored: Vec<Scored> = rows
                .iter()
                .filter_map(|r| {
                    let calls = r.actual.get(Figure::Calls).filter(|c| *c > 0.0)?;
                    Some((r.actual.get(f)?, r.simulated.get(f)?, r.simulated.ci(f), calls))
                })
                .collect();
            let weight: f64 = scored.iter().map(|x| x.3).sum();
            let with_ci: Vec<bool> = scored
                .iter()
                .filter_map(|(a, _, ci, _)| ci.map(|[lo, hi]| *a >= lo - 1e-9 && *a <= hi + 1e-9))
                .collect();
            let bias = match (overall.simulated.get(f), overall.actual.get(f)) {
                (Some(s), Some(a)) => Some(r6(s - a)),
                _ => None,
            };
            FigureError {
                figure: f,
                mae: (weight > 0.0)
                    .then(|| r6(scored.iter().map(|(a, s, _, w)| w * (s - a).abs()).sum::<f64>() / weight)),
                bias,
                within_ci95: (!with_ci.is_empty())
                    .then(|| r6(with_ci.iter().filter(|x| **x).count() as f64 / with_ci.len() as f64)),
                intervals: scored.len(),
            }
        })
        .collect();
    (rows, overall, errors, dispersion)
}

/// The log's index of dispersion: of the daily totals, and the intervals'
/// own indexes weighted by their calls.
fn dispersion(binned: &Binned) -> Dispersion {
    let days = binned.days;
    let totals: Vec<u64> =
        (0..days).map(|d| binned.per_day.iter().map(|k| k.get(d).copied().unwrap_or(0)).sum()).collect();
    let (mut sum, mut weight) = (0.0, 0.0);
    for k in &binned.per_day {
        if let Some(x) = index_of_dispersion(k) {
            let calls = k.iter().sum::<u64>() as f64;
            sum += x * calls;
            weight += calls;
        }
    }
    Dispersion {
        days,
        whole_day: index_of_dispersion(&totals).map(r6),
        intervals_mean: (weight > 0.0).then(|| r6(sum / weight)),
    }
}
