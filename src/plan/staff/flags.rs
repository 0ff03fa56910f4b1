//! Reading the flags every staffing verb shares (`staff`, `schedule`): the
//! targets (given, from a file, or the defaults with why), the pools,
//! `--confidence` and `--days-met`. Each error is the whole message.

use crate::plan::staff::StaffTarget;
use crate::plan::staff::report::AddedTarget;
use crate::plan::staff::targets::{Figure, Scope, forms};
use crate::plan::target::Goal;
use crate::scenario::error::did_you_mean;
use crate::scenario::{Channel, Scenario};
use crate::stats::metric::{Metric, Span};
use crate::time::SimDuration;

const DEFAULT_TARGET: &str = "service_level >= 80%";

fn bad(message: String) -> String {
    message
}

/// `--target`s, then `--targets FILE`'s; the default when neither gives one
/// (see [`default_targets`], returned as added targets with why).
/// Every `service_level` target must use one threshold: the simulation counts
/// the calls answered within one, set to it (`service_level(20s)` on a file
/// whose threshold is 30 s is measured at 20 s).
fn read_targets(
    targets_given: &[String],
    targets_file: Option<&std::path::Path>,
    sc: &mut Scenario,
    pools: &[usize],
) -> Result<(Vec<StaffTarget>, Vec<AddedTarget>), String> {
    let mut texts: Vec<(String, String)> = targets_given.iter().map(|t| ("--target".to_string(), t.clone())).collect();
    if let Some(path) = targets_file {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| bad(format!("error: --targets {name}: cannot read it: {}", e.kind())))?;
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            targets: Vec<String>,
        }
        let file: File = serde_yaml::from_str(&text).map_err(|e| {
            bad(format!(
                "error: --targets {name}: {e}\n  help: the file holds a list under `targets:`, e.g.\n    targets:\n      - \"service_level >= 80%\"\n      - \"business: wait.p95 <= 2m\""
            ))
        })?;
        texts.extend(file.targets.into_iter().map(|t| (format!("--targets {name}:"), t)));
    }
    let mut added = Vec::new();
    let within = sc.service_level.as_secs_f64();
    let targets = if texts.is_empty() {
        let (defaults, why) = default_targets(sc, pools)?;
        if let Some(why) = why {
            added.extend(defaults.iter().map(|t| AddedTarget { target: t.text.clone(), why: why.clone() }));
        }
        defaults
    } else {
        texts
            .iter()
            .map(|(from, t)| {
                StaffTarget::parse(t, &*sc, within).map_err(|e| bad(format!("error: {from} {e}\n{}", forms())))
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let thresholds: Vec<f64> = targets
        .iter()
        .filter_map(|t| match t.goal() {
            Some(Goal::ServiceLevel { within, .. }) => Some(within),
            _ => None,
        })
        .collect();
    if thresholds.iter().any(|w| (w - thresholds[0]).abs() > 1e-9) {
        return Err(bad(format!(
            "error: the service-level targets use different thresholds ({}); the simulation counts calls answered within one\n  \
             help: give every service_level target the same threshold",
            thresholds.iter().map(|w| crate::time::human_secs(*w)).collect::<Vec<_>>().join(", ")
        )));
    }
    if let Some(&within) = thresholds.first() {
        sc.service_level = SimDuration::from_secs_f64(within);
    }
    Ok((targets, added))
}

/// The default: `service_level >= 80%` in every queue a voice or chat caller
/// can reach and a pool searched answers — the service level per skill, as
/// workforce planners set it, not the blend of all callers (where a large
/// queue well above 80% hides a small one far below it). Email keeps its own
/// default (`email_targets`). A design with one such queue, or none, keeps
/// the unscoped target, which is then the same figure.
/// The targets are built with their scope rather than parsed back from text,
/// so a queue named `a:b` gets its target too.
fn default_targets(sc: &Scenario, pools: &[usize]) -> Result<(Vec<StaffTarget>, Option<String>), String> {
    let blend = StaffTarget::parse(DEFAULT_TARGET, sc, sc.service_level.as_secs_f64())
        .map_err(|e| bad(format!("error: the default target {e}")))?;
    let held = (0..sc.callers.len())
        .filter(|&c| sc.callers[c].channel != Channel::Email)
        .map(|c| crate::scenario::CallerTypeId(c as u16));
    let reach = crate::scenario::paths::reachable(sc, held);
    let queues: Vec<usize> = (0..sc.queues.len())
        .filter(|&q| {
            reach.queues.contains(&crate::scenario::QueueId(q as u16))
                && sc.queues[q].pools.iter().any(|(p, _)| pools.contains(&p.index()))
        })
        .collect();
    if queues.len() < 2 {
        return Ok((vec![blend], None));
    }
    let why = format!(
        "no --target given, so {DEFAULT_TARGET} holds in each queue callers hold in, the service level per skill, \
         not only on the blend of all callers, where a busy queue above it can hide a small one below \
         (--target '{DEFAULT_TARGET}' bounds the blend instead)"
    );
    let per_queue = queues
        .into_iter()
        .map(|q| StaffTarget {
            text: format!("queue {}: {}", sc.queues[q].name, blend.text),
            scope: Scope::Queue(crate::scenario::QueueId(q as u16)),
            figure: blend.figure.clone(),
        })
        .collect();
    Ok((per_queue, Some(why)))
}

/// Every email caller type that no target bounds gets its own
/// `response_target` as the 95th percentile of its response time: without
/// one, emails only take the agents' spare moments, and the search would staff
/// the phones as if the inbox did not exist (the backlog carried day to day).
/// A target scoped to the caller type, or an unscoped `response_time` one,
/// bounds it; an inbox no pool searched (`pools`) works is left alone, since
/// the search could not help it. Returns what was added and why.
fn email_targets(sc: &Scenario, pools: &[usize], targets: &mut Vec<StaffTarget>) -> Result<Vec<AddedTarget>, String> {
    let serving = crate::plan::staff::start::serving(sc);
    let mut added = Vec::new();
    for (c, ct) in sc.callers.iter().enumerate() {
        if ct.channel != Channel::Email || !pools.iter().any(|&p| serving[c][p]) {
            continue;
        }
        let bounded = targets.iter().any(|t| match (&t.scope, &t.figure) {
            (Scope::Caller(x), _) => x.index() == c,
            (Scope::All, Figure::Channel { metric: Metric::Duration(Span::ResponseTime, _), .. }) => true,
            _ => false,
        });
        if bounded {
            continue;
        }
        let secs = ct.response_target.as_secs_f64();
        let text = format!("{}: response_time.p95 <= {}", ct.name, duration_text(secs));
        let target = StaffTarget::parse(&text, sc, sc.service_level.as_secs_f64())
            .map_err(|e| bad(format!("error: the default target for email caller type `{}`: {e}", ct.name)))?;
        added.push(AddedTarget {
            target: target.text.clone(),
            why: format!(
                "no target bounded `{}`'s emails, which agents only take when nobody waits on the phone or in chat, so \
                 their wait had no limit; this is its response_target ({}) for 95% of the emails arriving in each \
                 interval (a target scoped `{}:` replaces it)",
                ct.name,
                duration_text(secs),
                ct.name
            ),
        });
        targets.push(target);
    }
    Ok(added)
}

/// A duration as a target reads it back: `8h`, `90m`, `45s`.
fn duration_text(secs: f64) -> String {
    let s = secs.round() as u64;
    match s {
        _ if s > 0 && s.is_multiple_of(3600) => format!("{}h", s / 3600),
        _ if s > 0 && s.is_multiple_of(60) => format!("{}m", s / 60),
        _ => format!("{s}s"),
    }
}

/// `--days-met 90%` (or `0.9`): a share of days above 0 and at most 100%,
/// with enough replications that one day in (1 − share) exists.
fn read_days_met(text: &str, sc: &Scenario) -> Result<f64, String> {
    let t = text.trim();
    let share = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    }
    .ok()
    .filter(|x| *x > 0.0 && *x <= 1.0)
    .ok_or_else(|| {
        bad(format!("error: --days-met {text}: expected a share of days above 0 and at most 100%, e.g. 90% or 0.9"))
    })?;
    let days = sc.replications;
    // The search lets ⌊(1 − share)·days⌋ days miss (`targets`), with the same
    // allowance for rounding: 90% of 10 days is 9 days, though 10 × (1 − 0.9)
    // is 0.9999… in floating point.
    if share < 1.0 && ((1.0 - share) * f64::from(days) + 1e-9) < 1.0 {
        return Err(bad(format!(
            "error: --days-met {text}: with {days} replications no day may miss, so this is every day\n  \
             help: give --replications {} (or more), or --days-met 100%",
            (1.0 / (1.0 - share) - 1e-9).ceil() as u32
        )));
    }
    Ok(share)
}

/// `--confidence 95%` (or `0.95`): a two-sided level strictly between 0 and
/// 100%, with at least two replications to spread.
fn read_confidence(text: &str, sc: &Scenario) -> Result<f64, String> {
    let t = text.trim();
    let level = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    }
    .ok()
    .filter(|x| *x > 0.0 && *x < 1.0)
    .ok_or_else(|| {
        bad(format!(
            "error: --confidence {text}: expected a level between 0 and 100%, e.g. 95% or 0.95 (the share of the \
             replications' spread a target's interval covers)"
        ))
    })?;
    if sc.replications < 2 {
        return Err(bad(format!(
            "error: --confidence {text}: the interval of a figure comes from the spread between replications, and the \
             scenario runs {}\n  help: give --replications 20 (or more)",
            sc.replications
        )));
    }
    Ok(level)
}

fn read_pools(names: &[String], sc: &Scenario) -> Result<Vec<usize>, String> {
    if sc.pools.is_empty() {
        return Err(bad("error: the scenario has no agent pools: there is nothing to staff\n  \
             help: add `pools:` and a queue whose `pools` name them (`shop example support_line` shows one)"
            .into()));
    }
    if names.is_empty() {
        return Ok((0..sc.pools.len()).collect());
    }
    let mut out = Vec::new();
    for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let Some(p) = sc.pools.iter().position(|p| p.name == n) else {
            let hint = did_you_mean(n, sc.pools.iter().map(|p| p.name.as_str()))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            let all = sc.pools.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ");
            return Err(bad(format!("error: --pools: no pool is called `{n}`{hint} (pools: {all})")));
        };
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.is_empty() {
        return Err(bad(
            "error: --pools names no pool: give a pool's name, or leave --pools out to staff them all".into()
        ));
    }
    out.sort_unstable();
    Ok(out)
}

/// The staffing flags as given on the command line.
pub struct Flags<'a> {
    pub targets: &'a [String],
    pub targets_file: Option<&'a std::path::Path>,
    pub pools: &'a [String],
    pub confidence: Option<&'a str>,
    pub days_met: Option<&'a str>,
}

/// The flags read against the scenario.
pub struct Read {
    pub targets: Vec<StaffTarget>,
    /// Targets added by default, with why.
    pub added: Vec<AddedTarget>,
    pub pools: Vec<usize>,
    pub confidence: Option<f64>,
    pub days_met: Option<f64>,
}

/// Reads every staffing flag (the service-level threshold of `sc` is set to the targets').
pub fn read(flags: &Flags, sc: &mut Scenario) -> Result<Read, String> {
    let pools = read_pools(flags.pools, sc)?;
    let (mut targets, mut added) = read_targets(flags.targets, flags.targets_file, sc, &pools)?;
    added.extend(email_targets(sc, &pools, &mut targets)?);
    let confidence = flags.confidence.map(|text| read_confidence(text, sc)).transpose()?;
    let days_met = flags.days_met.map(|text| read_days_met(text, sc)).transpose()?;
    Ok(Read { targets, added, pools, confidence, days_met })
}
