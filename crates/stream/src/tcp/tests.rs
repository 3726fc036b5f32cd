//! Annotated conversations through the tracker. Each step is one segment: direction,
//! flags, sequence number, acknowledgement number, payload (and window 65535 unless
//! given). Client ISN 1000 (first data byte 1001), server ISN 5000 (first data byte
//! 5001) unless a test says otherwise.

use super::*;

const W: u16 = 65535;

#[derive(Default)]
struct Collect {
    data: [Vec<u8>; 2],
    next: [u64; 2],
    gaps: Vec<(Dir, u64, u64)>,
    eof: [bool; 2],
}

impl StreamSink for Collect {
    fn data(&mut self, dir: Dir, offset: u64, bytes: &[u8]) {
        let i = dir as usize;
        assert_eq!(offset, self.next[i]);
        self.next[i] += bytes.len() as u64;
        self.data[i].extend_from_slice(bytes);
    }
    fn gap(&mut self, dir: Dir, offset: u64, len: u64) {
        let i = dir as usize;
        assert_eq!(offset, self.next[i]);
        self.next[i] += len;
        self.gaps.push((dir, offset, len));
    }
    fn eof(&mut self, dir: Dir) {
        self.eof[dir as usize] = true;
    }
}

struct Conv {
    eng: StreamEngine,
    slot: Option<Box<TcpSession>>,
    sink: Collect,
}

const C: bool = true; // client -> server
const S: bool = false; // server -> client

impl Conv {
    fn new(cfg: StreamConfig) -> Conv {
        Conv {
            eng: StreamEngine::new(cfg),
            slot: None,
            sink: Collect::default(),
        }
    }
    fn ids() -> Conv {
        Conv::new(StreamConfig::default())
    }
    fn pkt(&mut self, to_server: bool, flags: u8, seq: u32, ack: u32, data: &[u8]) -> Verdict {
        self.pktw(to_server, flags, seq, ack, data, W)
    }
    fn pktw(&mut self, dir: bool, flags: u8, seq: u32, ack: u32, data: &[u8], win: u16) -> Verdict {
        let seg = TcpSegment {
            seq,
            ack,
            flags,
            window: win,
            payload: data,
            ts: Timestamp::new(1_700_000_000, 0),
            ..TcpSegment::default()
        };
        self.eng.handle(&mut self.slot, &seg, dir, &mut self.sink)
    }
    fn state(&self) -> TcpState {
        self.slot.as_ref().map_or(TcpState::None, |s| s.state())
    }
    /// SYN, SYN/ACK, ACK with ISNs 1000 / 5000.
    fn handshake(&mut self) {
        // client SYN: seq 1000
        assert!(!self.pkt(C, SYN, 1000, 0, b"").invalid);
        assert_eq!(self.state(), TcpState::SynSent);
        // server SYN/ACK: seq 5000, acks 1001
        assert!(!self.pkt(S, SYN | ACK, 5000, 1001, b"").invalid);
        assert_eq!(self.state(), TcpState::SynRecv);
        // client ACK: seq 1001, acks 5001
        assert!(!self.pkt(C, ACK, 1001, 5001, b"").invalid);
        assert_eq!(self.state(), TcpState::Established);
    }
    fn ts(&self) -> &[u8] {
        &self.sink.data[0]
    }
    fn tc(&self) -> &[u8] {
        &self.sink.data[1]
    }
    fn end(&mut self) {
        self.eng.flow_end(&mut self.slot, &mut self.sink);
    }
    fn counter(&self, name: &str) -> u64 {
        self.eng
            .counters()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .unwrap()
    }
}

fn has(v: &Verdict, e: StreamEvent) -> bool {
    v.events.contains(e)
}

#[test]
fn handshake_and_ack_limited_delivery() {
    let mut c = Conv::ids();
    c.handshake();
    // client data "GET /" at 1001..1006, acking 5001
    let v = c.pkt(C, ACK | PSH, 1001, 5001, b"GET /");
    assert!(v.events.is_empty() && !v.invalid);
    assert_eq!(c.ts(), b"", "IDS mode: not acknowledged yet");
    // server ACKs 1006 and sends "HTTP" at 5001
    c.pkt(S, ACK | PSH, 5001, 1006, b"HTTP");
    assert_eq!(c.ts(), b"GET /");
    assert_eq!(c.tc(), b"");
    // client ACKs the server data
    c.pkt(C, ACK, 1006, 5005, b"");
    assert_eq!(c.tc(), b"HTTP");
    assert_eq!(c.counter("tcp.sessions"), 1);
    assert_eq!(c.counter("tcp.active_sessions"), 1);
    c.end();
    assert_eq!(c.counter("tcp.active_sessions"), 0);
    assert_eq!(c.sink.eof, [true, true]);
    assert_eq!(c.eng.session_memory().0, 0);
    assert_eq!(c.eng.reassembly_memory().0, 0);
}

#[test]
fn inline_mode_delivers_in_order_data_at_once() {
    let mut c = Conv::new(StreamConfig {
        inline: InlineMode::Yes,
        ..StreamConfig::default()
    });
    c.handshake();
    c.pkt(C, ACK | PSH, 1001, 5001, b"abc");
    assert_eq!(c.ts(), b"abc");
}

#[test]
fn flow_end_flushes_unacknowledged_data() {
    let mut c = Conv::ids();
    c.handshake();
    c.pkt(C, ACK | PSH, 1001, 5001, b"tail");
    assert_eq!(c.ts(), b"");
    c.end();
    assert_eq!(c.ts(), b"tail");
}

#[test]
fn close_paths() {
    // (steps after the handshake, expected states after each step)
    type Step = (bool, u8, u32, u32, TcpState);
    let table: &[(&str, &[Step])] = &[
        (
            "client closes first",
            &[
                // client FIN at 1001
                (C, FIN | ACK, 1001, 5001, TcpState::CloseWait),
                // server ACKs the FIN (1002) and sends its FIN at 5001
                (S, FIN | ACK, 5001, 1002, TcpState::LastAck),
                // client ACKs the server FIN
                (C, ACK, 1002, 5002, TcpState::Closed),
            ],
        ),
        (
            "server closes first",
            &[
                (S, FIN | ACK, 5001, 1001, TcpState::FinWait1),
                (C, ACK, 1001, 5002, TcpState::FinWait2),
                (C, FIN | ACK, 1001, 5002, TcpState::TimeWait),
                (S, ACK, 5002, 1002, TcpState::Closed),
            ],
        ),
        (
            "server FIN, client FIN+ACK at once",
            &[
                (S, FIN | ACK, 5001, 1001, TcpState::FinWait1),
                (C, FIN | ACK, 1001, 5002, TcpState::TimeWait),
                (S, ACK, 5002, 1002, TcpState::Closed),
            ],
        ),
        (
            "simultaneous close (FIN without ACK)",
            &[
                (S, FIN | ACK, 5001, 1001, TcpState::FinWait1),
                (C, FIN, 1001, 0, TcpState::Closing),
                (S, ACK, 5002, 1002, TcpState::TimeWait),
                (C, ACK, 1002, 5002, TcpState::Closed),
            ],
        ),
    ];
    for (name, steps) in table {
        let mut c = Conv::ids();
        c.handshake();
        for (i, &(dir, flags, seq, ack, want)) in steps.iter().enumerate() {
            let v = c.pkt(dir, flags, seq, ack, b"");
            assert!(!v.invalid, "{name} step {i}: {:?}", v.events);
            assert_eq!(c.state(), want, "{name} step {i}");
        }
    }
}

#[test]
fn close_delivers_then_flow_end_signals_eof() {
    let mut c = Conv::ids();
    c.handshake();
    c.pkt(C, ACK | PSH, 1001, 5001, b"req");
    c.pkt(S, ACK | PSH, 5001, 1004, b"resp");
    c.pkt(S, FIN | ACK, 5005, 1004, b"");
    c.pkt(C, FIN | ACK, 1004, 5006, b"");
    c.pkt(S, ACK, 5006, 1005, b"");
    assert_eq!(c.state(), TcpState::Closed);
    assert_eq!(c.ts(), b"req");
    assert_eq!(c.tc(), b"resp");
    // end of stream is signalled when the flow ends
    assert_eq!(c.sink.eof, [false, false]);
    c.end();
    assert_eq!(c.sink.eof, [true, true]);
}

#[test]
fn rst_validation() {
    // valid RST from the client: seq == next_seq
    let mut c = Conv::ids();
    c.handshake();
    let v = c.pkt(C, RST, 1001, 0, b"");
    assert!(!v.invalid);
    assert_eq!(c.state(), TcpState::Closed);
    assert!(c.slot.as_ref().unwrap().closed_by_rst());

    // RST with a wrong sequence number (BSD policy wants next_seq exactly): ignored
    let mut c = Conv::ids();
    c.handshake();
    let v = c.pkt(C, RST, 1500, 0, b"");
    assert!(v.invalid);
    assert_eq!(c.state(), TcpState::Established);

    // RST with an ACK beyond the window: rst_invalid_ack
    let mut c = Conv::ids();
    c.handshake();
    let v = c.pkt(S, RST | ACK, 5001, 900_000, b"");
    assert!(v.invalid);
    assert!(has(&v, StreamEvent::RstInvalidAck));
    assert!(has(&v, StreamEvent::PktInvalidAck));

    // Linux receiver: any RST within the window counts
    let mut cfg = StreamConfig::default();
    cfg.host_os_policy.add_str("10.0.0.2", OverlapPolicy::Linux);
    let mut c = Conv::new(cfg);
    let syn = TcpSegment {
        seq: 1000,
        flags: SYN,
        window: W,
        src: "10.0.0.1".parse().ok(),
        dst: "10.0.0.2".parse().ok(),
        ..TcpSegment::default()
    };
    c.eng.handle(&mut c.slot, &syn, C, &mut c.sink);
    c.pkt(S, SYN | ACK, 5000, 1001, b"");
    c.pkt(C, ACK, 1001, 5001, b"");
    let v = c.pkt(C, RST, 1500, 0, b"");
    assert!(!v.invalid);
    assert_eq!(c.state(), TcpState::Closed);

    // RST answering the SYN (server refuses): seq 0, ack isn+1
    let mut c = Conv::ids();
    c.pkt(C, SYN, 1000, 0, b"");
    let v = c.pkt(S, RST | ACK, 0, 1001, b"");
    assert!(!v.invalid, "{:?}", v.events);
    assert_eq!(c.state(), TcpState::Closed);
}

#[test]
fn rst_followed_by_sender_traffic_looks_injected() {
    let mut c = Conv::ids();
    c.pkt(C, SYN, 1000, 0, b"");
    // the "server" refuses the SYN
    c.pkt(S, RST | ACK, 0, 1001, b"");
    assert_eq!(c.state(), TcpState::Closed);
    // ... and then answers it anyway
    let v = c.pkt(S, SYN | ACK, 5000, 1001, b"");
    assert!(has(&v, StreamEvent::SuspectedRstInject), "{:?}", v.events);
}

#[test]
fn no_session_packets() {
    let table: &[(u8, Option<StreamEvent>)] = &[
        (RST, Some(StreamEvent::RstButNoSession)),
        (FIN | ACK, Some(StreamEvent::FinButNoSession)),
        (ACK, None),
        (SYN | ACK, None),
    ];
    for &(flags, ev) in table {
        let mut c = Conv::ids();
        let v = c.pkt(C, flags, 1, 1, b"");
        assert!(c.slot.is_none(), "flags {flags:#x}");
        match ev {
            Some(e) => assert!(has(&v, e) && v.invalid, "flags {flags:#x}"),
            None => assert!(v.events.is_empty() && !v.invalid),
        }
    }
}

#[test]
fn midstream_pickups() {
    let cfg = StreamConfig {
        midstream: true,
        ..StreamConfig::default()
    };
    // an ACK with data: established, client data starts at this packet
    let mut c = Conv::new(cfg.clone());
    let v = c.pkt(C, ACK | PSH, 7000, 9000, b"mid");
    assert!(v.created && !v.reversed);
    assert_eq!(c.state(), TcpState::Established);
    assert!(c.slot.as_ref().unwrap().midstream());
    assert_eq!(c.counter("tcp.midstream_pickups"), 1);
    c.pkt(S, ACK, 9000, 7003, b"");
    assert_eq!(c.ts(), b"mid");

    // a SYN/ACK: the flow is reversed, state SYN_RECV; the client's ACK then
    // establishes (packets now in the reversed orientation)
    let mut c = Conv::new(cfg);
    let v = c.pkt(C, SYN | ACK, 5000, 1001, b"");
    assert!(v.created && v.reversed);
    assert_eq!(c.state(), TcpState::SynRecv);
    let v = c.pkt(C, ACK, 1001, 5001, b"");
    assert!(!v.invalid, "{:?}", v.events);
    assert_eq!(c.state(), TcpState::Established);

    // without midstream nothing is picked up
    let mut c = Conv::ids();
    c.pkt(C, ACK, 7000, 9000, b"x");
    assert!(c.slot.is_none());
}

#[test]
fn async_oneside() {
    let mut c = Conv::new(StreamConfig {
        async_oneside: true,
        ..StreamConfig::default()
    });
    c.pkt(C, SYN, 1000, 0, b"");
    // only the client side is visible: its ACK with the right seq establishes
    let v = c.pkt(C, ACK, 1001, 5001, b"");
    assert!(!v.invalid);
    assert_eq!(c.state(), TcpState::Established);
    assert!(c.slot.as_ref().unwrap().is_async());
    // data is delivered without any acknowledgement from the server
    c.pkt(C, ACK | PSH, 1001, 5001, b"one-sided");
    assert_eq!(c.ts(), b"one-sided");
    // a wrong sequence number on the async ACK
    let mut c = Conv::new(StreamConfig {
        async_oneside: true,
        ..StreamConfig::default()
    });
    c.pkt(C, SYN, 1000, 0, b"");
    let v = c.pkt(C, ACK, 1400, 5001, b"");
    assert!(v.invalid && has(&v, StreamEvent::ThreeWhsAsyncWrongSeq));
}

#[test]
fn out_of_order_capture_is_reordered() {
    let mut c = Conv::ids();
    c.handshake();
    // second segment (1004..1007) captured before the first (1001..1004)
    c.pkt(C, ACK, 1004, 5001, b"def");
    c.pkt(C, ACK, 1001, 5001, b"abc");
    c.pkt(S, ACK, 5001, 1007, b"");
    assert_eq!(c.ts(), b"abcdef");
    assert!(c.sink.gaps.is_empty());
}

#[test]
fn sequence_wraps_around() {
    let mut c = Conv::ids();
    // client ISN 0xffff_fffd: data bytes at 0xffff_fffe, 0xffff_ffff, 0, 1, ...
    c.pkt(C, SYN, 0xffff_fffd, 0, b"");
    c.pkt(S, SYN | ACK, 5000, 0xffff_fffe, b"");
    c.pkt(C, ACK, 0xffff_fffe, 5001, b"");
    c.pkt(C, ACK, 0xffff_fffe, 5001, b"wrap");
    c.pkt(C, ACK, 2, 5001, b"ped");
    c.pkt(S, ACK, 5001, 5, b"");
    assert_eq!(c.ts(), b"wrapped");
}

#[test]
fn retransmissions() {
    let mut c = Conv::ids();
    c.handshake();
    c.pkt(C, ACK, 1001, 5001, b"data");
    c.pkt(S, ACK, 5001, 1005, b"");
    // the same segment again, already acknowledged: spurious retransmission
    let v = c.pkt(C, ACK, 1001, 5001, b"data");
    assert!(has(&v, StreamEvent::PktSpuriousRetransmission));
    assert_eq!(c.ts(), b"data");
    // in a closing state a retransmission raises pkt_retransmission
    c.pkt(C, FIN | ACK, 1005, 5001, b"");
    assert_eq!(c.state(), TcpState::CloseWait);
    c.pkt(S, ACK | PSH, 5001, 1006, b"bye");
    let v = c.pkt(S, ACK | PSH, 5001, 1006, b"bye");
    assert!(has(&v, StreamEvent::PktRetransmission), "{:?}", v.events);
    assert!(v.retransmission);
}

#[test]
fn keep_alive_is_skipped() {
    let mut c = Conv::ids();
    c.handshake();
    // keep-alive: seq = next_seq - 1, no data
    let v = c.pkt(C, ACK, 1000, 5001, b"");
    assert!(v.skipped && v.events.is_empty() && !v.invalid);
    assert_eq!(c.state(), TcpState::Established);
}

#[test]
fn window_and_ack_violations() {
    // data beyond the window the server offered (window 100)
    let mut c = Conv::ids();
    c.pkt(C, SYN, 1000, 0, b"");
    c.pktw(S, SYN | ACK, 5000, 1001, b"", 100);
    c.pktw(C, ACK, 1001, 5001, b"", 100);
    // (as in Suricata, the established handlers raise the event but do not flag the
    // packet as an error)
    let v = c.pkt(C, ACK, 1050, 5001, &[b'x'; 200]);
    assert!(has(&v, StreamEvent::EstPacketOutOfWindow), "{:?}", v.events);
    c.pkt(S, ACK, 5001, 1250, b"");
    c.end();
    assert_eq!(c.ts(), b"", "out-of-window data is not reassembled");

    // an ACK for data far beyond what the server may send
    let mut c = Conv::ids();
    c.handshake();
    let v = c.pkt(C, ACK, 1001, 5001 + 1_000_000, b"");
    assert!(has(&v, StreamEvent::EstInvalidAck) && has(&v, StreamEvent::PktInvalidAck));

    // data before what was already acknowledged, not a retransmission of it
    let mut c = Conv::ids();
    c.handshake();
    c.pkt(C, ACK, 1001, 5001, b"0123456789");
    c.pkt(S, ACK, 5001, 1011, b"");
    // (1003..1006 lies before the acknowledged 1011: a spurious retransmission, and
    // data before last_ack)
    let v = c.pkt(C, ACK, 1003, 5001, b"abc");
    assert!(
        has(&v, StreamEvent::PktSpuriousRetransmission),
        "{:?}",
        v.events
    );
    assert!(has(&v, StreamEvent::EstPktBeforeLastAck), "{:?}", v.events);
    // entirely before the stream's first byte (before base_seq): skipped silently
    let v = c.pkt(C, ACK, 995, 5001, b"abc");
    assert!(v.skipped && !has(&v, StreamEvent::EstPktBeforeLastAck));
}

#[test]
fn handshake_anomalies() {
    let ev = |steps: &[(bool, u8, u32, u32)]| {
        let mut c = Conv::ids();
        let mut last = Verdict::default();
        for &(d, f, s, a) in steps {
            last = c.pkt(d, f, s, a, b"");
        }
        last
    };
    type Steps<'a> = &'a [(bool, u8, u32, u32)];
    let cases: &[(Steps, StreamEvent)] = &[
        (
            &[(C, SYN, 1000, 0), (S, SYN | ACK, 5000, 7777)],
            StreamEvent::ThreeWhsSynackWithWrongAck,
        ),
        (
            &[(C, SYN, 1000, 0), (C, SYN | ACK, 5000, 1001)],
            StreamEvent::ThreeWhsSynackInWrongDirection,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, SYN | ACK, 1000, 5001),
            ],
            StreamEvent::ThreeWhsSynackToserverOnSynRecv,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (S, SYN, 5000, 0),
            ],
            StreamEvent::ThreeWhsSynToclientOnSynRecv,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, SYN, 1234, 0),
            ],
            StreamEvent::ThreeWhsSynResendDiffSeqOnSynRecv,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (S, SYN | ACK, 5000, 1009),
            ],
            StreamEvent::ThreeWhsSynackResendWithDiffAck,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 6000),
            ],
            StreamEvent::ThreeWhsRightSeqWrongAckEvasion,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 3000, 6000),
            ],
            StreamEvent::ThreeWhsWrongSeqWrongAck,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 5001),
                (C, SYN, 1000, 0),
            ],
            StreamEvent::EstSynResend,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 5001),
                (C, SYN, 1200, 0),
            ],
            StreamEvent::EstSynResendDiffSeq,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 5001),
                (S, SYN, 5000, 0),
            ],
            StreamEvent::EstSynToclient,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 5001),
                (C, SYN | ACK, 1000, 5001),
            ],
            StreamEvent::EstSynackToserver,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 5001),
                (S, SYN | ACK, 5000, 1002),
            ],
            StreamEvent::EstSynackResendWithDiffAck,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 5001),
                (S, SYN | ACK, 5100, 1001),
            ],
            StreamEvent::EstSynackResendWithDiffSeq,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 5001),
                (C, FIN | ACK, 1001, 5001),
                (C, SYN, 1000, 0),
            ],
            StreamEvent::ShutdownSynResend,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 5001),
                (C, FIN | SYN | ACK, 1001, 5001),
            ],
            StreamEvent::FinSyn,
        ),
        (
            &[
                (C, SYN, 1000, 0),
                (S, SYN | ACK, 5000, 1001),
                (C, ACK, 1001, 5001),
                (C, FIN | ACK, 900_000, 5001),
            ],
            StreamEvent::FinOutOfWindow,
        ),
        (&[(C, SYN, 1000, 77)], StreamEvent::PktBrokenAck),
    ];
    for (steps, want) in cases {
        let v = ev(steps);
        assert!(has(&v, *want), "{want:?}: got {:?}", v.events);
    }
}

#[test]
fn ack_in_wrong_direction_inline() {
    let mut c = Conv::new(StreamConfig {
        inline: InlineMode::Yes,
        ..StreamConfig::default()
    });
    c.pkt(C, SYN, 1000, 0, b"");
    c.pkt(S, SYN | ACK, 5000, 1001, b"");
    let v = c.pkt(S, ACK, 5001, 1001, b"");
    assert!(v.invalid && v.drop && has(&v, StreamEvent::ThreeWhsAckInWrongDir));
    // IDS mode accepts it (the client's ACK was probably lost)
    let mut c = Conv::ids();
    c.pkt(C, SYN, 1000, 0, b"");
    c.pkt(S, SYN | ACK, 5000, 1001, b"");
    let v = c.pkt(S, ACK, 5001, 1001, b"x");
    assert!(!v.invalid);
    assert_eq!(c.state(), TcpState::Established);
}

#[test]
fn synack_queue_and_flood() {
    let mut c = Conv::new(StreamConfig {
        max_synack_queued: 2,
        ..StreamConfig::default()
    });
    c.pkt(C, SYN, 1000, 0, b"");
    c.pkt(S, SYN | ACK, 5000, 1001, b"");
    // the server resends the SYN/ACK with other ISNs: queued
    assert!(!c.pkt(S, SYN | ACK, 6000, 1001, b"").invalid);
    assert!(!c.pkt(S, SYN | ACK, 7000, 1001, b"").invalid);
    let v = c.pkt(S, SYN | ACK, 8000, 1001, b"");
    assert!(v.invalid && has(&v, StreamEvent::ThreeWhsSynackFlood));
    // the client's ACK chooses the queued SYN/ACK with ISN 6000
    let v = c.pkt(C, ACK, 1001, 6001, b"");
    assert!(!v.invalid, "{:?}", v.events);
    assert_eq!(c.state(), TcpState::Established);
    assert_eq!(c.slot.as_ref().unwrap().isns(), (1000, 6000));
    c.pkt(S, ACK, 6001, 1001, b"hi");
    c.pkt(C, ACK, 1001, 6003, b"");
    assert_eq!(c.tc(), b"hi");
}

#[test]
fn gap_notice_when_missing_data_is_acknowledged() {
    let mut c = Conv::ids();
    c.handshake();
    // 1001..1005 never captured; 1005..1009 is
    c.pkt(C, ACK, 1005, 5001, b"5678");
    // the server acknowledges everything
    c.pkt(S, ACK, 5001, 1009, b"");
    assert_eq!(c.sink.gaps, vec![(Dir::ToServer, 0, 4)]);
    assert_eq!(c.ts(), b"5678");
    assert_eq!(c.counter("tcp.reassembly_gap"), 1);
}

#[test]
fn reassembly_depth() {
    let mut c = Conv::new(StreamConfig {
        reassembly_depth: 6,
        ..StreamConfig::default()
    });
    c.handshake();
    let v = c.pkt(C, ACK, 1001, 5001, b"0123456789");
    assert!(has(&v, StreamEvent::ReassemblyDepthReached) && v.depth_reached);
    c.pkt(S, ACK, 5001, 1011, b"");
    assert_eq!(c.ts(), b"012345");
    assert!(c.slot.as_ref().unwrap().depth_reached(Dir::ToServer));
    let v = c.pkt(C, ACK, 1011, 5001, b"more");
    assert!(!has(&v, StreamEvent::ReassemblyDepthReached), "raised once");
    assert_eq!(c.counter("tcp.stream_depth_reached"), 1);
}

#[test]
fn overlap_with_different_data() {
    let mut c = Conv::new(StreamConfig {
        check_overlap_different_data: true,
        ..StreamConfig::default()
    });
    c.handshake();
    c.pkt(C, ACK, 1001, 5001, b"abcd");
    // an exact duplicate with other bytes: Suricata drops that comparison (no event)
    let v = c.pkt(C, ACK, 1001, 5001, b"abXd");
    assert!(!has(&v, StreamEvent::ReassemblyOverlapDifferentData));
    // in flight (not yet acknowledged), overlapping 1002..1005 with other bytes
    let v = c.pkt(C, ACK, 1002, 5001, b"Xcde");
    assert!(
        has(&v, StreamEvent::ReassemblyOverlapDifferentData),
        "{:?}",
        v.events
    );
    assert_eq!(c.counter("tcp.overlap"), 2);
    assert_eq!(c.counter("tcp.overlap_diff_data"), 1);
    // BSD: the original bytes stay
    c.pkt(S, ACK, 5001, 1006, b"");
    assert_eq!(c.ts(), b"abcde");
}

#[test]
fn session_memcap() {
    let mut eng = StreamEngine::new(StreamConfig {
        memcap: SESSION_COST,
        memcap_policy: ExceptionPolicy::PassFlow,
        ..StreamConfig::default()
    });
    let syn = TcpSegment {
        seq: 1,
        flags: SYN,
        ..TcpSegment::default()
    };
    let (mut a, mut b) = (None, None);
    assert!(eng.handle(&mut a, &syn, true, &mut NullSink).created);
    let v = eng.handle(&mut b, &syn, true, &mut NullSink);
    assert!(b.is_none() && v.invalid);
    assert_eq!(
        v.exception,
        Some((ExceptionTrigger::SessionMemcap, ExceptionPolicy::PassFlow))
    );
    assert_eq!(eng.stats().ssn_memcap_drop, 1);
    eng.flow_end(&mut a, &mut NullSink);
    assert!(eng.handle(&mut b, &syn, true, &mut NullSink).created);
}

#[test]
fn timestamps_paws() {
    let mut c = Conv::new(StreamConfig {
        liberal_timestamps: false,
        ..StreamConfig::default()
    });
    let send = |c: &mut Conv, dir, flags, seq, ack, tsval: u32, data: &[u8]| {
        let seg = TcpSegment {
            seq,
            ack,
            flags,
            window: W,
            // echo: what the other side sent last (client 100.., server 900)
            timestamps: Some((tsval, if dir { 900 } else { 100 })),
            payload: data,
            ts: Timestamp::new(1_700_000_000, 0),
            ..TcpSegment::default()
        };
        c.eng.handle(&mut c.slot, &seg, dir, &mut c.sink)
    };
    send(&mut c, C, SYN, 1000, 0, 100, b"");
    send(&mut c, S, SYN | ACK, 5000, 1001, 900, b"");
    send(&mut c, C, ACK, 1001, 5001, 101, b"");
    assert_eq!(c.state(), TcpState::Established);
    assert!(!send(&mut c, C, ACK, 1001, 5001, 105, b"new").invalid);
    // an older timestamp on new data: rejected
    let v = send(&mut c, C, ACK, 1004, 5001, 50, b"old");
    assert!(
        v.invalid && has(&v, StreamEvent::PktInvalidTimestamp),
        "{:?}",
        v.events
    );
}

#[test]
fn invalid_checksum_is_ignored_and_counted() {
    let mut c = Conv::ids();
    let seg = TcpSegment {
        seq: 1000,
        flags: SYN,
        csum_ok: Some(false),
        ..TcpSegment::default()
    };
    let v = c.eng.handle(&mut c.slot, &seg, C, &mut c.sink);
    assert!(v.skipped && c.slot.is_none());
    assert_eq!(c.counter("tcp.invalid_checksum"), 1);
}

#[test]
fn counter_names_and_order() {
    let eng = StreamEngine::new(StreamConfig::default());
    let names: Vec<&str> = eng.counters().map(|(n, _)| n).collect();
    // Suricata 7.0.10's `tcp` stats section without decode's syn/synack/rst/urg.
    let want = "active_sessions sessions ssn_memcap_drop ssn_from_cache ssn_from_pool pseudo \
        pseudo_failed invalid_checksum midstream_pickups pkt_on_wrong_thread ack_unseen_data \
        segment_memcap_drop segment_from_cache segment_from_pool stream_depth_reached \
        reassembly_gap overlap overlap_diff_data insert_data_normal_fail \
        insert_data_overlap_fail urgent_oob_data memuse reassembly_memuse";
    let want: Vec<String> = want
        .split_whitespace()
        .map(|n| format!("tcp.{n}"))
        .collect();
    assert_eq!(names, want);
}

#[test]
fn raw_stream_chunks() {
    let mut c = Conv::new(StreamConfig {
        toserver_chunk_size: 4,
        ..StreamConfig::default()
    });
    c.handshake();
    c.pkt(C, ACK, 1001, 5001, b"ab");
    c.pkt(S, ACK, 5001, 1003, b"");
    let ssn = c.slot.as_deref().unwrap();
    assert!(
        !c.eng.raw_ready(ssn, Dir::ToServer),
        "2 bytes < chunk size 4"
    );
    c.pkt(C, ACK, 1003, 5001, b"cdef");
    let ssn = c.slot.as_deref().unwrap();
    assert!(!c.eng.raw_ready(ssn, Dir::ToServer) || ssn.raw_window(Dir::ToServer, false).1 == 2);
    c.pkt(S, ACK, 5001, 1007, b"");
    let ssn = c.slot.as_deref().unwrap();
    assert!(c.eng.raw_ready(ssn, Dir::ToServer));
    let mut got = Vec::new();
    ssn.raw_read(Dir::ToServer, false, &mut |off, b| {
        got.push((off, b.to_vec()))
    });
    let all: Vec<u8> = got.iter().flat_map(|(_, b)| b.clone()).collect();
    assert_eq!(all, b"abcdef");
    let ssn = c.slot.as_deref_mut().unwrap();
    c.eng.raw_consume(ssn, Dir::ToServer, 6);
    assert_eq!(ssn.raw_window(Dir::ToServer, false), (6, 6));
    assert!(!c.eng.raw_ready(ssn, Dir::ToServer));
}

#[test]
fn port_reuse_rule() {
    let cfg = StreamConfig::default();
    let syn = |seq| TcpSegment {
        seq,
        flags: SYN,
        ..TcpSegment::default()
    };
    assert!(packet_reuses_session(&cfg, None, &syn(1), true));
    let mut c = Conv::ids();
    c.handshake();
    let s = c.slot.as_deref();
    // established: no reuse
    assert!(!packet_reuses_session(&cfg, s, &syn(77), true));
    c.pkt(C, FIN | ACK, 1001, 5001, b"");
    c.pkt(S, FIN | ACK, 5001, 1002, b"");
    assert_eq!(c.state(), TcpState::LastAck);
    let s = c.slot.as_deref();
    assert!(packet_reuses_session(&cfg, s, &syn(77), true));
    // the session's own SYN again: a retransmission
    assert!(!packet_reuses_session(&cfg, s, &syn(1000), true));
    // SYN/ACK starts nothing without midstream
    let sa = TcpSegment {
        seq: 9,
        ack: 1,
        flags: SYN | ACK,
        ..TcpSegment::default()
    };
    assert!(!packet_reuses_session(&cfg, s, &sa, false));
}

#[test]
fn app_layer_disabled_stops_delivery_and_gaps() {
    let mut c = Conv::ids();
    c.handshake();
    c.slot.as_deref_mut().unwrap().disable_app_layer();
    // a hole (1001..1005) then data, all acknowledged
    c.pkt(C, ACK, 1005, 5001, b"5678");
    let v = c.pkt(S, ACK, 5001, 1009, b"");
    assert!(!has(&v, StreamEvent::ReassemblySeqGap));
    assert!(c.sink.gaps.is_empty() && c.ts().is_empty());
    assert_eq!(c.counter("tcp.reassembly_gap"), 0);
}
