//! Staffing targets (`service_level(20s) >= 80%`, `wait.p95 <= 3m`, ...) and the
//! fewest agents that meet them all, from the formulas. `shop erlang --target`
//! prints it; `shop staff` starts its search there.

use super::erlang::{Line, Staffed};
use crate::scenario::error::did_you_mean;
use crate::scenario::units::parse_duration;

/// One figure and its bound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Goal {
    /// Answered within `within` s / calls that reached the queue ≥ `at_least`.
    ServiceLevel {
        within: f64,
        at_least: f64,
    },
    /// Mean wait of every caller (ASA, hung-up callers until they hung up) ≤ s.
    WaitMean(f64),
    /// The `q` quantile of every caller's wait ≤ s.
    WaitQuantile {
        q: f64,
        at_most: f64,
    },
    AbandonRate(f64),
    Occupancy(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Target {
    /// As written, whitespace normalised.
    pub text: String,
    pub goal: Goal,
}

/// The accepted forms, shown with every target error.
pub(crate) const TARGET_FORMS: &str = "accepted targets:
  service_level >= 80%          answered within the --service-level threshold / calls that reached the queue
  service_level(20s) >= 80%     with its own threshold
  wait.mean <= 30s              mean wait (ASA) of every caller; also wait.p50, wait.p90, wait.p95, wait.p99
  abandon_rate <= 5%            share of callers who hang up on hold (needs --patience to be above 0)
  occupancy <= 85%              busy share of the agents' time
shares as 80% or 0.8; times with a unit (s, m, h)";

/// The figures a target may bound.
pub(crate) const METRICS: [&str; 8] =
    ["service_level", "wait.mean", "wait.p50", "wait.p90", "wait.p95", "wait.p99", "abandon_rate", "occupancy"];

impl Target {
    /// Parses one target; `service_level` without `(T)` is measured at `default_within` seconds.
    pub(crate) fn parse(text: &str, default_within: f64) -> Result<Target, String> {
        let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (at, higher) = match (norm.find(">="), norm.find("<=")) {
            (Some(i), None) => (i, true),
            (None, Some(i)) => (i, false),
            _ => return Err(format!("`{norm}` needs exactly one `>=` or `<=` between the figure and the bound")),
        };
        let (left, right) = (norm[..at].trim(), norm[at + 2..].trim());
        let (name, within) = match left.split_once('(') {
            Some((n, rest)) => {
                let inner = rest.strip_suffix(')').ok_or_else(|| format!("`{norm}`: missing `)` after `{left}`"))?;
                let t = parse_duration(inner).map_err(|e| format!("`{norm}`: threshold {e}"))?;
                (n.trim(), Some(t))
            }
            None => (left, None),
        };
        if !METRICS.contains(&name) {
            let hint = did_you_mean(name, METRICS).map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
            return Err(format!("`{norm}`: unknown figure `{name}`{hint}"));
        }
        if within.is_some() && name != "service_level" {
            return Err(format!("`{norm}`: only service_level takes a threshold in parentheses"));
        }
        let want_higher = name == "service_level";
        if higher != want_higher {
            let (better, op) = if want_higher { ("higher", ">=") } else { ("lower", "<=") };
            return Err(format!("`{norm}`: for {name} {better} is better, so a target reads `{name} {op} ...`"));
        }
        let goal = if let Some(q) = name.strip_prefix("wait.") {
            let at_most = parse_duration(right).map_err(|e| format!("`{norm}`: {e}"))?;
            match q {
                "mean" if at_most <= 0.0 => {
                    return Err(format!("`{norm}`: no finite staffing makes the mean wait 0; give a positive bound"));
                }
                "mean" => Goal::WaitMean(at_most),
                p => Goal::WaitQuantile { q: p[1..].parse::<f64>().unwrap_or(95.0) / 100.0, at_most },
            }
        } else {
            let x = parse_share(right).map_err(|e| format!("`{norm}`: {e}"))?;
            match name {
                "service_level" if x >= 1.0 => {
                    return Err(format!(
                        "`{norm}`: no finite staffing answers every call in time; ask for less than 100%"
                    ));
                }
                "service_level" => Goal::ServiceLevel { within: within.unwrap_or(default_within), at_least: x },
                "occupancy" if x <= 0.0 => {
                    return Err(format!("`{norm}`: occupancy 0 means no calls; give a positive bound"));
                }
                "occupancy" => Goal::Occupancy(x),
                _ if x <= 0.0 => {
                    return Err(format!(
                        "`{norm}`: callers with patience hang up at any finite staffing (without --patience \
                         nobody does); give a positive bound"
                    ));
                }
                _ => Goal::AbandonRate(x),
            }
        };
        Ok(Target { text: norm, goal })
    }

    /// The figure this target bounds, at this staffing.
    pub(crate) fn value(&self, s: &Staffed) -> f64 {
        match self.goal {
            Goal::ServiceLevel { within, .. } => s.service_level(within),
            Goal::WaitMean(_) => s.wait_mean(),
            Goal::WaitQuantile { q, .. } => s.wait_quantile(q),
            Goal::AbandonRate(_) => s.abandon_rate(),
            Goal::Occupancy(_) => s.occupancy(),
        }
    }

    pub(crate) fn met_by(&self, s: &Staffed) -> bool {
        let v = self.value(s);
        match self.goal {
            Goal::ServiceLevel { at_least, .. } => v >= at_least,
            Goal::WaitMean(b) | Goal::WaitQuantile { at_most: b, .. } | Goal::AbandonRate(b) | Goal::Occupancy(b) => {
                v <= b
            }
        }
    }
}

/// `80%` or `0.8`, in [0, 1].
pub(crate) fn parse_share(text: &str) -> Result<f64, String> {
    let (num, scale) = match text.strip_suffix('%') {
        Some(n) => (n.trim(), 100.0),
        None => (text, 1.0),
    };
    let x = num.parse::<f64>().map_err(|_| format!("`{text}` is not a share: write 80% or 0.8"))? / scale;
    if !(0.0..=1.0).contains(&x) {
        return Err(format!("`{text}` is not a share between 0 and 100%"));
    }
    Ok(x)
}

/// No search goes past this many agents (a typo like 1e6/h is caught before).
pub(crate) const MAX_AGENTS: u32 = 100_000;

/// The fewest agents meeting every target, for calls arriving at `rate` per second
/// with mean talk time `handle` s and, if given, exponential patience of mean `patience` s.
///
/// Every figure improves with each agent added (the Erlang C and A figures are
/// monotone in c), so the answer is found by doubling then bisection, and one
/// agent fewer misses at least one target. Errors when no count up to [`MAX_AGENTS`] does.
pub(crate) fn fewest_agents(rate: f64, handle: f64, patience: Option<f64>, targets: &[Target]) -> Result<u32, String> {
    let line = Line { rate, handle, patience };
    let meets = |c: u32| line.staffed(c).is_some_and(|s| targets.iter().all(|t| t.met_by(&s)));
    let mut lo = line.min_agents();
    if lo > MAX_AGENTS {
        return Err(format!("the load of {:.0} erlangs needs more than {MAX_AGENTS} agents", line.load()));
    }
    if meets(lo) {
        return Ok(lo);
    }
    // `lo` fails; find a count that meets them, then close in.
    let mut hi = lo;
    loop {
        if hi == MAX_AGENTS {
            let names = targets.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(", ");
            return Err(format!("no staffing up to {MAX_AGENTS} agents meets {names}"));
        }
        hi = hi.saturating_mul(2).min(MAX_AGENTS);
        if meets(hi) {
            break;
        }
        lo = hi;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if meets(mid) { hi = mid } else { lo = mid }
    }
    Ok(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Target {
        Target::parse(s, 30.0).unwrap()
    }

    #[test]
    fn targets_parse_in_every_documented_form() {
        assert_eq!(t("service_level >= 80%").goal, Goal::ServiceLevel { within: 30.0, at_least: 0.8 });
        assert_eq!(t("service_level(20s)>=0.8").goal, Goal::ServiceLevel { within: 20.0, at_least: 0.8 });
        assert_eq!(t("wait.mean <= 30s").goal, Goal::WaitMean(30.0));
        assert_eq!(t("wait.p95 <= 3m").goal, Goal::WaitQuantile { q: 0.95, at_most: 180.0 });
        assert_eq!(t("abandon_rate <= 5%").goal, Goal::AbandonRate(0.05));
        assert_eq!(t("occupancy <= 0.85").goal, Goal::Occupancy(0.85));
    }

    #[test]
    fn bad_targets_say_what_is_wrong() {
        let e = |s: &str| Target::parse(s, 30.0).unwrap_err();
        assert!(e("service_levl >= 80%").contains("did you mean `service_level`"));
        assert!(e("service_level <= 80%").contains("higher is better"));
        assert!(e("wait.mean <= 30").contains("30s"));
        assert!(e("service_level >= 180%").contains("between 0 and 100%"));
        assert!(e("service_level >= 100%").contains("less than 100%"));
        assert!(e("wait.mean(20s) <= 30s").contains("only service_level"));
        assert!(e("occupancy 85%").contains("`>=` or `<=`"));
    }

    #[test]
    fn the_classic_ten_erlangs_need_fourteen_agents_for_80_in_20() {
        // pyworkforce's README: 100 calls per 30 min, 3-minute handle, 80% within 20 s: 14.
        let n = fewest_agents(100.0 / 1800.0, 180.0, None, &[t("service_level(20s) >= 80%")]).unwrap();
        assert_eq!(n, 14);
        let line = Line { rate: 100.0 / 1800.0, handle: 180.0, patience: None };
        assert!(line.staffed(13).unwrap().service_level(20.0) < 0.8);
    }

    #[test]
    fn the_answer_is_minimal_for_every_kind_of_target() {
        let targets = ["service_level(20s) >= 90%", "wait.mean <= 10s", "wait.p95 <= 1m", "occupancy <= 70%"];
        for patience in [None, Some(120.0)] {
            let line = Line { rate: 400.0 / 3600.0, handle: 240.0, patience };
            for text in targets {
                let target = t(text);
                let n = fewest_agents(line.rate, line.handle, patience, std::slice::from_ref(&target)).unwrap();
                assert!(target.met_by(&line.staffed(n).unwrap()), "{text} at {n}");
                assert!(line.staffed(n - 1).is_none_or(|s| !target.met_by(&s)), "{text} also at {}", n - 1);
            }
        }
        // Abandonment needs patience; several targets: the strictest binds.
        let both = [t("abandon_rate <= 2%"), t("occupancy <= 95%")];
        let n = fewest_agents(400.0 / 3600.0, 240.0, Some(120.0), &both).unwrap();
        assert!(n > fewest_agents(400.0 / 3600.0, 240.0, Some(120.0), &both[1..]).unwrap());
    }

    #[test]
    fn figures_improve_with_every_agent() {
        // The search relies on it: check on a grid, Erlang C and A.
        for patience in [None, Some(60.0), Some(600.0)] {
            let line = Line { rate: 50.0 / 300.0, handle: 300.0, patience };
            let mut last: Option<Staffed> = None;
            for c in line.min_agents()..90 {
                let s = line.staffed(c).unwrap();
                if let Some(p) = &last {
                    assert!(s.service_level(20.0) >= p.service_level(20.0) - 1e-12, "{c} {patience:?}");
                    assert!(s.wait_mean() <= p.wait_mean() + 1e-12);
                    assert!(s.wait_quantile(0.95) <= p.wait_quantile(0.95) + 1e-6);
                    assert!(s.abandon_rate() <= p.abandon_rate() + 1e-12);
                    assert!(s.occupancy() <= p.occupancy() + 1e-12);
                }
                last = Some(s);
            }
        }
    }

    #[test]
    fn an_unreachable_target_is_an_error_not_a_hang() {
        let e = fewest_agents(1000.0, 300.0, Some(60.0), &[t("service_level >= 80%")]).unwrap_err();
        assert!(e.contains("no staffing up to"), "{e}");
    }
}
