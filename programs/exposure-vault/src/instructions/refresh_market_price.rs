use anchor_lang::prelude::*;

use crate::events::MarketPriceRefreshed;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct RefreshMarketPrice<'info> {
    /// The market whose price for this slot is recorded.
    #[account(
        mut,
        seeds = [MARKET_SEED, market.vault.as_ref(), &market.index.to_le_bytes()],
        bump = market.bump,
    )]
    pub market: Account<'info, Market>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

pub fn handle_refresh_market_price(ctx: Context<RefreshMarketPrice>) -> Result<()> {
    let clock = Clock::get()?;
    let market = &mut ctx.accounts.market;
    let price = oracle::read_market_price(market, &ctx.accounts.oracle.to_account_info(), &clock)?;
    emit!(MarketPriceRefreshed {
        market: market.key(),
        price: price.price,
        conf: price.conf,
        publish_time: price.publish_time,
    });
    Ok(())
}
