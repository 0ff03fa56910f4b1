//! What `shop fit` prints: what it fitted, how well, and which rows it left out.

use std::fmt::Write;

use serde_json::{Value, json};

use super::fit::Fitted;
use super::fit::calibrate::Calibration;
use super::fit::day_types::DayType;
use super::fit::scenario::duration;
use super::fit::staffing::AgentsRule;
use super::record::Skipped;
use super::schema::ReadLog;
use crate::time::human_secs;

/// One fit to report: its label ("all days", "Monday") and where it was written.
pub struct Part<'a> {
    pub label: String,
    pub fitted: &'a Fitted,
    pub written: Option<String>,
}

/// A duration in seconds in its one human form (`2m 45s`), or a dash.
fn opt_secs(v: Option<f64>) -> String {
    v.map_or("—".into(), human_secs)
}

/// The label of interval `i` of a fit: a clock time for dated logs.
pub fn interval_label(f: &Fitted, i: usize, dated: bool) -> String {
    let iv = &f.intervals;
    let (a, b) = (iv.start + i as f64 * iv.length, iv.start + (i + 1) as f64 * iv.length);
    if dated {
        let hm = |s: f64| format!("{:02}:{:02}", (s / 3600.0) as u64, ((s % 3600.0) / 60.0) as u64);
        format!("{}–{}", hm(a), hm(b))
    } else {
        let hm = |s: f64| format!("{}h{:02}", (s / 3600.0) as u64, ((s % 3600.0) / 60.0) as u64);
        format!("{}–{}", hm(a), hm(b))
    }
}

pub fn text(log: &str, read: &ReadLog, types: &[DayType], parts: &[Part], dated: bool, seconds: f64) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{log}: {} rows, {} used, {} skipped (read and fitted in {seconds:.2}s)",
        read.rows,
        read.calls.len(),
        read.skipped.total()
    );
    skipped_text(&mut t, &read.skipped);
    day_types_text(&mut t, types);
    for p in parts {
        let f = p.fitted;
        let _ = writeln!(t, "\n== {} ({} day(s)) ==", p.label, f.days.len());
        if let Some(w) = &p.written {
            let _ = writeln!(t, "Scenario written to {w}");
        }
        let _ = writeln!(
            t,
            "Day: {} from {}, intervals of {}",
            duration(f.intervals.horizon()),
            interval_label(f, 0, dated).split('–').next().unwrap_or_default(),
            duration(f.intervals.length)
        );
        if let Some(tr) = &f.trend {
            let _ = writeln!(
                t,
                "Trend of the daily calls: {:+.2}% a day (t = {:.1} over {} days): {}",
                tr.per_day * 100.0,
                tr.t,
                tr.days,
                if tr.applied {
                    format!("arrivals follow it, scaled ×{:.3} to its level on the last day fitted", tr.scale)
                } else {
                    "not significant (|t| ≤ 3 or fewer than 7 days): arrivals are the mean day".into()
                }
            );
        }
        let _ = writeln!(t, "\nArrivals (first calls; redials from repeated customer ids)");
        let _ = writeln!(
            t,
            "  {:<12} {:>8} {:>8} {:>10} {:>12} {:>10} {:>16}",
            "caller", "calls", "first", "per day", "peak rate/h", "in menu", "redial (delay)"
        );
        for c in &f.callers {
            let peak = c.arrivals.iter().copied().fold(0.0, f64::max);
            let redial = match (c.redial.chance, c.redial.mean_delay) {
                (Some(ch), Some(d)) => format!("{:.1}% ({})", ch * 100.0, human_secs(d.round())),
                (Some(ch), None) => format!("{:.1}%", ch * 100.0),
                _ => "no ids".into(),
            };
            let _ = writeln!(
                t,
                "  {:<12} {:>8} {:>8} {:>10.1} {:>12.1} {:>9.1}% {:>16}",
                c.name,
                c.calls,
                c.first_calls,
                c.first_calls as f64 / f.days.len().max(1) as f64,
                peak,
                c.ended_in_menu * 100.0,
                redial
            );
        }
        let _ = writeln!(t, "\nHandle time: maximum likelihood, best AIC first; KS = largest CDF gap");
        let mut means: Vec<String> = f.callers.iter().map(|c| human_secs(c.handle.sample_mean)).collect();
        crate::time::one_precision(&mut means);
        for (c, mean) in f.callers.iter().zip(&means) {
            let _ = write!(t, "  {:<12} n={:<7} mean {:>9}", c.name, c.handle.n, mean);
            if c.handle.zeros > 0 {
                let _ = write!(t, " ({} zero talks left out)", c.handle.zeros);
            }
            let _ = writeln!(t);
            for (k, cand) in c.handle.candidates.iter().enumerate() {
                let _ = writeln!(
                    t,
                    "      {} {:<11} {:<28} AIC {:>12.1}  KS {:.3}",
                    if k == 0 { "*" } else { " " },
                    cand.family.name(),
                    cand.family.to_scenario(),
                    cand.aic,
                    cand.ks
                );
            }
        }
        let _ = writeln!(
            t,
            "\nPatience: answered callers count as censored, not as patient{}",
            if f.calibration.is_some() { " (as fitted: calibration's scale is below)" } else { "" }
        );
        let _ = writeln!(
            t,
            "  {:<12} {:>8} {:>8} {:>10} {:>19} {:>11} {:>10} {:>10}",
            "caller", "queued", "hung up", "exp mean", "95% CI", "naive mean", "KM median", "exp median"
        );
        // The durations first, so that the table shows them at one precision.
        let mut cells: Vec<[String; 5]> = f
            .callers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let p = &c.patience;
                // The estimate the interval belongs to: before calibration scaled it
                // (the scaled mean is under "Calibration").
                let fitted_mean =
                    f.calibration.as_ref().and_then(|k| k.patience_fitted.get(i).copied()).unwrap_or(p.exp_mean);
                let ci = p.exp_mean_ci95.map_or("—".into(), |[a, b]| crate::time::human_interval(a, b));
                let km = match p.km_median {
                    Some(m) => human_secs(m),
                    None if p.queued > 0 => format!(">{}", human_secs(p.longest_wait)),
                    None => "—".into(),
                };
                [opt_secs(fitted_mean), ci, opt_secs(p.naive_mean), km, opt_secs(p.exp_median)]
            })
            .collect();
        crate::time::one_precision(cells.iter_mut().flatten());
        for (c, [mean, ci, naive, km, median]) in f.callers.iter().zip(&cells) {
            let p = &c.patience;
            let _ = writeln!(
                t,
                "  {:<12} {:>8} {:>8} {:>10} {:>19} {:>11} {:>10} {:>10}",
                c.name, p.queued, p.hung_up, mean, ci, naive, km, median
            );
        }
        for c in f.callers.iter().filter(|c| c.patience.left_on_hearing > 0) {
            let p = &c.patience;
            let _ = writeln!(
                t,
                "  {}: {} left on hearing the estimated wait (told {} on average, rebuilt from the log), counted as \
                 patience below it; {} who heard it and stayed, as patience above it. The fitted queue {}.",
                c.name,
                p.left_on_hearing,
                opt_secs(p.told_mean),
                p.told_and_stayed,
                if c.announces_wait() && c.callback_accept.is_some() {
                    "announces the wait (`announce_ewt`) and offers callbacks over the threshold"
                } else if c.announces_wait() {
                    "announces the wait (`announce_ewt`)"
                } else {
                    "states it with the callback offer"
                }
            );
        }
        let _ = writeln!(t, "\nMenu time");
        let mut means: Vec<String> = f.callers.iter().map(|c| human_secs(c.menu.sample_mean)).collect();
        crate::time::one_precision(&mut means);
        for (c, mean) in f.callers.iter().zip(&means) {
            let best = c.menu.best().map_or("—".into(), |b| format!("{} (KS {:.3})", b.family.to_scenario(), b.ks));
            let _ = writeln!(t, "  {:<12} mean {:>9}  {best}", c.name, mean);
        }
        let _ = writeln!(
            t,
            "\nAgents per interval (written: {}{})",
            f.agents_rule.describe(),
            if f.agents_rule == AgentsRule::Distinct && !f.agents_named {
                "; the log names no agents: busy / 0.85"
            } else {
                ""
            }
        );
        let _ = writeln!(
            t,
            "  {:<13} {:>9} {:>7} {:>19} {:>10}  written",
            "interval", "distinct", "busy", "busy while waiting", "on phones"
        );
        for (i, a) in f.agents.iter().enumerate() {
            let _ = writeln!(
                t,
                "  {:<13} {:>9.1} {:>7.1} {:>19.1} {:>10.1}  -> {:.1} agents",
                interval_label(f, i, dated),
                a.distinct,
                a.busy,
                a.busy_while_waiting,
                a.on_phones,
                a.agents
            );
        }
        if let Some(c) = &f.calibration {
            calibration_text(&mut t, f, c, dated);
        }
    }
    t
}

/// What `--calibrate` moved and how well the model then matches.
fn calibration_text(t: &mut String, f: &Fitted, c: &Calibration, dated: bool) {
    let pct = |v: Option<f64>| v.map_or("—".into(), |x| format!("{:.1}%", x * 100.0));
    let _ = writeln!(
        t,
        "\nCalibration: {} evaluation{} of {} replications, seed {} (common random numbers)",
        c.evaluations,
        if c.evaluations == 1 { "" } else { "s" },
        c.replications,
        c.seed
    );
    let _ = writeln!(
        t,
        "  service level within the log's noise in {} of {} {} (fitted: {})",
        c.within_after,
        c.intervals_scored,
        if c.pool_agents_fitted.is_empty() { "intervals" } else { "pool-intervals (each pool's own callers)" },
        c.within_before
    );
    // The noise band: how much more the log's days vary than single calls would.
    let spread: Vec<String> =
        c.day_spread.iter().map(|[k, w]| format!("×{k:.1} an interval, ×{w:.1} the day")).collect();
    if !spread.is_empty() {
        let _ = writeln!(
            t,
            "  the log's days vary more than independent calls would (service level variance {}){}: figures within that noise stay as fitted",
            spread.join("; "),
            if c.day_spread_measured {
                String::new()
            } else {
                format!(
                    ", assumed: the log has too few days to measure it ({} needed)",
                    crate::logs::fit::calibrate::MIN_DAYS
                )
            }
        );
    }
    let rows = [
        ("whole day", ["log", "fitted", "calibrated"].map(String::from)),
        ("abandon rate", c.abandon_rate.map(pct)),
        ("service level", c.service_level.map(pct)),
        ("mean wait", {
            let mut waits = c.wait_mean.map(opt_secs);
            crate::time::one_precision(&mut waits);
            waits
        }),
    ];
    for (label, [log, fitted, calibrated]) in rows {
        let _ = writeln!(t, "  {label:<14} {log:>9} {fitted:>9} {calibrated:>11}");
    }
    let moved = |now: &[crate::logs::fit::staffing::AgentsSeen], before: &[f64]| -> Vec<String> {
        now.iter()
            .zip(before)
            .enumerate()
            .filter(|(_, (a, b))| (a.agents - **b).abs() > 0.05)
            .map(|(i, (a, b))| format!("{} {b:.1} -> {:.1}", interval_label(f, i, dated), a.agents))
            .collect()
    };
    // One pool: its agents per interval; several: each pool's, on the phones.
    let lists: Vec<(String, Vec<String>)> = if c.pool_agents_fitted.is_empty() {
        vec![(String::new(), moved(&f.agents, &c.agents_fitted))]
    } else {
        f.pools
            .iter()
            .zip(&c.pool_agents_fitted)
            .map(|(p, before)| (format!(" of {}", p.name), moved(&p.agents, before)))
            .collect()
    };
    for (whose, list) in lists {
        let _ = writeln!(
            t,
            "  agents{whose} moved in {} of {} intervals{}",
            list.len(),
            f.agents.len(),
            if list.is_empty() { "" } else { ":" }
        );
        for m in list {
            let _ = writeln!(t, "    {m}");
        }
    }
    for (i, cf) in f.callers.iter().enumerate() {
        if let (Some(k), Some(Some(m))) = (c.patience_scale.get(i), c.patience_fitted.get(i)) {
            let (from, to) = crate::time::human_pair(*m, m * k);
            let _ = writeln!(t, "  patience of {}: ×{k:.3} ({from} -> {to})", cf.name);
        }
    }
}

/// The day types found: name, weekdays, days in the log, mean calls a day.
fn day_types_text(t: &mut String, types: &[DayType]) {
    let _ = writeln!(
        t,
        "\nDay types (weekdays merged unless their volumes or intraday profiles differ; the first is fitted unless --day-type):"
    );
    let _ = writeln!(t, "  {:<14} {:<30} {:>6} {:>12}", "type", "weekdays", "days", "calls/day");
    for d in types {
        let _ = writeln!(t, "  {:<14} {:<30} {:>6} {:>12.1}", d.name, d.weekday_list(), d.days.len(), d.mean_calls);
    }
}

/// Rows left out, by reason, with the first lines of each (also `backtest`'s).
pub fn skipped_text(t: &mut String, s: &Skipped) {
    if s.total() == 0 {
        let _ = writeln!(t, "No rows skipped.");
        return;
    }
    let _ = writeln!(t, "Skipped rows, by reason:");
    for (reason, c) in &s.by_reason {
        let lines: Vec<String> = c.examples.iter().map(|(l, d)| format!("line {l}: {d}")).collect();
        let _ = writeln!(
            t,
            "  {:<20} {:>7}   e.g. {}{}",
            reason.describe(),
            c.rows,
            lines.join("; "),
            if c.rows > c.examples.len() as u64 { "; ..." } else { "" }
        );
    }
}

/// Rows left out as JSON: `[{reason, rows, examples: [{line, detail}]}]`.
pub fn skipped_json(s: &Skipped) -> Value {
    s.by_reason
        .iter()
        .map(|(r, c)| {
            json!({
                "reason": r.describe(),
                "rows": c.rows,
                "examples": c.examples.iter().map(|(l, d)| json!({"line": l, "detail": d})).collect::<Vec<_>>(),
            })
        })
        .collect()
}

pub fn json(log: &str, read: &ReadLog, types: &[DayType], parts: &[Part]) -> Value {
    let skipped = skipped_json(&read.skipped);
    let fits: Vec<Value> = parts
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p.fitted).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("label".into(), json!(p.label));
                m.insert("written".into(), json!(p.written));
            }
            v
        })
        .collect();
    let types: Vec<Value> = types
        .iter()
        .map(|d| {
            json!({
                "name": d.name,
                "weekdays": d.weekdays.iter().map(|&w| super::fit::day_types::SHORT[w as usize % 7]).collect::<Vec<_>>(),
                "days": d.days.len(),
                "mean_calls": d.mean_calls,
            })
        })
        .collect();
    json!({ "log": log, "rows": read.rows, "used": read.calls.len(), "skipped": skipped, "day_types": types, "fits": fits })
}
