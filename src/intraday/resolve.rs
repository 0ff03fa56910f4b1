//! A snapshot checked against the scenario it is run with: names become ids
//! (unknown ones are refused with the names that exist), moments become
//! times since the opening, and the scenario gets its [`Start`] (and, with
//! `--rescale`, the rest of the day's arrivals scaled).

use std::sync::Arc;

use super::snapshot::Snapshot;
use crate::scenario::start::{Holding, OnDuty, OpenEmail, Promised, Start, Talking};
use crate::scenario::{CallerTypeId, Channel, PoolId, QueueId, ReasonId, Scenario, Target};
use crate::time::{SimDuration, SimTime};

/// What a run from a snapshot reports about the snapshot itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Intraday {
    /// The snapshot's moment (time since the opening).
    pub at: SimTime,
    pub on_hold: usize,
    pub in_talk: usize,
    pub callbacks: usize,
    pub emails: usize,
    /// Per pool: agents on duty (breaks included) and on a break.
    pub agents: Vec<(String, u32, usize)>,
    /// With `--rescale`: per caller type, (arrived so far, planned so far, factor applied).
    pub rescaled: Vec<(String, u64, f64, f64)>,
}

/// Resolves `snapshot` (read from `file`) against `sc` and puts it in
/// place: every replication of `sc` starts from it. `at` (`--at`) overrides
/// the snapshot's moment; `rescale` scales the rest of the day's arrivals.
pub fn apply(
    sc: &mut Scenario,
    snapshot: &Snapshot,
    file: &str,
    at: Option<&str>,
    rescale: bool,
) -> Result<Intraday, String> {
    let mut r = Resolver { sc, file, problems: Vec::new() };
    let start = r.start(snapshot, at);
    // `arrived_so_far` counts the calls before the snapshot's own moment: the
    // plan's calls are counted over the same window, whatever `--at` moves
    // the start to.
    let rescaled = match &start {
        Some(s) if rescale => {
            let counted_to = match (&snapshot.at, at) {
                (Some(own), Some(_)) => r.moment("at", own).unwrap_or(s.at),
                _ => s.at,
            };
            r.rescale(snapshot, counted_to)
        }
        _ => Vec::new(),
    };
    if !r.problems.is_empty() || start.is_none() {
        let n = r.problems.len();
        return Err(format!(
            "{}\n{} in {file}: nothing was simulated",
            r.problems.join("\n"),
            if n == 1 { "1 error".to_string() } else { format!("{n} errors") }
        ));
    }
    let start = start.unwrap_or_default();
    for c in &mut sc.callers {
        if let Some((_, _, _, factor)) = rescaled.iter().find(|r| r.0 == c.name) {
            for step in &mut c.arrivals.steps {
                step.1 *= factor;
            }
        }
    }
    let info = Intraday {
        at: start.at,
        on_hold: start.on_hold.len(),
        in_talk: start.in_talk.len(),
        callbacks: start.callbacks.len(),
        emails: start.emails.len(),
        agents: sc
            .pools
            .iter()
            .zip(&start.pools)
            .map(|(p, d)| (p.name.clone(), d.on_shift, d.breaks_until.len()))
            .collect(),
        rescaled,
    };
    sc.start = Some(Arc::new(start));
    Ok(info)
}

struct Resolver<'a> {
    sc: &'a Scenario,
    file: &'a str,
    problems: Vec<String>,
}

fn names<'n>(all: impl Iterator<Item = &'n String>) -> String {
    all.map(String::as_str).collect::<Vec<_>>().join(", ")
}

/// The queue a caller of type `ct` who starts in the menu is meant to reach:
/// for `reason`, or, without one, the one queue every reason the type calls
/// about reaches (`None` when they reach different queues, or none).
fn meant_queue(ct: &crate::scenario::CallerType, reason: Option<ReasonId>) -> Option<QueueId> {
    if let Some(r) = reason {
        return ct.meant_queue.get(r.index()).copied().flatten();
    }
    // `reasons` holds cumulative shares: a reason with a share adds to the sum.
    let mut prev = 0.0;
    let mut found: Option<QueueId> = None;
    for &(r, cum) in &ct.reasons {
        let share = cum - prev;
        prev = cum;
        if share <= 0.0 {
            continue;
        }
        let q = ct.meant_queue.get(r.index()).copied().flatten()?;
        if found.is_some_and(|f| f != q) {
            return None;
        }
        found = Some(q);
    }
    found
}

impl Resolver<'_> {
    fn fail(&mut self, key: &str, what: String, help: String) {
        self.problems.push(format!("error: {}: `{key}`: {what}\n  help: {help}", self.file));
    }

    /// A moment: a clock time with the scenario's `opens`, or an offset.
    fn moment(&mut self, key: &str, text: &str) -> Option<SimTime> {
        let t = text.trim();
        if t.contains(':') {
            let clock = match crate::scenario::intervals::parse_clock(t) {
                Ok(c) => c,
                Err(e) => {
                    self.fail(key, e, "write a clock time \"10:40\" or an offset from the opening \"2h40m\"".into());
                    return None;
                }
            };
            let Some(opens) = self.sc.intervals.opens else {
                self.fail(
                    key,
                    format!("`{t}` is a clock time, but the scenario has no `opens`"),
                    "give the time as an offset from the opening (\"2h40m\"), or set `opens` in the scenario".into(),
                );
                return None;
            };
            if clock < opens {
                let shown = self.sc.intervals.clock(SimTime::ZERO);
                self.fail(key, format!("{t} is before the opening ({shown})"), "give a time of the open day".into());
                return None;
            }
            return Some(SimTime::ZERO + SimDuration::from_secs_f64(f64::from(clock - opens)));
        }
        match crate::scenario::units::parse_duration(t) {
            Ok(s) => Some(SimTime::ZERO + SimDuration::from_secs_f64(s)),
            Err(e) => {
                self.fail(key, e, "write a clock time \"10:40\" or an offset from the opening \"2h40m\"".into());
                None
            }
        }
    }

    fn seconds(&mut self, key: &str, v: f64) -> SimDuration {
        if !(v >= 0.0 && v.is_finite()) {
            self.fail(key, format!("{v} is not a number of seconds"), "durations are seconds, 0 or more".into());
            return SimDuration::ZERO;
        }
        SimDuration::from_secs_f64(v)
    }

    fn caller(&mut self, key: &str, name: &str) -> Option<CallerTypeId> {
        let id = self.sc.caller_id(name);
        if id.is_none() {
            let all = names(self.sc.callers.iter().map(|c| &c.name));
            self.fail(key, format!("no caller type `{name}` in the scenario"), format!("the caller types are: {all}"));
        }
        id
    }

    fn reason(&mut self, key: &str, name: Option<&str>) -> Option<ReasonId> {
        let name = name?;
        let id = self.sc.reason_id(name);
        if id.is_none() {
            let all = names(self.sc.reasons.iter());
            self.fail(key, format!("no reason `{name}` in the scenario"), format!("the reasons are: {all}"));
        }
        id
    }

    /// The queue named; else the caller type's `entry` when it is a queue;
    /// else, for callers who start in the menu, the queue their menu path
    /// reaches for the reason (or for every reason they call about, when
    /// those all reach one queue): a snapshot from a log that records no
    /// queue (`shop state` on a bank's log) runs on the design fitted from it.
    fn queue(
        &mut self,
        key: &str,
        name: Option<&str>,
        caller: CallerTypeId,
        reason: Option<ReasonId>,
    ) -> Option<QueueId> {
        let all = names(self.sc.queues.iter().map(|q| &q.name));
        match name {
            Some(n) => {
                let id = self.sc.queues.iter().position(|q| q.name == n).map(|i| QueueId(i as u16));
                if id.is_none() {
                    self.fail(key, format!("no queue `{n}` in the scenario"), format!("the queues are: {all}"));
                }
                id
            }
            None => match self.sc.callers[caller.index()].entry {
                Target::Queue(q) => Some(q),
                Target::Node(_) => {
                    let ct = &self.sc.callers[caller.index()];
                    let meant = meant_queue(ct, reason);
                    if meant.is_none() {
                        let why = match reason {
                            Some(r) => format!(
                                "the menu leads `{}` callers nowhere for reason `{}`",
                                ct.name,
                                self.sc.reasons[r.index()]
                            ),
                            None => format!(
                                "`{}` callers start in the menu and their reasons lead to different queues",
                                ct.name
                            ),
                        };
                        let c = &ct.name;
                        self.fail(
                            key,
                            format!("no queue given: {why}"),
                            format!("name the queue of each `{c}` caller: {all}"),
                        );
                    }
                    meant
                }
            },
        }
    }

    fn pool(&mut self, key: &str, name: &str) -> Option<PoolId> {
        let id = self.sc.pools.iter().position(|p| p.name == name).map(|i| PoolId(i as u16));
        if id.is_none() {
            let all = names(self.sc.pools.iter().map(|p| &p.name));
            self.fail(key, format!("no pool `{name}` in the scenario"), format!("the pools are: {all}"));
        }
        id
    }

    fn start(&mut self, s: &Snapshot, at_flag: Option<&str>) -> Option<Start> {
        let sc = self.sc;
        if sc.days > 1 {
            self.fail(
                "days",
                format!("the scenario chains {} days; a snapshot starts one day", sc.days),
                "run the snapshot with a one-day design (no `days`)".into(),
            );
        }
        for p in sc.pools.iter().filter(|p| !p.rota.is_empty()) {
            self.fail(
                &format!("pools.{}", p.name),
                "the pool is given by `shifts:` (agents followed one by one through their breaks)".into(),
                "a snapshot sets head counts: give the pool `agents:` steps for the intraday run".into(),
            );
        }
        let at = match (at_flag, &s.at) {
            (Some(t), _) => self.moment("--at", t),
            (None, Some(t)) => self.moment("at", t),
            (None, None) => {
                self.fail("at", "the snapshot has no moment".into(), "add \"at\": \"10:40\" or give --at 10:40".into());
                None
            }
        }?;
        if at >= SimTime::ZERO + sc.horizon {
            let (shown, end) = (sc.intervals.clock(at), sc.intervals.clock(SimTime::ZERO + sc.horizon));
            self.fail(
                "at",
                format!("{shown} is after the day's calls stop ({end})"),
                "give a moment of the open day".into(),
            );
        }
        let mut start = Start { at, ..Start::default() };
        for (i, h) in s.on_hold.iter().enumerate() {
            let key = |k: &str| format!("on_hold[{i}].{k}");
            let held = self.seconds(&key("held"), h.held);
            let Some(caller) = self.caller(&key("caller"), &h.caller) else { continue };
            let reason = self.reason(&key("reason"), h.reason.as_deref());
            let Some(queue) = self.queue(&key("queue"), h.queue.as_deref(), caller, reason) else { continue };
            if sc.callers[caller.index()].channel == Channel::Email {
                start.emails.push(OpenEmail { caller, queue, reason, age: held });
            } else {
                start.on_hold.push(Holding { caller, queue, reason, priority: h.priority, held });
            }
        }
        for (i, e) in s.emails.iter().enumerate() {
            let key = |k: &str| format!("emails[{i}].{k}");
            let age = self.seconds(&key("age"), e.age);
            let Some(caller) = self.caller(&key("caller"), &e.caller) else { continue };
            let reason = self.reason(&key("reason"), e.reason.as_deref());
            let Some(queue) = self.queue(&key("queue"), e.queue.as_deref(), caller, reason) else { continue };
            start.emails.push(OpenEmail { caller, queue, reason, age });
        }
        // Longest waiting first: they join their queues in that order.
        start.on_hold.sort_by_key(|h| std::cmp::Reverse(h.held));
        start.emails.sort_by_key(|e| std::cmp::Reverse(e.age));
        for (i, t) in s.in_talk.iter().enumerate() {
            let key = |k: &str| format!("in_talk[{i}].{k}");
            let elapsed = self.seconds(&key("elapsed"), t.elapsed);
            let Some(caller) = self.caller(&key("caller"), &t.caller) else { continue };
            let reason = self.reason(&key("reason"), t.reason.as_deref());
            let pool = match &t.pool {
                Some(p) => self.pool(&key("pool"), p),
                None => {
                    let q = self.queue(&key("pool"), None, caller, reason);
                    q.and_then(|q| sc.queues[q.index()].pools.first().map(|p| p.0))
                }
            };
            let Some(pool) = pool else { continue };
            start.in_talk.push(Talking { pool, caller, reason, elapsed, wrap_up: t.wrap_up });
        }
        for name in s.agents.keys() {
            self.pool(&format!("agents.{name}"), name);
        }
        for (i, p) in sc.pools.iter().enumerate() {
            let busy = start.in_talk.iter().filter(|t| t.pool.index() == i).count() as u32;
            let duty = match s.agents.get(&p.name) {
                Some(now) => {
                    let mut breaks_until = Vec::new();
                    for (k, u) in now.on_break_until.iter().enumerate() {
                        if let Some(t) = self.moment(&format!("agents.{}.on_break_until[{k}]", p.name), u) {
                            breaks_until.push(t);
                        }
                    }
                    let needed = busy + breaks_until.len() as u32;
                    if now.on_duty < needed {
                        self.fail(
                            &format!("agents.{}.on_duty", p.name),
                            format!(
                                "{} agents on duty, but {busy} in talk and {} on a break",
                                now.on_duty,
                                breaks_until.len()
                            ),
                            format!("on_duty counts every agent on shift: at least {needed}"),
                        );
                    }
                    OnDuty { on_shift: now.on_duty.max(needed), breaks_until }
                }
                // The plan's head count; at least the agents busy in the snapshot.
                None => OnDuty { on_shift: p.agents_at(at).max(busy), breaks_until: Vec::new() },
            };
            start.pools.push(duty);
        }
        for (i, cb) in s.callbacks.iter().enumerate() {
            let key = |k: &str| format!("callbacks[{i}].{k}");
            let waited = self.seconds(&key("waited"), cb.waited);
            let Some(caller) = self.caller(&key("caller"), &cb.caller) else { continue };
            let reason = self.reason(&key("reason"), cb.reason.as_deref());
            let Some(queue) = self.queue(&key("queue"), cb.queue.as_deref(), caller, reason) else { continue };
            if sc.queues[queue.index()].callback.is_none() {
                let q = &sc.queues[queue.index()].name;
                let with: Vec<&String> = sc.queues.iter().filter(|q| q.callback.is_some()).map(|q| &q.name).collect();
                let help = if with.is_empty() {
                    "no queue of the scenario offers callbacks".to_string()
                } else {
                    format!("queues offering callbacks: {}", names(with.into_iter()))
                };
                self.fail(&key("queue"), format!("queue `{q}` offers no callbacks (`callback:`)"), help);
                continue;
            }
            let due = match &cb.due {
                Some(d) => self.moment(&key("due"), d).unwrap_or(at),
                None => at,
            };
            start.callbacks.push(Promised { caller, queue, reason, waited, attempts: cb.attempts, due });
        }
        Some(start)
    }

    /// Per caller type with `arrived_so_far`: the factor actual / planned
    /// (the plan's first calls before `at`), applied to the rest of the day.
    fn rescale(&mut self, s: &Snapshot, at: SimTime) -> Vec<(String, u64, f64, f64)> {
        if s.arrived_so_far.is_empty() {
            self.fail(
                "arrived_so_far",
                "--rescale needs the calls that arrived so far".into(),
                "add \"arrived_so_far\": {\"CALLER TYPE\": N, ...} (`shop state` writes it from a log)".into(),
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for (name, &actual) in &s.arrived_so_far {
            let Some(caller) = self.caller(&format!("arrived_so_far.{name}"), name) else { continue };
            let planned = self.sc.callers[caller.index()].arrivals.expected_calls(at.since(SimTime::ZERO));
            if planned <= 0.0 {
                self.fail(
                    &format!("arrived_so_far.{name}"),
                    "the plan expects no calls of this type before the snapshot: nothing to scale by".into(),
                    "leave the caller type out of arrived_so_far".into(),
                );
                continue;
            }
            out.push((name.clone(), actual, planned, actual as f64 / planned));
        }
        out
    }
}
