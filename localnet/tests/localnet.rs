//! End to end over JSON-RPC against a real `solana-test-validator` (agave 4.2.2) executing the
//! SBF build: loader-v3 deploy, the localnet Pyth publisher, a CLI-wallet deposit and
//! withdrawal, named program errors, and a keeper cycle posting a surface.
//!
//! Needs `scripts/install-validator` and `scripts/build-sbf.sh` (scripts/test.sh runs both).
use anchor_lang::prelude::Pubkey;
use exposure_vault::math::shares::shares_for_deposit;
use exposure_vault::state::{Market, Vault, VolSurface};

use exposure_vault_keeper::strategy::cycle::{run_cycle, Action, CycleConfig};
use exposure_vault_keeper::strategy::surface_source::SyntheticSurface;
use exposure_vault_localnet::seed::{self, DemoSpec, LocalKeys};
use exposure_vault_localnet::validator::{Validator, ValidatorConfig};
use exposure_vault_localnet::{repo_root, wallet};
use exposure_vault_rpc::deploy::DeployOutcome;
use exposure_vault_rpc::tokens::ata;
use exposure_vault_rpc::{Chain, Keypair, SendOptions, Signer};

const DAY: i64 = 86_400;

fn usdc(tokens: f64) -> u64 {
    (tokens * 1e6).round() as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deposit_withdraw_and_keeper_cycle_over_json_rpc() -> anyhow::Result<()> {
    let repo = repo_root();
    let dir = repo.join("target/localnet-test");
    let config = ValidatorConfig::on_ports(&repo, 18_899, dir.join("ledger"));
    // Under `anchor test` the Anchor CLI has started a validator (Anchor.toml [test]) and
    // deployed the program; otherwise start our own on a fresh ledger.
    let external = std::env::var("ANCHOR_PROVIDER_URL").ok();
    let validator = match external {
        Some(_) => None,
        None => {
            let validator = Validator::start(config.clone()).await?;
            println!("validator healthy in {:.1} s", validator.startup_secs);
            Some(validator)
        }
    };
    let rpc_url = external.clone().unwrap_or_else(|| config.rpc_url());
    let ws_url = rpc_url
        .replace("http", "ws")
        .replace(":8899", ":8900")
        .replace(":18899", ":18900");

    let keys = LocalKeys::load_or_create(&dir.join("keys-unused-for-seed"))?;
    let keys = LocalKeys {
        admin: Keypair::new(),
        ..keys
    };
    let admin = seed::funded_admin(&rpc_url, &keys).await?;

    // Loader-v3 deploy of the SBF .so; a second run with the same bytes is a no-op. Under
    // `anchor test` the runner has loaded the program already: then the first call must find
    // exactly our build there (`AlreadyCurrent` compares the bytes), not deploy it.
    let started = std::time::Instant::now();
    let first = seed::deploy(&admin, &repo, &keys.admin).await?;
    match external {
        None => assert_eq!(first, DeployOutcome::Deployed),
        Some(_) => assert!(
            matches!(
                first,
                DeployOutcome::Deployed | DeployOutcome::AlreadyCurrent
            ),
            "the runner's program is not this build: {first:?}"
        ),
    }
    println!("deployed in {:.1} s", started.elapsed().as_secs_f64());
    assert!(admin.program_is_deployed(&exposure_vault::ID).await?);
    assert_eq!(
        seed::deploy(&admin, &repo, &keys.admin).await?,
        DeployOutcome::AlreadyCurrent
    );

    let spec = DemoSpec {
        markets: vec![("BTC".into(), 65_000.0)],
        expiries_secs: vec![7 * DAY, 30 * DAY],
        strike_moneyness: vec![1.0],
        atm_vol: 0.6,
        ..DemoSpec::default()
    };
    let demo = seed::seed(&admin, &keys, &spec, &ws_url).await?;
    let vault = demo.vault_keys()?;
    let markets = demo.market_keys()?;
    assert_eq!(vault.vault.to_string(), demo.vault);

    // The oracle account is a real PriceUpdateV2 written by the localnet publisher: the program
    // accepts it for the market's feed, and only the publisher's authority can overwrite it.
    seed::publish_price(
        &admin,
        &keys.oracle_publisher,
        &markets[0].oracle,
        demo.feed(0)?,
        66_000.0,
    )
    .await?;
    admin
        .send(&[markets[0].refresh_market_price_ix()], &[], None)
        .await?;
    let market: Market = admin.anchor_account(&markets[0].market).await?;
    assert_eq!(market.last_price, usdc(66_000.0));
    let impostor = Keypair::new();
    admin.airdrop(&impostor.pubkey(), 1_000_000_000).await?;
    let err = seed::publish_price(&admin, &impostor, &markets[0].oracle, demo.feed(0)?, 1.0)
        .await
        .expect_err("only the write authority may publish");
    // PublisherError::WrongAuthority = 3 (programs/localnet-oracle).
    assert!(err.to_string().contains("Custom(3)"), "{err}");

    // A CLI wallet deposits: shares exactly as the program's share math says.
    let depositor = Keypair::new();
    let mint: Pubkey = demo.collateral_mint.parse()?;
    wallet::fund(
        &admin,
        &keys.mint_authority,
        &mint,
        &depositor.pubkey(),
        usdc(5_000.0),
    )
    .await?;
    let chain = Chain::new(&rpc_url, depositor.insecure_clone(), SendOptions::default());
    let before: Vault = chain.anchor_account(&vault.vault).await?;
    let receipt =
        wallet::deposit_liquidity(&chain, &depositor, &vault, &markets, usdc(1_000.0)).await?;
    let expected = shares_for_deposit(usdc(1_000.0), before.net_assets(), before.total_shares)
        .expect("shares");
    assert_eq!(receipt.shares_after - receipt.shares_before, expected);
    assert_eq!(
        receipt.collateral_before - receipt.collateral_after,
        usdc(1_000.0)
    );
    assert_eq!(
        admin.token_balance(&vault.vault_token).await?,
        usdc(1_000.0)
    );
    assert_eq!(receipt.nav_after, usdc(1_000.0));

    // Bad input comes back as the program's named error, and nothing moves.
    let err = wallet::deposit_liquidity(&chain, &depositor, &vault, &markets, usdc(4_000.0) + 1)
        .await
        .expect_err("more than the wallet holds");
    let program_error = err
        .downcast_ref::<exposure_vault_rpc::ChainError>()
        .and_then(|e| e.program_error());
    assert_eq!(program_error, Some("InsufficientBalance"), "{err}");
    assert_eq!(
        chain
            .token_balance(&ata(&depositor.pubkey(), &mint))
            .await?,
        usdc(4_000.0)
    );

    // Withdraw half the shares.
    let half = expected / 2;
    let out = wallet::withdraw_liquidity(&chain, &depositor, &vault, &markets, half).await?;
    assert_eq!(out.shares_before - out.shares_after, half);
    assert_eq!(out.collateral_after - out.collateral_before, usdc(500.0));

    // Keeper cycle: the source's vol moved from 60% to 70% (inside the program's per-update change limit), so it posts a new surface.
    let keeper = Chain::new(
        &rpc_url,
        keys.keeper.insecure_clone(),
        SendOptions::default(),
    );
    let oracles = demo.oracles()?;
    let source = SyntheticSurface { atm_vol: 0.7 };
    let cycle_config = CycleConfig::default();
    let cycle = || {
        run_cycle(
            &keeper,
            &keys.keeper,
            &vault.vault,
            &oracles,
            &source,
            &cycle_config,
        )
    };
    let report = cycle().await?;
    assert_eq!(report.results.len(), 1, "{:?}", report.results);
    assert!(matches!(
        report.results[0].action,
        Action::UpdateVolSurface { market: 0, .. }
    ));
    assert!(
        report.results[0].is_sent(),
        "{:?}",
        report.results[0].outcome
    );
    let surface: VolSurface = keeper.zero_copy_account(&markets[0].surface).await?;
    let posted = exposure_vault_keeper::pricing::svi::SviRaw::from_onchain(&surface.slices[0]);
    let t = (surface.slices[0].expiry_ts - surface.updated_ts) as f64 / (365.0 * DAY as f64);
    let vol = (posted.total_variance(0.0) / t).sqrt();
    assert!(
        (vol - 0.7).abs() < 1e-6,
        "posted ATM vol {vol} (expiry {}, updated {})",
        surface.slices[0].expiry_ts,
        surface.updated_ts
    );
    // Nothing left to do: a second cycle is a no-op.
    let again = cycle().await?;
    assert!(again.results.is_empty(), "{:?}", again.results);
    assert_eq!(again.nav, usdc(500.0));

    // Upgrades take the same loader-v3 path: another build replaces the program's bytes, the
    // original comes back, and the vault answers again from the next slot.
    if external.is_none() {
        let program =
            exposure_vault_rpc::read_keypair(&repo.join("keys/exposure_vault-keypair.json"))?;
        let other = std::fs::read(repo.join("target/deploy/exposure_vault_cu_probe.so"))?;
        assert_eq!(
            admin.deploy_program(&program, &keys.admin, &other).await?,
            DeployOutcome::Upgraded
        );
        assert_eq!(
            seed::deploy(&admin, &repo, &keys.admin).await?,
            DeployOutcome::Upgraded
        );
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let out =
            wallet::withdraw_liquidity(&chain, &depositor, &vault, &markets, 1_000_000).await?;
        assert_eq!(out.shares_before - out.shares_after, 1_000_000);
    }

    if let Some(validator) = validator {
        validator.stop().await?;
    }
    Ok(())
}
