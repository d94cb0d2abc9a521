//! Throughput of the pricing engine on one core: `keeper bench`.
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::pricing::batch::{batch_greeks_unchecked, GreeksBatch, OptionBatch};
use crate::pricing::black::{OptionKind, OptionParams};
use crate::pricing::iv::implied_vol;
use crate::pricing::iv_batch::implied_vol_batch;

/// Random options in the validation domain: moneyness 0.5–2, 1 day–1 year, vol 10%–150%.
pub fn random_batch(n: usize, seed: u64) -> OptionBatch {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut batch = OptionBatch::default();
    for _ in 0..n {
        let spot = 100.0;
        batch.push(OptionParams {
            kind: if rng.random::<bool>() {
                OptionKind::Call
            } else {
                OptionKind::Put
            },
            spot,
            strike: spot * rng.random_range(0.5..2.0),
            t: rng.random_range(1.0..365.0) / 365.0,
            vol: rng.random_range(0.1..1.5),
            rate: rng.random_range(0.0..0.05),
        });
    }
    batch
}

#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct BenchResult {
    /// All eight outputs per option, batch kernel.
    pub greeks_per_sec: f64,
    /// Implied-vol solves through the batch solver (`implied_vol_batch`).
    pub iv_per_sec: f64,
    /// Implied-vol solves one at a time (`implied_vol`).
    pub iv_scalar_per_sec: f64,
}

/// Times all-Greeks batches and implied-vol solves over `n` random options.
pub fn run(n: usize) -> BenchResult {
    let batch = random_batch(n.max(1), 42);
    let mut out = GreeksBatch::with_len(batch.len());
    // Repeat until at least ~0.3 s of work so small n still measures something.
    let mut rounds = 0u64;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < 0.3 || rounds == 0 {
        batch_greeks_unchecked(&batch, &mut out);
        std::hint::black_box(&out);
        rounds += 1;
    }
    let greeks_per_sec = (rounds as f64 * batch.len() as f64) / start.elapsed().as_secs_f64();

    let prices = out.price.clone();
    let mut ivs = Vec::with_capacity(prices.len());
    let mut solved = 0u64;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < 0.3 || solved == 0 {
        std::hint::black_box(implied_vol_batch(&batch, &prices, &mut ivs));
        solved += prices.len() as u64;
    }
    let iv_per_sec = solved as f64 / start.elapsed().as_secs_f64();

    let mut solved = 0u64;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < 0.3 || solved == 0 {
        for (i, price) in prices.iter().enumerate() {
            let p = batch.get(i);
            let iv = implied_vol(p.kind, p.spot, p.strike, p.t, p.rate, *price);
            std::hint::black_box(iv.ok());
            solved += 1;
        }
    }
    let iv_scalar_per_sec = solved as f64 / start.elapsed().as_secs_f64();
    BenchResult {
        greeks_per_sec,
        iv_per_sec,
        iv_scalar_per_sec,
    }
}

/// A benchmark book: `n` BTC calls and puts, strikes 40k–90k, expiries drawn from `years`,
/// sizes uniform in `sizes` (contracts; negative = short).
pub fn random_btc_book(
    n: usize,
    seed: u64,
    years: &[f64],
    sizes: std::ops::Range<f64>,
) -> Vec<crate::risk::portfolio::Position> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| crate::risk::portfolio::Position {
            market: "BTC".into(),
            kind: if rng.random_bool(0.5) {
                OptionKind::Call
            } else {
                OptionKind::Put
            },
            strike: rng.random_range(40_000.0..90_000.0),
            t: years[rng.random_range(0..years.len())],
            size: rng.random_range(sizes.clone()),
        })
        .collect()
}
