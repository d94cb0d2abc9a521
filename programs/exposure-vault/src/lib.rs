//! Exposure Vault: an options exposure-management vault on Solana.
//!
//! `lib.rs` holds entrypoints only, each documented for the IDL (its arguments as `- \`name\`:`
//! lines, which `idl` copies into each argument's docs). Handlers live in `instructions/` (one
//! file per instruction, named as the instruction, with `handle_<instruction>`) over
//! `controller/`; account layouts in `state/`; the pure fixed-point math in
//! `crates/exposure-vault-math` (no Solana types; shared with the keeper, re-exported as `math`);
//! and Pyth reads in `oracle/`.
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

    /// Admin (the signer becomes the vault's immutable `creator` and first admin): creates the vault
    /// PDA of (creator, collateral mint), its share mint (collateral decimals + 3), its collateral
    /// and insurance token accounts and its mark registry, with `keeper` as the keeper authority.
    /// `params` are bounds-checked (`VaultParams::validate`).
    ///
    /// - `keeper`: the keeper authority (surfaces, hedges).
    /// - `params`: the vault's parameters (`VaultParams`).
    pub fn initialize_vault(
        ctx: Context<InitializeVault>,
        keeper: Pubkey,
        params: VaultParams,
    ) -> Result<()> {
        initialize_vault::handle_initialize_vault(ctx, keeper, params)
    }

    /// LP: deposits `amount` collateral units for shares at NAV plus the LP band, rounded down
    /// (virtual shares and assets make a donation to the token account worthless). Needs fresh
    /// marks while the vault holds positions; with the mark registry, a market that cannot re-mark
    /// counts at its worse side instead of blocking the deposit.
    ///
    /// - `amount`: collateral units deposited.
    pub fn deposit_liquidity(ctx: Context<DepositLiquidity>, amount: u64) -> Result<()> {
        deposit_liquidity::handle_deposit_liquidity(ctx, amount)
    }

    /// LP: escrows `shares` for withdrawal at their value now (NAV less the LP band). They keep
    /// bearing the vault's losses until `withdraw_liquidity` completes the request after
    /// `withdrawal_delay_secs`, so an LP cannot leave ahead of bad debt the keeper has yet to book.
    ///
    /// - `shares`: share units escrowed.
    pub fn request_liquidity_withdrawal(
        ctx: Context<RequestLiquidityWithdrawal>,
        shares: u64,
    ) -> Result<()> {
        request_liquidity_withdrawal::handle_request_liquidity_withdrawal(ctx, shares)
    }

    /// LP: completes a due withdrawal request: burns the escrowed shares and pays the smaller of
    /// their value at the request and now.
    pub fn withdraw_liquidity(ctx: Context<WithdrawLiquidity>) -> Result<()> {
        withdraw_liquidity::handle_withdraw_liquidity(ctx)
    }

    /// LP: returns a pending request's shares; allowed while withdrawals are paused.
    pub fn cancel_liquidity_withdrawal(ctx: Context<CancelLiquidityWithdrawal>) -> Result<()> {
        cancel_liquidity_withdrawal::handle_cancel_liquidity_withdrawal(ctx)
    }

    /// Admin: bounded vault parameters that apply at once: the deposit cap and minimum, and a
    /// higher confidence multiplier. Anything that loosens risk goes through `propose_params`.
    ///
    /// - `params`: the new vault parameters, only tightening.
    pub fn update_params(ctx: Context<UpdateParams>, params: VaultParams) -> Result<()> {
        update_params::handle_update_params(ctx, params)
    }

    /// Admin: proposes vault parameters that `update_params` may not apply at once (a lower
    /// confidence multiplier, another liquidation penalty or split). They wait
    /// `RiskProposal::DELAY_SECS` in public before `apply_params` can apply them.
    ///
    /// - `params`: the proposed vault parameters.
    pub fn propose_params(ctx: Context<ProposeParams>, params: VaultParams) -> Result<()> {
        propose_params::handle_propose_params(ctx, params)
    }

    /// Permissionless once due: puts proposed vault parameters into effect and closes the proposal
    /// (rent to the admin). With `cancel`, the admin withdraws it instead, at any time.
    ///
    /// - `cancel`: true: the admin withdraws the proposal instead.
    pub fn apply_params(ctx: Context<ApplyParams>, cancel: bool) -> Result<()> {
        apply_params::handle_apply_params(ctx, cancel)
    }

    /// Admin: sets the per-action pause flags (`state::pause`): deposits, LP withdrawals, trading,
    /// liquidations, reduce-only trading, traders' collateral withdrawals.
    ///
    /// - `pause_flags`: the new flags, a bit per action (`state::pause`).
    pub fn set_pause(ctx: Context<SetPause>, pause_flags: u8) -> Result<()> {
        set_pause::handle_set_pause(ctx, pause_flags)
    }

    /// Admin: proposes `proposed` as the next admin or keeper. Nothing changes until that key signs
    /// `accept_authority`, so a mistyped key can never lock the vault; proposing the default key
    /// withdraws a proposal.
    ///
    /// - `role`: 0 = admin, 1 = keeper.
    /// - `proposed`: the successor key (the default key withdraws).
    pub fn propose_authority(
        ctx: Context<ProposeAuthority>,
        role: u8,
        proposed: Pubkey,
    ) -> Result<()> {
        propose_authority::handle_propose_authority(ctx, role, proposed)
    }

    /// The proposed successor signs to take over as admin or keeper; the proposal is then spent.
    ///
    /// - `role`: 0 = admin, 1 = keeper.
    pub fn accept_authority(ctx: Context<AcceptAuthority>, role: u8) -> Result<()> {
        accept_authority::handle_accept_authority(ctx, role)
    }

    /// Admin: creates market `market_count` with its Pyth oracle configuration (legacy push or pull
    /// feed; the oracle must read cleanly now), its risk parameters (bounds-checked), and its series
    /// book, volatility surface and hedge book.
    ///
    /// - `symbol`: the market's name, UTF-8, zero-padded.
    /// - `oracle`: the Pyth feed and its age and confidence limits (`OracleConfig`).
    /// - `risk`: the market's risk parameters (`MarketRiskParams`).
    pub fn create_market(
        ctx: Context<CreateMarket>,
        symbol: [u8; 16],
        oracle: OracleConfig,
        risk: MarketRiskParams,
    ) -> Result<()> {
        create_market::handle_create_market(ctx, symbol, oracle, risk)
    }

    /// Admin: proposes new risk parameters for a market, bounds-checked like `create_market`'s. A
    /// change that only tightens (`MarketRiskParams::only_tightens`) may be applied at once; any
    /// other waits `RiskProposal::DELAY_SECS`, in public, before `apply_market_risk` can apply it.
    ///
    /// - `risk`: the proposed risk parameters.
    pub fn propose_market_risk(
        ctx: Context<ProposeMarketRisk>,
        risk: MarketRiskParams,
    ) -> Result<()> {
        propose_market_risk::handle_propose_market_risk(ctx, risk)
    }

    /// Permissionless once due: puts a proposed change of risk parameters into effect and closes
    /// the proposal (rent to the admin). With `cancel`, the admin withdraws it instead, at any time.
    ///
    /// - `cancel`: true: the admin withdraws the proposal instead.
    pub fn apply_market_risk(ctx: Context<ApplyMarketRisk>, cancel: bool) -> Result<()> {
        apply_market_risk::handle_apply_market_risk(ctx, cancel)
    }

    /// Permissionless crank: stores the market's latest validated oracle price (never an older one
    /// than it holds; see `oracle::read_market_price`).
    pub fn refresh_market_price(ctx: Context<RefreshMarketPrice>) -> Result<()> {
        refresh_market_price::handle_refresh_market_price(ctx)
    }

    /// Admin: lists a European, cash-settled series (strike in PRICE_PRECISION, expiry unix
    /// seconds, side 0 = call, 1 = put) in the first free slot of the market's book.
    ///
    /// - `strike`: strike, PRICE_PRECISION (1e-6 USD).
    /// - `expiry_ts`: expiry, unix seconds.
    /// - `side`: 0 = call, 1 = put.
    pub fn list_series(
        ctx: Context<ListSeries>,
        strike: u64,
        expiry_ts: i64,
        side: u8,
    ) -> Result<()> {
        list_series::handle_list_series(ctx, strike, expiry_ts, side)
    }

    /// Admin: delists a series with zero open interest; its slot may be listed again.
    ///
    /// - `series_index`: the series' slot in the book.
    pub fn delist_series(ctx: Context<DelistSeries>, series_index: u8) -> Result<()> {
        delist_series::handle_delist_series(ctx, series_index)
    }

    /// Keeper: posts the market's volatility surface (one raw-SVI smile per expiry, expiry
    /// ascending). Rejected unless every smile is in bounds with positive variance everywhere and
    /// ATM total variance is non-decreasing in expiry; unless it prices every listed series with
    /// open interest; and unless, at every listed series (strike and expiry, at this slot's
    /// oracle price, which it reads and records), implied variance stays within
    /// `surface_max_change_bps` of the surface at the start of the change window
    /// (`surface_max_age_secs` long). The limit is cumulative over the window and holds against
    /// a stale surface too: an ageing surface halts trading, it never lifts the limit.
    ///
    /// - `slices`: one raw-SVI smile per expiry, expiry ascending (`SviSlice`).
    pub fn update_vol_surface(ctx: Context<UpdateVolSurface>, slices: Vec<SviSlice>) -> Result<()> {
        update_vol_surface::handle_update_vol_surface(ctx, slices)
    }

    /// Opens the signer's margin account in the vault (one per owner, across markets; rent from
    /// the owner).
    pub fn open_margin_account(ctx: Context<OpenMarginAccount>) -> Result<()> {
        open_margin_account::handle_open_margin_account(ctx)
    }

    /// Moves collateral from the owner into the vault's token account, credited to the margin
    /// account. Never paused: adding collateral only ever reduces risk.
    ///
    /// - `amount`: collateral units.
    pub fn deposit_collateral(ctx: Context<DepositCollateral>, amount: u64) -> Result<()> {
        deposit_collateral::handle_deposit_collateral(ctx, amount)
    }

    /// Pays collateral out of a margin account, only while the account still meets initial margin
    /// afterwards (valued at the oracle's conservative price and fresh marks): its options, its
    /// perpetual and, for a hedge provider, a full fill of its standing quote.
    ///
    /// - `amount`: collateral units.
    pub fn withdraw_collateral(ctx: Context<WithdrawCollateral>, amount: u64) -> Result<()> {
        withdraw_collateral::handle_withdraw_collateral(ctx, amount)
    }

    /// Closes an empty margin account (no collateral, no positions); rent goes back to the owner.
    pub fn close_margin_account(ctx: Context<CloseMarginAccount>) -> Result<()> {
        close_margin_account::handle_close_margin_account(ctx)
    }

    /// Read-only: emits a `MarginHealth` event (equity, initial and maintenance margin in quote) so
    /// clients see an account's health exactly as the program computes it. Changes no state.
    pub fn check_margin(ctx: Context<CheckMargin>) -> Result<()> {
        check_margin::handle_check_margin(ctx)
    }

    /// Buys (`size` > 0) or sells (`size` < 0) `|size|` units of a series against the vault.
    ///
    /// Price = fresh Black-76 on the oracle spot and the surface's vol moved against the vault's
    /// vega and gamma in the series' expiry after the trade (`inventory_skew_bps`), ± a spread
    /// that widens with the vault's cap utilisation, plus a taker fee (and a vega fee on trades
    /// that add vega risk) to the vault. `limit` is the trader's slippage
    /// bound in collateral units: the most a buyer pays, the least a seller receives. Afterwards the
    /// trader must meet initial margin (unless the trade only reduces the position), the vault's
    /// net delta and vega may not move past their caps away from zero, and the vault's locked
    /// collateral and NAV inputs are updated. Under the `REDUCE_ONLY` pause only trades that shrink
    /// the trader's position pass.
    ///
    /// - `series_index`: the series' slot in the book.
    /// - `size`: SIZE_PRECISION (1e-6 of the underlying); > 0 buys from the vault, < 0 sells to it.
    /// - `limit`: collateral units: the most a buyer pays, the least a seller receives, fee
    ///   included.
    pub fn trade_option(
        ctx: Context<TradeOption>,
        series_index: u8,
        size: i64,
        limit: u64,
    ) -> Result<()> {
        trade_option::handle_trade_option(ctx, series_index, size, limit)
    }

    /// Permissionless crank: re-prices every series with open interest at the oracle spot and the
    /// posted surface (an ageing surface still gives marks that follow spot; trading is what a stale
    /// surface stops), then refreshes the vault's exposure in the mark registry. Deposits and
    /// withdrawals need it within `marks_max_age_secs` while the vault holds positions.
    pub fn refresh_marks(ctx: Context<RefreshMarks>) -> Result<()> {
        refresh_marks::handle_refresh_marks(ctx)
    }

    /// Permissionless crank for portfolio margin: revalues series `first_series` ..
    /// `first_series + series_count` (those listed or still held) over the market's scenario grid
    /// (`math::portfolio`: spot moves with vol up and down, and the extreme moves) at the oracle
    /// spot and the surface vol, and caches the values beside each mark. PM accounts need the
    /// cache of every series they hold within `marks_max_age_secs`. Chunked, so a 32-series book
    /// fits in any transaction's compute budget. `PortfolioMarginNotEnabled` on a market without
    /// a PM price range, `InvalidSeriesRange` for an empty range or one beyond the book.
    ///
    /// - `first_series`: the first slot of the chunk.
    /// - `series_count`: slots in the chunk.
    pub fn refresh_scenarios(
        ctx: Context<RefreshScenarios>,
        first_series: u8,
        series_count: u8,
    ) -> Result<()> {
        refresh_scenarios::handle_refresh_scenarios(ctx, first_series, series_count)
    }

    /// Owner: chooses how the account's requirement is computed, `0` standard (per position,
    /// the default) or `1` portfolio (the worst loss of the whole book over the market's
    /// scenario grid, plus contingencies; initial = maintenance × `pm_initial_factor_bps`).
    /// Refused while trading is paused, on a market without PM (`PortfolioMarginNotEnabled`),
    /// and when the account would be below initial margin, or a standing hedge quote unbacked,
    /// under the new rule (`InsufficientMargin`).
    ///
    /// - `margin_mode`: 0 = standard, 1 = portfolio margin.
    pub fn set_margin_mode(ctx: Context<SetMarginMode>, margin_mode: u8) -> Result<()> {
        set_margin_mode::handle_set_margin_mode(ctx, margin_mode)
    }

    /// Anyone: liquidates a margin account below maintenance margin, partially, back to a target
    /// between maintenance and initial margin. The vault closes the shorts (the liquidator's fee
    /// goes to its token account) or, with `takeover`, the liquidator's own margin account takes
    /// them over and must meet initial margin afterwards. A bankrupt account (equity < 0) is closed
    /// out at mark with no penalty, and the shortfall is paid by the insurance fund, then by LPs
    /// (`BadDebt`). The price is one a trader could trade at: within the oracle's own age limit,
    /// never older than the market's last accepted price, and the slot's price once recorded.
    ///
    /// - `takeover`: true: a hedge provider signing as liquidator takes the positions over instead
    ///   of the vault.
    pub fn liquidate(ctx: Context<Liquidate>, takeover: bool) -> Result<()> {
        liquidate::handle_liquidate(ctx, takeover)
    }

    /// Permissionless: settles an expired series at a price no caller chooses, the **earliest**
    /// Pyth update published at or after expiry that anyone brings (SECURITY.md, "Settlement").
    ///
    /// - The first call after expiry proposes `settlement_oracle` (for a pull feed any verified
    ///   update of the market's feed, for a legacy feed the price account itself): published at or
    ///   after expiry and within `settlement_window_secs` of it, or, once that window has passed
    ///   with no proposal, at any time after expiry (the late path, so a missed window never
    ///   strands a series). The proposal is final `settlement_window_secs` after it was made.
    /// - Until then, any call with an update published earlier than the proposal (still at or after
    ///   expiry) replaces it; a later or equal one fails with `SettlementPriceNotEarlier`.
    /// - The first call after that finalises: the series is marked at its intrinsic value for good
    ///   and the vault's NAV inputs are refreshed at the current oracle price. Later calls fail with
    ///   `SeriesAlreadySettled` and change nothing.
    ///
    /// - `series_index`: the series' slot in the book.
    pub fn settle_series(ctx: Context<SettleSeries>, series_index: u8) -> Result<()> {
        settle_series::handle_settle_series(ctx, series_index)
    }

    /// Registers the signer's margin account as a hedge provider of its market: it takes a quote
    /// slot in the market's `HedgeBook` (empty until `post_hedge_quote`). Its perpetual is margined
    /// and liquidatable with the rest of the account. When every slot is taken, `evict` may name a
    /// provider whose quote is dead (expired or empty) and whose perpetual is flat: it loses its
    /// slot to the newcomer, so idle registrations cannot squat the book.
    pub fn register_hedge_provider(ctx: Context<RegisterHedgeProvider>) -> Result<()> {
        register_hedge_provider::handle_register_hedge_provider(ctx)
    }

    /// A provider leaves the market's hedge book, freeing its slot. Its perpetual must be flat with
    /// nothing left to realise; the account can then be closed like any other.
    pub fn deregister_hedge_provider(ctx: Context<DeregisterHedgeProvider>) -> Result<()> {
        deregister_hedge_provider::handle_deregister_hedge_provider(ctx)
    }

    /// A registered provider replaces its standing quote: the most it sells (`max_vault_buy`) and
    /// buys (`max_vault_sell`) of the perpetual, at the oracle price ± `spread_bps`, until
    /// `expiry_ts`. Zero sizes withdraw the quote. Fills use the sizes up. A quote must be backed:
    /// after a fill of either size whole the provider still meets initial margin.
    ///
    /// - `max_vault_buy`: SIZE_PRECISION: the most the vault may buy from the provider.
    /// - `max_vault_sell`: SIZE_PRECISION: the most the vault may sell to it.
    /// - `spread_bps`: the provider's spread from the oracle.
    /// - `expiry_ts`: unix seconds: the quote lapses then.
    pub fn post_hedge_quote(
        ctx: Context<PostHedgeQuote>,
        max_vault_buy: u64,
        max_vault_sell: u64,
        spread_bps: u16,
        expiry_ts: i64,
    ) -> Result<()> {
        post_hedge_quote::handle_post_hedge_quote(
            ctx,
            max_vault_buy,
            max_vault_sell,
            spread_bps,
            expiry_ts,
        )
    }

    /// Keeper: trades the vault's hedge perpetual by `size` (> 0 buys) against the best live
    /// standing quote, at the oracle price ± the quote's spread, no worse than `max_slippage_bps`
    /// from the oracle (itself at most the market's `max_hedge_slippage_bps`). `expected_seq`
    /// must equal the hedge book's sequence number, which the rebalance then increments: a
    /// retried, duplicated or replayed-after-restart transaction fails with
    /// `RebalanceSequenceMismatch` instead of hedging twice.
    ///
    /// Afterwards the provider must meet initial margin, the fill must cut the vault's net
    /// dollar delta by at least half its notional (`RebalanceDoesNotReduceDelta`: the keeper key
    /// can hedge, not churn), and the vault's NAV inputs and locked collateral include the new
    /// hedge. A best quote that its provider's collateral no longer backs is withdrawn instead
    /// (`HedgeQuoteCancelled`, sequence unchanged), so an unbacked quote cannot block the book.
    ///
    /// - `expected_seq`: the hedge book's rebalance sequence as read; must match.
    /// - `size`: SIZE_PRECISION; > 0 the vault buys.
    /// - `max_slippage_bps`: the worst fill accepted, bps from the oracle.
    pub fn rebalance_hedge(
        ctx: Context<RebalanceHedge>,
        expected_seq: u64,
        size: i64,
        max_slippage_bps: u16,
    ) -> Result<()> {
        rebalance_hedge::handle_rebalance_hedge(ctx, expected_seq, size, max_slippage_bps)
    }

    /// Hedge provider: posts (or replaces) its standing quote on one listed series, in vol
    /// terms: the vault may buy up to `max_vault_buy` at `ask_vol` and sell up to
    /// `max_vault_sell` at `bid_vol` (VOL_PRECISION, 0 < bid ≤ ask), until `expiry_ts` (at most
    /// 7 days). Up to four series per provider. The quote must be backed: the provider meets
    /// initial margin, at the vault's marks, after a full fill of either side
    /// (`OptionQuoteUnbacked`); the series is marked afresh for that. Backing is judged at the
    /// market's newest accepted price while it is within the oracle's age limit, else at the
    /// oracle account's; nothing is recorded. Zero sizes withdraw it.
    ///
    /// - `series_index`: the series' slot in the book.
    /// - `bid_vol`: VOL_PRECISION: the vol the provider buys at.
    /// - `ask_vol`: VOL_PRECISION: the vol it sells at.
    /// - `max_vault_buy`: SIZE_PRECISION: the most the vault may buy.
    /// - `max_vault_sell`: SIZE_PRECISION: the most the vault may sell.
    /// - `expiry_ts`: unix seconds: the quote lapses then.
    pub fn post_option_quote(
        ctx: Context<PostOptionQuote>,
        series_index: u8,
        bid_vol: u64,
        ask_vol: u64,
        max_vault_buy: u64,
        max_vault_sell: u64,
        expiry_ts: i64,
    ) -> Result<()> {
        post_option_quote::handle_post_option_quote(
            ctx,
            series_index,
            bid_vol,
            ask_vol,
            max_vault_buy,
            max_vault_sell,
            expiry_ts,
        )
    }

    /// Keeper: the vault buys (`size` > 0) or sells a listed series from the best live option
    /// quote on it (lowest ask, highest bid), at the provider's vol and the oracle price, no
    /// worse than `limit_vol`, to bring its vega or gamma back toward its band.
    /// Sequence-guarded with `rebalance_hedge` (`expected_seq`). The provider's vol may be at
    /// most the market's `max_option_hedge_vol_edge_bps` from the surface's on the side that
    /// costs the vault (`OptionHedgeVolAboveMarketLimit`), and the fill must cut the vault's
    /// option risk, |net vega| / `max_net_vega` + |net dollar gamma| / `max_net_gamma`, by at
    /// least half of the risk it trades (`OptionHedgeDoesNotCutOptionRisk`: a keeper key can
    /// hedge, not churn). The position then lives in the provider's margin account like any
    /// trader's: margined, liquidated and settled the same way. A best quote the provider can no
    /// longer carry (initial margin after the fill, premium included) is withdrawn instead
    /// (`HedgeQuoteCancelled`, sequence unchanged).
    ///
    /// - `expected_seq`: the hedge book's rebalance sequence as read; must match.
    /// - `series_index`: the series' slot in the book.
    /// - `size`: SIZE_PRECISION; > 0 the vault buys.
    /// - `limit_vol`: VOL_PRECISION (1e-6): the worst vol accepted.
    pub fn rebalance_option_hedge(
        ctx: Context<RebalanceOptionHedge>,
        expected_seq: u64,
        series_index: u8,
        size: i64,
        limit_vol: u64,
    ) -> Result<()> {
        rebalance_option_hedge::handle_rebalance_option_hedge(
            ctx,
            expected_seq,
            series_index,
            size,
            limit_vol,
        )
    }

    /// Anyone: after `settle_series` is final, settles one account's position in the series at
    /// exactly its intrinsic value and clears it. A short pays into LP assets (any shortfall is
    /// bad debt). A long is paid in full only if the vault's cash covers every long still owed
    /// in the market; otherwise its value becomes a claim (`unpaid_settlement`). Claims are
    /// funded by the same fraction for all, and a call for an account with no position in the
    /// series collects what was set aside for it (`SettlementClaimPaid`).
    ///
    /// - `series_index`: the series' slot in the book.
    pub fn settle_position(ctx: Context<SettlePosition>, series_index: u8) -> Result<()> {
        settle_position::handle_settle_position(ctx, series_index)
    }
}
