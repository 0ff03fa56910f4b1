//! `shop backtest LOG SCENARIO`: read the log, simulate the scenario, bin the
//! log by the scenario's intervals (aligned by its `opens`), and report the
//! two side by side; or, with `--format shard`, write replications A..B and
//! the log's side for `shop merge`.

use super::Failure;
use crate::cli::{BacktestArgs, RunOrShardFormat};
use crate::logs::backtest::{LogSide, align, bin, clock, log_hash};
use crate::logs::fit::day_types;
use crate::logs::schema::{self, LogSchema};
use crate::output::{Written, pick_format};
use crate::pipeline::{SimOptions, load_one, simulate, simulate_range};
use crate::report::Format;
use crate::report::backtest::writer;
use crate::scenario::Loaded;
use crate::scenario::intervals::MAX_INTERVALS;
use crate::scenario::units::parse_duration;
use crate::stats::shard::{Shard, Source};
use crate::time::{SimDuration, human_secs};

pub fn run(args: &BacktestArgs) -> Result<(), Failure> {
    if args.format == Some(RunOrShardFormat::Shard) {
        return shard(args);
    }
    let out = Written::new(args.out.as_deref(), &[&args.log, &args.scenario])?;
    let format =
        pick_format(args.format.and_then(RunOrShardFormat::report), args.out.as_deref(), Format::from_extension)
            .unwrap_or(Format::Table);
    let opts = args.sim.options()?;
    let (loaded, side) = prepare(args, &opts)?;
    let runs = simulate(&loaded.scenario, &opts, &loaded.file)?;
    out.write(&writer(format).render(&side.backtest(&loaded.file, &loaded.scenario, &runs)))?;
    Ok(())
}

/// `--format shard`: replications A..B (or 0..N) of the scenario, shaped for
/// the log as the backtest shapes it, beside the log's side and its hash
/// (docs/shards.md); to a file or a pipe, never the terminal.
fn shard(args: &BacktestArgs) -> Result<(), Failure> {
    use std::io::IsTerminal;
    if args.out.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::Input(
            "error: --format shard with no --out: a shard is JSON for `shop merge`, not for a terminal\n  \
             help: add --out part-0.json"
                .into(),
        ));
    }
    let out = Written::new(args.out.as_deref(), &[&args.log, &args.scenario])?;
    let (opts, range) = args.sim.shard_options();
    let (loaded, side) = prepare(args, &opts)?;
    let last = match &args.last {
        Some(text) => Some(schema::parse_days("last", text).map_err(|e| Failure::Input(format!("error: {e}")))?),
        None => None,
    };
    let day_type = day_types::weekdays_of_scenario(&loaded.text);
    let hash = log_hash(&args.log, side.schema, side.interval, last, day_type.as_ref())?;
    let sc = &loaded.scenario;
    let reps = range.unwrap_or(0..sc.replications);
    let runs = simulate_range(sc, &opts, &loaded.file, reps.clone())?;
    let source = Source { file: loaded.file.clone(), text: loaded.text.clone() };
    out.write(&Shard::new(sc, source, reps, runs).backtest(hash, side).to_json())?;
    Ok(())
}

/// Reads the log and the scenario, and sets them side by side: the scenario
/// shaped for the log (`--interval`, a guessed `opens`) and the log's side
/// counted by its intervals, with the notes a reader needs.
fn prepare(args: &BacktestArgs, opts: &SimOptions) -> Result<(Loaded, LogSide), Failure> {
    let log_name = args.log.display().to_string();
    let log_schema = match args.schema {
        Some(s) => s.into(),
        None => schema::detect(&args.log)?,
    };
    let mut read = schema::read(&args.log, log_schema)?;
    // --last: only the log's last days are scored (those `fit --holdout` kept out).
    let mut last_note = None;
    if let Some(text) = &args.last {
        let n = schema::parse_days("last", text).map_err(|e| Failure::Input(format!("error: {e}")))?;
        let days = read.days().len();
        if n > days {
            return Err(Failure::Input(format!("error: --last {text}: {log_name} has only {days} day(s)")));
        }
        read.calls = read.split_last_days(n);
        last_note = Some(format!(
            "scored on the log's last {n} of {days} days only (--last {text}): the days `shop fit --holdout {n}d` kept out"
        ));
    }
    // A scenario fitted for a day type is scored on the log's days of that type only.
    let mut type_note = None;
    let scenario_text = std::fs::read_to_string(&args.scenario).unwrap_or_default();
    if let Some((name, weekdays)) = day_types::weekdays_of_scenario(&scenario_text) {
        let dated = read.calls.iter().any(|c| c.weekday.is_some());
        if dated {
            let before = read.days().len();
            read.calls.retain(|c| c.weekday.is_some_and(|w| weekdays.contains(&w)));
            let list: Vec<&str> = weekdays.iter().map(|&w| day_types::SHORT[w as usize % 7]).collect();
            type_note = Some(format!(
                "the scenario was fitted for day type `{name}` ({}): scored on the log's {} day(s) of that type, of {before}",
                list.join(" "),
                read.days().len()
            ));
            if read.calls.is_empty() {
                return Err(Failure::Input(format!(
                    "error: {log_name}: no call on the scenario's day type `{name}` ({}){}",
                    list.join(" "),
                    if args.last.is_some() { " among the days --last keeps" } else { "" }
                )));
            }
        }
    }
    if read.calls.is_empty() {
        let mut msg = format!("error: {log_name}: no usable call in {} rows", read.rows);
        for (r, c) in &read.skipped.by_reason {
            msg.push_str(&format!("\n  {} {}", c.rows, r.describe()));
        }
        return Err(Failure::Input(msg));
    }

    let mut loaded = load_one(&args.scenario, opts)?;
    let sc = &mut loaded.scenario;
    if let Some(text) = &args.interval {
        let length = match parse_duration(text) {
            Ok(s) if s >= 60.0 => s,
            Ok(_) => return Err(Failure::Input(format!("error: --interval {text}: must be at least 1m"))),
            Err(e) => return Err(Failure::Input(format!("error: --interval {text}: {e}"))),
        };
        sc.intervals.length = SimDuration::from_secs_f64(length);
        if sc.intervals.count() > MAX_INTERVALS {
            return Err(Failure::Input(format!(
                "error: --interval {text}: more than {MAX_INTERVALS} intervals in the scenario's day: choose a longer one"
            )));
        }
    }

    let clock_log = log_schema == LogSchema::AnonymousBank;
    let alignment = align(&read.calls, &sc.intervals, clock_log);
    let mut notes: Vec<String> = last_note.into_iter().chain(type_note).collect();
    if alignment.guessed {
        let t0 = clock(alignment.offset);
        notes.push(format!(
            "the scenario has no `opens`: its time 0 is taken as {t0} on the log's clock, the start of the log's \
             first interval (add `opens: \"{t0}\"` to the scenario to say so)"
        ));
        // `opens` only labels intervals: the simulation is the same.
        sc.intervals.opens = Some(alignment.offset as u32);
    }
    let binned = bin(&read.calls, &alignment, &sc.intervals, sc.service_level, clock_log)
        .map_err(|e| Failure::Input(format!("error: {log_name}: {e}")))?;
    let left_out = binned.before + binned.after;
    if left_out > 0 {
        let edge = |s: f64| match (clock_log, s > 0.0) {
            (true, _) => clock(alignment.offset + s),
            (false, true) => human_secs(s),
            (false, false) => "time 0".into(),
        };
        let share = left_out as f64 / read.calls.len() as f64;
        notes.push(format!(
            "{left_out} of the log's {} calls ({:.1}%) were dialed outside the scenario's day and are left out: \
             {} before {}, {} at or after {}{}",
            read.calls.len(),
            share * 100.0,
            binned.before,
            edge(0.0),
            binned.after,
            edge(sc.intervals.horizon.as_secs_f64()),
            if share > 0.2 {
                " — the log and the scenario cover different hours: check `opens` and `horizon`"
            } else {
                ""
            }
        ));
    }
    if sc.days > 1 {
        notes.push(format!(
            "the scenario chains {} days per replication: its counts are per day over replications × {}",
            sc.days, sc.days
        ));
    }
    let side = LogSide {
        log: log_name,
        schema: log_schema,
        rows: read.rows,
        used: read.calls.len(),
        skipped: read.skipped,
        binned,
        interval: sc.intervals.length,
        opens: sc.intervals.opens,
        time_zero: clock_log.then(|| clock(alignment.offset)),
        notes,
    };
    Ok((loaded, side))
}
