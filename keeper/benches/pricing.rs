//! Criterion benches: batch Greeks (all eight outputs per option), implied-vol solves, and the
//! same inputs through the `black_scholes` crate for a side-by-side ratio.
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use exposure_vault_keeper::bench::random_batch;
use exposure_vault_keeper::pricing::batch::{batch_greeks_unchecked, GreeksBatch};
use exposure_vault_keeper::pricing::iv::implied_vol;
use exposure_vault_keeper::pricing::iv_batch::implied_vol_batch;
use exposure_vault_keeper::pricing::OptionKind;

const N: usize = 10_000;

fn greeks(c: &mut Criterion) {
    let batch = random_batch(N, 42);
    let mut out = GreeksBatch::with_len(N);
    let mut group = c.benchmark_group("greeks_all");
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function(BenchmarkId::new("exposure_vault_keeper", N), |b| {
        b.iter(|| {
            batch_greeks_unchecked(black_box(&batch), &mut out);
            black_box(&out);
        })
    });
    // black_scholes::compute_all returns call and put price, delta, gamma, theta, vega, rho,
    // vanna and vomma for one option: the same outputs, per option.
    group.bench_function(BenchmarkId::new("black_scholes_crate", N), |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for i in 0..N {
                let all = black_scholes::compute_all(
                    batch.spot[i],
                    batch.strike[i],
                    batch.rate[i],
                    batch.vol[i],
                    batch.t[i],
                );
                acc += match batch.kind[i] {
                    OptionKind::Call => all.call_price + all.call_delta + all.call_vomma,
                    OptionKind::Put => all.put_price + all.put_delta + all.put_vomma,
                };
            }
            black_box(acc)
        })
    });
    group.finish();
}

fn implied_volatility(c: &mut Criterion) {
    let batch = random_batch(N, 7);
    let mut out = GreeksBatch::with_len(N);
    batch_greeks_unchecked(&batch, &mut out);
    let mut group = c.benchmark_group("implied_vol");
    group.throughput(Throughput::Elements(N as u64));
    let mut ivs = Vec::with_capacity(N);
    group.bench_function(BenchmarkId::new("exposure_vault_keeper_batch", N), |b| {
        b.iter(|| black_box(implied_vol_batch(black_box(&batch), &out.price, &mut ivs)))
    });
    group.bench_function(BenchmarkId::new("exposure_vault_keeper_scalar", N), |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for i in 0..N {
                let p = batch.get(i);
                acc +=
                    implied_vol(p.kind, p.spot, p.strike, p.t, p.rate, out.price[i]).unwrap_or(0.0);
            }
            black_box(acc)
        })
    });
    group.bench_function(BenchmarkId::new("black_scholes_crate", N), |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for i in 0..N {
                let p = batch.get(i);
                let iv = match p.kind {
                    OptionKind::Call => {
                        black_scholes::call_iv(out.price[i], p.spot, p.strike, p.rate, p.t)
                    }
                    OptionKind::Put => {
                        black_scholes::put_iv(out.price[i], p.spot, p.strike, p.rate, p.t)
                    }
                };
                acc += iv.unwrap_or(0.0);
            }
            black_box(acc)
        })
    });
    group.finish();
}

criterion_group!(benches, greeks, implied_volatility);
criterion_main!(benches);
