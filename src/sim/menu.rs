//! One caller at one menu node: how long they listen and what they do then
//! (self-service, a key — right or wrong, pressed as soon as they hear it —
//! no key, `then`, or the end of the call). Everything is decided when the
//! caller starts listening, from the call's own menu stream, so the engine can
//! schedule the one instant the node is left. The numbers it reads (offsets,
//! chances of the right key) were computed at load time (`scenario::menu_model`).
//!
//! Draw order per node (kept stable so that designs compare on the same draws):
//! the prompt's length, then self-service (if the node has `resolves`), then the
//! key (right or wrong, then which one).

use super::rng::CallerStream;
use crate::scenario::{CallerTypeId, Choice, Node, ReasonId, Target};
use crate::time::SimDuration;

/// How the caller leaves the node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Exit {
    /// Self-service solved the call.
    SelfServed,
    /// Pressed an option's key; `misdial` when it was not meant for the reason.
    Press { option: u8, misdial: bool },
    /// Pressed no key: heard the prompt `repeat` more times, then `no_input`
    /// (`None`: the IVR hangs up).
    NoKey(Option<Target>),
    /// Went on by `then`.
    Then(Target),
    /// A node with neither options nor `then`: the call ends.
    End,
    /// Menu patience ran out while listening.
    HungUp,
}

/// A caller's stay at one node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Visit {
    /// The prompt's drawn length (once).
    pub listen: SimDuration,
    /// Time spent at the node before leaving it.
    pub spent: SimDuration,
    pub exit: Exit,
}

impl Visit {
    pub const NONE: Visit = Visit { listen: SimDuration::ZERO, spent: SimDuration::ZERO, exit: Exit::End };
}

#[inline]
fn pick(rng: &mut CallerStream, from: &[u8]) -> u8 {
    from[((rng.unit() * from.len() as f64) as usize).min(from.len() - 1)]
}

/// What a caller of type `caller` with `reason` does at `node`.
pub fn visit(node: &Node, caller: CallerTypeId, reason: ReasonId, rng: &mut CallerStream) -> Visit {
    // A fixed length draws nothing (the stream is left as it was).
    let listen = node.listen.fixed().unwrap_or_else(|| node.listen.sample(rng));
    let whole = Visit { listen, spent: listen, exit: Exit::End };
    if let Some(res) = &node.resolves {
        if rng.unit() < res[reason.index()] {
            return Visit { exit: Exit::SelfServed, ..whole };
        }
    }
    if node.options.is_empty() {
        return match node.then {
            Some(t) => Visit { exit: Exit::Then(t), ..whole },
            None => whole,
        };
    }
    let (option, misdial, knows) = match &node.choices[reason.index()] {
        Choice::Meant { meant, others } => {
            let hit = rng.unit() < node.right[caller.index()];
            if hit || others.is_empty() { (pick(rng, meant), false, true) } else { (pick(rng, others), true, true) }
        }
        // A caller whose reason no option names listens to the whole prompt.
        Choice::Operator(i) => (*i, false, false),
        Choice::Any => {
            let all = (node.options.len() as f64 * rng.unit()) as usize;
            (all.min(node.options.len() - 1) as u8, false, false)
        }
        Choice::NoKey => {
            let heard = SimDuration(listen.0.saturating_mul(1 + u64::from(node.repeat)));
            return Visit { listen, spent: heard, exit: Exit::NoKey(node.no_input) };
        }
    };
    let spent = if node.barge_in && knows { node.options[option as usize].heard.within(listen) } else { listen };
    Visit { listen, spent, exit: Exit::Press { option, misdial } }
}

/// Applies menu patience: a caller who has already spent `counted` of their
/// `patience` in the menu hangs up during this visit if it would take them past it.
/// Time at a node that is serving the caller (self-service for their reason)
/// does not count.
#[inline]
pub fn with_patience(
    v: Visit,
    node: &Node,
    reason: ReasonId,
    counted: &mut SimDuration,
    patience: SimDuration,
) -> Visit {
    if patience.is_infinite() || !node.tries_patience(reason) {
        return v;
    }
    let left = patience.saturating_sub(*counted);
    if v.spent > left {
        *counted = patience;
        return Visit { spent: left, exit: Exit::HungUp, ..v };
    }
    *counted += v.spent;
    v
}
