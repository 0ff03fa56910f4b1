//! `--format html` for `compare` and `check`: one self-contained page with
//! the tables the terminal shows and, for `compare`, both designs' holds on
//! the same axes.

use super::{
    PairExporter, basis, check_rule, check_sections, check_title, comparison_notes, comparison_sections, headline,
    scopes,
};
use crate::report::charts::colour;
use crate::report::charts::day::{self, Rates};
use crate::report::charts::survival::{self, Curve};
use crate::report::html::{Page, escape};
use crate::stats::check::CheckReport;
use crate::stats::comparison::{Comparison, Design};
use crate::stats::metric::{ABANDON_RATE, Metric, SERVICE_LEVEL, WAIT_P95};

pub struct HtmlExporter;

pub const HOLD_CAPTION: &str = "How long callers held in A and in B, the same simulated callers in both: the share of calls that \
     reached a queue still on hold after each time. Log scale: each grid line down is ten times rarer. Dots sit at 5% on each \
     design's 95th percentile hold, the bar around each is its 95% interval (from that design's daily figures).";

fn designs(page: &mut Page, a: &Design, b: &Design, la: &str, lb: &str) {
    page.raw(&format!(
        "<ul class=\"headline\">\n<li><strong>{la}</strong>: <code>{}</code> — {}</li>\n<li><strong>{lb}</strong>: <code>{}</code> — {}</li>\n</ul>\n",
        escape(&a.file),
        escape(&a.scenario),
        escape(&b.file),
        escape(&b.scenario)
    ));
}

/// A's and B's hold survival for one scope (a caller type, or all callers).
pub fn hold_curves<'a>(c: &'a Comparison, scope: &str) -> Vec<Curve<'a>> {
    let Some([a, b]) = c.hold_survival.get(scope) else { return Vec::new() };
    let figures =
        if scope == crate::stats::comparison::ALL_CALLERS { Some(&c.overall) } else { c.by_caller.get(scope) };
    let p95 = figures.and_then(|f| f.get(&WAIT_P95));
    vec![
        Curve {
            label: format!("A: {}", c.a.file),
            points: a,
            p95: p95.and_then(|p| p.a),
            p95_ci95: p95.and_then(|p| p.a_ci95),
        },
        Curve {
            label: format!("B: {}", c.b.file),
            points: b,
            p95: p95.and_then(|p| p.b),
            p95_ci95: p95.and_then(|p| p.b_ci95),
        },
    ]
}

pub const DAY_CAPTION: &str = "The day by interval in A and in B, all callers, each call in the interval it was dialed \
     in: service level, then abandon rate, each point with its 95% interval (from that design's daily figures). The table \"Through the day\" below has the same figures with B − A.";

/// One figure of the intervals in A (`0`) or B (`1`) with its 95% interval,
/// as the comparison has them.
#[allow(clippy::type_complexity)]
fn interval_values(c: &Comparison, m: Metric, side: usize) -> (Vec<Option<f64>>, Vec<Option<[f64; 2]>>) {
    let pick = |p: &crate::stats::paired::Paired| if side == 0 { (p.a, p.a_ci95) } else { (p.b, p.b_ci95) };
    c.by_interval.iter().map(|i| i.figures.get(&m).map_or((None, None), pick)).unzip()
}

/// Service level and abandon rate of A and B by interval.
fn day_chart(c: &Comparison) -> Option<Result<String, String>> {
    let labels: Vec<&str> = c.by_interval.iter().map(|i| i.label.as_str()).collect();
    let values = [SERVICE_LEVEL, ABANDON_RATE].map(|m| [0, 1].map(|side| interval_values(c, m, side)));
    let rates = |k: usize, what: &str| -> Vec<Rates> {
        ["A", "B"]
            .iter()
            .enumerate()
            .map(|(side, d)| Rates {
                label: format!("{d} {what}"),
                values: &values[k][side].0,
                ci95: &values[k][side].1,
                colour: colour(side),
            })
            .collect()
    };
    day::paired(&labels, &rates(0, "service level"), &rates(1, "abandon rate"))
}

impl PairExporter for HtmlExporter {
    fn comparison(&self, c: &Comparison) -> String {
        let mut page = Page::new(&format!("shop compare: {} vs {}", c.a.scenario, c.b.scenario));
        designs(&mut page, &c.a, &c.b, "A", "B");
        page.note(&basis(c.seed, c.replications, &c.a));
        page.heading("What B changes");
        page.list(&headline(c));

        for (scope, _) in scopes(c) {
            page.heading(&format!("How long callers held: {scope}"));
            page.figure(
                &format!("hold-survival-{}", slug(scope)),
                HOLD_CAPTION,
                survival::chart(&hold_curves(c, scope)),
                "No caller reached a queue in either design: there are no holds to draw.",
            );
        }

        if c.by_interval.len() > 1 {
            page.heading("The day by interval, A and B");
            page.figure("day", DAY_CAPTION, day_chart(c), "");
        }

        for s in comparison_sections(c) {
            page.section(&s);
        }
        for n in comparison_notes(c) {
            page.note(&n);
        }
        page.finish()
    }

    fn check(&self, r: &CheckReport) -> String {
        let mut page = Page::new(&format!("shop check: {}", check_title(r)));
        designs(&mut page, &r.base, &r.head, "base", "head");
        page.note(&basis(r.seed, r.replications, &r.base));
        for s in check_sections(r) {
            page.section(&s);
        }
        for n in &r.not_gated {
            page.note(&format!("Not gated: {n}."));
        }
        page.note(&check_rule(r));
        page.finish()
    }
}

/// A name as an HTML id: letters, digits and dashes.
fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}
