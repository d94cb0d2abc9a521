use anchor_lang::prelude::*;

use super::authority_role;
use crate::error::VaultError;
use crate::events::AuthorityAccepted;
use crate::state::*;

#[derive(Accounts)]
pub struct AcceptAuthority<'info> {
    /// The vault whose admin or keeper changes.
    #[account(mut)]
    pub vault: Account<'info, Vault>,
    /// The proposed key, accepting: it signs.
    pub successor: Signer<'info>,
}

impl AcceptAuthority<'_> {
    pub fn validate(&self, role: u8) -> Result<()> {
        let pending = match role {
            authority_role::ADMIN => self.vault.pending_admin,
            authority_role::KEEPER => self.vault.pending_keeper,
            _ => return err!(VaultError::InvalidAuthorityRole),
        };
        require!(
            pending != Pubkey::default() && pending == self.successor.key(),
            VaultError::NotPendingAuthority
        );
        Ok(())
    }
}

pub fn handle_accept_authority(ctx: Context<AcceptAuthority>, role: u8) -> Result<()> {
    ctx.accounts.validate(role)?;
    let new = ctx.accounts.successor.key();
    let vault = &mut ctx.accounts.vault;
    let previous = if role == authority_role::ADMIN {
        vault.pending_admin = Pubkey::default();
        std::mem::replace(&mut vault.admin, new)
    } else {
        vault.pending_keeper = Pubkey::default();
        std::mem::replace(&mut vault.keeper, new)
    };
    emit!(AuthorityAccepted {
        vault: vault.key(),
        role,
        previous,
        new,
    });
    Ok(())
}
