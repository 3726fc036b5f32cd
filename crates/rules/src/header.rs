//! Rule header: action, protocol, addresses, ports, direction.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use crate::ast::{AddressExpr, Direction, IpNet, PortExpr, Protocol};
use crate::RuleContext;

/// Deepest nesting of lists / variables accepted.
pub const MAX_NESTING: usize = 32;

/// App-layer protocol names Suricata 7.0 knows (`ikev2` is an alias of `ike`).
pub const APP_PROTOCOLS: &[&str] = &[
    "http",
    "http1",
    "http2",
    "ftp",
    "ftp-data",
    "smtp",
    "tls",
    "ssh",
    "imap",
    "smb",
    "dcerpc",
    "dns",
    "modbus",
    "enip",
    "dnp3",
    "nfs",
    "ntp",
    "tftp",
    "ike",
    "krb5",
    "dhcp",
    "snmp",
    "sip",
    "rfb",
    "mqtt",
    "pgsql",
    "telnet",
    "quic",
    "rdp",
    "bittorrent-dht",
];

/// Parses the protocol field.
pub fn parse_protocol(s: &str, ctx: &RuleContext) -> Result<Protocol, String> {
    let lower = s.to_ascii_lowercase();
    let p = match lower.as_str() {
        "ip" | "ipv4" | "ip4" | "ipv6" | "ip6" => Protocol::Ip,
        "tcp" => Protocol::Tcp,
        "tcp-pkt" => Protocol::TcpPkt,
        "tcp-stream" => Protocol::TcpStream,
        "udp" => Protocol::Udp,
        "icmp" | "icmpv4" | "icmpv6" => Protocol::Icmp,
        "sctp" => Protocol::Sctp,
        "pkthdr" => Protocol::PktHdr,
        _ => {
            // App-layer names are case sensitive.
            let name = if s == "ikev2" { "ike" } else { s };
            if APP_PROTOCOLS.contains(&name) && ctx.app_layer_enabled(name) {
                Protocol::App(name.to_string())
            } else {
                return Err(format!(
                    "protocol \"{s}\" cannot be used in a signature (unknown, or detection disabled for it)"
                ));
            }
        }
    };
    Ok(p)
}

/// Memo of parsed address / port fields (most rules repeat `$HOME_NET`,
/// `any`, `$HTTP_PORTS`, ...). Valid for one [`RuleContext`].
///
/// Also interns the rules' option values and metadata strings.
#[derive(Debug, Default)]
pub struct HeaderCache {
    addr: HashMap<String, Result<AddressExpr, String>>,
    port: HashMap<String, Result<PortExpr, String>>,
    strings: HashSet<Arc<str>, BuildHasherDefault<StrHasher>>,
}

/// A fast hasher for the interned strings (word-at-a-time multiply-rotate, as
/// rustc's FxHash): the rule files are configuration, not attacker input, and
/// SipHash made interning a sixth of the load time.
#[derive(Default)]
struct StrHasher(u64);

impl Hasher for StrHasher {
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the table index) weak: move the
        // well-mixed high bits down.
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }
}

/// Bound on the memo size (distinct field strings).
const MAX_CACHE: usize = 4096;

/// Bound on the interned strings (past it, strings are allocated apart); the
/// 27,044 rules of a full set have ~100k distinct option values.
const MAX_INTERNED: usize = 1 << 20;

impl HeaderCache {
    /// The shared copy of `s` (bounded: past [`MAX_INTERNED`] distinct strings,
    /// a new allocation).
    pub fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.strings.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        if self.strings.len() < MAX_INTERNED {
            self.strings.insert(a.clone());
        }
        a
    }

    pub fn address(&mut self, s: &str, ctx: &RuleContext) -> Result<AddressExpr, String> {
        if let Some(r) = self.addr.get(s) {
            return r.clone();
        }
        let r = parse_address(s, ctx);
        if self.addr.len() < MAX_CACHE {
            self.addr.insert(s.to_string(), r.clone());
        }
        r
    }

    pub fn ports(&mut self, s: &str, ctx: &RuleContext) -> Result<PortExpr, String> {
        if let Some(r) = self.port.get(s) {
            return r.clone();
        }
        let r = parse_ports(s, ctx);
        if self.port.len() < MAX_CACHE {
            self.port.insert(s.to_string(), r.clone());
        }
        r
    }
}

/// Parses the direction field.
pub fn parse_direction(s: &str) -> Result<Direction, String> {
    match s {
        "->" => Ok(Direction::ToDst),
        "<>" => Ok(Direction::Both),
        _ => Err(format!("\"{s}\" is not a valid direction modifier")),
    }
}

/// Parses an address expression, resolving variables from the context.
pub fn parse_address(s: &str, ctx: &RuleContext) -> Result<AddressExpr, String> {
    let e = parse_addr_inner(s.trim(), ctx, 0)?;
    if is_negated_any(&e) {
        return Err(format!("address \"{s}\" negates the complete IP space"));
    }
    Ok(e)
}

fn is_negated_any(e: &AddressExpr) -> bool {
    match e {
        AddressExpr::Not(inner) => matches!(strip_var(inner), AddressExpr::Any),
        AddressExpr::Var(_, inner) => is_negated_any(inner),
        AddressExpr::List(items) => items.iter().any(is_negated_any),
        _ => false,
    }
}

fn strip_var(e: &AddressExpr) -> &AddressExpr {
    match e {
        AddressExpr::Var(_, inner) => strip_var(inner),
        AddressExpr::List(items) if items.len() == 1 => strip_var(&items[0]),
        other => other,
    }
}

fn has_top_level_comma(s: &str) -> bool {
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// Splits a `[..]` list body at top-level commas.
fn split_list(body: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in body.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                if depth == 0 {
                    return Err("unbalanced brackets".into());
                }
                depth -= 1;
            }
            ',' if depth == 0 => {
                out.push(body[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err("unbalanced brackets".into());
    }
    out.push(body[start..].trim());
    if out.iter().any(|p| p.is_empty()) {
        return Err("empty element in list".into());
    }
    Ok(out)
}

fn parse_addr_inner(s: &str, ctx: &RuleContext, depth: usize) -> Result<AddressExpr, String> {
    if depth > MAX_NESTING {
        return Err("address nesting too deep (or a variable refers to itself)".into());
    }
    if s.is_empty() {
        return Err("empty address".into());
    }
    if has_top_level_comma(s) {
        let mut out = Vec::new();
        for it in split_list(s)? {
            out.push(parse_addr_inner(it, ctx, depth + 1)?);
        }
        return Ok(AddressExpr::List(out));
    }
    if let Some(rest) = s.strip_prefix('!') {
        let inner = parse_addr_inner(rest.trim_start(), ctx, depth + 1)?;
        return Ok(AddressExpr::Not(Box::new(inner)));
    }
    if s.starts_with('[') {
        if !s.ends_with(']') || s.len() < 2 {
            return Err(format!("bad address list \"{s}\""));
        }
        let items = split_list(&s[1..s.len() - 1])?;
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            out.push(parse_addr_inner(it, ctx, depth + 1)?);
        }
        return Ok(AddressExpr::List(out));
    }
    if let Some(name) = s.strip_prefix('$') {
        let Some(val) = ctx.address_var(name) else {
            return Err(format!(
                "variable \"${name}\" is not defined in address-groups"
            ));
        };
        let inner = parse_addr_inner(val.trim(), ctx, depth + 1)
            .map_err(|e| format!("variable ${name}: {e}"))?;
        return Ok(AddressExpr::Var(Arc::from(name), Arc::new(inner)));
    }
    if s.eq_ignore_ascii_case("any") {
        return Ok(AddressExpr::Any);
    }
    parse_ip_item(s).ok_or_else(|| format!("invalid address \"{s}\""))
}

fn parse_ip_item(s: &str) -> Option<AddressExpr> {
    if let Some((a, b)) = s.split_once('/') {
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = if let Ok(p) = b.parse::<u8>() {
            p
        } else if addr.is_ipv4() {
            // Netmask form a.b.c.d/255.255.255.0
            let m: Ipv4Addr = b.parse().ok()?;
            let bits = u32::from(m);
            let ones = bits.leading_ones();
            if bits.checked_shl(ones).unwrap_or(0) != 0 {
                return None;
            }
            ones as u8
        } else {
            return None;
        };
        if prefix > max {
            return None;
        }
        return Some(AddressExpr::Net(IpNet { addr, prefix }));
    }
    if let Ok(addr) = s.parse::<IpAddr>() {
        let prefix = if addr.is_ipv4() { 32 } else { 128 };
        return Some(AddressExpr::Net(IpNet { addr, prefix }));
    }
    // Range a-b (IPv4 or IPv6, both the same family, a <= b).
    if let Some((a, b)) = s.split_once('-') {
        let a: IpAddr = a.trim().parse().ok()?;
        let b: IpAddr = b.trim().parse().ok()?;
        let ok = match (a, b) {
            (IpAddr::V4(x), IpAddr::V4(y)) => u32::from(x) <= u32::from(y),
            (IpAddr::V6(x), IpAddr::V6(y)) => u128::from(x) <= u128::from(y),
            _ => false,
        };
        if ok {
            return Some(AddressExpr::Range(a, b));
        }
    }
    // Suricata also accepts bare IPv6 with a zone-less bracket-free form only.
    let _ = Ipv6Addr::UNSPECIFIED;
    None
}

/// Inclusive ranges of one address family (IPv4 as u128 too).
type Ranges = Vec<(u128, u128)>;

fn net_range(n: &IpNet) -> (bool, u128, u128) {
    match n.addr {
        IpAddr::V4(a) => {
            let bits = 32 - u32::from(n.prefix.min(32));
            let base = u128::from(u32::from(a)) & !((1u128 << bits) - 1);
            (true, base, base | ((1u128 << bits) - 1))
        }
        IpAddr::V6(a) => {
            let bits = 128 - u32::from(n.prefix.min(128));
            let mask = if bits == 128 {
                u128::MAX
            } else {
                (1u128 << bits) - 1
            };
            let base = u128::from(a) & !mask;
            (false, base, base | mask)
        }
    }
}

fn ip_u128(a: IpAddr) -> (bool, u128) {
    match a {
        IpAddr::V4(x) => (true, u128::from(u32::from(x))),
        IpAddr::V6(x) => (false, u128::from(x)),
    }
}

#[derive(Default)]
struct AddrSets {
    pos4: Ranges,
    neg4: Ranges,
    pos6: Ranges,
    neg6: Ranges,
    /// A negated list contains negations: Suricata does not check those.
    nested_negation: bool,
}

fn flatten_addr(e: &AddressExpr, neg: bool, s: &mut AddrSets, depth: usize) {
    if depth > MAX_NESTING {
        return;
    }
    let mut push = |v4: bool, lo: u128, hi: u128| {
        let list = match (v4, neg) {
            (true, false) => &mut s.pos4,
            (true, true) => &mut s.neg4,
            (false, false) => &mut s.pos6,
            (false, true) => &mut s.neg6,
        };
        list.push((lo, hi));
    };
    match e {
        AddressExpr::Any => {
            push(true, 0, u32::MAX as u128);
            push(false, 0, u128::MAX);
        }
        AddressExpr::Net(n) => {
            let (v4, lo, hi) = net_range(n);
            push(v4, lo, hi);
        }
        AddressExpr::Range(a, b) => {
            let (v4, lo) = ip_u128(*a);
            let (_, hi) = ip_u128(*b);
            push(v4, lo, hi);
        }
        AddressExpr::Not(inner) => {
            if neg || contains_not(inner) {
                s.nested_negation = true;
            }
            flatten_addr(inner, !neg, s, depth + 1);
        }
        AddressExpr::List(items) => {
            for i in items {
                flatten_addr(i, neg, s, depth + 1);
            }
        }
        AddressExpr::Var(_, inner) => flatten_addr(inner, neg, s, depth + 1),
    }
}

fn contains_not(e: &AddressExpr) -> bool {
    match e {
        AddressExpr::Not(_) => true,
        AddressExpr::List(items) => items.iter().any(contains_not),
        AddressExpr::Var(_, inner) => contains_not(inner),
        _ => false,
    }
}

/// True when every range of `pos` is covered by the union of `neg`.
fn covered(pos: &[(u128, u128)], neg: &[(u128, u128)]) -> bool {
    let mut n: Vec<(u128, u128)> = neg.to_vec();
    n.sort_unstable();
    pos.iter().all(|&(lo, hi)| {
        let mut next = lo;
        for &(a, b) in &n {
            if a > next {
                break;
            }
            if b >= next {
                if b >= hi {
                    return true;
                }
                next = b + 1;
            }
        }
        false
    })
}

/// Suricata's "no addresses left after merging addresses and negated
/// addresses": the positive part minus the negated part is empty.
pub fn address_is_empty(e: &AddressExpr) -> bool {
    let mut s = AddrSets::default();
    flatten_addr(e, false, &mut s, 0);
    if s.nested_negation {
        return false;
    }
    if s.pos4.is_empty() && s.pos6.is_empty() {
        // Only negations: relative to "any".
        s.pos4.push((0, u32::MAX as u128));
        s.pos6.push((0, u128::MAX));
    }
    covered(&s.pos4, &s.neg4) && covered(&s.pos6, &s.neg6)
}

fn flatten_ports(e: &PortExpr, neg: bool, pos: &mut Ranges, negs: &mut Ranges, depth: usize) {
    if depth > MAX_NESTING {
        return;
    }
    match e {
        PortExpr::Any => {
            if neg { negs } else { pos }.push((0, 65535));
        }
        PortExpr::Range(a, b) => {
            if neg { negs } else { pos }.push((u128::from(*a), u128::from(*b)));
        }
        PortExpr::Not(inner) => flatten_ports(inner, !neg, pos, negs, depth + 1),
        PortExpr::List(items) => {
            for i in items {
                flatten_ports(i, neg, pos, negs, depth + 1);
            }
        }
        PortExpr::Var(_, inner) => flatten_ports(inner, neg, pos, negs, depth + 1),
    }
}

/// Suricata's "no ports left after merging ports with negated ports".
pub fn ports_are_empty(e: &PortExpr) -> bool {
    let mut pos = Vec::new();
    let mut neg = Vec::new();
    flatten_ports(e, false, &mut pos, &mut neg, 0);
    if pos.is_empty() {
        pos.push((0, 65535));
    }
    covered(&pos, &neg)
}

/// Parses a port expression, resolving variables from the context.
pub fn parse_ports(s: &str, ctx: &RuleContext) -> Result<PortExpr, String> {
    let e = parse_port_inner(s.trim(), ctx, 0)?;
    if port_negates_all(&e) {
        return Err(format!("port \"{s}\" negates all ports"));
    }
    Ok(e)
}

fn port_negates_all(e: &PortExpr) -> bool {
    match e {
        PortExpr::Not(inner) => {
            matches!(strip_pvar(inner), PortExpr::Any | PortExpr::Range(0, 65535))
        }
        PortExpr::Var(_, inner) => port_negates_all(inner),
        PortExpr::List(items) => items.iter().any(port_negates_all),
        _ => false,
    }
}

fn strip_pvar(e: &PortExpr) -> &PortExpr {
    match e {
        PortExpr::Var(_, inner) => strip_pvar(inner),
        PortExpr::List(items) if items.len() == 1 => strip_pvar(&items[0]),
        other => other,
    }
}

fn parse_port_num(s: &str) -> Result<u16, String> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("invalid port \"{s}\""));
    }
    s.parse::<u16>()
        .map_err(|_| format!("port \"{s}\" out of range"))
}

fn parse_port_inner(s: &str, ctx: &RuleContext, depth: usize) -> Result<PortExpr, String> {
    if depth > MAX_NESTING {
        return Err("port nesting too deep (or a variable refers to itself)".into());
    }
    if s.is_empty() {
        return Err("empty port".into());
    }
    if has_top_level_comma(s) {
        let mut out = Vec::new();
        for it in split_list(s)? {
            out.push(parse_port_inner(it, ctx, depth + 1)?);
        }
        return Ok(PortExpr::List(out));
    }
    if let Some(rest) = s.strip_prefix('!') {
        let inner = parse_port_inner(rest.trim_start(), ctx, depth + 1)?;
        return Ok(PortExpr::Not(Box::new(inner)));
    }
    if s.starts_with('[') {
        if !s.ends_with(']') || s.len() < 2 {
            return Err(format!("bad port list \"{s}\""));
        }
        let items = split_list(&s[1..s.len() - 1])?;
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            out.push(parse_port_inner(it, ctx, depth + 1)?);
        }
        return Ok(PortExpr::List(out));
    }
    if let Some(name) = s.strip_prefix('$') {
        let Some(val) = ctx.port_var(name) else {
            return Err(format!(
                "variable \"${name}\" is not defined in port-groups"
            ));
        };
        let inner = parse_port_inner(val.trim(), ctx, depth + 1)
            .map_err(|e| format!("variable ${name}: {e}"))?;
        return Ok(PortExpr::Var(Arc::from(name), Arc::new(inner)));
    }
    if s.eq_ignore_ascii_case("any") {
        return Ok(PortExpr::Any);
    }
    if let Some((a, b)) = s.split_once(':') {
        let lo = if a.trim().is_empty() {
            0
        } else {
            parse_port_num(a)?
        };
        let hi = if b.trim().is_empty() {
            65535
        } else {
            parse_port_num(b)?
        };
        if lo > hi {
            return Err(format!("port range \"{s}\" is reversed"));
        }
        return Ok(PortExpr::Range(lo, hi));
    }
    let p = parse_port_num(s)?;
    Ok(PortExpr::Range(p, p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn ctx() -> RuleContext {
        let mut a = HashMap::new();
        a.insert(
            "HOME_NET".to_string(),
            "[10.0.0.0/8,192.168.0.0/16]".to_string(),
        );
        a.insert("EXTERNAL_NET".to_string(), "!$HOME_NET".to_string());
        a.insert("LOOP".to_string(), "$LOOP".to_string());
        let mut p = HashMap::new();
        p.insert("HTTP_PORTS".to_string(), "[80,8080:8090]".to_string());
        RuleContext {
            address_vars: a,
            port_vars: p,
            ..RuleContext::default()
        }
    }

    #[test]
    fn addresses() {
        let c = ctx();
        for ok in [
            "any",
            "1.2.3.4",
            "1.2.3.0/24",
            "1.2.3.0/255.255.255.0",
            "[1.2.3.4, 5.6.7.8]",
            "![1.2.3.4,[5.6.7.8,!9.9.9.9]]",
            "$HOME_NET",
            "$EXTERNAL_NET",
            "[$HOME_NET,!10.1.1.1]",
            "2001:db8::/32",
            "::1",
            "1.1.1.1-1.1.1.9",
        ] {
            assert!(parse_address(ok, &c).is_ok(), "{ok}");
        }
        for bad in [
            "!any",
            "1.2.3.4/33",
            "1.2.3",
            "$UNDEFINED",
            "$LOOP",
            "[1.2.3.4",
            "[1.2.3.4,]",
            "9.9.9.9-1.1.1.1",
            "",
        ] {
            assert!(parse_address(bad, &c).is_err(), "{bad}");
        }
    }

    #[test]
    fn ports() {
        let c = ctx();
        assert_eq!(parse_ports("80", &c).unwrap(), PortExpr::Range(80, 80));
        assert_eq!(
            parse_ports("1024:", &c).unwrap(),
            PortExpr::Range(1024, 65535)
        );
        assert_eq!(parse_ports(":1024", &c).unwrap(), PortExpr::Range(0, 1024));
        for ok in [
            "any",
            "[80,443]",
            "!80",
            "$HTTP_PORTS",
            "[$HTTP_PORTS,!8085]",
            "![1:10,20]",
        ] {
            assert!(parse_ports(ok, &c).is_ok(), "{ok}");
        }
        for bad in ["65536", "10:5", "!any", "$NOPE", "abc", "[80,", "-1"] {
            assert!(parse_ports(bad, &c).is_err(), "{bad}");
        }
    }

    #[test]
    fn protocols() {
        let c = RuleContext::default();
        assert_eq!(parse_protocol("TCP", &c).unwrap(), Protocol::Tcp);
        assert_eq!(
            parse_protocol("ikev2", &c).unwrap(),
            Protocol::App("ike".into())
        );
        assert!(parse_protocol("HTTP", &c).is_err());
        assert!(parse_protocol("modbus", &c).is_err());
        assert!(parse_protocol("ssl", &c).is_err());
    }
}
