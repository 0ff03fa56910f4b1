//! `shop merge SHARD...`: the report of the shards' replications, exactly as
//! `shop run FILE --replications N` prints it (see `crate::stats::shard`).

use std::path::{Path, PathBuf};

use super::Failure;
use crate::cli::MergeArgs;
use crate::output::{Written, pick_format};
use crate::pipeline::{load_text, stdout_colour};
use crate::report::{Exporter, Format, exporter, table::TableExporter};
use crate::stats::Report;
use crate::stats::shard::{Shard, join, scenario_hash};

pub fn run(args: &MergeArgs) -> Result<(), Failure> {
    let inputs: Vec<&Path> = args.shards.iter().map(PathBuf::as_path).collect();
    let out = Written::new(args.out.as_deref(), &inputs)?;
    let format =
        pick_format(args.format.map(Into::into), args.out.as_deref(), Format::from_extension).unwrap_or(Format::Table);
    if format == Format::Html {
        return Err(Failure::Input(
            "error: merge --format html: the page tells the run's worst journeys, which shards do not keep\n  \
             help: merge to table, json, markdown or csv (or run the replications whole for the HTML page)"
                .into(),
        ));
    }
    let shards = args
        .shards
        .iter()
        .map(|p| Ok((p.display().to_string(), Shard::read(p)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let joined = join(shards)?;
    let mut loaded = load_text(&joined.scenario.file, &joined.scenario.text)?;
    let sc = &mut loaded.scenario;
    sc.seed = joined.seed;
    sc.replications = joined.runs.per_rep.len() as u32;
    if scenario_hash(sc) != joined.scenario_hash {
        return Err(Failure::Input(format!(
            "error: the shards' scenario ({}) loads differently here than where they ran: the shards are damaged",
            joined.scenario.file
        )));
    }
    let report = Report::build(sc, &joined.runs);
    // As `run`: the report carries its warnings; stderr repeats them unless
    // the report itself is the terminal table.
    if format != Format::Table || args.out.is_some() {
        for w in &report.warnings {
            eprintln!("warning: {}", w.message);
        }
    }
    let text = match format {
        Format::Table if args.out.is_none() && stdout_colour() => TableExporter { styled: true }.render(&report),
        _ => exporter(format).render(&report),
    };
    out.write(&text)?;
    Ok(())
}
