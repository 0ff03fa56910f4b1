//! `--write`: the user's scenario text with each scheduled pool's roster as
//! `shifts:` (replacing its `agents:` or `shifts:`), every other byte kept
//! (`scenario::rewrite`), checked by loading it back.

use std::path::Path;

use crate::scenario::rewrite::{offset, set_pool_rota};
use crate::scenario::rota::RotaShift;
use crate::scenario::{Intervals, Scenario};

/// One shift as the file reads it: `{ start: "08:00", length: 8h30m, count: 3, breaks: [...] }`
/// (a clock time with `opens`, else an offset).
pub fn item(s: &RotaShift, intervals: &Intervals) -> String {
    let start = match intervals.opens {
        Some(_) => format!("\"{}\"", intervals.clock(s.start)),
        None => offset(s.start.as_secs_f64()),
    };
    let length = offset(s.end.since(s.start).as_secs_f64());
    let breaks = if s.breaks.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = s
            .breaks
            .iter()
            .map(|(at, len)| format!("{{ at: {}, length: {} }}", offset(at.as_secs_f64()), offset(len.as_secs_f64())))
            .collect();
        format!(", breaks: [{}]", list.join(", "))
    };
    format!("{{ start: {start}, length: {length}, count: {}{breaks} }}", s.count)
}

/// The scenario text `text` (read from `file`) with every pool of `pools`
/// working the rota `design` gives it; `path`, where it will be written, names the errors.
pub fn scheduled_text(
    text: &str,
    file: &str,
    design: &Scenario,
    pools: &[usize],
    path: &Path,
) -> Result<String, String> {
    let mut out = text.to_string();
    for &p in pools {
        let pool = &design.pools[p];
        if pool.rota.is_empty() {
            return Err(format!(
                "error: --write {}: pool `{}` needs no shift at all; a `shifts:` list cannot be empty: give it `agents: 0` \
                 or leave it out of the rules' `pools:`; nothing was written",
                path.display(),
                pool.name
            ));
        }
        let items: Vec<String> = pool.rota.iter().map(|s| item(s, &design.intervals)).collect();
        out = set_pool_rota(&out, &pool.name, &items)
            .map_err(|e| format!("error: --write {}: {file}: {e}", path.display()))?;
    }
    let check = crate::scenario::load_str(&path.display().to_string(), &out).map_err(|e| {
        format!(
            "error: --write {}: the edited scenario does not load back ({} problems); nothing was written",
            path.display(),
            e.problems.len()
        )
    })?;
    for &p in pools {
        if check.scenario.pools[p].rota != design.pools[p].rota {
            return Err(format!(
                "error: --write {}: the edited `pools.{}.shifts` does not read back as the roster found; nothing was written",
                path.display(),
                design.pools[p].name
            ));
        }
    }
    Ok(out)
}
