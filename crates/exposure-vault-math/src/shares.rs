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

    proptest! {
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
