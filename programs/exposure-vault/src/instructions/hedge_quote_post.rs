use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::HedgeQuotePosted;
use crate::state::*;

/// A registered provider replaces its standing quote: the most it sells (`max_vault_buy`) and
/// buys (`max_vault_sell`) of the perpetual, at the oracle price ± `spread_bps`, until
/// `expiry_ts`. Zero sizes withdraw the quote. Fills use the sizes up.
#[derive(Accounts)]
pub struct PostHedgeQuote<'info> {
    pub vault: Account<'info, Vault>,

    #[account(
        has_one = vault @ VaultError::WrongVault,
        has_one = hedge_book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    #[account(mut)]
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    pub margin_account: AccountLoader<'info, MarginAccount>,

    pub owner: Signer<'info>,
}

impl PostHedgeQuote<'_> {
    pub fn validate(
        &self,
        account: &MarginAccount,
        spread_bps: u16,
        expiry_ts: i64,
        now: i64,
    ) -> Result<()> {
        require!(
            !self.vault.is_paused(pause::TRADING),
            VaultError::TradingPaused
        );
        require_keys_eq!(
            account.owner,
            self.owner.key(),
            VaultError::WrongMarginAccountOwner
        );
        require_keys_eq!(account.market, self.market.key(), VaultError::WrongMarket);
        require!(account.hedge_provider == 1, VaultError::NotHedgeProvider);
        require!(
            spread_bps <= HedgeBook::MAX_SPREAD_BPS
                && expiry_ts > now
                && expiry_ts <= now.saturating_add(HedgeBook::MAX_QUOTE_LIFETIME_SECS),
            VaultError::InvalidHedgeQuote
        );
        Ok(())
    }
}

pub fn handler(
    ctx: Context<PostHedgeQuote>,
    max_vault_buy: u64,
    max_vault_sell: u64,
    spread_bps: u16,
    expiry_ts: i64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let account = ctx.accounts.margin_account.load()?;
    ctx.accounts
        .validate(&account, spread_bps, expiry_ts, now)?;
    let provider = ctx.accounts.margin_account.key();
    let mut hedge_book = ctx.accounts.hedge_book.load_mut()?;
    let slot = hedge_book
        .slot_of(&provider)
        .ok_or(VaultError::NotHedgeProvider)?;
    let quote = &mut hedge_book.quotes[slot];
    quote.max_vault_buy = max_vault_buy;
    quote.max_vault_sell = max_vault_sell;
    quote.spread_bps = spread_bps;
    quote.expiry_ts = expiry_ts;
    emit!(HedgeQuotePosted {
        market: ctx.accounts.market.key(),
        margin_account: provider,
        max_vault_buy,
        max_vault_sell,
        spread_bps,
        expiry_ts,
    });
    Ok(())
}
