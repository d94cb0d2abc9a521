use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::math::margin::{MarginParams, PerpFactors, ShortFactors, StandardMargin};
use crate::math::portfolio::PortfolioParams;
use crate::state::HedgeBook;

/// Which Pyth account layout a market reads.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OracleKind {
    /// Legacy push oracle price account (pyth-sdk-solana `SolanaPriceAccount`).
    PythLegacy,
    /// Pull oracle `PriceUpdateV2` (pyth-solana-receiver-sdk), any account carrying `feed_id`.
    PythPull,
}

/// How a market reads and trusts its oracle.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct OracleConfig {
    pub kind: OracleKind,
    /// Legacy: the price account's address. Pull: unused (any verified update with `feed_id`).
    pub price_account: Pubkey,
    /// Pull: the Pyth feed id. Legacy: unused.
    pub feed_id: [u8; 32],
    /// Largest accepted age of the publish time, in seconds.
    pub max_age_secs: u32,
    /// Largest accepted conf/price, in basis points.
    pub max_conf_bps: u16,
}

impl OracleConfig {
    /// Program-side ceiling on `max_age_secs`, whatever the admin sets: every price-sensitive
    /// action sees at most this much of the past (SECURITY.md, "Oracle discipline").
    pub const MAX_AGE_SECS_BOUND: u32 = 120;
    pub const MAX_CONF_BPS_BOUND: u16 = 1_000;

    pub fn validate(&self) -> Result<()> {
        require!(
            (1..=Self::MAX_AGE_SECS_BOUND).contains(&self.max_age_secs),
            VaultError::ParamOutOfBounds
        );
        require!(
            (1..=Self::MAX_CONF_BPS_BOUND).contains(&self.max_conf_bps),
            VaultError::ParamOutOfBounds
        );
        match self.kind {
            OracleKind::PythLegacy => {
                require!(
                    self.price_account != Pubkey::default(),
                    VaultError::ParamOutOfBounds
                )
            }
            OracleKind::PythPull => {
                require!(self.feed_id != [0u8; 32], VaultError::ParamOutOfBounds)
            }
        }
        Ok(())
    }
}

/// A market's margin factors, exposure caps, pricing spread and freshness limits.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketRiskParams {
    /// Short-option margin factors a and b (bps), initial and maintenance.
    pub initial_a_bps: u16,
    pub initial_b_bps: u16,
    pub maintenance_a_bps: u16,
    pub maintenance_b_bps: u16,
    /// Caps on the vault's net dollar delta (quote) and net vega (quote per vol point).
    pub max_net_delta: u64,
    pub max_net_vega: u64,
    /// Spread around the model price: `base` at zero cap utilisation, `max` at full.
    pub base_spread_bps: u16,
    pub max_spread_bps: u16,
    /// Taker fee on the premium, paid to the vault.
    pub taker_fee_bps: u16,
    /// Largest ATM total-variance move per surface update, in bps of the previous value.
    pub surface_max_change_bps: u16,
    /// Trading stops once the surface is older than this.
    pub surface_max_age_secs: u32,
    /// Cached series marks older than this block margin checks, trades and NAV reads.
    pub marks_max_age_secs: u32,
    /// A settlement price must be published within this many seconds after expiry.
    pub settlement_window_secs: u32,
    /// Retired: liquidation now reads at the oracle's own age limit, as trading does
    /// (SECURITY.md, "Oracle discipline"); a wider limit let a liquidator choose a past dip.
    /// Still validated and kept in the layout until accounts are versioned (issue 29).
    pub liquidation_oracle_max_age_secs: u32,
    /// Hedge-leg perpetual margin, in bps of notional, initial and maintenance.
    pub perp_initial_bps: u16,
    pub perp_maintenance_bps: u16,
    /// The spot move (bps) an LP flow is priced against: deposits buy shares at NAV plus, and
    /// withdrawals redeem at NAV minus, the vault's dollar delta in this market times this
    /// move, so choosing among valid oracle prices cannot time the book (SECURITY.md).
    pub lp_price_band_bps: u16,
    /// Inventory skew: the vol a series trades at moves by up to this share (bps) of the surface
    /// vol against the vault's lean in the series' expiry after the trade: that expiry's net
    /// vega over `max_net_vega` plus its net dollar gamma over `max_net_gamma`, clamped to ±100%
    /// (`math::margin::inventory_price`).
    pub inventory_skew_bps: u16,
    /// Vega-utilisation fee (bps of premium at full vega cap) on trades that add vega risk.
    pub vega_fee_bps: u16,
    /// The widest hedge fill `rebalance_hedge` accepts, in bps from the oracle: the most the
    /// keeper key can make the vault pay a provider per unit of delta it hedges.
    pub max_hedge_slippage_bps: u16,
    /// The furthest an option hedge's vol may be from the surface's on the side that costs the
    /// vault, in bps of the surface vol (`rebalance_option_hedge`).
    pub max_option_hedge_vol_edge_bps: u16,
    /// The vault's net dollar gamma (quote per 1% move) at which inventory pricing leans fully
    /// on gamma, as `max_net_vega` does on vega (not a cap: no trade is refused for gamma).
    pub max_net_gamma: u64,
    /// Portfolio margin (`math::portfolio`), opt-in per margin account: the largest spot move of
    /// the scenario grid (0 = no PM on this market), the extreme move and the share of its loss
    /// counted, the relative vol shocks at 30 days and the least vol of the up scenario, the
    /// exponents of (30 days / T) under and over 30 days, the contingency per net short option
    /// and per unit of perpetual (bps of spot), and initial over maintenance.
    pub pm_price_range_bps: u16,
    pub pm_extreme_move_bps: u16,
    pub pm_extreme_loss_share_bps: u16,
    pub pm_vol_up_bps: u16,
    pub pm_vol_down_bps: u16,
    pub pm_min_vol_up_bps: u16,
    pub pm_short_vega_power_bps: u16,
    pub pm_long_vega_power_bps: u16,
    pub pm_short_contingency_bps: u16,
    pub pm_perp_contingency_bps: u16,
    pub pm_initial_factor_bps: u16,
    /// The 99.9th-percentile spot move over 60 s (bps) that prices the oracle choice: a trade at
    /// an update `a` seconds old pays, beyond its spread, what a move of this × √(a / 60) is
    /// worth on it (`math::margin::oracle_choice_charge`; SECURITY.md, "Oracle discipline").
    pub oracle_choice_move_bps: u16,
}

impl MarketRiskParams {
    /// Deribit-like factors (IM 15%/10%, MM 7.5%/5%), $1M delta and $50k vega caps, 50–450 bps
    /// spread, 10 bps fee, hedges within 50 bps of the oracle and
    /// option hedges within 5% of the surface vol, 10-minute surface and marks, a 10-minute settlement window,
    /// liquidation on prices up to 5 minutes old, LP flows priced against a 1% spot move: the
    /// set the tests, the localnet demo and the CU report use (`exposure_vault_client::presets`).
    pub const PRESET: Self = Self {
        initial_a_bps: 1_500,
        initial_b_bps: 1_000,
        maintenance_a_bps: 750,
        maintenance_b_bps: 500,
        max_net_delta: 1_000_000 * 1_000_000,
        max_net_vega: 50_000 * 1_000_000,
        base_spread_bps: 50,
        max_spread_bps: 450,
        taker_fee_bps: 10,
        surface_max_change_bps: 5_000,
        surface_max_age_secs: 600,
        marks_max_age_secs: 600,
        settlement_window_secs: 600,
        liquidation_oracle_max_age_secs: 300,
        perp_initial_bps: 1_000,
        perp_maintenance_bps: 500,
        lp_price_band_bps: 100,
        inventory_skew_bps: 500,
        vega_fee_bps: 20,
        max_hedge_slippage_bps: 50,
        max_option_hedge_vol_edge_bps: 500,
        max_net_gamma: 100_000 * 1_000_000,
        pm_price_range_bps: PortfolioParams::DERIBIT_BTC.price_range_bps,
        pm_extreme_move_bps: PortfolioParams::DERIBIT_BTC.extreme_move_bps,
        pm_extreme_loss_share_bps: PortfolioParams::DERIBIT_BTC.extreme_loss_share_bps,
        pm_vol_up_bps: PortfolioParams::DERIBIT_BTC.vol_up_bps,
        pm_vol_down_bps: PortfolioParams::DERIBIT_BTC.vol_down_bps,
        pm_min_vol_up_bps: PortfolioParams::DERIBIT_BTC.min_vol_up_bps,
        pm_short_vega_power_bps: PortfolioParams::DERIBIT_BTC.short_vega_power_bps,
        pm_long_vega_power_bps: PortfolioParams::DERIBIT_BTC.long_vega_power_bps,
        pm_short_contingency_bps: PortfolioParams::DERIBIT_BTC.short_contingency_bps,
        pm_perp_contingency_bps: PortfolioParams::DERIBIT_BTC.perp_contingency_bps,
        pm_initial_factor_bps: PortfolioParams::DERIBIT_BTC.initial_factor_bps,
        oracle_choice_move_bps: 80,
    };

    pub const MAX_FACTOR_BPS: u16 = 5_000;
    /// An option hedge at most a fifth of the surface vol away from it.
    pub const MAX_OPTION_HEDGE_VOL_EDGE_BPS: u16 = 2_000;
    /// A fifth of the surface vol at full vega cap.
    pub const MAX_INVENTORY_SKEW_BPS: u16 = 2_000;
    /// A surface update may move total variance by at most 50% of its previous value.
    pub const MAX_SURFACE_CHANGE_BPS: u16 = 5_000;
    pub const MAX_SPREAD_BPS: u16 = 2_000;
    pub const MAX_TAKER_FEE_BPS: u16 = 500;
    pub const MAX_AGE_SECS: u32 = 86_400;
    pub const MAX_SETTLEMENT_WINDOW_SECS: u32 = 3_600;
    pub const MAX_LIQUIDATION_ORACLE_AGE_SECS: u32 = 300;
    /// 10%: a wider band would make LP flows pointlessly expensive.
    pub const MAX_LP_PRICE_BAND_BPS: u16 = 1_000;
    /// 10% in a minute: beyond any market the vault should list.
    pub const MAX_ORACLE_CHOICE_MOVE_BPS: u16 = 1_000;
    pub fn validate(&self) -> Result<()> {
        let factors_ok = self.initial_b_bps > 0
            && self.initial_b_bps <= self.initial_a_bps
            && self.initial_a_bps <= Self::MAX_FACTOR_BPS
            && self.maintenance_b_bps > 0
            && self.maintenance_b_bps <= self.maintenance_a_bps
            && self.maintenance_a_bps <= self.initial_a_bps
            && self.maintenance_b_bps <= self.initial_b_bps;
        let perp_ok = self.perp_maintenance_bps > 0
            && self.perp_maintenance_bps <= self.perp_initial_bps
            && self.perp_initial_bps <= Self::MAX_FACTOR_BPS;
        let ages_ok = (1..=Self::MAX_AGE_SECS).contains(&self.surface_max_age_secs)
            && (1..=Self::MAX_AGE_SECS).contains(&self.marks_max_age_secs)
            && (1..=Self::MAX_SETTLEMENT_WINDOW_SECS).contains(&self.settlement_window_secs)
            && (1..=Self::MAX_LIQUIDATION_ORACLE_AGE_SECS)
                .contains(&self.liquidation_oracle_max_age_secs);
        require!(
            factors_ok
                && perp_ok
                && ages_ok
                && self.max_net_delta > 0
                && self.max_net_vega > 0
                && self.max_net_gamma > 0
                && self.base_spread_bps <= self.max_spread_bps
                && self.max_spread_bps <= Self::MAX_SPREAD_BPS
                && self.taker_fee_bps <= Self::MAX_TAKER_FEE_BPS
                && self.surface_max_change_bps > 0
                && self.surface_max_change_bps <= Self::MAX_SURFACE_CHANGE_BPS
                && self.lp_price_band_bps <= Self::MAX_LP_PRICE_BAND_BPS
                && self.oracle_choice_move_bps <= Self::MAX_ORACLE_CHOICE_MOVE_BPS
                && self.inventory_skew_bps <= Self::MAX_INVENTORY_SKEW_BPS
                && self.vega_fee_bps <= Self::MAX_TAKER_FEE_BPS
                && self.max_hedge_slippage_bps <= HedgeBook::MAX_SPREAD_BPS
                && self.max_option_hedge_vol_edge_bps <= Self::MAX_OPTION_HEDGE_VOL_EDGE_BPS
                && (!self.portfolio().enabled() || self.portfolio().is_valid()),
            VaultError::ParamOutOfBounds
        );
        Ok(())
    }

    /// Whether `next` only makes the market safer for LPs and traders than `self`: margin
    /// factors, spreads, fees, the LP band and the oracle choice move no lower; caps, ages and
    /// the change limit no higher; the settlement window and the inventory skew unchanged (a
    /// higher skew also lowers the price the vault sells at while it is long vega). Such a
    /// change needs no delay.
    pub fn only_tightens(&self, next: &Self) -> bool {
        next.initial_a_bps >= self.initial_a_bps
            && next.initial_b_bps >= self.initial_b_bps
            && next.maintenance_a_bps >= self.maintenance_a_bps
            && next.maintenance_b_bps >= self.maintenance_b_bps
            && next.perp_initial_bps >= self.perp_initial_bps
            && next.perp_maintenance_bps >= self.perp_maintenance_bps
            && next.max_net_delta <= self.max_net_delta
            && next.max_net_vega <= self.max_net_vega
            && next.max_net_gamma <= self.max_net_gamma
            && next.base_spread_bps >= self.base_spread_bps
            && next.max_spread_bps >= self.max_spread_bps
            && next.taker_fee_bps >= self.taker_fee_bps
            && next.lp_price_band_bps >= self.lp_price_band_bps
            && next.oracle_choice_move_bps >= self.oracle_choice_move_bps
            && next.inventory_skew_bps == self.inventory_skew_bps
            && next.vega_fee_bps >= self.vega_fee_bps
            && next.max_hedge_slippage_bps <= self.max_hedge_slippage_bps
            && next.max_option_hedge_vol_edge_bps <= self.max_option_hedge_vol_edge_bps
            && next.surface_max_change_bps <= self.surface_max_change_bps
            && next.surface_max_age_secs <= self.surface_max_age_secs
            && next.marks_max_age_secs <= self.marks_max_age_secs
            && next.liquidation_oracle_max_age_secs <= self.liquidation_oracle_max_age_secs
            && next.settlement_window_secs == self.settlement_window_secs
            && self.portfolio().only_tightens(&next.portfolio())
    }

    /// The portfolio-margin parameters (`enabled()` is false when the market offers no PM).
    pub fn portfolio(&self) -> PortfolioParams {
        PortfolioParams {
            price_range_bps: self.pm_price_range_bps,
            extreme_move_bps: self.pm_extreme_move_bps,
            extreme_loss_share_bps: self.pm_extreme_loss_share_bps,
            vol_up_bps: self.pm_vol_up_bps,
            vol_down_bps: self.pm_vol_down_bps,
            min_vol_up_bps: self.pm_min_vol_up_bps,
            short_vega_power_bps: self.pm_short_vega_power_bps,
            long_vega_power_bps: self.pm_long_vega_power_bps,
            short_contingency_bps: self.pm_short_contingency_bps,
            perp_contingency_bps: self.pm_perp_contingency_bps,
            initial_factor_bps: self.pm_initial_factor_bps,
        }
    }

    pub fn margin_params(&self, conf_multiplier_bps: u16) -> MarginParams {
        MarginParams {
            initial: ShortFactors {
                a_bps: self.initial_a_bps,
                b_bps: self.initial_b_bps,
            },
            maintenance: ShortFactors {
                a_bps: self.maintenance_a_bps,
                b_bps: self.maintenance_b_bps,
            },
            perp: PerpFactors {
                initial_bps: self.perp_initial_bps,
                maintenance_bps: self.perp_maintenance_bps,
            },
            conf_multiplier_bps,
        }
    }
}

/// One underlying, priced by one Pyth feed, with its series book and volatility surface.
#[account]
#[derive(InitSpace)]
pub struct Market {
    pub vault: Pubkey,
    pub index: u16,
    pub bump: u8,
    pub symbol: [u8; 16],
    pub oracle: OracleConfig,
    pub risk: MarketRiskParams,
    /// The market's `SeriesBook`, `VolSurface` and `HedgeBook` (PDAs of the market).
    pub book: Pubkey,
    pub surface: Pubkey,
    pub hedge_book: Pubkey,
    /// The market's accepted oracle price (PRICE_PRECISION), its confidence and publish time,
    /// and the slot it was accepted in: prices never go back in time, and a slot has one price.
    pub last_price: u64,
    pub last_conf: u64,
    pub last_publish_time: i64,
    pub last_price_slot: u64,
    // No reserved tail: price-reading instructions write this account back, byte by byte.
}

impl Market {
    pub const MAX_MARKETS_PER_VAULT: u16 = 64;

    /// The margin model every handler uses for this market.
    pub fn margin_model(&self, conf_multiplier_bps: u16) -> StandardMargin {
        StandardMargin(self.risk.margin_params(conf_multiplier_bps))
    }
}
