//! `keeper status`: the vault's NAV, exposure, Greeks and its riskiest margin accounts.
use std::fmt::Write;

use anchor_lang::prelude::Pubkey;

use crate::risk::onchain::{market_spot, vault_greeks};
use crate::strategy::cycle::{band_reports, CycleConfig};
use crate::strategy::liquidation::{account_health_in, markets_held, remarked_markets};
use exposure_vault_client::model::VaultView;

/// One account's margin state at the current oracle price.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountRisk {
    pub market: String,
    pub account: Pubkey,
    /// "standard" or "portfolio": the rule the requirements below come from (a market without
    /// PM holds a PM account's positions there to the standard rule).
    pub mode: &'static str,
    pub equity_usd: f64,
    pub maintenance_usd: f64,
    pub initial_usd: f64,
}

impl AccountRisk {
    /// Equity over maintenance (∞ without requirements): below 1 is liquidatable.
    pub fn ratio(&self) -> f64 {
        if self.maintenance_usd > 0.0 {
            self.equity_usd / self.maintenance_usd
        } else {
            f64::INFINITY
        }
    }
}

/// Every margin account's health across the markets it holds, riskiest first.
pub fn account_risks(
    view: &VaultView,
    accounts: &[(Pubkey, exposure_vault::state::MarginAccount)],
) -> Vec<AccountRisk> {
    let quote = |v: f64| v / exposure_vault::math::precision::PRICE_PRECISION as f64;
    let remarked = remarked_markets(view);
    let mut out = Vec::new();
    for (address, account) in accounts {
        let held = markets_held(account);
        if held.is_empty() {
            continue;
        }
        let Some(h) = account_health_in(view, &remarked, account) else {
            continue;
        };
        let symbols: Vec<String> = view
            .markets
            .iter()
            .filter(|m| held.contains(&m.keys.index))
            .map(|m| m.symbol())
            .collect();
        out.push(AccountRisk {
            market: symbols.join("+"),
            account: *address,
            mode: if account.is_portfolio() {
                "portfolio"
            } else {
                "standard"
            },
            equity_usd: quote(h.equity as f64),
            maintenance_usd: quote(h.maintenance as f64),
            initial_usd: quote(h.initial as f64),
        });
    }
    out.sort_by(|a, b| a.ratio().total_cmp(&b.ratio()));
    out
}

/// The status table; `cfg` supplies the bands each Greek is shown against.
pub fn render(
    view: &VaultView,
    risks: &[AccountRisk],
    top: usize,
    cfg: &CycleConfig,
) -> anyhow::Result<String> {
    let units = 10f64.powi(i32::from(view.state.collateral_decimals));
    let share_units = units
        * 10f64.powi(i32::from(
            exposure_vault::math::precision::SHARE_DECIMALS_OFFSET,
        ));
    let nav = view.state.net_assets() as f64 / units;
    let shares = view.state.total_shares as f64 / share_units;
    let now = view.clock.unix_timestamp;
    let mut out = String::new();
    writeln!(
        out,
        "vault {}  slot {}  paused flags {:#04x}",
        view.keys.vault, view.clock.slot, view.state.pause_flags
    )?;
    writeln!(
        out,
        "NAV {nav:.2}  shares {shares:.3}  share price {:.6}  LP assets {:.2}  options value {:.2}  locked {:.2}  trader collateral {:.2}  insurance {:.2}",
        if shares > 0.0 { nav / shares } else { 1.0 },
        view.state.lp_assets as f64 / units,
        view.state.options_value as f64 / units,
        view.state.locked_liability as f64 / 1e6,
        view.state.trader_collateral as f64 / units,
        view.state.insurance_balance as f64 / units,
    )?;
    let greeks = vault_greeks(view)?;
    writeln!(
        out,
        "\n{:<6} {:>12} {:>8} {:>7} {:>10} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "market",
        "spot",
        "age s",
        "series",
        "hedge",
        "value",
        "delta $",
        "gamma $/1%",
        "vega $/pt",
        "theta $/d"
    )?;
    for market in &view.markets {
        let symbol = market.symbol();
        let g = greeks.per_market.get(&symbol).copied().unwrap_or_default();
        let age = market
            .oracle
            .map(|o| (now - o.publish_time).to_string())
            .unwrap_or_else(|| "-".into());
        let listed = market.book.series.iter().filter(|s| s.is_listed()).count();
        let hedge = market.book.vault_hedge.size as f64
            / exposure_vault::math::precision::SIZE_PRECISION as f64;
        writeln!(
            out,
            "{symbol:<6} {:>12.2} {age:>8} {listed:>7} {hedge:>10.4} {:>12.2} {:>12.2} {:>12.2} {:>12.2} {:>12.2}",
            market_spot(market), g.value, g.delta_usd, g.gamma_usd, g.vega_usd, g.theta_usd
        )?;
    }
    let t = &greeks.total;
    writeln!(
        out,
        "{:<6} {:>12} {:>8} {:>7} {:>10} {:>12.2} {:>12.2} {:>12.2} {:>12.2} {:>12.2}",
        "total", "", "", "", "", t.value, t.delta_usd, t.gamma_usd, t.vega_usd, t.theta_usd
    )?;
    writeln!(
        out,
        "\n{:<6} {:>22} {:>22} {:>22} {:>8}",
        "bands", "delta $ / band", "gamma $/1% / band", "vega $/pt / band", "regime"
    )?;
    for (symbol, band) in band_reports(view, &greeks, cfg) {
        let cell = |value: f64, width: Option<f64>| match width {
            Some(w) => format!(
                "{value:.0} / {w:.0}{}",
                if value.abs() > w { " OUT" } else { "" }
            ),
            None => format!("{value:.0} / -"),
        };
        let g = band.greeks;
        writeln!(
            out,
            "{symbol:<6} {:>22} {:>22} {:>22} {:>8}",
            cell(g.delta_usd, band.delta_width),
            cell(g.gamma_usd, band.gamma_width),
            cell(g.vega_usd, band.vega_width),
            if band.high_vol { "high vol" } else { "normal" }
        )?;
    }
    writeln!(
        out,
        "\nriskiest accounts ({} of {})",
        risks.len().min(top),
        risks.len()
    )?;
    writeln!(
        out,
        "{:<6} {:<44} {:<9} {:>12} {:>12} {:>12} {:>8}",
        "market", "account", "mode", "equity $", "maint. $", "initial $", "eq/mm"
    )?;
    for r in risks.iter().take(top) {
        writeln!(
            out,
            "{:<6} {:<44} {:<9} {:>12.2} {:>12.2} {:>12.2} {:>8.2}",
            r.market,
            r.account.to_string(),
            r.mode,
            r.equity_usd,
            r.maintenance_usd,
            r.initial_usd,
            r.ratio()
        )?;
    }
    Ok(out)
}
