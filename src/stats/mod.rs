//! Statistics: what a replication counts, duration summaries, confidence
//! intervals, the report's figures, and the paired comparison of two designs
//! with the CI gate's verdict.

pub mod check;
pub mod ci;
pub mod collect;
pub mod comparison;
pub mod figures;
pub mod gate;
pub mod metric;
pub mod paired;
pub mod summary;

pub use figures::Report;
