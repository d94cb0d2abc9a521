//! Chain access over JSON-RPC, shared by the keeper and the localnet tooling (as Mango's
//! `lib/client` and stakenet's `sdk/`): sending transactions ([`Chain`]), loading the vault into
//! `exposure_vault_client::model` with the program's own types ([`state`]), SPL token plumbing
//! ([`tokens`]), loader-v3 program deployment ([`deploy`]) and keypair files. Nothing here
//! decides anything; the keeper's `strategy/` does.
pub mod deploy;
mod error;
mod oracle;
mod send;
pub mod state;
pub mod tokens;

pub use error::ChainError;
pub use send::{Chain, SendOptions};

pub use solana_keypair::Keypair;
pub use solana_signer::Signer;

/// Reads a Solana CLI keypair file (a JSON array of 64 bytes).
pub fn read_keypair(path: &std::path::Path) -> Result<Keypair, ChainError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ChainError::Keypair(format!("{}: {e}", path.display())))?;
    let bytes: Vec<u8> = serde_json::from_str(&text)
        .map_err(|e| ChainError::Keypair(format!("{}: {e}", path.display())))?;
    Keypair::try_from(bytes.as_slice())
        .map_err(|e| ChainError::Keypair(format!("{}: {e}", path.display())))
}

/// Writes a keypair in the Solana CLI format (mode 0600).
pub fn write_keypair(path: &std::path::Path, keypair: &Keypair) -> Result<(), ChainError> {
    use std::io::Write;
    let json = serde_json::to_string(&keypair.to_bytes().to_vec())
        .map_err(|e| ChainError::Keypair(e.to_string()))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ChainError::Keypair(e.to_string()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| ChainError::Keypair(format!("{}: {e}", path.display())))?;
    file.write_all(json.as_bytes())
        .map_err(|e| ChainError::Keypair(format!("{}: {e}", path.display())))
}

/// The Solana CLI's default keypair, `~/.config/solana/id.json`.
pub fn default_keypair_path() -> std::path::PathBuf {
    let home = std::env::var_os("HOME").unwrap_or_default();
    std::path::Path::new(&home).join(".config/solana/id.json")
}

/// A nonblocking RPC client at `url` with `confirmed` commitment.
pub fn rpc_client(url: &str) -> solana_rpc_client::nonblocking::rpc_client::RpcClient {
    solana_rpc_client::nonblocking::rpc_client::RpcClient::new_with_commitment(
        url.to_string(),
        solana_commitment_config::CommitmentConfig::confirmed(),
    )
}

/// A system-program `CreateAccount` instruction.
pub fn system_create_account(
    payer: &anchor_lang::prelude::Pubkey,
    account: &anchor_lang::prelude::Pubkey,
    lamports: u64,
    space: u64,
    owner: &anchor_lang::prelude::Pubkey,
) -> anchor_lang::solana_program::instruction::Instruction {
    solana_system_interface::instruction::create_account(payer, account, lamports, space, owner)
}
