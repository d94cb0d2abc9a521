//! Benchmark-only program: meters `exposure_vault_math` routines as real SBF bytecode. It depends
//! on the math crate alone, not on the program, so building it never touches the program's `.so`.
//!
//! Instruction data: `[mode: u8][side: u8][forward: u64][strike: u64][seconds: u64][vol: u64]`
//! (little endian). Mode 0 only parses, mode 1 also prices; the CU report takes the difference
//! as the cost of one Black-76 price + delta + vega. Mode 2 revalues the option over the
//! portfolio-margin grid (`Grid::series_scenarios`, the grid formed at `forward` included); mode 3 sums
//! the PM requirement of `seconds` positions (1..=16) on that option's cache. Never deployed
//! anywhere but a test VM.
#![allow(unexpected_cfgs)]

#[cfg(feature = "upstream-sbf")]
use sbf_i128 as _;
#[cfg(feature = "upstream-sbf")]
use solana_compiler_builtins as _;

use exposure_vault_math::black76::{black76, OptionSide};
use solana_account_info::AccountInfo;
use solana_program_error::ProgramError;
use solana_pubkey::Pubkey;

#[cfg(not(feature = "no-entrypoint"))]
solana_program_entrypoint::entrypoint!(process);

fn read_u64(data: &[u8], at: usize) -> Result<u64, ProgramError> {
    let bytes = data
        .get(at..at + 8)
        .ok_or(ProgramError::InvalidInstructionData)?;
    let mut le = [0u8; 8];
    le.copy_from_slice(bytes);
    Ok(u64::from_le_bytes(le))
}

pub fn process(
    _program_id: &Pubkey,
    _accounts: &[AccountInfo],
    data: &[u8],
) -> Result<(), ProgramError> {
    let mode = *data.first().ok_or(ProgramError::InvalidInstructionData)?;
    let side = match data.get(1) {
        Some(0) => OptionSide::Call,
        Some(1) => OptionSide::Put,
        _ => return Err(ProgramError::InvalidInstructionData),
    };
    let (forward, strike) = (read_u64(data, 2)?, read_u64(data, 10)?);
    let (seconds, vol) = (read_u64(data, 18)?, read_u64(data, 26)?);
    if mode >= 2 {
        use exposure_vault_math::portfolio::{requirement, Grid, PmPosition, PortfolioParams};
        let params = PortfolioParams::DERIBIT_BTC;
        if mode == 2 {
            let grid = Grid::new(params, forward).ok_or(ProgramError::InvalidArgument)?;
            let pnl = grid
                .series_scenarios(side, strike, seconds.min(86_400 * 30), vol)
                .ok_or(ProgramError::InvalidArgument)?;
            core::hint::black_box(pnl);
        } else {
            let pnl = core::hint::black_box([1_234_567i64; 20]);
            let n = (seconds as usize).clamp(1, 16);
            let mut list = [PmPosition {
                size: -100_000,
                side,
                expiry_ts: 0,
                pnl: &pnl,
            }; 16];
            for (i, p) in list.iter_mut().enumerate() {
                p.expiry_ts = (i % 3) as i64;
                p.size = if i % 2 == 0 { -100_000 } else { 100_000 };
            }
            let req = requirement(&params, core::hint::black_box(&list[..n]), 0, forward)
                .ok_or(ProgramError::InvalidArgument)?;
            core::hint::black_box(req);
        }
    }
    if mode == 1 {
        let result =
            black76(side, forward, strike, seconds, vol).ok_or(ProgramError::InvalidArgument)?;
        // Keep the result alive without logging (a log would dominate the measurement).
        if result.price == u64::MAX {
            return Err(ProgramError::Custom(0));
        }
        core::hint::black_box(result);
    }
    core::hint::black_box((side, forward, strike, seconds, vol));
    Ok(())
}
