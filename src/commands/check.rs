//! `shop check` (being built in this session).

use super::Failure;
use crate::cli::CheckArgs;

pub fn run(_args: &CheckArgs) -> Result<(), Failure> {
    Err(Failure::Input("`shop check` is not available in this build yet".into()))
}
