//! Any text given to the scenario loader gives a scenario or a located error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = shop::scenario::load_str("fuzz.yaml", text) {
            // Rendering the error (snippet, caret) must not panic either.
            let _ = e.to_string();
        }
    }
});
