//! Small columns and shift types for the solver's unit tests (`lp`, `round`).

use super::columns::Column;
use super::rules::ShiftType;

/// A column of shift type `kind` covering `covers`, costing (and paying) `cost`.
pub fn col(kind: usize, covers: Vec<u32>, cost: f64) -> Column {
    Column { kind, start: 0, breaks: vec![], cost, hours: cost, covers }
}

/// A one-hour shift type with no rules.
pub fn ty() -> ShiftType {
    ShiftType {
        name: "t".into(),
        length: 3600,
        starts: vec![0],
        breaks: vec![],
        min_gap: 0,
        max_share: None,
        min_count: None,
        max_count: None,
        cost_per_shift: None,
        cost_per_hour: None,
    }
}
