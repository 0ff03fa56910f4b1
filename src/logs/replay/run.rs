//! Designs simulated on the log's days: each logged day, as the second pass
//! hands it over, runs every replication of every design (in parallel), and
//! is added to each replication's statistics as day `d` of a chain of the
//! log's days. Each logged day starts from an empty center (what is left open
//! at its closing counts as open on that day; nothing carries to the next).
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
use crate::sim::replay::{absorb_day, day_seed, simulate_day};
use crate::stats::collect::{RepStats, Runs};

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
    let jobs: Vec<(usize, usize)> = (0..designs.len()).flat_map(|d| (0..reps.len()).map(move |r| (d, r))).collect();
    let mut work = || {
        for_each_day(
            t,
            scanned,
            |day| {
                let arrivals: Vec<Converted> = plans.iter().map(|p| convert(p, &day)).collect();
                for (l, a) in left.iter_mut().zip(&arrivals) {
                    l.before += a.before;
                    l.after += a.after;
                    l.redials += a.redials;
                }
                let scs: Vec<Scenario> = one_day
                    .iter()
                    .map(|s| {
                        let mut s = s.clone();
                        s.seed = day_seed(s.seed, day.key);
                        s
                    })
                    .collect();
                let index = day.index;
                // The logged calls are no longer needed: only the arrivals are held while simulating.
                drop(day);
                let stats: Vec<RepStats> = jobs
                    .par_iter()
                    .map(|&(d, r)| simulate_day(&scs[d], reps[r], &arrivals[d].calls, &mut Silent))
                    .collect();
                for (&(d, r), s) in jobs.iter().zip(stats) {
                    absorb_day(&mut accs[d][r], s, index);
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
