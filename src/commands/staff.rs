//! `shop staff FILE`: reads the flags into a staffing request, asks
//! [`crate::plan::staff`] for the fewest agents, prints the answer and, with
//! `--write`, the scenario with those agents as shifts. The search lives in plan/.

use super::Failure;
use crate::cli::StaffArgs;
use crate::output::{Written, pick_format, same_file, unchanged_since_read, write_atomically, write_not_over};
use crate::pipeline::{apply_overrides, check_volume, load_to_simulate};
use crate::plan::staff::confirm::{confirm, seed_after, strict_miss};
use crate::plan::staff::flags::{self, Flags, Read};
use crate::plan::staff::report::{MeanDayPlan, StaffReport};
use crate::plan::staff::write::staffed_text;
use crate::plan::staff::{Answer, Request, search};
use crate::report::Format;
use crate::scenario::intervals::MAX_INTERVALS;
use crate::scenario::units::parse_duration;
use crate::stats::r6;
use crate::time::SimDuration;

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
        if args.out.as_deref().is_some_and(|o| same_file(o, w)) {
            return Err(bad(format!("error: --out and --write both name {}: give them different files", w.display())));
        }
        let targets: Vec<(&std::path::Path, &str)> =
            args.targets_file.as_deref().map(|p| (p, "--targets file")).into_iter().collect();
        write_not_over(w, &targets, &suggested_name(&args.file)).map_err(bad)?;
    }
    let format =
        pick_format(args.format.map(Into::into), args.out.as_deref(), Format::from_extension).unwrap_or(Format::Table);
    let opts = args.sim.options()?;
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
    let flags = Flags {
        targets: &args.targets,
        targets_file: args.targets_file.as_deref(),
        pools: &args.pools,
        confidence: args.confidence.as_deref(),
        days_met: args.days_met.as_deref(),
    };
    let Read { targets, added, pools, confidence, days_met } = flags::read(&flags, &mut sc).map_err(bad)?;
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
        confidence,
        days_met,
        threads: opts.threads.map(|t| t as usize),
    };
    let answer = search(&req).map_err(|e| bad(format!("error: {e}")))?;
    let confirmed = match (&answer.unmet, args.no_confirm) {
        (None, false) => {
            let seed = args.confirm_seed.unwrap_or(seed_after(req.scenario.seed));
            Some(confirm(&req, &answer, seed).map_err(|e| bad(format!("error: {e}")))?)
        }
        _ => None,
    };
    let mut report = StaffReport::build(&req, &loaded.scenario, &answer, confirmed.as_ref());
    report.added_targets = added;
    if let (Some(c), Some(_)) = (&confirmed, req.days_met) {
        report.mean_day_plan =
            Some(MeanDayPlan::search(&req, &loaded.scenario, c.seed).map_err(|e| bad(format!("error: {e}")))?);
    }
    if let (Some(w), None) = (&args.write, &answer.unmet) {
        unchanged_since_read(&args.file, &loaded.text, w).map_err(bad)?;
        write_scenario(&loaded.text, &loaded.file, &req, &answer, w)?;
        report.written = Some(w.display().to_string());
    }
    out.write(&report.render(format))?;
    if let (true, Some(c)) = (args.strict, &confirmed)
        && let Some(miss) = strict_miss("shop staff", "the staffing found", &req, c)
    {
        return Err(Failure::Unmet(miss));
    }
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

/// `--write`: the scenario with the staffing found, written atomically.
fn write_scenario(text: &str, file: &str, req: &Request, a: &Answer, path: &std::path::Path) -> Result<(), Failure> {
    let out = staffed_text(text, file, req, a, path).map_err(bad)?;
    crate::interrupt::while_writing(|| write_atomically(path, &out)).map_err(|e| bad(e.replace("--out", "--write")))
}
