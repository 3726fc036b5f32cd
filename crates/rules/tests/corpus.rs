//! The 27,044 enabled rules of ../shared/rules load like in Suricata 7.0.10:
//! all of them with the modbus, dnp3 and enip parsers enabled; without them
//! the 13 modbus/dnp3 event rules fail.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use palisade_rules::{load_rule_files, RuleContext};

fn rule_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["et-open", "et-open-supplement", "suricata-events"] {
        let d = common::shared().join("rules").join(dir);
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "rules") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Variables of Suricata 7.0.10's stock suricata.yaml.
pub fn stock_context() -> RuleContext {
    let mut c = RuleContext::default();
    for (k, v) in [
        ("HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]"),
        ("EXTERNAL_NET", "!$HOME_NET"),
        ("HTTP_SERVERS", "$HOME_NET"),
        ("SMTP_SERVERS", "$HOME_NET"),
        ("SQL_SERVERS", "$HOME_NET"),
        ("DNS_SERVERS", "$HOME_NET"),
        ("TELNET_SERVERS", "$HOME_NET"),
        ("AIM_SERVERS", "$EXTERNAL_NET"),
        ("DC_SERVERS", "$HOME_NET"),
        ("DNP3_SERVER", "$HOME_NET"),
        ("DNP3_CLIENT", "$HOME_NET"),
        ("MODBUS_CLIENT", "$HOME_NET"),
        ("MODBUS_SERVER", "$HOME_NET"),
        ("ENIP_CLIENT", "$HOME_NET"),
        ("ENIP_SERVER", "$HOME_NET"),
    ] {
        c.address_vars.insert(k.into(), v.into());
    }
    for (k, v) in [
        ("HTTP_PORTS", "80"),
        ("SHELLCODE_PORTS", "!80"),
        ("ORACLE_PORTS", "1521"),
        ("SSH_PORTS", "22"),
        ("DNP3_PORTS", "20000"),
        ("MODBUS_PORTS", "502"),
        ("FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"),
        ("FTP_PORTS", "21"),
        ("GENEVE_PORTS", "6081"),
        ("VXLAN_PORTS", "4789"),
        ("TEREDO_PORTS", "3544"),
    ] {
        c.port_vars.insert(k.into(), v.into());
    }
    c
}

#[test]
fn all_27044_rules_load_with_ics_parsers() {
    let files = rule_files();
    if files.is_empty() {
        eprintln!("skipping: shared rules not found");
        return;
    }
    let mut ctx = stock_context();
    ctx.app_layer = Some(Arc::new(|p: &str| p != "pgsql"));
    let res = load_rule_files(&files, &ctx);
    for e in res.errors.iter().take(50) {
        println!("{e}\n    {}", e.rule);
    }
    println!("{}", res.summary());
    assert_eq!(res.failed, 0);
    assert_eq!(res.loaded, 27_044);
}

#[test]
fn ics_event_rules_fail_without_their_parsers() {
    let files = rule_files();
    if files.is_empty() {
        return;
    }
    let res = load_rule_files(&files, &stock_context());
    println!("{}", res.summary());
    for e in &res.errors {
        println!("{e}");
    }
    assert_eq!(res.failed, 13);
    assert_eq!(res.loaded, 27_044 - 13);
    assert!(res
        .errors
        .iter()
        .all(|e| e.file.contains("modbus") || e.file.contains("dnp3")));
}
