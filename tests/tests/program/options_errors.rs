//! Bad input to the options instructions: each rejection has its own name and changes nothing.
use anchor_lang::prelude::Pubkey;
use exposure_vault::error::VaultError;
use exposure_vault::state::pause;
use exposure_vault_tests::options::{skewed_surface, usd, OptionsMarket, Trader, CALL, DAY, ONE};
use exposure_vault_tests::pyth::PythQuote;
use exposure_vault_tests::{expect_error, TestEnv, TxResult};
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::trading::{setup, Book, SPOT};

/// Runs `action`, expects `error`, and checks that the vault, book and margin account are
/// byte-for-byte unchanged.
fn rejects(
    b: &mut Book,
    t: &Trader,
    error: VaultError,
    action: impl FnOnce(&mut Book) -> TxResult,
) {
    let keys = [b.v.vault, b.m.book, t.margin, b.v.mark_registry];
    let snapshot = |env: &TestEnv| keys.map(|k| env.raw_account(&k).map(|a| a.data));
    let before = snapshot(&b.env);
    let result = action(b);
    expect_error(result, error);
    assert!(snapshot(&b.env) == before, "state changed on {error:?}");
}

fn trader(b: &mut Book) -> Trader {
    b.trader(20_000 * 1_000_000)
}

#[test]
fn zero_size() {
    let mut b = setup();
    let t = trader(&mut b);
    let s = b.atm_call;
    rejects(&mut b, &t, VaultError::ZeroAmount, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, 0)
    });
}

#[test]
fn expired_series() {
    let mut b = setup();
    let t = trader(&mut b);
    let s = b.atm_call;
    let expiry = b.expiry;
    b.env.set_unix_timestamp(expiry);
    b.m.set_price(&mut b.env, SPOT, 5);
    // A live keeper: the surface is fresh and only the expired series is at fault.
    let slices = skewed_surface(expiry, &[expiry + 60 * DAY], 0.6);
    b.m.update_vol_surface(&mut b.env, &b.v, slices)
        .expect("fresh surface");
    rejects(&mut b, &t, VaultError::SeriesExpired, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, ONE)
    });
}

#[test]
fn unlisted_or_out_of_range_series() {
    let mut b = setup();
    let t = trader(&mut b);
    rejects(&mut b, &t, VaultError::SeriesNotListed, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, 20, ONE)
    });
    rejects(&mut b, &t, VaultError::SeriesNotListed, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, 200, ONE)
    });
}

#[test]
fn stale_surface() {
    let mut b = setup();
    let t = trader(&mut b);
    let s = b.atm_call;
    b.env.warp_seconds(601);
    b.m.set_price(&mut b.env, SPOT, 5);
    rejects(&mut b, &t, VaultError::SurfaceStale, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, ONE)
    });
}

#[test]
fn stale_and_low_confidence_oracle() {
    let mut b = setup();
    let t = trader(&mut b);
    let s = b.atm_call;
    b.env.warp_seconds(61);
    rejects(&mut b, &t, VaultError::OracleStale, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, ONE)
    });
    b.m.set_price(&mut b.env, SPOT, 150); // 1.5% > the market's 100 bps
    rejects(&mut b, &t, VaultError::OracleConfidenceTooWide, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, ONE)
    });
    let now = b.env.now();
    b.m.set_quote(
        &mut b.env,
        PythQuote {
            price: 0,
            conf: 0,
            expo: -8,
            publish_time: now,
        },
    );
    rejects(&mut b, &t, VaultError::OracleNonPositivePrice, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, ONE)
    });
}

#[test]
fn slippage_on_both_sides() {
    let mut b = setup();
    let t = trader(&mut b);
    let (call, put) = (b.atm_call, b.put_60k);
    // An ATM 30-day call costs ≈ $4,500: a $4,000 cap fails, a $1,000 floor on a sale of a
    // $600 put fails.
    rejects(&mut b, &t, VaultError::SlippageExceeded, |b| {
        let ix =
            b.m.trade_option_ix(&b.v, t.wallet.pubkey(), call, ONE, 4_000 * 1_000_000);
        b.env.send(&[ix], &[&t.wallet])
    });
    rejects(&mut b, &t, VaultError::SlippageExceeded, |b| {
        let ix =
            b.m.trade_option_ix(&b.v, t.wallet.pubkey(), put, -ONE / 10, 1_000 * 1_000_000);
        b.env.send(&[ix], &[&t.wallet])
    });
}

#[test]
fn insufficient_collateral_for_the_premium() {
    let mut b = setup();
    let t = b.trader(1_000 * 1_000_000);
    let s = b.atm_call;
    rejects(&mut b, &t, VaultError::InsufficientCollateral, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, ONE)
    });
}

#[test]
fn paused_trading() {
    let mut b = setup();
    let t = trader(&mut b);
    let s = b.atm_call;
    b.v.set_pause(&mut b.env, pause::TRADING).expect("pause");
    rejects(&mut b, &t, VaultError::TradingPaused, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, ONE)
    });
}

#[test]
fn in_a_reduce_only_pause_traders_can_still_cut_risk_and_take_free_collateral() {
    let mut b = setup();
    let t = trader(&mut b);
    let s = b.atm_call;
    b.m.trade_option(&mut b.env, &b.v, &t, s, -ONE)
        .expect("sell a call");
    // The incident response: reduce-only trading, LP withdrawals frozen.
    b.v.set_pause(&mut b.env, pause::REDUCE_ONLY | pause::WITHDRAWALS)
        .expect("pause");
    rejects(&mut b, &t, VaultError::TradingReduceOnly, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, -ONE / 2)
    });
    rejects(&mut b, &t, VaultError::TradingReduceOnly, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, ONE)
    });
    // Through zero is not a reduction.
    rejects(&mut b, &t, VaultError::TradingReduceOnly, |b| {
        b.m.trade_option(&mut b.env, &b.v, &t, s, 2 * ONE)
    });
    b.m.trade_option(&mut b.env, &b.v, &t, s, ONE / 2)
        .expect("buying back half is allowed");
    let ix =
        b.m.withdraw_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, 1_000_000);
    b.env
        .send(&[ix], &[&t.wallet])
        .expect("free collateral still comes out");
    expect_error(
        b.v.withdraw_liquidity_now(&mut b.env, &b.lp, 1_000),
        VaultError::WithdrawalsPaused,
    );
}

#[test]
fn wrong_signer_for_the_margin_account() {
    let mut b = setup();
    let t = trader(&mut b);
    let s = b.atm_call;
    let thief = Keypair::new();
    rejects(&mut b, &t, VaultError::WrongMarginAccountOwner, |b| {
        let mut ix =
            b.m.trade_option_ix(&b.v, t.wallet.pubkey(), s, ONE, u64::MAX);
        ix.accounts[6].pubkey = thief.pubkey(); // trader
        b.env.send(&[ix], &[&thief])
    });
    rejects(&mut b, &t, VaultError::WrongMarginAccountOwner, |b| {
        let mut ix =
            b.m.withdraw_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, 1);
        ix.accounts[5].pubkey = thief.pubkey(); // owner
        b.env.send(&[ix], &[&thief])
    });
}

#[test]
fn wrong_market_and_series_pairing() {
    let mut b = setup();
    let t = trader(&mut b);
    let other = OptionsMarket::create(&mut b.env, &b.v, 1, 150.0);
    let s = b.atm_call;
    // Another market's book or surface with this market.
    rejects(&mut b, &t, VaultError::WrongMarket, |b| {
        let mut ix =
            b.m.trade_option_ix(&b.v, t.wallet.pubkey(), s, ONE, u64::MAX);
        ix.accounts[2].pubkey = other.book;
        b.env.send(&[ix], &[&t.wallet])
    });
    rejects(&mut b, &t, VaultError::WrongMarket, |b| {
        let mut ix =
            b.m.trade_option_ix(&b.v, t.wallet.pubkey(), s, ONE, u64::MAX);
        ix.accounts[3].pubkey = other.surface;
        b.env.send(&[ix], &[&t.wallet])
    });
    // Another market's oracle with this market.
    rejects(&mut b, &t, VaultError::OracleFeedMismatch, |b| {
        let mut ix =
            b.m.trade_option_ix(&b.v, t.wallet.pubkey(), s, ONE, u64::MAX);
        ix.accounts[7].pubkey = other.oracle;
        b.env.send(&[ix], &[&t.wallet])
    });
    // A different vault's mark registry: named as such, not as a wrong vault.
    rejects(&mut b, &t, VaultError::WrongMarkRegistry, |b| {
        let foreign = exposure_vault_tests::VaultFixture::new(
            &mut b.env,
            exposure_vault_tests::default_params(),
        );
        let mut ix =
            b.m.trade_option_ix(&b.v, t.wallet.pubkey(), s, ONE, u64::MAX);
        ix.accounts[4].pubkey = foreign.mark_registry;
        b.env.send(&[ix], &[&t.wallet])
    });
}

#[test]
fn series_beyond_the_surface() {
    // A series the surface cannot price is not listed at all (SECURITY.md, "Keeper key"), so
    // nothing can trade it.
    let mut b = setup();
    let far = b.env.now() + 200 * DAY;
    let ix = b.m.list_series_ix(&b.v, usd(SPOT), far, CALL);
    expect_error(
        b.env.send(&[ix], &[&b.v.admin]),
        VaultError::SeriesBeyondSurface,
    );
}

#[test]
fn listing_rules() {
    let mut b = setup();
    let now = b.env.now();
    for (strike, expiry, side) in [
        (0, now + DAY, CALL),
        (usd(SPOT), now, CALL),
        (usd(SPOT), now + DAY, 2),
        (usd(SPOT), now + 20 * 365 * DAY, CALL),
    ] {
        let ix = b.m.list_series_ix(&b.v, strike, expiry, side);
        expect_error(b.env.send(&[ix], &[&b.v.admin]), VaultError::InvalidSeries);
    }
    let intruder = b.env.new_funded_keypair(1_000_000_000);
    let mut ix = b.m.list_series_ix(&b.v, usd(SPOT), now + DAY, CALL);
    ix.accounts[1].pubkey = intruder.pubkey();
    expect_error(
        b.env.send(&[ix], &[&intruder]),
        VaultError::UnauthorizedAdmin,
    );
    let ix = b.m.delist_series_ix(&b.v, 31);
    expect_error(
        b.env.send(&[ix], &[&b.v.admin]),
        VaultError::SeriesNotListed,
    );
}

#[test]
fn collateral_instruction_bad_input() {
    let mut b = setup();
    let t = trader(&mut b);
    let ix =
        b.m.deposit_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, 0);
    expect_error(b.env.send(&[ix], &[&t.wallet]), VaultError::ZeroAmount);
    let ix =
        b.m.deposit_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, 1_000_000 * 1_000_000);
    expect_error(
        b.env.send(&[ix], &[&t.wallet]),
        VaultError::InsufficientBalance,
    );
    let ix = b.m.withdraw_collateral_ix(
        &b.v,
        t.wallet.pubkey(),
        t.collateral,
        20_000 * 1_000_000 + 1,
    );
    expect_error(
        b.env.send(&[ix], &[&t.wallet]),
        VaultError::InsufficientCollateral,
    );
    b.v.set_pause(&mut b.env, pause::COLLATERAL_WITHDRAWALS)
        .expect("pause");
    let ix =
        b.m.withdraw_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, 1);
    expect_error(
        b.env.send(&[ix], &[&t.wallet]),
        VaultError::WithdrawalsPaused,
    );
    // A margin account cannot be opened twice.
    let ix = b.m.open_margin_account_ix(&b.v, t.wallet.pubkey());
    assert!(b.env.send(&[ix], &[&t.wallet]).is_err());
    let _ = Pubkey::default();
}

#[test]
fn type_cosplay_and_foreign_owners_are_rejected() {
    let mut b = setup();
    let t = trader(&mut b);
    let s = b.atm_call;
    // The series book passed where the margin account goes: Anchor's discriminator check.
    let mut ix =
        b.m.trade_option_ix(&b.v, t.wallet.pubkey(), s, ONE, u64::MAX);
    ix.accounts[5].pubkey = b.m.book;
    expect_error(
        b.env.send(&[ix], &[&t.wallet]),
        anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch,
    );
    // A margin account forged outside the program (same bytes, other owner).
    let mut forged = b.env.raw_account(&t.margin).expect("margin account");
    forged.owner = Pubkey::new_unique();
    let fake = Pubkey::new_unique();
    b.env.set_raw_account(fake, forged);
    let mut ix =
        b.m.trade_option_ix(&b.v, t.wallet.pubkey(), s, ONE, u64::MAX);
    ix.accounts[5].pubkey = fake;
    expect_error(
        b.env.send(&[ix], &[&t.wallet]),
        anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram,
    );
}

/// A second vault's insurance account is named as such, not as a wrong vault token account.
#[test]
fn another_vaults_insurance_account_is_named() {
    let mut b = setup();
    let t = trader(&mut b);
    let other =
        exposure_vault_tests::VaultFixture::new(&mut b.env, exposure_vault_tests::default_params());
    let liquidator = trader(&mut b);
    rejects(&mut b, &t, VaultError::WrongInsuranceTokenAccount, |b| {
        let mut ix = b.m.liquidate_ix(
            &b.v,
            t.margin,
            liquidator.wallet.pubkey(),
            None,
            Some(liquidator.collateral),
            false,
        );
        ix.accounts[10].pubkey = other.insurance_token; // insurance_token
        b.env.send(&[ix], &[&liquidator.wallet])
    });
}

/// A margin account of another vault, credited through this vault's token account: refused by
/// name before any token moves.
#[test]
fn a_margin_account_of_another_vault_is_named() {
    let mut b = setup();
    let t = trader(&mut b);
    let other =
        exposure_vault_tests::VaultFixture::new(&mut b.env, exposure_vault_tests::default_params());
    let foreign_market = OptionsMarket::create(&mut b.env, &other, 0, SPOT);
    let foreigner = foreign_market.new_trader(&mut b.env, &other, 1_000_000_000, 1_000_000);
    rejects(&mut b, &t, VaultError::WrongMarginAccountVault, |b| {
        let mut ix =
            b.m.deposit_collateral_ix(&b.v, foreigner.wallet.pubkey(), t.collateral, 1_000_000);
        ix.accounts[1].pubkey = foreigner.margin; // margin_account
        b.env.send(&[ix], &[&foreigner.wallet])
    });
}
