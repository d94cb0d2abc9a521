use anchor_lang::prelude::*;

use crate::error::OrOverflow;
use crate::error::VaultError;
use crate::math::black76::OptionSide;
use crate::math::fixed::Rounding;
use crate::math::hedge::{NetVegaGamma, PerpPosition};
use crate::math::margin::{
    product, Exposure, Health, MarginModel, OraclePrice as MarginPrice, SeriesMark,
};
use crate::math::portfolio::{requirement, PmPosition, ScenarioPnl, SCENARIOS};
use crate::math::precision::{
    collateral_to_quote, quote_to_collateral, DELTA_PRECISION, SIZE_PRECISION,
};
use crate::math::shares::lp_band;
use crate::oracle::OraclePrice;
use crate::state::{
    MarginAccount, MarkRegistry, Market, MarketExposure, PerpState, SeriesBook, Vault,
};

fn margin_price(price: &OraclePrice) -> MarginPrice {
    MarginPrice {
        price: price.price,
        conf: price.conf,
    }
}

/// The vault's positions in one market valued from the book's cached marks: mid mark value,
/// initial margin (standard rule, conservative prices) and how long the marks stay fresh. Money
/// is converted to collateral units here, rounding against the LPs.
pub fn market_exposure(
    book: &SeriesBook,
    market: &Market,
    conf_multiplier_bps: u16,
    price: &OraclePrice,
    collateral_decimals: u8,
) -> Result<MarketExposure> {
    market_exposure_with(
        book,
        market,
        conf_multiplier_bps,
        price,
        collateral_decimals,
        vault_exposure(book)?,
    )
}

/// `market_exposure` with the vault's delta and vega sums already in hand (`vault_exposure` of
/// this book, as a trade or a hedge computes them for its caps): one pass over the book fewer.
pub fn market_exposure_with(
    book: &SeriesBook,
    market: &Market,
    conf_multiplier_bps: u16,
    price: &OraclePrice,
    collateral_decimals: u8,
    exposure: Exposure,
) -> Result<MarketExposure> {
    let mut mark_value: i128 = 0;
    let mut valid_until = i64::MAX;
    let mut next_expiry_ts = i64::MAX;
    let max_age = i64::from(market.risk.marks_max_age_secs);
    for series in book.series.iter() {
        let size = series.vault_position().or_overflow()?;
        if size == 0 {
            continue;
        }
        let per_unit = series.mark().price_at(price.price);
        // A product of two 64-bit values cannot overflow i128; the sum is checked.
        mark_value = mark_value
            .checked_add(product(size, i64::try_from(per_unit).ok().or_overflow()?))
            .or_overflow()?;
        if !series.is_settled() {
            // A settled series' mark is its final intrinsic value: it never goes stale.
            valid_until = valid_until.min(series.mark_ts.saturating_add(max_age));
            next_expiry_ts = next_expiry_ts.min(series.expiry_ts);
        }
    }
    // One division for the whole book (sizes carry SIZE_PRECISION).
    let mut mark_value = mark_value / i128::from(SIZE_PRECISION);
    let model = market.margin_model(conf_multiplier_bps);
    let mut health = model
        .health(0, &mut book.vault_positions(), margin_price(price))
        .or_overflow()?;
    let hedge = book.vault_hedge.get();
    if !book.vault_hedge.is_flat() {
        // The perpetual is valued at this price: fresh for as long as a mark would be.
        mark_value = mark_value
            .checked_add(i128::from(hedge.value(price.price).or_overflow()?))
            .or_overflow()?;
        health = model
            .with_perp(health, hedge, margin_price(price))
            .or_overflow()?;
        valid_until = valid_until.min(price.publish_time.saturating_add(max_age));
    }
    let to_collateral = |quote: u128, rounding| {
        u64::try_from(quote)
            .ok()
            .and_then(|q| quote_to_collateral(q, collateral_decimals, rounding))
            .or_overflow()
    };
    let magnitude = to_collateral(
        mark_value.unsigned_abs(),
        if mark_value < 0 {
            Rounding::Up
        } else {
            Rounding::Down
        },
    )?;
    let magnitude = i64::try_from(magnitude).ok().or_overflow()?;
    let (dollar_delta, _) = exposure.in_quote(price.price).or_overflow()?;
    let lp_band = lp_band(dollar_delta, market.risk.lp_price_band_bps).or_overflow()?;
    Ok(MarketExposure {
        mark_value: if mark_value < 0 {
            -magnitude
        } else {
            magnitude
        },
        initial_margin: to_collateral(health.initial, Rounding::Up)?,
        valid_until,
        lp_band: to_collateral(u128::from(lp_band), Rounding::Up)?,
        // Only a price the market recorded is the slot's price (`oracle::read_market_price`).
        priced_slot: if price.publish_time != 0 && price.publish_time == market.last_publish_time {
            market.last_price_slot
        } else {
            0
        },
        next_expiry_ts,
        price_valid_until: price
            .publish_time
            .saturating_add(i64::from(market.oracle.max_age_secs)),
    })
}

/// The extra LP band NAV reads need now: zero when every market holding positions was valued
/// at this slot's accepted price before any expiry passed (read from `Vault` alone); otherwise,
/// given the registry, the worse side of each market whose value now is not known
/// (`MarkRegistry::lp_band_at`), and `MarksNotCurrent` for a market that can be re-marked in
/// this transaction but was not. LP flows are priced at marks of this slot's accepted price
/// (SECURITY.md, "LP flows"), so an LP cannot buy at marks an adversary left old and redeem at
/// new ones; one broken market never freezes LP flows in the others.
pub fn lp_stale_band(
    vault: &Account<Vault>,
    registry: Option<&AccountLoader<MarkRegistry>>,
) -> Result<u64> {
    if vault.marks_valid_until == i64::MAX {
        return Ok(0);
    }
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    if vault.marks_are_fresh(now)
        && vault.marks_priced_slot == clock.slot
        && now < vault.next_expiry_ts
    {
        return Ok(0);
    }
    let missing = if vault.marks_are_fresh(now) {
        VaultError::MarksNotCurrent
    } else {
        VaultError::MarksStale
    };
    let registry = registry.ok_or(missing)?.load()?;
    require_keys_eq!(registry.vault, vault.key(), VaultError::WrongMarkRegistry);
    Ok(registry.lp_band_at(now, clock.slot)?)
}

/// Records one market's exposure and refreshes the vault's NAV inputs from the registry.
pub fn sync_registry(
    vault: &mut Vault,
    registry: &mut MarkRegistry,
    market_index: u16,
    exposure: MarketExposure,
) -> Result<()> {
    let slot = registry
        .markets
        .get_mut(usize::from(market_index))
        .ok_or(VaultError::WrongMarket)?;
    *slot = exposure;
    let totals = registry.totals(vault.market_count).or_overflow()?;
    vault.options_value = totals.mark_value;
    vault.locked_liability = totals.initial_margin;
    vault.marks_valid_until = totals.valid_until;
    vault.marks_priced_slot = totals.priced_slot;
    vault.next_expiry_ts = totals.next_expiry_ts;
    vault.lp_nav_band = totals.lp_band;
    Ok(())
}

/// The vault's unscaled vega and dollar-gamma sums (size · per-unit, as `margin::Exposure`
/// keeps delta and vega) over a set of its series: one expiry for inventory pricing, which
/// leans on the traded expiry's book as Lyra's skew ratios moved per expiry, or the whole
/// market for the option-hedge rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VegaGammaSums {
    pub size_vega: i128,
    pub size_gamma: i128,
}

impl VegaGammaSums {
    /// These sums plus `size` of a series with `series`' marks (size < 0 removes).
    pub fn add(self, size: i64, series: &crate::state::Series) -> Option<Self> {
        Some(Self {
            size_vega: self
                .size_vega
                .checked_add(product(size, i64::try_from(series.mark_vega).ok()?))?,
            size_gamma: self
                .size_gamma
                .checked_add(product(size, i64::try_from(series.mark_gamma).ok()?))?,
        })
    }

    /// Net vega per vol point and net dollar gamma per 1% move (quote), toward zero.
    pub fn in_quote(&self) -> NetVegaGamma {
        let size_precision = i128::from(crate::math::precision::SIZE_PRECISION);
        // Vega per 1.00 of vol → per vol point, as `Exposure::in_quote`.
        NetVegaGamma {
            vega: self.size_vega / (size_precision * 100),
            gamma: self.size_gamma / size_precision,
        }
    }
}

/// `vault_exposure` and, in the same pass over the book, the vault's `VegaGammaSums` over the
/// series whose expiry `counted` accepts.
fn vault_exposure_and_sums(
    book: &SeriesBook,
    counted: impl Fn(i64) -> bool,
) -> Result<(Exposure, VegaGammaSums)> {
    let (mut options, mut sums) = (Exposure::default(), VegaGammaSums::default());
    for series in book.series.iter() {
        let size = series.vault_position().or_overflow()?;
        if size == 0 {
            continue;
        }
        options = options.add(size, &series.mark()).or_overflow()?;
        if counted(series.expiry_ts) {
            sums = sums.add(size, series).or_overflow()?;
        }
    }
    Ok((with_hedge_delta(options, &book.vault_hedge)?, sums))
}

/// `vault_exposure` and the vault's vega and gamma sums in the expiry `expiry_ts`.
pub fn vault_exposure_and_expiry(
    book: &SeriesBook,
    expiry_ts: i64,
) -> Result<(Exposure, VegaGammaSums)> {
    vault_exposure_and_sums(book, |expiry| expiry == expiry_ts)
}

/// `vault_exposure` and the vault's vega and gamma sums across the market.
pub fn vault_exposure_and_vega_gamma(book: &SeriesBook) -> Result<(Exposure, VegaGammaSums)> {
    vault_exposure_and_sums(book, |_| true)
}

/// `exposure` plus the vault's perpetual: one unit of delta per unit of size, no vega. Here, not
/// in `hedge`, so the exposure pass needs nothing of the hedge venue (which builds on it).
pub fn with_hedge_delta(exposure: Exposure, vault_side: &PerpState) -> Result<Exposure> {
    let unit = SeriesMark {
        delta: DELTA_PRECISION,
        ..SeriesMark::default()
    };
    exposure.add(vault_side.size, &unit).or_overflow()
}

/// The vault's unscaled delta and vega sums in one market, options and hedge (see
/// `margin::Exposure`).
pub fn vault_exposure(book: &SeriesBook) -> Result<Exposure> {
    let options = Exposure::of(&mut book.vault_positions()).or_overflow()?;
    with_hedge_delta(options, &book.vault_hedge)
}

/// One market an account's health reads: its index and parameters, its book and the price it
/// accepted.
#[derive(Clone, Copy)]
pub struct MarketContext<'a> {
    pub market: &'a Market,
    pub book: &'a SeriesBook,
    pub price: OraclePrice,
}

/// Health of a margin account that holds nothing outside `market`: options and (for a hedge
/// provider) its perpetual. Every option position's mark must be fresh. An account with
/// positions in other markets needs `account_health_across` and those markets' accounts
/// (`MarketAccountsMissing`).
pub fn account_health(
    account: &MarginAccount,
    book: &SeriesBook,
    market: &Market,
    conf_multiplier_bps: u16,
    price: &OraclePrice,
    collateral_decimals: u8,
    now: i64,
) -> Result<Health> {
    account_health_with_perp(
        account,
        account.hedge.get(),
        book,
        market,
        conf_multiplier_bps,
        price,
        collateral_decimals,
        now,
    )
}

/// `account_health` with `perp` in place of the account's own perpetual (a provider's position
/// after a fill it has offered).
#[allow(clippy::too_many_arguments)]
pub fn account_health_with_perp(
    account: &MarginAccount,
    perp: PerpPosition,
    book: &SeriesBook,
    market: &Market,
    conf_multiplier_bps: u16,
    price: &OraclePrice,
    collateral_decimals: u8,
    now: i64,
) -> Result<Health> {
    let this = MarketContext {
        market,
        book,
        price: *price,
    };
    account_health_across(
        account,
        perp,
        &this,
        &[],
        conf_multiplier_bps,
        collateral_decimals,
        now,
    )
}

/// `account_health` with the account's position in `series_index` at each of `sizes` (what-ifs;
/// nothing written), collateral unchanged. Under the standard rule a position's part of health
/// is its own, so the account is valued once without the series and each size adds its part:
/// one pass for any number of sizes. Portfolio margin nets positions, so it revalues the whole
/// account per size. `TooManyPositions` when a new position would not fit.
#[allow(clippy::too_many_arguments)]
pub fn account_health_at_sizes<const N: usize>(
    account: &MarginAccount,
    series_index: u8,
    sizes: [i64; N],
    book: &SeriesBook,
    market: &Market,
    conf_multiplier_bps: u16,
    price: &OraclePrice,
    collateral_decimals: u8,
    now: i64,
) -> Result<[Health; N]> {
    let health_of = |account: &MarginAccount| {
        account_health(
            account,
            book,
            market,
            conf_multiplier_bps,
            price,
            collateral_decimals,
            now,
        )
    };
    let mut out = [Health::default(); N];
    if account.is_portfolio() && market.risk.portfolio().enabled() {
        let current = account.position_size(market.index, series_index);
        for (health, size) in out.iter_mut().zip(sizes) {
            if size == current {
                *health = health_of(account)?;
                continue;
            }
            let mut filled = *account;
            require!(
                filled.set_position(market.index, series_index, size),
                VaultError::TooManyPositions
            );
            *health = health_of(&filled)?;
        }
        return Ok(out);
    }
    let mut without = *account;
    without.set_position(market.index, series_index, 0);
    let full = usize::from(without.position_count) >= MarginAccount::MAX_POSITIONS;
    require!(
        !full || sizes.iter().all(|&size| size == 0),
        VaultError::TooManyPositions
    );
    let base = health_of(&without)?;
    let series = book
        .series
        .get(usize::from(series_index))
        .ok_or(VaultError::WrongMarket)?;
    require!(
        series.is_settled() || series.mark_is_fresh(now, market.risk.marks_max_age_secs),
        VaultError::MarksStale
    );
    let parts = market
        .margin_model(conf_multiplier_bps)
        .each_alone(sizes.map(|size| series.marked(size)), margin_price(price))
        .or_overflow()?;
    for (health, part) in out.iter_mut().zip(parts) {
        *health = base.checked_add(part).or_overflow()?;
    }
    Ok(out)
}

/// Health of a margin account across markets: one collateral balance, and per market its
/// options (and, in its hedge market, its perpetual) under the account's rule. Standard margin
/// sums each market's requirements; portfolio margin sums each market's worst loss, with no
/// offset between underlyings. Every market the account holds anything in must be `this` or
/// among `others` (`MarketAccountsMissing`).
pub fn account_health_across(
    account: &MarginAccount,
    perp: PerpPosition,
    this: &MarketContext,
    others: &[MarketContext],
    conf_multiplier_bps: u16,
    collateral_decimals: u8,
    now: i64,
) -> Result<Health> {
    let perp_held = perp.size != 0 || perp.quote_entry != 0;
    let collateral = collateral_to_quote(account.collateral, collateral_decimals, Rounding::Down)
        .or_overflow()?;
    let mut total = Health {
        equity: i128::from(collateral),
        ..Health::default()
    };
    // Every position and the perpetual must fall in a market read here: counted as the
    // markets are valued, so a market left out cannot hide a loss.
    let (mut seen, mut perp_seen) = (0usize, !perp_held);
    for context in core::iter::once(this).chain(others.iter()) {
        let index = context.market.index;
        let perp_here = perp_held && account.hedge_market_index == index;
        perp_seen |= perp_here;
        let here = if perp_here {
            perp
        } else {
            PerpPosition::default()
        };
        let (part, positions) = market_health(account, here, context, conf_multiplier_bps, now)?;
        seen += positions;
        total = total.checked_add(part).or_overflow()?;
    }
    require!(
        perp_seen && seen == usize::from(account.position_count),
        VaultError::MarketAccountsMissing
    );
    Ok(total)
}

/// One market's part of an account's health, collateral aside: its options in that market at
/// fresh marks and its perpetual there, under the standard rule or portfolio margin; and how
/// many positions it counted.
fn market_health(
    account: &MarginAccount,
    perp: PerpPosition,
    context: &MarketContext,
    conf_multiplier_bps: u16,
    now: i64,
) -> Result<(Health, usize)> {
    let (market, book, price) = (context.market, context.book, &context.price);
    let mut count = 0;
    for position in account.positions_in(market.index) {
        let series = book
            .series
            .get(usize::from(position.series_index))
            .ok_or(VaultError::WrongMarket)?;
        require!(
            series.is_settled() || series.mark_is_fresh(now, market.risk.marks_max_age_secs),
            VaultError::MarksStale
        );
        count += 1;
    }
    if count == 0 && perp.size == 0 && perp.quote_entry == 0 {
        return Ok((Health::default(), 0));
    }
    let mut positions = account
        .positions_in(market.index)
        .map(|p| book.series[usize::from(p.series_index)].marked(p.size));
    let model = market.margin_model(conf_multiplier_bps);
    let params = market.risk.portfolio();
    // A market that switched PM off holds its PM accounts to the standard rule.
    let portfolio = account.is_portfolio() && params.enabled();
    let health = if portfolio {
        model.equity_only(0, &mut positions, margin_price(price))
    } else {
        model.health(0, &mut positions, margin_price(price))
    }
    .and_then(|health| model.with_perp(health, perp, margin_price(price)))
    .or_overflow()?;
    if !portfolio {
        return Ok((health, count));
    }
    // Equity is the standard rule's (marks at the risky end of the oracle interval); the
    // requirements are the scenario grid's.
    let list = PmList::of(account, book, market, price.price, now)?;
    let pm = requirement(&params, list.positions(), perp.size, price.price).or_overflow()?;
    Ok((
        Health {
            initial: pm.initial,
            maintenance: pm.maintenance,
            ..health
        },
        count,
    ))
}

/// An account's unsettled positions as the PM requirement reads them, with the account slot
/// each came from (liquidation closes by slot). Every one's scenario cache must be fresh.
pub struct PmList<'a> {
    entries: [PmPosition<'a>; MarginAccount::MAX_POSITIONS],
    pub slots: [u8; MarginAccount::MAX_POSITIONS],
    pub len: usize,
}

static NO_PNL: ScenarioPnl = [0; SCENARIOS];

impl<'a> PmList<'a> {
    /// The account's positions in `market`, judged at `spot`.
    pub fn of(
        account: &MarginAccount,
        book: &'a SeriesBook,
        market: &Market,
        spot: u64,
        now: i64,
    ) -> Result<Self> {
        let max_age_secs = market.risk.marks_max_age_secs;
        let max_drift_bps = market.risk.portfolio().max_scenario_drift_bps();
        let empty = PmPosition {
            size: 0,
            side: OptionSide::Call,
            expiry_ts: 0,
            pnl: &NO_PNL,
        };
        let mut list = Self {
            entries: [empty; MarginAccount::MAX_POSITIONS],
            slots: [0; MarginAccount::MAX_POSITIONS],
            len: 0,
        };
        for (slot, position) in account.positions.iter().enumerate() {
            if !position.is_in(market.index) {
                continue;
            }
            let series = &book.series[usize::from(position.series_index)];
            if series.is_settled() {
                continue;
            }
            require!(
                series.scenarios_are_fresh(now, max_age_secs, spot, max_drift_bps),
                VaultError::ScenariosStale
            );
            list.entries[list.len] = PmPosition {
                size: position.size,
                side: series.option_side(),
                expiry_ts: series.expiry_ts,
                pnl: &series.scenario_pnl,
            };
            list.slots[list.len] = slot as u8;
            list.len += 1;
        }
        Ok(list)
    }

    pub fn positions(&self) -> &[PmPosition<'a>] {
        &self.entries[..self.len]
    }

    pub fn positions_mut(&mut self) -> &mut [PmPosition<'a>] {
        &mut self.entries[..self.len]
    }
}
