//! `shop compare A B`: both designs on the same simulated callers, side by
//! side, with paired differences. Also runs the pair for `shop check`.

use std::path::Path;

use super::run::{apply_overrides, simulate};
use super::{Failure, load_to_simulate};
use crate::cli::{CompareArgs, CompareFormat, SimArgs};
use crate::report::compare::exporter;
use crate::scenario::Loaded;
use crate::stats::comparison::{Comparison, Side};

/// Loads both designs and puts them on the same seed and number of
/// replications. `labels` name the designs in notes ("A"/"B" or "base"/"head").
pub fn load_pair(a: &Path, b: &Path, sim: &SimArgs, labels: [&str; 2]) -> Result<(Loaded, Loaded), Failure> {
    // Load both before simulating either, so a broken second file fails fast.
    let (mut la, mut lb) = match (load_to_simulate(a), load_to_simulate(b)) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(Failure::Input(x)), Err(Failure::Input(y))) => return Err(Failure::Input(format!("{x}\n\n{y}"))),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let [na, nb] = labels;
    let (sa, sb) = (&mut la.scenario, &mut lb.scenario);
    if sim.seed.is_none() && sa.seed != sb.seed {
        eprintln!(
            "note: {na} sets seed {} and {nb} seed {}; both run with {na}'s seed {} so they face the same callers (--seed to choose)",
            sa.seed, sb.seed, sa.seed
        );
    }
    if sim.replications.is_none() && sa.replications != sb.replications {
        eprintln!(
            "note: {na} sets {} replications and {nb} {}; both run {na}'s {} (--replications to choose)",
            sa.replications, sb.replications, sa.replications
        );
    }
    if sa.horizon != sb.horizon {
        eprintln!(
            "note: {na} and {nb} have different horizons ({} s and {} s): callers after the shorter one exist in one design only",
            sa.horizon.as_secs_f64(),
            sb.horizon.as_secs_f64()
        );
    }
    sb.seed = sa.seed;
    sb.replications = sa.replications;
    apply_overrides(sa, sim);
    apply_overrides(sb, sim);
    Ok((la, lb))
}

/// Simulates both designs and pairs their figures.
pub fn simulate_pair(la: &Loaded, lb: &Loaded, sim: &SimArgs) -> Result<Comparison, Failure> {
    let ra = simulate(&la.scenario, sim, &la.file)?;
    let rb = simulate(&lb.scenario, sim, &lb.file)?;
    Ok(Comparison::build(
        &Side { file: &la.file, scenario: &la.scenario, runs: &ra },
        &Side { file: &lb.file, scenario: &lb.scenario, runs: &rb },
    ))
}

/// Colour only for the terminal table on a terminal.
pub fn styled(format: CompareFormat, out: Option<&Path>) -> bool {
    format == CompareFormat::Table && out.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout())
}

pub fn run(args: &CompareArgs) -> Result<(), Failure> {
    let (a, b) = load_pair(&args.a, &args.b, &args.sim, ["A", "B"])?;
    let c = simulate_pair(&a, &b, &args.sim)?;
    let text = exporter(args.format, styled(args.format, args.out.as_deref())).comparison(&c);
    crate::output::write_output(args.out.as_deref(), &text)?;
    Ok(())
}
