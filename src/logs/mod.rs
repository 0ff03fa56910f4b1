//! Call logs: writing one row per simulated call (`shop run --log`), reading
//! real logs in known layouts (`schema`), fitting a scenario to them (`fit`),
//! and setting a scenario's simulation beside a log (`backtest`).

pub mod backtest;
pub mod fit;
pub mod forecast;
pub mod record;
pub mod replay;
pub mod report;
pub mod schema;
pub mod write;
