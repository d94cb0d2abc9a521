use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, MintTo, Token, TokenAccount};

use crate::controller;
use crate::error::OrOverflow;
use crate::error::VaultError;
use crate::events::LiquidityDeposited;
use crate::math::shares::shares_for_deposit;
use crate::state::*;

#[derive(Accounts)]
pub struct DepositLiquidity<'info> {
    // The vault is proven canonical by its share mint, whose mint authority is the vault PDA
    // (set at `initialize_vault`): a program-owned copy elsewhere fails that, and costs ~60 CU
    // where re-deriving the PDA costs 1,500 on the LPs' two hottest paths.
    /// The vault: LP assets grow by the deposit.
    #[account(
        mut,
        has_one = collateral_mint @ VaultError::WrongCollateralMint,
        has_one = share_mint @ VaultError::WrongShareMint,
        has_one = vault_token @ VaultError::WrongVaultTokenAccount,
    )]
    pub vault: Account<'info, Vault>,

    /// The LP: signs the transfer.
    pub depositor: Signer<'info>,

    /// The vault's collateral mint.
    pub collateral_mint: Account<'info, Mint>,

    /// The vault's LP share mint: the new shares are minted (authority: the vault, which proves it
    /// canonical).
    #[account(
        mut,
        constraint = Option::<Pubkey>::from(share_mint.mint_authority) == Some(vault.key())
            @ VaultError::VaultNotCanonical,
    )]
    pub share_mint: Account<'info, Mint>,

    /// The vault's collateral token account, which receives the deposit.
    #[account(mut)]
    pub vault_token: Account<'info, TokenAccount>,

    /// The LP's collateral token account, debited.
    #[account(
        mut,
        constraint = depositor_collateral.owner == depositor.key() @ VaultError::WrongTokenAccountOwner,
        constraint = depositor_collateral.mint == collateral_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub depositor_collateral: Account<'info, TokenAccount>,

    /// The LP's share token account, credited.
    #[account(
        mut,
        constraint = depositor_shares.mint == share_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub depositor_shares: Account<'info, TokenAccount>,

    /// SPL Token.
    pub token_program: Program<'info, Token>,

    /// The vault's mark registry: needed only while a market cannot re-mark, which LP flows then
    /// price at the worse side.
    pub mark_registry: Option<AccountLoader<'info, MarkRegistry>>,
}

impl DepositLiquidity<'_> {
    /// Returns the LP band for stale markets, after every check that can reject the deposit.
    pub fn validate(&self, amount: u64) -> Result<u64> {
        let vault = &self.vault;
        require!(
            !vault.is_paused(pause::DEPOSITS),
            VaultError::DepositsPaused
        );
        require!(amount > 0, VaultError::ZeroAmount);
        let stale_band = controller::lp_stale_band(vault, self.mark_registry.as_ref())?;
        // With shares outstanding and nothing behind them, a deposit would only pay what the
        // vault already owes.
        require!(
            vault.total_shares == 0 || vault.net_assets() > 0,
            VaultError::VaultInsolvent
        );
        require!(
            amount >= vault.params.min_deposit,
            VaultError::BelowMinimumDeposit
        );
        require!(
            self.depositor_collateral.amount >= amount,
            VaultError::InsufficientBalance
        );
        let assets_after = vault.lp_assets.checked_add(amount).or_overflow()?;
        require!(
            assets_after <= vault.params.deposit_cap,
            VaultError::DepositCapExceeded
        );
        Ok(stale_band)
    }
}

pub fn handle_deposit_liquidity(ctx: Context<DepositLiquidity>, amount: u64) -> Result<()> {
    let stale_band = ctx.accounts.validate(amount)?;
    let accounts = &mut *ctx.accounts;

    let (deposit_nav, _) = accounts.vault.lp_navs(stale_band);
    let shares =
        shares_for_deposit(amount, deposit_nav, accounts.vault.total_shares).or_overflow()?;
    require!(shares > 0, VaultError::ZeroSharesMinted);

    controller::token::collateral_in(
        &accounts.token_program,
        &accounts.depositor_collateral,
        &accounts.collateral_mint,
        &accounts.vault_token,
        accounts.depositor.to_account_info(),
        amount,
        accounts.vault.collateral_decimals,
    )?;

    let seeds = accounts.vault.signer_seeds();
    token::mint_to(
        CpiContext::new_with_signer(
            accounts.token_program.key(),
            MintTo {
                mint: accounts.share_mint.to_account_info(),
                to: accounts.depositor_shares.to_account_info(),
                authority: accounts.vault.to_account_info(),
            },
            &[&seeds],
        ),
        shares,
    )?;

    let vault = &mut accounts.vault;
    vault.book_lp_deposit(amount, shares)?;

    emit!(LiquidityDeposited {
        vault: vault.key(),
        depositor: accounts.depositor.key(),
        amount,
        shares_minted: shares,
        net_assets_after: vault.net_assets(),
        total_shares_after: vault.total_shares,
    });
    Ok(())
}
