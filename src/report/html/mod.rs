//! `--format html`: one self-contained page a planner can open, print and
//! forward. No script, no network: inline CSS with the system's fonts, charts
//! as inline SVG (`report::charts`), tables from the same `Section`s the
//! terminal and markdown writers show. The page is well-formed XML as well
//! as HTML (void elements closed, only XML's own entities), so that any XML
//! parser can check it.
//!
//! The pieces are shared by every verb that writes HTML: [`Page`] is the
//! shell, [`table::html_table`] a `Section`, [`timeline`] the worst journeys.

pub mod run;
pub mod table;
pub mod timeline;

pub use run::HtmlExporter;

use super::layout::Section;

/// Escapes text for an element's content or an attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inline CSS: the system font stack, tables that read like the terminal's,
/// and a print layout (no page breaks inside a table, chart or journey;
/// colours kept, since the charts and timelines speak in colour).
const CSS: &str = r#"
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --worst: #fff4e5; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 1100px; line-height: 1.45; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p.sub, p.note, figcaption { color: var(--muted); font-size: .9rem; }
ul.headline { padding-left: 1.2rem; } ul.headline li { margin: .2rem 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: .9rem; margin: .25rem 0; }
th, td { border: 1px solid var(--rule); padding: .25rem .55rem; text-align: right; white-space: normal; }
th { background: #f6f8fa; font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
th[scope=col] { vertical-align: bottom; }
table.wide { font-size: .78rem; } table.wide th, table.wide td { padding: .2rem .35rem; }
.worst { background: var(--worst); font-weight: 700; }
.scroll { overflow-x: auto; }
figure { margin: 1rem 0 1.5rem; }
figure svg { max-width: 100%; height: auto; display: block; }
.key { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .85rem; color: var(--muted); margin: .3rem 0; }
.swatch { display: inline-block; width: .9rem; height: .9rem; vertical-align: -.15rem; margin-right: .3rem; border-radius: 2px; }
.journey { margin: 1rem 0 1.6rem; }
.bar { position: relative; height: 1.4rem; background: #f6f8fa; border: 1px solid var(--rule); border-radius: 3px; overflow: hidden; }
.seg { position: absolute; top: 0; bottom: 0; min-width: 1px; }
.menu { background: #56b4e9; } .hold { background: #d55e00; } .talk { background: #009e73; } .between { background: #e7e9ec; }
.scale { display: flex; justify-content: space-between; font-size: .8rem; color: var(--muted); }
pre.narration { font-size: .8rem; line-height: 1.35; background: #f6f8fa; border: 1px solid var(--rule); padding: .5rem .7rem;
  white-space: pre-wrap; overflow-wrap: anywhere; margin: .3rem 0 0; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; }
@media print {
  @page { margin: 14mm; }
  body { padding: 0; max-width: none; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  table, figure, .journey { break-inside: avoid; }
  .scroll { overflow: visible; }
  table { font-size: 7pt; }
  th, td { white-space: normal; padding: .1rem .25rem; }
  pre.narration { font-size: 7.5pt; }
}
"#;

/// The page being written: a title, then blocks in order.
pub struct Page {
    title: String,
    body: String,
}

impl Page {
    pub fn new(title: &str) -> Page {
        let mut body = String::new();
        body.push_str(&format!("<h1>{}</h1>\n", escape(title)));
        Page { title: title.to_string(), body }
    }

    /// A line of text under the title.
    pub fn subtitle(&mut self, text: &str) {
        self.body.push_str(&format!("<p class=\"sub\">{}</p>\n", escape(text)));
    }

    pub fn heading(&mut self, text: &str) {
        self.body.push_str(&format!("<h2>{}</h2>\n", escape(text)));
    }

    /// A bulleted list of sentences (the headline).
    pub fn list(&mut self, lines: &[String]) {
        self.body.push_str("<ul class=\"headline\">\n");
        for l in lines {
            self.body.push_str(&format!("<li>{}</li>\n", escape(l)));
        }
        self.body.push_str("</ul>\n");
    }

    /// A sentence in small print.
    pub fn note(&mut self, text: &str) {
        self.body.push_str(&format!("<p class=\"note\">{}</p>\n", escape(text)));
    }

    /// A titled table with its note, as the text formats show it.
    pub fn section(&mut self, s: &Section) {
        self.heading(&s.title);
        self.body.push_str(&table::html_table(s));
        if let Some(n) = &s.note {
            self.note(n);
        }
    }

    /// A chart with its caption; `chart` is `None` when there was nothing to
    /// draw (then `empty` says why), and a draw failure shows as a note.
    pub fn figure(&mut self, id: &str, caption: &str, chart: Option<Result<String, String>>, empty: &str) {
        self.body.push_str(&format!("<figure class=\"chart\" id=\"{}\">\n", escape(id)));
        match chart {
            Some(Ok(svg)) => {
                let label = format!("<svg role=\"img\" aria-label=\"{}\" ", escape(caption));
                self.body.push_str(&svg.replacen("<svg ", &label, 1));
                self.body.push('\n');
            }
            Some(Err(e)) => self.body.push_str(&format!("<p class=\"note\">{}</p>\n", escape(&e))),
            None => self.body.push_str(&format!("<p class=\"note\">{}</p>\n", escape(empty))),
        }
        self.body.push_str(&format!("<figcaption>{}</figcaption>\n</figure>\n", escape(caption)));
    }

    /// Markup made by this module's helpers (trusted, already escaped).
    pub fn raw(&mut self, html: &str) {
        self.body.push_str(html);
    }

    pub fn finish(self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
             <meta name=\"generator\" content=\"shop {}\"/>\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n\
             <body>\n<main>\n{}</main>\n<footer>Made by shop {}: a self-contained page, no scripts; it prints as it shows.</footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION"),
            escape(&self.title),
            self.body,
            env!("CARGO_PKG_VERSION"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }
}
