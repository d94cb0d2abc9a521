//! Oracle price normalisation to PRICE_PRECISION and conservative (confidence-adjusted) prices.
use super::fixed::{apply_bps, Rounding};
use super::precision::PRICE_DECIMALS;

/// Oracle exponents accepted: Pyth publishes -12..=0 in practice; anything further is a bad feed.
pub const MIN_ORACLE_EXPONENT: i32 = -18;
pub const MAX_ORACLE_EXPONENT: i32 = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceError {
    NonPositive,
    ExponentOutOfRange,
    Overflow,
}

/// Rescales `value * 10^expo` to PRICE_PRECISION, rounding as asked.
pub fn rescale(value: u64, expo: i32, rounding: Rounding) -> Result<u64, PriceError> {
    if !(MIN_ORACLE_EXPONENT..=MAX_ORACLE_EXPONENT).contains(&expo) {
        return Err(PriceError::ExponentOutOfRange);
    }
    let shift = expo + PRICE_DECIMALS as i32;
    if shift >= 0 {
        let factor = 10u64
            .checked_pow(shift as u32)
            .ok_or(PriceError::Overflow)?;
        value.checked_mul(factor).ok_or(PriceError::Overflow)
    } else {
        let divisor = 10u64
            .checked_pow((-shift) as u32)
            .ok_or(PriceError::Overflow)?;
        let quotient = value / divisor;
        match rounding {
            Rounding::Up if !value.is_multiple_of(divisor) => Ok(quotient + 1),
            _ => Ok(quotient),
        }
    }
}

/// Normalises an oracle (price, conf, expo): price rounds down, confidence rounds up, so the
/// interval only ever widens. A price that rounds to zero is rejected as non-positive.
pub fn normalize(price: i64, conf: u64, expo: i32) -> Result<(u64, u64), PriceError> {
    if price <= 0 {
        return Err(PriceError::NonPositive);
    }
    let price = rescale(price as u64, expo, Rounding::Down)?;
    if price == 0 {
        return Err(PriceError::NonPositive);
    }
    let conf = rescale(conf, expo, Rounding::Up)?;
    Ok((price, conf))
}

/// conf / price in basis points, rounded up.
pub fn confidence_bps(price: u64, conf: u64) -> Option<u64> {
    super::fixed::mul_div(conf, super::precision::BPS_DENOMINATOR, price, Rounding::Up)
}

/// Price at which assets are valued: price − k·conf (k in bps of conf), floored at zero.
pub fn asset_price(price: u64, conf: u64, conf_multiplier_bps: u64) -> Option<u64> {
    Some(price.saturating_sub(apply_bps(conf, conf_multiplier_bps, Rounding::Up)?))
}

/// Price at which liabilities are valued: price + k·conf.
pub fn liability_price(price: u64, conf: u64, conf_multiplier_bps: u64) -> Option<u64> {
    price.checked_add(apply_bps(conf, conf_multiplier_bps, Rounding::Up)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_pyth_exponents() {
        // BTC at 65,432.10000000 with expo -8 and conf 12.5.
        assert_eq!(
            normalize(6_543_210_000_000, 1_250_000_000, -8),
            Ok((65_432_100_000, 12_500_000))
        );
        // expo -5 scales up; expo -10 rounds conf up.
        assert_eq!(normalize(123_456, 1, -5), Ok((1_234_560, 10)));
        assert_eq!(normalize(12_345_678_901, 1, -10), Ok((1_234_567, 1)));
        assert_eq!(normalize(0, 1, -8), Err(PriceError::NonPositive));
        assert_eq!(normalize(-5, 1, -8), Err(PriceError::NonPositive));
        assert_eq!(normalize(1, 0, -12), Err(PriceError::NonPositive));
        assert_eq!(normalize(1, 0, -19), Err(PriceError::ExponentOutOfRange));
        assert_eq!(normalize(i64::MAX, 0, 6), Err(PriceError::Overflow));
    }

    #[test]
    fn conservative_prices_bracket_the_mid() {
        assert_eq!(
            asset_price(100_000_000, 1_000_000, 20_000),
            Some(98_000_000)
        );
        assert_eq!(
            liability_price(100_000_000, 1_000_000, 20_000),
            Some(102_000_000)
        );
        assert_eq!(asset_price(1, 1_000_000, 20_000), Some(0));
        assert_eq!(confidence_bps(100_000_000, 1_000_000), Some(100));
    }
}
