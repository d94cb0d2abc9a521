use anchor_lang::prelude::*;

use crate::controller;
use crate::error::VaultError;
use crate::events::MarginHealth;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct CheckMargin<'info> {
    /// The vault (confidence multiplier, collateral decimals).
    pub vault: Account<'info, Vault>,

    /// The market judged first; others follow as remaining accounts.
    #[account(
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The market's series book (cached marks and scenarios).
    pub book: AccountLoader<'info, SeriesBook>,

    /// The account judged (read only).
    #[account(has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_accepted_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

pub fn handle_check_margin(ctx: Context<CheckMargin>) -> Result<()> {
    let accounts = &ctx.accounts;
    let clock = Clock::get()?;
    let margin = accounts.margin_account.load()?;
    let book = accounts.book.load()?;
    let price =
        oracle::read_accepted_price(&accounts.market, &accounts.oracle.to_account_info(), &clock)?;
    let health = controller::markets::account_health_with_remaining(
        &margin,
        &controller::MarketContext {
            market: &accounts.market,
            book: &book,
            price,
        },
        &accounts.market.key(),
        ctx.remaining_accounts,
        &accounts.vault,
        &accounts.vault.key(),
        &clock,
    )?;
    let clamp = |v: u128| u64::try_from(v).unwrap_or(u64::MAX);
    emit!(MarginHealth {
        margin_account: accounts.margin_account.key(),
        equity: health.equity.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
        initial_margin: clamp(health.initial),
        maintenance_margin: clamp(health.maintenance),
        meets_initial: health.meets_initial(),
        meets_maintenance: health.meets_maintenance(),
    });
    Ok(())
}
