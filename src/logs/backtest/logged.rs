//! The log's side of a backtest, whole: the log as read, filtered and counted
//! by the scenario's intervals, and how the scenario was set for it. With the
//! simulation's replications it makes the report; a backtest shard carries
//! it, so `shop merge` needs neither the log nor a second reading of it.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Backtest, Binned, compare};
use crate::logs::record::Skipped;
use crate::logs::schema::LogSchema;
use crate::scenario::Scenario;
use crate::stats::collect::Runs;
use crate::time::SimDuration;

/// Everything a backtest report holds that does not come from the simulation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LogSide {
    /// The log as named on the command line.
    pub log: String,
    pub schema: LogSchema,
    /// Data rows read, and those used (the others counted in `skipped`).
    pub rows: u64,
    pub used: usize,
    pub skipped: Skipped,
    pub binned: Binned,
    /// The intervals' length compared (`--interval`, or the scenario's own).
    pub interval: SimDuration,
    /// The scenario's `opens` (guessed from the log when the scenario has none).
    pub opens: Option<u32>,
    /// Time 0 on the log's clock (`HH:MM`), for clock logs.
    pub time_zero: Option<String>,
    pub notes: Vec<String>,
}

impl LogSide {
    /// Sets the scenario as the backtest simulates it: its intervals' length
    /// and opening (the rest is the file's).
    pub fn shape(&self, sc: &mut Scenario) {
        sc.intervals.length = self.interval;
        sc.intervals.opens = self.opens;
    }

    /// The backtest of `runs`, the replications of `sc` (shaped by [`Self::shape`],
    /// loaded from `scenario_file`).
    pub fn backtest(self, scenario_file: &str, sc: &Scenario, runs: &Runs) -> Backtest {
        let (intervals, overall, error, dispersion) = compare(&self.binned, sc, runs);
        Backtest {
            log: self.log,
            schema: self.schema.name(),
            rows: self.rows,
            used: self.used,
            skipped: self.skipped,
            days: self.binned.days,
            scenario_file: scenario_file.to_string(),
            scenario: sc.name.clone(),
            seed: sc.seed,
            replications: runs.per_rep.len() as u32,
            days_per_replication: sc.days.max(1),
            interval: sc.intervals.length.as_secs_f64(),
            horizon: sc.horizon.as_secs_f64(),
            service_level_threshold: sc.service_level.as_secs_f64(),
            time_zero: self.time_zero,
            before: self.binned.before,
            after: self.binned.after,
            notes: self.notes,
            intervals,
            overall,
            error,
            dispersion,
        }
    }
}

/// What names the log side a backtest shard carries: a hash (64-bit FNV-1a,
/// as the scenario's) of the log file's bytes and of what chose and counted
/// its calls: the schema (detected or given), the intervals' length (the
/// scenario's or `--interval`), `--last`, and the day type a fitted
/// scenario names in its `# day type:` comment (which the scenario's own
/// hash, of the loaded model, does not see). Shards of different logs, or of
/// one log read differently, are not merged.
pub fn log_hash(
    path: &Path,
    schema: LogSchema,
    interval: SimDuration,
    last: Option<usize>,
    day_type: Option<&(String, Vec<u8>)>,
) -> Result<String, String> {
    let name = path.display();
    let mut file = std::fs::File::open(path).map_err(|e| format!("error: {name}: cannot read the log: {e}"))?;
    let mut h = Fnv1a64::default();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| format!("error: {name}: cannot read the log: {e}"))?;
        if n == 0 {
            break;
        }
        h.write(&buf[..n]);
    }
    let reading = format!("\0schema={}\0interval={}\0last={last:?}\0day_type={day_type:?}", schema.name(), interval.0);
    h.write(reading.as_bytes());
    Ok(format!("fnv1a64:{:016x}", h.0))
}

/// 64-bit FNV-1a, fed in pieces.
struct Fnv1a64(u64);

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a64 {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_follows_the_bytes_and_the_options() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, "dial,wait\n1,2\n").unwrap();
        std::fs::write(&b, "dial,wait\n1,3\n").unwrap();
        let half_hour = SimDuration::from_secs_f64(1800.0);
        let h = |p: &Path, i: SimDuration, l: Option<usize>| log_hash(p, LogSchema::Shop, i, l, None).unwrap();
        assert_eq!(h(&a, half_hour, None), h(&a, half_hour, None));
        assert_ne!(h(&a, half_hour, None), h(&b, half_hour, None));
        assert_ne!(h(&a, half_hour, None), h(&a, SimDuration::from_secs_f64(900.0), None));
        assert_ne!(h(&a, half_hour, None), h(&a, half_hour, Some(7)));
        assert_ne!(h(&a, half_hour, None), log_hash(&a, LogSchema::AnonymousBank, half_hour, None, None).unwrap());
        let saturday = ("saturday".to_string(), vec![5]);
        assert_ne!(h(&a, half_hour, None), log_hash(&a, LogSchema::Shop, half_hour, None, Some(&saturday)).unwrap());
        // The same algorithm as `name_key`, fed in pieces.
        let mut f = Fnv1a64::default();
        f.write(b"ab");
        f.write(b"c");
        assert_eq!(f.0, crate::scenario::model::name_key("abc"));
    }
}
