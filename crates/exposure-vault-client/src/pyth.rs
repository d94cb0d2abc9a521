//! Pyth pull-oracle (`PriceUpdateV2`) accounts in their real byte layout, serialised with the
//! receiver SDK, and the localnet publisher that writes them on a local validator.
use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AccountSerialize;
use exposure_vault::state::{OracleConfig, OracleKind};
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2, VerificationLevel};

/// The Pyth receiver program, owner of `PriceUpdateV2` accounts. On a local validator the
/// localnet publisher (`programs/localnet-oracle`) is loaded at this address instead.
pub const RECEIVER_PROGRAM_ID: Pubkey = pyth_solana_receiver_sdk::ID;
/// Bytes of a `PriceUpdateV2` account (the receiver allocates the largest verification level).
pub const PRICE_UPDATE_LEN: usize = PriceUpdateV2::LEN;

/// One Pyth price as published: `price` and `conf` in units of 10^`expo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PythQuote {
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
}

impl PythQuote {
    /// `usd` dollars with a confidence of `conf_bps` basis points, at expo -8 (Pyth's USD feeds).
    pub fn usd(usd: f64, conf_bps: u64, publish_time: i64) -> Self {
        let price = (usd * 1e8).round() as i64;
        Self {
            price,
            conf: price.unsigned_abs() * conf_bps / 10_000,
            expo: -8,
            publish_time,
        }
    }
}

/// The full account image of a `PriceUpdateV2` (discriminator + Borsh body).
pub fn price_update_image(
    write_authority: Pubkey,
    feed_id: [u8; 32],
    quote: PythQuote,
    verification_level: VerificationLevel,
    posted_slot: u64,
) -> Vec<u8> {
    let update = PriceUpdateV2 {
        write_authority,
        verification_level,
        price_message: PriceFeedMessage {
            feed_id,
            price: quote.price,
            conf: quote.conf,
            exponent: quote.expo,
            publish_time: quote.publish_time,
            prev_publish_time: quote.publish_time - 1,
            ema_price: quote.price,
            ema_conf: quote.conf,
        },
        posted_slot,
    };
    let mut data = Vec::with_capacity(PRICE_UPDATE_LEN);
    // Writing into a Vec cannot fail.
    let _ = update.try_serialize(&mut data);
    data
}

/// A market oracle configuration for the pull feed `feed_id`.
pub fn pull_config(feed_id: [u8; 32], max_age_secs: u32, max_conf_bps: u16) -> OracleConfig {
    OracleConfig {
        kind: OracleKind::PythPull,
        price_account: Pubkey::default(),
        feed_id,
        max_age_secs,
        max_conf_bps,
    }
}

/// LOCALNET ONLY: publishes `quote` into `price_update` (an account owned by the publisher loaded
/// at [`RECEIVER_PROGRAM_ID`]), signed by `authority`, the account's write authority.
pub fn localnet_publish_ix(
    price_update: Pubkey,
    authority: Pubkey,
    feed_id: [u8; 32],
    quote: PythQuote,
    posted_slot: u64,
) -> Instruction {
    Instruction {
        program_id: RECEIVER_PROGRAM_ID,
        accounts: vec![
            AccountMeta::new(price_update, false),
            AccountMeta::new_readonly(authority, true),
        ],
        data: price_update_image(
            authority,
            feed_id,
            quote,
            VerificationLevel::Full,
            posted_slot,
        ),
    }
}
