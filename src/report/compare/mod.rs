//! Writers for `compare` and `check`: one per format behind one trait, and the
//! tables they share (the terminal table and markdown show the same cells).

pub mod csv;
pub mod json;
pub mod markdown;
pub mod table;

use super::layout::{Section, human};
use crate::cli::CompareFormat;
use crate::stats::check::{CheckReport, GateResult, Status};
use crate::stats::comparison::{ALL_CALLERS, Comparison, Figures};
use crate::stats::metric::Metric;
use crate::stats::paired::{Paired, Verdict};

/// Renders a comparison and a gate verdict in one format.
pub trait PairExporter {
    fn comparison(&self, c: &Comparison) -> String;
    fn check(&self, r: &CheckReport) -> String;
}

pub fn exporter(format: CompareFormat, styled: bool) -> Box<dyn PairExporter> {
    match format {
        CompareFormat::Table => Box::new(table::TableExporter { styled }),
        CompareFormat::Json => Box::new(json::JsonExporter),
        CompareFormat::Markdown => Box::new(markdown::MarkdownExporter),
        CompareFormat::Csv => Box::new(csv::CsvExporter),
    }
}

/// The figures the tables show (JSON and CSV carry every metric).
const SHOWN: [&str; 14] = [
    "wait.p95",
    "wait.p99",
    "wait.max",
    "time_to_answer.p95",
    "wait.mean",
    "time_to_answer.mean",
    "abandon_rate",
    "service_level",
    "first_contact_resolution",
    "resolved_share",
    "transfers_per_call",
    "menu_time.mean",
    "time_to_resolution.mean",
    "time_to_resolution.p95",
];

/// The figures the headline speaks of: worst holds, abandons, service level.
const HEADLINE: [&str; 5] = ["wait.p95", "wait.max", "time_to_answer.p95", "abandon_rate", "service_level"];

/// A value in its unit: `42.3s`, `85.1%`, `0.12`.
pub fn value(metric: &str, v: Option<f64>) -> String {
    let Some(v) = v else { return "-".into() };
    match Metric::parse(metric) {
        Some(m) if m.is_duration() => format!("{v:.1}s"),
        Some(m) if m.is_share() => format!("{:.1}%", v * 100.0),
        None if metric == "occupancy" => format!("{:.1}%", v * 100.0),
        _ => format!("{v:.3}"),
    }
}

/// A change in its unit, signed: `+12.0s`, `-1.5 pts`, `+0.010`.
pub fn change(metric: &str, v: Option<f64>) -> String {
    let Some(v) = v else { return "-".into() };
    let v = if v == 0.0 { 0.0 } else { v }; // no "-0.0"
    match Metric::parse(metric) {
        Some(m) if m.is_duration() => format!("{v:+.1}s"),
        Some(m) if m.is_share() => format!("{:+.1} pts", v * 100.0),
        None if metric == "occupancy" => format!("{:+.1} pts", v * 100.0),
        _ => format!("{v:+.3}"),
    }
}

pub fn rel(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{:+.1}%", if v == 0.0 { 0.0 } else { v * 100.0 }))
}

pub fn interval(metric: &str, ci: Option<[f64; 2]>) -> String {
    ci.map_or_else(|| "-".into(), |[lo, hi]| format!("{} to {}", change(metric, Some(lo)), change(metric, Some(hi))))
}

fn row(label: &str, metric: &str, p: &Paired) -> Vec<String> {
    vec![
        label.to_string(),
        value(metric, p.a),
        value(metric, p.b),
        change(metric, p.diff),
        rel(p.rel_diff),
        interval(metric, p.diff_ci95),
        p.verdict.words().to_string(),
    ]
}

const HEADER: [&str; 7] = ["metric", "A", "B", "B − A", "change", "95% CI of B − A", "verdict"];

fn figures_section(title: String, f: &Figures) -> Section {
    let rows = SHOWN.iter().filter_map(|m| f.get(*m).map(|p| row(m, m, p))).collect();
    Section { title, header: HEADER.map(String::from).to_vec(), rows, worst: vec![6], note: None }
}

/// The callers whose tables are shown: each type, and all together when there are several.
fn scopes(c: &Comparison) -> Vec<(&str, &Figures)> {
    let mut v: Vec<(&str, &Figures)> = c.by_caller.iter().map(|(k, f)| (k.as_str(), f)).collect();
    if v.len() != 1 {
        v.push((ALL_CALLERS, &c.overall));
    }
    v
}

/// One line on the run both designs shared.
pub fn basis(seed: u64, replications: u32, horizon: f64) -> String {
    format!(
        "Same callers in both: seed {seed}, {replications} simulated day{} of {} each; 95% intervals from the paired days.",
        if replications == 1 { "" } else { "s" },
        human(horizon)
    )
}

/// The real differences among the worst-case and service figures, in words.
pub fn headline(c: &Comparison) -> Vec<String> {
    let mut lines = Vec::new();
    for (name, f) in scopes(c) {
        let mut real: Vec<(&str, &Paired)> = HEADLINE
            .iter()
            .filter_map(|m| f.get(*m).map(|p| (*m, p)))
            .filter(|(_, p)| matches!(p.verdict, Verdict::Better | Verdict::Worse))
            .collect();
        real.sort_by_key(|(_, p)| p.verdict != Verdict::Worse);
        let real: Vec<String> = real
            .into_iter()
            .map(|(m, p)| format!("{m} {} → {} {}", value(m, p.a), value(m, p.b), p.verdict.words()))
            .collect();
        lines.push(if real.is_empty() {
            format!("{name}: no real difference in worst holds, abandons or service level")
        } else {
            format!("{name}: {}", real.join(", "))
        });
    }
    lines
}

pub fn comparison_sections(c: &Comparison) -> Vec<Section> {
    let mut out: Vec<Section> = scopes(c).into_iter().map(|(n, f)| figures_section(n.to_string(), f)).collect();
    if !c.by_queue.is_empty() {
        let mut rows = Vec::new();
        for (q, f) in &c.by_queue {
            for m in ["wait.p95", "wait.max", "abandon_rate", "service_level"] {
                if let Some(p) = f.get(m) {
                    rows.push(row(&format!("{q}: {m}"), m, p));
                }
            }
        }
        let mut header = HEADER.map(String::from).to_vec();
        header[0] = "queue: metric".into();
        out.push(Section { title: "Queues".into(), header, rows, worst: vec![6], note: None });
    }
    if !c.by_pool.is_empty() {
        let rows = c.by_pool.iter().filter_map(|(n, f)| f.get("occupancy").map(|p| row(n, "occupancy", p))).collect();
        let mut header = HEADER.map(String::from).to_vec();
        header[0] = "pool occupancy".into();
        out.push(Section { title: "Agent pools".into(), header, rows, worst: vec![], note: None });
    }
    out
}

/// Notes under a comparison: what was left out and how to read it.
pub fn comparison_notes(c: &Comparison) -> Vec<String> {
    let mut notes = Vec::new();
    if !c.only_in_a.is_empty() {
        notes.push(format!("Only in A, not compared: {}.", c.only_in_a.join(", ")));
    }
    if !c.only_in_b.is_empty() {
        notes.push(format!("Only in B, not compared: {}.", c.only_in_b.join(", ")));
    }
    notes.push(
        "A real difference is one whose whole 95% interval is on one side of zero; \
         A and B are pooled over all days as `shop run` reports them; \
         the interval is of the day-by-day difference."
            .into(),
    );
    notes
}

fn gate_row(r: &GateResult) -> Vec<String> {
    let m = r.metric.as_str();
    let limit = match r.allowed_change {
        Some(a) if r.limit.contains('%') || Metric::parse(m).is_some_and(Metric::is_share) => {
            format!("{} ({})", r.limit, change(m, Some(a)))
        }
        _ => r.limit.clone(),
    };
    vec![
        r.caller.clone(),
        m.to_string(),
        value(m, r.base),
        value(m, r.head),
        format!("{} ({})", change(m, r.change), rel(r.rel_change)),
        interval(m, r.change_ci95),
        limit,
        r.status.words().to_string(),
    ]
}

/// The failing gates, then the others.
pub fn check_sections(r: &CheckReport) -> Vec<Section> {
    let header = ["caller", "metric", "base", "head", "change", "95% CI of change", "limit", "result"];
    let mut out = Vec::new();
    let groups = [
        ("Failed gates", r.results.iter().filter(|x| x.status == Status::Failed).collect::<Vec<_>>()),
        ("Passing gates", r.results.iter().filter(|x| x.status != Status::Failed).collect()),
    ];
    for (title, rows) in groups {
        if !rows.is_empty() {
            out.push(Section {
                title: title.into(),
                header: header.map(String::from).to_vec(),
                rows: rows.into_iter().map(gate_row).collect(),
                worst: vec![4],
                note: None,
            });
        }
    }
    out
}

/// `FAIL, 2 of 6 gates failed` / `PASS, all 6 gates passed`.
pub fn check_title(r: &CheckReport) -> String {
    let n = r.results.len();
    if r.failed > 0 {
        format!("FAIL, {} of {n} gate{} failed", r.failed, if n == 1 { "" } else { "s" })
    } else {
        format!("PASS, all {n} gate{} passed", if n == 1 { "" } else { "s" })
    }
}

pub const CHECK_RULE: &str = "A gate fails when the change is past its limit AND the 95% interval of the change \
     (from paired days) is wholly on the worse side of zero; \"pass (noise)\" is past the limit but not distinguishable from no change.";
