//! `shop validate` (being built in this session).

use super::Failure;
use crate::cli::ValidateArgs;

pub fn run(_args: &ValidateArgs) -> Result<(), Failure> {
    Err(Failure::Input("`shop validate` is not available in this build yet".into()))
}
