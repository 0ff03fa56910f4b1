//! Where things are in the YAML text: a map from a key path
//! (`menu.main.options.1.to`) to the line and column of its key and value.
//!
//! serde gives locations only for errors it raises itself; checks made after
//! deserialising (unknown names, shares that do not sum to 1) use this index,
//! built from `yaml-rust2`'s marked events only when there is something to report.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A 1-based line and column in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// Where the key is written (for sequence items: the item itself).
    pub key: Pos,
    /// Where the value starts.
    pub value: Pos,
    /// Length of a scalar value, for underlining.
    pub value_len: usize,
}

#[derive(Default, Debug)]
pub struct Index {
    entries: HashMap<Vec<String>, Entry>,
    /// Keys written twice in one map: (path, where the second one is).
    pub duplicates: Vec<(Vec<String>, Pos)>,
}

enum Frame {
    Map { path: Vec<String>, key: Option<(String, Pos)>, seen: std::collections::HashSet<String> },
    Seq { path: Vec<String>, next: usize },
}

struct Builder {
    stack: Vec<Frame>,
    index: Index,
}

fn pos(m: &Marker) -> Pos {
    Pos { line: m.line(), col: m.col() + 1 }
}

impl Builder {
    /// Records a value starting at `at`; returns its path if it opens a container.
    fn value(&mut self, at: Pos, len: usize) -> Option<Vec<String>> {
        match self.stack.last_mut() {
            Some(Frame::Map { path, key, seen }) => {
                let (k, key_pos) = key.take()?;
                let mut p = path.clone();
                p.push(k.clone());
                if !seen.insert(k) {
                    self.index.duplicates.push((p.clone(), key_pos));
                    return Some(p);
                }
                self.index.entries.insert(p.clone(), Entry { key: key_pos, value: at, value_len: len });
                Some(p)
            }
            Some(Frame::Seq { path, next }) => {
                let mut p = path.clone();
                p.push(next.to_string());
                *next += 1;
                self.index.entries.insert(p.clone(), Entry { key: at, value: at, value_len: len });
                Some(p)
            }
            None => Some(Vec::new()),
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = pos(&mark);
        match ev {
            Event::Scalar(text, ..) => {
                if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                    if key.is_none() {
                        *key = Some((text, at));
                        return;
                    }
                }
                self.value(at, text.chars().count().max(1));
            }
            Event::Alias(_) => {
                self.value(at, 1);
            }
            Event::MappingStart(..) => {
                let in_key_position = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                let path = if in_key_position { Some(vec!["?".into()]) } else { self.value(at, 1) };
                self.stack.push(Frame::Map { path: path.unwrap_or_default(), key: None, seen: Default::default() });
            }
            Event::SequenceStart(..) => {
                let path = self.value(at, 1).unwrap_or_default();
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

impl Index {
    /// Indexes `text`; a file the parser rejects gives an empty index.
    pub fn build(text: &str) -> Index {
        let mut b = Builder { stack: Vec::new(), index: Index::default() };
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut b, false);
        b.index
    }

    /// The entry at `path`, or the nearest enclosing one that exists.
    pub fn find(&self, path: &[String]) -> Option<Entry> {
        (0..=path.len()).rev().find_map(|n| self.entries.get(&path[..n]).copied())
    }

    pub fn exact(&self, path: &[String]) -> Option<Entry> {
        self.entries.get(path).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<String> {
        s.split('.').map(String::from).collect()
    }

    #[test]
    fn a_key_written_twice_in_one_map_is_reported_where_it_repeats() {
        let idx = Index::build("callers:\n  c: { arrivals: 2/m }\n  c: { arrivals: 3/m }\n");
        assert_eq!(idx.duplicates, vec![(p("callers.c"), Pos { line: 3, col: 3 })]);
        assert_eq!(idx.exact(&p("callers.c")).unwrap().key.line, 2);
    }

    #[test]
    fn finds_keys_and_values_with_one_based_lines_and_columns() {
        let text = "name: x\nmenu:\n  main:\n    options:\n      \"1\": { to: billing }\nqueues:\n  - a\n  - b\n";
        let idx = Index::build(text);
        let e = idx.exact(&p("menu.main.options.1.to")).unwrap();
        assert_eq!(e.key, Pos { line: 5, col: 14 });
        assert_eq!(e.value, Pos { line: 5, col: 18 });
        assert_eq!(e.value_len, 7);
        assert_eq!(idx.exact(&p("queues.1")).unwrap().value, Pos { line: 8, col: 5 });
        assert_eq!(idx.find(&p("menu.main.nothing")).unwrap().key, Pos { line: 3, col: 3 });
    }
}
