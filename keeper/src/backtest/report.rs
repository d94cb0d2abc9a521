//! The backtest report: NAV curves, return against drawdown per policy, weekly returns, and the
//! P&L attribution; `report.html`, `report.json` and SVG plots (plotters), as `keeper stress`.
use plotters::prelude::*;

use super::engine::YEAR_SECS;
use super::BacktestReport;

use crate::plots::{md_table_html, svg as svg_sized, write_bundle, PlotResult};

const COLORS: [RGBColor; 7] = [
    RGBColor(120, 120, 120),
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(214, 39, 40),
    RGBColor(23, 190, 207),
];

fn svg(
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> PlotResult {
    svg_sized((760, 420), draw)
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// NAV per policy, in millions, against years since the start.
pub fn nav_curves(report: &BacktestReport) -> PlotResult {
    let start = report.config.from;
    let years = |t: i64| (t - start) as f64 / YEAR_SECS;
    let end = report
        .runs
        .iter()
        .filter_map(|r| r.nav.last())
        .map(|(t, _)| years(*t))
        .fold(1.0, f64::max);
    let (lo, hi) = report
        .runs
        .iter()
        .flat_map(|r| r.nav.iter().map(|(_, v)| v / 1e6))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let pad = ((hi - lo) * 0.05).max(0.1);
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Vault NAV by hedge policy (USD millions)",
                ("sans-serif", 18),
            )
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..end, (lo - pad)..(hi + pad))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("years since the start")
            .y_desc("NAV, USD m")
            .draw()
            .map_err(err)?;
        for (i, run) in report.runs.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            chart
                .draw_series(LineSeries::new(
                    run.nav.iter().map(|(t, v)| (years(*t), v / 1e6)),
                    color.stroke_width(2),
                ))
                .map_err(err)?
                .label(run.policy.name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(err)
    })
}

/// Annual return against maximum drawdown, one point per policy.
pub fn return_vs_drawdown(report: &BacktestReport) -> PlotResult {
    let points: Vec<(f64, f64, String)> = report
        .runs
        .iter()
        .map(|r| {
            (
                r.max_drawdown * 100.0,
                r.annual_return * 100.0,
                r.policy.name.clone(),
            )
        })
        .collect();
    let (x_hi, (y_lo, y_hi)) = (
        points.iter().map(|p| p.0).fold(1.0, f64::max) * 1.15,
        points
            .iter()
            .map(|p| p.1)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            }),
    );
    let pad = ((y_hi - y_lo) * 0.15).max(1.0);
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Annual return against maximum drawdown, per policy",
                ("sans-serif", 18),
            )
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x_hi, (y_lo - pad)..(y_hi + pad))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("maximum drawdown, %")
            .y_desc("annual return, %")
            .draw()
            .map_err(err)?;
        for (i, (x, y, name)) in points.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            chart
                .draw_series(std::iter::once(Circle::new((*x, *y), 6, color.filled())))
                .map_err(err)?
                .label(name.clone())
                .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(err)
    })
}

/// Weekly returns of the unhedged run and the first banded one, as histograms (percent).
pub fn weekly_returns(report: &BacktestReport) -> PlotResult {
    let shown: Vec<_> = report.runs.iter().take(3).collect();
    if shown.is_empty() {
        return Ok(String::new());
    }
    let (lo, hi) = (-20.0f64, 10.0f64);
    let bins = 60usize;
    let width = (hi - lo) / bins as f64;
    let counts: Vec<Vec<u32>> = shown
        .iter()
        .map(|r| {
            let mut c = vec![0u32; bins];
            for w in &r.weekly_returns {
                let i = (((w * 100.0).clamp(lo, hi - 1e-9) - lo) / width) as usize;
                c[i] += 1;
            }
            c
        })
        .collect();
    let top = counts.iter().flatten().copied().max().unwrap_or(1) as f64 * 1.1;
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Weekly returns (clamped to −20%…+10%)", ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(50)
            .build_cartesian_2d(lo..hi, 0.0..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("weekly return, %")
            .y_desc("weeks")
            .draw()
            .map_err(err)?;
        for (i, (run, c)) in shown.iter().zip(&counts).enumerate() {
            let color = COLORS[i % COLORS.len()];
            chart
                .draw_series(LineSeries::new(
                    c.iter()
                        .enumerate()
                        .map(|(b, n)| (lo + (b as f64 + 0.5) * width, f64::from(*n))),
                    color.stroke_width(2),
                ))
                .map_err(err)?
                .label(run.policy.name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(err)
    })
}

fn m(x: f64) -> String {
    format!("{:.2}", x / 1e6)
}

fn date(ts: i64) -> String {
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = ts.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02}")
}

/// The comparison table as Markdown (for docs/ and the terminal).
pub fn table(report: &BacktestReport) -> String {
    let mut out = String::from(
        "| policy | final NAV $m | annual return | annual vol | max drawdown | worst 2 h | hedge trades | option hedges | delta P&L $m | gamma/theta $m | vega $m | spread+fees $m | hedge costs $m | option-hedge costs $m | funding $m |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in &report.runs {
        let a = &r.attribution;
        out.push_str(&format!(
            "| {} | {} | {:.1}% | {:.1}% | {:.1}% | {} ({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.policy.name,
            m(r.final_nav),
            r.annual_return * 100.0,
            r.annual_vol * 100.0,
            r.max_drawdown * 100.0,
            m(r.worst_step.1),
            date(r.worst_step.0),
            r.hedge_trades,
            r.option_hedges,
            m(a.delta),
            m(a.gamma_theta),
            m(a.vega),
            m(a.spread_and_fees),
            m(a.hedge_costs),
            m(a.option_hedge_costs),
            m(a.funding),
        ));
    }
    out
}

/// Writes `report.html`, `report.json` and the SVGs into `dir`.
pub fn write(
    report: &BacktestReport,
    dir: &std::path::Path,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    let f = &report.config.flow;
    let mut body = format!(
        "<p>{} → {}, {} steps of 2 h (Binance BTC/USDT), {} price gaps. Start NAV ${}m. Every week traders buy a {:.0}-day {:.0}-delta call and put, each {:.1}% of NAV in notional, at Black-76 on the program's surface shape (SVI ρ = {}) plus {} bps spread and {} bps fee. Implied vol: DVOL where it exists ({} steps), otherwise {:.3} × trailing 30-day realised vol (fitted on the DVOL years, RMSE {:.1} vol points). The perpetual pays the real Binance funding.</p><h2>Policies</h2>",
        date(report.config.from),
        date(report.config.to),
        report.steps,
        report.price_gaps.len(),
        m(report.config.initial_nav),
        f.tenor_days,
        f.call_delta * 100.0,
        f.notional_fraction * 100.0,
        report.smile.rho,
        f.spread_bps,
        f.fee_bps,
        report.dvol_steps,
        report.iv_over_rv,
        report.iv_over_rv_rmse_pts,
    );
    body.push_str(&md_table_html(&table(report)));
    let plots = vec![
        ("nav".into(), "NAV".into(), nav_curves(report)),
        (
            "return-vs-drawdown".into(),
            "Return against drawdown".into(),
            return_vs_drawdown(report),
        ),
        (
            "weekly-returns".into(),
            "Weekly returns".into(),
            weekly_returns(report),
        ),
    ];
    write_bundle(
        dir,
        "report",
        "Exposure Vault backtest",
        &body,
        plots,
        report,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_civil() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(1_568_102_400), "2019-09-10");
        assert_eq!(super::date(1_709_164_800), "2024-02-29");
    }
}
