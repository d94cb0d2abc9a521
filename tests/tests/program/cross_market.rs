//! Cross-market accounts on the SBF build: one margin account per owner and vault holds
//! positions in BTC and SOL against one collateral balance. Health sums the markets (standard
//! per market, PM per market's worst loss); an instruction on one market reads the others from
//! remaining accounts, each checked, and none may be left out; liquidation closes market by
//! market.
use exposure_vault::error::VaultError;
use exposure_vault::events::{Liquidated, MarginHealth};
use exposure_vault::state::margin_mode;
use exposure_vault_client::{with_other_markets, AccountMeta, MarketKeys};
use exposure_vault_tests::options::{
    compute_limit, skewed_surface, OptionsMarket, Trader, CALL, ONE, PUT,
};
use exposure_vault_tests::{events, expect_error, TxResult};
use solana_signer::Signer;

use super::trading::{setup, Book, SPOT};

const USD: u64 = 1_000_000;

/// The BTC book plus a SOL market at $150 with a 30-day 150 call and 140 put.
pub(super) struct TwoMarkets {
    pub b: Book,
    pub sol: OptionsMarket,
    pub sol_call: u8,
    pub sol_put: u8,
}

pub(super) fn two_markets() -> TwoMarkets {
    let mut b = setup();
    let sol = OptionsMarket::create(&mut b.env, &b.v, 1, 150.0);
    let now = b.env.now();
    sol.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[b.expiry], 0.8))
        .expect("SOL surface");
    let sol_call = sol.list(&mut b.env, &b.v, 150.0, b.expiry, CALL);
    let sol_put = sol.list(&mut b.env, &b.v, 140.0, b.expiry, PUT);
    TwoMarkets {
        b,
        sol,
        sol_call,
        sol_put,
    }
}

impl TwoMarkets {
    /// `t` trades `size` of `series` on SOL, passing BTC as the other market it holds.
    pub fn trade_sol(&mut self, t: &Trader, series: u8, size: i64) -> TxResult {
        let limit = if size > 0 { u64::MAX } else { 0 };
        let ix = self
            .sol
            .trade_option_ix(&self.b.v, t.wallet.pubkey(), series, size, limit);
        let ix = with_other_markets(ix, &[self.b.m.keys]);
        self.b.env.send(&[ix], &[&t.wallet])
    }

    /// Health from BTC's `check_margin` with `others` as remaining accounts.
    fn health(&mut self, t: &Trader, others: &[MarketKeys]) -> MarginHealth {
        let ix = with_other_markets(self.b.m.check_margin_ix(&self.b.v, t.margin), others);
        let meta = self.b.env.send(&[ix], &[]).expect("check_margin");
        events::<MarginHealth>(&meta).remove(0)
    }

    pub fn sol_keys(&self) -> MarketKeys {
        self.sol.keys
    }
}

#[test]
fn one_account_trades_two_markets_against_one_collateral() {
    let mut w = two_markets();
    let t = w.b.trader(40_000 * USD);
    w.b.m
        .trade_option(&mut w.b.env, &w.b.v, &t, w.b.put_60k, -ONE)
        .expect("short a BTC put");
    // The same account on SOL: its BTC positions must be readable.
    let bare = w
        .sol
        .trade_option_ix(&w.b.v, t.wallet.pubkey(), w.sol_put, -20 * ONE, 0);
    expect_error(
        w.b.env.send(&[bare], &[&t.wallet]),
        VaultError::MarketAccountsMissing,
    );
    w.trade_sol(&t, w.sol_put, -20 * ONE)
        .expect("short SOL puts from the same collateral");
    let account = w.b.m.margin_state(&w.b.env, &t.margin);
    assert_eq!(account.position_size(0, w.b.put_60k), -ONE);
    assert_eq!(account.position_size(1, w.sol_put), -20 * ONE);
    assert_eq!(account.position_count, 2, "one slot per market's series");
    // One PDA per owner and vault, whichever market derives it.
    assert_eq!(w.sol.margin_address(&t.wallet.pubkey()), t.margin);
    // Open interest lands in each market's own book.
    let sol_book = w.sol.book_state(&w.b.env);
    assert_eq!(
        sol_book.series[usize::from(w.sol_put)].open_short,
        20 * ONE as u64
    );
    w.b.assert_accounting();
}

#[test]
fn health_sums_each_markets_requirement() {
    for mode in [margin_mode::STANDARD, margin_mode::PORTFOLIO] {
        let mut w = two_markets();
        let both = w.b.trader(60_000 * USD);
        let (btc_only, sol_only) = (w.b.trader(30_000 * USD), w.b.trader(30_000 * USD));
        w.b.m
            .refresh_scenarios(&mut w.b.env)
            .expect("BTC scenarios");
        w.sol
            .refresh_scenarios(&mut w.b.env)
            .expect("SOL scenarios");
        for t in [&both, &btc_only, &sol_only] {
            w.b.m
                .set_margin_mode(&mut w.b.env, &w.b.v, t, mode)
                .expect("mode");
        }
        for t in [&both, &btc_only] {
            w.b.m
                .trade_option(&mut w.b.env, &w.b.v, t, w.b.put_60k, -ONE)
                .expect("BTC put");
        }
        for t in [&both, &sol_only] {
            w.trade_sol(t, w.sol_call, -20 * ONE).expect("SOL call");
        }
        let sol = w.sol_keys();
        let h_both = w.health(&both, &[sol]);
        let h_btc = w.health(&btc_only, &[]);
        let ix = w.sol.check_margin_ix(&w.b.v, sol_only.margin);
        let meta = w.b.env.send(&[ix], &[]).expect("SOL check");
        let h_sol = events::<MarginHealth>(&meta).remove(0);
        // No offset between underlyings: the requirements add up exactly, under either rule.
        assert_eq!(
            h_both.maintenance_margin,
            h_btc.maintenance_margin + h_sol.maintenance_margin,
            "mode {mode}"
        );
        assert_eq!(
            h_both.initial_margin,
            h_btc.initial_margin + h_sol.initial_margin
        );
        // Equity: one collateral, both books (premiums were received in both accounts).
        let collateral = |t: &Trader| w.b.m.margin_state(&w.b.env, &t.margin).collateral as i64;
        let values =
            (h_btc.equity - collateral(&btc_only)) + (h_sol.equity - collateral(&sol_only));
        assert!(
            (h_both.equity - collateral(&both) - values).abs() <= 2,
            "mode {mode}"
        );
    }
}

#[test]
fn no_market_can_be_left_out_and_every_one_is_checked() {
    let mut w = two_markets();
    let t = w.b.trader(40_000 * USD);
    w.trade_sol(&t, w.sol_put, -20 * ONE).expect("SOL put");
    w.b.m
        .trade_option(&mut w.b.env, &w.b.v, &t, w.b.put_60k, -ONE)
        .map(|_| ())
        .expect_err("BTC alone cannot see the SOL short");
    let sol = w.sol_keys();
    let withdraw = |w: &TwoMarkets, others: Vec<AccountMeta>| {
        let mut ix =
            w.b.m
                .withdraw_collateral_ix(&w.b.v, t.wallet.pubkey(), t.collateral, USD);
        ix.accounts.extend(others);
        ix
    };
    let meta = |m: &MarketKeys| m.as_other_market().to_vec();
    // Hiding the market it is short in.
    let ix = withdraw(&w, vec![]);
    expect_error(
        w.b.env.send(&[ix], &[&t.wallet]),
        VaultError::MarketAccountsMissing,
    );
    // A market twice, or the instruction's own market as "another".
    let ix = withdraw(&w, [meta(&sol), meta(&sol)].concat());
    expect_error(
        w.b.env.send(&[ix], &[&t.wallet]),
        VaultError::DuplicateMarketAccounts,
    );
    let ix = withdraw(&w, meta(&w.b.m.keys));
    expect_error(
        w.b.env.send(&[ix], &[&t.wallet]),
        VaultError::DuplicateMarketAccounts,
    );
    // Another market's book, a foreign oracle, a truncated triple.
    let mut wrong_book = meta(&sol);
    wrong_book[1].pubkey = w.b.m.book;
    let ix = withdraw(&w, wrong_book);
    expect_error(w.b.env.send(&[ix], &[&t.wallet]), VaultError::WrongMarket);
    let mut wrong_oracle = meta(&sol);
    wrong_oracle[2].pubkey = w.b.m.oracle;
    let ix = withdraw(&w, wrong_oracle);
    expect_error(
        w.b.env.send(&[ix], &[&t.wallet]),
        VaultError::OracleFeedMismatch,
    );
    let ix = withdraw(&w, meta(&sol)[..2].to_vec());
    expect_error(
        w.b.env.send(&[ix], &[&t.wallet]),
        VaultError::MarketAccountsMissing,
    );
    // A look-alike "market" that is not the program's account.
    let mut fake = meta(&sol);
    fake[0].pubkey = t.collateral;
    let ix = withdraw(&w, fake);
    expect_error(w.b.env.send(&[ix], &[&t.wallet]), VaultError::WrongMarket);
    // Another vault's market.
    let foreign = exposure_vault_tests::VaultFixture::new(
        &mut w.b.env,
        exposure_vault_tests::default_params(),
    );
    let foreign_market = OptionsMarket::create(&mut w.b.env, &foreign, 0, 150.0);
    let ix = withdraw(&w, meta(&foreign_market.keys));
    expect_error(w.b.env.send(&[ix], &[&t.wallet]), VaultError::WrongVault);
    // With SOL, the withdrawal is judged on the whole account and goes through.
    let ix = withdraw(&w, meta(&sol));
    w.b.env
        .send(&[ix], &[&t.wallet])
        .expect("withdraw with every market");
    w.b.assert_accounting();
}

#[test]
fn an_old_price_for_the_other_market_is_refused() {
    let mut w = two_markets();
    let t = w.b.trader(40_000 * USD);
    w.trade_sol(&t, w.sol_put, -20 * ONE).expect("SOL put");
    // SOL's accepted price is newer than any update the attacker might prefer: an older one
    // (SOL at 200, flattering its short put) is not taken.
    let earlier = w.b.env.now() - 30;
    let stale = w.sol.write_price_update(&mut w.b.env, 200.0, earlier);
    let mut others = w.sol_keys().as_other_market();
    others[2].pubkey = stale;
    let mut ix =
        w.b.m
            .withdraw_collateral_ix(&w.b.v, t.wallet.pubkey(), t.collateral, USD);
    ix.accounts.extend(others);
    expect_error(
        w.b.env.send(&[ix], &[&t.wallet]),
        VaultError::OraclePriceNotNewest,
    );
}

#[test]
fn liquidation_closes_market_by_market() {
    let mut w = two_markets();
    let t = w.b.trader(30_000 * USD);
    w.b.m
        .trade_option(&mut w.b.env, &w.b.v, &t, w.b.put_60k, -2 * ONE)
        .expect("BTC puts");
    w.trade_sol(&t, w.sol_put, -20 * ONE).expect("SOL puts");
    let sol = w.sol_keys();
    let h = w.health(&t, &[sol]);
    let spare = (h.equity as u64 - h.initial_margin) - 10 * USD;
    let ix = with_other_markets(
        w.b.m
            .withdraw_collateral_ix(&w.b.v, t.wallet.pubkey(), t.collateral, spare),
        &[sol],
    );
    w.b.env
        .send(&[ix], &[&t.wallet])
        .expect("withdraw to the edge");
    let mut spot = SPOT;
    loop {
        spot -= 250.0;
        w.b.move_spot(5, spot);
        w.sol.set_price(&mut w.b.env, 150.0, 5);
        w.sol
            .refresh_marks(&mut w.b.env, &w.b.v)
            .expect("SOL marks");
        if !w.health(&t, &[sol]).meets_maintenance {
            break;
        }
        assert!(spot > 45_000.0, "never fell below maintenance");
    }
    let l = w.b.trader(50_000 * USD);
    let bare = w.b.m.liquidate_ix(
        &w.b.v,
        t.margin,
        l.wallet.pubkey(),
        None,
        Some(l.collateral),
        false,
    );
    expect_error(
        w.b.env.send(std::slice::from_ref(&bare), &[&l.wallet]),
        VaultError::MarketAccountsMissing,
    );
    let meta =
        w.b.env
            .send(
                &[compute_limit(400_000), with_other_markets(bare, &[sol])],
                &[&l.wallet],
            )
            .expect("liquidate in BTC, SOL read");
    let event = events::<Liquidated>(&meta).remove(0);
    assert!(event.units > 0 && !event.bankrupt);
    let account = w.b.m.margin_state(&w.b.env, &t.margin);
    assert!(
        account.position_size(0, w.b.put_60k) > -2 * ONE,
        "BTC shorts closed"
    );
    assert_eq!(
        account.position_size(1, w.sol_put),
        -20 * ONE,
        "SOL untouched by a BTC liquidation"
    );
    assert!(w.health(&t, &[sol]).meets_maintenance);
    w.b.assert_accounting();
}

#[test]
fn a_hedge_provider_stays_in_its_market() {
    let mut w = two_markets();
    let provider =
        w.b.m
            .new_hedge_provider(&mut w.b.env, &w.b.v, 30_000 * USD, 0, 10);
    expect_error(
        w.trade_sol(&provider, w.sol_put, -ONE),
        VaultError::HedgeProviderOutsideItsMarket,
    );
    // And an account holding SOL cannot register on BTC's hedge book.
    let t = w.b.trader(40_000 * USD);
    w.trade_sol(&t, w.sol_put, -ONE).expect("SOL put");
    expect_error(
        w.b.env.send(
            &[w.b.m.register_hedge_provider_ix(t.wallet.pubkey())],
            &[&t.wallet],
        ),
        VaultError::HedgeProviderOutsideItsMarket,
    );
}
