use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::MarketRiskChange;
use crate::state::*;

#[derive(Accounts)]
pub struct ApplyMarketRisk<'info> {
    /// The vault.
    pub vault: Account<'info, Vault>,

    /// The vault's admin: receives the proposal's rent.
    /// CHECK: the vault's admin, which receives the proposal's rent; it signs only to cancel.
    #[account(mut, address = vault.admin @ VaultError::UnauthorizedAdmin)]
    pub admin: UncheckedAccount<'info>,

    /// The market whose risk parameters change (written).
    #[account(mut, has_one = vault @ VaultError::WrongVault)]
    pub market: Account<'info, Market>,

    /// The market's pending risk proposal: applied once due, or withdrawn by the admin; closed
    /// either way.
    #[account(
        mut,
        close = admin,
        has_one = market @ VaultError::WrongMarket,
        seeds = [RISK_PROPOSAL_SEED, market.key().as_ref()],
        bump = proposal.bump,
    )]
    pub proposal: Account<'info, RiskProposal>,
}

impl ApplyMarketRisk<'_> {
    pub fn validate(&self, cancel: bool, now: i64) -> Result<()> {
        require_may_close_proposal(
            cancel,
            self.admin.is_signer,
            self.proposal.effective_ts,
            now,
        )
    }
}

pub fn handle_apply_market_risk(ctx: Context<ApplyMarketRisk>, cancel: bool) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(cancel, now)?;
    let proposal = &ctx.accounts.proposal;
    let market = &mut ctx.accounts.market;
    let old = market.risk;
    if !cancel {
        market.risk = proposal.risk;
    }
    emit!(MarketRiskChange {
        market: market.key(),
        old,
        new: proposal.risk,
        effective_ts: proposal.effective_ts,
        stage: if cancel { 2 } else { 1 },
    });
    Ok(())
}
