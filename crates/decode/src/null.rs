//! BSD loopback (DLT_NULL / DLT_LOOP) headers: a 4-byte address family.

use crate::wire::{need, Error};

pub const HEADER_LEN: usize = 4;

pub const AF_INET: u32 = 2;
pub const AF_INET6_BSD: u32 = 24;
pub const AF_INET6_FREEBSD: u32 = 28;
pub const AF_INET6_DARWIN: u32 = 30;

/// The network layer named by the family field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Ipv4,
    Ipv6,
    Unknown,
}

/// A checked view of a loopback header.
#[derive(Clone, Copy, Debug)]
pub struct NullHeader<'a> {
    buf: &'a [u8],
}

impl<'a> NullHeader<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(NullHeader { buf })
    }
    /// The family field read in the capturing host's order (DLT_NULL): pcap files written
    /// on either kind of host occur, so both byte orders are tried; DLT_LOOP is always
    /// big-endian, which the same rule covers.
    pub fn family(&self) -> Family {
        let b = [self.buf[0], self.buf[1], self.buf[2], self.buf[3]];
        for v in [u32::from_le_bytes(b), u32::from_be_bytes(b)] {
            match v {
                AF_INET => return Family::Ipv4,
                AF_INET6_BSD | AF_INET6_FREEBSD | AF_INET6_DARWIN => return Family::Ipv6,
                _ => {}
            }
        }
        Family::Unknown
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_orders() {
        let le = [2, 0, 0, 0];
        let be = [0, 0, 0, 2];
        let v6 = [0, 0, 0, 30];
        let bad = [7, 0, 0, 0];
        assert_eq!(NullHeader::new_checked(&le).unwrap().family(), Family::Ipv4);
        assert_eq!(NullHeader::new_checked(&be).unwrap().family(), Family::Ipv4);
        assert_eq!(NullHeader::new_checked(&v6).unwrap().family(), Family::Ipv6);
        assert_eq!(
            NullHeader::new_checked(&bad).unwrap().family(),
            Family::Unknown
        );
        assert!(NullHeader::new_checked(&le[..3]).is_err());
    }
}
