//! Exposure Vault keeper.
//!
//! - `pricing/`: Black-Scholes / Black-76 price and Greeks, implied vol, SVI surface, batch kernel
//! - `risk/`: portfolio aggregation and fat-tailed scenario generators
//! - `bench`: the throughput measurement behind `keeper bench`
//!
//! Chain access (`chain/`) and decisions (`strategy/`) arrive with the keeper-daemon issue.
//! The on-chain fixed-point math is shared through `exposure_vault::math`.
pub mod bench;
pub mod pricing;
pub mod risk;

pub use exposure_vault::math as onchain_math;
