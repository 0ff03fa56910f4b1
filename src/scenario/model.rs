//! The checked scenario: names resolved to typed ids, defaults applied,
//! everything the engine needs precomputed. Built only by `load`.

use crate::scenario::dist::Dist;
use crate::time::{SimDuration, SimTime};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u16);

        impl $name {
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// A reason for calling (`billing`, `tech`, ...), index into `Scenario::reasons`.
    ReasonId
);
id_type!(
    /// A caller type (persona), index into `Scenario::callers`.
    CallerTypeId
);
id_type!(
    /// A menu node, index into `Scenario::nodes`.
    NodeId
);
id_type!(
    /// A queue, index into `Scenario::queues`.
    QueueId
);
id_type!(
    /// An agent pool, index into `Scenario::pools`.
    PoolId
);

/// Where `to`, `then`, `entry` and `start` lead: a menu node or a queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Node(NodeId),
    Queue(QueueId),
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub seed: u64,
    pub replications: u32,
    /// Calls arrive during `[0, horizon)`.
    pub horizon: SimDuration,
    /// "Answered within" threshold.
    pub service_level: SimDuration,
    /// The reporting intervals of a day (`interval`, `opens`).
    pub intervals: crate::scenario::Intervals,
    pub max_menu_steps: u32,
    pub max_transfers: u32,
    pub reasons: Vec<String>,
    pub callers: Vec<CallerType>,
    pub nodes: Vec<Node>,
    pub queues: Vec<Queue>,
    pub pools: Vec<Pool>,
    /// Consecutive days per replication (`days`, default 1); see docs/channels.md.
    pub days: u32,
    /// The top-level `volume_spread` (coefficient of variation of one day factor
    /// shared by the caller types without their own; 0: none).
    pub volume_spread: f64,
    /// Where each replication starts (`run --from STATE.json`); `None`: an
    /// empty center at time 0.
    pub start: Option<std::sync::Arc<crate::scenario::start::Start>>,
}

#[derive(Clone, Debug)]
pub struct CallerType {
    pub name: String,
    /// Stable hash of the name: keys this type's random streams.
    pub key: u64,
    pub arrivals: ArrivalProfile,
    /// Reasons with their cumulative share, for one-uniform sampling.
    pub reasons: Vec<(ReasonId, f64)>,
    pub patience: Option<Dist>,
    /// Time in the menu before hanging up, drawn once per call; `None`: never.
    pub menu_patience: Option<Dist>,
    pub accuracy: f64,
    pub redial: Option<Redial>,
    pub priority: i32,
    pub entry: Target,
    /// Voice, chat or email (`channel`, default voice).
    pub channel: Channel,
    /// Email: the response time the center promises (`response_target`, default 24h).
    pub response_target: SimDuration,
    /// Chance to accept a callback when offered; `None`: the queue's `accept`.
    pub callback_accept: Option<f64>,
    /// By reason: the queue this caller's intended path reaches (the keys meant
    /// for the reason from `entry`), where a misrouted call is transferred.
    pub meant_queue: Vec<Option<QueueId>>,
    /// This type's own `volume_spread` (coefficient of variation of its day
    /// factor); `None`: the scenario's shared one.
    pub volume_spread: Option<f64>,
}

impl CallerType {
    /// Picks the reason for a uniform draw `u` in [0, 1).
    pub fn reason_for(&self, u: f64) -> ReasonId {
        self.reasons.iter().find(|(_, cum)| u < *cum).or(self.reasons.last()).map_or(ReasonId(0), |(r, _)| *r)
    }

    /// Each reason with its own share of this type's calls (the cumulative
    /// shares of `reasons`, differenced).
    pub fn reason_shares(&self) -> Vec<(ReasonId, f64)> {
        let mut prev = 0.0;
        self.reasons
            .iter()
            .map(|&(r, cum)| {
                let share = cum - prev;
                prev = cum;
                (r, share)
            })
            .collect()
    }
}

/// Piecewise-constant arrival rate: `(from, calls per second)`, sorted by `from`.
#[derive(Clone, Debug)]
pub struct ArrivalProfile {
    pub steps: Vec<(SimTime, f64)>,
}

impl ArrivalProfile {
    /// Expected number of arrivals in `[0, horizon)`.
    pub fn expected_calls(&self, horizon: SimDuration) -> f64 {
        let end = horizon.as_secs_f64();
        self.steps
            .iter()
            .enumerate()
            .map(|(i, (from, rate))| {
                let a = from.as_secs_f64().min(end);
                let b = self.steps.get(i + 1).map_or(end, |(t, _)| t.as_secs_f64().min(end));
                rate * (b - a).max(0.0)
            })
            .sum()
    }
}

#[derive(Clone, Debug)]
pub struct Redial {
    pub chance: f64,
    pub after: Dist,
    /// Redials per journey at most.
    pub max: u32,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub name: String,
    pub prompt: Option<String>,
    /// Listening time: `duration`, else the prompt's words at `speech_rate`.
    pub listen: Dist,
    /// Self-service: chance that hearing this node solves the call, by reason.
    pub resolves: Option<Vec<f64>>,
    pub options: Vec<MenuOption>,
    /// Per reason (by index): how a caller with that reason chooses an option.
    pub choices: Vec<Choice>,
    pub then: Option<Target>,
    /// Callers may press before the prompt ends.
    pub barge_in: bool,
    /// Per caller type (by index): the chance of the right key here, from the
    /// caller's `accuracy` and this menu's load, or the node's own `accuracy`.
    pub right: Vec<f64>,
    /// The node's own `accuracy` was given: the plain model (part 1) holds here.
    pub fixed_accuracy: bool,
    /// How hard this menu is to choose from (1 = the reference menu); see `menu_model`.
    pub load: f64,
    /// Times the prompt repeats when no key is pressed.
    pub repeat: u32,
    /// Where a caller who pressed no key goes after the repeats; `None`: the IVR hangs up.
    pub no_input: Option<Target>,
}

impl Node {
    /// Whether time at this node counts against menu patience for a reason:
    /// not while self-service is serving it.
    #[inline]
    pub fn tries_patience(&self, reason: ReasonId) -> bool {
        self.resolves.as_ref().is_none_or(|r| r[reason.index()] <= 0.0)
    }
}

#[derive(Clone, Debug)]
pub struct MenuOption {
    pub key: String,
    pub label: Option<String>,
    pub for_reasons: Vec<ReasonId>,
    pub to: Target,
    /// When a caller has heard this option, from the prompt's start.
    pub heard: Heard,
}

/// When an option has been heard: at a fixed offset (`at:`), or at a share of
/// the prompt's drawn length (the end of the sentence naming its key; 1 when
/// the prompt never names it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Heard {
    At(SimDuration),
    Share(f64),
}

impl Heard {
    /// The listening time before the caller can press this key, given the
    /// prompt's drawn length.
    #[inline]
    pub fn within(self, listen: SimDuration) -> SimDuration {
        match self {
            Heard::At(at) => at.min(listen),
            Heard::Share(s) if s >= 1.0 => listen,
            Heard::Share(s) => SimDuration::from_secs_f64(listen.as_secs_f64() * s),
        }
    }
}

/// How a caller with a given reason picks an option at a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Choice {
    /// Options meant for the reason (chosen with `accuracy`) and the others
    /// (a misdial picks one of them uniformly).
    Meant { meant: Vec<u8>, others: Vec<u8> },
    /// No option is meant for the reason: the zero-out option.
    Operator(u8),
    /// No option is meant for it and there is no operator: any option (the
    /// plain model, at a node with its own `accuracy`).
    Any,
    /// No option is meant for it and there is no operator: the caller presses
    /// no key, hears the prompt `repeat` more times, and goes to `no_input`.
    NoKey,
}

#[derive(Clone, Debug)]
pub struct Queue {
    pub name: String,
    /// Pools in the order the queue tries them, each eligible after `after` on hold.
    pub pools: Vec<(PoolId, SimDuration)>,
    pub capacity: Option<u32>,
    /// Virtual hold: offer a callback when the estimated wait is long.
    pub callback: Option<Callback>,
    /// Tell callers who must wait the estimated wait (`announce_ewt`).
    pub announce_ewt: bool,
}

#[derive(Clone, Debug)]
pub struct Pool {
    pub name: String,
    /// The engine's timeline of head counts: `(from, agents)` sorted by
    /// `from`; before the first step there are none. A fractional step of the
    /// file is lowered here into whole agents (see [`Pool::steps`]).
    pub shifts: Vec<(SimTime, u32)>,
    /// The file's own steps, `(from, agents)`, agents possibly fractional
    /// (`5.6`): the lowering into `shifts` puts the sixth agent on duty for
    /// the first 60% of each reporting interval of the step.
    pub steps: Vec<(SimTime, f64)>,
    /// The file's `shifts:` (instead of `agents:`): the engine follows each
    /// agent through their shift and breaks; empty for a pool given by head
    /// counts (then `shifts` above drives the engine).
    pub rota: Vec<crate::scenario::rota::RotaShift>,
    /// Share of on-duty time an agent takes calls (`availability`, default 1).
    pub availability: f64,
    /// Mean length of one off-phone spell (`off_phone_spell`, with `availability` below 1).
    pub off_phone_spell: SimDuration,
    pub handle: Vec<Dist>,
    pub wrap_up: Dist,
    /// Chance an agent solves a call, by reason: `resolves`, or for a pool
    /// without it 1 for the reasons routed to its queues and 0 for the others
    /// (see `routed`).
    pub resolves: Vec<f64>,
    /// The file gives `resolves` (its figures hold as written, no misroute).
    pub resolves_given: bool,
    /// By reason: the pool has no `resolves` and the reason is not routed to
    /// its queues: a caller with it was misrouted and is transferred (cold) to
    /// their `meant_queue`, unless `transfer` names a queue for the reason.
    pub misroute: Vec<bool>,
    pub transfer: Vec<Option<QueueId>>,
    pub warm_transfer: bool,
    /// Talk time of a call received by warm transfer, by reason (default: `handle`).
    pub warm_handle: Vec<Dist>,
    /// Chats one agent holds at once (`concurrency: { chat: k }`, default 1).
    pub chat_concurrency: u32,
    /// Each chat is stretched by this share per other chat held when it starts.
    pub concurrency_slowdown: f64,
    /// Channels this pool works, most urgent first (default voice, chat, email).
    pub channel_priority: Vec<Channel>,
    /// An agent starts an email only when at least this many others are idle.
    pub email_reserve: u32,
    /// Voice (and chat ranked above email) takes an agent off an email
    /// (preemptive-resume), rather than waiting for the agent to finish it.
    pub email_interruptible: bool,
    /// Money per paid agent-hour; `None` when the file gives no cost.
    pub cost_per_hour: Option<f64>,
    /// Share of paid time off the phones, in [0, 1).
    pub shrinkage: f64,
}

impl Pool {
    pub fn max_agents(&self) -> u32 {
        self.shifts.iter().map(|s| s.1).max().unwrap_or(0)
    }

    /// Agents scheduled at time `t`.
    /// Mean agents on the shifts over `[from, to)`, time-weighted.
    pub fn mean_agents(&self, from: SimTime, to: SimTime) -> f64 {
        if to <= from {
            return f64::from(self.agents_at(from));
        }
        let mut total = 0.0;
        let mut t = from;
        while t < to {
            let next = self.shifts.iter().map(|s| s.0).filter(|s| *s > t).min().unwrap_or(to).min(to);
            total += f64::from(self.agents_at(t)) * next.since(t).as_secs_f64();
            t = next;
        }
        total / to.since(from).as_secs_f64()
    }

    pub fn agents_at(&self, t: SimTime) -> u32 {
        self.shifts.iter().rev().find(|(from, _)| *from <= t).map_or(0, |s| s.1)
    }
}

/// How a customer contacts the center.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    Voice = 0,
    Chat = 1,
    Email = 2,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Voice, Channel::Chat, Channel::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Voice => "voice",
            Channel::Chat => "chat",
            Channel::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A queue's virtual hold (`callback:`), with its documented defaults.
#[derive(Clone, Debug)]
pub struct Callback {
    /// Offer when the estimated wait is over this.
    pub offer_when_ewt_over: SimDuration,
    /// Chance a caller accepts (unless the caller type's `callback_accept`).
    pub accept: f64,
    /// true: the callback keeps the caller's place in the queue; false: it is
    /// made only when no caller is holding on the line in this queue.
    pub keep_place: bool,
    /// Chance that one dial reaches the caller.
    pub reach: f64,
    /// Dials at most.
    pub attempts: u32,
    pub retry_after: SimDuration,
    /// The agent is busy dialing for this long per attempt.
    pub dial: SimDuration,
}

impl Scenario {
    /// Whether some day-to-day volume spread is set (above 0): reports show the days then.
    pub fn reports_days(&self) -> bool {
        self.volume_spread > 0.0 || self.callers.iter().any(|c| c.volume_spread.is_some_and(|v| v > 0.0))
    }

    /// Whether any key of part 2's channels is in use (chat or email callers,
    /// callbacks, EWT announcements, days): reports show the channel figures then.
    pub fn uses_channels(&self) -> bool {
        self.days > 1
            || self.callers.iter().any(|c| c.channel != Channel::Voice)
            || self.queues.iter().any(|q| q.callback.is_some() || q.announce_ewt)
    }

    /// Whether some pool's agents take calls only part of their time on duty
    /// (`availability` below 1): the engine then runs its channel variant,
    /// and reports show `agents_on_phones`.
    pub fn uses_availability(&self) -> bool {
        self.pools.iter().any(|p| p.availability < 1.0)
    }

    /// Whether some pool holds more than one chat at once.
    pub fn uses_chat(&self) -> bool {
        self.callers.iter().any(|c| c.channel == Channel::Chat)
    }

    pub fn caller_id(&self, name: &str) -> Option<CallerTypeId> {
        self.callers.iter().position(|c| c.name == name).map(|i| CallerTypeId(i as u16))
    }

    pub fn reason_id(&self, name: &str) -> Option<ReasonId> {
        self.reasons.iter().position(|r| r == name).map(|i| ReasonId(i as u16))
    }

    pub fn target_name(&self, t: Target) -> &str {
        match t {
            Target::Node(n) => &self.nodes[n.index()].name,
            Target::Queue(q) => &self.queues[q.index()].name,
        }
    }

    /// Expected first calls per replication (redials not included).
    pub fn expected_calls(&self) -> f64 {
        self.callers.iter().map(|c| c.arrivals.expected_calls(self.horizon)).sum()
    }
}

/// Stable 64-bit FNV-1a hash of a name: a caller type's name keys its random
/// streams, so the same callers meet two designs that name them alike.
pub fn name_key(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
