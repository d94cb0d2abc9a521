//! The vault's book as the pricing engine sees it, built from a chain snapshot.
use std::collections::BTreeMap;

use exposure_vault::math::precision::{PRICE_PRECISION, SIZE_PRECISION};
use exposure_vault::state::SIDE_CALL;

use crate::pricing::black::OptionKind;
use crate::pricing::svi::{SviRaw, VolSurface};
use crate::risk::portfolio::{
    aggregate, DollarGreeks, MarketState, PortfolioGreeks, Position, RiskError,
};
use exposure_vault_client::model::{MarketView, VaultView};

const YEAR_SECS: f64 = 365.0 * 86_400.0;

/// The market's vol surface in the pricing engine's form (time in years from `now`), or None
/// when it has no unexpired slice.
pub fn market_surface(market: &MarketView, now: i64) -> Option<VolSurface> {
    let slices: Vec<(f64, SviRaw)> = market.surface.slices[..market.surface.slice_count as usize]
        .iter()
        .filter(|s| s.expiry_ts > now)
        .map(|s| {
            (
                (s.expiry_ts - now) as f64 / YEAR_SECS,
                SviRaw::from_onchain(s),
            )
        })
        .collect();
    VolSurface::new(slices).ok()
}

/// The market's spot: the oracle's price when readable, else the last price the program saw.
pub fn market_spot(market: &MarketView) -> f64 {
    market
        .oracle
        .map(|o| o.price)
        .unwrap_or(market.state.last_price as f64 / PRICE_PRECISION as f64)
}

/// The vault's open option positions (it is the counterparty of every trade) and the market
/// states to value them, keyed by market symbol. Expired series are left out: they are worth
/// their intrinsic value and are settlement's business.
pub fn vault_book(view: &VaultView) -> (Vec<Position>, BTreeMap<String, MarketState>) {
    let now = view.clock.unix_timestamp;
    let mut positions = Vec::new();
    let mut markets = BTreeMap::new();
    for market in &view.markets {
        let Some(surface) = market_surface(market, now) else {
            continue;
        };
        let symbol = market.symbol();
        for series in market.book.series.iter().filter(|s| s.expiry_ts > now) {
            let Some(size) = series.vault_position().filter(|s| *s != 0) else {
                continue;
            };
            positions.push(Position {
                market: symbol.clone(),
                kind: if series.side == SIDE_CALL {
                    OptionKind::Call
                } else {
                    OptionKind::Put
                },
                strike: series.strike as f64 / PRICE_PRECISION as f64,
                t: (series.expiry_ts - now) as f64 / YEAR_SECS,
                size: size as f64 / SIZE_PRECISION as f64,
            });
        }
        markets.insert(
            symbol,
            MarketState {
                spot: market_spot(market),
                rate: 0.0,
                surface,
            },
        );
    }
    (positions, markets)
}

/// The vault's Greeks from the pricing engine, per market and in total, with each market's
/// hedge perpetual added: one unit of delta per unit held, valued at `size·spot + quote_entry`.
pub fn vault_greeks(view: &VaultView) -> Result<PortfolioGreeks, RiskError> {
    let (positions, markets) = vault_book(view);
    let mut greeks = aggregate(&positions, &markets)?;
    let now = view.clock.unix_timestamp;
    for market in &view.markets {
        // Expired series not yet settled: worth intrinsic value and, until the settlement price
        // is final, one unit of delta per unit in the money, as the program marks them (a
        // `refresh_marks` after expiry prices them at zero time left).
        let spot = market_spot(market);
        for series in market
            .book
            .series
            .iter()
            .filter(|s| s.expiry_ts <= now && (s.is_listed() || s.is_settling()))
        {
            let Some(size) = series.vault_position().filter(|s| *s != 0) else {
                continue;
            };
            let size = size as f64 / SIZE_PRECISION as f64;
            let strike = series.strike as f64 / PRICE_PRECISION as f64;
            let (intrinsic, delta) = match (series.side == SIDE_CALL, spot > strike, spot < strike)
            {
                (true, true, _) => (spot - strike, 1.0),
                (false, _, true) => (strike - spot, -1.0),
                _ => (0.0, 0.0),
            };
            let expired = DollarGreeks {
                value: size * intrinsic,
                delta_usd: size * delta * spot,
                ..DollarGreeks::default()
            };
            greeks.add_to_market(&market.symbol(), &expired);
        }
    }
    for market in &view.markets {
        let hedge = market.book.vault_hedge;
        if hedge.is_flat() {
            continue;
        }
        let spot = market_spot(market);
        let size = hedge.size as f64 / SIZE_PRECISION as f64;
        let linear = DollarGreeks {
            value: size * spot + hedge.quote_entry as f64 / PRICE_PRECISION as f64,
            delta_usd: size * spot,
            ..DollarGreeks::default()
        };
        greeks.add_to_market(&market.symbol(), &linear);
    }
    Ok(greeks)
}
