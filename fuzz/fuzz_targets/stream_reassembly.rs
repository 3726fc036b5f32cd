//! Drives one `SegmentStore` with a bounded sequence of (offset, data, policy, release)
//! operations decoded from arbitrary bytes, checking it against a byte-by-byte model:
//! the budget is never exceeded and matches what the store holds, reads return exactly
//! the model's bytes and holes, the overlap flags agree, everything is freed at the end.
//!
//! Input layout: byte 0 = mode (bit 0: tight limits, bits 1-2: memcap choice, bits 3-4:
//! origin choice), byte 1 = policy index; then operations, each starting with a tag byte:
//! tag % 8 == 7 releases up to the next u16, tag % 8 == 6 switches policy to the next byte,
//! anything else inserts `len` (next byte % 64 + 1) bytes at the next u16 (see `place`);
//! the bytes are the reference stream's, with `tag / 8 % 4` of them (next bytes give positions) set to b'X'.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_stream::reassembly::{
    Chunk, MemBudget, OverlapPolicy, SegmentStore, StoreLimits, ALL_POLICIES, BLOCK_SIZE,
};

const SPAN: usize = 4096 + 64;
const MAX_OPS: usize = 256;

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes([self.u8()?, self.u8()?]))
    }
}

/// An offset in the span from two input bytes, crowded where things happen: the first
/// 384 bytes (overlaps) or around the first block boundary.
fn place(v: u16) -> usize {
    if v & 0x8000 != 0 {
        BLOCK_SIZE - 128 + v as usize % 192
    } else {
        v as usize % 384
    }
}

/// The reference stream: byte at offset i (relative to the origin).
fn stream_byte(i: usize) -> u8 {
    b'a' + (i.wrapping_mul(7) % 5) as u8
}

struct Model {
    origin: u64,
    bytes: Vec<Option<u8>>,
    history: Vec<Option<u8>>,
    segs: Vec<(u64, u64)>,
    base: u64,
}

impl Model {
    fn idx(&self, at: u64) -> usize {
        (at - self.origin) as usize
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input(data);
    let (Some(mode), Some(p0)) = (inp.u8(), inp.u8()) else {
        return;
    };
    let tight = mode & 1 == 1;
    let cap = [
        0u64,
        3 * BLOCK_SIZE as u64 + 40,
        BLOCK_SIZE as u64 + 16,
        100,
    ][(mode >> 1 & 3) as usize];
    let origin = [
        0u64,
        u32::MAX as u64 - 1000,
        3 * u32::MAX as u64,
        u64::MAX - SPAN as u64,
    ][(mode >> 3 & 3) as usize];
    let limits = if tight {
        StoreLimits {
            max_regions: 3,
            max_segments: 5,
        }
    } else {
        StoreLimits::default()
    };
    let mut policy = ALL_POLICIES[p0 as usize % ALL_POLICIES.len()];
    let mut mem = MemBudget::new(cap);
    let mut st = SegmentStore::with_limits(limits);
    st.release_before(origin, &mut mem);
    let mut model = Model {
        origin,
        bytes: vec![None; SPAN],
        history: vec![None; SPAN],
        segs: Vec::new(),
        base: origin,
    };
    // With tight limits the store may merge segment records, so the policy shapes (and
    // thus the winning bytes) can differ from the model's: check presence only.
    let exact = !tight;

    for _ in 0..MAX_OPS {
        let Some(tag) = inp.u8() else { break };
        match tag % 8 {
            7 => {
                let Some(to) = inp.u16() else { break };
                let to = origin + place(to) as u64;
                st.release_before(to, &mut mem);
                if to > model.base {
                    for at in model.base..to {
                        let i = model.idx(at);
                        model.bytes[i] = None;
                    }
                    model.base = to;
                    model.segs.retain(|&(_, e)| e > to);
                }
            }
            6 => {
                let Some(p) = inp.u8() else { break };
                policy = ALL_POLICIES[p as usize % ALL_POLICIES.len()];
            }
            _ => {
                let (Some(len), Some(at)) = (inp.u8(), inp.u16()) else {
                    break;
                };
                let len = len as usize % 64 + 1;
                let start = place(at).min(SPAN - len);
                let mut seg: Vec<u8> = (start..start + len).map(stream_byte).collect();
                for _ in 0..(tag / 8 % 4) {
                    let Some(pos) = inp.u8() else { break };
                    let n = seg.len();
                    seg[pos as usize % n] = b'X';
                }
                check_insert(
                    &mut st,
                    &mut model,
                    &mut mem,
                    origin + start as u64,
                    &seg,
                    policy,
                    exact,
                );
            }
        }
        assert!(cap == 0 || mem.used <= cap, "budget exceeded");
        assert_eq!(mem.used, st.mem_used());
        assert_eq!(st.base(), model.base);
        check_read(&st, &model, exact);
    }
    st.clear(&mut mem);
    assert_eq!(mem.used, 0);
    assert_eq!(st.mem_used(), 0);
});

fn check_insert(
    st: &mut SegmentStore,
    model: &mut Model,
    mem: &mut MemBudget,
    off: u64,
    seg: &[u8],
    policy: OverlapPolicy,
    exact: bool,
) {
    let end = off + seg.len() as u64;
    let mut overlap = off < model.base;
    let mut diff = false;
    let mut diff_others = false;
    let twin = model.segs.contains(&(off, end));
    let mut diff_released = false;
    let mut new = 0u64;
    for (k, &b) in seg.iter().enumerate() {
        let at = off + k as u64;
        let i = model.idx(at);
        if at < model.base {
            diff_released |= model.history[i].is_some_and(|h| h != b);
        } else if let Some(old) = model.bytes[i] {
            overlap = true;
            if old != b {
                diff = true;
                diff_others |= model
                    .segs
                    .iter()
                    .any(|&(s, e)| (s, e) != (off, end) && s <= at && at < e);
            }
        } else {
            new += 1;
        }
    }
    let out = st.insert(off, seg, policy, mem);
    assert_eq!(out.overlap, overlap);
    if exact {
        // Suricata's flag: differing bytes under a segment other than an exact twin
        // (or released bytes that differ, when the store still has them).
        assert_eq!(
            out.overlap_diff_data,
            diff_others || (out.overlap_diff_data && diff_released)
        );
        assert_eq!(out.duplicate_diff_data, twin && diff);
    }
    // The default limits cannot be reached by MAX_OPS operations.
    assert!(!exact || !out.limit_hit);
    if out.memcap_hit || out.limit_hit {
        assert_eq!(out.stored, 0);
        return;
    }
    assert_eq!(out.stored, new);
    // Each byte's outcome depends only on its own old value and the held segments, so the
    // model is updated in place.
    for (k, &b) in seg.iter().enumerate() {
        let at = off + k as u64;
        if at < model.base {
            continue;
        }
        let i = model.idx(at);
        let wins = model
            .segs
            .iter()
            .filter(|&&(s, e)| s <= at && at < e)
            .all(|&(s, e)| policy.new_wins(off, end, s, e));
        if model.bytes[i].is_none() || wins {
            model.bytes[i] = Some(b);
        }
        model.history[i] = model.bytes[i];
    }
    if !model.segs.contains(&(off, end)) {
        model.segs.push((off, end));
    }
}

fn check_read(st: &SegmentStore, model: &Model, exact: bool) {
    let last = model
        .bytes
        .iter()
        .rposition(|b| b.is_some())
        .map_or(0, |p| p + 1);
    let want = &model.bytes[..last.max(model.idx(model.base))];
    // Walk the chunks against the model without building a copy.
    let mut pos = 0usize;
    st.read(model.origin, u64::MAX, &mut |c| match c {
        Chunk::Data(d) => {
            assert!(!d.is_empty());
            let w = &want[pos..pos + d.len()];
            for (g, w) in d.iter().zip(w) {
                assert!(w.is_some());
                if exact {
                    assert_eq!(Some(*g), *w);
                }
            }
            pos += d.len();
        }
        Chunk::Gap(n) => {
            assert!(n > 0 && n <= SPAN as u64);
            let n = n as usize;
            assert!(want[pos..pos + n].iter().all(|b| b.is_none()));
            pos += n;
        }
    });
    assert_eq!(pos, want.len());
    assert_eq!(st.end(), model.origin + want.len() as u64);
}
