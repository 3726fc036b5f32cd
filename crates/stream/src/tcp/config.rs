//! `stream.*` settings with Suricata 7.0.10's defaults.

use crate::reassembly::OverlapPolicy;
use std::net::IpAddr;

/// Suricata's exception policies (`stream.memcap-policy`,
/// `stream.reassembly.memcap-policy`, `stream.midstream-policy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExceptionPolicy {
    /// Not set / `ignore`: carry on.
    #[default]
    Ignore,
    DropFlow,
    PassFlow,
    Bypass,
    DropPacket,
    PassPacket,
    Reject,
}

impl ExceptionPolicy {
    /// Parses a policy value (`auto` is resolved by [`ExceptionPolicy::resolve`]).
    pub fn from_name(name: &str) -> Option<ExceptionPolicy> {
        Some(match name {
            "ignore" | "auto" => ExceptionPolicy::Ignore,
            "drop-flow" => ExceptionPolicy::DropFlow,
            "pass-flow" => ExceptionPolicy::PassFlow,
            "bypass" => ExceptionPolicy::Bypass,
            "drop-packet" => ExceptionPolicy::DropPacket,
            "pass-packet" => ExceptionPolicy::PassPacket,
            "reject" => ExceptionPolicy::Reject,
            _ => return None,
        })
    }

    /// Suricata's name (`drop-flow`, ...), `ignore` for the unset policy.
    pub fn name(self) -> &'static str {
        match self {
            ExceptionPolicy::Ignore => "ignore",
            ExceptionPolicy::DropFlow => "drop-flow",
            ExceptionPolicy::PassFlow => "pass-flow",
            ExceptionPolicy::Bypass => "bypass",
            ExceptionPolicy::DropPacket => "drop-packet",
            ExceptionPolicy::PassPacket => "pass-packet",
            ExceptionPolicy::Reject => "reject",
        }
    }

    /// The policy in effect: outside IPS mode Suricata 7 ignores (with a warning at
    /// start-up) the policies that drop (`drop-flow`, `drop-packet`); `auto` is `ignore`
    /// in IDS mode and `drop-flow` in IPS mode.
    pub fn resolve(configured: &str, ips: bool) -> Option<ExceptionPolicy> {
        if configured == "auto" {
            return Some(if ips {
                ExceptionPolicy::DropFlow
            } else {
                ExceptionPolicy::Ignore
            });
        }
        let p = ExceptionPolicy::from_name(configured)?;
        Some(match p {
            ExceptionPolicy::DropFlow | ExceptionPolicy::DropPacket if !ips => {
                ExceptionPolicy::Ignore
            }
            p => p,
        })
    }
}

/// `stream.inline`: `auto` follows the engine mode (IPS -> inline).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InlineMode {
    #[default]
    Auto,
    Yes,
    No,
}

/// `host-os-policy`: address ranges mapped to overlap policies (longest prefix wins,
/// like Suricata's radix tree). Unlisted hosts get [`OverlapPolicy::Bsd`], Suricata's
/// default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostOsPolicy {
    entries: Vec<(IpAddr, u8, OverlapPolicy)>,
}

/// Upper bound on `host-os-policy` entries (a configuration limit, not input-driven).
pub const MAX_HOST_OS_ENTRIES: usize = 65_536;

impl HostOsPolicy {
    /// Adds `addr/prefix` (prefix clamped to the address length). Returns false when
    /// the table is full.
    pub fn add(&mut self, addr: IpAddr, prefix: u8, policy: OverlapPolicy) -> bool {
        if self.entries.len() >= MAX_HOST_OS_ENTRIES {
            return false;
        }
        let max = if addr.is_ipv4() { 32 } else { 128 };
        self.entries.push((addr, prefix.min(max), policy));
        true
    }

    /// Parses `10.0.0.0/8`, `192.168.1.1` or an IPv6 form.
    pub fn add_str(&mut self, net: &str, policy: OverlapPolicy) -> bool {
        let (a, p) = match net.split_once('/') {
            Some((a, p)) => (a, p.parse::<u8>().ok()),
            None => (net, None),
        };
        let Ok(addr) = a.trim().parse::<IpAddr>() else {
            return false;
        };
        let prefix = p.unwrap_or(if addr.is_ipv4() { 32 } else { 128 });
        self.add(addr, prefix, policy)
    }

    /// The policy of `addr`, or `None` when no range holds it.
    pub fn lookup(&self, addr: IpAddr) -> Option<OverlapPolicy> {
        let mut best: Option<(u8, OverlapPolicy)> = None;
        for &(net, prefix, pol) in &self.entries {
            if prefix_match(net, prefix, addr) && best.is_none_or(|(b, _)| prefix >= b) {
                best = Some((prefix, pol));
            }
        }
        best.map(|(_, p)| p)
    }
}

fn prefix_match(net: IpAddr, prefix: u8, addr: IpAddr) -> bool {
    fn bits(a: &[u8], b: &[u8], prefix: usize) -> bool {
        let full = prefix / 8;
        let rest = prefix % 8;
        if a.get(..full) != b.get(..full) {
            return false;
        }
        if rest == 0 {
            return true;
        }
        let mask = 0xffu8 << (8 - rest);
        match (a.get(full), b.get(full)) {
            (Some(x), Some(y)) => x & mask == y & mask,
            _ => false,
        }
    }
    match (net, addr) {
        (IpAddr::V4(n), IpAddr::V4(a)) => bits(&n.octets(), &a.octets(), prefix as usize),
        (IpAddr::V6(n), IpAddr::V6(a)) => bits(&n.octets(), &a.octets(), prefix as usize),
        _ => false,
    }
}

/// Every `stream.*` setting of Suricata 7.0.10 the tracker uses. `Default` gives
/// Suricata's built-in defaults (what it runs with when suricata.yaml says nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamConfig {
    /// `stream.memcap` (64mb): budget for sessions (and queued SYN/ACK states).
    pub memcap: u64,
    /// `stream.memcap-policy` (resolved, see [`ExceptionPolicy::resolve`]).
    pub memcap_policy: ExceptionPolicy,
    /// `stream.checksum-validation` (yes). Decode computes the checksum; the tracker
    /// ignores packets whose checksum is known bad when this is on
    /// (`tcp.invalid_checksum`).
    pub checksum_validation: bool,
    /// `stream.midstream` (false).
    pub midstream: bool,
    /// `stream.midstream-policy` (resolved; only `ignore`/`pass-flow` allow pick-ups).
    pub midstream_policy: ExceptionPolicy,
    /// `stream.async-oneside` (false).
    pub async_oneside: bool,
    /// `stream.inline` (auto).
    pub inline: InlineMode,
    /// The engine runs as IPS (resolves `inline: auto` and the exception policies).
    pub ips_mode: bool,
    /// `stream.max-syn-queued` (10).
    pub max_syn_queued: u8,
    /// `stream.max-synack-queued` (5).
    pub max_synack_queued: u8,
    /// `stream.drop-invalid` (yes; acts in inline mode only).
    pub drop_invalid: bool,
    /// `stream.bypass` (no).
    pub bypass: bool,
    /// `stream.liberal-timestamps` (yes): accept timestamps one below the last one.
    pub liberal_timestamps: bool,
    /// `stream.prealloc-sessions` (2048). Informational: sessions are allocated on
    /// demand; kept for `--dump-config` parity.
    pub prealloc_sessions: u32,
    /// `stream.reassembly.memcap` (256mb).
    pub reassembly_memcap: u64,
    /// `stream.reassembly.memcap-policy` (resolved).
    pub reassembly_memcap_policy: ExceptionPolicy,
    /// `stream.reassembly.depth` (1mb in suricata.yaml; 0 = unlimited when unset).
    pub reassembly_depth: u64,
    /// `stream.reassembly.toserver-chunk-size` (2560).
    pub toserver_chunk_size: u16,
    /// `stream.reassembly.toclient-chunk-size` (2560).
    pub toclient_chunk_size: u16,
    /// `stream.reassembly.randomize-chunk-size`: Suricata randomizes the chunk sizes
    /// by +-`randomize-chunk-range`% at start-up; Palisade is deterministic and applies
    /// a fixed, seeded offset instead (0 by default, see `chunk_size_jitter`).
    pub randomize_chunk_size: bool,
    /// `stream.reassembly.randomize-chunk-range` (10).
    pub randomize_chunk_range: u16,
    /// Deterministic stand-in for the random draw: a value in -100..=100 (percent of
    /// the range) applied when `randomize_chunk_size` is on. 0 by default.
    pub chunk_size_jitter: i8,
    /// `stream.reassembly.raw` (yes): keep data for raw (packet-independent) inspection.
    pub raw: bool,
    /// `stream.reassembly.segment-prealloc` (2048). Informational, as prealloc-sessions.
    pub segment_prealloc: u32,
    /// `stream.reassembly.check-overlap-different-data` (no; always on inline).
    pub check_overlap_different_data: bool,
    /// `stream.reassembly.max-regions` (8). Informational (the segment store has its own
    /// layout).
    pub max_regions: u16,
    /// `host-os-policy`.
    pub host_os_policy: HostOsPolicy,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            memcap: 64 * 1024 * 1024,
            memcap_policy: ExceptionPolicy::Ignore,
            checksum_validation: true,
            midstream: false,
            midstream_policy: ExceptionPolicy::Ignore,
            async_oneside: false,
            inline: InlineMode::Auto,
            ips_mode: false,
            max_syn_queued: 10,
            max_synack_queued: 5,
            drop_invalid: true,
            bypass: false,
            liberal_timestamps: true,
            prealloc_sessions: 2048,
            reassembly_memcap: 256 * 1024 * 1024,
            reassembly_memcap_policy: ExceptionPolicy::Ignore,
            reassembly_depth: 0,
            toserver_chunk_size: 2560,
            toclient_chunk_size: 2560,
            randomize_chunk_size: true,
            randomize_chunk_range: 10,
            chunk_size_jitter: 0,
            raw: true,
            segment_prealloc: 2048,
            check_overlap_different_data: false,
            max_regions: 8,
            host_os_policy: HostOsPolicy::default(),
        }
    }
}

impl StreamConfig {
    /// The values suricata.yaml (7.0.10's shipped file) sets on top of the built-in
    /// defaults: `memcap: 64mb`, `reassembly.memcap: 256mb`, `reassembly.depth: 1mb`.
    pub fn suricata_yaml() -> StreamConfig {
        StreamConfig {
            reassembly_depth: 1024 * 1024,
            ..StreamConfig::default()
        }
    }

    /// Inline (IPS) stream handling in effect.
    pub fn is_inline(&self) -> bool {
        match self.inline {
            InlineMode::Auto => self.ips_mode,
            InlineMode::Yes => true,
            InlineMode::No => false,
        }
    }

    /// Effective chunk size of a direction (deterministic version of Suricata's
    /// randomization).
    pub fn chunk_size(&self, to_server: bool) -> u32 {
        let base = if to_server {
            self.toserver_chunk_size
        } else {
            self.toclient_chunk_size
        } as i64;
        let mut v = base;
        if self.randomize_chunk_size {
            let range = i64::from(self.randomize_chunk_range.min(99));
            v += base * range * i64::from(self.chunk_size_jitter.clamp(-100, 100)) / 20_000;
        }
        v.clamp(1, i64::from(u16::MAX)) as u32
    }

    /// The overlap policy of a host (Suricata maps bsd-right to bsd and old-solaris to
    /// solaris when it assigns a stream its policy).
    pub fn policy_for(&self, host: Option<IpAddr>) -> OverlapPolicy {
        let p = host
            .and_then(|h| self.host_os_policy.lookup(h))
            .unwrap_or(OverlapPolicy::Bsd);
        match p {
            OverlapPolicy::BsdRight => OverlapPolicy::Bsd,
            OverlapPolicy::OldSolaris => OverlapPolicy::Solaris,
            p => p,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_os_longest_prefix() {
        let mut h = HostOsPolicy::default();
        assert!(h.add_str("10.0.0.0/8", OverlapPolicy::Windows));
        assert!(h.add_str("10.1.0.0/16", OverlapPolicy::Linux));
        assert!(h.add_str("2001:db8::/32", OverlapPolicy::Solaris));
        assert!(!h.add_str("nope", OverlapPolicy::Linux));
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(h.lookup(ip("10.2.3.4")), Some(OverlapPolicy::Windows));
        assert_eq!(h.lookup(ip("10.1.3.4")), Some(OverlapPolicy::Linux));
        assert_eq!(h.lookup(ip("11.1.3.4")), None);
        assert_eq!(h.lookup(ip("2001:db8::1")), Some(OverlapPolicy::Solaris));
        let cfg = StreamConfig {
            host_os_policy: h,
            ..StreamConfig::default()
        };
        assert_eq!(cfg.policy_for(Some(ip("1.1.1.1"))), OverlapPolicy::Bsd);
    }

    #[test]
    fn exception_policy_in_ids() {
        assert_eq!(
            ExceptionPolicy::resolve("drop-flow", false),
            Some(ExceptionPolicy::Ignore)
        );
        assert_eq!(
            ExceptionPolicy::resolve("drop-flow", true),
            Some(ExceptionPolicy::DropFlow)
        );
        assert_eq!(
            ExceptionPolicy::resolve("pass-flow", false),
            Some(ExceptionPolicy::PassFlow)
        );
        assert_eq!(
            ExceptionPolicy::resolve("auto", true),
            Some(ExceptionPolicy::DropFlow)
        );
        assert_eq!(ExceptionPolicy::resolve("x", true), None);
    }

    #[test]
    fn chunk_size_deterministic() {
        let mut c = StreamConfig::default();
        assert_eq!(c.chunk_size(true), 2560);
        c.chunk_size_jitter = 100;
        assert_eq!(c.chunk_size(true), 2560 + 2560 * 10 / 200);
        c.randomize_chunk_size = false;
        assert_eq!(c.chunk_size(false), 2560);
    }
}
