//! `--format table` (default) for `compare` and `check`: terminal tables.

use super::{
    PairExporter, basis, check_rule, check_sections, check_title, comparison_notes, comparison_sections, headline,
};
use crate::report::table::text_table;
use crate::stats::check::CheckReport;
use crate::stats::comparison::{Comparison, Design};

pub struct TableExporter {
    /// Bold verdict columns (only when writing to a terminal).
    pub styled: bool,
}

fn designs(a: &Design, b: &Design, la: &str, lb: &str) -> String {
    format!("{la}: {} ({})\n{lb}: {} ({})\n", a.file, a.scenario, b.file, b.scenario)
}

impl PairExporter for TableExporter {
    fn comparison(&self, c: &Comparison) -> String {
        let mut out = designs(&c.a, &c.b, "A", "B");
        out.push_str(&basis(c.seed, c.replications, &c.a));
        out.push_str("\n\nWhat B changes\n");
        for line in headline(c) {
            out.push_str(&format!("  {line}\n"));
        }
        for s in comparison_sections(c) {
            out.push_str(&format!("\n{}\n{}\n", s.title, text_table(&s, self.styled)));
        }
        out.push('\n');
        for n in comparison_notes(c) {
            out.push_str(&format!("{n}\n"));
        }
        out
    }

    fn check(&self, r: &CheckReport) -> String {
        let mut out = format!("shop check: {}\n", check_title(r));
        out.push_str(&designs(&r.base, &r.head, "base", "head"));
        out.push_str(&basis(r.seed, r.replications, &r.base));
        out.push('\n');
        for s in check_sections(r) {
            out.push_str(&format!("\n{}\n{}\n", s.title, text_table(&s, self.styled)));
        }
        if !r.not_gated.is_empty() {
            out.push('\n');
            for n in &r.not_gated {
                out.push_str(&format!("Not gated: {n}.\n"));
            }
        }
        out.push_str(&format!("\n{}\n", check_rule(r)));
        out
    }
}
