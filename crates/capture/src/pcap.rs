//! Classic pcap: a 24-byte global header, then records of a 16-byte header (24 bytes in
//! the "modified" variant) followed by the captured bytes.

use crate::bytes::Endian;
use crate::reader::{
    CaptureError, Format, ReaderLimits, Step, StopReason, TruncatedPart, Warnings,
};
use crate::{LinkType, RawPacket, Timestamp};

pub(crate) const GLOBAL_HEADER_LEN: usize = 24;

/// How caplen/len of old (pre-2.3) files may be swapped, as libpcap handles it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LengthsSwapped {
    No,
    Maybe,
    Yes,
}

#[derive(Clone, Debug)]
pub(crate) struct PcapState {
    endian: Endian,
    nanosecond: bool,
    modified: bool,
    linktype: LinkType,
    snaplen: u32,
    /// Bytes kept per packet (snaplen, or the caplen limit when snaplen is 0 or larger).
    snapshot: u32,
    swapped: LengthsSwapped,
}

impl PcapState {
    /// Recognises a pcap magic; `Ok(None)` when the magic is not a pcap one.
    pub(crate) fn open(data: &[u8], limits: &ReaderLimits) -> Result<Option<Self>, CaptureError> {
        let Some(raw) = Endian::Little.u32(data, 0) else {
            return Err(CaptureError::TooShort { len: data.len() });
        };
        let (endian, nanosecond, modified) = match raw {
            0xa1b2_c3d4 => (Endian::Little, false, false),
            0xd4c3_b2a1 => (Endian::Big, false, false),
            0xa1b2_3c4d => (Endian::Little, true, false),
            0x4d3c_b2a1 => (Endian::Big, true, false),
            0xa1b2_cd34 => (Endian::Little, false, true),
            0x34cd_b2a1 => (Endian::Big, false, true),
            _ => return Ok(None),
        };
        if data.len() < GLOBAL_HEADER_LEN {
            return Err(CaptureError::BadHeader(
                "pcap global header cut short (under 24 bytes)",
            ));
        }
        let field = |at| endian.u32(data, at).unwrap_or(0);
        let major = endian.u16(data, 4).unwrap_or(0);
        let minor = endian.u16(data, 6).unwrap_or(0);
        if major != 2 {
            return Err(CaptureError::UnsupportedVersion { major, minor });
        }
        let snaplen = field(16);
        // The upper 16 bits of the link-type field carry FCS information, not the type.
        let linktype = LinkType(field(20) & 0xffff);
        let snapshot = if snaplen == 0 || snaplen > limits.max_caplen {
            limits.max_caplen
        } else {
            snaplen
        };
        let swapped = match minor {
            0..=2 => LengthsSwapped::Yes,
            3 => LengthsSwapped::Maybe,
            _ => LengthsSwapped::No,
        };
        Ok(Some(PcapState {
            endian,
            nanosecond,
            modified,
            linktype,
            snaplen,
            snapshot,
            swapped,
        }))
    }

    pub(crate) fn format(&self) -> Format {
        Format::Pcap {
            nanosecond: self.nanosecond,
            big_endian: self.endian == Endian::Big,
            modified: self.modified,
        }
    }

    pub(crate) fn linktype(&self) -> LinkType {
        self.linktype
    }

    pub(crate) fn snaplen(&self) -> u32 {
        self.snaplen
    }

    pub(crate) fn next<'a>(
        &self,
        data: &'a [u8],
        pos: &mut usize,
        limits: &ReaderLimits,
        warnings: &mut Warnings,
    ) -> Step<'a> {
        let start = *pos;
        let Some(rest) = data.get(start..) else {
            return Step::End;
        };
        if rest.is_empty() {
            return Step::End;
        }
        let hdr_len = if self.modified { 24 } else { 16 };
        let header_cut = Step::Stop(StopReason::Truncated {
            offset: start as u64,
            wanted: hdr_len as u64,
            got: rest.len() as u64,
            part: TruncatedPart::RecordHeader,
        });
        if rest.len() < hdr_len {
            return header_cut;
        }
        let (Some(ts_sec), Some(ts_frac), Some(mut caplen), Some(mut len)) = (
            self.endian.u32(rest, 0),
            self.endian.u32(rest, 4),
            self.endian.u32(rest, 8),
            self.endian.u32(rest, 12),
        ) else {
            return header_cut;
        };
        let swap = match self.swapped {
            LengthsSwapped::No => false,
            LengthsSwapped::Maybe => caplen > len,
            LengthsSwapped::Yes => true,
        };
        if swap {
            core::mem::swap(&mut caplen, &mut len);
        }
        if caplen > limits.max_caplen {
            return Step::Stop(StopReason::CaplenTooLarge {
                offset: start as u64,
                caplen,
                max: limits.max_caplen,
            });
        }
        // caplen <= max_caplen (u32), so this cannot overflow usize on 32/64-bit targets.
        let body_end = hdr_len + caplen as usize;
        let Some(body) = rest.get(hdr_len..body_end) else {
            return Step::Stop(StopReason::Truncated {
                offset: start as u64,
                wanted: u64::from(caplen),
                got: (rest.len() - hdr_len) as u64,
                part: TruncatedPart::PacketData,
            });
        };
        let kept = if caplen > self.snapshot {
            warnings.clipped_to_snaplen += 1;
            body.get(..self.snapshot as usize).unwrap_or(body)
        } else {
            body
        };
        *pos = start + body_end;
        let ts = record_time(ts_sec, ts_frac, self.nanosecond);
        Step::Packet(RawPacket {
            ts,
            linktype: self.linktype,
            data: kept,
            orig_len: len,
        })
    }
}

/// The record time as Suricata sees it: libpcap reads both fields as signed 32-bit
/// numbers (nanoseconds are divided down to microseconds), Suricata turns non-positive
/// values into 0 and keeps 20 bits of microseconds, without carrying into the seconds.
/// So a well-formed time comes out exact (nanoseconds kept for nanosecond files), and a
/// bad fraction comes out as Suricata prints it: possibly 1_000_000..=1_048_575 us.
fn record_time(sec: u32, frac: u32, nanosecond: bool) -> Timestamp {
    let secs = if (sec as i32) > 0 { u64::from(sec) } else { 0 };
    let nanos = if (frac as i32) <= 0 {
        0
    } else if nanosecond && frac < 1_000_000_000 {
        frac
    } else {
        let micros = if nanosecond { frac / 1000 } else { frac };
        (micros & 0xf_ffff) * 1000
    };
    Timestamp { secs, nanos }
}

#[cfg(test)]
mod tests {
    use crate::{CaptureReader, Format, LinkType, StopReason, Timestamp};

    /// pcap, microseconds, little-endian, Ethernet, two packets.
    const PCAP_US_LE: &[u8] = &[
        // global header
        0xd4, 0xc3, 0xb2, 0xa1, // magic a1b2c3d4 written little-endian
        0x02, 0x00, 0x04, 0x00, // version 2.4
        0x00, 0x00, 0x00, 0x00, // thiszone 0
        0x00, 0x00, 0x00, 0x00, // sigfigs 0
        0xff, 0xff, 0x00, 0x00, // snaplen 65535
        0x01, 0x00, 0x00, 0x00, // linktype 1 (Ethernet)
        // record 1 header
        0x00, 0x5e, 0xd0, 0x72, // ts_sec 0x72d05e00 = 1926258176
        0x40, 0x42, 0x0f, 0x00, // ts_usec 1000000: out of range, kept as Suricata does
        0x04, 0x00, 0x00, 0x00, // caplen 4
        0x3c, 0x00, 0x00, 0x00, // len 60
        0xde, 0xad, 0xbe, 0xef, // data
        // record 2 header
        0x01, 0x00, 0x00, 0x00, // ts_sec 1
        0x15, 0xcd, 0x5b, 0x07, // ts_usec 123456789: Suricata keeps its low 20 bits, 773397
        0x00, 0x00, 0x00, 0x00, // caplen 0
        0x00, 0x00, 0x00, 0x00, // len 0
    ];

    /// Same content as PCAP_US_LE but big-endian, record 1 only and a sane usec.
    const PCAP_US_BE: &[u8] = &[
        0xa1, 0xb2, 0xc3, 0xd4, // magic, big-endian
        0x00, 0x02, 0x00, 0x04, // version 2.4
        0x00, 0x00, 0x00, 0x00, // thiszone
        0x00, 0x00, 0x00, 0x00, // sigfigs
        0x00, 0x00, 0x00, 0x00, // snaplen 0 -> reader uses its maximum
        0x00, 0x00, 0x00, 0x65, // linktype 101 (RAW)
        // record
        0x5f, 0x5e, 0x10, 0x00, // ts_sec 1600000000
        0x00, 0x00, 0x00, 0x07, // ts_usec 7
        0x00, 0x00, 0x00, 0x02, // caplen 2
        0x00, 0x00, 0x00, 0x02, // len 2
        0x45, 0x00, // data
    ];

    /// Nanosecond pcap, little-endian, linktype with FCS bits set in the upper half.
    const PCAP_NS_LE: &[u8] = &[
        0x4d, 0x3c, 0xb2, 0xa1, // magic a1b23c4d little-endian
        0x02, 0x00, 0x04, 0x00, // version 2.4
        0x00, 0x00, 0x00, 0x00, // thiszone
        0x00, 0x00, 0x00, 0x00, // sigfigs
        0x00, 0x00, 0x04, 0x00, // snaplen 262144
        0x71, 0x00, 0x00, 0x14, // linktype 113 (SLL) | FCS present (0x04000000) | FCS len 1
        // record
        0x0a, 0x00, 0x00, 0x00, // ts_sec 10
        0xff, 0xc9, 0x9a, 0x3b, // ts_nsec 999999999
        0x01, 0x00, 0x00, 0x00, // caplen 1
        0x05, 0x00, 0x00, 0x00, // len 5
        0xaa, // data
    ];

    #[test]
    fn microsecond_little_endian() {
        let mut r = CaptureReader::new(PCAP_US_LE).unwrap();
        assert_eq!(
            r.format(),
            Format::Pcap {
                nanosecond: false,
                big_endian: false,
                modified: false
            }
        );
        assert_eq!(r.linktype(), Some(LinkType::ETHERNET));
        assert_eq!(r.snaplen(), Some(65535));
        let p = r.next_packet().unwrap();
        assert_eq!(p.ts, Timestamp::new(1_926_258_176, 1_000_000_000));
        assert_eq!(p.ts.micros(), 1_000_000);
        assert_eq!(p.data, &[0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(p.orig_len, 60);
        assert_eq!(p.linktype, LinkType::ETHERNET);
        let p = r.next_packet().unwrap();
        assert_eq!(p.ts, Timestamp::new(1, 773_397_000));
        assert!(p.data.is_empty());
        assert!(r.next_packet().is_none());
        assert!(r.next_packet().is_none());
        assert!(!r.truncated());
        assert_eq!(r.bytes_read(), PCAP_US_LE.len() as u64);
        assert_eq!(r.total_len(), PCAP_US_LE.len() as u64);
        assert_eq!(r.packets_read(), 2);
    }

    #[test]
    fn microsecond_big_endian() {
        let r = CaptureReader::new(PCAP_US_BE).unwrap();
        assert!(matches!(
            r.format(),
            Format::Pcap {
                big_endian: true,
                nanosecond: false,
                ..
            }
        ));
        assert_eq!(r.linktype(), Some(LinkType::RAW));
        let pkts: Vec<_> = r.collect();
        assert_eq!(pkts.len(), 1);
        assert_eq!(pkts[0].ts, Timestamp::new(1_600_000_000, 7_000));
        assert_eq!(pkts[0].data, &[0x45, 0x00]);
        // zero-copy: the packet borrows from the input
        assert!(core::ptr::eq(pkts[0].data.as_ptr(), &PCAP_US_BE[40]));
    }

    #[test]
    fn nanosecond_and_fcs_bits() {
        let mut r = CaptureReader::new(PCAP_NS_LE).unwrap();
        assert!(matches!(
            r.format(),
            Format::Pcap {
                nanosecond: true,
                ..
            }
        ));
        assert_eq!(r.linktype(), Some(LinkType::LINUX_SLL));
        let p = r.next_packet().unwrap();
        assert_eq!(p.ts, Timestamp::new(10, 999_999_999));
        assert_eq!(p.data, &[0xaa]);
        assert_eq!(p.orig_len, 5);
        assert!(r.next_packet().is_none());
        assert!(!r.truncated());
    }

    #[test]
    fn truncated_last_record() {
        // (cut at, packets expected, truncated?)
        let full = PCAP_US_LE.len();
        let cases: &[(usize, usize, bool)] = &[
            (24, 0, false),          // header only: clean, empty
            (24 + 7, 0, true),       // cut in record 1 header
            (24 + 16 + 2, 0, true),  // cut in record 1 data
            (24 + 20, 1, false),     // exactly after record 1
            (24 + 20 + 15, 1, true), // cut in record 2 header
            (full, 2, false),
        ];
        for &(cut, n, trunc) in cases {
            let mut r = CaptureReader::new(&PCAP_US_LE[..cut]).unwrap();
            let got = r.by_ref().count();
            assert_eq!(got, n, "cut at {cut}");
            assert_eq!(r.truncated(), trunc, "cut at {cut}");
            if trunc {
                assert!(matches!(
                    r.stop_reason(),
                    Some(StopReason::Truncated { .. })
                ));
            }
        }
    }

    #[test]
    fn cut_global_header_is_an_error() {
        let e = CaptureReader::new(&PCAP_US_LE[..10]).unwrap_err();
        assert!(e.to_string().contains("cut short"), "{e}");
    }

    #[test]
    fn huge_caplen_claims() {
        // Header of PCAP_US_LE, then a record claiming caplen 0xffffffff.
        let mut f = PCAP_US_LE[..24].to_vec();
        f.extend_from_slice(&[
            0x00, 0x00, 0x00, 0x00, // ts_sec
            0x00, 0x00, 0x00, 0x00, // ts_usec
            0xff, 0xff, 0xff, 0xff, // caplen 4294967295
            0xff, 0xff, 0xff, 0xff, // len
            0x00, 0x00, // a little data
        ]);
        let mut r = CaptureReader::new(&f).unwrap();
        assert!(r.next_packet().is_none());
        assert_eq!(
            r.stop_reason(),
            Some(StopReason::CaplenTooLarge {
                offset: 24,
                caplen: u32::MAX,
                max: 262_144
            })
        );

        // caplen 70000: over the 65535 snaplen but under the maximum, file long enough:
        // libpcap keeps snaplen bytes and skips the rest.
        let mut f = PCAP_US_LE[..24].to_vec();
        f.extend_from_slice(&[
            0x00, 0x00, 0x00, 0x00, // ts_sec
            0x00, 0x00, 0x00, 0x00, // ts_usec
            0x70, 0x11, 0x01, 0x00, // caplen 70000
            0x70, 0x11, 0x01, 0x00, // len 70000
        ]);
        f.resize(f.len() + 70000, 0xab);
        let mut r = CaptureReader::new(&f).unwrap();
        let p = r.next_packet().unwrap();
        assert_eq!(p.data.len(), 65535);
        assert_eq!(p.orig_len, 70000);
        assert!(r.next_packet().is_none());
        assert!(!r.truncated());
        assert_eq!(r.warnings().clipped_to_snaplen, 1);

        // Same record with the file cut: truncated.
        let mut r = CaptureReader::new(&f[..1000]).unwrap();
        assert!(r.next_packet().is_none());
        assert!(r.truncated());
    }

    #[test]
    fn old_versions_swap_lengths_and_bad_versions_fail() {
        // Version 2.2 files store len where caplen belongs and vice versa.
        let mut f = PCAP_US_BE.to_vec();
        f[7] = 2; // version minor 2
        f[35] = 9; // first length field (really the wire length): 9
        f[39] = 2; // second length field (really the captured length): 2
        let mut r = CaptureReader::new(&f).unwrap();
        let p = r.next_packet().unwrap();
        assert_eq!(p.data, &[0x45, 0x00]);
        assert_eq!(p.orig_len, 9);
        assert!(r.next_packet().is_none());
        assert!(!r.truncated());

        let mut f = PCAP_US_BE.to_vec();
        f[5] = 1; // version 1.4
        assert_eq!(
            CaptureReader::new(&f).unwrap_err().to_string(),
            "unsupported capture file version 1.4"
        );
    }

    #[test]
    fn record_times_as_suricata_sees_them() {
        use super::record_time;
        // (seconds field, fraction field, nanosecond file, secs, nanos), checked against
        // `suricata -r` on hand-made files (EVE timestamps).
        let cases: &[(u32, u32, bool, u64, u32)] = &[
            (1_600_000_000, 5, false, 1_600_000_000, 5_000),
            (
                1_600_000_000,
                123_456_789,
                false,
                1_600_000_000,
                773_397_000,
            ),
            (
                1_600_000_000,
                1_000_000,
                false,
                1_600_000_000,
                1_000_000_000,
            ),
            (1_600_000_000, 0xffee_a06c, false, 1_600_000_000, 0), // negative
            (0x8000_0001, 7, false, 0, 7_000),                     // negative seconds
            (
                1_600_000_010,
                0x7fff_ffff,
                false,
                1_600_000_010,
                1_048_575_000,
            ),
            (1_600_000_000, 999_999_999, true, 1_600_000_000, 999_999_999),
            (
                1_600_000_000,
                1_000_000_000,
                true,
                1_600_000_000,
                1_000_000_000,
            ),
            (1_600_000_000, 0x8000_0000, true, 1_600_000_000, 0),
            (1_600_000_000, 1_999, true, 1_600_000_000, 1_999),
        ];
        for &(sec, frac, ns, secs, nanos) in cases {
            assert_eq!(
                record_time(sec, frac, ns),
                Timestamp::new(secs, nanos),
                "{sec} {frac} {ns}"
            );
        }
    }

    #[test]
    fn modified_pcap_has_longer_record_headers() {
        let f: &[u8] = &[
            0x34, 0xcd, 0xb2, 0xa1, // magic a1b2cd34 little-endian
            0x02, 0x00, 0x04, 0x00, // version
            0x00, 0x00, 0x00, 0x00, // thiszone
            0x00, 0x00, 0x00, 0x00, // sigfigs
            0xff, 0xff, 0x00, 0x00, // snaplen
            0x01, 0x00, 0x00, 0x00, // Ethernet
            0x02, 0x00, 0x00, 0x00, // ts_sec 2
            0x03, 0x00, 0x00, 0x00, // ts_usec 3
            0x01, 0x00, 0x00, 0x00, // caplen 1
            0x01, 0x00, 0x00, 0x00, // len 1
            0x05, 0x00, 0x00, 0x00, // ifindex
            0x00, 0x08, 0x00, 0x00, // protocol, pkt_type, pad
            0x77, // data
        ];
        let mut r = CaptureReader::new(f).unwrap();
        assert!(matches!(r.format(), Format::Pcap { modified: true, .. }));
        let p = r.next_packet().unwrap();
        assert_eq!(p.data, &[0x77]);
        assert_eq!(p.ts, Timestamp::new(2, 3000));
        assert!(r.next_packet().is_none());
        assert!(!r.truncated());
    }
}
