//! What `shop forecast` prints (a table or JSON) and what `--out` writes: the
//! `arrivals` and `volume_spread` of one forecast day, for a scenario.

use std::fmt::Write;

use super::Forecast;
use crate::report::layout::Section;
use crate::report::table::text_table;
use crate::report::{grouped, pct};
use crate::scenario::rewrite::offset;

fn calls(x: f64) -> String {
    grouped(x.max(0.0).round() as u128)
}

/// The table report.
pub fn text(f: &Forecast, log: &str) -> String {
    let mut out = format!(
        "shop forecast: {log}, {} days ({} to {}), {} calls\nMethod: {} (alpha {}, beta {}, gamma {}).\n",
        f.days_in_log,
        f.first_day,
        f.last_day,
        calls(f.calls as f64),
        f.method,
        f.alpha,
        f.beta,
        f.gamma
    );
    match &f.holdout {
        Some(h) => {
            let s = Section {
                title: String::new(),
                header: ["WAPE", "forecast", "seasonal naive"].map(String::from).to_vec(),
                rows: vec![
                    vec!["daily calls".into(), pct(h.wape_daily), pct(h.naive_wape_daily)],
                    vec!["interval calls".into(), pct(h.wape_interval), pct(h.naive_wape_interval)],
                ],
                worst: Vec::new(),
                note: None,
            };
            let _ = writeln!(
                out,
                "\nHeld out: the last {} days ({} to {}), forecast from the days before them; seasonal naive = {}.",
                h.days,
                h.first,
                h.last,
                if f.next.iter().any(|d| d.weekday.is_some()) {
                    "the same weekday of the last week fitted"
                } else {
                    "the last day fitted"
                }
            );
            out.push_str(&text_table(&s, false));
            out.push('\n');
            let better = h.wape_daily.zip(h.naive_wape_daily).is_some_and(|(a, b)| a < b);
            let _ = writeln!(
                out,
                "{}",
                if better {
                    "The forecast beats seasonal naive on the held-out days."
                } else {
                    "The forecast does NOT beat seasonal naive on the held-out days: plan from last week's volumes, or give a longer log."
                }
            );
        }
        None => {
            let _ =
                writeln!(out, "\nNo days held out (the log has under three weeks, or --holdout 0): no forecast error.");
        }
    }
    let _ = writeln!(
        out,
        "Residual spread: days vary {:.1}% around their expected volume beyond Poisson noise, the forecast's own error \
         taken out (volume_spread: {:.1}%).",
        f.volume_spread * 100.0,
        f.volume_spread * 100.0
    );
    let types = Section {
        title: String::new(),
        header: ["day type", "days in log", "mean calls"].map(String::from).to_vec(),
        rows: f.by_day_type.iter().map(|t| vec![t.day_type.clone(), t.days.to_string(), calls(t.mean_calls)]).collect(),
        worst: Vec::new(),
        note: None,
    };
    out.push_str("\nThe log's days\n");
    out.push_str(&text_table(&types, false));
    out.push('\n');
    let next = Section {
        title: String::new(),
        header: ["date", "weekday", "calls", "busiest interval"].map(String::from).to_vec(),
        rows: f
            .next
            .iter()
            .map(|d| {
                let (k, peak) =
                    d.intervals.iter().enumerate().fold((0, 0.0), |b, (k, v)| if *v > b.1 { (k, *v) } else { b });
                let from = k as f64 * f.interval;
                vec![
                    d.date.clone(),
                    d.weekday.unwrap_or("-").to_string(),
                    calls(d.calls),
                    if peak > 0.0 {
                        format!("{}–{}: {}", clock(from), clock(from + f.interval), calls(peak))
                    } else {
                        "-".into()
                    },
                ]
            })
            .collect(),
        worst: Vec::new(),
        note: None,
    };
    out.push_str("\nNext days\n");
    out.push_str(&text_table(&next, false));
    out.push('\n');
    out
}

fn clock(secs: f64) -> String {
    let m = (secs / 60.0).round() as u64;
    format!("{:02}:{:02}", m / 60 % 24, m % 60)
}

/// Forecast day `day` (0-based) written into the scenario `base` (its text):
/// the top-level `opens`, `horizon`, `interval` and `volume_spread` set, and
/// each caller type in `shares` (name → share of the log's calls) given its
/// share of the day's calls as its `arrivals` profile. Everything else of the
/// file is kept as written, comments included.
pub fn into_scenario(
    f: &Forecast,
    day: usize,
    base: &str,
    shares: &[(String, f64)],
    log: &str,
) -> Result<String, String> {
    use crate::scenario::rewrite::{set_list, set_top_scalar};
    let d = f.next.get(day).ok_or_else(|| format!("the forecast has {} days", f.next.len()))?;
    let first = d.intervals.iter().position(|v| *v > 0.0);
    let last = d.intervals.iter().rposition(|v| *v > 0.0);
    let (Some(first), Some(last)) = (first, last) else {
        return Err(format!(
            "{} is forecast to have no calls: nothing to write\n  help: pick a day with calls: --day N",
            d.date
        ));
    };
    let mut text = base.to_string();
    for (key, value) in [
        ("volume_spread", format!("{:.1}%", f.volume_spread * 100.0)),
        ("interval", offset(f.interval)),
        ("horizon", offset((last + 1 - first) as f64 * f.interval)),
        ("opens", format!("\"{}\"", clock(first as f64 * f.interval))),
    ] {
        text = set_top_scalar(&text, key, &value)?;
    }
    for (caller, share) in shares {
        let items: Vec<String> = d
            .intervals
            .iter()
            .enumerate()
            .take(last + 1)
            .skip(first)
            .map(|(k, v)| {
                let rate = v * share * 3600.0 / f.interval;
                format!("{{ from: {}, rate: {rate:.2}/h }}", offset((k - first) as f64 * f.interval))
            })
            .collect();
        text = set_list(&text, &["callers", caller, "arrivals"], &items)?;
    }
    let who: Vec<String> = shares.iter().map(|(c, s)| format!("{c} {:.0}%", s * 100.0)).collect();
    Ok(format!(
        "# Arrivals, opens, horizon, interval and volume_spread from `shop forecast {log}`: {}{}, {} calls ({}).\n{text}",
        d.date,
        d.weekday.map(|w| format!(" ({w})")).unwrap_or_default(),
        calls(d.calls),
        who.join(", ")
    ))
}

/// The `arrivals` and `volume_spread` of forecast day `day` (0-based), as
/// scenario keys: the profile from the day's first interval with calls
/// (`opens` at that clock time), a rate per interval.
pub fn scenario_keys(f: &Forecast, day: usize, log: &str) -> Result<String, String> {
    let d = f.next.get(day).ok_or_else(|| format!("the forecast has {} days", f.next.len()))?;
    let first = d.intervals.iter().position(|v| *v > 0.0);
    let last = d.intervals.iter().rposition(|v| *v > 0.0);
    let (Some(first), Some(last)) = (first, last) else {
        return Err(format!(
            "{} is forecast to have no calls: nothing to write\n  help: pick a day with calls: --day N",
            d.date
        ));
    };
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# `shop forecast {log}`: {}{}, {} calls forecast.",
        d.date,
        d.weekday.map(|w| format!(" ({w})")).unwrap_or_default(),
        calls(d.calls)
    );
    if let Some(h) = &f.holdout {
        let _ = writeln!(
            y,
            "# Held-out WAPE: daily {} (seasonal naive {}), interval {} (seasonal naive {}).",
            pct(h.wape_daily),
            pct(h.naive_wape_daily),
            pct(h.wape_interval),
            pct(h.naive_wape_interval)
        );
    }
    let _ = writeln!(
        y,
        "# Time 0 is {} on the log's clock: use these keys in a scenario with `opens: \"{}\"` and a horizon of {}.",
        clock(first as f64 * f.interval),
        clock(first as f64 * f.interval),
        offset((last + 1 - first) as f64 * f.interval)
    );
    let _ = writeln!(
        y,
        "# Calls include redials: lower them by the redial share `shop fit` reports if the scenario redials."
    );
    let _ = writeln!(y, "\n# At the top level of the scenario:");
    let _ = writeln!(y, "opens: \"{}\"", clock(first as f64 * f.interval));
    let _ = writeln!(y, "horizon: {}", offset((last + 1 - first) as f64 * f.interval));
    let _ = writeln!(y, "interval: {}", offset(f.interval));
    let _ = writeln!(y, "volume_spread: {:.1}%", f.volume_spread * 100.0);
    let _ = writeln!(
        y,
        "\n# Under the caller type (callers: NAME:), the whole day's calls; split it by share between several types:"
    );
    let _ = writeln!(y, "arrivals:");
    for (k, v) in d.intervals.iter().enumerate().take(last + 1).skip(first) {
        let rate = v * 3600.0 / f.interval;
        let _ = writeln!(y, "  - {{ from: {}, rate: {:.2}/h }}", offset((k - first) as f64 * f.interval), rate);
    }
    Ok(y)
}
