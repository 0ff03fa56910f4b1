//! A log's calls as the arrivals (`shop replay`, `compare --traffic`): one
//! logged day through the design, on the channel engine in its [`Replay`]
//! mode, so the Poisson engines keep their code unchanged (`M::REPLAY` is a
//! constant false there and compiles away).
//!
//! What the log fixes, the engine takes from it: each call's arrival time and
//! caller type, the talk time of its first conversation (when the log has one),
//! and its patience: a caller who hung up after holding `h` has patience `h`;
//! a caller answered after holding `h` has a patience drawn from the design's
//! distribution given that it exceeds `h` ([`Dist::sample_above`]), and their
//! reason when the log gives it (else drawn, given the logged talk time when
//! there is one: [`reason_given_talk`]). Everything else (menu, routing,
//! transfers, redials, callbacks, agents) is the design's, drawn from each
//! caller's own streams as in a run.
//!
//! [`Dist::sample_above`]: crate::scenario::dist::Dist::sample_above

use super::engine::Engine;
use super::events::Event;
use super::mode::{Mode, Replay};
use super::rng::{CallerStream, Purpose};
use super::trace::Observer;
use crate::scenario::{CallerType, CallerTypeId, ReasonId, Scenario};
use crate::stats::collect::{IntervalStats, RepStats};
use crate::time::{SimDuration, SimTime};

/// What the log tells of one caller's patience.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LoggedPatience {
    /// Nothing (the call never held: it ended in the menu, or was turned
    /// away): the design's draw.
    Drawn,
    /// They hung up after holding this long: that is their patience.
    Exactly(SimDuration),
    /// They were answered after holding this long: their patience exceeds it.
    Above(SimDuration),
    /// They left on hearing this estimated wait: their patience was shorter.
    Below(SimDuration),
}

/// One logged call as the engine replays it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReplayCall {
    /// Its place among the day's logged calls (by dial time): the caller's
    /// key comes from it, so two designs replaying the day meet the same caller
    /// whatever calls either leaves out.
    pub index: u32,
    pub caller: CallerTypeId,
    /// When it arrives, from the design's time 0 (its `opens`) on the logged day.
    pub at: SimDuration,
    /// Why they called, when the log says and the design's caller type has
    /// that reason: kept (the reason is the caller's; the menu's choices still
    /// follow the design). `None`: drawn, given the logged talk time when there
    /// is one ([`reason_given_talk`]).
    pub reason: Option<ReasonId>,
    /// Its first conversation's logged talk time; `None` when the log has none
    /// (nobody answered it) or talk times are redrawn (`--redraw handle`).
    pub talk: Option<SimDuration>,
    pub patience: LoggedPatience,
}

/// The calls of the day being replayed, in arrival order, and which logged
/// call each call slot started as.
#[derive(Default)]
pub(super) struct Feed<'a> {
    calls: &'a [ReplayCall],
    next: usize,
    /// Mixed into every caller key: the day's seed and the replication.
    base: u64,
    /// Per call slot: the index in `calls` of the journey in it.
    of_slot: Vec<u32>,
}

/// The purpose tag of the replayed callers' keys (apart from [`Purpose`]'s).
const KEY_PURPOSE: u64 = 0x5250;

/// The seed of one logged day: the design's seed mixed with the day, so that
/// what a design draws per replication (availability spells) differs from
/// day to day, and two designs replaying the same day draw alike.
pub fn day_seed(seed: u64, day: i64) -> u64 {
    CallerStream::new(seed, KEY_PURPOSE, 0, 0).draw() ^ CallerStream::new(day as u64, KEY_PURPOSE + 1, 0, 0).draw()
}

/// Simulates replication `rep` of one logged day (`calls` sorted by arrival)
/// through the design `sc` (a one-day design whose `seed` is the day's,
/// [`day_seed`]): what a run's replication counts, for that day.
pub fn simulate_day<O: Observer>(sc: &Scenario, rep: u32, calls: &[ReplayCall], observer: &mut O) -> RepStats {
    debug_assert!(calls.windows(2).all(|w| w[0].at <= w[1].at), "logged calls out of order");
    let mut e = Engine::<O, Replay>::new(sc, rep, observer);
    e.replay =
        Feed { calls, next: 0, base: CallerStream::new(sc.seed, KEY_PURPOSE, rep, 0).draw(), of_slot: Vec::new() };
    e.run();
    e.stats
}

/// Adds one day's statistics (from [`simulate_day`]) as day `d` of `acc`, a
/// replication's statistics over all the logged days (`with_days`): pooled
/// as a chained run pools its days, and counted apart in `by_day`.
pub fn absorb_day(acc: &mut RepStats, mut day: RepStats, d: usize) {
    for c in &mut day.by_caller {
        // Items left open at the day's closing belong to day `d`.
        let open = c.ch.open_by_day.first().copied().unwrap_or(0);
        c.ch.open_by_day = vec![0; d + 1];
        c.ch.open_by_day[d] = open;
    }
    acc.merge(&day);
    let n = day.by_caller.len();
    for c in 0..n {
        let mut all = IntervalStats::default();
        for k in 0..day.interval_count() {
            all.merge(day.interval_caller(k, c));
        }
        if let Some(slot) = acc.by_day.get_mut(d * n + c) {
            slot.merge(&all);
        }
    }
}

/// Adds the statistics of a chain of logged days simulated as one run
/// (`days: N`, from [`simulate_day`] with the chain's calls one day after
/// another) as days `d`, `d + 1`, … of `acc`: pooled as [`absorb_day`]
/// pools one day, each day counted apart in `by_day` and in what it left open.
pub fn absorb_chain(acc: &mut RepStats, mut chain: RepStats, d: usize) {
    for c in &mut chain.by_caller {
        let mut open = vec![0; d];
        open.extend_from_slice(&c.ch.open_by_day);
        c.ch.open_by_day = open;
    }
    let n = chain.by_caller.len();
    let mut by_day = vec![IntervalStats::default(); d * n];
    by_day.append(&mut chain.by_day);
    chain.by_day = by_day;
    acc.merge(&chain);
}

/// A day: a chain's day `j` is replayed `j` days after its first.
pub const DAY: SimDuration = super::arrivals::DAY;

/// Half the width of the window a logged talk time stands for: a log rounds
/// talk times to the second at worst.
const TALK_WINDOW: f64 = 0.5;

/// The reason of a caller of type `ct` whose logged talk lasted `talk`, when
/// the log does not say why they called: drawn (with the uniform `u`, the
/// caller's profile draw) in proportion to each reason's share times the
/// chance that the design's talk for that reason falls within
/// [`TALK_WINDOW`] of the logged one, in the pools of the queue the reason is
/// meant for (all the design's pools when the menu routes it nowhere). A
/// 15-minute talk is thus a reason with 15-minute talks, and goes where
/// those go. `None` when no reason's talk comes near it (the plain draw).
pub fn reason_given_talk(sc: &Scenario, ct: &CallerType, talk: SimDuration, u: f64) -> Option<ReasonId> {
    let t = talk.as_secs_f64();
    let near = |r: ReasonId| {
        let pools: Vec<usize> = match ct.meant_queue.get(r.index()).copied().flatten() {
            Some(q) => sc.queues[q.index()].pools.iter().map(|(p, _)| p.index()).collect(),
            None => (0..sc.pools.len()).collect(),
        };
        let chance = |p: usize| {
            sc.pools[p]
                .handle
                .get(r.index())
                .map_or(0.0, |d| (d.survival((t - TALK_WINDOW).max(0.0)) - d.survival(t + TALK_WINDOW)).max(0.0))
        };
        if pools.is_empty() { 0.0 } else { pools.iter().map(|&p| chance(p)).sum::<f64>() / pools.len() as f64 }
    };
    let mut prev = 0.0;
    let weights: Vec<(ReasonId, f64)> = ct
        .reasons
        .iter()
        .map(|&(r, cum)| {
            let share = cum - prev;
            prev = cum;
            (r, share * near(r))
        })
        .collect();
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let mut at = u * total;
    for &(r, w) in &weights {
        if at < w {
            return Some(r);
        }
        at -= w;
    }
    weights.iter().rev().find(|(_, w)| *w > 0.0).map(|(r, _)| *r)
}

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// Puts the next logged call's arrival on the event list.
    pub(super) fn schedule_replayed(&mut self) {
        if let Some(c) = self.replay.calls.get(self.replay.next) {
            self.events.schedule(SimTime::ZERO + c.at, Event::Arrival { caller: c.caller.0 });
        }
    }

    /// The next logged call dials, as its caller type (`t`, the event's).
    pub(super) fn on_replayed_arrival(&mut self, t: usize) {
        let i = self.replay.next;
        self.replay.next += 1;
        let index = self.replay.calls[i].index;
        let key = CallerStream::new(self.replay.base, KEY_PURPOSE, 0, index).draw();
        let slot = self.arrive(t, key, index);
        let logged = &self.replay.calls[i];
        let ct = &self.sc.callers[t];
        let reason = match (logged.reason, logged.talk) {
            (Some(r), _) => Some(r),
            (None, Some(talk)) if ct.reasons.len() > 1 => {
                let u = CallerStream::for_purpose(key, Purpose::Profile, 0, 0).unit();
                reason_given_talk(self.sc, ct, talk, u)
            }
            _ => None,
        };
        if let Some(r) = reason {
            self.calls[slot as usize].reason = r;
        }
        let of_slot = &mut self.replay.of_slot;
        if of_slot.len() <= slot as usize {
            of_slot.resize(slot as usize + 1, 0);
        }
        of_slot[slot as usize] = i as u32;
        self.schedule_replayed();
        self.start_call(slot);
    }

    /// The logged call in `slot`, when the slot's current call is its first
    /// (a redial is the design's).
    fn logged(&self, slot: u32) -> Option<&ReplayCall> {
        if self.calls[slot as usize].call_no != 0 {
            return None;
        }
        let i = *self.replay.of_slot.get(slot as usize)?;
        self.replay.calls.get(i as usize)
    }

    /// Sets the patience of a call just dialed from what the log saw.
    pub(super) fn replayed_patience(&mut self, slot: u32) {
        let Some(logged) = self.logged(slot).copied() else { return };
        let c = &mut self.calls[slot as usize];
        let dist = self.sc.callers[c.caller.index()].patience.as_ref();
        let mut rng = CallerStream::for_purpose(c.key, Purpose::Patience, c.call_no, 0);
        c.patience = match (logged.patience, dist) {
            (LoggedPatience::Drawn, _) => return,
            (LoggedPatience::Exactly(h), _) => h,
            (LoggedPatience::Below(h), Some(d)) => d.sample_below(h.as_secs_f64(), &mut rng),
            (LoggedPatience::Above(h), Some(d)) => d.sample_above(h.as_secs_f64(), &mut rng),
            // A design without patience: an answered caller never hangs up; one
            // the log saw leave on hearing the wait leaves (patience 0, as before).
            (LoggedPatience::Below(_), None) => SimDuration::ZERO,
            (LoggedPatience::Above(_), None) => SimDuration::INFINITE,
        };
    }

    /// The talk time the log fixes for conversation `service` of `slot`'s
    /// call: the logged one for the first conversation of a logged call.
    pub(super) fn replayed_talk(&self, slot: u32, service: u32) -> Option<SimDuration> {
        if service != 0 {
            return None;
        }
        self.logged(slot)?.talk
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    fn two_reasons(slow: &str) -> Scenario {
        let yaml = format!(
            "callers:\n  c: {{ arrivals: 10/h, reasons: {{ short: 0.7, long: 0.3 }}, entry: m }}\n\
             menu:\n  m:\n    options:\n      \"1\": {{ for: [short], to: qs }}\n      \"2\": {{ for: [long], to: ql }}\n\
             queues:\n  qs: {{ pools: [fast] }}\n  ql: {{ pools: [slow] }}\n\
             pools:\n  fast: {{ agents: 2, handle: exp(3m) }}\n  slow: {{ agents: 2, handle: {slow} }}\n"
        );
        match load_str("t.yaml", &yaml) {
            Ok(l) => l.scenario,
            Err(e) => panic!("{e}"),
        }
    }

    fn share_long(sc: &Scenario, talk: f64) -> f64 {
        let ct = &sc.callers[0];
        let long = sc.reasons.iter().position(|r| r == "long").map(|i| ReasonId(i as u16));
        let n = 1000;
        let hits = (0..n)
            .filter(|&i| {
                let u = (f64::from(i) + 0.5) / f64::from(n);
                reason_given_talk(sc, ct, SimDuration::from_secs_f64(talk), u) == long
            })
            .count();
        hits as f64 / f64::from(n)
    }

    #[test]
    fn an_unlogged_reason_is_drawn_in_proportion_to_its_share_times_the_chance_of_the_logged_talk() {
        // Constant 15-minute talks for `long`: a 15-minute talk is `long`, any
        // other is `short` (a constant gives no chance to any other time).
        let sc = two_reasons("15m");
        assert_eq!(share_long(&sc, 900.0), 1.0);
        assert_eq!(share_long(&sc, 900.4), 1.0);
        assert_eq!(share_long(&sc, 120.0), 0.0);
        // Exponential talks of 3m and 15m means: at 15 minutes the odds are
        // 0.3/15·e^-1 against 0.7/3·e^-5, about 90% `long`; at 1 minute, about 8%.
        let sc = two_reasons("exp(15m)");
        let at = |t: f64| {
            let (l, s) = (0.3 / 900.0 * (-t / 900.0f64).exp(), 0.7 / 180.0 * (-t / 180.0f64).exp());
            l / (l + s)
        };
        for t in [60.0, 900.0] {
            assert!((share_long(&sc, t) - at(t)).abs() < 0.01, "{t}s: {} against {}", share_long(&sc, t), at(t));
        }
    }

    #[test]
    fn a_talk_no_reason_could_have_is_the_plain_draw() {
        // 3m and 15m constants: a 10-minute talk is neither.
        let mut sc = two_reasons("15m");
        sc.pools[0].handle = vec![crate::scenario::dist::Dist::Constant(180.0); sc.reasons.len()];
        assert_eq!(reason_given_talk(&sc, &sc.callers[0], SimDuration::from_secs_f64(600.0), 0.5), None);
    }
}
