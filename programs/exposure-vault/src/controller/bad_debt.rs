use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use super::token::vault_signed_transfer;
use crate::error::{OrOverflow, VaultError};
use crate::events::BadDebt;
use crate::state::Vault;

/// What covered a shortfall.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShortfallCover {
    pub insurance_paid: u64,
    pub socialised: u64,
}

/// Bad debt: `shortfall` collateral units owed to the vault that the account cannot pay. The
/// insurance fund pays what it holds (tokens move into the vault's token account and become LP
/// assets); the rest is socialised: LP assets simply do not receive it, so NAV falls by exactly
/// that much. Never silent: `BadDebt` is emitted whenever there is a shortfall.
#[allow(clippy::too_many_arguments)]
pub fn cover_shortfall<'info>(
    vault: &mut Account<'info, Vault>,
    token_program: &Program<'info, Token>,
    insurance_token: &Account<'info, TokenAccount>,
    vault_token: &Account<'info, TokenAccount>,
    mint: &Account<'info, Mint>,
    margin_account: Pubkey,
    shortfall: u64,
) -> Result<ShortfallCover> {
    if shortfall == 0 {
        return Ok(ShortfallCover::default());
    }
    let insurance_paid = shortfall.min(vault.insurance_balance);
    vault_signed_transfer(
        token_program,
        vault,
        insurance_token,
        mint,
        vault_token,
        insurance_paid,
    )?;
    vault.insurance_balance = vault
        .insurance_balance
        .checked_sub(insurance_paid)
        .ok_or(VaultError::AccountingMismatch)?;
    vault.lp_assets = vault.lp_assets.checked_add(insurance_paid).or_overflow()?;
    let cover = ShortfallCover {
        insurance_paid,
        socialised: shortfall - insurance_paid,
    };
    emit!(BadDebt {
        vault: vault.key(),
        margin_account,
        shortfall,
        insurance_paid,
        socialised: cover.socialised,
    });
    Ok(cover)
}
