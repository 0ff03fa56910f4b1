//! What happens to a call, step by step, for observers (the mystery-shopper
//! narration, invariant checks). The engine is generic over its observer and
//! checks `Observer::ENABLED` before building a step, so a run without one
//! pays nothing.

use crate::scenario::{CallerTypeId, NodeId, PoolId, QueueId, ReasonId, Target};
use crate::stats::collect::Outcome;
use crate::time::{SimDuration, SimTime};

/// Which call a step belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallTag {
    pub replication: u32,
    pub caller: CallerTypeId,
    /// The n-th caller of this type to dial in this replication (0-based).
    pub journey: u32,
    /// 0 for the first call, 1 for the first redial, ...
    pub call_no: u32,
    pub reason: ReasonId,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    Dialed,
    /// Started listening to a node's prompt, for `listen`.
    Heard {
        node: NodeId,
        listen: SimDuration,
    },
    /// Pressed an option's key `after` listening at the node; `misdial` when it
    /// was not meant for the reason, `early` when before the prompt ended (barge-in).
    Pressed {
        node: NodeId,
        option: u8,
        misdial: bool,
        after: SimDuration,
        early: bool,
    },
    /// Pressed no key: heard the prompt and its repeats for `after`, then went
    /// on to `no_input` (`None`: the IVR hung up).
    NoKey {
        node: NodeId,
        after: SimDuration,
        to: Option<Target>,
    },
    /// Menu patience ran out `after` listening at this node, `menu_time` in the menu in all.
    HungUpInMenu {
        node: NodeId,
        after: SimDuration,
        menu_time: SimDuration,
    },
    /// Went on by the node's `then`.
    Continued {
        node: NodeId,
    },
    /// Self-service at a node solved the call.
    SelfServed {
        node: NodeId,
    },
    /// Joined a queue behind `ahead` waiting callers, with `agents` on duty in its pools.
    Queued {
        queue: QueueId,
        ahead: u32,
        agents: u32,
    },
    /// A human answered after `hold` in this queue.
    Answered {
        queue: QueueId,
        pool: PoolId,
        agent: u32,
        hold: SimDuration,
        /// Received by warm transfer: the first agent was still on the line.
        warm: bool,
    },
    /// Talked for `talk`: the work the conversation took (`work`, the
    /// draw or the replayed log's), stretched for a chat by the agent's other
    /// chats (`talk` is then longer).
    Talked {
        pool: PoolId,
        talk: SimDuration,
        work: SimDuration,
        resolved: bool,
    },
    Transferred {
        to: QueueId,
        warm: bool,
    },
    /// Hung up on hold after `hold` in this queue; `day_closed` when the caller
    /// never hangs up but no agent was left to answer when the day closed.
    HungUp {
        queue: QueueId,
        hold: SimDuration,
        day_closed: bool,
    },
    BusySignal {
        queue: QueueId,
    },
    WanderedOff,
    /// The call ended; `hold` is its total time on hold, counted in the
    /// report's `wait` when `reached_queue`.
    Ended {
        outcome: Outcome,
        hold: SimDuration,
        reached_queue: bool,
    },
    WillRedial {
        after: SimDuration,
    },
    GaveUp,
    /// Told the estimated wait on joining a queue (`announce_ewt`); `left`: their
    /// patience was shorter, so they hung up at once.
    EwtAnnounced {
        queue: QueueId,
        ewt: SimDuration,
        left: bool,
    },
    /// Offered a callback, the estimated wait being `ewt`.
    CallbackOffered {
        queue: QueueId,
        ewt: SimDuration,
        accepted: bool,
    },
    /// An agent dials a promised callback (attempt 1, 2, ...).
    CallbackDial {
        pool: PoolId,
        agent: u32,
        attempt: u32,
    },
    /// The dial is over: reached or not, `waited` since accepting.
    CallbackTry {
        attempt: u32,
        reached: bool,
        waited: SimDuration,
    },
    /// Still open when the run ended (an email not started, a callback not made).
    StillOpen,
    /// The agent working this email put it down to take a call; `left`: work
    /// still to do. The email goes back to the head of its queue.
    Interrupted {
        pool: PoolId,
        agent: u32,
        left: SimDuration,
    },
    /// An agent takes up this email again, with `left` still to do.
    Resumed {
        queue: QueueId,
        pool: PoolId,
        agent: u32,
        left: SimDuration,
    },
}

pub trait Observer {
    /// Whether the engine should build steps at all.
    const ENABLED: bool;

    fn step(&mut self, now: SimTime, call: CallTag, step: Step);

    /// Busy agents changed (pool, busy, present): for invariant checks.
    fn agents(&mut self, _now: SimTime, _pool: PoolId, _busy: u32, _present: u32) {}

    /// An agent finished a call (and its wrap-up or warm-transfer hold), or
    /// their last chat, or was taken off an email for a call.
    fn agent_freed(&mut self, _now: SimTime, _pool: PoolId, _agent: u32) {}

    /// An agent starts the run busy with a call of a snapshot (`run --from`),
    /// taken before it: the call itself is not followed, the agent is freed
    /// at its end like any other.
    fn agent_busy_from_snapshot(&mut self, _now: SimTime, _pool: PoolId, _agent: u32) {}

    /// One of an agent's chats ended (wrap-up included): the chat slot is free.
    fn chat_freed(&mut self, _now: SimTime, _pool: PoolId, _agent: u32) {}

    /// Nobody holds on the line in any queue any more (voice and chat; the
    /// channel engine only, which runs every `run --from`).
    fn queue_cleared(&mut self, _now: SimTime) {}
}

/// No observer: the fast path.
pub struct Silent;

impl Observer for Silent {
    const ENABLED: bool = false;
    #[inline(always)]
    fn step(&mut self, _: SimTime, _: CallTag, _: Step) {}
}
