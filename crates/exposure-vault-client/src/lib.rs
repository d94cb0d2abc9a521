//! Everything a client needs to talk to the Exposure Vault program, independent of transport:
//! the keeper and the localnet tooling send these instructions over JSON-RPC, the tests through LiteSVM.
//!
//! - [`VaultKeys`] / [`MarketKeys`]: every address a vault or market owns, derived once, with one
//!   builder per instruction (named `<instruction>_ix`), assembled from the program crate's own
//!   Anchor `accounts::*` / `instruction::*` types so account order can never drift.
//! - [`decode`]: account decoding with the program's types (Anchor and zero-copy).
//! - [`model`]: the vault as one consistent read (`VaultView`), pure data for pricing and risk.
//! - [`pyth`]: Pyth price accounts in their real byte layouts, and the localnet publisher.
//! - [`surface`]: SVI slice helpers.
pub mod compute_budget;
pub mod decode;
mod market;
pub mod model;
pub mod presets;
pub mod pyth;
pub mod surface;
pub mod token;
mod vault;

pub use market::{with_other_markets, MarketKeys};
pub use vault::{program_ix, VaultKeys};

pub use anchor_lang::prelude::Pubkey;
pub use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
pub use exposure_vault::ID as PROGRAM_ID;

/// One contract in the program's size units.
pub const CONTRACT: i64 = exposure_vault::math::precision::SIZE_PRECISION as i64;
pub const CALL: u8 = 0;
pub const PUT: u8 = 1;

/// Dollars to the program's price units (1e-6 USD).
pub fn usd(dollars: f64) -> u64 {
    (dollars * exposure_vault::math::precision::PRICE_PRECISION as f64).round() as u64
}
