//! `shop fit LOG`: read a call log, fit a scenario to it, write the scenario
//! and report what was fitted, how well, and which rows were left out.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::Failure;
use crate::cli::{FitAgents, FitArgs, FitFormat, LogSchema};
use crate::logs::fit::scenario::{Provenance, yaml};
use crate::logs::fit::staffing::AgentsRule;
use crate::logs::fit::{FitOptions, Fitted, fit};
use crate::logs::record::LoggedCall;
use crate::logs::report::{self, Part};
use crate::logs::schema;
use crate::scenario::units::parse_duration;

const WEEKDAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

fn duration_flag(flag: &str, text: &str) -> Result<f64, Failure> {
    match parse_duration(text) {
        Ok(s) if s > 0.0 => Ok(s),
        Ok(_) => Err(Failure::Input(format!("error: --{flag} {text}: must be longer than zero"))),
        Err(e) => Err(Failure::Input(format!("error: --{flag} {text}: {e}"))),
    }
}

/// `fitted.yaml` → `fitted.mon.yaml`.
fn with_weekday(path: &Path, day: &str) -> PathBuf {
    let stem = path.file_stem().map_or_else(|| "fitted".into(), |s| s.to_string_lossy().into_owned());
    let ext = path.extension().map_or_else(|| "yaml".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}.{day}.{ext}"))
}

pub fn run(args: &FitArgs) -> Result<(), Failure> {
    let began = Instant::now();
    let interval = duration_flag("interval", &args.interval)?;
    if interval < 60.0 || 86_400.0 % interval > 1e-6 {
        return Err(Failure::Input(format!(
            "error: --interval {}: must be at least 1m and divide a day (15m, 30m, 1h, ...)",
            args.interval
        )));
    }
    let redial_window = duration_flag("redial-window", &args.redial_window)?;
    let log_name = args.log.display().to_string();
    let mut read = schema::read(&args.log, args.schema.into())?;
    let dated = args.schema == LogSchema::AnonymousBank;
    // --holdout: the last days are kept out of the fit, for `backtest --last`.
    let mut held_out = 0;
    if let Some(text) = &args.holdout {
        let n = schema::parse_days("holdout", text).map_err(|e| Failure::Input(format!("error: {e}")))?;
        let days = read.days().len();
        if n >= days {
            return Err(Failure::Input(format!(
                "error: --holdout {text}: {log_name} has {days} day(s); holding out {n} leaves none to fit
                   help: hold out fewer days than the log has"
            )));
        }
        read.split_last_days(n);
        held_out = n;
    }
    if read.calls.is_empty() {
        let mut msg = format!("error: {log_name}: no usable call in {} rows", read.rows);
        for (r, c) in &read.skipped.by_reason {
            msg.push_str(&format!("\n  {} {}", c.rows, r.describe()));
        }
        return Err(Failure::Input(msg));
    }
    if args.day_of_week && !dated {
        return Err(Failure::Input(format!(
            "error: --day-of-week: {log_name} is a `shop` log, whose days (replications) have no weekday\n  help: drop --day-of-week"
        )));
    }
    if args.day_of_week && args.out.is_none() {
        return Err(Failure::Input(
            "error: --day-of-week writes one scenario per weekday beside --out's: give --out FILE".into(),
        ));
    }
    let agents = match args.agents {
        FitAgents::Distinct => AgentsRule::Distinct,
        FitAgents::Busy => AgentsRule::Busy,
        FitAgents::BusyWhileWaiting => AgentsRule::BusyWhileWaiting,
    };
    let opts = FitOptions { interval, redial_window, agents };
    let schema_name = match args.schema {
        LogSchema::Shop => "shop",
        LogSchema::AnonymousBank => "anonymous-bank",
    };

    // The whole log, then (with --day-of-week) each weekday alone.
    let mut fits: Vec<(String, Option<&str>, Fitted)> = vec![("all days".into(), None, fit(&read.calls, &opts))];
    if args.day_of_week {
        for (wd, (short, long)) in WEEKDAYS.iter().enumerate() {
            let some: Vec<LoggedCall> = read.calls.iter().filter(|c| c.weekday == Some(wd as u8)).cloned().collect();
            if !some.is_empty() {
                fits.push((format!("{long}s"), Some(short), fit(&some, &opts)));
            }
        }
    }

    let mut written = Vec::new();
    let mut stdout_yaml = None;
    for (label, short, f) in &fits {
        let opens = dated.then(|| report::interval_label(f, 0, true).chars().take(5).collect());
        let held = if held_out > 0 {
            format!(", the log's last {held_out} held out (score them: shop backtest LOG SCENARIO --last {held_out}d)")
        } else {
            String::new()
        };
        let days = match label.as_str() {
            "all days" => format!("{} day(s){held}", f.days.len()),
            l => format!("the {} {l}{held}", f.days.len()),
        };
        let text = yaml(f, &Provenance { log: &log_name, schema: schema_name, days, opens });
        match (&args.out, short) {
            (Some(out), None) => {
                crate::output::write_output(Some(out), &text)?;
                written.push(Some(out.display().to_string()));
            }
            (Some(out), Some(day)) => {
                let p = with_weekday(out, day);
                crate::output::write_output(Some(&p), &text)?;
                written.push(Some(p.display().to_string()));
            }
            (None, None) => {
                stdout_yaml = Some(text);
                written.push(Some("standard output".into()));
            }
            (None, Some(_)) => written.push(None),
        }
    }
    let parts: Vec<Part> = fits
        .iter()
        .zip(written)
        .map(|((label, _, f), w)| Part { label: label.clone(), fitted: f, written: w })
        .collect();
    let rep = match args.format {
        FitFormat::Table => report::text(&log_name, &read, &parts, dated, began.elapsed().as_secs_f64()),
        FitFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report::json(&log_name, &read, &parts))
                .map_err(|e| Failure::Input(e.to_string()))?;
            s.push('\n');
            s
        }
    };
    match stdout_yaml {
        // The scenario owns standard output: the report goes to standard error.
        Some(y) => {
            eprint!("{rep}");
            crate::output::write_output(None, &y)?;
        }
        None => crate::output::write_output(None, &rep)?,
    }
    Ok(())
}
