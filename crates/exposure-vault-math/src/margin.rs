//! Margin engine: account equity and initial/maintenance requirements, and the vault's net
//! exposure, all in quote (USD, PRICE_PRECISION).
//!
//! Standard per-position rule (Deribit style), valued conservatively against the oracle's
//! confidence interval (the Mango October 2022 lesson):
//! - every position is marked at its cached model mark moved to the current spot along its
//!   delta; a long counts as an asset at mark − |Δ|·k·conf, a short as a liability at
//!   mark + |Δ|·k·conf;
//! - a long option needs nothing beyond its premium;
//! - a short call needs max(a·S − OTM, b·S) per unit, a short put max(a·S − OTM, b·K), with S
//!   taken at the risky end of the interval (S + k·conf for calls, S − k·conf for puts).
//!   Equity already carries the short's mark as a liability, so Deribit's "mark + max(...)"
//!   is exactly equity ≥ Σ max(...).
//!
//! Handlers only see `MarginModel`: a portfolio (shock-grid) model can replace
//! `StandardMargin` without touching them.
use crate::black76::OptionSide;
use crate::fixed::{apply_bps, mul_div, Rounding};
use crate::hedge::PerpPosition;
use crate::precision::{BPS_DENOMINATOR, DELTA_PRECISION, SIZE_PRECISION};

/// Short-option factors, in basis points of spot (a) and of spot or strike (b).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShortFactors {
    pub a_bps: u16,
    pub b_bps: u16,
}

/// Hedge-leg perpetual factors, in basis points of notional.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PerpFactors {
    pub initial_bps: u16,
    pub maintenance_bps: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarginParams {
    pub initial: ShortFactors,
    pub maintenance: ShortFactors,
    pub perp: PerpFactors,
    /// k in price ± k·conf, in bps of one confidence interval.
    pub conf_multiplier_bps: u16,
}

/// Oracle price and confidence in PRICE_PRECISION.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OraclePrice {
    pub price: u64,
    pub conf: u64,
}

/// A series' cached model mark: per-unit price and Greeks at `spot`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeriesMark {
    pub price: u64,
    pub delta: i64,
    pub vega: u64,
    pub spot: u64,
    /// Dollar gamma per unit: the change of the unit's dollar delta for a 1% spot move (quote).
    pub gamma: u64,
}

/// Dollar gamma per unit for a 1% spot move (quote), from Black-76's vega per 1.00 of vol:
/// Γ·S²/100 = vega / (100·σ·T). Zero at expiry or zero vol (no curvature left).
pub fn dollar_gamma(vega: u64, vol: u64, seconds: u64) -> u64 {
    const SECONDS_PER_YEAR: u64 = 365 * 24 * 3_600;
    if vol == 0 || seconds == 0 {
        return 0;
    }
    // In 64-bit steps where they fit (SBF has no 128-bit divide): vega/σ, per year / 100, per
    // second last, so each truncation is below a billionth of the result.
    match vega
        .checked_mul(crate::precision::VOL_PRECISION)
        .and_then(|scaled| (scaled / vol).checked_mul(SECONDS_PER_YEAR / 100))
    {
        Some(per_year) => per_year / seconds,
        None => mul_div(
            vega,
            crate::precision::VOL_PRECISION * SECONDS_PER_YEAR,
            vol.saturating_mul(seconds).saturating_mul(100),
            Rounding::Down,
        )
        .unwrap_or(u64::MAX),
    }
}

impl SeriesMark {
    /// The mark moved from the cached spot to `spot` along the cached delta, floored at zero.
    /// Rounded toward zero in 64-bit arithmetic: SBF has neither a 128-bit nor a signed divide.
    pub fn price_at(&self, spot: u64) -> u64 {
        let moved = mul_div(
            self.delta.unsigned_abs(),
            spot.abs_diff(self.spot),
            DELTA_PRECISION as u64,
            Rounding::Down,
        )
        .unwrap_or(u64::MAX);
        if (self.delta >= 0) == (spot >= self.spot) {
            self.price.saturating_add(moved)
        } else {
            self.price.saturating_sub(moved)
        }
    }
}

/// One option position: signed size in SIZE_PRECISION (long > 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkedPosition {
    pub size: i64,
    pub side: OptionSide,
    pub strike: u64,
    pub mark: SeriesMark,
    /// Expired and settled: worth exactly its (fixed) intrinsic mark, no risk left to margin.
    pub settled: bool,
}

/// Equity and requirements of one account, in quote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Health {
    pub equity: i128,
    pub initial: u128,
    pub maintenance: u128,
}

impl Health {
    pub fn meets_initial(&self) -> bool {
        self.equity >= 0 && self.equity as u128 >= self.initial
    }

    pub fn meets_maintenance(&self) -> bool {
        self.equity >= 0 && self.equity as u128 >= self.maintenance
    }

    /// Two parts of one account's health together (markets, or a position and the rest).
    pub fn checked_add(self, other: Health) -> Option<Health> {
        Some(Health {
            equity: self.equity.checked_add(other.equity)?,
            initial: self.initial.checked_add(other.initial)?,
            maintenance: self.maintenance.checked_add(other.maintenance)?,
        })
    }

    /// Equity above the initial requirement (negative when below).
    pub fn free_collateral(&self) -> i128 {
        self.equity
            .saturating_sub(self.initial.min(i128::MAX as u128) as i128)
    }
}

/// How an account's health is computed; handlers depend on this trait only.
pub trait MarginModel {
    /// `collateral` in quote; `positions` with their marks.
    fn health(
        &self,
        collateral: u64,
        positions: &mut dyn Iterator<Item = MarkedPosition>,
        price: OraclePrice,
    ) -> Option<Health>;

    /// `health` plus a hedge-leg perpetual: its value into equity, its notional times the
    /// perp factors into the requirements.
    fn with_perp(&self, health: Health, perp: PerpPosition, price: OraclePrice) -> Option<Health>;
}

/// Per-position standard margin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandardMargin(pub MarginParams);

/// per_unit · size / SIZE_PRECISION (u64 fast path inside `mul_div`).
fn times_size(per_unit: u64, size: u64, rounding: Rounding) -> Option<u64> {
    mul_div(per_unit, size, SIZE_PRECISION, rounding)
}

impl StandardMargin {
    /// Requirement per unit of a short under `factors` at spot interval [low, high].
    fn short_requirement(
        factors: ShortFactors,
        side: OptionSide,
        strike: u64,
        low: u64,
        high: u64,
    ) -> Option<u64> {
        let (a, b) = (u64::from(factors.a_bps), u64::from(factors.b_bps));
        Some(match side {
            OptionSide::Call => {
                let otm = strike.saturating_sub(high);
                apply_bps(high, a, Rounding::Up)?
                    .saturating_sub(otm)
                    .max(apply_bps(high, b, Rounding::Up)?)
            }
            OptionSide::Put => {
                let otm = low.saturating_sub(strike);
                apply_bps(low, a, Rounding::Up)?
                    .saturating_sub(otm)
                    .max(apply_bps(strike, b, Rounding::Up)?)
            }
        })
    }
}

impl StandardMargin {
    /// k·conf and the conservative interval [price − k·conf, price + k·conf].
    fn conservative_interval(&self, price: OraclePrice) -> Option<(u64, u64, u64)> {
        let k_conf = apply_bps(
            price.conf,
            u64::from(self.0.conf_multiplier_bps),
            Rounding::Up,
        )?;
        Some((
            k_conf,
            price.price.saturating_sub(k_conf),
            price.price.checked_add(k_conf)?,
        ))
    }

    /// Initial and maintenance requirement per unit of one short option now (liquidation sizes
    /// its closures with them).
    pub fn short_requirements_per_unit(
        &self,
        side: OptionSide,
        strike: u64,
        price: OraclePrice,
    ) -> Option<(u64, u64)> {
        let params = self.0;
        let (_, low, high) = self.conservative_interval(price)?;
        Some((
            Self::short_requirement(params.initial, side, strike, low, high)?,
            Self::short_requirement(params.maintenance, side, strike, low, high)?,
        ))
    }
}

/// Where a partial liquidation stops: equity back to halfway between the maintenance and the
/// initial requirement, so the account is not liquidatable again on the next tick but keeps
/// as much of its book as possible.
pub fn liquidation_target(health: &Health) -> u128 {
    (health.initial + health.maintenance).div_ceil(2)
}

/// Units (SIZE_PRECISION) of a short to close to cover `deficit` (quote) of equity below the
/// target: each unit closed frees `relief_per_unit` of blended requirement and costs
/// `penalty_per_unit` of equity. When closing does not help (relief ≤ penalty) the whole
/// position goes.
pub fn units_to_close(
    deficit: u128,
    relief_per_unit: u64,
    penalty_per_unit: u64,
    held: u64,
) -> u64 {
    if relief_per_unit <= penalty_per_unit {
        return held;
    }
    let net = u128::from(relief_per_unit - penalty_per_unit);
    let units = deficit
        .saturating_mul(u128::from(SIZE_PRECISION))
        .div_ceil(net);
    units.min(u128::from(held)) as u64
}

/// `per_unit · units / SIZE_PRECISION` rounded as asked: the money of a size.
pub fn amount_for(per_unit: u64, units: u64, rounding: Rounding) -> Option<u64> {
    times_size(per_unit, units, rounding)
}

impl StandardMargin {
    /// Equity alone (requirements zero): what portfolio margin takes from this rule, so a PM
    /// account's check does not also price every short's standard requirement.
    pub fn equity_only(
        &self,
        collateral: u64,
        positions: &mut dyn Iterator<Item = MarkedPosition>,
        price: OraclePrice,
    ) -> Option<Health> {
        self.evaluate(collateral, positions, price, false)
    }

    /// The health each of `positions` would have alone (no collateral), the price interval
    /// worked out once: `health(0, once(p))` for each, in one call. A what-if on one series at
    /// several sizes adds these to the rest of the account's health.
    pub fn each_alone<const N: usize>(
        &self,
        positions: [MarkedPosition; N],
        price: OraclePrice,
    ) -> Option<[Health; N]> {
        let interval = self.conservative_interval(price)?;
        let mut out = [Health::default(); N];
        for (health, position) in out.iter_mut().zip(positions) {
            self.add_position(health, &position, price, interval, true)?;
        }
        Some(out)
    }

    fn evaluate(
        &self,
        collateral: u64,
        positions: &mut dyn Iterator<Item = MarkedPosition>,
        price: OraclePrice,
        with_requirements: bool,
    ) -> Option<Health> {
        let interval = self.conservative_interval(price)?;
        let mut health = Health {
            equity: i128::from(collateral),
            ..Health::default()
        };
        for position in positions {
            self.add_position(&mut health, &position, price, interval, with_requirements)?;
        }
        Some(health)
    }

    /// One position's part of health, at the conservative `interval` (k·conf, low, high).
    #[inline(always)]
    fn add_position(
        &self,
        health: &mut Health,
        position: &MarkedPosition,
        price: OraclePrice,
        (k_conf, low, high): (u64, u64, u64),
        with_requirements: bool,
    ) -> Option<()> {
        let params = self.0;
        let mark = position.mark.price_at(price.price);
        let haircut = mul_div(
            position.mark.delta.unsigned_abs(),
            k_conf,
            DELTA_PRECISION as u64,
            Rounding::Up,
        )?;
        let size = position.size.unsigned_abs();
        if position.size >= 0 {
            let value = mark.saturating_sub(haircut);
            health.equity += i128::from(times_size(value, size, Rounding::Down)?);
            return Some(());
        }
        let liability = mark.checked_add(haircut)?;
        health.equity -= i128::from(times_size(liability, size, Rounding::Up)?);
        if position.settled || !with_requirements {
            return Some(());
        }
        for (factors, requirement) in [
            (params.initial, &mut health.initial),
            (params.maintenance, &mut health.maintenance),
        ] {
            let per_unit =
                Self::short_requirement(factors, position.side, position.strike, low, high)?;
            *requirement += u128::from(times_size(per_unit, size, Rounding::Up)?);
        }
        Some(())
    }
}

/// The liquidation-price search's grid: steps of 0.5% of spot, 160 each way (down to 20% of
/// spot, up to 180%).
pub const LIQUIDATION_SEARCH_STEP_BPS: u64 = 50;
pub const LIQUIDATION_SEARCH_STEPS: u64 = 160;

impl StandardMargin {
    /// An account's health with the oracle at `spot` (confidence unchanged) and every mark moved
    /// there along its cached delta (`SeriesMark::price_at`), as the program would judge it
    /// before the marks are refreshed; None on overflow.
    pub fn health_at_spot(
        &self,
        collateral: u64,
        positions: &[MarkedPosition],
        perp: PerpPosition,
        spot: u64,
        conf: u64,
    ) -> Option<Health> {
        let price = OraclePrice { price: spot, conf };
        let health = self.health(collateral, &mut positions.iter().copied(), price)?;
        self.with_perp(health, perp, price)
    }

    /// The spot prices nearest `price` below and above it at which the account (collateral in
    /// quote) falls below maintenance ([`Self::health_at_spot`]): over a grid of
    /// [`LIQUIDATION_SEARCH_STEP_BPS`] each way, then bisected to the price unit, the highest
    /// failing price below and the lowest above. None on a side where it holds over the whole
    /// grid; `price` itself on both sides when it fails already. The app draws these on its
    /// P&L chart (golden vectors: `tests/app_margin_vectors.rs`).
    pub fn liquidation_prices(
        &self,
        collateral: u64,
        positions: &[MarkedPosition],
        perp: PerpPosition,
        price: OraclePrice,
    ) -> [Option<u64>; 2] {
        let fails = |spot: u64| {
            self.health_at_spot(collateral, positions, perp, spot, price.conf)
                .is_none_or(|h| !h.meets_maintenance())
        };
        if fails(price.price) {
            return [Some(price.price); 2];
        }
        let step = |i: u64, up: bool| {
            let bps = if up {
                BPS_DENOMINATOR + i * LIQUIDATION_SEARCH_STEP_BPS
            } else {
                BPS_DENOMINATOR.saturating_sub(i * LIQUIDATION_SEARCH_STEP_BPS)
            };
            mul_div(price.price, bps, BPS_DENOMINATOR, Rounding::Down)
        };
        let mut out = [None; 2];
        for (slot, up) in out.iter_mut().zip([false, true]) {
            let mut safe = price.price;
            for i in 1..=LIQUIDATION_SEARCH_STEPS {
                let Some(spot) = step(i, up) else { break };
                if spot == 0 {
                    break;
                }
                if !fails(spot) {
                    safe = spot;
                    continue;
                }
                // Bisect between the last safe price and the first failing one.
                let (mut ok, mut bad) = (safe, spot);
                while ok.abs_diff(bad) > 1 {
                    let mid = ok.min(bad) + ok.abs_diff(bad) / 2;
                    if fails(mid) {
                        bad = mid;
                    } else {
                        ok = mid;
                    }
                }
                *slot = Some(bad);
                break;
            }
        }
        out
    }
}

impl MarginModel for StandardMargin {
    fn health(
        &self,
        collateral: u64,
        positions: &mut dyn Iterator<Item = MarkedPosition>,
        price: OraclePrice,
    ) -> Option<Health> {
        self.evaluate(collateral, positions, price, true)
    }

    fn with_perp(&self, health: Health, perp: PerpPosition, price: OraclePrice) -> Option<Health> {
        if perp.size == 0 && perp.quote_entry == 0 {
            return Some(health);
        }
        // Valued at the risky end of the confidence interval, like the options.
        let (_, low, high) = self.conservative_interval(price)?;
        let value = perp.value(if perp.size >= 0 { low } else { high })?;
        let factors = self.0.perp;
        Some(Health {
            equity: health.equity.checked_add(i128::from(value))?,
            initial: health
                .initial
                .checked_add(u128::from(perp.requirement(high, factors.initial_bps)?))?,
            maintenance: health
                .maintenance
                .checked_add(u128::from(perp.requirement(high, factors.maintenance_bps)?))?,
        })
    }
}

/// a·b in full. One native 64-bit multiply when the product fits (the bit lengths add to at
/// most 63), which positions almost always do; SBF makes a 128-bit product a libcall.
#[inline(always)]
pub fn product(a: i64, b: i64) -> i128 {
    if a.unsigned_abs().leading_zeros() + b.unsigned_abs().leading_zeros() >= 65 {
        i128::from(a.wrapping_mul(b))
    } else {
        i128::from(a) * i128::from(b)
    }
}

/// Sums of size·delta and size·vega over positions, before any scaling: the per-position
/// work is two products and two additions; `Exposure::in_quote` divides once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exposure {
    pub size_delta: i128,
    pub size_vega: i128,
}

impl Exposure {
    pub fn of(positions: &mut dyn Iterator<Item = MarkedPosition>) -> Option<Self> {
        let mut sum = Self::default();
        for p in positions {
            sum = sum.add(p.size, &p.mark)?;
        }
        Some(sum)
    }

    /// This exposure plus `size` of a series marked `mark` (size < 0 removes). Products of
    /// two 64-bit values cannot overflow i128, so only the sums are checked.
    pub fn add(self, size: i64, mark: &SeriesMark) -> Option<Self> {
        Some(Self {
            size_delta: self.size_delta.checked_add(product(size, mark.delta))?,
            size_vega: self
                .size_vega
                .checked_add(product(size, i64::try_from(mark.vega).ok()?))?,
        })
    }

    /// Net dollar delta (quote) and net vega per vol point (quote), rounded toward zero.
    pub fn in_quote(&self, spot: u64) -> Option<(i128, i128)> {
        let delta = self.size_delta.checked_mul(i128::from(spot))?
            / (i128::from(SIZE_PRECISION) * i128::from(DELTA_PRECISION));
        // Vega per 1.00 of vol → per vol point (1%).
        let vega = self.size_vega / (i128::from(SIZE_PRECISION) * 100);
        Some((delta, vega))
    }
}

/// Net delta (dollar delta, quote) and net vega (quote per one vol point) of positions.
pub fn exposure(
    positions: &mut dyn Iterator<Item = MarkedPosition>,
    spot: u64,
) -> Option<(i128, i128)> {
    Exposure::of(positions)?.in_quote(spot)
}

/// Utilisation of the vault's exposure caps in bps: the larger of |delta|/cap and |vega|/cap.
pub fn utilisation_bps(delta: i128, vega: i128, delta_cap: u64, vega_cap: u64) -> u64 {
    let ratio = |value: i128, cap: u64| -> u64 {
        if cap == 0 {
            return BPS_DENOMINATOR;
        }
        let bps = value
            .unsigned_abs()
            .saturating_mul(u128::from(BPS_DENOMINATOR))
            / u128::from(cap);
        bps.min(u128::from(u64::MAX)) as u64
    };
    ratio(delta, delta_cap).max(ratio(vega, vega_cap))
}

/// Spread in bps: `base` at zero utilisation, widening linearly to `max` at full utilisation.
pub fn spread_bps(base_bps: u16, max_bps: u16, utilisation_bps: u64) -> u64 {
    let (base, max) = (u64::from(base_bps), u64::from(max_bps.max(base_bps)));
    base + (max - base) * utilisation_bps.min(BPS_DENOMINATOR) / BPS_DENOMINATOR
}

/// Premium in quote for |size| units at the model price ± spread: a buyer pays price·(1 + s)
/// rounded up, a seller receives price·(1 − s) rounded down.
pub fn premium(model_price: u64, size: u64, spread_bps: u64, buy: bool) -> Option<u64> {
    let (factor, rounding) = if buy {
        (BPS_DENOMINATOR.checked_add(spread_bps)?, Rounding::Up)
    } else {
        (BPS_DENOMINATOR.saturating_sub(spread_bps), Rounding::Down)
    };
    let per_unit = mul_div(model_price, factor, BPS_DENOMINATOR, rounding)?;
    times_size(per_unit, size, rounding)
}

/// The spot move, in 1e-7 (thousandths of a bp), that a caller's choice of oracle
/// update can be worth when the update is `age_secs` old: `move_60s_bps`, the market's
/// 99.9th-percentile move over 60 s, scaled by √(age / 60). Square-root time scaling is how
/// `scripts/oracle-choice-window.py` carries the data's 2-hour quantile down to the window.
pub fn oracle_choice_move_e7(move_60s_bps: u16, age_secs: u64) -> u64 {
    const MAX_AGE_SECS: u64 = 86_400;
    u64::from(move_60s_bps) * crate::black76::isqrt(age_secs.min(MAX_AGE_SECS) * 1_000_000 / 60)
}

/// What the choice of a stale update can take from the vault on `size` units (quote, rounded
/// up), beyond the spread it already charges: per unit, |Δ|·S·m + ½·Γ·(S·m)² for a move `m`
/// (`move_e7`) less `price`·`spread_bps`. `delta` is Black-76's (1e-6) and `dollar_gamma` the
/// change of the unit's dollar delta per 1% move, so ½·Γ·(S·m)² = dollar_gamma · m² · 50.
pub fn oracle_choice_charge(
    delta: i64,
    dollar_gamma: u64,
    spot: u64,
    move_e7: u64,
    price: u64,
    spread_bps: u64,
    size: u64,
) -> Option<u64> {
    const MOVE_SCALE: u64 = 10_000_000;
    if move_e7 == 0 {
        return Some(0);
    }
    let delta_term = mul_div(
        mul_div(spot, delta.unsigned_abs(), 1_000_000, Rounding::Up)?,
        move_e7,
        MOVE_SCALE,
        Rounding::Up,
    )?;
    // dollar_gamma · (m_e7 / 1e7)² · 50 = dollar_gamma · m_e7 / 1e6 · m_e7 / 2e6.
    let gamma_term = mul_div(
        mul_div(dollar_gamma, move_e7, 1_000_000, Rounding::Up)?,
        move_e7,
        2_000_000,
        Rounding::Up,
    )?;
    let spread = mul_div(price, spread_bps, BPS_DENOMINATOR, Rounding::Down)?;
    let per_unit = delta_term.checked_add(gamma_term)?.saturating_sub(spread);
    times_size(per_unit, size, Rounding::Up)
}

/// How far the vault's inventory after a trade leans, in signed bps of its caps: its net vega
/// over `max_net_vega` plus its net dollar gamma over `max_net_gamma` (a cap of 0 leaves that
/// Greek out), negated so that a vault short vega or gamma gives a positive lean, clamped to
/// ±100%.
pub fn inventory_lean_bps(
    vault_vega_after: i128,
    max_net_vega: u64,
    vault_gamma_after: i128,
    max_net_gamma: u64,
) -> Option<i128> {
    let bps = i128::from(BPS_DENOMINATOR);
    let share = |value: i128, cap: u64| -> Option<i128> {
        if cap == 0 {
            return Some(0);
        }
        Some((value.checked_neg()? * bps / i128::from(cap)).clamp(-bps, bps))
    };
    Some(
        (share(vault_vega_after, max_net_vega)? + share(vault_gamma_after, max_net_gamma)?)
            .clamp(-bps, bps),
    )
}

/// The price the vault trades a series at, moved against its inventory (Lyra's skew ratios): the
/// surface vol shifted by up to `skew_bps` of itself, in proportion to the vault's lean after
/// the trade ([`inventory_lean_bps`]: its net vega and gamma over their caps), applied to first
/// order through the series' vega. A vault short vega or gamma marks every option up, so flow
/// that adds to the short pays more and flow that reduces it is paid more; long marks them down.
/// Reading the book after the trade makes a trade and its reverse pay the shift twice, never
/// earn it. Returns the adjusted price (never below zero) and the vol shift (VOL_PRECISION).
pub fn inventory_price(
    model_price: u64,
    vega: u64,
    vol: u64,
    lean_bps: i128,
    skew_bps: u16,
) -> Option<(u64, i64)> {
    if skew_bps == 0 || lean_bps == 0 {
        return Some((model_price, 0));
    }
    let bps = i128::from(BPS_DENOMINATOR);
    let shift = i128::from(vol) * i128::from(skew_bps) / bps * lean_bps.clamp(-bps, bps) / bps;
    let delta_price = i128::from(vega) * shift / i128::from(crate::precision::VOL_PRECISION);
    let price = (i128::from(model_price) + delta_price).max(0);
    Some((u64::try_from(price).ok()?, i64::try_from(shift).ok()?))
}

/// `trade_fee_rate_e8`'s denominator: 1.0 = 10^8.
pub const FEE_RATE_DENOMINATOR: u64 = BPS_DENOMINATOR * BPS_DENOMINATOR;

/// The fee rate of a trade in hundred-millionths (bps × 10,000, so a small utilisation still
/// counts): `taker_bps`, plus, on a trade that takes the vault's |net vega| further from zero,
/// `vega_fee_bps` times the share of the vega cap it then uses; nothing extra on one that
/// reduces it.
pub fn trade_fee_rate_e8(
    taker_bps: u16,
    vega_before: i128,
    vega_after: i128,
    max_net_vega: u64,
    vega_fee_bps: u16,
) -> u64 {
    let taker = u64::from(taker_bps) * BPS_DENOMINATOR;
    if vega_after.unsigned_abs() <= vega_before.unsigned_abs() || max_net_vega == 0 {
        return taker;
    }
    let used = (vega_after.unsigned_abs() * u128::from(BPS_DENOMINATOR) / u128::from(max_net_vega))
        .min(u128::from(BPS_DENOMINATOR)) as u64;
    taker + u64::from(vega_fee_bps) * used
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const S: u64 = 100_000_000; // $100

    #[test]
    fn the_choice_move_scales_with_the_square_root_of_the_updates_age() {
        assert_eq!(oracle_choice_move_e7(80, 0), 0);
        // 80 bps at 60 s is 80,000 in 1e-7.
        assert_eq!(oracle_choice_move_e7(80, 60), 80_000);
        // A quarter of the age, half the move.
        assert_eq!(oracle_choice_move_e7(80, 15), 40_000);
        // Ages past a day count as a day.
        assert_eq!(
            oracle_choice_move_e7(80, 1_000_000),
            oracle_choice_move_e7(80, 86_400)
        );
    }

    #[test]
    fn the_choice_charge_is_the_moves_worth_beyond_the_spread() {
        let spot = 65_000_000_000; // $65,000
                                   // Δ 0.5 and a 0.8% move: $260 a unit. Dollar gamma $2,000 per 1%, so Γ·S² = $200,000
                                   // and ½·Γ·(S·m)² = 100,000 · 0.008² = $6.40.
        let full = oracle_choice_charge(500_000, 0, spot, 80_000, 0, 0, 1_000_000);
        assert_eq!(full, Some(260_000_000));
        let with_gamma =
            oracle_choice_charge(500_000, 2_000_000_000, spot, 80_000, 0, 0, 1_000_000);
        assert_eq!(with_gamma, Some(260_000_000 + 6_400_000));
        // A $4,600 premium at 50 bps already takes $23 of it.
        let beyond = oracle_choice_charge(500_000, 0, spot, 80_000, 4_600_000_000, 50, 1_000_000);
        assert_eq!(beyond, Some(237_000_000));
        // A fresh update (no move) and a spread wider than the move both charge nothing.
        assert_eq!(
            oracle_choice_charge(500_000, 0, spot, 0, 4_600_000_000, 50, 1_000_000),
            Some(0)
        );
        assert_eq!(
            oracle_choice_charge(500_000, 0, spot, 5_000, 4_600_000_000, 50, 1_000_000),
            Some(0)
        );
        // Ten units, ten times.
        assert_eq!(
            oracle_choice_charge(500_000, 0, spot, 80_000, 4_600_000_000, 50, 10_000_000),
            Some(2_370_000_000)
        );
    }

    /// Deribit's standard factors, no confidence widening: the tests' market.
    pub(crate) fn params() -> MarginParams {
        MarginParams {
            initial: ShortFactors {
                a_bps: 1_500,
                b_bps: 1_000,
            },
            maintenance: ShortFactors {
                a_bps: 750,
                b_bps: 500,
            },
            perp: PerpFactors {
                initial_bps: 1_000,
                maintenance_bps: 500,
            },
            conf_multiplier_bps: 0,
        }
    }
    fn position(size: i64, side: OptionSide, strike: u64, mark: u64, delta: i64) -> MarkedPosition {
        MarkedPosition {
            size,
            side,
            strike,
            mark: SeriesMark {
                price: mark,
                delta,
                vega: 0,
                spot: S,
                gamma: 0,
            },
            settled: false,
        }
    }
    fn health(collateral: u64, positions: &[MarkedPosition], conf: u64, k_bps: u16) -> Health {
        let mut p = params();
        p.conf_multiplier_bps = k_bps;
        StandardMargin(p)
            .health(
                collateral,
                &mut positions.iter().copied(),
                OraclePrice { price: S, conf },
            )
            .unwrap()
    }

    proptest::proptest! {
        /// Each position's health alone, the interval worked out once, is what the model gives
        /// that position alone; and the parts of a book add up to the book's health.
        #[test]
        fn each_alone_is_the_models_health_of_each_position(
            sizes in proptest::collection::vec(-50_000_000i64..50_000_000, 1..6),
            strikes in proptest::collection::vec(50_000_000u64..150_000_000, 6),
            marks in proptest::collection::vec(0u64..40_000_000, 6),
            conf in 0u64..2_000_000,
            k_bps in 0u16..30_000,
        ) {
            let mut p = params();
            p.conf_multiplier_bps = k_bps;
            let model = StandardMargin(p);
            let price = OraclePrice { price: S, conf };
            let book: std::vec::Vec<MarkedPosition> = sizes
                .iter()
                .enumerate()
                .map(|(i, &size)| {
                    let side = if i % 2 == 0 { OptionSide::Call } else { OptionSide::Put };
                    let delta = if i % 2 == 0 { 400_000 } else { -300_000 };
                    position(size, side, strikes[i], marks[i], delta)
                })
                .collect();
            let mut five = [position(0, OptionSide::Call, S, 0, 0); 5];
            five[..book.len().min(5)].copy_from_slice(&book[..book.len().min(5)]);
            let parts = model.each_alone(five, price).unwrap();
            let mut sum = Health::default();
            for (part, position) in parts.iter().zip(five) {
                let alone = model.health(0, &mut core::iter::once(position), price).unwrap();
                proptest::prop_assert_eq!(*part, alone);
                sum.equity += part.equity;
                sum.initial += part.initial;
                sum.maintenance += part.maintenance;
            }
            let whole = model.health(0, &mut five.iter().copied(), price).unwrap();
            proptest::prop_assert_eq!(sum, whole);
        }
    }

    #[test]
    fn a_perp_adds_its_value_and_notional_factors() {
        let one = SIZE_PRECISION as i64;
        let short = PerpPosition {
            size: -2 * one,
            quote_entry: 220_000_000, // sold 2 at $110
        };
        let mut p = params();
        p.conf_multiplier_bps = 10_000;
        let h = StandardMargin(p)
            .with_perp(
                Health {
                    equity: 50_000_000,
                    ..Health::default()
                },
                short,
                OraclePrice {
                    price: S,
                    conf: 1_000_000,
                },
            )
            .unwrap();
        // Valued at $101 (price + conf): 220 − 202 = $18 on top of $50 of collateral.
        assert_eq!(h.equity, 68_000_000);
        // Notional 2·$101 = $202: 10% initial, 5% maintenance.
        assert_eq!(h.initial, 20_200_000);
        assert_eq!(h.maintenance, 10_100_000);
        let flat = Health::default();
        assert_eq!(
            StandardMargin(p).with_perp(
                flat,
                PerpPosition::default(),
                OraclePrice { price: S, conf: 0 }
            ),
            Some(flat)
        );
    }

    #[test]
    fn deribit_short_requirements() {
        let one = SIZE_PRECISION as i64;
        // Short call K=110, OTM by 10: IM = max(15 − 10, 10) = 10 per unit; MM = max(7.5−10, 5).
        let h = health(
            50_000_000,
            &[position(
                -one,
                OptionSide::Call,
                110_000_000,
                2_000_000,
                300_000,
            )],
            0,
            0,
        );
        assert_eq!(h.initial, 10_000_000);
        assert_eq!(h.maintenance, 5_000_000);
        assert_eq!(h.equity, 50_000_000 - 2_000_000);
        // Short put K=100 (ATM): IM = max(15 − 0, 10·K/S) = 15 per unit.
        let h = health(
            0,
            &[position(-2 * one, OptionSide::Put, S, 4_000_000, -500_000)],
            0,
            0,
        );
        assert_eq!(h.initial, 30_000_000);
        // A long needs nothing and adds its (haircut) value.
        let h = health(
            0,
            &[position(one, OptionSide::Call, S, 4_000_000, 500_000)],
            0,
            0,
        );
        assert_eq!((h.initial, h.maintenance), (0, 0));
        assert_eq!(h.equity, 4_000_000);
    }

    #[test]
    fn confidence_makes_everything_worse() {
        let one = SIZE_PRECISION as i64;
        let book = [
            position(one, OptionSide::Call, S, 4_000_000, 500_000),
            position(-one, OptionSide::Put, 97_000_000, 1_000_000, -200_000),
        ];
        let tight = health(20_000_000, &book, 1_000_000, 0);
        let wide = health(20_000_000, &book, 1_000_000, 20_000);
        assert!(wide.equity < tight.equity);
        assert!(wide.initial > tight.initial);
    }

    #[test]
    fn partial_liquidation_sizes() {
        // Deficit $1,000; relief $6,000 − penalty $1,000 per unit: 0.2 units.
        assert_eq!(
            units_to_close(
                1_000_000_000,
                6_000_000_000,
                1_000_000_000,
                5 * SIZE_PRECISION
            ),
            200_000
        );
        assert_eq!(units_to_close(1, 6, 1, 10), 10); // capped at what is held
        assert_eq!(units_to_close(5, 1, 1, 7), 7); // closing does not help: all of it
        let h = Health {
            equity: 0,
            initial: 101,
            maintenance: 50,
        };
        assert_eq!(liquidation_target(&h), 76);
    }

    #[test]
    fn marks_follow_spot_along_delta() {
        let mark = SeriesMark {
            price: 5_000_000,
            delta: 600_000,
            vega: 0,
            spot: S,
            gamma: 0,
        };
        assert_eq!(mark.price_at(S + 10_000_000), 11_000_000);
        assert_eq!(mark.price_at(S - 50_000_000), 0);
        let put = SeriesMark {
            price: 5_000_000,
            delta: -400_000,
            vega: 0,
            spot: S,
            gamma: 0,
        };
        assert_eq!(put.price_at(S - 10_000_000), 9_000_000);
        assert_eq!(put.price_at(S + 10_000_000), 1_000_000);
    }

    #[test]
    fn exposure_sums_once_and_scales_once() {
        let one = SIZE_PRECISION as i64;
        let call = SeriesMark {
            price: 0,
            delta: 500_000,
            vega: 11_000_000,
            spot: S,
            gamma: 0,
        };
        let put = SeriesMark {
            price: 0,
            delta: -250_000,
            vega: 9_000_000,
            spot: S,
            gamma: 0,
        };
        let book = Exposure::default()
            .add(-2 * one, &call)
            .unwrap()
            .add(one, &put)
            .unwrap();
        // Delta: (−2·0.5 − 0.25)·$100 = −$125; vega per point: (−2·11 + 9)/100 = −$0.13.
        assert_eq!(book.in_quote(S), Some((-125_000_000, -130_000)));
        let back = book.add(2 * one, &call).unwrap().add(-one, &put).unwrap();
        assert_eq!(back, Exposure::default());
    }

    #[test]
    fn spread_and_premium_round_for_the_vault() {
        assert_eq!(spread_bps(50, 450, 0), 50);
        assert_eq!(spread_bps(50, 450, 5_000), 250);
        assert_eq!(spread_bps(50, 450, 90_000), 450);
        assert_eq!(premium(1_000_001, 1_500_000, 100, true), Some(1_515_003));
        assert_eq!(premium(1_000_001, 1_500_000, 100, false), Some(1_485_000));
        assert_eq!(utilisation_bps(50, 0, 100, 100), 5_000);
        assert_eq!(utilisation_bps(0, -300, 100, 100), 30_000);
    }

    mod inventory {
        use super::*;
        use proptest::prelude::*;

        const CAP: u64 = 50_000_000_000; // $50k per vol point
        const VOL: u64 = 600_000; // 60%
        const PRICE: u64 = 4_000_000_000; // $4,000
        const VEGA: u64 = 7_000_000_000; // $7,000 per 1.00 of vol

        const GAMMA_CAP: u64 = 100_000_000_000; // $100k per 1% move

        fn lean(vega: i128, gamma: i128) -> i128 {
            inventory_lean_bps(vega, CAP, gamma, GAMMA_CAP).unwrap()
        }

        #[test]
        fn a_short_vega_vault_marks_options_up_and_a_long_one_down() {
            let price = |lean_bps| inventory_price(PRICE, VEGA, VOL, lean_bps, 500).unwrap();
            let (up, shift) = price(lean(-(CAP as i128), 0));
            // Full cap, 5% of 60% vol = 3 vol points: $7,000 × 0.03 = $210.
            assert_eq!((up, shift), (PRICE + 210_000_000, 30_000));
            assert_eq!(price(lean(CAP as i128 / 2, 0)).0, PRICE - 105_000_000);
            assert_eq!(price(lean(0, 0)), (PRICE, 0));
            // Bounded at the cap, and never below zero.
            assert_eq!(price(lean(-10 * CAP as i128, 0)).0, up);
            let floor = inventory_price(1, VEGA, VOL, lean(10 * CAP as i128, 0), 2_000).unwrap();
            assert_eq!(floor.0, 0);
        }

        /// Why a higher skew is not a tightening (`MarketRiskParams::only_tightens`): it
        /// raises the price of a short-vega vault, but lowers the price a long-vega vault sells
        /// at, to anyone.
        #[test]
        fn a_higher_skew_sells_cheaper_from_a_long_vega_vault() {
            let long_vega = lean(CAP as i128 / 2, 0);
            let at = |skew| {
                inventory_price(PRICE, VEGA, VOL, long_vega, skew)
                    .unwrap()
                    .0
            };
            assert!(at(2_000) < at(500));
            assert_eq!(at(500) - at(2_000), 315_000_000);
        }

        #[test]
        fn short_gamma_leans_the_same_way_and_adds_to_short_vega() {
            let price = |lean_bps| inventory_price(PRICE, VEGA, VOL, lean_bps, 500).unwrap().0;
            // Half the gamma cap short: half the full shift, $105.
            assert_eq!(
                price(lean(0, -(GAMMA_CAP as i128) / 2)),
                PRICE + 105_000_000
            );
            // Short both, a quarter of each cap: the leans add up.
            assert_eq!(
                price(lean(-(CAP as i128) / 4, -(GAMMA_CAP as i128) / 4)),
                PRICE + 105_000_000
            );
            // Long gamma offsets short vega; the sum is still bounded at ±100%.
            assert_eq!(lean(-(CAP as i128) / 2, GAMMA_CAP as i128 / 2), 0);
            assert_eq!(lean(-(CAP as i128), -(GAMMA_CAP as i128)), 10_000);
            // A gamma cap of zero leaves gamma out.
            assert_eq!(inventory_lean_bps(0, CAP, -(GAMMA_CAP as i128), 0), Some(0));
        }

        #[test]
        fn dollar_gamma_comes_from_vega() {
            // 30-day ATM at 60%, $65,000: Γ·S²/100 = vega/(100·σ·T).
            let seconds = 30 * 86_400;
            let vega = 7_434_000_000; // $7,434 per 1.00 of vol
            let gamma = dollar_gamma(vega, 600_000, seconds);
            let expected = 7_434.0 / (100.0 * 0.6 * 30.0 / 365.0);
            assert!(((gamma as f64 / 1e6) - expected).abs() < 0.01, "{gamma}");
            assert_eq!(dollar_gamma(vega, 0, seconds), 0);
            assert_eq!(dollar_gamma(vega, 600_000, 0), 0);
        }

        #[test]
        fn the_vega_fee_is_charged_only_on_trades_that_add_vega_risk() {
            // 10 bps taker; 50 bps more at full cap, pro rata below it.
            assert_eq!(
                trade_fee_rate_e8(10, -10, -20, 100, 50),
                100_000 + 50 * 2_000
            );
            assert_eq!(trade_fee_rate_e8(10, -20, -10, 100, 50), 100_000);
            assert_eq!(trade_fee_rate_e8(10, 0, -1_000, 100, 50), 100_000 + 500_000);
            assert_eq!(trade_fee_rate_e8(10, 5, -5, 100, 50), 100_000);
            // A small utilisation still counts: 0.3% of the cap is 0.06 bps at 20 bps.
            assert_eq!(trade_fee_rate_e8(0, 0, -3, 1_000, 20), 600);
        }

        proptest! {
            /// The product's native fast path is exact wherever it is taken.
            #[test]
            fn product_is_the_full_product(a: i64, b: i64, shift in 0u32..63) {
                for (x, y) in [(a, b), (a >> shift, b >> (62 - shift.min(62))), (a >> 40, b >> 30)] {
                    prop_assert_eq!(product(x, y), i128::from(x) * i128::from(y));
                }
            }

            /// A buy and its reverse, each priced on the book after it, never earn: the buyer
            /// pays at least what the seller then receives, before any spread or fee.
            #[test]
            fn a_round_trip_never_gains(
                vault_vega in -2 * CAP as i128..2 * CAP as i128,
                trade_vega in 1i128..CAP as i128,
                vault_gamma in -2 * GAMMA_CAP as i128..2 * GAMMA_CAP as i128,
                trade_gamma in 0i128..GAMMA_CAP as i128,
                skew_bps in 0u16..2_000,
                price in 1u64..100_000_000_000,
                vega in 0u64..50_000_000_000,
                vol in 1u64..3_000_000,
            ) {
                // Buying adds vega and gamma to the traders, so the vault's net Greeks fall.
                let after_buy = lean(vault_vega - trade_vega, vault_gamma - trade_gamma);
                let before = lean(vault_vega, vault_gamma);
                let (paid, _) = inventory_price(price, vega, vol, after_buy, skew_bps).unwrap();
                let (received, _) = inventory_price(price, vega, vol, before, skew_bps).unwrap();
                prop_assert!(paid >= received, "paid {paid}, received {received}");
            }
        }
    }
}
