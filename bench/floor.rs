//! The floor any engine could reach on the reference workload
//! (`bench/reference.yaml`: M/M/7, 2 calls a minute, exponential 3-minute
//! talk, 33,334 hours): the FIFO multi-server Lindley recursion
//! (Kiefer–Wolfowitz) over the same exponential draws, with no event list, no
//! statistics beyond the mean wait, no menus and no report. `bench/floor.sh`
//! builds it with `rustc -O` and prints its calls per second beside `shop`'s.

use std::time::Instant;

/// SplitMix64: a fast, good-enough stream of uniforms.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.uniform()).ln()
    }
}

fn main() {
    let (interarrival, talk, agents, horizon) = (30.0, 180.0, 7, 33_334.0 * 3600.0);
    let began = Instant::now();
    let mut rng = Rng(1);
    // When each agent is next free; a call takes the one free soonest (FIFO).
    let mut free = vec![0.0f64; agents];
    let (mut t, mut calls, mut waited) = (0.0, 0u64, 0.0);
    loop {
        t += rng.exp(interarrival);
        if t >= horizon {
            break;
        }
        let (k, at) = free.iter().enumerate().fold((0, f64::INFINITY), |b, (i, f)| if *f < b.1 { (i, *f) } else { b });
        let start = at.max(t);
        waited += start - t;
        free[k] = start + rng.exp(talk);
        calls += 1;
    }
    let secs = began.elapsed().as_secs_f64();
    println!(
        "floor: {calls} calls in {secs:.3} s = {:.1} M calls/s; mean wait {:.2} s",
        calls as f64 / secs / 1e6,
        waited / calls as f64
    );
}
