//! rule-classes: which rules of the shared set need no app-layer buffer.
//!
//! `rule-classes [RULE_FILE_OR_DIR...] > classes.tsv` (default: the three folders of
//! ../shared/rules). Rules are parsed with palisade-rules (Suricata 7.0.10's stock
//! app-layer configuration plus modbus, dnp3 and enip). One line per loaded rule:
//! `gid  sid  class  app_proto  buffers  reason`, class being
//!
//! - `app`: needs the app layer: `Rule::app_proto` is set (app-layer header protocol,
//!   a keyword or sticky buffer of an app-layer protocol, `app-layer-protocol:`), or a
//!   buffer other than the packet ones (payload, pkt_data, raw, *.hdr), or
//!   `app-layer-event` / `app-layer-state`;
//! - `flowbits-app`: no app-layer keyword itself, but checks (`isset`/`isnotset`) a
//!   flowbit that some `app` rule sets (transitively through other such rules);
//! - `packet`: everything else (packet payload / stream, headers, decoder and stream
//!   events).
//!
//! A summary goes to stderr.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use palisade_rules::{load_rule_files, Rule, RuleContext};

const PACKET_BUFFERS: &[&str] = &[
    "payload",
    "pkt_data",
    "raw",
    "ipv4.hdr",
    "ipv6.hdr",
    "tcp.hdr",
    "udp.hdr",
    "icmpv4.hdr",
    "icmpv6.hdr",
];
const APP_KEYWORDS: &[&str] = &["app-layer-event", "app-layer-state", "app-layer-protocol"];

/// (command, flowbit names) of each `flowbits:` option of a rule.
fn flowbits(r: &Rule) -> Vec<(String, Vec<String>)> {
    r.options_named("flowbits")
        .filter_map(|o| o.raw.as_deref())
        .map(|raw| {
            let mut it = raw.splitn(2, ',');
            let cmd = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let names = it
                .next()
                .unwrap_or("")
                .split(['|', '&'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            (cmd, names)
        })
        .collect()
}

fn app_reason(r: &Rule) -> Option<String> {
    if let Some(p) = &r.app_proto {
        return Some(format!("app_proto={p}"));
    }
    if let Some(b) = r
        .buffers
        .iter()
        .find(|b| !PACKET_BUFFERS.contains(&b.buffer))
    {
        return Some(format!("buffer={}", b.buffer));
    }
    r.options
        .iter()
        .find(|o| APP_KEYWORDS.contains(&o.keyword))
        .map(|o| format!("keyword={}", o.keyword))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/rules");
    let roots: Vec<PathBuf> = if args.is_empty() {
        ["et-open", "et-open-supplement", "suricata-events"]
            .iter()
            .map(|d| base.join(d))
            .collect()
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    let mut files = Vec::new();
    for d in &roots {
        if d.is_file() {
            files.push(d.clone());
        } else if let Ok(rd) = std::fs::read_dir(d) {
            let mut v: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rules"))
                .collect();
            v.sort();
            files.extend(v);
        }
    }
    // Variables of the stock suricata.yaml (values only matter for rule validity here).
    let mut ctx = RuleContext::default();
    ctx.set_var(
        "address-groups.HOME_NET",
        "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]",
    );
    ctx.set_var("address-groups.EXTERNAL_NET", "!$HOME_NET");
    for v in [
        "HTTP_SERVERS",
        "SMTP_SERVERS",
        "SQL_SERVERS",
        "DNS_SERVERS",
        "TELNET_SERVERS",
        "DC_SERVERS",
        "DNP3_SERVER",
        "DNP3_CLIENT",
        "MODBUS_CLIENT",
        "MODBUS_SERVER",
        "ENIP_CLIENT",
        "ENIP_SERVER",
    ] {
        ctx.set_var(&format!("address-groups.{v}"), "$HOME_NET");
    }
    ctx.set_var("address-groups.AIM_SERVERS", "$EXTERNAL_NET");
    for (k, v) in [
        ("HTTP_PORTS", "80"),
        ("SHELLCODE_PORTS", "!80"),
        ("ORACLE_PORTS", "1521"),
        ("SSH_PORTS", "22"),
        ("DNP3_PORTS", "20000"),
        ("MODBUS_PORTS", "502"),
        ("FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"),
        ("FTP_PORTS", "21"),
    ] {
        ctx.set_var(&format!("port-groups.{k}"), v);
    }
    ctx.app_layer = Some(std::sync::Arc::new(|p: &str| p != "pgsql"));
    let res = load_rule_files(&files, &ctx);
    eprintln!("{}", res.summary());
    let rules = &res.rules;

    let mut class: Vec<&str> = Vec::with_capacity(rules.len());
    let mut reason: Vec<String> = Vec::with_capacity(rules.len());
    for r in rules {
        match app_reason(r) {
            Some(why) => {
                class.push("app");
                reason.push(why);
            }
            None => {
                class.push("packet");
                reason.push(String::new());
            }
        }
    }
    // flowbits set by app-dependent rules, to a fixed point
    let fb: Vec<_> = rules.iter().map(flowbits).collect();
    loop {
        let mut app_bits: HashMap<String, u32> = HashMap::new();
        for (i, f) in fb.iter().enumerate() {
            if class[i] == "packet" {
                continue;
            }
            for (cmd, names) in f {
                if matches!(cmd.as_str(), "set" | "toggle") {
                    for n in names {
                        app_bits.entry(n.clone()).or_insert(rules[i].sid);
                    }
                }
            }
        }
        let mut changed = false;
        for (i, f) in fb.iter().enumerate() {
            if class[i] != "packet" {
                continue;
            }
            let dep = f.iter().find_map(|(cmd, names)| {
                if !matches!(cmd.as_str(), "isset" | "isnotset") {
                    return None;
                }
                names
                    .iter()
                    .find_map(|n| app_bits.get(n).map(|s| format!("flowbit {n} set by {s}")))
            });
            if let Some(d) = dep {
                class[i] = "flowbits-app";
                reason[i] = d;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut seen = HashSet::new();
    println!("gid\tsid\tclass\tapp_proto\tbuffers\treason");
    for (i, r) in rules.iter().enumerate() {
        if !seen.insert((r.gid, r.sid)) {
            continue;
        }
        *counts.entry(class[i]).or_default() += 1;
        let bufs: Vec<&str> = r.buffers.iter().map(|b| b.buffer).collect();
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            r.gid,
            r.sid,
            class[i],
            r.app_proto.as_deref().unwrap_or("-"),
            bufs.join(","),
            reason[i]
        );
    }
    let mut c: Vec<_> = counts.into_iter().collect();
    c.sort();
    eprintln!("{c:?}");
}
