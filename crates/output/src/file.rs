//! Log files: `eve.json` and `fast.log`.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::alert::{suricata_proto_name, AlertInfo};
use crate::eve::PacketHeader;
use crate::json::JsonBuf;

/// Suricata's default EVE file name.
pub const DEFAULT_EVE_FILENAME: &str = "eve.json";
/// Suricata's default fast log file name.
pub const DEFAULT_FAST_FILENAME: &str = "fast.log";

fn open(path: &Path, append: bool) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.create(true);
    if append {
        o.append(true);
    } else {
        o.write(true).truncate(true);
    }
    o.open(path)
}

/// A buffered EVE JSON writer (`filetype: regular`), one record per line.
///
/// Suricata opens log files in append mode unless the output's `append: no` is set;
/// [`EveWriter::create`] takes that flag. The buffer is flushed on [`EveWriter::flush`],
/// [`EveWriter::close`] and drop.
pub struct EveWriter {
    out: BufWriter<File>,
    path: PathBuf,
    sensor_name: Option<String>,
    pcap_filename: Option<String>,
    records: u64,
}

impl EveWriter {
    /// Opens (creating it if needed) the file at `path`.
    pub fn create(path: impl AsRef<Path>, append: bool) -> io::Result<EveWriter> {
        let path = path.as_ref().to_path_buf();
        let f = open(&path, append)?;
        Ok(EveWriter {
            out: BufWriter::with_capacity(1 << 16, f),
            path,
            sensor_name: None,
            pcap_filename: None,
            records: 0,
        })
    }

    /// Opens `<log_dir>/<filename or eve.json>`.
    pub fn in_dir(
        log_dir: impl AsRef<Path>,
        filename: Option<&str>,
        append: bool,
    ) -> io::Result<EveWriter> {
        Self::create(
            log_dir
                .as_ref()
                .join(filename.unwrap_or(DEFAULT_EVE_FILENAME)),
            append,
        )
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `sensor-name`: added to every record as `host`.
    pub fn set_sensor_name(&mut self, name: Option<String>) {
        self.sensor_name = name;
    }

    /// With `pcap-file: true`: added to every record as `pcap_filename`.
    pub fn set_pcap_filename(&mut self, name: Option<String>) {
        self.pcap_filename = name;
    }

    /// Finishes a record built by the [`crate::eve`] writers (appends `host` and
    /// `pcap_filename` when configured, closes it) and writes it as one line.
    pub fn write(&mut self, j: &mut JsonBuf) -> io::Result<()> {
        if j.depth() == 1 {
            if let Some(h) = &self.sensor_name {
                j.set_str("host", h);
            }
            if let Some(p) = &self.pcap_filename {
                j.set_str("pcap_filename", p);
            }
        }
        j.close_all();
        self.out.write_all(j.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.records += 1;
        Ok(())
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flushes and closes, reporting any error (drop only flushes silently).
    pub fn close(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for EveWriter {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}

/// The `fast.log` writer: one line per alert, Suricata 7.0.10's format (see
/// [`fast_log_line`]).
pub struct FastLog {
    out: BufWriter<File>,
    ips: bool,
    line: Vec<u8>,
}

/// Appends one fast.log line (with its newline) for an alert to `out`:
///
/// `MM/DD/YYYY-HH:MM:SS.uuuuuu  [**] [gid:sid:rev] msg [**] [Classification: c] [Priority: p] {PROTO} src:sp -> dst:dp`
///
/// - the time is UTC (Suricata prints local time: identical with TZ=UTC);
/// - a rule whose action drops gets `[Drop] ` (IPS mode, `ips`) or `[wDrop] ` (IDS)
///   before the first `[**]`;
/// - a rule without classtype prints `[Classification: (null)]`;
/// - PROTO is Suricata's protocol name ([`crate::alert::suricata_proto_name`]) or
///   `PROTO:NNN`; ports are the ICMP type and code for ICMP / ICMPv6, 0 for protocols
///   without ports; IPv6 addresses in full (eight groups of four hex digits);
/// - a packet without IP layer (decoder event rules) ends, after the priority, with
///   `[**] [Raw pkt: XX XX ... ]` (its first 32 bytes, uppercase hex) and
///   ` [pcap file packet: N]` when it has a capture packet number.
///
/// The message and classification are written as they are (not escaped).
pub fn fast_log_line(out: &mut Vec<u8>, h: &PacketHeader, a: &AlertInfo, ips: bool, packet: &[u8]) {
    let secs = h.ts.secs.min(253_402_300_799) as i64;
    let (y, m, d) = crate::time::civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let action = match (a.drops, ips) {
        (true, true) => "[Drop] ",
        (true, false) => "[wDrop] ",
        _ => "",
    };
    let class = if a.category.is_empty() {
        "(null)"
    } else {
        a.category
    };
    let _ = write!(
        out,
        "{:02}/{:02}/{:04}-{:02}:{:02}:{:02}.{:06}  {}[**] [{}:{}:{}] {} [**] [Classification: {}] [Priority: {}]",
        m,
        d,
        y,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        h.ts.micros().min(999_999),
        action,
        a.gid,
        a.sid,
        a.rev,
        a.signature,
        class,
        a.severity,
    );
    match h.ip {
        Some((src, dst)) => {
            let (sp, dp) = match h.proto {
                6 | 17 | 132 => (h.sp, h.dp),
                1 | 58 => h.icmp.map(|(t, c)| (t as u16, c as u16)).unwrap_or((0, 0)),
                _ => (0, 0),
            };
            out.extend_from_slice(b" {");
            match suricata_proto_name(h.proto) {
                Some(n) => out.extend_from_slice(n.as_bytes()),
                None => {
                    let _ = write!(out, "PROTO:{:03}", h.proto);
                }
            }
            out.extend_from_slice(b"} ");
            crate::json::write_ip(out, src);
            let _ = write!(out, ":{sp} -> ");
            crate::json::write_ip(out, dst);
            let _ = writeln!(out, ":{dp}");
        }
        None => {
            out.extend_from_slice(b" [**] [Raw pkt: ");
            for b in packet.iter().take(32) {
                let _ = write!(out, "{b:02X} ");
            }
            out.push(b']');
            if h.pcap_cnt != 0 {
                let _ = write!(out, " [pcap file packet: {}]", h.pcap_cnt);
            }
            out.push(b'\n');
        }
    }
}

impl FastLog {
    /// Opens (creating it if needed) the file at `path`; `append` as the output's
    /// `append` setting.
    pub fn create(path: impl AsRef<Path>, append: bool) -> io::Result<FastLog> {
        Ok(FastLog {
            out: BufWriter::new(open(path.as_ref(), append)?),
            ips: false,
            line: Vec::with_capacity(512),
        })
    }

    /// IPS mode (`--simulate-ips`, inline capture): drop rules are marked `[Drop] `
    /// instead of `[wDrop] `.
    pub fn set_ips(&mut self, ips: bool) {
        self.ips = ips;
    }

    /// Writes the line of one alert; `packet` is the packet as captured (used only for
    /// packets without IP layer).
    pub fn write_alert(
        &mut self,
        h: &PacketHeader,
        a: &AlertInfo,
        packet: &[u8],
    ) -> io::Result<()> {
        self.line.clear();
        fast_log_line(&mut self.line, h, a, self.ips, packet);
        self.out.write_all(&self.line)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for FastLog {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("palisade-output-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn eve_writer_append_truncate_and_extra_fields() {
        let d = tmpdir("eve");
        let mut j = JsonBuf::new();
        {
            let mut w = EveWriter::in_dir(&d, None, false).unwrap();
            j.reset();
            j.set_str("event_type", "x");
            w.write(&mut j).unwrap();
            assert_eq!(w.records(), 1);
        } // dropped: flushed
        let p = d.join("eve.json");
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "{\"event_type\":\"x\"}\n"
        );
        {
            let mut w = EveWriter::create(&p, true).unwrap();
            w.set_sensor_name(Some("s1".into()));
            w.set_pcap_filename(Some("a.pcap".into()));
            j.reset();
            j.set_u64("n", 1);
            w.write(&mut j).unwrap();
            w.close().unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "{\"event_type\":\"x\"}\n{\"n\":1,\"host\":\"s1\",\"pcap_filename\":\"a.pcap\"}\n"
        );
        let w = EveWriter::create(&p, false).unwrap();
        drop(w);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "");
        let _ = std::fs::remove_dir_all(&d);
    }

    use crate::eve::PktSrc;
    use palisade_flow::Timestamp;
    use std::net::IpAddr;

    struct Case {
        ts: (u64, u32),
        pcap_cnt: u64,
        ip: Option<(&'static str, &'static str)>,
        proto: u8,
        ports: (u16, u16),
        icmp: Option<(u8, u8)>,
        drops: bool,
        ips: bool,
        gid: u32,
        sid: u32,
        rev: u32,
        msg: &'static str,
        class: &'static str,
        prio: u32,
        packet: &'static [u8],
        want: &'static str,
    }

    const BASE: Case = Case {
        ts: (1_464_332_171, 304_062),
        pcap_cnt: 1,
        ip: Some(("10.16.1.11", "82.165.177.154")),
        proto: 6,
        ports: (46652, 80),
        icmp: None,
        drops: false,
        ips: false,
        gid: 1,
        sid: 1,
        rev: 0,
        msg: "",
        class: "",
        prio: 3,
        packet: &[],
        want: "",
    };

    #[test]
    fn fast_log_lines_like_suricata() {
        // Every `want` is a line Suricata 7.0.10 wrote for the same alert (reference
        // runs on suricata-verify and crafted captures).
        let cases = [
            Case {
                ts: (1_464_332_171, 701_229),
                sid: 1001,
                rev: 2,
                msg: r#"TCP GET "quoted" back\slash"#,
                class: "Misc activity",
                want: r#"05/27/2016-06:56:11.701229  [**] [1:1001:2] TCP GET "quoted" back\slash [**] [Classification: Misc activity] [Priority: 3] {TCP} 10.16.1.11:46652 -> 82.165.177.154:80"#,
                ..BASE
            },
            Case {
                sid: 2001,
                msg: "DROP syn",
                drops: true,
                ips: true,
                want: "05/27/2016-06:56:11.304062  [Drop] [**] [1:2001:0] DROP syn [**] [Classification: (null)] [Priority: 3] {TCP} 10.16.1.11:46652 -> 82.165.177.154:80",
                ..BASE
            },
            Case {
                sid: 2001,
                msg: "DROP syn",
                drops: true,
                want: "05/27/2016-06:56:11.304062  [wDrop] [**] [1:2001:0] DROP syn [**] [Classification: (null)] [Priority: 3] {TCP} 10.16.1.11:46652 -> 82.165.177.154:80",
                ..BASE
            },
            Case {
                ts: (1_669_305_098, 513_355),
                ip: Some(("1.1.1.2", "1.1.1.1")),
                proto: 47,
                ports: (0, 0),
                gid: 5,
                sid: 1004,
                rev: 7,
                msg: "GRE proto",
                class: "Potentially Bad Traffic",
                prio: 1,
                want: "11/24/2022-15:51:38.513355  [**] [5:1004:7] GRE proto [**] [Classification: Potentially Bad Traffic] [Priority: 1] {GRE} 1.1.1.2:0 -> 1.1.1.1:0",
                ..BASE
            },
            Case {
                ts: (1_666_995_255, 683_070),
                ip: Some(("192.168.1.5", "192.168.1.1")),
                proto: 1,
                ports: (0, 0),
                icmp: Some((8, 0)),
                sid: 1002,
                msg: "ICMP no class",
                want: "10/28/2022-22:14:15.683070  [**] [1:1002:0] ICMP no class [**] [Classification: (null)] [Priority: 3] {ICMP} 192.168.1.5:8 -> 192.168.1.1:0",
                ..BASE
            },
            Case {
                ts: (1_700_000_003, 123_456),
                ip: Some(("10.0.0.1", "10.0.0.2")),
                proto: 1,
                ports: (0, 0),
                icmp: Some((3, 1)),
                sid: 4003,
                msg: "icmp6 or 4",
                want: "11/14/2023-22:13:23.123456  [**] [1:4003:0] icmp6 or 4 [**] [Classification: (null)] [Priority: 3] {ICMP} 10.0.0.1:3 -> 10.0.0.2:1",
                ..BASE
            },
            Case {
                ts: (1_700_000_002, 123_456),
                ip: Some(("2001:db8::1", "2001:db8::2")),
                proto: 58,
                ports: (0, 0),
                icmp: Some((128, 0)),
                sid: 4003,
                msg: "icmp6 or 4",
                want: "11/14/2023-22:13:22.123456  [**] [1:4003:0] icmp6 or 4 [**] [Classification: (null)] [Priority: 3] {IPv6-ICMP} 2001:0db8:0000:0000:0000:0000:0000:0001:128 -> 2001:0db8:0000:0000:0000:0000:0000:0002:0",
                ..BASE
            },
            Case {
                ts: (1_692_825_579, 496_964),
                ip: Some(("2600:1f13:f8:d400:3a6:303c:e011:18eb", "2001:4860:4860::8888")),
                ports: (33892, 443),
                sid: 1005,
                msg: "IPv6 TCP target",
                want: "08/23/2023-21:19:39.496964  [**] [1:1005:0] IPv6 TCP target [**] [Classification: (null)] [Priority: 3] {TCP} 2600:1f13:00f8:d400:03a6:303c:e011:18eb:33892 -> 2001:4860:4860:0000:0000:0000:0000:8888:443",
                ..BASE
            },
            Case {
                ts: (1_700_000_001, 123_456),
                ip: Some(("10.0.0.1", "10.0.0.2")),
                proto: 99,
                ports: (0, 0),
                sid: 4002,
                msg: "proto 99",
                want: "11/14/2023-22:13:21.123456  [**] [1:4002:0] proto 99 [**] [Classification: (null)] [Priority: 3] {Any} 10.0.0.1:0 -> 10.0.0.2:0",
                ..BASE
            },
            Case {
                ts: (1_700_000_200, 0),
                ip: Some(("10.0.1.200", "10.0.2.200")),
                proto: 200,
                ports: (0, 0),
                sid: 5000,
                msg: "p",
                want: "11/14/2023-22:16:40.000000  [**] [1:5000:0] p [**] [Classification: (null)] [Priority: 3] {PROTO:200} 10.0.1.200:0 -> 10.0.2.200:0",
                ..BASE
            },
            Case {
                ts: (1_700_000_000, 123_456),
                ip: None,
                proto: 0,
                ports: (0, 0),
                sid: 4001,
                msg: "eth small",
                class: "Generic Protocol Command Decode",
                packet: b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99",
                want: "11/14/2023-22:13:20.123456  [**] [1:4001:0] eth small [**] [Classification: Generic Protocol Command Decode] [Priority: 3] [**] [Raw pkt: 00 11 22 33 44 55 66 77 88 99 ] [pcap file packet: 1]",
                ..BASE
            },
            Case {
                // not from a reference run: the raw dump stops at 32 bytes, no packet number
                ip: None,
                pcap_cnt: 0,
                sid: 9,
                msg: "m",
                class: "c",
                packet: &[0xab; 40],
                want: "05/27/2016-06:56:11.304062  [**] [1:9:0] m [**] [Classification: c] [Priority: 3] [**] [Raw pkt: AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB AB ]",
                ..BASE
            },
        ];
        for c in &cases {
            let ip =
                c.ip.map(|(s, d)| (s.parse::<IpAddr>().unwrap(), d.parse::<IpAddr>().unwrap()));
            let h = PacketHeader {
                ts: Timestamp::new(c.ts.0, c.ts.1 * 1000),
                flow_id: None,
                pcap_cnt: c.pcap_cnt,
                vlan: &[],
                ip,
                proto: c.proto,
                sp: c.ports.0,
                dp: c.ports.1,
                icmp: c.icmp,
                pkt_src: PktSrc::Wire,
            };
            let a = AlertInfo {
                drops: c.drops,
                gid: c.gid,
                sid: c.sid,
                rev: c.rev,
                signature: c.msg,
                category: c.class,
                severity: c.prio,
                ..Default::default()
            };
            let mut out = Vec::new();
            fast_log_line(&mut out, &h, &a, c.ips, c.packet);
            assert_eq!(String::from_utf8(out).unwrap(), format!("{}\n", c.want));
        }
    }

    #[test]
    fn fast_log_file() {
        let d = tmpdir("fast");
        let p = d.join(DEFAULT_FAST_FILENAME);
        let h = PacketHeader {
            ts: Timestamp::new(0, 0),
            flow_id: None,
            pcap_cnt: 0,
            vlan: &[],
            ip: Some(("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())),
            proto: 17,
            sp: 1,
            dp: 2,
            icmp: None,
            pkt_src: PktSrc::Wire,
        };
        let a = AlertInfo {
            sid: 7,
            signature: "x",
            drops: true,
            ..Default::default()
        };
        {
            let mut f = FastLog::create(&p, false).unwrap();
            f.set_ips(true);
            f.write_alert(&h, &a, &[]).unwrap();
            f.set_ips(false);
            f.write_alert(&h, &a, &[]).unwrap();
        } // dropped: flushed
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "01/01/1970-00:00:00.000000  [Drop] [**] [1:7:0] x [**] [Classification: (null)] [Priority: 3] {UDP} 10.0.0.1:1 -> 10.0.0.2:2\n\
             01/01/1970-00:00:00.000000  [wDrop] [**] [1:7:0] x [**] [Classification: (null)] [Priority: 3] {UDP} 10.0.0.1:1 -> 10.0.0.2:2\n"
        );
        let _ = std::fs::remove_dir_all(&d);
    }
}
