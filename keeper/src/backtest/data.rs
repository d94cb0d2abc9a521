//! The real market data the backtest and replays read (`examples/data/`, provenance in its
//! README): gzip CSV in the normalised schema, rows ascending, gaps left as gaps. Every malformed
//! row is refused with its line number; gaps are reported, not filled.
use std::io::Read;
use std::path::Path;

/// One bar's close at its open time (the schema labels bars by their open).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub ts: i64,
    pub close: f64,
}

/// A funding print: the rate paid by longs to shorts for one 8 h period (a fraction).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Funding {
    pub ts: i64,
    pub rate: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: header is `{found}`, expected `{expected}`")]
    Header {
        path: String,
        expected: String,
        found: String,
    },
    #[error("{path}:{line}: {reason}")]
    Malformed {
        path: String,
        line: usize,
        reason: String,
    },
    #[error("{path}:{line}: timestamp {ts} is not after the previous row's")]
    NotAscending { path: String, line: usize, ts: i64 },
    #[error("{path}: no rows")]
    Empty { path: String },
}

/// A hole in a series: `from` and `to` are the rows either side, `missing` the rows between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Gap {
    pub from: i64,
    pub to: i64,
    pub missing: i64,
}

pub const OHLCV_HEADER: &str = "timestamp_ms,datetime_utc,open,high,low,close,volume";
pub const DVOL_HEADER: &str = "timestamp_ms,datetime_utc,open,high,low,close";
pub const FUNDING_HEADER: &str = "timestamp_ms,datetime_utc,funding_rate";

/// The text of a `.csv.gz` (or plain `.csv`) file.
pub fn read_text(path: &Path) -> Result<String, DataError> {
    let io = |source| DataError::Io {
        path: path.display().to_string(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .map_err(io)?;
        Ok(text)
    } else {
        String::from_utf8(bytes).map_err(|e| io(std::io::Error::other(e)))
    }
}

/// Rows of `text` under `header`: (1-based line, timestamp in seconds, the numeric columns after
/// the ISO time), checked ascending and finite.
fn rows(
    path: &str,
    text: &str,
    header: &str,
    columns: usize,
) -> Result<Vec<(usize, i64, Vec<f64>)>, DataError> {
    let mut lines = text.lines();
    let found = lines.next().unwrap_or_default().trim();
    if found != header {
        return Err(DataError::Header {
            path: path.into(),
            expected: header.into(),
            found: found.into(),
        });
    }
    let mut out: Vec<(usize, i64, Vec<f64>)> = Vec::new();
    for (i, line) in lines.enumerate() {
        let line_no = i + 2;
        if line.trim().is_empty() {
            continue;
        }
        let malformed = |reason: String| DataError::Malformed {
            path: path.into(),
            line: line_no,
            reason,
        };
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != columns + 2 {
            return Err(malformed(format!(
                "{} fields, expected {}",
                fields.len(),
                columns + 2
            )));
        }
        let ms: i64 = fields[0]
            .parse()
            .map_err(|_| malformed(format!("timestamp `{}`", fields[0])))?;
        let values = fields[2..]
            .iter()
            .map(|f| {
                f.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| malformed(format!("value `{f}`")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let ts = ms.div_euclid(1_000);
        if let Some((_, previous, _)) = out.last() {
            if ts <= *previous {
                return Err(DataError::NotAscending {
                    path: path.into(),
                    line: line_no,
                    ts,
                });
            }
        }
        out.push((line_no, ts, values));
    }
    if out.is_empty() {
        return Err(DataError::Empty { path: path.into() });
    }
    Ok(out)
}

/// Closes of an OHLCV file; prices must be positive.
pub fn parse_closes(path: &str, text: &str) -> Result<Vec<Bar>, DataError> {
    rows(path, text, OHLCV_HEADER, 5)?
        .into_iter()
        .map(|(line, ts, v)| positive(path, line, ts, v[3]))
        .collect()
}

/// Daily DVOL closes, as fractions (vol points / 100); must be positive.
pub fn parse_dvol(path: &str, text: &str) -> Result<Vec<Bar>, DataError> {
    rows(path, text, DVOL_HEADER, 4)?
        .into_iter()
        .map(|(line, ts, v)| {
            positive(path, line, ts, v[3]).map(|b| Bar {
                close: b.close / 100.0,
                ..b
            })
        })
        .collect()
}

pub fn parse_funding(path: &str, text: &str) -> Result<Vec<Funding>, DataError> {
    Ok(rows(path, text, FUNDING_HEADER, 1)?
        .into_iter()
        .map(|(_, ts, v)| Funding { ts, rate: v[0] })
        .collect())
}

fn positive(path: &str, line: usize, ts: i64, close: f64) -> Result<Bar, DataError> {
    if close > 0.0 {
        Ok(Bar { ts, close })
    } else {
        Err(DataError::Malformed {
            path: path.into(),
            line,
            reason: format!("non-positive value {close}"),
        })
    }
}

/// Gaps longer than one `step_secs` between consecutive rows.
pub fn gaps(timestamps: impl Iterator<Item = i64>, step_secs: i64) -> Vec<Gap> {
    let mut out = Vec::new();
    let mut previous: Option<i64> = None;
    for ts in timestamps {
        if let Some(p) = previous {
            if ts - p > step_secs {
                out.push(Gap {
                    from: p,
                    to: ts,
                    missing: (ts - p) / step_secs - 1,
                });
            }
        }
        previous = Some(ts);
    }
    out
}

/// The project's data set: BTC/USDT 2 h closes, daily DVOL and 8 h funding.
#[derive(Clone, Debug)]
pub struct MarketData {
    pub prices: Vec<Bar>,
    pub dvol: Vec<Bar>,
    pub funding: Vec<Funding>,
    pub price_gaps: Vec<Gap>,
}

impl MarketData {
    pub fn load(prices: &Path, dvol: &Path, funding: &Path) -> Result<Self, DataError> {
        let name = |p: &Path| p.display().to_string();
        let prices = parse_closes(&name(prices), &read_text(prices)?)?;
        let dvol = parse_dvol(&name(dvol), &read_text(dvol)?)?;
        let funding = parse_funding(&name(funding), &read_text(funding)?)?;
        let price_gaps = gaps(prices.iter().map(|b| b.ts), 7_200);
        Ok(Self {
            prices,
            dvol,
            funding,
            price_gaps,
        })
    }

    /// The committed files under `examples/data/`.
    pub fn committed() -> Result<Self, DataError> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data");
        Self::load(
            &dir.join("btcusdt_binance_2h.csv.gz"),
            &dir.join("btc_dvol_1d.csv.gz"),
            &dir.join("btcusdt_perp_funding_8h.csv.gz"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_data_loads_with_its_documented_gaps() {
        let data = MarketData::committed().expect("examples/data");
        assert_eq!(data.prices.len(), 35_123);
        assert_eq!(data.dvol.len(), 1_000);
        assert_eq!(data.funding.len(), 7_028);
        // The README's 18 exchange-outage gaps, the largest 34 h between rows (16 bars) in Feb 2018.
        assert_eq!(data.price_gaps.len(), 18);
        let largest = data
            .price_gaps
            .iter()
            .max_by_key(|g| g.missing)
            .expect("gaps");
        assert_eq!(largest.to - largest.from, 34 * 3_600);
        assert_eq!(largest.missing, 16);
        // A close the README names: 15,922.81 on 2022-11-09 at 22:00 (the FTX low bar's day).
        assert!(data.prices.iter().any(|b| b.close == 15_922.81));
    }

    #[test]
    fn malformed_rows_are_named_with_their_line() {
        let header = OHLCV_HEADER;
        let cases = [
            (
                format!("{header}\n1000,x,1,2,3\n"),
                "2: 5 fields, expected 7",
            ),
            (format!("{header}\nabc,x,1,2,3,4,5\n"), "2: timestamp `abc`"),
            (
                format!("{header}\n1000,x,1,2,3,4,5\n2000,x,1,2,3,nan,5\n"),
                "3: value `nan`",
            ),
            (
                format!("{header}\n1000,x,1,2,3,0,5\n"),
                "2: non-positive value 0",
            ),
        ];
        for (text, message) in cases {
            let err = parse_closes("f.csv", &text).expect_err(message);
            assert!(err.to_string().contains(message), "{err} / {message}");
        }
        let err = parse_closes(
            "f.csv",
            &format!("{header}\n2000,x,1,2,3,4,5\n1000,x,1,2,3,4,5\n"),
        )
        .expect_err("descending");
        assert!(matches!(err, DataError::NotAscending { line: 3, .. }));
        let err = parse_closes("f.csv", "time,close\n").expect_err("header");
        assert!(matches!(err, DataError::Header { .. }));
        assert!(matches!(
            parse_closes("f.csv", &format!("{header}\n")),
            Err(DataError::Empty { .. })
        ));
    }

    #[test]
    fn gaps_count_the_missing_rows() {
        let ts = [0, 7_200, 14_400, 36_000, 43_200];
        assert_eq!(
            gaps(ts.into_iter(), 7_200),
            vec![Gap {
                from: 14_400,
                to: 36_000,
                missing: 2
            }]
        );
    }
}
