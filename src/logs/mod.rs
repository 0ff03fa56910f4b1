//! Call logs: writing one row per simulated call (`shop run --log`), reading
//! real logs in known layouts (`schema`), and fitting a scenario to them (`fit`).

pub mod fit;
pub mod record;
pub mod report;
pub mod schema;
pub mod write;
