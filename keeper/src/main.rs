fn main() {
    println!(
        "exposure-vault keeper {} (program {})",
        env!("CARGO_PKG_VERSION"),
        exposure_vault::ID
    );
}
