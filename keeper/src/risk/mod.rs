pub mod onchain;
pub mod portfolio;
pub mod stress;
pub mod scenarios;
