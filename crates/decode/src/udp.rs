//! UDP headers (RFC 768).

use crate::wire::{be16, need, Error};

pub const HEADER_LEN: usize = 8;

/// A checked view of a UDP header.
#[derive(Clone, Copy, Debug)]
pub struct UdpPacket<'a> {
    buf: &'a [u8],
}

impl<'a> UdpPacket<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(UdpPacket { buf })
    }
    pub fn src_port(&self) -> u16 {
        be16(self.buf, 0)
    }
    pub fn dst_port(&self) -> u16 {
        be16(self.buf, 2)
    }
    /// Length field (header + payload).
    pub fn len(&self) -> usize {
        usize::from(be16(self.buf, 4))
    }
    pub fn is_empty(&self) -> bool {
        self.len() <= HEADER_LEN
    }
    pub fn checksum(&self) -> u16 {
        be16(self.buf, 6)
    }
}
