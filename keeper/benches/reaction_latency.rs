//! Keeper reaction latency: the keeper's compute from an oracle update arriving (the
//! `PriceUpdateV2` account bytes) to a signed `rebalance_hedge` transaction, for vault books of
//! 10, 1,000 and 10,000 option positions: decode the price, revalue the book's Greeks on the
//! skewed surface, add the hedge, decide against the band, pick the provider by the program's
//! rule, build and sign. Network time is not in it (see README "keeper reaction").
//!
//! Besides criterion's report it writes `target/reports/keeper-latency.json` as
//! `{"10": ms, "1000": ms, "10000": ms}` (medians).
use std::collections::BTreeMap;
use std::time::Instant;

use anchor_lang::prelude::Pubkey;
use criterion::{black_box, BenchmarkId, Criterion};
use exposure_vault::state::HedgeQuote;
use exposure_vault_client::pyth::{price_update_image, PythQuote};
use exposure_vault_client::surface::skewed_surface;
use exposure_vault_client::{MarketKeys, VaultKeys};
use exposure_vault_keeper::chain::state::decode_price_update;
use exposure_vault_keeper::chain::{Keypair, Signer};
use exposure_vault_keeper::pricing::svi::{SviRaw, VolSurface};
use exposure_vault_keeper::risk::portfolio::{aggregate, MarketState, Position};
use exposure_vault_keeper::strategy::cycle::compute_units;
use exposure_vault_keeper::strategy::hedge::{decide, DeltaBand};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_message::Message;
use solana_transaction::Transaction;

const BOOKS: [usize; 3] = [10, 1_000, 10_000];
const NOW: i64 = 1_750_000_000;
const DAY: i64 = 86_400;

struct Keeper {
    positions: Vec<Position>,
    markets: BTreeMap<String, MarketState>,
    oracle_bytes: Vec<u8>,
    hedge_size: f64,
    quotes: Vec<HedgeQuote>,
    band: DeltaBand,
    keypair: Keypair,
    vault: VaultKeys,
    market: MarketKeys,
    blockhash: solana_message::Hash,
}

fn keeper(positions: usize) -> Keeper {
    let expiries: Vec<i64> = [7, 14, 30, 60, 90, 120, 150, 180]
        .iter()
        .map(|d| NOW + d * DAY)
        .collect();
    let slices = skewed_surface(NOW, &expiries, 0.6)
        .iter()
        .map(|s| {
            let t = (s.expiry_ts - NOW) as f64 / (365.0 * DAY as f64);
            (t, SviRaw::from_onchain(s))
        })
        .collect();
    let surface = VolSurface::new(slices).expect("surface");
    let years: Vec<f64> = expiries
        .iter()
        .map(|e| (e - NOW) as f64 / (365.0 * DAY as f64))
        .collect();
    let book = exposure_vault_keeper::bench::random_btc_book(
        positions,
        positions as u64,
        &years,
        -3.0..-0.1,
    );
    let markets = BTreeMap::from([(
        "BTC".to_string(),
        MarketState {
            spot: 65_000.0,
            rate: 0.0,
            surface,
        },
    )]);
    let oracle_bytes = price_update_image(
        Pubkey::new_unique(),
        [7; 32],
        PythQuote::usd(66_000.0, 5, NOW),
        VerificationLevel::Full,
        1,
    );
    let quotes = (0..8u8)
        .map(|i| HedgeQuote {
            provider: Pubkey::new_from_array([i + 1; 32]),
            max_vault_buy: u64::MAX / 2,
            max_vault_sell: u64::MAX / 2,
            expiry_ts: NOW + 3_600,
            spread_bps: 20 - u16::from(i),
            _padding: [0; 6],
            ..HedgeQuote::default()
        })
        .collect();
    let vault = VaultKeys::derive(
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
    );
    let market = vault.market_keys(0, Pubkey::new_unique());
    Keeper {
        positions: book,
        markets,
        oracle_bytes,
        hedge_size: 0.5,
        quotes,
        band: DeltaBand {
            max_usd: Some(1.0),
            max_nav_fraction: None,
        },
        keypair: Keypair::new(),
        vault,
        market,
        blockhash: solana_message::Hash::new_from_array([3; 32]),
    }
}

/// One reaction: oracle bytes in, signed rebalance transaction out.
fn react(k: &mut Keeper) -> Transaction {
    let price = decode_price_update(&k.oracle_bytes).expect("price update");
    let market = k.markets.get_mut("BTC").expect("market");
    market.spot = price.price;
    let greeks = aggregate(&k.positions, &k.markets).expect("greeks");
    let net_delta = greeks.per_market["BTC"].delta_usd + k.hedge_size * price.price;
    let order =
        decide(net_delta, 1e7, price.price, &k.band, &k.quotes, NOW).expect("outside the band");
    let ixs = [
        exposure_vault_client::compute_budget::set_compute_unit_limit(
            compute_units::REBALANCE_HEDGE,
        ),
        k.market.rebalance_hedge_ix(
            &k.vault,
            k.keypair.pubkey(),
            order.provider.expect("a live quote"),
            41,
            order.size,
            50,
        ),
    ];
    let message = Message::new(&ixs, Some(&k.keypair.pubkey()));
    Transaction::new(&[&k.keypair], message, k.blockhash)
}

fn median_ms(k: &mut Keeper, runs: usize) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(react(k));
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("keeper_reaction");
    for n in BOOKS {
        let mut k = keeper(n);
        let tx = react(&mut k);
        assert_eq!(tx.signatures.len(), 1);
        group.bench_function(BenchmarkId::new("oracle_to_signed_rebalance", n), |b| {
            b.iter(|| black_box(react(&mut k)))
        });
    }
    group.finish();
    criterion.final_summary();

    let figures: Vec<String> = BOOKS
        .iter()
        .map(|&n| {
            let mut k = keeper(n);
            let runs = if n >= 10_000 { 31 } else { 201 };
            format!("  \"{n}\": {:.4}", median_ms(&mut k, runs))
        })
        .collect();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/reports");
    std::fs::create_dir_all(&dir).expect("create target/reports");
    let json = format!("{{\n{}\n}}\n", figures.join(",\n"));
    std::fs::write(dir.join("keeper-latency.json"), &json).expect("write keeper-latency.json");
    println!("keeper reaction latency (median ms):\n{json}");
}
