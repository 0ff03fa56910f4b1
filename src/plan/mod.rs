//! Analytic planning: queueing formulas that answer "how many agents?" in an
//! instant, without simulating. `shop erlang` prints them; `shop staff` starts
//! its search from them. See docs/erlang.md for the formulas and their sources.

pub(crate) mod erlang;
pub(crate) mod erlang_a;
pub(crate) mod schedule;
pub(crate) mod staff;
pub(crate) mod target;
