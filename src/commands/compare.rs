//! `shop compare A B`: both designs on the same simulated callers, side by
//! side, with paired differences.

use super::Failure;
use crate::cli::CompareArgs;
use crate::output::{Written, pick_format};
use crate::pipeline::{load_pair, simulate_pair, start_from};
use crate::report::compare::{PairFormat, exporter, styled};

pub fn run(args: &CompareArgs) -> Result<(), Failure> {
    let out = Written::new(args.out.as_deref(), &[&args.a, &args.b])?;
    let format = pick_format(args.format.map(Into::into), args.out.as_deref(), PairFormat::from_extension)
        .unwrap_or(PairFormat::Table);
    let opts = args.sim.options();
    let (mut a, mut b) = load_pair(&args.a, &args.b, &opts, ["A", "B"])?;
    // Both designs start from the same snapshot: the same callers on hold and in talk.
    if let Some(state) = &args.from.from {
        for l in [&mut a, &mut b] {
            start_from(&mut l.scenario, state, args.from.at.as_deref(), args.from.rescale)?;
        }
    }
    let mut c = simulate_pair(&a, &b, &opts)?;
    if let Some(start) = &a.scenario.start {
        c = c.from_moment(start.at.as_secs_f64());
    }
    let text = exporter(format, styled(format, args.out.as_deref())).comparison(&c);
    out.write(&text)?;
    Ok(())
}
