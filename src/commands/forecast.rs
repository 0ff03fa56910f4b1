//! `shop forecast LOG`: read a call log, forecast the next days, print the
//! forecast and its held-out error, and write one day's scenario keys.

use super::Failure;
use crate::cli::{FitFormat, ForecastArgs};
use crate::logs::forecast::{Options, Series, forecast, report};
use crate::logs::schema;
use crate::output::{Written, write_output};
use crate::scenario::units::parse_duration;

fn bad(msg: String) -> Failure {
    Failure::Input(msg)
}

/// `7d`, `7` or `0` (none).
fn days_or_none(flag: &str, text: &str) -> Result<usize, Failure> {
    if matches!(text.trim(), "0" | "0d") {
        return Ok(0);
    }
    schema::parse_days(flag, text).map_err(|e| bad(format!("error: {e}")))
}

pub fn run(args: &ForecastArgs) -> Result<(), Failure> {
    let interval = match parse_duration(&args.interval) {
        Ok(s) if s >= 60.0 && (86_400.0 % s).abs() < 1e-6 => s,
        _ => {
            return Err(bad(format!(
                "error: --interval {}: must be at least 1m and divide a day (15m, 30m, 1h, ...)",
                args.interval
            )));
        }
    };
    let horizon = days_or_none("horizon", &args.horizon)?.max(1);
    let holdout = args.holdout.as_deref().map(|t| days_or_none("holdout", t)).transpose()?;
    if args.day as usize > horizon {
        return Err(bad(format!("error: --day {}: the forecast covers {horizon} day(s) (--horizon)", args.day)));
    }
    let log_name = args.log.display().to_string();
    let log_schema = match args.schema {
        Some(s) => s.into(),
        None => schema::detect(&args.log)?,
    };
    let read = schema::read(&args.log, log_schema)?;
    if read.calls.is_empty() {
        return Err(bad(format!("error: {log_name}: no usable call in {} rows", read.rows)));
    }
    let series = Series::new(&read.calls, interval);
    let f = forecast(&series, &Options { interval, holdout, horizon })
        .map_err(|e| bad(format!("error: {log_name}: {e}")))?;
    if let Some(out) = &args.out {
        if out.exists() && !args.force {
            return Err(bad(format!(
                "error: --out {}: the file exists; nothing was written\n  help: give another name, or --force to replace it",
                out.display()
            )));
        }
        Written::new(Some(out), &[&args.log])?;
        let keys =
            report::scenario_keys(&f, args.day as usize - 1, &log_name).map_err(|e| bad(format!("error: {e}")))?;
        write_output(Some(out), &keys)?;
    }
    let text = match args.format {
        FitFormat::Table => report::text(&f, &log_name),
        FitFormat::Json => serde_json::to_string_pretty(&f).map_err(|e| e.to_string())? + "\n",
    };
    write_output(None, &text)?;
    if let Some(out) = &args.out {
        eprintln!("wrote {} (forecast day {}: {})", out.display(), args.day, f.next[args.day as usize - 1].date);
    }
    Ok(())
}
