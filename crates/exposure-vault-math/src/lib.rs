//! Pure fixed-point math of Exposure Vault: no Solana types, no panics, every operation checked.
//! The program re-exports it as `exposure_vault::math`; the keeper must agree with it (keeper
//! tests). Its own crate so that benchmark programs and off-chain code can use it without the
//! program.
#![no_std]

#[cfg(test)]
extern crate std;
pub mod black76;
pub mod fixed;
pub mod hedge;
pub mod margin;
pub mod portfolio;
pub mod precision;
pub mod price;
pub mod shares;
pub mod surface;
