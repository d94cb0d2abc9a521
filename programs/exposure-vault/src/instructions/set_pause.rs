use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::PauseFlagsSet;
use crate::state::*;

#[derive(Accounts)]
pub struct SetPause<'info> {
    /// The vault whose pause flags change.
    #[account(
        mut,
        seeds = [VAULT_SEED, vault.creator.as_ref(), vault.collateral_mint.as_ref()],
        bump = vault.bump,
        has_one = admin @ VaultError::UnauthorizedAdmin,
    )]
    pub vault: Account<'info, Vault>,
    /// The vault's admin: signs.
    pub admin: Signer<'info>,
}

impl SetPause<'_> {
    pub fn validate(&self, pause_flags: u8) -> Result<()> {
        require!(
            pause_flags & !pause::ALL == 0,
            VaultError::InvalidPauseFlags
        );
        Ok(())
    }
}

pub fn handle_set_pause(ctx: Context<SetPause>, pause_flags: u8) -> Result<()> {
    ctx.accounts.validate(pause_flags)?;
    let vault = &mut ctx.accounts.vault;
    let old_flags = vault.pause_flags;
    vault.pause_flags = pause_flags;
    emit!(PauseFlagsSet {
        vault: vault.key(),
        old_flags,
        new_flags: pause_flags,
    });
    Ok(())
}
