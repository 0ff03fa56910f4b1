//! `shop check BASE HEAD`: the CI gate. Exit 0 when every gate passes, 1 when
//! one fails or stays inconclusive, 2 on bad input or usage (including a gate
//! that cannot be read).

use std::path::Path;

use serde::Deserialize;

use super::Failure;
use crate::cli::CheckArgs;
use crate::logs::replay::run::Session;
use crate::output::{Written, pick_format};
use crate::pipeline::{extend_pair, load_pair, pair, simulate_pair_runs};
use crate::report::compare::{PairFormat, exporter, styled};
use crate::scenario::Loaded;
use crate::stats::check::{CheckReport, Names, check_scopes};
use crate::stats::gate::{DEFAULT_GATES, FORMS, Gate};
use crate::stats::metric::Metric;

/// A gates file: one key, `gates:`, holding a list of gate strings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "gates file")]
struct GatesFile {
    gates: Vec<String>,
}

fn gate_error(where_: &str, message: &str) -> Failure {
    Failure::Input(format!("error: {where_}: {message}\n{FORMS}"))
}

/// Reads a gates file: `gates:` and a list of gate strings.
fn read_gates_file(path: &Path) -> Result<Vec<Gate>, Failure> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("error: --gates {name}: {e}")))?;
    let file: GatesFile = serde_yaml::from_str(&text).map_err(|e| {
        let at = e.location().map(|l| format!(":{}:{}", l.line(), l.column())).unwrap_or_default();
        Failure::Input(format!(
            "error: {name}{at}: {e}\n  help: a gates file is a YAML map with one key, `gates:`, holding a list of gates:\n    gates:\n      - \"wait.p95 <= +5%\"\n      - \"corporate:wait.max <= +30s\""
        ))
    })?;
    if file.gates.is_empty() {
        return Err(gate_error(&name, "`gates:` is empty: list at least one gate"));
    }
    file.gates
        .iter()
        .map(|g| {
            Gate::parse(g).map_err(|e| {
                let line = text.lines().position(|l| l.contains(g.trim())).map(|i| format!(":{}", i + 1));
                gate_error(&format!("{name}{}", line.unwrap_or_default()), &e)
            })
        })
        .collect()
}

/// The gates to apply: `--gates FILE` and `--gate` together, else the defaults.
fn gates(args: &CheckArgs) -> Result<Vec<Gate>, Failure> {
    let mut gates = match &args.gates_file {
        Some(f) => read_gates_file(f)?,
        None => Vec::new(),
    };
    for g in &args.gates {
        gates.push(Gate::parse(g).map_err(|e| gate_error("--gate", &e))?);
    }
    if gates.is_empty() {
        gates = DEFAULT_GATES.iter().map(|g| Gate::parse(g)).collect::<Result<_, _>>()?;
    }
    Ok(gates)
}

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let gates = gates(args)?;
    let out = Written::new(args.out.as_deref(), &[&args.base, &args.head])?;
    let format = pick_format(args.format.map(Into::into), args.out.as_deref(), PairFormat::from_extension)
        .unwrap_or(PairFormat::Table);
    let opts = args.sim.options()?;
    let traffic = super::replay::optional_traffic(args.traffic.as_deref(), &args.replay)?;
    let (base, head) = load_pair(&args.base, &args.head, &opts, ["base", "head"])?;
    // A scope in neither design is a typo, a usage error: say so before simulating.
    let callers = |l: &Loaded| l.scenario.callers.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    let queues = |l: &Loaded| l.scenario.queues.iter().map(|q| q.name.clone()).collect::<Vec<_>>();
    let (cb, ch, qb, qh) = (callers(&base), callers(&head), queues(&base), queues(&head));
    check_scopes(&gates, Names { base: &cb, head: &ch }, Names { base: &qb, head: &qh })
        .map_err(|e| Failure::Input(format!("error: {e}\n{FORMS}")))?;
    // Sequential: while a gate's interval straddles its limit, double the
    // replications (replication r is the same day in every run) up to the most allowed.
    let first = base.scenario.replications;
    let most = args.max_replications.unwrap_or(first.saturating_mul(8)).max(first);
    // With --traffic: both designs on the log's callers (the sides reported with the log's days).
    let session = match traffic {
        Some(t) => Some(Session::open(t, &[&base, &head])?),
        None => None,
    };
    let sides = session.as_ref().map(|s| (s.report_side(&base), s.report_side(&head)));
    let (side_base, side_head) = sides.as_ref().map_or((&base, &head), |(b, h)| (b, h));
    let mut runs = match &session {
        Some(s) => s.simulate_pair(&base, &head, 0..first, opts.threads)?,
        None => simulate_pair_runs(&base, &head, &opts)?,
    };
    // The logged days are days: their figures are paired (worst day, 1-in-10 day) as a spread's are.
    let days = session.is_some() || gates.iter().any(|g| matches!(g.metric, Metric::Day(..)));
    let report = loop {
        let c = pair(side_base, side_head, &runs, days);
        let report = CheckReport::build(&gates, &c, args.allow_missing, [first, most]);
        let done = runs[0].per_rep.len() as u32;
        if report.failed > 0 || report.inconclusive == 0 || done >= most {
            break report;
        }
        let more = done..done.saturating_mul(2).min(most);
        match &session {
            Some(s) => {
                let [a, b] = s.simulate_pair(&base, &head, more, opts.threads)?;
                runs[0].extend(a);
                runs[1].extend(b);
            }
            None => extend_pair(&base, &head, &mut runs, more, &opts)?,
        }
    };
    let text = exporter(format, styled(format, args.out.as_deref())).check(&report);
    out.write(&text)?;
    if report.failed > 0 || report.inconclusive > 0 { Err(Failure::GateFailed) } else { Ok(()) }
}
