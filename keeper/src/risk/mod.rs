pub mod margin;
pub mod onchain;
pub mod portfolio;
pub mod scenarios;
pub mod stress;
