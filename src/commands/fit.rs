//! `shop fit LOG`: read a call log, fit a scenario to it, write the scenario
//! and report what was fitted, how well, and which rows were left out.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::Failure;
use crate::cli::{FitAgents, FitArgs, FitFormat};
use crate::logs::fit::day_types::{self, DayType};
use crate::logs::fit::scenario::{Provenance, yaml};
use crate::logs::fit::staffing::AgentsRule;
use crate::logs::fit::{FitOptions, Fitted, calibrate, fit};
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

/// A day type's file name in --out-dir: `weekdays`, `sat-sun`, `all-days`.
fn file_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
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
    let service_level = match &args.service_level {
        None => None,
        Some(s) => {
            let v = duration_flag("service-level", s)?;
            if !(1.0..=86_400.0).contains(&v) {
                return Err(Failure::Input(format!(
                    "error: --service-level {s}: give the threshold of answering in time, from 1s to 24h (e.g. 20s)"
                )));
            }
            Some(v)
        }
    };
    let log_name = args.log.display().to_string();
    let log_schema = match args.schema {
        Some(s) => s.into(),
        None => schema::detect(&args.log)?,
    };
    let mut read = schema::read(&args.log, log_schema)?;
    let dated = log_schema == schema::LogSchema::AnonymousBank;
    // --holdout: the last days are kept out of the fit, for `backtest --last`.
    let mut held_out = 0;
    if let Some(text) = &args.holdout {
        let n = schema::parse_days("holdout", text).map_err(|e| Failure::Input(format!("error: {e}")))?;
        let days = read.days().len();
        if n >= days {
            return Err(Failure::Input(format!(
                "error: --holdout {text}: {log_name} has {days} day(s); holding out {n} leaves none to fit\n  help: hold out fewer days than the log has"
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
        FitAgents::OnPhones => AgentsRule::OnPhones,
    };
    let callback_offer = match &args.callback_offer {
        None => crate::logs::fit::CALLBACK_OFFER,
        Some(s) => duration_flag("callback-offer", s)?,
    };
    let opts = FitOptions { interval, redial_window, agents, callback_offer };
    let schema_name = match log_schema {
        schema::LogSchema::Shop => "shop",
        schema::LogSchema::AnonymousBank => "anonymous-bank",
    };

    // The day types; the chosen one (the busiest by default) is fitted, then
    // (with --out-dir) every other, then (with --day-of-week) each weekday alone.
    let types = day_types::find(&read.calls, interval);
    let chosen = match &args.day_type {
        None => 0,
        Some(name) => types.iter().position(|t| t.name.eq_ignore_ascii_case(name.trim())).ok_or_else(|| {
            Failure::Input(format!(
                "error: --day-type {name}: {log_name} has no such day type; its types are {}",
                types.iter().map(|t| format!("`{}` ({})", t.name, t.weekday_list())).collect::<Vec<_>>().join(", ")
            ))
        })?,
    };
    let trend = day_types::trend(&read.calls, &types);
    let fit_type = |t: &DayType| -> Fitted {
        let some: Vec<LoggedCall> = read.calls.iter().filter(|c| t.holds(c)).cloned().collect();
        let mut f = fit(&some, &opts);
        f.day_type = Some(t.clone());
        f.follow_trend(trend.clone());
        f
    };
    let label_of = |t: &DayType| if types.len() == 1 { "all days".to_string() } else { t.label() };
    // (label, --day-of-week file suffix, --out-dir file, fit)
    let mut fits: Vec<(String, Option<&str>, Option<PathBuf>, Fitted)> = Vec::new();
    let main_file = args.out_dir.as_ref().map(|d| d.join(format!("{}.yaml", file_name(&types[chosen].name))));
    fits.push((label_of(&types[chosen]), None, main_file, fit_type(&types[chosen])));
    if let Some(dir) = &args.out_dir {
        if !dir.is_dir() {
            return Err(Failure::Input(format!("error: --out-dir {}: no such folder; create it first", dir.display())));
        }
        for t in types.iter().enumerate().filter(|(i, _)| *i != chosen).map(|(_, t)| t) {
            fits.push((label_of(t), None, Some(dir.join(format!("{}.yaml", file_name(&t.name)))), fit_type(t)));
        }
    }
    if args.day_of_week {
        for (wd, (short, long)) in WEEKDAYS.iter().enumerate() {
            let some: Vec<LoggedCall> = read.calls.iter().filter(|c| c.weekday == Some(wd as u8)).cloned().collect();
            if !some.is_empty() {
                fits.push((format!("{long}s"), Some(short), None, fit(&some, &opts)));
            }
        }
    }

    let mut written = Vec::new();
    let mut stdout_yaml = None;
    for (k, (label, short, in_dir, f)) in fits.iter_mut().enumerate() {
        let opens = dated.then(|| report::interval_label(f, 0, true).chars().take(5).collect());
        let held = if held_out > 0 {
            format!(", the log's last {held_out} held out (score them: shop backtest LOG SCENARIO --last {held_out}d)")
        } else {
            String::new()
        };
        let days = match (label.as_str(), &f.day_type) {
            ("all days", _) => format!("{} day(s){held}", f.days.len()),
            (_, Some(t)) if short.is_none() => format!("the {} day(s) of type {}{held}", f.days.len(), t.name),
            (l, _) => format!("the {} {l}{held}", f.days.len()),
        };
        let prov = Provenance { log: &log_name, schema: schema_name, days, opens, service_level };
        if args.calibrate && short.is_none() {
            let some: Vec<LoggedCall> = match &f.day_type {
                Some(t) => read.calls.iter().filter(|c| t.holds(c)).cloned().collect(),
                None => read.calls.clone(),
            };
            let threads = args.threads.map(|t| t as usize);
            calibrate::calibrate(f, &some, &|g: &Fitted| yaml(g, &prov), dated, threads).map_err(Failure::Input)?;
        }
        let text = yaml(f, &prov);
        let mut targets: Vec<PathBuf> = Vec::new();
        match (&args.out, short) {
            (Some(out), None) if k == 0 => targets.push(out.clone()),
            (Some(out), Some(day)) => targets.push(with_weekday(out, day)),
            _ => {}
        }
        if let Some(p) = in_dir {
            targets.push(p.clone());
        }
        if targets.is_empty() && k == 0 {
            stdout_yaml = Some(text.clone());
            written.push(Some("standard output".into()));
            continue;
        }
        for p in &targets {
            crate::output::write_output(Some(p), &text)?;
        }
        let names: Vec<String> = targets.iter().map(|p| p.display().to_string()).collect();
        written.push((!names.is_empty()).then(|| names.join(" and ")));
    }
    let parts: Vec<Part> = fits
        .iter()
        .zip(written)
        .map(|((label, _, _, f), w)| Part { label: label.clone(), fitted: f, written: w })
        .collect();
    let rep = match args.format {
        FitFormat::Table => report::text(&log_name, &read, &types, &parts, dated, began.elapsed().as_secs_f64()),
        FitFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report::json(&log_name, &read, &types, &parts))
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
