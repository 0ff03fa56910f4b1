//! `shop staff FILE`: reads the flags into a staffing request, asks
//! [`crate::plan::staff`] for the fewest agents, prints the answer and, with
//! `--write`, the scenario with those agents as shifts. The search lives in plan/.

use super::Failure;
use crate::cli::StaffArgs;
use crate::output::{Written, pick_format, write_atomically};
use crate::pipeline::{apply_overrides, check_volume, load_to_simulate};
use crate::plan::staff::report::StaffReport;
use crate::plan::staff::write::staffed_text;
use crate::plan::staff::{Answer, Request, StaffTarget, search, targets::forms};
use crate::plan::target::Goal;
use crate::report::Format;
use crate::scenario::Scenario;
use crate::scenario::error::did_you_mean;
use crate::scenario::intervals::MAX_INTERVALS;
use crate::scenario::units::parse_duration;
use crate::stats::r6;
use crate::time::SimDuration;

const DEFAULT_TARGET: &str = "service_level >= 80%";

fn bad(message: String) -> Failure {
    Failure::Input(message)
}

pub fn run(args: &StaffArgs) -> Result<(), Failure> {
    let out = Written::new(args.out.as_deref(), &[&args.file])?;
    if let Some(w) = &args.write {
        Written::new(Some(w), &[&args.file]).map_err(|_| {
            bad(format!(
                "error: --write {}: this is the input file; the staffing is written to a new file, never over the input\n  \
                 help: e.g. --write {}",
                w.display(),
                suggested_name(&args.file)
            ))
        })?;
        if args.out.as_ref().is_some_and(|o| o == w) {
            return Err(bad(format!("error: --out and --write both name {}: give them different files", w.display())));
        }
    }
    let format =
        pick_format(args.format.map(Into::into), args.out.as_deref(), Format::from_extension).unwrap_or(Format::Table);
    let opts = args.sim.options();
    let loaded = load_to_simulate(&args.file)?;
    let mut sc = loaded.scenario.clone();
    apply_overrides(&mut sc, &opts);
    if let Some(text) = &args.interval {
        let secs = parse_duration(text).map_err(|e| bad(format!("error: --interval {text}: {e}")))?;
        if secs <= 0.0 {
            return Err(bad(format!("error: --interval {text}: must be longer than zero")));
        }
        sc.intervals.length = SimDuration::from_secs_f64(secs);
        if sc.intervals.count() > MAX_INTERVALS {
            return Err(bad(format!(
                "error: --interval {text}: {} intervals in a day, more than {MAX_INTERVALS}; give a longer interval",
                sc.intervals.count()
            )));
        }
    }
    let targets = read_targets(args, &mut sc)?;
    let pools = read_pools(&args.pools, &sc)?;
    if let Some(min) = args.min_agents {
        if min > args.max_agents {
            return Err(bad(format!(
                "error: --min-agents {min} is more than --max-agents {}: give a range with min ≤ max",
                args.max_agents
            )));
        }
    }
    check_volume(&sc, opts.max_calls, &loaded.file)?;
    let req = Request {
        scenario: sc,
        targets,
        pools,
        min_agents: args.min_agents,
        max_agents: args.max_agents,
        threads: opts.threads.map(|t| t as usize),
    };
    let answer = search(&req).map_err(|e| bad(format!("error: {e}")))?;
    let mut report = StaffReport::build(&req, &loaded.scenario, &answer);
    if let (Some(w), None) = (&args.write, &answer.unmet) {
        write_scenario(&loaded.text, &loaded.file, &req, &answer, w)?;
        report.written = Some(w.display().to_string());
    }
    out.write(&report.render(format))?;
    match &answer.unmet {
        Some(u) => Err(Failure::Unmet(format!(
            "shop staff: no staffing within --max-agents {} meets `{}` in {} ({} with the most agents allowed)\n  \
             help: raise --max-agents, add --pools, or relax the target",
            args.max_agents,
            req.targets[u.target].text,
            req.scenario.intervals.label(u.interval),
            req.targets[u.target].shown(r6(u.value))
        ))),
        None => Ok(()),
    }
}

fn suggested_name(input: &std::path::Path) -> String {
    let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
    format!("{stem}_staffed.yaml")
}

/// `--target`s, then `--targets FILE`'s; the default when neither gives one.
/// Every `service_level` target must use one threshold: the simulation counts
/// the calls answered within one, set to it (`service_level(20s)` on a file
/// whose threshold is 30 s is measured at 20 s).
fn read_targets(args: &StaffArgs, sc: &mut Scenario) -> Result<Vec<StaffTarget>, Failure> {
    let mut texts: Vec<(String, String)> = args.targets.iter().map(|t| ("--target".to_string(), t.clone())).collect();
    if let Some(path) = &args.targets_file {
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
    if texts.is_empty() {
        texts.push(("default target".into(), DEFAULT_TARGET.into()));
    }
    let within = sc.service_level.as_secs_f64();
    let targets = texts
        .iter()
        .map(|(from, t)| {
            StaffTarget::parse(t, &*sc, within).map_err(|e| bad(format!("error: {from} {e}\n{}", forms())))
        })
        .collect::<Result<Vec<_>, _>>()?;
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
    Ok(targets)
}

fn read_pools(names: &[String], sc: &Scenario) -> Result<Vec<usize>, Failure> {
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
    out.sort_unstable();
    Ok(out)
}

/// `--write`: the scenario with the staffing found, written atomically.
fn write_scenario(text: &str, file: &str, req: &Request, a: &Answer, path: &std::path::Path) -> Result<(), Failure> {
    let out = staffed_text(text, file, req, a, path).map_err(bad)?;
    crate::interrupt::while_writing(|| write_atomically(path, &out)).map_err(|e| bad(e.replace("--out", "--write")))
}
