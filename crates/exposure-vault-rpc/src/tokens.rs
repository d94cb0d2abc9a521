//! SPL Token plumbing for clients: mints, associated token accounts, balances.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::associated_token::{
    get_associated_token_address,
    spl_associated_token_account::instruction::create_associated_token_account_idempotent,
};
use anchor_spl::token::spl_token;
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::{Chain, ChainError};

/// The wallet's associated token account for `mint`.
pub fn ata(wallet: &Pubkey, mint: &Pubkey) -> Pubkey {
    get_associated_token_address(wallet, mint)
}

/// Creates the ATA of `wallet` for `mint` if missing (paid by `payer`).
pub fn create_ata_ix(payer: &Pubkey, wallet: &Pubkey, mint: &Pubkey) -> Instruction {
    create_associated_token_account_idempotent(payer, wallet, mint, &spl_token::ID)
}

impl Chain {
    /// Creates a new mint with `decimals`, owned by `authority`; returns its address.
    pub async fn create_mint(
        &self,
        authority: &Pubkey,
        decimals: u8,
    ) -> Result<Pubkey, ChainError> {
        let mint = Keypair::new();
        let rent = self
            .rpc
            .get_minimum_balance_for_rent_exemption(exposure_vault_client::token::MINT_LEN)
            .await?;
        let ixs = exposure_vault_client::token::create_mint_ixs(
            &self.payer.pubkey(),
            &mint.pubkey(),
            authority,
            decimals,
            rent,
        );
        self.send(&ixs, &[&mint], None).await?;
        Ok(mint.pubkey())
    }

    /// Mints `amount` to `wallet`'s ATA, creating it if needed.
    pub async fn mint_to_wallet(
        &self,
        mint: &Pubkey,
        authority: &Keypair,
        wallet: &Pubkey,
        amount: u64,
    ) -> Result<Pubkey, ChainError> {
        let account = ata(wallet, mint);
        let ixs = [
            create_ata_ix(&self.payer.pubkey(), wallet, mint),
            spl_token::instruction::mint_to(
                &spl_token::ID,
                mint,
                &account,
                &authority.pubkey(),
                &[],
                amount,
            )
            .map_err(|e| ChainError::Rpc(e.to_string()))?,
        ];
        self.send(&ixs, &[authority], None).await?;
        Ok(account)
    }

    /// A token account's balance, 0 if it does not exist.
    pub async fn token_balance(&self, account: &Pubkey) -> Result<u64, ChainError> {
        match self.account_data(account).await? {
            Some(data) => spl_token::state::Account::unpack(&data)
                .map(|a| a.amount)
                .map_err(|e| ChainError::Decode {
                    address: account.to_string(),
                    reason: e.to_string(),
                }),
            None => Ok(0),
        }
    }
}
