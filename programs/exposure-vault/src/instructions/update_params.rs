use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::ParamsUpdated;
use crate::state::*;

#[derive(Accounts)]
pub struct UpdateParams<'info> {
    /// The vault whose parameters tighten.
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

impl UpdateParams<'_> {
    /// In bounds, and nothing that loosens risk: that goes through `propose_params`.
    pub fn validate(&self, params: &VaultParams) -> Result<()> {
        params.validate()?;
        require!(
            self.vault.params.only_tightens(params),
            VaultError::ParamsChangeNeedsDelay
        );
        Ok(())
    }
}

pub fn handle_update_params(ctx: Context<UpdateParams>, params: VaultParams) -> Result<()> {
    ctx.accounts.validate(&params)?;
    let vault = &mut ctx.accounts.vault;
    let old = vault.params;
    vault.params = params;
    emit!(ParamsUpdated {
        vault: vault.key(),
        old,
        new: params,
    });
    Ok(())
}
