//! One file per instruction: the `Accounts` struct, its `validate()` and the handler.
// Anchor's `#[program]` needs every instruction module's generated items at the crate root;
// the per-module `handler` names are only ever called by path.
#![allow(ambiguous_glob_reexports)]

pub mod market_create;
pub mod market_refresh_price;
pub mod vault_deposit;
pub mod vault_initialize;
pub mod vault_set_pause;
pub mod vault_update_params;
pub mod vault_withdraw;

pub use market_create::*;
pub use market_refresh_price::*;
pub use vault_deposit::*;
pub use vault_initialize::*;
pub use vault_set_pause::*;
pub use vault_update_params::*;
pub use vault_withdraw::*;
