//! `shop run FILE`: simulate one design and print the report.

use super::Failure;
use crate::cli::RunArgs;
use crate::journey::Filter;
use crate::journey::narrate::Told;
use crate::journey::timeline::timelines;
use crate::output::{Written, pick_format};
use crate::pipeline::{load_one, simulate, stdout_colour, worst_journeys};
use crate::report::html::HtmlExporter;
use crate::report::{Exporter, Format, exporter, table::TableExporter};
use crate::stats::Report;

/// How many of the longest holds the HTML page tells as timelines.
const WORST_JOURNEYS: usize = 3;

pub fn run(args: &RunArgs) -> Result<(), Failure> {
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
        pick_format(args.format.map(Into::into), args.out.as_deref(), Format::from_extension).unwrap_or(Format::Table);
    let opts = args.sim.options();
    let loaded = load_one(&args.file, &opts)?;
    let sc = &loaded.scenario;
    let label = loaded.file.as_str();
    let html = format == Format::Html;
    // The HTML page tells the worst journeys of the very run it reports.
    let (reps, worst) = match &args.log {
        Some(log) => {
            let reps = crate::logs::write::simulate_logged(sc, &opts, label, log, &args.file)?;
            // The call log has its own observer: the journeys take a second pass.
            let worst =
                if html { worst_journeys(sc, &opts, label, Filter::default(), WORST_JOURNEYS)?.1 } else { vec![] };
            (reps, worst)
        }
        None if html => worst_journeys(sc, &opts, label, Filter::default(), WORST_JOURNEYS)?,
        None => (simulate(sc, &opts, label)?, vec![]),
    };
    let report = Report::build(sc, &reps);
    // The report carries its warnings in every format; stderr repeats them
    // (as it does the file's) unless the report itself is the terminal table.
    if format != Format::Table || args.out.is_some() {
        for w in &report.warnings {
            eprintln!("warning: {}", w.message);
        }
    }
    let text = match format {
        Format::Table if args.out.is_none() && stdout_colour() => TableExporter { styled: true }.render(&report),
        Format::Html => {
            let told: Vec<Told> = worst
                .iter()
                .enumerate()
                .map(|(i, (j, h))| Told { journey: j, rank: Some(i + 1), worst: Some(*h) })
                .collect();
            HtmlExporter { journeys: timelines(sc, &report, &told) }.render(&report)
        }
        _ => exporter(format).render(&report),
    };
    out.write(&text)?;
    Ok(())
}
