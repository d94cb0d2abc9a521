//! The app's golden-vector files: each test renders its vectors and this checks the committed
//! file against them (or rewrites it with `UPDATE_GOLDEN=1`). Shared by the math and client
//! crates' vector tests (`#[path]`-included).

/// Fails when `app/<file>` differs from `expected`; `rerun` is the cargo command that rewrites it.
pub fn check(file: &str, expected: &str, rerun: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../app")
        .join(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, expected).expect("write golden vectors");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is stale: run UPDATE_GOLDEN=1 {rerun}",
        path.display()
    );
}
