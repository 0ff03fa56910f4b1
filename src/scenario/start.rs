//! Where a replication starts when it does not start from an empty center:
//! the state of the center at one moment (`run --from STATE.json`), checked
//! against the scenario and in its typed ids. `crate::intraday` builds it
//! from the snapshot file; the engine (`sim::seed_state`) puts it in place.

use super::{CallerTypeId, PoolId, QueueId, ReasonId};
use crate::time::{SimDuration, SimTime};

/// The center at `at`: every replication starts there.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Start {
    /// The moment of the snapshot (time since the opening).
    pub at: SimTime,
    /// Callers holding on the line (voice and chat), longest holding first.
    pub on_hold: Vec<Holding>,
    /// Agents in talk or in wrap-up.
    pub in_talk: Vec<Talking>,
    /// Per pool (by `PoolId`): who is on duty now.
    pub pools: Vec<OnDuty>,
    /// Promised callbacks not yet made.
    pub callbacks: Vec<Promised>,
    /// Emails no agent has started, oldest first.
    pub emails: Vec<OpenEmail>,
}

/// A caller on hold: since `at − held`.
#[derive(Clone, Debug, PartialEq)]
pub struct Holding {
    pub caller: CallerTypeId,
    pub queue: QueueId,
    /// `None`: drawn from the caller type's reasons.
    pub reason: Option<ReasonId>,
    /// The priority level's place in the engine's order, when the snapshot
    /// gives a priority other than the caller type's; `None`: the type's.
    pub priority: Option<i32>,
    pub held: SimDuration,
}

/// An agent of `pool` busy with a call: talking for `elapsed` so far, or in
/// wrap-up for `elapsed` so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Talking {
    pub pool: PoolId,
    pub caller: CallerTypeId,
    pub reason: Option<ReasonId>,
    pub elapsed: SimDuration,
    pub wrap_up: bool,
}

/// A pool's agents now: on shift (breaks included) and those on a break, with
/// the time each break ends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OnDuty {
    pub on_shift: u32,
    pub breaks_until: Vec<SimTime>,
}

/// A callback promised `waited` ago, dialed `attempts` times so far, due to
/// be dialed (again) from `due` on.
#[derive(Clone, Debug, PartialEq)]
pub struct Promised {
    pub caller: CallerTypeId,
    pub queue: QueueId,
    pub reason: Option<ReasonId>,
    pub waited: SimDuration,
    pub attempts: u32,
    pub due: SimTime,
}

/// An email that arrived `age` ago and that no agent has started.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenEmail {
    pub caller: CallerTypeId,
    pub queue: QueueId,
    pub reason: Option<ReasonId>,
    pub age: SimDuration,
}
