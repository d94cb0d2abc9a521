use anchor_lang::prelude::*;

use crate::events::MarketPriceRefreshed;
use crate::oracle;
use crate::state::*;

/// Permissionless crank: stores the market's latest validated oracle price.
#[derive(Accounts)]
pub struct RefreshMarketPrice<'info> {
    #[account(
        mut,
        seeds = [MARKET_SEED, market.vault.as_ref(), &market.index.to_le_bytes()],
        bump = market.bump,
    )]
    pub market: Account<'info, Market>,

    /// CHECK: validated by `oracle::read_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

pub fn handler(ctx: Context<RefreshMarketPrice>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let market = &mut ctx.accounts.market;
    let price = oracle::read_price(&ctx.accounts.oracle.to_account_info(), &market.oracle, now)?;
    market.last_price = price.price;
    market.last_conf = price.conf;
    market.last_publish_time = price.publish_time;
    emit!(MarketPriceRefreshed {
        market: market.key(),
        price: price.price,
        conf: price.conf,
        publish_time: price.publish_time,
    });
    Ok(())
}
