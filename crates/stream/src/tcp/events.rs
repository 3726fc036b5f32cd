//! Stream events, named as Suricata 7.0.10 names them (`stream-event:` in rules, the
//! `stream.*` names of EVE `anomaly` records).
//!
//! The list and its order follow Suricata's stream event table (the part of its decoder
//! event table after the decoder events). [`StreamEvent::index`] is the position in that
//! list; a packet's events are kept in a [`StreamEvents`] bit set.

macro_rules! stream_events {
    ($($variant:ident => $name:literal,)*) => {
        /// A stream anomaly. `name()` is Suricata's name without the `stream.` prefix, as
        /// `stream-event:` takes it (`3whs_synack_with_wrong_ack`); `full_name()` has the
        /// prefix, as EVE prints it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum StreamEvent {
            $($variant,)*
        }

        impl StreamEvent {
            /// Every stream event, in Suricata's table order.
            pub const ALL: &'static [StreamEvent] = &[$(StreamEvent::$variant,)*];

            /// Suricata's name without the `stream.` prefix.
            pub const fn name(self) -> &'static str {
                match self {
                    $(StreamEvent::$variant => $name,)*
                }
            }

            /// The name with its `stream.` prefix.
            pub const fn full_name(self) -> &'static str {
                match self {
                    $(StreamEvent::$variant => concat!("stream.", $name),)*
                }
            }
        }
    };
}

stream_events! {
    ThreeWhsAckInWrongDir => "3whs_ack_in_wrong_dir",
    ThreeWhsAsyncWrongSeq => "3whs_async_wrong_seq",
    ThreeWhsRightSeqWrongAckEvasion => "3whs_right_seq_wrong_ack_evasion",
    ThreeWhsSynackInWrongDirection => "3whs_synack_in_wrong_direction",
    ThreeWhsSynackResendWithDiffAck => "3whs_synack_resend_with_diff_ack",
    ThreeWhsSynackResendWithDiffSeq => "3whs_synack_resend_with_diff_seq",
    ThreeWhsSynackToserverOnSynRecv => "3whs_synack_toserver_on_syn_recv",
    ThreeWhsSynackWithWrongAck => "3whs_synack_with_wrong_ack",
    ThreeWhsSynackFlood => "3whs_synack_flood",
    ThreeWhsSynackTfoDataIgnored => "3whs_synack_tfo_data_ignored",
    ThreeWhsSynFlood => "3whs_syn_flood",
    ThreeWhsSynResendDiffSeqOnSynRecv => "3whs_syn_resend_diff_seq_on_syn_recv",
    ThreeWhsSynToclientOnSynRecv => "3whs_syn_toclient_on_syn_recv",
    ThreeWhsWrongSeqWrongAck => "3whs_wrong_seq_wrong_ack",
    ThreeWhsAckDataInject => "3whs_ack_data_inject",
    FourWhsSynackWithWrongAck => "4whs_synack_with_wrong_ack",
    FourWhsSynackWithWrongSyn => "4whs_synack_with_wrong_syn",
    FourWhsWrongSeq => "4whs_wrong_seq",
    FourWhsInvalidAck => "4whs_invalid_ack",
    ClosewaitAckOutOfWindow => "closewait_ack_out_of_window",
    ClosewaitFinOutOfWindow => "closewait_fin_out_of_window",
    ClosewaitPktBeforeLastAck => "closewait_pkt_before_last_ack",
    ClosewaitInvalidAck => "closewait_invalid_ack",
    ClosingAckWrongSeq => "closing_ack_wrong_seq",
    ClosingInvalidAck => "closing_invalid_ack",
    EstPacketOutOfWindow => "est_packet_out_of_window",
    EstPktBeforeLastAck => "est_pkt_before_last_ack",
    EstSynackResend => "est_synack_resend",
    EstSynackResendWithDiffAck => "est_synack_resend_with_diff_ack",
    EstSynackResendWithDiffSeq => "est_synack_resend_with_diff_seq",
    EstSynackToserver => "est_synack_toserver",
    EstSynResend => "est_syn_resend",
    EstSynResendDiffSeq => "est_syn_resend_diff_seq",
    EstSynToclient => "est_syn_toclient",
    EstInvalidAck => "est_invalid_ack",
    EstAckZwpData => "est_ack_zwp_data",
    FinInvalidAck => "fin_invalid_ack",
    Fin1AckWrongSeq => "fin1_ack_wrong_seq",
    Fin1FinWrongSeq => "fin1_fin_wrong_seq",
    Fin1InvalidAck => "fin1_invalid_ack",
    Fin2AckWrongSeq => "fin2_ack_wrong_seq",
    Fin2FinWrongSeq => "fin2_fin_wrong_seq",
    Fin2InvalidAck => "fin2_invalid_ack",
    FinButNoSession => "fin_but_no_session",
    FinOutOfWindow => "fin_out_of_window",
    FinSyn => "fin_syn",
    LastackAckWrongSeq => "lastack_ack_wrong_seq",
    LastackInvalidAck => "lastack_invalid_ack",
    RstButNoSession => "rst_but_no_session",
    TimewaitAckWrongSeq => "timewait_ack_wrong_seq",
    TimewaitInvalidAck => "timewait_invalid_ack",
    ShutdownSynResend => "shutdown_syn_resend",
    PktInvalidTimestamp => "pkt_invalid_timestamp",
    PktInvalidAck => "pkt_invalid_ack",
    PktBrokenAck => "pkt_broken_ack",
    RstInvalidAck => "rst_invalid_ack",
    RstWithData => "rst_with_data",
    PktRetransmission => "pkt_retransmission",
    PktSpuriousRetransmission => "pkt_spurious_retransmission",
    PktBadWindowUpdate => "pkt_bad_window_update",
    SuspectedRstInject => "suspected_rst_inject",
    WrongThread => "wrong_thread",
    ReassemblySegmentBeforeBaseSeq => "reassembly_segment_before_base_seq",
    ReassemblyNoSegment => "reassembly_no_segment",
    ReassemblySeqGap => "reassembly_seq_gap",
    ReassemblyOverlapDifferentData => "reassembly_overlap_different_data",
    ReassemblyDepthReached => "reassembly_depth_reached",
    ReassemblyInsertMemcap => "reassembly_insert_memcap",
    ReassemblyInsertLimit => "reassembly_insert_limit",
    ReassemblyInsertInvalid => "reassembly_insert_invalid",
    ReassemblyUrgentOobLimitReached => "reassembly_urgent_oob_limit_reached",
}

impl StreamEvent {
    /// Number of stream events.
    pub const COUNT: usize = StreamEvent::ALL.len();

    /// Position in [`StreamEvent::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Looks an event up by name, with or without the `stream.` prefix.
    /// Suricata also accepts two older names in rules (`..._with_different_ack`).
    pub fn from_name(name: &str) -> Option<StreamEvent> {
        let short = name.strip_prefix("stream.").unwrap_or(name);
        let short = match short {
            "3whs_synack_resend_with_different_ack" => "3whs_synack_resend_with_diff_ack",
            "est_synack_resend_with_different_ack" => "est_synack_resend_with_diff_ack",
            s => s,
        };
        StreamEvent::ALL.iter().copied().find(|e| e.name() == short)
    }
}

/// The stream events raised by one packet (a bit set: no allocation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamEvents(u128);

// One bit per event.
const _: () = assert!(StreamEvent::COUNT <= 128);

impl StreamEvents {
    pub fn set(&mut self, ev: StreamEvent) {
        self.0 |= 1u128 << ev.index();
    }
    pub fn contains(&self, ev: StreamEvent) -> bool {
        self.0 & (1u128 << ev.index()) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }
    /// The events, in table order.
    pub fn iter(&self) -> impl Iterator<Item = StreamEvent> + '_ {
        StreamEvent::ALL
            .iter()
            .copied()
            .filter(|e| self.contains(*e))
    }
    /// The raw bits (bit `i` is `StreamEvent::ALL[i]`).
    pub fn bits(&self) -> u128 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &e in StreamEvent::ALL {
            assert_eq!(StreamEvent::from_name(e.name()), Some(e));
            assert_eq!(StreamEvent::from_name(e.full_name()), Some(e));
            assert_eq!(StreamEvent::ALL[e.index()], e);
        }
        assert_eq!(StreamEvent::from_name("stream.nope"), None);
        assert_eq!(StreamEvent::COUNT, 71);
    }

    #[test]
    fn every_rule_event_is_known() {
        // stream-events.rules from Suricata's distribution, when the shared data is present.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/rules/suricata-events/stream-events.rules"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        let mut seen = 0;
        for part in text.split("stream-event:").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert!(StreamEvent::from_name(&name).is_some(), "unknown {name}");
            seen += 1;
        }
        assert!(seen > 50, "only {seen} rules");
    }

    #[test]
    fn event_set() {
        let mut s = StreamEvents::default();
        assert!(s.is_empty());
        s.set(StreamEvent::PktInvalidAck);
        s.set(StreamEvent::ThreeWhsAckInWrongDir);
        s.set(StreamEvent::PktInvalidAck);
        assert_eq!(s.len(), 2);
        let v: Vec<_> = s.iter().collect();
        assert_eq!(
            v,
            vec![
                StreamEvent::ThreeWhsAckInWrongDir,
                StreamEvent::PktInvalidAck
            ]
        );
        assert!(!s.contains(StreamEvent::FinSyn));
    }
}
