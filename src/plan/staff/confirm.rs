//! The confirming run: the staffing found, simulated once more on a seed the
//! search never saw, with the same replications. The search ran every
//! staffing on one seed (common random numbers) and kept the smallest that
//! passed there, so its own figures flatter it twice: a staffing that just
//! meets 80% is *at* 80%, and it was picked on the callers that made it
//! pass. A fresh seed shows what `shop run` will show: each target's figure in
//! each interval with its 95% interval, and a verdict in criterion's three
//! ways — met (the whole interval on the right side of the bound), within
//! noise (the interval holds the bound), missed (the whole interval on the
//! wrong side).

use serde::Serialize;

use super::{Answer, Request, replicate, with_staffing};
use crate::stats::r6;

/// The seed of the confirming run: the next one after the search's. Any other
/// seed gives independent callers (the arrival streams are keyed by the seed
/// itself); the next one is easy to say and to rerun:
/// `shop run STAFFED.yaml --seed SEED+1 --replications R` shows the same figures.
pub fn seed_after(seed: u64) -> u64 {
    seed.wrapping_add(1)
}

/// How a target fared in one interval of the confirming run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The whole 95% interval is on the right side of the bound.
    Met,
    /// The 95% interval holds the bound: this run cannot tell.
    WithinNoise,
    /// The whole 95% interval is on the wrong side: the target is missed.
    Missed,
}

impl Verdict {
    /// As the JSON and CSV say it.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::WithinNoise => "within_noise",
            Verdict::Missed => "missed",
        }
    }

    /// As the text reports say it (a miss stands out).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::WithinNoise => "within noise",
            Verdict::Missed => "MISSED",
        }
    }
}

/// One target (and pool, for unscoped occupancy) in one interval.
#[derive(Clone, Debug)]
pub struct Check {
    pub interval: usize,
    /// Index into the request's targets.
    pub target: usize,
    /// The pool, for an occupancy target.
    pub pool: Option<usize>,
    /// All replications pooled (a share, or seconds).
    pub figure: f64,
    /// Sectioned 95% interval of it; `None` with fewer than two replications measuring it.
    pub ci95: Option<[f64; 2]>,
    pub verdict: Verdict,
}

/// The confirming run's verdicts, interval by interval then target by target
/// (an interval where a target has no figure — no call — has no check).
#[derive(Clone, Debug)]
pub struct Confirmation {
    pub seed: u64,
    pub checks: Vec<Check>,
    /// With `--days-met`: on what share of this run's days the targets held.
    pub days_met: Option<DaysMet>,
}

/// On what share of the days each target held in each interval (each day's
/// own figure there; days with no figure, no call, are not counted): the
/// mean over the intervals and targets, and the interval and target met on
/// the fewest days. The fewest is the least of many noisy shares: with 40
/// days and 20 intervals it sits well below the mean even when every
/// interval holds on 90% of days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DaysMet {
    pub mean: f64,
    pub fewest: f64,
    pub interval: usize,
    pub target: usize,
    pub pool: Option<usize>,
}

impl Confirmation {
    pub fn count(&self, v: Verdict) -> usize {
        self.checks.iter().filter(|c| c.verdict == v).count()
    }
}

/// The verdict of `figure` and its interval against a bound; without an
/// interval the figure alone decides (met or missed).
pub fn verdict(higher_is_better: bool, bound: f64, figure: f64, ci95: Option<[f64; 2]>) -> Verdict {
    let [lo, hi] = ci95.unwrap_or([figure, figure]);
    let (right, wrong) = if higher_is_better { (lo >= bound, hi < bound) } else { (hi <= bound, lo > bound) };
    match (right, wrong) {
        (true, _) => Verdict::Met,
        (_, true) => Verdict::Missed,
        _ => Verdict::WithinNoise,
    }
}

/// Simulates the answer's staffing on `seed` (by default [`seed_after`] the
/// request's) with the same replications, and judges every target in every interval.
pub fn confirm(req: &Request, a: &Answer, seed: u64) -> Result<Confirmation, String> {
    confirm_design(req, &with_staffing(&req.scenario, &req.pools, &a.agents), seed)
}

/// Simulates `design` (the request's design under some staffing: head
/// counts, or shifts from `shop schedule`) on `seed` with the request's
/// replications, and judges every target in every interval.
pub fn confirm_design(req: &Request, design: &crate::scenario::Scenario, seed: u64) -> Result<Confirmation, String> {
    let mut sc = design.clone();
    sc.seed = seed;
    let sim = replicate::simulate(req, &sc, true)?;
    let daily = sim.daily.as_ref().ok_or("the confirming run kept no daily figures")?;
    let mut checks = Vec::new();
    let mut fewest: Option<DaysMet> = None;
    let (mut sum, mut n) = (0.0, 0usize);
    for k in 0..sc.intervals.count() {
        for (t, target) in req.targets.iter().enumerate() {
            for (s, pool) in target.subjects(&req.pools).into_iter().enumerate() {
                let days = daily.days(t, s, k);
                if req.days_met.is_some() && !days.is_empty() {
                    let met = days.iter().filter(|d| target.shortfall(**d) <= 0.0).count();
                    let share = met as f64 / days.len() as f64;
                    (sum, n) = (sum + share, n + 1);
                    if fewest.is_none_or(|f| share < f.fewest) {
                        fewest = Some(DaysMet { mean: 0.0, fewest: share, interval: k, target: t, pool });
                    }
                }
                let Some(figure) = target.figure(&sim.runs.pooled, &sim.all, sim.detail.as_ref(), k, pool) else {
                    continue;
                };
                // Never below zero, and a share never past 100%.
                let top = if target.metric().is_share() { 1.0 } else { f64::INFINITY };
                let noise = target.noise(t, s, &sim, k, pool);
                let ci95 = target.metric().ci95(figure, &noise).map(|[lo, hi]| [lo.max(0.0), hi.min(top)]);
                let verdict = verdict(target.higher_is_better(), target.bound(), figure, ci95);
                checks.push(Check { interval: k, target: t, pool, figure, ci95, verdict });
            }
        }
    }
    let days_met = fewest.map(|f| DaysMet { mean: sum / n as f64, ..f });
    Ok(Confirmation { seed: sc.seed, checks, days_met })
}

/// `--strict` (`staff`, `schedule`): what `verb` says when the confirming
/// run of `what` (the staffing found, the roster) misses a target somewhere (its whole interval on the wrong side);
/// `None` when nothing is missed.
pub fn strict_miss(verb: &str, what: &str, req: &Request, c: &Confirmation) -> Option<String> {
    let missed: Vec<_> = c.checks.iter().filter(|x| x.verdict == Verdict::Missed).collect();
    let first = missed.first()?;
    let t = &req.targets[first.target];
    let ci = first.ci95.map_or(String::new(), |[lo, hi]| format!(", 95% interval {} to {}", t.shown(lo), t.shown(hi)));
    let more = match missed.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!(
        "{verb} --strict: on a fresh seed ({}) {what} misses `{}` in {} ({}{ci}){more}\n  \
         help: search with --confidence 95%, or with more --replications",
        c.seed,
        t.text,
        req.scenario.intervals.label(first.interval),
        t.shown(first.figure)
    ))
}

// The confirming run as the report shows it.

/// One target (and pool, for unscoped occupancy) in one interval of the confirming run.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ConfirmedFigure {
    pub from: f64,
    pub to: f64,
    pub label: String,
    pub target: String,
    /// The pool, for an occupancy target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// All replications of the confirming run pooled (a share, or seconds).
    pub figure: f64,
    /// Its 95% interval (sectioning over the replications); null with fewer
    /// than two replications measuring it, and then the figure alone decides.
    pub ci95: Option<[f64; 2]>,
    /// `met` (the whole interval on the right side of the bound),
    /// `within_noise` (the interval holds the bound) or `missed` (the whole
    /// interval on the wrong side).
    pub verdict: Verdict,
    /// A share (shown as a percentage) rather than seconds.
    #[serde(skip)]
    pub share: bool,
}

/// The staffing found, simulated again on a seed the search never used.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Confirmed {
    /// The search's seed + 1 unless `--confirm-seed` gave one: `shop run --seed` this reruns it.
    pub seed: u64,
    pub replications: u32,
    /// Interval by interval, then target by target; an interval where a
    /// target has no figure (no call) is left out.
    pub intervals: Vec<ConfirmedFigure>,
    pub met: usize,
    pub within_noise: usize,
    pub missed: usize,
    /// With `--days-met`: on what share of this run's days the targets held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_met: Option<DaysMetFigures>,
}

/// [`DaysMet`] as reported.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct DaysMetFigures {
    /// Mean over the intervals and targets of the share of days the target held there.
    pub mean_share: f64,
    /// The fewest: the share, and the interval and target (and pool) it was in.
    pub fewest_share: f64,
    pub label: String,
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
}

/// The confirming run as reported.
pub(crate) fn confirmed(req: &Request, c: &Confirmation) -> Confirmed {
    let sc = &req.scenario;
    let intervals = c
        .checks
        .iter()
        .map(|x| {
            let (from, to) = sc.intervals.bounds(x.interval);
            let target = &req.targets[x.target];
            ConfirmedFigure {
                from: r6(from.as_secs_f64()),
                to: r6(to.as_secs_f64()),
                label: sc.intervals.label(x.interval),
                target: target.text.clone(),
                pool: x.pool.map(|p| sc.pools[p].name.clone()),
                figure: r6(x.figure),
                ci95: x.ci95.map(|[lo, hi]| [r6(lo), r6(hi)]),
                verdict: x.verdict,
                share: target.metric().is_share(),
            }
        })
        .collect();
    Confirmed {
        seed: c.seed,
        replications: sc.replications,
        intervals,
        met: c.count(Verdict::Met),
        within_noise: c.count(Verdict::WithinNoise),
        missed: c.count(Verdict::Missed),
        days_met: c.days_met.map(|f| DaysMetFigures {
            mean_share: r6(f.mean),
            fewest_share: r6(f.fewest),
            label: sc.intervals.label(f.interval),
            target: req.targets[f.target].text.clone(),
            pool: f.pool.map(|p| sc.pools[p].name.clone()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_follows_the_whole_interval() {
        let sl = |f: f64, ci: [f64; 2]| verdict(true, 0.8, f, Some(ci));
        assert_eq!(sl(0.85, [0.81, 0.89]), Verdict::Met);
        assert_eq!(sl(0.82, [0.78, 0.86]), Verdict::WithinNoise);
        assert_eq!(sl(0.78, [0.76, 0.80]), Verdict::WithinNoise, "the bound on the interval's edge");
        assert_eq!(sl(0.75, [0.72, 0.78]), Verdict::Missed);
        let wait = |f: f64, ci: [f64; 2]| verdict(false, 120.0, f, Some(ci));
        assert_eq!(wait(100.0, [90.0, 110.0]), Verdict::Met);
        assert_eq!(wait(115.0, [100.0, 130.0]), Verdict::WithinNoise);
        assert_eq!(wait(140.0, [125.0, 155.0]), Verdict::Missed);
        assert_eq!(verdict(true, 0.8, 0.79, None), Verdict::Missed, "no interval: the figure decides");
        assert_eq!(verdict(false, 120.0, 120.0, None), Verdict::Met);
    }
}
