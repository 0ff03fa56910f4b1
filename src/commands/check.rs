//! `shop check BASE HEAD`: the CI gate. Exit 0 when no gate fails, 1 when one
//! does, 2 on bad input or usage (including a gate that cannot be read).

use std::path::Path;

use serde::Deserialize;

use super::Failure;
use super::compare::{load_pair, simulate_pair, styled};
use crate::cli::CheckArgs;
use crate::report::compare::exporter;
use crate::scenario::Loaded;
use crate::stats::check::{CheckReport, check_scopes};
use crate::stats::gate::{DEFAULT_GATES, FORMS, Gate};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
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
    let (base, head) = load_pair(&args.base, &args.head, &args.sim, ["base", "head"])?;
    // An unknown caller in a gate is a usage error: say so before simulating.
    let names = |l: &Loaded| l.scenario.callers.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    check_scopes(&gates, &names(&base), &names(&head)).map_err(|e| Failure::Input(format!("error: {e}\n{FORMS}")))?;
    let c = simulate_pair(&base, &head, &args.sim)?;
    let report = CheckReport::build(&gates, &c);
    let text = exporter(args.format, styled(args.format, args.out.as_deref())).check(&report);
    crate::output::write_output(args.out.as_deref(), &text)?;
    if report.failed > 0 { Err(Failure::GateFailed) } else { Ok(()) }
}
