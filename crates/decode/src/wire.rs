//! Shared helpers of the checked header views.

/// Why a header view could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// Fewer bytes than the fixed header needs.
    Truncated,
    /// A length or version field that cannot be right.
    Malformed,
}

#[inline]
pub(crate) fn be16(b: &[u8], off: usize) -> u16 {
    match b.get(off..off + 2) {
        Some(s) => u16::from_be_bytes([s[0], s[1]]),
        None => 0,
    }
}

#[inline]
pub(crate) fn be32(b: &[u8], off: usize) -> u32 {
    match b.get(off..off + 4) {
        Some(s) => u32::from_be_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

#[inline]
pub(crate) fn arr<const N: usize>(b: &[u8], off: usize) -> [u8; N] {
    let mut out = [0u8; N];
    if let Some(s) = b.get(off..off + N) {
        out.copy_from_slice(s);
    }
    out
}

/// Checks that `buf` holds at least `n` bytes.
#[inline]
pub(crate) fn need(buf: &[u8], n: usize) -> Result<(), Error> {
    if buf.len() < n {
        Err(Error::Truncated)
    } else {
        Ok(())
    }
}
