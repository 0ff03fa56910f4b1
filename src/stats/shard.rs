//! Shards: the statistics of replications A..B of one scenario and seed
//! (`shop run|compare|backtest ... --replications A..B --format shard`),
//! written so that `shop merge` can pool any set of them exactly. Pooling is integer addition
//! (counts, tick sums, histogram buckets) and each replication's frozen
//! quantiles are kept to the bit, so the merge of shards covering 0..N is the
//! run of N replications, byte for byte, whatever the split and order.
//!
//! A shard also carries the scenario file's text (the merge renders the
//! report from it) and what makes two shards compatible: the shard format,
//! the version of `shop` that wrote it, and a hash of the loaded scenario with
//! its seed (see [`scenario_hash`]). A backtest's shard also carries the
//! log's side whole and a hash of the log and of what read it
//! ([`log_hash`](crate::logs::backtest::log_hash)); shards of one backtest
//! hold the same log side, and the merge takes the first shard's (its name
//! of the log included).

use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::collect::Runs;
use crate::logs::backtest::LogSide;
use crate::scenario::Scenario;
use crate::scenario::model::name_key;

/// The shard layout this `shop` writes and reads (2: backtest shards, with
/// the log's side).
pub const SHARD_FORMAT: u32 = 2;

/// The version of `shop` writing the shard: shards merge only with their own
/// version's (another version may simulate or report differently).
pub const SHOP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Replications `start..end` (end excluded), as written in a shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn range(self) -> Range<u32> {
        self.start..self.end
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// The scenario file as the shard's run read it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Source {
    /// The file as named on the command line (its stem is the default scenario name).
    pub file: String,
    pub text: String,
}

/// What says whether shards can be merged: read first, without the statistics.
#[derive(Debug, Deserialize)]
struct Header {
    #[serde(rename = "shop-shard")]
    format: u32,
    shop_version: String,
}

/// One shard, as written.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Shard {
    #[serde(rename = "shop-shard")]
    pub format: u32,
    pub shop_version: String,
    /// [`scenario_hash`] of the scenario the shard simulated.
    pub scenario_hash: String,
    pub seed: u64,
    pub replications: Span,
    pub scenario: Source,
    /// Replications `replications`: pooled, and each one frozen, in order.
    pub runs: Runs,
    /// A `compare` shard's design B (the top-level scenario and runs are A's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versus: Option<Versus>,
    /// A `backtest` shard's log side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backtest: Option<Logged>,
}

/// The log's side of a `backtest` shard, and what names the log and the
/// options that read it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Logged {
    /// [`log_hash`](crate::logs::backtest::log_hash): of the log file and of what read it.
    pub log_hash: String,
    pub side: LogSide,
}

/// Design B of a `compare` shard: its scenario, hash and runs (same seed and
/// replications as design A's).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Versus {
    pub scenario: Source,
    pub scenario_hash: String,
    pub runs: Runs,
}

/// Identifies what a run simulates: a hash (64-bit FNV-1a) of the loaded
/// scenario, seed included and the number of replications left out (shards
/// differ in it). The loaded model, not the file's text: comments and layout
/// do not matter, and `--seed` does.
pub fn scenario_hash(sc: &Scenario) -> String {
    let mut model = sc.clone();
    model.replications = 0;
    format!("fnv1a64:{:016x}", name_key(&format!("{model:?}")))
}

impl Shard {
    /// The shard of `runs`, replications `reps` of `sc` (loaded from `source`).
    pub fn new(sc: &Scenario, source: Source, reps: Range<u32>, runs: Runs) -> Shard {
        Shard {
            format: SHARD_FORMAT,
            shop_version: SHOP_VERSION.to_string(),
            scenario_hash: scenario_hash(sc),
            seed: sc.seed,
            replications: Span { start: reps.start, end: reps.end },
            scenario: source,
            runs,
            versus: None,
            backtest: None,
        }
    }

    /// A `backtest` shard: the log's side, and the hash of the log and its options.
    pub fn backtest(mut self, log_hash: String, side: LogSide) -> Shard {
        self.backtest = Some(Logged { log_hash, side });
        self
    }

    /// A `compare` shard: design B's `runs` of the same replications, beside A's.
    pub fn versus(mut self, sc: &Scenario, source: Source, runs: Runs) -> Shard {
        self.versus = Some(Versus { scenario: source, scenario_hash: scenario_hash(sc), runs });
        self
    }

    /// The shard as JSON (one line: shards are for `shop merge`, not for reading).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a shard, refusing another shard format or `shop` version first.
    pub fn read(path: &Path) -> Result<Shard, String> {
        let name = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| format!("error: {name}: cannot read the shard: {e}"))?;
        let not_shard = |e: serde_json::Error| {
            format!("error: {name}: not a shard of `shop run|compare|backtest --format shard` ({e})")
        };
        let header: Header = serde_json::from_str(&text).map_err(not_shard)?;
        if header.format != SHARD_FORMAT {
            return Err(format!(
                "error: {name}: shard format {}, this shop reads format {SHARD_FORMAT}\n  \
                 help: merge with the shop (version {}) that wrote the shards, or run them again",
                header.format, header.shop_version
            ));
        }
        if header.shop_version != SHOP_VERSION {
            return Err(format!(
                "error: {name}: written by shop {}, this is shop {SHOP_VERSION}: versions may simulate or report differently\n  \
                 help: merge with shop {} (the one that ran the shards), or run the shards again with this one",
                header.shop_version, header.shop_version
            ));
        }
        let shard: Shard = serde_json::from_str(&text).map_err(not_shard)?;
        let reps = shard.replications;
        let held = [Some(&shard.runs), shard.versus.as_ref().map(|v| &v.runs)];
        for runs in held.into_iter().flatten() {
            if reps.start >= reps.end || runs.per_rep.len() != (reps.end - reps.start) as usize {
                return Err(format!(
                    "error: {name}: says replications {reps} but holds {}: the shard is damaged",
                    runs.per_rep.len()
                ));
            }
        }
        Ok(shard)
    }
}

/// Shards joined into one run of replications `0..N`.
#[derive(Debug)]
pub struct Joined {
    pub scenario: Source,
    pub scenario_hash: String,
    pub seed: u64,
    pub runs: Runs,
    /// Design B, for shards of `compare`.
    pub versus: Option<Versus>,
    /// The log's side, for shards of `backtest`.
    pub backtest: Option<Logged>,
}

impl Shard {
    /// What the shard is of: "run FILE", "compare A B" or "backtest LOG FILE".
    fn what(&self) -> String {
        match (&self.versus, &self.backtest) {
            (Some(v), _) => format!("compare {} {}", self.scenario.file, v.scenario.file),
            (None, Some(b)) => format!("backtest {} {}", b.side.log, self.scenario.file),
            (None, None) => format!("run {}", self.scenario.file),
        }
    }

    fn log_hash(&self) -> Option<&str> {
        self.backtest.as_ref().map(|b| b.log_hash.as_str())
    }
}

/// Joins shards (given in any order, each with the file it came from) into
/// the run of their replications. They must share scenario and seed, and
/// cover `0..N` exactly: an overlap would count replications twice, and a
/// gap (or a start above 0) would give figures no single run reports.
pub fn join(mut shards: Vec<(String, Shard)>) -> Result<Joined, String> {
    let Some((first_file, first)) = shards.first() else {
        return Err("error: no shards to merge".into());
    };
    for (file, s) in &shards[1..] {
        let hashes = |s: &Shard| (s.scenario_hash.clone(), s.versus.as_ref().map(|v| v.scenario_hash.clone()));
        if let (Some(a), Some(b)) = (&s.backtest, &first.backtest) {
            if a.log_hash != b.log_hash {
                return Err(format!(
                    "error: {file} and {first_file} are shards of backtests of different logs, or of one log read \
                     differently: `{}` ({}) and `{}` ({})\n  \
                     help: merge the shards of one log, read with the same --schema, --interval and --last \
                     (and a scenario fitted for the same day type)",
                    a.side.log, a.log_hash, b.side.log, b.log_hash
                ));
            }
        }
        if hashes(s) != hashes(first) || s.seed != first.seed || s.log_hash() != first.log_hash() {
            return Err(format!(
                "error: {file} and {first_file} are shards of different runs: `{}` with seed {} ({}) and `{}` with seed {} ({})\n  \
                 help: merge the shards of one scenario and seed (the same file and --seed for every shard)",
                s.what(),
                s.seed,
                s.scenario_hash,
                first.what(),
                first.seed,
                first.scenario_hash
            ));
        }
    }
    shards.sort_by_key(|(_, s)| (s.replications.start, s.replications.end));
    let mut next = 0u32;
    let mut last_file = String::new();
    for (file, s) in &shards {
        let r = s.replications;
        if r.start < next {
            return Err(format!(
                "error: {file} (replications {r}) overlaps {last_file} (up to {next}): replications {}..{} would count twice\n  \
                 help: merge shards whose ranges do not overlap",
                r.start,
                next.min(r.end)
            ));
        }
        if r.start > next {
            return Err(format!(
                "error: replications {next}..{} are in none of the shards: the merge would not be the report of one run\n  \
                 help: run the missing shard (`shop {} --replications {next}..{} --format shard --out ...`) and merge it too",
                r.start,
                s.what(),
                r.start
            ));
        }
        next = r.end;
        last_file.clone_from(file);
    }
    let mut shards = shards.into_iter().map(|(_, s)| s);
    let Some(head) = shards.next() else {
        return Err("error: no shards to merge".into());
    };
    let (scenario, scenario_hash, seed, mut runs, mut versus, backtest) =
        (head.scenario, head.scenario_hash, head.seed, head.runs, head.versus, head.backtest);
    for s in shards {
        runs.extend(s.runs);
        if let (Some(v), Some(more)) = (&mut versus, s.versus) {
            v.runs.extend(more.runs);
        }
    }
    Ok(Joined { scenario, scenario_hash, seed, runs, versus, backtest })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::collect::RepStats;

    fn shard(seed: u64, from: u32, to: u32) -> (String, Shard) {
        let text = "start: q\ncallers:\n  c: { arrivals: 2/m }\nqueues:\n  q: { pools: [team] }\npools:\n  team: { agents: 3, handle: exp(3m) }\n";
        let mut sc = crate::scenario::load_str("tiny.yaml", text).unwrap().scenario;
        sc.seed = seed;
        let runs = Runs::from_reps((from..to).map(|_| RepStats::new(1, 1, 1, 2, false)).collect());
        let source = Source { file: "tiny.yaml".into(), text: text.into() };
        (format!("part-{from}.json"), Shard::new(&sc, source, from..to, runs))
    }

    #[test]
    fn shards_join_in_replication_order_whatever_the_order_given() {
        let joined = join(vec![shard(1, 3, 5), shard(1, 0, 1), shard(1, 1, 3)]).unwrap();
        assert_eq!(joined.runs.per_rep.len(), 5);
        assert_eq!(joined.seed, 1);
    }

    #[test]
    fn overlaps_gaps_and_other_seeds_are_named() {
        let err = |s: Vec<(String, Shard)>| join(s).unwrap_err();
        assert!(err(vec![shard(1, 0, 3), shard(1, 2, 4)]).contains("replications 2..3 would count twice"));
        assert!(err(vec![shard(1, 0, 2), shard(1, 3, 4)]).contains("replications 2..3 are in none"));
        assert!(err(vec![shard(1, 1, 2)]).contains("replications 0..1 are in none"));
        assert!(err(vec![shard(1, 0, 2), shard(2, 2, 4)]).contains("different runs"));
        assert!(err(vec![]).contains("no shards"));
    }

    #[test]
    fn the_hash_follows_the_seed_not_the_replications() {
        let (_, a) = shard(1, 0, 2);
        let (_, b) = shard(1, 5, 9);
        let (_, c) = shard(2, 0, 2);
        assert_eq!(a.scenario_hash, b.scenario_hash);
        assert_ne!(a.scenario_hash, c.scenario_hash);
    }
}
