//! Ethernet II frames and the EtherType numbers the decoder knows.

use crate::wire::{arr, be16, need, Error};

pub const HEADER_LEN: usize = 14;

/// EtherType values.
pub mod ethertype {
    pub const IPV4: u16 = 0x0800;
    pub const ARP: u16 = 0x0806;
    pub const BRIDGE: u16 = 0x6558;
    pub const VLAN: u16 = 0x8100;
    pub const IPV6: u16 = 0x86dd;
    pub const PPP: u16 = 0x880b;
    pub const MPLS_UNICAST: u16 = 0x8847;
    pub const MPLS_MULTICAST: u16 = 0x8848;
    pub const PPPOE_DISC: u16 = 0x8863;
    pub const PPPOE_SESS: u16 = 0x8864;
    pub const IEEE8021AD: u16 = 0x88a8;
    pub const ERSPAN: u16 = 0x88be;
    pub const IEEE8021AH: u16 = 0x88e7;
    pub const DCE: u16 = 0x8903;
    pub const VNTAG: u16 = 0x8926;
    pub const NSH: u16 = 0x894f;
    pub const QINQ: u16 = 0x9100;
}

/// A checked view of an Ethernet II header.
#[derive(Clone, Copy, Debug)]
pub struct EthernetFrame<'a> {
    buf: &'a [u8],
}

impl<'a> EthernetFrame<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(EthernetFrame { buf })
    }
    pub fn dst(&self) -> [u8; 6] {
        arr(self.buf, 0)
    }
    pub fn src(&self) -> [u8; 6] {
        arr(self.buf, 6)
    }
    pub fn ether_type(&self) -> u16 {
        be16(self.buf, 12)
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let f = [
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, // dst
            0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, // src
            0x08, 0x00, // IPv4
            0xde, 0xad, // payload
        ];
        let e = EthernetFrame::new_checked(&f).unwrap();
        assert_eq!(e.dst(), [0x00, 0x11, 0x22, 0x33, 0x44, 0x55]);
        assert_eq!(e.src()[5], 0xbb);
        assert_eq!(e.ether_type(), ethertype::IPV4);
        assert_eq!(e.payload(), &[0xde, 0xad]);
        assert_eq!(
            EthernetFrame::new_checked(&f[..13]).err(),
            Some(Error::Truncated)
        );
    }
}
