//! A report `Section` as an HTML table: the same cells as the terminal and
//! markdown tables, worst-case columns emphasised.

use super::escape;
use crate::report::layout::Section;

/// A cell's text: a figure (a short cell, like `2m 30.5s` or `-1.2 pts`) never
/// breaks across lines; longer text (names, verdicts with reasons) wraps, so a
/// wide table fits the page instead of scrolling.
fn cell(v: &str) -> String {
    let text = escape(v);
    if v.chars().count() <= 16 { text.replace(' ', "\u{a0}") } else { text }
}

pub fn html_table(s: &Section) -> String {
    let class = |i: usize| if s.worst.contains(&i) { " class=\"worst\"" } else { "" };
    let cell_class = |i: usize, v: &str| if s.emphasised(i, v) { " class=\"worst\"" } else { "" };
    // Many columns: a smaller type, so the table fits the page.
    let wide = if s.header.len() > 9 { " class=\"wide\"" } else { "" };
    let mut out = format!("<div class=\"scroll\"><table{wide}>\n<thead><tr>");
    for (i, h) in s.header.iter().enumerate() {
        out.push_str(&format!("<th scope=\"col\"{}>{}</th>", class(i), escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &s.shown_rows() {
        out.push_str("<tr>");
        for (i, v) in row.iter().enumerate() {
            if i == 0 {
                out.push_str(&format!("<th scope=\"row\">{}</th>", cell(v)));
            } else {
                out.push_str(&format!("<td{}>{}</td>", cell_class(i, v), cell(v)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}
