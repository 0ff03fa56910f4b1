//! `shop backtest LOG SCENARIO`: read the log, simulate the scenario, bin the
//! log by the scenario's intervals (aligned by its `opens`), and report the
//! two side by side.

use super::Failure;
use crate::cli::BacktestArgs;
use crate::logs::backtest::{Backtest, align, bin, clock, compare};
use crate::logs::fit::day_types;
use crate::logs::schema::{self, LogSchema};
use crate::output::{Written, pick_format};
use crate::pipeline::{load_one, simulate};
use crate::report::Format;
use crate::report::backtest::writer;
use crate::scenario::intervals::MAX_INTERVALS;
use crate::scenario::units::parse_duration;
use crate::time::{SimDuration, human_secs};

pub fn run(args: &BacktestArgs) -> Result<(), Failure> {
    let out = Written::new(args.out.as_deref(), &[&args.log, &args.scenario])?;
    let format =
        pick_format(args.format.map(Into::into), args.out.as_deref(), Format::from_extension).unwrap_or(Format::Table);
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

    let opts = args.sim.options()?;
    let mut loaded = load_one(&args.scenario, &opts)?;
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

    let runs = simulate(sc, &opts, &loaded.file)?;
    let (intervals, overall, error, dispersion) = compare(&binned, sc, &runs);
    let bt = Backtest {
        log: log_name,
        schema: match log_schema {
            LogSchema::Shop => "shop",
            LogSchema::AnonymousBank => "anonymous-bank",
        },
        rows: read.rows,
        used: read.calls.len(),
        skipped: read.skipped,
        days: binned.days,
        scenario_file: loaded.file.clone(),
        scenario: sc.name.clone(),
        seed: sc.seed,
        replications: sc.replications,
        days_per_replication: sc.days.max(1),
        interval: sc.intervals.length.as_secs_f64(),
        horizon: sc.horizon.as_secs_f64(),
        service_level_threshold: sc.service_level.as_secs_f64(),
        time_zero: clock_log.then(|| clock(alignment.offset)),
        before: binned.before,
        after: binned.after,
        notes,
        intervals,
        overall,
        error,
        dispersion,
    };
    out.write(&writer(format).render(&bt))?;
    Ok(())
}
