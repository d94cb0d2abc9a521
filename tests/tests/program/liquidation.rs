//! Liquidation on the SBF build: partial closes back to the target, the vault absorbing or a
//! liquidator taking over, fees to the liquidator and the insurance fund, gap moves into bad
//! debt (insurance first, then LPs), and every rejection by name.
use exposure_vault::error::VaultError;
use exposure_vault::events::{BadDebt, Liquidated, MarginHealth};
use exposure_vault::state::pause;
use exposure_vault_tests::options::{Trader, ONE};
use exposure_vault_tests::{events, expect_error};
use solana_signer::Signer;

use super::trading::{setup, Book, SPOT};

/// A put seller left just above initial margin (one 60k put), then the spot walked down until
/// the account is below maintenance with positive equity. Returns the trader and its health.
fn underwater(b: &mut Book) -> (Trader, MarginHealth) {
    let t = b.trader(20_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -2 * ONE)
        .expect("sell puts");
    let h = b.health(&t);
    let spare = (h.equity as u64 - h.initial_margin) - 10 * 1_000_000;
    let ix =
        b.m.withdraw_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, spare);
    b.env
        .send(&[ix], &[&t.wallet])
        .expect("withdraw spare collateral");
    for step in 1..40 {
        b.move_spot(5, SPOT - 250.0 * step as f64);
        let h = b.health(&t);
        if !h.meets_maintenance {
            assert!(h.equity > 0, "gap too large for a partial liquidation");
            return (t, h);
        }
    }
    panic!("never fell below maintenance");
}

fn liquidator(b: &mut Book) -> Trader {
    b.trader(50_000 * 1_000_000)
}

fn assert_insurance_accounting(b: &Book) {
    let vault = b.v.state(&b.env);
    assert_eq!(
        b.env.token_balance(&b.v.insurance_token),
        vault.insurance_balance
    );
}

#[test]
fn a_healthy_account_cannot_be_liquidated() {
    let mut b = setup();
    let t = b.trader(10_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE)
        .expect("sell put");
    let l = liquidator(&mut b);
    let before = b.m.margin_state(&b.env, &t.margin);
    expect_error(b.liquidate_absorb(&t, &l), VaultError::AccountHealthy);
    assert_eq!(
        b.m.margin_state(&b.env, &t.margin).collateral,
        before.collateral
    );
}

#[test]
fn partial_liquidation_by_the_vault_restores_the_target_and_pays_fees() {
    let mut b = setup();
    let (t, before) = underwater(&mut b);
    let l = liquidator(&mut b);
    let wallet_before = b.env.token_balance(&l.collateral);
    let meta = b.liquidate_absorb(&t, &l).expect("liquidate");
    let event = events::<Liquidated>(&meta).remove(0);
    assert!(!event.takeover && !event.bankrupt);
    // Partial: part of the two puts is closed, not all.
    assert!(
        event.units > 0 && event.units < 2 * ONE as u64,
        "closed {}",
        event.units
    );
    let after = b.health(&t);
    assert!(after.meets_maintenance);
    let target = (after.initial_margin + after.maintenance_margin).div_ceil(2);
    assert!(
        after.equity as u64 >= target - 1_000_000,
        "equity {} < target {target}",
        after.equity
    );
    assert!(after.equity < before.equity, "the penalty is paid");
    // Fees: the liquidator's share in collateral, the rest to the insurance fund.
    assert_eq!(event.liquidator_fee + event.insurance_fee, event.penalty);
    assert_eq!(
        b.env.token_balance(&l.collateral) - wallet_before,
        event.liquidator_fee
    );
    assert_eq!(b.v.state(&b.env).insurance_balance, event.insurance_fee);
    assert_insurance_accounting(&b);
    let margin = b.m.margin_state(&b.env, &t.margin);
    let series = b.m.book_state(&b.env).series[b.put_60k as usize];
    assert_eq!(
        series.open_short as i64,
        -margin.position_size(0, b.put_60k)
    );
    b.assert_accounting();
    // Back above maintenance: a second liquidation is refused.
    expect_error(b.liquidate_absorb(&t, &l), VaultError::AccountHealthy);
}

#[test]
fn a_liquidator_can_take_the_shorts_over() {
    let mut b = setup();
    let (t, _) = underwater(&mut b);
    let l = liquidator(&mut b);
    let ix = b.m.liquidate_ix(
        &b.v,
        t.margin,
        l.wallet.pubkey(),
        Some(l.margin),
        None,
        true,
    );
    let meta = b.env.send(&[ix], &[&l.wallet]).expect("takeover");
    let event = events::<Liquidated>(&meta).remove(0);
    assert!(event.takeover);
    let theirs = b.m.margin_state(&b.env, &l.margin);
    assert_eq!(theirs.position_size(0, b.put_60k), -(event.units as i64));
    let series = b.m.book_state(&b.env).series[b.put_60k as usize];
    assert_eq!(
        series.open_short,
        2 * ONE as u64,
        "open interest only changed hands"
    );
    assert!(b.health(&l).meets_initial);
    assert_insurance_accounting(&b);
    b.assert_accounting();
}

#[test]
fn an_under_margined_liquidator_is_refused() {
    let mut b = setup();
    let (t, _) = underwater(&mut b);
    let poor = b.trader(10 * 1_000_000);
    let ix = b.m.liquidate_ix(
        &b.v,
        t.margin,
        poor.wallet.pubkey(),
        Some(poor.margin),
        None,
        true,
    );
    expect_error(
        b.env.send(&[ix], &[&poor.wallet]),
        VaultError::LiquidatorUnderMargined,
    );
}

#[test]
fn below_maintenance_an_account_cannot_add_risk() {
    let mut b = setup();
    let (t, _) = underwater(&mut b);
    let (put, call) = (b.put_60k, b.atm_call);
    b.assert_cannot_add_risk(&t, put, call);
}

#[test]
fn a_gap_move_leaves_bad_debt_paid_by_insurance_then_lps() {
    let mut b = setup();
    // First, a partial liquidation funds the insurance fund.
    let (first, _) = underwater(&mut b);
    let l = liquidator(&mut b);
    b.liquidate_absorb(&first, &l).expect("fund insurance");
    let insurance = b.v.state(&b.env).insurance_balance;
    assert!(insurance > 0);
    // Then a put seller near initial margin, and a gap to $40,000 in one tick.
    let t = b.trader(10_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE)
        .expect("sell put");
    b.move_spot(5, 40_000.0);
    assert!(b.health(&t).equity < 0, "insolvent");
    let nav_before = b.v.state(&b.env).net_assets();
    let meta = b.liquidate_absorb(&t, &l).expect("bankrupt liquidation");
    let event = events::<Liquidated>(&meta).remove(0);
    assert!(event.bankrupt);
    assert_eq!((event.penalty, event.liquidator_fee), (0, 0));
    let debt = events::<BadDebt>(&meta).remove(0);
    assert!(debt.shortfall > insurance);
    assert_eq!(debt.insurance_paid, insurance);
    assert_eq!(debt.socialised, debt.shortfall - insurance);
    let vault = b.v.state(&b.env);
    assert_eq!(vault.insurance_balance, 0);
    let margin = b.m.margin_state(&b.env, &t.margin);
    assert_eq!((margin.collateral, margin.position_count), (0, 0));
    // LPs absorb exactly the socialised part (their NAV lost it), nothing more.
    let lost = nav_before as i128 - vault.net_assets() as i128;
    assert!(
        (lost - debt.socialised as i128).abs() <= 2,
        "NAV fell by {lost}, socialised {}",
        debt.socialised
    );
    assert_insurance_accounting(&b);
    b.assert_accounting();
}

#[test]
fn liquidation_rejections() {
    let mut b = setup();
    let (t, _) = underwater(&mut b);
    let l = liquidator(&mut b);
    // Oracle older than the liquidation tolerance (300 s); within it liquidation proceeds even
    // though trading would call the price stale (60 s).
    b.env.warp_seconds(301);
    expect_error(b.liquidate_absorb(&t, &l), VaultError::OracleStale);
    // Self-liquidation.
    let ix = b.m.liquidate_ix(
        &b.v,
        t.margin,
        t.wallet.pubkey(),
        None,
        Some(t.collateral),
        false,
    );
    expect_error(b.env.send(&[ix], &[&t.wallet]), VaultError::SelfLiquidation);
    // Missing accounts for the mode.
    let ix =
        b.m.liquidate_ix(&b.v, t.margin, l.wallet.pubkey(), None, None, true);
    expect_error(
        b.env.send(&[ix], &[&l.wallet]),
        VaultError::LiquidationAccountsMissing,
    );
    // Paused.
    b.v.set_pause(&mut b.env, pause::LIQUIDATIONS)
        .expect("pause");
    expect_error(b.liquidate_absorb(&t, &l), VaultError::LiquidationsPaused);
}

/// A liquidation reads a price a trader could trade at: past the oracle's 60 s it is stale, as
/// for every other instruction (SECURITY.md, "Oracle discipline"); a fresh one liquidates.
#[test]
fn liquidation_reads_a_price_within_the_oracles_age_limit() {
    let mut b = setup();
    let (t, _) = underwater(&mut b);
    let l = liquidator(&mut b);
    b.env.warp_seconds(120);
    expect_error(b.liquidate_absorb(&t, &l), VaultError::OracleStale);
    let spot = b.v.market(&b.env, 0).last_price as f64 / 1e6;
    b.m.set_price(&mut b.env, spot, 5);
    b.liquidate_absorb(&t, &l)
        .expect("liquidate on a fresh price");
}

/// A settled short frees no margin when closed, so a liquidation that closes it charges no
/// penalty on it: the penalty is paid only on the units of open shorts.
#[test]
fn no_penalty_on_a_settled_short_closed_in_a_liquidation() {
    use exposure_vault_tests::options::{DAY, PUT};
    let mut b = setup();
    let near_expiry = b.env.now() + DAY;
    let near = b.m.list(&mut b.env, &b.v, 60_000.0, near_expiry, PUT);
    let t = b.trader(30_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, near, -ONE)
        .expect("sell the near put");
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE)
        .expect("sell the 30-day put");
    let h = b.health(&t);
    let spare = (h.equity as u64 - h.initial_margin) - 10 * 1_000_000;
    let ix =
        b.m.withdraw_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, spare);
    b.env.send(&[ix], &[&t.wallet]).expect("withdraw spare");
    // The near put expires $1,000 in the money and settles; the 30-day one stays open.
    b.env.set_unix_timestamp(near_expiry + 10);
    b.m.set_price(&mut b.env, 59_000.0, 5);
    let update =
        b.m.write_price_update(&mut b.env, 59_000.0, near_expiry + 1);
    b.m.settle_series(&mut b.env, &b.v, near, update)
        .expect("settle the near put");
    let mut spot = 59_000.0;
    let before = loop {
        b.move_spot(5, spot);
        let h = b.health(&t);
        if !h.meets_maintenance {
            assert!(h.equity > 0, "gap too large for a partial liquidation");
            break h;
        }
        spot -= 250.0;
    };
    assert!(before.equity > 0);
    let liquidator = b.trader(1_000 * 1_000_000);
    let meta = b.liquidate_absorb(&t, &liquidator).expect("liquidate");
    let event = events::<Liquidated>(&meta).remove(0);
    // 2.5% of spot per unit of the open put closed; none on the settled unit.
    let open_units = event.units - ONE as u64;
    let per_unit = spot * 1e6 * 0.025;
    let bound = (per_unit * open_units as f64 / 1e6).ceil() as u64 + 2;
    assert!(
        event.penalty <= bound,
        "penalty {} over {bound}: charged on the settled short",
        event.penalty
    );
    b.assert_accounting();
}
