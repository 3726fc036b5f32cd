//! The keyword table: one entry per Suricata 7 rule keyword.
//!
//! Each entry says what the keyword is (metadata, content, content modifier,
//! sticky buffer, transform, payload match, ...), whether it takes a value,
//! which app-layer protocol it needs and how its value is parsed. The rule
//! builder ([`crate::build`]) is driven entirely by this table, so new
//! keywords are added here.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::lex::{strip_quotes, unescape};
use crate::values::{self, OptionValue};

/// Content modifier kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    Nocase,
    Rawbytes,
    Depth,
    Offset,
    Distance,
    Within,
    StartsWith,
    EndsWith,
    FastPattern,
    Replace,
}

/// What a keyword is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// msg, sid, rev, gid, classtype, priority, reference, metadata, target, ...
    Meta,
    /// content / uricontent.
    Content,
    /// Modifies the previous content.
    Modifier(Modifier),
    /// Legacy content modifier that moves the previous content into a buffer
    /// (`http_uri`, `http_header`, ...).
    LegacyBuffer(&'static str),
    /// Sticky buffer: following payload keywords inspect this buffer.
    Sticky(&'static str),
    /// `pkt_data`: back to the packet/stream payload.
    PktData,
    /// Transform of the current sticky buffer.
    Transform,
    /// Payload match placed in the current buffer (pcre, byte_*, isdataat, ...).
    Payload,
    /// Any other keyword (header, flow, app-layer, post-match, ...).
    Other,
}

/// Whether a keyword takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    Required,
    Optional,
}

/// Value parser.
pub type Parser = fn(&str) -> Result<OptionValue, String>;

/// One keyword.
#[derive(Debug, Clone, Copy)]
pub struct Keyword {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub class: Class,
    pub arg: Arg,
    /// App-layer protocols the keyword works with; the first one is the one
    /// it sets on the rule. Empty: no app-layer requirement.
    pub app: &'static [&'static str],
    pub parse: Parser,
}

// ---------------------------------------------------------------- parsers

fn p_none(_: &str) -> Result<OptionValue, String> {
    Ok(OptionValue::None)
}

fn p_raw(v: &str) -> Result<OptionValue, String> {
    if v.trim().is_empty() {
        return Err("empty value".into());
    }
    Ok(OptionValue::Raw(v.trim().to_string()))
}

/// String with optional quotes.
fn p_text(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let inner = strip_quotes(t).unwrap_or(t);
    if inner.is_empty() {
        return Err("empty value".into());
    }
    Ok(OptionValue::Text(unescape(inner)))
}

/// String that must be quoted.
fn p_text_q(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let inner = strip_quotes(t).ok_or_else(|| "value must be double quoted".to_string())?;
    Ok(OptionValue::Text(unescape(inner)))
}

fn p_sid(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let t = strip_quotes(t).unwrap_or(t);
    let n = values::parse_u64(t).map_err(|_| format!("invalid sid value \"{t}\""))?;
    if n == 0 {
        return Err(format!("sid value {n} is invalid"));
    }
    if n >= u32::MAX as u64 {
        return Err("sid value too high, max 4294967295".into());
    }
    Ok(OptionValue::Number(n))
}

fn p_rev(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let t = strip_quotes(t).unwrap_or(t);
    let n = values::parse_u64(t).map_err(|_| format!("invalid rev value \"{t}\""))?;
    if n == 0 {
        return Err(format!("rev value {n} is invalid"));
    }
    if n >= u32::MAX as u64 {
        return Err("rev value too high".into());
    }
    Ok(OptionValue::Number(n))
}

fn p_gid(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let t = strip_quotes(t).unwrap_or(t);
    let n = values::parse_u64(t).map_err(|_| format!("invalid gid value \"{t}\""))?;
    if n >= u32::MAX as u64 {
        return Err("gid value too high".into());
    }
    Ok(OptionValue::Number(n))
}

fn p_priority(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let t = strip_quotes(t).unwrap_or(t);
    let n = values::parse_i64(t).map_err(|_| format!("invalid priority \"{t}\""))?;
    Ok(OptionValue::SignedNumber(n))
}

fn p_classtype(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let t = strip_quotes(t).unwrap_or(t);
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!("invalid classtype \"{t}\""));
    }
    Ok(OptionValue::Text(t.to_ascii_lowercase()))
}

fn p_reference(v: &str) -> Result<OptionValue, String> {
    values::parse_reference(v).map(|r| OptionValue::Reference(Box::new(r)))
}

fn p_metadata(v: &str) -> Result<OptionValue, String> {
    values::parse_metadata(v).map(OptionValue::Metadata)
}

fn p_target(v: &str) -> Result<OptionValue, String> {
    match v.trim() {
        "src_ip" | "dest_ip" => Ok(OptionValue::Text(v.trim().into())),
        t => Err(format!("invalid target \"{t}\"")),
    }
}

fn p_tag(v: &str) -> Result<OptionValue, String> {
    let a: Vec<&str> = v.split(',').map(str::trim).collect();
    match a.first().copied() {
        Some("session") | Some("host") => {}
        _ => return Err(format!("invalid tag \"{v}\"")),
    }
    if a.len() >= 3 {
        values::parse_u64(a[1])?;
        if !matches!(a[2], "packets" | "seconds" | "bytes") {
            return Err(format!("invalid tag metric \"{}\"", a[2]));
        }
    }
    if a.len() == 2 || a.len() > 4 {
        return Err(format!("invalid tag \"{v}\""));
    }
    if let Some(d) = a.get(3) {
        if !matches!(*d, "src" | "dst") {
            return Err(format!("invalid tag direction \"{d}\""));
        }
    }
    Ok(OptionValue::Words(
        a.into_iter().map(String::from).collect(),
    ))
}

/// content / uricontent / replace: `[!]"..."`.
fn p_content(v: &str) -> Result<OptionValue, String> {
    let mut t = v.trim();
    let mut negated = false;
    if let Some(r) = t.strip_prefix('!') {
        negated = true;
        t = r.trim_start();
    }
    if !t.starts_with('"') {
        return Err("value must be double quoted".into());
    }
    let inner = strip_quotes(t).ok_or_else(|| format!("bad input \"{t}\""))?;
    let pattern = values::decode_content(inner)?;
    Ok(OptionValue::Content { pattern, negated })
}

fn p_replace(v: &str) -> Result<OptionValue, String> {
    match p_content(v)? {
        OptionValue::Content { negated: true, .. } => Err("can't negate replace".into()),
        other => Ok(other),
    }
}

fn p_var_or_u32(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    if t.starts_with('-') {
        return Err(format!("invalid value \"{t}\""));
    }
    match values::parse_u64(t) {
        Ok(n) if n <= u32::MAX as u64 => Ok(OptionValue::Number(n)),
        Ok(_) => Err(format!("value \"{t}\" out of range")),
        Err(_) if is_ident(t) => Ok(OptionValue::VarName(t.into())),
        Err(e) => Err(e),
    }
}

fn p_var_or_i32(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    match values::parse_i64(t) {
        Ok(n) if (i32::MIN as i64..=i32::MAX as i64).contains(&n) => {
            Ok(OptionValue::SignedNumber(n))
        }
        Ok(_) => Err(format!("value \"{t}\" out of range")),
        Err(_) if is_ident(t) => Ok(OptionValue::VarName(t.into())),
        Err(e) => Err(e),
    }
}

fn is_ident(s: &str) -> bool {
    let mut it = s.chars();
    matches!(it.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && it.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

fn p_fast_pattern(v: &str) -> Result<OptionValue, String> {
    values::parse_fast_pattern(Some(v)).map(OptionValue::FastPattern)
}

fn p_pcre(v: &str) -> Result<OptionValue, String> {
    let p = values::parse_pcre(v)?;
    values::compile_pcre(&p)?;
    Ok(OptionValue::Pcre(Box::new(p)))
}

fn p_byte_test(v: &str) -> Result<OptionValue, String> {
    values::parse_byte_test(v).map(|b| OptionValue::Byte(Box::new(b)))
}
fn p_byte_jump(v: &str) -> Result<OptionValue, String> {
    values::parse_byte_jump(v).map(|b| OptionValue::Byte(Box::new(b)))
}
fn p_byte_extract(v: &str) -> Result<OptionValue, String> {
    values::parse_byte_extract(v).map(|b| OptionValue::Byte(Box::new(b)))
}
fn p_byte_math(v: &str) -> Result<OptionValue, String> {
    values::parse_byte_math(v).map(|b| OptionValue::Byte(Box::new(b)))
}
fn p_isdataat(v: &str) -> Result<OptionValue, String> {
    values::parse_isdataat(v)
}

fn cmp(v: &str, max: u64) -> Result<OptionValue, String> {
    values::parse_numcmp(v, max).map(OptionValue::Compare)
}
fn p_cmp_u8(v: &str) -> Result<OptionValue, String> {
    cmp(v, u8::MAX as u64)
}
fn p_cmp_u16(v: &str) -> Result<OptionValue, String> {
    cmp(v, u16::MAX as u64)
}
fn p_cmp_u32(v: &str) -> Result<OptionValue, String> {
    cmp(v, u32::MAX as u64)
}
fn p_cmp_u64(v: &str) -> Result<OptionValue, String> {
    cmp(v, u64::MAX)
}

/// `urilen: cmp [,raw|norm]`.
fn p_urilen(v: &str) -> Result<OptionValue, String> {
    let (c, opt) = match v.split_once(',') {
        Some((c, o)) => (c, Some(o.trim())),
        None => (v, None),
    };
    if let Some(o) = opt {
        if o != "raw" && o != "norm" {
            return Err(format!("invalid urilen option \"{o}\""));
        }
    }
    cmp(c, u16::MAX as u64)
}

/// Numbers that may be written in hex (`tos:0x10`, `tos:!8`).
fn p_tos(v: &str) -> Result<OptionValue, String> {
    let t = v.trim().trim_start_matches('!');
    let n = if let Some(h) = t.strip_prefix('x').or_else(|| t.strip_prefix('X')) {
        u64::from_str_radix(h, 16).map_err(|_| format!("invalid tos \"{v}\""))?
    } else {
        values::parse_num_any(t)?
    };
    if n > 255 {
        return Err(format!("invalid tos \"{v}\""));
    }
    Ok(OptionValue::Number(n))
}

fn p_window(v: &str) -> Result<OptionValue, String> {
    let t = v.trim().trim_start_matches('!');
    let n = values::parse_u64(t)?;
    if n > 65535 {
        return Err(format!("invalid window \"{v}\""));
    }
    Ok(OptionValue::Number(n))
}

fn p_fragoffset(v: &str) -> Result<OptionValue, String> {
    let t = v.trim().trim_start_matches(['!', '<', '>']);
    let n = values::parse_u64(t)?;
    if n > 8191 {
        return Err(format!("invalid fragoffset \"{v}\""));
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

fn p_ipopts(v: &str) -> Result<OptionValue, String> {
    match v.trim() {
        "rr" | "eol" | "nop" | "ts" | "sec" | "esec" | "lsrr" | "ssrr" | "satid" | "any" => {
            Ok(OptionValue::Text(v.trim().into()))
        }
        t => Err(format!("invalid ipopts \"{t}\"")),
    }
}

fn p_ip_proto(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let body = t.trim_start_matches(['!', '<', '>', '=']);
    if body.is_empty() {
        return Err("empty ip_proto".into());
    }
    if let Ok(n) = values::parse_u64(body) {
        if n > 255 {
            return Err(format!("invalid ip_proto \"{t}\""));
        }
        return Ok(OptionValue::Raw(t.into()));
    }
    if body
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Ok(OptionValue::Raw(t.into()));
    }
    Err(format!("invalid ip_proto \"{t}\""))
}

fn p_flags(v: &str) -> Result<OptionValue, String> {
    values::parse_tcp_flags(v)
}
fn p_fragbits(v: &str) -> Result<OptionValue, String> {
    values::parse_fragbits(v)
}
fn p_flow(v: &str) -> Result<OptionValue, String> {
    values::parse_flow(v)
}
fn p_flowbits(v: &str) -> Result<OptionValue, String> {
    values::parse_flowbits(v).map(|b| OptionValue::Bits(Box::new(b)))
}
fn p_xbits(v: &str) -> Result<OptionValue, String> {
    values::parse_xbits(v, true).map(|b| OptionValue::Bits(Box::new(b)))
}
fn p_hostbits(v: &str) -> Result<OptionValue, String> {
    values::parse_xbits(v, false).map(|b| OptionValue::Bits(Box::new(b)))
}
fn p_flowint(v: &str) -> Result<OptionValue, String> {
    values::parse_flowint(v)
}
fn p_threshold(v: &str) -> Result<OptionValue, String> {
    values::parse_threshold(v, true).map(|t| OptionValue::Threshold(Box::new(t)))
}
fn p_detection_filter(v: &str) -> Result<OptionValue, String> {
    values::parse_threshold(v, false).map(|t| OptionValue::Threshold(Box::new(t)))
}

fn p_stream_size(v: &str) -> Result<OptionValue, String> {
    let a: Vec<&str> = v.split(',').map(str::trim).collect();
    if a.len() != 3 {
        return Err(format!("invalid stream_size \"{v}\""));
    }
    if !matches!(a[0], "server" | "client" | "both" | "either") {
        return Err(format!("invalid stream_size direction \"{}\"", a[0]));
    }
    if !matches!(a[1], "<" | ">" | "=" | "!=" | "<=" | ">=") {
        return Err(format!("invalid stream_size operator \"{}\"", a[1]));
    }
    let n = values::parse_u64(a[2])?;
    if n > u32::MAX as u64 {
        return Err("stream_size value too large".into());
    }
    Ok(OptionValue::Words(
        a.into_iter().map(String::from).collect(),
    ))
}

fn p_app_layer_protocol(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let (neg, name) = match t.strip_prefix('!') {
        Some(n) => (true, n.trim()),
        None => (false, t),
    };
    let name = name.split(',').next().unwrap_or("").trim();
    let known = crate::header::APP_PROTOCOLS.contains(&name)
        || matches!(name, "failed" | "unknown" | "ikev2");
    if !known {
        return Err(format!(
            "app-layer-protocol keyword supplied with unknown protocol \"{name}\""
        ));
    }
    Ok(OptionValue::Words(vec![
        if neg { "!".into() } else { String::new() },
        name.into(),
    ]))
}

fn p_decode_event(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let name = t.strip_prefix("decoder.").unwrap_or(t);
    if crate::events::DECODE_EVENTS.contains(&name) {
        Ok(OptionValue::Text(name.into()))
    } else {
        Err(format!("unknown decode event \"decoder.{name}\""))
    }
}

fn p_stream_event(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let name = t.strip_prefix("stream.").unwrap_or(t);
    if crate::events::STREAM_EVENTS.contains(&name) {
        Ok(OptionValue::Text(name.into()))
    } else {
        Err(format!("unknown decode event \"stream.{name}\""))
    }
}

/// app-layer-event: the protocol part is checked by the builder (it depends
/// on which parsers are enabled).
fn p_app_layer_event(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    if t.is_empty() {
        return Err("empty app-layer-event".into());
    }
    Ok(OptionValue::Text(t.into()))
}

fn p_ssl_version(v: &str) -> Result<OptionValue, String> {
    for part in v.split(',') {
        let p = part.trim().trim_start_matches('!');
        if !matches!(
            p,
            "sslv2" | "sslv3" | "tls1.0" | "tls1.1" | "tls1.2" | "tls1.3"
        ) {
            return Err(format!("invalid ssl_version \"{p}\""));
        }
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

fn p_ssl_state(v: &str) -> Result<OptionValue, String> {
    for part in v.split([',', '|']) {
        let p = part.trim().trim_start_matches('!');
        if !matches!(
            p,
            "client_hello" | "server_hello" | "client_keyx" | "server_keyx" | "unknown"
        ) {
            return Err(format!("invalid ssl_state \"{p}\""));
        }
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

fn p_dataset(v: &str) -> Result<OptionValue, String> {
    let a: Vec<&str> = v.split(',').map(str::trim).collect();
    if a.len() < 2 {
        return Err(format!("invalid dataset \"{v}\""));
    }
    if !matches!(a[0], "isset" | "isnotset" | "set" | "unset") {
        return Err(format!("invalid dataset command \"{}\"", a[0]));
    }
    if a[1].is_empty() {
        return Err("dataset needs a name".into());
    }
    for o in &a[2..] {
        let k = o.split_whitespace().next().unwrap_or("");
        if !matches!(
            k,
            "type" | "save" | "load" | "state" | "memcap" | "hashsize"
        ) {
            return Err(format!("invalid dataset option \"{o}\""));
        }
    }
    Ok(OptionValue::Words(
        a.into_iter().map(String::from).collect(),
    ))
}

fn p_iprep(v: &str) -> Result<OptionValue, String> {
    let a: Vec<&str> = v.split(',').map(str::trim).collect();
    if a.len() != 4 {
        return Err(format!("invalid iprep \"{v}\""));
    }
    if !matches!(a[0], "any" | "src" | "dst" | "both") {
        return Err(format!("invalid iprep side \"{}\"", a[0]));
    }
    if !matches!(a[2], "<" | ">" | "=" | "isset" | "isnotset") && a[2] != "<=" && a[2] != ">=" {
        return Err(format!("invalid iprep operator \"{}\"", a[2]));
    }
    let n = values::parse_u64(a[3])?;
    if n > 127 {
        return Err("iprep value out of range".into());
    }
    Ok(OptionValue::Words(
        a.into_iter().map(String::from).collect(),
    ))
}

fn p_xor(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let inner = strip_quotes(t).unwrap_or(t);
    if inner.is_empty()
        || !inner.len().is_multiple_of(2)
        || !inner.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(format!("invalid xor key \"{inner}\""));
    }
    Ok(OptionValue::Text(inner.into()))
}

fn p_pcrexform(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let inner =
        strip_quotes(t).ok_or_else(|| "pcrexform value must be double quoted".to_string())?;
    let p = values::Pcre {
        pattern: inner
            .trim_start_matches('/')
            .rsplit_once('/')
            .map(|x| x.0)
            .unwrap_or(inner)
            .to_string(),
        negated: false,
        flags: String::new(),
        relative: false,
        buffer: None,
    };
    values::compile_pcre(&p)?;
    Ok(OptionValue::Text(inner.into()))
}

fn p_filesize(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let body = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    cmp(body, u64::MAX)
}

fn p_dns_opcode(v: &str) -> Result<OptionValue, String> {
    let t = v.trim().trim_start_matches('!').trim();
    let n = values::parse_u64(t).map_err(|_| format!("failed to parse dns.opcode: {v}"))?;
    if n > 255 {
        return Err(format!("failed to parse dns.opcode: {v}"));
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

const HTTP2_FRAME_TYPES: &[&str] = &[
    "DATA",
    "HEADERS",
    "PRIORITY",
    "RST_STREAM",
    "SETTINGS",
    "PUSH_PROMISE",
    "PING",
    "GOAWAY",
    "WINDOW_UPDATE",
    "CONTINUATION",
];

const HTTP2_ERROR_CODES: &[&str] = &[
    "NO_ERROR",
    "PROTOCOL_ERROR",
    "INTERNAL_ERROR",
    "FLOW_CONTROL_ERROR",
    "SETTINGS_TIMEOUT",
    "STREAM_CLOSED",
    "FRAME_SIZE_ERROR",
    "REFUSED_STREAM",
    "CANCEL",
    "COMPRESSION_ERROR",
    "CONNECT_ERROR",
    "ENHANCE_YOUR_CALM",
    "INADEQUATE_SECURITY",
    "HTTP_1_1_REQUIRED",
];

fn name_or_num(v: &str, names: &[&str], kw: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let ok = names.iter().any(|n| n.eq_ignore_ascii_case(t))
        || values::parse_u64(t).is_ok_and(|n| n <= u32::MAX as u64);
    if ok {
        Ok(OptionValue::Text(t.into()))
    } else {
        Err(format!(
            "Invalid argument \"{t}\" supplied to {kw} keyword."
        ))
    }
}

fn p_http2_frametype(v: &str) -> Result<OptionValue, String> {
    name_or_num(v, HTTP2_FRAME_TYPES, "http2.frametype")
}

fn p_http2_errorcode(v: &str) -> Result<OptionValue, String> {
    name_or_num(v, HTTP2_ERROR_CODES, "http2.errorcode")
}

/// dcerpc.iface: `uuid[,<op>version][,any_frag]`.
fn p_dce_iface(v: &str) -> Result<OptionValue, String> {
    let mut parts = v.split(',').map(str::trim);
    let uuid = parts.next().unwrap_or("");
    let groups: Vec<&str> = uuid.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip(lens)
            .all(|(g, l)| g.len() == l && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if !ok {
        return Err("Error parsing dce_iface option in signature".into());
    }
    for p in parts {
        if p == "any_frag" {
            continue;
        }
        let body = p.trim_start_matches(['<', '>', '=', '!']);
        if body.len() == p.len() || values::parse_u64(body).map(|n| n > 65535).unwrap_or(true) {
            return Err("Error parsing dce_iface option in signature".into());
        }
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

/// dcerpc.opnum: list of numbers and ranges `a-b`.
fn p_dce_opnum(v: &str) -> Result<OptionValue, String> {
    for p in v.split(',') {
        let p = p.trim();
        let ok = match p.split_once('-') {
            Some((a, b)) => {
                matches!((values::parse_u64(a), values::parse_u64(b)), (Ok(x), Ok(y)) if x < y && y <= 65535)
            }
            None => values::parse_u64(p).is_ok_and(|n| n <= 65535),
        };
        if !ok {
            return Err(format!("invalid dce_opnum \"{p}\""));
        }
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

/// modbus: `function <f>[, subfunction <n>]`, `access read|write [type][, address <a>][, value <v>]`,
/// `unit <u>[, ...]`.
fn p_modbus(v: &str) -> Result<OptionValue, String> {
    let parts: Vec<&str> = v.split(',').map(str::trim).collect();
    let mut i = 0;
    if let Some(rest) = parts.first().and_then(|p| p.strip_prefix("unit")) {
        values::parse_numcmp(rest.trim(), u8::MAX as u64)
            .map_err(|e| format!("invalid modbus unit: {e}"))?;
        i = 1;
    }
    let Some(first) = parts.get(i) else {
        return if i == 1 {
            Ok(OptionValue::Raw(v.trim().into()))
        } else {
            Err("empty modbus value".into())
        };
    };
    let mut words = first.split_whitespace();
    match words.next() {
        Some("function") => {
            let f = words.next().ok_or("modbus function needs a value")?;
            let f = f.trim_start_matches('!');
            let named = matches!(
                f,
                "assigned" | "unassigned" | "public" | "user" | "reserved" | "all"
            );
            if !named && values::parse_u64(f).map(|n| n > 255).unwrap_or(true) {
                return Err(format!("invalid modbus function \"{f}\""));
            }
            for p in &parts[i + 1..] {
                let mut w = p.split_whitespace();
                if w.next() != Some("subfunction")
                    || w.next().and_then(|n| values::parse_u64(n).ok()).is_none()
                {
                    return Err(format!("invalid modbus option \"{p}\""));
                }
            }
        }
        Some("access") => {
            let a = words.next().ok_or("modbus access needs read or write")?;
            if a != "read" && a != "write" {
                return Err(format!("invalid modbus access \"{a}\""));
            }
            if let Some(t) = words.next() {
                if !matches!(t, "discretes" | "coils" | "input" | "holding") {
                    return Err(format!("invalid modbus access type \"{t}\""));
                }
            }
            for p in &parts[i + 1..] {
                let (k, val) = p
                    .split_once(char::is_whitespace)
                    .ok_or_else(|| format!("invalid modbus option \"{p}\""))?;
                if !matches!(k, "address" | "value") {
                    return Err(format!("invalid modbus option \"{p}\""));
                }
                values::parse_numcmp(val, u16::MAX as u64)?;
            }
        }
        _ => return Err(format!("invalid modbus option \"{first}\"")),
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

const DNP3_FUNCS: &[&str] = &[
    "confirm",
    "read",
    "write",
    "select",
    "operate",
    "direct_operate",
    "direct_operate_nr",
    "immed_freeze",
    "immed_freeze_nr",
    "freeze_clear",
    "freeze_clear_nr",
    "freeze_at_time",
    "freeze_at_time_nr",
    "cold_restart",
    "warm_restart",
    "initialize_data",
    "initialize_appl",
    "start_appl",
    "stop_appl",
    "save_config",
    "enable_unsolicited",
    "disable_unsolicited",
    "assign_class",
    "delay_measure",
    "record_current_time",
    "open_file",
    "close_file",
    "delete_file",
    "get_file_info",
    "authenticate_file",
    "abort_file",
    "activate_config",
    "authenticate_req",
    "authenticate_err",
    "response",
    "unsolicited_response",
    "authenticate_resp",
];

const DNP3_INDS: &[&str] = &[
    "device_restart",
    "device_trouble",
    "local_control",
    "need_time",
    "class_3_events",
    "class_2_events",
    "class_1_events",
    "all_stations",
    "reserved_1",
    "reserved_2",
    "config_corrupt",
    "already_executing",
    "event_buffer_overflow",
    "parameter_error",
    "object_unknown",
    "no_func_code_support",
];

fn p_dnp3_func(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    if DNP3_FUNCS.contains(&t.to_ascii_lowercase().as_str())
        || values::parse_u64(t).is_ok_and(|n| n <= 255)
    {
        Ok(OptionValue::Raw(t.into()))
    } else {
        Err(format!("invalid dnp3 function \"{t}\""))
    }
}

fn p_dnp3_ind(v: &str) -> Result<OptionValue, String> {
    for p in v.split(',') {
        let p = p.trim();
        if !DNP3_INDS.contains(&p.to_ascii_lowercase().as_str()) {
            return Err(format!("invalid dnp3 indicator \"{p}\""));
        }
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

fn p_dnp3_obj(v: &str) -> Result<OptionValue, String> {
    let (g, var) = v
        .split_once(',')
        .ok_or_else(|| format!("invalid dnp3_obj \"{v}\""))?;
    let g = values::parse_u64(g)?;
    let var = values::parse_u64(var)?;
    if g > 255 || var > 255 {
        return Err(format!("invalid dnp3_obj \"{v}\""));
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

fn p_enip_command(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    values::parse_u64(t)
        .ok()
        .filter(|n| *n <= u16::MAX as u64)
        .map(|_| OptionValue::Raw(t.into()))
        .ok_or_else(|| format!("invalid enip_command \"{t}\""))
}

fn p_cip_service(v: &str) -> Result<OptionValue, String> {
    let parts: Vec<&str> = v.split(',').map(str::trim).collect();
    if parts.is_empty() || parts.len() > 3 {
        return Err(format!("invalid cip_service \"{v}\""));
    }
    for (i, p) in parts.iter().enumerate() {
        let max = if i == 0 { 255 } else { 65535 };
        if values::parse_u64(p).map(|n| n > max).unwrap_or(true) {
            return Err(format!("invalid cip_service \"{v}\""));
        }
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

const MQTT_TYPES: &[&str] = &[
    "CONNECT",
    "CONNACK",
    "PUBLISH",
    "PUBACK",
    "PUBREC",
    "PUBREL",
    "PUBCOMP",
    "SUBSCRIBE",
    "SUBACK",
    "UNSUBSCRIBE",
    "UNSUBACK",
    "PINGREQ",
    "PINGRESP",
    "DISCONNECT",
    "AUTH",
    "UNASSIGNED",
];

fn p_mqtt_type(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    if MQTT_TYPES.iter().any(|n| n.eq_ignore_ascii_case(t))
        || values::parse_u64(t).is_ok_and(|n| n <= 15)
    {
        Ok(OptionValue::Raw(t.into()))
    } else {
        Err(format!("invalid mqtt.type \"{t}\""))
    }
}

fn p_mqtt_qos(v: &str) -> Result<OptionValue, String> {
    match values::parse_u64(v) {
        Ok(n) if n <= 2 => Ok(OptionValue::Number(n)),
        _ => Err(format!("invalid mqtt.qos \"{}\"", v.trim())),
    }
}

fn flag_list(v: &str, allowed: &[&str], kw: &str) -> Result<OptionValue, String> {
    for p in v.split(',') {
        let p = p.trim().trim_start_matches('!');
        if !allowed.contains(&p) {
            return Err(format!("invalid {kw} flag \"{p}\""));
        }
    }
    Ok(OptionValue::Raw(v.trim().into()))
}

fn p_mqtt_flags(v: &str) -> Result<OptionValue, String> {
    flag_list(v, &["dup", "retain"], "mqtt.flags")
}

fn p_mqtt_connect_flags(v: &str) -> Result<OptionValue, String> {
    flag_list(
        v,
        &[
            "username",
            "password",
            "will",
            "will_retain",
            "clean_session",
        ],
        "mqtt.connect.flags",
    )
}

fn p_rfb_secresult(v: &str) -> Result<OptionValue, String> {
    match v.trim() {
        "ok" | "fail" | "toomany" | "unknown" => Ok(OptionValue::Raw(v.trim().into())),
        t => Err(format!("invalid rfb.secresult \"{t}\"")),
    }
}

fn p_ftpdata_command(v: &str) -> Result<OptionValue, String> {
    match v.trim() {
        "stor" | "retr" => Ok(OptionValue::Raw(v.trim().into())),
        t => Err(format!("invalid ftpdata_command \"{t}\"")),
    }
}

fn p_tls_version(v: &str) -> Result<OptionValue, String> {
    let t = v.trim();
    let t = strip_quotes(t).unwrap_or(t);
    let ok = matches!(t, "1.0" | "1.1" | "1.2" | "1.3")
        || values::parse_num_any(t).is_ok_and(|n| n <= u16::MAX as u64);
    if ok {
        Ok(OptionValue::Raw(t.into()))
    } else {
        Err(format!("invalid tls.version \"{t}\""))
    }
}

fn p_ike_sa_attr(v: &str) -> Result<OptionValue, String> {
    let (k, val) = v
        .split_once('=')
        .ok_or_else(|| format!("invalid ike.chosen_sa_attribute \"{v}\""))?;
    if k.trim().is_empty() {
        return Err(format!("invalid ike.chosen_sa_attribute \"{v}\""));
    }
    values::parse_u64(val)?;
    Ok(OptionValue::Raw(v.trim().into()))
}

fn p_number_u32(v: &str) -> Result<OptionValue, String> {
    match values::parse_i64(v) {
        Ok(n) if (i32::MIN as i64..=u32::MAX as i64).contains(&n) => {
            Ok(OptionValue::SignedNumber(n))
        }
        _ => Err(format!("invalid number \"{}\"", v.trim())),
    }
}

// ------------------------------------------------------------- the table

const HTTP: &[&str] = &["http"];
const HTTP2: &[&str] = &["http2"];
const TLS: &[&str] = &["tls"];
const TLS_QUIC: &[&str] = &["tls", "quic"];
const SSH: &[&str] = &["ssh"];
const DNS: &[&str] = &["dns"];
const SMB: &[&str] = &["smb"];
const DCERPC: &[&str] = &["dcerpc", "smb"];
const KRB5: &[&str] = &["krb5"];
const SIP: &[&str] = &["sip"];
const RFB: &[&str] = &["rfb"];
const SNMP: &[&str] = &["snmp"];
const MQTT: &[&str] = &["mqtt"];
const QUIC: &[&str] = &["quic"];
const IKE: &[&str] = &["ike"];
const DNP3: &[&str] = &["dnp3"];
const MODBUS: &[&str] = &["modbus"];
const ENIP: &[&str] = &["enip"];
const NFS: &[&str] = &["nfs"];
const DHCP: &[&str] = &["dhcp"];
const FTP: &[&str] = &["ftp"];
const FTPDATA: &[&str] = &["ftp-data"];
const NONE: &[&str] = &[];

const fn kw(
    name: &'static str,
    aliases: &'static [&'static str],
    class: Class,
    arg: Arg,
    app: &'static [&'static str],
    parse: Parser,
) -> Keyword {
    Keyword {
        name,
        aliases,
        class,
        arg,
        app,
        parse,
    }
}

const fn sticky(
    name: &'static str,
    aliases: &'static [&'static str],
    app: &'static [&'static str],
) -> Keyword {
    kw(name, aliases, Class::Sticky(name), Arg::None, app, p_none)
}

const fn other(name: &'static str, app: &'static [&'static str], parse: Parser) -> Keyword {
    kw(name, &[], Class::Other, Arg::Required, app, parse)
}

const fn flag(name: &'static str, app: &'static [&'static str]) -> Keyword {
    kw(name, &[], Class::Other, Arg::None, app, p_none)
}

const fn transform(name: &'static str) -> Keyword {
    kw(name, &[], Class::Transform, Arg::None, NONE, p_none)
}

const fn legacy(name: &'static str, buffer: &'static str) -> Keyword {
    kw(
        name,
        &[],
        Class::LegacyBuffer(buffer),
        Arg::None,
        HTTP,
        p_none,
    )
}

const fn modifier(name: &'static str, m: Modifier, arg: Arg, parse: Parser) -> Keyword {
    kw(name, &[], Class::Modifier(m), arg, NONE, parse)
}

/// All keywords.
pub static KEYWORDS: &[Keyword] = &[
    // metadata
    kw("msg", &[], Class::Meta, Arg::Required, NONE, p_text_q),
    kw("sid", &[], Class::Meta, Arg::Required, NONE, p_sid),
    kw("rev", &[], Class::Meta, Arg::Required, NONE, p_rev),
    kw("gid", &[], Class::Meta, Arg::Required, NONE, p_gid),
    kw(
        "classtype",
        &[],
        Class::Meta,
        Arg::Required,
        NONE,
        p_classtype,
    ),
    kw(
        "priority",
        &[],
        Class::Meta,
        Arg::Required,
        NONE,
        p_priority,
    ),
    kw(
        "reference",
        &[],
        Class::Meta,
        Arg::Required,
        NONE,
        p_reference,
    ),
    kw(
        "metadata",
        &[],
        Class::Meta,
        Arg::Required,
        NONE,
        p_metadata,
    ),
    kw("target", &[], Class::Meta, Arg::Required, NONE, p_target),
    kw("tag", &[], Class::Meta, Arg::Required, NONE, p_tag),
    kw("noalert", &[], Class::Meta, Arg::None, NONE, p_none),
    kw("alert", &[], Class::Meta, Arg::None, NONE, p_none),
    kw("requires", &[], Class::Meta, Arg::Required, NONE, p_raw),
    kw("config", &[], Class::Other, Arg::Required, NONE, p_raw),
    kw("prefilter", &[], Class::Other, Arg::None, NONE, p_none),
    kw("bypass", &[], Class::Other, Arg::None, NONE, p_none),
    // content and modifiers
    kw(
        "content",
        &[],
        Class::Content,
        Arg::Required,
        NONE,
        p_content,
    ),
    kw(
        "uricontent",
        &[],
        Class::Content,
        Arg::Required,
        HTTP,
        p_content,
    ),
    modifier("nocase", Modifier::Nocase, Arg::None, p_none),
    modifier("rawbytes", Modifier::Rawbytes, Arg::None, p_none),
    modifier("depth", Modifier::Depth, Arg::Required, p_var_or_u32),
    modifier("offset", Modifier::Offset, Arg::Required, p_var_or_u32),
    modifier("distance", Modifier::Distance, Arg::Required, p_var_or_i32),
    modifier("within", Modifier::Within, Arg::Required, p_var_or_i32),
    modifier("startswith", Modifier::StartsWith, Arg::None, p_none),
    modifier("endswith", Modifier::EndsWith, Arg::None, p_none),
    modifier(
        "fast_pattern",
        Modifier::FastPattern,
        Arg::Optional,
        p_fast_pattern,
    ),
    modifier("replace", Modifier::Replace, Arg::Required, p_replace),
    // legacy http content modifiers
    legacy("http_uri", "http.uri"),
    legacy("http_raw_uri", "http.uri.raw"),
    legacy("http_header", "http.header"),
    legacy("http_raw_header", "http.header.raw"),
    legacy("http_cookie", "http.cookie"),
    legacy("http_method", "http.method"),
    legacy("http_client_body", "http.request_body"),
    // Suricata 7 inspects HTTP response bodies through the file.data buffer.
    legacy("http_server_body", "file.data"),
    legacy("http_stat_code", "http.stat_code"),
    legacy("http_stat_msg", "http.stat_msg"),
    legacy("http_user_agent", "http.user_agent"),
    legacy("http_host", "http.host"),
    legacy("http_raw_host", "http.host.raw"),
    // sticky buffers
    sticky("http.uri", &["http.uri.normalized"], HTTP),
    sticky("http.uri.raw", &[], HTTP),
    sticky("http.header", &[], HTTP),
    sticky("http.header.raw", &[], HTTP),
    sticky("http.cookie", &[], HTTP),
    sticky("http.method", &[], HTTP),
    sticky("http.request_body", &[], HTTP),
    kw(
        "http.response_body",
        &[],
        Class::Sticky("file.data"),
        Arg::None,
        HTTP,
        p_none,
    ),
    sticky("http.stat_code", &[], HTTP),
    sticky("http.stat_msg", &[], HTTP),
    sticky("http.user_agent", &[], HTTP),
    sticky("http.host", &[], HTTP),
    sticky("http.host.raw", &[], HTTP),
    sticky("http.protocol", &["http_protocol"], HTTP),
    sticky("http.start", &["http_start"], HTTP),
    sticky("http.header_names", &["http_header_names"], HTTP),
    sticky("http.accept", &["http_accept"], HTTP),
    sticky("http.accept_lang", &["http_accept_lang"], HTTP),
    sticky("http.accept_enc", &["http_accept_enc"], HTTP),
    sticky("http.connection", &["http_connection"], HTTP),
    sticky("http.content_len", &["http_content_len"], HTTP),
    sticky("http.content_type", &["http_content_type"], HTTP),
    sticky("http.location", &[], HTTP),
    sticky("http.server", &[], HTTP),
    sticky("http.referer", &["http_referer"], HTTP),
    sticky("http.request_line", &["http_request_line"], HTTP),
    sticky("http.response_line", &["http_response_line"], HTTP),
    sticky("http.request_header", &[], HTTP2),
    sticky("http.response_header", &[], HTTP2),
    sticky("http2.header_name", &[], HTTP2),
    sticky("file.data", &["file_data"], NONE),
    sticky("file.name", &[], NONE),
    sticky("file.magic", &[], NONE),
    sticky("dns.query", &["dns_query"], DNS),
    sticky("tls.sni", &["tls_sni"], TLS),
    sticky("tls.certs", &[], TLS),
    sticky("tls.cert_issuer", &["tls_cert_issuer"], TLS),
    sticky("tls.cert_subject", &["tls_cert_subject"], TLS),
    sticky("tls.cert_serial", &["tls_cert_serial"], TLS),
    sticky("tls.cert_fingerprint", &["tls_cert_fingerprint"], TLS),
    sticky("tls.random_time", &[], TLS),
    sticky("tls.random_bytes", &[], TLS),
    sticky("tls.random", &[], TLS),
    sticky("ja3.hash", &["ja3_hash"], TLS_QUIC),
    sticky("ja3.string", &["ja3_string"], TLS_QUIC),
    sticky("ja3s.hash", &[], TLS_QUIC),
    sticky("ja3s.string", &[], TLS_QUIC),
    sticky("ja4.hash", &["ja4_hash"], TLS_QUIC),
    sticky("ssh.proto", &["ssh_proto"], SSH),
    sticky("ssh.software", &["ssh_software"], SSH),
    sticky("ssh.hassh", &["ssh-hassh"], SSH),
    sticky("ssh.hassh.server", &["ssh-hassh-server"], SSH),
    sticky("ssh.hassh.string", &["ssh-hassh-string"], SSH),
    sticky("ssh.hassh.server.string", &["ssh-hassh-server-string"], SSH),
    sticky("dcerpc.stub_data", &["dce_stub_data"], DCERPC),
    sticky("smb.named_pipe", &["smb_named_pipe"], SMB),
    sticky("smb.share", &["smb_share"], SMB),
    sticky("smb.ntlmssp_user", &[], SMB),
    sticky("smb.ntlmssp_domain", &[], SMB),
    sticky("krb5.cname", &["krb5_cname"], KRB5),
    sticky("krb5.sname", &["krb5_sname"], KRB5),
    sticky("sip.method", &[], SIP),
    sticky("sip.uri", &[], SIP),
    sticky("sip.protocol", &[], SIP),
    sticky("sip.stat_code", &[], SIP),
    sticky("sip.stat_msg", &[], SIP),
    sticky("sip.request_line", &[], SIP),
    sticky("sip.response_line", &[], SIP),
    sticky("rfb.name", &[], RFB),
    sticky("snmp.usm", &[], SNMP),
    sticky("snmp.community", &[], SNMP),
    sticky("mqtt.connect.clientid", &[], MQTT),
    sticky("mqtt.connect.username", &[], MQTT),
    sticky("mqtt.connect.password", &[], MQTT),
    sticky("mqtt.connect.willtopic", &[], MQTT),
    sticky("mqtt.connect.willmessage", &[], MQTT),
    sticky("mqtt.publish.topic", &[], MQTT),
    sticky("mqtt.publish.message", &[], MQTT),
    sticky("mqtt.subscribe.topic", &[], MQTT),
    sticky("mqtt.unsubscribe.topic", &[], MQTT),
    sticky("quic.version", &[], QUIC),
    sticky("quic.sni", &[], QUIC),
    sticky("quic.ua", &[], QUIC),
    sticky("quic.cyu.hash", &[], QUIC),
    sticky("quic.cyu.string", &[], QUIC),
    sticky("ike.init_spi", &[], IKE),
    sticky("ike.resp_spi", &[], IKE),
    sticky("ike.vendor", &[], IKE),
    sticky("ike.nonce_payload", &[], IKE),
    sticky("ike.key_exchange_payload", &[], IKE),
    sticky("dnp3.data", &["dnp3_data"], DNP3),
    sticky("ipv4.hdr", &[], NONE),
    sticky("ipv6.hdr", &[], NONE),
    sticky("tcp.hdr", &[], NONE),
    sticky("udp.hdr", &[], NONE),
    sticky("icmpv4.hdr", &[], NONE),
    sticky("icmpv6.hdr", &[], NONE),
    sticky("ip.src", &[], NONE),
    sticky("ip.dst", &[], NONE),
    sticky("base64_data", &[], NONE),
    kw(
        "frame",
        &[],
        Class::Sticky("frame"),
        Arg::Required,
        NONE,
        p_raw,
    ),
    kw("pkt_data", &[], Class::PktData, Arg::None, NONE, p_none),
    // transforms
    transform("compress_whitespace"),
    transform("strip_whitespace"),
    transform("strip_pseudo_headers"),
    transform("to_md5"),
    transform("to_sha1"),
    transform("to_sha256"),
    transform("dotprefix"),
    transform("url_decode"),
    transform("header_lowercase"),
    transform("to_lowercase"),
    transform("to_uppercase"),
    kw(
        "pcrexform",
        &[],
        Class::Transform,
        Arg::Required,
        NONE,
        p_pcrexform,
    ),
    kw("xor", &[], Class::Transform, Arg::Required, NONE, p_xor),
    // payload matches
    kw("pcre", &[], Class::Payload, Arg::Required, NONE, p_pcre),
    kw(
        "byte_test",
        &[],
        Class::Payload,
        Arg::Required,
        NONE,
        p_byte_test,
    ),
    kw(
        "byte_jump",
        &[],
        Class::Payload,
        Arg::Required,
        NONE,
        p_byte_jump,
    ),
    kw(
        "byte_extract",
        &[],
        Class::Payload,
        Arg::Required,
        NONE,
        p_byte_extract,
    ),
    kw(
        "byte_math",
        &[],
        Class::Payload,
        Arg::Required,
        NONE,
        p_byte_math,
    ),
    kw(
        "isdataat",
        &[],
        Class::Payload,
        Arg::Required,
        NONE,
        p_isdataat,
    ),
    kw("bsize", &[], Class::Payload, Arg::Required, NONE, p_cmp_u64),
    kw(
        "base64_decode",
        &[],
        Class::Payload,
        Arg::Optional,
        NONE,
        p_raw,
    ),
    kw(
        "dataset",
        &[],
        Class::Payload,
        Arg::Required,
        NONE,
        p_dataset,
    ),
    kw("datarep", &[], Class::Payload, Arg::Required, NONE, p_raw),
    kw("lua", &[], Class::Payload, Arg::Required, NONE, p_raw),
    kw("asn1", &[], Class::Payload, Arg::Required, NONE, p_raw),
    // packet header keywords
    other("ttl", NONE, p_cmp_u8),
    other("tos", NONE, p_tos),
    other("id", NONE, p_cmp_u16),
    other("ipopts", NONE, p_ipopts),
    other("fragbits", NONE, p_fragbits),
    other("fragoffset", NONE, p_fragoffset),
    kw(
        "tcp.flags",
        &["flags"],
        Class::Other,
        Arg::Required,
        NONE,
        p_flags,
    ),
    kw(
        "tcp.seq",
        &["seq"],
        Class::Other,
        Arg::Required,
        NONE,
        p_cmp_u32,
    ),
    kw(
        "tcp.ack",
        &["ack"],
        Class::Other,
        Arg::Required,
        NONE,
        p_cmp_u32,
    ),
    kw(
        "tcp.window",
        &["window"],
        Class::Other,
        Arg::Required,
        NONE,
        p_window,
    ),
    other("tcp.mss", NONE, p_cmp_u16),
    other("itype", NONE, p_cmp_u8),
    other("icode", NONE, p_cmp_u8),
    other("icmp_id", NONE, p_cmp_u16),
    other("icmp_seq", NONE, p_cmp_u16),
    other("icmpv6.mtu", NONE, p_cmp_u32),
    other("ip_proto", NONE, p_ip_proto),
    flag("sameip", NONE),
    other("dsize", NONE, p_cmp_u16),
    other("stream_size", NONE, p_stream_size),
    other("l3_proto", NONE, p_raw),
    other("geoip", NONE, p_raw),
    other("rpc", NONE, p_raw),
    kw("ipv4-csum", &[], Class::Other, Arg::Required, NONE, p_raw),
    kw("tcpv4-csum", &[], Class::Other, Arg::Required, NONE, p_raw),
    kw("tcpv6-csum", &[], Class::Other, Arg::Required, NONE, p_raw),
    kw("udpv4-csum", &[], Class::Other, Arg::Required, NONE, p_raw),
    kw("udpv6-csum", &[], Class::Other, Arg::Required, NONE, p_raw),
    kw("icmpv4-csum", &[], Class::Other, Arg::Required, NONE, p_raw),
    kw("icmpv6-csum", &[], Class::Other, Arg::Required, NONE, p_raw),
    // flow and state
    other("flow", NONE, p_flow),
    other("flow.age", NONE, p_cmp_u32),
    other("flowbits", NONE, p_flowbits),
    other("flowint", NONE, p_flowint),
    other("flowvar", NONE, p_raw),
    other("pktvar", NONE, p_raw),
    other("xbits", NONE, p_xbits),
    other("hostbits", NONE, p_hostbits),
    other("threshold", NONE, p_threshold),
    other("detection_filter", NONE, p_detection_filter),
    other("iprep", NONE, p_iprep),
    other("nfq_set_mark", NONE, p_raw),
    // events
    other("app-layer-protocol", NONE, p_app_layer_protocol),
    other("app-layer-event", NONE, p_app_layer_event),
    other("decode-event", NONE, p_decode_event),
    other("stream-event", NONE, p_stream_event),
    other("engine-event", NONE, p_raw),
    // files
    other("filename", NONE, p_text),
    other("fileext", NONE, p_text),
    other("filemagic", NONE, p_text),
    other("filemd5", NONE, p_raw),
    other("filesha1", NONE, p_raw),
    other("filesha256", NONE, p_raw),
    other("filesize", NONE, p_filesize),
    kw("filestore", &[], Class::Other, Arg::Optional, NONE, p_raw),
    // http
    other("urilen", HTTP, p_urilen),
    // tls
    other("tls.version", TLS, p_tls_version),
    other("tls.subject", TLS, p_text),
    other("tls.issuerdn", TLS, p_text),
    other("tls.fingerprint", TLS, p_text),
    other("tls_cert_notbefore", TLS, p_raw),
    other("tls_cert_notafter", TLS, p_raw),
    flag("tls_cert_expired", TLS),
    flag("tls_cert_valid", TLS),
    kw(
        "tls_store",
        &["tls.store"],
        Class::Other,
        Arg::None,
        TLS,
        p_none,
    ),
    other("tls.cert_chain_len", TLS, p_cmp_u32),
    other("ssl_version", TLS, p_ssl_version),
    other("ssl_state", TLS, p_ssl_state),
    // ssh
    other("ssh.protoversion", SSH, p_raw),
    other("ssh.softwareversion", SSH, p_raw),
    // dns
    other("dns.opcode", DNS, p_dns_opcode),
    // http2
    other("http2.frametype", HTTP2, p_http2_frametype),
    other("http2.errorcode", HTTP2, p_http2_errorcode),
    other("http2.priority", HTTP2, p_cmp_u8),
    other("http2.window", HTTP2, p_cmp_u32),
    other("http2.size_update", HTTP2, p_cmp_u64),
    other("http2.settings", HTTP2, p_raw),
    // dcerpc / smb / nfs
    kw(
        "dcerpc.iface",
        &["dce_iface"],
        Class::Other,
        Arg::Required,
        DCERPC,
        p_dce_iface,
    ),
    kw(
        "dcerpc.opnum",
        &["dce_opnum"],
        Class::Other,
        Arg::Required,
        DCERPC,
        p_dce_opnum,
    ),
    other("nfs_procedure", NFS, p_cmp_u32),
    kw(
        "nfs.version",
        &["nfs_version"],
        Class::Other,
        Arg::Required,
        NFS,
        p_raw,
    ),
    // ftp
    flag("ftpbounce", FTP),
    other("ftpdata_command", FTPDATA, p_ftpdata_command),
    // ics
    other("modbus", MODBUS, p_modbus),
    other("cip_service", ENIP, p_cip_service),
    other("enip_command", ENIP, p_enip_command),
    kw(
        "dnp3_func",
        &["dnp3.func"],
        Class::Other,
        Arg::Required,
        DNP3,
        p_dnp3_func,
    ),
    kw(
        "dnp3_ind",
        &["dnp3.ind"],
        Class::Other,
        Arg::Required,
        DNP3,
        p_dnp3_ind,
    ),
    kw(
        "dnp3_obj",
        &["dnp3.obj"],
        Class::Other,
        Arg::Required,
        DNP3,
        p_dnp3_obj,
    ),
    // krb5
    other("krb5_err_code", KRB5, p_number_u32),
    other("krb5_msg_type", KRB5, p_cmp_u32),
    other("krb5.ticket_encryption", KRB5, p_raw),
    // rfb
    other("rfb.secresult", RFB, p_rfb_secresult),
    other("rfb.sectype", RFB, p_cmp_u32),
    // dhcp
    other("dhcp.leasetime", DHCP, p_cmp_u64),
    other("dhcp.rebinding_time", DHCP, p_cmp_u64),
    other("dhcp.renewal_time", DHCP, p_cmp_u64),
    // snmp
    other("snmp.version", SNMP, p_cmp_u32),
    other("snmp.pdu_type", SNMP, p_cmp_u32),
    // mqtt
    other("mqtt.type", MQTT, p_mqtt_type),
    other("mqtt.flags", MQTT, p_mqtt_flags),
    other("mqtt.qos", MQTT, p_mqtt_qos),
    other("mqtt.protocol_version", MQTT, p_cmp_u8),
    kw(
        "mqtt.reason_code",
        &["mqtt.connack.return_code"],
        Class::Other,
        Arg::Required,
        MQTT,
        p_raw,
    ),
    other("mqtt.connect.flags", MQTT, p_mqtt_connect_flags),
    other("mqtt.connack.session_present", MQTT, p_raw),
    // ike
    other("ike.exchtype", IKE, p_cmp_u8),
    other("ike.chosen_sa_attribute", IKE, p_ike_sa_attr),
    other("ike.key_exchange_payload_length", IKE, p_cmp_u32),
    other("ike.nonce_payload_length", IKE, p_cmp_u32),
    other("template2", NONE, p_raw),
];

/// Flow direction a keyword can only work in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    ToServer,
    ToClient,
}

/// Direction restriction of a keyword (canonical name), as Suricata 7.0.10
/// registers its inspection: requests-only or responses-only buffers.
pub fn direction(name: &str) -> Option<Dir> {
    match name {
        "dns.query"
        | "http.accept"
        | "http.accept_enc"
        | "http.accept_lang"
        | "http.host"
        | "http.host.raw"
        | "http.method"
        | "http.referer"
        | "http.request_body"
        | "http.request_header"
        | "http.request_line"
        | "http.uri"
        | "http.uri.raw"
        | "http.user_agent"
        | "ike.init_spi"
        | "ike.vendor"
        | "ja3.hash"
        | "ja3.string"
        | "ja4.hash"
        | "mqtt.connect.clientid"
        | "mqtt.connect.password"
        | "mqtt.connect.username"
        | "mqtt.connect.willmessage"
        | "mqtt.connect.willtopic"
        | "mqtt.publish.message"
        | "mqtt.unsubscribe.topic"
        | "quic.cyu.hash"
        | "quic.cyu.string"
        | "quic.sni"
        | "quic.ua"
        | "sip.method"
        | "sip.request_line"
        | "sip.uri"
        | "smb.named_pipe"
        | "smb.ntlmssp_domain"
        | "smb.ntlmssp_user"
        | "smb.share"
        | "ssh.hassh"
        | "ssh.hassh.string"
        | "tls.sni"
        | "urilen"
        | "ftpbounce"
        | "nfs_procedure"
        | "mqtt.qos"
        | "rfb.sectype"
        | "uricontent"
        | "http_uri"
        | "http_raw_uri"
        | "http_method"
        | "http_client_body"
        | "http_user_agent"
        | "http_host"
        | "http_raw_host" => Some(Dir::ToServer),
        "http.location"
        | "http.response_header"
        | "http.response_line"
        | "http.server"
        | "http.stat_code"
        | "http.stat_msg"
        | "ike.resp_spi"
        | "ja3s.hash"
        | "ja3s.string"
        | "krb5.cname"
        | "krb5.sname"
        | "rfb.name"
        | "sip.response_line"
        | "sip.stat_code"
        | "sip.stat_msg"
        | "ssh.hassh.server"
        | "ssh.hassh.server.string"
        | "tls_cert_expired"
        | "tls_cert_valid"
        | "tls_cert_notbefore"
        | "tls_cert_notafter"
        | "tls.cert_chain_len"
        | "rfb.secresult"
        | "mqtt.connack.session_present"
        | "ike.chosen_sa_attribute"
        | "http_stat_code"
        | "http_stat_msg" => Some(Dir::ToClient),
        _ => None,
    }
}

/// Sticky buffers that Suricata 7.0.10 treats as multi-instance: selecting
/// one again starts a new list, which must then get its own matches.
pub fn is_multi_instance(buffer: &str) -> bool {
    matches!(
        buffer,
        "http.header.raw"
            | "http.response_body"
            | "http.request_header"
            | "http.response_header"
            | "http2.header_name"
            | "file.data"
            | "file.name"
            | "file.magic"
            | "dns.query"
            | "tls.certs"
            | "tls.cert_subject"
            | "krb5.cname"
            | "krb5.sname"
            | "mqtt.subscribe.topic"
            | "mqtt.unsubscribe.topic"
            | "quic.cyu.hash"
            | "quic.cyu.string"
            | "ike.vendor"
    )
}

/// Keywords that match on single packets (Suricata refuses to mix them with
/// app-layer inspection).
pub fn is_packet_keyword(name: &str) -> bool {
    matches!(
        name,
        "dsize"
            | "ttl"
            | "tos"
            | "id"
            | "ipopts"
            | "fragbits"
            | "fragoffset"
            | "tcp.flags"
            | "tcp.seq"
            | "tcp.ack"
            | "tcp.window"
            | "itype"
            | "icode"
            | "icmp_id"
            | "tcp.mss"
            | "icmpv6.mtu"
            | "sameip"
            | "flow.age"
            | "rpc"
    )
}

/// Sticky buffers on packet headers (not app-layer inspection).
pub fn is_packet_buffer(buffer: &str) -> bool {
    matches!(
        buffer,
        "payload"
            | "ipv4.hdr"
            | "ipv6.hdr"
            | "tcp.hdr"
            | "udp.hdr"
            | "icmpv4.hdr"
            | "icmpv6.hdr"
            | "ip.src"
            | "ip.dst"
            | "base64_data"
    )
}

/// Direction of a pcre legacy buffer flag.
pub fn pcre_flag_direction(buffer: &str) -> Option<Dir> {
    match buffer {
        "http.uri" | "http.uri.raw" | "http.method" | "http.request_body" | "http.user_agent"
        | "http.host" => Some(Dir::ToServer),
        "http.stat_code" | "http.stat_msg" => Some(Dir::ToClient),
        _ => None,
    }
}

/// Exact length a content must have in a hash buffer.
pub fn hash_buffer_len(buffer: &str) -> Option<usize> {
    match buffer {
        "ja3.hash" | "ja3s.hash" | "ssh.hassh" | "ssh.hassh.server" | "quic.cyu.hash" => Some(32),
        "tls.cert_fingerprint" => Some(59),
        _ => None,
    }
}

/// Looks a keyword up by name or alias (case-insensitive).
pub fn lookup(name: &str) -> Option<&'static Keyword> {
    static MAP: OnceLock<HashMap<String, usize>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m = HashMap::new();
        for (i, k) in KEYWORDS.iter().enumerate() {
            m.insert(k.name.to_string(), i);
            for a in k.aliases {
                m.insert(a.to_string(), i);
            }
        }
        m
    });
    let idx = match map.get(name) {
        Some(i) => *i,
        None => *map.get(name.to_ascii_lowercase().as_str())?,
    };
    KEYWORDS.get(idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicate_names() {
        let mut seen = std::collections::HashSet::new();
        for k in KEYWORDS {
            assert!(seen.insert(k.name), "duplicate {}", k.name);
            for a in k.aliases {
                assert!(seen.insert(a), "duplicate alias {a}");
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(lookup("CONTENT").unwrap().name, "content");
        assert_eq!(lookup("dns_query").unwrap().name, "dns.query");
        assert_eq!(lookup("flags").unwrap().name, "tcp.flags");
        assert!(lookup("nonexistent").is_none());
        assert!(matches!(
            lookup("http_uri").unwrap().class,
            Class::LegacyBuffer("http.uri")
        ));
    }
}
