//! Bounds-checked integer reads in either byte order.

/// Byte order of a pcap file or of one pcapng section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endian {
    Little,
    Big,
}

impl Endian {
    fn array<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
        let end = at.checked_add(N)?;
        b.get(at..end)?.try_into().ok()
    }

    pub(crate) fn u16(self, b: &[u8], at: usize) -> Option<u16> {
        let a = Self::array::<2>(b, at)?;
        Some(match self {
            Endian::Little => u16::from_le_bytes(a),
            Endian::Big => u16::from_be_bytes(a),
        })
    }

    pub(crate) fn u32(self, b: &[u8], at: usize) -> Option<u32> {
        let a = Self::array::<4>(b, at)?;
        Some(match self {
            Endian::Little => u32::from_le_bytes(a),
            Endian::Big => u32::from_be_bytes(a),
        })
    }

    pub(crate) fn u64(self, b: &[u8], at: usize) -> Option<u64> {
        let a = Self::array::<8>(b, at)?;
        Some(match self {
            Endian::Little => u64::from_le_bytes(a),
            Endian::Big => u64::from_be_bytes(a),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Endian;

    #[test]
    fn reads_both_orders_and_checks_bounds() {
        let b = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08];
        assert_eq!(Endian::Little.u16(&b, 0), Some(0x0201));
        assert_eq!(Endian::Big.u16(&b, 0), Some(0x0102));
        assert_eq!(Endian::Little.u32(&b, 4), Some(0x0807_0605));
        assert_eq!(Endian::Big.u32(&b, 4), Some(0x0506_0708));
        assert_eq!(Endian::Big.u64(&b, 0), Some(0x0102_0304_0506_0708));
        assert_eq!(Endian::Little.u32(&b, 5), None);
        assert_eq!(Endian::Little.u64(&b, 1), None);
        assert_eq!(Endian::Little.u16(&b, usize::MAX), None);
    }
}
