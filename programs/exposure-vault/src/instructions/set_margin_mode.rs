use anchor_lang::prelude::*;

use crate::controller::{self, hedge as venue};
use crate::error::VaultError;
use crate::events::MarginModeSet;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct SetMarginMode<'info> {
    /// The vault (pause flags, confidence multiplier).
    pub vault: Account<'info, Vault>,

    /// The market whose rule the account switches to.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = hedge_book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The market's series book (the account is judged under the new rule).
    pub book: AccountLoader<'info, SeriesBook>,

    /// The market's hedge book: a provider's standing quotes must stay backed.
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    /// The account switching rule.
    #[account(mut, has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// Its owner: signs.
    pub owner: Signer<'info>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl SetMarginMode<'_> {
    pub fn validate(&self, account: &MarginAccount, margin_mode: u8) -> Result<()> {
        // A change of rule changes what the account may hold: it waits while trading is paused.
        require!(
            !self.vault.is_paused(pause::TRADING),
            VaultError::TradingPaused
        );
        require_keys_eq!(
            account.owner,
            self.owner.key(),
            VaultError::WrongMarginAccountOwner
        );
        match margin_mode {
            margin_mode::STANDARD => {}
            margin_mode::PORTFOLIO => require!(
                self.market.risk.portfolio().enabled(),
                VaultError::PortfolioMarginNotEnabled
            ),
            _ => return err!(VaultError::InvalidMarginMode),
        }
        Ok(())
    }
}

pub fn handle_set_margin_mode(ctx: Context<SetMarginMode>, margin_mode: u8) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let mut margin = accounts.margin_account.load_mut()?;
    accounts.validate(&margin, margin_mode)?;
    margin.margin_mode = margin_mode;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
    )?;
    let book = accounts.book.load()?;
    let (market, vault) = (&accounts.market, &accounts.vault);
    let health = controller::markets::account_health_with_remaining(
        &margin,
        &controller::MarketContext {
            market,
            book: &book,
            price,
        },
        &market.key(),
        ctx.remaining_accounts,
        vault,
        &vault.key(),
        &clock,
    )?;
    // Either way the account must meet initial margin under its new rule, and keep every
    // standing quote backed: a switch must not be a way around either check.
    require!(health.meets_initial(), VaultError::InsufficientMargin);
    let hedge_book = accounts.hedge_book.load()?;
    let quote = hedge_book
        .slot_of(&accounts.margin_account.key())
        .map(|slot| hedge_book.quotes[slot]);
    require!(
        venue::standing_quotes_are_backed(
            &margin,
            quote.as_ref(),
            &book,
            market,
            vault,
            &price,
            now
        )?,
        VaultError::InsufficientMargin
    );
    let clamp = |v: u128| u64::try_from(v).unwrap_or(u64::MAX);
    emit!(MarginModeSet {
        margin_account: accounts.margin_account.key(),
        margin_mode,
        equity: health.equity.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
        initial_margin: clamp(health.initial),
        maintenance_margin: clamp(health.maintenance),
    });
    Ok(())
}
