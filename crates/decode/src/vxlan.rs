//! VXLAN headers (RFC 7348).

use crate::wire::{be32, need, Error};

pub const HEADER_LEN: usize = 8;

/// A checked view of a VXLAN header.
#[derive(Clone, Copy, Debug)]
pub struct VxlanHeader<'a> {
    buf: &'a [u8],
}

impl<'a> VxlanHeader<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(VxlanHeader { buf })
    }
    /// The "I" flag: a valid VNI is present.
    pub fn vni_valid(&self) -> bool {
        self.buf[0] & 0x08 != 0
    }
    pub fn vni(&self) -> u32 {
        be32(self.buf, 4) >> 8
    }
    /// Last reserved byte.
    pub fn reserved(&self) -> u8 {
        self.buf[7]
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }
}
