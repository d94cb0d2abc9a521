//! The vault's on-chain state, loaded over RPC and decoded with the program's own types.
use anchor_lang::prelude::Pubkey;
use anchor_lang::{AccountDeserialize, Discriminator};
use exposure_vault::state::{MarginAccount, Market, Vault};
use exposure_vault_client::decode::{self, DecodeError};
pub use exposure_vault_client::model::{decode_price_update, MarketView, OraclePrice, VaultView};
use exposure_vault_client::{MarketKeys, VaultKeys};
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};

use super::{Chain, ChainError};

fn decode_err(address: &Pubkey, e: DecodeError) -> ChainError {
    ChainError::Decode {
        address: address.to_string(),
        reason: e.to_string(),
    }
}

/// The `getProgramAccounts` / `programSubscribe` filter for the margin accounts of `market`:
/// the account size, its discriminator and the `market` field, whose offset comes from the
/// program's type.
pub fn margin_accounts_config(vault: &Pubkey) -> RpcProgramAccountsConfig {
    let vault_offset = 8 + std::mem::offset_of!(MarginAccount, vault);
    RpcProgramAccountsConfig {
        filters: Some(vec![
            RpcFilterType::DataSize((8 + std::mem::size_of::<MarginAccount>()) as u64),
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(0, MarginAccount::DISCRIMINATOR)),
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(vault_offset, vault.as_ref())),
        ]),
        account_config: RpcAccountInfoConfig {
            encoding: Some(UiAccountEncoding::Base64),
            commitment: Some(solana_commitment_config::CommitmentConfig::confirmed()),
            ..RpcAccountInfoConfig::default()
        },
        ..RpcProgramAccountsConfig::default()
    }
}

pub fn decode_margin(address: &Pubkey, data: &[u8]) -> Result<MarginAccount, ChainError> {
    decode::zero_copy(data).map_err(|e| decode_err(address, e))
}

impl Chain {
    async fn existing_account_data(&self, address: &Pubkey) -> Result<Vec<u8>, ChainError> {
        self.account_data(address)
            .await?
            .ok_or_else(|| ChainError::AccountNotFound(address.to_string()))
    }

    pub async fn anchor_account<T: AccountDeserialize + Discriminator>(
        &self,
        address: &Pubkey,
    ) -> Result<T, ChainError> {
        let data = self.existing_account_data(address).await?;
        decode::anchor_account(&data).map_err(|e| decode_err(address, e))
    }

    pub async fn zero_copy_account<T: bytemuck::Pod + Discriminator>(
        &self,
        address: &Pubkey,
    ) -> Result<T, ChainError> {
        let data = self.existing_account_data(address).await?;
        decode::zero_copy(&data).map_err(|e| decode_err(address, e))
    }

    /// Reads the vault, all its markets (book, surface, hedge book and oracle in one
    /// `getMultipleAccounts` per market) and the clock. Pull-oracle markets read prices from whichever
    /// `PriceUpdateV2` account the caller passes, so `pull_oracles[index]` names it; legacy
    /// markets use their configured price account.
    pub async fn load_vault(
        &self,
        vault: &Pubkey,
        pull_oracles: &[Pubkey],
    ) -> Result<VaultView, ChainError> {
        let state: Vault = self.anchor_account(vault).await?;
        let keys = VaultKeys::from_state(*vault, &state);
        let mut markets = Vec::with_capacity(state.market_count as usize);
        for index in 0..state.market_count {
            let address = keys.market_address(index);
            let market: Market = self.anchor_account(&address).await?;
            let oracle_account = match market.oracle.kind {
                exposure_vault::state::OracleKind::PythLegacy => market.oracle.price_account,
                _ => pull_oracles
                    .get(index as usize)
                    .copied()
                    .unwrap_or_default(),
            };
            let market_keys = MarketKeys::derive(*vault, address, index, oracle_account);
            let [book, surface, hedge_book, oracle] = self
                .rpc
                .get_multiple_accounts(&[
                    market.book,
                    market.surface,
                    market.hedge_book,
                    market_keys.oracle,
                ])
                .await?
                .try_into()
                .map_err(|_| {
                    ChainError::Rpc("getMultipleAccounts returned the wrong count".into())
                })?;
            let book = book.ok_or_else(|| ChainError::AccountNotFound(market.book.to_string()))?;
            let surface =
                surface.ok_or_else(|| ChainError::AccountNotFound(market.surface.to_string()))?;
            let hedge_book = hedge_book
                .ok_or_else(|| ChainError::AccountNotFound(market.hedge_book.to_string()))?;
            markets.push(MarketView {
                keys: market_keys,
                book: decode::zero_copy(&book.data).map_err(|e| decode_err(&market.book, e))?,
                surface: decode::zero_copy(&surface.data)
                    .map_err(|e| decode_err(&market.surface, e))?,
                hedge_book: decode::zero_copy(&hedge_book.data)
                    .map_err(|e| decode_err(&market.hedge_book, e))?,
                oracle: oracle.and_then(|a| decode_price_update(&a.data)),
                state: market,
            });
        }
        Ok(VaultView {
            keys,
            state,
            markets,
            clock: self.clock().await?,
        })
    }

    /// Every margin account of `vault` (`getProgramAccounts` filtered on the account
    /// discriminator and the `vault` field, whose offset comes from the program's type). One
    /// account per owner holds positions in any of the vault's markets.
    pub async fn margin_accounts(
        &self,
        vault: &Pubkey,
    ) -> Result<Vec<(Pubkey, MarginAccount)>, ChainError> {
        let accounts = self
            .rpc
            .get_program_ui_accounts_with_config(&exposure_vault::ID, margin_accounts_config(vault))
            .await?;
        accounts
            .into_iter()
            .map(|(address, account)| {
                let data = account.data.decode().ok_or_else(|| ChainError::Decode {
                    address: address.to_string(),
                    reason: "not base64".into(),
                })?;
                Ok((address, decode_margin(&address, &data)?))
            })
            .collect()
    }
}
