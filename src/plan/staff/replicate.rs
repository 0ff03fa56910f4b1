//! One simulation of the design under a staffing: every replication, in
//! parallel, pooled in replication order (as `sim::run_replications`), with
//! the per-queue and channel counts by interval when a target needs them, and
//! — when a 95% interval is asked (`--confidence`, the confirming run) — each
//! replication's own figure of every target in every interval, read before
//! the replication's counts are frozen (a frozen copy keeps only the
//! all-callers figures by interval, not a caller type's, a queue's or a
//! pool's). Those daily figures are a few numbers per target and interval.

use rayon::prelude::*;

use super::{Request, Simulated};
use crate::scenario::Scenario;
use crate::sim::{Silent, engine};
use crate::stats::collect::{IntervalStats, RepStats, Runs};
use crate::stats::detail_counter::DetailCounter;
use crate::stats::interval_detail::{IntervalDetail, Wanted};

/// Where each target's figures sit in a replication's row: target `t`, its
/// subject `s` (a pool, for an unscoped occupancy target; else the only
/// one), interval `k`.
#[derive(Clone, Debug)]
pub struct Slots {
    start: Vec<usize>,
    /// Per target: its subjects ([`super::StaffTarget::subjects`]).
    pub subjects: Vec<Vec<Option<usize>>>,
    intervals: usize,
}

impl Slots {
    pub fn new(req: &Request) -> Slots {
        let intervals = req.scenario.intervals.count();
        let subjects: Vec<_> = req.targets.iter().map(|t| t.subjects(&req.pools)).collect();
        let mut start = Vec::with_capacity(subjects.len());
        let mut at = 0;
        for s in &subjects {
            start.push(at);
            at += s.len() * intervals;
        }
        Slots { start, subjects, intervals }
    }

    fn index(&self, t: usize, s: usize, k: usize) -> usize {
        self.start[t] + s * self.intervals + k
    }

    fn len(&self) -> usize {
        self.subjects.iter().map(|s| s.len() * self.intervals).sum()
    }
}

/// Each replication's own figure of every target, subject and interval.
#[derive(Clone, Debug)]
pub struct Daily {
    slots: Slots,
    /// `[replication][slot]`, in replication order.
    by_rep: Vec<Vec<Option<f64>>>,
}

impl Daily {
    /// Target `t`'s figure for subject `s` in interval `k`, one per
    /// replication that measured it (a replication with no call there has none).
    pub fn days(&self, t: usize, s: usize, k: usize) -> Vec<f64> {
        let i = self.slots.index(t, s, k);
        self.by_rep.iter().filter_map(|row| row.get(i).copied().flatten()).collect()
    }
}

/// Every target's figure in every interval on one replication's counts.
fn row(req: &Request, slots: &Slots, st: &RepStats, detail: Option<&IntervalDetail>) -> Vec<Option<f64>> {
    let all = st.intervals();
    let mut out = vec![None; slots.len()];
    for (t, target) in req.targets.iter().enumerate() {
        for (s, subject) in slots.subjects[t].iter().enumerate() {
            for k in 0..slots.intervals {
                out[slots.index(t, s, k)] = target.figure(st, &all, detail, k, *subject);
            }
        }
    }
    out
}

/// One replication, with the detail counter when something is wanted.
fn replication(sc: &Scenario, rep: u32, wanted: &Wanted) -> (RepStats, Option<IntervalDetail>) {
    if wanted.is_empty() {
        return (engine::simulate(sc, rep, &mut Silent), None);
    }
    let mut counter = DetailCounter::new(sc, wanted);
    let stats = engine::simulate(sc, rep, &mut counter);
    (stats, Some(counter.counts))
}

/// Simulates `sc` (the request's design under some staffing, perhaps on
/// another seed); `daily`: keep each replication's target figures too.
/// Pooling adds integers and the replications are kept in their order, so the
/// result does not depend on the number of threads.
pub fn simulate(req: &Request, sc: &Scenario, daily: bool) -> Result<Simulated, String> {
    type Rep = (u32, RepStats, Option<Vec<Option<f64>>>);
    type Partial = (RepStats, Option<IntervalDetail>, Vec<Rep>);
    let wanted = req.wanted();
    let slots = Slots::new(req);
    let work = || -> Option<Partial> {
        (0..sc.replications)
            .into_par_iter()
            .map(|rep| {
                let (stats, detail) = replication(sc, rep, &wanted);
                let figures = daily.then(|| row(req, &slots, &stats, detail.as_ref()));
                let frozen = stats.frozen();
                (stats, detail, vec![(rep, frozen, figures)])
            })
            .reduce_with(|(mut pooled, mut detail, mut reps), (other, more_detail, more)| {
                pooled.merge(&other);
                if let (Some(d), Some(m)) = (&mut detail, &more_detail) {
                    d.merge(m);
                }
                reps.extend(more);
                (pooled, detail, reps)
            })
    };
    let done = match req.threads {
        None => work(),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| format!("cannot start {n} threads: {e}"))?
            .install(work),
    };
    let Some((pooled, detail, mut reps)) = done else {
        return Err("no replications to run".into());
    };
    reps.sort_by_key(|r| r.0);
    let mut per_rep = Vec::with_capacity(reps.len());
    let mut by_rep = Vec::with_capacity(reps.len());
    for (_, stats, figures) in reps {
        per_rep.push(stats);
        by_rep.extend(figures);
    }
    let all: Vec<IntervalStats> = pooled.intervals();
    Ok(Simulated { runs: Runs { pooled, per_rep }, detail, all, daily: daily.then_some(Daily { slots, by_rep }) })
}
