//! The attacks of SECURITY.md, performed on the SBF build and shown refused. Each test plays an
//! adversary who holds only valid inputs: any verified Pyth update younger than the age limit,
//! instructions chained in one transaction, a second key, unbacked quotes, idle registrations.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use exposure_vault::error::VaultError;
use exposure_vault::events::{HedgeQuoteCancelled, HedgeRebalanced};
use exposure_vault::state::HedgeBook;
use exposure_vault_tests::options::{compute_limit, skewed_surface, MarketKeys, Trader, ONE};
use exposure_vault_tests::{events, expect_error, Depositor, TxResult};
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::trading::{setup, Book, SPOT};

/// The market's keys with `oracle` in place of the account it usually reads: a pull update any
/// caller may post.
pub(super) fn with_oracle(b: &Book, oracle: anchor_lang::prelude::Pubkey) -> MarketKeys {
    MarketKeys { oracle, ..b.m.keys }
}

/// Traders buy 20 ATM calls: the vault is short about $690k of dollar delta, so its NAV falls
/// as spot rises.
fn short_delta_vault() -> (Book, Trader) {
    let mut b = setup();
    let buyer = b.trader(300_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &buyer, b.atm_call, 20 * ONE)
        .expect("buy calls");
    (b, buyer)
}

fn collateral_of(b: &Book, d: &Depositor) -> u64 {
    b.env.token_balance(&d.collateral)
}

/// `refresh_marks` at the pull update `update`, then `then`, in one transaction.
fn refreshed_at(
    b: &mut Book,
    update: Pubkey,
    then: Vec<Instruction>,
    signers: &[&Keypair],
) -> TxResult {
    let mut ixs = vec![
        compute_limit(1_400_000),
        with_oracle(b, update).refresh_marks_ix(&b.v),
    ];
    ixs.extend(then);
    b.env.send(&ixs, signers)
}

/// The LP leg of an attack: marks refreshed at `update`, then a deposit of all `d` holds.
fn deposit_all_at(b: &mut Book, d: &Depositor, update: Pubkey) -> TxResult {
    let amount = collateral_of(b, d);
    let deposit =
        b.v.deposit_liquidity_ix_with(b.v.deposit_liquidity_accounts(d), amount);
    refreshed_at(b, update, vec![deposit], &[&d.wallet])
}

/// The other leg: marks refreshed at `update`, then a withdrawal of every share `d` holds.
pub(super) fn withdraw_all_at(b: &mut Book, d: &Depositor, update: Pubkey) -> TxResult {
    let shares = b.env.token_balance(&d.shares);
    let withdraw =
        b.v.withdraw_liquidity_now_with(d, b.v.withdraw_liquidity_accounts(d), shares);
    refreshed_at(b, update, withdraw, &[&d.wallet])
}

#[test]
fn a_price_older_than_the_accepted_one_is_refused_by_every_reader() {
    let (mut b, buyer) = short_delta_vault();
    b.env.warp_seconds(10);
    b.m.set_price(&mut b.env, SPOT, 5);
    b.m.refresh_marks(&mut b.env, &b.v)
        .expect("accept the newest");
    b.env.next_slot();
    // Five seconds older than what the market accepted, still inside the 60 s age limit.
    let five_seconds_ago = b.env.now() - 5;
    let older =
        b.m.write_price_update(&mut b.env, SPOT * 0.97, five_seconds_ago);
    let k = with_oracle(&b, older);
    let owner = buyer.wallet.pubkey();
    let not_newest = VaultError::OraclePriceNotNewest;
    let refresh = [compute_limit(1_400_000), k.refresh_marks_ix(&b.v)];
    expect_error(b.env.send(&refresh, &[]), not_newest);
    expect_error(b.env.send(&[k.refresh_market_price_ix()], &[]), not_newest);
    let trade = k.trade_option_ix(&b.v, owner, b.atm_call, ONE, u64::MAX);
    expect_error(b.env.send(&[trade], &[&buyer.wallet]), not_newest);
    let withdraw = k.withdraw_collateral_ix(&b.v, owner, buyer.collateral, 1);
    expect_error(b.env.send(&[withdraw], &[&buyer.wallet]), not_newest);
    let liquidator = b.trader(1_000 * 1_000_000);
    let liquidate = k.liquidate_ix(
        &b.v,
        buyer.margin,
        liquidator.wallet.pubkey(),
        None,
        Some(liquidator.collateral),
        false,
    );
    expect_error(b.env.send(&[liquidate], &[&liquidator.wallet]), not_newest);
    expect_error(
        b.env.send(&[k.check_margin_ix(&b.v, buyer.margin)], &[]),
        not_newest,
    );
}

/// The short-delta vault ten seconds on, with two valid updates newer than the one it accepted:
/// spot × `moved` five seconds ago (`high`) and spot at $65,000 now (`now`); and an attacker
/// holding $8M.
fn nav_timing_setup(moved: f64) -> (Book, Pubkey, Pubkey, Depositor) {
    let (mut b, _) = short_delta_vault();
    let t0 = b.env.now();
    b.env.warp_seconds(10);
    let high = b.m.write_price_update(&mut b.env, SPOT * moved, t0 + 5);
    let t1 = b.env.now();
    let now = b.m.write_price_update(&mut b.env, SPOT, t1);
    b.env.next_slot();
    let attacker = b.v.new_depositor(&mut b.env, 8_000_000 * 1_000_000);
    (b, high, now, attacker)
}

#[test]
fn nav_arbitrage_chained_in_one_transaction_gains_nothing() {
    // Spot 3% up (the vault's NAV lower) five seconds ago, back at $65,000 now.
    let (mut b, high, now, attacker) = nav_timing_setup(1.03);
    let before = collateral_of(&b, &attacker);
    let share_value = |b: &Book| {
        let v = b.v.state(&b.env);
        v.net_assets() as f64 / v.total_shares as f64
    };
    let lp_share_value_before = share_value(&b);
    // refresh at the high spot, deposit, refresh at the current spot, withdraw: one slot.
    deposit_all_at(&mut b, &attacker, high).expect("refresh and deposit");
    withdraw_all_at(&mut b, &attacker, now).expect("refresh and withdraw in the same slot");
    // The slot kept one price: the second refresh could not move NAV.
    let after = collateral_of(&b, &attacker);
    assert!(
        after <= before,
        "the attacker gained {} units",
        after - before
    );
    // Back at the same spot the honest LPs' shares are worth what they were (up to a few
    // seconds of option decay), plus what the attacker left behind.
    b.env.next_slot();
    refreshed_at(&mut b, now, vec![], &[]).expect("re-mark at the current spot");
    assert!(share_value(&b) >= lp_share_value_before * 0.999_999);
}

#[test]
fn nav_timing_across_slots_is_paid_for_by_the_lp_band() {
    // A 1% move inside the age limit: the band (1% of the vault's dollar delta each way) covers it.
    let (mut b, high, now, attacker) = nav_timing_setup(1.01);
    let before = collateral_of(&b, &attacker);
    deposit_all_at(&mut b, &attacker, high).expect("deposit at the stale price");
    let band = b.v.state(&b.env).lp_nav_band;
    assert!(band > 5_000 * 1_000_000, "band {band}: about 1% of $690k");
    b.env.next_slot();
    withdraw_all_at(&mut b, &attacker, now).expect("withdraw at the newest price, next slot");
    let after = collateral_of(&b, &attacker);
    assert!(after <= before, "gained {} units", after - before);
}

#[test]
fn a_round_trip_trade_chained_in_one_transaction_pays_the_spread() {
    let mut b = setup();
    let t = b.trader(100_000 * 1_000_000);
    let t0 = b.env.now();
    b.env.warp_seconds(10);
    // Buy the call at a spot 2% lower, sell it back at the current spot: the slot keeps the
    // first price, so both legs trade at it.
    let low = b.m.write_price_update(&mut b.env, SPOT * 0.98, t0 + 5);
    let t1 = b.env.now();
    let now = b.m.write_price_update(&mut b.env, SPOT, t1);
    b.env.next_slot();
    let before = b.m.margin_state(&b.env, &t.margin).collateral;
    let owner = t.wallet.pubkey();
    let buy = with_oracle(&b, low).trade_option_ix(&b.v, owner, b.atm_call, 5 * ONE, u64::MAX);
    let sell = with_oracle(&b, now).trade_option_ix(&b.v, owner, b.atm_call, -5 * ONE, 0);
    b.env.send(&[buy, sell], &[&t.wallet]).expect("round trip");
    let after = b.m.margin_state(&b.env, &t.margin).collateral;
    assert!(after < before, "round trip gained {}", after - before);
}

#[test]
fn a_healthy_account_cannot_be_liquidated_at_a_price_the_market_has_moved_past() {
    let mut b = setup();
    let seller = b.trader(12_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &seller, b.put_60k, -ONE)
        .expect("sell a put");
    let t0 = b.env.now();
    // Ten seconds later spot had dropped to $50,000 (the put deep in the money); now it is back.
    let crash = b.m.write_price_update(&mut b.env, 50_000.0, t0 + 10);
    b.env.warp_seconds(20);
    b.m.set_price(&mut b.env, SPOT, 5);
    b.m.refresh_marks(&mut b.env, &b.v)
        .expect("marks at the newest price");
    assert!(b.health(&seller).meets_maintenance);
    b.env.next_slot();
    let liquidator = b.trader(1_000 * 1_000_000);
    expect_error(
        b.liquidate_absorb_at(&seller, &liquidator, crash),
        VaultError::OraclePriceNotNewest,
    );
}

/// Traders buy five ATM calls; `provider` quotes 2.5 BTC each side at 10 bps with $20,000.
fn hedge_book() -> (Book, Trader) {
    let mut b = setup();
    let buyer = b.trader(100_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &buyer, b.atm_call, 5 * ONE)
        .expect("buy calls");
    let provider =
        b.m.new_hedge_provider(&mut b.env, &b.v, 20_000 * 1_000_000, 5 * ONE as u64 / 2, 10);
    (b, provider)
}

#[test]
fn a_provider_cannot_withdraw_the_collateral_behind_its_perpetual() {
    let (mut b, provider) = hedge_book();
    b.m.rebalance_hedge(&mut b.env, &b.v, &provider, 2 * ONE, 20)
        .expect("the vault buys 2 BTC");
    // Withdraw the quote, then try to take all the collateral out from under the short perp.
    let expiry = b.env.now() + 60;
    b.m.post_hedge_quote(&mut b.env, &b.v, &provider, 0, 10, expiry)
        .expect("zero quote");
    let owner = provider.wallet.pubkey();
    let all = b.m.margin_state(&b.env, &provider.margin).collateral;
    let ix =
        b.m.withdraw_collateral_ix(&b.v, owner, provider.collateral, all);
    expect_error(
        b.env.send(&[ix], &[&provider.wallet]),
        VaultError::InsufficientMargin,
    );
    // What the perp's initial margin does not need can go.
    let ix =
        b.m.withdraw_collateral_ix(&b.v, owner, provider.collateral, 1_000 * 1_000_000);
    b.env
        .send(&[ix], &[&provider.wallet])
        .expect("free collateral");
    // Only the owner deregisters, and only with a flat perpetual.
    let thief = b.trader(1);
    let mut ix = b.m.deregister_hedge_provider_ix(thief.wallet.pubkey());
    ix.accounts[2].pubkey = provider.margin;
    expect_error(
        b.env.send(&[ix], &[&thief.wallet]),
        VaultError::WrongMarginAccountOwner,
    );
    expect_error(
        b.env.send(
            &[b.m.deregister_hedge_provider_ix(owner)],
            &[&provider.wallet],
        ),
        VaultError::HedgePositionOpen,
    );
}

#[test]
fn an_unbacked_quote_is_refused_and_a_quote_that_loses_its_backing_is_cancelled() {
    let (mut b, honest) = hedge_book();
    // A provider with no collateral cannot post the best quote.
    let squatter = b.trader(1);
    let owner = squatter.wallet.pubkey();
    b.env
        .send(
            &[b.m.register_hedge_provider_ix(owner)],
            &[&squatter.wallet],
        )
        .expect("register");
    let expiry = b.env.now() + 3_600;
    expect_error(
        b.m.post_hedge_quote(&mut b.env, &b.v, &squatter, 1_000 * ONE as u64, 0, expiry),
        VaultError::HedgeQuoteUnbacked,
    );
    // A thin provider posts a tighter quote its collateral backs at $65,000 only just.
    let thin =
        b.m.new_hedge_provider(&mut b.env, &b.v, 7_000 * 1_000_000, ONE as u64, 1);
    // Spot rises 10%: a full fill would now leave `thin` below initial margin.
    b.move_spot(5, SPOT * 1.1);
    let seq = b.m.hedge_book_state(&b.env).rebalance_seq;
    let meta =
        b.m.rebalance_hedge(&mut b.env, &b.v, &thin, ONE, 20)
            .expect("cancels");
    assert_eq!(events::<HedgeQuoteCancelled>(&meta).len(), 1);
    assert!(events::<HedgeRebalanced>(&meta).is_empty());
    let book = b.m.hedge_book_state(&b.env);
    assert_eq!(book.rebalance_seq, seq, "nothing filled");
    let slot = book.slot_of(&thin.margin).expect("still registered");
    assert_eq!(book.quotes[slot].max_vault_buy, 0);
    // The next rebalance fills against the honest quote.
    let meta =
        b.m.rebalance_hedge(&mut b.env, &b.v, &honest, ONE, 20)
            .expect("fills");
    assert_eq!(events::<HedgeRebalanced>(&meta).len(), 1);
}

#[test]
fn idle_registrations_cannot_squat_the_hedge_book() {
    let (mut b, live) = hedge_book();
    let mut idle = Vec::new();
    while usize::from(b.m.hedge_book_state(&b.env).provider_count) < 8 {
        let t = b.trader(1);
        let owner = t.wallet.pubkey();
        b.env
            .send(&[b.m.register_hedge_provider_ix(owner)], &[&t.wallet])
            .expect("register an idle provider");
        idle.push(t);
    }
    let newcomer = b.trader(50_000 * 1_000_000);
    let owner = newcomer.wallet.pubkey();
    expect_error(
        b.env.send(
            &[b.m.register_hedge_provider_ix(owner)],
            &[&newcomer.wallet],
        ),
        VaultError::HedgeBookFull,
    );
    // A live, backed quote keeps its slot.
    let ix =
        b.m.register_hedge_provider_evicting_ix(owner, Some(live.margin));
    expect_error(
        b.env.send(&[ix], &[&newcomer.wallet]),
        VaultError::HedgeProviderSlotLive,
    );
    // An idle one does not.
    let victim = idle.pop().expect("an idle provider");
    let ix =
        b.m.register_hedge_provider_evicting_ix(owner, Some(victim.margin));
    b.env.send(&[ix], &[&newcomer.wallet]).expect("evict");
    let book = b.m.hedge_book_state(&b.env);
    assert!(book.slot_of(&newcomer.margin).is_some());
    assert!(book.slot_of(&victim.margin).is_none());
    assert_eq!(b.m.margin_state(&b.env, &victim.margin).hedge_provider, 0);
    // A flat provider leaves by itself and frees its slot; its account can then close.
    let leaver = idle.pop().expect("another idle provider");
    let leaver_owner = leaver.wallet.pubkey();
    b.env
        .send(
            &[b.m.deregister_hedge_provider_ix(leaver_owner)],
            &[&leaver.wallet],
        )
        .expect("deregister");
    assert_eq!(b.m.hedge_book_state(&b.env).provider_count, 7);
    let drain =
        b.m.withdraw_collateral_ix(&b.v, leaver_owner, leaver.collateral, 1);
    b.env.send(&[drain], &[&leaver.wallet]).expect("drain");
    b.env
        .send(
            &[b.m.close_margin_account_ix(leaver_owner)],
            &[&leaver.wallet],
        )
        .expect("close");
}

#[test]
fn keeper_and_admin_keys_rotate_in_two_steps() {
    use exposure_vault::instructions::authority_role::{ADMIN, KEEPER};
    use exposure_vault::state::pause;
    let mut b = setup();
    let v = &b.v;
    let new_keeper = b.env.new_funded_keypair(1_000_000_000);
    let new_admin = b.env.new_funded_keypair(1_000_000_000);
    // Only the admin proposes; only the proposed key accepts.
    let ix = v.propose_authority_ix(new_keeper.pubkey(), KEEPER, new_keeper.pubkey());
    expect_error(
        b.env.send(&[ix], &[&new_keeper]),
        VaultError::UnauthorizedAdmin,
    );
    let ix = v.propose_authority_ix(v.admin.pubkey(), KEEPER, new_keeper.pubkey());
    b.env.send(&[ix], &[&v.admin]).expect("propose a keeper");
    let ix = v.accept_authority_ix(new_admin.pubkey(), KEEPER);
    expect_error(
        b.env.send(&[ix], &[&new_admin]),
        VaultError::NotPendingAuthority,
    );
    let ix = v.propose_authority_ix(v.admin.pubkey(), 7, new_keeper.pubkey());
    expect_error(
        b.env.send(&[ix], &[&v.admin]),
        VaultError::InvalidAuthorityRole,
    );
    let ix = v.accept_authority_ix(new_keeper.pubkey(), 7);
    expect_error(
        b.env.send(&[ix], &[&new_keeper]),
        VaultError::InvalidAuthorityRole,
    );
    // Until it accepts, the old keeper keeps the key.
    let now = b.env.now();
    let surface = skewed_surface(now, &[b.expiry], 0.6);
    b.m.update_vol_surface(&mut b.env, &b.v, surface.clone())
        .expect("the old keeper still posts");
    let ix = v.accept_authority_ix(new_keeper.pubkey(), KEEPER);
    b.env.send(&[ix], &[&new_keeper]).expect("accept");
    expect_error(
        b.m.update_vol_surface(&mut b.env, &b.v, surface.clone()),
        VaultError::UnauthorizedKeeper,
    );
    let ix =
        b.m.update_vol_surface_ix(&b.v, new_keeper.pubkey(), surface);
    b.env
        .send(&[ix], &[&new_keeper])
        .expect("the new keeper posts");
    assert_eq!(b.v.state(&b.env).pending_keeper, Default::default());
    // The admin hands over; the vault keeps its address (its seed is the creator) and its money.
    let ix = v.propose_authority_ix(v.admin.pubkey(), ADMIN, new_admin.pubkey());
    b.env.send(&[ix], &[&v.admin]).expect("propose an admin");
    let ix = v.accept_authority_ix(new_admin.pubkey(), ADMIN);
    b.env.send(&[ix], &[&new_admin]).expect("accept");
    let old = v.set_pause_ix(v.admin.pubkey(), pause::ALL);
    expect_error(
        b.env.send(&[old], &[&b.v.admin]),
        VaultError::UnauthorizedAdmin,
    );
    let ix = b.v.set_pause_ix(new_admin.pubkey(), 0);
    b.env
        .send(&[ix], &[&new_admin])
        .expect("the new admin rules");
    let state = b.v.state(&b.env);
    assert_eq!(
        (state.admin, state.creator),
        (new_admin.pubkey(), b.v.admin.pubkey())
    );
    let lp_shares = b.env.token_balance(&b.lp.shares);
    b.v.withdraw_liquidity_now(&mut b.env, &b.lp, lp_shares / 10)
        .expect("LP flows still sign with the vault's seeds");
}

#[test]
fn a_market_that_cannot_re_mark_does_not_freeze_lp_flows_elsewhere() {
    use exposure_vault_tests::options::{OptionsMarket, CALL, DAY};
    let (mut b, _) = short_delta_vault();
    // A second market, SOL, where a trader buys calls from the vault too.
    let sol = OptionsMarket::create(&mut b.env, &b.v, 1, 150.0);
    let now = b.env.now();
    let expiry = now + 30 * DAY;
    sol.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.8))
        .expect("surface");
    let call = sol.list(&mut b.env, &b.v, 150.0, expiry, CALL);
    let buyer = sol.new_trader(&mut b.env, &b.v, 100_000 * 1_000_000, 50_000 * 1_000_000);
    sol.trade_option(&mut b.env, &b.v, &buyer, call, 100 * ONE)
        .expect("buy SOL calls");
    // Ten minutes later SOL's oracle has gone quiet; BTC is re-marked.
    b.move_spot(601, SPOT);
    let vault = b.v.state(&b.env);
    let nav = vault.net_assets() as f64;
    let shares = b.env.token_balance(&b.lp.shares) / 100;
    // Without the registry the vault cannot tell which market is stale: refused.
    let mut accounts = b.v.withdraw_liquidity_accounts(&b.lp);
    accounts.mark_registry = None;
    expect_error(
        b.env.send(
            &b.v.withdraw_liquidity_now_with(&b.lp, accounts, shares),
            &[&b.lp.wallet],
        ),
        VaultError::MarksStale,
    );
    // With it, the LP leaves, and SOL counts at its worse side: the payout is below the pro-rata
    // share of NAV by SOL's initial margin and mark.
    let before = b.env.token_balance(&b.lp.collateral);
    b.v.withdraw_liquidity_now(&mut b.env, &b.lp, shares)
        .expect("LP flows go on beside a stale market");
    let paid = (b.env.token_balance(&b.lp.collateral) - before) as f64;
    let fair = nav * shares as f64 / vault.total_shares as f64;
    assert!(paid < fair, "paid {paid} vs {fair} at the cached NAV");
    // Deposits too, at the other side.
    let lp2 = b.v.new_depositor(&mut b.env, 100_000 * 1_000_000);
    b.v.deposit_liquidity(&mut b.env, &lp2, 100_000 * 1_000_000)
        .expect("deposit beside a stale market");
    b.assert_accounting();
}

#[test]
fn risk_parameters_can_be_corrected_and_loosening_waits_a_day() {
    use exposure_vault::state::RiskProposal;
    let mut b = setup();
    let risk = b.v.market(&b.env, 0).risk;
    // A rogue or mistaken admin halves the margin factors: public for a day before it applies.
    let loose = exposure_vault::state::MarketRiskParams {
        initial_a_bps: risk.initial_a_bps / 2,
        initial_b_bps: risk.initial_b_bps / 2,
        maintenance_a_bps: risk.maintenance_a_bps / 2,
        maintenance_b_bps: risk.maintenance_b_bps / 2,
        ..risk
    };
    let outsider = b.env.new_funded_keypair(1_000_000_000);
    let mut ix = b.m.propose_market_risk_ix(&b.v, loose);
    ix.accounts[1].pubkey = outsider.pubkey();
    expect_error(
        b.env.send(&[ix], &[&outsider]),
        VaultError::UnauthorizedAdmin,
    );
    let ix = b.m.propose_market_risk_ix(&b.v, loose);
    b.env.send(&[ix], &[&b.v.admin]).expect("propose");
    let apply = b.m.apply_market_risk_ix(&b.v, false);
    expect_error(
        b.env.send(std::slice::from_ref(&apply), &[]),
        VaultError::RiskChangeNotDue,
    );
    b.env.warp_seconds(RiskProposal::DELAY_SECS);
    b.env
        .send(std::slice::from_ref(&apply), &[])
        .expect("anyone applies it once due");
    assert_eq!(b.v.market(&b.env, 0).risk, loose);
    // Tightening back applies at once; a proposal can be withdrawn by the admin.
    let ix = b.m.propose_market_risk_ix(&b.v, risk);
    b.env.send(&[ix], &[&b.v.admin]).expect("propose");
    b.env
        .send(std::slice::from_ref(&apply), &[])
        .expect("at once");
    assert_eq!(b.v.market(&b.env, 0).risk, risk);
    let tighter = exposure_vault::state::MarketRiskParams {
        max_net_delta: risk.max_net_delta / 2,
        ..risk
    };
    let ix = b.m.propose_market_risk_ix(&b.v, tighter);
    b.env.send(&[ix], &[&b.v.admin]).expect("propose");
    // Only the admin cancels: the admin's key must sign, and no other key is accepted in its place.
    let cancel = b.m.apply_market_risk_ix(&b.v, true);
    let mut unsigned = cancel.clone();
    unsigned.accounts[1].is_signer = false;
    expect_error(b.env.send(&[unsigned], &[]), VaultError::UnauthorizedAdmin);
    let mut impostor = cancel.clone();
    impostor.accounts[1].pubkey = outsider.pubkey();
    expect_error(
        b.env.send(&[impostor], &[&outsider]),
        VaultError::UnauthorizedAdmin,
    );
    b.env.send(&[cancel], &[&b.v.admin]).expect("cancel");
    assert_eq!(b.v.market(&b.env, 0).risk, risk);
    assert!(b
        .env
        .raw_account(&b.m.risk_proposal_address())
        .is_none_or(|a| a.lamports == 0));
    // Out-of-bounds parameters are refused outright.
    let bad = exposure_vault::state::MarketRiskParams {
        lp_price_band_bps: 5_000,
        ..risk
    };
    let ix = b.m.propose_market_risk_ix(&b.v, bad);
    expect_error(
        b.env.send(&[ix], &[&b.v.admin]),
        VaultError::ParamOutOfBounds,
    );
}

#[test]
fn vault_parameters_that_loosen_risk_wait_a_day() {
    use exposure_vault::state::{RiskProposal, VaultParams};
    let mut b = setup();
    let params = b.v.state(&b.env).params;
    let admin = b.v.admin.pubkey();
    // A lower confidence multiplier loosens every margin check: not at once.
    let loose = VaultParams {
        conf_multiplier_bps: 0,
        ..params
    };
    expect_error(
        b.env
            .send(&[b.v.update_params_ix(admin, loose)], &[&b.v.admin]),
        VaultError::ParamsChangeNeedsDelay,
    );
    // Neither a shorter withdrawal delay (LPs outrun bad debt) nor a longer one (LPs trapped).
    for delay in [params.withdrawal_delay_secs + 1, 0] {
        let changed = VaultParams {
            withdrawal_delay_secs: delay,
            deposit_cap: params.deposit_cap + 1,
            ..params
        };
        if changed.withdrawal_delay_secs == params.withdrawal_delay_secs {
            continue;
        }
        expect_error(
            b.env
                .send(&[b.v.update_params_ix(admin, changed)], &[&b.v.admin]),
            VaultError::ParamsChangeNeedsDelay,
        );
    }
    // A larger deposit cap or a higher multiplier applies at once.
    let tighter = VaultParams {
        conf_multiplier_bps: params.conf_multiplier_bps + 1,
        deposit_cap: params.deposit_cap * 2,
        ..params
    };
    b.env
        .send(&[b.v.update_params_ix(admin, tighter)], &[&b.v.admin])
        .expect("immediate");
    b.env
        .send(&[b.v.propose_params_ix(admin, loose)], &[&b.v.admin])
        .expect("propose");
    let apply = b.v.apply_params_ix(admin, false);
    expect_error(
        b.env.send(std::slice::from_ref(&apply), &[]),
        VaultError::RiskChangeNotDue,
    );
    b.env.warp_seconds(RiskProposal::DELAY_SECS);
    b.env
        .send(std::slice::from_ref(&apply), &[])
        .expect("anyone applies it once due");
    assert_eq!(b.v.state(&b.env).params, loose);
    // The admin can withdraw a proposal before it is due; nobody else can.
    b.env
        .send(&[b.v.propose_params_ix(admin, params)], &[&b.v.admin])
        .expect("propose");
    let outsider = b.env.new_funded_keypair(1_000_000_000);
    let mut impostor = b.v.apply_params_ix(admin, true);
    impostor.accounts[1].pubkey = outsider.pubkey();
    expect_error(
        b.env.send(&[impostor], &[&outsider]),
        VaultError::UnauthorizedAdmin,
    );
    b.env
        .send(&[b.v.apply_params_ix(admin, true)], &[&b.v.admin])
        .expect("cancel");
    expect_error(
        b.env.send(
            &[b.v.propose_params_ix(outsider.pubkey(), params)],
            &[&outsider],
        ),
        VaultError::UnauthorizedAdmin,
    );
    assert_eq!(b.v.state(&b.env).params, loose);
}

/// An LP who sees an account below zero that nobody has liquidated yet asks to leave with
/// everything. Without a delay it would be paid at a NAV that still counts the account's debt to
/// the vault as good, and the LPs who stay would eat the whole loss. With one, its shares stay in
/// the pool until the keeper has booked the bad debt, and it bears its part.
#[test]
fn an_lp_cannot_leave_ahead_of_bad_debt_the_keeper_has_yet_to_book() {
    use exposure_vault::events::{BadDebt, LiquidityWithdrawn};
    let mut b = setup();
    const DELAY: i64 = 60;
    b.v.overwrite_state(&mut b.env, |s| {
        s.params.withdrawal_delay_secs = DELAY as u32
    });
    let stake = 2_000_000 * 1_000_000;
    let leaver = b.v.new_depositor(&mut b.env, stake);
    b.v.deposit_liquidity(&mut b.env, &leaver, stake)
        .expect("second LP");
    let seller = b.trader(10_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &seller, b.put_60k, -ONE)
        .expect("sell put");
    b.move_spot(5, 40_000.0);
    assert!(b.health(&seller).equity < 0, "known, unbooked bad debt");

    let shares = b.env.token_balance(&leaver.shares);
    let fraction = shares as f64 / b.v.state(&b.env).total_shares as f64;
    b.v.request_liquidity_withdrawal(&mut b.env, &leaver, shares)
        .expect("request");
    // Not in the same transaction, nor a second later.
    expect_error(
        b.v.withdraw_liquidity(&mut b.env, &leaver),
        VaultError::WithdrawalNotDue,
    );
    b.env.warp_seconds(DELAY - 10);
    expect_error(
        b.v.withdraw_liquidity(&mut b.env, &leaver),
        VaultError::WithdrawalNotDue,
    );
    // Inside the delay the keeper liquidates: the loss is booked while the shares are in escrow.
    let liquidator = b.trader(50_000 * 1_000_000);
    let meta = b
        .liquidate_absorb(&seller, &liquidator)
        .expect("bankrupt liquidation");
    let debt = events::<BadDebt>(&meta).remove(0);
    assert!(debt.socialised > 0);
    b.move_spot(10, 40_000.0);
    let meta = b.v.withdraw_liquidity(&mut b.env, &leaver).expect("due");
    let paid = events::<LiquidityWithdrawn>(&meta).remove(0);
    assert!(paid.amount < paid.value_at_request);
    assert_eq!(paid.amount, paid.value_now);
    let borne = (paid.value_at_request - paid.amount) as f64;
    assert!(
        borne >= 0.9 * fraction * debt.socialised as f64,
        "the leaver bore {borne} of its {:.0} share of the bad debt",
        fraction * debt.socialised as f64
    );
    assert_eq!(b.env.token_balance(&leaver.shares), 0);
    b.assert_accounting();
}

/// The update an adversary's `settle_series` brings: with `finalise`, the market's own account
/// (the final call); else one of the last eight published, stale and pre-expiry ones included.
pub(super) fn settlement_pick(
    published: &[(i64, f64, Pubkey)],
    pick: usize,
    finalise: bool,
    oracle: Pubkey,
) -> Pubkey {
    if finalise {
        return oracle;
    }
    let n = published.len();
    published[n - 1 - pick % n.min(8)].2
}

/// The honest keeper's settlement turn in the adversary fuzzes: it proposes `first`, the
/// earliest update published at or after the series' expiry, once that update is 15 s old (the
/// adversary moves first), and makes the final call once the dispute period is over.
pub(super) fn honest_keeper_settles(b: &mut Book, series_index: u8, first: Option<(i64, Pubkey)>) {
    let series = b.m.book_state(&b.env).series[usize::from(series_index)];
    if series.is_settled() {
        return;
    }
    if let Some((_, update)) = first.filter(|(t, _)| b.env.now() >= t + 15) {
        let ix = b.m.settle_series_ix(&b.v, series_index, update);
        let _ = b.env.send(&[ix], &[]);
    }
    if series.settlement_final_ts != 0 && b.env.now() >= series.settlement_final_ts {
        let ix = b.m.settle_series_ix(&b.v, series_index, b.m.oracle);
        let _ = b.env.send(&[ix], &[]);
    }
}

/// The invariant fuzz with an adversary in it. A true price path moves spot by up to 40 bps
/// every 15 s; every update published in the last 60 s (the age limit) stays valid, and the
/// adversary may bring any of them to any instruction. It times NAV inside one transaction and
/// across slots, round-trips trades inside one transaction, posts unbacked quotes, liquidates an
/// honest put seller kept near maintenance at whichever update it likes, and races an honest
/// keeper to settle a series that expires mid-run, proposing whatever update it likes in
/// whatever order. After every attack it holds only collateral, and the invariants are: it never
/// holds more than it started with plus the liquidation fees it earned; every liquidation it
/// lands was of an account below maintenance at a price no older than the market's; the series
/// settles at the earliest update at or after expiry, whoever proposed what; the vault's token
/// accounting holds throughout.
mod fuzz {
    use super::*;
    use exposure_vault_tests::options::{CALL, DAY};
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Step {
        /// 15 s later, spot moved by `bps` and a new update is published.
        Move { bps: i64 },
        /// refresh(first), deposit, refresh(second), withdraw, in one transaction.
        NavRoundTrip { first: usize, second: usize },
        /// refresh(first) and deposit; next slot, refresh(second) and withdraw.
        NavAcrossSlots { first: usize, second: usize },
        /// Buy (or sell) at first, reverse at second, in one transaction.
        TradeRoundTrip {
            first: usize,
            second: usize,
            series: usize,
            size: i64,
        },
        /// A quote the adversary's collateral cannot back.
        UnbackedQuote { size: u64 },
        /// Liquidate the honest put seller at the chosen update.
        Liquidate { pick: usize },
        /// Propose the chosen update (any of the last eight) as the short series' settlement price,
        /// or, with `finalise`, make the final call at once.
        Settle { pick: usize, finalise: bool },
    }

    fn step() -> impl Strategy<Value = Step> {
        let pick = || 0usize..8;
        prop_oneof![
            3 => (-40i64..=40).prop_map(|bps| Step::Move { bps }),
            2 => (pick(), pick()).prop_map(|(first, second)| Step::NavRoundTrip { first, second }),
            2 => (pick(), pick()).prop_map(|(first, second)| Step::NavAcrossSlots { first, second }),
            2 => (pick(), pick(), 0usize..3, -3i64..=3).prop_map(|(first, second, series, size)| {
                Step::TradeRoundTrip { first, second, series, size }
            }),
            1 => (1u64..10).prop_map(|size| Step::UnbackedQuote { size }),
            2 => pick().prop_map(|pick| Step::Liquidate { pick }),
            2 => (0usize..8, any::<bool>()).prop_map(|(pick, finalise)| Step::Settle { pick, finalise }),
        ]
    }

    struct World {
        b: Book,
        /// Valid updates, oldest first: (publish time, account).
        history: Vec<(i64, Pubkey)>,
        /// Every update ever published: (publish time, spot, account).
        published: Vec<(i64, f64, Pubkey)>,
        spot: f64,
        lp: Depositor,
        trader: Trader,
        squatter: Trader,
        /// An honest put seller at initial margin, with maintenance close below it.
        victim: Trader,
        /// A call listed to expire 30 s into the run.
        short_series: u8,
        short_expiry: i64,
        /// Liquidation fees the adversary earned: the only money it may legitimately make.
        fees: u64,
        start: u64,
    }

    /// The presets, with maintenance just under initial margin so the random walk brings the
    /// victim below it, and a 60 s settlement window so the run sees settlements final.
    fn fuzz_risk() -> exposure_vault::state::MarketRiskParams {
        exposure_vault::state::MarketRiskParams {
            maintenance_a_bps: 1_480,
            maintenance_b_bps: 990,
            settlement_window_secs: 60,
            ..exposure_vault_tests::default_risk()
        }
    }

    impl World {
        fn new() -> Self {
            let mut b = super::super::trading::setup_with(fuzz_risk());
            let buyer = b.trader(300_000 * 1_000_000);
            b.m.trade_option(&mut b.env, &b.v, &buyer, b.atm_call, 20 * ONE)
                .expect("buy calls");
            let now = b.env.now();
            let short_expiry = now + 30;
            let surface = skewed_surface(now, &[short_expiry, b.expiry, now + 90 * DAY], 0.6);
            b.m.update_vol_surface(&mut b.env, &b.v, surface)
                .expect("surface with the short expiry");
            let short_series = b.m.list(&mut b.env, &b.v, SPOT, short_expiry, CALL);
            let victim = b.trader(40_000 * 1_000_000);
            b.m.trade_option(&mut b.env, &b.v, &victim, b.put_60k, -3 * ONE)
                .expect("victim sells puts");
            let h = b.health(&victim);
            let spare = (h.equity as u64 - h.initial_margin) - 1_000_000;
            let ix =
                b.m.withdraw_collateral_ix(&b.v, victim.wallet.pubkey(), victim.collateral, spare);
            b.env
                .send(&[ix], &[&victim.wallet])
                .expect("victim down to initial margin");
            let lp = b.v.new_depositor(&mut b.env, 3_000_000 * 1_000_000);
            let trader = b.trader(200_000 * 1_000_000);
            let squatter = b.trader(1);
            let owner = squatter.wallet.pubkey();
            b.env
                .send(
                    &[b.m.register_hedge_provider_ix(owner)],
                    &[&squatter.wallet],
                )
                .expect("register");
            let mut w = Self {
                b,
                history: Vec::new(),
                published: Vec::new(),
                spot: SPOT,
                lp,
                trader,
                squatter,
                victim,
                short_series,
                short_expiry,
                fees: 0,
                start: 0,
            };
            w.publish();
            w.start = w.holdings();
            w
        }

        /// Everything the adversary holds, in collateral units (it never keeps positions or
        /// shares past an attack).
        fn holdings(&self) -> u64 {
            let b = &self.b;
            b.env.token_balance(&self.lp.collateral)
                + b.env.token_balance(&self.trader.collateral)
                + b.m.margin_state(&b.env, &self.trader.margin).collateral
                + b.env.token_balance(&self.squatter.collateral)
                + b.m.margin_state(&b.env, &self.squatter.margin).collateral
        }

        fn publish(&mut self) {
            let now = self.b.env.now();
            let spot = self.spot;
            self.b.m.set_price(&mut self.b.env, spot, 5);
            let update = self.b.m.write_price_update(&mut self.b.env, spot, now);
            self.history.push((now, update));
            self.published.push((now, spot, update));
            self.history.retain(|(t, _)| now - t <= 60);
        }

        fn update(&self, pick: usize) -> Pubkey {
            self.history[pick % self.history.len()].1
        }

        fn apply(&mut self, step: &Step) {
            match *step {
                Step::Move { bps } => {
                    self.b.env.warp_seconds(15);
                    self.spot *= 1.0 + bps as f64 / 10_000.0;
                    self.publish();
                }
                // Each leg refreshes at the adversary's chosen update first; a leg whose update
                // the market has moved past is refused, and the shares are then redeemed plainly.
                Step::NavRoundTrip { first, second } => {
                    let (first, second) = (self.update(first), self.update(second));
                    if deposit_all_at(&mut self.b, &self.lp, first).is_ok()
                        && withdraw_all_at(&mut self.b, &self.lp, second).is_err()
                    {
                        self.redeem_all();
                    }
                }
                Step::NavAcrossSlots { first, second } => {
                    let (first, second) = (self.update(first), self.update(second));
                    if deposit_all_at(&mut self.b, &self.lp, first).is_ok() {
                        self.b.env.next_slot();
                        if withdraw_all_at(&mut self.b, &self.lp, second).is_err() {
                            self.redeem_all();
                        }
                    }
                }
                Step::TradeRoundTrip {
                    first,
                    second,
                    series,
                    size,
                } => {
                    if size == 0 {
                        return;
                    }
                    let slot = [self.b.atm_call, self.b.put_60k, self.b.call_70k][series];
                    let owner = self.trader.wallet.pubkey();
                    let size = size * ONE / 2;
                    let limit = |s: i64| if s > 0 { u64::MAX } else { 0 };
                    let open = with_oracle(&self.b, self.update(first)).trade_option_ix(
                        &self.b.v,
                        owner,
                        slot,
                        size,
                        limit(size),
                    );
                    let close = with_oracle(&self.b, self.update(second)).trade_option_ix(
                        &self.b.v,
                        owner,
                        slot,
                        -size,
                        limit(-size),
                    );
                    let _ = self.b.env.send(&[open, close], &[&self.trader.wallet]);
                }
                Step::UnbackedQuote { size } => {
                    let expiry = self.b.env.now() + 600;
                    let result = self.b.m.post_hedge_quote(
                        &mut self.b.env,
                        &self.b.v,
                        &self.squatter,
                        size * ONE as u64,
                        0,
                        expiry,
                    );
                    assert!(result.is_err(), "an unbacked quote was accepted");
                }
                Step::Liquidate { pick } => {
                    let (publish_time, update) = self.history[pick % self.history.len()];
                    let accepted = self.market().last_publish_time;
                    let ix = with_oracle(&self.b, update).liquidate_ix(
                        &self.b.v,
                        self.victim.margin,
                        self.trader.wallet.pubkey(),
                        None,
                        Some(self.trader.collateral),
                        false,
                    );
                    let result = self
                        .b
                        .env
                        .send(&[compute_limit(1_400_000), ix], &[&self.trader.wallet]);
                    if let Ok(meta) = result {
                        assert!(
                            publish_time >= accepted,
                            "liquidated at a price older than the market's"
                        );
                        let done = events::<exposure_vault::events::Liquidated>(&meta).remove(0);
                        assert!(
                            done.equity_before < done.maintenance_before as i64,
                            "liquidated an account above maintenance: equity {} vs {}",
                            done.equity_before,
                            done.maintenance_before
                        );
                        self.fees += done.liquidator_fee;
                    }
                }
                Step::Settle { pick, finalise } => {
                    let oracle = settlement_pick(&self.published, pick, finalise, self.b.m.oracle);
                    let ix = self
                        .b
                        .m
                        .settle_series_ix(&self.b.v, self.short_series, oracle);
                    let _ = self.b.env.send(&[ix], &[]);
                }
            }
        }

        fn market(&self) -> exposure_vault::state::Market {
            self.b.env.anchor_account(&self.b.m.market)
        }

        /// The earliest update published at or after the short series' expiry.
        fn first_after_expiry(&self) -> Option<(i64, f64, Pubkey)> {
            self.published
                .iter()
                .find(|(t, _, _)| *t >= self.short_expiry)
                .copied()
        }

        /// The honest keeper's turn after each step (`honest_keeper_settles`).
        fn keeper_settles(&mut self) {
            let first = self.first_after_expiry().map(|(t, _, update)| (t, update));
            honest_keeper_settles(&mut self.b, self.short_series, first);
        }

        /// Withdraws every share the adversary holds, at whatever the slot's price is.
        fn redeem_all(&mut self) {
            let shares = self.b.env.token_balance(&self.lp.shares);
            if shares > 0 {
                // LP flows price at marks of their own slot: re-marked at the market's price.
                let mut ix = vec![self.b.m.refresh_marks_ix(&self.b.v)];
                ix.extend(self.b.v.withdraw_liquidity_now_with(
                    &self.lp,
                    self.b.v.withdraw_liquidity_accounts(&self.lp),
                    shares,
                ));
                self.b
                    .env
                    .send(&ix, &[&self.lp.wallet])
                    .expect("the adversary can always leave: it holds no locked money");
            }
        }

        fn check(&self) {
            let now = self.holdings();
            assert!(
                now <= self.start + self.fees,
                "the adversary gained {} units beyond {} of liquidation fees",
                now - self.start,
                self.fees
            );
            let series = self.b.m.book_state(&self.b.env).series[usize::from(self.short_series)];
            if series.is_settled() {
                let (_, spot, _) = self.first_after_expiry().expect("settled on some update");
                let expected = exposure_vault_tests::options::usd(spot) as i128;
                assert!(
                    (i128::from(series.settlement_price) - expected).abs() <= 1,
                    "settled at {} where the earliest update after expiry says {expected}",
                    series.settlement_price
                );
            }
            assert_eq!(self.b.env.token_balance(&self.lp.shares), 0);
            self.b.assert_accounting();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: exposure_vault_tests::fuzz_cases("FUZZ_CASES", 24), .. ProptestConfig::default() })]
        #[test]
        fn an_adversary_choosing_among_valid_prices_never_gains(
            steps in proptest::collection::vec(step(), 1..30)
        ) {
            let mut w = World::new();
            for s in &steps {
                w.apply(s);
                w.keeper_settles();
                w.check();
            }
        }
    }
}

/// The keeper's three round trips of 18 BTC against `accomplice`, who re-posts its 20 BTC quote
/// at `spread_bps` before each, all at a slippage bound of `spread_bps`.
fn hedge_churn(b: &Book, accomplice: &Trader, spread_bps: u16) -> Vec<Instruction> {
    let seq = b.m.hedge_book_state(&b.env).rebalance_seq;
    let owner = accomplice.wallet.pubkey();
    let size = 20 * ONE as u64;
    let mut ixs = vec![compute_limit(1_400_000)];
    for i in 0..6u64 {
        if i % 2 == 0 {
            let expiry = b.env.now() + 3_600;
            ixs.push(b.m.post_hedge_quote_ix(&b.v, owner, size, size, spread_bps, expiry));
        }
        let fill = if i % 2 == 0 { 18 * ONE } else { -18 * ONE };
        ixs.push(b.m.rebalance_hedge_ix(
            &b.v,
            b.v.keeper,
            accomplice.margin,
            seq + i,
            fill,
            spread_bps,
        ));
    }
    ixs
}

/// The keeper key gone rogue, with an accomplice provider that quotes the widest spread the
/// program allows and more size than anyone else. Before this was refused, the keeper bought
/// and sold the vault's hedge back and forth against that quote, the accomplice re-posting
/// between fills, and took $351,000 of LP assets in one transaction (three round trips of
/// 18 BTC at 5% each way). Now a fill may cost at most the market's `max_hedge_slippage_bps`,
/// and each must cut the vault's net delta by half of what it trades.
#[test]
fn a_rogue_keeper_cannot_churn_the_hedge_against_an_accomplice() {
    let (mut b, _honest) = hedge_book();
    let accomplice = b.m.new_hedge_provider(
        &mut b.env,
        &b.v,
        400_000 * 1_000_000,
        20 * ONE as u64,
        HedgeBook::MAX_SPREAD_BPS,
    );
    let signers = [&b.v.keeper_wallet, &accomplice.wallet];
    let churn = hedge_churn(&b, &accomplice, HedgeBook::MAX_SPREAD_BPS);
    expect_error(
        b.env.send(&churn, &signers),
        VaultError::HedgeSlippageAboveMarketLimit,
    );
    // Within the market's 50 bps the 5% quote cannot fill at all.
    let limit = b.v.market(&b.env, 0).risk.max_hedge_slippage_bps;
    expect_error(
        b.m.rebalance_hedge(&mut b.env, &b.v, &accomplice, 3 * ONE, limit),
        VaultError::HedgeSlippageExceeded,
    );
    // Quoting at the limit, the churn fails at its first fill back.
    let churn = hedge_churn(&b, &accomplice, limit);
    expect_error(
        b.env.send(&churn, &signers),
        VaultError::RebalanceDoesNotReduceDelta,
    );
    // 3 BTC (more than the honest quote holds) hedges the vault's 2.6 BTC short delta, a little
    // through zero; the way back, or further, does not.
    let expiry = b.env.now() + 3_600;
    b.m.post_hedge_quote(
        &mut b.env,
        &b.v,
        &accomplice,
        20 * ONE as u64,
        limit,
        expiry,
    )
    .expect("quote at the limit");
    b.m.rebalance_hedge(&mut b.env, &b.v, &accomplice, 3 * ONE, limit)
        .expect("a hedge");
    for size in [-3 * ONE, 3 * ONE] {
        expect_error(
            b.m.rebalance_hedge(&mut b.env, &b.v, &accomplice, size, limit),
            VaultError::RebalanceDoesNotReduceDelta,
        );
    }
    b.assert_accounting();
}

/// The keeper key in an adversary's hands (SECURITY.md, "Keeper key"), with an accomplice
/// trader and an accomplice hedge provider, at a fixed spot. The adversary posts any surface
/// (any level, expiries moved by a second, steeper or flatter wings), alone or between the
/// accomplice's buy and its sale, in one transaction or not; fills the vault's hedge against the
/// accomplice's quote at any size and slippage bound; and waits across change windows.
///
/// What it can take is bounded, not nothing (a trusted surface cannot do better, SECURITY.md):
/// each accepted surface stays within `surface_max_change_bps` of its window's anchor at every
/// listed series, so a round trip gains at most its size times the series' largest vega
/// (F·√T·φ(0)) times the vol range the anchor allows; a hedge fill pays the provider at most the
/// market's `max_hedge_slippage_bps` of its notional, and all fills together trade at most twice
/// the delta the book created. The invariant: the adversary never holds more than those bounds
/// allow, a posted surface never stops the marks, and token accounting holds.
mod keeper_key {
    use super::*;
    use exposure_vault::math::black76::{FRAC_BITS, SECONDS_PER_YEAR};
    use exposure_vault::math::precision::VOL_PRECISION;
    use exposure_vault::math::surface::implied_vol;
    use exposure_vault::state::{SviSlice, VolSurface};
    use exposure_vault_tests::options::{usd, DAY};
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    struct Surface {
        /// ATM variance × (1 + variance_bps / 10,000).
        variance_bps: i64,
        /// Every expiry moved by this many seconds.
        shift: i64,
        /// The SVI wing slope times wing / 2, ATM variance unchanged.
        wing: i64,
    }

    #[derive(Clone, Debug)]
    enum Step {
        /// The accomplice buys (or sells) `size` half-units of a series, the keeper posts
        /// `surface`, the accomplice reverses; in one transaction when `chained`.
        RoundTrip {
            series: usize,
            size: i64,
            surface: Surface,
            chained: bool,
        },
        Post(Surface),
        /// The accomplice quotes 20 BTC each side at `spread_bps`.
        Quote {
            spread_bps: u16,
        },
        /// The keeper fills `size` half-BTC of the vault's hedge against the accomplice.
        Hedge {
            size: i64,
            slippage_bps: u16,
        },
        /// Time passes; the oracle republishes the same spot and anyone refreshes the marks.
        Wait {
            secs: i64,
        },
    }

    fn surface() -> impl Strategy<Value = Surface> {
        (-9_000i64..=20_000, -1i64..=1, 1i64..=4).prop_map(|(variance_bps, shift, wing)| Surface {
            variance_bps,
            shift,
            wing,
        })
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (0usize..3, -6i64..=6, surface(), any::<bool>()).prop_map(
                |(series, size, surface, chained)| Step::RoundTrip { series, size, surface, chained }
            ),
            2 => surface().prop_map(Step::Post),
            1 => prop::sample::select(vec![0u16, 10, 50, 500]).prop_map(|spread_bps| Step::Quote { spread_bps }),
            2 => (-12i64..=12, prop::sample::select(vec![10u16, 50, 51, 500, u16::MAX]))
                .prop_map(|(size, slippage_bps)| Step::Hedge { size, slippage_bps }),
            1 => (60i64..=700).prop_map(|secs| Step::Wait { secs }),
        ]
    }

    struct World {
        b: Book,
        trader: Trader,
        provider: Trader,
        series: [u8; 3],
        /// What the bounds allow the adversary to hold beyond its start, in collateral units.
        allowance: u128,
        start: i128,
        /// |Δ vault delta| ($) from everything but hedge fills, and the hedge notional filled.
        delta_created: u128,
        hedged: u128,
        /// The surface in force and when the window it belongs to started, as the test saw them.
        in_force: Vec<SviSlice>,
        window_start: i64,
    }

    impl World {
        fn new() -> Self {
            let mut b = setup();
            let honest = b.trader(100_000 * 1_000_000);
            b.m.trade_option(&mut b.env, &b.v, &honest, b.atm_call, 5 * ONE)
                .expect("honest buyer");
            let trader = b.trader(500_000 * 1_000_000);
            let provider = b.m.new_hedge_provider(
                &mut b.env,
                &b.v,
                400_000 * 1_000_000,
                20 * ONE as u64,
                HedgeBook::MAX_SPREAD_BPS,
            );
            let series = [b.atm_call, b.put_60k, b.call_70k];
            let surface = b.m.surface_state(&b.env);
            let mut w = Self {
                b,
                trader,
                provider,
                series,
                allowance: 0,
                start: 0,
                delta_created: 0,
                hedged: 0,
                in_force: surface.slices[..usize::from(surface.slice_count)].to_vec(),
                window_start: surface.window_start_ts,
            };
            w.start = w.holdings();
            w
        }

        /// The accomplices' collateral, wallets and the provider's perpetual at the spot.
        fn holdings(&self) -> i128 {
            let b = &self.b;
            let trader = b.m.margin_state(&b.env, &self.trader.margin);
            let provider = b.m.margin_state(&b.env, &self.provider.margin);
            let perp = provider.hedge.get();
            let perp_value = i128::from(perp.size) * i128::from(usd(SPOT)) / i128::from(ONE)
                + i128::from(perp.quote_entry);
            i128::from(b.env.token_balance(&self.trader.collateral) + trader.collateral)
                + i128::from(b.env.token_balance(&self.provider.collateral) + provider.collateral)
                + perp_value
        }

        /// The vault's net dollar delta from its cached marks, as `rebalance_hedge` sees it.
        fn vault_delta_usd(&self) -> f64 {
            let book = self.b.m.book_state(&self.b.env);
            let options: f64 = book
                .series
                .iter()
                .filter_map(|s| Some(s.vault_position()? as f64 * s.mark_delta as f64))
                .sum::<f64>()
                / 1e12;
            (options + book.vault_hedge.size as f64 / ONE as f64) * SPOT
        }

        fn slices(&self, s: &Surface) -> Vec<SviSlice> {
            let now = self.b.env.now();
            let vol = 0.6 * (1.0 + s.variance_bps as f64 / 10_000.0).max(0.0001).sqrt();
            let expiries = [self.b.expiry + s.shift, now + 90 * DAY + s.shift];
            let mut slices = skewed_surface(now, &expiries, vol);
            for slice in &mut slices {
                let atm = slice.a + slice.b * slice.sigma / 1_000_000_000;
                slice.b = slice.b * s.wing / 2;
                slice.a = atm - slice.b * slice.sigma / 1_000_000_000;
            }
            slices
        }

        fn post_ix(&self, s: &Surface) -> Instruction {
            self.b
                .m
                .update_vol_surface_ix(&self.b.v, self.b.v.keeper, self.slices(s))
        }

        /// Vol (as a fraction) of series `slot` on `slices` fitted at `fit_ts`.
        fn vol_at(&self, slices: &[SviSlice], fit_ts: i64, slot: u8) -> f64 {
            let series = self.b.m.book_state(&self.b.env).series[usize::from(slot)];
            let k = ((series.strike as f64 / usd(SPOT) as f64).ln() * (1u64 << FRAC_BITS) as f64)
                as i64;
            let math: Vec<_> = slices.iter().map(SviSlice::to_math).collect();
            let vol = implied_vol(&math, fit_ts, series.expiry_ts, k).expect("priceable");
            vol as f64 / VOL_PRECISION as f64
        }

        /// What one round trip in `slot` of `size` units may gain: size × F·√T·φ(0) × the vol
        /// range of every surface the window allows, widened by the inventory skew and 1% for
        /// fit-time differences.
        fn round_trip_bound(&self, slot: u8, size: i64) -> u128 {
            let state: VolSurface = self.b.m.surface_state(&self.b.env);
            let risk = self.b.v.market(&self.b.env, 0).risk;
            let change = f64::from(risk.surface_max_change_bps) / 10_000.0;
            let skew = f64::from(risk.inventory_skew_bps) / 10_000.0;
            // The anchor of the current window, and the surface in force (the anchor of a
            // window the next post may open).
            // Before the second post there is no anchor yet: the next post anchors on the first.
            let anchor = &state.anchor_slices[..usize::from(state.anchor_count)];
            let mut vols = vec![self.vol_at(&self.in_force, state.updated_ts, slot)];
            if !anchor.is_empty() {
                vols.push(self.vol_at(anchor, state.anchor_fit_ts, slot));
            }
            let hi = vols.iter().cloned().fold(0.0, f64::max) * (1.0 + change).sqrt();
            let lo = vols.iter().cloned().fold(f64::MAX, f64::min) * (1.0 - change).sqrt();
            let (hi, lo) = (hi * (1.0 + skew) * 1.01, lo * (1.0 - skew) / 1.01);
            let series = self.b.m.book_state(&self.b.env).series[usize::from(slot)];
            let years = (series.expiry_ts - self.b.env.now()) as f64 / SECONDS_PER_YEAR as f64;
            let vega_max = SPOT * years.sqrt() * 0.398_942_3;
            let units = size.unsigned_abs() as f64 / ONE as f64;
            (units * vega_max * (hi - lo) * 1e6) as u128 + 4
        }

        /// After a post the test saw accepted: the window's anchor is the surface that was in
        /// force when the window began, and the marks still refresh.
        fn accepted(&mut self, s: &Surface) {
            let state = self.b.m.surface_state(&self.b.env);
            if state.window_start_ts != self.window_start {
                let anchor = &state.anchor_slices[..usize::from(state.anchor_count)];
                assert_eq!(
                    anchor,
                    &self.in_force[..],
                    "a new window anchors on the surface in force"
                );
                self.window_start = state.window_start_ts;
            }
            self.in_force = self.slices(s);
            assert_eq!(
                &state.slices[..usize::from(state.slice_count)],
                &self.in_force[..]
            );
            self.b
                .m
                .refresh_marks(&mut self.b.env, &self.b.v)
                .expect("an accepted surface never stops the marks");
        }

        fn apply(&mut self, step: &Step) {
            let delta_before = self.vault_delta_usd();
            let mut hedge_fill = false;
            match step {
                Step::RoundTrip {
                    series,
                    size,
                    surface,
                    chained,
                } => {
                    let size = size * ONE / 2;
                    if size == 0 {
                        return;
                    }
                    let slot = self.series[*series];
                    let owner = self.trader.wallet.pubkey();
                    let limit = |s: i64| if s > 0 { u64::MAX } else { 0 };
                    let open = self
                        .b
                        .m
                        .trade_option_ix(&self.b.v, owner, slot, size, limit(size));
                    let close =
                        self.b
                            .m
                            .trade_option_ix(&self.b.v, owner, slot, -size, limit(-size));
                    let bound = self.round_trip_bound(slot, size);
                    let signers = [&self.trader.wallet, &self.b.v.keeper_wallet];
                    // A round trip at one surface gains nothing but rounding (inventory pricing
                    // charges the way back what it gave the way out); only an accepted post
                    // between the legs earns the bound.
                    if *chained {
                        let ixs = [compute_limit(1_400_000), open, self.post_ix(surface), close];
                        if self.b.env.send(&ixs, &signers).is_ok() {
                            self.allowance += bound;
                            self.accepted(surface);
                        }
                    } else if self.b.env.send(&[open], &[&self.trader.wallet]).is_ok() {
                        self.allowance += 4;
                        let post = self.post_ix(surface);
                        if self.b.env.send(&[post], &[&self.b.v.keeper_wallet]).is_ok() {
                            self.allowance += bound;
                            self.accepted(surface);
                        }
                        self.b
                            .env
                            .send(&[compute_limit(1_400_000), close], &[&self.trader.wallet])
                            .expect("the accomplice can always close what it just opened");
                    }
                }
                Step::Post(surface) => {
                    let post = self.post_ix(surface);
                    if self.b.env.send(&[post], &[&self.b.v.keeper_wallet]).is_ok() {
                        self.accepted(surface);
                    }
                }
                Step::Quote { spread_bps } => {
                    let expiry = self.b.env.now() + 3_600;
                    let size = 20 * ONE as u64;
                    let _ = self.b.m.post_hedge_quote(
                        &mut self.b.env,
                        &self.b.v,
                        &self.provider,
                        size,
                        *spread_bps,
                        expiry,
                    );
                }
                Step::Hedge { size, slippage_bps } => {
                    let size = size * ONE / 2;
                    if size == 0 {
                        return;
                    }
                    let result = self.b.m.rebalance_hedge(
                        &mut self.b.env,
                        &self.b.v,
                        &self.provider,
                        size,
                        *slippage_bps,
                    );
                    if let Ok(meta) = result {
                        for fill in events::<HedgeRebalanced>(&meta) {
                            let notional = u128::from(fill.size.unsigned_abs())
                                * u128::from(fill.oracle_price)
                                / ONE as u128;
                            let cost = u128::from(fill.fill_price.abs_diff(fill.oracle_price))
                                * u128::from(fill.size.unsigned_abs())
                                / ONE as u128;
                            let limit = self.b.v.market(&self.b.env, 0).risk.max_hedge_slippage_bps;
                            assert!(
                                cost <= notional * u128::from(limit) / 10_000 + 1,
                                "a fill cost {cost} on {notional}: above the market's limit"
                            );
                            self.allowance += cost + 1;
                            self.hedged += notional;
                            hedge_fill = true;
                        }
                    }
                }
                Step::Wait { secs } => {
                    self.b.env.warp_seconds(*secs);
                    self.b.m.set_price(&mut self.b.env, SPOT, 5);
                    let _ = self.b.m.refresh_marks(&mut self.b.env, &self.b.v);
                }
            }
            if !hedge_fill {
                self.delta_created += (self.vault_delta_usd() - delta_before).abs() as u128;
            }
        }

        fn check(&self) {
            let gained = self.holdings() - self.start;
            assert!(
                gained <= self.allowance as i128,
                "the keeper key and its accomplices took {gained} units, bounds allow {}",
                self.allowance
            );
            let start_delta = 5.0 * 0.55 * SPOT; // the honest buyer's calls, generously
            assert!(
                self.hedged as f64 / 1e6 <= 2.0 * (start_delta + self.delta_created as f64) + 1.0,
                "hedged ${} against ${} of delta created",
                self.hedged as f64 / 1e6,
                self.delta_created
            );
            self.b.assert_accounting();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: exposure_vault_tests::fuzz_cases("FUZZ_CASES", 24), .. ProptestConfig::default() })]
        #[test]
        fn a_rogue_keeper_takes_no_more_than_its_bounds(
            steps in proptest::collection::vec(step(), 1..30)
        ) {
            let mut w = World::new();
            for s in &steps {
                w.apply(s);
                w.check();
            }
        }
    }
}
