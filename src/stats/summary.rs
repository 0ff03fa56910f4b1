//! A duration summary with flat memory: exact count, sum and maximum, and an
//! HDR histogram (3 significant digits: at most 0.1% relative error) for percentiles.

use hdrhistogram::Histogram;

use crate::time::{SimDuration, TICKS_PER_SECOND};

/// Histogram unit: milliseconds (waits below a millisecond are all "zero").
const TICKS_PER_BUCKET_UNIT: u64 = TICKS_PER_SECOND / 1000;

#[derive(Clone, Debug)]
pub struct Summary {
    pub count: u64,
    /// Exact sum in ticks.
    pub sum: u128,
    pub max: SimDuration,
    hist: Histogram<u64>,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            count: 0,
            sum: 0,
            max: SimDuration::ZERO,
            hist: Histogram::new(3).expect("3 significant digits is valid"),
        }
    }
}

impl Summary {
    #[inline]
    pub fn record(&mut self, d: SimDuration) {
        self.count += 1;
        self.sum += u128::from(d.0);
        if d > self.max {
            self.max = d;
        }
        // The histogram auto-resizes, so recording grows it rather than failing;
        // should it ever fail, clamp rather than lose the call.
        let v = d.0 / TICKS_PER_BUCKET_UNIT;
        if self.hist.record(v).is_err() {
            self.hist.saturating_record(v);
        }
    }

    pub fn merge(&mut self, other: &Summary) {
        self.count += other.count;
        self.sum += other.sum;
        self.max = self.max.max(other.max);
        // Both histograms auto-resize, so adding cannot run out of range.
        let _ = self.hist.add(&other.hist);
    }

    /// Mean in seconds; `None` when nothing was recorded.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64 / TICKS_PER_SECOND as f64)
    }

    /// Quantile `q` in seconds (0.1% relative error), never above the exact maximum.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        if q >= 1.0 {
            return Some(self.max.as_secs_f64());
        }
        let v = self.hist.value_at_quantile(q);
        let v = if v == 0 { 0.0 } else { self.hist.median_equivalent(v) as f64 / 1000.0 };
        Some(v.min(self.max.as_secs_f64()))
    }

    pub fn max_secs(&self) -> Option<f64> {
        (self.count > 0).then(|| self.max.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_within_a_tenth_of_a_percent() {
        let mut s = Summary::default();
        for i in 1..=100_000u64 {
            s.record(SimDuration(i * 10_000)); // 0.01 s .. 1000 s
        }
        let p95 = s.quantile(0.95).unwrap();
        assert!((p95 / 950.0 - 1.0).abs() < 0.001, "{p95}");
        assert_eq!(s.max_secs(), Some(1000.0));
        assert!((s.mean().unwrap() - 500.005).abs() < 1e-9);
    }

    #[test]
    fn empty_summaries_have_no_figures() {
        let s = Summary::default();
        assert_eq!(s.mean(), None);
        assert_eq!(s.quantile(0.5), None);
    }
}
