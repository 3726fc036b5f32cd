//! Buffer transforms (Suricata 7.0: compress_whitespace, strip_whitespace,
//! strip_pseudo_headers, to_md5, to_sha1, to_sha256, dotprefix, url_decode,
//! header_lowercase, to_lowercase, to_uppercase, pcrexform, xor) and the base64 decoder
//! of `base64_decode`.

use md5::Digest;
use palisade_rules::values::OptionValue;
use palisade_rules::RuleOption;

/// Reusable output buffers of a transform chain (two, used in turn).
#[derive(Debug, Default)]
pub struct TransformScratch {
    a: Vec<u8>,
    b: Vec<u8>,
}

#[derive(Debug)]
pub(crate) enum Transform {
    CompressWhitespace,
    StripWhitespace,
    StripPseudoHeaders,
    Md5,
    Sha1,
    Sha256,
    DotPrefix,
    UrlDecode,
    HeaderLowercase,
    ToLowercase,
    ToUppercase,
    Xor(Vec<u8>),
    /// The expression and reusable capture slots (locked per call; pcrexform is rare, and
    /// a busy lock falls back to fresh slots).
    PcreXform(
        Box<pcre2::bytes::Regex>,
        std::sync::Mutex<pcre2::bytes::CaptureLocations>,
    ),
}

/// C `isspace` in the "C" locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

impl Transform {
    pub fn compile(o: &RuleOption) -> Result<Transform, String> {
        Ok(match o.keyword {
            "compress_whitespace" => Transform::CompressWhitespace,
            "strip_whitespace" => Transform::StripWhitespace,
            "strip_pseudo_headers" => Transform::StripPseudoHeaders,
            "to_md5" => Transform::Md5,
            "to_sha1" => Transform::Sha1,
            "to_sha256" => Transform::Sha256,
            "dotprefix" => Transform::DotPrefix,
            "url_decode" => Transform::UrlDecode,
            "header_lowercase" => Transform::HeaderLowercase,
            "to_lowercase" => Transform::ToLowercase,
            "to_uppercase" => Transform::ToUppercase,
            "xor" => {
                let OptionValue::Text(k) = &o.value else {
                    return Err("xor: missing key".into());
                };
                let kb = k.as_bytes();
                let key: Option<Vec<u8>> = kb
                    .chunks(2)
                    .map(|c| Some(hex_val(*c.first()?)? << 4 | hex_val(*c.get(1)?)?))
                    .collect();
                match key {
                    Some(k) if !k.is_empty() => Transform::Xor(k),
                    _ => return Err(format!("xor: invalid key \"{k}\"")),
                }
            }
            "pcrexform" => {
                let OptionValue::Text(p) = &o.value else {
                    return Err("pcrexform: missing expression".into());
                };
                let re = pcre2::bytes::RegexBuilder::new()
                    .jit_if_available(true)
                    .build(p)
                    .map_err(|e| format!("pcrexform: {e}"))?;
                if re.captures_len() < 2 {
                    return Err("pcrexform: the expression needs a capture group".into());
                }
                let locs = std::sync::Mutex::new(re.capture_locations());
                Transform::PcreXform(Box::new(re), locs)
            }
            k => return Err(format!("{k}: transform not supported")),
        })
    }

    /// Writes the transform of `input` into `out` (cleared first).
    fn run(&self, input: &[u8], out: &mut Vec<u8>) {
        out.clear();
        match self {
            Transform::CompressWhitespace => {
                let mut prev_space = false;
                for &c in input {
                    let sp = is_space(c);
                    if !(sp && prev_space) {
                        out.push(c);
                    }
                    prev_space = sp;
                }
            }
            Transform::StripWhitespace => {
                out.extend(input.iter().copied().filter(|&c| !is_space(c)))
            }
            Transform::StripPseudoHeaders => {
                for line in input.split_inclusive(|&c| c == b'\n') {
                    if line.first() != Some(&b':') {
                        out.extend_from_slice(line);
                    }
                }
            }
            Transform::Md5 => out.extend_from_slice(&md5::Md5::digest(input)),
            Transform::Sha1 => out.extend_from_slice(&sha1::Sha1::digest(input)),
            Transform::Sha256 => out.extend_from_slice(&sha2::Sha256::digest(input)),
            Transform::DotPrefix => {
                out.push(b'.');
                out.extend_from_slice(input);
            }
            Transform::UrlDecode => {
                let mut i = 0;
                while i < input.len() {
                    let c = input[i];
                    if c == b'%' && i + 2 < input.len() {
                        if let (Some(h), Some(l)) = (hex_val(input[i + 1]), hex_val(input[i + 2])) {
                            out.push(h << 4 | l);
                            i += 3;
                            continue;
                        }
                    }
                    out.push(if c == b'+' { b' ' } else { c });
                    i += 1;
                }
            }
            Transform::HeaderLowercase => {
                let mut in_name = true;
                for &c in input {
                    if in_name {
                        if c == b':' {
                            in_name = false;
                        }
                        out.push(c.to_ascii_lowercase());
                    } else {
                        if c == b'\n' {
                            in_name = true;
                        }
                        out.push(c);
                    }
                }
            }
            Transform::ToLowercase => out.extend(input.iter().map(u8::to_ascii_lowercase)),
            Transform::ToUppercase => out.extend(input.iter().map(u8::to_ascii_uppercase)),
            Transform::Xor(k) => out.extend(input.iter().zip(k.iter().cycle()).map(|(a, b)| a ^ b)),
            Transform::PcreXform(re, slots) => {
                let mut fresh;
                let mut guard = slots.try_lock();
                let locs = match guard.as_deref_mut() {
                    Ok(l) => l,
                    Err(_) => {
                        fresh = re.capture_locations();
                        &mut fresh
                    }
                };
                match re.captures_read(locs, input) {
                    Ok(Some(_)) => match locs.get(1) {
                        Some((s, e)) => out.extend_from_slice(&input[s..e]),
                        None => out.extend_from_slice(input),
                    },
                    _ => out.extend_from_slice(input),
                }
            }
        }
    }
}

/// Runs the chain; returns `buf` when it is empty.
pub(crate) fn apply<'b>(
    chain: &[Transform],
    buf: &'b [u8],
    xf: &'b mut TransformScratch,
) -> &'b [u8] {
    if chain.is_empty() {
        return buf;
    }
    let TransformScratch { a, b } = xf;
    let mut in_a = false;
    for (n, t) in chain.iter().enumerate() {
        if n == 0 {
            t.run(buf, a);
            in_a = true;
        } else if in_a {
            t.run(a, b);
            in_a = false;
        } else {
            t.run(b, a);
            in_a = true;
        }
    }
    if in_a {
        a
    } else {
        b
    }
}

/// Suricata's default for `base64_decode` without `bytes`.
pub(crate) const BASE64_DECODE_MAX: u32 = 65535;

fn b64_val(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// Decodes base64 the way Suricata 7.0's `base64_decode` does (RFC 4648, lenient):
/// decoding stops at the first character outside the alphabet; `=` counts as a zero
/// sextet that shortens its block; a final partial block gives `n - 1` bytes, except a
/// lone sextet before a stop character, which still gives one byte (checked against
/// Suricata 7.0.10).
pub(crate) fn base64_decode(input: &[u8], out: &mut Vec<u8>, max_out: usize) {
    out.clear();
    let mut quad = [0u8; 4];
    let mut n = 0;
    let mut padding = 0usize;
    let mut stopped = false;
    for &c in input {
        let v = match b64_val(c) {
            Some(v) => v,
            None if c == b'=' => {
                padding += 1;
                0
            }
            None => {
                stopped = true;
                break;
            }
        };
        quad[n] = v;
        n += 1;
        if n == 4 {
            let bytes = [
                quad[0] << 2 | quad[1] >> 4,
                quad[1] << 4 | quad[2] >> 2,
                quad[2] << 6 | quad[3],
            ];
            let keep = 3 - padding.min(3);
            if out.len() + keep > max_out {
                return;
            }
            out.extend_from_slice(&bytes[..keep]);
            n = 0;
            padding = 0;
            quad = [0; 4];
        }
    }
    if n > 0 {
        let keep = if n == 1 && stopped { 1 } else { n - 1 };
        let bytes = [quad[0] << 2 | quad[1] >> 4, quad[1] << 4 | quad[2] >> 2];
        if out.len() + keep <= max_out {
            out.extend_from_slice(&bytes[..keep]);
        }
    }
}

/// The `base64_decode` keyword: decodes `bytes` bytes from `offset` (relative to the
/// previous match with `relative`) into `out`. True when something was decoded.
pub(crate) fn base64_decode_keyword(
    buf: &[u8],
    buffer_offset: u32,
    bytes: u32,
    offset: u32,
    relative: bool,
    out: &mut Vec<u8>,
) -> bool {
    out.clear();
    let mut data = buf;
    if relative {
        data = data.get(buffer_offset as usize..).unwrap_or(&[]);
    }
    if offset != 0 {
        if offset as usize >= data.len() {
            return false;
        }
        data = &data[offset as usize..];
    }
    let bytes = if bytes == 0 { BASE64_DECODE_MAX } else { bytes };
    let n = data.len().min(bytes as usize);
    base64_decode(&data[..n], out, bytes as usize);
    !out.is_empty()
}
