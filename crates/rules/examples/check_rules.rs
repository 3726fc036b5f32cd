//! Prints a verdict per rule of the given rule files, like `suricata -T`
//! with the stock configuration (plus `--all-ics` to enable modbus, dnp3 and
//! enip): `file<TAB>line<TAB>ok|fail|skip<TAB>reason`, then the summary.

use std::collections::HashMap;
use std::sync::Arc;

use palisade_rules::{logical_rules, Loader, RuleContext};

fn main() {
    let mut ctx = RuleContext::default();
    let mut files = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--all-ics" {
            ctx.app_layer = Some(Arc::new(|p: &str| p != "pgsql"));
        } else {
            files.push(a);
        }
    }
    for (k, v) in [
        (
            "address-groups.HOME_NET",
            "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]",
        ),
        ("address-groups.EXTERNAL_NET", "!$HOME_NET"),
        ("address-groups.HTTP_SERVERS", "$HOME_NET"),
        ("address-groups.SMTP_SERVERS", "$HOME_NET"),
        ("address-groups.SQL_SERVERS", "$HOME_NET"),
        ("address-groups.DNS_SERVERS", "$HOME_NET"),
        ("address-groups.TELNET_SERVERS", "$HOME_NET"),
        ("address-groups.AIM_SERVERS", "$EXTERNAL_NET"),
        ("address-groups.DC_SERVERS", "$HOME_NET"),
        ("port-groups.HTTP_PORTS", "80"),
        ("port-groups.SHELLCODE_PORTS", "!80"),
        ("port-groups.ORACLE_PORTS", "1521"),
        ("port-groups.SSH_PORTS", "22"),
        ("port-groups.FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"),
        ("port-groups.FTP_PORTS", "21"),
    ] {
        ctx.set_var(k, v);
    }
    let mut loader = Loader::new(&ctx);
    for f in &files {
        loader.load_file(std::path::Path::new(f));
    }
    let res = loader.finish();
    let mut bad: HashMap<(String, usize), (String, &str)> = HashMap::new();
    for e in &res.errors {
        bad.insert((e.file.clone(), e.line), (e.to_string(), "fail"));
    }
    for e in &res.warnings {
        bad.insert((e.file.clone(), e.line), (e.to_string(), "skip"));
    }
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for (line, _) in logical_rules(&text) {
            match bad.get(&(f.clone(), line)) {
                Some((why, kind)) => println!("{f}\t{line}\t{kind}\t{why}"),
                None => println!("{f}\t{line}\tok\t"),
            }
        }
    }
    println!("{}", res.summary());
}
