//! GRE headers: version 0 (RFC 1701/2784/2890) and version 1 (enhanced GRE, PPTP).

use crate::wire::{be16, need, Error};

pub const HEADER_LEN: usize = 4;
pub const CHKSUM_LEN: usize = 2;
pub const OFFSET_LEN: usize = 2;
pub const KEY_LEN: usize = 4;
pub const SEQ_LEN: usize = 4;
pub const ACK_LEN: usize = 4;
/// Source route entry header: address family (2), offset (1), length (1).
pub const SRE_HEADER_LEN: usize = 4;

/// A checked view of the fixed GRE header.
#[derive(Clone, Copy, Debug)]
pub struct GreHeader<'a> {
    buf: &'a [u8],
}

impl<'a> GreHeader<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(GreHeader { buf })
    }
    pub fn has_checksum(&self) -> bool {
        self.buf[0] & 0x80 != 0
    }
    pub fn has_routing(&self) -> bool {
        self.buf[0] & 0x40 != 0
    }
    pub fn has_key(&self) -> bool {
        self.buf[0] & 0x20 != 0
    }
    pub fn has_seq(&self) -> bool {
        self.buf[0] & 0x10 != 0
    }
    /// Strict source route bit.
    pub fn has_ssr(&self) -> bool {
        self.buf[0] & 0x08 != 0
    }
    /// Recursion control (3 bits).
    pub fn recursion(&self) -> u8 {
        self.buf[0] & 0x07
    }
    /// Version 1: acknowledgment number present.
    pub fn has_ack(&self) -> bool {
        self.buf[1] & 0x80 != 0
    }
    /// Reserved flag bits (must be zero).
    pub fn flags(&self) -> u8 {
        self.buf[1] & 0x78
    }
    pub fn version(&self) -> u8 {
        self.buf[1] & 0x07
    }
    pub fn protocol(&self) -> u16 {
        be16(self.buf, 2)
    }
    /// Version 1 (PPTP): the payload length carried in the key field's first half, when
    /// the header is long enough to hold it.
    pub fn pptp_payload_len(&self) -> Option<u16> {
        (self.buf.len() >= HEADER_LEN + 2).then(|| be16(self.buf, HEADER_LEN))
    }
}
