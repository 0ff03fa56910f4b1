//! From the log's calls to one design's arrivals: which caller type each
//! logged type calls as (`--map`, else the same name), where the design's
//! time 0 falls on the log's clock, and what the log fixes of each call.

use std::collections::HashMap;

use super::{DayCalls, Scanned, Traffic};
use crate::logs::backtest::clock;
use crate::logs::record::{Ending, LoggedCall};
use crate::scenario::{CallerTypeId, Channel, ReasonId, Scenario};
use crate::sim::replay::{LoggedPatience, ReplayCall};
use crate::time::SimDuration;

/// How one design takes the log's calls.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Per caller type of the log: the design's caller type, and whether it
    /// redials (then the log's redials are left to the design).
    to: HashMap<String, (CallerTypeId, bool)>,
    /// The design's time 0 on the log's clock (s after midnight; 0 for `shop` logs).
    pub offset: f64,
    /// Set when time 0 was taken from the log (a clock log, a design without `opens`).
    pub guessed: bool,
    horizon: f64,
    redraw_handle: bool,
    /// Per caller type of the design: its reasons by name (a logged reason
    /// is kept when the type has it).
    reasons: Vec<HashMap<String, ReasonId>>,
    /// The log's chat and email types the design has no caller type for
    /// (and `--map` names none): their calls are left out, with a note.
    pub left_out: Vec<(String, Channel, u64)>,
}

/// The design's caller type for each of the log's, and where time 0 falls.
/// An error (exit 2) lists both sides' caller types when one is left unmapped
/// or `--map` names a type neither side has.
pub fn plan(sc: &Scenario, file: &str, scanned: &Scanned, t: &Traffic) -> Result<Plan, String> {
    let log = t.log.display();
    let design_types = || sc.callers.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ");
    let log_types = || scanned.types.iter().map(|(n, k)| format!("`{n}` ({k} calls)")).collect::<Vec<_>>().join(", ");
    let id_of = |name: &str| {
        sc.callers.iter().position(|c| c.name == name).map(|i| (CallerTypeId(i as u16), sc.callers[i].redial.is_some()))
    };
    let mut to = HashMap::new();
    for (from, into) in &t.map {
        if !scanned.types.contains_key(from) {
            return Err(format!(
                "error: --map {from}={into}: {log} has no caller type `{from}` (on the days replayed)\n  \
                 the log's caller types: {}",
                log_types()
            ));
        }
        let Some(id) = id_of(into) else {
            return Err(format!(
                "error: --map {from}={into}: {file} has no caller type `{into}`\n  {file}'s caller types: {}",
                design_types()
            ));
        };
        to.insert(from.clone(), id);
    }
    let channel_of = |name: &str| scanned.channels.get(name).copied().unwrap_or(Channel::Voice);
    let mut unmapped = Vec::new();
    let mut left_out = Vec::new();
    for (name, &calls) in &scanned.types {
        if to.contains_key(name) {
            continue;
        }
        match id_of(name) {
            Some(id) => {
                to.insert(name.clone(), id);
            }
            // Chats and emails of a type the design does not have are left
            // out (noted): a voice design replays a blended log's calls.
            None if channel_of(name) != Channel::Voice => left_out.push((name.clone(), channel_of(name), calls)),
            None => unmapped.push(format!("`{name}`")),
        }
    }
    // A logged chat is not a call: each type of the log calls as a caller
    // type of its own channel.
    for (name, &(id, _)) in &to {
        let (logged, design) = (channel_of(name), sc.callers[id.index()].channel);
        if logged != design {
            let into = &sc.callers[id.index()].name;
            let how = if t.map.iter().any(|(f, _)| f == name) {
                format!("--map {name}={into}")
            } else {
                format!("`{name}` calls as {file}'s caller type of the same name")
            };
            return Err(format!(
                "error: {how}: the log's `{name}` are {} contacts, {file}'s `{into}` is a {} caller type\n  \
                 help: map each log type onto a caller type of its channel ({file}'s: {})",
                logged.as_str(),
                design.as_str(),
                sc.callers
                    .iter()
                    .map(|c| format!("`{}` {}", c.name, c.channel.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if !unmapped.is_empty() {
        let example = scanned.types.keys().find(|n| !to.contains_key(*n)).cloned().unwrap_or_default();
        let first = sc.callers.first().map_or("CALLER", |c| c.name.as_str());
        return Err(format!(
            "error: {log}: the log's caller type{} {} {} no caller type of {file}\n  \
             the log's caller types: {}\n  {file}'s caller types: {}\n  \
             help: say which caller type each one calls as, e.g. --map {example}={first} (repeatable)",
            if unmapped.len() == 1 { "" } else { "s" },
            unmapped.join(", "),
            if unmapped.len() == 1 { "matches" } else { "match" },
            log_types(),
            design_types()
        ));
    }
    let (offset, guessed) = if !scanned.clock_log() {
        (0.0, false)
    } else if let Some(o) = sc.intervals.opens {
        (f64::from(o), false)
    } else {
        // The start of the interval holding the log's first call, as `backtest` aligns.
        let length = sc.intervals.length.as_secs_f64().max(1.0);
        let first = if scanned.first_dial.is_finite() { scanned.first_dial } else { 0.0 };
        ((first / length).floor() * length, true)
    };
    let reasons = sc
        .callers
        .iter()
        .map(|c| c.reasons.iter().map(|&(r, _)| (sc.reasons[r.index()].clone(), r)).collect())
        .collect();
    Ok(Plan {
        to,
        offset,
        guessed,
        horizon: sc.horizon.as_secs_f64(),
        redraw_handle: t.redraw_handle,
        reasons,
        left_out,
    })
}

impl Plan {
    /// The note for the log's chats and emails the design has no caller type for.
    pub fn left_out_note(&self, log: &str, file: &str) -> Option<String> {
        if self.left_out.is_empty() {
            return None;
        }
        let calls: u64 = self.left_out.iter().map(|(_, _, n)| n).sum();
        let types: Vec<String> =
            self.left_out.iter().map(|(n, ch, k)| format!("`{n}` ({k} {}s)", ch.as_str())).collect();
        Some(format!(
            "note: {calls} of {log}'s contacts are left out: {file} has no caller type for the log's {} \
             (--map LOGTYPE=CALLER sends them through one of its own channel)",
            types.join(", ")
        ))
    }

    /// The note for a guessed time 0, to print once.
    pub fn guessed_note(&self, file: &str) -> Option<String> {
        self.guessed.then(|| {
            let t0 = clock(self.offset);
            format!(
                "note: {file} has no `opens`: its time 0 is taken as {t0} on the log's clock, the start of the \
                 log's first interval (add `opens: \"{t0}\"` to say so)"
            )
        })
    }
}

/// One design's arrivals of a day, and the calls outside its opening hours.
#[derive(Debug, Default)]
pub struct Converted {
    pub calls: Vec<ReplayCall>,
    /// Calls dialed before the design's time 0, or at or after its horizon: left out.
    pub before: u64,
    pub after: u64,
    /// The log's redials of callers the design redials itself: left to the design.
    pub redials: u64,
}

/// A day's logged calls as `plan`'s design replays them, in dial order.
pub fn convert(plan: &Plan, day: &DayCalls) -> Converted {
    let mut out = Converted { calls: Vec::with_capacity(day.calls.len()), ..Converted::default() };
    for (i, c) in day.calls.iter().enumerate() {
        // Every type was mapped by `plan` (the first pass saw them all).
        let Some(&(caller, redials)) = plan.to.get(&c.caller) else { continue };
        if c.redial && redials {
            out.redials += 1;
            continue;
        }
        let at = c.dial - plan.offset;
        if at < 0.0 {
            out.before += 1;
            continue;
        }
        if at >= plan.horizon {
            out.after += 1;
            continue;
        }
        out.calls.push(ReplayCall {
            index: i as u32,
            caller,
            at: SimDuration::from_secs_f64(at),
            reason: c.reason.as_ref().and_then(|r| plan.reasons.get(caller.index())?.get(r).copied()),
            talk: if plan.redraw_handle { None } else { talk(c) },
            patience: patience(c),
        });
    }
    out
}

/// The work of the logged call's first conversation, when it had one: its
/// talk time, or the work the log gives apart from it (a `shop` log's chat,
/// whose talk the agent's other chats stretched: the design's agent stretches
/// it again by the chats it holds).
fn talk(c: &LoggedCall) -> Option<SimDuration> {
    match (&c.ending, &c.service) {
        (Ending::Served, Some(s)) => Some(SimDuration::from_secs_f64(s.work.unwrap_or(s.talk).max(0.0))),
        _ => None,
    }
}

/// What the log saw of the caller's patience: a hang-up after a hold is the
/// patience itself; an answer after a hold says the patience exceeded it;
/// a call that never held says nothing.
fn patience(c: &LoggedCall) -> LoggedPatience {
    let d = |s: f64| SimDuration::from_secs_f64(s.max(0.0));
    match (c.ending, c.wait) {
        // Left on hearing the wait told: patience shorter than it (a design
        // that tells a shorter wait, or none, may keep them on the line).
        (Ending::HungUp, _) if c.left_on_hearing && c.told.is_some_and(|t| t.is_finite() && t > 0.0) => {
            LoggedPatience::Below(d(c.told.unwrap_or(0.0)))
        }
        (Ending::HungUp, w) => LoggedPatience::Exactly(d(w.unwrap_or(0.0))),
        // Told a wait and stayed (answered): patient at least that long, however soon answered.
        (Ending::Served, Some(w)) if w.max(c.told.unwrap_or(0.0)) > 0.0 => {
            LoggedPatience::Above(d(w.max(c.told.unwrap_or(0.0))))
        }
        _ => LoggedPatience::Drawn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::record::Service;

    fn call(ending: Ending, wait: Option<f64>, talk: Option<f64>) -> LoggedCall {
        LoggedCall {
            line: 2,
            channel: crate::scenario::Channel::Voice,
            told: None,
            day: 0,
            weekday: None,
            caller: "c".into(),
            reason: None,
            customer: None,
            priority: None,
            dial: 100.0,
            menu: 0.0,
            wait,
            ending,
            service: talk.map(|t| Service { start: 100.0 + wait.unwrap_or(0.0), talk: t, server: None, work: None }),
            end: 500.0,
            redial: false,
            queue: None,
            pool: None,
            apart: false,
            queued: None,
            left_on_hearing: false,
            hold: None,
            transfers: 0,
        }
    }

    #[test]
    fn the_log_fixes_a_hang_ups_patience_bounds_an_answers_and_says_nothing_of_the_rest() {
        let secs = SimDuration::from_secs_f64;
        assert_eq!(patience(&call(Ending::HungUp, Some(42.5), None)), LoggedPatience::Exactly(secs(42.5)));
        // Left on hearing the estimated wait: a patience of no hold at all.
        assert_eq!(patience(&call(Ending::HungUp, None, None)), LoggedPatience::Exactly(SimDuration::ZERO));
        assert_eq!(patience(&call(Ending::Served, Some(30.0), Some(60.0))), LoggedPatience::Above(secs(30.0)));
        assert_eq!(patience(&call(Ending::Served, Some(0.0), Some(60.0))), LoggedPatience::Drawn);
        assert_eq!(patience(&call(Ending::InMenu, None, None)), LoggedPatience::Drawn);
        assert_eq!(patience(&call(Ending::Other, Some(0.0), None)), LoggedPatience::Drawn);
        assert_eq!(talk(&call(Ending::Served, Some(30.0), Some(61.5))), Some(secs(61.5)));
        assert_eq!(talk(&call(Ending::HungUp, Some(30.0), None)), None);
        // Told a 90 s wait and stayed, answered after 30 s: patient beyond 90 s.
        let mut told = call(Ending::Served, Some(30.0), Some(60.0));
        told.told = Some(90.0);
        assert_eq!(patience(&told), LoggedPatience::Above(secs(90.0)));
        told.wait = Some(0.0);
        assert_eq!(patience(&told), LoggedPatience::Above(secs(90.0)));
        // A hang-up's patience is its hold, whatever it was told.
        told.ending = Ending::HungUp;
        told.wait = Some(120.0);
        assert_eq!(patience(&told), LoggedPatience::Exactly(secs(120.0)));
        // A chat's logged work, not its stretched talk, is what the agent gets.
        let mut chat = call(Ending::Served, Some(0.0), Some(80.0));
        if let Some(s) = chat.service.as_mut() {
            s.work = Some(64.0);
        }
        assert_eq!(talk(&chat), Some(secs(64.0)));
    }

    #[test]
    fn a_map_is_logtype_equals_caller() {
        use crate::logs::replay::parse_map;
        assert_eq!(parse_map(&["PS = regular".into()]), Ok(vec![("PS".into(), "regular".into())]));
        assert!(parse_map(&["PS".into()]).is_err());
        assert!(parse_map(&["=regular".into()]).is_err());
        // The same log type twice is refused, naming both (even when they agree).
        for second in ["NW", "regular"] {
            let err = parse_map(&["PS=regular".into(), format!("PS={second}")]).unwrap_err();
            assert!(err.contains(&format!("--map PS={second}")) && err.contains("--map PS=regular"), "{err}");
        }
        assert!(parse_map(&["PS=regular".into(), "NW=regular".into()]).is_ok());
    }
}
