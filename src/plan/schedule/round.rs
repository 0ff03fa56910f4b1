//! From the relaxation to a roster of whole shifts. microlp's own integer
//! search does not finish on a day of 96 slots and a thousand columns, so:
//!
//! 1. round the relaxation down, solve the relaxation of what is left
//!    uncovered and round that down too, while it adds shifts (each pass is
//!    one more small LP);
//! 2. add, for the slot short by most, the shift that covers it at least cost
//!    per short slot it covers (any break placement of any shift type), until
//!    every slot is covered (with `--soft`: while a shift costs less than the
//!    penalty of the short agent-slots it covers);
//! 3. drop shifts that became redundant, dearest first.
//!
//! The LP optimum bounds every roster from below: the report gives the gap.

use super::columns::{Column, coverage};
use super::limits::{self, broken, may_add, may_remove};
use super::lp::{self, Problem, Relaxed};
use super::rules::ShiftType;

/// Passes of step 1 at most.
const PASSES: usize = 8;

/// Whole agents per slot: a fractional requirement needs the next whole agent there.
pub fn whole_need(need: &[f64]) -> Vec<u32> {
    need.iter().map(|n| (n - 1e-9).ceil().max(0.0) as u32).collect()
}

/// A roster of whole shifts for the problem (its `fixed` are kept), from its
/// relaxation `first`, within every count and share limit of the rules.
pub fn integer(p: &Problem, first: &Relaxed) -> Result<Vec<u32>, String> {
    let mut counts: Vec<u32> = p.fixed.iter().zip(&first.x).map(|(f, x)| f + (x + 1e-6).floor() as u32).collect();
    for _ in 0..PASSES {
        let rest = Problem { fixed: &counts, ..*p };
        // Rounded down, the roster may be outside a share the relaxation kept
        // (fewer full shifts under the same part-time ones): step 2 mends it.
        let Ok(r) = lp::solve(&rest) else { break };
        let more: Vec<u32> = r.x.iter().map(|x| (x + 1e-6).floor() as u32).collect();
        if more.iter().all(|m| *m == 0) {
            break;
        }
        for (c, m) in counts.iter_mut().zip(more) {
            *c += m;
        }
    }
    let rounded = finish(p, &mut counts, &first.x).map(|()| counts);
    let dived = dive(p, first);
    let cost = |c: &[u32]| objective(p.cols, p.need, p.penalty, c);
    match (rounded, dived) {
        (Ok(a), Ok(b)) => Ok(if cost(&b) < cost(&a) - 1e-9 { b } else { a }),
        (Ok(a), Err(_)) | (Err(_), Ok(a)) => Ok(a),
        (Err(e), Err(_)) => Err(e),
    }
}

/// Steps 2 and 3 and the local search, on a roster rounded down; an error
/// when no roster this way keeps the rules' limits.
fn finish(p: &Problem, counts: &mut Vec<u32>, lp_x: &[f64]) -> Result<(), String> {
    fill(p.cols, p.types, p.need, p.penalty, counts, lp_x)?;
    limits::minimums(p.cols, p.types, p.need, counts);
    fit(p, counts, lp_x)?;
    drop_redundant(p.cols, p.types, p.need, p.penalty, counts, p.fixed);
    improve(p, counts, lp_x);
    match broken(p.types, p.cols, counts) {
        None => Ok(()),
        Some(why) => Err(format!(
            "no roster of whole shifts found within the rules' count and share limits: {why} \
             (help: raise max_count or max_share, or lower min_count)"
        )),
    }
}

/// Brings a roster above a type's `max_count` or `max_share` back within
/// them: takes out the copy of that type whose slots are least needed, covers
/// again (step 2 adds only what the limits allow), then tops up the minimums.
fn fit(p: &Problem, counts: &mut [u32], lp_x: &[f64]) -> Result<(), String> {
    let need = whole_need(p.need);
    let most = counts.iter().sum::<u32>() as usize * 2 + p.types.len();
    for _ in 0..most {
        let Some(t) = limits::over(p.types, p.cols, counts) else { return Ok(()) };
        let cover = coverage(p.cols, counts, need.len());
        let lost = |j: usize| p.cols[j].covers.iter().filter(|&&s| cover[s as usize] <= need[s as usize]).count();
        let out = (0..counts.len())
            .filter(|&j| p.cols[j].kind == t && counts[j] > p.fixed.get(j).copied().unwrap_or(0))
            .min_by(|&a, &b| lost(a).cmp(&lost(b)).then(p.cols[b].cost.total_cmp(&p.cols[a].cost)).then(a.cmp(&b)));
        let Some(j) = out else { break };
        counts[j] -= 1;
        fill(p.cols, p.types, p.need, p.penalty, counts, lp_x)?;
        limits::minimums(p.cols, p.types, p.need, counts);
    }
    Ok(())
}

/// The other rounding tried (a dive): take the whole copies of the
/// relaxation, round up its most fractional column, solve the relaxation
/// of the rest again, until it is whole; then steps 2–3 and the local search.
/// The cheaper of the two roundings is kept.
fn dive(p: &Problem, first: &Relaxed) -> Result<Vec<u32>, String> {
    let mut fixed = p.fixed.to_vec();
    let mut x = first.x.clone();
    loop {
        for (f, v) in fixed.iter_mut().zip(&x) {
            *f += (v + 1e-6).floor() as u32;
        }
        let frac = |j: usize| x[j] - (x[j] + 1e-6).floor();
        let Some(j) =
            (0..x.len()).filter(|&j| frac(j) > 1e-6).max_by(|&a, &b| frac(a).total_cmp(&frac(b)).then(b.cmp(&a)))
        else {
            break;
        };
        fixed[j] += 1;
        match lp::solve(&Problem { fixed: &fixed, ..*p }) {
            Ok(r) => x = r.x,
            // Rounding up broke a limit (a share): take it back and finish from here.
            Err(_) => {
                fixed[j] -= 1;
                break;
            }
        }
    }
    finish(p, &mut fixed, &first.x)?;
    Ok(fixed)
}

/// The roster's cost plus the penalty of the agent-slots it leaves short.
pub fn objective(cols: &[Column], need: &[f64], penalty: Option<f64>, counts: &[u32]) -> f64 {
    let cost: f64 = cols.iter().zip(counts).map(|(c, n)| c.cost * f64::from(*n)).sum();
    let Some(pen) = penalty else { return cost };
    let cover = coverage(cols, counts, need.len());
    let short: u32 = whole_need(need).iter().zip(&cover).map(|(n, c)| n.saturating_sub(*c)).sum();
    cost + pen * f64::from(short)
}

/// Local search: take one shift out, cover again (step 2) and drop what is
/// redundant (step 3); keep the change when the roster is cheaper. Passes
/// until none is, [`PASSES`] at most.
fn improve(p: &Problem, counts: &mut Vec<u32>, lp_x: &[f64]) {
    let mut best = objective(p.cols, p.need, p.penalty, counts);
    for _ in 0..PASSES {
        let mut better = false;
        let mut order: Vec<usize> = (0..counts.len()).filter(|&j| counts[j] > p.fixed[j]).collect();
        order.sort_by(|&a, &b| p.cols[b].cost.total_cmp(&p.cols[a].cost).then(a.cmp(&b)));
        for j in order {
            if counts[j] <= p.fixed[j] {
                continue;
            }
            let mut trial = counts.clone();
            trial[j] -= 1;
            if fill_without(p, &mut trial, lp_x, j).is_err() {
                continue;
            }
            drop_redundant(p.cols, p.types, p.need, p.penalty, &mut trial, p.fixed);
            // Covered again without the shift taken out, the roster may have
            // left a limit (a minimum, a share of the rest): not a roster.
            if broken(p.types, p.cols, &trial).is_some() {
                continue;
            }
            let cost = objective(p.cols, p.need, p.penalty, &trial);
            if cost < best - 1e-9 {
                best = cost;
                *counts = trial;
                better = true;
            }
        }
        if !better {
            return;
        }
    }
}

/// Step 2 without adding column `not` (it was just taken out).
fn fill_without(p: &Problem, counts: &mut [u32], lp_x: &[f64], not: usize) -> Result<(), String> {
    let left = fill_but(p.cols, p.types, p.need, p.penalty, counts, lp_x, Some(not));
    hard(p.penalty, &left)
}

/// Step 2: adds shifts where slots are short (see the module). `lp_x` breaks
/// ties. Without `--soft`, a slot no shift within the limits covers is an error.
pub fn fill(
    cols: &[Column],
    types: &[ShiftType],
    need: &[f64],
    penalty: Option<f64>,
    counts: &mut [u32],
    lp_x: &[f64],
) -> Result<(), String> {
    let left = fill_but(cols, types, need, penalty, counts, lp_x, None);
    hard(penalty, &left)
}

/// Step 2 for the simulation's repairs: covers every slot some shift within
/// the count and share limits can still reach, and returns the slots left
/// short (no such shift covers them).
pub fn fill_within_limits(
    cols: &[Column],
    types: &[ShiftType],
    need: &[f64],
    counts: &mut [u32],
    lp_x: &[f64],
) -> Vec<usize> {
    fill_but(cols, types, need, None, counts, lp_x, None)
}

/// Without `--soft`, slots left short are an error.
fn hard(penalty: Option<f64>, left: &[usize]) -> Result<(), String> {
    match left.first() {
        Some(s) if penalty.is_none() => Err(format!(
            "no shift within the rules' count and share limits covers slot {s} \
             (help: raise max_count or max_share, or give --soft)"
        )),
        _ => Ok(()),
    }
}

/// Adds shifts where slots are short; returns the slots given up (no shift
/// within the limits covers them, or with `--soft` none is worth its cost).
fn fill_but(
    cols: &[Column],
    types: &[ShiftType],
    need: &[f64],
    penalty: Option<f64>,
    counts: &mut [u32],
    lp_x: &[f64],
    not: Option<usize>,
) -> Vec<usize> {
    let need = whole_need(need);
    let mut cover = coverage(cols, counts, need.len());
    let mut given_up = vec![false; need.len()];
    loop {
        let short = |s: usize, cover: &[u32]| cover[s] < need[s];
        let target = (0..need.len())
            .filter(|&s| short(s, &cover) && !given_up[s])
            .max_by_key(|&s| (need[s] - cover[s], std::cmp::Reverse(s)));
        let Some(target) = target else {
            return (0..need.len()).filter(|&s| given_up[s] && short(s, &cover)).collect();
        };
        let mut best: Option<(f64, f64, usize)> = None;
        for (j, c) in cols.iter().enumerate() {
            if Some(j) == not || !c.covers.contains(&(target as u32)) || !may_add(types, cols, counts, c.kind) {
                continue;
            }
            let helped = c.covers.iter().filter(|&&s| short(s as usize, &cover)).count() as f64;
            if let Some(pen) = penalty
                && pen * helped <= c.cost
            {
                continue;
            }
            let score = c.cost / helped;
            let frac = lp_x.get(j).map_or(0.0, |x| x.fract());
            if best.is_none_or(|(b, f, _)| score < b - 1e-12 || (score <= b + 1e-12 && frac > f + 1e-12)) {
                best = Some((score, frac, j));
            }
        }
        match best {
            Some((_, _, j)) => {
                counts[j] += 1;
                for &s in &cols[j].covers {
                    cover[s as usize] += 1;
                }
            }
            None => given_up[target] = true,
        }
    }
}

/// Step 3: removes copies no slot needs (with `--soft`: whose cost is more
/// than the penalty of the agent-slots it leaves short), dearest first; never
/// below `keep`.
pub fn drop_redundant(
    cols: &[Column],
    types: &[ShiftType],
    need: &[f64],
    penalty: Option<f64>,
    counts: &mut [u32],
    keep: &[u32],
) {
    let need = whole_need(need);
    let mut cover = coverage(cols, counts, need.len());
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by(|&a, &b| cols[b].cost.total_cmp(&cols[a].cost).then(a.cmp(&b)));
    loop {
        let mut changed = false;
        for &j in &order {
            while counts[j] > keep.get(j).copied().unwrap_or(0) {
                let lost = cols[j].covers.iter().filter(|&&s| cover[s as usize] <= need[s as usize]).count() as f64;
                let worth_dropping = match penalty {
                    None => lost == 0.0,
                    Some(pen) => pen * lost < cols[j].cost,
                };
                if !worth_dropping || !may_remove(types, cols, counts, cols[j].kind) {
                    break;
                }
                counts[j] -= 1;
                for &s in &cols[j].covers {
                    cover[s as usize] -= 1;
                }
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::plan::schedule::fixtures::ty;

    fn col(covers: Vec<u32>, cost: f64) -> Column {
        crate::plan::schedule::fixtures::col(0, covers, cost)
    }

    #[test]
    fn an_odd_cycle_rounds_to_two_shifts() {
        let cols = vec![col(vec![0, 1], 1.0), col(vec![1, 2], 1.0), col(vec![0, 2], 1.0)];
        let types = vec![ty()];
        let p = Problem { cols: &cols, types: &types, need: &[1.0, 1.0, 1.0], fixed: &[0, 0, 0], penalty: None };
        let first = lp::solve(&p).unwrap();
        let counts = integer(&p, &first).unwrap();
        assert_eq!(counts.iter().sum::<u32>(), 2);
        let cover = coverage(&cols, &counts, 3);
        assert!(cover.iter().all(|c| *c >= 1));
    }

    #[test]
    fn redundant_shifts_are_dropped_dearest_first() {
        let cols = vec![col(vec![0, 1], 3.0), col(vec![0], 1.0), col(vec![1], 1.0)];
        let types = vec![ty()];
        let mut counts = vec![1, 1, 1];
        drop_redundant(&cols, &types, &[1.0, 1.0], None, &mut counts, &[]);
        assert_eq!(counts, vec![0, 1, 1]);
    }
}
