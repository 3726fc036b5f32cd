//! From lexed text to a validated [`Rule`]: header fields, keyword lookup,
//! value parsing and Suricata's semantic checks.

use crate::ast::*;
use crate::header;
use crate::keywords::{self, Arg, Class, Modifier};
use crate::lex;
use crate::values::OptionValue;
use crate::RuleContext;

/// Largest depth/offset (exclusive) and |distance|/|within| (inclusive)
/// Suricata accepts: 1 MiB.
const MAX_CONTENT_OFFSET: i64 = 1 << 20;

/// A rule that failed: the keyword involved (if any) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub keyword: Option<String>,
    pub reason: String,
    /// Suricata drops such a rule with a warning only: it is neither loaded
    /// nor counted as failed.
    pub silent: bool,
}

fn fail<T>(keyword: &str, reason: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        keyword: Some(keyword.to_string()),
        reason: reason.into(),
        silent: false,
    })
}

fn fail_hdr<T>(reason: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        keyword: None,
        reason: reason.into(),
        silent: false,
    })
}

/// App-layer protocol compatibility (`http` covers `http1` and `http2`).
fn app_compatible(rule: &str, kw_apps: &[&str]) -> bool {
    kw_apps.iter().any(|k| {
        *k == rule
            || (rule == "http" && (*k == "http1" || *k == "http2"))
            || (*k == "http" && (rule == "http1" || rule == "http2"))
    })
}

struct State {
    /// Index in `buffers` of the active sticky buffer (None: never set).
    current: Option<usize>,
    /// pkt_data was used: modifiers look at the payload buffer only.
    explicit_payload: bool,
    fast_pattern_seen: bool,
    byte_vars: Vec<String>,
    app_proto: Option<String>,
    /// Last selected sticky list: it must get matches before the next
    /// buffer switch or the end of the rule, even when a keyword with its
    /// own list (urilen, app-layer-event) reset the active list meanwhile.
    sticky: Option<usize>,
}

/// Builds a rule from its text.
pub fn build_rule(
    text: &str,
    ctx: &RuleContext,
    cache: &mut header::HeaderCache,
    file: &str,
    line: usize,
) -> Result<Rule, Failure> {
    let raw = lex::lex_rule(text).map_err(|e| Failure {
        keyword: e.keyword,
        reason: e.reason,
        silent: false,
    })?;
    if raw.header.len() != 7 {
        return fail_hdr(format!(
            "rule header needs 7 fields (action proto src sp dir dst dp), found {}",
            raw.header.len()
        ));
    }
    let h = |i: usize| raw.header.get(i).map(|x| x.0).unwrap_or("");
    let action = Action::from_name(h(0)).ok_or_else(|| Failure {
        silent: false,
        keyword: None,
        reason: format!("invalid action \"{}\"", h(0)),
    })?;
    let proto = header::parse_protocol(h(1), ctx).map_err(|r| Failure {
        keyword: None,
        reason: r,
        silent: false,
    })?;
    let src = cache.address(h(2), ctx).map_err(|r| Failure {
        keyword: None,
        reason: r,
        silent: false,
    })?;
    let sp = cache.ports(h(3), ctx).map_err(|r| Failure {
        keyword: None,
        reason: r,
        silent: false,
    })?;
    let direction = header::parse_direction(h(4)).map_err(|r| Failure {
        keyword: None,
        reason: r,
        silent: false,
    })?;
    let dst = cache.address(h(5), ctx).map_err(|r| Failure {
        keyword: None,
        reason: r,
        silent: false,
    })?;
    let dp = cache.ports(h(6), ctx).map_err(|r| Failure {
        keyword: None,
        reason: r,
        silent: false,
    })?;

    let mut rule = Rule {
        action,
        app_proto: proto.app().map(str::to_string),
        proto,
        src,
        sp,
        direction,
        dst,
        dp,
        header_spans: std::array::from_fn(|i| raw.header.get(i).map(|x| x.1).unwrap_or_default()),
        options: Vec::with_capacity(raw.options.len()),
        sid: 0,
        rev: 0,
        gid: 1,
        msg: None,
        classtype: None,
        priority: None,
        metadata: Vec::new(),
        references: Vec::new(),
        noalert: false,
        buffers: Vec::new(),
        text: text.to_string(),
        file: file.to_string(),
        line,
    };
    // `requires` is evaluated before anything else: an unmet requirement
    // drops the rule silently, whatever else it contains.
    for ro in &raw.options {
        if ro.name.eq_ignore_ascii_case("requires") {
            if let Some(v) = ro.value {
                check_requires(v, ctx)?;
            }
        }
    }
    let mut st = State {
        current: None,
        explicit_payload: false,
        fast_pattern_seen: false,
        byte_vars: Vec::new(),
        app_proto: rule.app_proto.clone(),
        sticky: None,
    };
    let mut sid_seen = false;
    let mut rev_seen = false;
    let mut gid_seen = false;
    let mut flow_state_seen = false;
    let mut base64_data_seen = false;
    let mut dsize_seen = false;
    let mut threshold_seen = false;
    let mut detection_filter_seen = false;
    let mut priority_seen = false;
    let mut classtype_seen = false;

    for ro in &raw.options {
        let Some(kw) = keywords::lookup(ro.name) else {
            return fail(ro.name, format!("unknown rule keyword '{}'", ro.name));
        };
        let name = kw.name;
        // Value presence.
        match (kw.arg, ro.value) {
            (Arg::None, Some(_)) => {
                return fail(name, format!("unexpected option to {name} keyword"))
            }
            (Arg::Required, None) => {
                return fail(
                    name,
                    format!("invalid formatting or malformed option to {name} keyword"),
                )
            }
            (Arg::Required, Some("")) => {
                return fail(
                    name,
                    format!("invalid formatting or malformed option to {name} keyword"),
                )
            }
            _ => {}
        }
        // App-layer requirement.
        if !kw.app.is_empty() && rule.proto == Protocol::TcpPkt {
            return fail(name, "Signature combines packet specific matches with stream / state matching by matching on app layer proto");
        }
        if let Class::Sticky(b) = kw.class {
            let need = match b {
                "tcp.hdr" => Some(Protocol::Tcp),
                "udp.hdr" => Some(Protocol::Udp),
                "icmpv4.hdr" | "icmpv6.hdr" => Some(Protocol::Icmp),
                _ => None,
            };
            if let Some(need) = need {
                let ok = match &rule.proto {
                    Protocol::Ip | Protocol::PktHdr => true,
                    Protocol::Tcp | Protocol::TcpPkt | Protocol::TcpStream => need == Protocol::Tcp,
                    Protocol::App(_) => need == Protocol::Tcp || need == Protocol::Udp,
                    p => *p == need,
                };
                if !ok {
                    return fail(
                        name,
                        format!("{name} can't be used with protocol {}", rule.proto),
                    );
                }
            }
            if b == "base64_data" && !rule.options.iter().any(|o| o.keyword == "base64_decode") {
                return fail(
                    name,
                    "\"base64_data\" keyword seen without preceding base64_decode.",
                );
            }
        }
        if name == "app-layer-protocol"
            && rule
                .options
                .iter()
                .any(|o| o.keyword == "app-layer-protocol")
        {
            let negated =
                |v: Option<&str>| v.map(|x| x.trim_start().starts_with('!')).unwrap_or(false);
            let prev_all_neg = rule
                .options
                .iter()
                .filter(|o| o.keyword == "app-layer-protocol")
                .all(|o| negated(o.raw.as_deref()));
            if !(prev_all_neg && negated(ro.value)) {
                return fail(name, "can't mix positive app-layer-protocol match with negated match or match for 'failed'.");
            }
        }
        if let Some(first) = kw.app.first() {
            if !ctx.app_layer_enabled(first) && kw.app.iter().all(|a| !ctx.app_layer_enabled(a)) {
                return fail(
                    name,
                    format!("disabled alproto {first}, rule can never match"),
                );
            }
            match &st.app_proto {
                Some(cur) if !app_compatible(cur, kw.app) => {
                    return fail(
                        name,
                        format!("can't set rule app proto to {first}: already set to {cur}"),
                    );
                }
                Some(_) => {}
                None => st.app_proto = Some(first.to_string()),
            }
        }
        let value = match ro.value {
            Some(v) => (kw.parse)(v).map_err(|r| Failure {
                keyword: Some(name.to_string()),
                reason: r,
                silent: false,
            })?,
            None => match kw.arg {
                Arg::Optional if kw.class == Class::Modifier(Modifier::FastPattern) => {
                    OptionValue::FastPattern(FastPattern::default())
                }
                _ => OptionValue::None,
            },
        };
        // The metadata pairs are kept once, in `rule.metadata`.
        let value = match value {
            OptionValue::Metadata(m) => {
                rule.metadata.extend(
                    m.into_iter()
                        .map(|(k, v)| (cache.intern(&k), cache.intern(&v))),
                );
                OptionValue::Metadata(Vec::new())
            }
            v => v,
        };
        let idx = rule.options.len();
        rule.options.push(RuleOption {
            keyword: name,
            written: if ro.name == name {
                std::borrow::Cow::Borrowed(name)
            } else {
                std::borrow::Cow::Owned(ro.name.to_string())
            },
            raw: ro.value.map(|v| cache.intern(v)),
            span: ro.span,
            value,
        });
        let value = &rule.options[idx].value;

        match kw.class {
            Class::Meta => match (name, value) {
                ("msg", OptionValue::Text(t)) => {
                    if rule.msg.is_some() {
                        return fail(name, "duplicated 'msg' keyword detected");
                    }
                    rule.msg = Some(t.clone());
                }
                ("sid", OptionValue::Number(n)) => {
                    if sid_seen {
                        return fail(name, "duplicated 'sid' keyword detected");
                    }
                    sid_seen = true;
                    rule.sid = *n as u32;
                }
                ("rev", OptionValue::Number(n)) => {
                    if rev_seen {
                        return fail(name, "duplicated 'rev' keyword detected");
                    }
                    rev_seen = true;
                    rule.rev = *n as u32;
                }
                ("gid", OptionValue::Number(n)) => {
                    if gid_seen {
                        return fail(name, "duplicated 'gid' keyword detected");
                    }
                    gid_seen = true;
                    rule.gid = *n as u32;
                }
                ("classtype", OptionValue::Text(t)) => {
                    if classtype_seen {
                        return fail(name, "duplicated 'classtype' keyword detected");
                    }
                    classtype_seen = true;
                    rule.classtype = Some(t.clone());
                    if !priority_seen {
                        if let Some(p) = ctx.classification.get(t).map(|c| c.priority) {
                            rule.priority = Some(p);
                        }
                    }
                }
                ("priority", OptionValue::SignedNumber(n)) => {
                    if priority_seen {
                        return fail(name, "duplicated 'priority' keyword detected");
                    }
                    priority_seen = true;
                    rule.priority = Some((*n).clamp(0, u32::MAX as i64) as u32);
                }
                ("reference", OptionValue::Reference(r)) => {
                    let mut r = Reference::clone(r);
                    r.url_prefix = ctx.references.get(&r.kind).cloned();
                    rule.references.push(r);
                }
                ("metadata", OptionValue::Metadata(_)) => {}
                ("noalert", _) => rule.noalert = true,
                ("target", v) => {
                    let conflict = rule.options[..idx]
                        .iter()
                        .any(|o| o.keyword == "target" && o.value != *v);
                    if conflict {
                        return fail(name, "Conflicting values of target keyword");
                    }
                }
                _ => {}
            },
            Class::Content => {
                let (pattern, negated) = match value {
                    OptionValue::Content { pattern, negated } => (pattern.clone(), *negated),
                    _ => return fail(name, "bad content value"),
                };
                let c = Content {
                    pattern,
                    negated,
                    option_index: idx,
                    ..Content::default()
                };
                let b = if name == "uricontent" {
                    buffer_for(&mut rule.buffers, "http.uri")
                } else {
                    current_buffer(&mut rule.buffers, &mut st)
                };
                if let Some(buf) = rule.buffers.get_mut(b) {
                    buf.matches.push(Match::Content(c));
                }
            }
            Class::Modifier(m) => {
                let v = value.clone();
                apply_modifier(&mut rule, &mut st, name, m, &v)?;
            }
            Class::LegacyBuffer(buffer) => {
                if st.current.is_some() && !st.explicit_payload {
                    return fail(
                        name,
                        format!("\"{name}\" keyword seen with a sticky buffer still set. Reset sticky buffer with pkt_data before using the modifier."),
                    );
                }
                // Last content of the payload buffer moves into `buffer`.
                let Some(pi) = rule.buffers.iter().position(|b| b.buffer == "payload") else {
                    return fail(
                        name,
                        format!(
                            "\"{name}\" keyword found inside the rule without a content context"
                        ),
                    );
                };
                let last_is_content =
                    matches!(rule.buffers[pi].matches.last(), Some(Match::Content(_)));
                if !last_is_content {
                    return fail(
                        name,
                        format!(
                            "\"{name}\" keyword found inside the rule without a content context"
                        ),
                    );
                }
                let Some(Match::Content(c)) = rule.buffers[pi].matches.pop() else {
                    return fail(name, "internal: content expected");
                };
                if c.rawbytes {
                    return fail(
                        name,
                        format!("\"rawbytes\" cannot be combined with \"{name}\""),
                    );
                }
                let b = buffer_for(&mut rule.buffers, buffer);
                if let Some(buf) = rule.buffers.get_mut(b) {
                    buf.matches.push(Match::Content(c));
                }
                if rule.buffers[pi].matches.is_empty() {
                    rule.buffers.remove(pi);
                    // Indices after `pi` shift by one.
                    if let Some(cur) = st.current {
                        if cur > pi {
                            st.current = Some(cur - 1);
                        }
                    }
                }
            }
            Class::Sticky(buffer) => {
                // Selecting a buffer again continues its list.
                let existing = if keywords::is_multi_instance(buffer) {
                    None
                } else {
                    rule.buffers
                        .iter()
                        .rposition(|b| b.buffer == buffer && b.transforms.is_empty())
                };
                check_current_not_empty(&rule, &st)?;
                check_transforms_followed(&rule, &st)?;
                if base64_data_seen {
                    return fail(name, "Rule buffer cannot be reset after base64_data.");
                }
                if buffer == "base64_data" {
                    base64_data_seen = true;
                }
                let idx = match existing {
                    Some(i) => i,
                    None => {
                        rule.buffers.push(BufferMatches {
                            buffer,
                            transforms: Vec::new(),
                            matches: Vec::new(),
                        });
                        rule.buffers.len() - 1
                    }
                };
                st.current = Some(idx);
                st.sticky = Some(idx);
                st.explicit_payload = false;
            }
            Class::PktData => {
                base64_data_seen = false;
                check_current_not_empty(&rule, &st)?;
                st.current = None;
                st.sticky = None;
                st.explicit_payload = true;
            }
            Class::Transform => {
                let Some(cur) = st.current else {
                    return fail(name, "transforms must directly follow stickybuffers");
                };
                // Transforms start a new list: a transformed list that
                // already has matches cannot be transformed further.
                let (has_t, has_m, bname, prev_t) = match rule.buffers.get(cur) {
                    Some(b) => (
                        !b.transforms.is_empty(),
                        !b.matches.is_empty(),
                        b.buffer,
                        b.transforms.clone(),
                    ),
                    None => return fail(name, "transforms must directly follow stickybuffers"),
                };
                if has_t && has_m {
                    return fail(name, "transforms must directly follow stickybuffers");
                }
                if has_m {
                    let mut transforms = prev_t;
                    transforms.push(idx);
                    rule.buffers.push(BufferMatches {
                        buffer: bname,
                        transforms,
                        matches: Vec::new(),
                    });
                    st.current = Some(rule.buffers.len() - 1);
                    st.sticky = st.current;
                } else if let Some(buf) = rule.buffers.get_mut(cur) {
                    buf.transforms.push(idx);
                }
            }
            Class::Payload => {
                let v = value.clone();
                add_payload(&mut rule, &mut st, ctx, name, idx, &v)?;
            }
            Class::Other => {
                let v = value.clone();
                match name {
                    "flow" => {
                        if flow_state_seen {
                            return fail(name, "A signature may have only one flow option.");
                        }
                        if let OptionValue::Words(w) = &v {
                            let stream_flag = w.iter().any(|x| x == "no_stream");
                            flow_state_seen = !stream_flag
                                && w.iter().any(|x| {
                                    matches!(
                                        x.as_str(),
                                        "established" | "not_established" | "stateless"
                                    )
                                });
                            // Flags of several flow options must not conflict.
                            let prev: Vec<String> = rule.options[..idx]
                                .iter()
                                .filter(|o| o.keyword == "flow")
                                .filter_map(|o| match &o.value {
                                    OptionValue::Words(w) => Some(w.clone()),
                                    _ => None,
                                })
                                .flatten()
                                .collect();
                            if !prev.is_empty() {
                                let all: Vec<&str> =
                                    prev.iter().chain(w.iter()).map(String::as_str).collect();
                                let mut uniq: Vec<&str> = Vec::new();
                                for x in all {
                                    if !uniq.contains(&x) {
                                        uniq.push(x);
                                    }
                                }
                                crate::values::parse_flow(&uniq.join(",")).map_err(|r| {
                                    Failure {
                                        keyword: Some(name.to_string()),
                                        reason: r,
                                        silent: false,
                                    }
                                })?;
                            }
                        }
                    }
                    "ip_proto" if rule.proto != Protocol::Ip => {
                        return fail(
                            name,
                            "Signature can use ip_proto keyword only when we use alert ip",
                        );
                    }
                    "geoip" => {
                        return fail(name, "GeoIP rule matching is disabled (no GeoIP2 database)");
                    }
                    "app-layer-protocol" if st.app_proto.is_some() => {
                        return fail(name, "Either we already have the rule match on an app layer protocol set through other keywords or have already seen an app-layer-protocol keyword");
                    }
                    "urilen" => {
                        let raw = rule.options[idx]
                            .raw
                            .as_deref()
                            .unwrap_or("")
                            .contains("raw");
                        let b = buffer_for(
                            &mut rule.buffers,
                            if raw { "http.uri.raw" } else { "http.uri" },
                        );
                        if let Some(buf) = rule.buffers.get_mut(b) {
                            buf.matches.push(Match::Option(idx));
                        }
                        // urilen has its own list: the active sticky buffer
                        // is left (following payload keywords go to the packet).
                        if st.current.is_some_and(|c| c != b) {
                            st.current = None;
                        }
                    }
                    "dsize" => {
                        if dsize_seen {
                            return fail(name, "Can't use 2 or more dsizes in the same sig.");
                        }
                        dsize_seen = true;
                    }
                    "threshold" => {
                        // Suricata only finds the earlier one when no sticky
                        // buffer is active.
                        let visible = st.current.is_none() || st.explicit_payload;
                        if threshold_seen && visible {
                            return fail(
                                name,
                                "multiple \"threshold\" options are not allowed in the same rule",
                            );
                        }
                        if detection_filter_seen && visible {
                            return fail(name, "\"detection_filter\" and \"threshold\" are not allowed in the same rule");
                        }
                        threshold_seen = true;
                    }
                    "detection_filter" => {
                        let visible = st.current.is_none() || st.explicit_payload;
                        if detection_filter_seen && visible {
                            return fail(name, "multiple \"detection_filter\" options are not allowed in the same rule");
                        }
                        if threshold_seen && visible {
                            return fail(name, "\"detection_filter\" and \"threshold\" are not allowed in the same rule");
                        }
                        detection_filter_seen = true;
                    }
                    "app-layer-event" => {
                        check_app_layer_event(ctx, &mut st, &rule.proto, &v)?;
                        // Its own list: the active sticky buffer is left.
                        st.current = None;
                    }
                    "iprep" => {
                        if let OptionValue::Words(w) = &v {
                            let cat = w.get(1).map(String::as_str).unwrap_or("");
                            let known = ctx
                                .iprep_categories
                                .as_ref()
                                .is_some_and(|c| c.contains(cat));
                            if !known {
                                return fail(name, format!("unknown iprep category \"{cat}\" (no such category in the reputation categories file)"));
                            }
                        }
                    }
                    "flowbits" => {
                        if let OptionValue::Bits(b) = &v {
                            if b.cmd == "noalert" {
                                rule.noalert = true;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    check_current_not_empty(&rule, &st)?;
    if let Some(b) = rule.buffers.iter().find(|b| {
        b.matches.is_empty() && b.buffer != "base64_data" && !trailing_transform_list(&rule, b)
    }) {
        return fail(
            b.buffer,
            format!("setup buffer {} but didn't add matches to it", b.buffer),
        );
    }
    for b in &rule.buffers {
        check_buffer_contents(&rule, b)?;
    }
    check_directions(&rule)?;
    if rule.buffers.iter().any(|b| b.buffer == "http.header.raw") && !has_direction(&rule) {
        return fail("http.header.raw", "http_raw_header signature without a flow direction. Use flow:to_server for inspecting request headers or flow:to_client for inspecting response headers.");
    }
    check_packet_vs_app(&rule)?;
    check_file_data(&rule, st.app_proto.as_deref())?;
    if crate::header::address_is_empty(&rule.src) || crate::header::address_is_empty(&rule.dst) {
        return fail_hdr("no addresses left after merging addresses and negated addresses");
    }
    if crate::header::ports_are_empty(&rule.sp) || crate::header::ports_are_empty(&rule.dp) {
        return fail_hdr("no ports left after merging ports with negated ports");
    }
    if !sid_seen {
        return fail_hdr("Signature missing required value \"sid\".");
    }
    if rule.priority.is_none() {
        rule.priority = Some(3);
    }
    rule.app_proto = st.app_proto;
    shrink(&mut rule);
    Ok(rule)
}

/// Gives back the spare capacity of the rule's vectors (a loaded rule set is
/// kept whole until the detection engine is built).
fn shrink(rule: &mut Rule) {
    rule.options.shrink_to_fit();
    rule.metadata.shrink_to_fit();
    rule.references.shrink_to_fit();
    rule.buffers.shrink_to_fit();
    for b in &mut rule.buffers {
        b.transforms.shrink_to_fit();
        b.matches.shrink_to_fit();
    }
}

/// App-layer protocols whose parser (and event table) Suricata 7.0 registers
/// for UDP only.
const UDP_ONLY_APPS: &[&str] = &[
    "ike",
    "quic",
    "ntp",
    "dhcp",
    "tftp",
    "snmp",
    "sip",
    "bittorrent-dht",
];
/// Registered for both TCP and UDP.
const TCP_UDP_APPS: &[&str] = &["dns", "krb5", "nfs", "dcerpc", "enip"];

fn check_app_layer_event(
    ctx: &RuleContext,
    st: &mut State,
    rule_proto: &Protocol,
    v: &OptionValue,
) -> Result<(), Failure> {
    let OptionValue::Text(t) = v else {
        return Ok(());
    };
    match t.split_once('.') {
        None => {
            if !crate::events::APPLAYER_PACKET_EVENTS.contains(&t.as_str()) {
                return fail("app-layer-event", format!("app-layer-event keyword supplied with packet based event - \"{t}\" that isn't supported yet"));
            }
        }
        Some((proto, event)) => {
            let p = if proto == "ikev2" { "ike" } else { proto };
            if matches!(rule_proto, Protocol::Icmp | Protocol::Sctp) {
                return fail("app-layer-event", format!("protocol {p} is disabled"));
            }
            if !header::APP_PROTOCOLS.contains(&p) || !ctx.app_layer_enabled(p) {
                return fail(
                    "app-layer-event",
                    format!("app-layer-event keyword supplied with unknown protocol \"{proto}\""),
                );
            }
            let known = crate::events::APP_LAYER_EVENTS
                .iter()
                .find(|(name, _)| *name == if p == "http1" { "http" } else { p })
                .map(|(_, evs)| evs.contains(&event))
                // Events are looked up for the rule's transport: UDP for udp
                // rules and UDP-only protocols, TCP otherwise.
                .map(|known| {
                    let rule_udp = match rule_proto {
                        Protocol::Udp => true,
                        Protocol::App(a) => UDP_ONLY_APPS.contains(&a.as_str()),
                        _ => false,
                    };
                    let ev_udp = UDP_ONLY_APPS.contains(&p);
                    let ev_both = TCP_UDP_APPS.contains(&p);
                    known && (ev_both || ev_udp == rule_udp)
                });
            if known == Some(false) {
                return Err(Failure {
                    keyword: Some("app-layer-event".into()),
                    reason: format!("app-layer-event keyword's protocol \"{p}\" doesn't have event \"{event}\" registered (rule skipped)"),
                    silent: true,
                });
            }
            match &st.app_proto {
                Some(cur) if !app_compatible(cur, &[p]) => {
                    return fail(
                        "app-layer-event",
                        format!("can't set rule app proto to {p}: already set to {cur}"),
                    );
                }
                Some(_) => {}
                None => st.app_proto = Some(p.to_string()),
            }
        }
    }
    Ok(())
}

/// Fails when the active sticky buffer received no match.
fn check_current_not_empty(rule: &Rule, st: &State) -> Result<(), Failure> {
    if let Some(cur) = st.current {
        if let Some(b) = rule.buffers.get(cur) {
            if b.matches.is_empty() && !trailing_transform_list(rule, b) {
                return fail(
                    b.buffer,
                    format!("setup buffer {} but didn't add matches to it", b.buffer),
                );
            }
        }
    }
    Ok(())
}

/// Index of the buffer new payload matches go to.
fn current_buffer(buffers: &mut Vec<BufferMatches>, st: &mut State) -> usize {
    match st.current {
        Some(c) if c < buffers.len() => c,
        _ => buffer_for(buffers, "payload"),
    }
}

/// Finds (or appends) the transform-free buffer `name`.
fn buffer_for(buffers: &mut Vec<BufferMatches>, name: &'static str) -> usize {
    if let Some(i) = buffers
        .iter()
        .position(|b| b.buffer == name && b.transforms.is_empty())
    {
        return i;
    }
    buffers.push(BufferMatches {
        buffer: name,
        transforms: Vec::new(),
        matches: Vec::new(),
    });
    buffers.len() - 1
}

/// Locates the content a modifier applies to: the last content of the active
/// sticky buffer, or the last content of the rule when none is active.
fn target_content(rule: &mut Rule, st: &State) -> Option<(usize, usize)> {
    let search = |b: &BufferMatches| -> Option<(usize, usize)> {
        b.matches
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, m)| match m {
                Match::Content(c) => Some((i, c.option_index)),
                _ => None,
            })
    };
    if let Some(cur) = st.current {
        // All instances of the active buffer (multi-instance buffers keep
        // one list per selection).
        let name = rule.buffers.get(cur)?.buffer;
        let mut best: Option<(usize, usize, usize)> = None;
        for (bi, b) in rule.buffers.iter().enumerate() {
            if b.buffer != name {
                continue;
            }
            if let Some((mi, oi)) = search(b) {
                if best.is_none_or(|(_, _, o)| oi > o) {
                    best = Some((bi, mi, oi));
                }
            }
        }
        return best.map(|(b, m, _)| (b, m));
    }
    if st.explicit_payload {
        let pi = rule
            .buffers
            .iter()
            .position(|b| b.buffer == "payload" && b.transforms.is_empty())?;
        return search(&rule.buffers[pi]).map(|(i, _)| (pi, i));
    }
    let mut best: Option<(usize, usize, usize)> = None;
    for (bi, b) in rule.buffers.iter().enumerate() {
        if let Some((mi, oi)) = search(b) {
            if best.is_none_or(|(_, _, o)| oi > o) {
                best = Some((bi, mi, oi));
            }
        }
    }
    best.map(|(b, m, _)| (b, m))
}

fn var_or_num_u(v: &OptionValue, st: &State, name: &str) -> Result<VarOrNum, Failure> {
    match v {
        OptionValue::Number(n) => Ok(VarOrNum::Num(*n as u32)),
        OptionValue::VarName(s) => {
            if st.byte_vars.iter().any(|x| x == s) {
                Ok(VarOrNum::Var(s.clone()))
            } else {
                fail(
                    name,
                    format!("unknown byte_ keyword var seen in {name} - {s}"),
                )
            }
        }
        _ => fail(name, format!("invalid value for {name}")),
    }
}

fn var_or_num_s(v: &OptionValue, st: &State, name: &str) -> Result<VarOrNumSigned, Failure> {
    match v {
        OptionValue::SignedNumber(n) => Ok(VarOrNumSigned::Num(*n as i32)),
        OptionValue::VarName(s) => {
            if st.byte_vars.iter().any(|x| x == s) {
                Ok(VarOrNumSigned::Var(s.clone()))
            } else {
                fail(
                    name,
                    format!("unknown byte_ keyword var seen in {name} - {s}"),
                )
            }
        }
        _ => fail(name, format!("invalid value for {name}")),
    }
}

fn apply_modifier(
    rule: &mut Rule,
    st: &mut State,
    name: &str,
    m: Modifier,
    v: &OptionValue,
) -> Result<(), Failure> {
    let target = if m == Modifier::FastPattern {
        // With a sticky buffer active, payload contents are out of reach.
        last_content_anywhere(rule, st.current.is_some() && !st.explicit_payload)
    } else {
        target_content(rule, st)
    };
    let Some((bi, mi)) = target else {
        return fail(name, format!("{name} needs preceding content option"));
    };
    let is_payload = rule
        .buffers
        .get(bi)
        .map(|b| b.buffer == "payload")
        .unwrap_or(true);
    let buffer_name = rule.buffers.get(bi).map(|b| b.buffer).unwrap_or("payload");
    // Whether the content has a preceding match in its buffer (for relative
    // modifiers this is informational only: Suricata accepts both).
    // Suricata allows one fast_pattern among the packet payload contents;
    // sticky buffers may hold several.
    let fp_seen = st.fast_pattern_seen
        && rule.buffers.iter().enumerate().any(|(i, b)| {
            b.buffer == "payload"
                && b.matches.iter().enumerate().any(|(j, m)| {
                    (i, j) != (bi, mi) && matches!(m, Match::Content(c) if c.fast_pattern.is_some())
                })
        });
    let Some(Match::Content(c)) = rule.buffers.get_mut(bi).and_then(|b| b.matches.get_mut(mi))
    else {
        return fail(name, format!("{name} needs preceding content option"));
    };
    let plen = c.pattern.len() as i64;
    let relative = c.distance.is_some() || c.within.is_some();
    let absolute = c.depth.is_some() || c.offset.is_some();
    let fp_only = c.fast_pattern.map(|f| f.only).unwrap_or(false);
    match m {
        Modifier::Nocase => {
            if c.nocase {
                return fail(
                    name,
                    "can't use multiple nocase modifiers with the same content",
                );
            }
            c.nocase = true;
        }
        Modifier::Rawbytes => {
            if !is_payload {
                return fail(
                    name,
                    format!(
                        "\"rawbytes\" cannot be combined with the \"{buffer_name}\" sticky buffer"
                    ),
                );
            }
            c.rawbytes = true;
        }
        Modifier::Depth | Modifier::Offset => {
            let word = if m == Modifier::Depth {
                "depth"
            } else {
                "offset"
            };
            if (m == Modifier::Depth && c.depth.is_some())
                || (m == Modifier::Offset && c.offset.is_some())
            {
                return fail(
                    name,
                    format!("can't use multiple {word}s for the same content."),
                );
            }
            if c.startswith {
                return fail(name, format!("can't use {word} with startswith."));
            }
            if relative {
                return fail(name, "can't use a relative keyword like within/distance with a absolute relative keyword like depth/offset for the same content.");
            }
            if fp_only {
                return fail(
                    name,
                    format!("can't have a {word} set along with a fast_pattern:only;"),
                );
            }
            let val = var_or_num_u(v, st, name)?;
            if let VarOrNum::Num(n) = val {
                if n > u16::MAX as u32 {
                    return fail(name, format!("invalid value for {word}: {n}."));
                }
            }
            if c.negated && c.fast_pattern.is_some() {
                return fail(name, "fast_pattern; cannot be used with negated content, along with relative modifiers");
            }
            if m == Modifier::Depth {
                if let VarOrNum::Num(n) = val {
                    if (n as i64) < plen {
                        return fail(
                            name,
                            format!("depth:{n} smaller than content of len {plen}."),
                        );
                    }
                }
                c.depth = Some(val);
            } else {
                c.offset = Some(val);
            }
        }
        Modifier::Distance | Modifier::Within => {
            let word = if m == Modifier::Distance {
                "distance"
            } else {
                "within"
            };
            if (m == Modifier::Distance && c.distance.is_some())
                || (m == Modifier::Within && c.within.is_some())
            {
                return fail(
                    name,
                    format!("can't use multiple {word}s for the same content."),
                );
            }
            if c.startswith {
                return fail(name, format!("can't use {word} with startswith."));
            }
            if absolute {
                return fail(name, "can't use a relative keyword like within/distance with a absolute relative keyword like depth/offset for the same content.");
            }
            if fp_only {
                return fail(
                    name,
                    "can't have a relative keyword set along with a fast_pattern:only;",
                );
            }
            let val = var_or_num_s(v, st, name)?;
            if let VarOrNumSigned::Num(n) = val {
                if (n as i64).abs() > MAX_CONTENT_OFFSET {
                    return fail(name, format!("invalid value for {word}: {n}"));
                }
            }
            if c.negated && c.fast_pattern.is_some() {
                return fail(
                    name,
                    "can't have a relative negated keyword set along with a fast_pattern",
                );
            }
            if m == Modifier::Within {
                if let VarOrNumSigned::Num(n) = val {
                    if (n as i64) < plen {
                        return fail(name, format!("within argument \"{n}\" is less than the content length \"{plen}\" which is invalid, since this will never match."));
                    }
                }
                c.within = Some(val);
            } else {
                c.distance = Some(val);
            }
        }
        Modifier::StartsWith => {
            if c.negated && c.fast_pattern.is_some() {
                return fail(
                    name,
                    "can't have a relative negated keyword set along with a 'fast_pattern'.",
                );
            }
            if c.startswith {
                return fail(name, "can't use multiple startswith for the same content.");
            }
            if absolute || relative {
                return fail(name, "startswith can't be mixed with depth, offset, within or distance for the same pattern");
            }
            c.startswith = true;
        }
        Modifier::EndsWith => c.endswith = true,
        Modifier::FastPattern => {
            if fp_seen || c.fast_pattern.is_some() {
                return fail(
                    name,
                    "fast_pattern can be used on only one content in a rule",
                );
            }
            let fp = match v {
                OptionValue::FastPattern(f) => *f,
                _ => FastPattern::default(),
            };
            if c.negated && (relative || absolute || c.startswith) {
                return fail(name, "fast_pattern; cannot be used with negated content, along with relative modifiers");
            }
            if fp.only && (c.negated || relative || absolute) {
                return fail(name, "fast_pattern: only; cannot be used with negated content or with any of the relative modifiers like distance, within, offset, depth");
            }
            if let Some((off, len)) = fp.chop {
                if off as i64 + len as i64 > plen {
                    return fail(
                        name,
                        format!(
                            "Fast pattern (length + offset ({})) exceeds pattern length ({plen})",
                            off as u32 + len as u32
                        ),
                    );
                }
            }
            c.fast_pattern = Some(fp);
            st.fast_pattern_seen = true;
        }
        Modifier::Replace => {
            if c.replace.is_some() {
                return fail(name, "can't use multiple replace for the same content.");
            }
            if c.negated {
                return fail(name, "can't use replace on a negated content");
            }
            if let OptionValue::Content { pattern, .. } = v {
                if pattern.len() != c.pattern.len() {
                    return fail(name, "can't use replace with a content of different size");
                }
                c.replace = Some(pattern.clone());
            }
        }
    }
    Ok(())
}

fn add_payload(
    rule: &mut Rule,
    st: &mut State,
    ctx: &RuleContext,
    name: &str,
    idx: usize,
    v: &OptionValue,
) -> Result<(), Failure> {
    if name == "lua" && !ctx.lua_rules_allowed {
        return fail(
            name,
            "Lua rules disabled by security configuration: security.lua.allow-rules",
        );
    }
    // Buffer selected by pcre legacy flags.
    let mut target = None;
    if let OptionValue::Pcre(p) = v {
        if let Some(b) = p.buffer {
            let same_sticky = st
                .current
                .and_then(|c| rule.buffers.get(c))
                .map(|x| x.buffer == b || (x.buffer == "file.data" && b == "http.request_body"))
                .unwrap_or(false);
            if st.current.is_some() && !st.explicit_payload && !same_sticky {
                return fail(name, format!("Expression seen with a sticky buffer still set; either (1) reset sticky buffer with pkt_data or (2) use a sticky buffer providing \"{b}\"."));
            }
            match &st.app_proto {
                Some(cur) if !app_compatible(cur, &["http"]) => {
                    return fail(
                        name,
                        format!("can't set rule app proto to http: already set to {cur}"),
                    );
                }
                Some(_) => {}
                None => st.app_proto = Some("http".into()),
            }
            if !same_sticky {
                target = Some(buffer_for(&mut rule.buffers, b));
            }
        }
    }
    let mut b = match target {
        Some(b) => b,
        None => current_buffer(&mut rule.buffers, st),
    };
    if let OptionValue::Words(w) = v {
        let relative = name == "isdataat"
            && w.iter().any(|x| x == "relative")
            && w.first().is_some_and(|x| x.starts_with('!'));
        let here = rule.buffers.get(b);
        if relative
            && here.is_some_and(|x| x.matches.is_empty() && keywords::is_multi_instance(x.buffer))
        {
            let bname = here.map(|x| x.buffer).unwrap_or("");
            if let Some(prev) = rule.buffers[..b].iter().rposition(|x| x.buffer == bname) {
                b = prev;
            }
        }
    }
    let relative = match v {
        OptionValue::Pcre(p) => p.relative,
        _ => false,
    };
    let is_payload = target.is_some()
        || rule
            .buffers
            .get(b)
            .map(|x| x.buffer == "payload")
            .unwrap_or(true);
    if relative
        && is_payload
        && rule
            .buffers
            .get(b)
            .map(|x| x.matches.is_empty())
            .unwrap_or(true)
    {
        return fail(
            name,
            "pcre with /R (relative) needs preceding match in the same buffer",
        );
    }
    if name == "byte_math"
        && rule
            .buffers
            .get(b)
            .map(|x| x.matches.is_empty())
            .unwrap_or(true)
    {
        if let OptionValue::Byte(op) = v {
            if op.relative {
                return fail(name, "relative specified without previous pattern match");
            }
        }
    }
    if name == "bsize" && rule.buffers.get(b).is_none_or(|x| x.buffer == "payload") {
        return fail(name, "bsize needs a sticky buffer");
    }
    if name == "dataset" {
        check_dataset(ctx, &rule.file, v)?;
    }
    if let OptionValue::Byte(op) = v {
        for s in [Some(&op.nbytes), Some(&op.offset), op.value.as_ref()]
            .into_iter()
            .flatten()
        {
            let t = s.trim();
            let is_name = t
                .chars()
                .next()
                .map(|c| c.is_ascii_alphabetic() || c == '_')
                .unwrap_or(false)
                && !t.starts_with("0x");
            if is_name && !st.byte_vars.iter().any(|x| x == t) {
                return fail(
                    name,
                    format!("unknown byte_ keyword var seen in {name} - {t}"),
                );
            }
        }
        if let Some(var) = &op.var {
            st.byte_vars.push(var.clone());
        }
    }
    if let OptionValue::Words(w) = v {
        if name == "isdataat" {
            let first = w
                .first()
                .map(|s| s.trim_start_matches('!').trim())
                .unwrap_or("");
            if values_is_name(first) && !st.byte_vars.iter().any(|x| x == first) {
                return fail(
                    name,
                    format!("unknown byte_ keyword var seen in {name} - {first}"),
                );
            }
        }
    }
    if let Some(buf) = rule.buffers.get_mut(b) {
        buf.matches.push(Match::Option(idx));
    }
    Ok(())
}

fn values_is_name(s: &str) -> bool {
    s.chars()
        .next()
        .map(|c| c.is_ascii_alphabetic() || c == '_')
        .unwrap_or(false)
}

/// Dataset `load` / `state` files must exist (Suricata loads them while
/// parsing the rule).
fn check_dataset(ctx: &RuleContext, rule_file: &str, v: &OptionValue) -> Result<(), Failure> {
    let OptionValue::Words(w) = v else {
        return Ok(());
    };
    let Some(dir) = &ctx.dataset_dir else {
        return Ok(());
    };
    for o in w.iter().skip(2) {
        let mut it = o.split_whitespace();
        let (Some(k @ ("load" | "state" | "save")), Some(file)) = (it.next(), it.next()) else {
            continue;
        };
        let p = std::path::Path::new(file);
        if p.components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return fail(
                "dataset",
                format!("{k} path \"{file}\" may not contain \"..\""),
            );
        }
        if k == "save" {
            continue;
        }
        // `load` is relative to the rule file, `state` to the data directory.
        let full = if p.is_absolute() {
            p.to_path_buf()
        } else if k == "load" {
            std::path::Path::new(rule_file)
                .parent()
                .map(|d| d.join(p))
                .unwrap_or_else(|| p.to_path_buf())
        } else {
            dir.join(p)
        };
        if !full.exists() {
            return fail(
                "dataset",
                format!("{k} file {} can not be opened", full.display()),
            );
        }
    }
    Ok(())
}

/// Checks that contents can match the buffer given its size limit (bsize)
/// and its transforms.
fn check_buffer_contents(rule: &Rule, b: &BufferMatches) -> Result<(), Failure> {
    let contents = || {
        b.matches.iter().filter_map(|m| match m {
            Match::Content(c) => Some(c),
            _ => None,
        })
    };
    // Transforms: the last one decides what the buffer can contain.
    if let Some(&ti) = b.transforms.last() {
        let t = rule.options.get(ti).map(|o| o.keyword).unwrap_or("");
        for c in contents() {
            let p = &c.pattern;
            let bad = match t {
                "strip_whitespace" => p
                    .iter()
                    .any(|x| matches!(x, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')),
                "compress_whitespace" => p.windows(2).any(|w| {
                    w.iter()
                        .all(|x| matches!(x, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
                }),
                "to_lowercase" => p.iter().any(u8::is_ascii_uppercase),
                "to_uppercase" => p.iter().any(u8::is_ascii_lowercase),
                _ => false,
            };
            if bad {
                return fail(
                    t,
                    format!(
                        "content \"{}\" can never match after the {t} transform",
                        String::from_utf8_lossy(p)
                    ),
                );
            }
        }
    }
    if let Some(len) = crate::keywords::hash_buffer_len(b.buffer) {
        if b.transforms.is_empty() {
            for c in contents().take(1) {
                if c.pattern.len() != len {
                    return fail(b.buffer, format!("Invalid length of the specified {} content (should be {len} characters long). This rule will therefore never match.", b.buffer));
                }
            }
        }
    }
    // urilen N: no uri content may be longer than N.
    {
        use crate::values::NumCmp;
        for m in &b.matches {
            let Match::Option(i) = m else { continue };
            let Some(o) = rule.options.get(*i) else {
                continue;
            };
            if let (true, OptionValue::Compare(NumCmp::Eq(n @ 1..))) =
                (o.keyword == "urilen", &o.value)
            {
                if let Some(c) = contents().find(|c| c.pattern.len() as u64 > *n) {
                    return fail(
                        "urilen",
                        format!(
                            "depth or urilen {n} smaller than content len {}",
                            c.pattern.len()
                        ),
                    );
                }
            }
        }
    }
    if b.buffer == "http.method" {
        for c in contents() {
            if c.pattern.first() == Some(&b' ') {
                return fail("http.method", "http_method pattern with leading space");
            }
            if c.pattern.last() == Some(&b' ') {
                return fail("http.method", "http_method pattern with trailing space");
            }
        }
    }
    // The host buffer is lower-cased by Suricata.
    if b.buffer == "http.host" && b.transforms.is_empty() {
        for c in contents() {
            if c.nocase {
                return fail("nocase", "http.host keyword specified along with \"nocase\". The hostname buffer is normalized to lowercase, specifying nocase is redundant.");
            }
            if c.pattern.iter().any(u8::is_ascii_uppercase) {
                return fail("content", "A pattern with uppercase characters detected for http.host. The hostname buffer is normalized to lowercase, please specify a lowercase pattern.");
            }
        }
    }
    // dsize: payload contents must fit an exact size or range.
    if b.buffer == "payload" {
        use crate::values::NumCmp;
        let dsize = rule
            .options
            .iter()
            .find_map(|o| match (o.keyword, &o.value) {
                ("dsize", OptionValue::Compare(NumCmp::Eq(n) | NumCmp::Lt(n) | NumCmp::Le(n))) => {
                    Some(*n)
                }
                ("dsize", OptionValue::Compare(NumCmp::Range(_, hi))) => Some(*hi),
                _ => None,
            });
        if let Some(max) = dsize {
            let need = required_size(contents());
            if need > max {
                return fail("dsize", format!("signature can't match as required content length {need} exceeds dsize value {max}"));
            }
        }
    }
    // bsize: the contents must fit (Suricata checks the first bsize, and
    // not at all once the buffer is transformed).
    for m in b
        .matches
        .iter()
        .filter(|m| matches!(m, Match::Option(i) if rule.options.get(*i).is_some_and(|o| o.keyword == "bsize")))
        .take(1)
    {
        let Match::Option(i) = m else { continue };
        let Some(o) = rule.options.get(*i) else {
            continue;
        };
        if o.keyword != "bsize" {
            continue;
        }
        let OptionValue::Compare(cmp) = &o.value else {
            continue;
        };
        use crate::values::NumCmp;
        let max = match *cmp {
            NumCmp::Eq(n) | NumCmp::Le(n) | NumCmp::Lt(n) => n,
            NumCmp::Range(_, hi) => hi,
            _ => continue,
        };
        let need = required_size(contents());
        if need > max {
            return fail("bsize", format!("signature can't match as required content length {need} exceeds bsize value: {max}"));
        }
    }
    Ok(())
}

/// Buffer size the contents need, the way Suricata estimates it: the first
/// content (with its offset) plus every relative content (distance + length).
fn required_size<'a>(contents: impl Iterator<Item = &'a Content>) -> u64 {
    let mut total: u64 = 0;
    for (i, c) in contents.enumerate() {
        let len = c.pattern.len() as u64;
        let relative = c.distance.is_some() || c.within.is_some();
        if i == 0 {
            let off = match &c.offset {
                Some(VarOrNum::Num(n)) => *n as u64,
                _ => 0,
            };
            let dist = match &c.distance {
                Some(VarOrNumSigned::Num(n)) => (*n).max(0) as u64,
                _ => 0,
            };
            total = off.saturating_add(dist).saturating_add(len);
        } else if relative {
            let dist = match &c.distance {
                Some(VarOrNumSigned::Num(n)) => (*n).max(0) as u64,
                _ => 0,
            };
            // A negated relative content counts its whole window.
            let width = match (&c.within, c.negated) {
                (Some(VarOrNumSigned::Num(w)), true) => (*w).max(0) as u64,
                _ => len,
            };
            total = total.saturating_add(dist).saturating_add(width);
        }
    }
    total
}

/// Features `requires: feature X` always finds (those Suricata 7.0.10
/// registers whatever its configuration); see also [`RuleContext::features`].
pub const PROVIDED_FEATURES: &[&str] = &["ja3", "ja4"];

/// The Suricata version whose behaviour is reproduced.
pub const SURICATA_VERSION: (u64, u64, u64) = (7, 0, 10);

fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let mut it = v.trim().split('.');
    let a = it.next()?.parse().ok()?;
    let b = it.next().map(|x| x.parse().ok()).unwrap_or(Some(0))?;
    let c = it.next().map(|x| x.parse().ok()).unwrap_or(Some(0))?;
    if it.next().is_some() {
        return None;
    }
    Some((a, b, c))
}

/// Evaluates `requires: feature X, version OP V [OP V] [| OP V ...]`.
fn check_requires(v: &str, ctx: &RuleContext) -> Result<(), Failure> {
    let skip = |reason: String| Failure {
        keyword: Some("requires".into()),
        reason,
        silent: true,
    };
    let mut version_seen = false;
    for part in v.split(',') {
        let part = part.trim();
        let (k, arg) = part.split_once(char::is_whitespace).unwrap_or((part, ""));
        match k {
            "feature" => {
                let f = arg.trim();
                if !PROVIDED_FEATURES.contains(&f) && !ctx.features.contains(f) {
                    return Err(skip(format!(
                        "requires feature \"{f}\" which is not available"
                    )));
                }
            }
            "version" => {
                if version_seen {
                    return fail("requires", "Version may only be specified once");
                }
                version_seen = true;
                let mut any = false;
                for alt in arg.split('|') {
                    let toks: Vec<&str> = alt.split_whitespace().collect();
                    if toks.is_empty() || !toks.len().is_multiple_of(2) {
                        return fail("requires", format!("invalid version requirement \"{arg}\""));
                    }
                    let mut all = true;
                    for pair in toks.chunks(2) {
                        let want = parse_version(pair[1]).ok_or_else(|| Failure {
                            keyword: Some("requires".into()),
                            reason: format!("invalid version \"{}\"", pair[1]),
                            silent: false,
                        })?;
                        let have = SURICATA_VERSION;
                        let ok = match pair[0] {
                            ">=" => have >= want,
                            ">" => have > want,
                            "<=" => have <= want,
                            "<" => have < want,
                            "=" | "==" => have == want,
                            op => {
                                return fail(
                                    "requires",
                                    format!("invalid version operator \"{op}\""),
                                )
                            }
                        };
                        all &= ok;
                    }
                    any |= all;
                }
                if !any {
                    return Err(skip(format!(
                        "requires version {} which is not met",
                        arg.trim()
                    )));
                }
            }
            other => {
                return Err(skip(format!("Unknown requires keyword: {other}")));
            }
        }
    }
    Ok(())
}

/// Last content of the rule in any buffer (what `fast_pattern` applies to).
fn last_content_anywhere(rule: &Rule, skip_payload: bool) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    for (bi, b) in rule.buffers.iter().enumerate() {
        if skip_payload && b.buffer == "payload" {
            continue;
        }
        for (mi, m) in b.matches.iter().enumerate() {
            if let Match::Content(c) = m {
                if best.is_none_or(|(_, _, o)| c.option_index > o) {
                    best = Some((bi, mi, c.option_index));
                }
            }
        }
    }
    best.map(|(b, m, _)| (b, m))
}

/// Flow direction and keyword directions must agree.
fn check_directions(rule: &Rule) -> Result<(), Failure> {
    use crate::keywords::{direction, pcre_flag_direction, Dir};
    let mut to_server = false;
    let mut to_client = false;
    for o in &rule.options {
        let d = match (&o.value, o.keyword) {
            (OptionValue::Words(w), "flow") => {
                for x in w {
                    match x.as_str() {
                        "to_server" | "from_client" => to_server = true,
                        "to_client" | "from_server" => to_client = true,
                        _ => {}
                    }
                }
                None
            }
            (OptionValue::Pcre(p), _) => p.buffer.and_then(pcre_flag_direction),
            (_, kw) => direction(kw),
        };
        match d {
            Some(Dir::ToServer) => to_server = true,
            Some(Dir::ToClient) => to_client = true,
            None => {}
        }
        if to_server && to_client {
            return fail(
                o.keyword,
                format!(
                    "rule {} mixes keywords with conflicting directions",
                    rule.sid
                ),
            );
        }
    }
    Ok(())
}

/// App-layer protocols whose parsers carry files (file.data and friends).
const FILE_PROTOCOLS: &[&str] = &["http", "http1", "http2", "smtp", "smb", "nfs", "ftp-data"];

fn check_file_data(rule: &Rule, app: Option<&str>) -> Result<(), Failure> {
    // The checks belong to the file.data keyword (not http.response_body,
    // which shares its buffer).
    if !rule.options.iter().any(|o| o.keyword == "file.data") {
        return Ok(());
    }
    if matches!(rule.proto, Protocol::Udp | Protocol::Icmp | Protocol::Sctp) {
        return fail(
            "file.data",
            "The 'file_data' keyword cannot be used with non-TCP protocols",
        );
    }
    if let Some(a) = app {
        if !FILE_PROTOCOLS.contains(&a) {
            return fail(
                "file.data",
                format!("The 'file_data' keyword cannot be used with TCP protocol {a}"),
            );
        }
    }
    Ok(())
}

/// Packet keywords (dsize, ttl, flags, ...) cannot be mixed with app-layer
/// inspection (sticky buffers, http modifiers, app-layer keywords).
fn check_packet_vs_app(rule: &Rule) -> Result<(), Failure> {
    if rule.proto == Protocol::TcpPkt {
        if let Some(b) = rule
            .buffers
            .iter()
            .find(|b| !keywords::is_packet_buffer(b.buffer))
        {
            return fail(b.buffer, "Signature combines packet specific matches with stream / state matching (tcp-pkt with an app-layer buffer)");
        }
    }
    if rule.proto == Protocol::TcpStream {
        if let Some(o) = rule
            .options
            .iter()
            .find(|o| keywords::is_packet_keyword(o.keyword))
        {
            return fail(o.keyword, "can't mix packet keywords with tcp-stream or flow:only_stream.  Invalidating signature.");
        }
    }
    let Some(pk) = rule
        .options
        .iter()
        .find(|o| keywords::is_packet_keyword(o.keyword))
    else {
        return Ok(());
    };
    let app_buffer = rule
        .buffers
        .iter()
        .any(|b| !keywords::is_packet_buffer(b.buffer));
    let app_keyword = rule.options.iter().any(|o| {
        o.keyword == "app-layer-event"
            || keywords::lookup(o.keyword).is_some_and(|k| !k.app.is_empty())
    });
    if app_buffer || app_keyword {
        return fail(pk.keyword, "Signature combines packet specific matches (like dsize, flags, ttl) with stream / state matching by matching on app layer proto (like using http_* keywords).");
    }
    Ok(())
}

/// Switching buffers after a transform that no match followed fails.
fn check_transforms_followed(rule: &Rule, st: &State) -> Result<(), Failure> {
    let Some(b) = st.current.and_then(|c| rule.buffers.get(c)) else {
        return Ok(());
    };
    let Some(&last_t) = b.transforms.iter().max() else {
        return Ok(());
    };
    let followed = b.matches.iter().any(|m| match m {
        Match::Content(c) => c.option_index > last_t,
        Match::Option(i) => *i > last_t,
    });
    if !followed {
        return fail(b.buffer, "no matches following transform(s)");
    }
    Ok(())
}

/// Whether the rule is tied to one flow direction.
fn has_direction(rule: &Rule) -> bool {
    rule.options.iter().any(|o| match (&o.value, o.keyword) {
        (OptionValue::Words(w), "flow") => w.iter().any(|x| {
            matches!(
                x.as_str(),
                "to_server" | "from_client" | "to_client" | "from_server"
            )
        }),
        (OptionValue::Pcre(p), _) => p.buffer.and_then(keywords::pcre_flag_direction).is_some(),
        (_, kw) => keywords::direction(kw).is_some(),
    })
}

/// An empty list created by transforms placed after the matches of the same
/// buffer (Suricata accepts such trailing transforms).
fn trailing_transform_list(rule: &Rule, b: &BufferMatches) -> bool {
    !b.transforms.is_empty()
        && rule
            .buffers
            .iter()
            .any(|o| o.buffer == b.buffer && !o.matches.is_empty())
}
