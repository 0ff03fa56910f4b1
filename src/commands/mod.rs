//! One module per verb: glue between the CLI, the scenario, the engine and the reports.

pub mod check;
pub mod compare;
pub mod fit;
pub mod journey;
pub mod run;
pub mod schema;
pub mod validate;

use std::path::Path;

use crate::scenario::{Loaded, load_file};

/// How a command failed, mapped to the documented exit codes.
#[derive(Debug)]
pub enum Failure {
    /// Bad input or usage: exit 2. The message is complete (file, line, key, fix).
    Input(String),
    /// A `check` gate failed: exit 1 (the report was already printed).
    GateFailed,
    /// `validate --strict` found warnings: exit 1 (they were already printed).
    Warnings,
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Input(_) => 2,
            Failure::GateFailed | Failure::Warnings => 1,
        }
    }
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::Input(s)
    }
}

/// Whether stderr is a terminal (colour, progress bars).
pub fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

/// Loads a scenario file, rendering every problem for the terminal.
/// Loads a scenario to simulate it: like [`load`], and the loader's warnings
/// (an entry that has no effect, a `handle` map missing a reason) go to stderr,
/// one line each, so a run never hides them; `shop validate` shows them in context.
pub fn load_to_simulate(path: &Path) -> Result<Loaded, Failure> {
    let loaded = load(path)?;
    if !loaded.warnings.is_empty() {
        for w in &loaded.warnings {
            let text = crate::scenario::error::render(&loaded.file, None, w, false);
            eprintln!("{}", text.lines().next().unwrap_or_default());
        }
        eprintln!("  (`shop validate {}` shows them in context)", loaded.file);
    }
    Ok(loaded)
}

pub fn load(path: &Path) -> Result<Loaded, Failure> {
    load_file(path).map_err(|e| {
        let color = stderr_is_terminal();
        let text: String =
            e.problems.iter().map(|p| crate::scenario::error::render(&e.file, e.text.as_deref(), p, color)).collect();
        let n = e.errors().count();
        Failure::Input(format!(
            "{text}{} in {}: nothing was simulated",
            if n == 1 { "1 error".to_string() } else { format!("{n} errors") },
            e.file
        ))
    })
}
