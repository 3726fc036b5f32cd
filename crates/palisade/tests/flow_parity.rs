//! Flow parity with Suricata 7.0.10 on 119 real captures (every 16th shared capture plus
//! every one whose name speaks of tunnels, fragments, VLANs or odd link layers): the same
//! flows, with the same packet and byte totals in each direction. The reference was made
//! with `tools/gen-flow-reference.py` from Suricata's own EVE output (`-k none
//! --disable-detection`, default configuration).

mod common;
use common::*;
use std::collections::BTreeMap;

/// One line per flow, in the reference's format (see tools/gen-flow-reference.py).
fn flow_row(capture: &str, r: &serde_json::Value) -> String {
    let end = |ip: &str, port: &str| -> String {
        let p = r.get(port).map(|v| v.to_string()).unwrap_or_default();
        format!("{}|{}", r[ip].as_str().unwrap_or(""), p)
    };
    let mut a = end(
        "src_ip",
        if r.get("src_port").is_some() {
            "src_port"
        } else {
            "icmp_type"
        },
    );
    let mut b = end(
        "dest_ip",
        if r.get("dest_port").is_some() {
            "dest_port"
        } else {
            "response_icmp_type"
        },
    );
    let f = &r["flow"];
    let mut fa = (
        f["pkts_toserver"].as_u64().unwrap(),
        f["bytes_toserver"].as_u64().unwrap(),
    );
    let mut fb = (
        f["pkts_toclient"].as_u64().unwrap(),
        f["bytes_toclient"].as_u64().unwrap(),
    );
    if b < a {
        std::mem::swap(&mut a, &mut b);
        std::mem::swap(&mut fa, &mut fb);
    }
    let vlan: Vec<String> = r["vlan"]
        .as_array()
        .map(|v| v.iter().map(|x| x.to_string()).collect())
        .unwrap_or_default();
    format!(
        "{capture}\t{}\t{a}\t{b}\t{}\t{}\t{}\t{}\t{}",
        r["proto"].as_str().unwrap_or(""),
        vlan.join(","),
        fa.0,
        fa.1,
        fb.0,
        fb.1
    )
}

#[test]
fn flows_equal_suricata_on_reference_captures() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: skipped");
        return;
    };
    let captures: Vec<&str> = include_str!("data/flows-captures.txt")
        .split_whitespace()
        .collect();
    let mut want: BTreeMap<&str, Vec<&str>> = captures.iter().map(|c| (*c, Vec::new())).collect();
    for l in include_str!("data/flows-suricata.tsv").lines() {
        let cap = l.split('\t').next().unwrap();
        want.get_mut(cap).expect("capture listed").push(l);
    }
    let results = par_map(&captures, |cap| {
        let (o, eve, out) = run_capture(&shared.join("pcaps").join(cap), &[]);
        let _ = std::fs::remove_dir_all(out);
        assert_eq!(o.status.code(), Some(0), "{cap}");
        let mut rows: Vec<String> = eve
            .iter()
            .filter(|r| r["event_type"] == "flow")
            .map(|r| flow_row(cap, r))
            .collect();
        rows.sort();
        rows
    });
    let (mut same, mut flows, mut bad) = (0, 0, Vec::new());
    for (cap, got) in captures.iter().zip(results) {
        let mut w: Vec<String> = want[cap].iter().map(|s| s.to_string()).collect();
        w.sort();
        flows += w.len();
        if w == got {
            same += 1;
        } else {
            let missing: Vec<_> = w.iter().filter(|x| !got.contains(x)).take(3).collect();
            let extra: Vec<_> = got.iter().filter(|x| !w.contains(x)).take(3).collect();
            bad.push(format!(
                "{cap}: suricata {} flows, palisade {}; missing {missing:?}; extra {extra:?}",
                w.len(),
                got.len()
            ));
        }
    }
    println!(
        "{same} of {} captures ({flows} flows): flows identical to Suricata's",
        captures.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
