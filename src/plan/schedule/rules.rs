//! The rules file of `shop schedule --rules`: shift types (length, start
//! window and step, breaks with their windows, count limits, share of all
//! shifts, cost), the pools that get shifts, and the opening hours. Read as
//! raw serde structs (unknown keys refused, the schema comes from them), then
//! checked against the scenario into [`Rules`], in whole seconds from time 0.
//! Every error names the file, line, key and what was expected.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::scenario::Scenario;
use crate::scenario::error::did_you_mean;
use crate::scenario::intervals::parse_clock;
use crate::scenario::locate::Index;
use crate::scenario::units::{DurationSpec, parse_duration};

/// The rules file as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "shop schedule rules")]
pub struct RawRules {
    /// The shifts agents may work, by name (e.g. `full`, `part`).
    pub shift_types: IndexMap<String, RawShiftType>,
    /// The pools that get shifts [default: every pool]; the others keep their `agents:`.
    #[serde(default)]
    pub pools: Option<Vec<String>>,
    /// No shift starts before `from` or ends after `to` [default: the scenario's day, time 0 to the horizon].
    #[serde(default)]
    pub opening_hours: Option<RawOpening>,
}

/// A shift type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawShiftType {
    /// How long the shift lasts, breaks included (all of it paid), e.g. 8h30m.
    pub length: DurationSpec,
    /// When the shift may start.
    pub start: RawStart,
    /// Breaks, in order, each placed by `shop schedule` within its window.
    #[serde(default)]
    pub breaks: Vec<RawBreakRule>,
    /// Least time between the end of one break and the start of the next [default: 0].
    #[serde(default)]
    pub min_gap: Option<DurationSpec>,
    /// Most of all shifts of the pool this type may be: `30%` or 0.3.
    #[serde(default)]
    pub max_share: Option<ShareSpec>,
    /// Fewest shifts of this type per pool.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub min_count: Option<u32>,
    /// Most shifts of this type per pool.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub max_count: Option<u32>,
    /// Money one shift costs, whatever its length (replaces the hourly cost).
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub cost_per_shift: Option<f64>,
    /// Money per paid hour of this type [default: the pool's `cost_per_hour`, else 1].
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub cost_per_hour: Option<f64>,
}

/// The start window: from `earliest` to `latest`, every `step`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStart {
    /// Clock time ("08:00", with the scenario's `opens`) or offset from time 0 (`0h`).
    pub earliest: String,
    /// Clock time or offset; the last start allowed.
    pub latest: String,
    /// Between allowed starts, e.g. 30m.
    pub step: DurationSpec,
}

/// A break: `length` long, taken wholly within `[within.0, within.1]` from the shift's start.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBreakRule {
    pub length: DurationSpec,
    /// The window the break lies in, from the shift's start: `[1h30m, 3h]`.
    pub within: [DurationSpec; 2],
}

/// Opening hours: clock times or offsets.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOpening {
    pub from: String,
    pub to: String,
}

/// A share: `30%` or 0.3.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ShareSpec {
    Number(f64),
    Text(String),
}

/// A checked shift type, in whole seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftType {
    pub name: String,
    pub length: u64,
    /// Every start allowed, from time 0, in order.
    pub starts: Vec<u64>,
    /// `(length, earliest start, latest start)` of each break, from the shift's start.
    pub breaks: Vec<BreakRule>,
    pub min_gap: u64,
    pub max_share: Option<f64>,
    pub min_count: Option<u32>,
    pub max_count: Option<u32>,
    pub cost_per_shift: Option<f64>,
    pub cost_per_hour: Option<f64>,
}

/// A checked break rule: `length` s, starting at `earliest..=latest` s from the shift's start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakRule {
    pub length: u64,
    pub earliest: u64,
    pub latest: u64,
}

/// The checked rules.
#[derive(Clone, Debug)]
pub struct Rules {
    pub types: Vec<ShiftType>,
    /// The pools that get shifts (indexes into the scenario's pools, in file order).
    pub pools: Vec<usize>,
    /// Opening hours, s from time 0.
    pub open: (u64, u64),
}

impl ShiftType {
    /// Every value a grid of time slots must divide: the start window, the
    /// length, every break's length and window, the gap.
    pub fn times(&self) -> Vec<u64> {
        let mut v = vec![self.length, self.min_gap];
        v.extend(&self.starts);
        for b in &self.breaks {
            v.extend([b.length, b.earliest, b.latest]);
        }
        v
    }

    /// Money one shift of this type costs in a pool paid `pool_rate` an hour.
    pub fn cost(&self, pool_rate: Option<f64>) -> f64 {
        self.cost_per_shift
            .unwrap_or_else(|| self.length as f64 / 3600.0 * self.cost_per_hour.or(pool_rate).unwrap_or(1.0))
    }
}

/// The JSON Schema of the rules file (draft 7, like the scenario's).
pub fn schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    generator.into_root_schema_for::<RawRules>().to_value()
}

/// A whole number of seconds, or why not.
fn whole(secs: f64) -> Result<u64, String> {
    if !secs.is_finite() || secs < 0.0 {
        return Err("expected a duration of 0 or more".into());
    }
    let r = secs.round();
    if (secs - r).abs() > 1e-6 {
        return Err(format!("{secs}s is not a whole number of seconds"));
    }
    Ok(r as u64)
}

/// Reads and checks the rules file `text` (named `file`) against the scenario.
pub fn read(file: &str, text: &str, sc: &Scenario) -> Result<Rules, String> {
    let raw: RawRules = serde_yaml::from_str(text).map_err(|e| {
        format!(
            "error: --rules {file}: {e}\n  help: the rules file has `shift_types:` (each with length, start {{ earliest, latest, step }}, \
             breaks [{{ length, within: [FROM, TO] }}], and optionally max_share, min_count, max_count, cost_per_shift, \
             cost_per_hour, min_gap), and optionally `pools:` and `opening_hours: {{ from, to }}`; see docs/schedule.md"
        )
    })?;
    let index = Index::build(text);
    let at = |path: &[&str], message: String, help: &str| -> String {
        let p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        let line = index.find(&p).map_or(String::new(), |e| format!(":{}", e.key.line));
        let help = if help.is_empty() { String::new() } else { format!("\n  help: {help}") };
        format!("error: --rules {file}{line}: `{}`: {message}{help}", path.join("."))
    };
    let horizon = sc.horizon.as_secs_f64().round() as u64;
    let time = |path: &[&str], text: &str| -> Result<u64, String> {
        let t = text.trim();
        if t.contains(':') {
            let clock = parse_clock(t).map_err(|e| at(path, e, ""))?;
            let Some(opens) = sc.intervals.opens else {
                return Err(at(
                    path,
                    format!("`{t}` is a clock time but the scenario has no `opens`"),
                    "give an offset from time 0 such as 1h30m, or add `opens: \"08:00\"` to the scenario",
                ));
            };
            if clock < opens {
                return Err(at(path, format!("`{t}` is before the scenario's day starts"), ""));
            }
            Ok(u64::from(clock - opens))
        } else {
            let secs =
                parse_duration(t).map_err(|e| at(path, e, "a clock time such as \"08:00\" or an offset such as 2h"))?;
            whole(secs).map_err(|e| at(path, e, ""))
        }
    };
    let open = match &raw.opening_hours {
        None => (0, horizon),
        Some(o) => {
            let from = time(&["opening_hours", "from"], &o.from)?;
            let to = time(&["opening_hours", "to"], &o.to)?;
            if to <= from {
                return Err(at(&["opening_hours"], "`to` must be after `from`".into(), ""));
            }
            (from, to.min(horizon))
        }
    };
    if raw.shift_types.is_empty() {
        return Err(at(
            &["shift_types"],
            "no shift type given".into(),
            "e.g. `full: { length: 8h, start: { earliest: \"08:00\", latest: \"10:00\", step: 30m } }`",
        ));
    }
    let mut types = Vec::new();
    for (name, t) in &raw.shift_types {
        let key = |k: &'static str| -> Vec<&str> { vec!["shift_types", name.as_str(), k] };
        let d = |path: &[&str], spec: &DurationSpec| whole(spec.0).map_err(|e| at(path, e, ""));
        let length = d(&key("length"), &t.length)?;
        if length == 0 {
            return Err(at(&key("length"), "a shift lasts more than 0s".into(), "e.g. `length: 8h30m`"));
        }
        let earliest = time(&["shift_types", name, "start", "earliest"], &t.start.earliest)?;
        let latest = time(&["shift_types", name, "start", "latest"], &t.start.latest)?;
        let step = d(&["shift_types", name, "start", "step"], &t.start.step)?;
        if step == 0 {
            return Err(at(
                &["shift_types", name, "start", "step"],
                "a step of more than 0s".into(),
                "e.g. `step: 30m`",
            ));
        }
        if latest < earliest {
            return Err(at(
                &["shift_types", name, "start", "latest"],
                "the latest start is before the earliest".into(),
                "",
            ));
        }
        if earliest < open.0 {
            return Err(at(
                &["shift_types", name, "start", "earliest"],
                format!("the earliest start is before the opening hours ({})", sc.intervals.clock(secs(open.0))),
                "no shift starts outside the opening hours: start it later, or widen `opening_hours`",
            ));
        }
        let starts: Vec<u64> = (0..).map(|i| earliest + i * step).take_while(|s| *s <= latest).collect();
        let last = *starts.last().unwrap_or(&earliest);
        if last + length > open.1 {
            return Err(at(
                &["shift_types", name, "start", "latest"],
                format!(
                    "a shift starting at {} ends at {}, after the opening hours end ({})",
                    sc.intervals.clock(secs(last)),
                    sc.intervals.clock(secs(last + length)),
                    sc.intervals.clock(secs(open.1))
                ),
                "no shift ends outside the opening hours: start it earlier, shorten it, or lengthen the day",
            ));
        }
        let mut breaks = Vec::new();
        for (i, b) in t.breaks.iter().enumerate() {
            let idx = i.to_string();
            let path = ["shift_types", name.as_str(), "breaks", idx.as_str()];
            let len = d(&path, &b.length)?;
            let (from, to) = (d(&path, &b.within[0])?, d(&path, &b.within[1])?);
            if len == 0 {
                return Err(at(
                    &path,
                    "a break lasts more than 0s".into(),
                    "e.g. `{ length: 15m, within: [1h30m, 3h] }`",
                ));
            }
            if to > length {
                return Err(at(
                    &path,
                    format!(
                        "this break's window ends at {} from the start, after its shift ({})",
                        human(to),
                        human(length)
                    ),
                    "a break's `within` counts from the shift's start and must end by the shift's length",
                ));
            }
            if to < from + len {
                return Err(at(
                    &path,
                    format!("a {} break does not fit in its window [{}, {}]", human(len), human(from), human(to)),
                    "widen `within` to at least the break's length",
                ));
            }
            breaks.push(BreakRule { length: len, earliest: from, latest: to - len });
        }
        let min_gap = t.min_gap.as_ref().map(|g| d(&key("min_gap"), g)).transpose()?.unwrap_or(0);
        let mut end = 0;
        for (i, b) in breaks.iter().enumerate() {
            let first = b.earliest.max(if i == 0 { 0 } else { end + min_gap });
            if first > b.latest {
                let idx = i.to_string();
                return Err(at(
                    &["shift_types", name, "breaks", &idx],
                    "this break cannot start after the one before it ends (and `min_gap`)".into(),
                    "list breaks in order, with windows that leave room for each after the one before",
                ));
            }
            end = first + b.length;
        }
        let max_share = match &t.max_share {
            None => None,
            Some(ShareSpec::Number(x)) => Some(*x),
            Some(ShareSpec::Text(s)) => Some(
                crate::plan::target::parse_share(s.trim())
                    .map_err(|e| at(&key("max_share"), e, "e.g. `max_share: 30%`"))?,
            ),
        };
        if let Some(x) = max_share
            && !(x > 0.0 && x <= 1.0)
        {
            return Err(at(
                &key("max_share"),
                format!("{x}: give a share above 0 and at most 100%"),
                "e.g. `max_share: 30%`",
            ));
        }
        if let (Some(lo), Some(hi)) = (t.min_count, t.max_count)
            && lo > hi
        {
            return Err(at(&key("min_count"), format!("min_count {lo} is more than max_count {hi}"), ""));
        }
        for (k, v) in [("cost_per_shift", t.cost_per_shift), ("cost_per_hour", t.cost_per_hour)] {
            if let Some(x) = v
                && !(x.is_finite() && x >= 0.0)
            {
                return Err(at(&key(k), format!("{x}: give an amount of 0 or more"), ""));
            }
        }
        types.push(ShiftType {
            name: name.clone(),
            length,
            starts,
            breaks,
            min_gap,
            max_share,
            min_count: t.min_count,
            max_count: t.max_count,
            cost_per_shift: t.cost_per_shift,
            cost_per_hour: t.cost_per_hour,
        });
    }
    let pools = match &raw.pools {
        None => (0..sc.pools.len()).collect(),
        Some(names) => {
            let mut out = Vec::new();
            for (i, n) in names.iter().enumerate() {
                let Some(p) = sc.pools.iter().position(|p| p.name == *n) else {
                    let hint = did_you_mean(n, sc.pools.iter().map(|p| p.name.as_str()))
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    let all = sc.pools.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ");
                    let idx = i.to_string();
                    return Err(at(
                        &["pools", &idx],
                        format!("no pool is called `{n}`{hint}"),
                        &format!("the scenario's pools: {all}"),
                    ));
                };
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            if out.is_empty() {
                return Err(at(
                    &["pools"],
                    "no pool listed".into(),
                    "name the pools that get shifts, or remove `pools:` for all",
                ));
            }
            out.sort_unstable();
            out
        }
    };
    Ok(Rules { types, pools, open })
}

fn secs(s: u64) -> crate::time::SimTime {
    crate::time::SimTime::ZERO + crate::time::SimDuration::from_secs_f64(s as f64)
}

/// `1h30m` for a number of seconds.
pub fn human(s: u64) -> String {
    crate::scenario::rewrite::offset(s as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc() -> Scenario {
        let yaml = "opens: \"08:00\"\nhorizon: 10h\ncallers: { c: { arrivals: 60/h } }\nqueues: { q: { pools: [a] } }\n\
                    start: q\npools: { a: { agents: 5, handle: 3m } }\n";
        crate::scenario::load_str("t.yaml", yaml).unwrap().scenario
    }

    const FULL: &str = "shift_types:\n  full:\n    length: 8h30m\n    start: { earliest: \"08:00\", latest: \"09:30\", step: 30m }\n    breaks:\n      - { length: 15m, within: [1h30m, 3h] }\n      - { length: 30m, within: [3h30m, 5h] }\n";

    #[test]
    fn reads_the_contracts_rules() {
        let r = read("r.yaml", FULL, &sc()).unwrap();
        let t = &r.types[0];
        assert_eq!(t.starts, vec![0, 1800, 3600, 5400]);
        assert_eq!(t.breaks[0], BreakRule { length: 900, earliest: 5400, latest: 9900 });
        assert_eq!(r.pools, vec![0]);
        assert_eq!(r.open, (0, 36000));
        assert!((t.cost(Some(32.0)) - 8.5 * 32.0).abs() < 1e-9);
    }

    #[test]
    fn refuses_with_the_line_and_the_reason() {
        let bad = FULL.replace("within: [3h30m, 5h]", "within: [3h30m, 9h]");
        let e = read("r.yaml", &bad, &sc()).unwrap_err();
        assert!(
            e.contains("r.yaml:7") && e.contains("shift_types.full.breaks.1") && e.contains("after its shift"),
            "{e}"
        );
        let late = FULL.replace("latest: \"09:30\"", "latest: \"10:00\"");
        let e = read("r.yaml", &late, &sc()).unwrap_err();
        assert!(e.contains("after the opening hours end (18:00)"), "{e}");
        let unknown = FULL.replace("length: 8h30m", "lenght: 8h30m");
        let e = read("r.yaml", &unknown, &sc()).unwrap_err();
        assert!(e.contains("unknown field `lenght`"), "{e}");
        let pool = format!("{FULL}pools: [b]\n");
        assert!(read("r.yaml", &pool, &sc()).unwrap_err().contains("no pool is called `b`"));
    }
}
