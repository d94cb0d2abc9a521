//! Golden vectors for the web app's margin and trade math (`app/src/margin.ts`): random books
//! through the program's own `StandardMargin` (health with a perpetual, and the liquidation
//! prices the P&L chart marks) and random trades through the charge's parts
//! (`inventory_lean_bps`, `inventory_price`, `utilisation_bps`, `spread_bps`, `premium`,
//! `oracle_choice_move_e7`, `oracle_choice_charge`, `trade_fee_rate_e8`), committed at `app/src/margin.golden.json` and checked by the app's
//! Vitest suite. This test fails when the committed file is stale;
//! `UPDATE_GOLDEN=1 cargo test -p exposure-vault-math --test app_margin_vectors` rewrites it.
#[path = "golden/mod.rs"]
mod golden;
use exposure_vault_math::black76::OptionSide;
use exposure_vault_math::fixed::{mul_div, Rounding};
use exposure_vault_math::hedge::PerpPosition;
use exposure_vault_math::margin::{
    inventory_lean_bps, inventory_price, oracle_choice_charge, oracle_choice_move_e7, premium,
    spread_bps, trade_fee_rate_e8, utilisation_bps, MarginModel, MarginParams, MarkedPosition,
    OraclePrice, PerpFactors, SeriesMark, ShortFactors, StandardMargin, FEE_RATE_DENOMINATOR,
};
use exposure_vault_math::precision::{quote_to_collateral, PRICE_PRECISION, SIZE_PRECISION};

/// SplitMix64: a fixed, dependency-free sequence.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn below(state: &mut u64, n: u64) -> u64 {
    next(state) % n
}

fn signed(state: &mut u64, n: u64) -> i64 {
    below(state, 2 * n) as i64 - n as i64
}

fn opt(v: Option<u64>) -> String {
    v.map_or("null".into(), |x| format!("\"{x}\""))
}

/// Deribit-like factors (the presets'), with a random confidence multiplier.
fn params(state: &mut u64) -> MarginParams {
    MarginParams {
        initial: ShortFactors {
            a_bps: 1_500,
            b_bps: 1_000,
        },
        maintenance: ShortFactors {
            a_bps: 750,
            b_bps: 500,
        },
        perp: PerpFactors {
            initial_bps: 1_000,
            maintenance_bps: 500,
        },
        conf_multiplier_bps: [0, 10_000, 20_000][below(state, 3) as usize],
    }
}

fn book_case(state: &mut u64) -> String {
    let params = params(state);
    let model = StandardMargin(params);
    let spot = (20_000 + below(state, 80_000)) * PRICE_PRECISION;
    let conf = below(state, 30) * spot / 10_000;
    let price = OraclePrice { price: spot, conf };
    let positions: Vec<MarkedPosition> = (0..1 + below(state, 6))
        .map(|_| {
            let call = below(state, 2) == 0;
            let strike = spot / 100 * (70 + below(state, 61));
            let delta = (below(state, 1_000_000) as i64) * if call { 1 } else { -1 };
            MarkedPosition {
                size: signed(state, 5 * SIZE_PRECISION),
                side: if call {
                    OptionSide::Call
                } else {
                    OptionSide::Put
                },
                strike,
                mark: SeriesMark {
                    price: below(state, spot / 5),
                    delta,
                    vega: 0,
                    spot: spot - spot / 100 + below(state, spot / 50),
                    gamma: 0,
                },
                settled: below(state, 10) == 0,
            }
        })
        .collect();
    let perp = if below(state, 3) == 0 {
        let size = signed(state, 2 * SIZE_PRECISION);
        PerpPosition {
            size,
            quote_entry: -(size as i128 * spot as i128 / SIZE_PRECISION as i128) as i64,
        }
    } else {
        PerpPosition::default()
    };
    // Collateral around the maintenance requirement, so that many books have liquidation
    // prices inside the search grid.
    let bare = model
        .health_at_spot(0, &positions, perp, spot, conf)
        .expect("health");
    let need = bare.maintenance as i128 - bare.equity;
    let collateral = (need + need.abs() * below(state, 200) as i128 / 100 - need.abs() / 2
        + below(state, 5_000 * PRICE_PRECISION) as i128)
        .max(0) as u64;
    let health = model
        .health(collateral, &mut positions.iter().copied(), price)
        .and_then(|h| model.with_perp(h, perp, price))
        .expect("health");
    let [liq_below, liq_above] = model.liquidation_prices(collateral, &positions, perp, price);
    let positions: Vec<String> = positions
        .iter()
        .map(|p| {
            format!(
                "{{\"size\": \"{}\", \"call\": {}, \"strike\": \"{}\", \"markPrice\": \"{}\", \"markDelta\": \"{}\", \"markSpot\": \"{}\", \"settled\": {}}}",
                p.size,
                p.side == OptionSide::Call,
                p.strike,
                p.mark.price,
                p.mark.delta,
                p.mark.spot,
                p.settled
            )
        })
        .collect();
    format!(
        "    {{\"confMultiplierBps\": {}, \"price\": \"{spot}\", \"conf\": \"{conf}\", \"collateral\": \"{collateral}\", \"perp\": {{\"size\": \"{}\", \"quoteEntry\": \"{}\"}}, \"positions\": [{}], \"equity\": \"{}\", \"initial\": \"{}\", \"maintenance\": \"{}\", \"liquidation\": [{}, {}]}}",
        params.conf_multiplier_bps,
        perp.size,
        perp.quote_entry,
        positions.join(", "),
        health.equity,
        health.initial,
        health.maintenance,
        opt(liq_below),
        opt(liq_above),
    )
}

fn charge_case(state: &mut u64) -> String {
    let model_price = below(state, 20_000 * PRICE_PRECISION);
    let vega = below(state, 200 * PRICE_PRECISION);
    let vol = 200_000 + below(state, 1_000_000);
    let size = signed(state, 10 * SIZE_PRECISION);
    let delta = signed(state, 1_000_000);
    let dollar_gamma = below(state, 5_000 * PRICE_PRECISION);
    let spot = 1 + below(state, 100_000 * PRICE_PRECISION);
    let age = below(state, 61);
    let (max_net_delta, max_net_vega, max_net_gamma) = (
        1_000_000 * PRICE_PRECISION,
        50_000 * PRICE_PRECISION,
        100_000 * PRICE_PRECISION,
    );
    let greek = |state: &mut u64, cap: u64| signed(state, cap + cap / 2) as i128;
    let (delta_before, vega_before) = (greek(state, max_net_delta), greek(state, max_net_vega));
    let (delta_after, vega_after) = (greek(state, max_net_delta), greek(state, max_net_vega));
    let (expiry_vega, expiry_gamma) = (greek(state, max_net_vega), greek(state, max_net_gamma));
    let (skew_bps, vega_fee_bps, taker_fee_bps) = (500u16, 20u16, 10u16);
    let (base_spread, max_spread, choice_move_bps) = (50u16, 450u16, 80u16);
    let lean =
        inventory_lean_bps(expiry_vega, max_net_vega, expiry_gamma, max_net_gamma).expect("lean");
    let (price, shift) = inventory_price(model_price, vega, vol, lean, skew_bps).expect("price");
    let utilisation = utilisation_bps(delta_after, vega_after, max_net_delta, max_net_vega);
    let spread = spread_bps(base_spread, max_spread, utilisation);
    let at_spread = premium(price, size.unsigned_abs(), spread, size > 0).expect("premium");
    let choice = oracle_choice_charge(
        delta,
        dollar_gamma,
        spot,
        oracle_choice_move_e7(choice_move_bps, age),
        price,
        spread,
        size.unsigned_abs(),
    )
    .expect("choice");
    let gross = if size > 0 {
        at_spread + choice
    } else {
        at_spread.saturating_sub(choice)
    };
    let rate = trade_fee_rate_e8(
        taker_fee_bps,
        vega_before,
        vega_after,
        max_net_vega,
        vega_fee_bps,
    );
    let fee_quote = mul_div(at_spread, rate, FEE_RATE_DENOMINATOR, Rounding::Up).expect("fee");
    let fee = quote_to_collateral(fee_quote, 6, Rounding::Up).expect("fee");
    format!(
        "    {{\"modelPrice\": \"{model_price}\", \"vega\": \"{vega}\", \"vol\": \"{vol}\", \"size\": \"{size}\", \"delta\": \"{delta}\", \"dollarGamma\": \"{dollar_gamma}\", \"spot\": \"{spot}\", \"oracleAgeSecs\": {age}, \"deltaBefore\": \"{delta_before}\", \"vegaBefore\": \"{vega_before}\", \"deltaAfter\": \"{delta_after}\", \"vegaAfter\": \"{vega_after}\", \"expiryVegaAfter\": \"{expiry_vega}\", \"expiryGammaAfter\": \"{expiry_gamma}\", \"lean\": \"{lean}\", \"price\": \"{price}\", \"volShift\": \"{shift}\", \"spreadBps\": \"{spread}\", \"oracleChoice\": \"{choice}\", \"gross\": \"{gross}\", \"fee\": \"{fee}\"}}"
    )
}

fn golden() -> String {
    let mut state = 19u64;
    let books: Vec<String> = (0..150).map(|_| book_case(&mut state)).collect();
    let charges: Vec<String> = (0..150).map(|_| charge_case(&mut state)).collect();
    format!(
        "{{\n  \"risk\": {{\"initial\": [1500, 1000], \"maintenance\": [750, 500], \"perp\": [1000, 500], \"maxNetDelta\": \"1000000000000\", \"maxNetVega\": \"50000000000\", \"maxNetGamma\": \"100000000000\", \"inventorySkewBps\": 500, \"vegaFeeBps\": 20, \"takerFeeBps\": 10, \"baseSpreadBps\": 50, \"maxSpreadBps\": 450, \"oracleChoiceMoveBps\": 80}},\n  \"books\": [\n{}\n  ],\n  \"charges\": [\n{}\n  ]\n}}\n",
        books.join(",\n"),
        charges.join(",\n")
    )
}

#[test]
fn app_margin_vectors_are_current() {
    golden::check(
        "src/margin.golden.json",
        &golden(),
        "cargo test -p exposure-vault-math --test app_margin_vectors",
    );
}

/// The vectors exercise what the chart needs: books with liquidation prices on each side, books
/// already failing, and books safe over the whole grid.
#[test]
fn the_vectors_cover_both_sides_and_both_outcomes() {
    let text = golden();
    let count = |needle: &str| text.matches(needle).count();
    assert!(count("\"liquidation\": [null, null]") > 5);
    assert!(count("\"liquidation\": [\"") > 20, "a price below");
    let both = text
        .lines()
        .filter(|l| l.contains("\"liquidation\": [\"") && !l.contains(", null]"))
        .count();
    assert!(both > 5, "prices on both sides: {both}");
}
