//! Compiles the 27,044 rules of `../shared/rules` (skipped when absent) and reports build
//! time, rule kinds, skipped rules grouped by reason, prefilter figures and memory.
//!
//! `cargo test -p palisade-detect --release --test corpus -- --nocapture` prints the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use palisade_decode::{DecodeStats, Decoder, LinkType, Packet, Timestamp};
use palisade_detect::{DetectConfig, DetectEngine, Detector, PacketView};
use palisade_rules::{load_rule_files, RuleContext};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = s
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / 1048576.0
}

fn rule_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["et-open", "et-open-supplement", "suricata-events"] {
        let d = shared().join("rules").join(dir);
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut v: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rules"))
            .collect();
        v.sort();
        out.extend(v);
    }
    out
}

/// Suricata 7.0.10's stock variables, with every app-layer parser but pgsql enabled (as
/// `SOURCES.md` says Suricata loads all 27,044 rules with modbus, dnp3 and enip on).
pub fn corpus_context() -> RuleContext {
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
    c.app_layer = Some(Arc::new(|p: &str| p != "pgsql"));
    c
}

#[test]
fn compile_the_shared_rule_corpus() {
    let files = rule_files();
    if files.is_empty() {
        eprintln!("skipped: no rules in {}", shared().display());
        return;
    }
    let rss0 = rss_mb();
    let t0 = Instant::now();
    let res = load_rule_files(&files, &corpus_context());
    let t_parse = t0.elapsed();
    let rss_parsed = rss_mb();
    let loaded = res.rules.len();
    assert!(res.failed == 0, "rules failing to parse: {}", res.failed);

    // Where the parser's memory goes.
    let text: usize = res.rules.iter().map(|r| r.text.len()).sum();
    let file: usize = res.rules.iter().map(|r| r.file.len()).sum();
    let opts: usize = res.rules.iter().map(|r| r.options.len()).sum();
    let opt_strings: usize = res
        .rules
        .iter()
        .flat_map(|r| &r.options)
        .map(|o| o.written.len() + o.raw.as_deref().map_or(0, str::len))
        .sum();
    let meta: usize = res.rules.iter().map(|r| r.metadata.len()).sum();
    let bufs: usize = res.rules.iter().map(|r| r.buffers.len()).sum();
    let matches: usize = res
        .rules
        .iter()
        .flat_map(|r| &r.buffers)
        .map(|b| b.matches.len())
        .sum();

    let rss1 = rss_mb();
    let t1 = Instant::now();
    let (engine, warnings) = DetectEngine::build(&res.rules, &DetectConfig::default());
    let t_build = t1.elapsed();
    let rss2 = rss_mb();
    // Buffer programs alone (the inspect module's share of the engine's memory).
    let pcres = res
        .rules
        .iter()
        .flat_map(|r| &r.options)
        .filter(|o| o.keyword == "pcre")
        .count();
    let rss_a = rss_mb();
    let progs: Vec<_> = res
        .rules
        .iter()
        .flat_map(|r| r.buffers.iter().map(move |b| (r, b)))
        .filter_map(|(r, b)| palisade_detect::inspect::BufferProgram::compile(r, b).ok())
        .collect();
    let rss_b = rss_mb();
    println!(
        "buffer programs alone (measured after the engine): {} programs ({pcres} pcre) +{:.0} MB",
        progs.len(),
        rss_b - rss_a
    );
    drop(progs);

    // The same rules without the prefilter, to measure it.
    let (plain, _) = DetectEngine::build(
        &res.rules,
        &DetectConfig {
            prefilter: false,
            ..DetectConfig::default()
        },
    );
    let compiled = engine.rules.len();
    let mut reasons: BTreeMap<String, (usize, Vec<u32>)> = BTreeMap::new();
    for w in &warnings {
        let key = if w.reason == "unsupported keyword" || w.reason == "buffer program" {
            format!("{}: {}", w.reason, w.detail.split(':').next().unwrap_or(""))
        } else {
            w.reason.clone()
        };
        let e = reasons.entry(key).or_default();
        e.0 += 1;
        if e.1.len() < 3 {
            e.1.push(w.sid);
        }
    }
    let (pfs, pats, always) = engine.group_stats();
    println!("rule files: {}", files.len());
    println!(
        "parsed: {loaded} rules in {:.2}s, RSS {rss0:.0} -> {rss_parsed:.0} MB (+{:.0} MB)",
        t_parse.as_secs_f64(),
        rss_parsed - rss0
    );
    println!(
        "  AST: text {:.1} MB, file names {:.1} MB, {opts} options ({} B each + {:.1} MB of strings), {meta} metadata pairs, {bufs} buffers, {matches} matches; size_of Rule {} B",
        text as f64 / 1e6,
        file as f64 / 1e6,
        std::mem::size_of::<palisade_rules::RuleOption>(),
        opt_strings as f64 / 1e6,
        std::mem::size_of::<palisade_rules::Rule>(),
    );
    println!(
        "compiled: {compiled} rules in {:.2}s, RSS {rss1:.0} -> {rss2:.0} MB (+{:.0} MB)",
        t_build.as_secs_f64(),
        rss2 - rss1
    );
    for (k, n) in engine.kind_counts() {
        println!("  {:<14} {n}", k.name());
    }
    println!(
        "prefilters: {pfs}, patterns {pats}, always-inspected slots {always}, {:.1} MB; size_of CompiledRule {} B",
        engine.prefilter_memory() as f64 / 1e6,
        std::mem::size_of::<palisade_detect::CompiledRule>()
    );
    println!("skipped: {}", warnings.len());
    for (k, (n, sids)) in &reasons {
        println!("  {n:>6}  {k}  (e.g. sids {sids:?})");
    }
    assert_eq!(compiled + warnings.len(), loaded);
    assert!(
        compiled * 10 >= loaded * 9,
        "fewer than 90% of the rules compiled"
    );

    // Detection over a synthetic HTTP request runs and allocates no more after warm-up.
    drop(res);
    let rss3 = rss_mb();
    println!("after dropping the parsed rules: RSS {rss3:.0} MB");
    let frame: Vec<u8> = {
        let payload =
            b"GET /index.php?id=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\n\r\n";
        let mut v = vec![
            0x45, 0x00, 0x00, 0x00, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 192, 168, 1,
            10, 93, 184, 216, 34, 0xc3, 0x50, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff,
            0xff, 0, 0, 0, 0,
        ];
        v.extend_from_slice(payload);
        let len = v.len() as u16;
        v[2..4].copy_from_slice(&len.to_be_bytes());
        v
    };
    let dec = Decoder::default();
    let mut stats = DecodeStats::default();
    let mut p = Packet::new(&frame, Timestamp::new(1, 0));
    dec.decode(
        LinkType(101),
        &frame,
        Timestamp::new(1, 0),
        &mut p,
        &mut stats,
    );
    let mut results = Vec::new();
    for (name, eng) in [("with prefilter", engine), ("without prefilter", plain)] {
        let mut det = Detector::new(eng.shared());
        let mut out = Vec::new();
        let n = 2000;
        let t2 = Instant::now();
        for _ in 0..n {
            out.clear();
            det.inspect_packet(&PacketView::new(&p), None, &mut out);
        }
        let per = t2.elapsed().as_secs_f64() / f64::from(n) * 1e6;
        let sids: Vec<u32> = out.iter().map(|a| a.sid).collect();
        println!("synthetic HTTP request, {name}: {per:.1} us per packet, alerts {sids:?}");
        results.push(sids);
    }
    assert_eq!(results[0], results[1], "the prefilter changes no verdict");
}
