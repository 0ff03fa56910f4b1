//! Day types: the log's days grouped by day of week, weekdays whose volumes
//! and intraday profiles do not differ merged into one type (weekdays /
//! Friday / Saturday), and the level of the arrivals when the log trends.
//!
//! **The merging rule.** Weekdays are taken busiest first (mean calls per
//! day). Each joins the first type already formed that it does not differ
//! from, or starts a type of its own. A weekday differs from a type when
//! - its mean daily calls differ from the type's by more than 15% **and**
//!   the difference is significant (Welch's t above 2, each side's daily
//!   variance at least Poisson's: with one day of each, the counts' own noise);
//! - or its intraday profile (the share of the day's calls in each interval)
//!   differs from the type's by more than 0.10 in total variation distance
//!   (half the sum of the absolute differences of the shares) **and** the
//!   difference is significant (chi-square test of homogeneity of the two
//!   pooled interval counts, p < 0.01).
//!
//! A difference must be both large (a planner would staff the days
//! differently) and real (not the noise of a few days) to split: a small log
//! keeps its days together; a month of a bank's log splits Friday (a third of
//! a weekday's calls) and Saturday (a tenth) off.
//!
//! Logs without dates (`shop run --log`: replications, chained days) have no
//! weekdays: all their days are one type.
//!
//! **The level.** Each day's calls over its type's mean is regressed on the
//! day's date (one relative trend for the whole log, all types together: a
//! month holds only four Saturdays). When the slope is significant (|t| > 3,
//! at least 7 days), the fitted arrivals are scaled from the type's mean day to
//! the trend's value on the last day fitted: the arrivals follow the recent
//! days. Without a significant trend, the mean over the type's days stands.

use std::collections::BTreeMap;

use serde::Serialize;
use statrs::function::gamma::gamma_ur;

use crate::logs::record::LoggedCall;

/// Monday first, as `LoggedCall::weekday` counts.
pub const SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Mean daily calls differing by more than this share may split two weekdays.
pub const VOLUME_SHARE: f64 = 0.15;
/// Intraday profiles differing by more than this total variation distance may split.
pub const PROFILE_DISTANCE: f64 = 0.10;
/// Welch's t beyond which a volume difference is real.
const VOLUME_T: f64 = 2.0;
/// The chi-square test's level for a profile difference.
const PROFILE_P: f64 = 0.01;
/// The trend's t beyond which the level follows it, and the days it needs.
const TREND_T: f64 = 3.0;
const TREND_DAYS: usize = 7;

/// One type of day.
#[derive(Clone, Debug, Serialize)]
pub struct DayType {
    /// `weekdays`, `friday`, `sat-sun`, ...; `all days` for a log without dates.
    pub name: String,
    /// 0 = Monday; empty for a log without dates (every day).
    pub weekdays: Vec<u8>,
    /// The log's days of this type.
    pub days: Vec<i64>,
    /// Mean calls per day (redials included).
    pub mean_calls: f64,
}

impl DayType {
    /// `Sun Mon Tue Wed Thu`, in the week's order starting from the first listed.
    pub fn weekday_list(&self) -> String {
        if self.weekdays.is_empty() {
            return "every day".into();
        }
        self.weekdays.iter().map(|&w| SHORT[w as usize % 7]).collect::<Vec<_>>().join(" ")
    }

    /// The line the written scenario carries (`backtest` reads it back):
    /// `weekdays (Mon Tue Wed Thu)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.weekday_list())
    }

    pub fn holds(&self, c: &LoggedCall) -> bool {
        self.weekdays.is_empty() || c.weekday.is_some_and(|w| self.weekdays.contains(&w))
    }
}

/// The comment line of a scenario fitted for a day type.
pub const COMMENT: &str = "# day type: ";

/// The weekdays named by a scenario's `# day type: NAME (Mon Tue)` line, if any.
pub fn weekdays_of_scenario(text: &str) -> Option<(String, Vec<u8>)> {
    let line = text.lines().find_map(|l| l.strip_prefix(COMMENT))?;
    let (name, rest) = line.split_once('(')?;
    let list = rest.split(')').next()?;
    let days: Vec<u8> = list
        .split_whitespace()
        .filter_map(|d| SHORT.iter().position(|s| s.eq_ignore_ascii_case(d)).map(|i| i as u8))
        .collect();
    (!days.is_empty()).then(|| (name.trim().to_string(), days))
}

/// Calls of one weekday (or of a type): per day, and per interval over its days.
#[derive(Clone, Debug, Default)]
struct Volume {
    daily: Vec<f64>,
    by_interval: Vec<f64>,
}

impl Volume {
    fn mean(&self) -> f64 {
        self.daily.iter().sum::<f64>() / self.daily.len().max(1) as f64
    }

    /// Sample variance of the daily calls, at least the mean (Poisson).
    fn var(&self) -> f64 {
        let n = self.daily.len();
        let m = self.mean();
        let sample = if n > 1 { self.daily.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64 } else { 0.0 };
        sample.max(m)
    }

    fn add(&mut self, other: &Volume) {
        self.daily.extend_from_slice(&other.daily);
        if self.by_interval.len() < other.by_interval.len() {
            self.by_interval.resize(other.by_interval.len(), 0.0);
        }
        for (a, b) in self.by_interval.iter_mut().zip(&other.by_interval) {
            *a += b;
        }
    }
}

/// Whether two volumes differ by the rule in the module's documentation.
fn differ(a: &Volume, b: &Volume) -> bool {
    let (ma, mb) = (a.mean(), b.mean());
    let big = ma.max(mb);
    if big <= 0.0 {
        return false;
    }
    let se = (a.var() / a.daily.len().max(1) as f64 + b.var() / b.daily.len().max(1) as f64).sqrt();
    let t = (ma - mb).abs() / se.max(1e-9);
    if (ma - mb).abs() > VOLUME_SHARE * big && t > VOLUME_T {
        return true;
    }
    let (ta, tb) = (a.by_interval.iter().sum::<f64>(), b.by_interval.iter().sum::<f64>());
    if ta <= 0.0 || tb <= 0.0 {
        return false;
    }
    let n = a.by_interval.len().max(b.by_interval.len());
    let at = |v: &Vec<f64>, k: usize| v.get(k).copied().unwrap_or(0.0);
    let tv = 0.5 * (0..n).map(|k| (at(&a.by_interval, k) / ta - at(&b.by_interval, k) / tb).abs()).sum::<f64>();
    if tv <= PROFILE_DISTANCE {
        return false;
    }
    // Chi-square homogeneity of the 2 × n table (intervals with no call left out).
    let total = ta + tb;
    let (mut chi2, mut cells) = (0.0, 0usize);
    for k in 0..n {
        let col = at(&a.by_interval, k) + at(&b.by_interval, k);
        if col <= 0.0 {
            continue;
        }
        cells += 1;
        for (obs, side) in [(at(&a.by_interval, k), ta), (at(&b.by_interval, k), tb)] {
            let expected = col * side / total;
            chi2 += (obs - expected).powi(2) / expected;
        }
    }
    let df = cells.saturating_sub(1);
    df > 0 && gamma_ur(df as f64 / 2.0, chi2 / 2.0) < PROFILE_P
}

/// A type's name from its weekdays.
fn name_of(weekdays: &[u8]) -> String {
    match weekdays {
        [w] => LONG[*w as usize % 7].to_string(),
        w if w.len() >= 4 => "weekdays".into(),
        w => w.iter().map(|&d| SHORT[d as usize % 7].to_ascii_lowercase()).collect::<Vec<_>>().join("-"),
    }
}

/// The log's day types, busiest first. `interval` (s) cuts the profiles.
pub fn find(calls: &[LoggedCall], interval: f64) -> Vec<DayType> {
    let mut per_day: BTreeMap<i64, (Option<u8>, Vec<f64>)> = BTreeMap::new();
    for c in calls {
        let e = per_day.entry(c.day).or_insert((c.weekday, Vec::new()));
        let k = (c.dial / interval).floor().max(0.0) as usize;
        if e.1.len() <= k {
            e.1.resize(k + 1, 0.0);
        }
        e.1[k] += 1.0;
    }
    if per_day.values().any(|(w, _)| w.is_none()) || per_day.is_empty() {
        let days: Vec<i64> = per_day.keys().copied().collect();
        let mean_calls = calls.len() as f64 / days.len().max(1) as f64;
        return vec![DayType { name: "all days".into(), weekdays: Vec::new(), days, mean_calls }];
    }
    let mut by_weekday: BTreeMap<u8, (Vec<i64>, Volume)> = BTreeMap::new();
    for (day, (w, counts)) in &per_day {
        let e = by_weekday.entry(w.unwrap_or(0)).or_default();
        e.0.push(*day);
        e.1.add(&Volume { daily: vec![counts.iter().sum()], by_interval: counts.clone() });
    }
    let mut order: Vec<u8> = by_weekday.keys().copied().collect();
    order.sort_by(|a, b| by_weekday[b].1.mean().total_cmp(&by_weekday[a].1.mean()).then(a.cmp(b)));
    let mut types: Vec<(Vec<u8>, Vec<i64>, Volume)> = Vec::new();
    for w in order {
        let (days, vol) = &by_weekday[&w];
        match types.iter_mut().find(|t| !differ(&t.2, vol)) {
            Some(t) => {
                t.0.push(w);
                t.1.extend_from_slice(days);
                t.2.add(vol);
            }
            None => types.push((vec![w], days.clone(), vol.clone())),
        }
    }
    let mut out: Vec<DayType> = types
        .into_iter()
        .map(|(mut weekdays, mut days, vol)| {
            weekdays.sort_unstable();
            days.sort_unstable();
            DayType { name: name_of(&weekdays), weekdays, days, mean_calls: vol.mean() }
        })
        .collect();
    out.sort_by(|a, b| b.mean_calls.total_cmp(&a.mean_calls));
    // Two types of one name (two separate pairs): the second gets its days.
    for i in 1..out.len() {
        if out[..i].iter().any(|t| t.name == out[i].name) {
            out[i].name =
                out[i].weekdays.iter().map(|&d| SHORT[d as usize].to_ascii_lowercase()).collect::<Vec<_>>().join("-");
        }
    }
    out
}

/// The arrival level of a type when the log trends.
#[derive(Clone, Debug, Serialize)]
pub struct Trend {
    /// Relative change of the daily calls per day (−0.01 = 1% fewer each day).
    pub per_day: f64,
    /// Its t statistic.
    pub t: f64,
    /// Days the regression saw.
    pub days: usize,
    /// The arrivals' scale: the trend's value on the last day fitted over the
    /// type's mean day (1 when the trend is not significant).
    pub scale: f64,
    /// Whether the scale is applied (the trend is significant).
    pub applied: bool,
}

/// The relative trend of the daily calls of a dated log (see the module's
/// documentation), for the arrivals of `types`; `None` for a log without
/// dates or with too few days.
pub fn trend(calls: &[LoggedCall], types: &[DayType]) -> Option<Trend> {
    if types.iter().any(|t| t.weekdays.is_empty()) {
        return None;
    }
    let mut totals: BTreeMap<i64, f64> = BTreeMap::new();
    for c in calls {
        *totals.entry(c.day).or_default() += 1.0;
    }
    let points: Vec<(f64, f64)> = totals
        .iter()
        .filter_map(|(d, n)| {
            let t = types.iter().find(|t| t.days.contains(d))?;
            (t.mean_calls > 0.0).then(|| (*d as f64, n / t.mean_calls))
        })
        .collect();
    let n = points.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = points.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx;
    let resid: f64 = points.iter().map(|p| (p.1 - my - slope * (p.0 - mx)).powi(2)).sum();
    let se = (resid / (nf - 2.0).max(1.0) / sxx).sqrt();
    let t = if se > 0.0 { slope / se } else { 0.0 };
    let last = points.last().map_or(mx, |p| p.0);
    // The type's days average to 1 on the trend line at their mean date; the
    // last day's value over it is the scale (kept within a plausible range).
    let level = my + slope * (last - mx);
    let applied = t.abs() > TREND_T && n >= TREND_DAYS && level > 0.0;
    let scale = if applied { (level / my).clamp(0.5, 2.0) } else { 1.0 };
    Some(Trend { per_day: slope / my.max(1e-9), t, days: n, scale, applied })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::record::Ending;

    fn call(day: i64, weekday: u8, dial: f64) -> LoggedCall {
        LoggedCall {
            line: 2,
            channel: crate::scenario::Channel::Voice,
            told: None,
            day,
            weekday: Some(weekday),
            caller: "c".into(),
            reason: None,
            customer: None,
            priority: None,
            dial,
            menu: 0.0,
            wait: None,
            ending: Ending::InMenu,
            service: None,
            end: dial,
            queue: None,
            pool: None,
            apart: false,
            queued: None,
            left_on_hearing: false,
            hold: None,
            transfers: 0,
            redial: false,
        }
    }

    /// Four weeks, Monday to Saturday: weekdays of ~400 calls (a morning
    /// peak), Friday of ~130, Saturday of ~40 (all in the morning).
    fn month(drift: f64) -> Vec<LoggedCall> {
        let mut out = Vec::new();
        let mut r = crate::sim::rng::CallerStream::new(5, 0, 0, 0);
        for week in 0..4 {
            for wd in 0..6u8 {
                let day = 10_000 + week * 7 + i64::from(wd);
                let base = match wd {
                    4 => 130.0,
                    5 => 40.0,
                    _ => 400.0,
                } * (1.0 + drift * (day - 10_000) as f64);
                let n = (base * (0.95 + 0.1 * r.unit())) as usize;
                for _ in 0..n {
                    let u = r.unit();
                    let dial =
                        if wd == 5 { 8.0 * 3600.0 + u * 4.0 * 3600.0 } else { 8.0 * 3600.0 + u * u * 10.0 * 3600.0 };
                    out.push(call(day, wd, dial));
                }
            }
        }
        out
    }

    #[test]
    fn weekdays_friday_and_saturday_are_told_apart() {
        let types = find(&month(0.0), 1800.0);
        let names: Vec<(&str, String)> = types.iter().map(|t| (t.name.as_str(), t.weekday_list())).collect();
        assert_eq!(
            names,
            [
                ("weekdays", "Mon Tue Wed Thu".to_string()),
                ("friday", "Fri".to_string()),
                ("saturday", "Sat".to_string())
            ]
        );
        assert_eq!(types[0].days.len(), 16);
        assert!((types[0].mean_calls - 400.0).abs() < 20.0, "{}", types[0].mean_calls);
        let line = format!("{COMMENT}{}", types[0].label());
        assert_eq!(weekdays_of_scenario(&line), Some(("weekdays".into(), vec![0, 1, 2, 3])));
    }

    #[test]
    fn a_flat_log_has_no_trend_and_a_drifting_one_is_followed() {
        let flat = month(0.0);
        let t = trend(&flat, &find(&flat, 1800.0)).unwrap();
        assert!(!t.applied && t.scale == 1.0, "{t:?}");
        // 1% fewer calls each day: the last day (27 days on) is ~14% under the mean.
        let down = month(-0.01);
        let t = trend(&down, &find(&down, 1800.0)).unwrap();
        assert!(t.applied, "{t:?}");
        assert!((t.scale - 0.84).abs() < 0.04, "{t:?}");
    }
}
