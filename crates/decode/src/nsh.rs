//! Network Service Header (RFC 8300).

use crate::wire::{be16, need, Error};

pub const MIN_HEADER_LEN: usize = 8;
/// MD type 1 headers are always 6 words.
pub const MD1_HEADER_LEN: usize = 24;

pub const NEXT_IPV4: u8 = 1;
pub const NEXT_IPV6: u8 = 2;
pub const NEXT_ETHERNET: u8 = 3;
pub const NEXT_NSH: u8 = 4;
pub const NEXT_MPLS: u8 = 5;

/// A checked view of the NSH base and service path headers.
#[derive(Clone, Copy, Debug)]
pub struct NshHeader<'a> {
    buf: &'a [u8],
}

impl<'a> NshHeader<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, MIN_HEADER_LEN)?;
        Ok(NshHeader { buf })
    }
    pub fn version(&self) -> u8 {
        self.buf[0] >> 6
    }
    /// Header length in bytes.
    pub fn header_len(&self) -> usize {
        usize::from(be16(self.buf, 0) & 0x3f) * 4
    }
    pub fn md_type(&self) -> u8 {
        self.buf[2] & 0x0f
    }
    pub fn next_protocol(&self) -> u8 {
        self.buf[3]
    }
}
