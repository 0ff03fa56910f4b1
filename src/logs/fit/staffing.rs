//! Agents per interval, inferred from when agents were busy and callers held.
//!
//! Four estimates, side by side (`--agents` picks the one written):
//! - **on-phones** (default): busy-while-waiting's count while a caller holds,
//!   carried across the gaps between holds on a line from the count the last
//!   hold ended with to the count the next began with, bent up through every
//!   rise of the busy count above the line so far (never below the agents
//!   seen busy; where the log names its agents, never above the agents seen
//!   serving in the day's interval). Callers hold more often when fewer agents happen to be on the
//!   phones, so busy-while-waiting alone reads the low moments and leans low
//!   (3–5% with `availability: 0.75`).
//! - **busy-while-waiting** (SCENARIO.md's rule): the time-average number of busy agents
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
use crate::stats::r3;

/// Which estimate `fit` writes (`--agents`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AgentsRule {
    /// Distinct agents seen serving in the interval.
    Distinct,
    /// Mean busy agents (talk time ÷ interval length).
    Busy,
    /// Mean busy agents while at least one caller holds; the peak busy count where nobody held.
    BusyWhileWaiting,
    /// Agents on the phones: busy while a caller holds, carried across the gaps between holds.
    #[default]
    OnPhones,
}

impl AgentsRule {
    pub fn describe(self) -> &'static str {
        match self {
            AgentsRule::Distinct => "distinct agents seen serving per interval",
            AgentsRule::Busy => "mean busy agents per interval",
            AgentsRule::BusyWhileWaiting => {
                "mean busy agents while a caller held (peak busy where nobody held) per interval"
            }
            AgentsRule::OnPhones => {
                "agents on the phones: busy while a caller held, carried across the gaps between holds (peak busy where nobody held) per interval"
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
    /// Agents on the phones over the whole interval (the default estimate,
    /// `on-phones`): the busy count while a caller held, and between
    /// two holds the counts the holds ended and began with, carried linearly
    /// (never below the busy count); the peak busy count where nobody held.
    pub on_phones: f64,
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
    /// ∫ agents on the phones dt (see [`AgentsSeen::on_phones`]), and the time it covers.
    phones: f64,
    span: f64,
    peak: i32,
}

/// A stretch of a day at constant busy and holding counts.
#[derive(Clone, Copy)]
struct Segment {
    from: f64,
    to: f64,
    busy: i32,
    holding: i32,
}

/// Agents on the phones over a segment: the busy count while someone held;
/// between holds, a straight line between two knots (`(t, n)`: the count on
/// the phones when the last hold ended, a rise of the busy count above the
/// line, the count when the next hold began), floored by the
/// busy count (an agent seen busy is on the phones). `None` on either side
/// (before the day's first hold, after its last) carries the other.
#[derive(Clone, Copy)]
struct OnPhones {
    left: Option<(f64, f64)>,
    right: Option<(f64, f64)>,
}

impl OnPhones {
    fn at(&self, t: f64, busy: i32) -> f64 {
        let b = f64::from(busy);
        let v = match (self.left, self.right) {
            (Some((t0, v0)), Some((t1, v1))) if t1 > t0 => v0 + (v1 - v0) * ((t - t0) / (t1 - t0)).clamp(0.0, 1.0),
            (Some((_, v)), _) | (None, Some((_, v))) => v,
            (None, None) => b,
        };
        v.max(b)
    }
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
            changes[d].push(Change { t: r3(from), busy: 0, holding: 1 });
            changes[d].push(Change { t: r3(to), busy: 0, holding: -1 });
        }
        if !view.talks(c) {
            continue;
        }
        let Some(s) = &c.service else { continue };
        // To the millisecond: one talk's end and the next one's start, logged
        // as the same instant, are not read as two agents busy a moment.
        let (a, b) = (r3(s.start), r3(s.start + s.talk));
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
        let mut segments: Vec<Segment> = Vec::with_capacity(ch.len());
        for c in ch.iter() {
            if c.t > t {
                segments.push(Segment { from: t, to: c.t, busy, holding });
            }
            t = c.t;
            busy += c.busy;
            holding += c.holding;
            if busy > 0 {
                let k = iv.of(t).min(n_iv - 1);
                let cell = &mut cells[d * n_iv + k];
                cell.peak = cell.peak.max(busy);
            }
        }
        let day = &mut cells[d * n_iv..(d + 1) * n_iv];
        let mut k = 0;
        while k < segments.len() {
            let s = segments[k];
            if s.holding > 0 {
                integrate(day, iv, &s, &OnPhones { left: None, right: None });
                k += 1;
                continue;
            }
            // A gap between holds: segments k..j. When a hold ends, every agent
            // on the phones is busy (the one who took the last caller included).
            let j = (k..segments.len()).find(|&j| segments[j].holding > 0).unwrap_or(segments.len());
            let left = (k > 0).then(|| (s.from, f64::from(segments[k - 1].busy.max(s.busy))));
            let right = segments.get(j).map(|n| (n.from, f64::from(n.busy)));
            // Knots of the line: the gap's ends, and every moment the busy
            // count rises above the line drawn so far (an agent seen busy is on
            // the phones, and was so since the line last met the count).
            let mut knots: Vec<(f64, f64)> = left.into_iter().collect();
            for seg in &segments[k..j] {
                let line = OnPhones { left: knots.last().copied(), right };
                let b = f64::from(seg.busy);
                if b > line.at(seg.from, 0) {
                    knots.push((seg.from, b));
                }
            }
            let mut next = 0;
            for seg in &segments[k..j] {
                while next < knots.len() && knots[next].0 <= seg.from {
                    next += 1;
                }
                let line =
                    OnPhones { left: next.checked_sub(1).map(|i| knots[i]), right: knots.get(next).copied().or(right) };
                integrate(day, iv, seg, &line);
            }
            k = j;
        }
    }
    let n = days.len().max(1) as f64;
    let out = (0..n_iv)
        .map(|i| {
            let over_days = |f: &dyn Fn(usize) -> f64| (0..days.len()).map(f).sum::<f64>() / n;
            let distinct = over_days(&|d| seen[d * n_iv + i].len() as f64);
            let busy = over_days(&|d| cells[d * n_iv + i].busy) / iv.length;
            // Where the log names its agents, no estimate of a day's interval
            // exceeds the agents seen serving in it: a log that shows one agent
            // on two overlapping talks (a conference, a clock error) or a line
            // carried across a gap would otherwise count agents nobody saw.
            let seen_cap = |d: usize, v: f64| {
                let n = seen[d * n_iv + i].len();
                if named && n > 0 { v.min(n as f64) } else { v }
            };
            let busy_while_waiting = over_days(&|d| {
                let c = &cells[d * n_iv + i];
                seen_cap(d, if c.held > 0.0 { c.busy_held / c.held } else { f64::from(c.peak) })
            });
            let on_phones = over_days(&|d| {
                let c = &cells[d * n_iv + i];
                seen_cap(d, if c.held > 0.0 && c.span > 0.0 { c.phones / c.span } else { f64::from(c.peak) })
            });
            let pick = match rule {
                AgentsRule::Distinct if named => distinct,
                AgentsRule::Distinct => busy / ASSUMED_OCCUPANCY,
                AgentsRule::Busy => busy,
                AgentsRule::BusyWhileWaiting => busy_while_waiting,
                AgentsRule::OnPhones => on_phones,
            };
            AgentsSeen { distinct, busy, busy_while_waiting, on_phones, agents: (pick * 10.0).round() / 10.0 }
        })
        .collect();
    (out, named)
}

/// The occupancy assumed by `--agents distinct` when the log names no agents.
pub const ASSUMED_OCCUPANCY: f64 = 0.85;

/// Adds a segment to the day's cells, split at interval bounds, with the
/// agents on the phones over it (`line`, read at the middle of each piece).
fn integrate(cells: &mut [Cell], iv: &Intervals, seg: &Segment, line: &OnPhones) {
    // Only the fitted day counts: talk before its first interval or after its last is left out.
    let (from, to) = (seg.from.max(iv.start), seg.to.min(iv.start + iv.horizon()));
    let (busy, holding) = (seg.busy, seg.holding);
    if to <= from {
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
        cell.span += dt;
        cell.phones += dt * line.at((a + b) / 2.0, busy);
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
