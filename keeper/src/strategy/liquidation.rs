//! Which margin accounts to liquidate: the program's own health computation across every
//! market an account holds, after marking every series at the current oracle price exactly as
//! `refresh_marks` (and `refresh_scenarios`) would, so the keeper agrees with the chain on who
//! is below maintenance.
use anchor_lang::prelude::Pubkey;
use exposure_vault::controller::{
    account_health_across, price_series, store_mark, store_scenarios, MarketContext,
};
use exposure_vault::math::margin::Health;
use exposure_vault::math::portfolio::Grid;
use exposure_vault::oracle::OraclePrice;
use exposure_vault::state::{MarginAccount, SeriesBook};

use exposure_vault_client::model::{MarketView, VaultView};

/// An account below maintenance margin, and where to liquidate it: `market`, the market of its
/// first short (else its first position), with `others` every other market it holds, whose
/// accounts the liquidation passes so the program sees the whole account.
#[derive(Clone, Debug, PartialEq)]
pub struct Underwater {
    pub market: u16,
    pub others: Vec<u16>,
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

/// Every market of the vault re-marked at its oracle price (None where the price is unreadable),
/// aligned with `view.markets`.
pub fn remarked_markets(view: &VaultView) -> Vec<Option<(SeriesBook, OraclePrice)>> {
    let now = view.clock.unix_timestamp;
    view.markets
        .iter()
        .map(|market| {
            let price = market.oracle.and_then(|o| o.program)?;
            Some((remarked_book(market, price.price, now), price))
        })
        .collect()
}

/// An account's health as the program computes it across every market it holds, on the
/// re-marked books; None when one of them cannot be valued now.
pub fn account_health_in(
    view: &VaultView,
    remarked: &[Option<(SeriesBook, OraclePrice)>],
    account: &MarginAccount,
) -> Option<Health> {
    let contexts: Vec<MarketContext> = view
        .markets
        .iter()
        .zip(remarked)
        .filter_map(|(market, remarked)| {
            let (book, price) = remarked.as_ref()?;
            Some(MarketContext {
                market: &market.state,
                book,
                price: *price,
            })
        })
        .collect();
    let (this, others) = contexts.split_first()?;
    account_health_across(
        account,
        account.hedge.get(),
        this,
        others,
        view.state.params.conf_multiplier_bps,
        view.state.collateral_decimals,
        view.clock.unix_timestamp,
    )
    .ok()
}

/// The markets an account holds (options, and its perpetual's market), in the order its
/// liquidation should start: the market of its first short first.
pub fn markets_held(account: &MarginAccount) -> Vec<u16> {
    let mut held: Vec<u16> = Vec::new();
    let shorts_first = account
        .open_positions()
        .filter(|p| p.size < 0)
        .chain(account.open_positions().filter(|p| p.size > 0));
    for position in shorts_first {
        if !held.contains(&position.market_index) {
            held.push(position.market_index);
        }
    }
    if !account.hedge.is_flat() && !held.contains(&account.hedge_market_index) {
        held.push(account.hedge_market_index);
    }
    held
}

/// Accounts below maintenance at the oracles' current prices, each once.
pub fn underwater(
    view: &VaultView,
    remarked: &[Option<(SeriesBook, OraclePrice)>],
    accounts: &[(Pubkey, MarginAccount)],
) -> Vec<Underwater> {
    accounts
        .iter()
        .filter_map(|(address, account)| {
            let held = markets_held(account);
            let (&market, others) = held.split_first()?;
            let health = account_health_in(view, remarked, account)?;
            (!health.meets_maintenance()).then(|| Underwater {
                market,
                others: others.to_vec(),
                account: *address,
                owner: account.owner,
                health,
            })
        })
        .collect()
}

/// The vault's margin accounts grouped by the markets they hold something in (an account in
/// two markets is listed under both).
pub fn margins_by_market(
    view: &VaultView,
    accounts: &[(Pubkey, MarginAccount)],
) -> std::collections::BTreeMap<Pubkey, Vec<(Pubkey, MarginAccount)>> {
    let mut grouped = std::collections::BTreeMap::new();
    for market in &view.markets {
        let index = market.keys.index;
        let here: Vec<_> = accounts
            .iter()
            .filter(|(_, a)| {
                a.positions_in(index).next().is_some()
                    || (a.hedge_provider == 1 && a.hedge_market == market.keys.market)
            })
            .copied()
            .collect();
        grouped.insert(market.keys.market, here);
    }
    grouped
}
