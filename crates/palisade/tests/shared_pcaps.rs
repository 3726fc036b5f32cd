//! Proof of the foundation over every real capture of `../shared/pcaps` and every capture of
//! `../shared/suricata-verify`: no crash, and `decoder.pkts` equal to Suricata 7.0.10's count.

mod common;
use common::*;
use std::path::PathBuf;

#[test]
fn shared_pcaps_packet_counts_match_suricata() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: skipped");
        return;
    };
    let tsv = std::fs::read_to_string(shared.join("pcaps/alerts-suricata-7.0.10.tsv")).unwrap();
    // Two rows have no packet count in the TSV; Suricata's count for them, from a run of
    // Suricata 7.0.10 made here, is in data/pcaps-missing-pkts.tsv.
    let extra: Vec<(&str, u64)> = include_str!("data/pcaps-missing-pkts.tsv")
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(f, n)| (f, n.parse().unwrap()))
        .collect();
    let mut rows: Vec<(PathBuf, u64)> = Vec::new();
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = header.iter().position(|h| *h == "packets").unwrap();
    for l in lines {
        let f: Vec<&str> = l.split('\t').collect();
        let n = match f[col].parse() {
            Ok(n) => n,
            Err(_) => extra
                .iter()
                .find(|(name, _)| *name == f[0])
                .map(|(_, n)| *n)
                .unwrap_or_else(|| panic!("no packet count for {}", f[0])),
        };
        rows.push((shared.join("pcaps").join(f[0]), n));
    }
    assert_eq!(rows.len(), 964);
    let results = par_map(&rows, |(path, want)| {
        let (o, eve, out) = run_capture(path, &[]);
        let _ = std::fs::remove_dir_all(out);
        let got = last_stats(&eve).and_then(|s| s["decoder"]["pkts"].as_u64());
        (path.clone(), *want, got, crashed(&o), o.status.code())
    });
    let mut bad = Vec::new();
    for (path, want, got, crash, code) in &results {
        if *crash || *code != Some(0) || *got != Some(*want) {
            bad.push(format!(
                "{}: want {want} got {got:?} exit {code:?}",
                path.display()
            ));
        }
    }
    println!(
        "{} of {} captures: decoder.pkts equals Suricata's",
        results.len() - bad.len(),
        results.len()
    );
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn suricata_verify_pcaps_packet_counts_match_suricata() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: skipped");
        return;
    };
    let reference = include_str!("data/sv-pkts.tsv");
    let mut rows: Vec<(PathBuf, Option<u64>)> = Vec::new();
    for l in reference.lines() {
        let f: Vec<&str> = l.split('\t').collect();
        rows.push((
            shared.join("suricata-verify/tests").join(f[0]),
            f[1].parse().ok(),
        ));
    }
    assert!(rows.len() > 600, "reference lists {} captures", rows.len());
    let results = par_map(&rows, |(path, want)| {
        let (o, eve, out) = run_capture(path, &[]);
        let _ = std::fs::remove_dir_all(out);
        let got = last_stats(&eve).and_then(|s| s["decoder"]["pkts"].as_u64());
        (path.clone(), *want, got, crashed(&o), o.status.code())
    });
    let mut bad = Vec::new();
    for (path, want, got, crash, code) in &results {
        if *crash {
            bad.push(format!("{}: crashed", path.display()));
        } else if let Some(want) = want {
            if *got != Some(*want) || *code != Some(0) {
                bad.push(format!(
                    "{}: want {want} got {got:?} exit {code:?}",
                    path.display()
                ));
            }
        }
    }
    println!(
        "{} of {} suricata-verify captures: no crash and decoder.pkts equals Suricata's",
        results.len() - bad.len(),
        results.len()
    );
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
