//! The comparison of two designs run on the same callers: every figure of
//! `Metric` per caller type, overall, per queue and per pool, as paired
//! differences. Writers in `report::compare` render it; `check` gates on it.

use indexmap::IndexMap;
use serde::Serialize;

use super::collect::{CallerStats, RepStats, Runs};
use super::figures::{SURVIVAL_POINTS, Survival};
use super::metric::Metric;
use super::paired::{Paired, r6};
use super::summary::Summary;
use crate::scenario::Scenario;

/// One design's simulated days.
pub struct Side<'a> {
    pub file: &'a str,
    pub scenario: &'a Scenario,
    pub runs: &'a Runs,
}

/// What identifies a design in the output.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Design {
    pub file: String,
    pub scenario: String,
    /// Seconds during which calls arrive, per replication.
    pub horizon: f64,
    /// The "answered within" threshold of `service_level`, in seconds.
    pub service_level_threshold: f64,
    /// Calls offered over all replications (redials included).
    pub calls: u64,
}

/// Figures by metric (serialised by name: `wait.p95`, ...), worst cases first.
pub type Figures = IndexMap<Metric, Paired>;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Comparison {
    pub a: Design,
    pub b: Design,
    pub seed: u64,
    pub replications: u32,
    pub overall: Figures,
    pub by_caller: IndexMap<String, Figures>,
    pub by_queue: IndexMap<String, Figures>,
    pub by_pool: IndexMap<String, Figures>,
    /// Caller types, queues and pools present in A only (not compared).
    pub only_in_a: OnlyIn,
    /// ... and in B only.
    pub only_in_b: OnlyIn,
    /// How long callers held in A and in B: survival curves of `wait` from the
    /// pooled summaries, per caller type in both designs and for all callers
    /// (named [`ALL_CALLERS`]). For charts; not in the JSON.
    #[serde(skip)]
    pub hold_survival: IndexMap<String, [Survival; 2]>,
}

/// Names present in one design only.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct OnlyIn {
    pub callers: Vec<String>,
    pub queues: Vec<String>,
    pub pools: Vec<String>,
}

impl OnlyIn {
    pub fn is_empty(&self) -> bool {
        self.callers.is_empty() && self.queues.is_empty() && self.pools.is_empty()
    }

    /// "caller type `x`, queue `y`".
    pub fn describe(&self) -> String {
        let each = |kind: &str, v: &[String]| v.iter().map(|n| format!("{kind} `{n}`")).collect::<Vec<_>>();
        let mut all = each("caller type", &self.callers);
        all.extend(each("queue", &self.queues));
        all.extend(each("pool", &self.pools));
        all.join(", ")
    }
}

/// Pairs every metric of `f` evaluated on A's and B's counts.
fn figures<T>(
    metrics: &[Metric],
    a: &[T],
    b: &[T],
    f: impl Fn(Metric, &T) -> Option<f64>,
    (pa, pb): (&T, &T),
) -> Figures {
    metrics
        .iter()
        .map(|&m| {
            let ra: Vec<Option<f64>> = a.iter().map(|x| f(m, x)).collect();
            let rb: Vec<Option<f64>> = b.iter().map(|x| f(m, x)).collect();
            (m, Paired::new(m, (f(m, pa), f(m, pb)), (&ra, &rb)))
        })
        .collect()
}

/// The per-replication slices of the entity named `name` in both designs.
fn per_rep<T: Clone>(a: &Side, b: &Side, ia: usize, ib: usize, pick: fn(&RepStats) -> &Vec<T>) -> (Vec<T>, Vec<T>) {
    let (ra, rb) = (&a.runs.per_rep, &b.runs.per_rep);
    (ra.iter().map(|r| pick(r)[ia].clone()).collect(), rb.iter().map(|r| pick(r)[ib].clone()).collect())
}

/// Names in both designs, in A's order, with their indices; and those in one only.
fn align<'n>(
    a: &[&'n str],
    b: &[&'n str],
    only_a: &mut Vec<String>,
    only_b: &mut Vec<String>,
) -> Vec<(&'n str, usize, usize)> {
    let both = a.iter().enumerate().filter_map(|(i, n)| b.iter().position(|m| m == n).map(|j| (*n, i, j))).collect();
    only_a.extend(a.iter().filter(|n| !b.contains(n)).map(|n| n.to_string()));
    only_b.extend(b.iter().filter(|n| !a.contains(n)).map(|n| n.to_string()));
    both
}

fn callers(s: &Scenario) -> Vec<&str> {
    s.callers.iter().map(|c| c.name.as_str()).collect()
}

fn queues(s: &Scenario) -> Vec<&str> {
    s.queues.iter().map(|c| c.name.as_str()).collect()
}

fn pools(s: &Scenario) -> Vec<&str> {
    s.pools.iter().map(|c| c.name.as_str()).collect()
}

fn design(s: &Side) -> Design {
    Design {
        file: s.file.to_string(),
        scenario: s.scenario.name.clone(),
        horizon: r6(s.scenario.horizon.as_secs_f64()),
        service_level_threshold: r6(s.scenario.service_level.as_secs_f64()),
        calls: s.runs.pooled.by_caller.iter().map(|c| c.calls).sum(),
    }
}

impl Comparison {
    /// Both sides must have run the same seed and number of replications.
    pub fn build(a: &Side, b: &Side) -> Comparison {
        let mut caller_metrics = Metric::all();
        let channels = a.scenario.uses_channels() || b.scenario.uses_channels();
        if channels {
            caller_metrics.extend(Metric::for_channels());
        }
        let mut pool_metrics = Metric::for_pools();
        if a.scenario.uses_chat() || b.scenario.uses_chat() {
            pool_metrics.push(Metric::Concurrency);
        }
        let queue_metrics = Metric::for_queues();
        let (mut only_in_a, mut only_in_b) = (OnlyIn::default(), OnlyIn::default());
        let of_callers = |m: Metric, c: &CallerStats| m.of_callers(c);

        let oa: Vec<CallerStats> = a.runs.per_rep.iter().map(RepStats::overall).collect();
        let ob: Vec<CallerStats> = b.runs.per_rep.iter().map(RepStats::overall).collect();
        let pooled = (&a.runs.pooled.overall(), &b.runs.pooled.overall());
        let overall = figures(&caller_metrics, &oa, &ob, of_callers, pooled);
        let curve = |s: &Summary| s.survival_points(SURVIVAL_POINTS);
        let mut hold_survival = IndexMap::new();

        let by_caller =
            align(&callers(a.scenario), &callers(b.scenario), &mut only_in_a.callers, &mut only_in_b.callers)
                .into_iter()
                .map(|(name, i, j)| {
                    let (ra, rb) = per_rep(a, b, i, j, |r| &r.by_caller);
                    let (pa, pb) = (&a.runs.pooled.by_caller[i], &b.runs.pooled.by_caller[j]);
                    hold_survival.insert(name.to_string(), [curve(&pa.wait), curve(&pb.wait)]);
                    (name.to_string(), figures(&caller_metrics, &ra, &rb, of_callers, (pa, pb)))
                })
                .collect();
        hold_survival.insert(ALL_CALLERS.to_string(), [curve(&pooled.0.wait), curve(&pooled.1.wait)]);
        let by_queue = align(&queues(a.scenario), &queues(b.scenario), &mut only_in_a.queues, &mut only_in_b.queues)
            .into_iter()
            .map(|(name, i, j)| {
                let (ra, rb) = per_rep(a, b, i, j, |r| &r.by_queue);
                let f = |m: Metric, q: &_| m.of_queue(q);
                let pooled = (&a.runs.pooled.by_queue[i], &b.runs.pooled.by_queue[j]);
                (name.to_string(), figures(&queue_metrics, &ra, &rb, f, pooled))
            })
            .collect();
        let by_pool = align(&pools(a.scenario), &pools(b.scenario), &mut only_in_a.pools, &mut only_in_b.pools)
            .into_iter()
            .map(|(name, i, j)| {
                let (ra, rb) = per_rep(a, b, i, j, |r| &r.by_pool);
                let f = |m: Metric, p: &_| m.of_pool(p);
                let pooled = (&a.runs.pooled.by_pool[i], &b.runs.pooled.by_pool[j]);
                let f = figures(&pool_metrics, &ra, &rb, f, pooled);
                (name.to_string(), f)
            })
            .collect();
        Comparison {
            a: design(a),
            b: design(b),
            seed: a.scenario.seed,
            replications: a.scenario.replications,
            overall,
            by_caller,
            by_queue,
            by_pool,
            only_in_a,
            only_in_b,
            hold_survival,
        }
    }

    pub fn only_in_a_callers(&self) -> Vec<&str> {
        self.only_in_a.callers.iter().map(String::as_str).collect()
    }

    pub fn only_in_b_callers(&self) -> Vec<&str> {
        self.only_in_b.callers.iter().map(String::as_str).collect()
    }

    pub fn only_in_a_queues(&self) -> Vec<&str> {
        self.only_in_a.queues.iter().map(String::as_str).collect()
    }
}

/// How the overall scope is named in output and in gates (`all:wait.p95`).
pub const ALL_CALLERS: &str = "all callers";
