//! A `solana-test-validator` child process on 127.0.0.1 with a fresh ledger.
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use exposure_vault_client::pyth::RECEIVER_PROGRAM_ID;
use tokio::process::{Child, Command};

/// Where to find the validator and how to run it.
#[derive(Clone, Debug)]
pub struct ValidatorConfig {
    pub binary: PathBuf,
    pub ledger: PathBuf,
    pub rpc_port: u16,
    pub faucet_port: u16,
    pub gossip_port: u16,
    /// `MIN-MAX` for the validator's other sockets (TPU, repair, ...).
    pub dynamic_ports: (u16, u16),
    /// The localnet price publisher, loaded at genesis at the Pyth receiver's address.
    pub oracle_program: PathBuf,
}

impl ValidatorConfig {
    /// The defaults of `solana-test-validator` (RPC 8899, websocket 8900, faucet 9900), with
    /// the binary from `.tools/bin` (or `$SOLANA_TEST_VALIDATOR`) and the ledger in `.localnet/`.
    pub fn standard(repo: &Path) -> Self {
        Self::on_ports(repo, 8899, repo.join(".localnet/ledger"))
    }

    /// RPC on `rpc_port`, websocket on `rpc_port + 1`, other ports derived from it so several
    /// validators (the demo and the tests) can run side by side.
    pub fn on_ports(repo: &Path, rpc_port: u16, ledger: PathBuf) -> Self {
        let binary = std::env::var_os("SOLANA_TEST_VALIDATOR")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo.join(".tools/bin/solana-test-validator"));
        let base = rpc_port + 2;
        Self {
            binary,
            ledger,
            rpc_port,
            faucet_port: base,
            gossip_port: base + 1,
            dynamic_ports: (base + 2, base + 2 + 40),
            oracle_program: repo.join("target/deploy/exposure_vault_localnet_oracle.so"),
        }
    }

    pub fn rpc_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.rpc_port)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.rpc_port + 1)
    }
}

/// A running validator; killed when dropped.
pub struct Validator {
    pub config: ValidatorConfig,
    child: Child,
    /// Seconds from spawn to a healthy RPC.
    pub startup_secs: f64,
}

impl Validator {
    /// Starts a validator on a wiped ledger and waits until RPC answers `getHealth` = ok and the
    /// chain has produced a slot.
    pub async fn start(config: ValidatorConfig) -> Result<Self> {
        if !config.binary.exists() {
            bail!(
                "{} not found: run scripts/install-validator (or set SOLANA_TEST_VALIDATOR)",
                config.binary.display()
            );
        }
        if !config.oracle_program.exists() {
            bail!(
                "{} not found: run scripts/build-sbf.sh",
                config.oracle_program.display()
            );
        }
        if config.ledger.exists() {
            std::fs::remove_dir_all(&config.ledger)
                .with_context(|| format!("wiping {}", config.ledger.display()))?;
        }
        std::fs::create_dir_all(&config.ledger)?;
        let log = std::fs::File::create(config.ledger.join("validator.log"))?;
        let started = Instant::now();
        let child = Command::new(&config.binary)
            .arg("--ledger")
            .arg(&config.ledger)
            .args(["--reset", "--quiet", "--bind-address", "127.0.0.1"])
            .args(["--rpc-port", &config.rpc_port.to_string()])
            .args(["--faucet-port", &config.faucet_port.to_string()])
            .args(["--gossip-port", &config.gossip_port.to_string()])
            .args([
                "--dynamic-port-range",
                &format!("{}-{}", config.dynamic_ports.0, config.dynamic_ports.1),
            ])
            .arg("--bpf-program")
            .arg(RECEIVER_PROGRAM_ID.to_string())
            .arg(&config.oracle_program)
            .stdout(Stdio::from(log.try_clone()?))
            .stderr(Stdio::from(log))
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("spawning {}", config.binary.display()))?;
        let mut validator = Self {
            config,
            child,
            startup_secs: 0.0,
        };
        validator.wait_healthy(Duration::from_secs(90)).await?;
        validator.startup_secs = started.elapsed().as_secs_f64();
        Ok(validator)
    }

    async fn wait_healthy(&mut self, timeout: Duration) -> Result<()> {
        let rpc = exposure_vault_rpc::rpc_client(&self.config.rpc_url());
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "validator exited with {status} during startup; see {}",
                    self.config.ledger.join("validator.log").display()
                );
            }
            if rpc.get_health().await.is_ok() && rpc.get_slot().await.unwrap_or(0) > 0 {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "validator not healthy after {timeout:?}; see {}",
                    self.config.ledger.join("validator.log").display()
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Stops the validator (SIGKILL: the ledger is disposable).
    pub async fn stop(mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}
