//! The analytic starting point: per pool and interval, the load the pool meets
//! (arrival rates through the intended menu paths, routing to the pools that
//! answer first, transfers followed; `scenario::offered`) treated as a steady
//! Erlang A line (exponential patience with the mean patience of the callers
//! bringing the load) or Erlang C (when some of them never hang up), and the
//! fewest agents that meet the targets there (`plan::target::fewest_agents`).
//!
//! Chat: an agent holding up to `k` chats at once is `k` servers of the line,
//! so the formulas give the fewest servers and the pool needs
//! `ceil(servers / k)` agents. A chat waits only when every slot is taken, and
//! then each slot frees up for a chat started beside `k − 1` others: the line's
//! handle is stretched by `1 + concurrency_slowdown × (k − 1)`. A pool taking
//! chats and other work is `k_eff` servers an agent, `k_eff` weighing `k` and 1
//! by the agent time each kind of work takes.

use super::targets::{Scope, StaffTarget};
use crate::plan::target::{Goal, fewest_agents};
use crate::scenario::offered::{PoolOffer, Routing, offered_to_pools};
use crate::scenario::{Channel, Pool, Scenario};

/// The estimate and the formulas' answer for one interval.
#[derive(Clone, Debug)]
pub struct Start {
    /// Erlangs offered, by pool.
    pub erlangs: Vec<f64>,
    /// Fewest agents by the formulas, by pool (0 when no work is offered).
    pub agents: Vec<u32>,
    /// The line each pool's answer models, by pool; `None` when no work is offered.
    pub lines: Vec<Option<PoolLine>>,
}

/// The steady line one pool meets in an interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolLine {
    /// Mean handle (talk + wrap-up) of the work offered, s, a chat as if handled alone.
    pub handle: f64,
    /// Mean patience, s (`None`: Erlang C).
    pub patience: Option<f64>,
    /// Servers one agent is: 1, or a chat pool's concurrency `k` (a blend: `k_eff`).
    pub servers_per_agent: f64,
    /// How much longer a server holds its work than `handle` (chats beside others).
    pub stretch: f64,
}

/// The starting point of every interval of the day, in time order.
pub fn analytic(sc: &Scenario, targets: &[StaffTarget]) -> Vec<Start> {
    let day = &sc.intervals;
    (0..day.count())
        .map(|k| {
            let (from, to) = day.bounds(k);
            let (a, b) = (from.as_secs_f64(), to.as_secs_f64());
            let offer = offered_to_pools(sc, a, b.max(a + 1e-9), &vec![0.0; sc.pools.len()], Routing::FirstPools);
            let lines: Vec<_> = (0..sc.pools.len()).map(|p| line_of(sc, &offer, p)).collect();
            let agents = (0..sc.pools.len())
                .map(|p| lines[p].map_or(0, |line| fewest(sc, &offer, p, offer.erlangs[p], &line, targets)))
                .collect();
            Start { erlangs: offer.erlangs, agents, lines }
        })
        .collect()
}

/// Which pools carry some of each caller type's load over the day: the pools a
/// caller-scoped target can be helped by. `by_caller[c][p]`.
pub fn serving(sc: &Scenario) -> Vec<Vec<bool>> {
    let all = vec![1.0; sc.pools.len()];
    let offer = offered_to_pools(sc, 0.0, sc.horizon.as_secs_f64().max(1.0), &all, Routing::ByAgents);
    offer.by_caller.iter().map(|row| row.iter().map(|e| *e > 0.0).collect()).collect()
}

/// The formulas' answer again, on the load each pool carried in a simulation
/// staffed generously (`busy[p][k]`: erlangs carried, redials, overflow and
/// transfers included), with each line's handle and patience kept: the
/// estimate's blind spots (redials above all) corrected before the search.
/// Staffed generously, a chat finds an idle agent and is held alone (the
/// engine seats a chat with an idle agent first): the busy agent time is
/// the chat time, unstretched, as the line's `handle` counts it.
pub fn recalibrated(sc: &Scenario, start: &[Start], busy: &[Vec<f64>], targets: &[StaffTarget]) -> Vec<Vec<u32>> {
    let day = &sc.intervals;
    let all = vec![1.0; sc.pools.len()];
    (0..sc.pools.len())
        .map(|p| {
            (0..start.len())
                .map(|k| {
                    let (from, to) = day.bounds(k);
                    let offer = offered_to_pools(
                        sc,
                        from.as_secs_f64(),
                        to.as_secs_f64().max(from.as_secs_f64() + 1e-9),
                        &all,
                        Routing::FirstPools,
                    );
                    let plain = PoolLine { handle: 300.0, patience: None, servers_per_agent: 1.0, stretch: 1.0 };
                    match start[k].lines[p] {
                        _ if busy[p][k] <= 1e-9 => 0,
                        line => fewest(sc, &offer, p, busy[p][k], &line.unwrap_or(plain), targets),
                    }
                })
                .collect()
        })
        .collect()
}

/// The line pool `p` meets: mean handle, patience and servers per agent;
/// `None` when it meets no work.
fn line_of(sc: &Scenario, offer: &PoolOffer, p: usize) -> Option<PoolLine> {
    let load = offer.erlangs[p];
    if load <= 1e-9 || offer.calls[p] <= 0.0 {
        return None;
    }
    let handle = load / offer.calls[p];
    // Load-weighted mean patience; Erlang C when callers who never hang up bring any of it.
    let mut weighted = 0.0;
    let mut patient = true;
    let mut chat = 0.0;
    for (c, ct) in sc.callers.iter().enumerate() {
        let e = offer.by_caller[c][p];
        if e <= 0.0 {
            continue;
        }
        if ct.channel == Channel::Chat {
            chat += e;
        }
        match &ct.patience {
            Some(d) => weighted += e * d.mean(),
            None => patient = false,
        }
    }
    let (servers_per_agent, stretch) = slots(&sc.pools[p], chat, load);
    Some(PoolLine {
        handle,
        patience: (patient && weighted > 0.0).then(|| weighted / load),
        servers_per_agent,
        stretch,
    })
}

/// Servers per agent and the stretch of their work for a pool meeting `load`
/// erlangs of which `chat` are chats (both as if each were handled alone).
fn slots(pool: &Pool, chat: f64, load: f64) -> (f64, f64) {
    let k = f64::from(pool.chat_concurrency.max(1));
    if k <= 1.0 || chat <= 0.0 {
        return (1.0, 1.0);
    }
    let chat_stretch = 1.0 + pool.concurrency_slowdown * (k - 1.0);
    // Server time the work takes, and agent time: a chat takes 1/k of an agent.
    let server_time = (load - chat) + chat * chat_stretch;
    let agent_time = (load - chat) + chat * chat_stretch / k;
    (server_time / agent_time, server_time / load)
}

/// The fewest agents for `load` erlangs on pool `p`, under the targets that
/// concern it (a queue's: on each pool answering the queue, as if its whole
/// line were the queue's). The channel times are the simulation's alone.
fn fewest(sc: &Scenario, offer: &PoolOffer, p: usize, load: f64, line: &PoolLine, targets: &[StaffTarget]) -> u32 {
    let patience = line.patience;
    let goals: Vec<_> = targets
        .iter()
        .filter_map(|t| t.line().map(|line| (&t.scope, line)))
        .filter(|(scope, line)| match (scope, line.goal) {
            (Scope::Pool(q), _) => q.index() == p,
            (Scope::Caller(c), _) => offer.by_caller[c.index()][p] > 0.0,
            (Scope::Queue(q), _) => sc.queues[q.index()].pools.iter().any(|(x, _)| x.index() == p),
            (Scope::All, Goal::AbandonRate(_)) => patience.is_some(),
            (Scope::All, _) => true,
        })
        .map(|(_, line)| line.clone())
        .collect();
    // Servers of the line (an agent is `servers_per_agent` of them). An answer
    // the formulas cannot give (an unreachable target) starts at the fewest
    // servers with a steady state; the simulation corrects it or says so.
    let (rate, held) = (load / line.handle, line.handle * line.stretch);
    let servers = fewest_agents(rate, held, patience, &goals).unwrap_or_else(|_| ((rate * held).floor() as u32) + 1);
    // Agents on duty: with `availability` a share of them is off the phones.
    let on_phones = line.servers_per_agent * sc.pools[p].availability;
    (f64::from(servers) / on_phones - 1e-9).ceil().max(0.0) as u32
}
