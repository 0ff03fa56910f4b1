//! The `shop` binary: parse arguments, run, exit with the documented code.

fn main() -> std::process::ExitCode {
    shop::interrupt::install();
    std::process::ExitCode::from(shop::main_with_args(std::env::args().collect()))
}
