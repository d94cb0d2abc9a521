use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::MarginAccountClosed;
use crate::state::*;

#[derive(Accounts)]
pub struct CloseMarginAccount<'info> {
    /// The account closed: no collateral, position, hedge or unpaid claim left.
    #[account(mut, close = owner)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// Its owner: signs, and receives the rent.
    #[account(mut)]
    pub owner: Signer<'info>,
}

impl CloseMarginAccount<'_> {
    pub fn validate(&self) -> Result<()> {
        let account = self.margin_account.load()?;
        require_keys_eq!(
            account.owner,
            self.owner.key(),
            VaultError::WrongMarginAccountOwner
        );
        require!(
            account.collateral == 0
                && account.position_count == 0
                && account.unpaid_settlement == 0,
            VaultError::MarginAccountNotEmpty
        );
        // A provider's quote slot names this account: it stays registered for good.
        require!(
            account.hedge.is_flat() && account.hedge_provider == 0,
            VaultError::HedgePositionOpen
        );
        Ok(())
    }
}

pub fn handle_close_margin_account(ctx: Context<CloseMarginAccount>) -> Result<()> {
    ctx.accounts.validate()?;
    emit!(MarginAccountClosed {
        margin_account: ctx.accounts.margin_account.key(),
        owner: ctx.accounts.owner.key(),
    });
    Ok(())
}
