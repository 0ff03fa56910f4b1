//! The discrete-event engine: one replication (one simulated day) of callers
//! moving through the menu, queues and agents of a [`Scenario`].
//!
//! ```text
//!  arrival ─► menu node ─(key / then)─► … ─► queue ─► agent ─► resolved
//!                │ self-service             │  ▲        │ transfer (cold / warm)
//!                ▼                          │  └────────┘
//!             resolved          hang up / busy signal ─► redial later (new call)
//! ```
//!
//! State lives in flat vectors indexed by typed ids; a journey occupies one
//! call slot from first dial until it ends, reused afterwards. Stale events
//! (patience of a caller already answered) are skipped by comparing a leg
//! counter. Nothing here prints or allocates per event once warmed up.
//!
//! Each concern has its own file: `arrivals` (day after day), `menu`, `queue`
//! (holding, channel priority), `agents` (channels, chat concurrency),
//! `email` (put down for a call, taken up again), `callbacks` (estimated
//! wait, virtual hold). This file dispatches events,
//! answers and ends calls, and chains the days of a replication.

use std::collections::VecDeque;
use std::marker::PhantomData;

use super::agents::{Agent, IntervalMark, PoolState};
use super::arrivals::{ArrivalState, day_start};
use super::events::{Event, EventQueue};
use super::menu::{self, Exit, Visit};
use super::mode::{Channels, Mode, VoiceOnly};
use super::queue::QueueState;
use super::rng::{CallerStream, Purpose, caller_draw};
use super::trace::{CallTag, Observer, Step};
use crate::scenario::{CallerTypeId, Channel, NodeId, PoolId, QueueId, ReasonId, Scenario, Target};
use crate::stats::collect::{CallRecord, Outcome, RepStats, SharedHolds};
use crate::time::{SimDuration, SimTime};

/// One journey's current call.
#[derive(Clone, Debug)]
pub(super) struct Call {
    pub(super) caller: CallerTypeId,
    pub(super) reason: ReasonId,
    pub(super) key: u64,
    pub(super) journey: u32,
    pub(super) call_no: u32,
    pub(super) journey_start: SimTime,
    pub(super) dial: SimTime,
    pub(super) patience: SimDuration,
    pub(super) hold: SimDuration,
    pub(super) menu_time: SimDuration,
    pub(super) first_hold: Option<SimDuration>,
    pub(super) answered_at: Option<SimTime>,
    pub(super) reached_queue: bool,
    pub(super) transfers: u32,
    /// How many times an agent has talked to this call (indexes handle draws).
    pub(super) services: u32,
    pub(super) menu_rng: CallerStream,
    pub(super) menu_steps: u32,
    /// Time in the menu before hanging up (drawn once per call), and the time
    /// counted against it so far.
    pub(super) menu_patience: SimDuration,
    pub(super) menu_counted: SimDuration,
    /// What the caller does at the current node, decided when they start listening.
    pub(super) visit: Visit,
    pub(super) node: NodeId,
    pub(super) queue: QueueId,
    /// Monotonic per slot: identifies the current queue leg for stale events.
    pub(super) leg: u32,
    pub(super) leg_start: SimTime,
    pub(super) waiting: bool,
    /// A warm-transferring agent still on the line: (pool, agent, its service index).
    pub(super) warm: Option<(PoolId, u32, u32)>,
    /// The current talk is with an agent who received the call by warm transfer.
    pub(super) warm_talk: bool,
    /// Voice, chat or email (the caller type's).
    pub(super) channel: Channel,
    /// A callback promised to this call, or made.
    pub(super) cb: Callback,
    /// The estimated wait this call was told in the current leg (or with its
    /// callback offer), until the wait that followed is known.
    pub(super) ewt: Option<SimDuration>,
}

/// Where a call stands with a callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Callback {
    None,
    /// Accepted at `accepted`; `tries` dials made so far; `deferred`: it does not keep its place.
    Promised {
        accepted: SimTime,
        tries: u32,
        deferred: bool,
    },
    /// The agent reached the caller: the call goes on as if answered.
    Reached,
}

impl Call {
    /// Whether the caller holds on the line (not an email, not waiting for a
    /// promised callback): hold time, patience and service level apply.
    #[inline]
    pub(super) fn on_line(&self) -> bool {
        self.channel != Channel::Email && !matches!(self.cb, Callback::Promised { .. })
    }
}

/// Whether [`simulate`] runs `sc` without an event list when no observer
/// listens (one first-come-first-served queue, one pool on duty all day; see
/// `sim::fifo`). The figures are the same either way; only the speed differs.
pub fn takes_recursion(sc: &Scenario) -> bool {
    super::fifo::eligible(sc)
}

/// Runs one replication and returns what it counted.
pub fn simulate<O: Observer>(sc: &Scenario, replication: u32, observer: &mut O) -> RepStats {
    // A pool that does not work voice (`channel_priority` without it) is a
    // channel question too: the voice-only engine assumes every pool answers calls.
    // Availability's off-phone spells live in the channel engine only, so that
    // a file without them pays nothing for them.
    // So do shifts with breaks (`shifts:`): agents followed one by one.
    let voice_only = !sc.uses_channels()
        && !sc.uses_availability()
        && sc.pools.iter().all(|p| p.rota.is_empty())
        && sc.pools.iter().all(|p| p.channel_priority.contains(&Channel::Voice))
        // A run from a snapshot (`run --from`) is seeded on the channel engine.
        && sc.start.is_none();
    if !voice_only {
        let mut e = Engine::<O, Channels>::new(sc, replication, observer);
        e.run();
        e.stats
    } else {
        // Nobody listening and one first-come-first-served queue with its
        // agents all day: the recursion gives the same figures without the
        // event list (`fifo`), unless it meets a tie only the list can order.
        if !O::ENABLED && super::fifo::eligible(sc) {
            let mut e = Engine::<O, VoiceOnly>::new(sc, replication, observer);
            if e.run_fifo() {
                return e.stats;
            }
        }
        let mut e = Engine::<O, VoiceOnly>::new(sc, replication, observer);
        e.run();
        e.stats
    }
}

pub(super) struct Engine<'a, O: Observer, M: Mode> {
    pub(super) sc: &'a Scenario,
    pub(super) rep: u32,
    pub(super) now: SimTime,
    /// The end of the current day's opening hours (agent time counts before it).
    pub(super) horizon: SimTime,
    /// A day's opening hours in seconds (the arrival clock's end).
    pub(super) horizon_secs: f64,
    pub(super) events: EventQueue,
    pub(super) calls: Vec<Call>,
    pub(super) free: Vec<u32>,
    pub(super) queues: Vec<QueueState>,
    pub(super) pools: Vec<PoolState>,
    pub(super) arrivals: Vec<ArrivalState>,
    /// Priority level (index into a queue's FIFOs) of each caller type.
    pub(super) level_of: Vec<usize>,
    pub(super) stats: RepStats,
    /// Per caller type: the holds that were also times to answer, recorded
    /// once and added to `stats` when the run ends (`CallerStats::record_call_sharing`).
    pub(super) shared_holds: Vec<SharedHolds>,
    /// Every queue leg is a whole call's only leg, in the only queue (voice
    /// only, no transfer or misroute): the queue's waits are then exactly
    /// its callers' waits, so they are not recorded per leg but merged from
    /// the caller types' when the run ends (`record_queue_wait`).
    pub(super) queue_wait_derived: bool,
    pub(super) obs: &'a mut O,
    /// The engine's variant (`M::CHANNELS`: part 2's keys are in use, see `mode`).
    mode: PhantomData<M>,
    /// The day's opening hours are over: email and promised callbacks wait for the next day.
    pub(super) closed: bool,
    /// Some queue has callbacks that do not keep their place.
    pub(super) any_deferred: bool,
    /// Per queue and reason: the mean handle time the estimated wait uses (s).
    pub(super) ewt_handle: Vec<f64>,
    /// Some pool puts email down for a call (`email_interruptible`, email in use).
    pub(super) preempt: bool,
    /// Per call slot: the work left on an email put down for a call, while it
    /// waits to be taken up again (kept beside `calls`, which voice copies on
    /// every call, and grown only when an email is put down).
    pub(super) email_left: Vec<Option<SimDuration>>,
    /// Per call slot: a chat's talk time stretched by the chats already held,
    /// for observers only (the narration).
    pub(super) talked: Vec<SimDuration>,
    /// `sc.intervals.count()`, kept so that placing a call in its interval
    /// (every call) is one division, not two.
    pub(super) interval_count: usize,
    /// The last interval `interval_of` found, and the span of time in it
    /// (from, to, interval).
    pub(super) interval_span: (u64, u64, usize),
    /// Callers holding on the line (voice and chat), channel engine only:
    /// observers hear when it falls to zero (`Observer::queue_cleared`).
    pub(super) holding: u32,
    /// The day is being closed: callers left on hold are ended, not answered.
    pub(super) settled: bool,
    /// The logged calls of the day being replayed (empty unless `M::REPLAY`).
    pub(super) replay: super::replay::Feed<'a>,
}

impl<'a, O: Observer, M: Mode> Engine<'a, O, M> {
    pub(super) fn new(sc: &'a Scenario, rep: u32, obs: &'a mut O) -> Self {
        let mut priorities: Vec<i32> = sc.callers.iter().map(|c| c.priority).collect();
        priorities.sort_unstable_by(|a, b| b.cmp(a));
        priorities.dedup();
        let level_of =
            sc.callers.iter().map(|c| priorities.iter().position(|p| *p == c.priority).unwrap_or(0)).collect();
        let queues = sc
            .queues
            .iter()
            .map(|q| {
                let mut delays: Vec<SimDuration> =
                    q.pools.iter().map(|p| p.1).filter(|d| *d > SimDuration::ZERO).collect();
                delays.sort_unstable();
                delays.dedup();
                QueueState::new(priorities.len(), delays)
            })
            .collect();
        let pools = sc
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n = if p.rota.is_empty() { p.max_agents() } else { super::shifts::rota_agents(p) };
                // A snapshot may have more agents on duty than the plan.
                let n = sc.start.as_ref().and_then(|s| s.pools.get(i)).map_or(n, |d| n.max(d.on_shift));
                let serves = sc
                    .queues
                    .iter()
                    .enumerate()
                    .filter_map(|(qi, q)| {
                        q.pools.iter().find(|(pid, _)| pid.index() == i).map(|(_, after)| (QueueId(qi as u16), *after))
                    })
                    .collect();
                let used = |ch: Channel| sc.callers.iter().any(|c| c.channel == ch);
                let order: Vec<Channel> = p.channel_priority.iter().copied().filter(|c| used(*c)).collect();
                let mut works = [false; 3];
                for c in &p.channel_priority {
                    works[c.index()] = true;
                }
                // Channels ranked above email take an agent off an email.
                let mut interrupts = [false; 3];
                if p.email_interruptible && works[Channel::Email.index()] && used(Channel::Email) {
                    for c in p.channel_priority.iter().take_while(|c| **c != Channel::Email) {
                        interrupts[c.index()] = true;
                    }
                }
                PoolState {
                    order,
                    works,
                    chats: vec![0; n as usize],
                    k: p.chat_concurrency.min(255) as u8,
                    slowdown: p.concurrency_slowdown,
                    chats_held: 0,
                    chat_agents: 0,
                    chat_last: SimTime::ZERO,
                    reserve: p.email_reserve as usize,
                    interrupts,
                    epoch: vec![0; n as usize],
                    due: vec![SimTime::ZERO; n as usize],
                    agents: vec![Agent::Off; n as usize],
                    idle: VecDeque::with_capacity(n as usize),
                    off: (0..n).rev().collect(),
                    scheduled: 0,
                    leaving: 0,
                    busy: 0,
                    present: 0,
                    last_change: SimTime::ZERO,
                    iv: IntervalMark::start(0, sc.intervals.bounds(0).1.0, 0, 0),
                    serves,
                    away: if M::CHANNELS { super::away::Availability::new(p, n, sc.seed, rep) } else { None },
                    rota: if M::CHANNELS { super::shifts::Rota::new(p) } else { super::shifts::Rota::default() },
                }
            })
            .collect::<Vec<PoolState>>();
        let preempt = pools.iter().any(|p| p.interrupts.iter().any(|i| *i));
        let arrivals = sc.callers.iter().enumerate().map(|(t, _)| ArrivalState::new(sc, rep, t)).collect();
        Engine {
            sc,
            rep,
            now: SimTime::ZERO,
            horizon: SimTime::ZERO + sc.horizon,
            horizon_secs: sc.horizon.as_secs_f64(),
            events: EventQueue::default(),
            calls: Vec::new(),
            free: Vec::new(),
            queues,
            pools,
            arrivals,
            level_of,
            stats: RepStats::new(sc.callers.len(), sc.queues.len(), sc.pools.len(), sc.intervals.count(), M::CHANNELS)
                .with_days(sc.days),
            shared_holds: vec![SharedHolds::default(); sc.callers.len()],
            queue_wait_derived: !M::CHANNELS
                && sc.queues.len() == 1
                && sc.pools.iter().all(|p| p.transfer.iter().all(Option::is_none) && !p.misroute.contains(&true)),
            obs,
            mode: PhantomData,
            closed: false,
            any_deferred: sc.queues.iter().any(|q| q.callback.as_ref().is_some_and(|c| !c.keep_place)),
            ewt_handle: super::callbacks::ewt_handle_means(sc),
            preempt,
            email_left: Vec::new(),
            talked: Vec::new(),
            interval_count: sc.intervals.count(),
            interval_span: (0, 0, 0),
            holding: 0,
            settled: false,
            replay: super::replay::Feed::default(),
        }
    }

    pub(super) fn run(&mut self) {
        // From a snapshot, the steps before its moment are replaced by it.
        let t0 = if M::CHANNELS { self.seed_state() } else { SimTime::ZERO };
        for (i, p) in self.sc.pools.iter().enumerate() {
            if !p.rota.is_empty() {
                continue;
            }
            for (step, (from, _)) in p.shifts.iter().enumerate() {
                if *from < self.horizon && *from >= t0 {
                    self.events.schedule(*from, Event::Shift { pool: i as u16, step: step as u16 });
                }
            }
        }
        if M::CHANNELS {
            self.schedule_rota();
            let h = self.sc.horizon;
            for d in 0..self.sc.days {
                if d > 0 {
                    self.events.schedule(day_start(d), Event::DayStart { day: d });
                }
                self.events.schedule(day_start(d) + h, Event::DayEnd { day: d });
            }
        }
        if M::REPLAY {
            self.schedule_replayed();
        } else {
            for t in 0..self.sc.callers.len() {
                self.schedule_next_arrival(t);
            }
        }
        loop {
            while let Some((time, event)) = self.events.pop() {
                debug_assert!(time >= self.now, "time went backwards");
                self.now = time;
                match event {
                    Event::Arrival { caller } => self.on_arrival(caller as usize),
                    Event::MenuDone { slot } => self.on_menu_done(slot),
                    Event::Patience { slot, leg } => self.on_patience(slot, leg),
                    Event::Overflow { slot, leg } => self.on_overflow(slot, leg),
                    Event::TalkEnd { pool, agent } => self.on_talk_end(PoolId(pool), agent),
                    Event::WrapEnd { pool, agent } => self.agent_free(PoolId(pool), agent),
                    Event::Shift { pool, step } => self.on_shift(PoolId(pool), step as usize),
                    Event::Redial { slot } => self.on_redial(slot),
                    Event::ChatEnd { pool, agent, slot } => self.talk_done(PoolId(pool), agent, slot, Channel::Chat),
                    Event::ChatFree { pool, agent } => self.chat_free(PoolId(pool), agent),
                    Event::DialEnd { pool, agent } => self.on_dial_end(PoolId(pool), agent),
                    Event::CallbackRetry { slot } => self.on_callback_retry(slot),
                    Event::DayEnd { day } => self.on_day_end(day),
                    Event::DayStart { day } => self.on_day_start(day),
                    Event::EmailEnd { pool, agent, epoch } => self.on_email_end(PoolId(pool), agent, epoch),
                    Event::EmailWrapEnd { pool, agent, epoch } => self.on_email_wrap_end(PoolId(pool), agent, epoch),
                    Event::PhoneDue { pool, agent, epoch } => self.on_phone_due(PoolId(pool), agent, epoch),
                    Event::AwayEnd { pool, agent, epoch } => self.on_away_end(PoolId(pool), agent, epoch),
                    Event::RotaOn { pool, agent } => self.on_rota_on(PoolId(pool), agent),
                    Event::RotaOff { pool, agent } => self.on_rota_off(PoolId(pool), agent),
                    Event::BreakDue { pool, agent, k } => self.on_break_due(PoolId(pool), agent, k),
                    Event::BreakEnd { pool, agent } => self.on_break_end(PoolId(pool), agent),
                }
            }
            if !self.break_warm_deadlock() {
                break;
            }
        }
        self.close_day();
        self.fold_held_back();
    }

    /// Adds to the figures what was held back while the run went on (holds
    /// recorded once for two summaries; the queue's waits, merged from its callers').
    pub(super) fn fold_held_back(&mut self) {
        for (shared, stats) in self.shared_holds.iter_mut().zip(&mut self.stats.by_caller) {
            shared.fold_into(stats);
        }
        if self.queue_wait_derived {
            let wait = &mut self.stats.by_queue[0].wait;
            for c in &self.stats.by_caller {
                wait.merge(&c.wait);
            }
        }
    }

    /// Nothing is left to happen, yet agents hold warm transfers: every agent
    /// who could answer those callers is holding one (e.g. a pool warm-transferring
    /// into a queue only it serves). Waiting "until answered" would be forever,
    /// so the holds become cold: the agents leave the line and the day goes on.
    /// Returns whether any agent was released.
    fn break_warm_deadlock(&mut self) -> bool {
        let mut released = false;
        for slot in 0..self.calls.len() as u32 {
            if self.calls[slot as usize].waiting && self.calls[slot as usize].warm.is_some() {
                self.release_warm(slot);
                released = true;
            }
        }
        released
    }

    /// Callers still waiting when nothing else can happen (no agent will ever
    /// come and they never hang up) end as abandoned at the last event.
    fn close_day(&mut self) {
        self.settled = true;
        for slot in 0..self.calls.len() as u32 {
            if M::CHANNELS && self.still_open(slot) {
                self.end_open(slot);
                continue;
            }
            if self.calls[slot as usize].waiting {
                let hold = self.leave_queue(slot);
                let q = self.calls[slot as usize].queue;
                self.stats.by_queue[q.index()].abandoned += 1;
                self.record_queue_wait(q, hold);
                self.trace(slot, Step::HungUp { queue: q, hold, day_closed: true });
                debug_assert!(self.calls[slot as usize].warm.is_none(), "warm holds were released before closing");
                self.end_call(slot, Outcome::AbandonedQueue, false);
            }
        }
        // Agents are on duty until the horizon even when the last call ended
        // earlier: staffed time (and so occupancy and agents on duty) runs to it.
        if self.now < self.horizon {
            self.now = self.horizon;
        }
        for p in 0..self.pools.len() {
            self.account(PoolId(p as u16));
        }
        self.set_spans();
    }

    /// The clock time each agent-time integral covers: agents on duty = staffed / span.
    pub(super) fn set_spans(&mut self) {
        let day = &self.sc.intervals;
        let days = u128::from(self.sc.days);
        for p in 0..self.pools.len() {
            self.stats.by_pool[p].span = u128::from(self.sc.horizon.0) * days;
            for k in 0..day.count() {
                let (from, to) = day.bounds(k);
                self.stats.pool_interval_mut(k, p).span = u128::from(to.since(from).0) * days;
            }
        }
    }

    /// Records a queue leg's hold in queue `q`'s waits, unless those are
    /// merged from the callers' waits when the run ends (`queue_wait_derived`).
    #[inline]
    pub(super) fn record_queue_wait(&mut self, q: QueueId, hold: SimDuration) {
        if !self.queue_wait_derived {
            self.stats.by_queue[q.index()].wait.record(hold);
        }
    }

    /// The reporting interval a moment belongs to: its time of day on a chain
    /// of days (intervals pool the same half-hour of every day), else its time.
    // Called per call, with dial times that rarely leave the last interval
    // found: two compares against the remembered span instead of divisions.
    #[inline]
    pub(super) fn interval_of(&mut self, t: SimTime) -> usize {
        let (lo, hi, k) = self.interval_span;
        if lo <= t.0 && t.0 < hi {
            return k;
        }
        self.interval_of_slow(t)
    }

    /// [`interval_of`](Self::interval_of) by division; remembers the span of
    /// absolute time that falls in the same interval.
    #[cold]
    fn interval_of_slow(&mut self, t: SimTime) -> usize {
        let day = super::arrivals::DAY.0;
        let base = if self.sc.days > 1 { t.0 - t.0 % day } else { 0 };
        let len = self.sc.intervals.length.0.max(1);
        let k = ((t.0 - base) / len).min(self.interval_count as u64 - 1);
        let lo = base + k * len;
        let hi = if k + 1 < self.interval_count as u64 {
            base.saturating_add((k + 1).saturating_mul(len))
        } else if self.sc.days > 1 {
            base.saturating_add(day)
        } else {
            u64::MAX
        };
        self.interval_span = (lo, hi, k as usize);
        k as usize
    }

    // Inlined so the new call is written straight into its slot, not built on
    // the stack and copied (a call is a few hundred bytes).
    #[inline(always)]
    pub(super) fn alloc(&mut self, call: Call) -> u32 {
        match self.free.pop() {
            Some(slot) => {
                let leg = self.calls[slot as usize].leg;
                self.calls[slot as usize] = Call { leg, ..call };
                slot
            }
            None => {
                self.calls.push(call);
                (self.calls.len() - 1) as u32
            }
        }
    }

    pub(super) fn tag(&self, slot: u32) -> CallTag {
        let c = &self.calls[slot as usize];
        CallTag { replication: self.rep, caller: c.caller, journey: c.journey, call_no: c.call_no, reason: c.reason }
    }

    #[inline]
    pub(super) fn trace(&mut self, slot: u32, step: Step) {
        if O::ENABLED {
            let tag = self.tag(slot);
            self.obs.step(self.now, tag, step);
        }
    }

    /// Per-call draws made at dial time, then off to the entry point.
    pub(super) fn start_call(&mut self, slot: u32) {
        let sc = self.sc;
        let c = &mut self.calls[slot as usize];
        let ct = &sc.callers[c.caller.index()];
        c.patience = match &ct.patience {
            Some(d) => caller_draw(d, c.key, Purpose::Patience, c.call_no, 0),
            None => SimDuration::INFINITE,
        };
        // Only a call that starts in the menu can hang up in it (transfers go to
        // queues): a caller who dials a queue directly pays nothing for the draw.
        // Its own stream makes the value the same whenever it is drawn.
        c.menu_patience = match (&ct.menu_patience, ct.entry) {
            (Some(d), Target::Node(_)) => caller_draw(d, c.key, Purpose::MenuPatience, c.call_no, 0),
            _ => SimDuration::INFINITE,
        };
        let entry = ct.entry;
        // Only a call that starts in the menu draws menu choices.
        if let Target::Node(_) = entry {
            c.menu_rng = CallerStream::for_purpose(c.key, Purpose::Menu, c.call_no, 0);
        }
        if M::REPLAY {
            // What the log saw of this caller's patience replaces the draw.
            self.replayed_patience(slot);
        }
        self.trace(slot, Step::Dialed);
        self.go(slot, entry);
    }

    fn go(&mut self, slot: u32, target: Target) {
        match target {
            Target::Node(n) => self.enter_node(slot, n),
            Target::Queue(q) => self.offer(slot, q),
        }
    }

    // ----- menu -----------------------------------------------------------

    fn enter_node(&mut self, slot: u32, mut node: NodeId) {
        // Nodes left at once (zero-length prompts, a key heard at 0 s) are
        // processed in a loop (no recursion).
        loop {
            let sc = self.sc;
            let c = &mut self.calls[slot as usize];
            if c.menu_steps >= sc.max_menu_steps {
                self.trace(slot, Step::WanderedOff);
                self.end_call(slot, Outcome::AbandonedMenu, true);
                return;
            }
            c.menu_steps += 1;
            c.node = node;
            let n = &sc.nodes[node.index()];
            let v = menu::visit(n, c.caller, c.reason, &mut c.menu_rng);
            let v = menu::with_patience(v, n, c.reason, &mut c.menu_counted, c.menu_patience);
            c.menu_time += v.spent;
            c.visit = v;
            self.trace(slot, Step::Heard { node, listen: v.listen });
            if v.spent > SimDuration::ZERO {
                self.events.schedule(self.now + v.spent, Event::MenuDone { slot });
                return;
            }
            match self.leave_node(slot) {
                Some(Target::Node(next)) => node = next,
                Some(Target::Queue(q)) => return self.offer(slot, q),
                None => return,
            }
        }
    }

    fn on_menu_done(&mut self, slot: u32) {
        if let Some(t) = self.leave_node(slot) {
            self.go(slot, t);
        }
    }

    /// The caller leaves the current node as decided when they started
    /// listening: where they go next, or `None` when the call has ended.
    fn leave_node(&mut self, slot: u32) -> Option<Target> {
        let sc = self.sc;
        let c = &self.calls[slot as usize];
        let (node_id, v) = (c.node, c.visit);
        let node = &sc.nodes[node_id.index()];
        match v.exit {
            Exit::SelfServed => {
                self.trace(slot, Step::SelfServed { node: node_id });
                self.end_call(slot, Outcome::Resolved, true);
                None
            }
            Exit::Press { option, misdial } => {
                let early = v.spent < v.listen;
                self.trace(slot, Step::Pressed { node: node_id, option, misdial, after: v.spent, early });
                Some(node.options[option as usize].to)
            }
            Exit::Then(t) => {
                self.trace(slot, Step::Continued { node: node_id });
                Some(t)
            }
            Exit::NoKey(to) => {
                self.trace(slot, Step::NoKey { node: node_id, after: v.spent, to });
                if to.is_none() {
                    self.end_call(slot, Outcome::AbandonedMenu, true);
                }
                to
            }
            Exit::End => {
                self.end_call(slot, Outcome::Unresolved, true);
                None
            }
            Exit::HungUp => {
                let menu_time = self.calls[slot as usize].menu_time;
                self.trace(slot, Step::HungUpInMenu { node: node_id, after: v.spent, menu_time });
                self.end_call(slot, Outcome::AbandonedMenu, true);
                None
            }
        }
    }

    // ----- agents ---------------------------------------------------------

    /// Integrates busy and staffed agent time up to now (opening hours only),
    /// for the day and split at interval boundaries for each interval.
    // Inlined (called on every answer and every agent freed): the common case
    // is one compare; passing an interval's end goes to `account_across`.
    #[inline]
    pub(super) fn account(&mut self, pool: PoolId) {
        let p = &mut self.pools[pool.index()];
        let upto = self.now.min(self.horizon).0;
        let from = p.last_change.min(self.horizon).0;
        p.last_change = self.now;
        if upto <= from {
            return;
        }
        if upto >= p.iv.end {
            return self.account_across(pool, from, upto);
        }
        let (busy, present) = (u128::from(p.busy), u128::from(p.present));
        let d = u128::from(upto - from);
        let s = &mut self.stats.by_pool[pool.index()];
        s.busy += d * busy;
        s.staffed += d * present;
    }

    /// [`account`](Self::account) from `from` to `upto` (ticks) when the
    /// current interval's end may be passed: the interval's agent time is the
    /// difference of the running totals, written when its end is passed.
    #[cold]
    #[inline(never)]
    fn account_across(&mut self, pool: PoolId, from: u64, upto: u64) {
        let p = &mut self.pools[pool.index()];
        let (busy, present) = (u128::from(p.busy), u128::from(p.present));
        let mut t = from;
        while upto >= p.iv.end && p.iv.end > t {
            let d = u128::from(p.iv.end - t);
            let s = &mut self.stats.by_pool[pool.index()];
            s.busy += d * busy;
            s.staffed += d * present;
            t = p.iv.end;
            let (k, b, st) = (p.iv.k, s.busy - p.iv.busy0, s.staffed - p.iv.staffed0);
            p.iv = IntervalMark { k: k + 1, end: u64::MAX, busy0: s.busy, staffed0: s.staffed };
            if k + 1 < self.interval_count {
                let day_start = self.horizon.0 - self.sc.horizon.0;
                p.iv.end = day_start + self.sc.intervals.bounds(k + 1).1.0;
            }
            let iv = self.stats.pool_interval_mut(k, pool.index());
            iv.busy += b;
            iv.staffed += st;
        }
        let d = u128::from(upto - t);
        let s = &mut self.stats.by_pool[pool.index()];
        s.busy += d * busy;
        s.staffed += d * present;
    }

    /// A new day's intervals start (chained days): agent time from here counts
    /// in the day's first interval.
    pub(super) fn restart_intervals(&mut self, day_start: SimTime) {
        let first_end = self.sc.intervals.bounds(0).1.0;
        for (i, p) in self.pools.iter_mut().enumerate() {
            let s = &self.stats.by_pool[i];
            p.iv = IntervalMark::start(day_start.0, first_end, s.busy, s.staffed);
        }
    }

    pub(super) fn answer(&mut self, slot: u32, pool: PoolId, agent: u32) {
        if M::CHANNELS {
            if matches!(self.calls[slot as usize].cb, Callback::Promised { .. }) {
                return self.dial_back(slot, pool, agent);
            }
            if self.calls[slot as usize].channel == Channel::Email {
                return self.work_email(slot, pool, agent);
            }
        }
        let sc = self.sc;
        let was_waiting = self.calls[slot as usize].waiting;
        let leg_hold = if was_waiting { self.leave_queue(slot) } else { SimDuration::ZERO };
        if M::CHANNELS {
            self.on_answered(slot, leg_hold);
        }
        let now = self.now;
        let c = &mut self.calls[slot as usize];
        let q = c.queue;
        let on_line = !M::CHANNELS || (c.on_line() && c.cb == Callback::None);
        let qs = &mut self.stats.by_queue[q.index()];
        qs.answered += 1;
        if on_line {
            if leg_hold <= sc.service_level {
                qs.answered_within += 1;
            }
            if !self.queue_wait_derived {
                qs.wait.record(leg_hold);
            }
        }
        if c.answered_at.is_none() {
            c.answered_at = Some(now);
            c.first_hold = Some(c.hold);
        }
        let service = c.services;
        c.services += 1;
        // A call received by warm transfer: the first agent is still on the line.
        let warm = c.warm.is_some();
        c.warm_talk = warm;
        let p = &sc.pools[pool.index()];
        let handle = if warm { &p.warm_handle } else { &p.handle };
        let talk = match M::REPLAY {
            true => self.replayed_talk(slot, service),
            false => None,
        };
        let c = &self.calls[slot as usize];
        let talk =
            talk.unwrap_or_else(|| caller_draw(&handle[c.reason.index()], c.key, Purpose::Handle, c.call_no, service));
        self.account(pool);
        if M::CHANNELS && self.calls[slot as usize].channel == Channel::Chat {
            return self.seat_chat(slot, pool, agent, talk, leg_hold);
        }
        let p = &mut self.pools[pool.index()];
        debug_assert_eq!(p.agents[agent as usize], Agent::Idle, "agent taking a second call");
        p.agents[agent as usize] = Agent::Talking(slot);
        p.busy += 1;
        if O::ENABLED {
            let (busy, present) = (p.busy, p.present);
            self.obs.agents(now, pool, busy, present);
        }
        self.trace(slot, Step::Answered { queue: q, pool, agent, hold: leg_hold, warm });
        self.release_warm(slot);
        self.events.schedule(now + talk, Event::TalkEnd { pool: pool.0, agent });
    }

    /// The work of conversation `service` of `slot`'s call with an agent of
    /// `pool`: the log's (replay), else the counter-based handle draw, the
    /// same whenever it is asked (an email's when started and when done).
    pub(super) fn work_of(&self, slot: u32, pool: PoolId, service: u32) -> SimDuration {
        let logged = if M::REPLAY { self.replayed_talk(slot, service) } else { None };
        logged.unwrap_or_else(|| {
            let (c, p) = (&self.calls[slot as usize], &self.sc.pools[pool.index()]);
            let handle = if c.warm_talk { &p.warm_handle } else { &p.handle };
            caller_draw(&handle[c.reason.index()], c.key, Purpose::Handle, c.call_no, service)
        })
    }

    fn on_talk_end(&mut self, pool: PoolId, agent: u32) {
        let Agent::Talking(slot) = self.pools[pool.index()].agents[agent as usize] else {
            debug_assert!(false, "talk ended for an agent who was not talking");
            return;
        };
        self.talk_done(pool, agent, slot, Channel::Voice);
    }

    /// An agent finished talking to `slot` (a call, an email, or one of their
    /// chats): resolved, transferred or unresolved, then wrap-up.
    pub(super) fn talk_done(&mut self, pool: PoolId, agent: u32, slot: u32, work: Channel) {
        let sc = self.sc;
        self.stats.by_pool[pool.index()].calls_handled += 1;
        let p = &sc.pools[pool.index()];
        let c = &self.calls[slot as usize];
        let service = c.services - 1;
        let (key, call_no, reason) = (c.key, c.call_no, c.reason.index());
        // A share of 1 or 0 decides without a draw (a uniform is in [0, 1)),
        // as a constant wrap-up does: the streams are per purpose, so the
        // draws skipped change no other.
        let resolved = match p.resolves[reason] {
            r if r >= 1.0 => true,
            r if r <= 0.0 => false,
            r => CallerStream::for_purpose(key, Purpose::Resolve, call_no, service).unit() < r,
        };
        let wrap = caller_draw(&p.wrap_up, key, Purpose::WrapUp, call_no, service);
        if O::ENABLED {
            // This service's work: the same as `answer` found (the call's
            // first answer time would include earlier legs); a chat's talk
            // is that work stretched by the agent's other chats.
            let drawn = self.work_of(slot, pool, service);
            let talk = if work == Channel::Chat { self.talked[slot as usize] } else { drawn };
            self.trace(slot, Step::Talked { pool, talk, work: drawn, resolved });
        }
        if resolved {
            self.end_call(slot, Outcome::Resolved, true);
            return self.release(pool, agent, wrap, work);
        }
        // A misrouted caller (a pool without `resolves`, a reason not routed to
        // it) is sent on, cold, to the queue the menu means for the reason,
        // unless the pool's `transfer` names one.
        let (to, cold) = match p.transfer[reason] {
            Some(q) => (Some(q), false),
            None if p.misroute[reason] => {
                (sc.callers[self.calls[slot as usize].caller.index()].meant_queue[reason], true)
            }
            None => (None, false),
        };
        let Some(to) = to else {
            self.end_call(slot, Outcome::Unresolved, true);
            return self.release(pool, agent, wrap, work);
        };
        if self.calls[slot as usize].transfers >= sc.max_transfers {
            self.end_call(slot, Outcome::Unresolved, true);
            return self.release(pool, agent, wrap, work);
        }
        self.calls[slot as usize].transfers += 1;
        let warm = !cold && work == Channel::Voice && p.warm_transfer && self.someone_else_can_answer(to, pool, agent);
        self.trace(slot, Step::Transferred { to, warm });
        if warm {
            self.pools[pool.index()].agents[agent as usize] = Agent::Holding(slot);
            self.calls[slot as usize].warm = Some((pool, agent, service));
            self.offer(slot, to);
        } else {
            self.offer(slot, to);
            self.release(pool, agent, wrap, work);
        }
    }

    /// After a talk (`work`: what the agent was doing: a call, a chat, an email).
    fn release(&mut self, pool: PoolId, agent: u32, wrap: SimDuration, work: Channel) {
        match work {
            Channel::Voice => self.release_agent(pool, agent, wrap),
            Channel::Chat => self.release_chat(pool, agent, wrap),
            Channel::Email => self.release_email(pool, agent, wrap),
        }
    }

    /// Whether an agent other than `me` who is not holding a warm transfer
    /// (idle, talking or in wrap-up) could answer queue `q`. If not, staying on
    /// the line would wait on nobody: the transfer is made cold instead.
    fn someone_else_can_answer(&self, q: QueueId, my_pool: PoolId, me: u32) -> bool {
        self.sc.queues[q.index()].pools.iter().any(|(p, _)| {
            self.pools[p.index()].agents.iter().enumerate().any(|(i, a)| {
                !(*p == my_pool && i as u32 == me)
                    && matches!(
                        a,
                        Agent::Idle
                            | Agent::Talking(_)
                            | Agent::WrapUp
                            | Agent::Chat
                            | Agent::Dialing(_)
                            | Agent::Email(_)
                            | Agent::EmailWrap
                            | Agent::Away
                            | Agent::Break
                    )
            })
        })
    }

    /// A warm-transferring agent leaves the line (the caller was answered, hung
    /// up or got a busy signal) and starts wrap-up.
    // Inlined (every answer asks): the check, with the release out of line.
    #[inline]
    pub(super) fn release_warm(&mut self, slot: u32) {
        if self.calls[slot as usize].warm.is_some() {
            self.release_warm_agent(slot);
        }
    }

    #[inline(never)]
    fn release_warm_agent(&mut self, slot: u32) {
        if let Some((pool, agent, service)) = self.calls[slot as usize].warm.take() {
            let c = &self.calls[slot as usize];
            let wrap = caller_draw(&self.sc.pools[pool.index()].wrap_up, c.key, Purpose::WrapUp, c.call_no, service);
            self.release_agent(pool, agent, wrap);
        }
    }

    pub(super) fn release_agent(&mut self, pool: PoolId, agent: u32, wrap: SimDuration) {
        if wrap > SimDuration::ZERO {
            self.pools[pool.index()].agents[agent as usize] = Agent::WrapUp;
            self.events.schedule(self.now + wrap, Event::WrapEnd { pool: pool.0, agent });
        } else {
            self.agent_free(pool, agent);
        }
    }

    /// An agent is done with a call: goes home if their shift is over, else
    /// takes the best eligible waiting call, else waits idle.
    pub(super) fn agent_free(&mut self, pool: PoolId, agent: u32) {
        self.account(pool);
        let p = &mut self.pools[pool.index()];
        if p.agents[agent as usize] != Agent::Off && p.agents[agent as usize] != Agent::Idle {
            p.busy -= 1;
            if O::ENABLED {
                let (busy, present) = (p.busy, p.present);
                self.obs.agent_freed(self.now, pool, agent);
                self.obs.agents(self.now, pool, busy, present);
            }
        }
        let p = &mut self.pools[pool.index()];
        if p.leaving > 0 {
            p.leaving -= 1;
            p.present -= 1;
            p.agents[agent as usize] = Agent::Off;
            p.off.push(agent);
            return;
        }
        if M::CHANNELS && !p.rota.pending.is_empty() && self.rota_owed(pool, agent) {
            return;
        }
        if M::CHANNELS && self.stretch_over(pool, agent) {
            return self.go_away(pool, agent);
        }
        let p = &mut self.pools[pool.index()];
        p.agents[agent as usize] = Agent::Idle;
        match self.best_waiting(pool) {
            Some(slot) => {
                self.answer(slot, pool, agent);
                if M::CHANNELS && self.pools[pool.index()].k > 1 {
                    self.fill_chats(pool, agent);
                }
            }
            None => self.pools[pool.index()].idle.push_back(agent),
        }
    }

    fn on_shift(&mut self, pool: PoolId, step: usize) {
        let target = self.sc.pools[pool.index()].shifts[step].1;
        self.staff_to(pool, target);
    }

    /// Brings the pool's scheduled agents to `target`: new agents start at
    /// once, agents going home leave idle ones first, busy ones as they finish.
    pub(super) fn staff_to(&mut self, pool: PoolId, target: u32) {
        self.account(pool);
        let p = &mut self.pools[pool.index()];
        if target >= p.scheduled {
            let mut add = target - p.scheduled;
            let keep = add.min(p.leaving);
            p.leaving -= keep;
            add -= keep;
            p.scheduled = target;
            for _ in 0..add {
                let Some(agent) = self.pools[pool.index()].off.pop() else { break };
                let p = &mut self.pools[pool.index()];
                p.present += 1;
                p.agents[agent as usize] = Agent::Idle;
                if M::CHANNELS {
                    self.start_stretch(pool, agent);
                }
                // Counted busy by agent_free's bookkeeping only if not idle/off.
                self.agent_free(pool, agent);
            }
        } else {
            let mut remove = p.scheduled - target;
            p.scheduled = target;
            while remove > 0 {
                let Some(agent) = p.idle.pop_back() else { break };
                p.agents[agent as usize] = Agent::Off;
                p.off.push(agent);
                p.present -= 1;
                remove -= 1;
            }
            if M::CHANNELS && remove > 0 {
                remove -= self.send_away_home(pool, remove);
            }
            self.pools[pool.index()].leaving += remove;
        }
        if O::ENABLED {
            let p = &self.pools[pool.index()];
            let (busy, present) = (p.busy, p.present);
            self.obs.agents(self.now, pool, busy, present);
        }
    }

    // ----- endings and redials -------------------------------------------

    /// Records a finished call, then either schedules a redial or ends the journey.
    pub(super) fn end_call(&mut self, slot: u32, outcome: Outcome, may_redial: bool) {
        let sc = self.sc;
        let now = self.now;
        let c = &self.calls[slot as usize];
        debug_assert!(!c.waiting, "a call ended while still on hold");
        let ct = &sc.callers[c.caller.index()];
        let record = CallRecord {
            outcome,
            menu_time: c.menu_time,
            hold: c.reached_queue.then_some(c.hold),
            first_hold: c.first_hold,
            time_to_answer: c.answered_at.map(|a| a.since(c.dial)),
            transfers: c.transfers,
            answered_apart: false,
        };
        // Voice only: no email or callback to set apart (and `cb` stays None).
        let record = if M::CHANNELS { self.channel_record(slot, record) } else { record };
        let (dial, caller) = (c.dial, c.caller.index());
        self.record_ended(caller, dial, &record);
        if M::CHANNELS {
            self.calls[slot as usize].cb = Callback::None;
        }
        let c = &self.calls[slot as usize];
        let (hold, reached_queue) = (c.hold, c.reached_queue);
        self.trace(slot, Step::Ended { outcome, hold, reached_queue });
        let c = &self.calls[slot as usize];
        if outcome != Outcome::Resolved && may_redial {
            if let Some(r) = &ct.redial {
                if c.call_no < r.max {
                    let mut rng = CallerStream::for_purpose(c.key, Purpose::Redial, c.call_no, 0);
                    if rng.unit() < r.chance {
                        let after = r.after.sample(&mut rng);
                        self.trace(slot, Step::WillRedial { after });
                        self.events.schedule(now + after, Event::Redial { slot });
                        return;
                    }
                }
            }
        }
        let resolved_after = (outcome == Outcome::Resolved).then(|| now.since(c.journey_start));
        let calls_made = c.call_no + 1;
        self.stats.by_caller[c.caller.index()].record_journey(resolved_after, calls_made);
        if outcome != Outcome::Resolved {
            self.trace(slot, Step::GaveUp);
        }
        self.free.push(slot);
    }

    /// Counts a finished call of caller type `caller` dialed at `dial`: in
    /// its type's figures, its interval's and its day's.
    #[inline(always)]
    pub(super) fn record_ended(&mut self, caller: usize, dial: SimTime, record: &CallRecord) {
        let sl = self.sc.service_level;
        self.stats.by_caller[caller].record_call_sharing(record, sl, &mut self.shared_holds[caller]);
        // A call belongs to the interval it was dialed in (the WFM "offered" convention).
        let k = self.interval_of(dial);
        self.stats.record_interval(k, caller, record, sl);
        if self.sc.days > 1 {
            let day = (dial.0 / super::arrivals::DAY.0) as usize;
            self.stats.record_day(day, caller, record, sl);
        }
    }

    fn on_redial(&mut self, slot: u32) {
        let now = self.now;
        let c = &mut self.calls[slot as usize];
        c.call_no += 1;
        c.dial = now;
        c.hold = SimDuration::ZERO;
        c.menu_time = SimDuration::ZERO;
        c.first_hold = None;
        c.answered_at = None;
        c.reached_queue = false;
        c.transfers = 0;
        c.services = 0;
        c.menu_steps = 0;
        c.menu_counted = SimDuration::ZERO;
        c.warm = None;
        c.warm_talk = false;
        c.cb = Callback::None;
        c.ewt = None;
        self.start_call(slot);
    }
}
