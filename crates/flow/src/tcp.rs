//! A small TCP session tracker standing in for the stream engine.
//!
//! It follows the packets' flags only (no sequence validation, no reassembly) to give
//! the flow the two things EVE needs from Suricata's `TcpSession`: the flags seen per
//! direction and a TCP state with Suricata's names, which also drives the flow state
//! (new / established / closed) and therefore the flow timeouts.
//!
//! Session creation follows Suricata 7's "state none" rules: only a SYN starts a
//! session, unless `stream.midstream` is enabled, in which case a SYN/ACK (with the
//! flow reversed) or a bare ACK also do. Flows without a session log `tcp_flags` "00"
//! and no `tcp.state`, as Suricata does.

use crate::Direction;

pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const RST: u8 = 0x04;
pub const PSH: u8 = 0x08;
pub const ACK: u8 = 0x10;
pub const URG: u8 = 0x20;
pub const ECE: u8 = 0x40;
pub const CWR: u8 = 0x80;

/// TCP session states, in Suricata's order (the order of the
/// `flow.end.tcp_state.*` counters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum TcpState {
    #[default]
    None,
    SynSent,
    SynRecv,
    Established,
    FinWait1,
    FinWait2,
    TimeWait,
    LastAck,
    CloseWait,
    Closing,
    Closed,
}

impl TcpState {
    /// All states, in counter order.
    pub const ALL: [TcpState; 11] = [
        TcpState::None,
        TcpState::SynSent,
        TcpState::SynRecv,
        TcpState::Established,
        TcpState::FinWait1,
        TcpState::FinWait2,
        TcpState::TimeWait,
        TcpState::LastAck,
        TcpState::CloseWait,
        TcpState::Closing,
        TcpState::Closed,
    ];

    /// Suricata's name, as printed in EVE `tcp.state` and the counters.
    pub fn name(self) -> &'static str {
        match self {
            TcpState::None => "none",
            TcpState::SynSent => "syn_sent",
            TcpState::SynRecv => "syn_recv",
            TcpState::Established => "established",
            TcpState::FinWait1 => "fin_wait1",
            TcpState::FinWait2 => "fin_wait2",
            TcpState::TimeWait => "time_wait",
            TcpState::LastAck => "last_ack",
            TcpState::CloseWait => "close_wait",
            TcpState::Closing => "closing",
            TcpState::Closed => "closed",
        }
    }

    /// The flow state this TCP state implies, if it implies one (Suricata updates the
    /// flow state when the session enters these states).
    pub(crate) fn flow_state(self) -> Option<crate::FlowState> {
        use crate::FlowState;
        match self {
            TcpState::Established
            | TcpState::FinWait1
            | TcpState::FinWait2
            | TcpState::Closing
            | TcpState::CloseWait => Some(FlowState::Established),
            TcpState::LastAck | TcpState::TimeWait | TcpState::Closed => Some(FlowState::Closed),
            _ => None,
        }
    }
}

/// Per-flow TCP session summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpSession {
    pub state: TcpState,
    /// Union of the flags of all packets seen since the session started.
    pub flags: u8,
    /// Flags seen to server (client side) and to client (server side).
    pub flags_ts: u8,
    pub flags_tc: u8,
    /// Initial sequence numbers (for the port-reuse check).
    pub client_isn: u32,
    pub server_isn: u32,
    /// Picked up mid-stream (`stream.midstream`).
    pub midstream: bool,
}

/// What trying to start a session on a packet produced.
pub(crate) enum Start {
    /// No session (Suricata's stream engine would not create one).
    None,
    /// A session was started.
    Session(TcpSession),
    /// A session was started from a SYN/ACK: the flow must be reversed.
    SessionReversed(TcpSession),
}

impl TcpSession {
    /// Suricata's "state none" handling for the first packet of a would-be session.
    pub(crate) fn start(flags: u8, seq: u32, midstream: bool) -> Start {
        if flags & RST != 0 || flags & FIN != 0 {
            return Start::None;
        }
        if flags & (SYN | ACK) == SYN | ACK {
            if !midstream {
                return Start::None;
            }
            // Seen from the server: after the reversal this packet goes to the client.
            let s = TcpSession {
                state: TcpState::SynRecv,
                flags,
                flags_ts: 0,
                flags_tc: flags,
                client_isn: 0,
                server_isn: seq,
                midstream: true,
            };
            return Start::SessionReversed(s);
        }
        if flags & SYN != 0 {
            return Start::Session(TcpSession {
                state: TcpState::SynSent,
                flags,
                flags_ts: flags,
                flags_tc: 0,
                client_isn: seq,
                server_isn: 0,
                midstream: false,
            });
        }
        if flags & ACK != 0 && midstream {
            return Start::Session(TcpSession {
                state: TcpState::Established,
                flags,
                flags_ts: flags,
                flags_tc: 0,
                client_isn: 0,
                server_isn: 0,
                midstream: true,
            });
        }
        Start::None
    }

    /// Updates the session with a packet of an existing session.
    pub(crate) fn update(&mut self, dir: Direction, flags: u8, seq: u32) {
        self.flags |= flags;
        match dir {
            Direction::ToServer => self.flags_ts |= flags,
            Direction::ToClient => self.flags_tc |= flags,
        }
        let ts = dir == Direction::ToServer;
        if flags & RST != 0 {
            if self.state != TcpState::None {
                self.state = TcpState::Closed;
            }
            return;
        }
        let fin = flags & FIN != 0;
        let ack = flags & ACK != 0;
        let syn = flags & SYN != 0;
        self.state = match self.state {
            TcpState::SynSent => {
                if !ts && syn && ack {
                    self.server_isn = seq;
                    TcpState::SynRecv
                } else {
                    TcpState::SynSent
                }
            }
            TcpState::SynRecv => {
                if ts && ack && !syn {
                    if fin {
                        TcpState::CloseWait
                    } else {
                        TcpState::Established
                    }
                } else {
                    TcpState::SynRecv
                }
            }
            TcpState::Established if fin => {
                if ts {
                    TcpState::CloseWait
                } else {
                    TcpState::FinWait1
                }
            }
            // Server closed first.
            TcpState::FinWait1 if ts && fin && ack => TcpState::TimeWait,
            TcpState::FinWait1 if ts && fin => TcpState::Closing,
            TcpState::FinWait1 if ts && ack => TcpState::FinWait2,
            TcpState::FinWait2 if ts && fin => TcpState::TimeWait,
            TcpState::Closing if ack => TcpState::TimeWait,
            TcpState::TimeWait if !ts && ack => TcpState::Closed,
            // Client closed first.
            TcpState::CloseWait if !ts && fin => TcpState::LastAck,
            TcpState::LastAck if ts && ack => TcpState::Closed,
            s => s,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{ToClient as TC, ToServer as TS};

    fn run(steps: &[(Direction, u8)]) -> TcpSession {
        let Start::Session(mut s) = TcpSession::start(SYN, 100, false) else {
            panic!("SYN must start a session");
        };
        for &(d, f) in steps {
            s.update(d, f, 1);
        }
        s
    }

    #[test]
    fn handshake_and_closes() {
        let table: &[(&[(Direction, u8)], TcpState)] = &[
            (&[], TcpState::SynSent),
            (&[(TC, SYN | ACK)], TcpState::SynRecv),
            (&[(TC, SYN | ACK), (TS, ACK)], TcpState::Established),
            // client closes first
            (
                &[(TC, SYN | ACK), (TS, ACK), (TS, FIN | ACK)],
                TcpState::CloseWait,
            ),
            (
                &[(TC, SYN | ACK), (TS, ACK), (TS, FIN | ACK), (TC, FIN | ACK)],
                TcpState::LastAck,
            ),
            (
                &[
                    (TC, SYN | ACK),
                    (TS, ACK),
                    (TS, FIN | ACK),
                    (TC, FIN | ACK),
                    (TS, ACK),
                ],
                TcpState::Closed,
            ),
            // server closes first
            (
                &[(TC, SYN | ACK), (TS, ACK), (TC, FIN | ACK)],
                TcpState::FinWait1,
            ),
            (
                &[(TC, SYN | ACK), (TS, ACK), (TC, FIN | ACK), (TS, ACK)],
                TcpState::FinWait2,
            ),
            (
                &[
                    (TC, SYN | ACK),
                    (TS, ACK),
                    (TC, FIN | ACK),
                    (TS, ACK),
                    (TS, FIN | ACK),
                ],
                TcpState::TimeWait,
            ),
            (
                &[
                    (TC, SYN | ACK),
                    (TS, ACK),
                    (TC, FIN | ACK),
                    (TS, FIN | ACK),
                    (TC, ACK),
                ],
                TcpState::Closed,
            ),
            // reset
            (&[(TC, RST | ACK)], TcpState::Closed),
            (&[(TC, SYN | ACK), (TS, ACK), (TS, RST)], TcpState::Closed),
        ];
        for (steps, want) in table {
            assert_eq!(run(steps).state, *want, "steps {steps:?}");
        }
    }

    #[test]
    fn flags_per_direction() {
        let s = run(&[(TC, SYN | ACK), (TS, ACK | PSH), (TC, ACK | ECE)]);
        assert_eq!(s.flags, SYN | ACK | PSH | ECE);
        assert_eq!(s.flags_ts, SYN | ACK | PSH);
        assert_eq!(s.flags_tc, SYN | ACK | ECE);
    }

    #[test]
    fn session_start_rules() {
        assert!(matches!(TcpSession::start(ACK, 1, false), Start::None));
        assert!(matches!(
            TcpSession::start(SYN | ACK, 1, false),
            Start::None
        ));
        assert!(matches!(TcpSession::start(RST, 1, true), Start::None));
        assert!(matches!(TcpSession::start(SYN | FIN, 1, true), Start::None));
        assert!(matches!(TcpSession::start(ACK, 1, true), Start::Session(_)));
        assert!(matches!(
            TcpSession::start(SYN | ACK, 1, true),
            Start::SessionReversed(_)
        ));
    }
}
