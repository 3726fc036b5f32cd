//! PPPoE discovery and session headers (RFC 2516).

use crate::wire::{be16, need, Error};

pub const DISCOVERY_HEADER_LEN: usize = 6;
/// Session header (6) plus the PPP protocol field (2).
pub const SESSION_HEADER_LEN: usize = 8;

pub const CODE_PADI: u8 = 0x09;
pub const CODE_PADO: u8 = 0x07;
pub const CODE_PADR: u8 = 0x19;
pub const CODE_PADS: u8 = 0x65;
pub const CODE_PADT: u8 = 0xa7;

/// A checked view of a PPPoE header (discovery or session).
#[derive(Clone, Copy, Debug)]
pub struct PppoeHeader<'a> {
    buf: &'a [u8],
}

impl<'a> PppoeHeader<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, DISCOVERY_HEADER_LEN)?;
        Ok(PppoeHeader { buf })
    }
    pub fn version(&self) -> u8 {
        self.buf[0] >> 4
    }
    pub fn ptype(&self) -> u8 {
        self.buf[0] & 0x0f
    }
    pub fn code(&self) -> u8 {
        self.buf[1]
    }
    pub fn session_id(&self) -> u16 {
        be16(self.buf, 2)
    }
    /// Payload length claimed by the header.
    pub fn length(&self) -> u16 {
        be16(self.buf, 4)
    }
    /// Session packets: the PPP protocol (0 when the header is too short to hold it).
    pub fn ppp_protocol(&self) -> u16 {
        be16(self.buf, 6)
    }
    pub fn payload(&self) -> &'a [u8] {
        &self.buf[DISCOVERY_HEADER_LEN..]
    }
}

/// Whether a discovery code is one of the five RFC 2516 codes.
pub fn is_discovery_code(code: u8) -> bool {
    matches!(
        code,
        CODE_PADI | CODE_PADO | CODE_PADR | CODE_PADS | CODE_PADT
    )
}

/// Walks the discovery tags of `tags` (bounded by its length); false when a tag runs past
/// the end.
pub fn tags_well_formed(tags: &[u8]) -> bool {
    let mut off = 0usize;
    while off < tags.len() {
        if tags.len() - off < 4 {
            return false;
        }
        let tag_type = be16(tags, off);
        let tag_len = be16(tags, off + 2) as usize;
        off += 4;
        if tag_len > tags.len() - off {
            return false;
        }
        off += tag_len;
        // End-Of-List tag.
        if tag_type == 0 {
            break;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_tags() {
        let h = [
            0x11, // version 1, type 1
            0x09, // PADI
            0x00, 0x00, // session id
            0x00, 0x04, // length
            0x01, 0x01, 0x00, 0x00, // Service-Name, len 0
        ];
        let p = PppoeHeader::new_checked(&h).unwrap();
        assert_eq!((p.version(), p.ptype(), p.code()), (1, 1, CODE_PADI));
        assert_eq!(p.length(), 4);
        assert!(tags_well_formed(&p.payload()[..4]));
        // tag claiming 5 bytes with none present
        assert!(!tags_well_formed(&[0x01, 0x01, 0x00, 0x05]));
        assert!(!tags_well_formed(&[0x01, 0x01]));
    }
}
