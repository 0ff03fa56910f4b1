//! Command-line arguments (clap derive). Nothing below this module sees clap's
//! types: the format enums here map onto the reports' own, and [`SimArgs`]
//! onto the pipeline's [`SimOptions`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::pipeline::SimOptions;
use crate::report::Format;
use crate::report::compare::PairFormat;

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
}

/// Output formats of `compare` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    Table,
    Json,
    Markdown,
    Csv,
}

impl From<CompareFormat> for PairFormat {
    fn from(f: CompareFormat) -> PairFormat {
        match f {
            CompareFormat::Table => PairFormat::Table,
            CompareFormat::Json => PairFormat::Json,
            CompareFormat::Markdown => PairFormat::Markdown,
            CompareFormat::Csv => PairFormat::Csv,
        }
    }
}

/// Output formats of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

impl From<RunFormat> for Format {
    fn from(f: RunFormat) -> Format {
        match f {
            RunFormat::Table => Format::Table,
            RunFormat::Json => Format::Json,
            RunFormat::Csv => Format::Csv,
            RunFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first design (the baseline).
    pub a: PathBuf,
    /// The second design.
    pub b: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format [default: table, or the one --out's extension names: .json, .csv, .md]
    #[arg(long, value_enum)]
    pub format: Option<CompareFormat>,
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
    /// A gate `[SCOPE:]METRIC OP LIMIT`. A signed limit is a change from BASE ('wait.p95 <= +5%',
    /// 'wait.max <= +30s', 'service_level >= -2pt'); an unsigned one a level HEAD must meet
    /// ('wait.p95 <= 3m', 'abandon_rate <= 5%'). Scopes: 'corporate:', 'all:', 'queue billing:'.
    /// Repeatable; replaces the default gates ('time_to_answer.p95 <= +10s',
    /// 'time_to_answer.max <= +10% or +30s', 'wait.p95 <= +5% or +5s', 'wait.max <= +10% or +30s',
    /// 'hang_up_rate <= +1pt', per caller type and for all callers).
    #[arg(long = "gate", value_name = "GATE")]
    pub gates: Vec<String>,
    /// A YAML file with a list of gates under `gates:` (the team's policy, kept in the repository).
    #[arg(long = "gates", value_name = "FILE")]
    pub gates_file: Option<PathBuf>,
    /// Output format [default: table, or the one --out's extension names: .json, .csv, .md]
    #[arg(long, value_enum)]
    pub format: Option<CompareFormat>,
    /// A caller type or queue gated in BASE but absent from HEAD (renamed or removed)
    /// is noted instead of failing the gate.
    #[arg(long)]
    pub allow_missing: bool,
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

impl SimArgs {
    /// The pipeline's options.
    pub fn options(&self) -> SimOptions {
        SimOptions {
            seed: self.seed,
            replications: self.replications,
            threads: self.threads,
            max_calls: self.max_calls,
        }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (YAML).
    pub file: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format [default: table, or the one --out's extension names: .json, .csv, .md]
    #[arg(long, value_enum)]
    pub format: Option<RunFormat>,
    /// Write the report to this file (atomically: a temporary file renamed into place).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

const SUBCOMMANDS: [&str; 7] = ["run", "compare", "check", "journey", "validate", "schema", "help"];

/// `shop FILE ...` means `shop run FILE ...`.
pub fn normalize_args(mut args: Vec<String>) -> Vec<String> {
    if let Some(first) = args.get(1) {
        if !first.starts_with('-') && !SUBCOMMANDS.contains(&first.as_str()) {
            args.insert(1, "run".to_string());
        }
    }
    args
}
