//! A log-linear histogram of non-negative integers with HDR Histogram's
//! bucketing (Gil Tene's layout, as in the `hdrhistogram` crate with a lowest
//! discernible value of 1): values below `2^(m+1)` are counted exactly, and
//! each doubling above is split into `2^m` equal sub-buckets, so a value is
//! known within `2^-m` of itself (m = 10: 3 significant digits; m = 7: 2).
//!
//! Why not the crate itself: recording is on the engine's hot path (every
//! call records several holds), and the crate's general `record` (any lowest
//! value, any counter type, resizing, min/max tracking) cost about 80
//! instructions a value where this costs about 10. The layout is the crate's,
//! so the figures are the same to the last bit; `tests` checks it against
//! the crate (a dev-dependency) on random values.

/// Counts per bucket, grown as larger values arrive.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct LogHistogram {
    /// log2 of the sub-buckets per doubling (half the exact range).
    half_mag: u32,
    counts: Vec<u64>,
    total: u64,
}

impl LogHistogram {
    /// Values known within `2^-half_mag` of themselves; counts sized up front
    /// for values up to `expected_max` (larger ones grow the histogram).
    pub fn new(half_mag: u32, expected_max: u64) -> LogHistogram {
        let mut h = LogHistogram { half_mag, counts: Vec::new(), total: 0 };
        h.counts.resize(h.index_of(expected_max) + 1, 0);
        h
    }

    /// 3 significant digits (the crate's `Histogram::new(3)`).
    pub fn three_digits() -> LogHistogram {
        LogHistogram::new(10, 0)
    }

    /// 2 significant digits, sized for values up to `expected_max`.
    pub fn two_digits(expected_max: u64) -> LogHistogram {
        LogHistogram::new(7, expected_max)
    }

    #[inline(always)]
    fn index_of(&self, v: u64) -> usize {
        let m = self.half_mag;
        // The bucket: doublings above the exact range [0, 2^(m+1)).
        let bucket = (63 - m) - (v | ((2u64 << m) - 1)).leading_zeros();
        let sub = (v >> bucket) as usize;
        (((bucket as usize) + 1) << m) + sub - (1usize << m)
    }

    /// The bucket at `index`: its lowest value and its width.
    fn bucket_at(&self, index: usize) -> (u64, u64) {
        let m = self.half_mag;
        let half = 1usize << m;
        let bucket = (index >> m) as i64 - 1;
        if bucket < 0 {
            return (index as u64, 1);
        }
        let sub = ((index & (half - 1)) + half) as u64;
        (sub << bucket, 1u64 << bucket)
    }

    /// The value a bucket stands for: its middle (the crate's `median_equivalent`).
    fn middle_of(&self, index: usize) -> u64 {
        let (low, width) = self.bucket_at(index);
        low + (width >> 1)
    }

    #[inline(always)]
    pub fn record(&mut self, v: u64) {
        let i = self.index_of(v);
        match self.counts.get_mut(i) {
            Some(c) => *c += 1,
            None => self.grow_and_record(i),
        }
        self.total += 1;
    }

    #[cold]
    #[inline(never)]
    fn grow_and_record(&mut self, i: usize) {
        self.counts.resize(i + 1, 0);
        self.counts[i] += 1;
    }

    /// Adds another histogram; one of another precision is added bucket by
    /// bucket, each bucket's values as its middle.
    pub fn add(&mut self, o: &LogHistogram) {
        if o.half_mag != self.half_mag {
            for (v, n) in o.recorded() {
                let i = self.index_of(v);
                if i >= self.counts.len() {
                    self.counts.resize(i + 1, 0);
                }
                self.counts[i] += n;
            }
            self.total += o.total;
            return;
        }
        if o.counts.len() > self.counts.len() {
            self.counts.resize(o.counts.len(), 0);
        }
        for (c, n) in self.counts.iter_mut().zip(&o.counts) {
            *c += n;
        }
        self.total += o.total;
    }

    /// Values recorded.
    pub fn len(&self) -> u64 {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The `k`-th smallest value (from 1), as its bucket's middle; `None`
    /// when fewer than `k` values were recorded.
    pub fn kth(&self, k: u64) -> Option<u64> {
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= k && *c > 0 {
                return Some(self.middle_of(i));
            }
        }
        None
    }

    /// The `ks[i]`-th smallest values (from 1) at once, each as its bucket's
    /// middle, in one walk over the buckets; `None` past the values recorded.
    pub fn kths(&self, ks: &[u64], out: &mut [Option<u64>]) {
        // Visit the ranks in increasing order (a handful of them).
        let mut order: Vec<usize> = (0..ks.len()).collect();
        order.sort_by_key(|i| ks[*i]);
        let mut next = 0;
        let mut seen = 0;
        // Buckets are summed eight at a time (the compiler vectorises it, as
        // the crate does) until a chunk reaches the next rank wanted; only
        // that chunk is walked bucket by bucket.
        const CHUNK: usize = 8;
        for (c, chunk) in self.counts.chunks(CHUNK).enumerate() {
            let Some(&want) = order.get(next) else { return };
            let sum: u64 = chunk.iter().sum();
            if seen + sum < ks[want] {
                seen += sum;
                continue;
            }
            for (j, n) in chunk.iter().enumerate() {
                seen += n;
                while let Some(&w) = order.get(next) {
                    if ks[w] > seen || *n == 0 {
                        break;
                    }
                    out[w] = Some(self.middle_of(c * CHUNK + j));
                    next += 1;
                }
            }
        }
        for &w in &order[next..] {
            out[w] = None;
        }
    }

    /// Each bucket holding values, lowest first: its middle and its count.
    pub fn recorded(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| (self.middle_of(i), *c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hdrhistogram::Histogram;
    use proptest::prelude::*;

    /// The crate's answer for the k-th value, as `Summary` used to ask it.
    fn crate_kth(h: &Histogram<u64>, k: u64) -> u64 {
        let n = h.len();
        h.median_equivalent(h.value_at_quantile((k as f64 - 0.5) / n as f64))
    }

    fn check_against_crate(values: &[u64], digits: u8, half_mag: u32) {
        let mut ours = LogHistogram::new(half_mag, 1000);
        let mut theirs = Histogram::<u64>::new(digits).unwrap();
        theirs.auto(true);
        for v in values {
            ours.record(*v);
            theirs.record(*v).unwrap();
        }
        assert_eq!(ours.len(), theirs.len());
        for k in 1..=values.len() as u64 {
            assert_eq!(ours.kth(k), Some(crate_kth(&theirs, k)), "k = {k} of {values:?}");
        }
        let ks: Vec<u64> = (1..=values.len() as u64).rev().collect();
        let mut at_once = vec![None; ks.len()];
        ours.kths(&ks, &mut at_once);
        assert_eq!(at_once, ks.iter().map(|k| ours.kth(*k)).collect::<Vec<_>>());
        let crate_buckets: Vec<(u64, u64)> = theirs
            .iter_recorded()
            .map(|v| (theirs.median_equivalent(v.value_iterated_to()), v.count_at_value()))
            .collect();
        assert_eq!(ours.recorded().collect::<Vec<_>>(), crate_buckets);
    }

    proptest! {
        #[test]
        fn the_same_buckets_as_the_hdrhistogram_crate(
            values in prop::collection::vec(prop_oneof![1u64..5_000, 1u64..100_000_000, 1u64..(1u64 << 45)], 1..200)
        ) {
            check_against_crate(&values, 3, 10);
            check_against_crate(&values, 2, 7);
        }
    }

    #[test]
    fn adding_is_recording_both() {
        let mut a = LogHistogram::two_digits(10);
        let mut b = LogHistogram::two_digits(10);
        let mut both = LogHistogram::two_digits(10);
        for v in [1u64, 50, 3_000, 7_000_000] {
            a.record(v);
            both.record(v);
        }
        for v in [2u64, 99_999_999_999] {
            b.record(v);
            both.record(v);
        }
        a.add(&b);
        assert_eq!(a.recorded().collect::<Vec<_>>(), both.recorded().collect::<Vec<_>>());
        assert_eq!(a.len(), 6);
        assert_eq!(a.kth(7), None);
        assert!(LogHistogram::three_digits().is_empty());
        // Another precision: each bucket's middle, as many times as it holds values.
        let mut fine = LogHistogram::three_digits();
        fine.add(&both);
        assert_eq!(fine.len(), 6);
        assert_eq!(fine.kth(1), Some(1));
        assert_eq!(fine.kth(3), Some(50));
    }
}
