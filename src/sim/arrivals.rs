//! Arrivals: each caller type's Poisson stream (a piecewise-constant rate
//! over the day), day after day when a replication chains `days`. A day's calls
//! arrive in `[0, horizon)` of that day; day `d` starts at `d × 24h`.

use rand_chacha::ChaCha8Rng;

use super::engine::{Call, Callback, Engine};
use super::events::Event;
use super::menu::Visit;
use super::mode::Mode;
use super::rng::{CallerStream, Purpose, volume_stream};
use super::trace::{Observer, Step};
use crate::scenario::{CallerType, CallerTypeId, Channel, NodeId, PoolId, QueueId, ReasonId, Scenario};
use crate::stats::collect::Outcome;
use crate::time::{SimDuration, SimTime, TICKS_PER_SECOND};

pub(super) struct ArrivalState {
    pub(super) rng: ChaCha8Rng,
    /// Arrival clock in seconds since the start of the current day (kept in
    /// floating point so gaps do not drift by rounding).
    pub(super) clock: f64,
    pub(super) next_index: u32,
    /// The day (0-based) the clock is in.
    pub(super) day: u32,
    /// This day's volume factor (`volume_spread`; exactly 1 without it).
    pub(super) factor: f64,
    /// The profile's steps in seconds: (from, calls per second), converted once.
    pub(super) steps: Vec<(f64, f64)>,
    /// The steps are in time order (as the loader writes them): the current
    /// step is then found forward from the last one, not by a scan.
    pub(super) sorted: bool,
    /// The step the clock was last in (`usize::MAX`: before the first).
    pub(super) step: usize,
}

impl ArrivalState {
    pub(super) fn new(sc: &Scenario, rep: u32, t: usize) -> ArrivalState {
        let c = &sc.callers[t];
        let steps: Vec<(f64, f64)> = c.arrivals.steps.iter().map(|(from, rate)| (from.as_secs_f64(), *rate)).collect();
        let sorted = steps.windows(2).all(|w| w[0].0 <= w[1].0);
        ArrivalState {
            rng: super::rng::arrival_stream(sc.seed, rep, c.key),
            clock: 0.0,
            next_index: 0,
            day: 0,
            factor: day_factor(sc, rep, t, 0),
            steps,
            sorted,
            step: usize::MAX,
        }
    }

    /// The last step that starts at or before `clock` (`usize::MAX`: none).
    #[inline]
    fn step_at(&mut self, clock: f64) -> usize {
        let steps = &self.steps;
        let behind = self.step == usize::MAX || steps[self.step].0 <= clock;
        if !(self.sorted && behind) {
            self.step = steps.iter().rposition(|(from, _)| *from <= clock).unwrap_or(usize::MAX);
            return self.step;
        }
        let mut i = self.step;
        loop {
            let next = if i == usize::MAX { 0 } else { i + 1 };
            match steps.get(next) {
                Some((from, _)) if *from <= clock => i = next,
                _ => break,
            }
        }
        self.step = i;
        i
    }
}

/// The volume factor of caller type `t` on day `day` of replication `rep`:
/// a gamma draw with mean 1 and coefficient of variation `cv` (shape 1/cv²,
/// scale cv²), so that a day's calls are Poisson–gamma: variance
/// mean + (cv·mean)². Drawn from the day's own stream ([`volume_stream`]):
/// a type with its own spread keys it by its name, the others share the
/// top-level spread's stream, hence one factor for all of them. Without a
/// spread nothing is drawn and the factor is exactly 1.
pub(super) fn day_factor(sc: &Scenario, rep: u32, t: usize, day: u32) -> f64 {
    let c = &sc.callers[t];
    let (cv, scope) = match c.volume_spread {
        Some(cv) => (cv, Some(c.key)),
        None => (sc.volume_spread, None),
    };
    if cv <= 0.0 {
        return 1.0;
    }
    let shape = 1.0 / (cv * cv);
    let mut rng = volume_stream(sc.seed, rep, day, scope);
    crate::scenario::dist::standard_gamma(&mut rng, shape) / shape
}

/// The reason a caller of type `ct` with key `key` calls about. One reason
/// needs no draw (the profile stream serves nothing else).
#[inline]
pub(super) fn reason_of(ct: &CallerType, key: u64) -> ReasonId {
    match ct.reasons[..] {
        [] => ReasonId(0),
        [(only, _)] => only,
        _ => ct.reason_for(CallerStream::for_purpose(key, Purpose::Profile, 0, 0).unit()),
    }
}

/// A day lasts 24 hours.
pub(super) const DAY: SimDuration = SimDuration(24 * 3600 * TICKS_PER_SECOND);

/// When day `d` starts.
pub(super) fn day_start(d: u32) -> SimTime {
    SimTime(DAY.0 * u64::from(d))
}

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// Schedules the next first call of caller type `t`: in the current day's
    /// `[0, horizon)`, else (with `days`) in the next day's, with a fresh draw.
    pub(super) fn schedule_next_arrival(&mut self, t: usize) {
        if let Some(at) = self.next_arrival(t) {
            self.events.schedule_arrival(at, t as u16);
        }
    }

    /// When the next first call of caller type `t` dials (drawn now), or
    /// `None` when no day of the run has one left.
    #[inline]
    pub(super) fn next_arrival(&mut self, t: usize) -> Option<SimTime> {
        loop {
            if let Some(at) = self.arrival_in_day(t) {
                return Some(at);
            }
            let a = &mut self.arrivals[t];
            if a.day + 1 >= self.sc.days {
                return None;
            }
            a.day += 1;
            a.clock = 0.0;
            a.factor = day_factor(self.sc, self.rep, t, a.day);
        }
    }

    /// The next arrival of the current day; `None` when the day has none left.
    #[inline]
    fn arrival_in_day(&mut self, t: usize) -> Option<SimTime> {
        let horizon = self.horizon_secs;
        let a = &mut self.arrivals[t];
        let factor = a.factor;
        // Not the platform's ln: the same bits on every machine (see scenario::math).
        let mut need = -crate::scenario::math::ln(1.0 - crate::scenario::dist::unit(&mut a.rng));
        let mut clock = a.clock;
        // Invert the cumulative rate of the piecewise-constant profile.
        let mut i = a.step_at(clock);
        let steps = &a.steps;
        loop {
            let (rate, seg_end) = if i == usize::MAX {
                (0.0, steps.first().map_or(horizon, |s| s.0))
            } else {
                (steps[i].1 * factor, steps.get(i + 1).map_or(horizon, |s| s.0))
            };
            let seg_end = seg_end.min(horizon);
            if rate > 0.0 && rate * (seg_end - clock) > need {
                clock += need / rate;
                break;
            }
            if rate > 0.0 {
                need -= rate * (seg_end - clock).max(0.0);
            }
            clock = seg_end;
            if clock >= horizon {
                return None;
            }
            i = if i == usize::MAX { 0 } else { i + 1 };
        }
        if clock >= horizon {
            return None;
        }
        a.clock = clock;
        Some(day_start(a.day) + SimDuration::from_secs_f64(clock))
    }

    pub(super) fn on_arrival(&mut self, t: usize) {
        if M::REPLAY {
            return self.on_replayed_arrival(t);
        }
        let (key, journey) = {
            let a = &mut self.arrivals[t];
            let key = rand::Rng::next_u64(&mut a.rng);
            a.next_index += 1;
            (key, a.next_index - 1)
        };
        let slot = self.arrive(t, key, journey);
        self.schedule_next_arrival(t);
        self.start_call(slot);
    }

    /// A new journey of caller type `t` dials now: its reason drawn from its
    /// key, its call put in a slot (returned). Shared by the Poisson arrivals
    /// and a log's (`replay`).
    // Inlined so the new call is written straight into its slot.
    #[inline(always)]
    pub(super) fn arrive(&mut self, t: usize, key: u64, journey: u32) -> u32 {
        let ct = &self.sc.callers[t];
        let reason = reason_of(ct, key);
        self.alloc(Call {
            caller: CallerTypeId(t as u16),
            reason,
            key,
            journey,
            call_no: 0,
            journey_start: self.now,
            dial: self.now,
            patience: SimDuration::INFINITE,
            hold: SimDuration::ZERO,
            menu_time: SimDuration::ZERO,
            first_hold: None,
            answered_at: None,
            reached_queue: false,
            transfers: 0,
            services: 0,
            // Drawn from when the call enters the menu (`start_call`).
            menu_rng: CallerStream::UNSET,
            menu_steps: 0,
            menu_patience: SimDuration::INFINITE,
            menu_counted: SimDuration::ZERO,
            visit: Visit::NONE,
            node: NodeId(0),
            queue: QueueId(0),
            leg: 0,
            leg_start: self.now,
            waiting: false,
            warm: None,
            warm_talk: false,
            channel: ct.channel,
            cb: Callback::None,
            ewt: None,
        })
    }
}

// ----- days that follow each other ------------------------------------------

impl<O: Observer, M: Mode> Engine<'_, O, M> {
    /// Whether this slot is an open item: an email no agent has started, or a
    /// promised callback not yet reached (waiting, or between two dials).
    pub(super) fn still_open(&self, slot: u32) -> bool {
        let c = &self.calls[slot as usize];
        (c.waiting && c.channel == Channel::Email) || matches!(c.cb, Callback::Promised { .. })
    }

    /// When an open item was opened: an email's arrival, a callback's acceptance.
    fn opened_at(&self, slot: u32) -> SimTime {
        let c = &self.calls[slot as usize];
        match c.cb {
            Callback::Promised { accepted, .. } => accepted,
            _ => c.dial,
        }
    }

    /// A day's opening hours end: agents finish the callers on the line (voice
    /// and chat) but start no email and dial no callback until the next day.
    /// Counts the open items per caller type and the oldest one's age.
    pub(super) fn on_day_end(&mut self, day: u32) {
        self.closed = true;
        let d = day as usize;
        for s in &mut self.stats.by_caller {
            s.ch.day_ends += 1;
            if s.ch.open_by_day.len() <= d {
                s.ch.open_by_day.resize(d + 1, 0);
            }
        }
        for slot in 0..self.calls.len() as u32 {
            if self.still_open(slot) {
                let age = self.now.since(self.opened_at(slot));
                let s = &mut self.stats.by_caller[self.calls[slot as usize].caller.index()].ch;
                s.open_items += 1;
                s.open_by_day[d] += 1;
                s.oldest_open = s.oldest_open.max(age);
            }
        }
    }

    /// The next day starts: agent time is counted up to yesterday's closing,
    /// the pools' shifts start again, and agents already on duty take the
    /// backlog (emails, callbacks) carried over.
    pub(super) fn on_day_start(&mut self, day: u32) {
        let sc = self.sc;
        for p in 0..self.pools.len() {
            self.account(PoolId(p as u16));
            self.account_chat(PoolId(p as u16));
        }
        let start = day_start(day);
        self.horizon = start + sc.horizon;
        self.restart_intervals(start);
        self.closed = false;
        for q in &mut self.queues {
            q.last_deferred_wait = None;
        }
        for (i, p) in sc.pools.iter().enumerate() {
            let pool = PoolId(i as u16);
            let first = p.shifts.first().filter(|(from, _)| *from == SimTime::ZERO).map_or(0, |s| s.1);
            self.restart_stretches(pool);
            self.staff_to(pool, first);
            for (step, (from, _)) in p.shifts.iter().enumerate() {
                if *from > SimTime::ZERO && from.0 < sc.horizon.0 {
                    self.events
                        .schedule(start + SimDuration(from.0), Event::Shift { pool: i as u16, step: step as u16 });
                }
            }
            // Idle agents take the backlog.
            while let Some(agent) = self.pools[i].idle.pop_front() {
                let Some(slot) = self.best_waiting(pool) else {
                    self.pools[i].idle.push_front(agent);
                    break;
                };
                self.answer(slot, pool, agent);
                self.fill_chats(pool, agent);
            }
        }
    }

    /// At the end of the run: an open item ends as `Open` (an email past its
    /// target at the last closing counts as missed).
    pub(super) fn end_open(&mut self, slot: u32) {
        if let Some(left) = self.email_left.get_mut(slot as usize) {
            *left = None;
        }
        let last_close = self.horizon;
        let c = &mut self.calls[slot as usize];
        if c.waiting {
            c.waiting = false;
            let qs = &mut self.queues[c.queue.index()];
            match c.cb {
                Callback::Promised { deferred: true, .. } => qs.deferred_count -= 1,
                _ => qs.count[c.channel.index()] -= 1,
            }
        }
        if c.channel == Channel::Email {
            let target = self.sc.callers[c.caller.index()].response_target;
            // Never started: missed when already past its target at the last
            // closing, pending (neither met nor missed) when not yet due.
            if c.answered_at.is_none() {
                let (dial, caller) = (c.dial, c.caller.index());
                let late = last_close.since(dial) > target;
                let ch = &mut self.stats.by_caller[caller].ch;
                if late {
                    ch.open_past_target += 1
                } else {
                    ch.open_pending += 1
                }
                let k = self.interval_of(dial);
                if let Some(t) = self.stats.interval_channel_mut(k, caller) {
                    if late { t.open_past_target += 1 } else { t.open_pending += 1 }
                }
            }
        }
        self.trace(slot, Step::StillOpen);
        self.end_call(slot, Outcome::Open, false);
    }
}

#[cfg(test)]
mod tests {
    use super::day_factor;
    use crate::scenario::load_str;

    fn scenario(spread: &str) -> crate::scenario::Scenario {
        let yaml = format!(
            "volume_spread: {spread}\ncallers:\n  a: {{ arrivals: 10/h }}\n  b: {{ arrivals: 10/h }}\n  \
             own: {{ arrivals: 10/h, volume_spread: 30% }}\nqueues:\n  q: {{ pools: [p] }}\n\
             pools:\n  p: {{ agents: 1, handle: 1m }}\nstart: q\n"
        );
        match load_str("t.yaml", &yaml) {
            Ok(l) => l.scenario,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn day_factors_have_mean_one_and_the_spread_as_coefficient_of_variation() {
        let sc = scenario("12%");
        for (t, cv) in [(0, 0.12), (2, 0.30)] {
            let n = 40_000;
            let xs: Vec<f64> = (0..n).map(|d| day_factor(&sc, d % 7, t, d)).collect();
            let mean = xs.iter().sum::<f64>() / f64::from(n);
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / f64::from(n - 1);
            // Standard errors: cv/sqrt(n) for the mean; about cv²·sqrt(2/n) for the variance.
            assert!((mean - 1.0).abs() < 4.0 * cv / f64::from(n).sqrt(), "mean {mean}");
            assert!((var / (cv * cv) - 1.0).abs() < 0.05, "variance {var} for cv {cv}");
        }
    }

    #[test]
    fn the_top_level_spread_is_one_factor_shared_by_the_types_without_their_own() {
        let sc = scenario("20%");
        for day in 0..20 {
            let (a, b, own) = (day_factor(&sc, 3, 0, day), day_factor(&sc, 3, 1, day), day_factor(&sc, 3, 2, day));
            assert_eq!(a.to_bits(), b.to_bits());
            assert_ne!(a.to_bits(), own.to_bits());
        }
        assert_ne!(day_factor(&sc, 3, 0, 0).to_bits(), day_factor(&sc, 3, 0, 1).to_bits());
        assert_ne!(day_factor(&sc, 3, 0, 0).to_bits(), day_factor(&sc, 4, 0, 0).to_bits());
    }

    #[test]
    fn no_spread_is_a_factor_of_exactly_one() {
        let sc = scenario("0%");
        assert_eq!(day_factor(&sc, 0, 0, 0), 1.0);
    }
}
