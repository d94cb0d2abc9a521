//! `update_vol_surface`: keeper-only, bounded, arbitrage-checked, rate-limited.
use exposure_vault::error::VaultError;
use exposure_vault_tests::expect_error;
use exposure_vault_tests::options::{skewed_surface, svi, CALL, DAY};

use solana_keypair::Keypair;
use solana_signer::Signer;

use super::trading::{setup, SPOT};

#[test]
fn the_keeper_posts_a_surface_and_it_is_stored() {
    let mut b = setup();
    let now = b.env.now();
    let slices = skewed_surface(now, &[now + 7 * DAY, now + 30 * DAY, now + 90 * DAY], 0.62);
    b.m.update_vol_surface(&mut b.env, &b.v, slices.clone())
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
    let ix = b.m.update_vol_surface_ix(
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
        expect_error(b.m.update_vol_surface(&mut b.env, &b.v, slices), error);
    }
    assert_eq!(b.m.surface_state(&b.env).updated_ts, before.updated_ts);
}

#[test]
fn the_change_limit_is_cumulative_over_its_window_and_never_lifted_by_staleness() {
    let mut b = setup();
    let now = b.env.now();
    let expiry = b.expiry;
    // The setup posted 60% ATM; 90% is a 125% variance jump against a 50% limit.
    expect_error(
        b.m.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.9)),
        VaultError::SurfaceChangeTooLarge,
    );
    b.m.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.65))
        .expect("a 17% variance move is fine");
    b.m.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.7))
        .expect("36% from the window's start");
    // Chaining: each step small, together past the limit measured from the window's start.
    expect_error(
        b.m.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.75)),
        VaultError::SurfaceChangeTooLarge,
    );
    // Ten minutes later the old surface is stale: trading stops, the limit does not lift.
    b.env.warp_seconds(601);
    b.m.set_price(&mut b.env, SPOT, 5);
    let now = b.env.now();
    expect_error(
        b.m.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.9)),
        VaultError::SurfaceChangeTooLarge,
    );
    b.m.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry], 0.8))
        .expect("the next window measures from the 70% surface");
}

#[test]
fn expiry_shifts_and_wing_moves_cannot_slip_past_the_limit() {
    let mut b = setup();
    let now = b.env.now();
    let expiry = b.expiry;
    // The keeper-key attack: the expiry moved by one second so that no old slice matches, and
    // the vol cut to 5% (an accomplice then buys the vault's options for nothing).
    expect_error(
        b.m.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[expiry + 1], 0.05)),
        VaultError::SurfaceChangeTooLarge,
    );
    // A 90k call lies in the right wing: steepen only the wings, ATM unchanged.
    b.m.list(&mut b.env, &b.v, 90_000.0, expiry, CALL);
    let mut wings = skewed_surface(now, &[expiry], 0.6);
    let atm = |s: &exposure_vault::state::SviSlice| s.a as f64 + s.b as f64 * s.sigma as f64 / 1e9;
    let before = atm(&wings[0]);
    wings[0].b *= 4;
    wings[0].a = (before - wings[0].b as f64 * wings[0].sigma as f64 / 1e9) as i64;
    expect_error(
        b.m.update_vol_surface(&mut b.env, &b.v, wings),
        VaultError::SurfaceChangeTooLarge,
    );
}

#[test]
fn a_surface_that_cannot_price_an_open_series_is_refused() {
    let mut b = setup();
    let t = b.trader(100_000 * 1_000_000);
    b.m.trade_option(&mut b.env, &b.v, &t, b.atm_call, 1_000_000)
        .expect("open interest");
    let now = b.env.now();
    // One slice ending a second before the series expires: every refresh_marks would fail.
    expect_error(
        b.m.update_vol_surface(&mut b.env, &b.v, skewed_surface(now, &[b.expiry - 1], 0.6)),
        VaultError::SeriesBeyondSurface,
    );
}
