//! One interval of the staffing report: the figures the found staffing
//! achieved there (from the catalogue, all replications pooled), their noise
//! over the replications, and why each pool's last agent stays.

use indexmap::IndexMap;

use super::report::{Achieved, CallerAchieved, Noise, PoolBinding, Wait};
use super::targets::{Scope, all_callers};
use super::{Answer, Binding, Request};
use crate::stats::collect::{IntervalStats, Runs};
use crate::stats::metric::{ABANDON_RATE, Metric, SERVICE_LEVEL, Span, Stat};
use crate::stats::r6;

/// Each replication's intervals (all callers together), gathered once for the
/// whole report (not once per interval).
pub(super) fn per_rep_intervals(runs: &Runs) -> Vec<Vec<IntervalStats>> {
    runs.per_rep.iter().map(|r| r.intervals()).collect()
}

/// What the staffing found achieved in interval `k`, and the noise of it.
pub(super) fn achieved(req: &Request, a: &Answer, per_rep: &[Vec<IntervalStats>], k: usize) -> (Achieved, Noise) {
    let sc = &req.scenario;
    let pooled = &a.runs.pooled;
    let all = all_callers(pooled, k);
    let occupancy = (0..sc.pools.len())
        .map(|p| (sc.pools[p].name.clone(), Metric::Occupancy.of_pool(pooled.pool_interval(k, p)).map(r6)))
        .collect();
    let has_caller_scope = req.targets.iter().any(|t| matches!(t.scope, Scope::Caller(_)));
    let by_caller = if has_caller_scope {
        sc.callers
            .iter()
            .enumerate()
            .map(|(c, ct)| {
                let i = pooled.interval_caller(k, c);
                let f = CallerAchieved {
                    service_level: SERVICE_LEVEL.of_interval(i).map(r6),
                    abandon_rate: ABANDON_RATE.of_interval(i).map(r6),
                    wait: wait(i),
                };
                (ct.name.clone(), f)
            })
            .collect()
    } else {
        IndexMap::new()
    };
    let achieved = Achieved {
        service_level: SERVICE_LEVEL.of_interval(&all).map(r6),
        abandon_rate: ABANDON_RATE.of_interval(&all).map(r6),
        wait: wait(&all),
        occupancy,
        by_caller,
    };
    (achieved, noise(per_rep, k, &all))
}

/// The targets one agent fewer breaks in interval `k` (joined, in the order
/// the pools name them), and per pool the target, where it breaks and the figure there.
pub(super) fn binding(req: &Request, a: &Answer, k: usize) -> (String, IndexMap<String, PoolBinding>) {
    let sc = &req.scenario;
    let day = &sc.intervals;
    let mut by_pool = IndexMap::new();
    let mut targets: Vec<String> = Vec::new();
    for &p in &req.pools {
        let b = match &a.binding[p][k] {
            Some(Binding::Target { target, interval, value }) => PoolBinding {
                target: req.targets[*target].text.clone(),
                breaks_in: Some(day.label(*interval)),
                value: Some(r6(*value)),
            },
            Some(Binding::AtMinimum) => PoolBinding { target: "--min-agents".into(), breaks_in: None, value: None },
            None => continue,
        };
        if !targets.contains(&b.target) {
            targets.push(b.target.clone());
        }
        by_pool.insert(sc.pools[p].name.clone(), b);
    }
    (targets.join("; "), by_pool)
}

fn wait(i: &IntervalStats) -> Wait {
    Wait {
        mean: Metric::Duration(Span::Wait, Stat::Mean).of_interval(i).map(r6),
        p95: Metric::Duration(Span::Wait, Stat::P95).of_interval(i).map(r6),
    }
}

/// Sectioned 95% intervals of the interval's figures over the replications.
fn noise(per_rep: &[Vec<IntervalStats>], k: usize, all: &IntervalStats) -> Noise {
    let daily: Vec<&IntervalStats> = per_rep.iter().filter_map(|r| r.get(k)).collect();
    let ci = |m: Metric| -> Option<[f64; 2]> {
        let days: Option<Vec<f64>> = daily.iter().map(|d| m.of_interval(d)).collect();
        m.ci95(m.of_interval(all)?, &days?).map(|[lo, hi]| [r6(lo), r6(hi)])
    };
    Noise {
        service_level: ci(SERVICE_LEVEL),
        abandon_rate: ci(ABANDON_RATE),
        wait_mean: ci(Metric::Duration(Span::Wait, Stat::Mean)),
        wait_p95: ci(Metric::Duration(Span::Wait, Stat::P95)),
    }
}
