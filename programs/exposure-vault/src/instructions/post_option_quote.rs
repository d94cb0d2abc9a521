use anchor_lang::prelude::*;

use crate::controller::{self, hedge as venue};
use crate::error::VaultError;
use crate::events::OptionQuotePosted;
use crate::math::black76::MAX_VOL;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct PostOptionQuote<'info> {
    /// The vault.
    pub vault: Account<'info, Vault>,

    /// Read only: the quote's backing is judged at the market's newest accepted price (or the
    /// oracle's, once that is too old), and nothing is recorded: posting a quote moves no money.
    #[account(
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = surface @ VaultError::WrongMarket,
        has_one = hedge_book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// Written: the quoted series is marked afresh, so a quote on a series nobody holds yet
    /// can be checked for backing.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The market's surface (the quote's vol is bounded against it).
    pub surface: AccountLoader<'info, VolSurface>,

    /// The hedge book the option quote goes into.
    #[account(mut)]
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    /// The provider's margin account: backs the quote.
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// The provider: signs.
    pub owner: Signer<'info>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: read only when the market's newest price is too old, and then validated by
    /// `oracle::read_accepted_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl PostOptionQuote<'_> {
    pub fn validate(
        &self,
        account: &MarginAccount,
        book: &SeriesBook,
        quote: &OptionQuote,
        now: i64,
    ) -> Result<()> {
        require!(
            !self.vault.is_paused(pause::TRADING),
            VaultError::TradingPaused
        );
        account.require_provider_on(&self.owner.key(), &self.market.key(), &self.market.vault)?;
        require!(account.hedge_provider == 1, VaultError::NotHedgeProvider);
        let series = book.series.get(usize::from(quote.series_index));
        require!(
            series.is_some_and(|s| s.is_listed() && now < s.expiry_ts)
                && quote.bid_vol > 0
                && quote.bid_vol <= quote.ask_vol
                && quote.ask_vol <= MAX_VOL
                && quote.expiry_ts > now
                && quote.expiry_ts <= now.saturating_add(HedgeBook::MAX_QUOTE_LIFETIME_SECS),
            VaultError::InvalidOptionQuote
        );
        Ok(())
    }
}

pub fn handle_post_option_quote(
    ctx: Context<PostOptionQuote>,
    series_index: u8,
    bid_vol: u64,
    ask_vol: u64,
    max_vault_buy: u64,
    max_vault_sell: u64,
    expiry_ts: i64,
) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let account = accounts.margin_account.load()?;
    let mut book = accounts.book.load_mut()?;
    let quote = OptionQuote {
        max_vault_buy,
        max_vault_sell,
        bid_vol,
        ask_vol,
        expiry_ts,
        series_index,
        _padding: [0; 7],
    };
    accounts.validate(&account, &book, &quote, now)?;
    let provider = accounts.margin_account.key();
    let mut hedge_book = accounts.hedge_book.load_mut()?;
    let slot = hedge_book
        .slot_of(&provider)
        .ok_or(VaultError::NotHedgeProvider)?;
    let index = hedge_book.quotes[slot]
        .option_slot(quote.series_index, now)
        .ok_or(VaultError::OptionQuotesFull)?;
    if quote.max_vault_buy > 0 || quote.max_vault_sell > 0 {
        let price = oracle::newest_accepted_price(
            &accounts.market,
            &accounts.oracle.to_account_info(),
            &clock,
        )?;
        // Backing is judged at the vault's marks: a series nobody holds yet (or whose mark has
        // aged out) is marked afresh first.
        let series = &mut book.series[usize::from(series_index)];
        if !series.mark_is_fresh(now, accounts.market.risk.marks_max_age_secs) {
            let surface = accounts.surface.load()?;
            require!(
                surface.is_fresh(now, accounts.market.risk.surface_max_age_secs),
                VaultError::SurfaceStale
            );
            let model = controller::price_series(series, &surface, price.price, now)?;
            controller::store_mark(series, &model, price.price, now);
        }
        require!(
            venue::option_quote_is_backed(
                &account,
                &quote,
                &book,
                &accounts.market,
                &accounts.vault,
                &price,
                now
            )?,
            VaultError::OptionQuoteUnbacked
        );
    }
    hedge_book.quotes[slot].options[index] = quote;
    emit!(OptionQuotePosted {
        market: accounts.market.key(),
        margin_account: provider,
        series_index: quote.series_index,
        bid_vol: quote.bid_vol,
        ask_vol: quote.ask_vol,
        max_vault_buy: quote.max_vault_buy,
        max_vault_sell: quote.max_vault_sell,
        expiry_ts: quote.expiry_ts,
    });
    Ok(())
}
