//! SPL Token account creation, shared by every transport (LiteSVM tests, RPC clients).
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::token::spl_token;

pub const MINT_LEN: usize = spl_token::state::Mint::LEN;
pub const ACCOUNT_LEN: usize = spl_token::state::Account::LEN;

/// Creates `mint` (a new keypair's address, funded with `rent` lamports) with `decimals`.
pub fn create_mint_ixs(
    payer: &Pubkey,
    mint: &Pubkey,
    authority: &Pubkey,
    decimals: u8,
    rent: u64,
) -> [Instruction; 2] {
    [
        system_instruction::create_account(payer, mint, rent, MINT_LEN as u64, &spl_token::ID),
        // Only fails on a wrong token program id, which is a constant here.
        spl_token::instruction::initialize_mint2(&spl_token::ID, mint, authority, None, decimals)
            .expect("initialize_mint2 with the token program id"),
    ]
}

/// Creates token `account` (a new keypair's address) of `mint` for `owner`.
pub fn create_token_account_ixs(
    payer: &Pubkey,
    account: &Pubkey,
    mint: &Pubkey,
    owner: &Pubkey,
    rent: u64,
) -> [Instruction; 2] {
    [
        system_instruction::create_account(
            payer,
            account,
            rent,
            ACCOUNT_LEN as u64,
            &spl_token::ID,
        ),
        spl_token::instruction::initialize_account3(&spl_token::ID, account, mint, owner)
            .expect("initialize_account3 with the token program id"),
    ]
}
