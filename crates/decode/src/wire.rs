//! Shared helpers of the checked header views.

/// Why a header view could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// Fewer bytes than the fixed header needs.
    Truncated,
    /// A length or version field that cannot be right.
    Malformed,
}

/// Big-endian u16 at `off`, `None` when the bytes do not hold it.
#[inline]
pub(crate) fn get_be16(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

/// Big-endian u32 at `off`, `None` when the bytes do not hold it.
#[inline]
pub(crate) fn get_be32(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Big-endian u16 at `off` of a view already checked to hold it (0 otherwise).
#[inline]
pub(crate) fn be16(b: &[u8], off: usize) -> u16 {
    get_be16(b, off).unwrap_or(0)
}

/// Big-endian u32 at `off` of a view already checked to hold it (0 otherwise).
#[inline]
pub(crate) fn be32(b: &[u8], off: usize) -> u32 {
    get_be32(b, off).unwrap_or(0)
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
