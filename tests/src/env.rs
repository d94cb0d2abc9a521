use std::path::PathBuf;

use anchor_lang::prelude::{AccountDeserialize, Pubkey};
use anchor_lang::solana_program::instruction::error::InstructionError;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token::spl_token;
use exposure_vault_client::token;
use litesvm::types::{FailedTransactionMetadata, TransactionMetadata};
use litesvm::LiteSVM;
use solana_account::Account;
use solana_clock::Clock;
use solana_keypair::Keypair;
use solana_message::Message;
use solana_signer::Signer;
use solana_transaction::Transaction;

pub type TxResult = Result<TransactionMetadata, TxError>;

/// A failed transaction: the error, the logs, and the compute units it burned.
#[derive(Debug)]
pub struct TxError {
    pub meta: Box<FailedTransactionMetadata>,
}

impl TxError {
    /// The custom program error code, if the failure was one.
    pub fn custom_code(&self) -> Option<u32> {
        use solana_transaction_error::TransactionError;
        match &self.meta.err {
            TransactionError::InstructionError(_, InstructionError::Custom(code)) => Some(*code),
            _ => None,
        }
    }
}

/// Where the SBF build writes the program (`scripts/build-sbf.sh`, or `anchor build`).
pub fn program_so_path() -> PathBuf {
    if let Ok(path) = std::env::var("EXPOSURE_VAULT_SO") {
        return PathBuf::from(path);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/exposure_vault.so")
}

pub struct TestEnv {
    pub svm: LiteSVM,
    pub payer: Keypair,
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    /// A VM with SPL Token and the real `exposure_vault.so` deployed, and a payer with 1,000 SOL.
    pub fn new() -> Self {
        let path = program_so_path();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}); build it first with scripts/build-sbf.sh",
                path.display()
            )
        });
        let mut svm = LiteSVM::new();
        svm.add_program(exposure_vault::ID, &bytes)
            .expect("LiteSVM rejected exposure_vault.so");
        let payer = Keypair::new();
        svm.airdrop(&payer.pubkey(), 1_000_000_000_000)
            .expect("airdrop");
        let mut env = Self { svm, payer };
        env.set_unix_timestamp(1_750_000_000);
        env
    }

    /// Sends `ixs` signed by the payer (fee payer) and `signers`. Each call gets a fresh blockhash
    /// so identical transactions are not deduplicated.
    pub fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(
            signers
                .iter()
                .copied()
                .filter(|k| k.pubkey() != self.payer.pubkey()),
        );
        let message = Message::new(ixs, Some(&self.payer.pubkey()));
        let tx = Transaction::new(&all, message, self.svm.latest_blockhash());
        let result = self.svm.send_transaction(tx);
        self.svm.expire_blockhash();
        result.map_err(|meta| TxError {
            meta: Box::new(meta),
        })
    }

    pub fn new_funded_keypair(&mut self, lamports: u64) -> Keypair {
        let k = Keypair::new();
        self.svm.airdrop(&k.pubkey(), lamports).expect("airdrop");
        k
    }

    pub fn create_mint(&mut self, authority: &Pubkey, decimals: u8) -> Pubkey {
        let mint = Keypair::new();
        let rent = self.svm.minimum_balance_for_rent_exemption(token::MINT_LEN);
        let ixs = token::create_mint_ixs(
            &self.payer.pubkey(),
            &mint.pubkey(),
            authority,
            decimals,
            rent,
        );
        self.send(&ixs, &[&mint]).expect("create mint");
        mint.pubkey()
    }

    pub fn create_token_account(&mut self, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
        let account = Keypair::new();
        let rent = self
            .svm
            .minimum_balance_for_rent_exemption(token::ACCOUNT_LEN);
        let ixs = token::create_token_account_ixs(
            &self.payer.pubkey(),
            &account.pubkey(),
            mint,
            owner,
            rent,
        );
        self.send(&ixs, &[&account]).expect("create token account");
        account.pubkey()
    }

    pub fn mint_tokens(&mut self, mint: &Pubkey, authority: &Keypair, to: &Pubkey, amount: u64) {
        let ix = spl_token::instruction::mint_to(
            &spl_token::ID,
            mint,
            to,
            &authority.pubkey(),
            &[],
            amount,
        )
        .expect("mint_to");
        self.send(&[ix], &[authority]).expect("mint tokens");
    }

    pub fn transfer_tokens(&mut self, from: &Pubkey, to: &Pubkey, owner: &Keypair, amount: u64) {
        #[allow(deprecated)]
        let ix = spl_token::instruction::transfer(
            &spl_token::ID,
            from,
            to,
            &owner.pubkey(),
            &[],
            amount,
        )
        .expect("transfer");
        self.send(&[ix], &[owner]).expect("transfer tokens");
    }

    pub fn token_balance(&self, account: &Pubkey) -> u64 {
        let acc = self.svm.get_account(account).expect("token account exists");
        spl_token::state::Account::unpack(&acc.data)
            .expect("token account")
            .amount
    }

    pub fn mint_supply(&self, mint: &Pubkey) -> u64 {
        let acc = self.svm.get_account(mint).expect("mint exists");
        spl_token::state::Mint::unpack(&acc.data)
            .expect("mint")
            .supply
    }

    /// Decodes an Anchor account (discriminator checked).
    pub fn anchor_account<T: AccountDeserialize>(&self, key: &Pubkey) -> T {
        let acc = self.svm.get_account(key).expect("account exists");
        T::try_deserialize(&mut acc.data.as_slice()).expect("anchor account decodes")
    }

    pub fn raw_account(&self, key: &Pubkey) -> Option<Account> {
        self.svm.get_account(key)
    }

    pub fn set_raw_account(&mut self, key: Pubkey, account: Account) {
        self.svm.set_account(key, account).expect("set_account");
    }

    pub fn clock(&self) -> Clock {
        self.svm.get_sysvar::<Clock>()
    }

    pub fn set_unix_timestamp(&mut self, unix_timestamp: i64) {
        let mut clock = self.clock();
        clock.unix_timestamp = unix_timestamp;
        self.svm.set_sysvar(&clock);
    }

    /// Moves the clock forward by `seconds` (and slots at 400 ms each).
    pub fn warp_seconds(&mut self, seconds: i64) {
        let mut clock = self.clock();
        clock.unix_timestamp += seconds;
        clock.slot += (seconds.max(0) as u64 * 5).div_ceil(2);
        self.svm.set_sysvar(&clock);
    }

    /// The next slot, same unix time: a market takes one oracle price per slot, so a new
    /// price is seen from the next slot on, as on a cluster.
    pub fn next_slot(&mut self) {
        let mut clock = self.clock();
        clock.slot += 1;
        self.svm.set_sysvar(&clock);
    }

    pub fn now(&self) -> i64 {
        self.clock().unix_timestamp
    }
}

/// Asserts that `result` failed with the program (or Anchor framework) error `expected`, and
/// returns the failure for further checks.
#[track_caller]
pub fn expect_error(result: TxResult, expected: impl Into<u32>) -> TxError {
    let expected = expected.into();
    match result {
        Ok(meta) => panic!(
            "expected error {expected}, but the transaction succeeded: {:#?}",
            meta.logs
        ),
        Err(e) => {
            assert_eq!(
                e.custom_code(),
                Some(expected),
                "wrong error (want custom {expected}); err={:?}\nlogs:\n{}",
                e.meta.err,
                e.meta.meta.logs.join("\n")
            );
            e
        }
    }
}

/// The Anchor events of type `T` a transaction emitted (`Program data:` log lines).
pub fn events<T: anchor_lang::Event + anchor_lang::AnchorDeserialize>(
    meta: &TransactionMetadata,
) -> Vec<T> {
    exposure_vault_client::decode::events(&meta.logs)
}
