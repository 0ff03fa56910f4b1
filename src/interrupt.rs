//! Ctrl-C: stop at once with exit code 130, never leaving a half-written
//! `--out` file. Output files are written only after the simulation, through a
//! temporary file; while one is being written the handler defers to the writer,
//! which finishes the rename (or removes the temporary file) and then exits 130.

use std::sync::atomic::{AtomicBool, Ordering};

static WRITING: AtomicBool = AtomicBool::new(false);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The conventional exit code of a program stopped by SIGINT (128 + 2).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Installs the handler (once, from `main`).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        if !WRITING.load(Ordering::SeqCst) {
            eprintln!("interrupted: nothing was written");
            std::process::exit(EXIT_INTERRUPTED);
        }
    });
}

/// Runs `write` with the handler deferring; exits 130 afterwards if Ctrl-C came meanwhile.
pub fn while_writing<T>(write: impl FnOnce() -> T) -> T {
    WRITING.store(true, Ordering::SeqCst);
    let result = write();
    WRITING.store(false, Ordering::SeqCst);
    if INTERRUPTED.load(Ordering::SeqCst) {
        eprintln!("interrupted");
        std::process::exit(EXIT_INTERRUPTED);
    }
    result
}
