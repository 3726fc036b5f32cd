//! One million half-open connections (a SYN each, never answered) through the engine with
//! a small `stream.memcap`: the session budget is never exceeded, sessions that do not
//! fit are counted in `tcp.ssn_memcap_drop` (with the configured exception policy), and
//! the engine's memory accounting stays bounded and returns to zero.
//!
//! The flow table is simulated by a ring of flow slots: the flow in a slot ends (as a
//! flow timeout or eviction would end it) when a new connection takes the slot.

use palisade_capture::Timestamp;
use palisade_stream::tcp::{
    ExceptionPolicy, ExceptionTrigger, NullSink, StreamConfig, StreamEngine, TcpSegment,
    TcpSession, TcpState, SESSION_COST, SYN,
};

const CONNECTIONS: u32 = 1_000_000;
/// Sessions the memcap holds.
const BUDGET_SESSIONS: u64 = 1_000;
/// Live flows in the simulated flow table (more than the stream memcap allows).
const FLOW_SLOTS: usize = 4_096;

#[test]
fn million_half_open_connections_stay_within_memcap() {
    let cap = BUDGET_SESSIONS * SESSION_COST;
    let mut eng = StreamEngine::new(StreamConfig {
        memcap: cap,
        memcap_policy: ExceptionPolicy::Bypass,
        ..StreamConfig::default()
    });
    let mut slots: Vec<Option<Box<TcpSession>>> = (0..FLOW_SLOTS).map(|_| None).collect();
    // Independent model of what must happen: sessions live, creations, drops.
    let (mut live, mut created, mut dropped) = (0u64, 0u64, 0u64);
    let mut occupied = vec![false; FLOW_SLOTS];
    for i in 0..CONNECTIONS {
        let slot = i as usize % FLOW_SLOTS;
        if occupied[slot] {
            live -= 1;
            occupied[slot] = false;
        }
        eng.flow_end(&mut slots[slot], &mut NullSink);
        let seg = TcpSegment {
            seq: i.wrapping_mul(2_654_435_761),
            flags: SYN,
            window: 64240,
            ts: Timestamp::new(1_700_000_000 + u64::from(i / 1000), 0),
            ..TcpSegment::default()
        };
        let v = eng.handle(&mut slots[slot], &seg, true, &mut NullSink);
        if live < BUDGET_SESSIONS {
            live += 1;
            created += 1;
            occupied[slot] = true;
            assert!(v.created, "connection {i} should fit");
            assert_eq!(
                slots[slot].as_ref().map(|s| s.state()),
                Some(TcpState::SynSent)
            );
        } else {
            dropped += 1;
            assert!(
                !v.created && slots[slot].is_none(),
                "connection {i} over the memcap"
            );
            assert_eq!(
                v.exception,
                Some((ExceptionTrigger::SessionMemcap, ExceptionPolicy::Bypass))
            );
        }
        let (used, cap_now) = eng.session_memory();
        assert!(
            used <= cap_now,
            "budget exceeded at {i}: {used} > {cap_now}"
        );
        assert_eq!(used, live * SESSION_COST);
    }
    let stats = eng.stats().clone();
    assert_eq!(stats.sessions, created);
    assert_eq!(stats.ssn_memcap_drop, dropped);
    assert_eq!(created + dropped, u64::from(CONNECTIONS));
    assert!(dropped > 0 && created > BUDGET_SESSIONS);
    assert!(eng.session_memory_peak() <= cap);
    assert_eq!(eng.reassembly_memory().0, 0);
    for s in &mut slots {
        eng.flow_end(s, &mut NullSink);
    }
    assert_eq!(eng.session_memory().0, 0);
    assert_eq!(eng.stats().active_sessions, 0);
    let memcap_drop = eng
        .counters()
        .find(|(n, _)| *n == "tcp.ssn_memcap_drop")
        .map(|(_, v)| v);
    assert_eq!(memcap_drop, Some(dropped));
    eprintln!("half-open: {created} sessions created, {dropped} dropped by stream.memcap");
}
