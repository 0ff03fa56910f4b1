//! What a run from a snapshot adds to the report: the snapshot it started
//! from, and when the queue clears — the first moment after the snapshot at
//! which nobody holds on the line in any queue (voice and chat; emails and
//! promised callbacks are not on the line), over the replications.

use indexmap::IndexMap;
use serde::Serialize;

use super::resolve::Intraday;
use crate::scenario::Scenario;
use crate::sim::{CallTag, Observer, Step};
use crate::stats::r6;
use crate::time::{SimDuration, SimTime};

/// Per replication, in order: when its queue first cleared (`None`: never).
pub type Cleared = Vec<Option<SimTime>>;

/// One replication's observer: the first time the queue cleared.
#[derive(Debug, Default)]
pub struct ClearWatch {
    pub cleared: Option<SimTime>,
}

impl Observer for ClearWatch {
    const ENABLED: bool = false;

    #[inline(always)]
    fn step(&mut self, _: SimTime, _: CallTag, _: Step) {}

    fn queue_cleared(&mut self, now: SimTime) {
        if self.cleared.is_none() {
            self.cleared = Some(now);
        }
    }
}

/// The `intraday` block of the report.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IntradayFigures {
    /// The snapshot's moment, as the interval labels write times (`10:40`).
    pub from: String,
    /// The same, in seconds after the opening.
    pub from_seconds: f64,
    /// What the snapshot held.
    pub snapshot: SnapshotCounts,
    /// With `--rescale`: per caller type, the first calls that arrived before
    /// the snapshot, the plan's calls for that time, and the factor
    /// (arrived / planned) applied to the rest of the day's arrivals.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub rescaled: IndexMap<String, Rescaled>,
    /// When the queue clears: the first moment from the snapshot on with
    /// nobody on hold, over the replications in which that happened.
    pub queue_clears_at: Option<ClearsAt>,
    /// Replications in which callers were still on hold when the day's last
    /// call ended (no agent left to answer them, and they never hang up).
    pub queue_never_cleared: u32,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SnapshotCounts {
    pub on_hold: usize,
    pub in_talk: usize,
    pub callbacks: usize,
    pub emails: usize,
    /// Per pool: agents on duty (on a break included) and on a break.
    pub agents: IndexMap<String, PoolCounts>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PoolCounts {
    pub on_duty: u32,
    pub on_break: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Rescaled {
    pub arrived: u64,
    pub planned: f64,
    pub factor: f64,
}

/// A moment over the replications: clock labels, and seconds after the snapshot.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClearsAt {
    /// The mean moment.
    pub mean: String,
    /// The 95% confidence interval of the mean moment (t on the replications).
    pub ci95: Option<[String; 2]>,
    /// One day in ten clears before `p10`, nine in ten before `p90`.
    pub p10: String,
    pub p50: String,
    pub p90: String,
    /// The same figures in seconds after the snapshot's moment.
    pub after_seconds: AfterSeconds,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AfterSeconds {
    pub mean: f64,
    pub ci95: Option<[f64; 2]>,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// A quantile of sorted values (linear between order statistics).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo as f64)
}

impl IntradayFigures {
    /// From the snapshot and each replication's clearing moment (`None`:
    /// never cleared). With nobody on hold in the snapshot the queue is clear
    /// at its moment.
    pub fn build(sc: &Scenario, info: &Intraday, cleared: &[Option<SimTime>]) -> IntradayFigures {
        let at = info.at;
        let clock = |secs: f64| sc.intervals.clock(at + SimDuration::from_secs_f64(secs.max(0.0).round()));
        let mut after: Vec<f64> = if info.on_hold == 0 {
            vec![0.0; cleared.len()]
        } else {
            cleared.iter().flatten().map(|t| t.since(at).as_secs_f64()).collect()
        };
        let never = if info.on_hold == 0 { 0 } else { cleared.iter().filter(|c| c.is_none()).count() as u32 };
        after.sort_by(f64::total_cmp);
        let queue_clears_at = (!after.is_empty()).then(|| {
            let (mean, _) = crate::stats::ci::mean_sd(&after);
            let ci = crate::stats::ci::ci95(&after).map(|[a, b]| [r6(a.max(0.0)), r6(b)]);
            let s = AfterSeconds {
                mean: r6(mean),
                ci95: ci,
                p10: r6(quantile(&after, 0.1)),
                p50: r6(quantile(&after, 0.5)),
                p90: r6(quantile(&after, 0.9)),
            };
            ClearsAt {
                mean: clock(s.mean),
                ci95: s.ci95.map(|[a, b]| [clock(a), clock(b)]),
                p10: clock(s.p10),
                p50: clock(s.p50),
                p90: clock(s.p90),
                after_seconds: s,
            }
        });
        IntradayFigures {
            from: sc.intervals.clock(at),
            from_seconds: r6(at.as_secs_f64()),
            snapshot: SnapshotCounts {
                on_hold: info.on_hold,
                in_talk: info.in_talk,
                callbacks: info.callbacks,
                emails: info.emails,
                agents: info
                    .agents
                    .iter()
                    .map(|(n, d, b)| (n.clone(), PoolCounts { on_duty: *d, on_break: *b }))
                    .collect(),
            },
            rescaled: info
                .rescaled
                .iter()
                .map(|(n, a, p, f)| (n.clone(), Rescaled { arrived: *a, planned: r6(*p), factor: r6(*f) }))
                .collect(),
            queue_clears_at,
            queue_never_cleared: never,
        }
    }
}

/// Both designs from the same snapshot (`compare --from`): when the queue
/// clears in each, and the paired difference B − A over the replications in
/// which both cleared (the same callers, so the difference is sharp).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClearsPair {
    pub a: Option<ClearsAt>,
    pub b: Option<ClearsAt>,
    /// Mean of B − A, seconds (negative: B clears sooner).
    pub diff_seconds: Option<f64>,
    pub diff_ci95: Option<[f64; 2]>,
    pub verdict: crate::stats::paired::Verdict,
    /// Replications in which A or B never cleared (left out of the difference).
    pub not_paired: u32,
}

impl ClearsPair {
    pub fn build(sides: [(&Scenario, &Intraday, &[Option<SimTime>]); 2]) -> ClearsPair {
        let [(sa, ia, ca), (sb, ib, cb)] = sides;
        let at = ia.at;
        let after = |c: &Option<SimTime>, on_hold: usize| {
            if on_hold == 0 { Some(0.0) } else { c.map(|t| t.since(at).as_secs_f64()) }
        };
        let pairs: Vec<(f64, f64)> =
            ca.iter().zip(cb).filter_map(|(a, b)| Some((after(a, ia.on_hold)?, after(b, ib.on_hold)?))).collect();
        let diffs: Vec<f64> = pairs.iter().map(|(a, b)| b - a).collect();
        let diff_ci95 = crate::stats::ci::ci95(&diffs).map(|[lo, hi]| [r6(lo), r6(hi)]);
        ClearsPair {
            a: IntradayFigures::build(sa, ia, ca).queue_clears_at,
            b: IntradayFigures::build(sb, ib, cb).queue_clears_at,
            diff_seconds: (!diffs.is_empty()).then(|| r6(crate::stats::ci::mean_sd(&diffs).0)),
            diff_ci95,
            verdict: crate::stats::paired::Verdict::from_ci(diff_ci95, crate::stats::paired::Direction::LowerIsBetter),
            not_paired: (ca.len() - pairs.len()) as u32,
        }
    }
}
