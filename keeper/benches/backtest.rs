//! `keeper backtest`'s engine over six years of real 2 h BTC/USDT bars (2019-09-10 → 2025-08-26)
//! with about 50 open positions (two 175-day options sold every week), one policy (a 1% delta
//! band with funding), on one core: the target is under 10 s.
use criterion::{criterion_group, criterion_main, Criterion};
use exposure_vault_keeper::backtest::data::MarketData;
use exposure_vault_keeper::backtest::engine::{run, FlowConfig, Policy, Smile};
use exposure_vault_keeper::backtest::DataVol;

fn six_years(c: &mut Criterion) {
    let data = MarketData::committed().expect("examples/data");
    let vol = DataVol::new(&data);
    let path: Vec<_> = data
        .prices
        .iter()
        .filter(|b| b.ts >= 1_568_102_400)
        .copied()
        .collect();
    let flow = FlowConfig {
        tenor_days: 175.0,
        ..FlowConfig::default()
    };
    let policy = Policy::delta("delta band 1%", Some(0.01), 5.0);
    let mut group = c.benchmark_group("backtest");
    group.sample_size(10);
    group.bench_function("six_years_2h_50_positions", |b| {
        b.iter(|| {
            run(
                &path,
                &vol,
                &Smile::PROGRAM,
                &data.funding,
                &flow,
                &policy,
                10_000_000.0,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, six_years);
criterion_main!(benches);
