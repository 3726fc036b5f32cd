//! Whole-rule tests: each rule is parsed and must load or fail as it does in
//! Suricata 7.0.10 (verdicts checked by hand against `suricata -T`).

use super::*;

fn ctx() -> RuleContext {
    let mut c = RuleContext::default();
    c.set_var(
        "vars.address-groups.HOME_NET",
        "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]",
    );
    c.set_var("vars.address-groups.EXTERNAL_NET", "!$HOME_NET");
    c.set_var("vars.port-groups.HTTP_PORTS", "80");
    c
}

const H: &str = "alert tcp any any -> any any";

#[test]
fn verdicts() {
    // (options, loads?)
    let cases: &[(&str, bool)] = &[
        (r#"msg:"a\;b"; content:"x|3b|y"; sid:2;"#, true),
        (r#"msg:"x"; content:abc; sid:3;"#, false),
        (r#"msg:"x"; content:"a\x"; sid:4;"#, false),
        (r#"msg:"x"; content:"a\:b\"c\\d"; sid:5;"#, true),
        (r#"msg:"x"; content:!"abc"; sid:6;"#, true),
        (r#"msg:"x"; content: ! "abc"; sid:7;"#, true),
        (r#"msg:"x"; content:"|4"; sid:8;"#, false),
        (r#"msg:"x"; content:""; sid:11;"#, false),
        (r#"msg:x; sid:12;"#, false),
        (r#"msg:"x"; sid:0;"#, false),
        (r#"msg:"x"; sid:4294967295;"#, false),
        (r#"msg:"x"; sid:4294967294;"#, true),
        (
            r#"msg:"x"; content:"a"; content:"b"; nocase; depth:0;  sid:21;"#,
            false,
        ),
        (r#"msg:"x"; content:"a"; sid:25; msg:"y";"#, false),
        (r#"msg:"x"; CONTENT:"a"; sid:26;"#, true),
        (
            r#"msg:"x"; content:"a"; distance:0; nocase; nocase; sid:27;"#,
            false,
        ),
        (r#"msg:"x"; sid:33; classtype:foo;"#, true),
        (r#"msg:"x"; sid:36; rev:0;"#, false),
        (
            r#"msg:"x"; content:"a"; http.uri; nocase; content:"b"; sid:7;"#,
            false,
        ),
        (r#"msg:"x"; http.uri; content:"a"; http_uri; sid:9;"#, false),
        (
            r#"msg:"x"; content:"a"; http_uri; content:"b"; http_uri; distance:0; sid:8;"#,
            true,
        ),
        (
            r#"msg:"x"; content:"a"; depth:1; distance:0; sid:10;"#,
            false,
        ),
        (r#"msg:"x"; content:"ab"; within:1; sid:11;"#, false),
        (r#"msg:"x"; flow:to_server,to_client; sid:12;"#, false),
        (
            r#"msg:"x"; flow:established; flow:to_server; sid:14;"#,
            false,
        ),
        (r#"msg:"x"; dsize:>10; dsize:<5; sid:15;"#, false),
        (
            r#"msg:"x"; content:"a"; fast_pattern; content:"b"; fast_pattern; sid:18;"#,
            false,
        ),
        (
            r#"msg:"x"; content:!"a"; fast_pattern:only; sid:19;"#,
            false,
        ),
        (r#"msg:"x"; http.uri; to_lowercase; sid:21;"#, false),
        (r#"msg:"x"; to_lowercase; content:"a"; sid:22;"#, false),
        (
            r#"msg:"x"; http.uri; content:"a"; to_lowercase; sid:23;"#,
            true,
        ),
        (
            r#"msg:"x"; http.uri; content:"a"; rawbytes; sid:24;"#,
            false,
        ),
        (r#"msg:"x"; pcre:"/a(/"; sid:26;"#, false),
        (r#"msg:"x"; pcre:"/^a/R"; sid:27;"#, false),
        (r#"msg:"x"; content:"b"; pcre:"/^a/R"; sid:9;"#, true),
        (
            r#"msg:"x"; http.uri; content:"x"; pcre:"/a/H"; sid:16;"#,
            false,
        ),
        (r#"msg:"x"; content:"x"; fast_pattern:1,1; sid:17;"#, false),
        (r#"msg:"x"; nocase:1; content:"a"; sid:30;"#, false),
        (r#"msg:"x"; sameip:yes; sid:32;"#, false),
        (r#"msg:"x"; app-layer-event:http.foo_bar; sid:33;"#, true),
        (r#"msg:"x"; app-layer-event:foo.bar; sid:33;"#, false),
        (r#"msg:"x"; decode-event:ipv4.foo; sid:34;"#, false),
        (r#"msg:"x"; decode-event:ipv4.trunc_pkt; sid:34;"#, true),
        (r#"msg:"x"; flowbits:set; sid:35;"#, false),
        (r#"msg:"x"; byte_test:4,>,1; sid:44;"#, false),
        (
            r#"msg:"x"; dns.query; content:"a"; tls.sni; content:"b"; sid:51;"#,
            false,
        ),
        (
            r#"msg:"x"; content:"a"; http_uri; http_header; sid:52;"#,
            false,
        ),
        (
            r#"msg:"x"; file.data; pkt_data; content:"y"; sid:32;"#,
            false,
        ),
        (
            r#"msg:"x"; byte_extract:1,0,v; content:"x"; depth:v; sid:47;"#,
            true,
        ),
        (r#"msg:"x"; content:"x"; depth:v; sid:48;"#, false),
        (
            r#"msg:"x"; threshold:type limit,track by_src,count 1; sid:38;"#,
            false,
        ),
        (r#"msg:"x"; modbus:function 1; sid:1;"#, false),
        (r#"msg:"x"; unknownkw; sid:1;"#, false),
        (r#"msg:"x";"#, false),
        (r#"msg:"x"; flags:S; sid:1;"#, true),
        (r#"msg:"x"; udp.hdr; content:"a"; sid:10;"#, false),
        (r#"msg:"x"; tcp.hdr; content:"a"; sid:10;"#, true),
        (r#"msg:"x"; sid:19; priority:foo;"#, false),
        (r#"msg:"x"; sid:20; target:foo;"#, false),
        (r#"msg:"x"; sid:22; metadata:;"#, false),
        (r#"msg:"x"; sid:23; classtype:a b;"#, false),
        (r#"msg:"x"; sid:24; ttl:256;"#, false),
        (r#"msg:"x"; sid:26; ipopts:foo;"#, false),
        (r#"msg:"x"; sid:27; ip_proto:300;"#, false),
        (
            r#"msg:"x"; sid:29; app-layer-protocol:http; app-layer-protocol:dns;"#,
            false,
        ),
        (
            r#"msg:"x"; sid:29; app-layer-protocol:!http; app-layer-protocol:!dns;"#,
            true,
        ),
        (r#"msg:"x"; sid:35; ssl_version:foo;"#, false),
        (r#"msg:"x"; sid:36; dns.opcode:foo;"#, false),
        (r#"msg:"x"; sid:37; http2.frametype:FOO;"#, false),
        (r#"msg:"x"; sid:37; http2.frametype:HEADERS;"#, true),
        (r#"msg:"x"; sid:38; tos:300;"#, false),
        (r#"msg:"x"; sid:39; dcerpc.iface:foo;"#, false),
        (
            r#"msg:"x"; sid:39; dcerpc.iface:4b324fc8-1670-01d3-1278-5a47bf6ee188,>3;"#,
            true,
        ),
        (r#"msg:"x"; sid:41; base64_data; content:"a";"#, false),
        (
            r#"msg:"x"; sid:42; content:"a"; base64_decode:bytes 5; base64_data; content:"a";"#,
            true,
        ),
        (
            r#"msg:"x"; file.data; strip_whitespace; content:"a b"; sid:1;"#,
            false,
        ),
        (
            r#"msg:"x"; file.data; to_lowercase; content:"aB"; sid:1;"#,
            false,
        ),
        (
            r#"msg:"x"; http.uri; content:"abcdefgh"; bsize:<8; sid:1;"#,
            true,
        ),
        (
            r#"msg:"x"; http.uri; content:"abcdefgh"; bsize:>1024; sid:1;"#,
            true,
        ),
        (r#"msg:"x"; content:" "; within:-1048577; sid:2;"#, false),
        (r#"msg:"x"; content:" "; within:-1048576; sid:2;"#, false),
        (r#"msg:"x"; content:"a"; depth:1048576; sid:2;"#, false),
        (
            r#"msg:"x"; dsize:10; content:"aaaa"; depth:12; content:"bbbbbbb"; distance:0; sid:9;"#,
            false,
        ),
        (
            r#"msg:"x"; dsize:<10; content:"aaaa"; content:"bbbbbbb"; sid:6;"#,
            true,
        ),
        (r#"msg:"x"; content:"ABC"; http_host; sid:12;"#, false),
        (r#"msg:"x"; http.host.raw; content:"ABC"; sid:13;"#, true),
        (
            r#"msg:"x"; content:"first"; content:!"second"; fast_pattern; distance:6; sid:15;"#,
            false,
        ),
        (r#"msg:"x"; http.request_body; pcre:"/a/R"; sid:17;"#, true),
        (r#"msg:"x"; pcre:/a/i; sid:2;"#, true),
        (r#"msg:"x"; pcre:"/gid=(\d+)/, flow:gid"; sid:3;"#, true),
        (r#"msg:"x"; iprep:any,BadHosts,>,30; sid:1;"#, false),
        (r#"msg:"x"; requires: version >= 7; sid:2;"#, true),
        (r#"msg:"x"; requires: version >= 7.0.10; sid:6;"#, true),
        (
            r#"msg:"x"; requires: version < 8, version >= 7; sid:8;"#,
            false,
        ),
        (r#"msg:"x"; requires: version >= 7 | < 6; sid:9;"#, true),
        (r#"msg:"x"; requires: feature ja4; sid:9;"#, true),
        (r#"msg:"x"; lua:test.lua; sid:9;"#, false),
        (r#"msg:"x"; content:"a"; depth:65535; sid:1;"#, true),
        (r#"msg:"x"; content:"a"; depth:65536; sid:2;"#, false),
        (r#"msg:"x"; content:"a"; distance:65536; sid:4;"#, true),
        (
            r#"msg:"x"; content:"a"; startswith; startswith; sid:6;"#,
            false,
        ),
        (r#"msg:"x"; content:"a"; endswith; endswith; sid:7;"#, true),
        (
            r#"msg:"x"; http.request_body; content:"a"; http.method; depth:5; sid:8;"#,
            false,
        ),
        (
            r#"msg:"x"; http.request_body; content:"a"; http.method; fast_pattern; pcre:"/x/"; sid:10;"#,
            true,
        ),
        (
            r#"msg:"x"; flow:to_client; http.uri; content:"a"; sid:14;"#,
            false,
        ),
        (
            r#"msg:"x"; http.uri; content:"a"; http.stat_code; content:"2"; sid:16;"#,
            false,
        ),
        (
            r#"msg:"x"; flow:to_server; http.response_body; content:"a"; sid:37;"#,
            true,
        ),
        (
            r#"msg:"x"; flow:to_client; content:"a"; http_uri; sid:40;"#,
            false,
        ),
        (r#"msg:"x"; bsize:5; sid:25;"#, false),
        (
            r#"msg:"x"; ja3.hash; content:"e107ef256ec0296e17c3f82de949b4066c"; sid:27;"#,
            false,
        ),
        (
            r#"msg:"x"; ja3.hash; content:"e107ef256ec0296e17c3f82de949b406"; sid:27;"#,
            true,
        ),
        (
            r#"msg:"x"; content:"a"; fast_pattern; http.uri; content:"b"; fast_pattern; sid:1;"#,
            false,
        ),
        (
            r#"msg:"x"; http.uri; content:"a"; fast_pattern; content:"b"; fast_pattern; sid:2;"#,
            true,
        ),
        (
            r#"msg:"x"; file_data; content:"a"; file_data; within:30; sid:3;"#,
            false,
        ),
        (r#"msg:"x"; http.uri; content:"a"; http.uri; sid:4;"#, true),
        (
            r#"msg:"x"; dns.query; content:"a"; dns.query; sid:4;"#,
            false,
        ),
        (
            r#"msg:"x"; http.uri; http.method; content:"a"; sid:7;"#,
            false,
        ),
        (
            r#"msg:"x"; urilen:13; http.uri; http.method; content:"a"; sid:7;"#,
            true,
        ),
        (
            r#"msg:"x"; dns.query; dotprefix; content:".a"; dotprefix; sid:9;"#,
            false,
        ),
        (
            r#"msg:"x"; dns.query; content:".a"; to_lowercase; to_lowercase; sid:11;"#,
            true,
        ),
        (
            r#"msg:"x"; content:"a"; tls.sni; fast_pattern; content:"b"; sid:13;"#,
            false,
        ),
        (
            r#"msg:"x"; threshold:type limit,track by_src,count 0,seconds 60; sid:14;"#,
            true,
        ),
        (r#"msg:"x"; flow:to_client; flow:to_client; sid:15;"#, true),
        (
            r#"msg:"x"; flow:established; flow:established; sid:16;"#,
            false,
        ),
        (
            r#"msg:"x"; flow:to_client; flow:established,to_client; sid:17;"#,
            true,
        ),
        (r#"msg:"x"; flow:to_client; flow:to_server; sid:17;"#, false),
        (
            r#"msg:"x"; http.header; content:"a"; base64_decode; base64_data; content:"b"; http.uri; content:"c"; sid:18;"#,
            false,
        ),
        (
            r#"msg:"x"; http.header; content:"a"; base64_decode; base64_data; content:"b"; pkt_data; content:"c"; sid:19;"#,
            true,
        ),
        (r#"msg:"x"; dsize:5; http.uri; content:"a"; sid:1;"#, false),
        (r#"msg:"x"; dsize:5; content:"a"; sid:14;"#, true),
        (r#"msg:"x"; ip_proto:6; sid:14;"#, false),
        (
            r#"msg:"x"; flow:to_server,established,no_stream; flow:to_server,established,no_stream; sid:3;"#,
            true,
        ),
        (
            r#"msg:"x"; http.cookie; app-layer-event:http.request_field_too_long; content:"a"; sid:6;"#,
            false,
        ),
        (r#"msg:"x"; pcre:"/a/UR"; sid:22;"#, false),
        (
            r#"msg:"x"; urilen:0; http.uri; content:"abc"; sid:21;"#,
            true,
        ),
        (
            r#"msg:"x"; http.method; urilen:1; content:"GET"; sid:21;"#,
            false,
        ),
        (r#"msg:"x"; http.method; content:" GET"; sid:1;"#, false),
        (r#"msg:"x"; content:"GET "; http_method; sid:3;"#, false),
        (r#"msg:"x"; http.header.raw; content:"a"; sid:9;"#, false),
        (
            r#"msg:"x"; flow:to_server; http.header.raw; content:"a"; sid:9;"#,
            true,
        ),
        (r#"msg:"x"; dsize:<1; content:"ab"; sid:7;"#, false),
        (r#"msg:"x"; dsize:<2; content:"ab"; sid:7;"#, true),
        (r#"msg:"x"; flowint:a,+,-1; sid:7;"#, false),
        (
            r#"msg:"x"; content:"a"; byte_test:2,<,256x21,0,relative,string,hex; sid:7;"#,
            true,
        ),
        (
            r#"msg:"x"; dns.query; content:"a"; dns.query; isdataat:!1,relative; sid:2;"#,
            false,
        ),
        (
            r#"msg:"x"; tls.sni; bsize:13; dotprefix; content:".secure.onedns.cc"; sid:2;"#,
            true,
        ),
        (
            r#"msg:"x"; dns.query; content:"rs-"; dotprefix; dns.query; content:".x"; sid:10;"#,
            false,
        ),
        (
            r#"msg:"x"; dns.query; content:"rs-"; dotprefix; sid:11;"#,
            true,
        ),
        (
            r#"msg:"x"; content:"a"; byte_jump:1,-65536,relative; sid:4;"#,
            false,
        ),
        (
            r#"msg:"x"; content:"a"; byte_extract:1,65536,x,relative; sid:5;"#,
            false,
        ),
        (
            r#"msg:"x"; content:"a"; isdataat:!65536,relative; sid:6;"#,
            false,
        ),
        (r#"msg:"x"; content:"abc"; within:-1; sid:8;"#, false),
        (
            r#"msg:"x"; content:"a"; target:src_ip; target:src_ip; sid:9;"#,
            true,
        ),
        (
            r#"msg:"x"; content:"a"; target:src_ip; target:dest_ip; sid:9;"#,
            false,
        ),
        (
            r#"msg:"x"; urilen:5; content:"abcdefgh"; http_uri; sid:15;"#,
            false,
        ),
        (
            r#"msg:"x"; http.method; content:"POST"; bsize:4; content:"/wp-admin/admin-ajax.php"; sid:1;"#,
            true,
        ),
        (
            r#"msg:"x"; http.method; content:"/wp-admin/admin-ajax.php"; content:"POST"; bsize:4; sid:4;"#,
            false,
        ),
        (
            r#"msg:"x"; http.method; content:"AB"; content:"CD"; distance:0; content:"EFG"; bsize:3; sid:11;"#,
            false,
        ),
        (
            r#"msg:"x"; threshold:type limit,track by_src,count 1,seconds 5; http.method; content:"a"; threshold:type limit,track by_src,count 1,seconds 5; sid:12;"#,
            true,
        ),
        (
            r#"msg:"x"; threshold:type limit,track by_src,count 1,seconds 5; content:"a"; threshold:type limit,track by_src,count 1,seconds 5; sid:13;"#,
            false,
        ),
        (
            r#"msg:"x"; http.uri; content:"/inc_listnews.asp?"; content:"CAT_ID="; bsize:20; content:"UPDATE"; content:"SET"; distance:0; sid:1;"#,
            false,
        ),
    ];
    let c = ctx();
    for (opts, ok) in cases {
        let text = format!("{H} ({opts})");
        let r = parse_rule(&text, &c);
        // A silently dropped rule is not a failure for Suricata.
        let not_failed = match &r {
            Ok(_) => true,
            Err(e) => e.silent,
        };
        assert_eq!(not_failed, *ok, "{text}: {r:?}");
    }
}

#[test]
fn header_and_vars() {
    let c = ctx();
    let r = parse_rule(
        r#"alert http $EXTERNAL_NET any -> $HOME_NET $HTTP_PORTS (msg:"m"; flow:established,to_server; http.uri; content:"/x"; nocase; sid:9; rev:3; classtype:trojan-activity; reference:url,example.com; metadata:created_at 2020_01_01, former_category MALWARE;)"#,
        &c,
    )
    .unwrap();
    assert_eq!(r.action, Action::Alert);
    assert_eq!(
        &r.text[r.header_spans[1].start..r.header_spans[1].end],
        "http"
    );
    let uri = r.options_named("http.uri").next().unwrap();
    assert_eq!(&r.text[uri.span.start..uri.span.end], "http.uri;");
    assert_eq!(r.proto, Protocol::App("http".into()));
    assert_eq!(r.sid, 9);
    assert_eq!(r.rev, 3);
    assert_eq!(r.msg.as_deref(), Some("m"));
    assert_eq!(r.metadata.len(), 2);
    assert_eq!(
        (&*r.metadata[1].0, &*r.metadata[1].1),
        ("former_category", "MALWARE")
    );
    assert_eq!(r.references[0].kind, "url");
    assert_eq!(r.buffers.len(), 1);
    assert_eq!(r.buffers[0].buffer, "http.uri");
    match &r.buffers[0].matches[0] {
        Match::Content(ct) => {
            assert_eq!(ct.pattern, b"/x");
            assert!(ct.nocase);
        }
        m => panic!("{m:?}"),
    }
    assert!(parse_rule("alert tcp $NOPE any -> any any (sid:1;)", &c).is_err());
    assert!(parse_rule("alert modbus any any -> any any (sid:1;)", &c).is_err());
    let mut c2 = c.clone();
    c2.app_layer = Some(std::sync::Arc::new(|_| true));
    assert!(parse_rule("alert modbus any any -> any any (sid:1;)", &c2).is_ok());
}

#[test]
fn legacy_modifier_moves_content() {
    let r = parse_rule(
        r#"alert tcp any any -> any any (content:"GET"; http_method; content:"/a"; http_uri; content:"b"; distance:0; sid:1;)"#,
        &ctx(),
    )
    .unwrap();
    let names: Vec<_> = r.buffers.iter().map(|b| b.buffer).collect();
    assert_eq!(names, vec!["http.method", "http.uri", "payload"]);
    assert_eq!(r.app_proto.as_deref(), Some("http"));
}

#[test]
fn loader_dups_and_lines() {
    let text = "alert tcp any any -> any any (msg:\"x\"; \\\n nocase; sid:2;)\n   # comment\n\
                \talert tcp any any -> any any (msg:\"x\"; sid:3; sid:3;)\n\
                alert tcp any any -> any any (msg:\"x\"; sid:3;)\n\
                alert tcp any any -> any any (msg:\"x\"; sid:3;)\n\
                alert tcp any any -> any any (msg:\"x\"; sid:4;)\n\
                alert tcp any any -> any any (msg:\"x\"; sid:4; rev:2;)\n";
    let r = load_rules_str(text, "t.rules", &ctx());
    let lines: Vec<_> = r.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![1, 6]);
    assert_eq!(r.loaded, 3);
    assert_eq!(r.failed, 2);
    assert_eq!(r.rules.len(), 2);
    assert_eq!(r.rules[1].rev, 2);
    assert!(r.errors[0].to_string().starts_with("t.rules:1: nocase: "));
    assert_eq!(
        r.summary(),
        "1 rule files processed. 3 rules successfully loaded, 2 rules failed, 0"
    );
}

#[test]
fn requires_skips_silently() {
    let c = ctx();
    for opts in [
        r#"msg:"x"; requires: version >= 8; sid:1;"#,
        r#"msg:"x"; requires: version >= 7.0.11; sid:7;"#,
        r#"msg:"x"; requires: feature geoip; sid:3;"#,
        r#"msg:"x"; requires: foo bar; sid:5;"#,
        r#"msg:"x"; foo:bar; requires: version >= 8; sid:11;"#,
    ] {
        let e = parse_rule(&format!("{H} ({opts})"), &c).unwrap_err();
        assert!(e.silent, "{opts}: {e:?}");
    }
    let r = load_rules_str(
        "alert tcp any any -> any any (requires: version >= 8; sid:1;)\nalert tcp any any -> any any (sid:2;)\n",
        "f",
        &c,
    );
    assert_eq!((r.loaded, r.failed, r.skipped), (1, 0, 1));
}

#[test]
fn address_and_port_sets() {
    let c = ctx();
    let verdict = |hdr: &str| parse_rule(&format!("alert {hdr} (sid:1;)"), &c).is_ok();
    for (hdr, ok) in [
        ("tcp [1.2.3.4,!1.2.3.4] any -> any any", false),
        ("tcp [1.2.3.0/24,!1.2.3.4] any -> any any", true),
        ("tcp ![1.2.3.0/24,!1.2.3.4] any -> any any", true),
        ("tcp [1.2.3.4,!1.2.3.4,::1] any -> any any", true),
        ("tcp [!1.2.3.4,!::1] any -> any any", true),
        ("tcp [10.0.0.0/8,!$HOME_NET] any -> any any", false),
        ("tcp [1.2.3.0/24,!1.2.0.0/16] any -> any any", false),
        ("tcp any [!80,!81] -> any any", true),
        ("tcp any [1:10,!1:5,!6:10] -> any any", false),
        ("tcp any ![1:10,!5] -> any any", false),
        ("tcp any [0:65535,!0:65535] -> any any", false),
        ("tcp any [80:90,!85] -> any any", true),
        ("udp any any -> any any (file.data; content:\"a\";", false),
    ] {
        let text = if hdr.contains('(') {
            format!("alert {hdr} sid:1;)")
        } else {
            format!("alert {hdr} (sid:1;)")
        };
        let _ = verdict;
        assert_eq!(parse_rule(&text, &c).is_ok(), ok, "{text}");
    }
}

#[test]
fn protocol_variants() {
    let c = ctx();
    for (text, ok) in [
        ("alert tcp-stream any any -> any any (ttl:5; sid:1;)", false),
        (
            "alert tcp-pkt any any -> any any (file.data; content:\"a\"; sid:1;)",
            false,
        ),
        (
            "alert tcp-pkt any any -> any any (flowbits:isset,a; sid:1;)",
            true,
        ),
        (
            "alert ftp any any -> any any (file.data; content:\"a\"; sid:1;)",
            false,
        ),
        (
            "alert smb any any -> any any (app-layer-event:smtp.mime_long_filename; sid:1;)",
            false,
        ),
    ] {
        assert_eq!(parse_rule(text, &c).is_ok(), ok, "{text}");
    }
}

#[test]
fn lists_left_by_urilen() {
    let c = ctx();
    for (opts, ok) in [
        (
            r#"http.method; urilen:1; content:"GET"; http.host; content:"a"; sid:1;"#,
            false,
        ),
        (
            r#"http.method; urilen:18; http.method; content:"GET"; sid:1;"#,
            true,
        ),
        (
            r#"file.data; urilen:33; http.uri; content:"/e"; sid:1;"#,
            false,
        ),
        (
            r#"http.uri; urilen:33; http.header; content:"/e"; sid:1;"#,
            true,
        ),
        (
            r#"http.cookie; app-layer-event:http.request_field_too_long; content:"a"; sid:1;"#,
            false,
        ),
    ] {
        let text = format!("alert http any any -> any any ({opts})");
        assert_eq!(parse_rule(&text, &c).is_ok(), ok, "{text}");
    }
}

#[test]
fn response_body_is_file_data() {
    let c = ctx();
    for (text, ok) in [
        ("alert http any any -> any any (http.response_body; content:\"a\"; file_data; distance:0; sid:9;)", false),
        ("alert http any any -> any any (http.response_body; content:\"a\"; file_data; distance:0; content:\"b\"; sid:9;)", true),
        ("alert http any any -> any any (file_data; content:\"a\"; http.response_body; content:\"b\"; distance:0; sid:10;)", true),
        ("alert icmp any any -> any any (app-layer-event:dns.malformed_data; sid:5;)", false),
    ] {
        assert_eq!(parse_rule(text, &c).is_ok(), ok, "{text}");
    }
}

#[test]
fn more_suricata_limits() {
    let c = ctx();
    for (opts, ok) in [
        (
            r#"http.uri; content:"ab"; content:"c"; within:10; bsize:5; sid:1;"#,
            true,
        ),
        (
            r#"http.uri; content:"ab"; content:!"c"; within:10; bsize:5; sid:3;"#,
            false,
        ),
        (r#"urilen:>65535; sid:6;"#, false),
        (
            r#"http.uri; content:"a"; bsize:>18446744073709551615; sid:11;"#,
            false,
        ),
        (r#"content:!"a"; startswith; fast_pattern; sid:12;"#, false),
        (r#"content:!"a"; endswith; fast_pattern; sid:13;"#, true),
        (r#"content:!"a"; fast_pattern; startswith; sid:14;"#, false),
    ] {
        let text = format!("alert http any any -> any any ({opts})");
        assert_eq!(parse_rule(&text, &c).is_ok(), ok, "{text}");
    }
    for (opts, ok) in [
        ("dsize:>65535; sid:7;", false),
        ("ttl:>255; sid:8;", false),
        ("ttl:<0; sid:9;", false),
        ("dsize:<0; sid:10;", false),
        ("ttl:>254; sid:8;", true),
    ] {
        let text = format!("alert tcp any any -> any any ({opts})");
        assert_eq!(parse_rule(&text, &c).is_ok(), ok, "{text}");
    }
}

#[test]
fn app_layer_event_transport() {
    let c = ctx();
    for (text, silent) in [
        (
            "alert udp any any -> any any (app-layer-event:ike.weak_crypto_dh; sid:1;)",
            false,
        ),
        (
            "alert dns any any -> any any (app-layer-event:ike.weak_crypto_dh; sid:1;)",
            true,
        ),
        (
            "alert udp any any -> any any (app-layer-event:http.request_field_too_long; sid:1;)",
            true,
        ),
        (
            "alert ip any any -> any any (app-layer-event:dns.malformed_data; sid:1;)",
            false,
        ),
    ] {
        match parse_rule(text, &c) {
            Ok(_) => assert!(!silent, "{text}"),
            Err(e) => assert!(e.silent && silent, "{text}: {e:?}"),
        }
    }
}

#[test]
fn metadata_strings_are_shared_between_rules() {
    let text = "alert tcp any any -> any any (msg:\"a\"; metadata:created_at 2020_01_01, tag x; sid:1;)\n\
                alert tcp any any -> any any (msg:\"b\"; metadata:created_at 2020_01_01, tag y; sid:2;)\n";
    let res = load_rules_str(text, "t.rules", &RuleContext::default());
    assert_eq!(res.rules.len(), 2);
    let (a, b) = (&res.rules[0].metadata, &res.rules[1].metadata);
    assert_eq!((&*a[0].0, &*a[0].1), ("created_at", "2020_01_01"));
    assert!(std::sync::Arc::ptr_eq(&a[0].0, &b[0].0));
    assert!(std::sync::Arc::ptr_eq(&a[0].1, &b[0].1));
    assert!(std::sync::Arc::ptr_eq(&a[1].0, &b[1].0));
    assert_eq!((&*a[1].1, &*b[1].1), ("x", "y"));
    // Kept once: the option's own value is emptied.
    let opt = res.rules[0].options_named("metadata").next().unwrap();
    assert_eq!(opt.value, crate::values::OptionValue::Metadata(Vec::new()));
}
