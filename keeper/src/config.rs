//! Keeper configuration: a TOML file, then `KEEPER_*` environment overrides, then defaults.
//!
//! ```toml
//! rpc_url = "http://127.0.0.1:8899"
//! ws_url = "ws://127.0.0.1:8900"
//! keypair = "~/.config/solana/id.json"   # default: the Solana CLI's
//! vault = "<vault address>"
//! priority_fee_micro_lamports = 0
//! poll_interval_ms = 2000
//! metrics_addr = "127.0.0.1:9464"
//!
//! [surface]
//! source = "synthetic"          # or "file"
//! atm_vol = 0.6                 # synthetic
//! # quotes = "quotes.json"      # file: { "<symbol>": { "<expiry_ts>": [[k, iv], ...] } }
//! change_bps = 200
//!
//! [liquidation]
//! min_reward_usd = 1.0
//!
//! [hedge]
//! max_slippage_bps = 50
//!
//! [[markets]]
//! index = 0
//! oracle = "<PriceUpdateV2 account>"
//! ```
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use serde::Deserialize;

use crate::strategy::cycle::CycleConfig;
use crate::strategy::deribit_source::{DeribitConfig, DeribitSurface};
use crate::strategy::greek_bands::GreekBands;
use crate::strategy::hedge::DeltaBand;
use crate::strategy::surface_source::{QuoteFileSurface, SurfaceSource, SyntheticSurface};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    #[error("{0} is not set (config file or KEEPER_{1})")]
    Missing(&'static str, &'static str),
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "snake_case", tag = "source")]
pub enum SurfaceConfig {
    Synthetic {
        #[serde(default = "default_atm_vol")]
        atm_vol: f64,
        #[serde(default = "default_change_bps")]
        change_bps: f64,
    },
    File {
        quotes: PathBuf,
        #[serde(default = "default_change_bps")]
        change_bps: f64,
    },
    /// Deribit's public book summary, polled (`strategy::deribit_source`).
    Deribit {
        #[serde(default = "default_deribit_url")]
        url: String,
        /// The market the venue's surface serves.
        #[serde(default = "default_deribit_symbol")]
        symbol: String,
        #[serde(default = "default_poll_secs")]
        poll_secs: u64,
        #[serde(default = "default_timeout_ms")]
        timeout_ms: u64,
        /// Stop posting once the venue surface is this old (the program's
        /// `surface_max_age_secs`).
        #[serde(default = "default_venue_max_age_secs")]
        max_age_secs: i64,
        #[serde(default = "default_change_bps")]
        change_bps: f64,
    },
}

fn default_deribit_url() -> String {
    crate::strategy::deribit_source::DERIBIT_BTC_SUMMARY.into()
}
fn default_deribit_symbol() -> String {
    "BTC".into()
}
fn default_poll_secs() -> u64 {
    60
}
fn default_timeout_ms() -> u64 {
    5_000
}
fn default_venue_max_age_secs() -> i64 {
    600
}

fn default_atm_vol() -> f64 {
    0.6
}
fn default_change_bps() -> f64 {
    200.0
}

impl Default for SurfaceConfig {
    fn default() -> Self {
        Self::Synthetic {
            atm_vol: default_atm_vol(),
            change_bps: default_change_bps(),
        }
    }
}

impl SurfaceConfig {
    pub fn source(&self) -> Box<dyn SurfaceSource> {
        match self {
            Self::Synthetic { atm_vol, .. } => Box::new(SyntheticSurface { atm_vol: *atm_vol }),
            Self::File { quotes, .. } => Box::new(QuoteFileSurface {
                path: quotes.clone(),
            }),
            Self::Deribit {
                url,
                symbol,
                poll_secs,
                timeout_ms,
                max_age_secs,
                ..
            } => {
                let source = DeribitSurface::new(DeribitConfig {
                    url: url.clone(),
                    symbol: symbol.clone(),
                    poll_secs: *poll_secs,
                    timeout: std::time::Duration::from_millis(*timeout_ms),
                    max_age_secs: *max_age_secs,
                    attempts: 3,
                });
                source.spawn_poller();
                Box::new(source)
            }
        }
    }

    pub fn change_bps(&self) -> f64 {
        match self {
            Self::Synthetic { change_bps, .. }
            | Self::File { change_bps, .. }
            | Self::Deribit { change_bps, .. } => *change_bps,
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LiquidationConfig {
    /// Only liquidate when the liquidator's expected share of the penalty is at least this.
    #[serde(default = "default_min_reward")]
    pub min_reward_usd: f64,
}

fn default_min_reward() -> f64 {
    1.0
}

impl Default for LiquidationConfig {
    fn default() -> Self {
        Self {
            min_reward_usd: default_min_reward(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HedgeConfig {
    /// The worst hedge fill accepted, in bps from the oracle price.
    #[serde(default = "default_max_slippage_bps")]
    pub max_slippage_bps: u16,
}

fn default_max_slippage_bps() -> u16 {
    50
}

impl Default for HedgeConfig {
    fn default() -> Self {
        Self {
            max_slippage_bps: default_max_slippage_bps(),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SettlementConfig {
    /// Post the earliest observed update after an expiry again when the oracle account has moved
    /// past it, to propose or dispute with it (`strategy::settlement`). Only the localnet
    /// publisher can post it today; on mainnet it takes a Hermes update, not carried yet.
    #[serde(default)]
    pub repost_updates: bool,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MarketConfig {
    pub index: u16,
    /// The `PriceUpdateV2` account the keeper passes for this market's pull feed.
    pub oracle: String,
    /// The market's delta band; without one the keeper does not hedge it.
    pub hedge: Option<DeltaBand>,
    /// The market's vega and gamma bands; without them the keeper sends no option hedges.
    pub greeks: Option<GreekBands>,
}

/// The file as written; every field optional so env overrides can fill it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    rpc_url: Option<String>,
    ws_url: Option<String>,
    keypair: Option<PathBuf>,
    vault: Option<String>,
    priority_fee_micro_lamports: Option<u64>,
    poll_interval_ms: Option<u64>,
    metrics_addr: Option<String>,
    #[serde(default)]
    surface: SurfaceConfig,
    #[serde(default)]
    liquidation: LiquidationConfig,
    #[serde(default)]
    hedge: HedgeConfig,
    #[serde(default)]
    settlement: SettlementConfig,
    #[serde(default)]
    markets: Vec<MarketConfig>,
}

#[derive(Clone, Debug)]
pub struct KeeperConfig {
    pub rpc_url: String,
    pub ws_url: String,
    pub keypair: PathBuf,
    pub vault: Pubkey,
    pub priority_fee_micro_lamports: u64,
    pub poll_interval_ms: u64,
    pub metrics_addr: Option<String>,
    pub surface: SurfaceConfig,
    pub liquidation: LiquidationConfig,
    pub hedge: HedgeConfig,
    pub settlement: SettlementConfig,
    /// Oracle account per market index.
    pub oracles: Vec<Pubkey>,
    /// Delta band per market index (hedged markets only).
    pub hedge_bands: BTreeMap<u16, DeltaBand>,
    /// Vega and gamma bands per market index.
    pub greek_bands: BTreeMap<u16, GreekBands>,
}

fn expand_home(path: &Path) -> PathBuf {
    match path.to_str().and_then(|p| p.strip_prefix("~/")) {
        Some(rest) => Path::new(&std::env::var_os("HOME").unwrap_or_default()).join(rest),
        None => path.to_path_buf(),
    }
}

fn parse_pubkey(field: &str, value: &str) -> Result<Pubkey, ConfigError> {
    value.parse().map_err(|e| ConfigError::Invalid {
        field: field.into(),
        reason: format!("{value:?} is not an address: {e}"),
    })
}

/// `ws://` for `http://` (and `wss://` for `https://`), port + 1 as the validator serves it.
pub fn default_ws_url(rpc_url: &str) -> String {
    let ws = rpc_url.replacen("http", "ws", 1);
    match ws.rsplit_once(':') {
        Some((head, port)) => match port.trim_end_matches('/').parse::<u16>() {
            Ok(p) => format!("{head}:{}", p + 1),
            Err(_) => ws,
        },
        None => ws,
    }
}

impl KeeperConfig {
    /// Reads `path` (if given), applies `env` overrides (`KEEPER_RPC_URL`, `KEEPER_WS_URL`,
    /// `KEEPER_KEYPAIR`, `KEEPER_VAULT`, `KEEPER_PRIORITY_FEE`, `KEEPER_POLL_INTERVAL_MS`,
    /// `KEEPER_METRICS_ADDR`), and validates.
    pub fn load(
        path: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let file: FileConfig = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::File {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?
            }
            None => FileConfig::default(),
        };
        let number = |name: &str, value: String| -> Result<u64, ConfigError> {
            value.parse().map_err(|_| ConfigError::Invalid {
                field: name.into(),
                reason: format!("{value:?} is not a number"),
            })
        };
        let rpc_url = env("KEEPER_RPC_URL")
            .or(file.rpc_url)
            .unwrap_or_else(|| "http://127.0.0.1:8899".into());
        let ws_url = env("KEEPER_WS_URL")
            .or(file.ws_url)
            .unwrap_or_else(|| default_ws_url(&rpc_url));
        let keypair = env("KEEPER_KEYPAIR")
            .map(PathBuf::from)
            .or(file.keypair)
            .map(|p| expand_home(&p))
            .unwrap_or_else(crate::chain::default_keypair_path);
        let vault = env("KEEPER_VAULT")
            .or(file.vault)
            .ok_or(ConfigError::Missing("vault", "VAULT"))?;
        let priority_fee_micro_lamports = match env("KEEPER_PRIORITY_FEE") {
            Some(v) => number("KEEPER_PRIORITY_FEE", v)?,
            None => file.priority_fee_micro_lamports.unwrap_or(0),
        };
        let poll_interval_ms = match env("KEEPER_POLL_INTERVAL_MS") {
            Some(v) => number("KEEPER_POLL_INTERVAL_MS", v)?,
            None => file.poll_interval_ms.unwrap_or(2_000),
        };
        if poll_interval_ms == 0 {
            return Err(ConfigError::Invalid {
                field: "poll_interval_ms".into(),
                reason: "must be > 0".into(),
            });
        }
        let mut oracles = Vec::new();
        let mut hedge_bands = BTreeMap::new();
        let mut greek_bands = BTreeMap::new();
        for market in &file.markets {
            if let Some(bands) = market.greeks {
                if !bands.is_valid() {
                    return Err(ConfigError::Invalid {
                        field: format!("markets[{}].greeks", market.index),
                        reason: "needs a positive, finite vega or gamma limit; high_vol_scale in \
                                 (0, 1]; max_vol_edge in [0, 1]"
                            .into(),
                    });
                }
                greek_bands.insert(market.index, bands);
            }
            if let Some(band) = market.hedge {
                let valid = [band.max_usd, band.max_nav_fraction]
                    .iter()
                    .flatten()
                    .all(|limit| limit.is_finite() && *limit > 0.0)
                    && band.width_usd(1.0).is_some();
                if !valid {
                    return Err(ConfigError::Invalid {
                        field: format!("markets[{}].hedge", market.index),
                        reason: "needs max_usd and/or max_nav_fraction, positive and finite".into(),
                    });
                }
                hedge_bands.insert(market.index, band);
            }
            let slot = usize::from(market.index);
            if oracles.len() <= slot {
                oracles.resize(slot + 1, Pubkey::default());
            }
            oracles[slot] =
                parse_pubkey(&format!("markets[{}].oracle", market.index), &market.oracle)?;
        }
        Ok(Self {
            vault: parse_pubkey("vault", &vault)?,
            rpc_url,
            ws_url,
            keypair,
            priority_fee_micro_lamports,
            poll_interval_ms,
            metrics_addr: env("KEEPER_METRICS_ADDR").or(file.metrics_addr),
            surface: file.surface,
            liquidation: file.liquidation,
            hedge: file.hedge,
            settlement: file.settlement,
            oracles,
            hedge_bands,
            greek_bands,
        })
    }

    pub fn cycle_config(&self) -> CycleConfig {
        CycleConfig {
            surface_change_bps: self.surface.change_bps(),
            min_liquidation_reward_usd: self.liquidation.min_reward_usd,
            hedge_bands: self.hedge_bands.clone(),
            hedge_max_slippage_bps: self.hedge.max_slippage_bps,
            greek_bands: self.greek_bands.clone(),
            repost_settlement_updates: self.settlement.repost_updates,
            ..CycleConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAULT: &str = "rYPQCbEtN3ZVQX1KvGfCNpDKSYAmHGBJY8YEHixCDoo";

    fn write(text: &str) -> tempfile_path::TempPath {
        tempfile_path::TempPath::with(text)
    }

    mod tempfile_path {
        pub struct TempPath(pub std::path::PathBuf);
        impl TempPath {
            pub fn with(text: &str) -> Self {
                let path = std::env::temp_dir().join(format!(
                    "keeper-config-{}-{}.toml",
                    std::process::id(),
                    text.len()
                ));
                std::fs::write(&path, text).expect("write temp config");
                Self(path)
            }
        }
        impl Drop for TempPath {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.0);
            }
        }
    }

    #[test]
    fn file_then_env_overrides() {
        let file = write(&format!(
            "rpc_url = \"http://10.0.0.1:8899\"\nvault = \"{VAULT}\"\npoll_interval_ms = 500\n\
             [surface]\nsource = \"synthetic\"\natm_vol = 0.7\n\
             [hedge]\nmax_slippage_bps = 30\n\
             [[markets]]\nindex = 1\noracle = \"{VAULT}\"\n\
             hedge = {{ max_usd = 25000, max_nav_fraction = 0.05 }}\n\
             greeks = {{ vega_max_usd = 2000, gamma_max_nav_fraction = 0.001 }}\n"
        ));
        let env = |k: &str| (k == "KEEPER_POLL_INTERVAL_MS").then(|| "250".to_string());
        let config = KeeperConfig::load(Some(&file.0), &env).expect("valid");
        assert_eq!(config.rpc_url, "http://10.0.0.1:8899");
        assert_eq!(config.ws_url, "ws://10.0.0.1:8900");
        assert_eq!(config.poll_interval_ms, 250);
        assert_eq!(config.oracles.len(), 2);
        assert_eq!(config.oracles[0], Pubkey::default());
        assert_eq!(
            config.surface,
            SurfaceConfig::Synthetic {
                atm_vol: 0.7,
                change_bps: 200.0
            }
        );
        assert!(config.keypair.ends_with(".config/solana/id.json"));
        assert_eq!(config.cycle_config().hedge_max_slippage_bps, 30);
        let band = config.hedge_bands[&1];
        assert_eq!(band.width_usd(1e6), Some(25_000.0));
        assert_eq!(band.width_usd(1e5), Some(5_000.0));
        assert!(!config.hedge_bands.contains_key(&0));
        let greeks = config.cycle_config().greek_bands[&1];
        assert_eq!(greeks.vega_width(1e6, 0.5), Some(2_000.0));
        assert_eq!(
            greeks.vega_width(1e6, 0.9),
            Some(1_000.0),
            "top-decile vol halves it"
        );
        assert_eq!(greeks.gamma_width(1e6), Some(1_000.0));
    }

    #[test]
    fn bad_input_is_named() {
        let none = |_: &str| None;
        assert!(matches!(
            KeeperConfig::load(None, &none),
            Err(ConfigError::Missing("vault", _))
        ));
        let env = |k: &str| (k == "KEEPER_VAULT").then(|| "not-an-address".to_string());
        assert!(matches!(
            KeeperConfig::load(None, &env),
            Err(ConfigError::Invalid { .. })
        ));
        let unknown = write(&format!("vault = \"{VAULT}\"\nrpc = \"typo\"\n"));
        assert!(matches!(
            KeeperConfig::load(Some(&unknown.0), &none),
            Err(ConfigError::File { .. })
        ));
        let env = |k: &str| match k {
            "KEEPER_VAULT" => Some(VAULT.to_string()),
            "KEEPER_POLL_INTERVAL_MS" => Some("0".to_string()),
            _ => None,
        };
        assert!(matches!(
            KeeperConfig::load(None, &env),
            Err(ConfigError::Invalid { .. })
        ));
        for band in ["{ }", "{ max_usd = -5 }", "{ max_nav_fraction = 0 }"] {
            let file = write(&format!(
                "vault = \"{VAULT}\"\n[[markets]]\nindex = 0\noracle = \"{VAULT}\"\nhedge = {band}\n"
            ));
            assert!(
                matches!(
                    KeeperConfig::load(Some(&file.0), &none),
                    Err(ConfigError::Invalid { ref field, .. }) if field == "markets[0].hedge"
                ),
                "{band}"
            );
        }
        for greeks in [
            "{ }",
            "{ vega_max_usd = -1 }",
            "{ vega_max_usd = 100, high_vol_scale = 0 }",
            "{ gamma_max_usd = 100, max_vol_edge = 2 }",
        ] {
            let file = write(&format!(
                "vault = \"{VAULT}\"\n[[markets]]\nindex = 0\noracle = \"{VAULT}\"\ngreeks = {greeks}\n"
            ));
            assert!(
                matches!(
                    KeeperConfig::load(Some(&file.0), &none),
                    Err(ConfigError::Invalid { ref field, .. }) if field == "markets[0].greeks"
                ),
                "{greeks}"
            );
        }
    }
}
