//! One module per verb: glue between the CLI, the shared pipeline
//! (`crate::pipeline`) and the reports. No verb calls another.

pub(crate) mod backtest;
pub(crate) mod check;
pub(crate) mod compare;
pub(crate) mod completions;
pub(crate) mod erlang;
pub(crate) mod example;
pub(crate) mod fit;
pub(crate) mod forecast;
pub(crate) mod journey;
pub(crate) mod man;
pub(crate) mod merge;
pub(crate) mod replay;
pub(crate) mod run;
pub(crate) mod schedule;
pub(crate) mod schema;
pub(crate) mod staff;
pub(crate) mod state;
pub(crate) mod validate;

pub use crate::pipeline::Failure;
