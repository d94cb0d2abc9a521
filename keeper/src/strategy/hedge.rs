//! When and how much to hedge, and against whom: the vault's net dollar delta against its
//! band, and the provider the program will accept. Pure.
use anchor_lang::prelude::Pubkey;
use exposure_vault::math::hedge::{best_quote, StandingQuote};
use exposure_vault::math::precision::SIZE_PRECISION;
use exposure_vault::state::HedgeQuote;

/// A market's delta band. The effective band is the tighter of the two limits that are set.
#[derive(Clone, Copy, Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeltaBand {
    /// |net delta| allowed, in dollars. The band is around zero: the program takes only fills
    /// that cut the vault's net delta (`RebalanceDoesNotReduceDelta`).
    pub max_usd: Option<f64>,
    /// The same as a fraction of the vault's NAV.
    pub max_nav_fraction: Option<f64>,
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
/// `net_delta_usd` (options and hedge together) back to zero, or None while it is inside the
/// band or the trade would round to nothing.
pub fn rebalance_size(
    net_delta_usd: f64,
    nav_usd: f64,
    spot: f64,
    band: &DeltaBand,
) -> Option<i64> {
    let width = band.width_usd(nav_usd)?;
    let excess = net_delta_usd;
    let spot_usable = spot.is_finite() && spot > 0.0;
    if !spot_usable || !excess.is_finite() || excess.abs() <= width {
        return None;
    }
    let units = (-excess / spot * SIZE_PRECISION as f64).round();
    (units.abs() >= 1.0 && units.abs() < i64::MAX as f64).then_some(units as i64)
}

/// A hedge trade to send: `size` (SIZE_PRECISION, > 0 buys) against `provider` (None: no live
/// quote can take any of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HedgeOrder {
    pub provider: Option<Pubkey>,
    pub size: i64,
}

/// The whole hedging decision for one market: the order that brings `net_delta_usd` (options
/// and hedge) back to zero, or None while it is inside the band.
pub fn decide(
    net_delta_usd: f64,
    nav_usd: f64,
    spot: f64,
    band: &DeltaBand,
    quotes: &[HedgeQuote],
    now: i64,
) -> Option<HedgeOrder> {
    let wanted = rebalance_size(net_delta_usd, nav_usd, spot, band)?;
    Some(match choose_fill(quotes, wanted, now) {
        Some((provider, size)) => HedgeOrder {
            provider: Some(provider),
            size,
        },
        None => HedgeOrder {
            provider: None,
            size: wanted,
        },
    })
}

/// The provider and size to trade for a wanted hedge of `size`: the quote the program's own
/// rule (`math::hedge::best_quote`) picks when one live quote fills it whole; otherwise as much
/// as the largest live quote on that side can take (a partial hedge beats none). None when no
/// live quote has capacity on that side.
pub fn choose_fill(quotes: &[HedgeQuote], size: i64, now: i64) -> Option<(Pubkey, i64)> {
    let standing: Vec<StandingQuote> = quotes.iter().map(HedgeQuote::standing).collect();
    let buys = size > 0;
    let fillable = match best_quote(&standing, size, now) {
        Some(_) => size,
        None => {
            let most = standing
                .iter()
                .filter(|q| q.is_live(now))
                .map(|q| q.capacity(buys))
                .max()
                .filter(|c| *c > 0)?;
            let most = i64::try_from(most).ok()?;
            if buys {
                most
            } else {
                -most
            }
        }
    };
    let slot = best_quote(&standing, fillable, now)?;
    Some((quotes[slot].provider, fillable))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAND: DeltaBand = DeltaBand {
        max_usd: Some(10_000.0),
        max_nav_fraction: Some(0.02),
    };

    #[test]
    fn inside_the_band_does_nothing() {
        // NAV $1M: the 2% limit ($20k) is looser than $10k, so $10k applies.
        assert_eq!(rebalance_size(9_999.0, 1e6, 65_000.0, &BAND), None);
        assert_eq!(rebalance_size(-10_000.0, 1e6, 65_000.0, &BAND), None);
    }

    #[test]
    fn outside_the_band_trades_back_to_zero() {
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
    fn missing_limits_and_spot() {
        let band = DeltaBand {
            max_usd: None,
            max_nav_fraction: None,
        };
        assert_eq!(rebalance_size(1e9, 1e6, 65_000.0, &band), None);
        let band = DeltaBand {
            max_usd: Some(1_000.0),
            max_nav_fraction: None,
        };
        assert_eq!(rebalance_size(900.0, 0.0, 100.0, &band), None);
        assert_eq!(
            rebalance_size(-2_000.0, 0.0, 100.0, &band),
            Some(20_000_000)
        );
        assert_eq!(rebalance_size(7_000.0, 0.0, 0.0, &band), None);
    }

    fn quote(provider: u8, capacity: u64, spread_bps: u16, expiry_ts: i64) -> HedgeQuote {
        HedgeQuote {
            provider: Pubkey::new_from_array([provider; 32]),
            max_vault_buy: capacity,
            max_vault_sell: capacity / 2,
            expiry_ts,
            spread_bps,
            ..HedgeQuote::default()
        }
    }

    #[test]
    fn the_fill_goes_where_the_program_will_take_it() {
        let quotes = [
            quote(1, 500, 8, 100),
            quote(2, 200, 3, 100),
            quote(3, 900, 9, 50),
        ];
        let provider = |n: u8| Pubkey::new_from_array([n; 32]);
        // 150 fits the tightest quote.
        assert_eq!(choose_fill(&quotes, 150, 10), Some((provider(2), 150)));
        // 400 only fits the 8 and 9 bps quotes: the 8 bps one.
        assert_eq!(choose_fill(&quotes, 400, 10), Some((provider(1), 400)));
        // 2,000 fits none: as much as the largest live quote takes.
        assert_eq!(choose_fill(&quotes, 2_000, 10), Some((provider(3), 900)));
        assert_eq!(choose_fill(&quotes, 2_000, 60), Some((provider(1), 500)));
        // Selling: capacities are halved in this fixture.
        assert_eq!(choose_fill(&quotes, -300, 60), Some((provider(1), -250)));
        assert_eq!(choose_fill(&quotes, 10, 200), None);
    }
}
