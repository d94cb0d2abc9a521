use anchor_lang::prelude::*;

use crate::error::VaultError;

/// Which Pyth account layout a market reads.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OracleKind {
    /// Legacy push oracle price account (pyth-sdk-solana `SolanaPriceAccount`).
    PythLegacy,
    /// Pull oracle `PriceUpdateV2` (pyth-solana-receiver-sdk), any account carrying `feed_id`.
    PythPull,
}

/// How a market reads and trusts its oracle.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct OracleConfig {
    pub kind: OracleKind,
    /// Legacy: the price account's address. Pull: unused (any verified update with `feed_id`).
    pub price_account: Pubkey,
    /// Pull: the Pyth feed id. Legacy: unused.
    pub feed_id: [u8; 32],
    /// Largest accepted age of the publish time, in seconds.
    pub max_age_secs: u32,
    /// Largest accepted conf/price, in basis points.
    pub max_conf_bps: u16,
}

impl OracleConfig {
    pub const MAX_AGE_SECS_BOUND: u32 = 3_600;
    pub const MAX_CONF_BPS_BOUND: u16 = 1_000;

    pub fn validate(&self) -> Result<()> {
        require!(
            (1..=Self::MAX_AGE_SECS_BOUND).contains(&self.max_age_secs),
            VaultError::ParamOutOfBounds
        );
        require!(
            (1..=Self::MAX_CONF_BPS_BOUND).contains(&self.max_conf_bps),
            VaultError::ParamOutOfBounds
        );
        match self.kind {
            OracleKind::PythLegacy => {
                require!(
                    self.price_account != Pubkey::default(),
                    VaultError::ParamOutOfBounds
                )
            }
            OracleKind::PythPull => {
                require!(self.feed_id != [0u8; 32], VaultError::ParamOutOfBounds)
            }
        }
        Ok(())
    }
}

/// One underlying, priced by one Pyth feed.
#[account]
#[derive(InitSpace)]
pub struct Market {
    pub vault: Pubkey,
    pub index: u16,
    pub bump: u8,
    pub symbol: [u8; 16],
    pub oracle: OracleConfig,
    /// Last validated oracle price and confidence (PRICE_PRECISION) and its publish time.
    pub last_price: u64,
    pub last_conf: u64,
    pub last_publish_time: i64,
    pub _reserved: [u8; 128],
}

impl Market {
    pub const MAX_MARKETS_PER_VAULT: u16 = 64;
}
