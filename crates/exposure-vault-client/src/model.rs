//! The vault as clients see it: one consistent read of its accounts, decoded with the program's
//! types, plus the oracle prices. Pure data: the RPC crate fills it, the keeper's pricing, risk
//! and strategy read it, and none of them needs a transport to be tested.
use anchor_lang::prelude::Clock;
use anchor_lang::AccountDeserialize;
use exposure_vault::state::{HedgeBook, Market, SeriesBook, Vault, VolSurface};
use pyth_solana_receiver_sdk::price_update::PriceUpdateV2;

use crate::{MarketKeys, VaultKeys};

/// A Pyth price read from a market's oracle account: dollars for the pricing engine, and the
/// program's fixed-point form (`math::price::normalize`) for exact margin arithmetic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OraclePrice {
    pub price: f64,
    pub conf: f64,
    pub publish_time: i64,
    pub program: Option<exposure_vault::oracle::OraclePrice>,
}

#[derive(Clone)]
pub struct MarketView {
    pub keys: MarketKeys,
    pub state: Market,
    pub book: SeriesBook,
    pub surface: VolSurface,
    /// Standing hedge quotes and the rebalance sequence number.
    pub hedge_book: HedgeBook,
    /// The oracle's current price (pull oracles), None if unreadable.
    pub oracle: Option<OraclePrice>,
}

impl MarketView {
    pub fn symbol(&self) -> String {
        let end = self.state.symbol.iter().position(|b| *b == 0).unwrap_or(16);
        String::from_utf8_lossy(&self.state.symbol[..end]).into_owned()
    }
}

/// One consistent read of a vault: state, every market with its book and surface, and the clock.
#[derive(Clone)]
pub struct VaultView {
    pub keys: VaultKeys,
    pub state: Vault,
    pub markets: Vec<MarketView>,
    pub clock: Clock,
}

/// Decodes a `PriceUpdateV2` account into dollars.
pub fn decode_price_update(data: &[u8]) -> Option<OraclePrice> {
    let mut slice = data;
    let update = PriceUpdateV2::try_deserialize(&mut slice).ok()?;
    let m = update.price_message;
    let scale = 10f64.powi(m.exponent);
    let program = exposure_vault::math::price::normalize(m.price, m.conf, m.exponent)
        .ok()
        .map(|(price, conf)| exposure_vault::oracle::OraclePrice {
            price,
            conf,
            publish_time: m.publish_time,
        });
    Some(OraclePrice {
        price: m.price as f64 * scale,
        conf: m.conf as f64 * scale,
        publish_time: m.publish_time,
        program,
    })
}
