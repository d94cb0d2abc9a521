use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::controller::{self, settlement};
use crate::error::{OrOverflow, VaultError};
use crate::events::{PositionSettled, SettlementClaimPaid};
use crate::state::*;

/// Permissionless: pays one account's position in a settled series at exactly its intrinsic
/// value and clears it. A long is paid out of LP assets not reserved for earlier claims, then
/// the insurance fund, should a gap have left the vault short of cash; any remainder stays
/// recorded on the account (`unpaid_settlement`) and in the vault's NAV as a liability, and a
/// later call for an account holding no position in the series pays it as cash comes in. A
/// short pays into LP assets, and what it cannot pay is bad debt (insurance fund, then LPs).
/// The vault's side moves from its mark (the same intrinsic value) into cash, so NAV does not
/// change except by bad debt. A call with nothing to settle or pay fails with
/// `NoPositionToSettle` and changes nothing.
// Boxed: the deserialised accounts would crowd SBF's 4 KiB stack frame.
#[derive(Accounts)]
pub struct SettlePosition<'info> {
    /// The vault: pays or collects the settlement.
    #[account(
        mut,
        has_one = collateral_mint @ VaultError::WrongCollateralMint,
        has_one = vault_token @ VaultError::WrongVaultTokenAccount,
        has_one = insurance_token @ VaultError::WrongInsuranceTokenAccount,
    )]
    pub vault: Box<Account<'info, Vault>>,

    /// The market of the series.
    #[account(
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
    )]
    pub market: Box<Account<'info, Market>>,

    /// The series book: the settled series' open interest shrinks.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The vault's mark registry: the claims gate and the market's valuation.
    #[account(mut, has_one = vault @ VaultError::WrongMarkRegistry)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// The account whose position in the series settles.
    #[account(mut, has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// The vault's collateral mint.
    pub collateral_mint: Box<Account<'info, Mint>>,

    /// The vault's collateral token account.
    #[account(mut)]
    pub vault_token: Box<Account<'info, TokenAccount>>,

    /// The insurance fund's collateral token account: tops up what the vault cannot pay.
    #[account(mut)]
    pub insurance_token: Box<Account<'info, TokenAccount>>,

    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

impl SettlePosition<'_> {
    pub fn validate(&self, account: &MarginAccount, series: &Series, size: i64) -> Result<()> {
        if size == 0 {
            require!(
                account.unpaid_settlement > 0,
                VaultError::NoPositionToSettle
            );
            return Ok(());
        }
        require!(series.is_settled(), VaultError::SeriesNotSettled);
        Ok(())
    }
}

pub fn handle_settle_position(ctx: Context<SettlePosition>, series_index: u8) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let mut registry = accounts.mark_registry.load_mut()?;
    let mut margin = accounts.margin_account.load_mut()?;
    let mut book = accounts.book.load_mut()?;
    let series = book
        .series
        .get_mut(usize::from(series_index))
        .ok_or(VaultError::SeriesNotListed)?;
    let size = margin.position_size(accounts.market.index, series_index);
    accounts.validate(&margin, series, size)?;
    let market_index = accounts.market.index;
    if size == 0 {
        let decimals = accounts.vault.collateral_decimals;
        let owed_here = settlement::outstanding_long_value(&book, decimals)?;
        let longs_owed = registry
            .record_longs_owed(market_index, owed_here)
            .or_overflow()?;
        let paid = settlement::pay_claim(
            &mut accounts.vault,
            &mut registry.claims,
            &mut margin,
            longs_owed,
        )?;
        emit!(SettlementClaimPaid {
            margin_account: accounts.margin_account.key(),
            paid,
            remaining: margin.unpaid_settlement,
        });
        return Ok(());
    }
    let decimals = accounts.vault.collateral_decimals;
    let settlement_price = series.settlement_price;
    let intrinsic = series.intrinsic(settlement_price);
    let value = settlement::position_value(intrinsic, size, decimals)?;
    series.move_position(size, 0).or_overflow()?;
    margin.set_position(accounts.market.index, series_index, 0);
    // The vault's other longs still owed outside the claims, in every market (this one is off
    // the book now).
    let owed_here = settlement::outstanding_long_value(&book, decimals)?;
    let other_longs_owed = registry
        .record_longs_owed(market_index, owed_here)
        .or_overflow()?;

    let vault = &mut accounts.vault;
    let (cash_flow, shortfall) = if size > 0 {
        let payout = settlement::long_payout(vault, value, other_longs_owed);
        controller::token::vault_signed_transfer(
            &accounts.token_program,
            vault,
            &accounts.insurance_token,
            &accounts.collateral_mint,
            &accounts.vault_token,
            payout.from_insurance,
        )?;
        let paid = settlement::book_long_payout(
            vault,
            &mut registry.claims,
            &mut margin,
            &payout,
            other_longs_owed,
        )?;
        // What stays owed after this call, as the account's claim.
        (paid as i64, margin.unpaid_settlement)
    } else {
        let (paid, shortfall) = settlement::book_short_payment(vault, &mut margin, value)?;
        controller::bad_debt::cover_shortfall(
            vault,
            &accounts.token_program,
            &accounts.insurance_token,
            &accounts.vault_token,
            &accounts.collateral_mint,
            accounts.margin_account.key(),
            shortfall,
        )?;
        (-(paid as i64), shortfall)
    };
    let index = usize::from(accounts.market.index);
    let cached = *registry.markets.get(index).ok_or(VaultError::WrongMarket)?;
    let exposure = settlement::exposure_after_settlement(
        &book,
        &accounts.market,
        cached,
        vault.params.conf_multiplier_bps,
        settlement_price,
        size,
        intrinsic,
        decimals,
    )?;
    controller::sync_registry(vault, &mut registry, accounts.market.index, exposure)?;
    emit!(PositionSettled {
        market: accounts.market.key(),
        margin_account: accounts.margin_account.key(),
        series_index,
        size,
        cash_flow,
        shortfall,
    });
    Ok(())
}
