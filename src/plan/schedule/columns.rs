//! The covering model's columns (Dantzig's set covering with explicit break
//! placements): one column per shift type, allowed start and placement of
//! every break on the grid of time slots. A column covers the slots its agent
//! is on shift and not on a break.

use super::rules::{Rules, ShiftType};

/// Time slots of equal length over the day: the largest length that every
/// time of the rules and the reporting interval are whole multiples of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Seconds per slot.
    pub slot: u64,
    pub slots: usize,
    /// Seconds per reporting interval.
    pub interval: u64,
}

/// More slots than this in a day (5-minute slots over 24 hours: 288) is a grid
/// made fine by an odd time; refused.
pub const MAX_SLOTS: usize = 2_880;

/// More columns than this for one pool is a break window too wide to list.
pub const MAX_COLUMNS: usize = 200_000;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl Grid {
    pub fn new(rules: &Rules, interval: u64, horizon: u64) -> Result<Grid, String> {
        let mut g = gcd(interval, horizon);
        g = gcd(g, rules.open.0);
        g = gcd(g, rules.open.1);
        for t in &rules.types {
            for x in t.times() {
                g = gcd(g, x);
            }
        }
        let slots = horizon.div_ceil(g.max(1)) as usize;
        if g == 0 || slots > MAX_SLOTS {
            return Err(format!(
                "error: the rules' times and the interval have {}s as their common step, {slots} slots in the day \
                 (at most {MAX_SLOTS})\n  help: give starts, lengths and break windows in whole minutes (e.g. 15m steps)",
                g
            ));
        }
        Ok(Grid { slot: g, slots, interval })
    }

    /// The reporting interval slot `s` lies in.
    pub fn interval_of(&self, s: usize) -> usize {
        (s as u64 * self.slot / self.interval) as usize
    }

    pub fn hours(&self) -> f64 {
        self.slot as f64 / 3600.0
    }
}

/// One shift with its breaks placed.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Index into the rules' shift types.
    pub kind: usize,
    /// Seconds from time 0.
    pub start: u64,
    /// `(at, length)` of each break, seconds from the shift's start.
    pub breaks: Vec<(u64, u64)>,
    pub cost: f64,
    /// Paid hours (the whole shift: breaks are paid).
    pub hours: f64,
    /// The slots the agent is on the phones.
    pub covers: Vec<u32>,
}

/// Every column of the rules for a pool paid `rate` an hour.
pub fn enumerate(rules: &Rules, grid: &Grid, rate: Option<f64>) -> Result<Vec<Column>, String> {
    let mut out = Vec::new();
    for (kind, t) in rules.types.iter().enumerate() {
        let mut placements = Vec::new();
        place(t, grid.slot, 0, 0, &mut Vec::new(), &mut placements);
        for &start in &t.starts {
            for breaks in &placements {
                let covers = (start / grid.slot..(start + t.length) / grid.slot)
                    .filter(|&s| {
                        let at = s * grid.slot - start;
                        !breaks.iter().any(|&(b, l)| at >= b && at < b + l)
                    })
                    .map(|s| s as u32)
                    .filter(|&s| (s as usize) < grid.slots)
                    .collect();
                out.push(Column {
                    kind,
                    start,
                    breaks: breaks.clone(),
                    cost: t.cost(rate),
                    hours: t.length as f64 / 3600.0,
                    covers,
                });
                if out.len() > MAX_COLUMNS {
                    return Err(format!(
                        "error: --rules: more than {MAX_COLUMNS} ways to place the shifts and breaks of `{}`\n  \
                         help: narrow the break windows or the start window, or take a longer start step",
                        t.name
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Every placement of breaks `i..` of `t` on the grid, each after the one before (and `min_gap`).
fn place(t: &ShiftType, slot: u64, i: usize, after: u64, now: &mut Vec<(u64, u64)>, out: &mut Vec<Vec<(u64, u64)>>) {
    let Some(b) = t.breaks.get(i) else {
        out.push(now.clone());
        return;
    };
    let first = if i == 0 { b.earliest } else { b.earliest.max(after + t.min_gap) };
    let mut at = first.div_ceil(slot) * slot;
    while at <= b.latest {
        now.push((at, b.length));
        place(t, slot, i + 1, at + b.length, now, out);
        now.pop();
        at += slot;
    }
}

/// Agents on the phones per slot for `counts` of each column.
pub fn coverage(cols: &[Column], counts: &[u32], slots: usize) -> Vec<u32> {
    let mut cover = vec![0u32; slots];
    for (c, &n) in cols.iter().zip(counts) {
        if n > 0 {
            for &s in &c.covers {
                cover[s as usize] += n;
            }
        }
    }
    cover
}

#[cfg(test)]
mod tests {
    use super::super::rules::BreakRule;
    use super::*;

    fn rules(breaks: Vec<BreakRule>) -> Rules {
        let t = ShiftType {
            name: "full".into(),
            length: 4 * 3600,
            starts: vec![0, 1800],
            breaks,
            min_gap: 0,
            max_share: None,
            min_count: None,
            max_count: None,
            cost_per_shift: None,
            cost_per_hour: None,
        };
        Rules { types: vec![t], pools: vec![0], open: (0, 8 * 3600) }
    }

    #[test]
    fn columns_place_every_break_on_the_grid_and_cover_the_rest() {
        let r = rules(vec![BreakRule { length: 900, earliest: 3600, latest: 5400 }]);
        let g = Grid::new(&r, 1800, 8 * 3600).unwrap();
        assert_eq!(g.slot, 900);
        let cols = enumerate(&r, &g, Some(10.0)).unwrap();
        // 2 starts × 3 break starts (1h, 1h15, 1h30).
        assert_eq!(cols.len(), 6);
        assert_eq!(cols[0].covers.len(), 15, "16 slots on shift, one on break");
        assert!(!cols[0].covers.contains(&4), "the break at 1h is slot 4");
        assert!((cols[0].cost - 40.0).abs() < 1e-9);
        let cover = coverage(&cols, &[1, 0, 0, 0, 0, 2], g.slots);
        assert_eq!(cover[0], 1);
        assert_eq!(cover[2], 3);
        assert_eq!(cover[8], 1, "the second shift's break at 2h00 (1h30 from its start)");
    }
}
