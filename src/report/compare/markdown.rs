//! `--format markdown` for `compare` and `check`: ready to paste (or post) as
//! a pull-request comment. Secondary tables fold away in `<details>`.

use super::{
    PairExporter, basis, check_rule, check_sections, check_title, comparison_notes, comparison_sections, headline,
};
use crate::report::layout::Section;
use crate::report::markdown::markdown_table;
use crate::stats::check::CheckReport;
use crate::stats::comparison::{Comparison, Design};

pub struct MarkdownExporter;

fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

fn designs(a: &Design, b: &Design, la: &str, lb: &str) -> String {
    format!(
        "- **{la}**: {} — {}\n- **{lb}**: {} — {}\n",
        code(&a.file),
        a.scenario.replace('|', "\\|"),
        code(&b.file),
        b.scenario.replace('|', "\\|")
    )
}

fn folded(s: &Section) -> String {
    format!("\n<details><summary>{}</summary>\n\n{}\n</details>\n", s.title, markdown_table(s))
}

impl PairExporter for MarkdownExporter {
    fn comparison(&self, c: &Comparison) -> String {
        let mut out = format!("### shop compare: {} vs {}\n\n", c.a.scenario, c.b.scenario);
        out.push_str(&designs(&c.a, &c.b, "A", "B"));
        out.push_str(&format!("\n_{}_\n\n**What B changes**\n\n", basis(c.seed, c.replications, &c.a)));
        for line in headline(c) {
            out.push_str(&format!("- {line}\n"));
        }
        let sections = comparison_sections(c);
        let callers = c.by_caller.len() + usize::from(c.by_caller.len() != 1);
        for (i, s) in sections.iter().enumerate() {
            if i < callers {
                out.push_str(&format!("\n#### {}\n\n{}", s.title, markdown_table(s)));
            } else {
                out.push_str(&folded(s));
            }
        }
        out.push('\n');
        for n in comparison_notes(c) {
            out.push_str(&format!("_{n}_\n"));
        }
        out
    }

    fn check(&self, r: &CheckReport) -> String {
        let mark = if r.failed > 0 { "❌" } else { "✅" };
        let mut out = format!("### {mark} shop check: {}\n\n", check_title(r));
        out.push_str(&designs(&r.base, &r.head, "base", "head"));
        out.push_str(&format!("\n_{}_\n", basis(r.seed, r.replications, &r.base)));
        for s in check_sections(r) {
            if r.failed > 0 && s.title.starts_with("Passing") {
                out.push_str(&folded(&s));
            } else {
                out.push_str(&format!("\n#### {}\n\n{}", s.title, markdown_table(&s)));
            }
        }
        for n in &r.not_gated {
            out.push_str(&format!("\n**Not gated:** {n}.\n"));
        }
        out.push_str(&format!("\n_{}_\n", check_rule(r)));
        out
    }
}
