//! `shop compare A B`: both designs on the same simulated callers, side by
//! side, with paired differences.

use super::Failure;
use crate::cli::CompareArgs;
use crate::intraday::figures::ClearsPair;
use crate::output::{Written, pick_format};
use crate::pipeline::{load_pair, pair, simulate_pair, simulate_pair_cleared, start_from};
use crate::report::compare::{PairFormat, exporter, styled};

pub fn run(args: &CompareArgs) -> Result<(), Failure> {
    let out = Written::new(args.out.as_deref(), &[&args.a, &args.b])?;
    let format = pick_format(args.format.map(Into::into), args.out.as_deref(), PairFormat::from_extension)
        .unwrap_or(PairFormat::Table);
    let opts = args.sim.options();
    let (mut a, mut b) = load_pair(&args.a, &args.b, &opts, ["A", "B"])?;
    let c = match &args.from.from {
        // Both designs start from the same snapshot: the same callers on hold and in talk.
        Some(state) => {
            let (at, rescale) = (args.from.at.as_deref(), args.from.rescale);
            let ia = start_from(&mut a.scenario, state, at, rescale)?;
            let ib = start_from(&mut b.scenario, state, at, rescale)?;
            let (runs, [ca, cb]) = simulate_pair_cleared(&a, &b, &opts)?;
            let mut c = pair(&a, &b, &runs, false).from_moment(ia.at.as_secs_f64());
            c.queue_clears = Some(ClearsPair::build([(&a.scenario, &ia, &ca), (&b.scenario, &ib, &cb)]));
            c
        }
        None => simulate_pair(&a, &b, &opts)?,
    };
    let text = exporter(format, styled(format, args.out.as_deref())).comparison(&c);
    out.write(&text)?;
    Ok(())
}
