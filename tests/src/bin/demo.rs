//! In-process localnet demo: the real SBF program in LiteSVM. Initialises a vault over a
//! USDC-like mint, lists a BTC market on a Pyth pull-oracle account, deposits, withdraws, and
//! prints the balances at each step.
use exposure_vault_tests::pyth;
use exposure_vault_tests::{default_params, program_so_path, TestEnv, VaultFixture};

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

    let feed = [0xe6; 32];
    let oracle = pyth::write_pull_oracle(&mut env, feed, 65_000.0);
    let config = pyth::pull_config(feed);
    let admin = v.admin.insecure_clone();
    env.send(&[v.create_market_ix(0, "BTC", config, oracle)], &[&admin])
        .expect("create_market");
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
        .deposit(&mut env, &depositor, 2_500 * UNIT)
        .expect("deposit");
    let shares = env.token_balance(&depositor.shares);
    println!(
        "deposit 2500 USDC -> {} shares ({} CU); vault holds {} USDC",
        shares as f64 / 1e9,
        dep.compute_units_consumed,
        usdc(env.token_balance(&v.vault_token))
    );
    let wd = v
        .withdraw(&mut env, &depositor, shares / 2)
        .expect("withdraw");
    let state = v.state(&env);
    println!(
        "withdraw {} shares ({} CU)",
        (shares / 2) as f64 / 1e9,
        wd.compute_units_consumed
    );
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
        "vault NAV            : {} USDC over {} shares",
        usdc(state.net_assets()),
        state.total_shares as f64 / 1e9
    );
}
