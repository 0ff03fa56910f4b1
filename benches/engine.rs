//! Engine speed (`cargo bench`): simulated calls per second on the reference
//! workload (M/M/7, 2 calls a minute, 3-minute exponential talk) and on the
//! richest bundled scenario, one replication on one thread, plus the report
//! built from it. See BENCHMARKS.md for figures and the end-to-end comparison
//! with SimPy and Ciw (`bench/compare.sh`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shop::scenario::load_str;
use shop::sim::Silent;
use shop::sim::engine::simulate;
use shop::stats::Report;
use shop::stats::collect::Runs;

fn scenario(name: &str, text: &str, horizon: Option<&str>) -> shop::scenario::Scenario {
    let text = match horizon {
        Some(h) => text
            .lines()
            .map(|l| if l.starts_with("horizon:") { format!("horizon: {h}") } else { l.into() })
            .collect::<Vec<_>>()
            .join("\n"),
        None => text.to_string(),
    };
    match load_str(name, &text) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{e}"),
    }
}

fn bench(c: &mut Criterion) {
    // The reference workload with 100,000 calls a replication.
    let reference = scenario("reference.yaml", include_str!("../bench/reference.yaml"), Some("833h20m"));
    let calls = simulate(&reference, 0, &mut Silent).overall().calls;
    let mut g = c.benchmark_group("reference M/M/7");
    g.throughput(Throughput::Elements(calls));
    g.sample_size(20);
    g.bench_function("simulate one replication", |b| b.iter(|| simulate(&reference, 0, &mut Silent)));
    g.finish();

    let rich = scenario("support_line.yaml", include_str!("../scenarios/support_line.yaml"), Some("100h"));
    let calls = simulate(&rich, 0, &mut Silent).overall().calls;
    let mut g = c.benchmark_group("support_line (menus, shifts, overflow, transfers, redials)");
    g.throughput(Throughput::Elements(calls));
    g.sample_size(20);
    g.bench_function("simulate one replication", |b| b.iter(|| simulate(&rich, 0, &mut Silent)));
    g.finish();

    let reps = || (0..20).map(|r| simulate(&rich, r, &mut Silent)).collect::<Vec<_>>();
    let runs = Runs::from_reps(reps());
    let mut g = c.benchmark_group("report");
    g.sample_size(20);
    g.bench_function("support_line, pool and freeze 20 replications", |b| {
        b.iter_batched(reps, Runs::from_reps, criterion::BatchSize::LargeInput)
    });
    g.bench_function("support_line, figures of 20 replications", |b| b.iter(|| Report::build(&rich, &runs)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
