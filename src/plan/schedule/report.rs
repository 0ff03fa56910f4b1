//! The answer of `shop schedule` as the report shows it (and as JSON keys):
//! cost and paid hours against the LP bound, the shifts, coverage against
//! requirement per interval, the intervals left short, the repairs the
//! simulation asked for and the confirming run. `report/schedule.rs` renders it.

use indexmap::IndexMap;
use serde::Serialize;

use super::PoolPlan;
use super::columns::{Grid, coverage};
use super::repair::Simulated;
use super::rules::Rules;
use crate::plan::staff::Request;
use crate::plan::staff::confirm::{Confirmed, confirmed};
use crate::scenario::Scenario;
use crate::stats::r6;
use crate::time::{SimDuration, SimTime};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Bound {
    /// The relaxation's optimum: cost (plus the penalty of what it leaves short, with --soft).
    pub objective: f64,
    pub cost: f64,
    pub paid_hours: f64,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Roster {
    /// Cost, plus the penalty of the agent-slots left short with --soft.
    pub objective: f64,
    pub cost: f64,
    pub paid_hours: f64,
    /// Agents rostered (one per shift worked).
    pub agents: u32,
    /// (objective − LP bound) / LP bound.
    pub gap: f64,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct PoolSummary {
    pub pool: String,
    /// Shift/break columns of the covering model.
    pub columns: usize,
    /// --soft: money per agent-hour short.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub penalty_per_agent_hour: Option<f64>,
    pub lp_bound: Bound,
    /// The roster covering the requirement, before the simulation.
    pub covering: Roster,
    /// The roster after the simulation's repairs.
    pub roster: Roster,
    /// The relaxation of the requirement the repairs raised (absent when none did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lp_bound_repaired: Option<Bound>,
    /// (roster − repaired LP bound) / repaired LP bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_repaired: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct BreakRow {
    /// From the shift's start, s.
    pub at: f64,
    pub length: f64,
    /// Clock time it starts.
    pub label: String,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct ShiftRow {
    pub pool: String,
    pub shift_type: String,
    pub start: f64,
    pub end: f64,
    pub start_label: String,
    pub end_label: String,
    pub count: u32,
    pub breaks: Vec<BreakRow>,
    pub paid_hours: f64,
    pub cost: f64,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct IntervalRow {
    pub from: f64,
    pub to: f64,
    pub label: String,
    /// Agents needed on the phones, per pool.
    pub required: IndexMap<String, f64>,
    /// The fewest on the phones in any slot of the interval (breaks as planned), per pool.
    pub scheduled: IndexMap<String, u32>,
    /// Mean on the phones over the interval, per pool.
    pub mean: IndexMap<String, f64>,
    /// Agents short (required − scheduled) where above 0, per pool.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub short: IndexMap<String, f64>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct ShortRow {
    pub pool: String,
    pub from: f64,
    pub to: f64,
    pub label: String,
    pub required: f64,
    pub scheduled: u32,
    pub short: f64,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct RepairRow {
    pub round: u32,
    pub label: String,
    pub pool: String,
    pub target: String,
    /// The target's figure in that round, as shown.
    pub figure: String,
    pub added: String,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct UnmetRow {
    pub label: String,
    pub target: String,
    pub figure: String,
}

/// An interval a repair could not raise: no shift within the rules' count and
/// share limits covers it; left short of what the simulation asked there.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct LeftRow {
    pub round: u32,
    pub label: String,
    pub pool: String,
    pub target: String,
    /// The target's figure in that round, as shown.
    pub figure: String,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct SimSummary {
    /// Rounds simulated on the search's seed.
    pub rounds: u32,
    pub seed: u64,
    /// Intervals still missing a target after the last round (on the search's seed).
    pub unmet: Vec<UnmetRow>,
    /// Intervals a repair could not raise within the count and share limits.
    pub left: Vec<LeftRow>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct ScheduleReport {
    pub scenario: String,
    pub rules: String,
    /// Where the requirement came from.
    pub requirement: String,
    pub targets: Vec<String>,
    /// Targets added by default, each with why (as `shop staff` adds them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added_targets: Vec<String>,
    /// The reporting interval and the slot of the covering model, s.
    pub interval: f64,
    pub slot: f64,
    pub soft: bool,
    pub lp_bound: Bound,
    pub covering: Roster,
    pub roster: Roster,
    /// The relaxation of the requirement after the simulation's repairs, all
    /// pools (each pool's own bound where its requirement did not rise).
    pub lp_bound_repaired: Bound,
    /// (roster − repaired LP bound) / repaired LP bound: how far the roster is
    /// from the best covering of what it was finally asked to cover.
    pub gap_repaired: f64,
    pub pools: Vec<PoolSummary>,
    pub shifts: Vec<ShiftRow>,
    pub intervals: Vec<IntervalRow>,
    /// Every pool and interval the roster leaves short of the requirement.
    pub short: Vec<ShortRow>,
    pub repairs: Vec<RepairRow>,
    /// `null` with `--no-simulate` (as `staff --no-confirm`'s `confirmed`).
    pub simulated: Option<SimSummary>,
    pub confirmed: Option<Confirmed>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
}

fn at(s: u64) -> SimTime {
    SimTime::ZERO + SimDuration::from_secs_f64(s as f64)
}

/// Agent-slots short of the whole requirement.
fn short_slots(plan: &PoolPlan, counts: &[u32]) -> f64 {
    let cover = coverage(&plan.cols, counts, plan.need.len());
    let need = super::round::whole_need(&plan.need);
    cover.iter().zip(&need).map(|(c, n)| f64::from(n.saturating_sub(*c))).sum()
}

fn roster_of(plan: &PoolPlan, counts: &[u32], bound: f64) -> Roster {
    let cost = plan.cost(counts);
    let objective = cost + plan.penalty.map_or(0.0, |p| p * short_slots(plan, counts));
    Roster {
        objective: r6(objective),
        cost: r6(cost),
        paid_hours: r6(plan.hours(counts)),
        agents: counts.iter().sum(),
        gap: r6(gap(objective, bound)),
    }
}

fn gap(found: f64, bound: f64) -> f64 {
    if bound > 1e-9 { (found - bound) / bound } else { 0.0 }
}

/// The inputs the report is built from.
pub struct Built<'a> {
    pub req: &'a Request,
    pub rules: &'a Rules,
    pub rules_file: &'a str,
    pub source: &'a str,
    pub grid: &'a Grid,
    pub plans: &'a [PoolPlan],
    pub sim: Option<&'a Simulated>,
    pub soft: bool,
}

impl ScheduleReport {
    pub(crate) fn build(b: &Built, file_scenario: &Scenario) -> ScheduleReport {
        let sc = &b.req.scenario;
        let iv = &sc.intervals;
        let pools: Vec<PoolSummary> = b
            .plans
            .iter()
            .map(|plan| {
                let lp = Bound {
                    objective: r6(plan.lp.objective),
                    cost: r6(plan.cols.iter().zip(&plan.lp.x).map(|(c, x)| c.cost * x).sum()),
                    paid_hours: r6(plan.lp_hours()),
                };
                let repaired = plan.lp_raised.as_ref().map(|r| Bound {
                    objective: r6(r.objective),
                    cost: r6(r.objective),
                    paid_hours: r6(plan.cols.iter().zip(&r.x).map(|(c, x)| c.hours * x).sum()),
                });
                PoolSummary {
                    gap_repaired: repaired.as_ref().map(|r| r6(gap(plan.cost(&plan.counts), r.objective))),
                    lp_bound_repaired: repaired,
                    pool: sc.pools[plan.pool].name.clone(),
                    columns: plan.cols.len(),
                    penalty_per_agent_hour: plan.penalty.map(|p| r6(p / b.grid.hours())),
                    covering: roster_of(plan, &plan.covered, plan.lp.objective),
                    roster: roster_of(plan, &plan.counts, plan.lp.objective),
                    lp_bound: lp,
                }
            })
            .collect();
        let sum = |f: &dyn Fn(&PoolSummary) -> f64| r6(pools.iter().map(f).sum());
        let lp_bound = Bound {
            objective: sum(&|p| p.lp_bound.objective),
            cost: sum(&|p| p.lp_bound.cost),
            paid_hours: sum(&|p| p.lp_bound.paid_hours),
        };
        let total = |pick: &dyn Fn(&PoolSummary) -> &Roster| {
            let objective = sum(&|p| pick(p).objective);
            Roster {
                objective,
                cost: sum(&|p| pick(p).cost),
                paid_hours: sum(&|p| pick(p).paid_hours),
                agents: pools.iter().map(|p| pick(p).agents).sum(),
                gap: r6(gap(objective, lp_bound.objective)),
            }
        };
        let (covering, roster) = (total(&|p| &p.covering), total(&|p| &p.roster));
        let repaired_of = |p: &PoolSummary| p.lp_bound_repaired.clone().unwrap_or_else(|| p.lp_bound.clone());
        let lp_bound_repaired = Bound {
            objective: sum(&|p| repaired_of(p).objective),
            cost: sum(&|p| repaired_of(p).cost),
            paid_hours: sum(&|p| repaired_of(p).paid_hours),
        };
        let gap_repaired = r6(gap(roster.objective, lp_bound_repaired.objective));
        let mut shifts = Vec::new();
        for plan in b.plans {
            let name = &sc.pools[plan.pool].name;
            let mut rows: Vec<(u64, usize, usize)> = plan
                .counts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(j, _)| (plan.cols[j].start, plan.cols[j].kind, j))
                .collect();
            rows.sort();
            for (_, kind, j) in rows {
                let c = &plan.cols[j];
                let t = &b.rules.types[kind];
                let n = plan.counts[j];
                shifts.push(ShiftRow {
                    pool: name.clone(),
                    shift_type: t.name.clone(),
                    start: c.start as f64,
                    end: (c.start + t.length) as f64,
                    start_label: iv.clock(at(c.start)),
                    end_label: iv.clock(at(c.start + t.length)),
                    count: n,
                    breaks: c
                        .breaks
                        .iter()
                        .map(|&(a, l)| BreakRow { at: a as f64, length: l as f64, label: iv.clock(at(c.start + a)) })
                        .collect(),
                    paid_hours: r6(c.hours * f64::from(n)),
                    cost: r6(c.cost * f64::from(n)),
                });
            }
        }
        let covers: Vec<Vec<u32>> = b.plans.iter().map(|p| coverage(&p.cols, &p.counts, b.grid.slots)).collect();
        let mut intervals = Vec::new();
        let mut short = Vec::new();
        for k in 0..iv.count() {
            let (from, to) = iv.bounds(k);
            let slots: Vec<usize> = (0..b.grid.slots).filter(|&s| b.grid.interval_of(s) == k).collect();
            let mut row = IntervalRow {
                from: r6(from.as_secs_f64()),
                to: r6(to.as_secs_f64()),
                label: iv.label(k),
                required: IndexMap::new(),
                scheduled: IndexMap::new(),
                mean: IndexMap::new(),
                short: IndexMap::new(),
            };
            for (plan, cover) in b.plans.iter().zip(&covers) {
                let name = sc.pools[plan.pool].name.clone();
                let need = slots.iter().map(|&s| plan.need[s]).fold(0.0, f64::max);
                let least = slots.iter().map(|&s| cover[s]).min().unwrap_or(0);
                let mean = if slots.is_empty() {
                    0.0
                } else {
                    slots.iter().map(|&s| f64::from(cover[s])).sum::<f64>() / slots.len() as f64
                };
                let gap = ((need - 1e-9).ceil() - f64::from(least)).max(0.0);
                if gap > 0.0 {
                    row.short.insert(name.clone(), gap);
                    short.push(ShortRow {
                        pool: name.clone(),
                        from: row.from,
                        to: row.to,
                        label: row.label.clone(),
                        required: r6(need),
                        scheduled: least,
                        short: gap,
                    });
                }
                row.required.insert(name.clone(), r6(need));
                row.scheduled.insert(name.clone(), least);
                row.mean.insert(name, r6(mean));
            }
            intervals.push(row);
        }
        let targets = &b.req.targets;
        let repairs = b.sim.map_or(Vec::new(), |s| {
            s.repairs
                .iter()
                .map(|r| {
                    let plan = b.plans.iter().find(|p| p.pool == r.pool);
                    let added = plan.map_or(String::new(), |plan| {
                        let c = &plan.cols[r.added];
                        let t = &b.rules.types[c.kind];
                        format!("{} {}–{}", t.name, iv.clock(at(c.start)), iv.clock(at(c.start + t.length)))
                    });
                    RepairRow {
                        round: r.round,
                        label: iv.label(r.interval),
                        pool: sc.pools[r.pool].name.clone(),
                        target: targets[r.target].text.clone(),
                        figure: targets[r.target].shown(r6(r.value)),
                        added,
                    }
                })
                .collect()
        });
        let simulated = b.sim.map(|s| SimSummary {
            rounds: s.rounds,
            seed: sc.seed,
            unmet: s
                .unmet
                .iter()
                .map(|&(k, t, v)| UnmetRow {
                    label: iv.label(k),
                    target: targets[t].text.clone(),
                    figure: targets[t].shown(r6(v)),
                })
                .collect(),
            left: s
                .left
                .iter()
                .map(|l| LeftRow {
                    round: l.round,
                    label: iv.label(l.interval),
                    pool: sc.pools[l.pool].name.clone(),
                    target: targets[l.target].text.clone(),
                    figure: targets[l.target].shown(r6(l.value)),
                })
                .collect(),
        });
        ScheduleReport {
            scenario: file_scenario.name.clone(),
            rules: b.rules_file.to_string(),
            requirement: b.source.to_string(),
            targets: targets.iter().map(|t| t.text.clone()).collect(),
            added_targets: Vec::new(),
            interval: r6(iv.length.as_secs_f64()),
            slot: b.grid.slot as f64,
            soft: b.soft,
            lp_bound,
            covering,
            roster,
            lp_bound_repaired,
            gap_repaired,
            pools,
            shifts,
            intervals,
            short,
            repairs,
            simulated,
            confirmed: b.sim.map(|s| confirmed(b.req, &s.confirmation)),
            written: None,
        }
    }
}
