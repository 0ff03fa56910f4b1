//! `shop`: a mystery shopper for contact centers.
//!
//! A scenario file describes callers, the phone menu, queues and agent pools;
//! the engine sends simulated callers through it and the report says what they
//! lived through, worst experiences first.
//!
//! Layers: [`cli`] (arguments) → [`commands`] (one per verb) → [`scenario`]
//! (load and check) → [`sim`] (the engine; never prints) → [`stats`] (figures)
//! → [`report`] (one writer per format).

// Nested `if let` reads more plainly than let-chains in the engine's branching.
#![allow(clippy::collapsible_if)]

// The binary's own layers: not a library API.
pub(crate) mod cli;
pub(crate) mod commands;
pub(crate) mod journey;
pub(crate) mod output;
pub(crate) mod pipeline;
pub(crate) mod report;

// The library the tests and benchmarks drive directly: the scenario model,
// the engine, the figures, simulated time; and the Ctrl-C handler `main` installs.
pub mod interrupt;
pub mod intraday;
pub mod logs;
pub mod plan;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod time;

use clap::Parser;

use cli::{Cli, Command};
use commands::Failure;

/// The command line's definition (verbs, flags, help): for completions, the
/// manual page, and tests that check every verb is documented.
pub fn command_line() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Runs `shop` with these arguments; returns the process exit code.
pub fn main_with_args(args: Vec<String>) -> u8 {
    let args = match cli::normalize_args(args) {
        Ok(args) => args,
        Err(message) => {
            eprint!("{message}");
            return 2;
        }
    };
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match &cli.command {
        Command::Run(a) => commands::run::run(a),
        Command::Compare(a) => commands::compare::run(a),
        Command::Check(a) => commands::check::run(a),
        Command::Journey(a) => commands::journey::run(a),
        Command::Validate(a) => commands::validate::run(a),
        Command::Schema(a) => commands::schema::run(a),
        Command::Example(a) => commands::example::run(a),
        Command::Completions(a) => commands::completions::run(a),
        Command::Man(a) => commands::man::run(a),
        Command::Erlang(a) => commands::erlang::run(a),
        Command::Fit(a) => commands::fit::run(a),
        Command::Backtest(a) => commands::backtest::run(a),
        Command::Forecast(a) => commands::forecast::run(a),
        Command::Replay(a) => commands::replay::run(a),
        Command::Merge(a) => commands::merge::run(a),
        Command::Staff(a) => commands::staff::run(a),
        Command::State(a) => commands::state::run(a),
        Command::Schedule(a) => commands::schedule::run(a),
    };
    match result {
        Ok(()) => 0,
        Err(f) => {
            if let Failure::Input(msg) | Failure::Unmet(msg) = &f {
                eprintln!("{}", msg.trim_end());
            }
            f.exit_code()
        }
    }
}
