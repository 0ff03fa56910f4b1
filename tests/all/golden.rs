//! Golden outputs: `run`, `compare` and `check` in every format on bundled
//! designs, byte for byte. A change to any report shows up here as a diff to
//! review; after an intended change, bless the new outputs with
//! `INSTA_UPDATE=always cargo test --test all golden` and commit the snapshots.

use std::process::Command;

fn shop(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_shop"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the shop binary runs");
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

const FORMATS: [&str; 4] = ["table", "json", "csv", "markdown"];

/// Short runs keep the suite fast; the figures are still the real engine's.
const SHORT: [&str; 2] = ["--replications", "4"];

#[test]
fn run_in_every_format() {
    for f in FORMATS {
        let out = shop(&[&["run", "scenarios/support_line.yaml", "--format", f][..], &SHORT].concat());
        insta::assert_snapshot!(format!("run_support_line_{f}"), out);
    }
}

#[test]
fn compare_in_every_format() {
    for f in FORMATS {
        let args = ["compare", "scenarios/long_menu.yaml", "scenarios/short_menu.yaml", "--format", f];
        insta::assert_snapshot!(format!("compare_menus_{f}"), shop(&[&args[..], &SHORT].concat()));
    }
}

#[test]
fn check_in_every_format() {
    for f in FORMATS {
        let args = ["check", "scenarios/business_offshore.yaml", "scenarios/business_local.yaml", "--format", f];
        insta::assert_snapshot!(format!("check_business_{f}"), shop(&[&args[..], &SHORT].concat()));
    }
}

#[test]
fn both_bounds_of_an_interval_show_the_same_precision() {
    // The file's own 20 replications: the mean time to resolution's interval
    // was `10m 10.8s–10m 30s`, one bound with a tenth and the other without.
    let out = shop(&["run", "scenarios/support_line.yaml", "--format", "markdown"]);
    assert!(out.contains("| 10m 20.4s | 10m 10.8s–10m 30.0s |"), "{out}");
}
