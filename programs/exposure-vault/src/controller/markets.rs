//! The other markets a cross-market account's health reads, passed as remaining accounts:
//! `[market, book, oracle]` per market. Each is checked (the program's, this vault's market, its
//! own book, an oracle price the market accepts) before any number is read from it.
use core::cell::Ref;

use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

use super::MarketContext;
use crate::error::VaultError;
use crate::math::margin::Health;
use crate::oracle::{self, OraclePrice};
use crate::state::{MarginAccount, Market, SeriesBook, Vault};

/// One other market: its parameters, its book (borrowed from the account's data) and its price.
pub struct OtherMarket<'a> {
    pub key: Pubkey,
    pub market: Market,
    pub book: Ref<'a, SeriesBook>,
    pub price: OraclePrice,
}

/// Loads and checks `[market, book, oracle]` triples for `vault`, none of them `this_market`,
/// none twice.
pub fn load_other_markets<'a>(
    remaining: &'a [AccountInfo<'_>],
    vault: &Pubkey,
    this_market: &Pubkey,
    clock: &Clock,
) -> Result<Vec<OtherMarket<'a>>> {
    require!(
        remaining.len().is_multiple_of(3),
        VaultError::MarketAccountsMissing
    );
    let mut out: Vec<OtherMarket<'a>> = Vec::with_capacity(remaining.len() / 3);
    for triple in remaining.chunks(3) {
        let (market_info, book_info, oracle_info) = (&triple[0], &triple[1], &triple[2]);
        require_keys_eq!(*market_info.owner, crate::ID, VaultError::WrongMarket);
        let key = market_info.key();
        require!(
            key != *this_market && out.iter().all(|o| o.key != key),
            VaultError::DuplicateMarketAccounts
        );
        let market = {
            let data = market_info.try_borrow_data()?;
            Market::try_deserialize(&mut &data[..])?
        };
        require_keys_eq!(market.vault, *vault, VaultError::WrongVault);
        require_keys_eq!(book_info.key(), market.book, VaultError::WrongMarket);
        require_keys_eq!(*book_info.owner, crate::ID, VaultError::WrongMarket);
        let size = core::mem::size_of::<SeriesBook>();
        let data = book_info.try_borrow_data()?;
        require!(
            data.len() >= 8 + size && data[..8] == *SeriesBook::DISCRIMINATOR,
            VaultError::WrongMarket
        );
        let book = Ref::map(data, |d| {
            bytemuck::from_bytes::<SeriesBook>(&d[8..8 + size])
        });
        let price = oracle::read_accepted_price(&market, oracle_info, clock)?;
        out.push(OtherMarket {
            key,
            market,
            book,
            price,
        });
    }
    Ok(out)
}

/// A loaded market without its book: what a pass that writes the books keeps in hand.
pub struct OtherMarketParams {
    pub key: Pubkey,
    pub market: Market,
    pub price: OraclePrice,
}

impl<'a> OtherMarket<'a> {
    /// Releases the book's borrow, keeping the checked market and price.
    pub fn release(self) -> OtherMarketParams {
        OtherMarketParams {
            key: self.key,
            market: self.market,
            price: self.price,
        }
    }
}

/// The other markets' books again, after a pass that wrote them: `params` in the order of
/// `remaining`, whose triples `load_other_markets` checked.
pub fn reborrow_other_markets<'a>(
    remaining: &'a [AccountInfo<'_>],
    params: Vec<OtherMarketParams>,
) -> Result<Vec<OtherMarket<'a>>> {
    params
        .into_iter()
        .zip(remaining.chunks(3))
        .map(|(p, triple)| {
            let size = core::mem::size_of::<SeriesBook>();
            let book = Ref::map(triple[1].try_borrow_data()?, |d| {
                bytemuck::from_bytes::<SeriesBook>(&d[8..8 + size])
            });
            Ok(OtherMarket {
                key: p.key,
                market: p.market,
                book,
                price: p.price,
            })
        })
        .collect()
}

/// The health contexts of loaded markets.
pub fn contexts<'b>(others: &'b [OtherMarket<'_>]) -> Vec<MarketContext<'b>> {
    others
        .iter()
        .map(|o| MarketContext {
            market: &o.market,
            book: &o.book,
            price: o.price,
        })
        .collect()
}

/// Health of `account` across `this` market (of address `this_key`) and the other markets in
/// `remaining`: what an owner's instruction checks before letting collateral or risk move.
#[allow(clippy::too_many_arguments)]
pub fn account_health_with_remaining(
    account: &MarginAccount,
    this: &MarketContext,
    this_key: &Pubkey,
    remaining: &[AccountInfo<'_>],
    vault: &Vault,
    vault_key: &Pubkey,
    clock: &Clock,
) -> Result<Health> {
    let others = load_other_markets(remaining, vault_key, this_key, clock)?;
    super::account_health_across(
        account,
        account.hedge.get(),
        this,
        &contexts(&others),
        vault.params.conf_multiplier_bps,
        vault.collateral_decimals,
        clock.unix_timestamp,
    )
}
