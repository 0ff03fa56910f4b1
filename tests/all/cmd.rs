//! Shared by the tests that run the real binary: run `shop`, read its output,
//! find a fixture.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn shop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shop")).args(args).output().expect("the shop binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}
