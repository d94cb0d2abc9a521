//! The liquidation engine over the account types, apart from account loading and CPIs
//! (`instructions/liquidate.rs` keeps load → validate → these → transfers → event): which units
//! to close (`plan`), closing them and tallying the money (`close_positions`), what the account
//! pays and who receives the penalty (`pay`), and the vault's books (`book`).
use anchor_lang::prelude::*;

use super::hedge as venue;
use crate::error::{OrOverflow, VaultError};
use crate::math::fixed::{apply_bps, Rounding};
use crate::math::margin::{
    amount_for, liquidation_target, units_to_close, Health, OraclePrice as MarginPrice,
};
use crate::math::portfolio::requirement;
use crate::math::precision::{quote_to_collateral, SIZE_PRECISION};
use crate::oracle::OraclePrice;
use crate::state::{MarginAccount, MarkRegistry, Market, Series, SeriesBook, Vault, VaultParams};

use super::markets::OtherMarketParams;
use super::PmList;

/// What one liquidation will close, decided before anything moves.
pub struct LiquidationPlan {
    /// Equity below zero: every position closes at mark, no penalty, never taken over.
    pub bankrupt: bool,
    /// The liquidator's margin account takes the shorts over (else the vault absorbs them).
    pub takeover: bool,
    /// Longs are sold to the vault: the account cannot pay for its shorts, or is bankrupt.
    pub sell_longs: bool,
    /// Penalty per unit of underlying closed (quote, PRICE_PRECISION).
    pub penalty_per_unit: u64,
    /// Units of each short to close, indexed like `MarginAccount::positions`.
    pub shorts: [u64; MarginAccount::MAX_POSITIONS],
    /// Units of the hedge perpetual to close.
    pub perp_units: u64,
}

/// Money of one liquidation, in collateral units, before it moves.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Tally {
    /// Owed by the account: marks of its shorts closed or taken over, and penalties.
    pub owed: u64,
    /// Marks of those shorts: to the vault's LP assets, or on takeover to the liquidator.
    pub short_marks: u64,
    /// Marks of longs sold to the vault: out of LP assets, to the account.
    pub long_marks: u64,
    pub penalty: u64,
    /// Realised PnL of a perpetual closed whole: owed to the vault, or paid by it.
    pub perp_loss: u64,
    pub perp_gain: u64,
    pub units: u64,
    pub touched: u8,
}

impl Tally {
    /// Another market's closures of the same liquidation, added in.
    pub fn merge(&mut self, other: &Tally) -> Result<()> {
        let add = |a: u64, b: u64| a.checked_add(b).or_overflow();
        self.owed = add(self.owed, other.owed)?;
        self.short_marks = add(self.short_marks, other.short_marks)?;
        self.long_marks = add(self.long_marks, other.long_marks)?;
        self.penalty = add(self.penalty, other.penalty)?;
        self.perp_loss = add(self.perp_loss, other.perp_loss)?;
        self.perp_gain = add(self.perp_gain, other.perp_gain)?;
        self.units = add(self.units, other.units)?;
        self.touched = self.touched.saturating_add(other.touched);
        Ok(())
    }
}

/// An account is liquidated as a whole, across its markets. When it cannot pay for the shorts
/// this liquidation closes, its longs in every other market (`others`, checked by
/// `markets::load_other_markets`, over the books in `remaining`) are sold to the vault at their
/// marks as well, and when it is bankrupt everything there closes at mark: no position stays
/// with the owner while a shortfall falls on the insurance fund or the LPs. No penalty is
/// charged there, and each market's registry entry is re-synced at its price.
#[allow(clippy::too_many_arguments)]
pub fn close_elsewhere(
    margin: &mut MarginAccount,
    remaining: &[AccountInfo],
    others: &[OtherMarketParams],
    plan: &LiquidationPlan,
    vault: &mut Vault,
    registry: &mut MarkRegistry,
) -> Result<Tally> {
    let mut tally = Tally::default();
    if !plan.sell_longs {
        return Ok(tally);
    }
    let decimals = vault.collateral_decimals;
    let size = core::mem::size_of::<SeriesBook>();
    for (other, triple) in others.iter().zip(remaining.chunks(3)) {
        let index = other.market.index;
        if !margin.open_positions().any(|p| p.is_in(index)) {
            continue;
        }
        let mut data = triple[1].try_borrow_mut_data()?;
        let book = bytemuck::from_bytes_mut::<SeriesBook>(&mut data[8..8 + size]);
        let closing = LiquidationPlan {
            bankrupt: plan.bankrupt,
            takeover: false,
            sell_longs: true,
            penalty_per_unit: 0,
            shorts: if plan.bankrupt {
                Closures::everything(margin, index).shorts
            } else {
                [0; MarginAccount::MAX_POSITIONS]
            },
            perp_units: 0,
        };
        let payable = vault.lp_assets.saturating_sub(tally.long_marks);
        let closed = close_positions(
            margin,
            index,
            book,
            None,
            &closing,
            other.price.price,
            decimals,
            payable,
        )?;
        tally.merge(&closed)?;
        let exposure = super::market_exposure(
            book,
            &other.market,
            vault.params.conf_multiplier_bps,
            &other.price,
            decimals,
        )?;
        super::sync_registry(vault, registry, index, exposure)?;
    }
    Ok(tally)
}

/// What the account paid, what it could not, and where the penalty goes.
#[derive(Debug, PartialEq, Eq)]
pub struct Payment {
    pub paid: u64,
    /// Owed but unpaid: penalties are waived out of it first, the rest is bad debt.
    pub shortfall: u64,
    /// The penalty actually charged.
    pub penalty: u64,
    pub bad_debt: u64,
    pub liquidator_fee: u64,
    pub insurance_fee: u64,
}

/// The penalty per unit of closing a short in `series`: none once it is settled, since closing
/// it then frees no margin (it is only its intrinsic value, which `settle_position` would pay).
fn penalty_on(series: &Series, penalty_per_unit: u64) -> u64 {
    if series.is_settled() {
        0
    } else {
        penalty_per_unit
    }
}

fn to_collateral(quote: u64, decimals: u8, rounding: Rounding) -> Result<u64> {
    quote_to_collateral(quote, decimals, rounding).or_overflow()
}

/// Which units of which short, then of the perpetual, to close until equity is back at the
/// target (`math::margin::liquidation_target`, on the account's own requirement: standard or
/// portfolio); everything when bankrupt.
#[allow(clippy::too_many_arguments)]
pub fn plan(
    margin: &MarginAccount,
    book: &SeriesBook,
    market: &Market,
    before: &Health,
    price: &OraclePrice,
    params: &VaultParams,
    decimals: u8,
    takeover: bool,
    now: i64,
) -> Result<LiquidationPlan> {
    let bankrupt = before.equity < 0;
    let penalty_per_unit = if bankrupt {
        0
    } else {
        apply_bps(
            price.price,
            u64::from(params.liquidation_penalty_bps),
            Rounding::Up,
        )
        .or_overflow()?
    };
    let closures = if bankrupt {
        Closures::everything(margin, market.index)
    } else if margin.is_portfolio() && market.risk.portfolio().enabled() {
        portfolio_closures(
            margin,
            book,
            market,
            before,
            price.price,
            penalty_per_unit,
            now,
        )?
    } else {
        standard_closures(
            margin,
            book,
            market,
            before,
            price,
            params,
            penalty_per_unit,
        )?
    };

    let mut short_cost = 0u64;
    for (slot, &units) in closures.shorts.iter().enumerate() {
        if units == 0 {
            continue;
        }
        let series = &book.series[usize::from(margin.positions[slot].series_index)];
        let mark = series.mark().price_at(price.price);
        let per_unit = mark
            .checked_add(penalty_on(series, penalty_per_unit))
            .or_overflow()?;
        short_cost = amount_for(per_unit, units, Rounding::Up)
            .and_then(|quote| quote_to_collateral(quote, decimals, Rounding::Up))
            .and_then(|cost| short_cost.checked_add(cost))
            .or_overflow()?;
    }
    let perp = margin.hedge.get();
    let perp_units = closures.perp_units;
    if perp_units > 0 {
        let penalty = amount_for(penalty_per_unit, perp_units, Rounding::Up)
            .and_then(|quote| quote_to_collateral(quote, decimals, Rounding::Up))
            .or_overflow()?;
        let loss = if perp_units == perp.size.unsigned_abs() {
            let value = perp.value(price.price).or_overflow()?;
            quote_to_collateral(value.min(0).unsigned_abs(), decimals, Rounding::Up)
                .or_overflow()?
        } else {
            0
        };
        short_cost = short_cost.checked_add(penalty + loss).or_overflow()?;
    }
    // Longs are sold to the vault when the account cannot pay for its shorts (or is bankrupt);
    // a takeover needs an account that can pay, so it falls back to the vault otherwise.
    let sell_longs = bankrupt || short_cost > margin.collateral;
    Ok(LiquidationPlan {
        bankrupt,
        takeover: takeover && !bankrupt && !sell_longs,
        sell_longs,
        penalty_per_unit,
        shorts: closures.shorts,
        perp_units,
    })
}

/// Units of each short (by account slot) and of the perpetual a liquidation closes.
pub struct Closures {
    pub shorts: [u64; MarginAccount::MAX_POSITIONS],
    pub perp_units: u64,
}

impl Closures {
    /// Every short in market `market_index`, and the perpetual if it lives there.
    fn everything(margin: &MarginAccount, market_index: u16) -> Self {
        let mut shorts = [0u64; MarginAccount::MAX_POSITIONS];
        for (units, position) in shorts.iter_mut().zip(margin.positions.iter()) {
            if position.is_in(market_index) {
                *units = position.size.min(0).unsigned_abs();
            }
        }
        Self {
            shorts,
            perp_units: perp_here(margin, market_index).size.unsigned_abs(),
        }
    }
}

/// The account's perpetual if it lives in market `market_index` (flat otherwise).
fn perp_here(margin: &MarginAccount, market_index: u16) -> crate::math::hedge::PerpPosition {
    if margin.hedge_market_index == market_index {
        margin.hedge.get()
    } else {
        Default::default()
    }
}

impl Closures {}

/// The deficit below the target, in quote.
fn deficit_of(health: &Health) -> u128 {
    (liquidation_target(health) as i128 - health.equity).max(0) as u128
}

/// Standard rule: each short's requirement is its own, so the relief of closing a unit is the
/// blended per-unit requirement; shorts close in slot order, then the perpetual.
fn standard_closures(
    margin: &MarginAccount,
    book: &SeriesBook,
    market: &Market,
    before: &Health,
    price: &OraclePrice,
    params: &VaultParams,
    penalty_per_unit: u64,
) -> Result<Closures> {
    let model = market.margin_model(params.conf_multiplier_bps);
    let spot = MarginPrice {
        price: price.price,
        conf: price.conf,
    };
    let mut deficit = deficit_of(before);
    let mut shorts = [0u64; MarginAccount::MAX_POSITIONS];
    for (slot, position) in margin.positions.iter().enumerate() {
        if !position.is_in(market.index) || position.size >= 0 || deficit == 0 {
            continue;
        }
        let series = &book.series[usize::from(position.series_index)];
        let held = position.size.unsigned_abs();
        shorts[slot] = if series.is_settled() {
            held
        } else {
            let (initial, maintenance) = model
                .short_requirements_per_unit(series.option_side(), series.strike, spot)
                .or_overflow()?;
            let relief = initial / 2 + maintenance / 2;
            let units = units_to_close(deficit, relief, penalty_per_unit, held);
            let freed = u128::from(relief.saturating_sub(penalty_per_unit)) * u128::from(units)
                / u128::from(SIZE_PRECISION);
            deficit = deficit.saturating_sub(freed);
            units
        };
    }
    let perp_held = perp_here(margin, market.index).size.unsigned_abs();
    let perp_units = if perp_held == 0 || deficit == 0 {
        0
    } else {
        let blended_bps = (u64::from(market.risk.perp_initial_bps)
            + u64::from(market.risk.perp_maintenance_bps))
            / 2;
        let relief = apply_bps(price.price, blended_bps, Rounding::Down).or_overflow()?;
        units_to_close(deficit, relief, penalty_per_unit, perp_held)
    };
    Ok(Closures { shorts, perp_units })
}

/// Portfolio margin: the requirement belongs to the whole book, so each candidate (shorts in
/// slot order, then the perpetual) is judged by the requirement with it closed in full. A
/// closure that would not lower the requirement is skipped: closing the short leg of a hedge
/// must never make the account riskier. Otherwise the units close pro rata to the deficit;
/// the requirement is convex in one position's size (a max of sums that are linear in it), so
/// a part closed frees at least its share of the full closure's relief and never raises the
/// requirement. After each closure the requirement is recomputed exactly.
fn portfolio_closures(
    margin: &MarginAccount,
    book: &SeriesBook,
    market: &Market,
    before: &Health,
    spot: u64,
    penalty_per_unit: u64,
    now: i64,
) -> Result<Closures> {
    let params = market.risk.portfolio();
    let mut list = PmList::of(margin, book, market, spot, now)?;
    let perp = perp_here(margin, market.index).size;
    // `before` sums every market the account holds; only this market's part moves here, the
    // rest is a constant.
    let here = requirement(&params, list.positions(), perp, spot).or_overflow()?;
    let others = (
        before.initial.saturating_sub(here.initial),
        before.maintenance.saturating_sub(here.maintenance),
    );
    let blended = |list: &PmList, perp: i64| -> Result<u128> {
        let pm = requirement(&params, list.positions(), perp, spot).or_overflow()?;
        Ok((pm.initial + others.0 + pm.maintenance + others.1).div_ceil(2))
    };
    let mut shorts = [0u64; MarginAccount::MAX_POSITIONS];
    let mut equity = before.equity;
    let mut target = liquidation_target(before);
    // Settled shorts are fixed liabilities with no requirement: they close whole, no penalty.
    for (slot, position) in margin.positions.iter().enumerate() {
        if position.is_in(market.index)
            && position.size < 0
            && book.series[usize::from(position.series_index)].is_settled()
        {
            shorts[slot] = position.size.unsigned_abs();
        }
    }
    let penalty_of = |units: u64| -> i128 {
        i128::from(amount_for(penalty_per_unit, units, Rounding::Up).unwrap_or(u64::MAX))
    };
    for index in 0..list.len {
        let held = list.positions()[index].size;
        if held >= 0 || equity >= target as i128 {
            continue;
        }
        list.positions_mut()[index].size = 0;
        let closed_whole = blended(&list, perp)?;
        list.positions_mut()[index].size = held;
        if closed_whole >= target {
            continue;
        }
        let units = closing_units(target, closed_whole, equity, penalty_per_unit, held)?;
        list.positions_mut()[index].size = held + units as i64;
        target = blended(&list, perp)?;
        equity = equity.checked_sub(penalty_of(units)).or_overflow()?;
        shorts[usize::from(list.slots[index])] = units;
    }
    let mut perp_units = 0;
    if perp != 0 && equity < target as i128 {
        let closed_whole = blended(&list, 0)?;
        if closed_whole < target {
            perp_units = closing_units(target, closed_whole, equity, penalty_per_unit, perp)?;
        }
    }
    Ok(Closures { shorts, perp_units })
}

/// Units of a position of `held` (signed) to close when closing it whole takes the blended
/// requirement from `now` to `closed_whole`: `units_to_close` on the pro-rata relief.
fn closing_units(
    now: u128,
    closed_whole: u128,
    equity: i128,
    penalty_per_unit: u64,
    held: i64,
) -> Result<u64> {
    let held = held.unsigned_abs();
    let relief_per_unit =
        u64::try_from((now - closed_whole) * u128::from(SIZE_PRECISION) / u128::from(held.max(1)))
            .unwrap_or(u64::MAX);
    let deficit = (now as i128 - equity).max(0) as u128;
    Ok(units_to_close(
        deficit,
        relief_per_unit,
        penalty_per_unit,
        held,
    ))
}

/// Carries out `plan` on the positions in market `market_index` (and, on takeover, moves the
/// shorts into `theirs`), and tallies the money. `lp_assets` bounds what a perpetual closed
/// whole can realise.
#[allow(clippy::too_many_arguments)]
pub fn close_positions(
    margin: &mut MarginAccount,
    market_index: u16,
    book: &mut SeriesBook,
    mut theirs: Option<&mut MarginAccount>,
    plan: &LiquidationPlan,
    price: u64,
    decimals: u8,
    lp_assets: u64,
) -> Result<Tally> {
    let mut tally = Tally::default();
    for (slot, &planned) in plan.shorts.iter().enumerate() {
        let position = margin.positions[slot];
        if !position.is_in(market_index) {
            continue;
        }
        let series = &mut book.series[usize::from(position.series_index)];
        let mark = series.mark().price_at(price);
        let units = match position.size {
            size if size > 0 && plan.sell_longs => size.unsigned_abs(),
            size if size < 0 => planned,
            _ => 0,
        };
        if units == 0 {
            continue;
        }
        let new = if position.size > 0 {
            let value = to_collateral(
                amount_for(mark, units, Rounding::Down).or_overflow()?,
                decimals,
                Rounding::Down,
            )?;
            tally.long_marks = tally.long_marks.checked_add(value).or_overflow()?;
            0
        } else {
            let cost = to_collateral(
                amount_for(mark, units, Rounding::Up).or_overflow()?,
                decimals,
                Rounding::Up,
            )?;
            let penalty = to_collateral(
                amount_for(
                    penalty_on(series, plan.penalty_per_unit),
                    units,
                    Rounding::Up,
                )
                .or_overflow()?,
                decimals,
                Rounding::Up,
            )?;
            tally.owed = tally
                .owed
                .checked_add(cost.checked_add(penalty).or_overflow()?)
                .or_overflow()?;
            tally.short_marks = tally.short_marks.checked_add(cost).or_overflow()?;
            tally.penalty = tally.penalty.checked_add(penalty).or_overflow()?;
            if let Some(theirs) = theirs.as_deref_mut() {
                // The liquidator takes the short over at mark.
                let held = theirs.position_size(market_index, position.series_index);
                let taken = held.checked_sub(units as i64).or_overflow()?;
                series.move_position(held, taken).or_overflow()?;
                require!(
                    theirs.set_position(market_index, position.series_index, taken),
                    VaultError::TooManyPositions
                );
            }
            position.size + units as i64
        };
        series.move_position(position.size, new).or_overflow()?;
        require!(
            margin.set_position(market_index, position.series_index, new),
            VaultError::TooManyPositions
        );
        tally.units = tally.units.checked_add(units).or_overflow()?;
        tally.touched += 1;
    }

    if plan.perp_units > 0 {
        let perp = margin.hedge.get();
        let units = i64::try_from(plan.perp_units).ok().or_overflow()?;
        let close = if perp.size > 0 { -units } else { units };
        venue::close_at(&mut margin.hedge, &mut book.vault_hedge, close, price)?;
        let penalty = to_collateral(
            amount_for(plan.penalty_per_unit, plan.perp_units, Rounding::Up).or_overflow()?,
            decimals,
            Rounding::Up,
        )?;
        // Longs sold to the vault are paid out of the same LP assets first.
        let payable = lp_assets.saturating_sub(tally.long_marks);
        let realised =
            venue::realise_if_flat(&mut margin.hedge, &mut book.vault_hedge, decimals, payable)?;
        if realised > 0 {
            tally.perp_gain = realised.unsigned_abs();
        } else {
            tally.perp_loss = realised.unsigned_abs();
        }
        tally.owed = tally
            .owed
            .checked_add(penalty.checked_add(tally.perp_loss).or_overflow()?)
            .or_overflow()?;
        tally.penalty = tally.penalty.checked_add(penalty).or_overflow()?;
        tally.units = tally.units.checked_add(plan.perp_units).or_overflow()?;
        tally.touched += 1;
    }
    Ok(tally)
}

/// The account pays what it owes out of collateral plus what its longs fetched. What it cannot
/// pay is a shortfall: penalties are waived first, the rest is bad debt of the vault
/// (`controller::bad_debt`), never of the liquidator.
pub fn pay(
    margin: &mut MarginAccount,
    tally: &Tally,
    liquidator_share_bps: u16,
) -> Result<Payment> {
    let available = margin.collateral + tally.long_marks + tally.perp_gain;
    let paid = tally.owed.min(available);
    let shortfall = tally.owed - paid;
    margin.collateral = available - paid;
    let waived = shortfall.min(tally.penalty);
    let penalty = tally.penalty - waived;
    let liquidator_fee =
        apply_bps(penalty, u64::from(liquidator_share_bps), Rounding::Down).or_overflow()?;
    Ok(Payment {
        paid,
        shortfall,
        penalty,
        bad_debt: shortfall - waived,
        liquidator_fee,
        insurance_fee: penalty - liquidator_fee,
    })
}

/// The vault's books: LP assets receive the absorbed shorts' marks and a perpetual's loss and
/// pay the longs' marks, a perpetual's gain and the bad debt; trader collateral moves by what
/// the account received and paid.
pub fn book(vault: &mut Vault, tally: &Tally, payment: &Payment, takeover: bool) -> Result<()> {
    let shorts_to_lp = if takeover { 0 } else { tally.short_marks };
    vault.lp_assets = (vault.lp_assets + shorts_to_lp + tally.perp_loss)
        .checked_sub(tally.long_marks + tally.perp_gain + payment.bad_debt)
        .ok_or(VaultError::InsufficientVaultCollateral)?;
    vault.trader_collateral = (vault.trader_collateral + tally.long_marks + tally.perp_gain)
        .checked_sub(payment.paid)
        .ok_or(VaultError::AccountingMismatch)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(collateral: u64) -> MarginAccount {
        let mut account: MarginAccount = bytemuck::Zeroable::zeroed();
        account.collateral = collateral;
        account
    }

    /// Owes 500 of short marks and 100 of penalty; its longs fetched `long_marks`.
    fn tally(long_marks: u64) -> Tally {
        Tally {
            owed: 600,
            short_marks: 500,
            long_marks,
            penalty: 100,
            ..Tally::default()
        }
    }

    #[test]
    fn an_account_that_can_pay_pays_everything_and_splits_the_penalty() {
        let mut margin = account(1_000);
        let tally = tally(0);
        let payment = pay(&mut margin, &tally, 4_000).expect("pay");
        assert_eq!(margin.collateral, 400);
        assert_eq!(
            payment,
            Payment {
                paid: 600,
                shortfall: 0,
                penalty: 100,
                bad_debt: 0,
                liquidator_fee: 40,
                insurance_fee: 60,
            }
        );
    }

    #[test]
    fn a_shortfall_waives_the_penalty_before_it_becomes_bad_debt() {
        // Owes 500 of marks and 100 of penalty with 450 of collateral and 30 from longs.
        let mut margin = account(450);
        let tally = tally(30);
        let payment = pay(&mut margin, &tally, 5_000).expect("pay");
        assert_eq!(margin.collateral, 0);
        assert_eq!((payment.paid, payment.shortfall), (480, 120));
        assert_eq!((payment.penalty, payment.liquidator_fee), (0, 0));
        assert_eq!(payment.bad_debt, 20);
    }

    #[test]
    fn the_books_balance_what_moved() {
        let mut vault: Vault =
            Vault::try_deserialize_unchecked(&mut &[0u8; 8 + Vault::INIT_SPACE][..])
                .expect("zeroed vault");
        vault.lp_assets = 10_000;
        vault.trader_collateral = 2_000;
        let tally = tally(30);
        let payment = Payment {
            paid: 480,
            shortfall: 120,
            penalty: 0,
            bad_debt: 20,
            liquidator_fee: 0,
            insurance_fee: 0,
        };
        let before = vault.lp_assets + vault.trader_collateral;
        book(&mut vault, &tally, &payment, false).expect("book");
        // LPs receive the shorts' marks, pay the longs' and lose the bad debt.
        assert_eq!(vault.lp_assets, 10_000 + 500 - 30 - 20);
        assert_eq!(vault.trader_collateral, 2_000 + 30 - 480);
        // What left the token account's owners: nothing; the penalty was waived.
        assert_eq!(vault.lp_assets + vault.trader_collateral, before);
        // On takeover the shorts' marks go to the liquidator's account, not to LPs.
        let mut taken: Vault = vault.clone();
        taken.lp_assets = 10_000;
        taken.trader_collateral = 2_000;
        book(&mut taken, &tally, &payment, true).expect("book");
        assert_eq!(taken.lp_assets, 10_000 - 30 - 20);
    }
}
