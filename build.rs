//! Lays out the functions `shop` runs together at the start of the binary's
//! code (`bench/symbol-order.txt`, LLD's `--symbol-ordering-file`), so that a
//! run maps a few hundred kB of code instead of most of the binary: peak
//! memory of the reference workload 6.8 MB instead of 9.9 MB (BENCHMARKS.md,
//! "Part 3, sixth session"). Only where rustc links with LLD by default
//! (x86_64 Linux, Rust 1.90 and later) and no linker is set: other linkers do
//! not take the flag. `SHOP_NO_SYMBOL_ORDER=1` turns it off.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=bench/symbol-order.txt");
    println!("cargo:rerun-if-env-changed=SHOP_NO_SYMBOL_ORDER");
    let order = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/symbol-order.txt");
    if std::env::var_os("SHOP_NO_SYMBOL_ORDER").is_some() || !order.is_file() || !links_with_lld() {
        return;
    }
    println!("cargo:rustc-link-arg-bin=shop=-Wl,--symbol-ordering-file={}", order.display());
    // Functions of the list that this build does not have (a changed function,
    // another compiler) are skipped in silence.
    println!("cargo:rustc-link-arg-bin=shop=-Wl,--no-warn-symbol-ordering");
}

/// Whether rustc links this target with its own LLD: x86_64 Linux (GNU) from
/// Rust 1.90, unless a linker or linker flavour is set.
fn links_with_lld() -> bool {
    if std::env::var("TARGET").ok().as_deref() != Some("x86_64-unknown-linux-gnu") {
        return false;
    }
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.contains("linker")
        || std::env::vars().any(|(k, _)| k.starts_with("CARGO_TARGET_") && k.ends_with("_LINKER"))
    {
        return false;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = Command::new(rustc).arg("-V").output() else { return false };
    let version = String::from_utf8_lossy(&out.stdout);
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let mut parts = version.split_whitespace().nth(1).unwrap_or("").split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (1, 90)
}
