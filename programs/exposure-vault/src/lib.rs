//! Exposure Vault: an options exposure-management vault on Solana.
//!
//! `lib.rs` holds entrypoints only. Handlers live in `instructions/` (one file per instruction,
//! `<noun>_<verb>.rs`), account layouts in `state/`, pure fixed-point math in `math/` (no Solana
//! types; shared with the keeper), and Pyth reads in `oracle/`.
#![allow(unexpected_cfgs)]

// The upstream-LLVM SBF build (scripts/build-sbf.sh) must link compiler builtins and the i128
// libcall shim itself; platform-tools builds (`anchor build`) get both from the toolchain.
#[cfg(feature = "upstream-sbf")]
use sbf_i128 as _;
#[cfg(feature = "upstream-sbf")]
use solana_compiler_builtins as _;

use anchor_lang::prelude::*;

pub mod controller;
pub mod error;
pub mod events;
pub mod instructions;
/// The fixed-point math (`crates/exposure-vault-math`).
pub use exposure_vault_math as math;
pub mod oracle;
pub mod state;

use instructions::*;
use state::{MarketRiskParams, OracleConfig, SviSlice, VaultParams};

declare_id!("Bq4pNo2rrQ1kTMGGjKqgox2j42G1MYUMi18HdFoYcVfq");

// The ecosystem's disclosure record, in the `.so`'s `.security.txt` section (SECURITY.md). The
// contact is a reserved placeholder until the project has a published address.
#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "Exposure Vault",
    project_url: "https://exposure-vault.invalid",
    contacts: "email:security@exposure-vault.invalid",
    policy: "SECURITY.md in the source tree: report privately, 90-day coordinated disclosure. Not audited.",
    preferred_languages: "en",
    auditors: "None: the program has not been audited"
}

#[program]
pub mod exposure_vault {
    use super::*;

    pub fn initialize_vault(
        ctx: Context<InitializeVault>,
        keeper: Pubkey,
        params: VaultParams,
    ) -> Result<()> {
        vault_initialize::handler(ctx, keeper, params)
    }

    pub fn deposit(ctx: Context<Deposit>, amount: u64) -> Result<()> {
        vault_deposit::handler(ctx, amount)
    }

    /// LP: escrows `shares` for withdrawal at their value now (NAV less the LP band). They keep
    /// bearing the vault's losses until `withdraw` completes the request after
    /// `withdrawal_delay_secs`, so an LP cannot leave ahead of bad debt the keeper has yet to book.
    pub fn request_withdrawal(ctx: Context<RequestWithdrawal>, shares: u64) -> Result<()> {
        request_withdrawal::handler(ctx, shares)
    }

    /// LP: completes a due withdrawal request: burns the escrowed shares and pays the smaller of
    /// their value at the request and now.
    pub fn withdraw(ctx: Context<Withdraw>) -> Result<()> {
        vault_withdraw::handler(ctx)
    }

    /// LP: returns a pending request's shares; allowed while withdrawals are paused.
    pub fn cancel_withdrawal(ctx: Context<CancelWithdrawal>) -> Result<()> {
        cancel_withdrawal::handler(ctx)
    }

    /// Admin: bounded vault parameters that apply at once: the deposit cap and minimum, and a
    /// higher confidence multiplier. Anything that loosens risk goes through `propose_params`.
    pub fn update_params(ctx: Context<UpdateParams>, params: VaultParams) -> Result<()> {
        vault_update_params::handler(ctx, params)
    }

    /// Admin: proposes vault parameters that `update_params` may not apply at once (a lower
    /// confidence multiplier, another liquidation penalty or split); they wait a day in public.
    pub fn propose_params(ctx: Context<ProposeParams>, params: VaultParams) -> Result<()> {
        vault_params_propose::handler(ctx, params)
    }

    /// Anyone, once due: applies the proposed vault parameters. With `cancel` (admin signing),
    /// withdraws them instead.
    pub fn apply_params(ctx: Context<ApplyParams>, cancel: bool) -> Result<()> {
        vault_params_apply::handler(ctx, cancel)
    }

    pub fn set_pause(ctx: Context<SetPause>, pause_flags: u8) -> Result<()> {
        vault_set_pause::handler(ctx, pause_flags)
    }

    /// Admin: proposes the next admin (`role` 0) or keeper (`role` 1); it takes over only when it
    /// signs `accept_authority`. The default key withdraws a proposal.
    pub fn propose_authority(
        ctx: Context<ProposeAuthority>,
        role: u8,
        proposed: Pubkey,
    ) -> Result<()> {
        authority_propose::handler(ctx, role, proposed)
    }

    /// The proposed admin or keeper signs to take over.
    pub fn accept_authority(ctx: Context<AcceptAuthority>, role: u8) -> Result<()> {
        authority_accept::handler(ctx, role)
    }

    pub fn create_market(
        ctx: Context<CreateMarket>,
        symbol: [u8; 16],
        oracle: OracleConfig,
        risk: MarketRiskParams,
    ) -> Result<()> {
        market_create::handler(ctx, symbol, oracle, risk)
    }

    /// Admin: proposes new risk parameters for a market (bounds-checked). A change that only
    /// tightens may apply at once; any other waits a day in public.
    pub fn propose_market_risk(
        ctx: Context<ProposeMarketRisk>,
        risk: MarketRiskParams,
    ) -> Result<()> {
        market_risk_propose::handler(ctx, risk)
    }

    /// Anyone, once due: applies the proposed risk parameters. With `cancel` (admin signing),
    /// withdraws them instead.
    pub fn apply_market_risk(ctx: Context<ApplyMarketRisk>, cancel: bool) -> Result<()> {
        market_risk_apply::handler(ctx, cancel)
    }

    pub fn refresh_market_price(ctx: Context<RefreshMarketPrice>) -> Result<()> {
        market_refresh_price::handler(ctx)
    }

    pub fn list_series(
        ctx: Context<ListSeries>,
        strike: u64,
        expiry_ts: i64,
        side: u8,
    ) -> Result<()> {
        series_list::handler(ctx, strike, expiry_ts, side)
    }

    pub fn delist_series(ctx: Context<DelistSeries>, series_index: u8) -> Result<()> {
        series_delist::handler(ctx, series_index)
    }

    pub fn update_vol_surface(ctx: Context<UpdateVolSurface>, slices: Vec<SviSlice>) -> Result<()> {
        surface_update::handler(ctx, slices)
    }

    pub fn open_margin_account(ctx: Context<OpenMarginAccount>) -> Result<()> {
        margin_open::handler(ctx)
    }

    pub fn deposit_collateral(ctx: Context<DepositCollateral>, amount: u64) -> Result<()> {
        margin_deposit::handler(ctx, amount)
    }

    pub fn withdraw_collateral(ctx: Context<WithdrawCollateral>, amount: u64) -> Result<()> {
        margin_withdraw::handler(ctx, amount)
    }

    pub fn close_margin_account(ctx: Context<CloseMarginAccount>) -> Result<()> {
        margin_close::handler(ctx)
    }

    pub fn check_margin(ctx: Context<CheckMargin>) -> Result<()> {
        margin_check::handler(ctx)
    }

    pub fn trade_option(
        ctx: Context<TradeOption>,
        series_index: u8,
        size: i64,
        limit: u64,
    ) -> Result<()> {
        option_trade::handler(ctx, series_index, size, limit)
    }

    pub fn refresh_marks(ctx: Context<RefreshMarks>) -> Result<()> {
        marks_refresh::handler(ctx)
    }

    pub fn liquidate(ctx: Context<Liquidate>, takeover: bool) -> Result<()> {
        account_liquidate::handler(ctx, takeover)
    }

    pub fn settle_series(ctx: Context<SettleSeries>, series_index: u8) -> Result<()> {
        series_settle::handler(ctx, series_index)
    }

    pub fn register_hedge_provider(ctx: Context<RegisterHedgeProvider>) -> Result<()> {
        hedge_provider_register::handler(ctx)
    }

    pub fn deregister_hedge_provider(ctx: Context<DeregisterHedgeProvider>) -> Result<()> {
        hedge_provider_deregister::handler(ctx)
    }

    pub fn post_hedge_quote(
        ctx: Context<PostHedgeQuote>,
        max_vault_buy: u64,
        max_vault_sell: u64,
        spread_bps: u16,
        expiry_ts: i64,
    ) -> Result<()> {
        hedge_quote_post::handler(ctx, max_vault_buy, max_vault_sell, spread_bps, expiry_ts)
    }

    pub fn rebalance_hedge(
        ctx: Context<RebalanceHedge>,
        expected_seq: u64,
        size: i64,
        max_slippage_bps: u16,
    ) -> Result<()> {
        hedge_rebalance::handler(ctx, expected_seq, size, max_slippage_bps)
    }

    pub fn settle_position(ctx: Context<SettlePosition>, series_index: u8) -> Result<()> {
        position_settle::handler(ctx, series_index)
    }
}
