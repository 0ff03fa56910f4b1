//! `shop state LOG --at 10:40`: the snapshot a call log gives for one moment
//! of one day — who was on hold (and for how long), who was in talk (with
//! which pool and agent, for how long), and how many first calls had arrived
//! per caller type — so intraday runs can be tried on any log.
//!
//! A log does not say which agents were idle or on a break, nor who was in
//! wrap-up: the snapshot leaves `agents` out (a run takes the plan's head
//! count at that moment). Callers still in the menu at that moment are not
//! carried over.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use super::snapshot::{InTalk, OnHold, Snapshot};
use crate::logs::record::{Ending, LoggedCall};
use crate::logs::schema::{LogSchema, ReadLog};
use crate::scenario::intervals::parse_clock;

/// Which moment of which day.
pub struct Moment<'a> {
    /// `--at`: a clock time `10:40` or an offset from the log's time 0 `2h40m`.
    pub at: &'a str,
    /// `--date`: `YYYY-MM-DD` (or `YYMMDD`) for dated logs, the replication for `shop` logs.
    pub date: Option<&'a str>,
    /// `--opens`: the clock time of a `shop` log's time 0 (the scenario's `opens`).
    pub opens: Option<&'a str>,
}

/// Builds the snapshot of `log` (read with `schema`, from `file`) at `m`,
/// with a note when that moment is outside the day's calls (an empty
/// snapshot, most likely not the moment meant).
pub fn snapshot(
    log: &ReadLog,
    schema: LogSchema,
    file: &str,
    m: &Moment,
) -> Result<(Snapshot, Option<String>), String> {
    let dated = schema != LogSchema::Shop;
    let (t, at) = moment(schema, m)?;
    let days = log.days();
    let day = match m.date {
        Some(d) if dated => crate::logs::schema::anonymous_bank::date(d.trim())
            .map_err(|s| format!("error: --date {d}: {}\n  help: write it 2026-03-02 (or 260302)", s.detail))?,
        Some(d) => {
            let rep: i64 = d.trim().parse().map_err(|_| {
                format!("error: --date {d}: a `shop` log's days are its replications: give a number, like --date 0")
            })?;
            rep * 366
        }
        None => *days.first().ok_or_else(|| format!("error: {file}: no usable calls"))?,
    };
    if !days.contains(&day) {
        let shown: Vec<String> = days.iter().take(10).map(|d| show_day(*d, dated)).collect();
        return Err(format!(
            "error: {file}: no calls on {}\n  help: the log's days: {}{}",
            show_day(day, dated),
            shown.join(", "),
            if days.len() > 10 { ", ..." } else { "" }
        ));
    }
    let mut s = Snapshot {
        at: Some(at),
        source: Some(format!("{file}, {} at {}", show_day(day, dated), m.at.trim())),
        ..Snapshot::default()
    };
    let mut arrived: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut arrived_rows: BTreeMap<&str, u64> = BTreeMap::new();
    // The day's first dial and last end: a moment outside them gets a note.
    let (mut first, mut last) = (f64::INFINITY, f64::NEG_INFINITY);
    for c in log.calls.iter().filter(|c| c.day == day) {
        (first, last) = (first.min(c.dial), last.max(c.end));
        if c.dial < t {
            match &c.customer {
                Some(id) => {
                    arrived.entry(&c.caller).or_default().insert(id);
                }
                None => *arrived_rows.entry(&c.caller).or_default() += 1,
            }
        }
        if let Some(h) = holding(c, t) {
            s.on_hold.push(h);
        }
        if let Some(talk) = talking(c, t) {
            s.in_talk.push(talk);
        }
    }
    let mut so_far: IndexMap<String, u64> = IndexMap::new();
    for (caller, ids) in arrived {
        *so_far.entry(caller.to_string()).or_default() += ids.len() as u64;
    }
    for (caller, n) in arrived_rows {
        *so_far.entry(caller.to_string()).or_default() += n;
    }
    so_far.sort_keys();
    s.arrived_so_far = so_far;
    s.on_hold.sort_by(|a, b| b.held.total_cmp(&a.held));
    let outside = first.is_finite() && (t < first || t >= last);
    let note = outside.then(|| {
        let clock = |x: f64| moment_text(schema, x);
        format!(
            "note: nobody was on hold or in talk at {} on {}: the day's calls run from {} to {}{}",
            m.at.trim(),
            show_day(day, dated),
            clock(first),
            clock(last),
            if dated { "" } else { " (from the opening)" }
        )
    });
    Ok((s, note))
}

/// A moment of the log's day as the log's users read it: a clock time for a
/// dated log (seconds from midnight), an offset from the opening for `shop`'s.
fn moment_text(schema: LogSchema, secs: f64) -> String {
    if schema == LogSchema::Shop {
        return crate::time::human_secs(secs);
    }
    let s = secs.max(0.0).round() as u64;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `t` in the log's seconds, and the snapshot's `at` as written.
fn moment(schema: LogSchema, m: &Moment) -> Result<(f64, String), String> {
    let text = m.at.trim();
    if text.contains(':') {
        let clock = f64::from(parse_clock(text).map_err(|e| format!("error: --at: {e}"))?);
        if schema != LogSchema::Shop {
            return Ok((clock, text.to_string()));
        }
        let Some(opens) = m.opens else {
            return Err(format!(
                "error: --at {text}: a `shop` log counts seconds from the opening, not from midnight\n  \
                 help: give the scenario's opening (--opens 08:00), or --at as an offset from it (--at 2h40m)"
            ));
        };
        let opens = f64::from(parse_clock(opens).map_err(|e| format!("error: --opens: {e}"))?);
        if clock < opens {
            return Err(format!("error: --at {text} is before the opening ({})", opens_text(m)));
        }
        return Ok((clock - opens, text.to_string()));
    }
    let secs = crate::scenario::units::parse_duration(text).map_err(|e| format!("error: --at: {e}"))?;
    if schema == LogSchema::Shop {
        return Ok((secs, text.to_string()));
    }
    Ok((secs, moment_text(schema, secs)))
}

fn opens_text(m: &Moment) -> String {
    m.opens.unwrap_or_default().trim().to_string()
}

fn show_day(day: i64, dated: bool) -> String {
    if dated {
        let (y, mo, d) = crate::logs::schema::anonymous_bank::civil_from_days(day);
        format!("{y:04}-{mo:02}-{d:02}")
    } else if day % 366 == 0 {
        format!("replication {}", day / 366)
    } else {
        format!("replication {} day {}", day / 366, day % 366 + 1)
    }
}

/// The call, if it was on hold at `t`: joined the queue after the menu, and
/// neither answered nor gone yet.
fn holding(c: &LoggedCall, t: f64) -> Option<OnHold> {
    c.wait?;
    let joined = c.dial + c.menu;
    let left = match (&c.service, c.ending) {
        (Some(s), _) => s.start,
        (None, Ending::HungUp | Ending::Other) => c.end,
        (None, _) => return None,
    };
    (joined <= t && t < left).then(|| OnHold {
        caller: c.caller.clone(),
        queue: c.queue.clone(),
        reason: None,
        priority: c.priority,
        held: crate::stats::r3(t - joined),
    })
}

/// The call, if an agent was talking to it at `t`.
fn talking(c: &LoggedCall, t: f64) -> Option<InTalk> {
    let s = c.service.as_ref()?;
    (s.start <= t && t < s.start + s.talk).then(|| InTalk {
        pool: c.pool.clone(),
        agent: s.server.clone(),
        caller: c.caller.clone(),
        reason: None,
        elapsed: crate::stats::r3(t - s.start),
        wrap_up: false,
    })
}
