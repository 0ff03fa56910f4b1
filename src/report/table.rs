//! `--format table` (default): readable tables for a terminal.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table};

use super::Exporter;
use super::layout::{Section, headline, sections, title};
use crate::stats::Report;

pub struct TableExporter {
    /// Bold worst-case columns (only when writing to a terminal).
    pub styled: bool,
}

impl Exporter for TableExporter {
    fn render(&self, report: &Report) -> String {
        let mut out = format!("{}\n\nWorst experiences\n{}\n", title(report), indent(&headline(report)));
        for s in sections(report) {
            out.push_str(&format!("\n{}\n{}\n", s.title, text_table(&s, self.styled)));
            if let Some(n) = &s.note {
                out.push_str(&format!("{n}\n"));
            }
        }
        out
    }
}

/// Renders one section as a terminal table, worst-case columns in bold when `styled`.
pub fn text_table(s: &Section, styled: bool) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled);
    if styled {
        t.enforce_styling();
    }
    t.set_header(s.header.iter().enumerate().map(|(i, h)| {
        let c = Cell::new(h);
        if s.worst.contains(&i) { c.add_attribute(Attribute::Bold) } else { c }
    }));
    for row in &s.shown_rows() {
        t.add_row(row.iter().enumerate().map(|(i, v)| {
            let c = Cell::new(v);
            let c = if i > 0 { c.set_alignment(CellAlignment::Right) } else { c };
            if s.emphasised(i, v) { c.add_attribute(Attribute::Bold) } else { c }
        }));
    }
    t.to_string()
}

pub fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}
