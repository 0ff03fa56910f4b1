//! Confidence intervals from independent replications (Student t).

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
pub fn t_975(df: u32) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df as usize - 1],
        _ => {
            // Cornish–Fisher expansion around the normal quantile (error < 1e-4 for df > 30).
            let z: f64 = 1.959_964;
            let v = f64::from(df);
            z + (z.powi(3) + z) / (4.0 * v) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
        }
    }
}

/// The quantile of Student's t leaving `level` between −t and t (two-sided:
/// `level` 0.95 gives [`t_975`], from its table exactly, so a 95% search and
/// the reports' 95% intervals agree to the digit). Other levels by Hill's
/// algorithm (Hill 1970, *CACM* algorithm 396, as R's `qt` starts), within
/// 0.2% of the tables for 3 or more degrees of freedom; exact for 1 and 2.
/// `level` in (0, 1).
pub fn t_two_sided(level: f64, df: u32) -> f64 {
    if (level - 0.95).abs() < 1e-12 {
        return t_975(df);
    }
    if df == 0 {
        return f64::INFINITY;
    }
    let p = 1.0 - level; // both tails
    let n = f64::from(df);
    match df {
        1 => 1.0 / (p * std::f64::consts::FRAC_PI_2).tan(),
        2 => (2.0 / (p * (2.0 - p)) - 2.0).sqrt(),
        _ => {
            let a = 1.0 / (n - 0.5);
            let b = 48.0 / (a * a);
            let mut c = ((20_700.0 * a / b - 98.0) * a - 16.0) * a + 96.36;
            let d = ((94.5 / (b + c) - 3.0) / b + 1.0) * (a * std::f64::consts::FRAC_PI_2).sqrt() * n;
            let y = (d * p).powf(2.0 / n);
            let y = if y > 0.05 + a {
                // Inverse expansion about the normal quantile.
                let x = normal_quantile(0.5 * p);
                let y = x * x;
                if df < 5 {
                    c += 0.3 * (n - 4.5) * (x + 0.6);
                }
                c += (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b;
                let y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x;
                (a * y * y).exp_m1()
            } else {
                ((1.0 / (((n + 6.0) / (n * y) - 0.089 * d - 0.822) * (n + 2.0) * 3.0) + 0.5 / (n + 4.0)) * y - 1.0)
                    * (n + 1.0)
                    / (n + 2.0)
                    + 1.0 / y
            };
            (n * y).sqrt()
        }
    }
}

/// The standard normal quantile: the `p` such that P(Z ≤ z) = p, `p` in
/// (0, 1). Acklam's rational approximation (relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Mean and sample standard deviation.
pub fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, 0.0);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// 95% interval for the mean of `xs` (values from independent replications);
/// `None` with fewer than two values.
pub fn ci95(xs: &[f64]) -> Option<[f64; 2]> {
    if xs.len() < 2 {
        return None;
    }
    let (mean, sd) = mean_sd(xs);
    let half = t_975(xs.len() as u32 - 1) * sd / (xs.len() as f64).sqrt();
    Some([mean - half, mean + half])
}

/// The 95% interval of a figure computed on all replications pooled
/// (`estimate`), by *sectioning* (Asmussen & Glynn, *Stochastic Simulation*,
/// III.5a): centred on the pooled figure, with the standard error estimated
/// from the same figure computed on each replication alone (`sections`).
/// Unlike the interval of the mean of daily figures, it always contains the
/// figure it qualifies, for means, percentiles and maxima alike.
/// `None` with fewer than two sections.
pub fn sectioned_ci95(estimate: f64, sections: &[f64]) -> Option<[f64; 2]> {
    centred_ci95(estimate, sections, (sections.len() as f64).sqrt())
}

/// The 95% interval of a pooled *maximum* from the daily maxima. The pooled
/// maximum is the largest of the daily ones: its uncertainty is that of one
/// day's maximum, not of a mean of them, and sectioning's normal limit does
/// not hold for extremes. So the half-width is t·sd of the daily values,
/// without sectioning's 1/√n: wider, honest about how much a worst case moves
/// from one run to the next, and still centred on the figure.
pub fn extreme_ci95(estimate: f64, sections: &[f64]) -> Option<[f64; 2]> {
    centred_ci95(estimate, sections, 1.0)
}

/// `estimate` ± t(n−1)·sd(sections)/`scale`; `None` with fewer than two sections.
fn centred_ci95(estimate: f64, sections: &[f64], scale: f64) -> Option<[f64; 2]> {
    if sections.len() < 2 {
        return None;
    }
    let (_, sd) = mean_sd(sections);
    let half = t_975(sections.len() as u32 - 1) * sd / scale;
    Some([estimate - half, estimate + half])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        assert_eq!(t_975(9), 2.262);
        assert!((t_975(40) - 2.021).abs() < 1e-3);
        assert!((t_975(120) - 1.980).abs() < 1e-3);
    }

    #[test]
    fn t_quantiles_at_any_level_match_the_tables() {
        assert_eq!(t_two_sided(0.95, 19), t_975(19));
        for df in 1..=40 {
            let hill = t_two_sided(0.950_000_001, df);
            assert!((hill / t_975(df) - 1.0).abs() < 2e-3, "df {df}: {hill} vs {}", t_975(df));
        }
        // Published tables: 90% (one-sided 95%), 99%, 80%.
        for (level, df, want) in [
            (0.90, 10, 1.812),
            (0.90, 19, 1.729),
            (0.99, 10, 3.169),
            (0.99, 19, 2.861),
            (0.80, 19, 1.328),
            (0.90, 1, 6.314),
            (0.99, 2, 9.925),
            (0.90, 3, 2.353),
        ] {
            let t = t_two_sided(level, df);
            assert!((t / want - 1.0).abs() < 2e-3, "{level} df {df}: {t} vs {want}");
        }
        assert!((normal_quantile(0.975) - 1.959_964).abs() < 1e-6);
        assert!((normal_quantile(0.005) + 2.575_829).abs() < 1e-6);
        assert!((normal_quantile(0.5)).abs() < 1e-12);
    }

    #[test]
    fn an_interval_surrounds_the_mean() {
        let ci = ci95(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!(ci[0] < 2.5 && ci[1] > 2.5);
        assert!((ci[1] - 2.5 - 3.182 * (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-9);
        assert_eq!(ci95(&[1.0]), None);
    }

    #[test]
    fn a_sectioned_interval_is_centred_on_the_pooled_figure() {
        // Daily maxima 1..4, pooled maximum 4: the interval contains 4.
        let ci = sectioned_ci95(4.0, &[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!(ci[0] < 4.0 && ci[1] > 4.0);
        assert!((ci[1] - 4.0 - 3.182 * (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-9);
        assert_eq!(sectioned_ci95(7.0, &[7.0, 7.0]), Some([7.0, 7.0]));
        assert_eq!(sectioned_ci95(7.0, &[7.0]), None);
    }

    #[test]
    fn a_maximum_moves_like_one_days_maximum_not_like_a_mean() {
        let days = [1.0, 2.0, 3.0, 4.0];
        let [lo, hi] = extreme_ci95(4.0, &days).unwrap();
        let [slo, shi] = sectioned_ci95(4.0, &days).unwrap();
        assert!((hi - 4.0) / (shi - 4.0) - 2.0 < 1e-9, "√4 times wider");
        assert!(lo < slo && 4.0 - lo > 0.0);
    }
}
