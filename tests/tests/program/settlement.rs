//! Expiry settlement on the SBF build: one settlement price per series, the earliest Pyth update
//! at or after expiry that anyone brings (a proposal, open to an earlier one until its dispute
//! period ends, then final), positions paid exactly their intrinsic value, every step
//! permissionless and idempotent, and the vault's side settling into NAV.
use exposure_vault::error::VaultError;
use exposure_vault::events::{
    BadDebt, PositionSettled, SeriesSettled, SettlementClaimPaid, SettlementProposed,
};
use exposure_vault_tests::options::{Trader, ONE};
use exposure_vault_tests::{events, expect_error};
use solana_signer::Signer;

use super::trading::{setup, Book, SPOT};

/// Moves the clock to `expiry + after` with a live oracle at `spot`.
fn past_expiry(b: &mut Book, after: i64, spot: f64) {
    b.env.set_unix_timestamp(b.expiry + after);
    b.m.set_price(&mut b.env, spot, 5);
}

/// A small vault (the LPs' $1M withdrawn down to $100k) that sold ATM calls to one trader per
/// entry of `longs` (contracts each, $100k of collateral each) and bought two 70k calls from a
/// short; spot doubles by expiry and both series settle at $130,000, past what the vault holds.
pub(super) fn gapped_past_what_the_vault_holds(
    b: &mut Book,
    longs: &[i64],
) -> (Vec<Trader>, Trader) {
    let shares = b.env.token_balance(&b.lp.shares);
    b.v.withdraw_liquidity_now(&mut b.env, &b.lp, shares * 9 / 10)
        .expect("LPs leave");
    let longs: Vec<Trader> = longs
        .iter()
        .map(|&contracts| {
            let t = b.trader(100_000 * 1_000_000);
            b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, contracts * ONE)
                .expect("buy calls");
            t
        })
        .collect();
    let short = b.trader(150_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &short, b.call_70k, -2 * ONE)
        .expect("sell calls");
    past_expiry(b, 30, 130_000.0);
    let price = b.m.write_price_update(&mut b.env, 130_000.0, b.expiry + 1);
    for series in [b.atm_call, b.call_70k] {
        b.m.settle_series(&mut b.env, &b.v, series, price)
            .expect("settle series");
    }
    (longs, short)
}

#[test]
fn settlement_pays_exactly_intrinsic_once() {
    let mut b = setup();
    let long = b.trader(20_000 * 1_000_000);
    let short = b.trader(20_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &long, b.atm_call, 2 * ONE)
        .expect("buy calls");
    b.m.trade_option(&mut b.env, &b.v, &short, b.put_60k, -ONE)
        .expect("sell put");
    let (call, put) = (b.atm_call, b.put_60k);

    // Settle at $58,000: the 65k call expires worthless, the 60k put is $2,000 in the money.
    past_expiry(&mut b, 30, 58_000.0);
    let price = b.m.write_price_update(&mut b.env, 58_000.0, b.expiry + 5);
    for series in [call, put] {
        let ix = b.m.settle_series_ix(&b.v, series, price);
        let meta = b.env.send(&[ix], &[]).expect("propose");
        assert_eq!(events::<SettlementProposed>(&meta).len(), 1);
        // Nothing settles while the proposal can still be disputed.
        let ix = b.m.settle_position_ix(&b.v, short.margin, put);
        expect_error(b.env.send(&[ix], &[]), VaultError::SeriesNotSettled);
    }
    for series in [call, put] {
        let meta =
            b.m.finalise_settlement(&mut b.env, &b.v, series)
                .expect("final");
        let settled = events::<SeriesSettled>(&meta).remove(0);
        assert_eq!(settled.settlement_price, 58_000_000_000);
    }
    let ix = b.m.settle_series_ix(&b.v, put, price);
    expect_error(b.env.send(&[ix], &[]), VaultError::SeriesAlreadySettled);

    // The short put pays $2,000 into LP assets; the long calls receive nothing.
    let lp_before = b.v.state(&b.env).lp_assets;
    let nav_before = b.v.state(&b.env).net_assets();
    let before = b.m.margin_state(&b.env, &short.margin).collateral;
    let ix = b.m.settle_position_ix(&b.v, short.margin, put);
    let meta = b.env.send(&[ix], &[]).expect("settle short");
    assert_eq!(
        events::<PositionSettled>(&meta).remove(0).cash_flow,
        -2_000_000_000
    );
    assert_eq!(
        b.m.margin_state(&b.env, &short.margin).collateral,
        before - 2_000_000_000
    );
    assert_eq!(b.v.state(&b.env).lp_assets, lp_before + 2_000_000_000);
    let ix = b.m.settle_position_ix(&b.v, long.margin, call);
    let meta = b.env.send(&[ix], &[]).expect("settle long");
    assert_eq!(events::<PositionSettled>(&meta).remove(0).cash_flow, 0);
    // The vault's side moved from its intrinsic mark into cash: NAV unchanged.
    let nav_after = b.v.state(&b.env).net_assets();
    assert!(
        nav_after.abs_diff(nav_before) <= 1,
        "{nav_before} -> {nav_after}"
    );
    // Idempotent: nothing left to settle.
    let ix = b.m.settle_position_ix(&b.v, short.margin, put);
    expect_error(b.env.send(&[ix], &[]), VaultError::NoPositionToSettle);
    let book = b.m.book_state(&b.env);
    for series in [call, put] {
        assert!(!book.series[series as usize].has_open_interest());
    }
    let vault = b.v.state(&b.env);
    assert_eq!((vault.options_value, vault.locked_liability), (0, 0));
    b.assert_accounting();
}

#[test]
fn a_long_in_the_money_is_paid_from_lp_assets() {
    let mut b = setup();
    let long = b.trader(20_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &long, b.atm_call, ONE)
        .expect("buy call");
    past_expiry(&mut b, 60, 70_000.0);
    let price = b.m.write_price_update(&mut b.env, 70_000.0, b.expiry + 1);
    b.m.settle_series(&mut b.env, &b.v, b.atm_call, price)
        .expect("settle series");
    let before = b.m.margin_state(&b.env, &long.margin).collateral;
    let ix = b.m.settle_position_ix(&b.v, long.margin, b.atm_call);
    b.env.send(&[ix], &[]).expect("settle");
    assert_eq!(
        b.m.margin_state(&b.env, &long.margin).collateral,
        before + 5_000_000_000
    );
    b.assert_accounting();
}

#[test]
fn settlement_rejections() {
    let mut b = setup();
    let t = b.trader(20_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, ONE)
        .expect("buy");
    let s = b.atm_call;
    // Before expiry.
    let now = b.env.now();
    let early = b.m.write_price_update(&mut b.env, SPOT, now);
    let ix = b.m.settle_series_ix(&b.v, s, early);
    expect_error(b.env.send(&[ix], &[]), VaultError::SettlementTooEarly);
    let ix = b.m.settle_position_ix(&b.v, t.margin, s);
    expect_error(b.env.send(&[ix], &[]), VaultError::SeriesNotSettled);
    // After expiry, with a price published before it, or after the 600 s window.
    past_expiry(&mut b, 30, SPOT);
    let before = b.m.write_price_update(&mut b.env, SPOT, b.expiry - 1);
    let ix = b.m.settle_series_ix(&b.v, s, before);
    expect_error(
        b.env.send(&[ix], &[]),
        VaultError::SettlementPriceBeforeExpiry,
    );
    let late = b.m.write_price_update(&mut b.env, SPOT, b.expiry + 601);
    let ix = b.m.settle_series_ix(&b.v, s, late);
    expect_error(
        b.env.send(&[ix], &[]),
        VaultError::SettlementPriceOutsideWindow,
    );
    // Expired but unsettled series cannot trade.
    let now = b.env.now();
    let surface = exposure_vault_tests::options::skewed_surface(
        now,
        &[now + 30 * exposure_vault_tests::options::DAY],
        0.6,
    );
    b.m.update_vol_surface(&mut b.env, &b.v, surface)
        .expect("fresh surface");
    expect_error(
        b.m.trade_option(&mut b.env, &b.v, &t, s, -ONE),
        VaultError::SeriesExpired,
    );
    // At the window's edge it may be proposed; a later update cannot replace the proposal.
    let edge = b.m.write_price_update(&mut b.env, SPOT, b.expiry + 600);
    let ix = b.m.settle_series_ix(&b.v, s, edge);
    b.env.send(&[ix], &[]).expect("propose at the edge");
    let ix = b.m.settle_series_ix(&b.v, s, edge);
    expect_error(
        b.env.send(&[ix], &[]),
        VaultError::SettlementPriceNotEarlier,
    );
}

#[test]
fn the_earliest_update_after_expiry_settles_whoever_proposes_first() {
    let mut b = setup();
    let long = b.trader(20_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &long, b.atm_call, ONE)
        .expect("buy call");
    let s = b.atm_call;
    past_expiry(&mut b, 400, 66_000.0);
    // The long proposes the highest print of the window ($67,000, 300 s after expiry)...
    let high = b.m.write_price_update(&mut b.env, 67_000.0, b.expiry + 300);
    let ix = b.m.settle_series_ix(&b.v, s, high);
    b.env.send(&[ix], &[]).expect("propose the high print");
    // ...anyone replaces it with an earlier update, while the proposal is open; the earliest
    // one at or after expiry stands.
    let first = b.m.write_price_update(&mut b.env, 65_500.0, b.expiry);
    let second = b.m.write_price_update(&mut b.env, 65_700.0, b.expiry + 1);
    let ix = b.m.settle_series_ix(&b.v, s, second);
    let meta = b.env.send(&[ix], &[]).expect("dispute");
    assert!(events::<SettlementProposed>(&meta).remove(0).replaced);
    let ix = b.m.settle_series_ix(&b.v, s, first);
    b.env.send(&[ix], &[]).expect("an earlier one still");
    let ix = b.m.settle_series_ix(&b.v, s, second);
    expect_error(
        b.env.send(&[ix], &[]),
        VaultError::SettlementPriceNotEarlier,
    );
    let meta = b.m.finalise_settlement(&mut b.env, &b.v, s).expect("final");
    assert_eq!(
        events::<SeriesSettled>(&meta).remove(0).settlement_price,
        65_500_000_000
    );
    let ix = b.m.settle_series_ix(&b.v, s, first);
    expect_error(b.env.send(&[ix], &[]), VaultError::SeriesAlreadySettled);
}

#[test]
fn a_series_whose_window_was_missed_still_settles() {
    let mut b = setup();
    let long = b.trader(20_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &long, b.atm_call, ONE)
        .expect("buy call");
    // Nobody settled within the 600 s window; an hour later the first update found (published
    // 50 minutes after expiry) is proposed, and stands unless an earlier one appears.
    past_expiry(&mut b, 3_600, 66_000.0);
    let found =
        b.m.write_price_update(&mut b.env, 66_000.0, b.expiry + 3_000);
    b.m.settle_series(&mut b.env, &b.v, b.atm_call, found)
        .expect("late settlement");
    let ix = b.m.settle_position_ix(&b.v, long.margin, b.atm_call);
    let meta = b.env.send(&[ix], &[]).expect("settle long");
    assert_eq!(
        events::<PositionSettled>(&meta).remove(0).cash_flow,
        1_000_000_000
    );
}

#[test]
fn an_unpaid_long_keeps_its_claim_and_is_paid_first() {
    let mut b = setup();
    // Spot doubles by expiry: the long of five calls is owed $325,000, more than the vault holds.
    let (mut longs, short) = gapped_past_what_the_vault_holds(&mut b, &[5]);
    let long = longs.remove(0);
    let cash = b.v.state(&b.env).lp_assets;
    let ix = b.m.settle_position_ix(&b.v, long.margin, b.atm_call);
    let meta = b.env.send(&[ix], &[]).expect("settle long");
    let settled = events::<PositionSettled>(&meta).remove(0);
    assert_eq!(settled.cash_flow as u64, cash, "all the cash it had");
    let owed = 325_000_000_000 - cash;
    assert_eq!(settled.shortfall, owed);
    // The claim stays on the account and in NAV: nothing is lost, and nobody can put money
    // into a vault that would only pay it.
    assert_eq!(
        b.m.margin_state(&b.env, &long.margin).unpaid_settlement,
        owed
    );
    let vault = b.v.state(&b.env);
    assert_eq!(vault.unpaid_claims, owed);
    let newcomer = b.v.new_depositor(&mut b.env, 50_000 * 1_000_000);
    expect_error(
        b.v.deposit_liquidity(&mut b.env, &newcomer, 50_000 * 1_000_000),
        VaultError::VaultInsolvent,
    );
    // The short pays its $120,000 in; the old LPs cannot take it ahead of the claim (their
    // shares are worth nothing while the vault owes more than it holds)...
    let ix = b.m.settle_position_ix(&b.v, short.margin, b.call_70k);
    b.env.send(&[ix], &[]).expect("settle short");
    let rest = b.env.token_balance(&b.lp.shares);
    expect_error(
        b.v.withdraw_liquidity_now(&mut b.env, &b.lp, rest),
        VaultError::ZeroAssetsOut,
    );
    // ...which it pays instead.
    let ix = b.m.settle_position_ix(&b.v, long.margin, b.atm_call);
    let meta = b.env.send(&[ix], &[]).expect("pay the claim");
    let paid = events::<SettlementClaimPaid>(&meta).remove(0);
    assert_eq!(paid.paid, 120_000 * 1_000_000);
    assert_eq!(paid.remaining, owed - paid.paid);
    assert_eq!(b.v.state(&b.env).unpaid_claims, paid.remaining);
    // The account cannot be closed while it is owed anything, even with no collateral left.
    let all = b.m.margin_state(&b.env, &long.margin).collateral;
    let ix =
        b.m.withdraw_collateral_ix(&b.v, long.wallet.pubkey(), long.collateral, all);
    b.env.send(&[ix], &[&long.wallet]).expect("withdraw all");
    expect_error(
        b.env.send(
            &[b.m.close_margin_account_ix(long.wallet.pubkey())],
            &[&long.wallet],
        ),
        VaultError::MarginAccountNotEmpty,
    );
    b.assert_accounting();
}

#[test]
fn a_short_that_cannot_pay_at_expiry_is_bad_debt() {
    let mut b = setup();
    let t = b.trader(8_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE)
        .expect("sell put");
    // Expiry at $40,000: the put owes $20,000, the account holds about $8,600.
    past_expiry(&mut b, 10, 40_000.0);
    let price = b.m.write_price_update(&mut b.env, 40_000.0, b.expiry + 2);
    b.m.settle_series(&mut b.env, &b.v, b.put_60k, price)
        .expect("settle series");
    let collateral = b.m.margin_state(&b.env, &t.margin).collateral;
    let ix = b.m.settle_position_ix(&b.v, t.margin, b.put_60k);
    let meta = b.env.send(&[ix], &[]).expect("settle short");
    let debt = events::<BadDebt>(&meta).remove(0);
    assert_eq!(debt.shortfall, 20_000_000_000 - collateral);
    assert_eq!(debt.socialised, debt.shortfall); // empty insurance fund
    assert_eq!(b.m.margin_state(&b.env, &t.margin).collateral, 0);
    b.assert_accounting();
}

/// Two longs owed more than the vault holds: whoever settles first, and whoever claims first,
/// each ends with the same fraction of what it is owed (SECURITY.md, "Unpaid settlement").
#[test]
fn longs_the_vault_cannot_pay_share_alike_whatever_the_order() {
    let run = |a_first: bool| {
        let mut b = setup();
        let (longs, short) = gapped_past_what_the_vault_holds(&mut b, &[3, 2]);
        let (a, c) = (&longs[0], &longs[1]);
        let (first, second) = if a_first { (a, c) } else { (c, a) };
        for long in [first, second] {
            let ix = b.m.settle_position_ix(&b.v, long.margin, b.atm_call);
            b.env.send(&[ix], &[]).expect("settle long");
        }
        // The short's $120,000 comes in and both claim it, in the same order.
        let ix = b.m.settle_position_ix(&b.v, short.margin, b.call_70k);
        b.env.send(&[ix], &[]).expect("settle short");
        for long in [first, second] {
            let ix = b.m.settle_position_ix(&b.v, long.margin, b.atm_call);
            let _ = b.env.send(&[ix], &[]);
        }
        b.assert_accounting();
        let received = |t: &Trader| {
            let m = b.m.margin_state(&b.env, &t.margin);
            (m.collateral, m.unpaid_settlement)
        };
        (received(a), received(c))
    };
    let (a, c) = run(true);
    assert_eq!(run(false), (a, c), "the order changed who was paid");
    // Owed $195,000 and $130,000 at 130k: each received the same fraction.
    let fraction = |(_, owed): (u64, u64), value: u64| 1.0 - owed as f64 / value as f64;
    let (fa, fc) = (fraction(a, 195_000_000_000), fraction(c, 130_000_000_000));
    assert!((fa - fc).abs() < 1e-6, "fractions {fa} and {fc}");
    assert!(fa > 0.0 && fa < 1.0);
}
