//! The snapshot file (`STATE.json`): the state of the center at one moment,
//! as a supervisor's wallboard or `shop state LOG --at 10:40` gives it. Names
//! (caller types, queues, pools) are the scenario's; durations are seconds;
//! moments are clock times (`"10:40"`, with the scenario's `opens`) or
//! offsets from the opening (`"2h40m"`). `shop state --schema` prints its
//! JSON Schema, generated from these structs.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The center at one moment.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schemars(title = "shop intraday snapshot", rename = "Snapshot")]
pub struct Snapshot {
    /// When the snapshot was taken: a clock time `"10:40"` (the scenario needs
    /// `opens`) or an offset from the opening `"2h40m"`. `run --at` overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^(\d{1,2}:\d{2}(:\d{2})?|[0-9.hms]+)$"))]
    pub at: Option<String>,
    /// Where the snapshot comes from (free text, e.g. the log and day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Callers holding on the line (voice and chat; an entry of an email
    /// caller type is an open email).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_hold: Vec<OnHold>,
    /// Agents busy with a call: talking, or in wrap-up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_talk: Vec<InTalk>,
    /// Per pool: agents on duty and breaks. A pool left out has the head
    /// count its plan gives at that moment, none on a break.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub agents: IndexMap<String, PoolNow>,
    /// Callbacks promised and not yet made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callbacks: Vec<PromisedCallback>,
    /// Emails no agent has started yet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<OpenEmail>,
    /// First calls that arrived today before the snapshot, per caller type:
    /// with `run --rescale`, the rest of the day's arrivals are scaled by
    /// these over the plan's calls for the same time.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub arrived_so_far: IndexMap<String, u64>,
}

/// A caller on hold.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OnHold {
    /// The caller type.
    pub caller: String,
    /// The queue they hold in (default: the caller type's `start`, when it is a queue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// The reason of the call (default: drawn from the caller type's reasons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The caller's priority when not their type's (higher is served first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// Seconds on hold so far.
    #[schemars(range(min = 0))]
    pub held: f64,
}

/// An agent busy with a call.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InTalk {
    /// The agent's pool (default: the first pool of the caller type's queue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// The agent's name (informative: agents of a pool are alike).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// The caller type on the line.
    pub caller: String,
    /// The reason of the call (default: drawn from the caller type's reasons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Seconds in talk so far (in wrap-up so far, with `wrap_up: true`).
    #[schemars(range(min = 0))]
    pub elapsed: f64,
    /// The talk is over and the agent is in after-call work.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wrap_up: bool,
}

/// A pool's agents now.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PoolNow {
    /// Agents on their shift now, those on a break included.
    pub on_duty: u32,
    /// When each agent on a break comes back (one entry per agent): clock
    /// times `"10:55"` or offsets from the opening.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_break_until: Vec<String>,
}

/// A callback promised to a caller.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PromisedCallback {
    pub caller: String,
    /// The queue whose agents call back (default: the caller type's `start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Seconds since the callback was promised.
    #[schemars(range(min = 0))]
    pub waited: f64,
    /// Dials made so far that did not reach the caller.
    #[serde(default)]
    pub attempts: u32,
    /// When it may be dialed (again): a clock time or an offset (default: now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
}

/// An email waiting for an agent.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OpenEmail {
    pub caller: String,
    /// Its queue (default: the caller type's `start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Seconds since it arrived.
    #[schemars(range(min = 0))]
    pub age: f64,
}

/// The snapshot's JSON Schema (draft 7, like the scenario's).
pub fn schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    generator.into_root_schema_for::<Snapshot>().to_value()
}

/// Parses a snapshot; an error names the file, line and column, the key
/// (`on_hold[2].held`) and what was expected.
pub fn parse(file: &str, text: &str) -> Result<Snapshot, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed: Result<Snapshot, _> = serde_path_to_error::deserialize(&mut de);
    let snapshot = parsed.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let key = if path == "." || path.is_empty() { String::new() } else { format!(" at `{path}`") };
        format!(
            "error: {file}:{}:{}{key}: {inner}\n  help: `shop state --schema` prints what a snapshot holds",
            inner.line(),
            inner.column()
        )
    })?;
    de.end().map_err(|e| format!("error: {file}:{}:{}: {e}", e.line(), e.column()))?;
    Ok(snapshot)
}

/// Reads and parses a snapshot file.
pub fn read(path: &std::path::Path) -> Result<Snapshot, String> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("error: {file}: cannot read it: {}", e.kind()))?;
    parse(&file, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_value_is_named_by_file_line_and_key() {
        let text = "{\n  \"at\": \"10:40\",\n  \"on_hold\": [\n    {\"caller\": \"retail\", \"held\": 30},\n    {\"caller\": \"retail\", \"held\": \"3m\"}\n  ]\n}\n";
        let e = parse("state.json", text).unwrap_err();
        assert!(e.contains("state.json:5:"), "{e}");
        assert!(e.contains("on_hold[1].held"), "{e}");
        assert!(e.contains("expected f64"), "{e}");
    }

    #[test]
    fn unknown_keys_are_refused_with_the_keys_that_exist() {
        let e = parse("s.json", "{\"on_hold\": [{\"caller\": \"a\", \"hold\": 3}]}").unwrap_err();
        assert!(e.contains("unknown field `hold`") && e.contains("held"), "{e}");
    }

    #[test]
    fn a_snapshot_round_trips() {
        let mut s = Snapshot { at: Some("10:40".into()), ..Snapshot::default() };
        s.on_hold.push(OnHold { caller: "a".into(), queue: None, reason: None, priority: None, held: 12.5 });
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(parse("s.json", &text).unwrap(), s);
    }
}
