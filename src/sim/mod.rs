//! Simulation: the engine, its event list, random streams and observers, and
//! the runner that spreads replications over threads.

mod agents;
mod arrivals;
mod away;
mod callbacks;
mod email;
pub mod engine;
pub mod events;
mod fifo;
pub mod menu;
mod mode;
mod queue;
pub mod replay;
pub mod rng;
mod seed_state;
mod shifts;
pub mod trace;

use rayon::prelude::*;

use crate::scenario::Scenario;
use crate::stats::collect::{RepStats, Runs};
pub use trace::{CallTag, Observer, Silent, Step};

/// How to run: threads (None = all cores) and a callback after each replication.
pub struct RunOptions<'a> {
    pub threads: Option<usize>,
    pub on_replication_done: &'a (dyn Fn() + Sync),
}

/// Runs every replication of the scenario, in parallel. Each replication is
/// merged into the pooled statistics as it completes and kept only frozen (its
/// own figures, without histograms), so memory stays flat however many
/// replications run. Pooling is integer addition and the frozen replications
/// are returned in replication order: the result does not depend on the
/// number of threads.
pub fn run_replications(sc: &Scenario, opts: &RunOptions) -> Result<Runs, String> {
    Ok(run_merged(sc, opts, |_| Silent, |_, _, _| (), |_, _| ())?.0)
}

/// Like [`run_replications`], with an observer made per replication by `make`
/// and handed back in replication order. Observers do not change what is
/// simulated: the statistics are the same as with [`Silent`].
pub fn run_observed<O, F>(sc: &Scenario, opts: &RunOptions, make: F) -> Result<(Runs, Vec<O>), String>
where
    O: Observer + Send,
    F: Fn(u32) -> O + Sync,
{
    let (runs, mut observers) = run_merged(sc, opts, make, |rep, _, o| vec![(rep, o)], |all, more| all.extend(more))?;
    observers.sort_by_key(|o| o.0);
    Ok((runs, observers.into_iter().map(|(_, o)| o).collect()))
}

/// Like [`run_observed`], but each replication's observer is turned into a
/// summary by `finish` (which also sees the replication's own statistics,
/// before they are frozen) and merged into the others' by `merge` as replications
/// complete, so observers that count (a few megabytes each) are not all kept
/// to the end. The merge order depends on the thread schedule: `merge` must
/// not care (integer addition does not).
pub fn run_merged<O, A, F, G, H>(
    sc: &Scenario,
    opts: &RunOptions,
    make: F,
    finish: G,
    merge: H,
) -> Result<(Runs, A), String>
where
    O: Observer,
    A: Send,
    F: Fn(u32) -> O + Sync,
    G: Fn(u32, &RepStats, O) -> A + Sync,
    H: Fn(&mut A, A) + Sync,
{
    run_merged_range(sc, 0..sc.replications, opts, make, finish, merge)
}

/// Runs replications `reps` only (each seeded by its index, so replication
/// 12 is the same day whichever run simulates it): `check` adds replications
/// to an undecided verdict this way.
pub fn run_range(sc: &Scenario, reps: std::ops::Range<u32>, opts: &RunOptions) -> Result<Runs, String> {
    Ok(run_merged_range(sc, reps, opts, |_| Silent, |_, _, _| (), |_, _| ())?.0)
}

/// [`run_merged`] over replications `reps`.
pub fn run_merged_range<O, A, F, G, H>(
    sc: &Scenario,
    reps: std::ops::Range<u32>,
    opts: &RunOptions,
    make: F,
    finish: G,
    merge: H,
) -> Result<(Runs, A), String>
where
    O: Observer,
    A: Send,
    F: Fn(u32) -> O + Sync,
    G: Fn(u32, &RepStats, O) -> A + Sync,
    H: Fn(&mut A, A) + Sync,
{
    type Partial<A> = (RepStats, A, Vec<(u32, RepStats)>);
    let one = |rep: u32| -> Partial<A> {
        let mut observer = make(rep);
        let stats = engine::simulate(sc, rep, &mut observer);
        (opts.on_replication_done)();
        let frozen = stats.frozen();
        let seen = finish(rep, &stats, observer);
        (stats, seen, vec![(rep, frozen)])
    };
    let pool = |(mut pooled, mut seen, mut reps): Partial<A>, (other, more_seen, more): Partial<A>| {
        pooled.merge(&other);
        merge(&mut seen, more_seen);
        reps.extend(more);
        (pooled, seen, reps)
    };
    let work = || -> Option<Partial<A>> { reps.clone().into_par_iter().map(one).reduce_with(pool) };
    let done = match opts.threads {
        None => work(),
        // One thread: this one, without starting a pool (no thread, no second
        // malloc arena). Pooling is integer addition, so the order of the
        // merges changes nothing.
        Some(1) => reps.clone().map(one).reduce(pool),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| format!("cannot start {n} threads: {e}"))?
            .install(work),
    };
    let Some((pooled, seen, mut reps)) = done else {
        return Err("no replications to run".into());
    };
    reps.sort_by_key(|r| r.0);
    let per_rep = reps.into_iter().map(|(_, stats)| stats).collect();
    Ok((Runs { pooled, per_rep }, seen))
}
