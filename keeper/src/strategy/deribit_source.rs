//! `keeper run`'s surface from a real venue: Deribit's public book summary polled over HTTPS
//! ([`crate::pricing::deribit`] parses and fits it), mapped onto the market's listed expiries.
//!
//! A background task polls every `poll_secs` with a timeout, retrying with backoff. A poll
//! that fails (unreachable, an error response, garbage) keeps the last good surface. The
//! source never hands the cycle a surface the program would reject (it runs the program's own
//! `validate_surface`), and once the last good surface is older than `max_age_secs` (the
//! program's `surface_max_age_secs`) it stops offering one: the cycle then posts nothing and
//! says why. Its age and failures are in `health()` (metrics `keeper_surface_source_*`).
use std::sync::{Arc, Mutex};
use std::time::Duration;

use exposure_vault::math::surface::validate_surface;
use exposure_vault::state::SviSlice;

use super::surface_source::{SourceHealth, SurfaceSource};
use crate::pricing::deribit::{fit, parse_summary, VenueSurface};
use crate::pricing::svi::{fit_smile, SmileQuote};

pub const DERIBIT_BTC_SUMMARY: &str =
    "https://www.deribit.com/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=option";

#[derive(Clone, Debug)]
pub struct DeribitConfig {
    pub url: String,
    /// The venue's underlying: the market symbol it serves.
    pub symbol: String,
    pub poll_secs: u64,
    pub timeout: Duration,
    pub max_age_secs: i64,
    /// Attempts per poll (the first plus retries, 0.5 s, 1 s, 2 s… apart).
    pub attempts: u32,
}

#[derive(Default)]
struct State {
    last_good: Option<VenueSurface>,
    failures: u64,
    last_error: Option<String>,
}

pub struct DeribitSurface {
    config: DeribitConfig,
    state: Arc<Mutex<State>>,
}

#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error("HTTP: {0}")]
    Http(String),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error(transparent)]
    Venue(#[from] crate::pricing::deribit::DeribitError),
}

/// One poll: GET, parse, fit.
pub async fn poll_once(
    client: &reqwest::Client,
    url: &str,
    timeout: Duration,
) -> Result<VenueSurface, PollError> {
    let response = client
        .get(url)
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| PollError::Http(e.to_string()))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| PollError::Http(e.to_string()))?;
    // Deribit answers errors with a JSON body and a 4xx status: name the venue's error.
    match parse_summary(&text) {
        Ok(quotes) => Ok(fit(&quotes)?),
        Err(e) if status.is_success() => Err(e.into()),
        Err(crate::pricing::deribit::DeribitError::Json(_)) => {
            Err(PollError::Status(status.as_u16()))
        }
        Err(e) => Err(e.into()),
    }
}

impl DeribitSurface {
    /// A source with no surface yet; [`Self::spawn_poller`] keeps it current.
    pub fn new(config: DeribitConfig) -> Self {
        Self {
            config,
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    /// One poll with retries; the result replaces the last good surface only on success.
    pub async fn refresh(&self, client: &reqwest::Client) -> Result<(), PollError> {
        refresh(&self.config, &self.state, client).await
    }

    /// Polls every `poll_secs` on the current tokio runtime (if any) until the source is
    /// dropped.
    pub fn spawn_poller(&self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!("no tokio runtime: the venue surface will not be polled");
            return;
        };
        let weak = Arc::downgrade(&self.state);
        let config = self.config.clone();
        let every = Duration::from_secs(config.poll_secs.max(1));
        runtime.spawn(async move {
            let client = reqwest::Client::new();
            while let Some(state) = weak.upgrade() {
                let _ = refresh(&config, &state, &client).await;
                drop(state);
                tokio::time::sleep(every).await;
            }
        });
    }

    /// Slices for `expiries`: the venue's total variance at each listed expiry (interpolated in
    /// time between venue expiries), re-fitted as one raw-SVI slice each on a log-moneyness grid.
    fn map(
        &self,
        venue: &VenueSurface,
        now: i64,
        expiries: &[i64],
    ) -> anyhow::Result<Vec<SviSlice>> {
        let grid: Vec<f64> = (0..=24).map(|i| -1.2 + 0.1 * f64::from(i)).collect();
        expiries
            .iter()
            .map(|&expiry| {
                let t = (expiry - now) as f64 / (365.0 * 86_400.0);
                let quotes = grid
                    .iter()
                    .map(|&k| {
                        let w = venue.total_variance_at(expiry, k).ok_or_else(|| {
                            anyhow::anyhow!("expiry {expiry} is beyond the venue's last")
                        })?;
                        Ok(SmileQuote {
                            k,
                            iv: (w.max(1e-12) / t).sqrt(),
                            weight: (-k * k).exp(),
                        })
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                Ok(fit_smile(t, &quotes)?.params.to_onchain(expiry))
            })
            .collect()
    }
}

async fn refresh(
    config: &DeribitConfig,
    state: &Mutex<State>,
    client: &reqwest::Client,
) -> Result<(), PollError> {
    let mut delay = Duration::from_millis(500);
    let mut last = None;
    for attempt in 0..config.attempts.max(1) {
        if attempt > 0 {
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
        match poll_once(client, &config.url, config.timeout).await {
            Ok(surface) => {
                let mut state = state.lock().expect("state");
                state.last_good = Some(surface);
                state.last_error = None;
                return Ok(());
            }
            Err(e) => last = Some(e),
        }
    }
    let error = last.unwrap_or(PollError::Http("no attempt".into()));
    let mut state = state.lock().expect("state");
    state.failures += 1;
    state.last_error = Some(error.to_string());
    tracing::warn!(url = %config.url, %error, "venue surface poll failed; keeping the last good surface");
    Err(error)
}

impl SurfaceSource for DeribitSurface {
    fn surface(&self, symbol: &str, now: i64, expiries: &[i64]) -> anyhow::Result<Vec<SviSlice>> {
        anyhow::ensure!(
            symbol == self.config.symbol,
            "the venue surface serves {}, not {symbol}",
            self.config.symbol
        );
        let venue = {
            let state = self.state.lock().expect("state");
            state.last_good.clone().ok_or_else(|| {
                anyhow::anyhow!(
                    "no venue surface yet{}",
                    state
                        .last_error
                        .as_ref()
                        .map(|e| format!(" (last poll: {e})"))
                        .unwrap_or_default()
                )
            })?
        };
        let age = now - venue.as_of;
        anyhow::ensure!(
            age <= self.config.max_age_secs,
            "venue surface is {age} s old, beyond the program's {} s: not posting",
            self.config.max_age_secs
        );
        let slices = self.map(&venue, now, expiries)?;
        let math: Vec<_> = slices.iter().map(SviSlice::to_math).collect();
        validate_surface(&math, now)
            .map_err(|e| anyhow::anyhow!("the program would reject the venue surface: {e:?}"))?;
        Ok(slices)
    }

    fn health(&self, now: i64) -> Option<SourceHealth> {
        let state = self.state.lock().expect("state");
        Some(SourceHealth {
            age_secs: state.last_good.as_ref().map(|s| now - s.as_of),
            failures: state.failures,
        })
    }
}
