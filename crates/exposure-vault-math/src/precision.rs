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

/// Option sizes (contracts) carry 6 decimals: 1_000_000 = one unit of the underlying.
pub const SIZE_PRECISION: u64 = 1_000_000;
/// Volatility and Black-76 delta carry 6 decimals: 600_000 = 60%, 1_000_000 = delta 1.
pub const VOL_PRECISION: u64 = 1_000_000;
pub const DELTA_PRECISION: i64 = 1_000_000;

/// Money inside the margin engine ("quote") is USD in PRICE_PRECISION. The collateral mint is a
/// USD stablecoin with its own decimals; these are the only two crossings between the units.
pub fn quote_to_collateral(
    quote: u64,
    collateral_decimals: u8,
    rounding: super::fixed::Rounding,
) -> Option<u64> {
    scale_decimals(quote, PRICE_DECIMALS as u8, collateral_decimals, rounding)
}

pub fn collateral_to_quote(
    amount: u64,
    collateral_decimals: u8,
    rounding: super::fixed::Rounding,
) -> Option<u64> {
    scale_decimals(amount, collateral_decimals, PRICE_DECIMALS as u8, rounding)
}

fn scale_decimals(value: u64, from: u8, to: u8, rounding: super::fixed::Rounding) -> Option<u64> {
    if to >= from {
        value.checked_mul(10u64.checked_pow(u32::from(to - from))?)
    } else {
        let divisor = 10u64.checked_pow(u32::from(from - to))?;
        super::fixed::mul_div(value, 1, divisor, rounding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::Rounding;

    #[test]
    fn collateral_conversions_round_as_asked() {
        assert_eq!(
            quote_to_collateral(1_234_567, 6, Rounding::Down),
            Some(1_234_567)
        );
        assert_eq!(
            quote_to_collateral(1_234_567, 9, Rounding::Down),
            Some(1_234_567_000)
        );
        assert_eq!(quote_to_collateral(1_234_567, 2, Rounding::Down), Some(123));
        assert_eq!(quote_to_collateral(1_234_567, 2, Rounding::Up), Some(124));
        assert_eq!(collateral_to_quote(123, 2, Rounding::Down), Some(1_230_000));
        assert_eq!(collateral_to_quote(u64::MAX, 0, Rounding::Down), None);
    }
}
