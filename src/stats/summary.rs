//! A duration summary with flat memory: exact count, sum and maximum, and an
//! HDR histogram (3 significant digits: at most 0.1% relative error) for percentiles.
//!
//! Values below the histogram's unit (a millisecond) are counted apart from the
//! histogram: most calls of a well-staffed line wait zero and many designs have
//! no menu, so the common case is one increment instead of a histogram record.

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
    /// Values below one histogram unit (they all read as zero).
    zeros: u64,
    /// The other values, in histogram units.
    hist: Histogram<u64>,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            count: 0,
            sum: 0,
            max: SimDuration::ZERO,
            zeros: 0,
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
        if v == 0 {
            self.zeros += 1;
        } else if self.hist.record(v).is_err() {
            self.hist.saturating_record(v);
        }
    }

    pub fn merge(&mut self, other: &Summary) {
        self.count += other.count;
        self.sum += other.sum;
        self.max = self.max.max(other.max);
        self.zeros += other.zeros;
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
        // The smallest value v with at least ceil(q·n) values at or below it.
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        if rank <= self.zeros {
            return Some(0.0);
        }
        let mut seen = self.zeros;
        let mut v = 0;
        for bucket in self.hist.iter_recorded() {
            seen += bucket.count_since_last_iteration();
            v = bucket.value_iterated_to();
            if seen >= rank {
                break;
            }
        }
        let v = self.hist.median_equivalent(v) as f64 / 1000.0;
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
    fn zeros_count_in_the_percentiles() {
        let mut s = Summary::default();
        for _ in 0..90 {
            s.record(SimDuration(500)); // below a millisecond: zero
        }
        for i in 1..=10u64 {
            s.record(SimDuration(i * 1_000_000));
        }
        assert_eq!(s.quantile(0.5), Some(0.0));
        assert_eq!(s.quantile(0.9), Some(0.0));
        assert!((s.quantile(0.91).unwrap() - 1.0).abs() < 1e-3);
        assert!((s.quantile(0.95).unwrap() - 5.0).abs() < 5e-3);
        let mut merged = Summary::default();
        merged.merge(&s);
        merged.merge(&s);
        assert_eq!(merged.quantile(0.9), Some(0.0));
        assert!((merged.quantile(0.95).unwrap() - 5.0).abs() < 5e-3);
    }

    #[test]
    fn empty_summaries_have_no_figures() {
        let s = Summary::default();
        assert_eq!(s.mean(), None);
        assert_eq!(s.quantile(0.5), None);
    }
}
