//! `--format json` for `compare` and `check`: the models serialised as is.
//! Every compared figure carries `a`, `b`, `diff`, `rel_diff`, `diff_ci95`, `verdict`.

use super::PairExporter;
use crate::stats::check::CheckReport;
use crate::stats::comparison::Comparison;

pub struct JsonExporter;

fn pretty<T: serde::Serialize>(x: &T) -> String {
    // Plain structs of numbers and strings cannot fail to serialise.
    let mut s = serde_json::to_string_pretty(x).unwrap_or_default();
    s.push('\n');
    s
}

impl PairExporter for JsonExporter {
    fn comparison(&self, c: &Comparison) -> String {
        pretty(c)
    }

    fn check(&self, r: &CheckReport) -> String {
        pretty(r)
    }
}
