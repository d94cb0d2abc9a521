//! Portfolio margin on the SBF build: opting in, the scenario cache and its freshness, capital
//! relief on a hedged book, switching back refused below initial, the on-chain requirement equal
//! to the native (keeper) computation on random books, and liquidation on the PM requirement
//! that never closes a hedge leg when that would raise it.
use exposure_vault::controller::{store_scenarios, PmList};
use exposure_vault::error::VaultError;
use exposure_vault::events::{Liquidated, MarginHealth, MarginModeSet, ScenariosRefreshed};
use exposure_vault::math::portfolio::{requirement, Grid};
use exposure_vault::state::{margin_mode, pause, Market, MarketRiskParams};
use exposure_vault_tests::options::{compute_limit, Trader, CALL, DAY, ONE, PUT};
use exposure_vault_tests::{default_risk, events, expect_error, fuzz_cases};
use proptest::test_runner::{Config, TestRunner};
use solana_signer::Signer;

use super::trading::{setup, setup_with, Book, SPOT};

const USD: u64 = 1_000_000;

fn pm_trader(b: &mut Book, collateral_usd: u64) -> Trader {
    let t = b.trader(collateral_usd * USD);
    b.m.set_margin_mode(&mut b.env, &b.v, &t, margin_mode::PORTFOLIO)
        .expect("opt in to PM");
    t
}

/// Refreshes the scenario cache, then reads the account's health.
fn pm_health(b: &mut Book, t: &Trader) -> MarginHealth {
    b.m.refresh_scenarios(&mut b.env)
        .expect("refresh scenarios");
    b.health(t)
}

#[test]
fn a_market_without_scenario_parameters_has_no_pm() {
    let mut b = setup_with(MarketRiskParams {
        pm_price_range_bps: 0,
        ..default_risk()
    });
    let t = b.trader(10_000 * USD);
    expect_error(
        b.m.set_margin_mode(&mut b.env, &b.v, &t, margin_mode::PORTFOLIO),
        VaultError::PortfolioMarginNotEnabled,
    );
    expect_error(
        b.m.refresh_scenarios(&mut b.env),
        VaultError::PortfolioMarginNotEnabled,
    );
    assert_eq!(b.m.margin_state(&b.env, &t.margin).margin_mode, 0);
}

#[test]
fn bad_modes_ranges_and_signers_are_refused_by_name() {
    let mut b = setup();
    let t = b.trader(10_000 * USD);
    // A change of rule waits while trading is paused.
    b.v.set_pause(&mut b.env, pause::TRADING).expect("pause");
    expect_error(
        b.m.set_margin_mode(&mut b.env, &b.v, &t, margin_mode::PORTFOLIO),
        VaultError::TradingPaused,
    );
    b.v.set_pause(&mut b.env, 0).expect("unpause");
    expect_error(
        b.m.set_margin_mode(&mut b.env, &b.v, &t, 2),
        VaultError::InvalidMarginMode,
    );
    // Someone else's signature on the owner's account.
    let intruder = b.trader(10 * USD);
    let mut ix =
        b.m.set_margin_mode_ix(&b.v, intruder.wallet.pubkey(), margin_mode::PORTFOLIO);
    ix.accounts[4].pubkey = t.margin;
    expect_error(
        b.env.send(&[ix], &[&intruder.wallet]),
        VaultError::WrongMarginAccountOwner,
    );
    for (first, count) in [(0, 0), (30, 3), (255, 1)] {
        let ix = b.m.refresh_scenarios_ix(first, count);
        expect_error(b.env.send(&[ix], &[]), VaultError::InvalidSeriesRange);
    }
    assert_eq!(b.m.margin_state(&b.env, &t.margin).margin_mode, 0);
}

#[test]
fn a_call_spread_needs_far_less_under_pm_and_cannot_switch_back_below_initial() {
    let mut b = setup();
    // Standard: the short ATM call alone needs 15% of spot at initial; $6,000 is not enough.
    let standard = b.trader(6_000 * USD);
    b.m.trade_option(&mut b.env, &b.v, &standard, b.call_70k, ONE)
        .expect("buy the wing");
    expect_error(
        b.m.trade_option(&mut b.env, &b.v, &standard, b.atm_call, -ONE),
        VaultError::InsufficientMargin,
    );
    // Portfolio: the spread can lose at most its $5,000 width.
    let t = pm_trader(&mut b, 6_000);
    b.m.refresh_scenarios(&mut b.env).expect("scenarios");
    b.m.trade_option(&mut b.env, &b.v, &t, b.call_70k, ONE)
        .expect("buy the wing");
    b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, -ONE)
        .expect("sell the body under PM");
    let health = pm_health(&mut b, &t);
    assert!(health.meets_initial);
    assert!(
        health.maintenance_margin <= 5_000 * USD,
        "PM maintenance {} above the width",
        health.maintenance_margin
    );
    let standard_initial = (SPOT * 0.15) as u64 * USD;
    assert!(health.initial_margin * 2 < standard_initial);
    // Back to standard would leave it below initial: refused, mode unchanged.
    expect_error(
        b.m.set_margin_mode(&mut b.env, &b.v, &t, margin_mode::STANDARD),
        VaultError::InsufficientMargin,
    );
    assert!(b.m.margin_state(&b.env, &t.margin).is_portfolio());
    b.assert_accounting();
}

#[test]
fn pm_checks_need_a_fresh_scenario_cache() {
    let mut b = setup();
    let t = pm_trader(&mut b, 20_000);
    // No cache yet for the series: the trade's margin check names it.
    expect_error(
        b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE),
        VaultError::ScenariosStale,
    );
    let ix = b.m.refresh_scenarios_ix(0, 16);
    let meta = b
        .env
        .send(&[compute_limit(1_400_000), ix], &[])
        .expect("scenarios");
    let event = events::<ScenariosRefreshed>(&meta).remove(0);
    assert_eq!((event.first_series, event.series_refreshed), (0, 3));
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE)
        .expect("sell a put under PM");
    // Marks refreshed but the cache older than marks_max_age_secs: refused, not guessed.
    b.move_spot(default_risk().marks_max_age_secs as i64 + 1, SPOT);
    let ix = b.m.check_margin_ix(&b.v, t.margin);
    expect_error(b.env.send(&[ix], &[]), VaultError::ScenariosStale);
    assert!(pm_health(&mut b, &t).meets_initial);
}

/// Found in the round-two review, not demonstrated then: the scenario cache was formed around
/// the spot of its refresh and then judged accounts at any later spot for `marks_max_age_secs`
/// (600 s, a 2.5% move at BTC's 99.9th percentile), so every scenario sat off by the drift, and
/// chunked refreshes could leave an account's legs on grids around different spots. A cache now
/// counts only while the price is within a quarter grid step (1% at the presets) of the spot it
/// was formed at; past that a check is refused by name until the cache is formed again.
#[test]
fn a_scenario_cache_formed_at_another_spot_does_not_judge() {
    let mut b = setup();
    let t = pm_trader(&mut b, 20_000);
    b.m.refresh_scenarios(&mut b.env).expect("scenarios");
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE)
        .expect("sell a put under PM");
    let check = b.m.check_margin_ix(&b.v, t.margin);
    b.move_spot(10, SPOT * 1.009);
    b.env
        .send(std::slice::from_ref(&check), &[])
        .expect("within a quarter step of the grid's spot");
    b.move_spot(10, SPOT * 0.975);
    expect_error(
        b.env.send(std::slice::from_ref(&check), &[]),
        VaultError::ScenariosStale,
    );
    // Selling more at the drifted cache is refused the same way.
    expect_error(
        b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE),
        VaultError::ScenariosStale,
    );
    b.m.refresh_scenarios(&mut b.env)
        .expect("formed at the new spot");
    b.env
        .send(std::slice::from_ref(&check), &[])
        .expect("judged on a grid around the price");
}

/// The chain's cache is exactly what the native code (the keeper's) computes from the same spot,
/// surface and time, and the chain's requirement exactly the native requirement over it.
fn assert_native_agrees(b: &mut Book, t: &Trader) {
    let health = pm_health(b, t);
    let market: Market = b.env.anchor_account(&b.m.market);
    let book = b.m.book_state(&b.env);
    let surface = b.m.surface_state(&b.env);
    let now = b.env.now();
    let grid = Grid::new(market.risk.portfolio(), market.last_price).expect("grid");
    for series in book.series.iter().filter(|s| s.scenario_ts == now) {
        let mut native = *series;
        store_scenarios(&mut native, &grid, &surface, now).expect("native");
        assert_eq!(native.scenario_pnl, series.scenario_pnl, "scenario cache");
    }
    let account = b.m.margin_state(&b.env, &t.margin);
    let list = PmList::of(&account, &book, &market, market.last_price, now).expect("fresh");
    let pm = requirement(
        &market.risk.portfolio(),
        list.positions(),
        account.hedge.get().size,
        market.last_price,
    )
    .expect("requirement");
    assert_eq!(u128::from(health.maintenance_margin), pm.maintenance);
    assert_eq!(u128::from(health.initial_margin), pm.initial);
}

#[test]
fn the_chain_and_the_keeper_compute_the_same_requirement_on_random_books() {
    let mut b = setup();
    let later = b.expiry + 60 * DAY;
    let mut series = vec![b.atm_call, b.put_60k, b.call_70k];
    for (strike, side) in [(55_000.0, PUT), (75_000.0, CALL), (65_000.0, PUT)] {
        series.push(b.m.list(&mut b.env, &b.v, strike, later, side));
    }
    let cases = fuzz_cases("PM_AGREEMENT_CASES", 6);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let b = std::cell::RefCell::new(b);
    runner
        .run(
            &proptest::collection::vec((0usize..6, -20i64..=20), 1..6),
            |trades| {
                let mut guard = b.borrow_mut();
                let b = &mut *guard;
                let t = pm_trader(b, 200_000);
                b.m.refresh_scenarios(&mut b.env).expect("scenarios");
                for (which, tenths) in trades {
                    if tenths != 0 {
                        // Some trades fail on caps or margin; the book is whatever stands.
                        let _ = b.m.trade_option(
                            &mut b.env,
                            &b.v,
                            &t,
                            series[which],
                            tenths * ONE / 10,
                        );
                    }
                }
                assert_native_agrees(b, &t);
                Ok(())
            },
        )
        .expect("agreement");
}

#[test]
fn pm_liquidation_restores_the_target_and_keeps_the_hedge_leg() {
    let mut b = setup();
    let t = pm_trader(&mut b, 30_000);
    b.m.refresh_scenarios(&mut b.env).expect("scenarios");
    // A bull call spread (long 65k, short 70k) sits in the first slots: closing its short leg
    // would leave the long call alone, which can lose more. The naked 60k put is the risk.
    b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, ONE)
        .expect("long body");
    b.m.trade_option(&mut b.env, &b.v, &t, b.call_70k, -ONE)
        .expect("short wing");
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -2 * ONE)
        .expect("naked puts");
    // Just above initial margin.
    let h = pm_health(&mut b, &t);
    let spare = (h.equity as u64 - h.initial_margin) - 10 * USD;
    let ix =
        b.m.withdraw_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, spare);
    b.env
        .send(&[ix], &[&t.wallet])
        .expect("withdraw spare collateral");
    let mut spot = SPOT;
    let before = loop {
        spot -= 500.0;
        b.move_spot(5, spot);
        let h = pm_health(&mut b, &t);
        if !h.meets_maintenance {
            break h;
        }
        assert!(spot > 40_000.0, "never fell below maintenance");
    };
    assert!(before.equity > 0);
    let l = b.trader(50_000 * USD);
    let meta = b.liquidate_absorb(&t, &l).expect("liquidate under PM");
    let event = events::<Liquidated>(&meta).remove(0);
    assert!(!event.bankrupt && event.units > 0);
    let account = b.m.margin_state(&b.env, &t.margin);
    assert_eq!(
        account.position_size(0, b.call_70k),
        -ONE,
        "the spread's short leg stays"
    );
    assert_eq!(account.position_size(0, b.atm_call), ONE);
    assert!(account.position_size(0, b.put_60k) > -2 * ONE);
    let after = pm_health(&mut b, &t);
    assert!(after.meets_maintenance);
    assert!(after.maintenance_margin < before.maintenance_margin);
    let target = (after.initial_margin + after.maintenance_margin).div_ceil(2);
    assert!(
        after.equity as u64 + USD >= target,
        "equity {} below target {target}",
        after.equity
    );
    b.assert_accounting();
}

#[test]
fn switching_mode_reports_the_new_requirement() {
    let mut b = setup();
    let t = b.trader(30_000 * USD);
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE)
        .expect("sell a put");
    let standard = b.health(&t);
    b.m.refresh_scenarios(&mut b.env).expect("scenarios");
    let meta =
        b.m.set_margin_mode(&mut b.env, &b.v, &t, margin_mode::PORTFOLIO)
            .expect("opt in");
    let set = events::<MarginModeSet>(&meta).remove(0);
    assert_eq!(set.margin_mode, margin_mode::PORTFOLIO);
    assert_ne!(set.maintenance_margin, standard.maintenance_margin);
    b.m.set_margin_mode(&mut b.env, &b.v, &t, margin_mode::STANDARD)
        .expect("back to standard while above its initial");
    assert_eq!(b.health(&t).maintenance_margin, standard.maintenance_margin);
}
