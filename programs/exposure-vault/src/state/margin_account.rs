use anchor_lang::prelude::*;

use crate::error::VaultError;

use super::PerpState;

/// How a margin account's requirement is computed.
pub mod margin_mode {
    /// Deribit's standard rule, per position (`math::margin::StandardMargin`).
    pub const STANDARD: u8 = 0;
    /// The worst loss of the whole book over the market's scenario grid (`math::portfolio`).
    pub const PORTFOLIO: u8 = 1;
}

/// One option position: a series slot of one of the vault's markets and a signed size.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// SIZE_PRECISION; long > 0, short < 0, 0 = empty slot.
    pub size: i64,
    pub series_index: u8,
    pub _padding0: u8,
    /// `Market::index` of the series' market.
    pub market_index: u16,
    pub _padding: [u8; 4],
}

impl Position {
    pub fn is_in(&self, market_index: u16) -> bool {
        self.size != 0 && self.market_index == market_index
    }
}

/// A trader's margin account on the vault (one per owner): one collateral balance (held in the
/// vault's token account, tracked here) behind up to MAX_POSITIONS option positions in any of
/// the vault's markets and, for a hedge provider, its side of one market's perpetual.
#[account(zero_copy)]
pub struct MarginAccount {
    pub owner: Pubkey,
    pub vault: Pubkey,
    /// The market whose hedge book the account is registered on as a provider, and where its
    /// perpetual lives (default while it is not a provider).
    pub hedge_market: Pubkey,
    /// Collateral in the collateral mint's base units.
    pub collateral: u64,
    pub positions: [Position; MarginAccount::MAX_POSITIONS],
    pub position_count: u8,
    pub bump: u8,
    /// 1 once registered as a hedge provider on the market's `HedgeBook`.
    pub hedge_provider: u8,
    /// `margin_mode::STANDARD` (per position, the default) or `margin_mode::PORTFOLIO`
    /// (`set_margin_mode`).
    pub margin_mode: u8,
    /// `Market::index` of `hedge_market`.
    pub hedge_market_index: u16,
    pub _padding: [u8; 2],
    /// The provider's side of the hedge leg (always flat for other accounts).
    pub hedge: PerpState,
    /// Settlement of longs the vault could not pay in full yet (collateral units): a claim on
    /// the vault, paid by `settle_position` as soon as the vault has the cash. Never dropped.
    pub unpaid_settlement: u64,
    /// The vault's `claims_index` and `claims_epoch` when `unpaid_settlement` was last brought
    /// up to date (`controller::settlement::collect`).
    pub claim_index_at: u64,
    pub claim_epoch: u32,
    pub _claim_padding: [u8; 4],
}

impl MarginAccount {
    /// The account is `owner`'s, on `market`'s vault, and, once a provider, registered on
    /// `market`: the checks every owner-signed hedge-provider instruction makes first.
    pub fn require_provider_on(
        &self,
        owner: &Pubkey,
        market: &Pubkey,
        vault: &Pubkey,
    ) -> Result<()> {
        require_keys_eq!(self.owner, *owner, VaultError::WrongMarginAccountOwner);
        require_keys_eq!(self.vault, *vault, VaultError::WrongMarginAccountVault);
        if self.hedge_provider == 1 {
            require_keys_eq!(self.hedge_market, *market, VaultError::WrongMarket);
        }
        Ok(())
    }

    /// Positions in the market of index `market_index`.
    pub fn positions_in(&self, market_index: u16) -> impl Iterator<Item = &Position> {
        self.positions.iter().filter(move |p| p.is_in(market_index))
    }

    pub fn is_portfolio(&self) -> bool {
        self.margin_mode == margin_mode::PORTFOLIO
    }

    /// Positions per account. Margin, exposure and liquidation walk them all, so the bound keeps
    /// every instruction inside its compute budget.
    pub const MAX_POSITIONS: usize = 16;

    pub fn open_positions(&self) -> impl Iterator<Item = &Position> {
        self.positions.iter().filter(|p| p.size != 0)
    }

    pub fn position_size(&self, market_index: u16, series_index: u8) -> i64 {
        self.positions_in(market_index)
            .find(|p| p.series_index == series_index)
            .map_or(0, |p| p.size)
    }

    /// Sets the size held in a market's series, taking or freeing a slot; false when full.
    pub fn set_position(&mut self, market_index: u16, series_index: u8, size: i64) -> bool {
        if let Some(slot) = self
            .positions
            .iter_mut()
            .find(|p| p.is_in(market_index) && p.series_index == series_index)
        {
            slot.size = size;
            if size == 0 {
                slot.series_index = 0;
                slot.market_index = 0;
                self.position_count = self.position_count.saturating_sub(1);
            }
            return true;
        }
        if size == 0 {
            return true;
        }
        match self.positions.iter_mut().find(|p| p.size == 0) {
            Some(slot) => {
                slot.size = size;
                slot.series_index = series_index;
                slot.market_index = market_index;
                self.position_count = self.position_count.saturating_add(1);
                true
            }
            None => false,
        }
    }
}
