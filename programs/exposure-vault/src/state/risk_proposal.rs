use anchor_lang::prelude::*;

use super::MarketRiskParams;
use crate::error::VaultError;

/// A change of a market's risk parameters waiting for its time (`propose_market_risk`): PDA of
/// the market, one at a time, closed when applied or cancelled.
#[account]
#[derive(InitSpace)]
pub struct RiskProposal {
    pub market: Pubkey,
    pub risk: MarketRiskParams,
    /// From when `apply_market_risk` may apply it: now for a change that only tightens,
    /// `RiskProposal::DELAY_SECS` later otherwise.
    pub effective_ts: i64,
    pub bump: u8,
}

/// A change of the vault's parameters that waits `RiskProposal::DELAY_SECS` (`propose_params`):
/// PDA of the vault, one at a time, closed when applied or cancelled.
#[account]
#[derive(InitSpace)]
pub struct ParamsProposal {
    pub vault: Pubkey,
    pub params: super::VaultParams,
    pub effective_ts: i64,
    pub bump: u8,
}

impl RiskProposal {
    /// How long a loosening change waits: long enough for LPs and traders to see it coming and
    /// leave (SECURITY.md, "Admin key").
    pub const DELAY_SECS: i64 = 86_400;
}

/// Who may close a proposal, and when: the admin (signing) to cancel it at any time; anyone to
/// apply it once `effective_ts` has come.
pub fn require_may_close_proposal(
    cancel: bool,
    admin_signed: bool,
    effective_ts: i64,
    now: i64,
) -> Result<()> {
    if cancel {
        require!(admin_signed, VaultError::UnauthorizedAdmin);
    } else {
        require!(now >= effective_ts, VaultError::RiskChangeNotDue);
    }
    Ok(())
}
