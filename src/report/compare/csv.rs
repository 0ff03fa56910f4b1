//! `--format csv` for `compare` and `check`: one row per figure, every metric.

use super::PairExporter;
use crate::stats::check::CheckReport;
use crate::stats::comparison::{ALL_CALLERS, Comparison, Figures};

pub struct CsvExporter;

fn num(x: Option<f64>) -> String {
    x.map_or_else(String::new, |v| v.to_string())
}

/// Quotes a field when it needs it (names come from the user's file).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn rows(out: &mut String, scope: &str, name: &str, f: &Figures) {
    for (metric, p) in f {
        let ci = p.diff_ci95;
        out.push_str(&format!(
            "{scope},{},{metric},{},{},{},{},{},{},{}\n",
            field(name),
            num(p.a),
            num(p.b),
            num(p.diff),
            num(p.rel_diff),
            num(ci.map(|c| c[0])),
            num(ci.map(|c| c[1])),
            p.verdict.words()
        ));
    }
}

impl PairExporter for CsvExporter {
    fn comparison(&self, c: &Comparison) -> String {
        let mut out = "scope,name,metric,a,b,diff,rel_diff,diff_ci95_lo,diff_ci95_hi,verdict\n".to_string();
        rows(&mut out, "overall", ALL_CALLERS, &c.overall);
        for (n, f) in &c.by_caller {
            rows(&mut out, "caller", n, f);
        }
        for (n, f) in &c.by_queue {
            rows(&mut out, "queue", n, f);
        }
        for (n, f) in &c.by_pool {
            rows(&mut out, "pool", n, f);
        }
        for i in &c.by_interval {
            rows(&mut out, "interval", &i.label, &i.figures);
        }
        rows(&mut out, "worst_interval", "all callers", &c.worst_interval.figures);
        rows(&mut out, "cost", "all pools", &c.cost.total);
        for (n, f) in &c.cost.by_pool {
            rows(&mut out, "cost", n, f);
        }
        out
    }

    fn check(&self, r: &CheckReport) -> String {
        let mut out =
            "status,scope,metric,kind,base,head,change,rel_change,change_ci95_lo,change_ci95_hi,head_ci95_lo,head_ci95_hi,limit,allowed,gate\n"
                .to_string();
        for g in &r.results {
            let (ci, hci) = (g.change_ci95, g.head_ci95);
            let word = |v: serde_json::Result<serde_json::Value>| {
                v.ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
            };
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                word(serde_json::to_value(g.status)),
                field(&g.scope),
                g.metric,
                word(serde_json::to_value(g.kind)),
                num(g.base),
                num(g.head),
                num(g.change),
                num(g.rel_change),
                num(ci.map(|c| c[0])),
                num(ci.map(|c| c[1])),
                num(hci.map(|c| c[0])),
                num(hci.map(|c| c[1])),
                field(&g.limit),
                num(g.allowed),
                field(&g.gate)
            ));
        }
        out
    }
}
