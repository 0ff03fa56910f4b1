//! Intraday: simulating the rest of the day from the state the center is in
//! now (`run --from STATE.json`, `compare A B --from STATE.json`), and
//! building such a state from a call log (`shop state LOG --at 10:40`).
//!
//! - [`snapshot`]: the snapshot file, its JSON Schema and its parsing;
//! - [`resolve`]: the snapshot checked against a scenario, put in place as
//!   the scenario's `start` (the engine seeds it: `sim::seed_state`);
//! - [`from_log`]: a snapshot from a call log;
//! - [`figures`]: what the report adds (when the queue clears).

pub mod figures;
pub mod from_log;
pub mod resolve;
pub mod snapshot;

pub use resolve::{Intraday, apply};
pub use snapshot::Snapshot;
