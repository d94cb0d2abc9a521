//! Which margin accounts to liquidate: the program's own health computation, after marking
//! every series at the current oracle price exactly as `refresh_marks` would, so the keeper
//! agrees with the chain on who is below maintenance.
use anchor_lang::prelude::Pubkey;
use exposure_vault::controller::{account_health, price_series, store_mark, store_scenarios};
use exposure_vault::math::margin::Health;
use exposure_vault::math::portfolio::Grid;
use exposure_vault::state::{MarginAccount, SeriesBook};

use exposure_vault_client::model::{MarketView, VaultView};

/// An account below maintenance margin.
#[derive(Clone, Debug, PartialEq)]
pub struct Underwater {
    pub market: u16,
    pub account: Pubkey,
    pub owner: Pubkey,
    pub health: Health,
}

/// The market's book with every open series re-marked at `spot` and `now`, and, on a market
/// with portfolio margin, revalued over its scenario grid as `refresh_scenarios` would.
pub fn remarked_book(market: &MarketView, spot: u64, now: i64) -> SeriesBook {
    let mut book = market.book;
    let grid = Grid::new(market.state.risk.portfolio(), spot);
    for series in book
        .series
        .iter_mut()
        .filter(|s| s.has_open_interest() && !s.is_settled())
    {
        if let Ok(quote) = price_series(series, &market.surface, spot, now) {
            store_mark(series, &quote, spot, now);
        }
        if let Some(grid) = &grid {
            // A series the grid cannot price keeps its old cache, which then reads as stale.
            let _ = store_scenarios(series, grid, &market.surface, now);
        }
    }
    book
}

/// An account's health as the program computes it, on `book` (re-marked) at `price`.
pub fn health_on(
    view: &VaultView,
    market: &MarketView,
    book: &SeriesBook,
    price: &exposure_vault::oracle::OraclePrice,
    account: &MarginAccount,
) -> Option<Health> {
    account_health(
        account,
        book,
        &market.state,
        view.state.params.conf_multiplier_bps,
        price,
        view.state.collateral_decimals,
        view.clock.unix_timestamp,
    )
    .ok()
}

/// Accounts of `market` that fail maintenance at the oracle's current price.
pub fn underwater(
    view: &VaultView,
    market: &MarketView,
    accounts: &[(Pubkey, MarginAccount)],
) -> Vec<Underwater> {
    let Some(price) = market.oracle.and_then(|o| o.program) else {
        return vec![];
    };
    let now = view.clock.unix_timestamp;
    let book = remarked_book(market, price.price, now);
    accounts
        .iter()
        .filter(|(_, account)| {
            account.position_count > 0 || account.open_positions().next().is_some()
        })
        .filter_map(|(address, account)| {
            let health = health_on(view, market, &book, &price, account)?;
            (!health.meets_maintenance()).then_some(Underwater {
                market: market.keys.index,
                account: *address,
                owner: account.owner,
                health,
            })
        })
        .collect()
}
