//! The small syntaxes of the scenario file: durations (`1h30m`), rates (`120/h`)
//! and distributions (`lognormal(6m, 3m)`), parsed from YAML scalars.
//!
//! Parsing happens inside serde so that the YAML library attaches the line and
//! column of the offending scalar to every error.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

use super::dist::Dist;

/// A duration written with a unit, in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DurationSpec(pub f64);

/// An arrival rate written as `N/unit`, in calls per second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateSpec(pub f64);

/// A random duration: a constant or a named distribution.
#[derive(Clone, Debug, PartialEq)]
pub struct DistSpec(pub Dist);

const DURATION_HELP: &str = "a duration with a unit, such as 45s, 3m, 1h30m, 1.5h or 250ms";
const RATE_HELP: &str = "a rate such as 120/h, 2/m or 0.5/s";
const DIST_HELP: &str = "a duration (45s) or a distribution: exp(MEAN), uniform(MIN, MAX), \
normal(MEAN, SD), lognormal(MEAN, SD), erlang(K, MEAN), gamma(SHAPE, MEAN), \
triangular(MIN, MODE, MAX), empirical([30s, 45s, 2m])";

fn unit_seconds(unit: &str) -> Option<f64> {
    Some(match unit {
        "ms" => 0.001,
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => return None,
    })
}

/// Parses `45s`, `3m`, `1h30m`, `1.5h`, `250ms` into seconds.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err(format!("empty duration: expected {DURATION_HELP}"));
    }
    if s.starts_with('-') {
        return Err(format!("`{s}` is negative: durations cannot be negative"));
    }
    if s.parse::<f64>().is_ok() {
        return Err(format!("`{s}` has no unit: write {s}s for seconds, {s}m for minutes or {s}h for hours"));
    }
    let mut total = 0.0;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return Err(format!("`{s}` is not a duration: expected {DURATION_HELP}"));
        }
        let number: f64 =
            rest[..num_len].parse().map_err(|_| format!("`{s}` is not a duration: expected {DURATION_HELP}"))?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let Some(scale) = unit_seconds(unit) else {
            return Err(if unit.is_empty() {
                format!("`{s}` is missing a unit after {number}: expected {DURATION_HELP}")
            } else {
                format!("`{s}` has an unknown unit `{unit}`: use ms, s, m, h or d")
            });
        };
        total += number * scale;
        rest = rest[unit_len..].trim_start();
    }
    if !total.is_finite() || total > 1.0e9 {
        return Err(format!("`{s}` is too long a duration (more than 30 years)"));
    }
    Ok(total)
}

/// Parses `120/h`, `2/m`, `0.5/s` into calls per second.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let s = text.trim();
    let Some((num, unit)) = s.split_once('/') else {
        return Err(format!("`{s}` is not a rate: expected {RATE_HELP}"));
    };
    let value: f64 = num.trim().parse().map_err(|_| format!("`{s}` is not a rate: expected {RATE_HELP}"))?;
    let unit = unit.trim();
    let per = if let Some(scale) = unit_seconds(unit) {
        scale
    } else {
        parse_duration(unit).map_err(|_| format!("`{s}` has an unknown time unit `{unit}`: expected {RATE_HELP}"))?
    };
    if !value.is_finite() || value < 0.0 {
        return Err(format!("`{s}`: a rate must be a non-negative number of calls"));
    }
    if per <= 0.0 {
        return Err(format!("`{s}`: the time unit must be positive"));
    }
    Ok(value / per)
}

/// Splits `a, b, c` at top-level commas (not inside brackets).
fn split_args(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out
}

fn parse_number(what: &str, text: &str, ctx: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("`{ctx}`: {what} must be a number, found `{text}`"))
}

fn arg_duration(text: &str, ctx: &str) -> Result<f64, String> {
    parse_duration(text).map_err(|e| format!("in `{ctx}`: {e}"))
}

/// Parses a distribution expression.
pub fn parse_dist(text: &str) -> Result<Dist, String> {
    let s = text.trim();
    let Some(open) = s.find('(') else {
        return match parse_duration(s) {
            Ok(v) => Ok(Dist::Constant(v)),
            Err(_) if s.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) => {
                Err(format!("`{s}` is not a known distribution: expected {DIST_HELP}"))
            }
            Err(e) => Err(e),
        };
    };
    if !s.ends_with(')') {
        if !s.contains(')') && !s.contains(',') {
            return Err(format!(
                "`{s}` is missing its closing parenthesis. Inside a `{{ ... }}` map, YAML ends a value at \
                 the first comma: quote the distribution (\"{s}, ...)\") or write the map one key per line"
            ));
        }
        return Err(format!("`{s}` is missing its closing parenthesis: expected {DIST_HELP}"));
    }
    let name = s[..open].trim();
    let inner = &s[open + 1..s.len() - 1];
    let args = split_args(inner);
    let want = |n: usize, form: &str| -> Result<(), String> {
        if args.len() == n && args.iter().all(|a| !a.is_empty()) {
            Ok(())
        } else {
            Err(format!("`{s}`: {name} takes {n} argument(s): {form}"))
        }
    };
    let dist = match name {
        "exp" | "exponential" => {
            want(1, "exp(MEAN)")?;
            Dist::exp(arg_duration(args[0], s)?)
        }
        "uniform" => {
            want(2, "uniform(MIN, MAX)")?;
            Dist::uniform(arg_duration(args[0], s)?, arg_duration(args[1], s)?)
        }
        "normal" => {
            want(2, "normal(MEAN, SD)")?;
            Dist::normal(arg_duration(args[0], s)?, arg_duration(args[1], s)?)
        }
        "lognormal" => {
            want(2, "lognormal(MEAN, SD)")?;
            Dist::lognormal(arg_duration(args[0], s)?, arg_duration(args[1], s)?)
        }
        "erlang" => {
            want(2, "erlang(K, MEAN)")?;
            let k = parse_number("K", args[0], s)?;
            if k < 1.0 || k.fract() != 0.0 || k > 1000.0 {
                return Err(format!("`{s}`: K must be a whole number from 1 to 1000, found {}", args[0]));
            }
            Dist::gamma(k, arg_duration(args[1], s)?)
        }
        "gamma" => {
            want(2, "gamma(SHAPE, MEAN)")?;
            let shape = parse_number("SHAPE", args[0], s)?;
            if shape <= 0.0 || shape > 1.0e6 {
                return Err(format!("`{s}`: SHAPE must be positive, found {}", args[0]));
            }
            Dist::gamma(shape, arg_duration(args[1], s)?)
        }
        "triangular" => {
            want(3, "triangular(MIN, MODE, MAX)")?;
            Dist::triangular(arg_duration(args[0], s)?, arg_duration(args[1], s)?, arg_duration(args[2], s)?)
        }
        "empirical" => {
            let list = inner.trim();
            let body = list
                .strip_prefix('[')
                .and_then(|l| l.strip_suffix(']'))
                .ok_or_else(|| format!("`{s}`: write the values in brackets: empirical([30s, 45s, 2m])"))?;
            let values = split_args(body)
                .into_iter()
                .filter(|v| !v.is_empty())
                .map(|v| arg_duration(v, s))
                .collect::<Result<Vec<_>, _>>()?;
            if values.is_empty() {
                return Err(format!("`{s}`: empirical needs at least one value"));
            }
            Ok(Dist::Empirical(values))
        }
        other => {
            return Err(format!("`{other}` is not a known distribution: expected {DIST_HELP}"));
        }
    };
    dist.map_err(|e| format!("`{s}`: {e}"))
}

/// A visitor that takes a scalar string and parses it; numbers get a unit hint.
struct ScalarVisitor<F> {
    expecting: &'static str,
    parse: F,
    bare_number_hint: fn(&str) -> String,
}

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> Visitor<'de> for ScalarVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Err(E::custom((self.bare_number_hint)(&v.to_string())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Err(E::custom((self.bare_number_hint)(&v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Err(E::custom((self.bare_number_hint)(&v.to_string())))
    }
}

fn duration_number_hint(n: &str) -> String {
    format!("`{n}` has no unit: write {n}s for seconds, {n}m for minutes or {n}h for hours")
}

fn rate_number_hint(n: &str) -> String {
    format!("`{n}` has no time unit: write {n}/h for calls per hour or {n}/m per minute")
}

impl<'de> serde::Deserialize<'de> for DurationSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor {
            expecting: DURATION_HELP,
            parse: |s: &str| parse_duration(s).map(DurationSpec),
            bare_number_hint: duration_number_hint,
        })
    }
}

impl<'de> serde::Deserialize<'de> for RateSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor {
            expecting: RATE_HELP,
            parse: |s: &str| parse_rate(s).map(RateSpec),
            bare_number_hint: rate_number_hint,
        })
    }
}

impl<'de> serde::Deserialize<'de> for DistSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor {
            expecting: DIST_HELP,
            parse: |s: &str| parse_dist(s).map(DistSpec),
            bare_number_hint: duration_number_hint,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_every_documented_form() {
        assert_eq!(parse_duration("45s"), Ok(45.0));
        assert_eq!(parse_duration("3m"), Ok(180.0));
        assert_eq!(parse_duration("1h30m"), Ok(5400.0));
        assert_eq!(parse_duration("1.5h"), Ok(5400.0));
        assert_eq!(parse_duration("250ms"), Ok(0.25));
    }

    #[test]
    fn a_bare_number_is_an_error_that_names_the_units() {
        let e = parse_duration("30").unwrap_err();
        assert!(e.contains("30s"), "{e}");
        assert!(parse_duration("-5s").unwrap_err().contains("negative"));
        assert!(parse_duration("5 parsecs").is_err());
    }

    #[test]
    fn rates_convert_to_calls_per_second() {
        assert_eq!(parse_rate("120/h"), Ok(120.0 / 3600.0));
        assert_eq!(parse_rate("2/m"), Ok(2.0 / 60.0));
        assert_eq!(parse_rate("0.5/s"), Ok(0.5));
        assert!(parse_rate("120").is_err());
        assert!(parse_rate("-3/h").is_err());
    }

    #[test]
    fn distributions_parse_with_their_arguments() {
        assert_eq!(parse_dist("45s"), Ok(Dist::Constant(45.0)));
        assert!(matches!(parse_dist("exp(3m)"), Ok(Dist::Exp { .. })));
        assert!(matches!(parse_dist("lognormal(6m, 3m)"), Ok(Dist::LogNormal { .. })));
        assert!(matches!(parse_dist("empirical([30s, 45s, 2m])"), Ok(Dist::Empirical(v)) if v.len() == 3));
        assert!(parse_dist("exp(3)").is_err());
        assert!(parse_dist("expo(3m)").is_err());
        assert!(parse_dist("uniform(5m, 1m)").is_err());
        assert!(parse_dist("erlang(0, 3m)").is_err());
        assert!(parse_dist("triangular(1m, 5m, 3m)").is_err());
        assert!(parse_dist("exp(3m").is_err());
    }
}

/// JSON Schema of the small syntaxes (`shop schema`): strings with a pattern
/// that accepts what the parsers above accept (the parsers stay the judge:
/// they also check ranges and argument counts).
mod schema {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

    use super::{DIST_HELP, DistSpec, DurationSpec, RATE_HELP, RateSpec};

    const NUMBER: &str = r"(\d+(\.\d*)?|\.\d+)";
    const UNIT: &str = "(ms|sec|min|s|m|h|d)";

    fn duration() -> String {
        format!(r"{NUMBER}{UNIT}(\s*{NUMBER}{UNIT})*")
    }

    pub fn duration_pattern() -> String {
        format!(r"^\s*{}\s*$", duration())
    }

    impl JsonSchema for DurationSpec {
        fn schema_name() -> Cow<'static, str> {
            "Duration".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "type": "string",
                "pattern": duration_pattern(),
                "description": "A duration with a unit, such as 45s, 3m, 1h30m, 1.5h or 250ms (a bare number is an error).",
                "examples": ["45s", "3m", "1h30m"],
            })
        }
    }

    impl JsonSchema for RateSpec {
        fn schema_name() -> Cow<'static, str> {
            "Rate".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            let number = r"[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?";
            let per = format!(r"({NUMBER}?{UNIT}(\s*{NUMBER}{UNIT})*)");
            json_schema!({
                "type": "string",
                "pattern": format!(r"^\s*{number}\s*/\s*{per}\s*$"),
                "description": format!("Calls per unit of time: {RATE_HELP}."),
                "examples": ["120/h", "2/m"],
            })
        }
    }

    impl JsonSchema for DistSpec {
        fn schema_name() -> Cow<'static, str> {
            "Distribution".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "type": "string",
                "pattern": format!(
                    r"^\s*({}|(exp|exponential|uniform|normal|lognormal|erlang|gamma|triangular|empirical)\s*\(.*\))\s*$",
                    duration()
                ),
                "description": format!("A random duration: {DIST_HELP}."),
                "examples": ["exp(3m)", "lognormal(6m, 3m)", "90s"],
            })
        }
    }
}
