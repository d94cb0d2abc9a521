use exposure_vault::error::VaultError;
use exposure_vault::state::pause;
use exposure_vault_tests::{default_params, expect_error, TestEnv, VaultFixture};
use solana_signer::Signer;

const USDC: u64 = 1_000_000;
const SHARES_PER_USDC: u64 = 1_000 * USDC;

fn funded() -> (
    TestEnv,
    VaultFixture,
    exposure_vault_tests::vault::Depositor,
) {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let d = v.new_depositor(&mut env, 1_000 * USDC);
    v.deposit_liquidity(&mut env, &d, 1_000 * USDC)
        .expect("deposit");
    (env, v, d)
}

#[test]
fn withdraw_burns_shares_and_pays_at_nav() {
    let (mut env, v, d) = funded();
    let requested = v
        .request_liquidity_withdrawal(&mut env, &d, 250 * SHARES_PER_USDC)
        .expect("request");
    let paid = v.withdraw_liquidity(&mut env, &d).expect("withdraw");
    println!(
        "request_liquidity_withdrawal {} CU, withdraw_liquidity {} CU",
        requested.compute_units_consumed, paid.compute_units_consumed
    );
    assert_eq!(env.token_balance(&d.collateral), 250 * USDC);
    assert_eq!(env.token_balance(&d.shares), 750 * SHARES_PER_USDC);
    let state = v.state(&env);
    assert_eq!(state.lp_assets, 750 * USDC);
    assert_eq!(state.total_shares, 750 * SHARES_PER_USDC);
    assert_eq!(env.mint_supply(&v.share_mint), state.total_shares);
    assert_eq!(env.token_balance(&v.vault_token), 750 * USDC);
    // Everything else out: the depositor gets back exactly what they put in.
    v.withdraw_liquidity_now(&mut env, &d, 750 * SHARES_PER_USDC)
        .expect("withdraw rest");
    assert_eq!(env.token_balance(&d.collateral), 1_000 * USDC);
    assert_eq!(v.state(&env).lp_assets, 0);
}

#[test]
fn rejects_zero_shares() {
    let (mut env, v, d) = funded();
    expect_error(
        v.withdraw_liquidity_now(&mut env, &d, 0),
        VaultError::ZeroAmount,
    );
}

#[test]
fn rejects_more_shares_than_held() {
    let (mut env, v, d) = funded();
    let held = env.token_balance(&d.shares);
    expect_error(
        v.withdraw_liquidity_now(&mut env, &d, held + 1),
        VaultError::InsufficientShares,
    );
    assert_eq!(env.token_balance(&d.shares), held);
}

#[test]
fn rejects_dust_that_pays_nothing() {
    let (mut env, v, d) = funded();
    // One share is a thousandth of a base unit: rounds to zero collateral.
    expect_error(
        v.withdraw_liquidity_now(&mut env, &d, 1),
        VaultError::ZeroAssetsOut,
    );
}

#[test]
fn rejects_withdrawal_while_paused() {
    let (mut env, v, d) = funded();
    v.set_pause(&mut env, pause::WITHDRAWALS).expect("pause");
    expect_error(
        v.withdraw_liquidity_now(&mut env, &d, SHARES_PER_USDC),
        VaultError::WithdrawalsPaused,
    );
    v.set_pause(&mut env, 0).expect("unpause");
    v.withdraw_liquidity_now(&mut env, &d, SHARES_PER_USDC)
        .expect("withdraw after unpause");
}

#[test]
fn rejects_burning_someone_elses_shares() {
    let (mut env, v, victim) = funded();
    let thief = v.new_depositor(&mut env, 0);
    let mut accounts = v.request_liquidity_withdrawal_accounts(&thief);
    accounts.owner_shares = victim.shares;
    let ix = v.request_liquidity_withdrawal_ix_with(accounts, SHARES_PER_USDC);
    expect_error(
        env.send(&[ix], &[&thief.wallet]),
        VaultError::WrongTokenAccountOwner,
    );
    assert_eq!(env.token_balance(&victim.shares), 1_000 * SHARES_PER_USDC);
}

#[test]
fn rejects_payout_to_an_account_of_another_mint() {
    let (mut env, v, d) = funded();
    // A second share-mint account as the payout destination.
    let share_account = env.create_token_account(&v.share_mint, &d.wallet.pubkey());
    let mut accounts = v.withdraw_liquidity_accounts(&d);
    accounts.owner_collateral = share_account;
    let ixs = v.withdraw_liquidity_now_with(&d, accounts, SHARES_PER_USDC);
    expect_error(
        env.send(&ixs, &[&d.wallet]),
        VaultError::WrongTokenAccountMint,
    );
}

#[test]
fn withdrawals_stop_at_free_collateral() {
    let (mut env, v, d) = funded();
    // 600 USDC of the vault's 1,000 backs open positions: only 400 is free.
    v.overwrite_state(&mut env, |s| s.locked_liability = 600 * USDC);
    expect_error(
        v.withdraw_liquidity_now(&mut env, &d, 400 * SHARES_PER_USDC + 1_000),
        VaultError::InsufficientFreeCollateral,
    );
    v.withdraw_liquidity_now(&mut env, &d, 400 * SHARES_PER_USDC)
        .expect("free part");
    expect_error(
        v.withdraw_liquidity_now(&mut env, &d, SHARES_PER_USDC),
        VaultError::InsufficientFreeCollateral,
    );
}

#[test]
fn donations_do_not_move_the_share_price() {
    // First-depositor inflation attack: deposit 1 unit, donate a fortune to the vault's token
    // account, hope the victim's deposit rounds to zero shares.
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let attacker = v.new_depositor(&mut env, 1_000_000 * USDC);
    let victim = v.new_depositor(&mut env, 1_000 * USDC);
    v.deposit_liquidity(&mut env, &attacker, 1)
        .expect("attacker seeds the vault");
    env.transfer_tokens(
        &attacker.collateral,
        &v.vault_token,
        &attacker.wallet,
        500_000 * USDC,
    );

    v.deposit_liquidity(&mut env, &victim, 1_000 * USDC)
        .expect("victim deposit");
    assert_eq!(
        env.token_balance(&victim.shares),
        1_000 * SHARES_PER_USDC,
        "victim shares at fair value"
    );

    let victim_shares = env.token_balance(&victim.shares);
    v.withdraw_liquidity_now(&mut env, &victim, victim_shares)
        .expect("victim exits");
    assert_eq!(
        env.token_balance(&victim.collateral),
        1_000 * USDC,
        "victim loses nothing"
    );

    let attacker_shares = env.token_balance(&attacker.shares);
    v.withdraw_liquidity_now(&mut env, &attacker, attacker_shares)
        .expect("attacker exits");
    let attacker_final = env.token_balance(&attacker.collateral);
    assert!(
        attacker_final < 1_000_000 * USDC,
        "attack loses the donation: {attacker_final}"
    );
    // The donation stays in the token account, outside LP accounting.
    assert_eq!(v.state(&env).lp_assets, 0);
    assert_eq!(env.token_balance(&v.vault_token), 500_000 * USDC);
    let _ = attacker.wallet.pubkey();
}

#[test]
fn rejects_missing_owner_signature() {
    let (mut env, v, d) = funded();
    let mut ix = v.request_liquidity_withdrawal_ix_with(
        v.request_liquidity_withdrawal_accounts(&d),
        SHARES_PER_USDC,
    );
    ix.accounts[1].is_signer = false; // owner
    expect_error(
        env.send(&[ix], &[]),
        anchor_lang::error::ErrorCode::AccountNotSigner,
    );
    assert_eq!(env.token_balance(&d.shares), 1_000 * SHARES_PER_USDC);
}

#[test]
fn rejects_wrong_collateral_and_share_mints() {
    let (mut env, v, d) = funded();
    let authority = solana_keypair::Keypair::new();
    let other_mint = env.create_mint(&authority.pubkey(), 6);
    let mut accounts = v.withdraw_liquidity_accounts(&d);
    accounts.collateral_mint = other_mint;
    let ixs = v.withdraw_liquidity_now_with(&d, accounts, SHARES_PER_USDC);
    expect_error(
        env.send(&ixs, &[&d.wallet]),
        VaultError::WrongCollateralMint,
    );
    let mut accounts = v.withdraw_liquidity_accounts(&d);
    accounts.share_mint = other_mint;
    let ixs = v.withdraw_liquidity_now_with(&d, accounts, SHARES_PER_USDC);
    expect_error(env.send(&ixs, &[&d.wallet]), VaultError::WrongShareMint);
    let mut accounts = v.request_liquidity_withdrawal_accounts(&d);
    accounts.share_mint = other_mint;
    let ix = v.request_liquidity_withdrawal_ix_with(accounts, SHARES_PER_USDC);
    expect_error(env.send(&[ix], &[&d.wallet]), VaultError::WrongShareMint);
    assert_eq!(v.state(&env).lp_assets, 1_000 * USDC);
}

/// A vault whose withdrawals wait `DELAY` seconds, and its depositor.
fn delayed() -> (
    TestEnv,
    VaultFixture,
    exposure_vault_tests::vault::Depositor,
) {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(
        &mut env,
        exposure_vault::state::VaultParams {
            withdrawal_delay_secs: DELAY as u32,
            ..default_params()
        },
    );
    let d = v.new_depositor(&mut env, 1_000 * USDC);
    v.deposit_liquidity(&mut env, &d, 1_000 * USDC)
        .expect("deposit");
    (env, v, d)
}

const DELAY: i64 = 3_600;

fn is_closed(env: &TestEnv, key: &anchor_lang::prelude::Pubkey) -> bool {
    env.raw_account(key).is_none_or(|a| a.lamports == 0)
}

#[test]
fn a_request_waits_out_the_delay_with_its_shares_in_escrow() {
    let (mut env, v, d) = delayed();
    v.request_liquidity_withdrawal(&mut env, &d, 400 * SHARES_PER_USDC)
        .expect("request");
    let owner = d.wallet.pubkey();
    let escrow = v.withdrawal_shares_address(&owner);
    assert_eq!(env.token_balance(&escrow), 400 * SHARES_PER_USDC);
    assert_eq!(env.token_balance(&d.shares), 600 * SHARES_PER_USDC);
    // Shares in escrow stay in the supply: they bear what happens to the pool meanwhile.
    assert_eq!(v.state(&env).total_shares, 1_000 * SHARES_PER_USDC);
    expect_error(
        v.request_liquidity_withdrawal(&mut env, &d, SHARES_PER_USDC),
        VaultError::WithdrawalAlreadyRequested,
    );
    expect_error(
        v.withdraw_liquidity(&mut env, &d),
        VaultError::WithdrawalNotDue,
    );
    env.warp_seconds(DELAY - 1);
    expect_error(
        v.withdraw_liquidity(&mut env, &d),
        VaultError::WithdrawalNotDue,
    );
    env.warp_seconds(1);
    v.withdraw_liquidity(&mut env, &d).expect("due");
    assert_eq!(env.token_balance(&d.collateral), 400 * USDC);
    assert!(is_closed(&env, &escrow), "escrow closed");
    assert!(is_closed(&env, &v.withdrawal_request_address(&owner)));
    let state = v.state(&env);
    assert_eq!(state.total_shares, 600 * SHARES_PER_USDC);
    assert_eq!(state.lp_assets, 600 * USDC);
    assert_eq!(env.mint_supply(&v.share_mint), state.total_shares);
    // A fresh request after completion.
    v.request_liquidity_withdrawal(&mut env, &d, SHARES_PER_USDC)
        .expect("again");
}

#[test]
fn gains_during_the_delay_stay_with_the_lps_who_stay() {
    let (mut env, v, d) = delayed();
    let stayer = v.new_depositor(&mut env, 1_000 * USDC);
    v.deposit_liquidity(&mut env, &stayer, 1_000 * USDC)
        .expect("deposit");
    v.request_liquidity_withdrawal(&mut env, &d, 1_000 * SHARES_PER_USDC)
        .expect("request");
    // The pool earns 200 USDC while the request waits.
    v.overwrite_state(&mut env, |s| s.lp_assets += 200 * USDC);
    env.mint_tokens(
        &v.collateral_mint,
        &v.mint_authority,
        &v.vault_token,
        200 * USDC,
    );
    env.warp_seconds(DELAY);
    v.withdraw_liquidity(&mut env, &d).expect("due");
    assert_eq!(
        env.token_balance(&d.collateral),
        1_000 * USDC,
        "the value at the request"
    );
    // The whole gain is the stayer's.
    let state = v.state(&env);
    assert_eq!(state.total_shares, 1_000 * SHARES_PER_USDC);
    assert_eq!(state.net_assets(), 1_200 * USDC);
}

#[test]
fn a_cancelled_request_returns_the_shares_even_while_paused() {
    let (mut env, v, d) = delayed();
    v.request_liquidity_withdrawal(&mut env, &d, 250 * SHARES_PER_USDC)
        .expect("request");
    v.set_pause(&mut env, pause::WITHDRAWALS).expect("pause");
    env.warp_seconds(DELAY);
    expect_error(
        v.withdraw_liquidity(&mut env, &d),
        VaultError::WithdrawalsPaused,
    );
    v.cancel_liquidity_withdrawal(&mut env, &d)
        .expect("cancel while paused");
    assert_eq!(env.token_balance(&d.shares), 1_000 * SHARES_PER_USDC);
    assert!(is_closed(
        &env,
        &v.withdrawal_shares_address(&d.wallet.pubkey())
    ));
    expect_error(
        v.request_liquidity_withdrawal(&mut env, &d, SHARES_PER_USDC),
        VaultError::WithdrawalsPaused,
    );
}

#[test]
fn nobody_else_completes_or_cancels_a_request() {
    let (mut env, v, d) = delayed();
    v.request_liquidity_withdrawal(&mut env, &d, 250 * SHARES_PER_USDC)
        .expect("request");
    env.warp_seconds(DELAY);
    let thief = v.new_depositor(&mut env, 10 * USDC);
    v.deposit_liquidity(&mut env, &thief, 10 * USDC)
        .expect("thief deposits");
    // The thief signs, naming the victim's request and escrow: they are not the thief's.
    let mut accounts = v.withdraw_liquidity_accounts(&thief);
    accounts.withdrawal_request = v.withdrawal_request_address(&d.wallet.pubkey());
    accounts.withdrawal_shares = v.withdrawal_shares_address(&d.wallet.pubkey());
    let ix = exposure_vault_client::program_ix(
        accounts,
        exposure_vault::instruction::WithdrawLiquidity {},
    );
    expect_error(
        env.send(&[ix], &[&thief.wallet]),
        VaultError::WrongWithdrawalRequest,
    );
    let mut cancel = v.cancel_liquidity_withdrawal_ix(thief.wallet.pubkey(), thief.shares);
    cancel.accounts[4].pubkey = v.withdrawal_request_address(&d.wallet.pubkey());
    cancel.accounts[5].pubkey = v.withdrawal_shares_address(&d.wallet.pubkey());
    expect_error(
        env.send(&[cancel], &[&thief.wallet]),
        VaultError::WrongWithdrawalRequest,
    );
    // With a request of its own, the thief names the victim's escrow beside it: refused too, so
    // a completion can only ever burn the shares its own request escrowed.
    v.request_liquidity_withdrawal(&mut env, &thief, SHARES_PER_USDC)
        .expect("thief's own request");
    env.warp_seconds(DELAY);
    let mut accounts = v.withdraw_liquidity_accounts(&thief);
    accounts.withdrawal_shares = v.withdrawal_shares_address(&d.wallet.pubkey());
    let ix = exposure_vault_client::program_ix(
        accounts,
        exposure_vault::instruction::WithdrawLiquidity {},
    );
    expect_error(
        env.send(&[ix], &[&thief.wallet]),
        VaultError::WrongWithdrawalRequest,
    );
    // The victim's request is intact.
    v.withdraw_liquidity(&mut env, &d).expect("owner completes");
    assert_eq!(env.token_balance(&d.collateral), 250 * USDC);
}
