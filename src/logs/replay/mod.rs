//! A call log as the traffic of a design (`shop replay`, `compare`/`check
//! --traffic`): the log read twice, streamed. The first pass ([`scan`]) keeps
//! only what is small: the log's days (with the line of each day's last
//! call), its caller types and its earliest dial. The second
//! ([`for_each_day`]) hands over one day's calls at a time, as soon as the
//! line of that day's last call has been read, so memory holds one day's
//! calls however long the log is (a log whose days are interleaved holds the
//! days in progress; a note says so).
//!
//! `mapping` turns a day's logged calls into the engine's [`ReplayCall`]s for
//! one design; `run` simulates designs on the days.
//!
//! [`ReplayCall`]: crate::sim::replay::ReplayCall

pub mod mapping;
pub mod run;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::logs::record::{LoggedCall, Skipped};
use crate::logs::schema::{self, LogSchema};
use crate::scenario::Channel;

/// Which logged call a replayed one is: the traffic and how to read it.
#[derive(Clone, Debug)]
pub struct Traffic {
    pub log: PathBuf,
    /// The layout (`--schema`), or detected from the header.
    pub schema: Option<LogSchema>,
    /// `--map LOGTYPE=CALLER`, in the order given.
    pub map: Vec<(String, String)>,
    /// `--last N`: only the log's last N days.
    pub last: Option<usize>,
    /// `--redraw handle`: talk times from the design's pools, not the log.
    pub redraw_handle: bool,
    /// The day type the (first) design was fitted for (`# day type: NAME
    /// (Mon Tue)` in its file): a dated log's other days are not replayed.
    pub day_type: Option<(String, Vec<u8>)>,
}

/// One day of the log, from the first pass.
#[derive(Clone, Debug)]
pub struct LogDay {
    /// The log's day (days since 1970-01-01, or a `shop` log's replication × 366 + day).
    pub key: i64,
    pub weekday: Option<u8>,
    /// The line of the day's last usable call: the day is complete once it is read.
    pub last_line: u64,
    /// Usable calls of the day.
    pub calls: u64,
    /// Those calls per caller type of the log.
    pub types: BTreeMap<String, u64>,
    /// The day's earliest dial, on the log's clock (s).
    pub first_dial: f64,
}

/// What the first pass found.
#[derive(Debug)]
pub struct Scanned {
    pub schema: LogSchema,
    /// The days replayed (after `--last`), in the log's day order.
    pub days: Vec<LogDay>,
    /// Days of the log before `--last` kept the last ones.
    pub all_days: usize,
    /// Calls per caller type of the log, on the days replayed.
    pub types: BTreeMap<String, u64>,
    /// The channel of each caller type of the log (its first call's).
    pub channels: BTreeMap<String, Channel>,
    /// Earliest dial on the days replayed, on the log's clock (s).
    pub first_dial: f64,
    /// Rows read and rows skipped (with reasons).
    pub rows: u64,
    pub skipped: Skipped,
}

impl Scanned {
    /// Whether the log's times are clock times (time 0 is the design's `opens`).
    pub fn clock_log(&self) -> bool {
        self.schema == LogSchema::AnonymousBank
    }

    /// Calls replayed, over all days.
    pub fn calls(&self) -> u64 {
        self.days.iter().map(|d| d.calls).sum()
    }
}

/// The first pass: days, caller types, earliest dial. Errors (exit 2) name the
/// log: unreadable, not a log of the schema, no usable call, `--last` longer
/// than the log.
pub fn scan(t: &Traffic) -> Result<Scanned, String> {
    let schema = match t.schema {
        Some(s) => s,
        None => schema::detect(&t.log)?,
    };
    let mut days: BTreeMap<i64, LogDay> = BTreeMap::new();
    let mut channels: BTreeMap<String, Channel> = BTreeMap::new();
    let read = schema::stream(&t.log, schema, |c| {
        if !channels.contains_key(&c.caller) {
            channels.insert(c.caller.clone(), c.channel);
        }
        let d = days.entry(c.day).or_insert_with(|| LogDay {
            key: c.day,
            weekday: c.weekday,
            last_line: 0,
            calls: 0,
            types: BTreeMap::new(),
            first_dial: f64::INFINITY,
        });
        d.last_line = d.last_line.max(c.line);
        d.calls += 1;
        d.first_dial = d.first_dial.min(c.dial);
        match d.types.get_mut(&c.caller) {
            Some(n) => *n += 1,
            None => {
                d.types.insert(c.caller, 1);
            }
        }
        Ok(())
    })?;
    let shown = t.log.display();
    if days.is_empty() {
        let mut msg = format!("error: {shown}: no usable call in {} rows", read.rows);
        for (r, c) in &read.skipped.by_reason {
            msg.push_str(&format!("\n  {} {}", c.rows, r.describe()));
        }
        return Err(msg);
    }
    let all_days = days.len();
    let mut days: Vec<LogDay> = days.into_values().collect();
    if let Some(n) = t.last {
        if n > all_days {
            return Err(format!("error: --last {n}d: {shown} has only {all_days} day(s)"));
        }
        days.drain(..all_days - n);
    }
    // A design fitted for a day type meets the log's days of that type only.
    if let Some((name, weekdays)) = &t.day_type {
        if days.iter().any(|d| d.weekday.is_some()) {
            days.retain(|d| d.weekday.is_some_and(|w| weekdays.contains(&w)));
            if days.is_empty() {
                return Err(format!(
                    "error: {shown}: no day of the scenario's day type `{name}`{}",
                    if t.last.is_some() { " among the days --last keeps" } else { "" }
                ));
            }
        }
    }
    let mut types: BTreeMap<String, u64> = BTreeMap::new();
    for d in &days {
        for (name, n) in &d.types {
            *types.entry(name.clone()).or_insert(0) += n;
        }
    }
    let first_dial = days.iter().map(|d| d.first_dial).fold(f64::INFINITY, f64::min);
    channels.retain(|name, _| types.contains_key(name));
    Ok(Scanned { schema, days, all_days, types, channels, first_dial, rows: read.rows, skipped: read.skipped })
}

/// A day's calls, handed over by [`for_each_day`].
pub struct DayCalls {
    /// 0-based among the days replayed (the report's `by_day` day).
    pub index: usize,
    pub key: i64,
    /// The day's usable calls, sorted by dial time (then line).
    pub calls: Vec<LoggedCall>,
}

/// The second pass: calls `each` with every replayed day's calls, as soon as
/// the day's last line has been read (in that order: a log sorted by day gives
/// its days in order, holding one at a time). Calls a note when days interleave.
pub fn for_each_day(
    t: &Traffic,
    scanned: &Scanned,
    mut each: impl FnMut(DayCalls) -> Result<(), String>,
    mut note: impl FnMut(String),
) -> Result<(), String> {
    let index: HashMap<i64, usize> = scanned.days.iter().enumerate().map(|(i, d)| (d.key, i)).collect();
    let mut open: BTreeMap<usize, Vec<LoggedCall>> = BTreeMap::new();
    let mut noted = false;
    schema::stream(&t.log, scanned.schema, |c| {
        let Some(&i) = index.get(&c.day) else { return Ok(()) };
        let line = c.line;
        open.entry(i).or_default().push(c);
        if open.len() > 2 && !noted {
            noted = true;
            note(format!(
                "note: {}: the calls of {} days are interleaved (line {line}): replay holds them all until each \
                 day's last call is read; a log sorted by day keeps memory to one day's calls",
                t.log.display(),
                open.len()
            ));
        }
        if line == scanned.days[i].last_line {
            let mut calls = open.remove(&i).unwrap_or_default();
            calls.sort_by(|a, b| a.dial.total_cmp(&b.dial).then(a.line.cmp(&b.line)));
            if scanned.schema != LogSchema::Shop {
                mark_redials(&mut calls);
            }
            each(DayCalls { index: i, key: scanned.days[i].key, calls })?;
        }
        Ok(())
    })?;
    // Every day ends at its last line; anything left means the file changed between the passes.
    if let Some((&i, _)) = open.iter().next() {
        return Err(format!(
            "error: {}: the log changed while it was read (day {} did not end where the first reading saw it end)",
            t.log.display(),
            scanned.days[i].key
        ));
    }
    Ok(())
}

/// How soon after an unanswered call a call of the same customer is its
/// redial, in a log that does not say (`fit --redial-window`'s default).
const REDIAL_WINDOW: f64 = 2.0 * 3600.0;

/// Marks the calls that redial an unanswered call of the same customer ended
/// at most [`REDIAL_WINDOW`] before (as `fit` tells them apart), within the day.
fn mark_redials(calls: &mut [LoggedCall]) {
    let mut types: Vec<String> = calls.iter().map(|c| c.caller.clone()).collect();
    types.sort_unstable();
    types.dedup();
    let (marks, _) = crate::logs::fit::arrivals::redials(calls, REDIAL_WINDOW, &types);
    for (c, redial) in calls.iter_mut().zip(marks) {
        c.redial |= redial;
    }
}

/// `--map LOGTYPE=CALLER` as given: the pairs, or an error naming the flag,
/// or the log type mapped twice (the last would silently win).
pub fn parse_map(items: &[String]) -> Result<Vec<(String, String)>, String> {
    let pairs: Vec<(String, String)> = items
        .iter()
        .map(|m| match m.split_once('=') {
            Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                Ok((a.trim().to_string(), b.trim().to_string()))
            }
            _ => Err(format!(
                "error: --map {m}: expected LOGTYPE=CALLER (a caller type of the log, `=`, a caller type of the scenario)"
            )),
        })
        .collect::<Result<_, _>>()?;
    for (i, (from, into)) in pairs.iter().enumerate() {
        if let Some((_, before)) = pairs[..i].iter().find(|(f, _)| f == from) {
            return Err(format!(
                "error: --map {from}={into}: the log's caller type `{from}` is already mapped (--map {from}={before}): \
                 each log type calls as one caller type"
            ));
        }
    }
    Ok(pairs)
}

/// The log's name, for messages.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}
