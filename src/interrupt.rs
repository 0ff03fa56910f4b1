//! Ctrl-C: stop at once with exit code 130, never leaving a half-written
//! `--out` file. Output files are written only after the simulation, through a
//! temporary file; while one is being written the handler defers to the writer,
//! which finishes the rename (or removes the temporary file) and then exits 130.
//! A scratch folder registered with [`scratch`] (the per-replication parts of a
//! `--log` being written) is removed before exiting.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static SCRATCH: Mutex<Option<PathBuf>> = Mutex::new(None);

static WRITING: AtomicBool = AtomicBool::new(false);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The conventional exit code of a program stopped by SIGINT (128 + 2).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Installs the handler (once, from `main`).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        if !WRITING.load(Ordering::SeqCst) {
            remove_scratch();
            eprintln!("interrupted: nothing was written");
            std::process::exit(EXIT_INTERRUPTED);
        }
    });
}

/// Registers (or, with `None`, forgets) a folder of temporary files that a
/// Ctrl-C must not leave behind.
pub fn scratch(dir: Option<PathBuf>) {
    if let Ok(mut s) = SCRATCH.lock() {
        *s = dir;
    }
}

fn remove_scratch() {
    if let Ok(mut s) = SCRATCH.try_lock() {
        if let Some(dir) = s.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Runs `write` with the handler deferring; exits 130 afterwards if Ctrl-C came meanwhile.
pub fn while_writing<T>(write: impl FnOnce() -> T) -> T {
    WRITING.store(true, Ordering::SeqCst);
    let result = write();
    WRITING.store(false, Ordering::SeqCst);
    if INTERRUPTED.load(Ordering::SeqCst) {
        remove_scratch();
        eprintln!("interrupted");
        std::process::exit(EXIT_INTERRUPTED);
    }
    result
}
