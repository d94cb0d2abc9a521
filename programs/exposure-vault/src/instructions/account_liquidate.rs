use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::controller::{self, hedge as venue};
use crate::error::VaultError;
use crate::events::Liquidated;
use crate::math::fixed::{apply_bps, Rounding};
use crate::math::margin::{
    amount_for, liquidation_target, units_to_close, OraclePrice as MarginPrice,
};
use crate::math::precision::{quote_to_collateral, SIZE_PRECISION};
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
    #[account(
        mut,
        has_one = collateral_mint @ VaultError::WrongCollateralMint,
        has_one = vault_token @ VaultError::WrongVaultTokenAccount,
        has_one = insurance_token @ VaultError::WrongVaultTokenAccount,
    )]
    pub vault: Box<Account<'info, Vault>>,

    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
    )]
    pub market: Box<Account<'info, Market>>,

    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    #[account(mut)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    #[account(mut)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

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

    pub collateral_mint: Box<Account<'info, Mint>>,

    #[account(mut)]
    pub vault_token: Box<Account<'info, TokenAccount>>,

    #[account(mut)]
    pub insurance_token: Box<Account<'info, TokenAccount>>,

    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,

    pub token_program: Program<'info, Token>,
}

impl Liquidate<'_> {
    pub fn validate(
        &self,
        account: &MarginAccount,
        registry: &MarkRegistry,
        takeover: bool,
    ) -> Result<()> {
        require!(
            !self.vault.is_paused(pause::LIQUIDATIONS),
            VaultError::LiquidationsPaused
        );
        require_keys_eq!(account.market, self.market.key(), VaultError::WrongMarket);
        require_keys_eq!(registry.vault, self.vault.key(), VaultError::WrongVault);
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
            require_keys_eq!(theirs.market, self.market.key(), VaultError::WrongMarket);
        } else {
            require!(
                self.liquidator_collateral.is_some(),
                VaultError::LiquidationAccountsMissing
            );
        }
        Ok(())
    }
}

/// Money of one liquidation, in collateral units, before it moves.
#[derive(Default)]
struct Tally {
    /// Owed by the account: marks of its shorts closed or taken over, and penalties.
    owed: u64,
    /// Marks of those shorts: to the vault's LP assets, or on takeover to the liquidator.
    short_marks: u64,
    /// Marks of longs sold to the vault: out of LP assets, to the account.
    long_marks: u64,
    penalty: u64,
    /// Realised PnL of a perpetual closed whole: owed to the vault, or paid by it.
    perp_loss: u64,
    perp_gain: u64,
    units: u64,
    touched: u8,
}

/// The penalty per unit of closing a short in `series`: none once it is settled, since closing
/// it then frees no margin (it is only its intrinsic value, which `settle_position` would pay).
fn penalty_on(series: &Series, penalty_per_unit: u64) -> u64 {
    if series.is_settled() {
        0
    } else {
        penalty_per_unit
    }
}

fn to_collateral(quote: u64, decimals: u8, rounding: Rounding) -> Result<u64> {
    Ok(quote_to_collateral(quote, decimals, rounding).ok_or(VaultError::MathOverflow)?)
}

pub fn handler(ctx: Context<Liquidate>, takeover: bool) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut registry = accounts.mark_registry.load_mut()?;
    let mut margin = accounts.margin_account.load_mut()?;
    accounts.validate(&margin, &registry, takeover)?;
    let liquidation_age = accounts.market.risk.liquidation_oracle_max_age_secs;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
        liquidation_age,
    )?;
    let market = &accounts.market;
    let conf_multiplier = accounts.vault.params.conf_multiplier_bps;
    let decimals = accounts.vault.collateral_decimals;
    let mut book = accounts.book.load_mut()?;
    // Every health in this instruction is taken at the same price and time.
    let health_of = |account: &MarginAccount, book: &SeriesBook| {
        controller::account_health(
            account,
            book,
            market,
            conf_multiplier,
            &price,
            decimals,
            now,
        )
    };
    let before = health_of(&margin, &book)?;
    require!(!before.meets_maintenance(), VaultError::AccountHealthy);

    let bankrupt = before.equity < 0;
    let takeover = takeover && !bankrupt;
    let params = accounts.vault.params;
    let penalty_per_unit = if bankrupt {
        0
    } else {
        apply_bps(
            price.price,
            u64::from(params.liquidation_penalty_bps),
            Rounding::Up,
        )
        .ok_or(VaultError::MathOverflow)?
    };
    let model = market.margin_model(conf_multiplier);
    let spot = MarginPrice {
        price: price.price,
        conf: price.conf,
    };

    // Plan: which units of which short to close, until the target is met (all of them when
    // bankrupt). Indexed like `margin.positions`.
    let mut deficit = (liquidation_target(&before) as i128 - before.equity).max(0) as u128;
    let mut plan = [0u64; MarginAccount::MAX_POSITIONS];
    let mut short_cost = 0u64;
    for (slot, position) in margin.positions.iter().enumerate() {
        if position.size >= 0 || (deficit == 0 && !bankrupt) {
            continue;
        }
        let series = &book.series[usize::from(position.series_index)];
        let held = position.size.unsigned_abs();
        let units = if bankrupt || series.is_settled() {
            held
        } else {
            let (initial, maintenance) = model
                .short_requirements_per_unit(series.option_side(), series.strike, spot)
                .ok_or(VaultError::MathOverflow)?;
            let relief = initial / 2 + maintenance / 2;
            let units = units_to_close(deficit, relief, penalty_per_unit, held);
            let freed = u128::from(relief.saturating_sub(penalty_per_unit)) * u128::from(units)
                / u128::from(SIZE_PRECISION);
            deficit = deficit.saturating_sub(freed);
            units
        };
        let mark = series.mark().price_at(price.price);
        let per_unit = mark
            .checked_add(penalty_on(series, penalty_per_unit))
            .ok_or(VaultError::MathOverflow)?;
        short_cost = amount_for(per_unit, units, Rounding::Up)
            .and_then(|quote| quote_to_collateral(quote, decimals, Rounding::Up))
            .and_then(|cost| short_cost.checked_add(cost))
            .ok_or(VaultError::MathOverflow)?;
        plan[slot] = units;
    }
    let perp = margin.hedge.get();
    let perp_held = perp.size.unsigned_abs();
    let perp_units = if perp_held == 0 || (deficit == 0 && !bankrupt) {
        0
    } else if bankrupt {
        perp_held
    } else {
        let blended_bps = (u64::from(market.risk.perp_initial_bps)
            + u64::from(market.risk.perp_maintenance_bps))
            / 2;
        let relief =
            apply_bps(price.price, blended_bps, Rounding::Down).ok_or(VaultError::MathOverflow)?;
        units_to_close(deficit, relief, penalty_per_unit, perp_held)
    };
    if perp_units > 0 {
        let penalty = amount_for(penalty_per_unit, perp_units, Rounding::Up)
            .and_then(|quote| quote_to_collateral(quote, decimals, Rounding::Up))
            .ok_or(VaultError::MathOverflow)?;
        let loss = if perp_units == perp_held {
            let value = perp.value(price.price).ok_or(VaultError::MathOverflow)?;
            quote_to_collateral(value.min(0).unsigned_abs(), decimals, Rounding::Up)
                .ok_or(VaultError::MathOverflow)?
        } else {
            0
        };
        short_cost = short_cost
            .checked_add(penalty + loss)
            .ok_or(VaultError::MathOverflow)?;
    }
    // Longs are sold to the vault when the account cannot pay for its shorts (or is bankrupt);
    // a takeover needs an account that can pay, so it falls back to the vault otherwise.
    let sell_longs = bankrupt || short_cost > margin.collateral;
    let takeover = takeover && !sell_longs;

    let mut tally = Tally::default();
    let mut theirs = match (&accounts.liquidator_margin, takeover) {
        (Some(loader), true) => Some(loader.load_mut()?),
        _ => None,
    };
    for (slot, &planned) in plan.iter().enumerate() {
        let position = margin.positions[slot];
        let series = &mut book.series[usize::from(position.series_index)];
        let mark = series.mark().price_at(price.price);
        let units = match position.size {
            size if size > 0 && sell_longs => size.unsigned_abs(),
            size if size < 0 => planned,
            _ => 0,
        };
        if units == 0 {
            continue;
        }
        let new = if position.size > 0 {
            let value = to_collateral(
                amount_for(mark, units, Rounding::Down).ok_or(VaultError::MathOverflow)?,
                decimals,
                Rounding::Down,
            )?;
            tally.long_marks += value;
            0
        } else {
            let cost = to_collateral(
                amount_for(mark, units, Rounding::Up).ok_or(VaultError::MathOverflow)?,
                decimals,
                Rounding::Up,
            )?;
            let penalty = to_collateral(
                amount_for(penalty_on(series, penalty_per_unit), units, Rounding::Up)
                    .ok_or(VaultError::MathOverflow)?,
                decimals,
                Rounding::Up,
            )?;
            tally.owed += cost + penalty;
            tally.short_marks += cost;
            tally.penalty += penalty;
            if let Some(theirs) = theirs.as_mut() {
                // The liquidator takes the short over at mark.
                let held = theirs.position_size(position.series_index);
                let taken = held
                    .checked_sub(units as i64)
                    .ok_or(VaultError::MathOverflow)?;
                series
                    .move_position(held, taken)
                    .ok_or(VaultError::MathOverflow)?;
                require!(
                    theirs.set_position(position.series_index, taken),
                    VaultError::TooManyPositions
                );
            }
            position.size + units as i64
        };
        series
            .move_position(position.size, new)
            .ok_or(VaultError::MathOverflow)?;
        require!(
            margin.set_position(position.series_index, new),
            VaultError::TooManyPositions
        );
        tally.units += units;
        tally.touched += 1;
    }

    if perp_units > 0 {
        let units = i64::try_from(perp_units).map_err(|_| VaultError::MathOverflow)?;
        let close = if perp.size > 0 { -units } else { units };
        venue::close_at(&mut margin.hedge, &mut book.vault_hedge, close, price.price)?;
        let penalty = to_collateral(
            amount_for(penalty_per_unit, perp_units, Rounding::Up)
                .ok_or(VaultError::MathOverflow)?,
            decimals,
            Rounding::Up,
        )?;
        // Longs sold to the vault are paid out of the same LP assets first.
        let payable = accounts.vault.lp_assets.saturating_sub(tally.long_marks);
        let realised =
            venue::realise_if_flat(&mut margin.hedge, &mut book.vault_hedge, decimals, payable)?;
        if realised > 0 {
            tally.perp_gain = realised.unsigned_abs();
        } else {
            tally.perp_loss = realised.unsigned_abs();
        }
        tally.owed += penalty + tally.perp_loss;
        tally.penalty += penalty;
        tally.units += perp_units;
        tally.touched += 1;
    }

    // The account pays what it owes out of collateral plus what its longs fetched. What it
    // cannot pay is a shortfall: penalties are waived first, the rest is bad debt of the vault
    // (`controller::bad_debt`), never of the liquidator.
    let available = margin.collateral + tally.long_marks + tally.perp_gain;
    let paid = tally.owed.min(available);
    let shortfall = tally.owed - paid;
    margin.collateral = available - paid;
    let waived = shortfall.min(tally.penalty);
    let penalty = tally.penalty - waived;
    let bad_debt = shortfall - waived;
    let liquidator_fee = apply_bps(
        penalty,
        u64::from(params.liquidator_share_bps),
        Rounding::Down,
    )
    .ok_or(VaultError::MathOverflow)?;
    let insurance_fee = penalty - liquidator_fee;

    let vault = &mut accounts.vault;
    let shorts_to_lp = if takeover { 0 } else { tally.short_marks };
    vault.lp_assets = (vault.lp_assets + shorts_to_lp + tally.perp_loss)
        .checked_sub(tally.long_marks + tally.perp_gain + bad_debt)
        .ok_or(VaultError::InsufficientVaultCollateral)?;
    vault.trader_collateral = (vault.trader_collateral + tally.long_marks + tally.perp_gain)
        .checked_sub(paid)
        .ok_or(VaultError::AccountingMismatch)?;
    if let Some(theirs) = theirs.as_mut() {
        let credit = tally.short_marks + liquidator_fee;
        theirs.collateral = theirs
            .collateral
            .checked_add(credit)
            .ok_or(VaultError::MathOverflow)?;
        vault.trader_collateral += credit;
        let health = health_of(theirs, &book)?;
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
        insurance_fee,
    )?;
    vault.insurance_balance += insurance_fee;
    controller::bad_debt::cover_shortfall(
        vault,
        &accounts.token_program,
        &accounts.insurance_token,
        &accounts.vault_token,
        &accounts.collateral_mint,
        accounts.margin_account.key(),
        bad_debt,
    )?;

    let exposure = controller::market_exposure(&book, market, conf_multiplier, &price, decimals)?;
    controller::sync_registry(vault, &mut registry, market.index, exposure)?;
    let after = health_of(&margin, &book)?;
    let clamp = |v: i128| v.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    emit!(Liquidated {
        market: market.key(),
        margin_account: accounts.margin_account.key(),
        liquidator: accounts.liquidator.key(),
        takeover,
        bankrupt,
        positions_touched: tally.touched,
        units: tally.units,
        penalty,
        liquidator_fee,
        insurance_fee,
        shortfall,
        equity_before: clamp(before.equity),
        maintenance_before: u64::try_from(before.maintenance).unwrap_or(u64::MAX),
        equity_after: clamp(after.equity),
        maintenance_after: u64::try_from(after.maintenance).unwrap_or(u64::MAX),
    });
    Ok(())
}
