use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use exposure_vault_keeper::pricing::{
    greeks, implied_vol, OptionKind, OptionParams, DAYS_PER_YEAR,
};

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
    /// Throughput of batch Greeks and implied-vol solves on one core.
    Bench {
        #[arg(long, default_value_t = 100_000)]
        n: usize,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Greeks { option: o, vol } => {
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
        }
        Command::Iv { option: o, price } => {
            if !(o.expiry_days.is_finite() && o.expiry_days > 0.0) {
                return fail(o.json, "expiry-days must be > 0");
            }
            match implied_vol(o.kind.into(), o.spot, o.strike, o.years(), o.rate, price) {
                Ok(iv) if o.json => println!("{}", serde_json::json!({ "iv": iv })),
                Ok(iv) => println!("iv {iv:.12}"),
                Err(e) => return fail(o.json, &e.to_string()),
            }
        }
        Command::Bench { n, json } => {
            let r = exposure_vault_keeper::bench::run(n);
            if json {
                println!("{}", serde_json::to_string(&r).expect("serialise"));
            } else {
                println!(
                    "greeks_per_sec {:.0}\niv_per_sec     {:.0}",
                    r.greeks_per_sec, r.iv_per_sec
                );
            }
        }
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
