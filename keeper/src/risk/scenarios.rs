//! Fat-tailed return generators for stress testing. Both are seeded for reproducibility.
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal, Poisson, StudentT};

#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    #[error("Student-t degrees of freedom must be > 2 for a finite variance (got {0})")]
    DegreesOfFreedom(f64),
    #[error("parameter {0} must be finite and non-negative")]
    InvalidParameter(&'static str),
}

/// Log returns with Student-t innovations, rescaled to the given per-step volatility.
pub struct StudentTReturns {
    dist: StudentT<f64>,
    scale: f64,
    rng: StdRng,
}

impl StudentTReturns {
    /// `vol_per_step` is the standard deviation of one step's log return.
    pub fn new(dof: f64, vol_per_step: f64, seed: u64) -> Result<Self, ScenarioError> {
        if !(dof.is_finite() && dof > 2.0) {
            return Err(ScenarioError::DegreesOfFreedom(dof));
        }
        if !(vol_per_step.is_finite() && vol_per_step >= 0.0) {
            return Err(ScenarioError::InvalidParameter("vol_per_step"));
        }
        let dist = StudentT::new(dof).map_err(|_| ScenarioError::DegreesOfFreedom(dof))?;
        // Var(t_ν) = ν/(ν−2): rescale so the step has the requested volatility.
        let scale = vol_per_step * ((dof - 2.0) / dof).sqrt();
        Ok(Self {
            dist,
            scale,
            rng: StdRng::seed_from_u64(seed),
        })
    }

    pub fn next_return(&mut self) -> f64 {
        self.scale * self.dist.sample(&mut self.rng)
    }
}

/// Merton jump-diffusion log returns per step: a Gaussian diffusion plus a Poisson number of
/// normally distributed log jumps.
pub struct JumpDiffusionReturns {
    diffusion: Normal<f64>,
    jumps: Option<Poisson<f64>>,
    jump_size: Normal<f64>,
    rng: StdRng,
}

impl JumpDiffusionReturns {
    /// `vol_per_step`: diffusion std dev per step; `jumps_per_step`: Poisson intensity per step;
    /// jump log-sizes ~ N(`jump_mean`, `jump_vol`²).
    pub fn new(
        vol_per_step: f64,
        jumps_per_step: f64,
        jump_mean: f64,
        jump_vol: f64,
        seed: u64,
    ) -> Result<Self, ScenarioError> {
        for (name, v) in [
            ("vol_per_step", vol_per_step),
            ("jumps_per_step", jumps_per_step),
            ("jump_vol", jump_vol),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(ScenarioError::InvalidParameter(name));
            }
        }
        if !jump_mean.is_finite() {
            return Err(ScenarioError::InvalidParameter("jump_mean"));
        }
        // Martingale drift correction so E[e^r] = 1 per step.
        let kappa = (jump_mean + 0.5 * jump_vol * jump_vol).exp() - 1.0;
        let drift = -0.5 * vol_per_step * vol_per_step - jumps_per_step * kappa;
        Ok(Self {
            diffusion: Normal::new(drift, vol_per_step)
                .map_err(|_| ScenarioError::InvalidParameter("vol_per_step"))?,
            jumps: (jumps_per_step > 0.0)
                .then(|| Poisson::new(jumps_per_step))
                .transpose()
                .map_err(|_| ScenarioError::InvalidParameter("jumps_per_step"))?,
            jump_size: Normal::new(jump_mean, jump_vol)
                .map_err(|_| ScenarioError::InvalidParameter("jump_vol"))?,
            rng: StdRng::seed_from_u64(seed),
        })
    }

    pub fn next_return(&mut self) -> f64 {
        let mut r = self.diffusion.sample(&mut self.rng);
        if let Some(jumps) = &self.jumps {
            let n = jumps.sample(&mut self.rng) as u64;
            for _ in 0..n {
                r += self.jump_size.sample(&mut self.rng);
            }
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(xs: &[f64]) -> (f64, f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        let kurt = xs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n / (var * var);
        (mean, var.sqrt(), kurt)
    }

    #[test]
    fn student_t_has_target_vol_and_fat_tails() {
        let mut g = StudentTReturns::new(5.0, 0.02, 7).unwrap();
        let xs: Vec<f64> = (0..200_000).map(|_| g.next_return()).collect();
        let (_, sd, kurt) = moments(&xs);
        assert!((sd / 0.02 - 1.0).abs() < 0.03, "sd {sd}");
        assert!(kurt > 4.5, "excess kurtosis expected, got {kurt}"); // normal = 3, t5 = 9
        assert!(StudentTReturns::new(2.0, 0.02, 7).is_err());
    }

    #[test]
    fn jump_diffusion_is_a_fat_tailed_martingale() {
        let mut g = JumpDiffusionReturns::new(0.01, 0.05, -0.05, 0.08, 11).unwrap();
        let xs: Vec<f64> = (0..200_000).map(|_| g.next_return()).collect();
        let (_, _, kurt) = moments(&xs);
        assert!(kurt > 6.0, "kurtosis {kurt}");
        let growth = xs.iter().map(|r| r.exp()).sum::<f64>() / xs.len() as f64;
        assert!((growth - 1.0).abs() < 2e-3, "E[e^r] = {growth}");
        // Same seed, same path.
        let mut a = JumpDiffusionReturns::new(0.01, 0.05, -0.05, 0.08, 3).unwrap();
        let mut b = JumpDiffusionReturns::new(0.01, 0.05, -0.05, 0.08, 3).unwrap();
        assert!((0..100).all(|_| a.next_return() == b.next_return()));
    }
}
