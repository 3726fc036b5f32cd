//! ICMPv4 messages (RFC 792 and later).

use crate::wire::{be16, need, Error};

pub const HEADER_LEN: usize = 8;
/// Originate/receive/transmit timestamps after the header of timestamp messages.
pub const TIMESTAMP_LEN: usize = 12;

pub const ECHO_REPLY: u8 = 0;
pub const DEST_UNREACH: u8 = 3;
pub const SOURCE_QUENCH: u8 = 4;
pub const REDIRECT: u8 = 5;
pub const ECHO: u8 = 8;
pub const ROUTER_ADVERT: u8 = 9;
pub const ROUTER_SOLICIT: u8 = 10;
pub const TIME_EXCEEDED: u8 = 11;
pub const PARAM_PROB: u8 = 12;
pub const TIMESTAMP: u8 = 13;
pub const TIMESTAMP_REPLY: u8 = 14;
pub const INFO_REQUEST: u8 = 15;
pub const INFO_REPLY: u8 = 16;
pub const ADDRESS: u8 = 17;
pub const ADDRESS_REPLY: u8 = 18;

/// Highest destination-unreachable code.
pub const UNREACH_CODE_MAX: u8 = 15;
/// Highest redirect code.
pub const REDIRECT_CODE_MAX: u8 = 3;
/// Highest time-exceeded code.
pub const TIME_EXCEEDED_CODE_MAX: u8 = 1;

/// A checked view of an ICMPv4 message header.
#[derive(Clone, Copy, Debug)]
pub struct Icmpv4Packet<'a> {
    buf: &'a [u8],
}

impl<'a> Icmpv4Packet<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(Icmpv4Packet { buf })
    }
    pub fn msg_type(&self) -> u8 {
        self.buf[0]
    }
    pub fn code(&self) -> u8 {
        self.buf[1]
    }
    pub fn checksum(&self) -> u16 {
        be16(self.buf, 2)
    }
    /// Identifier of echo-like messages.
    pub fn ident(&self) -> u16 {
        be16(self.buf, 4)
    }
    pub fn seq(&self) -> u16 {
        be16(self.buf, 6)
    }
    /// Router advertisement: number of addresses and address entry size (in words).
    pub fn router_advert_len(&self) -> usize {
        usize::from(self.buf[4]) * usize::from(self.buf[5]) * 4
    }
    /// Bytes after the 8-byte header.
    pub fn body(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }
}

/// The message type answering (or answered by) `t`: echo <-> echo reply, timestamp,
/// information, router solicitation/advertisement and address mask pairs.
pub fn counterpart(t: u8) -> Option<u8> {
    Some(match t {
        ECHO => ECHO_REPLY,
        ECHO_REPLY => ECHO,
        TIMESTAMP => TIMESTAMP_REPLY,
        TIMESTAMP_REPLY => TIMESTAMP,
        INFO_REQUEST => INFO_REPLY,
        INFO_REPLY => INFO_REQUEST,
        ROUTER_SOLICIT => ROUTER_ADVERT,
        ROUTER_ADVERT => ROUTER_SOLICIT,
        ADDRESS => ADDRESS_REPLY,
        ADDRESS_REPLY => ADDRESS,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counterparts_are_symmetric() {
        for t in 0..=255u8 {
            if let Some(c) = counterpart(t) {
                assert_eq!(counterpart(c), Some(t));
            }
        }
        assert_eq!(counterpart(ECHO), Some(ECHO_REPLY));
        assert_eq!(counterpart(DEST_UNREACH), None);
    }
}
