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
