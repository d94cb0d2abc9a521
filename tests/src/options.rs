//! Options fixtures: a market with its book and surface, surfaces, traders with margin accounts,
//! and instruction builders for every options instruction.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::token::spl_token;
use exposure_vault::state::{
    MarginAccount, MarketRiskParams, SeriesBook, SviSlice, VolSurface, MARGIN_SEED,
};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::env::{TestEnv, TxResult};
use crate::pyth::{self, PythQuote};
use crate::vault::{default_risk, VaultFixture};

pub const DAY: i64 = 86_400;
/// One contract in SIZE_PRECISION.
pub const ONE: i64 = 1_000_000;
pub const CALL: u8 = 0;
pub const PUT: u8 = 1;

/// USD to PRICE_PRECISION.
pub fn usd(v: f64) -> u64 {
    (v * 1e6).round() as u64
}

/// A compute-budget instruction raising the transaction's limit (ComputeBudget program,
/// `SetComputeUnitLimit`).
pub fn compute_limit(units: u32) -> Instruction {
    let mut data = vec![2u8];
    data.extend_from_slice(&units.to_le_bytes());
    Instruction {
        program_id: Pubkey::from_str_const("ComputeBudget111111111111111111111111111111"),
        accounts: vec![],
        data,
    }
}

/// A raw-SVI slice (parameters as reals) for `expiry_ts`.
pub fn svi(expiry_ts: i64, a: f64, b: f64, rho: f64, m: f64, sigma: f64) -> SviSlice {
    let s = |v: f64| (v * 1e9).round() as i64;
    SviSlice {
        expiry_ts,
        a: s(a),
        b: s(b),
        rho: s(rho),
        m: s(m),
        sigma: s(sigma),
    }
}

/// A skewed surface with ATM vol `atm_vol` at every expiry (put skew ρ = −0.3), fitted `now`.
pub fn skewed_surface(now: i64, expiries: &[i64], atm_vol: f64) -> Vec<SviSlice> {
    expiries
        .iter()
        .map(|&e| {
            let t = (e - now) as f64 / (365.0 * 86_400.0);
            let (b, sigma) = (0.2 * t.sqrt().max(0.05), 0.1);
            svi(e, atm_vol * atm_vol * t - b * sigma, b, -0.3, 0.0, sigma)
        })
        .collect()
}

/// A trader: wallet, collateral token account and margin account on one market.
pub struct Trader {
    pub wallet: Keypair,
    pub collateral: Pubkey,
    pub margin: Pubkey,
}

/// One options market of a vault: the market, its book and surface, and its pull oracle.
pub struct OptionsMarket {
    pub index: u16,
    pub market: Pubkey,
    pub book: Pubkey,
    pub surface: Pubkey,
    pub oracle: Pubkey,
    pub feed: [u8; 32],
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
            &[v.create_market_ix_with(index, "BTC", pyth::pull_config(feed), oracle, risk)],
            &[&v.admin],
        )
        .expect("create_market");
        let market = v.market_address(index);
        let (book, surface) = VaultFixture::market_accounts(&market);
        Self {
            index,
            market,
            book,
            surface,
            oracle,
            feed,
        }
    }

    /// Publishes a new oracle price now (`conf_bps` confidence).
    pub fn set_price(&self, env: &mut TestEnv, spot: f64, conf_bps: u64) {
        let now = env.now();
        self.set_quote(env, PythQuote::usd(spot, conf_bps, now));
    }

    pub fn set_quote(&self, env: &mut TestEnv, quote: PythQuote) {
        env.set_raw_account(
            self.oracle,
            pyth::pull_price_update(self.feed, quote, VerificationLevel::Full),
        );
    }

    pub fn list_series_ix(
        &self,
        v: &VaultFixture,
        strike: u64,
        expiry_ts: i64,
        side: u8,
    ) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::ListSeries {
                vault: v.vault,
                admin: v.admin.pubkey(),
                market: self.market,
                book: self.book,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::ListSeries {
                strike,
                expiry_ts,
                side,
            }
            .data(),
        }
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

    pub fn delist_series_ix(&self, v: &VaultFixture, series_index: u8) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::DelistSeries {
                vault: v.vault,
                admin: v.admin.pubkey(),
                market: self.market,
                book: self.book,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::DelistSeries { series_index }.data(),
        }
    }

    pub fn update_surface_ix(
        &self,
        v: &VaultFixture,
        keeper: &Pubkey,
        slices: Vec<SviSlice>,
    ) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::UpdateVolSurface {
                vault: v.vault,
                keeper: *keeper,
                market: self.market,
                surface: self.surface,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::UpdateVolSurface { slices }.data(),
        }
    }

    pub fn post_surface(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        slices: Vec<SviSlice>,
    ) -> TxResult {
        let ix = self.update_surface_ix(v, &v.keeper, slices);
        env.send(&[ix], &[&v.keeper_wallet])
    }

    pub fn margin_address(&self, owner: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(
            &[MARGIN_SEED, self.market.as_ref(), owner.as_ref()],
            &exposure_vault::ID,
        )
        .0
    }

    pub fn open_margin_ix(&self, v: &VaultFixture, owner: &Pubkey) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::OpenMarginAccount {
                vault: v.vault,
                market: self.market,
                owner: *owner,
                margin_account: self.margin_address(owner),
                system_program: system_program::ID,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::OpenMarginAccount {}.data(),
        }
    }

    pub fn deposit_collateral_ix(&self, v: &VaultFixture, t: &Trader, amount: u64) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::DepositCollateral {
                vault: v.vault,
                margin_account: t.margin,
                owner: t.wallet.pubkey(),
                collateral_mint: v.collateral_mint,
                vault_token: v.vault_token,
                owner_collateral: t.collateral,
                token_program: spl_token::ID,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::DepositCollateral { amount }.data(),
        }
    }

    pub fn withdraw_collateral_ix(&self, v: &VaultFixture, t: &Trader, amount: u64) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::WithdrawCollateral {
                vault: v.vault,
                market: self.market,
                book: self.book,
                margin_account: t.margin,
                owner: t.wallet.pubkey(),
                collateral_mint: v.collateral_mint,
                vault_token: v.vault_token,
                owner_collateral: t.collateral,
                oracle: self.oracle,
                token_program: spl_token::ID,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::WithdrawCollateral { amount }.data(),
        }
    }

    pub fn close_margin_ix(&self, t: &Trader) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::CloseMarginAccount {
                margin_account: t.margin,
                owner: t.wallet.pubkey(),
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::CloseMarginAccount {}.data(),
        }
    }

    pub fn trade_ix(
        &self,
        v: &VaultFixture,
        t: &Trader,
        series_index: u8,
        size: i64,
        limit: u64,
    ) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::TradeOption {
                vault: v.vault,
                market: self.market,
                book: self.book,
                surface: self.surface,
                mark_registry: v.mark_registry(),
                margin_account: t.margin,
                trader: t.wallet.pubkey(),
                oracle: self.oracle,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::TradeOption {
                series_index,
                size,
                limit,
            }
            .data(),
        }
    }

    /// Buys (size > 0, no premium limit) or sells (size < 0, no minimum) at market.
    pub fn trade(
        &self,
        env: &mut TestEnv,
        v: &VaultFixture,
        t: &Trader,
        series_index: u8,
        size: i64,
    ) -> TxResult {
        let limit = if size > 0 { u64::MAX } else { 0 };
        let ix = self.trade_ix(v, t, series_index, size, limit);
        env.send(&[ix], &[&t.wallet])
    }

    pub fn refresh_marks_ix(&self, v: &VaultFixture) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::RefreshMarks {
                vault: v.vault,
                market: self.market,
                book: self.book,
                surface: self.surface,
                mark_registry: v.mark_registry(),
                oracle: self.oracle,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::RefreshMarks {}.data(),
        }
    }

    pub fn refresh_marks(&self, env: &mut TestEnv, v: &VaultFixture) -> TxResult {
        let ixs = [compute_limit(1_400_000), self.refresh_marks_ix(v)];
        env.send(&ixs, &[])
    }

    /// `liquidate`: with `takeover`, the liquidator's margin account on this market takes the
    /// shorts; otherwise the vault closes them and the fee goes to `liquidator_collateral`.
    pub fn liquidate_ix(
        &self,
        v: &VaultFixture,
        target: &Pubkey,
        liquidator: &Pubkey,
        liquidator_margin: Option<Pubkey>,
        liquidator_collateral: Option<Pubkey>,
        takeover: bool,
    ) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::Liquidate {
                vault: v.vault,
                market: self.market,
                book: self.book,
                mark_registry: v.mark_registry(),
                margin_account: *target,
                liquidator: *liquidator,
                liquidator_margin,
                liquidator_collateral,
                collateral_mint: v.collateral_mint,
                vault_token: v.vault_token,
                insurance_token: v.insurance_token,
                oracle: self.oracle,
                token_program: spl_token::ID,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::Liquidate { takeover }.data(),
        }
    }

    pub fn settle_series_ix(
        &self,
        v: &VaultFixture,
        series_index: u8,
        settlement_oracle: Pubkey,
    ) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::SettleSeries {
                vault: v.vault,
                market: self.market,
                book: self.book,
                mark_registry: v.mark_registry(),
                settlement_oracle,
                oracle: self.oracle,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::SettleSeries { series_index }.data(),
        }
    }

    pub fn settle_position_ix(
        &self,
        v: &VaultFixture,
        margin: &Pubkey,
        series_index: u8,
    ) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::SettlePosition {
                vault: v.vault,
                market: self.market,
                book: self.book,
                mark_registry: v.mark_registry(),
                margin_account: *margin,
                collateral_mint: v.collateral_mint,
                vault_token: v.vault_token,
                insurance_token: v.insurance_token,
                token_program: spl_token::ID,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::SettlePosition { series_index }.data(),
        }
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

    pub fn check_margin_ix(&self, v: &VaultFixture, margin: &Pubkey) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::CheckMargin {
                vault: v.vault,
                market: self.market,
                book: self.book,
                margin_account: *margin,
                oracle: self.oracle,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::CheckMargin {}.data(),
        }
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
        env.send(&[self.open_margin_ix(v, &wallet.pubkey())], &[&wallet])
            .expect("open_margin_account");
        let trader = Trader {
            wallet,
            collateral,
            margin,
        };
        if margin_units > 0 {
            let ix = self.deposit_collateral_ix(v, &trader, margin_units);
            env.send(&[ix], &[&trader.wallet])
                .expect("deposit_collateral");
        }
        trader
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
pub fn zero_copy<T: bytemuck::Pod>(env: &TestEnv, key: &Pubkey) -> T {
    let account = env.raw_account(key).expect("account exists");
    bytemuck::pod_read_unaligned(&account.data[8..8 + std::mem::size_of::<T>()])
}
