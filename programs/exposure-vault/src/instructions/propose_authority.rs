use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::AuthorityProposed;
use crate::state::*;

/// Which key an authority instruction is about.
pub mod authority_role {
    pub const ADMIN: u8 = 0;
    pub const KEEPER: u8 = 1;
}

#[derive(Accounts)]
pub struct ProposeAuthority<'info> {
    /// The vault whose admin or keeper is to change.
    #[account(mut, has_one = admin @ VaultError::UnauthorizedAdmin)]
    pub vault: Account<'info, Vault>,
    /// The current admin: signs.
    pub admin: Signer<'info>,
}

impl ProposeAuthority<'_> {
    pub fn validate(&self, role: u8) -> Result<()> {
        require!(
            role == authority_role::ADMIN || role == authority_role::KEEPER,
            VaultError::InvalidAuthorityRole
        );
        Ok(())
    }
}

pub fn handle_propose_authority(
    ctx: Context<ProposeAuthority>,
    role: u8,
    proposed: Pubkey,
) -> Result<()> {
    ctx.accounts.validate(role)?;
    let vault = &mut ctx.accounts.vault;
    let current = if role == authority_role::ADMIN {
        vault.pending_admin = proposed;
        vault.admin
    } else {
        vault.pending_keeper = proposed;
        vault.keeper
    };
    emit!(AuthorityProposed {
        vault: vault.key(),
        role,
        current,
        proposed,
    });
    Ok(())
}
