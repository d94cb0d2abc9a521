//! Vega and gamma: each market's bands, the regime that tightens them, and the option hedge that
//! brings the vault back inside at the least cost among providers' standing quotes. Pure.
//!
//! The program takes an option hedge only if it cuts the vault's option risk, |vega| over the
//! market's vega cap plus |gamma| over its gamma cap, by at least half of the risk it trades
//! (`rebalance_option_hedge`, `math::hedge::cuts_option_risk`). The planner sizes every fill
//! inside that rule with a margin (`KEEPER_MIN_CUT_BPS`), since the chain judges at its own
//! marks: toward zero in the Greek that is out of band, as far as the rule allows. So a gamma
//! excess is hedged with vega flat through a short-dated option, and a vega hedge that would
//! swap vega for more gamma than it removes is not sent.
use anchor_lang::prelude::Pubkey;
use exposure_vault::math::hedge::{cuts_option_risk, NetVegaGamma};
use exposure_vault::math::precision::{SIZE_PRECISION, VOL_PRECISION};
use exposure_vault::state::MarketRiskParams;

/// The 90th percentile of Deribit's daily BTC DVOL close, 2023-04-26 → 2026-01-19
/// (`examples/data/btc_dvol_1d.csv.gz`, 1,000 days): at or above it the regime is "high vol".
pub const DVOL_TOP_DECILE: f64 = 0.6123;

/// A market's vega and gamma limits. Each Greek's band is the tighter of its dollar and its
/// NAV-fraction limit (a Greek with neither is not managed); the vega band shrinks by
/// `high_vol_scale` when the market's ATM vol is at or above `high_vol_threshold`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
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

/// The share (bps) of the option risk it trades that the keeper asks of a fill: the program's
/// 50% (`OPTION_HEDGE_MIN_CUT_BPS`) plus room for the gap between the keeper's surface Greeks
/// and the chain's marks.
pub const KEEPER_MIN_CUT_BPS: u16 = 6_000;

/// The market's limits that weigh vega against gamma in the program's option-hedge rule
/// (quote, 6 decimals): `max_net_vega` per vol point and `max_net_gamma` per 1% move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OptionRiskCaps {
    pub vega: u64,
    pub gamma: u64,
}

impl OptionRiskCaps {
    pub fn of(risk: &MarketRiskParams) -> Self {
        Self {
            vega: risk.max_net_vega,
            gamma: risk.max_net_gamma,
        }
    }

    /// Whether the program's rule, with the keeper's margin, accepts a fill that takes the
    /// vault's Greeks from `before` to `after` (dollars).
    pub fn accepts(&self, before: &MarketGreeks, after: &MarketGreeks) -> bool {
        let quote = |usd: f64| (usd * 1e6).round() as i128;
        let net = |g: &MarketGreeks| NetVegaGamma {
            vega: quote(g.vega_usd),
            gamma: quote(g.gamma_usd),
        };
        cuts_option_risk(
            net(before),
            net(after),
            (self.vega, self.gamma),
            KEEPER_MIN_CUT_BPS,
        )
    }
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

/// The cheapest option hedge that brings vega back toward zero within the program's rule
/// (`caps`), or gamma when vega is in band or no quote can hedge it; None while both are inside
/// their bands or no quote can help. A candidate's cost is the edge it charges over the surface
/// plus what its delta changes in the perpetual hedge that follows (`perp_cost_bps` of the
/// change in |net delta|: a call bought against a short-delta book saves some), per dollar of
/// the Greek it removes; among equals the one that also moves the other Greek toward zero wins.
pub fn plan_option_hedge(
    g: &MarketGreeks,
    bands: &GreekBands,
    caps: &OptionRiskCaps,
    perp_cost_bps: f64,
    candidates: &[OptionCandidate],
) -> Option<OptionHedgePlan> {
    let check = BandCheck::of(bands, g);
    let reasons = [
        (HedgeReason::Vega, check.vega_out(g)),
        (HedgeReason::Gamma, check.gamma_out(g)),
    ];
    reasons
        .into_iter()
        .filter(|(_, out)| *out)
        .find_map(|(reason, _)| cheapest(g, bands, caps, perp_cost_bps, reason, candidates))
}

fn cheapest(
    g: &MarketGreeks,
    bands: &GreekBands,
    caps: &OptionRiskCaps,
    perp_cost_bps: f64,
    reason: HedgeReason,
    candidates: &[OptionCandidate],
) -> Option<OptionHedgePlan> {
    let mut best: Option<(f64, OptionHedgePlan)> = None;
    for c in candidates {
        let Some(plan) = size_candidate(g, bands, caps, reason, c) else {
            continue;
        };
        let (removed, other_worse) = match reason {
            HedgeReason::Vega => (
                g.vega_usd.abs() - plan.after.vega_usd.abs(),
                plan.after.gamma_usd.abs() > g.gamma_usd.abs(),
            ),
            HedgeReason::Gamma => (
                g.gamma_usd.abs() - plan.after.gamma_usd.abs(),
                plan.after.vega_usd.abs() > g.vega_usd.abs(),
            ),
        };
        if removed <= 0.0 {
            continue;
        }
        let delta_cost =
            perp_cost_bps / 10_000.0 * (plan.after.delta_usd.abs() - g.delta_usd.abs());
        let score =
            (plan.edge_cost_usd + delta_cost) / removed + if other_worse { 1e-9 } else { 0.0 };
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, plan));
        }
    }
    best.map(|(_, plan)| plan)
}

/// The fill of `c` that takes the reason's Greek toward zero, as far as the quote's size, the
/// program's rule and the keeper's edge allow; None when it cannot help.
fn size_candidate(
    g: &MarketGreeks,
    bands: &GreekBands,
    caps: &OptionRiskCaps,
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
    let sign = if vault_buys { 1.0 } else { -1.0 };
    let after = |units: f64| MarketGreeks {
        delta_usd: g.delta_usd + sign * units * c.unit_delta_usd,
        gamma_usd: g.gamma_usd + sign * units * c.unit_gamma_usd,
        vega_usd: g.vega_usd + sign * units * c.unit_vega_usd,
        ..*g
    };
    // The rule's cut less its share of the risk traded is concave in the units and zero at
    // none, so the sizes it accepts run from zero to a largest one: found by bisection.
    let to_zero = (greek.abs() / unit).min(capacity as f64 / SIZE_PRECISION as f64);
    let accepted = |units: f64| units > 0.0 && caps.accepts(g, &after(units));
    let units = if accepted(to_zero) {
        to_zero
    } else {
        let (mut lo, mut hi) = (0.0, to_zero);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if accepted(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let size = (units * SIZE_PRECISION as f64).floor() as i64;
    if size <= 0 {
        return None;
    }
    let filled = size as f64 / SIZE_PRECISION as f64;
    Some(OptionHedgePlan {
        provider: c.provider,
        series: c.series,
        size: if vault_buys { size } else { -size },
        limit_vol: (vol * VOL_PRECISION as f64).round() as u64,
        reason,
        edge_cost_usd: edge.max(0.0) * 100.0 * filled * c.unit_vega_usd,
        after: after(filled),
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
            gamma_max_usd: Some(2_000.0),
            gamma_max_nav_fraction: None,
            high_vol_threshold: DVOL_TOP_DECILE,
            high_vol_scale: 0.5,
            max_vol_edge: 0.05,
        }
    }

    /// The preset market's caps: $50,000 of vega per vol point, $100,000 of gamma per 1%.
    fn caps() -> OptionRiskCaps {
        OptionRiskCaps::of(&MarketRiskParams::PRESET)
    }

    fn plan(g: &MarketGreeks, quotes: &[OptionCandidate]) -> Option<OptionHedgePlan> {
        plan_option_hedge(g, &bands(), &caps(), 0.0, quotes)
    }

    /// An ATM call at $65,000 and 60% vol with `days` to expiry: Black-76 delta, dollar gamma
    /// per 1% and vega per vol point per unit (30 days: 0.53, $1,502, $74).
    fn option(provider: u8, days: f64, ask: f64, capacity: u64) -> OptionCandidate {
        let (spot, vol, t) = (65_000.0_f64, 0.60_f64, days / 365.0);
        let d1 = 0.5 * vol * t.sqrt();
        let pdf = (-0.5 * d1 * d1).exp() / (2.0 * std::f64::consts::PI).sqrt();
        OptionCandidate {
            provider: Pubkey::new_from_array([provider; 32]),
            series: provider,
            vault_buy_capacity: capacity,
            vault_sell_capacity: capacity,
            ask_vol: ask,
            bid_vol: ask - 0.04,
            surface_vol: 0.60,
            unit_delta_usd: 0.53 * spot,
            unit_gamma_usd: pdf / (vol * t.sqrt()) * spot * 0.01,
            unit_vega_usd: spot * t.sqrt() * pdf / 100.0,
        }
    }

    /// The 30-day call with round Greeks: $1,500 of gamma, $74 of vega.
    fn call(provider: u8, ask: f64, capacity: u64) -> OptionCandidate {
        OptionCandidate {
            unit_gamma_usd: 1_500.0,
            unit_vega_usd: 74.0,
            ..option(provider, 30.0, ask, capacity)
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
        let g = short_book(-90.0, -1_800.0);
        assert_eq!(plan(&g, &[call(1, 0.62, ONE)]), None);
    }

    #[test]
    fn a_short_vega_book_buys_back_to_zero_from_the_cheapest_quote() {
        // Short five 30-day calls: short vega and gamma, both cut by buying them back.
        let g = short_book(-370.0, -7_500.0);
        let quotes = [call(1, 0.62, 10 * ONE), call(2, 0.61, 10 * ONE)];
        let plan = plan(&g, &quotes).expect("hedge");
        assert_eq!(plan.provider, quotes[1].provider);
        assert_eq!(plan.reason, HedgeReason::Vega);
        assert_eq!(plan.size, 5 * ONE as i64);
        assert_eq!(plan.limit_vol, 610_000);
        assert!(plan.after.vega_usd.abs() < 1e-6 && plan.after.gamma_usd.abs() < 1e-6);
        // One vol point over the surface on $370 of vega.
        assert!((plan.edge_cost_usd - 370.0).abs() < 1e-6);
        // The calls' delta goes onto the perpetual's plan.
        assert!((plan.after.delta_usd - (-170_000.0 + 5.0 * 0.53 * 65_000.0)).abs() < 1e-6);
    }

    #[test]
    fn limits_bind_capacity_the_keepers_edge_and_the_regime() {
        let g = short_book(-370.0, -7_500.0);
        // Only 2 calls on offer: a partial hedge.
        let partial = plan(&g, &[call(1, 0.62, 2 * ONE)]).expect("partial");
        assert_eq!(partial.size, 2 * ONE as i64);
        // 66 vol is 10% over the surface: past the keeper's 5%.
        assert_eq!(plan(&g, &[call(1, 0.66, 10 * ONE)]), None);
        // In the top decile the $100 vega band halves: $90 short is then out.
        let calm = short_book(-90.0, -1_800.0);
        assert_eq!(plan(&calm, &[call(1, 0.62, 10 * ONE)]), None);
        let stormy = MarketGreeks {
            atm_vol: 0.7,
            ..calm
        };
        let check = BandCheck::of(&bands(), &stormy);
        assert!(check.high_vol && check.vega_out(&stormy));
        assert!(plan(&stormy, &[call(1, 0.62, 10 * ONE)]).is_some());
    }

    #[test]
    fn a_gamma_excess_is_hedged_with_vega_flat_through_a_short_dated_option() {
        // A calendar: vega flat, $6,000 short gamma. A 7-day call's gamma is a far larger share
        // of its cap than its vega; a 180-day call's is not, and the program would refuse it.
        let g = short_book(0.0, -6_000.0);
        let (week, half_year) = (
            option(1, 7.0, 0.62, 10 * ONE),
            option(2, 180.0, 0.61, 10 * ONE),
        );
        let only_long = plan(&g, &[half_year]);
        assert_eq!(only_long, None);
        let plan = plan(&g, &[week, half_year]).expect("gamma");
        assert_eq!((plan.reason, plan.series), (HedgeReason::Gamma, 1));
        assert!(plan.after.gamma_usd.abs() < 5.0, "{:?}", plan.after);
        // The vega it adds stays inside the band, and the chain's rule (at 50%) accepts it.
        assert!(plan.after.vega_usd > 0.0 && plan.after.vega_usd < 100.0);
        assert!(cuts_option_risk(
            NetVegaGamma {
                vega: 0,
                gamma: -6_000_000_000
            },
            NetVegaGamma {
                vega: (plan.after.vega_usd * 1e6) as i128,
                gamma: (plan.after.gamma_usd * 1e6) as i128,
            },
            (caps().vega, caps().gamma),
            exposure_vault::math::hedge::OPTION_HEDGE_MIN_CUT_BPS,
        ));
    }

    #[test]
    fn a_vega_hedge_that_would_add_more_gamma_than_it_removes_is_not_sent() {
        // Long vega, short gamma: selling calls cuts vega and deepens the gamma short, which
        // weighs more, so no vega hedge is sent. Gamma is out too, and buying calls cuts it by
        // more than the vega they add: the planner falls back to that, within the rule.
        let g = short_book(370.0, -6_000.0);
        let month = call(1, 0.62, 10 * ONE);
        let fallback = plan(&g, &[month]).expect("gamma instead");
        assert_eq!(fallback.reason, HedgeReason::Gamma);
        assert!(fallback.size > 0, "buys: {}", fallback.size);
        assert!(caps().accepts(&g, &fallback.after));
        // A week's call adds less vega per dollar of gamma removed: cheaper at the same edge.
        let week = option(2, 7.0, 0.62, 10 * ONE);
        let cheaper = plan(&g, &[month, week]).expect("gamma");
        assert_eq!((cheaper.reason, cheaper.series), (HedgeReason::Gamma, 2));
        assert!(cheaper.edge_cost_usd < fallback.edge_cost_usd);
        assert!(cheaper.after.gamma_usd.abs() < 5.0);
    }

    #[test]
    fn a_fill_past_what_the_rule_allows_is_cut_to_its_largest_accepted_size() {
        // Short vega, little gamma: the 30-day calls that zero vega would leave a long gamma
        // twelve times the short; the plan stops where the keeper's margin on the rule binds.
        let g = short_book(-370.0, -600.0);
        let plan = plan(&g, &[call(1, 0.62, 10 * ONE)]).expect("partial");
        assert!(plan.size > 0 && plan.size < 5 * ONE as i64, "{}", plan.size);
        assert!(caps().accepts(&g, &plan.after));
        let one_more = MarketGreeks {
            vega_usd: plan.after.vega_usd + 0.01 * 74.0,
            gamma_usd: plan.after.gamma_usd + 0.01 * 1_500.0,
            ..plan.after
        };
        assert!(!caps().accepts(&g, &one_more));
    }

    #[test]
    fn the_perpetual_hedge_its_delta_needs_counts_in_the_cost() {
        // Short gamma, a little long delta: a call and a put of the same gamma and vega cost
        // the same edge, but the call's delta must then be sold on the perpetual.
        let g = MarketGreeks {
            delta_usd: 20_000.0,
            ..short_book(-370.0, -7_500.0)
        };
        let put = OptionCandidate {
            unit_delta_usd: -0.47 * 65_000.0,
            ..call(2, 0.62, 10 * ONE)
        };
        let call = call(1, 0.62, 10 * ONE);
        let free = plan_option_hedge(&g, &bands(), &caps(), 0.0, &[call, put]).expect("plan");
        assert_eq!(
            free.series, 1,
            "without a perpetual cost the first wins ties"
        );
        let costed = plan_option_hedge(&g, &bands(), &caps(), 5.0, &[call, put]).expect("plan");
        assert_eq!(
            costed.series, 2,
            "the put adds delta the perpetual must then sell"
        );
        // Against a short-delta book the call saves perpetual trading instead.
        let short = MarketGreeks {
            delta_usd: -400_000.0,
            ..g
        };
        let call_wins = plan_option_hedge(&short, &bands(), &caps(), 5.0, &[put, call]);
        assert_eq!(call_wins.expect("plan").series, 1);
    }

    #[test]
    fn a_long_vega_book_sells_to_the_highest_bid() {
        let g = short_book(370.0, 7_500.0);
        let quotes = [call(1, 0.62, 10 * ONE), call(2, 0.63, 10 * ONE)];
        let plan = plan(&g, &quotes).expect("sell");
        assert_eq!(plan.provider, quotes[1].provider);
        assert_eq!(plan.size, -5 * ONE as i64);
        assert_eq!(plan.limit_vol, 590_000);
    }
}
