//! `--format csv` for `compare` and `check`: one row per figure, every metric.

use super::PairExporter;
use crate::report::records::Records;
use crate::stats::check::CheckReport;
use crate::stats::comparison::{ALL_CALLERS, Comparison, Figures};

pub struct CsvExporter;

fn num(x: Option<f64>) -> String {
    x.map_or_else(String::new, |v| v.to_string())
}

fn rows(out: &mut Records, scope: &str, name: &str, f: &Figures) {
    for (metric, p) in f {
        let ci = p.diff_ci95;
        out.row([
            scope.to_string(),
            name.to_string(),
            metric.name(),
            num(p.a),
            num(p.b),
            num(p.diff),
            num(p.rel_diff),
            num(ci.map(|c| c[0])),
            num(ci.map(|c| c[1])),
            p.verdict.words().to_string(),
        ]);
    }
}

/// A serialised enum's name (`passed`, `change`).
fn word<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

impl PairExporter for CsvExporter {
    fn comparison(&self, c: &Comparison) -> String {
        let mut out = Records::new([
            "scope",
            "name",
            "metric",
            "a",
            "b",
            "diff",
            "rel_diff",
            "diff_ci95_lo",
            "diff_ci95_hi",
            "verdict",
        ]);
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
        out.finish()
    }

    fn check(&self, r: &CheckReport) -> String {
        let mut out = Records::new([
            "status",
            "scope",
            "metric",
            "kind",
            "judged_on",
            "base",
            "head",
            "pooled_base",
            "pooled_head",
            "change",
            "rel_change",
            "change_ci95_lo",
            "change_ci95_hi",
            "head_ci95_lo",
            "head_ci95_hi",
            "limit",
            "allowed",
            "needs_replications",
            "gate",
        ]);
        for g in &r.results {
            let (ci, hci) = (g.change_ci95, g.head_ci95);
            out.row([
                word(g.status),
                g.scope.clone(),
                g.metric.to_string(),
                word(g.kind),
                word(g.judged_on),
                num(g.base),
                num(g.head),
                num(g.pooled.and_then(|p| p[0])),
                num(g.pooled.and_then(|p| p[1])),
                num(g.change),
                num(g.rel_change),
                num(ci.map(|c| c[0])),
                num(ci.map(|c| c[1])),
                num(hci.map(|c| c[0])),
                num(hci.map(|c| c[1])),
                g.limit.clone(),
                num(g.allowed),
                g.needs_replications.map(|n| n.to_string()).unwrap_or_default(),
                g.gate.clone(),
            ]);
        }
        out.finish()
    }
}
