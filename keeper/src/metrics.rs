//! Prometheus metrics: a few atomics and gauges rendered in the text exposition format, served
//! over plain HTTP by [`serve`].
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Default)]
pub struct Metrics {
    pub cycles: AtomicU64,
    pub cycle_errors: AtomicU64,
    pub ws_notifications: AtomicU64,
    pub ws_reconnects: AtomicU64,
    /// (action, outcome) -> count.
    actions: Mutex<BTreeMap<(String, String), u64>>,
    /// name{labels} -> value, replaced each cycle.
    gauges: Mutex<BTreeMap<String, f64>>,
}

impl Metrics {
    pub fn count_action(&self, action: &str, outcome: &str) {
        if let Ok(mut actions) = self.actions.lock() {
            *actions.entry((action.into(), outcome.into())).or_default() += 1;
        }
    }

    /// Sets gauge `name` (with Prometheus labels inside, e.g. `keeper_delta_usd{market="BTC"}`).
    pub fn set(&self, name: &str, value: f64) {
        if let Ok(mut gauges) = self.gauges.lock() {
            gauges.insert(name.into(), value);
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
            ));
        };
        counter(
            &mut out,
            "keeper_cycles_total",
            "Keeper cycles run.",
            self.cycles.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "keeper_cycle_errors_total",
            "Cycles that failed to read chain state.",
            self.cycle_errors.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "keeper_ws_notifications_total",
            "Account notifications received.",
            self.ws_notifications.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "keeper_ws_reconnects_total",
            "Websocket reconnects.",
            self.ws_reconnects.load(Ordering::Relaxed),
        );
        out.push_str("# HELP keeper_actions_total Actions by outcome.\n# TYPE keeper_actions_total counter\n");
        if let Ok(actions) = self.actions.lock() {
            for ((action, outcome), n) in actions.iter() {
                out.push_str(&format!(
                    "keeper_actions_total{{action=\"{action}\",outcome=\"{outcome}\"}} {n}\n"
                ));
            }
        }
        if let Ok(gauges) = self.gauges.lock() {
            let mut typed = std::collections::BTreeSet::new();
            for (name, value) in gauges.iter() {
                let base = name.split('{').next().unwrap_or(name);
                if typed.insert(base.to_string()) {
                    out.push_str(&format!("# TYPE {base} gauge\n"));
                }
                out.push_str(&format!("{name} {value}\n"));
            }
        }
        out
    }
}

/// Serves `GET /metrics` (any path) on `addr` until the task is dropped.
pub async fn serve(addr: &str, metrics: Arc<Metrics>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "metrics listening");
    loop {
        let (mut socket, _) = listener.accept().await?;
        let metrics = metrics.clone();
        tokio::spawn(async move {
            let mut request = [0u8; 1024];
            let _ = socket.read(&mut request).await;
            let body = metrics.render();
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        m.cycles.fetch_add(2, Ordering::Relaxed);
        m.count_action("liquidate", "sent");
        m.set("keeper_delta_usd{market=\"BTC\"}", -1250.5);
        let text = m.render();
        assert!(text.contains("keeper_cycles_total 2\n"));
        assert!(text.contains("keeper_actions_total{action=\"liquidate\",outcome=\"sent\"} 1\n"));
        assert!(text
            .contains("# TYPE keeper_delta_usd gauge\nkeeper_delta_usd{market=\"BTC\"} -1250.5\n"));
    }
}
