//! The rules' count and share limits on a roster of whole shifts (`min_count`,
//! `max_count`, `max_share` per shift type and pool). The relaxation keeps
//! them as constraints; every step that changes the integer roster (the
//! rounding, its repairs, the local search, the simulation's repairs) asks
//! here before it adds or removes a copy, and a roster is returned only when
//! [`broken`] finds nothing: a roster outside its own rules would be cheaper
//! than the LP bound, a negative gap.

use super::columns::Column;
use super::rules::ShiftType;

/// Shifts of type `t` in the roster.
fn of(cols: &[Column], counts: &[u32], t: usize) -> u32 {
    cols.iter().zip(counts).filter(|(c, _)| c.kind == t).map(|(_, n)| *n).sum()
}

/// Whether `n` shifts of a type out of `all` keep its `max_share`.
fn share_ok(ty: &ShiftType, n: u32, all: u32) -> bool {
    ty.max_share.is_none_or(|s| f64::from(n) <= s * f64::from(all) + 1e-9)
}

/// Whether one more copy of a column of type `t` keeps the type's limits
/// (adding a shift of another type only lowers `t`'s share).
pub fn may_add(types: &[ShiftType], cols: &[Column], counts: &[u32], t: usize) -> bool {
    let n = of(cols, counts, t);
    let all: u32 = counts.iter().sum();
    types[t].max_count.is_none_or(|m| n < m) && share_ok(&types[t], n + 1, all + 1)
}

/// Whether one copy fewer of a column of type `t` keeps every type's limits.
pub fn may_remove(types: &[ShiftType], cols: &[Column], counts: &[u32], t: usize) -> bool {
    let Some(all) = counts.iter().sum::<u32>().checked_sub(1) else { return false };
    let n_t = of(cols, counts, t);
    n_t > 0
        && types[t].min_count.is_none_or(|m| n_t > m)
        && types.iter().enumerate().all(|(u, ty)| share_ok(ty, of(cols, counts, u) - u32::from(u == t), all))
}

/// The first limit the roster breaks, said for a person: "`part` has 8 of 36
/// shifts (22.2%), more than its max_share 20%". `None`: within them all.
pub fn broken(types: &[ShiftType], cols: &[Column], counts: &[u32]) -> Option<String> {
    let all: u32 = counts.iter().sum();
    types.iter().enumerate().find_map(|(t, ty)| {
        let n = of(cols, counts, t);
        if let Some(m) = ty.min_count
            && n < m
        {
            return Some(format!("`{}` has {n} shifts, fewer than its min_count {m}", ty.name));
        }
        if let Some(m) = ty.max_count
            && n > m
        {
            return Some(format!("`{}` has {n} shifts, more than its max_count {m}", ty.name));
        }
        if !share_ok(ty, n, all) {
            let share = ty.max_share.unwrap_or(1.0);
            return Some(format!(
                "`{}` has {n} of {all} shifts ({:.1}%), more than its max_share {}%",
                ty.name,
                100.0 * f64::from(n) / f64::from(all.max(1)),
                crate::stats::r6(100.0 * share)
            ));
        }
        None
    })
}

/// A type the roster has too many of (above `max_count` or `max_share`).
pub fn over(types: &[ShiftType], cols: &[Column], counts: &[u32]) -> Option<usize> {
    let all: u32 = counts.iter().sum();
    types.iter().enumerate().position(|(t, ty)| {
        let n = of(cols, counts, t);
        ty.max_count.is_some_and(|m| n > m) || !share_ok(ty, n, all)
    })
}

/// Adds shifts of each type below its `min_count` (while that keeps its
/// other limits): the column covering most need per cost.
pub fn minimums(cols: &[Column], types: &[ShiftType], need: &[f64], counts: &mut [u32]) {
    let worth = |c: &Column| c.covers.iter().map(|&s| need[s as usize]).sum::<f64>() / c.cost.max(1e-9);
    for (t, ty) in types.iter().enumerate() {
        let Some(min) = ty.min_count else { continue };
        while of(cols, counts, t) < min && may_add(types, cols, counts, t) {
            let best = cols
                .iter()
                .enumerate()
                .filter(|(_, c)| c.kind == t)
                .max_by(|(a, x), (b, y)| worth(x).total_cmp(&worth(y)).then(b.cmp(a)));
            match best {
                Some((j, _)) => counts[j] += 1,
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::schedule::fixtures::{col, ty};

    fn types() -> Vec<ShiftType> {
        let mut part = ty();
        part.name = "part".into();
        part.max_share = Some(0.2);
        let mut evening = ty();
        evening.name = "evening".into();
        evening.min_count = Some(1);
        evening.max_count = Some(2);
        vec![ty(), part, evening]
    }

    #[test]
    fn a_share_a_minimum_and_a_maximum_are_each_named_when_broken() {
        let cols = vec![col(0, vec![0], 1.0), col(1, vec![0], 1.0), col(2, vec![0], 1.0)];
        let t = types();
        assert_eq!(broken(&t, &cols, &[4, 1, 1]), None);
        assert!(
            broken(&t, &cols, &[3, 2, 1])
                .unwrap()
                .contains("`part` has 2 of 6 shifts (33.3%), more than its max_share 20%")
        );
        assert!(broken(&t, &cols, &[4, 1, 0]).unwrap().contains("fewer than its min_count 1"));
        assert!(broken(&t, &cols, &[8, 1, 3]).unwrap().contains("more than its max_count 2"));
        assert_eq!(over(&t, &cols, &[3, 2, 1]), Some(1));
    }

    #[test]
    fn adding_and_removing_keep_every_limit() {
        let cols = vec![col(0, vec![0], 1.0), col(1, vec![0], 1.0), col(2, vec![0], 1.0)];
        let t = types();
        // 1 part of 5: a second part would be 2 of 6.
        assert!(!may_add(&t, &cols, &[3, 1, 1], 1));
        assert!(may_add(&t, &cols, &[8, 1, 1], 1));
        // Taking a full shift out leaves part at 1 of 4 (25%).
        assert!(!may_remove(&t, &cols, &[3, 1, 1], 0));
        // Not below evening's minimum, nor from a type with none.
        assert!(!may_remove(&t, &cols, &[4, 1, 1], 2));
        assert!(!may_remove(&t, &cols, &[4, 0, 1], 1));
    }
}
