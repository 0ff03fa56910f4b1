//! `shop schema` (being built in this session).

use super::Failure;
use crate::cli::SchemaArgs;

pub fn run(_args: &SchemaArgs) -> Result<(), Failure> {
    Err(Failure::Input("`shop schema` is not available in this build yet".into()))
}
