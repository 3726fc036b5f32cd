//! The format-independent reader: magic detection, limits, stop reasons, warnings.

use core::fmt;

use crate::pcap::PcapState;
use crate::pcapng::NgState;
use crate::{LinkType, RawPacket};

/// Why a capture could not be opened at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureError {
    /// Fewer bytes than a file header (an empty file has `len == 0`).
    TooShort { len: usize },
    /// The first four bytes are no pcap or pcapng magic (given in file order).
    UnknownMagic(u32),
    /// The magic is right but the file header is damaged or cut.
    BadHeader(&'static str),
    /// A pcap or pcapng version this reader does not understand.
    UnsupportedVersion { major: u16, minor: u16 },
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaptureError::TooShort { len: 0 } => {
                write!(f, "empty file: not a pcap or pcapng file")
            }
            CaptureError::TooShort { len } => write!(
                f,
                "file too short ({len} bytes) for a pcap or pcapng header"
            ),
            CaptureError::UnknownMagic(m) => {
                write!(f, "not a pcap or pcapng file (magic 0x{m:08x})")
            }
            CaptureError::BadHeader(why) => write!(f, "bad capture file header: {why}"),
            CaptureError::UnsupportedVersion { major, minor } => {
                write!(f, "unsupported capture file version {major}.{minor}")
            }
        }
    }
}

impl std::error::Error for CaptureError {}

/// Which part of a record the input ended in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TruncatedPart {
    /// A pcap record header.
    RecordHeader,
    /// A pcap record's captured bytes.
    PacketData,
    /// A pcapng block.
    Block,
}

/// Why the packet stream ended before the end of the input. `Display` words it the way
/// libpcap (and so Suricata) does; the offset is not part of the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The input ends in the middle of a record or block (file cut short).
    Truncated {
        /// Offset of the incomplete record.
        offset: u64,
        /// Bytes the record needed (from its header, or the header size).
        wanted: u64,
        /// Bytes left in the input.
        got: u64,
        part: TruncatedPart,
    },
    /// A pcap record claims more captured bytes than any snapshot length allows.
    CaplenTooLarge {
        offset: u64,
        caplen: u32,
        /// The limit ([`ReaderLimits::max_caplen`]).
        max: u32,
    },
    /// A record or block is malformed; nothing after it can be trusted.
    Corrupt {
        /// Offset of the bad record.
        offset: u64,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl StopReason {
    /// Offset in the input of the record that ended the stream.
    pub fn offset(&self) -> u64 {
        match *self {
            StopReason::Truncated { offset, .. }
            | StopReason::CaplenTooLarge { offset, .. }
            | StopReason::Corrupt { offset, .. } => offset,
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            StopReason::Truncated {
                wanted, got, part, ..
            } => match part {
                TruncatedPart::RecordHeader => write!(
                    f,
                    "truncated dump file; tried to read {wanted} header bytes, only got {got}"
                ),
                TruncatedPart::PacketData => write!(
                    f,
                    "truncated dump file; tried to read {wanted} captured bytes, only got {got}"
                ),
                TruncatedPart::Block => write!(
                    f,
                    "truncated pcapng dump file; tried to read {wanted} bytes, only got {got}"
                ),
            },
            StopReason::CaplenTooLarge { caplen, max, .. } => write!(
                f,
                "invalid packet capture length {caplen}, bigger than snaplen of {max}"
            ),
            StopReason::Corrupt { offset, reason } => {
                write!(f, "corrupt capture file at offset {offset}: {reason}")
            }
        }
    }
}

/// Limits that keep hostile files from driving resource use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReaderLimits {
    /// Largest captured length accepted; a pcap record claiming more ends the stream as
    /// corrupt (libpcap's `MAXIMUM_SNAPLEN`, 262144, by default), pcapng packets are cut to it.
    pub max_caplen: u32,
    /// Most interfaces remembered per pcapng section; further IDBs are ignored and their
    /// packets counted in [`Warnings::unknown_interface`].
    pub max_interfaces: usize,
}

impl ReaderLimits {
    /// libpcap's `MAXIMUM_SNAPLEN`.
    pub const DEFAULT_MAX_CAPLEN: u32 = 262_144;
    pub const DEFAULT_MAX_INTERFACES: usize = 1024;
}

impl Default for ReaderLimits {
    fn default() -> Self {
        ReaderLimits {
            max_caplen: Self::DEFAULT_MAX_CAPLEN,
            max_interfaces: Self::DEFAULT_MAX_INTERFACES,
        }
    }
}

/// Counts of recoverable oddities met while reading (the stream went on).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Warnings {
    /// pcapng packets referring to an interface with no (remembered) IDB: skipped.
    pub unknown_interface: u64,
    /// IDBs beyond [`ReaderLimits::max_interfaces`]: ignored.
    pub too_many_interfaces: u64,
    /// Packets whose captured bytes exceeded the snapshot length and were cut to it.
    pub clipped_to_snaplen: u64,
    /// pcapng option lists that ran past their block: the rest of the options was ignored.
    pub bad_options: u64,
    /// pcapng blocks of types this reader does not use: skipped by their length.
    pub skipped_blocks: u64,
}

/// Which file format (and variant) was detected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Classic libpcap format.
    Pcap {
        /// Nanosecond timestamps (magic `a1b23c4d`) rather than microseconds.
        nanosecond: bool,
        /// Big-endian file.
        big_endian: bool,
        /// Alexey Kuznetzov's modified format (magic `a1b2cd34`, 24-byte record headers).
        modified: bool,
    },
    /// pcapng (byte order may change per section).
    PcapNg,
}

/// Outcome of decoding one record or block.
pub(crate) enum Step<'a> {
    Packet(RawPacket<'a>),
    /// A record that yields no packet (pcapng IDB, unknown block...).
    Skip,
    /// Clean end of input.
    End,
    Stop(StopReason),
}

#[derive(Clone, Debug)]
enum Inner {
    Pcap(PcapState),
    PcapNg(NgState),
}

/// Reads packets out of an in-memory pcap or pcapng file without copying them.
#[derive(Clone, Debug)]
pub struct CaptureReader<'a> {
    data: &'a [u8],
    pos: usize,
    limits: ReaderLimits,
    inner: Inner,
    stop: Option<StopReason>,
    finished: bool,
    warnings: Warnings,
    packets: u64,
}

const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

impl<'a> CaptureReader<'a> {
    /// Opens a capture held in `data` with the default [`ReaderLimits`].
    pub fn new(data: &'a [u8]) -> Result<CaptureReader<'a>, CaptureError> {
        Self::with_limits(data, ReaderLimits::default())
    }

    /// Opens a capture held in `data` with explicit limits.
    pub fn with_limits(
        data: &'a [u8],
        limits: ReaderLimits,
    ) -> Result<CaptureReader<'a>, CaptureError> {
        let magic: [u8; 4] = match data.get(..4) {
            Some(m) => [m[0], m[1], m[2], m[3]],
            None => return Err(CaptureError::TooShort { len: data.len() }),
        };
        let (inner, pos) = if magic == PCAPNG_MAGIC {
            let (st, pos) = NgState::open(data, &limits)?;
            (Inner::PcapNg(st), pos)
        } else if let Some(st) = PcapState::open(data, &limits)? {
            (Inner::Pcap(st), crate::pcap::GLOBAL_HEADER_LEN)
        } else {
            return Err(CaptureError::UnknownMagic(u32::from_be_bytes(magic)));
        };
        let mut reader = CaptureReader {
            data,
            pos,
            limits,
            inner,
            stop: None,
            finished: false,
            warnings: Warnings::default(),
            packets: 0,
        };
        reader.look_ahead_linktype();
        Ok(reader)
    }

    /// For pcapng, learns the first interface's link type by reading ahead on a copy of
    /// the reader, up to the first packet (bounded by a few blocks).
    fn look_ahead_linktype(&mut self) {
        if !matches!(self.inner, Inner::PcapNg(_)) {
            return;
        }
        let mut probe = self.clone();
        for _ in 0..64 {
            if probe.linktype().is_some() {
                break;
            }
            match probe.step() {
                Step::Skip => continue,
                _ => break,
            }
        }
        if let (Inner::PcapNg(me), Inner::PcapNg(p)) = (&mut self.inner, &probe.inner) {
            me.set_first_linktype(p.first_linktype());
        }
    }

    fn step(&mut self) -> Step<'a> {
        match &mut self.inner {
            Inner::Pcap(st) => st.next(self.data, &mut self.pos, &self.limits, &mut self.warnings),
            Inner::PcapNg(st) => {
                st.next(self.data, &mut self.pos, &self.limits, &mut self.warnings)
            }
        }
    }

    /// The next packet, or `None` at the end of the input or after a truncated/corrupt
    /// record (see [`CaptureReader::stop_reason`]). Never panics, always terminates.
    pub fn next_packet(&mut self) -> Option<RawPacket<'a>> {
        while !self.finished {
            match self.step() {
                Step::Packet(p) => {
                    self.packets += 1;
                    return Some(p);
                }
                Step::Skip => {}
                Step::End => self.finished = true,
                Step::Stop(why) => {
                    self.stop = Some(why);
                    self.finished = true;
                }
            }
        }
        None
    }

    /// Detected file format.
    pub fn format(&self) -> Format {
        match &self.inner {
            Inner::Pcap(st) => st.format(),
            Inner::PcapNg(_) => Format::PcapNg,
        }
    }

    /// The file's link type: for pcap the global header's, for pcapng the first
    /// interface's (None if the file has no interface before its first packet).
    /// Each packet also carries its own link type.
    pub fn linktype(&self) -> Option<LinkType> {
        match &self.inner {
            Inner::Pcap(st) => Some(st.linktype()),
            Inner::PcapNg(st) => st.first_linktype(),
        }
    }

    /// Snapshot length from the pcap global header (None for pcapng).
    pub fn snaplen(&self) -> Option<u32> {
        match &self.inner {
            Inner::Pcap(st) => Some(st.snaplen()),
            Inner::PcapNg(_) => None,
        }
    }

    /// True once the stream ended early on a truncated or corrupt record.
    pub fn truncated(&self) -> bool {
        self.stop.is_some()
    }

    /// Why the stream ended early, if it did.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.stop
    }

    /// Recoverable oddities counted so far.
    pub fn warnings(&self) -> &Warnings {
        &self.warnings
    }

    /// Bytes of the input consumed so far (headers included), for progress display.
    pub fn bytes_read(&self) -> u64 {
        self.pos as u64
    }

    /// Size of the whole input.
    pub fn total_len(&self) -> u64 {
        self.data.len() as u64
    }

    /// Packets handed out so far.
    pub fn packets_read(&self) -> u64 {
        self.packets
    }

    /// The limits in force.
    pub fn limits(&self) -> ReaderLimits {
        self.limits
    }
}

impl<'a> Iterator for CaptureReader<'a> {
    type Item = RawPacket<'a>;

    fn next(&mut self) -> Option<RawPacket<'a>> {
        self.next_packet()
    }
}

impl core::iter::FusedIterator for CaptureReader<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_short_and_foreign_input() {
        let cases: &[(&[u8], CaptureError, &str)] = &[
            (
                b"",
                CaptureError::TooShort { len: 0 },
                "empty file: not a pcap or pcapng file",
            ),
            (
                b"\xd4\xc3",
                CaptureError::TooShort { len: 2 },
                "file too short (2 bytes) for a pcap or pcapng header",
            ),
            (
                b"GET / HTTP/1.1\r\n\r\n",
                CaptureError::UnknownMagic(0x4745_5420),
                "not a pcap or pcapng file (magic 0x47455420)",
            ),
            (
                b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
                CaptureError::UnknownMagic(0x7f45_4c46),
                "not a pcap or pcapng file (magic 0x7f454c46)",
            ),
        ];
        for (input, err, msg) in cases {
            let got = CaptureReader::new(input).unwrap_err();
            assert_eq!(&got, err);
            assert_eq!(got.to_string(), *msg);
        }
    }

    #[test]
    fn stop_reason_messages() {
        let t = |part| StopReason::Truncated {
            offset: 40,
            wanted: 16,
            got: 2,
            part,
        };
        let cases = [
            (
                t(TruncatedPart::RecordHeader),
                "truncated dump file; tried to read 16 header bytes, only got 2",
            ),
            (
                t(TruncatedPart::PacketData),
                "truncated dump file; tried to read 16 captured bytes, only got 2",
            ),
            (
                t(TruncatedPart::Block),
                "truncated pcapng dump file; tried to read 16 bytes, only got 2",
            ),
            (
                StopReason::CaplenTooLarge {
                    offset: 3,
                    caplen: 4325376,
                    max: 262144,
                },
                "invalid packet capture length 4325376, bigger than snaplen of 262144",
            ),
            (
                StopReason::Corrupt {
                    offset: 8,
                    reason: "bad block length",
                },
                "corrupt capture file at offset 8: bad block length",
            ),
        ];
        for (why, msg) in cases {
            assert_eq!(why.to_string(), msg);
        }
        assert_eq!(t(TruncatedPart::Block).offset(), 40);
    }
}
