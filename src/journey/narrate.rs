//! Recorded journeys told for a contact-center designer: as text, one line per
//! step with the clock, or as JSON with every step's time, kind and details.

use std::fmt::Write;

use serde_json::{Value, json};

use super::{LongWait, RecordedCall, RecordedJourney, WaitKind};
use crate::scenario::{Channel, Choice, NodeId, QueueId, Scenario, Target};
use crate::sim::Step;
use crate::stats::Report;
use crate::stats::collect::Outcome;
use crate::time::{SimDuration, SimTime};

/// One journey to tell, with why it was chosen.
pub struct Told<'a> {
    pub journey: &'a RecordedJourney,
    /// Place among the longest waits (1-based), for `--worst`.
    pub rank: Option<usize>,
    /// The call that earned the place and its wait, for `--worst`.
    pub worst: Option<LongWait>,
}

impl Told<'_> {
    /// The call that earned the place.
    pub fn focus(&self) -> Option<u32> {
        self.worst.map(|w| w.call.call_no)
    }
}

/// Seconds, rounded to the microsecond like the report.
fn secs(d: SimDuration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e6
}

fn at(t: SimTime) -> f64 {
    (t.as_secs_f64() * 1e6).round() / 1e6
}

/// A day lasts 24 hours (day `d` of a chain starts at `d × 24h`).
const DAY_SECS: u64 = 24 * 3600;

/// The day (1-based) of a moment on a chain of days.
fn day_of(t: SimTime) -> u64 {
    t.0 / (DAY_SECS * crate::time::TICKS_PER_SECOND) + 1
}

/// The narration's clock. One day: hours since opening, as always
/// (`02:15:07.3`). A chain of days: the day and its time, wall-clock when the
/// file says when the line `opens` (`day 2 10:14:00.0`), else hours since
/// that day's opening (`day 2 02:14:00.0`).
fn clock(sc: &Scenario, t: SimTime) -> String {
    if sc.days <= 1 {
        return t.to_string();
    }
    let day_ticks = DAY_SECS * crate::time::TICKS_PER_SECOND;
    let mut of_day = t.0 % day_ticks;
    if let Some(open) = sc.intervals.opens {
        of_day = (of_day + u64::from(open) * crate::time::TICKS_PER_SECOND) % day_ticks;
    }
    format!("day {} {}", day_of(t), SimTime(of_day))
}

/// A step's or call's time in JSON: seconds since the start of the run, and
/// on a chain of days also `day` (1-based) and `clock` (as narrated).
fn with_day(sc: &Scenario, time: SimTime, mut v: Value) -> Value {
    if sc.days > 1 {
        if let Some(o) = v.as_object_mut() {
            o.insert("day".into(), json!(day_of(time)));
            o.insert("clock".into(), json!(clock(sc, time)));
        }
    }
    v
}

fn span(secs: f64) -> String {
    SimDuration::from_secs_f64(secs).to_string()
}

/// The caller type's median and 95th-percentile hold in the same run.
fn context(sc: &Scenario, report: &Report, j: &RecordedJourney) -> (Option<f64>, Option<f64>) {
    context_of(sc, report, j, WaitKind::Hold)
}

/// The caller type's median and 95th percentile of a kind of wait in the same
/// run: hold, email response time or time to callback.
fn context_of(sc: &Scenario, report: &Report, j: &RecordedJourney, kind: WaitKind) -> (Option<f64>, Option<f64>) {
    let name = &sc.callers[j.caller.index()].name;
    let Some(f) = report.by_caller.get(name) else { return (None, None) };
    let d = match (kind, &f.channels) {
        (WaitKind::Hold, _) => &f.wait,
        (WaitKind::Response, Some(c)) => &c.response_time,
        (WaitKind::Callback, Some(c)) => &c.time_to_callback,
        (_, None) => return (None, None),
    };
    (d.p50, d.p95)
}

fn is_email(sc: &Scenario, j: &RecordedJourney) -> bool {
    sc.callers[j.caller.index()].channel == Channel::Email
}

/// How a kind of wait is named: in a heading (`longest hold`), beside the
/// call that earned the place, and in the closing line's comparison
/// (plural, singular).
fn wait_words(kind: WaitKind) -> (&'static str, &'static str, (&'static str, &'static str)) {
    match kind {
        WaitKind::Hold => ("longest hold", "the long hold", ("holds", "hold")),
        WaitKind::Response => {
            ("longest email response", "the long wait for a response", ("email responses", "email response"))
        }
        WaitKind::Callback => (
            "longest wait for a callback",
            "the long wait for the callback",
            ("waits for a callback", "wait for a callback"),
        ),
    }
}

/// The closing line's account of a call's wait, with the caller type's
/// median and 95th percentile of the same kind of wait.
fn waited_words(
    sc: &Scenario,
    report: &Report,
    j: &RecordedJourney,
    call: &RecordedCall,
    hold: SimDuration,
    reached_queue: bool,
) -> String {
    let caller = &sc.callers[j.caller.index()].name;
    let accepted = call.steps().any(|(_, s)| matches!(s, Step::CallbackOffered { accepted: true, .. }));
    match call.waited(is_email(sc, j)) {
        Some((kind @ WaitKind::Response, w)) => {
            let (p50, p95) = context_of(sc, report, j, kind);
            format!("an agent started on it {w} after it arrived{}", compare(secs(w), caller, p50, p95, kind))
        }
        Some((kind @ WaitKind::Callback, w)) => {
            let (p50, p95) = context_of(sc, report, j, kind);
            format!("called back {w} after accepting{}", compare(secs(w), caller, p50, p95, kind))
        }
        _ if is_email(sc, j) => "no agent started on it".to_string(),
        _ if accepted => "never reached by the call back".to_string(),
        _ if reached_queue && hold == SimDuration::ZERO => "no time on hold".to_string(),
        _ if reached_queue => {
            let (p50, p95) = context(sc, report, j);
            format!("held {hold} in all{}", compare(secs(hold), caller, p50, p95, WaitKind::Hold))
        }
        _ => "never on hold".to_string(),
    }
}

fn outcome_words(o: Outcome) -> &'static str {
    match o {
        Outcome::Resolved => "resolved",
        Outcome::AbandonedMenu => "hung up in the menu",
        Outcome::AbandonedQueue => "hung up on hold",
        Outcome::Blocked => "busy signal",
        Outcome::Unresolved => "unresolved",
        Outcome::Open => "still open at the end",
        Outcome::CallbackFailed => "callback failed",
    }
}

fn target_words(sc: &Scenario, t: Target) -> String {
    match t {
        Target::Node(n) => sc.nodes[n.index()].name.clone(),
        Target::Queue(q) => format!("queue {}", sc.queues[q.index()].name),
    }
}

fn queue_name(sc: &Scenario, q: QueueId) -> &str {
    &sc.queues[q.index()].name
}

/// How the caller came to press this key: meant for their reason, a misdial,
/// the operator option, or any key (no option for the reason).
fn choice_kind(sc: &Scenario, node: NodeId, reason: usize, misdial: bool) -> &'static str {
    if misdial {
        return "misdial";
    }
    match sc.nodes[node.index()].choices.get(reason) {
        Some(Choice::Operator(_)) => "operator",
        Some(Choice::Any) => "any",
        Some(Choice::NoKey) => "none",
        _ => "meant",
    }
}

/// The closing line's comparison of a wait with the caller type's p50 and p95
/// of the same kind of wait.
fn compare(wait: f64, caller: &str, p50: Option<f64>, p95: Option<f64>, kind: WaitKind) -> String {
    let (Some(p50), Some(p95)) = (p50, p95) else { return String::new() };
    let (m, w) = (span(p50), span(p95));
    let (_, _, (waits, one)) = wait_words(kind);
    if wait > p95 {
        format!(": among the worst 5% of {caller} {waits} (95th percentile {w}, median {m})")
    } else if wait > p50 {
        format!(": longer than the median {caller} {one} ({m}), within the 95th percentile ({w})")
    } else {
        format!(": no longer than the median {caller} {one} ({m}; 95th percentile {w})")
    }
}

fn step_line(sc: &Scenario, j: &RecordedJourney, step: Step) -> Option<String> {
    let reason = &sc.reasons[j.reason.index()];
    let channel = sc.callers[j.caller.index()].channel;
    if let Some(line) = super::channels::step_line(sc, channel, step) {
        return Some(line);
    }
    Some(match step {
        Step::Dialed => return None,
        Step::Heard { node, listen } => {
            let n = &sc.nodes[node.index()];
            match (&n.prompt, listen > SimDuration::ZERO) {
                (Some(p), _) => format!("hears {} ({listen}): \"{p}\"", n.name),
                (None, true) => format!("listens to {} for {listen}", n.name),
                (None, false) => format!("passes through {}", n.name),
            }
        }
        Step::Pressed { node, option, misdial, after, early } => {
            let n = &sc.nodes[node.index()];
            let o = &n.options[option as usize];
            let key = match &o.label {
                Some(l) => format!("{} ({l})", o.key),
                None => o.key.clone(),
            };
            let to = target_words(sc, o.to);
            let when = if early { format!(" after {after}, before the prompt ended") } else { String::new() };
            match choice_kind(sc, node, j.reason.index(), misdial) {
                "misdial" => {
                    let meant_for: Vec<&str> = o.for_reasons.iter().map(|r| sc.reasons[r.index()].as_str()).collect();
                    if meant_for.is_empty() {
                        format!("presses {key} by mistake{when} (a misdial: it is not for {reason}) → {to}")
                    } else {
                        let meant_for = meant_for.join(", ");
                        format!(
                            "presses {key} by mistake{when} (a misdial: it is for {meant_for}, not {reason}) → {to}"
                        )
                    }
                }
                "operator" => format!("finds no option for {reason}; presses {key}, the operator option → {to}"),
                "any" => format!("finds no option for {reason} and no operator option; presses {key} → {to}"),
                _ => format!("presses {key}{when} → {to}"),
            }
        }
        Step::NoKey { node, after, to } => {
            let n = &sc.nodes[node.index()];
            let heard = match n.repeat {
                0 => "the prompt once".to_string(),
                1 => "the prompt twice".to_string(),
                r => format!("the prompt {} times", r + 1),
            };
            let then = match to {
                Some(t) => format!("goes on to {}", target_words(sc, t)),
                None => "the IVR hangs up".to_string(),
            };
            format!("finds no option for {reason}, presses no key after hearing {heard} ({after}); {then}")
        }
        Step::HungUpInMenu { node, menu_time, .. } => {
            format!("hangs up after {menu_time} in the menu, while listening to {}", sc.nodes[node.index()].name)
        }
        Step::Continued { node } => {
            let n = &sc.nodes[node.index()];
            let to = n.then.map_or_else(String::new, |t| target_words(sc, t));
            if n.resolves.is_some() {
                format!("self-service at {} does not solve it; goes on to {to}", n.name)
            } else {
                format!("goes on to {to}")
            }
        }
        Step::SelfServed { node } => format!("self-service at {} solves it", sc.nodes[node.index()].name),
        Step::Queued { queue, ahead, agents } => {
            let ahead = match ahead {
                0 => "nobody ahead".to_string(),
                1 => "1 caller ahead".to_string(),
                n => format!("{n} callers ahead"),
            };
            let agents = match agents {
                0 => "no agent on duty".to_string(),
                1 => "1 agent on duty".to_string(),
                n => format!("{n} agents on duty"),
            };
            format!("joins queue {}: {ahead}, {agents}", queue_name(sc, queue))
        }
        Step::Answered { pool, agent, hold, warm, .. } => {
            let who = format!("{} agent {}", sc.pools[pool.index()].name, agent + 1);
            let briefed = if warm { ", who is briefed by the first agent (warm transfer)" } else { "" };
            if hold == SimDuration::ZERO {
                format!("answered at once by {who}{briefed}")
            } else {
                format!("answered by {who} after {hold} on hold{briefed}")
            }
        }
        Step::Talked { pool, talk, resolved, .. } => {
            let p = &sc.pools[pool.index()];
            if !resolved && p.misroute.get(j.reason.index()).copied().unwrap_or(false) {
                format!("talks for {talk}: not solved, misrouted ({} does not take {reason} calls)", p.name)
            } else {
                format!("talks for {talk}: {}", if resolved { "solved" } else { "not solved" })
            }
        }
        Step::Transferred { to, warm } => {
            if warm {
                format!(
                    "transferred warm to queue {}: the agent stays on the line until someone answers",
                    queue_name(sc, to)
                )
            } else {
                format!("transferred cold to queue {}: the caller waits alone", queue_name(sc, to))
            }
        }
        Step::HungUp { queue, hold, day_closed } => {
            if day_closed {
                format!(
                    "still on hold in {} after {hold} when the day closes with no agent left: counted as hung up",
                    queue_name(sc, queue)
                )
            } else {
                format!("hangs up after {hold} on hold in {}", queue_name(sc, queue))
            }
        }
        Step::BusySignal { queue } => {
            let cap = sc.queues[queue.index()].capacity.map_or(String::new(), |c| format!(" ({c} waiting)"));
            format!("gets a busy signal: queue {} is full{cap}", queue_name(sc, queue))
        }
        Step::WanderedOff => {
            format!("gives up in the menu after {} prompts (max_menu_steps)", sc.max_menu_steps)
        }
        Step::Ended { .. } | Step::WillRedial { .. } | Step::GaveUp => return None,
        Step::EwtAnnounced { .. }
        | Step::CallbackOffered { .. }
        | Step::CallbackDial { .. }
        | Step::CallbackTry { .. }
        | Step::StillOpen
        | Step::Interrupted { .. }
        | Step::Resumed { .. } => return None,
    })
}

/// The journeys as text.
pub fn text(sc: &Scenario, report: &Report, told: &[Told]) -> String {
    let mut out = String::new();
    for (i, t) in told.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        journey_text(&mut out, sc, report, t);
    }
    out
}

fn journey_text(out: &mut String, sc: &Scenario, report: &Report, t: &Told) {
    let j = t.journey;
    let caller = &sc.callers[j.caller.index()].name;
    let reason = &sc.reasons[j.reason.index()];
    let calls = j.calls();
    let who = format!("replication {}, {caller} caller #{}", j.replication, j.journey + 1);
    match (t.rank, t.worst) {
        (Some(rank), Some(w)) => {
            let (longest, _, _) = wait_words(w.kind);
            let _ = writeln!(out, "#{rank} {longest} {}: a {caller} caller about {reason} ({who})", w.wait);
        }
        (Some(rank), None) => {
            let _ = writeln!(out, "#{rank}: a {caller} caller about {reason} ({who})");
        }
        (None, _) => {
            let _ = writeln!(out, "A {caller} caller about {reason} ({who})");
        }
    }
    let mut last_end: Option<(SimTime, Outcome)> = None;
    for call in &calls {
        let focus = match t.worst {
            Some(w) if w.call.call_no == call.call_no && calls.len() > 1 => format!("  ← {}", wait_words(w.kind).1),
            _ => String::new(),
        };
        let title =
            if call.call_no == 0 { "Call 1".to_string() } else { format!("Call {} (redial)", call.call_no + 1) };
        let _ = writeln!(out, "  {title}{focus}");
        for (time, step) in call.steps() {
            match step {
                Step::Dialed => {
                    let entry = target_words(sc, sc.callers[j.caller.index()].entry);
                    let again = match (sc.callers[j.caller.index()].channel, call.call_no) {
                        (Channel::Email, 0) => "the email arrives",
                        (Channel::Email, _) => "writes again",
                        (Channel::Chat, 0) => "opens a chat",
                        (Channel::Chat, _) => "opens a chat again",
                        (Channel::Voice, 0) => "dials in",
                        (Channel::Voice, _) => "dials again",
                    };
                    let _ = writeln!(out, "    {}  {again} at {entry}", clock(sc, time));
                }
                Step::Ended { outcome, hold, reached_queue } => {
                    let held = waited_words(sc, report, j, call, hold, reached_queue);
                    let _ = writeln!(out, "    {}  call ends: {}; {held}", clock(sc, time), outcome_words(outcome));
                    last_end = Some((time, outcome));
                }
                Step::WillRedial { after } => {
                    let _ = writeln!(out, "    {:w$}  will call again in {after}", "", w = clock(sc, time).len());
                }
                _ => {
                    if let Some(line) = step_line(sc, j, step) {
                        let _ = writeln!(out, "    {}  {line}", clock(sc, time));
                    }
                }
            }
        }
    }
    let n = calls.len();
    let calls_word = if n == 1 { "1 call".to_string() } else { format!("{n} calls") };
    let start = calls.first().map_or(SimTime::ZERO, |c| c.dialed_at());
    match last_end {
        Some((end, Outcome::Resolved)) => {
            let _ = writeln!(out, "  Journey over: resolved after {calls_word}, {} from first dial.", end.since(start));
        }
        Some((end, _)) => {
            let _ = writeln!(
                out,
                "  Journey over: gave up unresolved after {calls_word}, {} from first dial.",
                end.since(start)
            );
        }
        None => {}
    }
}

fn step_json(sc: &Scenario, j: &RecordedJourney, time: SimTime, step: Step) -> Value {
    let t = at(time);
    match step {
        Step::Dialed => {
            json!({ "time": t, "kind": "dialed", "to": sc.target_name(sc.callers[j.caller.index()].entry) })
        }
        Step::Heard { node, listen } => {
            let n = &sc.nodes[node.index()];
            json!({ "time": t, "kind": "heard", "node": n.name, "prompt": n.prompt, "listen": secs(listen) })
        }
        Step::Pressed { node, option, misdial, after, early } => {
            let n = &sc.nodes[node.index()];
            let o = &n.options[option as usize];
            json!({
                "time": t, "kind": "pressed", "node": n.name, "key": o.key, "label": o.label,
                "to": sc.target_name(o.to), "misdial": misdial,
                "choice": choice_kind(sc, node, j.reason.index(), misdial),
                "after": secs(after), "before_prompt_ended": early,
            })
        }
        Step::NoKey { node, after, to } => json!({
            "time": t, "kind": "no_key", "node": sc.nodes[node.index()].name, "after": secs(after),
            "to": to.map(|x| sc.target_name(x)),
        }),
        Step::HungUpInMenu { node, after, menu_time } => json!({
            "time": t, "kind": "hung_up_in_menu", "node": sc.nodes[node.index()].name, "after": secs(after),
            "menu_time": secs(menu_time),
        }),
        Step::Continued { node } => {
            let n = &sc.nodes[node.index()];
            json!({ "time": t, "kind": "continued", "node": n.name, "to": n.then.map(|x| sc.target_name(x)) })
        }
        Step::SelfServed { node } => json!({ "time": t, "kind": "self_served", "node": sc.nodes[node.index()].name }),
        Step::Queued { queue, ahead, agents } => {
            json!({ "time": t, "kind": "queued", "queue": queue_name(sc, queue), "ahead": ahead, "agents": agents })
        }
        Step::Answered { queue, pool, agent, hold, warm } => json!({
            "time": t, "kind": "answered", "queue": queue_name(sc, queue), "pool": sc.pools[pool.index()].name,
            "agent": agent + 1, "hold": secs(hold), "warm": warm,
        }),
        Step::Talked { pool, talk, resolved, .. } => json!({
            "time": t, "kind": "talked", "pool": sc.pools[pool.index()].name, "talk": secs(talk), "resolved": resolved,
        }),
        Step::Transferred { to, warm } => {
            json!({ "time": t, "kind": "transferred", "to": queue_name(sc, to), "warm": warm })
        }
        Step::HungUp { queue, hold, day_closed } => json!({
            "time": t, "kind": "hung_up", "queue": queue_name(sc, queue), "hold": secs(hold), "day_closed": day_closed,
        }),
        Step::BusySignal { queue } => json!({ "time": t, "kind": "busy_signal", "queue": queue_name(sc, queue) }),
        Step::WanderedOff => json!({ "time": t, "kind": "wandered_off" }),
        Step::Ended { outcome, hold, reached_queue } => json!({
            "time": t, "kind": "ended", "outcome": outcome.as_str(), "hold": secs(hold), "reached_queue": reached_queue,
        }),
        Step::WillRedial { after } => json!({ "time": t, "kind": "will_redial", "after": secs(after) }),
        Step::GaveUp => json!({ "time": t, "kind": "gave_up" }),
        Step::EwtAnnounced { queue, ewt, left } => json!({
            "time": t, "kind": "ewt_announced", "queue": queue_name(sc, queue), "ewt": secs(ewt), "left": left,
        }),
        Step::CallbackOffered { queue, ewt, accepted } => json!({
            "time": t, "kind": "callback_offered", "queue": queue_name(sc, queue), "ewt": secs(ewt), "accepted": accepted,
        }),
        Step::CallbackDial { pool, agent, attempt } => json!({
            "time": t, "kind": "callback_dial", "pool": sc.pools[pool.index()].name, "agent": agent + 1, "attempt": attempt,
        }),
        Step::CallbackTry { attempt, reached, waited } => json!({
            "time": t, "kind": "callback_try", "attempt": attempt, "reached": reached, "waited": secs(waited),
        }),
        Step::StillOpen => json!({ "time": t, "kind": "still_open" }),
        Step::Interrupted { pool, agent, left } => json!({
            "time": t, "kind": "interrupted", "pool": sc.pools[pool.index()].name, "agent": agent + 1, "left": secs(left),
        }),
        Step::Resumed { queue, pool, agent, left } => json!({
            "time": t, "kind": "resumed", "queue": queue_name(sc, queue), "pool": sc.pools[pool.index()].name,
            "agent": agent + 1, "left": secs(left),
        }),
    }
}

/// The journeys as JSON: each journey with its calls, each call with its
/// steps and `hold` (seconds on hold in that call, all queue legs).
pub fn json(sc: &Scenario, report: &Report, told: &[Told], selection: &str) -> Value {
    let journeys: Vec<Value> = told
        .iter()
        .map(|t| {
            let j = t.journey;
            let (p50, p95) = context(sc, report, j);
            let calls: Vec<Value> = j
                .calls()
                .iter()
                .map(|c| {
                    let end = c.end();
                    let waited = c.waited(is_email(sc, j));
                    let call = json!({
                        // Counted from 1, as the narration says "Call 1", "Call 2 (redial)".
                        "call_no": c.call_no + 1,
                        "dialed_at": at(c.dialed_at()),
                        "outcome": end.map(|e| e.0.as_str()),
                        "hold": end.map(|e| secs(e.1)),
                        "reached_queue": end.map(|e| e.2),
                        // What the caller waited for, as the report names the figure, and how long.
                        "waited_for": waited.map(|w| w.0.figure()),
                        "waited": waited.map(|w| secs(w.1)),
                        "steps": c.steps().map(|(time, s)| with_day(sc, time, step_json(sc, j, time, s))).collect::<Vec<_>>(),
                    });
                    // The day and clock of the dial, on a chain of days.
                    with_day(sc, c.dialed_at(), call)
                })
                .collect();
            let resolved = j.calls().last().and_then(|c| c.end()).map(|e| e.0 == Outcome::Resolved);
            json!({
                "rank": t.rank,
                "replication": j.replication,
                "caller": sc.callers[j.caller.index()].name,
                "reason": sc.reasons[j.reason.index()],
                // Counted from 1, as the narration's "caller #1".
                "journey": j.journey + 1,
                "focus_call": t.focus().map(|f| f + 1),
                // With --worst: the wait that earned the place, beside the caller type's
                // median and 95th percentile of the same figure.
                "worst": t.worst.map(|w| {
                    let (p50, p95) = context_of(sc, report, j, w.kind);
                    json!({ "figure": w.kind.figure(), "value": secs(w.wait), "p50": p50, "p95": p95 })
                }),
                "resolved": resolved,
                "wait_p50": p50,
                "wait_p95": p95,
                "calls": calls,
            })
        })
        .collect();
    json!({
        "scenario": report.scenario,
        "seed": report.seed,
        "replications": report.replications,
        "selection": selection,
        "journeys": journeys,
    })
}
