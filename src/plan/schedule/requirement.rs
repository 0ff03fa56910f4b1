//! The agents each pool needs on the phones per interval: `shop staff`'s
//! answer, computed by the same search, or read from `--requirement FILE`
//! (`shop staff --format json` output: `intervals[].from`, `.to`, `.agents.POOL`).

use serde::Deserialize;

use crate::scenario::Scenario;
use crate::time::SimDuration;

/// Agents needed by pool then interval (`need[p][k]`; empty for pools not scheduled).
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    pub need: Vec<Vec<f64>>,
    /// Where it came from, for the report.
    pub source: String,
}

#[derive(Deserialize)]
struct StaffJson {
    intervals: Vec<StaffInterval>,
}

#[derive(Deserialize)]
struct StaffInterval {
    from: f64,
    to: f64,
    agents: indexmap::IndexMap<String, f64>,
}

/// From `shop staff`'s agents found (`agents[p][k]`).
pub fn from_staff(sc: &Scenario, pools: &[usize], agents: &[Vec<u32>]) -> Requirement {
    let need = (0..sc.pools.len())
        .map(|p| if pools.contains(&p) { agents[p].iter().map(|n| f64::from(*n)).collect() } else { Vec::new() })
        .collect();
    Requirement { need, source: "shop staff, computed for the targets".into() }
}

/// Reads `shop staff --format json` output. The scenario's interval becomes
/// the file's (its intervals must run from time 0 to the horizon, all of one length).
pub fn read(file: &str, text: &str, sc: &mut Scenario, pools: &[usize]) -> Result<Requirement, String> {
    let json: StaffJson = serde_json::from_str(text).map_err(|e| {
        format!(
            "error: --requirement {file}: {e}\n  help: give the JSON `shop staff FILE --format json` writes: \
             `intervals` with `from`, `to` (seconds) and `agents` per pool"
        )
    })?;
    let Some(first) = json.intervals.first() else {
        return Err(format!("error: --requirement {file}: no intervals listed"));
    };
    let len = first.to - first.from;
    if len.is_nan() || len <= 0.0 {
        return Err(format!("error: --requirement {file}: intervals[0] ends before it starts"));
    }
    let horizon = sc.horizon.as_secs_f64();
    for (k, i) in json.intervals.iter().enumerate() {
        let from = len * k as f64;
        let to = (from + len).min(horizon);
        if (i.from - from).abs() > 1e-6 || (i.to - to).abs() > 1e-6 {
            return Err(format!(
                "error: --requirement {file}: intervals[{k}] runs {}–{} s; expected {from}–{to} s (intervals of {len} s \
                 from time 0 to the scenario's horizon, {horizon} s)\n  help: make the requirement with `shop staff` on this scenario",
                i.from, i.to
            ));
        }
    }
    sc.intervals.length = SimDuration::from_secs_f64(len);
    if sc.intervals.count() != json.intervals.len() {
        return Err(format!(
            "error: --requirement {file}: {} intervals of {len} s; the scenario's day ({horizon} s) has {}",
            json.intervals.len(),
            sc.intervals.count()
        ));
    }
    let mut need = vec![Vec::new(); sc.pools.len()];
    for &p in pools {
        let name = &sc.pools[p].name;
        for (k, i) in json.intervals.iter().enumerate() {
            let Some(&n) = i.agents.get(name) else {
                return Err(format!(
                    "error: --requirement {file}: intervals[{k}].agents has no `{name}`\n  help: the rules schedule pool \
                     `{name}`: give a requirement for it, or list the pools to schedule under `pools:` in the rules"
                ));
            };
            if !(n.is_finite() && n >= 0.0) {
                return Err(format!("error: --requirement {file}: intervals[{k}].agents.{name}: {n} is not 0 or more"));
            }
            need[p].push(n);
        }
    }
    Ok(Requirement { need, source: format!("--requirement {file}") })
}
