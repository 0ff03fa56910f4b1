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
    after_help = "`shop FILE` is short for `shop run FILE`.\nExit codes: 0 success, 1 a `check` gate failed, 2 bad input or usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate one design and report what callers experienced.
    Run(RunArgs),
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
