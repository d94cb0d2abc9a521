//! One file per instruction: the `Accounts` struct, its `validate()` and the handler.
// Anchor's `#[program]` needs every instruction module's generated items at the crate root;
// the per-module `handler` names are only ever called by path.
#![allow(ambiguous_glob_reexports)]

pub mod account_liquidate;
pub mod authority_accept;
pub mod authority_propose;
pub mod hedge_provider_deregister;
pub mod hedge_provider_register;
pub mod hedge_quote_post;
pub mod hedge_rebalance;
pub mod margin_check;
pub mod margin_close;
pub mod margin_deposit;
pub mod margin_open;
pub mod margin_withdraw;
pub mod market_create;
pub mod market_refresh_price;
pub mod marks_refresh;
pub mod option_trade;
pub mod position_settle;
pub mod series_delist;
pub mod series_list;
pub mod series_settle;
pub mod surface_update;
pub mod vault_deposit;
pub mod vault_initialize;
pub mod vault_set_pause;
pub mod vault_update_params;
pub mod vault_withdraw;

pub use account_liquidate::*;
pub use authority_accept::*;
pub use authority_propose::*;
pub use hedge_provider_deregister::*;
pub use hedge_provider_register::*;
pub use hedge_quote_post::*;
pub use hedge_rebalance::*;
pub use margin_check::*;
pub use margin_close::*;
pub use margin_deposit::*;
pub use margin_open::*;
pub use margin_withdraw::*;
pub use market_create::*;
pub use market_refresh_price::*;
pub use marks_refresh::*;
pub use option_trade::*;
pub use position_settle::*;
pub use series_delist::*;
pub use series_list::*;
pub use series_settle::*;
pub use surface_update::*;
pub use vault_deposit::*;
pub use vault_initialize::*;
pub use vault_set_pause::*;
pub use vault_update_params::*;
pub use vault_withdraw::*;
