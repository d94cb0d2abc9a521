//! Full options flows on the SBF build: LPs deposit, traders buy calls and puts and sell puts
//! on margin, the oracle moves, margin blocks risk, caps bite, LP withdrawals stop at locked
//! collateral, and stale marks stop NAV reads until `refresh_marks` runs.
use anchor_lang::prelude::Pubkey;
use exposure_vault::error::VaultError;
use exposure_vault::events::{MarginHealth, OptionTraded};
use exposure_vault::math::black76::{black76, OptionSide};
use exposure_vault::math::margin::{
    dollar_gamma, inventory_lean_bps, inventory_price, premium, trade_fee_rate_e8,
};
use exposure_vault::state::MarketRiskParams;
use exposure_vault_client::MarketKeys;
use exposure_vault_tests::options::{
    skewed_surface, usd, OptionsMarket, Trader, CALL, DAY, ONE, PUT,
};
use exposure_vault_tests::{
    default_params, default_risk, events, expect_error, Depositor, TestEnv, TxResult, VaultFixture,
};
use solana_signer::Signer;

pub const SPOT: f64 = 65_000.0;
/// LP deposit: $1M (6-decimal collateral).
pub const LP_DEPOSIT: u64 = 1_000_000 * 1_000_000;

/// A vault with $1M of LP money and a BTC market at $65,000 with a two-expiry skewed surface
/// (60% ATM) and three 30-day series: ATM call, 60k put, 70k call.
pub struct Book {
    pub env: TestEnv,
    pub v: VaultFixture,
    pub m: OptionsMarket,
    pub lp: Depositor,
    pub expiry: i64,
    pub atm_call: u8,
    pub put_60k: u8,
    pub call_70k: u8,
}

pub fn setup() -> Book {
    setup_with(default_risk())
}

pub fn setup_with(risk: MarketRiskParams) -> Book {
    let mut env = TestEnv::new();
    let v = VaultFixture::new(&mut env, default_params());
    let lp = v.new_depositor(&mut env, LP_DEPOSIT);
    v.deposit_liquidity(&mut env, &lp, LP_DEPOSIT)
        .expect("LP deposit");
    let m = OptionsMarket::create_with(&mut env, &v, 0, SPOT, risk);
    let now = env.now();
    let expiry = now + 30 * DAY;
    m.update_vol_surface(
        &mut env,
        &v,
        skewed_surface(now, &[expiry, now + 90 * DAY], 0.6),
    )
    .expect("post surface");
    let atm_call = m.list(&mut env, &v, SPOT, expiry, CALL);
    let put_60k = m.list(&mut env, &v, 60_000.0, expiry, PUT);
    let call_70k = m.list(&mut env, &v, 70_000.0, expiry, CALL);
    Book {
        env,
        v,
        m,
        lp,
        expiry,
        atm_call,
        put_60k,
        call_70k,
    }
}

impl Book {
    pub fn trader(&mut self, margin_units: u64) -> Trader {
        self.m
            .new_trader(&mut self.env, &self.v, margin_units * 2 + 1, margin_units)
    }

    pub fn health(&mut self, t: &Trader) -> MarginHealth {
        let ix = self.m.check_margin_ix(&self.v, t.margin);
        let meta = self.env.send(&[ix], &[]).expect("check_margin");
        events::<MarginHealth>(&meta).remove(0)
    }

    /// `seconds` later the oracle publishes `spot` and the marks are cranked.
    pub fn move_spot(&mut self, seconds: i64, spot: f64) {
        self.env.warp_seconds(seconds);
        self.m.set_price(&mut self.env, spot, 5);
        self.m
            .refresh_marks(&mut self.env, &self.v)
            .expect("refresh marks");
    }

    /// An account under initial margin can neither withdraw collateral nor add risk: not by
    /// selling more of `short_series`, nor by buying `other_series`.
    pub fn assert_cannot_add_risk(&mut self, t: &Trader, short_series: u8, other_series: u8) {
        let ix = self
            .m
            .withdraw_collateral_ix(&self.v, t.wallet.pubkey(), t.collateral, 1_000_000);
        expect_error(
            self.env.send(&[ix], &[&t.wallet]),
            VaultError::InsufficientMargin,
        );
        expect_error(
            self.m
                .trade_option(&mut self.env, &self.v, t, short_series, -ONE / 10),
            VaultError::InsufficientMargin,
        );
        expect_error(
            self.m
                .trade_option(&mut self.env, &self.v, t, other_series, ONE / 10),
            VaultError::InsufficientMargin,
        );
    }

    /// `by` liquidates `target`, the vault absorbing its positions and the fee going to `by`'s
    /// collateral token account.
    pub fn liquidate_absorb(&mut self, target: &Trader, by: &Trader) -> TxResult {
        let oracle = self.m.oracle;
        self.liquidate_absorb_at(target, by, oracle)
    }

    /// `liquidate_absorb` reading the pull update `oracle` instead of the market's own account.
    pub fn liquidate_absorb_at(
        &mut self,
        target: &Trader,
        by: &Trader,
        oracle: Pubkey,
    ) -> TxResult {
        let keys = MarketKeys {
            oracle,
            ..self.m.keys
        };
        let ix = keys.liquidate_ix(
            &self.v,
            target.margin,
            by.wallet.pubkey(),
            None,
            Some(by.collateral),
            false,
        );
        self.env.send(&[ix], &[&by.wallet])
    }

    /// Internal accounting equals the token balance of the vault's token account.
    pub fn assert_accounting(&self) {
        let vault = self.v.state(&self.env);
        assert_eq!(
            self.env.token_balance(&self.v.vault_token),
            vault.lp_assets + vault.trader_collateral,
            "vault_token balance != lp_assets + trader_collateral"
        );
    }
}

/// The inventory adjustment leans on the traded expiry's book alone: a vault heavily short vega
/// in the 30-day expiry prices a 90-day call exactly as a vault holding nothing would.
#[test]
fn inventory_pricing_leans_on_the_traded_expirys_book() {
    let far = |b: &mut Book| {
        let expiry = b.env.now() + 90 * DAY;
        b.m.list(&mut b.env, &b.v, SPOT, expiry, CALL)
    };
    // A fresh vault: one 90-day call bought.
    let mut fresh = setup();
    let far_call = far(&mut fresh);
    let t = fresh.trader(50_000 * 1_000_000);
    let meta = fresh
        .m
        .trade_option(&mut fresh.env, &fresh.v, &t, far_call, ONE)
        .expect("buy");
    let alone = events::<OptionTraded>(&meta).remove(0);
    // A vault already short five 30-day calls, then the same 90-day trade.
    let mut loaded = setup();
    let far_call = far(&mut loaded);
    let big = loaded.trader(200_000 * 1_000_000);
    let meta = loaded
        .m
        .trade_option(&mut loaded.env, &loaded.v, &big, loaded.atm_call, 5 * ONE)
        .expect("the vault sells near calls");
    let near = events::<OptionTraded>(&meta).remove(0);
    assert!(near.expiry_net_vega < 0 && near.inventory_vol_shift > 0);
    let t = loaded.trader(50_000 * 1_000_000);
    let meta = loaded
        .m
        .trade_option(&mut loaded.env, &loaded.v, &t, far_call, ONE)
        .expect("buy");
    let beside = events::<OptionTraded>(&meta).remove(0);
    // The market's vega carries the near short; the far expiry's does not.
    assert!(beside.vault_net_vega < beside.expiry_net_vega);
    assert_eq!(beside.expiry_net_vega, alone.expiry_net_vega);
    assert_eq!(beside.expiry_net_gamma, alone.expiry_net_gamma);
    assert_eq!(beside.inventory_vol_shift, alone.inventory_vol_shift);
    assert_eq!(beside.model_price, alone.model_price);
    // The spread and the vega fee still read the market's caps: the near short widens them.
    assert!(beside.spread_bps > alone.spread_bps);
}

#[test]
fn buying_a_call_pays_model_price_plus_spread_and_fee() {
    let mut b = setup();
    let t = b.trader(20_000 * 1_000_000);
    let before = b.v.state(&b.env);
    let meta =
        b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, ONE)
            .expect("buy 1 ATM call");
    let trade = events::<OptionTraded>(&meta).remove(0);

    // The model price is Black-76 at the surface's vol for this strike (ATM: 60%).
    let reference = black76(
        OptionSide::Call,
        usd(SPOT),
        usd(SPOT),
        30 * DAY as u64,
        trade.vol,
    )
    .unwrap();
    // ...moved against the vault's inventory in the expiry after the trade: selling a call
    // leaves the vault short vega and short gamma, so the price is marked up
    // (`math::margin::inventory_price`), both Greeks leaning the same way. One expiry is held,
    // so the expiry's vega is the market's.
    let risk = default_risk();
    assert!(trade.expiry_net_vega < 0 && trade.expiry_net_gamma < 0);
    assert_eq!(trade.expiry_net_vega, trade.vault_net_vega);
    let lean = inventory_lean_bps(
        i128::from(trade.expiry_net_vega),
        risk.max_net_vega,
        i128::from(trade.expiry_net_gamma),
        risk.max_net_gamma,
    )
    .unwrap();
    let vega_only =
        inventory_lean_bps(i128::from(trade.expiry_net_vega), risk.max_net_vega, 0, 0).unwrap();
    assert!(lean > vega_only && vega_only > 0, "{lean} vs {vega_only}");
    // The event's gamma is the series' dollar gamma: vega / (100·σ·T) per unit.
    let gamma = dollar_gamma(reference.vega, trade.vol, 30 * DAY as u64);
    assert!(
        (trade.expiry_net_gamma + gamma as i64).abs() <= 1,
        "{} vs {gamma}",
        trade.expiry_net_gamma
    );
    let (priced, shift) = inventory_price(
        reference.price,
        reference.vega,
        trade.vol,
        lean,
        risk.inventory_skew_bps,
    )
    .unwrap();
    assert_eq!(
        (trade.model_price, trade.inventory_vol_shift),
        (priced, shift)
    );
    assert!(shift > 0 && trade.model_price > reference.price);
    assert!(trade.vol.abs_diff(600_000) < 2_000, "ATM vol {}", trade.vol);
    // ≈ 0.4·σ√T·F for an ATM option.
    let approx = 0.4 * 0.6 * (30.0f64 / 365.0).sqrt() * SPOT;
    assert!(((reference.price as f64 / 1e6) - approx).abs() / approx < 0.01);
    let spread = trade.spread_bps;
    assert!((50..450).contains(&spread));
    let gross = (trade.model_price as u128 * (10_000 + spread as u128)).div_ceil(10_000) as u64;
    // The taker fee, and the vega fee: the trade took the vault's |vega| up from zero.
    let rate = trade_fee_rate_e8(
        risk.taker_fee_bps,
        0,
        i128::from(trade.vault_net_vega),
        risk.max_net_vega,
        risk.vega_fee_bps,
    );
    assert!(rate > 10 * 10_000);
    let fee = (gross as u128 * rate as u128).div_ceil(100_000_000) as u64;
    assert_eq!(trade.premium, gross + fee);
    assert_eq!(trade.fee, fee);

    let after = b.v.state(&b.env);
    assert_eq!(after.lp_assets, before.lp_assets + trade.premium);
    let margin = b.m.margin_state(&b.env, &t.margin);
    assert_eq!(margin.collateral, 20_000 * 1_000_000 - trade.premium);
    assert_eq!(margin.position_size(0, b.atm_call), ONE);
    let series = b.m.book_state(&b.env).series[b.atm_call as usize];
    assert_eq!((series.open_long, series.open_short), (ONE as u64, 0));
    // The vault is short the call: its mark is a liability and its margin is locked.
    assert!(after.options_value < 0);
    assert!(after.locked_liability > 0);
    assert!(trade.vault_net_delta < 0);
    b.assert_accounting();
}

#[test]
fn buying_a_put_and_selling_it_back_round_trips_through_the_spread() {
    let mut b = setup();
    let t = b.trader(10_000 * 1_000_000);
    let paid = events::<OptionTraded>(
        &b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, 2 * ONE)
            .unwrap(),
    )
    .remove(0)
    .premium;
    let got = events::<OptionTraded>(
        &b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -2 * ONE)
            .unwrap(),
    )
    .remove(0)
    .premium;
    assert!(
        got < paid,
        "selling back must not return more than was paid"
    );
    let margin = b.m.margin_state(&b.env, &t.margin);
    assert_eq!(margin.position_count, 0);
    assert_eq!(margin.collateral, 10_000 * 1_000_000 - paid + got);
    let vault = b.v.state(&b.env);
    assert_eq!(vault.lp_assets, LP_DEPOSIT + paid - got);
    assert_eq!((vault.options_value, vault.locked_liability), (0, 0));
    b.assert_accounting();
}

/// The vault prices against its vega inventory: flow that adds to its short vega pays a marked-up
/// vol and the vega fee; flow that reduces it is paid the marked-up vol, fee-free; and a trade
/// and its reverse never earn the shift.
#[test]
fn the_vault_prices_options_against_its_vega_inventory() {
    let mut b = setup();
    let buyer = b.trader(100_000 * 1_000_000);
    let seller = b.trader(100_000 * 1_000_000);
    let trade = |b: &mut Book, t: &Trader, size: i64| {
        let meta =
            b.m.trade_option(&mut b.env, &b.v, t, b.atm_call, size)
                .expect("trade");
        events::<OptionTraded>(&meta).remove(0)
    };
    let bought = trade(&mut b, &buyer, 5 * ONE);
    assert!(bought.vault_net_vega < 0 && bought.inventory_vol_shift > 0);
    // A second buyer pays a higher vol still: the vault is shorter vega after it.
    let more = trade(&mut b, &buyer, ONE);
    assert!(more.inventory_vol_shift > bought.inventory_vol_shift);
    // A seller reduces the short: paid at the (smaller) mark-up of the book after, no vega fee.
    let sold = trade(&mut b, &seller, -ONE);
    assert!(sold.inventory_vol_shift > 0 && sold.inventory_vol_shift < more.inventory_vol_shift);
    let taker_fee = |t: &OptionTraded| {
        let gross = events_gross(t);
        (gross as u128 * 10).div_ceil(10_000) as u64
    };
    assert!(more.fee > taker_fee(&more), "the vega fee on adding risk");
    assert_eq!(sold.fee, taker_fee(&sold), "no vega fee on reducing risk");
    // The buyer's round trip: everything back, at the book after each leg.
    let back = trade(&mut b, &buyer, -6 * ONE);
    assert!(back.premium < bought.premium + more.premium);
    b.assert_accounting();
}

/// The gross premium of a trade, from its event: model price ± spread on the size.
fn events_gross(t: &OptionTraded) -> u64 {
    premium(
        t.model_price,
        t.size.unsigned_abs(),
        t.spread_bps,
        t.size > 0,
    )
    .expect("premium")
}

#[test]
fn selling_a_put_needs_initial_margin() {
    let mut b = setup();
    // IM of a short 60k put at 65k: max(15%·S − 5k OTM, 10%·K) = $6,000 per contract, and
    // equity is collateral + premium − mark. $3,000 is not enough for one contract.
    let poor = b.trader(3_000 * 1_000_000);
    let before = b.m.margin_state(&b.env, &poor.margin);
    expect_error(
        b.m.trade_option(&mut b.env, &b.v, &poor, b.put_60k, -ONE),
        VaultError::InsufficientMargin,
    );
    assert_eq!(
        b.m.margin_state(&b.env, &poor.margin).collateral,
        before.collateral
    );

    let rich = b.trader(10_000 * 1_000_000);
    let meta =
        b.m.trade_option(&mut b.env, &b.v, &rich, b.put_60k, -ONE)
            .expect("sell put");
    let trade = events::<OptionTraded>(&meta).remove(0);
    let margin = b.m.margin_state(&b.env, &rich.margin);
    assert_eq!(margin.collateral, 10_000 * 1_000_000 + trade.premium);
    let health = b.health(&rich);
    assert!(health.meets_initial);
    assert!(health.initial_margin >= 6_000 * 1_000_000);
    // The vault is long the put: it paid the premium out of LP assets.
    let vault = b.v.state(&b.env);
    assert_eq!(vault.lp_assets, LP_DEPOSIT - trade.premium);
    assert!(vault.options_value > 0);
    b.assert_accounting();
}

#[test]
fn a_price_drop_cuts_a_put_sellers_equity_and_blocks_withdrawals() {
    let mut b = setup();
    let t = b.trader(8_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, -ONE)
        .expect("sell put");
    let calm = b.health(&t);
    // Free collateral exists at first: a small withdrawal passes.
    let ix =
        b.m.withdraw_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, 100 * 1_000_000);
    b.env.send(&[ix], &[&t.wallet]).expect("small withdrawal");

    b.move_spot(30, 58_000.0);
    let stressed = b.health(&t);
    assert!(
        stressed.equity < calm.equity - 1_000 * 1_000_000,
        "{} vs {}",
        stressed.equity,
        calm.equity
    );
    assert!(stressed.initial_margin > calm.initial_margin);
    assert!(!stressed.meets_initial);
    // Below initial margin: no withdrawal, no new risk; reducing the short is still allowed.
    let (put, call) = (b.put_60k, b.call_70k);
    b.assert_cannot_add_risk(&t, put, call);
    b.m.trade_option(&mut b.env, &b.v, &t, b.put_60k, ONE / 2)
        .expect("buy back half");
    b.assert_accounting();
}

#[test]
fn the_vault_delta_cap_rejects_risk_increasing_trades_only() {
    let risk = MarketRiskParams {
        max_net_delta: 100_000 * 1_000_000, // $100k of dollar delta
        ..default_risk()
    };
    let mut b = setup_with(risk);
    let t = b.trader(200_000 * 1_000_000);
    // Each ATM call the vault sells adds ≈ −0.53·$65k of delta: three fit, four do not.
    b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, 2 * ONE)
        .expect("within cap");
    let before = b.m.book_state(&b.env);
    expect_error(
        b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, 2 * ONE),
        VaultError::DeltaCapExceeded,
    );
    assert_eq!(
        b.m.book_state(&b.env).series[b.atm_call as usize].open_long,
        before.series[b.atm_call as usize].open_long
    );
    // Selling calls back reduces the vault's exposure: always allowed.
    b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, -ONE)
        .expect("reducing trade");
}

#[test]
fn the_vault_vega_cap_bites() {
    let risk = MarketRiskParams {
        max_net_vega: 100 * 1_000_000, // $100 per vol point
        ..default_risk()
    };
    let mut b = setup_with(risk);
    let t = b.trader(100_000 * 1_000_000);
    // One 30-day ATM BTC call has ≈ $75 of vega per vol point.
    b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, ONE)
        .expect("one call");
    expect_error(
        b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, ONE),
        VaultError::VegaCapExceeded,
    );
}

#[test]
fn spreads_widen_with_utilisation() {
    let risk = MarketRiskParams {
        max_net_delta: 200_000 * 1_000_000,
        ..default_risk()
    };
    let mut b = setup_with(risk);
    let t = b.trader(300_000 * 1_000_000);
    let first = events::<OptionTraded>(
        &b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, ONE)
            .unwrap(),
    )
    .remove(0);
    let second = events::<OptionTraded>(
        &b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, ONE)
            .unwrap(),
    )
    .remove(0);
    assert!(
        second.spread_bps > first.spread_bps,
        "{} !> {}",
        second.spread_bps,
        first.spread_bps
    );
}

#[test]
fn lp_withdrawals_stop_at_locked_collateral() {
    let mut b = setup();
    let t = b.trader(2_000_000 * 1_000_000);
    // The vault sells 20 ATM calls: it receives premium and locks their initial margin.
    let risk_trader = &t;
    for _ in 0..4 {
        b.m.trade_option(&mut b.env, &b.v, risk_trader, b.atm_call, 5 * ONE)
            .expect("buy calls");
    }
    let vault = b.v.state(&b.env);
    assert!(
        vault.locked_liability > 150_000 * 1_000_000,
        "locked {}",
        vault.locked_liability
    );
    let shares = b.env.token_balance(&b.lp.shares);
    let before = b.env.token_balance(&b.lp.collateral);
    expect_error(
        b.v.withdraw_liquidity_now(&mut b.env, &b.lp, shares),
        VaultError::InsufficientFreeCollateral,
    );
    // What is free can leave; the locked part stays.
    b.v.withdraw_liquidity_now(&mut b.env, &b.lp, shares / 2)
        .expect("partial withdrawal");
    let vault = b.v.state(&b.env);
    assert!(
        vault.lp_assets as i128 + vault.options_value as i128 >= vault.locked_liability as i128
    );
    assert!(b.env.token_balance(&b.lp.collateral) > before);
    b.assert_accounting();
}

#[test]
fn stale_marks_block_lp_flows_without_the_registry_and_price_the_worse_side_with_it() {
    let mut b = setup();
    let t = b.trader(20_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, ONE)
        .expect("buy");
    let lp2 = b.v.new_depositor(&mut b.env, 1_000 * 1_000_000);
    b.v.deposit_liquidity(&mut b.env, &lp2, 100 * 1_000_000)
        .expect("fresh marks: deposit ok");

    b.env.warp_seconds(601);
    let vault_before = b.v.state(&b.env);
    let mut deposit = b.v.deposit_liquidity_accounts(&lp2);
    deposit.mark_registry = None;
    expect_error(
        b.env.send(
            &[b.v.deposit_liquidity_ix_with(deposit, 100 * 1_000_000)],
            &[&lp2.wallet],
        ),
        VaultError::MarksStale,
    );
    let mut request = b.v.request_liquidity_withdrawal_accounts(&b.lp);
    request.mark_registry = None;
    expect_error(
        b.env.send(
            &[b.v.request_liquidity_withdrawal_ix_with(request, 1_000_000_000)],
            &[&b.lp.wallet],
        ),
        VaultError::MarksStale,
    );
    let mut withdraw = b.v.withdraw_liquidity_accounts(&b.lp);
    withdraw.mark_registry = None;
    expect_error(
        b.env.send(
            &b.v.withdraw_liquidity_now_with(&b.lp, withdraw, 1_000_000_000),
            &[&b.lp.wallet],
        ),
        VaultError::MarksStale,
    );
    assert_eq!(b.v.state(&b.env).total_shares, vault_before.total_shares);

    // With the registry the stale market counts at its worse side: fewer shares for a deposit
    // than once the crank (which needs a live oracle) has re-marked it.
    let minted = |b: &mut Book| {
        let before = b.env.token_balance(&lp2.shares);
        b.v.deposit_liquidity(&mut b.env, &lp2, 100 * 1_000_000)
            .expect("deposit");
        b.env.token_balance(&lp2.shares) - before
    };
    let stale = minted(&mut b);
    b.m.set_price(&mut b.env, SPOT, 5);
    b.m.refresh_marks(&mut b.env, &b.v).expect("refresh marks");
    let fresh = minted(&mut b);
    assert!(stale < fresh, "{stale} shares stale vs {fresh} fresh");
    b.v.withdraw_liquidity_now(&mut b.env, &b.lp, 1_000_000)
        .expect("withdraw after refresh");
    b.assert_accounting();
}

#[test]
fn nav_follows_option_marks() {
    let mut b = setup();
    let t = b.trader(50_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, 5 * ONE)
        .expect("buy calls");
    let calm = b.v.state(&b.env);
    // Spot up 5%: the vault's short calls lose value, and so does NAV.
    b.move_spot(10, SPOT * 1.05);
    let rallied = b.v.state(&b.env);
    assert!(rallied.net_assets() < calm.net_assets());
    let loss = calm.net_assets() - rallied.net_assets();
    // ≈ 5 calls × Δ≈0.55 × $3,250.
    assert!(
        (7_000..11_000).contains(&(loss / 1_000_000)),
        "NAV loss ${}",
        loss / 1_000_000
    );
}

#[test]
fn margin_accounts_open_fund_withdraw_and_close() {
    let mut b = setup();
    let t = b.trader(1_000 * 1_000_000);
    let ix = b.m.close_margin_account_ix(t.wallet.pubkey());
    expect_error(
        b.env.send(&[ix], &[&t.wallet]),
        VaultError::MarginAccountNotEmpty,
    );
    let ix =
        b.m.withdraw_collateral_ix(&b.v, t.wallet.pubkey(), t.collateral, 1_000 * 1_000_000);
    b.env.send(&[ix], &[&t.wallet]).expect("withdraw all");
    assert_eq!(b.v.state(&b.env).trader_collateral, 0);
    let rent_before = b
        .env
        .svm
        .get_balance(&solana_signer::Signer::pubkey(&t.wallet))
        .unwrap();
    let ix = b.m.close_margin_account_ix(t.wallet.pubkey());
    b.env
        .send(&[ix], &[&t.wallet])
        .expect("close empty account");
    assert!(b.env.raw_account(&t.margin).is_none_or(|a| a.lamports == 0));
    assert!(
        b.env
            .svm
            .get_balance(&solana_signer::Signer::pubkey(&t.wallet))
            .unwrap()
            > rent_before
    );
    b.assert_accounting();
}

#[test]
fn series_list_delist_and_reuse_slots() {
    let mut b = setup();
    let t = b.trader(20_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.call_70k, ONE)
        .expect("buy");
    let ix = b.m.delist_series_ix(&b.v, b.call_70k);
    expect_error(
        b.env.send(&[ix], &[&b.v.admin]),
        VaultError::SeriesHasOpenInterest,
    );
    b.m.trade_option(&mut b.env, &b.v, &t, b.call_70k, -ONE)
        .expect("close");
    let ix = b.m.delist_series_ix(&b.v, b.call_70k);
    b.env.send(&[ix], &[&b.v.admin]).expect("delist");
    expect_error(
        b.m.trade_option(&mut b.env, &b.v, &t, b.call_70k, ONE),
        VaultError::SeriesNotListed,
    );
    // The freed slot is the first one listed next.
    let reused = b.m.list(&mut b.env, &b.v, 75_000.0, b.expiry, CALL);
    assert_eq!(reused, b.call_70k);
    let ix = b.m.list_series_ix(&b.v, usd(75_000.0), b.expiry, CALL);
    expect_error(
        b.env.send(&[ix], &[&b.v.admin]),
        VaultError::DuplicateSeries,
    );
}

#[test]
fn sixteen_positions_fit_and_the_seventeenth_does_not() {
    let mut b = setup();
    let t = b.trader(500_000 * 1_000_000);
    let mut slots = vec![b.atm_call, b.put_60k, b.call_70k];
    for i in 0..14 {
        let strike = 50_000.0 + 2_000.0 * i as f64;
        slots.push(b.m.list(&mut b.env, &b.v, strike + 500.0, b.expiry, (i % 2) as u8));
    }
    for &slot in &slots[..16] {
        b.m.trade_option(&mut b.env, &b.v, &t, slot, ONE / 10)
            .expect("position");
    }
    assert_eq!(b.m.margin_state(&b.env, &t.margin).position_count, 16);
    expect_error(
        b.m.trade_option(&mut b.env, &b.v, &t, slots[16], ONE / 10),
        VaultError::TooManyPositions,
    );
}
