//! Where the memory of the loaded rule set goes: live heap bytes (counted by a
//! wrapping global allocator) after loading the 27,044 rules of ../shared/rules,
//! and how much each part of the AST frees when dropped.
//!
//! `cargo run --release -p palisade-rules --example rules_mem`

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use palisade_rules::{load_rule_files, RuleContext};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static BLOCKS: AtomicUsize = AtomicUsize::new(0);
/// Bytes glibc's malloc really uses for the live blocks (8 B header, 16 B
/// granularity, 32 B minimum).
static CHUNKS: AtomicUsize = AtomicUsize::new(0);

fn chunk(n: usize) -> usize {
    ((n + 8 + 15) & !15).max(32)
}

// SAFETY: forwards to the system allocator, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        BLOCKS.fetch_add(1, Ordering::Relaxed);
        CHUNKS.fetch_add(chunk(l.size()), Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
        CHUNKS.fetch_sub(chunk(l.size()), Ordering::Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n, Ordering::Relaxed);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        CHUNKS.fetch_add(chunk(n), Ordering::Relaxed);
        CHUNKS.fetch_sub(chunk(l.size()), Ordering::Relaxed);
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static A: Counting = Counting;

/// (MB in malloc chunks, MB requested, blocks)
fn live() -> (f64, f64, usize) {
    (
        CHUNKS.load(Ordering::Relaxed) as f64 / 1e6,
        LIVE.load(Ordering::Relaxed) as f64 / 1e6,
        BLOCKS.load(Ordering::Relaxed),
    )
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

fn main() {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/rules");
    let mut files = Vec::new();
    for d in ["et-open", "et-open-supplement", "suricata-events"] {
        if let Ok(rd) = std::fs::read_dir(base.join(d)) {
            for e in rd.flatten() {
                if e.path().extension().is_some_and(|x| x == "rules") {
                    files.push(e.path());
                }
            }
        }
    }
    files.sort();
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
        ("GENEVE_PORTS", "6081"),
        ("VXLAN_PORTS", "4789"),
        ("TEREDO_PORTS", "3544"),
    ] {
        ctx.set_var(&format!("port-groups.{k}"), v);
    }
    ctx.app_layer = Some(Arc::new(|p: &str| p != "pgsql"));

    let (l0, q0, b0) = live();
    let r0 = rss_mb();
    let mut res = load_rule_files(&files, &ctx);
    let (l1, q1, b1) = live();
    println!(
        "loaded {} rules ({} failed): heap +{:.1} MB in malloc chunks ({:.1} MB asked) in {} blocks, RSS +{:.0} MB",
        res.rules.len(),
        res.failed,
        l1 - l0,
        q1 - q0,
        b1 - b0,
        rss_mb() - r0
    );
    println!(
        "size_of: Rule {} B, RuleOption {} B, OptionValue {} B, Match {} B, AddressExpr {} B",
        std::mem::size_of::<palisade_rules::Rule>(),
        std::mem::size_of::<palisade_rules::RuleOption>(),
        std::mem::size_of::<palisade_rules::values::OptionValue>(),
        std::mem::size_of::<palisade_rules::Match>(),
        std::mem::size_of::<palisade_rules::AddressExpr>(),
    );
    {
        let mut distinct = std::collections::HashMap::<&str, usize>::new();
        let mut total = 0usize;
        for o in res.rules.iter().flat_map(|r| &r.options) {
            if let Some(r) = o.raw.as_deref() {
                total += 1;
                *distinct.entry(r).or_default() += 1;
            }
        }
        let dbytes: usize = distinct.keys().map(|k| k.len()).sum();
        println!(
            "raw values: {total}, distinct {} ({:.1} MB)",
            distinct.len(),
            dbytes as f64 / 1e6
        );
    }
    let mut step = |name: &str, f: &mut dyn FnMut(&mut palisade_rules::Rule)| {
        let (a, _, ba) = live();
        for r in res.rules.iter_mut() {
            f(r);
        }
        let (b, _, bb) = live();
        println!("  {name:<28} {:>7.1} MB {:>8} blocks", a - b, ba - bb);
    };
    step("text", &mut |r| r.text = String::new());
    step("file", &mut |r| r.file = String::new());
    step("metadata", &mut |r| r.metadata = Vec::new());
    step("references", &mut |r| r.references = Vec::new());
    step("msg/classtype", &mut |r| {
        r.msg = None;
        r.classtype = None
    });
    step("header addresses/ports", &mut |r| {
        r.src = palisade_rules::AddressExpr::Any;
        r.dst = palisade_rules::AddressExpr::Any;
        r.sp = palisade_rules::PortExpr::Any;
        r.dp = palisade_rules::PortExpr::Any;
    });
    step("buffers", &mut |r| r.buffers = Vec::new());
    step("option written", &mut |r| {
        for o in &mut r.options {
            o.written = Default::default();
        }
    });
    step("option raw", &mut |r| {
        for o in &mut r.options {
            o.raw = None;
        }
    });
    for kind in [
        "Text",
        "Content",
        "Words",
        "Pcre",
        "Byte",
        "Bits",
        "Raw",
        "Reference",
    ] {
        step(&format!("option values {kind}"), &mut |r| {
            for o in &mut r.options {
                let name = format!("{:?}", o.value);
                if name.starts_with(kind) {
                    o.value = palisade_rules::values::OptionValue::None;
                }
            }
        });
    }
    step("option values (others)", &mut |r| {
        for o in &mut r.options {
            o.value = palisade_rules::values::OptionValue::None;
        }
    });
    step("options vec", &mut |r| r.options = Vec::new());
    let (l2, _, b2) = live();
    println!("left: {:.1} MB in {} blocks", l2 - l0, b2 - b0);
    drop(res);
}
