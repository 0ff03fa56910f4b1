//! The floor any engine could reach on the reference workload
//! (`bench/reference.yaml`: M/M/7, 2 calls a minute, exponential 3-minute
//! talk, 33,334 hours), as issue 25 defines it: the FIFO multi-server Lindley
//! recursion (Kiefer–Wolfowitz: each call takes the agent free soonest) over
//! **the same exponential draws** as `shop`: the caller type's ChaCha8 arrival
//! stream (a caller key, then the gap), `shop`'s portable `ln`, and the talk
//! time from the caller's own handle stream, all converted to ticks as the
//! engine does. No event list, no statistics but the mean wait, no menus, no
//! report. Built with the release profile, like `shop` itself.
//!
//! Because the draws and the discipline are the same, its mean wait is the
//! one `shop run bench/reference.yaml` reports (FIFO waits do not depend on
//! which free agent answers): the check that the floor does the same work.
//!
//! `cargo bench --bench floor` (or `bench/floor.sh`, which also times `shop`).

use std::time::Instant;

use rand::Rng;
use shop::scenario::dist::{Dist, unit};
use shop::scenario::math::ln;
use shop::sim::rng::{CallerStream, Purpose, arrival_stream, name_key};
use shop::time::SimDuration;

fn main() {
    let (rate, agents, horizon) = (2.0 / 60.0, 7, 33_334.0 * 3600.0);
    let talk = Dist::Exp { mean: 180.0 };
    let began = Instant::now();
    let mut rng = arrival_stream(1, 0, name_key("customer"));
    // When each agent is next free, in ticks; a call takes the one free soonest.
    let mut free = vec![0u64; agents];
    let (mut clock, mut calls, mut waited) = (0.0f64, 0u64, 0u128);
    loop {
        // The engine draws each gap when it schedules the arrival, and the
        // caller's key when the caller arrives.
        clock += -ln(1.0 - unit(&mut rng)) / rate;
        if clock >= horizon {
            break;
        }
        let key = rng.next_u64();
        let t = SimDuration::from_secs_f64(clock).0;
        let (k, at) = free.iter().enumerate().fold((0, u64::MAX), |b, (i, f)| if *f < b.1 { (i, *f) } else { b });
        let start = at.max(t);
        waited += u128::from(start - t);
        let mut s = CallerStream::for_purpose(key, Purpose::Handle, 0, 0);
        free[k] = start + talk.sample(&mut s).0;
        calls += 1;
    }
    let secs = began.elapsed().as_secs_f64();
    println!(
        "floor (same draws): {calls} calls in {secs:.3} s = {:.1} M calls/s; mean wait {:.6} s",
        calls as f64 / secs / 1e6,
        waited as f64 / calls as f64 / 1e6
    );
}
