//! Account decoding with the program's own types: Anchor accounts through their discriminator
//! and Borsh, zero-copy accounts by casting the body after the discriminator.
use anchor_lang::{AccountDeserialize, Discriminator};

#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The data does not start with the expected 8-byte discriminator.
    WrongDiscriminator,
    /// The data is shorter than the type.
    TooShort {
        len: usize,
        need: usize,
    },
    Borsh(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::WrongDiscriminator => write!(f, "account discriminator does not match"),
            Self::TooShort { len, need } => write!(f, "account data is {len} bytes, need {need}"),
            Self::Borsh(e) => write!(f, "account does not decode: {e}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A Borsh (`#[account]`) account.
pub fn anchor_account<T: AccountDeserialize + Discriminator>(
    data: &[u8],
) -> Result<T, DecodeError> {
    if !data.starts_with(T::DISCRIMINATOR) {
        return Err(DecodeError::WrongDiscriminator);
    }
    let mut slice = data;
    T::try_deserialize(&mut slice).map_err(|e| DecodeError::Borsh(e.to_string()))
}

/// A zero-copy (`#[account(zero_copy)]`) account, copied out (account data is not aligned).
pub fn zero_copy<T: bytemuck::Pod + Discriminator>(data: &[u8]) -> Result<T, DecodeError> {
    if !data.starts_with(T::DISCRIMINATOR) {
        return Err(DecodeError::WrongDiscriminator);
    }
    let need = 8 + std::mem::size_of::<T>();
    let body = data.get(8..need).ok_or(DecodeError::TooShort {
        len: data.len(),
        need,
    })?;
    Ok(bytemuck::pod_read_unaligned(body))
}

/// The Anchor events of type `T` in a transaction's logs (`Program data: <base64>` lines).
pub fn events<T: anchor_lang::Event + anchor_lang::AnchorDeserialize>(logs: &[String]) -> Vec<T> {
    use base64::Engine;
    logs.iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .filter_map(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .filter(|bytes| bytes.starts_with(T::DISCRIMINATOR))
        .filter_map(|bytes| T::try_from_slice(&bytes[T::DISCRIMINATOR.len()..]).ok())
        .collect()
}
