//! A gate: how much worse HEAD may be than BASE on one figure, written
//! `[CALLER:]METRIC OP LIMIT[ or LIMIT]`, e.g. `wait.p95 <= +5%`,
//! `corporate:wait.max <= +30s`, `service_level >= -0.02`.

use super::metric::Metric;
use crate::scenario::error::did_you_mean;
use crate::scenario::units::parse_duration;

/// `<=`: the figure may rise by at most the limit; `>=`: fall by at most it.
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

#[derive(Clone, Debug, PartialEq)]
pub struct Gate {
    /// As written, whitespace normalised.
    pub text: String,
    /// One caller type, [`ALL`] for all callers together, or `None` for each
    /// caller type and all callers together.
    pub scope: Option<String>,
    pub metric: Metric,
    pub op: Op,
    /// With several (`+5% or +10s`), the most lenient applies.
    pub limits: Vec<Limit>,
}

/// The scope prefix of the all-callers figures: `all:wait.p95`.
pub const ALL: &str = "all";

/// The default policy: worst-case holds, per caller type and overall. See
/// docs/compare-and-check.md for why these tolerances cannot be tripped by noise.
pub const DEFAULT_GATES: [&str; 2] = ["wait.p95 <= +5% or +5s", "wait.max <= +10% or +30s"];

/// The accepted forms, shown with every gate error.
pub const FORMS: &str = "accepted forms ([CALLER:]METRIC <= LIMIT or [CALLER:]METRIC >= LIMIT):
  wait.p95 <= +5%              HEAD's wait.p95 at most 5% above BASE's
  wait.max <= +30s             at most 30 s longer (units: ms, s, m, h)
  abandon_rate <= +0.01        a share at most 0.01 (one point) higher
  time_to_answer.p95 <= +10%
  service_level >= -0.02       a share at most 0.02 lower (higher is better)
  wait.p95 <= +5% or +5s       the more lenient of two tolerances
  corporate:wait.p95 <= +0%    only caller type `corporate` (`all:` = all callers together)
metrics: wait, menu_time, time_to_answer, time_to_resolution with .mean .p50 .p90 .p95 .p99 .max;
  service_level, abandon_rate, first_contact_resolution, resolved_share, transfers_per_call";

impl Gate {
    /// Parses one gate; the error says what is wrong (not the accepted forms:
    /// the caller adds [`FORMS`] once).
    pub fn parse(text: &str) -> Result<Gate, String> {
        let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (at, op, op_len) = match (norm.find("<="), norm.find(">=")) {
            (Some(i), None) => (i, Op::AtMost, 2),
            (None, Some(i)) => (i, Op::AtLeast, 2),
            _ => return Err(format!("`{norm}` needs exactly one `<=` or `>=` between the metric and the limit")),
        };
        let (left, right) = (norm[..at].trim(), norm[at + op_len..].trim());
        let (scope, metric_name) = match left.rsplit_once(':') {
            Some((s, m)) => (Some(s.trim().to_string()), m.trim()),
            None => (None, left),
        };
        if scope.as_deref() == Some("") {
            return Err(format!("`{norm}`: nothing before `:`; name a caller type or `{ALL}`"));
        }
        let metric = Metric::parse(metric_name).ok_or_else(|| unknown_metric(metric_name))?;
        if right.is_empty() {
            return Err(format!("`{norm}` has no limit after the operator"));
        }
        let limits = right.split(" or ").map(|l| parse_limit(l.trim(), metric, op)).collect::<Result<Vec<_>, _>>();
        let limits = limits.map_err(|e| format!("`{norm}`: {e}"))?;
        let good_way = if metric.higher_is_better() { Op::AtLeast } else { Op::AtMost };
        if op != good_way {
            let (dir, fix) = if metric.higher_is_better() { ("higher", ">= -") } else { ("lower", "<= +") };
            return Err(format!(
                "`{norm}`: for {} {dir} is better, so a gate bounds how far it may worsen: `{} {fix}LIMIT`",
                metric.name(),
                metric.name()
            ));
        }
        Ok(Gate { text: norm, scope, metric, op, limits })
    }

    /// The largest change allowed when BASE's value is `base` (for `>=`, the
    /// most negative allowed, as a negative number).
    pub fn allowed_change(&self, base: f64) -> f64 {
        let each = self.limits.iter().map(|l| match *l {
            Limit::Relative(f) => f * base.abs(),
            Limit::Absolute(x) => x,
        });
        match self.op {
            Op::AtMost => each.fold(f64::NEG_INFINITY, f64::max),
            Op::AtLeast => each.fold(f64::INFINITY, f64::min),
        }
    }

    /// The limit as written (`+5% or +5s`).
    pub fn limit_text(&self) -> &str {
        self.text.split_once("=").map_or("", |(_, r)| r.trim())
    }
}

fn unknown_metric(name: &str) -> String {
    let names = Metric::names();
    let hint = did_you_mean(name, names.iter().map(String::as_str)).map(|s| format!("; did you mean `{s}`?"));
    format!("unknown metric `{name}`{}", hint.unwrap_or_default())
}

fn parse_limit(text: &str, metric: Metric, op: Op) -> Result<Limit, String> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim()),
        None => (false, text.strip_prefix('+').unwrap_or(text).trim()),
    };
    let value = if let Some(num) = body.strip_suffix('%') {
        let n: f64 = num.trim().parse().map_err(|_| format!("`{text}` is not a percentage like +5%"))?;
        Limit::Relative(n / 100.0)
    } else if let Ok(n) = body.parse::<f64>() {
        if metric.is_duration() {
            return Err(format!("`{text}` has no unit: write +{body}s, +{body}m or +{body}%"));
        }
        Limit::Absolute(n)
    } else if metric.is_duration() {
        Limit::Absolute(parse_duration(body).map_err(|e| format!("limit {e}"))?)
    } else {
        return Err(format!(
            "`{text}` is not a limit for {}: write a number like +0.01 or a percentage like +5%",
            metric.name()
        ));
    };
    let signed = |x: f64| if negative { -x } else { x };
    let value = match value {
        Limit::Relative(x) => Limit::Relative(signed(x)),
        Limit::Absolute(x) => Limit::Absolute(signed(x)),
    };
    let x = match value {
        Limit::Relative(x) | Limit::Absolute(x) => x,
    };
    if !x.is_finite() {
        return Err(format!("`{text}` is not a finite limit"));
    }
    match op {
        Op::AtMost if x < 0.0 => {
            Err(format!("`{text}`: a `<=` limit is how much worse HEAD may be; it cannot be negative"))
        }
        Op::AtLeast if x > 0.0 => {
            Err(format!("`{text}`: a `>=` limit is how far HEAD may fall; write it negative, like -0.02"))
        }
        _ => Ok(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::metric::{Rate, Span, Stat};

    #[test]
    fn the_documented_forms_parse() {
        let g = Gate::parse("wait.p95 <= +5%").unwrap();
        assert_eq!(
            (g.metric, g.op, g.limits.clone()),
            (Metric::Duration(Span::Wait, Stat::P95), Op::AtMost, vec![Limit::Relative(0.05)])
        );
        assert_eq!(Gate::parse("wait.max <= +30s").unwrap().limits, vec![Limit::Absolute(30.0)]);
        assert_eq!(Gate::parse("wait.max<=1m").unwrap().limits, vec![Limit::Absolute(60.0)]);
        assert_eq!(Gate::parse("abandon_rate <= +0.01").unwrap().limits, vec![Limit::Absolute(0.01)]);
        let g = Gate::parse("service_level >= -0.02").unwrap();
        assert_eq!(
            (g.metric, g.op, g.limits),
            (Metric::Rate(Rate::ServiceLevel), Op::AtLeast, vec![Limit::Absolute(-0.02)])
        );
        let g = Gate::parse("  corporate:wait.p95   <= +0% ").unwrap();
        assert_eq!((g.scope.as_deref(), g.text.as_str()), (Some("corporate"), "corporate:wait.p95 <= +0%"));
        let g = Gate::parse("time_to_answer.p95 <= +10% or +20s").unwrap();
        assert_eq!(g.limits, vec![Limit::Relative(0.1), Limit::Absolute(20.0)]);
        assert_eq!(g.limit_text(), "+10% or +20s");
        for d in DEFAULT_GATES {
            Gate::parse(d).unwrap();
        }
    }

    #[test]
    fn the_most_lenient_limit_applies() {
        let g = Gate::parse("wait.p95 <= +10% or +20s").unwrap();
        assert_eq!(g.allowed_change(100.0), 20.0);
        assert_eq!(g.allowed_change(1000.0), 100.0);
        assert_eq!(Gate::parse("service_level >= -10%").unwrap().allowed_change(0.8), -0.08000000000000002);
    }

    #[test]
    fn broken_gates_say_what_is_wrong() {
        let err = |t: &str| Gate::parse(t).unwrap_err();
        assert!(err("wait.p95 < 5%").contains("`<=` or `>=`"));
        assert!(err("wiat.p95 <= +5%").contains("did you mean `wait.p95`"));
        assert!(err("wait.p95 <= +5").contains("no unit"));
        assert!(err("wait.p95 <= +5x").contains("unknown unit"));
        assert!(err("abandon_rate <= lots").contains("not a limit"));
        assert!(err("wait.p95 <= -5%").contains("cannot be negative"));
        assert!(err("service_level <= +0.02").contains("higher is better"));
        assert!(err("wait.p95 >= -5%").contains("lower is better"));
        assert!(err(":wait.p95 <= +5%").contains("caller type"));
        assert!(err("wait.p95 <=").contains("no limit"));
    }
}
