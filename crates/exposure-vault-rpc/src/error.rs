use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};

/// Why a chain operation failed. Program failures carry the program's named error (Anchor logs
/// `Error Code: <Name>`) so an operator reads `InsufficientFreeCollateral`, not `0x1773`.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error("rpc: {0}")]
    Rpc(String),
    #[error("transaction failed{}: {error}", program_error.as_deref().map(|e| format!(" with {e}")).unwrap_or_default())]
    Transaction {
        error: String,
        /// The program's error name, when a program logged one.
        program_error: Option<String>,
        logs: Vec<String>,
    },
    #[error("transaction {signature} not confirmed after {attempts} attempts")]
    NotConfirmed { signature: String, attempts: u32 },
    #[error("account {0} not found")]
    AccountNotFound(String),
    #[error("account {address}: {reason}")]
    Decode { address: String, reason: String },
    #[error("keypair: {0}")]
    Keypair(String),
    #[error("deploy: {0}")]
    Deploy(String),
}

impl ChainError {
    pub fn transaction(error: impl std::fmt::Display, logs: Vec<String>) -> Self {
        Self::Transaction {
            error: error.to_string(),
            program_error: program_error_name(&logs),
            logs,
        }
    }

    /// The program error name, if this is a program failure.
    pub fn program_error(&self) -> Option<&str> {
        match self {
            Self::Transaction { program_error, .. } => program_error.as_deref(),
            _ => None,
        }
    }
}

/// `Error Code: Name.` from Anchor's failure log line.
pub fn program_error_name(logs: &[String]) -> Option<String> {
    logs.iter().find_map(|line| {
        let rest = line.split("Error Code: ").nth(1)?;
        Some(rest.split('.').next()?.trim().to_string())
    })
}

impl From<ClientError> for ChainError {
    fn from(e: ClientError) -> Self {
        if let ErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(sim),
            ..
        }) = e.kind()
        {
            let error = sim
                .err
                .as_ref()
                .map(|err| format!("{err:?}"))
                .unwrap_or_else(|| e.to_string());
            return Self::transaction(error, sim.logs.clone().unwrap_or_default());
        }
        if let ErrorKind::TransactionError(err) = e.kind() {
            return Self::transaction(format!("{err:?}"), vec![]);
        }
        Self::Rpc(e.to_string())
    }
}
