//! `shop compare A B`: both designs on the same simulated callers, side by
//! side, with paired differences.

use super::Failure;
use crate::cli::CompareArgs;
use crate::intraday::figures::ClearsPair;
use crate::logs::replay::run::Session;
use crate::output::{Written, pick_format};
use crate::pipeline::{load_pair, pair, simulate_pair, simulate_pair_cleared, start_from};
use crate::report::compare::{PairFormat, exporter, styled};

pub fn run(args: &CompareArgs) -> Result<(), Failure> {
    let out = Written::new(args.out.as_deref(), &[&args.a, &args.b])?;
    let format = pick_format(args.format.map(Into::into), args.out.as_deref(), PairFormat::from_extension)
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
