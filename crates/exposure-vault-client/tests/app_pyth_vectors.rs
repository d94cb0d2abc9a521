//! Golden vectors for the web app's pull-oracle reader (`app/src/chain/pyth.ts`): `PriceUpdateV2`
//! account images serialised by pyth-solana-receiver-sdk itself (both verification levels, whose
//! Borsh enum shifts every later field), committed at `app/src/chain/pyth.golden.json` and
//! checked by the app's Vitest suite. This test fails when the committed file is stale;
//! `UPDATE_GOLDEN=1 cargo test -p exposure-vault-client --test app_pyth_vectors` rewrites it.
#[path = "../../exposure-vault-math/tests/golden/mod.rs"]
mod golden;
use anchor_lang::prelude::Pubkey;
use exposure_vault_client::pyth::{price_update_image, PythQuote};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn golden() -> String {
    let cases = [
        (65_000.0, 5, 1_764_000_000, VerificationLevel::Full),
        (
            150.25,
            20,
            1_764_000_123,
            VerificationLevel::Partial { num_signatures: 3 },
        ),
        (0.000_123, 100, 1_700_000_000, VerificationLevel::Full),
        (
            123_456.789,
            1,
            1_800_000_000,
            VerificationLevel::Partial { num_signatures: 13 },
        ),
    ];
    let rows: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, &(usd, conf_bps, ts, level))| {
            let quote = PythQuote::usd(usd, conf_bps, ts);
            let feed = [i as u8 + 1; 32];
            let data = price_update_image(Pubkey::new_from_array([9; 32]), feed, quote, level, 42);
            format!(
                "  {{\"data\": \"{}\", \"feedId\": \"{}\", \"price\": \"{}\", \"conf\": \"{}\", \"expo\": {}, \"publishTime\": {}}}",
                hex(&data),
                hex(&feed),
                quote.price,
                quote.conf,
                quote.expo,
                quote.publish_time
            )
        })
        .collect();
    format!("[\n{}\n]\n", rows.join(",\n"))
}

#[test]
fn app_pyth_vectors_are_current() {
    golden::check(
        "src/chain/pyth.golden.json",
        &golden(),
        "cargo test -p exposure-vault-client --test app_pyth_vectors",
    );
}
