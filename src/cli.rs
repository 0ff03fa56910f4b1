//! Command-line arguments (clap derive). Nothing below this module sees clap's
//! types except the output-format enums.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "shop",
    version,
    about = "Mystery-shop a contact center: simulate callers through a phone menu, queues and agents, and report what they lived through.",
    after_help = "`shop FILE` is short for `shop run FILE`.\nExit codes: 0 success, 1 a `check` gate failed (or `validate --strict` found warnings), 2 bad input or usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate one design and report what callers experienced.
    Run(RunArgs),
    /// Run two designs on the same simulated callers and show the differences.
    Compare(CompareArgs),
    /// CI gate: exit 1 when HEAD worsens a gated metric beyond its tolerance.
    Check(CheckArgs),
    /// The mystery shopper: narrate simulated calls step by step.
    Journey(JourneyArgs),
    /// Check a scenario file: load errors, and warnings a designer should see.
    Validate(ValidateArgs),
    /// Print the JSON Schema of the scenario file, for editors: save it with --out and start
    /// a scenario with `# yaml-language-server: $schema=./shop.schema.json`.
    Schema(SchemaArgs),
    /// Fit a scenario to a real call log (arrivals, handle times, patience, staffing).
    Fit(FitArgs),
}

/// Output formats of `compare` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    Table,
    Json,
    Markdown,
    Csv,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first design (the baseline).
    pub a: PathBuf,
    /// The second design.
    pub b: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: CompareFormat,
    /// Write the comparison to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The design before the change.
    pub base: PathBuf,
    /// The design after the change.
    pub head: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// A gate `METRIC OP LIMIT`, e.g. 'wait.p95 <= +5%', 'corporate:wait.max <= +30s',
    /// 'service_level >= -0.02'. Repeatable; replaces the default gates
    /// ('wait.p95 <= +5% or +5s' and 'wait.max <= +10% or +30s', per caller type and overall).
    #[arg(long = "gate", value_name = "GATE")]
    pub gates: Vec<String>,
    /// A YAML file with a list of gates under `gates:` (the team's policy, kept in the repository).
    #[arg(long = "gates", value_name = "FILE")]
    pub gates_file: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: CompareFormat,
    /// Write the verdict to this file (atomically); the exit code is unchanged.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Output formats of `journey`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum JourneyFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct JourneyArgs {
    /// The scenario file (YAML).
    pub file: PathBuf,
    /// Only callers of this type.
    #[arg(long)]
    pub caller: Option<String>,
    /// Only callers with this reason.
    #[arg(long)]
    pub reason: Option<String>,
    /// How many journeys to narrate: the first ones to dial, from replication 0 on.
    #[arg(long, default_value_t = 1, conflicts_with = "worst", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
    /// Narrate the N calls with the longest hold in the run `shop run` reports
    /// with the same file, seed and replications (the first one's hold is `wait.max`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub worst: Option<u32>,
    #[command(flatten)]
    pub sim: SimArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: JourneyFormat,
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The scenario file (YAML).
    pub file: PathBuf,
    /// Exit 1 when there are warnings (for CI).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// The call-log layouts `shop fit` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogSchema {
    /// What `shop run --log` writes.
    Shop,
    /// The public research log of a bank's call center (one row per call, `vru_entry`, `q_start`, ...).
    AnonymousBank,
}

/// Output formats of `fit`'s report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FitFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// The call log (CSV, comma- or tab-separated).
    pub log: PathBuf,
    /// The log's layout.
    #[arg(long, value_enum, default_value = "shop")]
    pub schema: LogSchema,
    /// Length of the intervals of the arrival profile and the staffing.
    #[arg(long, default_value = "30m")]
    pub interval: String,
    /// Fit arrivals and staffing per weekday: one scenario per weekday seen
    /// (`fitted.yaml` becomes `fitted.mon.yaml`, ...), beside the all-days one.
    #[arg(long)]
    pub day_of_week: bool,
    /// Two calls of one customer this close (end to next dial) are a redial.
    #[arg(long, default_value = "2h", value_name = "DURATION")]
    pub redial_window: String,
    /// Write the fitted scenario here (atomically); without it the scenario goes to
    /// standard output and the report to standard error.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Format of the report of what was fitted.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FitFormat,
}

/// Options that change what is simulated.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Random seed (overrides the file's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of independent simulated days (overrides the file's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub replications: Option<u32>,
    /// Worker threads for replications (default: all cores). The report does not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Refuse to start when the expected calls per replication exceed this (guards against typos like 1e9/h).
    #[arg(long, value_name = "N", default_value_t = 50_000_000)]
    pub max_calls: u64,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (YAML).
    pub file: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write the report to this file (atomically: a temporary file renamed into place).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Also write one CSV row per simulated call to this file (streamed; see docs/call-logs.md).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
}

const SUBCOMMANDS: [&str; 8] = ["run", "compare", "check", "journey", "validate", "schema", "fit", "help"];

/// `shop FILE ...` means `shop run FILE ...`.
pub fn normalize_args(mut args: Vec<String>) -> Vec<String> {
    if let Some(first) = args.get(1) {
        if !first.starts_with('-') && !SUBCOMMANDS.contains(&first.as_str()) {
            args.insert(1, "run".to_string());
        }
    }
    args
}
