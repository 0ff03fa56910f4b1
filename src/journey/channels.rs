//! Narration of what part 2 adds to a journey: an email's life (it lands in
//! an inbox, waits, is worked), the estimated wait a caller is told, and a
//! callback from the offer to the agent reaching the caller.

use crate::scenario::{Channel, Scenario};
use crate::sim::Step;
use crate::time::SimDuration;

fn ordinal(n: u32) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        n => format!("{n}th"),
    }
}

/// The line for a step that reads differently on this channel, or for a new
/// step; `None`: the voice wording applies.
pub fn step_line(sc: &Scenario, channel: Channel, step: Step) -> Option<String> {
    let queue = |q: crate::scenario::QueueId| sc.queues[q.index()].name.clone();
    Some(match step {
        Step::Queued { queue: q, ahead, agents } if channel == Channel::Email => {
            format!("lands in queue {}: {ahead} emails ahead, {agents} agents on duty", queue(q))
        }
        Step::Queued { queue: q, ahead, agents } if channel == Channel::Chat => {
            format!("opens a chat in queue {}: {ahead} chats waiting, {agents} agents on duty", queue(q))
        }
        Step::Answered { pool, agent, hold, .. } if channel == Channel::Email => {
            let who = format!("{} agent {}", sc.pools[pool.index()].name, agent + 1);
            format!("{who} starts on it after {hold} in the inbox")
        }
        Step::Answered { pool, agent, hold, .. } if channel == Channel::Chat => {
            let who = format!("{} agent {}", sc.pools[pool.index()].name, agent + 1);
            if hold == SimDuration::ZERO {
                format!("{who} picks up the chat at once")
            } else {
                format!("{who} picks up the chat after {hold} waiting")
            }
        }
        Step::Talked { talk, resolved, .. } if channel == Channel::Email => {
            format!("worked for {talk}: {}", if resolved { "solved" } else { "not solved" })
        }
        Step::Talked { talk, resolved, .. } if channel == Channel::Chat => {
            format!("chats for {talk}: {}", if resolved { "solved" } else { "not solved" })
        }
        Step::EwtAnnounced { ewt, left, .. } => {
            if left {
                format!("hears the estimated wait, about {ewt}: longer than they will wait, hangs up at once")
            } else {
                format!("hears the estimated wait, about {ewt}, and holds")
            }
        }
        Step::CallbackOffered { queue: q, ewt, accepted } => {
            if accepted {
                format!(
                    "offered a callback by queue {} (estimated wait {ewt}): accepts a callback, hangs up and keeps their place",
                    queue(q)
                )
            } else {
                format!("offered a callback by queue {} (estimated wait {ewt}): declines and holds", queue(q))
            }
        }
        Step::CallbackDial { pool, agent, attempt } => {
            let who = format!("{} agent {}", sc.pools[pool.index()].name, agent + 1);
            format!("{who} calls back ({} attempt)", ordinal(attempt))
        }
        Step::CallbackTry { attempt, reached, waited } => {
            if reached {
                format!("called back: reached on the {} attempt, {waited} after accepting", ordinal(attempt))
            } else {
                format!("no answer on the {} attempt", ordinal(attempt))
            }
        }
        Step::StillOpen => "still open when the run ends (carried over, not finished)".to_string(),
        Step::Interrupted { pool, agent, left } => {
            let who = format!("{} agent {}", sc.pools[pool.index()].name, agent + 1);
            format!("{who} puts it down to take a call ({left} of work left); back to the head of the inbox")
        }
        Step::Resumed { pool, agent, left, .. } => {
            let who = format!("{} agent {}", sc.pools[pool.index()].name, agent + 1);
            format!("{who} takes it up again ({left} of work left)")
        }
        _ => return None,
    })
}
