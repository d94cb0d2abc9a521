use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::MarketRiskChange;
use crate::state::*;

#[derive(Accounts)]
pub struct ProposeMarketRisk<'info> {
    /// The vault.
    #[account(has_one = admin @ VaultError::UnauthorizedAdmin)]
    pub vault: Account<'info, Vault>,

    /// The vault's admin: signs and pays the proposal's rent.
    #[account(mut)]
    pub admin: Signer<'info>,

    /// The market whose risk parameters are to change.
    #[account(has_one = vault @ VaultError::WrongVault)]
    pub market: Account<'info, Market>,

    /// The market's proposal account (PDA), created: one proposal pends at a time.
    #[account(
        init,
        payer = admin,
        space = 8 + RiskProposal::INIT_SPACE,
        seeds = [RISK_PROPOSAL_SEED, market.key().as_ref()],
        bump,
    )]
    pub proposal: Account<'info, RiskProposal>,

    /// The system program.
    pub system_program: Program<'info, System>,
}

impl ProposeMarketRisk<'_> {
    pub fn validate(&self, risk: &MarketRiskParams) -> Result<()> {
        risk.validate()
    }
}

pub fn handle_propose_market_risk(
    ctx: Context<ProposeMarketRisk>,
    risk: MarketRiskParams,
) -> Result<()> {
    ctx.accounts.validate(&risk)?;
    let now = Clock::get()?.unix_timestamp;
    let old = ctx.accounts.market.risk;
    let effective_ts = if old.only_tightens(&risk) {
        now
    } else {
        now.saturating_add(RiskProposal::DELAY_SECS)
    };
    ctx.accounts.proposal.set_inner(RiskProposal {
        market: ctx.accounts.market.key(),
        risk,
        effective_ts,
        bump: ctx.bumps.proposal,
    });
    emit!(MarketRiskChange {
        market: ctx.accounts.market.key(),
        old,
        new: risk,
        effective_ts,
        stage: 0,
    });
    Ok(())
}
