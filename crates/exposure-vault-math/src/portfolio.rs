//! Portfolio margin (PM): the maintenance requirement is the worst loss of the account's whole
//! book (options and perpetual) over a grid of spot and implied-vol scenarios, plus
//! contingencies; initial margin is maintenance times a factor. After Deribit's portfolio
//! margin (BTC: ±16% in 4 steps each way, vol up 50% / down 25% of the vol, scaled by
//! (30 days / T)^0.30 under 30 days and ^0.13 beyond, at least 50% vol in the up scenario,
//! 1% of spot per net short option) and Lyra v2's PMRM (extreme moves counted at a fraction of
//! their loss, a static contingency on the perpetual).
//!
//! One definition serves the program and the keeper: `series_scenarios` revalues one series at
//! every scenario with the same fixed-point Black-76 the marks use (full revaluation, no Greeks
//! approximation), and `requirement` sums cached per-unit values times sizes. So a series is
//! revalued once per refresh, never per account.
use crate::black76::{self, Fp, OptionSide, ONE};
use crate::fixed::{mul_div, Rounding};
use crate::precision::{BPS_DENOMINATOR, SIZE_PRECISION};

/// Spot steps on each side of the current price.
pub const PRICE_STEPS: usize = 4;
/// Spot moves in the main grid: −range … +range in `PRICE_STEPS` steps each way.
pub const SPOT_MOVES: usize = 2 * PRICE_STEPS + 1;
/// Every main move with vol up and with vol down, then the two extreme moves at the surface vol.
pub const SCENARIOS: usize = 2 * SPOT_MOVES + 2;
/// Distinct spot moves: the main grid and the two extremes.
const MOVES: usize = SPOT_MOVES + 2;
/// The tenor at which the vol shock is the stated `vol_up_bps` / `vol_down_bps` (Deribit's 30
/// days); shorter expiries shock more, longer less.
pub const VEGA_PIVOT_SECS: u64 = 30 * 86_400;

/// Per-unit value change of one series under each scenario, relative to its value at the
/// refresh's spot and surface vol, in `SCENARIO_UNIT`s (signed).
pub type ScenarioPnl = [i64; SCENARIOS];

/// The cache's unit: a thousandth of a dollar (PRICE_PRECISION / 1,000). Coarse enough that a
/// size below 2^31 (2,147 units) times a value change below 2^32 units ($4.3M) is one native
/// 64-bit product on SBF, where a 128-bit one is a slow libcall; fine enough that a unit of
/// rounding is a tenth of a cent per contract.
pub const SCENARIO_UNIT: u64 = 1_000;

/// `value − base` (PRICE_PRECISION) in `SCENARIO_UNIT`s, rounded half away from zero
/// (unsigned division: SBF has no signed one).
fn to_cache_units(value: u64, base: u64) -> i64 {
    let magnitude = ((value.abs_diff(base) + SCENARIO_UNIT / 2) / SCENARIO_UNIT) as i64;
    if value >= base {
        magnitude
    } else {
        -magnitude
    }
}

/// Portfolio-margin parameters of a market, all in basis points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PortfolioParams {
    /// Largest spot move of the main grid (Deribit BTC: 1,600).
    pub price_range_bps: u16,
    /// Spot move of the two extreme scenarios, and the share of their loss counted (Deribit's
    /// extended table, Lyra's "extreme" scenarios).
    pub extreme_move_bps: u16,
    pub extreme_loss_share_bps: u16,
    /// Relative vol shocks at the 30-day pivot (Deribit: 5,000 up, 2,500 down) and the least
    /// vol of the up scenario (Deribit: 50%), in bps of 1.00 vol.
    pub vol_up_bps: u16,
    pub vol_down_bps: u16,
    pub min_vol_up_bps: u16,
    /// Exponents of (30 days / T) under and over the pivot (Deribit: 0.30 and 0.13).
    pub short_vega_power_bps: u16,
    pub long_vega_power_bps: u16,
    /// Per net short option of an expiry and side, in bps of spot (Deribit: 1%): so a deep
    /// out-of-the-money short is never free.
    pub short_contingency_bps: u16,
    /// Per unit of perpetual, in bps of spot (Lyra's perp static contingency): concentration in
    /// the hedge leg costs even when the options offset it.
    pub perp_contingency_bps: u16,
    /// Initial = maintenance × this (10,000 = equal).
    pub initial_factor_bps: u16,
}

/// How implied vol moves in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolMove {
    Up,
    Down,
    Flat,
}

/// One scenario of the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub spot_move_bps: i32,
    pub vol: VolMove,
    /// Counted at `extreme_loss_share_bps` of its loss.
    pub extreme: bool,
}

impl PortfolioParams {
    /// Deribit's BTC portfolio-margin set (see the module docs), the extremes at ±48% counted at
    /// a third: the markets' preset.
    pub const DERIBIT_BTC: Self = Self {
        price_range_bps: 1_600,
        extreme_move_bps: 4_800,
        extreme_loss_share_bps: 3_333,
        vol_up_bps: 5_000,
        vol_down_bps: 2_500,
        min_vol_up_bps: 5_000,
        short_vega_power_bps: 3_000,
        long_vega_power_bps: 1_300,
        short_contingency_bps: 100,
        perp_contingency_bps: 100,
        initial_factor_bps: 13_000,
    };

    pub const MAX_PRICE_RANGE_BPS: u16 = 5_000;
    pub const MAX_EXTREME_MOVE_BPS: u16 = 9_000;
    pub const MAX_VOL_SHOCK_BPS: u16 = 20_000;
    pub const MAX_MIN_VOL_UP_BPS: u16 = 30_000;
    pub const MAX_CONTINGENCY_BPS: u16 = 1_000;
    pub const MAX_INITIAL_FACTOR_BPS: u16 = 30_000;

    /// A market without a price range has no PM.
    pub fn enabled(&self) -> bool {
        self.price_range_bps > 0
    }

    /// Every bound, for an enabled set: the grid spans a real move, extremes lie beyond it,
    /// vol down never takes more than all the vol at the pivot, initial ≥ maintenance.
    pub fn is_valid(&self) -> bool {
        let bps = BPS_DENOMINATOR as u16;
        (1..=Self::MAX_PRICE_RANGE_BPS).contains(&self.price_range_bps)
            && (self.price_range_bps..=Self::MAX_EXTREME_MOVE_BPS).contains(&self.extreme_move_bps)
            && self.extreme_loss_share_bps <= bps
            && self.vol_up_bps <= Self::MAX_VOL_SHOCK_BPS
            && self.vol_down_bps <= bps
            && self.min_vol_up_bps <= Self::MAX_MIN_VOL_UP_BPS
            && self.short_vega_power_bps <= bps
            && self.long_vega_power_bps <= bps
            && self.short_contingency_bps <= Self::MAX_CONTINGENCY_BPS
            && self.perp_contingency_bps <= Self::MAX_CONTINGENCY_BPS
            && (bps..=Self::MAX_INITIAL_FACTOR_BPS).contains(&self.initial_factor_bps)
    }

    /// Whether `next` demands at least as much margin of every book as `self`: the loss share,
    /// contingencies and initial factor no lower; the grid's shape (price range, extreme move,
    /// vol shocks) and the vega powers unchanged, because the grid keeps its points and moving
    /// them can miss a book's worst loss (`a_wider_price_range_can_miss_a_short_butterflys_peak`),
    /// and a higher power shocks short expiries more but long ones less; PM neither switched on
    /// nor off.
    pub fn only_tightens(&self, next: &Self) -> bool {
        self.enabled() == next.enabled()
            && next.price_range_bps == self.price_range_bps
            && next.extreme_move_bps == self.extreme_move_bps
            && next.extreme_loss_share_bps >= self.extreme_loss_share_bps
            && next.vol_up_bps == self.vol_up_bps
            && next.vol_down_bps == self.vol_down_bps
            && next.min_vol_up_bps == self.min_vol_up_bps
            && next.short_vega_power_bps == self.short_vega_power_bps
            && next.long_vega_power_bps == self.long_vega_power_bps
            && next.short_contingency_bps >= self.short_contingency_bps
            && next.perp_contingency_bps >= self.perp_contingency_bps
            && next.initial_factor_bps >= self.initial_factor_bps
    }

    /// How far (bps) the market's price may drift from the spot a scenario cache was formed at
    /// before the cache stops counting: a quarter of a grid step (1% at Deribit's 16% range).
    /// The grid's points move with the drift, so at most this share of a step is misplaced.
    pub fn max_scenario_drift_bps(&self) -> u64 {
        u64::from(self.price_range_bps) / (4 * PRICE_STEPS as u64)
    }

    /// Scenario `index` of the grid: main moves from −range up, each with vol up then down, then
    /// the extreme down and up moves.
    pub fn scenario(&self, index: usize) -> Scenario {
        let range = i32::from(self.price_range_bps);
        if index < 2 * SPOT_MOVES {
            // Unsigned division: SBF has no signed one.
            let step = (index / 2) as i32 - PRICE_STEPS as i32;
            let magnitude = (step.unsigned_abs() * range as u32 / PRICE_STEPS as u32) as i32;
            Scenario {
                spot_move_bps: step.signum() * magnitude,
                vol: if index.is_multiple_of(2) {
                    VolMove::Up
                } else {
                    VolMove::Down
                },
                extreme: false,
            }
        } else {
            let extreme = i32::from(self.extreme_move_bps);
            Scenario {
                spot_move_bps: if index == 2 * SPOT_MOVES {
                    -extreme
                } else {
                    extreme
                },
                vol: VolMove::Flat,
                extreme: true,
            }
        }
    }
}

/// The spot after `scenario`'s move (rounded down; a move of −100% is outside the bounds).
pub fn moved_spot(params: &PortfolioParams, spot: u64, scenario: usize) -> Option<u64> {
    let factor =
        u64::try_from(BPS_DENOMINATOR as i64 + i64::from(params.scenario(scenario).spot_move_bps))
            .ok()?;
    mul_div(spot, factor, BPS_DENOMINATOR, Rounding::Down)
}

fn move_index(scenario: usize) -> usize {
    if scenario < 2 * SPOT_MOVES {
        scenario / 2
    } else {
        scenario - SPOT_MOVES
    }
}

fn bps_fp(bps: u16) -> Fp {
    (i64::from(bps) << black76::FRAC_BITS) / BPS_DENOMINATOR as i64
}

/// The grid at one spot: the moved spots and their logs, formed once per instruction (or per
/// keeper pass) and shared by every series it revalues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    pub params: PortfolioParams,
    pub spot: u64,
    /// The spot after each distinct move, and its log.
    forwards: [u64; MOVES],
    ln_forwards: [Fp; MOVES],
}

impl Grid {
    pub fn new(params: PortfolioParams, spot: u64) -> Option<Self> {
        if !params.is_valid() || spot == 0 || spot >= 1 << 62 {
            return None;
        }
        let mut forwards = [0; MOVES];
        let mut ln_forwards = [0; MOVES];
        let ln_spot = black76::ln(spot as i64)?;
        let ln_one = black76::ln(BPS_DENOMINATOR as i64)?;
        for scenario in 0..SCENARIOS {
            let index = move_index(scenario);
            let spot_move = params.scenario(scenario).spot_move_bps;
            forwards[index] = moved_spot(&params, spot, scenario)?;
            ln_forwards[index] =
                ln_spot + black76::ln(BPS_DENOMINATOR as i64 + i64::from(spot_move))? - ln_one;
        }
        Some(Self {
            params,
            spot,
            forwards,
            ln_forwards,
        })
    }

    /// (30 days / T)^power in Fp, the power by which side of the pivot T falls.
    fn vega_multiplier(&self, seconds: u64) -> Option<Fp> {
        let power = if seconds < VEGA_PIVOT_SECS {
            self.params.short_vega_power_bps
        } else {
            self.params.long_vega_power_bps
        };
        let log_ratio = black76::ln(VEGA_PIVOT_SECS as i64)? - black76::ln(seconds as i64)?;
        let x = black76::mul(log_ratio, bps_fp(power))?;
        if x <= 0 {
            black76::exp_neg(x)
        } else {
            black76::div(ONE, black76::exp_neg(-x)?)
        }
    }

    /// Revalues one series at every scenario: Black-76 at the moved forward with the shocked
    /// vol (σ√T scaled, so √T is taken once), less its value now. An expired series (T = 0)
    /// moves by its intrinsic value only.
    pub fn series_scenarios(
        &self,
        side: OptionSide,
        strike: u64,
        seconds: u64,
        vol: u64,
    ) -> Option<ScenarioPnl> {
        if strike == 0 || strike >= 1 << 62 || seconds > black76::MAX_SECONDS {
            return None;
        }
        let spot = self.spot;
        let sqrt_t = black76::sqrt_years(seconds)?;
        let sd = black76::mul(sqrt_t, black76::vol_fp(vol)?)?;
        let ln_strike = black76::ln(strike as i64)?;
        let flat = Spread::new(sd);
        let base = grid_price(
            side,
            spot,
            strike,
            black76::ln(spot as i64)? - ln_strike,
            flat,
        )?;
        let (up, down) = if flat.sd == 0 {
            (flat, flat)
        } else {
            let p = self.params;
            let m = self.vega_multiplier(seconds)?;
            let ceiling = black76::mul(sqrt_t, black76::vol_fp(black76::MAX_VOL)?)?;
            let floor = black76::mul(sqrt_t, bps_fp(p.min_vol_up_bps))?;
            let up = black76::mul(sd, ONE + black76::mul(bps_fp(p.vol_up_bps), m)?)?;
            let down_factor = (ONE - black76::mul(bps_fp(p.vol_down_bps), m)?).max(0);
            (
                Spread::new(up.max(floor).min(ceiling)),
                Spread::new(black76::mul(sd, down_factor)?),
            )
        };
        let mut pnl = [0i64; SCENARIOS];
        for (scenario, out) in pnl.iter_mut().enumerate() {
            let index = move_index(scenario);
            let spread = match self.params.scenario(scenario).vol {
                VolMove::Up => up,
                VolMove::Down => down,
                VolMove::Flat => flat,
            };
            let value = grid_price(
                side,
                self.forwards[index],
                strike,
                self.ln_forwards[index] - ln_strike,
                spread,
            )?;
            *out = to_cache_units(value, base);
        }
        Some(pnl)
    }
}

/// σ√T of one vol level and its inverse, so each of the grid's d1 is a product, not a
/// quotient. A σ√T below 2^-23 (whose inverse leaves Fp) prices as intrinsic, as σ√T = 0 does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Spread {
    sd: Fp,
    inverse: Fp,
}

impl Spread {
    fn new(sd: Fp) -> Self {
        match black76::div(ONE, sd).filter(|_| sd > 0) {
            Some(inverse) => Self { sd, inverse },
            None => Self { sd: 0, inverse: 0 },
        }
    }
}

/// Black-76 price at ln(F/K) = `x` for the grid: the marks' formula with N(x) read from
/// `CDF_TABLE`, about twenty times cheaper on SBF than the marks' rational approximation and
/// within 5e-8 of N (half a cent per unit at a $100k spot).
fn grid_price(side: OptionSide, forward: u64, strike: u64, x: Fp, spread: Spread) -> Option<u64> {
    if spread.sd == 0 {
        return Some(match side {
            OptionSide::Call => forward.saturating_sub(strike),
            OptionSide::Put => strike.saturating_sub(forward),
        });
    }
    let d1 = if x.unsigned_abs() >= 16 * spread.sd.unsigned_abs() {
        x.signum() * 16 * ONE
    } else {
        black76::mul(x, spread.inverse)? + spread.sd / 2
    };
    let d2 = d1 - spread.sd;
    Some(match side {
        OptionSide::Call => {
            black76::money(forward, cdf(d1))?.saturating_sub(black76::money(strike, cdf(d2))?)
        }
        OptionSide::Put => {
            black76::money(strike, cdf(-d2))?.saturating_sub(black76::money(forward, cdf(-d1))?)
        }
    })
}

/// Pieces of `CDF_TABLE` per unit of x (width 1/16) and the range it covers, [0, 8): beyond,
/// N is within 7e-16 of 0 or 1.
const CDF_PIECES_PER_UNIT_LOG2: u32 = 4;
const CDF_PIECES: usize = 8 << CDF_PIECES_PER_UNIT_LOG2;
/// Fraction bits of the position inside a piece.
const CDF_FRACTION_BITS: u32 = 20;

/// N(x) in Fp: the cubic Hermite piece through N and its density at the knots, in Horner form
/// on native 64-bit products (the fraction has 20 bits, every coefficient is below 2^37).
fn cdf(x: Fp) -> Fp {
    let a = x.unsigned_abs();
    let piece_shift = black76::FRAC_BITS - CDF_PIECES_PER_UNIT_LOG2;
    let piece = (a >> piece_shift) as usize;
    let upper = match CDF_TABLE.get(piece) {
        None => ONE,
        Some(c) => {
            let s =
                ((a >> (piece_shift - CDF_FRACTION_BITS)) & ((1 << CDF_FRACTION_BITS) - 1)) as i64;
            // Bounded by construction (|c| < 2^37, s < 2^20): wrapping ops skip the overflow
            // checks, which on SBF are a libcall per product.
            let mut p = c[3].wrapping_mul(s) >> CDF_FRACTION_BITS;
            p = c[2].wrapping_add(p).wrapping_mul(s) >> CDF_FRACTION_BITS;
            p = c[1].wrapping_add(p).wrapping_mul(s) >> CDF_FRACTION_BITS;
            c[0].wrapping_add(p)
        }
    };
    if x >= 0 {
        upper
    } else {
        ONE - upper
    }
}

/// e^x for x ≤ 0 at compile time: Taylor series on x/64, squared six times.
const fn exp_const(x: f64) -> f64 {
    let y = x / 64.0;
    let (mut term, mut sum, mut k) = (1.0, 1.0, 1);
    while k < 30 {
        term = term * y / k as f64;
        sum += term;
        k += 1;
    }
    let mut i = 0;
    while i < 6 {
        sum *= sum;
        i += 1;
    }
    sum
}

/// The standard normal density at compile time.
const fn pdf_const(x: f64) -> f64 {
    exp_const(-x * x / 2.0) * 0.398_942_280_401_432_7
}

/// N(x) for x ≥ 0 at compile time: Marsaglia's series 1/2 + φ(x)·Σ x^(2n+1)/(2n+1)!!, exact to
/// double precision on [0, 8].
const fn cdf_const(x: f64) -> f64 {
    let (mut term, mut sum, mut n) = (x, x, 1);
    while n < 600 {
        term = term * x * x / (2 * n + 1) as f64;
        sum += term;
        n += 1;
    }
    0.5 + pdf_const(x) * sum
}

const fn fp_const(v: f64) -> Fp {
    let scaled = v * ONE as f64;
    if scaled >= 0.0 {
        (scaled + 0.5) as i64
    } else {
        -((-scaled + 0.5) as i64)
    }
}

/// Per piece: N at its left knot and the Hermite coefficients in the piece's fraction s ∈ [0, 1),
/// from N and the density (scaled by the width) at both knots.
const CDF_TABLE: [[Fp; 4]; CDF_PIECES] = {
    let mut table = [[0; 4]; CDF_PIECES];
    let h = 1.0 / (1u64 << CDF_PIECES_PER_UNIT_LOG2) as f64;
    let mut i = 0;
    while i < CDF_PIECES {
        let x0 = i as f64 * h;
        let (y0, y1) = (cdf_const(x0), cdf_const(x0 + h));
        let (m0, m1) = (h * pdf_const(x0), h * pdf_const(x0 + h));
        table[i] = [
            fp_const(y0),
            fp_const(m0),
            fp_const(3.0 * (y1 - y0) - 2.0 * m0 - m1),
            fp_const(2.0 * (y0 - y1) + m0 + m1),
        ];
        i += 1;
    }
    table
};

/// One unsettled option position for PM: its signed size (SIZE_PRECISION), what nets it for the
/// short contingency (expiry and side), and its series' cached scenario values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PmPosition<'a> {
    pub size: i64,
    pub side: OptionSide,
    pub expiry_ts: i64,
    pub pnl: &'a ScenarioPnl,
}

/// An account's PM requirement and where it comes from, in quote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PmRequirement {
    pub maintenance: u128,
    pub initial: u128,
    /// The scenario with the worst counted loss (`PortfolioParams::scenario`), and that loss
    /// (0 when no scenario loses).
    pub worst_scenario: u8,
    pub worst_loss: u128,
    pub contingency: u128,
}

/// ⌈n / d⌉ for d > 0 by one 128-by-64 long division (SBF's u128 division is a bit loop);
/// None when the quotient leaves u64.
fn div_ceil_wide(n: u128, d: u64) -> Option<u64> {
    let (high, low) = ((n >> 64) as u64, n as u64);
    if d == 0 || high >= d {
        return None;
    }
    let (q, r) = if high == 0 {
        (low / d, low % d)
    } else {
        sbf_i128::div_128_by_64(high, low, d)
    };
    q.checked_add(u64::from(r != 0))
}

/// a·b in full for i64 a and b (SBF has no native 128-bit multiply: one 64×64 product on halves).
fn wide_product(a: i64, b: i64) -> i128 {
    let (high, low) = black76::mul_wide(a.unsigned_abs(), b.unsigned_abs());
    let magnitude = ((u128::from(high) << 64) | u128::from(low)) as i128;
    if (a < 0) != (b < 0) {
        -magnitude
    } else {
        magnitude
    }
}

/// The PM requirement of `positions` (unsettled options) and a perpetual of `perp_size` at
/// `spot`: maintenance = the worst scenario loss (extremes at their share) + contingencies.
pub fn requirement(
    params: &PortfolioParams,
    positions: &[PmPosition],
    perp_size: i64,
    spot: u64,
) -> Option<PmRequirement> {
    // Sums of size · value change, in SIZE_PRECISION · SCENARIO_UNIT. A size below 2^31 times
    // a change below 2^32 is one native product; the sums of at most 16 + 1 products below
    // 2^127 cannot wrap. Wrapping ops skip checks that cost a libcall per product on SBF.
    let mut sums = [0i128; SCENARIOS];
    for position in positions {
        let native = position.size.unsigned_abs() >> 31 == 0;
        for (sum, pnl) in sums.iter_mut().zip(position.pnl.iter()) {
            let term = if native && pnl.unsigned_abs() >> 32 == 0 {
                i128::from(position.size.wrapping_mul(*pnl))
            } else {
                wide_product(position.size, *pnl)
            };
            *sum = sum.wrapping_add(term);
        }
    }
    if perp_size != 0 {
        for (scenario, sum) in sums.iter_mut().enumerate() {
            // The perpetual's change per unit in cache units, rounded against the account.
            let moved = moved_spot(params, spot, scenario)?;
            let gain = moved >= spot;
            let change = moved.abs_diff(spot);
            let rounds_up = gain != (perp_size > 0);
            let units = if rounds_up {
                change.div_ceil(SCENARIO_UNIT)
            } else {
                change / SCENARIO_UNIT
            } as i64;
            let per_unit = if gain { units } else { -units };
            *sum = sum.wrapping_add(wide_product(perp_size, per_unit));
        }
    }
    // The worst main loss and the worst extreme loss, then one weighting each (an extreme
    // counts at its share) and one division: 128-bit products and quotients are libcalls on SBF.
    let worst_of = |range: core::ops::Range<usize>| {
        range.fold((0usize, 0i128), |(at, worst), scenario| {
            let loss = sums[scenario].wrapping_neg();
            if loss > worst {
                (scenario, loss)
            } else {
                (at, worst)
            }
        })
    };
    let (main_at, main) = worst_of(0..2 * SPOT_MOVES);
    let (extreme_at, extreme) = worst_of(2 * SPOT_MOVES..SCENARIOS);
    let main = main.checked_mul(BPS_DENOMINATOR as i128)?;
    let extreme = extreme.checked_mul(i128::from(params.extreme_loss_share_bps))?;
    let (worst_scenario, worst) = if extreme > main {
        (extreme_at, extreme)
    } else {
        (main_at, main)
    };
    let worst_loss = div_ceil_wide(
        worst as u128,
        SIZE_PRECISION / SCENARIO_UNIT * BPS_DENOMINATOR,
    )?;

    // Net short units per expiry and side, each group counted once (at its first position).
    let mut net_short = 0u64;
    for (i, position) in positions.iter().enumerate() {
        let same = |other: &PmPosition| {
            other.expiry_ts == position.expiry_ts && other.side == position.side
        };
        if positions[..i].iter().any(same) {
            continue;
        }
        let net: i128 = positions[i..]
            .iter()
            .filter(|p| same(p))
            .map(|p| i128::from(p.size))
            .sum();
        net_short = net_short.checked_add(u64::try_from((-net).max(0)).ok()?)?;
    }
    let contingency_units = u64::try_from(
        u128::from(net_short) * u128::from(params.short_contingency_bps)
            + u128::from(perp_size.unsigned_abs()) * u128::from(params.perp_contingency_bps),
    )
    .ok()?;
    let (high, low) = black76::mul_wide(contingency_units, spot);
    let contingency = div_ceil_wide(
        (u128::from(high) << 64) | u128::from(low),
        SIZE_PRECISION * BPS_DENOMINATOR,
    )?;
    let maintenance = u128::from(worst_loss).checked_add(u128::from(contingency))?;
    let initial = div_ceil_wide(
        maintenance.checked_mul(u128::from(params.initial_factor_bps))?,
        BPS_DENOMINATOR,
    )?;
    let (maintenance, initial, worst_loss, contingency) = (
        maintenance,
        u128::from(initial),
        u128::from(worst_loss),
        u128::from(contingency),
    );
    Some(PmRequirement {
        maintenance,
        initial,
        worst_scenario: worst_scenario as u8,
        worst_loss,
        contingency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::margin::{MarginModel, StandardMargin};
    use crate::margin::{MarkedPosition, OraclePrice, SeriesMark};
    use proptest::prelude::*;

    const USD: u64 = 1_000_000;
    const UNIT: i64 = SIZE_PRECISION as i64;
    const DAY: u64 = 86_400;
    const SPOT: u64 = 60_000 * USD;

    const DERIBIT_LIKE: PortfolioParams = PortfolioParams::DERIBIT_BTC;

    fn grid() -> Grid {
        Grid::new(DERIBIT_LIKE, SPOT).expect("valid")
    }

    struct Leg {
        side: OptionSide,
        strike: u64,
        days: u64,
        size: i64,
    }

    fn leg(side: OptionSide, strike_usd: u64, days: u64, size: i64) -> Leg {
        Leg {
            side,
            strike: strike_usd * USD,
            days,
            size,
        }
    }

    const VOL: u64 = 600_000;

    fn pm(legs: &[Leg], perp: i64) -> PmRequirement {
        pm_with(DERIBIT_LIKE, legs, perp)
    }

    fn pm_with(params: PortfolioParams, legs: &[Leg], perp: i64) -> PmRequirement {
        let g = Grid::new(params, SPOT).expect("valid");
        let pnls: std::vec::Vec<_> = legs
            .iter()
            .map(|l| {
                g.series_scenarios(l.side, l.strike, l.days * DAY, VOL)
                    .expect("prices")
            })
            .collect();
        let positions: std::vec::Vec<_> = legs
            .iter()
            .zip(&pnls)
            .map(|(l, pnl)| PmPosition {
                size: l.size,
                side: l.side,
                expiry_ts: (l.days * DAY) as i64,
                pnl,
            })
            .collect();
        requirement(&g.params, &positions, perp, SPOT).expect("requirement")
    }

    fn premium(l: &Leg) -> u128 {
        let price = black76::black76(l.side, SPOT, l.strike, l.days * DAY, VOL)
            .expect("prices")
            .price;
        u128::from(price) * l.size.unsigned_abs() as u128 / u128::from(SIZE_PRECISION)
    }

    fn standard_maintenance(legs: &[Leg], perp: i64) -> u128 {
        let model = StandardMargin(crate::margin::tests::params());
        let price = OraclePrice {
            price: SPOT,
            conf: 0,
        };
        let mut positions = legs.iter().map(|l| {
            let g = black76::black76(l.side, SPOT, l.strike, l.days * DAY, VOL).expect("prices");
            MarkedPosition {
                size: l.size,
                side: l.side,
                strike: l.strike,
                mark: SeriesMark {
                    price: g.price,
                    delta: g.delta,
                    vega: g.vega,
                    spot: SPOT,
                    gamma: 0,
                },
                settled: false,
            }
        });
        let health = model.health(0, &mut positions, price).expect("health");
        let perp = crate::hedge::PerpPosition {
            size: perp,
            quote_entry: i64::try_from(wide_product(perp, SPOT as i64) / UNIT as i128)
                .expect("entry"),
        };
        model
            .with_perp(health, perp, price)
            .expect("perp")
            .maintenance
    }

    use OptionSide::{Call, Put};

    /// Why a wider price range is not a tightening (`only_tightens`): the grid keeps its
    /// number of points, so widening it moves them. A short butterfly whose loss peaks at +4%
    /// (a point of the 16% grid) is judged between points of a 20% grid, and needs less.
    #[test]
    fn a_wider_price_range_can_miss_a_short_butterflys_peak() {
        let body = 62_400; // +4% on 60,000
        let legs = [
            leg(Call, body - 1_200, 2, -UNIT),
            leg(Call, body, 2, 2 * UNIT),
            leg(Call, body + 1_200, 2, -UNIT),
        ];
        let narrow = pm(&legs, 0);
        let wide = PortfolioParams {
            price_range_bps: 2_000,
            ..DERIBIT_LIKE
        };
        let coarse = pm_with(wide, &legs, 0);
        assert!(
            coarse.maintenance < narrow.maintenance,
            "{coarse:?} vs {narrow:?}"
        );
        assert!(!DERIBIT_LIKE.only_tightens(&wide));
    }

    #[test]
    fn a_long_option_needs_at_most_its_premium() {
        for l in [
            leg(Call, 60_000, 30, UNIT),
            leg(Put, 50_000, 7, 3 * UNIT),
            leg(Call, 90_000, 90, UNIT / 2),
        ] {
            let req = pm(core::slice::from_ref(&l), 0);
            // Within the cache's rounding: half a SCENARIO_UNIT per unit held.
            let rounding = l.size.unsigned_abs() as u128 / 2_000 + 1;
            assert!(
                req.maintenance <= premium(&l) + rounding,
                "{req:?} vs {}",
                premium(&l)
            );
            assert!(req.maintenance > 0);
        }
    }

    #[test]
    fn a_vertical_spread_needs_at_most_its_width() {
        // Short the 60k call, long the 66k: the most it can lose is 6k per unit.
        for (days, size) in [(7, UNIT), (30, 2 * UNIT), (90, UNIT)] {
            let legs = [
                leg(Call, 60_000, days, -size),
                leg(Call, 66_000, days, size),
            ];
            let req = pm(&legs, 0);
            let width = 6_000 * USD as u128 * size as u128 / u128::from(SIZE_PRECISION);
            assert!(req.maintenance <= width, "{days}d: {req:?} vs {width}");
            // No net short in the expiry: no contingency.
            assert_eq!(req.contingency, 0);
            let puts = [leg(Put, 54_000, days, size), leg(Put, 60_000, days, -size)];
            assert!(pm(&puts, 0).maintenance <= width);
        }
    }

    #[test]
    fn a_delta_hedged_short_straddle_needs_less_than_standard() {
        // Short a 30-day ATM straddle, its delta hedged in the perp. With Deribit's shocks (vol
        // up half again with spot 16% away) maintenance is only a little below the standard
        // rule's; the relief is at initial margin, where standard charges 15% of spot per leg.
        let legs = [
            leg(Call, 60_000, 30, -10 * UNIT),
            leg(Put, 60_000, 30, -10 * UNIT),
        ];
        let delta: i64 = legs
            .iter()
            .map(|l| {
                let g = black76::black76(l.side, SPOT, l.strike, l.days * DAY, VOL).unwrap();
                g.delta * l.size / UNIT
            })
            .sum();
        let perp = -delta;
        let pm = pm(&legs, perp).maintenance;
        let standard = standard_maintenance(&legs, perp);
        assert!(pm < standard, "maintenance: pm {pm} vs standard {standard}");
        let pm_initial = (pm * 13).div_ceil(10);
        let standard_initial = 2 * 10 * u128::from(SPOT) * 15 / 100;
        assert!(
            pm_initial * 3 < standard_initial * 2,
            "initial: pm {pm_initial} vs standard {standard_initial}"
        );
    }

    #[test]
    fn a_naked_short_never_needs_less_than_the_short_contingency() {
        // Far out of the money, a week out: the scenarios barely touch it.
        let l = leg(Call, 150_000, 7, -UNIT);
        let req = pm(core::slice::from_ref(&l), 0);
        let floor = u128::from(SPOT) / 100; // 1% of spot per unit
        assert!(req.maintenance >= floor, "{req:?}");
        assert_eq!(req.contingency, floor);
        assert_eq!(req.initial, (req.maintenance * 13).div_ceil(10));
    }

    #[test]
    fn a_short_call_loses_most_when_spot_and_vol_rise() {
        let req = pm(&[leg(Call, 60_000, 30, -UNIT)], 0);
        let s = DERIBIT_LIKE.scenario(usize::from(req.worst_scenario));
        assert_eq!(s.spot_move_bps, 1_600);
        assert_eq!(s.vol, VolMove::Up);
    }

    #[test]
    fn extreme_moves_count_at_their_share() {
        // A far put short: only the −48% extreme reaches it.
        let req = pm(&[leg(Put, 36_000, 30, -UNIT)], 0);
        assert!(
            DERIBIT_LIKE
                .scenario(usize::from(req.worst_scenario))
                .extreme
        );
        let g = grid();
        let pnl = g
            .series_scenarios(Put, 36_000 * USD, 30 * DAY, VOL)
            .unwrap();
        let loss = pnl[2 * SPOT_MOVES] as u128;
        let unit = u128::from(SIZE_PRECISION);
        assert_eq!(
            req.worst_loss,
            (loss * unit * 3_333 / 10_000).div_ceil(unit / u128::from(SCENARIO_UNIT))
        );
    }

    #[test]
    fn the_grid_normal_cdf_is_within_five_hundred_millionths() {
        let mut worst = 0.0f64;
        for i in -900_000..900_000i64 {
            let x = i * (ONE / 100_000) + i % 7; // every piece, off the knots too
            let reference = 0.5 * libm::erfc(-(x as f64 / ONE as f64) / core::f64::consts::SQRT_2);
            worst = worst.max((cdf(x) as f64 / ONE as f64 - reference).abs());
        }
        assert!(worst < 5e-8, "{worst}");
    }

    #[test]
    fn short_expiries_shock_vol_more() {
        let g = grid();
        let m7 = g.vega_multiplier(7 * DAY).unwrap() as f64 / ONE as f64;
        let m30 = g.vega_multiplier(30 * DAY).unwrap() as f64 / ONE as f64;
        let m180 = g.vega_multiplier(180 * DAY).unwrap() as f64 / ONE as f64;
        assert!((m7 - (30.0f64 / 7.0).powf(0.30)).abs() < 1e-9, "{m7}");
        assert!((m30 - 1.0).abs() < 1e-9);
        assert!((m180 - (30.0f64 / 180.0).powf(0.13)).abs() < 1e-9, "{m180}");
    }

    /// Float Black-76 (the QuantLib-checked reference in black76's tests uses the same
    /// formula) at a moved spot and vol.
    fn float_black(side: OptionSide, f: f64, k: f64, t: f64, vol: f64) -> f64 {
        let n = |x: f64| 0.5 * libm::erfc(-x / core::f64::consts::SQRT_2);
        if vol * t.sqrt() == 0.0 {
            return match side {
                Call => (f - k).max(0.0),
                Put => (k - f).max(0.0),
            };
        }
        let sd = vol * t.sqrt();
        let d1 = (f / k).ln() / sd + sd / 2.0;
        let d2 = d1 - sd;
        match side {
            Call => f * n(d1) - k * n(d2),
            Put => k * n(-d2) - f * n(-d1),
        }
    }

    proptest! {
        /// Every scenario value matches a float revaluation at the moved spot and shocked vol.
        #[test]
        fn scenario_values_are_full_revaluations(
            call in any::<bool>(),
            strike_pct in 50u64..200,
            days in 1u64..400,
            vol_pct in 10u64..200,
        ) {
            let side = if call { Call } else { Put };
            let strike = SPOT / 100 * strike_pct;
            let vol = vol_pct * 10_000;
            let g = grid();
            let pnl = g.series_scenarios(side, strike, days * DAY, vol).unwrap();
            let t = (days * DAY) as f64 / black76::SECONDS_PER_YEAR as f64;
            let (s, k, v) = (SPOT as f64, strike as f64, vol as f64 / 1e6);
            let m = if days < 30 {
                (30.0 / days as f64).powf(0.30)
            } else {
                (30.0 / days as f64).powf(0.13)
            };
            let base = float_black(side, s, k, t, v);
            for (j, value) in pnl.iter().enumerate() {
                let sc = DERIBIT_LIKE.scenario(j);
                let f = s * (1.0 + sc.spot_move_bps as f64 / 1e4);
                let shocked = match sc.vol {
                    VolMove::Up => (v * (1.0 + 0.5 * m)).clamp(0.5, 20.0),
                    VolMove::Down => v * (1.0 - 0.25 * m).max(0.0),
                    VolMove::Flat => v,
                };
                let expected = float_black(side, f, k, t, shocked) - base;
                // The grid's N is within 5e-8: two of them per price, and the base's.
                let value = *value as f64 * SCENARIO_UNIT as f64;
                prop_assert!((value - expected).abs() < 2e-7 * (s + k) + 504.0,
                    "scenario {j}: {value} vs {expected}");
            }
        }

        /// The requirement is convex in any one position's size: closing part of a position
        /// never needs more than the larger of holding it all and closing it all, which is what
        /// lets liquidation close a fraction on the strength of the full close.
        #[test]
        fn closing_part_never_raises_the_requirement_above_its_ends(
            sizes in proptest::collection::vec(-5i64..5, 3),
            perp in -3i64..3,
            fraction in 0u64..=100,
        ) {
            let at = |size: i64| {
                let legs = [
                    leg(Call, 60_000, 30, size),
                    leg(Put, 55_000, 30, sizes[1] * UNIT),
                    leg(Call, 70_000, 7, sizes[2] * UNIT),
                ];
                pm(&legs, perp * UNIT).maintenance
            };
            let held = sizes[0] * UNIT;
            let part = held - held * fraction as i64 / 100;
            prop_assert!(at(part) <= at(held).max(at(0)));
        }
    }
}
