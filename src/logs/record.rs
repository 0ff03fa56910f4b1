//! One call of a real log, whatever its layout: what every schema reader
//! produces and what the fitting reads. Rows that cannot become one are
//! counted by reason in [`Skipped`], never dropped silently.

use std::collections::BTreeMap;

use crate::scenario::Channel;

/// How a logged call ended, as far as fitting cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// An agent answered it.
    Served,
    /// The caller hung up on hold.
    HungUp,
    /// It ended in the menu (the IVR) without reaching a queue: self-service,
    /// or the caller hung up there.
    InMenu,
    /// Anything else (a busy signal, ended unresolved before a human).
    Other,
}

/// One usable call of a log. Times are seconds from midnight of its day (for
/// logs without dates, from the start of the simulated day).
#[derive(Clone, Debug)]
pub struct LoggedCall {
    /// Line of the file (1 = the header), for messages.
    pub line: u64,
    /// The day: days since 1970-01-01 for dated logs, the replication for `shop` logs.
    pub day: i64,
    /// 0 = Monday … 6 = Sunday, when the log has dates.
    pub weekday: Option<u8>,
    /// The caller type (`type` column, `caller` for `shop` logs).
    pub caller: String,
    /// Voice, chat or email (`shop` logs' `channel`; other logs are voice).
    pub channel: Channel,
    /// Why they called, when the log says (`shop` logs' `reason`): the
    /// caller's own, kept when the call is replayed.
    pub reason: Option<String>,
    /// A stable id of the customer, when known (redials).
    pub customer: Option<String>,
    pub priority: Option<i32>,
    /// When the call came in.
    pub dial: f64,
    /// Time in the menu (IVR).
    pub menu: f64,
    /// Time on hold before an answer or a hang-up, when the call queued
    /// (0 for a busy signal: the queue turned it away).
    pub wait: Option<f64>,
    pub ending: Ending,
    /// The whole hold over every queue leg, when the log says (`shop` logs'
    /// `hold`, as `run` counts it): `wait` is the first leg's for an answered
    /// call, and a transferred call may hold again after its first answer.
    pub hold: Option<f64>,
    /// Transfers between agents, when the log says (`shop` logs' `transfers`).
    pub transfers: u32,
    /// When the agent answered, the talk time and the agent's name, when served.
    pub service: Option<Service>,
    /// When the call ended for the caller.
    pub end: f64,
    /// The queue it reached and the pool that answered it, when the log
    /// names them (`shop` logs: the first of each).
    pub queue: Option<String>,
    pub pool: Option<String>,
    /// The log says this call redials an earlier one (`shop` logs' `redial_of`).
    pub redial: bool,
    /// Answered off the line: a promised callback that reached the caller
    /// (the `shop` log's hold is shorter than entering the queue to the
    /// answer). Counted answered, not in hold times or service level, as the
    /// simulation counts it.
    pub apart: bool,
    /// The estimated wait the caller heard at their first queue, when the log
    /// says (`shop` logs' `told_wait`): a caller who stayed was at least that
    /// patient, one who left on hearing it less.
    pub told: Option<f64>,
    /// When it first joined a queue, when the log says (`shop` logs'
    /// `entered_queue`): a promised callback keeps its place from then on.
    pub queued: Option<f64>,
    /// Left on hearing the estimated wait: reached the queue but never joined
    /// it (`shop` logs' `abandoned_queue` with no `entered_queue`). Their
    /// patience was shorter than the wait they were told.
    pub left_on_hearing: bool,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub start: f64,
    pub talk: f64,
    pub server: Option<String>,
    /// The work the conversation took, when the log says apart from its
    /// talk (`shop` logs' `work`): a chat's before the agent's other chats
    /// stretched it. What `replay` gives the design's agent to do.
    pub work: Option<f64>,
}

/// Why a row could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum SkipReason {
    /// A phantom call (the bank log's PHANTOM outcome: no caller on the line).
    Phantom,
    /// A time that ends before it starts.
    NegativeDuration,
    /// A call crossing midnight, or a clock time of 24:00 or later.
    PastMidnight,
    /// An outcome the schema does not know.
    UnknownOutcome,
    /// A line that does not parse (field count, a time or date that is not one).
    Malformed,
    /// A chat or an email (the `channel` column): `fit`, `backtest`, `state`
    /// and `forecast` model voice calls (`replay` takes every channel).
    NotVoice,
}

impl SkipReason {
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::Phantom => "phantom call",
            SkipReason::NegativeDuration => "negative duration",
            SkipReason::PastMidnight => "time past midnight",
            SkipReason::UnknownOutcome => "unknown outcome",
            SkipReason::Malformed => "malformed line",
            SkipReason::NotVoice => "chat or email row",
        }
    }
}

/// A row that was left out: why, and what exactly.
#[derive(Clone, Debug)]
pub struct Skip {
    pub reason: SkipReason,
    pub detail: String,
}

impl Skip {
    pub fn new(reason: SkipReason, detail: impl Into<String>) -> Self {
        Skip { reason, detail: detail.into() }
    }
}

/// Rows left out, counted by reason, with the first few lines of each.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    pub by_reason: BTreeMap<SkipReason, SkipCount>,
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SkipCount {
    pub rows: u64,
    /// The first lines skipped for this reason: (line, what was wrong).
    pub examples: Vec<(u64, String)>,
}

/// Lines quoted per reason.
const EXAMPLES: usize = 5;

impl Skipped {
    pub fn add(&mut self, line: u64, skip: Skip) {
        let c = self.by_reason.entry(skip.reason).or_default();
        c.rows += 1;
        if c.examples.len() < EXAMPLES {
            c.examples.push((line, skip.detail));
        }
    }

    pub fn total(&self) -> u64 {
        self.by_reason.values().map(|c| c.rows).sum()
    }
}
