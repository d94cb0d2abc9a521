//! `keeper run`: react to account changes over the websocket, fall back to polling, and stop
//! cleanly on SIGINT/SIGTERM.
//!
//! Every trigger runs one [`run_cycle`], which re-reads chain state before deciding, so a
//! missed, duplicated or reordered notification can only cost latency, never a wrong action.
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use futures::StreamExt;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client_api::config::RpcAccountInfoConfig;
use tokio::sync::Notify;

use crate::chain::state::{decode_margin, margin_accounts_config};
use crate::chain::{read_keypair, Chain, SendOptions};
use crate::config::KeeperConfig;
use crate::metrics::Metrics;
use crate::strategy::cycle::{run_cycle_with, CycleReport, KeeperMemory, Outcome};
use crate::strategy::settlement::ObservedUpdates;
use exposure_vault_client::model::decode_price_update;

/// The vault's margin accounts (one per owner, across markets), kept by `programSubscribe` and
/// re-read in full on every (re)connect, so cycles need no `getProgramAccounts`. Until the
/// first snapshot it is empty and cycles read margin accounts themselves.
#[derive(Default)]
pub struct MarginCache {
    vaults: std::sync::Mutex<
        std::collections::BTreeMap<
            Pubkey,
            std::collections::BTreeMap<Pubkey, exposure_vault::state::MarginAccount>,
        >,
    >,
}

impl MarginCache {
    fn replace(
        &self,
        vault: Pubkey,
        accounts: Vec<(Pubkey, exposure_vault::state::MarginAccount)>,
    ) {
        if let Ok(mut vaults) = self.vaults.lock() {
            vaults.insert(vault, accounts.into_iter().collect());
        }
    }

    fn update(
        &self,
        vault: Pubkey,
        address: Pubkey,
        account: exposure_vault::state::MarginAccount,
    ) {
        if let Ok(mut vaults) = self.vaults.lock() {
            vaults.entry(vault).or_default().insert(address, account);
        }
    }

    /// Every account the subscription has seen, None before the first snapshot.
    pub fn snapshot(&self) -> Option<Vec<(Pubkey, exposure_vault::state::MarginAccount)>> {
        let vaults = self.vaults.lock().ok()?;
        if vaults.is_empty() {
            return None;
        }
        Some(
            vaults
                .values()
                .flat_map(|accounts| accounts.iter().map(|(a, m)| (*a, *m)))
                .collect(),
        )
    }
}

/// The accounts whose changes should wake the keeper: the vault, and per market the market,
/// book, surface, hedge book and oracle; and the vaults whose margin accounts to follow.
async fn watched(chain: &Chain, config: &KeeperConfig) -> anyhow::Result<Watched> {
    let view = chain.load_vault(&config.vault, &config.oracles).await?;
    let mut accounts = vec![config.vault];
    let mut oracles = Vec::new();
    for market in &view.markets {
        accounts.extend([
            market.keys.market,
            market.keys.book,
            market.keys.surface,
            market.keys.hedge_book,
        ]);
        if market.keys.oracle != Pubkey::default() {
            accounts.push(market.keys.oracle);
            oracles.push(market.keys.oracle);
        }
    }
    Ok(Watched {
        accounts,
        oracles,
        // Margin accounts are the vault's, whatever markets they hold.
        vaults: vec![config.vault],
    })
}

/// What the watcher subscribes to.
struct Watched {
    accounts: Vec<Pubkey>,
    /// The oracle accounts among them: each update they carry is recorded for settlement.
    oracles: Vec<Pubkey>,
    vaults: Vec<Pubkey>,
}

/// One websocket notification: a watched account's new data, or a margin account's.
enum Change {
    Account(Pubkey, Option<Vec<u8>>),
    Margin(Pubkey, Option<Pubkey>, Option<Vec<u8>>),
}

/// What the watcher keeps current between cycles.
struct Memory {
    margins: Arc<MarginCache>,
    observed: Arc<ObservedUpdates>,
}

/// Subscribes to the watched accounts and to each vault's margin accounts, notifies `wake` on
/// every change, keeps `margins` current and records every oracle update in `observed`;
/// reconnects with backoff when the connection drops. Runs until cancelled.
async fn watch(
    ws_url: String,
    watched: Watched,
    chain: Arc<Chain>,
    memory: Memory,
    wake: Arc<Notify>,
    metrics: Arc<Metrics>,
) {
    let Memory { margins, observed } = memory;
    let accounts = watched.accounts.clone();
    let mut backoff = Duration::from_millis(250);
    loop {
        match PubsubClient::new(ws_url.as_str()).await {
            Ok(client) => {
                let config = RpcAccountInfoConfig {
                    commitment: Some(solana_commitment_config::CommitmentConfig::confirmed()),
                    ..RpcAccountInfoConfig::default()
                };
                let mut streams = Vec::new();
                for account in &accounts {
                    match client
                        .account_subscribe(account, Some(config.clone()))
                        .await
                    {
                        Ok((stream, _unsubscribe)) => {
                            let account = *account;
                            streams.push(stream.map(move |update| {
                                Change::Account(account, update.value.data.decode())
                            }));
                        }
                        Err(e) => tracing::warn!(%account, error = %e, "subscribe failed"),
                    }
                }
                let mut margin_streams = Vec::new();
                for vault in &watched.vaults {
                    match client
                        .program_subscribe(&exposure_vault::ID, Some(margin_accounts_config(vault)))
                        .await
                    {
                        Ok((stream, _unsubscribe)) => {
                            let vault = *vault;
                            margin_streams.push(stream.map(move |update| {
                                let keyed = update.value;
                                let address = keyed.pubkey.parse::<Pubkey>().ok();
                                Change::Margin(vault, address, keyed.account.data.decode())
                            }));
                        }
                        Err(e) => tracing::warn!(%vault, error = %e, "margin subscription failed"),
                    }
                }
                // Subscribed first, then the snapshot: an update between the two is not lost.
                for vault in &watched.vaults {
                    match chain.margin_accounts(vault).await {
                        Ok(accounts) => margins.replace(*vault, accounts),
                        Err(e) => tracing::warn!(%vault, error = %e, "margin snapshot failed"),
                    }
                }
                if !streams.is_empty() {
                    backoff = Duration::from_millis(250);
                    tracing::info!(
                        accounts = streams.len(),
                        vaults = margin_streams.len(),
                        "websocket subscribed"
                    );
                    let account_changes = futures::stream::select_all(streams);
                    let margin_changes = futures::stream::select_all(margin_streams);
                    let mut all = futures::stream::select(account_changes, margin_changes);
                    while let Some(change) = all.next().await {
                        match change {
                            Change::Account(account, Some(data))
                                if watched.oracles.contains(&account) =>
                            {
                                if let Some(update) =
                                    decode_price_update(&data).and_then(|p| p.program)
                                {
                                    observed.observe(account, update);
                                }
                            }
                            Change::Margin(vault, Some(address), Some(data)) => {
                                if let Ok(account) = decode_margin(&address, &data) {
                                    margins.update(vault, address, account);
                                }
                            }
                            _ => {}
                        }
                        metrics.ws_notifications.fetch_add(1, Ordering::Relaxed);
                        wake.notify_one();
                    }
                }
                tracing::warn!("websocket closed; reconnecting");
            }
            Err(e) => tracing::warn!(error = %e, "websocket connect failed"),
        }
        metrics.ws_reconnects.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}

fn record(metrics: &Metrics, report: &CycleReport, elapsed: Duration) {
    metrics.cycles.fetch_add(1, Ordering::Relaxed);
    for r in &report.results {
        let outcome = match r.outcome {
            Outcome::Sent(_) => "sent",
            Outcome::Skipped(_) => "skipped",
            Outcome::Failed(_) => "failed",
        };
        metrics.count_action(r.action.name(), outcome);
    }
    metrics.set("keeper_cycle_seconds", elapsed.as_secs_f64());
    metrics.set("keeper_reaction_seconds", report.reaction.as_secs_f64());
    for (market, size) in &report.hedge_sizes {
        metrics.set(&format!("keeper_hedge_size{{market=\"{market}\"}}"), *size);
    }
    for (market, band) in &report.bands {
        let widths = [
            ("delta", band.delta_width),
            ("vega", band.vega_width),
            ("gamma", band.gamma_width),
        ];
        for (greek, width) in widths {
            if let Some(width) = width {
                metrics.set(
                    &format!("keeper_{greek}_band_usd{{market=\"{market}\"}}"),
                    width,
                );
            }
        }
        metrics.set(
            &format!("keeper_high_vol_regime{{market=\"{market}\"}}"),
            f64::from(u8::from(band.high_vol)),
        );
    }
    if let Some(health) = report.surface_source {
        metrics.set(
            "keeper_surface_source_failures_total",
            health.failures as f64,
        );
        if let Some(age) = health.age_secs {
            metrics.set("keeper_surface_source_age_seconds", age as f64);
        }
    }
    metrics.set("keeper_vault_nav", report.nav as f64);
    metrics.set("keeper_vault_total_shares", report.total_shares as f64);
    for (market, g) in &report.greeks.per_market {
        metrics.set(
            &format!("keeper_delta_usd{{market=\"{market}\"}}"),
            g.delta_usd,
        );
        metrics.set(
            &format!("keeper_gamma_usd{{market=\"{market}\"}}"),
            g.gamma_usd,
        );
        metrics.set(
            &format!("keeper_vega_usd{{market=\"{market}\"}}"),
            g.vega_usd,
        );
        metrics.set(
            &format!("keeper_theta_usd{{market=\"{market}\"}}"),
            g.theta_usd,
        );
    }
}

/// Runs until `shutdown` resolves.
pub async fn run(
    config: KeeperConfig,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let keeper = read_keypair(&config.keypair)?;
    let options = SendOptions {
        priority_fee_micro_lamports: config.priority_fee_micro_lamports,
        ..SendOptions::default()
    };
    let chain = Arc::new(Chain::new(
        &config.rpc_url,
        keeper.insecure_clone(),
        options,
    ));
    let margins = Arc::new(MarginCache::default());
    let metrics = Arc::new(Metrics::default());
    let server = config.metrics_addr.clone().map(|addr| {
        let metrics = metrics.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::metrics::serve(&addr, metrics).await {
                tracing::error!(%addr, error = %e, "metrics server stopped");
            }
        })
    });
    let wake = Arc::new(Notify::new());
    let observed = Arc::new(ObservedUpdates::default());
    let watcher = tokio::spawn(watch(
        config.ws_url.clone(),
        watched(&chain, &config).await?,
        chain.clone(),
        Memory {
            margins: margins.clone(),
            observed: observed.clone(),
        },
        wake.clone(),
        metrics.clone(),
    ));
    let source = config.surface.source();
    let cycle_config = config.cycle_config();
    let mut poll = tokio::time::interval(Duration::from_millis(config.poll_interval_ms));
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(shutdown);
    tracing::info!(vault = %config.vault, rpc = %config.rpc_url, "keeper running");
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = wake.notified() => {}
            _ = poll.tick() => {}
        }
        let started = Instant::now();
        let known = margins.snapshot();
        let memory = KeeperMemory {
            margins: known.as_deref(),
            observed: &observed,
        };
        match run_cycle_with(
            &chain,
            &keeper,
            &config.vault,
            &config.oracles,
            source.as_ref(),
            &cycle_config,
            memory,
        )
        .await
        {
            Ok(report) => record(&metrics, &report, started.elapsed()),
            Err(e) => {
                metrics.cycle_errors.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, "cycle failed; retrying on the next trigger");
            }
        }
    }
    tracing::info!("shutting down");
    watcher.abort();
    if let Some(server) = server {
        server.abort();
    }
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
