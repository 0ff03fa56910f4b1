//! Report writers: one per format behind one trait.

pub mod compare;
pub mod csv;
pub(crate) mod erlang;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod table;

use crate::stats::Report;

/// Output formats of `shop run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
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
    }
}

/// Seconds with one decimal, or a dash when there is nothing to show.
pub fn secs(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

/// A share as a percentage with one decimal.
pub fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", v * 100.0))
}
