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

/// Each caller type of `sc` named like a log type, with its share of the
/// log's calls (the shares of the types present, summing to 1); one caller
/// type and no name in common: all calls are its. Otherwise an error names both sides.
fn caller_shares(
    calls: &[crate::logs::record::LoggedCall],
    sc: &crate::scenario::Scenario,
    log: &str,
    base: &str,
) -> Result<Vec<(String, f64)>, Failure> {
    let mut by_type: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
    for c in calls {
        *by_type.entry(c.caller.as_str()).or_insert(0.0) += 1.0;
    }
    let named: Vec<(String, f64)> =
        sc.callers.iter().filter_map(|c| by_type.get(c.name.as_str()).map(|n| (c.name.clone(), *n))).collect();
    let total: f64 = named.iter().map(|(_, n)| n).sum();
    if total > 0.0 {
        return Ok(named.into_iter().map(|(c, n)| (c, n / total)).collect());
    }
    if let [only] = sc.callers.as_slice() {
        return Ok(vec![(only.name.clone(), 1.0)]);
    }
    let list = |v: Vec<&str>| v.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    Err(bad(format!(
        "error: no caller type of {base} is named like a caller type of {log}\n  {base}: {}\n  {log}: {}\n  help: rename a caller type of the scenario after the log's",
        list(sc.callers.iter().map(|c| c.name.as_str()).collect()),
        list(by_type.keys().copied().collect())
    )))
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
        let inputs: Vec<&std::path::Path> =
            [Some(args.log.as_path()), args.scenario.as_deref()].into_iter().flatten().collect();
        Written::new(Some(out), &inputs)?;
        let day = args.day as usize - 1;
        let text = match &args.scenario {
            None => report::scenario_keys(&f, day, &log_name).map_err(|e| bad(format!("error: {e}")))?,
            Some(base) => {
                let loaded = crate::pipeline::load(base)?;
                let shares = caller_shares(&read.calls, &loaded.scenario, &log_name, &base.display().to_string())?;
                let text = report::into_scenario(&f, day, &loaded.text, &shares, &log_name)
                    .map_err(|e| bad(format!("error: {}: {e}", base.display())))?;
                // What is written must load: say why not rather than write a broken file.
                crate::scenario::load_str(&out.display().to_string(), &text).map_err(|e| {
                    bad(format!("error: the scenario written from {} would not load: {e:?}", base.display()))
                })?;
                text
            }
        };
        write_output(Some(out), &text)?;
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
