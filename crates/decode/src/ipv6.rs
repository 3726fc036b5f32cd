//! IPv6 headers (RFC 8200) and extension header numbers.

use std::net::Ipv6Addr;

use crate::wire::{arr, be16, need, Error};

pub const HEADER_LEN: usize = 40;
/// Fragment extension header length.
pub const FRAG_HEADER_LEN: usize = 8;
/// Fixed part of the authentication header (next, len, reserved, SPI, sequence).
pub const AH_HEADER_LEN: usize = 12;

pub const NH_HOPOPTS: u8 = 0;
pub const NH_ICMP: u8 = 1;
pub const NH_IPIP: u8 = 4;
pub const NH_TCP: u8 = 6;
pub const NH_UDP: u8 = 17;
pub const NH_IPV6: u8 = 41;
pub const NH_ROUTING: u8 = 43;
pub const NH_FRAGMENT: u8 = 44;
pub const NH_GRE: u8 = 47;
pub const NH_ESP: u8 = 50;
pub const NH_AH: u8 = 51;
pub const NH_ICMPV6: u8 = 58;
pub const NH_NONE: u8 = 59;
pub const NH_DSTOPTS: u8 = 60;
pub const NH_MH: u8 = 135;
pub const NH_HIP: u8 = 139;
pub const NH_SHIM6: u8 = 140;
pub const NH_SCTP: u8 = 132;

pub const OPT_PAD1: u8 = 0x00;
pub const OPT_PADN: u8 = 0x01;
pub const OPT_RA: u8 = 0x05;
pub const OPT_JUMBO: u8 = 0xc2;
pub const OPT_HAO: u8 = 0xc9;

/// A checked view of the fixed IPv6 header.
#[derive(Clone, Copy, Debug)]
pub struct Ipv6Packet<'a> {
    buf: &'a [u8],
}

impl<'a> Ipv6Packet<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(Ipv6Packet { buf })
    }
    pub fn version(&self) -> u8 {
        self.buf[0] >> 4
    }
    pub fn traffic_class(&self) -> u8 {
        ((be16(self.buf, 0) >> 4) & 0xff) as u8
    }
    pub fn flow_label(&self) -> u32 {
        crate::wire::be32(self.buf, 0) & 0x000f_ffff
    }
    pub fn payload_len(&self) -> usize {
        usize::from(be16(self.buf, 4))
    }
    pub fn next_header(&self) -> u8 {
        self.buf[6]
    }
    pub fn hop_limit(&self) -> u8 {
        self.buf[7]
    }
    pub fn src(&self) -> Ipv6Addr {
        Ipv6Addr::from(arr::<16>(self.buf, 8))
    }
    pub fn dst(&self) -> Ipv6Addr {
        Ipv6Addr::from(arr::<16>(self.buf, 24))
    }
}

/// A checked view of a fragment extension header.
#[derive(Clone, Copy, Debug)]
pub struct FragHeader<'a> {
    buf: &'a [u8],
}

impl<'a> FragHeader<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, FRAG_HEADER_LEN)?;
        Ok(FragHeader { buf })
    }
    pub fn next_header(&self) -> u8 {
        self.buf[0]
    }
    pub fn reserved(&self) -> u8 {
        self.buf[1]
    }
    /// Offset in bytes.
    pub fn offset(&self) -> u32 {
        u32::from(be16(self.buf, 2) & 0xfff8)
    }
    pub fn more(&self) -> bool {
        self.buf[3] & 0x01 != 0
    }
    pub fn ident(&self) -> u32 {
        crate::wire::be32(self.buf, 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_header() {
        let mut h = [0u8; 40];
        h[0] = 0x60; // version 6
        h[4..6].copy_from_slice(&8u16.to_be_bytes()); // payload length
        h[6] = NH_UDP;
        h[7] = 64;
        h[23] = 1; // src ::1
        let p = Ipv6Packet::new_checked(&h).unwrap();
        assert_eq!(p.version(), 6);
        assert_eq!(p.payload_len(), 8);
        assert_eq!(p.next_header(), NH_UDP);
        assert_eq!(p.src(), Ipv6Addr::LOCALHOST);
        assert!(Ipv6Packet::new_checked(&h[..39]).is_err());
    }

    #[test]
    fn frag_header() {
        // next TCP, reserved 0, offset 185*8 with M, id 0xdeadbeef
        let f = [6, 0, 0x05, 0xc9, 0xde, 0xad, 0xbe, 0xef];
        let h = FragHeader::new_checked(&f).unwrap();
        assert_eq!(h.offset(), 185 * 8);
        assert!(h.more());
        assert_eq!(h.ident(), 0xdead_beef);
    }
}
