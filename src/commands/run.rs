//! `shop run FILE`: simulate one design and print the report.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Failure, load_to_simulate, stderr_is_terminal};
use crate::cli::{RunArgs, SimArgs};
use crate::report::{Format, exporter, table::TableExporter};
use crate::scenario::Scenario;
use crate::sim::{Observer, RunOptions, Silent, run_observed};
use crate::stats::Report;
use crate::stats::collect::Runs;

/// Applies `--seed` and `--replications` to a loaded scenario.
pub fn apply_overrides(sc: &mut Scenario, args: &SimArgs) {
    if let Some(seed) = args.seed {
        sc.seed = seed;
    }
    if let Some(r) = args.replications {
        sc.replications = r;
    }
}

/// Runs all replications with a progress bar on stderr when it is a terminal
/// and the run is long enough to need one.
/// `label` names the design in messages and the progress bar (its file path).
pub fn simulate(sc: &Scenario, args: &SimArgs, label: &str) -> Result<Runs, Failure> {
    Ok(simulate_observed(sc, args, label, |_| Silent)?.0)
}

/// [`simulate`] with an observer per replication (made by `make`), handed back
/// beside that replication's statistics, in replication order.
pub fn simulate_observed<O, F>(sc: &Scenario, args: &SimArgs, label: &str, make: F) -> Result<(Runs, Vec<O>), Failure>
where
    O: Observer + Send,
    F: Fn(u32) -> O + Sync,
{
    check_volume(sc, args.max_calls, label)?;
    let expected = sc.expected_calls() * f64::from(sc.replications);
    let bar = if stderr_is_terminal() && expected > 2.0e6 {
        let bar = ProgressBar::with_draw_target(Some(u64::from(sc.replications)), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} days {elapsed}/{eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(label.to_string());
        bar
    } else {
        ProgressBar::hidden()
    };
    let tick = || bar.inc(1);
    let opts = RunOptions { threads: args.threads.map(|t| t as usize), on_replication_done: &tick };
    let reps = run_observed(sc, &opts, make)?;
    bar.finish_and_clear();
    Ok(reps)
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

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let mut loaded = load_to_simulate(&args.file)?;
    apply_overrides(&mut loaded.scenario, &args.sim);
    let sc = &loaded.scenario;
    let reps = match &args.log {
        Some(log) => crate::logs::write::simulate_logged(sc, &args.sim, &loaded.file, log, &args.file)?,
        None => simulate(sc, &args.sim, &loaded.file)?,
    };
    let report = Report::build(sc, &reps);
    let text =
        if args.format == Format::Table && args.out.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            crate::report::Exporter::render(&TableExporter { styled: true }, &report)
        } else {
            exporter(args.format).render(&report)
        };
    crate::output::write_output(args.out.as_deref(), &text)?;
    Ok(())
}
