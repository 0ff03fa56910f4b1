//! The scenario file: its syntax, the checked model, loading and validation.

pub mod bundled;
pub mod dist;
pub mod dist_above;
pub mod dist_tail;
pub mod error;
pub mod intervals;
pub mod lint;
pub mod lint_design;
pub mod load;
pub mod locate;
pub mod math;
pub mod menu_model;
pub mod model;
pub mod offered;
pub mod paths;
pub mod raw;
pub mod rewrite;
pub mod roster;
pub mod rota;
pub mod routed;
pub mod start;
pub mod units;

pub use error::{LoadError, Problem, Severity};
pub use intervals::Intervals;
pub use load::{Loaded, load_file, load_str};
pub use model::*;

/// The scenario of a YAML text, for unit tests (a load error fails the test).
#[cfg(test)]
pub(crate) fn test_scenario(yaml: &str) -> Scenario {
    match load_str("t.yaml", yaml) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{e:?}"),
    }
}
