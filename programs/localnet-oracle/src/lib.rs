//! LOCALNET ONLY. A price publisher for a local validator, loaded at genesis at the Pyth
//! receiver's program id (`rec5EKMG…`), so the accounts it owns are indistinguishable, to the
//! vault, from real Pyth pull-oracle `PriceUpdateV2` accounts. Mainnet and devnet have the real
//! receiver at that address; this program must never be deployed anywhere else.
//!
//! One instruction, `publish`: accounts `[price_update (writable, owned by this program),
//! authority (signer)]`, data = a complete `PriceUpdateV2` account image (Anchor discriminator
//! plus Borsh body) serialised by the client with `pyth-solana-receiver-sdk`. The program does
//! not re-encode prices; it checks who may write:
//! - the image must carry the `PriceUpdateV2` discriminator and name the signer as its
//!   `write_authority`;
//! - an account that already holds an update may only be overwritten by its recorded authority.
#![allow(unexpected_cfgs)]

#[cfg(feature = "upstream-sbf")]
use sbf_i128 as _;
#[cfg(feature = "upstream-sbf")]
use solana_compiler_builtins as _;

use solana_account_info::AccountInfo;
use solana_program_error::ProgramError;
use solana_pubkey::Pubkey;

#[cfg(not(feature = "no-entrypoint"))]
solana_program_entrypoint::entrypoint!(process);

/// `sha256("account:PriceUpdateV2")[..8]`, checked against the receiver SDK in the tests.
pub const PRICE_UPDATE_V2_DISCRIMINATOR: [u8; 8] = [34, 241, 35, 99, 157, 126, 244, 205];
const AUTHORITY: core::ops::Range<usize> = 8..40;

/// Errors, as `ProgramError::Custom` codes.
#[repr(u32)]
pub enum PublisherError {
    NotPriceUpdate = 1,
    AuthorityNotSigner = 2,
    WrongAuthority = 3,
    ImageTooLarge = 4,
}

impl From<PublisherError> for ProgramError {
    fn from(e: PublisherError) -> Self {
        ProgramError::Custom(e as u32)
    }
}

pub fn process(
    program_id: &Pubkey,
    accounts: &[AccountInfo],
    image: &[u8],
) -> Result<(), ProgramError> {
    let [price_update, authority, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    if price_update.owner != program_id {
        return Err(ProgramError::IncorrectProgramId);
    }
    if !authority.is_signer {
        return Err(PublisherError::AuthorityNotSigner.into());
    }
    if image.get(..8) != Some(&PRICE_UPDATE_V2_DISCRIMINATOR[..])
        || image.get(AUTHORITY) != Some(authority.key.as_ref())
    {
        return Err(PublisherError::NotPriceUpdate.into());
    }
    let mut data = price_update.try_borrow_mut_data()?;
    if image.len() > data.len() {
        return Err(PublisherError::ImageTooLarge.into());
    }
    let initialised = data.get(..8) == Some(&PRICE_UPDATE_V2_DISCRIMINATOR[..]);
    if initialised && data.get(AUTHORITY) != Some(authority.key.as_ref()) {
        return Err(PublisherError::WrongAuthority.into());
    }
    data[..image.len()].copy_from_slice(image);
    data[image.len()..].fill(0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::Discriminator;
    use pyth_solana_receiver_sdk::price_update::PriceUpdateV2;

    #[test]
    fn discriminator_matches_the_receiver_sdk() {
        assert_eq!(PriceUpdateV2::DISCRIMINATOR, PRICE_UPDATE_V2_DISCRIMINATOR);
    }
}
