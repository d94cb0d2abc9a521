use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::HedgeProviderDeregistered;
use crate::state::*;

#[derive(Accounts)]
pub struct DeregisterHedgeProvider<'info> {
    /// The provider's hedge market.
    #[account(has_one = hedge_book @ VaultError::WrongMarket)]
    pub market: Account<'info, Market>,

    /// The hedge book that loses the provider and its quotes.
    #[account(mut)]
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    /// The provider's margin account: flat in the hedge before it leaves.
    #[account(mut)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// The provider: signs.
    pub owner: Signer<'info>,
}

impl DeregisterHedgeProvider<'_> {
    pub fn validate(&self, account: &MarginAccount) -> Result<()> {
        account.require_provider_on(&self.owner.key(), &self.market.key(), &self.market.vault)?;
        require!(account.hedge_provider == 1, VaultError::NotHedgeProvider);
        require!(account.hedge.is_flat(), VaultError::HedgePositionOpen);
        Ok(())
    }
}

pub fn handle_deregister_hedge_provider(ctx: Context<DeregisterHedgeProvider>) -> Result<()> {
    let mut account = ctx.accounts.margin_account.load_mut()?;
    ctx.accounts.validate(&account)?;
    let mut hedge_book = ctx.accounts.hedge_book.load_mut()?;
    let slot = hedge_book
        .slot_of(&ctx.accounts.margin_account.key())
        .ok_or(VaultError::NotHedgeProvider)?;
    hedge_book.remove(slot);
    account.hedge_provider = 0;
    emit!(HedgeProviderDeregistered {
        market: ctx.accounts.market.key(),
        margin_account: ctx.accounts.margin_account.key(),
    });
    Ok(())
}
