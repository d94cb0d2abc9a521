//! The venue surface source offline: a local HTTP server replays responses written in
//! Deribit's documented format (several expiries with a skew and unquoted wings, an expiry too
//! thin to fit, an error response, a timeout, garbage), and the source keeps its last good
//! surface, maps it onto the market's listed expiries, and stops offering it once stale.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use exposure_vault_keeper::strategy::deribit_source::{DeribitConfig, DeribitSurface, PollError};
use exposure_vault_keeper::strategy::surface_source::SurfaceSource;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// (status, body, delay before answering) served in order, the last one repeated.
type Script = Arc<Mutex<Vec<(u16, String, Duration)>>>;

async fn serve(script: Script) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let (status, body, delay) = {
                let mut s = script.lock().expect("script");
                if s.len() > 1 {
                    s.remove(0)
                } else {
                    s[0].clone()
                }
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let _ = stream.read(&mut buf).await;
                tokio::time::sleep(delay).await;
                let reply = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=option")
}

fn fixture() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/deribit_summary.json"
    ))
    .expect("fixture")
}

/// The fixture with a fourth expiry quoted at only three strikes: too thin to fit.
fn with_thin_expiry() -> String {
    let mut v: serde_json::Value = serde_json::from_str(&fixture()).expect("json");
    let result = v["result"].as_array_mut().expect("result");
    for strike in [90_000, 100_000, 110_000] {
        result.push(serde_json::json!({
            "instrument_name": format!("BTC-24APR26-{strike}-C"),
            "mark_iv": 60.0, "underlying_price": 101_000.0, "creation_timestamp": 1_767_225_600_000i64
        }));
    }
    v.to_string()
}

const AS_OF: i64 = 1_767_225_600; // the fixture's creation_timestamp
const JAN30: i64 = 1_769_760_000; // 2026-01-30T08:00Z, a venue expiry
const FEB27: i64 = 1_772_179_200; // 2026-02-27T08:00Z
const MAR27: i64 = 1_774_598_400; // 2026-03-27T08:00Z

#[tokio::test]
async fn the_source_keeps_the_last_good_surface_and_stops_when_stale() {
    let ok = Duration::ZERO;
    let script: Script = Arc::new(Mutex::new(vec![
        (200, with_thin_expiry(), ok),
        (
            400,
            r#"{"jsonrpc":"2.0","error":{"message":"too_many_requests","code":10028}}"#.into(),
            ok,
        ),
        (200, fixture(), Duration::from_secs(3)),
        (200, "<html>gateway</html>".into(), ok),
    ]));
    let url = serve(script).await;
    let source = DeribitSurface::new(DeribitConfig {
        url,
        symbol: "BTC".into(),
        poll_secs: 60,
        timeout: Duration::from_millis(500),
        max_age_secs: 600,
        attempts: 1,
    });
    let client = reqwest::Client::new();
    let now = AS_OF + 60;
    assert!(
        source.surface("BTC", now, &[JAN30]).is_err(),
        "no surface before a poll"
    );

    source.refresh(&client).await.expect("a good summary");
    // A listed expiry on a venue expiry and one between two: the program's validation passes.
    let between = (FEB27 + MAR27) / 2;
    let slices = source
        .surface("BTC", now, &[JAN30, between])
        .expect("mapped");
    assert_eq!(slices.len(), 2);
    assert_eq!((slices[0].expiry_ts, slices[1].expiry_ts), (JAN30, between));
    let atm = |s: &exposure_vault::state::SviSlice| {
        let w = exposure_vault_keeper::pricing::svi::SviRaw::from_onchain(s).total_variance(0.0);
        (w / ((s.expiry_ts - now) as f64 / (365.0 * 86_400.0))).sqrt()
    };
    assert!((atm(&slices[0]) - 0.55).abs() < 0.01, "{}", atm(&slices[0]));
    assert!(atm(&slices[1]) > 0.57 && atm(&slices[1]) < 0.62);
    // Beyond the venue's last fitted expiry (the thin April one was left out): nothing.
    assert!(source.surface("BTC", now, &[MAR27 + 86_400]).is_err());
    assert!(source.surface("SOL", now, &[JAN30]).is_err());

    // An error response, a timeout and garbage: each fails, the last good surface stays.
    for expected in ["venue returned an error", "HTTP", "not JSON"] {
        let err = source.refresh(&client).await.expect_err("a bad poll");
        assert!(err.to_string().contains(expected), "{err}");
        assert!(source.surface("BTC", now, &[JAN30]).is_ok());
    }
    let health = source.health(now).expect("health");
    assert_eq!(health.failures, 3);
    assert_eq!(health.age_secs, Some(60));
    assert!(matches!(
        source.refresh(&client).await,
        Err(PollError::Status(200)) | Err(PollError::Venue(_))
    ));
    // Older than the program's limit: the source stops offering it.
    let err = source
        .surface("BTC", AS_OF + 601, &[JAN30])
        .expect_err("stale");
    assert!(
        err.to_string().contains("beyond the program's 600 s"),
        "{err}"
    );
}

#[tokio::test]
async fn the_poller_fills_the_source_in_the_background() {
    let script: Script = Arc::new(Mutex::new(vec![(200, fixture(), Duration::ZERO)]));
    let url = serve(script).await;
    let source = DeribitSurface::new(DeribitConfig {
        url,
        symbol: "BTC".into(),
        poll_secs: 1,
        timeout: Duration::from_millis(500),
        max_age_secs: 600,
        attempts: 3,
    });
    source.spawn_poller();
    for _ in 0..50 {
        if source.health(AS_OF).and_then(|h| h.age_secs).is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the poller never filled the source");
}
