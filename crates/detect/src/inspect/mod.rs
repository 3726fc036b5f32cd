//! Inspection of one buffer by one rule's match list.
//!
//! INTERFACE SKELETON — the contract between the buffer matcher and the engine.

use palisade_rules::{BufferMatches, Rule};

/// Most byte_extract/byte_math variables one rule may define.
pub const MAX_VARS: usize = 16;

/// One rule's matches for one buffer, compiled for fast repeated inspection.
#[derive(Debug)]
pub struct BufferProgram {}

/// Per-thread scratch for inspection (variables of the rule being inspected, recursion
/// bookkeeping). Created once per worker; inspection does not allocate.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Values of the rule's byte_extract/byte_math variables, by index.
    pub vars: [u64; MAX_VARS],
}

impl Scratch {
    /// Clears the variables before a new rule is inspected.
    pub fn reset(&mut self) {
        self.vars = [0; MAX_VARS];
    }
}

impl BufferProgram {
    /// Compiles the matches of `bm` (one buffer of `rule`).
    pub fn compile(rule: &Rule, bm: &BufferMatches) -> Result<BufferProgram, String> {
        let _ = (rule, bm);
        unimplemented!()
    }

    /// Whether `buf` satisfies every match of the program, with Suricata's semantics
    /// (relative chaining and backtracking included).
    pub fn matches(&self, buf: &[u8], scratch: &mut Scratch) -> bool {
        let _ = (buf, scratch);
        unimplemented!()
    }
}
