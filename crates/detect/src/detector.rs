//! Per-thread detection: prefilter, rule inspection, alert finalisation.

use std::net::IpAddr;
use std::sync::Arc;

use palisade_decode::L4;
use palisade_rules::Action;

use crate::compile::{
    flowreq, BitOp, CompiledRule, HdrBuf, IntOp, IntVal, RuleKind, TrackBy, XTrack,
};
use crate::engine::{DetectEngine, Suppress};
use crate::inspect::Scratch;
use crate::packet::{FlowDir, PacketView};
use crate::registry::BufferId;
use crate::state::{secs, FlowDetectState, HostBits, HostKey, ThresholdTable};

/// Flags of an alert.
pub mod alert_flags {
    /// The payload match was found in the reassembled stream.
    pub const STREAM_MATCH: u8 = 1;
    /// The rule's action (pass / drop) was applied to the whole flow.
    pub const APPLY_ACTION_TO_FLOW: u8 = 2;
    /// The match was on app-layer (transaction) buffers.
    pub const STATE_MATCH: u8 = 4;
}

/// One alert of a packet.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub sid: u32,
    pub gid: u32,
    pub rev: u32,
    pub action: Action,
    /// Priority (EVE `alert.severity`).
    pub priority: u32,
    pub msg: Arc<str>,
    pub classtype: Option<Arc<str>>,
    /// Description of the classtype (EVE `alert.category`).
    pub category: Option<Arc<str>>,
    pub metadata: Arc<[(Arc<str>, Arc<str>)]>,
    /// Internal id of the rule (position in [`DetectEngine::rules`]; Suricata's `num`).
    pub rule: u32,
    /// [`alert_flags`].
    pub flags: u8,
}

/// Reusable buffers of one detection thread: detection allocates nothing per packet
/// once they have grown to the rule set's needs.
#[derive(Debug, Default)]
pub struct DetectScratch {
    cands: Vec<u32>,
    seen: Vec<u32>,
    stamp: u32,
    queue: Vec<(u32, u8)>,
    insp: Scratch,
}

impl DetectScratch {
    fn next_stamp(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
    }
}

/// Detection counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DetectCounters {
    /// Alerts emitted (`detect.alert`).
    pub alert: u64,
    /// Alerts dropped past `packet_alert_max` (`detect.alert_queue_overflow`).
    pub alert_queue_overflow: u64,
    /// Matches removed by thresholding, suppression or `noalert` (`detect.alerts_suppressed`).
    pub alerts_suppressed: u64,
}

impl DetectCounters {
    /// Every counter with its Suricata 7.0.10 name.
    pub fn for_each(&self, mut f: impl FnMut(&'static str, u64)) {
        f("detect.alert", self.alert);
        f("detect.alert_queue_overflow", self.alert_queue_overflow);
        f("detect.alerts_suppressed", self.alerts_suppressed);
    }
}

/// A detection thread.
#[derive(Debug)]
pub struct Detector {
    engine: Arc<DetectEngine>,
    scratch: DetectScratch,
    thresholds: ThresholdTable,
    hostbits: HostBits,
    pub counters: DetectCounters,
}

fn ports_ok(set: &crate::addr::PortSet, has_ports: bool, port: u16) -> bool {
    set.is_any() || (has_ports && set.contains(port))
}

fn header_match(r: &CompiledRule, pv: &PacketView) -> bool {
    let p = pv.pkt;
    let Some(ip) = p.ip else {
        return r.pkthdr && r.src.is_full() && r.dst.is_full() && r.sp.is_any() && r.dp.is_any();
    };
    if !r.has_proto(ip.proto) || (r.ip_version != 0 && r.ip_version != ip.version) {
        return false;
    }
    let hp = pv.has_ports();
    let fwd = r.src.contains(ip.src)
        && r.dst.contains(ip.dst)
        && ports_ok(&r.sp, hp, p.sp)
        && ports_ok(&r.dp, hp, p.dp);
    fwd || (r.bidir
        && r.src.contains(ip.dst)
        && r.dst.contains(ip.src)
        && ports_ok(&r.sp, hp, p.dp)
        && ports_ok(&r.dp, hp, p.sp))
}

fn flow_match(r: &CompiledRule, pv: &PacketView) -> bool {
    let f = r.flow;
    if f == 0 {
        return true;
    }
    if f & flowreq::TO_SERVER != 0 && pv.dir != Some(FlowDir::ToServer) {
        return false;
    }
    if f & flowreq::TO_CLIENT != 0 && pv.dir != Some(FlowDir::ToClient) {
        return false;
    }
    if f & flowreq::ESTABLISHED != 0 && !(pv.has_flow && pv.established) {
        return false;
    }
    if f & flowreq::NOT_ESTABLISHED != 0 && (!pv.has_flow || pv.established) {
        return false;
    }
    if f & flowreq::ONLY_FRAG != 0 && !pv.rebuilt_fragment {
        return false;
    }
    if f & flowreq::NO_FRAG != 0 && pv.rebuilt_fragment {
        return false;
    }
    true
}

/// Bytes of a packet-header buffer (`ip.src`/`ip.dst` are copied into `tmp`).
fn hdr_bytes<'a>(h: HdrBuf, pv: &PacketView<'a>, tmp: &'a mut [u8; 16]) -> Option<&'a [u8]> {
    let p = pv.pkt;
    let ip = p.ip?;
    let ip_start = ip.offset as usize;
    let l4_start = ip_start + ip.hlen as usize;
    let l4_hdr_len = match p.l4 {
        L4::Tcp(t) => usize::from(t.hlen),
        L4::Udp(_) => 8,
        L4::Icmpv4(_) | L4::Icmpv6(_) => (p.payload_offset as usize).saturating_sub(l4_start),
        _ => 0,
    };
    let range = match h {
        HdrBuf::Ipv4 if ip.version == 4 => ip_start..l4_start,
        HdrBuf::Ipv6 if ip.version == 6 => ip_start..ip_start + 40,
        HdrBuf::Tcp if matches!(p.l4, L4::Tcp(_)) => l4_start..l4_start + l4_hdr_len,
        HdrBuf::Udp if matches!(p.l4, L4::Udp(_)) => l4_start..l4_start + 8,
        HdrBuf::Icmpv4 if matches!(p.l4, L4::Icmpv4(_)) => l4_start..l4_start + l4_hdr_len,
        HdrBuf::Icmpv6 if matches!(p.l4, L4::Icmpv6(_)) => l4_start..l4_start + l4_hdr_len,
        HdrBuf::IpSrc | HdrBuf::IpDst => {
            let a = if h == HdrBuf::IpSrc { ip.src } else { ip.dst };
            return Some(match a {
                IpAddr::V4(v) => {
                    tmp[..4].copy_from_slice(&v.octets());
                    &tmp[..4]
                }
                IpAddr::V6(v) => {
                    tmp.copy_from_slice(&v.octets());
                    &tmp[..]
                }
            });
        }
        _ => return None,
    };
    p.data.get(range)
}

fn xkey(track: XTrack, pv: &PacketView, second: bool) -> HostKey {
    let Some(ip) = pv.pkt.ip else {
        return HostKey::None;
    };
    match track {
        XTrack::Src => HostKey::Host(ip.src),
        XTrack::Dst => HostKey::Host(ip.dst),
        XTrack::Both => HostKey::Host(if second { ip.dst } else { ip.src }),
        XTrack::Pair => HostKey::pair(ip.src, ip.dst),
    }
}

impl Detector {
    pub fn new(engine: Arc<DetectEngine>) -> Detector {
        let thresholds = ThresholdTable {
            max_entries: engine.cfg.max_threshold_entries,
            ..Default::default()
        };
        let hostbits = HostBits {
            max_entries: engine.cfg.max_xbits_hosts,
            ..Default::default()
        };
        let scratch = DetectScratch {
            seen: vec![0; engine.max_patterns],
            ..Default::default()
        };
        Detector {
            engine,
            scratch,
            thresholds,
            hostbits,
            counters: DetectCounters::default(),
        }
    }

    /// Capacities of the scratch buffers (to check that detection stops allocating).
    #[cfg(test)]
    pub(crate) fn scratch_capacities(&self) -> (usize, usize, usize) {
        (
            self.scratch.cands.capacity(),
            self.scratch.seen.capacity(),
            self.scratch.queue.capacity(),
        )
    }

    pub fn engine(&self) -> &Arc<DetectEngine> {
        &self.engine
    }

    /// Runs the packet rules on one packet and appends its alerts to `out` in Suricata's
    /// order (internal id). `flow` is the packet's flow state, if it has a flow.
    pub fn inspect_packet(
        &mut self,
        pv: &PacketView,
        mut flow: Option<&mut FlowDetectState>,
        out: &mut Vec<Alert>,
    ) {
        if flow.as_deref().is_some_and(|f| f.pass) {
            return;
        }
        let eng = Arc::clone(&self.engine);
        let sc = &mut self.scratch;
        sc.cands.clear();
        sc.queue.clear();
        let p = pv.pkt;
        match p.ip {
            None => sc.cands.extend_from_slice(&eng.nonip),
            Some(ip) => {
                let g = eng.group(ip.proto);
                let payload = pv.payload();
                let stream = pv.stream.unwrap_or(&[]);
                sc.next_stamp();
                g.candidates(pv, payload, stream, &mut sc.seen, sc.stamp, &mut sc.cands);
                // Ip-only rules: once per flow direction (every packet without a flow).
                let dir_idx = match pv.dir {
                    Some(FlowDir::ToClient) => 1,
                    _ => 0,
                };
                let run_iponly = match flow.as_deref_mut() {
                    Some(f) if pv.dir.is_some() => {
                        let first = !f.iponly_done[dir_idx];
                        f.iponly_done[dir_idx] = true;
                        first
                    }
                    _ => true,
                };
                if run_iponly {
                    eng.iponly.candidates(ip.src, ip.dst, &mut sc.cands);
                }
            }
        }
        sc.cands.sort_unstable();
        sc.cands.dedup();
        let now = secs(p.ts);
        let mut cands = std::mem::take(&mut self.scratch.cands);
        for &num in &cands {
            let r = &eng.rules[num as usize];
            if let Some(flags) = self.match_rule(r, pv, flow.as_deref_mut(), None, now) {
                self.scratch.queue.push((num, flags));
            }
        }
        cands.clear();
        self.scratch.cands = cands;
        self.finalize(&eng, pv, flow, out, now);
    }

    /// Runs the app-layer rules of the flow's protocol (`pv.app_proto`) with the
    /// buffers the app-layer filled for the current transaction. A rule matches when all
    /// its buffers are among `buffers` and match, and its other conditions hold.
    pub fn inspect_app_buffers(
        &mut self,
        pv: &PacketView,
        mut flow: Option<&mut FlowDetectState>,
        buffers: &[(BufferId, &[u8])],
        out: &mut Vec<Alert>,
    ) {
        if flow.as_deref().is_some_and(|f| f.pass) {
            return;
        }
        let eng = Arc::clone(&self.engine);
        self.scratch.queue.clear();
        let now = secs(pv.pkt.ts);
        // Rules of the flow's protocol and rules naming no protocol (`file.data` on tcp...).
        let mut cands = std::mem::take(&mut self.scratch.cands);
        cands.clear();
        for key in [pv.app_proto.unwrap_or(""), ""] {
            if let Some(list) = eng.app_rules.get(key) {
                cands.extend_from_slice(list);
            }
            if pv.app_proto.is_none() {
                break;
            }
        }
        cands.sort_unstable();
        cands.dedup();
        for &num in &cands {
            let r = &eng.rules[num as usize];
            if let Some(flags) = self.match_rule(r, pv, flow.as_deref_mut(), Some(buffers), now) {
                self.scratch
                    .queue
                    .push((num, flags | alert_flags::STATE_MATCH));
            }
        }
        cands.clear();
        self.scratch.cands = cands;
        self.finalize(&eng, pv, flow, out, now);
    }

    fn match_rule(
        &mut self,
        r: &CompiledRule,
        pv: &PacketView,
        flow: Option<&mut FlowDetectState>,
        app: Option<&[(BufferId, &[u8])]>,
        now: f64,
    ) -> Option<u8> {
        if !r.app_keywords.is_empty() || !header_match(r, pv) || !flow_match(r, pv) {
            return None;
        }
        if let Some(a) = &r.app_proto {
            if pv.app_proto != Some(a.as_str()) {
                return None;
            }
        }
        if !r.kws.iter().all(|k| k.matches(pv)) {
            return None;
        }
        // Flow state conditions.
        if !r.bits_pre.is_empty() || !r.ints_pre.is_empty() {
            let f = flow.as_deref()?;
            for c in &r.bits_pre {
                let ok = if c.any {
                    c.ids.iter().any(|i| f.bit(*i) == c.isset)
                } else {
                    c.ids.iter().all(|i| f.bit(*i) == c.isset)
                };
                if !ok {
                    return None;
                }
            }
            for k in &r.ints_pre {
                let cur = f.int(k.id);
                let ok = match k.op {
                    IntOp::IsSet => cur.is_some(),
                    IntOp::NotSet => cur.is_none(),
                    op => {
                        let cur = cur?;
                        let v = match k.val {
                            IntVal::Num(n) => n,
                            IntVal::Var(id) => f.int(id)?,
                        };
                        match op {
                            IntOp::Eq => cur == v,
                            IntOp::Ne => cur != v,
                            IntOp::Lt => cur < v,
                            IntOp::Gt => cur > v,
                            IntOp::Le => cur <= v,
                            _ => cur >= v,
                        }
                    }
                };
                if !ok {
                    return None;
                }
            }
        }
        for c in &r.x_pre {
            let set = match c.track {
                XTrack::Both => {
                    self.hostbits.isset(xkey(c.track, pv, false), c.id, now)
                        || self.hostbits.isset(xkey(c.track, pv, true), c.id, now)
                }
                t => self.hostbits.isset(xkey(t, pv, false), c.id, now),
            };
            if set != c.isset {
                return None;
            }
        }
        // Buffers.
        let sc = &mut self.scratch.insp;
        sc.reset();
        for (h, prog) in &r.hdr_bufs {
            let mut tmp = [0u8; 16];
            let buf = hdr_bytes(*h, pv, &mut tmp)?;
            if !prog.matches(buf, sc) {
                return None;
            }
        }
        for (id, prog) in &r.app_bufs {
            let bufs = app?;
            let (_, buf) = bufs.iter().find(|(b, _)| b == id)?;
            if !prog.matches(buf, sc) {
                return None;
            }
        }
        let mut flags = 0u8;
        if let Some(prog) = &r.payload {
            // Suricata's payload inspection: a stream rule tries the stream data ready
            // with this packet first, then the packet's payload unless that payload went
            // into the stream (and the rule does not ask for packets too) or the rule
            // wants the stream only.
            let payload = pv.payload();
            let only_stream = r.flow & flowreq::ONLY_STREAM != 0;
            let mut hit = false;
            let mut try_pkt = true;
            if r.require_stream {
                if let Some(s) = pv.stream {
                    if !s.is_empty() && prog.matches(s, sc) {
                        hit = true;
                        flags |= alert_flags::STREAM_MATCH;
                    }
                }
                try_pkt = !only_stream && (r.require_packet || !pv.stream_add);
            }
            if !hit && try_pkt && !payload.is_empty() {
                hit = prog.matches(payload, sc);
            }
            if !hit {
                return None;
            }
        } else if r.flow & flowreq::ONLY_STREAM != 0 {
            // Suricata 7.0 accepts `only_stream` only after a stream content match.
            return None;
        }
        // Post-match actions.
        if let Some(f) = flow {
            for a in &r.bits_post {
                for id in &a.ids {
                    let on = match a.op {
                        BitOp::Set => true,
                        BitOp::Unset => false,
                        BitOp::Toggle => !f.bit(*id),
                    };
                    f.set_bit(*id, on);
                }
            }
            for k in &r.ints_post {
                let v = match k.val {
                    IntVal::Num(n) => Some(n),
                    IntVal::Var(id) => f.int(id),
                };
                let Some(v) = v else { continue };
                let new = match (k.op, f.int(k.id)) {
                    (IntOp::Add, Some(cur)) => cur.wrapping_add(v),
                    (IntOp::Sub, Some(cur)) => cur.wrapping_sub(v),
                    (IntOp::Sub, None) => 0u32.wrapping_sub(v),
                    _ => v,
                };
                f.set_int(k.id, new);
            }
        }
        for a in &r.x_post {
            let keys = match a.track {
                XTrack::Both => [xkey(a.track, pv, false), xkey(a.track, pv, true)],
                t => [xkey(t, pv, false), HostKey::None],
            };
            for key in keys {
                if key == HostKey::None {
                    continue;
                }
                let on = match a.op {
                    BitOp::Set => true,
                    BitOp::Unset => false,
                    BitOp::Toggle => !self.hostbits.isset(key, a.id, now),
                };
                self.hostbits.set(key, a.id, on, a.expire, now);
            }
        }
        Some(flags)
    }

    /// Suricata's alert finalisation: thresholds and suppressions, actions, `noalert`,
    /// the stop after a pass rule, and `packet_alert_max`.
    fn finalize(
        &mut self,
        eng: &DetectEngine,
        pv: &PacketView,
        mut flow: Option<&mut FlowDetectState>,
        out: &mut Vec<Alert>,
        now: f64,
    ) {
        let max = eng.cfg.packet_alert_max;
        let mut count = 0usize;
        let mut packet_pass = false;
        let ip = pv.pkt.ip;
        let queue = std::mem::take(&mut self.scratch.queue);
        for &(num, mut flags) in &queue {
            let r = &eng.rules[num as usize];
            let mut alert = true;
            if let Some(list) = eng.suppress.get(&num) {
                for s in list {
                    let hit = match (s, ip) {
                        (Suppress::All, _) => true,
                        (Suppress::Src(set), Some(ip)) => set.contains(ip.src),
                        (Suppress::Dst(set), Some(ip)) => set.contains(ip.dst),
                        (Suppress::Either(set), Some(ip)) => {
                            set.contains(ip.src) || set.contains(ip.dst)
                        }
                        _ => false,
                    };
                    if hit {
                        alert = false;
                    }
                }
            }
            if alert {
                if let Some(spec) = &r.threshold {
                    alert = match (spec.track, flow.as_deref_mut(), ip) {
                        (TrackBy::Flow, Some(f), _) => {
                            let pos = f.thresholds.iter().position(|(n, _)| *n == num);
                            let mut e = pos.map(|i| f.thresholds[i].1);
                            let a = crate::state::threshold_step(spec, &mut e, now);
                            if let Some(e) = e {
                                match pos {
                                    Some(i) => f.thresholds[i].1 = e,
                                    None => f.thresholds.push((num, e)),
                                }
                            }
                            a
                        }
                        (track, _, ip) => {
                            let key = match (track, ip) {
                                (TrackBy::Src, Some(ip)) => HostKey::Host(ip.src),
                                (TrackBy::Dst, Some(ip)) => HostKey::Host(ip.dst),
                                (TrackBy::Both, Some(ip)) => HostKey::Pair(ip.src, ip.dst),
                                _ => HostKey::None,
                            };
                            self.thresholds.step(num, key, spec, now)
                        }
                    };
                }
            }
            if alert {
                let acts_on_flow = matches!(r.action, Action::Drop | Action::Pass)
                    && (flags & (alert_flags::STREAM_MATCH | alert_flags::STATE_MATCH) != 0
                        || r.kind == RuleKind::IpOnly
                        || r.kind == RuleKind::AppLayer);
                if acts_on_flow {
                    flags |= alert_flags::APPLY_ACTION_TO_FLOW;
                    if let Some(f) = flow.as_deref_mut() {
                        match r.action {
                            Action::Pass => f.pass = true,
                            _ => f.drop = true,
                        }
                    }
                }
                if r.action == Action::Pass {
                    packet_pass = true;
                }
            }
            if !alert || r.noalert {
                self.counters.alerts_suppressed += 1;
            } else if count < max {
                if packet_pass {
                    break;
                }
                out.push(Alert {
                    sid: r.sid,
                    gid: r.gid,
                    rev: r.rev,
                    action: r.action,
                    priority: r.priority,
                    msg: r.msg.clone(),
                    classtype: r.classtype.clone(),
                    category: r.category.clone(),
                    metadata: r.metadata.clone(),
                    rule: num,
                    flags,
                });
                count += 1;
                self.counters.alert += 1;
            } else {
                self.counters.alert_queue_overflow += 1;
            }
        }
        self.scratch.queue = queue;
        self.scratch.queue.clear();
    }
}
