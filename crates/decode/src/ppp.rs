//! PPP protocol numbers.

pub const HEADER_LEN: usize = 4;

pub const PPP_IP: u16 = 0x0021;
pub const PPP_IPV6: u16 = 0x0057;
pub const PPP_VJ_UCOMP: u16 = 0x002f;

/// Valid PPP protocols that the decoder does not follow (network control protocols,
/// link control, authentication, other network layers).
pub fn is_unsupported(proto: u16) -> bool {
    matches!(
        proto,
        0x002d // VJ compressed TCP
            | 0x002b // IPX
            | 0x0023 // OSI
            | 0x0027 // DECnet NS
            | 0x0025 // DECnet
            | 0x0029 // AppleTalk
            | 0x0031 // bridging PDU
            | 0x0033 // Stream protocol ST-II
            | 0x0035 // Banyan Vines
            | 0x0201 // 802.1d hello
            | 0x0231 // Luxcom
            | 0x0233 // Sigma Network Systems
            | 0x0281 // MPLS unicast
            | 0x0283 // MPLS multicast
            | 0x8021 // IPCP
            | 0x8023 // OSI NLCP
            | 0x8025 // DECnet CP
            | 0x8027 // NS CP
            | 0x8029 // AppleTalk CP
            | 0x802b // IPX CP
            | 0x8033 // ST-II CP
            | 0x8035 // Vines CP
            | 0x8057 // IPv6CP
            | 0x8281 // MPLS CP
            | 0xc021 // LCP
            | 0xc023 // PAP
            | 0xc025 // LQR
            | 0xc223 // CHAP
            | 0xc029 // CBCP
            | 0x80fd // CCP
            | 0x00fd // compressed datagram
    )
}
