use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::controller::{self, hedge as venue};
use crate::error::VaultError;
use crate::events::CollateralWithdrawn;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct WithdrawCollateral<'info> {
    /// The vault (pause flags; traders' collateral shrinks).
    #[account(
        mut,
        has_one = collateral_mint @ VaultError::WrongCollateralMint,
        has_one = vault_token @ VaultError::WrongVaultTokenAccount,
    )]
    pub vault: Account<'info, Vault>,

    /// The market the account is judged in first; its other markets follow as remaining accounts.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = hedge_book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The market's series book.
    pub book: AccountLoader<'info, SeriesBook>,

    /// The market's hedge book: a provider's standing quotes must stay backed.
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    /// The owner's margin account, debited.
    #[account(mut, has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// Signs.
    pub owner: Signer<'info>,

    /// The vault's collateral mint.
    pub collateral_mint: Account<'info, Mint>,

    /// The vault's collateral token account, which pays.
    #[account(mut)]
    pub vault_token: Account<'info, TokenAccount>,

    /// Where the collateral goes.
    #[account(
        mut,
        constraint = owner_collateral.mint == collateral_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub owner_collateral: Account<'info, TokenAccount>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,

    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

impl WithdrawCollateral<'_> {
    pub fn validate(&self, account: &MarginAccount, amount: u64) -> Result<()> {
        require!(
            !self.vault.is_paused(pause::COLLATERAL_WITHDRAWALS),
            VaultError::WithdrawalsPaused
        );
        require!(amount > 0, VaultError::ZeroAmount);
        require_keys_eq!(
            account.owner,
            self.owner.key(),
            VaultError::WrongMarginAccountOwner
        );
        require!(
            account.collateral >= amount,
            VaultError::InsufficientCollateral
        );
        Ok(())
    }
}

pub fn handle_withdraw_collateral(ctx: Context<WithdrawCollateral>, amount: u64) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let mut margin = accounts.margin_account.load_mut()?;
    accounts.validate(&margin, amount)?;
    margin.collateral = margin
        .collateral
        .checked_sub(amount)
        .ok_or(VaultError::InsufficientCollateral)?;
    let hedge_book = accounts.hedge_book.load()?;
    let quote = hedge_book
        .slot_of(&accounts.margin_account.key())
        .map(|slot| hedge_book.quotes[slot]);
    if margin.position_count > 0 || !margin.hedge.is_flat() || quote.is_some() {
        let price = oracle::read_market_price(
            &mut accounts.market,
            &accounts.oracle.to_account_info(),
            &clock,
        )?;
        let book = accounts.book.load()?;
        let market = &accounts.market;
        let vault = &accounts.vault;
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
        require!(health.meets_initial(), VaultError::InsufficientMargin);
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
    }

    controller::token::vault_signed_transfer(
        &accounts.token_program,
        &accounts.vault,
        &accounts.vault_token,
        &accounts.collateral_mint,
        &accounts.owner_collateral,
        amount,
    )?;
    let vault = &mut accounts.vault;
    vault.book_trader_withdrawal(amount)?;
    emit!(CollateralWithdrawn {
        margin_account: accounts.margin_account.key(),
        amount,
        collateral_after: margin.collateral,
    });
    Ok(())
}
