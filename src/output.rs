//! Writing results: to stdout, or to a file that is never half-written (a
//! temporary file in the same directory, renamed into place when complete).

use std::io::Write;
use std::path::Path;

pub fn write_output(out: Option<&Path>, text: &str) -> Result<(), String> {
    match out {
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (`shop run f | head`) is not an error of ours.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(format!("cannot write to standard output: {e}")),
            }
        }
        Some(path) => crate::interrupt::while_writing(|| write_atomically(path, text)),
    }
}

pub fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(format!("error: --out {}: this is a directory; give a file name", path.display()));
    }
    if !dir.is_dir() {
        return Err(format!(
            "error: --out {}: the folder {} does not exist; create it first",
            path.display(),
            dir.display()
        ));
    }
    let fail = |e: std::io::Error| format!("error: --out {}: cannot write it: {}", path.display(), e.kind());
    let mut tmp = tempfile::Builder::new().prefix(".shop-").suffix(".tmp").tempfile_in(dir).map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    // `tempfile` makes files only their owner can read: a file being replaced keeps
    // its permissions, a new report gets an ordinary file's (rw-r--r--).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::metadata(path).map_or(std::fs::Permissions::from_mode(0o644), |m| m.permissions());
        let _ = tmp.as_file().set_permissions(perms);
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Whether two paths name the same file (compared canonical, so `./a.yaml`
/// and `dir/../a.yaml` are one; as written when either does not exist yet).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Refuses a `--write` that names one of the command's other inputs, each
/// given with what it is (`"--rules file"`): nothing a user wrote is ever
/// overwritten. `instead` is a name to suggest.
pub fn write_not_over(write: &Path, inputs: &[(&Path, &str)], instead: &str) -> Result<(), String> {
    match inputs.iter().find(|(i, _)| same_file(write, i)) {
        Some((i, what)) => Err(format!(
            "error: --write {}: this is the input file {} (the {what}); the scenario would replace it\n  \
             help: give the scenario's new name, e.g. --write {}",
            write.display(),
            i.display(),
            instead
        )),
        None => Ok(()),
    }
}

/// Refuses to write when the scenario `file` no longer reads `text`, what the
/// command read at its start: the user edited it during the run, and writing
/// (over it, or a copy of the old text) would lose their edit.
pub fn unchanged_since_read(file: &Path, text: &str, write: &Path) -> Result<(), String> {
    match std::fs::read_to_string(file) {
        Ok(now) if now == text => Ok(()),
        Ok(_) => Err(format!(
            "error: --write {}: {} changed on disk since shop read it (edited during the run?); nothing was written\n  \
             help: run again on the file as it is now",
            write.display(),
            file.display()
        )),
        Err(e) => Err(format!(
            "error: --write {}: {} cannot be read again before writing ({}); nothing was written",
            write.display(),
            file.display(),
            e.kind()
        )),
    }
}

/// Where a command's result goes: stdout, or an `--out` file checked before
/// any work is done (never one of the command's input files).
pub struct Written<'a> {
    out: Option<&'a Path>,
}

impl<'a> Written<'a> {
    /// Refuses an `--out` that names one of `inputs` (the scenario the report
    /// would replace): nothing a user wrote is ever overwritten.
    pub fn new(out: Option<&'a Path>, inputs: &[&Path]) -> Result<Written<'a>, String> {
        if let Some(o) = out {
            if let Some(i) = inputs.iter().find(|i| same_file(o, i)) {
                return Err(format!(
                    "error: --out {}: this is the input file {}; the report would replace it\n  help: write the report to another file, e.g. --out report.txt",
                    o.display(),
                    i.display()
                ));
            }
        }
        Ok(Written { out })
    }

    pub fn write(&self, text: &str) -> Result<(), String> {
        write_output(self.out, text)
    }
}

/// The output format: `--format` when given, else the one `--out`'s extension
/// names (`.json`, `.csv`, `.md`, ...), else `None` (the command's default).
pub fn pick_format<F>(given: Option<F>, out: Option<&Path>, from_extension: impl Fn(&str) -> Option<F>) -> Option<F> {
    given.or_else(|| {
        let ext = out?.extension()?.to_str()?.to_ascii_lowercase();
        from_extension(&ext)
    })
}

/// Whether to colour text for a terminal: only on a terminal, and never when
/// `NO_COLOR` is set to anything non-empty (<https://no-color.org>).
pub fn colour(is_terminal: bool) -> bool {
    colour_with(is_terminal, std::env::var_os("NO_COLOR").as_deref())
}

fn colour_with(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Whether stderr is a terminal (progress bars).
pub fn stderr_is_terminal() -> bool {
    std::io::IsTerminal::is_terminal(&std::io::stderr())
}

/// Whether stdout is a terminal that takes colour.
pub fn stdout_colour() -> bool {
    colour(std::io::IsTerminal::is_terminal(&std::io::stdout()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_turns_colour_off_even_on_a_terminal() {
        assert!(colour_with(true, None));
        assert!(!colour_with(true, Some("1".as_ref())));
        assert!(colour_with(true, Some("".as_ref())), "an empty NO_COLOR is unset (no-color.org)");
        assert!(!colour_with(false, None));
    }
}

#[cfg(test)]
mod write_tests {
    use super::*;

    #[test]
    fn a_scenario_edited_since_it_was_read_is_not_written() {
        // What `--write` checks just before writing: the file still reads what
        // the command read at its start (a user's edit during a run is kept).
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("s.yaml");
        std::fs::write(&file, "name: a\n").expect("written");
        assert!(unchanged_since_read(&file, "name: a\n", &file).is_ok());
        std::fs::write(&file, "name: a\n# the planner's note\n").expect("written");
        let e = unchanged_since_read(&file, "name: a\n", &file).expect_err("changed");
        assert!(e.contains("changed on disk since shop read it") && e.contains("nothing was written"), "{e}");
        std::fs::remove_file(&file).expect("removed");
        assert!(unchanged_since_read(&file, "name: a\n", &file).is_err());
    }

    #[test]
    fn the_same_file_is_found_however_it_is_spelled() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("r.yaml");
        std::fs::write(&file, "x").expect("written");
        let other = dir.path().join("sub").join("..").join("r.yaml");
        std::fs::create_dir(dir.path().join("sub")).expect("created");
        assert!(same_file(&file, &other));
        assert!(write_not_over(&other, &[(&file, "--rules file")], "new.yaml").is_err());
        assert!(write_not_over(&dir.path().join("new.yaml"), &[(&file, "--rules file")], "new.yaml").is_ok());
    }
}
