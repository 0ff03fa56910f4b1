//! A duration summary with flat memory: exact count, sum and maximum, and a
//! histogram in HDR layout (`histogram`; 3 significant digits: at most 0.1% relative error) for percentiles.
//!
//! Values below the histogram's unit (a millisecond) are counted apart from the
//! histogram: most calls of a well-staffed line wait zero and many designs have
//! no menu, so the common case is one increment instead of a histogram record.
//!
//! A replication's summaries are *frozen* once it is merged into the pooled
//! figures: the histogram (tens of kilobytes) is replaced by the few quantiles
//! the report and the paired comparisons read per replication, so memory does
//! not grow with the number of replications beyond a few hundred bytes each.

use super::histogram::LogHistogram;

use crate::time::{SimDuration, TICKS_PER_SECOND};

/// Histogram unit: milliseconds (waits below a millisecond are all "zero").
const TICKS_PER_BUCKET_UNIT: u64 = TICKS_PER_SECOND / 1000;

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub count: u64,
    /// Exact sum in ticks.
    pub sum: u128,
    pub max: SimDuration,
    /// Values below one histogram unit (they all read as zero).
    zeros: u64,
    /// The other values, in histogram units; `None` once frozen. Boxed so that a
    /// frozen summary (kept per replication, per interval) is a few words.
    hist: Option<Box<LogHistogram>>,
    /// When frozen: the quantiles at [`FROZEN_QUANTILES`], in seconds.
    /// Stored as their bits in a shard: merged shards must read back the very
    /// same numbers (a decimal round trip through JSON need not be exact).
    #[serde(with = "f64_bits")]
    frozen: [f64; 4],
}

/// `[f64; 4]` as the floats' bit patterns, exact through any JSON reader.
mod f64_bits {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &[f64; 4], s: S) -> Result<S::Ok, S::Error> {
        v.map(f64::to_bits).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[f64; 4], D::Error> {
        Ok(<[u64; 4]>::deserialize(d)?.map(f64::from_bits))
    }
}

/// The quantiles a frozen summary keeps (the report's p50, p90, p95 and p99).
pub const FROZEN_QUANTILES: [f64; 4] = [0.5, 0.9, 0.95, 0.99];

impl Default for Summary {
    fn default() -> Self {
        Summary {
            count: 0,
            sum: 0,
            max: SimDuration::ZERO,
            zeros: 0,
            hist: Some(Box::new(LogHistogram::three_digits())),
            frozen: [0.0; 4],
        }
    }
}

impl Summary {
    /// A summary with 2 significant digits (at most 1% relative error): the
    /// many small per-interval summaries, cheap to create, merge and freeze.
    /// Its histogram grows only as far as the longest hold recorded (a day
    /// has many intervals, and most of their holds are short).
    pub fn coarse() -> Summary {
        let hist = Some(Box::new(LogHistogram::two_digits(0)));
        Summary { count: 0, sum: 0, max: SimDuration::ZERO, zeros: 0, hist, frozen: [0.0; 4] }
    }

    #[inline]
    pub fn record(&mut self, d: SimDuration) {
        self.count += 1;
        self.sum += u128::from(d.0);
        if d > self.max {
            self.max = d;
        }
        let v = d.0 / TICKS_PER_BUCKET_UNIT;
        if v == 0 {
            self.zeros += 1;
        } else if let Some(h) = &mut self.hist {
            h.record(v);
        }
    }

    /// Records `n` durations of zero: the same as `n` calls of
    /// [`record`](Self::record) with zero (the sum and maximum are unchanged).
    pub fn record_zeros(&mut self, n: u64) {
        self.count += n;
        self.zeros += n;
    }

    /// Adds `other`'s values. Both must still hold their histograms (pooled
    /// figures are merged from whole replications, never from frozen ones).
    pub fn merge(&mut self, other: &Summary) {
        debug_assert!(self.hist.is_some() && other.hist.is_some(), "merging a frozen summary");
        self.count += other.count;
        self.sum += other.sum;
        self.max = self.max.max(other.max);
        self.zeros += other.zeros;
        if let (Some(h), Some(o)) = (&mut self.hist, &other.hist) {
            h.add(o);
        }
    }

    /// A copy that keeps the count, sum, maximum and the quantiles at
    /// [`FROZEN_QUANTILES`], without the histogram.
    pub fn frozen(&self) -> Summary {
        let mut frozen = [0.0; 4];
        if self.count > 0 {
            self.quantiles_into(&FROZEN_QUANTILES, &mut frozen);
        }
        Summary { count: self.count, sum: self.sum, max: self.max, zeros: self.zeros, hist: None, frozen }
    }

    /// Mean in seconds; `None` when nothing was recorded.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64 / TICKS_PER_SECOND as f64)
    }

    /// Quantile `q` in seconds (0.1% relative error), never above the exact maximum.
    /// A frozen summary answers only the quantiles it kept (and the maximum).
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        if q >= 1.0 {
            return Some(self.max.as_secs_f64());
        }
        if self.hist.is_none() {
            let kept = FROZEN_QUANTILES.iter().position(|k| *k == q);
            debug_assert!(kept.is_some(), "quantile {q} of a frozen summary");
            return kept.map(|i| self.frozen[i]);
        }
        let mut out = [0.0];
        self.quantiles_into(&[q], &mut out);
        Some(out[0])
    }

    /// Several quantiles: for each q, the smallest value v with at least
    /// ceil(q·n) values at or below it (n counting the zeros kept apart).
    fn quantiles_into(&self, qs: &[f64], out: &mut [f64]) {
        let max = self.max.as_secs_f64();
        let Some(hist) = &self.hist else { return };
        let in_hist = hist.len();
        // The rank of each quantile among the values; the zeros kept apart come first.
        let rank = |q: &f64| ((q * self.count as f64).ceil() as u64).clamp(1, self.count.max(1));
        let ks: Vec<u64> = qs.iter().map(|q| rank(q).saturating_sub(self.zeros).min(in_hist)).collect();
        let mut values = vec![None; ks.len()];
        hist.kths(&ks, &mut values);
        for ((slot, k), v) in out.iter_mut().zip(&ks).zip(values) {
            // A rank among the zeros (k = 0), or nothing in the histogram, is 0.
            *slot = if *k == 0 { 0.0 } else { (v.unwrap_or(0) as f64 / 1000.0).min(max) };
        }
    }

    /// The share of the values at most `x` seconds; `None` when empty. Exact
    /// (to the histogram's resolution) while the histogram is kept; a frozen
    /// summary interpolates linearly between what it kept: the share of zeros
    /// at 0, its quantiles ([`FROZEN_QUANTILES`]) and 1 at the maximum. That
    /// is what a confidence interval of a pooled quantile needs of each
    /// replication (see `super::linear`), and the kept points are dense
    /// where it asks (around the pooled quantile).
    pub fn share_at_most(&self, x: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let n = self.count as f64;
        if x < 0.0 {
            return Some(0.0);
        }
        if x >= self.max.as_secs_f64() {
            return Some(1.0);
        }
        if let Some(h) = &self.hist {
            let units = x * 1000.0;
            let below: u64 = h.recorded().take_while(|(v, _)| (*v as f64) <= units).map(|(_, c)| c).sum();
            return Some((self.zeros + below) as f64 / n);
        }
        let mut knots = vec![(0.0, self.zeros as f64 / n)];
        knots.extend(FROZEN_QUANTILES.iter().zip(&self.frozen).map(|(p, v)| (*v, *p)));
        knots.push((self.max.as_secs_f64(), 1.0));
        // Shares never fall as times grow (a share of zeros above the median).
        for k in 1..knots.len() {
            knots[k].1 = knots[k].1.max(knots[k - 1].1);
        }
        let mut share = knots[0].1;
        for w in knots.windows(2) {
            let ((x0, p0), (x1, p1)) = (w[0], w[1]);
            if x < x0 {
                break;
            }
            share = if x < x1 && x1 > x0 { p0 + (p1 - p0) * (x - x0) / (x1 - x0) } else { p1 };
        }
        Some(share.clamp(0.0, 1.0))
    }

    /// The sum of the values in seconds.
    pub fn sum_secs(&self) -> f64 {
        self.sum as f64 / TICKS_PER_SECOND as f64
    }

    pub fn max_secs(&self) -> Option<f64> {
        (self.count > 0).then(|| self.max.as_secs_f64())
    }

    /// The survival curve of these durations: `(t, share)` pairs, `share` being
    /// the share of values lasting at least `t` seconds ("still holding after
    /// t" for holds). It starts at `(0, 1)`, drops at once to the share above
    /// zero (`(0, P(>0))`: the calls answered at once), then follows `n` evenly
    /// spaced times up to the exact maximum, where the share is that of the
    /// values at the maximum (at least `1/count`, never zero, so a log scale
    /// shows the whole tail). Empty when nothing was recorded or the summary
    /// is frozen (pooled summaries keep their histograms). Shares carry the
    /// histogram's 0.1% resolution in `t`.
    pub fn survival_points(&self, n: usize) -> Vec<(f64, f64)> {
        let Some(hist) = &self.hist else { return Vec::new() };
        if self.count == 0 {
            return Vec::new();
        }
        let total = self.count as f64;
        let max = self.max.as_secs_f64();
        // Distinct recorded values (seconds, capped at the exact maximum) with
        // how many values lie at or above each: one pass over the buckets.
        let mut values: Vec<(f64, u64)> = hist.recorded().map(|(v, n)| ((v as f64 / 1000.0).min(max), n)).collect();
        let mut above = 0;
        for v in values.iter_mut().rev() {
            above += v.1;
            v.1 = above;
        }
        // At least `t`: the values whose bucket is at or above t.
        let at_least = |t: f64| {
            let i = values.partition_point(|(v, _)| *v < t);
            values.get(i).map_or(0, |v| v.1)
        };
        let mut out = vec![(0.0, 1.0), (0.0, (self.count - self.zeros) as f64 / total)];
        if max <= 0.0 || values.is_empty() {
            return out;
        }
        let n = n.max(2);
        for k in 1..n {
            let t = max * k as f64 / (n - 1) as f64;
            let t = if k == n - 1 { max } else { t };
            out.push((t, at_least(t).max(1) as f64 / total));
        }
        out
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
    fn a_frozen_summary_keeps_its_figures_without_the_histogram() {
        let mut s = Summary::default();
        for i in 0..10_000u64 {
            s.record(SimDuration(i * 7_919 % 3_000_000_000));
        }
        let f = s.frozen();
        assert!(f.hist.is_none());
        for q in FROZEN_QUANTILES {
            assert_eq!(f.quantile(q), s.quantile(q), "q = {q}");
        }
        assert_eq!((f.mean(), f.max_secs(), f.count), (s.mean(), s.max_secs(), s.count));
    }

    #[test]
    fn the_survival_curve_starts_at_everyone_and_ends_at_the_longest_hold() {
        let mut s = Summary::default();
        for _ in 0..50 {
            s.record(SimDuration::ZERO);
        }
        for i in 1..=50u64 {
            s.record(SimDuration(i * 2_000_000)); // 2 s .. 100 s
        }
        let pts = s.survival_points(101);
        assert_eq!(pts[0], (0.0, 1.0));
        assert_eq!(pts[1], (0.0, 0.5), "half were answered at once");
        assert!(pts.windows(2).all(|w| w[1].0 >= w[0].0 && w[1].1 <= w[0].1), "monotone: {pts:?}");
        let last = *pts.last().unwrap();
        assert_eq!(last, (100.0, 0.01), "the longest hold, one call in a hundred");
        let at_50 = pts.iter().find(|p| (p.0 - 50.0).abs() < 1e-9).unwrap();
        assert!((at_50.1 - 0.26).abs() < 0.011, "values >= 50 s: 26 of 100, {at_50:?}");
        assert!(s.frozen().survival_points(10).is_empty());
        assert!(Summary::default().survival_points(10).is_empty());
    }

    #[test]
    fn a_coarse_summary_is_within_a_percent() {
        let mut s = Summary::coarse();
        for i in 1..=100_000u64 {
            s.record(SimDuration(i * 100_000)); // 0.1 s .. 10,000 s (past the preallocated hour)
        }
        let p95 = s.quantile(0.95).unwrap();
        assert!((p95 / 9500.0 - 1.0).abs() < 0.01, "{p95}");
        assert_eq!(s.max_secs(), Some(10_000.0));
        let mut merged = Summary::coarse();
        merged.merge(&s);
        assert_eq!(merged.quantile(0.95), s.quantile(0.95));
        assert_eq!(s.frozen().quantile(0.95), s.quantile(0.95));
    }

    #[test]
    fn empty_summaries_have_no_figures() {
        let s = Summary::default();
        assert_eq!(s.mean(), None);
        assert_eq!(s.quantile(0.5), None);
    }
}
