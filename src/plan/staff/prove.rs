//! Step 3: proving the answer minimal. Each pool searched gives up one agent
//! in each interval in turn, the dearest paid hour first (the largest saving);
//! a removal is kept only if every target still holds in every interval (the
//! whole day is simulated again: fewer agents at 10:00 can break 11:00). Passes
//! repeat until one removes nothing; that last pass tried every agent against
//! the final staffing, and each failed try names the target that broke: the
//! agent's "binding" target.

use super::correct::Bounds;
use super::{Binding, Search, Simulated};

type Bindings = Vec<Vec<Option<Binding>>>;

/// Removes every agent the targets do not need; returns the final simulation
/// and, by pool then interval, why each remaining agent stays.
pub fn minimal(
    s: &mut Search,
    agents: &mut [Vec<u32>],
    bounds: &Bounds,
    mut runs: Simulated,
) -> Result<(Simulated, Bindings), String> {
    let req = s.req;
    let k_count = req.scenario.intervals.count();
    let mut cells: Vec<(usize, usize)> = req.pools.iter().flat_map(|&p| (0..k_count).map(move |k| (p, k))).collect();
    // Dearest first; then in time order, pools in file order (stable sort).
    cells.sort_by(|a, b| s.paid_rate(b.0).total_cmp(&s.paid_rate(a.0)));
    loop {
        let mut binding: Bindings = vec![vec![None; k_count]; agents.len()];
        let mut removed = false;
        for &(p, k) in &cells {
            loop {
                if agents[p][k] == 0 {
                    break;
                }
                if agents[p][k] <= (bounds.min)(p, k) {
                    binding[p][k] = Some(Binding::AtMinimum);
                    break;
                }
                agents[p][k] -= 1;
                let trial = s.simulate(agents)?;
                // Every interval is checked: calls dialed before k still on hold at its start count there.
                match s.first_miss(&trial, k) {
                    None => {
                        runs = trial;
                        removed = true;
                    }
                    Some((interval, target, miss)) => {
                        agents[p][k] += 1;
                        binding[p][k] = Some(Binding::Target { target, interval, value: miss.value });
                        break;
                    }
                }
            }
        }
        if !removed {
            return Ok((runs, binding));
        }
    }
}
