//! TCP headers (RFC 9293) and options.

use crate::wire::{be16, be32, need, Error};
use crate::DecodeEvent;

pub const HEADER_LEN: usize = 20;
/// Longest options area (60-byte header).
pub const OPT_LEN_MAX: usize = 40;

pub const OPT_EOL: u8 = 0;
pub const OPT_NOP: u8 = 1;
pub const OPT_MSS: u8 = 2;
pub const OPT_WS: u8 = 3;
pub const OPT_SACKOK: u8 = 4;
pub const OPT_SACK: u8 = 5;
pub const OPT_TS: u8 = 8;
pub const OPT_MD5: u8 = 19;
pub const OPT_AO: u8 = 29;
pub const OPT_TFO: u8 = 34;
pub const OPT_EXP1: u8 = 0xfd;
pub const OPT_EXP2: u8 = 0xfe;

pub const FLAG_FIN: u8 = 0x01;
pub const FLAG_SYN: u8 = 0x02;
pub const FLAG_RST: u8 = 0x04;
pub const FLAG_PSH: u8 = 0x08;
pub const FLAG_ACK: u8 = 0x10;
pub const FLAG_URG: u8 = 0x20;

/// A checked view of the fixed TCP header.
#[derive(Clone, Copy, Debug)]
pub struct TcpPacket<'a> {
    buf: &'a [u8],
}

impl<'a> TcpPacket<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(TcpPacket { buf })
    }
    pub fn src_port(&self) -> u16 {
        be16(self.buf, 0)
    }
    pub fn dst_port(&self) -> u16 {
        be16(self.buf, 2)
    }
    pub fn seq(&self) -> u32 {
        be32(self.buf, 4)
    }
    pub fn ack(&self) -> u32 {
        be32(self.buf, 8)
    }
    /// Header length in bytes from the data offset field.
    pub fn header_len(&self) -> usize {
        usize::from(self.buf[12] >> 4) * 4
    }
    pub fn flags(&self) -> u8 {
        self.buf[13]
    }
    pub fn window(&self) -> u16 {
        be16(self.buf, 14)
    }
    pub fn checksum(&self) -> u16 {
        be16(self.buf, 16)
    }
    pub fn urgent(&self) -> u16 {
        be16(self.buf, 18)
    }
}

/// The options Suricata keeps track of, as found in one segment. Offsets are relative
/// to the start of the TCP header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpOptions {
    pub mss: Option<u16>,
    pub wscale: Option<u8>,
    pub sack_permitted: bool,
    /// SACK option: offset of its blocks and their byte length (a multiple of 8).
    pub sack: Option<(u8, u8)>,
    /// Timestamps (value, echo reply).
    pub ts: Option<(u32, u32)>,
    /// TCP Fast Open (option 34 or the experimental 0xf989 form) was present.
    pub tfo: bool,
    pub md5: bool,
    pub ao: bool,
}

impl TcpOptions {
    /// Number of SACK blocks.
    pub fn sack_blocks(&self) -> usize {
        self.sack.map(|(_, len)| usize::from(len) / 8).unwrap_or(0)
    }
}

/// Parses the options area `opts` (which starts at byte 20 of the header), recording what
/// it finds in `out` and raising events through `ev(event, invalid)` as Suricata does:
/// an option whose length is 0, 1 or past the area stops parsing (`tcp.opt_invalid_len`,
/// invalid); a known option of the wrong size gives `tcp.opt_invalid_len`; a repeated one
/// `tcp.opt_duplicate`.
pub fn parse_options(opts: &[u8], out: &mut TcpOptions, mut ev: impl FnMut(DecodeEvent, bool)) {
    let mut off = 0usize;
    while off < opts.len() {
        let kind = opts[off];
        if kind == OPT_EOL {
            break;
        }
        if kind == OPT_NOP {
            off += 1;
            continue;
        }
        let rest = opts.len() - off;
        if rest < 2 {
            break;
        }
        let olen = usize::from(opts[off + 1]);
        if olen > rest || olen < 2 {
            ev(DecodeEvent::TcpOptInvalidLen, true);
            return;
        }
        let data = &opts[off + 2..off + olen];
        let hdr_off = (HEADER_LEN + off + 2) as u8;
        match kind {
            OPT_WS => {
                if olen != 3 {
                    ev(DecodeEvent::TcpOptInvalidLen, false);
                } else if out.wscale.is_some() {
                    ev(DecodeEvent::TcpOptDuplicate, false);
                } else {
                    out.wscale = Some(data[0]);
                }
            }
            OPT_MSS => {
                if olen != 4 {
                    ev(DecodeEvent::TcpOptInvalidLen, false);
                } else if out.mss.is_some() {
                    ev(DecodeEvent::TcpOptDuplicate, false);
                } else {
                    out.mss = Some(be16(data, 0));
                }
            }
            OPT_SACKOK => {
                if olen != 2 {
                    ev(DecodeEvent::TcpOptInvalidLen, false);
                } else if out.sack_permitted {
                    ev(DecodeEvent::TcpOptDuplicate, false);
                } else {
                    out.sack_permitted = true;
                }
            }
            OPT_TS => {
                if olen != 10 {
                    ev(DecodeEvent::TcpOptInvalidLen, false);
                } else if out.ts.is_some() {
                    ev(DecodeEvent::TcpOptDuplicate, false);
                } else {
                    out.ts = Some((be32(data, 0), be32(data, 4)));
                }
            }
            OPT_SACK => {
                if olen != 2 && (!(10..=34).contains(&olen) || (olen - 2) % 8 != 0) {
                    ev(DecodeEvent::TcpOptInvalidLen, false);
                } else if out.sack.is_some() {
                    ev(DecodeEvent::TcpOptDuplicate, false);
                } else {
                    out.sack = Some((hdr_off, (olen - 2) as u8));
                }
            }
            OPT_TFO => {
                if olen != 2 && (!(4..=18).contains(&olen) || (olen - 2) & 1 != 0) {
                    ev(DecodeEvent::TcpOptInvalidLen, false);
                } else if out.tfo {
                    ev(DecodeEvent::TcpOptDuplicate, false);
                } else {
                    out.tfo = true;
                }
            }
            OPT_EXP1 | OPT_EXP2 => {
                if olen == 4 || olen == 12 {
                    if be16(data, 0) == 0xf989 {
                        if out.tfo {
                            ev(DecodeEvent::TcpOptDuplicate, false);
                        } else {
                            out.tfo = true;
                        }
                    }
                } else {
                    ev(DecodeEvent::TcpOptInvalidLen, false);
                }
            }
            OPT_MD5 => {
                if olen != 18 {
                    ev(DecodeEvent::TcpOptInvalidLen, true);
                } else {
                    out.md5 = true;
                }
            }
            OPT_AO => {
                if olen < 4 {
                    ev(DecodeEvent::TcpOptInvalidLen, true);
                } else {
                    out.ao = true;
                }
            }
            _ => {}
        }
        off += olen;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(opts: &[u8]) -> (TcpOptions, Vec<(DecodeEvent, bool)>) {
        let mut o = TcpOptions::default();
        let mut evs = Vec::new();
        parse_options(opts, &mut o, |e, i| evs.push((e, i)));
        (o, evs)
    }

    #[test]
    fn syn_options() {
        let (o, evs) = parse(&[
            0x02, 0x04, 0x05, 0xb4, // MSS 1460
            0x04, 0x02, // SACK permitted
            0x08, 0x0a, 0, 0, 0, 1, 0, 0, 0, 2,    // TS 1, 2
            0x01, // NOP
            0x03, 0x03, 0x07, // WS 7
        ]);
        assert!(evs.is_empty());
        assert_eq!(o.mss, Some(1460));
        assert!(o.sack_permitted);
        assert_eq!(o.ts, Some((1, 2)));
        assert_eq!(o.wscale, Some(7));
    }

    #[test]
    fn sack_blocks() {
        let (o, evs) = parse(&[
            0x01, 0x01, // NOP NOP
            0x05, 0x12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, // 2 blocks
        ]);
        assert!(evs.is_empty());
        assert_eq!(o.sack, Some((24, 16)));
        assert_eq!(o.sack_blocks(), 2);
    }

    #[test]
    fn bad_lengths_and_duplicates() {
        // zero length option: invalid, stops
        let (_, evs) = parse(&[0x02, 0x00, 0x05, 0xb4]);
        assert_eq!(evs, vec![(DecodeEvent::TcpOptInvalidLen, true)]);
        // length past the area
        let (_, evs) = parse(&[0x08, 0x0a, 0, 0]);
        assert_eq!(evs, vec![(DecodeEvent::TcpOptInvalidLen, true)]);
        // WS of length 4: event, not invalid
        let (o, evs) = parse(&[0x03, 0x04, 0x07, 0x00]);
        assert_eq!(evs, vec![(DecodeEvent::TcpOptInvalidLen, false)]);
        assert_eq!(o.wscale, None);
        // duplicate MSS
        let (o, evs) = parse(&[0x02, 0x04, 0x05, 0xb4, 0x02, 0x04, 0x00, 0x10]);
        assert_eq!(evs, vec![(DecodeEvent::TcpOptDuplicate, false)]);
        assert_eq!(o.mss, Some(1460));
        // SACK with 7 data bytes
        let (_, evs) = parse(&[0x05, 0x09, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(evs, vec![(DecodeEvent::TcpOptInvalidLen, false)]);
        // lone trailing kind byte: ignored
        let (_, evs) = parse(&[0x01, 0x02]);
        assert!(evs.is_empty());
    }
}
