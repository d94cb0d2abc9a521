//! Golden vectors for the web app's share math (`app/src/shares.ts`): deterministic cases through
//! the program's own `shares_for_deposit` / `assets_for_shares`, committed at
//! `app/src/shares.golden.json` and checked by the app's Vitest suite. This test fails when the
//! committed file is stale; `UPDATE_GOLDEN=1 cargo test -p exposure-vault-math --test
//! app_share_vectors` rewrites it.
#[path = "golden/mod.rs"]
mod golden;
use exposure_vault_math::shares::{assets_for_shares, shares_for_deposit};

/// SplitMix64: a fixed, dependency-free sequence.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn render(v: Option<u64>) -> String {
    v.map_or("null".into(), |x| format!("\"{x}\""))
}

fn golden() -> String {
    let mut state = 42u64;
    // Edge cases first: empty vault, dust, large values, a u64 overflow.
    let mut inputs = vec![
        (1_000_000, 0, 0),
        (1, 0, 0),
        (1, 1_000_000_000_000, 1),
        (u64::MAX, 1, 1_000_000),
        (999_999, 1_000_000_000, 1_000_000_000_000),
    ];
    for _ in 0..200 {
        let nav = next(&mut state) % 10_000_000_000_000;
        let shares =
            nav.saturating_mul(1_000) / (1 + next(&mut state) % 3) + next(&mut state) % 1_000;
        let amount = next(&mut state) % 100_000_000_000;
        inputs.push((amount, nav, shares));
    }
    let cases: Vec<String> = inputs
        .into_iter()
        .map(|(amount, nav, total)| {
            format!(
                "  {{\"amount\": \"{amount}\", \"netAssets\": \"{nav}\", \"totalShares\": \"{total}\", \"shares\": {}, \"assets\": {}}}",
                render(shares_for_deposit(amount, nav, total)),
                render(assets_for_shares(amount, nav, total)),
            )
        })
        .collect();
    format!("[\n{}\n]\n", cases.join(",\n"))
}

#[test]
fn app_share_vectors_are_current() {
    golden::check(
        "src/shares.golden.json",
        &golden(),
        "cargo test -p exposure-vault-math --test app_share_vectors",
    );
}
