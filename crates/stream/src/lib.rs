//! TCP session tracking and stream reassembly (the `stream` stage).
//!
//! Two layers, each in its own module:
//! - [`reassembly`]: one direction's segment store, addressed by 64-bit stream offsets
//!   (sequence numbers already unwrapped), with target-based overlap policies, gaps and
//!   memory accounting. It knows nothing about TCP headers.
//! - [`tcp`]: the session tracker (Suricata's TCP states, handshake, sequence and window
//!   checks, events, counters). It owns two segment stores per session and hands
//!   in-order bytes and gap notices to a [`tcp::StreamSink`].
#![forbid(unsafe_code)]

pub mod reassembly;
pub mod tcp;
