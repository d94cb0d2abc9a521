use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::VaultParamsChange;
use crate::state::*;

#[derive(Accounts)]
pub struct ApplyParams<'info> {
    /// The vault whose parameters change (written).
    #[account(mut)]
    pub vault: Account<'info, Vault>,

    /// The vault's admin: receives the proposal's rent.
    /// CHECK: the vault's admin, which receives the proposal's rent; it signs only to cancel.
    #[account(mut, address = vault.admin @ VaultError::UnauthorizedAdmin)]
    pub admin: UncheckedAccount<'info>,

    /// The vault's pending parameter proposal: applied once due, or withdrawn by the admin; closed
    /// either way.
    #[account(
        mut,
        close = admin,
        has_one = vault @ VaultError::WrongVault,
        seeds = [PARAMS_PROPOSAL_SEED, vault.key().as_ref()],
        bump = proposal.bump,
    )]
    pub proposal: Account<'info, ParamsProposal>,
}

impl ApplyParams<'_> {
    pub fn validate(&self, cancel: bool, now: i64) -> Result<()> {
        require_may_close_proposal(
            cancel,
            self.admin.is_signer,
            self.proposal.effective_ts,
            now,
        )
    }
}

pub fn handle_apply_params(ctx: Context<ApplyParams>, cancel: bool) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(cancel, now)?;
    let proposal = &ctx.accounts.proposal;
    let vault = &mut ctx.accounts.vault;
    let old = vault.params;
    if !cancel {
        vault.params = proposal.params;
    }
    emit!(VaultParamsChange {
        vault: vault.key(),
        old,
        new: proposal.params,
        effective_ts: proposal.effective_ts,
        stage: if cancel { 2 } else { 1 },
    });
    Ok(())
}
