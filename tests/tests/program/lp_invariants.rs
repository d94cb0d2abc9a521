//! Property test over random deposit/withdraw/donation sequences from several users, on the SBF
//! program. After every step:
//! - vault token balance == internal accounting (LP assets + trader collateral) + donations;
//! - total shares == share-mint supply;
//! - users together never take out more than they put in (no gains exist yet), and one user
//!   takes out at most their deposits plus rounding dust left by others (1 unit per step);
//! - the share price never falls for remaining holders (beyond one base unit of rounding).
//!
//! Case count: PROPTEST_CASES (default 32; CI uses the default).
use exposure_vault_tests::vault::Depositor;
use exposure_vault_tests::{default_params, TestEnv, VaultFixture};
use proptest::prelude::*;

const USERS: usize = 3;
pub(crate) const START_BALANCE: u64 = 1_000_000_000_000; // 1M units of 6-decimal collateral

#[derive(Clone, Debug)]
enum Op {
    Deposit {
        user: usize,
        amount: u64,
    },
    /// Withdraw `per_mille` of the user's shares.
    Withdraw {
        user: usize,
        per_mille: u64,
    },
    /// Tokens sent straight to the vault's token account.
    Donate {
        amount: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let amount = prop_oneof![
        1u64..1_000,
        1_000u64..1_000_000_000,
        1_000_000_000u64..100_000_000_000
    ];
    prop_oneof![
        4 => (0..USERS, amount.clone()).prop_map(|(user, amount)| Op::Deposit { user, amount }),
        3 => (0..USERS, 1u64..=1_000).prop_map(|(user, per_mille)| Op::Withdraw { user, per_mille }),
        1 => amount.prop_map(|amount| Op::Donate { amount }),
    ]
}

/// price_a <= price_b + 1 unit, with price = (assets + 1) / (shares + 1000), cross-multiplied.
pub(crate) fn price_not_below(before: (u64, u64), after: (u64, u64)) -> bool {
    let (a0, s0) = (before.0 as u128 + 1, before.1 as u128 + 1_000);
    let (a1, s1) = (after.0 as u128 + 1, after.1 as u128 + 1_000);
    // a1/s1 >= a0/s0 - 1/s1  <=>  a1*s0 + s0 >= a0*s1
    a1 * s0 + s0 >= a0 * s1
}

struct Model {
    env: TestEnv,
    v: VaultFixture,
    users: Vec<Depositor>,
    donor: Depositor,
    deposited: [u64; USERS],
    withdrawn: [u64; USERS],
    donations: u64,
    steps: u64,
}

impl Model {
    fn new() -> Self {
        let mut env = TestEnv::new();
        let v = VaultFixture::new(&mut env, prop_params());
        let users = (0..USERS)
            .map(|_| v.new_depositor(&mut env, START_BALANCE))
            .collect();
        let donor = v.new_depositor(&mut env, START_BALANCE);
        Self {
            env,
            v,
            users,
            donor,
            deposited: [0; USERS],
            withdrawn: [0; USERS],
            donations: 0,
            steps: 0,
        }
    }

    fn nav_and_shares(&self) -> (u64, u64) {
        let s = self.v.state(&self.env);
        (s.lp_assets, s.total_shares)
    }

    fn apply(&mut self, op: &Op) {
        self.steps += 1;
        match *op {
            Op::Deposit { user, amount } => {
                let before = self.env.token_balance(&self.users[user].collateral);
                if self
                    .v
                    .deposit_liquidity(&mut self.env, &self.users[user], amount)
                    .is_ok()
                {
                    self.deposited[user] += amount;
                    assert_eq!(
                        self.env.token_balance(&self.users[user].collateral),
                        before - amount
                    );
                } else {
                    assert_eq!(
                        self.env.token_balance(&self.users[user].collateral),
                        before,
                        "failed deposit moved tokens"
                    );
                }
            }
            Op::Withdraw { user, per_mille } => {
                let held = self.env.token_balance(&self.users[user].shares);
                let shares = held * per_mille / 1_000;
                let before = self.env.token_balance(&self.users[user].collateral);
                if self
                    .v
                    .withdraw_liquidity_now(&mut self.env, &self.users[user], shares)
                    .is_ok()
                {
                    let paid = self.env.token_balance(&self.users[user].collateral) - before;
                    self.withdrawn[user] += paid;
                } else {
                    assert_eq!(
                        self.env.token_balance(&self.users[user].shares),
                        held,
                        "failed withdraw burned shares"
                    );
                }
            }
            Op::Donate { amount } => {
                let (env, v, donor) = (&mut self.env, &self.v, &self.donor);
                env.transfer_tokens(&donor.collateral, &v.vault_token, &donor.wallet, amount);
                self.donations += amount;
            }
        }
    }

    fn check_invariants(&self, price_before: (u64, u64)) {
        let s = self.v.state(&self.env);
        assert_eq!(
            self.env.token_balance(&self.v.vault_token),
            s.lp_assets + s.trader_collateral + self.donations,
            "token balance == internal accounting + donations"
        );
        assert_eq!(
            s.total_shares,
            self.env.mint_supply(&self.v.share_mint),
            "shares == supply"
        );
        let total_in: u64 = self.deposited.iter().sum();
        let total_out: u64 = self.withdrawn.iter().sum();
        assert!(
            total_out <= total_in,
            "withdrawals created value: {total_out} > {total_in}"
        );
        for u in 0..USERS {
            assert!(
                self.withdrawn[u] <= self.deposited[u] + self.steps,
                "user {u} extracted value"
            );
        }
        assert!(
            price_not_below(price_before, (s.lp_assets, s.total_shares)),
            "share price fell"
        );
    }
}

pub(crate) fn prop_params() -> exposure_vault::state::VaultParams {
    exposure_vault::state::VaultParams {
        deposit_cap: 2_000_000_000_000,
        ..default_params()
    }
}

proptest! {
    // PROPTEST_CASES overrides the default of 32 sequences (each runs up to 27 SBF transactions).
    #![proptest_config(ProptestConfig { cases: exposure_vault_tests::fuzz_cases("PROPTEST_CASES", 32), .. ProptestConfig::default() })]
    #[test]
    fn deposits_and_withdrawals_preserve_invariants(ops in proptest::collection::vec(op(), 1..24)) {
        let mut m = Model::new();
        for op in &ops {
            let before = m.nav_and_shares();
            m.apply(op);
            m.check_invariants(before);
        }
        // Everyone leaves: each gets back at most what they paid, and at least that minus
        // rounding dust of one unit per withdrawal.
        for u in 0..USERS {
            let shares = m.env.token_balance(&m.users[u].shares);
            if shares > 0 {
                let before = m.nav_and_shares();
                m.apply(&Op::Withdraw { user: u, per_mille: 1_000 });
                m.check_invariants(before);
            }
        }
        let s = m.v.state(&m.env);
        prop_assert!(s.lp_assets < 1_000 * USERS as u64, "dust left: {}", s.lp_assets);
    }
}
