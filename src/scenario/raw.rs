//! The scenario file as written: serde structs that mirror the YAML one to one.
//!
//! Unknown keys are errors (`deny_unknown_fields`), and keys that accept two
//! shapes (a rate or a day profile, a number or shifts, ...) have hand-written
//! visitors so that a mistake gets a message about *this* key, not serde's
//! "data did not match any variant".

use std::fmt;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::units::{DistSpec, DurationSpec, RateSpec};

/// A `shop` scenario: a contact center as a caller meets it — who calls and
/// why, the phone menu they hear, the queues they wait in and the agents who answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "shop scenario", rename = "Scenario")]
pub struct RawScenario {
    /// The design's name, shown in reports (default: the file name).
    pub name: Option<String>,
    /// Random seed (default 1; `--seed` overrides). Same seed, same file: the same report.
    pub seed: Option<u64>,
    /// Independent simulated days (default 10; `--replications` overrides).
    #[schemars(range(min = 1))]
    pub replications: Option<u32>,
    /// Calls arrive during [0, horizon); calls in progress then are finished (default 8h).
    pub horizon: Option<DurationSpec>,
    /// The "answered within" threshold of the service level (default 30s).
    pub service_level: Option<DurationSpec>,
    /// The reporting interval of the "Through the day" table (default 30m).
    pub interval: Option<DurationSpec>,
    /// Wall-clock time of time 0, "HH:MM" (e.g. "08:00"): labels intervals "10:00–10:30"
    /// instead of offsets "2h00–2h30". Used for labels only.
    #[schemars(regex(pattern = r"^\d{1,2}:\d{2}(:\d{2})?$"))]
    pub opens: Option<String>,
    /// Words per minute for prompts given as text (default 150).
    pub speech_rate: Option<f64>,
    /// Entry point: a menu node or a queue (default: the first menu node listed).
    pub start: Option<String>,
    /// A call that hears more prompts than this ends, abandoned in the menu (default 20).
    #[schemars(range(min = 1))]
    pub max_menu_steps: Option<u32>,
    /// A call transferred more often than this ends unresolved (default 3).
    pub max_transfers: Option<u32>,
    /// Caller types (personas) by name: who calls, why, and how they behave.
    pub callers: IndexMap<String, RawCaller>,
    /// The phone menu (IVR): nodes by name. Calls start at `start`, else the first node.
    #[serde(default)]
    pub menu: IndexMap<String, RawNode>,
    /// Queues by name: callers wait here for a human.
    #[serde(default)]
    pub queues: IndexMap<String, RawQueue>,
    /// Agent pools (teams) by name.
    #[serde(default)]
    pub pools: IndexMap<String, RawPool>,
    /// Consecutive days in one replication (default 1): what is still open at
    /// the end of a day (emails, promised callbacks) carries over to the next.
    #[schemars(range(min = 1, max = 366))]
    pub days: Option<u32>,
    /// Day-to-day volume spread shared by every caller type: each simulated day's
    /// arrivals are scaled by one factor drawn per day (gamma, mean 1, this coefficient
    /// of variation), e.g. `12%` or `0.12` (default 0: days differ by Poisson noise only).
    /// A caller type's own `volume_spread` overrides it with a factor of its own.
    #[schemars(with = "Option<SpreadSchema>")]
    pub volume_spread: Option<Share>,
}

/// A caller type (persona).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Caller")]
pub struct RawCaller {
    pub arrivals: Arrivals,
    /// Reasons for calling with their shares, summing to 1, e.g. { billing: 0.6, tech: 0.4 }
    /// or { billing: 60%, tech: 40% } (default: one reason, `general`).
    #[schemars(with = "Option<IndexMap<String, ShareSchema>>")]
    pub reasons: Option<IndexMap<String, Share>>,
    /// Time on hold before hanging up, drawn once per call (omitted: never hangs up).
    pub patience: Option<DistSpec>,
    /// Time in the phone menu before hanging up, drawn once per call, or `never`
    /// (omitted: the documented default, see docs/menu-model.md).
    pub menu_patience: Option<MenuPatience>,
    /// Chance to choose the option meant for the reason, at each menu (default 1).
    #[schemars(with = "Option<Probability>")]
    pub accuracy: Option<f64>,
    /// Calling again after hanging up or leaving unresolved (omitted: never redials).
    pub redial: Option<RawRedial>,
    /// Higher is answered first within a queue (default 0).
    pub priority: Option<i32>,
    /// Where this caller type dials in: a menu node or a queue (default: `start`).
    pub entry: Option<String>,
    /// How they contact the center: voice (default), chat or email.
    pub channel: Option<RawChannel>,
    /// Email: the response time promised (default 24h); `within_target` is measured against it.
    pub response_target: Option<DurationSpec>,
    /// Chance to accept a callback when a queue offers one (overrides the queue's `accept`).
    #[schemars(with = "Option<Probability>")]
    pub callback_accept: Option<f64>,
    /// Day-to-day volume spread of this caller type: each simulated day's arrivals are
    /// scaled by a factor drawn per day (gamma, mean 1, this coefficient of variation),
    /// e.g. `12%` or `0.12` (default: the top-level `volume_spread`, else 0).
    #[schemars(with = "Option<SpreadSchema>")]
    pub volume_spread: Option<Share>,
}

/// A contact channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawChannel {
    Voice,
    Chat,
    Email,
}

/// A queue's virtual hold: callers facing a long estimated wait are offered a callback.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Callback")]
pub struct RawCallback {
    /// Offer a callback when the estimated wait is over this (default 2m).
    pub offer_when_ewt_over: Option<DurationSpec>,
    /// Chance a caller accepts (default 0.5; a caller type's `callback_accept` overrides).
    #[schemars(with = "Option<Probability>")]
    pub accept: Option<f64>,
    /// true (default): the callback keeps the caller's place in the queue; false: it
    /// is made only when nobody is holding on the line in this queue.
    pub keep_place: Option<bool>,
    /// Chance that one dial reaches the caller (default 0.9).
    #[schemars(with = "Option<Probability>")]
    pub reach: Option<f64>,
    /// Dials at most before the callback fails (default 3).
    #[schemars(range(min = 1, max = 20))]
    pub attempts: Option<u32>,
    /// Time before dialing again after a dial that did not reach the caller (default 10m).
    pub retry_after: Option<DurationSpec>,
    /// Time the agent spends dialing, per attempt (default 20s).
    pub dial: Option<DurationSpec>,
}

/// `concurrency:` — contacts one agent holds at once, by channel.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Concurrency")]
pub struct RawConcurrency {
    /// Chats one agent holds at once (default 1).
    #[schemars(range(min = 1, max = 20))]
    pub chat: Option<u32>,
}

// The file's fields keep `f64`; this type only describes them in the JSON Schema.
/// A probability or share: a number from 0 to 1.
#[derive(JsonSchema)]
#[schemars(transparent)]
pub struct Probability(#[schemars(range(min = 0.0, max = 1.0))] pub f64);

/// A share: a fraction from 0 to 1 (`0.45`) or a percentage (`45%`).
#[derive(JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Share")]
#[allow(dead_code)]
pub enum ShareSchema {
    Fraction(Probability),
    Percent(#[schemars(regex(pattern = r"^\s*\d+(\.\d+)?\s*%\s*$"))] String),
}

/// A volume spread: a coefficient of variation from 0 to 1 (`0.12`) or a percentage (`12%`).
#[derive(JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "VolumeSpread")]
#[allow(dead_code)]
pub enum SpreadSchema {
    Fraction(Probability),
    Percent(#[schemars(regex(pattern = r"^\s*\d+(\.\d+)?\s*%\s*$"))] String),
}

/// A share written as a fraction (`0.45`) or a percentage (`45%`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Share(pub f64);

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Share, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Share;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a share such as 0.45 or 45%")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Share, E> {
                Ok(Share(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Share, E> {
                Ok(Share(v as f64))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Share, E> {
                Ok(Share(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Share, E> {
                v.trim()
                    .strip_suffix('%')
                    .and_then(|n| n.trim().parse::<f64>().ok())
                    .map(|n| Share(n / 100.0))
                    .ok_or_else(|| E::custom(format!("`{v}` is not a share: write 0.45 or 45%")))
            }
        }
        d.deserialize_any(V)
    }
}

/// Redialling after hanging up or leaving unresolved.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Redial")]
pub struct RawRedial {
    /// Chance to call again.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub chance: f64,
    /// Time until the redial.
    pub after: DistSpec,
    /// Redials per journey at most (default 3, at most 100).
    #[schemars(range(max = 100))]
    pub max: Option<u32>,
}

/// `arrivals:` — a constant rate or a piecewise-constant day profile.
#[derive(Debug)]
pub enum Arrivals {
    Rate(RateSpec),
    Profile(Vec<RateStep>),
}

/// One step of a day profile: the rate from this time of day on.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateStep {
    /// Time of day the rate starts (steps in increasing order).
    pub from: DurationSpec,
    pub rate: RateSpec,
}

/// A menu node: a prompt the caller hears, then keys, `then`, or the end of the call.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MenuNode")]
pub struct RawNode {
    /// What the caller hears; its listening time is its word count at `speech_rate`.
    pub prompt: Option<String>,
    /// Listening time instead of the prompt's word count.
    pub duration: Option<DistSpec>,
    /// Keys the caller can press, by key ("1", "0", ...). Not with `then`.
    pub options: Option<IndexMap<String, RawOption>>,
    /// Self-service: chance, by reason, that hearing this node solves the call.
    #[schemars(with = "Option<IndexMap<String, Probability>>")]
    pub resolves: Option<IndexMap<String, f64>>,
    /// Where the caller goes next (a menu node or a queue) when the node has no options.
    pub then: Option<String>,
    /// Whether callers may press a key before the prompt ends (default true).
    pub barge_in: Option<bool>,
    /// Chance of the right key at this menu (e.g. from the IVR's logs), for every
    /// caller: replaces the model of wrong keys here.
    #[schemars(with = "Option<Probability>")]
    pub accuracy: Option<f64>,
    /// Times the prompt repeats when no key is pressed (default 2).
    #[schemars(range(max = 10))]
    pub repeat: Option<u32>,
    /// Where a caller who pressed no key goes after the repeats: a menu node, a
    /// queue, or `hang_up` (default).
    pub no_input: Option<String>,
}

/// A key of a menu node.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MenuOption")]
pub struct RawOption {
    /// What the key is called (shown in journeys).
    pub label: Option<String>,
    /// Reasons this key is meant for; none: an operator/zero-out option.
    #[serde(rename = "for", default)]
    pub for_reasons: Vec<String>,
    /// Where the key leads: a menu node or a queue.
    pub to: String,
    /// When the caller has heard this option, from the prompt's start: for a node
    /// with `duration` (text prompts are timed by the sentence naming the key).
    pub at: Option<DurationSpec>,
}

/// A queue: callers wait for an agent of its pools.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Queue")]
pub struct RawQueue {
    /// Pools answering this queue, in the order they are tried.
    #[schemars(length(min = 1))]
    pub pools: Vec<QueuePool>,
    /// More waiting callers than this get a busy signal (omitted: no limit).
    pub capacity: Option<u32>,
    /// Virtual hold: offer callers a callback when the estimated wait is long.
    pub callback: Option<RawCallback>,
    /// Tell callers who must wait the estimated wait; some then leave at once
    /// (default false; see docs/channels.md).
    pub announce_ewt: Option<bool>,
}

/// An entry of a queue's `pools:` list: a pool name, or `{ pool, after }`.
#[derive(Debug)]
pub struct QueuePool {
    pub pool: String,
    pub after: Option<DurationSpec>,
}

/// An agent pool (team).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Pool")]
pub struct RawPool {
    /// Agents on duty (a head count or `{ from, agents }` steps); give this or `shifts`.
    pub agents: Option<Agents>,
    /// The agents' shifts with their breaks (instead of `agents`); see docs/scenario-format.md.
    pub shifts: Option<Vec<RawShift>>,
    pub handle: Handle,
    /// After-call work: the agent is busy, the caller is gone (default 0s).
    pub wrap_up: Option<DistSpec>,
    /// First-contact resolution by reason (omitted: calls about the reasons
    /// routed to this pool's queues are resolved, a misrouted caller is
    /// transferred cold to the queue the menu means; listed: unlisted reasons
    /// are never resolved).
    #[schemars(with = "Option<IndexMap<String, Probability>>")]
    pub resolves: Option<IndexMap<String, f64>>,
    /// Unresolved reason → the queue the call is transferred to.
    pub transfer: Option<IndexMap<String, String>>,
    /// cold (default): the caller re-queues alone; warm: the agent stays on the line until answered.
    pub transfer_mode: Option<TransferMode>,
    /// Money per paid agent-hour (currency-free), for the cost report.
    #[schemars(range(min = 0.0))]
    pub cost_per_hour: Option<f64>,
    /// Share of paid time off the phones (breaks, training, meetings), in [0, 1) (default 0).
    #[schemars(range(min = 0.0, max = 0.999_999))]
    pub shrinkage: Option<f64>,
    /// Talk time of a call this pool receives by warm transfer (default: `handle`).
    pub warm_handle: Option<Handle>,
    /// Contacts one agent holds at once: `{ chat: 3 }` (default 1).
    pub concurrency: Option<RawConcurrency>,
    /// Each chat takes this share longer per other chat the agent holds when it starts (default 0).
    pub concurrency_slowdown: Option<f64>,
    /// Channels this pool works, most urgent first (default [voice, chat, email]);
    /// a channel not listed is not worked by this pool.
    pub channel_priority: Option<Vec<RawChannel>>,
    /// Agents kept idle for voice and chat: an agent starts an email only when
    /// at least this many others are idle (default 0; see docs/channels.md).
    pub email_reserve: Option<u32>,
    /// A voice caller (or chat, when `channel_priority` ranks it above email)
    /// who would otherwise wait takes an agent off an email: the agent puts it
    /// down and the email is resumed later with the work left (default true;
    /// see docs/channels.md).
    pub email_interruptible: Option<bool>,
    /// Share of on-duty time an agent takes calls, in (0, 1] (default 1); the
    /// rest is other work (after-call work no log shows, outbound, short
    /// breaks) in off-phone spells taken only between calls (see docs/scenario-format.md).
    #[schemars(range(min = 0.05, max = 1.0))]
    pub availability: Option<f64>,
    /// Mean length of one off-phone spell (default 3m): with `availability` below 1.
    pub off_phone_spell: Option<DurationSpec>,
}

/// `menu_patience:` — a distribution, or `never`.
#[derive(Debug)]
pub enum MenuPatience {
    Never,
    Dist(DistSpec),
}

impl<'de> Deserialize<'de> for MenuPatience {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MenuPatience;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a distribution such as lognormal(2m, 1m30s), or never")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MenuPatience, E> {
                if v.trim() == "never" {
                    return Ok(MenuPatience::Never);
                }
                DistSpec::deserialize(serde::de::value::StrDeserializer::<E>::new(v)).map(MenuPatience::Dist)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MenuPatience, E> {
                DistSpec::deserialize(serde::de::value::U64Deserializer::<E>::new(v)).map(MenuPatience::Dist)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<MenuPatience, E> {
                DistSpec::deserialize(serde::de::value::F64Deserializer::<E>::new(v)).map(MenuPatience::Dist)
            }
        }
        d.deserialize_any(V)
    }
}

/// How a transfer is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TransferMode {
    Cold,
    Warm,
}

/// `agents:` — a head count, or shifts.
#[derive(Debug)]
pub enum Agents {
    /// Whole or fractional (`5.6`: five agents all along, a sixth for 60% of each interval).
    Count(f64),
    Shifts(Vec<Shift>),
}

/// One shift step: the number of agents on duty from this time of day on.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    /// Time of day the step starts (steps in increasing order).
    pub from: DurationSpec,
    /// Agents on duty from then on; fractional (`5.6`) means a sixth agent on
    /// duty for 60% of each reporting interval of the step.
    #[schemars(range(min = 0.0))]
    pub agents: f64,
}

/// One entry of a pool's `shifts:`: `count` agents working from `start` for
/// `length`, each taking the same `breaks`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AgentShift")]
pub struct RawShift {
    /// Clock time ("07:00", with top-level `opens`) or an offset from time 0 (`2h`).
    #[schemars(with = "String")]
    pub start: ClockOrOffset,
    /// How long the shift lasts, breaks included (e.g. 8h30m).
    pub length: DurationSpec,
    /// Agents working this shift (1 or more).
    #[schemars(range(min = 1))]
    pub count: i64,
    /// Breaks, each `{ at, length }` with `at` from the shift's start.
    #[serde(default)]
    pub breaks: Vec<RawBreak>,
}

/// A break of a shift: from `at` after the shift's start, for `length`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Break")]
pub struct RawBreak {
    /// When the break starts, from the shift's start.
    pub at: DurationSpec,
    /// How long the break lasts (taken in full, after the call in hand).
    pub length: DurationSpec,
}

/// A shift's `start`: a clock time ("07:00") or an offset (`2h`), kept as written.
#[derive(Debug, Clone)]
pub struct ClockOrOffset(pub String);

impl<'de> Deserialize<'de> for ClockOrOffset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ClockOrOffset;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a clock time such as \"07:00\" or an offset such as 2h")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ClockOrOffset, E> {
                Ok(ClockOrOffset(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ClockOrOffset, E> {
                Ok(ClockOrOffset(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// `handle:` — one distribution, or one per reason.
#[derive(Debug)]
pub enum Handle {
    All(DistSpec),
    ByReason(IndexMap<String, DistSpec>),
}

/// Implements `Deserialize` for a key that takes either a scalar or a sequence.
macro_rules! scalar_or_seq {
    ($ty:ty, $expect:expr, scalar: $scalar:expr, seq: $seq:path, seq_item: $item:ty) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expect)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        #[allow(clippy::redundant_closure_call)]
                        ($scalar)(serde::de::value::StrDeserializer::<E>::new(v))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                        #[allow(clippy::redundant_closure_call)]
                        ($scalar)(serde::de::value::U64Deserializer::<E>::new(v))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                        #[allow(clippy::redundant_closure_call)]
                        ($scalar)(serde::de::value::I64Deserializer::<E>::new(v))
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                        #[allow(clippy::redundant_closure_call)]
                        ($scalar)(serde::de::value::F64Deserializer::<E>::new(v))
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$ty, A::Error> {
                        let mut items = Vec::new();
                        while let Some(item) = seq.next_element::<$item>()? {
                            items.push(item);
                        }
                        Ok($seq(items))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

scalar_or_seq!(
    Arrivals,
    "a rate such as 120/h, or a day profile: a list of { from: 2h, rate: 40/h }",
    scalar: |d| RateSpec::deserialize(d).map(Arrivals::Rate),
    seq: Arrivals::Profile,
    seq_item: RateStep
);

scalar_or_seq!(
    Agents,
    "a number of agents, or shifts: a list of { from: 4h, agents: 7 }",
    scalar: |d| f64::deserialize(d).map(Agents::Count),
    seq: Agents::Shifts,
    seq_item: Shift
);

impl<'de> Deserialize<'de> for Handle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Handle;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a talk-time distribution such as exp(9m), or a map by reason: { billing: 5m, tech: exp(9m) }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Handle, E> {
                DistSpec::deserialize(serde::de::value::StrDeserializer::<E>::new(v)).map(Handle::All)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Handle, E> {
                DistSpec::deserialize(serde::de::value::U64Deserializer::<E>::new(v)).map(Handle::All)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Handle, E> {
                DistSpec::deserialize(serde::de::value::F64Deserializer::<E>::new(v)).map(Handle::All)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Handle, A::Error> {
                let mut out = IndexMap::new();
                while let Some((k, v)) = map.next_entry::<String, DistSpec>()? {
                    out.insert(k, v);
                }
                Ok(Handle::ByReason(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for QueuePool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            pool: String,
            after: Option<DurationSpec>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = QueuePool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a pool name, or { pool: NAME, after: 60s }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<QueuePool, E> {
                Ok(QueuePool { pool: v.to_string(), after: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<QueuePool, A::Error> {
                let full = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(QueuePool { pool: full.pool, after: full.after })
            }
        }
        d.deserialize_any(V)
    }
}

/// JSON Schema of the keys with two shapes (their `Deserialize` is hand-written).
mod schema {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

    use super::{Agents, Arrivals, Handle, MenuPatience, QueuePool, RateStep, Shift};
    use crate::scenario::units::{DistSpec, RateSpec};

    impl JsonSchema for Arrivals {
        fn schema_name() -> Cow<'static, str> {
            "Arrivals".into()
        }
        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "Poisson arrivals: a rate such as 120/h, or a piecewise-constant day profile: a list of { from: 2h, rate: 40/h }.",
                "oneOf": [g.subschema_for::<RateSpec>(), { "type": "array", "items": g.subschema_for::<RateStep>(), "minItems": 1 }],
            })
        }
    }

    impl JsonSchema for MenuPatience {
        fn schema_name() -> Cow<'static, str> {
            "MenuPatience".into()
        }
        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "Time in the phone menu before hanging up (a distribution, drawn once per call), or never.",
                "oneOf": [{ "const": "never" }, g.subschema_for::<DistSpec>()],
            })
        }
    }

    impl JsonSchema for Agents {
        fn schema_name() -> Cow<'static, str> {
            "Agents".into()
        }
        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "Agents on duty: a number, or shifts by time of day: a list of { from: 4h, agents: 7 } (none before the first). A fractional number (5.6) puts a further agent on duty for that share of each reporting interval.",
                "oneOf": [{ "type": "number", "minimum": 0 }, { "type": "array", "items": g.subschema_for::<Shift>(), "minItems": 1 }],
            })
        }
    }

    impl JsonSchema for Handle {
        fn schema_name() -> Cow<'static, str> {
            "Handle".into()
        }
        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "Talk time: a distribution, or one per reason ({ billing: 5m, tech: exp(9m), default: 6m }).",
                "oneOf": [g.subschema_for::<DistSpec>(), { "type": "object", "additionalProperties": g.subschema_for::<DistSpec>(), "minProperties": 1 }],
            })
        }
    }

    impl JsonSchema for QueuePool {
        fn schema_name() -> Cow<'static, str> {
            "QueuePool".into()
        }
        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A pool name, or { pool: NAME, after: 60s }: the pool takes calls only after that long on hold (overflow).",
                "oneOf": [
                    { "type": "string" },
                    {
                        "type": "object",
                        "properties": { "pool": { "type": "string" }, "after": g.subschema_for::<crate::scenario::units::DurationSpec>() },
                        "required": ["pool"],
                        "additionalProperties": false,
                    },
                ],
            })
        }
    }
}
