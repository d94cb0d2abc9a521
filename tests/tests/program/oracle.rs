//! The oracle module through real instructions: `create_market` and `refresh_market_price`
//! read Pyth accounts written in the real legacy and pull layouts.
use anchor_lang::prelude::Pubkey;
use exposure_vault::error::VaultError;
use exposure_vault::state::OracleConfig;
use exposure_vault_tests::pyth::{self, PythQuote};
use exposure_vault_tests::{default_params, expect_error, TestEnv, VaultFixture};
use pyth_sdk_solana::state::PriceStatus;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_signer::Signer;

const FEED: [u8; 32] = [0xe6; 32];

struct Setup {
    env: TestEnv,
    v: VaultFixture,
    oracle: Pubkey,
}

/// A vault with one pull-oracle market listed at $65,000 and a fresh update account.
fn pull_market() -> Setup {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let oracle = pyth::write_pull_oracle(&mut env, FEED, 65_000.0);
    env.send(
        &[v.create_market_default_ix(0, "BTC", pyth::pull_config(FEED), oracle)],
        &[&v.admin],
    )
    .expect("create market");
    Setup { env, v, oracle }
}

fn legacy_market() -> Setup {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let oracle = pyth::write_legacy_oracle(&mut env, 150.0);
    env.send(
        &[v.create_market_default_ix(0, "SOL", pyth::legacy_config(oracle), oracle)],
        &[&v.admin],
    )
    .expect("create market");
    Setup { env, v, oracle }
}

impl Setup {
    /// A refresh in the next slot (a market takes one price per slot).
    fn refresh(&mut self) -> exposure_vault_tests::TxResult {
        self.env.next_slot();
        let ix = self.v.market_keys(0, self.oracle).refresh_market_price_ix();
        self.env.send(&[ix], &[])
    }
    fn set_pull(&mut self, feed: [u8; 32], quote: PythQuote, level: VerificationLevel) {
        self.env
            .set_raw_account(self.oracle, pyth::pull_price_update(feed, quote, level));
    }
    fn set_legacy(&mut self, quote: PythQuote, status: PriceStatus) {
        self.env
            .set_raw_account(self.oracle, pyth::legacy_price_account(quote, status));
    }
}

#[test]
fn pull_oracle_price_is_normalised_and_stored() {
    let mut s = pull_market();
    let m = s.v.market(&s.env, 0);
    assert_eq!(m.last_price, 65_000_000_000);
    assert_eq!(m.last_conf, 32_500_000);
    s.env.warp_seconds(30);
    let now = s.env.now();
    s.set_pull(
        FEED,
        PythQuote {
            price: 6_600_012_345_678,
            conf: 100_000_000,
            expo: -8,
            publish_time: now,
        },
        VerificationLevel::Full,
    );
    s.refresh().expect("refresh");
    let m = s.v.market(&s.env, 0);
    assert_eq!(
        (m.last_price, m.last_conf, m.last_publish_time),
        (66_000_123_456, 1_000_000, now)
    );
}

#[test]
fn legacy_oracle_price_is_normalised_and_stored() {
    let mut s = legacy_market();
    assert_eq!(s.v.market(&s.env, 0).last_price, 150_000_000);
    let now = s.env.now();
    s.set_legacy(
        PythQuote {
            price: 15_123_456,
            conf: 1_000,
            expo: -5,
            publish_time: now,
        },
        PriceStatus::Trading,
    );
    s.refresh().expect("refresh");
    let m = s.v.market(&s.env, 0);
    assert_eq!((m.last_price, m.last_conf), (151_234_560, 10_000));
}

#[test]
fn pull_rejects_wrong_owner() {
    let mut s = pull_market();
    let mut acc = s.env.raw_account(&s.oracle).unwrap();
    acc.owner = Pubkey::new_unique();
    s.env.set_raw_account(s.oracle, acc);
    expect_error(s.refresh(), VaultError::OracleWrongOwner);
}

#[test]
fn pull_rejects_another_feed() {
    let mut s = pull_market();
    let now = s.env.now();
    s.set_pull(
        [0x11; 32],
        PythQuote::usd(1.0, 5, now),
        VerificationLevel::Full,
    );
    expect_error(s.refresh(), VaultError::OracleFeedMismatch);
}

#[test]
fn pull_rejects_partially_verified_update() {
    let mut s = pull_market();
    let now = s.env.now();
    s.set_pull(
        FEED,
        PythQuote::usd(65_000.0, 5, now),
        VerificationLevel::Partial { num_signatures: 5 },
    );
    expect_error(s.refresh(), VaultError::OracleUnverified);
}

#[test]
fn pull_rejects_garbage_data() {
    let mut s = pull_market();
    let mut acc = s.env.raw_account(&s.oracle).unwrap();
    acc.data[0] ^= 0xff; // discriminator
    s.env.set_raw_account(s.oracle, acc);
    expect_error(s.refresh(), VaultError::OracleInvalidData);
}

#[test]
fn pull_rejects_stale_price() {
    let mut s = pull_market();
    let m = s.v.market(&s.env, 0);
    s.env.warp_seconds(60);
    s.refresh().expect("exactly max age is still fresh");
    s.env.warp_seconds(1);
    expect_error(s.refresh(), VaultError::OracleStale);
    assert_eq!(s.v.market(&s.env, 0).last_publish_time, m.last_publish_time);
}

#[test]
fn pull_rejects_wide_confidence() {
    let mut s = pull_market();
    let now = s.env.now();
    s.set_pull(
        FEED,
        PythQuote::usd(65_000.0, 101, now),
        VerificationLevel::Full,
    );
    expect_error(s.refresh(), VaultError::OracleConfidenceTooWide);
}

#[test]
fn pull_rejects_non_positive_price() {
    let mut s = pull_market();
    let now = s.env.now();
    for price in [0, -6_500_000_000_000] {
        s.set_pull(
            FEED,
            PythQuote {
                price,
                conf: 0,
                expo: -8,
                publish_time: now,
            },
            VerificationLevel::Full,
        );
        expect_error(s.refresh(), VaultError::OracleNonPositivePrice);
    }
}

#[test]
fn pull_rejects_unsupported_exponent() {
    let mut s = pull_market();
    let now = s.env.now();
    s.set_pull(
        FEED,
        PythQuote {
            price: 65_000,
            conf: 0,
            expo: 7,
            publish_time: now,
        },
        VerificationLevel::Full,
    );
    expect_error(s.refresh(), VaultError::OracleExponentOutOfRange);
}

#[test]
fn legacy_rejects_wrong_owner() {
    let mut s = legacy_market();
    let mut acc = s.env.raw_account(&s.oracle).unwrap();
    acc.owner = pyth_solana_receiver_sdk::ID;
    s.env.set_raw_account(s.oracle, acc);
    expect_error(s.refresh(), VaultError::OracleWrongOwner);
}

#[test]
fn legacy_rejects_another_price_account() {
    let mut s = legacy_market();
    let impostor = Pubkey::new_unique();
    let now = s.env.now();
    s.env.set_raw_account(
        impostor,
        pyth::legacy_price_account(PythQuote::usd(1.0, 5, now), PriceStatus::Trading),
    );
    let ix = s.v.market_keys(0, impostor).refresh_market_price_ix();
    expect_error(s.env.send(&[ix], &[]), VaultError::OracleWrongAccount);
}

#[test]
fn legacy_rejects_bad_magic() {
    let mut s = legacy_market();
    let mut acc = s.env.raw_account(&s.oracle).unwrap();
    acc.data[0] ^= 0xff;
    s.env.set_raw_account(s.oracle, acc);
    expect_error(s.refresh(), VaultError::OracleInvalidData);
}

#[test]
fn legacy_rejects_halted_feed() {
    let mut s = legacy_market();
    let now = s.env.now();
    s.set_legacy(PythQuote::usd(150.0, 5, now), PriceStatus::Halted);
    expect_error(s.refresh(), VaultError::OracleNotTrading);
}

#[test]
fn legacy_rejects_stale_and_wide_prices() {
    let mut s = legacy_market();
    let now = s.env.now();
    s.set_legacy(PythQuote::usd(150.0, 5, now - 61), PriceStatus::Trading);
    expect_error(s.refresh(), VaultError::OracleStale);
    s.set_legacy(PythQuote::usd(150.0, 200, now), PriceStatus::Trading);
    expect_error(s.refresh(), VaultError::OracleConfidenceTooWide);
}

#[test]
fn create_market_checks_admin_symbol_and_bounds() {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let oracle = pyth::write_pull_oracle(&mut env, FEED, 65_000.0);

    let intruder = env.new_funded_keypair(1_000_000_000);
    let mut ix = v.create_market_default_ix(0, "BTC", pyth::pull_config(FEED), oracle);
    ix.accounts[1].pubkey = intruder.pubkey();
    expect_error(env.send(&[ix], &[&intruder]), VaultError::UnauthorizedAdmin);

    expect_error(
        env.send(
            &[v.create_market_default_ix(0, "", pyth::pull_config(FEED), oracle)],
            &[&v.admin],
        ),
        VaultError::InvalidSymbol,
    );
    expect_error(
        env.send(
            &[v.create_market_default_ix(0, "BTC USD", pyth::pull_config(FEED), oracle)],
            &[&v.admin],
        ),
        VaultError::InvalidSymbol,
    );
    for bad in [
        OracleConfig {
            max_age_secs: 0,
            ..pyth::pull_config(FEED)
        },
        // The program's own ceiling, whatever the admin asks for.
        OracleConfig {
            max_age_secs: OracleConfig::MAX_AGE_SECS_BOUND + 1,
            ..pyth::pull_config(FEED)
        },
        OracleConfig {
            max_conf_bps: 0,
            ..pyth::pull_config(FEED)
        },
        OracleConfig {
            feed_id: [0; 32],
            ..pyth::pull_config(FEED)
        },
        pyth::legacy_config(Pubkey::default()),
    ] {
        expect_error(
            env.send(
                &[v.create_market_default_ix(0, "BTC", bad, oracle)],
                &[&v.admin],
            ),
            VaultError::ParamOutOfBounds,
        );
    }
    // A market can only be listed with an oracle that reads cleanly now.
    env.warp_seconds(120);
    expect_error(
        env.send(
            &[v.create_market_default_ix(0, "BTC", pyth::pull_config(FEED), oracle)],
            &[&v.admin],
        ),
        VaultError::OracleStale,
    );
    assert_eq!(v.state(&env).market_count, 0);
}
