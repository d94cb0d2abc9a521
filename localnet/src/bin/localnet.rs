//! `localnet`: a real local validator with the program deployed and a demo vault.
//!
//!   localnet demo      start, deploy, seed, wallet deposit, one keeper cycle, stop
//!   localnet up        start, deploy, seed, publish prices until Ctrl-C
//!   localnet deploy | seed | deposit | withdraw | publish   against a running validator
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use exposure_vault_keeper::config::KeeperConfig;
use exposure_vault_keeper::strategy::cycle::{run_cycle, CycleReport, Outcome};
use exposure_vault_keeper::strategy::surface_source::SyntheticSurface;
use exposure_vault_localnet::seed::{self, Demo, DemoSpec, LocalKeys};
use exposure_vault_localnet::validator::{Validator, ValidatorConfig};
use exposure_vault_localnet::{repo_root, wallet};
use exposure_vault_rpc::{read_keypair, write_keypair, Chain, Keypair, SendOptions, Signer};

#[derive(Parser)]
#[command(
    name = "localnet",
    about = "Exposure Vault on a real local solana-test-validator (LOCALNET ONLY keys)"
)]
struct Cli {
    /// RPC port of the validator (websocket: port + 1).
    #[arg(long, default_value_t = 8899, global = true)]
    rpc_port: u16,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a fresh validator, deploy, seed, deposit from a CLI wallet, run one keeper cycle, stop.
    Demo {
        /// The depositor's keypair file (Solana CLI format); created if missing.
        #[arg(long)]
        wallet: Option<PathBuf>,
        /// Deposit in collateral tokens (USDC).
        #[arg(long, default_value_t = 1_000.0)]
        amount: f64,
        /// Leave the validator running (Ctrl-C to stop).
        #[arg(long)]
        keep_running: bool,
    },
    /// Start a fresh validator, deploy and seed, then publish prices every 2 s until Ctrl-C.
    Up,
    /// Deploy target/deploy/exposure_vault.so to a running validator (loader v3).
    Deploy,
    /// Create the demo vault on a running validator with the program deployed.
    Seed,
    /// Fund a wallet from the localnet faucet and deposit from it.
    Deposit {
        #[arg(long)]
        wallet: Option<PathBuf>,
        #[arg(long)]
        amount: f64,
    },
    /// Fund a wallet from the localnet faucet (10 SOL and `amount` USDC) without depositing.
    Fund {
        #[arg(long)]
        wallet: Option<PathBuf>,
        #[arg(long)]
        amount: f64,
    },
    /// Withdraw shares (in share tokens) back to collateral.
    Withdraw {
        #[arg(long)]
        wallet: Option<PathBuf>,
        #[arg(long)]
        shares: f64,
    },
    /// Publish an oracle price for a market (localnet publisher).
    Publish {
        #[arg(long)]
        market: usize,
        #[arg(long)]
        price: f64,
    },
}

struct Ctx {
    repo: PathBuf,
    config: ValidatorConfig,
    keys: LocalKeys,
}

impl Ctx {
    fn chain(&self, payer: Keypair) -> Chain {
        Chain::new(&self.config.rpc_url(), payer, SendOptions::default())
    }

    fn admin_chain(&self) -> Chain {
        self.chain(self.keys.admin.insecure_clone())
    }

    fn wallet(&self, path: Option<PathBuf>) -> Result<(PathBuf, Keypair)> {
        let path = path.unwrap_or_else(|| self.repo.join(".localnet/keys/wallet.json"));
        if !path.exists() {
            write_keypair(&path, &Keypair::new())?;
        }
        Ok((path.clone(), read_keypair(&path)?))
    }
}

fn step(text: &str) {
    println!("\n==> {text}");
}

async fn deploy(ctx: &Ctx) -> Result<()> {
    let chain = seed::funded_admin(&ctx.config.rpc_url(), &ctx.keys).await?;
    let started = Instant::now();
    let outcome = seed::deploy(&chain, &ctx.repo, &ctx.keys.admin).await?;
    println!(
        "program {} {outcome:?} in {:.1} s",
        exposure_vault::ID,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn seed_demo(ctx: &Ctx) -> Result<Demo> {
    let chain = ctx.admin_chain();
    let started = Instant::now();
    let demo = seed::seed(
        &chain,
        &ctx.keys,
        &DemoSpec::default(),
        &ctx.config.ws_url(),
    )
    .await?;
    let path = Demo::path(&ctx.repo);
    demo.save(&path)?;
    let keeper_toml = ctx.repo.join(".localnet/keeper.toml");
    std::fs::write(
        &keeper_toml,
        keeper_config(&demo, &ctx.repo.join(".localnet/keys/keeper.json")),
    )?;
    println!(
        "keeper config in {} (keeper run -c {0})",
        keeper_toml.display()
    );
    println!(
        "seeded in {:.1} s; addresses in {}",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    let oracles: Vec<String> = demo.markets.iter().map(|m| m.oracle.clone()).collect();
    println!(
        "  web app        (cd app && npm ci && npm run dev) then http://127.0.0.1:5173/?rpc={}&vault={}&oracles={}",
        demo.rpc_url,
        demo.vault,
        oracles.join(",")
    );
    println!("  rpc            {}", demo.rpc_url);
    println!("  websocket      {}", demo.ws_url);
    println!("  program        {}", demo.program_id);
    println!("  vault          {}", demo.vault);
    println!("  collateral     {} (6 decimals)", demo.collateral_mint);
    println!("  shares         {}", demo.share_mint);
    println!("  keeper         {}", demo.keeper);
    for m in &demo.markets {
        println!(
            "  market {} {:<4}  {}  oracle {}  spot {}  {} series",
            m.index,
            m.symbol,
            m.market,
            m.oracle,
            m.spot,
            m.series.len()
        );
    }
    Ok(demo)
}

/// A keeper configuration for the demo vault (see keeper/keeper.example.toml).
fn keeper_config(demo: &Demo, keypair: &std::path::Path) -> String {
    let mut text = format!(
        "rpc_url = \"{}\"\nws_url = \"{}\"\nkeypair = \"{}\"\nvault = \"{}\"\npoll_interval_ms = 2000\nmetrics_addr = \"127.0.0.1:9464\"\n\n[surface]\nsource = \"synthetic\"\natm_vol = 0.6\n\n# The localnet publisher can post an observed update again: settle at the earliest.\n[settlement]\nrepost_updates = true\n",
        demo.rpc_url,
        demo.ws_url,
        keypair.display(),
        demo.vault
    );
    for m in &demo.markets {
        text.push_str(&format!(
            "\n[[markets]]\nindex = {}\noracle = \"{}\"\nhedge = {{ max_usd = 25000, max_nav_fraction = 0.02 }}\n",
            m.index, m.oracle
        ));
    }
    text
}

/// Collateral (6-decimal USDC) units to tokens.
fn tokens(units: u64) -> f64 {
    units as f64 / 1e6
}

/// Share mint decimals: the collateral's plus the program's offset.
const SHARE_UNITS_PER_TOKEN: f64 =
    1e6 * 10u64.pow(exposure_vault::math::precision::SHARE_DECIMALS_OFFSET as u32) as f64;

fn share_tokens(units: u64) -> f64 {
    units as f64 / SHARE_UNITS_PER_TOKEN
}

async fn deposit(ctx: &Ctx, wallet_path: Option<PathBuf>, amount: f64) -> Result<()> {
    let demo = Demo::load(&Demo::path(&ctx.repo))?;
    let (path, owner) = ctx.wallet(wallet_path)?;
    let units = (amount * 1e6).round() as u64;
    let mint = demo.collateral_mint.parse()?;
    wallet::fund(
        &ctx.admin_chain(),
        &ctx.keys.mint_authority,
        &mint,
        &owner.pubkey(),
        units,
    )
    .await?;
    println!(
        "wallet {} ({}) funded with {amount} USDC from the localnet faucet",
        owner.pubkey(),
        path.display()
    );
    let chain = ctx.chain(owner.insecure_clone());
    let r = wallet::deposit_liquidity(
        &chain,
        &owner,
        &demo.vault_keys()?,
        &demo.market_keys()?,
        units,
    )
    .await?;
    println!("deposit {amount} USDC: signature {}", r.signature);
    println!(
        "  wallet USDC {} -> {}, shares {} -> {}; vault NAV {} USDC over {} shares",
        tokens(r.collateral_before),
        tokens(r.collateral_after),
        share_tokens(r.shares_before),
        share_tokens(r.shares_after),
        tokens(r.nav_after),
        share_tokens(r.total_shares_after)
    );
    Ok(())
}

async fn withdraw(ctx: &Ctx, wallet_path: Option<PathBuf>, shares: f64) -> Result<()> {
    let demo = Demo::load(&Demo::path(&ctx.repo))?;
    let (_, owner) = ctx.wallet(wallet_path)?;
    let chain = ctx.chain(owner.insecure_clone());
    let r = wallet::withdraw_liquidity(
        &chain,
        &owner,
        &demo.vault_keys()?,
        &demo.market_keys()?,
        (shares * SHARE_UNITS_PER_TOKEN).round() as u64,
    )
    .await?;
    println!("withdraw {shares} shares: signature {}", r.signature);
    println!(
        "  wallet USDC {} -> {}, shares {} -> {}",
        tokens(r.collateral_before),
        tokens(r.collateral_after),
        share_tokens(r.shares_before),
        share_tokens(r.shares_after)
    );
    Ok(())
}

/// A hedge provider quoting 5 BTC each side at 10 bps for a day, and a trader buying 0.02 of
/// the BTC call nearest the money from the vault, which leaves the vault short delta.
async fn hedge_and_trade(ctx: &Ctx, demo: &Demo) -> Result<()> {
    let (vault, market) = (demo.vault_keys()?, demo.market_keys()?[0]);
    let admin = ctx.admin_chain();
    let contract = exposure_vault_client::CONTRACT;
    let provider = wallet::open_hedge_provider(
        &admin,
        &ctx.keys.mint_authority,
        &vault,
        &market,
        50_000_000_000,
        wallet::QuoteSpec {
            max_size: 5 * contract as u64,
            spread_bps: 10,
            lifetime_secs: 86_400,
        },
    )
    .await?;
    println!(
        "hedge provider {} quotes 5 BTC each side at 10 bps",
        market.margin_address(&provider.pubkey())
    );
    let book: exposure_vault::state::SeriesBook = admin.zero_copy_account(&market.book).await?;
    let spot = demo.markets[0].spot * 1e6;
    let (series, _) = book
        .series
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_listed() && s.side == exposure_vault::state::SIDE_CALL)
        .min_by_key(|(_, s)| (s.strike as f64 - spot).abs() as u64)
        .context("no listed call")?;
    let trader = wallet::open_trader(
        &admin,
        &ctx.keys.mint_authority,
        &vault,
        &market,
        5_000_000_000,
    )
    .await?;
    let signature = wallet::trade_option(
        &ctx.chain(trader.insecure_clone()),
        &trader,
        &vault,
        &market,
        series as u8,
        contract / 50,
    )
    .await?;
    println!("trader bought 0.02 BTC calls (series {series}) from the vault: {signature}");
    Ok(())
}

async fn keeper_cycle(ctx: &Ctx, demo: &Demo) -> Result<CycleReport> {
    let chain = ctx.chain(ctx.keys.keeper.insecure_clone());
    // The same configuration `keeper run -c .localnet/keeper.toml` uses (bands included).
    let config = KeeperConfig::load(Some(&ctx.repo.join(".localnet/keeper.toml")), &|_: &str| {
        None
    })?;
    let report = run_cycle(
        &chain,
        &ctx.keys.keeper,
        &demo.vault.parse()?,
        &demo.oracles()?,
        &SyntheticSurface { atm_vol: 0.6 },
        &config.cycle_config(),
    )
    .await?;
    println!(
        "keeper cycle at slot {}: {} action(s)",
        report.slot,
        report.results.len()
    );
    for r in &report.results {
        match &r.outcome {
            Outcome::Sent(sig) => println!("  {:<16} ok   {sig}", r.action.name()),
            Outcome::Skipped(why) => println!("  {:<16} skip {why}", r.action.name()),
            Outcome::Failed(e) => println!("  {:<16} FAIL {e}", r.action.name()),
        }
    }
    for (market, size) in &report.hedge_sizes {
        println!("  {market} hedge {size:.4}");
    }
    let g = &report.greeks.total;
    println!(
        "  vault NAV {} USDC, {} shares; book value {:.2}, delta ${:.2}, gamma ${:.2}/1%, vega ${:.2}/vol pt, theta ${:.2}/day",
        tokens(report.nav), share_tokens(report.total_shares), g.value, g.delta_usd, g.gamma_usd, g.vega_usd, g.theta_usd
    );
    Ok(report)
}

/// Publishes a small deterministic random walk for every market until Ctrl-C.
async fn publish_loop(ctx: &Ctx, demo: &Demo) -> Result<()> {
    use rand::{Rng, SeedableRng};
    let chain = ctx.admin_chain();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut spots: Vec<f64> = demo.markets.iter().map(|m| m.spot).collect();
    let oracles = demo.oracles()?;
    println!("publishing prices every 2 s; Ctrl-C to stop");
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return Ok(()),
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
        for (i, spot) in spots.iter_mut().enumerate() {
            *spot *= 1.0 + rng.random_range(-0.001..0.001);
            if let Err(e) = seed::publish_price(
                &chain,
                &ctx.keys.oracle_publisher,
                &oracles[i],
                demo.feed(i)?,
                *spot,
            )
            .await
            {
                eprintln!("publish {}: {e}", demo.markets[i].symbol);
            }
        }
    }
}

async fn start(ctx: &Ctx) -> Result<Validator> {
    step(&format!(
        "starting {} on 127.0.0.1:{}",
        ctx.config.binary.display(),
        ctx.config.rpc_port
    ));
    let validator = Validator::start(ctx.config.clone()).await?;
    println!(
        "healthy in {:.1} s (ledger {})",
        validator.startup_secs,
        ctx.config.ledger.display()
    );
    Ok(validator)
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let repo = repo_root();
    let config = if cli.rpc_port == 8899 {
        ValidatorConfig::standard(&repo)
    } else {
        ValidatorConfig::on_ports(
            &repo,
            cli.rpc_port,
            repo.join(format!(".localnet/ledger-{}", cli.rpc_port)),
        )
    };
    let keys = LocalKeys::load_or_create(&repo.join(".localnet/keys")).context("localnet keys")?;
    let ctx = Ctx { repo, config, keys };
    match cli.command {
        Command::Demo {
            wallet,
            amount,
            keep_running,
        } => {
            let validator = start(&ctx).await?;
            step("deploying the SBF program (loader v3, upgradeable)");
            deploy(&ctx).await?;
            step("seeding: collateral mint, Pyth-layout oracles, vault, markets, series, surfaces");
            let demo = seed_demo(&ctx).await?;
            step("wallet deposit (CLI keypair)");
            deposit(&ctx, wallet, amount).await?;
            step("hedge provider quotes; a trader buys calls from the vault");
            hedge_and_trade(&ctx, &demo).await?;
            step("one keeper cycle");
            keeper_cycle(&ctx, &demo).await?;
            if keep_running {
                publish_loop(&ctx, &demo).await?;
            }
            validator.stop().await?;
            println!("\nvalidator stopped");
        }
        Command::Up => {
            let validator = start(&ctx).await?;
            deploy(&ctx).await?;
            let demo = seed_demo(&ctx).await?;
            publish_loop(&ctx, &demo).await?;
            validator.stop().await?;
        }
        Command::Deploy => deploy(&ctx).await?,
        Command::Seed => {
            seed_demo(&ctx).await?;
        }
        Command::Deposit { wallet, amount } => deposit(&ctx, wallet, amount).await?,
        Command::Withdraw { wallet, shares } => withdraw(&ctx, wallet, shares).await?,
        Command::Fund { wallet, amount } => {
            let demo = Demo::load(&Demo::path(&ctx.repo))?;
            let (path, owner) = ctx.wallet(wallet)?;
            wallet::fund(
                &ctx.admin_chain(),
                &ctx.keys.mint_authority,
                &demo.collateral_mint.parse()?,
                &owner.pubkey(),
                (amount * 1e6).round() as u64,
            )
            .await?;
            println!(
                "wallet {} ({}) funded with 10 SOL and {amount} USDC",
                owner.pubkey(),
                path.display()
            );
        }
        Command::Publish { market, price } => {
            let demo = Demo::load(&Demo::path(&ctx.repo))?;
            let oracle = demo.oracles()?[market];
            seed::publish_price(
                &ctx.admin_chain(),
                &ctx.keys.oracle_publisher,
                &oracle,
                demo.feed(market)?,
                price,
            )
            .await?;
            println!("{} = {price}", demo.markets[market].symbol);
        }
    }
    Ok(())
}
