//! `shop merge SHARD...`: the report of the shards' replications, exactly as
//! `shop run FILE --replications N` (or `shop compare A B ...`, for shards of
//! `compare`) prints it (see `crate::stats::shard`).

use std::path::{Path, PathBuf};

use super::Failure;
use crate::cli::{MergeArgs, RunFormat};
use crate::output::{Written, pick_format};
use crate::pipeline::{load_text, pair, stdout_colour};
use crate::report::compare::{PairFormat, exporter as compare_exporter, styled};
use crate::report::{Exporter, Format, exporter, table::TableExporter};
use crate::scenario::Loaded;
use crate::stats::Report;
use crate::stats::collect::Runs;
use crate::stats::shard::{Shard, Source, join, scenario_hash};

pub fn run(args: &MergeArgs) -> Result<(), Failure> {
    let inputs: Vec<&Path> = args.shards.iter().map(PathBuf::as_path).collect();
    let out = Written::new(args.out.as_deref(), &inputs)?;
    let shards = args
        .shards
        .iter()
        .map(|p| Ok((p.display().to_string(), Shard::read(p)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let mut joined = join(shards)?;
    let a = side(&joined.scenario, &joined.scenario_hash, joined.seed, &joined.runs)?;
    let text = match joined.versus.take() {
        None => run_report(args, &a, &joined.runs)?,
        Some(v) => {
            // As `compare`: both designs on A's seed, paired.
            let b = side(&v.scenario, &v.scenario_hash, joined.seed, &v.runs)?;
            let format = pick_format(args.format.map(pair_format), args.out.as_deref(), PairFormat::from_extension)
                .unwrap_or(PairFormat::Table);
            let c = pair(&a, &b, &[joined.runs, v.runs], false);
            compare_exporter(format, styled(format, args.out.as_deref())).comparison(&c)
        }
    };
    out.write(&text)?;
    Ok(())
}

/// A shard's scenario, loaded from its text as the shard's run loaded it
/// (its seed, the merged replications), checked against the shard's hash.
fn side(source: &Source, hash: &str, seed: u64, runs: &Runs) -> Result<Loaded, Failure> {
    let mut loaded = load_text(&source.file, &source.text)?;
    let sc = &mut loaded.scenario;
    sc.seed = seed;
    sc.replications = runs.per_rep.len() as u32;
    if scenario_hash(sc) != hash {
        return Err(Failure::Input(format!(
            "error: the shards' scenario ({}) loads differently here than where they ran: the shards are damaged",
            source.file
        )));
    }
    Ok(loaded)
}

/// `run`'s report of the merged replications.
fn run_report(args: &MergeArgs, loaded: &Loaded, runs: &Runs) -> Result<String, Failure> {
    let format =
        pick_format(args.format.map(Into::into), args.out.as_deref(), Format::from_extension).unwrap_or(Format::Table);
    if format == Format::Html {
        return Err(Failure::Input(
            "error: merge --format html: the page tells the run's worst journeys, which shards do not keep\n  \
             help: merge to table, json, markdown or csv (or run the replications whole for the HTML page)"
                .into(),
        ));
    }
    let report = Report::build(&loaded.scenario, runs);
    // As `run`: the report carries its warnings; stderr repeats them unless
    // the report itself is the terminal table.
    if format != Format::Table || args.out.is_some() {
        for w in &report.warnings {
            eprintln!("warning: {}", w.message);
        }
    }
    Ok(match format {
        Format::Table if args.out.is_none() && stdout_colour() => TableExporter { styled: true }.render(&report),
        _ => exporter(format).render(&report),
    })
}

/// `--format` for the shards of `compare`.
fn pair_format(f: RunFormat) -> PairFormat {
    match f {
        RunFormat::Table => PairFormat::Table,
        RunFormat::Json => PairFormat::Json,
        RunFormat::Csv => PairFormat::Csv,
        RunFormat::Markdown => PairFormat::Markdown,
        RunFormat::Html => PairFormat::Html,
    }
}
