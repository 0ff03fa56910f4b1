//! Any scenario that loads runs one short replication to completion, keeping
//! its counts consistent. The horizon and volume are capped so each input is fast.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shop::time::SimDuration;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(mut loaded) = shop::scenario::load_str("fuzz.yaml", text) else { return };
    let sc = &mut loaded.scenario;
    sc.horizon = sc.horizon.min(SimDuration::from_secs_f64(2.0 * 3600.0));
    if sc.expected_calls() > 5_000.0 || sc.pools.iter().any(|p| p.max_agents() > 1_000) {
        return;
    }
    let stats = shop::sim::engine::simulate(sc, 0, &mut shop::sim::Silent);
    for c in &stats.by_caller {
        assert!(c.ends_add_up(), "calls do not add up to their endings");
    }
    let _ = shop::stats::Report::build(sc, &shop::stats::collect::Runs::from_reps(vec![stats]));
});
