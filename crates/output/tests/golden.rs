//! Golden records: flows rebuilt from the packets of real captures must give the very
//! lines Suricata 7.0.10 wrote for them (flow ids aside: Suricata's are seeded at
//! random). Every record kind is also validated against Suricata's EVE JSON schema.

use std::net::IpAddr;
use std::path::PathBuf;

use palisade_decode::{IcmpInfo, IpInfo, Packet, TcpInfo, UdpInfo, L4};
use palisade_flow::{FlowConfig, FlowRecord, FlowTable, Timestamp};
use palisade_output::{
    write_anomaly, write_anomaly_applayer, write_flow, write_netflow, write_stats, AnomalyKind,
    JsonBuf, PacketHeader, PktSrc, StatValue,
};

static FRAME: [u8; 2048] = [0u8; 2048];

fn data(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn ts_of(secs: u64, usecs: u32) -> Timestamp {
    Timestamp::new(secs, usecs * 1000)
}

fn ip(src: IpAddr, dst: IpAddr, proto: u8, ttl: u8) -> IpInfo {
    IpInfo {
        version: if src.is_ipv4() { 4 } else { 6 },
        src,
        dst,
        proto,
        ttl,
        offset: 14,
        hlen: if src.is_ipv4() { 20 } else { 40 },
        total_len: 0,
    }
}

fn icmp(
    src: IpAddr,
    dst: IpAddr,
    v6: bool,
    itype: u8,
    ttl: u8,
    len: usize,
    t: Timestamp,
) -> Packet<'static> {
    let mut p = Packet::new(&FRAME[..len], t);
    p.ip = Some(ip(src, dst, if v6 { 58 } else { 1 }, ttl));
    let info = IcmpInfo {
        itype,
        code: 0,
        id: 1,
        seq: 1,
        embedded: None,
    };
    p.l4 = if v6 {
        L4::Icmpv6(info)
    } else {
        L4::Icmpv4(info)
    };
    p
}

fn flush(t: &mut FlowTable) -> Vec<FlowRecord> {
    let mut v = Vec::new();
    t.flush_all(&mut |r| v.push(r));
    v
}

/// The flow and netflow lines of a record, with the record's timestamp taken from the
/// expected output (Suricata prints its clock at logging time there).
fn render(rec: &FlowRecord, now: Timestamp) -> Vec<String> {
    let mut j = JsonBuf::new();
    let mut out = Vec::new();
    write_flow(&mut j, rec, now);
    j.close_all();
    out.push(j.as_str().to_string());
    for to_client in [false, true] {
        if write_netflow(&mut j, rec, now, to_client) {
            j.close_all();
            out.push(j.as_str().to_string());
        }
    }
    out
}

/// Expected lines with Suricata's flow id replaced by ours.
fn expected(file: &str, our_id: u64) -> Vec<String> {
    data(file)
        .lines()
        .map(|l| {
            let start = l.find("\"flow_id\":").unwrap() + 10;
            let end = start + l[start..].find(',').unwrap();
            format!("{}{}{}", &l[..start], our_id, &l[end..])
        })
        .collect()
}

fn record_ts(file: &str) -> Timestamp {
    // "timestamp":"2009-07-02T19:41:58.226354+0000" -> we only need the value back in
    // our format, so parse the fields.
    let l = data(file);
    let v: serde_json::Value = serde_json::from_str(l.lines().next().unwrap()).unwrap();
    let s = v["timestamp"].as_str().unwrap();
    let (date, time) = s.split_at(10);
    let d: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let hms: Vec<&str> = time[1..16].split([':', '.']).collect();
    let (h, m, sec, us): (i64, i64, i64, u32) = (
        hms[0].parse().unwrap(),
        hms[1].parse().unwrap(),
        hms[2].parse().unwrap(),
        hms[3].parse().unwrap(),
    );
    // days from civil (test-side copy, independent of the crate's civil_from_days)
    let (y, mo, dd) = (d[0], d[1], d[2]);
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    ts_of((days * 86_400 + h * 3600 + m * 60 + sec) as u64, us)
}

#[test]
fn golden_icmp_echo() {
    let a: IpAddr = "192.168.100.138".parse().unwrap();
    let b: IpAddr = "192.168.100.1".parse().unwrap();
    let pkts = [
        (1246563718, 226354, true),
        (1246563718, 227130, false),
        (1246563719, 224913, true),
        (1246563719, 227308, false),
        (1246563720, 224939, true),
        (1246563720, 227123, false),
        (1246563721, 224968, true),
        (1246563721, 230146, false),
    ];
    let mut t = FlowTable::new(FlowConfig::default());
    for (s, us, req) in pkts {
        let ts = ts_of(s, us);
        let p = if req {
            icmp(a, b, false, 8, 128, 74, ts)
        } else {
            icmp(b, a, false, 0, 255, 74, ts)
        };
        t.lookup_or_create(&p, ts).unwrap();
    }
    let recs = flush(&mut t);
    assert_eq!(recs.len(), 1);
    let got = render(&recs[0], record_ts("icmp_echo.eve.json"));
    assert_eq!(got, expected("icmp_echo.eve.json", recs[0].flow.id));
}

#[test]
fn golden_icmpv6_neighbor_solicitation() {
    let a: IpAddr = "fe80::6600:6aff:fe5b:8f4a".parse().unwrap();
    let b: IpAddr = "fe80::223:55ff:fe9c:7326".parse().unwrap();
    let mut t = FlowTable::new(FlowConfig::default());
    let t1 = ts_of(1536669413, 205684);
    let t2 = ts_of(1536669413, 205949);
    t.lookup_or_create(&icmp(a, b, true, 135, 255, 86, t1), t1)
        .unwrap();
    t.lookup_or_create(&icmp(b, a, true, 136, 255, 78, t2), t2)
        .unwrap();
    let recs = flush(&mut t);
    let got = render(&recs[0], record_ts("icmpv6_ns.eve.json"));
    assert_eq!(got, expected("icmpv6_ns.eve.json", recs[0].flow.id));
}

#[test]
fn golden_tcp_http_flow() {
    let client: IpAddr = "172.16.4.68".parse().unwrap();
    let server: IpAddr = "172.16.16.4".parse().unwrap();
    let mut t = FlowTable::new(FlowConfig::default());
    let mut handle = None;
    for line in data("lotusnotes_tcp.txt").lines() {
        let f: Vec<u64> = line
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        let ts = ts_of(f[0], f[1] as u32);
        let to_server = f[2] == 0;
        let (src, dst, sp, dp) = if to_server {
            (client, server, 1281, 80)
        } else {
            (server, client, 80, 1281)
        };
        let mut p = Packet::new(&FRAME[..f[3] as usize], ts);
        p.ip = Some(ip(src, dst, 6, f[5] as u8));
        p.l4 = L4::Tcp(TcpInfo {
            seq: f[6] as u32,
            ack: 0,
            flags: f[4] as u8,
            window: 0,
            hlen: 20,
        });
        p.sp = sp;
        p.dp = dp;
        handle = Some(t.lookup_or_create(&p, ts).unwrap().0);
    }
    // what the app layer would have set
    t.get_mut(handle.unwrap()).unwrap().app_proto = "http";
    let recs = flush(&mut t);
    assert_eq!(recs.len(), 1);
    let got = render(&recs[0], record_ts("lotusnotes_tcp.eve.json"));
    assert_eq!(got, expected("lotusnotes_tcp.eve.json", recs[0].flow.id));
}

fn schema() -> jsonschema::Validator {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/suricata-verify/schema-7.0.10.json");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let s: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&s).expect("schema compiles")
}

fn check(v: &jsonschema::Validator, line: &str) {
    let inst: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    let errors: Vec<String> = v
        .iter_errors(&inst)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{line}\n{errors:#?}");
}

fn udp(src: IpAddr, sp: u16, dst: IpAddr, dp: u16, t: Timestamp) -> Packet<'static> {
    let mut p = Packet::new(&FRAME[..100], t);
    p.ip = Some(ip(src, dst, 17, 64));
    p.l4 = L4::Udp(UdpInfo { len: 66 });
    p.sp = sp;
    p.dp = dp;
    p
}

#[test]
fn every_record_kind_validates_against_the_schema() {
    let v = schema();
    let a: IpAddr = "10.0.0.1".parse().unwrap();
    let b: IpAddr = "10.0.0.2".parse().unwrap();
    let a6: IpAddr = "2001:db8::1".parse().unwrap();
    let b6: IpAddr = "2001:db8::2".parse().unwrap();
    let t0 = ts_of(1_700_000_000, 1);
    let mut t = FlowTable::new(FlowConfig::default());
    let mut packets = Vec::new();
    // UDP with VLANs, both directions
    let mut p = udp(a, 5000, b, 53, t0);
    p.vlan = [10, 20, 0];
    p.vlan_count = 2;
    packets.push(p.clone());
    let mut r = udp(b, 53, a, 5000, t0);
    r.vlan = [10, 20, 0];
    r.vlan_count = 2;
    packets.push(r);
    // TCP handshake
    for (s, d, sp, dp, fl) in [
        (a, b, 4000, 80, 0x02),
        (b, a, 80, 4000, 0x12),
        (a, b, 4000, 80, 0x10),
    ] {
        let mut p = Packet::new(&FRAME[..60], t0);
        p.ip = Some(ip(s, d, 6, 64));
        p.l4 = L4::Tcp(TcpInfo {
            seq: 1,
            ack: 0,
            flags: fl,
            window: 0,
            hlen: 20,
        });
        p.sp = sp;
        p.dp = dp;
        packets.push(p);
    }
    // TCP without a session (starts with a bare ACK)
    let mut p = Packet::new(&FRAME[..60], t0);
    p.ip = Some(ip(a, b, 6, 64));
    p.l4 = L4::Tcp(TcpInfo {
        seq: 1,
        ack: 0,
        flags: 0x10,
        window: 0,
        hlen: 20,
    });
    p.sp = 5555;
    p.dp = 443;
    packets.push(p);
    packets.push(icmp(a, b, false, 8, 64, 98, t0));
    packets.push(icmp(a6, b6, true, 128, 64, 118, t0));
    packets.push(icmp(b6, a6, true, 129, 64, 118, t0));
    // ESP
    let mut esp = Packet::new(&FRAME[..80], t0);
    esp.ip = Some(ip(a, b, 50, 64));
    esp.l4 = L4::Other;
    packets.push(esp);
    for p in &packets {
        t.lookup_or_create(p, t0).unwrap();
    }
    let mut lines = Vec::new();
    let mut j = JsonBuf::new();
    for rec in flush(&mut t) {
        lines.extend(render(&rec, t0));
    }
    assert!(lines.len() >= 14, "{lines:#?}");
    // anomalies
    let h = PacketHeader::from_packet(&packets[0], Some(42), 7, PktSrc::Wire);
    write_anomaly(&mut j, &h, AnomalyKind::Decode, "ipv4.trunc_pkt");
    j.close_all();
    assert!(j
        .as_str()
        .contains(r#""anomaly":{"type":"decode","event":"decoder.ipv4.trunc_pkt"}"#));
    lines.push(j.as_str().to_string());
    let h6 = PacketHeader::from_packet(&packets[7], None, 9, PktSrc::DecoderIpv4);
    write_anomaly(
        &mut j,
        &h6,
        AnomalyKind::Stream,
        "3whs_synack_in_wrong_direction",
    );
    j.close_all();
    lines.push(j.as_str().to_string());
    write_anomaly_applayer(
        &mut j,
        &h,
        "ike",
        "weak_crypto_auth",
        "proto_parser",
        Some(0),
    );
    j.close_all();
    lines.push(j.as_str().to_string());
    let nonip = Packet::new(&FRAME[..42], t0);
    write_anomaly(
        &mut j,
        &PacketHeader::from_packet(&nonip, None, 1, PktSrc::Wire),
        AnomalyKind::Decode,
        "ethernet.pkt_too_small",
    );
    j.close_all();
    lines.push(j.as_str().to_string());
    // stats
    let mut names = Vec::new();
    t.for_each(|n, v| names.push((n, v)));
    write_stats(
        &mut j,
        t0,
        12,
        [
            ("decoder.pkts", StatValue::U64(10)),
            ("decoder.event.ipv4.trunc_pkt", StatValue::U64(1)),
        ]
        .into_iter()
        .chain(names.iter().map(|&(n, v)| (n, StatValue::U64(v)))),
    );
    j.close_all();
    lines.push(j.as_str().to_string());
    for l in &lines {
        check(&v, l);
    }
}

#[test]
fn schema_check_can_fail() {
    let v = schema();
    let inst: serde_json::Value = serde_json::from_str(
        r#"{"timestamp":"x","event_type":"flow","flow":{"pkts_toserver":"1"}}"#,
    )
    .unwrap();
    assert!(!v.is_valid(&inst));
    let inst: serde_json::Value =
        serde_json::from_str(r#"{"timestamp":"x","event_type":"flow","no_such_field":1}"#).unwrap();
    assert!(!v.is_valid(&inst));
}

/// Anomaly lines as Suricata 7.0.10 wrote them (decode events enabled), for packets
/// described field by field.
#[test]
fn golden_anomaly_records() {
    let vlan: [u16; 0] = [];
    // frag-30.pcap packet 4: ICMPv6 MLD report with a zero-length PadN option
    let h = PacketHeader {
        ts: ts_of(1536669664, 60155),
        flow_id: Some(258367216829453),
        pcap_cnt: 4,
        vlan: &vlan,
        ip: Some((
            "fe80::223:55ff:fe9c:7326".parse().unwrap(),
            "ff02::16".parse().unwrap(),
        )),
        proto: 58,
        sp: 0,
        dp: 0,
        icmp: Some((143, 0)),
        pkt_src: PktSrc::Wire,
    };
    let mut j = JsonBuf::new();
    write_anomaly(&mut j, &h, AnomalyKind::Decode, "ipv6.zero_len_padn");
    j.close_all();
    assert_eq!(
        j.as_str(),
        r#"{"timestamp":"2018-09-11T12:41:04.060155+0000","flow_id":258367216829453,"pcap_cnt":4,"event_type":"anomaly","src_ip":"fe80:0000:0000:0000:0223:55ff:fe9c:7326","dest_ip":"ff02:0000:0000:0000:0000:0000:0000:0016","proto":"IPv6-ICMP","icmp_type":143,"icmp_code":0,"pkt_src":"wire/pcap","anomaly":{"type":"decode","event":"decoder.ipv6.zero_len_padn"}}"#
    );
    // ipsec_isakmp_esp.pcap packet 16: IKE parser event on a transaction
    let h = PacketHeader {
        ts: ts_of(946744635, 60000),
        flow_id: Some(1102123048694098),
        pcap_cnt: 16,
        vlan: &vlan,
        ip: Some((
            "192.168.2.100".parse().unwrap(),
            "109.237.187.193".parse().unwrap(),
        )),
        proto: 17,
        sp: 10500,
        dp: 500,
        icmp: None,
        pkt_src: PktSrc::Wire,
    };
    write_anomaly_applayer(
        &mut j,
        &h,
        "ike",
        "weak_crypto_auth",
        "proto_parser",
        Some(0),
    );
    j.close_all();
    assert_eq!(
        j.as_str(),
        r#"{"timestamp":"2000-01-01T16:37:15.060000+0000","flow_id":1102123048694098,"pcap_cnt":16,"event_type":"anomaly","src_ip":"192.168.2.100","src_port":10500,"dest_ip":"109.237.187.193","dest_port":500,"proto":"UDP","pkt_src":"wire/pcap","tx_id":0,"anomaly":{"app_proto":"ike","type":"applayer","event":"weak_crypto_auth","layer":"proto_parser"}}"#
    );
}
