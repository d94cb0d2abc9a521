//! Oracle accounts in the real Pyth byte layouts, for LiteSVM `set_account`.
//!
//! Legacy push accounts are the pyth-sdk-solana `SolanaPriceAccount` struct (3,312 bytes,
//! `#[repr(C)]`, the on-chain layout) written with bytemuck; pull accounts are the receiver SDK's
//! `PriceUpdateV2` serialised with its Anchor discriminator.
use anchor_lang::prelude::Pubkey;
use pyth_sdk_solana::state::{
    AccountType, PriceStatus, PriceType, SolanaPriceAccount, MAGIC, VERSION_2,
};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_account::Account;

/// Pyth mainnet oracle program: owner of legacy price accounts.
pub const PYTH_LEGACY_PROGRAM: Pubkey =
    Pubkey::from_str_const("FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH");

pub use exposure_vault_client::pyth::PythQuote;

pub fn legacy_price_account_data(quote: PythQuote, status: PriceStatus) -> Vec<u8> {
    let mut account = SolanaPriceAccount {
        magic: MAGIC,
        ver: VERSION_2,
        atype: AccountType::Price as u32,
        size: std::mem::size_of::<SolanaPriceAccount>() as u32,
        ptype: PriceType::Price,
        expo: quote.expo,
        num: 1,
        num_qt: 1,
        timestamp: quote.publish_time,
        ..Default::default()
    };
    account.agg.price = quote.price;
    account.agg.conf = quote.conf;
    account.agg.status = status;
    account.agg.pub_slot = 1;
    account.prev_price = quote.price;
    account.prev_conf = quote.conf;
    account.prev_timestamp = quote.publish_time;
    bytemuck::bytes_of(&account).to_vec()
}

pub fn legacy_price_account(quote: PythQuote, status: PriceStatus) -> Account {
    Account {
        lamports: 23_942_400,
        data: legacy_price_account_data(quote, status),
        owner: PYTH_LEGACY_PROGRAM,
        executable: false,
        rent_epoch: 0,
    }
}

pub fn pull_price_update_data(
    feed_id: [u8; 32],
    quote: PythQuote,
    verification_level: VerificationLevel,
) -> Vec<u8> {
    exposure_vault_client::pyth::price_update_image(
        Pubkey::new_unique(),
        feed_id,
        quote,
        verification_level,
        1,
    )
}

pub fn pull_price_update(
    feed_id: [u8; 32],
    quote: PythQuote,
    verification_level: VerificationLevel,
) -> Account {
    Account {
        lamports: 1_823_040,
        data: pull_price_update_data(feed_id, quote, verification_level),
        owner: pyth_solana_receiver_sdk::ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// The market oracle configuration the tests, demo and CU report use: 60 s, 100 bps.
pub fn pull_config(feed_id: [u8; 32]) -> exposure_vault::state::OracleConfig {
    exposure_vault_client::pyth::pull_config(feed_id, 60, 100)
}

pub fn legacy_config(price_account: Pubkey) -> exposure_vault::state::OracleConfig {
    exposure_vault::state::OracleConfig {
        kind: exposure_vault::state::OracleKind::PythLegacy,
        price_account,
        feed_id: [0; 32],
        max_age_secs: 60,
        max_conf_bps: 100,
    }
}

/// A new `PriceUpdateV2` account for `feed_id` at `usd` (5 bps confidence, published now).
pub fn write_pull_oracle(env: &mut crate::TestEnv, feed_id: [u8; 32], usd: f64) -> Pubkey {
    let account = Pubkey::new_unique();
    let now = env.now();
    env.set_raw_account(
        account,
        pull_price_update(
            feed_id,
            PythQuote::usd(usd, 5, now),
            VerificationLevel::Full,
        ),
    );
    account
}

/// A new legacy price account at `usd` (5 bps confidence, Trading, published now).
pub fn write_legacy_oracle(env: &mut crate::TestEnv, usd: f64) -> Pubkey {
    let account = Pubkey::new_unique();
    let now = env.now();
    env.set_raw_account(
        account,
        legacy_price_account(PythQuote::usd(usd, 5, now), PriceStatus::Trading),
    );
    account
}
