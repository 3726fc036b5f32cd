//! Unit and property tests of the segment store.

use super::*;
use proptest::prelude::*;

/// Reads `[from, until)` and flattens it: `None` for gap bytes.
fn flat(store: &SegmentStore, from: u64, until: u64) -> Vec<Option<u8>> {
    let mut v = Vec::new();
    store.read(from, until, &mut |c| match c {
        Chunk::Data(d) => v.extend(d.iter().map(|&b| Some(b))),
        Chunk::Gap(n) => v.extend(std::iter::repeat_n(None, n as usize)),
    });
    v
}

fn text(v: &[Option<u8>]) -> String {
    v.iter().map(|b| b.map_or('_', |b| b as char)).collect()
}

fn unlimited() -> MemBudget {
    MemBudget::new(0)
}

// ---------------------------------------------------------------------------------------
// Policy table (from Suricata 7's overlap handling, written out independently of the code,
// and checked against Suricata 7.0.10 itself: one generated flow per policy and shape, the
// host mapped with `host-os-policy`, the reassembled stream read from a stream alert's
// payload; `first` and `last` have no `host-os-policy` key there and were not checked).

/// Shapes of a new segment against a stored one at [10, 20).
const SHAPES: [(&str, u64, u64); 9] = [
    ("before, ends before", 5, 15),
    ("before, same end", 5, 20),
    ("before, ends after", 5, 25),
    ("same, ends before", 10, 15),
    ("same, same end", 10, 20),
    ("same, ends after", 10, 25),
    ("after, ends before", 12, 18),
    ("after, same end", 12, 20),
    ("after, ends after", 15, 25),
];

/// Per policy: for each shape of `SHAPES`, N = new data wins, o = stored data kept.
const TABLE: [(&str, &str); 15] = [
    ("first", "ooooooooo"),
    ("last", "NNNNNNNNN"),
    ("bsd", "NNNoooooo"),
    ("bsd-right", "NNNoooooo"),
    ("old-linux", "NNNoNNooo"),
    ("linux", "NNNooNooo"),
    ("old-solaris", "oNNoNNooN"),
    ("solaris", "oNNoNNooN"),
    ("hpux10", "NNNoooooo"),
    ("hpux11", "oNNoNNooN"),
    ("irix", "NNNoooooo"),
    ("macos", "NNNoooooo"),
    ("vista", "ooooooooo"),
    ("windows", "NNNoooooo"),
    ("windows2k3", "NNNoooooo"),
];

#[test]
fn policy_names_round_trip() {
    for p in ALL_POLICIES {
        assert_eq!(OverlapPolicy::from_name(p.name()), Some(p));
    }
    assert_eq!(OverlapPolicy::from_name("BSD"), None);
    assert_eq!(OverlapPolicy::from_name("none"), None);
    assert_eq!(OverlapPolicy::default(), OverlapPolicy::Bsd);
    assert_eq!(TABLE.len(), ALL_POLICIES.len());
}

#[test]
fn policy_table_decisions() {
    for (name, row) in TABLE {
        let p = OverlapPolicy::from_name(name).unwrap();
        for ((shape, s, e), want) in SHAPES.iter().zip(row.chars()) {
            assert_eq!(
                p.new_wins(*s, *e, 10, 20),
                want == 'N',
                "policy {name}, new segment {shape}"
            );
        }
    }
}

/// The same table through the store: stored "o" bytes at [10, 20), then a new segment
/// of "n" bytes; the overlapped bytes must be all of one kind, the rest new.
#[test]
fn policy_table_through_the_store() {
    for (name, row) in TABLE {
        let p = OverlapPolicy::from_name(name).unwrap();
        for ((shape, s, e), want) in SHAPES.iter().zip(row.chars()) {
            let mut mem = unlimited();
            let mut st = SegmentStore::new();
            st.insert(10, &[b'o'; 10], p, &mut mem);
            let out = st.insert(*s, &vec![b'n'; (*e - *s) as usize], p, &mut mem);
            // Suricata raises overlap-different-data for every shape but the exact duplicate.
            let dup = (*s, *e) == (10, 20);
            assert!(out.overlap, "{name} {shape}");
            assert_eq!(out.overlap_diff_data, !dup, "{name} {shape}");
            assert_eq!(out.duplicate_diff_data, dup, "{name} {shape}");
            assert_eq!(out.stored, (10 - s.min(&10)) + (e.max(&20) - 20));
            let got = text(&flat(&st, 0, 100));
            let mut expect = String::new();
            for i in 0..(*s).max(20).max(*e) {
                let in_new = i >= *s && i < *e;
                let in_old = (10..20).contains(&i);
                expect.push(match (in_new, in_old) {
                    (true, true) if want == 'N' => 'n',
                    (true, true) => 'o',
                    (true, false) => 'n',
                    (false, true) => 'o',
                    (false, false) => '_',
                });
            }
            assert_eq!(got, expect, "policy {name}, new segment {shape}");
        }
    }
}

/// suricata-verify eve-overlap-payload-01 / -02-policy-oldlinux: "GOOD" then "EVIL" at the
/// same offset: bsd keeps GOOD, old-linux takes EVIL. eve-payload-04-partial-overlap:
/// "GOOD" then "XXX" one byte later keeps GOOD.
#[test]
fn suricata_verify_overlap_cases() {
    for (policy, want) in [
        (OverlapPolicy::Bsd, "GOOD"),
        (OverlapPolicy::Windows, "GOOD"),
        (OverlapPolicy::OldLinux, "EVIL"),
    ] {
        let mut mem = unlimited();
        let mut st = SegmentStore::new();
        st.insert(0, b"GOOD", policy, &mut mem);
        let out = st.insert(0, b"EVIL", policy, &mut mem);
        assert_eq!(
            out,
            InsertOutcome {
                overlap: true,
                duplicate_diff_data: true,
                ..Default::default()
            }
        );
        assert_eq!(text(&flat(&st, 0, 10)), want);
    }
    let mut mem = unlimited();
    let mut st = SegmentStore::new();
    st.insert(0, b"GOOD", OverlapPolicy::Bsd, &mut mem);
    st.insert(1, b"XXX", OverlapPolicy::Bsd, &mut mem);
    assert_eq!(text(&flat(&st, 0, 10)), "GOOD");
}

/// A byte covered by two stored segments takes the new value only when both allow it.
#[test]
fn every_overlapped_segment_is_consulted() {
    let mut mem = unlimited();
    let mut st = SegmentStore::new();
    let p = OverlapPolicy::Bsd;
    st.insert(0, b"AAAAAAAAAAAAAAAAAAAA", p, &mut mem); // [0, 20)
    st.insert(4, b"BBBB", p, &mut mem); // [4, 8): starts inside: kept A
    assert_eq!(text(&flat(&st, 0, 20)), "AAAAAAAAAAAAAAAAAAAA");
    // [10, 14) starts inside [0, 20): old kept, although the record just before it
    // ([4, 8)) ends earlier. (Suricata 7.0.10 stops its walk there and shows "CCCC":
    // a documented difference.)
    let out = st.insert(10, b"CCCC", p, &mut mem);
    assert!(out.overlap && out.overlap_diff_data);
    assert_eq!(text(&flat(&st, 0, 20)), "AAAAAAAAAAAAAAAAAAAA");
    // [2, 6) starts before [4, 8) (new wins there) but inside [0, 20) (old wins): old.
    st.insert(2, b"DDDD", p, &mut mem);
    assert_eq!(text(&flat(&st, 0, 20)), "AAAAAAAAAAAAAAAAAAAA");
}

#[test]
fn identical_overlap_is_not_different() {
    let mut mem = unlimited();
    let mut st = SegmentStore::new();
    st.insert(0, b"hello world", OverlapPolicy::Bsd, &mut mem);
    let out = st.insert(6, b"world!!", OverlapPolicy::Bsd, &mut mem);
    assert_eq!(
        out,
        InsertOutcome {
            overlap: true,
            stored: 2,
            ..Default::default()
        }
    );
    assert_eq!(text(&flat(&st, 0, 100)), "hello world!!");
}

// ---------------------------------------------------------------------------------------
// Gaps, reads, offsets.

#[test]
fn gaps_are_reported_never_filled() {
    let mut mem = unlimited();
    let mut st = SegmentStore::new();
    st.insert(0, b"VERY", OverlapPolicy::Bsd, &mut mem);
    let out = st.insert(8, b"DATA", OverlapPolicy::Bsd, &mut mem);
    assert_eq!(out.stored, 4);
    assert!(!out.overlap);
    let mut chunks = Vec::new();
    st.read(0, 100, &mut |c| {
        chunks.push(match c {
            Chunk::Data(d) => format!("D:{}", String::from_utf8_lossy(d)),
            Chunk::Gap(n) => format!("G:{n}"),
        })
    });
    assert_eq!(chunks, ["D:VERY", "G:4", "D:DATA"]);
    assert_eq!(st.contiguous_end(0), 4);
    assert_eq!(st.contiguous_end(4), 4);
    assert_eq!(st.contiguous_end(9), 12);
    assert_eq!(st.end(), 12);
    assert_eq!(st.region_count(), 2);
    // A leading hole is a gap; a trailing one is not reported.
    assert_eq!(text(&flat(&st, 2, 11)), "RY____DAT");
    let mut n = 0;
    st.read(12, 100, &mut |_| n += 1);
    assert_eq!(n, 0);
    // Filling the hole joins the regions.
    st.insert(4, b"GOOD", OverlapPolicy::Bsd, &mut mem);
    assert_eq!(st.region_count(), 1);
    assert_eq!(st.contiguous_end(0), 12);
    assert_eq!(text(&flat(&st, 0, 100)), "VERYGOODDATA");
}

#[test]
fn reads_cross_blocks_without_copying() {
    let mut mem = unlimited();
    let mut st = SegmentStore::new();
    let data: Vec<u8> = (0..3 * BLOCK_SIZE + 100).map(|i| (i % 251) as u8).collect();
    for (i, seg) in data.chunks(1460).enumerate() {
        let out = st.insert((i * 1460) as u64, seg, OverlapPolicy::Bsd, &mut mem);
        assert_eq!(out.stored, seg.len() as u64);
    }
    let mut pieces = 0;
    let mut got = Vec::new();
    st.read(10, data.len() as u64, &mut |c| {
        pieces += 1;
        match c {
            Chunk::Data(d) => got.extend_from_slice(d),
            Chunk::Gap(_) => panic!("unexpected gap"),
        }
    });
    assert_eq!(got, &data[10..]);
    assert_eq!(pieces, 4); // one slice per block
    assert_eq!(
        st.mem_used(),
        4 * BLOCK + st.segment_count() as u64 * SEGMENT_OVERHEAD
    );
    assert_eq!(mem.used, st.mem_used());
}

#[test]
fn large_offsets_just_work() {
    for k in [1u64, 2, 7, 1 << 20] {
        let base = u32::MAX as u64 * k - 3;
        let mut mem = unlimited();
        let mut st = SegmentStore::new();
        st.release_before(base, &mut mem);
        assert_eq!(st.base(), base);
        st.insert(base, b"abcdef", OverlapPolicy::Bsd, &mut mem);
        st.insert(base + 10, b"xyz", OverlapPolicy::Bsd, &mut mem);
        st.insert(base + 4, b"EFGHIJ", OverlapPolicy::Bsd, &mut mem);
        assert_eq!(text(&flat(&st, base, base + 100)), "abcdefGHIJxyz");
        assert_eq!(st.contiguous_end(base), base + 13);
        st.release_before(base + 5, &mut mem);
        assert_eq!(text(&flat(&st, base + 5, base + 100)), "fGHIJxyz");
    }
    // The very top of the offset space.
    let mut mem = unlimited();
    let mut st = SegmentStore::new();
    st.release_before(u64::MAX - 4, &mut mem);
    let out = st.insert(u64::MAX - 4, b"0123456789", OverlapPolicy::Bsd, &mut mem);
    assert_eq!(out.stored, 4);
    assert_eq!(st.end(), u64::MAX);
    assert_eq!(text(&flat(&st, u64::MAX - 4, u64::MAX)), "0123");
    st.release_before(u64::MAX, &mut mem);
    assert_eq!(mem.used, st.mem_used());
}

// ---------------------------------------------------------------------------------------
// Release and memory.

#[test]
fn release_frees_whole_blocks_and_records() {
    let mut mem = MemBudget::new(1 << 20);
    let mut st = SegmentStore::new();
    let data = vec![7u8; 3 * BLOCK_SIZE];
    for (i, seg) in data.chunks(1000).enumerate() {
        st.insert((i * 1000) as u64, seg, OverlapPolicy::Bsd, &mut mem);
    }
    let segs = st.segment_count() as u64;
    assert_eq!(segs, 13);
    assert_eq!(mem.used, 3 * BLOCK + segs * SEGMENT_OVERHEAD);
    // Inside block 1: block 0 goes, records ending at or below 5000 go ([0,1000) .. [4000,5000)).
    st.release_before(BLOCK + 904, &mut mem);
    assert_eq!(st.base(), BLOCK + 904);
    assert_eq!(st.segment_count(), 8);
    assert_eq!(mem.used, 2 * BLOCK + 8 * SEGMENT_OVERHEAD);
    assert_eq!(mem.used, st.mem_used());
    assert_eq!(
        flat(&st, BLOCK + 904, u64::MAX).len(),
        3 * BLOCK_SIZE - BLOCK_SIZE - 904
    );
    // Reading from below base: the released part is a gap.
    assert_eq!(
        flat(&st, BLOCK, BLOCK + 905),
        [vec![None; 904], vec![Some(7)]].concat()
    );
    // Releasing backwards does nothing.
    st.release_before(10, &mut mem);
    assert_eq!(st.base(), BLOCK + 904);
    // Everything.
    st.release_before(10 * BLOCK, &mut mem);
    assert_eq!(st.mem_used(), 0);
    assert_eq!(mem.used, 0);
    assert_eq!(st.end(), 10 * BLOCK);
    // The spare block is reused: still nothing leaks into the budget.
    st.insert(10 * BLOCK, b"again", OverlapPolicy::Bsd, &mut mem);
    assert_eq!(mem.used, BLOCK + SEGMENT_OVERHEAD);
    st.clear(&mut mem);
    assert_eq!(mem.used, 0);
    assert_eq!(st.base(), 10 * BLOCK + 5);
}

#[test]
fn released_bytes_are_compared_when_still_in_memory() {
    let mut mem = unlimited();
    let mut st = SegmentStore::new();
    st.insert(0, b"0123456789", OverlapPolicy::Bsd, &mut mem);
    st.release_before(8, &mut mem);
    // Same bytes below base: overlap, no difference.
    let out = st.insert(2, b"234567", OverlapPolicy::Bsd, &mut mem);
    assert_eq!(
        out,
        InsertOutcome {
            overlap: true,
            ..Default::default()
        }
    );
    // Different bytes below base: flagged, not stored.
    let out = st.insert(2, b"23X567", OverlapPolicy::Last, &mut mem);
    assert!(out.overlap && out.overlap_diff_data);
    assert_eq!(out.stored, 0);
    // Straddling base: the part above is handled as usual.
    let out = st.insert(6, b"67ab", OverlapPolicy::Last, &mut mem);
    assert!(out.overlap && out.overlap_diff_data);
    assert_eq!(text(&flat(&st, 8, 100)), "ab");
    // Once the block is gone the bytes cannot be compared: only the overlap is flagged.
    st.release_before(2 * BLOCK, &mut mem);
    let out = st.insert(0, b"zzzz", OverlapPolicy::Bsd, &mut mem);
    assert_eq!(
        out,
        InsertOutcome {
            overlap: true,
            ..Default::default()
        }
    );
}

#[test]
fn memcap_stores_nothing_and_never_exceeds() {
    // Room for one block and a few records.
    let cap = BLOCK + 3 * SEGMENT_OVERHEAD;
    let mut mem = MemBudget::new(cap);
    let mut st = SegmentStore::new();
    let out = st.insert(0, &[1u8; 100], OverlapPolicy::Bsd, &mut mem);
    assert_eq!(out.stored, 100);
    // Second block does not fit.
    let out = st.insert(BLOCK - 10, &[2u8; 20], OverlapPolicy::Bsd, &mut mem);
    assert_eq!(
        out,
        InsertOutcome {
            memcap_hit: true,
            ..Default::default()
        }
    );
    assert_eq!(st.end(), 100);
    // Same block still fits (a record).
    let out = st.insert(100, &[3u8; 100], OverlapPolicy::Bsd, &mut mem);
    assert_eq!(out.stored, 100);
    assert!(mem.used <= cap);
    // Out of records: a third record fits, a fourth does not.
    assert!(
        !st.insert(200, &[4u8; 1], OverlapPolicy::Bsd, &mut mem)
            .memcap_hit
    );
    let out = st.insert(201, &[5u8; 1], OverlapPolicy::Bsd, &mut mem);
    assert!(out.memcap_hit);
    assert_eq!(out.stored, 0);
    assert_eq!(mem.used, cap);
    assert_eq!(mem.used, st.mem_used());
    // An exact duplicate needs no memory.
    let out = st.insert(200, &[9u8; 1], OverlapPolicy::Last, &mut mem);
    assert!(!out.memcap_hit && out.duplicate_diff_data && !out.overlap_diff_data);
    assert_eq!(flat(&st, 200, 201), [Some(9)]);
    // A shared budget: another store gets nothing either.
    let mut other = SegmentStore::new();
    assert!(
        other
            .insert(0, b"x", OverlapPolicy::Bsd, &mut mem)
            .memcap_hit
    );
    assert_eq!(other.mem_used(), 0);
    st.clear(&mut mem);
    assert_eq!(mem.used, 0);
}

#[test]
fn region_limit() {
    let mut mem = unlimited();
    let mut st = SegmentStore::with_limits(StoreLimits {
        max_regions: 3,
        max_segments: 100,
    });
    for i in 0..3 {
        assert!(
            !st.insert(i * 10, b"ab", OverlapPolicy::Bsd, &mut mem)
                .limit_hit
        );
    }
    let out = st.insert(100, b"cd", OverlapPolicy::Bsd, &mut mem);
    assert!(out.limit_hit);
    assert_eq!(out.stored, 0);
    // Data touching a region is still accepted, and may join regions.
    assert!(!st.insert(2, b"xy", OverlapPolicy::Bsd, &mut mem).limit_hit);
    assert_eq!(
        st.insert(4, b"......", OverlapPolicy::Bsd, &mut mem).stored,
        6
    );
    assert_eq!(st.region_count(), 2);
    assert!(
        !st.insert(100, b"cd", OverlapPolicy::Bsd, &mut mem)
            .limit_hit
    );
    assert_eq!(mem.used, st.mem_used());
}

#[test]
fn segment_limit_merges_in_order_data() {
    let mut mem = unlimited();
    let mut st = SegmentStore::with_limits(StoreLimits {
        max_regions: 100,
        max_segments: 4,
    });
    for i in 0..10u64 {
        let out = st.insert(i * 3, b"abc", OverlapPolicy::Bsd, &mut mem);
        assert!(!out.limit_hit, "in-order segment {i}");
        assert_eq!(out.stored, 3);
    }
    assert_eq!(st.segment_count(), 4);
    // Out of order: refused.
    let out = st.insert(40, b"zz", OverlapPolicy::Bsd, &mut mem);
    assert!(out.limit_hit);
    // Overlapping retransmission with a new shape: refused too (nothing changes).
    let out = st.insert(1, b"ZZ", OverlapPolicy::Last, &mut mem);
    assert!(out.limit_hit && out.overlap && out.overlap_diff_data);
    assert_eq!(text(&flat(&st, 0, 6)), "abcabc");
    assert_eq!(mem.used, 4 * SEGMENT_OVERHEAD + BLOCK);
}

// ---------------------------------------------------------------------------------------
// Property tests against a byte-by-byte reference model.

/// Deliberately simple: one `Option<u8>` per offset, the list of segments held, and the
/// policy rule applied to each byte against every held segment covering it.
struct Model {
    origin: u64,
    bytes: Vec<Option<u8>>,
    /// Every byte ever stored (for what may be compared after release).
    history: Vec<Option<u8>>,
    segs: Vec<(u64, u64)>,
    base: u64,
}

struct ModelOutcome {
    overlap: bool,
    /// Some present byte (at or above base) differs.
    diff: bool,
    /// ... and is covered by a held segment other than an exact twin of the new one.
    diff_others: bool,
    /// A held segment has the same offset and length.
    twin: bool,
    /// Some released byte that was once stored differs (the store may or may not see it).
    diff_released: bool,
    stored: u64,
}

impl Model {
    fn new(origin: u64, len: usize) -> Model {
        Model {
            origin,
            bytes: vec![None; len],
            history: vec![None; len],
            segs: Vec::new(),
            base: origin,
        }
    }
    fn i(&self, off: u64) -> usize {
        (off - self.origin) as usize
    }
    fn probe(&self, off: u64, data: &[u8]) -> ModelOutcome {
        let end = off + data.len() as u64;
        let mut o = ModelOutcome {
            overlap: off < self.base,
            diff: false,
            diff_others: false,
            twin: self.segs.contains(&(off, end)),
            diff_released: false,
            stored: 0,
        };
        for (k, &b) in data.iter().enumerate() {
            let at = off + k as u64;
            if at < self.base {
                if self.history[self.i(at)].is_some_and(|h| h != b) {
                    o.diff_released = true;
                }
                continue;
            }
            match self.bytes[self.i(at)] {
                Some(old) => {
                    o.overlap = true;
                    if old != b {
                        o.diff = true;
                        o.diff_others |= self
                            .segs
                            .iter()
                            .any(|&(s, e)| (s, e) != (off, end) && s <= at && at < e);
                    }
                }
                None => o.stored += 1,
            }
        }
        o
    }
    fn store(&mut self, off: u64, data: &[u8], policy: OverlapPolicy) {
        let end = off + data.len() as u64;
        let mut next = self.bytes.clone();
        for (k, &b) in data.iter().enumerate() {
            let at = off + k as u64;
            if at < self.base {
                continue;
            }
            let i = self.i(at);
            let wins = self
                .segs
                .iter()
                .filter(|&&(s, e)| s <= at && at < e)
                .all(|&(s, e)| policy.new_wins(off, end, s, e));
            if self.bytes[i].is_none() || wins {
                next[i] = Some(b);
            }
        }
        self.bytes = next;
        for (i, b) in self.bytes.iter().enumerate() {
            if b.is_some() {
                self.history[i] = *b;
            }
        }
        if !self.segs.contains(&(off, end)) {
            self.segs.push((off, end));
        }
    }
    fn release(&mut self, to: u64) {
        if to <= self.base {
            return;
        }
        for at in self.base..to {
            let i = self.i(at);
            self.bytes[i] = None;
        }
        self.base = to;
        self.segs.retain(|&(_, e)| e > to);
    }
    /// What `read(origin, ..)` should produce.
    fn expected(&self) -> Vec<Option<u8>> {
        let end = self
            .bytes
            .iter()
            .rposition(|b| b.is_some())
            .map_or(0, |p| p + 1);
        let end = end.max(self.i(self.base));
        self.bytes[..end].to_vec()
    }
}

#[derive(Clone, Debug)]
enum Op {
    /// Insert stream[start..start+len], with the bytes at `flip` positions changed.
    Insert {
        start: usize,
        len: usize,
        flip: Vec<usize>,
    },
    Release(usize),
}

fn op_strategy(stream_len: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0..stream_len, 1..48usize, prop::collection::vec(0..48usize, 0..3)).prop_map(
            move |(start, len, flip)| Op::Insert {
                start,
                len: len.min(stream_len - start),
                flip,
            }
        ),
        1 => (0..stream_len).prop_map(Op::Release),
    ]
}

fn case_strategy() -> impl Strategy<Value = (Vec<u8>, Vec<Op>, usize, u64)> {
    (8..300usize)
        .prop_flat_map(|n| {
            (
                prop::collection::vec(b'a'..b'e', n),
                prop::collection::vec(op_strategy(n), 1..40),
                0..ALL_POLICIES.len(),
                prop_oneof![
                    Just(0u64),
                    Just(u32::MAX as u64 - 100),
                    Just(5 * u32::MAX as u64)
                ],
            )
        })
        .prop_map(|(s, ops, p, origin)| (s, ops, p, origin))
}

fn run_case(stream: &[u8], ops: &[Op], policy: OverlapPolicy, origin: u64, cap: u64) {
    let mut mem = MemBudget::new(cap);
    let mut st = SegmentStore::new();
    st.release_before(origin, &mut mem);
    let mut model = Model::new(origin, stream.len());
    for op in ops {
        match op {
            Op::Insert { start, len, flip } => {
                let mut data = stream[*start..*start + *len].to_vec();
                for &f in flip {
                    if let Some(b) = data.get_mut(f) {
                        *b = b'X';
                    }
                }
                let off = origin + *start as u64;
                let expect = model.probe(off, &data);
                let out = st.insert(off, &data, policy, &mut mem);
                assert_eq!(out.overlap, expect.overlap, "{op:?}");
                if expect.diff_others {
                    assert!(out.overlap_diff_data, "{op:?}");
                }
                if out.overlap_diff_data && !expect.diff_others {
                    assert!(expect.diff_released, "{op:?}");
                }
                assert_eq!(
                    out.duplicate_diff_data,
                    expect.twin && expect.diff,
                    "{op:?}"
                );
                assert!(!out.limit_hit);
                if out.memcap_hit {
                    assert_eq!(out.stored, 0);
                } else {
                    assert_eq!(out.stored, expect.stored, "{op:?}");
                    model.store(off, &data, policy);
                }
            }
            Op::Release(to) => {
                let to = origin + *to as u64;
                st.release_before(to, &mut mem);
                model.release(to);
            }
        }
        assert!(cap == 0 || mem.used <= cap);
        assert_eq!(mem.used, st.mem_used());
        assert_eq!(st.base(), model.base);
        let got = flat(&st, origin, u64::MAX);
        let want = model.expected();
        assert_eq!(text(&got), text(&want), "after {op:?}");
        // Contiguity agrees with the model.
        let mut ce = model.base;
        while model.bytes.get(model.i(ce)).is_some_and(|b| b.is_some()) {
            ce += 1;
        }
        assert_eq!(st.contiguous_end(model.base), ce);
    }
    st.clear(&mut mem);
    assert_eq!(mem.used, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn store_matches_model((stream, ops, p, origin) in case_strategy()) {
        run_case(&stream, &ops, ALL_POLICIES[p], origin, 0);
    }

    #[test]
    fn store_matches_model_under_memcap(
        (stream, ops, p, origin) in case_strategy(),
        cap in 1u64..(3 * BLOCK),
    ) {
        run_case(&stream, &ops, ALL_POLICIES[p], origin, cap);
    }

    /// A stream cut into random segments, permuted, with duplicates: reads back whole.
    #[test]
    fn permuted_segments_read_back(
        stream in prop::collection::vec(any::<u8>(), 1..5000),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..60),
        order in any::<prop::sample::Index>(),
        dups in prop::collection::vec(any::<prop::sample::Index>(), 0..10),
        p in 0..ALL_POLICIES.len(),
    ) {
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c.index(stream.len())).collect();
        bounds.push(0);
        bounds.push(stream.len());
        bounds.sort_unstable();
        bounds.dedup();
        let mut segs: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
        for d in &dups {
            let s = segs[d.index(segs.len())];
            segs.push(s);
        }
        // A rotation plus a reversal of the tail: a cheap, reproducible permutation.
        let k = order.index(segs.len());
        segs.rotate_left(k);
        let half = segs.len() / 2;
        segs[half..].reverse();
        let mut mem = unlimited();
        let mut st = SegmentStore::new();
        let mut stored = 0;
        for &(a, b) in &segs {
            let out = st.insert(a as u64, &stream[a..b], ALL_POLICIES[p], &mut mem);
            prop_assert!(!out.overlap_diff_data);
            stored += out.stored;
        }
        prop_assert_eq!(stored, stream.len() as u64);
        let got: Vec<u8> = flat(&st, 0, u64::MAX).into_iter().map(|b| b.unwrap()).collect();
        prop_assert_eq!(got, stream);
        prop_assert_eq!(st.region_count(), 1);
    }
}
