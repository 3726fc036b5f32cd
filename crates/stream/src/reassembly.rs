//! One direction of a TCP stream: segments stored by 64-bit stream offset.
//!
//! The TCP tracker ([`crate::tcp`]) unwraps sequence numbers into 64-bit stream offsets
//! (offset 0 = first byte after the ISN) and hands every data segment to
//! [`SegmentStore::insert`]. The store resolves overlaps with a target-based
//! [`OverlapPolicy`], keeps holes as holes ([`Chunk::Gap`]), charges its memory to a shared
//! [`MemBudget`], and gives the in-order bytes back through [`SegmentStore::read`].
//!
//! # Overlap policies (as Suricata 7 applies them)
//!
//! Suricata 7 keeps every received segment (its sequence number and length) in a tree and
//! the bytes once, in a streaming buffer. When a new segment overlaps stored segments, it
//! decides per stored segment, from the shape of the pair only, whether the new bytes
//! replace the stored ones in their common range; the bytes of the new segment that no
//! stored segment covers are always stored. We do the same: the *segment records*
//! (`start`, `end`) are kept beside the bytes, and the decision is
//! [`OverlapPolicy::new_wins`]. A byte covered by several stored segments takes the new
//! value only when every one of them lets the new segment win.
//!
//! `N` = new data wins, `o` = the stored (original) data is kept. Shapes of the new
//! segment relative to a stored one:
//!
//! | policy \ new segment starts ...                   | before, ends before | before, same end | before, ends after | same, ends before | same, same end | same, ends after | after, ends before | after, same end | after, ends after |
//! |---------------------------------------------------|---|---|---|---|---|---|---|---|---|
//! | first, vista                                      | o | o | o | o | o | o | o | o | o |
//! | last                                              | N | N | N | N | N | N | N | N | N |
//! | bsd, bsd-right, hpux10, irix, macos, windows, windows2k3 | N | N | N | o | o | o | o | o | o |
//! | linux                                             | N | N | N | o | o | N | o | o | o |
//! | old-linux                                         | N | N | N | o | N | N | o | o | o |
//! | solaris, old-solaris, hpux11                      | o | N | N | o | N | N | o | o | N |
//!
//! So in most shapes Suricata keeps the original data: a retransmission that starts inside
//! or at the start of stored data does not change it (except as listed), while one that
//! starts *before* stored data replaces it under the BSD family and both Linux policies.
//! Suricata maps `bsd-right` to `bsd` and `old-solaris` to `solaris` when it gives a
//! stream its host's policy; `vista` has no rule and keeps the original data like
//! `first`. `first` and `last` exist as policies but have no `host-os-policy` key in
//! Suricata. The default policy (no `host-os-policy` match) is `bsd`. This table was
//! checked against Suricata 7.0.10 (one generated flow per policy and shape, except
//! `first` and `last`), including which shapes raise overlap-different-data (all but the
//! exact duplicate).
//!
//! Differences from Suricata 7.0.10, on purpose:
//! - Suricata walks its segment tree from the new segment outwards and stops at the first
//!   stored segment that ends before the new one starts, so a long stored segment behind a
//!   short one is not consulted and its bytes are overwritten as if the policy were `last`.
//!   We consult every stored segment that overlaps (no overwrite through that gap).
//! - An exact duplicate (same offset, same length) with different bytes does not raise
//!   Suricata's overlap-different-data (the result of that one comparison is dropped).
//!   [`InsertOutcome::overlap_diff_data`] follows Suricata (set when differing bytes
//!   overlap a held segment other than the twin); [`InsertOutcome::duplicate_diff_data`]
//!   reports the duplicate case so the tracker may do more than Suricata.
//! - When Suricata is not told to check for different data, it assumes every overlap
//!   differs; we always compare (the bytes stored are the same either way).
//!
//! # Released data
//! [`SegmentStore::release_before`] frees everything below an offset; the segment records
//! that end there go too. A later segment that reaches below [`SegmentStore::base`] has
//! that part dropped; it counts as an overlap, and its bytes are compared with the
//! released bytes still in memory (the part of the released contiguous run that lies in
//! the block holding `base`). Bytes further back cannot be compared.
//!
//! # Memory layout and costs
//! - Bytes live in fixed blocks of [`BLOCK_SIZE`] bytes, addressed by `offset /
//!   BLOCK_SIZE`, kept in a sorted `VecDeque`. In-order data is copied into the last block;
//!   a new block is taken every `BLOCK_SIZE` bytes, from a one-block spare kept by the store
//!   (refilled by `release_before`) or the allocator. So there is no allocation per
//!   segment, and reading hands out slices of the blocks (no allocation, no copy).
//! - Which bytes are present is a sorted list of disjoint *regions* (`[start, end)` ranges,
//!   merged when they touch): one region for a stream without holes. Out-of-order data
//!   that touches no region opens a new one; their number is bounded by
//!   [`StoreLimits::max_regions`].
//! - Segment records (16 bytes each) sit in a sorted `VecDeque` (in-order data is a
//!   `push_back`); their number is bounded by [`StoreLimits::max_segments`]. At that limit
//!   an in-order segment that continues the last record is merged into it (its boundary is
//!   lost, its bytes are kept); any other new record is refused.
//! - The budget is charged `BLOCK_SIZE` per block held plus [`SEGMENT_OVERHEAD`] per segment
//!   record; the spare block (at most one per store) is not charged. A segment is stored
//!   whole or not at all: when its new blocks and record do not fit in the budget nothing
//!   is stored and [`InsertOutcome::memcap_hit`] is set (as Suricata drops the segment).
//!   [`SegmentStore::mem_used`] is exactly what the store holds charged. Not charged:
//!   the store itself, container slack (up to twice the peak number of records, regions
//!   and block handles), the spare block and a small scratch list.

mod policy;
#[cfg(test)]
mod tests;

pub use policy::{OverlapPolicy, ALL_POLICIES};

use std::collections::VecDeque;

/// Size of one data block.
pub const BLOCK_SIZE: usize = 4096;
const BLOCK: u64 = BLOCK_SIZE as u64;

/// Bytes charged to the budget per segment record held.
pub const SEGMENT_OVERHEAD: u64 = 16;

/// Scratch entries kept between inserts (more are freed after an insert that needed
/// them), so that uncharged memory stays small.
const SCRATCH_KEEP: usize = 64;

/// A memory budget shared by many stores (e.g. `stream.reassembly.memcap`).
#[derive(Clone, Debug, Default)]
pub struct MemBudget {
    pub used: u64,
    /// 0 means unlimited.
    pub cap: u64,
}

impl MemBudget {
    pub fn new(cap: u64) -> MemBudget {
        MemBudget { used: 0, cap }
    }
    /// Reserves `n` bytes; false (and nothing reserved) when it would exceed the cap.
    pub fn try_reserve(&mut self, n: u64) -> bool {
        if self.cap != 0 && self.used.saturating_add(n) > self.cap {
            return false;
        }
        self.used += n;
        true
    }
    pub fn release(&mut self, n: u64) {
        self.used = self.used.saturating_sub(n);
    }
}

/// What inserting one segment did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InsertOutcome {
    /// The segment overlapped data already stored (or already released).
    pub overlap: bool,
    /// ... and some overlapping bytes differed (Suricata's `stream.reassembly_overlap_different_data`).
    pub overlap_diff_data: bool,
    /// Some bytes could not be stored because the budget was exhausted. (A segment is
    /// stored whole or not at all: when this is set, nothing of it was stored, as Suricata
    /// drops the segment; `stream.reassembly_insert_memcap` / `tcp.segment_memcap_drop`.)
    pub memcap_hit: bool,
    /// New bytes actually stored.
    pub stored: u64,
    /// Nothing was stored because a [`StoreLimits`] bound was reached (too many
    /// out-of-order regions or segment records); Suricata's counterpart event is
    /// `stream.reassembly_insert_limit`.
    pub limit_hit: bool,
    /// The segment repeats a held segment exactly (same offset and length) with some
    /// different bytes. Suricata 7 raises no event for this case by itself, so it is
    /// reported apart from `overlap_diff_data` (which is set only when the differing
    /// bytes also overlap another held segment, or released data).
    pub duplicate_diff_data: bool,
}

/// A piece of in-order stream content.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk<'a> {
    Data(&'a [u8]),
    /// A hole of this many bytes (never invented data).
    Gap(u64),
}

/// Bounds on what one store holds, besides memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreLimits {
    /// Most disjoint data regions (one, plus one per hole that has data after it).
    pub max_regions: usize,
    /// Most segment records (see the module docs).
    pub max_segments: usize,
}

impl Default for StoreLimits {
    fn default() -> StoreLimits {
        StoreLimits {
            max_regions: 1024,
            max_segments: 65_535,
        }
    }
}

/// One received segment: its range in stream offsets. Ordered by start, then end (as
/// Suricata orders by sequence number, then length).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rec {
    start: u64,
    end: u64,
}

struct Block {
    /// `offset / BLOCK_SIZE` of its first byte.
    index: u64,
    data: Box<[u8]>,
}

/// The stored segments of one direction.
pub struct SegmentStore {
    /// Everything below was released.
    base: u64,
    /// Present bytes at or above `base`: sorted, disjoint, never touching.
    regions: Vec<(u64, u64)>,
    /// Segment records whose end is above `base`, sorted.
    recs: VecDeque<Rec>,
    /// Longest record ever held (bounds the backward scan for overlapping records).
    max_rec_len: u64,
    /// Data blocks, sorted by index.
    blocks: VecDeque<Block>,
    spare: Option<Box<[u8]>>,
    /// Released bytes known present and still in memory (`start >= end`: none).
    released_tail: (u64, u64),
    /// Bytes charged to the budget.
    charged: u64,
    limits: StoreLimits,
    /// Ranges kept from stored data during one insert (reused, not reallocated).
    scratch: Vec<(u64, u64)>,
    scratch_cover: Vec<(u64, u64)>,
    scratch_recs: Vec<Rec>,
}

impl std::fmt::Debug for SegmentStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SegmentStore")
            .field("base", &self.base)
            .field("regions", &self.regions)
            .field("segments", &self.recs.len())
            .field("blocks", &self.blocks.len())
            .field("charged", &self.charged)
            .field("limits", &self.limits)
            .finish()
    }
}

impl Default for SegmentStore {
    fn default() -> SegmentStore {
        SegmentStore::with_limits(StoreLimits::default())
    }
}

/// What to do with the record of the segment being inserted.
enum RecAction {
    /// Exact duplicate of a held record.
    Keep,
    Insert(usize),
    /// At the record limit: extend the last record (in-order continuation).
    ExtendLast,
}

impl SegmentStore {
    pub fn new() -> SegmentStore {
        SegmentStore::default()
    }

    /// A store with explicit bounds.
    pub fn with_limits(limits: StoreLimits) -> SegmentStore {
        SegmentStore {
            base: 0,
            regions: Vec::new(),
            recs: VecDeque::new(),
            max_rec_len: 0,
            blocks: VecDeque::new(),
            spare: None,
            released_tail: (0, 0),
            charged: 0,
            limits,
            scratch: Vec::new(),
            scratch_cover: Vec::new(),
            scratch_recs: Vec::new(),
        }
    }

    /// The bounds this store applies.
    pub fn limits(&self) -> StoreLimits {
        self.limits
    }

    /// Number of segment records held.
    pub fn segment_count(&self) -> usize {
        self.recs.len()
    }

    /// Number of disjoint data regions held (holes + 1 when data follows every hole).
    pub fn region_count(&self) -> usize {
        self.regions.len()
    }

    /// Inserts `data` at stream offset `offset`, resolving overlaps with `policy`.
    /// Bytes below [`SegmentStore::base`] (already released) are compared but not stored.
    ///
    /// A segment entirely below `base` only sets `overlap` (and `overlap_diff_data` when
    /// released bytes still in memory differ); Suricata raises
    /// `stream.reassembly_segment_before_base_seq` for it instead, and keeps a window of
    /// data behind its progress (when checking for different data) so that such overlaps
    /// are compared: the tracker decides how far back it releases. Bytes past `u64::MAX`
    /// are cut off. Never panics; costs O(log n) plus the bytes copied for in-order data.
    pub fn insert(
        &mut self,
        offset: u64,
        data: &[u8],
        policy: OverlapPolicy,
        mem: &mut MemBudget,
    ) -> InsertOutcome {
        let mut out = InsertOutcome::default();
        // Nothing can live past u64::MAX: cut what would.
        let room = u64::MAX - offset;
        let data = if data.len() as u64 > room {
            &data[..room as usize]
        } else {
            data
        };
        if data.is_empty() {
            return out;
        }
        let end = offset + data.len() as u64;

        // The part below base: released, compared where still in memory.
        if offset < self.base {
            out.overlap = true;
            let (tl, th) = self.released_tail;
            let lo = offset.max(tl);
            let hi = end.min(th).min(self.base);
            if lo < hi {
                let new = &data[(lo - offset) as usize..(hi - offset) as usize];
                if self.differs(lo, new) {
                    out.overlap_diff_data = true;
                }
            }
        }
        let s = offset.max(self.base);
        if s >= end {
            return out;
        }

        // Overlap with present data, and the ranges where the stored data stays.
        let rec = Rec { start: offset, end };
        let mut present = 0u64;
        let mut any_diff = false;
        let mut twin = false;
        let mut keep = std::mem::take(&mut self.scratch);
        keep.clear();
        let mut others = std::mem::take(&mut self.scratch_cover);
        others.clear();
        if s < self.end() {
            let first = self.regions.partition_point(|r| r.1 <= s);
            for &(rs, re) in &self.regions[first..] {
                if rs >= end {
                    break;
                }
                let lo = rs.max(s);
                let hi = re.min(end);
                present += hi - lo;
                out.overlap = true;
                if !any_diff
                    && self.differs(lo, &data[(lo - offset) as usize..(hi - offset) as usize])
                {
                    any_diff = true;
                }
            }
            if present > 0 {
                let upto = self.recs.partition_point(|r| r.start < end);
                for r in self.recs.range(..upto).rev() {
                    if r.start.saturating_add(self.max_rec_len) <= s {
                        break;
                    }
                    let lo = r.start.max(s);
                    let hi = r.end.min(end);
                    if lo >= hi {
                        continue;
                    }
                    if *r == rec {
                        twin = true;
                    } else {
                        others.push((lo, hi));
                    }
                    if !policy.new_wins(offset, end, r.start, r.end) {
                        keep.push((lo, hi));
                    }
                }
            }
        }

        // Suricata compares the new bytes per held segment but drops the result of the
        // comparison with an exact twin: differing bytes count only where another
        // segment covers them too.
        if any_diff {
            out.duplicate_diff_data = twin;
            if !twin || self.differs_on(&mut others, offset, data) {
                out.overlap_diff_data = true;
            }
        }
        others.clear();
        others.shrink_to(SCRATCH_KEEP);
        self.scratch_cover = others;

        // Bounds.
        let ri = self.regions.partition_point(|r| r.1 < s);
        let opens_region = ri == self.regions.len() || self.regions[ri].0 > end;
        if opens_region && self.regions.len() >= self.limits.max_regions {
            out.limit_hit = true;
            self.put_scratch(keep);
            return out;
        }
        let action = match self.recs.binary_search(&rec) {
            Ok(_) => RecAction::Keep,
            Err(i) if self.recs.len() < self.limits.max_segments => RecAction::Insert(i),
            Err(i) => {
                let continues = i == self.recs.len()
                    && present == 0
                    && self.recs.back().is_some_and(|l| l.end == offset);
                if continues {
                    RecAction::ExtendLast
                } else {
                    out.limit_hit = true;
                    self.put_scratch(keep);
                    return out;
                }
            }
        };

        // Memory: new blocks plus the record, all or nothing.
        let need = self.missing_blocks(s, end) * BLOCK
            + if matches!(action, RecAction::Insert(_)) {
                SEGMENT_OVERHEAD
            } else {
                0
            };
        if !mem.try_reserve(need) {
            out.memcap_hit = true;
            self.put_scratch(keep);
            return out;
        }
        self.charged += need;

        // Write the new bytes except where stored data stays.
        keep.sort_unstable();
        let mut cursor = s;
        for &(lo, hi) in &keep {
            if lo > cursor {
                self.write(
                    cursor,
                    &data[(cursor - offset) as usize..(lo - offset) as usize],
                );
            }
            cursor = cursor.max(hi);
        }
        if cursor < end {
            self.write(cursor, &data[(cursor - offset) as usize..]);
        }
        self.put_scratch(keep);

        self.add_region(s, end);
        match action {
            RecAction::Keep => {}
            RecAction::Insert(i) => {
                self.recs.insert(i, rec);
                self.max_rec_len = self.max_rec_len.max(end - offset);
            }
            RecAction::ExtendLast => {
                if let Some(last) = self.recs.back_mut() {
                    last.end = end;
                    self.max_rec_len = self.max_rec_len.max(last.end - last.start);
                }
            }
        }
        out.stored = (end - s) - present;
        out
    }

    /// Lowest offset still held (everything below was released).
    pub fn base(&self) -> u64 {
        self.base
    }

    /// End of the contiguous data starting at `from` (== `from` when none).
    pub fn contiguous_end(&self, from: u64) -> u64 {
        let i = self.regions.partition_point(|r| r.1 <= from);
        match self.regions.get(i) {
            Some(&(rs, re)) if rs <= from => re,
            _ => from,
        }
    }

    /// One past the highest stored byte.
    pub fn end(&self) -> u64 {
        self.regions.last().map_or(self.base, |r| r.1)
    }

    /// Walks `[from, until)` in order: stored bytes as `Data`, holes as `Gap`. Stops early
    /// at the end of the stored data (a trailing hole is not reported). Released bytes
    /// (below [`SegmentStore::base`]) are reported as a `Gap`.
    pub fn read(&self, from: u64, until: u64, f: &mut dyn FnMut(Chunk<'_>)) {
        let stop = until.min(self.end());
        let mut cur = from;
        if cur >= stop {
            return;
        }
        if cur < self.base {
            f(Chunk::Gap(self.base - cur));
            cur = self.base;
        }
        let first = self.regions.partition_point(|r| r.1 <= cur);
        for &(rs, re) in &self.regions[first..] {
            if rs >= stop {
                break;
            }
            if rs > cur {
                f(Chunk::Gap(rs - cur));
                cur = rs;
            }
            let hi = re.min(stop);
            self.emit(cur, hi, f);
            cur = hi;
        }
    }

    /// Frees everything below `offset`, returning the bytes to `mem`.
    pub fn release_before(&mut self, offset: u64, mem: &mut MemBudget) {
        if offset <= self.base {
            return;
        }
        // Released bytes that stay in memory: those in the block holding `offset`.
        let floor = offset - offset % BLOCK;
        let i = self.regions.partition_point(|r| r.0 < offset);
        let tail = match i.checked_sub(1).map(|j| self.regions[j]) {
            Some((rs, re)) => (rs.max(floor), re.min(offset)),
            None => (0, 0),
        };
        self.released_tail = if tail.0 < tail.1 {
            tail
        } else {
            (self.released_tail.0.max(floor), self.released_tail.1)
        };
        self.base = offset;

        // Regions.
        let gone = self.regions.partition_point(|r| r.1 <= offset);
        self.regions.drain(..gone);
        if let Some(r) = self.regions.first_mut() {
            r.0 = r.0.max(offset);
        }

        // Segment records ending at or below the new base.
        let below = self.recs.partition_point(|r| r.start < offset);
        let mut kept = std::mem::take(&mut self.scratch_recs);
        kept.clear();
        let mut freed = 0u64;
        for _ in 0..below {
            if let Some(r) = self.recs.pop_front() {
                if r.end > offset {
                    kept.push(r);
                } else {
                    freed += SEGMENT_OVERHEAD;
                }
            }
        }
        for r in kept.drain(..).rev() {
            self.recs.push_front(r);
        }
        kept.shrink_to(SCRATCH_KEEP);
        self.scratch_recs = kept;

        // Whole blocks below the new base.
        let first_kept = offset / BLOCK;
        while self.blocks.front().is_some_and(|b| b.index < first_kept) {
            if let Some(b) = self.blocks.pop_front() {
                freed += BLOCK;
                if self.spare.is_none() {
                    self.spare = Some(b.data);
                }
            }
        }
        self.uncharge(freed, mem);
    }

    /// Bytes currently held (what is charged to the budget).
    pub fn mem_used(&self) -> u64 {
        self.charged
    }

    /// Frees everything (flow end), returning the bytes to `mem`. The base moves to the
    /// old end: everything below it counts as released.
    pub fn clear(&mut self, mem: &mut MemBudget) {
        self.base = self.end();
        self.regions.clear();
        self.recs.clear();
        self.max_rec_len = 0;
        self.blocks.clear();
        self.spare = None;
        self.released_tail = (0, 0);
        let all = self.charged;
        self.uncharge(all, mem);
    }

    fn put_scratch(&mut self, mut keep: Vec<(u64, u64)>) {
        keep.clear();
        keep.shrink_to(SCRATCH_KEEP);
        self.scratch = keep;
    }

    fn uncharge(&mut self, n: u64, mem: &mut MemBudget) {
        let n = n.min(self.charged);
        self.charged -= n;
        mem.release(n);
    }

    /// Position of block `index` in `blocks`.
    fn find_block(&self, index: u64) -> Option<usize> {
        // In-order reads and writes are at the back.
        if let Some(last) = self.blocks.back() {
            if last.index == index {
                return Some(self.blocks.len() - 1);
            }
        }
        self.blocks.binary_search_by_key(&index, |b| b.index).ok()
    }

    /// How many blocks of `[start, end)` (non-empty) do not exist yet.
    fn missing_blocks(&self, start: u64, end: u64) -> u64 {
        let first = start / BLOCK;
        let last = (end - 1) / BLOCK;
        let i = self.blocks.partition_point(|b| b.index < first);
        let existing = self
            .blocks
            .range(i..)
            .take_while(|b| b.index <= last)
            .count() as u64;
        (last - first + 1) - existing
    }

    /// The writable bytes of block `index`, created when missing (already charged).
    fn block_mut(&mut self, index: u64) -> &mut [u8] {
        let pos = match self.blocks.back() {
            Some(last) if last.index == index => self.blocks.len() - 1,
            Some(last) if last.index < index => {
                let data = self.new_block();
                self.blocks.push_back(Block { index, data });
                self.blocks.len() - 1
            }
            None => {
                let data = self.new_block();
                self.blocks.push_back(Block { index, data });
                0
            }
            Some(_) => match self.blocks.binary_search_by_key(&index, |b| b.index) {
                Ok(i) => i,
                Err(i) => {
                    let data = self.new_block();
                    self.blocks.insert(i, Block { index, data });
                    i
                }
            },
        };
        &mut self.blocks[pos].data
    }

    fn new_block(&mut self) -> Box<[u8]> {
        self.spare
            .take()
            .unwrap_or_else(|| vec![0u8; BLOCK_SIZE].into_boxed_slice())
    }

    fn write(&mut self, mut at: u64, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let off = (at % BLOCK) as usize;
            let n = bytes.len().min(BLOCK_SIZE - off);
            let block = self.block_mut(at / BLOCK);
            block[off..off + n].copy_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
            at += n as u64;
        }
    }

    /// Whether `bytes` differ from the stored bytes at `at` (which must be present).
    fn differs(&self, mut at: u64, mut bytes: &[u8]) -> bool {
        while !bytes.is_empty() {
            let off = (at % BLOCK) as usize;
            let n = bytes.len().min(BLOCK_SIZE - off);
            match self.find_block(at / BLOCK) {
                Some(i) => {
                    if self.blocks[i].data[off..off + n] != bytes[..n] {
                        return true;
                    }
                }
                // Cannot happen for present bytes; treat as unknown, not different.
                None => return false,
            }
            bytes = &bytes[n..];
            at += n as u64;
        }
        false
    }

    /// Whether `data` (at `offset`) differs from the stored bytes anywhere in the union of
    /// `ranges` (present bytes, within the data). Sorts `ranges`.
    fn differs_on(&self, ranges: &mut [(u64, u64)], offset: u64, data: &[u8]) -> bool {
        ranges.sort_unstable();
        let mut done = 0u64;
        for &(lo, hi) in ranges.iter() {
            let lo = lo.max(done);
            if lo < hi {
                let new = &data[(lo - offset) as usize..(hi - offset) as usize];
                if self.differs(lo, new) {
                    return true;
                }
                done = hi;
            }
        }
        false
    }

    /// Hands `[lo, hi)` (present bytes) to `f`, one slice per block.
    fn emit(&self, mut lo: u64, hi: u64, f: &mut dyn FnMut(Chunk<'_>)) {
        let mut pos = self.blocks.partition_point(|b| b.index < lo / BLOCK);
        while lo < hi {
            let off = (lo % BLOCK) as usize;
            let n = (hi - lo).min(BLOCK - off as u64);
            match self.blocks.get(pos) {
                Some(b) if b.index == lo / BLOCK => {
                    f(Chunk::Data(&b.data[off..off + n as usize]));
                    pos += 1;
                }
                // Cannot happen for present bytes; never invent data.
                _ => f(Chunk::Gap(n)),
            }
            lo += n;
        }
    }

    /// Marks `[s, end)` present.
    fn add_region(&mut self, s: u64, end: u64) {
        if let Some(last) = self.regions.last_mut() {
            if last.1 == s {
                last.1 = end;
                return;
            }
        }
        let i = self.regions.partition_point(|r| r.1 < s);
        let j = self.regions.partition_point(|r| r.0 <= end);
        if i >= j {
            self.regions.insert(i, (s, end));
        } else {
            let lo = self.regions[i].0.min(s);
            let hi = self.regions[j - 1].1.max(end);
            self.regions[i] = (lo, hi);
            self.regions.drain(i + 1..j);
        }
    }
}
