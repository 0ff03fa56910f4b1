//! `shop staff FILE`: reads the flags into a staffing request, asks
//! [`crate::plan::staff`] for the fewest agents, prints the answer and, with
//! `--write`, the scenario with those agents as shifts. The search lives in plan/.

use indexmap::IndexMap;

use super::Failure;
use crate::cli::StaffArgs;
use crate::output::{Written, pick_format, write_atomically};
use crate::pipeline::{apply_overrides, check_volume, load_to_simulate};
use crate::plan::staff::{Answer, Binding, Request, StaffTarget, search, targets::forms};
use crate::plan::target::Goal;
use crate::report::Format;
use crate::report::staff::{
    Achieved, CallerAchieved, Noise, PerPool, PoolBinding, Search, StaffInterval, StaffReport, Unmet, Wait,
};
use crate::scenario::error::did_you_mean;
use crate::scenario::intervals::MAX_INTERVALS;
use crate::scenario::units::parse_duration;
use crate::scenario::{Scenario, rewrite};
use crate::stats::collect::IntervalStats;
use crate::stats::metric::{ABANDON_RATE, Metric, SERVICE_LEVEL, Span, Stat};
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
    let targets = read_targets(args, &sc)?;
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
    let mut report = build_report(&req, &loaded.scenario, &answer);
    if let (Some(w), None) = (&args.write, &answer.unmet) {
        write_scenario(&loaded.text, &loaded.file, &req, &answer, w)?;
        report.written = Some(w.display().to_string());
    }
    out.write(&report.render(format))?;
    match &report.unmet {
        Some(u) => Err(Failure::Unmet(format!(
            "shop staff: no staffing within --max-agents {} meets `{}` in {} ({} with the most agents allowed)\n  \
             help: raise --max-agents, add --pools, or relax the target",
            args.max_agents,
            u.target,
            u.interval,
            shown(&req.targets, &u.target, u.value)
        ))),
        None => Ok(()),
    }
}

fn suggested_name(input: &std::path::Path) -> String {
    let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
    format!("{stem}_staffed.yaml")
}

/// A target's figure in its own terms (a share in %, a time in seconds).
fn shown(targets: &[StaffTarget], text: &str, v: f64) -> String {
    match targets.iter().find(|t| t.text == text).map(|t| t.target.goal) {
        Some(Goal::WaitMean(_) | Goal::WaitQuantile { .. }) => format!("{v:.1}s"),
        _ => format!("{:.1}%", v * 100.0),
    }
}

/// `--target`s, then `--targets FILE`'s; the default when neither gives one.
/// Every `service_level` target must use one threshold: the simulation counts one.
fn read_targets(args: &StaffArgs, sc: &Scenario) -> Result<Vec<StaffTarget>, Failure> {
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
        .map(|(from, t)| StaffTarget::parse(t, sc, within).map_err(|e| bad(format!("error: {from} {e}\n{}", forms()))))
        .collect::<Result<Vec<_>, _>>()?;
    let thresholds: Vec<f64> = targets
        .iter()
        .filter_map(|t| match t.target.goal {
            Goal::ServiceLevel { within, .. } => Some(within),
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

/// The scenario text with every searched pool's agents as shifts, checked by loading it back.
fn write_scenario(text: &str, file: &str, req: &Request, a: &Answer, path: &std::path::Path) -> Result<(), Failure> {
    let sc = &req.scenario;
    let mut out = text.to_string();
    for &p in &req.pools {
        let shifts: Vec<(f64, u32)> =
            crate::plan::staff::shifts(sc, &a.agents[p]).iter().map(|(t, n)| (t.as_secs_f64(), *n)).collect();
        out = rewrite::set_pool_shifts(&out, &sc.pools[p].name, &shifts)
            .map_err(|e| bad(format!("error: --write {}: {file}: {e}", path.display())))?;
    }
    let check = crate::scenario::load_str(&path.display().to_string(), &out).map_err(|e| {
        bad(format!(
            "error: --write {}: the edited scenario does not load back ({} problems); nothing was written",
            path.display(),
            e.problems.len()
        ))
    })?;
    for &p in &req.pools {
        let want = crate::plan::staff::shifts(sc, &a.agents[p]);
        if check.scenario.pools[p].shifts != want {
            return Err(bad(format!(
                "error: --write {}: the edited `pools.{}.agents` does not read back as the staffing found; nothing was written",
                path.display(),
                sc.pools[p].name
            )));
        }
    }
    crate::interrupt::while_writing(|| write_atomically(path, &out)).map_err(|e| bad(e.replace("--out", "--write")))
}

/// Mean agents on duty in `[a, b)` under these shifts.
fn mean_agents(shifts: &[(crate::time::SimTime, u32)], a: f64, b: f64) -> f64 {
    let mut total = 0.0;
    for (i, (from, n)) in shifts.iter().enumerate() {
        let s = from.as_secs_f64().max(a);
        let e = shifts.get(i + 1).map_or(b, |x| x.0.as_secs_f64()).min(b);
        if e > s {
            total += f64::from(*n) * (e - s);
        }
    }
    total / (b - a)
}

fn build_report(req: &Request, original: &Scenario, a: &Answer) -> StaffReport {
    let sc = &req.scenario;
    let day = &sc.intervals;
    let names: Vec<String> = req.pools.iter().map(|&p| sc.pools[p].name.clone()).collect();
    let pooled = &a.runs.pooled;
    let has_caller_scope = req.targets.iter().any(|t| matches!(t.scope, crate::plan::staff::Scope::Caller(_)));
    // Each replication's intervals, gathered once (not once per interval).
    let per_rep: Vec<Vec<IntervalStats>> = a.runs.per_rep.iter().map(|r| r.intervals()).collect();
    let intervals = (0..day.count())
        .map(|k| {
            let (from, to) = day.bounds(k);
            let all = crate::plan::staff::targets::all_callers(pooled, k);
            let per_pool = |f: &dyn Fn(usize) -> f64| -> IndexMap<String, f64> {
                req.pools.iter().map(|&p| (sc.pools[p].name.clone(), f(p))).collect()
            };
            let occupancy = (0..sc.pools.len())
                .map(|p| (sc.pools[p].name.clone(), Metric::Occupancy.of_pool(pooled.pool_interval(k, p)).map(r6)))
                .collect();
            let by_caller = if has_caller_scope {
                sc.callers
                    .iter()
                    .enumerate()
                    .map(|(c, ct)| {
                        let i = pooled.interval_caller(k, c);
                        (
                            ct.name.clone(),
                            CallerAchieved {
                                service_level: SERVICE_LEVEL.of_interval(i).map(r6),
                                abandon_rate: ABANDON_RATE.of_interval(i).map(r6),
                                wait: wait(i),
                            },
                        )
                    })
                    .collect()
            } else {
                IndexMap::new()
            };
            let mut binding_by_pool = IndexMap::new();
            let mut binding: Vec<String> = Vec::new();
            for &p in &req.pools {
                let b = match &a.binding[p][k] {
                    Some(Binding::Target { target, interval, value }) => PoolBinding {
                        target: req.targets[*target].text.clone(),
                        breaks_in: Some(day.label(*interval)),
                        value: Some(r6(*value)),
                    },
                    Some(Binding::AtMinimum) => {
                        PoolBinding { target: "--min-agents".into(), breaks_in: None, value: None }
                    }
                    None => continue,
                };
                if !binding.contains(&b.target) {
                    binding.push(b.target.clone());
                }
                binding_by_pool.insert(sc.pools[p].name.clone(), b);
            }
            StaffInterval {
                from: r6(from.as_secs_f64()),
                to: r6(to.as_secs_f64()),
                label: day.label(k),
                agents: req.pools.iter().map(|&p| (sc.pools[p].name.clone(), a.agents[p][k])).collect(),
                erlang: req.pools.iter().map(|&p| (sc.pools[p].name.clone(), a.start[k].agents[p])).collect(),
                offered_erlangs: per_pool(&|p| r6(a.start[k].erlangs[p])),
                scheduled: per_pool(&|p| r6(f64::from(a.agents[p][k]) / (1.0 - sc.pools[p].shrinkage))),
                current: per_pool(&|p| r6(original.pools[p].mean_agents(from, to))),
                achieved: Achieved {
                    service_level: SERVICE_LEVEL.of_interval(&all).map(r6),
                    abandon_rate: ABANDON_RATE.of_interval(&all).map(r6),
                    wait: wait(&all),
                    occupancy,
                    by_caller,
                },
                achieved_ci95: noise(&per_rep, k, &all),
                binding: binding.join("; "),
                binding_by_pool,
            }
        })
        .collect();
    let horizon = sc.horizon.as_secs_f64();
    let found = |p: usize| -> f64 {
        if req.pools.contains(&p) {
            (0..day.count())
                .map(|k| {
                    let (f, t) = day.bounds(k);
                    f64::from(a.agents[p][k]) * (t.as_secs_f64() - f.as_secs_f64())
                })
                .sum::<f64>()
                / 3600.0
        } else {
            current(original, p, horizon)
        }
    };
    let now = |p: usize| current(original, p, horizon);
    let hours = |h: &dyn Fn(usize) -> f64| with_total(sc, |p| r6(h(p)));
    let paid = |h: &dyn Fn(usize) -> f64| with_total(sc, |p| r6(h(p) / (1.0 - sc.pools[p].shrinkage)));
    let cost = |h: &dyn Fn(usize) -> f64| -> Option<PerPool> {
        sc.pools.iter().all(|p| p.cost_per_hour.is_some()).then(|| {
            with_total(sc, |p| {
                let pool = &sc.pools[p];
                r6(h(p) / (1.0 - pool.shrinkage) * pool.cost_per_hour.unwrap_or(0.0))
            })
        })
    };
    StaffReport {
        scenario: sc.name.clone(),
        seed: sc.seed,
        replications: sc.replications,
        targets: req.targets.iter().map(|t| t.text.clone()).collect(),
        interval: r6(day.length.as_secs_f64()),
        pools: names,
        intervals,
        agent_hours: hours(&found),
        current_agent_hours: hours(&now),
        paid_hours: paid(&found),
        current_paid_hours: paid(&now),
        cost_per_day: cost(&found),
        current_cost_per_day: cost(&now),
        meets_targets: a.unmet.is_none(),
        unmet: a.unmet.as_ref().map(|u| Unmet {
            interval: day.label(u.interval),
            target: req.targets[u.target].text.clone(),
            value: r6(u.value),
        }),
        search: Search { evaluations: a.evaluations, replications: sc.replications },
        written: None,
    }
}

/// Agent-hours a day of pool `p` under the file's shifts.
fn current(sc: &Scenario, p: usize, horizon: f64) -> f64 {
    mean_agents(&sc.pools[p].shifts, 0.0, horizon) * horizon / 3600.0
}

fn with_total(sc: &Scenario, f: impl Fn(usize) -> f64) -> PerPool {
    let mut m: PerPool = sc.pools.iter().enumerate().map(|(p, pool)| (pool.name.clone(), f(p))).collect();
    let total = r6(m.values().sum());
    m.insert("total".into(), total);
    m
}

fn wait(i: &IntervalStats) -> Wait {
    Wait {
        mean: Metric::Duration(Span::Wait, Stat::Mean).of_interval(i).map(r6),
        p95: Metric::Duration(Span::Wait, Stat::P95).of_interval(i).map(r6),
    }
}

/// Sectioned 95% intervals of the interval's figures over the replications.
fn noise(per_rep: &[Vec<IntervalStats>], k: usize, all: &IntervalStats) -> Noise {
    let daily: Vec<&IntervalStats> = per_rep.iter().filter_map(|r| r.get(k)).collect();
    let ci = |m: Metric| -> Option<[f64; 2]> {
        let days: Option<Vec<f64>> = daily.iter().map(|d| m.of_interval(d)).collect();
        m.ci95(m.of_interval(all)?, &days?).map(|[lo, hi]| [r6(lo), r6(hi)])
    };
    Noise {
        service_level: ci(SERVICE_LEVEL),
        abandon_rate: ci(ABANDON_RATE),
        wait_mean: ci(Metric::Duration(Span::Wait, Stat::Mean)),
        wait_p95: ci(Metric::Duration(Span::Wait, Stat::P95)),
    }
}
