//! What `shop backtest` prints, one writer per format behind one trait: the
//! log beside the simulation interval by interval, the whole day with the
//! simulation's 95% interval, and how far apart they are.

use serde_json::{Map, Value, json};

use super::Format;
use super::layout::Section;
use super::markdown::markdown_table;
use super::records::Records;
use super::table::text_table;
use super::{pct, secs};
use crate::logs::backtest::{Backtest, FIGURES, Figure, FigureError, Row, Side};
use crate::logs::report::{skipped_json, skipped_text};

/// Renders a backtest as text in one format.
pub trait BacktestWriter {
    fn render(&self, b: &Backtest) -> String;
}

pub fn writer(format: Format) -> Box<dyn BacktestWriter> {
    match format {
        Format::Table => Box::new(Table),
        Format::Json => Box::new(Json),
        Format::Csv => Box::new(Csv),
        Format::Markdown => Box::new(Markdown),
        Format::Html => Box::new(Html),
    }
}

/// A value of a figure in its human form: calls with one decimal, shares as
/// percentages, durations as `1m 05s`.
fn show(f: Figure, v: Option<f64>) -> String {
    if f.is_share() {
        pct(v)
    } else if f.is_duration() {
        secs(v)
    } else {
        v.map_or_else(|| "-".into(), |x| format!("{x:.1}"))
    }
}

/// A difference of a figure: shares in points, durations in their human form
/// (`+1m 05s`), counts with one decimal. A difference that rounds to zero
/// has no sign (`0.0pt`, not `-0.0pt`).
fn show_diff(f: Figure, v: Option<f64>, signed: bool) -> String {
    let Some(x) = v else { return "-".into() };
    let (shown, tenths) = if f.is_share() {
        (format!("{:.1}pt", x.abs() * 100.0), x * 1000.0)
    } else if f.is_duration() {
        (crate::time::human_secs(x.abs()), x * 10.0)
    } else {
        (format!("{:.1}", x.abs()), x * 10.0)
    };
    let sign = match tenths.round() {
        t if t < 0.0 => "-",
        t if t > 0.0 && signed => "+",
        _ => "",
    };
    format!("{sign}{shown}")
}

fn heading(f: Figure) -> &'static str {
    match f {
        Figure::Calls => "calls/day",
        Figure::Answered => "answered/day",
        Figure::AbandonRate => "abandon rate",
        Figure::ServiceLevel => "service level",
        Figure::WaitMean => "mean wait",
        Figure::WaitP90 => "p90 wait",
        Figure::WaitP95 => "p95 wait",
    }
}

fn outside(a: Option<f64>, ci: Option<[f64; 2]>) -> bool {
    matches!((a, ci), (Some(a), Some([lo, hi])) if a < lo - 1e-9 || a > hi + 1e-9)
}

fn title(b: &Backtest) -> String {
    format!(
        "Backtest of {} ({}) against {}: {} replication(s), seed {}",
        b.log, b.schema, b.scenario_file, b.replications, b.seed
    )
}

fn summary_lines(b: &Backtest) -> Vec<String> {
    let mut v = vec![format!(
        "Log: {} rows, {} used, {} skipped; {} day(s). Scenario: {}.",
        b.rows,
        b.used,
        b.skipped.total(),
        b.days,
        b.scenario
    )];
    v.push(format!(
        "Intervals of {} by dial time{}; service level: answered within {}.",
        crate::logs::fit::scenario::duration(b.interval),
        b.time_zero.as_ref().map_or(String::new(), |t| format!(", time 0 = {t} on the log's clock")),
        secs(Some(b.service_level_threshold))
    ));
    v.extend(b.notes.iter().map(|n| format!("Note: {n}")));
    v
}

/// An index of dispersion as printed.
fn dispersion_text(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{v:.2}"))
}

/// What the log's dispersion says, in a sentence.
fn dispersion_line(b: &Backtest) -> String {
    let d = &b.dispersion;
    if d.days < 2 {
        return format!(
            "Daily volumes: the log has {} day(s), so how much its days differ (the index of dispersion) cannot be told.",
            d.days
        );
    }
    let reading = match d.whole_day {
        Some(x) if x > 1.0 => "above 1: the days vary more than Poisson (see `volume_spread`)",
        Some(_) => "at or below 1: the days vary no more than Poisson",
        None => "not measured",
    };
    format!(
        "Daily volumes' index of dispersion (variance / mean of the calls across the log's {} days): whole day {}, \
         intervals {} (their indexes weighted by calls; each interval's in the table above); {reading}.",
        d.days,
        dispersion_text(d.whole_day),
        dispersion_text(d.intervals_mean)
    )
}

fn intervals_section(b: &Backtest) -> Section {
    let mut header = vec!["interval".to_string()];
    header.extend(FIGURES.iter().map(|f| heading(*f).to_string()));
    header.push("log dispersion".into());
    let rows = b
        .intervals
        .iter()
        .map(|r| {
            let mut row = vec![r.label.clone()];
            row.extend(FIGURES.iter().map(|&f| {
                let (a, s) = (r.actual.get(f), r.simulated.get(f));
                let mark = if outside(a, r.simulated.ci(f)) { " *" } else { "" };
                format!("{} / {}{mark}", show(f, a), show(f, s))
            }));
            row.push(dispersion_text(r.dispersion));
            row
        })
        .collect();
    Section {
        title: "Through the day: log / simulation".into(),
        header,
        rows,
        worst: vec![],
        note: Some(
            "* the log lies outside the simulation's 95% interval. A call counts in the interval it was dialed in. Log \
             dispersion: variance / mean of the interval's calls across the log's days (above 1: more than Poisson)."
                .into(),
        ),
    }
}

fn ci_text(f: Figure, ci: Option<[f64; 2]>) -> String {
    match ci {
        None => "-".into(),
        Some([lo, hi]) if f.is_duration() => crate::time::human_interval(lo, hi),
        Some([lo, hi]) => format!("{}–{}", show(f, Some(lo)), show(f, Some(hi))),
    }
}

fn overall_section(b: &Backtest) -> Section {
    let header =
        ["figure", "log", "simulated", "simulated 95% CI", "mean abs error", "bias (sim − log)", "intervals within CI"];
    let rows = FIGURES
        .iter()
        .zip(&b.error)
        .map(|(&f, e)| {
            let o = &b.overall;
            let within = e.within_ci95.map_or_else(|| "-".into(), |w| format!("{:.0}%", w * 100.0));
            vec![
                heading(f).to_string(),
                show(f, o.actual.get(f)),
                show(f, o.simulated.get(f)),
                ci_text(f, o.simulated.ci(f)),
                show_diff(f, e.mae, false),
                show_diff(f, e.bias, true),
                within,
            ]
        })
        .collect();
    let scored = b.error.first().map_or(0, |e| e.intervals);
    Section {
        title: "Whole day".into(),
        header: header.map(String::from).to_vec(),
        rows,
        worst: vec![],
        note: Some(format!(
            "Log and simulated: each side's calls of the whole day pooled; bias = simulated − log of those. Counts are per \
             day: the log's over its {} day(s), the simulation's totals over {} replication(s) × {} day(s). Mean abs error \
             and intervals within CI: over the {scored} of {} intervals with a call in the log (others are not scored), the \
             error weighted by the log's calls; the 95% interval comes from the spread between replications. {}",
            b.days,
            b.replications,
            b.days_per_replication,
            b.intervals.len(),
            dispersion_line(b)
        )),
    }
}

struct Table;

impl BacktestWriter for Table {
    fn render(&self, b: &Backtest) -> String {
        let mut out = format!("{}\n", title(b));
        for l in summary_lines(b) {
            out.push_str(&format!("{l}\n"));
        }
        if b.skipped.total() > 0 {
            skipped_text(&mut out, &b.skipped);
        }
        for s in [intervals_section(b), overall_section(b)] {
            out.push_str(&format!("\n{}\n{}\n", s.title, text_table(&s, false)));
            if let Some(n) = &s.note {
                out.push_str(&format!("{n}\n"));
            }
        }
        out
    }
}

struct Markdown;

impl BacktestWriter for Markdown {
    fn render(&self, b: &Backtest) -> String {
        let mut out = format!("## {}\n\n", title(b));
        for l in summary_lines(b) {
            out.push_str(&format!("- {l}\n"));
        }
        if b.skipped.total() > 0 {
            let mut t = String::new();
            skipped_text(&mut t, &b.skipped);
            out.push_str(&format!("\n```text\n{t}```\n"));
        }
        for s in [intervals_section(b), overall_section(b)] {
            out.push_str(&format!("\n### {}\n\n{}", s.title, markdown_table(&s)));
            if let Some(n) = &s.note {
                out.push_str(&format!("\n_{}_\n", n.replace('*', "\\*")));
            }
        }
        out
    }
}

/// Puts `v` at a dotted name (`wait.mean` → `{wait: {mean: v}}`).
fn put(m: &mut Map<String, Value>, name: &str, v: Value) {
    match name.split_once('.') {
        Some((outer, inner)) => {
            let e = m.entry(outer).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(o) = e {
                o.insert(inner.to_string(), v);
            }
        }
        None => {
            m.insert(name.to_string(), v);
        }
    }
}

fn side_json(s: &Side) -> Value {
    let mut m = Map::new();
    for f in FIGURES {
        put(&mut m, f.name(), json!(s.get(f)));
        if s.ci95.is_some() {
            put(&mut m, &format!("{}_ci95", f.name()), json!(s.ci(f)));
        }
    }
    Value::Object(m)
}

fn row_json(r: &Row) -> Value {
    json!({
        "from": r.from,
        "to": r.to,
        "label": r.label,
        "actual": side_json(&r.actual),
        "simulated": side_json(&r.simulated),
        "dispersion": r.dispersion,
    })
}

fn error_json(errors: &[FigureError]) -> Value {
    let mut m = Map::new();
    for e in errors {
        put(
            &mut m,
            e.figure.name(),
            json!({ "mae": e.mae, "bias": e.bias, "within_ci95": e.within_ci95, "intervals": e.intervals }),
        );
    }
    Value::Object(m)
}

/// The JSON document: the contract's `intervals`, `overall` and `error`, and
/// where each side came from.
pub fn to_json(b: &Backtest) -> Value {
    json!({
        "log": b.log,
        "schema": b.schema,
        "rows": b.rows,
        "used": b.used,
        "skipped": skipped_json(&b.skipped),
        "days": b.days,
        "scenario": b.scenario,
        "scenario_file": b.scenario_file,
        "seed": b.seed,
        "replications": b.replications,
        "days_per_replication": b.days_per_replication,
        "interval": b.interval,
        "horizon": b.horizon,
        "service_level_threshold": b.service_level_threshold,
        "time_zero": b.time_zero,
        "outside": { "before": b.before, "after": b.after },
        "notes": b.notes,
        "intervals": b.intervals.iter().map(row_json).collect::<Vec<_>>(),
        "overall": { "actual": side_json(&b.overall.actual), "simulated": side_json(&b.overall.simulated) },
        "error": error_json(&b.error),
        "dispersion": {
            "days": b.dispersion.days,
            "whole_day": b.dispersion.whole_day,
            "intervals": b.dispersion.intervals_mean,
        },
    })
}

struct Json;

impl BacktestWriter for Json {
    fn render(&self, b: &Backtest) -> String {
        let mut s = serde_json::to_string_pretty(&to_json(b)).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// `--format csv`: one figure per line, `scope,name,metric,value`, as `run`'s CSV:
/// `interval,08:00–08:30,calls.actual,12.5`, `overall,whole day,...`,
/// `error,wait.mean,mae,4.2`.
struct Csv;

fn num(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

fn csv_row(out: &mut Records, scope: &str, r: &Row) {
    if scope == "interval" {
        out.row([scope, &r.label, "dispersion", &num(r.dispersion)]);
    }
    for f in FIGURES {
        let name = f.name();
        let ci = r.simulated.ci(f);
        for (metric, v) in [
            ("actual", r.actual.get(f)),
            ("simulated", r.simulated.get(f)),
            ("simulated_ci95.lo", ci.map(|c| c[0])),
            ("simulated_ci95.hi", ci.map(|c| c[1])),
        ] {
            out.row([scope, &r.label, &format!("{name}.{metric}"), &num(v)]);
        }
    }
}

impl BacktestWriter for Csv {
    fn render(&self, b: &Backtest) -> String {
        let mut out = Records::new(["scope", "name", "metric", "value"]);
        for r in &b.intervals {
            csv_row(&mut out, "interval", r);
        }
        csv_row(&mut out, "overall", &b.overall);
        for e in &b.error {
            let name = e.figure.name();
            for (k, v) in [("mae", num(e.mae)), ("bias", num(e.bias)), ("within_ci95", num(e.within_ci95))] {
                out.row(["error", name, k, &v]);
            }
            out.row(["error", name, "intervals", &e.intervals.to_string()]);
        }
        let d = &b.dispersion;
        out.row(["dispersion", "log", "days", &d.days.to_string()]);
        out.row(["dispersion", "log", "whole_day", &num(d.whole_day)]);
        out.row(["dispersion", "log", "intervals", &num(d.intervals_mean)]);
        out.finish()
    }
}

/// `--format html`: the same tables, and the log beside the simulation through
/// the day (service level and abandon rate, the simulation with its 95% interval).
struct Html;

const DAY_CAPTION: &str = "The log beside the simulation, interval by interval (each call in the interval it was dialed \
     in): service level, then abandon rate; the simulation's points carry their 95% interval (from the spread between \
     replications). The table below has the same figures.";

impl BacktestWriter for Html {
    fn render(&self, b: &Backtest) -> String {
        use super::charts::day;
        use super::html::Page;
        let mut page = Page::new(&title(b));
        page.list(&summary_lines(b));
        let labels: Vec<&str> = b.intervals.iter().map(|r| r.label.as_str()).collect();
        let of = |f: Figure, simulated: bool| -> (Vec<Option<f64>>, Vec<Option<[f64; 2]>>) {
            b.intervals
                .iter()
                .map(|r| if simulated { (r.simulated.get(f), r.simulated.ci(f)) } else { (r.actual.get(f), None) })
                .unzip()
        };
        let sl = [of(Figure::ServiceLevel, false), of(Figure::ServiceLevel, true)];
        let ab = [of(Figure::AbandonRate, false), of(Figure::AbandonRate, true)];
        let chart = day::paired(&labels, &side_rates(&sl, "service level"), &side_rates(&ab, "abandon rate"));
        page.heading("Through the day, log and simulation");
        page.figure(
            "backtest-day",
            DAY_CAPTION,
            chart,
            "No interval to draw: the log and the scenario's day do not overlap.",
        );
        if b.skipped.total() > 0 {
            let mut t = String::new();
            skipped_text(&mut t, &b.skipped);
            page.note(&t);
        }
        for s in [intervals_section(b), overall_section(b)] {
            page.section(&s);
        }
        page.finish()
    }
}

type Series = (Vec<Option<f64>>, Vec<Option<[f64; 2]>>);

/// The log's and the simulation's values of one figure as two chart lines.
fn side_rates<'a>(v: &'a [Series; 2], what: &str) -> Vec<super::charts::day::Rates<'a>> {
    ["log", "simulated"]
        .iter()
        .enumerate()
        .map(|(i, side)| super::charts::day::Rates {
            label: format!("{side} {what}"),
            values: &v[i].0,
            ci95: &v[i].1,
            colour: super::charts::colour(i),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_of_durations_take_the_human_form_and_zero_has_no_sign() {
        assert_eq!(show_diff(Figure::WaitP95, Some(65.0), true), "+1m 05s");
        assert_eq!(show_diff(Figure::WaitMean, Some(-12.34), true), "-12.3s");
        assert_eq!(show_diff(Figure::WaitMean, Some(-0.04), true), "0s");
        assert_eq!(show_diff(Figure::ServiceLevel, Some(-0.0004), true), "0.0pt");
        assert_eq!(show_diff(Figure::AbandonRate, Some(0.012), true), "+1.2pt");
        assert_eq!(show_diff(Figure::Calls, Some(0.01), true), "0.0");
        assert_eq!(show_diff(Figure::WaitP90, Some(-200.0), false), "-3m 20s");
    }
}
