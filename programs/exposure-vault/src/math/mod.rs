//! Pure fixed-point math: no Solana types, no panics, every operation checked. Shared with the
//! keeper, which must agree with it (see keeper tests).
pub mod black76;
pub mod fixed;
pub mod precision;
pub mod price;
pub mod shares;
