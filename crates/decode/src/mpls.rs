//! MPLS label stack entries.

use crate::wire::{be32, need, Error};

pub const HEADER_LEN: usize = 4;
/// Pseudowire control word before an Ethernet payload.
pub const PW_LEN: usize = 4;

pub const LABEL_IPV4_EXPLICIT_NULL: u32 = 0;
pub const LABEL_ROUTER_ALERT: u32 = 1;
pub const LABEL_IPV6_EXPLICIT_NULL: u32 = 2;
pub const LABEL_IMPLICIT_NULL: u32 = 3;
/// Labels below this are reserved.
pub const LABEL_MAX_RESERVED: u32 = 16;

/// A checked view of one label stack entry.
#[derive(Clone, Copy, Debug)]
pub struct MplsEntry<'a> {
    buf: &'a [u8],
}

impl<'a> MplsEntry<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(MplsEntry { buf })
    }
    pub fn label(&self) -> u32 {
        be32(self.buf, 0) >> 12
    }
    pub fn traffic_class(&self) -> u8 {
        ((be32(self.buf, 0) >> 9) & 0x7) as u8
    }
    /// Bottom-of-stack bit.
    pub fn bottom(&self) -> bool {
        be32(self.buf, 0) & 0x100 != 0
    }
    pub fn ttl(&self) -> u8 {
        self.buf[3]
    }
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry() {
        // label 0x12345, TC 3, bottom, TTL 64
        let b = [0x12, 0x34, 0x57, 0x40];
        let e = MplsEntry::new_checked(&b).unwrap();
        assert_eq!(e.label(), 0x12345);
        assert_eq!(e.traffic_class(), 3);
        assert!(e.bottom());
        assert_eq!(e.ttl(), 64);
    }
}
