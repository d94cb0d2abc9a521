use anchor_lang::prelude::*;

use crate::controller::hedge as venue;
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
    let mut book = accounts.book.load_mut()?;
    let outcome = venue::HedgeRebalance {
        vault: &mut accounts.vault,
        registry: &mut registry,
        book: &mut book,
        hedge_book: &mut hedge_book,
        market: &accounts.market,
        provider: &mut provider,
        price,
        now,
    }
    .fill_perp(
        &accounts.provider.key(),
        expected_seq,
        size,
        max_slippage_bps,
    )?;
    let (market, provider) = (accounts.market.key(), accounts.provider.key());
    match outcome {
        venue::PerpRebalanceOutcome::QuoteCancelled => emit!(HedgeQuoteCancelled {
            market,
            margin_account: provider,
            oracle_price: price.price,
        }),
        venue::PerpRebalanceOutcome::Filled {
            fill_price,
            spread_bps,
            vault_net_delta,
            realised_to_provider,
        } => emit!(HedgeRebalanced {
            market,
            provider,
            seq: expected_seq,
            size,
            oracle_price: price.price,
            fill_price,
            spread_bps,
            vault_hedge_size: book.vault_hedge.size,
            vault_net_delta: vault_net_delta.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
            realised_to_provider,
        }),
    }
    Ok(())
}
