use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use exposure_vault::error::VaultError;
use exposure_vault::state::{pause, VaultParams};
use exposure_vault_tests::{default_params, expect_error, TestEnv, VaultFixture};
use solana_account::Account;
use solana_signer::Signer;

const USDC: u64 = 1_000_000;

fn setup() -> (TestEnv, VaultFixture) {
    let mut env = TestEnv::new();
    let vault = VaultFixture::new(&mut env, default_params());
    (env, vault)
}

/// Snapshot of everything a rejected deposit must leave untouched.
fn snapshot(env: &TestEnv, v: &VaultFixture, collateral: &Pubkey) -> (u64, u64, u64, u64, u64) {
    let state = v.state(env);
    (
        state.lp_assets,
        state.total_shares,
        env.token_balance(&v.vault_token),
        env.token_balance(collateral),
        env.mint_supply(&v.share_mint),
    )
}

#[test]
fn deposit_mints_shares_at_nav_and_updates_accounting() {
    let (mut env, v) = setup();
    let alice = v.new_depositor(&mut env, 1_000 * USDC);
    let bob = v.new_depositor(&mut env, 1_000 * USDC);

    let meta = v
        .deposit_liquidity(&mut env, &alice, 400 * USDC)
        .expect("deposit");
    assert!(
        meta.compute_units_consumed > 0 && meta.compute_units_consumed <= 25_000,
        "deposit CU {} over the 25k target",
        meta.compute_units_consumed
    );
    // Shares carry 3 more decimals: 400 USDC -> 400 shares of 9 decimals.
    assert_eq!(env.token_balance(&alice.shares), 400 * USDC * 1_000);
    v.deposit_liquidity(&mut env, &bob, 100 * USDC)
        .expect("deposit");
    assert_eq!(env.token_balance(&bob.shares), 100 * USDC * 1_000);

    let state = v.state(&env);
    assert_eq!(state.lp_assets, 500 * USDC);
    assert_eq!(state.total_shares, 500 * USDC * 1_000);
    assert_eq!(env.mint_supply(&v.share_mint), state.total_shares);
    assert_eq!(env.token_balance(&v.vault_token), 500 * USDC);
    assert_eq!(env.token_balance(&alice.collateral), 600 * USDC);
    assert!(
        meta.logs.iter().any(|l| l.starts_with("Program data: ")),
        "LiquidityDeposited event emitted"
    );
}

#[test]
fn rejects_zero_amount() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    let before = snapshot(&env, &v, &d.collateral);
    expect_error(v.deposit_liquidity(&mut env, &d, 0), VaultError::ZeroAmount);
    assert_eq!(snapshot(&env, &v, &d.collateral), before);
}

#[test]
fn rejects_amount_over_balance() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    let before = snapshot(&env, &v, &d.collateral);
    expect_error(
        v.deposit_liquidity(&mut env, &d, 10 * USDC + 1),
        VaultError::InsufficientBalance,
    );
    assert_eq!(snapshot(&env, &v, &d.collateral), before);
}

#[test]
fn rejects_deposit_over_cap() {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(
        &mut env,
        VaultParams {
            deposit_cap: 100 * USDC,
            ..default_params()
        },
    );
    let d = v.new_depositor(&mut env, 1_000 * USDC);
    v.deposit_liquidity(&mut env, &d, 60 * USDC)
        .expect("under cap");
    let before = snapshot(&env, &v, &d.collateral);
    expect_error(
        v.deposit_liquidity(&mut env, &d, 40 * USDC + 1),
        VaultError::DepositCapExceeded,
    );
    assert_eq!(snapshot(&env, &v, &d.collateral), before);
    v.deposit_liquidity(&mut env, &d, 40 * USDC)
        .expect("exactly at cap");
}

#[test]
fn rejects_deposit_below_minimum() {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(
        &mut env,
        VaultParams {
            min_deposit: USDC,
            ..default_params()
        },
    );
    let d = v.new_depositor(&mut env, 10 * USDC);
    expect_error(
        v.deposit_liquidity(&mut env, &d, USDC - 1),
        VaultError::BelowMinimumDeposit,
    );
}

#[test]
fn rejects_deposit_while_paused() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    v.set_pause(&mut env, pause::DEPOSITS).expect("pause");
    let before = snapshot(&env, &v, &d.collateral);
    expect_error(
        v.deposit_liquidity(&mut env, &d, USDC),
        VaultError::DepositsPaused,
    );
    assert_eq!(snapshot(&env, &v, &d.collateral), before);
    // Other pause bits do not block deposits.
    v.set_pause(&mut env, pause::ALL & !pause::DEPOSITS)
        .expect("pause others");
    v.deposit_liquidity(&mut env, &d, USDC)
        .expect("deposits open");
}

#[test]
fn rejects_missing_depositor_signature() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    let mut ix = v.deposit_liquidity_ix_with(v.deposit_liquidity_accounts(&d), USDC);
    ix.accounts[1].is_signer = false; // depositor
    expect_error(env.send(&[ix], &[]), AnchorError::AccountNotSigner);
}

#[test]
fn rejects_someone_elses_token_account() {
    let (mut env, v) = setup();
    let victim = v.new_depositor(&mut env, 10 * USDC);
    let thief = v.new_depositor(&mut env, 0);
    let mut accounts = v.deposit_liquidity_accounts(&thief);
    accounts.depositor_collateral = victim.collateral;
    let ix = v.deposit_liquidity_ix_with(accounts, USDC);
    expect_error(
        env.send(&[ix], &[&thief.wallet]),
        VaultError::WrongTokenAccountOwner,
    );
    assert_eq!(env.token_balance(&victim.collateral), 10 * USDC);
}

#[test]
fn rejects_wrong_collateral_mint() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    let other_authority = solana_keypair::Keypair::new();
    let other_mint = env.create_mint(&other_authority.pubkey(), 6);
    let mut accounts = v.deposit_liquidity_accounts(&d);
    accounts.collateral_mint = other_mint;
    expect_error(
        env.send(&[v.deposit_liquidity_ix_with(accounts, USDC)], &[&d.wallet]),
        VaultError::WrongCollateralMint,
    );
    // A depositor token account of another mint.
    let other_account = env.create_token_account(&other_mint, &d.wallet.pubkey());
    env.mint_tokens(&other_mint, &other_authority, &other_account, 10 * USDC);
    let mut accounts = v.deposit_liquidity_accounts(&d);
    accounts.depositor_collateral = other_account;
    expect_error(
        env.send(&[v.deposit_liquidity_ix_with(accounts, USDC)], &[&d.wallet]),
        VaultError::WrongTokenAccountMint,
    );
}

#[test]
fn rejects_wrong_share_mint_and_vault_token() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    // Another collateral account of the depositor's, posing as the vault's: pay ourselves.
    let own_account = env.create_token_account(&v.collateral_mint, &d.wallet.pubkey());
    let mut accounts = v.deposit_liquidity_accounts(&d);
    accounts.vault_token = own_account;
    expect_error(
        env.send(&[v.deposit_liquidity_ix_with(accounts, USDC)], &[&d.wallet]),
        VaultError::WrongVaultTokenAccount,
    );
    let fake_authority = solana_keypair::Keypair::new();
    let fake_share_mint = env.create_mint(&fake_authority.pubkey(), 9);
    let mut accounts = v.deposit_liquidity_accounts(&d);
    accounts.share_mint = fake_share_mint;
    expect_error(
        env.send(&[v.deposit_liquidity_ix_with(accounts, USDC)], &[&d.wallet]),
        VaultError::WrongShareMint,
    );
}

#[test]
fn rejects_duplicate_mutable_accounts() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    let mut accounts = v.deposit_liquidity_accounts(&d);
    accounts.depositor_shares = d.collateral;
    expect_error(
        env.send(&[v.deposit_liquidity_ix_with(accounts, USDC)], &[&d.wallet]),
        AnchorError::ConstraintDuplicateMutableAccount,
    );
}

#[test]
fn rejects_vault_at_a_non_canonical_address() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    // A byte-identical copy of the vault, owned by the program, at an address that is not the PDA.
    let copy = Pubkey::new_unique();
    let real = env.raw_account(&v.vault).unwrap();
    env.set_raw_account(copy, real.clone());
    let mut accounts = v.deposit_liquidity_accounts(&d);
    accounts.vault = copy;
    expect_error(
        env.send(&[v.deposit_liquidity_ix_with(accounts, USDC)], &[&d.wallet]),
        VaultError::VaultNotCanonical,
    );
}

#[test]
fn rejects_vault_owned_by_another_program() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    let real = env.raw_account(&v.vault).unwrap();
    env.set_raw_account(
        v.vault,
        Account {
            owner: Pubkey::new_unique(),
            ..real
        },
    );
    expect_error(
        v.deposit_liquidity(&mut env, &d, USDC),
        AnchorError::AccountOwnedByWrongProgram,
    );
}

#[test]
fn rejects_a_market_passed_as_the_vault() {
    // Type cosplay: a program-owned account of another type has another discriminator.
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    let mut data = env.raw_account(&v.vault).unwrap();
    data.data[..8].copy_from_slice(
        &<exposure_vault::state::Market as anchor_lang::Discriminator>::DISCRIMINATOR[..8],
    );
    env.set_raw_account(v.vault, data);
    expect_error(
        v.deposit_liquidity(&mut env, &d, USDC),
        AnchorError::AccountDiscriminatorMismatch,
    );
}

#[test]
fn rejects_a_fake_token_program() {
    let (mut env, v) = setup();
    let d = v.new_depositor(&mut env, 10 * USDC);
    let mut accounts = v.deposit_liquidity_accounts(&d);
    accounts.token_program = anchor_lang::system_program::ID;
    expect_error(
        env.send(&[v.deposit_liquidity_ix_with(accounts, USDC)], &[&d.wallet]),
        AnchorError::InvalidProgramId,
    );
}

#[test]
fn rejects_share_overflow() {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(
        &mut env,
        VaultParams {
            deposit_cap: u64::MAX,
            ..default_params()
        },
    );
    // 2^60 units mint 2^60 * 1000 shares: more than u64 holds.
    let huge = 1u64 << 60;
    let d = v.new_depositor(&mut env, huge);
    let before = snapshot(&env, &v, &d.collateral);
    expect_error(
        v.deposit_liquidity(&mut env, &d, huge),
        VaultError::MathOverflow,
    );
    assert_eq!(snapshot(&env, &v, &d.collateral), before);
}
