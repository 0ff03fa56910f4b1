//! `--schema anonymous-bank`: the public research log of a bank's call center,
//! one row per call: `vru+line, call_id, customer_id, priority, type, date,
//! vru_entry, vru_exit, vru_time, q_start, q_exit, q_time, outcome, ser_start,
//! ser_exit, ser_time, server`. Clock times `H:MM:SS`; `q_time` is 0 when the
//! call never queued; outcome `AGENT`, `HANG` or `PHANTOM`; `server` is
//! `NO_SERVER` when nobody answered. Dates `990101` or `1999-01-01`.

use super::{Columns, Schema};
use crate::logs::record::{Ending, LoggedCall, Service, Skip, SkipReason};

pub struct AnonymousBank;

impl Schema for AnonymousBank {
    const NAME: &'static str = "anonymous-bank";
    const REQUIRED: &'static [&'static str] = &[
        "type",
        "date",
        "vru_entry",
        "vru_exit",
        "q_start",
        "q_exit",
        "q_time",
        "outcome",
        "ser_start",
        "ser_exit",
        "server",
    ];

    fn parse(cols: &Columns, rec: &csv::StringRecord, line: u64) -> Result<LoggedCall, Skip> {
        let field = |name: &str| cols.get(rec, name);
        let outcome = field("outcome");
        match outcome.to_ascii_uppercase().as_str() {
            "AGENT" | "HANG" => {}
            "PHANTOM" => return Err(Skip::new(SkipReason::Phantom, "outcome PHANTOM")),
            _ => return Err(Skip::new(SkipReason::UnknownOutcome, format!("outcome `{outcome}`"))),
        }
        let served = outcome.eq_ignore_ascii_case("AGENT");
        let day = date(field("date"))?;
        let clock = |name: &str| clock(field(name), name);
        let caller = field("type");
        if caller.is_empty() {
            return Err(Skip::new(SkipReason::Malformed, "no caller type"));
        }
        let vru_entry = clock("vru_entry")?;
        let vru_exit = clock("vru_exit")?;
        let menu = span(vru_entry, vru_exit, "vru_entry", "vru_exit")?;
        let q_time = field("q_time")
            .parse::<f64>()
            .map_err(|_| Skip::new(SkipReason::Malformed, format!("q_time `{}` is not a number", field("q_time"))))?;
        if q_time < 0.0 {
            return Err(Skip::new(SkipReason::NegativeDuration, format!("q_time is {q_time}")));
        }
        let queued = q_time > 0.0;
        let wait = if queued {
            let (q_start, q_exit) = (clock("q_start")?, clock("q_exit")?);
            Some(span(q_start, q_exit, "q_start", "q_exit")?)
        } else {
            None
        };
        let mut end = vru_exit.max(vru_entry);
        let service = if served {
            let (s_start, s_exit) = (clock("ser_start")?, clock("ser_exit")?);
            let talk = span(s_start, s_exit, "ser_start", "ser_exit")?;
            end = end.max(s_exit);
            let server = Some(field("server")).filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("NO_SERVER"));
            Some(Service { start: s_start, talk, server: server.map(str::to_string), work: None })
        } else {
            None
        };
        if let (false, Some(w)) = (served, wait) {
            end = end.max(vru_exit + w);
        }
        let ending = match (served, queued) {
            (true, _) => Ending::Served,
            (false, true) => Ending::HungUp,
            (false, false) => Ending::InMenu,
        };
        let customer = Some(field("customer_id")).filter(|s| !s.is_empty() && *s != "0").map(str::to_string);
        let priority = field("priority").parse::<i32>().ok();
        Ok(LoggedCall {
            line,
            day,
            weekday: Some(weekday(day)),
            caller: caller.to_string(),
            channel: crate::scenario::Channel::Voice,
            told: None,
            reason: None,
            customer,
            priority,
            dial: vru_entry,
            menu,
            wait,
            ending,
            service,
            end,
            queue: None,
            pool: None,
            redial: false,
            apart: false,
            queued: None,
            left_on_hearing: false,
            hold: None,
            transfers: 0,
        })
    }
}

/// `end - start` for two clock times of one day; a call crossing midnight
/// (the end far earlier than the start) is told apart from a plain negative span.
fn span(start: f64, end: f64, from: &str, to: &str) -> Result<f64, Skip> {
    if end >= start {
        Ok(end - start)
    } else if start - end > 12.0 * 3600.0 {
        Err(Skip::new(
            SkipReason::PastMidnight,
            format!("{from} {} and {to} {}: crosses midnight", hms(start), hms(end)),
        ))
    } else {
        Err(Skip::new(SkipReason::NegativeDuration, format!("{to} {} is before {from} {}", hms(end), hms(start))))
    }
}

fn hms(s: f64) -> String {
    let s = s.round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
}

/// `H:MM:SS` (or `H:MM`) → seconds from midnight; 24:00:00 and later is past midnight.
pub fn clock(text: &str, column: &str) -> Result<f64, Skip> {
    let bad = || Skip::new(SkipReason::Malformed, format!("{column} `{text}` is not a time H:MM:SS"));
    let mut parts = text.split(':');
    let h: u32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let m: u32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let s: f64 = match parts.next() {
        Some(p) => p.parse().map_err(|_| bad())?,
        None => 0.0,
    };
    if parts.next().is_some() || m >= 60 || !(0.0..60.0).contains(&s) {
        return Err(bad());
    }
    if h >= 24 {
        return Err(Skip::new(SkipReason::PastMidnight, format!("{column} {text}")));
    }
    Ok(f64::from(h * 3600 + m * 60) + s)
}

/// `990101` (YYMMDD, 70–99 → 19xx) or `1999-01-01` → days since 1970-01-01.
pub fn date(text: &str) -> Result<i64, Skip> {
    let bad = || Skip::new(SkipReason::Malformed, format!("date `{text}` is neither YYMMDD nor YYYY-MM-DD"));
    let (y, m, d) = if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.parse().map_err(|_| bad())?;
        let yy = n / 10000;
        (if yy >= 70 { 1900 + yy } else { 2000 + yy }, (n / 100) % 100, n % 100)
    } else {
        let mut p = text.split('-');
        let mut num = || p.next().and_then(|x| x.parse::<i64>().ok()).ok_or_else(bad);
        (num()?, num()?, num()?)
    };
    if !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return Err(bad());
    }
    Ok(days_from_civil(y, m, d))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date back from [`days_from_civil`]: (year, month, day).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
pub fn weekday(day: i64) -> u8 {
    (day + 3).rem_euclid(7) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_date_forms_name_the_same_day() {
        assert_eq!(date("990101").ok().map(civil_from_days), Some((1999, 1, 1)));
        assert_eq!(date("1999-01-01").ok(), date("990101").ok());
        assert_eq!(weekday(date("1999-01-01").unwrap_or_default()), 4, "1999-01-01 was a Friday");
        assert!(date("991332").is_err());
    }

    #[test]
    fn clock_times_past_midnight_are_told_apart() {
        assert_eq!(clock("7:05:30", "x").ok(), Some(25_530.0));
        assert_eq!(clock("24:00:01", "x").err().map(|s| s.reason), Some(SkipReason::PastMidnight));
        assert_eq!(clock("7:5x", "x").err().map(|s| s.reason), Some(SkipReason::Malformed));
        assert_eq!(span(86_000.0, 100.0, "a", "b").err().map(|s| s.reason), Some(SkipReason::PastMidnight));
        assert_eq!(span(1000.0, 900.0, "a", "b").err().map(|s| s.reason), Some(SkipReason::NegativeDuration));
    }
}
