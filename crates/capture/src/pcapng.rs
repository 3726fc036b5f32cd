//! pcapng: a sequence of blocks `type(4) total_len(4) body total_len(4)`. A Section Header
//! Block (SHB) fixes the byte order and resets the interface list; Interface Description
//! Blocks (IDB) give each interface's link type, snaplen and timestamp resolution; packets
//! come in Enhanced (EPB), Simple (SPB) or obsolete Packet Blocks (PB).

use crate::bytes::Endian;
use crate::reader::{CaptureError, ReaderLimits, Step, StopReason, TruncatedPart, Warnings};
use crate::{LinkType, RawPacket, Timestamp};

const SHB: u32 = 0x0a0d_0d0a;
const IDB: u32 = 0x0000_0001;
const PB: u32 = 0x0000_0002;
const SPB: u32 = 0x0000_0003;
const EPB: u32 = 0x0000_0006;

const OPT_END: u16 = 0;
const OPT_IF_TSRESOL: u16 = 9;
const OPT_IF_TSOFFSET: u16 = 14;

/// Timestamp unit of an interface: 10^-n or 2^-n seconds (`if_tsresol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TsResolution {
    Pow10(u8),
    Pow2(u8),
}

impl TsResolution {
    /// Microseconds, the pcapng default.
    pub const DEFAULT: TsResolution = TsResolution::Pow10(6);

    /// Decodes the one-byte `if_tsresol` option value.
    pub fn from_option(v: u8) -> TsResolution {
        if v & 0x80 != 0 {
            TsResolution::Pow2(v & 0x7f)
        } else {
            TsResolution::Pow10(v)
        }
    }

    /// Converts a count of units since the epoch, shifted by `offset_secs` (`if_tsoffset`),
    /// into a timestamp, exactly (nanoseconds rounded down) and without overflow. Times
    /// before the epoch clamp to zero, times past `u64::MAX` seconds to `u64::MAX`.
    pub fn to_timestamp(self, units: u64, offset_secs: i64) -> Timestamp {
        const NS: u128 = 1_000_000_000;
        let (secs, nanos) = match self {
            TsResolution::Pow2(n) => {
                let n = u32::from(n); // <= 127
                if n >= 64 {
                    (0, ((u128::from(units) * NS) >> n) as u32)
                } else {
                    let frac = units & ((1u64 << n) - 1);
                    (units >> n, ((u128::from(frac) * NS) >> n) as u32)
                }
            }
            TsResolution::Pow10(n) => {
                let n = u32::from(n); // <= 127
                match 10u64.checked_pow(n) {
                    Some(per_sec) => {
                        let frac = units % per_sec;
                        let nanos = if n <= 9 {
                            frac * 10u64.pow(9 - n)
                        } else {
                            frac / 10u64.pow(n - 9)
                        };
                        (units / per_sec, nanos as u32)
                    }
                    // One unit is smaller than 1e-19 s: every u64 count is under a second.
                    None => {
                        let nanos = 10u64.checked_pow(n - 9).map_or(0, |d| units / d);
                        (0, nanos as u32)
                    }
                }
            }
        };
        let secs = i128::from(secs) + i128::from(offset_secs);
        let secs = secs.clamp(0, i128::from(u64::MAX)) as u64;
        Timestamp { secs, nanos }
    }
}

/// libpcap hands the seconds over as a signed `time_t` and Suricata keeps non-negative
/// values in 44 bits.
fn suricata_view(ts: Timestamp) -> Timestamp {
    let secs = if ts.secs > i64::MAX as u64 {
        0
    } else {
        ts.secs & ((1 << 44) - 1)
    };
    Timestamp { secs, ..ts }
}

#[derive(Clone, Copy, Debug)]
struct Interface {
    linktype: LinkType,
    snapshot: u32,
    resolution: TsResolution,
    offset_secs: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct NgState {
    endian: Endian,
    interfaces: Vec<Interface>,
    first_linktype: Option<LinkType>,
}

fn corrupt(offset: usize, reason: &'static str) -> Step<'static> {
    Step::Stop(StopReason::Corrupt {
        offset: offset as u64,
        reason,
    })
}

fn truncated(offset: usize, wanted: usize, got: usize) -> Step<'static> {
    Step::Stop(StopReason::Truncated {
        offset: offset as u64,
        wanted: wanted as u64,
        got: got as u64,
        part: TruncatedPart::Block,
    })
}

fn byte_order(bom: &[u8]) -> Option<Endian> {
    match bom {
        [0x1a, 0x2b, 0x3c, 0x4d] => Some(Endian::Big),
        [0x4d, 0x3c, 0x2b, 0x1a] => Some(Endian::Little),
        _ => None,
    }
}

impl NgState {
    /// Checks the first Section Header Block's byte order and version. The block itself is
    /// processed again by `next`, so the returned position is 0.
    pub(crate) fn open(
        data: &[u8],
        _limits: &ReaderLimits,
    ) -> Result<(NgState, usize), CaptureError> {
        if data.len() < 16 {
            return Err(CaptureError::BadHeader("pcapng section header cut short"));
        }
        let endian = byte_order(&data[8..12]).ok_or(CaptureError::BadHeader(
            "pcapng section header has no valid byte-order magic",
        ))?;
        let major = endian.u16(data, 12).unwrap_or(0);
        let minor = endian.u16(data, 14).unwrap_or(0);
        if major != 1 {
            return Err(CaptureError::UnsupportedVersion { major, minor });
        }
        Ok((
            NgState {
                endian,
                interfaces: Vec::new(),
                first_linktype: None,
            },
            0,
        ))
    }

    pub(crate) fn first_linktype(&self) -> Option<LinkType> {
        self.first_linktype
    }

    pub(crate) fn set_first_linktype(&mut self, lt: Option<LinkType>) {
        if self.first_linktype.is_none() {
            self.first_linktype = lt;
        }
    }

    pub(crate) fn next<'a>(
        &mut self,
        data: &'a [u8],
        pos: &mut usize,
        limits: &ReaderLimits,
        warnings: &mut Warnings,
    ) -> Step<'a> {
        let start = *pos;
        let rest = match data.get(start..) {
            Some(r) if !r.is_empty() => r,
            _ => return Step::End,
        };
        if rest.len() < 12 {
            return truncated(start, 12, rest.len());
        }
        let is_shb = rest[..4] == SHB.to_be_bytes();
        let endian = if is_shb {
            match byte_order(&rest[8..12]) {
                Some(e) => e,
                None => return corrupt(start, "section header without byte-order magic"),
            }
        } else {
            self.endian
        };
        let btype = endian.u32(rest, 0).unwrap_or(0);
        let total = endian.u32(rest, 4).unwrap_or(0) as usize;
        if total < 12 || total & 3 != 0 {
            return corrupt(start, "block length under 12 or not a multiple of 4");
        }
        let Some(block) = rest.get(..total) else {
            return truncated(start, total, rest.len());
        };
        if endian.u32(block, total - 4) != Some(total as u32) {
            return corrupt(
                start,
                "block trailing length differs from its leading length",
            );
        }
        let body = &block[8..total - 4];
        *pos = start + total;
        match btype {
            SHB => self.section(endian, body, start),
            IDB => self.interface(body, start, limits, warnings),
            EPB => self.enhanced_packet(body, start, warnings),
            SPB => self.simple_packet(body, start, warnings),
            PB => self.obsolete_packet(body, start, warnings),
            _ => {
                warnings.skipped_blocks += 1;
                Step::Skip
            }
        }
    }

    fn section(&mut self, endian: Endian, body: &[u8], start: usize) -> Step<'static> {
        // byte-order magic(4) major(2) minor(2) section length(8) options
        if body.len() < 16 {
            return corrupt(start, "section header block too short");
        }
        if endian.u16(body, 4) != Some(1) {
            return corrupt(
                start,
                "section header with unsupported pcapng major version",
            );
        }
        self.endian = endian;
        self.interfaces.clear();
        Step::Skip
    }

    fn interface(
        &mut self,
        body: &[u8],
        start: usize,
        limits: &ReaderLimits,
        warnings: &mut Warnings,
    ) -> Step<'static> {
        // linktype(2) reserved(2) snaplen(4) options
        let (Some(lt), Some(snaplen)) = (self.endian.u16(body, 0), self.endian.u32(body, 4)) else {
            return corrupt(start, "interface description block too short");
        };
        let mut iface = Interface {
            linktype: LinkType(u32::from(lt)),
            snapshot: if snaplen == 0 || snaplen > limits.max_caplen {
                limits.max_caplen
            } else {
                snaplen
            },
            resolution: TsResolution::DEFAULT,
            offset_secs: 0,
        };
        if !self.interface_options(body.get(8..).unwrap_or(&[]), &mut iface) {
            warnings.bad_options += 1;
        }
        if self.first_linktype.is_none() {
            self.first_linktype = Some(iface.linktype);
        }
        if self.interfaces.len() >= limits.max_interfaces {
            warnings.too_many_interfaces += 1;
        } else {
            self.interfaces.push(iface);
        }
        Step::Skip
    }

    /// Reads `if_tsresol` and `if_tsoffset`; false if the list runs past the block.
    fn interface_options(&self, opts: &[u8], iface: &mut Interface) -> bool {
        let mut off = 0usize;
        // Each round moves `off` forward by at least 4: the loop ends.
        while let (Some(code), Some(len)) =
            (self.endian.u16(opts, off), self.endian.u16(opts, off + 2))
        {
            if code == OPT_END {
                return true;
            }
            let vstart = off + 4;
            let len = usize::from(len);
            let Some(value) = opts.get(vstart..vstart + len) else {
                return false;
            };
            match code {
                OPT_IF_TSRESOL if len >= 1 => {
                    iface.resolution = TsResolution::from_option(value[0]);
                }
                OPT_IF_TSOFFSET if len >= 8 => {
                    if let Some(v) = self.endian.u64(value, 0) {
                        iface.offset_secs = v as i64;
                    }
                }
                _ => {}
            }
            off = vstart + len.next_multiple_of(4);
        }
        true
    }

    fn packet<'a>(
        &self,
        ifid: u32,
        units: Option<u64>,
        captured: &'a [u8],
        orig_len: u32,
        clip_warns: bool,
        warnings: &mut Warnings,
    ) -> Step<'a> {
        let Some(iface) = self.interfaces.get(ifid as usize) else {
            warnings.unknown_interface += 1;
            return Step::Skip;
        };
        let data = match captured.get(..iface.snapshot as usize) {
            Some(cut) if cut.len() < captured.len() => {
                if clip_warns {
                    warnings.clipped_to_snaplen += 1;
                }
                cut
            }
            _ => captured,
        };
        let ts = units.map_or(Timestamp::default(), |u| {
            suricata_view(iface.resolution.to_timestamp(u, iface.offset_secs))
        });
        Step::Packet(RawPacket {
            ts,
            linktype: iface.linktype,
            data,
            orig_len,
        })
    }

    fn enhanced_packet<'a>(
        &self,
        body: &'a [u8],
        start: usize,
        warnings: &mut Warnings,
    ) -> Step<'a> {
        // interface id(4) ts high(4) ts low(4) caplen(4) orig len(4) data options
        let e = self.endian;
        let (Some(ifid), Some(hi), Some(lo), Some(caplen), Some(orig_len)) = (
            e.u32(body, 0),
            e.u32(body, 4),
            e.u32(body, 8),
            e.u32(body, 12),
            e.u32(body, 16),
        ) else {
            return corrupt(start, "enhanced packet block too short");
        };
        let Some(captured) = body.get(20..).and_then(|d| d.get(..caplen as usize)) else {
            return corrupt(start, "enhanced packet data longer than its block");
        };
        let units = (u64::from(hi) << 32) | u64::from(lo);
        self.packet(ifid, Some(units), captured, orig_len, true, warnings)
    }

    fn simple_packet<'a>(&self, body: &'a [u8], start: usize, warnings: &mut Warnings) -> Step<'a> {
        // orig len(4) data; captured length is min(orig len, room in block, snaplen)
        let (Some(orig_len), Some(room)) = (self.endian.u32(body, 0), body.get(4..)) else {
            return corrupt(start, "simple packet block too short");
        };
        let captured = room.get(..orig_len as usize).unwrap_or(room);
        self.packet(0, None, captured, orig_len, false, warnings)
    }

    fn obsolete_packet<'a>(
        &self,
        body: &'a [u8],
        start: usize,
        warnings: &mut Warnings,
    ) -> Step<'a> {
        // interface id(2) drops(2) ts high(4) ts low(4) caplen(4) orig len(4) data options
        let e = self.endian;
        let (Some(ifid), Some(hi), Some(lo), Some(caplen), Some(orig_len)) = (
            e.u16(body, 0),
            e.u32(body, 4),
            e.u32(body, 8),
            e.u32(body, 12),
            e.u32(body, 16),
        ) else {
            return corrupt(start, "packet block too short");
        };
        let Some(captured) = body.get(20..).and_then(|d| d.get(..caplen as usize)) else {
            return corrupt(start, "packet block data longer than its block");
        };
        let units = (u64::from(hi) << 32) | u64::from(lo);
        self.packet(
            u32::from(ifid),
            Some(units),
            captured,
            orig_len,
            true,
            warnings,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::TsResolution;
    use crate::{CaptureReader, Format, LinkType, ReaderLimits, StopReason, Timestamp};

    /// One little-endian section: SHB, IDB (Ethernet), EPB with 4 bytes.
    const NG_LE: &[u8] = &[
        // SHB
        0x0a, 0x0d, 0x0d, 0x0a, // block type
        0x1c, 0x00, 0x00, 0x00, // total length 28
        0x4d, 0x3c, 0x2b, 0x1a, // byte-order magic (little-endian)
        0x01, 0x00, 0x00, 0x00, // version 1.0
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // section length -1 (unknown)
        0x1c, 0x00, 0x00, 0x00, // total length again
        // IDB (offset 28)
        0x01, 0x00, 0x00, 0x00, // block type 1
        0x14, 0x00, 0x00, 0x00, // total length 20
        0x01, 0x00, 0x00, 0x00, // linktype 1 (Ethernet), reserved
        0x00, 0x00, 0x00, 0x00, // snaplen 0 (no limit)
        0x14, 0x00, 0x00, 0x00, // total length again
        // EPB (offset 48)
        0x06, 0x00, 0x00, 0x00, // block type 6
        0x24, 0x00, 0x00, 0x00, // total length 36
        0x00, 0x00, 0x00, 0x00, // interface 0
        0x31, 0xaf, 0x05, 0x00, // timestamp high 0x0005af31
        0x40, 0xe2, 0xa5, 0x07, // timestamp low 0x07a5e240: 1600000000123456 us
        0x04, 0x00, 0x00, 0x00, // captured length 4
        0x3c, 0x00, 0x00, 0x00, // original length 60
        0xde, 0xad, 0xbe, 0xef, // data
        0x24, 0x00, 0x00, 0x00, // total length again
    ];

    /// NG_LE written big-endian.
    const NG_BE: &[u8] = &[
        // SHB
        0x0a, 0x0d, 0x0d, 0x0a, // block type
        0x00, 0x00, 0x00, 0x1c, // total length 28
        0x1a, 0x2b, 0x3c, 0x4d, // byte-order magic (big-endian)
        0x00, 0x01, 0x00, 0x00, // version 1.0
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // section length -1
        0x00, 0x00, 0x00, 0x1c, // total length again
        // IDB
        0x00, 0x00, 0x00, 0x01, // block type 1
        0x00, 0x00, 0x00, 0x14, // total length 20
        0x00, 0x01, 0x00, 0x00, // linktype 1, reserved
        0x00, 0x00, 0x00, 0x00, // snaplen 0
        0x00, 0x00, 0x00, 0x14, // total length again
        // EPB
        0x00, 0x00, 0x00, 0x06, // block type 6
        0x00, 0x00, 0x00, 0x24, // total length 36
        0x00, 0x00, 0x00, 0x00, // interface 0
        0x00, 0x05, 0xaf, 0x31, // timestamp high
        0x07, 0xa5, 0xe2, 0x40, // timestamp low
        0x00, 0x00, 0x00, 0x04, // captured length 4
        0x00, 0x00, 0x00, 0x3c, // original length 60
        0xde, 0xad, 0xbe, 0xef, // data
        0x00, 0x00, 0x00, 0x24, // total length again
    ];

    /// Two interfaces with different link types and resolutions, a packet on each, one on
    /// an interface that does not exist; then a big-endian section that resets the list.
    const NG_TWO_IFACES: &[u8] = &[
        // SHB (little-endian), offset 0
        0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0x00, 0x00, 0x00, // type, length 28
        0x4d, 0x3c, 0x2b, 0x1a, 0x01, 0x00, 0x00, 0x00, // byte-order magic, version 1.0
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // section length -1
        0x1c, 0x00, 0x00, 0x00, // length 28
        // IDB 0: Ethernet, nanoseconds. offset 28
        0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, // type 1, length 32
        0x01, 0x00, 0x00, 0x00, // linktype 1, reserved
        0x00, 0x00, 0x00, 0x00, // snaplen 0
        0x09, 0x00, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, // if_tsresol (9), len 1: 10^-9, pad
        0x00, 0x00, 0x00, 0x00, // opt_endofopt
        0x20, 0x00, 0x00, 0x00, // length 32
        // IDB 1: RAW, 2^-20 s units, offset +10 s. offset 60
        0x01, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, // type 1, length 44
        0x65, 0x00, 0x00, 0x00, // linktype 101 (RAW), reserved
        0x00, 0x00, 0x00, 0x00, // snaplen 0
        0x09, 0x00, 0x01, 0x00, 0x94, 0x00, 0x00, 0x00, // if_tsresol: 0x80|20 -> 2^-20, pad
        0x0e, 0x00, 0x08, 0x00, // if_tsoffset (14), len 8
        0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 10 seconds
        0x00, 0x00, 0x00, 0x00, // opt_endofopt
        0x2c, 0x00, 0x00, 0x00, // length 44
        // EPB on interface 0. offset 104
        0x06, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, // type 6, length 36
        0x00, 0x00, 0x00, 0x00, // interface 0
        0x85, 0x57, 0x34, 0x16, // ts high 0x16345785
        0x01, 0x00, 0xa0, 0xd8, // ts low 0xd8a00001: 1600000000000000001 ns
        0x04, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, // caplen 4, len 4
        0x01, 0x02, 0x03, 0x04, // data
        0x24, 0x00, 0x00, 0x00, // length 36
        // EPB on interface 7 (unknown): skipped. offset 140
        0x06, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, // type 6, length 32
        0x07, 0x00, 0x00, 0x00, // interface 7
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ts
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // caplen 0, len 0
        0x20, 0x00, 0x00, 0x00, // length 32
        // EPB on interface 1. offset 172
        0x06, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, // type 6, length 36
        0x01, 0x00, 0x00, 0x00, // interface 1
        0x00, 0x00, 0x00, 0x00, // ts high 0
        0x01, 0x00, 0x50, 0x00, // ts low 5*2^20 + 1: 5 s + 953.67 ns, + 10 s offset
        0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, // caplen 2, len 2
        0x45, 0x00, 0x00, 0x00, // data + 2 bytes padding
        0x24, 0x00, 0x00, 0x00, // length 36
        // SHB (big-endian): resets interfaces. offset 208
        0x0a, 0x0d, 0x0d, 0x0a, 0x00, 0x00, 0x00, 0x1c, // type, length 28
        0x1a, 0x2b, 0x3c, 0x4d, 0x00, 0x01, 0x00, 0x00, // byte-order magic, version 1.0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // section length 0
        0x00, 0x00, 0x00, 0x1c, // length 28
        // IDB 0: IPv4 (228), microseconds. offset 236
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x14, // type 1, length 20
        0x00, 0xe4, 0x00, 0x00, // linktype 228
        0x00, 0x00, 0xff, 0xff, // snaplen 65535
        0x00, 0x00, 0x00, 0x14, // length 20
        // EPB on interface 1: unknown in this section. offset 256
        0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x20, // type 6, length 32
        0x00, 0x00, 0x00, 0x01, // interface 1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ts
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // caplen 0, len 0
        0x00, 0x00, 0x00, 0x20, // length 32
        // EPB on interface 0. offset 288
        0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x24, // type 6, length 36
        0x00, 0x00, 0x00, 0x00, // interface 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x42, 0x41, // ts 1000001 us
        0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x14, // caplen 3, len 20
        0x45, 0x11, 0x22, 0x00, // data + 1 byte padding
        0x00, 0x00, 0x00, 0x24, // length 36
    ];

    /// SPB and obsolete PB, and a Name Resolution Block to skip.
    const NG_SPB_PB: &[u8] = &[
        // SHB
        0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0x00, 0x00, 0x00, // type, length 28
        0x4d, 0x3c, 0x2b, 0x1a, 0x01, 0x00, 0x00, 0x00, // byte-order magic, version 1.0
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // section length -1
        0x1c, 0x00, 0x00, 0x00, // length 28
        // IDB: Ethernet, snaplen 3. offset 28
        0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, // type 1, length 20
        0x01, 0x00, 0x00, 0x00, // linktype 1
        0x03, 0x00, 0x00, 0x00, // snaplen 3
        0x14, 0x00, 0x00, 0x00, // length 20
        // NRB (type 4), empty record list: skipped. offset 48
        0x04, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, // type 4, length 16
        0x00, 0x00, 0x00, 0x00, // nrb_record_end
        0x10, 0x00, 0x00, 0x00, // length 16
        // SPB: original length 5, 5 bytes + 3 padding. offset 64
        0x03, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, // type 3, length 24
        0x05, 0x00, 0x00, 0x00, // original length 5
        0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0x00, 0x00, 0x00, // data (kept: snaplen 3), padding
        0x18, 0x00, 0x00, 0x00, // length 24
        // PB (type 2). offset 88
        0x02, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, // type 2, length 36
        0x00, 0x00, 0x00, 0x00, // interface 0 (16 bits), drops count (16 bits)
        0x00, 0x00, 0x00, 0x00, 0x41, 0x42, 0x0f, 0x00, // ts high 0, low 1000001 us
        0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, // caplen 2, len 2
        0xb1, 0xb2, 0x00, 0x00, // data + padding
        0x24, 0x00, 0x00, 0x00, // length 36
    ];

    #[test]
    fn little_and_big_endian_sections() {
        for file in [NG_LE, NG_BE] {
            let mut r = CaptureReader::new(file).unwrap();
            assert_eq!(r.format(), Format::PcapNg);
            assert_eq!(r.linktype(), Some(LinkType::ETHERNET));
            assert_eq!(r.snaplen(), None);
            let p = r.next_packet().unwrap();
            assert_eq!(p.ts, Timestamp::new(1_600_000_000, 123_456_000));
            assert_eq!(p.data, &[0xde, 0xad, 0xbe, 0xef]);
            assert_eq!(p.orig_len, 60);
            assert_eq!(p.linktype, LinkType::ETHERNET);
            assert!(core::ptr::eq(p.data.as_ptr(), &file[76]));
            assert!(r.next_packet().is_none());
            assert!(!r.truncated());
            assert_eq!(r.bytes_read(), file.len() as u64);
            assert_eq!(r.warnings().skipped_blocks, 0);
        }
    }

    #[test]
    fn two_interfaces_two_sections() {
        let mut r = CaptureReader::new(NG_TWO_IFACES).unwrap();
        assert_eq!(r.linktype(), Some(LinkType::ETHERNET));
        let got: Vec<_> = r
            .by_ref()
            .map(|p| (p.linktype, p.ts, p.data.to_vec(), p.orig_len))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    LinkType::ETHERNET,
                    Timestamp::new(1_600_000_000, 1),
                    vec![1, 2, 3, 4],
                    4
                ),
                (LinkType::RAW, Timestamp::new(15, 953), vec![0x45, 0x00], 2),
                (
                    LinkType::IPV4,
                    Timestamp::new(1, 1000),
                    vec![0x45, 0x11, 0x22],
                    20
                ),
            ]
        );
        assert!(!r.truncated());
        assert_eq!(r.warnings().unknown_interface, 2);
        assert_eq!(r.bytes_read(), NG_TWO_IFACES.len() as u64);
    }

    #[test]
    fn interface_limit() {
        let limits = ReaderLimits {
            max_interfaces: 1,
            ..ReaderLimits::default()
        };
        let r = CaptureReader::with_limits(NG_TWO_IFACES, limits).unwrap();
        let mut r2 = r.clone();
        assert_eq!(r.count(), 2); // the packet on interface 1 is lost
        assert!(r2.by_ref().last().is_some());
        assert_eq!(r2.warnings().too_many_interfaces, 1);
        assert_eq!(r2.warnings().unknown_interface, 3);
    }

    #[test]
    fn simple_and_obsolete_packet_blocks() {
        let mut r = CaptureReader::new(NG_SPB_PB).unwrap();
        let p = r.next_packet().unwrap();
        assert_eq!(p.ts, Timestamp::default()); // SPBs carry no time
        assert_eq!(p.data, &[0xa1, 0xa2, 0xa3]);
        assert_eq!(p.orig_len, 5);
        let p = r.next_packet().unwrap();
        assert_eq!(p.ts, Timestamp::new(1, 1000));
        assert_eq!(p.data, &[0xb1, 0xb2]);
        assert!(r.next_packet().is_none());
        assert!(!r.truncated());
        assert_eq!(r.warnings().skipped_blocks, 1);
        assert_eq!(r.warnings().clipped_to_snaplen, 0);

        // Without the IDB the SPB and PB have no interface 0: both skipped.
        let mut no_idb = NG_SPB_PB[..28].to_vec();
        no_idb.extend_from_slice(&NG_SPB_PB[48..]);
        let mut r = CaptureReader::new(&no_idb).unwrap();
        assert_eq!(r.linktype(), None);
        assert!(r.next_packet().is_none());
        assert!(!r.truncated());
        assert_eq!(r.warnings().unknown_interface, 2);

        // A 12-byte SPB (no room for the original length) is malformed.
        let mut short = NG_SPB_PB[..64].to_vec();
        short.extend_from_slice(&[
            0x03, 0x00, 0x00, 0x00, // type 3
            0x0c, 0x00, 0x00, 0x00, // length 12
            0x0c, 0x00, 0x00, 0x00, // length 12
        ]);
        short.extend_from_slice(&NG_SPB_PB[88..]);
        let mut r = CaptureReader::new(&short).unwrap();
        assert!(r.next_packet().is_none());
        assert_eq!(
            r.stop_reason(),
            Some(StopReason::Corrupt {
                offset: 64,
                reason: "simple packet block too short"
            })
        );
    }

    #[test]
    fn truncated_last_block() {
        // (cut at, packets expected, truncated?)
        let cases: &[(usize, usize, bool)] = &[
            (20, 0, true),      // inside the SHB (under 16 bytes: an open error)
            (28, 0, false),     // after the SHB
            (40, 0, true),      // inside the IDB
            (48, 0, false),     // after the IDB
            (48 + 6, 0, true),  // inside the EPB block header
            (48 + 20, 0, true), // inside the EPB's fixed fields
            (48 + 30, 0, true), // inside the packet data
            (48 + 34, 0, true), // missing the trailing length
            (NG_LE.len(), 1, false),
        ];
        for &(cut, n, trunc) in cases {
            let mut r = CaptureReader::new(&NG_LE[..cut]).unwrap();
            assert_eq!(r.by_ref().count(), n, "cut at {cut}");
            assert_eq!(r.truncated(), trunc, "cut at {cut}");
            if trunc {
                assert!(
                    matches!(r.stop_reason(), Some(StopReason::Truncated { .. })),
                    "cut at {cut}"
                );
            }
        }
        // The second section's last packet cut: the earlier packets still come out.
        let cut = &NG_TWO_IFACES[..NG_TWO_IFACES.len() - 5];
        let mut r = CaptureReader::new(cut).unwrap();
        assert_eq!(r.by_ref().count(), 2);
        assert_eq!(
            r.stop_reason(),
            Some(StopReason::Truncated {
                offset: 288,
                wanted: 36,
                got: 31,
                part: crate::TruncatedPart::Block
            })
        );
    }

    #[test]
    fn corrupt_blocks_stop_cleanly() {
        // (byte offset, new value, packets before the damage)
        let cases: &[(usize, u8, &str)] = &[
            (48 + 32, 0x28, "trailing"),              // EPB trailer 40 != 36
            (48 + 4, 0x22, "multiple of 4"),          // EPB length 34
            (48 + 4, 0x08, "under 12"),               // EPB length 8
            (48 + 20, 0x30, "longer than its block"), // caplen 48 > room
            (32, 0x15, "multiple of 4"),              // IDB length 21
            (8, 0x00, "byte-order"), // SHB magic broken: only checked in later sections
        ];
        for &(at, val, why) in cases {
            let mut f = NG_TWO_IFACES[..208].to_vec();
            f.extend_from_slice(NG_LE); // a second section copied from NG_LE, at 208
            let at = if at == 8 { 208 + 8 } else { 208 + at };
            f[at] = val;
            let mut r = CaptureReader::new(&f).unwrap();
            assert_eq!(r.by_ref().count(), 2, "{why}");
            match r.stop_reason() {
                Some(StopReason::Corrupt { reason, .. }) => {
                    assert!(reason.contains(why), "{reason}")
                }
                other => panic!("{why}: {other:?}"),
            }
        }
    }

    #[test]
    fn huge_lengths() {
        // EPB claiming a 4 GiB block: truncated (cannot be told from a cut file).
        let mut f = NG_LE.to_vec();
        f[52..56].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
        let mut r = CaptureReader::new(&f).unwrap();
        assert!(r.next_packet().is_none());
        assert!(matches!(
            r.stop_reason(),
            Some(StopReason::Truncated {
                offset: 48,
                wanted: 0xffff_fff0,
                got: 36,
                ..
            })
        ));
        // EPB claiming caplen 0xffffffff inside a small block: corrupt.
        let mut f = NG_LE.to_vec();
        f[68..72].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut r = CaptureReader::new(&f).unwrap();
        assert!(r.next_packet().is_none());
        assert!(matches!(
            r.stop_reason(),
            Some(StopReason::Corrupt { offset: 48, .. })
        ));
        // caplen within the block but above the caplen limit: cut to the limit.
        let limits = ReaderLimits {
            max_caplen: 2,
            ..ReaderLimits::default()
        };
        let mut r = CaptureReader::with_limits(NG_LE, limits).unwrap();
        assert_eq!(r.next_packet().unwrap().data, &[0xde, 0xad]);
        assert_eq!(r.warnings().clipped_to_snaplen, 1);
    }

    #[test]
    fn garbage_in_the_middle() {
        let mut f = NG_LE[..48].to_vec();
        f.extend_from_slice(&NG_LE[48..]);
        f.extend_from_slice(b"this is not a block at all, sorry....");
        f.extend_from_slice(&NG_LE[48..]);
        let mut r = CaptureReader::new(&f).unwrap();
        assert_eq!(r.by_ref().count(), 1);
        assert!(r.truncated());
    }

    #[test]
    fn header_errors() {
        let mut f = NG_LE.to_vec();
        f[8] = 0x00; // no byte-order magic
        assert!(CaptureReader::new(&f)
            .unwrap_err()
            .to_string()
            .contains("byte-order"));
        let mut f = NG_LE.to_vec();
        f[12] = 2; // version 2.0
        assert_eq!(
            CaptureReader::new(&f).unwrap_err().to_string(),
            "unsupported capture file version 2.0"
        );
        assert!(CaptureReader::new(&NG_LE[..10]).is_err());
    }

    #[test]
    fn timestamp_resolutions() {
        use TsResolution::{Pow10, Pow2};
        const MAX: u64 = u64::MAX;
        let cases: &[(TsResolution, u64, i64, u64, u32)] = &[
            (
                Pow10(6),
                1_600_000_000_123_456,
                0,
                1_600_000_000,
                123_456_000,
            ),
            (Pow10(9), 1_000_000_001, 0, 1, 1),
            (Pow10(3), 1_234, 0, 1, 234_000_000),
            (Pow10(0), MAX, 0, MAX, 0),
            (Pow10(12), 1_500_000_000_001, 0, 1, 500_000_000),
            (Pow10(19), MAX, 0, 1, 844_674_407),
            (Pow10(20), MAX, 0, 0, 184_467_440),
            (Pow10(30), MAX, 0, 0, 0),
            (Pow10(127), MAX, 0, 0, 0),
            (Pow2(0), 7, 0, 7, 0),
            (Pow2(1), 3, 0, 1, 500_000_000),
            (Pow2(20), (5 << 20) + 1, 0, 5, 953),
            (Pow2(63), MAX, 0, 1, 999_999_999),
            (Pow2(64), MAX, 0, 0, 999_999_999),
            (Pow2(127), MAX, 0, 0, 0),
            (Pow10(6), 1_000_000, -5, 0, 0),
            (Pow10(6), 1_000_000, 41, 42, 0),
            (Pow10(0), MAX, i64::MAX, MAX, 0),
        ];
        for &(res, units, off, secs, nanos) in cases {
            assert_eq!(
                res.to_timestamp(units, off),
                Timestamp::new(secs, nanos),
                "{res:?} {units} {off}"
            );
        }
        assert_eq!(
            super::suricata_view(Timestamp::new(MAX, 5)),
            Timestamp::new(0, 5)
        );
        assert_eq!(
            super::suricata_view(Timestamp::new((1 << 44) + 3, 5)),
            Timestamp::new(3, 5)
        );
        assert_eq!(TsResolution::from_option(6), Pow10(6));
        assert_eq!(TsResolution::from_option(0x8a), Pow2(10));
        assert_eq!(TsResolution::from_option(0xff), Pow2(127));
    }
}
