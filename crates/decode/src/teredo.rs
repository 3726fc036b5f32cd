//! Teredo (RFC 4380): IPv6 in UDP, found by heuristics since nothing marks it.

use crate::ipv6;

/// Origin indication header length.
pub const ORIGIN_INDICATION_LEN: usize = 8;

/// Looks for an IPv6 packet in a UDP payload the way Suricata does: an optional origin
/// indication (0x0000) is skipped, authentication headers (0x0001) and other 0x00xx
/// starts are refused; then the payload must be IPv6 with a non-zero hop limit, not a
/// hop-by-hop header with less than 8 bytes after it, and the IPv6 length must match
/// exactly what remains. Returns the offset of the IPv6 header in `payload`.
pub fn find_ipv6(payload: &[u8]) -> Option<usize> {
    if payload.len() < ipv6::HEADER_LEN {
        return None;
    }
    let mut start = 0usize;
    if payload[0] == 0 {
        if payload[1] == 0 && payload.len() >= ORIGIN_INDICATION_LEN + ipv6::HEADER_LEN {
            start = ORIGIN_INDICATION_LEN;
        } else {
            return None;
        }
    }
    let ip = ipv6::Ipv6Packet::new_checked(&payload[start..]).ok()?;
    if ip.version() != 6 || ip.hop_limit() == 0 {
        return None;
    }
    if ip.next_header() == ipv6::NH_HOPOPTS && ip.payload_len() < 8 {
        return None;
    }
    if payload.len() == start + ipv6::HEADER_LEN + ip.payload_len() {
        Some(start)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6(plen: u16, nh: u8, hlim: u8) -> Vec<u8> {
        let mut h = vec![0u8; 40 + plen as usize];
        h[0] = 0x60;
        h[4..6].copy_from_slice(&plen.to_be_bytes());
        h[6] = nh;
        h[7] = hlim;
        h
    }

    #[test]
    fn heuristics() {
        assert_eq!(find_ipv6(&v6(8, 17, 64)), Some(0));
        // length mismatch
        let mut p = v6(8, 17, 64);
        p.push(0);
        assert_eq!(find_ipv6(&p), None);
        // hop limit 0
        assert_eq!(find_ipv6(&v6(8, 17, 0)), None);
        // hop-by-hop with too little data
        assert_eq!(find_ipv6(&v6(4, 0, 64)), None);
        // origin indication
        let mut o = vec![0, 0, 0x12, 0x34, 1, 2, 3, 4];
        o.extend(v6(0, 59, 1));
        assert_eq!(find_ipv6(&o), Some(8));
        // authentication header
        let mut a = vec![0, 1, 0, 0, 0, 0, 0, 0];
        a.extend(v6(0, 59, 1));
        assert_eq!(find_ipv6(&a), None);
        // not IPv6
        let mut n = v6(8, 17, 64);
        n[0] = 0x45;
        assert_eq!(find_ipv6(&n), None);
    }
}
