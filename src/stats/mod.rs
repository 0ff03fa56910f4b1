//! Statistics: what a replication counts, duration summaries, confidence
//! intervals, and the report's figures.

pub mod ci;
pub mod collect;
pub mod figures;
pub mod summary;

pub use figures::Report;
