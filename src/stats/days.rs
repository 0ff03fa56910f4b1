//! The days of a run: each simulated day's own figures (`by_day`), and the
//! worst and the 1-in-10 day beside the pooled figures. A day is one
//! replication, or one day of a replication's chain of `days`.
//!
//! The 1-in-10 day of a figure sorts the days worst first and takes the
//! ⌈n/10⌉-th: on at least 1 day in 10 the figure was that bad or worse. For
//! service level (higher is better) it is the 10th-percentile day (`p10_day`);
//! for abandon rate and the p95 hold (lower is better), the 90th (`p90_day`).
//! Days on which no call reached a queue have no such figure and are left out.

use indexmap::IndexMap;
use serde::Serialize;

use super::collect::{Runs, ServiceCounts};
use super::metric::{DayPick, Metric};
use super::r6;
use super::ratio;
use crate::scenario::Scenario;

/// One simulated day's figures: replication `replication`, day `day` of its chain.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayFigures {
    pub replication: u32,
    /// 0-based day of the replication's chain (always 0 without `days`).
    pub day: u32,
    #[serde(flatten)]
    pub figures: DayCounts,
    /// The same, per caller type (only when the design has several).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub by_caller: IndexMap<String, DayCounts>,
}

/// What a day's callers lived through.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayCounts {
    /// Calls offered that day (dialed that day, redials included).
    pub calls: u64,
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    /// Hold per call that reached a queue, in seconds.
    pub wait: DayWait,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayWait {
    pub p95: Option<f64>,
    pub max: Option<f64>,
}

impl DayCounts {
    fn of<C: ServiceCounts>(calls: u64, c: &C) -> DayCounts {
        DayCounts {
            calls,
            service_level: ratio(c.answered_within(), c.reached_queue()).map(r6),
            abandon_rate: ratio(c.abandoned_queue(), c.reached_queue()).map(r6),
            wait: DayWait { p95: c.wait().quantile(0.95).map(r6), max: c.wait().max_secs().map(r6) },
        }
    }
}

/// The worst day and the 1-in-10 day of the figures that matter most, for
/// one caller type or all callers: beside the pooled figures in the report.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DaySpread {
    /// Each figure's worst day (a figure may be worst on different days).
    pub worst_day: WorstDay,
    /// Service level on the 1-in-10 day: 10% of days were at or below it.
    pub p10_day: P10Day,
    /// Abandon rate and p95 hold on the 1-in-10 day: 10% of days were at or above them.
    pub p90_day: P90Day,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WorstDay {
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub wait: WaitP95,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct P10Day {
    pub service_level: Option<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct P90Day {
    pub abandon_rate: Option<f64>,
    pub wait: WaitP95,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WaitP95 {
    pub p95: Option<f64>,
}

/// Every simulated day, in replication order then day order.
pub fn by_day(sc: &Scenario, runs: &Runs) -> Vec<DayFigures> {
    let several = sc.callers.len() > 1;
    let mut out = Vec::new();
    for (r, rep) in runs.per_rep.iter().enumerate() {
        let replication = r as u32;
        if rep.day_count() == 0 {
            let all = rep.overall();
            let by_caller = if several {
                sc.callers
                    .iter()
                    .zip(&rep.by_caller)
                    .map(|(c, s)| (c.name.clone(), DayCounts::of(s.calls, s)))
                    .collect()
            } else {
                IndexMap::new()
            };
            out.push(DayFigures { replication, day: 0, figures: DayCounts::of(all.calls, &all), by_caller });
            continue;
        }
        for d in 0..rep.day_count() {
            let Some(all) = rep.day_all(d) else { continue };
            let by_caller = if several {
                sc.callers
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| rep.day_caller(d, i).map(|s| (c.name.clone(), DayCounts::of(s.calls, s))))
                    .collect()
            } else {
                IndexMap::new()
            };
            out.push(DayFigures { replication, day: d as u32, figures: DayCounts::of(all.calls, &all), by_caller });
        }
    }
    out
}

/// The value of a day figure (`worst_day.service_level`, ...) over the days
/// that measured it; `None` when none did or `m` is not a day figure.
pub fn day_metric(m: Metric, values: &[f64]) -> Option<f64> {
    let Metric::Day(pick, _) = m else { return None };
    let (worst, one_in_ten) = one_in_ten(values.to_vec(), m.higher_is_better());
    match pick {
        DayPick::Worst => worst,
        DayPick::OneInTen => one_in_ten,
    }
}

/// The value on the ⌈n/10⌉-th day, worst first, and the worst day's.
fn one_in_ten(mut values: Vec<f64>, higher_is_better: bool) -> (Option<f64>, Option<f64>) {
    values.sort_by(|a, b| if higher_is_better { a.total_cmp(b) } else { b.total_cmp(a) });
    let k = values.len().div_ceil(10);
    (values.first().copied(), k.checked_sub(1).and_then(|i| values.get(i).copied()))
}

impl DaySpread {
    /// From the days' figures of one caller type or all callers.
    pub fn of<'a>(days: impl Iterator<Item = &'a DayCounts> + Clone) -> DaySpread {
        let (sl_worst, sl_p10) = one_in_ten(days.clone().filter_map(|d| d.service_level).collect(), true);
        let (ab_worst, ab_p90) = one_in_ten(days.clone().filter_map(|d| d.abandon_rate).collect(), false);
        let (p95_worst, p95_p90) = one_in_ten(days.filter_map(|d| d.wait.p95).collect(), false);
        DaySpread {
            worst_day: WorstDay { service_level: sl_worst, abandon_rate: ab_worst, wait: WaitP95 { p95: p95_worst } },
            p10_day: P10Day { service_level: sl_p10 },
            p90_day: P90Day { abandon_rate: ab_p90, wait: WaitP95 { p95: p95_p90 } },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::one_in_ten;

    #[test]
    fn the_one_in_ten_day_is_the_ceil_n_over_10_th_worst() {
        let sl: Vec<f64> = (1..=20).map(|i| f64::from(i) / 20.0).collect();
        // 20 days: the 2nd lowest service level, the 2nd highest abandon rate.
        assert_eq!(one_in_ten(sl.clone(), true), (Some(0.05), Some(0.1)));
        assert_eq!(one_in_ten(sl, false), (Some(1.0), Some(0.95)));
        // Fewer than 10 days: the 1-in-10 day is the worst.
        assert_eq!(one_in_ten(vec![0.5, 0.7, 0.6], true), (Some(0.5), Some(0.5)));
        assert_eq!(one_in_ten(Vec::new(), true), (None, None));
    }
}
