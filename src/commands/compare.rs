//! `shop compare` (being built in this session).

use super::Failure;
use crate::cli::CompareArgs;

pub fn run(_args: &CompareArgs) -> Result<(), Failure> {
    Err(Failure::Input("`shop compare` is not available in this build yet".into()))
}
