//! `shop forecast LOG`: calls per day and interval for the next days, from a
//! call log. The daily volumes are smoothed by Holt–Winters (level, additive
//! trend, weekly multiplicative season: [`holt_winters`]); each day type (the
//! weekday, for dated logs) has its own intraday profile, the share of the
//! day's calls in each interval over the fitted days. The last days can be
//! held out and forecast from the others, beside the seasonal-naive forecast
//! (the same weekday of the last week fitted), so a planner sees whether the
//! method earns its keep; the residual spread becomes a `volume_spread`.

pub mod holt_winters;
pub mod report;

use serde::Serialize;

use crate::logs::record::LoggedCall;
use crate::logs::schema::anonymous_bank::{civil_from_days, weekday};

pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// What to forecast.
#[derive(Clone, Debug)]
pub struct Options {
    /// Interval length, seconds (divides a day).
    pub interval: f64,
    /// Days held out; `None`: 7 when the log has at least three weeks, else none.
    pub holdout: Option<usize>,
    /// Days forecast after the log's last.
    pub horizon: usize,
}

/// The log's calls counted by day and interval: the days from the first to
/// the last (a dated log's calendar days, missing ones counted as 0 calls; a
/// `shop` log's days in order).
#[derive(Clone, Debug)]
pub struct Series {
    /// Day numbers (days since 1970-01-01, or a `shop` log's day).
    pub days: Vec<i64>,
    pub dated: bool,
    /// Calls per day and interval of the day.
    pub counts: Vec<Vec<u32>>,
    /// Interval length, seconds.
    pub interval: f64,
}

impl Series {
    pub fn new(calls: &[LoggedCall], interval: f64) -> Series {
        let dated = calls.iter().all(|c| c.weekday.is_some());
        let slots = (86_400.0 / interval).round() as usize;
        let mut seen: Vec<i64> = calls.iter().map(|c| c.day).collect();
        seen.sort_unstable();
        seen.dedup();
        let days: Vec<i64> = match (dated, seen.first(), seen.last()) {
            (true, Some(&a), Some(&b)) => (a..=b).collect(),
            _ => seen,
        };
        let mut counts = vec![vec![0u32; slots]; days.len()];
        for c in calls {
            if let Ok(d) = days.binary_search(&c.day) {
                let k = ((c.dial / interval) as usize).min(slots - 1);
                counts[d][k] += 1;
            }
        }
        // A `shop` log's days are its replications (and their chained days) in
        // order, keyed replication × 366 + day: shown as day 0, 1, 2, …
        let days = if dated { days } else { (0..days.len() as i64).collect() };
        Series { days, dated, counts, interval }
    }

    pub fn totals(&self) -> Vec<f64> {
        self.counts.iter().map(|d| f64::from(d.iter().sum::<u32>())).collect()
    }

    /// The day type of day `d`: its weekday (0 = Monday), or 0 for an undated log.
    pub fn day_type(&self, day: i64) -> usize {
        if self.dated { usize::from(weekday(day)) } else { 0 }
    }

    /// Season length: a week for dated logs, none for a `shop` log's days.
    pub fn period(&self) -> usize {
        if self.dated { 7 } else { 1 }
    }

    /// The share of a day's calls in each interval, per day type, over days `range`.
    fn profiles(&self, range: std::ops::Range<usize>) -> Vec<Vec<f64>> {
        let types = if self.dated { 7 } else { 1 };
        let slots = self.counts.first().map_or(0, Vec::len);
        let mut sums = vec![vec![0.0; slots]; types];
        for d in range {
            let t = self.day_type(self.days[d]);
            for (k, n) in self.counts[d].iter().enumerate() {
                sums[t][k] += f64::from(*n);
            }
        }
        for s in &mut sums {
            let total: f64 = s.iter().sum();
            if total > 0.0 {
                s.iter_mut().for_each(|x| *x /= total);
            }
        }
        sums
    }

    /// "1999-01-31" for a dated log, "day 12" for a `shop` log.
    pub fn label(&self, day: i64) -> String {
        if self.dated {
            let (y, m, d) = civil_from_days(day);
            format!("{y:04}-{m:02}-{d:02}")
        } else {
            format!("day {day}")
        }
    }
}

/// Errors of a held-out forecast against the days themselves.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Holdout {
    /// Days held out (the log's last), forecast from the days before them.
    pub days: usize,
    pub first: String,
    pub last: String,
    /// WAPE: Σ|forecast − actual| / Σ actual, of daily and of interval volumes.
    pub wape_daily: Option<f64>,
    pub wape_interval: Option<f64>,
    /// The same of the seasonal-naive forecast (each held-out day as the same
    /// weekday of the last week fitted; a `shop` log: the last day fitted).
    pub naive_wape_daily: Option<f64>,
    pub naive_wape_interval: Option<f64>,
}

/// One forecast day.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayForecast {
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekday: Option<&'static str>,
    pub calls: f64,
    /// Calls per interval of the day (from midnight), the day type's profile.
    pub intervals: Vec<f64>,
}

/// Everything `shop forecast` reports.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Forecast {
    pub method: String,
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    /// Interval length, seconds.
    pub interval: f64,
    pub days_in_log: usize,
    pub first_day: String,
    pub last_day: String,
    pub calls: u64,
    /// Mean calls per day type (weekday) over the log's days of that type.
    pub by_day_type: Vec<DayTypeVolume>,
    pub holdout: Option<Holdout>,
    /// Coefficient of variation of the days around their one-step-ahead
    /// forecasts beyond Poisson noise, the forecast's own error taken out
    /// (`Smoothed::calibrated_spread`): the `volume_spread` to simulate with.
    pub volume_spread: f64,
    pub next: Vec<DayForecast>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayTypeVolume {
    pub day_type: String,
    pub days: usize,
    pub mean_calls: f64,
}

fn r(x: f64) -> f64 {
    crate::stats::r6(x)
}

/// Σ|f − a| / Σ a; `None` when nothing was called.
fn wape(pairs: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (err, total) = pairs.fold((0.0, 0.0), |(e, t), (f, a)| (e + (f - a).abs(), t + a));
    (total > 0.0).then(|| r(err / total))
}

/// Forecasts from the series; the error says why it cannot.
pub fn forecast(s: &Series, o: &Options) -> Result<Forecast, String> {
    let y = s.totals();
    let period = s.period();
    let need = holt_winters::min_days(period);
    let n = y.len();
    if n < need {
        return Err(format!(
            "the log has {n} day(s); a forecast needs at least {need} ({} to set a weekly pattern and a trend)",
            if period > 1 { "two weeks" } else { "a few days" }
        ));
    }
    let held = match o.holdout {
        Some(h) => h,
        None if n >= 21 => 7,
        None => 0,
    };
    if held > 0 && n - held.min(n) < need {
        return Err(format!(
            "--holdout {held}d leaves {} day(s) to fit; a forecast needs at least {need}\n  help: hold out fewer days",
            n.saturating_sub(held)
        ));
    }
    let holdout = (held > 0).then(|| evaluate(s, &y, held));
    let fit = holt_winters::fit(&y, period).ok_or("too few days to fit")?;
    let profiles = s.profiles(0..n);
    let last = *s.days.last().ok_or("no days")?;
    let next = (1..=o.horizon)
        .map(|h| {
            let day = last + h as i64;
            let calls = fit.forecast(h);
            DayForecast {
                date: s.label(day),
                weekday: s.dated.then(|| WEEKDAYS[usize::from(weekday(day))]),
                calls: r(calls),
                intervals: profiles[s.day_type(day)].iter().map(|p| r(calls * p)).collect(),
            }
        })
        .collect();
    let types = if s.dated { 7 } else { 1 };
    let by_day_type = (0..types)
        .filter_map(|t| {
            let days: Vec<f64> = (0..n).filter(|&d| s.day_type(s.days[d]) == t).map(|d| y[d]).collect();
            (!days.is_empty()).then(|| DayTypeVolume {
                day_type: if s.dated { WEEKDAYS[t].to_string() } else { "every day".into() },
                days: days.len(),
                mean_calls: r(days.iter().sum::<f64>() / days.len() as f64),
            })
        })
        .collect();
    let method = if period > 1 {
        "Holt-Winters: level, additive trend, multiplicative weekly season (weights by least one-step squared error); \
         intraday profile per weekday"
    } else {
        "Holt: level and additive trend (the log's days have no dates, so no weekly season); one intraday profile"
    };
    Ok(Forecast {
        method: method.into(),
        alpha: fit.alpha,
        beta: fit.beta,
        gamma: fit.gamma,
        interval: s.interval,
        days_in_log: n,
        first_day: s.label(s.days[0]),
        last_day: s.label(last),
        calls: y.iter().sum::<f64>() as u64,
        by_day_type,
        holdout,
        volume_spread: r(fit.calibrated_spread(&y)),
        next,
    })
}

/// Forecasts the last `held` days from the ones before, and the seasonal-naive forecast beside.
fn evaluate(s: &Series, y: &[f64], held: usize) -> Holdout {
    let n = y.len();
    let cut = n - held;
    let period = s.period();
    let fit = holt_winters::fit(&y[..cut], period);
    let profiles = s.profiles(0..cut);
    // Seasonal naive: the same weekday of the last fitted week (undated: the last fitted day).
    let naive = |d: usize| cut - period + (d - cut) % period;
    let f = |d: usize| fit.as_ref().map_or(0.0, |f| f.forecast(d - cut + 1));
    let held_days = cut..n;
    let wape_daily = wape(held_days.clone().map(|d| (f(d), y[d])));
    let naive_wape_daily = wape(held_days.clone().map(|d| (y[naive(d)], y[d])));
    let intervals = |forecast: &dyn Fn(usize, usize) -> f64| {
        wape(
            held_days
                .clone()
                .flat_map(|d| {
                    s.counts[d].iter().enumerate().map(move |(k, a)| (k, d, f64::from(*a))).collect::<Vec<_>>()
                })
                .map(|(k, d, a)| (forecast(d, k), a)),
        )
    };
    let wape_interval = intervals(&|d, k| f(d) * profiles[s.day_type(s.days[d])][k]);
    let naive_wape_interval = intervals(&|d, k| f64::from(s.counts[naive(d)][k]));
    Holdout {
        days: held,
        first: s.label(s.days[cut]),
        last: s.label(s.days[n - 1]),
        wape_daily,
        wape_interval,
        naive_wape_daily,
        naive_wape_interval,
    }
}
