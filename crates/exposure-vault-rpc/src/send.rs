use std::sync::Arc;
use std::time::{Duration, Instant};

use anchor_lang::solana_program::instruction::Instruction;
use exposure_vault_client::compute_budget;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_message::Message;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcSendTransactionConfig;
use solana_signer::Signer;
use solana_transaction::Transaction;

use super::ChainError;

const CLOCK_SYSVAR: anchor_lang::prelude::Pubkey =
    anchor_lang::prelude::Pubkey::from_str_const("SysvarC1ock11111111111111111111111111111111");

/// How transactions are sent and confirmed.
#[derive(Clone, Debug)]
pub struct SendOptions {
    /// Priority fee in micro-lamports per compute unit (0: none).
    pub priority_fee_micro_lamports: u64,
    /// Fresh-blockhash attempts before giving up. Each attempt waits for its blockhash to
    /// expire before the next is signed, so at most one attempt can ever land.
    pub max_attempts: u32,
    /// Re-broadcast interval of an unconfirmed transaction within one attempt.
    pub resend_every: Duration,
    pub poll_every: Duration,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self {
            priority_fee_micro_lamports: 0,
            max_attempts: 3,
            resend_every: Duration::from_secs(2),
            poll_every: Duration::from_millis(200),
        }
    }
}

/// An RPC connection plus the fee payer that signs everything sent through it.
pub struct Chain {
    pub rpc: Arc<RpcClient>,
    pub payer: Keypair,
    pub options: SendOptions,
}

impl Chain {
    pub fn new(url: &str, payer: Keypair, options: SendOptions) -> Self {
        let rpc = RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed());
        Self {
            rpc: Arc::new(rpc),
            payer,
            options,
        }
    }

    pub fn url(&self) -> String {
        self.rpc.url()
    }

    /// The compute-budget prefix for a transaction needing `compute_units` (None: the default
    /// 200k per instruction).
    pub fn budget_ixs(&self, compute_units: Option<u32>) -> Vec<Instruction> {
        let mut ixs = Vec::with_capacity(2);
        if let Some(units) = compute_units {
            ixs.push(compute_budget::set_compute_unit_limit(units));
        }
        if self.options.priority_fee_micro_lamports > 0 {
            ixs.push(compute_budget::set_compute_unit_price(
                self.options.priority_fee_micro_lamports,
            ));
        }
        ixs
    }

    /// Signs `instructions` (after the compute-budget prefix) with the payer and `signers`.
    pub async fn sign(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        compute_units: Option<u32>,
    ) -> Result<(Transaction, u64), ChainError> {
        let mut ixs = self.budget_ixs(compute_units);
        ixs.extend_from_slice(instructions);
        let (blockhash, last_valid_height) = self
            .rpc
            .get_latest_blockhash_with_commitment(CommitmentConfig::confirmed())
            .await?;
        let message = Message::new(&ixs, Some(&self.payer.pubkey()));
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(
            signers
                .iter()
                .copied()
                .filter(|k| k.pubkey() != self.payer.pubkey()),
        );
        let mut tx = Transaction::new_unsigned(message);
        tx.try_sign(&all, blockhash)
            .map_err(|e| ChainError::Keypair(e.to_string()))?;
        Ok((tx, last_valid_height))
    }

    /// Sends and confirms. A program failure is returned at once (from preflight or from the
    /// confirmed status) with the program's error name; an unconfirmed transaction is re-sent
    /// until its blockhash expires, then re-signed with a new one, up to `max_attempts`.
    pub async fn send(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        compute_units: Option<u32>,
    ) -> Result<String, ChainError> {
        let mut last_signature = String::new();
        for _ in 0..self.options.max_attempts.max(1) {
            let (tx, last_valid_height) = self.sign(instructions, signers, compute_units).await?;
            last_signature = tx.signatures[0].to_string();
            if self.send_until_expired(&tx, last_valid_height).await? {
                return Ok(last_signature);
            }
            tracing::warn!(signature = %last_signature, "blockhash expired unconfirmed; re-signing");
        }
        Err(ChainError::NotConfirmed {
            signature: last_signature,
            attempts: self.options.max_attempts,
        })
    }

    /// Broadcasts `tx` until it is confirmed (true), fails (error), or can no longer land
    /// because the chain passed `last_valid_height` (false).
    async fn send_until_expired(
        &self,
        tx: &Transaction,
        last_valid_height: u64,
    ) -> Result<bool, ChainError> {
        let config = RpcSendTransactionConfig {
            skip_preflight: false,
            preflight_commitment: Some(CommitmentConfig::confirmed().commitment),
            max_retries: Some(0),
            ..RpcSendTransactionConfig::default()
        };
        let signature = tx.signatures[0];
        let mut last_send: Option<Instant> = None;
        loop {
            if last_send.is_none_or(|t| t.elapsed() >= self.options.resend_every) {
                match self.rpc.send_transaction_with_config(tx, config).await {
                    Ok(_) => {}
                    // "already processed" after a re-broadcast means it landed: the status says.
                    Err(e) if e.to_string().contains("already been processed") => {}
                    Err(e) => return Err(e.into()),
                }
                last_send = Some(Instant::now());
            }
            tokio::time::sleep(self.options.poll_every).await;
            let statuses = self.rpc.get_signature_statuses(&[signature]).await?.value;
            if let Some(Some(status)) = statuses.first() {
                if let Some(err) = &status.err {
                    let logs = self.transaction_logs(&signature).await;
                    return Err(ChainError::transaction(format!("{err:?}"), logs));
                }
                if status.satisfies_commitment(CommitmentConfig::confirmed()) {
                    return Ok(true);
                }
                continue;
            }
            let height = self.rpc.get_block_height().await?;
            if height > last_valid_height {
                return Ok(false);
            }
        }
    }

    /// Simulates without sending (signatures unchecked, latest blockhash) and returns the logs;
    /// a program failure is an error carrying its name, as from `send`.
    pub async fn simulate(
        &self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        compute_units: Option<u32>,
    ) -> Result<Vec<String>, ChainError> {
        use solana_rpc_client_api::config::RpcSimulateTransactionConfig;
        let (tx, _) = self.sign(instructions, signers, compute_units).await?;
        let config = RpcSimulateTransactionConfig {
            sig_verify: false,
            replace_recent_blockhash: true,
            commitment: Some(CommitmentConfig::confirmed()),
            ..RpcSimulateTransactionConfig::default()
        };
        let result = self
            .rpc
            .simulate_transaction_with_config(&tx, config)
            .await?
            .value;
        let logs = result.logs.unwrap_or_default();
        match result.err {
            Some(err) => Err(ChainError::transaction(format!("{err:?}"), logs)),
            None => Ok(logs),
        }
    }

    async fn transaction_logs(&self, signature: &solana_signature::Signature) -> Vec<String> {
        use solana_rpc_client_api::config::RpcTransactionConfig;
        let config = RpcTransactionConfig {
            encoding: None,
            commitment: Some(CommitmentConfig::confirmed()),
            max_supported_transaction_version: Some(0),
        };
        match self
            .rpc
            .get_transaction_with_config(signature, config)
            .await
        {
            Ok(tx) => tx
                .transaction
                .meta
                .and_then(|m| Option::<Vec<String>>::from(m.log_messages))
                .unwrap_or_default(),
            Err(_) => vec![],
        }
    }

    /// Raw account data, or None if the account does not exist.
    pub async fn account_data(
        &self,
        address: &anchor_lang::prelude::Pubkey,
    ) -> Result<Option<Vec<u8>>, ChainError> {
        let response = self
            .rpc
            .get_account_with_commitment(address, CommitmentConfig::confirmed())
            .await?;
        Ok(response.value.map(|a| a.data))
    }

    /// The cluster's clock (unix seconds and slot) from the Clock sysvar.
    pub async fn clock(&self) -> Result<anchor_lang::prelude::Clock, ChainError> {
        let data = self
            .account_data(&CLOCK_SYSVAR)
            .await?
            .ok_or_else(|| ChainError::AccountNotFound("Clock sysvar".into()))?;
        bincode::deserialize(&data).map_err(|e| ChainError::Decode {
            address: "Clock sysvar".into(),
            reason: e.to_string(),
        })
    }

    pub async fn airdrop(
        &self,
        to: &anchor_lang::prelude::Pubkey,
        lamports: u64,
    ) -> Result<(), ChainError> {
        let signature = self.rpc.request_airdrop(to, lamports).await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.rpc.confirm_transaction(&signature).await? {
                return Ok(());
            }
            tokio::time::sleep(self.options.poll_every).await;
        }
        Err(ChainError::NotConfirmed {
            signature: signature.to_string(),
            attempts: 1,
        })
    }
}
