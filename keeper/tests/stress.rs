//! `keeper stress` known answers, reproducibility and bad inputs.
use std::collections::BTreeMap;

use exposure_vault_keeper::pricing::black::{greeks_unchecked, OptionKind};
use exposure_vault_keeper::pricing::svi::SviRaw;
use exposure_vault_keeper::risk::portfolio::Position;
use exposure_vault_keeper::risk::stress::book::{
    AccountFile, Book, BookError, BookFile, MarginFactors, MarketFile,
};
use exposure_vault_keeper::risk::stress::calibrate::{Garch, PriceSeries, SeriesError};
use exposure_vault_keeper::risk::stress::grid::{shocked, VolShock};
use exposure_vault_keeper::risk::stress::montecarlo::{tail_stats, Model};
use exposure_vault_keeper::risk::stress::{cascade, monte_carlo, StressConfig};
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};

const FLAT: VolShock = VolShock {
    name: "flat",
    points_30d: 0.0,
};

/// A flat 60% surface (b = 0 so vol does not depend on moneyness).
fn flat_surface() -> Vec<(f64, SviRaw)> {
    [0.1, 0.5]
        .iter()
        .map(|&t| {
            (
                t,
                SviRaw {
                    a: 0.36 * t,
                    b: 0.0,
                    rho: 0.0,
                    m: 0.0,
                    sigma: 0.1,
                },
            )
        })
        .collect()
}

fn book(
    positions: Vec<Position>,
    hedge: f64,
    accounts: Vec<AccountFile>,
) -> Result<Book, BookError> {
    Book::new(BookFile {
        nav_usd: 1_000_000.0,
        insurance_usd: 10_000.0,
        markets: BTreeMap::from([(
            "BTC".to_string(),
            MarketFile {
                spot: 100.0,
                surface: flat_surface(),
                hedge,
                band_usd: Some(5.0),
            },
        )]),
        positions,
        accounts,
        margin: MarginFactors::default(),
    })
}

fn call(size: f64) -> Position {
    Position {
        market: "BTC".into(),
        kind: OptionKind::Call,
        strike: 100.0,
        t: 0.25,
        size,
    }
}

#[test]
fn a_delta_hedged_option_earns_half_gamma_times_the_move_squared() {
    let g = greeks_unchecked(OptionKind::Call, 100.0, 100.0, 0.25, 0.6, 0.0);
    let b = book(vec![call(10.0)], -10.0 * g.delta, vec![]).expect("book");
    for shock in [0.005, -0.01, 0.01] {
        let ds = 100.0 * shock;
        let expected = 0.5 * 10.0 * g.gamma * ds * ds;
        let pnl = shocked(&b, shock, &FLAT).pnl;
        assert!(
            (pnl - expected).abs() < 0.03 * expected,
            "shock {shock}: {pnl} vs ½ΓΔS² {expected}"
        );
    }
}

#[test]
fn var_and_es_of_a_normal_match_the_closed_form() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let normal = Normal::new(0.0, 1_000.0).expect("normal");
    let pnl: Vec<f64> = (0..400_000).map(|_| normal.sample(&mut rng)).collect();
    let s = tail_stats(&pnl);
    // z(0.99) = 2.3263, ES = φ(z)/0.01 = 2.6652; z(0.95) = 1.6449, ES = 2.0627.
    for (got, want) in [
        (s.var_99, 2_326.3),
        (s.es_99, 2_665.2),
        (s.var_95, 1_644.9),
        (s.es_95, 2_062.7),
    ] {
        assert!((got - want).abs() < 0.02 * want, "{got} vs {want}");
    }
}

#[test]
fn monte_carlo_is_reproducible_with_a_seed() {
    let b = book(vec![call(-5.0)], 2.0, vec![]).expect("book");
    let cfg = StressConfig {
        paths: 3_000,
        seed: 99,
        ..StressConfig::default()
    };
    let model = Model::volatility_cycle();
    let one = monte_carlo(&b, &model, &cfg, 86_400.0);
    let two = monte_carlo(&b, &model, &cfg, 86_400.0);
    assert_eq!(one.horizons[1].unhedged, two.horizons[1].unhedged);
    assert_eq!(one.day_pnl_hedged, two.day_pnl_hedged);
    let other = monte_carlo(&b, &model, &StressConfig { seed: 100, ..cfg }, 86_400.0);
    assert_ne!(one.day_pnl_hedged, other.day_pnl_hedged);
    // The band policy keeps the short option's 1-day tail below the unhedged one.
    assert!(one.horizons[1].hedged.var_99 < one.horizons[1].unhedged.var_99);
}

#[test]
fn garch_fit_finds_the_persistence_of_a_garch_series() {
    let (omega, alpha, beta): (f64, f64, f64) = (1e-6, 0.08, 0.9);
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let t = rand_distr::StudentT::new(5.0).expect("t");
    let mut var = omega / (1.0 - alpha - beta);
    let mut price = 100.0f64;
    let mut csv = String::from("timestamp,price\n");
    for i in 0..4_000 {
        let r = var.sqrt() * t.sample(&mut rng) * (3.0f64 / 5.0).sqrt();
        var = omega + alpha * r * r + beta * var;
        price *= r.exp();
        csv.push_str(&format!("{},{price}\n", 1_000 + i * 3_600));
    }
    let fit = Garch::fit(&PriceSeries::parse(&csv).expect("series"));
    assert!((fit.alpha + fit.beta - 0.98).abs() < 0.03, "{fit:?}");
    assert!(fit.nu <= 8.0, "fat tails found: {fit:?}");
    assert_eq!(fit.step_secs, 3_600.0);
}

#[test]
fn a_crash_liquidates_short_puts_and_the_cascade_stops() {
    let put = |size| Position {
        market: "BTC".into(),
        kind: OptionKind::Put,
        strike: 100.0,
        t: 0.25,
        size,
    };
    let account = |id: &str, collateral| AccountFile {
        id: id.into(),
        market: "BTC".into(),
        collateral_usd: collateral,
        positions: vec![put(-10.0)],
        perp: 0.0,
        perp_entry: 0.0,
    };
    let b = book(
        vec![put(20.0)],
        0.0,
        vec![account("thin", 200.0), account("thick", 5_000.0)],
    )
    .expect("book");
    let calm = cascade::run(&b, "BTC", 0.0, &cascade::ImpactModel::default(), 20);
    assert_eq!(calm.accounts_liquidated, 0);
    let crash = cascade::run(
        &b,
        "BTC",
        -0.3,
        &cascade::ImpactModel {
            coefficient: 1.0,
            depth_usd: 1_000.0,
        },
        20,
    );
    assert!(crash.accounts_liquidated >= 1);
    assert!(crash.rounds.len() >= 2 && crash.rounds.len() <= 21);
    assert!(crash.bad_debt >= 0.0 && crash.insurance_drawdown <= 10_000.0 + 1e-9);
    assert!(
        (crash.bad_debt - crash.insurance_drawdown.min(crash.bad_debt) - crash.socialised).abs()
            < 1e-6
    );
}

#[test]
fn bad_inputs_are_named() {
    assert!(matches!(book(vec![], 0.0, vec![]), Err(BookError::Empty)));
    let mut stray = call(1.0);
    stray.market = "ETH".into();
    assert!(matches!(
        book(vec![stray], 0.0, vec![]),
        Err(BookError::UnknownMarket(0, _))
    ));
    assert!(matches!(
        PriceSeries::parse("timestamp,price\n1,100\n2,abc\n"),
        Err(SeriesError::Malformed { line: 3, .. })
    ));
    assert!(matches!(
        PriceSeries::parse("1,100\n2,101\n"),
        Err(SeriesError::TooShort { need: 50, got: 2 })
    ));
    let backwards: String = (0..60)
        .map(|i| format!("{},{}\n", 100 - i, 100 + i))
        .collect();
    assert!(matches!(
        PriceSeries::parse(&backwards),
        Err(SeriesError::NotIncreasing(2))
    ));
    assert!(matches!(
        PriceSeries::parse("1,100,3\n"),
        Err(SeriesError::Malformed { line: 1, .. })
    ));
    assert!(Book::load(std::path::Path::new("/nonexistent/book.json")).is_err());
}

#[test]
fn the_example_book_and_prices_load() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let book = Book::load(&root.join("examples/demo-book.json")).expect("example book");
    assert!(book.file.positions.len() > 10 && book.file.accounts.len() > 10);
    let prices = PriceSeries::load(&root.join("examples/btc-prices.csv")).expect("example prices");
    assert_eq!(prices.step_secs, 3_600.0);
}
