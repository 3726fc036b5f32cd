//! The detection engine: rules compiled into signature groups, a multi-pattern
//! prefilter, and verification of each candidate rule against a packet or stream.
//!
//! - [`DetectEngine::build`] compiles parsed rules ([`palisade_rules::Rule`]): rule types
//!   (ip-only, decoder-event, packet, packet+stream, app-layer), Suricata's rule order
//!   (action, flowbits, flowint, xbits, priority), groups per IP protocol and port, a fast
//!   pattern per rule (Suricata's selection) and one Aho-Corasick prefilter per group.
//! - [`Detector`] (one per thread) inspects a [`PacketView`] and appends [`Alert`]s in
//!   Suricata's order, with thresholds, suppressions, pass and `packet_alert_max`.
//! - [`FlowDetectState`]: what detection keeps per flow (flowbits, flowints, flow
//!   pass/drop, ip-only progress).
//! - [`inspect`]: matching one rule's keyword list against one buffer (content and its
//!   modifiers, pcre, byte_*, isdataat, bsize, transforms).
#![forbid(unsafe_code)]

pub mod addr;
mod compile;
mod detector;
mod engine;
pub mod inspect;
pub mod keywords;
mod packet;
pub mod registry;
mod state;
#[cfg(test)]
mod tests;

pub use compile::{
    pattern_strength, CompiledRule, FastPattern, RuleKind, ThresholdKind, ThresholdSpec, TrackBy,
};
pub use detector::{alert_flags, Alert, DetectCounters, DetectScratch, Detector};
pub use engine::{BuildWarning, DetectConfig, DetectEngine};
pub use packet::{FlowDir, PacketView};
pub use registry::{BufferId, BufferRegistry};
pub use state::FlowDetectState;
