//! Defrag configuration: the `defrag:` section of suricata.yaml, the reassembly policies
//! and the per-host tables (`host-os-policy:` for the policy, `defrag.host-config` for the
//! timeout).

use std::net::IpAddr;

/// How overlapping fragments are resolved: which bytes win. The names and behaviours are
/// those of Suricata (after Novak's "Target-Based Fragmentation Reassembly").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Suricata's default: an earlier fragment keeps the bytes it covers at or after its
    /// start; a new fragment starting before an old one wins the overlapped head.
    #[default]
    Bsd,
    /// Later (rightmost) data wins: nothing is trimmed, bytes are laid out by offset.
    BsdRight,
    Linux,
    /// The first fragment seen for a byte wins.
    First,
    /// The last fragment seen for a byte wins.
    Last,
    Windows,
    Solaris,
}

impl Policy {
    /// Parses a policy name as Suricata accepts it in `host-os-policy:` (`bsd`,
    /// `bsd-right`, `old-linux`, `linux`, `old-solaris`, `solaris`, `hpux10`, `hpux11`,
    /// `irix`, `macos`, `windows`, `vista`, `windows2k3`) plus the defrag-only names
    /// `first` and `last`, mapped to the defrag policy Suricata uses for that OS.
    /// `none` (and unknown names) give `None`; see [`Policy::from_host_os_name`].
    pub fn from_name(name: &str) -> Option<Policy> {
        Policy::from_host_os_name(name).flatten()
    }

    /// Like [`Policy::from_name`] but tells `none` (`Some(None)`: use the default
    /// policy) from an unknown name (`None`).
    pub fn from_host_os_name(name: &str) -> Option<Option<Policy>> {
        let p = match name.trim().to_ascii_lowercase().as_str() {
            "none" => return Some(None),
            "bsd" | "hpux10" | "irix" => Policy::Bsd,
            "bsd-right" => Policy::BsdRight,
            "old-linux" | "linux" => Policy::Linux,
            "old-solaris" | "hpux11" | "macos" | "first" => Policy::First,
            "solaris" => Policy::Solaris,
            "windows" | "vista" | "windows2k3" => Policy::Windows,
            "last" => Policy::Last,
            _ => return None,
        };
        Some(Some(p))
    }

    /// Suricata's name of the defrag policy.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Bsd => "bsd",
            Policy::BsdRight => "bsd-right",
            Policy::Linux => "linux",
            Policy::First => "first",
            Policy::Last => "last",
            Policy::Windows => "windows",
            Policy::Solaris => "solaris",
        }
    }
}

/// An address block (`10.0.0.0/8`, `2001:db8::/32`, or a single address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    /// Network address, already masked.
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    /// Parses `addr` or `addr/len`. `default` means `0.0.0.0/0` (Suricata decides the
    /// family of a host-os-policy entry by the presence of `:`).
    pub fn parse(s: &str) -> Option<Cidr> {
        let s = s.trim().trim_matches('"');
        if s.eq_ignore_ascii_case("default") {
            return Some(Cidr {
                addr: IpAddr::from([0u8; 4]),
                prefix: 0,
            });
        }
        let (a, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.trim().parse::<u8>().ok()?)),
            None => (s, None),
        };
        let addr: IpAddr = a.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = len.unwrap_or(max);
        if prefix > max {
            return None;
        }
        Some(Cidr {
            addr: mask(addr, prefix),
            prefix,
        })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        ip.is_ipv4() == self.addr.is_ipv4() && mask(ip, self.prefix) == self.addr
    }
}

fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(a) => {
            let bits = u32::from(a);
            let m = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix.min(32)))
            };
            IpAddr::from((bits & m).to_be_bytes())
        }
        IpAddr::V6(a) => {
            let bits = u128::from(a);
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix.min(128)))
            };
            IpAddr::from((bits & m).to_be_bytes())
        }
    }
}

/// Longest-prefix match over a small table; among equal prefixes the last entry wins.
fn best_match<T: Copy>(table: &[(Cidr, T)], ip: IpAddr) -> Option<T> {
    let mut best: Option<(u8, T)> = None;
    for (net, v) in table {
        if net.contains(ip) && best.is_none_or(|(p, _)| net.prefix >= p) {
            best = Some((net.prefix, *v));
        }
    }
    best.map(|(_, v)| v)
}

/// Suricata's `defrag.timeout` bounds (seconds).
pub const TIMEOUT_MIN: u32 = 1;
pub const TIMEOUT_MAX: u32 = 60 * 60 * 24;

/// The `defrag:` section, with Suricata 7.0.10's shipped defaults.
#[derive(Clone, Debug)]
pub struct DefragConfig {
    /// `defrag.memcap` in bytes (32mb). Here it bounds everything the reassembler holds:
    /// trackers and the bytes of the stored fragments.
    pub memcap: u64,
    /// `defrag.hash-size` (65536). Kept for fidelity; our table is a `HashMap` sized by use.
    pub hash_size: u32,
    /// `defrag.trackers` (65535): Suricata's preallocation count. We do not preallocate;
    /// the number of trackers is bounded by `memcap`.
    pub trackers: u32,
    /// `defrag.max-frags` (65535): fragments held at once, over all trackers.
    pub max_frags: u32,
    /// Fragments held for one datagram (not a Suricata setting; 8192 = a full 64 KiB
    /// datagram cut in 8-byte pieces). Bounds the per-fragment work on a tracker, which
    /// is linear in its fragment count, against floods of overlapping duplicates.
    pub max_frags_per_tracker: u32,
    /// `defrag.prealloc` (yes). Informational.
    pub prealloc: bool,
    /// `defrag.timeout` in seconds (60), clamped to 1..=86400.
    pub timeout: u32,
    /// Policy when no `host-os-policy` entry matches the destination (bsd).
    pub default_policy: Policy,
    /// `host-os-policy:` entries already mapped to defrag policies; `None` is Suricata's
    /// `none` (use `default_policy`). Longest prefix on the destination address wins.
    pub host_policies: Vec<(Cidr, Option<Policy>)>,
    /// `defrag.host-config` entries: a timeout (seconds) per address block.
    pub host_timeouts: Vec<(Cidr, u32)>,
}

impl Default for DefragConfig {
    fn default() -> Self {
        DefragConfig {
            memcap: 32 * 1024 * 1024,
            hash_size: 65536,
            trackers: 65535,
            max_frags: 65535,
            max_frags_per_tracker: 8192,
            prealloc: true,
            timeout: 60,
            default_policy: Policy::Bsd,
            host_policies: Vec::new(),
            host_timeouts: Vec::new(),
        }
    }
}

impl DefragConfig {
    /// Adds one `host-os-policy:` entry: `os` is the key (`windows`, `linux`, ...), `value`
    /// one list item, which may itself hold comma-separated blocks.
    pub fn add_host_os_policy(&mut self, os: &str, value: &str) -> Result<(), String> {
        let policy = Policy::from_host_os_name(os)
            .ok_or_else(|| format!("unknown host-os-policy \"{os}\""))?;
        for part in value.split(',') {
            let net = Cidr::parse(part)
                .ok_or_else(|| format!("invalid address \"{part}\" for policy \"{os}\""))?;
            self.host_policies.push((net, policy));
        }
        Ok(())
    }

    /// Adds one `defrag.host-config` address (or comma-separated blocks) with its timeout.
    pub fn add_host_timeout(&mut self, value: &str, timeout: u32) -> Result<(), String> {
        for part in value.split(',') {
            let net = Cidr::parse(part)
                .ok_or_else(|| format!("invalid defrag host-config address \"{part}\""))?;
            self.host_timeouts
                .push((net, timeout.clamp(TIMEOUT_MIN, TIMEOUT_MAX)));
        }
        Ok(())
    }

    /// The policy for a tracker whose first fragment goes to `dst`.
    pub fn policy_for(&self, dst: IpAddr) -> Policy {
        best_match(&self.host_policies, dst)
            .flatten()
            .unwrap_or(self.default_policy)
    }

    /// The timeout (seconds) for a tracker whose first fragment goes to `dst`.
    pub fn timeout_for(&self, dst: IpAddr) -> u32 {
        best_match(&self.host_timeouts, dst)
            .unwrap_or(self.timeout)
            .clamp(TIMEOUT_MIN, TIMEOUT_MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_map_like_suricata() {
        let table = [
            ("bsd", Some(Policy::Bsd)),
            ("hpux10", Some(Policy::Bsd)),
            ("irix", Some(Policy::Bsd)),
            ("bsd-right", Some(Policy::BsdRight)),
            ("old-linux", Some(Policy::Linux)),
            ("linux", Some(Policy::Linux)),
            ("old-solaris", Some(Policy::First)),
            ("hpux11", Some(Policy::First)),
            ("macos", Some(Policy::First)),
            ("first", Some(Policy::First)),
            ("solaris", Some(Policy::Solaris)),
            ("windows", Some(Policy::Windows)),
            ("vista", Some(Policy::Windows)),
            ("windows2k3", Some(Policy::Windows)),
            ("last", Some(Policy::Last)),
            ("none", None),
            ("bamboo", None),
        ];
        for (name, want) in table {
            assert_eq!(Policy::from_name(name), want, "{name}");
        }
        assert_eq!(Policy::from_host_os_name("none"), Some(None));
        assert_eq!(Policy::from_host_os_name("bamboo"), None);
    }

    #[test]
    fn cidr_parse_and_match() {
        let n = Cidr::parse("192.168.1.77/24").unwrap();
        assert_eq!(n.addr, "192.168.1.0".parse::<IpAddr>().unwrap());
        assert!(n.contains("192.168.1.200".parse().unwrap()));
        assert!(!n.contains("192.168.2.1".parse().unwrap()));
        assert!(!n.contains("::1".parse().unwrap()));
        assert!(Cidr::parse("1.2.3.4/33").is_none());
        assert!(Cidr::parse("192.168.1").is_none());
        let h = Cidr::parse("::1").unwrap();
        assert_eq!(h.prefix, 128);
        assert!(Cidr::parse("2001:db8::/32")
            .unwrap()
            .contains("2001:db8:1::5".parse().unwrap()));
        assert_eq!(Cidr::parse("default").unwrap().prefix, 0);
    }

    #[test]
    fn host_tables_longest_prefix() {
        let mut c = DefragConfig::default();
        // The shipped suricata.yaml: `windows: [0.0.0.0/0]`.
        c.add_host_os_policy("windows", "0.0.0.0/0").unwrap();
        c.add_host_os_policy("linux", "10.0.0.0/8, 172.16.0.0/12")
            .unwrap();
        c.add_host_os_policy("none", "10.1.0.0/16").unwrap();
        assert!(c.add_host_os_policy("bamboo", "1.1.1.1").is_err());
        assert!(c.add_host_os_policy("linux", "1.1.1.1/40").is_err());
        assert_eq!(c.policy_for("8.8.8.8".parse().unwrap()), Policy::Windows);
        assert_eq!(c.policy_for("10.9.9.9".parse().unwrap()), Policy::Linux);
        assert_eq!(c.policy_for("172.17.0.1".parse().unwrap()), Policy::Linux);
        assert_eq!(c.policy_for("10.1.2.3".parse().unwrap()), Policy::Bsd);
        assert_eq!(c.policy_for("::1".parse().unwrap()), Policy::Bsd);

        c.add_host_timeout("192.168.1.0/24, ::1", 30).unwrap();
        c.add_host_timeout("192.168.1.5", 0).unwrap();
        assert_eq!(c.timeout_for("192.168.1.9".parse().unwrap()), 30);
        assert_eq!(c.timeout_for("192.168.1.5".parse().unwrap()), TIMEOUT_MIN);
        assert_eq!(c.timeout_for("::1".parse().unwrap()), 30);
        assert_eq!(c.timeout_for("1.1.1.1".parse().unwrap()), 60);
    }

    #[test]
    fn defaults_match_suricata_yaml() {
        let c = DefragConfig::default();
        assert_eq!(c.memcap, 33_554_432);
        assert_eq!(c.hash_size, 65536);
        assert_eq!(c.trackers, 65535);
        assert_eq!(c.max_frags, 65535);
        assert_eq!(c.timeout, 60);
        assert_eq!(c.default_policy, Policy::Bsd);
    }
}
