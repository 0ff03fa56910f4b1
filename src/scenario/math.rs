//! A natural logarithm and exponential that give the same bits on every
//! machine, fast.
//!
//! Every exponential draw (arrival gaps, exponential talk times and patience)
//! takes a logarithm and every log-normal draw an exponential, so they sit on
//! the engine's hot path. The platform's `ln` and `exp` may differ between
//! machines in the last bit (glibc picks an FMA variant by processor; macOS has
//! its own), and `libm`'s (the portable reference) are about three times slower.
//! These use only IEEE additions and multiplications and tables built once with
//! `libm`: Rust never fuses or reorders these, so the result is the same on any
//! machine, within 2 ulp of `libm`'s.
//!
//! ln, method: x = 2^e · m with m in [0.7, 1.42); m is near the centre c of one of
//! 128 sub-intervals (a 3 KB table that stays in the first-level cache), so
//! ln x = e·ln 2 + ln c + ln(1 + r) with r = (m − c)/c, |r| < 1/256, where a
//! degree-7 series leaves an error below 1e-20. Within
//! 1/256 of 1, where ln c and r would cancel, the series in x − 1 is used.

use std::sync::LazyLock;

// ----- ln --------------------------------------------------------------------

const BITS: u32 = 7;
const N: usize = 1 << BITS;

/// ln 2 split so that `e · LN2_HI` is exact for any exponent.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// Sub-intervals from this one up hold m above √2: they are taken as m/2 with
/// the exponent one higher, so that m stays in [0.7, 1.42) and an x just below 1
/// does not subtract two nearly equal numbers (−ln 2 and ln c).
const HALVED_FROM: usize = 53;

/// Per sub-interval: (its centre c, 1/c, ln c), halved from `HALVED_FROM` on.
static TABLE: LazyLock<[(f64, f64, f64); N]> = LazyLock::new(|| {
    let mut t = [(0.0, 0.0, 0.0); N];
    for (i, entry) in t.iter_mut().enumerate() {
        let mut c = 1.0 + (i as f64 + 0.5) / N as f64;
        if i >= HALVED_FROM {
            c /= 2.0;
        }
        *entry = (c, 1.0 / c, libm::log(c));
    }
    t
});

/// ln x. Positive normal numbers take the fast path; anything else (zero,
/// negatives, subnormals, infinities, NaN) gets `libm::log`'s answer.
// Always inlined (every exponential draw takes one): the rare cases are out of line.
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    if !(f64::MIN_POSITIVE..f64::INFINITY).contains(&x) {
        return ln_outside(x);
    }
    let d = x - 1.0;
    if d.abs() < 1.0 / 256.0 {
        return ln_near_one(d);
    }
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let frac = bits & ((1u64 << 52) - 1);
    let i = (frac >> (52 - BITS)) as usize;
    let mut m = f64::from_bits(frac | 0x3ff0_0000_0000_0000);
    if i >= HALVED_FROM {
        m /= 2.0;
        e += 1;
    }
    let (c, inv_c, ln_c) = TABLE[i];
    // m and c are within a factor of two of each other: m − c is exact.
    let r = (m - c) * inv_c;
    // ln(1 + r) = r − r²/2 + r³/3 − … + r⁷/7, evaluated in independent pieces
    // (Estrin's scheme) so the processor overlaps them.
    let r2 = r * r;
    let r4 = r2 * r2;
    let p23 = -0.5 + r * (1.0 / 3.0);
    let p45 = -0.25 + r * 0.2;
    let p67 = -1.0 / 6.0 + r * (1.0 / 7.0);
    let tail = r2 * p23 + r4 * (p45 + r2 * p67);
    let ef = e as f64;
    ef * LN2_HI + (ln_c + (r + (tail + ef * LN2_LO)))
}

/// ln of what the table does not cover: zero, negatives, subnormals, infinities, NaN.
#[cold]
#[inline(never)]
fn ln_outside(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + d) for |d| < 1/256, where the table's ln c and r would cancel:
/// the series in d (exact here).
#[cold]
#[inline(never)]
fn ln_near_one(d: f64) -> f64 {
    let mut s = 0.0;
    for k in (2..=11).rev() {
        let sign = if k % 2 == 0 { -1.0 } else { 1.0 };
        s = d * (sign / k as f64 + s);
    }
    d + d * s
}

// ----- exp -------------------------------------------------------------------

/// exp, method: x = (k/128)·ln 2 + r with k an integer and |r| <= ln 2 / 256, so
/// e^x = 2^(k div 128) · 2^((k mod 128)/128) · e^r, the middle factor from a
/// table and e^r from a degree-5 series (relative error below 1e-18).
const EXP_BITS: u32 = 7;
const EXP_N: i64 = 1 << EXP_BITS;

static EXP_TABLE: LazyLock<[f64; EXP_N as usize]> = LazyLock::new(|| {
    let mut t = [0.0; EXP_N as usize];
    for (j, v) in t.iter_mut().enumerate() {
        *v = libm::exp2(j as f64 / EXP_N as f64);
    }
    t
});

/// e^x. Moderate arguments (|x| < 700) take the fast path; the rest (overflow,
/// underflow, NaN) get `libm::exp`'s answer.
// Always inlined (every log-normal draw takes one): the rare cases are out of line.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= 700.0 {
        return exp_outside(x);
    }
    let k = libm::round(x * (EXP_N as f64 / std::f64::consts::LN_2));
    // k·(ln 2 / 128) in two parts: k·LN2_HI is exact for |k| < 2^21.
    let r = (x - k * (LN2_HI / EXP_N as f64)) - k * (LN2_LO / EXP_N as f64);
    let ki = k as i64;
    let (m, j) = (ki.div_euclid(EXP_N), ki.rem_euclid(EXP_N) as usize);
    // e^r − 1 = r + r²/2 + r³/6 + r⁴/24 + r⁵/120, in two independent halves.
    let r2 = r * r;
    let em1 = r + r2 * ((0.5 + r * (1.0 / 6.0)) + r2 * (1.0 / 24.0 + r * (1.0 / 120.0)));
    let t = EXP_TABLE[j];
    let scale = f64::from_bits(((1023 + m) as u64) << 52);
    (t + t * em1) * scale
}

/// e^x where the table does not serve: overflow, underflow, NaN.
#[cold]
#[inline(never)]
fn exp_outside(x: f64) -> f64 {
    libm::exp(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    /// The largest disagreement (in ulp) between `f` and `reference` over a million
    /// arguments made by `args` from uniforms u in [0, 1) (xorshift, seeded).
    fn worst_ulps<const K: usize>(
        seed: u64,
        args: impl Fn(f64) -> [f64; K],
        f: fn(f64) -> f64,
        reference: fn(f64) -> f64,
    ) -> u64 {
        let (mut x, mut worst) = (seed, 0);
        for _ in 0..1_000_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            for v in args(u) {
                let want = reference(v);
                if want != 0.0 {
                    worst = worst.max(ulps(f(v), want));
                }
            }
        }
        worst
    }

    #[test]
    fn agrees_with_the_reference_logarithm_within_two_ulp() {
        // Uniforms in (0, 1] as the samplers use them, and a spread of magnitudes.
        let args = |u: f64| {
            let u = u + 1.0 / (1u64 << 53) as f64;
            [u, u * 1e6, 1.0 + u, u * 1e-300]
        };
        let worst = worst_ulps(0x1234_5678_9abc_def1, args, ln, libm::log);
        assert!(worst <= 2, "worst disagreement {worst} ulp");
    }

    #[test]
    fn exp_agrees_with_the_reference_within_two_ulp() {
        // Log-normal arguments (mu + sigma·z) and the whole fast range.
        let args = |u: f64| [4.0 + 3.0 * (2.0 * u - 1.0), 1399.0 * u - 699.5, u * 1e-6];
        let worst = worst_ulps(0x9e37_79b9_7f4a_7c15, args, exp, libm::exp);
        assert!(worst <= 2, "worst disagreement {worst} ulp");
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan());
    }

    #[test]
    fn the_split_of_ln_2_is_fdlibms() {
        assert!((LN2_HI + LN2_LO - std::f64::consts::LN_2).abs() < 1e-17);
    }

    #[test]
    fn exact_points_and_edges() {
        assert!(ln(1.0).abs() < 1e-16);
        assert!((ln(std::f64::consts::E) - 1.0).abs() < 1e-15);
        assert!((ln(2.0) - std::f64::consts::LN_2).abs() < 1e-16);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
        assert_eq!(ln(f64::INFINITY), f64::INFINITY);
        assert_eq!(ln(5e-324), libm::log(5e-324));
    }
}
