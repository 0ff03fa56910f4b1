//! `shop merge SHARD...`: the report of the shards' replications, exactly as
//! `shop run FILE --replications N` (or `shop compare A B ...`, `shop backtest
//! LOG FILE ...`, for shards of those) prints it (see `crate::stats::shard`).

use std::path::{Path, PathBuf};

use super::Failure;
use crate::cli::{MergeArgs, RunFormat};
use crate::journey::timeline::{WORST_ON_PAGE, worst_timelines};
use crate::output::{Written, pick_format};
use crate::pipeline::{load_text, longest_waits, pair, record_worst, stdout_colour};
use crate::report::backtest::writer as backtest_writer;
use crate::report::compare::{PairFormat, exporter as compare_exporter, styled};
use crate::report::html::HtmlExporter;
use crate::report::{Exporter, Format, exporter, table::TableExporter};
use crate::scenario::{Loaded, Scenario};
use crate::stats::Report;
use crate::stats::collect::Runs;
use crate::stats::shard::{Logged, Shard, Source, join, scenario_hash};

pub fn run(args: &MergeArgs) -> Result<(), Failure> {
    let inputs: Vec<&Path> = args.shards.iter().map(PathBuf::as_path).collect();
    let out = Written::new(args.out.as_deref(), &inputs)?;
    let shards = args
        .shards
        .iter()
        .map(|p| Ok((p.display().to_string(), Shard::read(p)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let mut joined = join(shards)?;
    let shape = |sc: &mut Scenario| {
        if let Some(b) = &joined.backtest {
            b.side.shape(sc);
        }
    };
    let a = side(&joined.scenario, &joined.scenario_hash, joined.seed, &joined.runs, shape)?;
    let text = match (joined.versus.take(), joined.backtest.take()) {
        (None, Some(logged)) => backtest_report(args, &a, &joined.runs, logged),
        (None, None) => run_report(args, &a, &joined.runs),
        (Some(v), _) => {
            // As `compare`: both designs on A's seed, paired.
            let b = side(&v.scenario, &v.scenario_hash, joined.seed, &v.runs, |_| {})?;
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
/// (its seed, the merged replications, `shape`d as a backtest shapes it for
/// its log), checked against the shard's hash.
fn side(
    source: &Source,
    hash: &str,
    seed: u64,
    runs: &Runs,
    shape: impl FnOnce(&mut Scenario),
) -> Result<Loaded, Failure> {
    let mut loaded = load_text(&source.file, &source.text)?;
    let sc = &mut loaded.scenario;
    sc.seed = seed;
    sc.replications = runs.per_rep.len() as u32;
    shape(sc);
    if scenario_hash(sc) != hash {
        return Err(Failure::Input(format!(
            "error: the shards' scenario ({}) loads differently here than where they ran: the shards are damaged",
            source.file
        )));
    }
    Ok(loaded)
}

/// The format asked for: `--format`, else `--out`'s extension, else table.
fn format(args: &MergeArgs) -> Format {
    pick_format(args.format.map(Into::into), args.out.as_deref(), Format::from_extension).unwrap_or(Format::Table)
}

/// `backtest`'s report of the merged replications beside the shards' log side.
fn backtest_report(args: &MergeArgs, loaded: &Loaded, runs: &Runs, logged: Logged) -> String {
    let bt = logged.side.backtest(&loaded.file, &loaded.scenario, runs);
    backtest_writer(format(args)).render(&bt)
}

/// `run`'s report of the merged replications. Its HTML page tells the
/// journeys of the run's longest waits, which shards do not keep: they are
/// found and recorded again here, by running the few replications that can
/// hold them (see [`longest_waits`]).
fn run_report(args: &MergeArgs, loaded: &Loaded, runs: &Runs) -> String {
    let format = format(args);
    let sc = &loaded.scenario;
    let worst = match format {
        Format::Html => record_worst(sc, &longest_waits(sc, runs, WORST_ON_PAGE), None),
        _ => vec![],
    };
    let report = Report::build(sc, runs);
    // As `run`: the report carries its warnings; stderr repeats them unless
    // the report itself is the terminal table.
    if format != Format::Table || args.out.is_some() {
        for w in &report.warnings {
            eprintln!("warning: {}", w.message);
        }
    }
    match format {
        Format::Table if args.out.is_none() && stdout_colour() => TableExporter { styled: true }.render(&report),
        Format::Html => HtmlExporter { journeys: worst_timelines(sc, &report, &worst) }.render(&report),
        _ => exporter(format).render(&report),
    }
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
