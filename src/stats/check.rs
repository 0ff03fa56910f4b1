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
use super::metric::{Metric, Stat};
use super::paired::{Paired, r6};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The whole 95% interval is past the limit.
    Failed,
    /// Gated in BASE, absent from HEAD (renamed or removed): fails.
    Missing,
    /// The interval still straddles the limit after the most replications
    /// allowed (`--max-replications`): neither pass nor fail; exits 1.
    Inconclusive,
    /// Straddling its limit when another gate had already failed: `check`
    /// stops there (the verdict is FAIL whatever this one would settle to).
    Undecided,
    /// The whole 95% interval is within the limit.
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
            Status::Inconclusive => "INCONCLUSIVE",
            Status::Undecided => "undecided",
            Status::Passed => "pass",
            Status::MissingAllowed => "missing in head (allowed)",
            Status::NotMeasured => "not measured",
        }
    }

    pub fn fails(self) -> bool {
        matches!(self, Status::Failed | Status::Missing)
    }
}

/// What a gate's figure is: the figure over all replications pooled (as
/// `run` reports it), or the mean of the daily figures (`.max`, `.p99`: the
/// pooled extreme is one day's worst caller, and one day's luck must not
/// decide a gate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JudgedOn {
    Pooled,
    DailyMean,
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
    /// What `base`, `head` and the change are: pooled figures, or means of the daily ones.
    pub judged_on: JudgedOn,
    pub base: Option<f64>,
    pub head: Option<f64>,
    /// For a gate judged on daily means: the pooled figures of BASE and HEAD
    /// (the worst caller of all days for `.max`), shown beside them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pooled: Option<[Option<f64>; 2]>,
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
    /// For an inconclusive gate: about how many replications would decide it
    /// (the interval shrinks as 1/√n); null when the figure sits on the limit
    /// (more than 100× the replications run would be needed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_replications: Option<u32>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CheckReport {
    /// "pass", "fail", or "inconclusive" (no gate failed, one is undecided).
    pub result: &'static str,
    pub base: Design,
    pub head: Design,
    pub seed: u64,
    /// The replications the verdict rests on: the file's, doubled while a gate
    /// was undecided, up to `max_replications`.
    pub replications: u32,
    /// The file's (or `--replications`) replications, where `check` started.
    pub first_replications: u32,
    /// The most `check` would run (`--max-replications`, default 8× the first).
    pub max_replications: u32,
    pub gates: Vec<String>,
    /// Failed gates, missing scopes included.
    pub failed: usize,
    /// Gates whose interval still straddles their limit.
    pub inconclusive: usize,
    /// Failed first, then missing, inconclusive, undecided, passed, not measured.
    pub results: Vec<GateResult>,
    /// Caller types and queues in one design only that no gate covered.
    pub not_gated: Vec<String>,
}

/// Half the resolution reports print a figure at (0.1 s, 0.1 point): a change
/// shown as "+10s" against a limit of "+10s" is within it.
fn slack(m: Metric) -> f64 {
    if m.is_duration() {
        0.05
    } else if m.is_share() {
        0.000_5
    } else {
        1e-9
    }
}

/// The figures a gate judges on one scope: pooled, or the daily means for a
/// `.max` or `.p99` gate.
struct Judged {
    on: JudgedOn,
    base: Option<f64>,
    head: Option<f64>,
    change: Option<f64>,
    change_ci95: Option<[f64; 2]>,
    head_ci95: Option<[f64; 2]>,
}

fn judged(metric: Metric, p: &Paired) -> Judged {
    match (&p.daily, metric) {
        (Some(d), Metric::Duration(_, Stat::Max | Stat::P99)) => Judged {
            on: JudgedOn::DailyMean,
            base: Some(d.a),
            head: Some(d.b_alone),
            change: Some(d.diff),
            change_ci95: d.diff_ci95,
            head_ci95: d.b_ci95,
        },
        _ => Judged {
            on: JudgedOn::Pooled,
            base: p.a,
            head: p.b,
            change: p.diff,
            change_ci95: p.diff_ci95,
            head_ci95: p.b_ci95,
        },
    }
}

/// Decides a figure against its bound by the figure's whole 95% interval:
/// within the bound, past it, or (straddling it) undecided, with about how many
/// replications would decide it. With one replication there is no interval and
/// the figure alone decides.
fn decide(op: Op, bound: f64, slack: f64, x: f64, ci: Option<[f64; 2]>, replications: u32) -> (Status, Option<u32>) {
    let [lo, hi] = ci.unwrap_or([x, x]);
    let (good_end, bad_end, bound) = match op {
        Op::AtMost => (hi, lo, bound + slack),
        Op::AtLeast => (-lo, -hi, -(bound - slack)),
    };
    if good_end <= bound {
        return (Status::Passed, None);
    }
    if bad_end > bound {
        return (Status::Failed, None);
    }
    // The interval shrinks as 1/√n: n·(half-width / distance to the bound)².
    let (centre, half) = ((lo + hi) / 2.0, (hi - lo) / 2.0);
    let gap = match op {
        Op::AtMost => (centre - bound).abs(),
        Op::AtLeast => (-centre - bound).abs(),
    };
    let needs = (gap > 1e-9 && half > 0.0)
        .then(|| (f64::from(replications) * (half / gap).powi(2)).ceil())
        .filter(|n| *n <= 100.0 * f64::from(replications))
        .map(|n| n as u32);
    (Status::Inconclusive, needs)
}

fn apply(gate: &Gate, scope: &str, p: &Paired, replications: u32) -> GateResult {
    let j = judged(gate.metric, p);
    let slack = slack(gate.metric);
    let (kind, (status, needs), allowed) = match (&gate.bound, j.base, j.head, j.change) {
        (Bound::Level(level), _, Some(head), _) => {
            (Kind::Level, decide(gate.op, *level, slack, head, j.head_ci95, replications), Some(*level))
        }
        (Bound::Change(_), Some(base), _, Some(change)) => {
            let allowed = gate.allowed_change(base).map(r6).unwrap_or(0.0);
            (Kind::Change, decide(gate.op, allowed, slack, change, j.change_ci95, replications), Some(allowed))
        }
        (bound, ..) => {
            let kind = if matches!(bound, Bound::Level(_)) { Kind::Level } else { Kind::Change };
            (kind, (Status::NotMeasured, None), None)
        }
    };
    let rel_change = j.base.zip(j.change).and_then(|(b, c)| (b != 0.0).then(|| r6(c / b)));
    GateResult {
        gate: gate.text.clone(),
        scope: scope.to_string(),
        metric: gate.metric,
        kind,
        judged_on: j.on,
        base: j.base,
        head: j.head,
        pooled: (j.on == JudgedOn::DailyMean).then_some([p.a, p.b]),
        change: j.change,
        rel_change,
        change_ci95: j.change_ci95,
        head_ci95: j.head_ci95,
        limit: gate.limit_text().to_string(),
        allowed,
        status,
        needs_replications: needs,
    }
}

/// A figure of callers holding on a line: what an email caller type cannot have.
fn on_the_line(m: Metric) -> bool {
    use super::metric::{Rate, Span};
    matches!(
        m,
        Metric::Duration(Span::Wait | Span::TimeToAnswer, _)
            | Metric::Rate(Rate::ServiceLevel | Rate::AbandonRate)
            | Metric::Day(..)
    )
}

fn missing(gate: &Gate, scope: String, allow: bool) -> GateResult {
    GateResult {
        gate: gate.text.clone(),
        scope,
        metric: gate.metric,
        kind: if gate.is_level() { Kind::Level } else { Kind::Change },
        judged_on: JudgedOn::Pooled,
        base: None,
        head: None,
        pooled: None,
        change: None,
        rel_change: None,
        change_ci95: None,
        head_ci95: None,
        limit: gate.limit_text().to_string(),
        allowed: None,
        status: if allow { Status::MissingAllowed } else { Status::Missing },
        needs_replications: None,
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
    pub fn build(gates: &[Gate], c: &Comparison, allow_missing: bool, replications: [u32; 2]) -> CheckReport {
        // With one caller type, "all callers" repeats it: gate it once.
        let one_type = c.by_caller.len() == 1 && c.only_in_a_callers().is_empty();
        let mut results = Vec::new();
        for g in gates {
            let mut on = |scope: &str, f: &Figures| {
                if let Some(p) = f.get(&g.metric) {
                    results.push(apply(g, scope, p, c.replications));
                }
            };
            match &g.scope {
                Scope::EachCaller => {
                    for (name, f) in &c.by_caller {
                        // An email has no hold: a gate on one would only say "not measured".
                        if c.off_line.contains(name) && on_the_line(g.metric) {
                            continue;
                        }
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
        if failed > 0 {
            // No more replications will be run: a failure already decides the verdict.
            for r in results.iter_mut().filter(|r| r.status == Status::Inconclusive) {
                r.status = Status::Undecided;
            }
        }
        let inconclusive = results.iter().filter(|r| r.status == Status::Inconclusive).count();
        let gated: Vec<&str> = results.iter().map(|r| r.scope.as_str()).collect();
        let not_gated = c
            .only_in_a_callers()
            .into_iter()
            .filter(|n| !gated.contains(n))
            .map(|n| format!("caller type `{n}` is in base only"))
            .chain(c.only_in_b_callers().into_iter().map(|n| format!("caller type `{n}` is in head only")))
            .collect();
        CheckReport {
            result: match (failed, inconclusive) {
                (0, 0) => "pass",
                (0, _) => "inconclusive",
                _ => "fail",
            },
            base: c.a.clone(),
            head: c.b.clone(),
            seed: c.seed,
            replications: c.replications,
            first_replications: replications[0],
            max_replications: replications[1],
            gates: gates.iter().map(|g| g.text.clone()).collect(),
            failed,
            inconclusive,
            results,
            not_gated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::metric::WAIT_P95;
    use crate::stats::paired::Paired;

    fn paired(a: f64, b: f64, ci: [f64; 2]) -> Paired {
        let mut p = Paired::new(WAIT_P95, (Some(a), Some(b)), (&[], &[]));
        p.diff_ci95 = Some(ci);
        p
    }

    fn status(g: &str, p: &Paired) -> Status {
        apply(&Gate::parse(g).unwrap(), "c", p, 20).status
    }

    #[test]
    fn a_change_gate_passes_or_fails_only_on_its_whole_interval() {
        let g = "wait.p95 <= +5%";
        assert_eq!(status(g, &paired(100.0, 120.0, [10.0, 30.0])), Status::Failed);
        assert_eq!(status(g, &paired(100.0, 104.0, [3.0, 5.0])), Status::Passed);
        assert_eq!(status(g, &paired(100.0, 100.0, [0.0, 0.0])), Status::Passed);
        // Past the limit but the interval reaches back within it, and the other way round.
        assert_eq!(status(g, &paired(100.0, 120.0, [-5.0, 45.0])), Status::Inconclusive);
        assert_eq!(status(g, &paired(100.0, 104.0, [2.0, 6.0])), Status::Inconclusive);
        let sl = "service_level >= -0.02";
        assert_eq!(status(sl, &paired(0.8, 0.7, [-0.15, -0.05])), Status::Failed);
        assert_eq!(status(sl, &paired(0.8, 0.79, [-0.015, -0.005])), Status::Passed);
        assert_eq!(status(sl, &paired(0.8, 0.79, [-0.03, 0.01])), Status::Inconclusive);
    }

    #[test]
    fn a_change_shown_as_the_limit_is_within_it() {
        // "+10s" against "+10s": within the resolution reports print at.
        assert_eq!(status("wait.p95 <= +10s", &paired(60.0, 70.03, [10.01, 10.04])), Status::Passed);
        assert_eq!(status("wait.p95 <= +10s", &paired(60.0, 70.2, [10.1, 10.3])), Status::Failed);
        assert_eq!(status("service_level >= -2pt", &paired(0.8, 0.78, [-0.0204, -0.0201])), Status::Passed);
    }

    #[test]
    fn an_undecided_gate_says_how_many_replications_would_decide_it() {
        // Half-width 20 at 20 replications, 9.95 from the limit (10 s and the
        // 0.05 s a report rounds away): about 4× as many.
        let r = apply(&Gate::parse("wait.p95 <= +10s").unwrap(), "c", &paired(100.0, 120.0, [0.0, 40.0]), 20);
        assert_eq!((r.status, r.needs_replications), (Status::Inconclusive, Some(81)));
        // Centred on the limit: no number of replications decides it.
        let r = apply(&Gate::parse("wait.p95 <= +10s").unwrap(), "c", &paired(100.0, 110.0, [0.0, 20.0]), 20);
        assert_eq!((r.status, r.needs_replications), (Status::Inconclusive, None));
    }

    #[test]
    fn a_level_gate_judges_heads_own_figure() {
        let g = "wait.p95 <= 120s";
        let mut p = paired(300.0, 216.0, [-90.0, -78.0]);
        p.b_ci95 = Some([200.0, 230.0]);
        let r = apply(&Gate::parse(g).unwrap(), "c", &p, 20);
        assert_eq!((r.kind, r.status), (Kind::Level, Status::Failed), "better than base, but over the level");
        p.b_ci95 = Some([110.0, 320.0]);
        assert_eq!(status(g, &p), Status::Inconclusive);
        let mut ok = paired(300.0, 100.0, [-210.0, -190.0]);
        ok.b_ci95 = Some([90.0, 110.0]);
        assert_eq!(status(g, &ok), Status::Passed);
    }

    #[test]
    fn a_max_gate_judges_the_mean_of_the_paired_daily_maxima() {
        // 19 days move by about nothing, one by +44.7 s: the pooled maximum
        // moves +44.7 s, the typical day's worst caller +2 s.
        let max = Metric::Duration(crate::stats::metric::Span::Wait, Stat::Max);
        let a: Vec<Option<f64>> = (0..20).map(|d| Some(200.0 + f64::from(d))).collect();
        let mut b = a.clone();
        for (d, x) in b.iter_mut().enumerate() {
            *x = x.map(|v| v + if d % 2 == 0 { 1.0 } else { -1.0 });
        }
        b[19] = Some(219.0 + 44.7);
        let p = Paired::new(max, (Some(219.0), Some(263.7)), (&a, &b));
        let r = apply(&Gate::parse("wait.max <= +30s").unwrap(), "c", &p, 20);
        assert_eq!(r.judged_on, JudgedOn::DailyMean);
        assert_eq!(r.pooled, Some([Some(219.0), Some(263.7)]));
        // Ten days +1 s, nine −1 s, one +44.7 s.
        assert!((r.change.unwrap() - (1.0 + 44.7) / 20.0).abs() < 1e-6, "{:?}", r.change);
        assert_eq!(r.status, Status::Passed, "{r:?}");
        // The pooled p95 is judged pooled.
        assert_eq!(
            apply(&Gate::parse("wait.p95 <= +30s").unwrap(), "c", &paired(1.0, 2.0, [1.0, 1.0]), 20).judged_on,
            JudgedOn::Pooled
        );
    }

    #[test]
    fn nothing_measured_is_not_a_failure() {
        let g = Gate::parse("wait.max <= +30s").unwrap();
        let p = Paired::new(WAIT_P95, (None, Some(3.0)), (&[], &[]));
        assert_eq!(apply(&g, "c", &p, 20).status, Status::NotMeasured);
    }
}
