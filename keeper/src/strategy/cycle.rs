//! One keeper cycle: keep the surface and the mark cache fresh, hedge the vault's delta back
//! into its band, liquidate, settle what has expired, and report the vault's Greeks.
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use exposure_vault::events::Liquidated;
use exposure_vault::state::{MarginAccount, SviSlice, VolSurface};
use exposure_vault_client::{decode, pyth, with_other_markets, MarketKeys};
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::chain::{tokens, Chain, ChainError};
use crate::risk::onchain::{market_spot, market_surface, vault_greeks};
use crate::risk::portfolio::{
    position_greeks, position_vol, MarketState, PortfolioGreeks, Position,
};
use crate::strategy::greek_bands::{
    plan_option_hedge, GreekBands, HedgeReason, MarketGreeks, OptionCandidate, OptionRiskCaps,
};
use crate::strategy::hedge::{decide, DeltaBand};
use crate::strategy::liquidation;
use crate::strategy::settlement::{self, ObservedUpdates, SettlementStep, SettlementUpdate};
use crate::strategy::surface_source::SurfaceSource;
use exposure_vault_client::model::{MarketView, VaultView};

/// Compute-unit limits per action, from the CU report (target/reports/cu.json) with headroom.
pub mod compute_units {
    /// `update_vol_surface` checks the change at every listed series: two surface reads and a
    /// logarithm each (see the CU report's `update_vol_surface_<n>series`).
    pub fn update_vol_surface(listed_series: usize) -> u32 {
        40_000 + 12_000 * listed_series as u32
    }
    pub const SETTLE_SERIES: u32 = 40_000;
    /// Creating an account and the localnet publisher's copy of a 134-byte image, with room.
    pub const REPOST_UPDATE: u32 = 20_000;
    pub const SETTLE_POSITION: u32 = 50_000;
    /// liquidate measured 72.5k at 16 positions.
    pub const LIQUIDATE: u32 = 120_000;
    /// rebalance_hedge measured 34k beside an eight-series book.
    pub const REBALANCE_HEDGE: u32 = 80_000;
    /// rebalance_option_hedge measured 60k beside a sixteen-series book (two Black-76 evaluations).
    pub const REBALANCE_OPTION_HEDGE: u32 = 120_000;
    /// `refresh_marks` costs about 12.6k per listed series on top of ~8k.
    pub fn refresh_marks(listed_series: usize) -> u32 {
        20_000 + 14_000 * listed_series as u32
    }
    /// `refresh_scenarios` per chunk: see the CU report's `refresh_scenarios_per_series`.
    pub fn refresh_scenarios(series: usize) -> u32 {
        30_000 + 20_000 * series as u32
    }
    /// Series per `refresh_scenarios` transaction.
    pub const SCENARIO_CHUNK: u8 = 16;
}

#[derive(Clone, Debug)]
pub struct CycleConfig {
    /// Re-post the surface once it is this fraction of `surface_max_age_secs` old.
    pub surface_refresh_fraction: f64,
    /// Re-post when an expiry's ATM vol moved by more than this (relative, basis points).
    pub surface_change_bps: f64,
    /// Refresh marks once they have less than this fraction of `marks_max_age_secs` left.
    pub marks_refresh_fraction: f64,
    /// Liquidate only when the simulated liquidator fee is at least this (in dollars of
    /// collateral).
    pub min_liquidation_reward_usd: f64,
    /// Delta band per market index; markets without one are not hedged.
    pub hedge_bands: BTreeMap<u16, DeltaBand>,
    /// The worst fill accepted, in bps from the oracle price.
    pub hedge_max_slippage_bps: u16,
    /// Vega and gamma bands per market index; markets without them get no option hedges.
    pub greek_bands: BTreeMap<u16, GreekBands>,
    /// Post an observed settlement update again when the oracle account has moved past it
    /// (the localnet publisher can; on mainnet that needs a Hermes update, not carried yet).
    pub repost_settlement_updates: bool,
}

impl Default for CycleConfig {
    fn default() -> Self {
        Self {
            surface_refresh_fraction: 0.5,
            surface_change_bps: 200.0,
            marks_refresh_fraction: 0.5,
            min_liquidation_reward_usd: 1.0,
            hedge_bands: BTreeMap::new(),
            hedge_max_slippage_bps: 50,
            greek_bands: BTreeMap::new(),
            repost_settlement_updates: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    UpdateVolSurface {
        market: u16,
        slices: Vec<SviSlice>,
    },
    RefreshMarks {
        market: u16,
    },
    /// Propose, dispute or finalise `series`' settlement price; `update` carries the proposal.
    SettleSeries {
        market: u16,
        series: u8,
        update: SettlementUpdate,
    },
    SettlePosition {
        market: u16,
        series: u8,
        account: Pubkey,
    },
    /// Revalue the market's series over the portfolio-margin grid (chunked), for its PM accounts.
    RefreshScenarios {
        market: u16,
    },
    /// Vault-absorb liquidation of an account below maintenance in `market`; the fee goes to
    /// the keeper. `others`: the other markets the account holds, passed so the program sees
    /// the whole account.
    Liquidate {
        market: u16,
        account: Pubkey,
        others: Vec<u16>,
    },
    /// Trade the vault's hedge by `size` (SIZE_PRECISION, > 0 buys) against `provider`'s quote,
    /// carrying the hedge book's sequence number as read (None: no live quote can take it).
    RebalanceHedge {
        market: u16,
        seq: u64,
        size: i64,
        provider: Option<Pubkey>,
    },
    /// Buy (`size` > 0) or sell `series` from `provider`'s option quote at no worse than
    /// `limit_vol` (VOL_PRECISION), to bring the vault's vega or gamma (`reason`) back into band.
    RebalanceOptionHedge {
        market: u16,
        seq: u64,
        series: u8,
        size: i64,
        provider: Pubkey,
        limit_vol: u64,
        reason: HedgeReason,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Self::UpdateVolSurface { .. } => "update_vol_surface",
            Self::RefreshMarks { .. } => "refresh_marks",
            Self::RefreshScenarios { .. } => "refresh_scenarios",
            Self::SettleSeries { .. } => "settle_series",
            Self::SettlePosition { .. } => "settle_position",
            Self::Liquidate { .. } => "liquidate",
            Self::RebalanceHedge { .. } => "rebalance_hedge",
            Self::RebalanceOptionHedge { .. } => "rebalance_option_hedge",
        }
    }

    pub fn market(&self) -> u16 {
        match self {
            Self::UpdateVolSurface { market, .. }
            | Self::RefreshMarks { market }
            | Self::RefreshScenarios { market }
            | Self::SettleSeries { market, .. }
            | Self::SettlePosition { market, .. }
            | Self::Liquidate { market, .. }
            | Self::RebalanceHedge { market, .. }
            | Self::RebalanceOptionHedge { market, .. } => *market,
        }
    }
}

/// The keys of the markets of index `indices`.
fn other_keys(view: &VaultView, indices: &[u16]) -> Vec<MarketKeys> {
    view.markets
        .iter()
        .filter(|m| indices.contains(&m.keys.index))
        .map(|m| m.keys)
        .collect()
}

/// Whether the oldest scenario cache of a series that is listed or held has less than the marks'
/// refresh fraction of its life left.
fn scenarios_expiring(market: &MarketView, now: i64, cfg: &CycleConfig) -> bool {
    let max_age = market.state.risk.marks_max_age_secs as f64;
    // The program stops counting a cache once spot drifts past the market's limit from the
    // spot it was formed at: refresh at half of it, as for age.
    let max_drift = market.state.risk.portfolio().max_scenario_drift_bps() as f64 / 10_000.0;
    let spot = market
        .oracle
        .and_then(|o| o.program)
        .map(|p| p.price as f64);
    market
        .book
        .series
        .iter()
        .filter(|s| s.is_listed() || (s.has_open_interest() && !s.is_settled()))
        .any(|s| {
            let left = (s.scenario_ts + max_age as i64 - now) as f64;
            let drifted = spot.is_some_and(|spot| {
                (s.scenario_spot as f64 - spot).abs()
                    > cfg.marks_refresh_fraction * max_drift * spot
            });
            left < cfg.marks_refresh_fraction * max_age || drifted
        })
}

/// ATM (k = 0) implied vol of an on-chain slice at `now`.
fn atm_vol(slice: &SviSlice, now: i64) -> f64 {
    let t = (slice.expiry_ts - now) as f64 / (365.0 * 86_400.0);
    let w = crate::pricing::svi::SviRaw::from_onchain(slice).total_variance(0.0);
    if t > 0.0 && w > 0.0 {
        (w / t).sqrt()
    } else {
        0.0
    }
}

/// Whether the posted surface is stale or has moved too far from `fresh`.
fn surface_needs_post(
    posted: &VolSurface,
    fresh: &[SviSlice],
    now: i64,
    max_age_secs: u32,
    cfg: &CycleConfig,
) -> bool {
    let posted_slices = &posted.slices[..posted.slice_count as usize];
    if posted.slice_count == 0 || posted_slices.len() != fresh.len() {
        return true;
    }
    if (now - posted.updated_ts) as f64 >= cfg.surface_refresh_fraction * max_age_secs as f64 {
        return true;
    }
    posted_slices.iter().zip(fresh).any(|(old, new)| {
        if old.expiry_ts != new.expiry_ts {
            return true;
        }
        let (a, b) = (atm_vol(old, now), atm_vol(new, now));
        a <= 0.0 || ((b - a) / a).abs() * 10_000.0 > cfg.surface_change_bps
    })
}

/// The unexpired expiries of listed series, ascending, at most the surface's slice count.
fn live_expiries(market: &MarketView, now: i64) -> Vec<i64> {
    let mut expiries: Vec<i64> = market
        .book
        .series
        .iter()
        .filter(|s| s.is_listed() && s.expiry_ts > now)
        .map(|s| s.expiry_ts)
        .collect();
    expiries.sort_unstable();
    expiries.dedup();
    expiries.truncate(VolSurface::MAX_SLICES);
    expiries
}

fn nav_usd(view: &VaultView) -> f64 {
    view.state.net_assets() as f64 / 10f64.powi(i32::from(view.state.collateral_decimals))
}

/// The hedge trade for one market when its net delta (options and hedge, after any option
/// hedge planned before it) is outside its band; `seq` is the sequence it will carry.
pub fn plan_hedge(
    view: &VaultView,
    market: &MarketView,
    net_delta: f64,
    band: &DeltaBand,
    seq: u64,
) -> Option<Action> {
    let nav_usd = nav_usd(view);
    let order = decide(
        net_delta,
        nav_usd,
        market_spot(market),
        band,
        market.hedge_book.registered(),
        view.clock.unix_timestamp,
    )?;
    Some(Action::RebalanceHedge {
        market: market.keys.index,
        seq,
        size: order.size,
        provider: order.provider,
    })
}

/// The ATM vol the regime is judged on: the surface's first slice at least a week out (30-day
/// DVOL's neighbourhood), else its last.
pub fn regime_vol(market: &MarketView, now: i64) -> f64 {
    let slices = &market.surface.slices[..market.surface.slice_count as usize];
    slices
        .iter()
        .filter(|s| s.expiry_ts > now)
        .find(|s| s.expiry_ts - now >= 7 * 86_400)
        .or_else(|| slices.iter().rfind(|s| s.expiry_ts > now))
        .map_or(0.0, |s| atm_vol(s, now))
}

/// The vault's Greeks in `market` as the vega/gamma planner reads them.
pub fn market_greeks(
    view: &VaultView,
    market: &MarketView,
    greeks: &PortfolioGreeks,
) -> MarketGreeks {
    let g = greeks
        .per_market
        .get(&market.symbol())
        .copied()
        .unwrap_or_default();
    MarketGreeks {
        delta_usd: g.delta_usd,
        gamma_usd: g.gamma_usd,
        vega_usd: g.vega_usd,
        nav_usd: nav_usd(view),
        atm_vol: regime_vol(market, view.clock.unix_timestamp),
    }
}

/// What the perpetual costs per unit of delta traded (bps): the tightest live standing quote's
/// spread, or the market's `max_hedge_slippage_bps` when none is live.
pub fn perp_cost_bps(market: &MarketView, now: i64) -> f64 {
    market
        .hedge_book
        .registered()
        .iter()
        .map(|quote| quote.standing())
        .filter(|q| q.expiry_ts > now && (q.max_taker_buy > 0 || q.max_taker_sell > 0))
        .map(|q| f64::from(q.spread_bps))
        .reduce(f64::min)
        .unwrap_or_else(|| f64::from(market.state.risk.max_hedge_slippage_bps))
}

/// Every live option quote in `market` with its series' Greeks per unit at the keeper's surface.
pub fn option_candidates(
    market: &MarketView,
    state: &MarketState,
    now: i64,
) -> Vec<OptionCandidate> {
    const YEAR_SECS: f64 = 365.0 * 86_400.0;
    let mut out = Vec::new();
    for quote in market.hedge_book.registered() {
        for option in quote.options.iter().filter(|q| q.is_live(now)) {
            let Some(series) = market.book.series.get(usize::from(option.series_index)) else {
                continue;
            };
            if !series.is_listed() || series.expiry_ts <= now {
                continue;
            }
            let unit = Position {
                market: market.symbol(),
                kind: if series.side == exposure_vault::state::SIDE_CALL {
                    crate::pricing::black::OptionKind::Call
                } else {
                    crate::pricing::black::OptionKind::Put
                },
                strike: series.strike as f64
                    / exposure_vault::math::precision::PRICE_PRECISION as f64,
                t: (series.expiry_ts - now) as f64 / YEAR_SECS,
                size: 1.0,
            };
            let Ok(g) = position_greeks(state, &unit) else {
                continue;
            };
            let vol = exposure_vault::math::precision::VOL_PRECISION as f64;
            out.push(OptionCandidate {
                provider: quote.provider,
                series: option.series_index,
                vault_buy_capacity: option.max_vault_buy,
                vault_sell_capacity: option.max_vault_sell,
                ask_vol: option.ask_vol as f64 / vol,
                bid_vol: option.bid_vol as f64 / vol,
                surface_vol: position_vol(state, unit.strike, unit.t),
                unit_delta_usd: g.delta_usd,
                unit_gamma_usd: g.gamma_usd,
                unit_vega_usd: g.vega_usd,
            });
        }
    }
    out
}

/// Plans one cycle. `margins` holds each market's margin accounts (by market address);
/// `greeks` are the vault's, hedge included (`risk::onchain::vault_greeks`).
pub fn plan(
    view: &VaultView,
    margins: &BTreeMap<Pubkey, Vec<(Pubkey, MarginAccount)>>,
    greeks: &PortfolioGreeks,
    source: &dyn SurfaceSource,
    cfg: &CycleConfig,
    observed: &ObservedUpdates,
) -> anyhow::Result<Vec<Action>> {
    let now = view.clock.unix_timestamp;
    let mut actions = Vec::new();
    let marks_expiring = view.state.marks_valid_until != i64::MAX;
    // Health is the whole account's, across every market it holds: judged once, on every book
    // re-marked at its oracle price, each account liquidated in one market per cycle.
    let remarked = liquidation::remarked_markets(view);
    let mut everyone: Vec<(Pubkey, MarginAccount)> = margins.values().flatten().copied().collect();
    everyone.sort_by_key(|(address, _)| *address);
    everyone.dedup_by_key(|(address, _)| *address);
    let underwater_all = liquidation::underwater(view, &remarked, &everyone);
    for market in &view.markets {
        let risk = &market.state.risk;
        let index = market.keys.index;
        let expiries = live_expiries(market, now);
        if !expiries.is_empty() {
            // A source that cannot offer a surface (a venue down or stale, a surface the program
            // would reject) stops the posts, not the cycle: liquidations and settlement go on.
            match source.surface(&market.symbol(), now, &expiries) {
                Ok(fresh) => {
                    if surface_needs_post(
                        &market.surface,
                        &fresh,
                        now,
                        risk.surface_max_age_secs,
                        cfg,
                    ) {
                        actions.push(Action::UpdateVolSurface {
                            market: index,
                            slices: fresh,
                        });
                    }
                }
                Err(error) => tracing::warn!(
                    market = %market.symbol(),
                    %error,
                    "no surface to post this cycle"
                ),
            }
        }
        let has_positions = market
            .book
            .series
            .iter()
            .any(|s| s.is_listed() && s.has_open_interest());
        let marks_left = view.state.marks_valid_until.saturating_sub(now) as f64;
        if has_positions
            && marks_expiring
            && marks_left < cfg.marks_refresh_fraction * risk.marks_max_age_secs as f64
        {
            actions.push(Action::RefreshMarks { market: index });
        }
        // Vega and gamma first, through an option quote; the perpetual then hedges the delta
        // the book has after it, at the next sequence number.
        let mut net = market_greeks(view, market, greeks);
        let mut seq = market.hedge_book.rebalance_seq;
        // Only a market with bands needs its surface in the pricing engine's form.
        let state = cfg.greek_bands.get(&index).and_then(|bands| {
            let surface = market_surface(market, now)?;
            Some((
                bands,
                MarketState {
                    spot: market_spot(market),
                    rate: 0.0,
                    surface,
                },
            ))
        });
        if let Some((bands, state)) = &state {
            let candidates = option_candidates(market, state, now);
            let caps = OptionRiskCaps::of(risk);
            let perp_cost = perp_cost_bps(market, now);
            if let Some(hedge) = plan_option_hedge(&net, bands, &caps, perp_cost, &candidates) {
                actions.push(Action::RebalanceOptionHedge {
                    market: index,
                    seq,
                    series: hedge.series,
                    size: hedge.size,
                    provider: hedge.provider,
                    limit_vol: hedge.limit_vol,
                    reason: hedge.reason,
                });
                net = hedge.after;
                seq += 1;
            }
        }
        if let Some(band) = cfg.hedge_bands.get(&index) {
            actions.extend(plan_hedge(view, market, net.delta_usd, band, seq));
        }
        let accounts = margins
            .get(&market.keys.market)
            .map(Vec::as_slice)
            .unwrap_or_default();
        // Every market an underwater account holds is read by its liquidation.
        let touched = underwater_all
            .iter()
            .any(|u| u.market == index || u.others.contains(&index));
        let underwater: Vec<_> = underwater_all
            .iter()
            .filter(|u| u.market == index)
            .cloned()
            .collect();
        // The keeper judged health on marks re-priced at the current oracle price; refresh the
        // chain's marks first so the program judges on the same ones.
        let refresh = Action::RefreshMarks { market: index };
        if touched && !actions.contains(&refresh) {
            actions.push(refresh);
        }
        // PM accounts are judged on the scenario cache: keep it fresh while any holds positions,
        // and re-price it before a liquidation as the marks are.
        let pm_held = accounts
            .iter()
            .any(|(_, a)| a.is_portfolio() && a.position_count > 0);
        if risk.portfolio().enabled()
            && pm_held
            && (touched || scenarios_expiring(market, now, cfg))
        {
            actions.push(Action::RefreshScenarios { market: index });
        }
        for account in underwater {
            actions.push(Action::Liquidate {
                market: index,
                account: account.account,
                others: account.others,
            });
        }
        // Settlement is a proposal of the earliest update at or after expiry the keeper has
        // seen, a dispute of any standing proposal later than that, and the final call once the
        // proposal's dispute period is over (`strategy::settlement`).
        let window = i64::from(risk.settlement_window_secs);
        let oracle = market.oracle.and_then(|o| o.program);
        for (slot, series) in market.book.series.iter().enumerate() {
            let earliest = observed.earliest_at_or_after(&market.keys.oracle, series.expiry_ts);
            let step = settlement::settlement_step(
                series,
                now,
                window,
                oracle,
                earliest,
                cfg.repost_settlement_updates,
            );
            let finalising = step == Some(SettlementStep::Finalise);
            if let Some(step) = step {
                let update = match step {
                    SettlementStep::Propose(update) | SettlementStep::Dispute(update) => update,
                    SettlementStep::Finalise => SettlementUpdate::MarketOracle,
                };
                actions.push(Action::SettleSeries {
                    market: index,
                    series: slot as u8,
                    update,
                });
            }
            if finalising || series.is_settled() {
                for (account, margin) in margins.get(&market.keys.market).into_iter().flatten() {
                    if margin
                        .positions_in(index)
                        .any(|p| p.series_index == slot as u8)
                    {
                        actions.push(Action::SettlePosition {
                            market: index,
                            series: slot as u8,
                            account: *account,
                        });
                    }
                }
            }
        }
    }
    Ok(actions)
}

#[derive(Debug)]
pub enum Outcome {
    /// Confirmed; the signature.
    Sent(String),
    /// Not sent, and why (for example a liquidation below the minimum reward).
    Skipped(String),
    Failed(ChainError),
}

/// The outcome of one action.
#[derive(Debug)]
pub struct ActionResult {
    pub action: Action,
    pub outcome: Outcome,
}

impl ActionResult {
    pub fn is_sent(&self) -> bool {
        matches!(self.outcome, Outcome::Sent(_))
    }
}

/// Sends `actions` in order; a failure is recorded and the rest still run (the next cycle
/// re-plans from fresh state, so nothing is retried blindly).
pub async fn execute(
    chain: &Chain,
    keeper: &Keypair,
    view: &VaultView,
    actions: Vec<Action>,
    cfg: &CycleConfig,
) -> Vec<ActionResult> {
    let mut results = Vec::with_capacity(actions.len());
    for action in actions {
        let Some(market) = view
            .markets
            .iter()
            .find(|m| m.keys.index == action.market())
        else {
            continue;
        };
        let outcome = match execute_one(chain, keeper, view, market, &action, cfg).await {
            Ok(outcome) => outcome,
            Err(error) => Outcome::Failed(error),
        };
        match &outcome {
            Outcome::Sent(signature) => tracing::info!(action = action.name(), %signature, "sent"),
            Outcome::Skipped(reason) => tracing::info!(action = action.name(), %reason, "skipped"),
            Outcome::Failed(error) => tracing::warn!(action = action.name(), %error, "failed"),
        }
        results.push(ActionResult { action, outcome });
    }
    results
}

async fn execute_one(
    chain: &Chain,
    keeper: &Keypair,
    view: &VaultView,
    market: &MarketView,
    action: &Action,
    cfg: &CycleConfig,
) -> Result<Outcome, ChainError> {
    let vault = &view.keys;
    let keys: MarketKeys = market.keys;
    let signature = match action {
        Action::UpdateVolSurface { slices, .. } => {
            let ix = keys.update_vol_surface_ix(vault, keeper.pubkey(), slices.clone());
            let listed = market.book.series.iter().filter(|s| s.is_listed()).count();
            chain
                .send(
                    &[ix],
                    &[keeper],
                    Some(compute_units::update_vol_surface(listed)),
                )
                .await?
        }
        Action::RefreshMarks { .. } => {
            let listed = market.book.series.iter().filter(|s| s.is_listed()).count();
            chain
                .send(
                    &[keys.refresh_marks_ix(vault)],
                    &[],
                    Some(compute_units::refresh_marks(listed)),
                )
                .await?
        }
        Action::RefreshScenarios { .. } => {
            // Only the chunks that hold a listed or held series; one transaction each.
            let mut last = None;
            let chunk = usize::from(compute_units::SCENARIO_CHUNK);
            for (i, series) in market.book.series.chunks(chunk).enumerate() {
                let live = series
                    .iter()
                    .filter(|s| s.is_listed() || (s.has_open_interest() && !s.is_settled()))
                    .count();
                if live == 0 {
                    continue;
                }
                let ix = keys.refresh_scenarios_ix((i * chunk) as u8, series.len() as u8);
                last = Some(
                    chain
                        .send(&[ix], &[], Some(compute_units::refresh_scenarios(live)))
                        .await?,
                );
            }
            match last {
                Some(signature) => signature,
                None => return Ok(Outcome::Skipped("no listed or held series".into())),
            }
        }
        Action::SettleSeries { series, update, .. } => match update {
            SettlementUpdate::MarketOracle => {
                let ix = keys.settle_series_ix(vault, *series, keys.oracle);
                chain
                    .send(&[ix], &[], Some(compute_units::SETTLE_SERIES))
                    .await?
            }
            SettlementUpdate::Repost(price) => {
                // The observed update, posted again into an account of the keeper's (the
                // localnet publisher), and proposed from it in the same transaction.
                let account = Keypair::new();
                let quote = pyth::PythQuote {
                    price: i64::try_from(price.price).unwrap_or(i64::MAX),
                    conf: price.conf,
                    expo: -6,
                    publish_time: price.publish_time,
                };
                let [create, publish] = chain
                    .localnet_post_update_ixs(
                        &account.pubkey(),
                        &keeper.pubkey(),
                        market.state.oracle.feed_id,
                        quote,
                        view.clock.slot,
                    )
                    .await?;
                let ixs = [
                    create,
                    publish,
                    keys.settle_series_ix(vault, *series, account.pubkey()),
                ];
                chain
                    .send(
                        &ixs,
                        &[keeper, &account],
                        Some(compute_units::SETTLE_SERIES + compute_units::REPOST_UPDATE),
                    )
                    .await?
            }
        },
        Action::SettlePosition {
            series, account, ..
        } => {
            let ix = keys.settle_position_ix(vault, *account, *series);
            chain
                .send(&[ix], &[], Some(compute_units::SETTLE_POSITION))
                .await?
        }
        Action::Liquidate {
            account, others, ..
        } => {
            let fee_account = tokens::ata(&keeper.pubkey(), &vault.collateral_mint);
            let ixs = [
                tokens::create_ata_ix(
                    &chain.payer.pubkey(),
                    &keeper.pubkey(),
                    &vault.collateral_mint,
                ),
                with_other_markets(
                    keys.liquidate_ix(
                        vault,
                        *account,
                        keeper.pubkey(),
                        None,
                        Some(fee_account),
                        false,
                    ),
                    &other_keys(view, others),
                ),
            ];
            // The exact fee comes from simulating the program, not from re-deriving its planner.
            let logs = chain
                .simulate(&ixs, &[keeper], Some(compute_units::LIQUIDATE))
                .await?;
            let fee: u64 = decode::events::<Liquidated>(&logs)
                .iter()
                .map(|e| e.liquidator_fee)
                .sum();
            let min = (cfg.min_liquidation_reward_usd
                * 10f64.powi(i32::from(view.state.collateral_decimals)))
                as u64;
            if fee < min {
                return Ok(Outcome::Skipped(format!(
                    "liquidator fee {fee} below the minimum {min}"
                )));
            }
            chain
                .send(&ixs, &[keeper], Some(compute_units::LIQUIDATE))
                .await?
        }
        Action::RebalanceHedge {
            seq,
            size,
            provider,
            ..
        } => {
            let Some(provider) = provider else {
                return Ok(Outcome::Skipped("no live hedge quote on that side".into()));
            };
            // The sequence number makes a retry, a re-sign after blockhash expiry or a restart
            // mid-send unable to hedge twice: whichever copy lands first consumes it.
            let ix = keys.rebalance_hedge_ix(
                vault,
                keeper.pubkey(),
                *provider,
                *seq,
                *size,
                // The program refuses a bound above the market's own.
                cfg.hedge_max_slippage_bps
                    .min(market.state.risk.max_hedge_slippage_bps),
            );
            // The program judges the hedge on its cached marks (a fill must cut the vault's
            // delta): re-mark in the same transaction, so it sees the spot and surface the
            // keeper planned with, not marks up to `marks_max_age_secs` old.
            let listed = market.book.series.iter().filter(|s| s.is_listed()).count();
            chain
                .send(
                    &[keys.refresh_marks_ix(vault), ix],
                    &[keeper],
                    Some(compute_units::refresh_marks(listed) + compute_units::REBALANCE_HEDGE),
                )
                .await?
        }
        Action::RebalanceOptionHedge {
            seq,
            series,
            size,
            provider,
            limit_vol,
            ..
        } => {
            let ix = keys.rebalance_option_hedge_ix(
                vault,
                keeper.pubkey(),
                *provider,
                *seq,
                (*series, *size),
                *limit_vol,
            );
            let listed = market.book.series.iter().filter(|s| s.is_listed()).count();
            chain
                .send(
                    &[keys.refresh_marks_ix(vault), ix],
                    &[keeper],
                    Some(
                        compute_units::refresh_marks(listed)
                            + compute_units::REBALANCE_OPTION_HEDGE,
                    ),
                )
                .await?
        }
    };
    Ok(Outcome::Sent(signature))
}

/// What one cycle saw and did.
#[derive(Debug)]
pub struct CycleReport {
    pub slot: u64,
    pub nav: u64,
    pub total_shares: u64,
    pub greeks: PortfolioGreeks,
    /// The vault's hedge per market symbol, in units of the underlying.
    pub hedge_sizes: BTreeMap<String, f64>,
    pub results: Vec<ActionResult>,
    /// From the chain state in hand to the planned (and, for a hedge, built) actions: the
    /// keeper's own share of its reaction time.
    pub reaction: Duration,
    /// Each market's Greeks against its bands, by symbol, after the actions.
    pub bands: BTreeMap<String, BandReport>,
    /// A remote surface source's state (the venue surface's age, failed polls).
    pub surface_source: Option<crate::strategy::surface_source::SourceHealth>,
}

/// One market's delta, gamma and vega against the keeper's bands (None: not managed).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandReport {
    pub greeks: MarketGreeks,
    pub delta_width: Option<f64>,
    pub vega_width: Option<f64>,
    pub gamma_width: Option<f64>,
    /// The market's ATM vol is in its top decile: the vega band is tightened.
    pub high_vol: bool,
}

/// Every market's [`BandReport`].
pub fn band_reports(
    view: &VaultView,
    greeks: &PortfolioGreeks,
    cfg: &CycleConfig,
) -> BTreeMap<String, BandReport> {
    view.markets
        .iter()
        .map(|market| {
            let g = market_greeks(view, market, greeks);
            let index = market.keys.index;
            let check = cfg
                .greek_bands
                .get(&index)
                .map(|b| crate::strategy::greek_bands::BandCheck::of(b, &g));
            let report = BandReport {
                greeks: g,
                delta_width: cfg
                    .hedge_bands
                    .get(&index)
                    .and_then(|b| b.width_usd(g.nav_usd)),
                vega_width: check.and_then(|c| c.vega_width),
                gamma_width: check.and_then(|c| c.gamma_width),
                high_vol: check.is_some_and(|c| c.high_vol),
            };
            (market.symbol(), report)
        })
        .collect()
}

/// Margin accounts by the market addresses they hold something in
/// (`liquidation::margins_by_market`).
pub type MarginsByMarket = BTreeMap<Pubkey, Vec<(Pubkey, MarginAccount)>>;

/// Loads the vault, plans, executes, and values the vault's book with the pricing engine.
/// Margin accounts come from `getProgramAccounts`.
pub async fn run_cycle(
    chain: &Chain,
    keeper: &Keypair,
    vault: &Pubkey,
    pull_oracles: &[Pubkey],
    source: &dyn SurfaceSource,
    cfg: &CycleConfig,
) -> anyhow::Result<CycleReport> {
    let observed = ObservedUpdates::default();
    let memory = KeeperMemory {
        margins: None,
        observed: &observed,
    };
    run_cycle_with(chain, keeper, vault, pull_oracles, source, cfg, memory).await
}

/// What a long-running keeper carries between cycles (the daemon): the vault's margin accounts
/// from its subscription (None: read with `getProgramAccounts`), and every oracle update it has
/// observed (settlement proposes the earliest after expiry, `strategy::settlement`).
#[derive(Clone, Copy)]
pub struct KeeperMemory<'a> {
    pub margins: Option<&'a [(Pubkey, MarginAccount)]>,
    pub observed: &'a ObservedUpdates,
}

/// `run_cycle` with what the keeper remembers from earlier cycles.
pub async fn run_cycle_with(
    chain: &Chain,
    keeper: &Keypair,
    vault: &Pubkey,
    pull_oracles: &[Pubkey],
    source: &dyn SurfaceSource,
    cfg: &CycleConfig,
    memory: KeeperMemory<'_>,
) -> anyhow::Result<CycleReport> {
    let view = chain.load_vault(vault, pull_oracles).await?;
    for market in &view.markets {
        if let Some(update) = market.oracle.and_then(|o| o.program) {
            memory.observed.observe(market.keys.oracle, update);
        }
    }
    let accounts = match memory.margins {
        Some(accounts) => accounts.to_vec(),
        None => chain.margin_accounts(vault).await?,
    };
    let margins = liquidation::margins_by_market(&view, &accounts);
    let started = Instant::now();
    let greeks = vault_greeks(&view)?;
    let actions = plan(&view, &margins, &greeks, source, cfg, memory.observed)?;
    let reaction = started.elapsed();
    let results = execute(chain, keeper, &view, actions, cfg).await;
    // The report is of the state after the actions: with nothing sent the snapshot is current.
    let (view, greeks) = if results.iter().any(ActionResult::is_sent) {
        let after = chain.load_vault(vault, pull_oracles).await?;
        let greeks = vault_greeks(&after)?;
        (after, greeks)
    } else {
        (view, greeks)
    };
    Ok(CycleReport {
        slot: view.clock.slot,
        nav: view.state.net_assets(),
        total_shares: view.state.total_shares,
        hedge_sizes: view
            .markets
            .iter()
            .map(|m| {
                let size = m.book.vault_hedge.size as f64;
                (
                    m.symbol(),
                    size / exposure_vault::math::precision::SIZE_PRECISION as f64,
                )
            })
            .collect(),
        bands: band_reports(&view, &greeks, cfg),
        surface_source: source.health(view.clock.unix_timestamp),
        greeks,
        results,
        reaction,
    })
}
