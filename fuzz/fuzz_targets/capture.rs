//! Feeds arbitrary bytes to the capture reader and drains it, checking its invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_capture::{CaptureReader, ReaderLimits};

fn drain(data: &[u8], limits: ReaderLimits) {
    let Ok(mut reader) = CaptureReader::with_limits(data, limits) else {
        return;
    };
    let range = data.as_ptr_range();
    let mut last_pos = reader.bytes_read();
    let mut n = 0u64;
    while let Some(pkt) = reader.next_packet() {
        n += 1;
        // up to 2^20 - 1 microseconds, as Suricata keeps bad pcap fractions
        assert!(pkt.ts.nanos < 1_048_576_000);
        assert!(pkt.data.len() <= limits.max_caplen as usize);
        // zero-copy: the packet lies inside the input
        if !pkt.data.is_empty() {
            let p = pkt.data.as_ptr_range();
            assert!(range.start <= p.start && p.end <= range.end);
        }
        // progress: every packet consumes input
        assert!(reader.bytes_read() > last_pos);
        last_pos = reader.bytes_read();
        let _ = pkt.ts.as_micros();
    }
    assert!(reader.bytes_read() <= reader.total_len());
    assert_eq!(reader.packets_read(), n);
    assert!(reader.next_packet().is_none());
    if let Some(why) = reader.stop_reason() {
        let _ = why.to_string();
    }
}

fuzz_target!(|data: &[u8]| {
    drain(data, ReaderLimits::default());
    drain(
        data,
        ReaderLimits {
            max_caplen: 16,
            max_interfaces: 2,
        },
    );
});
