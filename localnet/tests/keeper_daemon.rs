//! The keeper against a real `solana-test-validator` running the SBF build.
//!
//! - Hedging: traders leave the vault's delta outside its band; one keeper cycle, whose every
//!   transaction is dropped once on its way to the validator, rebalances once against the hedge
//!   provider and brings the delta back inside; the next cycle does nothing, and the
//!   pre-rebalance plan replayed (a restart mid-send) is refused by the sequence number.
//! - The daemon (`keeper run`) watches the vault over the websocket, liquidates a trader whose
//!   short put went below maintenance after an oracle move, survives a websocket cut, settles
//!   an expired series and the positions in it, each exactly once, and keeps the delta in band.
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use base64::Engine;
use exposure_vault::state::{margin_mode, HedgeBook, MarginAccount, SeriesBook};
use exposure_vault_client::{MarketKeys, CONTRACT};
use exposure_vault_keeper::config::{
    HedgeConfig, KeeperConfig, LiquidationConfig, SettlementConfig, SurfaceConfig,
};
use exposure_vault_keeper::risk::onchain::vault_greeks;
use exposure_vault_keeper::status::account_risks;
use exposure_vault_keeper::strategy::cycle::{
    execute, plan, run_cycle, Action, CycleConfig, MarginsByMarket, Outcome,
};
use exposure_vault_keeper::strategy::greek_bands::{GreekBands, DVOL_TOP_DECILE};
use exposure_vault_keeper::strategy::hedge::DeltaBand;
use exposure_vault_keeper::strategy::settlement::ObservedUpdates;
use exposure_vault_localnet::seed::{self, DemoSpec, LocalKeys};
use exposure_vault_localnet::validator::{Validator, ValidatorConfig};
use exposure_vault_localnet::{repo_root, wallet};
use exposure_vault_rpc::tokens::ata;
use exposure_vault_rpc::{write_keypair, Chain, Keypair, SendOptions, Signer};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

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

/// An HTTP proxy in front of the validator's JSON-RPC port that drops the first broadcast of
/// every transaction: `sendTransaction` is answered with the transaction's signature, as a
/// node answers, but the transaction never reaches the validator. The sender has to notice and
/// re-broadcast. Everything else passes through.
struct DroppingRpcProxy {
    port: u16,
    dropped: Arc<AtomicUsize>,
}

impl DroppingRpcProxy {
    async fn start(upstream_port: u16) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let dropped = Arc::new(AtomicUsize::new(0));
        let seen: Arc<Mutex<HashSet<String>>> = Arc::default();
        let counter = dropped.clone();
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let (counter, seen) = (counter.clone(), seen.clone());
                tokio::spawn(async move {
                    if let Err(e) = proxy_connection(inbound, upstream_port, counter, seen).await {
                        eprintln!("rpc proxy: {e}");
                    }
                });
            }
        });
        Ok(Self { port, dropped })
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }
}

/// One HTTP/1.1 request: its head (without the final blank line) and body; None at EOF.
async fn read_request(
    stream: &mut BufReader<TcpStream>,
) -> anyhow::Result<Option<(Vec<String>, Vec<u8>)>> {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        if line == "\r\n" {
            break;
        }
        head.push(line.trim_end().to_string());
    }
    let length = head
        .iter()
        .find_map(|h| {
            let (name, value) = h.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await?;
    Ok(Some((head, body)))
}

/// The JSON-RPC reply for a `sendTransaction` to drop: the first time its signature is seen.
fn drop_reply(body: &[u8], seen: &Mutex<HashSet<String>>) -> Option<String> {
    let request: serde_json::Value = serde_json::from_slice(body).ok()?;
    if request["method"] != "sendTransaction" {
        return None;
    }
    // The keeper's RPC client sends base64; anything else passes through untouched.
    if request["params"][1]["encoding"] != "base64" {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(request["params"][0].as_str()?)
        .ok()?;
    let tx: solana_transaction::Transaction = bincode::deserialize(&bytes).ok()?;
    let signature = tx.signatures.first()?.to_string();
    seen.lock().ok()?.insert(signature.clone()).then(|| {
        serde_json::json!({"jsonrpc": "2.0", "result": signature, "id": request["id"]}).to_string()
    })
}

async fn proxy_connection(
    inbound: TcpStream,
    upstream_port: u16,
    dropped: Arc<AtomicUsize>,
    seen: Arc<Mutex<HashSet<String>>>,
) -> anyhow::Result<()> {
    let mut inbound = BufReader::new(inbound);
    while let Some((head, body)) = read_request(&mut inbound).await? {
        let response = match drop_reply(&body, &seen) {
            Some(reply) => {
                dropped.fetch_add(1, Ordering::SeqCst);
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{reply}",
                    reply.len()
                )
                .into_bytes()
            }
            None => {
                // One request per upstream connection, closed by the server after its
                // response, so the response ends at EOF whatever its framing.
                let mut request: String = head
                    .iter()
                    .filter(|h| !h.to_ascii_lowercase().starts_with("connection:"))
                    .map(|h| format!("{h}\r\n"))
                    .collect();
                request.push_str("Connection: close\r\n\r\n");
                let mut upstream = TcpStream::connect(("127.0.0.1", upstream_port)).await?;
                upstream.write_all(request.as_bytes()).await?;
                upstream.write_all(&body).await?;
                let mut response = Vec::new();
                upstream.read_to_end(&mut response).await?;
                response
            }
        };
        inbound.get_mut().write_all(&response).await?;
    }
    Ok(())
}

fn hedge_book_size(view: &exposure_vault_client::model::VaultView) -> f64 {
    view.markets[0].book.vault_hedge.size as f64 / CONTRACT as f64
}

/// One counter from the keeper's Prometheus endpoint.
async fn scrape(addr: &str, name: &str) -> anyhow::Result<f64> {
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
    let _ = market;
    let margins = chain.margin_accounts(vault).await?;
    Ok(account_risks(&view, &margins)
        .iter()
        .find(|r| r.account == *account)
        .map(|r| r.ratio())
        .unwrap_or(f64::INFINITY))
}

/// The localnet every phase shares: a validator running the program, one BTC market with a
/// 150 s and a 7-day expiry, a price publisher whose spot the test moves, the traders' accounts
/// and the keeper's settings.
struct Scenario {
    dir: std::path::PathBuf,
    config: ValidatorConfig,
    validator: Validator,
    keys: LocalKeys,
    admin: Chain,
    vault: exposure_vault_client::VaultKeys,
    market: MarketKeys,
    oracles: Vec<Pubkey>,
    spot: Arc<Mutex<f64>>,
    publisher: tokio::task::JoinHandle<()>,
    /// Short one 7-day put with thin margin: the liquidation target.
    shorty_margin: Pubkey,
    pm_margin: Pubkey,
    /// Long a short-dated call: settled at expiry.
    longy_margin: Pubkey,
    surface: SurfaceConfig,
    cycle_config: CycleConfig,
}

/// What the hedge phase leaves for the later ones.
struct Hedged {
    view_before: exposure_vault_client::model::VaultView,
    /// The rebalance a keeper that crashed mid-send had planned, at sequence 0.
    stale_rebalance: Action,
    size: i64,
}

/// The daemon as `keeper run` starts it, its websocket through a proxy the test can cut.
struct Daemon {
    proxy: CuttableProxy,
    metrics_addr: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

fn btc_delta(view: &exposure_vault_client::model::VaultView) -> anyhow::Result<f64> {
    Ok(vault_greeks(view)?.per_market["BTC"].delta_usd)
}

/// Seconds after expiry the late settler's update claims to be published at.
const LATE_BY_SECS: i64 = 15;

/// A settler who proposes, for the short call, an update published `LATE_BY_SECS` after expiry
/// at 10% above spot (the long gains): valid in the program's window, but not the earliest.
async fn propose_late(
    chain: &Chain,
    settler: &Keypair,
    vault: exposure_vault_client::VaultKeys,
    market: MarketKeys,
    feed: [u8; 32],
    expiry: i64,
    spot: f64,
) -> anyhow::Result<()> {
    let account = Keypair::new();
    let slot = chain.clock().await?.slot;
    let late = exposure_vault_client::pyth::PythQuote::usd(spot * 1.10, 5, expiry + LATE_BY_SECS);
    let [create, publish] = chain
        .localnet_post_update_ixs(&account.pubkey(), &settler.pubkey(), feed, late, slot)
        .await?;
    let ixs = [
        create,
        publish,
        market.settle_series_ix(&vault, 0, account.pubkey()),
    ];
    chain
        .send(&ixs, &[settler, &account], Some(100_000))
        .await?;
    println!("a settler proposed an update {LATE_BY_SECS} s after expiry at 10% above spot");
    Ok(())
}

impl Scenario {
    /// Phase 1: validator, program, demo market, price publisher.
    async fn start() -> anyhow::Result<Self> {
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
            // Proposals stand 20 s before they are final, so the test does not wait ten minutes.
            settlement_window_secs: 20,
            ..DemoSpec::default()
        };
        let demo = seed::seed(&admin, &keys, &spec, &config.ws_url()).await?;
        let vault = demo.vault_keys()?;
        let market = demo.market_keys()?[0];
        let oracles = demo.oracles()?;
        let feed = demo.feed(0)?;

        // The localnet price publisher: the test moves `spot`, this task publishes it every second.
        // At the short expiry it first plays a settler who proposes a late update (phase 9):
        // nothing at or after expiry is published before that proposal, so the daemon can only
        // put it right by disputing.
        let spot = Arc::new(Mutex::new(65_000.0f64));
        let expiry = admin
            .zero_copy_account::<SeriesBook>(&market.book)
            .await?
            .series[0]
            .expiry_ts;
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
                let mut late_proposed = false;
                loop {
                    let price = *spot.lock().expect("spot");
                    let now = chain.clock().await.map(|c| c.unix_timestamp).unwrap_or(0);
                    // No update in the two seconds before expiry: the first one at or after it
                    // must come after the late proposal.
                    let holding = !late_proposed && now >= expiry - 2 && now < expiry;
                    if !late_proposed && now >= expiry {
                        late_proposed = true;
                        if let Err(e) =
                            propose_late(&chain, &publisher_key, vault, market, feed, expiry, price)
                                .await
                        {
                            eprintln!("late proposal: {e}");
                        }
                    }
                    if !holding {
                        if let Err(e) =
                            seed::publish_price(&chain, &publisher_key, &oracle, feed, price).await
                        {
                            eprintln!("publish: {e}");
                        }
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            })
        };
        let band = DeltaBand {
            max_usd: Some(20_000.0),
            max_nav_fraction: None,
        };
        Ok(Self {
            dir,
            config,
            validator,
            admin,
            vault,
            shorty_margin: Pubkey::default(),
            pm_margin: Pubkey::default(),
            longy_margin: Pubkey::default(),
            market,
            oracles,
            spot,
            publisher,
            keys,
            surface: SurfaceConfig::Synthetic {
                atm_vol: 0.6,
                change_bps: 200.0,
            },
            cycle_config: CycleConfig {
                hedge_bands: BTreeMap::from([(0, band)]),
                min_liquidation_reward_usd: 0.01,
                ..CycleConfig::default()
            },
        })
    }

    fn chain_of(&self, wallet: &Keypair) -> Chain {
        Chain::new(
            &self.config.rpc_url(),
            wallet.insecure_clone(),
            SendOptions::default(),
        )
    }

    async fn trader(&self, collateral: f64) -> anyhow::Result<(Keypair, Chain)> {
        let (keys, vault, market) = (&self.keys, &self.vault, &self.market);
        let trader = wallet::open_trader(
            &self.admin,
            &keys.mint_authority,
            vault,
            market,
            usdc(collateral),
        )
        .await?;
        let chain = self.chain_of(&trader);
        Ok((trader, chain))
    }

    /// Phase 2: LP capital, a trader short one 7-day put with thin margin, another long a
    /// short-dated call; the hedge leg: a provider quoting 20 BTC each side at 10 bps for a
    /// day, and a buyer of two 7-day calls. With the put the vault bought, its delta is far
    /// outside a $20,000 band.
    async fn open_book(&mut self) -> anyhow::Result<()> {
        let (vault, market) = (self.vault, self.market);
        let lp = Keypair::new();
        wallet::fund(
            &self.admin,
            &self.keys.mint_authority,
            &vault.collateral_mint,
            &lp.pubkey(),
            usdc(500_000.0),
        )
        .await?;
        wallet::deposit_liquidity(&self.chain_of(&lp), &lp, &vault, &[market], usdc(500_000.0))
            .await?;
        let (shorty, shorty_chain) = self.trader(13_000.0).await?;
        wallet::trade_option(&shorty_chain, &shorty, &vault, &market, 3, -CONTRACT).await?;
        let (longy, longy_chain) = self.trader(5_000.0).await?;
        wallet::trade_option(&longy_chain, &longy, &vault, &market, 0, CONTRACT / 10).await?;
        self.shorty_margin = market.margin_address(&shorty.pubkey());
        // The same short under portfolio margin, with the collateral its PM requirement needs.
        let (pm_shorty, pm_chain) = self.trader(16_500.0).await?;
        wallet::set_margin_mode(
            &pm_chain,
            &pm_shorty,
            &vault,
            &market,
            margin_mode::PORTFOLIO,
        )
        .await?;
        wallet::trade_option_pm(&pm_chain, &pm_shorty, &vault, &market, 3, -CONTRACT).await?;
        self.pm_margin = market.margin_address(&pm_shorty.pubkey());
        self.longy_margin = market.margin_address(&longy.pubkey());

        wallet::open_hedge_provider(
            &self.admin,
            &self.keys.mint_authority,
            &vault,
            &market,
            usdc(200_000.0),
            wallet::QuoteSpec {
                max_size: 20 * CONTRACT as u64,
                spread_bps: 10,
                lifetime_secs: 86_400,
            },
        )
        .await?;
        let (buyer, buyer_chain) = self.trader(30_000.0).await?;
        wallet::trade_option(&buyer_chain, &buyer, &vault, &market, 2, 2 * CONTRACT).await?;
        Ok(())
    }

    /// One keeper cycle over the RPC at `url`, as `keeper cycle` runs it.
    async fn cycle(
        &self,
        url: &str,
    ) -> anyhow::Result<exposure_vault_keeper::strategy::cycle::CycleReport> {
        let chain = Chain::new(
            url,
            self.keys.keeper.insecure_clone(),
            SendOptions::default(),
        );
        run_cycle(
            &chain,
            &self.keys.keeper,
            &self.vault.vault,
            &self.oracles,
            self.surface.source().as_ref(),
            &self.cycle_config,
        )
        .await
    }

    async fn view(&self) -> anyhow::Result<exposure_vault_client::model::VaultView> {
        Ok(self
            .admin
            .load_vault(&self.vault.vault, &self.oracles)
            .await?)
    }

    async fn shorty_health(&self) -> anyhow::Result<f64> {
        health_ratio(
            &self.admin,
            &self.vault.vault,
            &self.oracles,
            &self.market,
            &self.shorty_margin,
        )
        .await
    }

    /// The PM short's equity over its PM maintenance, as `keeper status` reports it (and that
    /// it reports the account under portfolio margin).
    async fn pm_health(&self) -> anyhow::Result<f64> {
        let view = self.view().await?;
        let margins = self.admin.margin_accounts(&self.vault.vault).await?;
        let risk = account_risks(&view, &margins)
            .into_iter()
            .find(|r| r.account == self.pm_margin)
            .ok_or_else(|| anyhow::anyhow!("no status row for the PM account"))?;
        anyhow::ensure!(risk.mode == "portfolio", "status mode {}", risk.mode);
        Ok(risk.ratio())
    }

    /// Phase 3: one keeper cycle through an RPC path that drops every transaction's first
    /// broadcast rebalances exactly once and brings the delta inside its band.
    async fn hedge_once_through_dropped_broadcasts(&self) -> anyhow::Result<Hedged> {
        let view_before = self.view().await?;
        let delta_before = btc_delta(&view_before)?;
        assert!(delta_before < -60_000.0, "vault delta {delta_before:.0}");
        let stale_plan = plan(
            &view_before,
            &MarginsByMarket::new(),
            &vault_greeks(&view_before)?,
            self.surface.source().as_ref(),
            &self.cycle_config,
            &ObservedUpdates::default(),
        )?;
        let stale_rebalance = stale_plan
            .into_iter()
            .find(|a| matches!(a, Action::RebalanceHedge { seq: 0, .. }))
            .expect("a rebalance is planned");

        let lossy = DroppingRpcProxy::start(self.config.rpc_port).await?;
        let report = self.cycle(&lossy.url()).await?;
        let rebalances: Vec<_> = report
            .results
            .iter()
            .filter(|r| r.action.name() == "rebalance_hedge")
            .collect();
        assert_eq!(rebalances.len(), 1);
        assert!(rebalances[0].is_sent(), "{:?}", rebalances[0].outcome);
        assert!(lossy.dropped() >= 1, "nothing was dropped");
        let hedge_book: HedgeBook = self
            .admin
            .zero_copy_account(&self.market.hedge_book)
            .await?;
        assert_eq!(hedge_book.rebalance_seq, 1, "exactly one rebalance landed");
        let after = self.view().await?;
        let size = after.markets[0].book.vault_hedge.size;
        let delta_after = btc_delta(&after)?;
        println!(
            "rebalanced {:.4} BTC through {} dropped broadcasts: delta {delta_before:.0} -> {delta_after:.0} (keeper reaction {:?})",
            size as f64 / CONTRACT as f64,
            lossy.dropped(),
            report.reaction
        );
        assert!(size > 0 && delta_after.abs() <= 20_000.0);
        Ok(Hedged {
            view_before,
            stale_rebalance,
            size,
        })
    }

    /// Phase 4: not twice. The next cycle sees the delta inside its band and sends no
    /// rebalance, and the pre-rebalance plan, replayed as a restarted keeper would, is refused.
    async fn no_second_rebalance(&self, hedged: Hedged) -> anyhow::Result<()> {
        let report = self.cycle(&self.config.rpc_url()).await?;
        assert!(report
            .results
            .iter()
            .all(|r| r.action.name() != "rebalance_hedge"));
        let replay = execute(
            &self.chain_of(&self.keys.keeper),
            &self.keys.keeper,
            &hedged.view_before,
            vec![hedged.stale_rebalance],
            &self.cycle_config,
        )
        .await;
        match &replay[0].outcome {
            Outcome::Failed(e) => {
                assert_eq!(e.program_error(), Some("RebalanceSequenceMismatch"), "{e}")
            }
            other => panic!("the replayed rebalance was not refused: {other:?}"),
        }
        let hedge_book: HedgeBook = self
            .admin
            .zero_copy_account(&self.market.hedge_book)
            .await?;
        assert_eq!(hedge_book.rebalance_seq, 1);
        let book: SeriesBook = self.admin.zero_copy_account(&self.market.book).await?;
        assert_eq!(book.vault_hedge.size, hedged.size);
        Ok(())
    }

    /// Phase 5: spot falls until both short puts, standard and PM, are below maintenance (as
    /// the program computes it).
    async fn push_the_short_below_maintenance(&self) -> anyhow::Result<()> {
        let ratio = self.shorty_health().await?;
        assert!(ratio > 1.0, "the short starts above maintenance ({ratio})");
        let pm_ratio = self.pm_health().await?;
        assert!(
            pm_ratio > 1.0,
            "the PM short starts above maintenance ({pm_ratio})"
        );
        let mut price = 65_000.0;
        while self.shorty_health().await? >= 1.0 || self.pm_health().await? >= 1.0 {
            price *= 0.98;
            anyhow::ensure!(price > 40_000.0, "never went below maintenance");
            *self.spot.lock().expect("spot") = price;
            tokio::time::sleep(Duration::from_millis(2_500)).await;
        }
        println!("short puts (standard and PM) below maintenance at spot {price:.0}");
        Ok(())
    }

    /// Phase 6: the daemon, as `keeper run` starts it.
    async fn start_daemon(&self) -> anyhow::Result<Daemon> {
        let keeper_keypair = self.dir.join("keys/keeper.json");
        write_keypair(&keeper_keypair, &self.keys.keeper)?;
        let proxy = CuttableProxy::start(self.config.rpc_port + 1).await?;
        let metrics_addr = "127.0.0.1:29464".to_string();
        let keeper_config = KeeperConfig {
            rpc_url: self.config.rpc_url(),
            ws_url: format!("ws://127.0.0.1:{}", proxy.port),
            keypair: keeper_keypair,
            vault: self.vault.vault,
            priority_fee_micro_lamports: 0,
            poll_interval_ms: 2_000,
            metrics_addr: Some(metrics_addr.clone()),
            surface: self.surface.clone(),
            liquidation: LiquidationConfig {
                min_reward_usd: 0.01,
            },
            hedge: HedgeConfig::default(),
            settlement: SettlementConfig {
                repost_updates: true,
            },
            oracles: self.oracles.clone(),
            hedge_bands: self.cycle_config.hedge_bands.clone(),
            greek_bands: BTreeMap::new(),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(exposure_vault_keeper::daemon::run(keeper_config, async {
            let _ = stopped.await;
        }));
        Ok(Daemon {
            proxy,
            metrics_addr,
            stop,
            task,
        })
    }

    /// Phase 7: liquidated. The short put shrinks, the keeper is paid its fee, and the account
    /// is back above maintenance.
    async fn the_daemon_liquidates(&self) -> anyhow::Result<()> {
        let started = Instant::now();
        let remaining = eventually("the liquidation", Duration::from_secs(60), || async {
            let account: MarginAccount = self.admin.zero_copy_account(&self.shorty_margin).await?;
            let short: i64 = account.open_positions().map(|p| p.size).sum();
            Ok((short > -CONTRACT).then_some(short))
        })
        .await?;
        println!(
            "liquidated {:.1} s after the daemon started; short left {remaining}",
            started.elapsed().as_secs_f64()
        );
        let fee = self
            .admin
            .token_balance(&ata(
                &self.keys.keeper.pubkey(),
                &self.vault.collateral_mint,
            ))
            .await?;
        assert!(fee > 0, "the keeper earned a liquidation fee");
        let ratio = self.shorty_health().await?;
        assert!(
            ratio >= 1.0,
            "back above maintenance after the partial liquidation ({ratio})"
        );
        // The PM account too: the keeper refreshed the scenario cache and liquidated it on its
        // PM requirement, partially.
        let pm_left = eventually("the PM liquidation", Duration::from_secs(60), || async {
            let account: MarginAccount = self.admin.zero_copy_account(&self.pm_margin).await?;
            let short: i64 = account.open_positions().map(|p| p.size).sum();
            Ok((short > -CONTRACT).then_some(short))
        })
        .await?;
        assert!(
            pm_left < 0,
            "a partial PM liquidation keeps part of the short"
        );
        let pm_ratio = self.pm_health().await?;
        println!("PM short liquidated to {pm_left}; equity/maintenance {pm_ratio:.3}");
        assert!(
            pm_ratio >= 1.0,
            "PM account back above maintenance ({pm_ratio})"
        );
        Ok(())
    }

    /// Phase 9: expiry passes. A settler proposed a late update for the call before anything
    /// at or after expiry was published; the daemon disputes it with the earliest update it
    /// observed and proposes that one for the put. Both series settle at that same update, at
    /// the publisher's spot, by four daemon transactions (the dispute, the put's proposal, two
    /// final calls), and the long call in it settles; the 7-day expiry is untouched.
    async fn the_daemon_settles_the_expiry(&self, daemon: &Daemon) -> anyhow::Result<()> {
        eventually("settlement", Duration::from_secs(240), || async {
            let book: SeriesBook = self.admin.zero_copy_account(&self.market.book).await?;
            let account: MarginAccount = self.admin.zero_copy_account(&self.longy_margin).await?;
            let done = book.series[0].is_settled()
                && book.series[1].is_settled()
                && account.open_positions().next().is_none();
            Ok(done.then_some(()))
        })
        .await?;
        let book: SeriesBook = self.admin.zero_copy_account(&self.market.book).await?;
        let (call, put) = (&book.series[0], &book.series[1]);
        println!(
            "expiry settled at {} (published {} s after expiry)",
            call.settlement_price,
            call.settlement_publish_time - call.expiry_ts
        );
        assert!(
            call.settlement_publish_time < call.expiry_ts + LATE_BY_SECS,
            "the late proposal was disputed"
        );
        assert_eq!(
            call.settlement_publish_time, put.settlement_publish_time,
            "both at the earliest update the daemon observed"
        );
        assert_eq!(call.settlement_price, put.settlement_price);
        let spot = *self.spot.lock().expect("spot") * 1e6;
        assert!(
            (call.settlement_price as f64 - spot).abs() < spot * 0.01,
            "settled at the publisher's spot, not the late settler's"
        );
        assert!(!book.series[3].is_settled());
        // Metrics are recorded when the cycle that sent them ends.
        let settled = eventually(
            "the settle_series count",
            Duration::from_secs(30),
            || async {
                Ok(daemon
                    .sent("settle_series")
                    .await
                    .ok()
                    .filter(|n| *n >= 4.0))
            },
        )
        .await?;
        assert_eq!(settled, 4.0);
        assert!(daemon.sent("liquidate").await? >= 1.0);
        Ok(())
    }

    /// Phase 10: through the spot move, the liquidation and the expiry, the daemon kept the
    /// delta in its band, and never had a rebalance refused (a refusal would mean it tried one
    /// twice).
    async fn the_delta_stayed_in_band(&self, daemon: &Daemon) -> anyhow::Result<()> {
        eventually(
            "the delta inside its band",
            Duration::from_secs(30),
            || async { Ok((btc_delta(&self.view().await?)?.abs() <= 20_000.0).then_some(())) },
        )
        .await?;
        let failed = scrape(
            &daemon.metrics_addr,
            "keeper_actions_total{action=\"rebalance_hedge\",outcome=\"failed\"}",
        )
        .await
        .unwrap_or(0.0);
        assert_eq!(failed, 0.0);
        let hedge_book: HedgeBook = self
            .admin
            .zero_copy_account(&self.market.hedge_book)
            .await?;
        println!(
            "daemon rebalances: {} (sequence {})",
            daemon.sent("rebalance_hedge").await.unwrap_or(0.0),
            hedge_book.rebalance_seq
        );
        Ok(())
    }

    /// Phase 11: `keeper stress` reads this vault's book from the chain: the open 7-day put,
    /// the hedge, and every margin account, including the provider's perpetual.
    async fn stress_reads_the_book_from_chain(&self) -> anyhow::Result<()> {
        let view = self.view().await?;
        let margins = self.admin.margin_accounts(&self.vault.vault).await?;
        let file = exposure_vault_keeper::risk::stress::onchain::book_from_view(
            &view,
            &margins,
            &self.cycle_config.hedge_bands,
        );
        let book = exposure_vault_keeper::risk::stress::book::Book::new(file)?;
        assert_eq!(book.file.markets["BTC"].hedge, hedge_book_size(&view));
        assert!(
            book.file.accounts.iter().any(|a| a.perp < 0.0),
            "the provider's short perp"
        );
        assert!(book.file.positions.iter().all(|p| p.t > 0.0));
        let grid = exposure_vault_keeper::risk::stress::grid::run(&book);
        println!(
            "stress from chain: {} positions, {} accounts; worst grid P&L {:.0} at {:+.0}% ({})",
            book.file.positions.len(),
            book.file.accounts.len(),
            grid.worst.pnl,
            grid.worst.spot_shock * 100.0,
            grid.worst.vol_shock
        );
        Ok(())
    }
}

impl Scenario {
    /// Phase 12: an LP deposits and leaves beside the open book. LP flows price at marks of
    /// their own slot's accepted price, so the CLI wallet bundles `refresh_marks` into each
    /// transaction; over JSON-RPC, with slots moving, both land.
    async fn an_lp_deposits_and_leaves_beside_open_positions(&self) -> anyhow::Result<()> {
        let state: exposure_vault::state::Vault =
            self.admin.anchor_account(&self.vault.vault).await?;
        assert_ne!(
            state.marks_valid_until,
            i64::MAX,
            "the vault holds positions"
        );
        let lp = Keypair::new();
        wallet::fund(
            &self.admin,
            &self.keys.mint_authority,
            &self.vault.collateral_mint,
            &lp.pubkey(),
            usdc(10_000.0),
        )
        .await?;
        let chain = self.chain_of(&lp);
        let markets = [self.market];
        let deposit =
            wallet::deposit_liquidity(&chain, &lp, &self.vault, &markets, usdc(10_000.0)).await?;
        let shares = deposit.shares_after - deposit.shares_before;
        assert!(shares > 0);
        let out = wallet::withdraw_liquidity(&chain, &lp, &self.vault, &markets, shares).await?;
        assert_eq!(out.shares_before - out.shares_after, shares);
        // Out at NAV less the LP band and rounding: never more than went in.
        let back = out.collateral_after - out.collateral_before;
        assert!(back <= usdc(10_000.0) && back > usdc(9_000.0), "{back}");
        println!("LP beside open positions: {shares} shares, {back} back");
        Ok(())
    }

    /// Phase 10: a provider quotes the 7-day calls in vol terms; with a vega band on the market
    /// the keeper's cycle buys calls back from it (`rebalance_option_hedge`) because the vault is short
    /// vega, sized inside the program's rule, and the position lands in the provider's account.
    async fn the_keeper_hedges_vega_through_an_option_quote(&mut self) -> anyhow::Result<()> {
        let (vault, market) = (self.vault, self.market);
        let series = 2u8;
        let view = self.view().await?;
        let vega_before = vault_greeks(&view)?.per_market["BTC"].vega_usd;
        assert!(vega_before < -1.0, "the vault is short vega: {vega_before}");
        let provider = wallet::open_hedge_provider(
            &self.admin,
            &self.keys.mint_authority,
            &vault,
            &market,
            usdc(200_000.0),
            wallet::QuoteSpec {
                max_size: 0,
                spread_bps: 10,
                lifetime_secs: 3_600,
            },
        )
        .await?;
        let chain = self.chain_of(&provider);
        let expiry = chain.clock().await?.unix_timestamp + 3_600;
        let size = 5 * CONTRACT as u64;
        let quote = market.post_option_quote_ix(
            &vault,
            provider.pubkey(),
            series,
            (500_000, 620_000),
            (size, size),
            expiry,
        );
        chain.send(&[quote], &[&provider], None).await?;
        let seq_before = self.view().await?.markets[0].hedge_book.rebalance_seq;

        self.cycle_config.greek_bands = BTreeMap::from([(
            0,
            GreekBands {
                vega_max_usd: Some(1.0),
                vega_max_nav_fraction: None,
                gamma_max_usd: None,
                gamma_max_nav_fraction: None,
                high_vol_threshold: DVOL_TOP_DECILE,
                high_vol_scale: 0.5,
                max_vol_edge: 0.2,
            },
        )]);
        let report = self.cycle(&self.config.rpc_url()).await?;
        let hedge = report
            .results
            .iter()
            .find(|r| r.action.name() == "rebalance_option_hedge")
            .expect("an option hedge was planned");
        assert!(hedge.is_sent(), "{:?}", hedge.outcome);
        let Action::RebalanceOptionHedge { size, .. } = hedge.action else {
            unreachable!()
        };
        assert!(size > 0, "the vault buys vega back");

        let view = self.view().await?;
        assert!(view.markets[0].hedge_book.rebalance_seq > seq_before);
        let account: exposure_vault::state::MarginAccount = self
            .admin
            .zero_copy_account(&market.margin_address(&provider.pubkey()))
            .await?;
        assert_eq!(account.position_size(market.index, series), -size);
        let vega_after = vault_greeks(&view)?.per_market["BTC"].vega_usd;
        assert!(
            vega_after.abs() < vega_before.abs(),
            "vega {vega_before:.2} -> {vega_after:.2}"
        );
        println!("option hedge: bought {size} of series {series}; vega {vega_before:.2} -> {vega_after:.2} $/pt");
        Ok(())
    }
}

impl Daemon {
    /// How many `action` transactions the daemon reports sent.
    async fn sent(&self, action: &str) -> anyhow::Result<f64> {
        scrape(
            &self.metrics_addr,
            &format!("keeper_actions_total{{action=\"{action}\",outcome=\"sent\"}}"),
        )
        .await
    }

    /// Phase 8: the websocket connection dies and stays down for 5 s. The keeper keeps
    /// polling and reconnects when it can.
    async fn survives_a_websocket_cut(&self) -> anyhow::Result<()> {
        self.proxy.cut();
        tokio::time::sleep(Duration::from_secs(5)).await;
        self.proxy.restore();
        eventually("a websocket reconnect", Duration::from_secs(30), || async {
            Ok(
                (scrape(&self.metrics_addr, "keeper_ws_reconnects_total").await? >= 1.0)
                    .then_some(()),
            )
        })
        .await
    }

    async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.task.await?
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keeper_daemon_liquidates_and_settles_over_json_rpc() -> anyhow::Result<()> {
    let mut scenario = Scenario::start().await?;
    scenario.open_book().await?;
    let hedged = scenario.hedge_once_through_dropped_broadcasts().await?;
    scenario.no_second_rebalance(hedged).await?;
    scenario.push_the_short_below_maintenance().await?;
    let daemon = scenario.start_daemon().await?;
    scenario.the_daemon_liquidates().await?;
    daemon.survives_a_websocket_cut().await?;
    scenario.the_daemon_settles_the_expiry(&daemon).await?;
    scenario.the_delta_stayed_in_band(&daemon).await?;
    scenario.stress_reads_the_book_from_chain().await?;
    daemon.stop().await?;
    scenario
        .the_keeper_hedges_vega_through_an_option_quote()
        .await?;
    scenario
        .an_lp_deposits_and_leaves_beside_open_positions()
        .await?;
    scenario.publisher.abort();
    scenario.validator.stop().await?;
    Ok(())
}
