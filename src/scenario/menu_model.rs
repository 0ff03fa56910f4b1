//! How callers live a phone menu, computed once at load time: when a caller
//! has heard their option (barge-in), how likely the right key is at a menu of
//! this size, and how long callers stay in the menu before hanging up. The
//! engine only reads the numbers made here. Sources and calibration:
//! docs/menu-model.md.

use super::dist::Dist;

/// Default `menu_patience`: log-normal with mean 3 min and sd 2 min. About 2.4% of
/// callers hang up within 45 s of prompts, 13% within 75 s and a third within
/// 2 min: the range practitioners report between a well and a badly designed
/// IVR (2.5% to over 10% of callers lost in the menu).
pub const DEFAULT_MENU_PATIENCE: (f64, f64) = (180.0, 120.0);

/// The menu at which a caller's `accuracy` is their chance of the right key:
/// four options (the "four or fewer" guideline's menu) read in 15 seconds.
pub const REFERENCE_OPTIONS: f64 = 4.0;
pub const REFERENCE_PROMPT_SECS: f64 = 15.0;
/// Prompts shorter than this count as this long in the wrong-key model (a
/// two-second prompt is not easier than a five-second one).
pub const MIN_PROMPT_SECS: f64 = 5.0;

/// Default `repeat`: the prompt is heard three times in all before `no_input`.
pub const DEFAULT_REPEAT: u32 = 2;

pub fn default_menu_patience() -> Dist {
    Dist::lognormal(DEFAULT_MENU_PATIENCE.0, DEFAULT_MENU_PATIENCE.1).unwrap_or(Dist::Constant(DEFAULT_MENU_PATIENCE.0))
}

/// How hard a menu is to choose from, relative to the reference menu (1.0):
/// the information of the choice (Hick–Hyman: log2 of options + 1), times the
/// square root of the prompt's length (what the caller holds in mind while
/// listening). The chance of the right key is `accuracy ^ load`.
pub fn menu_load(options: usize, prompt_secs: f64) -> f64 {
    let choice = ((options as f64) + 1.0).log2() / (REFERENCE_OPTIONS + 1.0).log2();
    let memory = (prompt_secs.max(MIN_PROMPT_SECS) / REFERENCE_PROMPT_SECS).sqrt();
    choice * memory
}

/// The chance of the right key for a caller of this `accuracy` at a menu of this load.
pub fn right_key_chance(accuracy: f64, load: f64) -> f64 {
    if accuracy >= 1.0 {
        1.0
    } else if accuracy <= 0.0 {
        0.0
    } else {
        libm::pow(accuracy, load)
    }
}

/// For each key, the share of the prompt's words a caller has heard once the
/// sentence naming that key has ended (`None`: the prompt never names it).
/// A sentence ends at `.`, `!`, `?` or `;`; a key is named when it appears
/// as a word of its own ("press 2.", "2 for billing").
pub fn key_offsets(prompt: &str, keys: &[&str]) -> Vec<Option<f64>> {
    let words: Vec<&str> = prompt.split_whitespace().collect();
    let total = words.len();
    let mut out = vec![None; keys.len()];
    if total == 0 {
        return out;
    }
    let mut sentence_start = 0;
    for (i, w) in words.iter().enumerate() {
        let ends = w.ends_with(['.', '!', '?', ';']) || i + 1 == total;
        if !ends {
            continue;
        }
        for &word in &words[sentence_start..=i] {
            let token = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '*' && c != '#');
            for (k, key) in keys.iter().enumerate() {
                if out[k].is_none() && names_key(token, key) {
                    out[k] = Some((i + 1) as f64 / total as f64);
                }
            }
        }
        sentence_start = i + 1;
    }
    out
}

fn names_key(token: &str, key: &str) -> bool {
    token.eq_ignore_ascii_case(key)
        || (key == "*" && token.eq_ignore_ascii_case("star"))
        || (key == "#" && (token.eq_ignore_ascii_case("pound") || token.eq_ignore_ascii_case("hash")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_heard_at_the_end_of_the_sentence_naming_it() {
        let p = "Welcome to Acme. For billing, press 1. For technical support, press 2. Operator, press 0.";
        let o = key_offsets(p, &["1", "2", "0", "9"]);
        let total = p.split_whitespace().count() as f64;
        assert_eq!(o[0], Some(7.0 / total));
        assert_eq!(o[1], Some(12.0 / total));
        assert_eq!(o[2], Some(1.0));
        assert_eq!(o[3], None);
    }

    #[test]
    fn the_reference_menu_keeps_the_callers_accuracy() {
        assert!((menu_load(4, 15.0) - 1.0).abs() < 1e-12);
        assert!((right_key_chance(0.85, menu_load(4, 15.0)) - 0.85).abs() < 1e-12);
        assert!(menu_load(8, 15.0) > menu_load(4, 15.0));
        assert!(menu_load(4, 40.0) > menu_load(4, 15.0));
        assert_eq!(right_key_chance(1.0, 3.0), 1.0);
    }

    #[test]
    fn the_default_menu_patience_loses_few_callers_to_a_short_menu() {
        let d = default_menu_patience();
        assert!((d.mean() - 180.0).abs() < 1e-6);
    }
}
