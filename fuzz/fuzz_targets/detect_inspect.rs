//! Fuzz target for the buffer inspector (palisade_detect::inspect): the first part of the
//! input picks a rule from a small grammar of payload keywords (contents with their
//! modifiers, pcre, isdataat, byte_test/jump/extract/math, base64_decode/base64_data,
//! sticky buffers with transforms); the rest is the buffer. Parsing, compiling and
//! matching must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_detect::inspect::{BufferProgram, InspectConfig, Scratch};
use palisade_rules::{parse_rule, RuleContext};

/// Reads choices from the front of the input.
struct Src<'a> {
    d: &'a [u8],
}

impl Src<'_> {
    fn byte(&mut self) -> u8 {
        match self.d.split_first() {
            Some((b, r)) => {
                self.d = r;
                *b
            }
            None => 0,
        }
    }
    fn pick<'s>(&mut self, xs: &[&'s str]) -> &'s str {
        xs[self.byte() as usize % xs.len()]
    }
    fn num(&mut self, max: u32) -> u32 {
        self.byte() as u32 % (max + 1)
    }
    fn snum(&mut self, max: i32) -> i32 {
        self.num(2 * max as u32) as i32 - max
    }
    fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }
}

const PATS: &[&str] = &[
    "a", "ab", "abc", "|00|", "|ff 00|", "AB", "b|0a|", "xyz", "a;b",
];
const RES: &[&str] = &[
    "a.c", "^ab", "b$", "(a|b)+", "x*", "[a-c]{2}", "\\d+", "(?i)AB", "a(?=b)",
];
const VARS: &[&str] = &["v0", "v1", "v2"];

fn content(s: &mut Src, out: &mut String, first: bool) {
    let neg = if s.num(5) == 0 { "!" } else { "" };
    out.push_str(&format!("content:{neg}\"{}\"; ", s.pick(PATS)));
    if s.flag() {
        out.push_str("nocase; ");
    }
    match s.num(6) {
        0 => out.push_str(&format!("depth:{}; ", s.num(12) + 3)),
        1 => out.push_str(&format!("offset:{}; ", s.num(12))),
        2 if !first => out.push_str(&format!("distance:{}; ", s.snum(8))),
        3 if !first => out.push_str(&format!("within:{}; ", s.num(12) + 3)),
        4 if !first => out.push_str(&format!(
            "distance:{}; within:{}; ",
            s.snum(8),
            s.num(12) + 3
        )),
        5 => out.push_str(&format!("distance:{}; ", s.pick(VARS))),
        6 => out.push_str(&format!(
            "offset:{}; depth:{}; ",
            s.pick(VARS),
            s.num(9) + 3
        )),
        _ => {}
    }
    match s.num(5) {
        0 => out.push_str("startswith; "),
        1 => out.push_str("endswith; "),
        _ => {}
    }
}

fn keyword(s: &mut Src, out: &mut String, first: bool) {
    let rel = if s.flag() { ",relative" } else { "" };
    match s.num(8) {
        0..=2 => content(s, out, first),
        3 => {
            let neg = if s.num(4) == 0 { "!" } else { "" };
            let flags: String = "ismxAEGROB".chars().filter(|_| s.num(3) == 0).collect();
            out.push_str(&format!("pcre:{neg}\"/{}/{flags}\"; ", s.pick(RES)));
        }
        4 => {
            let neg = if s.flag() { "!" } else { "" };
            let v = if s.flag() {
                s.pick(VARS).to_string()
            } else {
                s.num(20).to_string()
            };
            out.push_str(&format!("isdataat:{neg}{v}{rel}; "));
        }
        5 => {
            let op = s.pick(&["<", ">", "=", "<=", ">=", "&", "^", "!=", "!"]);
            let mut o = String::new();
            if s.flag() {
                o.push_str(",little");
            }
            let string = s.flag();
            if string {
                o.push_str(s.pick(&[",string,dec", ",string,hex", ",string,oct"]));
            }
            if s.flag() {
                o.push_str(&format!(",bitmask 0x{:x}", s.byte() as u32 * 17));
            }
            let n = if string { s.num(22) + 1 } else { s.num(7) + 1 };
            let v = if s.flag() {
                s.pick(VARS).to_string()
            } else {
                s.num(300).to_string()
            };
            out.push_str(&format!("byte_test:{n},{op},{v},{}{rel}{o}; ", s.snum(6)));
        }
        6 => {
            let mut o = String::new();
            for opt in [",little", ",align", ",from_beginning", ",from_end"] {
                if s.num(3) == 0 {
                    o.push_str(opt);
                }
            }
            if s.flag() {
                o.push_str(&format!(",multiplier {}", s.num(5) + 1));
            }
            if s.flag() {
                o.push_str(&format!(",post_offset {}", s.snum(10)));
            }
            let string = s.num(3) == 0;
            if string {
                o.push_str(",string,dec");
            }
            let n = if string { s.num(5) + 1 } else { s.num(7) + 1 };
            out.push_str(&format!("byte_jump:{n},{}{rel}{o}; ", s.snum(6)));
        }
        7 => {
            let mut o = String::new();
            if s.flag() {
                o.push_str(",little");
            }
            if s.flag() {
                o.push_str(&format!(",multiplier {}", s.num(5) + 1));
            }
            if s.num(3) == 0 {
                o.push_str(",align 4");
            }
            let string = s.num(3) == 0;
            if string {
                o.push_str(",string,hex");
            }
            let n = if string { s.num(5) + 1 } else { s.num(7) + 1 };
            out.push_str(&format!(
                "byte_extract:{n},{},{}{rel}{o}; ",
                s.snum(6),
                s.pick(VARS)
            ));
        }
        _ => {
            let op = s.pick(&["+", "-", "*", "/", "<<", ">>"]);
            let r = if s.flag() {
                s.pick(VARS).to_string()
            } else {
                s.num(40).to_string()
            };
            let rel = if s.flag() && !first { ", relative" } else { "" };
            out.push_str(&format!(
                "byte_math:bytes {}, offset {}, oper {op}, rvalue {r}, result {}{rel}; ",
                s.num(3) + 1,
                s.snum(4),
                s.pick(VARS)
            ));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut s = Src { d: data };
    let mut text = String::new();
    // Variables defined first so later keywords may use them.
    for v in VARS {
        if s.flag() {
            text.push_str(&format!("byte_extract:1,{},{v}; ", s.num(4)));
        }
    }
    if s.num(3) == 0 {
        text.push_str(s.pick(&["http.uri; ", "http.header; ", "dns.query; "]));
        for _ in 0..s.num(2) {
            text.push_str(s.pick(&[
                "to_lowercase; ",
                "strip_whitespace; ",
                "compress_whitespace; ",
                "url_decode; ",
                "dotprefix; ",
                "to_md5; ",
                "xor:\"0a1b\"; ",
                "pcrexform:\"a(.*)\"; ",
                "header_lowercase; ",
            ]));
        }
    }
    let n = s.num(5) + 1;
    for i in 0..n {
        keyword(&mut s, &mut text, i == 0);
    }
    if s.num(4) == 0 {
        text.push_str("base64_decode:bytes 20, relative; base64_data; ");
        keyword(&mut s, &mut text, true);
    }
    let buf = s.d;
    let rule_text = format!("alert tcp any any -> any any ({text}sid:1;)");
    let Ok(rule) = parse_rule(&rule_text, &RuleContext::default()) else {
        return;
    };
    let cfg = InspectConfig {
        recursion_limit: 500,
        ..InspectConfig::default()
    };
    let mut scratch = Scratch::default();
    scratch.reset();
    for bm in &rule.buffers {
        if let Ok(p) = BufferProgram::compile_with(&rule, bm, &cfg) {
            let _ = p.matches(buf, &mut scratch);
            scratch.dce_little_endian = Some(true);
            let _ = p.matches(buf, &mut scratch);
            scratch.dce_little_endian = None;
        }
    }
});
