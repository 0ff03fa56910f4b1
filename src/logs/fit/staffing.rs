//! Agents per interval, inferred from when agents were busy and callers held.
//!
//! Three estimates, side by side (`--agents` picks the one written):
//! - **busy-while-waiting** (default): the time-average number of busy agents
//!   while at least one caller holds. In a center that makes no caller wait
//!   while an agent taking calls idles (work-conserving), every agent taking
//!   calls is busy whenever someone waits, so this counts the agents *on the
//!   phones*, not those merely on duty: an agent doing other work between
//!   calls (notes, outbound, breaks no log shows) is not counted while away.
//!   Where nobody held in an interval of a day, that day's peak busy count in
//!   the interval stands in (a lower bound: some agents may have idled).
//! - **distinct**: agents seen serving during the interval (a talk overlapping
//!   it). It counts an agent who took one call as present all 30 minutes, so
//!   it overstates capacity: a fitted center then answers far faster than the
//!   real one.
//! - **busy**: talk time in the interval ÷ its length — the load carried, not
//!   the capacity; written as staffing it sets occupancy to 100%.
//!
//! Each is computed per day and interval, then averaged over the days, and
//! written with one decimal (`agents: 5.6` is fractional staffing: see
//! docs/scenario-format.md). Limits: a center that is not work-conserving (an
//! agent idling while a caller of a queue they do not serve waits: skills,
//! several pools) looks less staffed than it is; wrap-up the log does not
//! show counts as time away.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::arrivals::Intervals;
use crate::logs::record::LoggedCall;

/// Which estimate `fit` writes (`--agents`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AgentsRule {
    /// Distinct agents seen serving in the interval.
    Distinct,
    /// Mean busy agents (talk time ÷ interval length).
    Busy,
    /// Mean busy agents while at least one caller holds; the peak busy count where nobody held.
    #[default]
    BusyWhileWaiting,
}

impl AgentsRule {
    pub fn describe(self) -> &'static str {
        match self {
            AgentsRule::Distinct => "distinct agents seen serving per interval",
            AgentsRule::Busy => "mean busy agents per interval",
            AgentsRule::BusyWhileWaiting => {
                "mean busy agents while a caller held (peak busy where nobody held) per interval"
            }
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct AgentsSeen {
    /// Distinct agents serving during the interval, mean over days.
    pub distinct: f64,
    /// Busy agents (talk time in the interval ÷ its length), mean over days.
    pub busy: f64,
    /// Busy agents while at least one caller held (peak busy where nobody held), mean over days.
    pub busy_while_waiting: f64,
    /// Agents written to the scenario (one decimal).
    pub agents: f64,
}

/// A change in the busy or holding count at time `t` (seconds of the day).
#[derive(Clone, Copy)]
struct Change {
    t: f64,
    busy: i32,
    holding: i32,
}

/// One day's interval: the integrals the estimates read.
#[derive(Clone, Copy, Default)]
struct Cell {
    busy: f64,
    /// ∫ busy dt over the time someone held, and that time.
    busy_held: f64,
    held: f64,
    peak: i32,
}

/// Which calls one pool's estimate reads: the talks of its own agents, and
/// the holds of callers it serves, each from when it may answer them (an
/// overflow pool, only after the queue's delay).
pub struct PoolView<'a> {
    /// The pool (`None`: every call, one pool).
    pub pool: Option<&'a str>,
    /// Per caller type it serves: the hold after which it may answer.
    pub serves: Vec<(&'a str, f64)>,
}

impl PoolView<'_> {
    fn talks(&self, c: &LoggedCall) -> bool {
        self.pool.is_none_or(|p| c.pool.as_deref() == Some(p))
    }

    /// The part of the call's hold this pool could have answered: (from, to).
    fn held(&self, c: &LoggedCall, w: f64) -> Option<(f64, f64)> {
        let from = c.dial + c.menu;
        if self.pool.is_none() {
            return Some((from, from + w));
        }
        let after = self.serves.iter().find(|(t, _)| *t == c.caller)?.1;
        (w > after).then_some((from + after, from + w))
    }
}

/// Agents per interval over `days` days (the calls all come from those days).
/// Returns the estimates and whether the log names its agents.
pub fn agents(calls: &[&LoggedCall], iv: &Intervals, days: &[i64], rule: AgentsRule) -> (Vec<AgentsSeen>, bool) {
    agents_of(calls, iv, days, rule, &PoolView { pool: None, serves: Vec::new() })
}

/// [`agents`] of one pool.
pub fn agents_of(
    calls: &[&LoggedCall],
    iv: &Intervals,
    days: &[i64],
    rule: AgentsRule,
    view: &PoolView,
) -> (Vec<AgentsSeen>, bool) {
    let day_index: HashMap<i64, usize> = days.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let n_iv = iv.count;
    let cells_n = days.len() * n_iv;
    let mut seen: Vec<HashSet<&str>> = vec![HashSet::new(); cells_n];
    let mut changes: Vec<Vec<Change>> = vec![Vec::new(); days.len()];
    let mut named = false;
    for c in calls {
        let Some(&d) = day_index.get(&c.day) else { continue };
        if let Some((from, to)) = c.wait.filter(|w| *w > 0.0).and_then(|w| view.held(c, w)) {
            changes[d].push(Change { t: from, busy: 0, holding: 1 });
            changes[d].push(Change { t: to, busy: 0, holding: -1 });
        }
        if !view.talks(c) {
            continue;
        }
        let Some(s) = &c.service else { continue };
        let (a, b) = (s.start, s.start + s.talk);
        if b > a {
            changes[d].push(Change { t: a, busy: 1, holding: 0 });
            changes[d].push(Change { t: b, busy: -1, holding: 0 });
        }
        if let Some(name) = &s.server {
            named = true;
            let first = iv.of(a);
            for i in first..n_iv {
                let lo = iv.start + i as f64 * iv.length;
                if lo >= b && i > first {
                    break;
                }
                seen[d * n_iv + i].insert(name.as_str());
            }
        }
    }
    let mut cells = vec![Cell::default(); cells_n];
    for (d, ch) in changes.iter_mut().enumerate() {
        // Ends before starts at the same instant: a hand-over is not two busy agents.
        ch.sort_by(|x, y| x.t.total_cmp(&y.t).then((x.busy + x.holding).cmp(&(y.busy + y.holding))));
        let (mut busy, mut holding) = (0i32, 0i32);
        let mut t = ch.first().map_or(iv.start, |c| c.t);
        for c in ch.iter() {
            integrate(&mut cells[d * n_iv..(d + 1) * n_iv], iv, t, c.t, busy, holding);
            t = c.t;
            busy += c.busy;
            holding += c.holding;
            if busy > 0 {
                let k = iv.of(t).min(n_iv - 1);
                let cell = &mut cells[d * n_iv + k];
                cell.peak = cell.peak.max(busy);
            }
        }
    }
    let n = days.len().max(1) as f64;
    let out = (0..n_iv)
        .map(|i| {
            let over_days = |f: &dyn Fn(usize) -> f64| (0..days.len()).map(f).sum::<f64>() / n;
            let distinct = over_days(&|d| seen[d * n_iv + i].len() as f64);
            let busy = over_days(&|d| cells[d * n_iv + i].busy) / iv.length;
            let busy_while_waiting = over_days(&|d| {
                let c = &cells[d * n_iv + i];
                if c.held > 0.0 { c.busy_held / c.held } else { f64::from(c.peak) }
            });
            let pick = match rule {
                AgentsRule::Distinct if named => distinct,
                AgentsRule::Distinct => busy / ASSUMED_OCCUPANCY,
                AgentsRule::Busy => busy,
                AgentsRule::BusyWhileWaiting => busy_while_waiting,
            };
            AgentsSeen { distinct, busy, busy_while_waiting, agents: (pick * 10.0).round() / 10.0 }
        })
        .collect();
    (out, named)
}

/// The occupancy assumed by `--agents distinct` when the log names no agents.
pub const ASSUMED_OCCUPANCY: f64 = 0.85;

/// Adds `[from, to)` at constant counts to the day's cells, split at interval bounds.
fn integrate(cells: &mut [Cell], iv: &Intervals, from: f64, to: f64, busy: i32, holding: i32) {
    // Only the fitted day counts: talk before its first interval or after its last is left out.
    let (from, to) = (from.max(iv.start), to.min(iv.start + iv.horizon()));
    if to <= from || (busy == 0 && holding == 0) {
        return;
    }
    let mut a = from;
    while a < to {
        let k = iv.of(a).min(cells.len() - 1);
        let hi = iv.start + (k + 1) as f64 * iv.length;
        let b = hi.min(to);
        let dt = b - a;
        let cell = &mut cells[k];
        cell.busy += dt * f64::from(busy);
        if holding > 0 {
            cell.held += dt;
            cell.busy_held += dt * f64::from(busy);
        }
        if b <= a {
            break;
        }
        a = b;
    }
}
