//! SCTP common header (RFC 9260).

use crate::wire::{be16, be32, need, Error};

pub const HEADER_LEN: usize = 12;

/// A checked view of the SCTP common header.
#[derive(Clone, Copy, Debug)]
pub struct SctpPacket<'a> {
    buf: &'a [u8],
}

impl<'a> SctpPacket<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(SctpPacket { buf })
    }
    pub fn src_port(&self) -> u16 {
        be16(self.buf, 0)
    }
    pub fn dst_port(&self) -> u16 {
        be16(self.buf, 2)
    }
    pub fn verification_tag(&self) -> u32 {
        be32(self.buf, 4)
    }
    pub fn checksum(&self) -> u32 {
        be32(self.buf, 8)
    }
}
