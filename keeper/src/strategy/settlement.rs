//! Settlement from the keeper's side: the series settles at the earliest oracle update published
//! at or after its expiry (SECURITY.md, "Settlement"). `settle_series` accepts a proposal of any
//! update in the window, and a later call replaces it with an earlier one until the proposal is
//! final. So the keeper proposes the earliest update it has seen, and disputes any standing
//! proposal later than that.
//!
//! The market's oracle account holds only the newest update, and by the time a proposal is
//! judged it has moved on. The keeper therefore keeps every update it observes (the daemon's
//! oracle subscription sees each one, a cycle its own read) in [`ObservedUpdates`], and posts the
//! one it needs again into an account of its own ([`SettlementUpdate::Repost`]). On a local
//! validator the localnet publisher at the receiver's address posts it; on mainnet the same
//! step is a Hermes update for that publish time posted through the Pyth receiver, which this
//! keeper does not carry yet (`CycleConfig::repost_settlement_updates` stays off there and the
//! keeper proposes only what the live oracle account holds).
use std::collections::BTreeMap;
use std::sync::Mutex;

use anchor_lang::prelude::Pubkey;
use exposure_vault::oracle::OraclePrice;
use exposure_vault::state::Series;

/// How long observed updates are kept: well past any settlement window (at most an hour,
/// `MarketRiskParams::MAX_SETTLEMENT_WINDOW_SECS`) and its dispute period.
pub const RETAIN_SECS: i64 = 3 * 3_600;

/// Every oracle update the keeper has seen in the last [`RETAIN_SECS`], per oracle account, by
/// publish time.
#[derive(Default)]
pub struct ObservedUpdates {
    by_oracle: Mutex<BTreeMap<Pubkey, BTreeMap<i64, OraclePrice>>>,
}

impl ObservedUpdates {
    /// Records `update`, read from `oracle`; forgets what is older than `RETAIN_SECS` before it.
    pub fn observe(&self, oracle: Pubkey, update: OraclePrice) {
        if let Ok(mut by_oracle) = self.by_oracle.lock() {
            let seen = by_oracle.entry(oracle).or_default();
            seen.entry(update.publish_time).or_insert(update);
            let keep_from = update.publish_time.saturating_sub(RETAIN_SECS);
            *seen = seen.split_off(&keep_from);
        }
    }

    /// The earliest update from `oracle` published at or after `time`.
    pub fn earliest_at_or_after(&self, oracle: &Pubkey, time: i64) -> Option<OraclePrice> {
        let by_oracle = self.by_oracle.lock().ok()?;
        by_oracle
            .get(oracle)?
            .range(time..)
            .next()
            .map(|(_, update)| *update)
    }
}

/// Which account carries the update a `settle_series` call proposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettlementUpdate {
    /// The market's oracle account, as it stands.
    MarketOracle,
    /// An observed update the oracle account no longer holds, posted again first.
    Repost(OraclePrice),
}

/// What `settle_series` call a series needs now, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettlementStep {
    /// The first proposal, at the earliest update the keeper knows.
    Propose(SettlementUpdate),
    /// A standing proposal is later than an update the keeper knows: replace it.
    Dispute(SettlementUpdate),
    /// The proposal stood through its dispute period.
    Finalise,
}

/// The step for `series` at `now`, with the market's settlement window, the oracle account's
/// current update and the earliest observed update at or after expiry. Without reposting only
/// the oracle account's own update can be proposed, and nothing can be disputed.
pub fn settlement_step(
    series: &Series,
    now: i64,
    window_secs: i64,
    oracle: Option<OraclePrice>,
    earliest: Option<OraclePrice>,
    repost: bool,
) -> Option<SettlementStep> {
    let expiry = series.expiry_ts;
    if series.is_settled() || now < expiry {
        return None;
    }
    let carried_by = |update: OraclePrice| {
        if oracle.is_some_and(|o| o.publish_time == update.publish_time) {
            Some(SettlementUpdate::MarketOracle)
        } else {
            repost.then_some(SettlementUpdate::Repost(update))
        }
    };
    if series.is_settling() {
        if now >= series.settlement_final_ts {
            return Some(SettlementStep::Finalise);
        }
        let earlier = earliest.filter(|e| {
            e.publish_time >= expiry && e.publish_time < series.settlement_publish_time
        })?;
        return carried_by(earlier).map(SettlementStep::Dispute);
    }
    if !series.is_listed() {
        return None;
    }
    // Inside the window a proposal must be published within it; once the window has passed
    // with no proposal, any update after expiry settles the series.
    let proposable =
        |t: i64| t >= expiry && (t <= expiry + window_secs || now > expiry + window_secs);
    let candidate = earliest
        .filter(|e| proposable(e.publish_time))
        .and_then(carried_by)
        .or_else(|| {
            oracle
                .filter(|o| proposable(o.publish_time))
                .map(|_| SettlementUpdate::MarketOracle)
        })?;
    Some(SettlementStep::Propose(candidate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use exposure_vault::state::series_status;

    const EXPIRY: i64 = 1_000;
    const WINDOW: i64 = 600;

    fn update(publish_time: i64, dollars: u64) -> OraclePrice {
        OraclePrice {
            price: dollars * 1_000_000,
            conf: 1_000_000,
            publish_time,
        }
    }

    fn listed() -> Series {
        Series {
            expiry_ts: EXPIRY,
            status: series_status::LISTED,
            ..Series::default()
        }
    }

    fn settling(publish_time: i64, final_ts: i64) -> Series {
        Series {
            status: series_status::SETTLING,
            settlement_publish_time: publish_time,
            settlement_final_ts: final_ts,
            ..listed()
        }
    }

    #[test]
    fn observed_updates_give_the_earliest_at_or_after_a_time() {
        let seen = ObservedUpdates::default();
        let oracle = Pubkey::new_unique();
        for t in [990, 1_003, 1_001, 1_010] {
            seen.observe(oracle, update(t, 65_000));
        }
        assert_eq!(
            seen.earliest_at_or_after(&oracle, EXPIRY)
                .map(|u| u.publish_time),
            Some(1_001)
        );
        assert_eq!(seen.earliest_at_or_after(&oracle, 1_011), None);
        assert_eq!(seen.earliest_at_or_after(&Pubkey::new_unique(), 0), None);
        // Older than the retention before the newest: forgotten.
        seen.observe(oracle, update(1_001 + RETAIN_SECS + 1, 65_000));
        assert_eq!(
            seen.earliest_at_or_after(&oracle, EXPIRY)
                .map(|u| u.publish_time),
            Some(1_003)
        );
    }

    #[test]
    fn the_keeper_proposes_the_earliest_update_it_saw_not_the_oracles_newest() {
        let oracle = Some(update(1_030, 66_000));
        let earliest = Some(update(1_002, 65_000));
        assert_eq!(
            settlement_step(&listed(), 1_031, WINDOW, oracle, earliest, true),
            Some(SettlementStep::Propose(SettlementUpdate::Repost(update(
                1_002, 65_000
            ))))
        );
        // The oracle still holds it: proposed from the oracle account.
        assert_eq!(
            settlement_step(&listed(), 1_003, WINDOW, earliest, earliest, true),
            Some(SettlementStep::Propose(SettlementUpdate::MarketOracle))
        );
        // Without reposting, the oracle account's own update.
        assert_eq!(
            settlement_step(&listed(), 1_031, WINDOW, oracle, earliest, false),
            Some(SettlementStep::Propose(SettlementUpdate::MarketOracle))
        );
        // Nothing before expiry, nothing from an update before expiry.
        assert_eq!(
            settlement_step(&listed(), 999, WINDOW, oracle, earliest, true),
            None
        );
        assert_eq!(
            settlement_step(&listed(), 1_001, WINDOW, Some(update(999, 1)), None, true),
            None
        );
    }

    #[test]
    fn a_late_proposal_is_disputed_with_the_earlier_update_and_an_honest_one_stands() {
        let late = settling(1_030, 1_630);
        let earliest = Some(update(1_002, 65_000));
        let oracle = Some(update(1_040, 70_000));
        assert_eq!(
            settlement_step(&late, 1_041, WINDOW, oracle, earliest, true),
            Some(SettlementStep::Dispute(SettlementUpdate::Repost(update(
                1_002, 65_000
            ))))
        );
        // Without reposting the keeper cannot bring it back.
        assert_eq!(
            settlement_step(&late, 1_041, WINDOW, oracle, earliest, false),
            None
        );
        // A proposal at the earliest update is left alone, then finalised.
        let honest = settling(1_002, 1_602);
        assert_eq!(
            settlement_step(&honest, 1_041, WINDOW, oracle, earliest, true),
            None
        );
        assert_eq!(
            settlement_step(&honest, 1_602, WINDOW, oracle, earliest, true),
            Some(SettlementStep::Finalise)
        );
    }

    #[test]
    fn past_the_window_any_update_after_expiry_is_proposed() {
        let oracle = Some(update(2_000, 66_000));
        assert_eq!(
            settlement_step(&listed(), 2_001, WINDOW, oracle, None, true),
            Some(SettlementStep::Propose(SettlementUpdate::MarketOracle))
        );
        // Inside the window an update past it is not proposable.
        assert_eq!(
            settlement_step(&listed(), 1_500, WINDOW, Some(update(1_700, 1)), None, true),
            None
        );
    }
}
