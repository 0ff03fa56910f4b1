//! Writers for `compare` and `check`: one per format behind one trait, and the
//! tables they share (the terminal table and markdown show the same cells).

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod table;

use super::layout::{Section, human};
use super::money;
use crate::stats::check::{CheckReport, GateResult, JudgedOn, Kind, Status};
use crate::stats::comparison::{ALL_CALLERS, Comparison, Design, Figures, INTERVAL_METRICS};
use crate::stats::metric::{
    ABANDON_RATE, Cost, HANG_UP_RATE, Metric, SERVICE_LEVEL, TTA_P95, TTC_P95, Unit, WAIT_MAX, WAIT_P95,
};
use crate::stats::paired::{Paired, Verdict};

/// Output formats of `compare` and `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairFormat {
    Table,
    Json,
    Markdown,
    Csv,
    Html,
}

impl PairFormat {
    /// The format a file name's extension asks for (`verdict.json`).
    pub fn from_extension(ext: &str) -> Option<PairFormat> {
        match ext {
            "json" => Some(PairFormat::Json),
            "csv" => Some(PairFormat::Csv),
            "md" | "markdown" => Some(PairFormat::Markdown),
            "txt" | "text" => Some(PairFormat::Table),
            "html" | "htm" => Some(PairFormat::Html),
            _ => None,
        }
    }
}

/// Colour only for the terminal table written to a terminal.
pub fn styled(format: PairFormat, out: Option<&std::path::Path>) -> bool {
    format == PairFormat::Table && out.is_none() && crate::output::stdout_colour()
}

/// Renders a comparison and a gate verdict in one format.
pub trait PairExporter {
    fn comparison(&self, c: &Comparison) -> String;
    fn check(&self, r: &CheckReport) -> String;
}

pub fn exporter(format: PairFormat, styled: bool) -> Box<dyn PairExporter> {
    match format {
        PairFormat::Table => Box::new(table::TableExporter { styled }),
        PairFormat::Json => Box::new(json::JsonExporter),
        PairFormat::Markdown => Box::new(markdown::MarkdownExporter),
        PairFormat::Csv => Box::new(csv::CsvExporter),
        PairFormat::Html => Box::new(html::HtmlExporter),
    }
}

/// The figures the tables show (JSON and CSV carry every metric).
const SHOWN: [Metric; 16] = {
    use crate::stats::metric::{Rate, Span::*, Stat::*};
    use Metric::{Duration as D, Rate as R};
    [
        D(Wait, P95),
        D(Wait, P99),
        D(Wait, Max),
        D(TimeToAnswer, P95),
        D(TimeToAnswer, Max),
        D(Wait, Mean),
        D(TimeToAnswer, Mean),
        R(Rate::AbandonRate),
        R(Rate::HangUpRate),
        R(Rate::ServiceLevel),
        R(Rate::FirstContactResolution),
        R(Rate::ResolvedShare),
        R(Rate::TransfersPerCall),
        D(MenuTime, Mean),
        D(TimeToResolution, Mean),
        D(TimeToResolution, P95),
    ]
};

/// The figures the headline speaks of: worst holds, abandons, service level.
const HEADLINE: [Metric; 6] = [WAIT_P95, WAIT_MAX, TTA_P95, ABANDON_RATE, HANG_UP_RATE, SERVICE_LEVEL];

/// The channel figures the tables show when either design uses channels
/// (JSON and CSV carry every one): callbacks, email response, estimates, backlog.
const CHANNEL_SHOWN: [Metric; 11] = {
    use crate::stats::metric::{CallbackCount::*, EwtStat, Rate, Span::*, Stat::*};
    use Metric::{Callbacks as C, Duration as D};
    [
        C(Offered),
        C(Accepted),
        C(Completed),
        C(Failed),
        D(TimeToCallback, P95),
        Metric::EwtError(EwtStat::MeanAbs),
        D(ResponseTime, P95),
        Metric::Rate(Rate::WithinTarget),
        Metric::Rate(Rate::Pending),
        Metric::BacklogEndOfDay,
        Metric::OldestOpen,
    ]
};

/// The channel figures the headline speaks of when they really differ.
const HEADLINE_CHANNELS: [Metric; 3] = {
    use crate::stats::metric::{Rate, Span::*, Stat::P95};
    [Metric::Duration(ResponseTime, P95), Metric::Rate(Rate::WithinTarget), Metric::Duration(TimeToCallback, P95)]
};

/// Whether a channel figure is worth a row: measured in either design, and
/// not a count that is zero in both.
fn shown(p: &Paired) -> bool {
    match (p.a, p.b) {
        (None, None) => false,
        (Some(a), Some(b)) => a != 0.0 || b != 0.0,
        _ => true,
    }
}

/// A value in its unit: `42.3s`, `85.1%`, `0.12`.
pub fn value(metric: Metric, v: Option<f64>) -> String {
    let Some(v) = v else { return "-".into() };
    match metric.unit() {
        Unit::Seconds => human(v),
        Unit::Share => format!("{:.1}%", v * 100.0),
        Unit::Number => format!("{v:.3}"),
        Unit::PerDay => format!("{v:.1}/day"),
        Unit::Hours => format!("{v:.1} h"),
        Unit::Money => money(v),
    }
}

/// A figure of both designs, `a → b`, its durations at one precision
/// (`2m 00.0s → 3m 37.5s`, not `2m 00s → 3m 37.5s`).
pub fn values(metric: Metric, a: Option<f64>, b: Option<f64>) -> (String, String) {
    let mut pair = [value(metric, a), value(metric, b)];
    crate::time::one_precision(&mut pair);
    let [a, b] = pair;
    (a, b)
}

/// A change in its unit, signed: `+12s`, `-1.5 pts`, `+0.010`.
pub fn change(metric: Metric, v: Option<f64>) -> String {
    let Some(v) = v else { return "-".into() };
    // A change too small to show is shown as none, `+0s` or `+0.0 pts`: never "-0.0".
    let shown_as_zero = match metric.unit() {
        Unit::Seconds => human(v.abs()) == "0s",
        Unit::Share => (v * 1000.0).round() == 0.0,
        Unit::Number => (v * 1000.0).round() == 0.0,
        Unit::PerDay | Unit::Hours => (v * 10.0).round() == 0.0,
        Unit::Money => (v * 100.0).round() == 0.0,
    };
    let v = if shown_as_zero { 0.0 } else { v };
    match metric.unit() {
        Unit::Seconds if v < 0.0 => human(v),
        Unit::Seconds => format!("+{}", human(v)),
        Unit::Share => format!("{:+.1} pts", v * 100.0),
        Unit::Number => format!("{v:+.3}"),
        Unit::PerDay => format!("{v:+.1}/day"),
        Unit::Hours => format!("{v:+.1} h"),
        Unit::Money if v < 0.0 => format!("-{}", money(-v)),
        Unit::Money => format!("+{}", money(v)),
    }
}

pub fn rel(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{:+.1}%", if (v * 1000.0).round() == 0.0 { 0.0 } else { v * 100.0 }))
}

pub fn interval(metric: Metric, ci: Option<[f64; 2]>) -> String {
    let Some([lo, hi]) = ci else { return "-".into() };
    if metric.unit() != Unit::Seconds {
        return format!("{} to {}", change(metric, Some(lo)), change(metric, Some(hi)));
    }
    // Durations: both bounds at one precision (`+1m 27.1s to +1m 48.0s`), signed as `change` signs them.
    let (a, b) = crate::time::human_pair(lo, hi);
    let signed = |shown: String| if shown.starts_with('-') { shown } else { format!("+{shown}") };
    format!("{} to {}", signed(a), signed(b))
}

fn row(label: &str, metric: Metric, p: &Paired) -> Vec<String> {
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
    // With channels, an email caller has no holds: rows measured in neither design go.
    let channels = f.contains_key(&Metric::Callbacks(crate::stats::metric::CallbackCount::Offered));
    let rows = SHOWN
        .iter()
        .filter_map(|m| f.get(m).map(|p| (m, p)))
        .filter(|(_, p)| !channels || p.a.is_some() || p.b.is_some())
        .map(|(m, p)| row(&m.name(), *m, p))
        .collect();
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
pub fn basis(seed: u64, replications: u32, a: &Design) -> String {
    let horizon = a.horizon;
    if a.days > 1 {
        return format!(
            "Same callers in both: seed {seed}, {replications} replication{} of {} days of {} each; 95% intervals from the paired replications.",
            if replications == 1 { "" } else { "s" },
            a.days,
            human(horizon)
        );
    }
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
        let mut real: Vec<(Metric, &Paired)> = HEADLINE
            .iter()
            .chain(&HEADLINE_CHANNELS)
            .filter_map(|m| f.get(m).map(|p| (*m, p)))
            .filter(|(_, p)| matches!(p.verdict, Verdict::Better | Verdict::Worse))
            .collect();
        real.sort_by_key(|(_, p)| p.verdict != Verdict::Worse);
        let real: Vec<String> = real
            .into_iter()
            .map(|(m, p)| {
                let (a, b) = values(m, p.a, p.b);
                format!("{m} {a} → {b} {}", p.verdict.words())
            })
            .collect();
        lines.push(if real.is_empty() {
            format!("{name}: no real difference in worst holds, abandons or service level")
        } else {
            format!("{name}: {}", real.join(", "))
        });
        if let Some(line) = callbacks_line(name, f) {
            lines.push(line);
        }
    }
    if let Some(line) = worst_interval_line(c) {
        lines.push(line);
    }
    if let Some(q) = &c.queue_clears {
        lines.push(queue_clears_line(q));
    }
    if let Some(line) = cost_line(c) {
        lines.push(line);
    }
    lines
}

/// What callbacks did for a caller type: offered, accepted, made and failed a
/// day in each design, and how long callers waited for the call back.
fn callbacks_line(name: &str, f: &Figures) -> Option<String> {
    use crate::stats::metric::CallbackCount::*;
    let offered = f.get(&Metric::Callbacks(Offered))?;
    if !shown(offered) || name == ALL_CALLERS {
        return None;
    }
    let counts: Vec<String> = [Offered, Accepted, Completed, Failed]
        .iter()
        .filter_map(|k| f.get(&Metric::Callbacks(*k)).map(|p| (k, p)))
        .map(|(k, p)| {
            let v = |x: Option<f64>| x.map_or_else(|| "-".into(), |x| format!("{x:.1}"));
            let what = match k {
                Offered => "offered",
                Accepted => "accepted",
                Completed => "made",
                Failed => "failed",
            };
            format!("{what} {} → {}", v(p.a), v(p.b))
        })
        .collect();
    let wait = f
        .get(&TTC_P95)
        .filter(|p| shown(p))
        .map(|p| {
            let (a, b) = values(TTC_P95, p.a, p.b);
            format!("; waited for the call back (p95) {a} → {b}")
        })
        .unwrap_or_default();
    Some(format!("{name} callbacks a day: {}{wait}", counts.join(", ")))
}

/// Each design's worst interval and its service level, in words.
fn worst_interval_line(c: &Comparison) -> Option<String> {
    let w = &c.worst_interval;
    if c.by_interval.len() < 2 || (w.a.is_none() && w.b.is_none()) {
        return None;
    }
    let p = w.figures.get(&SERVICE_LEVEL)?;
    let label = |l: &Option<String>| l.clone().unwrap_or_else(|| "none".into());
    Some(format!(
        "worst interval: A {} at {} service level, B {} at {} ({})",
        label(&w.a),
        value(SERVICE_LEVEL, p.a),
        label(&w.b),
        value(SERVICE_LEVEL, p.b),
        p.verdict.words()
    ))
}

/// What the change costs, beside what it does for callers.
fn cost_line(c: &Comparison) -> Option<String> {
    let day = c.cost.total.get(&Metric::Cost(Cost::PerDay))?;
    let hours = c.cost.total.get(&Metric::Cost(Cost::PaidHours))?;
    let (m, p) = if day.a.is_some() && day.b.is_some() {
        (Metric::Cost(Cost::PerDay), day)
    } else {
        (Metric::Cost(Cost::PaidHours), hours)
    };
    let what = if m == Metric::Cost(Cost::PerDay) { "cost a day" } else { "paid agent-hours a day" };
    if p.a.is_some() && p.a == p.b {
        return Some(format!("{what}: {} in both", value(m, p.a)));
    }
    let (a, b) = values(m, p.a, p.b);
    Some(format!("{what}: {a} → {b} ({}, {})", change(m, p.diff), rel(p.rel_diff)))
}

pub fn comparison_sections(c: &Comparison) -> Vec<Section> {
    let mut out: Vec<Section> = scopes(c).into_iter().map(|(n, f)| figures_section(n.to_string(), f)).collect();
    if let Some(s) = days_section(c) {
        out.push(s);
    }
    if let Some(s) = channels_section(c) {
        out.push(s);
    }
    if !c.by_queue.is_empty() {
        let channels = c.overall.contains_key(&Metric::Callbacks(crate::stats::metric::CallbackCount::Offered));
        let mut rows = Vec::new();
        for (q, f) in &c.by_queue {
            for m in [WAIT_P95, WAIT_MAX, ABANDON_RATE, SERVICE_LEVEL] {
                // An inbox holds nobody: with channels, rows measured in neither design go.
                if let Some(p) = f.get(&m).filter(|p| !channels || p.a.is_some() || p.b.is_some()) {
                    rows.push(row(&format!("{q}: {m}"), m, p));
                }
            }
        }
        let mut header = HEADER.map(String::from).to_vec();
        header[0] = "queue: metric".into();
        out.push(Section { title: "Queues".into(), header, rows, worst: vec![6], note: None });
    }
    if !c.by_pool.is_empty() {
        let occ = Metric::Occupancy;
        let rows = c.by_pool.iter().filter_map(|(n, f)| f.get(&occ).map(|p| row(n, occ, p))).collect();
        let mut header = HEADER.map(String::from).to_vec();
        header[0] = "pool occupancy".into();
        out.push(Section { title: "Agent pools".into(), header, rows, worst: vec![], note: None });
    }
    if c.by_interval.len() > 1 {
        out.push(intervals_section(c));
    }
    out.push(cost_section(c));
    out
}

/// The worst day and the 1-in-10 day of each caller type (and all callers),
/// when the comparison has them (a design spreads its daily volumes).
fn days_section(c: &Comparison) -> Option<Section> {
    let rows: Vec<Vec<String>> = scopes(c)
        .into_iter()
        .flat_map(|(name, f)| {
            Metric::for_days().into_iter().filter_map(move |m| f.get(&m).map(|p| row(&format!("{name}: {m}"), m, p)))
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let mut header = HEADER.map(String::from).to_vec();
    header[0] = "caller: day figure".into();
    Some(Section {
        title: "Days".into(),
        header,
        rows,
        worst: vec![6],
        note: Some(
            "Each simulated day's own figure: the worst day, and the 1-in-10 day (10th-percentile day of service level,              90th of abandon rate and p95 hold). Day k of A and of B are the same callers; intervals are a paired bootstrap over the days."
                .into(),
        ),
    })
}

/// Callbacks, email response, estimated waits and backlog of each caller type
/// (and all callers), when either design uses channels; rows with nothing
/// measured in either design are left out.
fn channels_section(c: &Comparison) -> Option<Section> {
    let mut rows = Vec::new();
    // Per caller type (all callers together are in JSON and CSV).
    for (name, f) in &c.by_caller {
        for m in CHANNEL_SHOWN {
            if let Some(p) = f.get(&m).filter(|p| shown(p)) {
                let mut r = row(&format!("{name}: {m}"), m, p);
                // Measured on one side only (no callbacks made in A): nothing to pair.
                match (p.a, p.b) {
                    (None, Some(_)) => r[6] = "B only".into(),
                    (Some(_), None) => r[6] = "A only".into(),
                    _ => {}
                }
                rows.push(r);
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    let mut header = HEADER.map(String::from).to_vec();
    header[0] = "caller: metric".into();
    Some(Section {
        title: "Channels".into(),
        header,
        rows,
        worst: vec![6],
        note: Some(
            "Callbacks a day (made = reached the caller); time_to_callback: accepting to the agent reaching the caller. \
             A caller called back is not in wait, time to answer or service level: read hang_up_rate beside them. \
             Email: response_time from arrival to an agent starting on it; within_target against the caller's response_target."
                .into(),
        ),
    })
}

/// The intervals side by side: service level, abandon rate and p95 hold of A and B.
fn intervals_section(c: &Comparison) -> Section {
    let mut header = vec!["interval".to_string()];
    for name in ["service level", "abandon rate", "p95 hold"] {
        header.extend([format!("{name} A"), "B".to_string(), "B − A".to_string()]);
    }
    let rows = c
        .by_interval
        .iter()
        .map(|i| {
            let mut row = vec![i.label.clone()];
            for m in INTERVAL_METRICS {
                let p = i.figures.get(&m);
                row.extend([
                    value(m, p.and_then(|p| p.a)),
                    value(m, p.and_then(|p| p.b)),
                    change(m, p.and_then(|p| p.diff)),
                ]);
            }
            row
        })
        .collect();
    let w = &c.worst_interval;
    let label = |l: &Option<String>| l.clone().unwrap_or_else(|| "none".into());
    Section {
        title: "Through the day".into(),
        header,
        rows,
        worst: vec![9],
        note: Some(format!(
            "All callers, by the interval they dialed in. Worst interval (lowest service level): A {}, B {}.",
            label(&w.a),
            label(&w.b)
        )),
    }
}

/// The cost of both designs, all pools and each pool in both.
fn cost_section(c: &Comparison) -> Section {
    let mut rows = Vec::new();
    // Every figure for all pools; per pool, the cost a day (paid hours without money).
    let mut add = |scope: &str, f: &Figures, only_day: bool| {
        let money = f.get(&Metric::Cost(Cost::PerDay)).is_some_and(|p| p.a.is_some() || p.b.is_some());
        for m in Metric::for_costs() {
            let Some(p) = f.get(&m) else { continue };
            let shown = match (only_day, m) {
                (_, Metric::Cost(Cost::PerDay)) => money,
                (true, Metric::Cost(Cost::PaidHours)) => !money,
                (true, _) => false,
                (false, _) => m.unit() != Unit::Money || p.a.is_some() || p.b.is_some(),
            };
            if shown {
                rows.push(row(&format!("{scope}: {}", cost_words(m)), m, p));
            }
        }
    };
    add("all pools", &c.cost.total, false);
    if c.cost.by_pool.len() > 1 {
        for (name, f) in &c.cost.by_pool {
            add(name, f, true);
        }
    }
    let mut header = HEADER.map(String::from).to_vec();
    header[0] = "cost".into();
    Section {
        title: "Cost".into(),
        header,
        rows,
        worst: vec![],
        note: Some("Hours a day; paid hours = agent-hours on the phones / (1 − shrinkage); cost = paid hours × the pool's cost_per_hour; per call: over every call offered. JSON and CSV carry every figure per pool.".into()),
    }
}

fn cost_words(m: Metric) -> &'static str {
    match m {
        Metric::Cost(Cost::AgentHours) => "agent-hours a day",
        Metric::Cost(Cost::PaidHours) => "paid hours a day",
        Metric::Cost(Cost::PerDay) => "cost a day",
        Metric::Cost(Cost::PerCall) => "cost per call",
        Metric::Cost(Cost::PerResolvedCall) => "cost per resolved call",
        _ => "",
    }
}

/// Notes under a comparison: what was left out and how to read it.
pub fn comparison_notes(c: &Comparison) -> Vec<String> {
    let mut notes = Vec::new();
    if !c.only_in_a.is_empty() {
        notes.push(format!("Only in A, not compared: {}.", c.only_in_a.describe()));
    }
    if !c.only_in_b.is_empty() {
        notes.push(format!("Only in B, not compared: {}.", c.only_in_b.describe()));
    }
    notes.push(
        "A real difference is one whose whole 95% interval is on one side of zero; \
         A and B are pooled over all days as `shop run` reports them; \
         the interval surrounds B − A, its width from how the day-by-day differences spread."
            .into(),
    );
    notes
}

fn gate_row(r: &GateResult) -> Vec<String> {
    let m = r.metric;
    let limit = match (r.kind, r.allowed) {
        (Kind::Level, _) => format!("{} (level)", r.limit),
        (Kind::Change, Some(a)) if r.limit.contains('%') || m.is_share() => {
            format!("{} ({})", r.limit, change(m, Some(a)))
        }
        _ => r.limit.clone(),
    };
    let ci = match r.kind {
        Kind::Level => r
            .head_ci95
            .map_or_else(|| "-".into(), |[lo, hi]| format!("head {} to {}", value(m, Some(lo)), value(m, Some(hi)))),
        Kind::Change => interval(m, r.change_ci95),
    };
    // A gate judged on the days' own figures shows them, with the pooled extreme beside.
    let figure = |x: Option<f64>, pooled: Option<f64>| match (r.judged_on, r.pooled) {
        (JudgedOn::DailyMean, Some(_)) => format!("{} a day ({} pooled)", value(m, x), value(m, pooled)),
        _ => value(m, x),
    };
    let [pooled_base, pooled_head] = r.pooled.unwrap_or([None, None]);
    let mut result = r.status.words().to_string();
    if let (Status::Inconclusive | Status::Undecided, Some(n)) = (r.status, r.needs_replications) {
        result = format!("{result} (needs ~{n} replications)");
    }
    vec![
        r.scope.clone(),
        m.name(),
        figure(r.base, pooled_base),
        figure(r.head, pooled_head),
        format!("{} ({})", change(m, r.change), rel(r.rel_change)),
        ci,
        limit,
        result,
    ]
}

/// The failing gates, the undecided ones, then the others.
pub fn check_sections(r: &CheckReport) -> Vec<Section> {
    let header = ["scope", "metric", "base", "head", "change", "95% interval", "limit", "result"];
    let mut out = Vec::new();
    let groups = [
        ("Failed gates", r.results.iter().filter(|x| x.status.fails()).collect::<Vec<_>>()),
        ("Inconclusive gates", r.results.iter().filter(|x| x.status == Status::Inconclusive).collect()),
        (
            "Undecided gates (not settled: a gate had failed, so no more replications were run)",
            r.results.iter().filter(|x| x.status == Status::Undecided).collect(),
        ),
        (
            "Passing gates",
            r.results
                .iter()
                .filter(|x| !x.status.fails() && !matches!(x.status, Status::Inconclusive | Status::Undecided))
                .collect(),
        ),
    ];
    for (title, rows) in groups {
        if !rows.is_empty() {
            // Emphasis where the news is: a failed gate's change, an undecided one's result.
            let worst = match title {
                "Failed gates" => vec![4, 7],
                "Inconclusive gates" => vec![7],
                _ => vec![],
            };
            out.push(Section {
                title: title.into(),
                header: header.map(String::from).to_vec(),
                rows: rows.into_iter().map(gate_row).collect(),
                worst,
                note: None,
            });
        }
    }
    out
}

/// `FAIL, 2 of 6 gates failed` / `INCONCLUSIVE, 1 of 6 gates undecided after 160
/// replications` / `PASS, all 6 gates passed`.
pub fn check_title(r: &CheckReport) -> String {
    let n = r.results.len();
    let s = if n == 1 { "" } else { "s" };
    if r.failed > 0 {
        format!("FAIL, {} of {n} gate{s} failed", r.failed)
    } else if r.inconclusive > 0 {
        format!("INCONCLUSIVE, {} of {n} gate{s} undecided after {} replications", r.inconclusive, r.replications)
    } else {
        format!("PASS, all {n} gate{s} passed")
    }
}

/// How gates are decided, and how many days the verdict needed.
pub fn check_rule(r: &CheckReport) -> String {
    let mut rule = String::from(
        "A gate passes when the whole 95% interval of its figure is within the limit and fails when the whole interval is past it \
         (a change gate: the change from base, its interval from paired days; a level gate: head's own figure). \
         While an interval straddles its limit, check doubles the replications up to --max-replications; \
         a gate still undecided is INCONCLUSIVE (exit 1). \
         `.max` and `.p99` gates judge the mean of the daily figures (each day's worst caller, paired with base's same day), \
         so one day's luck cannot decide them; the pooled figure is shown beside. \
         A caller type or queue gated in base and missing in head fails unless --allow-missing.",
    );
    if r.replications > r.first_replications {
        rule.push_str(&format!(
            " This verdict needed {} replications (the file's {}, doubled while a gate was undecided; at most {}).",
            r.replications, r.first_replications, r.max_replications
        ));
    }
    rule
}

/// `compare --from`: when the snapshot's queue clears in A and in B.
fn queue_clears_line(q: &crate::intraday::figures::ClearsPair) -> String {
    let at =
        |c: &Option<crate::intraday::figures::ClearsAt>| c.as_ref().map_or("never".to_string(), |c| c.mean.clone());
    let diff = match (q.diff_seconds, q.diff_ci95) {
        (Some(d), Some([lo, hi])) => {
            let (lo_shown, hi_shown) = crate::time::human_pair(lo.abs(), hi.abs());
            format!(
                ", B − A {}{} (95% CI {}{lo_shown} to {}{hi_shown}) {}",
                if d < 0.0 { "-" } else { "+" },
                crate::time::human_secs(d.abs()),
                if lo < 0.0 { "-" } else { "+" },
                if hi < 0.0 { "-" } else { "+" },
                q.verdict.words()
            )
        }
        _ => String::new(),
    };
    format!("the queue clears at {} in A, {} in B on average{diff}", at(&q.a), at(&q.b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_too_small_to_show_is_never_negative_zero() {
        let share = Metric::Rate(crate::stats::metric::Rate::WithinTarget);
        assert_eq!(change(share, Some(-0.0001)), "+0.0 pts");
        assert_eq!(change(share, Some(-0.012)), "-1.2 pts");
        assert_eq!(change(WAIT_P95, Some(-0.04)), "+0s");
        assert_eq!(change(WAIT_P95, Some(-65.0)), "-1m 05s");
        assert_eq!(change(Metric::Cost(Cost::PerDay), Some(-0.001)), "+0.00");
        assert_eq!(rel(Some(-0.0002)), "+0.0%");
        assert_eq!(rel(Some(-0.25)), "-25.0%");
    }
}
