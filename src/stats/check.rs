//! The CI gate's verdict: every gate applied to every scope of a comparison.
//!
//! A change gate fails only when the change is past its limit AND the 95%
//! interval of the change lies wholly on the worse side of zero (criterion's
//! rule): a limit catches changes too small to matter, the interval catches
//! changes that are only noise. A level gate fails when HEAD's figure is past
//! the level AND so is the whole 95% interval of that figure. A caller type or
//! queue that a gate covers in BASE and that HEAD lacks fails (a rename must
//! not escape its gates) unless missing ones are allowed.

use serde::Serialize;

use super::comparison::{ALL_CALLERS, Comparison, Design, Figures};
use super::gate::{Bound, Gate, Op, Scope};
use super::metric::Metric;
use super::paired::{Paired, r6};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Past the limit, and the interval says it is not noise.
    Failed,
    /// Gated in BASE, absent from HEAD (renamed or removed): fails.
    Missing,
    /// Past the limit at this sample size, but the interval reaches back within it.
    WithinNoise,
    Passed,
    /// Absent from HEAD, accepted with `--allow-missing`.
    MissingAllowed,
    /// One of the designs measured nothing here (e.g. no call reached a queue).
    NotMeasured,
}

impl Status {
    pub fn words(self) -> &'static str {
        match self {
            Status::Failed => "FAIL",
            Status::Missing => "FAIL (missing in head)",
            Status::WithinNoise => "pass (noise)",
            Status::Passed => "pass",
            Status::MissingAllowed => "missing in head (allowed)",
            Status::NotMeasured => "not measured",
        }
    }

    pub fn fails(self) -> bool {
        matches!(self, Status::Failed | Status::Missing)
    }
}

/// Whether a gate bounds a change from BASE or a level of HEAD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Change,
    Level,
}

/// One gate on one scope.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GateResult {
    pub gate: String,
    /// A caller type, "all callers", or "queue NAME".
    pub scope: String,
    pub metric: Metric,
    pub kind: Kind,
    pub base: Option<f64>,
    pub head: Option<f64>,
    /// head − base.
    pub change: Option<f64>,
    /// (head − base) / base.
    pub rel_change: Option<f64>,
    /// 95% interval of the change (it contains `change`), from paired replications.
    pub change_ci95: Option<[f64; 2]>,
    /// 95% interval of HEAD's figure (it contains `head`).
    pub head_ci95: Option<[f64; 2]>,
    /// The limit as written (`+5% or +5s`, `3m`).
    pub limit: String,
    /// For a change gate, the change allowed for this base value; for a level
    /// gate, the level (seconds or share).
    pub allowed: Option<f64>,
    pub status: Status,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CheckReport {
    /// "pass" or "fail".
    pub result: &'static str,
    pub base: Design,
    pub head: Design,
    pub seed: u64,
    pub replications: u32,
    pub gates: Vec<String>,
    /// Failed gates, missing scopes included.
    pub failed: usize,
    /// Failed first, then missing, passing-within-noise, passed, not measured.
    pub results: Vec<GateResult>,
    /// Caller types and queues in one design only that no gate covered.
    pub not_gated: Vec<String>,
}

fn apply(gate: &Gate, scope: &str, p: &Paired) -> GateResult {
    let worse = |x: f64, bound: f64| match gate.op {
        Op::AtMost => x > bound,
        Op::AtLeast => x < bound,
    };
    // The interval is wholly on the worse side of `bound`; with one replication
    // there is no interval and the point figure decides.
    let wholly_worse = |ci: Option<[f64; 2]>, bound: f64| {
        ci.is_none_or(|[lo, hi]| match gate.op {
            Op::AtMost => lo > bound,
            Op::AtLeast => hi < bound,
        })
    };
    let verdict = |past: bool, real: bool| match (past, real) {
        (true, true) => Status::Failed,
        (true, false) => Status::WithinNoise,
        _ => Status::Passed,
    };
    let (kind, status, allowed) = match (&gate.bound, p.a, p.b, p.diff) {
        (Bound::Level(level), _, Some(head), _) => {
            let status = verdict(worse(head, *level), wholly_worse(p.b_ci95, *level));
            (Kind::Level, status, Some(*level))
        }
        (Bound::Change(_), Some(base), _, Some(change)) => {
            let allowed = gate.allowed_change(base).map(r6).unwrap_or(0.0);
            let status = verdict(worse(change, allowed), wholly_worse(p.diff_ci95, 0.0));
            (Kind::Change, status, Some(allowed))
        }
        (bound, ..) => {
            let kind = if matches!(bound, Bound::Level(_)) { Kind::Level } else { Kind::Change };
            (kind, Status::NotMeasured, None)
        }
    };
    GateResult {
        gate: gate.text.clone(),
        scope: scope.to_string(),
        metric: gate.metric,
        kind,
        base: p.a,
        head: p.b,
        change: p.diff,
        rel_change: p.rel_diff,
        change_ci95: p.diff_ci95,
        head_ci95: p.b_ci95,
        limit: gate.limit_text().to_string(),
        allowed,
        status,
    }
}

fn missing(gate: &Gate, scope: String, allow: bool) -> GateResult {
    GateResult {
        gate: gate.text.clone(),
        scope,
        metric: gate.metric,
        kind: if gate.is_level() { Kind::Level } else { Kind::Change },
        base: None,
        head: None,
        change: None,
        rel_change: None,
        change_ci95: None,
        head_ci95: None,
        limit: gate.limit_text().to_string(),
        allowed: None,
        status: if allow { Status::MissingAllowed } else { Status::Missing },
    }
}

/// Names of one kind in both designs.
pub struct Names<'a> {
    pub base: &'a [String],
    pub head: &'a [String],
}

/// Checks that every scope a gate names exists in at least one design (a name
/// in neither is a typo: a usage error naming the known ones).
pub fn check_scopes(gates: &[Gate], callers: Names, queues: Names) -> Result<(), String> {
    for g in gates {
        let (kind, name, names) = match &g.scope {
            Scope::Caller(c) => ("caller type", c, &callers),
            Scope::Queue(q) => ("queue", q, &queues),
            _ => continue,
        };
        if names.base.contains(name) || names.head.contains(name) {
            continue;
        }
        let known: Vec<&str> = names.base.iter().chain(names.head).map(String::as_str).collect();
        let hint = crate::scenario::error::did_you_mean(name, known.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        let mut known_list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        let mut seen = std::collections::HashSet::new();
        known_list.retain(|k| seen.insert(k.clone()));
        return Err(format!(
            "gate `{}`: unknown {kind} `{name}`{hint}\n  {kind}s in the designs: {}",
            g.text,
            known_list.join(", ")
        ));
    }
    Ok(())
}

impl CheckReport {
    /// Applies every gate. `allow_missing` turns "gated in BASE, absent from
    /// HEAD" from a failure into a note.
    pub fn build(gates: &[Gate], c: &Comparison, allow_missing: bool) -> CheckReport {
        // With one caller type, "all callers" repeats it: gate it once.
        let one_type = c.by_caller.len() == 1 && c.only_in_a_callers().is_empty();
        let mut results = Vec::new();
        for g in gates {
            let mut on = |scope: &str, f: &Figures| {
                if let Some(p) = f.get(&g.metric) {
                    results.push(apply(g, scope, p));
                }
            };
            match &g.scope {
                Scope::EachCaller => {
                    for (name, f) in &c.by_caller {
                        on(name, f);
                    }
                    if !one_type {
                        on(ALL_CALLERS, &c.overall);
                    }
                    for name in c.only_in_a_callers() {
                        results.push(missing(g, name.to_string(), allow_missing));
                    }
                }
                Scope::AllCallers => on(ALL_CALLERS, &c.overall),
                Scope::Caller(name) => match c.by_caller.get(name) {
                    Some(f) => on(name, f),
                    None if c.only_in_a_callers().contains(&name.as_str()) => {
                        results.push(missing(g, name.clone(), allow_missing));
                    }
                    None => {}
                },
                Scope::WorstInterval => {
                    let w = &c.worst_interval;
                    let label = |l: &Option<String>| l.clone().unwrap_or_else(|| "none".into());
                    on(&format!("worst interval (base {}, head {})", label(&w.a), label(&w.b)), &w.figures);
                }
                Scope::Queue(name) => match c.by_queue.get(name) {
                    Some(f) => on(&format!("queue {name}"), f),
                    None if c.only_in_a_queues().contains(&name.as_str()) => {
                        results.push(missing(g, format!("queue {name}"), allow_missing));
                    }
                    None => {}
                },
            }
        }
        // Stable: within a status, gates keep their order.
        results.sort_by_key(|r| r.status);
        let failed = results.iter().filter(|r| r.status.fails()).count();
        let gated: Vec<&str> = results.iter().map(|r| r.scope.as_str()).collect();
        let not_gated = c
            .only_in_a_callers()
            .into_iter()
            .filter(|n| !gated.contains(n))
            .map(|n| format!("caller type `{n}` is in base only"))
            .chain(c.only_in_b_callers().into_iter().map(|n| format!("caller type `{n}` is in head only")))
            .collect();
        CheckReport {
            result: if failed > 0 { "fail" } else { "pass" },
            base: c.a.clone(),
            head: c.b.clone(),
            seed: c.seed,
            replications: c.replications,
            gates: gates.iter().map(|g| g.text.clone()).collect(),
            failed,
            results,
            not_gated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::paired::Paired;

    fn paired(a: f64, b: f64, ci: [f64; 2]) -> Paired {
        let mut p = Paired::new(crate::stats::metric::WAIT_P95, (Some(a), Some(b)), (&[], &[]));
        p.diff_ci95 = Some(ci);
        p
    }

    #[test]
    fn a_change_gate_fails_only_past_its_limit_and_beyond_noise() {
        let g = Gate::parse("wait.p95 <= +5%").unwrap();
        assert_eq!(apply(&g, "c", &paired(100.0, 120.0, [10.0, 30.0])).status, Status::Failed);
        assert_eq!(apply(&g, "c", &paired(100.0, 120.0, [-5.0, 45.0])).status, Status::WithinNoise);
        assert_eq!(apply(&g, "c", &paired(100.0, 104.0, [3.0, 5.0])).status, Status::Passed);
        assert_eq!(apply(&g, "c", &paired(100.0, 100.0, [0.0, 0.0])).status, Status::Passed);
        let sl = Gate::parse("service_level >= -0.02").unwrap();
        assert_eq!(apply(&sl, "c", &paired(0.8, 0.7, [-0.15, -0.05])).status, Status::Failed);
        assert_eq!(apply(&sl, "c", &paired(0.8, 0.79, [-0.15, -0.05])).status, Status::Passed);
    }

    #[test]
    fn a_level_gate_judges_heads_own_figure() {
        let g = Gate::parse("wait.p95 <= 120s").unwrap();
        let mut p = paired(300.0, 216.0, [-90.0, -78.0]);
        p.b_ci95 = Some([200.0, 230.0]);
        let r = apply(&g, "c", &p);
        assert_eq!((r.kind, r.status), (Kind::Level, Status::Failed), "better than base, but over the level");
        p.b_ci95 = Some([110.0, 320.0]);
        assert_eq!(apply(&g, "c", &p).status, Status::WithinNoise);
        let mut ok = paired(300.0, 100.0, [-210.0, -190.0]);
        ok.b_ci95 = Some([90.0, 110.0]);
        assert_eq!(apply(&g, "c", &ok).status, Status::Passed);
    }

    #[test]
    fn nothing_measured_is_not_a_failure() {
        let g = Gate::parse("wait.max <= +30s").unwrap();
        let p = Paired::new(crate::stats::metric::WAIT_P95, (None, Some(3.0)), (&[], &[]));
        assert_eq!(apply(&g, "c", &p).status, Status::NotMeasured);
    }
}
