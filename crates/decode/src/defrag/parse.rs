//! Reading what defrag needs out of a fragment's bytes. The decoder has already checked
//! the packet; we read the few fields again from the bytes so that reassembly never
//! depends on another component's view of lengths (every read is checked).

use std::net::IpAddr;

use crate::wire::{get_be16 as be16, get_be32 as be32};

/// One fragment, as located in its packet's bytes. Offsets are from the start of the
/// packet's data (so the link-layer prefix before the IP header is kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FragView {
    pub v6: bool,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// IPv4 protocol (IPv6: the fragment header's next header, not used in the key).
    pub proto: u8,
    pub id: u32,
    /// Fragment offset in bytes.
    pub offset: u32,
    pub more: bool,
    /// Start of the IP header.
    pub ip_off: usize,
    /// IPv4 header length; 0 for IPv6.
    pub hlen: usize,
    /// IPv6: start of the fragment header; 0 for IPv4.
    pub fh_off: usize,
    /// IPv6: position of the next-header byte of the extension header just before the
    /// fragment header, when there is one.
    pub prev_nh_off: Option<usize>,
    /// IPv6: next header carried in the fragment header.
    pub fh_next: u8,
    /// Start and length of the fragment's data (the fragmentable part it carries).
    pub data_off: usize,
    pub data_len: usize,
}

const IPPROTO_HOPOPTS: u8 = 0;
const IPPROTO_ROUTING: u8 = 43;
const IPPROTO_FRAGMENT: u8 = 44;
const IPPROTO_AH: u8 = 51;
const IPPROTO_DSTOPTS: u8 = 60;
const IPPROTO_MH: u8 = 135;
const IPPROTO_HIP: u8 = 139;
const IPPROTO_SHIM6: u8 = 140;

/// Reads the fragment at `ip_off` in `data`. `None` when the bytes do not hold a valid
/// IPv4/IPv6 fragment (including a complete datagram: offset 0 without more-fragments).
pub(crate) fn parse(data: &[u8], ip_off: usize) -> Option<FragView> {
    let ip = data.get(ip_off..)?;
    match ip.first()? >> 4 {
        4 => parse_v4(ip, ip_off),
        6 => parse_v6(ip, ip_off),
        _ => None,
    }
}

fn parse_v4(ip: &[u8], ip_off: usize) -> Option<FragView> {
    if ip.len() < 20 {
        return None;
    }
    let hlen = usize::from(ip[0] & 0x0f) * 4;
    let total = usize::from(be16(ip, 2)?);
    if hlen < 20 || total < hlen || total > ip.len() {
        return None;
    }
    let id = u32::from(be16(ip, 4)?);
    let off_field = be16(ip, 6)?;
    let more = off_field & 0x2000 != 0;
    let offset = u32::from(off_field & 0x1fff) * 8;
    if offset == 0 && !more {
        return None;
    }
    let src = IpAddr::from([ip[12], ip[13], ip[14], ip[15]]);
    let dst = IpAddr::from([ip[16], ip[17], ip[18], ip[19]]);
    Some(FragView {
        v6: false,
        src,
        dst,
        proto: ip[9],
        id,
        offset,
        more,
        ip_off,
        hlen,
        fh_off: 0,
        prev_nh_off: None,
        fh_next: 0,
        data_off: ip_off + hlen,
        data_len: total - hlen,
    })
}

fn parse_v6(ip: &[u8], ip_off: usize) -> Option<FragView> {
    if ip.len() < 40 {
        return None;
    }
    let plen = usize::from(be16(ip, 4)?);
    let end = 40 + plen;
    if end > ip.len() {
        return None;
    }
    let mut src = [0u8; 16];
    let mut dst = [0u8; 16];
    src.copy_from_slice(&ip[8..24]);
    dst.copy_from_slice(&ip[24..40]);
    // Walk the extension headers up to the first fragment header. Every step advances by
    // at least 8 bytes within `end`, so the loop is bounded by the payload length.
    let mut nh = ip[6];
    let mut pos = 40usize;
    let mut prev_nh: Option<usize> = None;
    loop {
        let hdr_len = match nh {
            IPPROTO_FRAGMENT => break,
            IPPROTO_HOPOPTS | IPPROTO_DSTOPTS => (usize::from(*ip.get(pos + 1)?) + 1) * 8,
            IPPROTO_ROUTING | IPPROTO_MH | IPPROTO_HIP | IPPROTO_SHIM6 => {
                8 + usize::from(*ip.get(pos + 1)?) * 8
            }
            IPPROTO_AH => {
                let l = usize::from(*ip.get(pos + 1)?);
                12 + l.saturating_sub(1) * 4
            }
            _ => return None,
        };
        if pos + hdr_len > end {
            return None;
        }
        prev_nh = Some(pos);
        nh = ip[pos];
        pos += hdr_len;
    }
    if pos + 8 > end {
        return None;
    }
    let fh_next = ip[pos];
    let off_field = be16(ip, pos + 2)?;
    let offset = u32::from(off_field & 0xfff8);
    let more = off_field & 0x0001 != 0;
    if offset == 0 && !more {
        return None;
    }
    let id = be32(ip, pos + 4)?;
    Some(FragView {
        v6: true,
        src: IpAddr::from(src),
        dst: IpAddr::from(dst),
        proto: fh_next,
        id,
        offset,
        more,
        ip_off,
        hlen: 0,
        fh_off: ip_off + pos,
        prev_nh_off: prev_nh.map(|p| ip_off + p),
        fh_next,
        data_off: ip_off + pos + 8,
        data_len: end - (pos + 8),
    })
}
