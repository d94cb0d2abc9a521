use anchor_lang::prelude::*;

/// An LP's withdrawal waiting out `VaultParams::withdrawal_delay_secs` (`request_liquidity_withdrawal`):
/// PDA of (vault, owner), one at a time. The shares sit in the request's escrow token account
/// and stay in the supply, so they keep bearing losses booked during the wait; the payout is the
/// smaller of their value at the request and at `withdraw_liquidity` (Drift's insurance-fund unstake). An
/// LP who sees bad debt coming therefore cannot leave ahead of it: the keeper books it first.
///
/// Created only by `init` at its PDA, so the one account of this type with a given vault and
/// owner is that pair's request: later instructions check `has_one` and skip the derivation.
#[account]
#[derive(InitSpace)]
pub struct WithdrawalRequest {
    pub vault: Pubkey,
    pub owner: Pubkey,
    /// The escrow token account of the requested shares (PDA of vault and owner), recorded so
    /// completing and cancelling check it by key instead of re-deriving it.
    pub withdrawal_shares: Pubkey,
    /// Shares in escrow; zero when no request is pending.
    pub shares: u64,
    /// Collateral the shares redeemed for when requested (NAV less the LP band).
    pub value_at_request: u64,
    pub requested_ts: i64,
    /// From when `withdraw_liquidity` may complete it: fixed at the request, so a later change of the
    /// delay never traps or frees a pending request.
    pub due_ts: i64,
    pub bump: u8,
}

impl WithdrawalRequest {
    /// What completing the request pays for shares now worth `value_now`.
    pub fn payout(&self, value_now: u64) -> u64 {
        self.value_at_request.min(value_now)
    }
}
