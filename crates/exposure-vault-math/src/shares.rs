//! Vault share accounting at NAV, rounding in the vault's favour.
//!
//! Share price = (net assets + VIRTUAL_ASSETS) / (total shares + VIRTUAL_SHARES). The virtual
//! offsets make the first depositor's shares worth what they paid and make a share-inflation
//! attack (deposit 1 unit, then inflate NAV) cost the attacker far more than it can take.
//! Net assets come from internal accounting, so tokens donated straight to the vault's token
//! account do not move the share price at all.
use super::fixed::{mul_div, Rounding};
use super::precision::{VIRTUAL_ASSETS, VIRTUAL_SHARES};

/// Shares minted for depositing `amount` collateral; rounded down (the vault keeps the dust).
pub fn shares_for_deposit(amount: u64, net_assets: u64, total_shares: u64) -> Option<u64> {
    mul_div(
        amount,
        total_shares.checked_add(VIRTUAL_SHARES)?,
        net_assets.checked_add(VIRTUAL_ASSETS)?,
        Rounding::Down,
    )
}

/// Collateral paid for burning `shares`; rounded down (the vault keeps the dust).
pub fn assets_for_shares(shares: u64, net_assets: u64, total_shares: u64) -> Option<u64> {
    mul_div(
        shares,
        net_assets.checked_add(VIRTUAL_ASSETS)?,
        total_shares.checked_add(VIRTUAL_SHARES)?,
        Rounding::Down,
    )
}

/// The NAV a deposit buys shares at and the NAV a withdrawal redeems at: net assets plus and
/// minus `band`, the NAV move the vault's exposure would make over the spot move that the oracle
/// rules still leave a caller to choose (SECURITY.md, "LP flows"). Inside that move a deposit
/// followed by a withdrawal never gains; the band stays with the LPs who did not move.
pub fn lp_navs(net_assets: u64, band: u64) -> (u64, u64) {
    (
        net_assets.saturating_add(band),
        net_assets.saturating_sub(band),
    )
}

/// `band_bps` of `dollar_delta` (quote, any sign), rounded up: the LP band of one market.
pub fn lp_band(dollar_delta: i128, band_bps: u16) -> Option<u64> {
    let scaled = dollar_delta
        .unsigned_abs()
        .checked_mul(u128::from(band_bps))?
        .div_ceil(u128::from(crate::precision::BPS_DENOMINATOR));
    u64::try_from(scaled).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn first_deposit_gets_offset_shares() {
        assert_eq!(shares_for_deposit(1_000_000, 0, 0), Some(1_000_000_000));
        assert_eq!(
            assets_for_shares(1_000_000_000, 1_000_000, 1_000_000_000),
            Some(1_000_000)
        );
    }

    #[test]
    fn inflation_attack_is_unprofitable() {
        // Attacker deposits 1 unit, then (hypothetically) inflates NAV by 1e9 before the victim.
        let attacker_shares = shares_for_deposit(1, 0, 0).unwrap();
        let inflated_assets = 1 + 1_000_000_000;
        let victim_shares =
            shares_for_deposit(1_000_000, inflated_assets, attacker_shares).unwrap();
        assert!(victim_shares > 0, "victim must receive shares");
        let total_assets = inflated_assets + 1_000_000;
        let total_shares = attacker_shares + victim_shares;
        let attacker_out = assets_for_shares(attacker_shares, total_assets, total_shares).unwrap();
        // The attacker cannot recover the inflation it paid for plus the victim's deposit.
        assert!(attacker_out < inflated_assets, "attack must lose money");
    }

    #[test]
    fn lp_band_is_the_delta_times_the_move() {
        // $1M of vault delta against a 1% move: $10,000 either way.
        assert_eq!(lp_band(-1_000_000_000_000, 100), Some(10_000_000_000));
        assert_eq!(lp_band(1, 1), Some(1));
        assert_eq!(lp_band(0, 1_000), Some(0));
        assert_eq!(lp_navs(100, 30), (130, 70));
        assert_eq!(lp_navs(10, 30), (40, 0));
    }

    proptest! {
        /// An adversary picks the NAV its deposit sees and the NAV its withdrawal sees anywhere
        /// the band covers (two oracle prices inside the accepted move): the round trip never
        /// returns more than was paid in.
        #[test]
        fn round_trip_inside_the_band_never_gains(
            amount in 1u64..1_000_000_000_000,
            nav in 0u64..1_000_000_000_000,
            band in 0u64..100_000_000_000,
            shift in 0.0f64..=1.0,
            shares in 0u64..1_000_000_000_000_000,
        ) {
            // NAV at the withdrawal: anywhere up to two bands above the deposit's.
            let later = nav + (shift * 2.0 * band as f64) as u64;
            let (deposit_nav, _) = lp_navs(nav, band);
            if let Some(minted) = shares_for_deposit(amount, deposit_nav, shares) {
                let (_, withdraw_nav) = lp_navs(later + amount, band);
                let out = assets_for_shares(minted, withdraw_nav, shares + minted).unwrap();
                prop_assert!(out <= amount, "out {out} > in {amount}");
            }
        }

        /// Depositing then withdrawing never returns more than was paid in.
        #[test]
        fn round_trip_never_creates_value(
            amount in 1u64..1_000_000_000_000,
            assets in 0u64..1_000_000_000_000,
            shares in 0u64..1_000_000_000_000_000,
        ) {
            if let Some(minted) = shares_for_deposit(amount, assets, shares) {
                let out = assets_for_shares(minted, assets + amount, shares + minted).unwrap();
                prop_assert!(out <= amount);
            }
        }

        /// A deposit never lowers the value of one existing share (price can only rise by dust).
        #[test]
        fn deposit_never_dilutes(
            amount in 1u64..1_000_000_000_000,
            assets in 1u64..1_000_000_000_000,
            shares in 1u64..1_000_000_000_000_000,
        ) {
            let minted = shares_for_deposit(amount, assets, shares).unwrap();
            // price_before <= price_after  <=>  (A+va)(S'+vs) <= (A'+va)(S+vs)
            let lhs = (assets as u128 + 1) * ((shares + minted) as u128 + 1_000);
            let rhs = ((assets + amount) as u128 + 1) * (shares as u128 + 1_000);
            prop_assert!(lhs <= rhs);
        }
    }
}
