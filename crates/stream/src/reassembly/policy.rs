//! Target-based overlap policies: which copy of an overlapped byte range wins.

/// Target-based overlap policy (`host-os-policy` / `stream.reassembly` names).
///
/// The decision is taken per pair (new segment, one stored segment), from the shape of the
/// two segments only; see [`OverlapPolicy::new_wins`] and the table in the module docs of
/// [`crate::reassembly`].
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

/// Every policy, in declaration order (handy for tables and tests).
pub const ALL_POLICIES: [OverlapPolicy; 15] = [
    OverlapPolicy::First,
    OverlapPolicy::Last,
    OverlapPolicy::Bsd,
    OverlapPolicy::BsdRight,
    OverlapPolicy::OldLinux,
    OverlapPolicy::Linux,
    OverlapPolicy::OldSolaris,
    OverlapPolicy::Solaris,
    OverlapPolicy::Hpux10,
    OverlapPolicy::Hpux11,
    OverlapPolicy::Irix,
    OverlapPolicy::MacOs,
    OverlapPolicy::Vista,
    OverlapPolicy::Windows,
    OverlapPolicy::Windows2k3,
];

impl OverlapPolicy {
    /// Parses a `host-os-policy` key (`bsd`, `bsd-right`, `old-linux`, ...). `first` and
    /// `last` are accepted too (they exist as policies, not as `host-os-policy` keys in
    /// Suricata's map).
    pub fn from_name(name: &str) -> Option<OverlapPolicy> {
        Some(match name {
            "first" => OverlapPolicy::First,
            "last" => OverlapPolicy::Last,
            "bsd" => OverlapPolicy::Bsd,
            "bsd-right" => OverlapPolicy::BsdRight,
            "old-linux" => OverlapPolicy::OldLinux,
            "linux" => OverlapPolicy::Linux,
            "old-solaris" => OverlapPolicy::OldSolaris,
            "solaris" => OverlapPolicy::Solaris,
            "hpux10" => OverlapPolicy::Hpux10,
            "hpux11" => OverlapPolicy::Hpux11,
            "irix" => OverlapPolicy::Irix,
            "macos" => OverlapPolicy::MacOs,
            "vista" => OverlapPolicy::Vista,
            "windows" => OverlapPolicy::Windows,
            "windows2k3" => OverlapPolicy::Windows2k3,
            _ => return None,
        })
    }

    /// The configuration name of the policy (inverse of [`OverlapPolicy::from_name`]).
    pub fn name(self) -> &'static str {
        match self {
            OverlapPolicy::First => "first",
            OverlapPolicy::Last => "last",
            OverlapPolicy::Bsd => "bsd",
            OverlapPolicy::BsdRight => "bsd-right",
            OverlapPolicy::OldLinux => "old-linux",
            OverlapPolicy::Linux => "linux",
            OverlapPolicy::OldSolaris => "old-solaris",
            OverlapPolicy::Solaris => "solaris",
            OverlapPolicy::Hpux10 => "hpux10",
            OverlapPolicy::Hpux11 => "hpux11",
            OverlapPolicy::Irix => "irix",
            OverlapPolicy::MacOs => "macos",
            OverlapPolicy::Vista => "vista",
            OverlapPolicy::Windows => "windows",
            OverlapPolicy::Windows2k3 => "windows2k3",
        }
    }

    /// Whether the new segment `[new_start, new_end)` replaces the bytes it shares with the
    /// stored segment `[old_start, old_end)` (the two are assumed to overlap). `false`
    /// means the stored bytes are kept.
    pub fn new_wins(self, new_start: u64, new_end: u64, old_start: u64, old_end: u64) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        use OverlapPolicy as P;
        // Suricata turns bsd-right into bsd and old-solaris into solaris when it assigns
        // a host's policy to a stream.
        let policy = match self {
            P::BsdRight => P::Bsd,
            P::OldSolaris => P::Solaris,
            p => p,
        };
        match policy {
            P::Last => return true,
            // vista has no rule of its own: it keeps the original data, as first does.
            P::First | P::Vista => return false,
            _ => {}
        }
        let ends = new_end.cmp(&old_end);
        match new_start.cmp(&old_start) {
            // New segment starts before the stored one.
            Less => match policy {
                P::Solaris | P::Hpux11 => ends != Less,
                // bsd, hpux10, irix, windows, windows2k3, old-linux, linux, macos
                _ => true,
            },
            // Same start.
            Equal => match ends {
                Less => false,
                Equal => matches!(policy, P::OldLinux | P::Solaris | P::Hpux11),
                Greater => matches!(policy, P::OldLinux | P::Linux | P::Solaris | P::Hpux11),
            },
            // New segment starts inside the stored one.
            Greater => ends == Greater && matches!(policy, P::Solaris | P::Hpux11),
        }
    }
}
