//! What the agents cost: on-phone agent-hours from the staffed-time integral,
//! paid hours = agent-hours / (1 − shrinkage), and money from each pool's
//! `cost_per_hour`, per day, per call and per resolved call. Figures come from
//! the `Metric` catalogue; this file only gathers their inputs.

use indexmap::IndexMap;
use serde::Serialize;

use super::collect::{CallerStats, PoolStats};
use super::metric::{Cost, CostBasis, Metric, PoolCost};
use super::r6;
use crate::scenario::Scenario;

/// The inputs of the cost figures of the pools `which` over `days` days.
pub fn basis(sc: &Scenario, pools: &[PoolStats], which: &[usize], days: u64, calls: &CallerStats) -> CostBasis {
    CostBasis {
        pools: which
            .iter()
            .map(|&p| PoolCost {
                staffed: pools[p].staffed,
                // Rostered breaks are paid: each shift's breaks, for each of its agents, every day.
                breaks: u128::from(days)
                    * sc.pools[p]
                        .rota
                        .iter()
                        .map(|s| u128::from(s.count) * s.breaks.iter().map(|(_, len)| u128::from(len.0)).sum::<u128>())
                        .sum::<u128>(),
                shrinkage: sc.pools[p].shrinkage,
                cost_per_hour: sc.pools[p].cost_per_hour,
            })
            .collect(),
        days,
        calls: calls.calls,
        resolved: calls.resolved,
    }
}

/// The cost figures of some pools; money is null when a pool has no `cost_per_hour`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CostLine {
    /// Agent-hours on the phones a day (the staffed-time integral over opening hours).
    pub agent_hours: Option<f64>,
    /// Paid agent-hours a day: agent_hours / (1 − shrinkage).
    pub paid_hours: Option<f64>,
    /// paid_hours × cost_per_hour.
    pub cost_per_day: Option<f64>,
    /// The cost of all days / calls offered (redials included), all pools' calls.
    pub cost_per_call: Option<f64>,
    /// The cost of all days / calls resolved.
    pub cost_per_resolved_call: Option<f64>,
}

impl CostLine {
    pub fn of(b: &CostBasis) -> CostLine {
        let f = |c: Cost| Metric::Cost(c).of_cost(b).map(r6);
        CostLine {
            agent_hours: f(Cost::AgentHours),
            paid_hours: f(Cost::PaidHours),
            cost_per_day: f(Cost::PerDay),
            cost_per_call: f(Cost::PerCall),
            cost_per_resolved_call: f(Cost::PerResolvedCall),
        }
    }
}

/// One pool's cost, with the file's parameters.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PoolCostFigures {
    pub cost_per_hour: Option<f64>,
    pub shrinkage: f64,
    #[serde(flatten)]
    pub figures: CostLine,
}

/// The run report's `cost` block: per pool and for the whole line.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CostFigures {
    pub by_pool: IndexMap<String, PoolCostFigures>,
    pub total: CostLine,
}

impl CostFigures {
    pub fn build(sc: &Scenario, pools: &[PoolStats], days: u64, calls: &CallerStats) -> CostFigures {
        let by_pool = sc
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let figures = CostLine::of(&basis(sc, pools, &[i], days, calls));
                (p.name.clone(), PoolCostFigures { cost_per_hour: p.cost_per_hour, shrinkage: p.shrinkage, figures })
            })
            .collect();
        let all: Vec<usize> = (0..sc.pools.len()).collect();
        CostFigures { by_pool, total: CostLine::of(&basis(sc, pools, &all, days, calls)) }
    }

    /// Whether any pool has a cost per hour (otherwise only hours are shown).
    pub fn has_money(&self) -> bool {
        self.by_pool.values().any(|p| p.cost_per_hour.is_some())
    }
}
