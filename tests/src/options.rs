//! Options fixtures: a market with its book and surface, traders with margin accounts, and
//! sending helpers. Instruction builders live in `exposure_vault_client::MarketKeys`, reachable
//! through `Deref`.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use exposure_vault::state::{
    HedgeBook, MarginAccount, MarketRiskParams, SeriesBook, SviSlice, VolSurface,
};
pub use exposure_vault_client::surface::{skewed_surface, svi};
pub use exposure_vault_client::{usd, MarketKeys, CALL, PUT};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::env::{TestEnv, TxResult};
use crate::pyth::{self, PythQuote};
use crate::vault::{default_risk, VaultFixture};

pub const DAY: i64 = 86_400;
/// One contract in SIZE_PRECISION.
pub const ONE: i64 = exposure_vault_client::CONTRACT;

/// A compute-budget instruction raising the transaction's limit.
pub fn compute_limit(units: u32) -> Instruction {
    exposure_vault_client::compute_budget::set_compute_unit_limit(units)
}

/// A trader: wallet, collateral token account and margin account on one market.
pub struct Trader {
    pub wallet: Keypair,
    pub collateral: Pubkey,
    pub margin: Pubkey,
}

/// One options market of a vault: its addresses and its pull oracle's feed id.
pub struct OptionsMarket {
    pub keys: MarketKeys,
    pub feed: [u8; 32],
}

impl std::ops::Deref for OptionsMarket {
    type Target = MarketKeys;
    fn deref(&self) -> &MarketKeys {
        &self.keys
    }
}

impl OptionsMarket {
    /// Creates market `index` with a pull oracle at `spot` dollars.
    pub fn create(env: &mut TestEnv, v: &VaultFixture, index: u16, spot: f64) -> Self {
        Self::create_with(env, v, index, spot, default_risk())
    }

    pub fn create_with(
        env: &mut TestEnv,
        v: &VaultFixture,
        index: u16,
        spot: f64,
        risk: MarketRiskParams,
    ) -> Self {
        let feed = [0xb0 + index as u8; 32];
        let oracle = pyth::write_pull_oracle(env, feed, spot);
        env.send(
            &[v.create_market_ix(index, "BTC", pyth::pull_config(feed), oracle, risk)],
            &[&v.admin],
        )
        .expect("create_market");
        Self {
            keys: v.market_keys(index, oracle),
            feed,
        }
    }

    /// Publishes a new oracle price now (`conf_bps` confidence).
    pub fn set_price(&self, env: &mut TestEnv, spot: f64, conf_bps: u64) {
        let now = env.now();
        self.set_quote(env, PythQuote::usd(spot, conf_bps, now));
    }

    /// Writes the market's oracle account and moves to the next slot, where the market may take
    /// the new price (one price per slot; see `oracle::read_market_price`).
    pub fn set_quote(&self, env: &mut TestEnv, quote: PythQuote) {
        env.next_slot();
        env.set_raw_account(
            self.oracle,
            pyth::pull_price_update(self.feed, quote, VerificationLevel::Full),
        );
    }

    /// Lists a series and returns its slot.
    pub fn list(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        strike_usd: f64,
        expiry_ts: i64,
        side: u8,
    ) -> u8 {
        let strike = usd(strike_usd);
        env.send(
            &[self.list_series_ix(v, strike, expiry_ts, side)],
            &[&v.admin],
        )
        .expect("list_series");
        self.book_state(env)
            .series
            .iter()
            .position(|s| {
                s.is_listed() && s.strike == strike && s.expiry_ts == expiry_ts && s.side == side
            })
            .expect("listed") as u8
    }

    pub fn update_vol_surface(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        slices: Vec<SviSlice>,
    ) -> TxResult {
        let ix = self.update_vol_surface_ix(v, v.keeper, slices);
        env.send(&[ix], &[&v.keeper_wallet])
    }

    /// Buys (size > 0, no premium limit) or sells (size < 0, no minimum) at market.
    pub fn trade_option(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        t: &Trader,
        series_index: u8,
        size: i64,
    ) -> TxResult {
        let limit = if size > 0 { u64::MAX } else { 0 };
        let ix = self.trade_option_ix(v, t.wallet.pubkey(), series_index, size, limit);
        env.send(&[ix], &[&t.wallet])
    }

    /// `settle_series` from proposal to final: proposes `update`, then moves the clock to the
    /// end of the proposal's dispute period, republishes the oracle's last price there and makes
    /// the final call, whose result it returns.
    pub fn settle_series(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        slot: u8,
        update: Pubkey,
    ) -> TxResult {
        env.send(&[self.settle_series_ix(v, slot, update)], &[])?;
        self.finalise_settlement(env, v, slot)
    }

    /// The final `settle_series` call of a proposed series, at the end of its dispute period.
    pub fn finalise_settlement(&self, env: &mut TestEnv, v: &VaultFixture, slot: u8) -> TxResult {
        let final_ts = self.book_state(env).series[usize::from(slot)].settlement_final_ts;
        if env.now() < final_ts {
            env.set_unix_timestamp(final_ts);
        }
        let market: exposure_vault::state::Market = env.anchor_account(&self.market);
        let spot = market.last_price as f64 / 1e6;
        self.set_price(env, spot, 5);
        env.send(&[self.settle_series_ix(v, slot, self.oracle)], &[])
    }

    /// `refresh_scenarios` over the whole book, 16 series per transaction.
    pub fn refresh_scenarios(&self, env: &mut TestEnv) -> TxResult {
        let mut last = None;
        for ix in self.refresh_scenarios_chunks(16) {
            last = Some(env.send(&[compute_limit(1_400_000), ix], &[])?);
        }
        Ok(last.expect("a chunk"))
    }

    pub fn set_margin_mode(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        t: &Trader,
        margin_mode: u8,
    ) -> TxResult {
        let ix = self.set_margin_mode_ix(v, t.wallet.pubkey(), margin_mode);
        env.send(&[compute_limit(1_400_000), ix], &[&t.wallet])
    }

    pub fn refresh_marks(&self, env: &mut TestEnv, v: &VaultFixture) -> TxResult {
        let ixs = [compute_limit(1_400_000), self.refresh_marks_ix(v)];
        env.send(&ixs, &[])
    }

    /// A pull-oracle update account for this market's feed at `spot`, published at
    /// `publish_time` (a settlement price).
    pub fn write_price_update(&self, env: &mut TestEnv, spot: f64, publish_time: i64) -> Pubkey {
        let account = Pubkey::new_unique();
        env.set_raw_account(
            account,
            pyth::pull_price_update(
                self.feed,
                PythQuote::usd(spot, 5, publish_time),
                VerificationLevel::Full,
            ),
        );
        account
    }

    /// A trader holding `wallet_units` collateral tokens with `margin_units` deposited into a
    /// new margin account.
    pub fn new_trader(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        wallet_units: u64,
        margin_units: u64,
    ) -> Trader {
        let wallet = env.new_funded_keypair(10_000_000_000);
        let collateral = env.create_token_account(&v.collateral_mint, &wallet.pubkey());
        env.mint_tokens(
            &v.collateral_mint,
            &v.mint_authority,
            &collateral,
            wallet_units,
        );
        let margin = self.margin_address(&wallet.pubkey());
        env.send(
            &[self.open_margin_account_ix(v, wallet.pubkey())],
            &[&wallet],
        )
        .expect("open_margin_account");
        let trader = Trader {
            wallet,
            collateral,
            margin,
        };
        if margin_units > 0 {
            let ix = self.deposit_collateral_ix(
                v,
                trader.wallet.pubkey(),
                trader.collateral,
                margin_units,
            );
            env.send(&[ix], &[&trader.wallet])
                .expect("deposit_collateral");
        }
        trader
    }

    /// A trader registered as a hedge provider, quoting `max_size` each side at `spread_bps`
    /// for an hour.
    pub fn new_hedge_provider(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        margin_units: u64,
        max_size: u64,
        spread_bps: u16,
    ) -> Trader {
        let provider = self.new_trader(env, v, margin_units, margin_units);
        let owner = provider.wallet.pubkey();
        env.send(
            &[self.register_hedge_provider_ix(owner)],
            &[&provider.wallet],
        )
        .expect("register_hedge_provider");
        self.post_hedge_quote(env, v, &provider, max_size, spread_bps, env.now() + 3_600)
            .expect("post_hedge_quote");
        provider
    }

    pub fn post_hedge_quote(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        provider: &Trader,
        max_size: u64,
        spread_bps: u16,
        expiry_ts: i64,
    ) -> TxResult {
        let owner = provider.wallet.pubkey();
        let ix = self.post_hedge_quote_ix(v, owner, max_size, max_size, spread_bps, expiry_ts);
        env.send(&[ix], &[&provider.wallet])
    }

    /// `provider` quotes `size` each side of series `slot` at `(bid_vol, ask_vol)` (fractions)
    /// for an hour.
    pub fn post_option_quote(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        provider: &Trader,
        slot: u8,
        (bid_vol, ask_vol): (f64, f64),
        size: u64,
    ) -> TxResult {
        let vol = |x: f64| (x * 1e6).round() as u64;
        let ix = self.post_option_quote_ix(
            v,
            provider.wallet.pubkey(),
            slot,
            (vol(bid_vol), vol(ask_vol)),
            (size, size),
            env.now() + 3_600,
        );
        env.send(&[ix], &[&provider.wallet])
    }

    /// `rebalance_option_hedge` signed by the vault's keeper, at the hedge book's current sequence, no
    /// worse than `limit_vol` (a fraction).
    pub fn rebalance_option_hedge(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        provider: &Trader,
        (slot, size): (u8, i64),
        limit_vol: f64,
    ) -> TxResult {
        let seq = self.hedge_book_state(env).rebalance_seq;
        let limit = (limit_vol * 1e6).round() as u64;
        let ix =
            self.rebalance_option_hedge_ix(v, v.keeper, provider.margin, seq, (slot, size), limit);
        env.send(&[compute_limit(400_000), ix], &[&v.keeper_wallet])
    }

    /// `rebalance_hedge` signed by the vault's keeper, at the hedge book's current sequence.
    pub fn rebalance_hedge(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        provider: &Trader,
        size: i64,
        max_slippage_bps: u16,
    ) -> TxResult {
        let seq = self.hedge_book_state(env).rebalance_seq;
        let ix = self.rebalance_hedge_ix(v, v.keeper, provider.margin, seq, size, max_slippage_bps);
        env.send(&[ix], &[&v.keeper_wallet])
    }

    pub fn hedge_book_state(&self, env: &TestEnv) -> HedgeBook {
        zero_copy(env, &self.hedge_book)
    }

    pub fn book_state(&self, env: &TestEnv) -> SeriesBook {
        zero_copy(env, &self.book)
    }

    pub fn surface_state(&self, env: &TestEnv) -> VolSurface {
        zero_copy(env, &self.surface)
    }

    pub fn margin_state(&self, env: &TestEnv, margin: &Pubkey) -> MarginAccount {
        zero_copy(env, margin)
    }
}

/// A zero-copy account's state (after the 8-byte discriminator).
pub fn zero_copy<T: bytemuck::Pod + anchor_lang::Discriminator>(env: &TestEnv, key: &Pubkey) -> T {
    let account = env.raw_account(key).expect("account exists");
    exposure_vault_client::decode::zero_copy(&account.data).expect("decodes as the expected type")
}
