//! The fitted scenario as YAML text, commented so a reader sees where each
//! figure came from. Written by hand (not serialized) for the comments and
//! the layout of the bundled scenarios.

use std::fmt::Write;

use super::Fitted;
use super::distributions::{DurationFit, secs};
use super::staffing::AgentsRule;

/// Where the fit came from, for the header comment.
pub struct Provenance<'a> {
    pub log: &'a str,
    pub schema: &'a str,
    /// "all 23 days", "the 4 Mondays", ...
    pub days: String,
    /// The clock time of time 0, for dated logs ("07:00").
    pub opens: Option<String>,
    /// The service-level threshold (s) the planner gave (`fit --service-level`): no
    /// log records it; without it the scenario keeps the default.
    pub service_level: Option<f64>,
}

/// A duration in the scenario's syntax: `8h`, `7h30m`, `45m`, `12.5s`.
pub fn duration(s: f64) -> String {
    let whole = s.round();
    if s < 0.05 {
        return "0s".into();
    }
    if (s - whole).abs() > 1e-6 || whole < 60.0 {
        return secs(s).replace(".0s", "s");
    }
    let total = whole as u64;
    let (h, m, sec) = (total / 3600, (total % 3600) / 60, total % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if sec > 0 {
        out.push_str(&format!("{sec}s"));
    }
    if out.is_empty() { "0s".into() } else { out }
}

/// The best fitted family in scenario syntax, or a constant when too few values.
fn dist(f: &DurationFit) -> Option<String> {
    match f.best() {
        Some(c) => Some(c.family.to_scenario()),
        None if f.n > 0 => Some(secs(f.sample_mean)),
        None => None,
    }
}

/// Menu times under half a second are no menu at all.
const NO_MENU: f64 = 0.5;

pub fn yaml(f: &Fitted, from: &Provenance) -> String {
    let mut y = String::new();
    let iv = &f.intervals;
    let _ = writeln!(y, "# Fitted by `shop fit` from {} (schema {}), {}.", from.log, from.schema, from.days);
    match &from.opens {
        Some(o) => {
            let _ =
                writeln!(y, "# Time 0 is {o} on the log's clock; arrivals and staffing by {}.", duration(iv.length));
        }
        None => {
            let _ = writeln!(y, "# Arrivals and staffing by {}.", duration(iv.length));
        }
    }
    if let Some(t) = f.day_type.as_ref().filter(|t| !t.weekdays.is_empty()) {
        // Read back by `shop backtest`, which scores this scenario on these weekdays only.
        let _ = writeln!(y, "{}{}", super::day_types::COMMENT, t.label());
    }
    if let Some(t) = &f.trend {
        let _ = writeln!(
            y,
            "# Trend of the daily calls: {:+.2}% a day (t = {:.1}, {} days){}.",
            t.per_day * 100.0,
            t.t,
            t.days,
            if t.applied {
                format!("; arrivals scaled ×{:.3} to the trend's level on the last day fitted", t.scale)
            } else {
                ": not significant, arrivals are the mean over the days".into()
            }
        );
    }
    if let Some(c) = &f.calibration {
        let pct = |v: Option<f64>| v.map_or("—".into(), |x| format!("{:.1}%", x * 100.0));
        let s_ = |v: Option<f64>| v.map_or("—".into(), |x| format!("{x:.1}s"));
        let _ = writeln!(
            y,
            "# Calibrated (`shop fit --calibrate`): {} evaluation{} of {} replications on seed {} (common random numbers);\n\
             #   {} of {} {} service level within the log's noise (fitted: {});\n\
             #   whole day, log / fitted / calibrated: abandon {} / {} / {}, service level {} / {} / {}, mean wait {} / {} / {}.",
            c.evaluations,
            if c.evaluations == 1 { "" } else { "s" },
            c.replications,
            c.seed,
            c.within_after,
            c.intervals_scored,
            if c.pool_agents_fitted.is_empty() { "intervals'" } else { "pool-intervals' (each pool's own callers)" },
            c.within_before,
            pct(c.abandon_rate[0]),
            pct(c.abandon_rate[1]),
            pct(c.abandon_rate[2]),
            pct(c.service_level[0]),
            pct(c.service_level[1]),
            pct(c.service_level[2]),
            s_(c.wait_mean[0]),
            s_(c.wait_mean[1]),
            s_(c.wait_mean[2]),
        );
    }
    let _ = writeln!(y, "# Every figure is an estimate: `shop fit` prints how well each one fits.");
    let _ = writeln!(y, "name: {}", serde_json::to_string(&format!("Fitted from {}", from.log)).unwrap_or_default());
    let _ = writeln!(y, "seed: 1\nreplications: 20");
    let _ = writeln!(y, "horizon: {}", duration(iv.horizon()));
    // The fit's intervals and clock, so that `shop run` reports and `shop backtest`
    // compares by the same intervals at the same times of day.
    let _ = writeln!(y, "interval: {}", duration(iv.length));
    if let Some(o) = &from.opens {
        let _ = writeln!(y, "opens: \"{o}\"");
    }
    if let Some(t) = from.service_level {
        let _ = writeln!(y, "service_level: {}   # given with --service-level (no log records it)", duration(t));
    }
    let _ = writeln!(y, "\ncallers:");
    let fallback_handle = f
        .callers
        .iter()
        .filter(|c| c.handle.n > 0)
        .max_by_key(|c| c.handle.n)
        .and_then(|c| dist(&c.handle))
        .unwrap_or_else(|| "exp(5m)".into());
    for (ci, c) in f.callers.iter().enumerate() {
        let _ = writeln!(y, "  {}:", c.key);
        let _ = writeln!(
            y,
            "    arrivals:                     # {} first calls over {} day(s), redials not counted",
            c.first_calls,
            f.days.len()
        );
        let mut last: Option<String> = None;
        for (i, r) in c.arrivals.iter().enumerate() {
            let rate = format!("{:.3}/h", r);
            if last.as_ref() != Some(&rate) {
                let _ = writeln!(y, "      - {{ from: {}, rate: {rate} }}", duration(i as f64 * iv.length));
                last = Some(rate);
            }
        }
        let _ = writeln!(y, "    reasons: {{ {}: 1 }}", c.key);
        let scaled = f.calibration.as_ref().and_then(|cal| {
            let i = f.callers.iter().position(|x| x.key == c.key)?;
            let k = *cal.patience_scale.get(i)?;
            let before = (*cal.patience_fitted.get(i)?)?;
            ((k - 1.0).abs() > 1e-3).then_some((k, before))
        });
        if let Some((k, before)) = scaled {
            let _ = writeln!(
                y,
                "    # patience calibrated ×{k:.3} (fitted exp({})) to the log's abandon rate",
                secs(before)
            );
        }
        match (c.patience.exp_mean, c.patience.hung_up) {
            (Some(m), n) if c.patience.left_on_hearing > 0 => {
                let _ = writeln!(
                    y,
                    "    patience: \"exp({})\"         # {n} hang-ups, {} answered callers counted as censored, {} who left on hearing the wait counted as patience below it",
                    secs(m),
                    c.patience.censored,
                    c.patience.left_on_hearing
                );
            }
            (Some(m), n) => {
                let _ = writeln!(
                    y,
                    "    patience: \"exp({})\"         # {n} hang-ups, {} answered callers counted as censored",
                    secs(m),
                    c.patience.censored
                );
            }
            (None, 0) => {
                let _ = writeln!(y, "    # patience: nobody hung up on hold in the log: these callers never hang up");
            }
            (None, n) => {
                let _ = writeln!(
                    y,
                    "    # patience: not estimated: {n} hang-ups, but the holds bound no finite mean; give one (e.g. patience: exp(3m))"
                );
            }
        }
        if let Some(p) = c.priority.filter(|p| *p != 0) {
            let _ = writeln!(y, "    priority: {p}");
        }
        if let (Some(ch), Some(d)) = (c.redial.chance, c.redial.mean_delay) {
            if c.redial.redialed > 0 {
                let _ = writeln!(
                    y,
                    "    redial: {{ chance: {ch:.4}, after: \"exp({})\" }}   # {} of {} unanswered calls redialed",
                    secs(d),
                    c.redial.redialed,
                    c.redial.could_redial
                );
            }
        }
        let entry = if has_menu(c) { format!("{}_menu", c.key) } else { f.queue_of(ci).to_string() };
        let _ = writeln!(y, "    entry: {entry}");
    }
    if f.callers.iter().any(has_menu) {
        let _ = writeln!(y, "\nmenu:                             # the IVR: its time, and the calls that ended there");
        for (ci, c) in f.callers.iter().enumerate().filter(|(_, c)| has_menu(c)) {
            let _ = writeln!(y, "  {}_menu:", c.key);
            let d = dist(&c.menu).unwrap_or_else(|| "0s".into());
            let _ = writeln!(y, "    duration: \"{d}\"");
            if c.ended_in_menu > 0.0 {
                let _ = writeln!(
                    y,
                    "    resolves: {{ {}: {:.4} }}          # ended in the menu without queueing",
                    c.key, c.ended_in_menu
                );
            }
            let _ = writeln!(y, "    then: {}", f.queue_of(ci));
        }
    }
    let _ = writeln!(y, "\nqueues:");
    if !f.pools.is_empty() {
        return pools_yaml(y, f, &fallback_handle);
    }
    let pool = f.pool_of_one();
    for (ci, c) in f.callers.iter().enumerate() {
        let _ = writeln!(y, "  {}: {{ pools: [{pool}]{} }}", f.queue_of(ci), callback(c, f.callback_offer));
    }
    let _ = writeln!(y, "\npools:\n  {pool}:");
    let _ = writeln!(
        y,
        "    agents:                       # {}, mean over the days",
        match f.agents_rule {
            AgentsRule::Distinct if !f.agents_named => "the log names no agents: busy agents / 0.85 per interval",
            rule => rule.describe(),
        }
    );
    let mut last = None;
    let fitted_agents = f.calibration.as_ref().map(|c| &c.agents_fitted);
    let share = f.availability.unwrap_or(1.0);
    for (i, a) in f.agents.iter().enumerate() {
        let before = fitted_agents.and_then(|v| v.get(i)).copied().unwrap_or(a.agents);
        let moved = (before - a.agents).abs() > 0.05;
        let v = if f.availability.is_some() { (a.agents / share * 10.0).round() / 10.0 } else { a.agents };
        if last != Some(v) || moved {
            let line = format!("      - {{ from: {}, agents: {v:.1} }}", duration(i as f64 * iv.length));
            if moved {
                let on = if f.availability.is_some() { " on the phones" } else { "" };
                let _ = writeln!(y, "{line:<40}# calibrated {:+.1}{on} (fitted {before:.1})", a.agents - before);
            } else {
                let _ = writeln!(y, "{line}");
            }
            last = Some(v);
        }
    }
    if let Some(a) = f.availability {
        let _ = writeln!(y, "    availability: {a}                # {}", ON_DUTY);
    }
    let _ = writeln!(y, "    handle:");
    for c in &f.callers {
        let d = dist(&c.handle).unwrap_or_else(|| fallback_handle.clone());
        let how = match c.handle.best() {
            Some(b) => format!("# {} talks, KS distance {:.3}", c.handle.n, b.ks),
            None => "# too few answered calls: another type's".to_string(),
        };
        let _ = writeln!(y, "      {}: \"{d}\"   {how}", c.key);
    }
    y
}

/// Queues and pools when the log names several pools: each caller type's
/// queue reaches its pools in the order the log shows (an overflow pool after
/// its delay); each pool's agents are its own estimate (calibrated per pool,
/// with what moved as a comment).
fn pools_yaml(mut y: String, f: &Fitted, fallback_handle: &str) -> String {
    let iv = &f.intervals;
    for (ci, c) in f.callers.iter().enumerate() {
        let list = super::pools::queue_pools(&f.pools, &c.key);
        let items: Vec<String> =
            if list.is_empty() {
                vec![f.pools[0].key.clone()]
            } else {
                list.iter()
                    .map(|(p, after)| {
                        if *after > 0.0 {
                            format!("{{ pool: {p}, after: {} }}", duration(*after))
                        } else {
                            p.to_string()
                        }
                    })
                    .collect()
            };
        let _ =
            writeln!(y, "  {}: {{ pools: [{}]{} }}", f.queue_of(ci), items.join(", "), callback(c, f.callback_offer));
    }
    let _ = writeln!(y, "\npools:");
    for (pi, p) in f.pools.iter().enumerate() {
        let _ = writeln!(y, "  {}:", p.key);
        let _ = writeln!(
            y,
            "    agents:                       # {}, this pool's, mean over the days",
            f.agents_rule.describe()
        );
        let mut last = None;
        let fitted = f.calibration.as_ref().and_then(|c| c.pool_agents_fitted.get(pi));
        for (k, a) in p.agents.iter().enumerate() {
            let v = ((a.agents / p.availability.unwrap_or(1.0)) * 10.0).round() / 10.0;
            let before = fitted.and_then(|b| b.get(k)).copied().unwrap_or(a.agents);
            let moved = (before - a.agents).abs() > 0.05;
            if last != Some(v) || moved {
                let line = format!("      - {{ from: {}, agents: {v:.1} }}", duration(k as f64 * iv.length));
                if moved {
                    let on = if p.availability.is_some() { " on the phones" } else { "" };
                    let _ = writeln!(y, "{line:<40}# calibrated {:+.1}{on} (fitted {before:.1})", a.agents - before);
                } else {
                    let _ = writeln!(y, "{line}");
                }
                last = Some(v);
            }
        }
        if let Some(a) = p.availability {
            let _ = writeln!(y, "    availability: {a}                # {}", ON_DUTY);
        }
        let _ = writeln!(y, "    handle:");
        // Every reason a talk time: the types this pool never answered in the log take their own fit.
        for c in f.callers.iter().filter(|c| !p.serves.iter().any(|s| s.caller == c.key)) {
            let d = dist(&c.handle).unwrap_or_else(|| fallback_handle.to_string());
            let _ =
                writeln!(y, "      {}: \"{d}\"   # never answered by this pool in the log: the type's talks", c.key);
        }
        for s in &p.serves {
            let caller = f.callers.iter().find(|c| c.key == s.caller);
            let d = dist(&s.handle)
                .or_else(|| caller.and_then(|c| dist(&c.handle)))
                .unwrap_or_else(|| fallback_handle.to_string());
            let _ = writeln!(
                y,
                "      {}: \"{d}\"   # {} talks ({:.0}% of the type's answered calls{})",
                s.caller,
                s.handle.n,
                s.share * 100.0,
                if s.after > 0.0 { format!(", after {} on hold", duration(s.after)) } else { String::new() }
            );
        }
    }
    y
}

/// A queue's callback offer, when the log shows callers called back: the
/// offer's threshold is not in the log (`offer`: the default, 2m, or `fit
/// --callback-offer`), with the announced wait beside it when callers left on
/// hearing estimates below the threshold too; else the announced wait, when
/// callers left on hearing it.
fn callback(c: &super::CallerFit, offer: f64) -> String {
    match c.callback_accept {
        Some(a) => format!(
            ", callback: {{ offer_when_ewt_over: {}, accept: {a:.3} }}{}",
            duration(offer),
            if c.announces_wait() { ", announce_ewt: true" } else { "" }
        ),
        None if c.announces_wait() => ", announce_ewt: true".to_string(),
        None => String::new(),
    }
}

/// The comment beside a pool's `availability`, where a queue tells the wait.
const ON_DUTY: &str = "agents above are on duty (the distinct agents seen serving), on the phones this share of the time: the wait told counts agents on duty";

fn has_menu(c: &super::CallerFit) -> bool {
    c.menu.sample_mean >= NO_MENU || c.ended_in_menu > 0.0
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_as_the_scenario_writes_them() {
        assert_eq!(duration(8.0 * 3600.0), "8h");
        assert_eq!(duration(7.0 * 3600.0 + 1800.0), "7h30m");
        assert_eq!(duration(0.0), "0s");
        assert_eq!(duration(12.25), "12.2s");
    }
}
