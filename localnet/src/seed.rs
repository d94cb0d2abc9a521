//! Deploys the program and seeds the localnet demo.
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use anyhow::{Context, Result};
use exposure_vault::state::VaultParams;
use exposure_vault_client::pyth::{self, PythQuote};
use exposure_vault_client::surface::skewed_surface;
use exposure_vault_client::{presets, usd, MarketKeys, VaultKeys, CALL, PUT};
use exposure_vault_rpc::deploy::DeployOutcome;
use exposure_vault_rpc::{read_keypair, write_keypair, Chain, Keypair, Signer};
use serde::{Deserialize, Serialize};

const DAY: i64 = 86_400;

/// The localnet's keys, kept in `.localnet/keys/` so a re-run reuses them. Localnet only.
pub struct LocalKeys {
    /// Pays for everything and administers the vault.
    pub admin: Keypair,
    pub mint_authority: Keypair,
    pub keeper: Keypair,
    /// Write authority of the oracle accounts (the localnet price publisher's signer).
    pub oracle_publisher: Keypair,
}

impl LocalKeys {
    pub fn load_or_create(dir: &Path) -> Result<Self> {
        let key = |name: &str| -> Result<Keypair> {
            let path = dir.join(format!("{name}.json"));
            if path.exists() {
                return Ok(read_keypair(&path)?);
            }
            let keypair = Keypair::new();
            write_keypair(&path, &keypair)?;
            Ok(keypair)
        };
        Ok(Self {
            admin: key("admin")?,
            mint_authority: key("mint-authority")?,
            keeper: key("keeper")?,
            oracle_publisher: key("oracle-publisher")?,
        })
    }
}

/// What the demo creates.
#[derive(Clone, Debug)]
pub struct DemoSpec {
    pub markets: Vec<(String, f64)>,
    /// Expiries as seconds from now.
    pub expiries_secs: Vec<i64>,
    /// Strikes as fractions of spot.
    pub strike_moneyness: Vec<f64>,
    pub atm_vol: f64,
    /// How long a settlement proposal stays open to an earlier update (`settle_series`).
    pub settlement_window_secs: u32,
    /// How long an LP withdrawal waits between request and payout: short enough for a demo,
    /// long enough that the app and the wallet CLI show the two steps.
    pub withdrawal_delay_secs: u32,
}

impl Default for DemoSpec {
    fn default() -> Self {
        Self {
            markets: vec![("BTC".into(), 65_000.0), ("SOL".into(), 150.0)],
            expiries_secs: vec![7 * DAY, 30 * DAY],
            strike_moneyness: vec![0.9, 1.0, 1.1],
            atm_vol: 0.6,
            settlement_window_secs: presets::market_risk().settlement_window_secs,
            withdrawal_delay_secs: 5,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DemoSeries {
    pub index: u8,
    pub strike: f64,
    pub expiry_ts: i64,
    pub side: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DemoMarket {
    pub index: u16,
    pub symbol: String,
    pub market: String,
    pub oracle: String,
    /// Pyth feed id, hex.
    pub feed_id: String,
    pub spot: f64,
    pub series: Vec<DemoSeries>,
}

/// Everything a client needs to find the demo, written to `.localnet/demo.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Demo {
    pub rpc_url: String,
    pub ws_url: String,
    pub program_id: String,
    pub vault: String,
    pub admin: String,
    pub keeper: String,
    pub collateral_mint: String,
    pub collateral_decimals: u8,
    pub share_mint: String,
    pub markets: Vec<DemoMarket>,
}

impl Demo {
    pub fn path(repo: &Path) -> PathBuf {
        repo.join(".localnet/demo.json")
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(self)?)?;
        Ok(())
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "{}: run `localnet up` or `localnet seed` first",
                path.display()
            )
        })?;
        Ok(serde_json::from_str(&text)?)
    }

    pub fn vault_keys(&self) -> Result<VaultKeys> {
        Ok(VaultKeys::derive(
            self.admin.parse()?,
            self.collateral_mint.parse()?,
            self.keeper.parse()?,
        ))
    }

    pub fn market_keys(&self) -> Result<Vec<MarketKeys>> {
        let vault = self.vault_keys()?;
        self.markets
            .iter()
            .map(|m| Ok(vault.market_keys(m.index, m.oracle.parse()?)))
            .collect()
    }

    pub fn oracles(&self) -> Result<Vec<Pubkey>> {
        self.markets.iter().map(|m| Ok(m.oracle.parse()?)).collect()
    }

    pub fn feed(&self, market: usize) -> Result<[u8; 32]> {
        let hex = &self.markets[market].feed_id;
        let mut feed = [0u8; 32];
        for (i, byte) in feed.iter_mut().enumerate() {
            *byte =
                u8::from_str_radix(hex.get(2 * i..2 * i + 2).context("feed id too short")?, 16)?;
        }
        Ok(feed)
    }
}

/// The program `.so` and keypair, deployed through loader v3 with the admin as upgrade
/// authority.
pub async fn deploy(
    chain: &Chain,
    repo: &Path,
    upgrade_authority: &Keypair,
) -> Result<DeployOutcome> {
    let so_path = repo.join("target/deploy/exposure_vault.so");
    let so = std::fs::read(&so_path)
        .with_context(|| format!("{}: run scripts/build-sbf.sh", so_path.display()))?;
    let program = read_keypair(&repo.join("keys/exposure_vault-keypair.json"))?;
    anyhow::ensure!(
        program.pubkey() == exposure_vault::ID,
        "keys/exposure_vault-keypair.json is {}, the program declares {}",
        program.pubkey(),
        exposure_vault::ID
    );
    Ok(chain
        .deploy_program(&program, upgrade_authority, &so)
        .await?)
}

/// Creates a `PriceUpdateV2` account owned by the localnet publisher, publishing `spot` now.
pub async fn create_oracle(
    chain: &Chain,
    publisher: &Keypair,
    feed: [u8; 32],
    spot: f64,
) -> Result<Pubkey> {
    let account = Keypair::new();
    let clock = chain.clock().await?;
    let [create, publish] = chain
        .localnet_post_update_ixs(
            &account.pubkey(),
            &publisher.pubkey(),
            feed,
            PythQuote::usd(spot, 5, clock.unix_timestamp),
            clock.slot,
        )
        .await?;
    chain
        .send(&[create, publish], &[&account, publisher], None)
        .await?;
    Ok(account.pubkey())
}

async fn publish_ix(
    chain: &Chain,
    publisher: &Keypair,
    oracle: &Pubkey,
    feed: [u8; 32],
    spot: f64,
) -> Result<anchor_lang::solana_program::instruction::Instruction> {
    let clock = chain.clock().await?;
    Ok(pyth::localnet_publish_ix(
        *oracle,
        publisher.pubkey(),
        feed,
        PythQuote::usd(spot, 5, clock.unix_timestamp),
        clock.slot,
    ))
}

/// Publishes `spot` (5 bps confidence) at the cluster's current time.
pub async fn publish_price(
    chain: &Chain,
    publisher: &Keypair,
    oracle: &Pubkey,
    feed: [u8; 32],
    spot: f64,
) -> Result<()> {
    let ix = publish_ix(chain, publisher, oracle, feed, spot).await?;
    chain.send(&[ix], &[publisher], None).await?;
    Ok(())
}

fn feed_id(symbol: &str) -> [u8; 32] {
    let mut feed = [0u8; 32];
    let bytes = symbol.as_bytes();
    feed[..bytes.len().min(32)].copy_from_slice(&bytes[..bytes.len().min(32)]);
    feed[31] = 0x1c; // marks the feed as a localnet one
    feed
}

/// Creates the demo: collateral mint, vault, and per market an oracle, the market, its series
/// and a surface posted by the keeper.
pub async fn seed(chain: &Chain, keys: &LocalKeys, spec: &DemoSpec, ws_url: &str) -> Result<Demo> {
    let admin = &keys.admin;
    anyhow::ensure!(
        chain.payer.pubkey() == admin.pubkey(),
        "the chain's payer must be the admin"
    );
    for wallet in [keys.keeper.pubkey(), keys.oracle_publisher.pubkey()] {
        chain.airdrop(&wallet, 100_000_000_000).await?;
    }
    let decimals = 6;
    let mint = chain
        .create_mint(&keys.mint_authority.pubkey(), decimals)
        .await?;
    let vault = VaultKeys::derive(admin.pubkey(), mint, keys.keeper.pubkey());
    chain
        .send(
            &[vault.initialize_vault_ix(VaultParams {
                withdrawal_delay_secs: spec.withdrawal_delay_secs,
                ..presets::vault_params()
            })],
            &[],
            None,
        )
        .await?;
    let now = chain.clock().await?.unix_timestamp;
    let expiries: Vec<i64> = spec.expiries_secs.iter().map(|s| now + s).collect();
    let mut markets = Vec::new();
    for (index, (symbol, spot)) in spec.markets.iter().enumerate() {
        let index = index as u16;
        let feed = feed_id(symbol);
        let oracle = create_oracle(chain, &keys.oracle_publisher, feed, *spot).await?;
        chain
            .send(
                &[vault.create_market_ix(
                    index,
                    symbol,
                    pyth::pull_config(feed, 60, 100),
                    oracle,
                    exposure_vault::state::MarketRiskParams {
                        settlement_window_secs: spec.settlement_window_secs,
                        ..presets::market_risk()
                    },
                )],
                &[],
                None,
            )
            .await?;
        let market = vault.market_keys(index, oracle);
        let mut series = Vec::new();
        for &expiry_ts in &expiries {
            for &moneyness in &spec.strike_moneyness {
                for side in [CALL, PUT] {
                    let strike = round_strike(spot * moneyness);
                    chain
                        .send(
                            &[market.list_series_ix(&vault, usd(strike), expiry_ts, side)],
                            &[],
                            None,
                        )
                        .await?;
                    series.push(DemoSeries {
                        index: series.len() as u8,
                        strike,
                        expiry_ts,
                        side: if side == CALL { "call" } else { "put" }.into(),
                    });
                }
            }
        }
        let surface = skewed_surface(now, &expiries, spec.atm_vol);
        chain
            .send(
                &[market.update_vol_surface_ix(&vault, keys.keeper.pubkey(), surface)],
                &[&keys.keeper],
                None,
            )
            .await?;
        markets.push(DemoMarket {
            index,
            symbol: symbol.clone(),
            market: market.market.to_string(),
            oracle: oracle.to_string(),
            feed_id: feed.iter().map(|b| format!("{b:02x}")).collect(),
            spot: *spot,
            series,
        });
    }
    Ok(Demo {
        rpc_url: chain.url(),
        ws_url: ws_url.to_string(),
        program_id: exposure_vault::ID.to_string(),
        vault: vault.vault.to_string(),
        admin: admin.pubkey().to_string(),
        keeper: keys.keeper.pubkey().to_string(),
        collateral_mint: mint.to_string(),
        collateral_decimals: decimals,
        share_mint: vault.share_mint.to_string(),
        markets,
    })
}

/// Strikes on a grid of about 1% of spot with two significant digits (65,000 -> 1,000s).
fn round_strike(strike: f64) -> f64 {
    let step = 10f64.powf((strike.log10() - 1.0).floor());
    (strike / step).round() * step
}

/// A chain whose payer is `keys.admin`, airdropped 1,000 SOL for deployment and seeding.
pub async fn funded_admin(rpc_url: &str, keys: &LocalKeys) -> Result<Chain> {
    let chain = Chain::new(
        rpc_url,
        keys.admin.insecure_clone(),
        exposure_vault_rpc::SendOptions::default(),
    );
    chain
        .airdrop(&keys.admin.pubkey(), 1_000_000_000_000)
        .await?;
    Ok(chain)
}
