//! Deterministic rule mutator for differential testing against Suricata:
//! takes the enabled rules of ../shared/rules and derives variants (option
//! removed, duplicated, moved or swapped, a number changed, an option from
//! another rule inserted, a header field replaced). Used by
//! `examples/mutate_rules.rs` (whose output `tests/data/gen-mutations.sh`
//! feeds to Suricata) and by `tests/mutations.rs` (which regenerates the
//! same rules and compares Palisade's verdicts with Suricata's).
#![allow(dead_code)]

use std::path::Path;

/// xorshift64*: small, deterministic, good enough to pick things.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Enabled rules of the given directories (files sorted by path).
pub fn corpus(dirs: &[&Path]) -> Vec<String> {
    let mut files = Vec::new();
    for d in dirs {
        if let Ok(rd) = std::fs::read_dir(d) {
            for e in rd.flatten() {
                if e.path().extension().is_some_and(|x| x == "rules") {
                    files.push(e.path());
                }
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(b) = std::fs::read(&f) else { continue };
        for l in String::from_utf8_lossy(&b).lines() {
            if ["alert ", "drop ", "pass ", "reject "]
                .iter()
                .any(|p| l.starts_with(p))
            {
                out.push(l.to_string());
            }
        }
    }
    out
}

/// Splits the option part at unescaped ';'.
fn split_opts(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut it = body.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = it.next() {
                    cur.push(n);
                }
            }
            ';' => {
                let t = cur.trim().to_string();
                if !t.is_empty() {
                    out.push(t);
                }
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    out
}

fn is_meta(o: &str) -> bool {
    ["msg", "metadata", "reference", "rev", "classtype", "sid"]
        .iter()
        .any(|m| o.starts_with(m))
}

const PROTOS: &[&str] = &[
    "tcp",
    "udp",
    "http",
    "dns",
    "tls",
    "icmp",
    "ip",
    "smb",
    "ftp",
    "tcp-pkt",
    "tcp-stream",
    "pkthdr",
];
const SRC: &[&str] = &[
    "any",
    "$HOME_NET",
    "!$HOME_NET",
    "[1.2.3.4,!1.2.3.4]",
    "1.2.3.4/33",
    "[$HOME_NET,!10.0.0.0/8]",
];
const SP: &[&str] = &[
    "any",
    "80",
    "!80",
    "[80:90,!85]",
    "90:80",
    "$HTTP_PORTS",
    "0",
    "65536",
];
const DIRS: &[&str] = &["->", "<>", "<-"];
const DST: &[&str] = &["any", "$EXTERNAL_NET", "::1", "[::1,1.1.1.1]"];
const DP: &[&str] = &["any", "443", "[443,8443]", "!any", ":100"];
const NUMS: &[&str] = &["0", "1", "-1", "65535", "65536", "255", "256", "1048577"];

/// `n` mutated rules (sids 10000000 + i) from `rules`, seeded by `seed`.
pub fn mutate(rules: &[String], seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    if rules.is_empty() {
        return Vec::new();
    }
    // Pool of options to insert, from a sample of rules.
    let mut pool = Vec::new();
    for _ in 0..2000 {
        let r = &rules[rng.below(rules.len())];
        if let (Some(a), Some(b)) = (r.find('('), r.rfind(')')) {
            if a < b {
                pool.extend(split_opts(&r[a + 1..b]).into_iter().filter(|o| !is_meta(o)));
            }
        }
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let r = &rules[rng.below(rules.len())];
        let (Some(a), Some(b)) = (r.find('('), r.rfind(')')) else {
            continue;
        };
        if a >= b {
            continue;
        }
        let mut hdr = r[..a].to_string();
        let mut opts: Vec<String> = split_opts(&r[a + 1..b])
            .into_iter()
            .filter(|o| !o.starts_with("sid"))
            .collect();
        let cand: Vec<usize> = (0..opts.len()).filter(|&k| !is_meta(&opts[k])).collect();
        if !cand.is_empty() {
            let k = cand[rng.below(cand.len())];
            match rng.below(7) {
                0 => {
                    opts.remove(k);
                }
                1 => {
                    let o = opts[k].clone();
                    let at = rng.below(opts.len() + 1);
                    opts.insert(at, o);
                }
                2 => {
                    let o = opts.remove(k);
                    let at = rng.below(opts.len() + 1);
                    opts.insert(at, o);
                }
                3 => {
                    let k2 = cand[rng.below(cand.len())];
                    opts.swap(k, k2);
                }
                4 => {
                    // Replace one number of the option.
                    let o = opts[k].clone();
                    let spans: Vec<(usize, usize)> = {
                        let bytes = o.as_bytes();
                        let mut v = Vec::new();
                        let mut j = 0;
                        while j < bytes.len() {
                            if bytes[j].is_ascii_digit() {
                                let s = j;
                                while j < bytes.len() && bytes[j].is_ascii_digit() {
                                    j += 1;
                                }
                                v.push((s, j));
                            } else {
                                j += 1;
                            }
                        }
                        v
                    };
                    if !spans.is_empty() {
                        let (s, e) = spans[rng.below(spans.len())];
                        let new = NUMS[rng.below(NUMS.len())];
                        opts[k] = format!("{}{}{}", &o[..s], new, &o[e..]);
                    }
                }
                5 => {
                    if !pool.is_empty() {
                        let o = pool[rng.below(pool.len())].clone();
                        let at = rng.below(opts.len() + 1);
                        opts.insert(at, o);
                    }
                }
                _ => {
                    let mut parts: Vec<String> = hdr.split_whitespace().map(String::from).collect();
                    if parts.len() == 7 {
                        let j = 1 + rng.below(6);
                        let choices = [PROTOS, SRC, SP, DIRS, DST, DP][j - 1];
                        parts[j] = choices[rng.below(choices.len())].to_string();
                        hdr = format!("{} ", parts.join(" "));
                    }
                }
            }
        }
        opts.push(format!("sid:{}", 10_000_000 + i));
        out.push(format!("{hdr}({};)", opts.join("; ")));
    }
    out
}
