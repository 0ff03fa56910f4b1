//! Report writers: one per format behind one trait.

pub mod backtest;
pub mod channels;
pub mod charts;
pub mod compare;
pub mod csv;
pub(crate) mod erlang;
pub mod html;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod records;
pub(crate) mod schedule;
pub(crate) mod staff;
pub mod table;

use crate::stats::Report;

/// Output formats of `shop run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    Html,
}

impl Format {
    /// The format a file name's extension asks for (`report.json`).
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" | "text" => Some(Format::Table),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Renders a report as text in one format.
pub trait Exporter {
    fn render(&self, report: &Report) -> String;
}

pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::TableExporter { styled: false }),
        Format::Json => Box::new(json::JsonExporter),
        Format::Csv => Box::new(csv::CsvExporter),
        Format::Markdown => Box::new(markdown::MarkdownExporter),
        Format::Html => Box::new(html::HtmlExporter::default()),
    }
}

/// A duration in its one human form (`45.2s`, `4m 05s`, `3h 59m`), or a dash
/// when there is nothing to show.
pub fn secs(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), crate::time::human_secs)
}

/// A confirmed figure of `staff` or `schedule` in its own terms: a percentage, or a duration.
pub fn confirmed(c: &crate::plan::staff::confirm::ConfirmedFigure, x: f64) -> String {
    if c.share { pct(Some(x)) } else { secs(Some(x)) }
}

/// A confirmed figure's 95% interval, `lo–hi`; durations with both bounds at one precision.
pub fn confirmed_interval(c: &crate::plan::staff::confirm::ConfirmedFigure) -> String {
    match c.ci95 {
        None => "-".into(),
        Some([lo, hi]) if c.share => format!("{}–{}", pct(Some(lo)), pct(Some(hi))),
        Some([lo, hi]) => crate::time::human_interval(lo, hi),
    }
}

/// The confirmed figures a fresh seed missed, each as `label target figure (interval)`.
pub(crate) fn confirmed_missed(c: &crate::plan::staff::confirm::Confirmed) -> Vec<String> {
    use crate::plan::staff::confirm::Verdict;
    c.intervals
        .iter()
        .filter(|x| x.verdict == Verdict::Missed)
        .map(|x| format!("{} {} {} ({})", x.label, confirmed_subject(x), confirmed(x, x.figure), confirmed_interval(x)))
        .collect()
}

/// What a confirmed figure is of: its target, and pool for occupancy.
pub fn confirmed_subject(c: &crate::plan::staff::confirm::ConfirmedFigure) -> String {
    match &c.pool {
        Some(p) if !c.target.starts_with(&format!("{p}:")) => format!("{} ({p})", c.target),
        _ => c.target.clone(),
    }
}

/// A share as a percentage with one decimal.
pub fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// An amount of money, currency-free, with thousands separators and cents:
/// `12,345.60`.
pub fn money(v: f64) -> String {
    let cents = (v.abs() * 100.0).round() as u128;
    let (units, cents) = (cents / 100, cents % 100);
    let grouped = grouped(units);
    format!("{}{grouped}.{cents:02}", if v < 0.0 && (units > 0 || cents > 0) { "-" } else { "" })
}

/// A whole number with thousands separators: `12,345`.
pub fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Money, or a dash when there is none.
pub fn money_or_dash(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), money)
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_has_separators_and_cents() {
        assert_eq!(super::money(1234567.891), "1,234,567.89");
        assert_eq!(super::money(32.0), "32.00");
        assert_eq!(super::money(0.004), "0.00");
        assert_eq!(super::money(-1500.5), "-1,500.50");
    }
}
