//! `shop run FILE`: simulate one design and print the report.

use super::Failure;
use crate::cli::RunArgs;
use crate::output::{Written, pick_format};
use crate::pipeline::{load_one, simulate, stdout_colour};
use crate::report::{Exporter, Format, exporter, table::TableExporter};
use crate::stats::Report;

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
    let reps = match &args.log {
        Some(log) => crate::logs::write::simulate_logged(sc, &opts, &loaded.file, log, &args.file)?,
        None => simulate(sc, &opts, &loaded.file)?,
    };
    let report = Report::build(sc, &reps);
    let text = if format == Format::Table && args.out.is_none() && stdout_colour() {
        TableExporter { styled: true }.render(&report)
    } else {
        exporter(format).render(&report)
    };
    out.write(&text)?;
    Ok(())
}
