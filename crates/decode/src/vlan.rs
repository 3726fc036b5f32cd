//! IEEE 802.1Q / 802.1ad VLAN tags, 802.1ah (PBB) I-tags and Cisco VN-Tags.

use crate::wire::{be16, need, Error};

pub const HEADER_LEN: usize = 4;
/// 802.1ah: I-TAG (4) + customer destination, source and EtherType (14).
pub const IEEE8021AH_HEADER_LEN: usize = 18;
/// VN-Tag (4) + EtherType (2).
pub const VNTAG_HEADER_LEN: usize = 6;

/// A checked view of a VLAN tag (the bytes after the 0x8100/0x88a8/0x9100 EtherType).
#[derive(Clone, Copy, Debug)]
pub struct VlanTag<'a> {
    buf: &'a [u8],
}

impl<'a> VlanTag<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(VlanTag { buf })
    }
    pub fn priority(&self) -> u8 {
        self.buf[0] >> 5
    }
    /// The 12-bit VLAN id.
    pub fn id(&self) -> u16 {
        be16(self.buf, 0) & 0x0fff
    }
    /// The EtherType of what follows.
    pub fn ether_type(&self) -> u16 {
        be16(self.buf, 2)
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }
}

/// A checked view of an 802.1ah header.
#[derive(Clone, Copy, Debug)]
pub struct Ieee8021ah<'a> {
    buf: &'a [u8],
}

impl<'a> Ieee8021ah<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, IEEE8021AH_HEADER_LEN)?;
        Ok(Ieee8021ah { buf })
    }
    /// 24-bit service instance id.
    pub fn isid(&self) -> u32 {
        crate::wire::be32(self.buf, 0) & 0x00ff_ffff
    }
    pub fn ether_type(&self) -> u16 {
        be16(self.buf, 16)
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[IEEE8021AH_HEADER_LEN..]
    }
}

/// A checked view of a VN-Tag.
#[derive(Clone, Copy, Debug)]
pub struct VnTag<'a> {
    buf: &'a [u8],
}

impl<'a> VnTag<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, VNTAG_HEADER_LEN)?;
        Ok(VnTag { buf })
    }
    pub fn ether_type(&self) -> u16 {
        be16(self.buf, 4)
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[VNTAG_HEADER_LEN..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_fields() {
        // PCP 5, DEI 0, VID 0x123; inner EtherType IPv6
        let t = [0xa1, 0x23, 0x86, 0xdd, 0x60];
        let v = VlanTag::new_checked(&t).unwrap();
        assert_eq!(v.priority(), 5);
        assert_eq!(v.id(), 0x123);
        assert_eq!(v.ether_type(), 0x86dd);
        assert_eq!(v.payload(), &[0x60]);
        assert!(VlanTag::new_checked(&t[..3]).is_err());
    }
}
