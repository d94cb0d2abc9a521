//! Margin of a stress book's accounts under both rules, with the program's own integer math:
//! `math::margin::StandardMargin` and `math::portfolio` (the grid, its cache values and the
//! requirement) on marks priced from the book's surface. `keeper margin` prints it;
//! `keeper stress --margin portfolio` runs its cascade on it.
use serde::Serialize;

use exposure_vault::math::black76::{black76, OptionSide, SECONDS_PER_YEAR};
use exposure_vault::math::hedge::PerpPosition;
use exposure_vault::math::margin::{
    MarginModel, MarkedPosition, OraclePrice, SeriesMark, StandardMargin,
};
use exposure_vault::math::portfolio::{requirement, Grid, PmPosition, VolMove};
use exposure_vault::math::precision::{PRICE_PRECISION, SIZE_PRECISION};
use exposure_vault::state::MarketRiskParams;

use super::stress::book::{AccountFile, Book};
use crate::pricing::black::OptionKind;

/// Which rule a stress run holds accounts to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MarginRule {
    #[default]
    Standard,
    Portfolio,
}

/// One account's requirements in USD under both rules, and its worst PM scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountMargin {
    pub id: String,
    pub market: String,
    pub equity: f64,
    pub standard_initial: f64,
    pub standard_maintenance: f64,
    pub pm_initial: f64,
    pub pm_maintenance: f64,
    pub worst_scenario: WorstScenario,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorstScenario {
    /// Relative spot move (−0.16 = −16%).
    pub spot_move: f64,
    /// "up", "down" or "flat" (the extreme moves keep the surface vol).
    pub vol_move: &'static str,
    /// Counted at `pm_extreme_loss_share_bps` of its loss.
    pub extreme: bool,
    /// The loss it counts (USD), before contingencies.
    pub loss: f64,
}

/// One option of an account as the program would hold it: integer spot, strike, time and vol.
struct Priced {
    side: OptionSide,
    strike: u64,
    seconds: u64,
    vol: u64,
    size: i64,
}

fn usd(quote: f64) -> f64 {
    quote / PRICE_PRECISION as f64
}

fn to_price(v: f64) -> u64 {
    (v * PRICE_PRECISION as f64).round().max(1.0) as u64
}

fn to_size(v: f64) -> i64 {
    (v * SIZE_PRECISION as f64).round() as i64
}

/// The account's options at `spot`, `elapsed` years later, with vols off the book's surface
/// scaled by `vol_multiplier` (what a replay step moves).
fn priced(
    book: &Book,
    a: &AccountFile,
    spot: f64,
    vol_multiplier: f64,
    elapsed: f64,
) -> Vec<Priced> {
    let market = &book.markets[&a.market];
    a.positions
        .iter()
        .map(|p| {
            let t = (p.t - elapsed).max(0.0);
            let vol = if t > 0.0 {
                market.surface.implied_vol((p.strike / spot).ln(), t) * vol_multiplier
            } else {
                0.0
            };
            Priced {
                side: match p.kind {
                    OptionKind::Call => OptionSide::Call,
                    OptionKind::Put => OptionSide::Put,
                },
                strike: to_price(p.strike),
                seconds: (t * SECONDS_PER_YEAR as f64).round() as u64,
                vol: (vol.clamp(0.0, 20.0) * 1e6).round() as u64,
                size: to_size(p.size),
            }
        })
        .collect()
}

/// Equity, standard requirements and the PM requirement of one account at `spot`.
pub fn account_margin_at(
    book: &Book,
    a: &AccountFile,
    risk: &MarketRiskParams,
    spot: f64,
    vol_multiplier: f64,
    elapsed: f64,
) -> Option<AccountMargin> {
    let spot_price = to_price(spot);
    let options = priced(book, a, spot, vol_multiplier, elapsed);
    let price = OraclePrice {
        price: spot_price,
        conf: 0,
    };
    let mut marked = Vec::with_capacity(options.len());
    for o in &options {
        let g = black76(o.side, spot_price, o.strike, o.seconds, o.vol)?;
        marked.push(MarkedPosition {
            size: o.size,
            side: o.side,
            strike: o.strike,
            mark: SeriesMark {
                price: g.price,
                delta: g.delta,
                vega: g.vega,
                spot: spot_price,
                gamma: 0,
            },
            settled: false,
        });
    }
    let model = StandardMargin(risk.margin_params(0));
    let collateral = to_price(a.collateral_usd.max(0.0));
    let perp = PerpPosition {
        size: to_size(a.perp),
        quote_entry: -(a.perp * a.perp_entry * PRICE_PRECISION as f64).round() as i64,
    };
    let standard = model
        .health(collateral, &mut marked.iter().copied(), price)
        .and_then(|h| model.with_perp(h, perp, price))?;

    let params = risk.portfolio();
    let grid = Grid::new(params, spot_price)?;
    let caches: Vec<_> = options
        .iter()
        .map(|o| grid.series_scenarios(o.side, o.strike, o.seconds, o.vol))
        .collect::<Option<_>>()?;
    let list: Vec<PmPosition> = options
        .iter()
        .zip(&caches)
        .map(|(o, pnl)| PmPosition {
            size: o.size,
            side: o.side,
            // Positions of one expiry share a time to expiry.
            expiry_ts: o.seconds as i64,
            pnl,
        })
        .collect();
    let pm = requirement(&params, &list, perp.size, spot_price)?;
    let scenario = params.scenario(usize::from(pm.worst_scenario));
    Some(AccountMargin {
        id: a.id.clone(),
        market: a.market.clone(),
        equity: usd(standard.equity as f64),
        standard_initial: usd(standard.initial as f64),
        standard_maintenance: usd(standard.maintenance as f64),
        pm_initial: usd(pm.initial as f64),
        pm_maintenance: usd(pm.maintenance as f64),
        worst_scenario: WorstScenario {
            spot_move: f64::from(scenario.spot_move_bps) / 1e4,
            vol_move: match scenario.vol {
                VolMove::Up => "up",
                VolMove::Down => "down",
                VolMove::Flat => "flat",
            },
            extreme: scenario.extreme,
            loss: usd(pm.worst_loss as f64),
        },
    })
}

/// Every account of the book at its market's spot, under the program's preset parameters.
pub fn account_margins(book: &Book, risk: &MarketRiskParams) -> Vec<AccountMargin> {
    book.file
        .accounts
        .iter()
        .filter_map(|a| {
            let spot = book.markets[&a.market].spot;
            account_margin_at(book, a, risk, spot, 1.0, 0.0)
        })
        .collect()
}

/// The table `keeper margin` prints without `--json`.
pub fn render(margins: &[AccountMargin]) -> String {
    let mut out = format!(
        "{:<16} {:<6} {:>12} {:>12} {:>12} {:>12} {:>12}  worst PM scenario\n",
        "account", "market", "equity $", "std IM $", "std MM $", "PM IM $", "PM MM $"
    );
    for m in margins {
        let w = &m.worst_scenario;
        out.push_str(&format!(
            "{:<16} {:<6} {:>12.2} {:>12.2} {:>12.2} {:>12.2} {:>12.2}  spot {:+.0}%, vol {}{}\n",
            m.id,
            m.market,
            m.equity,
            m.standard_initial,
            m.standard_maintenance,
            m.pm_initial,
            m.pm_maintenance,
            w.spot_move * 100.0,
            w.vol_move,
            if w.extreme { " (extreme)" } else { "" }
        ));
    }
    out
}
