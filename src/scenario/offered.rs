//! An estimate of the work offered to each agent pool, hour by hour, without
//! simulating: arrival rates × reason shares × the menu (less what
//! self-service solves) × routing × mean talk and wrap-up time, with
//! transfers followed. Menu and hold hang-ups and redials are left out, so the
//! estimate errs on the high side for impatient callers and on the low side
//! for lines with many redials.
//!
//! Two readings of the menu and the queues. `validate` ([`Routing::AsRun`])
//! follows the flows the engine does: every key a caller may press, with the
//! chance of the right key at each menu (so misdials reach other queues, and a
//! pool without `resolves` sends them on, see `routed`), a queue's calls
//! taken by its first pools up to their agents and the rest by the pools it
//! overflows to (`after`). `staff` starts its search from the intended path
//! (every key the right one) and its own sharing rules.
use super::model::{CallerTypeId, Choice, PoolId, QueueId, ReasonId, Scenario, Target};
use super::paths::{PathEnd, intended, reasons_of};
use crate::time::SimTime;

/// One stretch of the day with its offered load (erlangs) and agents on duty per pool.
#[derive(Clone, Debug)]
pub struct Interval {
    pub from: f64,
    pub to: f64,
    /// Erlangs offered, by pool index.
    pub erlangs: Vec<f64>,
    /// Mean agents on duty in the stretch, by pool index.
    pub agents: Vec<f64>,
}

/// Mean of a piecewise-constant step function over `[a, b)`.
fn mean_over(steps: &[(SimTime, f64)], a: f64, b: f64) -> f64 {
    let mut total = 0.0;
    for (i, (from, v)) in steps.iter().enumerate() {
        let s = from.as_secs_f64().max(a);
        let e = steps.get(i + 1).map_or(b, |n| n.0.as_secs_f64()).min(b);
        if e > s {
            total += v * (e - s);
        }
    }
    total / (b - a)
}

/// Hour by hour over `[0, horizon)` (the last stretch may be shorter).
pub fn offered_by_hour(sc: &Scenario) -> Vec<Interval> {
    let end = sc.horizon.as_secs_f64();
    let step = 3600.0_f64.min(end.max(1.0));
    let mut out = Vec::new();
    let mut a = 0.0;
    while a < end - 1e-9 {
        let b = (a + step).min(end);
        out.push(interval(sc, a, b));
        a = b;
    }
    out
}

fn interval(sc: &Scenario, a: f64, b: f64) -> Interval {
    let agents = agents_over(sc, a, b);
    let offer = offered_to_pools(sc, a, b, &agents, Routing::AsRun);
    // In agents: an agent holds `concurrency.chat` chats at once, each
    // stretched by the others (`concurrency_slowdown`), as the engine seats them.
    let erlangs = (0..sc.pools.len())
        .map(|p| {
            let pool = &sc.pools[p];
            let k = f64::from(pool.chat_concurrency.max(1));
            let chat: f64 = (0..sc.callers.len())
                .filter(|c| sc.callers[*c].channel == super::Channel::Chat)
                .map(|c| offer.by_caller[c][p])
                .sum();
            offer.erlangs[p] - chat + chat * (1.0 + pool.concurrency_slowdown * (k - 1.0)) / k
        })
        .collect();
    Interval { from: a, to: b, erlangs, agents }
}

/// Mean agents on duty per pool over `[a, b)`.
fn agents_over(sc: &Scenario, a: f64, b: f64) -> Vec<f64> {
    sc.pools
        .iter()
        .map(|p| mean_over(&p.shifts.iter().map(|(t, n)| (*t, f64::from(*n))).collect::<Vec<_>>(), a, b))
        .collect()
}

/// How a queue's calls are shared among its pools in the estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// In proportion to the agents on duty (every listed pool, overflow ones included).
    ByAgents,
    /// Among the pools that take calls at once (no `after:`), equally when none
    /// is staffed; an overflow pool only gets calls when the queue has no other.
    /// What a staffing search starts from: it must not assume the staffing it looks for.
    FirstPools,
    /// As the engine runs the design: menus with the chance of the right key,
    /// misroutes sent on; a queue's first pools (no `after:`) take its calls
    /// in proportion to their agents up to their agents' worth of work, and
    /// the excess goes to the pools it overflows to (to the first pools when
    /// it has none). What `validate` reads.
    AsRun,
}

/// The work offered to each pool over `[a, b)`, per second of that stretch.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolOffer {
    /// Erlangs offered, by pool index.
    pub erlangs: Vec<f64>,
    /// Calls per second reaching each pool (transfers included), by pool index.
    pub calls: Vec<f64>,
    /// Erlangs by caller type then pool: `by_caller[c][p]`.
    pub by_caller: Vec<Vec<f64>>,
}

/// The work offered to each pool over `[a, b)`, shared within queues per `routing`
/// (`agents`: mean agents on duty per pool, for [`Routing::ByAgents`]).
pub fn offered_to_pools(sc: &Scenario, a: f64, b: f64, agents: &[f64], routing: Routing) -> PoolOffer {
    let overflow = match routing {
        Routing::AsRun => {
            // First the work each pool would get with no overflow at all, then
            // the share of each queue's calls its first pools have no agents for.
            let none = flows(sc, a, b, agents, routing, &vec![0.0; sc.queues.len()]);
            overflow_shares(sc, agents, &none)
        }
        _ => vec![0.0; sc.queues.len()],
    };
    flows(sc, a, b, agents, routing, &overflow)
}

/// By queue: the share of its calls that go to its overflow pools, when the
/// work offered to its first pools (`offer`, with no overflow) exceeds their agents.
fn overflow_shares(sc: &Scenario, agents: &[f64], offer: &PoolOffer) -> Vec<f64> {
    sc.queues
        .iter()
        .map(|q| {
            if q.pools.iter().all(|(_, after)| after.0 == 0) {
                return 0.0;
            }
            let first: Vec<usize> = q.pools.iter().filter(|(_, after)| after.0 == 0).map(|(p, _)| p.index()).collect();
            let (work, staffed): (f64, f64) =
                first.iter().fold((0.0, 0.0), |(w, s), p| (w + offer.erlangs[*p], s + agents[*p]));
            if work <= staffed || work <= 0.0 { 0.0 } else { (work - staffed) / work }
        })
        .collect()
}

fn flows(sc: &Scenario, a: f64, b: f64, agents: &[f64], routing: Routing, overflow: &[f64]) -> PoolOffer {
    let n = sc.pools.len();
    let mut offer =
        PoolOffer { erlangs: vec![0.0; n], calls: vec![0.0; n], by_caller: vec![vec![0.0; n]; sc.callers.len()] };
    for (ci, ct) in sc.callers.iter().enumerate() {
        let rate = mean_over(&ct.arrivals.steps, a, b); // calls per second
        if rate <= 0.0 {
            continue;
        }
        let c = CallerTypeId(ci as u16);
        let shares = ct.reason_shares();
        let mut flow = Flow { sc, agents, routing, caller: c, overflow, erlangs: vec![0.0; n], calls: vec![0.0; n] };
        for r in reasons_of(sc, c) {
            let share = shares.iter().find(|(x, _)| *x == r).map_or(0.0, |s| s.1);
            if routing == Routing::AsRun {
                for (q, part) in menu_flow(sc, c, r).queues {
                    flow.route(q, r, rate * share * part, 0);
                }
                continue;
            }
            let path = intended(sc, c, r);
            let PathEnd::Queue(q) = path.end else { continue };
            let unsolved: f64 = path
                .hops
                .iter()
                .filter_map(|h| sc.nodes[h.node.index()].resolves.as_ref())
                .map(|res| 1.0 - res[r.index()])
                .product();
            flow.route(q, r, rate * share * unsolved, 0);
        }
        for p in 0..n {
            offer.erlangs[p] += flow.erlangs[p];
            offer.calls[p] += flow.calls[p];
            offer.by_caller[ci][p] = flow.erlangs[p];
        }
    }
    offer
}

/// One caller type's calls followed through queues and transfers.
struct Flow<'a> {
    sc: &'a Scenario,
    agents: &'a [f64],
    routing: Routing,
    caller: CallerTypeId,
    /// By queue: the share of its calls its overflow pools take ([`Routing::AsRun`]).
    overflow: &'a [f64],
    erlangs: Vec<f64>,
    calls: Vec<f64>,
}

impl Flow<'_> {
    /// The share of a queue's calls each of its pools takes.
    fn shares(&self, q: QueueId) -> Vec<(PoolId, f64)> {
        let listed = &self.sc.queues[q.index()].pools;
        let pools: Vec<PoolId> = match self.routing {
            Routing::AsRun => return self.as_run(q),
            Routing::ByAgents => listed.iter().map(|(p, _)| *p).collect(),
            Routing::FirstPools => {
                let first: Vec<PoolId> = listed.iter().filter(|(_, after)| after.0 == 0).map(|(p, _)| *p).collect();
                if first.is_empty() { listed.iter().take(1).map(|(p, _)| *p).collect() } else { first }
            }
        };
        let staffed: f64 = pools.iter().map(|p| self.agents[p.index()]).sum();
        pools
            .iter()
            .map(|p| {
                let part = match (self.routing, staffed > 0.0) {
                    (_, true) => self.agents[p.index()] / staffed,
                    (Routing::FirstPools, false) => 1.0 / pools.len() as f64,
                    (Routing::ByAgents | Routing::AsRun, false) => 0.0,
                };
                (*p, part)
            })
            .collect()
    }

    /// [`Routing::AsRun`]: the first pools by agents (equally when none is
    /// staffed), the overflow share to the other pools by agents.
    fn as_run(&self, q: QueueId) -> Vec<(PoolId, f64)> {
        let listed = &self.sc.queues[q.index()].pools;
        let mut first: Vec<PoolId> = listed.iter().filter(|(_, after)| after.0 == 0).map(|(p, _)| *p).collect();
        if first.is_empty() {
            first = listed.iter().take(1).map(|(p, _)| *p).collect();
        }
        let rest: Vec<PoolId> = listed.iter().map(|(p, _)| *p).filter(|p| !first.contains(p)).collect();
        let spill = if rest.iter().any(|p| self.agents[p.index()] > 0.0) { self.overflow[q.index()] } else { 0.0 };
        let by_agents = |pools: &[PoolId], of: f64| -> Vec<(PoolId, f64)> {
            let staffed: f64 = pools.iter().map(|p| self.agents[p.index()]).sum();
            pools
                .iter()
                .map(|p| {
                    let part = if staffed > 0.0 { self.agents[p.index()] / staffed } else { 1.0 / pools.len() as f64 };
                    (*p, of * part)
                })
                .collect()
        };
        let mut out = by_agents(&first, 1.0 - spill);
        if spill > 0.0 {
            out.extend(by_agents(&rest, spill));
        }
        out
    }

    /// Adds the work of `flow` calls per second about `r` reaching queue `q`, and
    /// of the transfers that follow, to each pool's erlangs.
    fn route(&mut self, q: QueueId, r: super::ReasonId, flow: f64, depth: u32) {
        let sc = self.sc;
        // Four transfers deep at most: the estimate stays cheap even for transfer loops.
        if flow <= 1e-12 || depth > sc.max_transfers.min(4) {
            return;
        }
        for (p, part) in self.shares(q) {
            if part <= 0.0 {
                continue;
            }
            let pool = &sc.pools[p.index()];
            let f = flow * part;
            self.calls[p.index()] += f;
            self.erlangs[p.index()] += f * (pool.handle[r.index()].mean() + pool.wrap_up.mean());
            // The engine's transfer: the pool's own, else a misroute sent on
            // to the queue the menu means for the reason.
            let to = pool.transfer[r.index()].or_else(|| {
                pool.misroute[r.index()].then(|| sc.callers[self.caller.index()].meant_queue[r.index()]).flatten()
            });
            if let Some(to) = to {
                self.route(to, r, f * (1.0 - pool.resolves[r.index()]), depth + 1);
            }
        }
    }
}

/// Where the calls of one caller type and reason go in the menu, by every key
/// they may press with the engine's chances (right key, misdial, operator,
/// any key, no key), less what self-service solves; menu hang-ups left out.
#[derive(Clone, Debug, Default)]
pub struct MenuFlow {
    /// The share of the calls reaching each queue.
    pub queues: Vec<(QueueId, f64)>,
    /// By node: the share of the calls that hear it, having pressed a wrong
    /// key on the way (misdialled callers).
    pub misdialled: Vec<f64>,
}

/// [`MenuFlow`] of caller type `c` with reason `r`, step by step from the
/// entry for `max_menu_steps` prompts (what wanders longer ends in the menu).
pub fn menu_flow(sc: &Scenario, c: CallerTypeId, r: ReasonId) -> MenuFlow {
    let n = sc.nodes.len();
    let mut out = MenuFlow { queues: Vec::new(), misdialled: vec![0.0; n] };
    // Mass at each node, split by whether a wrong key was pressed on the way.
    let mut at: Vec<[f64; 2]> = vec![[0.0; 2]; n];
    let mut queued: Vec<f64> = vec![0.0; sc.queues.len()];
    let mut send = |t: Target, mass: f64, wrong: usize, next: &mut Vec<[f64; 2]>| match t {
        Target::Queue(q) => queued[q.index()] += mass,
        Target::Node(m) => next[m.index()][wrong] += mass,
    };
    let mut next = vec![[0.0; 2]; n];
    send(sc.callers[c.index()].entry, 1.0, 0, &mut at);
    for _ in 0..sc.max_menu_steps {
        if at.iter().all(|m| m[0] + m[1] <= 1e-12) {
            break;
        }
        for (i, node) in sc.nodes.iter().enumerate() {
            out.misdialled[i] += at[i][1];
            for (wrong, mass) in at[i].iter().enumerate() {
                let mut mass = *mass;
                if mass <= 1e-12 {
                    continue;
                }
                if let Some(res) = &node.resolves {
                    mass *= 1.0 - res[r.index()];
                }
                if node.options.is_empty() {
                    if let Some(t) = node.then {
                        send(t, mass, wrong, &mut next);
                    }
                    continue;
                }
                let to = |o: &u8| node.options[*o as usize].to;
                match &node.choices[r.index()] {
                    Choice::Meant { meant, others } => {
                        let right = if others.is_empty() { 1.0 } else { node.right[c.index()] };
                        for o in meant {
                            send(to(o), mass * right / meant.len() as f64, wrong, &mut next);
                        }
                        for o in others {
                            send(to(o), mass * (1.0 - right) / others.len() as f64, 1, &mut next);
                        }
                    }
                    Choice::Operator(o) => send(to(o), mass, wrong, &mut next),
                    Choice::Any => {
                        for o in &node.options {
                            send(o.to, mass / node.options.len() as f64, wrong, &mut next);
                        }
                    }
                    Choice::NoKey => {
                        if let Some(t) = node.no_input {
                            send(t, mass, wrong, &mut next);
                        }
                    }
                }
            }
        }
        std::mem::swap(&mut at, &mut next);
        next.iter_mut().for_each(|m| *m = [0.0; 2]);
    }
    out.queues = queued.iter().enumerate().filter(|(_, m)| **m > 0.0).map(|(q, m)| (QueueId(q as u16), *m)).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scenario::test_scenario as load;

    const TWO_KEYS: &str = r#"
horizon: 1h
callers:
  c: { arrivals: 60/h, reasons: { a: 0.5, b: 0.5 } }
menu:
  main:
    duration: 10s
    accuracy: 0.7
    options:
      "1": { for: [a], to: qa }
      "2": { for: [b], to: sub }
  sub:
    duration: 10s
    options:
      "1": { for: [b], to: qb }
queues:
  qa: { pools: [pa] }
  qb: { pools: [pb, { pool: spare, after: 1m }] }
pools:
  pa: { agents: 1, handle: 1m }
  pb: { agents: 1, handle: 1m }
  spare: { agents: 10, handle: 1m }
"#;

    #[test]
    fn the_menu_flow_splits_calls_by_the_chance_of_the_right_key() {
        let sc = load(TWO_KEYS);
        let a = menu_flow(&sc, CallerTypeId(0), ReasonId(0));
        // 70% press 1 (qa); 30% press 2 and are stranded at `sub` (no key for a).
        assert_eq!(a.queues.len(), 1);
        assert!((a.queues[0].1 - 0.7).abs() < 1e-12);
        assert!((a.misdialled[1] - 0.3).abs() < 1e-12);
        let b = menu_flow(&sc, CallerTypeId(0), ReasonId(1));
        let to = |q: usize| b.queues.iter().find(|(x, _)| x.index() == q).map_or(0.0, |x| x.1);
        assert!((to(0) - 0.3).abs() < 1e-12 && (to(1) - 0.7).abs() < 1e-12);
    }

    #[test]
    fn an_overflow_pool_is_offered_what_the_first_pools_have_no_agents_for() {
        let sc = load(TWO_KEYS);
        let offer = offered_to_pools(&sc, 0.0, 3600.0, &[1.0, 1.0, 10.0], Routing::AsRun);
        // qb: b-callers who pressed 2 (0.5 × 0.7 of 60/h = 21/h) and a-callers' misdials that
        // reach no queue; pa's misrouted b-callers (0.5 × 0.3 = 9/h) are sent on to qb:
        // 30/h × 1m = 0.5 erlang on pb's 1 agent: no overflow.
        assert!((offer.erlangs[1] - 0.5).abs() < 1e-9, "{:?}", offer.erlangs);
        assert_eq!(offer.erlangs[2], 0.0);
        let busy = load(&TWO_KEYS.replace("60/h", "240/h"));
        let offer = offered_to_pools(&busy, 0.0, 3600.0, &[1.0, 1.0, 10.0], Routing::AsRun);
        // 2 erlangs at qb: pb carries its 1 agent's worth, the spare pool the rest.
        assert!((offer.erlangs[1] - 1.0).abs() < 1e-9, "{:?}", offer.erlangs);
        assert!((offer.erlangs[2] - 1.0).abs() < 1e-9, "{:?}", offer.erlangs);
    }
}
