use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::controller;
use crate::error::OrOverflow;
use crate::error::VaultError;
use crate::events::CollateralDeposited;
use crate::state::*;

#[derive(Accounts)]
pub struct DepositCollateral<'info> {
    /// The vault (pause flags; traders' collateral grows).
    #[account(
        mut,
        has_one = collateral_mint @ VaultError::WrongCollateralMint,
        has_one = vault_token @ VaultError::WrongVaultTokenAccount,
    )]
    pub vault: Account<'info, Vault>,

    /// The owner's margin account, credited.
    #[account(mut, has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// Signs the transfer.
    pub owner: Signer<'info>,

    /// The vault's collateral mint.
    pub collateral_mint: Account<'info, Mint>,

    /// The vault's collateral token account, which receives it.
    #[account(mut)]
    pub vault_token: Account<'info, TokenAccount>,

    /// The owner's collateral token account, debited.
    #[account(
        mut,
        constraint = owner_collateral.owner == owner.key() @ VaultError::WrongTokenAccountOwner,
        constraint = owner_collateral.mint == collateral_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub owner_collateral: Account<'info, TokenAccount>,

    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

impl DepositCollateral<'_> {
    pub fn validate(&self, account: &MarginAccount, amount: u64) -> Result<()> {
        require!(amount > 0, VaultError::ZeroAmount);
        require_keys_eq!(
            account.owner,
            self.owner.key(),
            VaultError::WrongMarginAccountOwner
        );
        require!(
            self.owner_collateral.amount >= amount,
            VaultError::InsufficientBalance
        );
        Ok(())
    }
}

pub fn handle_deposit_collateral(ctx: Context<DepositCollateral>, amount: u64) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let mut margin = accounts.margin_account.load_mut()?;
    accounts.validate(&margin, amount)?;
    controller::token::collateral_in(
        &accounts.token_program,
        &accounts.owner_collateral,
        &accounts.collateral_mint,
        &accounts.vault_token,
        accounts.owner.to_account_info(),
        amount,
        accounts.vault.collateral_decimals,
    )?;
    margin.collateral = margin.collateral.checked_add(amount).or_overflow()?;
    let vault = &mut accounts.vault;
    vault.book_trader_deposit(amount)?;
    emit!(CollateralDeposited {
        margin_account: accounts.margin_account.key(),
        amount,
        collateral_after: margin.collateral,
    });
    Ok(())
}
