//! Chain access: the shared RPC crate (`exposure-vault-rpc`), under the name the keeper's
//! layers use. Nothing here decides anything; `strategy/` does.
pub use exposure_vault_rpc::*;
