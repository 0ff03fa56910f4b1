//! Edits a scenario's text in place, keeping everything else the user wrote
//! (comments, order, layout): today, a pool's `agents:` value replaced by shifts
//! (`shop staff --write`). The value is found with the locate index; a block
//! mapping gets a block list, a flow mapping (`{ agents: 4, ... }`) a flow list.

use super::locate::Index;

/// `0h`, `30m`, `1h30m`, `2h`, `90s` for shift starts, as the file format reads them.
pub fn offset(secs: f64) -> String {
    let s = secs.round() as u64;
    let (h, m, rest) = (s / 3600, s / 60 % 60, s % 60);
    match (h, m, rest) {
        (h, 0, 0) => format!("{h}h"),
        (0, m, 0) => format!("{m}m"),
        (h, m, 0) => format!("{h}h{m}m"),
        _ => format!("{s}s"),
    }
}

/// The text with pool `pool`'s `agents:` replaced by these shifts (start in
/// seconds, agents). Errors when the file has no such key (nothing is guessed).
pub fn set_pool_shifts(text: &str, pool: &str, shifts: &[(f64, u32)]) -> Result<String, String> {
    let items: Vec<String> =
        shifts.iter().map(|(from, n)| format!("{{ from: {}, agents: {n} }}", offset(*from))).collect();
    set_pool_list(text, pool, "agents", &items)
}

/// The text with pool `pool`'s `agents:` or `shifts:` (whichever it has)
/// replaced by `shifts:` listing these flow mappings, one per item (`shop
/// schedule --write`). Errors when the pool has neither key.
pub fn set_pool_rota(text: &str, pool: &str, items: &[String]) -> Result<String, String> {
    let index = Index::build(text);
    let has = |key: &str| index.exact(&["pools", pool, key].map(String::from)).is_some();
    let key = if has("shifts") { "shifts" } else { "agents" };
    let out = set_pool_list(text, pool, key, items)?;
    if key == "shifts" {
        return Ok(out);
    }
    // Rename the key: it comes before its value, so its place is unchanged.
    let entry = index.exact(&["pools", pool, "agents"].map(String::from)).ok_or("no agents key")?;
    let lines: Vec<&str> = out.split_inclusive('\n').collect();
    let start: usize = lines[..entry.key.line - 1].iter().map(|s| s.len()).sum::<usize>()
        + lines[entry.key.line - 1].char_indices().nth(entry.key.col - 1).map_or(0, |(i, _)| i);
    if !out[start..].starts_with("agents") {
        return Err(format!("the `pools.{pool}.agents` key is not where the file's index says"));
    }
    Ok(format!("{}shifts{}", &out[..start], &out[start + "agents".len()..]))
}

/// The text with the value of `pools.POOL.KEY` replaced by a list of `items`.
fn set_pool_list(text: &str, pool: &str, key: &str, items: &[String]) -> Result<String, String> {
    set_list(text, &["pools", pool, key], items)
}

/// The text with the value at `path` (`callers.NAME.arrivals`) replaced by a
/// list of `items` (flow mappings), in the layout the value had: a block list
/// under a key of a block mapping, a flow list inside a flow mapping.
/// Errors when the file has no such key (nothing is guessed).
pub fn set_list(text: &str, path: &[&str], items: &[String]) -> Result<String, String> {
    let key = *path.last().ok_or("an empty path")?;
    let index = Index::build(text);
    let path_owned: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    let entry = index.exact(&path_owned).ok_or_else(|| format!("no `{}` key in the file", path.join(".")))?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line_start = |l: usize| lines[..l - 1].iter().map(|s| s.len()).sum::<usize>();
    let byte_at = |line: usize, col: usize| {
        let l = lines[line - 1];
        line_start(line) + l.char_indices().nth(col - 1).map_or(l.len(), |(i, _)| i)
    };
    let key_line = lines[entry.key.line - 1];
    let key_indent = key_line.len() - key_line.trim_start().len();
    let key_starts_line = key_line.trim_start().starts_with(key);
    let start = byte_at(entry.value.line, entry.value.col);
    if entry.value.line == entry.key.line {
        // A value on the key's line: a number, or a flow list `[..]`.
        let end = match text[start..].chars().next() {
            Some('[') => {
                start + matching_bracket(&text[start..]).ok_or_else(|| format!("an unclosed `[` after `{key}:`"))? + 1
            }
            _ => start + text[start..].char_indices().nth(entry.value_len).map_or(text.len() - start, |(i, _)| i),
        };
        if key_starts_line && !in_flow_map(key_line, entry.key.col) {
            // Block mapping: the key then one item a line, indented under it.
            let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
            let rest = text[end..line_end].trim();
            let pad = " ".repeat(key_indent + 2);
            let block: String = items.iter().map(|i| format!("\n{pad}- {i}")).collect();
            let head = text[..start].trim_end();
            let comment = if rest.is_empty() { String::new() } else { format!(" {rest}") };
            return Ok(format!("{head}{comment}{block}{}", &text[line_end..]));
        }
        return Ok(format!("{}[{}]{}", &text[..start], items.join(", "), &text[end..]));
    }
    // A block list on the following lines: replace its lines, keep the indentation.
    let dash_col = entry.value.col - 1;
    let first = entry.value.line;
    let mut last = first;
    for (i, l) in lines.iter().enumerate().skip(first) {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let indent = l.len() - l.trim_start().len();
        if indent > dash_col || (indent == dash_col && t.starts_with('-')) {
            last = i + 1;
        } else {
            break;
        }
    }
    let pad = " ".repeat(dash_col);
    let block: String = items.iter().map(|i| format!("{pad}- {i}\n")).collect();
    let from = line_start(first);
    let to = line_start(last) + lines[last - 1].len();
    let block = if lines[last - 1].ends_with('\n') { block } else { block.trim_end_matches('\n').to_string() };
    Ok(format!("{}{block}{}", &text[..from], &text[to..]))
}

/// The text with the top-level scalar `key` set to `value` (written as is):
/// its value replaced when the file has the key, else `key: value` added
/// after the file's leading comments.
pub fn set_top_scalar(text: &str, key: &str, value: &str) -> Result<String, String> {
    let index = Index::build(text);
    let Some(entry) = index.exact(&[key.to_string()]) else {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let head = lines.iter().take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#')).count();
        let at: usize = lines[..head].iter().map(|l| l.len()).sum();
        return Ok(format!("{}{key}: {value}\n{}", &text[..at], &text[at..]));
    };
    if entry.value.line != entry.key.line {
        return Err(format!("the top-level `{key}` is not a plain value on its line"));
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line_start: usize = lines[..entry.value.line - 1].iter().map(|s| s.len()).sum();
    let l = lines[entry.value.line - 1];
    let start = line_start + l.char_indices().nth(entry.value.col - 1).map_or(l.len(), |(i, _)| i);
    let end = start + text[start..].char_indices().nth(entry.value_len).map_or(text.len() - start, |(i, _)| i);
    Ok(format!("{}{value}{}", &text[..start], &text[end..]))
}

/// Whether the key at `col` (1-based) sits inside a `{ ... }` opened earlier on its line.
fn in_flow_map(line: &str, col: usize) -> bool {
    let before: String = line.chars().take(col - 1).collect();
    before.matches('{').count() > before.matches('}').count()
}

/// The byte offset of the `]` closing the `[` at the start of `s`.
fn matching_bracket(s: &str) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, ch) in s.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(ch),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIFTS: [(f64, u32); 2] = [(0.0, 3), (5400.0, 5)];

    #[test]
    fn a_number_in_a_block_mapping_becomes_a_block_list_and_its_comment_stays() {
        let text = "pools:\n  a:\n    agents: 9   # nine\n    handle: 5m\n";
        let out = set_pool_shifts(text, "a", &SHIFTS).unwrap();
        assert_eq!(
            out,
            "pools:\n  a:\n    agents: # nine\n      - { from: 0h, agents: 3 }\n      - { from: 1h30m, agents: 5 }\n    handle: 5m\n"
        );
    }

    #[test]
    fn a_flow_mapping_gets_a_flow_list() {
        let text =
            "pools:\n  a: { agents: 10, handle: exp(11m) }\n  b: { agents: [{from: 0h, agents: 1}], handle: 5m }\n";
        let out = set_pool_shifts(text, "a", &SHIFTS).unwrap();
        let out = set_pool_shifts(&out, "b", &SHIFTS[..1]).unwrap();
        assert_eq!(
            out,
            "pools:\n  a: { agents: [{ from: 0h, agents: 3 }, { from: 1h30m, agents: 5 }], handle: exp(11m) }\n  b: { agents: [{ from: 0h, agents: 3 }], handle: 5m }\n"
        );
    }

    #[test]
    fn a_block_list_of_shifts_is_replaced_line_for_line() {
        let text = "pools:\n  t:\n    agents:   # shifts\n      - { from: 0h, agents: 8 }\n      - { from: 2h, agents: 11 }\n    handle: 9m\n";
        let out = set_pool_shifts(text, "t", &SHIFTS).unwrap();
        assert_eq!(
            out,
            "pools:\n  t:\n    agents:   # shifts\n      - { from: 0h, agents: 3 }\n      - { from: 1h30m, agents: 5 }\n    handle: 9m\n"
        );
        assert!(set_pool_shifts(text, "nope", &SHIFTS).is_err());
    }

    #[test]
    fn agents_become_shifts_and_shifts_are_replaced() {
        let items = vec!["{ start: 0h, length: 8h, count: 2 }".to_string()];
        let text = "pools:\n  a:\n    agents: 9   # nine\n    handle: 5m\n  b: { agents: 3, handle: 5m }\n";
        let out = set_pool_rota(text, "a", &items).unwrap();
        let out = set_pool_rota(&out, "b", &items).unwrap();
        assert_eq!(
            out,
            "pools:\n  a:\n    shifts: # nine\n      - { start: 0h, length: 8h, count: 2 }\n    handle: 5m\n  b: { shifts: [{ start: 0h, length: 8h, count: 2 }], handle: 5m }\n"
        );
        let again = set_pool_rota(&out, "a", &["{ start: 1h, length: 8h, count: 1 }".to_string()]).unwrap();
        assert!(
            again.contains("    shifts: # nine\n      - { start: 1h, length: 8h, count: 1 }\n    handle"),
            "{again}"
        );
    }

    #[test]
    fn offsets_read_as_durations() {
        assert_eq!(offset(0.0), "0h");
        assert_eq!(offset(1800.0), "30m");
        assert_eq!(offset(37800.0), "10h30m");
        assert_eq!(offset(95.0), "95s");
    }
}
