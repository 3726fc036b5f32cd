//! Progress on a terminal: bytes read and packets per second, redrawn at most twice a
//! second, and only when stderr is a terminal (never in logs or pipes).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    enabled: bool,
    start: Instant,
    last: Instant,
    drawn: bool,
}

/// Files smaller than this finish too quickly to need a progress line.
const MIN_BYTES: u64 = 16 << 20;

impl Progress {
    pub fn new(total_bytes: u64) -> Self {
        let now = Instant::now();
        Progress {
            enabled: total_bytes >= MIN_BYTES && std::io::stderr().is_terminal(),
            start: now,
            last: now,
            drawn: false,
        }
    }

    /// Called every few thousand packets; cheap when disabled.
    pub fn update(&mut self, done_bytes: u64, total_bytes: u64, packets: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if now.duration_since(self.last) < Duration::from_millis(500) {
            return;
        }
        self.last = now;
        let secs = now.duration_since(self.start).as_secs_f64().max(1e-3);
        let pct = if total_bytes > 0 {
            done_bytes as f64 * 100.0 / total_bytes as f64
        } else {
            100.0
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{:.1} / {:.1} MB ({pct:.0}%), {packets} packets, {:.0} packets/s   ",
            done_bytes as f64 / 1e6,
            total_bytes as f64 / 1e6,
            packets as f64 / secs
        );
        let _ = err.flush();
        self.drawn = true;
    }

    pub fn finish(&mut self) {
        if self.drawn {
            let _ = writeln!(std::io::stderr());
            self.drawn = false;
        }
    }
}
