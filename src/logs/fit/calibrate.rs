//! `fit --calibrate`: after fitting, each interval's effective agents and one
//! patience scale per caller type are adjusted until the fitted scenario's
//! simulation matches the log within the log's own noise.
//!
//! **Targets.** The log's calls are counted by the scenario's intervals as
//! `backtest` counts them. Per interval, the service level is the agents'
//! target; per caller type, the whole day's abandon rate is its patience's.
//! (Agents set how long callers hold, patience how many of those who hold hang
//! up: two levers, each on the figure it moves most.) With several pools, each
//! pool's agents of an interval are set by the service level of the callers
//! whose queue it answers first (its own queue: each caller type has one),
//! counted in the log and the simulation for those callers only; a pool that
//! answers no queue first (only overflow) is not moved.
//!
//! **Noise.** A figure matches when simulation and log differ by at most two
//! standard errors of their difference, each side binomial on its own count
//! (the log's calls that reached a queue over its days, the simulation's over
//! its replications): an interval of 40 logged calls is left alone within
//! ±15 points, one of 4,000 within ±1.5. Intervals with fewer than
//! [`MIN_QUEUED`] queued calls in the log are not moved.
//!
//! **Search.** Every evaluation simulates the same replications of the same
//! seed ([`SEED`]: common random numbers), so two evaluations differ only by
//! what moved, not by luck. Per interval, a secant step on the service level
//! against agents (the first step from a slope of 0.6 ÷ √agents per agent, the
//! Erlang C slope near 50% for a few agents to a few tens), at most a third of
//! the agents or one agent per round, agents kept to one decimal (what the
//! file holds) and at least 0.1; per caller type, patience × (simulated ÷ log
//! abandon rate)^0.8, within ×0.67–×1.5 per round. Intervals interact (a
//! queue carries over), so every interval moves in every round until all
//! match or [`ROUNDS`] evaluations are done; the evaluation with the smallest
//! sum of squared standardized errors is kept.

use serde::Serialize;

use super::Fitted;
use crate::logs::backtest::{Alignment, Figure, align, bin, record_of};
use crate::logs::record::LoggedCall;
use crate::scenario::{Intervals, Scenario};
use crate::sim::{RunOptions, Silent, run_merged};
use crate::stats::collect::{CallerStats, IntervalStats};
use crate::time::SimDuration;

/// The seed of every evaluation (not the written scenario's: the calibration
/// does not tune itself to the random numbers `backtest` will draw).
pub const SEED: u64 = 0xCA1B;
/// Evaluations at most.
pub const ROUNDS: usize = 12;
/// Intervals with fewer queued calls in the log are not moved.
pub const MIN_QUEUED: u64 = 5;
/// A figure once beyond its noise is moved until within this many standard
/// errors of the log.
pub const SETTLED: f64 = 0.5;
/// An interval's service level is moved once beyond this many standard
/// errors: among a day's 16–48 intervals, one or two lie beyond two by
/// chance alone, and chasing them fits the log's luck; beyond three, about
/// one fit in ten moves an interval by chance. The whole day and the abandon
/// rates (a few figures) are moved beyond two.
pub const FLAG_INTERVAL: f64 = 3.0;
/// With fewer days than [`MIN_DAYS`], the calls of one interval of one day
/// are taken as this correlated (their spread over binomial noise is then
/// 1 + ρ (n − 1) for n calls): the least measured on `shop`'s own logs of
/// 10–20 days (0.07 for a busy center's 225 calls a day-interval, 0.10 and
/// 0.14 for two pools' 73 and 40).
pub const ASSUMED_CORRELATION: f64 = 0.05;
/// A figure's day-to-day spread is read from at least this many days.
pub const MIN_DAYS: usize = 4;

/// What calibration moved, and how well the model then matches.
#[derive(Clone, Debug, Serialize)]
pub struct Calibration {
    pub seed: u64,
    /// Replications per evaluation.
    pub replications: u32,
    pub evaluations: usize,
    /// Agents per interval as fitted, before calibration (the fit's own `agents` hold the result).
    pub agents_fitted: Vec<f64>,
    /// With several pools: each pool's agents per interval as fitted (the
    /// fit's order; the pools' own `agents` hold the result). Calibration then
    /// scores each pool's own callers per interval: `intervals_scored` counts
    /// pool-intervals.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pool_agents_fitted: Vec<Vec<f64>>,
    /// Per caller type (the fit's order): the patience mean before (s), and its scale.
    pub patience_fitted: Vec<Option<f64>>,
    pub patience_scale: Vec<f64>,
    /// Intervals scored (enough queued calls in the log), and of them within the noise before and after.
    pub intervals_scored: usize,
    pub within_before: usize,
    pub within_after: usize,
    /// The log's noise: per scored group (one pool, or each pool that answers
    /// a queue first, in the fit's order), how much more its days' service
    /// levels vary than independent calls would (variance ratio, at least 1),
    /// per interval and over the whole day.
    pub day_spread: Vec<[f64; 2]>,
    /// False when the log has too few days ([`MIN_DAYS`]) to measure that
    /// spread: it is then assumed, from [`ASSUMED_CORRELATION`].
    pub day_spread_measured: bool,
    /// The same for each caller type's whole-day abandon rate (the fit's order).
    pub abandon_day_spread: Vec<f64>,
    /// Whole day: the log's figure, the fitted model's, the calibrated one's.
    pub abandon_rate: [Option<f64>; 3],
    pub service_level: [Option<f64>; 3],
    pub wait_mean: [Option<f64>; 3],
}

/// The figures one evaluation gives.
struct Eval {
    intervals: Vec<IntervalStats>,
    /// Per interval and caller type: index `interval * callers + caller`.
    by_interval: Vec<IntervalStats>,
    callers: Vec<CallerStats>,
    overall: CallerStats,
}

fn simulate(sc: &Scenario, threads: Option<usize>) -> Result<Eval, String> {
    let opts = RunOptions { threads, on_replication_done: &|| {} };
    let (runs, ()) = run_merged(sc, &opts, |_| Silent, |_, _, _| (), |_, _| ())?;
    Ok(Eval {
        intervals: runs.pooled.intervals().into_owned(),
        by_interval: runs.pooled.by_interval.clone(),
        callers: runs.pooled.by_caller.clone(),
        overall: runs.pooled.overall(),
    })
}

/// One agents lever: the agents of the one pool (`pool: None`, scored on
/// every caller's service level) or of one pool, in interval `k`, scored on
/// the service level of `callers` (the fit's indices: those the pool answers
/// first).
struct Lever {
    pool: Option<usize>,
    k: usize,
    group: usize,
}

impl Lever {
    fn get(&self, f: &Fitted) -> f64 {
        match self.pool {
            None => f.agents[self.k].agents,
            Some(p) => f.pools[p].agents[self.k].agents,
        }
    }

    fn set(&self, f: &mut Fitted, v: f64) {
        match self.pool {
            None => f.agents[self.k].agents = v,
            Some(p) => f.pools[p].agents[self.k].agents = v,
        }
    }
}

/// With pools, each interval's total is the pools' sum (what `fit` prints).
fn sum_pools(f: &mut Fitted) {
    if f.pools.is_empty() {
        return;
    }
    for k in 0..f.agents.len() {
        let sum: f64 = f.pools.iter().filter_map(|p| p.agents.get(k)).map(|a| a.agents).sum();
        f.agents[k].agents = (sum * 10.0).round() / 10.0;
    }
}

/// Binomial standard error of a share `p` seen on `n` trials (p kept off 0 and 1).
fn se(p: f64, n: u64) -> f64 {
    let p = p.clamp(0.02, 0.98);
    (p * (1.0 - p) / n.max(1) as f64).sqrt()
}

/// Standardized gap of a share: (simulated − log) ÷ the standard error of the difference.
fn z(log: f64, n_log: u64, sim: f64, n_sim: u64) -> f64 {
    let p = 0.5 * (log + sim);
    (sim - log) / (se(p, n_log).powi(2) + se(p, n_sim).powi(2)).sqrt()
}

/// The log's day-to-day spread of a share over what binomial noise alone
/// would give (the design effect, at least 1). Each set holds one figure's
/// days, `(share, calls)`: a day's calls share their queue, so their
/// outcomes move together and the days spread more than single calls would.
/// Summed over the sets (the intervals of a pool), so that a few days still
/// estimate it; sets of fewer than [`MIN_DAYS`] days are left out: with none
/// left, `None` (the spread is then assumed: [`ASSUMED_CORRELATION`]).
fn design_effect(sets: impl Iterator<Item = Vec<(f64, f64)>>) -> Option<f64> {
    let (mut spread, mut binomial) = (0.0, 0.0);
    for days in sets {
        let d = days.len();
        let n: f64 = days.iter().map(|o| o.1).sum();
        if d < MIN_DAYS || n < MIN_QUEUED as f64 {
            continue;
        }
        let p = days.iter().map(|(q, m)| q * m).sum::<f64>() / n;
        // The variance of a ratio estimate over days (with d − 1 degrees of freedom).
        spread += days.iter().map(|(q, m)| (m * (q - p)).powi(2)).sum::<f64>() / (n * n) * d as f64 / (d - 1) as f64;
        binomial += se(p, n as u64).powi(2);
    }
    (binomial > 0.0).then(|| (spread / binomial).max(1.0))
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The intervals' figures merged: the whole day.
fn whole_day(intervals: &[IntervalStats]) -> IntervalStats {
    let mut all = IntervalStats::default();
    for s in intervals {
        all.merge(s);
    }
    all
}

/// Each day's figures of the calls `keep` keeps, per interval: `[day][interval]`.
fn per_day(
    calls: &[LoggedCall],
    keep: &dyn Fn(&LoggedCall) -> bool,
    alignment: &Alignment,
    day: &Intervals,
    service_level: SimDuration,
    dated: bool,
) -> Vec<Vec<IntervalStats>> {
    let mut days: std::collections::BTreeMap<i64, Vec<LoggedCall>> = std::collections::BTreeMap::new();
    for c in calls.iter().filter(|c| keep(c)) {
        days.entry(c.day).or_default().push(c.clone());
    }
    days.values().filter_map(|d| bin(d, alignment, day, service_level, dated).ok().map(|b| b.intervals)).collect()
}

/// Calibrates `f` (fitted to `calls`) in place. `render` writes a fit as the
/// scenario's text; `dated`: a clock log (aligned by `opens`).
pub fn calibrate(
    f: &mut Fitted,
    calls: &[LoggedCall],
    render: &dyn Fn(&Fitted) -> String,
    dated: bool,
    threads: Option<usize>,
) -> Result<Calibration, String> {
    let load = |f: &Fitted, reps: u32| -> Result<Scenario, String> {
        let text = render(f);
        let mut sc = crate::scenario::load_str("calibrated.yaml", &text)
            .map_err(|e| format!("error: the fitted scenario does not load for calibration: {e}"))?
            .scenario;
        sc.seed = SEED;
        sc.replications = reps;
        Ok(sc)
    };
    let days = f.days.len().max(1);
    // Enough simulated days that the simulation's noise is under the log's.
    let reps = (2 * days).clamp(40, 200) as u32;
    let sc = load(f, reps)?;
    let alignment = align(calls, &sc.intervals, dated);
    let binned = bin(calls, &alignment, &sc.intervals, sc.service_level, dated).map_err(|e| format!("error: {e}"))?;
    let n_iv = f.agents.len().min(binned.intervals.len());
    // The log per caller type (the fit's order) and whole.
    let mut log_callers = vec![CallerStats::default(); f.callers.len()];
    let mut log_all = CallerStats::default();
    for c in calls {
        let r = record_of(c);
        if let Some(i) = f.callers.iter().position(|x| x.name == c.caller) {
            log_callers[i].record_call(&r, sc.service_level);
        }
        log_all.record_call(&r, sc.service_level);
    }
    let caller_index: Vec<Option<usize>> =
        f.callers.iter().map(|c| sc.callers.iter().position(|s| s.name == c.key)).collect();
    let sl = |s: &IntervalStats| Figure::ServiceLevel.of(s, 1.0);
    let ab = |s: &CallerStats| Figure::AbandonRate.of(s, 1.0);
    // The callers each lever is scored on: all of them (one pool), or each
    // pool's own, the types whose queue it answers first.
    let groups: Vec<(Option<usize>, Vec<usize>)> = if f.pools.is_empty() {
        vec![(None, Vec::new())]
    } else {
        (0..f.pools.len())
            .map(|p| {
                let own = (0..f.callers.len())
                    .filter(|&i| {
                        super::pools::queue_pools(&f.pools, &f.callers[i].key)
                            .first()
                            .is_some_and(|(key, after)| *key == f.pools[p].key && *after == 0.0)
                    })
                    .collect();
                (Some(p), own)
            })
            .filter(|(_, own): &(Option<usize>, Vec<usize>)| !own.is_empty())
            .collect()
    };
    // The log's figures per group and interval (one pool: `binned`'s).
    let log_groups: Vec<Vec<IntervalStats>> = groups
        .iter()
        .map(|(pool, own)| {
            if pool.is_none() {
                return binned.intervals.clone();
            }
            let mine: Vec<LoggedCall> =
                calls.iter().filter(|c| own.iter().any(|&i| f.callers[i].name == c.caller)).cloned().collect();
            // None of a pool's callers in the day: nothing to score it on.
            bin(&mine, &alignment, &sc.intervals, sc.service_level, dated)
                .map_or_else(|_| vec![IntervalStats::default(); n_iv], |b| b.intervals)
        })
        .collect();
    // The log's noise per group (its intervals' service levels) and per
    // caller type (the whole day's abandon rate): binomial, times the spread
    // of its days over binomial noise. The simulation's days are the model of
    // the same days, so its noise is scaled alike.
    let deff_sl: Vec<(bool, f64, f64)> = groups
        .iter()
        .map(|(_, own)| {
            let names: Vec<&str> = own.iter().map(|&i| f.callers[i].name.as_str()).collect();
            let keep = |c: &LoggedCall| names.is_empty() || names.contains(&c.caller.as_str());
            let days = per_day(calls, &keep, &alignment, &sc.intervals, sc.service_level, dated);
            let share = |s: &IntervalStats| sl(s).map(|p| (p, s.reached_queue as f64));
            let intervals =
                design_effect((0..n_iv).map(|k| days.iter().filter_map(|d| d.get(k)).filter_map(share).collect()));
            let whole = design_effect(std::iter::once(days.iter().filter_map(|d| share(&whole_day(d))).collect()));
            // Too few days to measure: a day-interval's calls taken as correlated
            // by ASSUMED_CORRELATION (the least measured on longer logs).
            let cells: Vec<u64> = days.iter().flatten().map(|s| s.reached_queue).filter(|&n| n > 0).collect();
            let per_cell = cells.iter().sum::<u64>() as f64 / cells.len().max(1) as f64;
            let assumed = 1.0 + ASSUMED_CORRELATION * (per_cell - 1.0).max(0.0);
            (intervals.is_some(), intervals.unwrap_or(assumed), whole.unwrap_or(assumed))
        })
        .collect();
    let deff_ab: Vec<f64> = f
        .callers
        .iter()
        .map(|c| {
            let mut days: std::collections::BTreeMap<i64, CallerStats> = std::collections::BTreeMap::new();
            for call in calls.iter().filter(|x| x.caller == c.name) {
                days.entry(call.day).or_default().record_call(&record_of(call), sc.service_level);
            }
            let queued = days.values().map(|s| s.reached_queue).sum::<u64>() as f64;
            let per_cell = queued / (days.len().max(1) * n_iv.max(1)) as f64;
            design_effect(std::iter::once(
                days.values().filter_map(|s| ab(s).map(|p| (p, s.reached_queue as f64))).collect(),
            ))
            .unwrap_or(1.0 + ASSUMED_CORRELATION * (per_cell - 1.0).max(0.0))
        })
        .collect();
    let levers: Vec<Lever> = (0..groups.len())
        .flat_map(|g| (0..n_iv).map(move |k| (g, k)))
        .filter(|&(g, k)| log_groups[g].get(k).is_some_and(|s| s.reached_queue >= MIN_QUEUED))
        .map(|(g, k)| Lever { pool: groups[g].0, k, group: g })
        .collect();
    let n_callers_sim = sc.callers.len();
    // The simulated figures a lever is scored on.
    let sim_of = |ev: &Eval, l: &Lever| -> IntervalStats {
        if l.pool.is_none() {
            return ev.intervals[l.k].clone();
        }
        let mut all = IntervalStats::default();
        for &i in &groups[l.group].1 {
            if let Some(s) = caller_index[i].and_then(|si| ev.by_interval.get(l.k * n_callers_sim + si)) {
                all.merge(s);
            }
        }
        all
    };

    let agents_fitted: Vec<f64> = f.agents.iter().map(|a| a.agents).collect();
    let pool_agents_fitted: Vec<Vec<f64>> =
        f.pools.iter().map(|p| p.agents.iter().map(|a| a.agents).collect()).collect();
    let patience_fitted: Vec<Option<f64>> = f.callers.iter().map(|c| c.patience.exp_mean).collect();
    let mut scale = vec![1.0; f.callers.len()];
    // Per lever: the previous (agents, gap) for the secant.
    let mut previous: Vec<Option<(f64, f64)>> = vec![None; levers.len()];
    let mut best: Option<(f64, Vec<f64>, Vec<f64>, usize)> = None;
    let (mut flagged, mut group_flagged, mut caller_flagged) =
        (vec![false; levers.len()], vec![false; groups.len()], vec![false; f.callers.len()]);
    let mut first: Option<(usize, [Option<f64>; 3])> = None;
    let mut evaluations = 0;
    let mut sc = sc;
    loop {
        let ev = simulate(&sc, threads)?;
        evaluations += 1;
        // Gaps per interval (service level) and per caller type (abandon rate).
        let mut score = 0.0;
        let mut within = 0;
        let mut gaps: Vec<Option<(f64, f64)>> = vec![None; levers.len()];
        for (j, l) in levers.iter().enumerate() {
            let (lg, sim) = (&log_groups[l.group][l.k], sim_of(&ev, l));
            let (Some(a), Some(b)) = (sl(lg), sl(&sim)) else { continue };
            let zk = z(a, lg.reached_queue, b, sim.reached_queue) / deff_sl[l.group].1.sqrt();
            score += zk * zk;
            if zk.abs() <= 2.0 {
                within += 1;
            }
            gaps[j] = Some((b - a, zk));
        }
        // Each group's whole day: a bias shared by its intervals, each within
        // its own noise, still shows here.
        let mut group_gaps: Vec<Option<(f64, f64)>> = vec![None; groups.len()];
        for (g, gap) in group_gaps.iter_mut().enumerate() {
            let lg = whole_day(&log_groups[g][..n_iv.min(log_groups[g].len())]);
            let mut sim = IntervalStats::default();
            for k in 0..n_iv {
                sim.merge(&sim_of(&ev, &Lever { pool: groups[g].0, k, group: g }));
            }
            if let (Some(a), Some(b)) = (sl(&lg), sl(&sim)) {
                let zg = z(a, lg.reached_queue, b, sim.reached_queue) / deff_sl[g].2.sqrt();
                score += zg * zg;
                *gap = Some((b - a, zg));
            }
        }
        let mut caller_gaps: Vec<Option<(f64, f64, f64)>> = vec![None; f.callers.len()];
        for (i, c) in log_callers.iter().enumerate() {
            let Some(si) = caller_index[i] else { continue };
            let Some(sim) = ev.callers.get(si) else { continue };
            if let (Some(a), Some(b)) = (ab(c), ab(sim)) {
                let zc = z(a, c.reached_queue, b, sim.reached_queue) / deff_ab[i].sqrt();
                score += zc * zc;
                caller_gaps[i] = Some((a, b, zc));
            }
        }
        let figures =
            [ab(&ev.overall), Figure::ServiceLevel.of(&ev.overall, 1.0), Figure::WaitMean.of(&ev.overall, 1.0)];
        if first.is_none() {
            first = Some((within, figures));
        }
        let current: Vec<f64> = levers.iter().map(|l| l.get(f)).collect();
        if best.as_ref().is_none_or(|b| score < b.0) {
            best = Some((score, current.clone(), scale.clone(), within));
        }
        // A figure beyond its noise is flagged, and from then on moved until
        // it matches (|z| ≤ SETTLED), not only back within the noise (which
        // would leave it at the noise's edge, on the side it started).
        // Figures never beyond their noise are left where the fit put them.
        let mut settled = true;
        for (j, g) in gaps.iter().enumerate() {
            if let Some((_, zk)) = g {
                flagged[j] |= zk.abs() > FLAG_INTERVAL;
                settled &= zk.abs() <= if flagged[j] { SETTLED } else { FLAG_INTERVAL };
            }
        }
        for (g, gap) in group_gaps.iter().enumerate() {
            if let Some((_, zg)) = gap {
                group_flagged[g] |= zg.abs() > 2.0;
                settled &= zg.abs() <= if group_flagged[g] { SETTLED } else { 2.0 };
            }
        }
        for (i, gap) in caller_gaps.iter().enumerate() {
            if let Some((_, _, zc)) = gap {
                caller_flagged[i] |= zc.abs() > 2.0;
                settled &= zc.abs() <= if caller_flagged[i] { SETTLED } else { 2.0 };
            }
        }
        if settled || evaluations >= ROUNDS {
            break;
        }
        // Move the agents of every flagged lever off its log's service level;
        // the others move by their group's whole-day gap while that is flagged.
        for (j, l) in levers.iter().enumerate() {
            let Some((gap, zk)) = gaps[j] else { continue };
            let a = current[j];
            if !flagged[j] || zk.abs() <= SETTLED {
                previous[j] = Some((a, gap));
                if let Some((group_gap, _)) =
                    group_gaps[l.group].filter(|g| group_flagged[l.group] && g.1.abs() > SETTLED)
                {
                    let step = (group_gap / (0.6 / a.max(1.0).sqrt())).clamp(-1.0, 1.0);
                    l.set(f, (((a - step) * 10.0).round() / 10.0).max(0.1));
                }
                continue;
            }
            let slope = match previous[j] {
                Some((a0, g0)) if (a - a0).abs() > 0.05 && (gap - g0) / (a - a0) > 0.01 => (gap - g0) / (a - a0),
                _ => 0.6 / a.max(1.0).sqrt(),
            };
            let limit = (a / 3.0).max(1.0);
            let next = ((a - (gap / slope).clamp(-limit, limit)) * 10.0).round() / 10.0;
            previous[j] = Some((a, gap));
            l.set(f, next.max(0.1));
        }
        sum_pools(f);
        // Move each caller type's patience off its log's abandon rate.
        for (i, g) in caller_gaps.iter().enumerate() {
            let Some((log, sim, zc)) = *g else { continue };
            if !caller_flagged[i] || zc.abs() <= SETTLED || log <= 0.0 || sim <= 0.0 || patience_fitted[i].is_none() {
                continue;
            }
            scale[i] = (scale[i] * (sim / log).powf(0.8).clamp(0.67, 1.5)).clamp(0.2, 5.0);
            f.callers[i].patience.exp_mean = patience_fitted[i].map(|m| m * scale[i]);
        }
        sc = load(f, reps)?;
    }
    let (_, agents, best_scale, within_after) = best.unwrap_or_default();
    for (l, v) in levers.iter().zip(&agents) {
        l.set(f, *v);
    }
    sum_pools(f);
    for (i, c) in f.callers.iter_mut().enumerate() {
        c.patience.exp_mean = patience_fitted[i].map(|m| m * best_scale[i]);
    }
    // The kept evaluation's whole-day figures, on the same random numbers.
    let ev = simulate(&load(f, reps)?, threads)?;
    let (within_before, before) = first.unwrap_or((0, [None; 3]));
    let log = [ab(&log_all), Figure::ServiceLevel.of(&log_all, 1.0), Figure::WaitMean.of(&log_all, 1.0)];
    let after = [ab(&ev.overall), Figure::ServiceLevel.of(&ev.overall, 1.0), Figure::WaitMean.of(&ev.overall, 1.0)];
    let cal = Calibration {
        seed: SEED,
        replications: reps,
        evaluations,
        agents_fitted,
        pool_agents_fitted,
        patience_fitted,
        patience_scale: best_scale,
        intervals_scored: levers.len(),
        day_spread: deff_sl.iter().map(|&(_, k, w)| [r3(k), r3(w)]).collect(),
        day_spread_measured: deff_sl.iter().all(|d| d.0),
        abandon_day_spread: deff_ab.iter().map(|&x| r3(x)).collect(),
        within_before,
        within_after,
        abandon_rate: [log[0], before[0], after[0]],
        service_level: [log[1], before[1], after[1]],
        wait_mean: [log[2], before[2], after[2]],
    };
    f.calibration = Some(cal.clone());
    Ok(cal)
}
