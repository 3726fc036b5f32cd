//! Log files: `eve.json` and (placeholder) `fast.log`.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use palisade_flow::Timestamp;

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

/// `fast.log` writer — placeholder until alerts exist: the line format follows
/// Suricata's (`MM/DD/YYYY-HH:MM:SS.uuuuuu  [**] [gid:sid:rev] msg [**]
/// [Classification: c] [Priority: p] {PROTO} src:sp -> dst:dp`), the rest of the
/// alert plumbing is still to come.
pub struct FastLog {
    out: BufWriter<File>,
}

/// What a fast.log line needs.
pub struct FastAlert<'a> {
    pub ts: Timestamp,
    /// "" or Suricata's action prefix, e.g. "[Drop] ".
    pub action: &'a str,
    pub gid: u32,
    pub sid: u32,
    pub rev: u32,
    pub msg: &'a str,
    pub classification: &'a str,
    pub priority: u32,
    pub proto: &'a str,
    pub src: std::net::IpAddr,
    pub sp: u16,
    pub dst: std::net::IpAddr,
    pub dp: u16,
}

impl FastLog {
    pub fn create(path: impl AsRef<Path>, append: bool) -> io::Result<FastLog> {
        Ok(FastLog {
            out: BufWriter::new(open(path.as_ref(), append)?),
        })
    }

    pub fn write_alert(&mut self, a: &FastAlert) -> io::Result<()> {
        let secs = a.ts.secs.min(253_402_300_799) as i64;
        let (y, m, d) = crate::time::civil_from_days(secs.div_euclid(86_400));
        let rem = secs.rem_euclid(86_400);
        let mut src = Vec::with_capacity(40);
        crate::json::write_ip(&mut src, a.src);
        let mut dst = Vec::with_capacity(40);
        crate::json::write_ip(&mut dst, a.dst);
        writeln!(
            self.out,
            "{:02}/{:02}/{:04}-{:02}:{:02}:{:02}.{:06}  {}[**] [{}:{}:{}] {} [**] [Classification: {}] [Priority: {}] {{{}}} {}:{} -> {}:{}",
            m,
            d,
            y,
            rem / 3600,
            rem % 3600 / 60,
            rem % 60,
            a.ts.micros().min(999_999),
            a.action,
            a.gid,
            a.sid,
            a.rev,
            a.msg,
            a.classification,
            a.priority,
            a.proto,
            String::from_utf8_lossy(&src),
            a.sp,
            String::from_utf8_lossy(&dst),
            a.dp
        )
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

    #[test]
    fn fast_log_line() {
        let d = tmpdir("fast");
        let p = d.join(DEFAULT_FAST_FILENAME);
        let mut f = FastLog::create(&p, false).unwrap();
        f.write_alert(&FastAlert {
            ts: Timestamp::new(1_259_098_029, 534_255_000),
            action: "",
            gid: 1,
            sid: 2000,
            rev: 3,
            msg: "TEST",
            classification: "Misc activity",
            priority: 3,
            proto: "TCP",
            src: "10.0.0.1".parse().unwrap(),
            sp: 1234,
            dst: "10.0.0.2".parse().unwrap(),
            dp: 80,
        })
        .unwrap();
        drop(f);
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "11/24/2009-21:27:09.534255  [**] [1:2000:3] TEST [**] [Classification: Misc activity] [Priority: 3] {TCP} 10.0.0.1:1234 -> 10.0.0.2:80\n"
        );
        let _ = std::fs::remove_dir_all(&d);
    }
}
