//! Account layouts and PDA seeds.
pub mod market;
pub mod surface;
pub mod vault;

pub use market::*;
pub use surface::*;
pub use vault::*;

pub const VAULT_SEED: &[u8] = b"vault";
pub const SHARE_MINT_SEED: &[u8] = b"share_mint";
pub const VAULT_TOKEN_SEED: &[u8] = b"vault_token";
pub const INSURANCE_TOKEN_SEED: &[u8] = b"insurance";
pub const MARKET_SEED: &[u8] = b"market";
