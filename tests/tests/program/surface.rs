//! `update_vol_surface`: keeper-only, bounded, arbitrage-checked, rate-limited.
use exposure_vault::error::VaultError;
use exposure_vault_tests::expect_error;
use exposure_vault_tests::options::{skewed_surface, svi, DAY};
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::trading::setup;

#[test]
fn the_keeper_posts_a_surface_and_it_is_stored() {
    let mut b = setup();
    let now = b.env.now();
    let slices = skewed_surface(now, &[now + 7 * DAY, now + 30 * DAY, now + 90 * DAY], 0.62);
    b.m.post_surface(&mut b.env, &b.v, slices.clone())
        .expect("post");
    let surface = b.m.surface_state(&b.env);
    assert_eq!(surface.slice_count, 3);
    assert_eq!(&surface.slices[..3], &slices[..]);
    assert_eq!(surface.updated_ts, now);
}

#[test]
fn only_the_keeper_may_post() {
    let mut b = setup();
    let now = b.env.now();
    let intruder = Keypair::new();
    let ix = b.m.update_surface_ix(
        &b.v,
        intruder.pubkey(),
        skewed_surface(now, &[now + DAY], 0.6),
    );
    expect_error(
        b.env.send(&[ix], &[&intruder]),
        VaultError::UnauthorizedKeeper,
    );
}

#[test]
fn malformed_surfaces_are_rejected() {
    let mut b = setup();
    let now = b.env.now();
    let (e1, e2) = (now + 10 * DAY, now + 40 * DAY);
    let cases = [
        (vec![], VaultError::SurfaceParamOutOfBounds),
        (
            vec![svi(e1, 0.01, 0.1, 0.0, 0.0, 0.1); 9],
            VaultError::SurfaceParamOutOfBounds,
        ),
        // ρ outside (−1, 1), b beyond Lee's wing bound, expired expiry, unsorted expiries.
        (
            vec![svi(e1, 0.01, 0.1, -1.0, 0.0, 0.1)],
            VaultError::SurfaceParamOutOfBounds,
        ),
        (
            vec![svi(e1, 0.01, 1.5, 0.5, 0.0, 0.1)],
            VaultError::SurfaceParamOutOfBounds,
        ),
        (
            vec![svi(now, 0.01, 0.1, 0.0, 0.0, 0.1)],
            VaultError::SurfaceParamOutOfBounds,
        ),
        (
            vec![
                svi(e2, 0.03, 0.1, 0.0, 0.0, 0.1),
                svi(e1, 0.01, 0.1, 0.0, 0.0, 0.1),
            ],
            VaultError::SurfaceParamOutOfBounds,
        ),
        // Negative variance somewhere on the smile.
        (
            vec![svi(e1, -0.02, 0.1, 0.0, 0.0, 0.1)],
            VaultError::SurfaceNegativeVariance,
        ),
        // ATM total variance falling with expiry.
        (
            vec![
                svi(e1, 0.03, 0.1, 0.0, 0.0, 0.1),
                svi(e2, 0.01, 0.1, 0.0, 0.0, 0.1),
            ],
            VaultError::SurfaceCalendarArbitrage,
        ),
    ];
    let before = b.m.surface_state(&b.env);
    for (slices, error) in cases {
        expect_error(b.m.post_surface(&mut b.env, &b.v, slices), error);
    }
    assert_eq!(b.m.surface_state(&b.env).updated_ts, before.updated_ts);
}

#[test]
fn one_update_may_not_move_atm_variance_too_far_unless_the_old_surface_is_stale() {
    let mut b = setup();
    let now = b.env.now();
    let expiry = b.expiry;
    // The setup posted 60% ATM; 90% is a 125% variance jump against a 50% limit.
    expect_error(
        b.m.post_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.9)),
        VaultError::SurfaceChangeTooLarge,
    );
    b.m.post_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.65))
        .expect("a 17% variance move is fine");
    b.env.warp_seconds(601);
    let now = b.env.now();
    b.m.post_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.9))
        .expect("after the old surface went stale the limit no longer applies");
}
