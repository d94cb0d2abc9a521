//! Pyth price reads behind one entry point, `read_price`.
//!
//! Both layouts are parsed into a `RawReading`; `validate` then applies the same checks to
//! either: staleness, confidence, positivity, and exponent normalisation to PRICE_PRECISION.
//! Owner and feed/account identity are checked by the layout readers before that.
use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::math::price::{self, PriceError};
use crate::state::{Market, OracleConfig, OracleKind};

#[cfg(feature = "pyth-legacy")]
pub mod pyth_legacy;
pub mod pyth_pull;

/// A validated oracle price in PRICE_PRECISION.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OraclePrice {
    pub price: u64,
    pub conf: u64,
    pub publish_time: i64,
}

/// What either Pyth layout says, before any check on its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawReading {
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
}

/// Reads and validates the oracle `account` for a market configured with `config`.
pub fn read_price(account: &AccountInfo, config: &OracleConfig, now: i64) -> Result<OraclePrice> {
    let raw = read_raw(account, config)?;
    Ok(validate(&raw, config, now)?)
}

/// The market's price for this slot, the one rule every price-sensitive instruction follows.
///
/// A Pyth pull update is any account a caller posts, so a caller can offer any verified price
/// younger than the age limit. Two rules take that choice away (SECURITY.md, "Oracle
/// discipline"):
/// - prices never go back in time: an update older than the one the market last accepted is
///   refused with `OraclePriceNotNewest`;
/// - a slot has one price: the first update accepted in a slot is the market's price for the
///   whole slot, so instructions chained in one transaction (refresh at one price, deposit,
///   refresh at another, withdraw) all see the same price. A newer update offered later in the
///   slot is checked but not applied.
pub fn read_market_price(
    market: &mut Market,
    account: &AccountInfo,
    clock: &Clock,
) -> Result<OraclePrice> {
    let price = read_accepted_price(market, account, clock)?;
    if market.last_price_slot != clock.slot || market.last_publish_time == 0 {
        market.last_price = price.price;
        market.last_conf = price.conf;
        market.last_publish_time = price.publish_time;
        market.last_price_slot = clock.slot;
    }
    Ok(price)
}

/// `read_market_price` without recording it (read-only instructions).
pub fn read_accepted_price(
    market: &Market,
    account: &AccountInfo,
    clock: &Clock,
) -> Result<OraclePrice> {
    let raw = read_raw(account, &market.oracle)?;
    let offered = validate(&raw, &market.oracle, clock.unix_timestamp)?;
    Ok(accept(market, offered, clock, market.oracle.max_age_secs)?)
}

/// The market's newest accepted price while it is within the oracle's age limit, else
/// `read_accepted_price` from `account`: for checks that move no money (a provider's quote
/// backing), so a provider need not post a fresh pull-oracle update with every quote.
pub fn newest_accepted_price(
    market: &Market,
    account: &AccountInfo,
    clock: &Clock,
) -> Result<OraclePrice> {
    let age = clock
        .unix_timestamp
        .saturating_sub(market.last_publish_time);
    if market.last_publish_time != 0 && age <= i64::from(market.oracle.max_age_secs) {
        return Ok(OraclePrice {
            price: market.last_price,
            conf: market.last_conf,
            publish_time: market.last_publish_time,
        });
    }
    read_accepted_price(market, account, clock)
}

/// The monotonic and one-price-per-slot rules of `read_market_price` over a validated price.
/// The slot's price must itself be within `max_age_secs` of now.
pub fn accept(
    market: &Market,
    offered: OraclePrice,
    clock: &Clock,
    max_age_secs: u32,
) -> core::result::Result<OraclePrice, VaultError> {
    if offered.publish_time < market.last_publish_time {
        return Err(VaultError::OraclePriceNotNewest);
    }
    if market.last_price_slot == clock.slot && market.last_publish_time != 0 {
        let age = clock
            .unix_timestamp
            .saturating_sub(market.last_publish_time);
        if age > i64::from(max_age_secs) {
            return Err(VaultError::OracleStale);
        }
        return Ok(OraclePrice {
            price: market.last_price,
            conf: market.last_conf,
            publish_time: market.last_publish_time,
        });
    }
    Ok(offered)
}

/// Owner, identity and layout checks of either Pyth layout; no value checks yet.
fn read_raw(account: &AccountInfo, config: &OracleConfig) -> Result<RawReading> {
    Ok(match config.kind {
        #[cfg(feature = "pyth-legacy")]
        OracleKind::PythLegacy => pyth_legacy::read(account, config)?,
        #[cfg(not(feature = "pyth-legacy"))]
        OracleKind::PythLegacy => return err!(VaultError::OracleKindUnsupported),
        OracleKind::PythPull => pyth_pull::read(account, config)?,
    })
}

/// A settlement price for an expiry: a Pyth price published at or after `expiry_ts` and no
/// later than `latest`, with every value check (confidence, sign, exponent) of `read_price`.
pub fn read_settlement_price(
    account: &AccountInfo,
    config: &OracleConfig,
    expiry_ts: i64,
    latest: i64,
) -> Result<OraclePrice> {
    let raw = read_raw(account, config)?;
    require!(
        raw.publish_time >= expiry_ts,
        VaultError::SettlementPriceBeforeExpiry
    );
    require!(
        raw.publish_time <= latest,
        VaultError::SettlementPriceOutsideWindow
    );
    Ok(validate(&raw, config, raw.publish_time)?)
}

/// The value checks every read goes through, in order: positive price, exponent, staleness,
/// confidence.
pub fn validate(
    raw: &RawReading,
    config: &OracleConfig,
    now: i64,
) -> core::result::Result<OraclePrice, VaultError> {
    let (price, conf) = price::normalize(raw.price, raw.conf, raw.expo).map_err(|e| match e {
        PriceError::NonPositive => VaultError::OracleNonPositivePrice,
        PriceError::ExponentOutOfRange => VaultError::OracleExponentOutOfRange,
        PriceError::Overflow => VaultError::MathOverflow,
    })?;
    // A publish time slightly ahead of the validator clock is normal for Pyth; only age counts.
    let age = now.saturating_sub(raw.publish_time);
    if age > i64::from(config.max_age_secs) {
        return Err(VaultError::OracleStale);
    }
    let conf_bps = price::confidence_bps(price, conf).ok_or(VaultError::MathOverflow)?;
    if conf_bps > u64::from(config.max_conf_bps) {
        return Err(VaultError::OracleConfidenceTooWide);
    }
    Ok(OraclePrice {
        price,
        conf,
        publish_time: raw.publish_time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> OracleConfig {
        OracleConfig {
            kind: OracleKind::PythPull,
            price_account: Pubkey::default(),
            feed_id: [1; 32],
            max_age_secs: 60,
            max_conf_bps: 100,
        }
    }

    fn reading() -> RawReading {
        RawReading {
            price: 6_500_000_000_000,
            conf: 3_000_000_000,
            expo: -8,
            publish_time: 1_000,
        }
    }

    #[test]
    fn accepts_a_fresh_tight_price() {
        let p = validate(&reading(), &config(), 1_060).unwrap();
        assert_eq!(p.price, 65_000_000_000);
        assert_eq!(p.conf, 30_000_000);
    }

    #[test]
    fn each_failure_has_its_error() {
        let c = config();
        assert_eq!(
            validate(&reading(), &c, 1_061),
            Err(VaultError::OracleStale)
        );
        let wide = RawReading {
            conf: 66_000_000_000,
            ..reading()
        };
        assert_eq!(
            validate(&wide, &c, 1_000),
            Err(VaultError::OracleConfidenceTooWide)
        );
        let zero = RawReading {
            price: 0,
            ..reading()
        };
        assert_eq!(
            validate(&zero, &c, 1_000),
            Err(VaultError::OracleNonPositivePrice)
        );
        let negative = RawReading {
            price: -1,
            ..reading()
        };
        assert_eq!(
            validate(&negative, &c, 1_000),
            Err(VaultError::OracleNonPositivePrice)
        );
        let expo = RawReading {
            expo: 9,
            ..reading()
        };
        assert_eq!(
            validate(&expo, &c, 1_000),
            Err(VaultError::OracleExponentOutOfRange)
        );
    }
}
