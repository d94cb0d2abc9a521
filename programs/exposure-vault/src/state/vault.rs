use anchor_lang::prelude::*;

use crate::error::{OrOverflow, VaultError};

/// Per-action pause bits (`Vault::pause_flags`).
pub mod pause {
    /// LP deposits.
    pub const DEPOSITS: u8 = 1 << 0;
    /// LP withdrawals.
    pub const WITHDRAWALS: u8 = 1 << 1;
    /// Every option trade, hedge quote and rebalance.
    pub const TRADING: u8 = 1 << 2;
    pub const LIQUIDATIONS: u8 = 1 << 3;
    /// Trades may only shrink the trader's position: in an incident traders can still cut risk.
    pub const REDUCE_ONLY: u8 = 1 << 4;
    /// Traders' `withdraw_collateral` (margin-checked as always). Apart from LP withdrawals, so
    /// freezing the LPs' exit does not also trap traders' free collateral.
    pub const COLLATERAL_WITHDRAWALS: u8 = 1 << 5;
    pub const ALL: u8 =
        DEPOSITS | WITHDRAWALS | TRADING | LIQUIDATIONS | REDUCE_ONLY | COLLATERAL_WITHDRAWALS;
}

/// Admin-set risk and fee parameters; every field is bounds-checked by `validate`.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct VaultParams {
    /// Largest LP net assets the vault accepts, in collateral base units.
    pub deposit_cap: u64,
    /// Smallest single deposit, in collateral base units (at least 1).
    pub min_deposit: u64,
    /// Penalty charged on the notional closed in a liquidation.
    pub liquidation_penalty_bps: u16,
    /// Share of the penalty paid to the liquidator; the rest funds the insurance fund.
    pub liquidator_share_bps: u16,
    /// k in price ± k·conf for conservative margin prices (10_000 = one confidence interval).
    pub conf_multiplier_bps: u16,
    /// How long an LP withdrawal waits between `request_liquidity_withdrawal` and `withdraw_liquidity`. It must
    /// exceed the keeper's liquidation latency, or LPs can leave ahead of bad debt; zero lets a
    /// request complete in the same transaction (tests only).
    pub withdrawal_delay_secs: u32,
}

impl VaultParams {
    /// Whether `next` changes nothing that moves risk or money between parties: the confidence
    /// multiplier no lower, the liquidation penalty and its split unchanged. The cap and minimum
    /// deposit may change freely. Anything else waits (`propose_params`).
    pub fn only_tightens(&self, next: &Self) -> bool {
        next.conf_multiplier_bps >= self.conf_multiplier_bps
            && next.liquidation_penalty_bps == self.liquidation_penalty_bps
            && next.liquidator_share_bps == self.liquidator_share_bps
            // Shorter lets LPs outrun bad debt, longer traps them: either way it waits.
            && next.withdrawal_delay_secs == self.withdrawal_delay_secs
    }

    pub const MAX_LIQUIDATION_PENALTY_BPS: u16 = 2_000;
    pub const MAX_CONF_MULTIPLIER_BPS: u16 = 50_000;
    /// A week: long enough for any keeper, short enough that LPs are never locked in for long.
    pub const MAX_WITHDRAWAL_DELAY_SECS: u32 = 7 * 86_400;

    pub fn validate(&self) -> Result<()> {
        require!(self.deposit_cap > 0, VaultError::ParamOutOfBounds);
        require!(
            self.min_deposit > 0 && self.min_deposit <= self.deposit_cap,
            VaultError::ParamOutOfBounds
        );
        require!(
            self.liquidation_penalty_bps <= Self::MAX_LIQUIDATION_PENALTY_BPS,
            VaultError::ParamOutOfBounds
        );
        require!(
            self.liquidator_share_bps <= 10_000,
            VaultError::ParamOutOfBounds
        );
        require!(
            self.conf_multiplier_bps <= Self::MAX_CONF_MULTIPLIER_BPS,
            VaultError::ParamOutOfBounds
        );
        require!(
            self.withdrawal_delay_secs <= Self::MAX_WITHDRAWAL_DELAY_SECS,
            VaultError::ParamOutOfBounds
        );
        Ok(())
    }
}

/// The LP vault. It is the counterparty of every option trade; its token account also holds
/// traders' collateral, so balances are tracked per owner class in internal accounting.
#[account]
#[derive(InitSpace)]
pub struct Vault {
    /// The key that created the vault: its PDA seed, never changed.
    pub creator: Pubkey,
    /// Authority over markets, series, parameters and pauses; rotated in two steps
    /// (`propose_authority`, `accept_authority`).
    pub admin: Pubkey,
    /// Authority allowed to post surfaces and rebalance the hedge.
    pub keeper: Pubkey,
    pub collateral_mint: Pubkey,
    pub share_mint: Pubkey,
    pub vault_token: Pubkey,
    pub insurance_token: Pubkey,
    pub collateral_decimals: u8,
    pub bump: u8,
    pub share_mint_bump: u8,
    pub vault_token_bump: u8,
    pub insurance_token_bump: u8,
    pub pause_flags: u8,
    pub market_count: u16,
    /// Collateral owned by LPs (realised); NAV adds the mark of the vault's positions.
    pub lp_assets: u64,
    /// Mirror of the share mint's supply.
    pub total_shares: u64,
    /// Initial margin of the vault's open option positions (quote = collateral units at 6
    /// decimals; see `MarkRegistry`): never withdrawable by LPs.
    pub locked_liability: u64,
    /// Traders' collateral held in `vault_token` (sum over margin accounts).
    pub trader_collateral: u64,
    /// Balance of `insurance_token` as accounted.
    pub insurance_balance: u64,
    pub params: VaultParams,
    /// Mid mark value of the vault's option positions over all markets (long > 0), in
    /// collateral units; NAV = lp_assets + options_value.
    pub options_value: i64,
    /// NAV reads (deposit, withdraw) need marks fresh until at least now; i64::MAX when the
    /// vault holds no positions.
    pub marks_valid_until: i64,
    /// The oldest slot at whose accepted price a market holding positions was valued
    /// (`MarketExposure::priced_slot`); LP flows in that slot need no registry.
    pub marks_priced_slot: u64,
    /// The earliest expiry among the vault's unsettled positions (i64::MAX with none).
    pub next_expiry_ts: i64,
    /// Sum of the markets' LP bands (`MarketExposure::lp_band`): deposits price shares at
    /// NAV + band, withdrawals at NAV − band.
    pub lp_nav_band: u64,
    /// Settlement the vault owes longs but could not pay yet (sum of
    /// `MarginAccount::unpaid_settlement`): a liability in NAV, paid before any LP withdrawal.
    pub unpaid_claims: u64,
    /// Proposed successors of the admin and the keeper: each takes over only by signing
    /// `accept_authority` (default: none proposed).
    pub pending_admin: Pubkey,
    pub pending_keeper: Pubkey,
    // No reserved tail: every instruction (de)serialises this account byte by byte, so spare
    // bytes cost compute on every deposit and withdrawal; a later field means a realloc.
}

impl Vault {
    /// LP net asset value: realised collateral plus the mark of the vault's option positions,
    /// less settlement owed to longs, floored at zero (an insolvent vault has nothing to share).
    pub fn net_assets(&self) -> u64 {
        (i128::from(self.lp_assets) + i128::from(self.options_value)
            - i128::from(self.unpaid_claims))
        .clamp(0, u64::MAX as i128) as u64
    }

    /// LP cash not reserved for unpaid settlement claims.
    pub fn unreserved_lp_assets(&self) -> u64 {
        self.lp_assets.saturating_sub(self.unpaid_claims)
    }

    /// The NAV a deposit buys shares at and a withdrawal redeems at (`math::shares::lp_navs`),
    /// with `stale_band` added for markets that cannot re-mark (`MarkRegistry::stale_band`).
    pub fn lp_navs(&self, stale_band: u64) -> (u64, u64) {
        let band = self.lp_nav_band.saturating_add(stale_band);
        crate::math::shares::lp_navs(self.net_assets(), band)
    }

    pub fn marks_are_fresh(&self, now: i64) -> bool {
        now <= self.marks_valid_until
    }

    /// Collateral LPs may take out now: NAV minus liabilities locked by open positions.
    pub fn free_collateral(&self) -> u64 {
        self.net_assets().saturating_sub(self.locked_liability)
    }

    /// What `vault_token` must hold according to internal accounting.
    pub fn accounted_vault_tokens(&self) -> Option<u64> {
        self.lp_assets.checked_add(self.trader_collateral)
    }

    // Accounting moves between owner classes, one place each, so every handler books them alike.

    /// An LP deposit: `amount` into LP assets, `shares` minted.
    pub fn book_lp_deposit(&mut self, amount: u64, shares: u64) -> Result<()> {
        self.lp_assets = self.lp_assets.checked_add(amount).or_overflow()?;
        self.total_shares = self.total_shares.checked_add(shares).or_overflow()?;
        Ok(())
    }

    /// An LP withdrawal: `amount` out of LP assets, `shares` burned.
    pub fn book_lp_withdrawal(&mut self, amount: u64, shares: u64) -> Result<()> {
        self.lp_assets = self.lp_assets.checked_sub(amount).or_overflow()?;
        self.total_shares = self.total_shares.checked_sub(shares).or_overflow()?;
        Ok(())
    }

    /// Collateral a trader deposits into its margin account.
    pub fn book_trader_deposit(&mut self, amount: u64) -> Result<()> {
        self.trader_collateral = self.trader_collateral.checked_add(amount).or_overflow()?;
        Ok(())
    }

    /// Collateral a trader takes out of its margin account.
    pub fn book_trader_withdrawal(&mut self, amount: u64) -> Result<()> {
        self.trader_collateral = self
            .trader_collateral
            .checked_sub(amount)
            .ok_or(VaultError::AccountingMismatch)?;
        Ok(())
    }

    /// A trader pays the vault (a premium, a fee): trader collateral to LP assets.
    pub fn book_trader_pays_lps(&mut self, amount: u64) -> Result<()> {
        self.book_trader_withdrawal(amount)?;
        self.lp_assets = self.lp_assets.checked_add(amount).or_overflow()?;
        Ok(())
    }

    /// The vault pays a trader (a premium): LP assets to trader collateral.
    /// LP cash paid to a trader or provider (premiums the vault pays). Cash owed to unpaid
    /// settlement claims is senior: it is never spent on anything else.
    pub fn book_lps_pay_trader(&mut self, amount: u64) -> Result<()> {
        require!(
            amount <= self.unreserved_lp_assets(),
            VaultError::InsufficientVaultCollateral
        );
        self.lp_assets = self
            .lp_assets
            .checked_sub(amount)
            .ok_or(VaultError::InsufficientVaultCollateral)?;
        self.book_trader_deposit(amount)
    }

    /// Whether LP equity net of unpaid claims covers the margin locked by the vault's book:
    /// what any fill that raises that margin must keep true.
    pub fn covers_locked_margin(&self) -> bool {
        i128::from(self.lp_assets) + i128::from(self.options_value) - i128::from(self.unpaid_claims)
            >= i128::from(self.locked_liability)
    }

    pub fn is_paused(&self, flag: u8) -> bool {
        self.pause_flags & flag != 0
    }

    pub fn signer_seeds(&self) -> [&[u8]; 4] {
        [
            super::VAULT_SEED,
            self.creator.as_ref(),
            self.collateral_mint.as_ref(),
            std::slice::from_ref(&self.bump),
        ]
    }
}
