//! The compiled rule set: rules in Suricata's order, signature groups per IP protocol
//! and port, and one multi-pattern prefilter per group.

use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, MatchKind};
use palisade_rules::{Action, Classification, Rule, RuleContext, ThresholdEntry, ThresholdType};

use crate::addr::IpSet;
use crate::compile::{
    compile_rule, flowreq, CompiledRule, Ctx, Names, RuleKind, Skip, ThresholdKind, ThresholdSpec,
    TrackBy,
};
use crate::keywords::PacketKw;
use crate::packet::{FlowDir, PacketView};
use crate::registry::{BufferId, BufferRegistry};

/// Detection settings (suricata.yaml `detect`, `action-order`, `packet-alert-max`,
/// threshold-file, classification).
#[derive(Clone, Debug)]
pub struct DetectConfig {
    /// Most alerts kept per packet (`packet-alert-max`, Suricata's default 15).
    pub packet_alert_max: usize,
    /// `action-order`: default pass, drop, reject, alert.
    pub action_order: [Action; 4],
    /// Entries of the threshold file (`threshold-file`).
    pub thresholds: Vec<ThresholdEntry>,
    /// classification.config, for the alert category.
    pub classification: HashMap<String, Classification>,
    /// Variables for `ip` values of suppress entries.
    pub rule_context: RuleContext,
    /// Most threshold counters kept for host / pair / rule tracking.
    pub max_threshold_entries: usize,
    /// Most hosts / host pairs holding xbits or hostbits.
    pub max_xbits_hosts: usize,
    /// Use the multi-pattern prefilter (off: every rule of a group is inspected; for
    /// measurements).
    pub prefilter: bool,
}

impl Default for DetectConfig {
    fn default() -> Self {
        DetectConfig {
            packet_alert_max: 15,
            action_order: [Action::Pass, Action::Drop, Action::Reject, Action::Alert],
            thresholds: Vec::new(),
            classification: HashMap::new(),
            rule_context: RuleContext::default(),
            max_threshold_entries: 65536,
            max_xbits_hosts: 65536,
            prefilter: true,
        }
    }
}

/// A warning of the build (rule skipped, threshold entry ignored, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildWarning {
    pub sid: u32,
    pub gid: u32,
    /// Short reason (a grouping key).
    pub reason: String,
    pub detail: String,
    pub file: String,
    pub line: usize,
}

/// Suppression of a rule's alerts from threshold.config.
#[derive(Clone, Debug)]
pub(crate) enum Suppress {
    All,
    Src(IpSet),
    Dst(IpSet),
    Either(IpSet),
}

/// Automata of at most this many patterns are built as a DFA (fastest search, 4 bytes per
/// state and byte class); larger ones as a contiguous NFA.
const DFA_MAX_PATTERNS: usize = 20_000;

/// Longest prefix of a fast pattern put in a prefilter automaton.
const FP_PREFIX_MAX: usize = 16;

/// Multi-pattern prefilter over the payload fast patterns of one signature group.
#[derive(Debug, Default)]
pub(crate) struct Prefilter {
    /// The automaton, a DFA driven byte by byte here (no per-match call overhead), or
    /// `ac` for sets too large for a DFA.
    dfa: Option<DFA>,
    ac: Option<AhoCorasick>,
    /// Case-sensitive patterns are found case-insensitively and verified here.
    verify: Vec<Option<Box<[u8]>>>,
    /// Rules of pattern `i`: `rules[start[i]..start[i+1]]`.
    start: Vec<u32>,
    rules: Vec<u32>,
}

/// Whether rule `r` is found through the payload prefilter (it has a payload fast pattern).
fn has_payload_fp(r: &CompiledRule) -> bool {
    r.payload.is_some()
        && r.fast_pattern
            .as_ref()
            .is_some_and(|fp| fp.buffer == BufferId::PAYLOAD)
}

impl Prefilter {
    /// Builds the automaton over the fast patterns of `nums` (all rules with a payload fast
    /// pattern). Returns the rules it could not take (the automaton failed to build).
    fn build(nums: &[u32], rules: &[CompiledRule]) -> (Prefilter, Vec<u32>) {
        let mut pat_ids: HashMap<(&[u8], bool), usize> = HashMap::new();
        let mut pats: Vec<(&[u8], bool)> = Vec::new();
        let mut per_pat: Vec<Vec<u32>> = Vec::new();
        for &n in nums {
            let Some(fp) = &rules[n as usize].fast_pattern else {
                continue;
            };
            // A prefix of the fast pattern: the prefilter only needs to find a superset
            // of the rules (each is verified in full), and short patterns keep the DFA small
            // and let a buffer be scanned in independent lanes (see `scan`).
            let bytes = &fp.bytes[..fp.bytes.len().min(FP_PREFIX_MAX)];
            let key = (bytes, fp.nocase);
            let id = *pat_ids.entry(key).or_insert_with(|| {
                pats.push(key);
                per_pat.push(Vec::new());
                pats.len() - 1
            });
            per_pat[id].push(n);
        }
        if pats.is_empty() {
            return (Prefilter::default(), Vec::new());
        }
        // One automaton per protocol group, so a DFA (several times faster than the NFA
        // in overlapping search) is affordable.
        let dfa = (pats.len() <= DFA_MAX_PATTERNS)
            .then(|| {
                DFA::builder()
                    .match_kind(MatchKind::Standard)
                    .ascii_case_insensitive(true)
                    .prefilter(false)
                    .start_kind(aho_corasick::StartKind::Unanchored)
                    .build(pats.iter().map(|(p, _)| *p))
                    .ok()
            })
            .flatten();
        let ac = if dfa.is_some() {
            None
        } else {
            AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(pats.iter().map(|(p, _)| *p))
                .ok()
        };
        if dfa.is_none() && ac.is_none() {
            // No automaton: every rule is inspected.
            let mut all: Vec<u32> = per_pat.into_iter().flatten().collect();
            all.sort_unstable();
            return (Prefilter::default(), all);
        }
        let verify = pats
            .iter()
            .map(|(p, nocase)| {
                (!nocase && p.iter().any(|b| b.is_ascii_alphabetic())).then(|| Box::from(*p))
            })
            .collect();
        let mut start = Vec::with_capacity(per_pat.len() + 1);
        let mut flat = Vec::new();
        for v in &per_pat {
            start.push(flat.len() as u32);
            flat.extend_from_slice(v);
        }
        start.push(flat.len() as u32);
        (
            Prefilter {
                dfa,
                ac,
                verify,
                start,
                rules: flat,
            },
            Vec::new(),
        )
    }

    /// Heap bytes of the automaton and the pattern-to-rule lists.
    pub(crate) fn memory(&self) -> usize {
        self.ac.as_ref().map_or(0, |a| a.memory_usage())
            + self.dfa.as_ref().map_or(0, |a| a.memory_usage())
            + self.rules.len() * 4
            + self.start.len() * 4
            + self
                .verify
                .iter()
                .flatten()
                .map(|v| v.len() + 16)
                .sum::<usize>()
    }

    pub(crate) fn patterns(&self) -> usize {
        self.verify.len()
    }

    /// Adds to `out` the rules whose fast pattern occurs in `buf`. `seen` holds one
    /// stamp per pattern (grown once to the largest prefilter), `stamp` is this scan's.
    pub(crate) fn scan(&self, buf: &[u8], seen: &mut Vec<u32>, stamp: u32, out: &mut Vec<u32>) {
        if buf.is_empty() || (self.dfa.is_none() && self.ac.is_none()) {
            return;
        }
        if seen.len() < self.verify.len() {
            seen.resize(self.verify.len(), 0);
        }
        if let Some(dfa) = &self.dfa {
            let Ok(start) = dfa.start_state(Anchored::No) else {
                return;
            };
            // The buffer is cut in up to 4 lanes walked in lockstep, so that the
            // transition-table loads of the lanes (independent chains, mostly cache misses)
            // overlap. Lane k reports the matches ending in (k*n/lanes, (k+1)*n/lanes]; it
            // starts FP_PREFIX_MAX - 1 bytes early so that a match crossing its start is
            // still found (a match found twice is counted once through `seen`).
            let n = buf.len();
            let lanes = if n >= 1024 {
                4
            } else if n >= 256 {
                2
            } else {
                1
            };
            let mut pos = [0usize; 4];
            let mut end = [0usize; 4];
            let mut st = [start; 4];
            for k in 0..lanes {
                pos[k] = (k * n / lanes).saturating_sub(FP_PREFIX_MAX - 1);
                end[k] = (k + 1) * n / lanes;
            }
            let common = (0..lanes).map(|k| end[k] - pos[k]).min().unwrap_or(0);
            for _ in 0..common {
                for k in 0..lanes {
                    let i = pos[k];
                    let Some(&b) = buf.get(i) else { break };
                    st[k] = dfa.next_state(Anchored::No, st[k], b);
                    if dfa.is_special(st[k]) && dfa.is_match(st[k]) {
                        self.report(dfa, st[k], i + 1, buf, seen, stamp, out);
                    }
                    pos[k] = i + 1;
                }
            }
            for k in 0..lanes {
                for i in pos[k]..end[k] {
                    let Some(&b) = buf.get(i) else { break };
                    st[k] = dfa.next_state(Anchored::No, st[k], b);
                    if dfa.is_special(st[k]) && dfa.is_match(st[k]) {
                        self.report(dfa, st[k], i + 1, buf, seen, stamp, out);
                    }
                }
            }
        } else if let Some(ac) = &self.ac {
            for m in ac.find_overlapping_iter(buf) {
                self.hit(m.pattern().as_usize(), buf, m.range(), seen, stamp, out);
            }
        }
    }

    /// The patterns of match state `sid`, ending at `end` of `buf`.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn report(
        &self,
        dfa: &DFA,
        sid: aho_corasick::automaton::StateID,
        end: usize,
        buf: &[u8],
        seen: &mut [u32],
        stamp: u32,
        out: &mut Vec<u32>,
    ) {
        for k in 0..dfa.match_len(sid) {
            let pid = dfa.match_pattern(sid, k);
            let len = dfa.pattern_len(pid);
            self.hit(
                pid.as_usize(),
                buf,
                end.saturating_sub(len)..end,
                seen,
                stamp,
                out,
            );
        }
    }

    /// Pattern `id` found at `range` of `buf`: adds its rules once per stamp.
    #[inline]
    fn hit(
        &self,
        id: usize,
        buf: &[u8],
        range: std::ops::Range<usize>,
        seen: &mut [u32],
        stamp: u32,
        out: &mut Vec<u32>,
    ) {
        if seen.get(id) != Some(&stamp) {
            if let Some(exact) = self.verify.get(id).and_then(Option::as_ref) {
                if buf.get(range) != Some(&exact[..]) {
                    return;
                }
            }
            if let (Some(s), Some(&a), Some(&e)) =
                (seen.get_mut(id), self.start.get(id), self.start.get(id + 1))
            {
                *s = stamp;
                out.extend_from_slice(self.rules.get(a as usize..e as usize).unwrap_or(&[]));
            }
        }
    }
}

/// Rules without a payload fast pattern, grouped by one port of the packet.
#[derive(Debug)]
pub(crate) struct PortTable {
    /// List index for each port.
    idx: Vec<u32>,
    lists: Vec<Vec<u32>>,
}

impl PortTable {
    pub(crate) fn get(&self, port: u16) -> &[u32] {
        &self.lists[self.idx[port as usize] as usize]
    }
}

/// The signature group of one IP protocol: one prefilter over the payload fast patterns
/// of all its rules (a packet is scanned once; the rule's ports are checked when it is
/// inspected), and the rules inspected on every packet, by port.
#[derive(Debug, Default)]
pub(crate) struct ProtoGroup {
    /// Fast patterns of all the group's rules.
    pub mpm: Prefilter,
    /// Rules without a fast pattern whose ports do not restrict them, split by what they
    /// need of the packet: `any[2 * d + n]`, `d` the flow direction they require (0 none,
    /// 1 to server, 2 to client), `n` 1 when they inspect the payload (never matching
    /// without payload or stream data).
    pub any: [Vec<u32>; 6],
    /// Rules without a fast pattern whose ports do not restrict them and that need a
    /// decoder or stream event (`decode-event`, `stream-event`): only for packets with
    /// events.
    pub events: Vec<u32>,
    /// Rules without a fast pattern restricted by destination port (looked up with the
    /// packet's dp).
    pub by_dp: Option<PortTable>,
    /// Same, restricted by source port only (looked up with the packet's sp).
    pub by_sp: Option<PortTable>,
}

impl ProtoGroup {
    /// Adds to `out` the rules of the group to inspect on a packet: those without a fast
    /// pattern for its ports, and those whose fast pattern occurs in `payload` or `stream`
    /// (not sorted, may repeat). `stamp` must be new for each call.
    pub(crate) fn candidates(
        &self,
        pv: &PacketView,
        payload: &[u8],
        stream: &[u8],
        seen: &mut Vec<u32>,
        stamp: u32,
        out: &mut Vec<u32>,
    ) {
        let ports = pv.has_ports().then_some((pv.pkt.sp, pv.pkt.dp));
        let dir = pv.dir;
        if !pv.pkt.events.is_empty() || pv.stream_events != [0; 2] {
            out.extend_from_slice(&self.events);
        }
        let data = usize::from(!payload.is_empty() || !stream.is_empty());
        let d = match dir {
            None => 0,
            Some(FlowDir::ToServer) => 1,
            Some(FlowDir::ToClient) => 2,
        };
        for dc in [0, d] {
            for n in 0..=data {
                out.extend_from_slice(&self.any[2 * dc + n]);
            }
            if d == 0 {
                break;
            }
        }
        if let Some((sp, dp)) = ports {
            if let Some(t) = &self.by_dp {
                out.extend_from_slice(t.get(dp));
            }
            if let Some(t) = &self.by_sp {
                out.extend_from_slice(t.get(sp));
            }
        }
        self.mpm.scan(payload, seen, stamp, out);
        self.mpm.scan(stream, seen, stamp, out);
    }
}

fn build_port_table(members: &[(u32, Vec<(u16, u16)>)]) -> Option<PortTable> {
    if members.is_empty() {
        return None;
    }
    // Segment boundaries.
    let mut cuts: Vec<u32> = vec![0, 65536];
    for (_, ranges) in members {
        for &(a, b) in ranges {
            cuts.push(u32::from(a));
            cuts.push(u32::from(b) + 1);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let nseg = cuts.len() - 1;
    let mut segs: Vec<Vec<u32>> = vec![Vec::new(); nseg];
    for (num, ranges) in members {
        for &(a, b) in ranges {
            let s = cuts.partition_point(|&c| c <= u32::from(a)) - 1;
            let e = cuts.partition_point(|&c| c <= u32::from(b)) - 1;
            for seg in &mut segs[s..=e] {
                if seg.last() != Some(num) {
                    seg.push(*num);
                }
            }
        }
    }
    let mut ids: HashMap<Vec<u32>, u32> = HashMap::new();
    let mut lists = Vec::new();
    let mut idx = vec![0u32; 65536];
    for (i, mut set) in segs.into_iter().enumerate() {
        set.sort_unstable();
        set.dedup();
        let id = match ids.get(&set) {
            Some(id) => *id,
            None => {
                let id = lists.len() as u32;
                lists.push(set.clone());
                ids.insert(set, id);
                id
            }
        };
        for p in cuts[i]..cuts[i + 1] {
            idx[p as usize] = id;
        }
    }
    Some(PortTable { idx, lists })
}

fn build_group(
    nums: &[u32],
    rules: &[CompiledRule],
    with_ports: bool,
    enabled: bool,
) -> ProtoGroup {
    let with_fp: Vec<u32> = if enabled {
        nums.iter()
            .copied()
            .filter(|&n| has_payload_fp(&rules[n as usize]))
            .collect()
    } else {
        Vec::new()
    };
    let (mpm, failed) = Prefilter::build(&with_fp, rules);
    let mut any: [Vec<u32>; 6] = Default::default();
    let any_slot = |r: &CompiledRule| {
        let d = if r.flow & flowreq::TO_SERVER != 0 {
            1
        } else if r.flow & flowreq::TO_CLIENT != 0 {
            2
        } else {
            0
        };
        2 * d + usize::from(r.payload.is_some())
    };
    let mut events = Vec::new();
    let mut dp = Vec::new();
    let mut sp = Vec::new();
    for &n in nums {
        let r = &rules[n as usize];
        if enabled && has_payload_fp(r) && failed.binary_search(&n).is_err() {
            continue;
        }
        let needs_event = r
            .kws
            .iter()
            .any(|k| matches!(k, PacketKw::DecodeEvent(_) | PacketKw::StreamEvent(_)));
        if (!with_ports || r.bidir || (r.dp.is_any() && r.sp.is_any())) && needs_event {
            events.push(n);
        } else if !with_ports || r.bidir {
            any[any_slot(r)].push(n);
        } else if !r.dp.is_any() {
            dp.push((n, r.dp.ranges().collect()));
        } else if !r.sp.is_any() {
            sp.push((n, r.sp.ranges().collect()));
        } else {
            any[any_slot(r)].push(n);
        }
    }
    ProtoGroup {
        mpm,
        any,
        events,
        by_dp: build_port_table(&dp),
        by_sp: build_port_table(&sp),
    }
}

/// Ip-only rules indexed by address: each rule is filed under the narrower of its source
/// and destination sets (per address family), so a packet looks up its two addresses
/// instead of testing every ip-only rule.
#[derive(Debug, Default)]
pub(crate) struct IpOnlyIndex {
    /// [family v4/v6][side src/dst]
    idx: [[SegIndex; 2]; 2],
    /// Rules checked for every packet (bidirectional, or both sides broad).
    pub always: Vec<u32>,
}

#[derive(Debug, Default)]
struct SegIndex {
    cuts: Vec<u128>,
    lists: Vec<Vec<u32>>,
}

impl SegIndex {
    fn build(members: &[Member]) -> SegIndex {
        if members.is_empty() {
            return SegIndex::default();
        }
        let mut cuts: Vec<u128> = vec![0];
        for (_, rs) in members {
            for &(a, b) in *rs {
                cuts.push(a);
                if b < u128::MAX {
                    cuts.push(b + 1);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); cuts.len()];
        for (num, rs) in members {
            for &(a, b) in *rs {
                let s = cuts.partition_point(|&c| c <= a) - 1;
                let e = cuts.partition_point(|&c| c <= b) - 1;
                for l in &mut lists[s..=e] {
                    if l.last() != Some(num) {
                        l.push(*num);
                    }
                }
            }
        }
        for l in &mut lists {
            l.shrink_to_fit();
        }
        SegIndex { cuts, lists }
    }

    fn get(&self, v: u128) -> &[u32] {
        let i = self.cuts.partition_point(|&c| c <= v);
        if i == 0 {
            return &[];
        }
        &self.lists[i - 1]
    }
}

/// A rule and the address ranges it is filed under.
type Member<'a> = (u32, &'a [(u128, u128)]);

fn addr_num(a: std::net::IpAddr) -> (usize, u128) {
    match a {
        std::net::IpAddr::V4(v) => (0, u128::from(u32::from(v))),
        std::net::IpAddr::V6(v) => (1, u128::from(v)),
    }
}

impl IpOnlyIndex {
    fn build(nums: &[u32], rules: &[CompiledRule]) -> IpOnlyIndex {
        let mut members: [[Vec<Member>; 2]; 2] = Default::default();
        let mut always = Vec::new();
        for &n in nums {
            let r = &rules[n as usize];
            if r.bidir {
                always.push(n);
                continue;
            }
            let mut broad = false;
            let mut picks = Vec::new();
            for fam in 0..2 {
                let v6 = fam == 1;
                let (cs, cd) = (r.src.coverage(v6), r.dst.coverage(v6));
                let side = usize::from(cd < cs);
                if cs.min(cd) > 0.5 {
                    broad = true;
                }
                let set = if side == 0 { &r.src } else { &r.dst };
                picks.push((fam, side, set.ranges(v6)));
            }
            if broad {
                always.push(n);
                continue;
            }
            for (fam, side, ranges) in picks {
                if !ranges.is_empty() {
                    members[fam][side].push((n, ranges));
                }
            }
        }
        let idx = [
            [
                SegIndex::build(&members[0][0]),
                SegIndex::build(&members[0][1]),
            ],
            [
                SegIndex::build(&members[1][0]),
                SegIndex::build(&members[1][1]),
            ],
        ];
        IpOnlyIndex { idx, always }
    }

    /// Adds to `out` the ip-only rules that may match a packet from `src` to `dst`.
    pub(crate) fn candidates(
        &self,
        src: std::net::IpAddr,
        dst: std::net::IpAddr,
        out: &mut Vec<u32>,
    ) {
        out.extend_from_slice(&self.always);
        let (fs, s) = addr_num(src);
        out.extend_from_slice(self.idx[fs][0].get(s));
        let (fd, d) = addr_num(dst);
        out.extend_from_slice(self.idx[fd][1].get(d));
    }
}

/// Protocols with a group of their own; other IP protocols share the `other` group.
const GROUP_PROTOS: [u8; 5] = [1, 6, 17, 58, 132];

/// The compiled rule set, shared by all detection threads.
#[derive(Debug)]
pub struct DetectEngine {
    /// Rules in Suricata's internal order: the position is the internal id (`num`).
    pub rules: Vec<CompiledRule>,
    pub(crate) groups: Vec<ProtoGroup>,
    pub(crate) other: ProtoGroup,
    /// Rules for packets without an IP layer (`pkthdr`).
    pub(crate) nonip: Vec<u32>,
    pub(crate) iponly: IpOnlyIndex,
    /// App-layer rules by app protocol name (`""` for rules without one).
    pub(crate) app_rules: HashMap<String, Vec<u32>>,
    pub(crate) suppress: HashMap<u32, Vec<Suppress>>,
    pub registry: BufferRegistry,
    pub(crate) cfg: DetectConfig,
    pub(crate) flowbit_names: HashMap<String, u32>,
    pub(crate) max_patterns: usize,
}

/// Rank of an action in `action-order`.
fn action_rank(order: &[Action; 4], a: Action) -> usize {
    let a = match a {
        Action::RejectSrc | Action::RejectDst | Action::RejectBoth => Action::Reject,
        other => other,
    };
    order.iter().position(|x| *x == a).unwrap_or(4)
}

fn track_of(t: palisade_rules::Track) -> TrackBy {
    match t {
        palisade_rules::Track::BySrc => TrackBy::Src,
        palisade_rules::Track::ByDst => TrackBy::Dst,
        palisade_rules::Track::ByRule => TrackBy::Rule,
        palisade_rules::Track::ByBoth => TrackBy::Both,
        palisade_rules::Track::ByFlow => TrackBy::Flow,
        palisade_rules::Track::ByEither => TrackBy::Src,
    }
}

impl DetectEngine {
    /// Compiles `rules`. Rules that cannot be compiled are left out with a warning.
    pub fn build(rules: &[Rule], cfg: &DetectConfig) -> (DetectEngine, Vec<BuildWarning>) {
        let mut warnings = Vec::new();
        let mut names = Names::default();
        let mut registry = BufferRegistry::default();
        let mut strings = HashMap::new();
        let mut compiled = Vec::with_capacity(rules.len());
        {
            let mut cx = Ctx {
                names: &mut names,
                registry: &mut registry,
                classification: &cfg.classification,
                strings: &mut strings,
            };
            for (i, r) in rules.iter().enumerate() {
                match compile_rule(r, i, &mut cx) {
                    Ok(c) => compiled.push(c),
                    Err(Skip { reason, detail }) => warnings.push(BuildWarning {
                        sid: r.sid,
                        gid: r.gid,
                        reason,
                        detail,
                        file: r.file.clone(),
                        line: r.line,
                    }),
                }
            }
        }
        // threshold.config: thresholds replace the rule's own; suppressions.
        let mut suppress_by_key: Vec<((u32, u32), Suppress)> = Vec::new();
        let mut th_by_key: HashMap<(u32, u32), ThresholdSpec> = HashMap::new();
        for e in &cfg.thresholds {
            match e {
                ThresholdEntry::Threshold {
                    gid,
                    sid,
                    kind,
                    track,
                    count,
                    seconds,
                } => {
                    let kind = match kind {
                        ThresholdType::Limit => ThresholdKind::Limit,
                        ThresholdType::Threshold => ThresholdKind::Threshold,
                        ThresholdType::Both => ThresholdKind::Both,
                        ThresholdType::Backoff => ThresholdKind::Backoff,
                    };
                    th_by_key.insert(
                        (*gid, *sid),
                        ThresholdSpec {
                            kind,
                            track: track_of(*track),
                            count: *count,
                            seconds: *seconds,
                        },
                    );
                }
                ThresholdEntry::Suppress { gid, sid, track } => {
                    let s = match track {
                        None => Suppress::All,
                        Some((t, ip)) => {
                            let set = match palisade_rules::header::parse_address(
                                ip,
                                &cfg.rule_context,
                            ) {
                                Ok(e) => IpSet::from_expr(&e),
                                Err(err) => {
                                    warnings.push(BuildWarning {
                                        sid: *sid,
                                        gid: *gid,
                                        reason: "threshold.config suppress ip".into(),
                                        detail: err,
                                        file: String::new(),
                                        line: 0,
                                    });
                                    continue;
                                }
                            };
                            match t {
                                palisade_rules::Track::BySrc => Suppress::Src(set),
                                palisade_rules::Track::ByDst => Suppress::Dst(set),
                                _ => Suppress::Either(set),
                            }
                        }
                    };
                    suppress_by_key.push(((*gid, *sid), s));
                }
                ThresholdEntry::RateFilter { gid, sid, .. } => warnings.push(BuildWarning {
                    sid: *sid,
                    gid: *gid,
                    reason: "rate_filter not supported".into(),
                    detail: "threshold.config rate_filter entries are ignored".into(),
                    file: String::new(),
                    line: 0,
                }),
            }
        }
        for r in &mut compiled {
            let spec = th_by_key
                .get(&(r.gid, r.sid))
                .or_else(|| th_by_key.get(&(r.gid, 0)))
                .or_else(|| th_by_key.get(&(0, 0)));
            if let Some(s) = spec {
                r.threshold = Some(*s);
            }
        }
        // Suricata's order: action, flowbits, flowint, xbits, priority; then load order.
        let order = cfg.action_order;
        compiled.sort_by_key(|r| {
            (
                action_rank(&order, r.action),
                std::cmp::Reverse(r.rank_bits),
                std::cmp::Reverse(r.rank_int),
                std::cmp::Reverse(r.rank_x),
                r.priority,
                r.input_index,
            )
        });
        let mut suppress: HashMap<u32, Vec<Suppress>> = HashMap::new();
        for (num, r) in compiled.iter().enumerate() {
            for ((g, s), sup) in &suppress_by_key {
                if *g == r.gid && (*s == r.sid || *s == 0) {
                    suppress.entry(num as u32).or_default().push(sup.clone());
                }
            }
        }
        // Groups.
        let mut per_proto: Vec<Vec<u32>> = vec![Vec::new(); GROUP_PROTOS.len()];
        let mut other = Vec::new();
        let mut nonip = Vec::new();
        let mut iponly = Vec::new();
        let mut app_rules: HashMap<String, Vec<u32>> = HashMap::new();
        for (num, r) in compiled.iter().enumerate() {
            let num = num as u32;
            match r.kind {
                RuleKind::AppLayer => {
                    app_rules
                        .entry(r.app_proto.clone().unwrap_or_default())
                        .or_default()
                        .push(num);
                    continue;
                }
                RuleKind::IpOnly => {
                    iponly.push(num);
                    continue;
                }
                _ => {}
            }
            for (i, p) in GROUP_PROTOS.iter().enumerate() {
                if r.has_proto(*p) {
                    per_proto[i].push(num);
                }
            }
            // Any protocol outside the dedicated groups.
            if (0..=255u8).any(|p| !GROUP_PROTOS.contains(&p) && r.has_proto(p)) {
                other.push(num);
            }
            if r.pkthdr {
                nonip.push(num);
            }
        }
        let groups: Vec<ProtoGroup> = GROUP_PROTOS
            .iter()
            .zip(&per_proto)
            .map(|(p, nums)| build_group(nums, &compiled, matches!(p, 6 | 17 | 132), cfg.prefilter))
            .collect();
        let other = build_group(&other, &compiled, false, cfg.prefilter);
        let max_patterns = groups
            .iter()
            .chain(std::iter::once(&other))
            .map(|g| g.mpm.patterns())
            .max()
            .unwrap_or(0);
        let iponly = IpOnlyIndex::build(&iponly, &compiled);
        let engine = DetectEngine {
            rules: compiled,
            groups,
            other,
            nonip,
            iponly,
            app_rules,
            suppress,
            registry,
            cfg: cfg.clone(),
            flowbit_names: names.flowbits,
            max_patterns,
        };
        (engine, warnings)
    }

    /// The group of IP protocol `proto`.
    pub(crate) fn group(&self, proto: u8) -> &ProtoGroup {
        match GROUP_PROTOS.iter().position(|p| *p == proto) {
            Some(i) => &self.groups[i],
            None => &self.other,
        }
    }

    pub fn config(&self) -> &DetectConfig {
        &self.cfg
    }

    /// Number of compiled rules of each kind.
    pub fn kind_counts(&self) -> Vec<(RuleKind, usize)> {
        let mut m: HashMap<RuleKind, usize> = HashMap::new();
        for r in &self.rules {
            *m.entry(r.kind).or_default() += 1;
        }
        let mut v: Vec<_> = m.into_iter().collect();
        v.sort();
        v
    }

    /// Heap bytes of the prefilters and port tables.
    pub fn prefilter_memory(&self) -> usize {
        let mut n = 0;
        for g in self.groups.iter().chain(std::iter::once(&self.other)) {
            n += g.mpm.memory()
                + g.any.iter().map(|l| l.len() * 4).sum::<usize>()
                + g.events.len() * 4;
            for t in [&g.by_dp, &g.by_sp].into_iter().flatten() {
                n += t.idx.len() * 4 + t.lists.iter().map(|l| l.len() * 4).sum::<usize>();
            }
        }
        n
    }

    /// Figures of the groups: (prefilters, patterns, always-inspected rule slots).
    pub fn group_stats(&self) -> (usize, usize, usize) {
        let (mut pfs, mut pats, mut always) = (0, 0, 0);
        for g in self.groups.iter().chain(std::iter::once(&self.other)) {
            pfs += usize::from(g.mpm.patterns() > 0);
            pats += g.mpm.patterns();
            always += g.any.iter().map(Vec::len).sum::<usize>() + g.events.len();
            for t in [&g.by_dp, &g.by_sp].into_iter().flatten() {
                always += t.lists.iter().map(Vec::len).sum::<usize>();
            }
        }
        (pfs, pats, always)
    }

    /// The id of a flowbit name, for tests and state inspection.
    pub fn flowbit_id(&self, name: &str) -> Option<u32> {
        self.flowbit_names.get(name).copied()
    }

    /// Wraps the engine for sharing between detection threads.
    pub fn shared(self) -> Arc<DetectEngine> {
        Arc::new(self)
    }
}

#[cfg(test)]
mod prefilter_tests {
    use super::*;

    /// Rules `content:"<pattern>"` (sid = index + 1) compiled into one engine.
    fn engine(pats: &[Vec<u8>]) -> DetectEngine {
        let ctx = RuleContext::default();
        let rules: Vec<Rule> = pats
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let hex: String = p.iter().map(|b| format!("{b:02x} ")).collect();
                let t = format!(
                    "alert tcp any any -> any any (content:\"|{hex}|\"; sid:{};)",
                    i + 1
                );
                palisade_rules::parse_rule(&t, &ctx).expect("rule")
            })
            .collect();
        DetectEngine::build(&rules, &DetectConfig::default()).0
    }

    /// Sids of the rules the tcp prefilter finds in `buf`.
    fn found(e: &DetectEngine, buf: &[u8]) -> Vec<u32> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        e.group(6).mpm.scan(buf, &mut seen, 1, &mut out);
        let mut sids: Vec<u32> = out.iter().map(|n| e.rules[*n as usize].sid).collect();
        sids.sort_unstable();
        sids.dedup();
        sids
    }

    #[test]
    fn lanes_find_patterns_at_every_boundary() {
        // Patterns of 1 to 40 bytes (longer than the 32-byte prefix kept in the automaton)
        // from bytes 0x80..: the filler (0x00..0x7f) never contains them.
        let pats: Vec<Vec<u8>> = [1usize, 2, 5, 31, 32, 33, 40]
            .iter()
            .enumerate()
            .map(|(k, &len)| {
                (0..len)
                    .map(|j| 0x80 + ((k * 7 + j) % 0x7f) as u8)
                    .collect()
            })
            .collect();
        let e = engine(&pats);
        // Buffer sizes: one lane, two lanes, four lanes.
        for n in [100usize, 300, 1100, 4000] {
            let filler: Vec<u8> = (0..n).map(|i| (i % 0x7f) as u8).collect();
            assert!(found(&e, &filler).is_empty(), "n={n}: filler matched");
            // Positions around each lane cut (n/4, n/2, 3n/4) and the ends.
            let mut at: Vec<usize> = vec![0];
            for cut in [n / 4, n / 2, 3 * n / 4, n] {
                for d in [0usize, 1, 15, 31, 32, 33, 40] {
                    at.push(cut.saturating_sub(d));
                    at.push(cut + d);
                }
            }
            for (k, p) in pats.iter().enumerate() {
                for &a in &at {
                    if a + p.len() > n {
                        continue;
                    }
                    let mut buf = filler.clone();
                    buf[a..a + p.len()].copy_from_slice(p);
                    // Expected: the patterns whose prefix kept in the automaton occurs
                    // (naive search); pattern k's always does.
                    let want: Vec<u32> = pats
                        .iter()
                        .enumerate()
                        .filter(|(_, q)| {
                            let pre = &q[..q.len().min(FP_PREFIX_MAX)];
                            buf.windows(pre.len()).any(|w| w == pre)
                        })
                        .map(|(j, _)| j as u32 + 1)
                        .collect();
                    assert!(want.contains(&(k as u32 + 1)));
                    assert_eq!(found(&e, &buf), want, "n={n} pattern {k} at {a}");
                }
            }
        }
    }
}
