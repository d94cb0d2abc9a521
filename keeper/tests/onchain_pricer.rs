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

/// The on-chain pricer against the QuantLib golden vectors (and their 50-digit mpmath columns),
/// converted to Black-76 with r = 0: F = S·e^{rT}, undiscounted price = price/D, vega = vega/D,
/// delta_F = delta_S (no dividend). Black-76 is homogeneous in (F, K), so each case is scaled to
/// F = $100,000 exactly and K keeps 11 significant digits; the remaining input rounding (vol to
/// 1e-6, T to whole seconds) is corrected to first order with the case's own vega and
/// ∂P/∂T = F·n(d1)·σ/(2√T) (delta and vega with the case's vanna and
/// volga, and ∂vega/∂T = vega·(1 + d1·d2)/(2T)). Cases whose whole-second rounding moves T by more than 1e-6
/// relative are skipped (second-order terms would dominate).
#[test]
fn fixed_point_black76_matches_quantlib_golden_vectors() {
    use exposure_vault_keeper::pricing::normal::norm_cdf;
    let text = include_str!("golden/quantlib_vectors.csv");
    let (mut checked, mut worst_price, mut worst_delta, mut worst_vega) =
        (0, 0.0f64, 0.0f64, 0.0f64);
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("kind"))
    {
        let f: Vec<&str> = line.split(',').collect();
        let num = |i: usize| f[i].parse::<f64>().expect("number");
        let (call, spot, strike, days, vol, rate) =
            (f[0] == "call", num(1), num(2), num(3), num(4), num(5));
        let (price_exact, delta_exact, vega_exact) = (num(15), num(16), num(18));
        let (vanna_exact, volga_exact) = (num(21), num(22));
        let t = days / 365.0;
        let seconds = (days * 86_400.0).round();
        let dt = seconds / SECONDS_PER_YEAR as f64 - t;
        if dt.abs() > 1e-6 * t {
            continue;
        }
        let discount = (-rate * t).exp();
        let forward = spot / discount;
        let scale = 100_000.0 / forward;
        let strike_q = (strike * scale * 1e6).round();
        let vol_q = (vol * 1e6).round();
        let (dk, dvol) = (strike_q / 1e6 - strike * scale, vol_q / 1e6 - vol);
        let sd = vol * t.sqrt();
        let d1 = ((forward / strike).ln() + sd * sd / 2.0) / sd;
        let d2 = d1 - sd;
        let pdf = (-d1 * d1 / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let dp_dk = if call { -norm_cdf(d2) } else { norm_cdf(-d2) };
        let dp_dt = 100_000.0 * pdf * vol / (2.0 * t.sqrt());
        let vega = scale * vega_exact / discount;
        let reference = scale * price_exact / discount + vega * dvol + dp_dt * dt + dp_dk * dk;
        let delta_reference = delta_exact + vanna_exact * dvol;
        let vega_reference =
            vega + scale * volga_exact / discount * dvol + vega * (1.0 + d1 * d2) / (2.0 * t) * dt;
        let side = if call {
            OptionSide::Call
        } else {
            OptionSide::Put
        };
        let got = black76(
            side,
            100_000_000_000,
            strike_q as u64,
            seconds as u64,
            vol_q as u64,
        )
        .expect("in domain");
        worst_price =
            worst_price.max(((got.price as f64 / 1e6 - reference).abs() - 1e-6).max(0.0) / 1e5);
        worst_delta =
            worst_delta.max(((got.delta as f64 / 1e6 - delta_reference).abs() - 1e-6).max(0.0));
        worst_vega =
            worst_vega.max(((got.vega as f64 / 1e6 - vega_reference).abs() - 1e-6).max(0.0) / 1e5);
        checked += 1;
    }
    println!("{checked} golden cases: max |Δprice|/F = {worst_price:e}, max |Δdelta| = {worst_delta:e}, max |Δvega|/F = {worst_vega:e}");
    assert!(checked >= 1_000, "only {checked} cases usable");
    // Stated tolerance (README): one output unit plus 1e-11·F on price and vega.
    assert!(worst_price <= 1e-11, "price {worst_price:e}·F");
    assert!(worst_delta <= 1e-9, "delta {worst_delta:e}");
    assert!(worst_vega <= 1e-10, "vega {worst_vega:e}·F");
}

/// The keeper's f64 surface and the program's fixed-point surface give the same vol: random
/// admissible SVI slices exported with `to_onchain`, random strikes and expiries inside the
/// surface; agreement within one 1e-6 vol unit plus 1e-9 relative.
#[test]
fn onchain_surface_vol_matches_keeper_surface() {
    use exposure_vault::math::black76::ONE;
    use exposure_vault::math::surface::implied_vol;
    use exposure_vault_keeper::pricing::svi::{SviRaw, VolSurface};
    let mut rng = StdRng::seed_from_u64(2026);
    let year = SECONDS_PER_YEAR as f64;
    let (mut worst, mut checked) = (0.0f64, 0);
    for _ in 0..2_000 {
        // Two expiries with ATM variance increasing in time, skew and curvature in bounds.
        let fit_ts = 1_750_000_000i64;
        let t1 = rng.random_range(1.0..60.0) * 86_400.0;
        let t2 = t1 + rng.random_range(1.0..300.0) * 86_400.0;
        let atm_vol = rng.random_range(0.2..1.5);
        let slice = |t: f64, rng: &mut StdRng| {
            let b: f64 = rng.random_range(0.01..0.5) * (t / year).sqrt().max(0.05);
            let rho: f64 = rng.random_range(-0.8..0.5);
            let (m, sigma): (f64, f64) = (rng.random_range(-0.2..0.2), rng.random_range(0.05..0.5));
            let skew_term = b * (rho * -m + (m * m + sigma * sigma).sqrt());
            SviRaw {
                a: atm_vol * atm_vol * t / year - skew_term,
                b,
                rho,
                m,
                sigma,
            }
        };
        let (s1, s2) = (slice(t1, &mut rng), slice(t2 * 1.0, &mut rng));
        let onchain = [
            s1.to_onchain(fit_ts + t1 as i64),
            s2.to_onchain(fit_ts + t2 as i64),
        ];
        let math: Vec<_> = onchain.iter().map(|s| s.to_math()).collect();
        if exposure_vault::math::surface::validate_surface(&math, fit_ts).is_err() {
            continue;
        }
        // The keeper's surface from the exported (rounded) parameters.
        let keeper = VolSurface::new(vec![
            (
                (onchain[0].expiry_ts - fit_ts) as f64 / year,
                SviRaw::from_onchain(&onchain[0]),
            ),
            (
                (onchain[1].expiry_ts - fit_ts) as f64 / year,
                SviRaw::from_onchain(&onchain[1]),
            ),
        ])
        .unwrap();
        let expiry = fit_ts + rng.random_range(3_600..(onchain[1].expiry_ts - fit_ts));
        let k = rng.random_range(-1.0..1.0f64);
        let got = implied_vol(&math, fit_ts, expiry, (k * ONE as f64).round() as i64);
        let want = keeper.implied_vol(k, (expiry - fit_ts) as f64 / year);
        let got = got.expect("in range") as f64 / 1e6;
        worst = worst.max(((got - want).abs() - 1e-6).max(0.0) / want);
        checked += 1;
    }
    println!("{checked} surfaces: max vol error beyond one unit {worst:e} (relative)");
    assert!(checked > 1_000);
    assert!(worst <= 1e-9, "{worst:e}");
}
