use anchor_lang::prelude::*;

use crate::controller::{self, trading};
use crate::error::VaultError;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct TradeOption<'info> {
    /// The vault, the trade's counterparty: LP assets pay or receive the premium.
    #[account(mut)]
    pub vault: Account<'info, Vault>,

    /// The market of the series; the trader's other markets follow as remaining accounts.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = surface @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The series book: open interest and the series' mark move.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The market's surface, which prices the series.
    pub surface: AccountLoader<'info, VolSurface>,

    /// The vault's mark registry, re-synced after the trade.
    #[account(mut, has_one = vault @ VaultError::WrongMarkRegistry)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// The trader's margin account.
    #[account(mut, has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// Its owner: signs.
    pub trader: Signer<'info>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl TradeOption<'_> {
    pub fn validate(
        &self,
        margin: &MarginAccount,
        surface: &VolSurface,
        size: i64,
        now: i64,
    ) -> Result<()> {
        require!(
            !self.vault.is_paused(pause::TRADING),
            VaultError::TradingPaused
        );
        require!(size != 0, VaultError::ZeroAmount);
        require!(
            margin.hedge_provider == 0 || margin.hedge_market == self.market.key(),
            VaultError::HedgeProviderOutsideItsMarket
        );
        require_keys_eq!(
            margin.owner,
            self.trader.key(),
            VaultError::WrongMarginAccountOwner
        );
        require!(
            surface.is_fresh(now, self.market.risk.surface_max_age_secs),
            VaultError::SurfaceStale
        );
        Ok(())
    }
}

pub fn handle_trade_option(
    ctx: Context<TradeOption>,
    series_index: u8,
    size: i64,
    limit: u64,
) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut margin = accounts.margin_account.load_mut()?;
    let mut registry = accounts.mark_registry.load_mut()?;
    let surface = accounts.surface.load()?;
    accounts.validate(&margin, &surface, size, now)?;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
    )?;
    let mut book = accounts.book.load_mut()?;
    let outcome = trading::OptionTrade {
        vault: &mut accounts.vault,
        registry: &mut registry,
        book: &mut book,
        surface: &surface,
        market: &accounts.market,
        margin: &mut margin,
        price,
        now,
    }
    .fill(series_index, size, limit)?;
    let (market, market_key, vault) = (&accounts.market, accounts.market.key(), &accounts.vault);
    let this = controller::MarketContext {
        market,
        book: &book,
        price,
    };
    trading::require_trader_margin(
        &mut margin,
        market.index,
        series_index,
        &outcome,
        |account| {
            controller::markets::account_health_with_remaining(
                account,
                &this,
                &market_key,
                ctx.remaining_accounts,
                vault,
                &vault.key(),
                &clock,
            )
        },
    )?;
    emit!(outcome.event(
        market_key,
        accounts.margin_account.key(),
        series_index,
        size,
        price.price
    ));
    Ok(())
}
