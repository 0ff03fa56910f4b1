//! Erlang A (M/M/c+M, Palm's queue with exponential patience), exactly, from its
//! birth–death chain.
//!
//! With arrival rate λ, talk rate μ, patience rate θ and c agents, the number of
//! callers in the system moves up at rate λ and down at min(k, c)·μ + (k − c)⁺·θ.
//! Up to c the stationary weights are those of Erlang B, so Σ_{k≤c} π_k = π_c / B(c, a);
//! above c, π_{c+j} = π_c · Π_{i=1..j} λ / (cμ + iθ). The terms above c are kept in
//! logarithms (an overloaded line can make them exceed 1e300 before normalising).
//!
//! Truncation: the terms above c grow until cμ + jθ exceeds λ and then fall faster
//! than a geometric series of ratio r = λ/(cμ + jθ) < 1, so once past the mode the
//! rest of the series is at most term · r/(1 − r). The chain stops when that bound is
//! below e⁻⁴⁰ (≈ 4e−18) of the total: the figures are exact to double precision.
//!
//! A caller who arrives to find n − 1 callers on hold (all agents busy) is n-th in
//! line. While they wait, the line ahead moves at rate cμ + (i − 1)θ and they hang
//! up at rate θ, so from position i they leave it at rate cμ + iθ. Hence, with
//! κ = cμ/θ (Palm's model; Garnett, Mandelbaum & Reiman 2002; Zeltyn & Mandelbaum 2005):
//! - P(answered | n) = κ/(κ + n), E[wait | n] = n/(cμ + nθ),
//!   E[wait | n, answered] = Σ_{i=1..n} 1/(cμ + iθ);
//! - the wait of an answered caller is Σ_{i=1..n} Exp(cμ + iθ), whose CDF at t is the
//!   regularised incomplete beta I_x(n, κ + 1) with x = 1 − e^{−θt} (the n-th order
//!   statistic of κ + n unit exponentials, Rényi), and I_x(n, b) = P(NegBin(b, x) ≥ n):
//!   a sum of negative-binomial terms, computed in logarithms by their recursion;
//! - the offered wait V (the wait of an infinitely patient caller) has CDF I_x(n, κ), and
//!   every caller's wait is min(V, patience), so P(W > t | n) = e^{−θt}·P(NegBin(κ, x) < n).

/// The stationary distribution of M/M/c+M as an arriving caller sees it.
#[derive(Clone, Debug)]
pub(crate) struct Chain {
    pub agents: u32,
    lambda: f64,
    /// c·μ, the rate at which busy agents finish.
    c_mu: f64,
    theta: f64,
    /// P(all agents busy on arrival) = P(wait > 0).
    pub p_wait: f64,
    /// `ahead[n − 1]` = P(an arriving caller is n-th in line), n ≥ 1.
    ahead: Vec<f64>,
    /// Mean number on hold, E[Q].
    queue_mean: f64,
}

/// Guards against runaway inputs (more than this many callers on hold at the mode).
const MAX_TERMS: usize = 20_000_000;

impl Chain {
    pub(crate) fn new(lambda: f64, mu: f64, theta: f64, agents: u32) -> Chain {
        let c_mu = f64::from(agents) * mu;
        let b = super::erlang::erlang_b(agents, lambda / mu);
        if b < f64::MIN_POSITIVE || lambda <= 0.0 {
            // So many agents that nobody ever finds them all busy.
            return Chain { agents, lambda, c_mu, theta, p_wait: 0.0, ahead: Vec::new(), queue_mean: 0.0 };
        }
        // ln of the weights relative to π_c: below c (π_c included) and each j ≥ 0 above.
        let ln_below = -b.ln();
        let mut ln_terms = vec![0.0f64];
        let mut ln_total = ln_below;
        let mut ln_term = 0.0;
        for j in 1..MAX_TERMS {
            let r = lambda / (c_mu + j as f64 * theta);
            ln_term += r.ln();
            ln_terms.push(ln_term);
            ln_total = log_add(ln_total, ln_term);
            if r < 1.0 && ln_term + (r / (1.0 - r)).ln() < ln_total - 40.0 {
                break;
            }
        }
        let ahead: Vec<f64> = ln_terms.iter().map(|l| (l - ln_total).exp()).collect();
        let p_wait = ahead.iter().sum();
        let queue_mean = ahead.iter().enumerate().map(|(j, p)| j as f64 * p).sum();
        Chain { agents, lambda, c_mu, theta, p_wait, ahead, queue_mean }
    }

    fn kappa(&self) -> f64 {
        self.c_mu / self.theta
    }

    /// Every caller's mean wait, E[Q]/λ (Little's law on the callers on hold).
    pub(crate) fn wait_mean(&self) -> f64 {
        if self.lambda > 0.0 { self.queue_mean / self.lambda } else { 0.0 }
    }

    /// θ·E[Q]/λ: the rate of hang-ups over the rate of arrivals.
    pub(crate) fn abandon_rate(&self) -> f64 {
        if self.lambda > 0.0 { self.theta * self.queue_mean / self.lambda } else { 0.0 }
    }

    pub(crate) fn occupancy(&self) -> f64 {
        self.lambda * (1.0 - self.abandon_rate()) / self.c_mu
    }

    /// Mean wait of the answered callers: Σ_n P(n) · κ/(κ+n) · Σ_{i≤n} 1/(cμ+iθ) / P(answered).
    pub(crate) fn wait_mean_answered(&self) -> f64 {
        let kappa = self.kappa();
        let (mut harmonic, mut total) = (0.0, 0.0);
        for (i, p) in self.ahead.iter().enumerate() {
            let n = (i + 1) as f64;
            harmonic += 1.0 / (self.c_mu + n * self.theta);
            total += p * kappa / (kappa + n) * harmonic;
        }
        let answered = 1.0 - self.abandon_rate();
        if answered > 0.0 { total / answered } else { 0.0 }
    }

    /// P(answered within t) = P(no wait) + Σ_n P(n) · κ/(κ+n) · I_x(n, κ+1).
    pub(crate) fn service_level(&self, t: f64) -> f64 {
        let kappa = self.kappa();
        let mut nb = NegBin::new(kappa + 1.0, self.theta * t);
        let waited: f64 = self
            .ahead
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n = (i + 1) as f64;
                p * kappa / (kappa + n) * nb.at_least_next()
            })
            .sum();
        (1.0 - self.p_wait) + waited
    }

    /// P(W > t) for every caller's wait W = min(offered wait, patience).
    pub(crate) fn wait_tail(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return self.p_wait;
        }
        let mut nb = NegBin::new(self.kappa(), self.theta * t);
        let offered_longer: f64 = self.ahead.iter().map(|p| p * (1.0 - nb.at_least_next())).sum();
        (-self.theta * t).exp() * offered_longer
    }

    /// The `q` quantile of every caller's wait, by bisection on [`Chain::wait_tail`].
    pub(crate) fn wait_quantile(&self, q: f64) -> f64 {
        let beyond = 1.0 - q;
        if self.p_wait <= beyond {
            return 0.0;
        }
        let mut hi = 1.0 / (self.c_mu + self.theta);
        while self.wait_tail(hi) > beyond {
            hi *= 2.0;
        }
        let mut lo = 0.0;
        while hi - lo > 1e-9 * hi {
            let mid = 0.5 * (lo + hi);
            if self.wait_tail(mid) > beyond { lo = mid } else { hi = mid }
        }
        0.5 * (lo + hi)
    }
}

/// ln(eˣ + eʸ) without overflow.
fn log_add(x: f64, y: f64) -> f64 {
    let (hi, lo) = if x > y { (x, y) } else { (y, x) };
    hi + (lo - hi).exp().ln_1p()
}

/// The negative binomial with `b` (real, > 0) and success share x = 1 − e^{−y}:
/// P(k) = Γ(k+b)/(k!·Γ(b)) · (1−x)^b · xᵏ, walked k = 0, 1, 2, ... in logarithms
/// (P(0) = e^{−b·y} underflows for long thresholds; its logarithm does not).
struct NegBin {
    b: f64,
    ln_x: f64,
    ln_pk: f64,
    k: f64,
    /// P(NegBin < k).
    below: f64,
}

impl NegBin {
    fn new(b: f64, y: f64) -> NegBin {
        // ln x = ln(1 − e^{−y}), accurate for small y too.
        let ln_x = if y > 0.0 { (-(-y).exp_m1()).ln() } else { f64::NEG_INFINITY };
        NegBin { b, ln_x, ln_pk: -b * y, k: 0.0, below: 0.0 }
    }

    /// I_x(n, b) = P(NegBin ≥ n) for n = 1, 2, 3, ... on successive calls.
    fn at_least_next(&mut self) -> f64 {
        self.below += self.ln_pk.exp();
        self.k += 1.0;
        self.ln_pk += self.ln_x + ((self.k - 1.0 + self.b) / self.k).ln();
        (1.0 - self.below).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::erlang::{Line, erlang_c};

    fn close(what: &str, x: f64, y: f64, tol: f64) {
        assert!((x - y).abs() <= tol, "{what}: {x} vs {y} (tolerance {tol})");
    }

    #[test]
    fn with_almost_infinite_patience_it_is_erlang_c() {
        let (lambda, mu) = (120.0 / 3600.0, 1.0 / 300.0);
        let a = Chain::new(lambda, mu, 1e-9, 12);
        let c = Line { rate: lambda, handle: 300.0, patience: None }.staffed(12).unwrap();
        close("P(wait)", a.p_wait, erlang_c(12, 10.0), 1e-6);
        close("mean wait", a.wait_mean(), c.wait_mean(), 1e-3);
        close("service level", a.service_level(20.0), c.service_level(20.0), 1e-6);
        close("p95", a.wait_quantile(0.95), c.wait_quantile(0.95), 1e-2);
    }

    /// Patience as long as the talk time (θ = μ) makes every caller leave at the
    /// same rate whether talking or holding: the number in the system is Poisson(a),
    /// an independent check of the chain.
    #[test]
    fn patience_equal_to_talk_time_gives_a_poisson_number_in_system() {
        let (lambda, mu, c, a) = (2.0 / 60.0, 1.0 / 300.0, 8u32, 10.0f64);
        let chain = Chain::new(lambda, mu, mu, c);
        let poisson = |k: u32| (f64::from(k) * a.ln() - a - (1..=k).map(|i| f64::from(i).ln()).sum::<f64>()).exp();
        let p_busy: f64 = 1.0 - (0..c).map(poisson).sum::<f64>();
        let on_hold: f64 = (c + 1..200).map(|k| f64::from(k - c) * poisson(k)).sum();
        close("P(wait)", chain.p_wait, p_busy, 1e-12);
        close("abandon", chain.abandon_rate(), mu * on_hold / lambda, 1e-12);
    }

    #[test]
    fn little_and_the_position_formulas_agree() {
        // E[W] = E[Q]/λ (Little) equals Σ P(n)·n/(cμ+nθ) (position by position), and
        // P(abandon) = θE[Q]/λ equals Σ P(n)·n/(κ+n), on an overloaded line.
        let ch = Chain::new(150.0 / 3600.0, 1.0 / 300.0, 1.0 / 180.0, 11);
        let k = ch.kappa();
        let by_position: f64 =
            ch.ahead.iter().enumerate().map(|(i, p)| p * (i + 1) as f64 / (ch.c_mu + (i + 1) as f64 * ch.theta)).sum();
        let abandon: f64 = ch.ahead.iter().enumerate().map(|(i, p)| p * (i + 1) as f64 / (k + (i + 1) as f64)).sum();
        close("mean wait", ch.wait_mean(), by_position, 1e-9);
        close("abandon", ch.abandon_rate(), abandon, 1e-12);
        // Answered + hung up = everyone who waited or not.
        assert!(ch.service_level(1e7) <= 1.0 - ch.abandon_rate() + 1e-9);
        close("all answered eventually", ch.service_level(1e6), 1.0 - ch.abandon_rate(), 1e-9);
        close("P(W > 0)", ch.wait_tail(0.0), ch.p_wait, 0.0);
    }

    #[test]
    fn service_level_matches_the_hypoexponential_by_integration() {
        // For one caller 2nd in line: answered within t = ∫ density of Exp(r1)+Exp(r2) up to t,
        // times κ/(κ+2). Closed form of the sum of two exponentials.
        let (c_mu, theta, t) = (0.04f64, 0.005f64, 30.0f64);
        let (r1, r2) = (c_mu + theta, c_mu + 2.0 * theta);
        let cdf = 1.0 - (r2 * (-r1 * t).exp() - r1 * (-r2 * t).exp()) / (r2 - r1);
        let mut nb = NegBin::new(c_mu / theta + 1.0, theta * t);
        nb.at_least_next();
        close("I_x(2, κ+1)", nb.at_least_next(), cdf, 1e-12);
    }

    #[test]
    fn a_thousand_agents_overloaded_stay_finite() {
        // 1100 erlangs on 1000 agents, patience 3 minutes: ≈ 9% hang up.
        let ch = Chain::new(1100.0 / 300.0, 1.0 / 300.0, 1.0 / 180.0, 1000);
        let f = [ch.p_wait, ch.abandon_rate(), ch.wait_mean(), ch.service_level(20.0), ch.wait_quantile(0.95)];
        assert!(f.iter().all(|x| x.is_finite()), "{f:?}");
        assert!(ch.p_wait > 0.99 && (0.05..0.15).contains(&ch.abandon_rate()), "{f:?}");
        close("occupancy", ch.occupancy(), 1.0, 0.01);
    }
}
