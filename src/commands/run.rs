//! `shop run FILE`: simulate one design and print the report.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Failure, load, stderr_is_terminal};
use crate::cli::{RunArgs, SimArgs};
use crate::report::{Format, exporter, table::TableExporter};
use crate::scenario::Scenario;
use crate::sim::{RunOptions, run_replications};
use crate::stats::Report;
use crate::stats::collect::RepStats;

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
pub fn simulate(sc: &Scenario, args: &SimArgs, label: &str) -> Result<Vec<RepStats>, Failure> {
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
    let reps = run_replications(sc, &opts)?;
    bar.finish_and_clear();
    Ok(reps)
}

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let mut loaded = load(&args.file)?;
    apply_overrides(&mut loaded.scenario, &args.sim);
    let sc = &loaded.scenario;
    let reps = simulate(sc, &args.sim, &sc.name)?;
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
