//! Where the keeper's vol surface comes from. One trait, so a source of real market quotes (a
//! file now, a venue feed later) and the deterministic localnet source are interchangeable.
use exposure_vault::state::SviSlice;
use exposure_vault_client::surface::skewed_surface;

/// A source of SVI slices for a market's expiries.
pub trait SurfaceSource: Send + Sync {
    /// Slices for `expiries` (unix seconds, ascending, all after `now`) of market `symbol`.
    fn surface(&self, symbol: &str, now: i64, expiries: &[i64]) -> anyhow::Result<Vec<SviSlice>>;

    /// A remote source's state: the age of its last good surface and its failed polls.
    fn health(&self, _now: i64) -> Option<SourceHealth> {
        None
    }
}

/// What a remote surface source reports for metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceHealth {
    /// Seconds since the last good surface was taken (None: none yet).
    pub age_secs: Option<i64>,
    pub failures: u64,
}

/// Localnet / testing: a skewed surface (ρ = −0.3) at a fixed ATM vol per market.
pub struct SyntheticSurface {
    pub atm_vol: f64,
}

impl SurfaceSource for SyntheticSurface {
    fn surface(&self, _symbol: &str, now: i64, expiries: &[i64]) -> anyhow::Result<Vec<SviSlice>> {
        Ok(skewed_surface(now, expiries, self.atm_vol))
    }
}

/// Market quotes from a JSON file: `{ "<symbol>": { "<expiry_ts>": [[log_moneyness, iv], ...] } }`,
/// re-read on every call so an external process can update it; each expiry's smile is fitted
/// with the pricing engine's SVI calibrator.
pub struct QuoteFileSurface {
    pub path: std::path::PathBuf,
}

impl SurfaceSource for QuoteFileSurface {
    fn surface(&self, symbol: &str, now: i64, expiries: &[i64]) -> anyhow::Result<Vec<SviSlice>> {
        use crate::pricing::svi::{fit_smile, SmileQuote};
        use std::collections::BTreeMap;
        let text = std::fs::read_to_string(&self.path)?;
        let all: BTreeMap<String, BTreeMap<i64, Vec<(f64, f64)>>> = serde_json::from_str(&text)?;
        let smiles = all
            .get(symbol)
            .ok_or_else(|| anyhow::anyhow!("{}: no quotes for {symbol}", self.path.display()))?;
        expiries
            .iter()
            .map(|&expiry| {
                let quotes = smiles.get(&expiry).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: no {symbol} quotes for expiry {expiry}",
                        self.path.display()
                    )
                })?;
                let t = (expiry - now) as f64 / (365.0 * 86_400.0);
                let quotes: Vec<SmileQuote> = quotes
                    .iter()
                    .map(|&(k, iv)| SmileQuote { k, iv, weight: 1.0 })
                    .collect();
                let fit = fit_smile(t, &quotes)?;
                Ok(fit.params.to_onchain(expiry))
            })
            .collect()
    }
}
