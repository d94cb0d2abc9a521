//! Logic shared by handlers, between the pure math and the instructions (Drift's controller
//! layer): pricing a series from oracle and surface, the vault's per-market exposure and the
//! mark registry, a margin account's health, the hedge venue, trading, settlement and the liquidation engine.
pub mod bad_debt;
pub mod exposure;
pub mod hedge;
pub mod liquidation;
pub mod markets;
pub mod pricing;
pub mod settlement;
pub mod token;
pub mod trading;

pub use exposure::*;
pub use pricing::*;
