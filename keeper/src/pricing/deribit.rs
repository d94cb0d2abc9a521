//! A volatility surface from a real venue: Deribit's public `public/get_book_summary_by_currency`
//! (`currency=BTC`, `kind=option`) response, fitted one raw-SVI slice per expiry.
//!
//! Each entry gives `instrument_name` (`BTC-13FEB26-100000-C`), `mark_iv` in vol points,
//! `underlying_price` (that expiry's forward), `creation_timestamp` (ms) and, when quoted,
//! `bid_iv` / `ask_iv`. Time to expiry is ACT/365 from the newest `creation_timestamp` to the
//! expiry at 08:00 UTC; log-moneyness is against the expiry's forward (the median of its
//! entries'). Weights: each point's Black-76 vega at its mark, divided by its bid/ask width in
//! vol points (at least one) when both sides are quoted, so illiquid wings, with little vega and
//! wide markets, do not bend the fit. Every bad input gets a named error.
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::pricing::black::{greeks_unchecked, OptionKind};
use crate::pricing::svi::{fit_smile, SmileQuote, SviRaw, VolSurface};

const YEAR_SECS: f64 = 365.0 * 86_400.0;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DeribitError {
    #[error("not JSON: {0}")]
    Json(String),
    #[error("the venue returned an error: {code} {message}")]
    Api { code: i64, message: String },
    #[error("no `result` list in the response")]
    NoResult,
    #[error("entry {index}: missing or non-numeric `{field}`")]
    MissingField { index: usize, field: &'static str },
    #[error("entry {index}: instrument name `{name}` does not parse as CCY-DDMMMYY-STRIKE-C|P")]
    BadInstrument { index: usize, name: String },
    #[error("{instrument}: mark_iv {iv} is not positive")]
    NonPositiveIv { instrument: String, iv: f64 },
    #[error("{instrument}: expired at {expiry_ts}, the summary was taken at {now}")]
    Expired {
        instrument: String,
        expiry_ts: i64,
        now: i64,
    },
    #[error("{instrument}: underlying_price {price} is not positive")]
    NonPositiveForward { instrument: String, price: f64 },
    #[error("no expiry has the 5 quotes a smile needs")]
    NoFittableExpiry,
}

/// One option of the summary.
#[derive(Clone, Debug, PartialEq)]
pub struct VenueQuote {
    pub instrument: String,
    pub expiry_ts: i64,
    pub strike: f64,
    pub kind: OptionKind,
    pub mark_iv: f64,
    pub bid_iv: Option<f64>,
    pub ask_iv: Option<f64>,
    pub forward: f64,
    pub created_ms: i64,
}

fn month(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `BTC-13FEB26-100000-C` → (expiry at 08:00 UTC, strike, kind).
pub fn parse_instrument(name: &str) -> Option<(i64, f64, OptionKind)> {
    let mut parts = name.split('-');
    let (_currency, date, strike, side) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || date.len() < 6 {
        return None;
    }
    let (day, rest) = date.split_at(date.len() - 5);
    let (mon, yy) = rest.split_at(3);
    let day: u32 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let year: i64 = 2_000 + yy.parse::<i64>().ok()?;
    let m = month(mon)?;
    let strike: f64 = strike
        .parse()
        .ok()
        .filter(|k: &f64| k.is_finite() && *k > 0.0)?;
    let kind = match side {
        "C" => OptionKind::Call,
        "P" => OptionKind::Put,
        _ => return None,
    };
    Some((
        days_from_civil(year, m, day) * 86_400 + 8 * 3_600,
        strike,
        kind,
    ))
}

/// The summary's option quotes, every one checked.
pub fn parse_summary(text: &str) -> Result<Vec<VenueQuote>, DeribitError> {
    let v: Value = serde_json::from_str(text).map_err(|e| DeribitError::Json(e.to_string()))?;
    if let Some(err) = v.get("error") {
        return Err(DeribitError::Api {
            code: err.get("code").and_then(Value::as_i64).unwrap_or(0),
            message: err
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        });
    }
    let entries = v
        .get("result")
        .and_then(Value::as_array)
        .ok_or(DeribitError::NoResult)?;
    let num = |e: &Value, index: usize, field: &'static str| {
        e.get(field)
            .and_then(Value::as_f64)
            .filter(|x| x.is_finite())
            .ok_or(DeribitError::MissingField { index, field })
    };
    let mut quotes = Vec::with_capacity(entries.len());
    for (index, e) in entries.iter().enumerate() {
        let name =
            e.get("instrument_name")
                .and_then(Value::as_str)
                .ok_or(DeribitError::MissingField {
                    index,
                    field: "instrument_name",
                })?;
        let (expiry_ts, strike, kind) =
            parse_instrument(name).ok_or_else(|| DeribitError::BadInstrument {
                index,
                name: name.into(),
            })?;
        let mark_iv = num(e, index, "mark_iv")?;
        if mark_iv <= 0.0 {
            return Err(DeribitError::NonPositiveIv {
                instrument: name.into(),
                iv: mark_iv,
            });
        }
        let forward = num(e, index, "underlying_price")?;
        if forward <= 0.0 {
            return Err(DeribitError::NonPositiveForward {
                instrument: name.into(),
                price: forward,
            });
        }
        let created_ms = num(e, index, "creation_timestamp")? as i64;
        let side = |field| {
            e.get(field)
                .and_then(Value::as_f64)
                .filter(|x| x.is_finite() && *x > 0.0)
        };
        quotes.push(VenueQuote {
            instrument: name.into(),
            expiry_ts,
            strike,
            kind,
            mark_iv: mark_iv / 100.0,
            bid_iv: side("bid_iv").map(|x| x / 100.0),
            ask_iv: side("ask_iv").map(|x| x / 100.0),
            forward,
            created_ms,
        });
    }
    let now = quotes.iter().map(|q| q.created_ms).max().unwrap_or(0) / 1_000;
    if let Some(q) = quotes.iter().find(|q| q.expiry_ts <= now) {
        return Err(DeribitError::Expired {
            instrument: q.instrument.clone(),
            expiry_ts: q.expiry_ts,
            now,
        });
    }
    Ok(quotes)
}

#[derive(Clone, Debug, Serialize)]
pub struct PointFit {
    pub instrument: String,
    pub strike: f64,
    pub market_iv: f64,
    pub fit_iv: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExpiryFit {
    pub expiry_ts: i64,
    pub t: f64,
    pub forward: f64,
    pub svi: SviRaw,
    pub rmse_vol_pts: f64,
    pub points: Vec<PointFit>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VenueSurface {
    /// The summary's time (its newest `creation_timestamp`), seconds.
    pub as_of: i64,
    pub expiries: Vec<ExpiryFit>,
    /// Expiries with fewer than 5 usable quotes, left out.
    pub skipped_expiries: Vec<i64>,
    pub butterfly_violations: usize,
    pub calendar_violations: usize,
}

impl VenueSurface {
    /// Total variance at `k` for an expiry at `expiry_ts`, interpolated linearly in time between
    /// the fitted expiries (at fixed k) as the program does, None beyond the last.
    pub fn total_variance_at(&self, expiry_ts: i64, k: f64) -> Option<f64> {
        let t = (expiry_ts - self.as_of) as f64 / YEAR_SECS;
        if t <= 0.0 || self.expiries.last().is_none_or(|e| e.expiry_ts < expiry_ts) {
            return None;
        }
        let surface = VolSurface::new(self.expiries.iter().map(|e| (e.t, e.svi)).collect()).ok()?;
        Some(surface.total_variance(k, t))
    }
}

/// Fits every expiry of `quotes` (from [`parse_summary`]).
pub fn fit(quotes: &[VenueQuote]) -> Result<VenueSurface, DeribitError> {
    let as_of = quotes.iter().map(|q| q.created_ms).max().unwrap_or(0) / 1_000;
    let mut by_expiry: BTreeMap<i64, Vec<&VenueQuote>> = BTreeMap::new();
    for q in quotes {
        by_expiry.entry(q.expiry_ts).or_default().push(q);
    }
    let (mut expiries, mut skipped) = (Vec::new(), Vec::new());
    for (expiry_ts, qs) in by_expiry {
        let t = (expiry_ts - as_of) as f64 / YEAR_SECS;
        let mut forwards: Vec<f64> = qs.iter().map(|q| q.forward).collect();
        forwards.sort_by(f64::total_cmp);
        let forward = forwards[forwards.len() / 2];
        // Out-of-the-money side only where both sides are quoted at a strike (the liquid one).
        let smile: Vec<(&VenueQuote, SmileQuote)> = qs
            .iter()
            .filter(|q| match q.kind {
                OptionKind::Call => q.strike >= forward,
                OptionKind::Put => q.strike < forward,
            })
            .map(|q| {
                let vega = greeks_unchecked(q.kind, forward, q.strike, t, q.mark_iv, 0.0).vega;
                let width = match (q.bid_iv, q.ask_iv) {
                    (Some(b), Some(a)) if a >= b => ((a - b) * 100.0).max(1.0),
                    _ => 1.0,
                };
                (
                    *q,
                    SmileQuote {
                        k: (q.strike / forward).ln(),
                        iv: q.mark_iv,
                        weight: (vega / width).max(1e-12),
                    },
                )
            })
            .collect();
        let points: Vec<SmileQuote> = smile.iter().map(|(_, s)| *s).collect();
        let Ok(fitted) = fit_smile(t, &points) else {
            skipped.push(expiry_ts);
            continue;
        };
        let svi = fitted.params;
        let points: Vec<PointFit> = smile
            .iter()
            .map(|(q, s)| PointFit {
                instrument: q.instrument.clone(),
                strike: q.strike,
                market_iv: q.mark_iv,
                fit_iv: (svi.total_variance(s.k).max(0.0) / t).sqrt(),
            })
            .collect();
        let rmse = (points
            .iter()
            .map(|p| (p.fit_iv - p.market_iv).powi(2))
            .sum::<f64>()
            / points.len() as f64)
            .sqrt();
        expiries.push(ExpiryFit {
            expiry_ts,
            t,
            forward,
            svi,
            rmse_vol_pts: rmse * 100.0,
            points,
        });
    }
    if expiries.is_empty() {
        return Err(DeribitError::NoFittableExpiry);
    }
    let surface = VolSurface::new(expiries.iter().map(|e| (e.t, e.svi)).collect())
        .map_err(|_| DeribitError::NoFittableExpiry)?;
    let violations = surface.arbitrage_violations((-1.5, 1.5), 61);
    let butterfly = violations
        .iter()
        .filter(|v| matches!(v, crate::pricing::svi::ArbitrageViolation::Butterfly { .. }))
        .count();
    Ok(VenueSurface {
        as_of,
        expiries,
        skipped_expiries: skipped,
        butterfly_violations: butterfly,
        calendar_violations: violations.len() - butterfly,
    })
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A summary in Deribit's documented format: `expiries` (day, month, year) with a skewed
    /// smile around `forward`, both sides at every strike, wings without bids.
    pub fn summary(created_ms: i64, forward: f64, expiries: &[&str]) -> String {
        let mut entries = Vec::new();
        for (e, date) in expiries.iter().enumerate() {
            let base = 55.0 + 3.0 * e as f64;
            for strike in [
                70_000.0, 80_000.0, 90_000.0, 95_000.0, 100_000.0, 105_000.0, 110_000.0, 120_000.0,
                140_000.0,
            ] {
                let k: f64 = (strike / forward).ln();
                let iv = base - 20.0 * k + 40.0 * k * k;
                let wing = !(80_000.0..=120_000.0).contains(&strike);
                for side in ["C", "P"] {
                    let mut entry = serde_json::json!({
                        "instrument_name": format!("BTC-{date}-{strike:.0}-{side}"),
                        "mark_iv": iv,
                        "underlying_price": forward,
                        "creation_timestamp": created_ms,
                    });
                    if !wing {
                        entry["bid_iv"] = serde_json::json!(iv - 1.0);
                        entry["ask_iv"] = serde_json::json!(iv + 1.0);
                    }
                    entries.push(entry);
                }
            }
        }
        serde_json::json!({"jsonrpc": "2.0", "result": entries}).to_string()
    }

    // 2026-01-01T00:00Z.
    const NOW_MS: i64 = 1_767_225_600_000;

    #[test]
    fn instrument_names_parse_to_expiry_strike_and_side() {
        let (expiry, strike, kind) = parse_instrument("BTC-13FEB26-100000-C").expect("parses");
        assert_eq!(expiry, 1_770_969_600); // 2026-02-13T08:00Z
        assert_eq!((strike, kind), (100_000.0, OptionKind::Call));
        assert_eq!(
            parse_instrument("BTC-5JAN26-90000-P").map(|p| p.0),
            Some(1_767_600_000)
        );
        for bad in [
            "BTC-13FEB26-100000",
            "BTC-13FOO26-1-C",
            "BTC-13FEB26-x-C",
            "BTC-13FEB26-1-Z",
            "BTC-40FEB26-1-C",
        ] {
            assert_eq!(parse_instrument(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_skewed_multi_expiry_summary_fits_closely_without_arbitrage() {
        let text = summary(NOW_MS, 100_000.0, &["30JAN26", "27FEB26", "27MAR26"]);
        let quotes = parse_summary(&text).expect("valid");
        let surface = fit(&quotes).expect("fits");
        assert_eq!(surface.expiries.len(), 3);
        assert_eq!(surface.as_of, NOW_MS / 1_000);
        for (i, e) in surface.expiries.iter().enumerate() {
            assert!(
                e.rmse_vol_pts < 1.0,
                "{} rmse {}",
                e.expiry_ts,
                e.rmse_vol_pts
            );
            assert!((e.forward - 100_000.0).abs() < 1e-9);
            // The ATM vol is the smile's base level.
            let atm = (e.svi.total_variance(0.0) / e.t).sqrt();
            assert!((atm - (0.55 + 0.03 * i as f64)).abs() < 0.005, "atm {atm}");
        }
        assert_eq!(surface.calendar_violations, 0);
        assert_eq!(surface.butterfly_violations, 0);
        // Between two fitted expiries, total variance is interpolated in time.
        let mid = (surface.expiries[0].expiry_ts + surface.expiries[1].expiry_ts) / 2;
        let w = surface.total_variance_at(mid, 0.0).expect("inside");
        let (w0, w1) = (
            surface.expiries[0].svi.total_variance(0.0),
            surface.expiries[1].svi.total_variance(0.0),
        );
        assert!(w > w0 && w < w1);
        assert_eq!(
            surface.total_variance_at(surface.expiries[2].expiry_ts + 1, 0.0),
            None
        );
    }

    #[test]
    fn bad_input_is_named() {
        let entry = |fields: serde_json::Value| serde_json::json!({"result": [fields]}).to_string();
        let ok = serde_json::json!({
            "instrument_name": "BTC-27FEB26-100000-C", "mark_iv": 55.0,
            "underlying_price": 100_000.0, "creation_timestamp": NOW_MS
        });
        let with = |key: &str, value: serde_json::Value| {
            let mut e = ok.clone();
            e[key] = value;
            entry(e)
        };
        let without = |key: &str| {
            let mut e = ok.clone();
            e.as_object_mut().expect("object").remove(key);
            entry(e)
        };
        assert!(matches!(parse_summary("{"), Err(DeribitError::Json(_))));
        assert_eq!(
            parse_summary(r#"{"error":{"code":10028,"message":"too_many_requests"}}"#),
            Err(DeribitError::Api {
                code: 10_028,
                message: "too_many_requests".into()
            })
        );
        assert_eq!(parse_summary("{}"), Err(DeribitError::NoResult));
        assert_eq!(
            parse_summary(&without("mark_iv")),
            Err(DeribitError::MissingField {
                index: 0,
                field: "mark_iv"
            })
        );
        assert!(matches!(
            parse_summary(&with("instrument_name", "BTC-PERPETUAL".into())),
            Err(DeribitError::BadInstrument { .. })
        ));
        assert!(matches!(
            parse_summary(&with("mark_iv", 0.0.into())),
            Err(DeribitError::NonPositiveIv { .. })
        ));
        assert!(matches!(
            parse_summary(&with("instrument_name", "BTC-5DEC25-100000-C".into())),
            Err(DeribitError::Expired { .. })
        ));
        // One expiry with too few quotes to fit.
        let quotes = parse_summary(&entry(ok.clone())).expect("parses");
        assert_eq!(fit(&quotes).unwrap_err(), DeribitError::NoFittableExpiry);
    }
}
