//! `--write`: the user's scenario text with the staffing found as shifts,
//! every other byte kept (`scenario::rewrite`), checked by loading it back.

use std::path::Path;

use super::{Answer, Request, shifts};
use crate::scenario::rewrite;

/// The scenario text `text` (read from `file`) with every searched pool's
/// agents as shifts; `path`, where it will be written, names the errors.
pub(crate) fn staffed_text(text: &str, file: &str, req: &Request, a: &Answer, path: &Path) -> Result<String, String> {
    let sc = &req.scenario;
    let mut out = text.to_string();
    for &p in &req.pools {
        let steps: Vec<(f64, u32)> = shifts(sc, &a.agents[p]).iter().map(|(t, n)| (t.as_secs_f64(), *n)).collect();
        out = rewrite::set_pool_shifts(&out, &sc.pools[p].name, &steps)
            .map_err(|e| format!("error: --write {}: {file}: {e}", path.display()))?;
    }
    let check = crate::scenario::load_str(&path.display().to_string(), &out).map_err(|e| {
        format!(
            "error: --write {}: the edited scenario does not load back ({} problems); nothing was written",
            path.display(),
            e.problems.len()
        )
    })?;
    for &p in &req.pools {
        if check.scenario.pools[p].shifts != shifts(sc, &a.agents[p]) {
            return Err(format!(
                "error: --write {}: the edited `pools.{}.agents` does not read back as the staffing found; nothing was written",
                path.display(),
                sc.pools[p].name
            ));
        }
    }
    Ok(out)
}
