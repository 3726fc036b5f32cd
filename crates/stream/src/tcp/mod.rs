//! TCP session tracker: Suricata 7's TCP state machine, sequence/ack/window validation,
//! stream events and counters, on top of the per-direction [`SegmentStore`]s.
//!
//! # How the engine uses it
//! The engine owns the flow table and, per TCP flow, one `Option<Box<TcpSession>>`
//! (`None` until the tracker creates a session). For every TCP packet of the flow it
//! calls [`StreamEngine::handle`] with the segment ([`TcpSegment::from_packet`]) and
//! whether the packet goes in the flow's initial direction; the tracker creates the
//! session when Suricata would, tracks it, and hands the in-order bytes of each direction
//! (and notices of holes) to a [`StreamSink`]. When the flow ends (timeout, reuse,
//! eviction, end of input) the engine calls [`StreamEngine::flow_end`], which flushes
//! what is left (as Suricata's end-of-flow pseudo packets do) and frees the memory.
//!
//! A [`Verdict`] tells the engine what the packet did: events raised, the packet is
//! invalid for the stream (Suricata's `-1` path; dropped inline with
//! `stream.drop-invalid`), the flow must be reversed (a mid-stream pick-up on a SYN/ACK),
//! and the exception policy to apply when a memcap was hit.
//!
//! Delivery follows Suricata's IDS mode: a direction's bytes are handed over once the
//! other side has acknowledged them (inline mode: as soon as they are in order);
//! everything left is flushed at flow end, with [`StreamSink::eof`].
//!
//! # Fidelity checks
//! - `tests/tshark_parity.rs`: the delivered bytes of 600 sessions from 285 shared
//!   captures equal tshark's `follow,tcp,raw` (595; the 5 others carry data Suricata's
//!   engine rejects as out of window or after a RST, with the same events as Suricata).
//! - `tests/event_dump.rs` (ignored, a development aid) writes the stream events of whole
//!   captures; on 450 shared captures, 522 of Suricata 7.0.10's 529 stream anomaly
//!   records are raised on the same packet, plus 1 of ours Suricata does not raise
//!   (differences: app-layer-dependent pruning and gap reporting, see below).
//!
//! # Differences from Suricata (documented simplifications)
//! - Suricata's app layer decides how far a stream's data is consumed (a parser that
//!   needs more bytes keeps them), which moves the point up to which a stream is pruned
//!   and thus which retransmissions count as "before base_seq". Here everything handed to
//!   the sink counts as consumed. [`TcpSession::disable_app_layer`] mirrors Suricata's
//!   app-layer-disabled sessions (no delivery, no gap events).
//! - SACK blocks are parsed but not used to grow the acceptable window (Suricata adds
//!   the SACKed size to `next_win`) nor for its SACK-based "outdated ACK" refinement.
//! - Urgent data follows Suricata's default (`inline`: urgent bytes stay in the
//!   stream); the `oob`/`gap`/`drop` urgent policies are not implemented.
//! - Session and segment pools are not modelled: `tcp.ssn_from_pool` counts every
//!   session, `tcp.ssn_from_cache`/`tcp.segment_from_cache` stay 0, and `tcp.memuse` /
//!   `tcp.reassembly_memuse` are Palisade's own accounting (Suricata's include its
//!   preallocated pools: 2048 sessions, 2048 segments).
//! - A FIN consumes one sequence number in both directions (Suricata does not count it
//!   for to-server FINs and compensates with `next_seq - 1` checks); the close-state
//!   checks accept both forms.
//! - `stream.reassembly.randomize-chunk-size` is deterministic (see
//!   [`StreamConfig::chunk_size`]).
//! - `stream.max-regions`, `prealloc-sessions` and `segment-prealloc` are accepted but
//!   informational (the segment store has its own bounds, see `reassembly`).

mod config;
mod events;

pub use config::{ExceptionPolicy, HostOsPolicy, InlineMode, StreamConfig, MAX_HOST_OS_ENTRIES};
pub use events::{StreamEvent, StreamEvents};

use crate::reassembly::{Chunk, MemBudget, OverlapPolicy, SegmentStore};
use palisade_capture::Timestamp;
use std::net::IpAddr;

pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const RST: u8 = 0x04;
pub const PSH: u8 = 0x08;
pub const ACK: u8 = 0x10;
pub const URG: u8 = 0x20;
pub const ECE: u8 = 0x40;
pub const CWR: u8 = 0x80;

/// Maximum window scale shift (RFC 7323).
pub const WSCALE_MAX: u8 = 14;
/// Timestamps older than this (seconds) are no longer checked (RFC 7323 PAWS).
const PAWS_24DAYS: u64 = 24 * 24 * 60 * 60;

/// Direction of data in a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dir {
    ToServer,
    ToClient,
}

impl Dir {
    pub fn other(self) -> Dir {
        match self {
            Dir::ToServer => Dir::ToClient,
            Dir::ToClient => Dir::ToServer,
        }
    }
}

/// TCP session states, in Suricata's order (the order of `flow.end.tcp_state.*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum TcpState {
    #[default]
    None,
    SynSent,
    SynRecv,
    Established,
    FinWait1,
    FinWait2,
    TimeWait,
    LastAck,
    CloseWait,
    Closing,
    Closed,
}

impl TcpState {
    /// Suricata's name, as in EVE `tcp.state`.
    pub fn name(self) -> &'static str {
        match self {
            TcpState::None => "none",
            TcpState::SynSent => "syn_sent",
            TcpState::SynRecv => "syn_recv",
            TcpState::Established => "established",
            TcpState::FinWait1 => "fin_wait1",
            TcpState::FinWait2 => "fin_wait2",
            TcpState::TimeWait => "time_wait",
            TcpState::LastAck => "last_ack",
            TcpState::CloseWait => "close_wait",
            TcpState::Closing => "closing",
            TcpState::Closed => "closed",
        }
    }
}

/// The TCP fields of one packet the tracker uses.
#[derive(Clone, Copy, Debug, Default)]
pub struct TcpSegment<'a> {
    pub seq: u32,
    pub ack: u32,
    pub flags: u8,
    pub window: u16,
    pub wscale: Option<u8>,
    /// Timestamp option: (value, echo reply).
    pub timestamps: Option<(u32, u32)>,
    pub sack_permitted: bool,
    pub mss: Option<u16>,
    /// SACK blocks (left, right edges), `sack_count` of them.
    pub sack: [(u32, u32); 4],
    pub sack_count: u8,
    /// TCP Fast Open option present.
    pub tfo: bool,
    /// MD5 signature or TCP-AO option present.
    pub auth_option: bool,
    pub payload: &'a [u8],
    pub ts: Timestamp,
    /// Sender and receiver addresses (the receiver's `host-os-policy` applies).
    pub src: Option<IpAddr>,
    pub dst: Option<IpAddr>,
    /// Transport checksum result from decode (`None`: not checked).
    pub csum_ok: Option<bool>,
}

impl<'a> TcpSegment<'a> {
    /// The segment of a decoded TCP packet (`None` for other packets).
    pub fn from_packet(p: &palisade_decode::Packet<'a>) -> Option<TcpSegment<'a>> {
        let palisade_decode::L4::Tcp(t) = p.l4 else {
            return None;
        };
        let o = &p.tcp_opts;
        let mut seg = TcpSegment {
            seq: t.seq,
            ack: t.ack,
            flags: t.flags,
            window: t.window,
            wscale: o.wscale,
            timestamps: o.ts,
            sack_permitted: o.sack_permitted,
            mss: o.mss,
            tfo: o.tfo,
            auth_option: o.md5 || o.ao,
            payload: p.payload(),
            ts: p.ts,
            src: p.ip.map(|i| i.src),
            dst: p.ip.map(|i| i.dst),
            csum_ok: p.l4_csum_ok,
            ..TcpSegment::default()
        };
        if let (Some((off, len)), Some(ip)) = (o.sack, p.ip) {
            let hdr = ip.offset as usize + ip.hlen as usize;
            let start = hdr + off as usize;
            if let Some(blocks) = p.data.get(start..start + len as usize) {
                for (i, b) in blocks.chunks_exact(8).take(4).enumerate() {
                    let l = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
                    let r = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
                    seg.sack[i] = (l, r);
                    seg.sack_count = i as u8 + 1;
                }
            }
        }
        Some(seg)
    }
}

/// Receives the in-order content of a session's directions.
pub trait StreamSink {
    /// `bytes` at stream offset `offset` (0 = first byte after the SYN).
    fn data(&mut self, dir: Dir, offset: u64, bytes: &[u8]);
    /// A hole of `len` bytes at `offset` (Suricata's `tcp.reassembly_gap`).
    fn gap(&mut self, dir: Dir, offset: u64, len: u64);
    /// No more data in this direction (flow end).
    fn eof(&mut self, _dir: Dir) {}
}

/// A sink that drops everything.
pub struct NullSink;
impl StreamSink for NullSink {
    fn data(&mut self, _: Dir, _: u64, _: &[u8]) {}
    fn gap(&mut self, _: Dir, _: u64, _: u64) {}
}

/// What a memcap hit asks the engine to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExceptionTrigger {
    /// `stream.memcap`: no session could be created.
    SessionMemcap,
    /// `stream.reassembly.memcap`: segment data could not be stored.
    ReassemblyMemcap,
}

/// The outcome of one packet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub events: StreamEvents,
    /// The stream engine rejected the packet (Suricata's error path).
    pub invalid: bool,
    /// Inline mode with `stream.drop-invalid`: drop the packet.
    pub drop: bool,
    /// A session was created by this packet.
    pub created: bool,
    /// The session was picked up from a SYN/ACK: the engine must swap the flow's
    /// direction (this packet and the following ones were seen reversed).
    pub reversed: bool,
    /// The session state changed.
    pub state_changed: bool,
    /// The packet is a retransmission.
    pub retransmission: bool,
    /// The packet was ignored (bad checksum, keep-alive, ...).
    pub skipped: bool,
    /// A memcap was hit and this is the (resolved) exception policy to apply.
    pub exception: Option<(ExceptionTrigger, ExceptionPolicy)>,
    /// Reassembly depth reached in some direction (`stream.bypass` may bypass).
    pub depth_reached: bool,
    /// The packet's payload was taken into the stream (Suricata's `PKT_STREAM_ADD`):
    /// set for any payload reaching the reassembly of a direction that still
    /// reassembles, retransmissions and data cut at the depth included. Detection then
    /// inspects stream rules on the reassembled data only.
    pub stream_add: bool,
}

// Session flags (Suricata's STREAMTCP_FLAG_*, our own selection).
const S_MIDSTREAM: u32 = 1 << 0;
const S_MIDSTREAM_EST: u32 = 1 << 1;
const S_MIDSTREAM_SYNACK: u32 = 1 << 2;
const S_ASYNC: u32 = 1 << 3;
const S_TIMESTAMP: u32 = 1 << 4;
const S_SERVER_WSCALE: u32 = 1 << 5;
const S_CLIENT_SACKOK: u32 = 1 << 6;
const S_SACKOK: u32 = 1 << 7;
const S_4WHS: u32 = 1 << 8;
const S_EVASION: u32 = 1 << 9;
const S_3WHS_CONFIRMED: u32 = 1 << 10;
const S_CLOSED_BY_RST: u32 = 1 << 11;
const S_ZWP_TS: u32 = 1 << 12;
const S_ZWP_TC: u32 = 1 << 13;
const S_TFO: u32 = 1 << 14;
const S_LOSSY: u32 = 1 << 15;
const S_TFO_DATA_IGNORED: u32 = 1 << 16;
const S_APP_DISABLED: u32 = 1 << 17;
/// The flow ended: the last data was flushed ([`StreamEngine::flow_end_prepare`]).
const S_ENDED: u32 = 1 << 18;

// Per-direction flags.
const H_TIMESTAMP: u16 = 1 << 0;
const H_ZERO_TS: u16 = 1 << 1;
const H_KEEPALIVE: u16 = 1 << 2;
const H_RST_RECV: u16 = 1 << 3;
const H_DEPTH_REACHED: u16 = 1 << 4;
const H_NOREASSEMBLY: u16 = 1 << 5;
const H_EOF: u16 = 1 << 6;
const H_FIN: u16 = 1 << 7;

fn seq_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}
fn seq_leq(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) <= 0
}
fn seq_gt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}
fn seq_geq(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) >= 0
}

/// One direction of a session (Suricata's `TcpStream`): the sequence space of the data
/// this side sends, and what the other side acknowledged of it.
#[derive(Debug, Default)]
struct Half {
    isn: u32,
    next_seq: u32,
    /// Highest acknowledgement of this side's data by the peer.
    last_ack: u32,
    /// Right edge of the window the peer offers this side.
    next_win: u32,
    /// The peer's advertised window, scaled.
    window: u32,
    /// Shift applied to the window values the peer advertises.
    wscale: u8,
    last_ts: u32,
    last_pkt_ts: u64,
    flags: u16,
    /// Flags seen on packets this side sent.
    tcp_flags: u8,
    /// Sequence number of stream offset 0.
    base_seq: u32,
    /// Bytes handed to the sink (app-layer progress).
    app_progress: u64,
    /// Bytes marked inspected by raw (detection) reads.
    raw_progress: u64,
    /// Offset below which data was pruned (Suricata's `base_seq`): moved after each
    /// packet this side sends, as Suricata prunes a stream after the packets of its
    /// direction went through detection.
    pruned: u64,
    /// Overlap policy of the receiving host.
    policy: OverlapPolicy,
    store: SegmentStore,
}

impl Half {
    fn set_isn(&mut self, isn: u32) {
        self.isn = isn;
        self.base_seq = isn.wrapping_add(1);
        self.next_seq = self.base_seq;
    }

    /// Stream offset of sequence number `s`, near the current progress (negative:
    /// before the stream's first byte).
    fn offset(&self, s: u32) -> i64 {
        let r = self.app_progress.min(i64::MAX as u64 / 2) as i64;
        let seq_r = self.base_seq.wrapping_add(r as u32);
        r + i64::from(s.wrapping_sub(seq_r) as i32)
    }

    /// The acknowledged end of this side's data, as a stream offset.
    fn acked_end(&self) -> u64 {
        self.offset(self.last_ack).max(0) as u64
    }
}

/// A queued alternative handshake state (SYN resent with other options, SYN/ACK resent
/// with another ISN), Suricata's `TcpStateQueue`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct QueuedState {
    seq: u32,
    ack: u32,
    win: u16,
    wscale: u8,
    ts: u32,
    pkt_ts: u64,
    /// Q_* bits.
    flags: u8,
}
const Q_SACK: u8 = 1;
const Q_WS: u8 = 2;
const Q_TS: u8 = 4;

/// Memory charged to `stream.memcap` per session.
pub const SESSION_COST: u64 = std::mem::size_of::<TcpSession>() as u64;
/// Memory charged to `stream.memcap` per queued SYN or SYN/ACK state.
pub const QUEUE_COST: u64 = std::mem::size_of::<QueuedState>() as u64;

/// One TCP session (held by the engine per flow, boxed).
#[derive(Debug, Default)]
pub struct TcpSession {
    state: TcpState,
    pstate: TcpState,
    flags: u32,
    /// Union of the flags of all packets.
    tcp_flags: u8,
    client: Half,
    server: Half,
    queue: Vec<QueuedState>,
}

impl TcpSession {
    /// Current state.
    pub fn state(&self) -> TcpState {
        self.state
    }
    /// Flags of all packets of the session (EVE `tcp_flags`).
    pub fn tcp_flags(&self) -> u8 {
        self.tcp_flags
    }
    /// Flags of the packets to the server (EVE `tcp_flags_ts`).
    pub fn tcp_flags_ts(&self) -> u8 {
        self.client.tcp_flags
    }
    /// Flags of the packets to the client (EVE `tcp_flags_tc`).
    pub fn tcp_flags_tc(&self) -> u8 {
        self.server.tcp_flags
    }
    /// Picked up mid-stream.
    pub fn midstream(&self) -> bool {
        self.flags & S_MIDSTREAM != 0
    }
    /// Running in asynchronous (one side seen) mode.
    pub fn is_async(&self) -> bool {
        self.flags & S_ASYNC != 0
    }
    /// Segment data was lost to the reassembly memcap and the session is tracked
    /// liberally (Suricata's "lossy, be liberal" flag; the flow counts it in
    /// `flow.end.tcp_liberal`).
    pub fn liberal(&self) -> bool {
        self.flags & S_LOSSY != 0
    }
    /// The app layer gave up on this session (protocol detection failed, or the
    /// engine stops parsing it): from now on nothing is handed to the sink and no gap
    /// is reported (Suricata's APP_LAYER_DISABLED), while raw inspection continues.
    pub fn disable_app_layer(&mut self) {
        self.flags |= S_APP_DISABLED;
    }
    /// See [`TcpSession::disable_app_layer`].
    pub fn app_layer_disabled(&self) -> bool {
        self.flags & S_APP_DISABLED != 0
    }
    /// Closed by a RST.
    pub fn closed_by_rst(&self) -> bool {
        self.flags & S_CLOSED_BY_RST != 0
    }
    /// Initial sequence numbers (client, server).
    pub fn isns(&self) -> (u32, u32) {
        (self.client.isn, self.server.isn)
    }
    /// Reassembly depth reached in this direction.
    pub fn depth_reached(&self, dir: Dir) -> bool {
        self.half(dir).flags & H_DEPTH_REACHED != 0
    }
    /// Bytes handed to the sink so far in this direction.
    pub fn app_progress(&self, dir: Dir) -> u64 {
        self.half(dir).app_progress
    }
    /// Bytes held by the segment stores.
    pub fn mem_used(&self) -> u64 {
        self.client.store.mem_used() + self.server.store.mem_used()
    }
    /// Raw stream: start (inspected so far) and end (acknowledged, holes included as
    /// Suricata's raw reassembly steps over them; inline: in order) of the bytes not yet
    /// inspected in `dir`.
    pub fn raw_window(&self, dir: Dir, inline: bool) -> (u64, u64) {
        let h = self.half(dir);
        let start = h.raw_progress.max(h.store.base());
        let mut end = if inline {
            h.store.contiguous_end(start)
        } else {
            h.store.end()
        };
        if !inline && h.flags & H_EOF == 0 && self.flags & S_ASYNC == 0 {
            end = end.min(h.acked_end());
        }
        (start, end.max(start))
    }
    /// Reads the not-yet-inspected raw bytes of `dir` (see [`TcpSession::raw_window`]):
    /// `f` gets each stored block with its stream offset (holes are skipped).
    pub fn raw_read(&self, dir: Dir, inline: bool, f: &mut dyn FnMut(u64, &[u8])) {
        let (start, end) = self.raw_window(dir, inline);
        let mut off = start;
        self.half(dir).store.read(start, end, &mut |c| match c {
            Chunk::Data(b) => {
                f(off, b);
                off += b.len() as u64;
            }
            Chunk::Gap(n) => off += n,
        });
    }

    fn half(&self, dir: Dir) -> &Half {
        match dir {
            Dir::ToServer => &self.client,
            Dir::ToClient => &self.server,
        }
    }
    fn half_mut(&mut self, dir: Dir) -> &mut Half {
        match dir {
            Dir::ToServer => &mut self.client,
            Dir::ToClient => &mut self.server,
        }
    }
    /// (sender, receiver) halves of a packet.
    fn pair(&mut self, to_server: bool) -> (&mut Half, &mut Half) {
        if to_server {
            (&mut self.client, &mut self.server)
        } else {
            (&mut self.server, &mut self.client)
        }
    }
}

/// Suricata's TCP port-reuse rule: whether `seg` starts a new session on a flow whose
/// tuple is still in use (`ssn` = the flow's session, `to_server` = the packet goes in
/// the flow's initial direction). The engine then ends the old flow and starts a new
/// one (`flow.tcp_reuse`). Only SYNs (and, with `stream.midstream` or
/// `stream.async-oneside`, SYN/ACKs) start sessions; a SYN with the session's ISN is a
/// retransmission; otherwise the old session must be in LAST_ACK or a later state
/// (Suricata's state order: CLOSE_WAIT, CLOSING, CLOSED come after LAST_ACK,
/// TIME_WAIT before it) or have no state.
pub fn packet_reuses_session(
    cfg: &StreamConfig,
    ssn: Option<&TcpSession>,
    seg: &TcpSegment<'_>,
    to_server: bool,
) -> bool {
    let f = seg.flags;
    if f & (RST | FIN) != 0 {
        return false;
    }
    let syn = f & (SYN | ACK) == SYN;
    let synack = f & (SYN | ACK) == SYN | ACK && (cfg.midstream || cfg.async_oneside);
    if !syn && !synack {
        return false;
    }
    let done = |s: &TcpSession| s.state >= TcpState::LastAck || s.state == TcpState::None;
    match (syn, to_server, ssn) {
        (true, true, None) => true,
        (true, true, Some(s)) => {
            if s.flags & S_TFO_DATA_IGNORED != 0 {
                return true;
            }
            s.client.isn != seg.seq && done(s)
        }
        (true, false, None) => true,
        (true, false, Some(s)) => done(s),
        (false, false, None) => false,
        (false, false, Some(s)) => s.server.isn != seg.seq && done(s),
        (false, true, None) => true,
        (false, true, Some(s)) => done(s),
    }
}

/// Stream counters, named as Suricata's `tcp.*` stats (the ones the stream engine
/// registers; `tcp.syn`/`synack`/`rst`/`urg` are decode's).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamCounters {
    pub active_sessions: u64,
    pub sessions: u64,
    pub ssn_memcap_drop: u64,
    pub ssn_from_cache: u64,
    pub ssn_from_pool: u64,
    pub pseudo: u64,
    pub pseudo_failed: u64,
    pub invalid_checksum: u64,
    pub midstream_pickups: u64,
    pub pkt_on_wrong_thread: u64,
    pub ack_unseen_data: u64,
    pub segment_memcap_drop: u64,
    pub segment_from_cache: u64,
    pub segment_from_pool: u64,
    pub stream_depth_reached: u64,
    pub reassembly_gap: u64,
    pub overlap: u64,
    pub overlap_diff_data: u64,
    pub insert_data_normal_fail: u64,
    pub insert_data_overlap_fail: u64,
    pub urgent_oob_data: u64,
}

/// Context of one packet.
#[derive(Clone, Copy)]
struct Pkt<'s, 'a> {
    seg: &'s TcpSegment<'a>,
    seq: u32,
    ack: u32,
    flags: u8,
    len: u32,
    win: u16,
    to_server: bool,
    secs: u64,
}

impl Pkt<'_, '_> {
    fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }
    fn end(&self) -> u32 {
        self.seq.wrapping_add(self.len)
    }
}

type Res = Result<(), ()>;

/// The TCP stream engine of one worker: configuration, counters and memory budgets.
#[derive(Debug)]
pub struct StreamEngine {
    cfg: StreamConfig,
    inline: bool,
    counters: StreamCounters,
    /// `stream.memcap`: sessions and queued handshake states.
    ssn_mem: MemBudget,
    /// `stream.reassembly.memcap`: segment data.
    reasm_mem: MemBudget,
    /// Highest `ssn_mem.used` ever (for tests and diagnostics).
    ssn_mem_peak: u64,
}

impl StreamEngine {
    pub fn new(cfg: StreamConfig) -> StreamEngine {
        StreamEngine {
            inline: cfg.is_inline(),
            ssn_mem: MemBudget::new(cfg.memcap),
            reasm_mem: MemBudget::new(cfg.reassembly_memcap),
            cfg,
            counters: StreamCounters::default(),
            ssn_mem_peak: 0,
        }
    }

    pub fn config(&self) -> &StreamConfig {
        &self.cfg
    }

    pub fn stats(&self) -> &StreamCounters {
        &self.counters
    }

    /// Session budget in use and its cap (`stream.memcap`).
    pub fn session_memory(&self) -> (u64, u64) {
        (self.ssn_mem.used, self.ssn_mem.cap)
    }

    /// Highest session memory in use so far.
    pub fn session_memory_peak(&self) -> u64 {
        self.ssn_mem_peak
    }

    /// Reassembly budget in use and its cap (`stream.reassembly.memcap`).
    pub fn reassembly_memory(&self) -> (u64, u64) {
        (self.reasm_mem.used, self.reasm_mem.cap)
    }

    /// The counters with Suricata's names, in Suricata's order (`tcp.memuse` and
    /// `tcp.reassembly_memuse` last, as in its stats).
    pub fn counters(&self) -> impl Iterator<Item = (&'static str, u64)> {
        let c = &self.counters;
        [
            ("tcp.active_sessions", c.active_sessions),
            ("tcp.sessions", c.sessions),
            ("tcp.ssn_memcap_drop", c.ssn_memcap_drop),
            ("tcp.ssn_from_cache", c.ssn_from_cache),
            ("tcp.ssn_from_pool", c.ssn_from_pool),
            ("tcp.pseudo", c.pseudo),
            ("tcp.pseudo_failed", c.pseudo_failed),
            ("tcp.invalid_checksum", c.invalid_checksum),
            ("tcp.midstream_pickups", c.midstream_pickups),
            ("tcp.pkt_on_wrong_thread", c.pkt_on_wrong_thread),
            ("tcp.ack_unseen_data", c.ack_unseen_data),
            ("tcp.segment_memcap_drop", c.segment_memcap_drop),
            ("tcp.segment_from_cache", c.segment_from_cache),
            ("tcp.segment_from_pool", c.segment_from_pool),
            ("tcp.stream_depth_reached", c.stream_depth_reached),
            ("tcp.reassembly_gap", c.reassembly_gap),
            ("tcp.overlap", c.overlap),
            ("tcp.overlap_diff_data", c.overlap_diff_data),
            ("tcp.insert_data_normal_fail", c.insert_data_normal_fail),
            ("tcp.insert_data_overlap_fail", c.insert_data_overlap_fail),
            ("tcp.urgent_oob_data", c.urgent_oob_data),
            ("tcp.memuse", self.ssn_mem.used),
            ("tcp.reassembly_memuse", self.reasm_mem.used),
        ]
        .into_iter()
    }

    /// One TCP packet of a flow. `from_initiator`: the packet goes in the flow's
    /// initial direction (after any reversal the engine made on an earlier
    /// [`Verdict::reversed`]).
    pub fn handle(
        &mut self,
        slot: &mut Option<Box<TcpSession>>,
        seg: &TcpSegment<'_>,
        from_initiator: bool,
        sink: &mut impl StreamSink,
    ) -> Verdict {
        let mut v = Verdict::default();
        if self.cfg.checksum_validation && seg.csum_ok == Some(false) {
            self.counters.invalid_checksum += 1;
            v.skipped = true;
            return v;
        }
        let p = Pkt {
            seg,
            seq: seg.seq,
            ack: seg.ack,
            flags: seg.flags,
            len: seg.payload.len().min(u32::MAX as usize) as u32,
            win: seg.window,
            to_server: from_initiator,
            secs: seg.ts.secs,
        };
        if p.flags & ACK == 0 && p.ack != 0 {
            v.events.set(StreamEvent::PktBrokenAck);
        }
        let res = match slot {
            None => self.state_none(slot, &p, &mut v),
            Some(ssn) => {
                let ssn: &mut TcpSession = ssn;
                ssn.tcp_flags |= p.flags;
                if p.to_server {
                    ssn.client.tcp_flags |= p.flags;
                } else {
                    ssn.server.tcp_flags |= p.flags;
                }
                if ssn.flags & S_ASYNC != 0
                    && ssn.client.tcp_flags != 0
                    && ssn.server.tcp_flags != 0
                {
                    ssn.flags &= !S_ASYNC;
                }
                let before = ssn.state;
                let r = self.established_path(ssn, &p, &mut v);
                if ssn.state != before {
                    v.state_changed = true;
                }
                r
            }
        };
        if res.is_err() {
            v.invalid = true;
            if self.inline && self.cfg.drop_invalid {
                v.drop = true;
            }
        }
        if let Some(ssn) = slot.as_deref_mut() {
            // Deliver what the packet acknowledged (the other direction) first, then
            // this direction (moves in inline mode and async sessions). As in
            // Suricata's IDS mode, unacknowledged data waits for the end of the flow
            // even once the session closed.
            let own = if p.to_server {
                Dir::ToServer
            } else {
                Dir::ToClient
            };
            let gaps =
                self.deliver(ssn, own.other(), false, sink) + self.deliver(ssn, own, false, sink);
            if gaps > 0 {
                v.events.set(StreamEvent::ReassemblySeqGap);
            }
            // Prune what this side sent and nobody needs any more (Suricata prunes
            // the packet's own direction once the packet went through detection).
            let h = ssn.half_mut(own);
            self.release(h);
            if ssn.client.flags & H_DEPTH_REACHED != 0 || ssn.server.flags & H_DEPTH_REACHED != 0 {
                v.depth_reached = true;
            }
        }
        v
    }

    /// Flow end, first step (Suricata's flow-end pseudo packets): decides the directions
    /// that get a pseudo packet (`tcp.pseudo`): those of a session past the handshake and
    /// not closed that still hold data not handed to the app layer and, with
    /// `raw_inspected` (detection consumes the raw stream), those of any session holding
    /// data not inspected yet (Suricata's StreamNeedsReassembly). Then hands
    /// the data left to the sink (gaps included, acknowledged or not) and marks both
    /// directions ended, so that raw reads and [`StreamEngine::raw_ready`] reach the end
    /// of the data. Returns (to server, to client); a second call returns nothing.
    pub fn flow_end_prepare(
        &mut self,
        ssn: &mut TcpSession,
        raw_inspected: bool,
        sink: &mut impl StreamSink,
    ) -> [bool; 2] {
        let mut pseudo = [false; 2];
        if ssn.flags & S_ENDED != 0 {
            return pseudo;
        }
        ssn.flags |= S_ENDED;
        let open = ssn.state >= TcpState::Established && ssn.state != TcpState::Closed;
        for (i, d) in [Dir::ToServer, Dir::ToClient].into_iter().enumerate() {
            let h = ssn.half(d);
            if h.flags & H_EOF != 0 {
                continue;
            }
            let end = h.store.end();
            let app = open && end > h.app_progress.max(h.store.base());
            // Raw data not inspected yet needs the pseudo packet whatever the state.
            let raw = raw_inspected && self.cfg.raw && end > h.raw_progress.max(h.store.base());
            if app || raw {
                pseudo[i] = true;
                self.counters.pseudo += 1;
            }
        }
        self.deliver(ssn, Dir::ToServer, true, sink);
        self.deliver(ssn, Dir::ToClient, true, sink);
        pseudo
    }

    /// Flow end: flushes the data left in both directions (see
    /// [`StreamEngine::flow_end_prepare`], done here if it was not called), signals end of
    /// stream and frees the session.
    pub fn flow_end(&mut self, slot: &mut Option<Box<TcpSession>>, sink: &mut impl StreamSink) {
        let Some(mut ssn) = slot.take() else {
            return;
        };
        self.flow_end_prepare(&mut ssn, false, sink);
        ssn.client.store.clear(&mut self.reasm_mem);
        ssn.server.store.clear(&mut self.reasm_mem);
        self.ssn_mem
            .release(SESSION_COST + QUEUE_COST * ssn.queue.len() as u64);
        self.counters.active_sessions = self.counters.active_sessions.saturating_sub(1);
    }

    /// Marks raw bytes of `dir` up to stream offset `upto` as inspected and frees what
    /// neither the app layer nor raw inspection still needs.
    pub fn raw_consume(&mut self, ssn: &mut TcpSession, dir: Dir, upto: u64) {
        let h = ssn.half_mut(dir);
        if upto > h.raw_progress {
            h.raw_progress = upto.min(h.store.end().max(h.raw_progress));
        }
        self.release(h);
    }

    /// Whether `dir` has a raw chunk ready for inspection (Suricata's raw reassembly
    /// limit check): at least the direction's chunk size of new bytes, or any new bytes
    /// once the stream ended, its depth was reached or the session is past TIME_WAIT
    /// (LAST_ACK, CLOSE_WAIT, CLOSING, CLOSED).
    pub fn raw_ready(&self, ssn: &TcpSession, dir: Dir) -> bool {
        let (s, e) = ssn.raw_window(dir, self.inline);
        let flush =
            ssn.half(dir).flags & (H_EOF | H_DEPTH_REACHED) != 0 || ssn.state > TcpState::TimeWait;
        e > s && (flush || e - s >= u64::from(self.cfg.chunk_size(dir == Dir::ToServer)))
    }

    fn release(&mut self, h: &mut Half) {
        let keep = if self.cfg.raw {
            h.app_progress.min(h.raw_progress)
        } else {
            h.app_progress
        };
        if keep > h.store.base() {
            h.store.release_before(keep, &mut self.reasm_mem);
        }
        h.pruned = h.pruned.max(h.store.base());
    }

    /// Hands the deliverable bytes of `dir` to the sink.
    fn deliver(
        &mut self,
        ssn: &mut TcpSession,
        dir: Dir,
        flush: bool,
        sink: &mut impl StreamSink,
    ) -> u64 {
        let inline = self.inline;
        let is_async = ssn.flags & S_ASYNC != 0;
        let app_disabled = ssn.flags & S_APP_DISABLED != 0;
        let h = ssn.half_mut(dir);
        if h.flags & H_EOF != 0 {
            return 0;
        }
        let from = h.app_progress.max(h.store.base());
        let until = if flush || inline || is_async {
            h.store.end()
        } else {
            h.acked_end().min(h.store.end())
        };
        let mut gaps = 0u64;
        if app_disabled {
            // Nothing goes to the app layer; its progress follows the data so that
            // memory is released once raw inspection is done too.
            if until > from {
                h.app_progress = until;
                if !self.cfg.raw {
                    h.raw_progress = h.app_progress;
                }
            }
        } else if until > from {
            let mut off = from;
            h.store.read(from, until, &mut |c| match c {
                Chunk::Data(b) => {
                    sink.data(dir, off, b);
                    off += b.len() as u64;
                }
                Chunk::Gap(n) => {
                    sink.gap(dir, off, n);
                    gaps += 1;
                    off += n;
                }
            });
            h.app_progress = off;
            if gaps > 0 {
                self.counters.reassembly_gap += gaps;
            }
            if !self.cfg.raw {
                h.raw_progress = h.app_progress;
            }
        }
        if flush && h.flags & H_EOF == 0 {
            h.flags |= H_EOF;
            sink.eof(dir);
        }
        gaps
    }

    fn new_session(&mut self, v: &mut Verdict) -> Option<Box<TcpSession>> {
        if !self.ssn_mem.try_reserve(SESSION_COST) {
            self.counters.ssn_memcap_drop += 1;
            v.exception = Some((ExceptionTrigger::SessionMemcap, self.cfg.memcap_policy));
            return None;
        }
        self.ssn_mem_peak = self.ssn_mem_peak.max(self.ssn_mem.used);
        self.counters.sessions += 1;
        self.counters.active_sessions += 1;
        self.counters.ssn_from_pool += 1;
        v.created = true;
        Some(Box::default())
    }

    fn set_policies(&self, ssn: &mut TcpSession, p: &Pkt) {
        // Each direction's data is reassembled the way its receiver would.
        let (client_host, server_host) = if p.to_server {
            (p.seg.src, p.seg.dst)
        } else {
            (p.seg.dst, p.seg.src)
        };
        ssn.client.policy = self.cfg.policy_for(server_host);
        ssn.server.policy = self.cfg.policy_for(client_host);
    }

    fn midstream_allowed(&self) -> bool {
        matches!(
            self.cfg.midstream_policy,
            ExceptionPolicy::Ignore | ExceptionPolicy::PassFlow
        )
    }

    /// Suricata's "state none": decides whether this packet starts a session.
    fn state_none(&mut self, slot: &mut Option<Box<TcpSession>>, p: &Pkt, v: &mut Verdict) -> Res {
        if p.has(RST) {
            v.events.set(StreamEvent::RstButNoSession);
            return Err(());
        }
        if p.has(FIN) {
            if !self.cfg.midstream || p.len == 0 || !self.midstream_allowed() {
                v.events.set(StreamEvent::FinButNoSession);
                return Err(());
            }
            let Some(mut ssn) = self.new_session(v) else {
                return Err(());
            };
            self.counters.midstream_pickups += 1;
            self.init_flags(&mut ssn, p);
            ssn.state = TcpState::FinWait1;
            v.stream_add |= self.pickup_established(&mut ssn, p, 1);
            *slot = Some(ssn);
            v.state_changed = true;
            return Ok(());
        }
        if p.flags & (SYN | ACK) == SYN | ACK {
            if !self.cfg.midstream && !self.cfg.async_oneside {
                return Ok(());
            }
            if !self.midstream_allowed() {
                return Ok(());
            }
            let Some(mut ssn) = self.new_session(v) else {
                return Err(());
            };
            self.counters.midstream_pickups += 1;
            // The packet came from the server: from now on the flow is reversed and
            // this packet goes to the client.
            v.reversed = true;
            let p = Pkt {
                to_server: false,
                ..*p
            };
            self.init_flags(&mut ssn, &p);
            ssn.state = TcpState::SynRecv;
            ssn.flags |= S_MIDSTREAM | S_MIDSTREAM_SYNACK;
            if self.cfg.async_oneside {
                ssn.flags |= S_ASYNC;
            }
            ssn.server.set_isn(p.seq);
            ssn.server.window = u32::from(p.win);
            ssn.client.set_isn(p.ack.wrapping_sub(1));
            ssn.client.last_ack = p.ack;
            ssn.server.last_ack = p.seq;
            ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
            if let Some(ws) = p.seg.wscale {
                ssn.client.wscale = ws.min(WSCALE_MAX);
                ssn.server.wscale = WSCALE_MAX;
            }
            if let Some((val, ecr)) = p.seg.timestamps {
                ssn.server.last_ts = val;
                ssn.client.last_ts = ecr;
                ssn.flags |= S_TIMESTAMP;
                ssn.server.last_pkt_ts = p.secs;
                if val == 0 {
                    ssn.server.flags |= H_ZERO_TS;
                }
                if ecr == 0 {
                    ssn.client.flags |= H_ZERO_TS;
                }
            }
            if p.seg.sack_permitted {
                ssn.flags |= S_SACKOK;
            }
            *slot = Some(ssn);
            v.state_changed = true;
            return Ok(());
        }
        if p.has(SYN) {
            let Some(mut ssn) = self.new_session(v) else {
                return Err(());
            };
            self.init_flags(&mut ssn, p);
            ssn.state = TcpState::SynSent;
            if self.cfg.async_oneside {
                ssn.flags |= S_ASYNC;
            }
            ssn.client.set_isn(p.seq);
            if let Some((val, _)) = p.seg.timestamps {
                ssn.client.last_ts = val;
                if val == 0 {
                    ssn.client.flags |= H_ZERO_TS;
                }
                ssn.client.last_pkt_ts = p.secs;
                ssn.client.flags |= H_TIMESTAMP;
            }
            ssn.server.window = u32::from(p.win);
            if let Some(ws) = p.seg.wscale {
                ssn.flags |= S_SERVER_WSCALE;
                ssn.server.wscale = ws.min(WSCALE_MAX);
            }
            if p.seg.sack_permitted {
                ssn.flags |= S_CLIENT_SACKOK;
            }
            if p.seg.tfo {
                ssn.flags |= S_TFO;
                if p.len > 0 {
                    ssn.client.next_seq = ssn.client.next_seq.wrapping_add(p.len);
                    self.handle_data(&mut ssn, p, v);
                }
            }
            *slot = Some(ssn);
            v.state_changed = true;
            return Ok(());
        }
        if p.has(ACK) {
            if !self.cfg.midstream || !self.midstream_allowed() {
                return Ok(());
            }
            let Some(mut ssn) = self.new_session(v) else {
                return Err(());
            };
            self.counters.midstream_pickups += 1;
            self.init_flags(&mut ssn, p);
            ssn.state = TcpState::Established;
            v.stream_add |= self.pickup_established(&mut ssn, p, 0);
            *slot = Some(ssn);
            v.state_changed = true;
        }
        Ok(())
    }

    fn init_flags(&self, ssn: &mut TcpSession, p: &Pkt) {
        ssn.tcp_flags = p.flags;
        if p.to_server {
            ssn.client.tcp_flags = p.flags;
        } else {
            ssn.server.tcp_flags = p.flags;
        }
        self.set_policies(ssn, p);
    }

    /// Mid-stream pick-up on an ACK (`extra` = 1 for a FIN).
    /// Returns whether the packet's payload went into the stream.
    fn pickup_established(&mut self, ssn: &mut TcpSession, p: &Pkt, extra: u32) -> bool {
        ssn.flags |= S_MIDSTREAM | S_MIDSTREAM_EST;
        if self.cfg.async_oneside {
            ssn.flags |= S_ASYNC;
        }
        ssn.client.wscale = WSCALE_MAX;
        ssn.server.wscale = WSCALE_MAX;
        ssn.client.set_isn(p.seq.wrapping_sub(1));
        ssn.client.next_seq = p.end().wrapping_add(extra);
        ssn.client.window = u32::from(p.win) << WSCALE_MAX;
        ssn.client.last_ack = p.seq;
        ssn.client.next_win = ssn.client.last_ack.wrapping_add(ssn.client.window);
        ssn.server.set_isn(p.ack.wrapping_sub(1));
        ssn.server.last_ack = p.ack;
        ssn.server.next_win = ssn.server.last_ack;
        if let Some((val, ecr)) = p.seg.timestamps {
            ssn.client.last_ts = val;
            ssn.server.last_ts = ecr;
            ssn.flags |= S_TIMESTAMP;
            ssn.client.last_pkt_ts = p.secs;
            if ecr == 0 {
                ssn.server.flags |= H_ZERO_TS;
            }
            if val == 0 {
                ssn.client.flags |= H_ZERO_TS;
            }
        }
        let mut v = Verdict::default();
        self.handle_data(ssn, p, &mut v);
        ssn.flags |= S_SACKOK;
        v.stream_add
    }

    /// The checks Suricata applies to every packet of an existing session, then the
    /// per-state handler.
    fn established_path(&mut self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> Res {
        if ssn.state == TcpState::None {
            return Ok(());
        }
        let skip = 'pre: {
            if self.is_keepalive(ssn, p) {
                break 'pre true;
            }
            if self.is_keepalive_ack(ssn, p) {
                ssn.pair(p.to_server).0.flags &= !H_KEEPALIVE;
                break 'pre true;
            }
            ssn.pair(p.to_server).0.flags &= !H_KEEPALIVE;
            let zwp_ack = is_zwp_ack(ssn, p);
            if p.to_server {
                ssn.flags &= !S_ZWP_TC;
            } else {
                ssn.flags &= !S_ZWP_TS;
            }
            if zwp_ack {
                break 'pre true;
            }
            if !is_fin_shutdown_ack(ssn, p) && !is_window_update(ssn, p) {
                if is_bad_window_update(ssn, p) {
                    v.events.set(StreamEvent::PktBadWindowUpdate);
                    break 'pre true;
                }
                if is_outdated_ack(ssn, p) {
                    break 'pre true;
                }
            }
            match is_spurious_retransmission(ssn, p) {
                0 => {}
                r => {
                    v.events.set(StreamEvent::PktSpuriousRetransmission);
                    if r == 2 {
                        break 'pre true;
                    }
                }
            }
            false
        };
        if skip {
            v.skipped = true;
        } else {
            let st = ssn.state;
            self.dispatch(ssn, p, v, st)?;
        }
        // A packet from the side that sent a RST: the RST looks injected.
        if !p.has(RST) {
            let (_, ostream) = ssn.pair(p.to_server);
            if ostream.flags & H_RST_RECV != 0 {
                ostream.flags &= !H_RST_RECV;
                ssn.flags &= !S_CLOSED_BY_RST;
                v.events.set(StreamEvent::SuspectedRstInject);
            }
        }
        Ok(())
    }

    fn dispatch(&mut self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict, st: TcpState) -> Res {
        match st {
            TcpState::None => Ok(()),
            TcpState::SynSent => self.state_syn_sent(ssn, p, v),
            TcpState::SynRecv => self.state_syn_recv(ssn, p, v),
            TcpState::Established => self.state_established(ssn, p, v),
            TcpState::FinWait1
            | TcpState::FinWait2
            | TcpState::Closing
            | TcpState::CloseWait
            | TcpState::LastAck
            | TcpState::TimeWait => self.state_closing(ssn, p, v, st),
            TcpState::Closed => {
                if p.has(RST) {
                    return Ok(());
                }
                let (stream, ostream) = ssn.pair(p.to_server);
                if stream.flags & H_RST_RECV == 0 && ostream.flags & H_RST_RECV != 0 {
                    // The RST may have been ignored by its receiver: keep tracking
                    // in the previous state.
                    let prev = ssn.pstate;
                    if prev != TcpState::Closed {
                        self.dispatch(ssn, p, v, prev)?;
                        if ssn.state == TcpState::Closed {
                            ssn.state = prev;
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn set_state(ssn: &mut TcpSession, st: TcpState) {
        if ssn.state != st {
            ssn.pstate = ssn.state;
            ssn.state = st;
        }
    }

    fn close_with_rst(ssn: &mut TcpSession) {
        ssn.flags |= S_CLOSED_BY_RST;
        Self::set_state(ssn, TcpState::Closed);
    }

    fn state_syn_sent(&mut self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> Res {
        if p.flags & (SYN | ACK) == SYN | ACK && !p.to_server {
            if !(p.seg.tfo || ssn.flags & S_TFO != 0) {
                if p.ack != ssn.client.isn.wrapping_add(1) {
                    v.events.set(StreamEvent::ThreeWhsSynackWithWrongAck);
                    return Err(());
                }
            } else {
                if p.ack == ssn.client.next_seq {
                    // TFO data acknowledged
                } else if p.ack == ssn.client.isn.wrapping_add(1) {
                    ssn.client.next_seq = ssn.client.isn.wrapping_add(1);
                    v.events.set(StreamEvent::ThreeWhsSynackTfoDataIgnored);
                    ssn.flags |= S_TFO_DATA_IGNORED;
                } else {
                    v.events.set(StreamEvent::ThreeWhsSynackWithWrongAck);
                    return Err(());
                }
                ssn.flags |= S_TFO;
            }
            if !syn_sent_ts_ok(ssn, p) {
                let search = queue_from_synack(p);
                let found = ssn
                    .queue
                    .iter()
                    .copied()
                    .find(|q| q.flags & Q_TS == search.flags & Q_TS && q.ts == search.ts);
                match found {
                    Some(q) => apply_syn_queue(ssn, &q),
                    None => {
                        v.events.set(StreamEvent::PktInvalidTimestamp);
                        return Err(());
                    }
                }
            }
            self.free_queue(ssn);
            synack_update(ssn, &queue_from_synack(p));
            if ssn.flags & S_TFO != 0 {
                Self::set_state(ssn, TcpState::Established);
            }
            return Ok(());
        }
        if p.flags & (SYN | ACK) == SYN | ACK {
            // SYN/ACK to the server: only valid in a 4-way handshake.
            if ssn.flags & S_4WHS == 0 {
                v.events.set(StreamEvent::ThreeWhsSynackInWrongDirection);
                return Err(());
            }
            if p.ack != ssn.server.isn.wrapping_add(1) {
                v.events.set(StreamEvent::FourWhsSynackWithWrongAck);
                return Err(());
            }
            if p.seq != ssn.client.isn {
                v.events.set(StreamEvent::FourWhsSynackWithWrongSyn);
                return Err(());
            }
            Self::set_state(ssn, TcpState::SynRecv);
            ssn.client.set_isn(p.seq);
            ssn.server.window = u32::from(p.win);
            if p.seg.timestamps.is_some() && ssn.server.flags & H_TIMESTAMP != 0 {
                let (val, _) = p.seg.timestamps.unwrap_or_default();
                ssn.client.last_ts = val;
                ssn.flags |= S_TIMESTAMP;
                ssn.client.last_pkt_ts = p.secs;
                if val == 0 {
                    ssn.client.flags |= H_ZERO_TS;
                }
            } else {
                ssn.server.last_ts = 0;
                ssn.client.last_ts = 0;
                ssn.server.flags &= !H_ZERO_TS;
            }
            ssn.server.last_ack = p.ack;
            ssn.client.last_ack = ssn.client.isn.wrapping_add(1);
            ssn.server.wscale = match p.seg.wscale {
                Some(ws) if ssn.flags & S_SERVER_WSCALE != 0 => ws.min(WSCALE_MAX),
                _ => 0,
            };
            if ssn.flags & S_CLIENT_SACKOK != 0 && p.seg.sack_permitted {
                ssn.flags |= S_SACKOK;
            }
            ssn.client.next_win = ssn.client.last_ack.wrapping_add(ssn.client.window);
            ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
            return Ok(());
        }
        if !syn_sent_ts_ok(ssn, p) {
            v.events.set(StreamEvent::PktInvalidTimestamp);
            return Err(());
        }
        if p.has(RST) {
            if !self.validate_rst(ssn, p, v) {
                return Err(());
            }
            if p.to_server {
                if p.seq == ssn.client.isn && p.win == 0 && p.ack == ssn.client.isn.wrapping_add(1)
                {
                    ssn.server.flags |= H_RST_RECV;
                    Self::close_with_rst(ssn);
                    self.free_queue(ssn);
                }
            } else {
                ssn.client.flags |= H_RST_RECV;
                Self::close_with_rst(ssn);
                self.free_queue(ssn);
            }
        } else if p.has(FIN) {
            // nothing (as Suricata)
        } else if p.has(SYN) {
            if !p.to_server {
                // A SYN from the server: the 4-way (simultaneous open) handshake.
                ssn.flags |= S_4WHS;
                ssn.server.set_isn(p.seq);
                if let Some((val, _)) = p.seg.timestamps {
                    ssn.server.last_ts = val;
                    if val == 0 {
                        ssn.server.flags |= H_ZERO_TS;
                    }
                    ssn.server.last_pkt_ts = p.secs;
                    ssn.server.flags |= H_TIMESTAMP;
                }
                ssn.server.window = u32::from(p.win);
                match p.seg.wscale {
                    Some(ws) => {
                        ssn.flags |= S_SERVER_WSCALE;
                        ssn.server.wscale = ws.min(WSCALE_MAX);
                    }
                    None => {
                        ssn.flags &= !S_SERVER_WSCALE;
                        ssn.server.wscale = 0;
                    }
                }
                if p.seg.sack_permitted {
                    ssn.flags |= S_CLIENT_SACKOK;
                } else {
                    ssn.flags &= !S_CLIENT_SACKOK;
                }
            } else {
                // SYN resent: keep the previous SYN's settings queued, use the newest.
                let pkt = queue_from_syn_pkt(p);
                let cur = queue_from_ssn_syn(ssn);
                if pkt != cur {
                    self.store_syn(ssn, cur, v);
                }
                apply_syn_queue(ssn, &pkt);
            }
        } else if p.has(ACK) {
            if !self.cfg.async_oneside {
                return Ok(());
            }
            if p.seq != ssn.client.next_seq {
                v.events.set(StreamEvent::ThreeWhsAsyncWrongSeq);
                return Err(());
            }
            ssn.flags |= S_ASYNC;
            Self::set_state(ssn, TcpState::Established);
            self.free_queue(ssn);
            ssn.client.window = u32::from(p.win);
            ssn.client.last_ack = p.seq;
            ssn.client.next_win = ssn.client.last_ack.wrapping_add(ssn.client.window);
            ssn.server.set_isn(p.ack.wrapping_sub(1));
            ssn.server.last_ack = ssn.server.next_seq;
            ssn.server.next_win = ssn.server.last_ack;
            if ssn.flags & S_SERVER_WSCALE != 0 {
                ssn.client.wscale = WSCALE_MAX;
            }
            if p.seg.timestamps.is_some() && ssn.client.flags & H_TIMESTAMP != 0 {
                ssn.flags |= S_TIMESTAMP;
                ssn.client.flags &= !H_TIMESTAMP;
                ssn.client.last_pkt_ts = p.secs;
            } else {
                ssn.client.last_ts = 0;
                ssn.client.flags &= !H_ZERO_TS;
            }
            if ssn.flags & S_CLIENT_SACKOK != 0 {
                ssn.flags |= S_SACKOK;
            }
            self.handle_data(ssn, p, v);
        }
        Ok(())
    }

    fn free_queue(&mut self, ssn: &mut TcpSession) {
        self.ssn_mem.release(QUEUE_COST * ssn.queue.len() as u64);
        ssn.queue = Vec::new();
    }

    fn store_syn(&mut self, ssn: &mut TcpSession, q: QueuedState, v: &mut Verdict) {
        if ssn
            .queue
            .iter()
            .any(|e| e.flags & Q_TS == q.flags & Q_TS && e.ts == q.ts)
        {
            return;
        }
        if ssn.queue.len() >= usize::from(self.cfg.max_syn_queued) {
            v.events.set(StreamEvent::ThreeWhsSynFlood);
            return;
        }
        if !self.ssn_mem.try_reserve(QUEUE_COST) {
            return;
        }
        self.ssn_mem_peak = self.ssn_mem_peak.max(self.ssn_mem.used);
        ssn.queue.push(q);
    }

    fn queue_synack(&mut self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> Res {
        let q = queue_from_synack(p);
        if ssn.queue.contains(&q) {
            return Ok(());
        }
        if ssn.queue.len() >= usize::from(self.cfg.max_synack_queued) {
            v.events.set(StreamEvent::ThreeWhsSynackFlood);
            return Err(());
        }
        if !self.ssn_mem.try_reserve(QUEUE_COST) {
            return Err(());
        }
        self.ssn_mem_peak = self.ssn_mem_peak.max(self.ssn_mem.used);
        ssn.queue.push(q);
        Ok(())
    }

    fn state_syn_recv(&mut self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> Res {
        if p.has(RST) {
            if !self.validate_rst(ssn, p, v) {
                return Err(());
            }
            let mut reset = true;
            if ssn.flags & S_EVASION != 0 {
                let pol = if p.to_server {
                    ssn.client.policy
                } else {
                    ssn.server.policy
                };
                if matches!(
                    pol,
                    OverlapPolicy::Linux | OverlapPolicy::OldLinux | OverlapPolicy::Solaris
                ) {
                    reset = false;
                }
            }
            if reset {
                Self::close_with_rst(ssn);
                if ssn.flags & S_TIMESTAMP != 0 {
                    self.handle_timestamp(ssn, p, v);
                }
            }
        } else if p.has(FIN) {
            if ssn.flags & S_TIMESTAMP != 0 && !self.validate_timestamp(ssn, p, v) {
                return Err(());
            }
            self.handle_fin(ssn, p, v)?;
        } else if p.flags & (SYN | ACK) == SYN | ACK {
            if p.to_server {
                v.events.set(StreamEvent::ThreeWhsSynackToserverOnSynRecv);
                return Err(());
            }
            if p.ack != ssn.client.last_ack {
                v.events.set(StreamEvent::ThreeWhsSynackResendWithDiffAck);
                return Err(());
            }
            if p.seq != ssn.server.isn {
                self.queue_synack(ssn, p, v)?;
            }
        } else if p.has(SYN) {
            if !p.to_server {
                v.events.set(StreamEvent::ThreeWhsSynToclientOnSynRecv);
                return Err(());
            }
            if p.seq != ssn.client.isn {
                v.events.set(StreamEvent::ThreeWhsSynResendDiffSeqOnSynRecv);
                return Err(());
            }
        } else if p.has(ACK) {
            if !ssn.queue.is_empty() {
                let (ack, seq) = (p.seq, p.ack.wrapping_sub(1));
                if let Some(q) = ssn
                    .queue
                    .iter()
                    .copied()
                    .find(|q| q.seq == seq && q.ack == ack)
                {
                    synack_update(ssn, &q);
                }
            }
            if ssn.flags & S_TIMESTAMP != 0 && !self.validate_timestamp(ssn, p, v) {
                return Err(());
            }
            if ssn.flags & S_4WHS != 0 && !p.to_server {
                if p.seq != ssn.server.next_seq {
                    v.events.set(StreamEvent::FourWhsWrongSeq);
                    return Err(());
                }
                if !validate_ack(ssn, false, p, v) {
                    v.events.set(StreamEvent::FourWhsInvalidAck);
                    return Err(());
                }
                if ssn.flags & S_TIMESTAMP != 0 {
                    self.handle_timestamp(ssn, p, v);
                }
                update_last_ack(&mut ssn.client, p.ack);
                let n = ssn.server.next_seq.wrapping_add(p.len);
                update_next_seq(ssn, false, n);
                ssn.client.window = u32::from(p.win) << ssn.client.wscale;
                ssn.client.next_win = ssn.client.last_ack.wrapping_add(ssn.client.window);
                Self::set_state(ssn, TcpState::Established);
                self.handle_data(ssn, p, v);
                return Ok(());
            }
            let mut missed_3whs_ack = false;
            if !p.to_server {
                if ssn.flags & (S_MIDSTREAM_SYNACK | S_TFO) != 0 {
                    // fall through
                } else if self.inline {
                    if p.len > 0 && p.ack == ssn.client.last_ack && p.seq == ssn.server.next_seq {
                        v.events.set(StreamEvent::ThreeWhsAckDataInject);
                        return Err(());
                    }
                    v.events.set(StreamEvent::ThreeWhsAckInWrongDir);
                    return Err(());
                } else {
                    missed_3whs_ack = true;
                }
            }
            if p.seq == ssn.client.next_seq && p.ack == ssn.server.next_seq {
                // the normal final ACK of the handshake
                if ssn.flags & S_TIMESTAMP != 0 {
                    self.handle_timestamp(ssn, p, v);
                }
                update_last_ack(&mut ssn.server, p.ack);
                let n = ssn.client.next_seq.wrapping_add(p.len);
                update_next_seq(ssn, true, n);
                ssn.server.window = u32::from(p.win) << ssn.server.wscale;
                ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
                if ssn.flags & S_MIDSTREAM != 0 {
                    ssn.client.window = u32::from(p.win) << ssn.client.wscale;
                    ssn.client.next_win = ssn.client.last_ack.wrapping_add(ssn.client.window);
                    ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
                    if ssn.flags & S_MIDSTREAM_SYNACK == 0 {
                        ssn.server.wscale = WSCALE_MAX;
                        ssn.client.wscale = WSCALE_MAX;
                        ssn.flags |= S_SACKOK;
                    }
                }
                Self::set_state(ssn, TcpState::Established);
                self.handle_data(ssn, p, v);
            } else if self.cfg.async_oneside && p.seq == ssn.server.next_seq {
                ssn.flags |= S_ASYNC;
                ssn.server.next_seq = ssn.server.next_seq.wrapping_add(p.len);
                ssn.server.last_ack = p.seq;
                ssn.client.window = u32::from(p.win) << ssn.client.wscale;
                ssn.client.last_ack = p.ack;
                if ssn.flags & S_TIMESTAMP != 0 {
                    self.handle_timestamp(ssn, p, v);
                }
                if ssn.flags & S_MIDSTREAM != 0 {
                    ssn.server.window = u32::from(p.win);
                    ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
                    ssn.server.wscale = WSCALE_MAX;
                    ssn.client.wscale = WSCALE_MAX;
                    ssn.flags |= S_SACKOK;
                }
                Self::set_state(ssn, TcpState::Established);
                self.handle_data(ssn, p, v);
            } else if p.seq == ssn.client.next_seq {
                ssn.flags |= S_EVASION;
                v.events.set(StreamEvent::ThreeWhsRightSeqWrongAckEvasion);
                return Err(());
            } else if !p.to_server
                && !self.inline
                && seq_gt(p.seq, ssn.client.next_seq)
                && seq_gt(p.ack, ssn.client.last_ack)
            {
                // server data after the handshake whose ACK we missed, with loss
                if ssn.flags & S_TIMESTAMP != 0 {
                    self.handle_timestamp(ssn, p, v);
                }
                update_last_ack(&mut ssn.client, p.ack);
                ssn.server.next_seq = p.end();
                ssn.client.window = u32::from(p.win) << ssn.client.wscale;
                ssn.client.next_win = ssn.client.last_ack.wrapping_add(ssn.client.window);
                ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
                Self::set_state(ssn, TcpState::Established);
                self.handle_data(ssn, p, v);
            } else if seq_gt(p.seq, ssn.client.next_seq)
                && seq_leq(p.seq, ssn.client.next_win)
                && p.ack == ssn.server.next_seq
            {
                // client data in window after missed packets
                if ssn.flags & S_TIMESTAMP != 0 {
                    self.handle_timestamp(ssn, p, v);
                }
                ssn.client.next_seq = p.end();
                update_last_ack(&mut ssn.server, p.ack);
                ssn.server.window = u32::from(p.win) << ssn.server.wscale;
                ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
                if ssn.flags & S_MIDSTREAM != 0 {
                    ssn.client.window = u32::from(p.win);
                    ssn.server.wscale = WSCALE_MAX;
                    ssn.client.wscale = WSCALE_MAX;
                    ssn.flags |= S_SACKOK;
                }
                Self::set_state(ssn, TcpState::Established);
                self.handle_data(ssn, p, v);
            } else if (missed_3whs_ack || ssn.flags & S_TFO != 0)
                && p.ack == ssn.client.last_ack
                && p.seq == ssn.server.next_seq
            {
                // server packet right after a handshake whose final ACK we missed
                let n = p.end();
                update_next_seq(ssn, false, n);
                ssn.server.window = u32::from(p.win) << ssn.server.wscale;
                ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
                Self::set_state(ssn, TcpState::Established);
                self.handle_data(ssn, p, v);
            } else {
                v.events.set(StreamEvent::ThreeWhsWrongSeqWrongAck);
                return Err(());
            }
        }
        Ok(())
    }

    fn state_established(&mut self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> Res {
        if p.has(RST) {
            if !self.validate_rst(ssn, p, v) {
                return Err(());
            }
            Self::close_with_rst(ssn);
            let ts = p.to_server;
            {
                let (snd, rcv) = ssn.pair(ts);
                rcv.next_seq = p.ack;
                snd.next_seq = if ts { p.end() } else { p.end().wrapping_add(1) };
                snd.window = u32::from(p.win) << snd.wscale;
            }
            if p.has(ACK) && validate_ack_quiet(ssn, ts, p) {
                update_last_ack(ssn.pair(ts).1, p.ack);
            }
            update_last_ack(ssn.pair(ts).0, p.seq);
            if ssn.flags & S_TIMESTAMP != 0 {
                self.handle_timestamp(ssn, p, v);
            }
            self.handle_data(ssn, p, v);
        } else if p.has(FIN) {
            if ssn.flags & S_TIMESTAMP != 0 && !self.validate_timestamp(ssn, p, v) {
                return Err(());
            }
            self.handle_fin(ssn, p, v)?;
        } else if p.flags & (SYN | ACK) == SYN | ACK {
            if p.to_server {
                v.events.set(StreamEvent::EstSynackToserver);
                return Err(());
            }
            if p.ack != ssn.client.last_ack {
                v.events.set(StreamEvent::EstSynackResendWithDiffAck);
                return Err(());
            }
            if p.seq != ssn.server.isn {
                v.events.set(StreamEvent::EstSynackResendWithDiffSeq);
                return Err(());
            }
            if ssn.flags & S_3WHS_CONFIRMED != 0 {
                v.events.set(StreamEvent::EstSynackResend);
                return Err(());
            }
        } else if p.has(SYN) {
            if !p.to_server {
                v.events.set(StreamEvent::EstSynToclient);
                return Err(());
            }
            if p.seq != ssn.client.isn {
                v.events.set(StreamEvent::EstSynResendDiffSeq);
                return Err(());
            }
            v.events.set(StreamEvent::EstSynResend);
            return Err(());
        } else if p.has(ACK) {
            if ssn.flags & S_TIMESTAMP != 0 && !self.validate_timestamp(ssn, p, v) {
                return Err(());
            }
            if !p.to_server {
                ssn.flags |= S_3WHS_CONFIRMED;
            }
            // Suricata ignores the result of the per-direction handler here.
            let _ = self.established_data(ssn, p, v);
        }
        Ok(())
    }

    /// Suricata's HandleEstablishedPacketToServer/ToClient.
    fn established_data(&mut self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> Res {
        let ts = p.to_server;
        let is_async = ssn.flags & S_ASYNC != 0;
        let midstream = ssn.flags & S_MIDSTREAM != 0;
        if p.has(ACK) {
            let zwp = if ts { S_ZWP_TC } else { S_ZWP_TS };
            let peer_next = ssn.pair(ts).1.next_seq;
            if ssn.flags & zwp != 0 && p.ack == peer_next.wrapping_add(1) {
                v.events.set(StreamEvent::EstAckZwpData);
            } else if !validate_ack(ssn, ts, p, v) {
                v.events.set(StreamEvent::EstInvalidAck);
                return Err(());
            }
        }
        if !ts && midstream && ssn.flags & S_MIDSTREAM_EST != 0 {
            ssn.server.window = u32::from(p.win) << ssn.server.wscale;
            ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
            ssn.flags &= !S_MIDSTREAM_EST;
        }
        let (snd_next, snd_last_ack, snd_isn) = {
            let s = ssn.pair(ts).0;
            (s.next_seq, s.last_ack, s.isn)
        };
        if (p.len == 0 || p.len == 1) && p.seq == snd_next.wrapping_sub(1) {
            // keep-alive
        } else if !seq_geq(p.end(), snd_last_ack) {
            if is_async {
                update_last_ack(ssn.pair(ts).0, p.seq);
            } else if ts
                && self.cfg.async_oneside
                && midstream
                && (snd_next == p.seq || snd_last_ack == snd_isn.wrapping_add(1))
            {
                update_last_ack(ssn.pair(ts).0, p.seq);
                ssn.flags |= S_ASYNC;
            } else if seq_gt(snd_last_ack, snd_next) && seq_gt(p.end(), snd_next) {
                // acked data we have not seen: accept what lies beyond next_seq
            } else {
                v.events.set(StreamEvent::EstPktBeforeLastAck);
                return Err(());
            }
        }
        let mut zwp = false;
        let snd_window = ssn.pair(ts).0.window;
        if p.len == 1 && p.seq == ssn.pair(ts).0.next_seq && snd_window == 0 {
            zwp = true;
            ssn.flags |= if ts { S_ZWP_TS } else { S_ZWP_TC };
            self.handle_data(ssn, p, v);
        } else if seq_geq(p.end(), ssn.pair(ts).0.next_seq) {
            update_next_seq(ssn, ts, p.end());
        }
        if zwp {
            return Ok(());
        }
        let is_async = ssn.flags & S_ASYNC != 0;
        if seq_leq(p.end(), ssn.pair(ts).0.next_win) || midstream || is_async {
            {
                let rcv = ssn.pair(ts).1;
                rcv.window = u32::from(p.win) << rcv.wscale;
            }
            if p.has(ACK) {
                update_last_ack(ssn.pair(ts).1, p.ack);
                let rcv = ssn.pair(ts).1;
                if !is_async && seq_gt(rcv.last_ack, rcv.next_seq) {
                    self.counters.ack_unseen_data += 1;
                }
            }
            if ssn.flags & S_TIMESTAMP != 0 {
                self.handle_timestamp(ssn, p, v);
            }
            let rcv = ssn.pair(ts).1;
            update_next_win(rcv, rcv.last_ack.wrapping_add(rcv.window));
            self.handle_data(ssn, p, v);
            Ok(())
        } else {
            v.events.set(StreamEvent::EstPacketOutOfWindow);
            Err(())
        }
    }

    /// FIN in SYN_RECV / ESTABLISHED.
    fn handle_fin(&mut self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> Res {
        let ts = p.to_server;
        if !validate_ack(ssn, ts, p, v) {
            v.events.set(StreamEvent::FinInvalidAck);
            return Err(());
        }
        {
            let snd = ssn.pair(ts).0;
            if !(seq_geq(p.seq, snd.last_ack) && seq_leq(p.end(), snd.next_win)) {
                v.events.set(StreamEvent::FinOutOfWindow);
                return Err(());
            }
        }
        if p.has(SYN) {
            v.events.set(StreamEvent::FinSyn);
            return Err(());
        }
        Self::set_state(
            ssn,
            if ts {
                TcpState::CloseWait
            } else {
                TcpState::FinWait1
            },
        );
        {
            let (snd, rcv) = ssn.pair(ts);
            snd.next_seq = p.end().wrapping_add(1);
            snd.flags |= H_FIN;
            rcv.window = u32::from(p.win) << rcv.wscale;
        }
        if ssn.flags & S_TIMESTAMP != 0 {
            self.handle_timestamp(ssn, p, v);
        }
        {
            let rcv = ssn.pair(ts).1;
            if seq_lt(rcv.next_seq, p.ack) {
                rcv.next_seq = p.ack;
            }
            if p.has(ACK) {
                update_last_ack(rcv, p.ack);
            }
        }
        self.handle_data(ssn, p, v);
        Ok(())
    }

    /// The shutdown states (FIN_WAIT1/2, CLOSING, CLOSE_WAIT, LAST_ACK, TIME_WAIT),
    /// following Suricata's per-state handlers with their events.
    fn state_closing(
        &mut self,
        ssn: &mut TcpSession,
        p: &Pkt,
        v: &mut Verdict,
        st: TcpState,
    ) -> Res {
        use StreamEvent as E;
        let ts = p.to_server;
        if p.has(RST) {
            if !self.validate_rst(ssn, p, v) {
                return Err(());
            }
            Self::close_with_rst(ssn);
            if p.has(ACK) && validate_ack_quiet(ssn, ts, p) {
                update_last_ack(ssn.pair(ts).1, p.ack);
            }
            update_last_ack(ssn.pair(ts).0, p.seq);
            if ssn.flags & S_TIMESTAMP != 0 {
                self.handle_timestamp(ssn, p, v);
            }
            self.handle_data(ssn, p, v);
            return Ok(());
        }
        if p.has(SYN) {
            v.events.set(E::ShutdownSynResend);
            return Err(());
        }
        let fin = p.has(FIN);
        if !fin && !p.has(ACK) {
            return Ok(());
        }
        if fin && matches!(st, TcpState::TimeWait | TcpState::LastAck) {
            // Suricata leaves FINs unhandled in these states.
            return Ok(());
        }
        if fin && !p.has(ACK) && st == TcpState::Closing {
            // (no FIN handling in CLOSING: a bare FIN falls through to nothing)
            return Ok(());
        }
        if st == TcpState::CloseWait
            && ts
            && !fin
            && p.len > 0
            && seq_leq(p.end(), ssn.client.last_ack)
        {
            v.events.set(E::ClosewaitPktBeforeLastAck);
            return Err(());
        }
        if ssn.flags & S_TIMESTAMP != 0 && !self.validate_timestamp(ssn, p, v) {
            return Err(());
        }
        let (invalid_ack, wrong_seq) = match (st, fin) {
            (TcpState::FinWait1, true) => (E::Fin1InvalidAck, E::Fin1FinWrongSeq),
            (TcpState::FinWait1, false) => (E::Fin1InvalidAck, E::Fin1AckWrongSeq),
            (TcpState::FinWait2, true) => (E::Fin2InvalidAck, E::Fin2FinWrongSeq),
            (TcpState::FinWait2, false) => (E::Fin2InvalidAck, E::Fin2AckWrongSeq),
            (TcpState::Closing, _) => (E::ClosingInvalidAck, E::ClosingAckWrongSeq),
            (TcpState::CloseWait, true) => (E::ClosewaitInvalidAck, E::ClosewaitFinOutOfWindow),
            (TcpState::CloseWait, false) => (E::ClosewaitInvalidAck, E::ClosewaitAckOutOfWindow),
            (TcpState::LastAck, _) => (E::LastackInvalidAck, E::LastackAckWrongSeq),
            _ => (E::TimewaitInvalidAck, E::TimewaitAckWrongSeq),
        };
        let (snd_next, snd_last_ack, snd_window, snd_next_win) = {
            let s = ssn.pair(ts).0;
            (s.next_seq, s.last_ack, s.window, s.next_win)
        };
        // A FIN sent again by a side that already closed.
        let fin_again = {
            let s = ssn.pair(ts).0;
            fin && s.flags & H_FIN != 0 && seq_leq(p.end().wrapping_add(1), s.next_seq)
        };
        let retrans = is_retransmission(ssn.pair(ts).0, p, v) || fin_again;
        // Packets that are accepted but do not move the state.
        let mut hold = false;
        if !retrans {
            // The FIN took one sequence number: `lo` is the FIN's own sequence number.
            let lo = snd_next.wrapping_sub(1);
            let hi = snd_last_ack.wrapping_add(snd_window);
            let in_window =
                seq_leq(p.end(), snd_next_win) || ssn.flags & (S_MIDSTREAM | S_ASYNC) != 0;
            let bad = match st {
                TcpState::FinWait1 | TcpState::FinWait2 if fin => {
                    seq_lt(p.seq, lo) || seq_gt(p.seq, hi)
                }
                TcpState::FinWait1 | TcpState::FinWait2 => !in_window,
                TcpState::CloseWait if fin => seq_lt(p.seq, snd_next) || seq_gt(p.seq, hi),
                TcpState::CloseWait => seq_gt(p.seq, hi),
                TcpState::LastAck => {
                    if seq_lt(p.seq, snd_next) {
                        hold = true;
                        false
                    } else {
                        p.seq != snd_next && p.seq != snd_next.wrapping_add(1)
                    }
                }
                _ => {
                    // CLOSING, TIME_WAIT
                    if !ts && p.len > 0 && p.seq == snd_last_ack {
                        return Ok(());
                    }
                    p.seq != snd_next && p.seq != lo && p.seq != snd_next.wrapping_add(1)
                }
            };
            if bad {
                v.events.set(wrong_seq);
                return Err(());
            }
        }
        if retrans {
            v.retransmission = true;
            hold = true;
        }
        if !validate_ack(ssn, ts, p, v) {
            v.events.set(invalid_ack);
            return Err(());
        }
        if !hold {
            let rcv_next = ssn.pair(ts).1.next_seq;
            let acks_fin = p.has(ACK) && seq_geq(p.ack, rcv_next);
            let next = match (st, ts, fin) {
                (TcpState::FinWait1, true, true) if p.has(ACK) => Some(TcpState::TimeWait),
                (TcpState::FinWait1, true, true) => Some(TcpState::Closing),
                (TcpState::FinWait1, false, true) => Some(TcpState::Closing),
                (TcpState::FinWait1, true, false) if acks_fin => Some(TcpState::FinWait2),
                (TcpState::FinWait2, true, true) => Some(TcpState::TimeWait),
                (TcpState::FinWait2, false, true) => Some(TcpState::TimeWait),
                (TcpState::Closing, _, _) if acks_fin => Some(TcpState::TimeWait),
                (TcpState::CloseWait, false, true) => Some(TcpState::LastAck),
                (TcpState::LastAck, true, _) if acks_fin => Some(TcpState::Closed),
                (TcpState::TimeWait, _, _) if acks_fin => Some(TcpState::Closed),
                _ => None,
            };
            if let Some(n) = next {
                Self::set_state(ssn, n);
            }
            let rcv = ssn.pair(ts).1;
            rcv.window = u32::from(p.win) << rcv.wscale;
        }
        if ssn.flags & S_TIMESTAMP != 0 {
            self.handle_timestamp(ssn, p, v);
        }
        {
            let rcv = ssn.pair(ts).1;
            if p.has(ACK) && seq_lt(rcv.next_seq, p.ack) {
                rcv.next_seq = p.ack;
            }
        }
        let snd_next = ssn.pair(ts).0.next_seq;
        if fin && !retrans {
            let e = p.end().wrapping_add(1);
            if seq_gt(e, snd_next) {
                update_next_seq(ssn, ts, e);
            }
            ssn.pair(ts).0.flags |= H_FIN;
        } else if seq_geq(p.end(), snd_next) && seq_leq(p.seq, snd_next) {
            update_next_seq(ssn, ts, p.end());
        }
        if p.has(ACK) {
            update_last_ack(ssn.pair(ts).1, p.ack);
        }
        let rcv = ssn.pair(ts).1;
        update_next_win(rcv, rcv.last_ack.wrapping_add(rcv.window));
        self.handle_data(ssn, p, v);
        Ok(())
    }

    fn validate_rst(&self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> bool {
        if ssn.flags & S_LOSSY != 0 {
            return true;
        }
        if ssn.flags & S_TIMESTAMP != 0 && !self.validate_timestamp(ssn, p, v) {
            return false;
        }
        if p.len > 0 {
            v.events.set(StreamEvent::RstWithData);
        }
        let ts = p.to_server;
        if p.has(ACK) && p.ack != 0 && !validate_ack(ssn, ts, p, v) {
            v.events.set(StreamEvent::RstInvalidAck);
            return false;
        }
        if p.seg.auth_option {
            ssn.pair(ts).1.flags |= H_RST_RECV;
        }
        let is_async = ssn.flags & S_ASYNC != 0;
        let snd = ssn.pair(ts).0;
        if is_async {
            return seq_geq(p.seq, snd.next_seq);
        }
        // The RST receiver's policy decides (`snd.policy` is the policy of the host
        // receiving snd's packets).
        match snd.policy {
            OverlapPolicy::Hpux11 => seq_geq(p.seq, snd.next_seq),
            OverlapPolicy::OldLinux | OverlapPolicy::Linux | OverlapPolicy::Solaris => {
                seq_geq(p.end(), snd.last_ack)
                    && seq_lt(p.seq, snd.next_seq.wrapping_add(snd.window))
            }
            _ => p.seq == snd.next_seq,
        }
    }

    /// Suricata's timestamp check (PAWS) without updating the session.
    fn validate_timestamp(&self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> bool {
        self.timestamp_check(ssn, p, v, false)
    }

    fn handle_timestamp(&self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) -> bool {
        self.timestamp_check(ssn, p, v, true)
    }

    fn timestamp_check(
        &self,
        ssn: &mut TcpSession,
        p: &Pkt,
        v: &mut Verdict,
        update: bool,
    ) -> bool {
        let midstream = ssn.flags & S_MIDSTREAM != 0;
        let liberal = self.cfg.liberal_timestamps;
        let ts = p.to_server;
        let Some((tsval, _)) = p.seg.timestamps else {
            if update {
                let pol = ssn.pair(ts).0.policy;
                if pol == OverlapPolicy::Solaris {
                    ssn.flags &= !S_TIMESTAMP;
                }
            }
            return true;
        };
        let (snd, _) = ssn.pair(ts);
        // The sender's data is reassembled with the receiver's policy.
        let pol = snd.policy;
        let mut check = true;
        let mut last_ts = snd.last_ts;
        let mut clear_session_ts = false;
        if snd.flags & H_ZERO_TS != 0 {
            match pol {
                OverlapPolicy::Linux | OverlapPolicy::Windows2k3 => {
                    check = false;
                    clear_session_ts = update;
                }
                OverlapPolicy::OldLinux | OverlapPolicy::Windows | OverlapPolicy::Vista => {
                    if update {
                        snd.flags &= !H_ZERO_TS;
                    }
                    if snd.next_seq == p.seq {
                        last_ts = tsval;
                        if update {
                            snd.last_ts = tsval;
                        }
                        check = false;
                    }
                }
                _ => {}
            }
        }
        if pol == OverlapPolicy::Hpux11 && snd.next_seq != p.seq {
            check = false;
        }
        let mut ok = true;
        if tsval == 0
            && !matches!(
                pol,
                OverlapPolicy::OldLinux
                    | OverlapPolicy::Windows
                    | OverlapPolicy::Windows2k3
                    | OverlapPolicy::Vista
                    | OverlapPolicy::Solaris
            )
        {
            ok = false;
        } else if check {
            let result = if pol == OverlapPolicy::Linux || liberal {
                tsval.wrapping_sub(last_ts).wrapping_add(1) as i32
            } else {
                tsval.wrapping_sub(last_ts) as i32
            };
            let mut last_pkt_ts = snd.last_pkt_ts;
            if last_pkt_ts == 0 && midstream {
                last_pkt_ts = p.secs;
                if update {
                    snd.last_pkt_ts = p.secs;
                }
            }
            let stale = snd.last_ts != 0 && p.secs > last_pkt_ts.saturating_add(PAWS_24DAYS);
            if result < 0 || stale {
                // accepted anyway when the stream's timestamp is very old
                if snd.next_seq == p.seq && p.secs > last_pkt_ts.saturating_add(PAWS_24DAYS) {
                    if update {
                        snd.last_ts = tsval;
                        snd.last_pkt_ts = p.secs;
                    }
                } else {
                    ok = false;
                }
            } else if update {
                if snd.next_seq == p.seq {
                    snd.last_ts = tsval;
                }
                snd.last_pkt_ts = p.secs;
            }
        }
        if clear_session_ts {
            ssn.flags &= !S_TIMESTAMP;
        }
        if !ok {
            v.events.set(StreamEvent::PktInvalidTimestamp);
        }
        ok
    }

    /// Suricata's StreamTcpReassembleHandleSegment data part: stores the payload in the
    /// sender's segment store.
    fn handle_data(&mut self, ssn: &mut TcpSession, p: &Pkt, v: &mut Verdict) {
        if p.len == 0 {
            return;
        }
        let depth = self.cfg.reassembly_depth;
        let check_diff = self.cfg.check_overlap_different_data || self.inline;
        let h = ssn.pair(p.to_server).0;
        if h.flags & H_NOREASSEMBLY != 0 {
            return;
        }
        v.stream_add = true;
        let start = h.offset(p.seq);
        let end = start + i64::from(p.len);
        if end <= 0 {
            return;
        }
        let skip = if start < 0 { (-start) as usize } else { 0 };
        let start = start.max(0) as u64;
        let end = end as u64;
        if end <= h.store.base() && h.store.base() > 0 {
            v.events.set(StreamEvent::ReassemblySegmentBeforeBaseSeq);
            return;
        }
        let mut data = p.seg.payload.get(skip..).unwrap_or(&[]);
        if depth > 0 {
            if start >= depth {
                if h.flags & H_DEPTH_REACHED == 0 {
                    h.flags |= H_DEPTH_REACHED | H_NOREASSEMBLY;
                    self.counters.stream_depth_reached += 1;
                    v.events.set(StreamEvent::ReassemblyDepthReached);
                }
                return;
            }
            if end > depth {
                let keep = (depth - start) as usize;
                data = data.get(..keep).unwrap_or(data);
            }
        }
        if data.is_empty() {
            return;
        }
        let out = h.store.insert(start, data, h.policy, &mut self.reasm_mem);
        if out.overlap {
            self.counters.overlap += 1;
            if out.overlap_diff_data && check_diff {
                self.counters.overlap_diff_data += 1;
                v.events.set(StreamEvent::ReassemblyOverlapDifferentData);
            }
        }
        if out.stored > 0 {
            self.counters.segment_from_pool += 1;
        }
        if out.limit_hit {
            v.events.set(StreamEvent::ReassemblyInsertLimit);
            if out.overlap {
                self.counters.insert_data_overlap_fail += 1;
            } else {
                self.counters.insert_data_normal_fail += 1;
            }
        }
        if out.memcap_hit {
            self.counters.segment_memcap_drop += 1;
            if out.overlap {
                self.counters.insert_data_overlap_fail += 1;
            } else {
                self.counters.insert_data_normal_fail += 1;
            }
            v.events.set(StreamEvent::ReassemblyInsertMemcap);
            v.exception = Some((
                ExceptionTrigger::ReassemblyMemcap,
                self.cfg.reassembly_memcap_policy,
            ));
            ssn.flags |= S_LOSSY;
        }
        if depth > 0 && end > depth {
            let h = ssn.pair(p.to_server).0;
            if h.flags & H_DEPTH_REACHED == 0 {
                h.flags |= H_DEPTH_REACHED | H_NOREASSEMBLY;
                self.counters.stream_depth_reached += 1;
                v.events.set(StreamEvent::ReassemblyDepthReached);
            }
        }
    }

    fn is_keepalive(&self, ssn: &mut TcpSession, p: &Pkt) -> bool {
        if p.len > 1 || p.flags & (SYN | FIN | RST) != 0 {
            return false;
        }
        let (stream, ostream) = ssn.pair(p.to_server);
        if p.ack == ostream.last_ack && p.seq == stream.next_seq.wrapping_sub(1) {
            stream.flags |= H_KEEPALIVE;
            return true;
        }
        false
    }

    fn is_keepalive_ack(&self, ssn: &mut TcpSession, p: &Pkt) -> bool {
        if p.len > 0 || p.flags & (SYN | FIN | RST) != 0 || p.win == 0 {
            return false;
        }
        let (stream, ostream) = ssn.pair(p.to_server);
        let pkt_win = u32::from(p.win) << ostream.wscale;
        if pkt_win != ostream.window {
            return false;
        }
        if ostream.flags & H_KEEPALIVE != 0 && p.ack == ostream.last_ack && p.seq == stream.next_seq
        {
            ostream.flags &= !H_KEEPALIVE;
            return true;
        }
        false
    }
}

fn update_last_ack(h: &mut Half, ack: u32) {
    if seq_gt(ack, h.last_ack) {
        h.last_ack = ack;
    }
}

fn update_next_seq(ssn: &mut TcpSession, to_server: bool, seq: u32) {
    let is_async = ssn.flags & S_ASYNC != 0;
    let h = ssn.pair(to_server).0;
    h.next_seq = seq;
    if is_async && seq_gt(h.next_seq, h.last_ack) {
        h.last_ack = h.next_seq;
    }
}

fn update_next_win(h: &mut Half, win: u32) {
    if seq_gt(win, h.next_win) {
        h.next_win = win;
    }
}

/// Suricata's StreamTcpValidateAck on the half whose data the packet acknowledges.
fn validate_ack(ssn: &mut TcpSession, to_server: bool, p: &Pkt, v: &mut Verdict) -> bool {
    let ok = validate_ack_quiet(ssn, to_server, p);
    if !ok {
        v.events.set(StreamEvent::PktInvalidAck);
    }
    ok
}

fn validate_ack_quiet(ssn: &mut TcpSession, to_server: bool, p: &Pkt) -> bool {
    if !p.has(ACK) {
        return true;
    }
    let state = ssn.state;
    let is_async = ssn.flags & S_ASYNC != 0;
    let s = ssn.pair(to_server).1;
    let ack = p.ack;
    if seq_gt(ack, s.last_ack) && seq_leq(ack, s.next_win) {
        return true;
    }
    if ack == s.last_ack {
        return true;
    }
    if seq_lt(ack, s.last_ack) {
        return !(s.window != 0 && seq_lt(ack, s.last_ack.wrapping_sub(s.window)));
    }
    if is_async {
        return true;
    }
    if state > TcpState::SynSent && seq_gt(ack, s.next_win) {
        return false;
    }
    state == TcpState::SynSent && !to_server && p.has(RST) && ack == s.isn.wrapping_add(1)
}

/// Suricata's StreamTcpPacketIsRetransmission on the sender's half.
fn is_retransmission(h: &Half, p: &Pkt, v: &mut Verdict) -> bool {
    if p.len == 0 {
        return false;
    }
    let end = p.end();
    let r = (seq_lt(p.seq, h.last_ack) && seq_gt(end, h.last_ack))
        || seq_leq(end, h.last_ack)
        || seq_leq(end, h.next_seq);
    if r {
        v.events.set(StreamEvent::PktRetransmission);
    }
    r
}

fn is_zwp_ack(ssn: &mut TcpSession, p: &Pkt) -> bool {
    if ssn.state < TcpState::Established || p.len != 0 || p.flags & (ACK | SYN | FIN | RST) != ACK {
        return false;
    }
    let flag = if p.to_server { S_ZWP_TC } else { S_ZWP_TS };
    if ssn.flags & flag == 0 {
        return false;
    }
    let (snd, rcv) = ssn.pair(p.to_server);
    let pkt_win = u32::from(p.win) << snd.wscale;
    pkt_win == 0 && pkt_win == rcv.window && p.seq == snd.next_seq && p.ack == rcv.last_ack
}

fn is_fin_shutdown_ack(ssn: &mut TcpSession, p: &Pkt) -> bool {
    if !matches!(
        ssn.state,
        TcpState::TimeWait | TcpState::CloseWait | TcpState::LastAck
    ) || p.flags != ACK
        || p.len != 0
    {
        return false;
    }
    let (stream, ostream) = ssn.pair(p.to_server);
    stream.next_seq.wrapping_add(1) == p.seq && p.ack == ostream.next_seq.wrapping_add(1)
}

fn is_window_update(ssn: &mut TcpSession, p: &Pkt) -> bool {
    if ssn.state < TcpState::Established
        || p.len > 0
        || p.flags & (SYN | FIN | RST) != 0
        || p.win == 0
    {
        return false;
    }
    let (stream, ostream) = ssn.pair(p.to_server);
    let pkt_win = u32::from(p.win) << ostream.wscale;
    if pkt_win == ostream.window {
        return false;
    }
    p.ack == ostream.last_ack && p.seq == stream.next_seq
}

fn is_bad_window_update(ssn: &mut TcpSession, p: &Pkt) -> bool {
    if ssn.state < TcpState::Established
        || ssn.state == TcpState::Closed
        || p.flags & (SYN | FIN | RST) != 0
    {
        return false;
    }
    let (stream, ostream) = ssn.pair(p.to_server);
    let pkt_win = u32::from(p.win) << ostream.wscale;
    if pkt_win < ostream.window {
        let diff = ostream.window - pkt_win;
        if diff > p.len && seq_gt(p.ack, ostream.next_seq) && seq_gt(p.seq, stream.next_seq) {
            let adiff = p.ack.wrapping_sub(ostream.last_ack);
            if (pkt_win > 1024 && diff > adiff.saturating_add(32))
                || (pkt_win <= 1024 && diff > adiff)
            {
                return true;
            }
        }
    }
    false
}

fn is_outdated_ack(ssn: &mut TcpSession, p: &Pkt) -> bool {
    if ssn.state < TcpState::Established || p.len != 0 || p.flags & (ACK | SYN | FIN | RST) != ACK {
        return false;
    }
    let (stream, ostream) = ssn.pair(p.to_server);
    // (SACK refinement not modelled: a packet with SACK blocks is not outdated.)
    p.seq == stream.next_seq && seq_lt(p.ack, ostream.last_ack) && p.seg.sack_count == 0
}

fn is_spurious_retransmission(ssn: &mut TcpSession, p: &Pkt) -> u8 {
    if p.len == 0 {
        return 0;
    }
    let h = ssn.pair(p.to_server).0;
    if h.flags & H_NOREASSEMBLY == 0 {
        let base_seq = h.base_seq.wrapping_add(h.pruned as u32);
        if seq_leq(p.end(), base_seq) {
            return 2;
        }
    }
    if seq_leq(p.end(), h.last_ack) {
        return 1;
    }
    0
}

/// Timestamp check of packets answering the SYN (only the server is checked).
fn syn_sent_ts_ok(ssn: &TcpSession, p: &Pkt) -> bool {
    if p.to_server {
        return true;
    }
    let Some((_, echo)) = p.seg.timestamps else {
        return true;
    };
    let r = &ssn.client;
    if r.flags & H_TIMESTAMP != 0 {
        !(r.last_ts != 0 && echo != 0 && echo != r.last_ts)
    } else {
        !(r.last_ts == 0 && echo != 0)
    }
}

fn queue_from_synack(p: &Pkt) -> QueuedState {
    let mut q = QueuedState {
        seq: p.seq,
        ack: p.ack,
        win: p.win,
        pkt_ts: p.secs,
        ..QueuedState::default()
    };
    if p.seg.sack_permitted {
        q.flags |= Q_SACK;
    }
    if let Some(ws) = p.seg.wscale {
        q.flags |= Q_WS;
        q.wscale = ws.min(WSCALE_MAX);
    }
    if let Some((val, _)) = p.seg.timestamps {
        q.flags |= Q_TS;
        q.ts = val;
    }
    q
}

fn queue_from_syn_pkt(p: &Pkt) -> QueuedState {
    let mut q = queue_from_synack(p);
    q.seq = 0;
    q.ack = 0;
    q
}

fn queue_from_ssn_syn(ssn: &TcpSession) -> QueuedState {
    let mut q = QueuedState {
        win: ssn.server.window.min(u32::from(u16::MAX)) as u16,
        pkt_ts: ssn.client.last_pkt_ts,
        ..QueuedState::default()
    };
    if ssn.flags & S_CLIENT_SACKOK != 0 {
        q.flags |= Q_SACK;
    }
    if ssn.flags & S_SERVER_WSCALE != 0 {
        q.flags |= Q_WS;
        q.wscale = ssn.server.wscale;
    }
    if ssn.client.flags & H_TIMESTAMP != 0 {
        q.flags |= Q_TS;
        q.ts = ssn.client.last_ts;
    }
    q
}

fn apply_syn_queue(ssn: &mut TcpSession, q: &QueuedState) {
    if q.flags & Q_TS != 0 {
        ssn.client.last_pkt_ts = q.pkt_ts;
        ssn.client.last_ts = q.ts;
        ssn.client.flags |= H_TIMESTAMP;
    }
    if q.flags & Q_WS != 0 {
        ssn.flags |= S_SERVER_WSCALE;
        ssn.server.wscale = q.wscale;
    } else {
        ssn.flags &= !S_SERVER_WSCALE;
        ssn.server.wscale = 0;
    }
    ssn.server.window = u32::from(q.win);
    if q.flags & Q_SACK != 0 {
        ssn.flags |= S_CLIENT_SACKOK;
    } else {
        ssn.flags &= !S_CLIENT_SACKOK;
    }
}

/// Applies a SYN/ACK (from the packet or a queued one) to the session.
fn synack_update(ssn: &mut TcpSession, q: &QueuedState) {
    if ssn.state != TcpState::SynRecv {
        StreamEngine::set_state(ssn, TcpState::SynRecv);
    }
    ssn.server.set_isn(q.seq);
    ssn.client.window = u32::from(q.win);
    if q.flags & Q_TS != 0 && ssn.client.flags & H_TIMESTAMP != 0 {
        ssn.server.last_ts = q.ts;
        ssn.flags |= S_TIMESTAMP;
        ssn.server.last_pkt_ts = q.pkt_ts;
        if q.ts == 0 {
            ssn.server.flags |= H_ZERO_TS;
        }
    } else {
        ssn.client.last_ts = 0;
        ssn.server.last_ts = 0;
        ssn.client.flags &= !H_ZERO_TS;
    }
    ssn.client.last_ack = q.ack;
    ssn.server.last_ack = ssn.server.isn.wrapping_add(1);
    ssn.client.wscale = if ssn.flags & S_SERVER_WSCALE != 0 && q.flags & Q_WS != 0 {
        q.wscale
    } else {
        0
    };
    if ssn.flags & S_CLIENT_SACKOK != 0 && q.flags & Q_SACK != 0 {
        ssn.flags |= S_SACKOK;
    } else {
        ssn.flags &= !S_SACKOK;
    }
    ssn.server.next_win = ssn.server.last_ack.wrapping_add(ssn.server.window);
    ssn.client.next_win = ssn.client.last_ack.wrapping_add(ssn.client.window);
    ssn.flags &= !S_4WHS;
}

#[cfg(test)]
mod tests;
