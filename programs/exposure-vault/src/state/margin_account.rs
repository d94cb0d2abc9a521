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

/// One option position: a series slot of the account's market and a signed size.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// SIZE_PRECISION; long > 0, short < 0, 0 = empty slot.
    pub size: i64,
    pub series_index: u8,
    pub _padding: [u8; 7],
}

/// A trader's isolated margin account on one market: collateral (held in the vault's token
/// account, tracked here), up to MAX_POSITIONS option positions and, for a hedge provider, its
/// side of the market's perpetual.
#[account(zero_copy)]
pub struct MarginAccount {
    pub owner: Pubkey,
    pub vault: Pubkey,
    pub market: Pubkey,
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
    pub _padding: [u8; 4],
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
    /// The account is `owner`'s, on `market`: the two checks every owner-signed instruction
    /// makes before touching it.
    pub fn require_owned_on(&self, owner: &Pubkey, market: &Pubkey) -> Result<()> {
        require_keys_eq!(self.owner, *owner, VaultError::WrongMarginAccountOwner);
        require_keys_eq!(self.market, *market, VaultError::WrongMarket);
        Ok(())
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

    pub fn position_size(&self, series_index: u8) -> i64 {
        self.open_positions()
            .find(|p| p.series_index == series_index)
            .map_or(0, |p| p.size)
    }

    /// Sets the size held in `series_index`, taking or freeing a slot; false when full.
    pub fn set_position(&mut self, series_index: u8, size: i64) -> bool {
        if let Some(slot) = self
            .positions
            .iter_mut()
            .find(|p| p.size != 0 && p.series_index == series_index)
        {
            slot.size = size;
            if size == 0 {
                slot.series_index = 0;
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
                self.position_count = self.position_count.saturating_add(1);
                true
            }
            None => false,
        }
    }
}
