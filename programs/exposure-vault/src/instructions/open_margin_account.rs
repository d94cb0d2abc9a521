use anchor_lang::prelude::*;

use crate::events::MarginAccountOpened;
use crate::state::*;

#[derive(Accounts)]
pub struct OpenMarginAccount<'info> {
    /// The vault the account belongs to.
    pub vault: Account<'info, Vault>,

    /// The new account's owner: signs and pays its rent.
    #[account(mut)]
    pub owner: Signer<'info>,

    /// The new margin account (PDA of the vault and the owner).
    #[account(
        init,
        payer = owner,
        space = 8 + core::mem::size_of::<MarginAccount>(),
        seeds = [MARGIN_SEED, vault.key().as_ref(), owner.key().as_ref()],
        bump,
    )]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handle_open_margin_account(ctx: Context<OpenMarginAccount>) -> Result<()> {
    let mut account = ctx.accounts.margin_account.load_init()?;
    account.owner = ctx.accounts.owner.key();
    account.vault = ctx.accounts.vault.key();

    account.bump = ctx.bumps.margin_account;
    emit!(MarginAccountOpened {
        vault: account.vault,
        owner: account.owner,
        margin_account: ctx.accounts.margin_account.key(),
    });
    Ok(())
}
