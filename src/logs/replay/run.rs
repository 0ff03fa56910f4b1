//! Designs simulated on the log's days: each logged day, as the second pass
//! hands it over, runs every replication of every design (in parallel), and
//! is added to each replication's statistics as day `d` of a chain of the
//! log's days. For a one-day design each logged day starts from an empty
//! center (what is left open at its closing counts as open on that day); a
//! design of chained days (`days: N`) replays each run of consecutive logged
//! days as one chain, once its last day is read, carrying what each day
//! leaves open to the next as its run did.
//!
//! Replication `r` of day `d` is seeded by the design's seed, `r` and the
//! day, whichever designs run beside it and however many replications: two
//! designs replay the same day on the same callers' streams (paired), and
//! `check` adds replications that are the same as a longer run's.

use std::ops::Range;

use rayon::prelude::*;

use super::mapping::{Converted, Plan, convert, plan};
use super::{Scanned, Traffic, for_each_day};
use crate::scenario::{Loaded, Scenario};
use crate::sim::Silent;
use crate::sim::replay::{DAY, ReplayCall, absorb_chain, absorb_day, day_seed, simulate_day};
use crate::stats::collect::{RepStats, Runs};
use crate::time::SimDuration;

/// The designs' plans (their caller types for the log's, their time 0),
/// checked before anything is simulated; notes for guessed times 0 go to stderr.
pub fn plans(designs: &[&Loaded], t: &Traffic, scanned: &Scanned) -> Result<Vec<Plan>, String> {
    let plans: Vec<Plan> = designs.iter().map(|l| plan(&l.scenario, &l.file, scanned, t)).collect::<Result<_, _>>()?;
    for (p, l) in plans.iter().zip(designs) {
        if let Some(n) = p.guessed_note(&l.file) {
            eprintln!("{n}");
        }
        if let Some(n) = p.left_out_note(&t.log.display().to_string(), &l.file) {
            eprintln!("{n}");
        }
    }
    Ok(plans)
}

/// Calls left out per design, outside its opening hours.
#[derive(Clone, Copy, Debug, Default)]
pub struct LeftOut {
    pub before: u64,
    pub after: u64,
    /// Redials of callers the design redials itself.
    pub redials: u64,
}

/// Replications `reps` of each design on every replayed day: one [`Runs`]
/// per design (its replications in order, each over all the days), and the
/// calls each design left out.
pub fn simulate(
    designs: &[&Scenario],
    plans: &[Plan],
    t: &Traffic,
    scanned: &Scanned,
    reps: Range<u32>,
    threads: Option<usize>,
) -> Result<(Vec<Runs>, Vec<LeftOut>), String> {
    let days = scanned.days.len();
    let reps: Vec<u32> = reps.collect();
    let mut accs: Vec<Vec<RepStats>> = designs
        .iter()
        .map(|sc| {
            reps.iter()
                .map(|_| {
                    RepStats::new(sc.callers.len(), sc.queues.len(), sc.pools.len(), sc.intervals.count(), true)
                        .with_days(days as u32)
                })
                .collect()
        })
        .collect();
    let mut left = vec![LeftOut::default(); designs.len()];
    let one_day: Vec<Scenario> = designs
        .iter()
        .map(|sc| {
            let mut s = (*sc).clone();
            s.days = 1;
            s
        })
        .collect();
    // A design of chained days (`days: N`) replays each chain of the log's
    // consecutive days as one run, so what a day leaves open (emails,
    // promised callbacks) is carried to the next, as its run carried it.
    let chained: Vec<bool> = designs.iter().map(|sc| sc.days > 1).collect();
    let any_chained = chained.contains(&true);
    let chain_of = chains(scanned);
    let mut chain_len = vec![0usize; chain_of.len()];
    for &c in &chain_of {
        chain_len[c] += 1;
    }
    let mut pending: std::collections::HashMap<usize, Vec<super::DayCalls>> = std::collections::HashMap::new();
    let mut work = || {
        for_each_day(
            t,
            scanned,
            |day| {
                // Without a chained design each day is simulated as it comes.
                let (chain, len) =
                    if any_chained { (chain_of[day.index], chain_len[chain_of[day.index]]) } else { (day.index, 1) };
                let held = pending.entry(chain).or_default();
                held.push(day);
                if held.len() < len {
                    return Ok(());
                }
                let mut days = pending.remove(&chain).unwrap_or_default();
                days.sort_by_key(|d| d.index);
                // Per design, per day of the chain: its arrivals.
                let mut arrivals: Vec<Vec<Converted>> =
                    plans.iter().map(|p| days.iter().map(|day| convert(p, day)).collect()).collect();
                for (l, per_day) in left.iter_mut().zip(&arrivals) {
                    for a in per_day {
                        l.before += a.before;
                        l.after += a.after;
                        l.redials += a.redials;
                    }
                }
                // What each simulation replays: one day, or a design's whole chain.
                let mut units: Vec<Unit> = Vec::new();
                for (d, sc) in one_day.iter().enumerate() {
                    if chained[d] && days.len() > 1 {
                        let mut s = sc.clone();
                        s.days = days.len() as u32;
                        s.seed = day_seed(s.seed, days[0].key);
                        let calls = chain_calls(&days, &arrivals[d]);
                        units.push(Unit { design: d, first: days[0].index, chain: true, sc: s, calls });
                    } else {
                        for (j, day) in days.iter().enumerate() {
                            let mut s = sc.clone();
                            s.seed = day_seed(s.seed, day.key);
                            let calls = std::mem::take(&mut arrivals[d][j].calls);
                            units.push(Unit { design: d, first: day.index, chain: false, sc: s, calls });
                        }
                    }
                }
                // The logged calls are no longer needed: only the arrivals are held while simulating.
                drop(days);
                drop(arrivals);
                let jobs: Vec<(usize, usize)> =
                    (0..units.len()).flat_map(|u| (0..reps.len()).map(move |r| (u, r))).collect();
                let stats: Vec<RepStats> = jobs
                    .par_iter()
                    .map(|&(u, r)| simulate_day(&units[u].sc, reps[r], &units[u].calls, &mut Silent))
                    .collect();
                for (&(u, r), s) in jobs.iter().zip(stats) {
                    let unit = &units[u];
                    let acc = &mut accs[unit.design][r];
                    if unit.chain { absorb_chain(acc, s, unit.first) } else { absorb_day(acc, s, unit.first) }
                }
                Ok(())
            },
            |n| eprintln!("{n}"),
        )
    };
    match threads {
        None => work()?,
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| format!("cannot start {n} threads: {e}"))?
            .install(work)?,
    }
    let runs = accs.into_iter().map(Runs::from_reps).collect();
    Ok((runs, left))
}

/// One simulation of a replay: a design on one logged day, or on a chain of
/// consecutive days (`chain`) starting at day `first`.
struct Unit {
    design: usize,
    first: usize,
    chain: bool,
    sc: Scenario,
    calls: Vec<ReplayCall>,
}

/// The chain each replayed day belongs to (the index of its first day): runs
/// of consecutive days of the log (a `shop` log's days of one replication of
/// a chained design, a dated log's consecutive dates).
fn chains(scanned: &Scanned) -> Vec<usize> {
    let mut of = Vec::with_capacity(scanned.days.len());
    for (i, d) in scanned.days.iter().enumerate() {
        let follows = i > 0 && scanned.days[i - 1].key + 1 == d.key;
        of.push(if follows { of[i - 1] } else { i });
    }
    of
}

/// A chain's arrivals, day after day (day `j`'s a day later than day `j -
/// 1`'s), each caller's index unique in the chain (its place among all the
/// chain's logged calls, so that two designs meet the same callers).
fn chain_calls(days: &[super::DayCalls], per_day: &[Converted]) -> Vec<ReplayCall> {
    let mut out = Vec::new();
    let mut offset = 0u32;
    for (j, (day, a)) in days.iter().zip(per_day).enumerate() {
        let shift = SimDuration(DAY.0 * j as u64);
        out.extend(a.calls.iter().map(|c| ReplayCall { at: c.at + shift, index: c.index + offset, ..*c }));
        offset += day.calls.len() as u32;
    }
    out
}

/// The design as the report sees a replay: one day per logged day, and the
/// replications run.
pub fn report_scenario(sc: &Scenario, scanned: &Scanned, replications: u32) -> Scenario {
    let mut s = sc.clone();
    s.days = (scanned.days.len() as u32).max(1);
    s.replications = replications;
    s
}

/// A log opened as traffic for some designs: scanned once, the designs'
/// plans checked; [`Session::simulate`] may then run any replications.
pub struct Session {
    pub traffic: Traffic,
    pub scanned: Scanned,
    plans: Vec<Plan>,
    /// Left-out calls were noted (once, on the first simulation).
    noted: std::cell::Cell<bool>,
}

impl Session {
    /// Scans the log and plans each design; notes what the log leaves out.
    pub fn open(mut traffic: Traffic, designs: &[&Loaded]) -> Result<Session, String> {
        traffic.day_type = designs.first().and_then(|l| crate::logs::fit::day_types::weekdays_of_scenario(&l.text));
        let scanned = super::scan(&traffic)?;
        let plans = plans(designs, &traffic, &scanned)?;
        let log = traffic.log.display();
        let s = &scanned;
        if s.skipped.total() > 0 {
            let reasons: Vec<String> =
                s.skipped.by_reason.iter().map(|(r, c)| format!("{} {}", c.rows, r.describe())).collect();
            eprintln!("note: {log}: {} of {} rows left out ({})", s.skipped.total(), s.rows, reasons.join(", "));
        }
        match &traffic.day_type {
            Some((name, _)) if s.days.len() < s.all_days => eprintln!(
                "note: {log}: replaying its {} day(s) of day type `{name}` (the scenario's), of {}{}",
                s.days.len(),
                s.all_days,
                if traffic.last.is_some() { " (after --last)" } else { "" }
            ),
            _ if s.days.len() < s.all_days => {
                eprintln!("note: {log}: replaying the last {} of its {} days", s.days.len(), s.all_days)
            }
            _ => {}
        }
        Ok(Session { traffic, scanned, plans, noted: std::cell::Cell::new(false) })
    }

    /// Replications `reps` of the designs (in the order they were opened with).
    pub fn simulate(&self, designs: &[&Loaded], reps: Range<u32>, threads: Option<usize>) -> Result<Vec<Runs>, String> {
        let scs: Vec<&Scenario> = designs.iter().map(|l| &l.scenario).collect();
        let (runs, left) = simulate(&scs, &self.plans, &self.traffic, &self.scanned, reps, threads)?;
        if !self.noted.replace(true) {
            let log = self.traffic.log.display();
            for (l, d) in left.iter().zip(designs) {
                if l.before + l.after > 0 {
                    eprintln!(
                        "note: {} of {log}'s calls fall outside {}'s opening hours ({} before its time 0, {} at or \
                         after its horizon) and are left out",
                        l.before + l.after,
                        d.file,
                        l.before,
                        l.after
                    );
                }
                if l.redials > 0 {
                    eprintln!(
                        "note: {} of {log}'s calls redial an unanswered call; {} redials those callers itself, so \
                         they are left to its `redial:`",
                        l.redials, d.file
                    );
                }
            }
        }
        Ok(runs)
    }

    /// Replications `reps` of two designs, paired: `compare` and `check --traffic`.
    pub fn simulate_pair(
        &self,
        a: &Loaded,
        b: &Loaded,
        reps: Range<u32>,
        threads: Option<u32>,
    ) -> Result<[Runs; 2], String> {
        let mut runs = self.simulate(&[a, b], reps, threads.map(|t| t as usize))?.into_iter();
        match (runs.next(), runs.next()) {
            (Some(x), Some(y)) => Ok([x, y]),
            _ => Err("no replications to run".into()),
        }
    }

    /// The design as the reports see it (the log's days as its days).
    pub fn report_side(&self, l: &Loaded) -> Loaded {
        Loaded {
            scenario: report_scenario(&l.scenario, &self.scanned, l.scenario.replications),
            warnings: Vec::new(),
            file: l.file.clone(),
            text: String::new(),
            index: Default::default(),
        }
    }
}
