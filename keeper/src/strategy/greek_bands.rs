//! Vega and gamma: each market's bands, the regime that tightens them, and the option hedge that
//! brings the vault back inside at the least cost among providers' standing quotes. Pure.
//!
//! The program takes an option hedge only if it cuts the vault's net vega by at least half the
//! vega it trades (`rebalance_option_hedge`), so the planner sizes every fill inside that rule: toward zero
//! vega, never past a third of it. A gamma-only excess is hedged when the trade that cuts gamma
//! also cuts vega (a vault short options is short both); with vega already flat it is reported,
//! not traded.
use anchor_lang::prelude::Pubkey;
use exposure_vault::math::precision::{SIZE_PRECISION, VOL_PRECISION};

/// The 90th percentile of Deribit's daily BTC DVOL close, 2023-04-26 → 2026-01-19
/// (`examples/data/btc_dvol_1d.csv.gz`, 1,000 days): at or above it the regime is "high vol".
pub const DVOL_TOP_DECILE: f64 = 0.6123;

/// A market's vega and gamma limits. Each Greek's band is the tighter of its dollar and its
/// NAV-fraction limit (a Greek with neither is not managed); the vega band shrinks by
/// `high_vol_scale` when the market's ATM vol is at or above `high_vol_threshold`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GreekBands {
    /// |net vega| allowed, dollars per vol point.
    pub vega_max_usd: Option<f64>,
    pub vega_max_nav_fraction: Option<f64>,
    /// |net gamma| allowed, dollars of delta change per 1% spot move.
    pub gamma_max_usd: Option<f64>,
    pub gamma_max_nav_fraction: Option<f64>,
    #[serde(default = "default_high_vol_threshold")]
    pub high_vol_threshold: f64,
    #[serde(default = "default_high_vol_scale")]
    pub high_vol_scale: f64,
    /// The most the keeper pays over the surface vol (a fraction of it) on an option hedge;
    /// the program's own bound, `max_option_hedge_vol_edge_bps`, applies as well.
    #[serde(default = "default_max_vol_edge")]
    pub max_vol_edge: f64,
}

fn default_high_vol_threshold() -> f64 {
    DVOL_TOP_DECILE
}

fn default_high_vol_scale() -> f64 {
    0.5
}

fn default_max_vol_edge() -> f64 {
    0.05
}

fn tighter(abs: Option<f64>, fraction: Option<f64>, nav_usd: f64) -> Option<f64> {
    let by_nav = fraction.map(|f| f * nav_usd.max(0.0));
    match (abs, by_nav) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl GreekBands {
    pub fn is_valid(&self) -> bool {
        let limits = [
            self.vega_max_usd,
            self.vega_max_nav_fraction,
            self.gamma_max_usd,
            self.gamma_max_nav_fraction,
        ];
        limits.iter().flatten().all(|l| l.is_finite() && *l > 0.0)
            && limits.iter().any(Option::is_some)
            && self.high_vol_threshold.is_finite()
            && self.high_vol_threshold > 0.0
            && (0.0..=1.0).contains(&self.high_vol_scale)
            && self.high_vol_scale > 0.0
            && (0.0..=1.0).contains(&self.max_vol_edge)
    }

    pub fn high_vol(&self, atm_vol: f64) -> bool {
        atm_vol >= self.high_vol_threshold
    }

    /// The vega band at `nav_usd` in the regime `atm_vol` says.
    pub fn vega_width(&self, nav_usd: f64, atm_vol: f64) -> Option<f64> {
        let width = tighter(self.vega_max_usd, self.vega_max_nav_fraction, nav_usd)?;
        Some(if self.high_vol(atm_vol) {
            width * self.high_vol_scale
        } else {
            width
        })
    }

    pub fn gamma_width(&self, nav_usd: f64) -> Option<f64> {
        tighter(self.gamma_max_usd, self.gamma_max_nav_fraction, nav_usd)
    }
}

/// The vault's Greeks in one market, in dollars (delta per $1 move times spot, gamma per 1%,
/// vega per vol point), with the NAV and the market's ATM vol.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MarketGreeks {
    pub delta_usd: f64,
    pub gamma_usd: f64,
    pub vega_usd: f64,
    pub nav_usd: f64,
    pub atm_vol: f64,
}

/// A live standing quote on one series, with the series' Greeks per unit at the keeper's
/// surface (same units as [`MarketGreeks`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptionCandidate {
    pub provider: Pubkey,
    pub series: u8,
    /// Sizes left (SIZE_PRECISION) and vols (fractions) on each side.
    pub vault_buy_capacity: u64,
    pub vault_sell_capacity: u64,
    pub ask_vol: f64,
    pub bid_vol: f64,
    pub surface_vol: f64,
    pub unit_delta_usd: f64,
    pub unit_gamma_usd: f64,
    pub unit_vega_usd: f64,
}

/// Which Greek an option hedge is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HedgeReason {
    Vega,
    Gamma,
}

/// The option hedge to send and why.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptionHedgePlan {
    pub provider: Pubkey,
    pub series: u8,
    /// SIZE_PRECISION, > 0: the vault buys.
    pub size: i64,
    /// The provider's vol on that side (VOL_PRECISION), the keeper's limit.
    pub limit_vol: u64,
    pub reason: HedgeReason,
    /// What the fill pays over the surface, dollars: the edge times the vega traded.
    pub edge_cost_usd: f64,
    /// The Greeks after the fill.
    pub after: MarketGreeks,
}

/// Each Greek against its band, for reports and `keeper status`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandCheck {
    pub vega_width: Option<f64>,
    pub gamma_width: Option<f64>,
    pub high_vol: bool,
}

impl BandCheck {
    pub fn of(bands: &GreekBands, g: &MarketGreeks) -> Self {
        Self {
            vega_width: bands.vega_width(g.nav_usd, g.atm_vol),
            gamma_width: bands.gamma_width(g.nav_usd),
            high_vol: bands.high_vol(g.atm_vol),
        }
    }

    pub fn vega_out(&self, g: &MarketGreeks) -> bool {
        self.vega_width.is_some_and(|w| g.vega_usd.abs() > w)
    }

    pub fn gamma_out(&self, g: &MarketGreeks) -> bool {
        self.gamma_width.is_some_and(|w| g.gamma_usd.abs() > w)
    }
}

/// The cheapest option hedge that brings vega (or, failing that, gamma) back toward zero, or
/// None while both are inside their bands or no quote can help. The cost of a candidate is the
/// edge it charges over the surface per dollar of the Greek it removes; among equals the one
/// that also moves the other Greek toward zero wins.
pub fn plan_option_hedge(
    g: &MarketGreeks,
    bands: &GreekBands,
    candidates: &[OptionCandidate],
) -> Option<OptionHedgePlan> {
    let check = BandCheck::of(bands, g);
    let reason = if check.vega_out(g) {
        HedgeReason::Vega
    } else if check.gamma_out(g) {
        HedgeReason::Gamma
    } else {
        return None;
    };
    let mut best: Option<(f64, OptionHedgePlan)> = None;
    for c in candidates {
        let Some(plan) = size_candidate(g, bands, reason, c) else {
            continue;
        };
        let removed = match reason {
            HedgeReason::Vega => g.vega_usd.abs() - plan.after.vega_usd.abs(),
            HedgeReason::Gamma => g.gamma_usd.abs() - plan.after.gamma_usd.abs(),
        };
        if removed <= 0.0 {
            continue;
        }
        let other_worse = match reason {
            HedgeReason::Vega => plan.after.gamma_usd.abs() > g.gamma_usd.abs(),
            HedgeReason::Gamma => false,
        };
        let score = plan.edge_cost_usd / removed + if other_worse { 1e-9 } else { 0.0 };
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, plan));
        }
    }
    best.map(|(_, plan)| plan)
}

/// The fill of `c` that takes the reason's Greek to zero, within the quote's size, the program's
/// vega rule and the keeper's edge; None when it cannot help.
fn size_candidate(
    g: &MarketGreeks,
    bands: &GreekBands,
    reason: HedgeReason,
    c: &OptionCandidate,
) -> Option<OptionHedgePlan> {
    if c.unit_vega_usd <= 0.0 || c.surface_vol <= 0.0 {
        return None;
    }
    // Options add vega and gamma when bought: buy to cover a short.
    let (greek, unit) = match reason {
        HedgeReason::Vega => (g.vega_usd, c.unit_vega_usd),
        HedgeReason::Gamma => (g.gamma_usd, c.unit_gamma_usd),
    };
    if unit <= 0.0 {
        return None;
    }
    let vault_buys = greek < 0.0;
    let (capacity, vol) = if vault_buys {
        (c.vault_buy_capacity, c.ask_vol)
    } else {
        (c.vault_sell_capacity, c.bid_vol)
    };
    let edge = if vault_buys {
        vol - c.surface_vol
    } else {
        c.surface_vol - vol
    };
    if capacity == 0 || edge > bands.max_vol_edge * c.surface_vol {
        return None;
    }
    // Units to zero the Greek; the program's rule caps the vega traded at 4/3 of the vega held,
    // and a gamma-driven fill must still cut vega: only when vega has the Greek's sign.
    let mut units = greek.abs() / unit;
    if g.vega_usd == 0.0 || (g.vega_usd < 0.0) != vault_buys {
        return None;
    }
    units = units.min(g.vega_usd.abs() / c.unit_vega_usd);
    let max_units = capacity as f64 / SIZE_PRECISION as f64;
    let units = units.min(max_units);
    let size = (units * SIZE_PRECISION as f64).floor() as i64;
    if size <= 0 {
        return None;
    }
    let signed = if vault_buys { size } else { -size };
    let filled = signed as f64 / SIZE_PRECISION as f64;
    let after = MarketGreeks {
        delta_usd: g.delta_usd + filled * c.unit_delta_usd,
        gamma_usd: g.gamma_usd + filled * c.unit_gamma_usd,
        vega_usd: g.vega_usd + filled * c.unit_vega_usd,
        ..*g
    };
    Some(OptionHedgePlan {
        provider: c.provider,
        series: c.series,
        size: signed,
        limit_vol: (vol * VOL_PRECISION as f64).round() as u64,
        reason,
        edge_cost_usd: edge.max(0.0) * 100.0 * filled.abs() * c.unit_vega_usd,
        after,
    })
}

/// The 90th percentile of a DVOL file's daily closes (fractions), from the gzip CSV
/// `timestamp_ms,datetime_utc,open,high,low,close` in vol points.
pub fn dvol_top_decile(csv: &str) -> Option<f64> {
    let mut closes: Vec<f64> = csv
        .lines()
        .skip(1)
        .filter_map(|line| line.rsplit(',').next()?.trim().parse::<f64>().ok())
        .map(|points| points / 100.0)
        .collect();
    if closes.is_empty() {
        return None;
    }
    closes.sort_by(f64::total_cmp);
    Some(closes[closes.len() * 9 / 10])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    const ONE: u64 = SIZE_PRECISION;

    fn bands() -> GreekBands {
        GreekBands {
            vega_max_usd: Some(100.0),
            vega_max_nav_fraction: None,
            gamma_max_usd: Some(400.0),
            gamma_max_nav_fraction: None,
            high_vol_threshold: DVOL_TOP_DECILE,
            high_vol_scale: 0.5,
            max_vol_edge: 0.05,
        }
    }

    /// A 30-day ATM call at $65,000 and 60% vol: delta 0.53, gamma $36 per 1% per unit, vega
    /// $74 per vol point per unit.
    fn call(provider: u8, ask: f64, capacity: u64) -> OptionCandidate {
        OptionCandidate {
            provider: Pubkey::new_from_array([provider; 32]),
            series: provider,
            vault_buy_capacity: capacity,
            vault_sell_capacity: capacity,
            ask_vol: ask,
            bid_vol: ask - 0.04,
            surface_vol: 0.60,
            unit_delta_usd: 0.53 * 65_000.0,
            unit_gamma_usd: 36.0 * 65.0,
            unit_vega_usd: 74.0,
        }
    }

    fn short_book(vega: f64, gamma: f64) -> MarketGreeks {
        MarketGreeks {
            delta_usd: -170_000.0,
            gamma_usd: gamma,
            vega_usd: vega,
            nav_usd: 1_000_000.0,
            atm_vol: 0.6,
        }
    }

    #[test]
    fn the_dvol_threshold_is_the_committed_datas_top_decile() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/data/btc_dvol_1d.csv.gz"
        );
        let mut csv = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(path).expect("committed DVOL file"))
            .read_to_string(&mut csv)
            .expect("gzip CSV");
        assert_eq!(csv.lines().count(), 1_001);
        let p90 = dvol_top_decile(&csv).expect("closes");
        assert!((p90 - DVOL_TOP_DECILE).abs() < 1e-4, "p90 {p90}");
    }

    #[test]
    fn inside_the_bands_nothing_is_planned() {
        let g = short_book(-90.0, -300.0);
        assert_eq!(plan_option_hedge(&g, &bands(), &[call(1, 0.62, ONE)]), None);
    }

    #[test]
    fn a_short_vega_book_buys_back_to_zero_from_the_cheapest_quote() {
        let g = short_book(-370.0, -180.0);
        let quotes = [call(1, 0.62, 10 * ONE), call(2, 0.61, 10 * ONE)];
        let plan = plan_option_hedge(&g, &bands(), &quotes).expect("hedge");
        assert_eq!(plan.provider, quotes[1].provider);
        assert_eq!(plan.reason, HedgeReason::Vega);
        assert_eq!(plan.size, 5 * ONE as i64);
        assert_eq!(plan.limit_vol, 610_000);
        assert!(plan.after.vega_usd.abs() < 1e-6);
        // One vol point over the surface on $370 of vega.
        assert!((plan.edge_cost_usd - 370.0).abs() < 1e-6);
        // The calls' delta goes onto the perpetual's plan.
        assert!((plan.after.delta_usd - (-170_000.0 + 5.0 * 0.53 * 65_000.0)).abs() < 1e-6);
    }

    #[test]
    fn limits_bind_capacity_the_keepers_edge_and_the_regime() {
        let g = short_book(-370.0, -180.0);
        // Only 2 calls on offer: a partial hedge.
        let plan = plan_option_hedge(&g, &bands(), &[call(1, 0.62, 2 * ONE)]).expect("partial");
        assert_eq!(plan.size, 2 * ONE as i64);
        // 66 vol is 10% over the surface: past the keeper's 5%.
        assert_eq!(
            plan_option_hedge(&g, &bands(), &[call(1, 0.66, 10 * ONE)]),
            None
        );
        // In the top decile the $100 vega band halves: $90 short is then out.
        let calm = short_book(-90.0, -100.0);
        assert_eq!(
            plan_option_hedge(&calm, &bands(), &[call(1, 0.62, 10 * ONE)]),
            None
        );
        let stormy = MarketGreeks {
            atm_vol: 0.7,
            ..calm
        };
        let check = BandCheck::of(&bands(), &stormy);
        assert!(check.high_vol && check.vega_out(&stormy));
        assert!(plan_option_hedge(&stormy, &bands(), &[call(1, 0.62, 10 * ONE)]).is_some());
    }

    #[test]
    fn gamma_is_hedged_only_through_a_fill_that_also_cuts_vega() {
        // Vega inside its band, gamma out: buying calls cuts both.
        let g = short_book(-80.0, -900.0);
        let plan = plan_option_hedge(&g, &bands(), &[call(1, 0.62, 10 * ONE)]).expect("gamma");
        assert_eq!(plan.reason, HedgeReason::Gamma);
        assert!(plan.after.gamma_usd.abs() < 1.0);
        assert!(plan.after.vega_usd < 0.0 && plan.after.vega_usd > g.vega_usd);
        // Never past the vega held: the program refuses a fill that adds vega.
        let g = short_book(-20.0, -9_000.0);
        let plan = plan_option_hedge(&g, &bands(), &[call(1, 0.62, 10 * ONE)]).expect("capped");
        assert!(plan.after.vega_usd.abs() < 0.01);
        // Long vega but short gamma: no single option fill cuts both.
        let g = short_book(80.0, -900.0);
        assert_eq!(
            plan_option_hedge(&g, &bands(), &[call(1, 0.62, 10 * ONE)]),
            None
        );
    }

    #[test]
    fn a_long_vega_book_sells_to_the_highest_bid() {
        let g = short_book(370.0, 180.0);
        let quotes = [call(1, 0.62, 10 * ONE), call(2, 0.63, 10 * ONE)];
        let plan = plan_option_hedge(&g, &bands(), &quotes).expect("sell");
        assert_eq!(plan.provider, quotes[1].provider);
        assert_eq!(plan.size, -5 * ONE as i64);
        assert_eq!(plan.limit_vol, 590_000);
    }
}
