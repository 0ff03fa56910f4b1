//! The engine against queueing theory: Erlang C (M/M/c), Erlang A (M/M/c+M,
//! exponential patience) and Pollaczek–Khinchine (M/G/1), with the formulas
//! written here and checked on long runs through the same figures the JSON
//! report prints.
//!
//! How the tolerances are chosen. Each check runs `REPS` independent
//! replications long enough that the start-up transient (the line opens empty)
//! is a negligible share of the day, and compares the pooled figure with the
//! formula. The tolerance of each figure is stated beside it and is about three
//! times the 95% half-width that the same run measures from the spread between
//! replications (printed by `cargo test --test all theory:: -- --nocapture`), so a
//! correct engine passes with room to spare while a real modelling error (a
//! wrong queue discipline, patience counted wrongly, a rate off by 10%) fails.
//! The seed is fixed, so the tests are deterministic: never flaky.

use crate::common::scenario;
use shop::sim::{RunOptions, run_replications};
use shop::stats::Report;

const REPS: u32 = 20;

fn run(yaml: &str) -> Report {
    let sc = scenario(yaml);
    let reps = run_replications(&sc, &RunOptions { threads: None, on_replication_done: &|| {} }).expect("threads");
    Report::build(&sc, &reps)
}

/// A scenario with no menu: callers go straight to one queue answered by one pool.
fn single_queue(hours: u32, arrivals: &str, patience: Option<&str>, agents: u32, handle: &str) -> String {
    let patience = patience.map_or(String::new(), |p| format!(", patience: {p}"));
    format!(
        "name: theory\nseed: 1\nreplications: {REPS}\nhorizon: {hours}h\nstart: q\nservice_level: 30s\n\
         callers:\n  c: {{ arrivals: {arrivals}{patience} }}\n\
         queues:\n  q: {{ pools: [team] }}\n\
         pools:\n  team: {{ agents: {agents}, handle: \"{handle}\" }}\n"
    )
}

/// Relative difference, with a report line for `--nocapture`.
fn close(what: &str, sim: f64, theory: f64, rel_tol: f64, ci: Option<[f64; 2]>) {
    let rel = (sim - theory).abs() / theory.abs();
    println!(
        "{what}: simulated {sim:.4}, theory {theory:.4}, off by {:.2}% (tolerance {:.1}%), 95% CI {ci:?}",
        rel * 100.0,
        rel_tol * 100.0
    );
    assert!(
        rel <= rel_tol,
        "{what}: simulated {sim}, theory {theory}: off by {:.2}% > {:.1}%",
        rel * 100.0,
        rel_tol * 100.0
    );
}

fn near(what: &str, sim: f64, theory: f64, abs_tol: f64) {
    println!("{what}: simulated {sim:.4}, theory {theory:.4} (tolerance ±{abs_tol})");
    assert!((sim - theory).abs() <= abs_tol, "{what}: simulated {sim}, theory {theory}, tolerance ±{abs_tol}");
}

// ----- Erlang C -------------------------------------------------------------

/// Erlang C: the probability that an arriving caller waits, for `c` agents and
/// offered load `a = λ/μ` (a < c). Computed through the Erlang B recursion
/// B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), then C = c·B / (c − a·(1 − B)),
/// which equals the textbook
/// C = (aᶜ/c! · c/(c−a)) / (Σ_{k<c} aᵏ/k! + aᶜ/c! · c/(c−a)).
fn erlang_c(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = f64::from(c);
    c * b / (c - a * (1.0 - b))
}

/// M/M/c, first come first served. With C the Erlang C probability:
/// mean hold E[W] = C / (cμ − λ); P(W ≤ t) = 1 − C·e^{−(cμ−λ)t};
/// p95 of W = ln(C / 0.05) / (cμ − λ) when C > 0.05, else 0; occupancy ρ = λ/(cμ).
struct ErlangC {
    wait_mean: f64,
    within_30s: f64,
    p95: f64,
    occupancy: f64,
    /// P(W ≤ t).
    cdf: Box<dyn Fn(f64) -> f64>,
}

fn erlang_c_figures(lambda_per_s: f64, mean_handle_s: f64, c: u32) -> ErlangC {
    let mu = 1.0 / mean_handle_s;
    let a = lambda_per_s / mu;
    let pw = erlang_c(c, a);
    let drain = f64::from(c) * mu - lambda_per_s;
    ErlangC {
        wait_mean: pw / drain,
        within_30s: 1.0 - pw * (-drain * 30.0).exp(),
        p95: if pw > 0.05 { (pw / 0.05).ln() / drain } else { 0.0 },
        occupancy: a / f64::from(c),
        cdf: Box::new(move |t| 1.0 - pw * (-drain * t).exp()),
    }
}

#[test]
fn erlang_c_formula_matches_its_textbook_form() {
    // The recursion against the closed form, on a case small enough to write out.
    let (c, a) = (3u32, 2.0f64);
    let fact = |n: u32| (1..=n).map(f64::from).product::<f64>();
    let top = a.powi(3) / fact(3) * 3.0 / (3.0 - a);
    let closed = top / ((0..3).map(|k| a.powi(k as i32) / fact(k)).sum::<f64>() + top);
    assert!((erlang_c(c, a) - closed).abs() < 1e-12);
    assert!((closed - 4.0 / 9.0).abs() < 1e-12); // the known value C(3, 2) = 4/9
}

/// Seven agents, 3-minute exponential talk time; arrivals set the load.
fn check_erlang_c(calls_per_minute: f64, hours: u32, tol_mean: f64) {
    let yaml = single_queue(hours, &format!("{calls_per_minute}/m"), None, 7, "exp(3m)");
    let r = run(&yaml);
    let t = erlang_c_figures(calls_per_minute / 60.0, 180.0, 7);
    let o = &r.overall;
    let label = format!("M/M/7 at occupancy {:.3}", t.occupancy);
    println!("{label}: {} calls", o.calls);
    close(&format!("{label} mean hold (s)"), o.wait.mean.unwrap(), t.wait_mean, tol_mean, o.wait.mean_ci95);
    near(&format!("{label} answered within 30 s"), o.service_level.unwrap(), t.within_30s, 0.01);
    // The p95 itself is steep in the load where few callers wait (at ρ = 0.5 a
    // 0.3-point change in P(wait) moves it by 10%), so the robust check is that
    // the theoretical CDF puts 95% ± 0.5 points below the simulated p95; where
    // most callers wait the p95 is also checked directly.
    let p95 = o.wait.p95.unwrap();
    near(&format!("{label} P(W <= simulated p95)"), (t.cdf)(p95), 0.95, 0.005);
    if t.occupancy >= 0.75 {
        close(&format!("{label} p95 hold (s)"), p95, t.p95, tol_mean, o.wait.p95_ci95);
    }
    near(&format!("{label} occupancy"), r.by_pool["team"].occupancy.unwrap(), t.occupancy, 0.005);
    assert_eq!(o.abandon_rate, Some(0.0), "no patience: nobody hangs up");
    assert_eq!(o.resolved, o.calls, "a pool without `resolves` resolves every call");
}

#[test]
fn erlang_c_at_half_load() {
    // ρ = 0.5: C ≈ 0.070, mean hold ≈ 3.6 s. Half-width of the mean's CI ≈ 2%.
    check_erlang_c(7.0 / 6.0, 400, 0.06);
}

#[test]
fn erlang_c_at_three_quarter_load() {
    // ρ = 0.75: C ≈ 0.37, mean hold ≈ 38 s. Half-width ≈ 1.5%.
    check_erlang_c(1.75, 400, 0.05);
}

#[test]
fn erlang_c_at_ninety_percent_occupancy() {
    // ρ = 0.9: C ≈ 0.75, mean hold ≈ 193 s; heavy traffic converges slowly,
    // so a longer day. Half-width ≈ 2%.
    check_erlang_c(2.1, 1000, 0.06);
}

#[test]
fn one_agent_is_the_m_m_1_queue() {
    // c = 1: C = ρ, E[W] = ρ / (μ − λ). ρ = 0.8 with a 1-minute talk: E[W] = 240 s.
    let yaml = single_queue(2000, "0.8/m", None, 1, "exp(1m)");
    let r = run(&yaml);
    assert!((erlang_c(1, 0.8) - 0.8).abs() < 1e-12);
    close("M/M/1 at 0.8 mean hold (s)", r.overall.wait.mean.unwrap(), 240.0, 0.06, r.overall.wait.mean_ci95);
}

// ----- Erlang A -------------------------------------------------------------

/// Erlang A (M/M/c+M): arrivals λ, talk rate μ, patience rate θ, c agents.
/// The number of callers in the system is a birth–death chain with birth rate λ
/// and death rate min(k, c)·μ + max(k − c, 0)·θ, so π_k ∝ Π_{j=1..k} λ / death(j).
/// With E[Q] = Σ (k − c)·π_k over k > c (callers on hold):
/// abandonment rate θ·E[Q], so P(abandon) = θ·E[Q] / λ; and by Little's law the
/// mean hold of all callers, counting those who hung up until they hung up,
/// E[W] = E[Q] / λ. P(wait) = Σ_{k ≥ c} π_k (arrivals see time averages).
struct ErlangA {
    abandon: f64,
    wait_mean: f64,
    p_wait: f64,
}

fn erlang_a(lambda: f64, mu: f64, theta: f64, c: u32) -> ErlangA {
    let (mut weight, mut total, mut queue, mut waiting) = (1.0f64, 1.0f64, 0.0f64, 0.0f64);
    if c == 0 {
        waiting += 1.0;
    }
    for k in 1..20_000u32 {
        let death = f64::from(k.min(c)) * mu + f64::from(k.saturating_sub(c)) * theta;
        weight *= lambda / death;
        total += weight;
        queue += f64::from(k.saturating_sub(c)) * weight;
        if k >= c {
            waiting += weight;
        }
        if weight < 1e-300 {
            break;
        }
    }
    let eq = queue / total;
    ErlangA { abandon: theta * eq / lambda, wait_mean: eq / lambda, p_wait: waiting / total }
}

#[test]
fn erlang_a_reduces_to_erlang_c_when_nobody_hangs_up() {
    // Patience rate → 0 recovers M/M/c: the chain's P(wait) is Erlang C.
    let a = erlang_a(2.0, 1.0 / 3.0, 1e-12, 7);
    assert!((a.p_wait - erlang_c(7, 6.0)).abs() < 1e-6);
}

fn check_erlang_a(calls_per_minute: f64, agents: u32, patience_min: f64, tol_abandon: f64, tol_wait: f64) {
    let yaml =
        single_queue(400, &format!("{calls_per_minute}/m"), Some(&format!("exp({patience_min}m)")), agents, "exp(3m)");
    let r = run(&yaml);
    let t = erlang_a(calls_per_minute / 60.0, 1.0 / 180.0, 1.0 / (patience_min * 60.0), agents);
    let o = &r.overall;
    let label = format!("M/M/{agents}+M, {calls_per_minute}/m, patience {patience_min}m");
    println!("{label}: {} calls", o.calls);
    close(&format!("{label} abandon rate"), o.abandon_rate.unwrap(), t.abandon, tol_abandon, None);
    close(&format!("{label} mean hold (s)"), o.wait.mean.unwrap(), t.wait_mean, tol_wait, o.wait.mean_ci95);
    assert_eq!(o.abandoned_queue + o.resolved, o.calls);
}

#[test]
fn erlang_a_when_overloaded() {
    // λ = 2.5/m against 7 agents who can take 2.33/m: without patience the queue
    // would grow forever; with a 4-minute mean patience it settles, ≈ 11% hang up.
    check_erlang_a(2.5, 7, 4.0, 0.04, 0.04);
}

#[test]
fn erlang_a_at_moderate_load() {
    // λ = 2/m, 7 agents, 2-minute patience: ≈ 6% hang up.
    check_erlang_a(2.0, 7, 2.0, 0.05, 0.05);
}

// ----- Pollaczek–Khinchine --------------------------------------------------

/// M/G/1 (Pollaczek–Khinchine): E[W] = λ·E[S²] / (2·(1 − ρ)), ρ = λ·E[S].
fn pollaczek_khinchine(lambda: f64, mean_s: f64, second_moment_s: f64) -> f64 {
    let rho = lambda * mean_s;
    lambda * second_moment_s / (2.0 * (1.0 - rho))
}

#[test]
fn m_d_1_constant_talk_time() {
    // 0.8 calls a minute, every call exactly 1 minute: ρ = 0.8, E[S²] = 3600 s²,
    // E[W] = (0.8/60)·3600 / 0.4 = 120 s (half the M/M/1 wait).
    let r = run(&single_queue(1500, "0.8/m", None, 1, "1m"));
    let t = pollaczek_khinchine(0.8 / 60.0, 60.0, 3600.0);
    assert!((t - 120.0).abs() < 1e-9);
    close("M/D/1 at 0.8 mean hold (s)", r.overall.wait.mean.unwrap(), t, 0.05, r.overall.wait.mean_ci95);
    near("M/D/1 occupancy", r.by_pool["team"].occupancy.unwrap(), 0.8, 0.01);
}

#[test]
fn m_g_1_uniform_talk_time() {
    // uniform(30s, 90s): E[S] = 60 s, E[S²] = 60² + 60²/12 = 3900 s²; λ = 0.8/m:
    // E[W] = (0.8/60)·3900 / 0.4 = 130 s.
    let r = run(&single_queue(1500, "0.8/m", None, 1, "uniform(30s, 90s)"));
    let t = pollaczek_khinchine(0.8 / 60.0, 60.0, 3900.0);
    close("M/G/1 uniform mean hold (s)", r.overall.wait.mean.unwrap(), t, 0.05, r.overall.wait.mean_ci95);
}

#[test]
fn m_g_1_lognormal_talk_time() {
    // lognormal with mean 60 s and sd 90 s (the duration's own mean and sd):
    // E[S²] = 60² + 90² = 11700 s²; λ = 0.7/m, ρ = 0.7: E[W] = (0.7/60)·11700 / 0.6 = 227.5 s.
    // A heavy right tail converges slowly: a longer day.
    let r = run(&single_queue(3000, "0.7/m", None, 1, "lognormal(60s, 90s)"));
    let t = pollaczek_khinchine(0.7 / 60.0, 60.0, 60.0 * 60.0 + 90.0 * 90.0);
    close("M/G/1 lognormal mean hold (s)", r.overall.wait.mean.unwrap(), t, 0.08, r.overall.wait.mean_ci95);
}

// ----- Priorities (Cobham) --------------------------------------------------

/// Non-preemptive priorities on one agent (Cobham 1954): with W₀ = Σ λᵢ·E[Sᵢ²] / 2
/// the mean residual work an arrival finds in service, and σ_k the load of
/// classes of priority k and higher, class k waits E[W_k] = W₀ / ((1 − σ_{k−1})(1 − σ_k)).
#[test]
fn priority_classes_wait_as_cobham_says() {
    let yaml = "name: two classes\nseed: 1\nreplications: 20\nhorizon: 1500h\nstart: q\n\
                callers:\n  vip: { arrivals: 0.3/m, priority: 1 }\n  regular: { arrivals: 0.5/m }\n\
                queues:\n  q: { pools: [team] }\npools:\n  team: { agents: 1, handle: exp(1m) }\n";
    let r = run(yaml);
    let (l_vip, l_reg, es2) = (0.3 / 60.0, 0.5 / 60.0, 2.0 * 60.0 * 60.0);
    let w0 = (l_vip + l_reg) * es2 / 2.0;
    let (s1, s2) = (l_vip * 60.0, (l_vip + l_reg) * 60.0);
    let w_vip = w0 / (1.0 - s1);
    let w_reg = w0 / ((1.0 - s1) * (1.0 - s2));
    let vip = &r.by_caller["vip"].wait;
    let reg = &r.by_caller["regular"].wait;
    close("priority 1 mean hold (s)", vip.mean.unwrap(), w_vip, 0.04, vip.mean_ci95);
    close("priority 0 mean hold (s)", reg.mean.unwrap(), w_reg, 0.06, reg.mean_ci95);
}

#[test]
fn m_g_1_erlang_and_normal_talk_times() {
    // erlang(3, 1m): E[S²] = m²(1 + 1/k) = 3600 · 4/3 = 4800 s², λ = 0.8/m: E[W] = 160 s.
    let r = run(&single_queue(1500, "0.8/m", None, 1, "erlang(3, 1m)"));
    let t = pollaczek_khinchine(0.8 / 60.0, 60.0, 4800.0);
    close("M/E3/1 mean hold (s)", r.overall.wait.mean.unwrap(), t, 0.05, r.overall.wait.mean_ci95);
    // normal(60s, 15s), cut at zero 4 sd away (negligible): E[S²] = 3600 + 225, E[W] = 127.5 s.
    let r = run(&single_queue(1500, "0.8/m", None, 1, "normal(60s, 15s)"));
    let t = pollaczek_khinchine(0.8 / 60.0, 60.0, 3825.0);
    close("M/N/1 mean hold (s)", r.overall.wait.mean.unwrap(), t, 0.05, r.overall.wait.mean_ci95);
}

/// A menu node of zero duration in front of the queue (with the default menu
/// patience, barge-in and the wrong-key model all in force) changes nothing:
/// the same callers hold exactly as long as without it, day by day.
#[test]
fn a_menu_of_zero_duration_changes_nothing() {
    let direct = single_queue(4, "6/m", Some("exp(2m)"), 13, "exp(2m)");
    let with_menu = direct.replace("start: q\n", "start: welcome\n").replace(
        "queues:\n",
        "menu:\n  welcome:\n    duration: 0s\n    options:\n      \"1\": { for: [general], to: q }\n      \"0\": { to: q }\nqueues:\n",
    );
    let (a, b) = (scenario(&direct), scenario(&with_menu));
    for rep in 0..3 {
        let x = shop::sim::engine::simulate(&a, rep, &mut shop::sim::Silent);
        let y = shop::sim::engine::simulate(&b, rep, &mut shop::sim::Silent);
        let (x, y) = (&x.by_caller[0], &y.by_caller[0]);
        assert!(x.calls > 1000);
        assert_eq!((x.calls, x.abandoned_queue, y.abandoned_menu), (y.calls, y.abandoned_queue, 0));
        assert_eq!((x.wait.sum, x.wait.max), (y.wait.sum, y.wait.max));
        assert_eq!(x.time_to_answer.sum, y.time_to_answer.sum);
    }
}

// ----- Fractional agents and availability (part 3) ---------------------------

/// `agents: c + f` puts a further agent on duty for the first share f of each
/// reporting interval (see `scenario/roster.rs`): within every interval the
/// line is an M/M/(c+1) for a share f of the time and an M/M/c for the rest.
/// Arrivals are Poisson, so a share f of the callers arrives in the first
/// phase; with phases long beside the queue's relaxation time (here a 2-hour
/// interval: 1-hour phases against a relaxation time of a few minutes at a
/// 1-minute talk time), each phase is near its steady state, and the mechanism
/// implies the time-weighted mix of Erlang C at c + 1 and at c agents:
/// E[W] = f·W(c+1) + (1 − f)·W(c), P(W ≤ t) likewise. What the mix leaves out
/// is each switch's transient (a queue that has not yet built up after the
/// extra agent goes off, or drained after it comes): measured within 1.5% of
/// the mix here, hence a tolerance of 6% on the mean (its 95% half-width over
/// 200 days is about 3%) and 1 point on the service level.
fn check_fractional(c: u32, f: f64, calls_per_hour: f64) {
    let agents = f64::from(c) + f;
    let yaml = format!(
        "name: fractional\nseed: 1\nreplications: 200\nhorizon: 24h\ninterval: 2h\nstart: q\nservice_level: 30s\n\
         callers:\n  c: {{ arrivals: {calls_per_hour}/h }}\n\
         queues:\n  q: {{ pools: [team] }}\n\
         pools:\n  team: {{ agents: {agents}, handle: exp(1m) }}\n"
    );
    let r = run(&yaml);
    let (lambda, handle) = (calls_per_hour / 3600.0, 60.0);
    let (lo, hi) = (erlang_c_figures(lambda, handle, c), erlang_c_figures(lambda, handle, c + 1));
    let label = format!("M/M/{agents} at {calls_per_hour}/h");
    let o = &r.overall;
    let mix = |at_c: f64, at_c1: f64| f * at_c1 + (1.0 - f) * at_c;
    close(
        &format!("{label} mean hold (s)"),
        o.wait.mean.unwrap(),
        mix(lo.wait_mean, hi.wait_mean),
        0.06,
        o.wait.mean_ci95,
    );
    near(&format!("{label} answered within 30 s"), o.service_level.unwrap(), mix(lo.within_30s, hi.within_30s), 0.01);
    // It is neither of its neighbours: nearer the mix than either.
    let w = o.wait.mean.unwrap();
    let to_mix = (w - mix(lo.wait_mean, hi.wait_mean)).abs();
    assert!(
        to_mix < (w - lo.wait_mean).abs() && to_mix < (w - hi.wait_mean).abs(),
        "{w} nearer a neighbour than the mix"
    );
    // Agent time: c + f on duty on average (the agent going off finishes the
    // call in hand: a 1-minute call in a 2-hour interval adds under 1%).
    close(&format!("{label} mean agents on duty"), r.by_pool["team"].agents, agents, 0.01, None);
    let load = lambda * handle;
    near(&format!("{label} occupancy"), r.by_pool["team"].occupancy.unwrap(), load / agents, 0.005);
}

#[test]
fn half_an_agent_is_erlang_c_mixed_between_c_and_c_plus_one() {
    // a = 3.5 erlangs: W(5) ≈ 15.1 s, W(6) ≈ 4.3 s, the mix ≈ 9.7 s.
    check_fractional(5, 0.5, 210.0);
}

#[test]
fn a_fifth_of_an_agent_weighs_the_extra_agent_by_a_fifth() {
    // a = 2.6 erlangs: W(4) ≈ 15.2 s, W(5) ≈ 3.7 s; the mix ≈ 12.9 s.
    check_fractional(4, 0.2, 156.0);
}

/// A saturated pool (callers always waiting, nobody hangs up) with
/// availability a: an agent is never idle, so every moment on duty is either
/// on a call or in an off-phone spell, and the busy share of on-duty time —
/// the occupancy — is exactly the on-phone share a; the off-phone share is
/// 1 − a. At the close each agent's last stretch on the phones has not had
/// its spell yet (a few minutes over a 24-hour day: +0.2% at most), and the
/// spread between replications is about ±0.001: a tolerance of ±0.004.
#[test]
fn a_saturated_pool_with_availability_is_busy_that_share_of_its_time() {
    for (a, agents) in [(0.8, 10), (0.6, 4)] {
        let yaml = format!(
            "name: saturated\nseed: 1\nreplications: {REPS}\nhorizon: 24h\nstart: q\n\
             callers:\n  c: {{ arrivals: 300/h }}\n\
             queues:\n  q: {{ pools: [team] }}\n\
             pools:\n  team: {{ agents: {agents}, handle: exp(5m), availability: {a} }}\n"
        );
        let r = run(&yaml);
        let pool = &r.by_pool["team"];
        near(&format!("availability {a}: occupancy (on-phone share)"), pool.occupancy.unwrap(), a, 0.004);
        assert_eq!(pool.agents_on_phones, Some(f64::from(agents) * a));
    }
}

/// Below saturation, off-phone time is on-duty time: occupancy is the offered
/// load over the agents on duty (ρ = λh / n, as without availability), and the
/// wait is that of fewer agents. Callers wait longer than with every agent on
/// the phones (Erlang C at n) and no shorter than a line that had n·a agents
/// all the time (off-phone spells come in lumps, never spread evenly): here
/// 7.5 erlangs on 10 agents at availability 0.85 (8.5 on the phones).
#[test]
fn below_saturation_availability_lengthens_waits_and_occupancy_counts_time_on_duty() {
    // 100 days: the occupancy's 95% half-width is about ±0.004.
    let yaml = single_queue(24, "90/h", None, 10, "exp(5m)")
        .replace("handle: \"exp(5m)\"", "handle: \"exp(5m)\", availability: 0.85")
        .replace("replications: 20", "replications: 100");
    let r = run(&yaml);
    let (lambda, handle) = (90.0 / 3600.0, 300.0);
    let rho = lambda * handle / 10.0;
    near("availability 0.85 occupancy", r.by_pool["team"].occupancy.unwrap(), rho, 0.012);
    let wait = r.overall.wait.mean.unwrap();
    let full = erlang_c_figures(lambda, handle, 10).wait_mean;
    println!("availability 0.85: mean hold {wait:.1} s; Erlang C at 10 agents {full:.1} s");
    assert!(wait > 2.0 * full, "off-phone spells should lengthen waits: {wait} against {full} at full availability");
}
