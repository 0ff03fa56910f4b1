//! The steps every verb shares, below the verbs: load → override → simulate →
//! pair. Verbs (`commands/`) are glue over these; none calls another verb.

use std::ops::Range;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::journey::{Filter, LongWait, RecordedJourney, Recorder, TopWaits};
use crate::sim::engine;

use crate::scenario::{Loaded, Scenario, load_file};
use crate::sim::{Observer, RunOptions, Silent, run_observed};
use crate::stats::collect::{RepStats, Runs};
use crate::stats::comparison::{Comparison, Side};
use crate::time::SimDuration;

/// How a command failed, mapped to the documented exit codes.
#[derive(Debug)]
pub enum Failure {
    /// Bad input or usage: exit 2. The message is complete (file, line, key, fix).
    Input(String),
    /// A `check` gate failed: exit 1 (the report was already printed).
    GateFailed,
    /// `validate --strict` found warnings: exit 1 (they were already printed).
    Warnings,
    /// `staff` found no staffing within the bounds meeting the targets: exit 1;
    /// the message names the interval and the target (the report was printed).
    Unmet(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Input(_) => 2,
            Failure::GateFailed | Failure::Warnings | Failure::Unmet(_) => 1,
        }
    }
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::Input(s)
    }
}

/// What changes the simulation, from the command line (`--seed`, ...).
#[derive(Clone, Debug, Default)]
pub struct SimOptions {
    pub seed: Option<u64>,
    pub replications: Option<u32>,
    pub threads: Option<u32>,
    /// Refuse runs expecting more calls per replication than this.
    pub max_calls: u64,
}

pub use crate::output::{colour, stderr_is_terminal, stdout_colour};

/// Loads a scenario file, rendering every problem for the terminal.
pub fn load(path: &Path) -> Result<Loaded, Failure> {
    load_file(path).map_err(load_failure)
}

/// Loads a scenario from its text (`file` names it): a shard's, in `shop merge`.
pub fn load_text(file: &str, text: &str) -> Result<Loaded, Failure> {
    crate::scenario::load_str(file, text).map_err(load_failure)
}

fn load_failure(e: crate::scenario::LoadError) -> Failure {
    let color = colour(stderr_is_terminal());
    let text: String =
        e.problems.iter().map(|p| crate::scenario::error::render(&e.file, e.text.as_deref(), p, color)).collect();
    let n = e.errors().count();
    Failure::Input(format!(
        "{text}{} in {}: nothing was simulated",
        if n == 1 { "1 error".to_string() } else { format!("{n} errors") },
        e.file
    ))
}

/// Loads a scenario to simulate it: like [`load`], and the loader's warnings,
/// then the lint's severe ones (a design that cannot work as meant, see
/// [`crate::scenario::lint::severe`]), go to stderr, one line each, so a run
/// never hides them. The report and the exit code are not touched.
pub fn load_to_simulate(path: &Path) -> Result<Loaded, Failure> {
    let loaded = load(path)?;
    let severe = crate::scenario::lint::severe(&loaded.scenario, &loaded.index);
    if !loaded.warnings.is_empty() || !severe.is_empty() {
        for w in loaded.warnings.iter().chain(&severe) {
            let text = crate::scenario::error::render(&loaded.file, None, w, false);
            eprintln!("{}", text.lines().next().unwrap_or_default());
        }
        eprintln!("  (`shop validate {}` shows them in context)", loaded.file);
    }
    Ok(loaded)
}

/// Applies `--seed` and `--replications` to a loaded scenario.
pub fn apply_overrides(sc: &mut Scenario, opts: &SimOptions) {
    if let Some(seed) = opts.seed {
        sc.seed = seed;
    }
    if let Some(r) = opts.replications {
        sc.replications = r;
    }
}

/// Loads one design and applies the overrides.
pub fn load_one(path: &Path, opts: &SimOptions) -> Result<Loaded, Failure> {
    let mut loaded = load_to_simulate(path)?;
    apply_overrides(&mut loaded.scenario, opts);
    Ok(loaded)
}

/// Runs all replications with a progress bar on stderr when it is a terminal
/// and the run is long enough to need one. `label` names the design.
pub fn simulate(sc: &Scenario, opts: &SimOptions, label: &str) -> Result<Runs, Failure> {
    Ok(simulate_observed(sc, opts, label, |_| Silent)?.0)
}

/// [`simulate`] with an observer per replication (made by `make`), handed back
/// beside that replication's statistics, in replication order.
pub fn simulate_observed<O, F>(
    sc: &Scenario,
    opts: &SimOptions,
    label: &str,
    make: F,
) -> Result<(Runs, Vec<O>), Failure>
where
    O: Observer + Send,
    F: Fn(u32) -> O + Sync,
{
    check_volume(sc, opts.max_calls, label)?;
    let bar = progress(sc, sc.replications, label);
    let tick = || bar.inc(1);
    let run = RunOptions { threads: opts.threads.map(|t| t as usize), on_replication_done: &tick };
    let reps = run_observed(sc, &run, make)?;
    bar.finish_and_clear();
    Ok(reps)
}

/// Runs replications `reps` only (a shard's, see [`crate::stats::shard`]),
/// each seeded by its index as in a run of them all.
pub fn simulate_range(sc: &Scenario, opts: &SimOptions, label: &str, reps: Range<u32>) -> Result<Runs, Failure> {
    check_volume(sc, opts.max_calls, label)?;
    let bar = progress(sc, reps.end - reps.start, label);
    let tick = || bar.inc(1);
    let run = RunOptions { threads: opts.threads.map(|t| t as usize), on_replication_done: &tick };
    let runs = crate::sim::run_range(sc, reps, &run)?;
    bar.finish_and_clear();
    Ok(runs)
}

/// A progress bar on stderr for `replications` of `sc`, when stderr is a
/// terminal and the run is long enough to need one.
fn progress(sc: &Scenario, replications: u32, label: &str) -> ProgressBar {
    let expected = sc.expected_calls() * f64::from(replications);
    if stderr_is_terminal() && expected > 2.0e6 {
        let bar = ProgressBar::with_draw_target(Some(u64::from(replications)), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} days {elapsed}/{eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(label.to_string());
        bar
    } else {
        ProgressBar::hidden()
    }
}

/// The `n` longest waits of the run (among callers matching `filter`: holds,
/// emails' response times, callbacks' times to callback, see [`crate::journey`]), each
/// with its whole journey recorded, beside the run's statistics: one pass
/// keeping only the top `n`, then the replications holding them run again to
/// record those journeys (same seed: the same calls, exactly). The statistics
/// are those of [`simulate`]: `shop journey --worst` and `shop run --format
/// html` tell the calls of the very run they report.
pub fn worst_journeys(
    sc: &Scenario,
    opts: &SimOptions,
    label: &str,
    filter: Filter,
    n: usize,
) -> Result<(Runs, Vec<(RecordedJourney, LongWait)>), Failure> {
    let (runs, keepers) = simulate_observed(sc, opts, label, |_| TopWaits::new(n, filter, sc))?;
    let top = TopWaits::merge(n, keepers);
    Ok((runs, record_worst(sc, &top, opts.threads)))
}

/// The `n` longest waits among all callers of `runs` (the replications
/// 0..N of `sc`), best first, as [`worst_journeys`] finds them, for
/// statistics that did not keep them (merged shards). Each replication's
/// statistics keep its longest hold, email response and time to callback
/// exactly, and the waits ranked are those very figures: the replications
/// are run again with [`TopWaits`], longest first, until none left can hold
/// a wait as long as the `n`th kept (a few replications: see docs/shards.md).
pub fn longest_waits(sc: &Scenario, runs: &Runs, n: usize) -> Vec<LongWait> {
    // A replication's longest wait; none when it counted no wait at all.
    let longest = |r: &RepStats| {
        let times = r.by_caller.iter().flat_map(|c| [&c.wait, &c.ch.response_time, &c.ch.time_to_callback]);
        times.filter(|s| s.count > 0).map(|s| s.max).max()
    };
    let mut order: Vec<(SimDuration, u32)> =
        runs.per_rep.iter().zip(0u32..).filter_map(|(r, rep)| Some((longest(r)?, rep))).collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut top: Vec<LongWait> = Vec::with_capacity(n + 1);
    for (bound, rep) in order {
        // A wait equal to the `n`th could still rank before it (an earlier call).
        if n == 0 || (top.len() == n && top.last().is_some_and(|w| bound < w.wait)) {
            break;
        }
        let mut keeper = TopWaits::new(n, Filter::default(), sc);
        engine::simulate(sc, rep, &mut keeper);
        top.extend(TopWaits::merge(n, [keeper]));
        top.sort();
        top.truncate(n);
    }
    top
}

/// The journeys of the calls in `top` (longest waits, best first), recorded
/// by running again the replications that hold them (same seed: the same
/// calls, exactly); a call whose journey is not found is left out.
pub fn record_worst(sc: &Scenario, top: &[LongWait], threads: Option<u32>) -> Vec<(RecordedJourney, LongWait)> {
    let mut reps: Vec<u32> = top.iter().map(|h| h.call.replication).collect();
    reps.sort_unstable();
    reps.dedup();
    let record = |rep: u32| {
        let mut rec =
            Recorder::these(top.iter().filter(|h| h.call.replication == rep).map(|h| (h.call.caller, h.call.journey)));
        engine::simulate(sc, rep, &mut rec);
        (rep, rec)
    };
    let recorded: Vec<(u32, Recorder)> = match threads {
        Some(1) => reps.into_iter().map(record).collect(),
        _ => reps.into_par_iter().map(record).collect(),
    };
    top.iter()
        .filter_map(|h| {
            let (_, rec) = recorded.iter().find(|(r, _)| *r == h.call.replication)?;
            rec.journey(h.call.caller, h.call.journey).map(|j| (j.clone(), *h))
        })
        .collect()
}

/// Refuses runaway work before it starts: the expected first calls of one
/// replication (arrival rates × horizon) against `--max-calls`.
pub fn check_volume(sc: &Scenario, max_calls: u64, file: &str) -> Result<(), Failure> {
    let per_rep = sc.expected_calls();
    if per_rep > max_calls as f64 {
        let busiest = sc
            .callers
            .iter()
            .map(|c| (c.arrivals.expected_calls(sc.horizon), &c.name))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(n, name)| format!(" (most from `{name}`: {n:.3e})"))
            .unwrap_or_default();
        let way_on = if per_rep < 1.0e12 {
            format!("if the volume is intended, raise the limit with --max-calls {}", (per_rep * 1.1).ceil() as u64)
        } else {
            "no run could simulate that many".to_string()
        };
        return Err(Failure::Input(format!(
            "error: {file}: about {per_rep:.3e} calls per replication expected{busiest}, more than the limit of {max_calls}\n  \
             help: check the arrival rates and the horizon (a rate is calls per unit: 120/h, 2/m); {way_on}"
        )));
    }
    Ok(())
}

/// Loads both designs and puts them on the same seed and number of
/// replications. `labels` name the designs in notes ("A"/"B" or "base"/"head").
pub fn load_pair(a: &Path, b: &Path, opts: &SimOptions, labels: [&str; 2]) -> Result<(Loaded, Loaded), Failure> {
    // Load both before simulating either, so a broken second file fails fast.
    let (mut la, mut lb) = match (load_to_simulate(a), load_to_simulate(b)) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(Failure::Input(x)), Err(Failure::Input(y))) => return Err(Failure::Input(format!("{x}\n\n{y}"))),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let [na, nb] = labels;
    let (sa, sb) = (&mut la.scenario, &mut lb.scenario);
    if opts.seed.is_none() && sa.seed != sb.seed {
        eprintln!(
            "note: {na} sets seed {} and {nb} seed {}; both run with {na}'s seed {} so they face the same callers (--seed to choose)",
            sa.seed, sb.seed, sa.seed
        );
    }
    if opts.replications.is_none() && sa.replications != sb.replications {
        eprintln!(
            "note: {na} sets {} replications and {nb} {}; both run {na}'s {} (--replications to choose)",
            sa.replications, sb.replications, sa.replications
        );
    }
    if sa.horizon != sb.horizon {
        eprintln!(
            "note: {na} and {nb} have different horizons ({} and {}): callers after the shorter one exist in one design only",
            crate::time::human_secs(sa.horizon.as_secs_f64()),
            crate::time::human_secs(sb.horizon.as_secs_f64())
        );
    }
    sb.seed = sa.seed;
    sb.replications = sa.replications;
    apply_overrides(sa, opts);
    apply_overrides(sb, opts);
    Ok((la, lb))
}

/// Simulates both designs and pairs their figures.
pub fn simulate_pair(la: &Loaded, lb: &Loaded, opts: &SimOptions) -> Result<Comparison, Failure> {
    let runs = simulate_pair_runs(la, lb, opts)?;
    Ok(pair(la, lb, &runs, false))
}

/// Both designs' replications, unpaired: `check` extends them while a gate is undecided.
pub fn simulate_pair_runs(la: &Loaded, lb: &Loaded, opts: &SimOptions) -> Result<[Runs; 2], Failure> {
    Ok([simulate(&la.scenario, opts, &la.file)?, simulate(&lb.scenario, opts, &lb.file)?])
}

/// Pairs both designs' figures over the replications in `runs`; `days` adds
/// the worst-day and 1-in-10-day figures even when neither design spreads its
/// daily volumes (a `check` gate names one).
pub fn pair(la: &Loaded, lb: &Loaded, runs: &[Runs; 2], days: bool) -> Comparison {
    let mut sides = [la.scenario.clone(), lb.scenario.clone()];
    for (sc, r) in sides.iter_mut().zip(runs) {
        sc.replications = r.per_rep.len() as u32;
    }
    let days = days || sides.iter().any(Scenario::reports_days);
    Comparison::build_with_days(
        &Side { file: &la.file, scenario: &sides[0], runs: &runs[0] },
        &Side { file: &lb.file, scenario: &sides[1], runs: &runs[1] },
        days,
    )
}

/// Adds replications `reps` (the ones that follow those in `runs`) to both designs.
pub fn extend_pair(
    la: &Loaded,
    lb: &Loaded,
    runs: &mut [Runs; 2],
    reps: std::ops::Range<u32>,
    opts: &SimOptions,
) -> Result<(), Failure> {
    let run = RunOptions { threads: opts.threads.map(|t| t as usize), on_replication_done: &|| {} };
    for (l, r) in [la, lb].into_iter().zip(runs.iter_mut()) {
        r.extend(crate::sim::run_range(&l.scenario, reps.clone(), &run)?);
    }
    Ok(())
}

/// `--from STATE.json [--at T] [--rescale]`: every replication of `sc`
/// starts from the snapshot (see `crate::intraday`).
pub fn start_from(
    sc: &mut Scenario,
    state: &Path,
    at: Option<&str>,
    rescale: bool,
) -> Result<crate::intraday::Intraday, Failure> {
    let snapshot = crate::intraday::snapshot::read(state)?;
    Ok(crate::intraday::apply(sc, &snapshot, &state.display().to_string(), at, rescale)?)
}

/// Both designs from their snapshot (`compare --from`): their replications,
/// and when each replication's queue cleared.
pub fn simulate_pair_cleared(
    la: &Loaded,
    lb: &Loaded,
    opts: &SimOptions,
) -> Result<([Runs; 2], [crate::intraday::figures::Cleared; 2]), Failure> {
    use crate::intraday::figures::ClearWatch;
    let cleared = |w: Vec<ClearWatch>| w.into_iter().map(|w| w.cleared).collect();
    let (ra, wa) = simulate_observed(&la.scenario, opts, &la.file, |_| ClearWatch::default())?;
    let (rb, wb) = simulate_observed(&lb.scenario, opts, &lb.file, |_| ClearWatch::default())?;
    Ok(([ra, rb], [cleared(wa), cleared(wb)]))
}
