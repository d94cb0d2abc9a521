//! Account layouts and PDA seeds. The seeds are `#[constant]`s, so the IDL carries them and
//! clients derive addresses from the IDL instead of retyping strings.
use anchor_lang::prelude::*;

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

#[constant]
pub const VAULT_SEED: &[u8] = b"vault";
#[constant]
pub const SHARE_MINT_SEED: &[u8] = b"share_mint";
#[constant]
pub const VAULT_TOKEN_SEED: &[u8] = b"vault_token";
#[constant]
pub const INSURANCE_TOKEN_SEED: &[u8] = b"insurance";
#[constant]
pub const MARKET_SEED: &[u8] = b"market";
#[constant]
pub const SERIES_BOOK_SEED: &[u8] = b"series_book";
#[constant]
pub const SURFACE_SEED: &[u8] = b"surface";
#[constant]
pub const MARGIN_SEED: &[u8] = b"margin";
#[constant]
pub const MARK_REGISTRY_SEED: &[u8] = b"marks";
#[constant]
pub const HEDGE_BOOK_SEED: &[u8] = b"hedge_book";
#[constant]
pub const RISK_PROPOSAL_SEED: &[u8] = b"risk_proposal";
#[constant]
pub const PARAMS_PROPOSAL_SEED: &[u8] = b"params_proposal";
#[constant]
pub const WITHDRAWAL_REQUEST_SEED: &[u8] = b"withdrawal";
#[constant]
pub const WITHDRAWAL_SHARES_SEED: &[u8] = b"withdrawal_shares";
