//! Named precisions. Every conversion between them goes through a function in this module tree.

/// Prices (USD per unit of underlying) carry 6 decimals, like Drift's PRICE_PRECISION.
pub const PRICE_DECIMALS: u32 = 6;
pub const PRICE_PRECISION: u64 = 1_000_000;

/// Basis points: 10_000 = 100%.
pub const BPS_DENOMINATOR: u64 = 10_000;

/// Shares carry this many more decimals than the collateral. Together with the virtual offsets
/// below this is the ERC-4626 "decimals offset" defence against first-depositor share inflation.
pub const SHARE_DECIMALS_OFFSET: u8 = 3;
/// Virtual shares and assets the share price is computed with (never minted, never withdrawn).
pub const VIRTUAL_SHARES: u64 = 1_000; // 10^SHARE_DECIMALS_OFFSET
pub const VIRTUAL_ASSETS: u64 = 1;

/// Collateral mints with more decimals than this would overflow share decimals past 12.
pub const MAX_COLLATERAL_DECIMALS: u8 = 9;

/// SVI surface parameters (a, b, ρ, m, σ) are stored as i64 scaled by 1e9.
pub const SVI_PARAM_PRECISION: i64 = 1_000_000_000;
