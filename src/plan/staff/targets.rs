//! Staffing targets with their scope (`business: wait.p95 <= 2m`), and whether
//! one holds in an interval of a simulated day: the interval's figure from the
//! calls dialed in it (all replications pooled), occupancy per pool.

use crate::plan::target::{Goal, TARGET_FORMS, Target};
use crate::scenario::Scenario;
use crate::scenario::error::did_you_mean;
use crate::stats::collect::{IntervalStats, RepStats};
use crate::stats::metric::{ABANDON_RATE, Metric, SERVICE_LEVEL, Span, Stat};

/// Whose figure a target bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// All callers together (no scope, or `all:`); for occupancy: each pool searched.
    All,
    /// One caller type, by index.
    Caller(usize),
    /// One pool, by index (occupancy only).
    Pool(usize),
}

/// One target of the search.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffTarget {
    /// As written, whitespace normalised, scope included.
    pub text: String,
    pub scope: Scope,
    /// The figure and its bound (the formulas' target type, shared with `shop erlang`).
    pub target: Target,
}

/// The accepted forms, shown with every target error.
pub fn forms() -> String {
    format!(
        "{TARGET_FORMS}\nscopes: business: wait.p95 <= 2m   (one caller type; `all:` = all callers together, the default)\n        \
         tech_team: occupancy <= 85%   (one pool; unscoped, occupancy bounds every pool searched)"
    )
}

impl StaffTarget {
    /// Parses `[SCOPE:] FIGURE OP BOUND` against the scenario's names;
    /// `service_level` without `(T)` is measured at `default_within` seconds.
    pub fn parse(text: &str, sc: &Scenario, default_within: f64) -> Result<StaffTarget, String> {
        let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (scope_text, rest) = match norm.split_once(':') {
            Some((s, r)) => (Some(s.trim()), r.trim()),
            None => (None, norm.as_str()),
        };
        let target = Target::parse(rest, default_within)?;
        let is_occupancy = matches!(target.goal, Goal::Occupancy(_));
        let scope = match scope_text {
            None | Some("all") => Scope::All,
            Some(s) if s.starts_with("queue ") || s == "queue" => {
                return Err(format!(
                    "`{norm}`: queue scopes are not counted interval by interval; bound the callers who reach \
                     the queue instead (`CALLER: {rest}`)"
                ));
            }
            Some(s) => {
                let caller = sc.callers.iter().position(|c| c.name == s);
                let pool = sc.pools.iter().position(|p| p.name == s);
                match (caller, pool, is_occupancy) {
                    (_, Some(p), true) => Scope::Pool(p),
                    (Some(_), None, true) => {
                        return Err(format!(
                            "`{norm}`: occupancy is a pool's figure; scope it with a pool ({}) or not at all",
                            names(sc.pools.iter().map(|p| p.name.as_str()))
                        ));
                    }
                    (Some(c), _, false) => Scope::Caller(c),
                    (None, Some(_), false) => {
                        return Err(format!(
                            "`{norm}`: `{s}` is a pool; a pool scope only bounds occupancy. Scope caller figures \
                             with a caller type ({})",
                            names(sc.callers.iter().map(|c| c.name.as_str()))
                        ));
                    }
                    (None, None, _) => {
                        let all: Vec<&str> = sc
                            .callers
                            .iter()
                            .map(|c| c.name.as_str())
                            .chain(sc.pools.iter().map(|p| p.name.as_str()))
                            .collect();
                        let hint = did_you_mean(s, all.iter().copied())
                            .map(|x| format!("; did you mean `{x}`?"))
                            .unwrap_or_default();
                        return Err(format!(
                            "`{norm}`: no caller type or pool is called `{s}`{hint} (caller types: {}; pools: {})",
                            names(sc.callers.iter().map(|c| c.name.as_str())),
                            names(sc.pools.iter().map(|p| p.name.as_str()))
                        ));
                    }
                }
            }
        };
        let text = match scope_text {
            Some(s) => format!("{s}: {}", target.text),
            None => target.text.clone(),
        };
        Ok(StaffTarget { text, scope, target })
    }

    /// This target's figure in its own terms (a share in %, a time in seconds).
    pub fn shown(&self, v: f64) -> String {
        match self.target.goal {
            Goal::WaitMean(_) | Goal::WaitQuantile { .. } => format!("{v:.1}s"),
            _ => format!("{:.1}%", v * 100.0),
        }
    }

    /// The catalogue's metric this target bounds (for the interval's calls).
    fn metric(&self) -> Option<Metric> {
        Some(match self.target.goal {
            Goal::ServiceLevel { .. } => SERVICE_LEVEL,
            Goal::AbandonRate(_) => ABANDON_RATE,
            Goal::WaitMean(_) => Metric::Duration(Span::Wait, Stat::Mean),
            Goal::WaitQuantile { q, .. } => Metric::Duration(Span::Wait, quantile_stat(q)),
            Goal::Occupancy(_) => return None,
        })
    }

    /// How far interval `k` misses this target, in the bound's terms (0 when it
    /// holds; shares in points, times relative to the bound), and the figure
    /// that misses it with the pool it belongs to (occupancy). `pools`: the pools searched.
    pub fn miss(&self, st: &RepStats, k: usize, pools: &[usize]) -> Option<Miss> {
        let calls = |i: &IntervalStats| self.metric().and_then(|m| m.of_interval(i));
        let (value, pool) = match (&self.scope, self.target.goal) {
            (Scope::Pool(p), Goal::Occupancy(_)) => (Metric::Occupancy.of_pool(st.pool_interval(k, *p)), Some(*p)),
            (_, Goal::Occupancy(_)) => pools
                .iter()
                .filter_map(|&p| Metric::Occupancy.of_pool(st.pool_interval(k, p)).map(|v| (v, p)))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map_or((None, None), |(v, p)| (Some(v), Some(p))),
            (Scope::Caller(c), _) => (calls(st.interval_caller(k, *c)), None),
            _ => (calls(&all_callers(st, k)), None),
        };
        let value = value?;
        let short = match self.target.goal {
            Goal::ServiceLevel { at_least, .. } => at_least - value,
            Goal::AbandonRate(b) | Goal::Occupancy(b) => value - b,
            Goal::WaitMean(b) | Goal::WaitQuantile { at_most: b, .. } => (value - b) / b.max(1.0),
        };
        (short > 0.0).then_some(Miss { value, pool, shortfall: short })
    }
}

/// A target missed in an interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Miss {
    /// The figure (a share, or seconds).
    pub value: f64,
    /// For occupancy: the pool past the bound.
    pub pool: Option<usize>,
    /// How far past the bound (see [`StaffTarget::miss`]).
    pub shortfall: f64,
}

/// All callers dialed in interval `k`.
pub fn all_callers(st: &RepStats, k: usize) -> IntervalStats {
    let mut all = IntervalStats::default();
    for c in 0..st.by_caller.len() {
        all.merge(st.interval_caller(k, c));
    }
    all
}

/// The summary statistic of a wait quantile target (`wait.p95`).
pub fn quantile_stat(q: f64) -> Stat {
    match (q * 100.0).round() as u32 {
        50 => Stat::P50,
        90 => Stat::P90,
        99 => Stat::P99,
        _ => Stat::P95,
    }
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}
