use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::VaultParamsChange;
use crate::state::*;

#[derive(Accounts)]
pub struct ProposeParams<'info> {
    /// The vault whose parameters are to change.
    #[account(has_one = admin @ VaultError::UnauthorizedAdmin)]
    pub vault: Account<'info, Vault>,

    /// The vault's admin: signs and pays the proposal's rent.
    #[account(mut)]
    pub admin: Signer<'info>,

    /// The vault's proposal account (PDA), created: one proposal pends at a time.
    #[account(
        init,
        payer = admin,
        space = 8 + ParamsProposal::INIT_SPACE,
        seeds = [PARAMS_PROPOSAL_SEED, vault.key().as_ref()],
        bump,
    )]
    pub proposal: Account<'info, ParamsProposal>,

    /// The system program.
    pub system_program: Program<'info, System>,
}

impl ProposeParams<'_> {
    pub fn validate(&self, params: &VaultParams) -> Result<()> {
        params.validate()
    }
}

pub fn handle_propose_params(ctx: Context<ProposeParams>, params: VaultParams) -> Result<()> {
    ctx.accounts.validate(&params)?;
    let effective_ts = Clock::get()?
        .unix_timestamp
        .saturating_add(RiskProposal::DELAY_SECS);
    ctx.accounts.proposal.set_inner(ParamsProposal {
        vault: ctx.accounts.vault.key(),
        params,
        effective_ts,
        bump: ctx.bumps.proposal,
    });
    emit!(VaultParamsChange {
        vault: ctx.accounts.vault.key(),
        old: ctx.accounts.vault.params,
        new: params,
        effective_ts,
        stage: 0,
    });
    Ok(())
}
