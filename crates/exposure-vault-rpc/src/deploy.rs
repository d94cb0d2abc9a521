//! Loader-v3 (upgradeable) program deployment over JSON-RPC, as `solana program deploy` does it:
//! a buffer account is created and filled by parallel `Write` transactions, then
//! `DeployWithMaxDataLen` (first deploy) or `Upgrade` (later ones) moves it into place.
//! Re-running with the same `.so` is a no-op.
use anchor_lang::prelude::Pubkey;
use futures::stream::{self, StreamExt, TryStreamExt};
use solana_keypair::Keypair;
use solana_loader_v3_interface::{
    get_program_data_address, instruction as loader, state::UpgradeableLoaderState,
};
use solana_signer::Signer;

use super::{Chain, ChainError};

/// Program bytes per `Write` transaction: 1,232-byte packet minus one signature, three account
/// keys, a blockhash, the instruction header and a possible priority-fee instruction.
const WRITE_CHUNK: usize = 900;
/// `Write` transactions in flight at once.
const WRITE_CONCURRENCY: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeployOutcome {
    Deployed,
    Upgraded,
    AlreadyCurrent,
}

impl Chain {
    /// Deploys `program` (its keypair fixes the address) with `upgrade_authority`, or upgrades
    /// it if it exists with different bytes.
    pub async fn deploy_program(
        &self,
        program: &Keypair,
        upgrade_authority: &Keypair,
        so: &[u8],
    ) -> Result<DeployOutcome, ChainError> {
        let program_id = program.pubkey();
        let programdata = get_program_data_address(&program_id);
        let existing = self.account_data(&programdata).await?;
        if let Some(data) = &existing {
            let meta = UpgradeableLoaderState::size_of_programdata_metadata();
            let deployed = data.get(meta..meta + so.len());
            let tail_clear = data
                .get(meta + so.len()..)
                .is_some_and(|t| t.iter().all(|b| *b == 0));
            if deployed == Some(so) && tail_clear {
                return Ok(DeployOutcome::AlreadyCurrent);
            }
            if data.len() < UpgradeableLoaderState::size_of_programdata(so.len()) {
                return Err(ChainError::Deploy(format!(
                    "program {program_id} holds {} bytes; extend it before upgrading to {}",
                    data.len() - meta,
                    so.len()
                )));
            }
        }

        let buffer = Keypair::new();
        self.write_buffer(&buffer, upgrade_authority, so).await?;
        if existing.is_some() {
            let ix = loader::upgrade(
                &program_id,
                &buffer.pubkey(),
                &upgrade_authority.pubkey(),
                &self.payer.pubkey(),
            );
            self.send(&[ix], &[upgrade_authority], None).await?;
            return Ok(DeployOutcome::Upgraded);
        }
        let lamports = self
            .rpc
            .get_minimum_balance_for_rent_exemption(UpgradeableLoaderState::size_of_program())
            .await?;
        let ixs = loader::deploy_with_max_program_len(
            &self.payer.pubkey(),
            &program_id,
            &buffer.pubkey(),
            &upgrade_authority.pubkey(),
            lamports,
            so.len(),
        )
        .map_err(|e| ChainError::Deploy(e.to_string()))?;
        self.send(&ixs, &[program, upgrade_authority], None).await?;
        Ok(DeployOutcome::Deployed)
    }

    async fn write_buffer(
        &self,
        buffer: &Keypair,
        authority: &Keypair,
        so: &[u8],
    ) -> Result<(), ChainError> {
        let lamports = self
            .rpc
            .get_minimum_balance_for_rent_exemption(UpgradeableLoaderState::size_of_buffer(
                so.len(),
            ))
            .await?;
        let create = loader::create_buffer(
            &self.payer.pubkey(),
            &buffer.pubkey(),
            &authority.pubkey(),
            lamports,
            so.len(),
        )
        .map_err(|e| ChainError::Deploy(e.to_string()))?;
        self.send(&create, &[buffer], None).await?;
        let buffer_id = buffer.pubkey();
        stream::iter(so.chunks(WRITE_CHUNK).enumerate())
            .map(|(i, chunk)| {
                let ix = loader::write(
                    &buffer_id,
                    &authority.pubkey(),
                    (i * WRITE_CHUNK) as u32,
                    chunk.to_vec(),
                );
                async move { self.send(&[ix], &[authority], None).await }
            })
            .buffer_unordered(WRITE_CONCURRENCY)
            .try_collect::<Vec<_>>()
            .await?;
        Ok(())
    }

    /// Whether `program_id` is an executable, deployed program.
    pub async fn program_is_deployed(&self, program_id: &Pubkey) -> Result<bool, ChainError> {
        let response = self
            .rpc
            .get_account_with_commitment(
                program_id,
                solana_commitment_config::CommitmentConfig::confirmed(),
            )
            .await?;
        Ok(response.value.is_some_and(|a| a.executable))
    }
}
