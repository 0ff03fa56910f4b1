//! The scenario file as written: serde structs that mirror the YAML one to one.
//!
//! Unknown keys are errors (`deny_unknown_fields`), and keys that accept two
//! shapes (a rate or a day profile, a number or shifts, ...) have hand-written
//! visitors so that a mistake gets a message about *this* key, not serde's
//! "data did not match any variant".

use std::fmt;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::units::{DistSpec, DurationSpec, RateSpec};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub seed: Option<u64>,
    pub replications: Option<u32>,
    pub horizon: Option<DurationSpec>,
    pub service_level: Option<DurationSpec>,
    pub speech_rate: Option<f64>,
    pub start: Option<String>,
    pub max_menu_steps: Option<u32>,
    pub max_transfers: Option<u32>,
    pub callers: IndexMap<String, RawCaller>,
    #[serde(default)]
    pub menu: IndexMap<String, RawNode>,
    #[serde(default)]
    pub queues: IndexMap<String, RawQueue>,
    #[serde(default)]
    pub pools: IndexMap<String, RawPool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCaller {
    pub arrivals: Arrivals,
    pub reasons: Option<IndexMap<String, f64>>,
    pub patience: Option<DistSpec>,
    pub accuracy: Option<f64>,
    pub redial: Option<RawRedial>,
    pub priority: Option<i32>,
    pub entry: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedial {
    pub chance: f64,
    pub after: DistSpec,
    pub max: Option<u32>,
}

/// `arrivals:` — a constant rate or a piecewise-constant day profile.
#[derive(Debug)]
pub enum Arrivals {
    Rate(RateSpec),
    Profile(Vec<RateStep>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateStep {
    pub from: DurationSpec,
    pub rate: RateSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub prompt: Option<String>,
    pub duration: Option<DistSpec>,
    pub options: Option<IndexMap<String, RawOption>>,
    pub resolves: Option<IndexMap<String, f64>>,
    pub then: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub label: Option<String>,
    #[serde(rename = "for", default)]
    pub for_reasons: Vec<String>,
    pub to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    pub pools: Vec<QueuePool>,
    pub capacity: Option<u32>,
}

/// An entry of a queue's `pools:` list: a pool name, or `{ pool, after }`.
#[derive(Debug)]
pub struct QueuePool {
    pub pool: String,
    pub after: Option<DurationSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPool {
    pub agents: Agents,
    pub handle: Handle,
    pub wrap_up: Option<DistSpec>,
    pub resolves: Option<IndexMap<String, f64>>,
    pub transfer: Option<IndexMap<String, String>>,
    pub transfer_mode: Option<TransferMode>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransferMode {
    Cold,
    Warm,
}

/// `agents:` — a head count, or shifts.
#[derive(Debug)]
pub enum Agents {
    Count(u32),
    Shifts(Vec<Shift>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    pub from: DurationSpec,
    pub agents: u32,
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
    scalar: |d| u32::deserialize(d).map(Agents::Count),
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
