//! Simulation: the engine, its event list, random streams and observers, and
//! the runner that spreads replications over threads.

mod agents;
mod arrivals;
mod callbacks;
mod email;
pub mod engine;
pub mod events;
pub mod menu;
mod mode;
mod queue;
pub mod rng;
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
    Ok(run_observed(sc, opts, |_| Silent)?.0)
}

/// Like [`run_replications`], with an observer made per replication by `make`
/// and handed back in replication order. Observers do not change what is
/// simulated: the statistics are the same as with [`Silent`].
pub fn run_observed<O, F>(sc: &Scenario, opts: &RunOptions, make: F) -> Result<(Runs, Vec<O>), String>
where
    O: Observer + Send,
    F: Fn(u32) -> O + Sync,
{
    type Partial<O> = (RepStats, Vec<(u32, RepStats, O)>);
    let work = || -> Option<Partial<O>> {
        (0..sc.replications)
            .into_par_iter()
            .map(|rep| {
                let mut observer = make(rep);
                let stats = engine::simulate(sc, rep, &mut observer);
                (opts.on_replication_done)();
                let frozen = stats.frozen();
                (stats, vec![(rep, frozen, observer)])
            })
            .reduce_with(|(mut pooled, mut reps), (other, more)| {
                pooled.merge(&other);
                reps.extend(more);
                (pooled, reps)
            })
    };
    let done = match opts.threads {
        None => work(),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| format!("cannot start {n} threads: {e}"))?
            .install(work),
    };
    let Some((pooled, mut reps)) = done else {
        return Err("no replications to run".into());
    };
    reps.sort_by_key(|r| r.0);
    let (per_rep, observers) = reps.into_iter().map(|(_, stats, o)| (stats, o)).unzip();
    Ok((Runs { pooled, per_rep }, observers))
}
