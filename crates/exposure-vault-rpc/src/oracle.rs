//! LOCALNET ONLY: a Pyth `PriceUpdateV2` posted into a fresh account through the localnet
//! publisher loaded at the receiver's address (`programs/localnet-oracle`).
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use exposure_vault_client::pyth::{self, PythQuote};

use crate::{Chain, ChainError};

impl Chain {
    /// The two instructions that create `account` (rent-exempt, owned by the receiver address,
    /// paid by the chain's payer) and publish `quote` into it under `authority`. Both `account`
    /// and `authority` sign.
    pub async fn localnet_post_update_ixs(
        &self,
        account: &Pubkey,
        authority: &Pubkey,
        feed: [u8; 32],
        quote: PythQuote,
        posted_slot: u64,
    ) -> Result<[Instruction; 2], ChainError> {
        let rent = self
            .rpc
            .get_minimum_balance_for_rent_exemption(pyth::PRICE_UPDATE_LEN)
            .await?;
        Ok([
            crate::system_create_account(
                &solana_signer::Signer::pubkey(&self.payer),
                account,
                rent,
                pyth::PRICE_UPDATE_LEN as u64,
                &pyth::RECEIVER_PROGRAM_ID,
            ),
            pyth::localnet_publish_ix(*account, *authority, feed, quote, posted_slot),
        ])
    }
}
