//! IPv4 headers (RFC 791) and their options.

use std::net::Ipv4Addr;

use crate::wire::{arr, be16, need, Error};

pub const HEADER_LEN: usize = 20;

pub const OPT_EOL: u8 = 0x00;
pub const OPT_NOP: u8 = 0x01;
pub const OPT_RR: u8 = 0x07;
pub const OPT_QS: u8 = 0x19;
pub const OPT_TS: u8 = 0x44;
pub const OPT_SEC: u8 = 0x82;
pub const OPT_LSRR: u8 = 0x83;
pub const OPT_ESEC: u8 = 0x85;
pub const OPT_CIPSO: u8 = 0x86;
pub const OPT_SID: u8 = 0x88;
pub const OPT_SSRR: u8 = 0x89;
pub const OPT_RTRALT: u8 = 0x94;

/// Bits of `Packet::ipv4_opts`: which options a header carried.
pub const OPT_FLAG_EOL: u16 = 1 << 1;
pub const OPT_FLAG_NOP: u16 = 1 << 2;
pub const OPT_FLAG_RR: u16 = 1 << 3;
pub const OPT_FLAG_TS: u16 = 1 << 4;
pub const OPT_FLAG_QS: u16 = 1 << 5;
pub const OPT_FLAG_LSRR: u16 = 1 << 6;
pub const OPT_FLAG_SSRR: u16 = 1 << 7;
pub const OPT_FLAG_SID: u16 = 1 << 8;
pub const OPT_FLAG_SEC: u16 = 1 << 9;
pub const OPT_FLAG_CIPSO: u16 = 1 << 10;
pub const OPT_FLAG_RTRALT: u16 = 1 << 11;
pub const OPT_FLAG_ESEC: u16 = 1 << 12;

/// Minimum and exact option lengths checked by the decoder.
pub const OPT_QS_MIN: usize = 8;
pub const OPT_SEC_MIN: usize = 3;
pub const OPT_ESEC_MIN: usize = 3;
pub const OPT_SID_LEN: usize = 4;
pub const OPT_RTRALT_LEN: usize = 4;
pub const OPT_ROUTE_MIN: usize = 3;
pub const OPT_TS_MIN: usize = 5;
pub const OPT_CIPSO_MIN: usize = 10;

/// A checked view of an IPv4 header: the fixed 20 bytes are present. Header and total
/// lengths are not checked here (the decoder reports them as events).
#[derive(Clone, Copy, Debug)]
pub struct Ipv4Packet<'a> {
    buf: &'a [u8],
}

impl<'a> Ipv4Packet<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(Ipv4Packet { buf })
    }
    pub fn version(&self) -> u8 {
        self.buf[0] >> 4
    }
    /// Header length in bytes.
    pub fn header_len(&self) -> usize {
        usize::from(self.buf[0] & 0x0f) * 4
    }
    pub fn tos(&self) -> u8 {
        self.buf[1]
    }
    pub fn total_len(&self) -> usize {
        usize::from(be16(self.buf, 2))
    }
    pub fn ident(&self) -> u16 {
        be16(self.buf, 4)
    }
    pub fn dont_frag(&self) -> bool {
        self.buf[6] & 0x40 != 0
    }
    pub fn more_frags(&self) -> bool {
        self.buf[6] & 0x20 != 0
    }
    /// Reserved ("evil") flag bit.
    pub fn reserved_flag(&self) -> bool {
        self.buf[6] & 0x80 != 0
    }
    /// Fragment offset in bytes.
    pub fn frag_offset(&self) -> u32 {
        u32::from(be16(self.buf, 6) & 0x1fff) * 8
    }
    pub fn ttl(&self) -> u8 {
        self.buf[8]
    }
    pub fn protocol(&self) -> u8 {
        self.buf[9]
    }
    pub fn checksum(&self) -> u16 {
        be16(self.buf, 10)
    }
    pub fn src(&self) -> Ipv4Addr {
        Ipv4Addr::from(arr::<4>(self.buf, 12))
    }
    pub fn dst(&self) -> Ipv4Addr {
        Ipv4Addr::from(arr::<4>(self.buf, 16))
    }
    /// Options bytes (empty when the header length is short or past the buffer).
    pub fn options(&self) -> &'a [u8] {
        self.buf.get(HEADER_LEN..self.header_len()).unwrap_or(&[])
    }
    /// Whole header including options, when present in the buffer.
    pub fn header(&self) -> Option<&'a [u8]> {
        self.buf.get(..self.header_len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let h = [
            0x46, 0x00, 0x00, 0x20, // v4, ihl 6, tos 0, total 32
            0x12, 0x34, 0x20, 0x02, // id 0x1234, MF, offset 2*8
            0x40, 0x06, 0x00, 0x00, // ttl 64, TCP, checksum
            10, 0, 0, 1, // src
            10, 0, 0, 2, // dst
            0x01, 0x01, 0x01, 0x00, // options: NOP NOP NOP EOL
        ];
        let p = Ipv4Packet::new_checked(&h).unwrap();
        assert_eq!(p.version(), 4);
        assert_eq!(p.header_len(), 24);
        assert_eq!(p.total_len(), 32);
        assert_eq!(p.ident(), 0x1234);
        assert!(p.more_frags());
        assert_eq!(p.frag_offset(), 16);
        assert_eq!(p.protocol(), 6);
        assert_eq!(p.src(), Ipv4Addr::new(10, 0, 0, 1));
        assert_eq!(p.options(), &[1, 1, 1, 0]);
        assert!(Ipv4Packet::new_checked(&h[..19]).is_err());
    }
}
