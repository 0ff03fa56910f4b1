//! `shop erlang`: queueing formulas, no simulation. Reads the flags, asks
//! [`crate::plan`] and prints; the formulas live there.

use super::Failure;
use crate::cli::ErlangArgs;
use crate::plan::erlang::{Figures, Line};
use crate::plan::target::{Goal, MAX_AGENTS, TARGET_FORMS, Target, fewest_agents};
use crate::report::erlang::ErlangReport;
use crate::scenario::units::{parse_duration, parse_rate};
use crate::time::human_secs;

/// The threshold of `service_level` when neither `--service-level` nor a target names one,
/// as in a scenario file.
const DEFAULT_THRESHOLD: f64 = 30.0;

/// Rows of the staffing table when neither `--agents` nor `--target` is given.
const TABLE_ROWS: usize = 12;

fn input_error(flag: &str, value: &str, message: &str) -> Failure {
    Failure::Input(format!("error: {flag} {value}: {message}"))
}

fn duration(flag: &str, text: &str) -> Result<f64, Failure> {
    let d = parse_duration(text).map_err(|e| input_error(flag, text, &e))?;
    if d <= 0.0 {
        return Err(input_error(flag, text, "must be longer than zero"));
    }
    Ok(d)
}

/// `120` for 120.0, `7.5` for 7.5.
fn number(x: f64) -> String {
    // A mistyped huge figure reads as a power of ten, not three hundred digits.
    if x.abs() >= 1e12 {
        return format!("{x:.3e}");
    }
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub fn run(args: &ErlangArgs) -> Result<(), Failure> {
    let rate = parse_rate(&args.rate).map_err(|e| {
        let n = args.rate.trim();
        let e = if n.parse::<f64>().is_ok() {
            format!("`{n}` has no time unit: write {n}/h for calls per hour or {n}/m per minute")
        } else {
            e
        };
        input_error("--rate", &args.rate, &e)
    })?;
    if rate <= 0.0 {
        return Err(input_error("--rate", &args.rate, "no calls arrive: give a positive rate"));
    }
    let handle = duration("--handle", &args.handle)?;
    let patience = args.patience.as_deref().map(|p| duration("--patience", p)).transpose()?;
    let line = Line { rate, handle, patience };
    let inputs = format!("{} calls/h × {}", number(rate * 3600.0), args.handle.trim());
    if line.load() >= f64::from(MAX_AGENTS) {
        return Err(input_error(
            "--rate",
            &args.rate,
            &format!(
                "{inputs} = {} erlangs, more than the {MAX_AGENTS} agents `shop erlang` plans for: check the units",
                number(line.load().round())
            ),
        ));
    }
    if let Some(p) = patience {
        if rate * p > 1.0e6 {
            return Err(input_error(
                "--patience",
                args.patience.as_deref().unwrap_or_default(),
                "more than a million calls arrive within one mean patience: check the units",
            ));
        }
    }
    let given = args.service_level.as_deref().map(|s| duration("--service-level", s)).transpose()?;
    let targets = args
        .targets
        .iter()
        .map(|t| {
            if let Some((scope, _)) = t.split_once(':') {
                let message = format!("`shop erlang` models one stream of calls: drop the scope `{}:`", scope.trim());
                return Err(Failure::Input(format!("error: --target {t}: {message}\n{TARGET_FORMS}")));
            }
            Target::parse(t, given.unwrap_or(DEFAULT_THRESHOLD))
                .map_err(|e| Failure::Input(format!("error: --target {e}\n{TARGET_FORMS}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let named = targets.iter().find_map(|t| match t.goal {
        Goal::ServiceLevel { within, .. } if t.text.contains('(') => Some(within),
        _ => None,
    });
    let threshold = given.or(named).unwrap_or(DEFAULT_THRESHOLD);
    let at = |c: u32| line.staffed(c).map(|s| s.figures(threshold));

    let mut report = ErlangReport {
        model: if patience.is_some() { "erlang_a" } else { "erlang_c" },
        rate_per_hour: rate * 3600.0,
        handle,
        patience,
        offered_load: line.load(),
        service_level_threshold: threshold,
        targets: targets.iter().map(|t| t.text.clone()).collect(),
        meets_targets: None,
        answer: None,
        one_fewer: None,
        rows: Vec::new(),
        inputs,
        verdict: Vec::new(),
    };
    if let Some(agents) = args.agents {
        let f = at(agents).ok_or_else(|| unstable(&report.inputs, line.load(), agents, line.min_agents()))?;
        report.answer = Some(f);
        report.rows = vec![f];
    } else if !targets.is_empty() {
        let n = fewest_agents(rate, handle, patience, &targets).map_err(|e| Failure::Input(format!("error: {e}")))?;
        let f = at(n).ok_or_else(|| Failure::Input(format!("error: no steady state at {n} agents")))?;
        let fewer = n.checked_sub(1).and_then(|m| line.staffed(m));
        report.verdict.push(format!("Fewest agents meeting {}: {n}.", report.targets.join(" and ")));
        report.verdict.push(match &fewer {
            Some(s) => {
                let missed: Vec<String> = targets
                    .iter()
                    .filter(|t| !t.met_by(s))
                    .map(|t| format!("{} ({})", t.text, shown(t, t.value(s))))
                    .collect();
                format!("With {}: misses {}.", n - 1, missed.join(", "))
            }
            None if n > 1 => format!("With {}: the queue grows without bound.", n - 1),
            None => "One agent is the fewest possible.".to_string(),
        });
        let fewer = fewer.map(|s| s.figures(threshold));
        report.meets_targets = Some(true);
        report.answer = Some(f);
        report.one_fewer = Some(fewer);
        report.rows = fewer.into_iter().chain([f]).collect();
    } else {
        report.rows = staffing_table(&line, threshold);
    }
    crate::output::write_output(args.out.as_deref(), &report.render(args.format.into()))?;
    Ok(())
}

/// A target's figure as the target writes it (a share in %, a time in its
/// human form), with enough decimals to tell it from the bound it misses
/// (89.996%, not 90.0%; 60.04s, not 1m 00s).
fn shown(t: &Target, v: f64) -> String {
    let (x, bound, unit) = match t.goal {
        Goal::WaitMean(b) | Goal::WaitQuantile { at_most: b, .. } if human_secs(v) != human_secs(b) => {
            return human_secs(v);
        }
        Goal::WaitMean(b) | Goal::WaitQuantile { at_most: b, .. } => (v, b, "s"),
        Goal::ServiceLevel { at_least: b, .. } | Goal::AbandonRate(b) | Goal::Occupancy(b) => {
            (v * 100.0, b * 100.0, "%")
        }
    };
    let digits = (1..=6).find(|&d| format!("{x:.d$}") != format!("{bound:.d$}")).unwrap_or(6);
    format!("{x:.digits$}{unit}")
}

/// Erlang C at or above capacity: say why and how many agents it takes.
fn unstable(inputs: &str, load: f64, agents: u32, needed: u32) -> Failure {
    Failure::Input(format!(
        "error: {inputs} = {load:.1} erlangs on {agents} agents: the queue grows without bound; at least {needed} agents needed\n  \
         help: give --agents {needed} or more, or --patience (callers who hang up keep the queue finite: Erlang A)"
    ))
}

/// The staffing table around the load: from the fewest agents with a steady state
/// (Erlang C) or a little under the load (Erlang A), until 99% are answered in time.
fn staffing_table(line: &Line, threshold: f64) -> Vec<Figures> {
    let start = match line.patience {
        Some(_) => ((line.load() * 0.9).floor() as u32).max(1),
        None => line.min_agents(),
    };
    let mut rows: Vec<Figures> = Vec::new();
    for c in start..=MAX_AGENTS {
        let Some(s) = line.staffed(c) else { continue };
        let f = s.figures(threshold);
        rows.push(f);
        if rows.len() >= TABLE_ROWS || (f.service_level >= 0.99 && rows.len() >= 5) {
            break;
        }
    }
    rows
}
