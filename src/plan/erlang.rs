//! Erlang B and C (M/M/c) and the figures a planner reads off one staffed line:
//! service level, mean wait, P(wait > 0), abandon rate, occupancy, wait quantiles.
//! With exponential patience the line is Erlang A ([`super::erlang_a`]).
//!
//! All times are seconds, all rates per second. The figures follow the report's
//! conventions (SCENARIO.md): the wait of a caller who hangs up counts until they
//! hang up, and the service level is answered within the threshold / calls that
//! reached the queue, so a caller who hangs up counts in the denominator.

use serde::Serialize;

use super::erlang_a::Chain;

/// One queue in steady state: Poisson arrivals, exponential talk times and,
/// when `patience` is set, exponential patience (Erlang A); else nobody hangs up (Erlang C).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Line {
    /// Calls per second.
    pub rate: f64,
    /// Mean talk time (handle), seconds.
    pub handle: f64,
    /// Mean patience on hold, seconds; `None`: nobody hangs up.
    pub patience: Option<f64>,
}

/// Erlang B, the blocking probability of `c` lines under offered load `a`, by the
/// recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)): every step is a ratio
/// below 1, so it neither overflows nor cancels for thousands of agents.
pub(crate) fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}

/// Erlang C, the probability that a caller waits in M/M/c (needs a < c):
/// C = B / (1 − ρ(1 − B)) with ρ = a/c and B = Erlang B.
pub(crate) fn erlang_c(c: u32, a: f64) -> f64 {
    let b = erlang_b(c, a);
    let rho = a / f64::from(c);
    b / (1.0 - rho * (1.0 - b))
}

/// The figures at one staffing level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub(crate) struct Figures {
    pub agents: u32,
    /// Share of calls answered within the threshold (abandoned calls count in the denominator).
    pub service_level: f64,
    /// Mean wait (ASA) of every caller who reached the queue, s; a caller who hangs up counts until then.
    pub wait_mean: f64,
    /// Mean wait of the callers who were answered, s.
    pub wait_mean_answered: f64,
    /// P(wait > 0): the share of callers who find every agent busy.
    pub p_wait: f64,
    /// Share of callers who hang up on hold.
    pub abandon_rate: f64,
    /// Busy share of the agents' time: carried load / agents.
    pub occupancy: f64,
    /// 95th percentile of the wait, s (of every caller, as `wait.p95` in the report).
    pub wait_p95: f64,
}

/// A line with a number of agents: the distribution of what callers meet.
#[derive(Clone, Debug)]
pub(crate) enum Staffed {
    /// M/M/c. `drain` = cμ − λ > 0, the rate at which a queue empties.
    C { agents: u32, load: f64, p_wait: f64, drain: f64 },
    /// M/M/c+M.
    A(Chain),
}

impl Line {
    /// Offered load in erlangs: rate × mean handle.
    pub(crate) fn load(&self) -> f64 {
        self.rate * self.handle
    }

    /// The fewest agents with a steady state: more than the load for Erlang C;
    /// one for Erlang A (callers who hang up keep any queue finite).
    pub(crate) fn min_agents(&self) -> u32 {
        match self.patience {
            Some(_) => 1,
            None => (self.load().floor() as u32).saturating_add(1),
        }
    }

    /// The steady state with `agents` agents; `None` when there is none (Erlang C at or above capacity).
    pub(crate) fn staffed(&self, agents: u32) -> Option<Staffed> {
        if agents == 0 {
            return None;
        }
        let a = self.load();
        match self.patience {
            Some(p) => Some(Staffed::A(Chain::new(self.rate, 1.0 / self.handle, 1.0 / p, agents))),
            None if a < f64::from(agents) => Some(Staffed::C {
                agents,
                load: a,
                p_wait: erlang_c(agents, a),
                drain: f64::from(agents) / self.handle - self.rate,
            }),
            None => None,
        }
    }
}

impl Staffed {
    pub(crate) fn agents(&self) -> u32 {
        match self {
            Staffed::C { agents, .. } => *agents,
            Staffed::A(ch) => ch.agents,
        }
    }

    pub(crate) fn p_wait(&self) -> f64 {
        match self {
            Staffed::C { p_wait, .. } => *p_wait,
            Staffed::A(ch) => ch.p_wait,
        }
    }

    /// Mean wait of every caller: C/(cμ − λ), or E[Q]/λ by Little's law.
    pub(crate) fn wait_mean(&self) -> f64 {
        match self {
            Staffed::C { p_wait, drain, .. } => p_wait / drain,
            Staffed::A(ch) => ch.wait_mean(),
        }
    }

    pub(crate) fn abandon_rate(&self) -> f64 {
        match self {
            Staffed::C { .. } => 0.0,
            Staffed::A(ch) => ch.abandon_rate(),
        }
    }

    /// Carried load / agents: a/c, or a(1 − P(abandon))/c.
    pub(crate) fn occupancy(&self) -> f64 {
        match self {
            Staffed::C { agents, load, .. } => load / f64::from(*agents),
            Staffed::A(ch) => ch.occupancy(),
        }
    }

    /// P(answered within t) over callers who reached the queue: 1 − C·e^{−(cμ−λ)t} for Erlang C.
    pub(crate) fn service_level(&self, t: f64) -> f64 {
        match self {
            Staffed::C { p_wait, drain, .. } => 1.0 - p_wait * (-drain * t).exp(),
            Staffed::A(ch) => ch.service_level(t),
        }
    }

    /// The `q` quantile of the wait of every caller (0.95 for `wait.p95`).
    pub(crate) fn wait_quantile(&self, q: f64) -> f64 {
        let beyond = 1.0 - q;
        match self {
            Staffed::C { p_wait, drain, .. } => {
                if *p_wait <= beyond {
                    0.0
                } else {
                    (p_wait / beyond).ln() / drain
                }
            }
            Staffed::A(ch) => ch.wait_quantile(q),
        }
    }

    /// Every figure, with the service level measured at `threshold` seconds.
    pub(crate) fn figures(&self, threshold: f64) -> Figures {
        let wait_mean_answered = match self {
            Staffed::C { .. } => self.wait_mean(),
            Staffed::A(ch) => ch.wait_mean_answered(),
        };
        Figures {
            agents: self.agents(),
            service_level: self.service_level(threshold),
            wait_mean: self.wait_mean(),
            wait_mean_answered,
            p_wait: self.p_wait(),
            abandon_rate: self.abandon_rate(),
            occupancy: self.occupancy(),
            wait_p95: self.wait_quantile(0.95),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook sum, in logs so that it is an independent computation:
    /// B = (aᶜ/c!) / Σ_{k≤c} aᵏ/k!.
    fn erlang_b_by_sum(c: u32, a: f64) -> f64 {
        let ln_term = |k: u32| f64::from(k) * a.ln() - (1..=k).map(|i| f64::from(i).ln()).sum::<f64>();
        let top = ln_term(c);
        let sum: f64 = (0..=c).map(|k| (ln_term(k) - top).exp()).sum();
        1.0 / sum
    }

    fn close(x: f64, y: f64, tol: f64) {
        assert!((x - y).abs() <= tol, "{x} vs {y} (tolerance {tol})");
    }

    #[test]
    fn erlang_b_matches_the_published_table_and_the_textbook_sum() {
        // The Mathematica Erlang B example: 30 lines at 25 erlangs block "approximately
        // 0.05" (0.0526); Erlang B tables: 10 lines at 5 erlangs block 1.84%.
        close(erlang_b(30, 25.0), erlang_b_by_sum(30, 25.0), 1e-12);
        close(erlang_b(30, 25.0), 0.0526, 5e-5);
        close(erlang_b(10, 5.0), 0.01838, 5e-6);
        // Hundreds of agents: no overflow, still the sum.
        close(erlang_b(900, 870.0), erlang_b_by_sum(900, 870.0), 1e-10);
    }

    #[test]
    fn erlang_c_matches_pyworkforce_worked_example() {
        // pyworkforce's README (ErlangC, transactions=100 per 30 min, aht=3 min,
        // asa=20 s): 14 positions give waiting_probability 0.1741319335950498,
        // service_level 0.8883500191794669, occupancy 0.7142857142857143.
        let line = Line { rate: 100.0 / 1800.0, handle: 180.0, patience: None };
        close(line.load(), 10.0, 1e-12);
        let f = line.staffed(14).unwrap().figures(20.0);
        close(f.p_wait, 0.1741319335950498, 1e-12);
        close(f.service_level, 0.8883500191794669, 1e-12);
        close(f.occupancy, 0.7142857142857143, 1e-12);
        // And C(3, 2) = 4/9, the small case written out.
        close(erlang_c(3, 2.0), 4.0 / 9.0, 1e-15);
    }

    #[test]
    fn erlang_c_mean_wait_and_p95_follow_from_the_exponential_tail() {
        let line = Line { rate: 120.0 / 3600.0, handle: 300.0, patience: None };
        let s = line.staffed(12).unwrap();
        let (c, drain) = (s.p_wait(), 12.0 / 300.0 - 120.0 / 3600.0);
        close(s.wait_mean(), c / drain, 1e-12);
        // P(W > p95) = 5%.
        close(c * (-drain * s.wait_quantile(0.95)).exp(), 0.05, 1e-12);
        assert_eq!(s.abandon_rate(), 0.0);
    }

    #[test]
    fn erlang_c_has_no_steady_state_at_or_above_capacity() {
        let line = Line { rate: 120.0 / 3600.0, handle: 300.0, patience: None };
        assert_eq!(line.min_agents(), 11);
        assert!(line.staffed(10).is_none());
        assert!(line.staffed(11).is_some());
        let with_patience = Line { patience: Some(180.0), ..line };
        assert_eq!(with_patience.min_agents(), 1);
        assert!(with_patience.staffed(3).is_some());
    }

    #[test]
    fn a_thousand_agents_stay_finite() {
        let line = Line { rate: 950.0 / 300.0, handle: 300.0, patience: None };
        let f = line.staffed(1000).unwrap().figures(20.0);
        assert!(f.p_wait > 0.0 && f.p_wait < 1.0, "{f:?}");
        assert!(f.service_level.is_finite() && f.wait_mean.is_finite());
    }
}
