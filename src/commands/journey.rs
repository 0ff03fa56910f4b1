//! `shop journey` (being built in this session).

use super::Failure;
use crate::cli::JourneyArgs;

pub fn run(_args: &JourneyArgs) -> Result<(), Failure> {
    Err(Failure::Input("`shop journey` is not available in this build yet".into()))
}
