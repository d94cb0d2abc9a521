//! Structure-of-arrays batch Greeks: the book revaluation hot path.
//!
//! Inputs and outputs are separate contiguous columns so the loop streams through memory and the
//! compiler can vectorise the arithmetic. Inputs are validated once per batch, not per option.
use super::black::{greeks_unchecked, Greeks, OptionKind, OptionParams, PricingError};

/// A book of options as columns. `t` in years.
#[derive(Clone, Debug, Default)]
pub struct OptionBatch {
    pub kind: Vec<OptionKind>,
    pub spot: Vec<f64>,
    pub strike: Vec<f64>,
    pub t: Vec<f64>,
    pub vol: Vec<f64>,
    pub rate: Vec<f64>,
}

/// Greeks as columns, index-aligned with the batch.
#[derive(Clone, Debug, Default)]
pub struct GreeksBatch {
    pub price: Vec<f64>,
    pub delta: Vec<f64>,
    pub gamma: Vec<f64>,
    pub vega: Vec<f64>,
    pub theta: Vec<f64>,
    pub rho: Vec<f64>,
    pub vanna: Vec<f64>,
    pub volga: Vec<f64>,
}

impl OptionBatch {
    pub fn len(&self) -> usize {
        self.spot.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spot.is_empty()
    }

    pub fn push(&mut self, p: OptionParams) {
        self.kind.push(p.kind);
        self.spot.push(p.spot);
        self.strike.push(p.strike);
        self.t.push(p.t);
        self.vol.push(p.vol);
        self.rate.push(p.rate);
    }

    pub fn get(&self, i: usize) -> OptionParams {
        OptionParams {
            kind: self.kind[i],
            spot: self.spot[i],
            strike: self.strike[i],
            t: self.t[i],
            vol: self.vol[i],
            rate: self.rate[i],
        }
    }

    /// Checks every row once; the kernel then runs without branches on validity.
    pub fn validate(&self) -> Result<(), (usize, PricingError)> {
        for i in 0..self.len() {
            let p = self.get(i);
            p.validate().map_err(|e| (i, e))?;
            if p.t == 0.0 {
                return Err((i, PricingError::InvalidTime(0.0)));
            }
        }
        Ok(())
    }
}

impl GreeksBatch {
    pub fn with_len(n: usize) -> Self {
        let z = || vec![0.0; n];
        Self {
            price: z(),
            delta: z(),
            gamma: z(),
            vega: z(),
            theta: z(),
            rho: z(),
            vanna: z(),
            volga: z(),
        }
    }

    fn set(&mut self, i: usize, g: Greeks) {
        self.price[i] = g.price;
        self.delta[i] = g.delta;
        self.gamma[i] = g.gamma;
        self.vega[i] = g.vega;
        self.theta[i] = g.theta;
        self.rho[i] = g.rho;
        self.vanna[i] = g.vanna;
        self.volga[i] = g.volga;
    }
}

/// All Greeks for every option of a validated batch (T > 0 everywhere).
pub fn batch_greeks(
    batch: &OptionBatch,
    out: &mut GreeksBatch,
) -> Result<(), (usize, PricingError)> {
    batch.validate()?;
    if out.price.len() != batch.len() {
        *out = GreeksBatch::with_len(batch.len());
    }
    batch_greeks_unchecked(batch, out);
    Ok(())
}

/// The kernel, for batches already validated by the caller.
pub fn batch_greeks_unchecked(batch: &OptionBatch, out: &mut GreeksBatch) {
    for i in 0..batch.len() {
        let g = greeks_unchecked(
            batch.kind[i],
            batch.spot[i],
            batch.strike[i],
            batch.t[i],
            batch.vol[i],
            batch.rate[i],
        );
        out.set(i, g);
    }
}
