//! Integration tests of record: every test runs the real SBF `exposure_vault.so` in LiteSVM.
mod admin;
mod adversary;
mod adversary_round_two;
mod cross_market;
mod deposit_liquidity;
mod hedge;
mod liquidation;
mod lp_invariants;
mod market_invariants;
mod options_errors;
mod oracle;
mod portfolio_margin;
mod rebalance_option_hedge;
mod settlement;
mod surface;
mod trading;
mod withdraw_liquidity;
