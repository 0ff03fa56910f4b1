//! Agents per interval, inferred from who served calls.
//!
//! Method: the number of **distinct agents seen serving** during the
//! interval (a talk overlapping it), averaged over the log's days and
//! rounded. The other candidate, busy time ÷ interval length, counts busy
//! agents, not agents on duty: written as staffing it would set occupancy to
//! 100% and the fitted center would drown in queues. Distinct servers
//! undercount an agent who was on duty but idle the whole interval (rare
//! where there is a queue) and overcount a little when shifts change
//! mid-interval; both are reported so the occupancy they imply can be judged.
//! A log without agent names falls back on busy agents ÷ 0.85.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::arrivals::Intervals;
use crate::logs::record::LoggedCall;

/// The occupancy assumed when the log names no agents.
pub const ASSUMED_OCCUPANCY: f64 = 0.85;

#[derive(Clone, Debug, Serialize)]
pub struct AgentsSeen {
    /// Distinct agents serving during the interval, mean over days.
    pub distinct: f64,
    /// Busy agents (talk time in the interval ÷ its length), mean over days.
    pub busy: f64,
    /// Agents written to the scenario.
    pub agents: u32,
}

/// Agents per interval over `days` days (the calls all come from those days).
pub fn agents(calls: &[&LoggedCall], iv: &Intervals, days: &[i64]) -> (Vec<AgentsSeen>, bool) {
    let day_index: HashMap<i64, usize> = days.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let cells = days.len() * iv.count;
    let mut seen: Vec<HashSet<&str>> = vec![HashSet::new(); cells];
    let mut busy = vec![0.0; cells];
    let mut named = false;
    for c in calls {
        let Some(s) = &c.service else { continue };
        let Some(&d) = day_index.get(&c.day) else { continue };
        let (a, b) = (s.start, s.start + s.talk);
        let first = iv.of(a);
        for i in first..iv.count {
            let lo = iv.start + i as f64 * iv.length;
            let hi = lo + iv.length;
            if lo >= b && i > first {
                break;
            }
            busy[d * iv.count + i] += (b.min(hi) - a.max(lo)).max(0.0);
            if let Some(name) = &s.server {
                named = true;
                seen[d * iv.count + i].insert(name.as_str());
            }
        }
    }
    let n = days.len().max(1) as f64;
    let out = (0..iv.count)
        .map(|i| {
            let distinct = (0..days.len()).map(|d| seen[d * iv.count + i].len() as f64).sum::<f64>() / n;
            let busy = (0..days.len()).map(|d| busy[d * iv.count + i]).sum::<f64>() / n / iv.length;
            let agents = if named { distinct.round() } else { (busy / ASSUMED_OCCUPANCY).ceil() };
            AgentsSeen { distinct, busy, agents: agents as u32 }
        })
        .collect();
    (out, named)
}
