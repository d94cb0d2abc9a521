use anchor_lang::error::ErrorCode as AnchorError;
use anchor_spl::token::spl_token;
use exposure_vault::error::VaultError;
use exposure_vault::state::{pause, VaultParams};
use exposure_vault_tests::{default_params, expect_error, TestEnv, VaultFixture};
use solana_signer::Signer;

#[test]
fn initialize_creates_pdas_and_records_params() {
    let mut env = TestEnv::new();
    let v = VaultFixture::prepare(&mut env, 6);
    let meta = v
        .initialize(&mut env, default_params())
        .expect("initialize");
    let state = v.state(&env);
    assert_eq!(state.admin, v.admin.pubkey());
    assert_eq!(state.keeper, v.keeper);
    assert_eq!(state.collateral_decimals, 6);
    assert_eq!(state.params, default_params());
    assert_eq!(
        (state.lp_assets, state.total_shares, state.pause_flags),
        (0, 0, 0)
    );
    let share_mint = env.raw_account(&v.share_mint).unwrap();
    let share_mint =
        <spl_token::state::Mint as anchor_lang::solana_program::program_pack::Pack>::unpack(
            &share_mint.data,
        )
        .unwrap();
    assert_eq!(share_mint.decimals, 9, "shares carry 3 extra decimals");
    assert_eq!(
        Option::<anchor_lang::prelude::Pubkey>::from(share_mint.mint_authority),
        Some(v.vault)
    );
    assert!(meta.logs.iter().any(|l| l.starts_with("Program data: ")));
}

#[test]
fn rejects_reinitialisation() {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let again = VaultParams {
        deposit_cap: 1,
        min_deposit: 1,
        ..default_params()
    };
    let err = v
        .initialize(&mut env, again)
        .expect_err("second initialize must fail");
    assert!(
        err.meta
            .meta
            .logs
            .iter()
            .any(|l| l.contains("already in use")),
        "{:?}",
        err.meta.meta.logs
    );
    assert_eq!(v.state(&env).params, default_params());
}

#[test]
fn rejects_out_of_bounds_params_at_initialisation() {
    let mut env = TestEnv::new();
    let v = VaultFixture::prepare(&mut env, 6);
    for bad in [
        VaultParams {
            deposit_cap: 0,
            ..default_params()
        },
        VaultParams {
            min_deposit: 0,
            ..default_params()
        },
        VaultParams {
            liquidation_penalty_bps: 2_001,
            ..default_params()
        },
        VaultParams {
            liquidator_share_bps: 10_001,
            ..default_params()
        },
        VaultParams {
            conf_multiplier_bps: 50_001,
            ..default_params()
        },
    ] {
        expect_error(v.initialize(&mut env, bad), VaultError::ParamOutOfBounds);
    }
}

#[test]
fn rejects_collateral_with_too_many_decimals() {
    let mut env = TestEnv::new();
    let v = VaultFixture::prepare(&mut env, 12);
    expect_error(
        v.initialize(&mut env, default_params()),
        VaultError::UnsupportedMintDecimals,
    );
}

#[test]
fn rejects_a_fake_token_program_at_initialisation() {
    let mut env = TestEnv::new();
    let v = VaultFixture::prepare(&mut env, 6);
    let mut ix = v.initialize_vault_ix(default_params());
    ix.accounts[7].pubkey = anchor_lang::system_program::ID; // token_program
    expect_error(env.send(&[ix], &[&v.admin]), AnchorError::InvalidProgramId);
}

#[test]
fn admin_updates_params_within_bounds() {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let new = VaultParams {
        deposit_cap: 5,
        min_deposit: 5,
        ..default_params()
    };
    env.send(&[v.update_params_ix(v.admin.pubkey(), new)], &[&v.admin])
        .expect("update");
    assert_eq!(v.state(&env).params, new);
    let bad = VaultParams {
        min_deposit: 6,
        ..new
    };
    expect_error(
        env.send(&[v.update_params_ix(v.admin.pubkey(), bad)], &[&v.admin]),
        VaultError::ParamOutOfBounds,
    );
    assert_eq!(v.state(&env).params, new);
}

#[test]
fn rejects_param_update_by_non_admin() {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let intruder = env.new_funded_keypair(1_000_000_000);
    let new = VaultParams {
        deposit_cap: u64::MAX,
        ..default_params()
    };
    expect_error(
        env.send(&[v.update_params_ix(intruder.pubkey(), new)], &[&intruder]),
        VaultError::UnauthorizedAdmin,
    );
    let mut ix = v.update_params_ix(v.admin.pubkey(), new);
    ix.accounts[1].is_signer = false;
    expect_error(env.send(&[ix], &[]), AnchorError::AccountNotSigner);
    assert_eq!(v.state(&env).params, default_params());
}

#[test]
fn pause_flags_are_admin_only_and_validated() {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let intruder = env.new_funded_keypair(1_000_000_000);
    expect_error(
        env.send(
            &[v.set_pause_ix(intruder.pubkey(), pause::ALL)],
            &[&intruder],
        ),
        VaultError::UnauthorizedAdmin,
    );
    expect_error(v.set_pause(&mut env, 0x40), VaultError::InvalidPauseFlags);
    assert_eq!(v.state(&env).pause_flags, 0);
    v.set_pause(&mut env, pause::TRADING | pause::LIQUIDATIONS)
        .expect("pause");
    assert_eq!(
        v.state(&env).pause_flags,
        pause::TRADING | pause::LIQUIDATIONS
    );
}
