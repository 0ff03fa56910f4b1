//! Shifts with breaks (`shifts:` in a pool): agents who each work a shift and
//! take its breaks. The engine follows every agent of a rota on their own
//! (shift start, breaks, shift end: see `sim::shifts`); for the reports,
//! `staff` and costs, the rota is also summed into the pool's timeline of
//! agents on duty (on shift and not on a break, breaks at their planned times).

use crate::time::{SimDuration, SimTime};

/// One entry of `shifts:`: `count` agents on from `start` to `end`, each
/// taking `breaks` (`(at, length)`, `at` from the shift's start, in order).
#[derive(Clone, Debug, PartialEq)]
pub struct RotaShift {
    pub start: SimTime,
    pub end: SimTime,
    pub count: u32,
    pub breaks: Vec<(SimDuration, SimDuration)>,
}

/// The agents on duty over the day, `(from, agents)` sorted by `from`: the
/// sum of every shift's agents on shift and not on break (breaks as planned).
pub fn steps(rota: &[RotaShift]) -> Vec<(SimTime, f64)> {
    let mut changes: Vec<(SimTime, i64)> = Vec::new();
    for s in rota {
        let n = i64::from(s.count);
        changes.push((s.start, n));
        changes.push((s.end, -n));
        for &(at, len) in &s.breaks {
            changes.push((s.start + at, -n));
            changes.push((s.start + at + len, n));
        }
    }
    changes.sort_by_key(|c| c.0);
    let mut out: Vec<(SimTime, f64)> = vec![(SimTime::ZERO, 0.0)];
    let mut on = 0i64;
    for (t, d) in changes {
        on += d;
        let n = on.max(0) as f64;
        match out.last_mut() {
            Some(l) if l.0 == t => l.1 = n,
            _ => out.push((t, n)),
        }
    }
    out.dedup_by(|b, a| a.1 == b.1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: f64) -> SimDuration {
        SimDuration::from_secs_f64(x * 3600.0)
    }

    #[test]
    fn shifts_add_up_and_breaks_take_agents_off() {
        let rota = vec![
            RotaShift { start: SimTime::ZERO, end: SimTime::ZERO + h(8.0), count: 4, breaks: vec![(h(2.0), h(0.5))] },
            RotaShift { start: SimTime::ZERO + h(4.0), end: SimTime::ZERO + h(10.0), count: 2, breaks: vec![] },
        ];
        let at = |x: f64| SimTime::ZERO + h(x);
        assert_eq!(
            steps(&rota),
            vec![(at(0.0), 4.0), (at(2.0), 0.0), (at(2.5), 4.0), (at(4.0), 6.0), (at(8.0), 2.0), (at(10.0), 0.0)]
        );
    }
}
