//! Monte Carlo performance: 100,000 paths × 1 day at 5-minute steps for a 1,000-position book,
//! GARCH(1,1)-t calibrated from examples/btc-prices.csv, keeper band hedging on, all cores.
//! Runs once (a benchmark, not a timed test; the target is < 60 s on the 2-core CI machine) and
//! writes `target/reports/stress-mc.json`.
use std::collections::BTreeMap;
use std::time::Instant;

use exposure_vault_keeper::pricing::svi::SviRaw;
use exposure_vault_keeper::risk::stress::book::{Book, BookFile, MarginFactors, MarketFile};
use exposure_vault_keeper::risk::stress::calibrate::{Garch, PriceSeries};
use exposure_vault_keeper::risk::stress::montecarlo::{Model, STEP_SECS};
use exposure_vault_keeper::risk::stress::{monte_carlo, StressConfig};

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let prices = PriceSeries::load(&root.join("examples/btc-prices.csv")).expect("example prices");
    let model = Model::GarchT(Garch::fit(&prices).at_step(STEP_SECS));
    let days = [7.0, 14.0, 30.0, 60.0, 90.0, 180.0];
    let years: Vec<f64> = days.iter().map(|d| d / 365.0).collect();
    let positions = exposure_vault_keeper::bench::random_btc_book(1_000, 1, &years, -2.0..1.0);
    let surface = days
        .iter()
        .map(|d| {
            let t = d / 365.0;
            (
                t,
                SviRaw {
                    a: 0.32 * t,
                    b: 0.1 * t.sqrt(),
                    rho: -0.3,
                    m: 0.0,
                    sigma: 0.1,
                },
            )
        })
        .collect();
    let book = Book::new(BookFile {
        nav_usd: 10_000_000.0,
        insurance_usd: 0.0,
        markets: BTreeMap::from([(
            "BTC".to_string(),
            MarketFile {
                spot: 65_000.0,
                surface,
                hedge: 0.0,
                band_usd: Some(50_000.0),
            },
        )]),
        positions,
        accounts: vec![],
        margin: MarginFactors::default(),
    })
    .expect("bench book");
    let paths = std::env::var("STRESS_PATHS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let cfg = StressConfig {
        paths,
        ..StressConfig::default()
    };
    let started = Instant::now();
    let report = monte_carlo(&book, &model, &cfg, 86_400.0);
    let total = started.elapsed().as_secs_f64();
    let json = format!(
        "{{\n  \"positions\": 1000,\n  \"paths\": {paths},\n  \"steps\": 288,\n  \"threads\": {},\n  \"total_s\": {total:.2},\n  \"simulation_paths_per_s\": {:.0}\n}}\n",
        rayon::current_num_threads(),
        report.paths_per_sec
    );
    let dir = root.join("target/reports");
    std::fs::create_dir_all(&dir).expect("target/reports");
    std::fs::write(dir.join("stress-mc.json"), &json).expect("write stress-mc.json");
    println!("stress Monte Carlo (ladder build + simulation):\n{json}");
}
