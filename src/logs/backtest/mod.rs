//! `shop backtest`: a scenario's simulation beside the log it should
//! reproduce, interval by interval and for the whole day.
//!
//! Both sides are counted into the same structure —
//! [`IntervalStats`](crate::stats::collect::IntervalStats), what
//! the engine fills for "Through the day" — and every figure is computed from
//! it by the metric catalogue (`stats::metric`): service level, abandon rate
//! and the hold statistics have one definition, whichever side they describe.
//! A logged call becomes the engine's own
//! [`CallRecord`](crate::stats::collect::CallRecord) ([`record_of`]) and
//! is counted by the same `record_call`.
//!
//! Here: the figure set and a row of it (`figures`), the log's side aligned and
//! counted by interval (`log`), the two sides set together with their
//! errors (`compare`), and the log's side whole, as a shard carries it
//! (`logged`).
//!
//! Conventions: a call belongs to the interval it was dialed in; counts
//! (calls, answered) are per day — the log's over its days, the simulation's
//! totals over replications × days per replication; the simulation's 95%
//! interval comes from the spread between replications (sectioning, as in
//! the run report).

mod compare;
mod figures;
mod log;
mod logged;

pub use compare::compare;
pub use figures::{Counted, Dispersion, FIGURES, Figure, FigureError, Row, Side, index_of_dispersion};
pub use log::{Alignment, Binned, align, bin, clock, record_of};
pub use logged::{LogSide, log_hash};

use crate::logs::record::Skipped;

/// A whole backtest: where each side came from, and the figures.
#[derive(Clone, Debug)]
pub struct Backtest {
    pub log: String,
    pub schema: &'static str,
    /// Data rows read, used and skipped (by reason).
    pub rows: u64,
    pub used: usize,
    pub skipped: Skipped,
    /// Days of the log: its counts are per day over these.
    pub days: usize,
    pub scenario_file: String,
    pub scenario: String,
    pub seed: u64,
    pub replications: u32,
    /// Days per replication (`days:`): the simulation's counts are per day over
    /// replications × this.
    pub days_per_replication: u32,
    /// The intervals' length, the scenario's day and its service-level threshold (s).
    pub interval: f64,
    pub horizon: f64,
    pub service_level_threshold: f64,
    /// Time 0 on the log's clock (`HH:MM`), for clock logs.
    pub time_zero: Option<String>,
    /// Calls left out: dialed before time 0, or at or after the horizon.
    pub before: u64,
    pub after: u64,
    /// What a reader must know to read the figures right (alignment guessed,
    /// calls left out, ...).
    pub notes: Vec<String>,
    pub intervals: Vec<Row>,
    pub overall: Row,
    pub error: Vec<FigureError>,
    /// The log's daily volumes' index of dispersion.
    pub dispersion: Dispersion,
}
