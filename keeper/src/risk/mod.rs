//! Risk aggregation over a book of options and scenario generators for stress testing.
pub mod portfolio;
pub mod scenarios;
