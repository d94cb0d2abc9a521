//! Compute-unit report: runs each instruction on the SBF build in LiteSVM and writes
//! `target/reports/cu.json` as `{"<instruction>": <cu>, ...}`, then prints a table.
//! Exits non-zero when an instruction exceeds its budget target.
use std::collections::BTreeMap;
use std::path::PathBuf;

use exposure_vault::state::pause;
use exposure_vault_tests::pyth;
use exposure_vault_tests::{default_params, TestEnv, TxResult, VaultFixture};

/// Targets from the issues; an instruction over its target fails the report.
const TARGETS: &[(&str, u64)] = &[("deposit", 25_000), ("withdraw", 25_000)];

fn cu(result: TxResult, name: &str) -> u64 {
    match result {
        Ok(meta) => meta.compute_units_consumed,
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

    let alice = v.new_depositor(&mut env, 1_000_000_000);
    report.insert(
        "deposit_first".into(),
        cu(v.deposit(&mut env, &alice, 500_000_000), "deposit_first"),
    );
    report.insert(
        "deposit".into(),
        cu(v.deposit(&mut env, &alice, 250_000_000), "deposit"),
    );
    let shares = env.token_balance(&alice.shares) / 3;
    report.insert(
        "withdraw".into(),
        cu(v.withdraw(&mut env, &alice, shares), "withdraw"),
    );

    let admin = v.admin.insecure_clone();
    let ix = v.update_params_ix(&solana_signer::Signer::pubkey(&admin), default_params());
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
                &[v.create_market_ix(0, "BTC", pull_config, pull)],
                &[&admin],
            ),
            "create_market",
        ),
    );
    report.insert(
        "refresh_market_price_pull".into(),
        cu(
            env.send(&[v.refresh_price_ix(v.market_address(0), pull)], &[]),
            "refresh_market_price_pull",
        ),
    );

    let legacy = pyth::write_legacy_oracle(&mut env, 150.0);
    let legacy_config = pyth::legacy_config(legacy);
    cu(
        env.send(
            &[v.create_market_ix(1, "SOL", legacy_config, legacy)],
            &[&admin],
        ),
        "create_market legacy",
    );
    report.insert(
        "refresh_market_price_legacy".into(),
        cu(
            env.send(&[v.refresh_price_ix(v.market_address(1), legacy)], &[]),
            "refresh_market_price_legacy",
        ),
    );

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

    println!("{:<30} {:>10} {:>10}", "instruction", "CU", "target");
    let mut over = Vec::new();
    for (name, cu) in &report {
        let target = TARGETS.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
        println!(
            "{:<30} {:>10} {:>10}",
            name,
            cu,
            target.map(|t| t.to_string()).unwrap_or_default()
        );
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
