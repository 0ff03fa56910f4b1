//! `shop compare A B`: both designs on the same simulated callers, side by
//! side, with paired differences.

use super::Failure;
use crate::cli::{CompareArgs, CompareOrShardFormat};
use crate::intraday::figures::ClearsPair;
use crate::logs::replay::run::Session;
use crate::output::{Written, pick_format};
use crate::pipeline::{load_pair, pair, simulate_pair, simulate_pair_cleared, simulate_range, start_from};
use crate::report::compare::{PairFormat, exporter, styled};
use crate::stats::shard::{Shard, Source};

pub fn run(args: &CompareArgs) -> Result<(), Failure> {
    if args.format == Some(CompareOrShardFormat::Shard) {
        return shard(args);
    }
    let out = Written::new(args.out.as_deref(), &[&args.a, &args.b])?;
    let format =
        pick_format(args.format.and_then(CompareOrShardFormat::pair), args.out.as_deref(), PairFormat::from_extension)
            .unwrap_or(PairFormat::Table);
    let opts = args.sim.options()?;
    let traffic = super::replay::optional_traffic(args.traffic.as_deref(), &args.replay)?;
    if traffic.is_some() && args.from.from.is_some() {
        return Err(Failure::Input(
            "error: --traffic and --from cannot be used together: a snapshot starts the day at one moment, a log replays whole days\n  help: give one of them".into(),
        ));
    }
    let (mut a, mut b) = load_pair(&args.a, &args.b, &opts, ["A", "B"])?;
    let c = match (&args.from.from, traffic) {
        // Both designs start from the same snapshot: the same callers on hold and in talk.
        (Some(state), _) => {
            let (at, rescale) = (args.from.at.as_deref(), args.from.rescale);
            let ia = start_from(&mut a.scenario, state, at, rescale)?;
            let ib = start_from(&mut b.scenario, state, at, rescale)?;
            let (runs, [ca, cb]) = simulate_pair_cleared(&a, &b, &opts)?;
            let mut c = pair(&a, &b, &runs, false).from_moment(ia.at.as_secs_f64());
            c.queue_clears = Some(ClearsPair::build([(&a.scenario, &ia, &ca), (&b.scenario, &ib, &cb)]));
            c
        }
        // The log's callers through both designs, paired per logged day and replication.
        (None, Some(traffic)) => {
            let session = Session::open(traffic, &[&a, &b])?;
            let runs = session.simulate_pair(&a, &b, 0..a.scenario.replications, opts.threads)?;
            pair(&session.report_side(&a), &session.report_side(&b), &runs, true)
        }
        (None, None) => simulate_pair(&a, &b, &opts)?,
    };
    let text = exporter(format, styled(format, args.out.as_deref())).comparison(&c);
    out.write(&text)?;
    Ok(())
}

/// `--format shard`: replications A..B (or 0..N) of both designs on the same
/// callers, for `shop merge` (docs/shards.md); to a file or a pipe, never the terminal.
fn shard(args: &CompareArgs) -> Result<(), Failure> {
    use std::io::IsTerminal;
    let refuse =
        |what: &str, help: &str| Err(Failure::Input(format!("error: --format shard with {what}\n  help: {help}")));
    if args.traffic.is_some() {
        return refuse("--traffic: a log's days are not sharded", "compare them whole");
    }
    if args.from.from.is_some() {
        return refuse("--from: runs from a snapshot are not sharded", "compare them whole (it is one day from now)");
    }
    if args.out.is_none() && std::io::stdout().is_terminal() {
        return refuse("no --out: a shard is JSON for `shop merge`, not for a terminal", "add --out part-0.json");
    }
    let out = Written::new(args.out.as_deref(), &[&args.a, &args.b])?;
    let (opts, range) = args.sim.shard_options();
    let (a, b) = load_pair(&args.a, &args.b, &opts, ["A", "B"])?;
    let reps = range.unwrap_or(0..a.scenario.replications);
    let runs_a = simulate_range(&a.scenario, &opts, &a.file, reps.clone())?;
    let runs_b = simulate_range(&b.scenario, &opts, &b.file, reps.clone())?;
    let source = |l: &crate::scenario::Loaded| Source { file: l.file.clone(), text: l.text.clone() };
    let shard = Shard::new(&a.scenario, source(&a), reps, runs_a).versus(&b.scenario, source(&b), runs_b);
    out.write(&shard.to_json())?;
    Ok(())
}
