//! Exposure Vault keeper. Pricing (`pricing/`), risk (`risk/`), decisions (`strategy/`) and
//! chain access (`chain/`) arrive with their issues; the on-chain fixed-point math is shared.
pub use exposure_vault::math;
