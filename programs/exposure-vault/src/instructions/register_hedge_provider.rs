use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::{HedgeProviderDeregistered, HedgeProviderRegistered};
use crate::state::*;

#[derive(Accounts)]
pub struct RegisterHedgeProvider<'info> {
    /// The market the provider hedges.
    #[account(has_one = hedge_book @ VaultError::WrongMarket)]
    pub market: Account<'info, Market>,

    /// The hedge book the provider joins (or a slot it takes over from an idle provider).
    #[account(mut)]
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    /// The provider's margin account: flat outside this market.
    #[account(mut)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// The provider: signs.
    pub owner: Signer<'info>,

    /// A provider whose quotes do not hold its slot (`HedgeQuote::holds_slot`), to evict when
    /// the book is full.
    #[account(mut)]
    pub evict: Option<AccountLoader<'info, MarginAccount>>,
}

impl RegisterHedgeProvider<'_> {
    pub fn validate(&self, account: &MarginAccount) -> Result<()> {
        account.require_provider_on(&self.owner.key(), &self.market.key(), &self.market.vault)?;
        require!(
            account.hedge_provider == 0,
            VaultError::HedgeProviderAlreadyRegistered
        );
        // A provider's checks read its hedge market alone: it holds nothing anywhere else.
        require!(
            account
                .open_positions()
                .all(|p| p.market_index == self.market.index)
                && (account.hedge.is_flat() || account.hedge_market == self.market.key()),
            VaultError::HedgeProviderOutsideItsMarket
        );
        Ok(())
    }

    /// The slot a full book gives up: the evicted provider's, once it is shown dead and flat.
    fn evicted_slot(&self, hedge_book: &HedgeBook, now: i64) -> Result<usize> {
        let loader = self.evict.as_ref().ok_or(VaultError::HedgeBookFull)?;
        require_keys_neq!(
            loader.key(),
            self.margin_account.key(),
            VaultError::HedgeProviderAlreadyRegistered
        );
        let slot = hedge_book
            .slot_of(&loader.key())
            .ok_or(VaultError::NotHedgeProvider)?;
        let victim = loader.load()?;
        let risk = &self.market.risk;
        let min_size = HedgeBook::min_slot_quote_size(risk.max_net_delta, self.market.last_price);
        require!(
            !hedge_book.quotes[slot].holds_slot(now, risk.max_hedge_slippage_bps, min_size)
                && victim.hedge.is_flat(),
            VaultError::HedgeProviderSlotLive
        );
        Ok(slot)
    }
}

pub fn handle_register_hedge_provider(ctx: Context<RegisterHedgeProvider>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let accounts = &ctx.accounts;
    let mut account = accounts.margin_account.load_mut()?;
    accounts.validate(&account)?;
    let mut hedge_book = accounts.hedge_book.load_mut()?;
    let mut evicted = None;
    if usize::from(hedge_book.provider_count) >= HedgeBook::MAX_PROVIDERS {
        let slot = accounts.evicted_slot(&hedge_book, now)?;
        hedge_book.remove(slot);
        if let Some(loader) = accounts.evict.as_ref() {
            loader.load_mut()?.hedge_provider = 0;
            evicted = Some(loader.key());
            emit!(HedgeProviderDeregistered {
                market: accounts.market.key(),
                margin_account: loader.key(),
            });
        }
    }
    let slot = hedge_book.provider_count;
    hedge_book.quotes[usize::from(slot)] = HedgeQuote {
        provider: accounts.margin_account.key(),
        ..HedgeQuote::default()
    };
    hedge_book.provider_count = slot + 1;
    account.hedge_provider = 1;
    account.hedge_market = accounts.market.key();
    account.hedge_market_index = accounts.market.index;
    emit!(HedgeProviderRegistered {
        market: accounts.market.key(),
        margin_account: accounts.margin_account.key(),
        slot,
        evicted,
    });
    Ok(())
}
