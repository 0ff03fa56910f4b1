//! From text to a checked [`Scenario`]: YAML → raw structs (serde, with the YAML
//! library's own line/column on type errors) → validation that collects every
//! problem, resolves names to typed ids and applies the documented defaults.

use std::path::Path;

use indexmap::IndexMap;

use super::dist::Dist;
use super::error::{LoadError, Problem, Severity, did_you_mean};
use super::intervals::{Intervals, MAX_INTERVALS, parse_clock};
use super::locate::{Index, Pos};
use super::menu_model;
use super::model::*;
use super::raw::{self, Agents, Arrivals, Handle, MenuPatience, RawScenario, TransferMode};
use super::units::{self as raw_units, DistSpec};
use crate::time::{SimDuration, SimTime};

/// A scenario that loaded, with the warnings a designer should see.
#[derive(Debug)]
pub struct Loaded {
    pub scenario: Scenario,
    pub warnings: Vec<Problem>,
    pub file: String,
    pub text: String,
    /// Where each key of `text` stands (built once by the loader; the lint locates its warnings with it).
    pub index: Index,
}

pub const DEFAULT_SEED: u64 = 1;
pub const DEFAULT_REPLICATIONS: u32 = 10;
pub const DEFAULT_HORIZON_SECS: f64 = 8.0 * 3600.0;
pub const DEFAULT_SERVICE_LEVEL_SECS: f64 = 30.0;
pub const DEFAULT_INTERVAL_SECS: f64 = 30.0 * 60.0;
/// Mean off-phone spell of a pool with `availability` below 1: three minutes,
/// the order of a call's talk time (other work interleaves with calls at the
/// pace calls come: a note after a call, a short outbound call, a stretch).
pub const DEFAULT_OFF_PHONE_SPELL_SECS: f64 = 180.0;
/// A day in ticks: horizons beyond it are long steady runs (see `intervals`).
const DAY_TICKS: u64 = 24 * 3600 * crate::time::TICKS_PER_SECOND;
/// The default number of intervals of a long steady run.
const LONG_RUN_INTERVALS: u64 = 48;
pub const DEFAULT_SPEECH_RATE: f64 = 150.0;
pub const DEFAULT_MAX_MENU_STEPS: u32 = 20;
pub const DEFAULT_MAX_TRANSFERS: u32 = 3;
pub const DEFAULT_MAX_REDIALS: u32 = 3;
/// Upper bounds that keep one call's work finite and small.
pub const MAX_MENU_STEPS_LIMIT: u32 = 1000;
pub const MAX_TRANSFERS_LIMIT: u32 = 100;
/// The reason of callers whose file lists none.
pub const DEFAULT_REASON: &str = "general";
/// Channel defaults (docs/channels.md).
pub const DEFAULT_RESPONSE_TARGET_SECS: f64 = 24.0 * 3600.0;
pub const DEFAULT_CALLBACK_OFFER_OVER_SECS: f64 = 120.0;
pub const DEFAULT_CALLBACK_ACCEPT: f64 = 0.5;
pub const DEFAULT_CALLBACK_REACH: f64 = 0.9;
pub const DEFAULT_CALLBACK_ATTEMPTS: u32 = 3;
pub const DEFAULT_CALLBACK_RETRY_SECS: f64 = 600.0;
pub const DEFAULT_CALLBACK_DIAL_SECS: f64 = 20.0;
/// A day lasts 24 hours: with `days` above 1 the horizon must fit in it.
pub const DAY_SECS: f64 = 24.0 * 3600.0;

/// Reads and loads a scenario file.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    if path.is_dir() {
        return Err(LoadError::whole_file(&file, "this is a directory, not a scenario file"));
    }
    let bytes = std::fs::read(path).map_err(|e| LoadError::whole_file(&file, format!("cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        LoadError::whole_file(
            &file,
            format!("the file is not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
        )
    })?;
    load_str(&file, &text)
}

/// Loads a scenario from text; `file` names it in messages.
pub fn load_str(file: &str, text: &str) -> Result<Loaded, LoadError> {
    // Editors on Windows often start a UTF-8 file with a byte-order mark; YAML
    // would read it as the start of a second document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fail = |problems: Vec<Problem>| LoadError { file: file.to_string(), text: Some(text.to_string()), problems };
    if text.trim().is_empty() {
        return Err(fail(vec![Problem::error(
            &[],
            "the file is empty: a scenario needs at least `callers:` and a queue to reach",
        )]));
    }
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(fail(vec![Problem::error(
            &[],
            "the file holds only comments: a scenario needs at least `callers:` and a queue to reach",
        )]));
    }
    if let Some(p) = too_deep(text) {
        return Err(fail(vec![p]));
    }
    let raw: RawScenario = match serde_yaml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => return Err(fail(vec![yaml_problem(&e, text)])),
    };
    // A map keeps the last of two equal keys; say so rather than drop one silently.
    let index = Index::build(text);
    if !index.duplicates.is_empty() {
        let problems = index
            .duplicates
            .iter()
            .map(|(path, pos)| {
                let first = index.exact(path).map_or(String::new(), |e| format!(" (first at line {})", e.key.line));
                let key = path.last().cloned().unwrap_or_default();
                let mut p = Problem::error(&[], format!("`{key}` is written twice in the same map{first}"))
                    .help("each name may appear once: rename or merge the two entries");
                p.path = path.clone();
                p.pos = Some(*pos);
                p.len = key.chars().count().max(1);
                p
            })
            .collect();
        return Err(fail(problems));
    }
    let default_name = Path::new(file).file_stem().map_or("scenario".to_string(), |s| s.to_string_lossy().into_owned());
    let mut ctx = Ctx::new(&raw);
    let scenario = ctx.build(&raw, default_name);
    let mut problems = ctx.problems;
    let scenario = scenario.filter(|_| !problems.iter().any(|p| p.severity == Severity::Error));
    let Some(scenario) = scenario else {
        problems.retain(|p| p.severity == Severity::Error);
        for p in &mut problems {
            p.locate(&index);
        }
        problems.sort_by_key(|p| p.pos.map_or((0, 0), |q| (q.line, q.col)));
        return Err(fail(problems));
    };
    for p in &mut problems {
        p.locate(&index);
    }
    Ok(Loaded { scenario, warnings: problems, file: file.to_string(), text: text.to_string(), index })
}

/// Calls a day from one caller type beyond which the rate is probably a typo
/// (`90000/m` for `90000/h`): 100,000 calls is a 1,000-seat center's whole day
/// at 100 calls per agent.
const PLAUSIBLE_CALLS_PER_DAY: f64 = 100_000.0;

/// Brackets nested deeper than any scenario needs (the deepest has about 6):
/// refused at once, before the YAML library spends time quadratic in the depth.
const MAX_NESTING: usize = 64;

/// Finds flow brackets (`[`, `{`) nested deeper than [`MAX_NESTING`], outside
/// quotes and comments; the problem points at the first bracket too deep.
fn too_deep(text: &str) -> Option<Problem> {
    let (mut depth, mut quote, mut line, mut col) = (0usize, None::<char>, 1usize, 0usize);
    let mut comment = false;
    let mut prev = ' ';
    for c in text.chars() {
        col += 1;
        match c {
            '\n' => (line, col, comment) = (line + 1, 0, false),
            _ if comment => {}
            '"' | '\'' if quote == Some(c) => quote = None,
            '"' | '\'' if quote.is_none() && (prev.is_whitespace() || "[{,:".contains(prev)) => quote = Some(c),
            '#' if quote.is_none() && prev.is_whitespace() => comment = true,
            '[' | '{' if quote.is_none() => {
                depth += 1;
                if depth > MAX_NESTING {
                    let mut p = Problem::error(
                        &[],
                        format!(
                            "brackets nested more than {MAX_NESTING} deep: no scenario needs that; is the file damaged?"
                        ),
                    );
                    p.pos = Some(Pos { line, col });
                    return Some(p);
                }
            }
            ']' | '}' if quote.is_none() => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}

/// Turns the YAML library's error into a located problem.
fn yaml_problem(e: &serde_yaml::Error, text: &str) -> Problem {
    let full = e.to_string();
    // The library appends " at line L column C"; we show the position ourselves.
    // (A scanner error names two places, e.g. where an unclosed quote starts: keep both.)
    let message = match full.rfind(" at line ") {
        Some(i) if !full.contains(", while ") => full[..i].to_string(),
        _ => full.clone(),
    };
    // It may start with the key path ("callers.consumer: ..."): keep it as the path.
    let (path, message) = match message.split_once(": ") {
        Some((p, m)) if !p.contains(' ') && !p.is_empty() => (
            // `queues.q.pools[0]` → queues, q, pools, 0
            p.split(['.', '[']).map(|seg| seg.trim_end_matches(']').to_string()).collect(),
            m.to_string(),
        ),
        _ => (Vec::new(), message),
    };
    let mut p = Problem::error(&[], friendly(&message));
    p.path = path;
    if let Some(loc) = e.location() {
        p.pos = Some(Pos { line: loc.line(), col: loc.column() });
    }
    if let Some(key) = p.message.strip_prefix("unknown key `").and_then(|m| m.split('`').next()) {
        p.len = key.chars().count().max(1);
        // serde lists the accepted keys: "expected one of `a`, `b`".
        let accepted: Vec<&str> = p
            .message
            .split_once("expected one of ")
            .map(|(_, list)| list.split(", ").map(|k| k.trim_matches('`')).collect())
            .unwrap_or_default();
        p.help = Some(match did_you_mean(key, accepted.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => "check the spelling; the keys accepted here are listed above".into(),
        });
    }
    p.help = p.help.take().or_else(|| key_help(&p.path, &p.message));
    // YAML forbids tabs in indentation, and its message does not say "tab".
    let tab_on_line =
        p.pos.and_then(|pos| text.lines().nth(pos.line.saturating_sub(1))).is_some_and(|l| l.contains('\t'));
    if tab_on_line || (p.help.is_none() && p.message.contains("cannot start any token") && text.contains('\t')) {
        p.help = Some(
            "a tab in the file: YAML indents with spaces only; replace the tabs with spaces \
             (most editors: convert indentation to spaces)"
                .into(),
        );
    }
    p
}

/// What a key means, for the errors where the value's type alone does not say
/// it (`service_level: 80%` is a share where a time threshold is expected).
fn key_help(path: &[String], message: &str) -> Option<String> {
    let last = path.last().map(String::as_str)?;
    let first = path.first().map(String::as_str);
    match (first, last) {
        (Some("service_level"), _) => Some(
            "`service_level` is the \"answered within\" threshold, a time like 20s or 30s; the share to reach \
             (80%) is a target: `shop check --gate 'service_level >= 80%'` or `shop staff --target 'service_level >= 80%'`"
                .into(),
        ),
        (Some("callers"), "reasons") if message.contains("expected a map") => Some(
            "name each reason with its share: `reasons: { billing: 45%, tech: 40%, other: 15% }` \
             (or fractions: { billing: 0.45, tech: 0.4, other: 0.15 })"
                .into(),
        ),
        (_, "volume_spread") => Some(
            "`volume_spread` is the day-to-day coefficient of variation of a caller type's calls, \
             from 0% to 100%: `volume_spread: 12%` or `volume_spread: 0.12`"
                .into(),
        ),
        (Some("pools"), "agents") if message.contains("whole number") || message.contains("expected a number") => Some(
            "agents is how many agents are on duty: 0 or more, e.g. `agents: 6` (5.6: a sixth agent on duty \
             60% of each interval), or shifts `agents: [{ from: 0h, agents: 4 }, { from: 4h, agents: 7 }]`"
                .into(),
        ),
        (Some("pools"), _) if message.contains("whole number") => Some(
            "agents is how many agents are on duty: 0 or more, e.g. `agents: 6`, or shifts \
             `agents: [{ from: 0h, agents: 4 }, { from: 4h, agents: 7 }]`"
                .into(),
        ),
        _ => None,
    }
}

/// Rewrites serde's wording in the file's own terms (no Rust type names).
fn friendly(message: &str) -> String {
    const NAMES: [(&str, &str); 16] = [
        ("struct RawScenario", "a scenario (a map with `callers:`, `menu:`, `queues:`, `pools:`)"),
        ("struct RawCaller", "a caller type (a map with `arrivals:`, `reasons:`, `patience:`, ...)"),
        ("struct RawRedial", "a redial map: { chance: 0.4, after: exp(15m) }"),
        ("struct RateStep", "a profile step: { from: 2h, rate: 40/h }"),
        ("struct RawNode", "a menu node (a map with `prompt:`, `options:`, `then:`, ...)"),
        ("struct RawOption", "an option: { label: Billing, for: [billing], to: billing }"),
        ("struct RawQueue", "a queue: { pools: [team] }"),
        ("struct RawPool", "an agent pool (a map with `agents:` and `handle:`)"),
        ("struct Shift", "a shift: { from: 4h, agents: 7 }"),
        (
            "struct RawShift",
            "an agents' shift: { start: \"07:00\", length: 8h, count: 4, breaks: [{ at: 2h, length: 15m }] }",
        ),
        ("struct RawBreak", "a break: { at: 2h, length: 15m }"),
        ("struct Full", "{ pool: NAME, after: 60s }"),
        ("struct RawCallback", "a callback map: { offer_when_ewt_over: 2m, accept: 0.6, reach: 0.9, ... }"),
        ("struct RawConcurrency", "a concurrency map: { chat: 3 }"),
        ("unknown field", "unknown key"),
        ("missing field", "missing key"),
    ];
    let mut m = message.to_string();
    for (from, to) in NAMES {
        m = m.replace(from, to);
    }
    for int in ["u32", "u64", "i32"] {
        m = m.replace(&format!("expected {int}"), "expected a whole number");
    }
    m = m.replace("expected f64", "expected a number");
    // `-3` where a count is expected: say what is wrong with it, not only its type.
    if let Some(rest) = m.strip_prefix("invalid value: integer `-") {
        if m.ends_with("expected a whole number") {
            let n = rest.split('`').next().unwrap_or_default();
            m = format!("`-{n}` is negative: expected a whole number, 0 or more");
        }
    }
    m.replace("enum TransferMode", "cold or warm")
        .replace("enum RawChannel", "voice, chat or email")
        .replace("unknown variant", "unknown value")
}

struct Ctx {
    problems: Vec<Problem>,
    reasons: Vec<String>,
    nodes: Vec<String>,
    queues: Vec<String>,
    pools: Vec<String>,
}

fn names<T>(m: &IndexMap<String, T>) -> Vec<String> {
    m.keys().cloned().collect()
}

impl Ctx {
    fn new(raw: &RawScenario) -> Ctx {
        let mut reasons: Vec<String> = Vec::new();
        for c in raw.callers.values() {
            match &c.reasons {
                Some(r) => {
                    for k in r.keys() {
                        if !reasons.contains(k) {
                            reasons.push(k.clone());
                        }
                    }
                }
                None => {
                    if !reasons.iter().any(|r| r == DEFAULT_REASON) {
                        reasons.push(DEFAULT_REASON.to_string());
                    }
                }
            }
        }
        Ctx {
            problems: Vec::new(),
            reasons,
            nodes: names(&raw.menu),
            queues: names(&raw.queues),
            pools: names(&raw.pools),
        }
    }

    fn push(&mut self, p: Problem) {
        self.problems.push(p);
    }

    fn check_probability(&mut self, path: &[&str], v: f64) -> f64 {
        if !(0.0..=1.0).contains(&v) || v.is_nan() {
            self.push(Problem::error(path, format!("{v} is not a probability: expected a number from 0 to 1")));
            return 0.0;
        }
        v
    }

    /// A `volume_spread`: a coefficient of variation from 0 to 100%.
    fn check_spread(&mut self, path: &[&str], v: f64) -> f64 {
        if !(0.0..=1.0).contains(&v) || v.is_nan() {
            let shown = if v.is_finite() { format!("{}%", round6(v * 100.0)) } else { format!("{v}") };
            self.push(Problem::error(path, format!("a volume spread of {shown}: expected 0% to 100%")).help(
                "the day-to-day coefficient of variation of calls, e.g. `volume_spread: 12%` (real centers: 5–25%)",
            ));
            return 0.0;
        }
        v
    }

    fn target(&mut self, name: &str, path: &[&str]) -> Option<Target> {
        if let Some(i) = self.nodes.iter().position(|n| n == name) {
            return Some(Target::Node(NodeId(i as u16)));
        }
        if let Some(i) = self.queues.iter().position(|n| n == name) {
            return Some(Target::Queue(QueueId(i as u16)));
        }
        let known: Vec<&str> = self.nodes.iter().chain(&self.queues).map(String::as_str).collect();
        let mut p = Problem::error(path, format!("`{name}` is not a menu node or a queue"));
        p = match did_you_mean(name, known.iter().copied()) {
            Some(s) => p.help(format!("did you mean `{s}`?")),
            None => p.help(format!("menu nodes and queues defined in this file: {}", list(&known))),
        };
        self.push(p);
        None
    }

    /// A reason named in a menu option, a `resolves` or a pool: unknown names
    /// close to a known one are errors (typos); others are warnings.
    fn reason_ref(&mut self, name: &str, path: &[&str]) -> Option<ReasonId> {
        if let Some(i) = self.reasons.iter().position(|r| r == name) {
            return Some(ReasonId(i as u16));
        }
        let known: Vec<&str> = self.reasons.iter().map(String::as_str).collect();
        match did_you_mean(name, known.iter().copied()) {
            Some(s) => self.push(
                Problem::error(path, format!("`{name}` is not a reason any caller calls about"))
                    .help(format!("did you mean `{s}`? reasons: {}", list(&known)))
                    .at_key(),
            ),
            None => self.push(
                Problem::warning(path, format!("no caller calls about `{name}`: this entry has no effect"))
                    .help(format!("reasons callers call about: {}", list(&known)))
                    .at_key(),
            ),
        }
        None
    }

    fn by_reason(&mut self, map: &IndexMap<String, f64>, path: &[&str], default: f64) -> Vec<f64> {
        let mut out = vec![default; self.reasons.len()];
        for (reason, v) in map {
            let p: Vec<&str> = path.iter().copied().chain([reason.as_str()]).collect();
            let v = self.check_probability(&p, *v);
            if let Some(r) = self.reason_ref(reason, &p) {
                out[r.index()] = v;
            }
        }
        out
    }

    fn build(&mut self, raw: &RawScenario, default_name: String) -> Option<Scenario> {
        let horizon_secs = raw.horizon.map_or(DEFAULT_HORIZON_SECS, |d| d.0);
        if horizon_secs <= 0.0 {
            self.push(Problem::error(
                &["horizon"],
                "the horizon must be longer than zero: calls arrive during [0, horizon)",
            ));
        }
        let replications = raw.replications.unwrap_or(DEFAULT_REPLICATIONS);
        if replications == 0 {
            self.push(Problem::error(&["replications"], "at least 1 replication is needed"));
        }
        let speech_rate = raw.speech_rate.unwrap_or(DEFAULT_SPEECH_RATE);
        if !(speech_rate > 0.0 && speech_rate.is_finite()) {
            self.push(Problem::error(
                &["speech_rate"],
                format!(
                    "{speech_rate} is not a speaking rate: expected words per minute, greater than 0 (default 150)"
                ),
            ));
        }
        let max_menu_steps = raw.max_menu_steps.unwrap_or(DEFAULT_MAX_MENU_STEPS);
        if max_menu_steps == 0 {
            self.push(Problem::error(&["max_menu_steps"], "must be at least 1"));
        }
        // Bounds on the work one call can make: a loop of silent menu nodes or of
        // instant transfers runs this many steps per call before it ends.
        if max_menu_steps > MAX_MENU_STEPS_LIMIT {
            self.push(Problem::error(
                &["max_menu_steps"],
                format!("{max_menu_steps} menu steps: at most {MAX_MENU_STEPS_LIMIT} (no caller listens to that many prompts)"),
            ));
        }
        if let Some(t) = raw.max_transfers.filter(|t| *t > MAX_TRANSFERS_LIMIT) {
            self.push(Problem::error(
                &["max_transfers"],
                format!("{t} transfers: at most {MAX_TRANSFERS_LIMIT} per call"),
            ));
        }
        if raw.callers.is_empty() {
            self.push(Problem::error(&["callers"], "no caller types: describe at least one under `callers:`"));
        }
        for (kind, n) in [
            ("reasons", self.reasons.len()),
            ("menu nodes", self.nodes.len()),
            ("queues", self.queues.len()),
            ("pools", self.pools.len()),
            ("caller types", raw.callers.len()),
        ] {
            if n > 10_000 {
                self.push(Problem::error(&[], format!("{n} {kind}: at most 10000 are supported")));
                return None;
            }
        }
        for name in &self.nodes.clone() {
            if self.queues.contains(name) {
                self.push(
                    Problem::error(&["menu", name], format!("`{name}` names both a menu node and a queue"))
                        .help("rename one: `to` and `then` must say unambiguously where a caller goes")
                        .at_key(),
                );
            }
        }

        let start = match &raw.start {
            Some(s) => self.target(s, &["start"]),
            None => self.nodes.first().map(|_| Target::Node(NodeId(0))),
        };

        let mut nodes: Vec<Node> = raw.menu.iter().map(|(name, n)| self.node(name, n, speech_rate)).collect();
        let queues: Vec<Queue> = raw.queues.iter().map(|(name, q)| self.queue(name, q)).collect();
        let pools: Vec<Pool> =
            raw.pools.iter().map(|(name, p)| self.pool(name, p, raw.opens.as_deref(), horizon_secs)).collect();
        let callers: Vec<CallerType> = raw.callers.iter().filter_map(|(name, c)| self.caller(name, c, start)).collect();
        let day = SimDuration::from_secs_f64(horizon_secs);
        let intervals = self.intervals(raw, day);
        let mut pools = pools;
        for p in &mut pools {
            p.shifts = super::roster::lower(&p.steps, &intervals);
        }
        // A horizon longer than a day (a long steady run) is judged per 24 hours.
        let days = (horizon_secs / 86_400.0).max(1.0);
        for c in &callers {
            let per_day = c.arrivals.expected_calls(day) / days;
            if per_day > PLAUSIBLE_CALLS_PER_DAY {
                // A mistyped huge rate reads as a power of ten, not hundreds of digits.
                let per_day = if per_day >= 1e12 { format!("{per_day:.3e}") } else { format!("{per_day:.0}") };
                self.push(
                    Problem::warning(
                        &["callers", &c.name, "arrivals"],
                        format!(
                            "about {per_day} calls a day from `{}`: more than a whole large contact center takes ({PLAUSIBLE_CALLS_PER_DAY:.0})",
                            c.name
                        ),
                    )
                    .help("a rate is calls per unit of time: 90/h is 90 an hour, 90/m is 5,400 an hour; check the unit"),
                );
            }
        }
        // The chance of the right key, per node and caller type: the node's own
        // `accuracy`, else the caller's at the reference menu scaled by this menu's load.
        for (n, raw_node) in nodes.iter_mut().zip(raw.menu.values()) {
            n.right = callers
                .iter()
                .map(|c| match raw_node.accuracy {
                    Some(a) => a,
                    None => menu_model::right_key_chance(c.accuracy, n.load),
                })
                .collect();
        }

        let days = raw.days.unwrap_or(1);
        if days == 0 || days > 366 {
            self.push(Problem::error(&["days"], format!("{days} days: give 1 to 366 consecutive days")));
        }
        if days > 1 {
            for (name, p) in &raw.pools {
                if p.shifts.is_some() {
                    self.push(
                        Problem::error(&["pools", name, "shifts"], "`shifts:` runs one day: it does not take `days` above 1 yet")
                            .help("remove `days` to run the day's shifts, or give this pool `agents:` steps for a run of several days")
                            .at_key(),
                    );
                }
            }
        }
        if days > 1 && horizon_secs > DAY_SECS {
            self.push(
                Problem::error(&["days"], "with `days` above 1, each day's horizon must fit in 24h")
                    .help("calls arrive during [0, horizon) of each day: make `horizon` at most 24h"),
            );
        }
        let mut sc = Scenario {
            name: raw.name.clone().unwrap_or(default_name),
            seed: raw.seed.unwrap_or(DEFAULT_SEED),
            replications,
            horizon: SimDuration::from_secs_f64(horizon_secs),
            service_level: SimDuration::from_secs_f64(raw.service_level.map_or(DEFAULT_SERVICE_LEVEL_SECS, |d| d.0)),
            intervals,
            max_menu_steps,
            max_transfers: raw.max_transfers.unwrap_or(DEFAULT_MAX_TRANSFERS),
            reasons: self.reasons.clone(),
            callers,
            nodes,
            queues,
            pools,
            days: days.max(1),
            volume_spread: raw.volume_spread.map_or(0.0, |v| self.check_spread(&["volume_spread"], v.0)),
            start: None,
        };
        // Only on a checked design: with errors the menu may be half-built.
        if !self.problems.iter().any(|p| p.severity == Severity::Error) {
            super::routed::apply(&mut sc);
        }
        Some(sc)
    }

    /// `interval` and `opens`: the reporting intervals of a day.
    fn intervals(&mut self, raw: &RawScenario, day: SimDuration) -> Intervals {
        let secs = raw.interval.map_or(DEFAULT_INTERVAL_SECS, |d| d.0);
        let mut length = SimDuration::from_secs_f64(secs);
        if length == SimDuration::ZERO {
            self.push(
                Problem::error(&["interval"], "the interval must be longer than zero")
                    .help("the reporting interval of the \"Through the day\" table, e.g. `interval: 30m` or `15m`"),
            );
            length = SimDuration::from_secs_f64(DEFAULT_INTERVAL_SECS);
        }
        let opens = raw.opens.as_deref().and_then(|t| match parse_clock(t) {
            Ok(s) => Some(s),
            Err(e) => {
                self.push(
                    Problem::error(&["opens"], e)
                        .help("`opens` is the wall-clock time of time 0, used to label intervals"),
                );
                None
            }
        });
        let mut intervals = Intervals { length, horizon: day, opens };
        if raw.interval.is_none() && day.0 > DAY_TICKS {
            // A horizon longer than a day without an `interval` is a long steady
            // run, not a working day: the default stretches to whole hours, at
            // most one row per day's worth of a day's intervals (48), rather than
            // thousands of half-hours nobody reads.
            let hour = 3600 * crate::time::TICKS_PER_SECOND;
            let hours = day.0.div_ceil(LONG_RUN_INTERVALS).div_ceil(hour).max(1);
            intervals.length = SimDuration(hours * hour);
        }
        if day > SimDuration::ZERO && intervals.count() > MAX_INTERVALS {
            self.push(
                Problem::error(
                    &["interval"],
                    format!(
                        "{} intervals of {} in a horizon of {}: at most {MAX_INTERVALS}",
                        intervals.count(),
                        length,
                        day
                    ),
                )
                .help("choose a longer interval (workforce planning uses 15m, 30m or 1h)"),
            );
        }
        intervals
    }

    fn caller(&mut self, name: &str, c: &raw::RawCaller, start: Option<Target>) -> Option<CallerType> {
        let path = ["callers", name];
        let at = |k: &'static str| [path[0], path[1], k];
        let steps = match &c.arrivals {
            Arrivals::Rate(r) => vec![(SimTime::ZERO, r.0)],
            Arrivals::Profile(list) => {
                if list.is_empty() {
                    self.push(Problem::error(
                        &at("arrivals"),
                        "the day profile is empty: list at least one { from: 0h, rate: 30/h }",
                    ));
                }
                let mut out = Vec::new();
                let mut last = -1.0;
                for (i, s) in list.iter().enumerate() {
                    if s.from.0 <= last {
                        let idx = i.to_string();
                        self.push(Problem::error(
                            &[path[0], path[1], "arrivals", &idx, "from"],
                            "the profile's `from` times must increase from one step to the next",
                        ));
                    }
                    last = s.from.0;
                    out.push((SimTime::ZERO + SimDuration::from_secs_f64(s.from.0), s.rate.0));
                }
                out
            }
        };
        let reasons = match &c.reasons {
            None => vec![(ReasonId(self.reasons.iter().position(|r| r == DEFAULT_REASON).unwrap_or(0) as u16), 1.0)],
            Some(map) => {
                if map.is_empty() {
                    self.push(Problem::error(
                        &at("reasons"),
                        "no reasons listed: give shares such as { billing: 0.6, tech: 0.4 }",
                    ));
                }
                let mut cum = 0.0;
                let mut out = Vec::new();
                for (reason, share) in map {
                    let share = self.check_probability(&[path[0], path[1], "reasons", reason], share.0);
                    cum += share;
                    let id = self.reasons.iter().position(|r| r == reason).unwrap_or(0);
                    out.push((ReasonId(id as u16), cum));
                }
                let raw_sum: f64 = map.values().map(|s| s.0).sum();
                if !map.is_empty() && ((cum - 1.0).abs() > 1e-6 || (raw_sum - 1.0).abs() > 1e-6) {
                    let help = if (raw_sum - 100.0).abs() < 1e-6 {
                        "these look like percentages: write them with a % sign (45%) or as fractions (0.45)"
                    } else {
                        "shares are fractions of this caller type's calls: make them sum to exactly 1 (or 100%)"
                    };
                    self.push(
                        Problem::error(
                            &at("reasons"),
                            format!("the reason shares add up to {}, not 1", round6(raw_sum)),
                        )
                        .help(help),
                    );
                }
                if let Some(last) = out.last_mut() {
                    last.1 = 1.0;
                }
                out
            }
        };
        let accuracy = c.accuracy.map_or(1.0, |a| self.check_probability(&at("accuracy"), a));
        let menu_patience = match &c.menu_patience {
            None => Some(menu_model::default_menu_patience()),
            Some(MenuPatience::Never) => None,
            Some(MenuPatience::Dist(d)) => Some(d.0.clone()),
        };
        let redial = c.redial.as_ref().map(|r| Redial {
            chance: self.check_probability(&[path[0], path[1], "redial", "chance"], r.chance),
            after: r.after.0.clone(),
            max: r.max.unwrap_or(DEFAULT_MAX_REDIALS),
        });
        if let Some(r) = &c.redial {
            if r.max.unwrap_or(0) > 100 {
                self.push(Problem::error(&[path[0], path[1], "redial", "max"], "at most 100 redials per journey"));
            }
        }
        let entry = match &c.entry {
            Some(e) => self.target(e, &at("entry"))?,
            None => match start {
                Some(s) => s,
                None => {
                    self.push(
                        Problem::error(&at("arrivals"), format!("caller type `{name}` has nowhere to call"))
                            .help("add a `menu:` (its first node is where calls start), or set `start:` or this caller's `entry:` to a menu node or a queue")
                            .at_key(),
                    );
                    return None;
                }
            },
        };
        Some(CallerType {
            name: name.to_string(),
            key: name_key(name),
            arrivals: ArrivalProfile { steps },
            reasons,
            patience: c.patience.as_ref().map(|d| d.0.clone()),
            menu_patience,
            accuracy,
            redial,
            priority: c.priority.unwrap_or(0),
            entry,
            channel: c.channel.map_or(Channel::Voice, channel),
            response_target: SimDuration::from_secs_f64(
                c.response_target.map_or(DEFAULT_RESPONSE_TARGET_SECS, |d| d.0),
            ),
            callback_accept: c.callback_accept.map(|a| self.check_probability(&at("callback_accept"), a)),
            // Filled in once the menu and pools are known (`routed::apply`).
            meant_queue: Vec::new(),
            volume_spread: c.volume_spread.map(|v| self.check_spread(&at("volume_spread"), v.0)),
        })
    }

    fn node(&mut self, name: &str, n: &raw::RawNode, speech_rate: f64) -> Node {
        let listen = match (&n.duration, &n.prompt) {
            (Some(d), _) => d.0.clone(),
            (None, Some(text)) => Dist::Constant(text.split_whitespace().count() as f64 * 60.0 / speech_rate.max(1e-9)),
            (None, None) => Dist::Constant(0.0),
        };
        let resolves = n.resolves.as_ref().map(|m| self.by_reason(m, &["menu", name, "resolves"], 0.0));
        if n.options.is_some() && n.then.is_some() {
            self.push(
                Problem::error(&["menu", name, "then"], "a node has `options` or `then`, not both")
                    .help("callers at a node with options press a key; `then` is for nodes without options (a message, self-service)")
                    .at_key(),
            );
        }
        let then = n.then.as_ref().and_then(|t| self.target(t, &["menu", name, "then"]));
        let fixed_accuracy = match n.accuracy {
            Some(a) => {
                self.check_probability(&["menu", name, "accuracy"], a);
                true
            }
            None => false,
        };
        let no_input = match n.no_input.as_deref() {
            None | Some("hang_up") => None,
            Some(t) => self.target(t, &["menu", name, "no_input"]),
        };
        let repeat = n.repeat.unwrap_or(menu_model::DEFAULT_REPEAT);
        if repeat > 10 {
            self.push(Problem::error(&["menu", name, "repeat"], format!("{repeat} repeats: at most 10")));
        }
        if n.options.is_none() && (n.repeat.is_some() || n.no_input.is_some() || n.accuracy.is_some()) {
            let key = if n.accuracy.is_some() {
                "accuracy"
            } else if n.repeat.is_some() {
                "repeat"
            } else {
                "no_input"
            };
            self.push(
                Problem::warning(&["menu", name, key], format!("`{key}` has no effect at a node without options"))
                    .help("`accuracy`, `repeat` and `no_input` are about the keys callers press")
                    .at_key(),
            );
        }
        let offsets = match (&n.prompt, &n.options) {
            (Some(text), Some(opts)) => {
                let keys: Vec<&str> = opts.keys().map(String::as_str).collect();
                menu_model::key_offsets(text, &keys)
            }
            _ => Vec::new(),
        };
        let mut options = Vec::new();
        if let Some(opts) = &n.options {
            if opts.is_empty() {
                self.push(Problem::error(
                    &["menu", name, "options"],
                    "no options listed: give at least one, or use `then`",
                ));
            }
            if opts.len() > 255 {
                self.push(Problem::error(&["menu", name, "options"], "more than 255 options at one node"));
            }
            for (i, (key, o)) in opts.iter().enumerate() {
                let to = self.target(&o.to, &["menu", name, "options", key, "to"]);
                let heard = match o.at {
                    Some(at) => Heard::At(SimDuration::from_secs_f64(at.0)),
                    None => Heard::Share(offsets.get(i).copied().flatten().unwrap_or(1.0)),
                };
                let mut for_reasons = Vec::new();
                for (i, r) in o.for_reasons.iter().enumerate() {
                    let idx = i.to_string();
                    if let Some(id) = self.reason_ref(r, &["menu", name, "options", key, "for", &idx]) {
                        for_reasons.push(id);
                    }
                }
                if let Some(to) = to {
                    options.push(MenuOption { key: key.clone(), label: o.label.clone(), for_reasons, to, heard });
                }
            }
        }
        let choices = (0..self.reasons.len())
            .map(|r| {
                let r = ReasonId(r as u16);
                let (meant, others): (Vec<u8>, Vec<u8>) =
                    (0..options.len() as u8).partition(|&i| options[i as usize].for_reasons.contains(&r));
                if !meant.is_empty() {
                    Choice::Meant { meant, others }
                } else if let Some(op) = options.iter().position(|o| o.for_reasons.is_empty() && !o_has_for(n, &o.key))
                {
                    Choice::Operator(op as u8)
                } else if fixed_accuracy {
                    Choice::Any
                } else {
                    Choice::NoKey
                }
            })
            .collect();
        let load = menu_model::menu_load(options.len(), listen.mean());
        Node {
            name: name.to_string(),
            prompt: n.prompt.clone(),
            listen,
            resolves,
            options,
            choices,
            then,
            barge_in: n.barge_in.unwrap_or(true),
            right: Vec::new(),
            fixed_accuracy,
            load,
            repeat,
            no_input,
        }
    }

    fn queue(&mut self, name: &str, q: &raw::RawQueue) -> Queue {
        if q.pools.is_empty() {
            self.push(Problem::error(
                &["queues", name, "pools"],
                "no pools listed: a queue needs at least one agent pool to answer it",
            ));
        }
        let mut pools: Vec<(PoolId, SimDuration)> = Vec::new();
        for (i, entry) in q.pools.iter().enumerate() {
            let idx = i.to_string();
            let path = ["queues", name, "pools", &idx];
            match self.pools.iter().position(|p| *p == entry.pool) {
                Some(id) => {
                    let id = PoolId(id as u16);
                    if pools.iter().any(|(p, _)| *p == id) {
                        self.push(Problem::error(&path, format!("pool `{}` is listed twice", entry.pool)));
                    }
                    pools.push((id, SimDuration::from_secs_f64(entry.after.map_or(0.0, |a| a.0))));
                }
                None => {
                    let known: Vec<&str> = self.pools.iter().map(String::as_str).collect();
                    let mut p = Problem::error(&path, format!("`{}` is not an agent pool", entry.pool));
                    p = match did_you_mean(&entry.pool, known.iter().copied()) {
                        Some(s) => p.help(format!("did you mean `{s}`?")),
                        None => p.help(format!("pools defined under `pools:`: {}", list(&known))),
                    };
                    self.push(p);
                }
            }
        }
        let callback = q.callback.as_ref().map(|c| {
            let prob = |ctx: &mut Ctx, key: &str, v: Option<f64>, d: f64| {
                v.map_or(d, |v| ctx.check_probability(&["queues", name, "callback", key], v))
            };
            let attempts = c.attempts.unwrap_or(DEFAULT_CALLBACK_ATTEMPTS);
            if attempts == 0 || attempts > 20 {
                self.push(Problem::error(&["queues", name, "callback", "attempts"], "attempts: 1 to 20 dials"));
            }
            let secs = |v: Option<raw_units::DurationSpec>, d: f64| SimDuration::from_secs_f64(v.map_or(d, |v| v.0));
            Callback {
                offer_when_ewt_over: secs(c.offer_when_ewt_over, DEFAULT_CALLBACK_OFFER_OVER_SECS),
                accept: prob(self, "accept", c.accept, DEFAULT_CALLBACK_ACCEPT),
                keep_place: c.keep_place.unwrap_or(true),
                reach: prob(self, "reach", c.reach, DEFAULT_CALLBACK_REACH),
                attempts: attempts.clamp(1, 20),
                retry_after: secs(c.retry_after, DEFAULT_CALLBACK_RETRY_SECS),
                dial: secs(c.dial, DEFAULT_CALLBACK_DIAL_SECS),
            }
        });
        Queue {
            name: name.to_string(),
            pools,
            capacity: q.capacity,
            callback,
            announce_ewt: q.announce_ewt.unwrap_or(false),
        }
    }

    /// A pool's `shifts:`, checked: each shift within the day, its breaks
    /// within it and apart, a count of 1 or more.
    fn rota(
        &mut self,
        name: &str,
        list: &[raw::RawShift],
        opens: Option<&str>,
        day: f64,
    ) -> Vec<super::rota::RotaShift> {
        if list.is_empty() {
            self.push(
                Problem::error(&["pools", name, "shifts"], "no shifts listed")
                    .help("list the agents' shifts, e.g. `shifts: [{ start: 0h, length: 8h, count: 6 }]`"),
            );
        }
        let secs = |x: f64| SimDuration::from_secs_f64(x);
        let mut out = Vec::new();
        let mut total: i64 = 0;
        for (i, s) in list.iter().enumerate() {
            let idx = i.to_string();
            let at = |key: &'static str| -> Vec<String> {
                vec!["pools".into(), name.into(), "shifts".into(), idx.clone(), key.into()]
            };
            let text = s.start.0.trim();
            let start = if text.contains(':') {
                match (parse_clock(text), opens.map(parse_clock)) {
                    (Err(e), _) => {
                        self.push(
                            Problem::error(&path(&at("start")), e)
                                .help("a clock time such as \"07:00\", or an offset such as 2h"),
                        );
                        None
                    }
                    (Ok(_), None) => {
                        self.push(
                            Problem::error(&path(&at("start")), format!("`{text}` is a clock time but the file has no `opens`"))
                                .help("add `opens: \"07:00\"` (the clock time of time 0) at the top, or give the start as an offset such as 2h"),
                        );
                        None
                    }
                    (Ok(_), Some(Err(_))) => None,
                    (Ok(c), Some(Ok(o))) => {
                        if c < o {
                            self.push(
                                Problem::error(&path(&at("start")), format!("`{text}` is before the center opens"))
                                    .help("a shift starts at or after `opens`"),
                            );
                            None
                        } else {
                            Some(f64::from(c - o))
                        }
                    }
                }
            } else {
                match raw_units::parse_duration(text) {
                    Ok(x) if x >= 0.0 => Some(x),
                    Ok(_) | Err(_) => {
                        self.push(Problem::error(&path(&at("start")), format!("`{text}` is not a start time")).help(
                            "a clock time such as \"07:00\" (with `opens`), or an offset from time 0 such as 2h",
                        ));
                        None
                    }
                }
            };
            let length = s.length.0;

            if length.is_nan() || length <= 0.0 {
                self.push(
                    Problem::error(&path(&at("length")), "a shift lasts more than 0s").help("e.g. `length: 8h30m`"),
                );
            }
            if s.count < 1 {
                self.push(
                    Problem::error(&path(&at("count")), format!("count {}: a shift has 1 agent or more", s.count))
                        .help("the number of agents working this shift, e.g. `count: 4`; remove the shift for none"),
                );
            }
            total += s.count.max(0);
            if let Some(st) = start
                && length > 0.0
                && st + length > day + 1e-9
            {
                let m = (day / 60.0).round() as u64;
                let h = if m.is_multiple_of(60) { format!("{}h", m / 60) } else { format!("{}h{}m", m / 60, m % 60) };
                self.push(
                    Problem::error(
                        &path(&at("length")),
                        format!("this shift ends after the day's horizon ({} past time 0)", h),
                    )
                    .help("end the shift by the horizon: start it earlier, shorten it, or lengthen `horizon`"),
                );
            }
            let mut breaks = Vec::new();
            let mut last_end = 0.0;
            for (j, b) in s.breaks.iter().enumerate() {
                let bi = j.to_string();
                let bp: Vec<String> =
                    vec!["pools".into(), name.into(), "shifts".into(), idx.clone(), "breaks".into(), bi];
                let (a, l) = (b.at.0, b.length.0);
                if l.is_nan() || l <= 0.0 {
                    self.push(
                        Problem::error(&path(&bp), "a break lasts more than 0s").help("e.g. `{ at: 2h, length: 15m }`"),
                    );
                } else if a < 0.0 || a + l > length + 1e-9 {
                    self.push(Problem::error(&path(&bp), "this break is outside its shift").help(
                        "a break's `at` counts from the shift's start; the break must end by the shift's `length`",
                    ));
                } else if a < last_end - 1e-9 {
                    self.push(
                        Problem::error(&path(&bp), "this break overlaps the one before it")
                            .help("list breaks in order, each starting after the previous one ends"),
                    );
                }
                last_end = a + l;
                breaks.push((secs(a.max(0.0)), secs(l.max(0.0))));
            }
            if let Some(st) = start {
                out.push(super::rota::RotaShift {
                    start: SimTime::ZERO + secs(st),
                    end: SimTime::ZERO + secs(st + length.max(0.0)),
                    count: s.count.clamp(0, 100_000) as u32,
                    breaks,
                });
            }
        }
        if total > 100_000 {
            self.push(Problem::error(&["pools", name, "shifts"], "more than 100000 agents in one pool"));
            out.clear();
        }
        out
    }

    fn pool(&mut self, name: &str, p: &raw::RawPool, opens: Option<&str>, day: f64) -> Pool {
        let rota = match (&p.agents, &p.shifts) {
            (Some(_), Some(_)) => {
                self.push(
                    Problem::error(&["pools", name, "shifts"], "`shifts` and `agents` together: give one of them")
                        .help(
                            "`shifts:` lists the agents' shifts (they add up); `agents:` gives head counts on duty; \
                             remove `agents:` to use the shifts",
                        )
                        .at_key(),
                );
                Vec::new()
            }
            (None, None) => {
                self.push(
                    Problem::error(&["pools", name], "a pool needs `agents:` or `shifts:`")
                        .help("e.g. `agents: 6`, or `shifts: [{ start: 0h, length: 8h, count: 6 }]`")
                        .at_key(),
                );
                Vec::new()
            }
            (None, Some(list)) => self.rota(name, list, opens, day),
            (Some(_), None) => Vec::new(),
        };
        let counted = Agents::Count(0.0);
        let agents = p.agents.as_ref().unwrap_or(&counted);
        let steps = match agents {
            Agents::Count(_) if p.agents.is_none() => super::rota::steps(&rota),
            Agents::Count(n) => vec![(SimTime::ZERO, *n)],
            Agents::Shifts(list) => {
                if list.is_empty() {
                    self.push(Problem::error(
                        &["pools", name, "agents"],
                        "no shifts listed: give a number of agents or a list of { from: 0h, agents: 5 }",
                    ));
                }
                let mut last = -1.0;
                let mut out = Vec::new();
                for (i, s) in list.iter().enumerate() {
                    if s.from.0 <= last {
                        let idx = i.to_string();
                        self.push(Problem::error(
                            &["pools", name, "agents", &idx, "from"],
                            "shift `from` times must increase from one shift to the next",
                        ));
                    }
                    last = s.from.0;
                    out.push((SimTime::ZERO + SimDuration::from_secs_f64(s.from.0), s.agents));
                }
                out
            }
        };
        for (i, s) in steps.iter().enumerate() {
            let idx = i.to_string();
            let path: &[&str] = if matches!(agents, Agents::Count(_)) {
                &["pools", name, "agents"]
            } else {
                &["pools", name, "agents", &idx, "agents"]
            };
            if !s.1.is_finite() || s.1 < 0.0 {
                let what =
                    if s.1 < 0.0 { format!("`{}` is negative", s.1) } else { format!("`{}` is not a number", s.1) };
                self.push(
                    Problem::error(path, format!("{what}: give 0 or more agents"))
                        .help("agents is how many agents are on duty, e.g. `agents: 6`, or 5.6 for a sixth agent on duty 60% of the time"),
                );
            } else if s.1 > 100_000.0 {
                self.push(Problem::error(&["pools", name, "agents"], "more than 100000 agents in one pool"));
            }
        }
        let steps: Vec<(SimTime, f64)> =
            steps.into_iter().map(|(t, n)| (t, if n.is_finite() { n.clamp(0.0, 100_000.0) } else { 0.0 })).collect();
        // Whole agents until the intervals are known (`lower_rosters`).
        let shifts = steps.iter().map(|&(t, n)| (t, n.ceil() as u32)).collect();
        let availability = match p.availability {
            None => 1.0,
            Some(a) if a.is_finite() && (0.05..=1.0).contains(&a) => a,
            Some(a) => {
                self.push(
                    Problem::error(
                        &["pools", name, "availability"],
                        format!("availability {a}: give a share in [0.05, 1]"),
                    )
                    .help("the share of on-duty time an agent takes calls, e.g. `availability: 0.85`"),
                );
                1.0
            }
        };
        let off_phone_spell = match p.off_phone_spell {
            None => SimDuration::from_secs_f64(DEFAULT_OFF_PHONE_SPELL_SECS),
            Some(d) if d.0 > 0.0 => SimDuration::from_secs_f64(d.0),
            Some(_) => {
                self.push(Problem::error(
                    &["pools", name, "off_phone_spell"],
                    "an off-phone spell lasts more than 0s, e.g. 5m",
                ));
                SimDuration::from_secs_f64(DEFAULT_OFF_PHONE_SPELL_SECS)
            }
        };
        let n = self.reasons.len();
        let handle = match &p.handle {
            Handle::All(d) => vec![d.0.clone(); n],
            Handle::ByReason(map) => self.handle_by_reason(name, map, "handle"),
        };
        let warm_handle = match &p.warm_handle {
            None => handle.clone(),
            Some(Handle::All(d)) => vec![d.0.clone(); n],
            Some(Handle::ByReason(map)) => self.handle_by_reason(name, map, "warm_handle"),
        };
        let resolves = match &p.resolves {
            Some(m) => self.by_reason(m, &["pools", name, "resolves"], 0.0),
            None => vec![1.0; n],
        };
        let mut transfer = vec![None; n];
        for (reason, q) in p.transfer.iter().flatten() {
            let path = ["pools", name, "transfer", reason.as_str()];
            let r = self.reason_ref(reason, &path);
            let target = self.target(q, &path);
            if let Some(Target::Node(_)) = target {
                self.push(Problem::error(&path, format!("`{q}` is a menu node: a transfer goes to a queue")));
            }
            if let (Some(r), Some(Target::Queue(q))) = (r, target) {
                transfer[r.index()] = Some(q);
            }
        }
        Pool {
            name: name.to_string(),
            shifts,
            steps,
            rota,
            availability,
            off_phone_spell,
            handle,
            wrap_up: p.wrap_up.as_ref().map_or(Dist::Constant(0.0), |d| d.0.clone()),
            resolves,
            resolves_given: p.resolves.is_some(),
            // Filled in once the menu and queues are known (`routed::apply`).
            misroute: Vec::new(),
            transfer,
            warm_transfer: p.transfer_mode == Some(TransferMode::Warm),
            warm_handle,
            chat_concurrency: self.chat_concurrency(name, p),
            concurrency_slowdown: self.slowdown(name, p),
            channel_priority: self.channel_priority(name, p),
            email_reserve: p.email_reserve.unwrap_or(0),
            email_interruptible: p.email_interruptible.unwrap_or(true),
            cost_per_hour: p.cost_per_hour.map(|c| self.check_cost(name, c)),
            shrinkage: p.shrinkage.map_or(0.0, |s| self.check_shrinkage(name, s)),
        }
    }

    fn chat_concurrency(&mut self, name: &str, p: &raw::RawPool) -> u32 {
        let k = p.concurrency.as_ref().and_then(|c| c.chat).unwrap_or(1);
        if !(1..=20).contains(&k) {
            self.push(
                Problem::error(&["pools", name, "concurrency", "chat"], format!("{k} chats at once: give 1 to 20"))
                    .help("concurrency is how many chats one agent holds at the same time, e.g. `concurrency: { chat: 3 }`"),
            );
        }
        k.clamp(1, 20)
    }

    fn slowdown(&mut self, name: &str, p: &raw::RawPool) -> f64 {
        let s = p.concurrency_slowdown.unwrap_or(0.0);
        if !(0.0..=10.0).contains(&s) || s.is_nan() {
            self.push(
                Problem::error(
                    &["pools", name, "concurrency_slowdown"],
                    format!("{s} is not a slowdown: give a share from 0 to 10"),
                )
                .help("0.2 makes each chat 20% longer per other chat the agent holds when it starts"),
            );
            return 0.0;
        }
        s
    }

    fn check_cost(&mut self, pool: &str, cost: f64) -> f64 {
        if !(cost.is_finite() && cost >= 0.0) {
            self.push(
                Problem::error(
                    &["pools", pool, "cost_per_hour"],
                    format!("{cost} is not a cost: expected money per paid agent-hour, 0 or more"),
                )
                .help("a plain number in any currency, e.g. `cost_per_hour: 32`"),
            );
            return 0.0;
        }
        cost
    }

    fn check_shrinkage(&mut self, pool: &str, s: f64) -> f64 {
        if !(0.0..1.0).contains(&s) {
            self.push(
                Problem::error(
                    &["pools", pool, "shrinkage"],
                    format!("{s} is not a shrinkage: expected a share of paid time off the phones, from 0 up to (not including) 1"),
                )
                .help("0.3 means 30% of paid hours go to breaks, training and meetings; 1 would leave nobody on the phones"),
            );
            return 0.0;
        }
        s
    }

    fn channel_priority(&mut self, name: &str, p: &raw::RawPool) -> Vec<Channel> {
        let Some(list) = &p.channel_priority else { return Channel::ALL.to_vec() };
        let mut out: Vec<Channel> = Vec::new();
        for c in list.iter().map(|c| channel(*c)) {
            if out.contains(&c) {
                self.push(Problem::error(
                    &["pools", name, "channel_priority"],
                    format!("`{}` is listed twice", c.as_str()),
                ));
            } else {
                out.push(c);
            }
        }
        if out.is_empty() {
            self.push(Problem::error(
                &["pools", name, "channel_priority"],
                "no channels listed: give the channels this pool works, most urgent first, e.g. [voice, chat, email]",
            ));
        }
        out
    }

    fn handle_by_reason(&mut self, pool: &str, map: &IndexMap<String, DistSpec>, key: &str) -> Vec<Dist> {
        let n = self.reasons.len();
        let mut out: Vec<Option<Dist>> = vec![None; n];
        let mut default = None;
        for (reason, d) in map {
            if reason == "default" {
                default = Some(d.0.clone());
            } else if let Some(r) = self.reason_ref(reason, &["pools", pool, key, reason]) {
                out[r.index()] = Some(d.0.clone());
            }
        }
        let Some((first_name, first)) = map.iter().next().map(|(k, v)| (k.clone(), v.0.clone())) else {
            self.push(Problem::error(
                &["pools", pool, key],
                "no talk times listed: give a distribution, or one per reason",
            ));
            return vec![Dist::Constant(0.0); n];
        };
        let fallback = default.clone().unwrap_or(first);
        let missing: Vec<String> = (0..n).filter(|&i| out[i].is_none()).map(|i| self.reasons[i].clone()).collect();
        if default.is_none() && !missing.is_empty() {
            self.push(
                Problem::warning(
                    &["pools", pool, key],
                    format!(
                        "no talk time for {}: calls for it use `{first_name}`'s",
                        list(&missing.iter().map(String::as_str).collect::<Vec<_>>())
                    ),
                )
                .help("add those reasons, or a `default:` entry")
                .at_key(),
            );
        }
        out.into_iter().map(|d| d.unwrap_or_else(|| fallback.clone())).collect()
    }
}

/// Whether the raw option lists reasons (even unknown ones): such an option is
/// not an operator/zero-out option.
fn o_has_for(n: &raw::RawNode, key: &str) -> bool {
    n.options.as_ref().and_then(|o| o.get(key)).is_some_and(|o| !o.for_reasons.is_empty())
}

fn channel(c: raw::RawChannel) -> Channel {
    match c {
        raw::RawChannel::Voice => Channel::Voice,
        raw::RawChannel::Chat => Channel::Chat,
        raw::RawChannel::Email => Channel::Email,
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        return "(none)".into();
    }
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// A built path (`pools.NAME.shifts.0.start`) as the `&[&str]` `Problem` takes.
fn path(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}
