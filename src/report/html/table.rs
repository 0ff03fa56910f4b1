//! A report `Section` as an HTML table: the same cells as the terminal and
//! markdown tables, worst-case columns emphasised.

use super::escape;
use crate::report::layout::Section;

pub fn html_table(s: &Section) -> String {
    let class = |i: usize| if s.worst.contains(&i) { " class=\"worst\"" } else { "" };
    let cell_class = |i: usize, v: &str| if s.emphasised(i, v) { " class=\"worst\"" } else { "" };
    let mut out = String::from("<div class=\"scroll\"><table>\n<thead><tr>");
    for (i, h) in s.header.iter().enumerate() {
        out.push_str(&format!("<th scope=\"col\"{}>{}</th>", class(i), escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &s.rows {
        out.push_str("<tr>");
        for (i, v) in row.iter().enumerate() {
            if i == 0 {
                out.push_str(&format!("<th scope=\"row\">{}</th>", escape(v)));
            } else {
                out.push_str(&format!("<td{}>{}</td>", cell_class(i, v), escape(v)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}
