//! The inspection loop: each keyword in order, with Suricata's three outcomes
//! (match, no match, no match and stop) and the retry of earlier contents/pcres when a
//! later relative keyword fails.

use palisade_rules::values::NumCmp;

use super::compile::{ContentItem, Item, Val};
use super::pcre::{PcreItem, PcreResult};
use super::{BufferProgram, Scratch, MAX_VARS};

/// Outcome of one keyword and everything after it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum R {
    Match,
    NoMatch,
    /// No match, and no retry of earlier keywords can help.
    Stop,
}

struct Cx<'s> {
    vars: &'s mut [u64; MAX_VARS],
    b64: &'s mut Vec<u8>,
    dce_le: Option<bool>,
    count: u32,
    limit: u32,
    limit_hit: bool,
    /// End of the last match (relative keywords start here).
    buffer_offset: u32,
    /// Start + 1 of the last pcre match, for pcre retries.
    pcre_start: u32,
}

impl Cx<'_> {
    fn var(&self, i: u8) -> u64 {
        self.vars.get(i as usize).copied().unwrap_or(0)
    }
}

pub(crate) fn inspect(p: &BufferProgram, buf: &[u8], scratch: &mut Scratch) -> bool {
    // Offsets are 32-bit as in Suricata.
    let buf = &buf[..buf.len().min(u32::MAX as usize - 1)];
    if p.items.is_empty() {
        return true;
    }
    let mut b64 = std::mem::take(&mut scratch.b64);
    let mut cx = Cx {
        vars: &mut scratch.vars,
        b64: &mut b64,
        dce_le: scratch.dce_little_endian,
        count: 0,
        limit: p.recursion_limit,
        limit_hit: false,
        buffer_offset: 0,
        pcre_start: 0,
    };
    let r = run(&p.items, 0, buf, &mut cx);
    scratch.recursion_limit_hit = cx.limit_hit;
    scratch.b64 = b64;
    r == R::Match
}

/// Matched this keyword: go on with the next one (or done).
fn next(items: &[Item], i: usize, buf: &[u8], cx: &mut Cx) -> R {
    if i + 1 >= items.len() {
        R::Match
    } else {
        run(items, i + 1, buf, cx)
    }
}

fn run(items: &[Item], i: usize, buf: &[u8], cx: &mut Cx) -> R {
    cx.count += 1;
    if cx.count >= cx.limit {
        cx.limit_hit = true;
        return R::Stop;
    }
    let Some(item) = items.get(i) else {
        return R::NoMatch;
    };
    let len = buf.len() as u32;
    match item {
        Item::Content(c) => content(c, items, i, buf, cx),
        Item::Pcre(p) => pcre(p, items, i, buf, cx),
        Item::IsDataAt {
            at,
            negated,
            relative,
        } => {
            let dataat = match *at {
                Val::Const(v) => v,
                Val::Var(x) => {
                    let v = cx.var(x);
                    if v >= 100_000_000 {
                        return if *negated {
                            next(items, i, buf, cx)
                        } else {
                            R::NoMatch
                        };
                    }
                    v as u32
                }
            };
            let is_var = matches!(at, Val::Var(_));
            let present = if *relative {
                (cx.buffer_offset as u64 + dataat as u64) <= len as u64
            } else {
                dataat < len
            };
            match (present, *negated) {
                (true, false) | (false, true) => next(items, i, buf, cx),
                (false, false) | (true, true) => {
                    // Relative: only an absent-but-required position ends the inspection.
                    let stop = if *relative { !present } else { true };
                    if stop && !is_var {
                        R::Stop
                    } else {
                        R::NoMatch
                    }
                }
            }
        }
        Item::Bsize(c) => {
            if cmp_u64(c, len as u64) {
                next(items, i, buf, cx)
            } else {
                R::Stop
            }
        }
        Item::Urilen(c) => {
            if cmp_u64(c, len.min(u16::MAX as u32) as u64) {
                next(items, i, buf, cx)
            } else {
                R::Stop
            }
        }
        Item::ByteTest(b) => {
            if b.exec(buf, cx.buffer_offset, cx.vars, cx.dce_le) {
                next(items, i, buf, cx)
            } else {
                R::NoMatch
            }
        }
        Item::ByteJump(b) => match b.exec(buf, cx.buffer_offset, cx.vars, cx.dce_le) {
            Some(off) => {
                cx.buffer_offset = off;
                next(items, i, buf, cx)
            }
            None => R::NoMatch,
        },
        Item::ByteExtract(b) => match b.exec(buf, cx.buffer_offset, cx.dce_le) {
            Some((val, off)) => {
                if let Some(v) = cx.vars.get_mut(b.var as usize) {
                    *v = val;
                }
                cx.buffer_offset = off;
                next(items, i, buf, cx)
            }
            None => R::NoMatch,
        },
        Item::ByteMath(b) => match b.exec(buf, cx.buffer_offset, cx.vars, cx.dce_le) {
            Some((val, off)) => {
                if let Some(v) = cx.vars.get_mut(b.var as usize) {
                    *v = val;
                }
                cx.buffer_offset = off;
                next(items, i, buf, cx)
            }
            None => R::NoMatch,
        },
        Item::Base64Decode(d) => {
            let mut out = std::mem::take(cx.b64);
            let ok = super::transform::base64_decode_keyword(
                buf,
                cx.buffer_offset,
                d.bytes,
                d.offset,
                d.relative,
                &mut out,
            );
            let r = if !ok {
                R::NoMatch
            } else if !d.has_data || d.data.is_empty() {
                // Suricata: without a base64_data list the keyword alone never
                // completes the match.
                R::NoMatch
            } else {
                cx.buffer_offset = 0;
                let saved_pcre = cx.pcre_start;
                cx.pcre_start = 0;
                let r = run(&d.data, 0, &out, cx);
                cx.pcre_start = saved_pcre;
                // base64_data is a terminal list: its match completes the buffer.
                if r == R::Match {
                    R::Match
                } else {
                    R::NoMatch
                }
            };
            *cx.b64 = out;
            r
        }
    }
}

fn cmp_u64(c: &NumCmp, v: u64) -> bool {
    match *c {
        NumCmp::Eq(a) => v == a,
        NumCmp::Ne(a) => v != a,
        NumCmp::Lt(a) => v < a,
        NumCmp::Gt(a) => v > a,
        NumCmp::Le(a) => v <= a,
        NumCmp::Ge(a) => v >= a,
        NumCmp::Range(a, b) => v > a && v < b,
    }
}

fn content(c: &ContentItem, items: &[Item], i: usize, buf: &[u8], cx: &mut Cx) -> R {
    let len = buf.len() as u32;
    let plen = c.pat.len() as u32;
    let prev_buffer_offset = cx.buffer_offset;
    // Start of the next occurrence to try (0: first search).
    let mut prev_offset: u32 = 0;
    loop {
        let mut depth = len;
        let mut offset: u32;
        if c.relative {
            offset = prev_buffer_offset;
            let distance: i32 = match c.distance {
                Some(Val::Const(d)) => d,
                Some(Val::Var(x)) => cx.var(x) as u32 as i32,
                None => 0,
            };
            if c.distance.is_some() {
                if distance < 0 && distance.unsigned_abs() > offset {
                    offset = 0;
                } else {
                    offset = offset.wrapping_add(distance as u32);
                }
            }
            if let Some(w) = c.within {
                let wv: u64 = match w {
                    Val::Const(w) => w as i64 as u64,
                    Val::Var(x) => cx.var(x),
                };
                let end = (prev_buffer_offset as u64)
                    .wrapping_add(wv)
                    .wrapping_add(distance as i64 as u64);
                if (depth as i32) > (end as u32 as i32) {
                    depth = end as u32;
                }
            }
        } else {
            match c.depth {
                Some(Val::Var(x)) => depth = cx.var(x) as u32,
                Some(Val::Const(d)) if d != 0 => depth = d,
                _ => {}
            }
            offset = match c.offset {
                Some(Val::Var(x)) => cx.var(x) as u32,
                Some(Val::Const(o)) => o,
                None => 0,
            };
        }
        if c.uses_vars() {
            depth = depth.wrapping_add(offset);
        }
        if prev_offset != 0 {
            offset = prev_offset;
        }
        if depth > len {
            depth = len;
        }
        if offset > depth || depth == 0 {
            return if c.negated {
                next(items, i, buf, cx)
            } else {
                R::NoMatch
            };
        }
        let window = &buf[offset as usize..depth as usize];
        let found = if (c.endswith && depth < len) || plen as usize > window.len() {
            None
        } else {
            c.pat.find(window)
        };
        let Some(pos) = found else {
            if c.negated {
                return next(items, i, buf, cx);
            }
            // An independent content that is absent can never match.
            return if c.relative { R::NoMatch } else { R::Stop };
        };
        let match_offset = offset + pos as u32 + plen;
        if c.negated {
            // Suricata compares the window length with the absolute end of the match.
            if c.endswith && (depth - offset) != match_offset {
                return next(items, i, buf, cx);
            }
            return if c.single() { R::Stop } else { R::NoMatch };
        }
        cx.buffer_offset = match_offset;
        if !c.endswith || match_offset == len {
            if i + 1 >= items.len() {
                return R::Match;
            }
            match run(items, i + 1, buf, cx) {
                R::Match => return R::Match,
                R::Stop => return R::Stop,
                R::NoMatch => {}
            }
            if !(c.within_next || c.distance_next) {
                return R::Stop;
            }
        }
        prev_offset = match_offset - (plen - 1);
    }
}

fn pcre(p: &PcreItem, items: &[Item], i: usize, buf: &[u8], cx: &mut Cx) -> R {
    let prev_buffer_offset = cx.buffer_offset;
    cx.pcre_start = 0;
    loop {
        match p.search(buf, cx.buffer_offset, cx.pcre_start) {
            PcreResult::NoMatch => return R::NoMatch,
            PcreResult::NegatedMatch => {
                if !p.relative_next {
                    return next(items, i, buf, cx);
                }
            }
            PcreResult::Match(s, e) => {
                cx.buffer_offset = e as u32;
                cx.pcre_start = s as u32 + 1;
                if !p.relative_next {
                    return next(items, i, buf, cx);
                }
            }
        }
        let prev = cx.pcre_start;
        match next(items, i, buf, cx) {
            R::Match => return R::Match,
            R::Stop => return R::Stop,
            R::NoMatch => {}
        }
        if prev == 0 {
            // Negated pcre: no other occurrence to try.
            return R::NoMatch;
        }
        cx.buffer_offset = prev_buffer_offset;
        cx.pcre_start = prev;
    }
}
