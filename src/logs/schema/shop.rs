//! `--schema shop`: the rows `shop run --log` writes. A replication is a day
//! (no dates, so no weekdays); times are seconds from the start of that day.
//! A design with `days: N` chains N days in one replication, its times running
//! on across the nights: each row goes to the day it was dialed in (replication
//! × 366 + day within it) with its times from that day's start, so a fit
//! covers one day, not N days with the nights between them.

use super::{Columns, Schema, opt_seconds, seconds};
use crate::logs::record::{Ending, LoggedCall, Service, Skip, SkipReason};
use crate::scenario::Channel;

pub struct Shop;

/// A day, in seconds.
const DAY: f64 = 86_400.0;

impl Schema for Shop {
    const NAME: &'static str = "shop";
    const REQUIRED: &'static [&'static str] =
        &["replication", "caller", "dial", "entered_queue", "answered", "ended", "outcome"];

    fn parse(cols: &Columns, rec: &csv::StringRecord, line: u64) -> Result<LoggedCall, Skip> {
        let field = |name: &str| cols.get(rec, name);
        let day = field("replication").parse::<i64>().map_err(|_| {
            Skip::new(SkipReason::Malformed, format!("replication `{}` is not a number", field("replication")))
        })?;
        let channel = match field("channel") {
            "" => Channel::Voice,
            c => Channel::parse(c).ok_or_else(|| {
                Skip::new(SkipReason::Malformed, format!("channel `{c}` is not voice, chat or email"))
            })?,
        };
        let caller = field("caller");
        if caller.is_empty() {
            return Err(Skip::new(SkipReason::Malformed, "no caller"));
        }
        let dial = seconds(field("dial"), "dial")?;
        // The day of a chained replication (`days: N`) the call was dialed on.
        let chained = (dial / DAY).floor().clamp(0.0, 365.0);
        let day = day * 366 + chained as i64;
        let shift = chained * DAY;
        let dial = dial - shift;
        let queued = opt_seconds(field("entered_queue"), "entered_queue")?.map(|t| t - shift);
        let answered = opt_seconds(field("answered"), "answered")?.map(|t| t - shift);
        let end = seconds(field("ended"), "ended")? - shift;
        let before = |a: f64, b: f64, what: &str| {
            if b + 1e-9 < a { Err(Skip::new(SkipReason::NegativeDuration, what.to_string())) } else { Ok(()) }
        };
        before(dial, end, "ended before it was dialed")?;
        if let Some(q) = queued {
            before(dial, q, "entered the queue before it was dialed")?;
        }
        if let (Some(q), Some(a)) = (queued, answered) {
            before(q, a, "answered before it entered the queue")?;
        }
        let menu = match opt_seconds(field("menu_time"), "menu_time")? {
            Some(m) => m,
            None => queued.map_or(end - dial, |q| q - dial),
        };
        let outcome = field("outcome");
        let ending = match (outcome, answered, queued) {
            (_, Some(_), _) if matches!(outcome, "resolved" | "unresolved") => Ending::Served,
            ("abandoned_queue", None, Some(_)) => Ending::HungUp,
            // Answered, transferred, then hung up on a later hold: a hang-up
            // after the call's whole hold (`hold`, every leg), with the first
            // conversation kept as the service it had.
            ("abandoned_queue", Some(_), Some(_)) => Ending::HungUp,
            // Left on hearing the estimated wait (`announce_ewt`): the queue
            // was reached but never joined; a hang-up after no hold.
            ("abandoned_queue", None, None) => Ending::HungUp,
            ("abandoned_menu", None, None) | ("resolved" | "unresolved", None, None) => Ending::InMenu,
            ("blocked", None, _) | ("unresolved", None, Some(_)) => Ending::Other,
            // Still waiting (an email, a promised callback, a caller on hold)
            // when the run ended: neither served nor gone.
            ("open", None, _) => Ending::Other,
            // A promised callback that never reached the caller.
            ("callback_failed", None, _) => Ending::Other,
            (
                "resolved" | "unresolved" | "abandoned_queue" | "abandoned_menu" | "blocked" | "open"
                | "callback_failed",
                ..,
            ) => {
                return Err(Skip::new(SkipReason::Malformed, format!("outcome `{outcome}` with these times")));
            }
            _ => return Err(Skip::new(SkipReason::UnknownOutcome, format!("outcome `{outcome}`"))),
        };
        let hold = opt_seconds(field("hold"), "hold")?;
        // A promised callback: answered long after joining, with less hold on the line.
        let apart =
            matches!((ending, queued, answered, hold), (Ending::Served, Some(q), Some(a), Some(h)) if a - q > h + 0.5);
        let wait = match (ending, queued, answered) {
            (Ending::Served, Some(q), Some(a)) if apart => Some(hold.unwrap_or(0.0).min(a - q)),
            (Ending::Served, Some(q), Some(a)) => Some(a - q),
            (Ending::HungUp, Some(q), _) => Some(match opt_seconds(field("hold"), "hold")? {
                Some(h) => h,
                None => end - q,
            }),
            (Ending::HungUp, None, _) => Some(0.0),
            // A busy signal: the queue turned the call away, a hold of zero
            // (as the simulation counts it in `wait`).
            (Ending::Other, _, None) if outcome == "blocked" => Some(0.0),
            _ => None,
        };
        let service = match answered {
            Some(a) if ending == Ending::Served || ending == Ending::HungUp => {
                let talk = match opt_seconds(field("talk"), "talk")? {
                    Some(t) => t,
                    None => end - a,
                };
                let server = Some(field("agent")).filter(|s| !s.is_empty()).map(str::to_string);
                let work = opt_seconds(field("work"), "work")?;
                Some(Service { start: a, talk, server, work })
            }
            _ => None,
        };
        let transfers = match field("transfers") {
            "" => 0,
            t => t
                .parse::<u32>()
                .map_err(|_| Skip::new(SkipReason::Malformed, format!("transfers `{t}` is not a whole number")))?,
        };
        let customer = Some(field("customer")).filter(|s| !s.is_empty()).map(str::to_string);
        let priority = field("priority").parse::<i32>().ok();
        Ok(LoggedCall {
            line,
            day,
            weekday: None,
            caller: caller.to_string(),
            channel,
            reason: Some(field("reason")).filter(|s| !s.is_empty()).map(str::to_string),
            customer,
            priority,
            dial,
            menu,
            wait,
            ending,
            // The hold of a call that reached a queue (a callback's is its time on the line).
            hold: hold.filter(|_| queued.is_some()),
            transfers,
            service,
            end,
            queue: Some(field("queue")).filter(|s| !s.is_empty()).map(str::to_string),
            pool: Some(field("pool")).filter(|s| !s.is_empty()).map(str::to_string),
            redial: !field("redial_of").is_empty(),
            apart,
            queued,
            told: opt_seconds(field("told_wait"), "told_wait")?,
            left_on_hearing: outcome == "abandoned_queue" && queued.is_none() && answered.is_none(),
        })
    }
}
