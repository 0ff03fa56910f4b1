//! `shop run FILE`: simulate one design and print the report.

use super::Failure;
use crate::cli::{RunArgs, RunOrShardFormat};
use crate::intraday::figures::{ClearWatch, IntradayFigures};
use crate::journey::Filter;
use crate::journey::timeline::{WORST_ON_PAGE, worst_timelines};
use crate::output::{Written, pick_format};
use crate::pipeline::{
    load_one, simulate, simulate_observed, simulate_range, start_from, stdout_colour, worst_journeys,
};
use crate::report::html::HtmlExporter;
use crate::report::{Exporter, Format, exporter, table::TableExporter};
use crate::stats::Report;
use crate::stats::shard::{Shard, Source};

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    if args.format == Some(RunOrShardFormat::Shard) {
        return shard(args);
    }
    let out = Written::new(args.out.as_deref(), &[&args.file])?;
    if let (Some(log), Some(o)) = (&args.log, &args.out) {
        if log == o {
            return Err(Failure::Input(format!(
                "error: --log and --out both name {}: the report would replace the call log
  help: give them different files",
                o.display()
            )));
        }
    }
    let format =
        pick_format(args.format.and_then(RunOrShardFormat::report), args.out.as_deref(), Format::from_extension)
            .unwrap_or(Format::Table);
    let opts = args.sim.options()?;
    let mut loaded = load_one(&args.file, &opts)?;
    let intraday = match &args.from.from {
        Some(state) => {
            if args.log.is_some() {
                return Err(Failure::Input(
                    "error: --log with --from: a run from a snapshot writes no call log\n  \
                     help: drop --log (or log the whole day without --from)"
                        .into(),
                ));
            }
            Some(start_from(&mut loaded.scenario, state, args.from.at.as_deref(), args.from.rescale)?)
        }
        None => None,
    };
    let sc = &loaded.scenario;
    let label = loaded.file.as_str();
    let html = format == Format::Html;
    // The HTML page tells the worst journeys of the very run it reports.
    let (report, worst) = match (&intraday, &args.log) {
        // From a snapshot: each replication also says when its queue cleared.
        (Some(info), _) => {
            let (reps, watches) = simulate_observed(sc, &opts, label, |_| ClearWatch::default())?;
            let cleared: Vec<_> = watches.iter().map(|w| w.cleared).collect();
            let figures = IntradayFigures::build(sc, info, &cleared);
            (Report::build(sc, &reps).from_snapshot(sc, figures), vec![])
        }
        (None, Some(log)) => {
            let reps = crate::logs::write::simulate_logged(sc, &opts, label, log, &args.file)?;
            // The call log has its own observer: the journeys take a second pass.
            let worst =
                if html { worst_journeys(sc, &opts, label, Filter::default(), WORST_ON_PAGE)?.1 } else { vec![] };
            (Report::build(sc, &reps), worst)
        }
        (None, None) if html => {
            let (reps, worst) = worst_journeys(sc, &opts, label, Filter::default(), WORST_ON_PAGE)?;
            (Report::build(sc, &reps), worst)
        }
        (None, None) => (Report::build(sc, &simulate(sc, &opts, label)?), vec![]),
    };
    // The report carries its warnings in every format; stderr repeats them
    // (as it does the file's) unless the report itself is the terminal table.
    if format != Format::Table || args.out.is_some() {
        for w in &report.warnings {
            eprintln!("warning: {}", w.message);
        }
    }
    let text = match format {
        Format::Table if args.out.is_none() && stdout_colour() => TableExporter { styled: true }.render(&report),
        Format::Html => HtmlExporter { journeys: worst_timelines(sc, &report, &worst) }.render(&report),
        _ => exporter(format).render(&report),
    };
    out.write(&text)?;
    Ok(())
}

/// `--format shard`: replications A..B (or 0..N) of the file's seed, written
/// for `shop merge` (docs/shards.md). A shard is JSON for a machine: to a
/// file, or to a pipe, never to the terminal.
fn shard(args: &RunArgs) -> Result<(), Failure> {
    use std::io::IsTerminal;
    let refuse =
        |what: &str, help: &str| Err(Failure::Input(format!("error: --format shard with {what}\n  help: {help}")));
    if args.log.is_some() {
        return refuse("--log: a shard holds statistics, not calls", "drop --log (or log a plain run)");
    }
    if args.from.from.is_some() {
        return refuse("--from: runs from a snapshot are not sharded", "run it whole (it is one day from now)");
    }
    if args.out.is_none() && std::io::stdout().is_terminal() {
        return refuse("no --out: a shard is JSON for `shop merge`, not for a terminal", "add --out part-0.json");
    }
    let out = Written::new(args.out.as_deref(), &[&args.file])?;
    let (opts, range) = args.sim.shard_options();
    let loaded = load_one(&args.file, &opts)?;
    let reps = range.unwrap_or(0..loaded.scenario.replications);
    let runs = simulate_range(&loaded.scenario, &opts, &loaded.file, reps.clone())?;
    let source = Source { file: loaded.file.clone(), text: loaded.text.clone() };
    out.write(&Shard::new(&loaded.scenario, source, reps, runs).to_json())?;
    Ok(())
}
