//! byte_test, byte_jump, byte_extract, byte_math (Suricata 7.0 semantics).

use palisade_rules::values::ByteOp;

use super::compile::{Val, Vars};
use super::MAX_VARS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endian {
    Big,
    Little,
    /// From the DCE/RPC header (big endian outside DCE/RPC for byte_test/byte_jump).
    Dce,
}

/// How the bytes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conv {
    Num(Endian),
    /// ASCII number in this base.
    Str(u32),
}

/// C `strtoull` over at most `s.len()` bytes (stopping at NUL): leading white space,
/// an optional sign, `0x` for base 16 (and base 0 detection). Returns the value and the
/// bytes consumed; `None` when no digit was read or on overflow.
pub(crate) fn strtoull(s: &[u8], base: u32) -> Option<(u64, usize)> {
    let s = match s.iter().position(|&b| b == 0) {
        Some(n) => &s[..n],
        None => s,
    };
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let mut base = base;
    let hex_prefix = i + 1 < s.len() && s[i] == b'0' && (s[i + 1] | 0x20) == b'x';
    if (base == 16 || base == 0)
        && hex_prefix
        && s.get(i + 2)
            .is_some_and(|c| (*c as char).is_ascii_hexdigit())
    {
        i += 2;
        base = 16;
    } else if base == 0 {
        base = if s.get(i) == Some(&b'0') { 8 } else { 10 };
    }
    let start = i;
    let mut v: u64 = 0;
    let mut overflow = false;
    while i < s.len() {
        let Some(d) = (s[i] as char).to_digit(base) else {
            break;
        };
        match v
            .checked_mul(base as u64)
            .and_then(|x| x.checked_add(d as u64))
        {
            Some(n) => v = n,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start || overflow {
        return None;
    }
    Some((if neg { v.wrapping_neg() } else { v }, i))
}

fn read_num(b: &[u8], little: bool) -> u64 {
    let mut v: u64 = 0;
    if little {
        for &x in b.iter().rev() {
            v = (v << 8) | x as u64;
        }
    } else {
        for &x in b {
            v = (v << 8) | x as u64;
        }
    }
    v
}

/// Reads `nbytes` at `start`; returns the value and the bytes consumed.
fn extract(
    buf: &[u8],
    start: usize,
    nbytes: usize,
    conv: Conv,
    dce_le: Option<bool>,
    dce_default_little: bool,
) -> Option<(u64, usize)> {
    let b = buf.get(start..start.checked_add(nbytes)?)?;
    match conv {
        Conv::Str(base) => {
            if nbytes > 23 {
                return None;
            }
            strtoull(b, base)
        }
        Conv::Num(e) => {
            if nbytes == 0 || nbytes > 8 {
                return None;
            }
            let little = match e {
                Endian::Big => false,
                Endian::Little => true,
                Endian::Dce => dce_le.unwrap_or(dce_default_little),
            };
            Some((read_num(b, little), nbytes))
        }
    }
}

/// Start of the bytes to read, as Suricata computes it (offset may be negative; relative
/// keywords start at the end of the previous match). `None` when out of the buffer.
fn locate(
    len: usize,
    buffer_offset: u32,
    offset: i64,
    relative: bool,
    nbytes: usize,
) -> Option<usize> {
    let mut start = offset;
    if relative {
        start += buffer_offset as i64;
        if len as i64 - start <= 0 {
            return None;
        }
    }
    if start < 0 || nbytes as i64 > len as i64 - start {
        return None;
    }
    Some(start as usize)
}

fn get(vars: &[u64; MAX_VARS], i: u8) -> u64 {
    vars.get(i as usize).copied().unwrap_or(0)
}

fn val_i64(v: Val<i64>, vars: &[u64; MAX_VARS]) -> i64 {
    match v {
        Val::Const(c) => c,
        // Suricata casts the extracted value to a 32-bit int.
        Val::Var(x) => get(vars, x) as i32 as i64,
    }
}

fn nbytes_of(v: Val<u32>, vars: &[u64; MAX_VARS], conv: Conv) -> Option<usize> {
    let n = match v {
        Val::Const(c) => c as u64,
        Val::Var(x) => get(vars, x) as i32 as i64 as u64,
    };
    let max = if matches!(conv, Conv::Str(_)) { 23 } else { 8 };
    if n == 0 || n > max {
        None
    } else {
        Some(n as usize)
    }
}

/// Parses a signed decimal (or `0x` hex) number.
fn parse_int(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let (neg, d) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (v, used) = strtoull(d.as_bytes(), 10).ok_or_else(|| format!("invalid number \"{t}\""))?;
    let _ = used;
    let v = i64::try_from(v).map_err(|_| format!("number \"{t}\" out of range"))?;
    Ok(if neg { -v } else { v })
}

fn parse_base0(s: &str) -> Result<u64, String> {
    let t = s.trim();
    strtoull(t.as_bytes(), 0)
        .map(|x| x.0)
        .ok_or_else(|| format!("invalid number \"{t}\""))
}

/// Bitmask (hexadecimal, `0x` optional) and its count of trailing zero bits.
fn parse_bitmask(s: &str) -> Result<(u64, u32), String> {
    let t = s.trim();
    let (m, _) = strtoull(t.as_bytes(), 16).ok_or_else(|| format!("invalid bitmask \"{t}\""))?;
    Ok((m, if m == 0 { 0 } else { m.trailing_zeros() }))
}

fn apply_bitmask(val: u64, mask: Option<(u64, u32)>) -> u64 {
    match mask {
        Some((m, shift)) => {
            let v = val & m;
            if v != 0 && shift != 0 {
                v >> shift
            } else {
                v
            }
        }
        None => val,
    }
}

/// Common options: endianness, string base, bitmask.
struct Opts {
    conv: Conv,
    bitmask: Option<(u64, u32)>,
    words: Vec<(String, String)>,
}

fn opts(b: &ByteOp) -> Result<Opts, String> {
    let mut endian = Endian::Big;
    let mut string = false;
    let mut base = 10;
    let mut bitmask = None;
    let mut words = Vec::new();
    for o in &b.opts {
        let mut it = o.split_whitespace();
        let w = it.next().unwrap_or("").to_ascii_lowercase();
        let arg = it.next().unwrap_or("").to_string();
        match w.as_str() {
            "big" => endian = Endian::Big,
            "little" => endian = Endian::Little,
            "dce" => endian = Endian::Dce,
            "endian" => {
                endian = match arg.as_str() {
                    "little" => Endian::Little,
                    "big" => Endian::Big,
                    "dce" => Endian::Dce,
                    _ => return Err(format!("invalid endian \"{arg}\"")),
                }
            }
            "string" => {
                string = true;
                match arg.as_str() {
                    "hex" => base = 16,
                    "oct" => base = 8,
                    "dec" | "" => base = 10,
                    _ => return Err(format!("invalid string base \"{arg}\"")),
                }
            }
            "hex" => base = 16,
            "oct" => base = 8,
            "dec" => base = 10,
            "bitmask" => bitmask = Some(parse_bitmask(&arg)?),
            _ => {}
        }
        words.push((w, arg));
    }
    Ok(Opts {
        conv: if string {
            Conv::Str(base)
        } else {
            Conv::Num(endian)
        },
        bitmask,
        words,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Gt,
    Eq,
    Le,
    Ge,
    And,
    Xor,
}

#[derive(Debug)]
pub(crate) struct ByteTest {
    nbytes: Val<u32>,
    offset: Val<i64>,
    op: Op,
    negated: bool,
    value: Val<u64>,
    conv: Conv,
    bitmask: Option<(u64, u32)>,
    pub relative: bool,
}

impl ByteTest {
    pub fn compile(b: &ByteOp, vars: &Vars) -> Result<ByteTest, String> {
        let o = opts(b)?;
        let raw_op: String = b.op.as_deref().unwrap_or("").replace(' ', "");
        let (negated, op) = match raw_op.strip_prefix('!') {
            Some("") => (true, "="),
            Some(r) => (true, r),
            None => (false, raw_op.as_str()),
        };
        let op = match op {
            "<" => Op::Lt,
            ">" => Op::Gt,
            "=" => Op::Eq,
            "<=" => Op::Le,
            ">=" => Op::Ge,
            "&" => Op::And,
            "^" => Op::Xor,
            _ => return Err(format!("invalid operator \"{raw_op}\"")),
        };
        Ok(ByteTest {
            nbytes: vars.val(&b.nbytes, |s| parse_int(s).map(|v| v as u32))?,
            offset: vars.val(&b.offset, parse_int)?,
            op,
            negated,
            value: vars.val(b.value.as_deref().unwrap_or("0"), parse_base0)?,
            conv: o.conv,
            bitmask: o.bitmask,
            relative: b.relative,
        })
    }

    pub fn exec(
        &self,
        buf: &[u8],
        buffer_offset: u32,
        vars: &[u64; MAX_VARS],
        dce_le: Option<bool>,
    ) -> bool {
        if buf.is_empty() {
            return false;
        }
        let Some(nbytes) = nbytes_of(self.nbytes, vars, self.conv) else {
            return false;
        };
        let offset = val_i64(self.offset, vars);
        let Some(start) = locate(buf.len(), buffer_offset, offset, self.relative, nbytes) else {
            return false;
        };
        let Some((val, _)) = extract(buf, start, nbytes, self.conv, dce_le, false) else {
            return false;
        };
        let val = apply_bitmask(val, self.bitmask);
        let value = match self.value {
            Val::Const(v) => v,
            Val::Var(x) => get(vars, x),
        };
        let m = match self.op {
            Op::Lt => val < value,
            Op::Gt => val > value,
            Op::Eq => val == value,
            Op::Le => val <= value,
            Op::Ge => val >= value,
            Op::And => val & value != 0,
            Op::Xor => val ^ value != 0,
        };
        m != self.negated
    }
}

#[derive(Debug)]
pub(crate) struct ByteJump {
    nbytes: Val<u32>,
    offset: Val<i64>,
    conv: Conv,
    bitmask: Option<(u64, u32)>,
    multiplier: u64,
    post_offset: i64,
    align: bool,
    from_beginning: bool,
    from_end: bool,
    pub relative: bool,
}

impl ByteJump {
    pub fn compile(b: &ByteOp, vars: &Vars) -> Result<ByteJump, String> {
        let o = opts(b)?;
        let mut j = ByteJump {
            nbytes: vars.val(&b.nbytes, |s| parse_int(s).map(|v| v as u32))?,
            offset: vars.val(&b.offset, parse_int)?,
            conv: o.conv,
            bitmask: o.bitmask,
            multiplier: 1,
            post_offset: 0,
            align: false,
            from_beginning: false,
            from_end: false,
            relative: b.relative,
        };
        for (w, arg) in &o.words {
            match w.as_str() {
                "multiplier" => j.multiplier = parse_int(arg)?.clamp(1, 65535) as u64,
                "post_offset" => j.post_offset = parse_int(arg)?,
                "align" => j.align = true,
                "from_beginning" => j.from_beginning = true,
                "from_end" => j.from_end = true,
                _ => {}
            }
        }
        Ok(j)
    }

    /// The new buffer offset, or `None` (no match).
    pub fn exec(
        &self,
        buf: &[u8],
        buffer_offset: u32,
        vars: &[u64; MAX_VARS],
        dce_le: Option<bool>,
    ) -> Option<u32> {
        if buf.is_empty() {
            return None;
        }
        let nbytes = nbytes_of(self.nbytes, vars, self.conv)?;
        let offset = val_i64(self.offset, vars);
        let start = locate(buf.len(), buffer_offset, offset, self.relative, nbytes)?;
        let (val, ext) = extract(buf, start, nbytes, self.conv, dce_le, false)?;
        let mut val = apply_bitmask(val, self.bitmask).wrapping_mul(self.multiplier);
        if self.align && !val.is_multiple_of(4) {
            val = val.wrapping_add(4 - val % 4);
        }
        let val = val.wrapping_add(self.post_offset as u64) as i64;
        let len = buf.len() as i64;
        let target = if self.from_beginning {
            val
        } else if self.from_end {
            len.wrapping_add(val)
        } else {
            (start as i64).wrapping_add(val).wrapping_add(ext as i64)
        };
        if target < 0 {
            Some(0)
        } else if target > len {
            None
        } else {
            Some(target as u32)
        }
    }
}

#[derive(Debug)]
pub(crate) struct ByteExtract {
    nbytes: usize,
    offset: i64,
    conv: Conv,
    multiplier: u64,
    align: u64,
    pub relative: bool,
    /// Variable slot.
    pub var: u8,
}

impl ByteExtract {
    pub fn compile(b: &ByteOp, slot: u8) -> Result<ByteExtract, String> {
        let o = opts(b)?;
        let mut e = ByteExtract {
            nbytes: parse_int(&b.nbytes)?.clamp(0, 23) as usize,
            offset: parse_int(&b.offset)?,
            conv: o.conv,
            multiplier: 1,
            align: 0,
            relative: b.relative,
            var: slot,
        };
        for (w, arg) in &o.words {
            match w.as_str() {
                "multiplier" => e.multiplier = parse_int(arg)?.clamp(1, 65535) as u64,
                "align" => e.align = parse_int(arg)?.clamp(0, 4) as u64,
                _ => {}
            }
        }
        Ok(e)
    }

    /// The value and the new buffer offset (just after the bytes read).
    pub fn exec(&self, buf: &[u8], buffer_offset: u32, dce_le: Option<bool>) -> Option<(u64, u32)> {
        if buf.is_empty() {
            return None;
        }
        let start = locate(
            buf.len(),
            buffer_offset,
            self.offset,
            self.relative,
            self.nbytes,
        )?;
        let (val, ext) = extract(buf, start, self.nbytes, self.conv, dce_le, true)?;
        let mut val = val.wrapping_mul(self.multiplier);
        if self.align > 1 && !val.is_multiple_of(self.align) {
            val = val.wrapping_add(self.align - val % self.align);
        }
        Some((val, (start + ext) as u32))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MathOp {
    Add,
    Sub,
    Mul,
    Div,
    Shl,
    Shr,
}

#[derive(Debug)]
pub(crate) struct ByteMath {
    nbytes: Val<u32>,
    offset: i64,
    op: MathOp,
    rvalue: Val<u64>,
    conv: Conv,
    bitmask: Option<(u64, u32)>,
    pub relative: bool,
    pub var: u8,
}

impl ByteMath {
    pub fn compile(b: &ByteOp, vars: &Vars, slot: u8) -> Result<ByteMath, String> {
        let o = opts(b)?;
        let op = match b.op.as_deref().unwrap_or("") {
            "+" => MathOp::Add,
            "-" => MathOp::Sub,
            "*" => MathOp::Mul,
            "/" => MathOp::Div,
            "<<" => MathOp::Shl,
            ">>" => MathOp::Shr,
            x => return Err(format!("invalid oper \"{x}\"")),
        };
        Ok(ByteMath {
            nbytes: vars.val(&b.nbytes, |s| parse_int(s).map(|v| v as u32))?,
            offset: parse_int(&b.offset)?,
            op,
            rvalue: vars.val(b.value.as_deref().unwrap_or("0"), |s| {
                parse_int(s).map(|v| v as u64)
            })?,
            conv: o.conv,
            bitmask: o.bitmask,
            relative: b.relative,
            var: slot,
        })
    }

    /// The result and the new buffer offset (just after the bytes read).
    pub fn exec(
        &self,
        buf: &[u8],
        buffer_offset: u32,
        vars: &[u64; MAX_VARS],
        dce_le: Option<bool>,
    ) -> Option<(u64, u32)> {
        if buf.is_empty() {
            return None;
        }
        let nbytes = match self.nbytes {
            Val::Const(c) => c as usize,
            Val::Var(x) => (get(vars, x) as u8) as usize,
        };
        let start = locate(buf.len(), buffer_offset, self.offset, self.relative, nbytes)?;
        // Outside DCE/RPC, Suricata reads a `dce` byte_math as little endian.
        let (val, ext) = extract(buf, start, nbytes, self.conv, dce_le, true)?;
        let r = match self.rvalue {
            Val::Const(v) => v,
            Val::Var(x) => get(vars, x),
        };
        let v = match self.op {
            MathOp::Add => val.wrapping_add(r),
            MathOp::Sub => val.wrapping_sub(r),
            MathOp::Mul => val.wrapping_mul(r),
            MathOp::Div => {
                if r == 0 {
                    return None;
                }
                val / r
            }
            MathOp::Shl => val.wrapping_shl((r & 63) as u32),
            MathOp::Shr => val.wrapping_shr((r & 63) as u32),
        };
        Some((apply_bitmask(v, self.bitmask), (start + ext) as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtoull_like_c() {
        assert_eq!(strtoull(b"123abc", 10), Some((123, 3)));
        assert_eq!(strtoull(b"  42", 10), Some((42, 4)));
        assert_eq!(strtoull(b"0x1F", 16), Some((31, 4)));
        assert_eq!(strtoull(b"1F", 16), Some((31, 2)));
        assert_eq!(strtoull(b"017", 0), Some((15, 3)));
        assert_eq!(strtoull(b"0x", 16), Some((0, 1)));
        assert_eq!(strtoull(b"abc", 10), None);
        assert_eq!(strtoull(b"", 10), None);
        assert_eq!(strtoull(b"-1", 10), Some((u64::MAX, 2)));
        assert_eq!(strtoull(b"99999999999999999999", 10), None);
        assert_eq!(strtoull(b"12\x0034", 10), Some((12, 2)));
    }

    #[test]
    fn numbers_and_masks() {
        assert_eq!(read_num(&[1, 2], false), 0x0102);
        assert_eq!(read_num(&[1, 2], true), 0x0201);
        assert_eq!(parse_bitmask("0x3f0").unwrap(), (0x3f0, 4));
        assert_eq!(apply_bitmask(0xabcd, Some((0xff0, 4))), 0xbc);
        assert_eq!(locate(10, 0, -1, false, 1), None);
        assert_eq!(locate(10, 8, 1, true, 1), Some(9));
        assert_eq!(locate(10, 8, 2, true, 1), None);
        assert_eq!(locate(10, 0, 9, false, 2), None);
    }
}
