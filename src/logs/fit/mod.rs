//! `shop fit`: a scenario fitted to a call log, with what was fitted and how
//! well. One caller type per type in the log (one reason and one queue each),
//! one pool of agents; see `docs/call-logs.md` for the methods.

pub mod arrivals;
pub mod calibrate;
pub mod day_types;
pub mod distributions;
pub mod patience;
pub mod pools;
pub mod scenario;
pub mod staffing;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::logs::record::{Ending, LoggedCall};
use arrivals::{Intervals, RedialFit};
use distributions::DurationFit;
use patience::{Held, PatienceFit};
use staffing::AgentsSeen;

/// Everything fitted for one caller type.
#[derive(Clone, Debug, Serialize)]
pub struct CallerFit {
    /// The type as the log names it.
    pub name: String,
    /// Its name in the scenario (letters, digits, `_` and `-` only).
    pub key: String,
    /// Calls used, redials included.
    pub calls: usize,
    /// Calls that were not redials: what the arrival profile counts.
    pub first_calls: usize,
    /// First calls per hour by interval, mean over the days.
    pub arrivals: Vec<f64>,
    /// Share of calls that ended in the menu (the IVR) without queueing,
    /// written as self-service at the menu node.
    pub ended_in_menu: f64,
    pub menu: DurationFit,
    pub handle: DurationFit,
    pub patience: PatienceFit,
    pub redial: RedialFit,
    /// The most common priority of the type's calls, when the log has one.
    pub priority: Option<i32>,
    /// Promised callbacks that reached the caller (answered off the line).
    pub callbacks: usize,
    /// The estimated chance a caller offered a callback takes it, when the
    /// log shows callbacks: callbacks ÷ (callbacks + callers who held longer
    /// than [`CALLBACK_OFFER`] on the line, who would have been offered one).
    pub callback_accept: Option<f64>,
}

/// The estimated wait over which callbacks are offered (the scenario's default:
/// the log does not show the offers, only the callbacks taken).
pub const CALLBACK_OFFER: f64 = 120.0;

/// A whole fit.
#[derive(Clone, Debug, Serialize)]
pub struct Fitted {
    /// Days the log covers (the means are over these).
    pub days: Vec<i64>,
    pub intervals: Intervals,
    pub callers: Vec<CallerFit>,
    pub agents: Vec<AgentsSeen>,
    /// Whether the log names its agents (else `distinct` falls back on busy agents ÷ 0.85).
    pub agents_named: bool,
    /// The estimate written as agents (`--agents`).
    pub agents_rule: staffing::AgentsRule,
    /// The day type fitted, when the log has dates (`None`: all its days).
    pub day_type: Option<day_types::DayType>,
    /// The log's trend, and the scale it set on the arrivals.
    pub trend: Option<day_types::Trend>,
    /// The pools, when the log names two or more (then `agents` is their sum
    /// per interval, and calibration scales each pool's by the same factor).
    pub pools: Vec<pools::PoolFit>,
    /// What `--calibrate` moved, when asked.
    pub calibration: Option<calibrate::Calibration>,
}

impl Fitted {
    /// Scales the arrival profiles to the trend's level at the last day
    /// fitted (see [`day_types`]), when the trend is significant.
    pub fn follow_trend(&mut self, trend: Option<day_types::Trend>) {
        if let Some(t) = trend.as_ref().filter(|t| t.applied) {
            for c in &mut self.callers {
                for r in &mut c.arrivals {
                    *r *= t.scale;
                }
            }
        }
        self.trend = trend;
    }
}

pub struct FitOptions {
    /// Interval length (s).
    pub interval: f64,
    /// Largest gap between the end of an unanswered call and the same customer's next call (s).
    pub redial_window: f64,
    /// Which estimate of agents per interval to write.
    pub agents: staffing::AgentsRule,
}

/// A name the scenario accepts as a key.
pub(crate) fn key_of(name: &str) -> String {
    let k: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    if k.starts_with(|c: char| c.is_ascii_alphabetic()) { k } else { format!("type_{k}") }
}

/// Fits the calls (all from the days they name). `calls` must not be empty.
pub fn fit(calls: &[LoggedCall], opts: &FitOptions) -> Fitted {
    let days: Vec<i64> = calls.iter().map(|c| c.day).collect::<BTreeSet<_>>().into_iter().collect();
    let types: Vec<String> = calls.iter().map(|c| c.caller.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let (is_redial, redial_fits) = arrivals::redials(calls, opts.redial_window, &types);
    // The day is the span of first calls: redials of the last callers come
    // after it, and the fitted scenario makes its own.
    let firsts = calls.iter().zip(&is_redial).filter(|(_, r)| !**r).map(|(c, _)| c.dial);
    let iv = Intervals::spanning(firsts, opts.interval);

    let callers: Vec<CallerFit> = types
        .iter()
        .zip(redial_fits)
        .map(|(name, redial)| {
            let mine: Vec<(usize, &LoggedCall)> = calls.iter().enumerate().filter(|(_, c)| &c.caller == name).collect();
            let first: Vec<&LoggedCall> = mine.iter().filter(|(i, _)| !is_redial[*i]).map(|(_, c)| *c).collect();
            let in_menu = mine.iter().filter(|(_, c)| c.ending == Ending::InMenu).count();
            let menu: Vec<f64> = mine.iter().map(|(_, c)| c.menu).collect();
            let talks: Vec<f64> = mine.iter().filter_map(|(_, c)| c.service.as_ref().map(|s| s.talk)).collect();
            let held: Vec<Held> = mine
                .iter()
                .filter_map(|(_, c)| match (c.wait, c.ending) {
                    // A hang-up after no hold at all left on hearing the
                    // estimated wait (or balked): a choice, not patience run out.
                    (Some(w), Ending::HungUp) if w > 0.0 => Some(Held { wait: w, hung_up: true }),
                    (Some(w), Ending::Served) => Some(Held { wait: w, hung_up: false }),
                    _ => None,
                })
                .collect();
            let mut priorities: BTreeMap<i32, usize> = BTreeMap::new();
            for (_, c) in &mine {
                if let Some(p) = c.priority {
                    *priorities.entry(p).or_default() += 1;
                }
            }
            let priority = priorities.iter().max_by_key(|(p, n)| (**n, -**p)).map(|(p, _)| *p);
            let callbacks = mine.iter().filter(|(_, c)| c.apart).count();
            let declined = mine.iter().filter(|(_, c)| !c.apart && c.wait.is_some_and(|w| w > CALLBACK_OFFER)).count();
            let callback_accept = (callbacks > 0 && callbacks * 100 >= mine.len())
                .then(|| callbacks as f64 / (callbacks + declined) as f64);
            CallerFit {
                name: name.clone(),
                key: key_of(name),
                calls: mine.len(),
                first_calls: first.len(),
                arrivals: arrivals::rates(&first, &iv, days.len()),
                ended_in_menu: in_menu as f64 / mine.len().max(1) as f64,
                menu: distributions::fit(&menu),
                handle: distributions::fit(&talks),
                patience: patience::fit(&held),
                redial,
                priority,
                callbacks,
                callback_accept,
            }
        })
        .collect();
    let all: Vec<&LoggedCall> = calls.iter().collect();
    let (mut agents, agents_named) = staffing::agents(&all, &iv, &days, opts.agents);
    let pools = pools::fit(calls, &iv, &days, opts.agents, &callers);
    if !pools.is_empty() {
        for (k, a) in agents.iter_mut().enumerate() {
            let sum = |f: &dyn Fn(&AgentsSeen) -> f64| pools.iter().map(|p| f(&p.agents[k])).sum::<f64>();
            *a = AgentsSeen {
                distinct: sum(&|x| x.distinct),
                busy: sum(&|x| x.busy),
                busy_while_waiting: sum(&|x| x.busy_while_waiting),
                agents: (sum(&|x| x.agents) * 10.0).round() / 10.0,
            };
        }
    }
    Fitted {
        days,
        intervals: iv,
        callers,
        agents,
        agents_named,
        agents_rule: opts.agents,
        day_type: None,
        trend: None,
        pools,
        calibration: None,
    }
}
