//! A gate: a bound on one figure of HEAD, written `[SCOPE:]METRIC OP LIMIT`.
//!
//! A limit with a sign is a *change* from BASE (`wait.p95 <= +5%`,
//! `wait.max <= +30s`, `abandon_rate <= +0.01` or `+1pt`, `service_level >= -2pt`);
//! a limit without one is a *level* HEAD must meet (`wait.p95 <= 3m`,
//! `abandon_rate <= 5%`, `service_level >= 80%`). The two are never confused:
//! the sign alone decides. Scopes: a caller type (`corporate:`), all callers
//! together (`all:`), or a queue (`queue retention:`); no scope gates each
//! caller type and all callers together.

use super::metric::{Direction, Metric, Unit};
use crate::scenario::error::did_you_mean;
use crate::scenario::units::parse_duration;

/// `<=`: the figure may be at most the bound; `>=`: at least it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    AtMost,
    AtLeast,
}

/// A tolerance on the change HEAD − BASE.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Limit {
    /// A share of BASE's value (`+5%` is 0.05).
    Relative(f64),
    /// In the metric's unit: seconds for durations, the share itself for rates.
    Absolute(f64),
}

/// What a gate bounds.
#[derive(Clone, Debug, PartialEq)]
pub enum Bound {
    /// The change from BASE; with several (`+5% or +10s`), the most lenient applies.
    Change(Vec<Limit>),
    /// HEAD's own figure, in the metric's unit.
    Level(f64),
}

/// Which figures a gate applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Each caller type, and all callers together.
    EachCaller,
    /// All callers together (`all:`).
    AllCallers,
    /// One caller type.
    Caller(String),
    /// One queue (`queue NAME:`).
    Queue(String),
    /// Each design's own worst interval of the day, all callers
    /// (`worst_interval.service_level >= -2pt`).
    WorstInterval,
}

impl Scope {
    /// How the scope is written in a gate (empty for [`Scope::EachCaller`]).
    pub fn text(&self) -> String {
        match self {
            Scope::EachCaller => String::new(),
            Scope::AllCallers => ALL.to_string(),
            Scope::Caller(c) => c.clone(),
            Scope::Queue(q) => format!("queue {q}"),
            Scope::WorstInterval => WORST_INTERVAL.to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Gate {
    /// As written, whitespace normalised.
    pub text: String,
    pub scope: Scope,
    pub metric: Metric,
    pub op: Op,
    pub bound: Bound,
}

/// The scope prefix of the all-callers figures: `all:wait.p95`.
pub const ALL: &str = "all";

/// The metric prefix of the worst interval's figures: `worst_interval.wait.p95`.
pub const WORST_INTERVAL: &str = "worst_interval";

/// The default policy: the whole wait to a human (menu included) and the hold,
/// at the worst, and hanging up anywhere, per caller type and for all callers.
/// docs/compare-and-check.md says why these tolerances let identical, renamed
/// and better-staffed designs through and stop 20 s more prompt or one agent
/// fewer on a busy pool.
pub const DEFAULT_GATES: [&str; 5] = [
    "time_to_answer.p95 <= +10s",
    "time_to_answer.max <= +10% or +30s",
    "wait.p95 <= +5% or +5s",
    "wait.max <= +10% or +30s",
    "hang_up_rate <= +1pt",
];

/// The accepted forms, shown with every gate error.
pub const FORMS: &str = "accepted forms ([SCOPE:]METRIC <= LIMIT or [SCOPE:]METRIC >= LIMIT):
  a change from BASE has a sign:
    wait.p95 <= +5%              HEAD's wait.p95 at most 5% above BASE's
    wait.max <= +30s             at most 30 s longer (units: ms, s, m, h)
    abandon_rate <= +0.01        a share at most one point higher (also +1pt)
    service_level >= -2pt        a share at most two points lower (higher is better)
    wait.p95 <= +5% or +5s       the more lenient of two tolerances
  a level HEAD must meet has none:
    wait.p95 <= 3m               HEAD's wait.p95 at most 3 minutes
    abandon_rate <= 5%           at most 5% (or 0.05)
    service_level >= 80%         at least 80%
  scopes: corporate:wait.p95 <= +0%   (one caller type; `all:` = all callers together)
          queue retention: wait.p95 <= +10%   (one queue)
  the worst interval of the day (lowest service level; each design's own):
          worst_interval.service_level >= -2pt, worst_interval.wait.p95 <= +10%
  the worst simulated day and the 1-in-10 day (per caller type and all callers):
          p10_day.service_level >= 70%, p90_day.wait.p95 <= +10%, p90_day.abandon_rate <= +1pt,
          worst_day.service_level, worst_day.abandon_rate, worst_day.wait.p95
metrics: wait, menu_time, time_to_answer, time_to_resolution with .mean .p50 .p90 .p95 .p99 .max;
  service_level, abandon_rate, hang_up_rate, first_contact_resolution, resolved_share, transfers_per_call;
  per queue and worst_interval: wait.*, service_level, abandon_rate";

impl Gate {
    /// Parses one gate; the error says what is wrong (not the accepted forms:
    /// the caller adds [`FORMS`] once).
    pub fn parse(text: &str) -> Result<Gate, String> {
        let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (at, op) = match (norm.find("<="), norm.find(">=")) {
            (Some(i), None) => (i, Op::AtMost),
            (None, Some(i)) => (i, Op::AtLeast),
            _ => return Err(format!("`{norm}` needs exactly one `<=` or `>=` between the metric and the limit")),
        };
        let (left, right) = (norm[..at].trim(), norm[at + 2..].trim());
        let (scope, metric_name) = match left.rsplit_once(':') {
            Some((s, m)) => (parse_scope(s.trim()).map_err(|e| format!("`{norm}`: {e}"))?, m.trim()),
            None => (Scope::EachCaller, left),
        };
        let (scope, metric_name) = match metric_name.strip_prefix(WORST_INTERVAL).and_then(|m| m.strip_prefix('.')) {
            Some(m) if scope == Scope::EachCaller => (Scope::WorstInterval, m),
            Some(_) => {
                return Err(format!(
                    "`{norm}`: {WORST_INTERVAL} gates are on all callers together; write them without a scope"
                ));
            }
            None => (scope, metric_name),
        };
        let metric = Metric::parse(metric_name).ok_or_else(|| unknown_metric(metric_name))?;
        if scope == Scope::WorstInterval && !Metric::for_intervals().contains(&metric) {
            return Err(format!(
                "`{norm}`: an interval has no {metric}; {WORST_INTERVAL}.wait.*, .service_level, .abandon_rate"
            ));
        }
        if let Scope::Queue(q) = &scope {
            if !Metric::for_queues().contains(&metric) {
                return Err(format!(
                    "`{norm}`: queue `{q}` has no {metric}; per queue: wait.*, service_level, abandon_rate"
                ));
            }
        }
        if right.is_empty() {
            return Err(format!("`{norm}` has no limit after the operator"));
        }
        let bound = parse_bound(right, metric, op).map_err(|e| format!("`{norm}`: {e}"))?;
        let good_way = match metric.direction() {
            Direction::HigherIsBetter => Some(Op::AtLeast),
            Direction::LowerIsBetter => Some(Op::AtMost),
            Direction::Neutral => None,
        };
        if good_way.is_some_and(|w| w != op) {
            let (dir, fix) = if metric.higher_is_better() { ("higher", ">=") } else { ("lower", "<=") };
            return Err(format!(
                "`{norm}`: for {metric} {dir} is better, so a gate bounds how bad it may be: `{metric} {fix} LIMIT`"
            ));
        }
        Ok(Gate { text: norm, scope, metric, op, bound })
    }

    /// For a change gate: the largest change allowed when BASE's value is
    /// `base` (for `>=`, the most negative allowed, as a negative number).
    pub fn allowed_change(&self, base: f64) -> Option<f64> {
        let Bound::Change(limits) = &self.bound else { return None };
        let each = limits.iter().map(|l| match *l {
            Limit::Relative(f) => f * base.abs(),
            Limit::Absolute(x) => x,
        });
        Some(match self.op {
            Op::AtMost => each.fold(f64::NEG_INFINITY, f64::max),
            Op::AtLeast => each.fold(f64::INFINITY, f64::min),
        })
    }

    pub fn is_level(&self) -> bool {
        matches!(self.bound, Bound::Level(_))
    }

    /// The limit as written (`+5% or +5s`, `3m`).
    pub fn limit_text(&self) -> &str {
        self.text.split_once('=').map_or("", |(_, r)| r.trim())
    }
}

fn parse_scope(s: &str) -> Result<Scope, String> {
    if s.is_empty() {
        return Err(format!("nothing before `:`; name a caller type, `{ALL}`, or `queue NAME`"));
    }
    if s == ALL {
        return Ok(Scope::AllCallers);
    }
    if let Some(q) = s.strip_prefix("queue ") {
        let q = q.trim();
        return if q.is_empty() {
            Err("`queue` needs a name: `queue NAME:`".into())
        } else {
            Ok(Scope::Queue(q.into()))
        };
    }
    Ok(Scope::Caller(s.to_string()))
}

fn unknown_metric(name: &str) -> String {
    let names = Metric::names();
    let hint = did_you_mean(name, names.iter().map(String::as_str)).map(|s| format!("; did you mean `{s}`?"));
    format!("unknown metric `{name}`{}", hint.unwrap_or_default())
}

fn parse_bound(right: &str, metric: Metric, op: Op) -> Result<Bound, String> {
    let parts: Vec<&str> = right.split(" or ").map(str::trim).collect();
    let signed = |p: &str| p.starts_with('+') || p.starts_with('-');
    if parts.iter().all(|p| signed(p)) {
        return parts.iter().map(|p| parse_change(p, metric, op)).collect::<Result<_, _>>().map(Bound::Change);
    }
    if parts.len() > 1 {
        return Err("`or` joins changes from BASE (+5% or +10s); a level is one value".into());
    }
    parse_level(right, metric).map(Bound::Level)
}

/// A level: `3m` for durations, `5%` or `0.05` for shares, a number otherwise.
fn parse_level(text: &str, metric: Metric) -> Result<f64, String> {
    let value = match metric.unit() {
        Unit::Seconds => {
            if text.parse::<f64>().is_ok() {
                return Err(format!(
                    "`{text}` has no unit: write {text}s or {text}m (with a sign, +{text}s, for a change)"
                ));
            }
            if text.ends_with('%') {
                return Err(format!(
                    "`{text}`: a percentage of {metric} is a change from BASE: write +{text} (a level is a time, like 3m)"
                ));
            }
            parse_duration(text).map_err(|e| format!("limit {e}"))?
        }
        Unit::Share => {
            let (num, scale) = match text.strip_suffix('%') {
                Some(n) => (n.trim(), 100.0),
                None => {
                    (text.strip_suffix("pt").unwrap_or(text).trim(), if text.ends_with("pt") { 100.0 } else { 1.0 })
                }
            };
            let n: f64 = num.parse().map_err(|_| format!("`{text}` is not a level for {metric}: write 5% or 0.05"))?;
            let v = n / scale;
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("`{text}`: {metric} is a share between 0% and 100%"));
            }
            v
        }
        Unit::Number | Unit::PerDay | Unit::Hours | Unit::Money => {
            text.parse().map_err(|_| format!("`{text}` is not a number"))?
        }
    };
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(format!("`{text}` is not a finite, non-negative level"))
    }
}

/// A change: `+5%` (relative), `+30s`, `+0.01` or `+1pt` (absolute).
fn parse_change(text: &str, metric: Metric, op: Op) -> Result<Limit, String> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim()),
        None => (false, text.strip_prefix('+').unwrap_or(text).trim()),
    };
    let value = if let Some(num) = body.strip_suffix('%') {
        let n: f64 = num.trim().parse().map_err(|_| format!("`{text}` is not a percentage like +5%"))?;
        Limit::Relative(n / 100.0)
    } else if let Some(num) = body.strip_suffix("pt").filter(|_| metric.is_share()) {
        let n: f64 = num.trim().parse().map_err(|_| format!("`{text}` is not a number of points like +1pt"))?;
        Limit::Absolute(n / 100.0)
    } else if let Ok(n) = body.parse::<f64>() {
        if metric.is_duration() {
            return Err(format!("`{text}` has no unit: write +{body}s, +{body}m or +{body}%"));
        }
        Limit::Absolute(n)
    } else if metric.is_duration() {
        Limit::Absolute(parse_duration(body).map_err(|e| format!("limit {e}"))?)
    } else {
        return Err(format!(
            "`{text}` is not a limit for {metric}: write a number like +0.01, points like +1pt, or a percentage like +5%"
        ));
    };
    let sign = |x: f64| if negative { -x } else { x };
    let value = match value {
        Limit::Relative(x) => Limit::Relative(sign(x)),
        Limit::Absolute(x) => Limit::Absolute(sign(x)),
    };
    let (Limit::Relative(x) | Limit::Absolute(x)) = value;
    if !x.is_finite() {
        return Err(format!("`{text}` is not a finite limit"));
    }
    match op {
        Op::AtMost if x < 0.0 => {
            Err(format!("`{text}`: a `<=` change is how much worse HEAD may be; it cannot be negative"))
        }
        Op::AtLeast if x > 0.0 => {
            Err(format!("`{text}`: a `>=` change is how far HEAD may fall; write it negative, like -2pt"))
        }
        _ => Ok(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::metric::{Rate, Span, Stat};

    fn change(g: &Gate) -> Vec<Limit> {
        match &g.bound {
            Bound::Change(l) => l.clone(),
            Bound::Level(_) => panic!("{} is a level", g.text),
        }
    }

    #[test]
    fn a_signed_limit_is_a_change_from_base() {
        let g = Gate::parse("wait.p95 <= +5%").unwrap();
        assert_eq!(
            (g.metric, g.op, change(&g)),
            (Metric::Duration(Span::Wait, Stat::P95), Op::AtMost, vec![Limit::Relative(0.05)])
        );
        assert_eq!(change(&Gate::parse("wait.max <= +30s").unwrap()), vec![Limit::Absolute(30.0)]);
        assert_eq!(change(&Gate::parse("abandon_rate <= +0.01").unwrap()), vec![Limit::Absolute(0.01)]);
        assert_eq!(change(&Gate::parse("abandon_rate <= +1pt").unwrap()), vec![Limit::Absolute(0.01)]);
        let g = Gate::parse("service_level >= -2pt").unwrap();
        assert_eq!(
            (g.metric, g.op, change(&g)),
            (Metric::Rate(Rate::ServiceLevel), Op::AtLeast, vec![Limit::Absolute(-0.02)])
        );
        let g = Gate::parse("time_to_answer.p95 <= +10% or +20s").unwrap();
        assert_eq!(change(&g), vec![Limit::Relative(0.1), Limit::Absolute(20.0)]);
        assert_eq!(g.limit_text(), "+10% or +20s");
        for d in DEFAULT_GATES {
            assert!(!Gate::parse(d).unwrap().is_level(), "{d}");
        }
    }

    #[test]
    fn an_unsigned_limit_is_a_level_head_must_meet() {
        assert_eq!(Gate::parse("wait.p95 <= 120s").unwrap().bound, Bound::Level(120.0));
        assert_eq!(Gate::parse("wait.p95<=3m").unwrap().bound, Bound::Level(180.0));
        assert_eq!(Gate::parse("abandon_rate <= 5%").unwrap().bound, Bound::Level(0.05));
        assert_eq!(Gate::parse("abandon_rate <= 0.05").unwrap().bound, Bound::Level(0.05));
        assert_eq!(Gate::parse("service_level >= 80%").unwrap().bound, Bound::Level(0.8));
    }

    #[test]
    fn scopes_name_a_caller_all_callers_or_a_queue() {
        let g = Gate::parse("  corporate:wait.p95   <= +0% ").unwrap();
        assert_eq!((g.scope, g.text.as_str()), (Scope::Caller("corporate".into()), "corporate:wait.p95 <= +0%"));
        assert_eq!(Gate::parse("all: wait.max <= +30s").unwrap().scope, Scope::AllCallers);
        assert_eq!(Gate::parse("queue retention: wait.p95 <= +10%").unwrap().scope, Scope::Queue("retention".into()));
        assert!(Gate::parse("queue retention: first_contact_resolution >= -1pt").unwrap_err().contains("per queue"));
    }

    #[test]
    fn the_most_lenient_limit_applies() {
        let g = Gate::parse("wait.p95 <= +10% or +20s").unwrap();
        assert_eq!(g.allowed_change(100.0), Some(20.0));
        assert_eq!(g.allowed_change(1000.0), Some(100.0));
        assert_eq!(Gate::parse("service_level >= -10%").unwrap().allowed_change(0.8), Some(-0.08000000000000002));
        assert_eq!(Gate::parse("wait.p95 <= 3m").unwrap().allowed_change(100.0), None);
    }

    #[test]
    fn broken_gates_say_what_is_wrong() {
        let err = |t: &str| Gate::parse(t).unwrap_err();
        assert!(err("wait.p95 < 5%").contains("`<=` or `>=`"));
        assert!(err("wiat.p95 <= +5%").contains("did you mean `wait.p95`"));
        assert!(err("wait.p95 <= +5").contains("no unit"));
        assert!(err("wait.p95 <= 5").contains("no unit"));
        assert!(err("wait.p95 <= 5%").contains("change from BASE"));
        assert!(err("wait.p95 <= +5x").contains("unknown unit"));
        assert!(err("abandon_rate <= lots").contains("not a level"));
        assert!(err("abandon_rate <= 150%").contains("between 0% and 100%"));
        assert!(err("wait.p95 <= -5%").contains("cannot be negative"));
        assert!(err("service_level <= +0.02").contains("higher is better"));
        assert!(err("wait.p95 >= -5%").contains("lower is better"));
        assert!(err("wait.p95 <= 3m or +5%").contains("`or` joins changes"));
        assert!(err(":wait.p95 <= +5%").contains("caller type"));
        assert!(err("wait.p95 <=").contains("no limit"));
        assert!(err("worst_interval.first_contact_resolution >= -1pt").contains("an interval has no"));
        assert!(err("corporate: worst_interval.wait.p95 <= +5%").contains("without a scope"));
    }

    #[test]
    fn worst_interval_gates_bound_each_designs_worst_interval() {
        let g = Gate::parse("worst_interval.service_level >= -2pt").unwrap();
        assert_eq!(
            (g.scope.clone(), g.metric, change(&g)),
            (Scope::WorstInterval, Metric::Rate(Rate::ServiceLevel), vec![Limit::Absolute(-0.02)])
        );
        let g = Gate::parse("worst_interval.wait.p95 <= +10%").unwrap();
        assert_eq!((g.scope, g.metric), (Scope::WorstInterval, Metric::Duration(Span::Wait, Stat::P95)));
        assert_eq!(Gate::parse("worst_interval.abandon_rate <= 10%").unwrap().bound, Bound::Level(0.1));
    }

    #[test]
    fn day_gates_bound_the_worst_and_the_one_in_ten_day() {
        use crate::stats::metric::{DayFigure, DayPick};
        let g = Gate::parse("p10_day.service_level >= 70%").unwrap();
        assert_eq!((g.metric, g.bound), (Metric::Day(DayPick::OneInTen, DayFigure::ServiceLevel), Bound::Level(0.7)));
        let g = Gate::parse("corporate: p90_day.wait.p95 <= +10%").unwrap();
        assert_eq!(
            (g.scope, g.metric),
            (Scope::Caller("corporate".into()), Metric::Day(DayPick::OneInTen, DayFigure::WaitP95))
        );
        assert!(Gate::parse("worst_day.service_level <= +1pt").unwrap_err().contains("higher is better"));
        assert!(
            Gate::parse("p90_day.service_level >= -1pt").unwrap_err().contains("did you mean `p10_day.service_level`")
        );
        assert!(Gate::parse("queue retention: p90_day.abandon_rate <= +1pt").unwrap_err().contains("per queue"));
    }
}
