//! `shop compare A B`: both designs on the same simulated callers, side by
//! side, with paired differences.

use super::Failure;
use crate::cli::CompareArgs;
use crate::logs::replay::run::Session;
use crate::output::{Written, pick_format};
use crate::pipeline::{load_pair, pair, simulate_pair};
use crate::report::compare::{PairFormat, exporter, styled};

pub fn run(args: &CompareArgs) -> Result<(), Failure> {
    let out = Written::new(args.out.as_deref(), &[&args.a, &args.b])?;
    let format = pick_format(args.format.map(Into::into), args.out.as_deref(), PairFormat::from_extension)
        .unwrap_or(PairFormat::Table);
    let opts = args.sim.options();
    let traffic = super::replay::optional_traffic(args.traffic.as_deref(), &args.replay)?;
    let (a, b) = load_pair(&args.a, &args.b, &opts, ["A", "B"])?;
    let c = match traffic {
        None => simulate_pair(&a, &b, &opts)?,
        // The log's callers through both designs, paired per logged day and replication.
        Some(traffic) => {
            let session = Session::open(traffic, &[&a, &b])?;
            let runs = session.simulate_pair(&a, &b, 0..a.scenario.replications, opts.threads)?;
            pair(&session.report_side(&a), &session.report_side(&b), &runs, true)
        }
    };
    let text = exporter(format, styled(format, args.out.as_deref())).comparison(&c);
    out.write(&text)?;
    Ok(())
}
