//! The vault's on-chain state, loaded over RPC and decoded with the program's own types.
use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::{AccountDeserialize, Discriminator};
use exposure_vault::state::{HedgeBook, MarginAccount, Market, SeriesBook, Vault, VolSurface};
use exposure_vault_client::decode::{self, DecodeError};
use exposure_vault_client::{MarketKeys, VaultKeys};
use pyth_solana_receiver_sdk::price_update::PriceUpdateV2;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};

use super::{Chain, ChainError};

/// A Pyth price read from a market's oracle account: dollars for the pricing engine, and the
/// program's fixed-point form (`math::price::normalize`) for exact margin arithmetic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OraclePrice {
    pub price: f64,
    pub conf: f64,
    pub publish_time: i64,
    pub program: Option<exposure_vault::oracle::OraclePrice>,
}

#[derive(Clone)]
pub struct MarketView {
    pub keys: MarketKeys,
    pub state: Market,
    pub book: SeriesBook,
    pub surface: VolSurface,
    /// Standing hedge quotes and the rebalance sequence number.
    pub hedge_book: HedgeBook,
    /// The oracle's current price (pull oracles), None if unreadable.
    pub oracle: Option<OraclePrice>,
}

impl MarketView {
    pub fn symbol(&self) -> String {
        let end = self.state.symbol.iter().position(|b| *b == 0).unwrap_or(16);
        String::from_utf8_lossy(&self.state.symbol[..end]).into_owned()
    }
}

/// One consistent read of a vault: state, every market with its book and surface, and the clock.
#[derive(Clone)]
pub struct VaultView {
    pub keys: VaultKeys,
    pub state: Vault,
    pub markets: Vec<MarketView>,
    pub clock: Clock,
}

fn decode_err(address: &Pubkey, e: DecodeError) -> ChainError {
    ChainError::Decode {
        address: address.to_string(),
        reason: e.to_string(),
    }
}

/// Decodes a `PriceUpdateV2` account into dollars.
pub fn decode_price_update(data: &[u8]) -> Option<OraclePrice> {
    let mut slice = data;
    let update = PriceUpdateV2::try_deserialize(&mut slice).ok()?;
    let m = update.price_message;
    let scale = 10f64.powi(m.exponent);
    let program = exposure_vault::math::price::normalize(m.price, m.conf, m.exponent)
        .ok()
        .map(|(price, conf)| exposure_vault::oracle::OraclePrice {
            price,
            conf,
            publish_time: m.publish_time,
        });
    Some(OraclePrice {
        price: m.price as f64 * scale,
        conf: m.conf as f64 * scale,
        publish_time: m.publish_time,
        program,
    })
}

/// The `getProgramAccounts` / `programSubscribe` filter for the margin accounts of `market`:
/// the account size, its discriminator and the `market` field, whose offset comes from the
/// program's type.
pub fn margin_accounts_config(market: &Pubkey) -> RpcProgramAccountsConfig {
    let market_offset = 8 + std::mem::offset_of!(MarginAccount, market);
    RpcProgramAccountsConfig {
        filters: Some(vec![
            RpcFilterType::DataSize((8 + std::mem::size_of::<MarginAccount>()) as u64),
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(0, MarginAccount::DISCRIMINATOR)),
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(market_offset, market.as_ref())),
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
            let market_keys = MarketKeys::derive(address, index, oracle_account);
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

    /// Every margin account of `market` (`getProgramAccounts` filtered on the account
    /// discriminator and the `market` field, whose offset comes from the program's type).
    pub async fn margin_accounts(
        &self,
        market: &Pubkey,
    ) -> Result<Vec<(Pubkey, MarginAccount)>, ChainError> {
        let accounts = self
            .rpc
            .get_program_ui_accounts_with_config(
                &exposure_vault::ID,
                margin_accounts_config(market),
            )
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
