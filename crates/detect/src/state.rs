//! Detection state: per flow (flowbits, flowints, ip-only progress, flow actions,
//! `by_flow` thresholds), per host / host pair (xbits, hostbits) and thresholds.

use std::collections::HashMap;
use std::net::IpAddr;

use palisade_decode::Timestamp;

use crate::compile::{ThresholdKind, ThresholdSpec};

/// What detection keeps for one flow. The flow table owns one per flow and passes it to
/// [`crate::Detector::inspect_packet`]; it grows only when a rule sets state.
#[derive(Clone, Debug, Default)]
pub struct FlowDetectState {
    bits: Vec<u64>,
    ints: Vec<(u32, u32)>,
    /// Ip-only rules were matched for this direction (0 to server, 1 to client).
    pub(crate) iponly_done: [bool; 2],
    /// A `pass` rule applied to the flow: no more detection on it.
    pub(crate) pass: bool,
    /// A `drop` rule applied to the flow.
    pub(crate) drop: bool,
    pub(crate) thresholds: Vec<(u32, ThresholdEntry)>,
}

impl FlowDetectState {
    pub fn new() -> FlowDetectState {
        FlowDetectState::default()
    }

    /// A pass rule matched the flow (Suricata's flow pass: no further inspection).
    pub fn is_passed(&self) -> bool {
        self.pass
    }

    /// A drop rule applied to the whole flow.
    pub fn is_dropped(&self) -> bool {
        self.drop
    }

    pub(crate) fn bit(&self, id: u32) -> bool {
        let i = id as usize;
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub(crate) fn set_bit(&mut self, id: u32, on: bool) {
        let i = id as usize;
        if self.bits.len() <= i / 64 {
            if !on {
                return;
            }
            self.bits.resize(i / 64 + 1, 0);
        }
        if on {
            self.bits[i / 64] |= 1 << (i % 64);
        } else {
            self.bits[i / 64] &= !(1 << (i % 64));
        }
    }

    pub(crate) fn int(&self, id: u32) -> Option<u32> {
        self.ints.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
    }

    pub(crate) fn set_int(&mut self, id: u32, v: u32) {
        match self.ints.iter_mut().find(|(k, _)| *k == id) {
            Some(e) => e.1 = v,
            None => self.ints.push((id, v)),
        }
    }
}

/// Seconds (with fraction) of a timestamp.
pub(crate) fn secs(ts: Timestamp) -> f64 {
    ts.secs as f64 + f64::from(ts.nanos) / 1e9
}

/// One threshold counter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ThresholdEntry {
    first: f64,
    count: u32,
}

/// Applies a threshold to one more match at `now`; returns whether it alerts.
pub(crate) fn threshold_step(
    spec: &ThresholdSpec,
    entry: &mut Option<ThresholdEntry>,
    now: f64,
) -> bool {
    let within = entry.is_some_and(|e| now - e.first < f64::from(spec.seconds));
    match entry {
        Some(e) if within => {
            e.count = e.count.saturating_add(1);
            match spec.kind {
                ThresholdKind::Limit | ThresholdKind::Backoff => e.count <= spec.count,
                ThresholdKind::Threshold => {
                    if e.count >= spec.count {
                        e.count = 0;
                        true
                    } else {
                        false
                    }
                }
                ThresholdKind::Both => e.count == spec.count,
                ThresholdKind::DetectionFilter => e.count > spec.count,
            }
        }
        _ => {
            let mut e = ThresholdEntry {
                first: now,
                count: 1,
            };
            let alert = match spec.kind {
                ThresholdKind::Limit | ThresholdKind::Backoff => spec.count >= 1,
                ThresholdKind::Threshold => {
                    if spec.count <= 1 {
                        e.count = 0;
                        true
                    } else {
                        false
                    }
                }
                ThresholdKind::Both => spec.count <= 1,
                ThresholdKind::DetectionFilter => spec.count == 0,
            };
            *entry = Some(e);
            alert
        }
    }
}

/// Key of a host-tracked value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum HostKey {
    None,
    Host(IpAddr),
    Pair(IpAddr, IpAddr),
}

impl HostKey {
    /// A pair key independent of direction.
    pub(crate) fn pair(a: IpAddr, b: IpAddr) -> HostKey {
        if a <= b {
            HostKey::Pair(a, b)
        } else {
            HostKey::Pair(b, a)
        }
    }
}

/// Thresholds tracked by host, host pair or rule, bounded by `max_entries`.
#[derive(Debug, Default)]
pub(crate) struct ThresholdTable {
    pub(crate) map: HashMap<(u32, HostKey), ThresholdEntry>,
    pub max_entries: usize,
}

impl ThresholdTable {
    pub(crate) fn step(&mut self, rule: u32, key: HostKey, spec: &ThresholdSpec, now: f64) -> bool {
        let k = (rule, key);
        if !self.map.contains_key(&k) && self.map.len() >= self.max_entries {
            let max_age = 3600.0;
            self.map.retain(|_, e| now - e.first < max_age);
            if self.map.len() >= self.max_entries {
                // Full: the match is handled as the first of its window, not stored.
                let mut e = None;
                return threshold_step(spec, &mut e, now);
            }
        }
        let mut e = self.map.get(&k).copied();
        let alert = threshold_step(spec, &mut e, now);
        if let Some(e) = e {
            self.map.insert(k, e);
        }
        alert
    }
}

/// xbits / hostbits by host or host pair, with expiry, bounded by `max_entries` keys.
#[derive(Debug, Default)]
pub(crate) struct HostBits {
    pub(crate) map: HashMap<HostKey, Vec<(u32, f64)>>,
    pub max_entries: usize,
}

impl HostBits {
    pub(crate) fn isset(&self, key: HostKey, id: u32, now: f64) -> bool {
        self.map
            .get(&key)
            .is_some_and(|v| v.iter().any(|(i, exp)| *i == id && *exp > now))
    }

    pub(crate) fn set(&mut self, key: HostKey, id: u32, on: bool, expire: u32, now: f64) {
        if !self.map.contains_key(&key) {
            if !on {
                return;
            }
            if self.map.len() >= self.max_entries {
                self.map.retain(|_, v| v.iter().any(|(_, exp)| *exp > now));
                if self.map.len() >= self.max_entries {
                    return;
                }
            }
        }
        let v = self.map.entry(key).or_default();
        v.retain(|(i, exp)| *i != id && *exp > now);
        if on {
            v.push((id, now + f64::from(expire)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::TrackBy;

    fn run(kind: ThresholdKind, count: u32, times: &[f64]) -> Vec<bool> {
        let spec = ThresholdSpec {
            kind,
            track: TrackBy::Src,
            count,
            seconds: 60,
        };
        let mut e = None;
        times
            .iter()
            .map(|t| threshold_step(&spec, &mut e, *t))
            .collect()
    }

    #[test]
    fn threshold_kinds() {
        let t = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(
            run(ThresholdKind::Limit, 2, &t),
            [true, true, false, false, false, false]
        );
        assert_eq!(
            run(ThresholdKind::Threshold, 3, &t),
            [false, false, true, false, false, true]
        );
        assert_eq!(
            run(ThresholdKind::Both, 3, &t),
            [false, false, true, false, false, false]
        );
        assert_eq!(
            run(ThresholdKind::DetectionFilter, 3, &t),
            [false, false, false, true, true, true]
        );
        // A new window after `seconds`.
        assert_eq!(
            run(ThresholdKind::Limit, 1, &[0.0, 10.0, 61.0]),
            [true, false, true]
        );
    }

    #[test]
    fn flow_bits() {
        let mut f = FlowDetectState::new();
        assert!(!f.bit(70));
        f.set_bit(70, true);
        assert!(f.bit(70) && !f.bit(6));
        f.set_bit(70, false);
        assert!(!f.bit(70));
    }
}
