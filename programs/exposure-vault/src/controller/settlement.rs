//! Paying one position of a settled series, over the account types (`instructions/settle_position.rs`
//! keeps loading, the insurance transfer, bad debt and the event). A short pays its intrinsic
//! value into LP assets. A long is paid in full from LP cash, then insurance, when that covers
//! every long still owed in the market; otherwise its value becomes a claim. Claims are funded
//! only once every long owed has become one, all by the same fraction, so no long gains by
//! settling or claiming first.
use anchor_lang::prelude::*;

use crate::error::{OrOverflow, VaultError};
use crate::math::fixed::{mul_div, Rounding};
use crate::math::margin::amount_for;
use crate::math::precision::{quote_to_collateral, SIZE_PRECISION};
use crate::oracle::OraclePrice;
use crate::state::{ClaimsPool, MarginAccount, Market, MarketExposure, SeriesBook, Vault};

/// A position of `size` worth `intrinsic` per unit, in collateral units, rounded for the vault
/// (a long's value down, a short's debt up).
pub fn position_value(intrinsic: u64, size: i64, decimals: u8) -> Result<u64> {
    let rounding = if size > 0 {
        Rounding::Down
    } else {
        Rounding::Up
    };
    amount_for(intrinsic, size.unsigned_abs(), rounding)
        .and_then(|quote| quote_to_collateral(quote, decimals, rounding))
        .or_overflow()
}

/// Funds every unpaid claim by the same fraction out of LP cash not yet set aside: the cash
/// there is now, up to what is unfunded. Whoever calls, every claimant's share is the same.
pub fn distribute(vault: &mut Vault, pool: &mut ClaimsPool) -> Result<()> {
    let unfunded = vault
        .unpaid_claims
        .checked_sub(pool.earmarked)
        .ok_or(VaultError::AccountingMismatch)?;
    let funded = vault.lp_assets.saturating_sub(pool.earmarked).min(unfunded);
    if funded == 0 {
        return Ok(());
    }
    pool.earmarked = pool.earmarked.checked_add(funded).or_overflow()?;
    if funded == unfunded {
        pool.epoch = pool.epoch.checked_add(1).or_overflow()?;
        pool.index = ClaimsPool::INDEX_ONE;
    } else {
        pool.index =
            mul_div(pool.index, unfunded - funded, unfunded, Rounding::Down).or_overflow()?;
    }
    Ok(())
}

/// Brings the account's claim up to the vault's index and pays it what was set aside for it
/// (from the vault's token account into its collateral). Returns the amount.
pub fn collect(
    vault: &mut Vault,
    pool: &mut ClaimsPool,
    margin: &mut MarginAccount,
) -> Result<u64> {
    let owed = margin.unpaid_settlement;
    let remaining = if owed == 0 || margin.claim_epoch != pool.epoch {
        0
    } else {
        mul_div(owed, pool.index, margin.claim_index_at, Rounding::Up)
            .or_overflow()?
            .min(owed)
    };
    // The index rounds down and what stays owed rounds up; a rounding unit either way is capped
    // by the cash set aside, so a collection never fails and is off by at most that unit.
    let paid = (owed - remaining).min(pool.earmarked);
    let remaining = owed - paid;
    margin.unpaid_settlement = remaining;
    margin.claim_index_at = pool.index;
    margin.claim_epoch = pool.epoch;
    if paid > 0 {
        pool.earmarked = pool
            .earmarked
            .checked_sub(paid)
            .ok_or(VaultError::AccountingMismatch)?;
        vault.unpaid_claims = vault
            .unpaid_claims
            .checked_sub(paid)
            .ok_or(VaultError::AccountingMismatch)?;
        vault.lp_assets = vault
            .lp_assets
            .checked_sub(paid)
            .ok_or(VaultError::AccountingMismatch)?;
        vault.trader_collateral = vault.trader_collateral.checked_add(paid).or_overflow()?;
        margin.collateral = margin.collateral.checked_add(paid).or_overflow()?;
    }
    Ok(paid)
}

/// Pays a claimant its share. Cash is distributed only when no long of the market is still owed
/// outside the claims (`other_longs_owed` = 0): until then a distribution would favour the
/// claims already booked over the longs still to settle.
pub fn pay_claim(
    vault: &mut Vault,
    pool: &mut ClaimsPool,
    margin: &mut MarginAccount,
    other_longs_owed: u64,
) -> Result<u64> {
    if other_longs_owed == 0 {
        distribute(vault, pool)?;
    }
    let paid = collect(vault, pool, margin)?;
    require!(paid > 0, VaultError::InsufficientVaultCollateral);
    Ok(paid)
}

/// What the market's longs in settled series are still owed in all, in collateral units: the
/// pool every long's payout is a share of.
pub fn outstanding_long_value(book: &SeriesBook, decimals: u8) -> Result<u64> {
    book.series
        .iter()
        .filter(|s| s.is_settled() && s.open_long > 0)
        .try_fold(0u64, |total, s| {
            amount_for(s.intrinsic(s.settlement_price), s.open_long, Rounding::Down)
                .and_then(|quote| quote_to_collateral(quote, decimals, Rounding::Down))
                .and_then(|value| total.checked_add(value))
        })
        .or_overflow()
}

/// Where a long's `value` comes from: paid in full from LP cash not reserved for older claims,
/// then insurance, when that covers it and every other long still owed in the market
/// (`other_longs_owed`); otherwise all of it is owed, as a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongPayout {
    pub from_lp: u64,
    pub from_insurance: u64,
    pub owed: u64,
}

pub fn long_payout(vault: &Vault, value: u64, other_longs_owed: u64) -> LongPayout {
    let lp = vault.unreserved_lp_assets();
    let cash = lp.saturating_add(vault.insurance_balance);
    if cash >= value.saturating_add(other_longs_owed) {
        let from_lp = value.min(lp);
        LongPayout {
            from_lp,
            from_insurance: value - from_lp,
            owed: 0,
        }
    } else {
        LongPayout {
            from_lp: 0,
            from_insurance: 0,
            owed: value,
        }
    }
}

/// Books a long's payout (the insurance tokens have moved into the vault's account) into its
/// collateral; what is owed becomes a claim, a liability in NAV. When it was the last long owed
/// in the market, the cash is distributed and the account collects its share at once. Returns
/// what the account received.
pub fn book_long_payout(
    vault: &mut Vault,
    pool: &mut ClaimsPool,
    margin: &mut MarginAccount,
    payout: &LongPayout,
    other_longs_owed: u64,
) -> Result<u64> {
    let short = VaultError::AccountingMismatch;
    vault.insurance_balance = vault
        .insurance_balance
        .checked_sub(payout.from_insurance)
        .ok_or(short)?;
    vault.lp_assets = vault.lp_assets.checked_sub(payout.from_lp).ok_or(short)?;
    let paid = payout
        .from_lp
        .checked_add(payout.from_insurance)
        .or_overflow()?;
    vault.trader_collateral = vault.trader_collateral.checked_add(paid).or_overflow()?;
    margin.collateral = margin.collateral.checked_add(paid).or_overflow()?;
    if payout.owed == 0 {
        return Ok(paid);
    }
    // An older claim of the account is brought up to date first, so one snapshot serves both.
    let mut collected = collect(vault, pool, margin)?;
    margin.unpaid_settlement = margin
        .unpaid_settlement
        .checked_add(payout.owed)
        .or_overflow()?;
    vault.unpaid_claims = vault.unpaid_claims.checked_add(payout.owed).or_overflow()?;
    if other_longs_owed == 0 {
        distribute(vault, pool)?;
        collected = collected
            .checked_add(collect(vault, pool, margin)?)
            .or_overflow()?;
    }
    paid.checked_add(collected).or_overflow()
}

/// Books a short's payment of `value` out of its collateral into LP assets. Returns (paid,
/// shortfall); the shortfall is bad debt.
pub fn book_short_payment(
    vault: &mut Vault,
    margin: &mut MarginAccount,
    value: u64,
) -> Result<(u64, u64)> {
    let paid = value.min(margin.collateral);
    margin.collateral = margin.collateral.checked_sub(paid).or_overflow()?;
    vault.trader_collateral = vault
        .trader_collateral
        .checked_sub(paid)
        .ok_or(VaultError::AccountingMismatch)?;
    vault.lp_assets = vault.lp_assets.checked_add(paid).or_overflow()?;
    Ok((paid, value - paid))
}

/// The market's exposure once the vault's side of an account's `size` settled at `intrinsic`.
/// When only settled series remain and the hedge is flat, the marks are final and need no
/// oracle: they are recomputed exactly (no rounding drift). Otherwise the cached exposure's mark
/// value moves by this position's intrinsic value (the hedge perpetual needs a live price).
#[allow(clippy::too_many_arguments)]
pub fn exposure_after_settlement(
    book: &SeriesBook,
    market: &Market,
    cached: MarketExposure,
    conf_multiplier_bps: u16,
    settlement_price: u64,
    size: i64,
    intrinsic: u64,
    decimals: u8,
) -> Result<MarketExposure> {
    let only_settled = book.vault_hedge.is_flat()
        && book
            .series
            .iter()
            .all(|s| s.is_settled() || s.vault_position() == Some(0));
    if only_settled {
        let final_marks = OraclePrice {
            price: settlement_price,
            conf: 0,
            publish_time: 0,
        };
        return super::market_exposure(book, market, conf_multiplier_bps, &final_marks, decimals);
    }
    let change = i128::from(size) * i128::from(intrinsic) / i128::from(SIZE_PRECISION);
    let change = quote_to_collateral(change.unsigned_abs() as u64, decimals, Rounding::Down)
        .or_overflow()? as i64;
    let mut exposure = cached;
    let signed = if size > 0 { change } else { -change };
    exposure.mark_value = exposure.mark_value.checked_add(signed).or_overflow()?;
    Ok(exposure)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(lp_assets: u64, insurance: u64, claims: u64) -> Vault {
        let mut v = Vault::try_deserialize_unchecked(&mut &[0u8; 8 + Vault::INIT_SPACE][..])
            .expect("zeroed vault");
        v.lp_assets = lp_assets;
        v.insurance_balance = insurance;
        v.unpaid_claims = claims;
        v
    }

    fn pool() -> ClaimsPool {
        ClaimsPool {
            index: ClaimsPool::INDEX_ONE,
            ..ClaimsPool::default()
        }
    }

    /// A vault with no cash and the claims `owed` booked through `book_long_payout`.
    fn with_claims(owed: &[u64]) -> (Vault, ClaimsPool, Vec<MarginAccount>) {
        let mut v = vault(0, 0, 0);
        let mut pool = pool();
        let accounts = owed
            .iter()
            .map(|&o| {
                let mut m = account();
                let payout = long_payout(&v, o, 1);
                book_long_payout(&mut v, &mut pool, &mut m, &payout, 1).expect("book");
                m
            })
            .collect();
        (v, pool, accounts)
    }

    fn account() -> MarginAccount {
        bytemuck::Zeroable::zeroed()
    }

    #[test]
    fn a_long_is_paid_in_full_only_when_every_long_owed_can_be() {
        // Enough for everyone: LP cash first, then insurance.
        let mut v = vault(100, 30, 0);
        let mut pool = pool();
        let mut m = account();
        let payout = long_payout(&v, 120, 10);
        assert_eq!(
            payout,
            LongPayout {
                from_lp: 100,
                from_insurance: 20,
                owed: 0
            }
        );
        assert_eq!(
            book_long_payout(&mut v, &mut pool, &mut m, &payout, 10).expect("book"),
            120
        );
        assert_eq!(
            (v.lp_assets, v.insurance_balance, v.trader_collateral),
            (0, 10, 120)
        );
        // Not enough for everyone: all of it is owed.
        let v = vault(100, 30, 0);
        assert_eq!(long_payout(&v, 120, 20).owed, 120);
    }

    #[test]
    fn cash_reserved_for_older_claims_is_not_paid_to_a_new_long() {
        let v = vault(100, 0, 60);
        assert_eq!(long_payout(&v, 30, 0).from_lp, 30);
        assert_eq!(long_payout(&v, 50, 0).owed, 50);
    }

    #[test]
    fn longs_short_of_cash_are_each_paid_the_same_fraction_whoever_settles_first() {
        // Owed 60 and 20, 40 of cash: each ends with half, whatever the order of settling and
        // of claiming.
        for a_first in [true, false] {
            let mut v = vault(40, 0, 0);
            let mut pool = pool();
            let mut m = [account(), account()];
            let values = [60u64, 20];
            let order = if a_first { [0, 1] } else { [1, 0] };
            let mut owed_by_others = values.iter().sum::<u64>();
            for i in order {
                owed_by_others -= values[i];
                let payout = long_payout(&v, values[i], owed_by_others);
                book_long_payout(&mut v, &mut pool, &mut m[i], &payout, owed_by_others)
                    .expect("book");
            }
            for i in order {
                let _ = pay_claim(&mut v, &mut pool, &mut m[i], 0);
            }
            assert_eq!(
                [m[0].collateral, m[1].collateral],
                [30, 10],
                "a first: {a_first}"
            );
            assert_eq!(v.unpaid_claims, 40);
        }
    }

    #[test]
    fn no_claim_is_funded_while_a_long_is_still_owed_outside_the_claims() {
        let (mut v, mut pool, mut m) = with_claims(&[30]);
        v.lp_assets += 20;
        assert!(pay_claim(&mut v, &mut pool, &mut m[0], 5).is_err());
        assert_eq!(pay_claim(&mut v, &mut pool, &mut m[0], 0).expect("pay"), 20);
    }

    #[test]
    fn the_order_of_calls_does_not_change_what_each_claimant_gets() {
        // Owed 30 and 10; 20 of cash comes in. Whoever calls first, each is paid half.
        for a_first in [true, false] {
            let (mut v, mut pool, mut m) = with_claims(&[30, 10]);
            v.lp_assets += 20;
            let order = if a_first { [0, 1] } else { [1, 0] };
            let mut paid = [0u64; 2];
            for i in order {
                paid[i] = pay_claim(&mut v, &mut pool, &mut m[i], 0).expect("pay");
            }
            assert_eq!(paid, [15, 5], "a first: {a_first}");
            assert_eq!((v.unpaid_claims, pool.earmarked, v.lp_assets), (20, 0, 0));
        }
    }

    #[test]
    fn later_cash_funds_the_remaining_claims_alike_and_a_full_round_starts_an_epoch() {
        let (mut v, mut pool, mut m) = with_claims(&[30, 10]);
        v.lp_assets += 20;
        assert_eq!(pay_claim(&mut v, &mut pool, &mut m[0], 0).expect("a"), 15);
        // 20 more: the rest of both is funded (15 + 5), b has not collected its first half yet.
        v.lp_assets += 20;
        assert_eq!(pay_claim(&mut v, &mut pool, &mut m[0], 0).expect("a"), 15);
        assert_eq!(pool.epoch, 1);
        assert_eq!(pay_claim(&mut v, &mut pool, &mut m[1], 0).expect("b"), 10);
        assert_eq!((v.unpaid_claims, pool.earmarked, v.lp_assets), (0, 0, 0));
        // Nothing left to collect: a further call is refused.
        assert!(pay_claim(&mut v, &mut pool, &mut m[1], 0).is_err());
        // A claim booked in the new epoch starts unfunded.
        let payout = long_payout(&v, 8, 1);
        book_long_payout(&mut v, &mut pool, &mut m[1], &payout, 1).expect("book");
        assert_eq!(m[1].unpaid_settlement, 8);
        assert!(pay_claim(&mut v, &mut pool, &mut m[1], 0).is_err());
    }

    #[test]
    fn collections_never_exceed_the_cash_set_aside() {
        // Awkward fractions: three claims of 7, 11, 13 and cash arriving 5 units at a time.
        let (mut v, mut pool, mut m) = with_claims(&[7, 11, 13]);
        let mut cash_in = 0;
        for round in 0..10 {
            v.lp_assets += 5;
            cash_in += 5;
            for (i, account) in m.iter_mut().enumerate() {
                if (round + i) % 2 == 0 {
                    let _ = pay_claim(&mut v, &mut pool, account, 0);
                }
            }
            let collected: u64 = m.iter().map(|a| a.collateral).sum();
            assert!(collected + v.lp_assets == cash_in, "cash is conserved");
            assert!(pool.earmarked <= v.lp_assets);
            let owed: u64 = m.iter().map(|a| a.unpaid_settlement).sum();
            assert_eq!(owed, v.unpaid_claims);
        }
    }

    #[test]
    fn a_short_that_cannot_pay_leaves_a_shortfall() {
        let mut v = vault(0, 0, 0);
        v.trader_collateral = 70;
        let mut m = account();
        m.collateral = 70;
        assert_eq!(
            book_short_payment(&mut v, &mut m, 100).expect("book"),
            (70, 30)
        );
        assert_eq!((v.lp_assets, v.trader_collateral, m.collateral), (70, 0, 0));
    }

    #[test]
    fn values_round_for_the_vault() {
        // 1.5 units at $0.0000015: a long's value rounds down, a short's debt up.
        assert_eq!(position_value(1, 1_500_000, 6).expect("long"), 1);
        assert_eq!(position_value(1, -1_500_000, 6).expect("short"), 2);
    }
}
