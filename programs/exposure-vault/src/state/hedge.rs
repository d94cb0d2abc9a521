use anchor_lang::prelude::*;

use crate::math::hedge::{PerpPosition, StandingQuote};
use crate::math::precision::{BPS_DENOMINATOR, SIZE_PRECISION};

/// A hedge-leg perpetual position as stored on chain (see `math::hedge::PerpPosition`).
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PerpState {
    /// SIZE_PRECISION; long > 0.
    pub size: i64,
    /// Minus the quote paid for the size held, plus realised PnL not yet moved to collateral.
    pub quote_entry: i64,
}

impl PerpState {
    pub fn get(&self) -> PerpPosition {
        PerpPosition {
            size: self.size,
            quote_entry: self.quote_entry,
        }
    }

    pub fn set(&mut self, position: PerpPosition) {
        self.size = position.size;
        self.quote_entry = position.quote_entry;
    }

    pub fn is_flat(&self) -> bool {
        self.size == 0 && self.quote_entry == 0
    }
}

/// A provider's standing quote on one listed series, in vol terms: the vault buys at `ask_vol`
/// and sells at `bid_vol` (Black-76 at the oracle price), up to the sizes left on each side.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct OptionQuote {
    /// Most the provider still sells (the vault buys), SIZE_PRECISION; fills use it up.
    pub max_vault_buy: u64,
    /// Most the provider still buys (the vault sells).
    pub max_vault_sell: u64,
    /// VOL_PRECISION; 0 < bid ≤ ask.
    pub bid_vol: u64,
    pub ask_vol: u64,
    /// The quote is dead from this time on.
    pub expiry_ts: i64,
    pub series_index: u8,
    pub _padding: [u8; 7],
}

impl OptionQuote {
    pub fn is_live(&self, now: i64) -> bool {
        now < self.expiry_ts && (self.max_vault_buy > 0 || self.max_vault_sell > 0)
    }

    /// What is left on the side the vault takes (`vault_buys`).
    pub fn capacity(&self, vault_buys: bool) -> u64 {
        if vault_buys {
            self.max_vault_buy
        } else {
            self.max_vault_sell
        }
    }

    /// The vol the vault trades at on that side.
    pub fn vol(&self, vault_buys: bool) -> u64 {
        if vault_buys {
            self.ask_vol
        } else {
            self.bid_vol
        }
    }
}

/// One registered provider's standing quotes: on the market's perpetual, and on up to
/// `MAX_OPTION_QUOTES` listed series.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HedgeQuote {
    /// The provider's margin account on this market (it holds the provider's side).
    pub provider: Pubkey,
    /// Most the provider still sells (the vault buys), SIZE_PRECISION; fills use it up.
    pub max_vault_buy: u64,
    /// Most the provider still buys (the vault sells).
    pub max_vault_sell: u64,
    /// The quote is dead from this time on.
    pub expiry_ts: i64,
    /// Half-spread around the oracle price, in bps.
    pub spread_bps: u16,
    pub _padding: [u8; 6],
    pub options: [OptionQuote; HedgeQuote::MAX_OPTION_QUOTES],
}

impl HedgeQuote {
    pub const MAX_OPTION_QUOTES: usize = 4;

    /// Whether this quote holds its slot in a full book: a live perpetual quote the vault's
    /// hedge may fill (half-spread within the market's `max_hedge_slippage_bps`) of at least
    /// `min_size` on a side, or a live option quote of at least `min_size`. Anything less, a
    /// registration may evict (`register_hedge_provider`): a slot costs real, fillable
    /// liquidity, so eight dust quotes backed by a dollar each cannot lock the book.
    pub fn holds_slot(&self, now: i64, max_spread_bps: u16, min_size: u64) -> bool {
        let perp = now < self.expiry_ts
            && self.spread_bps <= max_spread_bps
            && self.max_vault_buy.max(self.max_vault_sell) >= min_size;
        perp || self
            .options
            .iter()
            .any(|q| q.is_live(now) && q.max_vault_buy.max(q.max_vault_sell) >= min_size)
    }

    /// Where a quote on `series_index` goes: the provider's quote on that series, else a dead
    /// one.
    pub fn option_slot(&self, series_index: u8, now: i64) -> Option<usize> {
        self.options
            .iter()
            .position(|q| q.series_index == series_index && q.expiry_ts != 0)
            .or_else(|| self.options.iter().position(|q| !q.is_live(now)))
    }

    pub fn standing(&self) -> StandingQuote {
        StandingQuote {
            max_taker_buy: self.max_vault_buy,
            max_taker_sell: self.max_vault_sell,
            spread_bps: self.spread_bps,
            expiry_ts: self.expiry_ts,
        }
    }
}

/// The market's hedge venue: registered providers' standing quotes and the keeper's rebalance
/// sequence. The vault's own perpetual lives in the `SeriesBook` next to its option positions,
/// so everything that values the vault's book sees it.
#[account(zero_copy)]
pub struct HedgeBook {
    pub market: Pubkey,
    /// Incremented by every `rebalance_hedge`; each one names the value it expects, so a
    /// retried or duplicated transaction cannot hedge twice.
    pub rebalance_seq: u64,
    pub quotes: [HedgeQuote; HedgeBook::MAX_PROVIDERS],
    pub provider_count: u8,
    pub bump: u8,
    pub _padding: [u8; 6],
}

impl HedgeBook {
    pub const MAX_PROVIDERS: usize = 8;
    /// Widest half-spread a provider may quote.
    pub const MAX_SPREAD_BPS: u16 = 500;
    /// Longest a standing quote may live.
    pub const MAX_QUOTE_LIFETIME_SECS: i64 = 7 * 86_400;
    /// The least a quote must offer to hold a slot in a full book, as a share of the market's
    /// delta cap (`MarketRiskParams::max_net_delta`): 1%, so eight slots hold at least 8% of
    /// the cap in fillable quotes.
    pub const MIN_SLOT_QUOTE_OF_DELTA_CAP_BPS: u64 = 100;

    /// `MIN_SLOT_QUOTE_OF_DELTA_CAP_BPS` of the delta cap (quote) in units of the underlying
    /// at `price` (SIZE_PRECISION, rounded up); 0 before the market has a price.
    pub fn min_slot_quote_size(max_net_delta: u64, price: u64) -> u64 {
        if price == 0 {
            return 0;
        }
        let notional = u128::from(max_net_delta)
            * u128::from(Self::MIN_SLOT_QUOTE_OF_DELTA_CAP_BPS)
            / u128::from(BPS_DENOMINATOR);
        u64::try_from((notional * u128::from(SIZE_PRECISION)).div_ceil(u128::from(price)))
            .unwrap_or(u64::MAX)
    }

    pub fn registered(&self) -> &[HedgeQuote] {
        &self.quotes[..usize::from(self.provider_count)]
    }

    pub fn slot_of(&self, provider: &Pubkey) -> Option<usize> {
        self.registered()
            .iter()
            .position(|q| q.provider == *provider)
    }

    /// Frees `slot`: the last registered quote moves into it.
    pub fn remove(&mut self, slot: usize) {
        let last = usize::from(self.provider_count).saturating_sub(1);
        if slot <= last {
            self.quotes[slot] = self.quotes[last];
            self.quotes[last] = HedgeQuote::default();
            self.provider_count = last as u8;
        }
    }
}
