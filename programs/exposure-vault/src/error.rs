use anchor_lang::prelude::*;

/// Every rejection has its own name so clients, the keeper and the app can map it.
#[error_code]
#[derive(PartialEq, Eq)]
pub enum VaultError {
    // --- amounts and arithmetic ---
    #[msg("Amount must be greater than zero")]
    ZeroAmount,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("Deposit is below the vault's minimum deposit")]
    BelowMinimumDeposit,
    #[msg("Deposit would exceed the vault's deposit cap")]
    DepositCapExceeded,
    #[msg("Deposit is too small to mint a single share")]
    ZeroSharesMinted,
    #[msg("Withdrawal is too small to pay out a single collateral unit")]
    ZeroAssetsOut,
    #[msg("Token account balance is too low")]
    InsufficientBalance,
    #[msg("Not enough shares")]
    InsufficientShares,
    #[msg("Withdrawal exceeds the vault's free collateral")]
    InsufficientFreeCollateral,
    #[msg("Internal accounting does not match")]
    AccountingMismatch,

    // --- authority and accounts ---
    #[msg("Signer is not the vault admin")]
    UnauthorizedAdmin,
    #[msg("Account is not the vault's collateral mint")]
    WrongCollateralMint,
    #[msg("Account is not the vault's share mint")]
    WrongShareMint,
    #[msg("Account is not the vault's token account")]
    WrongVaultTokenAccount,
    #[msg("Token account is not owned by the signer")]
    WrongTokenAccountOwner,
    #[msg("Token account holds a different mint")]
    WrongTokenAccountMint,
    #[msg("Market does not belong to this vault")]
    WrongVault,

    // --- parameters ---
    #[msg("Parameter outside its allowed bounds")]
    ParamOutOfBounds,
    #[msg("Unknown pause flag bits")]
    InvalidPauseFlags,
    #[msg("Collateral mint decimals are not supported")]
    UnsupportedMintDecimals,
    #[msg("Market symbol must be non-empty ASCII")]
    InvalidSymbol,
    #[msg("Too many markets for this vault")]
    TooManyMarkets,

    // --- pause flags ---
    #[msg("Deposits are paused")]
    DepositsPaused,
    #[msg("Withdrawals are paused")]
    WithdrawalsPaused,
    #[msg("Trading is paused")]
    TradingPaused,
    #[msg("Liquidations are paused")]
    LiquidationsPaused,

    // --- oracle ---
    #[msg("Oracle account is not owned by the Pyth program")]
    OracleWrongOwner,
    #[msg("Oracle account is not the one configured for this market")]
    OracleWrongAccount,
    #[msg("Oracle feed id does not match the market's feed")]
    OracleFeedMismatch,
    #[msg("Oracle account data is not a valid Pyth price account")]
    OracleInvalidData,
    #[msg("Oracle price update is not fully verified")]
    OracleUnverified,
    #[msg("Oracle aggregate price is not in Trading status")]
    OracleNotTrading,
    #[msg("Oracle price is stale")]
    OracleStale,
    #[msg("Oracle confidence interval is too wide")]
    OracleConfidenceTooWide,
    #[msg("Oracle price is not positive")]
    OracleNonPositivePrice,
    #[msg("Oracle exponent is outside the supported range")]
    OracleExponentOutOfRange,
    #[msg("Oracle kind is not supported by this build")]
    OracleKindUnsupported,
}
