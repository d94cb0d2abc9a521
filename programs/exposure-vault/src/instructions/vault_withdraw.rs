use anchor_lang::prelude::*;
use anchor_spl::token::{self, Burn, Mint, Token, TokenAccount};

use crate::controller;
use crate::error::VaultError;
use crate::events::Withdrawn;
use crate::math::shares::assets_for_shares;
use crate::state::*;

#[derive(Accounts)]
pub struct Withdraw<'info> {
    // The vault is proven canonical by its share mint, whose mint authority is the vault PDA
    // (set at `initialize_vault`): a program-owned copy elsewhere fails that, and costs ~60 CU
    // where re-deriving the PDA costs 1,500 on the LPs' two hottest paths.
    #[account(
        mut,
        has_one = collateral_mint @ VaultError::WrongCollateralMint,
        has_one = share_mint @ VaultError::WrongShareMint,
        has_one = vault_token @ VaultError::WrongVaultTokenAccount,
    )]
    pub vault: Account<'info, Vault>,

    pub owner: Signer<'info>,

    pub collateral_mint: Account<'info, Mint>,

    #[account(
        mut,
        constraint = Option::<Pubkey>::from(share_mint.mint_authority) == Some(vault.key())
            @ VaultError::VaultNotCanonical,
    )]
    pub share_mint: Account<'info, Mint>,

    #[account(mut)]
    pub vault_token: Account<'info, TokenAccount>,

    #[account(
        mut,
        constraint = owner_shares.owner == owner.key() @ VaultError::WrongTokenAccountOwner,
        constraint = owner_shares.mint == share_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub owner_shares: Account<'info, TokenAccount>,

    #[account(
        mut,
        constraint = owner_collateral.mint == collateral_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub owner_collateral: Account<'info, TokenAccount>,

    pub token_program: Program<'info, Token>,

    /// The vault's mark registry: needed only while a market cannot re-mark, which LP flows then
    /// price at the worse side.
    pub mark_registry: Option<AccountLoader<'info, MarkRegistry>>,
}

impl Withdraw<'_> {
    /// Returns the collateral the burn pays out, after every check that can reject it.
    pub fn validate(&self, shares: u64) -> Result<u64> {
        let vault = &self.vault;
        require!(
            !vault.is_paused(pause::WITHDRAWALS),
            VaultError::WithdrawalsPaused
        );
        require!(shares > 0, VaultError::ZeroAmount);
        let stale_band = controller::lp_stale_band(vault, self.mark_registry.as_ref())?;
        require!(
            shares <= self.owner_shares.amount,
            VaultError::InsufficientShares
        );
        require!(shares <= vault.total_shares, VaultError::AccountingMismatch);
        let accounted = vault
            .accounted_vault_tokens()
            .ok_or(VaultError::MathOverflow)?;
        require!(
            self.vault_token.amount >= accounted,
            VaultError::AccountingMismatch
        );

        let (_, withdraw_nav) = vault.lp_navs(stale_band);
        let amount = assets_for_shares(shares, withdraw_nav, vault.total_shares)
            .ok_or(VaultError::MathOverflow)?;
        require!(amount > 0, VaultError::ZeroAssetsOut);
        // Free collateral is NAV less the vault's initial margin; what is paid out must also
        // be cash, not the mark of options the vault holds, nor cash owed to unpaid longs.
        require!(
            amount <= vault.free_collateral() && amount <= vault.unreserved_lp_assets(),
            VaultError::InsufficientFreeCollateral
        );
        Ok(amount)
    }
}

pub fn handler(ctx: Context<Withdraw>, shares: u64) -> Result<()> {
    let amount = ctx.accounts.validate(shares)?;
    let accounts = &mut *ctx.accounts;

    token::burn(
        CpiContext::new(
            accounts.token_program.key(),
            Burn {
                mint: accounts.share_mint.to_account_info(),
                from: accounts.owner_shares.to_account_info(),
                authority: accounts.owner.to_account_info(),
            },
        ),
        shares,
    )?;

    controller::token::vault_signed_transfer(
        &accounts.token_program,
        &accounts.vault,
        &accounts.vault_token,
        &accounts.collateral_mint,
        &accounts.owner_collateral,
        amount,
    )?;

    let vault = &mut accounts.vault;
    vault.lp_assets = vault
        .lp_assets
        .checked_sub(amount)
        .ok_or(VaultError::MathOverflow)?;
    vault.total_shares = vault
        .total_shares
        .checked_sub(shares)
        .ok_or(VaultError::MathOverflow)?;

    emit!(Withdrawn {
        vault: vault.key(),
        owner: accounts.owner.key(),
        shares_burned: shares,
        amount,
        net_assets_after: vault.net_assets(),
        total_shares_after: vault.total_shares,
    });
    Ok(())
}
