//! Pools and overflow, where the log names the pool that answered each call
//! (`shop` logs): one pool per pool seen, each answering the caller types it
//! answered in the log, in the order it was reached; a pool that answered a
//! type's calls only after they had held a while is an **overflow** pool of
//! that type's queue, eligible after that hold (`{ pool: B, after: 60s }`).
//!
//! The delay is the 2nd percentile of the holds of the calls the pool
//! answered (not the least: a few calls answered at once would be enough to
//! hide a delay otherwise), in whole seconds, and zero under 2 s; a pool
//! answering under 1% of a type's answered calls is not counted as serving it.
//! Each pool's agents are estimated as one pool's are (see `staffing`), on
//! its own agents' talks and the holds of the callers it serves, each counted
//! from when the pool could answer them: an overflow pool is not held idle by
//! callers it may not take yet. Its handle time per caller type is fitted on
//! its own talks.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::arrivals::Intervals;
use super::distributions::{self, DurationFit};
use super::staffing::{self, AgentsRule, AgentsSeen, PoolView};
use super::{CallerFit, key_of};
use crate::logs::record::{Ending, LoggedCall};

/// A pool's share of a caller type's answered calls, and the hold after which it answers.
#[derive(Clone, Debug, Serialize)]
pub struct Serves {
    /// The caller type's key.
    pub caller: String,
    pub share: f64,
    /// Seconds of hold before this pool may answer (0: at once).
    pub after: f64,
    /// Talk times of its calls of this type.
    pub handle: DurationFit,
}

#[derive(Clone, Debug, Serialize)]
pub struct PoolFit {
    /// The pool's name in the log.
    pub name: String,
    /// Its key in the scenario.
    pub key: String,
    pub agents: Vec<AgentsSeen>,
    pub serves: Vec<Serves>,
    /// When the pool answers first a queue that tells callers the wait: the
    /// share of on-duty time on the phones, written as `availability` beside
    /// agents on duty (see [`on_duty_share`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<f64>,
}

/// The share of on-duty time a pool's agents are on the phones, from its
/// estimates: agents on the phones (the written estimate) over agents seen
/// serving (`distinct`, which counts every agent on duty who took a call),
/// summed over the intervals; `None` when it rounds to 1 (or nothing was
/// seen). A queue that tells the estimated wait counts agents on duty in it
/// (an ACD counts those logged in), so a fitted pool answering such a queue
/// is written as agents on duty × this share: on the phones as fitted, and
/// the same wait told as in the log.
pub fn on_duty_share(agents: &[AgentsSeen]) -> Option<f64> {
    let on_phones: f64 = agents.iter().map(|a| a.agents).sum();
    let on_duty: f64 = agents.iter().map(|a| a.distinct).sum();
    let share = (on_phones / on_duty).min(1.0);
    (on_duty > 0.0 && share.is_finite() && share < 0.995 && share > 0.0).then(|| crate::stats::r3(share))
}

/// The holds and the talk times of the calls one pool answered of one caller type.
type HoldsAndTalks = (Vec<f64>, Vec<f64>);

/// Least share of a type's answered calls that makes a pool one of its pools.
const LEAST_SHARE: f64 = 0.01;
/// The quantile of the holds taken as an overflow delay.
const DELAY_QUANTILE: f64 = 0.02;

/// The log's pools, when it names two or more (else empty: one pool answers all).
pub fn fit(
    calls: &[LoggedCall],
    iv: &Intervals,
    days: &[i64],
    rule: AgentsRule,
    callers: &[CallerFit],
) -> Vec<PoolFit> {
    let names: BTreeSet<&str> =
        calls.iter().filter(|c| c.ending == Ending::Served).filter_map(|c| c.pool.as_deref()).collect();
    if names.len() < 2 {
        return Vec::new();
    }
    // (pool, caller) → holds and talks of the calls it answered.
    let mut seen: BTreeMap<(&str, &str), HoldsAndTalks> = BTreeMap::new();
    let mut answered: BTreeMap<&str, usize> = BTreeMap::new();
    for c in calls.iter().filter(|c| c.ending == Ending::Served && !c.apart) {
        let (Some(p), Some(s)) = (c.pool.as_deref(), &c.service) else { continue };
        let e = seen.entry((p, c.caller.as_str())).or_default();
        e.0.push(c.wait.unwrap_or(0.0));
        e.1.push(s.talk);
        *answered.entry(c.caller.as_str()).or_default() += 1;
    }
    let mut by_pool: Vec<(&str, Vec<Serves>)> = names
        .iter()
        .map(|&name| {
            let serves = callers
                .iter()
                .filter_map(|cf| {
                    let (holds, talks) = seen.get(&(name, cf.name.as_str()))?;
                    let share = holds.len() as f64 / answered.get(cf.name.as_str()).copied().unwrap_or(1).max(1) as f64;
                    if share < LEAST_SHARE {
                        return None;
                    }
                    let mut h = holds.clone();
                    h.sort_by(f64::total_cmp);
                    let q = h[((h.len() - 1) as f64 * DELAY_QUANTILE).round() as usize];
                    let after = if q < 2.0 { 0.0 } else { q.round() };
                    Some(Serves { caller: cf.key.clone(), share, after, handle: distributions::fit(talks) })
                })
                .collect();
            (name, serves)
        })
        .collect();
    // The first pool a queue reaches answers at once: whatever hold its
    // calls show is the queue's, not a delay.
    for cf in callers {
        let first = by_pool
            .iter()
            .enumerate()
            .filter_map(|(i, (_, sv))| {
                sv.iter().position(|s| s.caller == cf.key).map(|j| (i, j, sv[j].after, sv[j].share))
            })
            .min_by(|a, b| a.2.total_cmp(&b.2).then(b.3.total_cmp(&a.3)));
        if let Some((i, j, _, _)) = first {
            by_pool[i].1[j].after = 0.0;
        }
    }
    let all: Vec<&LoggedCall> = calls.iter().collect();
    by_pool
        .into_iter()
        .map(|(name, serves)| {
            let view = PoolView {
                pool: Some(name),
                serves: serves
                    .iter()
                    .filter_map(|s| {
                        let cf = callers.iter().find(|c| c.key == s.caller)?;
                        Some((cf.name.as_str(), s.after))
                    })
                    .collect(),
            };
            let (agents, _) = staffing::agents_of(&all, iv, days, rule, &view);
            PoolFit { name: name.to_string(), key: key_of(name), agents, serves, availability: None }
        })
        .collect()
}

/// The pools answering a caller type's queue, in the order they are reached: (pool key, after).
pub fn queue_pools<'a>(pools: &'a [PoolFit], caller_key: &str) -> Vec<(&'a str, f64)> {
    let mut v: Vec<(&str, f64, f64)> = pools
        .iter()
        .filter_map(|p| p.serves.iter().find(|s| s.caller == caller_key).map(|s| (p.key.as_str(), s.after, s.share)))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.2.total_cmp(&a.2)));
    v.into_iter().map(|(k, a, _)| (k, a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(distinct: f64, agents: f64) -> AgentsSeen {
        AgentsSeen { distinct, busy: agents * 0.9, busy_while_waiting: agents, on_phones: agents, agents }
    }

    #[test]
    fn the_share_on_the_phones_is_the_estimate_over_the_agents_seen_on_duty() {
        // 9 on duty all day, 6.75 on the phones: 0.75, whatever the intervals.
        assert_eq!(on_duty_share(&[seen(9.0, 6.5), seen(9.0, 7.0)]), Some(0.75));
        // Every agent seen on the phones (or more: a light interval's peak) is no share at all.
        assert_eq!(on_duty_share(&[seen(9.0, 9.0)]), None);
        assert_eq!(on_duty_share(&[seen(5.0, 6.0)]), None);
        assert_eq!(on_duty_share(&[]), None);
    }
}
