//! One interval of the staffing report: the figures the found staffing
//! achieved there (from the catalogue, all replications pooled), their noise
//! over the replications, and why each pool's last agent stays.

use indexmap::IndexMap;

use super::report::{Achieved, CallerAchieved, Noise, PoolBinding, Times, Wait};
use super::targets::{Figure, Scope, all_callers};
use super::{Answer, Binding, Request};
use crate::plan::target::Goal;
use crate::scenario::QueueId;
use crate::stats::channels::ChannelTimes;
use crate::stats::collect::{IntervalStats, QueueStats, Runs};
use crate::stats::linear::pseudo_values;
use crate::stats::metric::{ABANDON_RATE, Metric, SERVICE_LEVEL, Span, Stat};
use crate::stats::r6;

/// Each replication's intervals (all callers together), gathered once for the
/// whole report (not once per interval).
pub(super) fn per_rep_intervals(runs: &Runs) -> Vec<Vec<IntervalStats>> {
    runs.per_rep.iter().map(|r| r.intervals().into_owned()).collect()
}

/// What the staffing found achieved in interval `k`, and the noise of it.
pub(super) fn achieved(req: &Request, a: &Answer, per_rep: &[Vec<IntervalStats>], k: usize) -> (Achieved, Noise) {
    let sc = &req.scenario;
    let pooled = &a.runs.pooled;
    let all = all_callers(pooled, k);
    let occupancy = (0..sc.pools.len())
        .map(|p| (sc.pools[p].name.clone(), Metric::Occupancy.of_pool(pooled.pool_interval(k, p)).map(r6)))
        .collect();
    let scoped = |f: fn(&Scope) -> bool| req.targets.iter().any(|t| f(&t.scope));
    // The channel times a target bounds, from the counts by interval.
    let asked = |span: Span| {
        req.targets
            .iter()
            .any(|t| matches!(t.figure, Figure::Channel { metric: Metric::Duration(s, _), .. } if s == span))
    };
    let times = |t: &ChannelTimes, span: Span| -> Option<Times> {
        let of = |st: Stat| Metric::Duration(span, st).of_channel_times(t).map(r6);
        let x = Times { mean: of(Stat::Mean), p95: of(Stat::P95) };
        (asked(span) && (x.mean.is_some() || x.p95.is_some())).then_some(x)
    };
    let detail = a.detail.as_ref();
    let by_caller = if scoped(|s| matches!(s, Scope::Caller(_))) {
        sc.callers
            .iter()
            .enumerate()
            .map(|(c, ct)| {
                let i = pooled.interval_caller(k, c);
                let ch = pooled.interval_channel(k, c);
                let f = CallerAchieved {
                    service_level: SERVICE_LEVEL.of_interval(i).map(r6),
                    abandon_rate: ABANDON_RATE.of_interval(i).map(r6),
                    wait: wait(i),
                    response_time: ch.and_then(|t| times(t, Span::ResponseTime)),
                    time_to_callback: ch.and_then(|t| times(t, Span::TimeToCallback)),
                };
                (ct.name.clone(), f)
            })
            .collect()
    } else {
        IndexMap::new()
    };
    // The queues a target is scoped to: the only ones counted.
    let by_queue = match detail {
        Some(d) => sc
            .queues
            .iter()
            .enumerate()
            .filter_map(|(q, queue)| d.queue(k, QueueId(q as u16)).map(|s| (queue.name.clone(), offered(s))))
            .collect(),
        None => IndexMap::new(),
    };
    let everyone = pooled.interval_channel_all(k);
    let blend = CallerAchieved {
        service_level: SERVICE_LEVEL.of_interval(&all).map(r6),
        abandon_rate: ABANDON_RATE.of_interval(&all).map(r6),
        wait: wait(&all),
        response_time: None,
        time_to_callback: None,
    };
    // The figures of the tightest service target's scope: what binds here.
    let (scope, shown) = match tightest(req, a, k) {
        Some(Scope::Queue(q)) => {
            let name = &sc.queues[q.index()].name;
            match detail.and_then(|d| d.queue(k, q)) {
                Some(s) => (Some(format!("queue {name}")), offered(s)),
                None => (None, blend.clone()),
            }
        }
        Some(Scope::Caller(c)) => {
            let i = pooled.interval_caller(k, c.index());
            let f = CallerAchieved {
                service_level: SERVICE_LEVEL.of_interval(i).map(r6),
                abandon_rate: ABANDON_RATE.of_interval(i).map(r6),
                wait: wait(i),
                response_time: None,
                time_to_callback: None,
            };
            (Some(format!("caller {}", sc.callers[c.index()].name)), f)
        }
        _ => (None, blend.clone()),
    };
    let noise = if scope.is_some() { Noise::none() } else { noise(per_rep, k, &all) };
    let achieved = Achieved {
        all_callers: scope.is_some().then_some(blend),
        scope,
        service_level: shown.service_level,
        abandon_rate: shown.abandon_rate,
        wait: shown.wait,
        occupancy,
        by_caller,
        by_queue,
        response_time: everyone.as_ref().and_then(|t| times(t, Span::ResponseTime)),
        time_to_callback: everyone.as_ref().and_then(|t| times(t, Span::TimeToCallback)),
    };
    (achieved, noise)
}

/// The scope of the service target (service level, wait, abandon rate: not
/// occupancy, not a channel time) nearest its bound in interval `k`, or past
/// it by most, in the bound's own terms ([`super::StaffTarget::shortfall`]);
/// the first such target on a tie. `None` when no such target measured anything.
fn tightest(req: &Request, a: &Answer, k: usize) -> Option<Scope> {
    let pooled = &a.runs.pooled;
    let all = pooled.intervals();
    let mut best: Option<(f64, Scope)> = None;
    for t in &req.targets {
        let service = matches!(t.goal(), Some(g) if !matches!(g, Goal::Occupancy(_)));
        if !service || matches!(t.scope, Scope::Pool(_)) {
            continue;
        }
        let Some(v) = t.figure(pooled, &all, a.detail.as_ref(), k, None) else { continue };
        let short = t.shortfall(v);
        if best.as_ref().is_none_or(|(b, _)| short > *b) {
            best = Some((short, t.scope.clone()));
        }
    }
    best.map(|(_, s)| s)
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

/// The service figures of the calls offered to a queue.
fn offered(q: &QueueStats) -> CallerAchieved {
    let of = |m: Metric| m.of_queue(q).map(r6);
    CallerAchieved {
        service_level: of(SERVICE_LEVEL),
        abandon_rate: of(ABANDON_RATE),
        wait: Wait {
            mean: of(Metric::Duration(Span::Wait, Stat::Mean)),
            p95: of(Metric::Duration(Span::Wait, Stat::P95)),
        },
        response_time: None,
        time_to_callback: None,
    }
}

fn wait(i: &IntervalStats) -> Wait {
    Wait {
        mean: Metric::Duration(Span::Wait, Stat::Mean).of_interval(i).map(r6),
        p95: Metric::Duration(Span::Wait, Stat::P95).of_interval(i).map(r6),
    }
}

impl Noise {
    /// No interval: the figures shown are not all callers'.
    fn none() -> Noise {
        Noise { service_level: None, abandon_rate: None, wait_mean: None, wait_p95: None }
    }
}

/// Sectioned 95% intervals of the interval's pooled figures over the replications.
fn noise(per_rep: &[Vec<IntervalStats>], k: usize, all: &IntervalStats) -> Noise {
    let daily: Vec<&IntervalStats> = per_rep.iter().filter_map(|r| r.get(k)).collect();
    // The days that measured the figure (a day with no call there has none),
    // as the search's `--confidence` judges it.
    // Each day by its linearized value (`stats::linear`): the pooled figure
    // weighs a busy day by its calls, and so must its noise.
    let ci = |m: Metric| -> Option<[f64; 2]> {
        let parts: Vec<_> = daily.iter().map(|d| m.parts_service(*d)).collect();
        let days: Vec<f64> = pseudo_values(m.parts_service(all), &parts).into_iter().flatten().collect();
        m.ci95(m.of_interval(all)?, &days).map(|[lo, hi]| [r6(lo), r6(hi)])
    };
    Noise {
        service_level: ci(SERVICE_LEVEL),
        abandon_rate: ci(ABANDON_RATE),
        wait_mean: ci(Metric::Duration(Span::Wait, Stat::Mean)),
        wait_p95: ci(Metric::Duration(Span::Wait, Stat::P95)),
    }
}
