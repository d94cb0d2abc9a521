use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::token::spl_token;
use exposure_vault::state::{
    Market, MarketRiskParams, OracleConfig, Vault, VaultParams, INSURANCE_TOKEN_SEED, MARKET_SEED,
    MARK_REGISTRY_SEED, SERIES_BOOK_SEED, SHARE_MINT_SEED, SURFACE_SEED, VAULT_SEED,
    VAULT_TOKEN_SEED,
};
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::env::{TestEnv, TxResult};

/// Parameters the tests start from: 6-decimal collateral, 10M cap, 1 unit minimum.
pub fn default_params() -> VaultParams {
    VaultParams {
        deposit_cap: 10_000_000 * 1_000_000,
        min_deposit: 1,
        liquidation_penalty_bps: 250,
        liquidator_share_bps: 5_000,
        conf_multiplier_bps: 20_000,
    }
}

/// Market risk parameters the tests start from: Deribit-like factors (IM 15%/10%, MM 7.5%/5%),
/// $1M delta and $50k vega caps, 50–450 bps spread, 10 bps fee, 10-minute surface and marks,
/// a 10-minute settlement window, liquidation on prices up to 5 minutes old.
pub fn default_risk() -> MarketRiskParams {
    MarketRiskParams {
        initial_a_bps: 1_500,
        initial_b_bps: 1_000,
        maintenance_a_bps: 750,
        maintenance_b_bps: 500,
        max_net_delta: 1_000_000 * 1_000_000,
        max_net_vega: 50_000 * 1_000_000,
        base_spread_bps: 50,
        max_spread_bps: 450,
        taker_fee_bps: 10,
        surface_max_change_bps: 5_000,
        surface_max_age_secs: 600,
        marks_max_age_secs: 600,
        settlement_window_secs: 600,
        liquidation_oracle_max_age_secs: 300,
    }
}

/// A depositor with a collateral token account and a share token account.
pub struct Depositor {
    pub wallet: Keypair,
    pub collateral: Pubkey,
    pub shares: Pubkey,
}

/// One vault on a fresh collateral mint, and the keys of everything it owns.
pub struct VaultFixture {
    pub admin: Keypair,
    pub keeper: Pubkey,
    /// The keeper authority's wallet (posts surfaces).
    pub keeper_wallet: Keypair,
    pub mint_authority: Keypair,
    pub collateral_mint: Pubkey,
    pub decimals: u8,
    pub vault: Pubkey,
    pub share_mint: Pubkey,
    pub vault_token: Pubkey,
    pub insurance_token: Pubkey,
}

impl VaultFixture {
    /// Addresses for a vault of `admin` over `collateral_mint`, before it exists.
    pub fn derive(
        admin: Keypair,
        mint_authority: Keypair,
        collateral_mint: Pubkey,
        decimals: u8,
    ) -> Self {
        let pid = exposure_vault::ID;
        let (vault, _) = Pubkey::find_program_address(
            &[
                VAULT_SEED,
                admin.pubkey().as_ref(),
                collateral_mint.as_ref(),
            ],
            &pid,
        );
        let pda = |seed: &[u8]| Pubkey::find_program_address(&[seed, vault.as_ref()], &pid).0;
        let keeper_wallet = Keypair::new();
        Self {
            keeper: keeper_wallet.pubkey(),
            keeper_wallet,
            share_mint: pda(SHARE_MINT_SEED),
            vault_token: pda(VAULT_TOKEN_SEED),
            insurance_token: pda(INSURANCE_TOKEN_SEED),
            admin,
            mint_authority,
            collateral_mint,
            decimals,
            vault,
        }
    }

    /// Creates a collateral mint with `decimals` and the vault's addresses (not initialised).
    pub fn prepare(env: &mut TestEnv, decimals: u8) -> Self {
        let admin = env.new_funded_keypair(100_000_000_000);
        let mint_authority = Keypair::new();
        let mint = env.create_mint(&mint_authority.pubkey(), decimals);
        Self::derive(admin, mint_authority, mint, decimals)
    }

    /// A fresh 6-decimal vault, initialised with `params`.
    pub fn new(env: &mut TestEnv, params: VaultParams) -> Self {
        let fixture = Self::prepare(env, 6);
        fixture.initialize(env, params).expect("initialize_vault");
        fixture
    }

    pub fn initialize_ix(&self, params: VaultParams) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::InitializeVault {
                admin: self.admin.pubkey(),
                collateral_mint: self.collateral_mint,
                vault: self.vault,
                share_mint: self.share_mint,
                vault_token: self.vault_token,
                insurance_token: self.insurance_token,
                mark_registry: self.mark_registry(),
                token_program: spl_token::ID,
                system_program: system_program::ID,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::InitializeVault {
                keeper: self.keeper,
                params,
            }
            .data(),
        }
    }

    pub fn initialize(&self, env: &mut TestEnv, params: VaultParams) -> TxResult {
        env.send(&[self.initialize_ix(params)], &[&self.admin])
    }

    /// A depositor holding `collateral` units and an empty share account.
    pub fn new_depositor(&self, env: &mut TestEnv, collateral: u64) -> Depositor {
        let wallet = env.new_funded_keypair(10_000_000_000);
        let collateral_account = env.create_token_account(&self.collateral_mint, &wallet.pubkey());
        let shares = env.create_token_account(&self.share_mint, &wallet.pubkey());
        if collateral > 0 {
            env.mint_tokens(
                &self.collateral_mint,
                &self.mint_authority,
                &collateral_account,
                collateral,
            );
        }
        Depositor {
            wallet,
            collateral: collateral_account,
            shares,
        }
    }

    pub fn deposit_accounts(&self, d: &Depositor) -> exposure_vault::accounts::Deposit {
        exposure_vault::accounts::Deposit {
            vault: self.vault,
            depositor: d.wallet.pubkey(),
            collateral_mint: self.collateral_mint,
            share_mint: self.share_mint,
            vault_token: self.vault_token,
            depositor_collateral: d.collateral,
            depositor_shares: d.shares,
            token_program: spl_token::ID,
        }
    }

    pub fn deposit_ix_with(
        &self,
        accounts: exposure_vault::accounts::Deposit,
        amount: u64,
    ) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: accounts.to_account_metas(None),
            data: exposure_vault::instruction::Deposit { amount }.data(),
        }
    }

    pub fn deposit(&self, env: &mut TestEnv, d: &Depositor, amount: u64) -> TxResult {
        let ix = self.deposit_ix_with(self.deposit_accounts(d), amount);
        env.send(&[ix], &[&d.wallet])
    }

    pub fn withdraw_accounts(&self, d: &Depositor) -> exposure_vault::accounts::Withdraw {
        exposure_vault::accounts::Withdraw {
            vault: self.vault,
            owner: d.wallet.pubkey(),
            collateral_mint: self.collateral_mint,
            share_mint: self.share_mint,
            vault_token: self.vault_token,
            owner_shares: d.shares,
            owner_collateral: d.collateral,
            token_program: spl_token::ID,
        }
    }

    pub fn withdraw_ix_with(
        &self,
        accounts: exposure_vault::accounts::Withdraw,
        shares: u64,
    ) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: accounts.to_account_metas(None),
            data: exposure_vault::instruction::Withdraw { shares }.data(),
        }
    }

    pub fn withdraw(&self, env: &mut TestEnv, d: &Depositor, shares: u64) -> TxResult {
        let ix = self.withdraw_ix_with(self.withdraw_accounts(d), shares);
        env.send(&[ix], &[&d.wallet])
    }

    pub fn update_params_ix(&self, admin: &Pubkey, params: VaultParams) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::UpdateParams {
                vault: self.vault,
                admin: *admin,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::UpdateParams { params }.data(),
        }
    }

    pub fn set_pause_ix(&self, admin: &Pubkey, pause_flags: u8) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::SetPause {
                vault: self.vault,
                admin: *admin,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::SetPause { pause_flags }.data(),
        }
    }

    pub fn set_pause(&self, env: &mut TestEnv, pause_flags: u8) -> TxResult {
        let ix = self.set_pause_ix(&self.admin.pubkey(), pause_flags);
        env.send(&[ix], &[&self.admin])
    }

    pub fn market_address(&self, index: u16) -> Pubkey {
        Pubkey::find_program_address(
            &[MARKET_SEED, self.vault.as_ref(), &index.to_le_bytes()],
            &exposure_vault::ID,
        )
        .0
    }

    pub fn mark_registry(&self) -> Pubkey {
        Pubkey::find_program_address(
            &[MARK_REGISTRY_SEED, self.vault.as_ref()],
            &exposure_vault::ID,
        )
        .0
    }

    /// The series book and surface PDAs of a market.
    pub fn market_accounts(market: &Pubkey) -> (Pubkey, Pubkey) {
        let pda = |seed: &[u8]| {
            Pubkey::find_program_address(&[seed, market.as_ref()], &exposure_vault::ID).0
        };
        (pda(SERIES_BOOK_SEED), pda(SURFACE_SEED))
    }

    pub fn create_market_ix(
        &self,
        index: u16,
        symbol: &str,
        oracle: OracleConfig,
        oracle_account: Pubkey,
    ) -> Instruction {
        self.create_market_ix_with(index, symbol, oracle, oracle_account, default_risk())
    }

    pub fn create_market_ix_with(
        &self,
        index: u16,
        symbol: &str,
        oracle: OracleConfig,
        oracle_account: Pubkey,
        risk: MarketRiskParams,
    ) -> Instruction {
        let market = self.market_address(index);
        let (book, surface) = Self::market_accounts(&market);
        let mut sym = [0u8; 16];
        sym[..symbol.len()].copy_from_slice(symbol.as_bytes());
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::CreateMarket {
                vault: self.vault,
                admin: self.admin.pubkey(),
                market,
                book,
                surface,
                oracle: oracle_account,
                system_program: system_program::ID,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::CreateMarket {
                symbol: sym,
                oracle,
                risk,
            }
            .data(),
        }
    }

    pub fn refresh_price_ix(&self, market: Pubkey, oracle_account: Pubkey) -> Instruction {
        Instruction {
            program_id: exposure_vault::ID,
            accounts: exposure_vault::accounts::RefreshMarketPrice {
                market,
                oracle: oracle_account,
            }
            .to_account_metas(None),
            data: exposure_vault::instruction::RefreshMarketPrice {}.data(),
        }
    }

    /// Rewrites the vault account in place: for states no instruction can reach yet (for
    /// example locked liabilities before options exist).
    pub fn overwrite_state(&self, env: &mut TestEnv, edit: impl FnOnce(&mut Vault)) {
        let mut state = self.state(env);
        edit(&mut state);
        let mut account = env.raw_account(&self.vault).expect("vault exists");
        let mut data = Vec::with_capacity(account.data.len());
        anchor_lang::AccountSerialize::try_serialize(&state, &mut data).expect("serialise vault");
        account.data[..data.len()].copy_from_slice(&data);
        env.set_raw_account(self.vault, account);
    }

    pub fn state(&self, env: &TestEnv) -> Vault {
        env.anchor_account(&self.vault)
    }

    pub fn market(&self, env: &TestEnv, index: u16) -> Market {
        env.anchor_account(&self.market_address(index))
    }
}
