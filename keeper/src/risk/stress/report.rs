//! The stress report: SVG plots (plotters), a self-contained HTML page and a JSON of every
//! figure.
use plotters::prelude::*;

use super::StressReport;

use crate::plots::PlotResult;

fn svg(
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> PlotResult {
    crate::plots::svg((720, 400), draw)
}

fn draw_legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())
}

fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = ((hi - lo) * 0.05).max(1.0);
    (lo - pad, hi + pad)
}

/// P&L against the spot shock, one line per vol shock (the extended grid).
pub fn pnl_vs_spot(report: &StressReport) -> PlotResult {
    let points = &report.grid.extended;
    let (lo, hi) = range(points.iter().map(|p| p.pnl));
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Vault P&L vs spot shock", ("sans-serif", 20))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(80)
            .build_cartesian_2d(-70.0..510.0, lo..hi)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("spot shock, %")
            .y_desc("P&L, USD")
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, vol) in super::grid::VOL_SHOCKS.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            let series: Vec<(f64, f64)> = points
                .iter()
                .filter(|p| p.vol_shock == vol.name)
                .map(|p| (p.spot_shock * 100.0, p.pnl))
                .collect();
            chart
                .draw_series(LineSeries::new(series, color.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(vol.name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        }
        draw_legend(&mut chart)
    })
}

/// Histogram of 1-day P&L (first model), hedged and unhedged, with VaR 99% marked.
pub fn pnl_histogram(report: &StressReport) -> PlotResult {
    let Some(mc) = report.monte_carlo.first() else {
        return Ok(String::new());
    };
    let (unhedged, hedged) = (&mc.day_pnl_unhedged, &mc.day_pnl_hedged);
    let (lo, hi) = range(unhedged.iter().chain(hedged).copied());
    let bins = 60;
    let width = (hi - lo) / bins as f64;
    let count = |v: &[f64]| {
        let mut c = vec![0u32; bins];
        for x in v {
            c[(((x - lo) / width) as usize).min(bins - 1)] += 1;
        }
        c
    };
    let (cu, ch) = (count(unhedged), count(hedged));
    let top = *cu.iter().chain(&ch).max().unwrap_or(&1) as f64 * 1.1;
    let day = mc.horizons.iter().find(|h| h.horizon == "1d");
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("1-day P&L, {} ({} paths)", mc.model, mc.paths),
                ("sans-serif", 20),
            )
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, 0.0..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("P&L, USD")
            .y_desc("paths")
            .draw()
            .map_err(|e| e.to_string())?;
        for (counts, color, name) in [
            (&cu, RED.mix(0.5), "unhedged"),
            (&ch, BLUE.mix(0.5), "hedged (keeper bands)"),
        ] {
            chart
                .draw_series(counts.iter().enumerate().map(|(i, c)| {
                    let x0 = lo + i as f64 * width;
                    Rectangle::new([(x0, 0.0), (x0 + width, *c as f64)], color.filled())
                }))
                .map_err(|e| e.to_string())?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 15, y + 5)], color.filled())
                });
        }
        if let Some(day) = day {
            for (var, color) in [(day.unhedged.var_99, RED), (day.hedged.var_99, BLUE)] {
                chart
                    .draw_series(LineSeries::new(
                        vec![(-var, 0.0), (-var, top)],
                        color.stroke_width(2),
                    ))
                    .map_err(|e| e.to_string())?;
            }
        }
        draw_legend(&mut chart)
    })
}

/// The cascade: price and vault NAV per round.
pub fn cascade_path(report: &StressReport) -> PlotResult {
    let Some(c) = report.cascades.first() else {
        return Ok(String::new());
    };
    let rounds = c.rounds.len() as f64;
    let (plo, phi) = range(c.rounds.iter().map(|r| r.price));
    let (nlo, nhi) = range(c.rounds.iter().map(|r| r.vault_nav));
    svg(|root| {
        let (left, right) = root.split_horizontally(360);
        for (area, (lo, hi), title, values, color) in [
            (
                &left,
                (plo, phi),
                format!(
                    "{} price, cascade from {:+.0}%",
                    c.market,
                    c.initial_shock * 100.0
                ),
                c.rounds.iter().map(|r| r.price).collect::<Vec<_>>(),
                RED,
            ),
            (
                &right,
                (nlo, nhi),
                "vault NAV".to_string(),
                c.rounds.iter().map(|r| r.vault_nav).collect(),
                BLUE,
            ),
        ] {
            let mut chart = ChartBuilder::on(area)
                .caption(title, ("sans-serif", 16))
                .margin(8)
                .x_label_area_size(30)
                .y_label_area_size(70)
                .build_cartesian_2d(0.0..rounds.max(1.0), lo..hi)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc("round")
                .draw()
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(LineSeries::new(
                    values.into_iter().enumerate().map(|(i, v)| (i as f64, v)),
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// NAV along the volatility-cycle replay (median and 1st percentile paths by hour).
pub fn nav_path(report: &StressReport) -> PlotResult {
    let cycle = &report.volatility_cycle;
    if cycle.hours.is_empty() {
        return Ok(String::new());
    }
    let (lo, hi) = range(cycle.p01.iter().chain(&cycle.median).copied());
    svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Vault NAV through a volatility cycle (calm → crisis → recovery)",
                ("sans-serif", 18),
            )
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..*cycle.hours.last().unwrap_or(&1.0), lo..hi)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("hours")
            .y_desc("NAV, USD")
            .draw()
            .map_err(|e| e.to_string())?;
        for (values, color, name) in [
            (&cycle.median, BLUE, "median"),
            (&cycle.p01, RED, "1st percentile"),
        ] {
            chart
                .draw_series(LineSeries::new(
                    cycle.hours.iter().copied().zip(values.iter().copied()),
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        }
        draw_legend(&mut chart)
    })
}

fn usd(x: f64) -> String {
    format!("{x:.0}")
}

/// Writes `report.html`, `report.json` and the SVGs into `dir`.
pub fn write(
    report: &StressReport,
    dir: &std::path::Path,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut html = String::new();
    html.push_str(&format!(
        "<p>NAV {} USD; worst grid scenario: spot {:+.0}% with {}: P&amp;L {} USD (NAV after {}).</p>",
        usd(report.nav_usd),
        report.grid.worst.spot_shock * 100.0,
        report.grid.worst.vol_shock,
        usd(report.grid.worst.pnl),
        usd(report.grid.worst.nav_after)
    ));
    html.push_str("<h2>Monte Carlo: VaR and expected shortfall (losses, USD)</h2><table><tr><th>model</th><th>horizon</th><th>policy</th><th>VaR 95</th><th>VaR 99</th><th>VaR 99.9</th><th>ES 95</th><th>ES 99</th><th>ES 99.9</th></tr>");
    for mc in &report.monte_carlo {
        for h in &mc.horizons {
            for (policy, s) in [("unhedged", &h.unhedged), ("hedged", &h.hedged)] {
                html.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{policy}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    mc.model, h.horizon, usd(s.var_95), usd(s.var_99), usd(s.var_999), usd(s.es_95), usd(s.es_99), usd(s.es_999)
                ));
            }
        }
    }
    html.push_str("</table>");
    for c in &report.cascades {
        html.push_str(&format!(
            "<h2>Liquidation cascade, {} from {:+.0}%</h2><p>{} accounts liquidated in {} rounds; bad debt {} USD; insurance drawdown {} USD; socialised {} USD; final price {:.2}.</p>",
            c.market,
            c.initial_shock * 100.0,
            c.accounts_liquidated,
            c.rounds.len() - 1,
            usd(c.bad_debt),
            usd(c.insurance_drawdown),
            usd(c.socialised),
            c.rounds.last().map_or(0.0, |r| r.price)
        ));
    }
    html.push_str("<h2>Volatility cycle</h2><p>");
    for seg in &report.volatility_cycle.segments {
        html.push_str(&format!(
            "{}: {:.0} h at {:.0}% vol, surface ×{:.2}. ",
            seg.name,
            seg.hours,
            seg.vol * 100.0,
            seg.surface_scale
        ));
    }
    html.push_str("</p>");
    let plots = vec![
        (
            "pnl-vs-spot".to_string(),
            "P&amp;L against spot".to_string(),
            pnl_vs_spot(report),
        ),
        (
            "pnl-histogram".into(),
            "Monte Carlo P&amp;L".into(),
            pnl_histogram(report),
        ),
        (
            "cascade".into(),
            "Liquidation cascade".into(),
            cascade_path(report),
        ),
        (
            "nav-cycle".into(),
            "Volatility cycle".into(),
            nav_path(report),
        ),
    ];
    crate::plots::write_bundle(
        dir,
        "report",
        "Exposure Vault stress report",
        &html,
        plots,
        report,
    )
}
