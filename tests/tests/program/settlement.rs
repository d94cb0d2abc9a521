//! Expiry settlement on the SBF build: one settlement price per series from a Pyth price
//! published inside the window after expiry, positions paid exactly their intrinsic value,
//! both steps permissionless and idempotent, and the vault's side settling into NAV.
use exposure_vault::error::VaultError;
use exposure_vault::events::{BadDebt, PositionSettled, SeriesSettled};
use exposure_vault_tests::options::ONE;
use exposure_vault_tests::{events, expect_error};

use super::trading::{setup, Book, SPOT};

/// Moves the clock to `expiry + after` with a live oracle at `spot`.
fn past_expiry(b: &mut Book, after: i64, spot: f64) {
    b.env.set_unix_timestamp(b.expiry + after);
    b.m.set_price(&mut b.env, spot, 5);
}

#[test]
fn settlement_pays_exactly_intrinsic_once() {
    let mut b = setup();
    let long = b.trader(20_000 * 1_000_000);
    let short = b.trader(20_000 * 1_000_000);
    b.m.trade(&mut b.env, &b.v, &long, b.atm_call, 2 * ONE)
        .expect("buy calls");
    b.m.trade(&mut b.env, &b.v, &short, b.put_60k, -ONE)
        .expect("sell put");
    let (call, put) = (b.atm_call, b.put_60k);

    // Settle at $58,000: the 65k call expires worthless, the 60k put is $2,000 in the money.
    past_expiry(&mut b, 30, 58_000.0);
    let price = b.m.write_price_update(&mut b.env, 58_000.0, b.expiry + 5);
    for series in [call, put] {
        let ix = b.m.settle_series_ix(&b.v, series, price);
        let meta = b.env.send(&[ix], &[]).expect("settle series");
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
    b.m.trade(&mut b.env, &b.v, &long, b.atm_call, ONE)
        .expect("buy call");
    past_expiry(&mut b, 60, 70_000.0);
    let price = b.m.write_price_update(&mut b.env, 70_000.0, b.expiry + 1);
    let ix = b.m.settle_series_ix(&b.v, b.atm_call, price);
    b.env.send(&[ix], &[]).expect("settle series");
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
    b.m.trade(&mut b.env, &b.v, &t, b.atm_call, ONE)
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
    past_expiry(&mut b, 900, SPOT);
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
    b.m.post_surface(&mut b.env, &b.v, surface)
        .expect("fresh surface");
    expect_error(
        b.m.trade(&mut b.env, &b.v, &t, s, -ONE),
        VaultError::SeriesExpired,
    );
    // At the window's edge it settles.
    let edge = b.m.write_price_update(&mut b.env, SPOT, b.expiry + 600);
    let ix = b.m.settle_series_ix(&b.v, s, edge);
    b.env
        .send(&[ix], &[])
        .expect("settle at the edge of the window");
}

#[test]
fn a_short_that_cannot_pay_at_expiry_is_bad_debt() {
    let mut b = setup();
    let t = b.trader(8_000 * 1_000_000);
    b.m.trade(&mut b.env, &b.v, &t, b.put_60k, -ONE)
        .expect("sell put");
    // Expiry at $40,000: the put owes $20,000, the account holds about $8,600.
    past_expiry(&mut b, 10, 40_000.0);
    let price = b.m.write_price_update(&mut b.env, 40_000.0, b.expiry + 2);
    let ix = b.m.settle_series_ix(&b.v, b.put_60k, price);
    b.env.send(&[ix], &[]).expect("settle series");
    let collateral = b.m.margin_state(&b.env, &t.margin).collateral;
    let ix = b.m.settle_position_ix(&b.v, t.margin, b.put_60k);
    let meta = b.env.send(&[ix], &[]).expect("settle short");
    let debt = events::<BadDebt>(&meta).remove(0);
    assert_eq!(debt.shortfall, 20_000_000_000 - collateral);
    assert_eq!(debt.socialised, debt.shortfall); // empty insurance fund
    assert_eq!(b.m.margin_state(&b.env, &t.margin).collateral, 0);
    b.assert_accounting();
}
