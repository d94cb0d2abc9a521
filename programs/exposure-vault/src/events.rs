//! One event per state change, so indexers and the keeper can follow the vault from logs alone.
use anchor_lang::prelude::*;

use crate::state::{OracleConfig, VaultParams};

#[event]
pub struct VaultInitialized {
    pub vault: Pubkey,
    pub admin: Pubkey,
    pub collateral_mint: Pubkey,
    pub share_mint: Pubkey,
    pub params: VaultParams,
}

#[event]
pub struct Deposited {
    pub vault: Pubkey,
    pub depositor: Pubkey,
    pub amount: u64,
    pub shares_minted: u64,
    pub net_assets_after: u64,
    pub total_shares_after: u64,
}

#[event]
pub struct Withdrawn {
    pub vault: Pubkey,
    pub owner: Pubkey,
    pub shares_burned: u64,
    pub amount: u64,
    pub net_assets_after: u64,
    pub total_shares_after: u64,
}

#[event]
pub struct ParamsUpdated {
    pub vault: Pubkey,
    pub old: VaultParams,
    pub new: VaultParams,
}

#[event]
pub struct PauseFlagsSet {
    pub vault: Pubkey,
    pub old_flags: u8,
    pub new_flags: u8,
}

#[event]
pub struct MarketCreated {
    pub vault: Pubkey,
    pub market: Pubkey,
    pub market_index: u16,
    pub symbol: [u8; 16],
    pub oracle: OracleConfig,
}

#[event]
pub struct MarketPriceRefreshed {
    pub market: Pubkey,
    pub price: u64,
    pub conf: u64,
    pub publish_time: i64,
}
