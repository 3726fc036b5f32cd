//! BSD loopback (DLT_NULL / DLT_LOOP) headers: a 4-byte address family, in the capturing
//! host's byte order for DLT_NULL and big-endian for DLT_LOOP.

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

fn family_of(v: u32) -> Family {
    match v {
        AF_INET => Family::Ipv4,
        AF_INET6_BSD | AF_INET6_FREEBSD | AF_INET6_DARWIN => Family::Ipv6,
        _ => Family::Unknown,
    }
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
    /// The raw family field, little-endian.
    pub fn raw_le(&self) -> u32 {
        u32::from_le_bytes([self.buf[0], self.buf[1], self.buf[2], self.buf[3]])
    }
    /// The raw family field, big-endian.
    pub fn raw_be(&self) -> u32 {
        u32::from_be_bytes([self.buf[0], self.buf[1], self.buf[2], self.buf[3]])
    }
    /// The family read little-endian (DLT_NULL written on a little-endian host).
    pub fn family_le(&self) -> Family {
        family_of(self.raw_le())
    }
    /// The family read big-endian (DLT_LOOP, or DLT_NULL from a big-endian host).
    pub fn family_be(&self) -> Family {
        family_of(self.raw_be())
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
        let v6 = [30, 0, 0, 0];
        let bad = [7, 0, 0, 0];
        fn h(b: &[u8; 4]) -> NullHeader<'_> {
            NullHeader::new_checked(&b[..]).unwrap()
        }
        assert_eq!(h(&le).family_le(), Family::Ipv4);
        assert_eq!(h(&le).family_be(), Family::Unknown);
        assert_eq!(h(&be).family_be(), Family::Ipv4);
        assert_eq!(h(&v6).family_le(), Family::Ipv6);
        assert_eq!(h(&bad).family_le(), Family::Unknown);
        assert!(NullHeader::new_checked(&le[..3]).is_err());
    }
}
