use anchor_lang::prelude::*;
use anchor_spl::token::{self, Burn, CloseAccount, Mint, Token, TokenAccount};

use crate::controller;
use crate::error::OrOverflow;
use crate::error::VaultError;
use crate::events::LiquidityWithdrawn;
use crate::math::shares::assets_for_shares;
use crate::state::*;

#[derive(Accounts)]
pub struct WithdrawLiquidity<'info> {
    // The vault is proven canonical by its share mint, whose mint authority is the vault PDA
    // (set at `initialize_vault`): a program-owned copy elsewhere fails that, and costs ~60 CU
    // where re-deriving the PDA costs 1,500 on the LPs' two hottest paths.
    #[account(
        mut,
        has_one = collateral_mint @ VaultError::WrongCollateralMint,
        has_one = share_mint @ VaultError::WrongShareMint,
        has_one = vault_token @ VaultError::WrongVaultTokenAccount,
    )]
    // Boxed, with the escrow: the SBF stack cannot hold every account of this list.
    /// The vault: LP assets shrink by the payout.
    pub vault: Box<Account<'info, Vault>>,

    /// Receives the collateral's and the request's rent.
    #[account(mut)]
    pub owner: Signer<'info>,

    /// The vault's collateral mint.
    pub collateral_mint: Account<'info, Mint>,

    /// The vault's LP share mint: the escrowed shares burn.
    #[account(
        mut,
        constraint = Option::<Pubkey>::from(share_mint.mint_authority) == Some(vault.key())
            @ VaultError::VaultNotCanonical,
    )]
    pub share_mint: Account<'info, Mint>,

    /// The vault's collateral token account, which pays.
    #[account(mut)]
    pub vault_token: Account<'info, TokenAccount>,

    /// The pending withdrawal, past its delay; closed.
    #[account(
        mut,
        close = owner,
        has_one = vault @ VaultError::WrongWithdrawalRequest,
        has_one = owner @ VaultError::WrongWithdrawalRequest,
        has_one = withdrawal_shares @ VaultError::WrongWithdrawalRequest,
    )]
    pub withdrawal_request: Account<'info, WithdrawalRequest>,

    /// Its share escrow, burned whole and closed.
    #[account(mut)]
    pub withdrawal_shares: Box<Account<'info, TokenAccount>>,

    /// The LP's collateral token account, credited.
    #[account(
        mut,
        constraint = owner_collateral.mint == collateral_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub owner_collateral: Account<'info, TokenAccount>,

    /// SPL Token.
    pub token_program: Program<'info, Token>,

    /// The vault's mark registry: needed only while a market cannot re-mark, which LP flows then
    /// price at the worse side.
    pub mark_registry: Option<AccountLoader<'info, MarkRegistry>>,
}

/// What a completed withdrawal burns and pays.
pub struct WithdrawalPayout {
    /// The shares requested: what is paid for.
    pub shares: u64,
    /// Everything in the escrow: the requested shares and any sent in by anyone else, which are
    /// burned with them (their value stays with the LPs who stay), so no token sent into the
    /// escrow can keep it from closing.
    pub burned: u64,
    pub value_now: u64,
    pub amount: u64,
}

impl WithdrawLiquidity<'_> {
    /// Returns the burn and the payout, after every check that can reject the withdrawal.
    pub fn validate(&self, now: i64) -> Result<WithdrawalPayout> {
        let vault = &self.vault;
        let request = &self.withdrawal_request;
        require!(
            !vault.is_paused(pause::WITHDRAWALS),
            VaultError::WithdrawalsPaused
        );
        require!(request.shares > 0, VaultError::ZeroAmount);
        require!(now >= request.due_ts, VaultError::WithdrawalNotDue);
        let shares = request.shares;
        require!(
            shares <= self.withdrawal_shares.amount
                && self.withdrawal_shares.amount <= vault.total_shares,
            VaultError::AccountingMismatch
        );
        let stale_band = controller::lp_stale_band(vault, self.mark_registry.as_ref())?;
        let accounted = vault.accounted_vault_tokens().or_overflow()?;
        require!(
            self.vault_token.amount >= accounted,
            VaultError::AccountingMismatch
        );

        let (_, withdraw_nav) = vault.lp_navs(stale_band);
        let value_now =
            assets_for_shares(shares, withdraw_nav, vault.total_shares).or_overflow()?;
        let amount = request.payout(value_now);
        require!(amount > 0, VaultError::ZeroAssetsOut);
        // Free collateral is NAV less the vault's initial margin; what is paid out must also
        // be cash, not the mark of options the vault holds, nor cash owed to unpaid longs.
        require!(
            amount <= vault.free_collateral() && amount <= vault.unreserved_lp_assets(),
            VaultError::InsufficientFreeCollateral
        );
        Ok(WithdrawalPayout {
            shares,
            burned: self.withdrawal_shares.amount,
            value_now,
            amount,
        })
    }
}

pub fn handle_withdraw_liquidity(ctx: Context<WithdrawLiquidity>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let payout = ctx.accounts.validate(now)?;
    let accounts = &mut *ctx.accounts;

    let seeds = accounts.vault.signer_seeds();
    token::burn(
        CpiContext::new_with_signer(
            accounts.token_program.key(),
            Burn {
                mint: accounts.share_mint.to_account_info(),
                from: accounts.withdrawal_shares.to_account_info(),
                authority: accounts.vault.to_account_info(),
            },
            &[&seeds],
        ),
        payout.burned,
    )?;
    close_withdrawal_shares(
        &accounts.token_program,
        &accounts.vault,
        &accounts.withdrawal_shares,
        accounts.owner.to_account_info(),
    )?;

    controller::token::vault_signed_transfer(
        &accounts.token_program,
        &accounts.vault,
        &accounts.vault_token,
        &accounts.collateral_mint,
        &accounts.owner_collateral,
        payout.amount,
    )?;

    let vault = &mut accounts.vault;
    vault.book_lp_withdrawal(payout.amount, payout.burned)?;

    emit!(LiquidityWithdrawn {
        vault: vault.key(),
        owner: accounts.owner.key(),
        shares_burned: payout.burned,
        amount: payout.amount,
        value_at_request: accounts.withdrawal_request.value_at_request,
        value_now: payout.value_now,
        net_assets_after: vault.net_assets(),
        total_shares_after: vault.total_shares,
    });
    Ok(())
}

/// Closes an emptied escrow of requested shares, its rent to the LP.
pub fn close_withdrawal_shares<'info>(
    token_program: &Program<'info, Token>,
    vault: &Account<'info, Vault>,
    withdrawal_shares: &Account<'info, TokenAccount>,
    rent_to: AccountInfo<'info>,
) -> Result<()> {
    let seeds = vault.signer_seeds();
    token::close_account(CpiContext::new_with_signer(
        token_program.key(),
        CloseAccount {
            account: withdrawal_shares.to_account_info(),
            destination: rent_to,
            authority: vault.to_account_info(),
        },
        &[&seeds],
    ))
}
