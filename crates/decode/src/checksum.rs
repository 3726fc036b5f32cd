//! Internet checksums (RFC 1071) for IPv4, TCP, UDP, ICMPv4 and ICMPv6.

use std::net::IpAddr;

/// One's-complement sum of `data` added to `acc` (not folded).
pub fn sum(mut acc: u32, data: &[u8]) -> u32 {
    let mut chunks = data.chunks_exact(2);
    for c in &mut chunks {
        acc = acc.wrapping_add(u32::from(u16::from_be_bytes([c[0], c[1]])));
    }
    if let [last] = chunks.remainder() {
        acc = acc.wrapping_add(u32::from(*last) << 8);
    }
    acc
}

/// Folds a sum to 16 bits and complements it.
pub fn finish(mut acc: u32) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// True when `data` (a header or message including its checksum field) sums to zero.
pub fn verify(data: &[u8]) -> bool {
    finish(sum(0, data)) == 0
}

/// Pseudo-header sum for TCP/UDP/ICMPv6 over IPv4 or IPv6.
pub fn pseudo(src: IpAddr, dst: IpAddr, proto: u8, len: u32) -> u32 {
    let mut acc = 0u32;
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            acc = sum(acc, &s.octets());
            acc = sum(acc, &d.octets());
            acc = acc.wrapping_add(u32::from(proto));
            acc = acc.wrapping_add(len & 0xffff);
        }
        _ => {
            let s = match src {
                IpAddr::V6(a) => a.octets(),
                IpAddr::V4(a) => a.to_ipv6_mapped().octets(),
            };
            let d = match dst {
                IpAddr::V6(a) => a.octets(),
                IpAddr::V4(a) => a.to_ipv6_mapped().octets(),
            };
            acc = sum(acc, &s);
            acc = sum(acc, &d);
            acc = acc.wrapping_add(len >> 16).wrapping_add(len & 0xffff);
            acc = acc.wrapping_add(u32::from(proto));
        }
    }
    acc
}

/// True when a transport segment (header + payload, checksum included) is correct.
pub fn verify_l4(src: IpAddr, dst: IpAddr, proto: u8, segment: &[u8]) -> bool {
    finish(sum(pseudo(src, dst, proto, segment.len() as u32), segment)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1071_example() {
        // IPv4 header from RFC 1071-style worked examples: checksum 0xb861
        let hdr = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
            0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
        ];
        assert!(verify(&hdr));
        let mut bad = hdr;
        bad[11] ^= 1;
        assert!(!verify(&bad));
    }
}
