//! The adversary plays every instruction (issue 28). Two markets (BTC with a 30-day book and an
//! expiry passing mid-run, SOL beside it), an honest LP, an honest call buyer, an honest victim
//! holding BTC puts and SOL calls on one margin account near maintenance, an honest provider,
//! an honest admin who lists a new expiry mid-window, delists, pauses and tightens risk, and an
//! honest keeper who re-marks, extends the surface and settles. Spot follows a true path; every
//! update of the last 60 s stays valid and the adversary may bring any of them to anything.
//!
//! The adversary holds an LP wallet, a trader, a second key and a registered hedge provider. In
//! random order it: times NAV inside a transaction and across slots; round-trips trades on
//! either market and across both; strips the long leg of a portfolio-margin spread; liquidates
//! the victim at any valid update, absorbing or taking over; proposes any settlement update and
//! settles or claims anyone's positions through any market; posts unbacked, dust and option
//! quotes; evicts and re-registers; opens, funds, drains and closes a second account; sends
//! collateral into the vault's and the insurance fund's token accounts and share units into an
//! honest LP's withdrawal escrow; cranks every permissionless instruction at its chosen update;
//! and signs every admin and keeper instruction with its own keys.
//!
//! Invariants after every step: the adversary holds no more than it started with plus the
//! liquidation fees it earned (it ends each step flat: no position, no share); token balances
//! equal internal accounting plus exactly what was gifted; honest withdrawals and the keeper's
//! crank are never blocked by anything the adversary sent; the BTC series settles at the
//! earliest update at or after expiry. And the coverage invariant: every instruction of the
//! committed IDL is sent by this fuzz (`every_instruction_in_the_idl_is_in_the_adversarys_hand`),
//! so a new instruction cannot ship without its adversary.
use std::collections::BTreeSet;

use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use exposure_vault::error::VaultError;
use exposure_vault::events::Liquidated;
use exposure_vault::instructions::authority_role;
use exposure_vault::state::{margin_mode, pause, MarketRiskParams};
use exposure_vault_client::{with_other_markets, Instruction, MarketKeys};
use exposure_vault_tests::options::{
    compute_limit, skewed_surface, OptionsMarket, Trader, CALL, DAY, ONE, PUT,
};
use exposure_vault_tests::{events, Depositor, TxResult};
use proptest::prelude::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::trading::{setup_with, Book, SPOT};

const USD: u64 = 1_000_000;

#[derive(Clone, Debug)]
enum Step {
    /// 15 s later spot moved by `bps` on the true path; both oracles publish.
    Move { bps: i64 },
    /// refresh at `first` (or not at all: whatever marks are there), deposit, refresh at
    /// `second`, withdraw: one transaction, or across two slots.
    NavRoundTrip {
        first: usize,
        second: usize,
        across: bool,
        refresh: bool,
    },
    /// Buy or sell `size` halves of a series in a market at `first`, reverse at `second`, in one
    /// transaction.
    TradeRoundTrip {
        first: usize,
        second: usize,
        sol: bool,
        series: usize,
        size: i64,
    },
    /// A position in each market, then both closed, every instruction passing the other market.
    CrossMarketRoundTrip { size: i64 },
    /// Portfolio margin: a call spread, then the long leg sold alone, then everything closed.
    PmStripHedge { size: i64 },
    /// Liquidate the victim at the chosen update, absorbing or taking over.
    Liquidate { pick: usize, takeover: bool },
    /// Propose the chosen update as the short series' price, or make the final call.
    Settle { pick: usize, finalise: bool },
    /// Settle (or claim for) an honest account's position through either market.
    SettleSomeone { who: usize, through_sol: bool },
    /// Quotes: unbacked, dust, option; evict another provider with them.
    Quote { kind: usize, size: u64 },
    /// Deregister and register the provider again.
    Reregister,
    /// A second account opened, funded, drained and closed.
    SecondAccount { amount: u64 },
    /// Collateral into the vault's (or the insurance fund's) token account; share units into
    /// the honest LP's escrow while it waits, whose withdrawal must still complete.
    Gift { target: usize, amount: u64 },
    /// A withdrawal request of the adversary's own, cancelled.
    RequestAndCancel,
    /// Permissionless cranks at the chosen update: market price, marks, scenarios, a margin
    /// check.
    Crank { pick: usize, sol: bool },
    /// Every admin and keeper instruction signed with the adversary's own keys.
    ForgedAuthority { which: usize },
    /// The honest admin and keeper act: list a new expiry mid-window, extend the surface,
    /// delist an empty series, pause and resume, tighten risk.
    Honest { which: usize },
}

fn step() -> impl Strategy<Value = Step> {
    let pick = || 0usize..8;
    prop_oneof![
        4 => (-40i64..=40).prop_map(|bps| Step::Move { bps }),
        2 => (pick(), pick(), any::<bool>(), any::<bool>()).prop_map(
            |(first, second, across, refresh)| Step::NavRoundTrip { first, second, across, refresh }
        ),
        2 => (pick(), pick(), any::<bool>(), 0usize..3, -3i64..=3).prop_map(
            |(first, second, sol, series, size)| Step::TradeRoundTrip { first, second, sol, series, size }
        ),
        1 => (1i64..=3).prop_map(|size| Step::CrossMarketRoundTrip { size }),
        1 => (1i64..=4).prop_map(|size| Step::PmStripHedge { size }),
        2 => (pick(), any::<bool>()).prop_map(|(pick, takeover)| Step::Liquidate { pick, takeover }),
        2 => (pick(), any::<bool>()).prop_map(|(pick, finalise)| Step::Settle { pick, finalise }),
        1 => (0usize..3, any::<bool>())
            .prop_map(|(who, through_sol)| Step::SettleSomeone { who, through_sol }),
        1 => (0usize..4, 1u64..20).prop_map(|(kind, size)| Step::Quote { kind, size }),
        1 => Just(Step::Reregister),
        1 => (1u64..5_000).prop_map(|amount| Step::SecondAccount { amount }),
        1 => (0usize..3, 1u64..1_000).prop_map(|(target, amount)| Step::Gift { target, amount }),
        1 => Just(Step::RequestAndCancel),
        2 => (pick(), any::<bool>()).prop_map(|(pick, sol)| Step::Crank { pick, sol }),
        1 => (0usize..FORGED).prop_map(|which| Step::ForgedAuthority { which }),
        1 => (0usize..HONEST).prop_map(|which| Step::Honest { which }),
    ]
}

/// Every kind of step once, in an order where each has something to act on: the fixed
/// prologue of every run, so the coverage of the IDL does not depend on the random draw.
fn every_kind() -> Vec<Step> {
    let mut steps = vec![
        Step::Move { bps: 10 },
        Step::NavRoundTrip {
            first: 0,
            second: 1,
            across: false,
            refresh: true,
        },
        Step::NavRoundTrip {
            first: 0,
            second: 1,
            across: true,
            refresh: true,
        },
        Step::NavRoundTrip {
            first: 0,
            second: 1,
            across: true,
            refresh: false,
        },
        Step::TradeRoundTrip {
            first: 0,
            second: 1,
            sol: false,
            series: 0,
            size: 2,
        },
        Step::TradeRoundTrip {
            first: 0,
            second: 1,
            sol: true,
            series: 1,
            size: -2,
        },
        Step::CrossMarketRoundTrip { size: 2 },
        Step::PmStripHedge { size: 2 },
        Step::Liquidate {
            pick: 0,
            takeover: false,
        },
        Step::Liquidate {
            pick: 1,
            takeover: true,
        },
        Step::Settle {
            pick: 0,
            finalise: false,
        },
        Step::SettleSomeone {
            who: 0,
            through_sol: true,
        },
        Step::Reregister,
        Step::SecondAccount { amount: 100 },
        Step::Gift {
            target: 0,
            amount: 5,
        },
        Step::Gift {
            target: 1,
            amount: 5,
        },
        Step::Gift {
            target: 2,
            amount: 1,
        },
        Step::RequestAndCancel,
        Step::Crank {
            pick: 0,
            sol: false,
        },
        Step::Crank { pick: 1, sol: true },
    ];
    steps.extend((0..4).map(|kind| Step::Quote {
        kind,
        size: if kind == 2 { 1 } else { 5 },
    }));
    steps.extend((0..FORGED).map(|which| Step::ForgedAuthority { which }));
    steps.extend((0..HONEST).map(|which| Step::Honest { which }));
    steps
}

/// Admin and keeper instructions the adversary signs with its own keys.
const FORGED: usize = 16;
/// Honest admin and keeper actions.
const HONEST: usize = 6;

/// The presets with maintenance just under initial, so the walk brings the victim below it,
/// and a 60 s settlement window so settlements complete within a run.
fn fuzz_risk() -> MarketRiskParams {
    MarketRiskParams {
        maintenance_a_bps: 1_480,
        maintenance_b_bps: 990,
        settlement_window_secs: 60,
        ..exposure_vault_tests::default_risk()
    }
}

struct World {
    b: Book,
    sol: OptionsMarket,
    sol_call: u8,
    sol_put: u8,
    /// Valid updates per market (BTC, SOL), oldest first: (publish time, account).
    history: [Vec<(i64, Pubkey)>; 2],
    /// Every BTC update ever published: (publish time, spot, account).
    published: Vec<(i64, f64, Pubkey)>,
    spot: [f64; 2],
    /// The adversary's keys.
    lp: Depositor,
    trader: Trader,
    second: Trader,
    provider: Trader,
    /// Shares the adversary keeps only to gift (bought before the start is counted).
    gifter: Depositor,
    /// Honest accounts: a call buyer (long the short series), the victim, a provider.
    buyer: Trader,
    victim: Trader,
    honest_provider: Trader,
    short_series: u8,
    short_expiry: i64,
    /// A series the admin may delist (never traded).
    spare_series: u8,
    fees: u64,
    gifts_vault: u64,
    gifts_insurance: u64,
    start: u64,
    /// Discriminators of every exposure-vault instruction sent, and of those that landed.
    sent: BTreeSet<[u8; 8]>,
    landed: BTreeSet<[u8; 8]>,
}

impl World {
    fn new() -> Self {
        let mut b = setup_with(fuzz_risk());
        let sol = OptionsMarket::create_with(&mut b.env, &b.v, 1, 150.0, fuzz_risk());
        let now = b.env.now();
        let short_expiry = now + 45;
        let expiries = [short_expiry, b.expiry, now + 90 * DAY];
        b.m.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &expiries, 0.6))
            .expect("BTC surface with the short expiry");
        sol.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[b.expiry], 0.8))
            .expect("SOL surface");
        let short_series = b.m.list(&mut b.env, &b.v, SPOT, short_expiry, CALL);
        let spare_series = b.m.list(&mut b.env, &b.v, 80_000.0, b.expiry, CALL);
        let sol_call = sol.list(&mut b.env, &b.v, 150.0, b.expiry, CALL);
        let sol_put = sol.list(&mut b.env, &b.v, 140.0, b.expiry, PUT);

        let buyer = b.trader(300_000 * USD);
        b.m.trade_option(&mut b.env, &b.v, &buyer, b.atm_call, 10 * ONE)
            .expect("buy calls");
        b.m.trade_option(&mut b.env, &b.v, &buyer, short_series, 2 * ONE)
            .expect("buy short-dated calls");
        // The victim: BTC puts sold, SOL calls bought, down to initial margin.
        let victim = b.trader(60_000 * USD);
        b.m.trade_option(&mut b.env, &b.v, &victim, b.put_60k, -3 * ONE)
            .expect("victim sells puts");
        let buy_sol = with_other_markets(
            sol.trade_option_ix(&b.v, victim.wallet.pubkey(), sol_call, 50 * ONE, u64::MAX),
            &[b.m.keys],
        );
        b.env
            .send(&[buy_sol], &[&victim.wallet])
            .expect("victim buys SOL calls");
        let check = with_other_markets(b.m.check_margin_ix(&b.v, victim.margin), &[sol.keys]);
        let meta = b.env.send(&[check], &[]).expect("check");
        let h = events::<exposure_vault::events::MarginHealth>(&meta).remove(0);
        let spare = (h.equity as u64 - h.initial_margin).saturating_sub(USD);
        let drain = with_other_markets(
            b.m.withdraw_collateral_ix(&b.v, victim.wallet.pubkey(), victim.collateral, spare),
            &[sol.keys],
        );
        b.env
            .send(&[drain], &[&victim.wallet])
            .expect("victim at initial margin");
        let honest_provider =
            b.m.new_hedge_provider(&mut b.env, &b.v, 100_000 * USD, ONE as u64, 10);

        let lp = b.v.new_depositor(&mut b.env, 3_000_000 * USD);
        let trader = b.trader(200_000 * USD);
        let second = b.trader(20_000 * USD);
        let provider =
            b.m.new_hedge_provider(&mut b.env, &b.v, 50_000 * USD, 0, 10);
        let gifter = b.v.new_depositor(&mut b.env, 1_000 * USD);
        b.v.deposit_liquidity(&mut b.env, &gifter, 1_000 * USD)
            .expect("gift shares");
        let mut w = Self {
            b,
            sol,
            sol_call,
            sol_put,
            history: [Vec::new(), Vec::new()],
            published: Vec::new(),
            spot: [SPOT, 150.0],
            lp,
            trader,
            second,
            provider,
            gifter,
            buyer,
            victim,
            honest_provider,
            short_series,
            short_expiry,
            spare_series,
            fees: 0,
            gifts_vault: 0,
            gifts_insurance: 0,
            start: 0,
            sent: BTreeSet::new(),
            landed: BTreeSet::new(),
        };
        w.publish();
        w.start = w.holdings();
        w
    }

    fn market(&self, sol: bool) -> &OptionsMarket {
        if sol {
            &self.sol
        } else {
            &self.b.m
        }
    }

    /// The market's keys reading `oracle` instead of its own price account.
    fn at(&self, sol: bool, oracle: Pubkey) -> MarketKeys {
        MarketKeys {
            oracle,
            ..self.market(sol).keys
        }
    }

    fn update(&self, sol: bool, pick: usize) -> Pubkey {
        let h = &self.history[usize::from(sol)];
        h[pick % h.len()].1
    }

    /// Sends and records which program instructions were sent.
    fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let ours: Vec<[u8; 8]> = ixs
            .iter()
            .filter(|ix| ix.program_id == exposure_vault::ID)
            .filter_map(|ix| ix.data.get(..8)?.try_into().ok())
            .collect();
        self.sent.extend(ours.iter().copied());
        let result = self.b.env.send(ixs, signers);
        if result.is_ok() {
            self.landed.extend(ours);
        }
        result
    }

    fn holdings(&self) -> u64 {
        let env = &self.b.env;
        let margin = |t: &Trader| {
            env.raw_account(&t.margin)
                .filter(|a| a.lamports > 0)
                .map(|_| self.b.m.margin_state(env, &t.margin).collateral)
                .unwrap_or(0)
        };
        env.token_balance(&self.lp.collateral)
            + [&self.trader, &self.second, &self.provider]
                .into_iter()
                .map(|t| env.token_balance(&t.collateral) + margin(t))
                .sum::<u64>()
    }

    fn publish(&mut self) {
        let now = self.b.env.now();
        for (i, sol) in [false, true].into_iter().enumerate() {
            let spot = self.spot[i];
            let m = OptionsMarket {
                keys: self.market(sol).keys,
                feed: self.market(sol).feed,
            };
            m.set_price(&mut self.b.env, spot, 5);
            let update = m.write_price_update(&mut self.b.env, spot, now);
            self.history[i].push((now, update));
            self.history[i].retain(|(t, _)| now - t <= 60);
            if !sol {
                self.published.push((now, spot, update));
            }
        }
    }

    /// Refreshes both markets' marks at their own price accounts (the honest crank).
    fn remark(&mut self) -> Vec<Instruction> {
        vec![
            self.b.m.refresh_marks_ix(&self.b.v),
            self.sol.refresh_marks_ix(&self.b.v),
        ]
    }

    fn apply(&mut self, step: &Step) {
        match *step {
            Step::Move { bps } => {
                self.b.env.warp_seconds(15);
                self.spot[0] *= 1.0 + bps as f64 / 10_000.0;
                self.spot[1] *= 1.0 - bps as f64 / 20_000.0;
                self.publish();
                let crank = self.remark();
                let _ = self.send(&crank, &[]);
            }
            Step::NavRoundTrip {
                first,
                second,
                across,
                refresh,
            } => self.nav_round_trip(first, second, across, refresh),
            Step::TradeRoundTrip {
                first,
                second,
                sol,
                series,
                size,
            } => {
                if size == 0 {
                    return;
                }
                let slot = if sol {
                    [self.sol_call, self.sol_put, self.sol_call][series]
                } else {
                    [self.b.atm_call, self.b.put_60k, self.b.call_70k][series]
                };
                let size = size * ONE / 2;
                let owner = self.trader.wallet.pubkey();
                let limit = |s: i64| if s > 0 { u64::MAX } else { 0 };
                let open = self.at(sol, self.update(sol, first)).trade_option_ix(
                    &self.b.v,
                    owner,
                    slot,
                    size,
                    limit(size),
                );
                let close = self.at(sol, self.update(sol, second)).trade_option_ix(
                    &self.b.v,
                    owner,
                    slot,
                    -size,
                    limit(-size),
                );
                let wallet = self.trader.wallet.insecure_clone();
                let _ = self.send(&[open, close], &[&wallet]);
            }
            Step::CrossMarketRoundTrip { size } => {
                let owner = self.trader.wallet.pubkey();
                let (btc, sol) = (self.b.m.keys, self.sol.keys);
                let legs = [
                    with_other_markets(
                        btc.trade_option_ix(
                            &self.b.v,
                            owner,
                            self.b.atm_call,
                            size * ONE,
                            u64::MAX,
                        ),
                        &[sol],
                    ),
                    with_other_markets(
                        sol.trade_option_ix(&self.b.v, owner, self.sol_put, -size * ONE, 0),
                        &[btc],
                    ),
                    with_other_markets(
                        btc.trade_option_ix(&self.b.v, owner, self.b.atm_call, -size * ONE, 0),
                        &[sol],
                    ),
                    with_other_markets(
                        sol.trade_option_ix(&self.b.v, owner, self.sol_put, size * ONE, u64::MAX),
                        &[btc],
                    ),
                ];
                let wallet = self.trader.wallet.insecure_clone();
                let _ = self.send(&legs, &[&wallet]);
            }
            Step::PmStripHedge { size } => self.pm_strip_hedge(size),
            Step::Liquidate { pick, takeover } => self.liquidate(pick, takeover),
            Step::Settle { pick, finalise } => {
                let oracle = super::adversary::settlement_pick(
                    &self.published,
                    pick,
                    finalise,
                    self.b.m.oracle,
                );
                let ix = self
                    .b
                    .m
                    .settle_series_ix(&self.b.v, self.short_series, oracle);
                let _ = self.send(&[ix], &[]);
            }
            Step::SettleSomeone { who, through_sol } => {
                let account = [self.buyer.margin, self.victim.margin, self.trader.margin][who];
                let ix = self.market(through_sol).settle_position_ix(
                    &self.b.v,
                    account,
                    if through_sol {
                        self.sol_call
                    } else {
                        self.short_series
                    },
                );
                let _ = self.send(&[ix], &[]);
            }
            Step::Quote { kind, size } => self.quote(kind, size),
            Step::Reregister => {
                let owner = self.provider.wallet.pubkey();
                let wallet = self.provider.wallet.insecure_clone();
                let out = self.b.m.deregister_hedge_provider_ix(owner);
                let _ = self.send(&[out], &[&wallet]);
                let back = self.b.m.register_hedge_provider_ix(owner);
                let _ = self.send(&[back], &[&wallet]);
            }
            Step::SecondAccount { amount } => self.second_account(amount * USD),
            Step::Gift { target, amount } => self.gift(target, amount),
            Step::RequestAndCancel => {
                let deposit = self.b.v.deposit_liquidity_ix_with(
                    self.b.v.deposit_liquidity_accounts(&self.lp),
                    1_000 * USD,
                );
                let shares_account = self.lp.shares;
                let request = self.b.v.request_liquidity_withdrawal_ix_with(
                    self.b.v.request_liquidity_withdrawal_accounts(&self.lp),
                    1,
                );
                let wallet = self.lp.wallet.insecure_clone();
                let mut ixs = self.remark();
                ixs.push(deposit);
                if self.send(&ixs, &[&wallet]).is_ok() {
                    let shares = self.b.env.token_balance(&shares_account);
                    let mut request = request;
                    request.data = self
                        .b
                        .v
                        .request_liquidity_withdrawal_ix_with(
                            self.b.v.request_liquidity_withdrawal_accounts(&self.lp),
                            shares,
                        )
                        .data;
                    let cancel = self
                        .b
                        .v
                        .cancel_liquidity_withdrawal_ix(wallet.pubkey(), shares_account);
                    let _ = self.send(&[request, cancel], &[&wallet]);
                    self.redeem_all();
                }
            }
            Step::Crank { pick, sol } => {
                let keys = self.at(sol, self.update(sol, pick));
                let v = &self.b.v;
                let ixs = [
                    keys.refresh_market_price_ix(),
                    keys.refresh_marks_ix(v),
                    keys.refresh_scenarios_ix(0, 4),
                    with_other_markets(
                        keys.check_margin_ix(v, self.victim.margin),
                        &[if sol { self.b.m.keys } else { self.sol.keys }],
                    ),
                ];
                for ix in ixs {
                    let _ = self.send(&[compute_limit(1_400_000), ix], &[]);
                }
            }
            Step::ForgedAuthority { which } => self.forged(which),
            Step::Honest { which } => self.honest(which),
        }
    }

    fn nav_round_trip(&mut self, first: usize, second: usize, across: bool, refresh: bool) {
        let (f, s) = (self.update(false, first), self.update(false, second));
        let amount = self.b.env.token_balance(&self.lp.collateral);
        let v = &self.b.v;
        let mut deposit = if refresh {
            vec![
                self.at(false, f).refresh_marks_ix(v),
                self.sol.refresh_marks_ix(v),
            ]
        } else {
            // Whatever marks the last crank left, in an earlier slot.
            self.b.env.next_slot();
            vec![]
        };
        deposit.push(v.deposit_liquidity_ix_with(v.deposit_liquidity_accounts(&self.lp), amount));
        let wallet = self.lp.wallet.insecure_clone();
        if self.send(&deposit, &[&wallet]).is_err() {
            return;
        }
        if across {
            self.b.env.next_slot();
        }
        let shares = self.b.env.token_balance(&self.lp.shares);
        let v = &self.b.v;
        let mut out = vec![
            self.at(false, s).refresh_marks_ix(v),
            self.sol.refresh_marks_ix(v),
        ];
        out.extend(v.withdraw_liquidity_now_with(
            &self.lp,
            v.withdraw_liquidity_accounts(&self.lp),
            shares,
        ));
        if self.send(&out, &[&wallet]).is_err() {
            self.redeem_all();
        }
    }

    fn pm_strip_hedge(&mut self, size: i64) {
        let owner = self.trader.wallet.pubkey();
        let wallet = self.trader.wallet.insecure_clone();
        let (m, v) = (self.b.m.keys, &{ self.b.v.keys });
        let size = size * ONE;
        let open = [
            m.set_margin_mode_ix(v, owner, margin_mode::PORTFOLIO),
            m.refresh_scenarios_ix(0, 8),
            m.trade_option_ix(v, owner, self.b.atm_call, size, u64::MAX),
            m.trade_option_ix(v, owner, self.b.call_70k, -size, 0),
        ];
        if self
            .send(
                &[&[compute_limit(1_400_000)][..], &open].concat(),
                &[&wallet],
            )
            .is_err()
        {
            return;
        }
        // The strip: refused, or the account still meets initial margin after it.
        let strip = m.trade_option_ix(v, owner, self.b.atm_call, -size, 0);
        if self
            .send(&[compute_limit(1_400_000), strip], &[&wallet])
            .is_ok()
        {
            let h = self.health(self.trader.margin);
            assert!(
                h.meets_initial,
                "a PM trade left the account below initial margin"
            );
            let buy_back = m.trade_option_ix(v, owner, self.b.call_70k, size, u64::MAX);
            self.send(&[compute_limit(1_400_000), buy_back], &[&wallet])
                .expect("close the short leg");
        } else {
            let close = [
                m.trade_option_ix(v, owner, self.b.call_70k, size, u64::MAX),
                m.trade_option_ix(v, owner, self.b.atm_call, -size, 0),
            ];
            self.send(
                &[&[compute_limit(1_400_000)][..], &close].concat(),
                &[&wallet],
            )
            .expect("close the spread, short leg first");
        }
        let back = m.set_margin_mode_ix(v, owner, margin_mode::STANDARD);
        self.send(&[back], &[&wallet]).expect("back to standard");
    }

    fn health(&mut self, account: Pubkey) -> exposure_vault::events::MarginHealth {
        let ix = with_other_markets(
            self.b.m.check_margin_ix(&self.b.v, account),
            &[self.sol.keys],
        );
        let meta = self
            .b
            .env
            .send(&[compute_limit(1_400_000), ix], &[])
            .expect("check");
        events::<exposure_vault::events::MarginHealth>(&meta).remove(0)
    }

    fn liquidate(&mut self, pick: usize, takeover: bool) {
        let (publish_time, update) = {
            let h = &self.history[0];
            h[pick % h.len()]
        };
        let accepted = self.b.v.market(&self.b.env, 0).last_publish_time;
        let owner = self.trader.wallet.pubkey();
        let ix = with_other_markets(
            self.at(false, update).liquidate_ix(
                &self.b.v,
                self.victim.margin,
                owner,
                takeover.then_some(self.trader.margin),
                (!takeover).then_some(self.trader.collateral),
                takeover,
            ),
            &[self.sol.keys],
        );
        let wallet = self.trader.wallet.insecure_clone();
        let Ok(meta) = self.send(&[compute_limit(1_400_000), ix], &[&wallet]) else {
            return;
        };
        assert!(
            publish_time >= accepted,
            "liquidated at a price older than the market's"
        );
        let done = events::<Liquidated>(&meta).remove(0);
        assert!(
            done.equity_before < done.maintenance_before as i64,
            "liquidated an account above maintenance"
        );
        self.fees += done.liquidator_fee;
        if done.takeover {
            // What was taken over is bought back at once: the adversary ends flat. The mark it
            // was credited and the spread it pays stay out of its gains.
            let credited = self.b.m.margin_state(&self.b.env, &self.trader.margin);
            let positions: Vec<_> = credited.open_positions().copied().collect();
            let before = self.holdings();
            for p in positions {
                let ix =
                    self.b
                        .m
                        .trade_option_ix(&self.b.v, owner, p.series_index, -p.size, u64::MAX);
                self.send(&[compute_limit(1_400_000), ix], &[&wallet])
                    .expect("buy back what was taken over");
            }
            assert!(self.holdings() <= before, "buying back gained");
        }
    }

    fn quote(&mut self, kind: usize, size: u64) {
        let owner = self.provider.wallet.pubkey();
        let wallet = self.provider.wallet.insecure_clone();
        let expiry = self.b.env.now() + 7 * DAY;
        let (m, v) = (self.b.m.keys, &self.b.v);
        let ix = match kind {
            // Far more than the collateral backs: refused.
            0 => m.post_hedge_quote_ix(
                v,
                owner,
                size * 100 * ONE as u64,
                size * 100 * ONE as u64,
                10,
                expiry,
            ),
            // Dust, backed.
            1 => m.post_hedge_quote_ix(v, owner, size, size, 500, expiry),
            // An option quote, backed or not.
            2 => m.post_option_quote_ix(
                v,
                owner,
                self.b.atm_call,
                (550_000, 650_000),
                (size * ONE as u64, size * ONE as u64),
                expiry,
            ),
            // Evict the honest provider with whatever the adversary has posted.
            _ => {
                let other = self.second.wallet.pubkey();
                let ix =
                    m.register_hedge_provider_evicting_ix(other, Some(self.honest_provider.margin));
                let second = self.second.wallet.insecure_clone();
                if self.send(&[ix], &[&second]).is_ok() {
                    let book = self.b.m.hedge_book_state(&self.b.env);
                    assert!(
                        book.slot_of(&self.honest_provider.margin).is_some(),
                        "a live provider was evicted"
                    );
                }
                return;
            }
        };
        let result = self.send(&[ix], &[&wallet]);
        if kind == 0 {
            assert!(result.is_err(), "an unbacked quote was accepted");
        }
    }

    fn second_account(&mut self, amount: u64) {
        let owner = self.second.wallet.pubkey();
        let wallet = self.second.wallet.insecure_clone();
        let (m, v) = (self.b.m.keys, &{ self.b.v.keys });
        let account = self.b.m.margin_state(&self.b.env, &self.second.margin);
        if account.hedge_provider != 0 {
            let _ = self.send(&[m.deregister_hedge_provider_ix(owner)], &[&wallet]);
        }
        let all = self
            .b
            .m
            .margin_state(&self.b.env, &self.second.margin)
            .collateral;
        let ixs = [
            m.withdraw_collateral_ix(v, owner, self.second.collateral, all),
            m.close_margin_account_ix(owner),
            m.open_margin_account_ix(v, owner),
            m.deposit_collateral_ix(v, owner, self.second.collateral, amount.min(all.max(1))),
        ];
        let _ = self.send(&ixs, &[&wallet]);
    }

    fn gift(&mut self, target: usize, amount: u64) {
        let wallet = self.trader.wallet.insecure_clone();
        match target {
            0 => {
                let to = self.b.v.vault_token;
                self.b
                    .env
                    .transfer_tokens(&self.trader.collateral, &to, &wallet, amount);
                self.gifts_vault += amount;
            }
            1 => {
                let to = self.b.v.insurance_token;
                self.b
                    .env
                    .transfer_tokens(&self.trader.collateral, &to, &wallet, amount);
                self.gifts_insurance += amount;
            }
            _ => {
                // The honest LP asks to leave with a sliver; a share unit lands in its escrow.
                let lp = self.b.lp.wallet.insecure_clone();
                let shares = self.b.env.token_balance(&self.b.lp.shares) / 1_000;
                let mut ixs = self.remark();
                ixs.push(self.b.v.request_liquidity_withdrawal_ix_with(
                    self.b.v.request_liquidity_withdrawal_accounts(&self.b.lp),
                    shares,
                ));
                if self.send(&ixs, &[&lp]).is_err() {
                    return;
                }
                let escrow = self.b.v.withdrawal_shares_address(&lp.pubkey());
                let gifter = self.gifter.wallet.insecure_clone();
                self.b
                    .env
                    .transfer_tokens(&self.gifter.shares, &escrow, &gifter, amount);
                let mut ixs = self.remark();
                ixs.push(
                    self.b
                        .v
                        .withdraw_liquidity_ix(lp.pubkey(), self.b.lp.collateral),
                );
                let result = self.send(&ixs, &[&lp]);
                if let Err(e) = &result {
                    // Only the vault's own rules may hold it (free collateral, pause).
                    let code = e.custom_code();
                    assert!(
                        code == Some(u32::from(VaultError::InsufficientFreeCollateral))
                            || code == Some(u32::from(VaultError::WithdrawalsPaused)),
                        "a gift blocked the honest withdrawal: {code:?}"
                    );
                    let cancel = self
                        .b
                        .v
                        .cancel_liquidity_withdrawal_ix(lp.pubkey(), self.b.lp.shares);
                    self.send(&[cancel], &[&lp])
                        .expect("the honest LP can always cancel");
                }
            }
        }
    }

    fn forged(&mut self, which: usize) {
        let rogue = self.second.wallet.insecure_clone();
        let me = rogue.pubkey();
        let (v, m) = (self.b.v.keys, self.b.m.keys);
        let params = self.b.v.state(&self.b.env).params;
        let risk = self.b.v.market(&self.b.env, 0).risk;
        let now = self.b.env.now();
        let swap = |mut ix: Instruction, from: Pubkey| {
            for meta in ix.accounts.iter_mut().filter(|a| a.pubkey == from) {
                meta.pubkey = me;
            }
            ix
        };
        let ix = match which {
            0 => swap(v.initialize_vault_ix(params), v.admin),
            1 => v.update_params_ix(me, params),
            2 => v.propose_params_ix(me, params),
            // Cancelling is the admin's; applying early is anyone's, and refused.
            3 => v.apply_params_ix(me, true),
            4 => v.set_pause_ix(me, pause::ALL),
            5 => v.propose_authority_ix(me, authority_role::KEEPER, me),
            6 => v.accept_authority_ix(me, authority_role::ADMIN),
            7 => swap(
                v.create_market_ix(
                    2,
                    "ETH",
                    self.b.v.market(&self.b.env, 0).oracle,
                    self.b.m.oracle,
                    risk,
                ),
                v.admin,
            ),
            8 => swap(
                m.propose_market_risk_ix(
                    &v,
                    MarketRiskParams {
                        max_spread_bps: risk.max_spread_bps + 1,
                        ..risk
                    },
                ),
                v.admin,
            ),
            9 => swap(m.apply_market_risk_ix(&v, true), v.admin),
            10 => swap(m.list_series_ix(&v, 1_000_000, now + DAY, CALL), v.admin),
            11 => swap(m.delist_series_ix(&v, self.spare_series), v.admin),
            12 => m.update_vol_surface_ix(&v, me, skewed_surface(now, &[now + 90 * DAY], 3.0)),
            13 => m.rebalance_hedge_ix(&v, me, self.honest_provider.margin, 0, ONE, 500),
            14 => m.rebalance_option_hedge_ix(
                &v,
                me,
                self.provider.margin,
                0,
                (self.b.atm_call, ONE),
                2_000_000,
            ),
            _ => {
                for early in [
                    v.apply_params_ix(me, false),
                    m.apply_market_risk_ix(&v, false),
                ] {
                    assert!(
                        self.send(&[early], &[]).is_err(),
                        "a proposal applied early"
                    );
                }
                swap(m.delist_series_ix(&v, self.short_series), v.admin)
            }
        };
        assert!(
            self.send(&[ix], &[&rogue]).is_err(),
            "a forged authority was obeyed ({which})"
        );
    }

    fn honest(&mut self, which: usize) {
        let admin = self.b.v.admin.insecure_clone();
        let keeper = self.b.v.keeper_wallet.insecure_clone();
        let (v, m) = (self.b.v.keys, self.b.m.keys);
        let now = self.b.env.now();
        let expiries = |w: &World, extra: Option<i64>| {
            let mut e: Vec<i64> =
                w.b.m
                    .book_state(&w.b.env)
                    .series
                    .iter()
                    .filter(|s| s.is_listed() && s.expiry_ts > now)
                    .map(|s| s.expiry_ts)
                    .chain(extra)
                    .chain([now + 90 * DAY])
                    .collect();
            e.sort_unstable();
            e.dedup();
            e.truncate(8);
            e
        };
        match which {
            // A new expiry mid-window: listed only if the anchor prices it.
            0 => {
                let ix = m.list_series_ix(&v, 70_000_000_000, now + 60 * DAY, CALL);
                let _ = self.send(&[ix], &[&admin]);
            }
            // The keeper re-posts the surface (same level), extended to a new expiry.
            1 | 2 => {
                let extra = (which == 2).then_some(now + 60 * DAY);
                let slices = skewed_surface(now, &expiries(self, extra), 0.6);
                let ix = m.update_vol_surface_ix(&v, keeper.pubkey(), slices);
                let _ = self.send(&[ix], &[&keeper]);
            }
            3 => {
                let ix = m.delist_series_ix(&v, self.spare_series);
                let _ = self.send(&[ix], &[&admin]);
            }
            // A pause and its release around an honest withdrawal attempt.
            4 => {
                let _ = self.send(&[v.set_pause_ix(v.admin, pause::TRADING)], &[&admin]);
                self.send(&[v.set_pause_ix(v.admin, 0)], &[&admin])
                    .expect("resume");
            }
            // Risk tightened: applies at once.
            _ => {
                let risk = self.b.v.market(&self.b.env, 0).risk;
                let tighter = MarketRiskParams {
                    base_spread_bps: risk
                        .base_spread_bps
                        .saturating_add(1)
                        .min(risk.max_spread_bps),
                    ..risk
                };
                let ixs = [
                    m.propose_market_risk_ix(&v, tighter),
                    m.apply_market_risk_ix(&v, false),
                ];
                let _ = self.send(&ixs, &[&admin]);
            }
        }
    }

    fn redeem_all(&mut self) {
        let shares = self.b.env.token_balance(&self.lp.shares);
        if shares > 0 {
            let mut ixs = self.remark();
            ixs.extend(self.b.v.withdraw_liquidity_now_with(
                &self.lp,
                self.b.v.withdraw_liquidity_accounts(&self.lp),
                shares,
            ));
            let wallet = self.lp.wallet.insecure_clone();
            self.send(&ixs, &[&wallet])
                .expect("the adversary can always leave: it holds no locked money");
        }
    }

    /// The honest keeper after each step (`adversary::honest_keeper_settles`).
    fn keeper(&mut self) {
        let first = self
            .published
            .iter()
            .find(|(t, _, _)| *t >= self.short_expiry)
            .map(|(t, _, update)| (*t, *update));
        super::adversary::honest_keeper_settles(&mut self.b, self.short_series, first);
    }

    fn check(&self) {
        let now = self.holdings();
        assert!(
            now <= self.start + self.fees,
            "the adversary gained {} units beyond {} of liquidation fees",
            now - self.start,
            self.fees
        );
        let env = &self.b.env;
        assert_eq!(
            env.token_balance(&self.lp.shares),
            0,
            "the adversary kept shares"
        );
        for t in [&self.trader, &self.second, &self.provider] {
            if env.raw_account(&t.margin).is_some_and(|a| a.lamports > 0) {
                let account = self.b.m.margin_state(env, &t.margin);
                assert_eq!(
                    account.open_positions().count(),
                    0,
                    "the adversary kept a position"
                );
            }
        }
        let vault = self.b.v.state(env);
        assert_eq!(
            env.token_balance(&self.b.v.vault_token),
            vault.lp_assets + vault.trader_collateral + self.gifts_vault,
            "vault token balance != accounting + gifts"
        );
        assert_eq!(
            env.token_balance(&self.b.v.insurance_token),
            vault.insurance_balance + self.gifts_insurance,
            "insurance token balance != accounting + gifts"
        );
        let series = self.b.m.book_state(env).series[usize::from(self.short_series)];
        if series.is_settled() {
            let (_, spot, _) = self
                .published
                .iter()
                .find(|(t, _, _)| *t >= self.short_expiry)
                .copied()
                .expect("settled on some update");
            let expected = exposure_vault_tests::options::usd(spot) as i128;
            assert!((i128::from(series.settlement_price) - expected).abs() <= 1);
        }
    }
}

/// Runs `steps` after the fixed prologue; returns the instructions sent and those that landed.
fn run(steps: &[Step]) -> (BTreeSet<[u8; 8]>, BTreeSet<[u8; 8]>) {
    let mut w = World::new();
    for s in every_kind().iter().chain(steps) {
        w.apply(s);
        w.keeper();
        w.check();
    }
    (w.sent, w.landed)
}

/// The committed IDL's instructions: (name, discriminator).
fn idl_instructions() -> Vec<(String, [u8; 8])> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../idl/exposure_vault.json");
    let idl: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read the IDL"))
            .expect("IDL json");
    idl["instructions"]
        .as_array()
        .expect("instructions")
        .iter()
        .map(|ix| {
            let d: Vec<u8> = ix["discriminator"]
                .as_array()
                .expect("discriminator")
                .iter()
                .map(|b| b.as_u64().expect("byte") as u8)
                .collect();
            (
                ix["name"].as_str().expect("name").to_string(),
                d.try_into().expect("8 bytes"),
            )
        })
        .collect()
}

/// What the prologue must land, not only send: every instruction a user or a crank may call,
/// so the fuzz attacks through them rather than bouncing off an early refusal. The admin's and
/// keeper's own instructions land through the honest actors; the rest are refused by design
/// (a forged key, a proposal not due, a re-initialisation).
const MUST_LAND: &[&str] = &[
    "cancel_liquidity_withdrawal",
    "check_margin",
    "close_margin_account",
    "delist_series",
    "deposit_collateral",
    "deposit_liquidity",
    "deregister_hedge_provider",
    "open_margin_account",
    "post_hedge_quote",
    "post_option_quote",
    "propose_market_risk",
    "refresh_market_price",
    "refresh_marks",
    "refresh_scenarios",
    "register_hedge_provider",
    "request_liquidity_withdrawal",
    "set_margin_mode",
    "set_pause",
    "trade_option",
    "update_vol_surface",
    "withdraw_collateral",
    "withdraw_liquidity",
];

#[test]
fn every_instruction_in_the_idl_is_in_the_adversarys_hand() {
    let (sent, landed) = run(&[]);
    let idl = idl_instructions();
    let missing: Vec<&str> = idl
        .iter()
        .filter(|(_, d)| !sent.contains(d))
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "instructions the adversary never plays: {missing:?} (add them to adversary_every_instruction::Step)"
    );
    let bounced: Vec<&str> = idl
        .iter()
        .filter(|(name, d)| MUST_LAND.contains(&name.as_str()) && !landed.contains(d))
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        bounced.is_empty(),
        "never landed in the prologue: {bounced:?}"
    );
    // The IDL and the program agree on what a discriminator is.
    assert_eq!(
        exposure_vault::instruction::TradeOption::DISCRIMINATOR,
        idl_instructions()
            .iter()
            .find(|(n, _)| n == "trade_option")
            .expect("trade_option")
            .1
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: exposure_vault_tests::fuzz_cases("FUZZ_CASES", 8),
        .. ProptestConfig::default()
    })]
    #[test]
    fn an_adversary_playing_every_instruction_never_gains(
        steps in proptest::collection::vec(step(), 1..30)
    ) {
        run(&steps);
    }
}
