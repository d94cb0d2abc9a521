//! The `keeper` binary's pricing commands: JSON keys, errors and exit codes.
use std::process::Command;

fn keeper(args: &[&str]) -> (bool, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_keeper"))
        .args(args)
        .output()
        .expect("run keeper");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.success(), json)
}

#[test]
fn greeks_json_has_exactly_the_documented_keys() {
    let (ok, v) = keeper(&[
        "greeks",
        "--spot",
        "100",
        "--strike",
        "105",
        "--expiry-days",
        "30",
        "--vol",
        "0.6",
        "--kind",
        "call",
        "--rate",
        "0.03",
        "--json",
    ]);
    assert!(ok);
    let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["delta", "gamma", "price", "rho", "theta", "vanna", "vega", "volga"]
    );
    assert!((v["price"].as_f64().unwrap() - 4.897_948_090_756_842).abs() < 1e-12);
}

#[test]
fn iv_round_trips_and_rejects_impossible_prices() {
    let (ok, v) = keeper(&[
        "iv",
        "--spot",
        "100",
        "--strike",
        "105",
        "--expiry-days",
        "30",
        "--price",
        "4.897948090756842",
        "--kind",
        "call",
        "--rate",
        "0.03",
        "--json",
    ]);
    assert!(ok);
    assert!((v["iv"].as_f64().unwrap() - 0.6).abs() < 1e-10);
    let (ok, v) = keeper(&[
        "iv",
        "--spot",
        "100",
        "--strike",
        "105",
        "--expiry-days",
        "30",
        "--price",
        "101",
        "--kind",
        "call",
        "--json",
    ]);
    assert!(!ok, "price above spot must fail");
    assert!(v["error"].as_str().unwrap().contains("maximum"));
}

#[test]
fn bad_inputs_fail_with_a_named_error_never_nan() {
    for args in [
        ["--spot", "-1", "--vol", "0.6", "--expiry-days", "30"],
        ["--spot", "100", "--vol", "0", "--expiry-days", "30"],
        ["--spot", "100", "--vol", "NaN", "--expiry-days", "30"],
        ["--spot", "100", "--vol", "0.6", "--expiry-days", "-2"],
        ["--spot", "inf", "--vol", "0.6", "--expiry-days", "30"],
    ] {
        let mut full = vec!["greeks", "--strike", "100", "--kind", "put", "--json"];
        full.extend(args);
        let (ok, v) = keeper(&full);
        assert!(!ok, "{args:?} must fail");
        assert!(v["error"].is_string(), "{args:?}: {v}");
    }
}

fn keeper_text(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_keeper"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .args(args)
        .output()
        .expect("run keeper");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// `keeper backtest` over the August 2024 crash week writes its report, and refuses bad input
/// by name.
#[test]
fn backtest_writes_its_report_and_names_bad_input() {
    let dir = std::env::temp_dir().join(format!("backtest-cli-{}", std::process::id()));
    let out = dir.to_str().expect("utf-8 path");
    let (ok, stdout, stderr) = keeper_text(&[
        "backtest",
        "--from",
        "2024-07-29",
        "--to",
        "2024-08-12",
        "--out",
        out,
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("| delta band 1.0% |"), "{stdout}");
    for file in [
        "report.html",
        "report.json",
        "nav.svg",
        "return-vs-drawdown.svg",
    ] {
        assert!(dir.join(file).exists(), "{file}");
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(report["runs"].as_array().map(Vec::len), Some(7));
    assert_eq!(report["steps"], 169);
    std::fs::remove_dir_all(&dir).ok();

    for (args, message) in [
        (
            vec!["backtest", "--from", "2024-13-01"],
            "not a YYYY-MM-DD day",
        ),
        (
            vec!["backtest", "--bands", "wide"],
            "--bands: not a fraction",
        ),
        (vec!["backtest", "--delta", "1.5"], "out of range"),
        (vec!["backtest", "--gamma-band=-0.1"], "--gamma-band >= 0"),
        (
            vec!["backtest", "--from", "2024-08-10", "--to", "2024-08-01"],
            "--to must be after --from",
        ),
        (
            vec!["backtest", "--prices", "missing.csv.gz"],
            "missing.csv.gz",
        ),
    ] {
        let (ok, _, stderr) = keeper_text(&args);
        assert!(!ok && stderr.contains(message), "{args:?}: {stderr}");
    }
}

/// `keeper stress --replay` drives the demo book through Black Thursday and a custom window, and
/// names a bad episode.
#[test]
fn stress_replays_real_crashes() {
    let dir = std::env::temp_dir().join(format!("replay-cli-{}", std::process::id()));
    let out = dir.to_str().expect("utf-8 path");
    let (ok, stdout, stderr) = keeper_text(&[
        "stress",
        "--book",
        "examples/demo-book.json",
        "--out",
        out,
        "--replay",
        "1",
        "--from",
        "2024-08-03",
        "--to",
        "2024-08-07",
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("| Black Thursday 2020-03-11..14 | realised | -34.7% |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| 2024-08-03..2024-08-07 | DVOL |"),
        "{stdout}"
    );
    for file in ["replay.html", "replay.json", "replay-1.svg", "replay-2.svg"] {
        assert!(dir.join(file).exists(), "{file}");
    }
    std::fs::remove_dir_all(&dir).ok();
    let (ok, _, stderr) = keeper_text(&[
        "stress",
        "--book",
        "examples/demo-book.json",
        "--out",
        out,
        "--replay",
        "9",
    ]);
    assert!(
        !ok && stderr.contains("--replay: `all` or an episode 1..=4"),
        "{stderr}"
    );
}

/// `keeper surface --deribit-summary` fits a saved venue response and names bad input.
#[test]
fn surface_fits_a_deribit_summary() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/deribit_summary.json"
    );
    let (ok, v) = keeper(&["surface", "--deribit-summary", fixture, "--json"]);
    assert!(ok, "{v}");
    let expiries = v["expiries"].as_array().expect("expiries");
    assert_eq!(expiries.len(), 3);
    for e in expiries {
        let mut keys: Vec<_> = e.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["expiry_ts", "forward", "points", "rmse_vol_pts", "svi", "t"]
        );
        assert!(e["rmse_vol_pts"].as_f64().expect("rmse") < 1.0);
        let point = &e["points"][0];
        for key in ["instrument", "strike", "market_iv", "fit_iv"] {
            assert!(!point[key].is_null(), "{key}");
        }
    }
    assert_eq!(v["butterfly_violations"], 0);
    assert_eq!(v["calendar_violations"], 0);

    let bad = std::env::temp_dir().join(format!("deribit-bad-{}.json", std::process::id()));
    std::fs::write(&bad, r#"{"result":[{"instrument_name":"BTC-27FEB26-100000-C","underlying_price":1,"creation_timestamp":1}]}"#)
        .expect("write");
    let (ok, v) = keeper(&[
        "surface",
        "--deribit-summary",
        bad.to_str().expect("path"),
        "--json",
    ]);
    assert!(!ok);
    assert_eq!(v["error"], "entry 0: missing or non-numeric `mark_iv`");
    std::fs::remove_file(&bad).ok();
}

/// `keeper margin`: every account of the demo book under both rules, with the documented keys;
/// a perpetual alone needs its 16% move plus the 1% contingency under PM, and a missing book
/// is a named error.
#[test]
fn margin_compares_the_rules_for_every_account() {
    let book = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/demo-book.json");
    let (ok, v) = keeper(&["margin", "--book", book, "--json"]);
    assert!(ok);
    let rows = v.as_array().expect("one row per account");
    assert_eq!(rows.len(), 26);
    let mut keys: Vec<_> = rows[0].as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "equity",
            "id",
            "market",
            "pm_initial",
            "pm_maintenance",
            "standard_initial",
            "standard_maintenance",
            "worst_scenario"
        ]
    );
    for row in rows {
        let (pm_im, pm_mm) = (
            row["pm_initial"].as_f64().unwrap(),
            row["pm_maintenance"].as_f64().unwrap(),
        );
        assert!(pm_mm > 0.0 && (pm_im - 1.3 * pm_mm).abs() < 0.01, "{row}");
        assert!(row["worst_scenario"]["spot_move"].as_f64().unwrap().abs() <= 0.48);
    }
    let provider = rows
        .iter()
        .find(|r| r["id"] == "btc-hedge-provider")
        .expect("the BTC provider");
    let standard = provider["standard_maintenance"].as_f64().unwrap();
    // Standard: 5% of notional; PM: the 16% move plus 1%.
    let notional = standard / 0.05;
    assert!((provider["pm_maintenance"].as_f64().unwrap() - 0.17 * notional).abs() < 1.0);
    assert_eq!(provider["worst_scenario"]["spot_move"].as_f64(), Some(0.16));

    let (ok, v) = keeper(&["margin", "--book", "no-such-book.json", "--json"]);
    assert!(!ok);
    assert!(v["error"].as_str().unwrap().contains("no-such-book.json"));
}
