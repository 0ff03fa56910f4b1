//! Simulated time: integer microseconds, totally ordered, never NaN.
//!
//! Every sampled duration passes through [`SimDuration::from_secs_f64`], the one
//! place where floating point becomes simulated time.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Ticks of simulated time per second (one tick = 1 µs).
pub const TICKS_PER_SECOND: u64 = 1_000_000;

/// An instant on the simulated clock, in microseconds since the line opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A non-negative span of simulated time, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct SimDuration(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const NEVER: SimTime = SimTime(u64::MAX);

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / TICKS_PER_SECOND as f64
    }

    /// Time elapsed since `earlier`; zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

/// 2^63: below it a tick count converts through `i64` exactly as through `u64`.
const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0;

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);
    pub const INFINITE: SimDuration = SimDuration(u64::MAX);

    /// Converts seconds to simulated time, rounding to the tick.
    /// Negative and NaN values become zero; huge values saturate.
    pub fn from_secs_f64(seconds: f64) -> SimDuration {
        let ticks = seconds * TICKS_PER_SECOND as f64 + 0.5;
        if ticks.is_nan() || ticks < 1.0 {
            SimDuration::ZERO
        } else if ticks >= u64::MAX as f64 {
            SimDuration::INFINITE
        } else if ticks < I64_LIMIT {
            // Truncating x + 0.5 rounds half up for the positive values left here.
            // Below 2^63 through i64: the same integer, one instruction (x86-64 has
            // no direct conversion to u64) on the engine's hot path.
            SimDuration(ticks as i64 as u64)
        } else {
            SimDuration(ticks as u64)
        }
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / TICKS_PER_SECOND as f64
    }

    pub fn is_infinite(self) -> bool {
        self.0 == u64::MAX
    }

    pub fn saturating_sub(self, other: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(other.0))
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(d.0))
    }
}

impl AddAssign for SimDuration {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 = self.0.saturating_add(d.0);
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    fn sub(self, earlier: SimTime) -> SimDuration {
        self.since(earlier)
    }
}

/// The one human form of a duration in seconds, used by every report, message
/// and narration: `30s`, `45.2s`, `4m 05s`, `1m 59.7s`, `3h 59m`. Tenths of a
/// second below an hour (a tenth that is zero is not shown), minutes above.
/// Rounding is monotone, so a figure shown inside its interval stays inside.
pub fn human_secs(secs: f64) -> String {
    human_secs_tenth(secs, false)
}

/// Whether [`human_secs`] shows a tenth of a second for `secs` (`45.2s`, not `45s` or `1h 02m`).
fn shows_tenth(secs: f64) -> bool {
    let tenths = (secs.abs() * 10.0).round();
    secs.is_finite() && tenths < 36_000.0 && tenths % 10.0 != 0.0
}

/// The two bounds of an interval, `lo–hi`, each as [`human_secs`] shows it
/// but at one precision: when either shows a tenth of a second, both do
/// (`10m 10.8s–10m 30.0s`, not `10m 10.8s–10m 30s`).
pub fn human_interval(lo: f64, hi: f64) -> String {
    let (a, b) = human_pair(lo, hi);
    format!("{a}–{b}")
}

/// The two bounds of an interval, each as [`human_secs`] shows it but at one
/// precision (see [`human_interval`]), for a caller that joins them its own way.
pub fn human_pair(lo: f64, hi: f64) -> (String, String) {
    let tenth = shows_tenth(lo) || shows_tenth(hi);
    (human_secs_tenth(lo, tenth), human_secs_tenth(hi, tenth))
}

/// [`human_secs`], with a tenth that is zero shown (`30.0s`) when `tenth` is set.
fn human_secs_tenth(secs: f64, tenth: bool) -> String {
    if !secs.is_finite() {
        return if secs.is_nan() { "-".into() } else { "never".into() };
    }
    let tenths = (secs.abs() * 10.0).round() as u64;
    // A value that rounds to zero has no sign: `0s`, never `-0s`.
    let sign = if secs < 0.0 && tenths > 0 { "-" } else { "" };
    if tenths < 600 {
        let (s, d) = (tenths / 10, tenths % 10);
        return if d == 0 && !tenth { format!("{sign}{s}s") } else { format!("{sign}{s}.{d}s") };
    }
    if tenths < 36_000 {
        let (m, rem) = (tenths / 600, tenths % 600);
        let (s, d) = (rem / 10, rem % 10);
        return if d == 0 && !tenth { format!("{sign}{m}m {s:02}s") } else { format!("{sign}{m}m {s:02}.{d}s") };
    }
    let minutes = (secs.abs() / 60.0).round() as u64;
    format!("{sign}{}h {:02}m", minutes / 60, minutes % 60)
}

/// How a table cell shows a duration, as [`human_secs`] writes it (`45s`,
/// `45.2s`, `3m 05s`, `3m 05.2s`, `1h 02m`, signed), for a table that shows
/// one column at one precision ([`with_tenth`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShownDuration {
    /// Under an hour, with a tenth of a second.
    Tenth,
    /// Under an hour, without one (and not zero).
    Whole,
    /// `0s`: exact whatever the column's precision.
    Zero,
    /// An hour or more (`1h 02m`): to the minute.
    Hours,
}

/// What kind of duration `cell` is, or `None` when it is not one.
pub fn shown_duration(cell: &str) -> Option<ShownDuration> {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let body = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    if let Some((h, m)) = body.strip_suffix('m').and_then(|t| t.split_once("h ")) {
        return (digits(h) && m.len() == 2 && digits(m)).then_some(ShownDuration::Hours);
    }
    let body = body.strip_suffix('s')?;
    let secs = match body.split_once("m ") {
        Some((m, s)) if digits(m) && s.get(..2).is_some_and(digits) => s,
        Some(_) => return None,
        None => body,
    };
    match secs.split_once('.') {
        Some((s, d)) if digits(s) && d.len() == 1 && digits(d) => Some(ShownDuration::Tenth),
        Some(_) => None,
        None if digits(secs) && body == secs && secs.bytes().all(|b| b == b'0') => Some(ShownDuration::Zero),
        None if digits(secs) => Some(ShownDuration::Whole),
        None => None,
    }
}

/// `cell` (a [`ShownDuration::Whole`]) with its tenth shown: `24s` → `24.0s`,
/// `2m 00s` → `2m 00.0s`; any other cell unchanged.
pub fn with_tenth(cell: &str) -> String {
    match (shown_duration(cell), cell.strip_suffix('s')) {
        (Some(ShownDuration::Whole), Some(body)) => format!("{body}.0s"),
        _ => cell.to_string(),
    }
}

/// Shows the durations among `cells` at one precision, as a table's are:
/// those under an hour show a tenth of a second when one of them does
/// (`24.0s` beside `24.1s`, `2m 00.0s` beside `3m 37.5s`: not `24s` and
/// `2m 00s`, which read as rounded when they are not). Zero stays `0s`; a
/// cell is a duration only when all of it is one (or an interval `lo–hi` of
/// two, or `>` and one); other cells are left as they are.
pub fn one_precision<'a>(cells: impl IntoIterator<Item = &'a mut String>) {
    let cells: Vec<&mut String> = cells.into_iter().collect();
    let parts = |v: &str| -> Option<Vec<ShownDuration>> {
        v.strip_prefix('>').unwrap_or(v).split('–').map(shown_duration).collect()
    };
    let kinds: Vec<ShownDuration> = cells.iter().filter_map(|v| parts(v)).flatten().collect();
    if !(kinds.contains(&ShownDuration::Tenth) && kinds.contains(&ShownDuration::Whole)) {
        return;
    }
    for v in cells {
        if parts(v).is_some() {
            let (gt, body) = match v.strip_prefix('>') {
                Some(b) => (">", b),
                None => ("", v.as_str()),
            };
            *v = format!("{gt}{}", body.split('–').map(with_tenth).collect::<Vec<_>>().join("–"));
        }
    }
}

impl fmt::Display for SimDuration {
    /// [`human_secs`]: `45.2s`, `3m 20s`, `1h 02m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_infinite() {
            return f.write_str("never");
        }
        f.write_str(&human_secs(self.as_secs_f64()))
    }
}

impl fmt::Display for SimTime {
    /// Clock form: `02:15:07.3` (hours since opening).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.as_secs_f64() * 10.0).round() as u64;
        let (h, rem) = (tenths / 36_000, tenths % 36_000);
        let (m, rem) = (rem / 600, rem % 600);
        write!(f, "{h:02}:{m:02}:{:02}.{}", rem / 10, rem % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_are_read_as_the_durations_human_secs_writes() {
        use ShownDuration::*;
        for (cell, kind) in [
            ("24s", Some(Whole)),
            ("24.1s", Some(Tenth)),
            ("2m 00s", Some(Whole)),
            ("-3m 37.5s", Some(Tenth)),
            ("+2m 05s", Some(Whole)),
            ("0s", Some(Zero)),
            ("1h 16m", Some(Hours)),
            ("12", None),
            ("5.1%", None),
            ("08:00–08:30", None),
            ("0h00", None),
            ("never", None),
            ("2m 0s", None),
            ("s", None),
            ("2m →5s", None),
            ("2m 5→s", None),
        ] {
            assert_eq!(shown_duration(cell), kind, "{cell}");
        }
        for secs in [0.0, 0.04, 24.0, 24.1, 120.0, 217.5, 3599.0, 4000.0, -61.0] {
            assert!(shown_duration(&human_secs(secs)).is_some(), "{secs}");
        }
        assert_eq!(with_tenth("24s"), "24.0s");
        assert_eq!(with_tenth("-2m 00s"), "-2m 00.0s");
        assert_eq!(with_tenth("0s"), "0s");
        assert_eq!(with_tenth("1h 02m"), "1h 02m");
        assert_eq!(with_tenth("24.1s"), "24.1s");
    }

    #[test]
    fn seconds_round_trip_to_the_microsecond() {
        assert_eq!(SimDuration::from_secs_f64(1.5).0, 1_500_000);
        assert_eq!(SimDuration::from_secs_f64(-3.0), SimDuration::ZERO);
        assert_eq!(SimDuration::from_secs_f64(f64::NAN), SimDuration::ZERO);
        assert!(SimDuration::from_secs_f64(f64::INFINITY).is_infinite());
    }

    #[test]
    fn ticks_convert_the_same_either_side_of_two_to_the_63() {
        // The fast conversion through i64 below 2^63 gives what `as u64` gives.
        let mut x: u64 = 7;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let secs = f64::from_bits((x >> 12) | 0x3ff0_0000_0000_0000) * 2f64.powi((x % 64) as i32 - 20);
            let ticks = secs * TICKS_PER_SECOND as f64 + 0.5;
            let want = if ticks < 1.0 {
                0
            } else if ticks >= u64::MAX as f64 {
                u64::MAX
            } else {
                ticks as u64
            };
            assert_eq!(SimDuration::from_secs_f64(secs).0, want, "{secs}");
        }
        // 2^63 ticks is 9,223,372,036,854.775808 s: values on both sides of it.
        for secs in [9.2e12, 9.223_372_036_854e12, 9.223_372_036_855e12, 1.2e13, 1.8e13] {
            let ticks = secs * TICKS_PER_SECOND as f64 + 0.5;
            let want = if ticks >= u64::MAX as f64 { u64::MAX } else { ticks as u64 };
            assert_eq!(SimDuration::from_secs_f64(secs).0, want, "{secs}");
        }
    }

    #[test]
    fn clock_and_span_formats_are_readable() {
        assert_eq!(SimTime(3_725_300_000).to_string(), "01:02:05.3");
        assert_eq!(SimDuration(200_000_000).to_string(), "3m 20s");
        assert_eq!(SimDuration(45_200_000).to_string(), "45.2s");
    }

    #[test]
    fn one_human_form_for_every_duration() {
        assert_eq!(human_secs(30.0), "30s");
        assert_eq!(human_secs(119.7), "1m 59.7s");
        assert_eq!(human_secs(245.0), "4m 05s");
        assert_eq!(human_secs(14341.0), "3h 59m");
        assert_eq!(human_secs(-12.0), "-12s");
        assert_eq!(human_secs(-0.04), "0s");
        assert_eq!(human_secs(59.96), "1m 00s");
    }

    #[test]
    fn both_bounds_of_an_interval_show_the_same_precision() {
        assert_eq!(human_interval(610.8, 630.0), "10m 10.8s–10m 30.0s");
        assert_eq!(human_interval(30.0, 45.2), "30.0s–45.2s");
        assert_eq!(human_interval(30.0, 45.0), "30s–45s");
        assert_eq!(human_interval(12.3, 45.6), "12.3s–45.6s");
        // An hour or more has no tenths: the other bound keeps its own.
        assert_eq!(human_interval(3599.0, 3660.0), "59m 59s–1h 01m");
        assert_eq!(human_interval(3500.5, 3660.0), "58m 20.5s–1h 01m");
        assert_eq!(human_interval(-0.04, 2.5), "0.0s–2.5s");
        assert_eq!(human_pair(-87.1, 108.0), ("-1m 27.1s".to_string(), "1m 48.0s".to_string()));
    }
}
