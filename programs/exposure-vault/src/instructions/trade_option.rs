use anchor_lang::prelude::*;

use crate::controller::{self, trading};
use crate::error::{OrOverflow, VaultError};
use crate::events::OptionTraded;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct TradeOption<'info> {
    /// The vault, the trade's counterparty: LP assets pay or receive the premium.
    #[account(mut)]
    pub vault: Account<'info, Vault>,

    /// The market of the series; the trader's other markets follow as remaining accounts.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = surface @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The series book: open interest and the series' mark move.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The market's surface, which prices the series.
    pub surface: AccountLoader<'info, VolSurface>,

    /// The vault's mark registry, re-synced after the trade.
    #[account(mut, has_one = vault @ VaultError::WrongMarkRegistry)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// The trader's margin account.
    #[account(mut, has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub margin_account: AccountLoader<'info, MarginAccount>,

    /// Its owner: signs.
    pub trader: Signer<'info>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl TradeOption<'_> {
    pub fn validate(
        &self,
        margin: &MarginAccount,
        surface: &VolSurface,
        size: i64,
        now: i64,
    ) -> Result<()> {
        require!(
            !self.vault.is_paused(pause::TRADING),
            VaultError::TradingPaused
        );
        require!(size != 0, VaultError::ZeroAmount);
        require!(
            margin.hedge_provider == 0 || margin.hedge_market == self.market.key(),
            VaultError::HedgeProviderOutsideItsMarket
        );
        require_keys_eq!(
            margin.owner,
            self.trader.key(),
            VaultError::WrongMarginAccountOwner
        );
        require!(
            surface.is_fresh(now, self.market.risk.surface_max_age_secs),
            VaultError::SurfaceStale
        );
        Ok(())
    }
}

pub fn handle_trade_option(
    ctx: Context<TradeOption>,
    series_index: u8,
    size: i64,
    limit: u64,
) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut margin = accounts.margin_account.load_mut()?;
    let mut registry = accounts.mark_registry.load_mut()?;
    let surface = accounts.surface.load()?;
    accounts.validate(&margin, &surface, size, now)?;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
    )?;
    let spot = price.price;
    let mut book = accounts.book.load_mut()?;
    let index = usize::from(series_index);
    let series = book
        .series
        .get_mut(index)
        .ok_or(VaultError::SeriesNotListed)?;
    require!(series.is_listed(), VaultError::SeriesNotListed);
    require!(now < series.expiry_ts, VaultError::SeriesExpired);

    let quote = controller::price_series(series, &surface, spot, now)?;
    controller::store_mark(series, &quote, spot, now);
    let old = margin.position_size(accounts.market.index, series_index);
    let new = old.checked_add(size).or_overflow()?;
    let reduces = trading::only_reduces(old, new);
    require!(
        reduces || !accounts.vault.is_paused(pause::REDUCE_ONLY),
        VaultError::TradingReduceOnly
    );

    // The vault takes the other side: its position in the series moves by −size, in the
    // market's book (caps) and in the series' expiry (inventory pricing reads it after).
    let (exposure_before, expiry_before) =
        controller::vault_exposure_and_expiry(&book, book.series[index].expiry_ts)?;
    let series = &mut book.series[index];
    let vault_side = size.checked_neg().or_overflow()?;
    let exposure_after = exposure_before
        .add(vault_side, &series.mark())
        .or_overflow()?;
    let expiry_after = expiry_before
        .add(vault_side, series)
        .or_overflow()?
        .in_quote();
    series.move_position(old, new).or_overflow()?;
    require!(
        margin.set_position(accounts.market.index, series_index, new),
        VaultError::TooManyPositions
    );
    let risk = accounts.market.risk;
    let (net_before, net) = trading::check_caps(&exposure_before, &exposure_after, &risk, spot)?;
    let decimals = accounts.vault.collateral_decimals;
    let oracle_age = u64::try_from(now.saturating_sub(price.publish_time)).unwrap_or(0);
    let charge = trading::charge(
        &quote,
        size,
        (net_before, net),
        (expiry_after.vega, expiry_after.gamma),
        &risk,
        decimals,
        (spot, oracle_age),
    )?;
    let vault = &mut accounts.vault;
    let premium_paid = trading::pay_premium(vault, &mut margin, &charge, size > 0, limit)?;

    // The vault's side: NAV inputs and locked collateral from fresh marks.
    trading::resync_vault_side(
        vault,
        &mut registry,
        &book,
        &accounts.market,
        &price,
        exposure_after,
        now,
    )?;

    // The trader's side: every trade that raises the account's requirement meets initial
    // margin, whatever its direction. Under the standard rule each position carries its own
    // requirement, so a trade that only shrinks one never raises it. Under portfolio margin
    // selling the long leg of a spread can: there a reducing trade that leaves the account
    // below initial must at least not raise its requirement (de-risking stays possible).
    if !reduces || margin.is_portfolio() {
        let this = controller::MarketContext {
            market: &accounts.market,
            book: &book,
            price,
        };
        let health_of = |account: &MarginAccount| {
            controller::markets::account_health_with_remaining(
                account,
                &this,
                &accounts.market.key(),
                ctx.remaining_accounts,
                vault,
                &vault.key(),
                &clock,
            )
        };
        let after = health_of(&margin)?;
        if !after.meets_initial() {
            require!(reduces, VaultError::InsufficientMargin);
            let market_index = accounts.market.index;
            margin.set_position(market_index, series_index, old);
            let before = health_of(&margin)?;
            margin.set_position(market_index, series_index, new);
            require!(
                after.initial <= before.initial && after.maintenance <= before.maintenance,
                VaultError::InsufficientMargin
            );
        }
    }

    emit!(OptionTraded {
        market: accounts.market.key(),
        margin_account: accounts.margin_account.key(),
        series_index,
        size,
        model_price: charge.price,
        spread_bps: charge.spread_bps,
        oracle_choice: charge.oracle_choice,
        premium: premium_paid,
        fee: charge.fee,
        spot,
        vol: quote.vol,
        inventory_vol_shift: charge.vol_shift,
        vault_net_delta: net.delta.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
        vault_net_vega: net.vega.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
        expiry_net_vega: expiry_after.vega.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
        expiry_net_gamma: expiry_after.gamma.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
    });
    Ok(())
}
