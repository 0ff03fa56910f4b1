//! One simulation of the design under a staffing: every replication, in
//! parallel, pooled in replication order (as `sim::run_replications`), with
//! the per-queue and channel counts by interval when a target needs them, and
//! — when a 95% interval is asked (`--confidence`, the confirming run) — each
//! replication's own parts of every target in every interval (numerator and
//! denominator, or a frozen summary of durations), read before the
//! replication's counts are frozen (a frozen copy keeps only the all-callers
//! figures by interval, not a caller type's, a queue's or a pool's). Those
//! daily parts are a few numbers per target and interval.

use super::{Request, Simulated};
use crate::scenario::Scenario;
use crate::sim::{RunOptions, Silent, run_merged};
use crate::stats::collect::{IntervalStats, RepStats};
use crate::stats::detail_counter::DetailCounter;
use crate::stats::interval_detail::IntervalDetail;
use crate::stats::linear::{KeptParts, Parts, pseudo_values, value};

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

/// What each replication's figure of every target, subject and interval is
/// computed from: its own figure, and its share in the pooled one.
#[derive(Clone, Debug)]
pub struct Daily {
    slots: Slots,
    /// `[replication][slot]`, in replication order.
    by_rep: Vec<Vec<Option<KeptParts>>>,
}

impl Daily {
    /// Target `t`'s figure for subject `s` in interval `k`, one per
    /// replication that measured it (a replication with no call there has none).
    pub fn days(&self, t: usize, s: usize, k: usize) -> Vec<f64> {
        let i = self.slots.index(t, s, k);
        self.by_rep.iter().filter_map(|row| value(&row.get(i)?.as_ref()?.parts())).collect()
    }

    /// The replications' linearized values of the pooled figure `pooled` of
    /// target `t`, subject `s`, interval `k` (`stats::linear`): their spread
    /// is the pooled figure's noise, a busy day weighing by its calls.
    pub fn noise(&self, t: usize, s: usize, k: usize, pooled: Parts) -> Vec<f64> {
        let i = self.slots.index(t, s, k);
        let days: Vec<Parts> =
            self.by_rep.iter().filter_map(|row| row.get(i)?.as_ref().map(KeptParts::parts)).collect();
        pseudo_values(pooled, &days).into_iter().flatten().collect()
    }
}

/// What every target's figure in every interval is computed from, on one
/// replication's counts.
fn row(req: &Request, slots: &Slots, st: &RepStats, detail: Option<&IntervalDetail>) -> Vec<Option<KeptParts>> {
    let all = st.intervals();
    let mut out = vec![None; slots.len()];
    for (t, target) in req.targets.iter().enumerate() {
        for (s, subject) in slots.subjects[t].iter().enumerate() {
            for k in 0..slots.intervals {
                out[slots.index(t, s, k)] = target.with_parts(st, &all, detail, k, *subject, KeptParts::keep);
            }
        }
    }
    out
}

/// What a replication leaves beside its statistics: its interval detail (when
/// something is wanted) and, by replication, its target figures (when daily
/// figures are kept).
type Seen = (Option<IntervalDetail>, Vec<(u32, Option<Vec<Option<KeptParts>>>)>);

/// Simulates `sc` (the request's design under some staffing, perhaps on
/// another seed); `daily`: keep each replication's target figures too.
/// Pooling adds integers and the replications are kept in their order, so the
/// result does not depend on the number of threads.
pub fn simulate(req: &Request, sc: &Scenario, daily: bool) -> Result<Simulated, String> {
    let wanted = req.wanted();
    let slots = Slots::new(req);
    let opts = RunOptions { threads: req.threads, on_replication_done: &|| {} };
    let figures = |rep: u32, st: &RepStats, detail: Option<IntervalDetail>| -> Seen {
        let row = daily.then(|| row(req, &slots, st, detail.as_ref()));
        (detail, vec![(rep, row)])
    };
    let merge = |all: &mut Seen, more: Seen| {
        if let (Some(d), Some(m)) = (&mut all.0, &more.0) {
            d.merge(m);
        }
        all.1.extend(more.1);
    };
    // The detail counter only when something is wanted (it sees every step).
    let (runs, (detail, mut rows)) = if wanted.is_empty() {
        run_merged(sc, &opts, |_| Silent, |rep, st, _| figures(rep, st, None), merge)?
    } else {
        let count = |rep, st: &RepStats, c: DetailCounter| figures(rep, st, Some(c.counts));
        run_merged(sc, &opts, |_| DetailCounter::new(sc, &wanted), count, merge)?
    };
    rows.sort_by_key(|r| r.0);
    let by_rep = rows.into_iter().filter_map(|r| r.1).collect();
    let all: Vec<IntervalStats> = runs.pooled.intervals().into_owned();
    Ok(Simulated { runs, detail, all, daily: daily.then_some(Daily { slots, by_rep }) })
}
