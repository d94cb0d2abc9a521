//! In-process localnet demo: the real SBF program in LiteSVM. Initialises a vault over a
//! USDC-like mint, lists a BTC market on a Pyth pull-oracle account, deposits, withdraws, then
//! the keeper posts a volatility surface, a trader buys a call from the vault, the marks are
//! cranked, and it prints the balances at each step.
use exposure_vault::events::OptionTraded;
use exposure_vault_tests::options::{skewed_surface, OptionsMarket, CALL, DAY, ONE};
use exposure_vault_tests::{default_params, events, program_so_path, TestEnv, VaultFixture};

const UNIT: u64 = 1_000_000;

fn usdc(x: u64) -> String {
    format!("{}.{:06}", x / UNIT, x % UNIT)
}

fn main() {
    println!("loading {}", program_so_path().display());
    let mut env = TestEnv::new();
    let v = VaultFixture::prepare(&mut env, 6);
    let init = v
        .initialize(&mut env, default_params())
        .expect("initialize_vault");
    println!(
        "vault {} initialised ({} CU)",
        v.vault, init.compute_units_consumed
    );

    let btc = OptionsMarket::create(&mut env, &v, 0, 65_000.0);
    let market = v.market(&env, 0);
    println!(
        "market BTC listed, oracle price ${}",
        usdc(market.last_price)
    );

    let depositor = v.new_depositor(&mut env, 10_000 * UNIT);
    println!(
        "depositor wallet: {} USDC",
        usdc(env.token_balance(&depositor.collateral))
    );
    let dep = v
        .deposit_liquidity(&mut env, &depositor, 8_000 * UNIT)
        .expect("deposit");
    let shares = env.token_balance(&depositor.shares);
    println!(
        "deposit 8000 USDC -> {} shares ({} CU); vault holds {} USDC",
        shares as f64 / 1e9,
        dep.compute_units_consumed,
        usdc(env.token_balance(&v.vault_token))
    );
    let wd = v
        .withdraw_liquidity_now(&mut env, &depositor, shares / 4)
        .expect("withdraw");
    println!(
        "withdraw {} shares ({} CU)",
        (shares / 4) as f64 / 1e9,
        wd.compute_units_consumed
    );

    let now = env.now();
    let expiry = now + 30 * DAY;
    btc.update_vol_surface(
        &mut env,
        &v,
        skewed_surface(now, &[expiry, now + 90 * DAY], 0.6),
    )
    .expect("update_vol_surface");
    let call = btc.list(&mut env, &v, 65_000.0, expiry, CALL);
    println!("keeper posted a 60% skewed surface; 30-day 65,000 call listed (slot {call})");
    let trader = btc.new_trader(&mut env, &v, 5_000 * UNIT, 2_000 * UNIT);
    let trade = btc
        .trade_option(&mut env, &v, &trader, call, ONE / 10)
        .expect("trade_option");
    let fill = events::<OptionTraded>(&trade).remove(0);
    println!(
        "trader bought 0.1 call: model ${} at vol {:.1}%, spread {} bps, paid {} USDC ({} CU)",
        usdc(fill.model_price),
        fill.vol as f64 / 1e4,
        fill.spread_bps,
        usdc(fill.premium),
        trade.compute_units_consumed
    );
    env.warp_seconds(30);
    btc.set_price(&mut env, 66_000.0, 5);
    let crank = btc.refresh_marks(&mut env, &v).expect("refresh_marks");
    println!(
        "oracle moved to $66,000; refresh_marks ({} CU)",
        crank.compute_units_consumed
    );
    let state = v.state(&env);
    println!("--- balances ---");
    println!(
        "depositor collateral : {} USDC",
        usdc(env.token_balance(&depositor.collateral))
    );
    println!(
        "depositor shares     : {}",
        env.token_balance(&depositor.shares) as f64 / 1e9
    );
    println!(
        "vault token account  : {} USDC",
        usdc(env.token_balance(&v.vault_token))
    );
    println!(
        "vault NAV            : {} USDC over {} shares (cash {}, options mark {:.6})",
        usdc(state.net_assets()),
        state.total_shares as f64 / 1e9,
        usdc(state.lp_assets),
        state.options_value as f64 / 1e6
    );
    println!(
        "locked for options   : {} USDC (LPs can withdraw {} USDC)",
        usdc(state.locked_liability),
        usdc(state.free_collateral().min(state.lp_assets))
    );
}
