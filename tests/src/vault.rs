use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use exposure_vault::state::{Market, OracleConfig, Vault, VaultParams};
use exposure_vault_client::VaultKeys;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::env::{TestEnv, TxResult};

pub use exposure_vault_client::presets::{
    market_risk as default_risk, vault_params as default_params,
};

/// A depositor with a collateral token account and a share token account.
pub struct Depositor {
    pub wallet: Keypair,
    pub collateral: Pubkey,
    pub shares: Pubkey,
}

/// One vault on a fresh collateral mint: its addresses (`VaultKeys`, reachable through `Deref`)
/// and the keypairs that sign for it.
pub struct VaultFixture {
    pub keys: VaultKeys,
    pub admin: Keypair,
    /// The keeper authority's wallet (posts surfaces).
    pub keeper_wallet: Keypair,
    pub mint_authority: Keypair,
    pub decimals: u8,
}

impl std::ops::Deref for VaultFixture {
    type Target = VaultKeys;
    fn deref(&self) -> &VaultKeys {
        &self.keys
    }
}

impl VaultFixture {
    /// Addresses for a vault of `admin` over `collateral_mint`, before it exists.
    pub fn derive(
        admin: Keypair,
        mint_authority: Keypair,
        collateral_mint: Pubkey,
        decimals: u8,
    ) -> Self {
        let keeper_wallet = Keypair::new();
        Self {
            keys: VaultKeys::derive(admin.pubkey(), collateral_mint, keeper_wallet.pubkey()),
            keeper_wallet,
            admin,
            mint_authority,
            decimals,
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

    pub fn initialize(&self, env: &mut TestEnv, params: VaultParams) -> TxResult {
        env.send(&[self.initialize_vault_ix(params)], &[&self.admin])
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

    pub fn deposit_liquidity_accounts(
        &self,
        d: &Depositor,
    ) -> exposure_vault::accounts::DepositLiquidity {
        self.keys
            .deposit_liquidity_accounts(d.wallet.pubkey(), d.collateral, d.shares)
    }

    /// `deposit_liquidity` with an account list the test may have tampered with.
    pub fn deposit_liquidity_ix_with(
        &self,
        accounts: exposure_vault::accounts::DepositLiquidity,
        amount: u64,
    ) -> Instruction {
        exposure_vault_client::program_ix(
            accounts,
            exposure_vault::instruction::DepositLiquidity { amount },
        )
    }

    pub fn deposit_liquidity(&self, env: &mut TestEnv, d: &Depositor, amount: u64) -> TxResult {
        let ix = self.deposit_liquidity_ix_with(self.deposit_liquidity_accounts(d), amount);
        env.send(&[ix], &[&d.wallet])
    }

    pub fn request_liquidity_withdrawal_accounts(
        &self,
        d: &Depositor,
    ) -> exposure_vault::accounts::RequestLiquidityWithdrawal {
        self.keys
            .request_liquidity_withdrawal_accounts(d.wallet.pubkey(), d.shares)
    }

    /// `request_liquidity_withdrawal` with an account list the test may have tampered with.
    pub fn request_liquidity_withdrawal_ix_with(
        &self,
        accounts: exposure_vault::accounts::RequestLiquidityWithdrawal,
        shares: u64,
    ) -> Instruction {
        exposure_vault_client::program_ix(
            accounts,
            exposure_vault::instruction::RequestLiquidityWithdrawal { shares },
        )
    }

    pub fn withdraw_liquidity_accounts(
        &self,
        d: &Depositor,
    ) -> exposure_vault::accounts::WithdrawLiquidity {
        self.keys
            .withdraw_liquidity_accounts(d.wallet.pubkey(), d.collateral)
    }

    /// A whole LP withdrawal in one transaction, which the tests' zero delay allows:
    /// `request_liquidity_withdrawal` of `shares`, then `withdraw_liquidity` with an account list the test may have
    /// tampered with.
    pub fn withdraw_liquidity_now_with(
        &self,
        d: &Depositor,
        accounts: exposure_vault::accounts::WithdrawLiquidity,
        shares: u64,
    ) -> Vec<Instruction> {
        vec![
            self.request_liquidity_withdrawal_ix_with(
                self.request_liquidity_withdrawal_accounts(d),
                shares,
            ),
            exposure_vault_client::program_ix(
                accounts,
                exposure_vault::instruction::WithdrawLiquidity {},
            ),
        ]
    }

    /// `request_liquidity_withdrawal` and `withdraw_liquidity` of `shares` in one transaction (zero delay).
    pub fn withdraw_liquidity_now(
        &self,
        env: &mut TestEnv,
        d: &Depositor,
        shares: u64,
    ) -> TxResult {
        let ixs = self.withdraw_liquidity_now_with(d, self.withdraw_liquidity_accounts(d), shares);
        env.send(&ixs, &[&d.wallet])
    }

    /// `request_liquidity_withdrawal` alone.
    pub fn request_liquidity_withdrawal(
        &self,
        env: &mut TestEnv,
        d: &Depositor,
        shares: u64,
    ) -> TxResult {
        let ix = self.request_liquidity_withdrawal_ix_with(
            self.request_liquidity_withdrawal_accounts(d),
            shares,
        );
        env.send(&[ix], &[&d.wallet])
    }

    /// `withdraw_liquidity` alone: completes `d`'s pending request.
    pub fn withdraw_liquidity(&self, env: &mut TestEnv, d: &Depositor) -> TxResult {
        let ix = self
            .keys
            .withdraw_liquidity_ix(d.wallet.pubkey(), d.collateral);
        env.send(&[ix], &[&d.wallet])
    }

    pub fn cancel_liquidity_withdrawal(&self, env: &mut TestEnv, d: &Depositor) -> TxResult {
        let ix = self
            .keys
            .cancel_liquidity_withdrawal_ix(d.wallet.pubkey(), d.shares);
        env.send(&[ix], &[&d.wallet])
    }

    pub fn set_pause(&self, env: &mut TestEnv, pause_flags: u8) -> TxResult {
        let ix = self.set_pause_ix(self.admin.pubkey(), pause_flags);
        env.send(&[ix], &[&self.admin])
    }

    /// `create_market` with the tests' default risk parameters.
    pub fn create_market_default_ix(
        &self,
        index: u16,
        symbol: &str,
        oracle: OracleConfig,
        oracle_account: Pubkey,
    ) -> Instruction {
        self.create_market_ix(index, symbol, oracle, oracle_account, default_risk())
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
