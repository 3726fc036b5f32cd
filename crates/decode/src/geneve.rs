//! Geneve headers (RFC 8926).

use crate::wire::{be16, need, Error};

pub const MIN_HEADER_LEN: usize = 8;
/// Option header: class (2), type (1), reserved + length (1).
pub const OPT_HEADER_LEN: usize = 4;

/// A checked view of a Geneve header, options included.
#[derive(Clone, Copy, Debug)]
pub struct GeneveHeader<'a> {
    buf: &'a [u8],
}

impl<'a> GeneveHeader<'a> {
    /// Checks that the fixed part and the options it announces are present.
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, MIN_HEADER_LEN)?;
        let h = GeneveHeader { buf };
        need(buf, h.header_len())?;
        Ok(h)
    }
    pub fn version(&self) -> u8 {
        self.buf[0] >> 6
    }
    /// Options length in bytes.
    pub fn options_len(&self) -> usize {
        usize::from(self.buf[0] & 0x3f) * 4
    }
    pub fn header_len(&self) -> usize {
        MIN_HEADER_LEN + self.options_len()
    }
    pub fn oam(&self) -> bool {
        self.buf[1] & 0x80 != 0
    }
    pub fn critical(&self) -> bool {
        self.buf[1] & 0x40 != 0
    }
    pub fn protocol(&self) -> u16 {
        be16(self.buf, 2)
    }
    pub fn options(&self) -> &'a [u8] {
        &self.buf[MIN_HEADER_LEN..self.header_len()]
    }
    /// True when the options exactly fill the announced options length.
    pub fn options_consistent(&self) -> bool {
        let opts = self.options();
        let mut off = 0usize;
        while off < opts.len() {
            if opts.len() - off < OPT_HEADER_LEN {
                return false;
            }
            let len = OPT_HEADER_LEN + usize::from(opts[off + 3] & 0x1f) * 4;
            if len > opts.len() - off {
                return false;
            }
            off += len;
        }
        true
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[self.header_len()..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        let h = [
            0x02, 0x00, 0x65, 0x58, // ver 0, opt len 2 words, proto transparent Ethernet
            0x00, 0x00, 0x01, 0x00, // VNI 1, reserved
            0x01, 0x02, 0x03, 0x01, // option class 0x0102 type 3 len 1 word
            0xaa, 0xbb, 0xcc, 0xdd, // option data
        ];
        let g = GeneveHeader::new_checked(&h).unwrap();
        assert_eq!(g.header_len(), 16);
        assert_eq!(g.protocol(), 0x6558);
        assert!(g.options_consistent());
        assert!(GeneveHeader::new_checked(&h[..12]).is_err());
        let mut bad = h;
        bad[11] = 0x02; // option claims 2 words
        assert!(!GeneveHeader::new_checked(&bad)
            .unwrap()
            .options_consistent());
    }
}
