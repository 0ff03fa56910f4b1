//! The linear-programming relaxation of the covering problem, solved by
//! `good_lp` with its pure-Rust `microlp` backend: minimise the shifts' cost
//! (plus the penalty of the agent-slots left short, with `--soft`) with, in
//! every slot, agents on the phones ≥ the requirement; count limits and share
//! limits per shift type. Its optimum is a lower bound on every roster's cost.

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};

use super::columns::Column;
use super::rules::ShiftType;

/// One covering problem: columns already placed (`fixed`) and the rest to choose.
pub struct Problem<'a> {
    pub cols: &'a [Column],
    pub types: &'a [ShiftType],
    /// Agents needed on the phones per slot.
    pub need: &'a [f64],
    /// Copies of each column already in the roster (counted in the limits and the coverage).
    pub fixed: &'a [u32],
    /// `--soft`: money per agent-slot left short; `None`: every slot covered.
    pub penalty: Option<f64>,
}

/// The relaxation's optimum.
#[derive(Clone, Debug)]
pub struct Relaxed {
    /// Copies of each column beyond `fixed`, fractional.
    pub x: Vec<f64>,
    /// Cost of `x` plus the penalty of `short`.
    pub objective: f64,
}

/// Solves the relaxation.
pub fn solve(p: &Problem) -> Result<Relaxed, String> {
    let slots = p.need.len();
    let fixed_cover = super::columns::coverage(p.cols, p.fixed, slots);
    let residual: Vec<f64> = (0..slots).map(|s| (p.need[s] - f64::from(fixed_cover[s])).max(0.0)).collect();
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = p.cols.iter().map(|_| vars.add(variable().min(0.0))).collect();
    let u: Vec<Option<Variable>> = residual
        .iter()
        .map(|&r| (p.penalty.is_some() && r > 0.0).then(|| vars.add(variable().min(0.0).max(r))))
        .collect();
    let mut objective = Expression::with_capacity(x.len() + slots);
    for (c, v) in p.cols.iter().zip(&x) {
        objective.add_mul(c.cost, *v);
    }
    if let Some(pen) = p.penalty {
        for v in u.iter().flatten() {
            objective.add_mul(pen, *v);
        }
    }
    let mut model = vars.minimise(objective).using(microlp);
    let mut by_slot: Vec<Vec<usize>> = vec![Vec::new(); slots];
    for (j, c) in p.cols.iter().enumerate() {
        for &s in &c.covers {
            by_slot[s as usize].push(j);
        }
    }
    for s in 0..slots {
        if residual[s] <= 0.0 {
            continue;
        }
        let mut e = Expression::with_capacity(by_slot[s].len() + 1);
        for &j in &by_slot[s] {
            e.add_mul(1.0, x[j]);
        }
        if let Some(v) = u[s] {
            e.add_mul(1.0, v);
        }
        model.add_constraint(e.geq(residual[s]));
    }
    let fixed_of =
        |t: usize| -> f64 { p.cols.iter().zip(p.fixed).filter(|(c, _)| c.kind == t).map(|(_, n)| f64::from(*n)).sum() };
    let fixed_all: f64 = p.fixed.iter().map(|n| f64::from(*n)).sum();
    for (t, ty) in p.types.iter().enumerate() {
        let of_type = |scale: f64| {
            let mut e = Expression::with_capacity(p.cols.len());
            for (c, v) in p.cols.iter().zip(&x) {
                if c.kind == t {
                    e.add_mul(scale, *v);
                }
            }
            e
        };
        if let Some(max) = ty.max_count {
            model.add_constraint(of_type(1.0).leq(f64::from(max) - fixed_of(t)));
        }
        if let Some(min) = ty.min_count {
            model.add_constraint(of_type(1.0).geq(f64::from(min) - fixed_of(t)));
        }
        if let Some(share) = ty.max_share.filter(|s| *s < 1.0) {
            // Σ_t x − share Σ x ≤ share·N_fixed − N_t,fixed
            let mut e = Expression::with_capacity(p.cols.len());
            for (c, v) in p.cols.iter().zip(&x) {
                e.add_mul(if c.kind == t { 1.0 - share } else { -share }, *v);
            }
            model.add_constraint(e.leq(share * fixed_all - fixed_of(t)));
        }
    }
    let sol = model.solve().map_err(|e| match e {
        good_lp::ResolutionError::Infeasible => {
            "no roster within the rules' count and share limits covers the requirement \
                                                 (help: raise max_count or max_share, or give --soft)"
                .to_string()
        }
        other => format!("the covering problem could not be solved: {other}"),
    })?;
    let xs: Vec<f64> = x.iter().map(|v| sol.value(*v).max(0.0)).collect();
    let short: Vec<f64> = u.iter().map(|v| v.map_or(0.0, |v| sol.value(v).max(0.0))).collect();
    let objective = p.cols.iter().zip(&xs).map(|(c, v)| c.cost * v).sum::<f64>()
        + p.penalty.map_or(0.0, |pen| pen * short.iter().sum::<f64>());
    Ok(Relaxed { x: xs, objective })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::schedule::fixtures::{col, ty};

    #[test]
    fn the_relaxation_of_an_odd_cycle_is_fractional() {
        // Three slots, three shifts each covering two of them: the LP takes
        // half of each (cost 1.5), every roster needs two.
        let cols = vec![col(0, vec![0, 1], 1.0), col(0, vec![1, 2], 1.0), col(0, vec![0, 2], 1.0)];
        let types = vec![ty()];
        let p = Problem { cols: &cols, types: &types, need: &[1.0, 1.0, 1.0], fixed: &[0, 0, 0], penalty: None };
        let r = solve(&p).unwrap();
        assert!((r.objective - 1.5).abs() < 1e-6, "{r:?}");
    }

    #[test]
    fn soft_coverage_leaves_short_what_costs_more_than_its_penalty() {
        let cols = vec![col(0, vec![0], 10.0)];
        let types = vec![ty()];
        let p = Problem { cols: &cols, types: &types, need: &[2.0], fixed: &[0], penalty: Some(4.0) };
        let r = solve(&p).unwrap();
        assert!((r.objective - 8.0).abs() < 1e-6 && r.x[0] < 1e-9, "{r:?}");
    }
}
