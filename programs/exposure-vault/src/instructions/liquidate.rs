use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::controller::{self, liquidation};
use crate::error::{OrOverflow, VaultError};
use crate::events::Liquidated;
use crate::oracle;
use crate::state::*;

/// Permissionless: liquidates a margin account whose equity is below maintenance margin.
///
/// Shorts are closed (or, with `takeover`, moved to the liquidator's own margin account) at
/// their mark plus a penalty of `liquidation_penalty_bps` of the notional, only as far as brings
/// equity back to the target: halfway between maintenance and initial margin
/// (`math::margin::liquidation_target`). The penalty goes `liquidator_share_bps` to the
/// liquidator (in collateral to its token account when the vault absorbs the positions, into
/// its margin account on takeover), the rest to the insurance fund. If the account cannot pay
/// for its shorts, its longs are sold to the vault at mark first. An account with negative
/// equity is bankrupt: every position closes against the vault at mark, without penalty, and
/// what it still owes is bad debt (`controller::bad_debt`). Positions are walked through
/// `Position`, so any position kind the book can mark plugs into the same engine.
///
/// A hedge provider's perpetual is closed after the shorts, against the vault at the oracle
/// price with the same penalty per unit, again only as far as the target needs (all of it when
/// bankrupt; never taken over). Closing it whole realises its PnL into collateral.
// Boxed: the deserialised accounts of this instruction would not fit SBF's 4 KiB stack frame.
#[derive(Accounts)]
pub struct Liquidate<'info> {
    /// The vault: absorbs the positions and any bad debt.
    #[account(
        mut,
        has_one = collateral_mint @ VaultError::WrongCollateralMint,
        has_one = vault_token @ VaultError::WrongVaultTokenAccount,
        has_one = insurance_token @ VaultError::WrongInsuranceTokenAccount,
    )]
    pub vault: Box<Account<'info, Vault>>,

    /// The market liquidated first; the account's other markets follow as writable remaining
    /// accounts.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
    )]
    pub market: Box<Account<'info, Market>>,

    /// The market's series book: positions move to the vault.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The vault's mark registry, re-synced after the transfer.
    #[account(mut, has_one = vault @ VaultError::WrongMarkRegistry)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// The account below maintenance.
    #[account(mut, has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// Anyone: signs, and is paid its share of the penalty.
    pub liquidator: Signer<'info>,

    /// Takeover: the liquidator's margin account on this market, which receives the shorts.
    #[account(mut)]
    pub liquidator_margin: Option<AccountLoader<'info, MarginAccount>>,

    /// Vault absorbs: the liquidator's collateral token account, which receives its fee.
    #[account(
        mut,
        constraint = liquidator_collateral.mint == collateral_mint.key() @ VaultError::WrongTokenAccountMint,
    )]
    pub liquidator_collateral: Option<Box<Account<'info, TokenAccount>>>,

    /// The vault's collateral mint.
    pub collateral_mint: Box<Account<'info, Mint>>,

    /// The vault's collateral token account: pays the liquidator.
    #[account(mut)]
    pub vault_token: Box<Account<'info, TokenAccount>>,

    /// The insurance fund's collateral token account: receives its share of the penalty, covers bad
    /// debt first.
    #[account(mut)]
    pub insurance_token: Box<Account<'info, TokenAccount>>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,

    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

impl Liquidate<'_> {
    pub fn validate(&self, account: &MarginAccount, takeover: bool) -> Result<()> {
        require!(
            !self.vault.is_paused(pause::LIQUIDATIONS),
            VaultError::LiquidationsPaused
        );
        require!(
            account.owner != self.liquidator.key(),
            VaultError::SelfLiquidation
        );
        if takeover {
            let liquidator_margin = self
                .liquidator_margin
                .as_ref()
                .ok_or(VaultError::LiquidationAccountsMissing)?;
            require_keys_neq!(
                liquidator_margin.key(),
                self.margin_account.key(),
                VaultError::SelfLiquidation
            );
            let theirs = liquidator_margin.load()?;
            require_keys_eq!(
                theirs.owner,
                self.liquidator.key(),
                VaultError::WrongMarginAccountOwner
            );
            require_keys_eq!(
                theirs.vault,
                self.vault.key(),
                VaultError::WrongMarginAccountVault
            );
            // A provider's checks read its hedge market alone: it takes over nothing elsewhere.
            require!(
                theirs.hedge_provider == 0 || theirs.hedge_market == self.market.key(),
                VaultError::HedgeProviderOutsideItsMarket
            );
        } else {
            require!(
                self.liquidator_collateral.is_some(),
                VaultError::LiquidationAccountsMissing
            );
        }
        Ok(())
    }
}

pub fn handle_liquidate(ctx: Context<Liquidate>, takeover: bool) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut registry = accounts.mark_registry.load_mut()?;
    let mut margin = accounts.margin_account.load_mut()?;
    accounts.validate(&margin, takeover)?;
    // A liquidation is judged at a price a trader could trade at: the oracle's own age limit,
    // recorded as the slot's price. A wider limit let a liquidator pick a past dip among
    // minutes of updates newer than the market's and liquidate a healthy account there.
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
    )?;
    let market = &accounts.market;
    let params = accounts.vault.params;
    let decimals = accounts.vault.collateral_decimals;
    let mut book = accounts.book.load_mut()?;
    // A cross-market account's other markets, from the remaining accounts: health is the whole
    // account's, and so is the liquidation (`liquidation::close_elsewhere`).
    let others = controller::markets::load_other_markets(
        ctx.remaining_accounts,
        &accounts.vault.key(),
        &market.key(),
        &clock,
    )?;
    // Every health in this instruction is taken at the same prices and time.
    let health_of = |account: &MarginAccount,
                     book: &SeriesBook,
                     others: &[controller::markets::OtherMarket]| {
        controller::account_health_across(
            account,
            account.hedge.get(),
            &controller::MarketContext {
                market,
                book,
                price,
            },
            &controller::markets::contexts(others),
            params.conf_multiplier_bps,
            decimals,
            now,
        )
    };
    let before = health_of(&margin, &book, &others)?;
    require!(!before.meets_maintenance(), VaultError::AccountHealthy);

    let plan = liquidation::plan(
        &margin, &book, market, &before, &price, &params, decimals, takeover, now,
    )?;
    let others: Vec<_> = others
        .into_iter()
        .map(controller::markets::OtherMarket::release)
        .collect();
    let mut tally = liquidation::close_elsewhere(
        &mut margin,
        ctx.remaining_accounts,
        &others,
        &plan,
        &mut accounts.vault,
        &mut registry,
    )?;
    let others = controller::markets::reborrow_other_markets(ctx.remaining_accounts, others)?;
    let mut theirs = match (&accounts.liquidator_margin, plan.takeover) {
        (Some(loader), true) => Some(loader.load_mut()?),
        _ => None,
    };
    let here = liquidation::close_positions(
        &mut margin,
        market.index,
        &mut book,
        theirs.as_deref_mut(),
        &plan,
        price.price,
        decimals,
        accounts.vault.lp_assets.saturating_sub(tally.long_marks),
    )?;
    tally.merge(&here)?;
    let payment = liquidation::pay(&mut margin, &tally, params.liquidator_share_bps)?;

    let vault = &mut accounts.vault;
    liquidation::book(vault, &tally, &payment, plan.takeover)?;
    let liquidator_fee = payment.liquidator_fee;
    if let Some(theirs) = theirs.as_mut() {
        let credit = tally
            .short_marks
            .checked_add(liquidator_fee)
            .or_overflow()?;
        theirs.collateral = theirs.collateral.checked_add(credit).or_overflow()?;
        vault.trader_collateral = vault.trader_collateral.checked_add(credit).or_overflow()?;
        let health = health_of(theirs, &book, &others)?;
        require!(health.meets_initial(), VaultError::LiquidatorUnderMargined);
    } else if let Some(to) = accounts.liquidator_collateral.as_ref() {
        controller::token::vault_signed_transfer(
            &accounts.token_program,
            vault,
            &accounts.vault_token,
            &accounts.collateral_mint,
            to,
            liquidator_fee,
        )?;
    } else {
        require!(liquidator_fee == 0, VaultError::LiquidationAccountsMissing);
    }
    controller::token::vault_signed_transfer(
        &accounts.token_program,
        vault,
        &accounts.vault_token,
        &accounts.collateral_mint,
        &accounts.insurance_token,
        payment.insurance_fee,
    )?;
    vault.insurance_balance = vault
        .insurance_balance
        .checked_add(payment.insurance_fee)
        .or_overflow()?;
    controller::bad_debt::cover_shortfall(
        vault,
        &accounts.token_program,
        &accounts.insurance_token,
        &accounts.vault_token,
        &accounts.collateral_mint,
        accounts.margin_account.key(),
        payment.bad_debt,
    )?;

    let exposure =
        controller::market_exposure(&book, market, params.conf_multiplier_bps, &price, decimals)?;
    controller::sync_registry(vault, &mut registry, market.index, exposure)?;
    let after = health_of(&margin, &book, &others)?;
    let clamp = |v: i128| v.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    emit!(Liquidated {
        market: market.key(),
        margin_account: accounts.margin_account.key(),
        liquidator: accounts.liquidator.key(),
        takeover: plan.takeover,
        bankrupt: plan.bankrupt,
        positions_touched: tally.touched,
        units: tally.units,
        penalty: payment.penalty,
        liquidator_fee,
        insurance_fee: payment.insurance_fee,
        shortfall: payment.shortfall,
        equity_before: clamp(before.equity),
        maintenance_before: u64::try_from(before.maintenance).unwrap_or(u64::MAX),
        equity_after: clamp(after.equity),
        maintenance_after: u64::try_from(after.maintenance).unwrap_or(u64::MAX),
    });
    Ok(())
}
