//! `shop` installed and used like the command-line tools people trust: bundled
//! designs from any folder, shell completions, a manual page, `--version`, a
//! short usage for `shop` alone and a suggestion for a mistyped verb.
//!
//! The verbs are read from clap's definition, so a verb added later is checked
//! here without touching this file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::cmd::{shop, stderr, stdout};

/// Every verb `shop --help` lists (clap's own `help` aside).
fn verbs() -> Vec<String> {
    let verbs: Vec<String> = shop::command_line().get_subcommands().map(|s| s.get_name().to_string()).collect();
    for v in ["run", "compare", "check", "journey", "validate", "schema", "example", "completions", "man"] {
        assert!(verbs.iter().any(|x| x == v), "{v} is a verb");
    }
    verbs
}

/// Every long flag of a verb, e.g. `--replications`.
fn long_flags(verb: &str) -> Vec<String> {
    let cmd = shop::command_line();
    let sub = cmd.find_subcommand(verb).unwrap();
    sub.get_arguments().filter_map(|a| a.get_long()).map(|l| format!("--{l}")).collect()
}

/// `shop` run in `dir`, as a user runs it from their own folder.
fn shop_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shop")).current_dir(dir).args(args).output().expect("the shop binary runs")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bundled_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| (p.file_stem().unwrap().to_str().unwrap().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "scenarios/ has {} files", files.len());
    files
}

#[test]
fn the_bash_completion_script_mentions_every_verb() {
    let o = shop(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = stdout(&o);
    assert!(script.contains("complete -F") && script.contains("shop"), "{script}");
    for verb in verbs() {
        assert!(script.contains(&format!("shop,{verb})")), "bash completion misses {verb}");
    }
    for flag in long_flags("run") {
        assert!(script.contains(&flag), "bash completion misses run {flag}");
    }
}

#[test]
fn every_shell_gets_a_completion_script_with_the_verbs() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = shop(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for verb in verbs() {
            assert!(script.contains(&verb), "{shell} completion misses {verb}");
        }
    }
    let o = shop(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bash"), "{}", stderr(&o));
}

#[test]
fn the_manual_page_names_every_verb_and_every_flag() {
    let o = shop(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH shop 1"), "a roff page:\n{page}");
    for section in ["NAME", "SYNOPSIS", "COMMANDS", "EXIT STATUS", "EXAMPLES"] {
        assert!(page.contains(&format!(".SH {section}")) || page.contains(&format!(".SH \"{section}\"")), "{section}");
    }
    for verb in verbs() {
        assert!(page.contains(&format!(".SS \"shop {verb}\"")), "the page has no section for {verb}");
        for flag in long_flags(&verb) {
            // roff escapes every hyphen.
            let escaped = flag.replace('-', "\\-");
            let section = page.split(&format!(".SS \"shop {verb}\"")).nth(1).unwrap();
            let section = section.split(".SS ").next().unwrap();
            assert!(section.contains(&escaped), "shop {verb}: the page misses {flag}");
        }
    }
    assert!(page.contains("Write the narration to this file"), "journey --out has its help");
}

#[test]
fn man_out_writes_the_page_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = shop_in(dir.path(), &["man", "--out", "shop.1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.path().join("shop.1")).unwrap(), stdout(&shop(&["man"])));
}

#[test]
fn an_example_written_from_any_folder_is_a_design_validate_accepts() {
    // An empty folder far from the repository: the design comes from the binary itself.
    let dir = tempfile::tempdir().unwrap();
    let o = shop_in(dir.path(), &["example", "support_line"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(dir.path().join("my.yaml"), &o.stdout).unwrap();
    let v = shop_in(dir.path(), &["validate", "my.yaml"]);
    assert_eq!(v.status.code(), Some(0), "{}{}", stdout(&v), stderr(&v));
    let r = shop_in(dir.path(), &["my.yaml", "--replications", "1", "--format", "json"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let report: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert!(report["overall"]["calls"].as_u64().unwrap() > 0);
}

#[test]
fn every_file_in_scenarios_is_an_example_byte_for_byte() {
    for (name, text) in bundled_files() {
        let o = shop(&["example", &name]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert!(stdout(&o) == text, "shop example {name} differs from scenarios/{name}.yaml");
    }
    let dir = tempfile::tempdir().unwrap();
    let o = shop_in(dir.path(), &["example", "short_menu.yaml", "--out", "start.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("start.yaml")).unwrap(),
        std::fs::read_to_string(root().join("scenarios/short_menu.yaml")).unwrap()
    );
}

#[test]
fn example_without_a_name_lists_every_design_with_what_it_shows() {
    let o = shop(&["example"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let list = stdout(&o);
    for (name, text) in bundled_files() {
        let first = text.lines().next().unwrap().trim_start_matches('#').trim();
        let line = list.lines().find(|l| l.trim_start().starts_with(&format!("{name} "))).unwrap_or_else(|| {
            panic!("`shop example` does not list {name}:\n{list}");
        });
        assert!(line.contains(first), "{name}: its line says what it shows ({first:?}):\n{line}");
    }
    assert!(list.contains("shop example NAME"), "{list}");
}

#[test]
fn an_unknown_example_is_exit_2_with_a_suggestion() {
    let o = shop(&["example", "suport_line"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean 'support_line'?"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn shop_alone_prints_a_short_usage_on_stderr_and_exits_2() {
    let o = shop(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let usage = stderr(&o);
    for line in ["shop run FILE", "shop compare A B", "shop check BASE HEAD", "shop journey FILE", "shop validate FILE"]
    {
        assert!(usage.contains(line), "{line}:\n{usage}");
    }
    assert!(usage.contains("shop example [NAME]"), "{usage}");
    assert!(usage.contains("shop --help"), "{usage}");
    assert!(usage.lines().count() <= 20, "short:\n{usage}");
}

#[test]
fn a_mistyped_verb_is_exit_2_and_suggests_the_verb() {
    let o = shop(&["comapre", "a", "b"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: unknown command 'comapre'\n  help: did you mean 'compare'?\n");
    for (typo, verb) in
        [("valdate", "validate"), ("jorney", "journey"), ("exmaple", "example"), ("completion", "completions")]
    {
        let o = shop(&[typo, "x"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(&format!("did you mean '{verb}'?")), "{typo}: {}", stderr(&o));
    }
}

#[test]
fn a_file_is_still_run_even_when_its_name_is_close_to_a_verb() {
    let dir = tempfile::tempdir().unwrap();
    let o = shop_in(dir.path(), &["example", "support_line", "--out", "chek"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = shop_in(dir.path(), &["chek", "--replications", "1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A missing file that looks like a file (or is far from every verb) is named as missing.
    for missing in ["comapre.yaml", "nothing_here"] {
        let o = shop_in(dir.path(), &[missing]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(&format!("{missing}: cannot read the file")), "{}", stderr(&o));
    }
}

#[test]
fn version_prints_the_version() {
    for flag in ["--version", "-V"] {
        let o = shop(&[flag]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(stdout(&o), format!("shop {}\n", env!("CARGO_PKG_VERSION")));
    }
}

#[test]
fn the_release_workflow_builds_on_a_tag_for_linux_macos_and_windows() {
    let text = std::fs::read_to_string(root().join("examples/release.yml")).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("the workflow is YAML");
    assert!(yaml["on"]["push"]["tags"].as_sequence().is_some_and(|t| !t.is_empty()), "triggered by a tag");
    let rows = yaml["jobs"]["build"]["strategy"]["matrix"]["include"].as_sequence().expect("a build matrix");
    let systems: Vec<&str> = rows.iter().filter_map(|r| r["os"].as_str()).collect();
    for os in ["ubuntu", "macos", "windows"] {
        assert!(systems.iter().any(|s| s.starts_with(os)), "{os} in {systems:?}");
    }
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(text.contains(&format!("completions {shell}")), "the archive has {shell} completions");
    }
}

#[test]
fn the_readme_says_how_to_install_and_the_changelog_has_an_unreleased_section() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains("cargo install --path .") && readme.contains("cargo install --locked --git"),
        "install lines"
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(readme.contains(&format!("shop completions {shell}")), "README: installing {shell} completions");
    }
    assert!(readme.contains("shop man"));
    let changelog = std::fs::read_to_string(root().join("CHANGELOG.md")).unwrap();
    assert!(changelog.contains("keepachangelog.com") && changelog.contains("## [Unreleased]"), "{changelog}");
    for verb in ["run", "compare", "check", "journey", "validate", "schema", "example", "completions", "man"] {
        assert!(changelog.contains(&format!("`shop {verb}")), "CHANGELOG lists {verb}");
    }
}
