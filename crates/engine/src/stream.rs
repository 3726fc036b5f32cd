//! Glue between the flow table and the TCP stream engine: `stream.*` settings from the
//! configuration, and the per-flow session slots kept beside the flow table.

use palisade_config::{views, Config};
use palisade_stream::reassembly::OverlapPolicy;
use palisade_stream::tcp::{ExceptionPolicy, InlineMode, StreamConfig};

use crate::EngineError;

fn size(cfg: &Config, key: &str, default: u64) -> Result<u64, EngineError> {
    Ok(cfg
        .get_size(key)
        .map_err(|e| EngineError(e.to_string()))?
        .unwrap_or(default))
}

fn int(cfg: &Config, key: &str, default: i64) -> Result<i64, EngineError> {
    Ok(cfg
        .get_int(key)
        .map_err(|e| EngineError(e.to_string()))?
        .unwrap_or(default))
}

/// An exception policy setting: the key's own value, else the master `exception-policy`
/// switch, else `ignore`.
fn policy(cfg: &Config, key: &str, ips: bool) -> Result<ExceptionPolicy, EngineError> {
    let Some(v) = cfg.get(key).or_else(|| cfg.get("exception-policy")) else {
        return Ok(ExceptionPolicy::Ignore);
    };
    ExceptionPolicy::resolve(v, ips)
        .ok_or_else(|| EngineError(format!("{key}: invalid exception policy \"{v}\"")))
}

/// `stream.midstream-policy`, which Suricata 7.0.10 restricts further than the other
/// exception policies: the per-packet policies never apply to it, `reject` needs midstream
/// pick-up disabled, `drop-flow` IPS mode and midstream pick-up disabled. An invalid value
/// is a configuration error (Suricata refuses to start).
fn midstream_policy(cfg: &Config, ips: bool) -> Result<ExceptionPolicy, EngineError> {
    let key = "stream.midstream-policy";
    let Some(v) = cfg.get(key).or_else(|| cfg.get("exception-policy")) else {
        return Ok(ExceptionPolicy::Ignore);
    };
    let midstream = cfg.get_bool("stream.midstream").unwrap_or(false);
    let own = cfg.get(key).is_some();
    let invalid = match v {
        "drop-packet" | "pass-packet" => own,
        "reject" => own && midstream,
        "drop-flow" => own && (!ips || midstream),
        _ => false,
    };
    if invalid {
        let why = if ips { "IPS" } else { "IDS" };
        return Err(EngineError(format!(
            "Error parsing {key} from config file. \"{v}\" is not a valid exception policy in {why} mode{}. See our documentation for a list of all possible values.",
            if midstream { " with midstream pick-up enabled" } else { "" }
        )));
    }
    policy(cfg, key, ips)
}

/// The `stream` section as the tracker takes it (Suricata 7.0.10's built-in defaults for
/// whatever the configuration leaves out).
pub(crate) fn stream_config(
    cfg: &Config,
    views: &views::Engine,
    ips: bool,
    detection: bool,
    checksum: Option<palisade_decode::ChecksumMode>,
) -> Result<StreamConfig, EngineError> {
    let d = StreamConfig::default();
    let clamp16 = |v: i64| v.clamp(0, i64::from(u16::MAX)) as u16;
    let mut sc = StreamConfig {
        memcap: size(cfg, "stream.memcap", d.memcap)?,
        memcap_policy: policy(cfg, "stream.memcap-policy", ips)?,
        checksum_validation: match checksum {
            Some(palisade_decode::ChecksumMode::All) => true,
            Some(palisade_decode::ChecksumMode::None) => false,
            _ => views.stream_checksum_validation,
        },
        midstream: cfg.get_bool("stream.midstream").unwrap_or(d.midstream),
        midstream_policy: midstream_policy(cfg, ips)?,
        async_oneside: cfg
            .get_bool("stream.async-oneside")
            .unwrap_or(d.async_oneside),
        inline: match cfg.get("stream.inline") {
            None => d.inline,
            Some("auto") => InlineMode::Auto,
            Some(v) if palisade_config::is_true(v) => InlineMode::Yes,
            Some(_) => InlineMode::No,
        },
        ips_mode: ips,
        max_syn_queued: int(cfg, "stream.max-syn-queued", i64::from(d.max_syn_queued))?
            .clamp(0, 255) as u8,
        max_synack_queued: int(
            cfg,
            "stream.max-synack-queued",
            i64::from(d.max_synack_queued),
        )?
        .clamp(0, 255) as u8,
        drop_invalid: cfg
            .get_bool("stream.drop-invalid")
            .unwrap_or(d.drop_invalid),
        bypass: cfg.get_bool("stream.bypass").unwrap_or(d.bypass),
        liberal_timestamps: cfg
            .get_bool("stream.liberal-timestamps")
            .unwrap_or(d.liberal_timestamps),
        prealloc_sessions: int(
            cfg,
            "stream.prealloc-sessions",
            i64::from(d.prealloc_sessions),
        )?
        .clamp(0, i64::from(u32::MAX)) as u32,
        reassembly_memcap: size(cfg, "stream.reassembly.memcap", d.reassembly_memcap)?,
        reassembly_memcap_policy: policy(cfg, "stream.reassembly.memcap-policy", ips)?,
        reassembly_depth: size(cfg, "stream.reassembly.depth", d.reassembly_depth)?,
        toserver_chunk_size: clamp16(size(
            cfg,
            "stream.reassembly.toserver-chunk-size",
            u64::from(d.toserver_chunk_size),
        )? as i64),
        toclient_chunk_size: clamp16(size(
            cfg,
            "stream.reassembly.toclient-chunk-size",
            u64::from(d.toclient_chunk_size),
        )? as i64),
        randomize_chunk_size: cfg
            .get_bool("stream.reassembly.randomize-chunk-size")
            .unwrap_or(d.randomize_chunk_size),
        randomize_chunk_range: clamp16(int(
            cfg,
            "stream.reassembly.randomize-chunk-range",
            i64::from(d.randomize_chunk_range),
        )?),
        chunk_size_jitter: d.chunk_size_jitter,
        // Raw stream data is kept for detection only.
        raw: detection && cfg.get_bool("stream.reassembly.raw").unwrap_or(d.raw),
        segment_prealloc: int(
            cfg,
            "stream.reassembly.segment-prealloc",
            i64::from(d.segment_prealloc),
        )?
        .clamp(0, i64::from(u32::MAX)) as u32,
        check_overlap_different_data: cfg
            .get_bool("stream.reassembly.check-overlap-different-data")
            .unwrap_or(d.check_overlap_different_data),
        max_regions: clamp16(int(
            cfg,
            "stream.reassembly.max-regions",
            i64::from(d.max_regions),
        )?),
        host_os_policy: Default::default(),
    };
    for (os, addrs) in &views.host_os_policy.policies {
        let Some(p) = OverlapPolicy::from_name(os) else {
            return Err(EngineError(format!(
                "host-os-policy: unknown policy \"{os}\""
            )));
        };
        for a in addrs {
            for part in a.split(',') {
                let part = part
                    .trim()
                    .trim_matches(|c| c == '[' || c == ']' || c == '"');
                if part.is_empty() {
                    continue;
                }
                if !sc.host_os_policy.add_str(part, p) {
                    return Err(EngineError(format!(
                        "host-os-policy.{os}: invalid address \"{part}\""
                    )));
                }
            }
        }
    }
    Ok(sc)
}
