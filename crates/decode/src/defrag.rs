//! IPv4 and IPv6 defragmentation, following Suricata 7's semantics.
//!
//! The decoder flags a fragment in [`Packet::fragment`] and stops there; the engine hands
//! the packet to [`Defrag::insert`]. Fragments are grouped in trackers keyed like
//! Suricata's: the address pair (either direction), the IP id (IPv4 16 bits, IPv6 32
//! bits), the IPv4 protocol, the VLAN ids and the tunnel level. When the last piece
//! arrives, the datagram is rebuilt into an owned buffer ([`Reassembled`]): the link-layer
//! bytes and IP header of the offset-0 fragment, then the payload, with the IPv4 header
//! rewritten (total length, offset and flags cleared, checksum updated) or the IPv6 header
//! fixed (payload length, fragment header removed, next header chained).
//!
//! Overlaps are resolved per tracker by the policy of the destination host (see
//! [`Policy`]), exactly as Suricata's insertion and copy order do: fragments are kept in
//! offset order with a per-fragment trim of their leading bytes, and reassembly lays
//! them out in that order, later ones overwriting earlier ones.
//!
//! Limits: `memcap` bounds the bytes held (trackers and stored fragments), `max_frags`
//! the number of stored fragments (and `max_frags_per_tracker` those of one datagram); a
//! fragment that does not fit is ignored
//! (`ipv4.frag_ignored` / `ipv6.frag_ignored`, counted in
//! [`DefragCounters::frags_dropped`]). When no tracker can be had even after reusing the
//! idlest one, the fragment is counted in `defrag.max_frag_hits`, as in Suricata.
//! Trackers expire `timeout` seconds (packet time) after their last fragment.

mod config;
mod parse;
#[cfg(test)]
mod tests;

pub use config::{Cidr, DefragConfig, Policy, TIMEOUT_MAX, TIMEOUT_MIN};

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use crate::{InnerKind, Packet, Timestamp};
use parse::FragView;

/// An anomaly found while defragmenting, named as Suricata names the decoder event
/// (`decode-event:` keyword, EVE `anomaly`, `decoder.event.` counters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefragEvent {
    Ipv4FragPktTooLarge,
    Ipv6FragPktTooLarge,
    Ipv4FragOverlap,
    Ipv6FragOverlap,
    Ipv6FragInvalidLength,
    Ipv4FragIgnored,
    Ipv6FragIgnored,
}

impl DefragEvent {
    pub const ALL: [DefragEvent; 7] = [
        DefragEvent::Ipv4FragPktTooLarge,
        DefragEvent::Ipv6FragPktTooLarge,
        DefragEvent::Ipv4FragOverlap,
        DefragEvent::Ipv6FragOverlap,
        DefragEvent::Ipv6FragInvalidLength,
        DefragEvent::Ipv4FragIgnored,
        DefragEvent::Ipv6FragIgnored,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DefragEvent::Ipv4FragPktTooLarge => "ipv4.frag_pkt_too_large",
            DefragEvent::Ipv6FragPktTooLarge => "ipv6.frag_pkt_too_large",
            DefragEvent::Ipv4FragOverlap => "ipv4.frag_overlap",
            DefragEvent::Ipv6FragOverlap => "ipv6.frag_overlap",
            DefragEvent::Ipv6FragInvalidLength => "ipv6.frag_invalid_length",
            DefragEvent::Ipv4FragIgnored => "ipv4.frag_ignored",
            DefragEvent::Ipv6FragIgnored => "ipv6.frag_ignored",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The events raised by one insertion (a small set, no allocation). They belong to the
/// fragment packet that was inserted, as in Suricata.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DefragEvents(u8);

impl DefragEvents {
    pub fn push(&mut self, ev: DefragEvent) {
        self.0 |= ev.bit();
    }
    pub fn contains(&self, ev: DefragEvent) -> bool {
        self.0 & ev.bit() != 0
    }
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
    pub fn iter(&self) -> impl Iterator<Item = DefragEvent> + '_ {
        DefragEvent::ALL.into_iter().filter(|e| self.contains(*e))
    }
}

/// A rebuilt datagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reassembled {
    /// The offset-0 fragment's bytes before its IP header (link layer, as captured), then
    /// the complete IP datagram.
    pub data: Vec<u8>,
    /// Where the IP header starts in `data`.
    pub ip_offset: usize,
    /// How to decode from `ip_offset`: [`InnerKind::Ipv4`] or [`InnerKind::Ipv6`].
    pub kind: InnerKind,
}

impl Reassembled {
    /// The IP datagram alone.
    pub fn ip(&self) -> &[u8] {
        self.data.get(self.ip_offset..).unwrap_or(&[])
    }
}

/// What [`Defrag::insert`] did with a packet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InsertResult {
    /// The packet was an IP fragment and was counted in `defrag.ipv*.fragments`.
    pub fragment: bool,
    /// The datagram this fragment completed.
    pub reassembled: Option<Reassembled>,
    pub events: DefragEvents,
}

/// Largest IP datagram (IPv4 total length, IPv6 payload length).
const IP_MAXPACKET: u32 = 65535;

/// Accounting cost of a tracker (table entry, timeout index entry, bookkeeping).
const TRACKER_COST: u64 =
    (std::mem::size_of::<Key>() * 2 + std::mem::size_of::<Tracker>() + 64) as u64;
/// Accounting cost of a fragment beyond its bytes.
const FRAG_COST: u64 = std::mem::size_of::<Frag>() as u64;

/// Tracker key. The address pair is stored ordered so both directions match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    lo: IpAddr,
    hi: IpAddr,
    id: u32,
    /// IPv4 protocol; 0 for IPv6 (its fragments are keyed by id only).
    proto: u8,
    v6: bool,
    vlan: [u16; 3],
    tunnel_level: u8,
}

#[derive(Debug)]
struct Frag {
    /// Offset of `data[0]` in the fragmentable part.
    offset: u32,
    /// Leading bytes of `data` overridden by a later fragment (not copied).
    ltrim: u32,
    more: bool,
    /// The fragment's payload (from its trimmed start).
    data: Vec<u8>,
    /// Only for a fragment at offset 0: the packet's bytes up to the payload (link
    /// layer, IP header, IPv6 unfragmentable headers and fragment header).
    head: Option<Head>,
}

#[derive(Debug)]
struct Head {
    bytes: Vec<u8>,
    ip_off: usize,
    /// IPv4 header length.
    hlen: usize,
    /// IPv6: offset of the fragment header (= length of the kept prefix) and its next header.
    fh_off: usize,
    fh_next: u8,
}

impl Frag {
    fn len(&self) -> u32 {
        self.data.len() as u32
    }
    fn end(&self) -> u32 {
        self.offset + self.len()
    }
    fn cost(&self) -> u64 {
        FRAG_COST
            + self.data.capacity() as u64
            + self.head.as_ref().map_or(0, |h| h.bytes.capacity() as u64)
    }
}

#[derive(Debug)]
struct Tracker {
    policy: Policy,
    timeout_secs: u32,
    /// Position in the expiry index: (expiry second, sequence).
    expiry: (u64, u64),
    seen_last: bool,
    /// Sorted by offset; equal offsets in arrival order.
    frags: Vec<Frag>,
}

/// Counters, named as in Suricata's stats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DefragCounters {
    pub ipv4_fragments: u64,
    pub ipv4_reassembled: u64,
    pub ipv6_fragments: u64,
    pub ipv6_reassembled: u64,
    /// No tracker could be had (memcap reached and nothing to reuse), as Suricata counts it.
    pub max_frag_hits: u64,
    /// Fragments not stored because `max_frags` or `memcap` was reached (each also raises
    /// `ipv*.frag_ignored`). Not a Suricata counter: kept out of [`Defrag::for_each`].
    pub frags_dropped: u64,
}

/// The reassembler: one per packet-processing thread.
#[derive(Debug)]
pub struct Defrag {
    cfg: DefragConfig,
    trackers: HashMap<Key, Tracker>,
    /// Trackers by expiry time, oldest first.
    expiry: BTreeMap<(u64, u64), Key>,
    seq: u64,
    memuse: u64,
    frag_count: u64,
    counters: DefragCounters,
}

enum Step {
    Next,
    Insert,
    Drop,
}

impl Defrag {
    pub fn new(mut cfg: DefragConfig) -> Self {
        cfg.timeout = cfg.timeout.clamp(TIMEOUT_MIN, TIMEOUT_MAX);
        Defrag {
            cfg,
            trackers: HashMap::new(),
            expiry: BTreeMap::new(),
            seq: 0,
            memuse: 0,
            frag_count: 0,
            counters: DefragCounters::default(),
        }
    }

    pub fn config(&self) -> &DefragConfig {
        &self.cfg
    }

    /// Inserts a decoded fragment: `pkt.fragment` and `pkt.ip` set, `pkt.data` holding
    /// the bytes the packet was decoded from (its IP header at `pkt.ip.offset`).
    /// Packets that are not fragments are left alone (`fragment == false`).
    pub fn insert(&mut self, pkt: &Packet<'_>) -> InsertResult {
        let (Some(ip), Some(_)) = (pkt.ip, pkt.fragment) else {
            return InsertResult::default();
        };
        self.insert_raw(
            pkt.data,
            ip.offset as usize,
            pkt.ts,
            pkt.vlan,
            pkt.tunnel_level,
        )
    }

    /// Same as [`Defrag::insert`] from raw parts: `data` with an IPv4 or IPv6 header at
    /// `ip_offset`.
    pub fn insert_raw(
        &mut self,
        data: &[u8],
        ip_offset: usize,
        ts: Timestamp,
        vlan: [u16; 3],
        tunnel_level: u8,
    ) -> InsertResult {
        let mut res = InsertResult::default();
        let Some(f) = parse::parse(data, ip_offset) else {
            return res;
        };
        res.fragment = true;
        if f.v6 {
            self.counters.ipv6_fragments += 1;
            if f.more && f.data_len % 8 != 0 {
                res.events.push(DefragEvent::Ipv6FragInvalidLength);
            }
        } else {
            self.counters.ipv4_fragments += 1;
        }
        let (lo, hi) = if f.src <= f.dst {
            (f.src, f.dst)
        } else {
            (f.dst, f.src)
        };
        let key = Key {
            lo,
            hi,
            id: f.id,
            proto: if f.v6 { 0 } else { f.proto },
            v6: f.v6,
            vlan,
            tunnel_level,
        };
        if !self.get_tracker(key, &f, ts) {
            self.counters.max_frag_hits += 1;
            return res;
        }
        self.insert_frag(key, &f, data, ts, &mut res);
        res
    }

    /// Frees the trackers whose timeout has passed at `now` (packet time); at most 1024
    /// per call. Returns how many were freed.
    pub fn timeout(&mut self, now: Timestamp) -> usize {
        let mut freed = 0;
        while freed < 1024 {
            let Some((&(at, _), &key)) = self.expiry.first_key_value() else {
                break;
            };
            if at > now.secs {
                break;
            }
            self.remove_tracker(&key);
            freed += 1;
        }
        freed
    }

    /// Calls `f` with each counter's Suricata name and value.
    pub fn for_each(&self, mut f: impl FnMut(&'static str, u64)) {
        let c = &self.counters;
        f("defrag.ipv4.fragments", c.ipv4_fragments);
        f("defrag.ipv4.reassembled", c.ipv4_reassembled);
        f("defrag.ipv6.fragments", c.ipv6_fragments);
        f("defrag.ipv6.reassembled", c.ipv6_reassembled);
        f("defrag.max_frag_hits", c.max_frag_hits);
    }

    pub fn counters(&self) -> DefragCounters {
        self.counters
    }

    /// Bytes currently accounted against `memcap`.
    pub fn memuse(&self) -> u64 {
        self.memuse
    }

    /// Trackers currently held.
    pub fn tracker_count(&self) -> usize {
        self.trackers.len()
    }

    /// Fragments currently held.
    pub fn fragment_count(&self) -> u64 {
        self.frag_count
    }

    /// Makes sure a live tracker exists for `key`. Returns false when none could be had.
    fn get_tracker(&mut self, key: Key, f: &FragView, ts: Timestamp) -> bool {
        if let Some(t) = self.trackers.get(&key) {
            // An expired tracker the timeout sweep has not reached yet is not reused.
            if t.expiry.0 > ts.secs {
                return true;
            }
            self.remove_tracker(&key);
        }
        if self.memuse + TRACKER_COST > self.cfg.memcap {
            // As Suricata, reuse another tracker: here the one idle the longest.
            if let Some((_, &old)) = self.expiry.first_key_value() {
                self.remove_tracker(&old);
            }
            if self.memuse + TRACKER_COST > self.cfg.memcap {
                return false;
            }
        }
        self.memuse += TRACKER_COST;
        let timeout_secs = self.cfg.timeout_for(f.dst);
        let expiry = self.next_expiry(ts, timeout_secs);
        self.expiry.insert(expiry, key);
        self.trackers.insert(
            key,
            Tracker {
                policy: self.cfg.policy_for(f.dst),
                timeout_secs,
                expiry,
                seen_last: false,
                frags: Vec::new(),
            },
        );
        true
    }

    fn next_expiry(&mut self, ts: Timestamp, timeout_secs: u32) -> (u64, u64) {
        self.seq += 1;
        (ts.secs.saturating_add(u64::from(timeout_secs)), self.seq)
    }

    fn remove_tracker(&mut self, key: &Key) {
        if let Some(t) = self.trackers.remove(key) {
            self.expiry.remove(&t.expiry);
            for fr in &t.frags {
                self.memuse = self.memuse.saturating_sub(fr.cost());
            }
            self.frag_count = self.frag_count.saturating_sub(t.frags.len() as u64);
            self.memuse = self.memuse.saturating_sub(TRACKER_COST);
        }
    }

    fn insert_frag(
        &mut self,
        key: Key,
        f: &FragView,
        data: &[u8],
        ts: Timestamp,
        res: &mut InsertResult,
    ) {
        let (too_large, overlap_ev, ignored_ev) = if f.v6 {
            (
                DefragEvent::Ipv6FragPktTooLarge,
                DefragEvent::Ipv6FragOverlap,
                DefragEvent::Ipv6FragIgnored,
            )
        } else {
            (
                DefragEvent::Ipv4FragPktTooLarge,
                DefragEvent::Ipv4FragOverlap,
                DefragEvent::Ipv4FragIgnored,
            )
        };
        let frag_off = f.offset;
        let data_len = f.data_len as u32;
        // Suricata counts a minimal 20-byte IPv4 header here, whatever the real one.
        let limit_hdr = if f.v6 { 0 } else { 20 };
        if limit_hdr + frag_off + data_len > IP_MAXPACKET {
            res.events.push(too_large);
            return;
        }
        let frag_end = frag_off + data_len;

        // Refresh the tracker's timeout.
        let (old_expiry, timeout_secs) = match self.trackers.get(&key) {
            Some(t) => (t.expiry, t.timeout_secs),
            None => return,
        };
        let new_expiry = self.next_expiry(ts, timeout_secs);
        self.expiry.remove(&old_expiry);
        self.expiry.insert(new_expiry, key);
        let Some(t) = self.trackers.get_mut(&key) else {
            return;
        };
        t.expiry = new_expiry;

        let (ltrim, overlap, dropped, freed) = resolve_overlaps(t, frag_off, frag_end);
        if let Some(cost) = freed {
            self.memuse = self.memuse.saturating_sub(cost);
            self.frag_count = self.frag_count.saturating_sub(1);
        }
        if overlap {
            res.events.push(overlap_ev);
        }
        if dropped || ltrim >= data_len {
            return;
        }

        // Build the new fragment, within the limits.
        let keep_from = f.data_off + ltrim as usize;
        let keep_to = f.data_off + data_len as usize;
        let new_off = frag_off + ltrim;
        let head_len = if new_off == 0 { f.data_off } else { 0 };
        let cost = FRAG_COST + (keep_to - keep_from) as u64 + head_len as u64;
        if self.frag_count >= u64::from(self.cfg.max_frags)
            || t.frags.len() >= self.cfg.max_frags_per_tracker as usize
            || self.memuse + cost > self.cfg.memcap
        {
            res.events.push(ignored_ev);
            self.counters.frags_dropped += 1;
            return;
        }
        let Some(payload) = data.get(keep_from..keep_to) else {
            return;
        };
        let head = if new_off == 0 {
            let Some(prefix) = data.get(..f.data_off) else {
                return;
            };
            let mut bytes = prefix.to_vec();
            // With extension headers before the fragment header, make the last of them
            // point at what follows the fragment header (it is removed on reassembly).
            if let Some(at) = f.prev_nh_off {
                if let Some(b) = bytes.get_mut(at) {
                    *b = f.fh_next;
                }
            }
            Some(Head {
                bytes,
                ip_off: f.ip_off,
                hlen: f.hlen,
                fh_off: f.fh_off,
                fh_next: f.fh_next,
            })
        } else {
            None
        };
        let frag = Frag {
            offset: new_off,
            ltrim: 0,
            more: f.more,
            data: payload.to_vec(),
            head,
        };
        self.memuse += frag.cost();
        self.frag_count += 1;
        // After every fragment with an offset <= ours.
        let pos = t.frags.partition_point(|x| x.offset <= new_off);
        t.frags.insert(pos, frag);
        if !f.more {
            t.seen_last = true;
        }
        if !t.seen_last {
            return;
        }
        match reassemble(t, f.v6) {
            Outcome::Wait => {}
            Outcome::Done(r) => {
                if f.v6 {
                    self.counters.ipv6_reassembled += 1;
                } else {
                    self.counters.ipv4_reassembled += 1;
                }
                res.reassembled = Some(r);
                self.remove_tracker(&key);
            }
            Outcome::Fail => self.remove_tracker(&key),
        }
    }
}

/// Applies the tracker's policy to a new fragment `[frag_off, frag_end)` against the
/// stored ones: may trim or remove stored fragments. Returns the number of leading bytes
/// to trim off the new fragment, whether it overlapped, whether it is to be dropped, and
/// the cost of a stored fragment that was removed.
fn resolve_overlaps(
    t: &mut Tracker,
    frag_off: u32,
    frag_end: u32,
) -> (u32, bool, bool, Option<u64>) {
    let mut ltrim: u32 = 0;
    let mut overlap = false;
    let n = t.frags.len();
    if n == 0 {
        return (0, false, false, None);
    }
    // Start at the last fragment before ours (or the first one), as Suricata's tree walk.
    let lb = t.frags.partition_point(|x| x.offset < frag_off);
    let mut prev = if frag_off == 0 || lb == n || lb == 0 {
        0
    } else {
        lb - 1
    };
    let mut step = Step::Next;
    while prev < n {
        let next = prev + 1;
        let (p_off, p_len, p_ltrim) = {
            let p = &t.frags[prev];
            (p.offset, p.len(), p.ltrim)
        };
        let p_end = p_off + p_len;
        if frag_off < p_end && p_off < frag_end {
            overlap = true;
        }
        step = Step::Next;
        match t.policy {
            Policy::Bsd => {
                if frag_off < p_end {
                    if p_off <= frag_off {
                        if p_end > frag_end {
                            step = Step::Drop;
                        } else {
                            ltrim = p_end - frag_off;
                            trim_next(t, next, frag_end);
                            step = Step::Insert;
                        }
                    } else {
                        if frag_off <= p_off && frag_end > p_off + p_ltrim {
                            let pl = frag_end - p_off;
                            if pl > p_ltrim {
                                t.frags[prev].ltrim = pl;
                            }
                        }
                        trim_next(t, next, frag_end);
                        step = Step::Insert;
                    }
                }
            }
            Policy::Linux => {
                if p_off + p_ltrim < frag_off + ltrim && p_end > frag_off + ltrim {
                    ltrim += p_end - frag_off;
                }
                if frag_off + ltrim < p_off + p_ltrim && frag_end > p_off + p_ltrim {
                    t.frags[prev].ltrim += frag_end - (p_off + p_ltrim);
                    step = Step::Insert;
                } else if frag_off + ltrim <= p_off + p_ltrim && frag_end >= p_end {
                    t.frags[prev].ltrim = u32::MAX; // removed below
                    step = Step::Insert;
                }
            }
            Policy::Windows => {
                if frag_off + ltrim >= p_off + ltrim && frag_end <= p_end {
                    step = Step::Drop;
                } else if frag_off + ltrim < p_off + ltrim && frag_end > p_end {
                    t.frags[prev].ltrim = u32::MAX;
                    step = Step::Insert;
                } else if (frag_off + ltrim > p_off + p_ltrim && frag_off + ltrim < p_end)
                    || (frag_off + ltrim == p_off + ltrim && frag_end > p_end)
                {
                    // The new one starts inside the old one (or at the same offset
                    // and runs past it): the old bytes win.
                    ltrim += p_end - frag_off;
                    step = Step::Insert;
                }
            }
            Policy::Solaris => {
                if frag_off < p_end {
                    if frag_off >= p_off {
                        ltrim = p_end - frag_off;
                    }
                    if frag_off < p_off && frag_end >= p_end {
                        t.frags[prev].ltrim = u32::MAX;
                    }
                    step = Step::Insert;
                }
            }
            Policy::First => {
                if frag_off >= p_off && frag_end <= p_end {
                    step = Step::Drop;
                } else if frag_off < p_off {
                    step = Step::Insert;
                } else if frag_off < p_end {
                    ltrim = p_end - frag_off;
                    step = Step::Insert;
                }
            }
            Policy::Last => {
                if frag_off <= p_off {
                    if frag_end > p_off {
                        t.frags[prev].ltrim = frag_end - p_off;
                    }
                    step = Step::Insert;
                }
            }
            Policy::BsdRight => {}
        }
        match step {
            Step::Next => prev = next,
            Step::Drop | Step::Insert => break,
        }
    }
    let mut freed = None;
    if matches!(step, Step::Insert) && prev < t.frags.len() {
        // A stored fragment fully covered now is dropped at once.
        if t.frags[prev].ltrim >= t.frags[prev].len() {
            let gone = t.frags.remove(prev);
            freed = Some(gone.cost());
        }
    }
    (ltrim, overlap, matches!(step, Step::Drop), freed)
}

/// BSD: the new fragment's end takes precedence over the start of the following one.
fn trim_next(t: &mut Tracker, next: usize, frag_end: u32) {
    if let Some(nx) = t.frags.get_mut(next) {
        if frag_end > nx.offset {
            nx.ltrim = frag_end - nx.offset;
        }
    }
}

enum Outcome {
    Wait,
    Done(Reassembled),
    Fail,
}

/// Tries to rebuild the datagram. `Wait` while the first fragment or a piece is missing;
/// `Fail` when the pieces cannot form a datagram (the tracker is then dropped).
fn reassemble(t: &Tracker, v6: bool) -> Outcome {
    let Some(first) = t.frags.first() else {
        return Outcome::Wait;
    };
    if first.offset != 0 {
        return Outcome::Wait;
    }
    // Everything from 0 to the furthest end must be covered.
    let mut len: u32 = 0;
    for fr in &t.frags {
        if fr.offset > len {
            return Outcome::Wait;
        }
        len = len.max(fr.end());
    }

    let mut out: Vec<u8> = Vec::new();
    let mut head: Option<&Head> = None;
    let mut fragmentable_off: usize = 0;
    let mut fragmentable_len: u32 = 0;
    let mut more = true;
    let mut prev_off: u32 = 0;
    for fr in &t.frags {
        // The previous fragment said it was the last and this one starts further.
        if !more && fr.offset > prev_off {
            break;
        }
        if fr.ltrim >= fr.len() {
            continue;
        }
        if fr.offset == 0 {
            let Some(h) = fr.head.as_ref() else {
                return Outcome::Fail;
            };
            // Header part: IPv4 everything up to the payload; IPv6 up to the fragment
            // header, which is dropped.
            let keep = if v6 { h.fh_off } else { h.ip_off + h.hlen };
            let Some(prefix) = h.bytes.get(..keep) else {
                return Outcome::Fail;
            };
            write_at(&mut out, 0, prefix);
            write_at(&mut out, keep, &fr.data);
            fragmentable_off = keep;
            fragmentable_len = fr.len();
            head = Some(h);
        } else {
            let at = fragmentable_off + (fr.offset + fr.ltrim) as usize;
            let Some(src) = fr.data.get(fr.ltrim as usize..) else {
                return Outcome::Fail;
            };
            write_at(&mut out, at, src);
            fragmentable_len = fragmentable_len.max(fr.end());
        }
        more = fr.more;
        prev_off = fr.offset;
    }
    let Some(h) = head else {
        return Outcome::Fail;
    };
    if v6 {
        build_v6(out, h, fragmentable_len)
    } else {
        build_v4(out, h, fragmentable_len)
    }
}

fn write_at(out: &mut Vec<u8>, at: usize, src: &[u8]) {
    let end = at + src.len();
    if out.len() < end {
        out.resize(end, 0);
    }
    out[at..end].copy_from_slice(src);
}

fn build_v4(mut out: Vec<u8>, h: &Head, fragmentable_len: u32) -> Outcome {
    let total = h.hlen as u32 + fragmentable_len;
    if total > IP_MAXPACKET || h.hlen < 20 {
        return Outcome::Fail;
    }
    let ip = h.ip_off;
    out.resize(ip + total as usize, 0);
    let Some(hdr) = out.get_mut(ip..ip + 20) else {
        return Outcome::Fail;
    };
    let old_len = u16::from_be_bytes([hdr[2], hdr[3]]);
    let old_off = u16::from_be_bytes([hdr[6], hdr[7]]);
    let old_sum = u16::from_be_bytes([hdr[10], hdr[11]]);
    let new_len = total as u16;
    hdr[2..4].copy_from_slice(&new_len.to_be_bytes());
    hdr[6..8].copy_from_slice(&[0, 0]);
    // Incremental update (RFC 1624) as Suricata does: a valid checksum stays valid, an
    // invalid one stays invalid.
    let sum = checksum_adjust(old_sum, &[old_len, old_off], &[new_len, 0]);
    hdr[10..12].copy_from_slice(&sum.to_be_bytes());
    Outcome::Done(Reassembled {
        data: out,
        ip_offset: ip,
        kind: InnerKind::Ipv4,
    })
}

fn build_v6(mut out: Vec<u8>, h: &Head, fragmentable_len: u32) -> Outcome {
    let ip = h.ip_off;
    let Some(unfrag) = h.fh_off.checked_sub(ip + 40) else {
        return Outcome::Fail;
    };
    let plen = unfrag as u32 + fragmentable_len;
    if plen > IP_MAXPACKET {
        return Outcome::Fail;
    }
    out.resize(ip + 40 + plen as usize, 0);
    let Some(hdr) = out.get_mut(ip..ip + 40) else {
        return Outcome::Fail;
    };
    hdr[4..6].copy_from_slice(&(plen as u16).to_be_bytes());
    if unfrag == 0 {
        hdr[6] = h.fh_next;
    }
    Outcome::Done(Reassembled {
        data: out,
        ip_offset: ip,
        kind: InnerKind::Ipv6,
    })
}

/// Updates a ones-complement checksum for 16-bit words changing from `old` to `new`.
fn checksum_adjust(sum: u16, old: &[u16], new: &[u16]) -> u16 {
    let mut acc: u32 = u32::from(!sum);
    for w in old {
        acc += u32::from(!*w);
    }
    for w in new {
        acc += u32::from(*w);
    }
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}
