//! Load errors and designer warnings: what is wrong, where (file, line, column,
//! key path), what was expected, and the file's own line with a caret under it.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use super::locate::{Index, Pos};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// Whether a problem points at a key or at its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Key,
    Value,
}

/// One problem found in a scenario file.
#[derive(Clone, Debug)]
pub struct Problem {
    pub severity: Severity,
    /// YAML key path, e.g. `["menu", "main", "options", "1", "to"]`.
    pub path: Vec<String>,
    pub message: String,
    pub help: Option<String>,
    pub at: At,
    /// Filled in from the YAML index (or from the YAML library's own error).
    pub pos: Option<Pos>,
    pub len: usize,
}

impl Problem {
    pub fn error(path: &[&str], message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            path: path.iter().map(|s| s.to_string()).collect(),
            message: message.into(),
            help: None,
            at: At::Value,
            pos: None,
            len: 1,
        }
    }

    pub fn warning(path: &[&str], message: impl Into<String>) -> Problem {
        Problem { severity: Severity::Warning, ..Problem::error(path, message) }
    }

    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn at_key(mut self) -> Problem {
        self.at = At::Key;
        self
    }

    /// Looks up the position of this problem's path.
    pub fn locate(&mut self, index: &Index) {
        if self.pos.is_some() {
            return;
        }
        let exact = index.exact(&self.path);
        if let Some(e) = exact.or_else(|| index.find(&self.path)) {
            let on_key = self.at == At::Key || exact.is_none();
            self.pos = Some(if on_key { e.key } else { e.value });
            self.len = if on_key { self.path.last().map_or(1, |k| k.chars().count().max(1)) } else { e.value_len };
        }
    }

    /// `menu.main.options."1".to` — the key path as a user reads it.
    pub fn path_text(&self) -> String {
        self.path
            .iter()
            .map(|k| {
                if k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') && !k.is_empty() {
                    k.clone()
                } else {
                    format!("\"{k}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// Everything wrong with one file (a load stops here: exit code 2).
#[derive(Debug)]
pub struct LoadError {
    pub file: String,
    pub text: Option<String>,
    pub problems: Vec<Problem>,
}

impl LoadError {
    /// A problem with the file as a whole (unreadable, not UTF-8, ...).
    pub fn whole_file(file: &str, message: impl Into<String>) -> LoadError {
        LoadError { file: file.to_string(), text: None, problems: vec![Problem::error(&[], message)] }
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Error)
    }
}

/// Byte offset of a 1-based line and column (columns count characters).
fn offset_of(text: &str, pos: Pos) -> Option<usize> {
    let line_start = if pos.line <= 1 { 0 } else { text.match_indices('\n').nth(pos.line - 2).map(|(i, _)| i + 1)? };
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let col = line.char_indices().nth(pos.col.saturating_sub(1)).map_or(line.len(), |(i, _)| i);
    Some(line_start + col)
}

/// Renders one problem the way compilers do: a one-line summary that names the
/// file, line, column and key, then the file's own line with a caret.
pub fn render(file: &str, text: Option<&str>, p: &Problem, color: bool) -> String {
    let kind = match p.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut where_ = file.to_string();
    if let Some(pos) = p.pos {
        where_ = format!("{file}:{}:{}", pos.line, pos.col);
    }
    let key = if p.path.is_empty() { String::new() } else { format!("{}: ", p.path_text()) };
    let mut out = format!("{kind}: {where_}: {key}{}\n", p.message);
    let snippet =
        p.pos.zip(text).and_then(|(pos, text)| {
            // A line too long to read (damaged or generated files) is not shown.
            if text.lines().nth(pos.line.saturating_sub(1)).is_none_or(|l| l.len() > 300) {
                return None;
            }
            let start = offset_of(text, pos)?;
            let len = text[start..]
                .char_indices()
                .nth(p.len)
                .map_or(text.len() - start, |(i, _)| i)
                .min(text[start..].find('\n').unwrap_or(text.len() - start))
                .max(1);
            let label = match p.severity {
                Severity::Error => "here",
                Severity::Warning => "this",
            };
            let severity = match p.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            };
            let diagnostic = MietteDiagnostic::new(p.message.clone())
                .with_severity(severity)
                .with_label(LabeledSpan::new(Some(label.to_string()), start, len));
            let diagnostic = match &p.help {
                Some(h) => diagnostic.with_help(h.clone()),
                None => diagnostic,
            };
            Some(miette::Report::new(diagnostic).with_source_code(NamedSource::new(file, text.to_string())))
        });
    match snippet {
        Some(report) => {
            let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
            let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
            let mut rendered = String::new();
            if handler.render_report(&mut rendered, report.as_ref()).is_ok() {
                // The first line already says what is wrong: show only the
                // file's lines and the help, not the message a second time.
                let mut lines = rendered.lines().skip_while(|l| !l.contains("╭─["));
                if let Some(first) = lines.next() {
                    out.push_str(first);
                    out.push('\n');
                }
                for l in lines {
                    out.push_str(l);
                    out.push('\n');
                }
            }
        }
        None => {
            if let Some(h) = &p.help {
                out.push_str(&format!("  help: {h}\n"));
            }
        }
    }
    out
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            f.write_str(&render(&self.file, self.text.as_deref(), p, false))?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// "did you mean `billing`?" for a name close to a known one.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(&name.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelled_name_gets_a_suggestion() {
        assert_eq!(did_you_mean("biling", ["billing", "tech"]), Some("billing"));
        assert_eq!(did_you_mean("zzz", ["billing", "tech"]), None);
    }

    #[test]
    fn rendering_names_file_line_column_and_key() {
        let text = "a: 1\nmenu:\n  main: { to: biling }\n";
        let mut p = Problem::error(&["menu", "main", "to"], "unknown menu node or queue `biling`")
            .help("did you mean `billing`?");
        p.pos = Some(Pos { line: 3, col: 16 });
        p.len = 6;
        let out = render("s.yaml", Some(text), &p, false);
        assert!(out.starts_with("error: s.yaml:3:16: menu.main.to: unknown"), "{out}");
        assert!(out.contains("main: { to: biling }"), "{out}");
        assert!(out.contains("did you mean"), "{out}");
    }
}
