use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token, TokenAccount, Transfer};

use crate::controller;
use crate::error::OrOverflow;
use crate::error::VaultError;
use crate::events::LiquidityWithdrawalRequested;
use crate::math::shares::assets_for_shares;
use crate::state::*;

#[derive(Accounts)]
pub struct RequestLiquidityWithdrawal<'info> {
    // Canonical by its share mint, as in `deposit_liquidity` and `withdraw_liquidity`.
    /// The vault.
    #[account(has_one = share_mint @ VaultError::WrongShareMint)]
    pub vault: Account<'info, Vault>,

    /// The LP: signs and pays the request's rent.
    #[account(mut)]
    pub owner: Signer<'info>,

    /// The vault's LP share mint.
    #[account(
        constraint = Option::<Pubkey>::from(share_mint.mint_authority) == Some(vault.key())
            @ VaultError::VaultNotCanonical,
    )]
    pub share_mint: Account<'info, Mint>,

    /// The LP's share token account: the shares move into escrow.
    #[account(
        mut,
        constraint = owner_shares.owner == owner.key() @ VaultError::WrongTokenAccountOwner,
        constraint = owner_shares.mint == share_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub owner_shares: Account<'info, TokenAccount>,

    /// The new pending withdrawal (PDA of the vault and the owner).
    #[account(
        init_if_needed,
        payer = owner,
        space = 8 + WithdrawalRequest::INIT_SPACE,
        seeds = [WITHDRAWAL_REQUEST_SEED, vault.key().as_ref(), owner.key().as_ref()],
        bump,
    )]
    pub withdrawal_request: Account<'info, WithdrawalRequest>,

    /// Escrow of the requested shares, owned by the vault PDA until `withdraw_liquidity` burns them
    /// or
    /// `cancel_liquidity_withdrawal` returns them.
    #[account(
        init_if_needed,
        payer = owner,
        seeds = [WITHDRAWAL_SHARES_SEED, vault.key().as_ref(), owner.key().as_ref()],
        bump,
        token::mint = share_mint,
        token::authority = vault,
        token::token_program = token_program,
    )]
    pub withdrawal_shares: Account<'info, TokenAccount>,

    /// SPL Token.
    pub token_program: Program<'info, Token>,
    /// The system program.
    pub system_program: Program<'info, System>,

    /// The vault's mark registry: needed only while a market cannot re-mark, which LP flows then
    /// price at the worse side.
    pub mark_registry: Option<AccountLoader<'info, MarkRegistry>>,
}

impl RequestLiquidityWithdrawal<'_> {
    /// Returns what the shares redeem for now, after every check that can reject the request.
    pub fn validate(&self, shares: u64) -> Result<u64> {
        let vault = &self.vault;
        require!(
            !vault.is_paused(pause::WITHDRAWALS),
            VaultError::WithdrawalsPaused
        );
        require!(shares > 0, VaultError::ZeroAmount);
        require!(
            self.withdrawal_request.shares == 0,
            VaultError::WithdrawalAlreadyRequested
        );
        require!(
            shares <= self.owner_shares.amount,
            VaultError::InsufficientShares
        );
        require!(shares <= vault.total_shares, VaultError::AccountingMismatch);
        let stale_band = controller::lp_stale_band(vault, self.mark_registry.as_ref())?;
        let (_, withdraw_nav) = vault.lp_navs(stale_band);
        let value = assets_for_shares(shares, withdraw_nav, vault.total_shares).or_overflow()?;
        require!(value > 0, VaultError::ZeroAssetsOut);
        Ok(value)
    }
}

pub fn handle_request_liquidity_withdrawal(
    ctx: Context<RequestLiquidityWithdrawal>,
    shares: u64,
) -> Result<()> {
    let value_at_request = ctx.accounts.validate(shares)?;
    let accounts = &mut *ctx.accounts;

    token::transfer(
        CpiContext::new(
            accounts.token_program.key(),
            Transfer {
                from: accounts.owner_shares.to_account_info(),
                to: accounts.withdrawal_shares.to_account_info(),
                authority: accounts.owner.to_account_info(),
            },
        ),
        shares,
    )?;

    let now = Clock::get()?.unix_timestamp;
    let due_ts = now
        .checked_add(i64::from(accounts.vault.params.withdrawal_delay_secs))
        .or_overflow()?;
    let request = &mut accounts.withdrawal_request;
    request.set_inner(WithdrawalRequest {
        vault: accounts.vault.key(),
        owner: accounts.owner.key(),
        withdrawal_shares: accounts.withdrawal_shares.key(),
        shares,
        value_at_request,
        requested_ts: now,
        due_ts,
        bump: ctx.bumps.withdrawal_request,
    });

    emit!(LiquidityWithdrawalRequested {
        vault: accounts.vault.key(),
        owner: accounts.owner.key(),
        shares,
        value_at_request,
        due_ts,
    });
    Ok(())
}
