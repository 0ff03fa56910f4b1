//! `shop validate FILE`: load errors exactly as `run` shows them (exit 2), then
//! the designer's warnings with the file's own lines, a map of each reason's
//! path through the menu, and a summary. `--strict` makes warnings exit 1.

use super::Failure;
use crate::cli::ValidateArgs;
use crate::pipeline::load;
use crate::scenario::error::render;
use crate::scenario::lint::{lint, menu_map};

pub fn run(args: &ValidateArgs) -> Result<(), Failure> {
    let loaded = load(&args.file)?;
    let sc = &loaded.scenario;
    let index = &loaded.index;
    let mut warnings = loaded.warnings.clone();
    warnings.extend(lint(sc, index));
    // File order; problems without a position last. The sort is stable.
    warnings.sort_by_key(|p| p.pos.map_or((usize::MAX, 0), |q| (q.line, q.col)));

    let color = crate::pipeline::stdout_colour();
    let mut out = String::new();
    out.push_str("Menu map: each reason's path with the keys meant for it, and the prompts heard on the way\n");
    out.push_str(&menu_map(sc));
    for w in &warnings {
        out.push('\n');
        out.push_str(&render(&loaded.file, Some(&loaded.text), w, color));
    }
    out.push('\n');
    let n = warnings.len();
    if n == 0 {
        let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        out.push_str(&format!(
            "{}: OK, no warnings ({}, {}, {}, {}, {})\n",
            loaded.file,
            count(sc.callers.len(), "caller type", "caller types"),
            count(sc.reasons.len(), "reason", "reasons"),
            count(sc.nodes.len(), "menu node", "menu nodes"),
            count(sc.queues.len(), "queue", "queues"),
            count(sc.pools.len(), "pool", "pools"),
        ));
    } else {
        let what = if n == 1 { "1 warning".to_string() } else { format!("{n} warnings") };
        let strict = if args.strict { " (--strict: exit 1)" } else { "" };
        out.push_str(&format!("{}: {what}, no errors{strict}\n", loaded.file));
    }
    crate::output::write_output(None, &out)?;
    if n > 0 && args.strict { Err(Failure::Warnings) } else { Ok(()) }
}
