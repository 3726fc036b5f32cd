//! ICMPv6 messages (RFC 4443 and the neighbour discovery / MLD family).

use crate::wire::{be16, need, Error};

pub const HEADER_LEN: usize = 8;

pub const DST_UNREACH: u8 = 1;
pub const PACKET_TOO_BIG: u8 = 2;
pub const TIME_EXCEEDED: u8 = 3;
pub const PARAM_PROB: u8 = 4;
pub const ECHO_REQUEST: u8 = 128;
pub const ECHO_REPLY: u8 = 129;
pub const MLD_LISTENER_QUERY: u8 = 130;
pub const MLD_LISTENER_REPORT: u8 = 131;
pub const MLD_LISTENER_REDUCTION: u8 = 132;
pub const ND_ROUTER_SOLICIT: u8 = 133;
pub const ND_ROUTER_ADVERT: u8 = 134;
pub const ND_NEIGHBOR_SOLICIT: u8 = 135;
pub const ND_NEIGHBOR_ADVERT: u8 = 136;
pub const ND_REDIRECT: u8 = 137;
pub const RR: u8 = 138;
pub const NI_QUERY: u8 = 139;
pub const NI_REPLY: u8 = 140;
pub const ND_INVERSE_SOLICIT: u8 = 141;
pub const ND_INVERSE_ADVERT: u8 = 142;
pub const MLD_V2_LIST_REPORT: u8 = 143;
pub const HOME_AGENT_AD_REQUEST: u8 = 144;
pub const HOME_AGENT_AD_REPLY: u8 = 145;
pub const MOBILE_PREFIX_SOLICIT: u8 = 146;
pub const MOBILE_PREFIX_ADVERT: u8 = 147;
pub const CERT_PATH_SOLICIT: u8 = 148;
pub const CERT_PATH_ADVERT: u8 = 149;
pub const MOBILE_EXPERIMENTAL: u8 = 150;
pub const MC_ROUTER_ADVERT: u8 = 151;
pub const MC_ROUTER_SOLICIT: u8 = 152;
pub const MC_ROUTER_TERMINATE: u8 = 153;
pub const FMIPV6_MSG: u8 = 154;
pub const RPL_CONTROL_MSG: u8 = 155;
pub const LOCATOR_UPDATE_MSG: u8 = 156;
pub const DUPL_ADDR_REQUEST: u8 = 157;
pub const DUPL_ADDR_CONFIRM: u8 = 158;
pub const MPL_CONTROL_MSG: u8 = 159;

/// A checked view of an ICMPv6 message header.
#[derive(Clone, Copy, Debug)]
pub struct Icmpv6Packet<'a> {
    buf: &'a [u8],
}

impl<'a> Icmpv6Packet<'a> {
    pub fn new_checked(buf: &'a [u8]) -> Result<Self, Error> {
        need(buf, HEADER_LEN)?;
        Ok(Icmpv6Packet { buf })
    }
    pub fn msg_type(&self) -> u8 {
        self.buf[0]
    }
    pub fn code(&self) -> u8 {
        self.buf[1]
    }
    pub fn checksum(&self) -> u16 {
        be16(self.buf, 2)
    }
    pub fn ident(&self) -> u16 {
        be16(self.buf, 4)
    }
    pub fn seq(&self) -> u16 {
        be16(self.buf, 6)
    }
    pub fn body(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }
}

/// The message type answering (or answered by) `t`.
pub fn counterpart(t: u8) -> Option<u8> {
    Some(match t {
        ECHO_REQUEST => ECHO_REPLY,
        ECHO_REPLY => ECHO_REQUEST,
        MLD_LISTENER_QUERY => MLD_LISTENER_REPORT,
        MLD_LISTENER_REPORT => MLD_LISTENER_QUERY,
        ND_ROUTER_SOLICIT => ND_ROUTER_ADVERT,
        ND_ROUTER_ADVERT => ND_ROUTER_SOLICIT,
        ND_NEIGHBOR_SOLICIT => ND_NEIGHBOR_ADVERT,
        ND_NEIGHBOR_ADVERT => ND_NEIGHBOR_SOLICIT,
        NI_QUERY => NI_REPLY,
        NI_REPLY => NI_QUERY,
        HOME_AGENT_AD_REQUEST => HOME_AGENT_AD_REPLY,
        HOME_AGENT_AD_REPLY => HOME_AGENT_AD_REQUEST,
        MOBILE_PREFIX_SOLICIT => MOBILE_PREFIX_ADVERT,
        MOBILE_PREFIX_ADVERT => MOBILE_PREFIX_SOLICIT,
        CERT_PATH_SOLICIT => CERT_PATH_ADVERT,
        CERT_PATH_ADVERT => CERT_PATH_SOLICIT,
        MC_ROUTER_ADVERT => MC_ROUTER_SOLICIT,
        MC_ROUTER_SOLICIT => MC_ROUTER_ADVERT,
        _ => return None,
    })
}

/// How a message type/code pair fares against the IANA registry, as Suricata checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeCheck {
    Ok,
    UnknownCode,
    UnassignedType,
    ExperimentationType,
    UnknownType,
}

/// Checks a type/code pair (the MLD hop-limit rule is the decoder's business).
pub fn check_type_code(t: u8, code: u8) -> TypeCheck {
    let bad = |cond: bool| {
        if cond {
            TypeCheck::UnknownCode
        } else {
            TypeCheck::Ok
        }
    };
    match t {
        DST_UNREACH => bad(code > 6),
        PACKET_TOO_BIG => bad(code != 0),
        TIME_EXCEEDED => bad(code > 1),
        PARAM_PROB => bad(code > 2),
        ECHO_REQUEST | ECHO_REPLY => bad(code != 0),
        ND_ROUTER_SOLICIT | ND_ROUTER_ADVERT | ND_NEIGHBOR_SOLICIT | ND_NEIGHBOR_ADVERT
        | ND_REDIRECT => bad(code != 0),
        MLD_LISTENER_QUERY | MLD_LISTENER_REPORT | MLD_LISTENER_REDUCTION => bad(code != 0),
        RR => bad(code > 2 && code != 255),
        NI_QUERY | NI_REPLY => bad(code > 2),
        ND_INVERSE_SOLICIT | ND_INVERSE_ADVERT | MLD_V2_LIST_REPORT => bad(code != 0),
        HOME_AGENT_AD_REQUEST
        | HOME_AGENT_AD_REPLY
        | MOBILE_PREFIX_SOLICIT
        | MOBILE_PREFIX_ADVERT
        | CERT_PATH_SOLICIT
        | CERT_PATH_ADVERT => bad(code != 0),
        MOBILE_EXPERIMENTAL | FMIPV6_MSG => TypeCheck::Ok,
        MC_ROUTER_ADVERT | MC_ROUTER_SOLICIT | MC_ROUTER_TERMINATE => bad(code != 0),
        RPL_CONTROL_MSG => bad((code > 3 && code < 128) || code > 0x8a),
        LOCATOR_UPDATE_MSG => bad(code > 1),
        DUPL_ADDR_REQUEST | DUPL_ADDR_CONFIRM | MPL_CONTROL_MSG => bad(code != 0),
        5..=99 | 102..=126 | 160..=199 | 202..=254 => TypeCheck::UnassignedType,
        100 | 101 | 200 | 201 => TypeCheck::ExperimentationType,
        _ => TypeCheck::UnknownType,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_checks() {
        assert_eq!(check_type_code(ECHO_REQUEST, 0), TypeCheck::Ok);
        assert_eq!(check_type_code(ECHO_REQUEST, 1), TypeCheck::UnknownCode);
        assert_eq!(check_type_code(DST_UNREACH, 7), TypeCheck::UnknownCode);
        assert_eq!(check_type_code(50, 0), TypeCheck::UnassignedType);
        assert_eq!(check_type_code(200, 0), TypeCheck::ExperimentationType);
        assert_eq!(check_type_code(0, 0), TypeCheck::UnknownType);
        assert_eq!(check_type_code(255, 0), TypeCheck::UnknownType);
        assert_eq!(counterpart(ND_NEIGHBOR_SOLICIT), Some(ND_NEIGHBOR_ADVERT));
        assert_eq!(counterpart(DST_UNREACH), None);
    }
}
