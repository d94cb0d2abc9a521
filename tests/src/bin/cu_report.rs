//! Compute-unit report: runs each instruction on the SBF build in LiteSVM and writes
//! `target/reports/cu.json` as `{"<instruction>": <cu>, ...}`, then prints a table.
//! Exits non-zero when an instruction exceeds its budget target.
use std::collections::BTreeMap;
use std::path::PathBuf;

use exposure_vault::state::pause;
use exposure_vault_tests::pyth;
use exposure_vault_tests::{default_params, TestEnv, TxResult, VaultFixture};
use solana_signer::Signer;

/// Targets from the issues; an instruction over its target fails the report.
const TARGETS: &[(&str, u64)] = &[
    ("deposit_liquidity", 25_000),
    // Completing a request: burn from escrow, pay, close the escrow and the request.
    ("withdraw_liquidity", 35_000),
    // Creates the request and its escrow token account (rent paid by the LP) and moves shares.
    ("request_liquidity_withdrawal", 40_000),
    ("cancel_liquidity_withdrawal", 25_000),
    ("black76_price_delta", 8_000),
    // Issue 28: the round-two rules included.
    ("trade_option_8pos", 55_000),
    ("trade_option_per_extra_position", 3_000),
    ("liquidate_8pos", 75_000),
    ("rebalance_hedge", 100_000),
    ("post_hedge_quote", 20_000),
    // Issue 18: PM trades and liquidation, and a 32-series scenario refresh inside one
    // transaction's 1.4M limit.
    ("trade_option_pm_16pos", 80_000),
    ("liquidate_pm_8pos", 150_000),
    ("refresh_scenarios_32series", 1_400_000),
    // A PM trade at 16 positions across two markets: the other market's accounts cost a
    // deserialisation and an oracle read on top of the one-market figure.
    ("trade_option_pm_2markets_16pos", 100_000),
    // Issue 19: the option hedge beside a 16-series book, and a provider's option quote.
    ("rebalance_option_hedge", 60_000),
    ("post_option_quote", 15_000),
];

/// The portfolio-margin math alone on SBF, through the probe: the grid formed at a spot and one
/// series revalued over it, and the requirement summed over 1 and 16 positions.
fn portfolio_math_cu(env: &mut TestEnv, report: &mut BTreeMap<String, u64>) {
    use anchor_lang::solana_program::instruction::Instruction;
    let path = exposure_vault_tests::program_so_path().with_file_name("exposure_vault_cu_probe.so");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/build-sbf.sh", path.display()));
    let probe = anchor_lang::prelude::Pubkey::new_unique();
    env.svm.add_program(probe, &bytes).expect("load probe");
    let mut run = |mode: u8, seconds: u64| {
        let mut data = vec![mode, 1];
        for v in [65_000_000_000u64, 60_000_000_000, seconds, 600_000] {
            data.extend_from_slice(&v.to_le_bytes());
        }
        let ix = Instruction {
            program_id: probe,
            accounts: vec![],
            data,
        };
        cu(env.send(&[ix], &[]), "portfolio probe")
    };
    let parse = run(0, 30 * 86_400);
    report.insert("pm_grid_and_one_series".into(), run(2, 30 * 86_400) - parse);
    let base = run(3, 1);
    report.insert("pm_requirement_1pos".into(), base - parse);
    report.insert("pm_requirement_16pos".into(), run(3, 16) - parse);
}

/// Worst-case CU of one fixed-point Black-76 (price, delta, vega) on SBF, metered through the
/// benchmark-only probe program: (parse + price) − (parse only), over representative options.
fn black76_cu(env: &mut TestEnv) -> u64 {
    use anchor_lang::solana_program::instruction::Instruction;
    let path = exposure_vault_tests::program_so_path().with_file_name("exposure_vault_cu_probe.so");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/build-sbf.sh", path.display()));
    let probe = anchor_lang::prelude::Pubkey::new_unique();
    env.svm.add_program(probe, &bytes).expect("load probe");
    let cases: [(u8, u64, u64, u64, u64); 6] = [
        (0, 65_000_000_000, 65_000_000_000, 30 * 86_400, 600_000), // ATM call, 30 days
        (1, 65_000_000_000, 52_000_000_000, 7 * 86_400, 800_000),  // OTM put, 7 days
        (0, 150_000_000, 300_000_000, 365 * 86_400, 1_200_000),    // far OTM call, 1 year
        (1, 150_000_000, 75_000_000, 3_600, 3_000_000),            // deep OTM put, 1 hour
        (0, 1_000_000, 900_000, 60, 50_000),                       // ITM call, 1 minute
        (1, 2_500_000_000, 2_600_000_000, 90 * 86_400, 450_000),   // ITM put, 90 days
    ];
    let mut worst = 0;
    for (side, forward, strike, seconds, vol) in cases {
        let run = |env: &mut TestEnv, mode: u8| {
            let mut data = vec![mode, side];
            for v in [forward, strike, seconds, vol] {
                data.extend_from_slice(&v.to_le_bytes());
            }
            let ix = Instruction {
                program_id: probe,
                accounts: vec![],
                data,
            };
            cu(env.send(&[ix], &[]), "black76 probe")
        };
        let (parse_only, priced) = (run(env, 0), run(env, 1));
        worst = worst.max(priced - parse_only);
    }
    worst
}

/// The options instructions on a $1M vault with a BTC market, a two-expiry surface and 17
/// listed series. `trade_option_<n>pos` is the trade that opens the account's n-th position
/// (alternately buying calls and selling puts, so both margin paths run).
fn options_cu(report: &mut BTreeMap<String, u64>) {
    use exposure_vault_tests::options::{
        compute_limit, skewed_surface, OptionsMarket, CALL, DAY, ONE, PUT,
    };
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let lp = v.new_depositor(&mut env, 1_001_000_000_000);
    cu(
        v.deposit_liquidity(&mut env, &lp, 1_000_000_000_000),
        "LP deposit",
    );
    let m = OptionsMarket::create(&mut env, &v, 0, 65_000.0);
    let now = env.now();
    let expiry = now + 30 * DAY;
    let surface = skewed_surface(now, &[expiry, now + 90 * DAY], 0.6);
    report.insert(
        "update_vol_surface".into(),
        cu(
            m.update_vol_surface(&mut env, &v, surface),
            "update_vol_surface",
        ),
    );
    let mut slots = Vec::new();
    for i in 0..17u8 {
        let side = if i % 2 == 0 { CALL } else { PUT };
        let strike = (50_000 + 2_000 * u64::from(i)) * 1_000_000;
        let ix = m.list_series_ix(&v, strike, expiry, side);
        let units = cu(env.send(&[ix], &[&v.admin]), "list_series");
        if i == 0 {
            report.insert("list_series".into(), units);
        }
        slots.push((i, side));
    }
    // A re-post checks the change at every listed series: 17 here.
    let surface = skewed_surface(now, &[expiry, now + 90 * DAY], 0.61);
    report.insert(
        "update_vol_surface_17series".into(),
        cu(
            env.send(
                &[
                    compute_limit(1_400_000),
                    m.update_vol_surface_ix(&v, v.keeper, surface),
                ],
                &[&v.keeper_wallet],
            ),
            "update_vol_surface (17 series)",
        ),
    );
    let wallet = env.new_funded_keypair(10_000_000_000);
    let owner = wallet.pubkey();
    let collateral = env.create_token_account(&v.collateral_mint, &owner);
    env.mint_tokens(
        &v.collateral_mint,
        &v.mint_authority,
        &collateral,
        2_000_000_000_000,
    );
    report.insert(
        "open_margin_account".into(),
        cu(
            env.send(&[m.open_margin_account_ix(&v, owner)], &[&wallet]),
            "open_margin_account",
        ),
    );
    let trader = exposure_vault_tests::options::Trader {
        wallet,
        collateral,
        margin: m.margin_address(&owner),
    };
    let ix = m.deposit_collateral_ix(
        &v,
        trader.wallet.pubkey(),
        trader.collateral,
        1_000_000_000_000,
    );
    report.insert(
        "deposit_collateral".into(),
        cu(env.send(&[ix], &[&trader.wallet]), "deposit_collateral"),
    );
    let mut per_position = Vec::new();
    for (n, &(slot, side)) in slots[..16].iter().enumerate() {
        let size = if side == CALL { ONE / 10 } else { -ONE / 10 };
        let units = cu(
            m.trade_option(&mut env, &v, &trader, slot, size),
            "trade_option",
        );
        per_position.push(units);
        if [1, 8, 16].contains(&(n + 1)) {
            report.insert(format!("trade_option_{}pos", n + 1), units);
        }
    }
    let growth = (per_position[15].saturating_sub(per_position[0])) / 15;
    report.insert("trade_option_per_extra_position".into(), growth);
    // The oracle choice charge is skipped for an update of this second: a 16th-position trade
    // at an update 30 s old measures it.
    env.warp_seconds(40);
    let aged = env.now() - 30;
    m.set_quote(&mut env, pyth::PythQuote::usd(65_000.0, 5, aged));
    report.insert(
        "trade_option_16pos_aged_update".into(),
        cu(
            m.trade_option(&mut env, &v, &trader, slots[0].0, ONE / 10),
            "trade_option at an update 30 s old",
        ),
    );
    // LP NAV reads once the vault holds positions: the mark-freshness check reads the clock.
    report.insert(
        "deposit_liquidity_with_positions".into(),
        cu(
            v.deposit_liquidity(&mut env, &lp, 1_000_000_000),
            "deposit_liquidity_with_positions",
        ),
    );
    let ix = m.withdraw_collateral_ix(&v, trader.wallet.pubkey(), trader.collateral, 1_000_000);
    report.insert(
        "withdraw_collateral".into(),
        cu(env.send(&[ix], &[&trader.wallet]), "withdraw_collateral"),
    );
    report.insert(
        "check_margin_16pos".into(),
        cu(
            env.send(&[m.check_margin_ix(&v, trader.margin)], &[]),
            "check_margin",
        ),
    );
    report.insert(
        "refresh_marks_16series".into(),
        cu(m.refresh_marks(&mut env, &v), "refresh_marks"),
    );
}

/// Portfolio margin on the 16-put book plus 16 calls of a second expiry: the scenario refresh
/// per series (one series, a 16-series chunk, and the 32-series book in one transaction), the
/// mode switch, PM trades at 8 and 16 positions and a PM margin check at 16.
fn portfolio_cu(report: &mut BTreeMap<String, u64>) {
    use exposure_vault::state::margin_mode;
    use exposure_vault_tests::options::{compute_limit, CALL, DAY, ONE};
    let (mut env, v, m, puts, expiry) = put_book();
    let calls: Vec<u8> = (0..16)
        .map(|i| {
            let strike = 60_000.0 + 1_500.0 * i as f64;
            m.list(&mut env, &v, strike, expiry + 60 * DAY, CALL)
        })
        .collect();
    let mut refresh = |env: &mut TestEnv, first: u8, count: u8, name: &str| {
        let ixs = [
            compute_limit(1_400_000),
            m.refresh_scenarios_ix(first, count),
        ];
        let units = cu(env.send(&ixs, &[]), name);
        report.insert(name.into(), units);
        units
    };
    let one = refresh(&mut env, 0, 1, "refresh_scenarios_1series");
    let sixteen = refresh(&mut env, 0, 16, "refresh_scenarios_16series");
    env.warp_seconds(1);
    refresh(&mut env, 0, 32, "refresh_scenarios_32series");
    report.insert("refresh_scenarios_per_series".into(), (sixteen - one) / 15);
    let trader = m.new_trader(&mut env, &v, 400_000_000_000, 200_000_000_000);
    report.insert(
        "set_margin_mode".into(),
        cu(
            m.set_margin_mode(&mut env, &v, &trader, margin_mode::PORTFOLIO),
            "set_margin_mode",
        ),
    );
    // Alternately a put sold and a call bought, so both legs of the grid are summed.
    let book: Vec<(u8, i64)> = puts
        .iter()
        .zip(&calls)
        .flat_map(|(&put, &call)| [(put, -ONE / 10), (call, ONE / 10)])
        .collect();
    for (n, &(slot, size)) in book[..16].iter().enumerate() {
        let units = cu(
            m.trade_option(&mut env, &v, &trader, slot, size),
            "trade_option (PM)",
        );
        if [8, 16].contains(&(n + 1)) {
            report.insert(format!("trade_option_pm_{}pos", n + 1), units);
        }
    }
    report.insert(
        "check_margin_pm_16pos".into(),
        cu(
            env.send(&[m.check_margin_ix(&v, trader.margin)], &[]),
            "check_margin (PM)",
        ),
    );
}

/// Cross-market accounts: 8 positions in BTC (puts sold) and 8 in SOL (calls bought), the
/// 16th trade on SOL reading BTC from remaining accounts, under the standard rule and PM; a
/// margin check across both markets.
fn cross_market_cu(report: &mut BTreeMap<String, u64>) {
    use exposure_vault::state::margin_mode;
    use exposure_vault_client::with_other_markets;
    use exposure_vault_tests::options::{
        compute_limit, skewed_surface, OptionsMarket, CALL, DAY, ONE,
    };
    let (mut env, v, btc, puts, expiry) = put_book();
    let sol = OptionsMarket::create(&mut env, &v, 1, 150.0);
    let now = env.now();
    cu(
        sol.update_vol_surface(
            &mut env,
            &v,
            skewed_surface(now, &[expiry, now + 90 * DAY], 0.8),
        ),
        "SOL surface",
    );
    let calls: Vec<u8> = (0..8)
        .map(|i| sol.list(&mut env, &v, 130.0 + 5.0 * i as f64, expiry, CALL))
        .collect();
    cu(btc.refresh_scenarios(&mut env), "BTC scenarios");
    cu(sol.refresh_scenarios(&mut env), "SOL scenarios");
    for (mode, name) in [
        (margin_mode::STANDARD, "trade_option_2markets_16pos"),
        (margin_mode::PORTFOLIO, "trade_option_pm_2markets_16pos"),
    ] {
        let trader = btc.new_trader(&mut env, &v, 400_000_000_000, 200_000_000_000);
        cu(btc.set_margin_mode(&mut env, &v, &trader, mode), "mode");
        for &put in &puts[..8] {
            cu(
                btc.trade_option(&mut env, &v, &trader, put, -ONE / 10),
                "BTC put",
            );
        }
        let mut last = 0;
        for &call in &calls {
            let ix = with_other_markets(
                sol.trade_option_ix(&v, trader.wallet.pubkey(), call, ONE, u64::MAX),
                &[btc.keys],
            );
            last = cu(
                env.send(&[compute_limit(400_000), ix], &[&trader.wallet]),
                "SOL call across markets",
            );
        }
        report.insert(name.into(), last);
        if mode == margin_mode::PORTFOLIO {
            let ix = with_other_markets(btc.check_margin_ix(&v, trader.margin), &[sol.keys]);
            report.insert(
                "check_margin_pm_2markets_16pos".into(),
                cu(
                    env.send(&[compute_limit(400_000), ix], &[]),
                    "check across markets",
                ),
            );
        }
    }
}

/// A fresh $1M vault with a BTC market at $65,000 and 16 listed 30-day puts (50k–65k).
fn put_book() -> (
    TestEnv,
    VaultFixture,
    exposure_vault_tests::options::OptionsMarket,
    Vec<u8>,
    i64,
) {
    use exposure_vault_tests::options::{skewed_surface, OptionsMarket, DAY, PUT};
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let lp = v.new_depositor(&mut env, 1_000_000_000_000);
    cu(
        v.deposit_liquidity(&mut env, &lp, 1_000_000_000_000),
        "LP deposit",
    );
    let m = OptionsMarket::create(&mut env, &v, 0, 65_000.0);
    let now = env.now();
    let expiry = now + 30 * DAY;
    cu(
        m.update_vol_surface(
            &mut env,
            &v,
            skewed_surface(now, &[expiry, now + 90 * DAY], 0.6),
        ),
        "surface",
    );
    let slots = (0..16)
        .map(|i| m.list(&mut env, &v, 50_000.0 + 1_000.0 * i as f64, expiry, PUT))
        .collect();
    (env, v, m, slots, expiry)
}

/// `liquidate` (vault absorbs) of an account short `positions` puts, left at initial margin
/// and pushed below maintenance by a falling spot.
fn liquidation_cu(positions: usize, portfolio: bool) -> u64 {
    use exposure_vault::events::MarginHealth;
    use exposure_vault::state::margin_mode;
    use exposure_vault_tests::options::ONE;
    let (mut env, v, m, slots, _) = put_book();
    let trader = m.new_trader(&mut env, &v, 400_000_000_000, 200_000_000_000);
    let refresh_scenarios = |env: &mut TestEnv| {
        if portfolio {
            cu(m.refresh_scenarios(env), "refresh_scenarios");
        }
    };
    if portfolio {
        cu(
            m.set_margin_mode(&mut env, &v, &trader, margin_mode::PORTFOLIO),
            "set_margin_mode",
        );
        refresh_scenarios(&mut env);
    }
    for &slot in &slots[..positions] {
        cu(
            m.trade_option(&mut env, &v, &trader, slot, -ONE / 2),
            "sell put",
        );
    }
    let health = |env: &mut TestEnv| {
        let meta = env
            .send(&[m.check_margin_ix(&v, trader.margin)], &[])
            .expect("check");
        exposure_vault_tests::events::<MarginHealth>(&meta).remove(0)
    };
    let h = health(&mut env);
    let spare = h.equity as u64 - h.initial_margin - 1_000_000;
    let ix = m.withdraw_collateral_ix(&v, trader.wallet.pubkey(), trader.collateral, spare);
    cu(env.send(&[ix], &[&trader.wallet]), "withdraw spare");
    let mut spot = 65_000.0;
    while health(&mut env).meets_maintenance {
        spot -= 250.0;
        env.warp_seconds(5);
        m.set_price(&mut env, spot, 5);
        cu(m.refresh_marks(&mut env, &v), "refresh");
        refresh_scenarios(&mut env);
    }
    let liquidator = m.new_trader(&mut env, &v, 1_000_000, 0);
    let ix = m.liquidate_ix(
        &v,
        trader.margin,
        liquidator.wallet.pubkey(),
        None,
        Some(liquidator.collateral),
        false,
    );
    cu(env.send(&[ix], &[&liquidator.wallet]), "liquidate")
}

/// A bankrupt account short 8 BTC puts, liquidated in BTC: alone, and holding SOL calls too,
/// which the same instruction sells to the vault (an account is liquidated as a whole). The
/// difference is the cost of one extra market: its accounts read and checked, its positions
/// closed, its registry entry re-synced.
fn cross_market_liquidation_cu(with_sol: bool) -> u64 {
    use exposure_vault_client::with_other_markets;
    use exposure_vault_tests::options::{compute_limit, skewed_surface, OptionsMarket, CALL, ONE};
    let (mut env, v, btc, puts, expiry) = put_book();
    let sol = OptionsMarket::create(&mut env, &v, 1, 150.0);
    let now = env.now();
    cu(
        sol.update_vol_surface(&mut env, &v, skewed_surface(now, &[expiry], 0.8)),
        "SOL surface",
    );
    let call = sol.list(&mut env, &v, 150.0, expiry, CALL);
    let trader = btc.new_trader(&mut env, &v, 100_000_000_000, 40_000_000_000);
    for &put in &puts[..8] {
        cu(
            btc.trade_option(&mut env, &v, &trader, put, -ONE / 2),
            "sell put",
        );
    }
    let others: &[exposure_vault_client::MarketKeys] = if with_sol {
        let ix = with_other_markets(
            sol.trade_option_ix(&v, trader.wallet.pubkey(), call, 20 * ONE, u64::MAX),
            &[btc.keys],
        );
        cu(env.send(&[ix], &[&trader.wallet]), "buy SOL calls");
        &[sol.keys]
    } else {
        &[]
    };
    // BTC falls 40%: the puts owe far more than the account holds.
    env.warp_seconds(30);
    btc.set_price(&mut env, 39_000.0, 5);
    sol.set_price(&mut env, 150.0, 5);
    cu(btc.refresh_marks(&mut env, &v), "BTC marks");
    cu(sol.refresh_marks(&mut env, &v), "SOL marks");
    let liquidator = btc.new_trader(&mut env, &v, 1_000_000, 0);
    let ix = with_other_markets(
        btc.liquidate_ix(
            &v,
            trader.margin,
            liquidator.wallet.pubkey(),
            None,
            Some(liquidator.collateral),
            false,
        ),
        others,
    );
    cu(
        env.send(&[compute_limit(400_000), ix], &[&liquidator.wallet]),
        "liquidate",
    )
}

/// `settle_series` and `settle_position` (a short put in the money at expiry).
fn settlement_cu(report: &mut BTreeMap<String, u64>) {
    use exposure_vault_tests::options::ONE;
    let (mut env, v, m, slots, expiry) = put_book();
    let trader = m.new_trader(&mut env, &v, 100_000_000_000, 50_000_000_000);
    cu(
        m.trade_option(&mut env, &v, &trader, slots[10], -ONE),
        "sell put",
    );
    env.set_unix_timestamp(expiry + 30);
    m.set_price(&mut env, 58_000.0, 5);
    let price = m.write_price_update(&mut env, 58_000.0, expiry + 5);
    report.insert(
        "settle_series_propose".into(),
        cu(
            env.send(&[m.settle_series_ix(&v, slots[10], price)], &[]),
            "settle_series (proposal)",
        ),
    );
    report.insert(
        "settle_series".into(),
        cu(
            m.finalise_settlement(&mut env, &v, slots[10]),
            "settle_series (final)",
        ),
    );
    report.insert(
        "settle_position".into(),
        cu(
            env.send(&[m.settle_position_ix(&v, trader.margin, slots[10])], &[]),
            "settle_position",
        ),
    );
}

/// The hedge leg: registering, quoting, a keeper rebalance that opens the vault's hedge against
/// eight short puts, and one that flattens it once the puts are bought back (realising the
/// provider's PnL into collateral); the vault's valuation walks all sixteen listed series.
fn hedge_cu(report: &mut BTreeMap<String, u64>) {
    use exposure_vault_tests::options::ONE;
    let (mut env, v, m, slots, _) = put_book();
    let trader = m.new_trader(&mut env, &v, 400_000_000_000, 200_000_000_000);
    for &slot in &slots[..8] {
        cu(
            m.trade_option(&mut env, &v, &trader, slot, ONE / 2),
            "buy put",
        );
    }
    let provider = m.new_trader(&mut env, &v, 100_000_000_000, 50_000_000_000);
    let owner = provider.wallet.pubkey();
    report.insert(
        "register_hedge_provider".into(),
        cu(
            env.send(&[m.register_hedge_provider_ix(owner)], &[&provider.wallet]),
            "register_hedge_provider",
        ),
    );
    let expiry = env.now() + 3_600;
    report.insert(
        "post_hedge_quote".into(),
        cu(
            m.post_hedge_quote(&mut env, &v, &provider, 5 * ONE as u64, 10, expiry),
            "post_hedge_quote",
        ),
    );
    report.insert(
        "rebalance_hedge".into(),
        cu(
            m.rebalance_hedge(&mut env, &v, &provider, -ONE / 2, 20),
            "rebalance_hedge",
        ),
    );
    // The provider quotes the first put in vol terms and the keeper buys some back from it:
    // the vault is short vega on eight puts.
    let vol = |x: f64| (x * 1e6) as u64;
    let ix = m.post_option_quote_ix(
        &v,
        provider.wallet.pubkey(),
        slots[0],
        (vol(0.55), vol(0.62)),
        (ONE as u64, ONE as u64),
        env.now() + 3_600,
    );
    report.insert(
        "post_option_quote".into(),
        cu(env.send(&[ix], &[&provider.wallet]), "post_option_quote"),
    );
    report.insert(
        "rebalance_option_hedge".into(),
        cu(
            m.rebalance_option_hedge(&mut env, &v, &provider, (slots[0], ONE / 4), 0.7),
            "rebalance_option_hedge",
        ),
    );
    // The trader sells the puts back: the vault's delta is now its short hedge alone, which
    // buying back only reduces (a rebalance must cut the vault's net delta).
    for &slot in &slots[..8] {
        cu(
            m.trade_option(&mut env, &v, &trader, slot, -ONE / 2),
            "sell put back",
        );
    }
    env.warp_seconds(5);
    m.set_price(&mut env, 64_000.0, 5);
    report.insert(
        "rebalance_hedge_flatten".into(),
        cu(
            m.rebalance_hedge(&mut env, &v, &provider, ONE / 2, 20),
            "rebalance_hedge_flatten",
        ),
    );
}

/// The CU a transaction burned. `CU_LOGS=<name>` prints that measurement's program logs, for
/// breaking a figure down with temporary `sol_log_compute_units` calls.
fn cu(result: TxResult, name: &str) -> u64 {
    match result {
        Ok(meta) => {
            if std::env::var("CU_LOGS").is_ok_and(|n| n == name) {
                eprintln!("{}", meta.logs.join("\n"));
            }
            meta.compute_units_consumed
        }
        Err(e) => panic!(
            "{name} failed: {:?}\n{}",
            e.meta.err,
            e.meta.meta.logs.join("\n")
        ),
    }
}

fn main() {
    let mut report = BTreeMap::<String, u64>::new();
    let mut env = TestEnv::new();

    let v = VaultFixture::prepare(&mut env, 6);
    report.insert(
        "initialize_vault".into(),
        cu(v.initialize(&mut env, default_params()), "initialize_vault"),
    );

    // The withdrawal request and its escrow are created at PDAs the program searches for; each
    // bump tried past the first costs about 1,500 CU, so the report measures an LP whose two
    // bumps are both found first (one in four keys), not whichever key the run drew.
    let alice = loop {
        let lp = v.new_depositor(&mut env, 1_000_000_000);
        let first_try = |seed: &[u8]| {
            let owner = lp.wallet.pubkey();
            let seeds: [&[u8]; 3] = [seed, v.vault.as_ref(), owner.as_ref()];
            anchor_lang::prelude::Pubkey::find_program_address(&seeds, &exposure_vault::ID).1 == 255
        };
        if first_try(exposure_vault::state::WITHDRAWAL_REQUEST_SEED)
            && first_try(exposure_vault::state::WITHDRAWAL_SHARES_SEED)
        {
            break lp;
        }
    };
    report.insert(
        "deposit_liquidity_first".into(),
        cu(
            v.deposit_liquidity(&mut env, &alice, 500_000_000),
            "deposit_liquidity_first",
        ),
    );
    report.insert(
        "deposit_liquidity".into(),
        cu(
            v.deposit_liquidity(&mut env, &alice, 250_000_000),
            "deposit_liquidity",
        ),
    );
    let shares = env.token_balance(&alice.shares) / 3;
    report.insert(
        "request_liquidity_withdrawal".into(),
        cu(
            v.request_liquidity_withdrawal(&mut env, &alice, shares),
            "request_liquidity_withdrawal",
        ),
    );
    report.insert(
        "cancel_liquidity_withdrawal".into(),
        cu(
            v.cancel_liquidity_withdrawal(&mut env, &alice),
            "cancel_liquidity_withdrawal",
        ),
    );
    v.request_liquidity_withdrawal(&mut env, &alice, shares)
        .expect("request again");
    report.insert(
        "withdraw_liquidity".into(),
        cu(v.withdraw_liquidity(&mut env, &alice), "withdraw_liquidity"),
    );

    let admin = v.admin.insecure_clone();
    let ix = v.update_params_ix(admin.pubkey(), default_params());
    report.insert(
        "update_params".into(),
        cu(env.send(&[ix], &[&admin]), "update_params"),
    );
    report.insert(
        "set_pause".into(),
        cu(v.set_pause(&mut env, pause::TRADING), "set_pause"),
    );

    let feed = [7u8; 32];
    let pull = pyth::write_pull_oracle(&mut env, feed, 65_000.0);
    let pull_config = pyth::pull_config(feed);
    report.insert(
        "create_market".into(),
        cu(
            env.send(
                &[v.create_market_default_ix(0, "BTC", pull_config, pull)],
                &[&admin],
            ),
            "create_market",
        ),
    );
    report.insert(
        "refresh_market_price_pull".into(),
        cu(
            env.send(&[v.market_keys(0, pull).refresh_market_price_ix()], &[]),
            "refresh_market_price_pull",
        ),
    );

    let legacy = pyth::write_legacy_oracle(&mut env, 150.0);
    let legacy_config = pyth::legacy_config(legacy);
    cu(
        env.send(
            &[v.create_market_default_ix(1, "SOL", legacy_config, legacy)],
            &[&admin],
        ),
        "create_market legacy",
    );
    report.insert(
        "refresh_market_price_legacy".into(),
        cu(
            env.send(&[v.market_keys(1, legacy).refresh_market_price_ix()], &[]),
            "refresh_market_price_legacy",
        ),
    );

    report.insert("black76_price_delta".into(), black76_cu(&mut env));
    portfolio_math_cu(&mut env, &mut report);
    options_cu(&mut report);
    for positions in [1, 8, 16] {
        report.insert(
            format!("liquidate_{positions}pos"),
            liquidation_cu(positions, false),
        );
    }
    report.insert("liquidate_pm_8pos".into(), liquidation_cu(8, true));
    let alone = cross_market_liquidation_cu(false);
    let whole = cross_market_liquidation_cu(true);
    report.insert("liquidate_bankrupt_8pos".into(), alone);
    report.insert("liquidate_bankrupt_8pos_2markets".into(), whole);
    report.insert(
        "liquidate_per_extra_market".into(),
        whole.saturating_sub(alone),
    );
    portfolio_cu(&mut report);
    cross_market_cu(&mut report);
    settlement_cu(&mut report);
    hedge_cu(&mut report);

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/reports");
    std::fs::create_dir_all(&dir).expect("create target/reports");
    let json = format!(
        "{{\n{}\n}}\n",
        report
            .iter()
            .map(|(k, v)| format!("  \"{k}\": {v}"))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    std::fs::write(dir.join("cu.json"), json).expect("write cu.json");

    println!("{:<30} {:>10} {:>16}", "instruction", "CU", "target");
    let mut over = Vec::new();
    let find =
        |table: &[(&str, u64)], name: &str| table.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
    for (name, cu) in &report {
        let target = find(TARGETS, name);
        let shown = target.map(|t| t.to_string()).unwrap_or_default();
        println!("{:<30} {:>10} {:>16}", name, cu, shown);
        if target.is_some_and(|t| *cu > t) {
            over.push(name.clone());
        }
    }
    println!("wrote {}", dir.join("cu.json").display());
    if !over.is_empty() {
        eprintln!("over CU target: {over:?}");
        std::process::exit(1);
    }
}
