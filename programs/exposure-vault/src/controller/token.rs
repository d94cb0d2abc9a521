use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked};

use crate::state::Vault;

/// `transfer_checked` of collateral from a user's account into the vault's token account,
/// authorised by the user.
pub fn collateral_in<'info>(
    token_program: &Program<'info, Token>,
    from: &Account<'info, TokenAccount>,
    mint: &Account<'info, Mint>,
    vault_token: &Account<'info, TokenAccount>,
    authority: AccountInfo<'info>,
    amount: u64,
    decimals: u8,
) -> Result<()> {
    token::transfer_checked(
        CpiContext::new(
            token_program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: vault_token.to_account_info(),
                authority,
            },
        ),
        amount,
        decimals,
    )
}

/// `transfer_checked` out of a token account the vault PDA owns (the vault's or the insurance
/// fund's), signed by the vault. A zero amount moves nothing.
// Kept out of line: inlined into its four callers it changes the whole program's codegen and
// costs deposit and withdraw 68 CU each (measured), next to their 25,000 CU target.
#[inline(never)]
pub fn vault_signed_transfer<'info>(
    token_program: &Program<'info, Token>,
    vault: &Account<'info, Vault>,
    from: &Account<'info, TokenAccount>,
    mint: &Account<'info, Mint>,
    to: &Account<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    let seeds = vault.signer_seeds();
    token::transfer_checked(
        CpiContext::new_with_signer(
            token_program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority: vault.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
        vault.collateral_decimals,
    )
}
