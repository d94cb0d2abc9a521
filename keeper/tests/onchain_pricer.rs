//! Cross-check: the program's fixed-point Black-76 (`exposure_vault::math::black76`) against
//! this crate's f64 engine (itself validated against QuantLib and 50-digit values), with r = 0,
//! over 20,000 random inputs: forward $0.01–$100,000, K/F 0.2–5, 1 minute–2 years, σ 5%–300%.
use exposure_vault::math::black76::{black76, OptionSide, SECONDS_PER_YEAR};
use exposure_vault_keeper::pricing::{greeks, OptionKind, OptionParams};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[test]
fn fixed_point_black76_matches_f64_engine() {
    let mut rng = StdRng::seed_from_u64(76);
    let (mut worst_price, mut worst_delta, mut worst_vega) = (0.0f64, 0.0f64, 0.0f64);
    for _ in 0..20_000 {
        let forward = (rng.random_range(0.01f64..100_000.0) * 1e6).round() as u64;
        let strike = ((forward as f64) * rng.random_range(0.2f64.ln()..5.0f64.ln()).exp())
            .round()
            .max(1.0) as u64;
        let seconds = rng.random_range(60..2 * SECONDS_PER_YEAR);
        let vol = rng.random_range(50_000..3_000_000u64);
        let side = if rng.random::<bool>() {
            OptionSide::Call
        } else {
            OptionSide::Put
        };
        let onchain = black76(side, forward, strike, seconds, vol).expect("in domain");
        let reference = greeks(&OptionParams {
            kind: if side == OptionSide::Call {
                OptionKind::Call
            } else {
                OptionKind::Put
            },
            spot: forward as f64 / 1e6,
            strike: strike as f64 / 1e6,
            t: seconds as f64 / SECONDS_PER_YEAR as f64,
            vol: vol as f64 / 1e6,
            rate: 0.0,
        })
        .unwrap();
        let f = forward as f64 / 1e6;
        // Error beyond the output's own rounding (one 1e-6 unit), relative to the forward for
        // money (price, vega) and absolute for delta.
        let beyond_unit = |got: f64, want: f64| ((got - want).abs() - 1e-6).max(0.0);
        worst_price = worst_price.max(beyond_unit(onchain.price as f64 / 1e6, reference.price) / f);
        worst_delta = worst_delta.max(beyond_unit(onchain.delta as f64 / 1e6, reference.delta));
        worst_vega = worst_vega.max(beyond_unit(onchain.vega as f64 / 1e6, reference.vega) / f);
    }
    println!("max |Δprice|/F = {worst_price:e}, max |Δdelta| = {worst_delta:e}, max |Δvega|/F = {worst_vega:e}");
    // Stated tolerance (README): one output unit (1e-6) plus 1e-11·F for the price, 1e-10·F
    // for vega, nothing more for delta.
    assert!(
        worst_price <= 1e-11,
        "price: {worst_price:e}·F beyond one unit"
    );
    assert!(worst_delta == 0.0, "delta: {worst_delta:e} beyond one unit");
    assert!(
        worst_vega <= 1e-10,
        "vega: {worst_vega:e}·F beyond one unit"
    );
}
