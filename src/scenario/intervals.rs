//! The day cut into reporting intervals (`interval: 30m`), and their labels:
//! wall-clock times when the file says when the line `opens`, offsets from
//! the opening otherwise. The engine asks which interval an instant falls in;
//! reports ask for each interval's bounds and label.

use crate::time::{SimDuration, SimTime, TICKS_PER_SECOND};

/// At most this many intervals in a day: each holds a small summary per caller
/// type, so `interval: 1s` over a day is refused rather than simulated.
pub const MAX_INTERVALS: usize = 1000;

/// The reporting intervals of one day: `[k·length, min((k+1)·length, horizon))`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Intervals {
    pub length: SimDuration,
    pub horizon: SimDuration,
    /// Wall-clock time of time 0, in seconds after midnight (`opens: "08:00"`).
    pub opens: Option<u32>,
}

impl Intervals {
    /// How many intervals cover `[0, horizon)`; the last may be partial. At least one.
    pub fn count(&self) -> usize {
        let (len, h) = (self.length.0.max(1), self.horizon.0);
        (h.div_ceil(len) as usize).max(1)
    }

    /// The interval of an instant. Calls dialed at or after the horizon (redials
    /// of journeys under way) belong to the last interval.
    #[inline]
    pub fn index_of(&self, t: SimTime) -> usize {
        let k = (t.0 / self.length.0.max(1)) as usize;
        k.min(self.count() - 1)
    }

    /// The interval of an instant on a chain of `days` days: that of its time
    /// of day when days follow each other (intervals pool the same half-hour
    /// of every day), as the engine places calls.
    pub fn index_on_days(&self, t: SimTime, days: u32) -> usize {
        const DAY: u64 = 24 * 3600 * TICKS_PER_SECOND;
        self.index_of(if days > 1 { SimTime(t.0 % DAY) } else { t })
    }

    /// Start and end of interval `k`, the last one cut at the horizon.
    pub fn bounds(&self, k: usize) -> (SimTime, SimTime) {
        let from = self.length.0.saturating_mul(k as u64);
        let to = from.saturating_add(self.length.0).min(self.horizon.0.max(from));
        (SimTime(from), SimTime(to))
    }

    /// `10:00–10:30` with `opens`, `2h00–2h30` without.
    pub fn label(&self, k: usize) -> String {
        let (from, to) = self.bounds(k);
        format!("{}–{}", self.clock(from), self.clock(to))
    }

    /// A moment of the day in the labels' form (`10:30` with `opens`, `2h30`
    /// without); seconds only when not whole minutes.
    pub fn clock(&self, t: SimTime) -> String {
        let secs = t.0 / TICKS_PER_SECOND;
        let extra = if t.0.is_multiple_of(TICKS_PER_SECOND) {
            String::new()
        } else {
            format!(".{:06}", t.0 % TICKS_PER_SECOND)
        };
        match self.opens {
            Some(open) => {
                let wall = (u64::from(open) + secs) % 86_400;
                let (h, m, s) = (wall / 3600, wall / 60 % 60, wall % 60);
                if s == 0 && extra.is_empty() {
                    format!("{h:02}:{m:02}")
                } else {
                    format!("{h:02}:{m:02}:{s:02}{extra}")
                }
            }
            None => {
                let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
                if s == 0 && extra.is_empty() { format!("{h}h{m:02}") } else { format!("{h}h{m:02}m{s:02}{extra}s") }
            }
        }
    }
}

/// Parses a wall-clock time `HH:MM` (or `H:MM`, `HH:MM:SS`) into seconds after midnight.
pub fn parse_clock(text: &str) -> Result<u32, String> {
    let bad = || format!("`{text}` is not a time of day: write it as \"HH:MM\", e.g. \"08:00\" or \"13:30\"");
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || p.len() > 2) {
        return Err(bad());
    }
    let nums: Vec<u32> = parts.iter().map(|p| p.parse::<u32>().map_err(|_| bad())).collect::<Result<_, _>>()?;
    let (h, m, s) = (nums[0], nums[1], nums.get(2).copied().unwrap_or(0));
    if h > 23 || m > 59 || s > 59 {
        return Err(format!("`{text}` is not a time of day: hours 00–23, minutes and seconds 00–59"));
    }
    Ok(h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(len_min: u64, horizon_min: u64, opens: Option<u32>) -> Intervals {
        let m = |x: u64| SimDuration(x * 60 * TICKS_PER_SECOND);
        Intervals { length: m(len_min), horizon: m(horizon_min), opens }
    }

    #[test]
    fn labels_are_offsets_or_wall_clock_times() {
        let d = day(30, 8 * 60, None);
        assert_eq!(d.count(), 16);
        assert_eq!(d.label(4), "2h00–2h30");
        let d = day(30, 8 * 60, Some(8 * 3600));
        assert_eq!(d.label(4), "10:00–10:30");
        assert_eq!(d.label(15), "15:30–16:00");
        // Past midnight the clock wraps.
        assert_eq!(day(60, 6 * 60, Some(22 * 3600)).label(3), "01:00–02:00");
    }

    #[test]
    fn the_last_interval_may_be_partial_and_takes_calls_after_closing() {
        let d = day(30, 8 * 60 + 10, Some(8 * 3600));
        assert_eq!(d.count(), 17);
        assert_eq!(d.label(16), "16:00–16:10");
        assert_eq!(d.index_of(SimTime(10 * 3600 * TICKS_PER_SECOND)), 16);
        assert_eq!(d.index_of(SimTime(0)), 0);
        assert_eq!(d.index_of(SimTime(30 * 60 * TICKS_PER_SECOND)), 1);
        assert_eq!(d.index_of(SimTime(30 * 60 * TICKS_PER_SECOND - 1)), 0);
        // An interval longer than the day: one interval, the whole day.
        assert_eq!(day(600, 60, None).count(), 1);
        assert_eq!(day(600, 60, None).label(0), "0h00–1h00");
    }

    #[test]
    fn on_a_chain_of_days_an_instant_falls_in_its_time_of_day() {
        let d = day(30, 8 * 60, None);
        let at = |days: u64, mins: u64| SimTime((days * 24 * 60 + mins) * 60 * TICKS_PER_SECOND);
        assert_eq!(d.index_on_days(at(0, 75), 1), 2);
        assert_eq!(d.index_on_days(at(2, 75), 3), 2);
        // After closing, before the next day opens: the day's last interval.
        assert_eq!(d.index_on_days(at(1, 20 * 60), 3), 15);
        // A single day: later instants (redials after closing) stay in the last.
        assert_eq!(d.index_on_days(at(2, 75), 1), 15);
    }

    #[test]
    fn clock_times_parse() {
        assert_eq!(parse_clock("08:00"), Ok(8 * 3600));
        assert_eq!(parse_clock("8:30"), Ok(8 * 3600 + 1800));
        assert_eq!(parse_clock("23:59:30"), Ok(86_370));
        assert!(parse_clock("24:00").unwrap_err().contains("00–23"));
        assert!(parse_clock("8h").unwrap_err().contains("HH:MM"));
        assert!(parse_clock("08:5").is_ok());
        assert!(parse_clock("0800").is_err());
    }
}
