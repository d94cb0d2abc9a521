//! Exposure Vault keeper.
//!
//! - `pricing/`: Black-Scholes / Black-76 price and Greeks, implied vol, SVI surface, batch kernel
//! - `risk/`: portfolio aggregation and fat-tailed scenario generators
//! - `bench`: the throughput measurement behind `keeper bench`
//!
//! - `chain/`: JSON-RPC access, account decoding with the program's types, deployment
//! - `strategy/`: what to send each cycle (pure planning) and sending it
//!
//! The on-chain fixed-point math is shared through `exposure_vault::math`.
pub mod backtest;
pub mod bench;
pub mod chain;
pub mod config;
pub mod daemon;
pub mod metrics;
pub mod plots;
pub mod pricing;
pub mod risk;
pub mod status;
pub mod strategy;

pub use exposure_vault::math as onchain_math;
