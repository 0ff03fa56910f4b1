//! Reading a call log: the delimiter is detected, the header checked for the
//! schema's columns (a file without them is not a log: exit 2, naming them),
//! and every row becomes a [`LoggedCall`] or a counted [`Skip`].

pub mod anonymous_bank;
pub mod shop;

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use crate::logs::record::{LoggedCall, Skip, SkipReason, Skipped};
use crate::scenario::Channel;

/// Everything read from a log.
#[derive(Debug, Default)]
pub struct ReadLog {
    pub calls: Vec<LoggedCall>,
    pub skipped: Skipped,
    /// Data rows seen (used and skipped).
    pub rows: u64,
    pub delimiter: char,
}

impl ReadLog {
    /// The distinct days of the log's calls, in order.
    pub fn days(&self) -> Vec<i64> {
        let set: std::collections::BTreeSet<i64> = self.calls.iter().map(|c| c.day).collect();
        set.into_iter().collect()
    }

    /// Splits off the calls of the log's last `n` days: the earlier calls stay,
    /// the last days' are returned. The days are the log's own (dates, or a
    /// `shop` log's replications), whichever calls they hold.
    pub fn split_last_days(&mut self, n: usize) -> Vec<LoggedCall> {
        let days = self.days();
        let Some(&first_kept_out) = days.len().checked_sub(n).and_then(|i| days.get(i)) else {
            return std::mem::take(&mut self.calls);
        };
        let (early, late) = std::mem::take(&mut self.calls).into_iter().partition(|c| c.day < first_kept_out);
        self.calls = early;
        late
    }
}

/// A number of days as a flag gives it: `7d` or `7`, at least 1.
pub fn parse_days(flag: &str, text: &str) -> Result<usize, String> {
    let t = text.trim();
    let n = t.strip_suffix('d').unwrap_or(t).trim();
    match n.parse::<usize>() {
        Ok(d) if d >= 1 => Ok(d),
        _ => Err(format!("--{flag} {text}: expected a number of days, like 7d or 7")),
    }
}

/// Column name → field index, names trimmed and lower-cased.
pub struct Columns {
    index: HashMap<String, usize>,
}

impl Columns {
    fn new(header: &csv::StringRecord) -> Self {
        let index = header.iter().enumerate().map(|(i, h)| (h.trim().to_ascii_lowercase(), i)).collect();
        Columns { index }
    }

    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The field of `name` in `rec`, trimmed; "" when the column or field is absent.
    pub fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> &'r str {
        self.index.get(name).and_then(|&i| rec.get(i)).map_or("", str::trim)
    }
}

/// A schema: its required columns and how one row becomes a call.
pub trait Schema {
    const NAME: &'static str;
    const REQUIRED: &'static [&'static str];
    fn parse(cols: &Columns, rec: &csv::StringRecord, line: u64) -> Result<LoggedCall, Skip>;
}

/// Reads `path` with `schema`. Errors (exit 2) name the file and what is wrong.
/// The call-log layouts `shop fit` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogSchema {
    /// What `shop run --log` writes.
    Shop,
    /// The public research log of a bank's call center.
    AnonymousBank,
}

impl LogSchema {
    /// The name `--schema` takes.
    pub fn name(self) -> &'static str {
        match self {
            LogSchema::Shop => shop::Shop::NAME,
            LogSchema::AnonymousBank => anonymous_bank::AnonymousBank::NAME,
        }
    }
}

pub fn read(path: &Path, schema: LogSchema) -> Result<ReadLog, String> {
    match schema {
        LogSchema::Shop => read_with::<shop::Shop>(path),
        LogSchema::AnonymousBank => read_with::<anonymous_bank::AnonymousBank>(path),
    }
}

/// The schema whose required columns `path`'s header has (`--schema`
/// omitted): the one with more of them (a partial header is then refused by
/// its reader, naming what is missing). An error names both layouts when it
/// has none of either's.
pub fn detect(path: &Path) -> Result<LogSchema, String> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("error: {shown}: cannot read it: {}", e.kind()))?;
    let mut first = Vec::new();
    BufReader::new(file)
        .read_until(b'\n', &mut first)
        .map_err(|e| format!("error: {shown}: cannot read it: {}", e.kind()))?;
    let text = String::from_utf8_lossy(&first);
    let delimiter = detect_delimiter(&text) as char;
    let names: Vec<String> =
        text.trim().split(delimiter).map(|h| h.trim().trim_matches('"').to_ascii_lowercase()).collect();
    let has = |req: &[&str]| req.iter().filter(|c| names.iter().any(|n| n == *c)).count();
    let (shop_has, bank_has) = (has(shop::Shop::REQUIRED), has(anonymous_bank::AnonymousBank::REQUIRED));
    // The layout with more of its columns present; a partial header is then
    // refused by that layout's reader, which names the columns it lacks.
    if shop_has > 0 && shop_has >= bank_has {
        Ok(LogSchema::Shop)
    } else if bank_has > 0 {
        Ok(LogSchema::AnonymousBank)
    } else {
        Err(format!(
            "error: {shown}: the header names neither a `shop` log's columns ({}) nor an `anonymous-bank` log's ({})\n  \
             help: the first line must name the columns; --schema shop|anonymous-bank says which layout to expect (see docs/call-logs.md)",
            shop::Shop::REQUIRED.join(", "),
            anonymous_bank::AnonymousBank::REQUIRED.join(", ")
        ))
    }
}

/// Tab when the header has more tabs than commas, else comma (or `;` when
/// it has neither).
fn detect_delimiter(header: &str) -> u8 {
    let count = |c: char| header.matches(c).count();
    let (tabs, commas, semis) = (count('\t'), count(','), count(';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if commas == 0 && semis > 0 {
        b';'
    } else {
        b','
    }
}

fn read_with<S: Schema>(path: &Path) -> Result<ReadLog, String> {
    let mut calls = Vec::new();
    let read = stream_with::<S>(path, Channels::Voice, |call| {
        calls.push(call);
        Ok(())
    })?;
    Ok(ReadLog { calls, ..read })
}

/// Reads `path` with `schema` row by row: `each` gets every usable call in
/// the file's order and may stop the reading with an error. The returned log
/// counts the rows and the skips but holds no call, so memory does not grow
/// with the file (`shop replay`).
pub fn stream(
    path: &Path,
    schema: LogSchema,
    each: impl FnMut(LoggedCall) -> Result<(), String>,
) -> Result<ReadLog, String> {
    match schema {
        LogSchema::Shop => stream_with::<shop::Shop>(path, Channels::All, each),
        LogSchema::AnonymousBank => stream_with::<anonymous_bank::AnonymousBank>(path, Channels::All, each),
    }
}

/// Which channels' rows a reading keeps: `fit`, `backtest`, `state` and
/// `forecast` model voice calls and count chat and email rows as skipped
/// ([`SkipReason::NotVoice`]); `replay` sends every channel through the design.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Channels {
    Voice,
    All,
}

/// The bytes the CSV reader has taken and no record has yet been placed
/// past, with the count of line feeds before them: the line a record starts
/// on, whatever ends the lines. (The `csv` crate places a record that follows
/// a `\r\n` before its `\n`, so its own line numbers are one short in files
/// from Windows, Excel or Python's `csv` module.)
#[derive(Default)]
struct Lines {
    /// Byte offset in the file of `bytes[0]`.
    base: u64,
    /// Line feeds before `base`.
    feeds: u64,
    bytes: VecDeque<u8>,
}

impl Lines {
    /// The line of a record the reader says starts at byte `at`: that of its
    /// first byte not ending a line. Forgets the bytes before `at` (records
    /// come in order).
    fn line_at(&mut self, at: u64) -> u64 {
        while self.base < at {
            let Some(b) = self.bytes.pop_front() else { break };
            self.feeds += u64::from(b == b'\n');
            self.base += 1;
        }
        let mut feeds = self.feeds;
        for &b in &self.bytes {
            match b {
                b'\n' => feeds += 1,
                b'\r' => {}
                _ => break,
            }
        }
        feeds + 1
    }
}

/// A reader that keeps what it hands the CSV reader in [`Lines`].
struct Tap<R> {
    inner: R,
    lines: Rc<RefCell<Lines>>,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines.borrow_mut().bytes.extend(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}

fn stream_with<S: Schema>(
    path: &Path,
    channels: Channels,
    mut each: impl FnMut(LoggedCall) -> Result<(), String>,
) -> Result<ReadLog, String> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("error: {shown}: cannot read it: {}", e.kind()))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut first = Vec::new();
    reader.read_until(b'\n', &mut first).map_err(|e| format!("error: {shown}: cannot read it: {}", e.kind()))?;
    let first_text = String::from_utf8_lossy(&first);
    if first_text.trim().is_empty() {
        return Err(format!("error: {shown}: the file is empty: a call log starts with a header row"));
    }
    let delimiter = detect_delimiter(&first_text);
    let lines = Rc::new(RefCell::new(Lines::default()));
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(Tap { inner: std::io::Cursor::new(first).chain(reader), lines: Rc::clone(&lines) });
    let header = csv.headers().map_err(|e| format!("error: {shown}: the header row does not read: {e}"))?.clone();
    let cols = Columns::new(&header);
    let missing: Vec<&str> = S::REQUIRED.iter().copied().filter(|c| !cols.has(c)).collect();
    if !missing.is_empty() {
        let found: Vec<String> = header.iter().take(12).map(|h| format!("`{}`", h.trim())).collect();
        return Err(format!(
            "error: {shown}: not a `{}` call log: missing column{} {}\n  found: {}{}\n  help: {}",
            S::NAME,
            if missing.len() == 1 { "" } else { "s" },
            missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
            found.join(", "),
            if header.len() > 12 { ", ..." } else { "" },
            "the first line must name the columns; --schema shop reads `shop run --log` files, \
             --schema anonymous-bank the bank research log (see docs/call-logs.md)"
        ));
    }
    let width = header.len();
    let mut out = ReadLog { delimiter: delimiter as char, ..ReadLog::default() };
    let mut rec = csv::StringRecord::new();
    loop {
        let line_hint = lines.borrow_mut().line_at(csv.position().byte());
        match csv.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(line_hint, |p| lines.borrow_mut().line_at(p.byte()));
                if rec.len() == 1 && rec.get(0).is_some_and(str::is_empty) {
                    continue; // a blank line
                }
                out.rows += 1;
                if rec.len() != width {
                    let detail = format!("{} fields where the header has {width}", rec.len());
                    out.skipped.add(line, Skip::new(SkipReason::Malformed, detail));
                    continue;
                }
                match S::parse(&cols, &rec, line) {
                    Ok(call) if channels == Channels::Voice && call.channel != Channel::Voice => {
                        let detail = format!("channel `{}`", call.channel.as_str());
                        out.skipped.add(line, Skip::new(SkipReason::NotVoice, detail));
                    }
                    Ok(call) => each(call)?,
                    Err(skip) => out.skipped.add(line, skip),
                }
            }
            Err(e) => {
                out.rows += 1;
                let line = e.position().map_or(line_hint, |p| lines.borrow_mut().line_at(p.byte()));
                let detail = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                out.skipped.add(line, Skip::new(SkipReason::Malformed, detail));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(format!("error: {shown}: cannot read it: {e}"));
                }
            }
        }
    }
    Ok(out)
}

/// A number of seconds (`shop` logs): finite and not negative.
pub fn seconds(field: &str, column: &str) -> Result<f64, Skip> {
    match field.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(v) if v < 0.0 => Err(Skip::new(SkipReason::NegativeDuration, format!("{column} is {field}"))),
        _ => Err(Skip::new(SkipReason::Malformed, format!("{column} `{field}` is not a number of seconds"))),
    }
}

/// An optional number of seconds: empty → None.
pub fn opt_seconds(field: &str, column: &str) -> Result<Option<f64>, Skip> {
    if field.is_empty() { Ok(None) } else { seconds(field, column).map(Some) }
}
