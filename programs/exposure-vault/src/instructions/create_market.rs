use anchor_lang::prelude::*;

use crate::error::OrOverflow;
use crate::error::VaultError;
use crate::events::MarketCreated;
use crate::oracle;
use crate::state::*;

// Boxed vault: with the market being created beside it, the accounts would crowd SBF's 4 KiB
// stack frame.
#[derive(Accounts)]
pub struct CreateMarket<'info> {
    /// The vault the market joins (its market count grows).
    #[account(
        mut,
        seeds = [VAULT_SEED, vault.creator.as_ref(), vault.collateral_mint.as_ref()],
        bump = vault.bump,
        has_one = admin @ VaultError::UnauthorizedAdmin,
    )]
    pub vault: Box<Account<'info, Vault>>,

    /// The vault's admin: signs and pays the new accounts' rent.
    #[account(mut)]
    pub admin: Signer<'info>,

    /// The new market (PDA of the vault and its index).
    #[account(
        init,
        payer = admin,
        space = 8 + Market::INIT_SPACE,
        seeds = [MARKET_SEED, vault.key().as_ref(), &vault.market_count.to_le_bytes()],
        bump,
    )]
    pub market: Account<'info, Market>,

    /// Its new, empty series book.
    #[account(
        init,
        payer = admin,
        space = 8 + core::mem::size_of::<SeriesBook>(),
        seeds = [SERIES_BOOK_SEED, market.key().as_ref()],
        bump,
    )]
    pub book: AccountLoader<'info, SeriesBook>,

    /// Its new, empty volatility surface.
    #[account(
        init,
        payer = admin,
        space = 8 + core::mem::size_of::<VolSurface>(),
        seeds = [SURFACE_SEED, market.key().as_ref()],
        bump,
    )]
    pub surface: AccountLoader<'info, VolSurface>,

    /// Its new, empty hedge book.
    #[account(
        init,
        payer = admin,
        space = 8 + core::mem::size_of::<HedgeBook>(),
        seeds = [HEDGE_BOOK_SEED, market.key().as_ref()],
        bump,
    )]
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_price` (owner, identity, layout, value checks): a market
    /// can only be listed with an oracle that reads cleanly now.
    pub oracle: UncheckedAccount<'info>,

    /// The system program.
    pub system_program: Program<'info, System>,
}

impl CreateMarket<'_> {
    pub fn validate(
        &self,
        symbol: &[u8; 16],
        oracle: &OracleConfig,
        risk: &MarketRiskParams,
    ) -> Result<()> {
        risk.validate()?;
        require!(
            self.vault.market_count < Market::MAX_MARKETS_PER_VAULT,
            VaultError::TooManyMarkets
        );
        let len = symbol.iter().position(|&b| b == 0).unwrap_or(symbol.len());
        require!(
            len > 0
                && symbol[..len].iter().all(|b| b.is_ascii_graphic())
                && symbol[len..].iter().all(|&b| b == 0),
            VaultError::InvalidSymbol
        );
        oracle.validate()
    }
}

pub fn handle_create_market(
    ctx: Context<CreateMarket>,
    symbol: [u8; 16],
    oracle: OracleConfig,
    risk: MarketRiskParams,
) -> Result<()> {
    ctx.accounts.validate(&symbol, &oracle, &risk)?;
    let clock = Clock::get()?;
    let price = oracle::read_price(
        &ctx.accounts.oracle.to_account_info(),
        &oracle,
        clock.unix_timestamp,
    )?;

    let vault = &mut ctx.accounts.vault;
    let index = vault.market_count;
    vault.market_count = index.checked_add(1).or_overflow()?;

    let market = &mut ctx.accounts.market;
    market.set_inner(Market {
        vault: vault.key(),
        index,
        bump: ctx.bumps.market,
        symbol,
        oracle,
        risk,
        book: ctx.accounts.book.key(),
        surface: ctx.accounts.surface.key(),
        hedge_book: ctx.accounts.hedge_book.key(),
        last_price: price.price,
        last_conf: price.conf,
        last_publish_time: price.publish_time,
        last_price_slot: clock.slot,
    });
    let mut book = ctx.accounts.book.load_init()?;
    book.market = market.key();
    book.bump = ctx.bumps.book;
    let mut surface = ctx.accounts.surface.load_init()?;
    surface.market = market.key();
    surface.bump = ctx.bumps.surface;
    let mut hedge_book = ctx.accounts.hedge_book.load_init()?;
    hedge_book.market = market.key();
    hedge_book.bump = ctx.bumps.hedge_book;
    emit!(MarketCreated {
        vault: vault.key(),
        market: market.key(),
        market_index: index,
        symbol,
        oracle,
        risk,
    });
    Ok(())
}
