//! Pyth pull oracle: `PriceUpdateV2` accounts owned by the Pyth Solana Receiver program.
use anchor_lang::prelude::*;
use pyth_solana_receiver_sdk::price_update::{PriceUpdateV2, VerificationLevel};

use super::RawReading;
use crate::error::VaultError;
use crate::state::OracleConfig;

/// The Pyth Solana Receiver program, which owns every `PriceUpdateV2` account.
pub const PYTH_RECEIVER_PROGRAM_ID: Pubkey = pyth_solana_receiver_sdk::ID;

pub fn read(account: &AccountInfo, config: &OracleConfig) -> Result<RawReading> {
    require_keys_eq!(
        *account.owner,
        PYTH_RECEIVER_PROGRAM_ID,
        VaultError::OracleWrongOwner
    );
    let data = account.try_borrow_data()?;
    let update = parse(&data)?;
    require!(
        update.price_message.feed_id == config.feed_id,
        VaultError::OracleFeedMismatch
    );
    // Partially verified updates carry fewer Wormhole guardian signatures than a quorum.
    require!(
        update.verification_level == VerificationLevel::Full,
        VaultError::OracleUnverified
    );
    Ok(RawReading {
        price: update.price_message.price,
        conf: update.price_message.conf,
        expo: update.price_message.exponent,
        publish_time: update.price_message.publish_time,
    })
}

/// Checks the Anchor discriminator and decodes the account.
pub fn parse(data: &[u8]) -> Result<PriceUpdateV2> {
    PriceUpdateV2::try_deserialize(&mut &data[..])
        .map_err(|_| error!(VaultError::OracleInvalidData))
}
