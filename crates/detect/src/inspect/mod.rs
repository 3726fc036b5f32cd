//! Inspection of one buffer by one rule's match list, with Suricata 7.0.10's semantics
//! (detect-engine-content-inspection): contents with their modifiers, relative chaining
//! and backtracking, pcre, isdataat, bsize, urilen, byte_test/jump/extract/math,
//! base64_decode + base64_data, and the transforms of the buffer.
//!
//! Usage: compile each [`BufferMatches`] of a rule once ([`BufferProgram::compile`]),
//! then per buffer call [`BufferProgram::matches`] with a per-thread [`Scratch`]
//! (reset it with [`Scratch::reset`] before the first buffer of each rule: byte_extract
//! and byte_math variables are shared by all the buffers of the rule).

mod bytes;
mod compile;
mod exec;
mod pcre;
mod search;
mod transform;

#[cfg(test)]
mod tests;

use palisade_rules::{BufferMatches, Rule};

pub use transform::TransformScratch;

/// Most byte_extract/byte_math variables one rule may define.
pub const MAX_VARS: usize = 16;

/// Suricata's `detect.inspection-recursion-limit` default.
pub const DEFAULT_RECURSION_LIMIT: u32 = 3000;
/// Suricata's `pcre.match-limit` default.
pub const DEFAULT_PCRE_MATCH_LIMIT: u32 = 3500;
/// Suricata's `pcre.match-limit-recursion` default.
pub const DEFAULT_PCRE_MATCH_LIMIT_RECURSION: u32 = 1500;

/// Engine settings that change inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectConfig {
    /// `detect.inspection-recursion-limit`: most keyword evaluations (backtracking
    /// included) per buffer inspection; reaching it fails the inspection.
    pub recursion_limit: u32,
    /// `pcre.match-limit` (pcre without the `O` flag).
    pub pcre_match_limit: u32,
    /// `pcre.match-limit-recursion` (pcre without the `O` flag).
    pub pcre_match_limit_recursion: u32,
}

impl Default for InspectConfig {
    fn default() -> Self {
        InspectConfig {
            recursion_limit: DEFAULT_RECURSION_LIMIT,
            pcre_match_limit: DEFAULT_PCRE_MATCH_LIMIT,
            pcre_match_limit_recursion: DEFAULT_PCRE_MATCH_LIMIT_RECURSION,
        }
    }
}

/// One rule's matches for one buffer, compiled for fast repeated inspection.
#[derive(Debug)]
pub struct BufferProgram {
    buffer: &'static str,
    transforms: Vec<transform::Transform>,
    items: Vec<compile::Item>,
    recursion_limit: u32,
    /// `base64_data` lists are inspected by the `base64_decode` of another list of the
    /// rule; on their own they always match.
    inline_only: bool,
}

/// Per-thread scratch for inspection (variables of the rule being inspected, recursion
/// bookkeeping, transform and base64 buffers). Created once per worker; after warm-up,
/// inspection does not allocate.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Values of the rule's byte_extract/byte_math variables, by index.
    pub vars: [u64; MAX_VARS],
    /// Data representation of the DCE/RPC PDU being inspected, for the `dce` option of
    /// byte_test/byte_jump/byte_extract/byte_math: `Some(true)` little endian,
    /// `Some(false)` big endian, `None` not DCE/RPC (then `dce` means big endian, as in
    /// Suricata).
    pub dce_little_endian: Option<bool>,
    /// Set when the last inspection stopped at the recursion limit.
    pub recursion_limit_hit: bool,
    /// Buffers for transforms.
    pub xf: TransformScratch,
    /// Buffer for base64_decode output.
    b64: Vec<u8>,
}

impl Scratch {
    /// Clears the variables before a new rule is inspected.
    pub fn reset(&mut self) {
        self.vars = [0; MAX_VARS];
        self.recursion_limit_hit = false;
    }
}

impl BufferProgram {
    /// Compiles the matches of `bm` (one buffer of `rule`) with default settings.
    pub fn compile(rule: &Rule, bm: &BufferMatches) -> Result<BufferProgram, String> {
        Self::compile_with(rule, bm, &InspectConfig::default())
    }

    /// Compiles the matches of `bm` (one buffer of `rule`). The error names the keyword
    /// that is not supported.
    pub fn compile_with(
        rule: &Rule,
        bm: &BufferMatches,
        cfg: &InspectConfig,
    ) -> Result<BufferProgram, String> {
        compile::compile(rule, bm, cfg)
    }

    /// Buffer name the program inspects (`payload`, `http.uri`, ...).
    pub fn buffer(&self) -> &'static str {
        self.buffer
    }

    /// Whether the buffer is transformed before inspection.
    pub fn has_transforms(&self) -> bool {
        !self.transforms.is_empty()
    }

    /// Whether the program is a `base64_data` list: inspected inside the rule's
    /// `base64_decode`, so the engine need not fetch a buffer for it (it always matches).
    pub fn is_inline_only(&self) -> bool {
        self.inline_only
    }

    /// Applies the buffer's transforms to `buf`; returns `buf` itself when there are none.
    pub fn transform<'b>(&self, buf: &'b [u8], xf: &'b mut TransformScratch) -> &'b [u8] {
        transform::apply(&self.transforms, buf, xf)
    }

    /// Whether `buf` (the raw buffer: transforms are applied here) satisfies every match
    /// of the program, with Suricata's semantics (relative chaining and backtracking
    /// included).
    pub fn matches(&self, buf: &[u8], scratch: &mut Scratch) -> bool {
        if self.inline_only {
            return true;
        }
        if self.transforms.is_empty() {
            return self.inspect(buf, scratch);
        }
        let mut xf = std::mem::take(&mut scratch.xf);
        let data = transform::apply(&self.transforms, buf, &mut xf);
        let r = self.inspect(data, scratch);
        scratch.xf = xf;
        r
    }

    /// Like [`BufferProgram::matches`] for a buffer the caller already transformed
    /// (see [`BufferProgram::transform`]).
    pub fn inspect(&self, buf: &[u8], scratch: &mut Scratch) -> bool {
        if self.inline_only {
            return true;
        }
        exec::inspect(self, buf, scratch)
    }
}
