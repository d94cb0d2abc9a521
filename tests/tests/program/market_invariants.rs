//! The system fuzz: random sequences of LP deposits and withdrawals, option trades (both
//! sides, five series, three traders), oracle moves, gaps, stale prices, mark refreshes and
//! liquidations, keeper hedge rebalances against a provider (who can be liquidated too), option
//! hedges the keeper buys or sells from the same provider's vol quotes, traders switching
//! between the standard rule and portfolio margin (trader 0 starts under PM), the same traders
//! trading a second market (SOL) from the same margin account, liquidations in either market,
//! then
//! the hedge is flattened, and everything expires and settles. After every step:
//! - no token is created or destroyed (all wallets + the vault's and insurance accounts);
//! - vault token balance == LP assets + trader collateral; insurance token balance ==
//!   insurance balance; trader collateral == the sum of the margin accounts';
//! - open interest per series == the sum of positions on each side;
//! - value is conserved: the vault's option and hedge value is minus the traders' option
//!   value and the provider's hedge value at the same marks (fees and spreads only move
//!   value between them), so only deposits,
//!   withdrawals, fees paid out and bad debt change what the system holds;
//! - an account below maintenance never adds risk: a trade it makes either only shrinks a
//!   position or leaves it meeting initial margin;
//! - an LP deposit or withdrawal moves the share price by at most rounding, and a withdrawal
//!   never takes locked margin;
//! - settlement pays every position exactly its intrinsic value.
//!
//! Sequences: FUZZ_CASES (default 24 in CI; docs/BENCHMARKS.md records a 10,000-sequence run).
use crate::lp_invariants::{price_not_below, prop_params, START_BALANCE};
use exposure_vault::events::{MarginHealth, PositionSettled};
use exposure_vault::state::margin_mode;
use exposure_vault_client::with_other_markets;
use exposure_vault_tests::options::{
    compute_limit, skewed_surface, OptionsMarket, Trader, CALL, DAY, PUT,
};
use exposure_vault_tests::vault::Depositor;
use exposure_vault_tests::{TestEnv, VaultFixture};
use proptest::prelude::*;
use solana_signer::Signer;

const TRADERS: usize = 3;
const SERIES: usize = 5;
const SOL_SERIES: usize = 2;

#[derive(Clone, Debug)]
enum Step {
    Lp {
        deposit: bool,
        amount: u64,
    },
    Trade {
        trader: usize,
        series: usize,
        size: i64,
    },
    Move {
        bps: i64,
    },
    Gap {
        bps: i64,
    },
    Stale {
        seconds: i64,
    },
    Liquidate {
        trader: usize,
        takeover: bool,
        /// In the SOL market (the account's BTC side read from remaining accounts).
        in_sol: bool,
    },
    /// A trader trades SOL from the margin account it trades BTC with.
    TradeSol {
        trader: usize,
        series: usize,
        size: i64,
    },
    Hedge {
        size: i64,
    },
    /// The provider quotes `series` in vol terms and the keeper buys (or sells) `size` from it.
    OptionHedge {
        series: usize,
        size: i64,
    },
    /// A trader switches between the standard rule and portfolio margin.
    SetMode {
        trader: usize,
        portfolio: bool,
    },
}

/// What the provider quotes each side: 3 BTC, which its $30,000 backs at $65,000.
const PROVIDER_QUOTE: u64 = 3_000_000;
/// What it quotes each side of an option series: half a contract.
const OPTION_QUOTE: u64 = 500_000;

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (any::<bool>(), 1_000_000u64..200_000_000_000)
            .prop_map(|(deposit, amount)| Step::Lp { deposit, amount }),
        6 => (0..TRADERS, 0..SERIES, -3_000_000i64..3_000_000)
            .prop_map(|(trader, series, size)| Step::Trade { trader, series, size }),
        2 => (-500i64..500).prop_map(|bps| Step::Move { bps }),
        1 => (-3_000i64..3_000).prop_map(|bps| Step::Gap { bps }),
        1 => (61i64..400).prop_map(|seconds| Step::Stale { seconds }),
        // Index TRADERS is the hedge provider.
        2 => (0..=TRADERS, any::<bool>())
            .prop_map(|(trader, takeover)| Step::Liquidate { trader, takeover, in_sol: false }),
        1 => (0..=TRADERS, any::<bool>())
            .prop_map(|(trader, takeover)| Step::Liquidate { trader, takeover, in_sol: true }),
        3 => (0..TRADERS, 0..SOL_SERIES, -40_000_000i64..40_000_000)
            .prop_map(|(trader, series, size)| Step::TradeSol { trader, series, size }),
        2 => (-3_000_000i64..3_000_000).prop_map(|size| Step::Hedge { size }),
        2 => (0..SERIES, -500_000i64..=500_000)
            .prop_map(|(series, size)| Step::OptionHedge { series, size }),
        1 => (0..TRADERS, any::<bool>())
            .prop_map(|(trader, portfolio)| Step::SetMode { trader, portfolio }),
    ]
}

struct World {
    env: TestEnv,
    v: VaultFixture,
    m: OptionsMarket,
    lp: Depositor,
    traders: Vec<Trader>,
    provider: Trader,
    liquidator: Trader,
    slots: Vec<u8>,
    expiry: i64,
    spot: f64,
    /// The oracle price (PRICE_PRECISION) at the vault's last exposure sync.
    synced: u64,
    /// The second market, its series and price, and its last sync.
    sol: OptionsMarket,
    sol_slots: Vec<u8>,
    sol_spot: f64,
    sol_synced: u64,
    tokens: u64,
}

impl World {
    fn new() -> Self {
        let mut env = TestEnv::new();
        let v = VaultFixture::new(&mut env, prop_params());
        let lp = v.new_depositor(&mut env, START_BALANCE);
        v.deposit_liquidity(&mut env, &lp, 500_000_000_000)
            .expect("seed LP");
        let m = OptionsMarket::create(&mut env, &v, 0, 65_000.0);
        let now = env.now();
        let expiry = now + 30 * DAY;
        m.update_vol_surface(
            &mut env,
            &v,
            skewed_surface(now, &[expiry, now + 90 * DAY], 0.6),
        )
        .expect("surface");
        let slots = [
            (55_000.0, PUT),
            (60_000.0, PUT),
            (65_000.0, CALL),
            (70_000.0, CALL),
            (65_000.0, PUT),
        ]
        .iter()
        .map(|&(k, side)| m.list(&mut env, &v, k, expiry, side))
        .collect();
        let traders: Vec<Trader> = (0..TRADERS)
            .map(|_| m.new_trader(&mut env, &v, 200_000_000_000, 30_000_000_000))
            .collect();
        let provider = m.new_hedge_provider(&mut env, &v, 30_000_000_000, 0, 10);
        m.post_hedge_quote(&mut env, &v, &provider, PROVIDER_QUOTE, 10, now + 3_600)
            .expect("a backed quote");
        let liquidator = m.new_trader(&mut env, &v, 600_000_000_000, 500_000_000_000);
        let sol = OptionsMarket::create(&mut env, &v, 1, 150.0);
        sol.update_vol_surface(
            &mut env,
            &v,
            skewed_surface(now, &[expiry, now + 90 * DAY], 0.8),
        )
        .expect("SOL surface");
        let sol_slots = [(150.0, CALL), (140.0, PUT)]
            .iter()
            .map(|&(k, side)| sol.list(&mut env, &v, k, expiry, side))
            .collect();
        // Trader 0 starts under portfolio margin; any trader may switch (Step::SetMode).
        m.refresh_scenarios(&mut env).expect("scenarios");
        sol.refresh_scenarios(&mut env).expect("SOL scenarios");
        m.set_margin_mode(&mut env, &v, &traders[0], margin_mode::PORTFOLIO)
            .expect("trader 0 opts in to PM");
        let mut w = Self {
            env,
            v,
            m,
            lp,
            traders,
            provider,
            liquidator,
            slots,
            expiry,
            spot: 65_000.0,
            synced: 0,
            sol,
            sol_slots,
            sol_spot: 150.0,
            sol_synced: 0,
            tokens: 0,
        };
        w.tokens = w.token_total();
        w
    }

    fn token_total(&self) -> u64 {
        let mut total = self.env.token_balance(&self.v.vault_token)
            + self.env.token_balance(&self.v.insurance_token)
            + self.env.token_balance(&self.lp.collateral)
            + self.env.token_balance(&self.liquidator.collateral)
            + self.env.token_balance(&self.provider.collateral);
        for t in &self.traders {
            total += self.env.token_balance(&t.collateral);
        }
        total
    }

    fn price(&self) -> (u64, u64) {
        let s = self.v.state(&self.env);
        (s.net_assets(), s.total_shares)
    }

    /// The oracle price the program reads now (Pyth expo −8, normalised down to 6 decimals).
    fn oracle_price(&self) -> u64 {
        ((self.spot * 1e8).round() as u64) / 100
    }

    fn sol_price(&self) -> u64 {
        ((self.sol_spot * 1e8).round() as u64) / 100
    }

    /// Health from `check_margin` across both markets, or None when it cannot be computed now
    /// (stale).
    fn health(&mut self, trader: usize) -> Option<MarginHealth> {
        let ix = with_other_markets(
            self.m.check_margin_ix(&self.v, self.traders[trader].margin),
            &[self.sol.keys],
        );
        let meta = self.env.send(&[ix], &[]).ok()?;
        Some(exposure_vault_tests::events::<MarginHealth>(&meta).remove(0))
    }

    /// A new oracle price now, the keeper's surface reposted, marks cranked.
    fn publish(&mut self, bps: i64) {
        self.env.warp_seconds(15);
        self.spot = (self.spot * (1.0 + bps as f64 / 10_000.0)).max(1_000.0);
        self.m.set_price(&mut self.env, self.spot, 5);
        let now = self.env.now();
        let surface = skewed_surface(now, &[self.expiry, self.expiry + 60 * DAY], 0.6);
        self.m
            .update_vol_surface(&mut self.env, &self.v, surface)
            .expect("keeper reposts");
        self.m
            .refresh_marks(&mut self.env, &self.v)
            .expect("refresh marks");
        self.m
            .refresh_scenarios(&mut self.env)
            .expect("refresh scenarios");
        self.synced = self.oracle_price();
        // SOL moves a third as far, its keeper re-posts and cranks too.
        self.sol_spot = (self.sol_spot * (1.0 + bps as f64 / 30_000.0)).max(5.0);
        self.sol.set_price(&mut self.env, self.sol_spot, 5);
        let surface = skewed_surface(now, &[self.expiry, self.expiry + 60 * DAY], 0.8);
        self.sol
            .update_vol_surface(&mut self.env, &self.v, surface)
            .expect("SOL keeper reposts");
        self.sol
            .refresh_marks(&mut self.env, &self.v)
            .expect("SOL marks");
        self.sol
            .refresh_scenarios(&mut self.env)
            .expect("SOL scenarios");
        self.sol_synced = self.sol_price();
    }

    fn apply(&mut self, step: &Step) {
        match *step {
            Step::Lp { deposit, amount } => {
                let before = self.price();
                let ok = if deposit {
                    self.v
                        .deposit_liquidity(&mut self.env, &self.lp, amount)
                        .is_ok()
                } else {
                    let shares = (amount * 1_000).min(self.env.token_balance(&self.lp.shares));
                    self.v
                        .withdraw_liquidity_now(&mut self.env, &self.lp, shares)
                        .is_ok()
                };
                let after = self.price();
                if ok {
                    assert!(
                        price_not_below(before, after),
                        "LP step moved the share price down"
                    );
                }
                if ok && !deposit {
                    let s = self.v.state(&self.env);
                    assert!(
                        i128::from(s.lp_assets) + i128::from(s.options_value)
                            >= i128::from(s.locked_liability),
                        "LP withdrawal took locked collateral"
                    );
                }
            }
            Step::Trade {
                trader,
                series,
                size,
            } => self.trade(trader, false, self.slots[series], size),
            Step::Move { bps } | Step::Gap { bps } => self.publish(bps),
            Step::Stale { seconds } => self.env.warp_seconds(seconds),
            Step::SetMode { trader, portfolio } => {
                let mode = if portfolio {
                    margin_mode::PORTFOLIO
                } else {
                    margin_mode::STANDARD
                };
                let t = &self.traders[trader];
                let ix = with_other_markets(
                    self.m.set_margin_mode_ix(&self.v, t.wallet.pubkey(), mode),
                    &[self.sol.keys],
                );
                if self
                    .env
                    .send(&[compute_limit(1_400_000), ix], &[&t.wallet])
                    .is_ok()
                {
                    self.synced = self.oracle_price();
                    // A switch is only ever accepted into a rule the account meets at initial.
                    let health = self.health(trader).expect("health right after the switch");
                    assert!(
                        health.meets_initial,
                        "a mode switch left the account below initial"
                    );
                }
            }
            Step::TradeSol {
                trader,
                series,
                size,
            } => self.trade(trader, true, self.sol_slots[series], size),
            Step::Liquidate {
                trader,
                takeover,
                in_sol,
            } => {
                let l = &self.liquidator;
                let target = self.traders.get(trader).unwrap_or(&self.provider);
                let (market, other) = if in_sol {
                    (&self.sol, &self.m)
                } else {
                    (&self.m, &self.sol)
                };
                let ix = with_other_markets(
                    market.liquidate_ix(
                        &self.v,
                        target.margin,
                        l.wallet.pubkey(),
                        Some(l.margin),
                        Some(l.collateral),
                        takeover,
                    ),
                    &[other.keys],
                );
                if self
                    .env
                    .send(&[compute_limit(1_400_000), ix], &[&l.wallet])
                    .is_ok()
                {
                    if in_sol {
                        self.sol_synced = self.sol_price();
                    } else {
                        self.synced = self.oracle_price();
                    }
                }
            }
            Step::Hedge { size } => {
                // The provider requotes what its collateral backs (refused once it cannot),
                // then the keeper fills; an unbacked best quote is cancelled, not filled.
                let expiry = self.env.now() + 3_600;
                let _ = self.m.post_hedge_quote(
                    &mut self.env,
                    &self.v,
                    &self.provider,
                    PROVIDER_QUOTE,
                    10,
                    expiry,
                );
                if size != 0 && self.rebalance(size).is_ok() {
                    self.synced = self.oracle_price();
                }
            }
            Step::OptionHedge { series, size } => {
                // The provider quotes 57/63 vol (refused once its collateral cannot back the
                // quote); the keeper fills whatever the program's rules allow (a fill must cut the
                // vault's cap-weighted vega and gamma and stay near the surface's vol) or is
                // refused: about a quarter of the fills land.
                let slot = self.slots[series];
                let _ = self.m.post_option_quote(
                    &mut self.env,
                    &self.v,
                    &self.provider,
                    slot,
                    (0.57, 0.63),
                    OPTION_QUOTE,
                );
                // No vol limit of the keeper's own: only the program's bounds apply.
                let limit = if size > 0 { 2.0 } else { 0.0 };
                if size != 0
                    && self
                        .m
                        .rebalance_option_hedge(
                            &mut self.env,
                            &self.v,
                            &self.provider,
                            (slot, size),
                            limit,
                        )
                        .is_ok()
                {
                    self.synced = self.oracle_price();
                }
            }
        }
    }

    /// `trader` trades `size` of `slot` in BTC or SOL, the other market passed as remaining
    /// accounts. An account below maintenance may only shrink a position or end up meeting
    /// initial margin (for example a short bought back through zero).
    fn trade(&mut self, trader: usize, in_sol: bool, slot: u8, size: i64) {
        if size == 0 {
            return;
        }
        let below_maintenance = self.health(trader).is_some_and(|h| !h.meets_maintenance);
        let (market, other) = if in_sol {
            (&self.sol, &self.m)
        } else {
            (&self.m, &self.sol)
        };
        let t = &self.traders[trader];
        let old = self
            .m
            .margin_state(&self.env, &t.margin)
            .position_size(market.index, slot);
        let limit = if size > 0 { u64::MAX } else { 0 };
        let ix = with_other_markets(
            market.trade_option_ix(&self.v, t.wallet.pubkey(), slot, size, limit),
            &[other.keys],
        );
        let ok = self.env.send(&[ix], &[&t.wallet]).is_ok();
        if ok && in_sol {
            self.sol_synced = self.sol_price();
        } else if ok {
            self.synced = self.oracle_price();
        }
        if ok && below_maintenance {
            let new = old + size;
            let shrank = new.signum() * old.signum() >= 0 && new.abs() < old.abs();
            let healthy_after = self.health(trader).is_some_and(|h| h.meets_initial);
            assert!(
                shrank || healthy_after,
                "an account below maintenance added risk (SOL: {in_sol}): {old} -> {new}"
            );
        }
    }

    fn rebalance(&mut self, size: i64) -> exposure_vault_tests::TxResult {
        self.m
            .rebalance_hedge(&mut self.env, &self.v, &self.provider, size, 50)
    }

    /// The provider requotes and the keeper sells the vault's hedge back to it, or, when
    /// the provider cannot pay its loss, the provider is liquidated (bankrupt: its whole
    /// perpetual goes to the vault).
    fn flatten_hedge(&mut self) {
        // A one-sided quote that flattens it: backed while the provider's equity is positive,
        // refused otherwise (then it is liquidatable).
        let expiry = self.env.now() + 3_600;
        let held = self.m.book_state(&self.env).vault_hedge.size;
        let (vault_buys, vault_sells) = (held.min(0).unsigned_abs(), held.max(0) as u64);
        let owner = self.provider.wallet.pubkey();
        let ix = self
            .m
            .post_hedge_quote_ix(&self.v, owner, vault_buys, vault_sells, 10, expiry);
        let _ = self.env.send(&[ix], &[&self.provider.wallet]);
        if held != 0 && self.rebalance(-held).is_err() {
            let l = &self.liquidator;
            let ix = self.m.liquidate_ix(
                &self.v,
                self.provider.margin,
                l.wallet.pubkey(),
                None,
                Some(l.collateral),
                false,
            );
            self.env
                .send(&[ix], &[&l.wallet])
                .expect("a provider that cannot pay its loss is liquidatable");
            let rest = self.m.book_state(&self.env).vault_hedge.size;
            if rest != 0 {
                self.rebalance(-rest).expect("flatten after liquidation");
            }
        }
        self.synced = self.oracle_price();
        assert!(self.m.book_state(&self.env).vault_hedge.size == 0);
        let provider = self.m.margin_state(&self.env, &self.provider.margin);
        assert!(provider.hedge.size == 0);
    }

    fn margins(&self) -> Vec<exposure_vault::state::MarginAccount> {
        self.traders
            .iter()
            .chain([&self.liquidator, &self.provider])
            .map(|t| self.m.margin_state(&self.env, &t.margin))
            .collect()
    }

    fn check(&self) {
        assert_eq!(
            self.token_total(),
            self.tokens,
            "tokens created or destroyed"
        );
        let s = self.v.state(&self.env);
        assert_eq!(
            self.env.token_balance(&self.v.vault_token),
            s.lp_assets + s.trader_collateral,
            "vault token balance != internal accounting"
        );
        assert_eq!(
            self.env.token_balance(&self.v.insurance_token),
            s.insurance_balance
        );
        let margins = self.margins();
        assert_eq!(
            margins.iter().map(|m| m.collateral).sum::<u64>(),
            s.trader_collateral
        );
        let book = self.m.book_state(&self.env);
        let mut traders_value: i128 = 0;
        for &slot in &self.slots {
            let sizes: Vec<i64> = margins.iter().map(|m| m.position_size(0, slot)).collect();
            let long: i64 = sizes.iter().filter(|&&x| x > 0).sum();
            let short: i64 = sizes.iter().filter(|&&x| x < 0).map(|x| -x).sum();
            let series = book.series[slot as usize];
            assert_eq!(
                (series.open_long, series.open_short),
                (long as u64, short as u64)
            );
            let mark = series.mark().price_at(self.synced);
            traders_value += i128::from(long - short) * i128::from(mark);
        }
        let sol_book = self.sol.book_state(&self.env);
        for &slot in &self.sol_slots {
            let sizes: Vec<i64> = margins.iter().map(|m| m.position_size(1, slot)).collect();
            let long: i64 = sizes.iter().filter(|&&x| x > 0).sum();
            let short: i64 = sizes.iter().filter(|&&x| x < 0).map(|x| -x).sum();
            let series = sol_book.series[slot as usize];
            assert_eq!(
                (series.open_long, series.open_short),
                (long as u64, short as u64),
                "SOL open interest"
            );
            let mark = series.mark().price_at(self.sol_synced);
            traders_value += i128::from(long - short) * i128::from(mark);
        }
        // Value conservation: the vault's option and hedge value (its NAV input) is minus
        // the traders' options and the provider's hedge at the same marks, to rounding
        // (one unit per series and per perpetual side).
        if self.synced > 0 {
            let provider = margins.last().expect("provider").hedge.get();
            let provider_value = provider.value(self.synced).expect("perp value");
            let traders_value = traders_value / 1_000_000 + i128::from(provider_value);
            assert!(
                (i128::from(s.options_value) + traders_value).abs()
                    <= (SERIES + SOL_SERIES) as i128 + 3,
                "vault options value {} vs traders' {traders_value}",
                s.options_value
            );
        }
    }

    /// Expiry: one settlement price, every series settled, every position paid exactly
    /// its intrinsic value.
    fn settle_everything(&mut self) {
        self.env.set_unix_timestamp(self.expiry + 20);
        self.m.set_price(&mut self.env, self.spot, 5);
        let settle_price = self
            .m
            .write_price_update(&mut self.env, self.spot, self.expiry + 3);
        let settlement = self.oracle_price();
        for &slot in &self.slots.clone() {
            self.m
                .settle_series(&mut self.env, &self.v, slot, settle_price)
                .expect("settle series");
            let series = self.m.book_state(&self.env).series[slot as usize];
            assert_eq!(series.settlement_price, settlement);
            let intrinsic = series.intrinsic(settlement) as i128;
            let holders: Vec<_> = self
                .traders
                .iter()
                .chain([&self.liquidator, &self.provider])
                .map(|t| t.margin)
                .collect();
            for margin in holders {
                let size = self
                    .m
                    .margin_state(&self.env, &margin)
                    .position_size(0, slot);
                let ix = self.m.settle_position_ix(&self.v, margin, slot);
                let result = self.env.send(&[ix], &[]);
                if size == 0 {
                    assert!(result.is_err(), "settled an empty position");
                    continue;
                }
                let meta = result.expect("settle position");
                let paid = exposure_vault_tests::events::<PositionSettled>(&meta).remove(0);
                let exact = i128::from(size) * intrinsic;
                let owed = (i128::from(paid.cash_flow)
                    - i128::from(paid.shortfall as i64 * -size.signum()))
                    * 1_000_000;
                assert!(
                    (owed - exact).abs() < 1_000_000,
                    "settlement paid {} for {size} × {intrinsic}",
                    paid.cash_flow
                );
                self.check();
            }
            assert!(!self.m.book_state(&self.env).series[slot as usize].has_open_interest());
        }
        // SOL, market by market: its own settlement price, positions in market 1.
        self.sol.set_price(&mut self.env, self.sol_spot, 5);
        let sol_update = self
            .sol
            .write_price_update(&mut self.env, self.sol_spot, self.expiry + 3);
        let sol_settlement = self.sol_price();
        for &slot in &self.sol_slots.clone() {
            self.sol
                .settle_series(&mut self.env, &self.v, slot, sol_update)
                .expect("settle SOL series");
            let series = self.sol.book_state(&self.env).series[slot as usize];
            assert_eq!(series.settlement_price, sol_settlement);
            let intrinsic = series.intrinsic(sol_settlement) as i128;
            let holders: Vec<_> = self
                .traders
                .iter()
                .chain([&self.liquidator])
                .map(|t| t.margin)
                .collect();
            for margin in holders {
                let size = self
                    .m
                    .margin_state(&self.env, &margin)
                    .position_size(1, slot);
                let ix = self.sol.settle_position_ix(&self.v, margin, slot);
                let result = self.env.send(&[ix], &[]);
                if size == 0 {
                    continue;
                }
                let meta = result.expect("settle SOL position");
                let paid = exposure_vault_tests::events::<PositionSettled>(&meta).remove(0);
                let exact = i128::from(size) * intrinsic;
                let owed = (i128::from(paid.cash_flow)
                    - i128::from(paid.shortfall as i64 * -size.signum()))
                    * 1_000_000;
                assert!((owed - exact).abs() < 1_000_000, "SOL settlement");
                self.check();
            }
            assert!(!self.sol.book_state(&self.env).series[slot as usize].has_open_interest());
        }
        // SOL's settlement moved the clock on: BTC's oracle publishes again for the hedge.
        self.m.set_price(&mut self.env, self.spot, 5);
        // With every option settled the vault's delta is the hedge alone, so unwinding it
        // only moves delta toward zero.
        self.flatten_hedge();
        self.check();
        // What is left is a winning provider's claim the LPs' assets could not pay in full:
        // recorded on both sides, the vault's only remaining liability.
        let claim = self
            .m
            .margin_state(&self.env, &self.provider.margin)
            .hedge
            .quote_entry;
        assert!(claim >= 0);
        let s = self.v.state(&self.env);
        assert_eq!((s.options_value, s.locked_liability), (-claim, 0));
        if claim > 0 {
            assert_eq!(
                s.lp_assets, 0,
                "a claim is left only when the LPs' assets are spent"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: exposure_vault_tests::fuzz_cases("FUZZ_CASES", 24), .. ProptestConfig::default() })]
    #[test]
    fn random_markets_keep_every_invariant(steps in proptest::collection::vec(step(), 1..30)) {
        let mut w = World::new();
        for s in &steps {
            w.apply(s);
            w.check();
        }
        w.settle_everything();
        w.check();
    }
}
