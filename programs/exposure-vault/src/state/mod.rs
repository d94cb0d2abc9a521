//! Account layouts and PDA seeds.
pub mod hedge;
pub mod margin_account;
pub mod market;
pub mod registry;
pub mod risk_proposal;
pub mod series;
pub mod surface;
pub mod vault;
pub mod withdrawal_request;

pub use hedge::*;
pub use margin_account::*;
pub use market::*;
pub use registry::*;
pub use risk_proposal::*;
pub use series::*;
pub use surface::*;
pub use vault::*;
pub use withdrawal_request::*;

pub const VAULT_SEED: &[u8] = b"vault";
pub const SHARE_MINT_SEED: &[u8] = b"share_mint";
pub const VAULT_TOKEN_SEED: &[u8] = b"vault_token";
pub const INSURANCE_TOKEN_SEED: &[u8] = b"insurance";
pub const MARKET_SEED: &[u8] = b"market";
pub const SERIES_BOOK_SEED: &[u8] = b"series_book";
pub const SURFACE_SEED: &[u8] = b"surface";
pub const MARGIN_SEED: &[u8] = b"margin";
pub const MARK_REGISTRY_SEED: &[u8] = b"marks";
pub const HEDGE_BOOK_SEED: &[u8] = b"hedge_book";
pub const RISK_PROPOSAL_SEED: &[u8] = b"risk_proposal";
pub const PARAMS_PROPOSAL_SEED: &[u8] = b"params_proposal";
pub const WITHDRAWAL_REQUEST_SEED: &[u8] = b"withdrawal";
pub const WITHDRAWAL_SHARES_SEED: &[u8] = b"withdrawal_shares";
