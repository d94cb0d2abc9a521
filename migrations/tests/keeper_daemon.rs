//! The keeper daemon (`keeper run`) against a real `solana-test-validator` running the SBF
//! build: it watches the vault over the websocket, liquidates a trader whose short put went
//! below maintenance after an oracle move, and settles an expired series and the positions in
//! it, each exactly once.
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use exposure_vault::state::{MarginAccount, SeriesBook};
use exposure_vault_client::{MarketKeys, CONTRACT};
use exposure_vault_keeper::chain::tokens::ata;
use exposure_vault_keeper::chain::{write_keypair, Chain, Keypair, SendOptions, Signer};
use exposure_vault_keeper::config::{KeeperConfig, LiquidationConfig, SurfaceConfig};
use exposure_vault_keeper::status::account_risks;
use exposure_vault_migrations::seed::{self, DemoSpec, LocalKeys};
use exposure_vault_migrations::validator::{Validator, ValidatorConfig};
use exposure_vault_migrations::{repo_root, wallet};

fn usdc(tokens: f64) -> u64 {
    (tokens * 1e6).round() as u64
}

/// A TCP proxy in front of the validator's websocket that the test can cut: every open
/// connection is dropped and new ones are refused until it is restored.
struct CuttableProxy {
    port: u16,
    open: Arc<std::sync::atomic::AtomicBool>,
    connections: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl CuttableProxy {
    async fn start(upstream_port: u16) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let open = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>> = Arc::default();
        let (accept_open, accept_connections) = (open.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !accept_open.load(std::sync::atomic::Ordering::SeqCst) {
                    continue; // dropped: the client sees the connection close
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) =
                        tokio::net::TcpStream::connect(("127.0.0.1", upstream_port)).await
                    {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                accept_connections.lock().expect("connections").push(task);
            }
        });
        Ok(Self {
            port,
            open,
            connections,
        })
    }

    fn cut(&self) {
        self.open.store(false, std::sync::atomic::Ordering::SeqCst);
        for task in self.connections.lock().expect("connections").drain(..) {
            task.abort();
        }
    }

    fn restore(&self) {
        self.open.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// One counter from the keeper's Prometheus endpoint.
async fn scrape(addr: &str, name: &str) -> anyhow::Result<f64> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(addr).await?;
    socket
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: keeper\r\n\r\n")
        .await?;
    let mut body = String::new();
    socket.read_to_string(&mut body).await?;
    body.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("{name} not in the metrics"))
}

/// Polls `check` every 500 ms until it returns Some, or fails after `timeout`.
async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn health_ratio(
    chain: &Chain,
    vault: &Pubkey,
    oracles: &[Pubkey],
    market: &MarketKeys,
    account: &Pubkey,
) -> anyhow::Result<f64> {
    let view = chain.load_vault(vault, oracles).await?;
    let margins = vec![(market.market, chain.margin_accounts(&market.market).await?)];
    Ok(account_risks(&view, &margins)
        .iter()
        .find(|r| r.account == *account)
        .map(|r| r.ratio())
        .unwrap_or(f64::INFINITY))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keeper_daemon_liquidates_and_settles_over_json_rpc() -> anyhow::Result<()> {
    let repo = repo_root();
    let dir = repo.join("target/keeper-daemon-test");
    let config = ValidatorConfig::on_ports(&repo, 28_899, dir.join("ledger"));
    let validator = Validator::start(config.clone()).await?;
    let keys = LocalKeys::load_or_create(&dir.join("keys"))?;
    let admin = seed::funded_admin(&config.rpc_url(), &keys).await?;
    seed::deploy(&admin, &repo, &keys.admin).await?;
    // Series 0/1: call/put expiring in ~2.5 minutes; 2/3: call/put in 7 days.
    let spec = DemoSpec {
        markets: vec![("BTC".into(), 65_000.0)],
        expiries_secs: vec![150, 7 * 86_400],
        strike_moneyness: vec![1.0],
        atm_vol: 0.6,
    };
    let demo = seed::seed(&admin, &keys, &spec, &config.ws_url()).await?;
    let vault = demo.vault_keys()?;
    let market = demo.market_keys()?[0];
    let oracles = demo.oracles()?;
    let feed = demo.feed(0)?;

    // The localnet price publisher: the test moves `spot`, this task publishes it every second.
    let spot = Arc::new(Mutex::new(65_000.0f64));
    let publisher = {
        let (spot, chain) = (
            spot.clone(),
            Chain::new(
                &config.rpc_url(),
                keys.oracle_publisher.insecure_clone(),
                SendOptions::default(),
            ),
        );
        let (publisher_key, oracle) = (keys.oracle_publisher.insecure_clone(), market.oracle);
        tokio::spawn(async move {
            loop {
                let price = *spot.lock().expect("spot");
                if let Err(e) =
                    seed::publish_price(&chain, &publisher_key, &oracle, feed, price).await
                {
                    eprintln!("publish: {e}");
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };

    // LP capital, a trader short one 7-day put with thin margin, another long a short-dated call.
    let lp = Keypair::new();
    wallet::fund(
        &admin,
        &keys.mint_authority,
        &vault.collateral_mint,
        &lp.pubkey(),
        usdc(500_000.0),
    )
    .await?;
    let lp_chain = Chain::new(
        &config.rpc_url(),
        lp.insecure_clone(),
        SendOptions::default(),
    );
    wallet::deposit(&lp_chain, &lp, &vault, &[market], usdc(500_000.0)).await?;
    let shorty = wallet::open_trader(
        &admin,
        &keys.mint_authority,
        &vault,
        &market,
        usdc(13_000.0),
    )
    .await?;
    let shorty_chain = Chain::new(
        &config.rpc_url(),
        shorty.insecure_clone(),
        SendOptions::default(),
    );
    wallet::trade(&shorty_chain, &shorty, &vault, &market, 3, -CONTRACT).await?;
    let longy =
        wallet::open_trader(&admin, &keys.mint_authority, &vault, &market, usdc(5_000.0)).await?;
    let longy_chain = Chain::new(
        &config.rpc_url(),
        longy.insecure_clone(),
        SendOptions::default(),
    );
    wallet::trade(&longy_chain, &longy, &vault, &market, 0, CONTRACT / 10).await?;
    let shorty_margin = market.margin_address(&shorty.pubkey());
    let longy_margin = market.margin_address(&longy.pubkey());
    let ratio = health_ratio(&admin, &vault.vault, &oracles, &market, &shorty_margin).await?;
    assert!(ratio > 1.0, "the short starts above maintenance ({ratio})");

    // Spot falls until the short put is below maintenance (as the program computes it).
    let mut price = 65_000.0;
    while health_ratio(&admin, &vault.vault, &oracles, &market, &shorty_margin).await? >= 1.0 {
        price *= 0.98;
        anyhow::ensure!(price > 40_000.0, "never went below maintenance");
        *spot.lock().expect("spot") = price;
        tokio::time::sleep(Duration::from_millis(2_500)).await;
    }
    println!("short put below maintenance at spot {price:.0}");

    // The daemon, as `keeper run` starts it.
    let keeper_keypair = dir.join("keys/keeper.json");
    write_keypair(&keeper_keypair, &keys.keeper)?;
    // The keeper's websocket goes through a proxy the test can cut.
    let proxy = CuttableProxy::start(config.rpc_port + 1).await?;
    let metrics_addr = "127.0.0.1:29464".to_string();
    let keeper_config = KeeperConfig {
        rpc_url: config.rpc_url(),
        ws_url: format!("ws://127.0.0.1:{}", proxy.port),
        keypair: keeper_keypair,
        vault: vault.vault,
        priority_fee_micro_lamports: 0,
        poll_interval_ms: 2_000,
        metrics_addr: Some(metrics_addr.clone()),
        surface: SurfaceConfig::Synthetic {
            atm_vol: 0.6,
            change_bps: 200.0,
        },
        liquidation: LiquidationConfig {
            min_reward_usd: 0.01,
        },
        oracles: oracles.clone(),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let daemon = tokio::spawn(exposure_vault_keeper::daemon::run(keeper_config, async {
        let _ = stopped.await;
    }));

    // Liquidated: the short put shrinks and the keeper is paid its fee.
    let started = Instant::now();
    let remaining = eventually("the liquidation", Duration::from_secs(60), || async {
        let account: MarginAccount = admin.zero_copy_account(&shorty_margin).await?;
        let short: i64 = account.open_positions().map(|p| p.size).sum();
        Ok((short > -CONTRACT).then_some(short))
    })
    .await?;
    println!(
        "liquidated {:.1} s after the daemon started; short left {remaining}",
        started.elapsed().as_secs_f64()
    );
    let fee = admin
        .token_balance(&ata(&keys.keeper.pubkey(), &vault.collateral_mint))
        .await?;
    assert!(fee > 0, "the keeper earned a liquidation fee");
    let ratio = health_ratio(&admin, &vault.vault, &oracles, &market, &shorty_margin).await?;
    assert!(
        ratio >= 1.0,
        "back above maintenance after the partial liquidation ({ratio})"
    );

    // Fault: the websocket connection dies and stays down for 5 s. The keeper keeps polling,
    // reconnects when it can, and still settles below.
    proxy.cut();
    tokio::time::sleep(Duration::from_secs(5)).await;
    proxy.restore();
    eventually("a websocket reconnect", Duration::from_secs(30), || async {
        Ok((scrape(&metrics_addr, "keeper_ws_reconnects_total").await? >= 1.0).then_some(()))
    })
    .await?;

    // Expiry passes: the daemon settles both series of that expiry and the long call in it.
    eventually("settlement", Duration::from_secs(240), || async {
        let book: SeriesBook = admin.zero_copy_account(&market.book).await?;
        let account: MarginAccount = admin.zero_copy_account(&longy_margin).await?;
        let done = book.series[0].is_settled()
            && book.series[1].is_settled()
            && account.open_positions().next().is_none();
        Ok(done.then_some(()))
    })
    .await?;
    let book: SeriesBook = admin.zero_copy_account(&market.book).await?;
    println!("expiry settled at {}", book.series[0].settlement_price);
    // The short put of the 7-day expiry is still open: nothing else was touched.
    assert!(!book.series[3].is_settled());

    // Each expired series settled by exactly one transaction, the liquidation by at least one.
    let sent = |action: &'static str| {
        let addr = metrics_addr.clone();
        async move {
            scrape(
                &addr,
                &format!("keeper_actions_total{{action=\"{action}\",outcome=\"sent\"}}"),
            )
            .await
        }
    };
    // Metrics are recorded when the cycle that sent them ends.
    let settled = eventually(
        "the settle_series count",
        Duration::from_secs(30),
        || async { Ok(sent("settle_series").await.ok().filter(|n| *n >= 2.0)) },
    )
    .await?;
    assert_eq!(settled, 2.0);
    assert!(sent("liquidate").await? >= 1.0);
    let _ = stop.send(());
    daemon.await??;
    publisher.abort();
    validator.stop().await?;
    Ok(())
}
