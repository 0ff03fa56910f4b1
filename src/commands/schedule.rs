//! `shop schedule FILE --rules RULES`: reads the flags, the rules and the
//! requirement, asks [`crate::plan::schedule`] for the roster, prints the
//! report and, with `--write`, the scenario with the roster as `shifts:`.

use super::Failure;
use crate::cli::ScheduleArgs;
use crate::output::{Written, pick_format, same_file, unchanged_since_read, write_atomically, write_not_over};
use crate::pipeline::{apply_overrides, check_volume, load_to_simulate};
use crate::plan::schedule::report::{Built, ScheduleReport};
use crate::plan::schedule::{self, DEFAULT_PENALTY_HOURS, Options, repair, requirement, rules};
use crate::plan::staff::confirm::{seed_after, strict_miss};
use crate::plan::staff::flags::{self, Flags, Read};
use crate::plan::staff::{Request, search};
use crate::report::Format;
use crate::scenario::intervals::MAX_INTERVALS;
use crate::scenario::units::parse_duration;
use crate::stats::r6;
use crate::time::SimDuration;

fn bad(message: String) -> Failure {
    Failure::Input(message)
}

pub fn run(args: &ScheduleArgs) -> Result<(), Failure> {
    if args.rules_schema {
        let mut text = serde_json::to_string_pretty(&rules::schema()).map_err(|e| bad(e.to_string()))?;
        text.push('\n');
        return Ok(crate::output::write_output(args.out.as_deref(), &text)?);
    }
    let (Some(file), Some(rules_path)) = (&args.file, &args.rules) else {
        return Err(bad("error: shop schedule needs a scenario FILE and --rules RULES".into()));
    };
    let mut inputs: Vec<&std::path::Path> = vec![file.as_path(), rules_path.as_path()];
    inputs.extend(args.requirement.as_deref());
    let out = Written::new(args.out.as_deref(), &inputs)?;
    if let Some(w) = &args.write {
        if args.out.as_deref().is_some_and(|o| same_file(o, w)) {
            return Err(bad(format!("error: --out and --write both name {}: give them different files", w.display())));
        }
        // The scenario itself may be named (`--write support.yaml` rewrites
        // it); every other input is refused.
        let mut others: Vec<(&std::path::Path, &str)> = vec![(rules_path, "--rules file")];
        others.extend(args.requirement.as_deref().map(|p| (p, "--requirement file")));
        others.extend(args.targets_file.as_deref().map(|p| (p, "--targets file")));
        let stem = file.file_stem().map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
        write_not_over(w, &others, &format!("{stem}_rostered.yaml")).map_err(bad)?;
    }
    if let Some(p) = args.penalty
        && !(p.is_finite() && p > 0.0)
    {
        return Err(bad(format!("error: --penalty {p}: give a positive number of paid hours per agent-hour short")));
    }
    let format =
        pick_format(args.format.map(Into::into), args.out.as_deref(), Format::from_extension).unwrap_or(Format::Table);
    let opts = args.sim.options()?;
    let loaded = load_to_simulate(file)?;
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
    let rules_name = rules_path.display().to_string();
    let rules_text = std::fs::read_to_string(rules_path)
        .map_err(|e| bad(format!("error: --rules {rules_name}: cannot read it: {}", e.kind())))?;
    let rules = rules::read(&rules_name, &rules_text, &sc).map_err(bad)?;
    let pool_names: Vec<String> = rules.pools.iter().map(|&p| sc.pools[p].name.clone()).collect();
    let given = match &args.requirement {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| bad(format!("error: --requirement {name}: cannot read it: {}", e.kind())))?;
            Some(requirement::read(&name, &text, &mut sc, &rules.pools).map_err(bad)?)
        }
        None => None,
    };
    let flags = Flags {
        targets: &args.targets,
        targets_file: args.targets_file.as_deref(),
        pools: &pool_names,
        confidence: args.confidence.as_deref(),
        days_met: args.days_met.as_deref(),
    };
    let Read { targets, added, pools, confidence, days_met } = flags::read(&flags, &mut sc).map_err(bad)?;
    check_volume(&sc, opts.max_calls, &loaded.file)?;
    let req = Request {
        scenario: sc,
        targets,
        pools,
        min_agents: None,
        max_agents: args.max_agents,
        confidence,
        days_met,
        threads: opts.threads.map(|t| t as usize),
    };
    let need = match given {
        Some(r) => r,
        None => {
            let answer = search(&req).map_err(|e| bad(format!("error: {e}")))?;
            if let Some(u) = &answer.unmet {
                return Err(Failure::Unmet(format!(
                    "shop schedule: no staffing within --max-agents {} meets `{}` in {} ({} with the most agents allowed), \
                     so there is no requirement to schedule\n  help: raise --max-agents, or relax the target",
                    args.max_agents,
                    req.targets[u.target].text,
                    req.scenario.intervals.label(u.interval),
                    req.targets[u.target].shown(r6(u.value))
                )));
            }
            requirement::from_staff(&req.scenario, &rules.pools, &answer.agents)
        }
    };
    let penalty = args.soft.then(|| args.penalty.unwrap_or(DEFAULT_PENALTY_HOURS));
    let (grid, mut plans) = schedule::cover(&req.scenario, &rules, &need, &Options { penalty }).map_err(bad)?;
    let simulated = if args.no_simulate {
        None
    } else {
        let seed = args.confirm_seed.unwrap_or(seed_after(req.scenario.seed));
        Some(
            repair::simulate(&req, &rules, &grid, &mut plans, !args.soft, seed)
                .map_err(|e| bad(format!("error: {e}")))?,
        )
    };
    let built = Built {
        req: &req,
        rules: &rules,
        rules_file: &rules_name,
        source: &need.source,
        grid: &grid,
        plans: &plans,
        sim: simulated.as_ref(),
        soft: args.soft,
    };
    let mut report = ScheduleReport::build(&built, &loaded.scenario);
    // Targets added for one reason are named together.
    let mut whys: Vec<&str> = Vec::new();
    for a in &added {
        if !whys.contains(&a.why.as_str()) {
            whys.push(&a.why);
        }
    }
    report.added_targets = whys
        .iter()
        .map(|why| {
            let named: Vec<&str> = added.iter().filter(|a| a.why == *why).map(|a| a.target.as_str()).collect();
            format!("{}: {why}", named.join(", "))
        })
        .collect();
    if let Some(w) = &args.write {
        let design = match &simulated {
            Some(s) => s.design.clone(),
            None => schedule::design(&req.scenario, &rules, &plans),
        };
        let text =
            schedule::write::scheduled_text(&loaded.text, &loaded.file, &design, &rules.pools, w).map_err(bad)?;
        unchanged_since_read(file, &loaded.text, w).map_err(bad)?;
        crate::interrupt::while_writing(|| write_atomically(w, &text))
            .map_err(|e| bad(e.replace("--out", "--write")))?;
        report.written = Some(w.display().to_string());
    }
    out.write(&report.render(format))?;
    if let (true, Some(s)) = (args.strict, &simulated)
        && let Some(miss) = strict_miss("shop schedule", "the roster", &req, &s.confirmation)
    {
        return Err(Failure::Unmet(miss));
    }
    Ok(())
}
