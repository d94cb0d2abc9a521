//! The hedge leg on the SBF build: providers register and quote, the keeper's `rebalance_hedge`
//! fills against the best live quote at oracle ± spread and cannot be applied twice, the hedge
//! counts in the vault's NAV, delta and locked collateral, a provider's perpetual counts in its
//! margin and is liquidated by the same engine, and every rejection by name.
use exposure_vault::error::VaultError;
use exposure_vault::events::{HedgeRebalanced, Liquidated};
use exposure_vault::state::{pause, HedgeBook};
use exposure_vault_tests::options::{Trader, ONE};
use exposure_vault_tests::{default_risk, events, expect_error};
use solana_signer::Signer;

use super::trading::{setup, Book, SPOT};

const SPREAD_BPS: u16 = 10;
/// As much as $20,000 backs: a full fill's initial margin is 10% of $162,500.
const MAX_SIZE: u64 = 5 * ONE as u64 / 2;

/// Traders buy five ATM calls from the vault, which is left short about 2.6 BTC of delta; one
/// provider with $20,000 quotes 2.5 BTC each side at 10 bps.
fn short_delta_book() -> (Book, Trader) {
    let mut b = setup();
    let buyer = b.trader(100_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &buyer, b.atm_call, 5 * ONE)
        .expect("buy calls");
    let provider =
        b.m.new_hedge_provider(&mut b.env, &b.v, 20_000 * 1_000_000, MAX_SIZE, SPREAD_BPS);
    (b, provider)
}

fn vault_delta(b: &Book) -> f64 {
    let book = b.m.book_state(&b.env);
    let options: f64 = book
        .series
        .iter()
        .filter_map(|s| Some(s.vault_position()? as f64 * s.mark_delta as f64))
        .sum::<f64>()
        / 1e12;
    options + book.vault_hedge.size as f64 / ONE as f64
}

#[test]
fn a_rebalance_fills_at_oracle_plus_spread_and_moves_both_sides() {
    let (mut b, provider) = short_delta_book();
    let delta_before = vault_delta(&b);
    assert!(delta_before < -2.0, "vault delta {delta_before}");
    let vault_before = b.v.state(&b.env);
    let tokens_before = b.env.token_balance(&b.v.vault_token);

    let meta =
        b.m.rebalance_hedge(&mut b.env, &b.v, &provider, 2 * ONE, 20)
            .expect("rebalance");
    let event = events::<HedgeRebalanced>(&meta).remove(0);
    assert_eq!(event.seq, 0);
    assert_eq!(event.fill_price, 65_065_000_000, "65,000 · (1 + 10 bps)");
    assert_eq!(event.vault_hedge_size, 2 * ONE);
    assert_eq!(event.realised_to_provider, 0);

    let book = b.m.book_state(&b.env);
    let theirs = b.m.margin_state(&b.env, &provider.margin);
    assert_eq!(book.vault_hedge.size, 2 * ONE);
    assert_eq!(book.vault_hedge.quote_entry, -130_130_000_000);
    assert_eq!(theirs.hedge.size, -2 * ONE);
    assert_eq!(theirs.hedge.quote_entry, 130_130_000_000);
    let hedge_book = b.m.hedge_book_state(&b.env);
    assert_eq!(hedge_book.rebalance_seq, 1);
    assert_eq!(
        hedge_book.quotes[0].max_vault_buy,
        MAX_SIZE - 2 * ONE as u64
    );
    assert_eq!(hedge_book.quotes[0].max_vault_sell, MAX_SIZE);

    // Delta moved by exactly the hedge; NAV by the spread paid; locked collateral by the
    // perpetual's initial margin (10% of notional, at the top of the confidence interval).
    assert!((vault_delta(&b) - (delta_before + 2.0)).abs() < 1e-9);
    let vault = b.v.state(&b.env);
    assert_eq!(
        vault.options_value - vault_before.options_value,
        -130_000_000,
        "2 BTC · $65 of spread"
    );
    let extra_lock = vault.locked_liability - vault_before.locked_liability;
    assert!(
        (13_000_000_000..13_020_000_000).contains(&extra_lock),
        "{extra_lock}"
    );
    // No money moved: the fill is a position change on both sides.
    assert_eq!(b.env.token_balance(&b.v.vault_token), tokens_before);
    assert_eq!(vault.lp_assets, vault_before.lp_assets);
    b.assert_accounting();
}

#[test]
fn a_duplicated_rebalance_cannot_hedge_twice() {
    let (mut b, provider) = short_delta_book();
    let ix =
        b.m.rebalance_hedge_ix(&b.v, b.v.keeper, provider.margin, 0, 2 * ONE, 20);
    b.env
        .send(std::slice::from_ref(&ix), &[&b.v.keeper_wallet])
        .expect("first");
    // The same instruction re-signed (a retry after a lost confirmation, or a second keeper).
    expect_error(
        b.env.send(&[ix], &[&b.v.keeper_wallet]),
        VaultError::RebalanceSequenceMismatch,
    );
    assert_eq!(b.m.book_state(&b.env).vault_hedge.size, 2 * ONE);
    assert_eq!(b.m.hedge_book_state(&b.env).rebalance_seq, 1);
    // A sequence from the future is refused too.
    let ahead =
        b.m.rebalance_hedge_ix(&b.v, b.v.keeper, provider.margin, 5, ONE, 20);
    expect_error(
        b.env.send(&[ahead], &[&b.v.keeper_wallet]),
        VaultError::RebalanceSequenceMismatch,
    );
}

#[test]
fn only_the_keeper_rebalances_and_never_while_trading_is_paused() {
    let (mut b, provider) = short_delta_book();
    let intruder = b.env.new_funded_keypair(1_000_000_000);
    let ix =
        b.m.rebalance_hedge_ix(&b.v, intruder.pubkey(), provider.margin, 0, 2 * ONE, 20);
    expect_error(
        b.env.send(&[ix], &[&intruder]),
        VaultError::UnauthorizedKeeper,
    );
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &provider, 0, 20),
        VaultError::ZeroAmount,
    );
    b.v.set_pause(&mut b.env, pause::TRADING).expect("pause");
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &provider, 2 * ONE, 20),
        VaultError::TradingPaused,
    );
    let expiry = b.env.now() + 60;
    expect_error(
        b.m.post_hedge_quote(&mut b.env, &b.v, &provider, MAX_SIZE, 5, expiry),
        VaultError::TradingPaused,
    );
    assert!(b.m.book_state(&b.env).vault_hedge.is_flat());
}

#[test]
fn the_tightest_live_quote_with_capacity_fills() {
    let (mut b, wide) = short_delta_book();
    let tight =
        b.m.new_hedge_provider(&mut b.env, &b.v, 20_000 * 1_000_000, ONE as u64, 5);
    // The tight quote cannot fill 2 BTC: the wide one is best, and naming another is refused.
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &tight, 2 * ONE, 20),
        VaultError::NotBestHedgeQuote,
    );
    // 1 BTC fits the tight quote: naming the wide one is refused, the tight one fills.
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &wide, ONE, 20),
        VaultError::NotBestHedgeQuote,
    );
    let meta =
        b.m.rebalance_hedge(&mut b.env, &b.v, &tight, ONE, 20)
            .expect("tight");
    assert_eq!(
        events::<HedgeRebalanced>(&meta)[0].fill_price,
        65_032_500_000
    );
    // Its capacity is used up, so the wide quote is best again; once that one expires nothing
    // can fill.
    b.m.rebalance_hedge(&mut b.env, &b.v, &wide, ONE, 20)
        .expect("wide");
    b.env.warp_seconds(3_601);
    b.m.set_price(&mut b.env, SPOT, 5);
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &wide, ONE, 20),
        VaultError::NoLiveHedgeQuote,
    );
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &wide, 100 * ONE, 20),
        VaultError::NoLiveHedgeQuote,
    );
}

#[test]
fn the_keepers_slippage_bound_holds() {
    let (mut b, provider) = short_delta_book();
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &provider, 2 * ONE, SPREAD_BPS - 1),
        VaultError::HedgeSlippageExceeded,
    );
    b.m.rebalance_hedge(&mut b.env, &b.v, &provider, 2 * ONE, SPREAD_BPS)
        .expect("at the bound");
}

#[test]
fn quotes_are_checked() {
    let (mut b, provider) = short_delta_book();
    let now = b.env.now();
    for (spread, expiry) in [
        (HedgeBook::MAX_SPREAD_BPS + 1, now + 60),
        (10, now),
        (10, now + HedgeBook::MAX_QUOTE_LIFETIME_SECS + 1),
    ] {
        expect_error(
            b.m.post_hedge_quote(&mut b.env, &b.v, &provider, MAX_SIZE, spread, expiry),
            VaultError::InvalidHedgeQuote,
        );
    }
    let outsider = b.trader(1_000 * 1_000_000);
    expect_error(
        b.m.post_hedge_quote(&mut b.env, &b.v, &outsider, MAX_SIZE, 10, now + 60),
        VaultError::NotHedgeProvider,
    );
    // Someone else's margin account, signed by the wrong owner.
    let ix =
        b.m.post_hedge_quote_ix(&b.v, outsider.wallet.pubkey(), 1, 1, 10, now + 60);
    let mut accounts = ix.clone();
    accounts.accounts[4].pubkey = provider.margin; // margin_account
    expect_error(
        b.env.send(&[accounts], &[&outsider.wallet]),
        VaultError::WrongMarginAccountOwner,
    );
    expect_error(
        b.env.send(
            &[b.m.register_hedge_provider_ix(provider.wallet.pubkey())],
            &[&provider.wallet],
        ),
        VaultError::HedgeProviderAlreadyRegistered,
    );
    // A non-provider cannot be named as the counterparty.
    let ix =
        b.m.rebalance_hedge_ix(&b.v, b.v.keeper, outsider.margin, 0, ONE, 20);
    expect_error(
        b.env.send(&[ix], &[&b.v.keeper_wallet]),
        VaultError::NotHedgeProvider,
    );
    // A provider stays registered, so its account cannot be closed. Its quote is backed until
    // it withdraws the quote.
    let ix = b.m.close_margin_account_ix(provider.wallet.pubkey());
    let expiry = now + 60;
    b.m.post_hedge_quote(&mut b.env, &b.v, &provider, 0, 10, expiry)
        .expect("withdraw the quote");
    let drained = b.m.withdraw_collateral_ix(
        &b.v,
        provider.wallet.pubkey(),
        provider.collateral,
        20_000 * 1_000_000,
    );
    b.env
        .send(&[drained], &[&provider.wallet])
        .expect("withdraw all");
    expect_error(
        b.env.send(&[ix], &[&provider.wallet]),
        VaultError::HedgePositionOpen,
    );
}

#[test]
fn the_provider_must_meet_initial_margin_and_the_fill_must_hedge() {
    let (mut b, _) = short_delta_book();
    let thin = b.trader(1_000 * 1_000_000);
    b.env
        .send(
            &[b.m.register_hedge_provider_ix(thin.wallet.pubkey())],
            &[&thin.wallet],
        )
        .expect("register");
    let expiry = b.env.now() + 60;
    expect_error(
        b.m.post_hedge_quote(&mut b.env, &b.v, &thin, MAX_SIZE, 1, expiry),
        VaultError::HedgeQuoteUnbacked,
    );
    let mut b = setup();
    let provider =
        b.m.new_hedge_provider(&mut b.env, &b.v, 20_000 * 1_000_000, MAX_SIZE, SPREAD_BPS);
    // A flat vault has nothing to hedge: buying 1 BTC only adds delta.
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &provider, ONE, 20),
        VaultError::RebalanceDoesNotReduceDelta,
    );
    // Nor may the keeper ask for more slippage than the market allows.
    let limit = default_risk().max_hedge_slippage_bps;
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &provider, -ONE, limit + 1),
        VaultError::HedgeSlippageAboveMarketLimit,
    );
}

#[test]
fn a_losing_provider_is_liquidated_and_settles_its_loss_when_flat() {
    let (mut b, provider) = short_delta_book();
    b.m.rebalance_hedge(&mut b.env, &b.v, &provider, 2 * ONE, 20)
        .expect("rebalance");
    // Up 65,000 → 70,000: the short perp lost $9,870 of its $20,000, still above maintenance.
    b.move_spot(5, 70_000.0);
    assert!(b.health(&provider).meets_maintenance);
    b.move_spot(5, 72_000.0);
    let before = b.health(&provider);
    assert!(!before.meets_maintenance && before.equity > 0);

    let liquidator = b.trader(10_000 * 1_000_000);
    let meta = b
        .liquidate_absorb(&provider, &liquidator)
        .expect("liquidate");
    let event = events::<Liquidated>(&meta).remove(0);
    assert!(!event.bankrupt && event.penalty > 0);
    assert!(
        event.units > 0 && event.units < 2 * ONE as u64,
        "partial: {}",
        event.units
    );
    let book = b.m.book_state(&b.env);
    let theirs = b.m.margin_state(&b.env, &provider.margin);
    assert_eq!(theirs.hedge.size, -2 * ONE + event.units as i64);
    assert_eq!(
        book.vault_hedge.size, -theirs.hedge.size,
        "the vault took it"
    );
    assert!(b.health(&provider).meets_maintenance);
    b.assert_accounting();

    // The buyer's calls are sold back to the vault by another trader, so the vault's delta is
    // its long hedge alone; the keeper sells that back: the provider goes flat and its loss
    // moves from its collateral to the LPs.
    let seller = b.trader(200_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &seller, b.atm_call, -5 * ONE)
        .expect("the vault buys the calls back");
    let book = b.m.book_state(&b.env);
    let lp_before = b.v.state(&b.env).lp_assets;
    let collateral_before = theirs.collateral;
    // Under initial margin, the provider can only quote the side that shrinks its perpetual.
    let held = book.vault_hedge.size;
    let owner = provider.wallet.pubkey();
    let expiry = b.env.now() + 60;
    let ix =
        b.m.post_hedge_quote_ix(&b.v, owner, 0, held as u64, 10, expiry);
    b.env
        .send(&[ix], &[&provider.wallet])
        .expect("a reducing quote");
    let meta =
        b.m.rebalance_hedge(&mut b.env, &b.v, &provider, -book.vault_hedge.size, 20)
            .expect("flatten");
    let event = events::<HedgeRebalanced>(&meta).remove(0);
    assert!(event.realised_to_provider < 0);
    let loss = event.realised_to_provider.unsigned_abs();
    let theirs = b.m.margin_state(&b.env, &provider.margin);
    assert!(theirs.hedge.is_flat());
    assert!(b.m.book_state(&b.env).vault_hedge.is_flat());
    assert_eq!(theirs.collateral, collateral_before - loss);
    assert_eq!(b.v.state(&b.env).lp_assets, lp_before + loss);
    b.assert_accounting();
}
