//! What the vault would have done: a flow of option sales against it over a real price path,
//! priced by Black-76 on the program's surface shape (`exposure_vault_client::surface::
//! skewed_surface`, its level from DVOL or trailing realised vol), managed by a hedge policy
//! (a delta band on the perpetual with its spread and the real funding, and optionally a vega
//! band filled with options bought from providers at an edge over the surface). One pass per
//! policy over the same path; P&L attributed every step.
use crate::pricing::black::{greeks_unchecked, OptionKind};
use crate::strategy::greek_bands::{
    plan_option_hedge, GreekBands, MarketGreeks, OptionCandidate, OptionRiskCaps,
};
use exposure_vault::math::precision::SIZE_PRECISION;

use super::data::{Bar, Funding};

pub const YEAR_SECS: f64 = 365.0 * 86_400.0;

/// Implied ATM vol at a time: the caller's mapping from DVOL or realised vol.
pub trait VolSource {
    fn atm_vol(&self, ts: i64) -> f64;
}

/// A constant vol (the known-answer test's world).
pub struct ConstantVol(pub f64);

impl VolSource for ConstantVol {
    fn atm_vol(&self, _: i64) -> f64 {
        self.0
    }
}

/// The surface the vault trades at, shaped as the program's `skewed_surface`: raw SVI with
/// ρ = `rho`, σ = 0.1, m = 0, b = 0.2·√T (at least 0.2·√0.05), `a` set so the ATM vol is the
/// level. `rho = 0` with `flat = true` gives a flat smile.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Smile {
    pub rho: f64,
    pub flat: bool,
}

impl Smile {
    pub const PROGRAM: Self = Self {
        rho: -0.3,
        flat: false,
    };
    pub const FLAT: Self = Self {
        rho: 0.0,
        flat: true,
    };

    /// Vol at log-moneyness `k` for `t` years when the ATM vol is `atm`.
    pub fn vol(&self, atm: f64, k: f64, t: f64) -> f64 {
        if self.flat || t <= 0.0 {
            return atm;
        }
        const SIGMA: f64 = 0.1;
        let atm_w = atm * atm * t;
        let mut b = 0.2 * t.sqrt().max(0.05);
        if atm_w - b * SIGMA * (1.0 - (1.0 - self.rho * self.rho).sqrt()) <= 0.0 {
            b = 0.5 * atm_w / SIGMA;
        }
        let a = atm_w - b * SIGMA;
        let w = a + b * (self.rho * k + (k * k + SIGMA * SIGMA).sqrt());
        (w.max(1e-12) / t).sqrt()
    }
}

/// Traders' weekly purchases from the vault.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct FlowConfig {
    pub every_secs: i64,
    pub tenor_days: f64,
    /// |delta| of the call and the put traders buy (0 < d < 1).
    pub call_delta: f64,
    pub put_delta: f64,
    /// Notional of each option, a fraction of the vault's NAV at the time.
    pub notional_fraction: f64,
    /// The vault's spread and fee on the premium (bps), as `MarketRiskParams`.
    pub spread_bps: f64,
    pub fee_bps: f64,
}

impl Default for FlowConfig {
    fn default() -> Self {
        Self {
            every_secs: 7 * 86_400,
            tenor_days: 7.0,
            call_delta: 0.25,
            put_delta: 0.25,
            notional_fraction: 0.2,
            spread_bps: 50.0,
            fee_bps: 10.0,
        }
    }
}

/// How the keeper manages the book.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Policy {
    pub name: String,
    /// |net delta| allowed as a fraction of NAV (None: never hedge delta).
    pub delta_band: Option<f64>,
    /// The perpetual's spread paid per hedge trade (bps of notional); funding is the real one.
    pub perp_spread_bps: f64,
    /// |net vega per vol point| and |net dollar gamma per 1% move| allowed as fractions of NAV
    /// (both None: no option hedges), kept by the live keeper's planner
    /// (`strategy::greek_bands::plan_option_hedge`, the program's option-hedge rule included).
    pub vega_band: Option<f64>,
    pub gamma_band: Option<f64>,
    /// Option hedges are bought (sold) at the surface vol times 1 + edge (1 − edge).
    pub option_edge: f64,
    /// Tenors (days) of the ATM calls providers quote for option hedges.
    pub hedge_tenors_days: Vec<f64>,
}

impl Policy {
    pub fn delta(name: &str, band: Option<f64>, perp_spread_bps: f64) -> Self {
        Self {
            name: name.into(),
            delta_band: band,
            perp_spread_bps,
            vega_band: None,
            gamma_band: None,
            option_edge: 0.03,
            hedge_tenors_days: vec![30.0, 7.0],
        }
    }

    /// The bands the keeper's planner holds, or None without option hedges.
    fn greek_bands(&self) -> Option<GreekBands> {
        let bands = GreekBands {
            vega_max_usd: None,
            vega_max_nav_fraction: self.vega_band,
            gamma_max_usd: None,
            gamma_max_nav_fraction: self.gamma_band,
            high_vol_threshold: crate::strategy::greek_bands::DVOL_TOP_DECILE,
            high_vol_scale: 0.5,
            // The edge is the backtest's cost assumption, not a keeper limit.
            max_vol_edge: 1.0,
        };
        bands.is_valid().then_some(bands)
    }
}

/// Option hedges the keeper may send in one 2 h step (one per cycle, many cycles per step).
const OPTION_HEDGES_PER_STEP: usize = 4;

#[derive(Clone, Copy, Debug)]
struct Opt {
    kind: OptionKind,
    strike: f64,
    expiry: i64,
    /// The vault's side, in units of the underlying (< 0 short).
    size: f64,
}

/// Where the P&L came from, dollars.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Attribution {
    /// Premium at the surface price for the options sold: information, not a term of the sum
    /// (the options' value at sale, which the vault earns through gamma/theta and pays back
    /// through delta and vega).
    pub premium: f64,
    /// Spread and fees traders paid on top.
    pub spread_and_fees: f64,
    /// Option delta P&L plus the perpetual's.
    pub delta: f64,
    /// Gamma and theta: the options' P&L at unchanged vol beyond their delta.
    pub gamma_theta: f64,
    /// The options' P&L from vol moves.
    pub vega: f64,
    /// Perpetual spread paid.
    pub hedge_costs: f64,
    /// Edge paid over the surface on option hedges.
    pub option_hedge_costs: f64,
    /// Funding paid (< 0) or received on the perpetual.
    pub funding: f64,
    /// Settlement of expired options minus their last mark (rounding of the step grid).
    pub expiry: f64,
}

/// One policy's run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Run {
    pub policy: Policy,
    /// (time, NAV) once a day.
    pub nav: Vec<(i64, f64)>,
    pub final_nav: f64,
    pub total_return: f64,
    pub annual_return: f64,
    pub annual_vol: f64,
    pub max_drawdown: f64,
    /// The worst 2 h step, dollars, and when.
    pub worst_step: (i64, f64),
    pub weekly_returns: Vec<f64>,
    pub attribution: Attribution,
    pub hedge_trades: usize,
    pub option_hedges: usize,
}

fn price(kind: OptionKind, s: f64, k: f64, t: f64, vol: f64) -> (f64, f64, f64, f64) {
    if t <= 0.0 {
        let intrinsic = match kind {
            OptionKind::Call => (s - k).max(0.0),
            OptionKind::Put => (k - s).max(0.0),
        };
        let delta = match kind {
            OptionKind::Call if s > k => 1.0,
            OptionKind::Put if s < k => -1.0,
            _ => 0.0,
        };
        return (intrinsic, delta, 0.0, 0.0);
    }
    let g = greeks_unchecked(kind, s, k, t, vol, 0.0);
    (g.price, g.delta, g.vega / 100.0, g.gamma)
}

/// The listed strike nearest `spot`: a grid of half a unit of the second significant digit
/// ($500 from $10,000 to $99,999), as venues list.
fn listed_strike(spot: f64) -> f64 {
    let grid = 10f64.powi(spot.log10().floor() as i32 - 1) / 2.0;
    (spot / grid).round() * grid
}

/// The first weekly expiry (Friday 08:00 UTC, as Deribit lists) at or after `ts`.
fn listed_expiry(ts: i64) -> i64 {
    const FRIDAY_0800: i64 = 86_400 + 28_800; // 1970-01-02 was a Friday
    let weeks = (ts - FRIDAY_0800).div_euclid(7 * 86_400);
    let expiry = FRIDAY_0800 + weeks * 7 * 86_400;
    if expiry >= ts {
        expiry
    } else {
        expiry + 7 * 86_400
    }
}

/// The strike at which an option of `t` years has |delta| `target` (0 < target < 1) on the
/// smile, by bisection in log-moneyness (|delta| falls monotonically away from the money).
pub fn strike_for_delta(
    kind: OptionKind,
    s: f64,
    t: f64,
    atm: f64,
    smile: &Smile,
    target: f64,
) -> f64 {
    let abs_delta = |k: f64| {
        let sigma = smile.vol(atm, k, t);
        price(kind, s, s * k.exp(), t, sigma).1.abs()
    };
    let width = 8.0 * atm.max(0.05) * t.sqrt().max(1e-4);
    // Calls: |delta| falls as the strike rises; puts: as it falls.
    let (mut lo, mut hi) = match kind {
        OptionKind::Call => (0.0, width),
        OptionKind::Put => (-width, 0.0),
    };
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        let too_deep = abs_delta(mid) > target;
        match (kind, too_deep) {
            (OptionKind::Call, true) | (OptionKind::Put, false) => lo = mid,
            _ => hi = mid,
        }
    }
    s * (0.5 * (lo + hi)).exp()
}

/// Runs `policy` over `path` (ascending bars; the first is the start), with vol from `vol`,
/// funding prints `funding` (ascending), the flow `flow` and a starting NAV.
pub fn run(
    path: &[Bar],
    vol: &dyn VolSource,
    smile: &Smile,
    funding: &[Funding],
    flow: &FlowConfig,
    policy: &Policy,
    initial_nav: f64,
) -> Run {
    let mut cash = initial_nav;
    let mut book: Vec<Opt> = Vec::new();
    let mut perp = 0.0f64;
    let mut a = Attribution::default();
    let mut funding_i = funding.partition_point(|f| f.ts <= path[0].ts);
    let mut next_flow = path[0].ts;
    let mut nav_curve = Vec::new();
    let mut weekly = Vec::new();
    let (mut peak, mut max_dd) = (initial_nav, 0.0f64);
    let mut worst_step = (path[0].ts, 0.0f64);
    let (mut hedge_trades, mut option_hedges) = (0usize, 0usize);
    let mut last_day = i64::MIN;
    let mut week_start_nav = initial_nav;
    let mut next_week = path[0].ts + 7 * 86_400;
    let mut step_returns = Vec::with_capacity(path.len());
    let mut nav_prev = initial_nav;

    // Value, delta (units), vega per vol point and dollar gamma per 1% move.
    let value_at = |book: &[Opt], s: f64, atm: f64, ts: i64| -> (f64, f64, f64, f64) {
        let (mut v, mut d, mut vega, mut gamma) = (0.0, 0.0, 0.0, 0.0);
        for o in book {
            let t = ((o.expiry - ts) as f64 / YEAR_SECS).max(0.0);
            let sigma = smile.vol(atm, (o.strike / s).ln(), t);
            let (p, delta, ve, ga) = price(o.kind, s, o.strike, t, sigma);
            v += o.size * p;
            d += o.size * delta;
            vega += o.size * ve;
            gamma += o.size * ga * s * s * 0.01;
        }
        (v, d, vega, gamma)
    };
    let bands = policy.greek_bands();
    let caps = OptionRiskCaps::of(&exposure_vault::state::MarketRiskParams::PRESET);

    let mut prev = path[0];
    let mut atm_prev = vol.atm_vol(prev.ts);
    for bar in path {
        let (s0, s1, t1) = (prev.close, bar.close, bar.ts);
        let atm1 = vol.atm_vol(t1);
        if bar.ts > prev.ts {
            // Attribution of the book held over the step.
            let (v0, d0, _, _) = value_at(&book, s0, atm_prev, prev.ts);
            let (v_same_vol, _, _, _) = value_at(&book, s1, atm_prev, t1);
            let (v1, _, _, _) = value_at(&book, s1, atm1, t1);
            let option_delta = d0 * (s1 - s0);
            a.delta += option_delta + perp * (s1 - s0);
            a.gamma_theta += v_same_vol - v0 - option_delta;
            a.vega += v1 - v_same_vol;
            cash += perp * (s1 - s0);
            // Funding prints inside the step: longs pay shorts at the rate.
            while funding_i < funding.len() && funding[funding_i].ts <= t1 {
                let paid = perp * s1 * funding[funding_i].rate;
                cash -= paid;
                a.funding -= paid;
                funding_i += 1;
            }
            // Expiries settle at intrinsic value.
            book.retain(|o| {
                if o.expiry <= t1 {
                    let (p, _, _, _) = price(o.kind, s1, o.strike, 0.0, 0.0);
                    cash += o.size * p;
                    false
                } else {
                    true
                }
            });
        }
        // The book's value, delta and vega now, re-read only when the book changes.
        let mut now = value_at(&book, s1, atm1, t1);
        // Traders buy a call and a put at the flow's deltas.
        if t1 >= next_flow {
            next_flow += flow.every_secs;
            let nav = cash + now.0;
            let t = flow.tenor_days * 86_400.0 / YEAR_SECS;
            let expiry = t1 + (flow.tenor_days * 86_400.0) as i64;
            for (kind, target) in [
                (OptionKind::Call, flow.call_delta),
                (OptionKind::Put, flow.put_delta),
            ] {
                let k = strike_for_delta(kind, s1, t, atm1, smile, target);
                let sigma = smile.vol(atm1, (k / s1).ln(), t);
                let (p, _, _, _) = price(kind, s1, k, t, sigma);
                let units = flow.notional_fraction * nav.max(0.0) / s1;
                let premium = units * p;
                let extra = premium * (flow.spread_bps + flow.fee_bps) / 10_000.0;
                cash += premium + extra;
                a.premium += premium;
                a.spread_and_fees += extra;
                book.push(Opt {
                    kind,
                    strike: k,
                    expiry,
                    size: -units,
                });
            }
            now = value_at(&book, s1, atm1, t1);
        }
        // Vega and gamma first, as the live keeper plans them: providers quote every listed
        // series more than a day from expiry at the edge (the options the vault holds, so the
        // keeper can unwind a hedge, and fresh ATM calls of each hedge tenor), and the planner
        // picks within the program's option-hedge rule.
        if let Some(bands) = &bands {
            let mut series: Vec<(OptionKind, f64, i64)> = policy
                .hedge_tenors_days
                .iter()
                .flat_map(|days| {
                    let expiry = listed_expiry(t1 + (days * 86_400.0) as i64);
                    [OptionKind::Call, OptionKind::Put]
                        .map(|kind| (kind, listed_strike(s1), expiry))
                })
                .collect();
            for o in &book {
                let key = (o.kind, o.strike, o.expiry);
                if o.expiry - t1 > 86_400 && !series.contains(&key) {
                    series.push(key);
                }
            }
            let quotes: Vec<(OptionCandidate, f64)> = series
                .iter()
                .enumerate()
                .map(|(i, &(kind, strike, expiry))| {
                    let t = (expiry - t1) as f64 / YEAR_SECS;
                    let sigma = smile.vol(atm1, (strike / s1).ln(), t);
                    let (p, delta, vega, gamma) = price(kind, s1, strike, t, sigma);
                    let capacity = 1_000_000_000 * SIZE_PRECISION;
                    let quote = OptionCandidate {
                        provider: Default::default(),
                        series: i as u8,
                        vault_buy_capacity: capacity,
                        vault_sell_capacity: capacity,
                        ask_vol: sigma * (1.0 + policy.option_edge),
                        bid_vol: sigma * (1.0 - policy.option_edge),
                        surface_vol: sigma,
                        unit_delta_usd: delta * s1,
                        unit_gamma_usd: gamma * s1 * s1 * 0.01,
                        unit_vega_usd: vega,
                    };
                    (quote, p)
                })
                .take(usize::from(u8::MAX))
                .collect();
            let candidates: Vec<OptionCandidate> = quotes.iter().map(|q| q.0).collect();
            for _ in 0..OPTION_HEDGES_PER_STEP {
                let g = MarketGreeks {
                    delta_usd: (now.1 + perp) * s1,
                    gamma_usd: now.3,
                    vega_usd: now.2,
                    nav_usd: cash + now.0,
                    atm_vol: atm1,
                };
                let Some(plan) =
                    plan_option_hedge(&g, bands, &caps, policy.perp_spread_bps, &candidates)
                else {
                    break;
                };
                let i = usize::from(plan.series);
                let ((quote, p), (kind, strike, expiry)) = (quotes[i], series[i]);
                let units = plan.size as f64 / SIZE_PRECISION as f64;
                let vol = if units > 0.0 {
                    quote.ask_vol
                } else {
                    quote.bid_vol
                };
                let t = (expiry - t1) as f64 / YEAR_SECS;
                let (paid, _, _, _) = price(kind, s1, strike, t, vol);
                cash -= units * paid;
                a.option_hedge_costs -= units * (paid - p);
                match book
                    .iter_mut()
                    .find(|o| (o.kind, o.strike, o.expiry) == (kind, strike, expiry))
                {
                    Some(held) => held.size += units,
                    None => book.push(Opt {
                        kind,
                        strike,
                        expiry,
                        size: units,
                    }),
                }
                option_hedges += 1;
                now = value_at(&book, s1, atm1, t1);
            }
        }
        // Then delta on the perpetual.
        let nav = cash + now.0;
        if let Some(band) = policy.delta_band {
            let net = now.1 + perp;
            if (net * s1).abs() > band * nav.max(0.0) {
                let cost = net.abs() * s1 * policy.perp_spread_bps / 10_000.0;
                cash -= cost;
                a.hedge_costs -= cost;
                perp -= net;
                hedge_trades += 1;
            }
        }
        let nav = cash + now.0;
        let step = nav - nav_prev;
        if step < worst_step.1 {
            worst_step = (t1, step);
        }
        if nav_prev > 0.0 {
            step_returns.push(step / nav_prev);
        }
        nav_prev = nav;
        peak = peak.max(nav);
        if peak > 0.0 {
            max_dd = max_dd.max((peak - nav) / peak);
        }
        if t1 / 86_400 != last_day {
            last_day = t1 / 86_400;
            nav_curve.push((t1, nav));
        }
        if t1 >= next_week {
            next_week += 7 * 86_400;
            if week_start_nav > 0.0 {
                weekly.push(nav / week_start_nav - 1.0);
            }
            week_start_nav = nav;
        }
        prev = *bar;
        atm_prev = atm1;
    }
    let final_nav = nav_prev;
    let years = ((path[path.len() - 1].ts - path[0].ts) as f64 / YEAR_SECS).max(1e-9);
    let mean = step_returns.iter().sum::<f64>() / step_returns.len().max(1) as f64;
    let var = step_returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>()
        / step_returns.len().max(1) as f64;
    let steps_per_year = step_returns.len() as f64 / years;
    // What expiries paid beyond their last 2 h mark is the attribution's residual.
    let explained = a.spread_and_fees
        + a.delta
        + a.gamma_theta
        + a.vega
        + a.hedge_costs
        + a.option_hedge_costs
        + a.funding;
    a.expiry = final_nav - initial_nav - explained;
    Run {
        policy: policy.clone(),
        nav: nav_curve,
        final_nav,
        total_return: final_nav / initial_nav - 1.0,
        annual_return: (final_nav / initial_nav).max(1e-12).powf(1.0 / years) - 1.0,
        annual_vol: (var * steps_per_year).sqrt(),
        max_drawdown: max_dd,
        worst_step,
        weekly_returns: weekly,
        attribution: a,
        hedge_trades,
        option_hedges,
    }
}
