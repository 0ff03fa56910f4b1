//! `shop journey FILE`: the mystery shopper. Narrates simulated calls step by
//! step, the first ones of the day or (`--worst N`) the longest waits of the
//! very run `shop run` reports with the same file, seed and replications: holds,
//! and for emails and accepted callbacks the wait for an agent (see `crate::journey`).

use super::Failure;
use crate::cli::{JourneyArgs, JourneyFormat};
use crate::journey::narrate::{self, Told};
use crate::journey::{Filter, RecordedJourney, Recorder};
use crate::pipeline::{load_one, simulate, worst_journeys};
use crate::scenario::error::did_you_mean;
use crate::scenario::paths::reasons_of;
use crate::scenario::{CallerTypeId, ReasonId, Scenario};
use crate::sim::engine;
use crate::stats::Report;

pub fn run(args: &JourneyArgs) -> Result<(), Failure> {
    let out = crate::output::Written::new(args.out.as_deref(), &[&args.file])?;
    let opts = args.sim.options()?;
    let loaded = load_one(&args.file, &opts)?;
    let sc = &loaded.scenario;
    let filter = filter(sc, args, &loaded.file)?;
    let label = loaded.file.as_str();

    let (report, picked) = match args.worst {
        Some(n) => {
            let (runs, worst) = worst_journeys(sc, &opts, label, filter, n as usize)?;
            (Report::build(sc, &runs), worst.into_iter().map(|(j, h)| (j, Some(h))).collect::<Vec<_>>())
        }
        None => {
            let report = Report::build(sc, &simulate(sc, &opts, label)?);
            (report, first(sc, filter, args.count as usize).into_iter().map(|j| (j, None)).collect())
        }
    };
    let told: Vec<Told> = picked
        .iter()
        .enumerate()
        .map(|(i, (j, long))| Told { journey: j, rank: long.map(|_| i + 1), worst: *long })
        .collect();

    let wanted = args.worst.unwrap_or(args.count) as usize;
    let what = describe(sc, filter);
    if told.len() < wanted && args.worst.is_none() {
        eprintln!(
            "note: only {} of the {wanted} journeys asked for: that is all {what} in {} replication(s)",
            told.len(),
            sc.replications
        );
    }
    let text = match args.format {
        JourneyFormat::Json => {
            let selection = if args.worst.is_some() { "worst" } else { "first" };
            let v = narrate::json(sc, &report, &told, selection);
            let mut s = serde_json::to_string_pretty(&v).map_err(|e| Failure::Input(e.to_string()))?;
            s.push('\n');
            s
        }
        JourneyFormat::Text => {
            if told.is_empty() {
                match args.worst {
                    Some(_) => format!(
                        "None of the {what} waited for an agent in this run: nobody was on hold, no email was started, no callback was made.\n"
                    ),
                    None => format!("None of the {what} called in this run.\n"),
                }
            } else {
                narrate::text(sc, &report, &told)
            }
        }
    };
    out.write(&text)?;
    Ok(())
}

/// "callers", "consumer callers about billing", ...
fn describe(sc: &Scenario, f: Filter) -> String {
    let mut s = match f.caller {
        Some(c) => format!("{} callers", sc.callers[c.index()].name),
        None => "callers".to_string(),
    };
    if let Some(r) = f.reason {
        s.push_str(&format!(" about {}", sc.reasons[r.index()]));
    }
    s
}

/// Checks `--caller` and `--reason` against the file.
fn filter(sc: &Scenario, args: &JourneyArgs, file: &str) -> Result<Filter, Failure> {
    let unknown = |flag: &str, name: &str, known: Vec<&str>| {
        let hint = match did_you_mean(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? "),
            None => String::new(),
        };
        Failure::Input(format!(
            "error: --{flag} {name}: no such {flag} in {file}\n  help: {hint}{flag}s in this file: {}",
            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ))
    };
    let caller = match &args.caller {
        Some(name) => Some(
            sc.caller_id(name)
                .ok_or_else(|| unknown("caller", name, sc.callers.iter().map(|c| c.name.as_str()).collect()))?,
        ),
        None => None,
    };
    let reason = match &args.reason {
        Some(name) => Some(
            sc.reason_id(name)
                .ok_or_else(|| unknown("reason", name, sc.reasons.iter().map(String::as_str).collect()))?,
        ),
        None => None,
    };
    if let (Some(c), Some(r)) = (caller, reason) {
        if !calls_about(sc, c, r) {
            let ct = &sc.callers[c.index()];
            let theirs: Vec<String> =
                reasons_of(sc, c).iter().map(|r| format!("`{}`", sc.reasons[r.index()])).collect();
            return Err(Failure::Input(format!(
                "error: --caller {} --reason {}: {} callers never call about {} in {file}\n  help: their reasons: {}",
                ct.name,
                sc.reasons[r.index()],
                ct.name,
                sc.reasons[r.index()],
                theirs.join(", ")
            )));
        }
    }
    if let (None, Some(r)) = (caller, reason) {
        if !sc.callers.iter().enumerate().any(|(i, _)| calls_about(sc, CallerTypeId(i as u16), r)) {
            return Err(Failure::Input(format!(
                "error: --reason {}: no caller type calls about it (its shares are 0) in {file}",
                sc.reasons[r.index()]
            )));
        }
    }
    Ok(Filter { caller, reason })
}

fn calls_about(sc: &Scenario, c: CallerTypeId, r: ReasonId) -> bool {
    reasons_of(sc, c).contains(&r)
}

/// The first `n` matching journeys, in dial order, from replication 0 on.
fn first(sc: &Scenario, filter: Filter, n: usize) -> Vec<RecordedJourney> {
    let mut out = Vec::new();
    for rep in 0..sc.replications {
        let mut rec = Recorder::first(n - out.len(), filter);
        engine::simulate(sc, rep, &mut rec);
        out.extend(rec.journeys);
        if out.len() >= n {
            break;
        }
    }
    out
}
