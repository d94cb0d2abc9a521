//! The hedge leg: one linear perpetual per market, marked to the oracle, between the vault and
//! registered hedge providers (docs/ARCHITECTURE.md, "Hedge leg").
//!
//! Accounting follows Drift's perps: a position is `(size, quote_entry)` where `quote_entry` is
//! minus the quote paid for the size held (`−Σ Δsize·fill`), so its value at price `p` is
//! `size·p + quote_entry` and realised and unrealised PnL need no separate bookkeeping. A fill
//! moves one rounded quote amount between the two sides, so the leg is zero-sum by
//! construction. Unsigned multiply/divide only: SBF has no signed divide.
use crate::fixed::{mul_div, Rounding};
use crate::precision::{BPS_DENOMINATOR, SIZE_PRECISION};

/// A perpetual position: `size` in SIZE_PRECISION (long > 0), `quote_entry` in quote
/// (PRICE_PRECISION dollars).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PerpPosition {
    pub size: i64,
    pub quote_entry: i64,
}

/// `|size|·price / SIZE_PRECISION` with the given rounding.
fn quote_of(size: u64, price: u64, rounding: Rounding) -> Option<u64> {
    mul_div(size, price, SIZE_PRECISION, rounding)
}

impl PerpPosition {
    /// Notional `|size|·price`, rounded up (requirements are never understated).
    pub fn notional(&self, price: u64) -> Option<u64> {
        quote_of(self.size.unsigned_abs(), price, Rounding::Up)
    }

    /// Mark value `size·price + quote_entry`, rounded down (equity is never overstated).
    pub fn value(&self, price: u64) -> Option<i64> {
        let held = if self.size >= 0 {
            i64::try_from(quote_of(self.size.unsigned_abs(), price, Rounding::Down)?).ok()?
        } else {
            i64::try_from(quote_of(self.size.unsigned_abs(), price, Rounding::Up)?)
                .ok()?
                .checked_neg()?
        };
        held.checked_add(self.quote_entry)
    }

    /// Margin requirement: `factor_bps` of notional, rounded up.
    pub fn requirement(&self, price: u64, factor_bps: u16) -> Option<u64> {
        mul_div(
            self.notional(price)?,
            u64::from(factor_bps),
            BPS_DENOMINATOR,
            Rounding::Up,
        )
    }
}

/// The price a taker pays (buying) or receives (selling) on a quote `spread_bps` around
/// `oracle`: buys round up, sells round down, both against the taker.
pub fn fill_price(oracle: u64, spread_bps: u16, taker_buys: bool) -> Option<u64> {
    let spread = u64::from(spread_bps);
    if taker_buys {
        mul_div(
            oracle,
            BPS_DENOMINATOR.checked_add(spread)?,
            BPS_DENOMINATOR,
            Rounding::Up,
        )
    } else {
        mul_div(
            oracle,
            BPS_DENOMINATOR.checked_sub(spread)?,
            BPS_DENOMINATOR,
            Rounding::Down,
        )
    }
}

/// Whether `fill` is within `max_slippage_bps` of `oracle` on the taker's side.
pub fn within_slippage(fill: u64, oracle: u64, max_slippage_bps: u16, taker_buys: bool) -> bool {
    let slippage = u64::from(max_slippage_bps);
    if taker_buys {
        BPS_DENOMINATOR
            .checked_add(slippage)
            .and_then(|f| mul_div(oracle, f, BPS_DENOMINATOR, Rounding::Down))
            .is_some_and(|limit| fill <= limit)
    } else {
        BPS_DENOMINATOR
            .checked_sub(slippage)
            .and_then(|f| mul_div(oracle, f, BPS_DENOMINATOR, Rounding::Up))
            .is_some_and(|limit| fill >= limit)
    }
}

/// Whether a hedge fill of `traded_notional` that takes the vault's net dollar delta from
/// `before` to `after` hedges: it must cut |delta| by at least half of what it trades. A fill
/// toward zero cuts by all of it; one through zero may overshoot by a third of `before` (the
/// keeper's delta is a model estimate). The rule bounds the hedge volume a keeper key can make
/// the vault pay spread on to twice the delta the market creates: without it a rogue keeper
/// could churn buys and sells against an accomplice's wide quote without end.
pub fn hedges_net_delta(before: i128, after: i128, traded_notional: u64) -> bool {
    cuts_exposure(before, after, u128::from(traded_notional))
}

/// Whether a hedge that trades `traded` of an exposure (in the exposure's units) and takes it
/// from `before` to `after` cuts it by at least half of that: the rule for the perpetual's
/// delta.
pub fn cuts_exposure(before: i128, after: i128, traded: u128) -> bool {
    let cut = before.unsigned_abs().saturating_sub(after.unsigned_abs());
    cut >= traded.div_ceil(2) && cut > 0
}

/// A vault's net vega (quote per vol point) and net dollar gamma (quote per 1% move) in one
/// market.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NetVegaGamma {
    pub vega: i128,
    pub gamma: i128,
}

/// The share (bps) of the option risk it trades that an option hedge must remove on chain.
pub const OPTION_HEDGE_MIN_CUT_BPS: u16 = 5_000;

/// Whether an option hedge that takes the vault from `before` to `after` cuts its option risk
/// by at least `min_cut_bps` of the option risk it trades. Option risk weighs each Greek by the
/// market's limit on it, as inventory pricing does: |vega| / `vega_cap` + |gamma| /
/// `gamma_cap`; the risk traded is the same sum over the moves. One option moves both Greeks:
/// a rule on vega alone refused a short-dated option bought against a gamma excess while vega
/// was flat, and a rule on either Greek alone let a keeper key churn one series (each buy
/// cutting gamma, each sale cutting vega). Here every accepted fill pays for itself in risk
/// removed, so a keeper can trade at most 10,000 / `min_cut_bps` times the risk the market
/// creates. False on overflow or a zero cap.
pub fn cuts_option_risk(
    before: NetVegaGamma,
    after: NetVegaGamma,
    (vega_cap, gamma_cap): (u64, u64),
    min_cut_bps: u16,
) -> bool {
    let (vega_cap, gamma_cap) = (u128::from(vega_cap), u128::from(gamma_cap));
    // Both sides times vega_cap · gamma_cap: integers throughout.
    let weigh = |vega: u128, gamma: u128| {
        vega.checked_mul(gamma_cap)?
            .checked_add(gamma.checked_mul(vega_cap)?)
    };
    let risk = |g: NetVegaGamma| weigh(g.vega.unsigned_abs(), g.gamma.unsigned_abs());
    let traded = weigh(
        after.vega.abs_diff(before.vega),
        after.gamma.abs_diff(before.gamma),
    );
    let (Some(before), Some(after), Some(traded)) = (risk(before), risk(after), traded) else {
        return false;
    };
    let cut = before.saturating_sub(after);
    let needed = traded.checked_mul(u128::from(min_cut_bps));
    vega_cap > 0
        && gamma_cap > 0
        && cut > 0
        && cut
            .checked_mul(u128::from(BPS_DENOMINATOR))
            .zip(needed)
            .is_some_and(|(cut, needed)| cut >= needed)
}

/// Whether an option hedge's vol is within `edge_bps` of the surface's vol on the side that
/// costs the vault: a buy at most that much above, a sale at most that much below.
pub fn vol_within_edge(fill_vol: u64, surface_vol: u64, edge_bps: u16, vault_buys: bool) -> bool {
    let edge = u128::from(surface_vol) * u128::from(edge_bps) / u128::from(BPS_DENOMINATOR);
    let fill = u128::from(fill_vol);
    let surface = u128::from(surface_vol);
    if vault_buys {
        fill <= surface + edge
    } else {
        fill + edge >= surface
    }
}

/// A taker trades `size` (> 0 buys, < 0 sells) with a maker at `fill`: both positions move and
/// one quote amount, rounded against the taker, changes hands.
pub fn trade(
    taker: &mut PerpPosition,
    maker: &mut PerpPosition,
    size: i64,
    fill: u64,
) -> Option<()> {
    if size == 0 {
        return None;
    }
    let buys = size > 0;
    let rounding = if buys { Rounding::Up } else { Rounding::Down };
    let quote = i64::try_from(quote_of(size.unsigned_abs(), fill, rounding)?).ok()?;
    let taker_quote = if buys { quote.checked_neg()? } else { quote };
    let new_taker = PerpPosition {
        size: taker.size.checked_add(size)?,
        quote_entry: taker.quote_entry.checked_add(taker_quote)?,
    };
    let new_maker = PerpPosition {
        size: maker.size.checked_sub(size)?,
        quote_entry: maker.quote_entry.checked_sub(taker_quote)?,
    };
    *taker = new_taker;
    *maker = new_maker;
    Some(())
}

/// A provider's standing quote as the selection sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandingQuote {
    /// Most the provider will sell (the vault buys), SIZE_PRECISION.
    pub max_taker_buy: u64,
    /// Most the provider will buy (the vault sells).
    pub max_taker_sell: u64,
    pub spread_bps: u16,
    pub expiry_ts: i64,
}

impl StandingQuote {
    pub fn is_live(&self, now: i64) -> bool {
        now < self.expiry_ts
    }

    pub fn capacity(&self, taker_buys: bool) -> u64 {
        if taker_buys {
            self.max_taker_buy
        } else {
            self.max_taker_sell
        }
    }
}

/// The maker's position after a taker fills the quote's whole capacity at `price`, buying
/// (`[0]`) or selling (`[1]`). A provider whose quote is backed meets initial margin in both, so
/// a quote the provider could not honour is never "best" (SECURITY.md, "Hedge providers").
pub fn after_full_fills(
    maker: PerpPosition,
    quote: &StandingQuote,
    price: u64,
) -> Option<[PerpPosition; 2]> {
    let mut out = [maker; 2];
    for (position, taker_buys) in out.iter_mut().zip([true, false]) {
        let size = i64::try_from(quote.capacity(taker_buys)).ok()?;
        if size != 0 {
            let mut taker = PerpPosition::default();
            trade(
                &mut taker,
                position,
                if taker_buys { size } else { -size },
                price,
            )?;
        }
    }
    Some(out)
}

/// Whether going from `before` to `after` only shrinks the position (toward zero, never through
/// it): such a fill adds no risk to the provider, so it needs no margin beyond what it has.
pub fn only_reduces(before: &PerpPosition, after: &PerpPosition) -> bool {
    after.size.unsigned_abs() <= before.size.unsigned_abs()
        && (after.size == 0 || after.size.signum() == before.size.signum())
}

/// The best live quote able to fill `size` whole: the tightest spread, the first on ties.
pub fn best_quote(quotes: &[StandingQuote], size: i64, now: i64) -> Option<usize> {
    let taker_buys = size > 0;
    quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| q.is_live(now) && q.capacity(taker_buys) >= size.unsigned_abs())
        .min_by_key(|(i, q)| (q.spread_bps, *i))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ONE: i64 = SIZE_PRECISION as i64;

    #[test]
    fn full_fills_take_each_side_of_the_quote() {
        let quote = StandingQuote {
            max_taker_buy: 2 * ONE as u64,
            max_taker_sell: ONE as u64,
            spread_bps: 10,
            expiry_ts: 100,
        };
        let maker = PerpPosition {
            size: ONE,
            quote_entry: -65_000_000_000,
        };
        let [bought, sold] = after_full_fills(maker, &quote, 65_000_000_000).unwrap();
        assert_eq!(bought.size, -ONE);
        assert_eq!(bought.quote_entry, 65_000_000_000);
        assert_eq!(sold.size, 2 * ONE);
        assert_eq!(sold.quote_entry, -130_000_000_000);
        let empty = StandingQuote {
            max_taker_buy: 0,
            max_taker_sell: 0,
            ..quote
        };
        assert_eq!(after_full_fills(maker, &empty, 1).unwrap(), [maker, maker]);
        assert!(only_reduces(&maker, &PerpPosition::default()));
        assert!(only_reduces(&maker, &maker));
        assert!(!only_reduces(&maker, &bought), "through zero");
        assert!(!only_reduces(&maker, &sold), "larger");
    }

    const P: u64 = 65_000_000_000; // $65,000

    #[test]
    fn long_gains_what_the_short_loses() {
        let (mut vault, mut provider) = (PerpPosition::default(), PerpPosition::default());
        let fill = fill_price(P, 10, true).expect("fill");
        assert_eq!(fill, 65_065_000_000);
        trade(&mut vault, &mut provider, 2 * ONE, fill).expect("trade");
        assert_eq!(
            vault,
            PerpPosition {
                size: 2 * ONE,
                quote_entry: -130_130_000_000
            }
        );
        assert_eq!(
            provider,
            PerpPosition {
                size: -2 * ONE,
                quote_entry: 130_130_000_000
            }
        );
        // At $66,000 the long made 2·(66,000 − 65,065) = $1,870.
        let up = 66_000_000_000;
        assert_eq!(vault.value(up), Some(1_870_000_000));
        assert_eq!(provider.value(up), Some(-1_870_000_000));
        assert_eq!(vault.requirement(up, 500), Some(6_600_000_000));
    }

    #[test]
    fn slippage_bound_is_on_the_takers_side() {
        assert!(within_slippage(
            fill_price(P, 20, true).expect("buy"),
            P,
            20,
            true
        ));
        assert!(!within_slippage(
            fill_price(P, 21, true).expect("buy"),
            P,
            20,
            true
        ));
        assert!(within_slippage(
            fill_price(P, 20, false).expect("sell"),
            P,
            20,
            false
        ));
        assert!(!within_slippage(
            fill_price(P, 21, false).expect("sell"),
            P,
            20,
            false
        ));
    }

    #[test]
    fn a_hedge_must_cut_net_delta_by_half_what_it_trades() {
        // Toward zero: the whole trade is a cut.
        assert!(hedges_net_delta(-100, -40, 60));
        assert!(hedges_net_delta(100, 0, 100));
        // Through zero by up to a third of where it started.
        assert!(hedges_net_delta(-90, 30, 120));
        assert!(!hedges_net_delta(-90, 31, 121));
        // Away from zero, from zero, or a churn that goes back and forth.
        assert!(!hedges_net_delta(-100, -160, 60));
        assert!(!hedges_net_delta(0, 10, 10));
        assert!(!hedges_net_delta(0, 0, 0));
        assert!(!hedges_net_delta(-100, 100, 200));
    }

    const CAPS: (u64, u64) = (50_000, 100_000);

    fn vg(vega: i128, gamma: i128) -> NetVegaGamma {
        NetVegaGamma { vega, gamma }
    }

    #[test]
    fn an_option_hedge_must_cut_cap_weighted_vega_and_gamma() {
        let cut = |before, after| cuts_option_risk(before, after, CAPS, OPTION_HEDGE_MIN_CUT_BPS);
        // With gamma unchanged it is the delta rule on vega.
        assert!(cut(vg(-1_000, 0), vg(-400, 0)));
        assert!(cut(vg(-900, 0), vg(300, 0)));
        assert!(!cut(vg(-900, 0), vg(301, 0)));
        assert!(!cut(vg(-1_000, 0), vg(-1_600, 0)));
        // Vega flat, gamma short: a short-dated option whose gamma share of its cap is at least
        // three times its vega share cuts the risk by half of what it trades, no less.
        assert!(cut(vg(0, -6_000), vg(1_000, 0)));
        assert!(!cut(vg(0, -6_000), vg(1_001, 0)));
        // Short both: buying cuts both.
        assert!(cut(vg(-1_000, -4_000), vg(-200, -1_000)));
        // Nothing to cut, nothing traded, a zero cap.
        assert!(!cut(vg(0, 0), vg(10, 10)));
        assert!(!cut(vg(-5, -5), vg(-5, -5)));
        assert!(!cuts_option_risk(
            vg(-1_000, 0),
            vg(0, 0),
            (50_000, 0),
            5_000
        ));
        // Extreme values refuse rather than wrap.
        assert!(!cut(vg(i128::MIN, 0), vg(0, 0)));
    }

    #[test]
    fn churning_one_series_back_and_forth_is_refused() {
        // Long vega, short gamma (a calendar): buying a front-month option cuts gamma and adds
        // vega; selling it back cuts vega and adds gamma. Either rule alone accepts both legs.
        let start = vg(2_000, -8_000);
        let bought = vg(2_500, -3_000);
        let cut = |before, after| cuts_option_risk(before, after, CAPS, OPTION_HEDGE_MIN_CUT_BPS);
        assert!(cut(start, bought));
        assert!(!cut(bought, start));
    }

    #[test]
    fn option_hedges_stay_within_the_vol_edge() {
        // 5% of a 60% vol: buys up to 63%, sales down to 57%.
        assert!(vol_within_edge(630_000, 600_000, 500, true));
        assert!(!vol_within_edge(630_001, 600_000, 500, true));
        assert!(vol_within_edge(570_000, 600_000, 500, false));
        assert!(!vol_within_edge(569_999, 600_000, 500, false));
        // The side that favours the vault is never limited.
        assert!(vol_within_edge(100_000, 600_000, 0, true));
        assert!(vol_within_edge(2_000_000, 600_000, 0, false));
    }

    proptest! {
        /// However the keeper splits its fills, what it can trade is at most twice the delta it
        /// started with: every accepted fill pays for itself in |delta| removed.
        #[test]
        fn accepted_fills_trade_at_most_twice_the_starting_delta(
            start in -1_000_000i128..1_000_000,
            fills in proptest::collection::vec(-2_000_000i128..2_000_000, 1..40),
        ) {
            let mut delta = start;
            let mut traded = 0u128;
            for fill in fills {
                let after = delta + fill;
                if hedges_net_delta(delta, after, fill.unsigned_abs() as u64) {
                    delta = after;
                    traded += fill.unsigned_abs();
                }
            }
            prop_assert!(traded <= 2 * start.unsigned_abs());
        }
    }

    proptest! {
        /// Whatever series (mixes of vega and gamma) a keeper fills, in any order, the option
        /// risk it trades is at most twice the risk it started with.
        #[test]
        fn accepted_option_hedges_trade_at_most_twice_the_starting_risk(
            start in (-1_000_000i128..1_000_000, -1_000_000i128..1_000_000),
            fills in proptest::collection::vec(
                (-100_000i128..100_000, 0i128..50, any::<bool>()), 1..60),
        ) {
            let (vega_cap, gamma_cap) = (50_000u128, 100_000u128);
            let weigh = |v: u128, g: u128| v * gamma_cap + g * vega_cap;
            let mut at = vg(start.0, start.1);
            let initial = weigh(at.vega.unsigned_abs(), at.gamma.unsigned_abs());
            let mut traded = 0u128;
            for (vega, ratio, back) in fills {
                // An option adds vega and gamma of one sign; the ratio is its tenor.
                let step = if back { -1 } else { 1 };
                let after = vg(at.vega + step * vega.abs(), at.gamma + step * vega.abs() * ratio);
                if cuts_option_risk(at, after, (50_000, 100_000), OPTION_HEDGE_MIN_CUT_BPS) {
                    traded += weigh(after.vega.abs_diff(at.vega), after.gamma.abs_diff(at.gamma));
                    at = after;
                }
            }
            prop_assert!(traded <= 2 * initial);
        }
    }

    #[test]
    fn best_quote_is_the_tightest_live_one_with_capacity() {
        let q = |buy, sell, spread, expiry| StandingQuote {
            max_taker_buy: buy,
            max_taker_sell: sell,
            spread_bps: spread,
            expiry_ts: expiry,
        };
        let quotes = [
            q(5, 5, 8, 100),
            q(1, 9, 3, 100),
            q(9, 9, 5, 50),
            q(9, 0, 6, 100),
        ];
        assert_eq!(best_quote(&quotes, 4, 10), Some(2)); // index 1 is too small to buy 4
        assert_eq!(best_quote(&quotes, 4, 60), Some(3)); // index 2 has expired
        assert_eq!(best_quote(&quotes, -4, 60), Some(1));
        assert_eq!(best_quote(&quotes, 10, 10), None);
    }

    proptest! {
        /// Any sequence of fills between the vault and providers is zero-sum at every price,
        /// up to one rounding unit per position, and conserves size.
        #[test]
        fn the_leg_is_zero_sum(
            fills in proptest::collection::vec((-50 * ONE..50 * ONE, 1_000_000u64..200_000_000_000, 0u16..500), 1..30),
            mark in 1_000_000u64..200_000_000_000,
        ) {
            let mut vault = PerpPosition::default();
            let mut providers = [PerpPosition::default(); 3];
            for (i, (size, oracle, spread)) in fills.iter().enumerate() {
                if *size == 0 { continue; }
                let fill = fill_price(*oracle, *spread, *size > 0).expect("fill");
                trade(&mut vault, &mut providers[i % 3], *size, fill).expect("trade");
            }
            let sizes: i64 = providers.iter().map(|p| p.size).sum();
            let quotes: i64 = providers.iter().map(|p| p.quote_entry).sum();
            prop_assert_eq!(vault.size, -sizes);
            prop_assert_eq!(vault.quote_entry, -quotes);
            let total = vault.value(mark).expect("value")
                + providers.iter().map(|p| p.value(mark).expect("value")).sum::<i64>();
            prop_assert!((-4..=0).contains(&total), "{}", total);
        }
    }
}
