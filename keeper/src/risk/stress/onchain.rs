//! A stress book from a chain snapshot: the vault's positions, hedges, NAV and insurance fund,
//! each market's spot and posted surface, and every margin account (options and perpetual).
use std::collections::BTreeMap;

use anchor_lang::prelude::Pubkey;
use exposure_vault::math::precision::{PRICE_PRECISION, SIZE_PRECISION};
use exposure_vault::state::{MarginAccount, SIDE_CALL};

use super::book::{AccountFile, BookFile, MarginFactors, MarketFile};
use crate::pricing::black::OptionKind;
use crate::risk::onchain::{market_spot, market_surface, vault_book};
use crate::risk::portfolio::Position;
use crate::strategy::hedge::DeltaBand;
use exposure_vault_client::model::VaultView;

const YEAR_SECS: f64 = 365.0 * 86_400.0;

/// The stress book of a vault read from the chain. A stress book's account lives in one market,
/// so an account holding several markets becomes one entry per market (`<address>@<symbol>`),
/// its collateral shared equally between them: the cascade treats each market apart, as
/// the program liquidates market by market.
pub fn book_from_view(
    view: &VaultView,
    margins: &[(Pubkey, MarginAccount)],
    bands: &BTreeMap<u16, DeltaBand>,
) -> BookFile {
    let now = view.clock.unix_timestamp;
    let units = 10f64.powi(i32::from(view.state.collateral_decimals));
    let nav_usd = view.state.net_assets() as f64 / units;
    let (positions, _) = vault_book(view);
    let size = |s: i64| s as f64 / SIZE_PRECISION as f64;
    let price = |p: u64| p as f64 / PRICE_PRECISION as f64;
    let mut markets = BTreeMap::new();
    let mut accounts = Vec::new();
    for market in &view.markets {
        let symbol = market.symbol();
        let Some(surface) = market_surface(market, now) else {
            continue;
        };
        markets.insert(
            symbol.clone(),
            MarketFile {
                spot: market_spot(market),
                surface: surface.slices,
                hedge: size(market.book.vault_hedge.size),
                band_usd: bands
                    .get(&market.keys.index)
                    .and_then(|b| b.width_usd(nav_usd)),
            },
        );
        for (address, account) in margins {
            let held = crate::strategy::liquidation::markets_held(account);
            let provider_here =
                account.hedge_provider == 1 && account.hedge_market == market.keys.market;
            if !held.contains(&market.keys.index) && !provider_here {
                continue;
            }
            let options: Vec<Position> = account
                .positions_in(market.keys.index)
                .filter_map(|p| {
                    let s = &market.book.series[usize::from(p.series_index)];
                    (s.expiry_ts > now).then(|| Position {
                        market: symbol.clone(),
                        kind: if s.side == SIDE_CALL {
                            OptionKind::Call
                        } else {
                            OptionKind::Put
                        },
                        strike: price(s.strike),
                        t: (s.expiry_ts - now) as f64 / YEAR_SECS,
                        size: size(p.size),
                    })
                })
                .collect();
            let perp = if account.hedge_market_index == market.keys.index {
                size(account.hedge.size)
            } else {
                0.0
            };
            let shares = held.len().max(1) as f64;
            accounts.push(AccountFile {
                id: if held.len() > 1 {
                    format!("{address}@{symbol}")
                } else {
                    address.to_string()
                },
                market: symbol.clone(),
                collateral_usd: account.collateral as f64 / units / shares,
                positions: options,
                perp,
                // value = perp·(P − entry) = perp·P + quote_entry.
                perp_entry: if perp != 0.0 {
                    -(account.hedge.quote_entry as f64 / PRICE_PRECISION as f64) / perp
                } else {
                    0.0
                },
            });
        }
    }
    let first = view.markets.first().map(|m| m.state.risk);
    let margin = first.map_or_else(MarginFactors::default, |r| MarginFactors {
        maintenance_a: f64::from(r.maintenance_a_bps) / 1e4,
        maintenance_b: f64::from(r.maintenance_b_bps) / 1e4,
        perp_maintenance: f64::from(r.perp_maintenance_bps) / 1e4,
        liquidation_penalty: f64::from(view.state.params.liquidation_penalty_bps) / 1e4,
    });
    BookFile {
        nav_usd,
        insurance_usd: view.state.insurance_balance as f64 / units,
        markets,
        positions,
        accounts,
        margin,
    }
}
