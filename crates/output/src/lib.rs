//! Output: EVE JSON records and log files, byte-compatible with Suricata 7.0.10.
//!
//! - [`json::JsonBuf`]: a reusable, allocation-free (after warm-up) JSON writer with
//!   Suricata's string escaping.
//! - [`eve`]: record writers (`flow`, `netflow`, `anomaly`, packet header) with
//!   Suricata's field names and order.
//! - [`stats`]: the `stats` record, nesting dotted counter names.
//! - [`alert`]: the EVE `alert` record ([`write_alert`]) and Suricata's protocol names.
//! - [`EveWriter`]: the buffered `eve.json` file; [`FastLog`]: `fast.log` lines.
//!
//! Usage per record: build it into a per-thread `JsonBuf` with one of the writers, then
//! hand the buffer to [`EveWriter::write`], which adds `host` / `pcap_filename` when
//! configured, closes the object and writes one line:
//!
//! ```
//! use palisade_output::{eve, JsonBuf};
//! use palisade_flow::Timestamp;
//! let mut j = JsonBuf::new();
//! palisade_output::stats::write_stats(&mut j, Timestamp::new(0, 0), 0, [("flow.total", 1u64.into())]);
//! j.close_all();
//! assert_eq!(j.as_str(), r#"{"timestamp":"1970-01-01T00:00:00.000000+0000","event_type":"stats","stats":{"uptime":0,"flow":{"total":1}}}"#);
//! ```
//!
//! Timestamps are printed in UTC with `+0000` (Suricata uses local time; identical
//! when TZ is UTC).
#![forbid(unsafe_code)]

pub mod alert;
pub mod eve;
pub mod file;
pub mod json;
pub mod stats;
pub mod statslog;
pub mod time;

pub use alert::{
    suricata_proto_name, write_alert, write_alert_with, AlertAction, AlertInfo, AlertOptions,
    AlertPacket, AlertTarget, FlowSnapshot, PacketVerdict, RejectTarget, TunnelInfo,
};
pub use eve::{
    proto_name, write_anomaly, write_anomaly_applayer, write_flow, write_netflow,
    write_packet_header, AnomalyKind, PacketHeader, PktSrc,
};
pub use file::{fast_log_line, EveWriter, FastLog, DEFAULT_EVE_FILENAME, DEFAULT_FAST_FILENAME};
pub use json::JsonBuf;
pub use stats::{write_stats, StatValue, StatsTree};
pub use time::{format_timestamp, write_timestamp};
