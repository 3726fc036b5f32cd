//! The TCP tracker on arbitrary segments of one session, in arbitrary order: never
//! panics, the sink sees contiguous offsets, the memory budgets are never exceeded and
//! everything is freed at flow end.
//!
//! Input: byte 0 = configuration bits (midstream, async-oneside, inline, strict
//! timestamps, small memcaps, depth, overlap checks), bytes 1..9 = the two ISNs, then
//! records: [dir+options, flags, seq(2), ack(2), window(2), len, payload...]. Sequence
//! and acknowledgement numbers are offsets from the sender's / receiver's ISN, so that
//! most segments land near the window; bit 1 of the first record byte makes them absolute.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_stream::tcp::{
    Dir, InlineMode, StreamConfig, StreamEngine, StreamSink, TcpSegment, SESSION_COST,
};

#[derive(Default)]
struct Check {
    next: [u64; 2],
    eof: [bool; 2],
}

impl StreamSink for Check {
    fn data(&mut self, dir: Dir, offset: u64, bytes: &[u8]) {
        let i = dir as usize;
        assert_eq!(offset, self.next[i]);
        assert!(!self.eof[i], "data after eof");
        self.next[i] += bytes.len() as u64;
    }
    fn gap(&mut self, dir: Dir, offset: u64, len: u64) {
        let i = dir as usize;
        assert_eq!(offset, self.next[i]);
        assert!(len > 0);
        self.next[i] += len;
    }
    fn eof(&mut self, dir: Dir) {
        self.eof[dir as usize] = true;
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 9 {
        return;
    }
    let c = data[0];
    let mut cfg = StreamConfig {
        midstream: c & 1 != 0,
        async_oneside: c & 2 != 0,
        inline: if c & 4 != 0 { InlineMode::Yes } else { InlineMode::No },
        liberal_timestamps: c & 8 == 0,
        check_overlap_different_data: c & 64 != 0,
        checksum_validation: false,
        ..StreamConfig::default()
    };
    if c & 16 != 0 {
        cfg.memcap = SESSION_COST;
        cfg.reassembly_memcap = 3 * 4096;
    }
    if c & 32 != 0 {
        cfg.reassembly_depth = 100;
    }
    if c & 128 != 0 {
        cfg.raw = false;
    }
    let (mcap, rcap, depth) = (cfg.memcap, cfg.reassembly_memcap, cfg.reassembly_depth);
    let isn_c = u32::from_be_bytes([data[1], data[2], data[3], data[4]]);
    let isn_s = u32::from_be_bytes([data[5], data[6], data[7], data[8]]);
    let mut eng = StreamEngine::new(cfg);
    let mut slot = None;
    let mut sink = Check::default();
    let mut rest = &data[9..];
    let mut n = 0;
    while rest.len() >= 8 && n < 512 {
        let (h, tail) = rest.split_at(8);
        let len = usize::from(h[7] & 0x7f).min(tail.len());
        let (payload, tail) = tail.split_at(len);
        rest = tail;
        n += 1;
        let to_server = h[0] & 1 != 0;
        let absolute = h[0] & 2 != 0;
        let (mine, other) = if to_server { (isn_c, isn_s) } else { (isn_s, isn_c) };
        let s16 = u32::from(u16::from_be_bytes([h[2], h[3]]));
        let a16 = u32::from(u16::from_be_bytes([h[4], h[5]]));
        let (seq, ack) = if absolute {
            (s16 << 16 | a16, a16 << 16 | s16)
        } else {
            (mine.wrapping_add(s16), other.wrapping_add(a16))
        };
        let seg = TcpSegment {
            seq,
            ack,
            flags: h[1],
            window: u16::from_be_bytes([h[6], h[0]]),
            wscale: if h[0] & 4 != 0 { Some(h[0] >> 4) } else { None },
            timestamps: if h[0] & 8 != 0 { Some((s16 * 7, a16 * 3)) } else { None },
            sack_permitted: h[0] & 0x40 != 0,
            tfo: h[0] & 0x80 != 0,
            payload,
            ..TcpSegment::default()
        };
        // After a mid-stream SYN/ACK pick-up the engine would swap the flow: keep the
        // orientation the tracker asked for.
        let _ = eng.handle(&mut slot, &seg, to_server, &mut sink);
        let (used, cap) = eng.session_memory();
        assert!(cap == 0 || used <= cap);
        assert_eq!(cap, mcap);
        let (rused, rc) = eng.reassembly_memory();
        assert!(rc == 0 || rused <= rc);
        assert_eq!(rc, rcap);
        if let Some(ssn) = slot.as_deref() {
            for d in [Dir::ToServer, Dir::ToClient] {
                let (s, e) = ssn.raw_window(d, false);
                assert!(s <= e);
                if depth > 0 {
                    assert!(ssn.app_progress(d) <= depth);
                }
            }
        }
    }
    eng.flow_end(&mut slot, &mut sink);
    assert!(slot.is_none());
    assert_eq!(eng.session_memory().0, 0);
    assert_eq!(eng.reassembly_memory().0, 0);
});
