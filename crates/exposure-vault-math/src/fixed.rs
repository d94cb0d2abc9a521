//! Checked `a * b / c` with explicit rounding. The product is taken in u128; the division stays
//! in u64 when the product fits, because u128 division on SBF is a slow software loop.

/// Direction of rounding; callers pick the one that favours the vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Down,
    Up,
}

/// `a * b / c` rounded as asked; `None` on division by zero or a result above u64::MAX.
#[inline]
pub fn mul_div(a: u64, b: u64, c: u64, rounding: Rounding) -> Option<u64> {
    if c == 0 {
        return None;
    }
    let (quotient, remainder) = match a.checked_mul(b) {
        Some(product) => (product / c, product % c),
        None => {
            let product = (a as u128) * (b as u128);
            let c = c as u128;
            let q = product / c;
            (u64::try_from(q).ok()?, (product - q * c) as u64)
        }
    };
    match rounding {
        Rounding::Down => Some(quotient),
        Rounding::Up if remainder > 0 => quotient.checked_add(1),
        Rounding::Up => Some(quotient),
    }
}

/// `value * bps / 10_000`, rounded as asked.
#[inline]
pub fn apply_bps(value: u64, bps: u64, rounding: Rounding) -> Option<u64> {
    mul_div(value, bps, super::precision::BPS_DENOMINATOR, rounding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounds_in_the_requested_direction() {
        assert_eq!(mul_div(10, 10, 3, Rounding::Down), Some(33));
        assert_eq!(mul_div(10, 10, 3, Rounding::Up), Some(34));
        assert_eq!(mul_div(9, 10, 3, Rounding::Up), Some(30));
        assert_eq!(mul_div(1, 1, 0, Rounding::Down), None);
    }

    #[test]
    fn wide_products_are_exact() {
        let a = u64::MAX;
        assert_eq!(mul_div(a, a, a, Rounding::Down), Some(a));
        assert_eq!(mul_div(a, 2, 1, Rounding::Down), None);
        assert_eq!(
            mul_div(a, 3, 4, Rounding::Up),
            Some(((a as u128 * 3).div_ceil(4)) as u64)
        );
    }

    proptest! {
        #[test]
        fn matches_u128_reference(a: u64, b: u64, c in 1u64..) {
            let exact = a as u128 * b as u128;
            let down = exact / c as u128;
            let up = exact.div_ceil(c as u128);
            prop_assert_eq!(mul_div(a, b, c, Rounding::Down), u64::try_from(down).ok());
            prop_assert_eq!(mul_div(a, b, c, Rounding::Up), u64::try_from(up).ok());
        }
    }
}
