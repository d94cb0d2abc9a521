use anchor_lang::prelude::*;

use crate::controller::hedge as venue;
use crate::error::VaultError;
use crate::events::HedgeQuotePosted;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct PostHedgeQuote<'info> {
    /// The vault.
    pub vault: Account<'info, Vault>,

    /// The provider's hedge market.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = hedge_book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The market's series book (the provider's margin is judged on it).
    pub book: AccountLoader<'info, SeriesBook>,

    /// The hedge book the quote goes into.
    #[account(mut)]
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    /// The provider's margin account: backs the quote.
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// The provider: signs.
    pub owner: Signer<'info>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
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
        account.require_provider_on(&self.owner.key(), &self.market.key(), &self.market.vault)?;
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

pub fn handle_post_hedge_quote(
    ctx: Context<PostHedgeQuote>,
    max_vault_buy: u64,
    max_vault_sell: u64,
    spread_bps: u16,
    expiry_ts: i64,
) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let account = accounts.margin_account.load()?;
    accounts.validate(&account, spread_bps, expiry_ts, now)?;
    let provider = accounts.margin_account.key();
    let mut hedge_book = accounts.hedge_book.load_mut()?;
    let slot = hedge_book
        .slot_of(&provider)
        .ok_or(VaultError::NotHedgeProvider)?;
    let quote = HedgeQuote {
        provider,
        max_vault_buy,
        max_vault_sell,
        spread_bps,
        expiry_ts,
        _padding: [0; 6],
        options: hedge_book.quotes[slot].options,
    };
    if max_vault_buy > 0 || max_vault_sell > 0 {
        let price = oracle::read_market_price(
            &mut accounts.market,
            &accounts.oracle.to_account_info(),
            &clock,
        )?;
        let book = accounts.book.load()?;
        require!(
            venue::quote_is_backed(
                &account,
                &quote,
                &book,
                &accounts.market,
                &accounts.vault,
                &price,
                now
            )?,
            VaultError::HedgeQuoteUnbacked
        );
    }
    hedge_book.quotes[slot] = quote;
    emit!(HedgeQuotePosted {
        market: accounts.market.key(),
        margin_account: provider,
        max_vault_buy,
        max_vault_sell,
        spread_bps,
        expiry_ts,
    });
    Ok(())
}
