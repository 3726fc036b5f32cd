//! One direction of a TCP stream: segments stored by 64-bit stream offset.
//!
//! INTERFACE SKELETON — the bodies are being written; the signatures are the contract
//! between this module and [`crate::tcp`].

/// Target-based overlap policy (`host-os-policy` / `stream.reassembly` names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum OverlapPolicy {
    First,
    Last,
    #[default]
    Bsd,
    BsdRight,
    OldLinux,
    Linux,
    OldSolaris,
    Solaris,
    Hpux10,
    Hpux11,
    Irix,
    MacOs,
    Vista,
    Windows,
    Windows2k3,
}

impl OverlapPolicy {
    /// Parses a `host-os-policy` key (`bsd`, `bsd-right`, `old-linux`, ...).
    pub fn from_name(name: &str) -> Option<OverlapPolicy> {
        let _ = name;
        unimplemented!()
    }
}

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
    /// Some bytes could not be stored because the budget was exhausted.
    pub memcap_hit: bool,
    /// New bytes actually stored.
    pub stored: u64,
}

/// A piece of in-order stream content.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk<'a> {
    Data(&'a [u8]),
    /// A hole of this many bytes (never invented data).
    Gap(u64),
}

/// The stored segments of one direction.
#[derive(Debug, Default)]
pub struct SegmentStore {}

impl SegmentStore {
    pub fn new() -> SegmentStore {
        SegmentStore {}
    }

    /// Inserts `data` at stream offset `offset`, resolving overlaps with `policy`.
    /// Bytes below [`SegmentStore::base`] (already released) are compared but not stored.
    pub fn insert(
        &mut self,
        offset: u64,
        data: &[u8],
        policy: OverlapPolicy,
        mem: &mut MemBudget,
    ) -> InsertOutcome {
        let _ = (offset, data, policy, mem);
        unimplemented!()
    }

    /// Lowest offset still held (everything below was released).
    pub fn base(&self) -> u64 {
        unimplemented!()
    }

    /// End of the contiguous data starting at `from` (== `from` when none).
    pub fn contiguous_end(&self, from: u64) -> u64 {
        let _ = from;
        unimplemented!()
    }

    /// One past the highest stored byte.
    pub fn end(&self) -> u64 {
        unimplemented!()
    }

    /// Walks `[from, until)` in order: stored bytes as `Data`, holes as `Gap`. Stops early
    /// at the end of the stored data (a trailing hole is not reported).
    pub fn read(&self, from: u64, until: u64, f: &mut dyn FnMut(Chunk<'_>)) {
        let _ = (from, until, f);
        unimplemented!()
    }

    /// Frees everything below `offset`, returning the bytes to `mem`.
    pub fn release_before(&mut self, offset: u64, mem: &mut MemBudget) {
        let _ = (offset, mem);
        unimplemented!()
    }

    /// Bytes currently held (what is charged to the budget).
    pub fn mem_used(&self) -> u64 {
        unimplemented!()
    }

    /// Frees everything (flow end), returning the bytes to `mem`.
    pub fn clear(&mut self, mem: &mut MemBudget) {
        let _ = mem;
        unimplemented!()
    }
}
