//! When and how much to hedge: the vault's net dollar delta against its band. Pure; the
//! `rebalance_hedge` instruction that executes it arrives with the on-chain hedge leg.
use exposure_vault::math::precision::SIZE_PRECISION;

/// A market's delta band. The effective band is the tighter of the two limits that are set.
#[derive(Clone, Copy, Debug, PartialEq, serde::Deserialize)]
pub struct DeltaBand {
    /// |net delta − target| allowed, in dollars.
    pub max_usd: Option<f64>,
    /// The same as a fraction of the vault's NAV.
    pub max_nav_fraction: Option<f64>,
    /// Where a rebalance brings the net delta, in dollars (usually 0).
    #[serde(default)]
    pub target_usd: f64,
}

impl DeltaBand {
    /// The band half-width in dollars at `nav_usd`; None when no limit is set.
    pub fn width_usd(&self, nav_usd: f64) -> Option<f64> {
        let by_nav = self.max_nav_fraction.map(|f| f * nav_usd.max(0.0));
        match (self.max_usd, by_nav) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The hedge trade (SIZE_PRECISION units of the underlying; > 0 buys) that brings
/// `net_delta_usd` (options and hedge together) back to the band's target, or None while it is
/// inside the band or the trade would round to nothing.
pub fn rebalance_size(
    net_delta_usd: f64,
    nav_usd: f64,
    spot: f64,
    band: &DeltaBand,
) -> Option<i64> {
    let width = band.width_usd(nav_usd)?;
    let excess = net_delta_usd - band.target_usd;
    let spot_usable = spot.is_finite() && spot > 0.0;
    if !spot_usable || !excess.is_finite() || excess.abs() <= width {
        return None;
    }
    let units = (-excess / spot * SIZE_PRECISION as f64).round();
    (units.abs() >= 1.0 && units.abs() < i64::MAX as f64).then_some(units as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAND: DeltaBand = DeltaBand {
        max_usd: Some(10_000.0),
        max_nav_fraction: Some(0.02),
        target_usd: 0.0,
    };

    #[test]
    fn inside_the_band_does_nothing() {
        // NAV $1M: the 2% limit ($20k) is looser than $10k, so $10k applies.
        assert_eq!(rebalance_size(9_999.0, 1e6, 65_000.0, &BAND), None);
        assert_eq!(rebalance_size(-10_000.0, 1e6, 65_000.0, &BAND), None);
    }

    #[test]
    fn outside_the_band_trades_back_to_target() {
        // Long $13k of delta at $65,000: sell 0.2 of the underlying.
        assert_eq!(
            rebalance_size(13_000.0, 1e6, 65_000.0, &BAND),
            Some(-200_000)
        );
        assert_eq!(
            rebalance_size(-26_000.0, 1e6, 65_000.0, &BAND),
            Some(400_000)
        );
        // NAV $100k: the 2% limit ($2k) is the tighter one.
        assert_eq!(
            rebalance_size(6_500.0, 1e5, 65_000.0, &BAND),
            Some(-100_000)
        );
    }

    #[test]
    fn target_and_missing_limits() {
        let band = DeltaBand {
            max_usd: None,
            max_nav_fraction: None,
            target_usd: 0.0,
        };
        assert_eq!(rebalance_size(1e9, 1e6, 65_000.0, &band), None);
        let band = DeltaBand {
            max_usd: Some(1_000.0),
            max_nav_fraction: None,
            target_usd: 5_000.0,
        };
        assert_eq!(rebalance_size(5_500.0, 0.0, 100.0, &band), None);
        assert_eq!(
            rebalance_size(7_000.0, 0.0, 100.0, &band),
            Some(-20_000_000)
        );
        assert_eq!(rebalance_size(7_000.0, 0.0, 0.0, &band), None);
    }
}
