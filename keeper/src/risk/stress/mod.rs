//! `keeper stress`: the vault's book under a spot × vol scenario grid, fat-tailed Monte Carlo
//! (GARCH(1,1)-t, jump-diffusion and regime-switching paths calibrated from a price series),
//! hedged by the keeper's band policy and not, a volatility-cycle replay, and liquidation
//! cascades with price impact; written as HTML with SVG plots and JSON.
pub mod book;
pub mod calibrate;
pub mod cascade;
pub mod grid;
pub mod montecarlo;
pub mod onchain;
pub mod replay;
pub mod report;

use serde::Serialize;

use book::Book;
use calibrate::{Garch, JumpDiffusion, PriceSeries};
use montecarlo::{
    horizon_stats, ladder_for, simulate, HorizonStats, McConfig, Model, HORIZONS, STEP_SECS,
};

#[derive(Clone, Debug)]
pub struct StressConfig {
    pub paths: usize,
    pub seed: u64,
    pub hedge_cost: f64,
    /// Relative price shocks the cascades start from.
    pub cascade_shocks: Vec<f64>,
    pub impact: cascade::ImpactModel,
    pub progress: bool,
    /// The volatility cycle's segments: the scripted one by default, the real calm → crisis →
    /// recovery of March 2020 from [`real_cycle`] in `keeper stress`.
    pub cycle: Vec<CycleSegment>,
}

/// One stretch of the volatility cycle: its length, the annual vol spot moves with, and how
/// much the book's surface is scaled.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CycleSegment {
    pub name: String,
    pub hours: f64,
    pub vol: f64,
    pub surface_scale: f64,
}

/// The scripted cycle: 24 h calm at 45%, 48 h crisis at 120%, 72 h recovery at 70%.
pub fn scripted_cycle() -> Vec<CycleSegment> {
    [
        ("calm", 24.0, 0.45, 1.0),
        ("crisis", 48.0, 1.2, 1.8),
        ("recovery", 72.0, 0.7, 1.3),
    ]
    .into_iter()
    .map(|(name, hours, vol, surface_scale)| CycleSegment {
        name: name.into(),
        hours,
        vol,
        surface_scale,
    })
    .collect()
}

/// The real cycle around Black Thursday, from the committed 2 h BTC/USDT closes: the 24 h of
/// 2020-03-05 (calm), 2020-03-12..13 (crisis, 48 h), 2020-03-14..16 (recovery, 72 h). Each
/// segment's vol is its realised vol; the surface scales with the implied-vol mapping
/// ([`crate::backtest::DataVol`]) at the segment's end against the calm one's.
pub fn real_cycle(data: &crate::backtest::data::MarketData) -> Vec<CycleSegment> {
    use crate::backtest::engine::{VolSource, YEAR_SECS};
    let implied = crate::backtest::DataVol::new(data);
    let day = 86_400;
    let segments = [
        ("calm 2020-03-05", 1_583_366_400i64, 1i64),
        ("crisis 2020-03-12..13", 1_583_971_200, 2),
        ("recovery 2020-03-14..16", 1_584_144_000, 3),
    ];
    let calm_iv = implied.atm_vol(segments[0].1 + day);
    segments
        .iter()
        .map(|&(name, from, days)| {
            let to = from + days * day;
            let bars: Vec<_> = data
                .prices
                .iter()
                .filter(|b| b.ts >= from && b.ts <= to)
                .collect();
            let sum_sq: f64 = bars
                .windows(2)
                .map(|w| (w[1].close / w[0].close).ln().powi(2))
                .sum();
            let span = (to - from) as f64;
            CycleSegment {
                name: name.into(),
                hours: (days * 24) as f64,
                vol: (sum_sq * YEAR_SECS / span).sqrt(),
                surface_scale: implied.atm_vol(to) / calm_iv,
            }
        })
        .collect()
}

impl Default for StressConfig {
    fn default() -> Self {
        Self {
            paths: 20_000,
            seed: 7,
            hedge_cost: 0.001,
            cascade_shocks: vec![-0.2],
            impact: cascade::ImpactModel::default(),
            progress: false,
            cycle: scripted_cycle(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct McReport {
    pub model: &'static str,
    pub parameters: Model,
    pub paths: usize,
    pub horizons: Vec<HorizonStats>,
    pub paths_per_sec: f64,
    #[serde(skip)]
    pub day_pnl_unhedged: Vec<f64>,
    #[serde(skip)]
    pub day_pnl_hedged: Vec<f64>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CycleReport {
    pub segments: Vec<CycleSegment>,
    pub hours: Vec<f64>,
    pub median: Vec<f64>,
    pub p01: Vec<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StressReport {
    pub nav_usd: f64,
    pub grid: grid::GridReport,
    pub monte_carlo: Vec<McReport>,
    pub volatility_cycle: CycleReport,
    pub cascades: Vec<cascade::CascadeReport>,
}

fn bar(cfg: &StressConfig, len: u64, what: &str) -> Option<indicatif::ProgressBar> {
    cfg.progress.then(|| {
        let bar = indicatif::ProgressBar::new(len);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:28} {bar:40} {pos}/{len} paths ({per_sec}, eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message(what.to_string());
        bar
    })
}

/// Monte Carlo of the whole book under `model`: markets simulated independently, P&L summed
/// path by path.
pub fn monte_carlo(book: &Book, model: &Model, cfg: &StressConfig, horizon_secs: f64) -> McReport {
    let checkpoints: Vec<f64> = HORIZONS
        .iter()
        .map(|(_, s)| *s)
        .filter(|s| *s <= horizon_secs)
        .collect();
    let mc = McConfig {
        paths: cfg.paths,
        horizon_secs,
        seed: cfg.seed,
        hedge_cost: cfg.hedge_cost,
    };
    let mut unhedged = vec![vec![0.0; cfg.paths]; checkpoints.len()];
    let mut hedged = unhedged.clone();
    let mut seconds = 0.0;
    for (i, symbol) in book.markets.keys().enumerate() {
        let file = &book.file.markets[symbol];
        if book.positions_in(symbol).next().is_none() && file.hedge == 0.0 {
            continue;
        }
        let ladder = ladder_for(book, symbol, model, horizon_secs);
        let progress = bar(cfg, cfg.paths as u64, &format!("{} {symbol}", model.name()));
        let sim = simulate(
            &ladder,
            model,
            file.hedge,
            file.band_usd,
            &McConfig {
                seed: cfg.seed.wrapping_add(i as u64),
                ..mc
            },
            &checkpoints,
            progress.as_ref(),
        );
        if let Some(bar) = progress {
            bar.finish();
        }
        seconds += cfg.paths as f64 / sim.paths_per_sec;
        for k in 0..checkpoints.len() {
            for p in 0..cfg.paths {
                unhedged[k][p] += sim.unhedged[k][p];
                hedged[k][p] += sim.hedged[k][p];
            }
        }
    }
    let day = checkpoints.iter().position(|s| *s == 86_400.0).unwrap_or(0);
    McReport {
        model: model.name(),
        parameters: *model,
        paths: cfg.paths,
        horizons: horizon_stats(&unhedged, &hedged),
        paths_per_sec: cfg.paths as f64 / seconds.max(1e-9),
        day_pnl_unhedged: unhedged.get(day).cloned().unwrap_or_default(),
        day_pnl_hedged: hedged.get(day).cloned().unwrap_or_default(),
    }
}

/// The volatility-cycle replay over `cfg.cycle`'s segments (calm, crisis, recovery), each
/// segment's vol moving spot and its scale applied to the surface the book is revalued on; NAV
/// median and 1st percentile by hour.
pub fn volatility_cycle(book: &Book, cfg: &StressConfig) -> CycleReport {
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal};
    let schedule: Vec<(f64, f64, f64)> = cfg
        .cycle
        .iter()
        .map(|s| (s.hours, s.vol, s.surface_scale))
        .collect();
    let hours: f64 = schedule.iter().map(|s| s.0).sum();
    // Full revaluation every hour of every path: bounded work for large books.
    let positions = book.file.positions.len().max(1);
    let paths = (cfg.paths / 10)
        .clamp(200, 5_000)
        .min((20_000_000 / positions / 144).max(50));
    let unit = Normal::new(0.0, 1.0).expect("unit normal");
    let mut navs = vec![vec![book.file.nav_usd; paths]; hours as usize + 1];
    for (m, symbol) in book.markets.keys().enumerate() {
        let state = &book.markets[symbol];
        let hedge = book.file.markets[symbol].hedge;
        let positions: Vec<_> = book.positions_in(symbol).cloned().collect();
        let base = book.base_value(symbol);
        let mut rng = rand::rngs::StdRng::seed_from_u64(cfg.seed.wrapping_add(1_000 + m as u64));
        let mut spots = vec![state.spot; paths];
        let mut hour = 0usize;
        for &(duration, vol, surface_scale) in &schedule {
            let sd = vol * (3_600.0f64 / (365.0 * 86_400.0)).sqrt();
            for _ in 0..duration as usize {
                hour += 1;
                let elapsed = hour as f64 * 3_600.0 / (365.0 * 86_400.0);
                for (p, spot) in spots.iter_mut().enumerate() {
                    *spot *= (sd * unit.sample(&mut rng) - 0.5 * sd * sd).exp();
                    let (value, _) = book::revalue(
                        positions.iter(),
                        state,
                        *spot,
                        |_, v| v * surface_scale,
                        elapsed,
                    );
                    navs[hour][p] += value - base + hedge * (*spot - state.spot);
                }
            }
        }
    }
    let mut median = Vec::with_capacity(navs.len());
    let mut p01 = Vec::with_capacity(navs.len());
    for row in &mut navs {
        row.sort_by(f64::total_cmp);
        median.push(row[row.len() / 2]);
        p01.push(row[row.len() / 100]);
    }
    CycleReport {
        segments: cfg.cycle.clone(),
        hours: (0..navs.len()).map(|h| h as f64).collect(),
        median,
        p01,
    }
}

/// Every part of the report. `prices` calibrates the GARCH-t and jump-diffusion models.
pub fn run(book: &Book, prices: &PriceSeries, cfg: &StressConfig) -> StressReport {
    let garch = Garch::fit(prices).at_step(STEP_SECS);
    let jumps = JumpDiffusion::fit(prices).at_step(STEP_SECS);
    let horizon = HORIZONS[2].1;
    let monte_carlo = [
        Model::GarchT(garch),
        Model::JumpDiffusion(jumps),
        Model::volatility_cycle(),
    ]
    .iter()
    .map(|model| monte_carlo(book, model, cfg, horizon))
    .collect();
    let cascades = book
        .markets
        .keys()
        .filter(|m| book.file.accounts.iter().any(|a| &a.market == *m))
        .flat_map(|m| cfg.cascade_shocks.iter().map(move |s| (m, *s)))
        .map(|(m, s)| cascade::run(book, m, s, &cfg.impact, 50))
        .collect();
    StressReport {
        nav_usd: book.file.nav_usd,
        grid: grid::run(book),
        monte_carlo,
        volatility_cycle: volatility_cycle(book, cfg),
        cascades,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_real_cycle_is_calm_then_crisis_then_recovery() {
        let data = crate::backtest::data::MarketData::committed().expect("data");
        let cycle = super::real_cycle(&data);
        let hours: Vec<f64> = cycle.iter().map(|s| s.hours).collect();
        assert_eq!(hours, [24.0, 48.0, 72.0]);
        let (calm, crisis, recovery) = (&cycle[0], &cycle[1], &cycle[2]);
        assert!(crisis.vol > 2.0 * calm.vol, "{cycle:?}");
        assert!(recovery.vol < crisis.vol);
        assert!((calm.surface_scale - 1.0).abs() < 1e-12);
        assert!(crisis.surface_scale > 1.0 && recovery.surface_scale > 1.0);
    }
}
