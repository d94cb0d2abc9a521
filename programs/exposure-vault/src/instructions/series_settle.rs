use anchor_lang::prelude::*;

use crate::controller;
use crate::error::VaultError;
use crate::events::SeriesSettled;
use crate::math::black76::Black76;
use crate::oracle;
use crate::state::*;

/// Permissionless, once per series: after expiry, records the settlement price from a Pyth
/// price published within `settlement_window_secs` after the expiry timestamp (`settlement_oracle`:
/// for a pull feed any verified update of the market's feed, for a legacy feed the price
/// account itself while its price is inside the window). The series is then marked at its
/// intrinsic value for good and the vault's NAV inputs are refreshed at the current oracle price.
/// A second call fails with `SeriesAlreadySettled` and changes nothing.
#[derive(Accounts)]
pub struct SettleSeries<'info> {
    #[account(mut)]
    pub vault: Account<'info, Vault>,

    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    #[account(mut)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// CHECK: validated by `oracle::read_settlement_price` against the market's oracle configuration.
    pub settlement_oracle: UncheckedAccount<'info>,

    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl SettleSeries<'_> {
    pub fn validate(&self, series: &Series, registry: &MarkRegistry, now: i64) -> Result<()> {
        require_keys_eq!(registry.vault, self.vault.key(), VaultError::WrongVault);
        require!(!series.is_settled(), VaultError::SeriesAlreadySettled);
        require!(series.is_listed(), VaultError::SeriesNotListed);
        require!(now >= series.expiry_ts, VaultError::SettlementTooEarly);
        Ok(())
    }
}

pub fn handler(ctx: Context<SettleSeries>, series_index: u8) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut registry = accounts.mark_registry.load_mut()?;
    let mut book = accounts.book.load_mut()?;
    let series = book
        .series
        .get_mut(usize::from(series_index))
        .ok_or(VaultError::SeriesNotListed)?;
    accounts.validate(series, &registry, now)?;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
        0,
    )?;
    let market = &accounts.market;
    let settlement = oracle::read_settlement_price(
        &accounts.settlement_oracle.to_account_info(),
        &market.oracle,
        series.expiry_ts,
        market.risk.settlement_window_secs,
    )?;
    let intrinsic = series.intrinsic(settlement.price);
    series.settlement_price = settlement.price;
    series.status = series_status::SETTLED;
    // The final mark: intrinsic value, no Greeks.
    let final_mark = controller::SeriesQuote {
        greeks: Black76 {
            price: intrinsic,
            delta: 0,
            vega: 0,
        },
        vol: 0,
    };
    controller::store_mark(series, &final_mark, settlement.price, now);

    let vault = &mut accounts.vault;
    let exposure = controller::market_exposure(
        &book,
        market,
        vault.params.conf_multiplier_bps,
        &price,
        vault.collateral_decimals,
    )?;
    controller::sync_registry(vault, &mut registry, market.index, exposure)?;
    emit!(SeriesSettled {
        market: market.key(),
        series_index,
        settlement_price: settlement.price,
        publish_time: settlement.publish_time,
        intrinsic,
    });
    Ok(())
}
