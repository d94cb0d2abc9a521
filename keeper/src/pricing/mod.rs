//! Black-Scholes-Merton / Black-76 pricing in f64: price, Greeks, implied volatility, the SVI
//! volatility surface, and a structure-of-arrays batch kernel.
//!
//! Model and conventions (also in README and `keeper greeks --help`): Black-Scholes on spot S
//! with a continuously compounded rate r and no dividend, forward S·e^{rT}; with r = 0 this is
//! Black-76 on the oracle price. T = expiry days / 365. delta = ∂P/∂S, gamma = ∂²P/∂S²,
//! vega = ∂P/∂σ per 1.00 of volatility, theta = ∂P/∂t per year of calendar time (negative for
//! a long option losing time value), rho = ∂P/∂r per 1.00, vanna = ∂²P/∂S∂σ, volga = ∂²P/∂σ².
pub mod batch;
pub mod black;
pub mod deribit;
pub mod iv;
pub mod iv_batch;
pub mod normal;
pub mod simd_math;
pub mod svi;

pub use black::{greeks, price, Greeks, OptionKind, OptionParams, PricingError};
pub use iv::{implied_vol, IvError};

/// Calendar days per year for T.
pub const DAYS_PER_YEAR: f64 = 365.0;
