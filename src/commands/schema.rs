//! `shop schema`: the JSON Schema of the scenario file, for editors
//! (yaml-language-server: `# yaml-language-server: $schema=shop.schema.json`).
//! Generated from the serde structs the loader reads, so it cannot drift.

use super::Failure;
use crate::cli::SchemaArgs;

/// The scenario file's JSON Schema (draft 7, which editors support widely).
pub fn scenario_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<crate::scenario::raw::RawScenario>();
    schema.to_value()
}

pub fn run(args: &SchemaArgs) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(&scenario_schema()).map_err(|e| Failure::Input(e.to_string()))?;
    text.push('\n');
    crate::output::write_output(args.out.as_deref(), &text)?;
    Ok(())
}
