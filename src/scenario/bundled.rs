//! The designs in `scenarios/`, compiled into the binary so that `shop example`
//! works from any folder after `cargo install`, with no repository at hand.
//!
//! A test checks that every file in `scenarios/` is listed here (and byte for
//! byte the same), so a new design cannot be forgotten.

/// One bundled design: its name (the file name without `.yaml`) and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bundled {
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(Bundled { name: $name, text: include_str!(concat!("../../scenarios/", $name, ".yaml")) }),*]
    };
}

/// Every file of `scenarios/`, in the order the README presents them (pairs together).
pub const BUNDLED: &[Bundled] = bundled![
    "support_line",
    "business_offshore",
    "business_local",
    "connected_line",
    "divided_line",
    "long_menu",
    "short_menu",
    "blended_team",
    "blended_no_callbacks",
];

impl Bundled {
    /// The first paragraph of the file's opening comment, on one line: what the design shows.
    pub fn description(&self) -> String {
        let words: Vec<&str> =
            self.text.lines().map_while(|l| l.strip_prefix('#')).map(str::trim).take_while(|l| !l.is_empty()).collect();
        words.join(" ")
    }
}

/// The bundled design called `name` (`support_line` or `support_line.yaml`).
pub fn find(name: &str) -> Option<&'static Bundled> {
    let name = name.strip_suffix(".yaml").unwrap_or(name);
    BUNDLED.iter().find(|b| b.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_scenarios_is_bundled_byte_for_byte() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut on_disk = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let name = path.file_stem().unwrap().to_str().unwrap().to_string();
                let bundled = find(&name).unwrap_or_else(|| panic!("scenarios/{name}.yaml is not in BUNDLED"));
                assert_eq!(bundled.text, std::fs::read_to_string(&path).unwrap(), "{name}");
                on_disk.push(name);
            }
        }
        on_disk.sort();
        let mut names: Vec<&str> = BUNDLED.iter().map(|b| b.name).collect();
        names.sort();
        assert_eq!(names, on_disk, "BUNDLED and scenarios/ differ");
    }

    #[test]
    fn every_bundled_design_says_what_it_shows_and_loads() {
        for b in BUNDLED {
            let d = b.description();
            assert!(d.len() > 20 && !d.contains('\n'), "{}: {d:?}", b.name);
            let loaded = crate::scenario::load_str(&format!("{}.yaml", b.name), b.text);
            assert!(loaded.is_ok(), "{} does not load", b.name);
        }
    }

    #[test]
    fn a_design_is_found_with_or_without_its_extension() {
        assert_eq!(find("support_line").map(|b| b.name), Some("support_line"));
        assert_eq!(find("support_line.yaml").map(|b| b.name), Some("support_line"));
        assert!(find("nope").is_none());
    }
}
