//! Typed option values and their parsers.

use crate::ast::{FastPattern, Reference};

/// Numeric comparison (`dsize`, `bsize`, `ttl`, `urilen`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumCmp {
    Eq(u64),
    Ne(u64),
    Lt(u64),
    Gt(u64),
    Le(u64),
    Ge(u64),
    /// Exclusive range `a<>b` (also `a-b`).
    Range(u64, u64),
}

/// Parsed `pcre` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pcre {
    pub pattern: String,
    pub negated: bool,
    /// Modifier letters as written.
    pub flags: String,
    pub relative: bool,
    /// Buffer selected by a legacy flag (U, H, ...), if any.
    pub buffer: Option<&'static str>,
}

/// Parsed `byte_test` / `byte_jump` / `byte_extract` / `byte_math` value: the
/// positional arguments and the named options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteOp {
    pub nbytes: String,
    pub offset: String,
    /// Operator (byte_test, byte_math).
    pub op: Option<String>,
    /// Compared value (byte_test) / rvalue (byte_math).
    pub value: Option<String>,
    /// Variable defined (byte_extract name, byte_math result).
    pub var: Option<String>,
    pub relative: bool,
    /// Other options as written (`string`, `dec`, `big`, `multiplier 2`, ...).
    pub opts: Vec<String>,
}

/// `flowbits` / `xbits` / `hostbits`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bits {
    pub cmd: String,
    pub names: Vec<String>,
    /// Extra arguments (xbits: track, expire).
    pub extra: Vec<String>,
}

/// `threshold` / `detection_filter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold {
    /// `limit`, `threshold`, `both` (absent for detection_filter).
    pub kind: Option<String>,
    pub track: String,
    pub count: u32,
    pub seconds: u32,
}

/// A parsed option value.
///
/// The large values are boxed so that the enum (one per option, ~370k for a
/// full rule set) stays at 32 bytes.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    /// Keyword without value.
    None,
    /// String value (quotes removed, escapes resolved).
    Text(String),
    Number(u64),
    SignedNumber(i64),
    /// A byte_extract/byte_math variable name.
    VarName(String),
    Content {
        pattern: Vec<u8>,
        negated: bool,
    },
    Pcre(Box<Pcre>),
    Byte(Box<ByteOp>),
    Compare(NumCmp),
    /// Comma separated words (flow, ...).
    Words(Vec<String>),
    Bits(Box<Bits>),
    Threshold(Box<Threshold>),
    FastPattern(FastPattern),
    Reference(Box<Reference>),
    /// `metadata` pairs. The rule builder moves them to [`crate::Rule::metadata`]
    /// (keeping them once), leaving this empty in a built rule's options.
    Metadata(Vec<(String, String)>),
    /// Accepted value kept as written.
    Raw(String),
}

/// Parses a decimal number (optionally surrounded by whitespace).
pub fn parse_u64(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("invalid number \"{t}\""));
    }
    t.parse::<u64>()
        .map_err(|_| format!("number \"{t}\" out of range"))
}

pub fn parse_i64(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = parse_u64(digits)? as i128;
    let v = if neg { -v } else { v };
    i64::try_from(v).map_err(|_| format!("number \"{t}\" out of range"))
}

/// Parses a number that may also be hexadecimal (`0x..`).
pub fn parse_num_any(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u64::from_str_radix(h, 16).map_err(|_| format!("invalid number \"{t}\""));
    }
    parse_u64(t)
}

/// Parses a numeric comparison: `N`, `<N`, `>N`, `<=N`, `>=N`, `!N`, `=N`,
/// `N<>M`, `N-M`.
pub fn parse_numcmp(s: &str, max: u64) -> Result<NumCmp, String> {
    let t = s.trim();
    let chk = |v: u64| -> Result<u64, String> {
        if v > max {
            Err(format!("value {v} too large (max {max})"))
        } else {
            Ok(v)
        }
    };
    let range = |a: &str, b: &str| -> Result<NumCmp, String> {
        let lo = chk(parse_u64(a)?)?;
        let hi = chk(parse_u64(b)?)?;
        if lo >= hi {
            return Err(format!("invalid range \"{t}\""));
        }
        Ok(NumCmp::Range(lo, hi))
    };
    if let Some((a, b)) = t.split_once("<>") {
        return range(a, b);
    }
    if let Some(r) = t.strip_prefix("<=") {
        return Ok(NumCmp::Le(chk(parse_u64(r)?)?));
    }
    if let Some(r) = t.strip_prefix(">=") {
        return Ok(NumCmp::Ge(chk(parse_u64(r)?)?));
    }
    if let Some(r) = t.strip_prefix('<') {
        // Nothing is below 0.
        let v = chk(parse_u64(r)?)?;
        if v == 0 {
            return Err(format!("parsing '{t}' failed"));
        }
        return Ok(NumCmp::Lt(v));
    }
    if let Some(r) = t.strip_prefix('>') {
        // Nothing is above the type's maximum.
        let v = chk(parse_u64(r)?)?;
        if v == max {
            return Err(format!("parsing '{t}' failed"));
        }
        return Ok(NumCmp::Gt(v));
    }
    if let Some(r) = t.strip_prefix('!') {
        return Ok(NumCmp::Ne(chk(parse_u64(r)?)?));
    }
    if let Some(r) = t.strip_prefix('=') {
        return Ok(NumCmp::Eq(chk(parse_u64(r)?)?));
    }
    if let Some((a, b)) = t.split_once('-') {
        return range(a, b);
    }
    Ok(NumCmp::Eq(chk(parse_u64(t)?)?))
}

/// Decodes a content string (quotes already removed): `|hex|` parts and the
/// escapes `\;`, `\"`, `\\`, `\:`.
pub fn decode_content(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut in_hex = false;
    let mut nibble: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if in_hex {
            match c {
                b'|' => {
                    if nibble.is_some() {
                        return Err(format!("incomplete hex code in content \"{s}\""));
                    }
                    in_hex = false;
                }
                b' ' | b'\t' => {
                    if nibble.is_some() {
                        return Err(format!("incomplete hex code in content \"{s}\""));
                    }
                }
                _ if c.is_ascii_hexdigit() => {
                    let v = (c as char).to_digit(16).unwrap_or(0) as u8;
                    match nibble.take() {
                        Some(h) => out.push(h << 4 | v),
                        None => nibble = Some(v),
                    }
                }
                _ => return Err(format!("invalid hex code in content \"{s}\"")),
            }
            i += 1;
            continue;
        }
        match c {
            b'|' => in_hex = true,
            b'\\' => {
                let n = b.get(i + 1).copied();
                match n {
                    Some(b';') | Some(b'"') | Some(b'\\') | Some(b':') => {
                        out.push(n.unwrap_or(b'\\'));
                        i += 1;
                    }
                    _ => return Err("'\\' has to be escaped".into()),
                }
            }
            b'"' => return Err("invalid unescaped double quote within content".into()),
            b';' => return Err("invalid unescaped ';' within content".into()),
            _ => out.push(c),
        }
        i += 1;
    }
    if in_hex {
        return Err(format!("invalid hex code assembly in content \"{s}\""));
    }
    if out.is_empty() {
        return Err("empty content".into());
    }
    Ok(out)
}

/// PCRE modifiers that select a legacy buffer.
pub fn pcre_flag_buffer(f: char) -> Option<&'static str> {
    Some(match f {
        'U' => "http.uri",
        'I' => "http.uri.raw",
        'H' => "http.header",
        'D' => "http.header.raw",
        'M' => "http.method",
        'C' => "http.cookie",
        'P' => "http.request_body",
        'Q' => "file.data",
        'S' => "http.stat_code",
        'Y' => "http.stat_msg",
        'V' => "http.user_agent",
        'W' => "http.host",
        _ => return None,
    })
}

/// Parses a pcre value (quotes already checked by the caller; `raw` still has
/// them, negation allowed before the opening quote).
pub fn parse_pcre(raw: &str) -> Result<Pcre, String> {
    let mut t = raw.trim();
    let mut negated = false;
    if let Some(r) = t.strip_prefix('!') {
        negated = true;
        t = r.trim_start();
    }
    // Quotes are optional for pcre.
    let inner = if t.starts_with('"') {
        crate::lex::strip_quotes(t).ok_or_else(|| format!("pcre parse error: {t}"))?
    } else {
        t
    };
    // Capture specs may follow the flags: `/re/flags, flow:name, pkt:name`.
    let end = inner
        .rfind('/')
        .filter(|&e| e > 0)
        .ok_or_else(|| format!("pcre parse error: {inner}"))?;
    // Suricata takes the first character as the opening delimiter.
    let first_len = inner.chars().next().map(char::len_utf8).unwrap_or(1);
    if end < first_len {
        return Err(format!("pcre parse error: {inner}"));
    }
    let pattern = inner[first_len..end].to_string();
    let after = &inner[end + 1..];
    let (flags, captures) = match after.split_once(',') {
        Some((f, c)) => (f.trim_end().to_string(), Some(c)),
        None => (after.to_string(), None),
    };
    if let Some(c) = captures {
        for spec in c.split(',') {
            let spec = spec.trim();
            let ok = spec
                .split_once(':')
                .map(|(k, v)| matches!(k.trim(), "flow" | "pkt" | "alert") && !v.trim().is_empty())
                .unwrap_or(false);
            if !ok {
                return Err(format!("invalid pcre capture \"{spec}\""));
            }
        }
    }
    let mut relative = false;
    let mut buffer = None;
    for f in flags.chars() {
        match f {
            'i' | 's' | 'm' | 'x' | 'A' | 'E' | 'G' | 'O' | 'B' => {}
            'R' => relative = true,
            _ if pcre_flag_buffer(f).is_some() => {
                if buffer.is_some() {
                    return Err("only one pcre option to specify a buffer type is allowed".into());
                }
                buffer = pcre_flag_buffer(f);
            }
            // Suricata silently accepts other upper case letters.
            'A'..='Z' => {}
            _ => return Err(format!("unknown regex modifier '{f}'")),
        }
    }
    Ok(Pcre {
        pattern,
        negated,
        flags,
        relative,
        buffer,
    })
}

/// Compiles the regex with PCRE2 the way Suricata would.
pub fn compile_pcre(p: &Pcre) -> Result<(), String> {
    let mut b = pcre2::bytes::RegexBuilder::new();
    for f in p.flags.chars() {
        match f {
            'i' => {
                b.caseless(true);
            }
            's' => {
                b.dotall(true);
            }
            'm' => {
                b.multi_line(true);
            }
            'x' => {
                b.extended(true);
            }
            _ => {}
        }
    }
    // Anchoring (A), dollar-endonly (E) and ungreedy (G) do not change
    // whether a pattern compiles, so they are not passed on (wrapping the
    // pattern would break leading `(*VERB)` items).
    let pat = &p.pattern;
    b.build(pat)
        .map(|_| ())
        .map_err(|e| format!("pcre2 compile of \"{}\" failed: {e}", p.pattern))
}

/// byte_test / byte_jump: at most 23 bytes as a string, 8 as a number (0 = a variable).
fn check_nbytes(nb: u64, string: bool, verb: &str, v: &str) -> Result<(), String> {
    if nb != 0 {
        if string && nb > 23 {
            return Err(format!("cannot {verb} more than 23 bytes with \"string\""));
        }
        if !string && nb > 8 {
            return Err(format!(
                "cannot {verb} more than 8 bytes without \"string\": {v}"
            ));
        }
    }
    Ok(())
}

/// Parses `fast_pattern` values: none, `only`, `offset,length`.
pub fn parse_fast_pattern(v: Option<&str>) -> Result<FastPattern, String> {
    let Some(v) = v else {
        return Ok(FastPattern::default());
    };
    let t = v.trim();
    if t == "only" {
        return Ok(FastPattern {
            only: true,
            chop: None,
        });
    }
    if let Some((a, b)) = t.split_once(',') {
        let off = parse_u64(a)?;
        let len = parse_u64(b)?;
        if off > 65535 || len > 65535 {
            return Err("fast_pattern offset/length too large".into());
        }
        return Ok(FastPattern {
            only: false,
            chop: Some((off as u16, len as u16)),
        });
    }
    Err(format!("invalid fast_pattern value \"{t}\""))
}

fn split_args(v: &str) -> Vec<String> {
    v.split(',').map(|s| s.trim().to_string()).collect()
}

fn is_var_name(s: &str) -> bool {
    let mut it = s.chars();
    matches!(it.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && it.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

fn num_or_var(s: &str) -> Result<(), String> {
    // Numbers are read like strtoul: trailing garbage after the digits is ignored.
    let leading_digit = s
        .trim_start_matches('-')
        .starts_with(|c: char| c.is_ascii_digit());
    if leading_digit || is_var_name(s) {
        Ok(())
    } else {
        Err(format!("invalid value \"{s}\""))
    }
}

const ENDIAN_OPTS: &[&str] = &["big", "little", "dce"];
const BASES: &[&str] = &["hex", "dec", "oct"];

/// byte_test: `bytes, op, value, offset [, relative] [, endian] [, string, base] [, dce] [, bitmask v]`.
pub fn parse_byte_test(v: &str) -> Result<ByteOp, String> {
    let a = split_args(v);
    if a.len() < 4 {
        return Err(format!("parse error, string {v}"));
    }
    let mut op = a[1].replace(' ', "");
    let negate = op.starts_with('!');
    if negate && op.len() > 1 {
        op = op[1..].to_string();
    }
    if !matches!(op.as_str(), "<" | ">" | "=" | "<=" | ">=" | "&" | "^" | "!") {
        return Err(format!("invalid operator \"{}\"", a[1]));
    }
    let nb = parse_u64(&a[0]).or_else(|_| {
        if is_var_name(&a[0]) {
            Ok(0)
        } else {
            Err(format!("invalid byte count \"{}\"", a[0]))
        }
    })?;
    num_or_var(&a[2])?;
    num_or_var(&a[3])?;
    let mut relative = false;
    let mut string = false;
    let mut opts = Vec::new();
    let mut i = 4;
    while i < a.len() {
        let o = a[i].as_str();
        match o {
            "relative" => relative = true,
            "string" => string = true,
            _ if ENDIAN_OPTS.contains(&o) || BASES.contains(&o) => {}
            _ if o.starts_with("bitmask") => {
                let m = o["bitmask".len()..].trim();
                parse_num_any(m).map_err(|_| format!("invalid bitmask \"{m}\""))?;
            }
            _ => return Err(format!("unknown byte_test option \"{o}\"")),
        }
        opts.push(o.to_string());
        i += 1;
    }
    check_nbytes(nb, string, "test", v)?;
    Ok(ByteOp {
        nbytes: a[0].clone(),
        offset: a[3].clone(),
        op: Some(a[1].clone()),
        value: Some(a[2].clone()),
        var: None,
        relative,
        opts,
    })
}

/// byte_jump: `bytes, offset [, options...]`.
pub fn parse_byte_jump(v: &str) -> Result<ByteOp, String> {
    let a = split_args(v);
    if a.len() < 2 {
        return Err(format!("parse error, string {v}"));
    }
    let nb = parse_u64(&a[0]).or_else(|_| {
        if is_var_name(&a[0]) {
            Ok(0)
        } else {
            Err(format!("invalid byte count \"{}\"", a[0]))
        }
    })?;
    num_or_var(&a[1])?;
    if parse_i64(&a[1]).is_ok_and(|n| n.abs() > 65535) {
        return Err(format!("Malformed offset: {v}"));
    }
    let mut relative = false;
    let mut string = false;
    let mut opts = Vec::new();
    for o in &a[2..] {
        let o = o.as_str();
        let word = o.split_whitespace().next().unwrap_or("");
        match word {
            "relative" => relative = true,
            "string" => string = true,
            "align" | "from_beginning" | "from_end" | "big" | "little" | "dce" | "hex" | "dec"
            | "oct" => {}
            "multiplier" | "post_offset" | "bitmask" => {
                let arg = o[word.len()..].trim();
                if word == "bitmask" {
                    parse_num_any(arg).map_err(|_| format!("invalid {word} \"{arg}\""))?;
                } else {
                    parse_i64(arg).map_err(|_| format!("invalid {word} \"{arg}\""))?;
                }
            }
            _ => return Err(format!("unknown byte_jump option \"{o}\"")),
        }
        opts.push(o.to_string());
    }
    check_nbytes(nb, string, "jump", v)?;
    Ok(ByteOp {
        nbytes: a[0].clone(),
        offset: a[1].clone(),
        op: None,
        value: None,
        var: None,
        relative,
        opts,
    })
}

/// byte_extract: `bytes, offset, name [, options...]`.
pub fn parse_byte_extract(v: &str) -> Result<ByteOp, String> {
    let a = split_args(v);
    if a.len() < 3 {
        return Err(format!("parse error, string {v}"));
    }
    let nb = parse_u64(&a[0])?;
    if !parse_i64(&a[1]).is_ok_and(|n| (-65535..=65535).contains(&n)) {
        return Err(format!("Invalid value for offset: \"{}\".", a[1]));
    }
    if !is_var_name(&a[2]) {
        return Err(format!("invalid variable name \"{}\"", a[2]));
    }
    let mut relative = false;
    let mut string = false;
    let mut opts = Vec::new();
    for o in &a[3..] {
        let o = o.as_str();
        let word = o.split_whitespace().next().unwrap_or("");
        match word {
            "relative" => relative = true,
            "string" => string = true,
            "big" | "little" | "dce" | "hex" | "dec" | "oct" => {}
            "multiplier" | "align" => {
                parse_u64(o[word.len()..].trim())
                    .map_err(|_| format!("invalid {word} value in \"{o}\""))?;
            }
            _ => return Err(format!("unknown byte_extract option \"{o}\"")),
        }
        opts.push(o.to_string());
    }
    if nb == 0 || (string && nb > 23) || (!string && nb > 8) {
        return Err(format!("invalid number of bytes {nb} for byte_extract"));
    }
    Ok(ByteOp {
        nbytes: a[0].clone(),
        offset: a[1].clone(),
        op: None,
        value: None,
        var: Some(a[2].clone()),
        relative,
        opts,
    })
}

/// byte_math: `bytes N, offset N, oper OP, rvalue V, result NAME [, ...]`.
pub fn parse_byte_math(v: &str) -> Result<ByteOp, String> {
    let mut out = ByteOp {
        nbytes: String::new(),
        offset: String::new(),
        op: None,
        value: None,
        var: None,
        relative: false,
        opts: Vec::new(),
    };
    for part in split_args(v) {
        let (k, arg) = match part.split_once(char::is_whitespace) {
            Some((k, a)) => (k.to_string(), a.trim().to_string()),
            None => (part.clone(), String::new()),
        };
        match k.as_str() {
            "bytes" => {
                if parse_u64(&arg).is_err() && !is_var_name(&arg) {
                    return Err(format!("invalid bytes value \"{arg}\""));
                }
                out.nbytes = arg
            }
            "offset" => {
                if !parse_i64(&arg).is_ok_and(|n| (-65535..=65535).contains(&n)) {
                    return Err("invalid bytemath values".into());
                }
                out.offset = arg
            }
            "oper" => {
                if !matches!(arg.as_str(), "+" | "-" | "*" | "/" | "<<" | ">>") {
                    return Err(format!("invalid oper \"{arg}\""));
                }
                out.op = Some(arg)
            }
            "rvalue" => {
                num_or_var(&arg)?;
                out.value = Some(arg)
            }
            "result" => {
                if !is_var_name(&arg) {
                    return Err(format!("invalid result name \"{arg}\""));
                }
                out.var = Some(arg)
            }
            "relative" => out.relative = true,
            "endian" | "string" | "bitmask" => {
                if arg.is_empty() {
                    return Err(format!("{k} needs a value"));
                }
                out.opts.push(part.clone())
            }
            "dce" => out.opts.push(part.clone()),
            _ => return Err(format!("unknown byte_math option \"{part}\"")),
        }
    }
    if out.nbytes.is_empty()
        || out.offset.is_empty()
        || out.op.is_none()
        || out.value.is_none()
        || out.var.is_none()
    {
        return Err("byte_math needs bytes, offset, oper, rvalue and result".into());
    }
    Ok(out)
}

/// isdataat: `[!]N|var [, relative] [, rawbytes]`.
pub fn parse_isdataat(v: &str) -> Result<OptionValue, String> {
    let a = split_args(v);
    let first = a
        .first()
        .map(|s| s.trim_start_matches('!').trim())
        .unwrap_or("");
    if parse_u64(first).is_err() && !is_var_name(first) {
        return Err(format!("invalid isdataat value \"{v}\""));
    }
    if parse_u64(first).is_ok_and(|n| n > 65535) {
        return Err("isdataat out of range".into());
    }
    for o in a.iter().skip(1) {
        if o != "relative" && o != "rawbytes" {
            return Err(format!("unknown isdataat option \"{o}\""));
        }
    }
    Ok(OptionValue::Words(a))
}

/// `threshold` and `detection_filter`.
pub fn parse_threshold(v: &str, need_type: bool) -> Result<Threshold, String> {
    let mut kind = None;
    let mut track = None;
    let mut count = None;
    let mut seconds = None;
    for part in v.split(',') {
        let part = part.trim();
        let mut it = part.split_whitespace();
        let k = it.next().unwrap_or("");
        let a = it.next().unwrap_or("");
        if it.next().is_some() {
            return Err(format!("invalid threshold option \"{part}\""));
        }
        match k {
            "type" if need_type => {
                if !matches!(a, "limit" | "threshold" | "both" | "backoff") {
                    return Err(format!("invalid threshold type \"{a}\""));
                }
                if kind.replace(a.to_string()).is_some() {
                    return Err("duplicate type".into());
                }
            }
            "track" => {
                if !matches!(a, "by_src" | "by_dst" | "by_rule" | "by_both" | "by_flow") {
                    return Err(format!("invalid track \"{a}\""));
                }
                if track.replace(a.to_string()).is_some() {
                    return Err("duplicate track".into());
                }
            }
            "count" => {
                let c = parse_u64(a)?;
                if c > u32::MAX as u64 {
                    return Err(format!("invalid count {a}"));
                }
                count = Some(c as u32);
            }
            "seconds" => {
                let s = parse_u64(a)?;
                if s > u32::MAX as u64 {
                    return Err(format!("invalid seconds {a}"));
                }
                seconds = Some(s as u32);
            }
            _ => return Err(format!("invalid threshold option \"{part}\"")),
        }
    }
    if (need_type && kind.is_none()) || track.is_none() || count.is_none() || seconds.is_none() {
        return Err(format!("incomplete value \"{v}\""));
    }
    Ok(Threshold {
        kind,
        track: track.unwrap_or_default(),
        count: count.unwrap_or(0),
        seconds: seconds.unwrap_or(0),
    })
}

fn valid_bit_name(n: &str) -> bool {
    !n.is_empty() && !n.contains(char::is_whitespace)
}

/// flowbits: `set|unset|toggle|isset|isnotset,name` or `noalert`.
pub fn parse_flowbits(v: &str) -> Result<Bits, String> {
    let (cmd, rest) = match v.split_once(',') {
        Some((c, r)) => (c.trim(), Some(r.trim())),
        None => (v.trim(), None),
    };
    match cmd {
        "noalert" => {
            if rest.is_some() {
                return Err("noalert takes no name".into());
            }
            Ok(Bits {
                cmd: cmd.into(),
                names: vec![],
                extra: vec![],
            })
        }
        "set" | "unset" | "toggle" | "isset" | "isnotset" => {
            let Some(rest) = rest else {
                return Err(format!("flowbits {cmd} needs a name"));
            };
            let sep = if rest.contains('|') { '|' } else { '&' };
            let names: Vec<String> = rest.split(sep).map(|s| s.trim().to_string()).collect();
            if names.iter().any(|n| !valid_bit_name(n)) {
                return Err(format!("invalid flowbit name \"{rest}\""));
            }
            Ok(Bits {
                cmd: cmd.into(),
                names,
                extra: vec![],
            })
        }
        _ => Err(format!("flowbits action \"{cmd}\" is not supported")),
    }
}

/// xbits / hostbits: `cmd,name[,track ip_src|ip_dst|ip_pair][,expire N]`.
pub fn parse_xbits(v: &str, xbits: bool) -> Result<Bits, String> {
    let a = split_args(v);
    let cmd = a.first().cloned().unwrap_or_default();
    if !matches!(
        cmd.as_str(),
        "set" | "unset" | "toggle" | "isset" | "isnotset" | "noalert"
    ) {
        return Err(format!("invalid command \"{cmd}\""));
    }
    if cmd == "noalert" {
        return Ok(Bits {
            cmd,
            names: vec![],
            extra: vec![],
        });
    }
    let name = a.get(1).cloned().unwrap_or_default();
    if !valid_bit_name(&name) {
        return Err("missing or invalid name".into());
    }
    let mut track = false;
    for e in a.iter().skip(2) {
        let mut it = e.split_whitespace();
        match (it.next(), it.next()) {
            (Some("track"), Some(t)) => {
                if !matches!(t, "ip_src" | "ip_dst" | "ip_pair" | "tx") {
                    return Err(format!("invalid track \"{t}\""));
                }
                track = true;
            }
            (Some("expire"), Some(n)) => {
                parse_u64(n)?;
            }
            (Some("src" | "dst" | "both" | "pair"), None) if !xbits => {}
            _ => return Err(format!("invalid option \"{e}\"")),
        }
    }
    if xbits && !track {
        return Err("xbits needs a track".into());
    }
    Ok(Bits {
        cmd,
        names: vec![name],
        extra: a.into_iter().skip(2).collect(),
    })
}

/// flowint: `name, op [, value]`.
pub fn parse_flowint(v: &str) -> Result<OptionValue, String> {
    let a = split_args(v);
    if a.len() < 2 || !valid_bit_name(&a[0]) {
        return Err(format!("invalid flowint \"{v}\""));
    }
    let op = a[1].as_str();
    match op {
        "isset" | "notset" | "isnotset" => {
            if a.len() != 2 {
                return Err(format!("flowint {op} takes no value"));
            }
        }
        "=" | "+" | "-" | "+=" | "-=" | "==" | "!=" | "<" | ">" | "<=" | ">=" => {
            if a.len() != 3 {
                return Err(format!("flowint {op} needs a value"));
            }
            if parse_u64(&a[2]).is_err() && !is_var_name(&a[2]) {
                return Err(format!("invalid flowint value \"{}\"", a[2]));
            }
        }
        _ => return Err(format!("invalid flowint operator \"{op}\"")),
    }
    Ok(OptionValue::Words(a))
}

/// flow: comma list of flow options, checked for conflicts.
pub fn parse_flow(v: &str) -> Result<OptionValue, String> {
    let a = split_args(v);
    let mut seen: Vec<&str> = Vec::new();
    for o in &a {
        let o = o.as_str();
        let canon = match o {
            "to_server" | "from_client" => "to_server",
            "to_client" | "from_server" => "to_client",
            "established" | "not_established" | "stateless" | "only_stream" | "no_stream"
            | "only_frag" | "no_frag" => o,
            _ => return Err(format!("invalid flow option \"{o}\"")),
        };
        let conflict = match canon {
            "to_server" => "to_client",
            "to_client" => "to_server",
            "established" => "not_established",
            "not_established" => "established",
            "only_stream" => "no_stream",
            "no_stream" => "only_stream",
            "only_frag" => "no_frag",
            "no_frag" => "only_frag",
            _ => "",
        };
        if seen.contains(&canon) {
            return Err(format!("flow option \"{o}\" used twice"));
        }
        if !conflict.is_empty() && seen.contains(&conflict) {
            return Err(format!("cannot set {o}, {conflict} already set"));
        }
        if (canon == "stateless"
            && (seen.contains(&"established") || seen.contains(&"not_established")))
            || ((canon == "established" || canon == "not_established")
                && seen.contains(&"stateless"))
        {
            return Err(format!(
                "cannot combine {o} with the other flow state options"
            ));
        }
        seen.push(canon);
    }
    Ok(OptionValue::Words(a))
}

/// TCP flags: `[+*!]FLAGS[,mask]`.
pub fn parse_tcp_flags(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let (f, mask) = match t.split_once(',') {
        Some((f, m)) => (f.trim(), Some(m.trim())),
        None => (t, None),
    };
    let ok_flag = |c: char| "FSRPAUCEN012".contains(c.to_ascii_uppercase());
    let mut body = f;
    let mut modifiers = 0;
    while let Some(c) = body.chars().next() {
        if "+*!".contains(c) {
            modifiers += 1;
            body = &body[1..];
        } else {
            break;
        }
    }
    // Modifier may also follow the flags (e.g. "SA+").
    let body = body.trim_end_matches(['+', '*', '!']);
    if modifiers > 1 || body.is_empty() || !body.chars().all(ok_flag) {
        return Err(format!("invalid flags \"{t}\""));
    }
    if let Some(m) = mask {
        if m.is_empty() || !m.chars().all(ok_flag) {
            return Err(format!("invalid flags mask \"{m}\""));
        }
    }
    Ok(OptionValue::Raw(t.to_string()))
}

/// fragbits: `[+*!]MDR`.
pub fn parse_fragbits(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let body = t.trim_start_matches(['+', '*', '!']);
    if body.is_empty() || !body.chars().all(|c| "MDRmdr".contains(c)) {
        return Err(format!("invalid fragbits \"{t}\""));
    }
    Ok(OptionValue::Raw(t.to_string()))
}

/// reference: `type,id`.
pub fn parse_reference(v: &str) -> Result<Reference, String> {
    let (k, id) = v
        .split_once(',')
        .ok_or_else(|| format!("invalid reference \"{v}\""))?;
    let k = k.trim();
    let id = id.trim();
    if k.is_empty() || id.is_empty() {
        return Err(format!("invalid reference \"{v}\""));
    }
    Ok(Reference {
        kind: k.to_ascii_lowercase(),
        id: id.to_string(),
        url_prefix: None,
    })
}

/// metadata: `key value, key value, ...`.
pub fn parse_metadata(v: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for part in v.split(',') {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        match p.split_once(char::is_whitespace) {
            Some((k, val)) => out.push((k.to_string(), val.trim().to_string())),
            None => out.push((p.to_string(), String::new())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decoding() {
        assert_eq!(decode_content("ab|41 42|c").unwrap(), b"abABc");
        assert_eq!(decode_content("|4142|").unwrap(), b"AB");
        assert_eq!(decode_content(r#"a\;b\"c\\d\:e"#).unwrap(), b"a;b\"c\\d:e");
        for bad in ["|4", "|41 4|", "|41|42|", r"a\x", "", "a\"b", "|zz|"] {
            assert!(decode_content(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numcmp() {
        assert_eq!(parse_numcmp("5<>10", 65535).unwrap(), NumCmp::Range(5, 10));
        assert_eq!(parse_numcmp(">=3", 65535).unwrap(), NumCmp::Ge(3));
        assert_eq!(parse_numcmp("!3", 65535).unwrap(), NumCmp::Ne(3));
        assert!(parse_numcmp("10<>5", 65535).is_err());
        assert!(parse_numcmp("300", 255).is_err());
        assert!(parse_numcmp("x", 255).is_err());
    }

    #[test]
    fn pcre_values() {
        let p = parse_pcre(r#""/a.b/Ri""#).unwrap();
        assert!(p.relative);
        assert_eq!(p.pattern, "a.b");
        assert!(compile_pcre(&p).is_ok());
        assert!(parse_pcre(r#""/a/UH""#).is_err());
        assert!(parse_pcre(r#""/a/iz""#).is_err());
        assert!(parse_pcre(r#""a""#).is_err());
        assert!(parse_pcre("/a/i").is_ok());
        assert!(parse_pcre(r#""/gid=(\d+)/, flow:gid""#).is_ok());
        assert!(parse_pcre(r#""/gid=(\d+)/, bogus""#).is_err());
        assert!(compile_pcre(&parse_pcre(r#""/a(/""#).unwrap()).is_err());
        assert!(parse_pcre(r#"!"/a/""#).unwrap().negated);
    }

    #[test]
    fn byte_ops() {
        assert!(parse_byte_test("4,>,1,0").is_ok());
        assert!(parse_byte_test("4,>,1").is_err());
        assert!(parse_byte_test("11,>,1,0").is_err());
        assert!(parse_byte_test("11,>,1,0,string,dec").is_ok());
        assert!(parse_byte_test("2,!=,0x10,0,relative,bitmask 0x3f").is_ok());
        assert!(parse_byte_jump("4,0,relative,little,multiplier 2").is_ok());
        assert!(parse_byte_jump("4,0,bogus").is_err());
        assert!(parse_byte_extract("2,0,len,relative").is_ok());
        assert!(parse_byte_extract("2,0").is_err());
        assert!(parse_byte_math("bytes 2, offset 0, oper +, rvalue 5, result r").is_ok());
        assert!(parse_byte_math("bytes 2, offset 0, oper %, rvalue 5, result r").is_err());
    }

    #[test]
    fn flow_and_bits() {
        assert!(parse_flow("established,to_server").is_ok());
        assert!(parse_flow("to_server,to_client").is_err());
        assert!(parse_flow("established,not_established").is_err());
        assert!(parse_flow("bogus").is_err());
        assert!(parse_flowbits("set,a").is_ok());
        assert!(parse_flowbits("isset,a|b").is_ok());
        assert!(parse_flowbits("set").is_err());
        assert!(parse_flowbits("noalert,x").is_err());
        assert!(parse_flowbits("foo,bar").is_err());
        assert!(parse_threshold("type limit,track by_src,count 1,seconds 60", true).is_ok());
        assert!(parse_threshold("type limit,track by_src,count 1", true).is_err());
        assert!(parse_threshold("track by_dst, count 5, seconds 60", false).is_ok());
    }

    #[test]
    fn flags() {
        assert!(parse_tcp_flags("S,CE").is_ok());
        assert!(parse_tcp_flags("+SA").is_ok());
        assert!(parse_tcp_flags("X").is_err());
        assert!(parse_fragbits("+M").is_ok());
        assert!(parse_fragbits("Q").is_err());
    }
}
