use anchor_lang::prelude::*;

use crate::controller::{self, settlement};
use crate::error::{OrOverflow, VaultError};
use crate::events::{SeriesSettled, SettlementProposed};
use crate::math::black76::Black76;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct SettleSeries<'info> {
    /// The vault.
    #[account(mut)]
    pub vault: Account<'info, Vault>,

    /// The market of the series.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The series book: the proposal, dispute or final price is recorded.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The vault's mark registry: the settled series is valued at intrinsic.
    #[account(mut, has_one = vault @ VaultError::WrongMarkRegistry)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// The Pyth update proposed as the settlement price (at or after expiry).
    /// CHECK: validated by `oracle::read_settlement_price` against the market's oracle
    /// configuration.
    pub settlement_oracle: UncheckedAccount<'info>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl SettleSeries<'_> {
    pub fn validate(&self, series: &Series, now: i64) -> Result<()> {
        require!(!series.is_settled(), VaultError::SeriesAlreadySettled);
        require!(
            series.is_listed() || series.is_settling(),
            VaultError::SeriesNotListed
        );
        require!(now >= series.expiry_ts, VaultError::SettlementTooEarly);
        Ok(())
    }
}

pub fn handle_settle_series(ctx: Context<SettleSeries>, series_index: u8) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut book = accounts.book.load_mut()?;
    let series = book
        .series
        .get_mut(usize::from(series_index))
        .ok_or(VaultError::SeriesNotListed)?;
    accounts.validate(series, now)?;
    let market = &accounts.market;
    let window = i64::from(market.risk.settlement_window_secs);
    if series.is_settling() && now >= series.settlement_final_ts {
        drop(book);
        return finalize(accounts, series_index, &clock);
    }
    let (latest, replacing) = if series.is_settling() {
        (series.settlement_publish_time.saturating_sub(1), true)
    } else if now <= series.expiry_ts.saturating_add(window) {
        (series.expiry_ts.saturating_add(window), false)
    } else {
        (i64::MAX, false)
    };
    let proposal = oracle::read_settlement_price(
        &accounts.settlement_oracle.to_account_info(),
        &market.oracle,
        series.expiry_ts,
        latest,
    )
    .map_err(|e| {
        if replacing && e == VaultError::SettlementPriceOutsideWindow.into() {
            VaultError::SettlementPriceNotEarlier.into()
        } else {
            e
        }
    })?;
    series.status = series_status::SETTLING;
    series.settlement_price = proposal.price;
    series.settlement_publish_time = proposal.publish_time;
    if !replacing {
        series.settlement_final_ts = now.saturating_add(window);
    }
    emit!(SettlementProposed {
        market: market.key(),
        series_index,
        settlement_price: proposal.price,
        publish_time: proposal.publish_time,
        final_ts: series.settlement_final_ts,
        replaced: replacing,
    });
    Ok(())
}

/// The proposal stood through its dispute period: the series settles at it for good.
fn finalize(accounts: &mut SettleSeries, series_index: u8, clock: &Clock) -> Result<()> {
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        clock,
    )?;
    let mut book = accounts.book.load_mut()?;
    let mut registry = accounts.mark_registry.load_mut()?;
    let series = &mut book.series[usize::from(series_index)];
    let settlement_price = series.settlement_price;
    let intrinsic = series.intrinsic(settlement_price);
    series.status = series_status::SETTLED;
    // The final mark: intrinsic value, no Greeks.
    let final_mark = controller::SeriesQuote {
        greeks: Black76 {
            price: intrinsic,
            delta: 0,
            vega: 0,
        },
        vol: 0,
        dollar_gamma: 0,
    };
    controller::store_mark(series, &final_mark, settlement_price, clock.unix_timestamp);
    let publish_time = series.settlement_publish_time;
    let market = &accounts.market;
    let vault = &mut accounts.vault;
    let exposure = controller::market_exposure(
        &book,
        market,
        vault.params.conf_multiplier_bps,
        &price,
        vault.collateral_decimals,
    )?;
    controller::sync_registry(vault, &mut registry, market.index, exposure)?;
    // The series' longs are owed from now on: no claim is funded ahead of them.
    let owed_here = settlement::outstanding_long_value(&book, vault.collateral_decimals)?;
    registry
        .record_longs_owed(market.index, owed_here)
        .or_overflow()?;
    emit!(SeriesSettled {
        market: market.key(),
        series_index,
        settlement_price,
        publish_time,
        intrinsic,
    });
    Ok(())
}
