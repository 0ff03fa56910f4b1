//! Simulation: the engine, its event list, random streams and observers, and
//! the runner that spreads replications over threads.

pub mod engine;
pub mod events;
pub mod rng;
pub mod trace;

use rayon::prelude::*;

use crate::scenario::Scenario;
use crate::stats::collect::RepStats;
pub use trace::{CallTag, Observer, Silent, Step};

/// How to run: threads (None = all cores) and a callback after each replication.
pub struct RunOptions<'a> {
    pub threads: Option<usize>,
    pub on_replication_done: &'a (dyn Fn() + Sync),
}

/// Runs every replication of the scenario, in parallel, and returns their
/// statistics in replication order (so merging is deterministic whatever the
/// number of threads).
pub fn run_replications(sc: &Scenario, opts: &RunOptions) -> Result<Vec<RepStats>, String> {
    Ok(run_observed(sc, opts, |_| Silent)?.into_iter().map(|(stats, _)| stats).collect())
}

/// Like [`run_replications`], with an observer made per replication by `make`
/// and handed back beside that replication's statistics, in replication order.
/// Observers do not change what is simulated: the statistics are the same as
/// with [`Silent`].
pub fn run_observed<O, F>(sc: &Scenario, opts: &RunOptions, make: F) -> Result<Vec<(RepStats, O)>, String>
where
    O: Observer + Send,
    F: Fn(u32) -> O + Sync,
{
    let work = || {
        (0..sc.replications)
            .into_par_iter()
            .map(|rep| {
                let mut observer = make(rep);
                let stats = engine::simulate(sc, rep, &mut observer);
                (opts.on_replication_done)();
                (stats, observer)
            })
            .collect::<Vec<_>>()
    };
    match opts.threads {
        None => Ok(work()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| format!("cannot start {n} threads: {e}"))?;
            Ok(pool.install(work))
        }
    }
}
