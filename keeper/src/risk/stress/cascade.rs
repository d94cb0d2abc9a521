//! Liquidation cascade: from a price shock, accounts below maintenance are liquidated (whole,
//! at model value plus the penalty, against the vault as the program does); the vault hedges
//! the delta it absorbs, and that flow moves the price through a square-root impact model,
//! which can push more accounts under. Rounds repeat until no account is liquidated.
use serde::Serialize;

use super::book::{revalue, AccountFile, Book};
use crate::pricing::black::OptionKind;
use crate::risk::margin::{account_margin_at, MarginRule};
use exposure_vault::state::MarketRiskParams;

#[derive(Clone, Copy, Debug, Serialize)]
pub struct ImpactModel {
    /// ΔP/P = −sign(flow)·coefficient·√(|flow notional| / depth).
    pub coefficient: f64,
    /// Dollar depth of the market (a day's volume, say).
    pub depth_usd: f64,
}

impl Default for ImpactModel {
    fn default() -> Self {
        Self {
            coefficient: 0.5,
            depth_usd: 50_000_000.0,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Round {
    pub round: usize,
    pub price: f64,
    pub liquidated: Vec<String>,
    pub bad_debt: f64,
    pub insurance: f64,
    pub vault_nav: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct CascadeReport {
    pub market: String,
    /// The rule accounts were held to.
    pub margin_rule: MarginRule,
    pub initial_shock: f64,
    pub rounds: Vec<Round>,
    pub accounts_liquidated: usize,
    pub bad_debt: f64,
    pub insurance_drawdown: f64,
    pub socialised: f64,
}

/// Equity and maintenance requirement of an account at `spot`, under the book's margin rule.
pub fn account_health(book: &Book, a: &AccountFile, spot: f64) -> (f64, f64) {
    account_health_at(book, a, spot, 1.0, 0.0)
}

/// [`account_health`] with every vol scaled by `vol_multiplier`, `elapsed` years later (a
/// replay's step).
pub fn account_health_at(
    book: &Book,
    a: &AccountFile,
    spot: f64,
    vol_multiplier: f64,
    elapsed: f64,
) -> (f64, f64) {
    let market = &book.markets[&a.market];
    let m = &book.file.margin;
    let (value, _) = revalue(
        a.positions.iter(),
        market,
        spot,
        |_, v| v * vol_multiplier,
        elapsed,
    );
    let mut maintenance = a.perp.abs() * spot * m.perp_maintenance;
    for p in a.positions.iter().filter(|p| p.size < 0.0) {
        let per_unit = match p.kind {
            OptionKind::Call => {
                (m.maintenance_a * spot - (p.strike - spot).max(0.0)).max(m.maintenance_b * spot)
            }
            OptionKind::Put => (m.maintenance_a * spot - (spot - p.strike).max(0.0))
                .max(m.maintenance_b * p.strike),
        };
        maintenance += per_unit * -p.size;
    }
    let perp_value = a.perp * spot - a.perp * a.perp_entry;
    let equity = a.collateral_usd + value + perp_value;
    if book.margin_rule == MarginRule::Portfolio {
        // The program's own PM requirement on the stressed spot and vols.
        if let Some(pm) = account_margin_at(
            book,
            a,
            &MarketRiskParams::PRESET,
            spot,
            vol_multiplier,
            elapsed,
        ) {
            return (equity, pm.pm_maintenance);
        }
    }
    (equity, maintenance)
}

/// The penalty a whole-account liquidation at `spot` pays the insurance fund: a share of the
/// account's notional, never more than the equity it has left (penalties are waived before
/// anything is bad debt).
pub fn liquidation_penalty(book: &Book, a: &AccountFile, spot: f64, equity: f64) -> f64 {
    let notional: f64 =
        a.positions.iter().map(|p| p.size.abs() * spot).sum::<f64>() + a.perp.abs() * spot;
    (notional * book.file.margin.liquidation_penalty).min(equity.max(0.0))
}

/// Runs the cascade in `market` from a relative price shock. Penalties go to the insurance
/// fund; bad debt is paid by the insurance fund first, then socialised to the vault's LPs.
pub fn run(
    book: &Book,
    market: &str,
    initial_shock: f64,
    impact: &ImpactModel,
    max_rounds: usize,
) -> CascadeReport {
    let state = &book.markets[market];
    let mut price = state.spot * (1.0 + initial_shock);
    let mut live: Vec<&AccountFile> = book
        .file
        .accounts
        .iter()
        .filter(|a| a.market == market)
        .collect();
    let mut insurance = book.file.insurance_usd;
    let (mut bad_debt, mut socialised) = (0.0, 0.0);
    // The vault's book grows by what it absorbs; its perpetual hedges the absorbed delta.
    let mut vault_positions: Vec<_> = book.positions_in(market).cloned().collect();
    let mut vault_hedge = book.file.markets[market].hedge;
    let mut hedge_pnl = vault_hedge * (price - state.spot);
    let base = book.base_value(market);
    let mut cash = 0.0;
    let nav = |positions: &[crate::risk::portfolio::Position],
               price: f64,
               hedge_pnl: f64,
               cash: f64,
               socialised: f64| {
        let (value, _) = revalue(positions.iter(), state, price, |_, v| v, 0.0);
        book.file.nav_usd + value - base + hedge_pnl + cash - socialised
    };
    let mut rounds = vec![Round {
        round: 0,
        price,
        liquidated: vec![],
        bad_debt: 0.0,
        insurance,
        vault_nav: nav(&vault_positions, price, hedge_pnl, cash, socialised),
    }];
    let mut total = 0;
    for round in 1..=max_rounds {
        // One health evaluation per account and round: the liquidation reuses its equity.
        let (mut under, mut healthy) = (Vec::new(), Vec::new());
        for a in &live {
            let (equity, maintenance) = account_health(book, a, price);
            if equity < maintenance {
                under.push((*a, equity));
            } else {
                healthy.push(*a);
            }
        }
        if under.is_empty() {
            break;
        }
        let (mut round_debt, mut flow_units) = (0.0, 0.0);
        let mut names = Vec::new();
        for &(a, equity) in &under {
            let (value, delta) = revalue(a.positions.iter(), state, price, |_, v| v, 0.0);
            insurance += liquidation_penalty(book, a, price, equity);
            round_debt += (-equity).max(0.0);
            // The vault takes the options and the perpetual at model value, then hedges the
            // delta it absorbed in the market.
            cash -= value + a.perp * (price - a.perp_entry);
            vault_positions.extend(a.positions.iter().cloned());
            let trade = -(delta + a.perp);
            vault_hedge += a.perp + trade;
            flow_units += trade;
            names.push(a.id.clone());
        }
        let from_insurance = round_debt.min(insurance);
        insurance -= from_insurance;
        socialised += round_debt - from_insurance;
        bad_debt += round_debt;
        total += under.len();
        let flow_usd = flow_units * price;
        let moved = price
            * (1.0
                + flow_usd.signum()
                    * impact.coefficient
                    * (flow_usd.abs() / impact.depth_usd).sqrt());
        hedge_pnl += vault_hedge * (moved - price);
        price = moved;
        live = healthy;
        rounds.push(Round {
            round,
            price,
            liquidated: names,
            bad_debt: round_debt,
            insurance,
            vault_nav: nav(&vault_positions, price, hedge_pnl, cash, socialised),
        });
    }
    CascadeReport {
        margin_rule: book.margin_rule,
        market: market.to_string(),
        initial_shock,
        rounds,
        accounts_liquidated: total,
        bad_debt,
        insurance_drawdown: (book.file.insurance_usd - insurance).max(0.0),
        socialised,
    }
}
