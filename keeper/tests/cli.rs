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
