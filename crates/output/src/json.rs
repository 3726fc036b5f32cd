//! A small JSON writer that appends into a reusable buffer.
//!
//! It mirrors Suricata's JsonBuilder: fields come out in the order they are set, no
//! whitespace, strings escaped as Suricata escapes them:
//!
//! - `"` and `\` are backslash-escaped; `/` is not;
//! - `\b \t \n \f \r` use their short forms, every other byte below 0x20 is written
//!   `\u00XX` with lowercase hex digits; 0x7f and above are written as is;
//! - a byte string that is not valid UTF-8 is first turned into text the way Suricata
//!   does it: bytes below 0x80 kept, every byte from 0x80 up written as the four
//!   characters `\xNN` (lowercase hex), which the JSON escaping then turns into `\\xNN`.
//!
//! The writer never panics; misuse (closing more than was opened, setting a key inside
//! an array) is ignored in release builds and caught by `debug_assert!` in tests.

use std::io::Write;
use std::net::IpAddr;

use crate::time::write_timestamp;
use palisade_flow::Timestamp;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Escape action per byte: 0 = as is, b'u' = \u00XX, other = backslash + that byte.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Appends `s` with JSON escaping (no quotes).
pub fn escape_into(out: &mut Vec<u8>, s: &[u8]) {
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        let e = ESCAPE[b as usize];
        if e == 0 {
            continue;
        }
        out.extend_from_slice(&s[start..i]);
        if e == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.push(b'\\');
            out.push(e);
        }
        start = i + 1;
    }
    out.extend_from_slice(&s[start..]);
}

/// Appends arbitrary bytes as the content of a JSON string, Suricata style (see the
/// module documentation).
pub fn escape_bytes_into(out: &mut Vec<u8>, s: &[u8]) {
    if std::str::from_utf8(s).is_ok() {
        escape_into(out, s);
        return;
    }
    for &b in s {
        if b < 0x80 {
            escape_into(out, &[b]);
        } else {
            out.extend_from_slice(b"\\\\x");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        }
    }
}

/// Writes an address as Suricata prints it: dotted quad, or all eight IPv6 groups as
/// four lowercase hex digits each, without `::` compression.
pub fn write_ip(out: &mut Vec<u8>, ip: IpAddr) {
    match ip {
        IpAddr::V4(a) => {
            let _ = write!(out, "{a}");
        }
        IpAddr::V6(a) => {
            for (i, seg) in a.segments().iter().enumerate() {
                if i > 0 {
                    out.push(b':');
                }
                let _ = write!(out, "{seg:04x}");
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    ObjFirst,
    ObjNth,
    ArrFirst,
    ArrNth,
}

/// A JSON object under construction. Reuse one per thread: `reset` keeps the capacity.
#[derive(Clone, Debug)]
pub struct JsonBuf {
    buf: Vec<u8>,
    stack: Vec<Frame>,
}

impl Default for JsonBuf {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonBuf {
    /// A buffer holding an empty, open top-level object (`{`).
    pub fn new() -> JsonBuf {
        let mut j = JsonBuf {
            buf: Vec::with_capacity(4096),
            stack: Vec::with_capacity(16),
        };
        j.reset();
        j
    }

    /// Starts a new top-level object, keeping the allocation.
    pub fn reset(&mut self) {
        self.buf.clear();
        self.stack.clear();
        self.buf.push(b'{');
        self.stack.push(Frame::ObjFirst);
    }

    fn key(&mut self, key: &str) {
        match self.stack.last_mut() {
            Some(f @ Frame::ObjFirst) => *f = Frame::ObjNth,
            Some(Frame::ObjNth) => self.buf.push(b','),
            _ => {
                debug_assert!(false, "key {key:?} outside an object");
                return;
            }
        }
        self.buf.push(b'"');
        escape_into(&mut self.buf, key.as_bytes());
        self.buf.extend_from_slice(b"\":");
    }

    fn elem(&mut self) {
        match self.stack.last_mut() {
            Some(f @ Frame::ArrFirst) => *f = Frame::ArrNth,
            Some(Frame::ArrNth) => self.buf.push(b','),
            _ => debug_assert!(false, "array element outside an array"),
        }
    }

    fn quoted(&mut self, s: &[u8], raw_bytes: bool) {
        self.buf.push(b'"');
        if raw_bytes {
            escape_bytes_into(&mut self.buf, s);
        } else {
            escape_into(&mut self.buf, s);
        }
        self.buf.push(b'"');
    }

    pub fn set_str(&mut self, key: &str, val: &str) -> &mut Self {
        self.key(key);
        self.quoted(val.as_bytes(), false);
        self
    }

    /// A string from untrusted bytes (Suricata's `jb_set_string_from_bytes`).
    pub fn set_bytes(&mut self, key: &str, val: &[u8]) -> &mut Self {
        self.key(key);
        self.quoted(val, true);
        self
    }

    pub fn set_u64(&mut self, key: &str, val: u64) -> &mut Self {
        self.key(key);
        let _ = write!(self.buf, "{val}");
        self
    }

    pub fn set_i64(&mut self, key: &str, val: i64) -> &mut Self {
        self.key(key);
        let _ = write!(self.buf, "{val}");
        self
    }

    pub fn set_bool(&mut self, key: &str, val: bool) -> &mut Self {
        self.key(key);
        self.buf
            .extend_from_slice(if val { b"true" } else { b"false" });
        self
    }

    /// Lowercase hex string of `val`.
    pub fn set_hex(&mut self, key: &str, val: &[u8]) -> &mut Self {
        self.key(key);
        self.buf.push(b'"');
        for &b in val {
            self.buf.push(HEX[(b >> 4) as usize]);
            self.buf.push(HEX[(b & 0xf) as usize]);
        }
        self.buf.push(b'"');
        self
    }

    /// A timestamp in Suricata's format (`2009-11-24T21:27:09.534255+0000`).
    pub fn set_ts(&mut self, key: &str, ts: Timestamp) -> &mut Self {
        self.key(key);
        self.buf.push(b'"');
        write_timestamp(&mut self.buf, ts);
        self.buf.push(b'"');
        self
    }

    pub fn set_ip(&mut self, key: &str, ip: IpAddr) -> &mut Self {
        self.key(key);
        self.buf.push(b'"');
        write_ip(&mut self.buf, ip);
        self.buf.push(b'"');
        self
    }

    /// A value that is already JSON text (trusted, written as is).
    pub fn set_raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key);
        self.buf.extend_from_slice(json.as_bytes());
        self
    }

    pub fn open_object(&mut self, key: &str) -> &mut Self {
        self.key(key);
        self.buf.push(b'{');
        self.stack.push(Frame::ObjFirst);
        self
    }

    pub fn open_array(&mut self, key: &str) -> &mut Self {
        self.key(key);
        self.buf.push(b'[');
        self.stack.push(Frame::ArrFirst);
        self
    }

    /// Starts an object as an element of the current array.
    pub fn start_object(&mut self) -> &mut Self {
        self.elem();
        self.buf.push(b'{');
        self.stack.push(Frame::ObjFirst);
        self
    }

    pub fn append_u64(&mut self, val: u64) -> &mut Self {
        self.elem();
        let _ = write!(self.buf, "{val}");
        self
    }

    pub fn append_str(&mut self, val: &str) -> &mut Self {
        self.elem();
        self.quoted(val.as_bytes(), false);
        self
    }

    pub fn append_bytes(&mut self, val: &[u8]) -> &mut Self {
        self.elem();
        self.quoted(val, true);
        self
    }

    /// Closes the innermost open object or array.
    pub fn close(&mut self) -> &mut Self {
        match self.stack.pop() {
            Some(Frame::ObjFirst | Frame::ObjNth) => self.buf.push(b'}'),
            Some(Frame::ArrFirst | Frame::ArrNth) => self.buf.push(b']'),
            None => debug_assert!(false, "close with nothing open"),
        }
        self
    }

    /// Closes everything still open; the buffer then holds one complete JSON value.
    pub fn close_all(&mut self) -> &mut Self {
        while !self.stack.is_empty() {
            self.close();
        }
        self
    }

    /// Number of containers still open (1 for a fresh top-level object).
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The text so far. The writer only ever writes UTF-8.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn esc(s: &[u8]) -> String {
        let mut v = Vec::new();
        escape_bytes_into(&mut v, s);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn escaping_table() {
        let table: &[(&[u8], &str)] = &[
            (b"plain", "plain"),
            (b"a\"b", "a\\\"b"),
            (b"back\\slash", "back\\\\slash"),
            (b"/slash/", "/slash/"),
            (b"\x08\x09\x0a\x0c\x0d", "\\b\\t\\n\\f\\r"),
            (b"\x00\x01\x1f", "\\u0000\\u0001\\u001f"),
            (b"\x0b\x1b", "\\u000b\\u001b"),
            (b"\x7f", "\x7f"),
            ("h\u{e9}llo \u{20ac}".as_bytes(), "h\u{e9}llo \u{20ac}"),
            // not UTF-8: high bytes become the text \xNN, its backslash escaped
            (b"\xf0\xf1\xf2", "\\\\xf0\\\\xf1\\\\xf2"),
            (b"A\xff\"\n", "A\\\\xff\\\"\\n"),
            // once a string is invalid, valid multi-byte sequences are \x-escaped too
            (b"\xc3\xa9\xff", "\\\\xc3\\\\xa9\\\\xff"),
        ];
        for (input, want) in table {
            assert_eq!(esc(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn builds_nested_objects_and_arrays() {
        let mut j = JsonBuf::new();
        j.set_str("a", "x").set_u64("n", 42).open_array("v");
        j.append_u64(1).append_u64(2).close();
        j.open_object("o")
            .set_bool("t", true)
            .set_i64("neg", -3)
            .close();
        j.open_array("objs")
            .start_object()
            .set_str("k", "v")
            .close();
        j.start_object().close().close();
        j.set_hex("h", &[0x1a, 0xff]);
        j.close_all();
        assert_eq!(
            j.as_str(),
            r#"{"a":"x","n":42,"v":[1,2],"o":{"t":true,"neg":-3},"objs":[{"k":"v"},{}],"h":"1aff"}"#
        );
        j.reset();
        j.close_all();
        assert_eq!(j.as_str(), "{}");
    }

    #[test]
    fn ip_formats() {
        let mut v = Vec::new();
        write_ip(&mut v, IpAddr::V4(Ipv4Addr::new(192, 168, 0, 1)));
        assert_eq!(v, b"192.168.0.1");
        v.clear();
        let a: Ipv6Addr = "fe80::223:55ff:fe9c:7326".parse().unwrap();
        write_ip(&mut v, IpAddr::V6(a));
        assert_eq!(v, b"fe80:0000:0000:0000:0223:55ff:fe9c:7326");
        v.clear();
        write_ip(&mut v, IpAddr::V6(Ipv6Addr::UNSPECIFIED));
        assert_eq!(v, b"0000:0000:0000:0000:0000:0000:0000:0000");
    }
}
