use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::error::VaultError;
use crate::events::VaultInitialized;
use crate::math::precision::{MAX_COLLATERAL_DECIMALS, SHARE_DECIMALS_OFFSET};
use crate::state::*;

#[derive(Accounts)]
pub struct InitializeVault<'info> {
    /// The vault's creator and first admin: signs and pays every account's rent; seeds the vault's
    /// address.
    #[account(mut)]
    pub admin: Signer<'info>,

    /// The collateral (USDC-like) mint; seeds the vault's address.
    #[account(
        constraint = collateral_mint.decimals <= MAX_COLLATERAL_DECIMALS
            @ VaultError::UnsupportedMintDecimals
    )]
    pub collateral_mint: Account<'info, Mint>,

    /// The new vault (PDA of admin and collateral mint).
    #[account(
        init,
        payer = admin,
        space = 8 + Vault::INIT_SPACE,
        seeds = [VAULT_SEED, admin.key().as_ref(), collateral_mint.key().as_ref()],
        bump,
    )]
    pub vault: Account<'info, Vault>,

    /// The new LP share mint, its authority the vault.
    #[account(
        init,
        payer = admin,
        seeds = [SHARE_MINT_SEED, vault.key().as_ref()],
        bump,
        mint::decimals = collateral_mint.decimals.saturating_add(SHARE_DECIMALS_OFFSET),
        mint::authority = vault,
    )]
    pub share_mint: Account<'info, Mint>,

    /// The vault's new collateral token account.
    #[account(
        init,
        payer = admin,
        seeds = [VAULT_TOKEN_SEED, vault.key().as_ref()],
        bump,
        token::mint = collateral_mint,
        token::authority = vault,
    )]
    pub vault_token: Account<'info, TokenAccount>,

    /// The insurance fund's new collateral token account.
    #[account(
        init,
        payer = admin,
        seeds = [INSURANCE_TOKEN_SEED, vault.key().as_ref()],
        bump,
        token::mint = collateral_mint,
        token::authority = vault,
    )]
    pub insurance_token: Account<'info, TokenAccount>,

    /// The vault's new mark registry.
    #[account(
        init,
        payer = admin,
        space = 8 + core::mem::size_of::<MarkRegistry>(),
        seeds = [MARK_REGISTRY_SEED, vault.key().as_ref()],
        bump,
    )]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// SPL Token.
    pub token_program: Program<'info, Token>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

impl InitializeVault<'_> {
    pub fn validate(&self, params: &VaultParams) -> Result<()> {
        params.validate()
    }
}

pub fn handle_initialize_vault(
    ctx: Context<InitializeVault>,
    keeper: Pubkey,
    params: VaultParams,
) -> Result<()> {
    ctx.accounts.validate(&params)?;
    let accounts = &mut *ctx.accounts;
    let vault = &mut accounts.vault;
    vault.set_inner(Vault {
        creator: accounts.admin.key(),
        admin: accounts.admin.key(),
        keeper,
        collateral_mint: accounts.collateral_mint.key(),
        share_mint: accounts.share_mint.key(),
        vault_token: accounts.vault_token.key(),
        insurance_token: accounts.insurance_token.key(),
        collateral_decimals: accounts.collateral_mint.decimals,
        bump: ctx.bumps.vault,
        share_mint_bump: ctx.bumps.share_mint,
        vault_token_bump: ctx.bumps.vault_token,
        insurance_token_bump: ctx.bumps.insurance_token,
        pause_flags: 0,
        market_count: 0,
        lp_assets: 0,
        total_shares: 0,
        locked_liability: 0,
        trader_collateral: 0,
        insurance_balance: 0,
        params,
        options_value: 0,
        marks_valid_until: i64::MAX,
        marks_priced_slot: u64::MAX,
        next_expiry_ts: i64::MAX,
        lp_nav_band: 0,
        unpaid_claims: 0,
        pending_admin: Pubkey::default(),
        pending_keeper: Pubkey::default(),
    });
    let mut registry = accounts.mark_registry.load_init()?;
    registry.vault = vault.key();
    registry.claims.index = ClaimsPool::INDEX_ONE;
    for market in registry.markets.iter_mut() {
        market.valid_until = i64::MAX;
        market.next_expiry_ts = i64::MAX;
        market.price_valid_until = i64::MAX;
    }
    emit!(VaultInitialized {
        vault: vault.key(),
        admin: vault.admin,
        collateral_mint: vault.collateral_mint,
        share_mint: vault.share_mint,
        params,
    });
    Ok(())
}
