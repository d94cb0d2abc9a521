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

use crate::chain::{read_keypair, Chain, SendOptions};
use crate::config::KeeperConfig;
use crate::metrics::Metrics;
use crate::strategy::cycle::{run_cycle, CycleReport, Outcome};

/// The accounts whose changes should wake the keeper: the vault, and per market the market,
/// book, surface and oracle.
async fn watched_accounts(chain: &Chain, config: &KeeperConfig) -> anyhow::Result<Vec<Pubkey>> {
    let view = chain.load_vault(&config.vault, &config.oracles).await?;
    let mut accounts = vec![config.vault];
    for market in &view.markets {
        accounts.extend([market.keys.market, market.keys.book, market.keys.surface]);
        if market.keys.oracle != Pubkey::default() {
            accounts.push(market.keys.oracle);
        }
    }
    Ok(accounts)
}

/// Subscribes to `accounts` and notifies `wake` on every change; reconnects with backoff when
/// the connection drops. Runs until cancelled.
async fn watch(ws_url: String, accounts: Vec<Pubkey>, wake: Arc<Notify>, metrics: Arc<Metrics>) {
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
                        Ok((stream, _unsubscribe)) => streams.push(stream),
                        Err(e) => tracing::warn!(%account, error = %e, "subscribe failed"),
                    }
                }
                if !streams.is_empty() {
                    backoff = Duration::from_millis(250);
                    tracing::info!(accounts = streams.len(), "websocket subscribed");
                    let mut all = futures::stream::select_all(streams);
                    while all.next().await.is_some() {
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
    let chain = Chain::new(&config.rpc_url, keeper.insecure_clone(), options);
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
    let watcher = tokio::spawn(watch(
        config.ws_url.clone(),
        watched_accounts(&chain, &config).await?,
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
        match run_cycle(
            &chain,
            &keeper,
            &config.vault,
            &config.oracles,
            source.as_ref(),
            &cycle_config,
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
