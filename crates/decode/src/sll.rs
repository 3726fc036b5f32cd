//! Linux "cooked" capture headers, SLL (v1) and SLL2.

use crate::wire::{be16, be32, need, Error};

pub const HEADER_LEN: usize = 16;
pub const SLL2_HEADER_LEN: usize = 20;
/// ARPHRD_IPGRE: the payload is GRE.
pub const ARPHRD_IPGRE: u16 = 778;

/// A checked view of an SLL (v1) header.
#[derive(Clone, Copy, Debug)]
pub struct SllHeader<'a> {
    buf: &'a [u8],
}

impl<'a> SllHeader<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(SllHeader { buf })
    }
    pub fn packet_type(&self) -> u16 {
        be16(self.buf, 0)
    }
    pub fn arphrd_type(&self) -> u16 {
        be16(self.buf, 2)
    }
    pub fn protocol(&self) -> u16 {
        be16(self.buf, 14)
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }
}

/// A checked view of an SLL2 header.
#[derive(Clone, Copy, Debug)]
pub struct Sll2Header<'a> {
    buf: &'a [u8],
}

impl<'a> Sll2Header<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, SLL2_HEADER_LEN)?;
        Ok(Sll2Header { buf })
    }
    pub fn protocol(&self) -> u16 {
        be16(self.buf, 0)
    }
    pub fn ifindex(&self) -> u32 {
        be32(self.buf, 4)
    }
    pub fn arphrd_type(&self) -> u16 {
        be16(self.buf, 8)
    }
    pub fn packet_type(&self) -> u8 {
        self.buf[10]
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[SLL2_HEADER_LEN..]
    }
}
