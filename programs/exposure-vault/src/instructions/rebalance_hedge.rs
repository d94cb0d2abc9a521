use anchor_lang::prelude::*;

use crate::controller::{self, hedge as venue};
use crate::error::OrOverflow;
use crate::error::VaultError;
use crate::events::{HedgeQuoteCancelled, HedgeRebalanced};
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct RebalanceHedge<'info> {
    /// The vault, whose perpetual hedge trades.
    #[account(mut, has_one = keeper @ VaultError::UnauthorizedKeeper)]
    pub vault: Account<'info, Vault>,

    /// The vault's keeper: signs.
    pub keeper: Signer<'info>,

    /// The hedged market.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = hedge_book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The market's series book: the vault's hedge position lives here.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The hedge book: the best live quote fills, and the sequence advances.
    #[account(mut)]
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    /// The vault's mark registry, re-synced after the fill.
    #[account(mut, has_one = vault @ VaultError::WrongMarkRegistry)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// The provider behind the best live quote.
    #[account(mut, has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub provider: AccountLoader<'info, MarginAccount>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl RebalanceHedge<'_> {
    pub fn validate(
        &self,
        hedge_book: &HedgeBook,
        provider: &MarginAccount,
        expected_seq: u64,
        size: i64,
        max_slippage_bps: u16,
    ) -> Result<()> {
        require!(
            !self.vault.is_paused(pause::TRADING),
            VaultError::TradingPaused
        );
        require!(
            hedge_book.rebalance_seq == expected_seq,
            VaultError::RebalanceSequenceMismatch
        );
        require!(size != 0, VaultError::ZeroAmount);
        require!(
            max_slippage_bps <= self.market.risk.max_hedge_slippage_bps,
            VaultError::HedgeSlippageAboveMarketLimit
        );
        require!(provider.hedge_provider == 1, VaultError::NotHedgeProvider);
        require_keys_eq!(
            provider.hedge_market,
            self.market.key(),
            VaultError::WrongMarket
        );
        Ok(())
    }
}

pub fn handle_rebalance_hedge(
    ctx: Context<RebalanceHedge>,
    expected_seq: u64,
    size: i64,
    max_slippage_bps: u16,
) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut hedge_book = accounts.hedge_book.load_mut()?;
    let mut registry = accounts.mark_registry.load_mut()?;
    let mut provider = accounts.provider.load_mut()?;
    accounts.validate(&hedge_book, &provider, expected_seq, size, max_slippage_bps)?;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
    )?;
    let market = &accounts.market;

    let slot = venue::select_quote(&hedge_book, size, now)?;
    require_keys_eq!(
        hedge_book.quotes[slot].provider,
        accounts.provider.key(),
        VaultError::NotBestHedgeQuote
    );
    let spread_bps = hedge_book.quotes[slot].spread_bps;
    let provider_before = provider.hedge.get();
    let mut book = accounts.book.load_mut()?;
    // Any backing check that cannot be evaluated cancels the quote it judges: it never blocks
    // the hedge (SECURITY.md, "Hedge providers").
    let backed = venue::quote_is_backed(
        &provider,
        &hedge_book.quotes[slot],
        &book,
        market,
        &accounts.vault,
        &price,
        now,
    )
    .unwrap_or(false);
    if !backed {
        let quote = &mut hedge_book.quotes[slot];
        quote.max_vault_buy = 0;
        quote.max_vault_sell = 0;
        emit!(HedgeQuoteCancelled {
            market: market.key(),
            margin_account: accounts.provider.key(),
            oracle_price: price.price,
        });
        return Ok(());
    }
    let delta_before = controller::vault_exposure(&book)?
        .in_quote(price.price)
        .or_overflow()?
        .0;
    let fill_price = venue::fill(
        &mut hedge_book,
        slot,
        &mut book.vault_hedge,
        &mut provider.hedge,
        size,
        price.price,
        max_slippage_bps,
    )?;
    hedge_book.rebalance_seq = expected_seq.checked_add(1).or_overflow()?;

    let vault = &mut accounts.vault;
    let decimals = vault.collateral_decimals;
    let realised = venue::realise_if_flat(
        &mut provider.hedge,
        &mut book.vault_hedge,
        decimals,
        vault.lp_assets,
    )?;
    venue::pay_realised(vault, &mut provider.collateral, realised)?;

    let conf_multiplier = vault.params.conf_multiplier_bps;
    let health = controller::account_health(
        &provider,
        &book,
        market,
        conf_multiplier,
        &price,
        decimals,
        now,
    )?;
    // A fill that only shrinks the provider's perpetual is always welcome: it lowers its risk.
    require!(
        health.meets_initial()
            || crate::math::hedge::only_reduces(&provider_before, &provider.hedge.get()),
        VaultError::HedgeProviderUnderMargined
    );

    let delta_after = controller::vault_exposure(&book)?
        .in_quote(price.price)
        .or_overflow()?
        .0;
    let traded = crate::math::hedge::PerpPosition {
        size,
        quote_entry: 0,
    }
    .notional(price.price)
    .or_overflow()?;
    require!(
        crate::math::hedge::hedges_net_delta(delta_before, delta_after, traded),
        VaultError::RebalanceDoesNotReduceDelta
    );
    let margin_before = registry.markets[usize::from(market.index)].initial_margin;
    let exposure = controller::market_exposure(&book, market, conf_multiplier, &price, decimals)?;
    controller::sync_registry(vault, &mut registry, market.index, exposure)?;
    controller::trading::require_vault_covers_margin(
        vault,
        margin_before,
        exposure.initial_margin,
    )?;

    emit!(HedgeRebalanced {
        market: market.key(),
        provider: accounts.provider.key(),
        seq: expected_seq,
        size,
        oracle_price: price.price,
        fill_price,
        spread_bps,
        vault_hedge_size: book.vault_hedge.size,
        vault_net_delta: delta_after.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
        realised_to_provider: realised,
    });
    Ok(())
}
