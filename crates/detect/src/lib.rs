//! The detection engine: rules compiled into signature groups, a multi-pattern
//! prefilter, and verification of each candidate rule against a packet or stream.
//!
//! - [`inspect`]: matching one rule's keyword list against one buffer (content and its
//!   modifiers, pcre, byte_*, isdataat, bsize, transforms).
#![forbid(unsafe_code)]

pub mod inspect;
