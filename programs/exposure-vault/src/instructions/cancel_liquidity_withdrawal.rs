use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked};

use super::withdraw_liquidity::close_withdrawal_shares;
use crate::error::VaultError;
use crate::events::LiquidityWithdrawalCancelled;
use crate::state::*;

#[derive(Accounts)]
pub struct CancelLiquidityWithdrawal<'info> {
    /// The vault (signs the escrow's transfer back).
    #[account(has_one = share_mint @ VaultError::WrongShareMint)]
    pub vault: Account<'info, Vault>,

    /// The LP who requested the withdrawal: signs, and is refunded the escrow's rent.
    #[account(mut)]
    pub owner: Signer<'info>,

    /// The vault's LP share mint.
    pub share_mint: Account<'info, Mint>,

    /// Where the escrowed shares return.
    #[account(
        mut,
        constraint = owner_shares.mint == share_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub owner_shares: Account<'info, TokenAccount>,

    /// The pending withdrawal, closed.
    #[account(
        mut,
        close = owner,
        has_one = vault @ VaultError::WrongWithdrawalRequest,
        has_one = owner @ VaultError::WrongWithdrawalRequest,
        has_one = withdrawal_shares @ VaultError::WrongWithdrawalRequest,
    )]
    pub withdrawal_request: Account<'info, WithdrawalRequest>,

    /// The escrow holding the shares of the pending withdrawal.
    #[account(mut)]
    pub withdrawal_shares: Account<'info, TokenAccount>,

    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

// Allowed while withdrawals are paused: it only puts the LP back where it was.
pub fn handle_cancel_liquidity_withdrawal(ctx: Context<CancelLiquidityWithdrawal>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let shares = accounts.withdrawal_shares.amount;
    let seeds = accounts.vault.signer_seeds();
    token::transfer_checked(
        CpiContext::new_with_signer(
            accounts.token_program.key(),
            TransferChecked {
                from: accounts.withdrawal_shares.to_account_info(),
                mint: accounts.share_mint.to_account_info(),
                to: accounts.owner_shares.to_account_info(),
                authority: accounts.vault.to_account_info(),
            },
            &[&seeds],
        ),
        shares,
        accounts.share_mint.decimals,
    )?;
    close_withdrawal_shares(
        &accounts.token_program,
        &accounts.vault,
        &accounts.withdrawal_shares,
        accounts.owner.to_account_info(),
    )?;
    emit!(LiquidityWithdrawalCancelled {
        vault: accounts.vault.key(),
        owner: accounts.owner.key(),
        shares,
    });
    Ok(())
}
