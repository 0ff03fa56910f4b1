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
pub mod told;

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
    /// log shows callbacks (1% of the type's calls or more): callbacks ÷
    /// (callbacks + callers offered one who declined: their rebuilt estimate
    /// over the offer's threshold, whether they then held or left on hearing it).
    pub callback_accept: Option<f64>,
    /// Calls that left on hearing the estimated wait (reached the queue,
    /// never joined it): the queue tells the wait, and the fitted one does too
    /// (`announce_ewt`, or the callback offer).
    #[serde(skip_serializing_if = "is_zero")]
    pub left_on_hearing: usize,
    /// With callbacks taken and callers who left on hearing the wait: the
    /// share of those leavers whose rebuilt estimate was at or below the
    /// offer's threshold (offered no callback, so told the wait by an
    /// announcement). See [`ANNOUNCED_TOO`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_below_offer: Option<f64>,
    /// The queue announces the wait to every caller who must wait besides
    /// offering callbacks over the threshold (`announce_ewt` and `callback`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub announces_too: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl CallerFit {
    /// Whether the type's queue tells callers the estimated wait: callers
    /// left on hearing it, or took a callback (the offer states it).
    pub fn hears_wait(&self) -> bool {
        self.left_on_hearing > 0 || self.callback_accept.is_some()
    }

    /// Whether the fitted queue announces the wait (`announce_ewt`): callers
    /// left on hearing it and none took a callback, or some did and callers
    /// also left on hearing estimates below the offer's threshold.
    pub fn announces_wait(&self) -> bool {
        self.hears_wait() && (self.callback_accept.is_none() || self.announces_too)
    }
}

/// The estimated wait over which callbacks are offered unless `fit
/// --callback-offer` says (the scenario's default: the log does not show the
/// offers, only the callbacks taken).
pub const CALLBACK_OFFER: f64 = crate::scenario::load::DEFAULT_CALLBACK_OFFER_OVER_SECS;

/// A queue offering callbacks also announces the wait when more than this
/// share of the callers who left on hearing it heard (as rebuilt) an estimate
/// at or below the offer's threshold. With callbacks alone every leaver heard
/// one over it, and only the rebuild's error puts a few below (measured under
/// 1% on `shop`'s own logs); an announcement tells every caller who must
/// wait, and the impatient leave on short estimates too (measured: 60–65% of
/// the leavers). A center whose threshold is below the one assumed also puts
/// leavers below it (45 s for an assumed 2m: 26–29%), hence half: `fit
/// --callback-offer` gives the threshold.
pub const ANNOUNCED_TOO: f64 = 0.5;

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
    /// With one pool answering a queue that tells the wait: its agents'
    /// share of on-duty time on the phones (see [`pools::on_duty_share`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<f64>,
    /// The callback offer's threshold written and assumed (s; `FitOptions::callback_offer`).
    pub callback_offer: f64,
    /// Per caller type: its queue's name in the scenario (see [`queue_names`]).
    #[serde(skip)]
    pub queue_names: Vec<String>,
    /// With one pool: its name in the scenario (the log's, when it names one).
    #[serde(skip)]
    pub pool_name: String,
}

/// Each caller type's queue in the fitted scenario: the log's queue name when
/// all the type's calls went to one queue no other type reached (a `shop`
/// log: `shop state`'s snapshots of it name the fitted file's queues), else
/// the type's own key. A name that would clash with another queue or a menu
/// node keeps the key.
fn queue_names(calls: &[LoggedCall], callers: &[CallerFit]) -> Vec<String> {
    let logged: Vec<BTreeSet<&str>> = callers
        .iter()
        .map(|c| calls.iter().filter(|x| x.caller == c.name).filter_map(|x| x.queue.as_deref()).collect())
        .collect();
    let mut names: Vec<String> = callers.iter().map(|c| c.key.clone()).collect();
    for (i, q) in logged.iter().enumerate() {
        let [only] = q.iter().copied().collect::<Vec<_>>()[..] else { continue };
        let shared = logged.iter().enumerate().any(|(j, o)| j != i && o.contains(only));
        let name = key_of(only);
        let clash = callers
            .iter()
            .enumerate()
            .any(|(j, c)| name == format!("{}_menu", c.key) || (j != i && (names[j] == name || c.key == name)));
        if !shared && !clash {
            names[i] = name;
        }
    }
    names
}

/// The one pool's name: the log's, when every call that names a pool names
/// the same one; else `agents`.
fn pool_name(calls: &[LoggedCall]) -> String {
    let named: BTreeSet<&str> = calls.iter().filter_map(|c| c.pool.as_deref()).collect();
    match named.iter().copied().collect::<Vec<_>>()[..] {
        [only] => key_of(only),
        _ => "agents".to_string(),
    }
}

impl Fitted {
    /// Caller type `i`'s queue in the scenario.
    pub fn queue_of(&self, i: usize) -> &str {
        self.queue_names.get(i).map_or(self.callers[i].key.as_str(), String::as_str)
    }

    /// The one pool's name in the scenario (when the log names fewer than two).
    pub fn pool_of_one(&self) -> &str {
        if self.pool_name.is_empty() { "agents" } else { &self.pool_name }
    }

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
    /// The estimated wait over which the center offers callbacks (s):
    /// [`CALLBACK_OFFER`] unless the planner gives it (no log shows the offers).
    pub callback_offer: f64,
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
            let held: Vec<Held> = mine.iter().filter_map(|(_, c)| held_of(c)).collect();
            let mut priorities: BTreeMap<i32, usize> = BTreeMap::new();
            for (_, c) in &mine {
                if let Some(p) = c.priority {
                    *priorities.entry(p).or_default() += 1;
                }
            }
            let priority = priorities.iter().max_by_key(|(p, n)| (**n, -**p)).map(|(p, _)| *p);
            let callbacks = mine.iter().filter(|(_, c)| c.apart).count();
            // A queue offering callbacks: the share who take one is estimated
            // once, by `fit_told_waits`, among the callers offered one (their
            // rebuilt estimate over the threshold). Here only whether there is
            // an offer (1: a placeholder it always replaces).
            let callback_accept = (callbacks > 0 && callbacks * 100 >= mine.len()).then_some(1.0);
            CallerFit {
                name: name.clone(),
                key: key_of(name),
                calls: mine.len(),
                first_calls: first.len(),
                arrivals: arrivals::rates(&first, &iv, days.len()),
                ended_in_menu: in_menu as f64 / mine.len().max(1) as f64,
                menu: distributions::fit(&menu),
                handle: distributions::fit(&talks),
                patience: patience::fit(&held, &[]),
                redial,
                priority,
                callbacks,
                callback_accept,
                left_on_hearing: mine.iter().filter(|(_, c)| c.left_on_hearing).count(),
                left_below_offer: None,
                announces_too: false,
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
                on_phones: sum(&|x| x.on_phones),
                agents: (sum(&|x| x.agents) * 10.0).round() / 10.0,
            };
        }
    }
    let queue_names = queue_names(calls, &callers);
    let mut f = Fitted {
        days,
        intervals: iv,
        queue_names,
        pool_name: pool_name(calls),
        callers,
        agents,
        agents_named,
        agents_rule: opts.agents,
        day_type: None,
        trend: None,
        pools,
        calibration: None,
        availability: None,
        callback_offer: opts.callback_offer,
    };
    if f.callers.iter().any(CallerFit::hears_wait) {
        fit_told_waits(&mut f, calls);
    }
    f
}

/// What a queued call shows of its caller's patience (without a wait told).
fn held_of(c: &LoggedCall) -> Option<Held> {
    match (c.wait, c.ending) {
        // A hang-up after no hold at all left on hearing the estimated wait
        // (or balked): a choice, not patience run out (see `fit_told_waits`).
        (Some(w), Ending::HungUp) if w > 0.0 => Some(Held::new(w, true)),
        (Some(w), Ending::Served) => Some(Held::new(w, false)),
        _ => None,
    }
}

/// Where callers left on hearing the estimated wait: the pools answering
/// those queues at once are written as agents on duty with their share on the
/// phones (so the fitted queue tells the wait the log's did), the waits told
/// are rebuilt ([`told`]) and those types' patience is fitted again with
/// each leaver's patience below the wait they heard, and each caller who
/// heard one and stayed above it.
fn fit_told_waits(f: &mut Fitted, calls: &[LoggedCall]) {
    let tells: Vec<usize> = (0..f.callers.len()).filter(|&i| f.callers[i].hears_wait()).collect();
    let n_iv = f.agents.len();
    let mut queues = Vec::with_capacity(tells.len());
    if f.pools.is_empty() {
        f.availability = pools::on_duty_share(&f.agents);
        let share = f.availability.unwrap_or(1.0);
        let on_duty: Vec<f64> = f.agents.iter().map(|a| a.agents / share).collect();
        for &i in &tells {
            let c = &f.callers[i];
            queues.push((i, c.handle.best().map_or(c.handle.sample_mean, |b| b.family.mean()), on_duty.clone()));
        }
    } else {
        let first_of = |f: &Fitted, key: &str| -> Vec<usize> {
            pools::queue_pools(&f.pools, key)
                .into_iter()
                .filter(|(_, after)| *after == 0.0)
                .filter_map(|(p, _)| f.pools.iter().position(|x| x.key == p))
                .collect()
        };
        for &i in &tells {
            for p in first_of(f, &f.callers[i].key) {
                f.pools[p].availability = pools::on_duty_share(&f.pools[p].agents);
            }
        }
        for &i in &tells {
            let c = &f.callers[i];
            let first = first_of(f, &c.key);
            let own = c.handle.best().map_or(c.handle.sample_mean, |b| b.family.mean());
            let means: Vec<f64> = first
                .iter()
                .map(|&p| {
                    let s = f.pools[p].serves.iter().find(|s| s.caller == c.key);
                    s.and_then(|s| s.handle.best()).map_or(own, |b| b.family.mean())
                })
                .collect();
            let handle = if means.is_empty() { own } else { means.iter().sum::<f64>() / means.len() as f64 };
            let on_duty: Vec<f64> = (0..n_iv)
                .map(|k| {
                    first
                        .iter()
                        .map(|&p| {
                            let pool = &f.pools[p];
                            pool.agents.get(k).map_or(0.0, |a| a.agents / pool.availability.unwrap_or(1.0))
                        })
                        .sum()
                })
                .collect();
            queues.push((i, handle, on_duty));
        }
    }
    let offer = f.callback_offer;
    let mut queues: Vec<told::QueueTells> = queues
        .into_iter()
        .map(|(i, handle_mean, on_duty)| {
            let c = &f.callers[i];
            told::QueueTells {
                caller: &c.name,
                telling: if c.callback_accept.is_some() {
                    told::Telling::OverOffer(offer)
                } else {
                    told::Telling::Always
                },
                handle_mean,
                on_duty,
            }
        })
        .collect();
    let iv = f.intervals;
    // A `shop` log that keeps the waits told (`told_wait`) gives them as
    // heard; other logs' are rebuilt.
    let logged = calls.iter().any(|c| c.told.is_some());
    let mut told =
        if logged { calls.iter().map(|c| c.told).collect() } else { told::rebuild(calls, &queues, &|t| iv.of(t)) };
    // A queue offering callbacks that also announces the wait: callers left
    // on hearing estimates below the threshold, where no offer was made.
    let mut announced = vec![false; f.callers.len()];
    let mut below_offer = vec![None; f.callers.len()];
    for (q, &i) in queues.iter_mut().zip(&tells) {
        let c = &f.callers[i];
        if c.callback_accept.is_none() {
            continue;
        }
        let left: Vec<f64> = calls
            .iter()
            .zip(&told)
            .filter(|(l, _)| l.caller == c.name && l.left_on_hearing)
            .filter_map(|(_, e)| *e)
            .collect();
        if left.is_empty() {
            continue;
        }
        let below = left.iter().filter(|&&t| t <= offer).count() as f64 / left.len() as f64;
        below_offer[i] = Some(crate::stats::r3(below));
        if below > ANNOUNCED_TOO {
            announced[i] = true;
            q.telling = told::Telling::Always;
        }
    }
    if announced.iter().any(|a| *a) && !logged {
        told = told::rebuild(calls, &queues, &|t| iv.of(t));
    }
    drop(queues);
    for (i, (a, b)) in announced.into_iter().zip(below_offer).enumerate() {
        f.callers[i].announces_too = a;
        f.callers[i].left_below_offer = b;
    }
    let refits: Vec<(usize, PatienceFit)> = tells
        .iter()
        .map(|&i| {
            let name = &f.callers[i].name;
            let mut held = Vec::new();
            let mut left = Vec::new();
            for (c, e) in calls.iter().zip(&told).filter(|(c, _)| &c.caller == name) {
                if c.left_on_hearing {
                    left.extend(*e);
                } else if let Some(h) = held_of(c) {
                    held.push(Held { told: *e, ..h });
                }
            }
            (i, patience::fit(&held, &left))
        })
        .collect();
    for (i, p) in refits {
        f.callers[i].patience = p;
    }
    // The share who take a callback, among those offered one: offered are the
    // callers whose rebuilt estimate exceeded the threshold (told; where the
    // queue also announces, everyone who waited is told, and only those over
    // it were offered), whether they then held or left on hearing it, and
    // those who took it.
    for &i in &tells {
        let c = &f.callers[i];
        if c.callback_accept.is_none() || c.callbacks == 0 {
            continue;
        }
        let offered = |e: &Option<f64>| e.is_some_and(|t| !c.announces_too || t > offer);
        let declined = calls.iter().zip(&told).filter(|(l, e)| l.caller == c.name && !l.apart && offered(e)).count();
        f.callers[i].callback_accept = Some(c.callbacks as f64 / (c.callbacks + declined) as f64);
    }
}
