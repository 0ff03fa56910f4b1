//! `--format markdown`: the same tables, ready to paste into a pull request or wiki.

use super::Exporter;
use super::layout::{Section, headline, sections, title};
use crate::stats::Report;

pub struct MarkdownExporter;

/// Renders one section as a markdown table, worst-case columns in bold.
/// A report as markdown: its title, each section's table and note, then its notes.
pub fn markdown_document(title: &str, sections: &[Section], notes: &[String]) -> String {
    let mut out = format!("## {title}\n");
    for s in sections {
        out.push_str(&format!("\n### {}\n\n{}\n", s.title, markdown_table(s)));
        if let Some(n) = &s.note {
            out.push_str(&format!("_{n}_\n"));
        }
    }
    for n in notes {
        out.push_str(&format!("\n_{n}_\n"));
    }
    out
}

pub fn markdown_table(s: &Section) -> String {
    let esc = |v: &str| v.replace('|', "\\|");
    let cell = |i: usize, v: &str| if s.emphasised(i, v) { format!("**{}**", esc(v)) } else { esc(v) };
    let mut out = format!("| {} |\n", s.header.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | "));
    out.push_str(&format!(
        "|{}\n",
        s.header.iter().enumerate().map(|(i, _)| if i == 0 { "---|" } else { "---:|" }).collect::<String>()
    ));
    for row in &s.shown_rows() {
        out.push_str(&format!(
            "| {} |\n",
            row.iter().enumerate().map(|(i, v)| cell(i, v)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

impl Exporter for MarkdownExporter {
    fn render(&self, report: &Report) -> String {
        let mut out = format!("## {}\n\n**Worst experiences**\n\n", title(report));
        for line in headline(report).lines() {
            out.push_str(&format!("- {line}\n"));
        }
        for s in sections(report) {
            out.push_str(&format!("\n### {}\n\n{}", s.title, markdown_table(&s)));
            if let Some(n) = &s.note {
                out.push_str(&format!("\n_{n}_\n"));
            }
        }
        out
    }
}
