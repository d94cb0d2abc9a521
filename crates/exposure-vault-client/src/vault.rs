use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::token::spl_token;
use exposure_vault::accounts as accs;
use exposure_vault::instruction as ixs;
use exposure_vault::state::{
    MarketRiskParams, OracleConfig, VaultParams, INSURANCE_TOKEN_SEED, MARKET_SEED,
    MARK_REGISTRY_SEED, PARAMS_PROPOSAL_SEED, SHARE_MINT_SEED, VAULT_SEED, VAULT_TOKEN_SEED,
    WITHDRAWAL_REQUEST_SEED, WITHDRAWAL_SHARES_SEED,
};

use crate::MarketKeys;

/// An instruction of the program from its Anchor account list and argument struct.
pub fn program_ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: exposure_vault::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// The addresses of one vault: the vault PDA of `(admin, collateral_mint)` and the PDAs it owns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VaultKeys {
    pub vault: Pubkey,
    pub admin: Pubkey,
    /// The keeper authority (posts surfaces, rebalances). Not derived: set at initialisation.
    pub keeper: Pubkey,
    pub collateral_mint: Pubkey,
    pub share_mint: Pubkey,
    pub vault_token: Pubkey,
    pub insurance_token: Pubkey,
    pub mark_registry: Pubkey,
}

impl VaultKeys {
    pub fn derive(admin: Pubkey, collateral_mint: Pubkey, keeper: Pubkey) -> Self {
        let pid = exposure_vault::ID;
        let (vault, _) = Pubkey::find_program_address(
            &[VAULT_SEED, admin.as_ref(), collateral_mint.as_ref()],
            &pid,
        );
        let pda = |seed: &[u8]| Pubkey::find_program_address(&[seed, vault.as_ref()], &pid).0;
        Self {
            vault,
            admin,
            keeper,
            collateral_mint,
            share_mint: pda(SHARE_MINT_SEED),
            vault_token: pda(VAULT_TOKEN_SEED),
            insurance_token: pda(INSURANCE_TOKEN_SEED),
            mark_registry: pda(MARK_REGISTRY_SEED),
        }
    }

    /// Rebuilds the keys of an existing vault from its on-chain state.
    pub fn from_state(vault: Pubkey, state: &exposure_vault::state::Vault) -> Self {
        let mut keys = Self::derive(state.admin, state.collateral_mint, state.keeper);
        debug_assert_eq!(keys.vault, vault);
        keys.vault = vault;
        keys
    }

    pub fn market_address(&self, index: u16) -> Pubkey {
        Pubkey::find_program_address(
            &[MARKET_SEED, self.vault.as_ref(), &index.to_le_bytes()],
            &exposure_vault::ID,
        )
        .0
    }

    /// Market `index` of this vault, reading prices from `oracle`.
    pub fn market_keys(&self, index: u16, oracle: Pubkey) -> MarketKeys {
        MarketKeys::derive(self.vault, self.market_address(index), index, oracle)
    }

    pub fn initialize_vault_ix(&self, params: VaultParams) -> Instruction {
        program_ix(
            accs::InitializeVault {
                admin: self.admin,
                collateral_mint: self.collateral_mint,
                vault: self.vault,
                share_mint: self.share_mint,
                vault_token: self.vault_token,
                insurance_token: self.insurance_token,
                mark_registry: self.mark_registry,
                token_program: spl_token::ID,
                system_program: system_program::ID,
            },
            ixs::InitializeVault {
                keeper: self.keeper,
                params,
            },
        )
    }

    pub fn deposit_liquidity_accounts(
        &self,
        depositor: Pubkey,
        depositor_collateral: Pubkey,
        depositor_shares: Pubkey,
    ) -> accs::DepositLiquidity {
        accs::DepositLiquidity {
            vault: self.vault,
            depositor,
            collateral_mint: self.collateral_mint,
            share_mint: self.share_mint,
            vault_token: self.vault_token,
            depositor_collateral,
            depositor_shares,
            token_program: spl_token::ID,
            mark_registry: Some(self.mark_registry),
        }
    }

    /// `deposit_liquidity` of `amount` collateral units from `depositor`'s token account for shares.
    pub fn deposit_liquidity_ix(
        &self,
        depositor: Pubkey,
        depositor_collateral: Pubkey,
        depositor_shares: Pubkey,
        amount: u64,
    ) -> Instruction {
        program_ix(
            self.deposit_liquidity_accounts(depositor, depositor_collateral, depositor_shares),
            ixs::DepositLiquidity { amount },
        )
    }

    /// The PDA holding `owner`'s pending withdrawal request.
    pub fn withdrawal_request_address(&self, owner: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(
            &[WITHDRAWAL_REQUEST_SEED, self.vault.as_ref(), owner.as_ref()],
            &exposure_vault::ID,
        )
        .0
    }

    /// The vault-owned token account escrowing `owner`'s requested shares.
    pub fn withdrawal_shares_address(&self, owner: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(
            &[WITHDRAWAL_SHARES_SEED, self.vault.as_ref(), owner.as_ref()],
            &exposure_vault::ID,
        )
        .0
    }

    pub fn request_liquidity_withdrawal_accounts(
        &self,
        owner: Pubkey,
        owner_shares: Pubkey,
    ) -> accs::RequestLiquidityWithdrawal {
        accs::RequestLiquidityWithdrawal {
            vault: self.vault,
            owner,
            share_mint: self.share_mint,
            owner_shares,
            withdrawal_request: self.withdrawal_request_address(&owner),
            withdrawal_shares: self.withdrawal_shares_address(&owner),
            token_program: spl_token::ID,
            system_program: system_program::ID,
            mark_registry: Some(self.mark_registry),
        }
    }

    /// `request_liquidity_withdrawal`: escrows `shares` of `owner` until the withdrawal delay has passed.
    pub fn request_liquidity_withdrawal_ix(
        &self,
        owner: Pubkey,
        owner_shares: Pubkey,
        shares: u64,
    ) -> Instruction {
        program_ix(
            self.request_liquidity_withdrawal_accounts(owner, owner_shares),
            ixs::RequestLiquidityWithdrawal { shares },
        )
    }

    pub fn withdraw_liquidity_accounts(
        &self,
        owner: Pubkey,
        owner_collateral: Pubkey,
    ) -> accs::WithdrawLiquidity {
        accs::WithdrawLiquidity {
            vault: self.vault,
            owner,
            collateral_mint: self.collateral_mint,
            share_mint: self.share_mint,
            vault_token: self.vault_token,
            withdrawal_request: self.withdrawal_request_address(&owner),
            withdrawal_shares: self.withdrawal_shares_address(&owner),
            owner_collateral,
            token_program: spl_token::ID,
            mark_registry: Some(self.mark_registry),
        }
    }

    /// `withdraw_liquidity`: completes `owner`'s due request, paying into `owner_collateral`.
    pub fn withdraw_liquidity_ix(&self, owner: Pubkey, owner_collateral: Pubkey) -> Instruction {
        program_ix(
            self.withdraw_liquidity_accounts(owner, owner_collateral),
            ixs::WithdrawLiquidity {},
        )
    }

    /// `cancel_liquidity_withdrawal`: returns `owner`'s escrowed shares to `owner_shares`.
    pub fn cancel_liquidity_withdrawal_ix(
        &self,
        owner: Pubkey,
        owner_shares: Pubkey,
    ) -> Instruction {
        program_ix(
            accs::CancelLiquidityWithdrawal {
                vault: self.vault,
                owner,
                share_mint: self.share_mint,
                owner_shares,
                withdrawal_request: self.withdrawal_request_address(&owner),
                withdrawal_shares: self.withdrawal_shares_address(&owner),
                token_program: spl_token::ID,
            },
            ixs::CancelLiquidityWithdrawal {},
        )
    }

    pub fn update_params_ix(&self, admin: Pubkey, params: VaultParams) -> Instruction {
        program_ix(
            accs::UpdateParams {
                vault: self.vault,
                admin,
            },
            ixs::UpdateParams { params },
        )
    }

    pub fn set_pause_ix(&self, admin: Pubkey, pause_flags: u8) -> Instruction {
        program_ix(
            accs::SetPause {
                vault: self.vault,
                admin,
            },
            ixs::SetPause { pause_flags },
        )
    }

    /// The vault's pending parameter change (`ParamsProposal`) PDA.
    pub fn params_proposal_address(&self) -> Pubkey {
        Pubkey::find_program_address(
            &[PARAMS_PROPOSAL_SEED, self.vault.as_ref()],
            &exposure_vault::ID,
        )
        .0
    }

    /// `propose_params` signed by `admin`.
    pub fn propose_params_ix(&self, admin: Pubkey, params: VaultParams) -> Instruction {
        program_ix(
            accs::ProposeParams {
                vault: self.vault,
                admin,
                proposal: self.params_proposal_address(),
                system_program: anchor_lang::system_program::ID,
            },
            ixs::ProposeParams { params },
        )
    }

    /// `apply_params` (anyone, once due), or with `cancel` the admin's withdrawal.
    pub fn apply_params_ix(&self, admin: Pubkey, cancel: bool) -> Instruction {
        let mut ix = program_ix(
            accs::ApplyParams {
                vault: self.vault,
                admin,
                proposal: self.params_proposal_address(),
            },
            ixs::ApplyParams { cancel },
        );
        ix.accounts[1].is_signer = cancel;
        ix
    }

    /// `propose_authority`: `admin` proposes `proposed` as the next admin (`role` 0) or keeper (1).
    pub fn propose_authority_ix(&self, admin: Pubkey, role: u8, proposed: Pubkey) -> Instruction {
        program_ix(
            accs::ProposeAuthority {
                vault: self.vault,
                admin,
            },
            ixs::ProposeAuthority { role, proposed },
        )
    }

    /// `accept_authority`: the proposed `successor` takes over `role`.
    pub fn accept_authority_ix(&self, successor: Pubkey, role: u8) -> Instruction {
        program_ix(
            accs::AcceptAuthority {
                vault: self.vault,
                successor,
            },
            ixs::AcceptAuthority { role },
        )
    }

    /// `create_market` at `index`; `symbol` is at most 16 bytes of ASCII.
    pub fn create_market_ix(
        &self,
        index: u16,
        symbol: &str,
        oracle: OracleConfig,
        oracle_account: Pubkey,
        risk: MarketRiskParams,
    ) -> Instruction {
        let market = self.market_keys(index, oracle_account);
        let mut sym = [0u8; 16];
        let len = symbol.len().min(sym.len());
        sym[..len].copy_from_slice(&symbol.as_bytes()[..len]);
        program_ix(
            accs::CreateMarket {
                vault: self.vault,
                admin: self.admin,
                market: market.market,
                book: market.book,
                surface: market.surface,
                hedge_book: market.hedge_book,
                oracle: oracle_account,
                system_program: system_program::ID,
            },
            ixs::CreateMarket {
                symbol: sym,
                oracle,
                risk,
            },
        )
    }
}
