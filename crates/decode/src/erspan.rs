//! ERSPAN type II headers (type I has no header of its own).

use crate::wire::{be16, need, Error};

pub const HEADER_LEN: usize = 8;

/// A checked view of an ERSPAN type II header.
#[derive(Clone, Copy, Debug)]
pub struct ErspanHeader<'a> {
    buf: &'a [u8],
}

impl<'a> ErspanHeader<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(ErspanHeader { buf })
    }
    /// 4-bit version: 1 for type II.
    pub fn version(&self) -> u8 {
        (be16(self.buf, 0) >> 12) as u8
    }
    pub fn vlan(&self) -> u16 {
        be16(self.buf, 0) & 0x0fff
    }
    pub fn session_id(&self) -> u16 {
        be16(self.buf, 2) & 0x03ff
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }
}
