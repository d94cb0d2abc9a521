//! Option hedges from providers on the SBF build: a registered provider's standing quote in vol
//! terms on a listed series, the keeper's `rebalance_option_hedge` filling the best one to bring the
//! vault's vega back toward zero, the position then margined in the provider's account like any
//! trader's, and every refusal by name, the rogue keeper's churn included.
use anchor_lang::prelude::Pubkey;
use exposure_vault::error::VaultError;
use exposure_vault::events::{HedgeQuoteCancelled, OptionHedgeRebalanced};
use exposure_vault::state::{HedgeBook, HedgeQuote, Series};
use exposure_vault_tests::options::{Trader, CALL, ONE};
use exposure_vault_tests::{events, expect_error};
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::trading::{setup, Book, SPOT};

/// A trader buys five ATM calls: the vault is short about $370 of vega per vol point. A provider
/// with $50,000 quotes 3 calls each side at 58/62 vol (the surface says 60).
fn short_vega_book() -> (Book, Trader) {
    let mut b = setup();
    let buyer = b.trader(100_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &buyer, b.atm_call, 5 * ONE)
        .expect("buy calls");
    let provider = provider(&mut b, 50_000, (0.58, 0.62));
    (b, provider)
}

/// A registered provider with `usd` of collateral quoting 3 ATM calls each side at `vols`.
fn provider(b: &mut Book, usd: u64, vols: (f64, f64)) -> Trader {
    let provider =
        b.m.new_hedge_provider(&mut b.env, &b.v, usd * 1_000_000, 0, 10);
    b.m.post_option_quote(
        &mut b.env,
        &b.v,
        &provider,
        b.atm_call,
        vols,
        3 * ONE as u64,
    )
    .expect("option quote");
    provider
}

/// The vault's net vega, or dollar gamma per 1%, at the book's marks (quote).
fn vault_greek(b: &Book, greek: fn(&Series) -> u64) -> i64 {
    let book = b.m.book_state(&b.env);
    book.series
        .iter()
        .filter_map(|s| Some(s.vault_position()? * greek(s) as i64 / ONE))
        .sum()
}

fn vault_vega(b: &Book) -> i64 {
    vault_greek(b, |s| s.mark_vega)
}

fn vault_gamma(b: &Book) -> i64 {
    vault_greek(b, |s| s.mark_gamma)
}

#[test]
fn the_vault_buys_vega_from_the_best_option_quote() {
    let (mut b, provider) = short_vega_book();
    let vega_before = vault_vega(&b);
    assert!(vega_before < 0, "the vault is short vega: {vega_before}");
    let lp_before = b.v.state(&b.env).lp_assets;
    let collateral_before = b.m.margin_state(&b.env, &provider.margin).collateral;

    let meta =
        b.m.rebalance_option_hedge(&mut b.env, &b.v, &provider, (b.atm_call, 2 * ONE), 0.65)
            .expect("hedge");
    let fill = events::<OptionHedgeRebalanced>(&meta).remove(0);
    assert_eq!((fill.seq, fill.size, fill.vol), (0, 2 * ONE, 620_000));
    assert!((fill.surface_vol as i64 - 600_000).abs() < 20_000);
    // Two 30-day ATM calls at 62 vol: about $4,600 each.
    assert!(
        (9_000_000_000..9_400_000_000).contains(&fill.premium),
        "{}",
        fill.premium
    );
    assert!(vault_vega(&b).abs() < vega_before.abs());
    assert_eq!(b.m.hedge_book_state(&b.env).rebalance_seq, 1);

    // The provider is short the calls, paid the premium by the LPs; the quote is used up.
    let account = b.m.margin_state(&b.env, &provider.margin);
    assert_eq!(account.position_size(0, b.atm_call), -2 * ONE);
    assert_eq!(account.collateral, collateral_before + fill.premium);
    assert_eq!(b.v.state(&b.env).lp_assets, lp_before - fill.premium);
    let quote = b.m.hedge_book_state(&b.env).quotes[0].options[0];
    assert_eq!(
        (quote.max_vault_buy, quote.max_vault_sell),
        (ONE as u64, 3 * ONE as u64)
    );
    b.assert_accounting();

    // Its short counts in its margin like any trader's.
    let all = account.collateral;
    let ix =
        b.m.withdraw_collateral_ix(&b.v, provider.wallet.pubkey(), provider.collateral, all);
    expect_error(
        b.env.send(&[ix], &[&provider.wallet]),
        VaultError::InsufficientMargin,
    );
}

#[test]
fn only_the_best_live_quote_fills_within_the_keepers_and_the_markets_limits() {
    let (mut b, wide) = short_vega_book();
    let tight = provider(&mut b, 50_000, (0.59, 0.61));
    expect_error(
        b.m.rebalance_option_hedge(&mut b.env, &b.v, &wide, (b.atm_call, ONE), 0.65),
        VaultError::NotBestHedgeQuote,
    );
    expect_error(
        b.m.rebalance_option_hedge(&mut b.env, &b.v, &tight, (b.atm_call, ONE), 0.60),
        VaultError::HedgeSlippageExceeded,
    );
    // More than any quote holds, a series nobody quotes.
    expect_error(
        b.m.rebalance_option_hedge(&mut b.env, &b.v, &tight, (b.atm_call, 4 * ONE), 0.65),
        VaultError::NoLiveOptionQuote,
    );
    expect_error(
        b.m.rebalance_option_hedge(&mut b.env, &b.v, &tight, (b.call_70k, ONE), 0.65),
        VaultError::NoLiveOptionQuote,
    );
    // Only the keeper, only at the current sequence.
    let intruder = Keypair::new();
    let ix = b.m.rebalance_option_hedge_ix(
        &b.v,
        intruder.pubkey(),
        tight.margin,
        0,
        (b.atm_call, ONE),
        650_000,
    );
    expect_error(
        b.env.send(&[ix], &[&intruder]),
        VaultError::UnauthorizedKeeper,
    );
    let ix = b.m.rebalance_option_hedge_ix(
        &b.v,
        b.v.keeper,
        tight.margin,
        7,
        (b.atm_call, ONE),
        650_000,
    );
    expect_error(
        b.env.send(&[ix], &[&b.v.keeper_wallet]),
        VaultError::RebalanceSequenceMismatch,
    );
    b.m.rebalance_option_hedge(&mut b.env, &b.v, &tight, (b.atm_call, ONE), 0.61)
        .expect("the tight quote");
}

#[test]
fn a_quote_beyond_the_markets_vol_edge_cannot_fill() {
    let mut b = setup();
    let buyer = b.trader(100_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &buyer, b.atm_call, 5 * ONE)
        .expect("buy calls");
    // The only quote asks 70 vol: 17% over the surface's 60, past the 5% edge.
    let greedy = provider(&mut b, 50_000, (0.5, 0.7));
    expect_error(
        b.m.rebalance_option_hedge(&mut b.env, &b.v, &greedy, (b.atm_call, ONE), 2.0),
        VaultError::OptionHedgeVolAboveMarketLimit,
    );
    // At 63 it is inside.
    b.m.post_option_quote(
        &mut b.env,
        &b.v,
        &greedy,
        b.atm_call,
        (0.5, 0.63),
        3 * ONE as u64,
    )
    .expect("requote");
    b.m.rebalance_option_hedge(&mut b.env, &b.v, &greedy, (b.atm_call, ONE), 2.0)
        .expect("within the edge");
}

/// The keeper key gone rogue, with an accomplice provider: buying calls the vault does not
/// need, or buying and selling them back, would pay the accomplice its edge on every round.
/// Each fill must cut the vault's option risk (vega and gamma, each over its cap) by half the
/// risk it trades.
#[test]
fn a_rogue_keeper_cannot_churn_options_against_an_accomplice() {
    let (mut b, _) = short_vega_book();
    let accomplice = provider(&mut b, 300_000, (0.59, 0.61));
    b.m.rebalance_option_hedge(&mut b.env, &b.v, &accomplice, (b.atm_call, 3 * ONE), 0.65)
        .expect("a hedge");
    b.m.post_option_quote(
        &mut b.env,
        &b.v,
        &accomplice,
        b.atm_call,
        (0.59, 0.61),
        10 * ONE as u64,
    )
    .expect("requote");
    // Selling back adds vega again; buying 10 more overshoots a short of 2 calls.
    for size in [-3 * ONE, 10 * ONE] {
        expect_error(
            b.m.rebalance_option_hedge(&mut b.env, &b.v, &accomplice, (b.atm_call, size), 2.0),
            VaultError::OptionHedgeDoesNotCutOptionRisk,
        );
    }
    // A vault with no vega has nothing to hedge.
    let mut flat = setup();
    let p = provider(&mut flat, 50_000, (0.58, 0.62));
    expect_error(
        flat.m
            .rebalance_option_hedge(&mut flat.env, &flat.v, &p, (flat.atm_call, ONE), 0.65),
        VaultError::OptionHedgeDoesNotCutOptionRisk,
    );
}

/// A calendar: the vault is short five 30-day calls and long 90-day calls of the same vega, so
/// its vega is flat and its gamma short. Buying 30-day calls cuts the gamma (their gamma is a
/// larger share of its cap than their vega of its): accepted, though it adds vega. Selling
/// them back, which cuts that vega, adds the gamma again: refused, so the keeper key cannot
/// churn the series between the two Greeks.
#[test]
fn a_gamma_excess_is_hedged_while_vega_is_flat_and_cannot_be_churned() {
    let mut b = setup();
    let back_month = b.expiry + 60 * 86_400;
    let call_90d = b.m.list(&mut b.env, &b.v, SPOT, back_month, CALL);
    let trader = b.trader(200_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &trader, b.atm_call, 5 * ONE)
        .expect("buy front-month calls");
    b.m.trade_option(&mut b.env, &b.v, &trader, call_90d, -ONE)
        .expect("sell a back-month call");
    let book = b.m.book_state(&b.env);
    let (front, back) = (
        book.series[usize::from(b.atm_call)],
        book.series[usize::from(call_90d)],
    );
    let flat = 5 * ONE * front.mark_vega as i64 / back.mark_vega as i64;
    b.m.trade_option(&mut b.env, &b.v, &trader, call_90d, ONE - flat)
        .expect("sell back-month calls");
    let (vega, gamma) = (vault_vega(&b), vault_gamma(&b));
    // $1 of vega per vol point is nothing against thousands of dollars of gamma per 1%.
    assert!(vega.abs() < 5_000_000, "vega {vega}");
    assert!(gamma < -3_000_000_000, "gamma {gamma}");

    let p = provider(&mut b, 100_000, (0.58, 0.62));
    let meta =
        b.m.rebalance_option_hedge(&mut b.env, &b.v, &p, (b.atm_call, 2 * ONE), 0.65)
            .expect("a gamma hedge");
    let fill = events::<OptionHedgeRebalanced>(&meta).remove(0);
    assert!(fill.vault_net_vega > 100_000_000, "the hedge adds vega");
    let gamma_after = vault_gamma(&b);
    assert!(
        gamma_after.abs() < gamma.abs() / 2,
        "{gamma} -> {gamma_after}"
    );
    expect_error(
        b.m.rebalance_option_hedge(&mut b.env, &b.v, &p, (b.atm_call, -2 * ONE), 0.5),
        VaultError::OptionHedgeDoesNotCutOptionRisk,
    );
}

/// Posting a quote moves no money: its backing is judged at the market's newest accepted price
/// while that is within the oracle's age limit, so a provider need not post a pull-oracle
/// update with every quote; once it is older, at the oracle account's, which must then be
/// fresh. Either way nothing is recorded on the market.
#[test]
fn quote_backing_reads_the_markets_newest_price_and_the_oracle_once_it_is_old() {
    let (mut b, provider) = short_vega_book();
    let owner = provider.wallet.pubkey();
    let quote_ix = |b: &Book, oracle| {
        let mut ix = b.m.post_option_quote_ix(
            &b.v,
            owner,
            b.atm_call,
            (580_000, 620_000),
            (ONE as u64, ONE as u64),
            b.env.now() + 600,
        );
        for meta in ix.accounts.iter_mut().filter(|m| m.pubkey == b.m.oracle) {
            meta.pubkey = oracle;
        }
        ix
    };
    // The market's price is fresh: the oracle account is not even read.
    let not_an_oracle = Pubkey::new_unique();
    b.env
        .send(&[quote_ix(&b, not_an_oracle)], &[&provider.wallet])
        .expect("backed at the market's price");
    // Two minutes on, nothing has refreshed the market: the oracle is read, and must be fresh.
    b.env.warp_seconds(120);
    let recorded = b.v.market(&b.env, 0).last_publish_time;
    expect_error(
        b.env.send(&[quote_ix(&b, b.m.oracle)], &[&provider.wallet]),
        VaultError::OracleStale,
    );
    b.m.set_price(&mut b.env, SPOT, 5);
    b.env
        .send(&[quote_ix(&b, b.m.oracle)], &[&provider.wallet])
        .expect("backed at the oracle's price");
    assert_eq!(b.v.market(&b.env, 0).last_publish_time, recorded);
}

#[test]
fn option_quotes_are_checked_and_must_be_backed() {
    let (mut b, provider) = short_vega_book();
    let now = b.env.now();
    let owner = provider.wallet.pubkey();
    let size = (ONE as u64, ONE as u64);
    let cases = [
        (b.atm_call, (620_000, 580_000), now + 60),
        (b.atm_call, (0, 580_000), now + 60),
        (b.atm_call, (580_000, 620_000), now),
        (
            b.atm_call,
            (580_000, 620_000),
            now + HedgeBook::MAX_QUOTE_LIFETIME_SECS + 1,
        ),
        (31, (580_000, 620_000), now + 60),
    ];
    for (slot, vols, expiry) in cases {
        let ix =
            b.m.post_option_quote_ix(&b.v, owner, slot, vols, size, expiry);
        expect_error(
            b.env.send(&[ix], &[&provider.wallet]),
            VaultError::InvalidOptionQuote,
        );
    }
    // Not a provider.
    let trader = b.trader(10_000 * 1_000_000);
    let ix = b.m.post_option_quote_ix(
        &b.v,
        trader.wallet.pubkey(),
        b.atm_call,
        (580_000, 620_000),
        size,
        now + 60,
    );
    expect_error(
        b.env.send(&[ix], &[&trader.wallet]),
        VaultError::NotHedgeProvider,
    );
    // $1,000 cannot back selling ten calls.
    let thin =
        b.m.new_hedge_provider(&mut b.env, &b.v, 1_000 * 1_000_000, 0, 10);
    expect_error(
        b.m.post_option_quote(
            &mut b.env,
            &b.v,
            &thin,
            b.atm_call,
            (0.58, 0.62),
            10 * ONE as u64,
        ),
        VaultError::OptionQuoteUnbacked,
    );
    // Four series per provider; a fifth needs one of them dead.
    let strikes = [75_000.0, 80_000.0];
    let extra: Vec<u8> = strikes
        .iter()
        .map(|&k| b.m.list(&mut b.env, &b.v, k, b.expiry, CALL))
        .collect();
    for slot in [b.put_60k, b.call_70k, extra[0]] {
        b.m.post_option_quote(
            &mut b.env,
            &b.v,
            &provider,
            slot,
            (0.5, 0.7),
            ONE as u64 / 10,
        )
        .expect("quote");
    }
    expect_error(
        b.m.post_option_quote(
            &mut b.env,
            &b.v,
            &provider,
            extra[1],
            (0.5, 0.7),
            ONE as u64 / 10,
        ),
        VaultError::OptionQuotesFull,
    );
    assert_eq!(HedgeQuote::MAX_OPTION_QUOTES, 4);
}

#[test]
fn a_best_quote_its_provider_can_no_longer_carry_is_withdrawn() {
    let (mut b, _) = short_vega_book();
    // A provider backed when it quotes, which then sells puts as a trader.
    let thin = provider(&mut b, 60_000, (0.58, 0.60));
    b.m.trade_option(&mut b.env, &b.v, &thin, b.put_60k, -5 * ONE)
        .expect("sells puts");
    // Spot falls 15%: the puts' margin grows past what the provider holds.
    b.move_spot(5, SPOT * 0.85);
    assert!(!b.health(&thin).meets_initial);
    let seq = b.m.hedge_book_state(&b.env).rebalance_seq;
    let meta =
        b.m.rebalance_option_hedge(&mut b.env, &b.v, &thin, (b.atm_call, ONE), 2.0)
            .expect("cancels");
    assert_eq!(events::<HedgeQuoteCancelled>(&meta).len(), 1);
    assert!(events::<OptionHedgeRebalanced>(&meta).is_empty());
    let book = b.m.hedge_book_state(&b.env);
    assert_eq!(book.rebalance_seq, seq);
    let slot = book.slot_of(&thin.margin).expect("registered");
    assert_eq!(book.quotes[slot].options[0].max_vault_buy, 0);
    b.assert_accounting();
}
