use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::HedgeProviderRegistered;
use crate::state::*;

/// Registers the signer's margin account as a hedge provider of its market: it takes a quote
/// slot in the market's `HedgeBook` (empty until `post_hedge_quote`). Its perpetual is margined
/// and liquidatable with the rest of the account.
#[derive(Accounts)]
pub struct RegisterHedgeProvider<'info> {
    #[account(has_one = hedge_book @ VaultError::WrongMarket)]
    pub market: Account<'info, Market>,

    #[account(mut)]
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    #[account(mut)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    pub owner: Signer<'info>,
}

impl RegisterHedgeProvider<'_> {
    pub fn validate(&self, account: &MarginAccount, hedge_book: &HedgeBook) -> Result<()> {
        require_keys_eq!(
            account.owner,
            self.owner.key(),
            VaultError::WrongMarginAccountOwner
        );
        require_keys_eq!(account.market, self.market.key(), VaultError::WrongMarket);
        require!(
            account.hedge_provider == 0,
            VaultError::HedgeProviderAlreadyRegistered
        );
        require!(
            usize::from(hedge_book.provider_count) < HedgeBook::MAX_PROVIDERS,
            VaultError::HedgeBookFull
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<RegisterHedgeProvider>) -> Result<()> {
    let mut account = ctx.accounts.margin_account.load_mut()?;
    let mut hedge_book = ctx.accounts.hedge_book.load_mut()?;
    ctx.accounts.validate(&account, &hedge_book)?;
    let slot = hedge_book.provider_count;
    hedge_book.quotes[usize::from(slot)] = HedgeQuote {
        provider: ctx.accounts.margin_account.key(),
        ..HedgeQuote::default()
    };
    hedge_book.provider_count = slot + 1;
    account.hedge_provider = 1;
    emit!(HedgeProviderRegistered {
        market: ctx.accounts.market.key(),
        margin_account: ctx.accounts.margin_account.key(),
        slot,
    });
    Ok(())
}
