//! The book a stress run revalues: markets (spot, SVI surface), the vault's option positions
//! and hedge, its NAV and insurance fund, and the margin accounts for the cascade. Read from a
//! JSON file (`examples/demo-book.json`) or built from a chain snapshot.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::pricing::black::OptionKind;
use crate::pricing::svi::{SviRaw, VolSurface};
use crate::risk::portfolio::{MarketState, Position};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketFile {
    pub spot: f64,
    /// SVI smiles by time to expiry in years.
    pub surface: Vec<(f64, SviRaw)>,
    /// The vault's hedge perpetual, in units of the underlying.
    #[serde(default)]
    pub hedge: f64,
    /// Delta band of the keeper's hedging policy, in dollars (none: never hedged).
    #[serde(default)]
    pub band_usd: Option<f64>,
}

/// A trader's margin account: collateral, option positions and a perpetual.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFile {
    pub id: String,
    pub market: String,
    pub collateral_usd: f64,
    #[serde(default)]
    pub positions: Vec<Position>,
    #[serde(default)]
    pub perp: f64,
    #[serde(default)]
    pub perp_entry: f64,
}

/// Margin factors the cascade uses (the program's `MarketRiskParams` maintenance side).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarginFactors {
    pub maintenance_a: f64,
    pub maintenance_b: f64,
    pub perp_maintenance: f64,
    pub liquidation_penalty: f64,
}

impl Default for MarginFactors {
    fn default() -> Self {
        Self {
            maintenance_a: 0.075,
            maintenance_b: 0.05,
            perp_maintenance: 0.05,
            liquidation_penalty: 0.025,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookFile {
    pub nav_usd: f64,
    #[serde(default)]
    pub insurance_usd: f64,
    pub markets: BTreeMap<String, MarketFile>,
    /// The vault's option positions (it is the counterparty: minus the traders' open interest).
    pub positions: Vec<Position>,
    #[serde(default)]
    pub accounts: Vec<AccountFile>,
    #[serde(default)]
    pub margin: MarginFactors,
}

#[derive(Debug, thiserror::Error)]
pub enum BookError {
    #[error("book file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("the book has no positions and no hedge: nothing to stress")]
    Empty,
    #[error("market {0}: {1}")]
    Market(String, String),
    #[error("position {0} references unknown market {1}")]
    UnknownMarket(usize, String),
    #[error("position {0}: {1}")]
    Position(usize, String),
}

/// A validated book with its surfaces built.
#[derive(Clone, Debug)]
pub struct Book {
    pub file: BookFile,
    pub markets: BTreeMap<String, MarketState>,
    /// The rule cascades and replays hold accounts to (`keeper stress --margin`).
    pub margin_rule: crate::risk::margin::MarginRule,
    /// Value of the vault's options per market today: every scenario's P&L is against it.
    base_values: BTreeMap<String, f64>,
}

impl Book {
    pub fn load(path: &std::path::Path) -> Result<Self, BookError> {
        let text = std::fs::read_to_string(path).map_err(|e| BookError::File {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let file: BookFile = serde_json::from_str(&text).map_err(|e| BookError::File {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::new(file)
    }

    pub fn new(file: BookFile) -> Result<Self, BookError> {
        if file.positions.is_empty() && file.markets.values().all(|m| m.hedge == 0.0) {
            return Err(BookError::Empty);
        }
        let mut markets = BTreeMap::new();
        for (symbol, m) in &file.markets {
            if !(m.spot.is_finite() && m.spot > 0.0) {
                return Err(BookError::Market(
                    symbol.clone(),
                    format!("spot {} is not positive", m.spot),
                ));
            }
            let surface = VolSurface::new(m.surface.clone())
                .map_err(|e| BookError::Market(symbol.clone(), e.to_string()))?;
            markets.insert(
                symbol.clone(),
                MarketState {
                    spot: m.spot,
                    rate: 0.0,
                    surface,
                },
            );
        }
        let all = file
            .positions
            .iter()
            .chain(file.accounts.iter().flat_map(|a| a.positions.iter()));
        for (i, p) in all.enumerate() {
            if !markets.contains_key(&p.market) {
                return Err(BookError::UnknownMarket(i, p.market.clone()));
            }
            if !(p.strike > 0.0 && p.t > 0.0 && p.size.is_finite()) {
                return Err(BookError::Position(
                    i,
                    format!("strike {}, t {}, size {}", p.strike, p.t, p.size),
                ));
            }
        }
        let mut book = Self {
            file,
            markets,
            margin_rule: Default::default(),
            base_values: BTreeMap::new(),
        };
        book.base_values = book
            .markets
            .iter()
            .map(|(symbol, market)| {
                let (value, _) = revalue(
                    book.positions_in(symbol),
                    market,
                    market.spot,
                    |_, v| v,
                    0.0,
                );
                (symbol.clone(), value)
            })
            .collect();
        Ok(book)
    }

    /// Value of the vault's options in `market` at today's spot and surface.
    pub fn base_value(&self, market: &str) -> f64 {
        self.base_values.get(market).copied().unwrap_or(0.0)
    }

    /// Positions of the vault in one market.
    pub fn positions_in<'a>(&'a self, market: &'a str) -> impl Iterator<Item = &'a Position> + 'a {
        self.file
            .positions
            .iter()
            .filter(move |p| p.market == market)
    }
}

/// Value (price·size) of positions at `spot`, `elapsed` years later, with vols read
/// sticky-moneyness off the market's surface and then shocked by `vol_at(t, base_vol)`. Also
/// returns the delta in units of the underlying.
pub fn revalue<'a>(
    positions: impl Iterator<Item = &'a Position>,
    market: &MarketState,
    spot: f64,
    vol_at: impl Fn(f64, f64) -> f64,
    elapsed: f64,
) -> (f64, f64) {
    let (mut value, mut delta) = (0.0, 0.0);
    for p in positions {
        let t = p.t - elapsed;
        if t <= 1e-9 {
            let intrinsic = match p.kind {
                OptionKind::Call => (spot - p.strike).max(0.0),
                OptionKind::Put => (p.strike - spot).max(0.0),
            };
            value += intrinsic * p.size;
            let itm = match p.kind {
                OptionKind::Call => spot > p.strike,
                OptionKind::Put => spot < p.strike,
            };
            delta += if itm { p.kind.sign() * p.size } else { 0.0 };
            continue;
        }
        let base = market.surface.implied_vol((p.strike / spot).ln(), t);
        let vol = vol_at(t, base);
        let g =
            crate::pricing::black::greeks_unchecked(p.kind, spot, p.strike, t, vol.max(1e-4), 0.0);
        value += g.price * p.size;
        delta += g.delta * p.size;
    }
    (value, delta)
}
