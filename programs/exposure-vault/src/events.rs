//! One event per state change, so indexers and the keeper can follow the vault from logs alone.
use anchor_lang::prelude::*;

use crate::state::{MarketRiskParams, OracleConfig, SviSlice, VaultParams};

#[event]
pub struct VaultInitialized {
    pub vault: Pubkey,
    pub admin: Pubkey,
    pub collateral_mint: Pubkey,
    pub share_mint: Pubkey,
    pub params: VaultParams,
}

#[event]
pub struct LiquidityDeposited {
    pub vault: Pubkey,
    pub depositor: Pubkey,
    pub amount: u64,
    pub shares_minted: u64,
    pub net_assets_after: u64,
    pub total_shares_after: u64,
}

#[event]
pub struct LiquidityWithdrawn {
    pub vault: Pubkey,
    pub owner: Pubkey,
    pub shares_burned: u64,
    pub amount: u64,
    /// The payout is the smaller of these two (`WithdrawalRequest::payout`).
    pub value_at_request: u64,
    pub value_now: u64,
    pub net_assets_after: u64,
    pub total_shares_after: u64,
}

#[event]
pub struct LiquidityWithdrawalRequested {
    pub vault: Pubkey,
    pub owner: Pubkey,
    pub shares: u64,
    pub value_at_request: u64,
    pub due_ts: i64,
}

#[event]
pub struct LiquidityWithdrawalCancelled {
    pub vault: Pubkey,
    pub owner: Pubkey,
    pub shares: u64,
}

#[event]
pub struct ParamsUpdated {
    pub vault: Pubkey,
    pub old: VaultParams,
    pub new: VaultParams,
}

/// A change of the vault's parameters was proposed, applied or cancelled (0, 1, 2).
#[event]
pub struct VaultParamsChange {
    pub vault: Pubkey,
    pub old: VaultParams,
    pub new: VaultParams,
    pub effective_ts: i64,
    pub stage: u8,
}

/// A change of a market's risk parameters was proposed, applied or cancelled.
#[event]
pub struct MarketRiskChange {
    pub market: Pubkey,
    pub old: MarketRiskParams,
    pub new: MarketRiskParams,
    pub effective_ts: i64,
    /// 0 proposed, 1 applied, 2 cancelled.
    pub stage: u8,
}

#[event]
pub struct PauseFlagsSet {
    pub vault: Pubkey,
    pub old_flags: u8,
    pub new_flags: u8,
}

#[event]
pub struct MarketCreated {
    pub vault: Pubkey,
    pub market: Pubkey,
    pub market_index: u16,
    pub symbol: [u8; 16],
    pub oracle: OracleConfig,
    pub risk: MarketRiskParams,
}

#[event]
pub struct MarketPriceRefreshed {
    pub market: Pubkey,
    pub price: u64,
    pub conf: u64,
    pub publish_time: i64,
}

#[event]
pub struct SeriesListed {
    pub market: Pubkey,
    pub series_index: u8,
    pub strike: u64,
    pub expiry_ts: i64,
    pub side: u8,
}

#[event]
pub struct SeriesDelisted {
    pub market: Pubkey,
    pub series_index: u8,
}

#[event]
pub struct VolSurfaceUpdated {
    pub market: Pubkey,
    pub updated_ts: i64,
    pub slices: Vec<SviSlice>,
}

#[event]
pub struct MarginAccountOpened {
    pub vault: Pubkey,
    pub owner: Pubkey,
    pub margin_account: Pubkey,
}

#[event]
pub struct CollateralDeposited {
    pub margin_account: Pubkey,
    pub amount: u64,
    pub collateral_after: u64,
}

#[event]
pub struct CollateralWithdrawn {
    pub margin_account: Pubkey,
    pub amount: u64,
    pub collateral_after: u64,
}

#[event]
pub struct MarginAccountClosed {
    pub margin_account: Pubkey,
    pub owner: Pubkey,
}

#[event]
pub struct OptionTraded {
    pub market: Pubkey,
    pub margin_account: Pubkey,
    pub series_index: u8,
    /// Signed trader size (SIZE_PRECISION): > 0 bought from the vault, < 0 sold to it.
    pub size: i64,
    /// Per-unit model price and the spread applied (bps).
    pub model_price: u64,
    pub spread_bps: u64,
    /// The oracle choice charge in the premium (quote): what the age of the slot's oracle
    /// update could be worth beyond the spread.
    pub oracle_choice: u64,
    /// Premium and taker fee, in collateral units.
    pub premium: u64,
    pub fee: u64,
    pub spot: u64,
    /// The surface vol, and the inventory shift the price was taken at (VOL_PRECISION).
    pub vol: u64,
    pub inventory_vol_shift: i64,
    /// The vault's net dollar delta and vega (per vol point) in this market after the trade
    /// (what the caps and the spread read).
    pub vault_net_delta: i64,
    pub vault_net_vega: i64,
    /// The vault's net vega and dollar gamma (per 1% move) in the series' expiry after the
    /// trade: what the inventory price leans on.
    pub expiry_net_vega: i64,
    pub expiry_net_gamma: i64,
}

#[event]
pub struct MarksRefreshed {
    pub market: Pubkey,
    pub series_refreshed: u8,
    pub vault_mark_value: i64,
    pub vault_initial_margin: u64,
    pub spot: u64,
}

/// A chunk of the series book revalued over the portfolio-margin grid (`refresh_scenarios`).
#[event]
pub struct ScenariosRefreshed {
    pub market: Pubkey,
    pub first_series: u8,
    pub series_refreshed: u8,
    pub spot: u64,
}

/// A margin account changed how its requirement is computed (`set_margin_mode`).
#[event]
pub struct MarginModeSet {
    pub margin_account: Pubkey,
    pub margin_mode: u8,
    pub equity: i64,
    pub initial_margin: u64,
    pub maintenance_margin: u64,
}

/// Health of one margin account (quote, USD with 6 decimals), from `check_margin`.
#[event]
pub struct MarginHealth {
    pub margin_account: Pubkey,
    pub equity: i64,
    pub initial_margin: u64,
    pub maintenance_margin: u64,
    pub meets_initial: bool,
    pub meets_maintenance: bool,
}

/// A shortfall an account could not pay: the insurance fund covered `insurance_paid`, LPs
/// absorbed `socialised` through NAV (collateral units).
#[event]
pub struct BadDebt {
    pub vault: Pubkey,
    pub margin_account: Pubkey,
    pub shortfall: u64,
    pub insurance_paid: u64,
    pub socialised: u64,
}

#[event]
pub struct Liquidated {
    pub market: Pubkey,
    pub margin_account: Pubkey,
    pub liquidator: Pubkey,
    /// True when the liquidator's margin account took the shorts over; false when the vault
    /// closed them.
    pub takeover: bool,
    /// True when equity was negative: every position closed at mark, no penalty.
    pub bankrupt: bool,
    pub positions_touched: u8,
    /// Units (SIZE_PRECISION) closed or transferred, over all series.
    pub units: u64,
    /// Collateral units: penalty charged, liquidator's fee and insurance share out of it.
    pub penalty: u64,
    pub liquidator_fee: u64,
    pub insurance_fee: u64,
    pub shortfall: u64,
    /// Quote (USD, 6 decimals).
    pub equity_before: i64,
    pub maintenance_before: u64,
    pub equity_after: i64,
    pub maintenance_after: u64,
}

/// A successor was proposed for the admin (`role` 0) or the keeper (`role` 1); default clears.
#[event]
pub struct AuthorityProposed {
    pub vault: Pubkey,
    pub role: u8,
    pub current: Pubkey,
    pub proposed: Pubkey,
}

/// The proposed successor signed and took over.
#[event]
pub struct AuthorityAccepted {
    pub vault: Pubkey,
    pub role: u8,
    pub previous: Pubkey,
    pub new: Pubkey,
}

#[event]
pub struct SettlementProposed {
    pub market: Pubkey,
    pub series_index: u8,
    pub settlement_price: u64,
    pub publish_time: i64,
    /// Until when an earlier valid update may replace it.
    pub final_ts: i64,
    /// Whether it replaced an earlier proposal (a later-published one).
    pub replaced: bool,
}

#[event]
pub struct SeriesSettled {
    pub market: Pubkey,
    pub series_index: u8,
    pub settlement_price: u64,
    pub publish_time: i64,
    /// Intrinsic value per unit (PRICE_PRECISION).
    pub intrinsic: u64,
}

#[event]
pub struct PositionSettled {
    pub market: Pubkey,
    pub margin_account: Pubkey,
    pub series_index: u8,
    pub size: i64,
    /// Collateral units paid to (> 0) or by (< 0) the account.
    pub cash_flow: i64,
    /// Intrinsic value that was not paid: by a short (bad debt, see `BadDebt`) or, when the
    /// vault's cash and insurance cannot pay every long owed, to a long: its `unpaid_settlement`
    /// claim after this call, funded later by the same fraction as every other claim.
    pub shortfall: u64,
}

/// A long's recorded settlement claim was paid, in part or whole, from the vault's cash.
#[event]
pub struct SettlementClaimPaid {
    pub margin_account: Pubkey,
    pub paid: u64,
    pub remaining: u64,
}

#[event]
pub struct HedgeProviderRegistered {
    pub market: Pubkey,
    pub margin_account: Pubkey,
    pub slot: u8,
    /// The provider whose dead slot this registration took, if any.
    pub evicted: Option<Pubkey>,
}

/// A provider left the hedge book (deregistered, or evicted from a dead slot).
#[event]
pub struct HedgeProviderDeregistered {
    pub market: Pubkey,
    pub margin_account: Pubkey,
}

/// `rebalance_hedge` found the best quote no longer backed by its provider's collateral and
/// withdrew it instead of filling; the keeper's next plan uses the next best quote.
#[event]
pub struct HedgeQuoteCancelled {
    pub market: Pubkey,
    pub margin_account: Pubkey,
    pub oracle_price: u64,
}

#[event]
pub struct HedgeQuotePosted {
    pub market: Pubkey,
    pub margin_account: Pubkey,
    pub max_vault_buy: u64,
    pub max_vault_sell: u64,
    pub spread_bps: u16,
    pub expiry_ts: i64,
}

/// One hedge fill between the vault and a provider (sizes SIZE_PRECISION, prices quote).
#[event]
pub struct HedgeRebalanced {
    pub market: Pubkey,
    pub provider: Pubkey,
    /// The sequence number this rebalance consumed (the book now holds `seq + 1`).
    pub seq: u64,
    /// Signed vault size: > 0 the vault bought.
    pub size: i64,
    pub oracle_price: u64,
    pub fill_price: u64,
    pub spread_bps: u16,
    pub vault_hedge_size: i64,
    /// The vault's net dollar delta in this market, options and hedge, after the fill.
    pub vault_net_delta: i64,
    /// Collateral units moved to (> 0) or from (< 0) the provider when its side went flat.
    pub realised_to_provider: i64,
}

/// A provider's standing option quote (vols VOL_PRECISION, sizes SIZE_PRECISION).
#[event]
pub struct OptionQuotePosted {
    pub market: Pubkey,
    pub margin_account: Pubkey,
    pub series_index: u8,
    pub bid_vol: u64,
    pub ask_vol: u64,
    pub max_vault_buy: u64,
    pub max_vault_sell: u64,
    pub expiry_ts: i64,
}

/// One option hedge: the vault bought (`size` > 0) or sold a listed series from a provider at
/// the provider's vol, against the surface's (VOL_PRECISION); `premium` in collateral units,
/// Greeks after the fill in quote.
#[event]
pub struct OptionHedgeRebalanced {
    pub market: Pubkey,
    pub provider: Pubkey,
    pub seq: u64,
    pub series_index: u8,
    pub size: i64,
    pub vol: u64,
    pub surface_vol: u64,
    pub oracle_price: u64,
    pub premium: u64,
    pub vault_net_delta: i64,
    pub vault_net_vega: i64,
}
