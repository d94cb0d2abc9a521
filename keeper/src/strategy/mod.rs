//! Decisions: what the keeper should send, given a chain snapshot. Planning is pure (a
//! [`VaultView`](exposure_vault_client::model::VaultView) in, [`cycle::Action`]s out) so it is tested
//! without a chain; [`cycle::execute`] sends the plan through [`Chain`](crate::chain::Chain).
pub mod cycle;
pub mod deribit_source;
pub mod greek_bands;
pub mod hedge;
pub mod liquidation;
pub mod settlement;
pub mod surface_source;
