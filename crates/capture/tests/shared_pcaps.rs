//! Reads every capture of the shared corpus and compares packet counts with what
//! Suricata 7.0.10 reported (`alerts-suricata-7.0.10.tsv`, column `packets`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use palisade_capture::{CaptureReader, LinkType};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Link types the Palisade decoder handles.
const SUPPORTED: &[u32] = &[0, 1, 9, 12, 14, 101, 108, 113, 228, 229, 276];

/// Files where Suricata's count legitimately differs from the packets in the file, with
/// the reason (found by running `suricata -r` on them). None so far.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

/// Files with an empty `packets` column: what `suricata -r FILE` (7.0.10) did with them,
/// packets read and the pcap error it printed ("E: pcap: error code -1 <message> for FILE").
const NO_COUNT_IN_TABLE: &[(&str, u64, &str)] = &[
    (
        "malware/OISF_suricata-verify__tests_bug-1450-04_tls_DER-incomplete-header.pcap",
        6,
        "invalid packet capture length 4325376, bigger than snaplen of 262144",
    ),
    (
        "mixed/OISF_suricata-verify__tests_smtp-to-comma_10.7.29.101_49898-178.63.41.150_25.pcap",
        18,
        "invalid packet capture length 3925868813, bigger than snaplen of 262144",
    ),
];

/// Cut files and libpcap's message for them, as Suricata printed it.
const TRUNCATED: &[(&str, &str)] = &[(
    "mixed/markofu_pcaps__PracticalPacketAnalysis_ppa-capture-files_http-fault-post.pcap",
    "truncated dump file; tried to read 16 header bytes, only got 2",
)];

struct Summary {
    format: palisade_capture::Format,
    packets: u64,
    linktypes: BTreeSet<u32>,
    first: Option<LinkType>,
    stop: Option<String>,
}

fn read(path: &Path) -> Result<Summary, String> {
    let data = std::fs::read(path).map_err(|e| e.to_string())?;
    let mut r = CaptureReader::new(&data).map_err(|e| e.to_string())?;
    let mut linktypes = BTreeSet::new();
    let mut packets = 0;
    for p in r.by_ref() {
        packets += 1;
        linktypes.insert(p.linktype.0);
    }
    Ok(Summary {
        format: r.format(),
        packets,
        linktypes,
        first: r.linktype(),
        stop: r.stop_reason().map(|s| s.to_string()),
    })
}

#[test]
fn packet_counts_match_suricata() {
    let dir = shared().join("pcaps");
    let tsv = dir.join("alerts-suricata-7.0.10.tsv");
    let Ok(table) = std::fs::read_to_string(&tsv) else {
        eprintln!("note: {} missing, test skipped", tsv.display());
        return;
    };
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (file_col, packets_col) = (col("file"), col("packets"));
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(expected)) = (fields.get(file_col), fields.get(packets_col)) else {
            continue;
        };
        let no_count = NO_COUNT_IN_TABLE.iter().find(|(f, _, _)| f == file);
        let expected = match (expected.parse::<u64>(), no_count) {
            (Ok(n), _) => n,
            (Err(_), Some(&(_, n, _))) => n,
            (Err(_), None) => {
                mismatches.push(format!("{file}: no packet count in the table"));
                continue;
            }
        };
        let summary = match read(&dir.join(file)) {
            Ok(s) => s,
            Err(e) => {
                mismatches.push(format!("{file}: cannot open: {e} (suricata: {expected})"));
                continue;
            }
        };
        if !summary.linktypes.iter().all(|lt| SUPPORTED.contains(lt))
            || summary.first.is_some_and(|lt| !SUPPORTED.contains(&lt.0))
        {
            // Suricata counts these packets too (and fails to decode them): compare anyway.
            eprintln!(
                "note: {file}: unsupported link types {:?}, {} packets read, suricata {expected}",
                summary.linktypes, summary.packets
            );
        }
        let expected_stop = no_count
            .map(|(_, _, m)| *m)
            .or_else(|| TRUNCATED.iter().find(|(f, _)| f == file).map(|(_, m)| *m));
        if summary.stop.as_deref() != expected_stop {
            mismatches.push(format!(
                "{file}: stopped with {:?}, expected {expected_stop:?}",
                summary.stop
            ));
        }
        checked += 1;
        if summary.packets != expected {
            let known = KNOWN_DIFFERENCES.iter().find(|(f, _)| f == file);
            let line = format!(
                "{file}: read {} packets, suricata {expected}; link types {:?}; stop: {:?}{}",
                summary.packets,
                summary.linktypes,
                summary.stop,
                known.map_or(String::new(), |(_, why)| format!(" (known: {why})"))
            );
            if known.is_none() {
                mismatches.push(line);
            } else {
                eprintln!("{line}");
            }
        }
    }
    eprintln!("checked {checked} captures");
    assert!(checked > 0);
    assert!(
        mismatches.is_empty(),
        "mismatches:\n{}",
        mismatches.join("\n")
    );
}

fn captures_under(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() && depth > 0 {
            captures_under(&p, depth - 1, out);
        } else if p
            .extension()
            .is_some_and(|x| ["pcap", "pcapng", "cap"].iter().any(|c| x == *c))
        {
            out.push(p);
        }
    }
}

/// Census of link types across the shared captures: `cargo test -p palisade-capture
/// --test shared_pcaps -- --ignored --nocapture`.
#[test]
#[ignore]
fn linktype_census() {
    for (name, sub, depth) in [
        ("pcaps", "pcaps", 1),
        ("suricata-verify", "suricata-verify/tests", 3),
    ] {
        let mut files = Vec::new();
        captures_under(&shared().join(sub), depth, &mut files);
        let mut by_type: BTreeMap<String, u64> = BTreeMap::new();
        for f in &files {
            let key = match read(f) {
                Ok(s) => {
                    let fmt = match s.format {
                        palisade_capture::Format::PcapNg => "pcapng",
                        _ => "pcap",
                    };
                    if s.linktypes.is_empty() {
                        format!("{fmt} {:?} (no packets)", s.first.map(|l| l.0))
                    } else {
                        format!("{fmt} {:?}", s.linktypes)
                    }
                }
                Err(e) => format!("error: {e}"),
            };
            if std::env::var_os("CENSUS_LIST").is_some() {
                let s = read(f).ok();
                eprintln!(
                    "FILE\t{}\t{}\t{}",
                    f.display(),
                    s.as_ref().map_or(0, |s| s.packets),
                    s.and_then(|s| s.stop).unwrap_or_default()
                );
            }
            *by_type.entry(key).or_default() += 1;
        }
        eprintln!("{name}: {} files", files.len());
        for (k, n) in by_type {
            eprintln!("  {n:5}  {k}");
        }
    }
}
