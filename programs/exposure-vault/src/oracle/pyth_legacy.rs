//! Pyth legacy push oracle price accounts, read through pyth-sdk-solana.
//!
//! pyth-sdk-solana builds on solana-program 2.x while the program uses the solana-v3 interface
//! crates, so the account is parsed from raw bytes (`load_price_account`) rather than through an
//! `AccountInfo` of the other family.
use anchor_lang::prelude::*;
use pyth_sdk_solana::state::{load_price_account, PriceStatus};

use super::RawReading;
use crate::error::VaultError;
use crate::state::OracleConfig;

/// Pyth oracle program ids that own legacy price accounts (mainnet/pythnet, devnet).
pub const PYTH_LEGACY_PROGRAM_IDS: [Pubkey; 2] = [
    Pubkey::from_str_const("FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH"),
    Pubkey::from_str_const("gSbePebfvPy7tRqimPoVecS2UsBvYv46ynrzWocc92s"),
];

pub fn read(account: &AccountInfo, config: &OracleConfig) -> Result<RawReading> {
    require!(
        PYTH_LEGACY_PROGRAM_IDS.contains(account.owner),
        VaultError::OracleWrongOwner
    );
    require_keys_eq!(
        account.key(),
        config.price_account,
        VaultError::OracleWrongAccount
    );
    let data = account.try_borrow_data()?;
    parse(&data)
}

/// Decodes a legacy price account (magic, version and account type are checked by the SDK).
pub fn parse(data: &[u8]) -> Result<RawReading> {
    let account =
        load_price_account::<32, ()>(data).map_err(|_| error!(VaultError::OracleInvalidData))?;
    // Only an aggregate in Trading status is a price; Halted/Unknown/Auction are not.
    require!(
        account.agg.status == PriceStatus::Trading,
        VaultError::OracleNotTrading
    );
    Ok(RawReading {
        price: account.agg.price,
        conf: account.agg.conf,
        expo: account.expo,
        publish_time: account.timestamp,
    })
}
