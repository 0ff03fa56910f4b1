//! Statistics: what a replication counts, duration summaries, confidence
//! intervals, the report's figures, and the paired comparison of two designs
//! with the CI gate's verdict.

pub mod backlog;
pub mod channel_figures;
pub mod channels;
pub mod check;
pub mod ci;
pub mod collect;
pub mod comparison;
pub mod cost;
pub mod day_pairs;
pub mod days;
pub mod detail_counter;
pub mod figures;
pub mod gate;
pub mod histogram;
pub mod interval_detail;
pub mod intervals;
pub mod linear;
pub mod metric;
pub mod paired;
pub mod shard;
pub mod summary;

pub use figures::Report;

/// Rounds to the microsecond / millionth: the engine's resolution, and stable text.
pub fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Rounds to the millisecond / thousandth: a call log's resolution.
pub fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// `num / den`, or `None` (JSON null) when the denominator is empty.
pub fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}
