//! The CI gate's verdict: every gate applied to every caller scope of a
//! comparison. A gate fails only when the change is past its limit AND the
//! paired 95% interval of the change lies wholly on the worse side of zero
//! (criterion's rule): a limit catches changes too small to matter, the
//! interval catches changes that are only noise.

use serde::Serialize;

use super::comparison::{ALL_CALLERS, Comparison, Design};
use super::gate::{ALL, Gate, Op};
use super::paired::{Paired, r6};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Past the limit, and the interval says it is not noise.
    Failed,
    /// Past the limit at this sample size, but the interval includes no change.
    WithinNoise,
    Passed,
    /// One of the designs measured nothing here (e.g. no call reached a queue).
    NotMeasured,
}

impl Status {
    pub fn words(self) -> &'static str {
        match self {
            Status::Failed => "FAIL",
            Status::WithinNoise => "pass (noise)",
            Status::Passed => "pass",
            Status::NotMeasured => "not measured",
        }
    }
}

/// One gate on one caller scope.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GateResult {
    pub gate: String,
    /// A caller type, or "all callers".
    pub caller: String,
    pub metric: String,
    pub base: Option<f64>,
    pub head: Option<f64>,
    /// head − base.
    pub change: Option<f64>,
    /// (head − base) / base.
    pub rel_change: Option<f64>,
    /// 95% interval of the change, from paired replications.
    pub change_ci95: Option<[f64; 2]>,
    /// The limit as written (`+5% or +5s`).
    pub limit: String,
    /// The limit in the metric's unit for this base value (seconds or share).
    pub allowed_change: Option<f64>,
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
    pub failed: usize,
    /// Failed first, then passing-within-noise, passed, not measured.
    pub results: Vec<GateResult>,
    /// Caller types in one design only: no gate could compare them (a renamed or
    /// removed caller type must not pass unnoticed).
    pub not_gated: Vec<String>,
}

fn apply(gate: &Gate, caller: &str, p: &Paired) -> GateResult {
    let (status, allowed) = match (p.a, p.diff) {
        (Some(base), Some(change)) => {
            let allowed = r6(gate.allowed_change(base));
            let past = match gate.op {
                Op::AtMost => change > allowed,
                Op::AtLeast => change < allowed,
            };
            // With one replication there is no interval: the point change decides.
            let real = p.diff_ci95.is_none_or(|[lo, hi]| match gate.op {
                Op::AtMost => lo > 0.0,
                Op::AtLeast => hi < 0.0,
            });
            let status = match (past, real) {
                (true, true) => Status::Failed,
                (true, false) => Status::WithinNoise,
                _ => Status::Passed,
            };
            (status, Some(allowed))
        }
        _ => (Status::NotMeasured, None),
    };
    GateResult {
        gate: gate.text.clone(),
        caller: caller.to_string(),
        metric: gate.metric.name(),
        base: p.a,
        head: p.b,
        change: p.diff,
        rel_change: p.rel_diff,
        change_ci95: p.diff_ci95,
        limit: gate.limit_text().to_string(),
        allowed_change: allowed,
        status,
    }
}

/// Checks the gates' caller scopes against the caller types of both designs;
/// the error names the unknown caller and the known ones.
pub fn check_scopes(gates: &[Gate], base: &[String], head: &[String]) -> Result<(), String> {
    let both: Vec<&str> = base.iter().filter(|n| head.contains(n)).map(String::as_str).collect();
    for g in gates {
        let Some(scope) = g.scope.as_deref() else { continue };
        if scope == ALL || both.contains(&scope) {
            continue;
        }
        let hint = crate::scenario::error::did_you_mean(scope, both.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        let only = match (base.iter().any(|n| n == scope), head.iter().any(|n| n == scope)) {
            (true, false) => " (it is in base only, so it cannot be compared)",
            (false, true) => " (it is in head only, so it cannot be compared)",
            _ => "",
        };
        return Err(format!(
            "gate `{}`: unknown caller type `{scope}`{only}{hint}\n  caller types in both designs: {}; `{ALL}:` gates all callers together",
            g.text,
            both.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(())
}

impl CheckReport {
    pub fn build(gates: &[Gate], c: &Comparison) -> CheckReport {
        // With one caller type, "all callers" repeats it: gate it once.
        let scopes: Vec<_> = c
            .caller_scopes()
            .filter(|(name, f)| *name != ALL_CALLERS || c.by_caller.len() != 1 || c.by_caller.values().all(|x| x != *f))
            .collect();
        let mut results = Vec::new();
        for g in gates {
            for (name, figures) in &scopes {
                let wanted = match g.scope.as_deref() {
                    None => true,
                    Some(ALL) => *name == ALL_CALLERS,
                    Some(s) => s == *name,
                };
                if let (true, Some(p)) = (wanted, figures.get(&g.metric.name())) {
                    results.push(apply(g, name, p));
                }
            }
        }
        // Stable: within a status, gates keep their order.
        results.sort_by_key(|r| r.status);
        let failed = results.iter().filter(|r| r.status == Status::Failed).count();
        CheckReport {
            result: if failed > 0 { "fail" } else { "pass" },
            base: c.a.clone(),
            head: c.b.clone(),
            seed: c.seed,
            replications: c.replications,
            gates: gates.iter().map(|g| g.text.clone()).collect(),
            failed,
            results,
            not_gated: not_gated(c),
        }
    }
}

/// "caller type `x` is in base only", for caller types one design lacks.
fn not_gated(c: &Comparison) -> Vec<String> {
    let only = |list: &[String], side: &str| -> Vec<String> {
        list.iter().filter(|s| s.starts_with("caller type")).map(|s| format!("{s} is in {side} only")).collect()
    };
    let mut out = only(&c.only_in_a, "base");
    out.extend(only(&c.only_in_b, "head"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::paired::{Direction, Paired};

    fn paired(a: f64, b: f64, ci: [f64; 2]) -> Paired {
        let mut p = Paired::new((Some(a), Some(b)), (&[], &[]), Direction::LowerIsBetter);
        p.diff_ci95 = Some(ci);
        p
    }

    #[test]
    fn a_gate_fails_only_past_its_limit_and_beyond_noise() {
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
    fn nothing_measured_is_not_a_failure() {
        let g = Gate::parse("wait.max <= +30s").unwrap();
        let p = Paired::new((None, Some(3.0)), (&[], &[]), Direction::LowerIsBetter);
        assert_eq!(apply(&g, "c", &p).status, Status::NotMeasured);
    }
}
