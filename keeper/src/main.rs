use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use exposure_vault_keeper::chain::{read_keypair, Chain, Keypair, SendOptions};
use exposure_vault_keeper::config::KeeperConfig;
use exposure_vault_keeper::daemon;
use exposure_vault_keeper::pricing::{
    greeks, implied_vol, OptionKind, OptionParams, DAYS_PER_YEAR,
};
use exposure_vault_keeper::strategy::cycle::{run_cycle, Outcome};
use exposure_vault_keeper::strategy::greek_bands::{self, GreekBands, OptionRiskCaps};

const CONVENTIONS: &str = "\
Model: Black-Scholes on spot S, continuously compounded rate r, no dividend (forward S·e^{rT};
with r = 0 this is Black-76 on the oracle price). T = expiry-days / 365 (calendar).
Conventions: delta = ∂P/∂S, gamma = ∂²P/∂S², vega = ∂P/∂σ per 1.00 of volatility,
theta = ∂P/∂t per year of calendar time, rho = ∂P/∂r per 1.00, vanna = ∂²P/∂S∂σ,
volga = ∂²P/∂σ².";

#[derive(Parser)]
#[command(name = "keeper", version, about = "Exposure Vault keeper", after_help = CONVENTIONS)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Call,
    Put,
}

impl From<Kind> for OptionKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Call => OptionKind::Call,
            Kind::Put => OptionKind::Put,
        }
    }
}

/// The option every pricing command is about.
#[derive(Args)]
struct OptionArgs {
    #[arg(long, allow_negative_numbers = true)]
    spot: f64,
    #[arg(long, allow_negative_numbers = true)]
    strike: f64,
    /// Calendar days to expiry (fractional allowed).
    #[arg(long = "expiry-days", allow_negative_numbers = true)]
    expiry_days: f64,
    #[arg(long, value_enum)]
    kind: Kind,
    /// Continuously compounded rate as a decimal.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    rate: f64,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

impl OptionArgs {
    fn years(&self) -> f64 {
        self.expiry_days / DAYS_PER_YEAR
    }
}

/// Where the chain and the vault are: a TOML file (see `keeper/keeper.example.toml`), with
/// `KEEPER_*` environment overrides.
#[derive(Args)]
struct ChainArgs {
    #[arg(long, short)]
    config: Option<std::path::PathBuf>,
}

impl ChainArgs {
    fn load(&self) -> Result<KeeperConfig, exposure_vault_keeper::config::ConfigError> {
        KeeperConfig::load(self.config.as_deref(), &|k| std::env::var(k).ok())
    }
}

/// `keeper stress`'s arguments.
#[derive(clap::Args)]
struct StressArgs {
    /// The book (JSON; see examples/demo-book.json). Without it the book is read from the
    /// chain with the keeper configuration (-c).
    #[arg(long)]
    book: Option<std::path::PathBuf>,
    #[command(flatten)]
    chain: ChainArgs,
    /// Also save the book (for example the one read from the chain) as JSON.
    #[arg(long)]
    save_book: Option<std::path::PathBuf>,
    /// Directory for the report.
    #[arg(long)]
    out: std::path::PathBuf,
    /// Price series the return models are calibrated from: a normalised OHLCV file (default:
    /// the real Binance BTC/USDT 2 h closes, 2017-2025) or a `timestamp,price` CSV.
    #[arg(long, default_value = "examples/data/btcusdt_binance_2h.csv.gz")]
    prices: std::path::PathBuf,
    /// Monte Carlo paths per model.
    #[arg(long, default_value_t = 20_000)]
    paths: usize,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Relative price shocks the liquidation cascades start from.
    #[arg(
        long,
        value_delimiter = ',',
        allow_hyphen_values = true,
        default_value = "-0.2"
    )]
    cascade_shock: Vec<f64>,
    /// Replay real crashes instead: `all` (the four episodes of examples/data/README.md) or
    /// 1-based episode numbers; writes replay.html, replay.json and one SVG per episode.
    #[arg(long, value_delimiter = ',', num_args = 0.., default_missing_value = "all")]
    replay: Option<Vec<String>>,
    /// With --replay, a custom window too (YYYY-MM-DD, UTC, inclusive).
    #[arg(long, requires = "replay")]
    from: Option<String>,
    #[arg(long, requires = "replay")]
    to: Option<String>,
    /// The book market the BTC episodes drive.
    #[arg(long, default_value = "BTC")]
    replay_market: String,
    /// The perpetual's spread per hedge trade in a replay (bps).
    #[arg(long, default_value_t = 5.0)]
    replay_hedge_cost_bps: f64,
    /// The replay's third policy: vega and gamma bands (fractions of NAV per vol point and per
    /// 1% move; both 0: none) kept by the keeper's planner with 30-day and 7-day ATM calls
    /// quoted this many vol points (as a fraction) off the surface.
    #[arg(long, default_value_t = 0.0001)]
    replay_vega_band: f64,
    #[arg(long, default_value_t = 0.001)]
    replay_gamma_band: f64,
    #[arg(long, default_value_t = 0.03)]
    replay_option_edge: f64,
    /// The rule cascades and replays hold accounts to: the standard per-position rule or
    /// portfolio margin (the program's scenario grid, preset parameters).
    #[arg(long, default_value = "standard", value_parser = ["standard", "portfolio"])]
    margin: String,
}

/// `keeper backtest`'s arguments.
#[derive(clap::Args)]
struct BacktestArgs {
    /// Directory for the report.
    #[arg(long, default_value = "target/backtest")]
    out: std::path::PathBuf,
    /// 2 h OHLCV closes, DVOL daily and 8 h funding (the normalised gzip CSVs).
    #[arg(long, default_value = "examples/data/btcusdt_binance_2h.csv.gz")]
    prices: std::path::PathBuf,
    #[arg(long, default_value = "examples/data/btc_dvol_1d.csv.gz")]
    dvol: std::path::PathBuf,
    #[arg(long, default_value = "examples/data/btcusdt_perp_funding_8h.csv.gz")]
    funding: std::path::PathBuf,
    /// First and last day (YYYY-MM-DD, UTC); default 2019-09-10 to the data's end.
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
    /// Tenor and |delta| of the call and put traders buy every week, and each one's notional
    /// as a fraction of NAV.
    #[arg(long, default_value_t = 7.0)]
    tenor_days: f64,
    #[arg(long, default_value_t = 0.25)]
    delta: f64,
    #[arg(long, default_value_t = 0.2)]
    notional_fraction: f64,
    /// Delta bands to compare, fractions of NAV ("none": never hedge).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "none,0.005,0.01,0.02,0.05"
    )]
    bands: Vec<String>,
    /// Also run the 1% delta band with this vega band (fraction of NAV per vol point), and
    /// then with this gamma band as well (fraction of NAV per 1% move; 0: not run).
    #[arg(long, default_value_t = 0.0001)]
    vega_band: f64,
    #[arg(long, default_value_t = 0.05)]
    gamma_band: f64,
    /// The perpetual's spread per hedge trade (bps) and the option hedges' vol edge.
    #[arg(long, default_value_t = 5.0)]
    perp_spread_bps: f64,
    #[arg(long, default_value_t = 0.03)]
    option_edge: f64,
}

#[derive(Subcommand)]
enum Command {
    /// Price and Greeks of one European option.
    #[command(after_help = CONVENTIONS)]
    Greeks {
        #[command(flatten)]
        option: OptionArgs,
        /// Volatility as a decimal (0.6 = 60%).
        #[arg(long, allow_negative_numbers = true)]
        vol: f64,
    },
    /// Implied volatility of a European option price.
    #[command(after_help = CONVENTIONS)]
    Iv {
        #[command(flatten)]
        option: OptionArgs,
        #[arg(long, allow_negative_numbers = true)]
        price: f64,
    },
    /// Run the keeper: websocket-triggered cycles with polling fallback, until SIGINT/SIGTERM.
    Run {
        #[command(flatten)]
        chain: ChainArgs,
    },
    /// Run one keeper cycle and print what it did.
    Cycle {
        #[command(flatten)]
        chain: ChainArgs,
    },
    /// Print the vault's NAV, exposure, Greeks and its riskiest margin accounts.
    Status {
        #[command(flatten)]
        chain: ChainArgs,
        /// How many accounts to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Stress the vault's book: scenario grid, fat-tailed Monte Carlo (hedged and unhedged),
    /// a volatility-cycle replay and liquidation cascades; writes report.html, report.json and
    /// SVG plots into --out.
    Stress(StressArgs),
    /// What the vault would have done over real BTC history: a weekly flow of options sold,
    /// hedged by each policy (delta bands, with and without vega hedges) with real funding;
    /// writes report.html, report.json and SVG plots into --out.
    Backtest(BacktestArgs),
    /// Each account of a stress book under the standard rule and portfolio margin (USD), with
    /// its worst PM scenario: the program's own margin math on the book's surface and the
    /// preset market parameters.
    Margin {
        #[arg(long)]
        book: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Fit a volatility surface (one raw-SVI slice per expiry) to a saved Deribit
    /// `public/get_book_summary_by_currency` response for BTC options.
    Surface {
        #[arg(long)]
        deribit_summary: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Throughput of batch Greeks and implied-vol solves on one core.
    Bench {
        #[arg(long, default_value_t = 100_000)]
        n: usize,
        #[arg(long)]
        json: bool,
    },
}

fn init_logs() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .init();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn cycle_once(config: KeeperConfig) -> anyhow::Result<()> {
    let keeper = read_keypair(&config.keypair)?;
    let chain = Chain::new(
        &config.rpc_url,
        keeper.insecure_clone(),
        SendOptions::default(),
    );
    let source = config.surface.source();
    let report = run_cycle(
        &chain,
        &keeper,
        &config.vault,
        &config.oracles,
        source.as_ref(),
        &config.cycle_config(),
    )
    .await?;
    println!("slot {}: {} action(s)", report.slot, report.results.len());
    for r in &report.results {
        match &r.outcome {
            Outcome::Sent(sig) => println!("  {:<16} sent    {sig}", r.action.name()),
            Outcome::Skipped(why) => println!("  {:<16} skipped {why}", r.action.name()),
            Outcome::Failed(e) => println!("  {:<16} failed  {e}", r.action.name()),
        }
    }
    println!("{}", serde_json::to_string(&report.greeks)?);
    Ok(())
}

/// The vault and its margin accounts, read over RPC.
async fn read_vault(
    config: &KeeperConfig,
) -> anyhow::Result<(
    exposure_vault_client::model::VaultView,
    Vec<(
        anchor_lang::prelude::Pubkey,
        exposure_vault::state::MarginAccount,
    )>,
)> {
    let chain = Chain::new(&config.rpc_url, Keypair::new(), SendOptions::default());
    let view = chain.load_vault(&config.vault, &config.oracles).await?;
    let margins = chain.margin_accounts(&config.vault).await?;
    Ok((view, margins))
}

/// The vault's book read from the chain, for `keeper stress`.
async fn chain_book(
    config: KeeperConfig,
) -> anyhow::Result<exposure_vault_keeper::risk::stress::book::BookFile> {
    let (view, margins) = read_vault(&config).await?;
    Ok(
        exposure_vault_keeper::risk::stress::onchain::book_from_view(
            &view,
            &margins,
            &config.hedge_bands,
        ),
    )
}

async fn status(config: KeeperConfig, top: usize) -> anyhow::Result<()> {
    let (view, margins) = read_vault(&config).await?;
    let risks = exposure_vault_keeper::status::account_risks(&view, &margins);
    print!(
        "{}",
        exposure_vault_keeper::status::render(&view, &risks, top, &config.cycle_config())?
    );
    Ok(())
}

fn run_async(future: impl std::future::Future<Output = anyhow::Result<()>>) -> ExitCode {
    match runtime().block_on(future) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run { chain } => run(chain),
        Command::Cycle { chain } => cycle(chain),
        Command::Status { chain, top } => status_command(chain, top),
        Command::Greeks { option, vol } => greeks_command(option, vol),
        Command::Iv { option, price } => iv_command(option, price),
        Command::Stress(args) => stress_command(args),
        Command::Margin { book, json } => margin_command(&book, json),
        Command::Backtest(args) => backtest_command(args),
        Command::Surface {
            deribit_summary,
            json,
        } => surface_command(&deribit_summary, json),
        Command::Bench { n, json } => bench(n, json),
    }
}

/// `keeper run`: the daemon until Ctrl-C or SIGTERM.
fn run(chain: ChainArgs) -> ExitCode {
    init_logs();
    match chain.load() {
        Ok(config) => run_async(daemon::run(config, daemon::shutdown_signal())),
        Err(e) => fail(false, &e.to_string()),
    }
}

/// `keeper cycle`: one cycle, printed.
fn cycle(chain: ChainArgs) -> ExitCode {
    init_logs();
    match chain.load() {
        Ok(config) => run_async(cycle_once(config)),
        Err(e) => fail(false, &e.to_string()),
    }
}

/// `keeper status`: NAV, per-market spot, age and Greeks, the riskiest accounts.
fn status_command(chain: ChainArgs, top: usize) -> ExitCode {
    match chain.load() {
        Ok(config) => run_async(status(config, top)),
        Err(e) => fail(false, &e.to_string()),
    }
}

/// `keeper greeks`: every Greek of one option, as text or JSON.
fn greeks_command(o: OptionArgs, vol: f64) -> ExitCode {
    let params = OptionParams {
        kind: o.kind.into(),
        spot: o.spot,
        strike: o.strike,
        t: o.years(),
        vol,
        rate: o.rate,
    };
    match greeks(&params) {
        Ok(g) if o.json => println!("{}", serde_json::to_string(&g).expect("serialise")),
        Ok(g) => {
            for (name, v) in [
                ("price", g.price),
                ("delta", g.delta),
                ("gamma", g.gamma),
                ("vega", g.vega),
                ("theta", g.theta),
                ("rho", g.rho),
                ("vanna", g.vanna),
                ("volga", g.volga),
            ] {
                println!("{name:<6} {v:.12}");
            }
        }
        Err(e) => return fail(o.json, &e.to_string()),
    }
    ExitCode::SUCCESS
}

/// `keeper iv`: the implied volatility of one option price.
fn iv_command(o: OptionArgs, price: f64) -> ExitCode {
    if !(o.expiry_days.is_finite() && o.expiry_days > 0.0) {
        return fail(o.json, "expiry-days must be > 0");
    }
    match implied_vol(o.kind.into(), o.spot, o.strike, o.years(), o.rate, price) {
        Ok(iv) if o.json => println!("{}", serde_json::json!({ "iv": iv })),
        Ok(iv) => println!("iv {iv:.12}"),
        Err(e) => return fail(o.json, &e.to_string()),
    }
    ExitCode::SUCCESS
}

/// `keeper stress`: the scenario grid, Monte Carlo and cascades on a book from a file or chain.
/// `keeper surface --deribit-summary`: the venue's smiles fitted, per expiry.
fn surface_command(path: &std::path::Path, json: bool) -> ExitCode {
    use exposure_vault_keeper::pricing::deribit;
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return fail(json, &format!("{}: {e}", path.display())),
    };
    let surface = match deribit::parse_summary(&text).and_then(|q| deribit::fit(&q)) {
        Ok(surface) => surface,
        Err(e) => return fail(json, &e.to_string()),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string(&surface).expect("serialise the surface")
        );
        return ExitCode::SUCCESS;
    }
    for e in &surface.expiries {
        println!(
            "expiry {} (t {:.4} y)  forward {:.2}  svi a {:.6} b {:.6} rho {:.4} m {:.4} sigma {:.4}  rmse {:.2} vol pts",
            e.expiry_ts, e.t, e.forward, e.svi.a, e.svi.b, e.svi.rho, e.svi.m, e.svi.sigma, e.rmse_vol_pts
        );
        for p in &e.points {
            println!(
                "  {:<24} {:>10.0}  market {:.4}  fit {:.4}",
                p.instrument, p.strike, p.market_iv, p.fit_iv
            );
        }
    }
    println!(
        "butterfly violations {}  calendar violations {}  skipped expiries {:?}",
        surface.butterfly_violations, surface.calendar_violations, surface.skipped_expiries
    );
    ExitCode::SUCCESS
}

/// Seconds at 00:00 UTC of a `YYYY-MM-DD` day.
fn parse_day(day: &str) -> Option<i64> {
    let mut parts = day.split('-').map(str::parse::<i64>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

fn backtest_command(args: BacktestArgs) -> ExitCode {
    use exposure_vault_keeper::backtest::{self, data::MarketData, engine::Policy};
    let data = match MarketData::load(&args.prices, &args.dvol, &args.funding) {
        Ok(data) => data,
        Err(e) => return fail(false, &e.to_string()),
    };
    let mut cfg = backtest::BacktestConfig::default_for(&data);
    for (arg, slot) in [(&args.from, &mut cfg.from), (&args.to, &mut cfg.to)] {
        if let Some(day) = arg {
            match parse_day(day) {
                Some(ts) => *slot = ts,
                None => return fail(false, &format!("not a YYYY-MM-DD day: {day}")),
            }
        }
    }
    if cfg.to <= cfg.from {
        return fail(false, "--to must be after --from");
    }
    let valid = |x: f64, lo: f64, hi: f64| x.is_finite() && x > lo && x < hi;
    let in_range = valid(args.tenor_days, 0.0, 3_650.0)
        && valid(args.delta, 0.0, 1.0)
        && valid(args.notional_fraction, 0.0, 10.0)
        && args.vega_band.is_finite()
        && args.vega_band >= 0.0
        && args.gamma_band.is_finite()
        && args.gamma_band >= 0.0
        && args.perp_spread_bps.is_finite()
        && args.perp_spread_bps >= 0.0
        && args.option_edge.is_finite()
        && (0.0..1.0).contains(&args.option_edge);
    if !in_range {
        return fail(
            false,
            "out of range: --tenor-days (0, 3650), --delta (0, 1), --notional-fraction (0, 10), --vega-band >= 0, --gamma-band >= 0, --perp-spread-bps >= 0, --option-edge [0, 1)",
        );
    }
    cfg.flow.tenor_days = args.tenor_days;
    cfg.flow.call_delta = args.delta;
    cfg.flow.put_delta = args.delta;
    cfg.flow.notional_fraction = args.notional_fraction;
    let mut policies = Vec::new();
    for band in &args.bands {
        let parsed = match band.as_str() {
            "none" => None,
            other => match other.parse::<f64>() {
                Ok(b) if b.is_finite() && b >= 0.0 => Some(b),
                _ => {
                    return fail(
                        false,
                        &format!("--bands: not a fraction or `none`: {other}"),
                    )
                }
            },
        };
        let name = parsed.map_or("unhedged".to_string(), |b| {
            format!("delta band {:.1}%", b * 100.0)
        });
        policies.push(Policy::delta(&name, parsed, args.perp_spread_bps));
    }
    if args.vega_band > 0.0 {
        policies.push(Policy {
            vega_band: Some(args.vega_band),
            option_edge: args.option_edge,
            ..Policy::delta(
                &format!("delta 1% + vega {:.2}%", args.vega_band * 100.0),
                Some(0.01),
                args.perp_spread_bps,
            )
        });
        if args.gamma_band > 0.0 {
            policies.push(Policy {
                vega_band: Some(args.vega_band),
                gamma_band: Some(args.gamma_band),
                option_edge: args.option_edge,
                ..Policy::delta(
                    &format!(
                        "delta 1% + vega {:.2}% + gamma {:.1}%",
                        args.vega_band * 100.0,
                        args.gamma_band * 100.0
                    ),
                    Some(0.01),
                    args.perp_spread_bps,
                )
            });
        }
    }
    cfg.policies = policies;
    let bar = indicatif::ProgressBar::new(cfg.policies.len() as u64);
    let report = backtest::run(&data, &cfg, Some(&bar));
    bar.finish_and_clear();
    let files = match backtest::report::write(&report, &args.out) {
        Ok(files) => files,
        Err(e) => return fail(false, &format!("writing the report: {e}")),
    };
    print!("{}", backtest::report::table(&report));
    println!(
        "{} steps, {} policies in {:.1} s; implied vol: DVOL on {} steps, else {:.3} x realised (RMSE {:.1} pts)",
        report.steps,
        report.runs.len(),
        report.seconds,
        report.dvol_steps,
        report.iv_over_rv,
        report.iv_over_rv_rmse_pts
    );
    for f in files {
        println!("wrote {}", f.display());
    }
    ExitCode::SUCCESS
}

/// `keeper stress --replay`'s options, taken out of [`StressArgs`] before the book is loaded.
struct ReplayOptions {
    selected: Vec<String>,
    from: Option<String>,
    to: Option<String>,
    replay_market: String,
    replay_hedge_cost_bps: f64,
    replay_vega_band: f64,
    replay_gamma_band: f64,
    replay_option_edge: f64,
    out: std::path::PathBuf,
}

fn replay_command(
    book: &exposure_vault_keeper::risk::stress::book::Book,
    args: &ReplayOptions,
) -> ExitCode {
    let selected = &args.selected;
    use exposure_vault_keeper::backtest::{data::MarketData, DataVol};
    use exposure_vault_keeper::risk::stress::replay;
    if !book.markets.contains_key(&args.replay_market) {
        return fail(
            false,
            &format!("the book has no market {}", args.replay_market),
        );
    }
    let data = match MarketData::committed() {
        Ok(data) => data,
        Err(e) => return fail(false, &e.to_string()),
    };
    let all = replay::episodes();
    let mut chosen = Vec::new();
    for s in selected {
        match s.as_str() {
            "all" => chosen.extend(all.iter().cloned()),
            n => match n
                .parse::<usize>()
                .ok()
                .and_then(|i| all.get(i.wrapping_sub(1)))
            {
                Some(e) => chosen.push(e.clone()),
                None => {
                    return fail(
                        false,
                        &format!("--replay: `all` or an episode 1..={}, not {n}", all.len()),
                    )
                }
            },
        }
    }
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        match (parse_day(from), parse_day(to)) {
            (Some(a), Some(b)) if b >= a => chosen.push(replay::Episode {
                name: format!("{from}..{to}"),
                from: a,
                to: b + 86_399,
            }),
            _ => {
                return fail(
                    false,
                    "--from/--to: YYYY-MM-DD days, --to not before --from",
                )
            }
        }
    } else if args.from.is_some() || args.to.is_some() {
        return fail(false, "--from and --to go together");
    }
    if chosen.is_empty() {
        chosen = all;
    }
    let vol = DataVol::new(&data);
    let positive = |fraction: f64| (fraction > 0.0).then_some(fraction);
    let bands = GreekBands {
        vega_max_usd: None,
        vega_max_nav_fraction: positive(args.replay_vega_band),
        gamma_max_usd: None,
        gamma_max_nav_fraction: positive(args.replay_gamma_band),
        high_vol_threshold: greek_bands::DVOL_TOP_DECILE,
        high_vol_scale: 0.5,
        // The edge is the replay's cost assumption, not a keeper limit.
        max_vol_edge: 1.0,
    };
    let hedging = replay::Hedging {
        perp_cost_bps: args.replay_hedge_cost_bps,
        greek_bands: bands.is_valid().then_some(bands),
        // Stress books carry no risk parameters: the preset market's caps weigh the rule.
        caps: OptionRiskCaps::of(&exposure_vault::state::MarketRiskParams::PRESET),
        option_edge: args.replay_option_edge,
    };
    let mut reports = Vec::new();
    for episode in &chosen {
        let path = replay::window(&data.prices, episode);
        if path.len() < 2 {
            return fail(
                false,
                &format!("{}: no price data in the window", episode.name),
            );
        }
        reports.push(replay::replay(
            book,
            &args.replay_market,
            episode,
            &path,
            &vol,
            vol.source_at(episode.from),
            &hedging,
        ));
    }
    let files = match replay::write(&reports, &args.out) {
        Ok(files) => files,
        Err(e) => return fail(false, &format!("writing the report: {e}")),
    };
    print!("{}", replay::table(&reports));
    print!("\n{}", replay::policy_table(&reports));
    for f in files {
        println!("wrote {}", f.display());
    }
    ExitCode::SUCCESS
}

fn margin_command(path: &std::path::Path, json: bool) -> ExitCode {
    use exposure_vault_keeper::risk::{margin, stress::book::Book};
    let book = match Book::load(path) {
        Ok(book) => book,
        Err(e) => return fail(json, &e.to_string()),
    };
    let margins = margin::account_margins(&book, &exposure_vault::state::MarketRiskParams::PRESET);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&margins).expect("serialise margins")
        );
    } else {
        print!("{}", margin::render(&margins));
    }
    ExitCode::SUCCESS
}

fn stress_command(args: StressArgs) -> ExitCode {
    use exposure_vault_keeper::risk::stress;
    let replay = args.replay.clone().map(|selected| ReplayOptions {
        selected,
        from: args.from.clone(),
        to: args.to.clone(),
        replay_market: args.replay_market.clone(),
        replay_hedge_cost_bps: args.replay_hedge_cost_bps,
        replay_vega_band: args.replay_vega_band,
        replay_gamma_band: args.replay_gamma_band,
        replay_option_edge: args.replay_option_edge,
        out: args.out.clone(),
    });
    let loaded = match args.book {
        Some(path) => stress::book::Book::load(&path).map_err(|e| e.to_string()),
        None => match args.chain.load() {
            Ok(config) => runtime()
                .block_on(chain_book(config))
                .map_err(|e| format!("{e:#}"))
                .and_then(|file| stress::book::Book::new(file).map_err(|e| e.to_string())),
            Err(e) => Err(e.to_string()),
        },
    };
    let mut book = match loaded {
        Ok(book) => book,
        Err(e) => return fail(false, &e),
    };
    if args.margin == "portfolio" {
        book.margin_rule = exposure_vault_keeper::risk::margin::MarginRule::Portfolio;
    }
    if let Some(path) = args.save_book {
        let json = serde_json::to_string_pretty(&book.file).expect("serialise the book");
        if let Err(e) = std::fs::write(&path, json) {
            return fail(false, &format!("{}: {e}", path.display()));
        }
    }
    if let Some(options) = &replay {
        return replay_command(&book, options);
    }
    let prices = match stress::calibrate::PriceSeries::load(&args.prices) {
        Ok(p) => p,
        Err(e) => return fail(false, &e.to_string()),
    };
    if args.paths == 0 {
        return fail(false, "--paths must be > 0");
    }
    // The volatility cycle replays March 2020 from the committed data when it is there.
    let cycle = match exposure_vault_keeper::backtest::data::MarketData::committed() {
        Ok(data) => stress::real_cycle(&data),
        Err(_) => stress::scripted_cycle(),
    };
    let config = stress::StressConfig {
        paths: args.paths,
        seed: args.seed,
        cascade_shocks: args.cascade_shock,
        progress: true,
        cycle,
        ..stress::StressConfig::default()
    };
    let report = stress::run(&book, &prices, &config);
    let files = match stress::report::write(&report, &args.out) {
        Ok(files) => files,
        Err(e) => return fail(false, &format!("writing the report: {e}")),
    };
    let w = &report.grid.worst;
    println!(
        "worst grid scenario: spot {:+.0}% {}: P&L {:.0} USD",
        w.spot_shock * 100.0,
        w.vol_shock,
        w.pnl
    );
    for mc in &report.monte_carlo {
        if let Some(d) = mc.horizons.iter().find(|h| h.horizon == "1d") {
            println!(
                "{:<28} 1d VaR99 unhedged {:>10.0} hedged {:>10.0}   {:.0} paths/s",
                mc.model, d.unhedged.var_99, d.hedged.var_99, mc.paths_per_sec
            );
        }
    }
    for c in &report.cascades {
        println!(
            "cascade {} {:+.0}%: {} liquidated, bad debt {:.0}, insurance drawdown {:.0}",
            c.market,
            c.initial_shock * 100.0,
            c.accounts_liquidated,
            c.bad_debt,
            c.insurance_drawdown
        );
    }
    for f in files {
        println!("wrote {}", f.display());
    }
    ExitCode::SUCCESS
}

/// `keeper bench`: Greeks and implied-vol throughput without criterion.
fn bench(n: usize, json: bool) -> ExitCode {
    let r = exposure_vault_keeper::bench::run(n);
    if json {
        println!("{}", serde_json::to_string(&r).expect("serialise"));
    } else {
        println!(
            "greeks_per_sec {:.0}\niv_per_sec     {:.0}",
            r.greeks_per_sec, r.iv_per_sec
        );
    }
    ExitCode::SUCCESS
}

fn fail(json: bool, message: &str) -> ExitCode {
    if json {
        println!("{}", serde_json::json!({ "error": message }));
    } else {
        eprintln!("error: {message}");
    }
    ExitCode::FAILURE
}
