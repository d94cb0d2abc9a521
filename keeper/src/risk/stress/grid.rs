//! Scenario grid: full revaluation of the vault's book over spot shocks (Deribit portfolio
//! margin style: an extended −66%…+500% ladder and a fine ±16% one) × vol shocks (up, flat,
//! down), term-structure aware: a shock of `v` vol points at 30 days moves an expiry T by
//! v·√(30d/T), so short expiries move most, as they do in a crisis.
use serde::Serialize;

use super::book::{revalue, Book};

pub const EXTENDED_SHOCKS: [f64; 13] = [
    -0.66, -0.5, -0.33, -0.2, -0.1, 0.0, 0.1, 0.2, 0.33, 0.5, 1.0, 2.0, 5.0,
];

/// −16%…+16% in 2% steps.
pub fn fine_shocks() -> Vec<f64> {
    (-8..=8).map(|i| f64::from(i) * 0.02).collect()
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct VolShock {
    pub name: &'static str,
    /// Vol points (0.10 = 10 points) at the 30-day point.
    pub points_30d: f64,
}

pub const VOL_SHOCKS: [VolShock; 3] = [
    VolShock {
        name: "vol up",
        points_30d: 0.15,
    },
    VolShock {
        name: "vol flat",
        points_30d: 0.0,
    },
    VolShock {
        name: "vol down",
        points_30d: -0.10,
    },
];

impl VolShock {
    /// The shocked vol of an expiry `t` years out whose base vol is `base`.
    pub fn apply(&self, t: f64, base: f64) -> f64 {
        let scale = (30.0 / 365.0 / t.max(1.0 / 365.0)).sqrt();
        (base + self.points_30d * scale).max(0.01)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct GridPoint {
    pub spot_shock: f64,
    pub vol_shock: &'static str,
    /// Change of the vault's book value (options and hedge), dollars.
    pub pnl: f64,
    pub nav_after: f64,
    /// The vault's net delta after the shock, dollars.
    pub delta_usd_after: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct GridReport {
    pub extended: Vec<GridPoint>,
    pub fine: Vec<GridPoint>,
    pub worst: GridPoint,
}

/// Book P&L with every market's spot moved by `shock` (relative) under `vol`.
pub fn shocked(book: &Book, shock: f64, vol: &VolShock) -> GridPoint {
    let (mut pnl, mut delta_usd) = (0.0, 0.0);
    for (symbol, market) in &book.markets {
        let file = &book.file.markets[symbol];
        let spot = market.spot * (1.0 + shock);
        let base = book.base_value(symbol);
        let (value, delta) = revalue(
            book.positions_in(symbol),
            market,
            spot,
            |t, v| vol.apply(t, v),
            0.0,
        );
        pnl += value - base + file.hedge * (spot - market.spot);
        delta_usd += (delta + file.hedge) * spot;
    }
    GridPoint {
        spot_shock: shock,
        vol_shock: vol.name,
        pnl,
        nav_after: book.file.nav_usd + pnl,
        delta_usd_after: delta_usd,
    }
}

pub fn run(book: &Book) -> GridReport {
    let points = |shocks: &[f64]| -> Vec<GridPoint> {
        VOL_SHOCKS
            .iter()
            .flat_map(|vol| shocks.iter().map(move |&s| (s, vol)))
            .map(|(s, vol)| shocked(book, s, vol))
            .collect()
    };
    let extended = points(&EXTENDED_SHOCKS);
    let fine = points(&fine_shocks());
    let worst = extended
        .iter()
        .chain(&fine)
        .min_by(|a, b| a.pnl.total_cmp(&b.pnl))
        .cloned()
        .expect("the grid is not empty");
    GridReport {
        extended,
        fine,
        worst,
    }
}
