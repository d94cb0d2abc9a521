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

    // --- series and surface ---
    #[msg("Series strike, expiry or side is invalid")]
    InvalidSeries,
    #[msg("An identical series is already listed")]
    DuplicateSeries,
    #[msg("Every series slot of this market is in use")]
    TooManySeries,
    #[msg("Series is not listed")]
    SeriesNotListed,
    #[msg("Series has expired")]
    SeriesExpired,
    #[msg("Series still has open interest")]
    SeriesHasOpenInterest,
    #[msg("Account does not belong to this market")]
    WrongMarket,
    #[msg("Signer is not the vault's keeper")]
    UnauthorizedKeeper,
    #[msg("Volatility surface parameter outside its bounds")]
    SurfaceParamOutOfBounds,
    #[msg("Volatility surface has non-positive variance")]
    SurfaceNegativeVariance,
    #[msg("Volatility surface has calendar arbitrage (ATM total variance falls with expiry)")]
    SurfaceCalendarArbitrage,
    #[msg("Volatility surface moved more than allowed in one update")]
    SurfaceChangeTooLarge,
    #[msg("Volatility surface is stale")]
    SurfaceStale,
    #[msg("Series expiry lies beyond the volatility surface")]
    SeriesBeyondSurface,
    #[msg("Option pricing failed for these inputs")]
    PricingFailed,
    #[msg("Cached marks are stale: crank refresh_marks")]
    MarksStale,

    // --- margin and trading ---
    #[msg("Signer does not own this margin account")]
    WrongMarginAccountOwner,
    #[msg("Margin account still holds collateral or positions")]
    MarginAccountNotEmpty,
    #[msg("Margin account has no free position slot")]
    TooManyPositions,
    #[msg("Not enough collateral in the margin account")]
    InsufficientCollateral,
    #[msg("Account would not meet initial margin")]
    InsufficientMargin,
    #[msg("Premium outside the trader's slippage limit")]
    SlippageExceeded,
    #[msg("Trade would take the vault's net delta past its cap")]
    DeltaCapExceeded,
    #[msg("Trade would take the vault's net vega past its cap")]
    VegaCapExceeded,
    #[msg("Vault has too little free collateral to back this trade")]
    InsufficientVaultCollateral,

    // --- liquidation and settlement ---
    #[msg("Account meets maintenance margin: nothing to liquidate")]
    AccountHealthy,
    #[msg("An account cannot liquidate itself")]
    SelfLiquidation,
    #[msg("Liquidator's margin account would not meet initial margin")]
    LiquidatorUnderMargined,
    #[msg("Liquidation mode needs accounts that were not given")]
    LiquidationAccountsMissing,
    #[msg("Series has not expired yet")]
    SettlementTooEarly,
    #[msg("Settlement price was published before expiry")]
    SettlementPriceBeforeExpiry,
    #[msg("Settlement price was published after the settlement window")]
    SettlementPriceOutsideWindow,
    #[msg("Series is already settled")]
    SeriesAlreadySettled,
    #[msg("Series is not settled yet")]
    SeriesNotSettled,
    #[msg("Account holds no position in this series")]
    NoPositionToSettle,
    #[msg("Insurance fund accounting does not match its token account")]
    InsuranceMismatch,

    // --- hedge leg ---
    #[msg("Every hedge provider slot of this market is in use")]
    HedgeBookFull,
    #[msg("Margin account is already a hedge provider")]
    HedgeProviderAlreadyRegistered,
    #[msg("Margin account is not a registered hedge provider")]
    NotHedgeProvider,
    #[msg("Hedge quote spread or expiry outside its bounds")]
    InvalidHedgeQuote,
    #[msg("No live hedge quote can fill this size")]
    NoLiveHedgeQuote,
    #[msg("Provider account is not the best live hedge quote")]
    NotBestHedgeQuote,
    #[msg("Rebalance sequence does not match: already applied or out of date")]
    RebalanceSequenceMismatch,
    #[msg("Hedge fill outside the keeper's slippage bound")]
    HedgeSlippageExceeded,
    #[msg("Hedge provider would not meet initial margin")]
    HedgeProviderUnderMargined,
    #[msg("Account still holds a hedge position or provider registration")]
    HedgePositionOpen,

    // --- adversarial controls ---
    #[msg("Oracle price is older than one this market already accepted")]
    OraclePriceNotNewest,
    #[msg("Hedge quote is not backed by the provider's collateral")]
    HedgeQuoteUnbacked,
    #[msg("Hedge provider slot is still live: it cannot be evicted")]
    HedgeProviderSlotLive,
    #[msg("A settlement price proposal must be published earlier than the one recorded")]
    SettlementPriceNotEarlier,
    #[msg("The vault owes more than it holds: deposits would pay old claims")]
    VaultInsolvent,
    #[msg("Unknown authority role (0 = admin, 1 = keeper)")]
    InvalidAuthorityRole,
    #[msg("Signer is not the proposed successor for this role")]
    NotPendingAuthority,
    #[msg("Vault account is not the vault's canonical PDA")]
    VaultNotCanonical,
    #[msg("Trading is reduce-only: this trade would not shrink the position")]
    TradingReduceOnly,
    #[msg("The proposed risk parameters are not in effect yet")]
    RiskChangeNotDue,
    #[msg("This change loosens risk or moves money between parties: propose it and wait")]
    ParamsChangeNeedsDelay,
    #[msg("A withdrawal request is already pending: complete or cancel it first")]
    WithdrawalAlreadyRequested,
    #[msg("The withdrawal delay has not passed yet")]
    WithdrawalNotDue,
    #[msg("Insurance token account does not match the vault")]
    WrongInsuranceTokenAccount,
    #[msg("Mark registry does not belong to this vault")]
    WrongMarkRegistry,
    #[msg("Withdrawal request or its escrow is not this owner's in this vault")]
    WrongWithdrawalRequest,
    #[msg("Margin account does not belong to this vault")]
    WrongMarginAccountVault,
    #[msg("Hedge slippage bound above the market's max_hedge_slippage_bps")]
    HedgeSlippageAboveMarketLimit,
    #[msg("Hedge fill would not reduce the vault's net delta by half of what it trades")]
    RebalanceDoesNotReduceDelta,
    #[msg("Option quote invalid: series not listed or expired, vols not 0 < bid <= ask <= max, or expiry out of range")]
    InvalidOptionQuote,
    #[msg("Option quote not backed: the provider would miss initial margin after a full fill")]
    OptionQuoteUnbacked,
    #[msg("No live option quote on this series can fill this size")]
    NoLiveOptionQuote,
    #[msg("Option hedge vol beyond the market's max_option_hedge_vol_edge_bps from the surface")]
    OptionHedgeVolAboveMarketLimit,
    /// Retired with the vega-only rule (now `OptionHedgeDoesNotCutOptionRisk`); its code stays
    /// reserved so clients' code-to-name maps remain true.
    #[msg("Option hedge would not reduce the vault's net vega by half of what it trades")]
    OptionHedgeDoesNotReduceVega,
    #[msg("Provider already quotes the maximum number of series")]
    OptionQuotesFull,
    // Append only: a variant's code is its position, and clients map codes to names
    // (`idl/error-codes.txt` pins every code released so far).
    #[msg("Portfolio margin is not enabled on this market")]
    PortfolioMarginNotEnabled,
    #[msg("A held series' portfolio-margin scenarios are stale: refresh_scenarios first")]
    ScenariosStale,
    #[msg("Unknown margin mode")]
    InvalidMarginMode,
    #[msg("Series range is empty or outside the book")]
    InvalidSeriesRange,
    #[msg("The account holds positions in a market whose market, book and oracle accounts were not passed")]
    MarketAccountsMissing,
    #[msg("A market's accounts were passed twice, or are this instruction's own market")]
    DuplicateMarketAccounts,
    #[msg("A hedge provider's account holds positions in its hedge market only")]
    HedgeProviderOutsideItsMarket,
    #[msg("Option hedge would not cut the vault's vega and gamma, each over its cap, by half of what it trades")]
    OptionHedgeDoesNotCutOptionRisk,
    #[msg("LP flows price at marks of this slot's accepted price: refresh_marks every market the vault holds positions in first")]
    MarksNotCurrent,
}

/// Checked arithmetic that says where it failed: `a.checked_add(b).or_overflow()?` fails with
/// `MathOverflow` and Anchor's log names the caller's file and line (Drift's `SafeMath`,
/// marginfi's `check!`). Free on the success path: inlined, the location is a constant.
pub trait OrOverflow<T> {
    fn or_overflow(self) -> Result<T>;
}

impl<T> OrOverflow<T> for Option<T> {
    #[track_caller]
    #[inline(always)]
    fn or_overflow(self) -> Result<T> {
        match self {
            Some(value) => Ok(value),
            None => Err(overflow_at(core::panic::Location::caller())),
        }
    }
}

#[cold]
#[inline(never)]
fn overflow_at(at: &'static core::panic::Location<'static>) -> anchor_lang::error::Error {
    anchor_lang::error::Error::from(VaultError::MathOverflow).with_source(
        anchor_lang::error::Source {
            filename: at.file(),
            line: at.line(),
        },
    )
}
