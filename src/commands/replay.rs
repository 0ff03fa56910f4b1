//! `shop replay LOG SCENARIO`: the log's callers through the design, and
//! `run`'s report on the log's days. Also the `--traffic` options of
//! `compare` and `check`, read here into the log side's [`Traffic`].

use std::path::Path;

use super::Failure;
use crate::cli::{Redraw, ReplayArgs, TrafficArgs};
use crate::journey::timeline::timelines;
use crate::logs::replay::run::Session;
use crate::logs::replay::{Traffic, parse_map};
use crate::logs::schema::parse_days;
use crate::output::{Written, pick_format};
use crate::pipeline::{load_one, stdout_colour};
use crate::report::html::HtmlExporter;
use crate::report::{Exporter, Format, exporter, table::TableExporter};
use crate::stats::Report;

pub fn run(args: &ReplayArgs) -> Result<(), Failure> {
    let out = Written::new(args.out.as_deref(), &[&args.log, &args.scenario])?;
    let format =
        pick_format(args.format.map(Into::into), args.out.as_deref(), Format::from_extension).unwrap_or(Format::Table);
    let traffic = traffic(&args.log, &args.traffic)?;
    let opts = args.sim.options()?;
    let loaded = load_one(&args.scenario, &opts)?;
    let session = Session::open(traffic, &[&loaded])?;
    let reps = 0..loaded.scenario.replications;
    let runs = session.simulate(&[&loaded], reps, opts.threads.map(|t| t as usize))?.remove(0);
    let side = session.report_side(&loaded);
    let sc = &side.scenario;
    let mut report = Report::build(sc, &runs);
    if !sc.reports_days() {
        // A replay's days are the log's: each one's figures are reported.
        report.add_days(sc, &runs);
    }
    if format != Format::Table || args.out.is_some() {
        for w in &report.warnings {
            eprintln!("warning: {}", w.message);
        }
    }
    let text = match format {
        Format::Table if args.out.is_none() && stdout_colour() => TableExporter { styled: true }.render(&report),
        Format::Html => HtmlExporter { journeys: timelines(sc, &report, &[]) }.render(&report),
        _ => exporter(format).render(&report),
    };
    out.write(&text)?;
    Ok(())
}

/// The log and its reading options as traffic; `--redraw`, `--map` and the
/// others are refused without a log.
pub(crate) fn traffic(log: &Path, a: &TrafficArgs) -> Result<Traffic, Failure> {
    let last = match &a.last {
        Some(text) => Some(parse_days("last", text).map_err(|e| Failure::Input(format!("error: {e}")))?),
        None => None,
    };
    Ok(Traffic {
        log: log.to_path_buf(),
        schema: a.schema.map(Into::into),
        map: parse_map(&a.map)?,
        last,
        redraw_handle: a.redraw.contains(&Redraw::Handle),
        day_type: None,
    })
}

/// `compare`/`check`: the traffic when `--traffic LOG` is given; its options without it are a usage error.
pub(crate) fn optional_traffic(log: Option<&Path>, a: &TrafficArgs) -> Result<Option<Traffic>, Failure> {
    match log {
        Some(log) => traffic(log, a).map(Some),
        None => {
            let given = [
                (a.schema.is_some(), "--schema"),
                (!a.map.is_empty(), "--map"),
                (a.last.is_some(), "--last"),
                (!a.redraw.is_empty(), "--redraw"),
            ];
            match given.iter().find(|(on, _)| *on) {
                Some((_, flag)) => Err(Failure::Input(format!(
                    "error: {flag} reads a call log: give it with --traffic LOG (the designs then replay its callers)"
                ))),
                None => Ok(None),
            }
        }
    }
}
