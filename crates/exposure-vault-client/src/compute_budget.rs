//! ComputeBudget program instructions, encoded by hand: the interface crate would add a second
//! copy of the Solana SDK types to every client for two five-byte instructions.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;

pub const PROGRAM_ID: Pubkey =
    Pubkey::from_str_const("ComputeBudget111111111111111111111111111111");

/// `SetComputeUnitLimit(units)`.
pub fn set_compute_unit_limit(units: u32) -> Instruction {
    let mut data = vec![2u8];
    data.extend_from_slice(&units.to_le_bytes());
    Instruction {
        program_id: PROGRAM_ID,
        accounts: vec![],
        data,
    }
}

/// `SetComputeUnitPrice(micro_lamports)` per CU: the priority fee.
pub fn set_compute_unit_price(micro_lamports: u64) -> Instruction {
    let mut data = vec![3u8];
    data.extend_from_slice(&micro_lamports.to_le_bytes());
    Instruction {
        program_id: PROGRAM_ID,
        accounts: vec![],
        data,
    }
}
