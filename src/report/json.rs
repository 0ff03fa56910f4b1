//! `--format json`: the report structure as is, keys as in the contract.

use super::Exporter;
use crate::stats::Report;

pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn render(&self, report: &Report) -> String {
        // Serialising plain structs of numbers and strings cannot fail.
        let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
        s.push('\n');
        s
    }
}
